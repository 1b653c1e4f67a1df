import Foundation

/// JSON for `Codable` types.
public struct JSONSerde<Value: Codable & Sendable>: Serde {
    public init() {}

    public func serialize(_ value: Value, into buffer: inout [UInt8]) throws -> Bool {
        buffer.append(contentsOf: try JSONEncoder().encode(value))
        return true
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> Value {
        guard let bytes else { throw SerdeError.null }
        return try JSONDecoder().decode(Value.self, from: Data(bytes))
    }
}

extension Serde {
    /// JSON for a `Codable` type: `.json(Click.self)`, or `.json()` where the type is known.
    public static func json<T>(_ type: T.Type = T.self) -> JSONSerde<T> where Self == JSONSerde<T> { JSONSerde() }
}
