import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchEngine

/// The docs' key tables and `kpiwatch plugins` come from the source and sink descriptors: a key added to a
/// descriptor and not to the docs (or the other way round) fails here.
@Suite struct AdapterDocsTests {
    /// The lines between `<!-- BEGIN KIND keys` and `<!-- END KIND keys` of a doc, or nil without the markers.
    static func generatedBlock(_ doc: String, kind: String) throws -> String? {
        let text = try String(contentsOfFile: TestPaths.repo(doc), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let begin = lines.firstIndex(where: { $0.hasPrefix("<!-- BEGIN \(kind) keys") }),
            let end = lines.firstIndex(where: { $0.hasPrefix("<!-- END \(kind) keys") }), begin < end
        else { return nil }
        return lines[(begin + 1)..<end].map { $0 + "\n" }.joined()
    }

    @Test(arguments: [("docs/sources.md", "sources"), ("docs/alerts.md", "sinks")])
    func theDocsKeyTableIsTheDescriptors(doc: String, kind: String) throws {
        let engine = Engine.standard()
        let expected =
            kind == "sources"
            ? AdapterListing.markdown(sources: engine.sources) : AdapterListing.markdown(sinks: engine.sinks)
        let written = try #require(try Self.generatedBlock(doc, kind: kind), "\(doc) has no \(kind) key table")
        #expect(
            written == expected, "\(doc)'s key table differs from the descriptors: run scripts/update-key-tables.sh")
    }

    @Test func everyKeyADescriptorDeclaresIsInTheTable() {
        let engine = Engine.standard()
        let table = AdapterListing.markdown(sources: engine.sources)
        for (name, descriptor) in engine.sources.descriptors {
            for key in descriptor.keys { #expect(table.contains("| `\(name)` | `\(key.name)` |")) }
        }
        #expect(table.contains("| `plugin:NAME` | | | | the keys its manifest declares"))
    }

    @Test func thePluginsCommandListsTheBuiltInTypesWithTheirKeys() throws {
        let folder = TemporaryDirectory()
        let path = folder.write("kpiwatch.yaml", "version: 1\nplugins: [none]\ndatasets: {}\n")
        let result = try runKPIWatch(["plugins", "--config", path])
        #expect(result.status == 0, "\(result.stderr)")
        let engine = Engine.standard()
        #expect(result.stdout.hasPrefix(AdapterListing.text(sources: engine.sources, sinks: engine.sinks) + "\n"))
        for line in [
            "  csv  a delimited text file (UTF-8, or Windows-1252)", "      query (text, required)  ",
            "  webhook  posts to", "      format (teams | slack | google_chat | generic)  ", "plugins:",
            "no plugins found in ",
        ] {
            #expect(result.stdout.contains(line), "\(line)\n\(result.stdout)")
        }
    }
}
