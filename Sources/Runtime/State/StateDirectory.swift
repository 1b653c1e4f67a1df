import Foundation
import SluiceOperators

/// Where a worker keeps its state: `<root>/<applicationID>/`, holding the RocksDB database of
/// every store of every task (`stores/`, with each store's checkpoint beside its rows) and the
/// worker's identity (`.process-id`).
struct StateDirectory: Sendable {
    let root: String
    let applicationID: String

    var applicationDirectory: URL {
        URL(fileURLWithPath: root).appendingPathComponent(applicationID)
    }

    /// The stores' database.
    var databaseDirectory: URL { applicationDirectory.appendingPathComponent("stores") }

    /// This worker's identity, kept in `<root>/<applicationID>/.process-id` and made once: the
    /// middle of its transactional ids (Kafka Streams' process id), so that a restart on the same
    /// state fences its predecessor while other workers of the application keep ids of their own.
    func processID() throws -> String {
        let file = applicationDirectory.appendingPathComponent(".process-id")
        if let data = try? Data(contentsOf: file), let id = String(data: data, encoding: .utf8), !id.isEmpty { return id }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let id = UUID().uuidString.lowercased()
        // A name of its own: workers starting together in one directory must not rename each
        // other's file away (the last rename wins; each worker keeps the id it made).
        let temporary = file.appendingPathExtension("\(id).tmp")
        try Data(id.utf8).write(to: temporary)
        guard rename(temporary.path, file.path) == 0 else {
            throw StreamsError(.fatal, "cannot write \(file.path): \(String(cString: strerror(errno)))")
        }
        return id
    }

    /// Removes the task directories of the layout before one database held every store (a
    /// database per store and task, `<task>/<store>/`, and a `<task>/.checkpoint`): nothing reads
    /// them any more, and their checkpoints describe stores that are not there.
    func removeTaskDirectoriesOfTheEarlierLayout() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: applicationDirectory.path) else { return }
        for name in names where Self.isTaskName(name) {
            try? FileManager.default.removeItem(at: applicationDirectory.appendingPathComponent(name))
        }
    }

    /// `<subtopology>_<partition>`, as `TaskID.description` writes it.
    private static func isTaskName(_ name: String) -> Bool {
        let parts = name.split(separator: "_", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= "0" && $0 <= "9" } }
    }
}
