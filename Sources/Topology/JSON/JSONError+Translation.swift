extension JSONError {
    /// Wraps an error thrown by a type's own `init(from:)` or `encode(to:)`.
    ///
    /// `DecodingError`/`EncodingError` map to the matching code; their `debugDescription` is
    /// *not* copied into `reason` because user code may have put values in it. The original
    /// error stays available as ``underlying``.
    init(translating error: any Error, offset: Int?) {
        switch error {
        case let error as JSONError:
            self = error
        case DecodingError.typeMismatch(let type, let context):
            self.init(code: .typeMismatch, offset: offset, codingPath: Self.render(context.codingPath),
                      reason: "expected to decode \(type)", underlying: error)
        case DecodingError.valueNotFound(let type, let context):
            self.init(code: .valueNotFound, offset: offset, codingPath: Self.render(context.codingPath),
                      reason: "expected a value of type \(type)", underlying: error)
        case DecodingError.keyNotFound(let key, let context):
            self.init(code: .keyNotFound, offset: offset, codingPath: Self.render(context.codingPath),
                      reason: "key '\(key.stringValue)' not found", underlying: error)
        case DecodingError.dataCorrupted(let context):
            self.init(code: .dataCorrupted, offset: offset, codingPath: Self.render(context.codingPath),
                      reason: "a value's init(from:) reported corrupted data", underlying: error)
        case EncodingError.invalidValue(_, let context):
            self.init(code: .invalidValue, offset: offset, codingPath: Self.render(context.codingPath),
                      reason: "a value's encode(to:) reported an invalid value", underlying: error)
        default:
            self.init(code: .underlying, offset: offset, reason: "a type's own coding method threw", underlying: error)
        }
    }
}
