public import SluiceOperators
public import SluiceTopology
import Synchronization

/// Interactive queries of a worker's state stores (DESIGN.md §5), answered by the worker that owns
/// the key, without ever touching a store from outside its stream thread.
///
/// A key's partition is Kafka's default choice, `murmur2(key bytes) % partitions` of the store's
/// sub-topology (the store key is the record key its input was partitioned by). When a task of this
/// worker holds that partition, the query goes to the task's stream thread through its mailbox and
/// is answered between two micro-batches; otherwise the registry (`PeerDirectory`) names the worker
/// that holds it, and the answer sends the client there (307 with its advertised URL).
///
/// Key ranges read every partition: this worker answers the partitions it holds and names the
/// workers holding the others (`elsewhere`, each with the link that asks it for exactly those),
/// like Kafka Streams, whose range queries read local stores only.
public final class InteractiveQueries: Sendable {
    public let plan: TopologyPlan
    let state: WorkerState
    let observability: WorkerObservability
    /// Partitions per sub-topology, known once the worker started.
    private let partitionCounts = Mutex<[Int]?>(nil)
    /// How long a query waits for a stream thread (one busy with a long commit step, say).
    let timeout: Duration

    init(plan: TopologyPlan, state: WorkerState, observability: WorkerObservability, timeout: Duration = .seconds(10)) {
        self.plan = plan
        self.state = state
        self.observability = observability
        self.timeout = timeout
    }

    func start(partitions: [Int]) { partitionCounts.withLock { $0 = partitions } }

    /// `GET /stores`: the queryable stores, their layouts and key formats.
    public func stores() -> QueryResponse {
        let counts = partitionCounts.withLock { $0 }
        let list = plan.queryableStores.values.sorted { $0.name < $1.name }.map { s in
            var fields: [(String, String)] = [
                ("name", QueryJSON.string(s.name)), ("type", QueryJSON.string(s.layout.description)),
                ("keyFormat", QueryJSON.string(s.codec.keyFormat)), ("keyType", QueryJSON.string(s.codec.keyType)),
                ("valueType", QueryJSON.string(s.codec.valueType)), ("subtopology", String(s.subtopology)),
            ]
            if case .window(let size) = s.layout { fields.append(("windowSize", String(size))) }
            if let n = counts?[s.subtopology] { fields.append(("partitions", String(n))) }
            return QueryJSON.object(fields)
        }
        return .ok([("application", QueryJSON.string(plan.applicationID)), ("instance", QueryJSON.string(observability.instanceID)), ("stores", QueryJSON.array(list))])
    }

    /// `GET /stores/NAME/KEY` (`key` set) or `GET /stores/NAME` (a key range).
    /// - Parameters:
    ///   - key: the key as text, percent-decoded (see `StoreQueryCodec` for the forms per key type).
    ///   - parameters: the decoded query string: `from`, `to` (times for window and session
    ///     stores, keys for ranges), `prefix`, `limit`, `partitions`.
    ///   - pathAndQuery: the request's path and query as received, for the redirect to the owner.
    public func query(store name: String, key: String?, parameters: [(String, String)], pathAndQuery: String) async -> QueryResponse {
        guard let store = plan.queryableStores[name] else { return unknownStore(name) }
        guard let counts = partitionCounts.withLock({ $0 }), store.subtopology < counts.count else {
            return .error(503, "the worker has not started yet", retryAfter: 1)
        }
        let params: QueryParameters
        do {
            params = try QueryParameters(parameters)
        } catch {
            return .error(400, error.description)
        }
        if let key {
            return await keyQuery(store, key, params, partitions: counts[store.subtopology], pathAndQuery: pathAndQuery)
        }
        return await rangeQuery(store, params, partitions: counts[store.subtopology])
    }

    private func unknownStore(_ name: String) -> QueryResponse {
        let known = plan.queryableStores.keys.sorted()
        let list = known.isEmpty ? "it has none" : "its queryable stores are \(known.joined(separator: ", "))"
        if plan.stores.contains(where: { $0.spec.name == name }) {
            return .error(404, "store \(name) of \(plan.applicationID) is a suppression buffer, internal to the topology; \(list)")
        }
        return .error(404, "\(plan.applicationID) has no store named \(name); \(list)")
    }

    // MARK: One key

