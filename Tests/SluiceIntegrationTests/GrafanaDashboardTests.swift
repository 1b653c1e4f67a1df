import Foundation
import Sluice
import Testing

@Suite("The Grafana dashboard in deploy/grafana")
struct GrafanaDashboardTests {
    @Test func everyQueryNamesAMetricWorkersExport() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/grafana/sluice.json")
        let data = try Data(contentsOf: file)
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let queries = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(queries.count >= 15)
        let pattern = try NSRegularExpression(pattern: "sluice_[a-z_]+")
        var used = Set<String>()
        for q in queries {
            for m in pattern.matches(in: q, range: NSRange(q.startIndex..., in: q)) {
                var name = String(q[Range(m.range, in: q)!])
                for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) && !MetricNames.all.contains(name) {
                    name = String(name.dropLast(suffix.count))
                }
                used.insert(name)
            }
            #expect(q.contains("$application"), "every query follows the application variable: \(q)")
        }
        #expect(used.isSubset(of: MetricNames.all), "queries name unknown metrics: \(used.subtracting(MetricNames.all))")
        #expect(MetricNames.all.subtracting(used).isEmpty, "metrics without a panel: \(MetricNames.all.subtracting(used))")
    }
}
