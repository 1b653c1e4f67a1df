internal import CRdKafka

extension RDKafkaClient {
    /// All topics the cluster knows, from one Metadata request (which never auto-creates topics).
    func topicMetadata(timeout: Duration) throws(KafkaError) -> [TopicDescription] {
        var md: UnsafePointer<rd_kafka_metadata>?
        try rdCheck(.metadata, "metadata") { rd_kafka_metadata(handle, 1, nil, &md, timeout.milliseconds) }
        guard let md else { return [] }
        defer { rd_kafka_metadata_destroy(md) }
        var result: [TopicDescription] = []
        for t in UnsafeBufferPointer(start: md.pointee.topics, count: Int(md.pointee.topic_cnt)) {
            if t.err != RD_KAFKA_RESP_ERR_NO_ERROR { continue }
            let parts = UnsafeBufferPointer(start: t.partitions, count: Int(t.partition_cnt)).map { p in
                TopicDescription.Partition(
                    id: p.id, leader: p.leader,
                    replicas: Array(UnsafeBufferPointer(start: p.replicas, count: Int(p.replica_cnt))),
                    inSyncReplicas: Array(UnsafeBufferPointer(start: p.isrs, count: Int(p.isr_cnt))))
            }
            result.append(TopicDescription(name: String(cString: t.topic), partitions: parts.sorted { $0.id < $1.id }))
        }
        return result.sorted { $0.name < $1.name }
    }

    /// The cluster id the brokers report; the embedded broker's starts with `mockCluster`.
    func clusterID(timeout: Duration) throws(KafkaError) -> String {
        guard let id = rd_kafka_clusterid(handle, timeout.milliseconds) else {
            // rd_kafka_clusterid returns NULL both on timeout and when brokers are unreachable.
            throw KafkaError(
                .timedOut, reason: "no broker answered within \(timeout) (is the bootstrap address right?)",
                rdKafkaCode: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, isRetriable: true)
        }
        defer { rd_kafka_mem_free(handle, id) }
        return String(cString: id)
    }
}

extension KafkaError {
    /// librdkafka's code for an error name such as `NOT_LEADER_FOR_PARTITION` or `_TRANSPORT`.
    public static func rdKafkaCode(named name: String) -> Int32? {
        var descs: UnsafePointer<rd_kafka_err_desc>?
        var count = 0
        rd_kafka_get_err_descs(&descs, &count)
        guard let descs else { return nil }
        let wanted = name.uppercased()
        for d in UnsafeBufferPointer(start: descs, count: count) {
            guard let n = d.name else { continue }
            let s = String(cString: n)
            if s == wanted || (s.hasPrefix("_") && String(s.dropFirst()) == wanted && wanted != "") {
                return d.code.rawValue
            }
        }
        return nil
    }
}