    private func keyQuery(
        _ store: QueryableStore, _ text: String, _ params: QueryParameters, partitions: Int, pathAndQuery: String
    ) async -> QueryResponse {
        let key: [UInt8]
        let query: StoreQuery
        do {
            key = try store.codec.keyBytes(fromText: text)
        } catch {
            return .error(400, "bad key for store \(store.name), whose keys are \(store.codec.keyType) (\(store.codec.keyFormat) in a URL): \(error)")
        }
        if params.prefix != nil || params.partitions != nil {
            return .error(400, "prefix and partitions are for key ranges (/stores/\(store.name)?prefix=...), not for one key")
        }
        do {
            switch store.layout {
            case .keyValue:
                guard params.from == nil, params.to == nil else {
                    return .error(
                        400,
                        "from and to are times, for window and session stores; \(store.name) is a key-value store: "
                            + "ask /stores/\(store.name)/KEY for one key, or /stores/\(store.name)?from=A&to=B for a key range")
                }
                query = .get(key: key)
            case .window:
                query = .windows(key: key, from: try QueryParameters.time(params.from, "from") ?? .min, to: try QueryParameters.time(params.to, "to") ?? .max)
            case .session:
                query = .sessions(key: key, from: try QueryParameters.time(params.from, "from") ?? .min, to: try QueryParameters.time(params.to, "to") ?? .max)
            }
        } catch {
            return .error(400, error.description)
        }
        let partition = KafkaPartitioner.partition(forKey: key, partitions: partitions)
        let task = TaskID(subtopology: store.subtopology, partition: partition)
        let place: [(String, String)] = [("store", QueryJSON.string(store.name)), ("partition", String(partition))]
        if let thread = state.thread(holding: task) {
            switch await ask(thread, store, [partition], query) {
            case .answers(let answers):
                switch answers.first ?? .notHere {
                case .rows(let rows):
                    return answer(store, query, rows, partition: partition, text: text)
                case .restoring(let restored, let total):
                    return .error(
                        503, "partition \(partition) of store \(store.name) is restoring on this worker", place + [("restore", progress(restored, total))],
                        retryAfter: 1)
                case .failed(let reason):
                    return .error(500, "store \(store.name) could not answer: \(reason)", place)
                case .notHere:
                    break  // it moved meanwhile: ask the registry.
                }
            case .busy:
                return .error(503, "the stream thread is busy with other queries, or stopping; try again", place, retryAfter: 1)
            case .timedOut:
                return .error(503, "the stream thread did not answer within \(timeout)", place, retryAfter: 1)
            }
        }
        return redirect(store, task, place, pathAndQuery: pathAndQuery, what: "key \(text)")
    }

    private func answer(_ store: QueryableStore, _ query: StoreQuery, _ rows: StoreRows, partition: Int32, text: String) -> QueryResponse {
        let fields: [(String, String)]
        do {
            fields = try StoreAnswerJSON.fields(store: store, query: query, rows: rows)
        } catch {
            return .error(500, "store \(store.name) holds bytes its serdes cannot read: \(error)")
        }
        let here: [(String, String)] = [("partition", String(partition)), ("instance", QueryJSON.string(observability.instanceID))]
        if case .get = query, rows.rows.isEmpty {
            return QueryResponse(status: 404, body: QueryJSON.object([("error", QueryJSON.string("store \(store.name) has no value for key \(text)"))] + fields + here))
        }
        return .ok(fields + here)
    }

    /// The answer for a task this worker does not hold: the live worker that does, or 503.
    private func redirect(_ store: QueryableStore, _ task: TaskID, _ place: [(String, String)], pathAndQuery: String, what: String) -> QueryResponse {
        guard let (owner, _) = observability.peers.owner(of: task, excluding: observability.instanceID) else {
            return .error(
                503, "no live worker holds partition \(task.partition) of store \(store.name) (the group may be rebalancing)", place,
                retryAfter: 1)
        }
        let ownerFields: [(String, String)] = [("instance", QueryJSON.string(owner.instanceID)), ("url", owner.url.map(QueryJSON.string) ?? "null")]
        guard let url = owner.url else {
            return .error(
                503, "worker \(owner.instanceID) holds partition \(task.partition) of store \(store.name) but advertises no URL (see --advertised-url)",
                place + [("owner", QueryJSON.object(ownerFields))], retryAfter: 5)
        }
        let location = (url.hasSuffix("/") ? String(url.dropLast()) : url) + pathAndQuery
        var response = QueryResponse.error(
            307, "\(what) of store \(store.name) is on partition \(task.partition), held by worker \(owner.instanceID)",
            place + [("owner", QueryJSON.object(ownerFields)), ("location", QueryJSON.string(location))])
        response.location = location
        return response
    }

    private func progress(_ restored: Int64, _ total: Int64) -> String {
        QueryJSON.object([("restored", String(restored)), ("total", String(total))])
    }

    // MARK: Key ranges

