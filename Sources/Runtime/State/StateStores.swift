import Foundation
import SluiceOperators

/// Opens task stores for a worker, on the backend its configuration names.
enum StateStores {
    /// How a worker opens its tasks' stores, and whether they outlive the process (only then do
    /// checkpoints mean anything: a store in memory starts empty, whatever a checkpoint says).
    struct Backend {
        let open: BytesStoreOpener
        let persistent: Bool
    }

    /// - Parameter expectedStores: stores per task, so the RocksDB write-buffer budget is shared
    ///   out among the instances a worker is likely to open.
    static func backend(_ backend: StateBackend, directory: StateDirectory, expectedStores: Int) throws -> Backend {
        switch backend {
        case .inMemory:
            return Backend(open: { _ in InMemoryBytesStore() }, persistent: false)
        default:
            // One cache and one write-buffer budget for every store of the worker (DESIGN.md §3).
            let environment = try RocksDBEnvironment(expectedInstances: max(expectedStores * 4, 8))
            return Backend(
                open: { location in try RocksDBBytesStore(path: directory.storeDirectory(location).path, environment: environment) },
                persistent: true)
        }
    }
}
