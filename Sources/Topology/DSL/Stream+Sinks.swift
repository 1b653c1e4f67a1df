/// A finished pipeline: what a topology's body is made of.
public struct Pipeline: Sendable {
    let terminals: [LogicalNode]
}

/// Writes `.json()` where the value type is `Codable`: `to("topic", value: .json)`.
public enum JSONShorthand: Sendable { case json }

extension Stream {
    /// Writes each record to `topic`, with the serdes this stream already knows.
    /// Keyed records go to the partition Kafka's Java client would choose (murmur2 of the key).
    public func to(_ topic: String, named name: String? = nil) -> Pipeline {
        sink(.topic(topic), name, node.keySerde, node.valueSerde)
    }

    public func to(_ topic: String, value: some Serde<Value>, named name: String? = nil) -> Pipeline {
        sink(.topic(topic), name, node.keySerde, value)
    }

    public func to(_ topic: String, key: some Serde<Key>, named name: String? = nil) -> Pipeline {
        sink(.topic(topic), name, key, node.valueSerde)
    }

    public func to(_ topic: String, key: some Serde<Key>, value: some Serde<Value>, named name: String? = nil) -> Pipeline {
        sink(.topic(topic), name, key, value)
    }

    /// Writes each record to the topic `chooser` names for it (the topics must exist, or be
    /// auto-created by the broker).
    public func to(
        named name: String? = nil, key: (any Serde<Key>)? = nil, value: (any Serde<Value>)? = nil,
        topic chooser: @escaping @Sendable (Key, Value) throws -> String
    ) -> Pipeline {
        sink(.dynamic, name, key ?? node.keySerde, value ?? node.valueSerde, chooser)
    }

    /// Runs `action` for each record; ends the pipeline.
    public func foreach(named name: String? = nil, _ action: @escaping @Sendable (Key, Value) throws -> Void) -> Pipeline {
        let end = ForeachNode<Key, Value>(
            operation: "foreach", explicitName: name, parents: [node], keySerde: node.keySerde, valueSerde: node.valueSerde)
        node.connect(end) { task in task.factory.peek(end.info, action, downstream: nil) }
        return Pipeline(terminals: [end])
    }

    /// Writes through the internal topic `<applicationID>-<name>-repartition` and reads it back, so
    /// that records are partitioned by their current key; a new sub-topology starts after it.
    /// - Parameters:
    ///   - name: required: it names the topic, which must stay the same across versions.
    ///   - partitions: the topic's partition count; by default that of the sub-topology's input.
    public func repartition(
        named name: String, partitions: Int? = nil, key: (any Serde<Key>)? = nil, value: (any Serde<Value>)? = nil
    ) -> Stream {
        let keySerde = key ?? node.keySerde
        let valueSerde = value ?? node.valueSerde
        let sinkNode = SinkNode<Key, Value>(
            target: .internal("\(name)-repartition"), explicitName: "\(name)-repartition-sink", parent: node,
            keySerde: keySerde, valueSerde: valueSerde, repartition: true)
        node.connect(sinkNode) { task in sinkNode.build(task) }
        let source = SourceNode<Key, Value>(
            topics: [], internalTopic: "\(name)-repartition", partitions: partitions, explicitName: "\(name)-repartition-source",
            keySerde: keySerde, valueSerde: valueSerde, timestamp: nil, repartition: true)
        source.feeder = sinkNode
        return Stream(node: source)
    }

    private func sink(
        _ target: SinkTarget, _ name: String?, _ key: (any Serde<Key>)?, _ value: (any Serde<Value>)?,
        _ chooser: (@Sendable (Key, Value) throws -> String)? = nil
    ) -> Pipeline {
        let end = SinkNode<Key, Value>(
            target: target, explicitName: name, parent: node, keySerde: key, valueSerde: value, topicChooser: chooser)
        node.connect(end) { task in end.build(task) }
        return Pipeline(terminals: [end])
    }
}

extension Stream where Value: Codable & Sendable {
    /// Writes each record to `topic` as JSON.
    public func to(_ topic: String, value: JSONShorthand, named name: String? = nil) -> Pipeline {
        to(topic, value: JSONSerde<Value>(), named: name)
    }
}
