import Sluice
import SluiceNexmark

/// Nexmark q8, monitor new users: the persons who registered and opened an auction in the same
/// 10-second tumbling window.
///
/// Flink's SQL groups persons by `(id, name, window)` and auctions by `(seller, window)`, then
/// joins the two on id and window. Here persons (by id) and auctions (by seller) go through one
/// repartition topic into one windowed aggregation per person id and window, which remembers the
/// person's name and whether they sold; when the window closes (its end plus
/// `NexmarkSource.outOfOrderness` behind the task's stream time) a person who did both is written
/// once, keyed by id, with the window's start as `stime`.
///
/// Differences from Flink: none in the rows; a person or auction later than the grace is not
/// counted (it goes to the dead-letter topic as `late`), where Flink drops what is behind its
/// watermark.
public struct NexmarkQ8: TopologyDefinition {
    public static let applicationID = "nexmark-q8"
    public static let summary = "Nexmark q8: persons who opened an auction in the 10 s window they registered in"
    public static let samples: SampleSource? = NexmarkSource.samples
    public init() {}

    public var body: some Topology {
        let events = NexmarkSource.events()
        let persons = events.persons.map { _, person in (person.id, NexmarkQ8Event(name: person.name)) }
        let sellers = events.auctions.map { _, auction in (auction.seller, NexmarkQ8Event(name: nil)) }
        persons.merge(sellers)
            .repartition(named: "by-person", key: .int64, value: .json(NexmarkQ8Event.self))
            .groupByKey()
            .windowedBy(.tumbling(.seconds(10), grace: NexmarkSource.outOfOrderness))
            .emitStrategy(.onWindowClose)
            .aggregate(named: "new-users", serde: .json(NexmarkQ8Window.self), initializer: { NexmarkQ8Window() }) { _, event, window in
                var next = window
                if let name = event.name { next.name = name } else { next.sold = true }
                return next
            }
            .toStream()
            .flatMap { window, seen -> [(Int64, NexmarkNewUser)] in
                guard let name = seen.name, seen.sold else { return [] }
                return [(window.key, NexmarkNewUser(id: window.key, name: name, stime: NexmarkTimestamp(millisecondsSinceEpoch: window.window.start)))]
            }
            .to("nexmark-q8", key: .int64, value: .json())
    }
}

/// What q8 reads per person id: a registration (with the name) or an auction (without).
struct NexmarkQ8Event: Codable, Sendable {
    var name: String?
}

/// One person id in one window: the name if they registered in it, and whether they sold.
struct NexmarkQ8Window: Codable, Sendable {
    var name: String?
    var sold = false
}
