import Foundation
import Testing

/// The module graph is the architecture (docs/architecture.md). SwiftPM lets a module import anything its
/// dependencies depend on, so the walls are checked here: every module's imports must be listed in its
/// Package.swift dependencies, and those must lie inside what the architecture allows it. Above all, the engine
/// and what it builds on never see an adapter (a source, a sink, a database or ZIP library).
@Suite struct ModuleWallTests {
    /// What each module may depend on. Adding a module, or an arrow between two, means adding it here and to the
    /// diagram in docs/architecture.md.
    static let allowed: [String: Set<String>] = [
        "KPIWatchCore": [],
        "KPIWatchExpressions": ["KPIWatchCore"],
        "KPIWatchEngine": ["KPIWatchCore", "KPIWatchExpressions", "Yams"],
        "KPIWatchHTTPClient": ["KPIWatchCore"],
        "KPIWatchSources": [
            "KPIWatchCore", "KPIWatchExpressions", "KPIWatchEngine", "KPIWatchHTTPClient", "Yams", "ZIPFoundation",
            "GRDB", "CLibPQ",
        ],
        "KPIWatchAlerts": [
            "KPIWatchCore", "KPIWatchEngine", "KPIWatchHTTPClient", "Yams", "Crypto", "GRDB", "Logging",
        ],
        "KPIWatchPlugins": ["KPIWatchCore", "KPIWatchEngine", "KPIWatchSources", "Yams"],
        "KPIWatchBenchmarks": ["KPIWatchCore", "KPIWatchSources"],
        "KPIWatchReport": ["KPIWatchCore", "KPIWatchExpressions", "KPIWatchEngine", "Mustache"],
        "KPIWatchBenchmarkData": [],
        "KPIWatchReportTemplates": ["KPIWatchBenchmarkData"],
        "KPIWatch": ["KPIWatchCore", "KPIWatchEngine", "KPIWatchSources", "KPIWatchAlerts", "KPIWatchPlugins"],
    ]

    /// The modules below the adapters, and what no adapter-free module may ever reach.
    static let adapterFree = ["KPIWatchCore", "KPIWatchExpressions", "KPIWatchEngine"]
    static let adapters: Set<String> = [
        "KPIWatchSources", "KPIWatchAlerts", "KPIWatchPlugins", "KPIWatchHTTPClient", "KPIWatchBenchmarks", "KPIWatch",
        "KPIWatchReport",
        "GRDB", "CLibPQ", "ZIPFoundation", "Crypto",
    ]

    /// The toolchain's own modules, which any module may import.
    static let system: Set<String> = [
        "Foundation", "FoundationNetworking", "FoundationXML", "Dispatch", "Glibc", "Darwin", "Musl", "WinSDK",
    ]

