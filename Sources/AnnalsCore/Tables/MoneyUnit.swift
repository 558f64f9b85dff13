import Foundation

/// The unit a table's amounts are printed in: "Belopp i kr", "Belopp tkr", "mnkr".
public enum MoneyUnit: String, Sendable, Hashable, Codable, CaseIterable {
    case kr, tkr, mnkr

    /// Kronor per printed unit.
    public var scale: Decimal {
        switch self {
        case .kr: 1
        case .tkr: 1000
        case .mnkr: 1_000_000
        }
    }

    /// The unit a line of text names, if any: `Belopp i tkr.` → `.tkr`,
    /// `Belopp i kr.` → `.kr`, `(mnkr)` or `Mkr` → `.mnkr`. An OCR'd `Belopp 1 tkr`
    /// reads as tkr. Only whole words count: `kronor` in prose is `.kr`, but
    /// `krona`-less text is nil.
    public static func named(in text: String) -> MoneyUnit? {
        let words = text.lowercased()
            .split { !$0.isLetter }
            .map(String.init)
        if words.contains(where: { ["tkr", "tusen", "tusental", "tusentals", "ksek"].contains($0) }) { return .tkr }
        if words.contains(where: { ["mnkr", "mkr", "msek", "miljoner"].contains($0) }) { return .mnkr }
        if words.contains(where: { ["kr", "kronor", "sek"].contains($0) }) { return .kr }
        return nil
    }
}
