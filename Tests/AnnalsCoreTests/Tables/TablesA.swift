import AnnalsCore

/// Sample A (Södra Norrbotten, delårsrapport 2020), written by hand from
/// samples/src/A-sodra-norrbotten-2020-delarsrapport.txt; pages checked with
/// `pdftotext -layout` on the born-digital PDF.
enum TablesA {
    static let sample = "A-sodra-norrbotten-2020-delarsrapport.pdf"
    /// Numeric tables in the source, counted by hand (all 11 %tables of the source hold figures):
    ///  1. participants per insats (1.1.3), p3, "Insats"
    ///  2. Finansiär / Samverkansmedel (2.5), p8, "Finansiär"
    ///  3. driftredovisning, p15–16, "Samordningsförbundet Södra Norrbotten 2020-06-30"
    ///  4. IB/UB balance table, p17, "Samordningsförbundet Södra Norrbotten 2020-06-30"
    ///  5. Verksamhetens utveckling, p18
    ///  6. Resultaträkning, p19
    ///  7. Balansräkning, p19
    ///  8. Verksamhetens intäkter, p20
    ///  9. Verksamhetens kostnader, p20
    /// 10. Redovisning av insatser, p21
    /// 11. Årets resultat 2020-06-30, p21
    static let numericTableCount = 11
    static let expected: [ExpectedTable] = [
        // 1.1.3: a 12-word sentence stands above it (on the previous page), so the label header is the title.
        ExpectedTable(sample: sample, page: 3, title: "Insats", unit: nil,
                      headers: ["Antal Deltagare", "Kvinnor", "män"], rowCount: 10,
                      cells: [.init("Luleå Arenan Lots", 0, "20"),
                              .init("Luleå Arenan Lots", 1, "Ingen redovisning"),
                              .init("Luleå Arenan Lots", 2, "Ingen redovisning"),
                              .init("VÄXA", 1, "41"),
                              .init("VÄXA", 2, "44"),
                              .init("Arbetsträning", 0, "35"),
                              .init("Arbetsträning", 1, nil),
                              .init("Arbetsträning", 2, nil),
                              .init("Piteå Etablering kvinna", 2, "0"),
                              .init("Älvsbyn Ett steg till (Samsynsgruppen)", 0, "13"),
                              .init("Älvsbyn Ett steg till (Samsynsgruppen)", 1, "7"),
                              .init("Totalt", 0, "222"),
                              .init("Totalt", 1, "+ - 101"),
                              .init("Totalt", 2, "+ - 101")],
                      totals: ["Totalt"]),

        // 2.5: prose paragraph above, so the label header is the title.
        ExpectedTable(sample: sample, page: 8, title: "Finansiär", unit: nil,
                      headers: ["Samverkansmedel"], rowCount: 5,
                      cells: [.init("Staten AF/ FK", 0, "2 500 000"),
                              .init("Kommunerna", 0, "1 250 000"),
                              .init("Region Norrbotten", 0, "1 250 000"),
                              .init("Eget kapital", 0, "4 320 551"),
                              .init("Totalt", 0, "9 320 551")],
                      totals: ["Totalt"]),

        // Driftredovisning: starts a page, nothing above; title from the label header (two ^ rows).
        ExpectedTable(sample: sample, page: 15, title: "Samordningsförbundet Södra Norrbotten 2020-06-30", unit: nil,
                      headers: ["Periodens Utfall", "Periodens Budget", "Periodens Avvikelse", "Års- budget"],
                      rowCount: 44,
                      cells: [.init("ERHÅLLNA BIDRAG", 0, nil),
                              .init("Försäkringskassan", 0, "625 000"),
                              .init("Försäkringskassan", 2, "0"),
                              .init("Luleå kommun 62%", 3, "775 000"),
                              .init("SUMMA ERHÅLLNA BIDRAG", 3, "5 000 000"),
                              .init("Köp av tjänst förbundschef samt lönebikostn.", 2, "-43 065"),
                              .init("Köp av tjänst administratör", 0, "0"),
                              .init("SUMMA PERSONALKOSTNADER", 2, "-146 899"),
                              .init("Lokalhyra, telefon- och datorkostnader, representation mm.", 3, "151 956"),
                              .init("Administrativa kostnader, bokföring, bokslut samt revisionskostnader.", 0, "42 497"),
                              .init("Ersättning till ledamöter, förlorad arbetsinkomst och reseersättning", 2, "-13 638"),
                              .init("Webbredaktör/ Hemsida", 2, "-21 090"),
                              .init("SUMMA ÖVRIGA KOSTNADER", 2, "-37 230"),
                              .init("Luleå, Arenan", 1, "235 250"),
                              .init("Piteå, ESF MoA", 2, "50 000"),
                              .init("Nya individ och strukturella insatser", 0, nil),
                              .init("Nya individ och strukturella insatser", 1, "0"),
                              .init("Nya individ och strukturella insatser", 2, "0"),
                              .init("Nya individ och strukturella insatser", 3, nil),
                              .init("SUMMA INDIVIDINRIKTADE INSATSER", 2, "-1 246 068"),
                              .init("Plattform för ASF Förstudie", 2, "-100 000"),
                              .init("Personalutbild, utbild.mat och konferenser.", 0, "12 881"),
                              .init("SUMMA PROJEKT / INSATSER", 0, "1 477 439"),
                              .init("RÖRELSENS KOSTNADER", 2, "-1 665 686"),
                              .init("RÖRELSERESULTAT", 0, "524 933"),
                              .init("RÖRELSERESULTAT", 3, "-2 100 506")],
                      totals: ["SUMMA ERHÅLLNA BIDRAG", "SUMMA PERSONALKOSTNADER", "SUMMA ÖVRIGA KOSTNADER",
                               "SUMMA INDIVIDINRIKTADE INSATSER", "SUMMA STRUKTURINRIKTADE INSATSER",
                               "SUMMA PROJEKT / INSATSER"],
                      continuesOn: [16]),

        // IB/UB balance table: starts a page, nothing above; title from the label header (third ^ row empty).
        ExpectedTable(sample: sample, page: 17, title: "Samordningsförbundet Södra Norrbotten 2020-06-30", unit: nil,
                      headers: ["Ingående balans 2020-01-01", "Utgående balans 2020-06-30"], rowCount: 16,
                      cells: [.init("TILLGÅNGAR", 0, nil),
                              .init("Övriga kortfristiga fordringar", 0, "379 906"),
                              .init("Kassa och bank", 1, "6 827 827"),
                              .init("SUMMA TILLGÅNGAR", 0, "1 706 877"),
                              .init("Fritt eget kapital", 1, "1 030 361"),
                              .init("Överfört eget kapital Piteå", 0, nil),
                              .init("Överfört eget kapital Piteå", 1, "2 112 949"),
                              .init("Periodens resultat", 0, nil),
                              .init("Periodens resultat", 1, "524 933"),
                              .init("SUMMA EGET KAPITAL", 1, "4 845 483"),
                              .init("Leverantörsskulder", 0, "61 938"),
                              .init("Leverantörsskulder", 1, "0"),
                              .init("SUMMA EGET KAPITAL OCH SKULDER", 1, "6 929 388")],
                      totals: ["SUMMA TILLGÅNGAR", "SUMMA EGET KAPITAL", "SUMMA SKULDER",
                               "SUMMA EGET KAPITAL OCH SKULDER"]),

        // Heading right before the %table; the label header holds no unit.
        ExpectedTable(sample: sample, page: 18, title: "Verksamhetens utveckling", unit: nil,
                      headers: ["2020-06-30", "2019", "2018", "2017", "2016", "2015"], rowCount: 6,
                      cells: [.init("Verksamhetens intäkter", 0, "2 500 000"),
                              .init("Verksamhetens intäkter", 4, "1 496 178"),
                              .init("Verksamhetens kostnader", 1, "-2 494 227"),
                              .init("Årets resultat", 2, "-431 372"),
                              .init("Årets resultat", 4, "-273"),
                              .init("Eget kapital", 5, "1 250 588"),
                              .init("Soliditet *", 0, "70%"),
                              .init("Soliditet *", 5, "67%"),
                              .init("Antal anställda **", 3, "0")]),

        // Title and unit from the label header ("Resultaträkning" over "Belopp i kr").
        ExpectedTable(sample: sample, page: 19, title: "Resultaträkning", unit: .kr,
                      headers: ["Not", "2020-01-01 2020-06-30", "2019-01-01 2019-12-31"], rowCount: 9,
                      cells: [.init("Verksamhetens intäkter", 0, "1"),
                              .init("Verksamhetens intäkter", 1, "2 500 000"),
                              .init("Verksamhetens kostnader", 0, "2"),
                              .init("Verksamhetens kostnader", 1, "-1 975 068"),
                              .init("Verksamhetens kostnader", 2, "-2 494 241"),
                              .init("Avskrivningar", 0, nil),
                              .init("Avskrivningar", 1, "0"),
                              .init("Verksamhetens resultat", 2, "5 759"),
                              .init("Resultat efter finansiella poster", 1, "524 932"),
                              .init("Årets resultat", 0, nil),
                              .init("Årets resultat", 1, "524 932")]),

        ExpectedTable(sample: sample, page: 19, title: "Balansräkning", unit: .kr,
                      headers: ["2020-06-30", "2019-12-31"], rowCount: 16,
                      cells: [.init("TILLGÅNGAR", 0, nil),
                              .init("Övriga kortfristiga fordringar", 0, "101 561"),
                              .init("Övriga kortfristiga fordringar", 1, "379 906"),
                              .init("SUMMA TILLGÅNGAR", 0, "6 929 388"),
                              .init("Fritt eget kapital", 0, "1 030 361"),
                              .init("Överfört eget kapital Piteå", 0, "2 112 949"),
                              .init("Överfört eget kapital Älvsbyn", 1, nil),
                              .init("Periodens resultat", 0, "524 933"),
                              .init("Periodens resultat", 1, nil),
                              .init("SUMMA EGET KAPITAL", 0, "4 845 484"),
                              .init("Leverantörsskulder", 0, "0"),
                              .init("Leverantörsskulder", 1, "61 938"),
                              .init("SUMMA EGET KAPITAL OCH SKULDER", 1, "1 706 877")],
                      totals: ["SUMMA TILLGÅNGAR", "SUMMA EGET KAPITAL", "SUMMA SKULDER",
                               "SUMMA EGET KAPITAL OCH SKULDER"]),

        ExpectedTable(sample: sample, page: 20, title: "Verksamhetens intäkter", unit: nil,
                      headers: ["Utfall 2020-06-30", "2020-06-30", "Budget 2020-06-30", "2020-06-30"], rowCount: 7,
                      cells: [.init("Försäkringskassan", 0, "625 000"),
                              .init("Försäkringskassan", 3, "1 250 000"),
                              .init("Luleå kommun 62%", 1, "387 500"),
                              .init("Älvsbyns kommun 6%", 2, "37 500"),
                              .init("Älvsbyns kommun 6%", 3, "75 000"),
                              .init("SUMMA ERHÅLLNA BIDRAG", 0, "2 500 000"),
                              .init("SUMMA ERHÅLLNA BIDRAG", 3, "5 000 000")],
                      totals: ["SUMMA ERHÅLLNA BIDRAG"]),

        ExpectedTable(sample: sample, page: 20, title: "Verksamhetens kostnader", unit: nil,
                      headers: ["Utfall 2020-06-30", "Budget 2020-06-30", "Utfall 2019"], rowCount: 9,
                      cells: [.init("Lokalhyra, telefon och datorkostnader", 2, "128 760"),
                              .init("Konsularvode administration", 0, "363 881"),
                              .init("Ersättning ledamöter", 2, "0"),
                              .init("Övriga externa kostnader", 0, "0"),
                              .init("Övriga externa kostnader", 1, "5 000"),
                              .init("Individerikatade insatser", 1, "2 506 250"),
                              .init("SUMMA ERHÅLLNA BIDRAG", 0, "1 975 068"),
                              .init("SUMMA ERHÅLLNA BIDRAG", 2, "2 494 227")],
                      totals: ["SUMMA ERHÅLLNA BIDRAG"]),

        // Heading right before the %table; the label header "INDIVIDINRIKTADE INSATSER" holds no unit.
        ExpectedTable(sample: sample, page: 21, title: "Redovisning av insatser", unit: nil,
                      headers: ["Utfall 2020-06-30", "Budget 2020-06-30", "Avvikelse budget-utfall", "Årsbudget 2020"],
                      rowCount: 20,
                      cells: [.init("Luleå, Arenan", 0, "87 779"),
                              .init("Luleå, Arenan", 2, "-147 471"),
                              .init("Luleå, Hikiikomori (hemmasitare)", 0, "0"),
                              .init("Piteå, ESF MoA", 2, "50 000"),
                              .init("Älvsbyn, Steget fram", 3, "1 300 000"),
                              .init("Nya individ och strukturella insatser", 0, nil),
                              .init("Nya individ och strukturella insatser", 1, "0"),
                              .init("Nya individ och strukturella insatser", 3, nil),
                              .init("SUMMA INDIVIDINRIKTADE INSATSER", 2, "-1 246 068"),
                              .init("STRUKTURINRIKTADE INSATSER", 0, nil),
                              .init("Plattform för ASF Förstudie", 2, "-100 000"),
                              .init("Personalutbild, utbild.mät och konferenser.", 0, "12 881"),
                              .init("SUMMA PROJEKT / INSATSER", 3, "5 917 990")],
                      totals: ["SUMMA INDIVIDINRIKTADE INSATSER", "SUMMA STRUKTURINRIKTADE INSATSER",
                               "SUMMA PROJEKT / INSATSER"]),

        // Heading right before the %table; "Årets resultat" is bold but not a Summa/Totalt row.
        ExpectedTable(sample: sample, page: 21, title: "Årets resultat 2020-06-30", unit: nil,
                      headers: ["Periodens Utfall", "Budget", "Års- budget"], rowCount: 3,
                      cells: [.init("Verksamhetens intäkter", 0, "2 500 000"),
                              .init("Verksamhetens intäkter", 1, "2 500 000"),
                              .init("Verksamhetens intäkter", 2, "0"),
                              .init("Verksamhetens kostnader", 0, "-1 975 068"),
                              .init("Verksamhetens kostnader", 1, "-3 640 753"),
                              .init("Verksamhetens kostnader", 2, "1 665 685"),
                              .init("Årets resultat", 0, "524 932"),
                              .init("Årets resultat", 1, "-1 140 753"),
                              .init("Årets resultat", 2, "1 665 685")]),
    ]
}
