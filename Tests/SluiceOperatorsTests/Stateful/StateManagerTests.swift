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
                return CountingBytes(InMemoryBytesStore(), persistent: true)
            })
        #expect(opened.withLock { $0 } == ["counts"], "only the window store goes through the worker's backend")
        #expect(manager.stores["counts"]?.persistent == true)
        #expect(manager.stores["final"]?.persistent == false, "so no checkpoint names its changelog position")
    }
}
