import AnnalsCore
import Foundation
import Testing

/// `annals extract`, `annals layouts` and `annals check-mapping` as a user runs them.
@Suite struct ExtractCommandTests {
    static let C = "samples/C-sodra-norrbotten-2023-arsredovisning.pdf"

    /// The same PDF gives the same bytes in every process (a dictionary's
    /// order, which changes from process to process, must not reach the
    /// output): B four times over, whose budget deviation then breaks four
    /// times alike, extracted three times.
    @Test func givesTheSameBytesInEveryProcess() throws {
        let folder = try Fixtures.temporaryDirectory()
        let b = Fixtures.sample("B-pyramis-lulea-2019-arsredovisning.pdf").path
        let joined = folder.appendingPathComponent("b4.pdf")
        let (united, _, unitedErrors) = try Fixtures.run([b, b, b, b, joined.path], executable: URL(fileURLWithPath: "/usr/bin/pdfunite"))
        #expect(united == 0, "\(unitedErrors)")
        var outputs: [Data] = []
        for run in 1...3 {
            let out = folder.appendingPathComponent("b4-\(run).json")
            let (status, _, stderr) = try Fixtures.run(["extract", joined.path, "-o", out.path])
            #expect(status == 0, "\(stderr)")
            outputs.append(try Data(contentsOf: out))
        }
        let json = try JSONSerialization.jsonObject(with: outputs[0]) as! [String: Any]
        let deviations = (json["warnings"] as! [[String: Any]]).filter { ($0["message"] as? String)?.contains("the deviation printed is") == true }
        // Seed 001 l.523, "2. Ekonomisk sammanfattning": Resultat 5 759 (outcome), -238 250 (budget),
        // -232 491 printed as the deviation where outcome and budget differ by 244 009: once per copy.
        #expect(deviations.count == 4, "one broken deviation per copy")
        #expect(deviations.allSatisfy { ($0["message"] as? String)?.hasSuffix(
            "the deviation printed is -232 491 kr but budget -238 250 kr and outcome 5 759 kr differ by 244 009 kr") == true },
            "\(deviations)")
        #expect(outputs[1] == outputs[0] && outputs[2] == outputs[0])
    }

    /// An output that cannot be written: the error names it and why, the
    /// exit is not 0, and no temporary file is left.
    @Test func unwritableOutputIsAClearError() throws {
        let folder = try Fixtures.temporaryDirectory()
        let missing = folder.appendingPathComponent("no-such-folder")
        let out = missing.appendingPathComponent("c.json")
        let (status, _, stderr) = try Fixtures.run(["extract", Self.C, "-o", out.path])
        #expect(status != 0)
        #expect(stderr.contains("\(out.path): error: cannot write the output: cannot create a file in \(missing.path): No such file or directory"),
                "\(stderr)")
        #expect(Fixtures.filesIn(folder) == [])
    }

    @Test func writesTheContractsJSON() throws {
        let folder = try Fixtures.temporaryDirectory()
        let out = folder.appendingPathComponent("c.json")
        let (status, stdout, stderr) = try Fixtures.run(["extract", Self.C, "-o", out.path])
        #expect(status == 0, "\(stderr)")
        #expect(stdout.isEmpty)
        #expect(stderr.contains("layout sodra-norrbotten-2023"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["c.json"])
        let data = try Data(contentsOf: out)
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(json["schema"] as? String == "annals.report/1")
        let source = json["source"] as! [String: Any]
        let pdf = try Data(contentsOf: Fixtures.sample("C-sodra-norrbotten-2023-arsredovisning.pdf"))
        #expect(source["sha256"] as? String == SHA256.hex(of: pdf))
        #expect(source["pages"] as? Int == 48)
        #expect((source["text_pages"] as? [Int])?.count == 48)
        #expect((source["ocr_pages"] as? [Int]) == [])
        let layout = json["layout"] as! [String: Any]
        #expect(layout["id"] as? String == "sodra-norrbotten-2023")
        #expect((layout["candidates"] as? [[String: Any]])?.count == 4)
        #expect((json["report"] as? [String: Any])?["type"] as? String == "annual")
        // A fact with its provenance, as the contract's example.
        let facts = json["facts"] as! [[String: Any]]
        let costs = try #require(facts.first { fact in
            fact["concept"] as? String == "income_statement.operating_costs"
                && (fact["source"] as? [String: Any])?["table"] as? String == "Resultaträkning"
                && (fact["period"] as? [String: String])?["start"] == "2023-01-01"
        })
        #expect((costs["value"] as? NSNumber)?.intValue == 9_335_665)
        #expect(costs["unit"] as? String == "SEK")
        #expect(costs["scenario"] as? String == "actual")
        let provenance = costs["source"] as! [String: Any]
        #expect(provenance["page"] as? Int == 31)
        #expect(provenance["row"] as? String == "Verksamhetens kostnader")
        #expect(provenance["text"] as? String == "\u{2212}9 335 665")
        #expect((provenance["bbox"] as? [Double])?.count == 4)
        // Every table, mapped or not, in the contract's shape.
        let tables = json["tables"] as! [[String: Any]]
        #expect(tables.count == 10)
        #expect(tables.filter { $0["mapped"] as? Bool == false }.count == 1)
        // The values hold one entry per key, with the facts behind it.
        let values = json["values"] as! [[String: Any]]
        let income = try #require(values.first { v in
            v["concept"] as? String == "income_statement.operating_income" && (v["period"] as? [String: String])?["start"] == "2023-01-01"
                && v["scenario"] as? String == "actual"
        })
        #expect((income["value"] as? NSNumber)?.intValue == 8_601_335)
        #expect(income["agreed"] as? Bool == false)
        #expect((income["facts"] as? [String])?.count == 2)
    }

    @Test func badPDFExitsOneAndWritesNothing() throws {
        let folder = try Fixtures.temporaryDirectory()
        let bad = try Fixtures.write(Data("not a pdf".utf8), "x.pdf", in: folder)
        let out = folder.appendingPathComponent("x.json")
        let (status, _, stderr) = try Fixtures.run(["extract", bad.path, "-o", out.path])
        #expect(status == 1)
        #expect(stderr.contains("\(bad.path): error: not a PDF"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func unknownLayoutExitsOne() throws {
        let (status, _, stderr) = try Fixtures.run(["extract", Self.C, "--layout", "nowhere"])
        #expect(status == 1)
        #expect(stderr.contains("no mapping has the id \"nowhere\""))
    }

    @Test func forcedLayoutIsUsed() throws {
        let (status, stdout, _) = try Fixtures.run(["extract", Self.C, "--layout", "finsam-generic"])
        #expect(status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as! [String: Any]
        #expect((json["layout"] as? [String: Any])?["id"] as? String == "finsam-generic")
    }

    @Test func layoutsExplainShowsScoresAndRules() throws {
        let (status, stdout, _) = try Fixtures.run(["layouts", "--explain", "samples/B-pyramis-lulea-2019-arsredovisning.pdf"])
        #expect(status == 0)
        #expect(stdout.contains("annual report, 2019-01-01–2019-12-31"))
        let lines = stdout.split(separator: "\n")
        let chosen = try #require(lines.first { $0.hasPrefix("→") })
        #expect(chosen.contains("pyramis-2019"))
        #expect(stdout.contains("✓ text \u{201C}Pyramis\u{201D}, weight 4"))
        #expect(stdout.contains("✗ text \u{201C}Huddinge Botkyrka Salem\u{201D}"))
    }

    @Test func checkMappingReportsOkAndErrors() throws {
        let (ok, stdout, _) = try Fixtures.run(["check-mapping", "mappings/pyramis-2019.yaml"])
        #expect(ok == 0)
        #expect(stdout.contains("mappings/pyramis-2019.yaml: ok: pyramis-2019"))
        let folder = try Fixtures.temporaryDirectory()
        let bad = try Fixtures.write(Data("version: 1\nid: x\nunit: kronor\n".utf8), "bad.yaml", in: folder)
        let (status, _, stderr) = try Fixtures.run(["check-mapping", bad.path])
        #expect(status == 1)
        #expect(stderr.contains("bad.yaml:3:7: error: unit must be kr, tkr or mnkr, not \"kronor\""))
    }
}
