/// Where a ``FastJSONEncodable`` writes its one JSON value, formatted as ``FastJSONEncoder``
/// formats `Codable` values (Foundation's number formats, `/` escaped as `\/`).
///
/// - Important: Valid only during the ``FastJSONEncodable/encode(json:)`` call that received it.
///   Writing a second value is a misuse the encoder reports as ``JSONError/Code/invalidValue``.
public struct JSONOutput {
    let out: UnsafeMutablePointer<JSONByteBuffer>
    /// Whether a value has been written; a second one is recorded in `misuse`.
    private(set) var written = false
    private(set) var misuse: JSONError?

    /// Not retained: the encoder outlives every output it hands out.
    let encoder: Unmanaged<FastJSONEncoder>

    init(_ out: UnsafeMutablePointer<JSONByteBuffer>, _ encoder: Unmanaged<FastJSONEncoder>) {
        self.out = out
        self.encoder = encoder
    }

    /// Claims the output for one value: `false` (and a recorded misuse) if it already has one.
    @inline(__always) private mutating func begin() -> Bool {
        if written {
            misuse = misuse ?? JSONError(code: .invalidValue, offset: nil, reason: "a second value written where one was expected")
            return false
        }
        written = true
        return true
    }

    public mutating func null() { if begin() { JSONWriter.appendStatic("null", to: &out.pointee) } }
    public mutating func bool(_ value: Bool) { if begin() { JSONWriter.appendBool(value, to: &out.pointee) } }
    public mutating func int(_ value: Int) { if begin() { JSONWriter.appendInteger(value, to: &out.pointee) } }
    public mutating func int64(_ value: Int64) { if begin() { JSONWriter.appendInteger(value, to: &out.pointee) } }

    /// An integer of any width.
    public mutating func integer<T: FixedWidthInteger>(_ value: T) {
        if begin() { JSONWriter.appendInteger(value, to: &out.pointee) }
    }

    /// A finite `Double`.
    /// - Throws: ``JSONError/Code/invalidValue`` for NaN or an infinity, as `Codable` does.
    public mutating func double(_ value: Double) throws(JSONError) {
        guard value.isFinite else { throw Self.nonFinite(value) }
        if begin() { JSONWriter.appendFloatingPoint(value, to: &out.pointee) }
    }

    static func nonFinite(_ value: Double) -> JSONError {
        JSONError(code: .invalidValue, offset: nil, reason: "Double value \(value) is not valid JSON")
    }

    public mutating func string(_ value: String) { if begin() { JSONWriter.appendString(value, to: &out.pointee) } }

    /// A string from its UTF-8 bytes (which must be valid UTF-8), without making a String.
    public mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        if begin() { JSONWriter.appendString(utf8: utf8, to: &out.pointee) }
    }

    /// An object, whose members `body` writes in order.
    public mutating func object(_ body: (inout JSONObjectOutput) throws(JSONError) -> Void) throws(JSONError) {
        guard begin() else { return }
        out.pointee.append(UInt8(ascii: "{"))
        var object = JSONObjectOutput(JSONContainerOutput(out: out, encoder: encoder))
        try body(&object)
        if let misuse = object.container.misuse { self.misuse = misuse }
        out.pointee.append(UInt8(ascii: "}"))
    }

    /// An array, whose elements `body` writes in order through `append`.
    public mutating func array(_ body: (inout JSONArrayOutput) throws(JSONError) -> Void) throws(JSONError) {
        guard begin() else { return }
        out.pointee.append(UInt8(ascii: "["))
        var array = JSONArrayOutput(container: JSONContainerOutput(out: out, encoder: encoder))
        try body(&array)
        if let misuse = array.container.misuse { self.misuse = misuse }
        out.pointee.append(UInt8(ascii: "]"))
    }

    /// A value of a ``FastJSONEncodable`` type, through its own `encode(json:)`.
    public mutating func encode<T: FastJSONEncodable>(_ value: T) throws(JSONError) {
        guard !written else {
            _ = begin()
            return
        }
        var inner = JSONOutput(out, encoder)
        try value.encode(json: &inner)
        try inner.finish(T.self)
        written = true
    }

    /// A value written through `Codable` (its `encode(to:)`), for members whose types do not
    /// write themselves.
    public mutating func encode<T: Encodable>(codable value: T) throws(JSONError) {
        guard begin() else { return }
        let bytes = try encoder.takeUnretainedValue().encodeNested(value)
        bytes.withUnsafeBufferPointer { out.pointee.append($0.baseAddress!, count: $0.count) }
    }

    /// Checks that exactly one value was written.
    func finish(_ type: Any.Type) throws(JSONError) {
        if let misuse { throw misuse }
        guard written else { throw JSONError(code: .invalidValue, offset: nil, reason: "\(type) did not encode any values") }
    }
}