    private func rangeQuery(_ store: QueryableStore, _ params: QueryParameters, partitions count: Int) async -> QueryResponse {
        guard store.layout == .keyValue else {
            return .error(
                400,
                "store \(store.name) is a \(store.layout) store, read one key at a time: /stores/\(store.name)/KEY?from=T1&to=T2 (times); "
                    + "key ranges are for key-value stores")
        }
        let range: KeyRange
        do {
            if let prefix = params.prefix {
                guard params.from == nil, params.to == nil else { return .error(400, "a query takes a prefix or a from/to range, not both") }
                range = .prefix(try store.codec.keyBytes(fromText: prefix))
            } else {
                range = .closed(from: try params.from.map(store.codec.keyBytes(fromText:)), to: try params.to.map(store.codec.keyBytes(fromText:)))
            }
        } catch {
            return .error(400, "bad key for store \(store.name), whose keys are \(store.codec.keyType) (\(store.codec.keyFormat) in a URL): \(error)")
        }
        let requested = params.partitions ?? (0..<Int32(count)).map { $0 }
        if let bad = requested.first(where: { $0 >= count }) {
            return .error(400, "store \(store.name) has partitions 0 to \(count - 1), not \(bad)")
        }
        let answers = await askLocal(store, Set(requested), .range(range, limit: params.limit))

        var rows: [StoreRows.Row] = []
        var truncated = false
        var answered: [Int32] = []
        var elsewhere: [String: (worker: WorkerHeartbeat, partitions: [Int32])] = [:]
        var unavailable: [String] = []
        for p in requested.sorted() {
            switch answers[p] ?? .notHere {
            case .rows(let r):
                answered.append(p)
                rows += r.rows
                truncated = truncated || r.truncated
            case .restoring(let restored, let total):
                unavailable.append(QueryJSON.object([("partition", String(p)), ("reason", QueryJSON.string("restoring")), ("restore", progress(restored, total))]))
            case .failed(let reason):
                unavailable.append(QueryJSON.object([("partition", String(p)), ("reason", QueryJSON.string(reason))]))
            case .notHere:
                if let (owner, _) = observability.peers.owner(of: TaskID(subtopology: store.subtopology, partition: p), excluding: observability.instanceID) {
                    elsewhere[owner.instanceID, default: (owner, [])].partitions.append(p)
                } else {
                    unavailable.append(QueryJSON.object([("partition", String(p)), ("reason", QueryJSON.string("no live worker holds it"))]))
                }
            }
        }
        rows.sort { ($0.key ?? []).lexicographicallyPrecedes($1.key ?? []) }
        if rows.count > params.limit {
            rows.removeSubrange(params.limit...)
            truncated = true
        }
        var fields: [(String, String)]
        do {
            fields = try StoreAnswerJSON.fields(store: store, query: .range(range, limit: params.limit), rows: StoreRows(rows: rows, truncated: truncated))
        } catch {
            return .error(500, "store \(store.name) holds bytes its serdes cannot read: \(error)")
        }
        let others = elsewhere.values.sorted { $0.worker.instanceID < $1.worker.instanceID }.map { w, ps in
            let base = w.url.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            return QueryJSON.object([
                ("instance", QueryJSON.string(w.instanceID)), ("url", w.url.map(QueryJSON.string) ?? "null"),
                ("partitions", QueryJSON.array(ps.map(String.init))),
                ("query", base.map { QueryJSON.string("\($0)/stores/\(store.name)?\(params.queryString(partitions: ps))") } ?? "null"),
            ])
        }
        fields += [
            ("partitions", QueryJSON.array(answered.map(String.init))), ("elsewhere", QueryJSON.array(others)),
            ("unavailable", QueryJSON.array(unavailable)), ("complete", others.isEmpty && unavailable.isEmpty ? "true" : "false"),
            ("instance", QueryJSON.string(observability.instanceID)),
        ]
        return .ok(fields)
    }

    /// Asks each stream thread holding some of `partitions` for its part, all at once.
    private func askLocal(_ store: QueryableStore, _ partitions: Set<Int32>, _ query: StoreQuery) async -> [Int32: PartitionAnswer] {
        let held = state.partitions(of: store.subtopology).mapValues { $0.filter(partitions.contains) }.filter { !$0.value.isEmpty }
        return await withTaskGroup(of: [(Int32, PartitionAnswer)].self) { group in
            for (thread, mine) in held {
                group.addTask {
                    switch await self.ask(thread, store, mine, query) {
                    case .answers(let answers): Array(zip(mine, answers))
                    case .busy: mine.map { ($0, .failed("the stream thread is busy with other queries, or stopping")) }
                    case .timedOut: mine.map { ($0, .failed("the stream thread did not answer within \(self.timeout)")) }
                    }
                }
            }
            var all: [Int32: PartitionAnswer] = [:]
            for await part in group { for (p, a) in part { all[p] = a } }
            return all
        }
    }

    private enum Asked {
        case answers([PartitionAnswer])
        case busy
        case timedOut
    }

    /// Posts a query to a stream thread's mailbox and waits for its answers.
    private func ask(_ thread: Int, _ store: QueryableStore, _ partitions: [Int32], _ query: StoreQuery) async -> Asked {
        guard state.queries.indices.contains(thread) else { return .answers(partitions.map { _ in .notHere }) }
        let reply = QueryReply()
        guard state.queries[thread].post(QueryMailbox.Request(store: store, partitions: partitions, query: query, reply: reply)) else {
            return .busy
        }
        guard let answers = await reply.wait(timeout: timeout), answers.count == partitions.count else { return .timedOut }
        return .answers(answers)
    }
}
