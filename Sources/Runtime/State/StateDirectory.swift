import Foundation
import SluiceOperators

/// Where a worker keeps task state: `<root>/<applicationID>/<task>/<store>/`, and per task a
/// checkpoint file of changelog offsets up to which its stores hold the changelog.
struct StateDirectory: Sendable {
    let root: String
    let applicationID: String

    func taskDirectory(_ task: TaskID) -> URL {
        URL(fileURLWithPath: root).appendingPathComponent(applicationID).appendingPathComponent(task.description)
    }

    func storeDirectory(_ location: StoreLocation) -> URL {
        taskDirectory(location.task).appendingPathComponent(location.store)
    }

    private func checkpointFile(_ task: TaskID) -> URL {
        taskDirectory(task).appendingPathComponent(".checkpoint")
    }

    /// Changelog offsets by topic: the stores of `task` hold every changelog record before them.
    func readCheckpoint(_ task: TaskID) -> [String: Int64] {
        guard let data = try? Data(contentsOf: checkpointFile(task)),
            let offsets = try? JSONDecoder().decode([String: Int64].self, from: data)
        else { return [:] }
        return offsets
    }

    /// This worker's identity, kept in `<root>/<applicationID>/.process-id` and made once: the
    /// middle of its transactional ids (Kafka Streams' process id), so that a restart on the same
    /// state fences its predecessor while other workers of the application keep ids of their own.
    func processID() throws -> String {
        let file = URL(fileURLWithPath: root).appendingPathComponent(applicationID).appendingPathComponent(".process-id")
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

    /// Replaces the checkpoint atomically (write, then rename), so a crash leaves the old or the new.
    func writeCheckpoint(_ task: TaskID, _ offsets: [String: Int64]) throws {
        let file = checkpointFile(task)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = file.appendingPathExtension("tmp")
        try JSONEncoder().encode(offsets).write(to: temporary)
        // rename(2) replaces the old file atomically, whether it exists or not.
        guard rename(temporary.path, file.path) == 0 else {
            throw StreamsError(.fatal, "cannot write checkpoint \(file.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Forgets the checkpoint: the stores' content no longer matches any changelog position.
    func removeCheckpoint(_ task: TaskID) {
        try? FileManager.default.removeItem(at: checkpointFile(task))
    }

    /// Removes a task's state entirely (its stores are rebuilt from their changelogs).
    func wipe(_ task: TaskID) {
        try? FileManager.default.removeItem(at: taskDirectory(task))
    }
}
