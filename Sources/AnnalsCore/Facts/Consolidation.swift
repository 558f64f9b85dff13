import Foundation

/// Turns the facts into one value per key (concept, dims, period, scenario):
/// the most authoritative occurrence's number, and whether the others agree.
public struct Consolidation: Sendable {
    public var precedence: [String]
    /// Kronor within which two money figures agree (rounding).
    public var tolerance: Decimal

    public init(precedence: [String], tolerance: Decimal) {
        self.precedence = precedence
        self.tolerance = tolerance
    }

    /// The values, and a `cross_table_mismatch` warning for each key whose
    /// occurrences differ.
    public func consolidate(_ facts: [Fact], sourceOf: (Fact) -> String) -> (values: [ConsolidatedValue], warnings: [ReportWarning]) {
        var groups: [Fact.Key: [Fact]] = [:]
        var order: [Fact.Key] = []
        for fact in facts {
            if groups[fact.key] == nil { order.append(fact.key) }
            groups[fact.key, default: []].append(fact)
        }
        func rank(_ fact: Fact) -> Int { precedence.firstIndex(of: sourceOf(fact)) ?? precedence.count }
        var values: [ConsolidatedValue] = []
        var warnings: [ReportWarning] = []
        for key in order {
            let occurrences = groups[key]!.enumerated().sorted { a, b in
                (rank(a.element), a.offset) < (rank(b.element), b.offset)
            }.map(\.element)
            let best = occurrences[0]
            // Two printings agree when they differ by no more than the
            // mapping's tolerance or what either one's rounding can hide.
            let disagreeing = occurrences.dropFirst().filter { other in
                let allowed = max(best.unit == .sek ? tolerance : 0, best.rounding, other.rounding)
                return abs(other.value - best.value) > allowed
            }
            let agreed = disagreeing.allSatisfy { $0.scenario == .deviation && abs($0.value) == abs(best.value) }
            values.append(ConsolidatedValue(
                concept: key.concept, dims: key.dims, scenario: key.scenario, period: key.period, value: best.value,
                unit: best.unit, facts: occurrences.map(\.id), agreed: agreed, confidence: best.confidence))
            for other in disagreeing {
                // Deviations printed with opposite signs in two tables are two
                // conventions (budget − outcome, outcome − budget), not two figures.
                if key.scenario == .deviation, abs(other.value) == abs(best.value) {
                    warnings.append(ReportWarning(
                        code: "sign_inconsistency", severity: .info,
                        message: "\(Self.place(other)) prints the deviation as \(Self.format(other)) and \(Self.place(best)) as \(Self.format(best)): the tables subtract in opposite directions",
                        concept: key.concept, period: key.period, facts: [best.id, other.id],
                        pages: [best.source.page, other.source.page]))
                    continue
                }
                warnings.append(ReportWarning(
                    code: "cross_table_mismatch", severity: .error,
                    message: "\(Self.place(other)) says \(Self.format(other)) but \(Self.place(best)) says \(Self.format(best)) for \(key.concept)\(Self.describe(key.dims)), \(key.period)",
                    concept: key.concept, period: key.period, expected: best.value, actual: other.value,
                    facts: [best.id, other.id], pages: [best.source.page, other.source.page]))
            }
        }
        return (values, warnings)
    }

    static func place(_ fact: Fact) -> String {
        let table = fact.source.table.map { "\u{201C}\($0)\u{201D}" } ?? "the text"
        let row = fact.source.row.map { " \($0)" } ?? ""
        return "\(table)\(row) (p. \(fact.source.page))"
    }

    static func format(_ fact: Fact) -> String {
        switch fact.unit {
        case .sek: SwedishNumberFormat.format(fact.value) + " kr"
        case .ratio: SwedishNumberFormat.format(fact.value * 100, decimals: 1) + " %"
        default: SwedishNumberFormat.format(fact.value)
        }
    }

    static func describe(_ dims: [String: String]) -> String {
        dims.isEmpty ? "" : " (" + dims.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
    }
}
