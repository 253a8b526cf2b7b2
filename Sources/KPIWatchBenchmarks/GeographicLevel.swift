import KPIWatchCore

/// DfE's `geographic_level`: every table carries England, its regions and its authorities in one file.
package enum GeographicLevel: Equatable {
    case national, regional, localAuthority, other

    package init(_ row: EESRow) {
        switch row["geographic_level"].lowercased() {
        case "national": self = .national
        case "regional": self = .regional
        case "local authority": self = .localAuthority
        default: self = .other
        }
    }

    package static let columns = [
        "time_period", "geographic_level", "country_code", "region_code", "region_name", "new_la_code",
        "old_la_code", "la_name",
    ]
}
