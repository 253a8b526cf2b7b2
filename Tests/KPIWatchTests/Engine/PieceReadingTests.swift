import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// A large CSV is cut into pieces parsed and decoded on several threads (`PieceReader`); what the reader hands on must
/// be what reading the file in one go hands on — the same rows in the same order with the same row numbers, the same
/// errors in the same order, the same counts — whatever the piece size (pieces cut inside quoted line ends, CRLF
/// pairs, blank lines and multi-byte characters) and however many threads there are.
@Suite struct PieceReadingTests {
    static let fields = DatasetReaderTests.fields + [CSVFixtures.field("child", "Child Name")]

    /// A byte order mark, CRLF and LF line ends, quoted fields holding line ends (LF and CRLF), `""` escapes and the
    /// delimiter, blank lines, a record of empty fields, bad values, a short and a long row, Windows-1252 text, a
    /// quoted field longer than many pieces, and a record starting with the bytes of a byte order mark (not at the
    /// file's start: kept).
    static let file: [UInt8] = {
        var text = "\u{FEFF}Case Ref,Team,Request Received,Child Name,Weeks\r\n"
        for index in 1...40 {
            switch index % 10 {
            case 0: text += "C\(index),\"North\nEast\",12/01/2023,\"Ann\r\nMarie\",\(index)\n"
            case 1: text += "C\(index),South,31/02/2023,Bob,4\r\n"
            case 2: text += "\n\r\n"
            case 3: text += ",,,,\n"
            case 4: text += "C\(index),\"a \"\"quoted\"\", team\",2023-03-01,Carol,five\n"
            case 5: text += "C\(index),North\n"
            case 6: text += "C\(index),North,01/02/2024,Dan,1,extra\n"
            case 7: text += "\u{FEFF}C\(index), West ,N/A,Eve,\n"
            case 8:
                text += "C\(index),\"" + String(repeating: "long\nquoted ", count: 12) + "\",02/03/2024,Fay,2\r\n"
            default: text += "C\(index),East,29/02/2024,Gus,\(index)\n"
            }
        }
        var bytes = Array(text.utf8)
        // "Zoë" in Windows-1252: not UTF-8, read as the source reads it.
        bytes += Array("C99,North,01/01/2024,Zo".utf8) + [0xEB] + Array(",3".utf8)
        return bytes
    }()

    func reader(_ bytes: [UInt8], errorLimit: Int = 20) throws -> DatasetReader {
        let project = try CSVFixtures.project(bytes: ["data/assessments.csv": bytes])
        let dataset = try CSVFixtures.dataset(
            "path: data/assessments.csv", fields: Self.fields, nullValues: ["", "N/A"], dateFormat: "dd/MM/yyyy",
            errorLimit: errorLimit)
        return DatasetReader(dataset: dataset, source: try CSVSource(dataset: dataset, project: project))
    }

    /// Everything a reading gives, as text: each row visited with its number, the errors, the counts; or the error
    /// that stopped it.
    static func reading(_ reader: DatasetReader, pieceSize: Int?, workers: Int = 1, decoding: Set<Int>? = nil)
        -> String
    {
        let sharing = WorkSharing(jobs: 1)
        let pieces = pieceSize.map {
            PieceReading(sharing: sharing, pieceSize: $0, minimumBytes: 0, inFlight: 2 * workers)
        }
        return ParallelWork.map([reader], workers: workers, sharing: sharing) { reader -> String in
            var text = ""
            do {
                let summary = try reader.read(decoding: decoding, pieces: pieces) { row, number in
                    text += "\(number): \(row)\n"
                }
                text += summary.errors.map(\.description).joined(separator: "\n")
                text += "\nread \(summary.rowsRead) skipped \(summary.rowsSkipped) errors \(summary.errorCount)"
            } catch {
                text += "error: \(error)"
            }
            return text
        }[0]
    }

