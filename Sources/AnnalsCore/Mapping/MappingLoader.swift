import Foundation
internal import Yams

/// Reads mapping files: YAML into `Mapping`, every problem reported with its
/// file, line and column, and `extends` resolved.
public enum MappingLoader {
    /// Reads every `*.yaml` in `directory` and resolves `extends`.
    /// - Throws: the first `MappingError` (unreadable file, bad YAML, a rule
    ///   that names an unknown concept, key or mapping).
    public static func load(directory: URL) throws(MappingError) -> [Mapping] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw MappingError(file: directory.path, line: 0, column: 0, message: "cannot read the mappings folder: \(error.localizedDescription)")
        }
        let raws = try names.map { name throws(MappingError) in try read(file: directory.appendingPathComponent(name)) }
        return try resolve(raws)
    }

    /// Reads and checks one file on its own (its `extends` is resolved against
    /// `others`, when given).
    public static func check(file: URL, others: [URL] = []) throws(MappingError) -> Mapping {
        let raw = try read(file: file)
        var all = [raw]
        for other in others where other.standardizedFileURL != file.standardizedFileURL {
            if let parsed = try? read(file: other) { all.append(parsed) }
        }
        let resolved = try resolve(all)
        return resolved.first { $0.id == raw.id }!
    }

    // MARK: - Reading

    static func read(file url: URL) throws(MappingError) -> Mapping {
        let file = url.relativePath
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw MappingError(file: file, line: 0, column: 0, message: "cannot read the file: \(error.localizedDescription)")
        }
        let root: Node?
        // No implicit types: each plain scalar would be matched against
        // seven regular expressions (most of a mapping's loading time), and
        // the reader asks for a number or a flag where it wants one.
        do { root = try Yams.compose(yaml: text, .basic) } catch let error as YamlError {
            throw MappingError(file: file, line: error.line, column: error.column, message: "not valid YAML: \(error.problem)")
        } catch {
            throw MappingError(file: file, line: 0, column: 0, message: "not valid YAML: \(error)")
        }
        guard let root else { throw MappingError(file: file, line: 1, column: 1, message: "the file is empty") }
        return try Reader(file: file).mapping(root)
    }

    // MARK: - extends

    static func resolve(_ raws: [Mapping]) throws(MappingError) -> [Mapping] {
        var byID: [String: Mapping] = [:]
        for raw in raws {
            if let other = byID[raw.id] {
                throw MappingError(file: raw.file, line: 1, column: 1, message: "id \"\(raw.id)\" is also the id of \(other.file); ids must be unique")
            }
            byID[raw.id] = raw
        }
        var resolved: [String: Mapping] = [:]
        func resolveOne(_ id: String, chain: [String]) throws(MappingError) -> Mapping {
            if let done = resolved[id] { return done }
            let raw = byID[id]!
            guard let parentID = raw.extends else {
                resolved[id] = raw
                return raw
            }
            guard byID[parentID] != nil else {
                throw MappingError(file: raw.file, line: raw.extendsLine, column: 1,
                                   message: "extends \"\(parentID)\", but no mapping has that id (known: \(byID.keys.sorted().joined(separator: ", ")))")
            }
            guard !chain.contains(parentID) else {
                throw MappingError(file: raw.file, line: raw.extendsLine, column: 1,
                                   message: "extends forms a loop: \((chain + [parentID]).joined(separator: " → "))")
            }
            let parent = try resolveOne(parentID, chain: chain + [id])
            let merged = raw.merged(over: parent)
            resolved[id] = merged
            return merged
        }
        for raw in raws { _ = try resolveOne(raw.id, chain: [raw.id]) }
        return raws.map { resolved[$0.id]! }
    }
}

extension YamlError {
    var line: Int {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 1
        }
    }
    var column: Int {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.column
        default: 1
        }
    }
    var problem: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(self)"
        }
    }
}

