import KPIWatchCore

/// Numbers as exports write them, read from UTF-8 bytes: an optional sign, digits that may be
/// grouped in thousands (`1,204`, as Excel formats them), a decimal point, and an exponent.
package enum NumberText {
    /// A whole number: `1204`, `-3`, `1,204`, and `12.0` (a spreadsheet's float that is whole).
    package static func int(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let negative = sign(bytes, &index)
        guard let negated = negatedIntegerPart(bytes, &index) else { return nil }
        if index < bytes.count && bytes[index] == 46 {
            index += 1
            while index < bytes.count && bytes[index] == 48 { index += 1 }
        }
        guard index == bytes.count else { return nil }
        if negative { return negated }
        let (value, overflow) = Int(0).subtractingReportingOverflow(negated)
        return overflow ? nil : value
    }

    /// A decimal number: `1204`, `1,204.5`, `-.5`, `1.5e3`.
    package static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        var clean: [UInt8] = []
        clean.reserveCapacity(bytes.count)
        if sign(bytes, &index) { clean.append(45) }
        var mantissaDigits = 0
        let wholeStart = index
        while index < bytes.count && (isDigit(bytes[index]) || bytes[index] == 44) { index += 1 }
        if index > wholeStart {
            guard validGrouping(UnsafeBufferPointer(rebasing: bytes[wholeStart..<index])) else { return nil }
            for byte in bytes[wholeStart..<index] where byte != 44 {
                clean.append(byte)
                mantissaDigits += 1
            }
        }
        if index < bytes.count && bytes[index] == 46 {
            clean.append(46)
            index += 1
            while index < bytes.count && isDigit(bytes[index]) {
                clean.append(bytes[index])
                index += 1
                mantissaDigits += 1
            }
        }
        guard mantissaDigits > 0 else { return nil }
        if index < bytes.count && (bytes[index] | 0x20) == UInt8(ascii: "e") {
            clean.append(101)
            index += 1
            if index < bytes.count && (bytes[index] == 43 || bytes[index] == 45) {
                clean.append(bytes[index])
                index += 1
            }
            let exponentStart = index
            while index < bytes.count && isDigit(bytes[index]) {
                clean.append(bytes[index])
                index += 1
            }
            guard index > exponentStart else { return nil }
        }
        guard index == bytes.count, let value = Double(String(decoding: clean, as: UTF8.self)), value.isFinite
        else {
            return nil
        }
        return value
    }

    /// A bare, unsigned number such as `45292` or `45292.5`: what Excel writes for an unformatted date.
    package static func serial(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let first = bytes.first, isDigit(first), !bytes.contains(44) else { return nil }
        return double(bytes)
    }

    private static func sign(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Bool {
        guard index < bytes.count, bytes[index] == 45 || bytes[index] == 43 else { return false }
        index += 1
        return bytes[index - 1] == 45
    }

    /// Digits with optional thousands separators, stopping at anything else, as their value below zero (where Int
    /// reaches one further than above it, so that "-9223372036854775808" reads as Int.min); nil on overflow or bad
    /// grouping.
    private static func negatedIntegerPart(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Int? {
        let start = index
        var value = 0
        var digits = 0
        while index < bytes.count && (isDigit(bytes[index]) || bytes[index] == 44) {
            if bytes[index] != 44 {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.subtractingReportingOverflow(Int(bytes[index] - 48))
                guard !overflow1, !overflow2 else { return nil }
                value = sum
                digits += 1
            }
            index += 1
        }
        guard digits > 0, validGrouping(UnsafeBufferPointer(rebasing: bytes[start..<index])) else { return nil }
        return value
    }

    /// No commas, or groups of three after a first group of one to three digits (`1,204,000`).
    private static func validGrouping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let firstComma = bytes.firstIndex(of: 44) else { return true }
        guard firstComma >= 1, firstComma <= 3 else { return false }
        var run = 0
        for byte in bytes[(firstComma + 1)...] {
            if byte == 44 {
                guard run == 3 else { return false }
                run = 0
            } else {
                run += 1
            }
        }
        return run == 3
    }

    package static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
