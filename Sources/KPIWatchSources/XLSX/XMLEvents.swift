import Foundation
import KPIWatchCore
import KPIWatchEngine

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Receives the elements of an XML part one event at a time, so that a worksheet of any size is read
/// without building a tree. Names arrive without their namespace prefix: some writers spell
/// `<x:c>` where Excel spells `<c>`.
package protocol XMLEventHandler: AnyObject {
    func start(_ name: String, _ attributes: [String: String]) throws
    func end(_ name: String) throws
    func text(_ text: String)
}

extension XMLEventHandler {
    package func text(_ text: String) {}
}

/// Runs `XMLParser` (libxml2's SAX parser, no extra dependency) over one part of a workbook.
package enum XMLEvents {
    /// `describe` names the part in errors, e.g. `data/cases.xlsx: xl/worksheets/sheet1.xml`.
    package static func parse(_ data: Data, with handler: some XMLEventHandler, describe: String) throws {
        // libxml2 hands on an element name it cannot decode as it is, and XMLParser traps on bytes that
        // are not UTF-8 (found by fuzz-xlsx): a damaged part must be an error, not a crash. Excel and
        // LibreOffice write UTF-8; a part with a UTF-16 byte order mark is left to libxml2.
        let utf16 = data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF])
        if !utf16 && String(validating: data, as: UTF8.self) == nil {
            throw Diagnostic(
                "\(describe) is not UTF-8 XML", place: describe,
                hint: "the workbook may be damaged; open it in Excel or LibreOffice and save it again as .xlsx")
        }
        let parser = XMLParser(data: data)
        let delegate = Delegate(handler)
        parser.delegate = delegate
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let finished = parser.parse()
        if let failure = delegate.failure {
            if failure is XMLStopReading { return }
            throw failure
        }
        if !finished {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"
            throw Diagnostic(
                "\(describe) is not well-formed XML (line \(parser.lineNumber)): \(reason)",
                place: describe,
                hint: "the workbook may be damaged; open it in Excel or LibreOffice and save it again as .xlsx")
        }
    }

    /// `x:c` → `c`.
    package static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    /// An attribute by local name, whatever prefix the writer gave it (`r:id`, `ns1:id`).
    package static func attribute(_ local: String, in attributes: [String: String]) -> String? {
        if let value = attributes[local] { return value }
        for (key, value) in attributes where localName(key) == local { return value }
        return nil
    }

    /// Forwards parser callbacks; a handler's error stops the parse and is rethrown by `parse`.
    private final class Delegate<Handler: XMLEventHandler>: NSObject, XMLParserDelegate {
        let handler: Handler
        var failure: (any Error)?

        init(_ handler: Handler) { self.handler = handler }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            guard failure == nil else { return }
            do {
                try handler.start(XMLEvents.localName(elementName), attributeDict)
            } catch {
                failure = error
                parser.abortParsing()
            }
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?
        ) {
            guard failure == nil else { return }
            do {
                try handler.end(XMLEvents.localName(elementName))
            } catch {
                failure = error
                parser.abortParsing()
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard failure == nil else { return }
            handler.text(string)
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            guard failure == nil else { return }
            handler.text(String(decoding: block, as: UTF8.self))
        }
    }
}

/// Thrown by a handler that has read all it needs, so the rest of a large part is not parsed;
/// `XMLEvents.parse` then returns normally.
package struct XMLStopReading: Error {}
