// swift-tools-version: 6.1
import PackageDescription

// Every Sluice target is compiled with the same discipline (STYLE.md "What to absorb" §2):
// no implicit existentials, imports are internal unless said otherwise, so no C type leaks
// into a public signature.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Sluice", targets: ["Sluice"]),
        .library(name: "SluiceTesting", targets: ["SluiceTesting"]),
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries: a module map and a shim header each (DESIGN.md §1).
        .systemLibrary(
            name: "CRdKafka", path: "Sources/CRdKafka", pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"]), .brew(["librdkafka"])]),
        .systemLibrary(
            name: "CRocksDB", path: "Sources/CRocksDB", pkgConfig: "rocksdb",
            providers: [.apt(["librocksdb-dev"]), .brew(["rocksdb"])]),
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]),

        // Topology ← Operators ← Runtime ← Apps, Topologies (DESIGN.md §1).
        .target(name: "SluiceTopology", path: "Sources/Topology", swiftSettings: strict),
        .target(
            name: "SluiceOperators",
            dependencies: ["SluiceTopology", "CRocksDB", "CCurl"],
            path: "Sources/Operators", swiftSettings: strict),
        .target(
            name: "SluiceRuntime",
            dependencies: [
                "SluiceTopology", "SluiceOperators", "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Sources/Runtime", swiftSettings: strict),
        .target(
            name: "Sluice", dependencies: ["SluiceTopology", "SluiceOperators", "SluiceRuntime"],
            path: "Sources/Sluice", swiftSettings: strict),
        // Users' topology files: one `import Sluice` must be enough, so imports stay public here.
        .target(
            name: "Topologies", dependencies: ["Sluice", "SluiceNexmark"], path: "topologies",
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
        .target(
            name: "SluiceTesting", dependencies: ["SluiceTopology", "SluiceOperators"],
            path: "Sources/Testing", swiftSettings: strict),
        // Apache Beam's Nexmark event generator, event for event, in Flink Nexmark's JSON.
        .target(name: "SluiceNexmark", dependencies: ["SluiceTopology"], path: "Sources/Nexmark", swiftSettings: strict),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "Sluice", "Topologies", "SluiceNexmark",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Apps/sluice", swiftSettings: strict),
        .executableTarget(
            name: "sluice-bench",
            dependencies: [
                "Sluice", "Topologies", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Apps/sluice-bench", swiftSettings: strict),
        .executableTarget(
            name: "sluice-json-bench", dependencies: ["SluiceTopology"],
            path: "Sources/Apps/sluice-json-bench", swiftSettings: strict),
        .executableTarget(
            name: "sluice-nexmark-bench", dependencies: ["SluiceNexmark", "SluiceTopology"],
            path: "Sources/Apps/sluice-nexmark-bench", swiftSettings: strict),

        .testTarget(
            name: "SluiceTopologyTests", dependencies: ["SluiceTopology", "SluiceOperators", "SluiceTesting"],
            swiftSettings: strict),
        .testTarget(
            name: "SluiceOperatorsTests", dependencies: ["SluiceTopology", "SluiceOperators", "SluiceTesting"],
            swiftSettings: strict),
        .testTarget(
            name: "SluiceIntegrationTests",
            dependencies: ["Sluice", "Topologies", "SluiceTesting", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strict),
        .testTarget(
            name: "SluiceRuntimeTests", dependencies: ["SluiceRuntime", "SluiceTopology"],
            swiftSettings: strict),
        // The topologies of topologies/, through the TopologyTestDriver: no broker.
        .testTarget(
            name: "TopologiesTests", dependencies: ["Topologies", "SluiceNexmark", "SluiceTesting", "Sluice"],
            swiftSettings: strict),
        // Golden/ holds Beam's own output, read through #filePath rather than as bundle resources.
        .testTarget(
            name: "SluiceNexmarkTests", dependencies: ["SluiceNexmark", "SluiceTopology"], exclude: ["Golden"],
            swiftSettings: strict),
    ]
)
