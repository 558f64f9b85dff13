@testable import AnnalsCore
import Foundation
import Testing

/// `Report.jsonData` writes what `JSONEncoder` writes, byte for byte: the
/// JSON is the contract, and the writer is only a faster way to it.
@Suite struct ReportJSONTests {
    static let compact: JSONEncoder.OutputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    static let pretty: JSONEncoder.OutputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]

    static func encoded<T: Encodable>(_ value: T, _ formatting: JSONEncoder.OutputFormatting) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        return try encoder.encode(value)
    }

    /// Equal bytes, or a comment naming the first offset where they part,
    /// with the text around it from both sides.
    static func expectSame(_ ours: Data, _ theirs: Data, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard ours != theirs else { return }
        let a = Array(ours), b = Array(theirs)
        let offset = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        func around(_ bytes: [UInt8]) -> String {
            let lower = max(0, offset - 80), upper = min(bytes.count, offset + 80)
            // New lines shown as \n: pretty output's context stays on one line.
            return String(decoding: bytes[lower..<upper], as: UTF8.self).replacingOccurrences(of: "\n", with: "\\n")
        }
        Issue.record("""
            \(label): the writer's \(a.count) bytes differ from JSONEncoder's \(b.count) at offset \(offset)
            writer:      …\(around(a))…
            JSONEncoder: …\(around(b))…
            """, sourceLocation: sourceLocation)
    }

    static func expectBothFormats(_ report: Report, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        expectSame(try report.jsonData(), try encoded(report, compact), "\(label) (compact)", sourceLocation: sourceLocation)
        expectSame(try report.jsonData(pretty: true), try encoded(report, pretty), "\(label) (pretty)", sourceLocation: sourceLocation)
    }

    // MARK: The born-digital samples

    static let samples = [
        "A-sodra-norrbotten-2020-delarsrapport", "B-pyramis-lulea-2019-arsredovisning",
        "C-sodra-norrbotten-2023-arsredovisning", "D-huddinge-botkyrka-salem-2018-arsredovisning",
    ]

    static let mappings: [Mapping] = (try? MappingLoader.load(directory: Fixtures.root.appendingPathComponent("mappings"))) ?? []

    @Test(arguments: samples)
    func sampleReportIsWrittenAsJSONEncoderWritesIt(_ name: String) throws {
        var extraction = ReportExtraction(mappings: Self.mappings)
        extraction.ocr = OCRReader(mode: .never)
        let report = try extraction.run(file: Fixtures.sample("\(name).pdf"))
        #expect(!report.facts.isEmpty && !report.tables.isEmpty)
        try Self.expectBothFormats(report, name)
    }

    // MARK: A report made by hand, every optional field set and unset

    static let awkward = [
        "", "plain", "quote \" in", "back\\slash", "a/b and </script>", "new\nline", "tab\there", "cr\rlf\n",
        "\u{01}\u{1F}\u{7F}\u{08}\u{0C}\u{00}", "line\u{2028}sep\u{2029}", "Årets resultat: å ä ö Å Ä Ö",
        "\u{2212}725 256", "emoji 🧾👩‍👩‍👧", "e\u{301}x", "\u{FEFF}bom", "\u{FFFD}", "\"\\\"/\\/",
    ]

    static func day(_ text: String) -> Day { Day(iso: text)! }

    static func handMadeReport(everything: Bool) -> Report {
        let span = Period.span(start: day("2019-01-01"), end: day("2019-12-31"))
        let instant = Period.instant(day("2020-06-30"))
        let box = Rect(x0: 12.345, y0: -0.0, x1: 1e-7, y1: 123456789.125)
        let decimals: [Decimal] = [0, -1, Decimal(string: "-725256")!, Decimal(string: "12345678901234567890")!,
                                   Decimal(string: "0.005")!, Decimal(string: "-1234.50")!, Decimal(sign: .minus, exponent: -3, significand: 12),
                                   Decimal(15400) * Decimal(string: "0.001")!, Decimal(string: "1e20")!, Decimal(string: "0.1")! + Decimal(string: "0.2")!]
        let doubles: [Double] = [0, -0.0, 1, 0.1, 1e-7, 1e21, 123456789.125, 0.99, 0.6, 1.0 / 3, -2.5, 1e15, 1e16, 5e-324]
        var facts: [Fact] = []
        for (i, text) in awkward.enumerated() {
            let source = Fact.Source(
                page: i, table: everything ? text : nil, row: everything ? text : nil, column: everything ? text : nil, text: text,
                unit: everything ? "tkr" : nil, bbox: everything ? box : nil, rule: everything ? "finsam-generic:\(text)" : nil,
                tableID: everything ? "p\(i)-t1" : nil, rowIndex: everything ? i : nil, columnIndex: everything ? -i : nil)
            facts.append(Fact(
                id: "f\(i)\(text)", concept: text, value: decimals[i % decimals.count], unit: [.sek, .persons, .ratio, .count][i % 4],
                period: i % 2 == 0 ? span : instant, scenario: [.actual, .budget, .annualBudget, .deviation, .forecast][i % 5],
                dims: i % 3 == 0 ? [:] : i % 3 == 1 ? [text: text] : ["b": "1", "a": text, "Z": "", "å": "ä", "e\u{301}x": "y", "éa": "z", text: "t"],
                source: source, confidence: doubles[i % doubles.count], rounding: decimals[(i + 3) % decimals.count]))
        }
        let values = facts.enumerated().map { i, fact in
            ConsolidatedValue(concept: fact.concept, dims: fact.dims, scenario: fact.scenario, period: fact.period, value: fact.value,
                              unit: fact.unit, facts: i % 2 == 0 ? [] : [fact.id, "x/y\"z"], agreed: i % 2 == 0,
                              confidence: doubles[(i + 5) % doubles.count])
        }
        var warnings = [ReportWarning(code: "cross_table_mismatch", severity: .error, message: "a \"b\" / c\n",
                                      concept: everything ? "income.total" : nil, period: everything ? span : nil,
                                      expected: everything ? Decimal(string: "-12.5")! : nil, actual: everything ? Decimal(string: "12345678901234567890")! : nil,
                                      facts: ["f1", "f2"], pages: everything ? [1, 22, 333] : [],
                                      related: everything ? .init(sha256: "abc", file: "x/ä.pdf", facts: [], pages: [7]) : nil)]
        warnings.append(ReportWarning(code: "unmapped_table", severity: .info, message: ""))

        var heading = ColumnHeading(parsing: "Utfall 2020-06-30")
        var columns = [
            Table.Column(header: "2019-01-01 -2019-12-31", x0: 300.126, x1: 350.5),
            Table.Column(header: "Budget 2020", x0: 0, x1: -0.0),
            Table.Column(header: "Utfall 2020-06-30", x0: 1e-9, x1: 99999.999),
            Table.Column(header: "", x0: 1, x1: 2),
        ]
        heading.isNoteColumn = true
        columns[3].heading = heading
        columns[3].heading.reference = everything ? .year(-12) : nil
        columns[3].heading.scenario = everything ? .forecast : nil
        var cells: [Table.Cell?] = ["2 494 227", "−725 256", "70%", "Inga", "Ej budgeterat", "15 400,0", "20 4492", "(1 234)", "-", "12*"]
            .enumerated().map { i, text in
                Table.Cell(text: text, bbox: box, page: i, confidence: i % 2 == 0 ? nil : doubles[i % doubles.count])
            }
        cells.insert(nil, at: 2)
        cells.append(nil)
        var special = Table.Cell(text: "x/\"y\"", bbox: box, page: 1)
        special.value = CellValue(kind: .text, value: Decimal(string: "-0.50")!, text: "x")
        special.value.isPercent = true
        special.value.irregular = true
        cells.append(special)
        let rows = [
            Table.Row(label: "Summa \"intäkter\"", labelBox: everything ? box : nil, cells: cells, page: 3, isTotal: true, isBold: false),
            Table.Row(label: "", labelBox: nil, cells: [], page: 4, isTotal: false, isBold: true),
            Table.Row(label: "Tillgångar", labelBox: box, cells: [nil, nil], page: 5, isTotal: false, isBold: false),
        ]
        let tables = [
            Table(id: "p18-t1", title: everything ? "Resultaträkning" : nil, section: everything ? "1.1. Översikt" : nil, page: 18,
                  pages: [18, 19], unit: everything ? .tkr : nil, unitText: everything ? "Belopp i tkr." : nil,
                  labelHeader: everything ? "Belopp i kr." : nil, columns: columns, rows: rows, bbox: box, mapped: everything ? false : nil),
            Table(id: "empty", title: nil, section: nil, page: 1, pages: [], unit: nil, unitText: nil, labelHeader: nil, columns: [],
                  rows: [], bbox: Rect(x0: 0, y0: 0, x1: 0, y1: 0), mapped: true),
        ]
        return Report(
            source: .init(file: "samples/x/å.pdf", sha256: "0123abcd", pages: 34, textPages: everything ? [1, 2, 3] : [],
                          ocrPages: everything ? [4] : [], emptyPages: []),
            layout: .init(id: "sodra-norrbotten-2023", score: 0.88,
                          candidates: everything ? [.init(id: "a", score: 0.88), .init(id: "b", score: 0)] : []),
            organisation: .init(name: everything ? "Samordningsförbundet \"Södra\" / Norrbotten" : nil),
            report: .init(type: everything ? .interim : nil, period: everything ? instant : nil),
            facts: facts, values: values, tables: tables, warnings: warnings)
    }

    @Test(arguments: [true, false])
    func handMadeReportIsWrittenAsJSONEncoderWritesIt(everything: Bool) throws {
        try Self.expectBothFormats(Self.handMadeReport(everything: everything), "hand-made report (everything: \(everything))")
    }

    @Test func emptyReportIsWrittenAsJSONEncoderWritesIt() throws {
        let report = Report(source: .init(file: "", sha256: "", pages: 0, textPages: [], ocrPages: [], emptyPages: []),
                            layout: .init(id: "", score: 0, candidates: []), organisation: .init(name: nil),
                            report: .init(type: nil, period: nil), facts: [], values: [], tables: [], warnings: [])
        try Self.expectBothFormats(report, "empty report")
    }

    @Test func nonFiniteDoublesThrowAsJSONEncoderThrows() throws {
        var report = Self.handMadeReport(everything: false)
        for bad in [Double.nan, .infinity, -.infinity] {
            report.layout.score = bad
            #expect(throws: EncodingError.self) { try report.jsonData() }
            #expect(throws: EncodingError.self) { try Self.encoded(report, Self.compact) }
        }
    }

    // MARK: The scalars, many at a time

    /// What the writer makes of each value, written as a JSON array.
    static func ours<T>(_ values: [T], _ write: (inout ReportJSONWriter, T) throws -> Void) rethrows -> Data {
        var writer = ReportJSONWriter(pretty: false)
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, value) in values.enumerated() {
            writer = ReportJSONWriter(pretty: false)
            try write(&writer, value)
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += writer.bytes
        }
        out.append(UInt8(ascii: "]"))
        return Data(out)
    }

    @Test func stringsAreEscapedAsJSONEncoderEscapesThem() throws {
        var texts = Self.awkward
        texts += (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        let scalars: [Unicode.Scalar] = (0..<0x80).compactMap(Unicode.Scalar.init)
            + ["\u{80}", "\u{A0}", "\u{E5}", "\u{2028}", "\u{2029}", "\u{2212}", "\u{FEFF}", "\u{FFFD}", "\u{1F9FE}", "\u{301}", "\u{D7FF}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let count = Int.random(in: 0...24, using: &generator)
            texts.append(String(String.UnicodeScalarView((0..<count).map { _ in scalars.randomElement(using: &generator)! })))
        }
        Self.expectSame(Self.ours(texts) { $0.string($1) }, try Self.encoded(texts, Self.compact), "strings")
    }

    @Test func doublesAreWrittenAsJSONEncoderWritesThem() throws {
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 1e-7, 1e21, 123456789.125, 1e15, 1e15 - 1, -1e15 + 1, 1e16, 9007199254740992,
                                0.0001, 0.00001, 5e-324, .leastNormalMagnitude, .greatestFiniteMagnitude, 100, 2.5e15, 0.5, 0.99, 1.0 / 3]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let magnitude = Double.random(in: -12...22, using: &generator)
            let v = pow(10, magnitude) * (Bool.random(using: &generator) ? -1 : 1)
            values += [v, (v * 100).rounded() / 100, v.rounded(), Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))]
        }
        values = values.filter(\.isFinite)
        Self.expectSame(try Self.ours(values) { try $0.double($1) }, try Self.encoded(values, Self.compact), "doubles")
    }

    @Test func decimalsAreWrittenAsJSONEncoderWritesThem() throws {
        var values: [Decimal] = [0, -1, 1, Decimal(string: "12345678901234567890")!, Decimal(string: "-0.005")!,
                                 Decimal(string: "1234.50")!, Decimal(sign: .minus, exponent: 0, significand: 0), .nan,
                                 Decimal.greatestFiniteMagnitude, Decimal.leastNonzeroMagnitude, Decimal(string: "0.1")! + Decimal(string: "0.2")!]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let significand = Decimal(UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator))
            let d = Decimal(sign: Bool.random(using: &generator) ? .minus : .plus, exponent: Int.random(in: -30...30, using: &generator),
                            significand: significand)
            // Products and quotients as the facts make them (scale, rounding steps).
            values += [d, d * 1000, d / 2, d * Decimal(string: "0.001")!]
        }
        Self.expectSame(Self.ours(values) { $0.decimal($1) }, try Self.encoded(values, Self.compact), "decimals")
    }

    /// The mantissa is read from the `Decimal`'s bytes (its `description` is
    /// slow); should Foundation change the layout, output stays right, through
    /// `description`, but this says the shortcut is gone.
    @Test func decimalMantissaIsReadDirectly() {
        #expect(ReportJSONWriter.mantissa(of: Decimal(string: "-725256")!) == 725256)
        #expect(ReportJSONWriter.mantissa(of: Decimal(string: "2494227")! * 1000) == 2494227)
        #expect(ReportJSONWriter.mantissa(of: Decimal(string: "0.005")!) == 5)
        #expect(ReportJSONWriter.mantissa(of: Decimal(UInt64.max)) == UInt64.max)
        #expect(ReportJSONWriter.mantissa(of: Decimal(UInt64.max) + 1) == nil)
        #expect(ReportJSONWriter.mantissa(of: 0) == nil)
        #expect(ReportJSONWriter.mantissa(of: .nan) == nil)
    }

    @Test func integersAndDaysAreWrittenAsJSONEncoderWritesThem() throws {
        let integers = [0, 1, -1, 9, 10, -10, 99, 100, 12345, Int.max, Int.min, Int.min + 1]
        Self.expectSame(Self.ours(integers) { $0.integer($1) }, try Self.encoded(integers, Self.compact), "integers")
        var days = [Self.day("2019-12-31"), Self.day("1900-01-01"), Self.day("2199-02-28")]
        var odd = days[0]
        for (y, m, d) in [(5, 1, 1), (-3, 12, 31), (12345, 123, -4), (0, 0, 0)] {
            odd.year = y
            odd.month = m
            odd.day = d
            days.append(odd)
        }
        Self.expectSame(Self.ours(days) { $0.write($1) }, try Self.encoded(days, Self.compact), "days")
    }
}
