import Foundation
import Sluice

/// Generated SDK events for demos and `--generate`: mostly valid, with about 2% broken in the ways
/// real SDKs break (no message id, a bad timestamp, truncated JSON, an unknown type).
public enum SampleEvents {
    static let names = [
        "Product Clicked", "Product Viewed", "Order Completed", "Cart Viewed", "Video Played", "Signed In",
        "Coupon Applied", "Article Shared",
    ]
    static let devices = ["ios", "android", "web"]

    /// Raw events for `raw-events`, keyed by anonymous id.
    public static let raw = SampleSource(topic: "raw-events") { i in
        let h = mix(i)
        let user = "u-\(h % 5_000)"
        let anonymous = "a-\(h % 9_973)"
        let millis = 1_714_557_600_000 + Int64(i) * 37
        let type = ["track", "track", "track", "page", "screen", "identify"][Int(h >> 8) % 6]
        var json = #"{"type":"\#(type)","#
        switch type {
        case "track": json += #""event":"\#(names[Int(h >> 16) % names.count])","#
        case "page", "screen": json += #""name":"/p/\#(h % 50)","#
        default: break
        }
        json += #""userId":"\#(user)","anonymousId":"\#(anonymous)","messageId":"m-\#(i)","#
        json += #""timestamp":"\#(iso(millis))","properties":{"product_id":"sku-\#(h % 300)","price":\#(h % 200).5,"#
        json += #""email":"someone@example.com"},"context":{"device":{"type":"\#(devices[Int(h >> 4) % 3])"},"locale":"de-DE"}}"#
        switch h % 50 {
        case 0: json = json.replacingOccurrences(of: #""messageId":"m-\#(i)","#, with: "")
        case 1: json = json.replacingOccurrences(of: iso(millis), with: "yesterday")
        case 2: json = String(json.prefix(40))
        case 3: json = json.replacingOccurrences(of: #""type":"\#(type)""#, with: #""type":"clickk""#)
        default: break
        }
        return (Array(anonymous.utf8), Array(json.utf8))
    }

    /// Clean events for `events`, keyed by user.
    public static let clean = SampleSource(topic: "events") { i in
        let h = mix(i)
        let user = "u-\(h % 5_000)"
        let name = names[Int(h >> 16) % names.count]
        let event = CleanEvent(
            eventID: "m-\(i)", userID: user, type: "track", name: name,
            category: EventCleaning.category(type: "track", name: name), timestamp: 1_714_557_600_000 + Int64(i) * 37,
            properties: ["product_id": .string("sku-\(h % 300)")], device: devices[Int(h >> 4) % 3], locale: "de-DE",
            app: "Shop")
        var bytes: [UInt8] = []
        _ = try? JSONSerde<CleanEvent>().serialize(event, into: &bytes)
        return (Array(user.utf8), bytes)
    }

    /// A fixed, well-spread hash of `i` (splitmix64), so every run generates the same events.
    static func mix(_ i: Int) -> UInt64 {
        var z = UInt64(truncatingIfNeeded: i) &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Epoch milliseconds as `2024-05-01T10:15:30.120Z`.
    static func iso(_ millis: Int64) -> String {
        let days = Int(millis / 86_400_000)
        let ms = Int(millis % 86_400_000)
        let (y, m, d) = civil(fromDays: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let frac = ms % 1000
        return "\(y)-\(two(m))-\(two(d))T\(two(ms / 3_600_000)):\(two(ms / 60_000 % 60)):\(two(ms / 1000 % 60)).\(frac < 10 ? "00" : frac < 100 ? "0" : "")\(frac)Z"
    }

    static func civil(fromDays z: Int) -> (Int, Int, Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
