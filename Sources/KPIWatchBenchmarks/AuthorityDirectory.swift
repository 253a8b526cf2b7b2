import Foundation
import KPIWatchCore

/// Finds the local authority a user means by `--la`: the 3-digit DfE number (`878`), the ONS code
/// (`E10000008`) or the name in any case (`devon`, `Bristol`, `Durham`).
public struct AuthorityDirectory: Sendable {
    /// Newest first, so a reused name or number ("Dorset" before and after its 2019 merger) means the
    /// council as it is now.
    public let authorities: [LocalAuthority]

    /// The authorities that the rows' `Local authority` lines name, newest `time_period` first.
    package init(rows: [EESRow]) {
        var seen: Set<String> = []
        var authorities: [LocalAuthority] = []
        let newestFirst = rows.enumerated().sorted {
            ($0.element["time_period"], $1.offset) > ($1.element["time_period"], $0.offset)
        }
        for (_, row) in newestFirst where GeographicLevel(row) == .localAuthority {
            let authority = LocalAuthority(row: row)
            if seen.insert(authority.newCode + "|" + authority.oldCode).inserted { authorities.append(authority) }
        }
        self.authorities = authorities
    }

    /// - Throws: `Diagnostic` naming the nearest authority when nothing matches.
    public func resolve(_ text: String) throws -> LocalAuthority {
        let wanted = text.trimmingCharacters(in: .whitespaces)
        if let match = authorities.first(where: { $0.oldCode == wanted })
            ?? authorities.first(where: { $0.newCode.lowercased() == wanted.lowercased() })
            ?? authorities.first(where: { $0.name.lowercased() == wanted.lowercased() })
            ?? authorities.first(where: { AuthorityName.key($0.name) == AuthorityName.key(wanted) })
        {
            return match
        }
        let names = Array(Set(authorities.map(\.name)))
        var hint = suggestion(for: wanted, in: names, noun: "authorities")
        if wanted.allSatisfy(\.isNumber) || wanted.first?.isLetter == true && wanted.dropFirst().allSatisfy(\.isNumber)
        {
            hint =
                "no authority has that code; give the 3-digit DfE number (878), the ONS code (E10000008) or "
                + "the name (Devon); " + hint
        }
        throw Diagnostic("no local authority '\(wanted)' in DfE's published files", place: "--la", hint: hint)
    }
}