extension Mapping {
    /// This mapping with `parent`'s rules behind its own: its tables add titles,
    /// columns, rows and groups before the parent's table of the same id
    /// (or replace it with `replace: true`); new tables come first.
    func merged(over parent: Mapping) -> Mapping {
        var out = self
        out.unit = explicitUnit ? unit : parent.unit
        out.tolerance = explicitTolerance ? tolerance : parent.tolerance
        out.foldDiacritics = explicitFold ? foldDiacritics : parent.foldDiacritics
        out.precedence = explicitPrecedence ? precedence : parent.precedence
        out.parties = parent.parties.merging(parties) { $0 + $1 }
        var tables: [TableRule] = tables.filter { own in !parent.tables.contains { $0.id == own.id } }
        for inherited in parent.tables {
            guard let own = self.tables.first(where: { $0.id == inherited.id }) else {
                tables.append(inherited)
                continue
            }
            if own.replace {
                tables.append(own)
            } else {
                var table = inherited
                table.titles = own.titles + inherited.titles
                table.columns = own.columns + inherited.columns
                table.rows = own.rows + inherited.rows
                table.groups = own.groups + inherited.groups
                if own.explicitSource { table.source = own.source }
                if own.explicitPeriod { table.period = own.period }
                if own.unit != nil { table.unit = own.unit }
                tables.append(table)
            }
        }
        out.tables = tables
        out.prose = inheritProse ? prose + parent.prose : prose
        return out
    }
}

/// Turns YAML nodes into rules, refusing unknown keys and bad values.
private struct Reader {
    /// A flag as YAML 1.1 (and Yams's default resolver) reads one: a plain
    /// true, false, yes, no, on or off in lower, capitalised or upper case,
    /// or any case under an explicit `!!bool`; quoted text is not a flag.
    static func flag(_ node: Node?) -> Bool? {
        guard let scalar = node?.scalar else { return nil }
        let word: String
        if scalar.tag.rawValue == Tag.Name.bool.rawValue {
            word = scalar.string.lowercased()
        } else if scalar.style == .plain, flagSpellings.contains(scalar.string) {
            word = scalar.string.lowercased()
        } else {
            return nil
        }
        switch word {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    private static let flagSpellings: Set<String> = Set(["true", "false", "yes", "no", "on", "off"].flatMap {
        [$0, $0.prefix(1).uppercased() + $0.dropFirst(), $0.uppercased()]
    })

    let file: String

    func fail(_ node: Node?, _ message: String) -> MappingError {
        MappingError(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message)
    }

    func keyed(_ node: Node, _ allowed: [String], what: String) throws(MappingError) -> [String: (key: Node, value: Node)] {
        guard let mapping = node.mapping else { throw fail(node, "\(what) must be a mapping of keys to values") }
        var out: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw fail(key, "\(what): a key must be text") }
            guard allowed.contains(name) else {
                throw fail(key, "unknown key \"\(name)\" in \(what); allowed: \(allowed.joined(separator: ", "))")
            }
            out[name] = (key, value)
        }
        return out
    }

    func string(_ node: Node, _ what: String) throws(MappingError) -> String {
        guard let s = node.scalar?.string else { throw fail(node, "\(what) must be text") }
        return s
    }

    func strings(_ node: Node, _ what: String) throws(MappingError) -> [String] {
        if let s = node.scalar?.string { return [s] }
        guard let seq = node.sequence else { throw fail(node, "\(what) must be text or a list of texts") }
        return try seq.map { n throws(MappingError) in try string(n, what) }
    }

    func regex(_ node: Node, _ what: String) throws(MappingError) -> [LabelPattern] {
        var out: [LabelPattern] = []
        let items: [Node] = node.sequence.map(Array.init) ?? [node]
        for item in items {
            let text = try string(item, what)
            do { out.append(try LabelPattern(regex: text)) } catch {
                throw fail(item, "\(what) \"\(text)\" is not a valid regular expression: \(error.localizedDescription)")
            }
        }
        return out
    }

    func patterns(_ fields: [String: (key: Node, value: Node)], literal: String, regex regexKey: String,
                  what: String) throws(MappingError) -> [LabelPattern] {
        var out: [LabelPattern] = []
        if let node = fields[literal]?.value { out += try strings(node, "\(what) \(literal)").map(LabelPattern.init(literal:)) }
        if let node = fields[regexKey]?.value { out += try regex(node, "\(what) \(regexKey)") }
        return out
    }

    func dims(_ node: Node?, _ what: String) throws(MappingError) -> [String: String] {
        guard let node else { return [:] }
        guard let mapping = node.mapping else { throw fail(node, "\(what) dims must be a mapping (party: Försäkringskassan)") }
        var out: [String: String] = [:]
        for (key, value) in mapping {
            out[try string(key, "a dims key")] = try string(value, "a dims value")
        }
        return out
    }

