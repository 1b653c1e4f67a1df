/// A typed stream of records, as Kafka Streams' `KStream`: the DSL's main value.
///
/// A `Stream` describes; it runs nothing. Declare it in a topology's `body` and end each pipeline
/// in a sink:
///
/// ```swift
/// Stream("clicks", key: .string, value: .json(Click.self))
///     .filter { _, click in !click.isBot }
///     .mapValues { click in CleanClick(click) }
///     .to("clean-clicks", value: .json())
/// ```
public struct Stream<Key, Value>: Sendable {
    let node: StreamNode<Key, Value>

    init(node: StreamNode<Key, Value>) { self.node = node }

    /// Reads `topic`.
    /// - Parameters:
    ///   - timestamp: event time from the record, given its key, value and Kafka timestamp;
    ///     by default the Kafka timestamp.
    ///   - name: the source's name in the plan; by default derived from the topic.
    public init(
        _ topic: String, key: some Serde<Key>, value: some Serde<Value>, named name: String? = nil,
        timestamp: (@Sendable (Key, Value, Int64) -> Int64)? = nil
    ) {
        self.init([topic], key: key, value: value, named: name, timestamp: timestamp)
    }

    /// Reads several topics as one stream.
    public init(
        _ topics: [String], key: some Serde<Key>, value: some Serde<Value>, named name: String? = nil,
        timestamp: (@Sendable (Key, Value, Int64) -> Int64)? = nil
    ) {
        node = SourceNode(topics: topics, explicitName: name, keySerde: key, valueSerde: value, timestamp: timestamp)
    }

    /// Adds an operator node fed by this stream.
    func adding<K2, V2>(
        _ operation: String, named name: String?, keySerde: (any Serde<K2>)?, valueSerde: (any Serde<V2>)?,
        changesKey: Bool = false,
        _ build: @escaping (NodeInfo, TaskBuild, any Processor<K2, V2>) -> any Processor<Key, Value>
    ) -> Stream<K2, V2> {
        let child = StreamNode<K2, V2>(
            operation: operation, explicitName: name, parents: [node], keySerde: keySerde, valueSerde: valueSerde)
        child.keyChanged = changesKey || node.keyChanged
        node.connect(child) { task in build(child.info, task, child.downstream(task)) }
        return Stream<K2, V2>(node: child)
    }
}

/// Carries a serde over when an operator keeps the type (e.g. `mapValues` from `Click` to `Click`).
/// Runs once, while the topology is declared.
func carried<Old, New>(_ serde: (any Serde<Old>)?, to: New.Type) -> (any Serde<New>)? {
    serde as? any Serde<New>
}
