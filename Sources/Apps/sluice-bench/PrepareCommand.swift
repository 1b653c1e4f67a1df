import ArgumentParser
import Sluice

/// `sluice-bench prepare`: writes the bench input to a running broker (`sluice broker`), so one
/// row can be run alone under a profiler: `perf record -g sluice-bench topology passthrough ...`.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prepare", abstract: "Write the bench input to a broker.")

    @Argument var bootstrap: String
    @Option var records = 1_000_000
    @Option var topic = "bench-input"

    func run() throws {
        let admin = try KafkaAdmin.connect(KafkaConfig(bootstrapServers: bootstrap))
        try admin.createTopics([NewTopic(topic, partitions: BenchInput.partitions(for: records))])
        try BenchInput.produce(records, to: topic, bootstrap: bootstrap)
        try admin.createTopics([NewTopic(BenchInput.usersTopic, partitions: BenchInput.partitions(for: records))])
        try BenchInput.produceUsers(to: BenchInput.usersTopic, bootstrap: bootstrap)
        print("\(records) records in \(topic), \(BenchInput.users) users in \(BenchInput.usersTopic)")
    }
}
