/// Reading scalar tokens. Errors carry no coding path; see `JSONTapeReader`.
extension JSONTapeReader {
    @inlinable @inline(__always) func decodeString(at index: Int) throws(JSONError) -> String {
        let token = tape[index]
        guard token.kind == .string else { throw mismatch(String.self, at: index) }
        if token.flags & JSONToken.escaped == 0 {
            let utf8 = UnsafeBufferPointer(start: input + Int(token.start), count: Int(token.length))
            return Self.makeString(utf8, small: shared.pointee.smallStrings)
        }
        return unescapedString(token)
    }

    @usableFromInline func unescapedString(_ token: JSONToken) -> String {
        let scratch = shared.pointee.scratch
        let length = JSONStringDecoding.unescape(input + Int(token.start), Int(token.length), into: scratch)
        return Self.makeString(UnsafeBufferPointer(start: scratch, count: length), small: shared.pointee.smallStrings)
    }

    /// A String from UTF-8 the scanner has validated. (The standard library validates again.)
    /// Measured per string, 3 M of each, two runs (swiftc -O, Swift 6.3): up to 15 bytes the
    /// capacity initializer and `String(decoding:as:)` both take 14-16 ns (the former was a quarter
    /// faster on an earlier toolchain); past 15, where a String allocates, the capacity
    /// initializer validates through a repairing path and took 40-43 ns at 18 and 36 bytes, where
    /// `decoding` mostly took 34-40.
    ///
    /// Up to 15 ASCII bytes, `SmallASCIIString` writes the String itself in about a quarter of
    /// that time (`small`: where this process's standard library allows it).
    @inlinable @inline(__always) static func makeString(_ utf8: UnsafeBufferPointer<UInt8>, small: Bool) -> String {
        if utf8.count > SmallASCIIString.maximumCount { return String(decoding: utf8, as: UTF8.self) }
        if small, let string = SmallASCIIString.make(utf8.baseAddress!, count: utf8.count) { return string }
        return String(unsafeUninitializedCapacity: utf8.count) { buffer in
            _ = buffer.initialize(from: utf8)
            return utf8.count
        }
    }

    @inline(__always) func decodeBool(at index: Int) throws(JSONError) -> Bool {
        switch tape[index].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, at: index)
        }
    }

    @inline(__always) func decodeInteger<T: FixedWidthInteger>(_ type: T.Type, at index: Int) throws(JSONError) -> T {
        let token = tape[index]
        guard token.kind == .number else { throw mismatch(T.self, at: index) }
        let start = input + Int(token.start)
        let length = Int(token.length)
        if token.flags & JSONToken.nonInteger == 0, let value = JSONNumberParsing.fixedWidth(start, length, as: T.self) {
            return value
        }
        // Like Foundation, accept `1.0` or `1e2` when the value is an exact integer in range.
        if token.flags & JSONToken.nonInteger != 0, let value = Self.integerFromNonIntegerLiteral(start, length, as: T.self) {
            return value
        }
        throw error(.numberOutOfRange, "number does not fit in \(T.self)", at: index)
    }

    @inline(__always) func decodeDouble(at index: Int) throws(JSONError) -> Double {
        let token = tape[index]
        guard token.kind == .number else { throw mismatch(Double.self, at: index) }
        guard let value = JSONNumberParsing.double(input + Int(token.start), Int(token.length)) else {
            throw error(.numberOutOfRange, "number does not fit in Double", at: index)
        }
        return value
    }

    @inline(__always) func decodeFloat(at index: Int) throws(JSONError) -> Float {
        let token = tape[index]
        guard token.kind == .number else { throw mismatch(Float.self, at: index) }
        guard let value = JSONNumberParsing.float(input + Int(token.start), Int(token.length)) else {
            throw error(.numberOutOfRange, "number does not fit in Float", at: index)
        }
        return value
    }
}
