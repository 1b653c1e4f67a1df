import Sluice
import SluiceNexmark

/// Nexmark q3, local item suggestion: who sells in Oregon, Idaho or California in category 10,
/// and which auctions.
///
/// Flink's SQL is an inner join of all auctions with all persons on `A.seller = P.id`, filtered by
/// `A.category = 10` and `P.state IN ('OR', 'ID', 'CA')`, with both sides kept forever. Here both
/// filters run before the join (a person's state and an auction's category never change, so the
/// rows are the same), persons become a table keyed by id and auctions a table keyed by auction id,
/// and a foreign-key join (`seller`) meets them: the auction subscribes to its seller through a
/// topic partitioned by person id, so each auction finds its seller whichever of the two arrives
/// first, on any partitions. A stream-table join would lose the auctions processed before their
/// seller's row, which happens whenever two repartition topics are read at different paces.
///
/// Differences from Flink: the result topic is keyed by auction id and is the join's update
/// stream. Nexmark never updates a person or an auction, so each result is written once; an
/// update would rewrite the auction's row (Flink would retract and re-add it).
public struct NexmarkQ3: TopologyDefinition {
    public static let applicationID = "nexmark-q3"
    public static let summary = "Nexmark q3: category-10 auctions of sellers in OR, ID or CA"
    public static let samples: SampleSource? = NexmarkSource.samples
    public init() {}

    static let states: Set<String> = ["OR", "ID", "CA"]
    static let category: Int64 = 10

    public var body: some Topology {
        let events = NexmarkSource.events()
        let persons = events.persons
            .filter { _, person in Self.states.contains(person.state) }
            .map { _, person in (person.id, person) }
            .repartition(named: "persons-by-id", key: .int64, value: .json(Person.self))
            .groupByKey()
            .reduce(named: "local-persons") { _, latest in latest }
        events.auctions
            .filter { _, auction in auction.category == Self.category }
            .map { _, auction in (auction.id, auction) }
            .repartition(named: "auctions-by-id", key: .int64, value: .json(Auction.self))
            .groupByKey()
            .reduce(named: "category-10-auctions") { _, latest in latest }
            .join(persons, foreignKey: { auction in auction.seller }, named: "auction-sellers", value: .json(NexmarkLocalItem.self)) {
                auction, person in NexmarkLocalItem(name: person.name, city: person.city, state: person.state, id: auction.id)
            }
            .toStream()
            .to("nexmark-q3", key: .int64, value: .json())
    }
}
