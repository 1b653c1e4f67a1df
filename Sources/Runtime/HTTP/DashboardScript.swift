/// The dashboard's JavaScript: lays the topology out in layers (longest path from the input
/// topics), draws it as SVG, then polls `/api/status` every second. Every operator's group carries
/// `data-operator`, `data-received`, `data-rate` and `data-lag-seconds`, so a test (or a person
/// with the inspector) can read what is shown.
enum DashboardScript {
    static let source = #"""
        "use strict";
        const NS = "http://www.w3.org/2000/svg";
        const OW = 210, OH = 90, TW = 180, TH = 44, COL = 250, ROW = 112, PAD = 24;
        const COLORS = ["#4fb3ff","#53c27a","#f0b44c","#ef6461","#b48ead","#88c0d0","#d08770","#a3be8c","#ebcb8b","#5e81ac"];
        const views = { ops: {}, topics: {} };
        let refreshes = 0;

        function el(tag, attrs, parent) {
          const e = document.createElementNS(NS, tag);
          for (const k in attrs) e.setAttribute(k, attrs[k]);
          if (parent) parent.appendChild(e);
          return e;
        }
        function label(parent, x, y, cls, s) { const t = el("text", { x, y, class: cls }, parent); t.textContent = s; return t; }
        function fmt(n) { return Math.round(n).toLocaleString("en-US"); }
        function fmtRate(r) { return r >= 100 ? fmt(r) : r.toFixed(1); }
        function fmtLag(s) {
          if (s === null || s === undefined) return "–";
          if (s < 1) return (s * 1000).toFixed(0) + " ms";
          if (s < 120) return s.toFixed(1) + " s";
          if (s < 7200) return (s / 60).toFixed(1) + " min";
          return (s / 3600).toFixed(1) + " h";
        }
        function setText(id, s) { const e = document.getElementById(id); if (e) e.textContent = s; }

        function layout(g) {
          const vertices = new Map(), order = [], edges = [];
          const roles = new Map(g.topics.map(t => [t.name, t.role]));
          const add = (id, v) => { if (!vertices.has(id)) { vertices.set(id, v); order.push(id); } };
          for (const n of g.nodes) {
            for (const t of n.sourceTopics) add("t:" + t, { kind: "topic", name: t, role: roles.get(t) || "input" });
            add("o:" + n.name, { kind: "op", name: n.name, node: n });
          }
          for (const n of g.nodes) {
            for (const t of n.sourceTopics) edges.push(["t:" + t, "o:" + n.name]);
            for (const c of n.children) edges.push(["o:" + n.name, "o:" + c]);
            if (n.sinkTopic) {
              add("t:" + n.sinkTopic, { kind: "topic", name: n.sinkTopic, role: roles.get(n.sinkTopic) || "output" });
              edges.push(["o:" + n.name, "t:" + n.sinkTopic]);
            }
          }
          const parents = new Map(order.map(id => [id, []]));
          for (const [a, b] of edges) if (parents.has(b)) parents.get(b).push(a);
          const layer = new Map();
          const depth = (id, seen) => {
            if (layer.has(id)) return layer.get(id);
            if (seen.has(id)) return 0;
            seen.add(id);
            let d = 0;
            for (const p of parents.get(id)) d = Math.max(d, depth(p, seen) + 1);
            layer.set(id, d);
            return d;
          };
          for (const id of order) depth(id, new Set());
          const columns = [];
          for (const id of order) { const l = layer.get(id); (columns[l] = columns[l] || []).push(id); }
          const row = new Map();
          columns.forEach((ids, l) => {
            if (l > 0) {
              const bary = id => { const ps = parents.get(id).filter(p => row.has(p)); return ps.length ? ps.reduce((s, p) => s + row.get(p), 0) / ps.length : 1e9; };
              ids.sort((a, b) => bary(a) - bary(b));
            }
            ids.forEach((id, i) => row.set(id, i));
          });
          const dlq = g.topics.find(t => t.role === "deadLetter");
          const rows = Math.max(1, ...columns.map(c => c.length)) + (dlq ? 1 : 0);
          const pos = new Map();
          for (const id of order) {
            const v = vertices.get(id), w = v.kind === "op" ? OW : TW, h = v.kind === "op" ? OH : TH;
            pos.set(id, { x: PAD + layer.get(id) * COL + (OW - w) / 2, y: PAD + 22 + row.get(id) * ROW + (OH - h) / 2, w, h });
          }
          if (dlq) {
            const id = "t:" + dlq.name;
            vertices.set(id, { kind: "topic", name: dlq.name, role: "deadLetter" });
            order.push(id);
            pos.set(id, { x: PAD + (columns.length - 1) * COL + (OW - TW) / 2, y: PAD + 22 + (rows - 1) * ROW, w: TW, h: TH });
          }
          return { vertices, order, edges, pos, width: PAD * 2 + columns.length * COL - (COL - OW), height: PAD + 22 + rows * ROW - (ROW - OH) + PAD / 2 };
        }

