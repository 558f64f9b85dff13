import AnnalsCore
import Foundation
import Testing

@Suite struct LabelPatternTests {
    @Test(arguments: [
        ("Årets resultat", "Årets resultat"), ("ÅRETS RESULTAT", "årets resultat"), ("Arets resultat", "Årets resultat"),
        ("Resultatrakning", "Resultaträkning"), ("Verksamhetens  kostnader ", "Verksamhetens kostnader"),
        ("Medel från verksamheten före förändring av rörelse- kapital", "Medel från verksamheten före förändring av rörelsekapital"),
        ("Soliditet *", "Soliditet"), ("Belopp i kr.", "Belopp i kr"), ("Övriga\u{00A0}skulder", "Övriga skulder"),
    ])
    func literalLabelsMatchAcrossCaseSpaceHyphenationAndLostDiacritics(_ printed: String, _ rule: String) {
        #expect(LabelPattern(literal: rule).match(printed, foldDiacritics: true) != nil)
    }

    @Test func diacriticsCountUnlessFolded() {
        #expect(LabelPattern(literal: "Årets resultat").match("Arets resultat", foldDiacritics: false) == nil)
        #expect(LabelPattern(literal: "Kassa och bank").match("Kassa och banktillgodohavande", foldDiacritics: true) == nil)
    }

    @Test func regexCapturesNamedGroups() throws {
        let pattern = try LabelPattern(regex: "driftbidrag från (?<party>.+)")
        // Captures come back as printed, not lower-cased or folded.
        #expect(pattern.match("Driftbidrag från Luleå kommun", foldDiacritics: true)?["party"] == "Luleå kommun")
        #expect(pattern.match("DRIFTBIDRAG FRÅN  Luleå   kommun", foldDiacritics: true)?["party"] == "Luleå kommun")
        #expect(pattern.match("Driftbidrag", foldDiacritics: true) == nil)
    }

    @Test func proseCountsInDigitsAndWords() throws {
        let pattern = try LabelPattern(regex: "har (?:totalt )?{n:total} (?:deltagare|personer) (?:tagit del av|deltagit i) insatsen(?:, (?:varav )?{n:women} kvinnor och {n:men} män)?")
        let text = "Totalt har 26 deltagare tagit del av insatsen, 20 kvinnor och 6 män. Av dessa har 13 deltagare avslutats."
        let matches = pattern.matches(in: text, foldDiacritics: true)
        #expect(matches.count == 1)
        let match = try #require(matches.first)
        #expect(match["total"]?.text == "26")
        #expect(match["women"]?.text == "20")
        #expect(match["men"]?.text == "6")
        #expect(LabelPattern.count("sju") == 7)
        #expect(LabelPattern.count("Två") == 2)
        #expect(LabelPattern.count("1 250") == 1250)
        #expect(LabelPattern.count("många") == nil)
    }

    @Test func periodsInSentences() {
        let day = { (s: String) in Day(iso: s)! }
        #expect(LabelPattern.period("210801–230631") == .span(start: day("2021-08-01"), end: day("2023-06-30")))
        #expect(LabelPattern.period("2019–2023") == .span(start: day("2019-01-01"), end: day("2023-12-31")))
        #expect(LabelPattern.period("2020-04-01 – 2021-12-31") == .span(start: day("2020-04-01"), end: day("2021-12-31")))
        #expect(LabelPattern.period("juni") == nil)
    }

    @Test func badRegexIsRefused() {
        #expect(throws: (any Error).self) { try LabelPattern(regex: "summa (") }
    }
}
