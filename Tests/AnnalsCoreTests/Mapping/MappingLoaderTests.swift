@testable import AnnalsCore
import Foundation
import Testing

/// Mapping files are refused with the file, line, column and reason.
@Suite struct MappingLoaderTests {
    let folder: URL
    init() throws { folder = try Fixtures.temporaryDirectory() }

    private func check(_ yaml: String, name: String = "x.yaml") throws -> MappingError? {
        let url = try Fixtures.write(Data(yaml.utf8), name, in: folder)
        do {
            _ = try MappingLoader.check(file: url, others: [Fixtures.root.appendingPathComponent("mappings/finsam-generic.yaml")])
            return nil
        } catch {
            return error
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var what: String
        var yaml: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { what }
    }

    static let cases: [Case] = [
        Case(what: "unknown concept", yaml: """
            version: 1
            id: bad
            tables:
              - id: income_statement
                title: [Resultaträkning]
                rows:
                  - label: Verksamhetens kostnader
                    concept: income_statment.operating_costs
            """, line: 8, column: 18, message: "unknown concept \"income_statment.operating_costs\""),
        Case(what: "bad regex", yaml: """
            version: 1
            id: bad
            tables:
              - id: notes
                title_match: ['not (\\d+']
            """, line: 5, column: 19, message: "is not a valid regular expression"),
        Case(what: "unknown key", yaml: """
            version: 1
            id: bad
            tables:
              - id: notes
                titel: Not 1
            """, line: 5, column: 5, message: "unknown key \"titel\" in a table rule"),
        Case(what: "missing id", yaml: """
            version: 1
            description: no id here
            """, line: 1, column: 1, message: "missing field \"id\""),
        Case(what: "row without concept", yaml: """
            version: 1
            id: bad
            tables:
              - id: t
                title: X
                rows:
                  - label: Summa
            """, line: 7, column: 9, message: "a row rule needs a concept"),
        Case(what: "unsupported version", yaml: """
            version: 2
            id: bad
            """, line: 1, column: 10, message: "version 2 is not supported"),
        Case(what: "unknown parent", yaml: """
            version: 1
            id: bad
            extends: finsam-genric
            """, line: 3, column: 1, message: "extends \"finsam-genric\", but no mapping has that id"),
        Case(what: "not YAML", yaml: """
            version: 1
            id: [unclosed
            """, line: 3, column: 1, message: "not valid YAML"),
        Case(what: "bad scenario", yaml: """
            version: 1
            id: bad
            tables:
              - id: t
                title: X
                columns:
                  - index: 2
                    scenario: prognosis
            """, line: 8, column: 19, message: "scenario must be actual, budget, annual_budget, deviation or forecast"),
        Case(what: "capture without group", yaml: """
            version: 1
            id: bad
            prose:
              - pattern: 'har {n:total} deltagare'
                captures: {women: participants.women}
            """, line: 5, column: 16, message: "the pattern has no group named women"),
        Case(what: "quoted flag", yaml: """
            version: 1
            id: bad
            fold_diacritics: "false"
            """, line: 3, column: 18, message: "fold_diacritics must be true or false"),
        Case(what: "flag in mixed case", yaml: """
            version: 1
            id: bad
            fold_diacritics: fALSE
            """, line: 3, column: 18, message: "fold_diacritics must be true or false"),
    ]

    /// Flags read as YAML 1.1 reads them (the loader resolves no implicit
    /// types itself): a plain true/false/yes/no/on/off in lower,
    /// capitalised or upper case, or any case under `!!bool`.
    @Test(arguments: [("false", false), ("False", false), ("NO", false), ("off", false), ("!!bool fALSE", false),
                      ("true", true), ("Yes", true), ("ON", true)])
    func readsFlagsAsYAMLDoes(_ written: String, _ value: Bool) throws {
        let url = try Fixtures.write(Data("version: 1\nid: flags\nfold_diacritics: \(written)\n".utf8), "flags.yaml", in: folder)
        #expect(try MappingLoader.check(file: url).foldDiacritics == value)
    }

    @Test(arguments: cases)
    func refusesWithPlaceAndReason(_ c: Case) throws {
        let error = try #require(try check(c.yaml), "\(c.what) was accepted")
        #expect(error.file.hasSuffix("x.yaml"))
        #expect(error.line == c.line, "\(error)")
        #expect(error.column == c.column, "\(error)")
        #expect(error.message.contains(c.message), "\(error)")
        #expect(error.description.hasPrefix("\(error.file):\(c.line):\(c.column): error: "))
    }

    @Test func shippedMappingsAreValid() throws {
        let mappings = try MappingLoader.load(directory: Fixtures.root.appendingPathComponent("mappings"))
        #expect(Set(mappings.map(\.id)) == ["finsam-generic", "pyramis-2019", "sodra-norrbotten-2023",
                                             "sodra-norrbotten-interim-2020", "huddinge-botkyrka-salem-2018"])
        // A layout keeps the common tables and adds its own before them.
        let interim = try #require(mappings.first { $0.id == "sodra-norrbotten-interim-2020" })
        #expect(interim.tables.first?.id == "period_result")
        #expect(interim.tables.contains { $0.id == "income_statement" })
        #expect(interim.tables.first { $0.id == "note_costs" }?.titles.first?.source == "Verksamhetens kostnader")
    }

    @Test func extendsLoopIsRefused() throws {
        _ = try Fixtures.write(Data("version: 1\nid: a\nextends: b\n".utf8), "a.yaml", in: folder)
        _ = try Fixtures.write(Data("version: 1\nid: b\nextends: a\n".utf8), "b.yaml", in: folder)
        #expect(throws: MappingError.self) { try MappingLoader.load(directory: folder) }
        do {
            _ = try MappingLoader.load(directory: folder)
        } catch {
            #expect(error.message.contains("extends forms a loop"))
        }
    }

    @Test func sha256MatchesTheStandardVectors() throws {
        #expect(SHA256.hex(of: Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: Data(repeating: 0x61, count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // Around the block size, where padding takes one block or two (Python's hashlib).
        #expect(SHA256.hex(of: Data(repeating: 0x61, count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hex(of: Data(repeating: 0x61, count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(SHA256.hex(of: Data(repeating: 0x61, count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
        // A slice that does not start at index 0.
        let slice = Data(repeating: 0x61, count: 200)[81...]
        #expect(SHA256.hex(of: slice) == "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb")
        // OpenSSL's (used where present) and GLib's (the fallback) agree, on every sample.
        #expect(SHA256.libcrypto != nil, "libcrypto.so.3 is on every Debian this runs on")
        for vector in [Data(), Data("abc".utf8), slice] { #expect(SHA256.hexWithGLib(of: vector) == SHA256.hex(of: vector)) }
        for sample in try FileManager.default.contentsOfDirectory(at: Fixtures.samples, includingPropertiesForKeys: nil)
        where sample.pathExtension == "pdf" {
            let data = try Data(contentsOf: sample)
            #expect(SHA256.hexWithGLib(of: data) == SHA256.hex(of: data), "\(sample.lastPathComponent)")
        }
    }
}
