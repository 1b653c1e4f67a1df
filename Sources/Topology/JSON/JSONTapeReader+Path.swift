/// Coding paths recovered from the tape, for errors of the hand-written readers
/// (``FastJSONDecodable``): views carry only a tape index, and the path is worked out only
/// when something goes wrong.
extension JSONTapeReader {
    /// The path from the top-level value to the value at `target`, as Foundation renders it
    /// (`bid.price`, `lines[1].sku`); empty for the top level.
    func path(to target: Int) -> String {
        var path = ""
        var current = 0
        let tape = tape
        descend: while current != target {
            let container = tape[current]
            let end = Int(container.length)
            switch container.kind {
            case .object:
                var key = current &+ 1
                while key < end {
                    let value = key &+ 1
                    let next = tape[value].next(after: value)
                    if target >= key && target < next {
                        path = JSONError.join(path, (try? decodeString(at: key)) ?? "?")
                        current = value
                        continue descend
                    }
                    key = next
                }
            case .array:
                var element = current &+ 1
                var position = 0
                while element < end {
                    let next = tape[element].next(after: element)
                    if target >= element && target < next {
                        path = JSONError.join(path, "[\(position)]")
                        current = element
                        continue descend
                    }
                    element = next
                    position &+= 1
                }
            default:
                break
            }
            break  // `target` is not below `current`: not a value of this tape
        }
        return path
    }

    /// `error`, found at or below the value at `index`, with that value's path.
    func located(_ error: JSONError, at index: Int) -> JSONError {
        error.at(path(to: index))
    }
}