    func concept(_ node: Node) throws(MappingError) -> String {
        let name = try string(node, "concept")
        guard Concept.named(name) != nil else {
            let near = Concept.all.keys.filter { $0.hasPrefix(String(name.prefix { $0 != "." })) }.sorted().prefix(6)
            throw fail(node, "unknown concept \"\(name)\"" + (near.isEmpty ? "" : "; did you mean one of: \(near.joined(separator: ", "))"))
        }
        return name
    }

    func periodType(_ node: Node) throws(MappingError) -> Concept.PeriodType {
        let text = try string(node, "period")
        guard let value = Concept.PeriodType(rawValue: text) else { throw fail(node, "period must be flow or stock, not \"\(text)\"") }
        return value
    }

    func mapping(_ root: Node) throws(MappingError) -> Mapping {
        let top = try keyed(root, ["version", "id", "description", "extends", "match", "unit", "tolerance",
                                   "fold_diacritics", "parties", "merged_from", "tables", "prose", "inherit_prose", "precedence"],
                            what: "the mapping")
        guard let versionNode = top["version"]?.value else { throw fail(root, "missing field \"version\" (write version: 1)") }
        guard let version = versionNode.int else { throw fail(versionNode, "version must be a whole number") }
        guard version >= 1, version <= Mapping.highestSupportedVersion else {
            throw fail(versionNode, "version \(version) is not supported; this annals reads versions 1...\(Mapping.highestSupportedVersion)")
        }
        guard let idNode = top["id"]?.value else { throw fail(root, "missing field \"id\"") }
        let id = try string(idNode, "id")
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !id.isEmpty else {
            throw fail(idNode, "id must be letters, digits, - and _ only")
        }
        var unit = MoneyUnit.kr
        if let node = top["unit"]?.value {
            let text = try string(node, "unit")
            guard let u = MoneyUnit(rawValue: text) else { throw fail(node, "unit must be kr, tkr or mnkr, not \"\(text)\"") }
            unit = u
        }
        var tolerance: Decimal = 1
        if let node = top["tolerance"]?.value {
            guard let t = node.scalar.flatMap({ Decimal(string: $0.string) }), t >= 0 else {
                throw fail(node, "tolerance must be a number of kronor, 0 or more")
            }
            tolerance = t
        }
        var fold = true
        if let node = top["fold_diacritics"]?.value {
            guard let b = Reader.flag(node) else { throw fail(node, "fold_diacritics must be true or false") }
            fold = b
        }
        var parties: [String: [String]] = [:]
        if let node = top["parties"]?.value {
            guard let m = node.mapping else { throw fail(node, "parties must map a name to its spellings") }
            for (key, value) in m { parties[try string(key, "a party name")] = try strings(value, "a party's spellings") }
        }
        let defaultPrecedence = ["statement", "note", "budget", "overview", "participants", "other", "prose"]
        var precedence = defaultPrecedence
        if let node = top["precedence"]?.value { precedence = try strings(node, "precedence") }

        var result = Mapping(
            id: id, description: try top["description"].map { f throws(MappingError) in try string(f.value, "description") } ?? "",
            extends: try top["extends"].map { f throws(MappingError) in try string(f.value, "extends") },
            match: try matchRules(top["match"]?.value), unit: unit, tolerance: tolerance, foldDiacritics: fold,
            parties: parties, tables: try tableRules(top["tables"]?.value), prose: try proseRules(top["prose"]?.value),
            precedence: precedence, file: file)
        if let node = top["merged_from"]?.value { result.mergedFrom = try strings(node, "merged_from") }
        result.explicitUnit = top["unit"] != nil
        result.explicitTolerance = top["tolerance"] != nil
        result.explicitFold = top["fold_diacritics"] != nil
        result.explicitPrecedence = top["precedence"] != nil
        result.extendsLine = top["extends"]?.key.mark?.line ?? 1
        if let node = top["inherit_prose"]?.value {
            guard let b = Reader.flag(node) else { throw fail(node, "inherit_prose must be true or false") }
            result.inheritProse = b
        }
        return result
    }

    func list(_ node: Node?, _ what: String) throws(MappingError) -> [Node] {
        guard let node else { return [] }
        guard let seq = node.sequence else { throw fail(node, "\(what) must be a list (items start with -)") }
        return Array(seq)
    }

