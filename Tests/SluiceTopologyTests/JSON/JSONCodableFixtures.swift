import Foundation

/// Types covering what Codable can express, shared by the decoder and encoder tests.
struct AllScalars: Codable, Equatable {
    var b: Bool, s: String, d: Double, f: Float
    var i: Int, i8: Int8, i16: Int16, i32: Int32, i64: Int64
    var u: UInt, u8: UInt8, u16: UInt16, u32: UInt32, u64: UInt64

    static let sample = AllScalars(
        b: true, s: "x\"y", d: -0.1, f: 3.25, i: .min, i8: .min, i16: .max, i32: .min, i64: .max,
        u: .max, u8: .max, u16: 7, u32: .max, u64: .max)
}

struct Optionals: Codable, Equatable {
    var a: Int?
    var b: String?
    var c: [Int?]?
    var d: AllScalars?
    var e: Double?
}

enum Color: String, Codable { case red, green }
enum Level: Int, Codable { case low = 1, high = 2 }

/// Uses the synthesized nested keyed containers of enums with associated values.
indirect enum Shape: Codable, Equatable {
    case circle(radius: Double)
    case rect(width: Double, height: Double)
    case point
    case labelled(String, Shape?)
}

struct Collections: Codable, Equatable {
    var ints: [Int]
    var nested: [[String]]
    var dict: [String: Int]
    var intKeyed: [Int: String]
    var colors: [Color]
    var levels: [String: Level]
    var shapes: [Shape]
    var empty: [Bool]
}

struct FoundationValues: Codable, Equatable {
    var date: Date
    var data: Data
    var url: URL
    var uuid: UUID
    var decimal: Decimal
    var optionalData: Data?
    var urls: [URL]
}

/// Class inheritance through `superDecoder()`/`superEncoder()`, as Apple documents it.
class Animal: Codable, Equatable {
    var name: String
    init(name: String) { self.name = name }
    static func == (lhs: Animal, rhs: Animal) -> Bool { lhs.name == rhs.name && type(of: lhs) == type(of: rhs) }
}

final class Dog: Animal {
    var breed: String
    init(name: String, breed: String) {
        self.breed = breed
        super.init(name: name)
    }
    enum CodingKeys: String, CodingKey { case breed, base }
    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        breed = try container.decode(String.self, forKey: .breed)
        try super.init(from: container.superDecoder(forKey: .base))
    }
    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(breed, forKey: .breed)
        try super.encode(to: container.superEncoder(forKey: .base))
    }
    static func == (lhs: Dog, rhs: Dog) -> Bool { lhs.name == rhs.name && lhs.breed == rhs.breed }
}

/// `superDecoder()` without a key ("super") and in unkeyed containers.
struct SuperUser: Codable, Equatable {
    var base: [Int]
    var extra: Int
    enum CodingKeys: String, CodingKey { case extra }
    init(base: [Int], extra: Int) {
        self.base = base
        self.extra = extra
    }
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        extra = try container.decode(Int.self, forKey: .extra)
        base = try [Int](from: container.superDecoder())
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try base.encode(to: container.superEncoder())
        try container.encode(extra, forKey: .extra)
    }
}

/// Flattens `{"info":{"a":1,"list":[1,2]},"pairs":[[1,"x"]]}` with explicit nested containers.
struct Flattened: Codable, Equatable {
    var a: Int
    var list: [Int]
    var pairs: [Pair]
    struct Pair: Equatable {
        var number: Int
        var label: String
    }
    enum Keys: String, CodingKey { case info, pairs }
    enum InfoKeys: String, CodingKey { case a, list }

    init(a: Int, list: [Int], pairs: [Pair]) {
        self.a = a
        self.list = list
        self.pairs = pairs
    }
    init(from decoder: any Decoder) throws {
        let root = try decoder.container(keyedBy: Keys.self)
        let info = try root.nestedContainer(keyedBy: InfoKeys.self, forKey: .info)
        var pairList = try root.nestedUnkeyedContainer(forKey: .pairs)
        a = try info.decode(Int.self, forKey: .a)
        var listContainer = try info.nestedUnkeyedContainer(forKey: .list)
        list = []
        while !listContainer.isAtEnd { list.append(try listContainer.decode(Int.self)) }
        pairs = []
        while !pairList.isAtEnd {
            var pair = try pairList.nestedUnkeyedContainer()
            pairs.append(Pair(number: try pair.decode(Int.self), label: try pair.decode(String.self)))
        }
    }
    func encode(to encoder: any Encoder) throws {
        var root = encoder.container(keyedBy: Keys.self)
        var info = root.nestedContainer(keyedBy: InfoKeys.self, forKey: .info)
        var pairList = root.nestedUnkeyedContainer(forKey: .pairs)
        // Written out of order on purpose: the parent moves on before the nested containers are filled.
        for pair in pairs {
            var element = pairList.nestedUnkeyedContainer()
            try element.encode(pair.number)
            try element.encode(pair.label)
        }
        var listContainer = info.nestedUnkeyedContainer(forKey: .list)
        try listContainer.encode(contentsOf: list)
        try info.encode(a, forKey: .a)
    }
}

/// Records the coding paths the decoder reports, to compare them with Foundation's.
struct PathRecorder: Decodable, Equatable {
    var paths: [String]
    init(from decoder: any Decoder) throws {
        var paths = [decoder.codingPath.map(\.stringValue).joined(separator: "/")]
        if let keyed = try? decoder.container(keyedBy: AnyJSON.Key.self) {
            for key in keyed.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                paths += try keyed.decode(PathRecorder.self, forKey: key).paths
            }
        } else if var unkeyed = try? decoder.unkeyedContainer() {
            while !unkeyed.isAtEnd { paths += try unkeyed.decode(PathRecorder.self).paths }
        }
        self.paths = paths
    }
}