/// What an object's and an array's outputs share: where they write, and the first misuse.
struct JSONContainerOutput {
    let out: UnsafeMutablePointer<JSONByteBuffer>
    let encoder: Unmanaged<FastJSONEncoder>
    private var first = true
    var misuse: JSONError?

    init(out: UnsafeMutablePointer<JSONByteBuffer>, encoder: Unmanaged<FastJSONEncoder>) {
        self.out = out
        self.encoder = encoder
    }

    /// A comma before every element but the first.
    @inline(__always) mutating func separate() {
        if startElement() { out.pointee.append(UInt8(ascii: ",")) }
    }

    /// Notes that an element begins; whether a comma must precede it.
    @inline(__always) mutating func startElement() -> Bool {
        if first {
            first = false
            return false
        }
        return true
    }

    /// One value, written by `body`; `what` names it if `body` writes none.
    mutating func value(_ what: @autoclosure () -> String, _ body: (inout JSONOutput) throws(JSONError) -> Void) throws(JSONError) {
        var value = JSONOutput(out, encoder)
        try body(&value)
        if let misuse = value.misuse { self.misuse = self.misuse ?? misuse }
        if !value.written { misuse = misuse ?? JSONError(code: .invalidValue, offset: nil, reason: "no value written for \(what())") }
    }
}

/// The members of an object being written: `object.field("price", price)`.
public struct JSONObjectOutput {
    var container: JSONContainerOutput

    init(_ container: JSONContainerOutput) { self.container = container }

    /// Writes `"key":` and lets `body` write the value.
    @inline(__always) public mutating func field(_ key: StaticString, _ body: (inout JSONOutput) throws(JSONError) -> Void) throws(JSONError) {
        writeKey(key)
        try container.value("key '\(key)'", body)
    }

    public mutating func field(_ key: StaticString, _ value: Int64) {
        writeKey(key)
        JSONWriter.appendInteger(value, to: &container.out.pointee)
    }

    public mutating func field(_ key: StaticString, _ value: Int) {
        writeKey(key)
        JSONWriter.appendInteger(value, to: &container.out.pointee)
    }

    public mutating func field(_ key: StaticString, _ value: Bool) {
        writeKey(key)
        JSONWriter.appendBool(value, to: &container.out.pointee)
    }

    public mutating func field(_ key: StaticString, _ value: String) {
        writeKey(key)
        JSONWriter.appendString(value, to: &container.out.pointee)
    }

    /// - Throws: ``JSONError/Code/invalidValue`` for NaN or an infinity.
    public mutating func field(_ key: StaticString, _ value: Double) throws(JSONError) {
        guard value.isFinite else { throw JSONOutput.nonFinite(value) }
        writeKey(key)
        JSONWriter.appendFloatingPoint(value, to: &container.out.pointee)
    }

    public mutating func field<T: FastJSONEncodable>(_ key: StaticString, _ value: T) throws(JSONError) {
        writeKey(key)
        // `JSONOutput.encode` without the closure of `field(_:_:)`: nested records are common.
        var inner = JSONOutput(container.out, container.encoder)
        try value.encode(json: &inner)
        try inner.finish(T.self)
    }

    /// A member only when `value` is not `nil` (synthesized `Codable`'s `encodeIfPresent`).
    public mutating func field(_ key: StaticString, _ value: String?) {
        if let value { field(key, value) }
    }

    public mutating func field(_ key: StaticString, _ value: Int64?) {
        if let value { field(key, value) }
    }

    public mutating func field<T: FastJSONEncodable>(_ key: StaticString, _ value: T?) throws(JSONError) {
        if let value { try field(key, value) }
    }

    /// `"key":`, after a comma unless it is the first member.
    @inline(__always) private mutating func writeKey(_ key: StaticString) {
        JSONWriter.appendKey(key, comma: container.startElement(), to: &container.out.pointee)
    }
}

/// The elements of an array being written.
public struct JSONArrayOutput {
    var container: JSONContainerOutput

    /// Writes one element through `body`.
    public mutating func append(_ body: (inout JSONOutput) throws(JSONError) -> Void) throws(JSONError) {
        container.separate()
        try container.value("an array element", body)
    }
}
