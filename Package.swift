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
        .target(
            name: "KPIWatch",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                "CLibPQ",
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
                "KPIWatch",
                "KPIWatchBenchmarkData",
                "KPIWatchReportTemplates",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "kpiwatch-bench",
            dependencies: ["KPIWatch"],
            path: "Sources/kpiwatch-bench"
        ),
        .testTarget(
            name: "KPIWatchTests",
            dependencies: ["KPIWatch", "KPIWatchBenchmarkData", "KPIWatchReportTemplates", "kpiwatch"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