    @Test func everyPieceSizeAndNumberOfThreadsGivesTheRowsNumbersAndErrorsOfOneReading() throws {
        let reader = try reader(Self.file)
        let whole = Self.reading(reader, pieceSize: nil)
        #expect(whole.contains("31/02/2023"))
        #expect(whole.contains("Marie"))
        #expect(whole.contains("Zoë"))
        #expect(!whole.contains("error:"))
        for pieceSize in Array(1...64) + [97, 200, 1000, Self.file.count] {
            for workers in [1, 3] {
                #expect(
                    Self.reading(reader, pieceSize: pieceSize, workers: workers) == whole,
                    "pieces of \(pieceSize) bytes, \(workers) threads")
            }
        }
    }

    @Test func theFieldsNotDecodedAreStillCheckedInEveryPiece() throws {
        let reader = try reader(Self.file)
        let whole = Self.reading(reader, pieceSize: nil, decoding: [0, 2])
        for pieceSize in [5, 33, 256] {
            #expect(Self.reading(reader, pieceSize: pieceSize, workers: 2, decoding: [0, 2]) == whole)
        }
    }

    /// Rows numbered as a spreadsheet shows them, counted independently: a bad date far into the file, after quoted
    /// line ends and blank lines, is reported at its row from whichever piece read it.
    @Test func aBadValueInALatePieceNamesItsRow() throws {
        var text = "Case Ref,Team,Request Received,Child Name,Weeks\n"
        var row = 1
        var badRows: [Int] = []
        for index in 1...600 {
            if index % 50 == 0 {
                text += "\n"
                row += 1
            }
            text += "C\(index),\"Team\nwith a line end\",\(index % 97 == 0 ? "32/01/2024" : "01/01/2024"),Kim,1\r\n"
            row += 1
            if index % 97 == 0 { badRows.append(row) }
        }
        let reader = try reader(Array(text.utf8))
        for pieceSize in [64, 1000, 4096] {
            let reading = Self.reading(reader, pieceSize: pieceSize, workers: 2)
            #expect(reading.hasSuffix("read 600 skipped 6 errors 6"))
            for bad in badRows {
                #expect(reading.contains("data/assessments.csv, row \(bad), column \"Request Received\""))
            }
            #expect(reading.contains("\(row): "), "the last row is numbered \(row)")
            #expect(reading == Self.reading(reader, pieceSize: nil))
        }
    }

    @Test func moreBadValuesThanTheLimitKeepTheFirstOnesInOrder() throws {
        var text = "Case Ref,Team,Request Received,Child Name,Weeks\n"
        for index in 1...300 { text += "C\(index),North,\(index % 3 == 0 ? "soon" : "01/01/2024"),Kim,x\(index)\n" }
        let reader = try reader(Array(text.utf8), errorLimit: 7)
        let whole = Self.reading(reader, pieceSize: nil)
        #expect(whole.hasSuffix("errors 400"))
        for pieceSize in [40, 300, 2000] { #expect(Self.reading(reader, pieceSize: pieceSize, workers: 2) == whole) }
    }

    @Test func aQuoteNeverClosedIsTheSameErrorAtTheSameRow() throws {
        var text = "Case Ref,Team,Request Received,Child Name,Weeks\n"
        for index in 1...100 { text += "C\(index),North,01/01/2024,Kim,1\n" }
        text += "C101,\"North,01/01/2024,Kim,1\n"
        for index in 102...120 { text += "C\(index),North,01/01/2024,Kim,1\n" }
        let reader = try reader(Array(text.utf8))
        let whole = Self.reading(reader, pieceSize: nil)
        #expect(whole.contains("error: "))
        #expect(whole.contains("row 102"))
        for pieceSize in [16, 100, 1000] {
            for workers in [1, 2] { #expect(Self.reading(reader, pieceSize: pieceSize, workers: workers) == whole) }
        }
    }

    /// The demo run end to end (every dataset, KPI, alert and problem) prints the same bytes with its files read in
    /// pieces of any size on one thread or several as read in one go.
    @Test func theDemoPrintsTheSameBytesReadInPieces() throws {
        let config = TestPaths.repo("examples/demo/kpiwatch.yaml")
        func output(pieceSize: Int?, workers: Int) throws -> String {
            var engine = Engine.standard()
            engine.datasetWorkers = workers
            if let pieceSize {
                engine.pieceSize = pieceSize
                engine.pieceMinimumBytes = 0
            } else {
                engine.pieceMinimumBytes = .max
            }
            let evaluation = try engine.evaluate(try engine.load(configPath: config), asOf: DatasetWorkersTests.asOf)
            let datasets = evaluation.datasets.map {
                "\($0.name) \($0.status) read \($0.rowsRead) skipped \($0.rowsSkipped)\n"
                    + $0.problems.map(\.description).joined(separator: "\n")
            }
            return JSONLines.render(evaluation) + TextReport.render(evaluation) + datasets.joined(separator: "\n")
        }
        let whole = try output(pieceSize: nil, workers: 1)
        #expect(whole.count > 100_000)
        for (pieceSize, workers) in [(777, 1), (777, 2), (4096, 3), (1 << 16, 2)] {
            #expect(try output(pieceSize: pieceSize, workers: workers) == whole, "\(pieceSize) bytes, \(workers)")
        }
    }
}
