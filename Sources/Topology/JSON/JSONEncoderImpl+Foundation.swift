#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The types Foundation's `JSONEncoder` writes differently from their own `Encodable`
/// conformance under its default strategies: `Data` as a Base64 string, `URL` as its
/// absolute string and `Decimal` as a JSON number. (`Date` and `UUID` need nothing special.)
extension JSONEncoderImpl {
    /// Writes `value` into this encoder's node if it is one of those types.
    @inline(__always) func encodeFoundationValue<T: Encodable>(_ value: T) throws(JSONError) -> Bool {
        if T.self == Data.self, let data = value as? Data {
            try encodeSpecial { JSONWriter.appendString(data.base64EncodedString(), to: &$0) }
        } else if T.self == URL.self, let url = value as? URL {
            try encodeSpecial { JSONWriter.appendString(url.absoluteString, to: &$0) }
        } else if T.self == Decimal.self, let decimal = value as? Decimal {
            guard !decimal.isNaN else {
                throw JSONError(code: .invalidValue, offset: nil, codingPath: JSONError.render(codingPath), reason: "unable to encode Decimal.nan in JSON")
            }
            var text = decimal.description
            try encodeSpecial { out in text.withUTF8 { out.append($0.baseAddress!, count: $0.count) } }
        } else {
            return false
        }
        return true
    }

    private func encodeSpecial(_ write: (inout JSONByteBuffer) throws(JSONError) -> Void) throws(JSONError) {
        let node = node
        if state.pointee.nodes[node].kind != .pending { misuse("encoded a second value into a single value container") }
        state.pointee.beginScalar(node)
        try scalar(into: node, write)
    }
}
