import AnnalsCore
import Foundation
import Testing

@Suite struct CellValueTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var printed: String
        var value: Decimal?
        var kind: CellValue.Kind = .number
        var decimals = 0
        var percent = false
        var negative: CellValue.NegativeMark?
        var footnote: String?
        var irregular = false
        var testDescription: String { "\u{201C}\(printed)\u{201D}" }
    }

    static let cases: [Case] = [
        Case(printed: "2 494 227", value: 2_494_227),
        Case(printed: "-1 975 068", value: -1_975_068, negative: .hyphen),
        Case(printed: "\u{2212}725 256", value: -725_256, negative: .minusSign),
        Case(printed: "\u{2013}725 256", value: -725_256, negative: .enDash),
        Case(printed: "15 400,0", value: Decimal(string: "15400.0")!, decimals: 1),
        Case(printed: "-21 089,7", value: Decimal(string: "-21089.7")!, decimals: 1, negative: .hyphen),
        Case(printed: "0,60", value: Decimal(string: "0.60")!, decimals: 2),
        Case(printed: "70%", value: Decimal(string: "0.7")!, percent: true),
        Case(printed: "70 %", value: Decimal(string: "0.7")!, percent: true),
        Case(printed: "85,8%", value: Decimal(string: "0.858")!, decimals: 1, percent: true),
        Case(printed: "5000", value: 5000),
        Case(printed: "(1 234)", value: -1234, negative: .parentheses),
        Case(printed: "2\u{00A0}494\u{00A0}227", value: 2_494_227),
        Case(printed: "12\u{2009}161,6", value: Decimal(string: "12161.6")!, decimals: 1),
        Case(printed: "1\u{202F}812,3", value: Decimal(string: "1812.3")!, decimals: 1),
        Case(printed: "21*", value: 21, footnote: "*"),
        Case(printed: "60%**", value: Decimal(string: "0.6")!, percent: true, footnote: "**"),
        Case(printed: "0", value: 0),
        Case(printed: " 5 759 ", value: 5759),
        Case(printed: "+5 000", value: 5000),
        Case(printed: "Inga", value: nil, kind: .empty),
        Case(printed: "inga", value: nil, kind: .empty),
        Case(printed: "-", value: nil, kind: .empty),
        Case(printed: "\u{2013}", value: nil, kind: .empty),
        Case(printed: "", value: nil, kind: .empty),
        Case(printed: "Ej budgeterat", value: nil, kind: .text),
        Case(printed: "Ingen redovisning", value: nil, kind: .text),
        Case(printed: "2019-12-31", value: nil, kind: .text),
        Case(printed: "61(21)", value: nil, kind: .text, irregular: true),
        // OCR damage: digits the reconciliation stage must look at.
        Case(printed: "12:161;6", value: nil, kind: .text, irregular: true),
        Case(printed: "-20 4492", value: -204_492, negative: .hyphen, irregular: true),
        Case(printed: "18123", value: 18_123),
        Case(printed: "15 794,5.", value: Decimal(string: "15794.5")!, decimals: 1, irregular: true),
        Case(printed: "-—2580,0", value: Decimal(string: "-2580.0")!, decimals: 1, negative: .enDash, irregular: true),
        Case(printed: "l 812,3", value: nil, kind: .text, irregular: true),
        Case(printed: "2 58O,0", value: nil, kind: .text, irregular: true),
        Case(printed: "Summa", value: nil, kind: .text),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) {
        let cell = CellValue(parsing: c.printed)
        #expect(cell.kind == c.kind)
        #expect(cell.value == c.value)
        #expect(cell.text == c.printed)
        if c.kind == .number {
            #expect(cell.decimals == c.decimals)
            #expect(cell.isPercent == c.percent)
            #expect(cell.negativeMark == c.negative)
            #expect(cell.footnote == c.footnote)
        }
        #expect(cell.irregular == c.irregular)
    }

    @Test func formatsTheSwedishWay() {
        #expect(SwedishNumberFormat.format(2_494_227) == "2 494 227")
        #expect(SwedishNumberFormat.format(-1_975_068) == "-1 975 068")
        #expect(SwedishNumberFormat.format(Decimal(string: "15400")!, decimals: 1) == "15 400,0")
        #expect(SwedishNumberFormat.format(Decimal(string: "0.6")!, decimals: 2) == "0,60")
        #expect(SwedishNumberFormat.format(-725_256, minus: "\u{2212}") == "\u{2212}725 256")
        #expect(SwedishNumberFormat.format(999) == "999")
        #expect(SwedishNumberFormat.format(1000) == "1 000")
        #expect(SwedishNumberFormat.format(Decimal(string: "-0.04")!, decimals: 1) == "0,0")
    }

    /// Formatting a figure the Swedish way and reading it back gives the figure,
    /// for 5 000 seeded random figures of every size, sign and decimal count,
    /// with each of the separators and minus signs printed in these reports.
    @Test func formatThenParseIsTheIdentity() {
        var random = SplitMix64(seed: 0x616E_6E61_6C73)
        let groups = [" ", "\u{00A0}", "\u{2009}", "\u{202F}"]
        let minuses = ["-", "\u{2212}", "\u{2013}"]
        for _ in 0..<5_000 {
            let digits = Int(random.next() % 13) + 1
            var mantissa = Decimal(0)
            for _ in 0..<digits { mantissa = mantissa * 10 + Decimal(Int(random.next() % 10)) }
            let decimals = Int(random.next() % 4)
            var value = mantissa
            for _ in 0..<decimals { value /= 10 }
            if random.next() % 2 == 0 { value = -value }
            let group = groups[Int(random.next() % UInt64(groups.count))]
            let minus = minuses[Int(random.next() % UInt64(minuses.count))]
            let printed = SwedishNumberFormat.format(value, decimals: decimals, group: group, minus: minus)
            let parsed = CellValue(parsing: printed)
            #expect(parsed.kind == .number, "\(printed)")
            #expect(parsed.value == value, "\(printed) → \(String(describing: parsed.value)), expected \(value)")
            #expect(parsed.decimals == decimals, "\(printed)")
            #expect(!parsed.irregular, "\(printed)")
        }
    }
}

/// A small seedable generator, so the property test is the same every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct MoneyUnitTests {
    @Test(arguments: [
        ("Belopp i kr.", MoneyUnit.kr), ("Belopp i kr", .kr), ("Belopp tkr", .tkr), ("Belopp i tkr.", .tkr),
        ("Belopp 1 tkr", .tkr), ("(mnkr)", .mnkr), ("Mkr", .mnkr), ("Belopp i tusentals kronor", .tkr),
        ("Sammanställning av utfall och budget 2018 Belopp i tkr", .tkr), ("miljoner kronor", .mnkr),
        ("Belopp i kronor", .kr),
    ])
    func namesAUnit(_ text: String, _ unit: MoneyUnit) {
        #expect(MoneyUnit.named(in: text) == unit)
    }

    @Test(arguments: ["Resultaträkning", "Not 2. Fordringar", "Kristina", "Kronoberg", "2019-12-31", ""])
    func namesNoUnit(_ text: String) {
        #expect(MoneyUnit.named(in: text) == nil)
    }

    @Test func scalesToKronor() {
        #expect(MoneyUnit.kr.scale == 1)
        #expect(MoneyUnit.tkr.scale * Decimal(string: "15400.0")! == 15_400_000)
        #expect(MoneyUnit.mnkr.scale * Decimal(string: "21.09")! == 21_090_000)
    }
}
