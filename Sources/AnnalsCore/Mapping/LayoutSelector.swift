import Foundation

/// Scores each mapping against a document and picks the best.
public struct LayoutSelector: Sendable {
    public struct Score: Sendable {
        public var mapping: Mapping
        public var score: Double
        /// The rules that held, for `annals layouts --explain`.
        public var matched: [Mapping.MatchRule]
        public var missed: [Mapping.MatchRule]
    }

    public var mappings: [Mapping]

    public init(mappings: [Mapping]) { self.mappings = mappings }

    /// Every mapping's score, best first. The score is the weight of the
    /// rules that held over their total weight plus one, so a mapping backed by
    /// more evidence beats a generic one that matches its single rule.
    public func scores(pages: [PageText], identity: ReportIdentity?, firstPages: Int = 3) -> [Score] {
        let text = pages.prefix(firstPages).flatMap { $0.lines().map(\.text) }.joined(separator: "\n")
        let folded = LabelText.normalize(text, foldDiacritics: true)
        let year: Int? = {
            if case .span(_, let e)? = identity?.period { return e.year }
            return nil
        }()
        return mappings.map { mapping in
            var matched: [Mapping.MatchRule] = []
            var missed: [Mapping.MatchRule] = []
            for rule in mapping.match {
                let holds: Bool
                switch rule.test {
                case .text(let words):
                    holds = folded.contains(LabelText.normalize(words, foldDiacritics: true))
                case .regex(let pattern):
                    holds = (try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]))
                        .map { $0.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil } ?? false
                case .years(let range):
                    holds = year.map(range.contains) ?? false
                }
                if holds { matched.append(rule) } else { missed.append(rule) }
            }
            let total = mapping.match.map(\.weight).reduce(0, +)
            let got = matched.map(\.weight).reduce(0, +)
            let score = total > 0 ? got / (total + 1) : 0
            return Score(mapping: mapping, score: (score * 100).rounded() / 100, matched: matched, missed: missed)
        }.sorted { $0.score > $1.score }
    }
}
