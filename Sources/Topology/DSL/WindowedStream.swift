/// A grouped stream cut into time windows (Kafka Streams' `TimeWindowedKStream`): aggregates per
/// key and window into a table keyed by `Windowed<Key>`.
///
/// A record later than its window's end plus grace (by the task's stream time) is not aggregated:
/// it goes to the dead-letter topic with reason `late`, and is counted.
public struct WindowedStream<Key, Value>: Sendable {
    enum Kind: Sendable {
        case time(TimeWindows)
        case sliding(SlidingWindows)
    }

    let grouped: GroupedStream<Key, Value>
    let windows: Kind
    var emit: EmitStrategy = .onWindowUpdate

    /// When the aggregation forwards its results: every update (the default), or each window's
    /// final result once, when it closes. Tumbling and hopping windows, and sessions
    /// (`SessionWindowedStream.emitStrategy`); not sliding windows.
    ///
    /// ```swift
    /// clicks.groupByKey().windowedBy(.tumbling(.minutes(1))).emitStrategy(.onWindowClose)
    ///     .count(named: "clicks-per-minute")
    ///     .toStream()
    /// ```
    public func emitStrategy(_ strategy: EmitStrategy) -> WindowedStream {
        var copy = self
        copy.emit = strategy
        return copy
    }

    public func count(named name: String) -> Table<Windowed<Key>, Int64> {
        aggregating(name, operation: "count", serde: Int64Serde()) { _, _, count in (count ?? 0) + 1 }
    }

    public func reduce(named name: String, _ reducer: @escaping @Sendable (Value, Value) throws -> Value) -> Table<Windowed<Key>, Value> {
        aggregating(name, operation: "reduce", serde: grouped.stream.node.valueSerde) { _, value, current in
            try current.map { try reducer($0, value) } ?? value
        }
    }

    public func aggregate<A>(
        named name: String, serde: some Serde<A>, initializer: @escaping @Sendable () -> A,
        _ adder: @escaping @Sendable (Key, Value, A) throws -> A
    ) -> Table<Windowed<Key>, A> {
        aggregating(name, operation: "aggregate", serde: serde) { key, value, current in
            try adder(key, value, current ?? initializer())
        }
    }

    private func aggregating<A>(
        _ name: String, operation: String, serde: (any Serde<A>)?,
        _ aggregator: @escaping @Sendable (Key, Value, A?) throws -> A
    ) -> Table<Windowed<Key>, A> {
        let input = grouped.prepared(name)
        let keySerde = input.node.keySerde
        let kind: StoreSpec.Kind
        let isClosed: @Sendable (Window, Int64) -> Bool
        var problems = missingSerdes(key: keySerde, value: serde)
        switch windows {
        case .time(let w):
            kind = .timeOrderedWindow(retention: w.size + w.grace)
            isClosed = { w.isClosed($0, streamTime: $1) }
            problems += w.problems
        case .sliding(let w):
            kind = .window(retention: 2 * w.timeDifference + w.grace)
            isClosed = { w.isClosed($0, streamTime: $1) }
            if w.timeDifference <= 0 { problems.append("the time difference must be positive") }
            if emit == .onWindowClose { problems.append("emitStrategy(.onWindowClose) takes tumbling or hopping windows, not sliding ones") }
        }
        let spec = StoreSpec(name: name, kind: kind)
        let node = StatefulNode<Windowed<Key>, Change<A>>(
            operation: "windowed-" + operation, explicitName: name, parents: [input.node],
            keySerde: keySerde.map { WindowedSerde(AnySerde($0)) }, valueSerde: nil, stores: [spec])
        node.problems = problems
        if let keySerde, let serde {
            let size: Int64 =
                switch windows {
                case .time(let w): w.size
                case .sliding(let w): w.timeDifference
                }
            node.query = (.window(size: size), StoreQueryCodec(key: keySerde, value: serde))
        }
        let windows = self.windows
        let emit = self.emit
        input.node.connect(node) { task in
            switch windows {
            case .time(let w):
                task.factory.windowedAggregate(
                    node.info, store: spec, windows: w, emit: emit, key: keySerde!, aggregate: serde!, aggregator,
                    downstream: node.downstream(task))
            case .sliding(let w):
                task.factory.slidingAggregate(
                    node.info, store: spec, windows: w, key: keySerde!, aggregate: serde!, aggregator,
                    downstream: node.downstream(task))
            }
        }
        return Table(node: node, valueSerde: serde, windowClose: isClosed, emitsFinal: emit == .onWindowClose)
    }
}

