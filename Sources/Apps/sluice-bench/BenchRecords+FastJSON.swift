import ArgumentParser
import Sluice

// The bench records read and written by hand (`FastJSONDecodable`, `FastJSONEncodable`), for the
// rows that measure Sluice's JSON at its fastest; the `_codable` row forces `Codable`
// (`codableOnly`) on the same types. `checkJSONPaths` holds the two together before a run.

extension BenchClick: FastJSONDecodable {
    init(json: JSONView) throws(JSONError) {
        let object = try json.object()
        self.init(
            event_id: try object["event_id"].string(), user_id: try object["user_id"].string(), type: try object["type"].string(),
            ts: try object["ts"].int64(), page: try object["page"].string(), session: try object["session"].decode(),
            value: try object["value"].double())
    }
}

extension BenchClick.Session: FastJSONDecodable {
    init(json: JSONView) throws(JSONError) {
        let object = try json.object()
        self.init(id: try object["id"].string(), device: try object["device"].string(), country: try object["country"].string())
    }
}

// A user row is written too: the join's table keeps each row it reads in its store and changelog.
extension BenchUser: FastJSONDecodable, FastJSONEncodable {
    init(json: JSONView) throws(JSONError) {
        let object = try json.object()
        self.init(
            user_id: try object["user_id"].string(), plan: try object["plan"].string(), country: try object["country"].string(),
            signup_day: try object["signup_day"].int())
    }

    func encode(json: inout JSONOutput) throws(JSONError) {
        try json.object { object throws(JSONError) in
            object.field("user_id", user_id)
            object.field("plan", plan)
            object.field("country", country)
            object.field("signup_day", signup_day)
        }
    }
}

extension BenchClickSummary: FastJSONEncodable {
    func encode(json: inout JSONOutput) throws(JSONError) {
        try json.object { object throws(JSONError) in
            object.field("user", user)
            object.field("page", page)
            object.field("device", device)
            object.field("cents", cents)
        }
    }
}

extension BenchEnrichedClick: FastJSONEncodable {
    func encode(json: inout JSONOutput) throws(JSONError) {
        try json.object { object throws(JSONError) in
            object.field("event_id", event_id)
            object.field("user", user)
            object.field("page", page)
            object.field("cents", cents)
            object.field("plan", plan)
            object.field("country", country)
        }
    }
}

enum BenchJSONCheck {
    /// Decodes and re-encodes sample inputs both ways and fails the run unless the two agree:
    /// the rows compare the two paths, so they must do the same work.
    static func checkJSONPaths() throws {
        func roundTrip<In: Codable & Sendable, Out: Codable & Sendable>(
            _ json: String, _ input: In.Type, codableOnly: Bool, _ transform: (In) -> Out
        ) throws -> [UInt8] {
            let value = try Array(json.utf8).withUnsafeBytes { try JSONSerde<In>(codableOnly: codableOnly).deserialize($0) }
            var out: [UInt8] = []
            _ = try JSONSerde<Out>(codableOnly: codableOnly).serialize(transform(value), into: &out)
            return out
        }
        let user = BenchUser(user_id: "user-1", plan: "pro", country: "DE", signup_day: 1)
        let userJSON = #"{"user_id":"user-1","plan":"pro","country":"DE","signup_day":1}"#
        for i in [0, 1, 2, 12_345, 999_999] {
            let click = BenchInput.event(i).value
            let summary = { (c: BenchClick) in
                BenchClickSummary(user: c.user_id, page: c.page, device: c.session.device, cents: Int64(c.value * 100))
            }
            let enriched = { (c: BenchClick) in
                BenchEnrichedClick(event_id: c.event_id, user: c.user_id, page: c.page, cents: Int64(c.value * 100), plan: user.plan, country: user.country)
            }
            let users = { (u: BenchUser) in u }
            guard try roundTrip(click, BenchClick.self, codableOnly: true, summary) == roundTrip(click, BenchClick.self, codableOnly: false, summary),
                try roundTrip(click, BenchClick.self, codableOnly: true, enriched) == roundTrip(click, BenchClick.self, codableOnly: false, enriched),
                try roundTrip(userJSON, BenchUser.self, codableOnly: true, users) == roundTrip(userJSON, BenchUser.self, codableOnly: false, users)
            else {
                throw ValidationError("the bench records' FastJSON and Codable paths disagree on input \(i)")
            }
        }
    }
}
