import Foundation
import Testing

@testable import KPIWatchBenchmarks
@testable import KPIWatchCore

/// `--la` accepts DfE's number, the ONS code or the name, and the neighbour file's spellings are matched.
@Suite struct BenchmarkAuthorityTests {
    static let timeliness = TestPaths.benchmarkExtract + "/dfe-2025/timeliness_20_week.csv"

    static func directory() throws -> AuthorityDirectory {
        let table = try EESTable.read(
            path: timeliness, columns: TimelinessBenchmarks.columns, where: TimelinessBenchmarks.filters)
        return AuthorityDirectory(rows: table.rows)
    }

    @Test func oldCodeNewCodeAndNameFindTheSameAuthority() throws {
        let directory = try Self.directory()
        let byOld = try directory.resolve("878")
        #expect(byOld == (try directory.resolve("E10000008")))
        #expect(byOld == (try directory.resolve("e10000008")))
        #expect(byOld == (try directory.resolve("DEVON")))
        #expect(byOld.name == "Devon" && byOld.newCode == "E10000008" && byOld.regionCode == "E12000009")
    }

    @Test func namesAreMatchedWithoutTheKindOfCouncil() throws {
        let directory = try Self.directory()
        #expect(try directory.resolve("Bristol").oldCode == "801")  // "Bristol, City of"
        #expect(try directory.resolve("Durham").name == "County Durham")
        #expect(try directory.resolve("St Helens").name == "St. Helens")
        #expect(try directory.resolve("Kingston Upon Hull").oldCode == "810")
        #expect(try directory.resolve("Bedford Borough").name == "Bedford")
    }

    @Test func aReusedNameMeansTheCouncilAsItIsNow() throws {
        // Dorset was 835 (E10000009) before April 2019 and is 838 (E06000059) since; the 2025 timeliness
        // file only has the new council.
        #expect(try Self.directory().resolve("Dorset").oldCode == "838")
    }

    @Test func anUnknownAuthorityIsAnErrorNamingTheNearest() throws {
        let directory = try Self.directory()
        let misspelt = try #require(throws: Diagnostic.self, performing: { try directory.resolve("Devn") })
        #expect(misspelt.message == "no local authority 'Devn' in DfE's published files")
        #expect(misspelt.hint == "did you mean 'Devon'?")
        let code = try #require(throws: Diagnostic.self, performing: { try directory.resolve("999") })
        #expect(code.hint?.contains("3-digit DfE number (878)") == true)
    }

    @Test func everyNeighbourInTheReferenceFileMatchesAnAuthorityOf2024() throws {
        let neighbours = try StatisticalNeighbours.read(
            path: TestPaths.benchmarkExtract + "/reference/statistical_neighbours.csv")
        let table = try EESTable.read(
            path: Self.timeliness, columns: TimelinessBenchmarks.columns, where: TimelinessBenchmarks.filters)
        let release = ReleaseYear(table: table, timePeriod: "2024")
        var unmatched: [String] = []
        for authority in release.authorities {
            guard let list = neighbours.neighbours(of: authority["la_name"]) else {
                unmatched.append("column " + authority["la_name"])
                continue
            }
            #expect(list.count == 10, "\(authority["la_name"]) has \(list.count) neighbours")
            unmatched += list.filter { release.authority(named: $0) == nil }
        }
        #expect(unmatched.isEmpty)
        // The file spells these differently from DfE.
        #expect(neighbours.neighbours(of: "County Durham")?.first == "Halton")
        #expect(neighbours.neighbours(of: "Kingston upon Hull, City of") != nil)
        #expect(neighbours.neighbours(of: "Herefordshire, County of") != nil)
    }

    @Test func authorityNameKeysIgnoreCaseAndPunctuation() {
        #expect(AuthorityName.key("Bristol, City of") == AuthorityName.key("City of Bristol"))
        #expect(AuthorityName.key("St. Helens") == AuthorityName.key("st helens"))
        #expect(AuthorityName.key("City of London") == "london")
        #expect(AuthorityName.key("Kingston upon Thames") != AuthorityName.key("Kingston upon Hull"))
    }
}
