import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

/// An order names the product it is for: the left value holds the right table's key.
struct Order: Codable, Sendable, Equatable {
    var product: String
    var quantity: Int
}

/// Foreign-key table-table joins (Kafka Streams' KIP-213): results follow changes of the foreign
/// key and of either side, and answers to a left value that has since changed are dropped.
@Suite("Foreign-key joins")
struct ForeignKeyJoinTests {
    let orders = Table("orders", key: .string, value: .json(Order.self))
    let products = Table("products", key: .string, value: .string)

    func driver(inner: Bool) throws -> TopologyTestDriver {
        let joined =
            inner
            ? orders.join(products, foreignKey: { $0.product }, named: "order-lines", value: .string) { o, p in "\(o.quantity)x\(p)" }
            : orders.leftJoin(products, foreignKey: { $0.product }, named: "order-lines", value: .string) { o, p in "\(o.quantity)x\(p ?? "?")" }
        // Not co-partitioned on purpose: a foreign-key join repartitions both ways.
        return try joinDriver(partitions: ["orders": 3, "products": 2], [joined.toChangeStream().to("out", value: .string.optional)])
    }

    var order: (TopologyTestDriver) -> TestInputTopic<String, Order?> { { $0.input("orders", key: .string, value: .json(Order.self).optional) } }

    @Test func theInternalTopicsArePartitionedLikeTheTableTheyMeet() throws {
        let d = try driver(inner: true)
        let counts = try d.plan.partitionCounts(existing: ["orders": 3, "products": 2])
        #expect(counts.topics["joins-order-lines-subscription-registration"] == 2)
        #expect(counts.topics["joins-order-lines-subscription-response"] == 3)
        #expect(Set(d.plan.copartitionGroups.map(\.topics)) == [
            ["joins-order-lines-subscription-registration", "products"], ["joins-order-lines-subscription-response", "orders"],
        ])
    }

    @Test func anInnerJoinFollowsUpdatesOfEitherSideAndChangesOfTheForeignKey() throws {
        let d = try driver(inner: true)
        try d.tableInput("products").pipe(key: "p1", value: "apple")
        try order(d).pipe(key: "o1", value: Order(product: "p1", quantity: 2))
        #expect(try d.changes() == ["o1=2xapple"])
        try d.tableInput("products").pipe(key: "p1", value: "green apple")
        try order(d).pipe(key: "o1", value: Order(product: "p1", quantity: 3))
        #expect(try d.changes() == ["o1=2xgreen apple", "o1=3xgreen apple"])
        try order(d).pipe(key: "o1", value: Order(product: "p2", quantity: 3))
        #expect(try d.changes() == ["o1=<deleted>"], "the new foreign key has no row: the old result goes")
        try d.tableInput("products").pipe(key: "p2", value: "pear")
        try d.tableInput("products").pipe(key: "p1", value: "red apple")
        #expect(try d.changes() == ["o1=3xpear"], "o1 no longer follows p1")
        try d.tableInput("products").pipe(key: "p2", value: nil)
        try d.tableInput("products").pipe(key: "p2", value: "nashi")
        try order(d).pipe(key: "o1", value: nil)
        try order(d).pipe(key: "o2", value: Order(product: "p9", quantity: 1))
        #expect(try d.changes() == ["o1=<deleted>", "o1=3xnashi", "o1=<deleted>"], "no deletion of o2's result, which never was")
        #expect(try d.keyValueStore("order-lines", key: .string, value: .string).isEmpty)
    }

    @Test func aLeftJoinKeepsOrdersWhoseProductIsMissing() throws {
        let d = try driver(inner: false)
        try order(d).pipe(key: "o1", value: Order(product: "p1", quantity: 1))
        try d.tableInput("products").pipe(key: "p1", value: "apple")
        try d.tableInput("products").pipe(key: "p1", value: nil)
        try order(d).pipe(key: "o1", value: nil)
        #expect(try d.changes() == ["o1=1x?", "o1=1xapple", "o1=1x?", "o1=<deleted>"])
    }

    @Test func aResponseToAReplacedLeftValueIsDropped() throws {
        let d = try driver(inner: true)
        try d.tableInput("products").pipe(key: "p1", value: "apple")
        try order(d).pipe(key: "o1", value: Order(product: "p1", quantity: 1))
        _ = try d.changes()
        // An answer racing a newer left value: it carries the hash of a value o1 no longer has.
        var stale: [UInt8] = []
        _ = try JSONSerde<Order>().serialize(Order(product: "p1", quantity: 7), into: &stale)
        let responses = d.input("joins-order-lines-subscription-response", key: .string, value: SubscriptionResponseSerde(StringSerde()))
        try responses.pipe(key: "o1", value: SubscriptionResponse(hash: ValueHash.of(stale), value: "stale apple"))
        #expect(try d.changes().isEmpty)
        var current: [UInt8] = []
        _ = try JSONSerde<Order>().serialize(Order(product: "p1", quantity: 1), into: &current)
        try responses.pipe(key: "o1", value: SubscriptionResponse(hash: ValueHash.of(current), value: "fresh apple"))
        #expect(try d.changes() == ["o1=1xfresh apple"], "an answer with the current value's hash is joined")
        #expect(d.counts(of: "order-lines")?.filtered == 1)
    }
}
