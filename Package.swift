// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "kpiwatch",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "KPIWatch", targets: ["KPIWatch"]),
        .executable(name: "kpiwatch", targets: ["kpiwatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // `kpiwatch report`'s templates (docs/report.md says why Mustache): no dependencies of its own.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // The module graph is the architecture (docs/architecture.md): each arrow is a dependency listed here,
        // and ModuleWallTests fails if a module imports what its list does not allow.
        .target(name: "KPIWatchCore"),
        .target(name: "KPIWatchExpressions", dependencies: ["KPIWatchCore"]),
        .target(
            name: "KPIWatchEngine",
            dependencies: ["KPIWatchCore", "KPIWatchExpressions", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "KPIWatchHTTPClient", dependencies: ["KPIWatchCore"]),
        .target(
            name: "KPIWatchSources",
            dependencies: [
                "KPIWatchCore", "KPIWatchExpressions", "KPIWatchEngine", "KPIWatchHTTPClient",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "GRDB", package: "GRDB.swift"),
                "CLibPQ",
            ]
        ),
        .target(
            name: "KPIWatchAlerts",
            dependencies: [
                "KPIWatchCore", "KPIWatchEngine", "KPIWatchHTTPClient",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // `check -v`: what each sink was sent, held or failed, by alert identity.
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "KPIWatchPlugins",
            dependencies: [
                "KPIWatchCore", "KPIWatchEngine", "KPIWatchSources", .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "KPIWatchBenchmarks", dependencies: ["KPIWatchCore", "KPIWatchSources"]),
        // `kpiwatch report`: the committee snapshot, from an evaluation and the project's rules.
        .target(
            name: "KPIWatchReport",
            dependencies: [
                "KPIWatchCore", "KPIWatchExpressions", "KPIWatchEngine",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The composition root: the standard source and sink types, for the executables and embedders.
        .target(
            name: "KPIWatch",
            dependencies: [
                "KPIWatchCore", "KPIWatchEngine", "KPIWatchSources", "KPIWatchAlerts", "KPIWatchPlugins",
            ]
        ),
        // PostgreSQL's C client, from the system (Debian's libpq-dev): no SwiftNIO build cost.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // The DfE and ONS figures `kpiwatch benchmarks` reads by default, as a resource bundle.
        .target(
            name: "KPIWatchBenchmarkData",
            exclude: ["README.md", "make_extract.py"],
            resources: [.copy("release")]
        ),
        // The default templates of `kpiwatch report`, as a resource bundle (a project's `report: templates:` overrides them).
        .target(
            name: "KPIWatchReportTemplates",
            dependencies: ["KPIWatchBenchmarkData"],
            resources: [.copy("templates")]
        ),
        .executableTarget(
            name: "kpiwatch",
            dependencies: [
                "KPIWatch", "KPIWatchCore", "KPIWatchEngine", "KPIWatchAlerts", "KPIWatchPlugins",
                "KPIWatchBenchmarks", "KPIWatchBenchmarkData", "KPIWatchReport", "KPIWatchReportTemplates",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "kpiwatch-bench",
            dependencies: ["KPIWatch", "KPIWatchCore", "KPIWatchEngine", "KPIWatchSources", "KPIWatchAlerts"],
            path: "Sources/kpiwatch-bench"
        ),
        .testTarget(
            name: "KPIWatchTests",
            dependencies: [
                "KPIWatch", "KPIWatchCore", "KPIWatchExpressions", "KPIWatchEngine", "KPIWatchHTTPClient",
                "KPIWatchSources", "KPIWatchAlerts", "KPIWatchPlugins", "KPIWatchBenchmarks", "KPIWatchBenchmarkData",
                "KPIWatchReport", "KPIWatchReportTemplates", "kpiwatch",
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
