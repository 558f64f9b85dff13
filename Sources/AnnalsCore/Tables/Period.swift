import Foundation

/// A calendar day, written ISO `YYYY-MM-DD` in JSON.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2199).contains(year), (1...12).contains(month),
              (1...Day.length(of: month, in: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The first and last day of a year or of a month.
    public static func first(of year: Int, month: Int = 1) -> Day? { Day(year: year, month: month, day: 1) }
    public static func last(of year: Int, month: Int = 12) -> Day? {
        Day(year: year, month: month, day: length(of: month, in: year))
    }

    static func length(of month: Int, in year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `String(format: "%04d-%02d-%02d", year, month, day)`, without the format parser.
    public var description: String { Day.padded(year, 4) + "-" + Day.padded(month, 2) + "-" + Day.padded(day, 2) }

    /// `%0<width>d`: at least `width` characters, zeros after the sign.
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let sign = value < 0 ? "-" : ""
        let zeros = max(0, width - sign.count - digits.count)
        return sign + String(repeating: "0", count: zeros) + digits
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// `2019-12-31` or `20191231`.
    public init?(iso text: String) {
        let digits = text.filter(\.isNumber)
        let parts = text.split(separator: "-")
        if parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
           parts[0].count == 4 {
            self.init(year: y, month: m, day: d)
        } else if digits.count == 8, digits == text, let y = Int(digits.prefix(4)),
                  let m = Int(digits.dropFirst(4).prefix(2)), let d = Int(digits.suffix(2)) {
            self.init(year: y, month: m, day: d)
        } else {
            return nil
        }
    }
}

/// The period of a fact, as the contract writes it: `{"start", "end"}` for
/// flows, `{"instant"}` for stocks.
public enum Period: Sendable, Hashable, Codable, CustomStringConvertible {
    case span(start: Day, end: Day)
    case instant(Day)

    public var description: String {
        switch self {
        case .span(let s, let e): "\(s)–\(e)"
        case .instant(let d): "\(d)"
        }
    }

    /// The calendar year this period is: a January–December span, or a
    /// stock on 31 December; nil for any other period.
    public var calendarYear: Int? {
        switch self {
        case .instant(let d): d.month == 12 && d.day == 31 ? d.year : nil
        case .span(let s, let e): s.year == e.year && s.month == 1 && s.day == 1 && e.month == 12 && e.day == 31 ? s.year : nil
        }
    }

    /// The whole calendar year.
    public static func year(_ year: Int) -> Period? {
        guard let s = Day.first(of: year), let e = Day.last(of: year) else { return nil }
        return .span(start: s, end: e)
    }

    enum CodingKeys: String, CodingKey { case start, end, instant }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let instant = try c.decodeIfPresent(Day.self, forKey: .instant) {
            self = .instant(instant)
        } else {
            self = .span(start: try c.decode(Day.self, forKey: .start), end: try c.decode(Day.self, forKey: .end))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .span(let s, let e):
            try c.encode(s, forKey: .start)
            try c.encode(e, forKey: .end)
        case .instant(let d):
            try c.encode(d, forKey: .instant)
        }
    }
}

/// What a column header says about its column: the period, and whether it is
/// outcome, budget, annual budget or deviation.
///
/// A header often names a period less precisely than a fact needs: `Utfall
/// 2020-06-30` is the year to date in a flow table and the day itself in a
/// balance sheet; `2019` is a calendar year of flows or the year-end stock.
/// `reference` keeps what was printed; the mapping stage, which knows the
/// table's kind, turns it into a `Period`.
public struct ColumnHeading: Sendable, Hashable, Codable {
    public enum Scenario: String, Sendable, Hashable, Codable {
        case actual, budget, annualBudget = "annual_budget", deviation, forecast
    }

    public enum Reference: Sendable, Hashable {
        /// Both ends printed: `2019-01-01 -2019-12-31`, `20200101–20200630`, `jan-dec 2019`.
        case span(start: Day, end: Day)
        /// One date: a balance-sheet day, or the end of a period to date.
        case date(Day)
        /// A bare year: `2019`, `Budget 2020`, `Bokslut helår 2018`.
        case year(Int)
    }

    public var text: String
    public var reference: Reference?
    public var scenario: Scenario?
    /// `Not` (the note-reference column) rather than figures.
    public var isNoteColumn: Bool = false

    public init(text: String, reference: Reference? = nil, scenario: Scenario? = nil) {
        self.text = text
        self.reference = reference
        self.scenario = scenario
    }

    /// Reads a header cell (its lines joined with spaces).
    public init(parsing header: String) {
        self = ColumnHeadingParser.parse(header)
    }

    /// The period for a column of flows (income, costs, participants).
    public var flowPeriod: Period? {
        switch reference {
        case .span(let s, let e): .span(start: s, end: e)
        case .date(let d): Day.first(of: d.year).map { .span(start: $0, end: d) }
        case .year(let y): .year(y)
        case nil: nil
        }
    }

    /// The period for a column of stocks (balance-sheet items).
    public var stockPeriod: Period? {
        switch reference {
        case .span(_, let e): .instant(e)
        case .date(let d): .instant(d)
        case .year(let y): Day.last(of: y).map { .instant($0) }
        case nil: nil
        }
    }
}

enum ColumnHeadingParser {
    static let months: [String: Int] = [
        "jan": 1, "januari": 1, "feb": 2, "februari": 2, "mar": 3, "mars": 3, "apr": 4, "april": 4,
        "maj": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "augusti": 8,
        "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11, "november": 11,
        "dec": 12, "december": 12,
    ]

    static func parse(_ header: String) -> ColumnHeading {
        let text = header.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        var heading = ColumnHeading(text: text)
        let lower = text.lowercased()
        heading.isNoteColumn = lower == "not" || lower == "noter" || lower == "not nr"
        heading.scenario = scenario(in: lower)
        heading.reference = reference(in: lower)
        return heading
    }

    static func scenario(in lower: String) -> ColumnHeading.Scenario? {
        // OCR's slips ("avwvikelse", "butget") are read as the word they miss by one letter.
        let keywords = ["avvikelse", "budget", "utfall", "bokslut", "prognos", "årsbudget"]
        let words = lower.split { !$0.isLetter }.map(String.init).map { word in
            word.count >= 5 && !keywords.contains(word) ? keywords.first { closeEnough(word, $0) } ?? word : word
        }
        let joined = words.joined(separator: " ")
        if words.contains(where: { $0.hasPrefix("avvikelse") || $0 == "avv" || $0 == "differens" }) { return .deviation }
        if words.contains(where: { $0 == "årsbudget" || $0 == "helårsbudget" }) || joined.contains("års budget") {
            return .annualBudget
        }
        if words.contains(where: { $0 == "prognos" }) { return .forecast }
        if words.contains(where: { $0.hasSuffix("budget") || $0 == "budgeterat" }) { return .budget }
        if words.contains(where: { $0 == "utfall" || $0 == "bokslut" || $0 == "verkligt" }) {
            return .actual
        }
        return nil
    }

    /// Whether two words differ by one letter at most (inserted, dropped or changed).
    static func closeEnough(_ a: String, _ b: String) -> Bool {
        let x = Array(a), y = Array(b)
        guard abs(x.count - y.count) <= 1 else { return false }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count] <= 1
    }

    static func reference(in lower: String) -> ColumnHeading.Reference? {
        // Dates printed in full: 2019-01-01, 20200630.
        let tokens = lower.split { !($0.isNumber || $0 == "-") }.map(String.init)
        var dates: [Day] = []
        for token in tokens {
            for piece in token.split(separator: "-", omittingEmptySubsequences: true) where piece.count == 8 {
                if let day = Day(iso: String(piece)) { dates.append(day) }
            }
        }
        // ISO dates with hyphens need the pieces together: match yyyy-mm-dd runs.
        dates += isoDates(in: lower)
        dates = dates.sorted()
        var unique: [Day] = []
        for d in dates where unique.last != d { unique.append(d) }
        if unique.count >= 2 { return .span(start: unique.first!, end: unique.last!) }
        if unique.count == 1 { return .date(unique[0]) }

        // Month ranges: "jan-dec 2019", "januari–juni 2020", "jan - aug 2021".
        let words = lower.split { !($0.isLetter || $0.isNumber) }.map(String.init)
        let years = words.compactMap { w -> Int? in
            guard w.count == 4, let y = Int(w), (1900...2199).contains(y) else { return nil }
            return y
        }
        let monthNumbers = words.compactMap { months[$0] }
        if let year = years.last, monthNumbers.count >= 2,
           let s = Day.first(of: year, month: monthNumbers[0]), let e = Day.last(of: year, month: monthNumbers.last!) {
            return .span(start: s, end: e)
        }
        // "Utfall 2020-06-30" is handled above; "per juni 2020": up to the end of that month.
        if let year = years.last, monthNumbers.count == 1, let e = Day.last(of: year, month: monthNumbers[0]) {
            return .date(e)
        }
        if let year = years.last { return .year(year) }
        // OCR: a speck after a year header ("20177" for 2017).
        if words.count == 1, let word = words.first, word.count == 5, word.allSatisfy(\.isNumber),
           let year = Int(word.prefix(4)), (1990...2100).contains(year) {
            return .year(year)
        }
        return nil
    }

    private static func isoDates(in text: String) -> [Day] {
        var result: [Day] = []
        let chars = Array(text)
        var i = 0
        while i + 10 <= chars.count {
            let slice = String(chars[i..<i + 10])
            if slice.count == 10, slice[slice.index(slice.startIndex, offsetBy: 4)] == "-",
               slice[slice.index(slice.startIndex, offsetBy: 7)] == "-",
               (i == 0 || !chars[i - 1].isNumber), (i + 10 == chars.count || !chars[i + 10].isNumber),
               let day = Day(iso: slice) {
                result.append(day)
                i += 10
            } else {
                i += 1
            }
        }
        return result
    }
}

extension ColumnHeading.Reference: Codable {
    enum CodingKeys: String, CodingKey { case date, year }

    /// `{"start", "end"}` (as a `Period`), `{"date"}` or `{"year"}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let year = try c.decodeIfPresent(Int.self, forKey: .year) {
            self = .year(year)
        } else if let date = try c.decodeIfPresent(Day.self, forKey: .date) {
            self = .date(date)
        } else if case .span(let s, let e) = try Period(from: decoder) {
            self = .span(start: s, end: e)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a column reference"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .span(let s, let e): try Period.span(start: s, end: e).encode(to: encoder)
        case .date(let d):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(d, forKey: .date)
        case .year(let y):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(y, forKey: .year)
        }
    }
}

extension ColumnHeading {
    enum CodingKeys: String, CodingKey {
        case text, reference, scenario
        case isNoteColumn = "note_column"
    }
}
