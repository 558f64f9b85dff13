import AnnalsCore
import Foundation
import Testing

@Suite struct ColumnHeadingTests {
    static func day(_ text: String) -> Day { Day(iso: text)! }

    struct Case: Sendable, CustomTestStringConvertible {
        var header: String
        var reference: ColumnHeading.Reference?
        var scenario: ColumnHeading.Scenario?
        var testDescription: String { "\u{201C}\(header)\u{201D}" }
    }

    static let cases: [Case] = [
        Case(header: "2019-01-01 -2019-12-31", reference: .span(start: day("2019-01-01"), end: day("2019-12-31"))),
        Case(header: "2020-01-01 2020-06-30", reference: .span(start: day("2020-01-01"), end: day("2020-06-30"))),
        Case(header: "20200101–20200630", reference: .span(start: day("2020-01-01"), end: day("2020-06-30"))),
        Case(header: "2020-01-01—2020-06-30", reference: .span(start: day("2020-01-01"), end: day("2020-06-30"))),
        Case(header: "Utfall jan-dec 2019", reference: .span(start: day("2019-01-01"), end: day("2019-12-31")), scenario: .actual),
        Case(header: "Aktuell budget jan-dec 2023", reference: .span(start: day("2023-01-01"), end: day("2023-12-31")), scenario: .budget),
        Case(header: "Utfall januari–juni 2020", reference: .span(start: day("2020-01-01"), end: day("2020-06-30")), scenario: .actual),
        Case(header: "Utfall 2020-06-30", reference: .date(day("2020-06-30")), scenario: .actual),
        Case(header: "Budget 2020-06-30", reference: .date(day("2020-06-30")), scenario: .budget),
        Case(header: "Budget 2020", reference: .year(2020), scenario: .budget),
        Case(header: "Årsbudget 2020", reference: .year(2020), scenario: .annualBudget),
        Case(header: "Års- budget", reference: nil, scenario: .annualBudget),
        Case(header: "Bokslut helår 2018", reference: .year(2018), scenario: .actual),
        Case(header: "Avvikelse budget-utfall", reference: nil, scenario: .deviation),
        Case(header: "Avvikelse utfall – budget", reference: nil, scenario: .deviation),
        Case(header: "Avvikelse 2018-12-31", reference: .date(day("2018-12-31")), scenario: .deviation),
        Case(header: "2019-12-31", reference: .date(day("2019-12-31"))),
        Case(header: "2019", reference: .year(2019)),
        Case(header: "Periodens Utfall", reference: nil, scenario: .actual),
        Case(header: "Prognos helår 2021", reference: .year(2021), scenario: .forecast),
        Case(header: "Kvinnor", reference: nil, scenario: nil),
        // OCR slips one letter.
        Case(header: "\"Avwvikelse 2018-12-31", reference: .date(day("2018-12-31")), scenario: .deviation),
        Case(header: "Butget 2018", reference: .year(2018), scenario: .budget),
    ]

    @Test(arguments: cases)
    func reads(_ c: Case) {
        let heading = ColumnHeading(parsing: c.header)
        #expect(heading.reference == c.reference)
        #expect(heading.scenario == c.scenario)
    }

    @Test func notColumn() {
        #expect(ColumnHeading(parsing: "Not").isNoteColumn)
        #expect(!ColumnHeading(parsing: "Noter om 2019").isNoteColumn)
    }

    @Test func flowAndStockPeriods() {
        let toDate = ColumnHeading(parsing: "Utfall 2020-06-30")
        #expect(toDate.flowPeriod == .span(start: Self.day("2020-01-01"), end: Self.day("2020-06-30")))
        #expect(toDate.stockPeriod == .instant(Self.day("2020-06-30")))
        let year = ColumnHeading(parsing: "2018")
        #expect(year.flowPeriod == .span(start: Self.day("2018-01-01"), end: Self.day("2018-12-31")))
        #expect(year.stockPeriod == .instant(Self.day("2018-12-31")))
        let span = ColumnHeading(parsing: "2019-01-01 -2019-12-31")
        #expect(span.stockPeriod == .instant(Self.day("2019-12-31")))
    }

    @Test func periodsEncodeAsTheContractSays() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let span = Period.span(start: Self.day("2023-01-01"), end: Self.day("2023-12-31"))
        #expect(String(decoding: try encoder.encode(span), as: UTF8.self) == #"{"end":"2023-12-31","start":"2023-01-01"}"#)
        let instant = Period.instant(Self.day("2023-12-31"))
        #expect(String(decoding: try encoder.encode(instant), as: UTF8.self) == #"{"instant":"2023-12-31"}"#)
        #expect(try JSONDecoder().decode(Period.self, from: encoder.encode(span)) == span)
    }

    @Test func daysAreValidated() {
        #expect(Day(iso: "2020-02-29") != nil)
        #expect(Day(iso: "2019-02-29") == nil)
        #expect(Day(iso: "2019-13-01") == nil)
        #expect(Day(iso: "20191231") == Self.day("2019-12-31"))
        #expect(Day(iso: "2019-12") == nil)
    }
}
