/// Beam's `PersonGenerator.nextPerson`: the draws, in Beam's order, for a person event.
enum PersonGenerator {
    /// Kept small so the example queries find matches even in a short stream.
    private static let states = ["AZ", "CA", "ID", "OR", "WA", "WY"]
    private static let cities = [
        "Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne",
    ]
    private static let firstNames = ["Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"]
    private static let lastNames = ["Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"]
    /// Every "first last" pair, built once: Beam concatenates them per event.
    private static let fullNames = firstNames.flatMap { first in lastNames.map { first + " " + $0 } }

    static func next(eventId: Int64, random: inout JavaRandom, timestamp: Int64, settings: GeneratorSettings) -> Person {
        let id = EventKinds.lastBase0PersonId(eventId) + EventKinds.firstPersonId
        let first = Int(random.nextInt(Int32(firstNames.count)))
        let last = Int(random.nextInt(Int32(lastNames.count)))
        let name = fullNames[first * lastNames.count + last]
        let email = nextEmail(&random)
        let creditCard = nextCreditCard(&random)
        let city = cities[Int(random.nextInt(Int32(cities.count)))]
        let state = states[Int(random.nextInt(Int32(states.count)))]
        let currentSize = 8 + name.utf8.count + email.utf8.count + creditCard.utf8.count + city.utf8.count + state.utf8.count
        let extra = random.nextExtra(currentSize: Int32(currentSize), desiredAverageSize: settings.avgPersonByteSize)
        return Person(
            id: id, name: name, emailAddress: email, creditCard: creditCard, city: city, state: state,
            dateTime: NexmarkTimestamp(millisecondsSinceEpoch: timestamp), extra: extra)
    }

    /// `nextString(7) + "@" + nextString(5) + ".com"`.
    private static func nextEmail(_ random: inout JavaRandom) -> String {
        random.nextString(maxLength: 7) + "@" + random.nextString(maxLength: 5) + ".com"
    }

    /// Four `String.format("%04d", nextInt(10000))` joined by spaces.
    private static func nextCreditCard(_ random: inout JavaRandom) -> String {
        String(unsafeUninitializedCapacity: 19) { bytes in
            var at = 0
            for group in 0..<4 {
                if group > 0 {
                    bytes[at] = UInt8(ascii: " ")
                    at += 1
                }
                var value = Int(random.nextInt(10_000))
                for position in (0..<4).reversed() {
                    bytes[at + position] = UInt8(truncatingIfNeeded: 48 + value % 10)
                    value /= 10
                }
                at += 4
            }
            return at
        }
    }
}
