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
}
