import AnnalsCore
import Foundation
import Testing

/// The real inconsistencies of the seed reports, each found with the right
/// code and both numbers. The list is the issue's, checked against the seeds
/// (003/000, 001, 002, 004) and the samples' notes files.
@Suite struct SampleInconsistencyTests {
    struct Finding: Sendable, CustomTestStringConvertible {
        var sample: String
        var code: String
        /// Both numbers, in kronor (order free).
        var numbers: (Decimal, Decimal)
        var what: String
        var testDescription: String { "\(sample.prefix(1)): \(what)" }
    }

    static let A = "A-sodra-norrbotten-2020-delarsrapport"
    static let B = "B-pyramis-lulea-2019-arsredovisning"
    static let C = "C-sodra-norrbotten-2023-arsredovisning"
    static let D = "D-huddinge-botkyrka-salem-2018-arsredovisning"

    static let findings: [Finding] = [
        Finding(sample: A, code: "cross_table_mismatch", numbers: (4_845_483, 4_845_484), what: "overview Eget kapital vs balance sheet"),
        Finding(sample: A, code: "result_mismatch", numbers: (524_933, 524_932), what: "Periodens resultat in the balance sheet vs the income statement"),
        Finding(sample: A, code: "cross_table_mismatch", numbers: (2_494_241, 2_494_227), what: "2019 costs, income statement vs overview"),
        Finding(sample: A, code: "cross_table_mismatch", numbers: (5_759, 5_773), what: "2019 result, income statement vs overview"),
        Finding(sample: A, code: "participants_mismatch", numbers: (50, 85), what: "VÄXA 41 + 44 women and men against 50"),
        Finding(sample: B, code: "sum_mismatch", numbers: (379_906, 379_111), what: "Korta fordringar vs Not 3 Summa"),
        Finding(sample: B, code: "sum_mismatch", numbers: (1_900_276, 1_900_277), what: "Redovisning av insatser Summa vs its rows"),
        Finding(sample: B, code: "cross_table_mismatch", numbers: (2_031_372, 2_031_572), what: "Nettokostnad 2018 vs income statement costs"),
        Finding(sample: B, code: "cross_table_mismatch", numbers: (858_376, 858_379), what: "Likvida medel 2018, balance sheet vs Ekonomisk sammanfattning"),
        Finding(sample: B, code: "result_mismatch", numbers: (5_759, 5_773), what: "2 500 000 − 2 494 227 printed as 5 759"),
        Finding(sample: B, code: "cashflow_mismatch", numbers: (462_836, 468_595), what: "operating cash flow leaves out the result"),
        Finding(sample: C, code: "sum_mismatch", numbers: (9_335_665, 9_326_591), what: "Not 2 Summa vs income statement costs"),
        Finding(sample: C, code: "cross_table_mismatch", numbers: (964_473, 1_689_729), what: "overview 2023 Eget kapital"),
        Finding(sample: C, code: "cross_table_mismatch", numbers: (8_601_335, 7_150_000), what: "overview intäkter vs income statement"),
        Finding(sample: C, code: "sum_mismatch", numbers: (2_672_753, 1_147_158), what: "Not 4 Summa vs Kortfristiga skulder"),
        Finding(sample: C, code: "sum_mismatch", numbers: (817_640, 701_225), what: "Not 4 2022 Summa vs its rows"),
        Finding(sample: C, code: "cashflow_mismatch", numbers: (491_253, -484_153), what: "receivables change printed with the wrong sign"),
        Finding(sample: D, code: "cross_table_mismatch", numbers: (5_062_600, 5_062_000), what: "Tabell 4 Utgående eget kapital vs balance sheet"),
    ]

    static let reports: [String: Report] = {
        let mappings = try! MappingLoader.load(directory: Fixtures.root.appendingPathComponent("mappings"))
        var out: [String: Report] = [:]
        for name in [A, B, C, D] {
            out[name] = try! ReportExtraction(mappings: mappings).run(file: Fixtures.sample("\(name).pdf"))
        }
        return out
    }()

    @Test(arguments: findings)
    func isFlagged(_ finding: Finding) throws {
        let report = try #require(Self.reports[finding.sample])
        let wanted = Set([finding.numbers.0, finding.numbers.1])
        let match = report.warnings.first { w in
            w.code == finding.code && Set([w.expected, w.actual].compactMap { $0 }) == wanted
        }
        #expect(match != nil, "no \(finding.code) with \(wanted); got \(report.warnings.filter { $0.code == finding.code }.map { "\($0.expected ?? 0)/\($0.actual ?? 0)" })")
        if let match {
            #expect(match.severity == (finding.code == "participants_mismatch" ? .warning : .error))
            #expect(!match.facts.isEmpty && !match.pages.isEmpty)
            // The message says both numbers.
            for number in wanted {
                #expect(match.message.contains(SwedishNumberFormat.format(abs(number))), "\(match.message)")
            }
        }
    }

    @Test func signFlipAndMislabelledRowsAreReported() throws {
        let c = try #require(Self.reports[Self.C])
        let flip = try #require(c.warnings.first { $0.code == "sign_inconsistency" && $0.severity == .warning })
        #expect(flip.message.contains("2022 is printed positive (7 181 575)"))
        let a = try #require(Self.reports[Self.A])
        #expect(a.warnings.contains { $0.code == "mislabelled_row" && $0.message.contains("SUMMA ERHÅLLNA BIDRAG") })
        let b = try #require(Self.reports[Self.B])
        #expect(b.warnings.contains { $0.code == "mislabelled_row" && $0.message.contains("\u{201C}Årets resultat\u{201D} is printed twice") })
        // The mislabelled rows are read by their place, not dropped.
        #expect(a.values.contains { $0.concept == "costs.total" && $0.value == 1_975_068 })
        #expect(b.values.contains { $0.concept == "balance_sheet.retained_equity" && $0.value == 1_024_602 })
    }

    @Test func noNumberOfABornDigitalSampleIsSuspicious() throws {
        for (name, report) in Self.reports {
            #expect(!report.warnings.contains { $0.code == "suspicious_number" }, "\(name)")
        }
    }

    @Test func failOnExitsThreeWhenAsked() throws {
        let (status, _, _) = try Fixtures.run(["extract", "samples/\(Self.B).pdf", "--fail-on", "error"])
        #expect(status == 3)
        let (plain, _, _) = try Fixtures.run(["extract", "samples/\(Self.B).pdf"])
        #expect(plain == 0)
    }
}
