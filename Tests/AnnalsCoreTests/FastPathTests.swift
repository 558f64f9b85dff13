@testable import AnnalsCore
import Foundation
import Testing

/// The shortcuts taken for speed give what the general code gives.
@Suite struct FastPathTests {
    /// A regex's required text never rules out a text the regex matches.
    @Test func requiredTextNeverRulesOutAMatch() throws {
        let cases: [(pattern: String, texts: [String])] = [
            ("har (?:totalt )?(?<n>\\d+) (?:deltagare|personer) (?:tagit del av|deltagit i) insatsen",
             ["Arenan har totalt 12 deltagare tagit del av insatsen", "HAR 3 PERSONER DELTAGIT I INSATSEN", "har 3 personer"]),
            ("(?:av dessa har (?<a>\\d+) avslutats|(?<b>\\d+) deltagare har avslutats)", ["10 deltagare har avslutats", "av dessa har 2 avslutats"]),
            ("summa.*", ["Summa intäkter", "SUMMA", "summ"]),
            ("ökning/ ?minskning (av )?kortfristiga fordringar", ["Ökning/minskning kortfristiga fordringar"]),
            ("ab?c", ["ac", "abc", "a"]),
            ("x{2,}y", ["xxy", "xy"]),
            ("\\d{4}-\\d{2}-\\d{2}", ["2019-12-31"]),
            ("[a-z]+ k", ["abc k", "abc \u{212A}"]), // Kelvin sign: the check stands aside
            ("strasse", ["STRAßE", "strasse"]),
            ("(?i)abc", ["ABC"]),
            ("a\\Qb)c\\E", ["ab)c"]),
        ]
        for (pattern, texts) in cases {
            let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
            let required = RequiredText.of(pattern)
            for text in texts {
                let matches = regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
                if matches {
                    #expect(required.holds(in: RequiredText.Haystack(text)), "\(pattern) on \(text)")
                }
            }
        }
        // And it does rule out texts without the literals.
        #expect(!RequiredText.of("har (?:totalt )?\\d+ deltagare").holds(in: RequiredText.Haystack("inget här")))
    }

