import KPIWatchCore
import KPIWatchExpressions

extension TemplatePlural {
    /// The placeholder as a message part: `number` written as messages write numbers (`1,204`, `2.5`), then its
    /// word; a missing number reads `– plans`, as a missing `{value}` reads `–`.
    func compiled(_ number: CompiledExpression) -> CompiledExpression {
        number.mapped(to: .string) { value in
            .string(text(ValueFormatter.plain(value)))
        }
    }
}
