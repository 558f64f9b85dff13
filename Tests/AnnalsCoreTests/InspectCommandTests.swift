import AnnalsCore
import Foundation
import Testing

/// `annals inspect` run as a user runs it: exit codes, stdout, stderr, files.
@Suite struct InspectCommandTests {
    static let B = "samples/B-pyramis-lulea-2019-arsredovisning.pdf"

    @Test func textListsLinesWithBoxes() throws {
        let (status, out, err) = try Fixtures.run(["inspect", Self.B, "--page", "18"])
        #expect(status == 0, "stderr: \(err)")
        #expect(out.hasPrefix("\(Self.B): 34 pages\n"))
        #expect(out.contains("== page 18 of 34: 595.3×841.9 pt, rotation 0"))
        let row = try #require(out.split(separator: "\n").first { $0.hasSuffix("Verksamhetens kostnader 2 2 494 227 2 031 372") })
        // "  y0  x0– x1  text": the row starts at the label column's left edge.
        #expect(row.contains("73.9– 521.4"))
    }

    @Test func jsonHasWordsAndLinesThatPointAtThem() throws {
        let (status, out, _) = try Fixtures.run(["inspect", Self.B, "--page", "19", "--format", "json"])
        #expect(status == 0)
        struct Out: Decodable {
            struct Page: Decodable {
                struct Line: Decodable { var text: String; var bbox: Rect; var words: [Int] }
                var number: Int; var width: Double; var rotation: Int; var words: [Word]; var lines: [Line]
            }
            var file: String; var pages: Int; var page: [Page]
        }
        let decoded = try JSONDecoder().decode(Out.self, from: Data(out.utf8))
        #expect(decoded.pages == 34)
        let page = try #require(decoded.page.first)
        #expect(page.number == 19)
        let line = try #require(page.lines.first { $0.text.hasPrefix("Korta fordringar") })
        #expect(line.text == "Korta fordringar 3 379 906 667 878")
        #expect(line.words.map { page.words[$0].text } == ["Korta", "fordringar", "3", "379", "906", "667", "878"])
        // Every word belongs to exactly one line.
        #expect(page.lines.flatMap(\.words).sorted() == Array(page.words.indices))
    }

    @Test func pngIsWrittenWithTheRightSize() throws {
        let folder = try Fixtures.temporaryDirectory()
        let png = folder.appendingPathComponent("p18.png")
        let (status, _, err) = try Fixtures.run(["inspect", Self.B, "--page", "18", "--png", png.path, "--dpi", "72"])
        #expect(status == 0, "stderr: \(err)")
        #expect(err.contains("word boxes"))
        let data = try Data(contentsOf: png)
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        // IHDR: width and height, big-endian, at bytes 16..<24. A4 at 72 dpi.
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 596 && height == 842)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["p18.png"])
    }

    @Test func pngIntoAMissingFolderFailsCleanly() throws {
        let folder = try Fixtures.temporaryDirectory()
        let png = folder.appendingPathComponent("no/such/dir/p.png")
        let (status, _, err) = try Fixtures.run(["inspect", Self.B, "--page", "18", "--png", png.path])
        #expect(status == 1)
        #expect(err.contains("\(Self.B):p18: error: could not render the page"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func badInputExitsOneWithTheFileAndReason() throws {
        let folder = try Fixtures.temporaryDirectory()
        let empty = try Fixtures.write(Data(), "tom.pdf", in: folder)
        let (status, out, err) = try Fixtures.run(["inspect", empty.path])
        #expect(status == 1)
        #expect(out.isEmpty)
        #expect(err == "\(empty.path): error: the file is empty (0 bytes); it was probably cut short while downloading or copying. Fetch it again.\n")
    }

    @Test func missingPageExitsOne() throws {
        let (status, _, err) = try Fixtures.run(["inspect", Self.B, "--page", "99"])
        #expect(status == 1)
        #expect(err.contains("there is no page 99; the document has 34 pages"))
    }

    @Test(arguments: [
        ["inspect", B, "--page", "0"],
        ["inspect", B, "--png", "x.png"],
        ["inspect", B, "--format", "xml"],
        ["inspect"],
        ["frobnicate"],
    ])
    func badUsageExits64(_ arguments: [String]) throws {
        let (status, out, err) = try Fixtures.run(arguments)
        #expect(status == 64, "out: \(out) err: \(err)")
        #expect(!err.isEmpty)
    }
}

/// `annals inspect --tables`: the detected tables in text and in the contract's
/// table shape.
@Suite struct InspectTablesCommandTests {
    static let B = "samples/B-pyramis-lulea-2019-arsredovisning.pdf"

    @Test func jsonUsesTheContractsTableShape() throws {
        let (status, out, err) = try Fixtures.run(["inspect", Self.B, "--page", "21", "--tables", "--format", "json"])
        #expect(status == 0, "stderr: \(err)")
        struct Out: Decodable { var file: String; var pages: Int; var tables: [Table] }
        let decoded = try JSONDecoder().decode(Out.self, from: Data(out.utf8))
        // Seed 001: Not 3, Not 4 and Not 5 share page 21 of the sample.
        #expect(decoded.tables.map(\.title) == [
            "Not 3. Fordringar", "Not 4. Upplupna kostnader och förutbetalda intäkter", "Not 5. Ansvarsförbindelser",
        ])
        let note3 = decoded.tables[0]
        #expect(note3.id == "p21-t1")
        #expect(note3.page == 21)
        #expect(note3.columns.map(\.header) == ["2019-12-31", "2018-12-31"])
        let summa = try #require(note3.row("Summa"))
        #expect(summa.isTotal)
        #expect(summa.cells.map { $0?.text } == ["379 111", "667 878"])
        #expect(summa.cells.map { $0?.value.value } == [379_111, 667_878])
        let note5 = decoded.tables[2]
        #expect(note5.row("Ansvarsförbindelser")?.cells.map { $0?.value.kind } == [.empty, .empty])
        // The raw JSON has the contract's keys.
        let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
        let table = (object["tables"] as! [[String: Any]])[0]
        for key in ["id", "title", "page", "unit", "columns", "rows"] where key != "unit" {
            #expect(table[key] != nil, "missing \(key)")
        }
        let row = (table["rows"] as! [[String: Any]])[0]
        #expect(row["label"] as? String == "Momsfordran 2017")
        #expect((row["cells"] as! [Any]).count == 2)
    }

    @Test func textShowsTitleUnitColumnsAndRows() throws {
        let (status, out, _) = try Fixtures.run(["inspect", Self.B, "--page", "18", "--tables"])
        #expect(status == 0)
        #expect(out.contains("== p18-t2 \u{201C}Resultaträkning\u{201D} page 18, unit kr (\u{201C}Belopp i kr.\u{201D}), 3 columns, 9 rows"))
        #expect(out.contains("column 2: \u{201C}2019-01-01 -2019-12-31\u{201D} 2019-01-01–2019-12-31"))
        let row = try #require(out.split(separator: "\n").first { $0.contains("Verksamhetens kostnader") })
        #expect(row.hasSuffix("|    2 |      2 494 227 |      2 031 372"))
    }

    @Test func wordsAndTablesTogetherIsAUsageError() throws {
        let (status, _, err) = try Fixtures.run(["inspect", Self.B, "--tables", "--words"])
        #expect(status == 64)
        #expect(err.contains("choose one"))
    }
}
