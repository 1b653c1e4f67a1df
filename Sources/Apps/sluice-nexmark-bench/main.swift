// Measures the Nexmark generator: events per CPU second (user + sys from getrusage, so other
// load on the machine matters less than with wall-clock time), alone and with each JSON path.
// Beam's default configuration; one thread, so the rates are per core.
import SluiceNexmark
import SluiceTopology

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func cpuSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

var count: Int64 = 5_000_000
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--count", let value = arguments.popFirst().flatMap(Int64.init), value > 0 {
        count = value
    } else {
        print("usage: sluice-nexmark-bench [--count N]   (N > 0, default 5000000)")
        exit(2)
    }
}

var config = NexmarkConfig()
config.numEvents = 0  // unbounded: Beam's default of 100,000 is too short to time

/// Runs `body` on `count` fresh events after a warm-up and prints the rate; returns a checksum
/// so the work cannot be optimized away.
@MainActor func measure(_ name: String, count: Int64, _ body: (NexmarkEvent) throws -> Int) throws -> Int {
    var checksum = 0
    for event in try NexmarkGenerator(config: config).prefix(Int(min(count / 10, 100_000))) { checksum &+= try body(event) }
    var generator = try NexmarkGenerator(config: config)
    let start = cpuSeconds()
    for _ in 0..<count {
        checksum &+= try body(generator.next()!)
    }
    let seconds = cpuSeconds() - start
    let rate = Double(count) / seconds
    let padded = name + String(repeating: " ", count: max(0, 38 - name.count))
    print("\(padded) \(Int(rate.rounded())) events/CPU-s  (\(count) events, \(Int(seconds * 1000)) ms)")
    return checksum
}

var checksum = 0
checksum &+= try measure("generate", count: count) { event in
    switch event {
    case .person(let person): person.extra.utf8.count
    case .auction(let auction): auction.extra.utf8.count
    case .bid(let bid): bid.extra.utf8.count &+ Int(bid.price)
    }
}
var buffer: [UInt8] = []
buffer.reserveCapacity(1024)
checksum &+= try measure("generate + appendJSON", count: count) { event in
    buffer.removeAll(keepingCapacity: true)
    event.appendJSON(to: &buffer)
    return buffer.count
}
let decoder = FastJSONDecoder()
checksum &+= try measure("generate + appendJSON + FastJSONDecoder", count: count) { event in
    buffer.removeAll(keepingCapacity: true)
    event.appendJSON(to: &buffer)
    let decoded = try buffer.withUnsafeBytes { try decoder.decode(NexmarkEvent.self, from: $0) }
    return decoded.dateTime.millisecondsSinceEpoch == event.dateTime.millisecondsSinceEpoch ? buffer.count : 0
}
let encoder = FastJSONEncoder()
checksum &+= try measure("generate + FastJSONEncoder (Codable)", count: max(count / 5, 1)) { event in
    buffer.removeAll(keepingCapacity: true)
    try encoder.encode(event, into: &buffer)
    return buffer.count
}
var bytes: Int64 = 0
for event in try NexmarkGenerator(config: config).prefix(100_000) { bytes += Int64(event.jsonBytes.count) }
print("average JSON record: \(bytes / 100_000) bytes   (checksum \(checksum & 0xFFFF))")
