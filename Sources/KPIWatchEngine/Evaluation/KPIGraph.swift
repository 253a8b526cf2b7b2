import KPIWatchCore

/// Orders KPIs so that each comes after the KPIs it references; a cycle is a load error naming it.
/// Iterative (an explicit stack, not recursion): a chain of thousands of KPIs, each built on the next, must not
/// overflow the thread's stack.
package enum KPIGraph {
    package static func order(_ kpis: [CompiledKPI]) throws -> [Int] {
        var state = [UInt8](repeating: 0, count: kpis.count)  // 0 new, 1 on the path, 2 done
        var order: [Int] = []
        order.reserveCapacity(kpis.count)
        var diagnostics = DiagnosticCollector()
        // The depth-first path: each node with the index of the next reference to follow.
        var path: [(node: Int, next: Int)] = []
        var onPath: [Int: Int] = [:]  // node → its position in `path`

        for root in kpis.indices where state[root] == 0 {
            state[root] = 1
            path.append((root, 0))
            onPath[root] = 0
            while let top = path.last {
                let references = kpis[top.node].referenceSlots
                guard top.next < references.count else {
                    path.removeLast()
                    onPath[top.node] = nil
                    state[top.node] = 2
                    order.append(top.node)
                    continue
                }
                path[path.count - 1].next += 1
                let target = references[top.next]
                switch state[target] {
                case 0:
                    state[target] = 1
                    onPath[target] = path.count
                    path.append((target, 0))
                case 1:
                    let start = onPath[target]!
                    let cycle = (path[start...].map(\.node) + [target]).map { kpis[$0].rule.id }
                    diagnostics.add(
                        Diagnostic(
                            "KPIs reference each other in a cycle: "
                                + cycle.map { "kpi.\($0)" }.joined(separator: " → "),
                            at: kpis[target].rule.value.origin.start,
                            hint: "a KPI cannot depend on itself, directly or through others"))
                default:
                    continue
                }
            }
        }
        try diagnostics.throwIfAny()
        return order
    }
}
