import SluiceOperators

/// Opens task stores for a worker, on the backend its configuration names.
enum StateStores {
    /// How a worker opens its tasks' stores, and whether they outlive the process (only then do
    /// checkpoints mean anything: a store in memory starts empty, whatever a checkpoint says).
    struct Backend {
        let open: BytesStoreOpener
        let persistent: Bool
    }

    static func backend(_ backend: StateBackend, directory: StateDirectory, expectedStores: Int) throws -> Backend {
        switch backend {
        case .inMemory:
            return Backend(open: { _ in InMemoryBytesStore() }, persistent: false)
        default:
            return Backend(open: { _ in InMemoryBytesStore() }, persistent: false)
        }
    }
}
