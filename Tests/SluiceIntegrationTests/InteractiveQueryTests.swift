import Foundation
import Sluice
import Testing
import Topologies

/// A GET over real HTTP that does not follow redirects. - Returns: the status, the JSON body as an
/// object, and the redirect's target.
private func getJSON(_ url: String) throws -> (status: Int, body: [String: Any], location: String?) {
    let response = try HTTPClient().request("GET", url, timeout: .seconds(15))
    let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
    return (response.status, try #require(body, "a JSON object from \(url): \(response.text)"), response.redirectURL)
}

private func int64(_ any: Any?) -> Int64? { (any as? NSNumber)?.int64Value }

/// What `UserActivity` must hold after `events`: counts per user, and counts per user and minute.
private struct ActivityTruth {
    var counts: [String: Int64] = [:]
    var minutes: [String: [Int64: Int64]] = [:]

    /// `events` as `produceCleanEvents` writes them: event `i` at `base + 100 i` ms.
    init(_ events: [(range: Range<Int>, users: Int)]) {
        for (range, users) in events {
            for i in range {
                let user = "u-\(i % users)"
                let time = ActivityTruth.base + Int64(i) * 100
                counts[user, default: 0] += 1
                minutes[user, default: [:]][time - time % 60_000, default: 0] += 1
            }
        }
    }

    /// The first event's time, a whole minute.
    static let base: Int64 = 1_714_557_600_000
}

/// Interactive queries against two workers of one application on the embedded broker, over
/// their real HTTP endpoints: the owner of a key answers it, the other worker redirects there.
@Suite("Interactive queries across two workers", .serialized)
struct InteractiveQueryTests {
    @Test func theOwnerAnswersEachKeyTheOtherWorkerRedirectsToItAndRangesAndWindowsAddUp() async throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("events", partitions: 4)
        let dirs = [temporaryStateDirectory(), temporaryStateDirectory()]
        defer { for d in dirs { try? FileManager.default.removeItem(atPath: d) } }
        var workers: [ObservedWorker] = []
        for dir in dirs {
            workers.append(
                try await ObservedWorker(plan: UserActivity.plan(), broker: broker) { config in
                    config.stateDirectory = dir
                    config.properties = ["session.timeout.ms": "6000", "heartbeat.interval.ms": "500"]
                })
        }
        let (a, b) = (workers[0], workers[1])
        let shared = try await blocking { eventually(timeout: .seconds(40)) { !a.worker.snapshot.tasks.isEmpty && !b.worker.snapshot.tasks.isEmpty } }
        #expect(shared, "both workers own tasks: \(a.worker.snapshot.tasks) and \(b.worker.snapshot.tasks)")

        // Uneven counts (u-0...u-6 get a second round), within one window retention (70 s) of the
        // first minute, so both minutes' windows are still in the store.
        let events = [(0..<600, 40), (600..<660, 7)]
        let truth = ActivityTruth(events)
        let bootstrap = broker.bootstrapServers
        let counted = try await blocking {
            let counts = try CountReader(bootstrap: bootstrap, partitions: 4)
            for (range, users) in events { try produceCleanEvents(range, users: users, bootstrap: bootstrap) }
            return try counts.waitFor(truth.counts)
        }
        #expect(counted, "the output topic reached the truth, so the stores hold it")

        try await blocking {
            // The registry tells each worker the other's tasks and URL within a heartbeat or two.
            let key = "/stores/events-per-user/u-3"
            let settled = eventually(timeout: .seconds(30)) {
                let statuses = Set([a.url, b.url].compactMap { try? getJSON($0 + key).status })
                return statuses == [200, 307]
            }
            #expect(settled, "one worker answers u-3, the other redirects")

            var answeredBy: [String: Int] = [:]
            var transient: [String] = []
            for (user, count) in truth.counts.sorted(by: { $0.key < $1.key }) {
                let path = "/stores/events-per-user/\(user)"
                // A 503 says "try again" (a rebalance, a restore): a client honours it, so does
                // this test, and reports each one it met.
                var fromA = try getJSON(a.url + path)
                var fromB = try getJSON(b.url + path)
                _ = try eventually(timeout: .seconds(30)) {
                    if Set([fromA.status, fromB.status]) == [200, 307] { return true }
                    transient.append("\(user): \(fromA.status) from A (\(fromA.body["error"] ?? "-")), \(fromB.status) from B (\(fromB.body["error"] ?? "-"))")
                    Thread.sleep(forTimeInterval: 0.25)
                    (fromA, fromB) = (try getJSON(a.url + path), try getJSON(b.url + path))
                    return false
                }
                let (owner, other) = fromA.status == 200 ? ((a, fromA), (b, fromB)) : ((b, fromB), (a, fromA))
                #expect(owner.1.status == 200 && other.1.status == 307, "\(user): \(fromA.status) from A, \(fromB.status) from B")
                #expect(owner.1.body["key"] as? String == user)
                #expect(int64(owner.1.body["value"]) == count, "\(user): \(owner.1.body)")
                #expect(
                    other.1.location == owner.0.url + path, "the redirect names the owner's advertised URL: \(other.1.location ?? "none")")
                let named = other.1.body["owner"] as? [String: Any]
                #expect(named?["url"] as? String == owner.0.url && other.1.body["location"] as? String == owner.0.url + path)
                answeredBy[owner.0.url, default: 0] += 1
            }
            #expect(answeredBy.count == 2, "each worker owns some of the keys: \(answeredBy)")

            /// A GET that asks again while the answer is 503 (for up to 30 s), as a client would.
            func answered(_ url: String) throws -> (status: Int, body: [String: Any], location: String?) {
                var response = try getJSON(url)
                _ = try eventually(timeout: .seconds(30)) {
                    guard response.status == 503 else { return true }
                    transient.append("\(url): 503 (\(response.body["error"] ?? "-"))")
                    Thread.sleep(forTimeInterval: 0.25)
                    response = try getJSON(url)
                    return false
                }
                return response
            }

            // A key range: this worker's partitions, and a link to the other's for the rest.
            let wanted = truth.counts.filter { $0.key >= "u-1" && $0.key <= "u-2" }
            let first = try answered(a.url + "/stores/events-per-user?from=u-1&to=u-2")
            #expect(first.status == 200 && first.body["complete"] as? Bool == false)
            let elsewhere = try #require(first.body["elsewhere"] as? [[String: Any]])
            #expect(elsewhere.count == 1 && elsewhere.first?["url"] as? String == b.url, "the rest is on B: \(elsewhere)")
            let rest = try answered(try #require(elsewhere.first?["query"] as? String))
            #expect(rest.status == 200 && rest.body["complete"] as? Bool == true)
            var found: [String: Int64] = [:]
            for answer in [first.body, rest.body] {
                let entries = try #require(answer["entries"] as? [[String: Any]])
                let keys = entries.compactMap { $0["key"] as? String }
                #expect(keys == keys.sorted(), "key-byte order within an answer")
                for e in entries { found[e["key"] as? String ?? "?"] = int64(e["value"]) }
            }
            #expect(found == wanted, "the two halves of the range are the truth for u-1 to u-2")

            // Window fetches, asked of the owner the redirect names.
            for user in ["u-0", "u-9"] {  // two minutes, one minute
                let minutes = try #require(truth.minutes[user]).sorted { $0.key < $1.key }
                let path = "/stores/events-per-user-minute/\(user)?from=\(ActivityTruth.base)&to=\(ActivityTruth.base + 60_000)"
                let asked = try answered(a.url + path)
                let url = asked.status == 307 ? try #require(asked.location) : a.url + path
                let answer = try answered(url)
                #expect(answer.status == 200, "\(answer.body)")
                let windows = try #require(answer.body["windows"] as? [[String: Any]])
                #expect(windows.map { int64($0["start"]) } == minutes.map { $0.key }, "\(user): \(windows)")
                #expect(windows.map { int64($0["end"]) } == minutes.map { $0.key + 60_000 })
                #expect(windows.map { int64($0["value"]) } == minutes.map { $0.value })
                let second = try answered(url.replacingOccurrences(of: "from=\(ActivityTruth.base)", with: "from=\(ActivityTruth.base + 1)"))
                #expect(
                    (second.body["windows"] as? [[String: Any]])?.map { int64($0["start"]) } == minutes.map(\.key).filter { $0 > ActivityTruth.base },
                    "only windows starting in [from, to]")
            }
            if !transient.isEmpty {
                print("\(transient.count) answers said try again (503) before the group settled; the first: \(transient.prefix(3))")
            }
        }
        for w in workers { try await w.stop() }
    }
}