    func matchRules(_ node: Node?) throws(MappingError) -> [Mapping.MatchRule] {
        try list(node, "match").map { item throws(MappingError) in
            let f = try keyed(item, ["text", "regex", "years", "weight"], what: "a match rule")
            let weight = try f["weight"].map { w throws(MappingError) -> Double in
                guard let d = w.value.float ?? w.value.int.map(Double.init) else { throw fail(w.value, "weight must be a number") }
                return d
            } ?? 1
            let line = item.mark?.line ?? 1
            if let t = f["text"] { return .init(test: .text(try string(t.value, "text")), weight: weight, line: line) }
            if let r = f["regex"] {
                let text = try string(r.value, "regex")
                _ = try regex(r.value, "regex")
                return .init(test: .regex(text), weight: weight, line: line)
            }
            if let y = f["years"] {
                let text = try string(y.value, "years")
                let parts = text.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 2 || parts.count == 1, let lo = parts.first, let hi = parts.last, lo <= hi else {
                    throw fail(y.value, "years must be a year or a range such as 2015-2019")
                }
                return .init(test: .years(lo...hi), weight: weight, line: line)
            }
            throw fail(item, "a match rule needs text, regex or years")
        }
    }

    func tableRules(_ node: Node?) throws(MappingError) -> [Mapping.TableRule] {
        try list(node, "tables").map { item throws(MappingError) in
            let f = try keyed(item, ["id", "title", "title_match", "source", "period", "unit", "columns", "rows", "groups", "replace"],
                              what: "a table rule")
            var unit: MoneyUnit?
            if let node = f["unit"]?.value {
                let text = try string(node, "unit")
                guard let u = MoneyUnit(rawValue: text) else { throw fail(node, "unit must be kr, tkr or mnkr, not \"\(text)\"") }
                unit = u
            }
            guard let idNode = f["id"]?.value else { throw fail(item, "a table rule needs an id") }
            let sources = ["statement", "note", "budget", "overview", "participants", "other"]
            var source = "other"
            if let s = f["source"]?.value {
                source = try string(s, "source")
                guard sources.contains(source) else { throw fail(s, "source must be one of \(sources.joined(separator: ", "))") }
            }
            var rule = Mapping.TableRule(
                id: try string(idNode, "id"),
                titles: try patterns(f, literal: "title", regex: "title_match", what: "table"),
                source: source, period: try f["period"].map { p throws(MappingError) in try periodType(p.value) } ?? .flow,
                unit: unit, columns: try columnRules(f["columns"]?.value), rows: try rowRules(f["rows"]?.value),
                groups: try groupRules(f["groups"]?.value),
                replace: Reader.flag(f["replace"]?.value) ?? false, line: item.mark?.line ?? 1)
            rule.explicitSource = f["source"] != nil
            rule.explicitPeriod = f["period"] != nil
            return rule
        }
    }

    func scenario(_ node: Node) throws(MappingError) -> Fact.Scenario {
        let text = try string(node, "scenario")
        guard let s = Fact.Scenario(rawValue: text) else {
            throw fail(node, "scenario must be actual, budget, annual_budget, deviation or forecast, not \"\(text)\"")
        }
        return s
    }

    func columnRules(_ node: Node?) throws(MappingError) -> [Mapping.ColumnRule] {
        try list(node, "columns").map { item throws(MappingError) in
            let f = try keyed(item, ["index", "header", "header_match", "skip", "scenario", "period", "concept", "dims"],
                              what: "a column rule")
            let headers = try patterns(f, literal: "header", regex: "header_match", what: "column")
            let index = f["index"]?.value.int
            guard index != nil || !headers.isEmpty else { throw fail(item, "a column rule needs an index (from 1) or a header") }
            var periodReference: String?
            if let p = f["period"]?.value {
                let text = try string(p, "period")
                guard text == "report" || text == "prior" || Int(text) != nil else {
                    throw fail(p, "a column's period is report, prior or a year, not \"\(text)\"")
                }
                periodReference = text
            }
            return Mapping.ColumnRule(
                index: index, headers: headers, skip: Reader.flag(f["skip"]?.value) ?? false,
                scenario: try f["scenario"].map { s throws(MappingError) in try scenario(s.value) },
                periodReference: periodReference,
                concept: try f["concept"].map { c throws(MappingError) in try concept(c.value) },
                dims: try dims(f["dims"]?.value, "a column's"), line: item.mark?.line ?? 1)
        }
    }

