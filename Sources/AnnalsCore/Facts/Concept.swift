/// The concepts of the output contract (`annals.report/1`, "Concepts (v1)"),
/// with what each needs: its unit, whether it is a flow or a stock, and
/// whether it is an outflow stored as a positive magnitude.
public struct Concept: Sendable, Hashable {
    public enum Unit: String, Sendable, Hashable, Codable {
        case sek = "SEK", persons, ratio, count
    }

    public enum PeriodType: String, Sendable, Hashable, Codable {
        case flow, stock
    }

    public var name: String
    public var unit: Unit
    public var periodType: PeriodType
    /// Costs and other outflows: stored as positive magnitudes whatever sign
    /// the source printed (the contract's sign rule).
    public var isOutflow: Bool

    init(_ name: String, _ unit: Unit = .sek, _ periodType: PeriodType = .flow, outflow: Bool = false) {
        self.name = name
        self.unit = unit
        self.periodType = periodType
        self.isOutflow = outflow
    }

    /// The concept called `name`, or nil for a name the contract does not define.
    public static func named(_ name: String) -> Concept? { all[name] }

    /// Every concept of the contract, by name.
    public static let all: [String: Concept] = {
        let list: [Concept] = [
            // Income statement
            Concept("income_statement.operating_income"),
            Concept("income_statement.member_contributions"),
            Concept("income_statement.other_income"),
            Concept("income_statement.operating_costs", outflow: true),
            Concept("income_statement.depreciation", outflow: true),
            Concept("income_statement.operating_result"),
            Concept("income_statement.financial_income"),
            Concept("income_statement.financial_costs", outflow: true),
            Concept("income_statement.result_after_financial_items"),
            Concept("income_statement.extraordinary_items"),
            Concept("income_statement.net_result"),
            Concept("income_statement.net_cost", outflow: true),
            // Balance sheet
            Concept("balance_sheet.receivables", .sek, .stock),
            Concept("balance_sheet.short_term_investments", .sek, .stock),
            Concept("balance_sheet.cash", .sek, .stock),
            Concept("balance_sheet.current_assets", .sek, .stock),
            Concept("balance_sheet.total_assets", .sek, .stock),
            Concept("balance_sheet.retained_equity", .sek, .stock),
            Concept("balance_sheet.transferred_equity", .sek, .stock),
            Concept("balance_sheet.equity_net_result", .sek, .stock),
            Concept("balance_sheet.equity", .sek, .stock),
            Concept("balance_sheet.long_term_liabilities", .sek, .stock),
            Concept("balance_sheet.accounts_payable", .sek, .stock),
            Concept("balance_sheet.other_liabilities", .sek, .stock),
            Concept("balance_sheet.accrued_liabilities", .sek, .stock),
            Concept("balance_sheet.current_liabilities", .sek, .stock),
            Concept("balance_sheet.total_liabilities", .sek, .stock),
            Concept("balance_sheet.total_equity_and_liabilities", .sek, .stock),
            // Cash flow
            Concept("cash_flow.net_result"),
            Concept("cash_flow.non_cash_adjustments"),
            Concept("cash_flow.funds_from_operations"),
            Concept("cash_flow.change_receivables"),
            Concept("cash_flow.change_liabilities"),
            Concept("cash_flow.operating"),
            Concept("cash_flow.net_change"),
            Concept("cash_flow.cash_at_start", .sek, .stock),
            Concept("cash_flow.cash_at_end", .sek, .stock),
            // Notes and breakdowns
            Concept("income.contribution"),
            Concept("income.item"),
            Concept("income.total"),
            Concept("costs.item", outflow: true),
            Concept("costs.total", outflow: true),
            Concept("receivables.item", .sek, .stock),
            Concept("receivables.total", .sek, .stock),
            Concept("accrued_liabilities.item", .sek, .stock),
            Concept("accrued_liabilities.total", .sek, .stock),
            Concept("current_liabilities.item", .sek, .stock),
            Concept("current_liabilities.total", .sek, .stock),
            Concept("intervention.cost", outflow: true),
            Concept("intervention.total", outflow: true),
            // Key ratios and organisation
            Concept("ratio.equity_ratio", .ratio, .stock),
            Concept("organisation.employees", .count, .stock),
            // Participants
            Concept("participants.total", .persons),
            Concept("participants.women", .persons),
            Concept("participants.men", .persons),
            Concept("participants.other_gender", .persons),
            Concept("participants.new", .persons),
            Concept("participants.ended", .persons),
            Concept("participants.ended_to_work", .persons),
            Concept("participants.ended_to_studies", .persons),
            Concept("participants.ended_to_work_or_studies", .persons),
            Concept("participants.ended_job_seeking", .persons),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()
}
