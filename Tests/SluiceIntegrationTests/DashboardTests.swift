import Foundation
import Sluice
import Testing
import Topologies

/// The dashboard in a real browser: Debian's headless Chromium (`make deps` installs it).
@Suite("The worker's dashboard in headless Chromium")
struct DashboardTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func thePageDrawsEveryOperatorAndItsNumbersMoveWhileRecordsFlow() async throws {
        let browser = try #require(Self.chromium, "chromium is not installed: `make deps` installs it")
        let broker = try EmbeddedBroker()
        try broker.createTopic("raw-events", partitions: 4)
        let plan = try CleanEvents.plan()
        let observed = try await ObservedWorker(plan: plan, broker: broker)
        let input = RawEventStream(bootstrap: broker.bootstrapServers, rate: 2_000)
        let worker = observed.worker
        let screenshot = try artifactsDirectory().appendingPathComponent("dashboard.png")

        let (first, second, shot) = try await blocking { () throws -> ([String: Page.Operator], [String: Page.Operator], Int32) in
            _ = eventually(timeout: .seconds(40)) { (worker.snapshot.counts["raw-events-source"]?.received ?? 0) > 500 }
            let first = try Page(dom: Self.dumpDOM(browser, observed.url))
            Thread.sleep(forTimeInterval: 2)
            let second = try Page(dom: Self.dumpDOM(browser, observed.url))
            let shot = try Self.run(browser, ["--window-size=1400,1000", "--screenshot=\(screenshot.path)", observed.url + "/"])
            return (first.operators, second.operators, shot)
        }
        input.stop()
        try await observed.stop()

        let names = plan.subtopologies.flatMap(\.nodes).map(\.name)
        #expect(Set(first.keys) == Set(names), "every operator is drawn: \(first.keys.sorted())")
        #expect(Set(second.keys) == Set(names))
        for name in names {
            let a = try #require(first[name]), b = try #require(second[name])
            #expect(b.received > a.received, "\(name): received moved from \(a.received) to \(b.received)")
            #expect(b.rate > 0, "\(name) shows a throughput: \(b.rate) records/s")
            #expect(b.lagSeconds != nil, "\(name) shows an event-time lag")
        }
        #expect(shot == 0 && FileManager.default.fileExists(atPath: screenshot.path), "screenshot written")
        print("dashboard screenshot: \(screenshot.path)")
    }

    /// The page's DOM after its scripts ran (about two refreshes).
    static func dumpDOM(_ browser: String, _ url: String) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-dom-\(UUID()).html")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let status = try run(browser, ["--dump-dom", url + "/"], stdout: FileHandle(forWritingTo: out))
        guard status == 0 else { throw BrowserFailed(status: status) }
        return try String(contentsOf: out, encoding: .utf8)
    }

    /// Runs headless Chromium with a fresh profile; returns its exit status.
    @discardableResult
    static func run(_ browser: String, _ arguments: [String], stdout: FileHandle? = nil) throws -> Int32 {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-chromium-\(UUID())")
        defer { try? FileManager.default.removeItem(at: profile) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--virtual-time-budget=2500",
        ] + arguments
        p.standardOutput = stdout ?? FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    struct BrowserFailed: Error { let status: Int32 }
}

/// What the dashboard shows, read from the `data-*` attributes its script keeps current.
struct Page {
    struct Operator {
        var received: Int
        var rate: Double
        var lagSeconds: Double?
    }

    var operators: [String: Operator] = [:]

    init(dom: String) throws {
        let pattern = try NSRegularExpression(pattern: #"<g class="op[^"]*"([^>]*)>"#)
        let attribute = try NSRegularExpression(pattern: #"data-([a-z-]+)="([^"]*)""#)
        let ns = dom as NSString
        for match in pattern.matches(in: dom, range: NSRange(location: 0, length: ns.length)) {
            let attrs = ns.substring(with: match.range(at: 1)) as NSString
            var values: [String: String] = [:]
            for a in attribute.matches(in: attrs as String, range: NSRange(location: 0, length: attrs.length)) {
                values[attrs.substring(with: a.range(at: 1))] = attrs.substring(with: a.range(at: 2))
            }
            guard let name = values["operator"] else { continue }
            operators[name] = Operator(
                received: Int(values["received"] ?? "") ?? -1, rate: Double(values["rate"] ?? "") ?? -1,
                lagSeconds: values["lag-seconds"].flatMap(Double.init))
        }
    }
}
