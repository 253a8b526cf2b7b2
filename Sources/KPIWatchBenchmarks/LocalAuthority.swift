import KPIWatchCore

/// A local authority as DfE names it, with the region it reports under.
public struct LocalAuthority: Sendable, Hashable {
    /// The 3-digit DfE number, e.g. `878`.
    public var oldCode: String
    /// The ONS code, e.g. `E10000008`.
    public var newCode: String
    public var name: String
    public var regionCode: String
    public var regionName: String

    public init(oldCode: String, newCode: String, name: String, regionCode: String, regionName: String) {
        self.oldCode = oldCode
        self.newCode = newCode
        self.name = name
        self.regionCode = regionCode
        self.regionName = regionName
    }

    /// `Devon (878, E10000008)`.
    public var label: String { "\(name) (\(oldCode), \(newCode))" }

    package init(row: EESRow) {
        self.init(
            oldCode: row["old_la_code"], newCode: row["new_la_code"], name: row["la_name"],
            regionCode: row["region_code"], regionName: row["region_name"])
    }
}