/// A grouped stream cut into sessions of activity (Kafka Streams' `SessionWindowedKStream`).
/// When a record joins sessions together, the merged sessions are deleted (their keys are
/// forwarded as deletions) and one session replaces them.
public struct SessionWindowedStream<Key, Value>: Sendable {
    let grouped: GroupedStream<Key, Value>
    let windows: SessionWindows
    var emit: EmitStrategy = .onWindowUpdate

    /// When the aggregation forwards its results: every update, with the merged sessions' deletions
    /// (the default), or each session's final result once, when its end plus gap plus grace falls
    /// behind stream time.
    ///
    /// A record in time within a gap of a session already emitted joins only the sessions still
    /// open: Kafka Streams would merge it with the emitted one and emit the merged session as well.
    public func emitStrategy(_ strategy: EmitStrategy) -> SessionWindowedStream {
        var copy = self
        copy.emit = strategy
        return copy
    }

    public func count(named name: String) -> Table<Windowed<Key>, Int64> {
        aggregating(name, operation: "count", serde: Int64Serde(), { _, _, count in (count ?? 0) + 1 }, merger: { _, a, b in a + b })
    }

    public func reduce(named name: String, _ reducer: @escaping @Sendable (Value, Value) throws -> Value) -> Table<Windowed<Key>, Value> {
        aggregating(
            name, operation: "reduce", serde: grouped.stream.node.valueSerde,
            { _, value, current in try current.map { try reducer($0, value) } ?? value },
            merger: { _, a, b in try reducer(a, b) })
    }

    /// - Parameter merger: combines the aggregates of two sessions that a record joins.
    public func aggregate<A>(
        named name: String, serde: some Serde<A>, initializer: @escaping @Sendable () -> A,
        _ adder: @escaping @Sendable (Key, Value, A) throws -> A, merger: @escaping @Sendable (Key, A, A) throws -> A
    ) -> Table<Windowed<Key>, A> {
        aggregating(name, operation: "aggregate", serde: serde, { key, value, current in try adder(key, value, current ?? initializer()) }, merger: merger)
    }

    private func aggregating<A>(
        _ name: String, operation: String, serde: (any Serde<A>)?,
        _ aggregator: @escaping @Sendable (Key, Value, A?) throws -> A, merger: @escaping @Sendable (Key, A, A) throws -> A
    ) -> Table<Windowed<Key>, A> {
        let input = grouped.prepared(name)
        let keySerde = input.node.keySerde
        let windows = self.windows
        let emit = self.emit
        let spec = StoreSpec(name: name, kind: .session(retention: windows.gap + windows.grace))
        let node = StatefulNode<Windowed<Key>, Change<A>>(
            operation: "session-" + operation, explicitName: name, parents: [input.node],
            keySerde: keySerde.map { WindowedSerde(AnySerde($0)) }, valueSerde: nil, stores: [spec])
        node.problems = missingSerdes(key: keySerde, value: serde)
        if windows.gap <= 0 { node.problems.append("the inactivity gap must be positive") }
        if let keySerde, let serde { node.query = (.session, StoreQueryCodec(key: keySerde, value: serde)) }
        input.node.connect(node) { task in
            task.factory.sessionAggregate(
                node.info, store: spec, windows: windows, emit: emit, key: keySerde!, aggregate: serde!, aggregator, merger: merger,
                downstream: node.downstream(task))
        }
        return Table(node: node, valueSerde: serde, windowClose: { windows.isClosed($0, streamTime: $1) }, emitsFinal: emit == .onWindowClose)
    }
}

/// A type-erased serde, for wrapping an `any Serde<V>` where a concrete serde type is needed.
public struct AnySerde<Value>: Serde {
    let base: any Serde<Value>
    public init(_ base: any Serde<Value>) { self.base = base }
    public func serialize(_ value: Value, into buffer: inout [UInt8]) throws -> Bool { try base.serialize(value, into: &buffer) }
    public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> Value { try base.deserialize(bytes) }
    public func makeRecycler() -> (any SerdeRecycler<Value>)? { base.makeRecycler() }
    public func withSerialized<R>(_ value: Value, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        try base.withSerialized(value, scratch: &scratch, body)
    }
}
