import Foundation
import SluiceOperators
import Synchronization

/// Opens task stores for a worker, on the backend its configuration names.
enum StateStores {
    /// How a worker opens its tasks' stores, and makes what they committed survive a crash.
    struct Backend: Sendable {
        let open: BytesStoreOpener
        /// Writes every committed change and checkpoint of the worker's stores to disk.
        let flush: @Sendable () throws -> Void
        /// Removes the state no store has used for the given time (`RocksDBStoreDatabase.removeAbandoned`).
        let removeAbandoned: @Sendable (Duration) throws -> [(store: String, partition: Int32)]
    }

    /// - Parameter persistentStores: whether the topology has stores RocksDB would hold; if not,
    ///   no database is opened (a stateless worker leaves its state directory alone).
    static func backend(_ backend: StateBackend, directory: StateDirectory, persistentStores: Bool) throws -> Backend {
        guard backend != .inMemory, persistentStores else {
            return Backend(open: { _ in InMemoryBytesStore() }, flush: {}, removeAbandoned: { _ in [] })
        }
        let database = try openDatabase(directory)
        return Backend(
            open: { try database.open($0) }, flush: { try database.flush() },
            removeAbandoned: { try database.removeAbandoned(idle: $0) })
    }

    /// Databases open in this process, by path. RocksDB lets a process open a database once;
    /// workers of one application started one after another in a process (tests do) share it.
    private struct OpenDatabase: Sendable {
        weak var database: RocksDBStoreDatabase?
    }
    private static let openDatabases = Mutex<[String: OpenDatabase]>([:])

    /// The database of `directory`'s application: the one this process has open, or opened now.
    private static func openDatabase(_ directory: StateDirectory) throws -> RocksDBStoreDatabase {
        let path = directory.databaseDirectory.path
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let database = try openDatabases.withLock { open -> RocksDBStoreDatabase? in
                // Not one whose directory was removed since (a wiped state directory): a
                // stopped worker may still hold it, and its rows must not come back.
                let exists = FileManager.default.fileExists(atPath: path)
                if exists, let database = open[path]?.database { return database }
                if !exists { directory.removeTaskDirectoriesOfTheEarlierLayout() }
                do {
                    // One cache and one write-buffer budget for every store of the worker (DESIGN.md §3).
                    let database = try RocksDBStoreDatabase(path: path, environment: RocksDBEnvironment(expectedInstances: 1))
                    open[path] = OpenDatabase(database: database)
                    return database
                } catch let error as RocksDBError where error.message.contains("lock hold by current process") {
                    return nil  // the last worker here let go of it, and it is still closing
                } catch let error as RocksDBError where error.message.contains("lock") {
                    throw StreamsError(
                        .fatal,
                        "the state directory \(directory.applicationDirectory.path) is in use by another worker process; give each "
                            + "worker process of an application a state directory of its own (--state-dir) [\(error.message)]")
                }
            }
            if let database { return database }
            guard ContinuousClock.now < deadline else {
                throw StreamsError(.fatal, "the stores' database \(path) is still held by a worker of this process that stopped")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}
