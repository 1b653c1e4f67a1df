import Synchronization
import Testing

@testable import SluiceOperators
import SluiceTopology

@Suite("A task's stores")
struct StateManagerTests {
    @Test func suppressionBuffersLiveInMemoryWhateverTheWorkersBackend() throws {
        let opened = Mutex<[String]>([])
        let manager = try StateManager(
            applicationID: "app", task: TaskID(subtopology: 0, partition: 3),
            specs: [StoreSpec(name: "counts", kind: .timeOrderedWindow(retention: 10)), StoreSpec(name: "final", kind: .buffer)],
            opener: { location in
                opened.withLock { $0.append(location.store) }
                return PersistentBytes()
            })
        #expect(opened.withLock { $0 } == ["counts"], "only the window store goes through the worker's backend")
        #expect(manager.stores["counts"]?.persistent == true)
        #expect(manager.stores["final"]?.persistent == false, "so no checkpoint names its changelog position")
    }
}

/// The worker's backend as the manager sees it: persistent, otherwise memory.
private final class PersistentBytes: BytesStore {
    let memory = InMemoryBytesStore()
    var persistent: Bool { true }
    func get(_ key: UnsafeRawBufferPointer) throws -> [UInt8]? { try memory.get(key) }
    func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws { try memory.put(key, value) }
    func scan(
        from: [UInt8]?, to: [UInt8]?, reverse: Bool, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws { try memory.scan(from: from, to: to, reverse: reverse, body) }
    func deleteRange(from: [UInt8], to: [UInt8]) throws { try memory.deleteRange(from: from, to: to) }
    func commit<Writes: Sequence>(adding writes: Writes) throws where Writes.Element == ([UInt8], [UInt8]?) {
        try memory.commit(adding: writes)
    }
    func discardBatch() { memory.discardBatch() }
    func persist() throws {}
    func close() { memory.close() }
}