        function draw(g) {
          const svg = document.getElementById("graph");
          const L = layout(g);
          // Scaled to the page's width (never above natural size), so the whole graph is in view.
          svg.setAttribute("viewBox", `0 0 ${L.width} ${L.height}`);
          svg.style.width = "100%";
          svg.style.maxWidth = L.width + "px";
          svg.style.height = "auto";
          const defs = el("defs", {}, svg);
          const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
          el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#50606f" }, marker);
          for (const sub of g.subtopologies) {
            const ps = sub.nodes.map(n => L.pos.get("o:" + n)).filter(p => p);
            if (!ps.length) continue;
            const x0 = Math.min(...ps.map(p => p.x)) - 12, y0 = Math.min(...ps.map(p => p.y)) - 24;
            const x1 = Math.max(...ps.map(p => p.x + p.w)) + 12, y1 = Math.max(...ps.map(p => p.y + p.h)) + 10;
            const box = el("g", { class: "sub", "data-subtopology": sub.id }, svg);
            el("rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, rx: 10 }, box);
            label(box, x0 + 8, y0 + 15, "", "Sub-topology " + sub.id);
          }
          for (const [a, b] of L.edges) {
            const p = L.pos.get(a), q = L.pos.get(b);
            const x1 = p.x + p.w, y1 = p.y + p.h / 2, x2 = q.x - 2, y2 = q.y + q.h / 2, mx = (x1 + x2) / 2;
            el("path", { class: "edge", d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}` }, svg);
          }
          for (const id of L.order) {
            const v = L.vertices.get(id), p = L.pos.get(id);
            if (v.kind === "op") {
              const gr = el("g", { class: "op", "data-operator": v.name, "data-received": 0, "data-rate": 0 }, svg);
              el("rect", { x: p.x, y: p.y, width: p.w, height: p.h, rx: 7 }, gr);
              el("title", {}, gr).textContent = `${v.name} (${v.node.operation}, sub-topology ${v.node.subtopology})`;
              label(gr, p.x + 10, p.y + 18, "name", v.name.length > 26 ? v.name.slice(0, 25) + "…" : v.name);
              label(gr, p.x + 10, p.y + 33, "kind", v.node.operation);
              const rate = label(gr, p.x + 10, p.y + 55, "rate", "– rec/s");
              const lag = label(gr, p.x + p.w - 10, p.y + 55, "lag", "lag –");
              lag.setAttribute("text-anchor", "end");
              const counts = label(gr, p.x + 10, p.y + 76, "counts", "in 0 · out 0");
              views.ops[v.name] = { gr, rate, lag, counts };
            } else {
              const gr = el("g", { class: "topic" + (v.role === "deadLetter" ? " dlq" : ""), "data-topic": v.name }, svg);
              el("rect", { x: p.x, y: p.y, width: p.w, height: p.h, rx: p.h / 2 }, gr);
              label(gr, p.x + p.w / 2, p.y + 18, "name", v.name).setAttribute("text-anchor", "middle");
              const info = label(gr, p.x + p.w / 2, p.y + 34, "kind", v.role === "deadLetter" ? "dead letters" : v.role + " topic");
              info.setAttribute("text-anchor", "middle");
              views.topics[v.name] = { gr, info, role: v.role };
            }
          }
        }

        function updateGraph(s) {
          let dead = 0;
          for (const op of s.operators) {
            const v = views.ops[op.name];
            dead += op.deadLettered;
            if (!v) continue;
            v.gr.setAttribute("data-received", op.received);
            v.gr.setAttribute("data-rate", op.recordsPerSecond.toFixed(2));
            v.gr.setAttribute("data-lag-seconds", op.eventTimeLagSeconds === null || op.eventTimeLagSeconds === undefined ? "" : op.eventTimeLagSeconds.toFixed(3));
            v.gr.classList.toggle("busy", op.recordsPerSecond > 0);
            v.rate.textContent = fmtRate(op.recordsPerSecond) + " rec/s";
            v.lag.textContent = "lag " + fmtLag(op.eventTimeLagSeconds);
            let counts = `in ${fmt(op.received)} · out ${fmt(op.forwarded)}`;
            if (op.filtered) counts += ` · filtered ${fmt(op.filtered)}`;
            if (op.deadLettered) counts += ` · dlq ${fmt(op.deadLettered)}`;
            v.counts.textContent = counts;
          }
          const lagByTopic = {};
          for (const p of s.partitions) lagByTopic[p.topic] = (lagByTopic[p.topic] || 0) + p.lag;
          for (const name in views.topics) {
            const t = views.topics[name];
            if (t.role === "deadLetter") t.info.textContent = `dead letters: ${fmt(dead)}`;
            else if (name in lagByTopic) t.info.textContent = `${t.role} topic · lag ${fmt(lagByTopic[name])}`;
          }
        }

        function updateChart(s) {
          const svg = document.getElementById("lag-chart");
          while (svg.firstChild) svg.removeChild(svg.firstChild);
          const legend = document.getElementById("lag-legend");
          legend.textContent = "";
          const W = 720, H = 260, L = 56, R = 12, T = 12, B = 28;
          const now = s.sampledAt, span = Math.max(60000, ...s.lagHistory.map(h => h.points.length ? now - h.points[0][0] : 0));
          const max = Math.max(10, ...s.lagHistory.flatMap(h => h.points.map(p => p[1]))) * 1.1;
          const x = t => L + (W - L - R) * (1 - (now - t) / span), y = v => H - B - (H - T - B) * v / max;
          el("line", { class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }, svg);
          el("line", { class: "axis", x1: L, y1: T, x2: L, y2: H - B }, svg);
          for (const f of [0, 0.5, 1]) {
            label(svg, L - 6, y(max / 1.1 * f) + 4, "", fmt(max / 1.1 * f)).setAttribute("text-anchor", "end");
            label(svg, L + (W - L - R) * f, H - 8, "", f === 1 ? "now" : "-" + fmtLag(span * (1 - f) / 1000)).setAttribute("text-anchor", "middle");
          }
          s.lagHistory.forEach((h, i) => {
            const color = COLORS[i % COLORS.length];
            if (h.points.length) {
              el("polyline", { fill: "none", stroke: color, "stroke-width": 2, "data-partition": `${h.topic}[${h.partition}]`,
                points: h.points.map(p => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(" ") }, svg);
            }
            const item = document.createElement("span");
            const sw = document.createElement("i");
            sw.style.background = color;
            item.appendChild(sw);
            const last = h.points.length ? h.points[h.points.length - 1][1] : 0;
            item.appendChild(document.createTextNode(`${h.topic}[${h.partition}] ${fmt(last)}`));
            legend.appendChild(item);
          });
        }

        function fillTable(id, rows) {
          const body = document.querySelector(`#${id} tbody`) || document.getElementById(id);
          body.textContent = "";
          for (const cells of rows) {
            const tr = document.createElement("tr");
            for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.appendChild(td); }
            body.appendChild(tr);
          }
        }

        function update(s) {
          setText("state", s.state);
          setText("instance", s.instanceID);
          setText("tasks", s.tasks.length ? s.tasks.join(" ") : "none");
          setText("commits", fmt(s.commits));
          setText("rebalances", fmt(s.rebalances));
          setText("errors", `${fmt(s.consumerErrors)} consumer · ${fmt(s.producerErrors)} producer`);
          setText("lost", fmt(s.lostRecords));
          setText("updated", new Date(s.sampledAt).toLocaleTimeString());
          updateGraph(s);
          updateChart(s);
          fillTable("operators", s.operators.map(o => [o.name, o.operation, o.subtopology, fmt(o.received), fmt(o.forwarded),
            fmt(o.filtered), fmt(o.deadLettered), fmtRate(o.recordsPerSecond), fmtLag(o.eventTimeLagSeconds)]));
          fillTable("partitions", s.partitions.map(p => [p.topic, p.partition, p.committedOffset === null || p.committedOffset === undefined ? "–" : fmt(p.committedOffset), fmt(p.endOffset), fmt(p.lag)]));
          const restores = document.getElementById("restores");
          restores.hidden = !s.restoreProgress.length;
          fillTable("restore-rows", s.restoreProgress.map(r => [r.store, r.task, fmt(r.restored), fmt(r.total)]));
          const failure = document.getElementById("failure");
          failure.hidden = !s.failure;
          failure.textContent = s.failure ? "Worker failed: " + s.failure : "";
          refreshes += 1;
          document.body.setAttribute("data-refreshes", refreshes);
        }

        async function refresh() {
          try {
            const r = await fetch("/api/status", { cache: "no-store" });
            if (!r.ok) throw new Error(r.status);
            update(await r.json());
          } catch (e) {
            setText("state", "unreachable");
          }
        }

        async function start() {
          try {
            const r = await fetch("/api/topology", { cache: "no-store" });
            draw(await r.json());
            document.body.setAttribute("data-topology", "drawn");
          } catch (e) {
            setText("state", "no topology: " + e);
          }
          await refresh();
          setInterval(refresh, 1000);
        }
        start();
        """#
}
