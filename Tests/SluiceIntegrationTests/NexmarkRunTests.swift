import Foundation
import Testing
import Topologies

/// `sluice nexmark run`: Beam's events through a query on an embedded broker, results as lines.
@Suite("sluice nexmark run")
struct NexmarkRunTests {
    @Test func q2WritesExactlyTheBidsOnEvery123rdAuctionAsJSONLines() async throws {
        let events = 20_000
        let run = try ChildProcess("nexmark", ["nexmark", "run", "q2", "--events", "\(events)", "--dump"])
        let status = try await blocking { run.terminateWhenDone(timeout: .seconds(120)) }
        #expect(status == 0, "\(run.text)")
        struct Row: Decodable { var auction: Int64; var price: Int64 }
        let rows = run.text.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap {
            try? JSONDecoder().decode(Row.self, from: Data($0.utf8))
        }
        #expect(rows.count == (try NexmarkEvents.expectedRows(events)).q2, "one line per bid the generator makes on such an auction")
        #expect(rows.allSatisfy { $0.auction % 123 == 0 })
        #expect(run.text.contains("0 dead-lettered"), "\(run.text.split(separator: "\n").last ?? "")")
    }
}
