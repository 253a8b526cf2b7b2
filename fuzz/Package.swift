// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for kpiwatch's readers of hostile input (scripts/fuzz.sh builds and runs them).
// A package of its own, so that the main package's `swift build` and `swift test` never pay for
// the sanitizer build. Each target's `LLVMFuzzerTestOneInput` calls one entry in FuzzSupport.
let fuzzTargets = ["expression", "project", "rules", "csv", "xlsx", "json", "jsonl", "plugin"]

let package = Package(
    name: "kpiwatch-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "kpiwatch", path: ".."),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "KPIWatch", package: "kpiwatch"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        )
    ]
        + fuzzTargets.map { name in
            .executableTarget(
                name: "fuzz-\(name)",
                dependencies: ["FuzzSupport"],
                path: "Sources/fuzz-\(name)"
            )
        },
    swiftLanguageModes: [.v6]
)