    @Test func foldOnBytesIsFoldOnScalars() {
        for text in ["Årets resultat", "ÅÄÖ åäö éèêë üú àáâ øóô", "plain", "", "naïve café", "a\u{0308}b", "Ä\u{00A0}ö"] {
            let scalars = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar -> Unicode.Scalar in
                switch scalar.value {
                case 0xE5, 0xE4, 0xE0, 0xE1, 0xE2: "a"
                case 0xF6, 0xF8, 0xF3, 0xF4: "o"
                case 0xE9, 0xE8, 0xEA, 0xEB: "e"
                case 0xFC, 0xFA: "u"
                default: scalar
                }
            }))
            if !text.unicodeScalars.contains(where: { (0x300...0x36F).contains($0.value) }) {
                #expect(Array(LabelText.fold(text).unicodeScalars) == Array(scalars.unicodeScalars), "\(text)")
            }
        }
    }

    @Test func dayIsWrittenAsFormatWould() {
        for (y, m, d) in [(2019, 12, 31), (1900, 1, 1), (2199, 2, 28)] {
            let day = Day(year: y, month: m, day: d)!
            #expect(day.description == String(format: "%04d-%02d-%02d", y, m, d))
        }
        for n in [-123, -5, 0, 7, 42, 12345] {
            #expect(Day.padded(n, 4) == String(format: "%04d", n))
            #expect(Day.padded(n, 2) == String(format: "%02d", n))
        }
    }

    @Test func dimsArePrintedAsSwiftPrintsThem() {
        let cases: [[String: String]] = [
            [:], ["gender": "women"], ["intervention": "Arenan Luleå", "party": "Region Norrbotten"],
            ["label": "Övriga intäkter (MUCF)"], ["x": "a-b 5%/6:7,8. &+_"],
        ]
        for dims in cases {
            let sorted = dims.sorted { $0.key < $1.key }
            #expect(FactIndex.printed(sorted) == "\(sorted)")
        }
        #expect(FactIndex.printed([(key: "x", value: "it's")]) == nil)
        #expect(FactIndex.printed([(key: "x", value: "a\"b")]) == nil)
    }

    @Test func plainWordsReadAsTheParserReadsThem() {
        for text in ["Verksamhetens intäkter", "INGA", "Inga", "inga", "-", "--", "Summa", "Övriga", "Not", "a", "kr", "%", "(-)", "---x"] {
            let general = SwedishNumberParser.parse(" " + text + " ") // blank ends: the general path
            let fast = SwedishNumberParser.parse(text)
            #expect(fast.kind == general.kind, "\(text)")
            #expect(fast.value == general.value && fast.irregular == general.irregular, "\(text)")
        }
    }

    @Test func cleanedLabelsAreAsBefore() {
        // What the steps that may now be skipped would make of these.
        for text in ["Summa kostnader", "Resultaträkning i", "arbets- livsinriktade", "Övriga\u{00A0}skulder",
                     "Verksamhetens  kostnader ", "a – b", "x\u{00AD}y", "Kortfristiga skulder |", "Not 3 a", "Å"] {
            var s = text.replacingOccurrences(of: "\u{00AD}", with: "")
            for dash in ["\u{2212}", "\u{2013}", "\u{2014}", "\u{2010}", "\u{2011}"] { s = s.replacingOccurrences(of: dash, with: "-") }
            let spaces = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{00A0}\u{2009}\u{202F}"))
            s = s.components(separatedBy: spaces).filter { !$0.isEmpty }.joined(separator: " ")
            s = s.replacingOccurrences(of: #"(\p{L})- (\p{Ll})"#, with: "$1$2", options: .regularExpression)
            while let last = s.last, "*:.".contains(last) { s.removeLast() }
            while let first = s.first, ".,:;|'`\"".contains(first) { s.removeFirst() }
            var words = s.split(separator: " ")
            while words.count > 1, let last = words.last, last.count == 1,
                  let c = last.first, c.isLowercase || ".,:;|'`-".contains(c), !"åäö".contains(c) {
                words.removeLast()
            }
            let expected = words.joined(separator: " ").trimmingCharacters(in: .whitespaces)
            #expect(LabelText.clean(text) == expected, "\(text)")
        }
    }

    /// The byte-level figure-word test against its definition on characters,
    /// over every word of the born-digital samples and words made to trip it.
    @Test func figureWordsOnBytesAreFigureWordsOnCharacters() throws {
        func byCharacters(_ text: String) -> Bool {
            let core = text.drop { "(-\u{2212}\u{2013}+".contains($0) }
            guard let c = core.first, c.isASCII, c.isNumber else { return false }
            return core.allSatisfy { ($0.isASCII && $0.isNumber) || ",%)*".contains($0) }
        }
        var words = ["", "-", "(", "((-5", "\u{2212}725", "\u{2013}3", "\u{2212}", "5\u{0301}", "\u{2212}\u{0301}5", "12,5%", "70%**",
                     "(1 234)", "(1", "1)", "+4", "\u{2014}5", "5a", "a5", "٣", "５", "1\u{2212}2", "0,60", "18123", "12:161;6", "\u{00A0}5"]
        for name in ["A-sodra-norrbotten-2020-delarsrapport.pdf", "C-sodra-norrbotten-2023-arsredovisning.pdf"] {
            let document = try PDFDocument(contentsOf: Fixtures.sample(name))
            for n in 1...document.pageCount { words += try document.text(ofPage: n).words.map(\.text) }
        }
        #expect(words.count > 10_000)
        for word in words {
            #expect(Line.isFigureWord(word) == byCharacters(word), "\(word.debugDescription)")
        }
    }

    /// Figures read on bytes as the general reading reads them.
    @Test func asciiFiguresReadAsTheGeneralReadingReadsThem() {
        let figures = ["0", "5", "70", "2 494 227", "15 400,0", "1 812,3", "0,60", "18123", "1 23", "12 3456", "01 234",
                       "1  234", "1 ", "1,", "1,2,3", "1, 2", "1 ,5", "123 456 789 012 345 678 901", "1.5", "1 234.5", "5a",
                       "000", "0 000", "1\u{00A0}234"]
        for figure in figures {
            let fast = SwedishNumberParser.readASCIIDigits(Substring(figure))
            let general = SwedishNumberParser.readDigitsByCharacters(Substring(figure))
            if let fast {
                #expect(general != nil, "\(figure)")
                #expect(fast.ascii == general?.ascii && fast.decimals == general?.decimals && fast.irregular == general?.irregular,
                        "\(figure): \(fast) vs \(String(describing: general))")
            }
        }
        // Values built from digits equal the parsed ones, and print alike.
        for ascii in ["0", "5", "2494227", "15400.0", "1812.3", "0.60", "0.0", "123456789012345678", "1234567890123456789012", "007"] {
            let parsed = Decimal(string: ascii, locale: Locale(identifier: "en_US_POSIX"))
            let built = SwedishNumberParser.decimal(ascii)
            #expect(built == parsed && built.map { "\($0)" } == parsed.map { "\($0)" }, "\(ascii)")
        }
    }

    /// Dimensions and figures written for the database by the report's JSON
    /// writer, as JSONEncoder and `description` write them.
    @Test func databaseTextIsJSONEncodersAndDescriptions() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let cases: [[String: String]] = [
            [:], ["member": "Luleå kommun"], ["intervention": "Arenan Luleå", "party": "Region Norrbotten"],
            ["label": "Övriga intäkter (MUCF) 5%/6:7,8 & +_ − – €"], ["gender": "women", "outcome": "work"],
            ["x": "a\"b"], ["x": "a\\b"], ["x": "a\nb"], ["x": "a\u{0001}"], ["x": "a\u{2028}b"], ["x": "\u{7F}"],
            ["Member": "a"], ["k2": "a", "k10": "b"], ["a_b": "c", "a": "d", "ab": "e", "B": "f"],
        ]
        for dims in cases {
            #expect(Archive.json(dims) == String(decoding: try encoder.encode(dims), as: UTF8.self), "\(dims)")
        }
        for text in ["0", "5", "-725256", "2494227", "15400.0", "1812.3", "0.60", "-0.005", "12345678901234567890", "1e-7"] {
            let value = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
            #expect(Archive.text(value) == value.description, "\(text)")
        }
    }

    /// Figures read back from the database (the cross-report check) as
    /// `Decimal(string:)` reads them: equal, and printed alike.
    @Test func storedFiguresReadAsDecimalStringReadsThem() throws {
        for text in ["0", "5", "-5", "-725256", "2494227", "-1975068", "15400.0", "-15400.0", "1812.3", "0.60", "-0.60",
                     "-0.005", "-0", "-0.0", "12345678901234567890", "-12345678901234567890", "1e-7", "--5", "-", ""] {
            let parsed = Decimal(string: text)
            let read = SwedishNumberParser.decimal(text)
            #expect(read == parsed && read.map { "\($0)" } == parsed.map { "\($0)" }, "\(text)")
        }
        // Every figure of the born-digital samples, as the database holds it.
        var extraction = ReportExtraction(mappings: ReportJSONTests.mappings)
        extraction.ocr = OCRReader(mode: .never)
        for name in ReportJSONTests.samples {
            let report = try extraction.run(file: Fixtures.sample("\(name).pdf"))
            for text in Set(report.facts.map { Archive.text($0.value) } + report.values.map { Archive.text($0.value) }) {
                let read = SwedishNumberParser.decimal(text)
                #expect(read != nil && read.map { "\($0)" } == Decimal(string: text).map { "\($0)" }, "\(name): \(text)")
            }
        }
    }

    /// Organisation names folded as Foundation folds them, where the fast
    /// path takes them: every ASCII and Latin-1 character, and real names.
    @Test func latin1NamesFoldAsFoundationFolds() {
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive, .widthInsensitive]
        var taken = 0
        for v in UInt32(0)...0xFF {
            let text = "Ab" + String(Character(Unicode.Scalar(v)!)) + "Ö"
            guard let fast = PriorPeriodCheck.foldedLatin1(text) else { continue }
            taken += 1
            #expect(fast == text.folding(options: options, locale: nil), "U+\(String(v, radix: 16))")
        }
        #expect(taken >= 128 + 58)
        for name in ["Samordningsförbundet Södra Norrbotten", "SAMORDNINGSFÖRBUNDET PYRAMIS", "Finsam Huddinge-Botkyrka-Salem",
                     "Samordningsförbundet Östra Södertörn", "Ångermanland & Härnösand", "Øresund", "Æsir Þór Ðá", "Ölands",
                     "Straße"] {
            let folded = name.folding(options: options, locale: nil)
            if let fast = PriorPeriodCheck.foldedLatin1(name) { #expect(fast == folded, "\(name)") }
            #expect(PriorPeriodCheck.normalise(name) == PriorPeriodCheck.normaliseByFoundation(name), "\(name)")
        }
    }

    /// Spaces collapsed in one pass, as splitting at the set and joining did.
    @Test func spacesCollapseAsTheSetSplits() {
        for v in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            #expect(LabelText.isSpace(v) == LabelText.spaces.contains(scalar), "U+\(String(v, radix: 16))")
        }
        for text in ["", " ", "a", " a  b\t\nc ", "Verksamhetens\u{00A0}\u{00A0}kostnader", "a\r\nb", "x \u{0301}y", "\u{2028}a\u{3000}",
                     "Samordningsförbundet\nSödra Norrbotten\n\nÅrsredovisning 2023 ", "é\u{2009}e\u{0301}"] {
            let expected = text.components(separatedBy: LabelText.spaces).filter { !$0.isEmpty }.joined(separator: " ")
            #expect(LabelText.collapsingSpaces(text) == expected, "\(text.debugDescription)")
        }
    }

    /// Plain figures read on the short path as the general reading reads
    /// them (blank ends send a text down the general path).
    @Test func plainFiguresReadAsTheGeneralReadingReadsThem() throws {
        var texts = ["0", "5", "-0", "70", "2 494 227", "-1 975 068", "\u{2212}725 256", "15 400,0", "1 812,3", "0,60", "18123",
                     "-", "--5", "- 5", "-\u{2212}5", "-\u{0301}5", "\u{2212}\u{0301}5", "5\u{0301}", "1 23", "12 3456", "01 234", "1  234", "1,", "1,2,3", "1.5", "2019-12-31",
                     "123 456 789 012 345 678 901", "70%", "(5)", "21*", "5.", "\u{2212}", "\u{2013}5", "1\u{00A0}234"]
        for name in ["A-sodra-norrbotten-2020-delarsrapport.pdf", "C-sodra-norrbotten-2023-arsredovisning.pdf"] {
            let document = try PDFDocument(contentsOf: Fixtures.sample(name))
            for n in 1...document.pageCount {
                for line in try document.text(ofPage: n).lines() { texts += line.phrases(gap: 0.8).map(\.text) }
            }
        }
        var plain = 0
        for text in texts {
            let general = SwedishNumberParser.parse(" " + text + " ")
            if SwedishNumberParser.plainFigure(text) != nil { plain += 1 }
            let read = SwedishNumberParser.parse(text)
            #expect(read.kind == general.kind && read.value == general.value && read.decimals == general.decimals
                    && read.irregular == general.irregular && read.negativeMark == general.negativeMark
                    && read.isPercent == general.isPercent && read.footnote == general.footnote, "\(text.debugDescription)")
        }
        #expect(plain > 500, "the samples' figures take the short path")
    }
}
