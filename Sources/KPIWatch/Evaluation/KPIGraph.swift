/// Orders KPIs so that each comes after the KPIs it references; a cycle is a load error naming it.
enum KPIGraph {
    static func order(_ kpis: [CompiledKPI]) throws -> [Int] {
        var state = [UInt8](repeating: 0, count: kpis.count)  // 0 new, 1 on the path, 2 done
        var order: [Int] = []
        var path: [Int] = []
        var diagnostics = DiagnosticCollector()

        func visit(_ node: Int) {
            if state[node] == 2 { return }
            if state[node] == 1 {
                let start = path.firstIndex(of: node)!
                let cycle = (path[start...] + [node]).map { kpis[$0].rule.id }
                let first = kpis[node].rule
                diagnostics.add(
                    Diagnostic(
                        "KPIs reference each other in a cycle: " + cycle.map { "kpi.\($0)" }.joined(separator: " → "),
                        at: first.value.origin.start, hint: "a KPI cannot depend on itself, directly or through others")
                )
                return
            }
            state[node] = 1
            path.append(node)
            for target in kpis[node].referenceSlots { visit(target) }
            path.removeLast()
            state[node] = 2
            order.append(node)
        }

        for node in kpis.indices { visit(node) }
        try diagnostics.throwIfAny()
        return order
    }
}