    func rowRules(_ node: Node?) throws(MappingError) -> [Mapping.RowRule] {
        try list(node, "rows").map { item throws(MappingError) in
            let f = try keyed(item, ["label", "match", "concept", "dims", "period", "occurrence", "count", "ignore"], what: "a row rule")
            let labels = try patterns(f, literal: "label", regex: "match", what: "row")
            guard !labels.isEmpty else { throw fail(item, "a row rule needs a label or a match") }
            let ignore = Reader.flag(f["ignore"]?.value) ?? false
            guard ignore || f["concept"] != nil || f["dims"] != nil else {
                throw fail(item, "a row rule needs a concept, dims (for a table whose columns name the concepts), or ignore: true")
            }
            return Mapping.RowRule(
                labels: labels, concept: try f["concept"].map { c throws(MappingError) in try concept(c.value) },
                dims: try dims(f["dims"]?.value, "a row's"),
                period: try f["period"].map { p throws(MappingError) in try periodType(p.value) },
                occurrence: f["occurrence"]?.value.int, count: f["count"]?.value.int, line: item.mark?.line ?? 1)
        }
    }

    func groupRules(_ node: Node?) throws(MappingError) -> [Mapping.GroupRule] {
        try list(node, "groups").map { item throws(MappingError) in
            let f = try keyed(item, ["label", "match", "dims", "scope"], what: "a group rule")
            let labels = try patterns(f, literal: "label", regex: "match", what: "group")
            guard !labels.isEmpty else { throw fail(item, "a group rule needs a label or a match") }
            var scope = Mapping.GroupRule.Scope.following
            if let s = f["scope"]?.value {
                let text = try string(s, "scope")
                guard let v = Mapping.GroupRule.Scope(rawValue: text) else { throw fail(s, "scope must be following or preceding") }
                scope = v
            }
            return Mapping.GroupRule(labels: labels, dims: try dims(f["dims"]?.value, "a group's"), scope: scope,
                                     line: item.mark?.line ?? 1)
        }
    }

    /// `participants.new` or `participants.new[gender=women, scope=x]`.
    func capture(_ node: Node) throws(MappingError) -> Mapping.Capture {
        let text = try string(node, "a capture's concept")
        guard let open = text.firstIndex(of: "[") else {
            return Mapping.Capture(concept: try concept(node), dims: [:])
        }
        let name = String(text[..<open]).trimmingCharacters(in: .whitespaces)
        guard text.hasSuffix("]"), Concept.named(name) != nil else {
            throw fail(node, "a capture is concept or concept[key=value, …], not \"\(text)\"")
        }
        var dims: [String: String] = [:]
        for pair in text[text.index(after: open)..<text.index(before: text.endIndex)].split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else { throw fail(node, "\"\(pair)\" is not key=value") }
            dims[parts[0]] = parts[1]
        }
        return Mapping.Capture(concept: name, dims: dims)
    }

    func proseRules(_ node: Node?) throws(MappingError) -> [Mapping.ProseRule] {
        try list(node, "prose").map { item throws(MappingError) in
            let f = try keyed(item, ["id", "pattern", "captures", "section", "section_match", "dims"], what: "a prose rule")
            guard let p = f["pattern"]?.value else { throw fail(item, "a prose rule needs a pattern") }
            guard let pattern = try regex(p, "pattern").first else { throw fail(p, "empty pattern") }
            guard let c = f["captures"]?.value, let m = c.mapping else {
                throw fail(item, "a prose rule needs captures: a mapping of group name to concept")
            }
            var captures: [String: Mapping.Capture] = [:]
            for (key, value) in m {
                let name = try string(key, "a capture name")
                guard pattern.source.contains("{n:\(name)}") || pattern.source.contains("(?<\(name)>") else {
                    throw fail(key, "the pattern has no group named \(name)")
                }
                captures[name] = try capture(value)
            }
            let sections = try patterns(f, literal: "section", regex: "section_match", what: "prose")
            return Mapping.ProseRule(
                id: try f["id"].map { i throws(MappingError) in try string(i.value, "id") } ?? "prose\(item.mark?.line ?? 0)",
                pattern: pattern, captures: captures, section: sections.first,
                dims: try dims(f["dims"]?.value, "a prose rule's"), line: item.mark?.line ?? 1)
        }
    }
}
