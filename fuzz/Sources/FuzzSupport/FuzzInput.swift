import Foundation
@testable import KPIWatchCore

/// The bytes libFuzzer hands to one run. Targets read a few leading bytes as choices (chunk size,
/// delimiter, scope) so that one input format drives every variant the reader has.
public struct FuzzInput {
    public let bytes: [UInt8]

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    }

    /// The first byte as a choice, and the bytes after it.
    public func choice() -> (UInt8, ArraySlice<UInt8>) {
        guard let first = bytes.first else { return (0, []) }
        return (first, bytes.dropFirst())
    }
}

/// What every target demands of an error: it is a located `Diagnostic` (or several), because a
/// user can act only on an error that names the file and the place. Anything else is a finding.
enum Oracle {
    static func expectDiagnostic(_ error: any Error, from what: String) {
        switch error {
        case let diagnostic as Diagnostic:
            _ = diagnostic.description
        case let diagnostics as Diagnostics:
            if diagnostics.items.isEmpty { fatalError("\(what) threw an empty Diagnostics") }
            _ = diagnostics.description
        default:
            fatalError("\(what) threw an error that is not a Diagnostic: \(type(of: error)): \(error)")
        }
    }
}
