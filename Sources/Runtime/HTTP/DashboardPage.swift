import Foundation

/// The worker's dashboard: one self-contained HTML page (inline CSS, JavaScript and SVG; no CDN,
/// no build step) that draws the topology from `/api/topology` and refreshes throughput,
/// event-time lag and consumer lag from `/api/status` every second.
enum DashboardPage {
    static func html(applicationID: String) -> String {
        let title = escape(applicationID)
        return #"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\#(title) · Sluice</title>
            <style>
            \#(css)
            </style>
            </head>
            <body>
            <header>
              <h1><span class="brand">Sluice</span> <span id="app">\#(title)</span></h1>
              <div id="summary" class="summary">
                <span>state <b id="state">loading</b></span>
                <span>instance <b id="instance">–</b></span>
                <span>tasks <b id="tasks">–</b></span>
                <span>commits <b id="commits">–</b></span>
                <span>rebalances <b id="rebalances">–</b></span>
                <span>errors <b id="errors">–</b></span>
                <span>lost <b id="lost">–</b></span>
                <span>updated <b id="updated">–</b></span>
              </div>
            </header>
            <main>
              <section>
                <h2>Topology <small>throughput (records/s) and event-time lag per operator</small></h2>
                <div id="graph-wrap"><svg id="graph" role="img" aria-label="topology graph"></svg></div>
              </section>
              <section class="columns">
                <div>
                  <h2>Consumer lag <small>records behind the end of each partition, last minutes</small></h2>
                  <svg id="lag-chart" viewBox="0 0 720 260" role="img" aria-label="consumer lag chart"></svg>
                  <div id="lag-legend" class="legend"></div>
                </div>
                <div>
                  <h2>Partitions</h2>
                  <table id="partitions"><thead><tr><th>topic</th><th>partition</th><th>committed</th><th>end</th><th>lag</th></tr></thead><tbody></tbody></table>
                </div>
              </section>
              <section>
                <h2>Operators</h2>
                <table id="operators"><thead><tr><th>operator</th><th>operation</th><th>sub-topology</th><th>received</th><th>forwarded</th><th>filtered</th><th>dead-lettered</th><th>records/s</th><th>event-time lag</th></tr></thead><tbody></tbody></table>
              </section>
              <section id="restores" hidden>
                <h2>State restores</h2>
                <table><thead><tr><th>store</th><th>task</th><th>restored</th><th>of</th></tr></thead><tbody id="restore-rows"></tbody></table>
              </section>
              <p id="failure" class="failure" hidden></p>
            </main>
            <footer><a href="/metrics">/metrics</a> · <a href="/api/status">/api/status</a> · <a href="/api/topology">/api/topology</a></footer>
            <script>
            \#(DashboardScript.source)
            </script>
            </body>
            </html>
            """#
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let css = #"""
        :root { --bg:#0f1419; --panel:#171e26; --line:#2b3641; --text:#d8dee6; --muted:#8a96a3;
                --accent:#4fb3ff; --good:#53c27a; --warn:#f0b44c; --bad:#ef6461; --topic:#243340; }
        * { box-sizing: border-box; }
        body { margin:0; font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; background:var(--bg); color:var(--text); }
        header { padding:14px 24px; border-bottom:1px solid var(--line); background:var(--panel); }
        h1 { margin:0 0 6px; font-size:20px; font-weight:600; } .brand { color:var(--accent); }
        h2 { font-size:15px; margin:18px 0 8px; font-weight:600; } h2 small { color:var(--muted); font-weight:400; margin-left:8px; }
        .summary { display:flex; flex-wrap:wrap; gap:18px; color:var(--muted); } .summary b { color:var(--text); font-weight:600; }
        main { padding:0 24px 24px; }
        #graph-wrap { overflow-x:auto; background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:8px; }
        svg text { fill:var(--text); font-size:12px; }
        .sub rect { fill:none; stroke:var(--line); stroke-dasharray:5 4; } .sub text { fill:var(--muted); font-size:11px; }
        .op rect { fill:#1d2833; stroke:#3a4a59; rx:7; } .op .name { font-weight:600; } .op .kind { fill:var(--muted); font-size:11px; }
        .op .rate { fill:var(--good); font-weight:600; } .op .lag { fill:var(--warn); } .op .counts { fill:var(--muted); font-size:11px; }
        .op.busy rect { stroke:var(--good); }
        .topic rect { fill:var(--topic); stroke:#36516a; } .topic.dlq rect { stroke:var(--bad); } .topic .kind { fill:var(--muted); font-size:11px; }
        .edge { stroke:#50606f; stroke-width:1.5; fill:none; marker-end:url(#arrow); }
        .columns { display:grid; grid-template-columns: minmax(0,3fr) minmax(0,2fr); gap:24px; }
        #lag-chart { width:100%; background:var(--panel); border:1px solid var(--line); border-radius:8px; }
        #lag-chart .axis { stroke:var(--line); } #lag-chart text { fill:var(--muted); font-size:11px; }
        .legend { display:flex; flex-wrap:wrap; gap:10px; margin-top:6px; color:var(--muted); font-size:12px; }
        .legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; vertical-align:middle; }
        table { border-collapse:collapse; width:100%; background:var(--panel); border:1px solid var(--line); border-radius:8px; }
        th, td { padding:5px 10px; text-align:right; border-bottom:1px solid var(--line); font-variant-numeric:tabular-nums; }
        th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align:left; } th { color:var(--muted); font-weight:500; }
        .failure { color:var(--bad); font-weight:600; } footer { padding:12px 24px; color:var(--muted); } a { color:var(--accent); }
        """#
}