    static func swiftFiles(in folder: String) -> [String] {
        let root = TestPaths.repo("Sources/\(folder)")
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".swift") }.map { root + "/" + $0 }.sorted()
    }

    /// Modules a library brings with it: zlib comes with ZIPFoundation (its CZlib module on Linux).
    static let providedBy = ["CZlib": "ZIPFoundation", "zlib": "ZIPFoundation"]

    /// The modules a file imports (`import X`, `@testable import X`, `import struct X.Y`, inside `#if` too).
    static func imports(of file: String) -> Set<String> {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        var modules: Set<String> = []
        for line in text.split(separator: "\n") {
            var words = line.split(separator: " ").map(String.init)
            while let first = words.first, first.hasPrefix("@") { words.removeFirst() }
            guard words.first == "import", words.count >= 2 else { continue }
            let name =
                words.count >= 3 && ["struct", "class", "enum", "protocol", "func"].contains(words[1])
                ? words[2] : words[1]
            let module = String(name.split(separator: ".")[0])
            modules.insert(providedBy[module] ?? module)
        }
        return modules
    }

    /// Each target's dependencies as Package.swift lists them: target names and products' names.
    static func declaredDependencies() throws -> [String: Set<String>] {
        let manifest = try String(contentsOfFile: TestPaths.repo("Package.swift"), encoding: .utf8)
        var result: [String: Set<String>] = [:]
        let targetPattern = try NSRegularExpression(
            pattern: #"\.(?:target|executableTarget|testTarget)\(\s*name: "([^"]+)""#)
        let whole = NSRange(manifest.startIndex..., in: manifest)
        for match in targetPattern.matches(in: manifest, range: whole) {
            let name = String(manifest[Range(match.range(at: 1), in: manifest)!])
            let rest = manifest[Range(match.range, in: manifest)!.upperBound...]
            // The target's own arguments end at the parenthesis that closes `.target(`.
            var depth = 1
            var end = rest.startIndex
            for index in rest.indices {
                if rest[index] == "(" { depth += 1 }
                if rest[index] == ")" { depth -= 1 }
                if depth == 0 {
                    end = index
                    break
                }
            }
            let arguments = String(rest[..<end])
            var dependencies: Set<String> = []
            if let list = arguments.range(of: "dependencies: [") {
                let body = arguments[list.upperBound...].prefix { $0 != "]" }
                let quoted = try NSRegularExpression(
                    pattern: #"(?:\.product\(name: )?"([^"]+)"(?:, package: "[^"]+"\))?"#)
                let text = String(body)
                for item in quoted.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    dependencies.insert(String(text[Range(item.range(at: 1), in: text)!]))
                }
            }
            result[name] = dependencies
        }
        return result
    }

    @Test func everyLibraryModuleIsInTheTable() throws {
        let declared = try Self.declaredDependencies()
        let libraries = Set(declared.keys.filter { $0.hasPrefix("KPIWatch") && $0 != "KPIWatchTests" })
        #expect(libraries == Set(Self.allowed.keys), "a module was added or removed: update the table and the diagram")
    }

    @Test(arguments: allowed.keys.sorted())
    func packageDependenciesStayInsideTheWalls(module: String) throws {
        let declared = try #require(try Self.declaredDependencies()[module], "\(module) is not in Package.swift")
        let outside = declared.subtracting(Self.allowed[module]!)
        #expect(
            outside.isEmpty, "Package.swift gives \(module) dependencies the architecture does not: \(outside.sorted())"
        )
    }

    @Test(arguments: allowed.keys.sorted())
    func importsAreDeclaredAndAllowed(module: String) throws {
        let declared = try Self.declaredDependencies()[module] ?? []
        let files = Self.swiftFiles(in: module)
        #expect(!files.isEmpty, "no Swift files in Sources/\(module)")
        for file in files {
            let relative = file.replacingOccurrences(of: TestPaths.repository.path + "/", with: "")
            for imported in Self.imports(of: file).subtracting(Self.system).subtracting([module]) {
                #expect(
                    declared.contains(imported) && Self.allowed[module]!.contains(imported),
                    "\(relative) imports \(imported), which \(module) may not depend on")
            }
        }
    }

    @Test func theEngineReachesNoAdapter() throws {
        let declared = try Self.declaredDependencies()
        for module in Self.adapterFree {
            // Everything reachable through Package.swift, not only the direct dependencies.
            var reached: Set<String> = []
            var pending = Array(declared[module] ?? [])
            while let next = pending.popLast() {
                guard reached.insert(next).inserted else { continue }
                pending += declared[next] ?? []
            }
            #expect(reached.isDisjoint(with: Self.adapters), "\(module) reaches \(reached.intersection(Self.adapters))")
        }
    }

    /// The checks above read the real files: a made-up file importing GRDB is caught.
    @Test func theImportScanSeesAForbiddenImport() throws {
        let folder = TemporaryDirectory()
        let file = folder.write(
            "Leak.swift",
            "import Foundation\n@preconcurrency import GRDB\n#if canImport(X)\n    import struct ZIPFoundation.Archive\n#endif\n"
        )
        #expect(Self.imports(of: file) == ["Foundation", "GRDB", "ZIPFoundation"])
    }
}
