/// Tunables for finding tables, in units of the glyph height (about the font
/// size) so that they hold for 8 pt notes and 11 pt statements alike.
public struct TableSettings: Sendable, Hashable, Codable {
    /// Words further apart than this start a new cell.
    public var cellGap: Double = 0.8
    /// A vertical step between lines larger than this (baseline to baseline)
    /// ends a table.
    public var maximumRowStep: Double = 2.3
    /// How far above the first row the header and title may sit.
    public var headerLines: Int = 6
    public var titleDistance: Double = 4.5
    /// A label-only line counts as a row only if it starts within this of the
    /// table's label column.
    public var labelIndent: Double = 4.0
    var lineSettings = LineSettings()

    public init() {}
}

/// Finds the tables of a document: runs of lines whose figures align in
/// columns, with their header, title, unit and rows.
///
/// Nothing here knows a report's layout: the same rules find the statements,
/// notes, budget follow-ups and participant tables of every sample.
public struct TableDetector: Sendable {
    public var settings: TableSettings

    public init(settings: TableSettings = TableSettings()) {
        self.settings = settings
    }

    /// The tables of a document, continued tables joined across pages.
    public func tables(in pages: [PageText]) -> [Table] {
        var all: [Table] = []
        for page in pages {
            for table in tables(on: page) {
                if let previous = all.last, let joined = join(previous, table, pages: pages) {
                    all[all.count - 1] = joined
                } else {
                    all.append(table)
                }
            }
        }
        return all
    }

    /// The tables that start on one page.
    public func tables(on page: PageText) -> [Table] {
        let lines = page.lines(settings.lineSettings)
            .map { PhraseLine(line: $0, phrases: $0.phrases(gap: settings.cellGap), page: page.number, pageWidth: page.width) }
        var tables: [Table] = []
        var used = Set<Int>()
        var index = 0
        while index < lines.count {
            guard !used.contains(index), isRow(lines[index]),
                  let region = region(startingAt: index, in: lines)
            else {
                index += 1
                continue
            }
            let table = build(region: region, lines: lines, page: page, order: tables.count + 1, used: used)
            if let table {
                if let previous = tables.last, let joined = rejoin(previous, table.table) {
                    tables[tables.count - 1] = joined
                } else {
                    tables.append(table.table)
                }
                used.formUnion(table.lines)
            }
            index = (region.rows.last ?? index) + 1
        }
        return tables
    }

    // MARK: - Rows and regions

    /// A line that reads as a table row: a label, then figures (or empty
    /// markers) further right, and nothing but short cells after the label.
    func isRow(_ line: PhraseLine) -> Bool {
        guard line.phrases.count >= 2, let label = line.phrases.first else { return false }
        // A label is words, or a small whole number at the left margin (a
        // table of months in an intervention: `1`, `2`, `12`).
        guard !label.isFigureLike || isNumericLabel(label, in: line) else { return false }
        let cells = line.phrases.dropFirst()
        guard cells.contains(where: \.isCellLike), !isYearHeader(line) else { return false }
        // Prose that happens to hold a figure has long runs of words after it.
        return cells.allSatisfy { $0.isCellLike || $0.words.count <= 4 }
    }

    func isNumericLabel(_ phrase: Phrase, in line: PhraseLine) -> Bool {
        guard phrase.isNumber, phrase.value.decimals == 0, !phrase.value.isPercent, phrase.value.negativeMark == nil,
              phrase.text.count <= 3 else { return false }
        return phrase.box.x0 < 0.25 * line.pageWidth
    }

    /// A line whose only figures are years (`Belopp i tkr. Not 2018 2017`,
    /// `Belopp tkr 2019 jan-dec 2019 budget 2018`): a header, not data. Plain
    /// years after a label count only with a sign of a header: a unit in the
    /// label, header words beside them, or bold type.
    func isYearHeader(_ line: PhraseLine) -> Bool {
        let cells = Array(line.phrases.dropFirst())
        let figures = cells.filter(\.isFigureLike)
        guard !figures.isEmpty, figures.allSatisfy(\.isYear) else { return false }
        let label = line.phrases.first?.text ?? ""
        let hasWords = cells.contains { !$0.isFigureLike }
        let bold = line.phrases.allSatisfy(\.isBold)
        return hasWords || bold || MoneyUnit.named(in: label) != nil || label.lowercased().hasPrefix("belopp")
    }

    struct Region {
        var rows: [Int]
        var columns: [ClosedRange<Double>]
    }

    /// Grows a table downwards from a row line: further rows, label-only lines
    /// between rows (section labels, wrapped labels), until a wide gap, prose,
    /// or a line that is neither.
    func region(startingAt start: Int, in lines: [PhraseLine]) -> Region? {
        var rows = [start]
        var pending: [Int] = []
        let labelX = lines[start].phrases[0].box.x0
        var columns = columnRanges(of: [lines[start]])
        var previous = start
        var next = start + 1
        while next < lines.count {
            let line = lines[next]
            let step = line.box.y0 - lines[previous].box.y0
            let height = max(lines[previous].height, line.height)
            guard step <= settings.maximumRowStep * height else { break }
            if isRow(line) {
                rows += pending
                pending = []
                rows.append(next)
                columns = merge(columns, columnRanges(of: [line]))
            } else if isLabelOnly(line, labelX: labelX, columns: columns) {
                pending.append(next)
            } else {
                break
            }
            previous = next
            next += 1
        }
        let figureRows = rows.filter { isRow(lines[$0]) }
        guard figureRows.count >= 2 || (figureRows.count == 1 && lines[start].phrases.count >= 3) else { return nil }
        // Some cell must be a figure and nothing else: a table of sentences
        // that open with numbers ("4 möten har genomförts") is prose.
        guard figureRows.contains(where: { lines[$0].phrases.dropFirst().contains(where: \.isFigureLike) }) else { return nil }
        return Region(rows: rows, columns: columns)
    }

    /// A line with only a label, starting at the label column and ending left
    /// of the figures: a section label or a wrapped label.
    func isLabelOnly(_ line: PhraseLine, labelX: Double, columns: [ClosedRange<Double>]) -> Bool {
        guard let first = line.phrases.first, !first.isFigureLike || isNumericLabel(first, in: line) else { return false }
        let height = line.height
        guard abs(first.box.x0 - labelX) <= settings.labelIndent * height else { return false }
        let firstColumn = columns.map(\.lowerBound).min() ?? .infinity
        return line.phrases.allSatisfy { $0.box.x1 <= firstColumn + height }
            && line.phrases.dropFirst().allSatisfy { !$0.isFigureLike }
    }

    /// The x-ranges of the figure columns: the figures' boxes, overlapping
    /// ones merged (right-aligned, centred and left-aligned columns alike).
    func columnRanges(of lines: [PhraseLine]) -> [ClosedRange<Double>] {
        merge([], lines.flatMap { $0.phrases.dropFirst().filter(\.isCellLike).map { $0.box.x0...$0.box.x1 } })
    }

    /// Two sets of column ranges as one, overlapping ranges merged.
    func merge(_ a: [ClosedRange<Double>], _ b: [ClosedRange<Double>]) -> [ClosedRange<Double>] {
        var ranges: [ClosedRange<Double>] = []
        for range in (a + b).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            // Two narrow ranges a hair apart are one column of single digits
            // (note references) whose boxes OCR set a little askew.
            let narrow = { (r: ClosedRange<Double>) in r.upperBound - r.lowerBound < 9 }
            if let last = ranges.last, range.lowerBound <= last.upperBound + 1
                || (narrow(last) && narrow(range) && range.lowerBound - last.upperBound < 4) {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        return ranges
    }

    // MARK: - Building a table

    struct Built {
        var table: Table
        var lines: [Int]
    }

    func build(region: Region, lines: [PhraseLine], page: PageText, order: Int, used: Set<Int>) -> Built? {
        var rowIndices = region.rows
        guard var firstRow = rowIndices.first else { return nil }
        var columns = region.columns
        let labelX = lines[firstRow].phrases[0].box.x0

        // Section labels between the header and the first figures
        // ("Tillgångar", "Omsättningstillgångar"): label-only lines just above
        // the first row, kept only if a header stands above them.
        var leading: [Int] = []
        var cursor = firstRow - 1
        var below = firstRow
        while cursor >= 0, leading.count < 3, !used.contains(cursor) {
            let line = lines[cursor]
            let step = lines[below].box.y0 - line.box.y0
            guard step <= settings.maximumRowStep * max(line.height, lines[below].height),
                  isLabelOnly(line, labelX: labelX, columns: columns), !isHeader(line, columns: columns, labelX: labelX, rowHeight: lines[firstRow].height)
            else { break }
            leading.insert(cursor, at: 0)
            below = cursor
            cursor -= 1
        }

        // Header lines: just above, each cell over a column.
        var headerIndices: [Int] = []
        while cursor >= 0, headerIndices.count < settings.headerLines, !used.contains(cursor) {
            let line = lines[cursor]
            let step = lines[below].box.y0 - line.box.y0
            guard step <= settings.maximumRowStep * max(line.height, lines[below].height) else { break }
            guard isHeader(line, columns: columns, labelX: labelX, rowHeight: lines[firstRow].height) else { break }
            headerIndices.insert(cursor, at: 0)
            below = cursor
            cursor -= 1
        }
        // Bold label-only lines right above the header continue its label
        // cell ("Samordningsförbundet Södra" / "Norrbotten" / "2020-06-30").
        while !headerIndices.isEmpty, cursor >= 0, !used.contains(cursor) {
            let line = lines[cursor]
            let step = lines[below].box.y0 - line.box.y0
            guard step <= 1.5 * line.height, line.phrases.allSatisfy(\.isBold),
                  line.height <= 1.15 * lines[firstRow].height,
                  isLabelOnly(line, labelX: labelX, columns: columns) else { break }
            headerIndices.insert(cursor, at: 0)
            below = cursor
            cursor -= 1
        }
        // A unit line under the header ("Belopp i kr") belongs to the header.
        var unitLines: [Int] = []
        if !headerIndices.isEmpty, !leading.isEmpty {
            unitLines = leading.filter { isUnitLine(lines[$0]) }
            rowIndices = leading.filter { !unitLines.contains($0) } + rowIndices
            firstRow = rowIndices[0]
        }

        // Header cells, placed by alignment with the figures below them.
        var headerTexts = Array(repeating: [String](), count: columns.count)
        var labelHeader: [String] = []
        for index in headerIndices + unitLines {
            let line = lines[index]
            for phrase in headerPhrases(line) {
                if let c = headerColumn(for: phrase.box, in: columns, height: line.height, labelX: labelX) {
                    headerTexts[c].append(phrase.text)
                } else {
                    labelHeader.append(phrase.text)
                }
            }
        }

        // Title and unit: the nearest free-standing lines above.
        let rowHeight = lines[firstRow].height
        var titleAbove: (text: String, isHeading: Bool)?
        var unitText: String?
        var top = headerIndices.first ?? firstRow
        cursor = top - 1
        while cursor >= 0, !used.contains(cursor) {
            let line = lines[cursor]
            let distance = lines[top].box.y0 - line.box.y0
            guard distance <= settings.titleDistance * line.height, line.phrases.count <= 2,
                  !isRow(line) else { break }
            // A caption may wrap: take the lines of its paragraph above it.
            var paragraph = [cursor]
            while let first = paragraph.first, first > 0, !used.contains(first - 1), paragraph.count <= 3 {
                let above = lines[first - 1]
                guard lines[first].box.y0 - above.box.y0 <= 1.6 * above.height,
                      abs(above.box.x0 - lines[first].box.x0) <= 2 * above.height,
                      above.phrases.count == 1, !isRow(above) else { break }
                paragraph.insert(first - 1, at: 0)
            }
            // A paragraph of prose above a table is not its title.
            guard paragraph.count <= 3 else { break }
            let text = paragraph.map { lines[$0].phrases.map(\.text).joined(separator: " ") }.joined(separator: " ")
            let words = paragraph.flatMap { lines[$0].line.words }
            let isHeading = line.height > 1.2 * rowHeight
            let prominent = words.allSatisfy(\.isBold) || isHeading
            let caption = text.hasPrefix("Tabell") || text.hasPrefix("Diagram") || text.hasPrefix("Figur")
            guard prominent || caption || words.count <= 8,
                  !(text.hasSuffix(".") && words.count > 5 && !prominent) else { break }
            if isUnitLine(line), unitText == nil {
                unitText = text
            } else {
                titleAbove = (text, isHeading)
                if let unit = line.phrases.dropFirst().first, MoneyUnit.named(in: unit.text) != nil {
                    unitText = unit.text
                    titleAbove = (line.phrases[0].text, isHeading)
                }
                top = paragraph[0]
                break
            }
            top = cursor
            cursor -= 1
        }
        // The label column's header: a title, a unit, or both
        // ("Resultaträkning" over "Belopp i kr").
        let label = labelHeader.joined(separator: " ")
        let labelUnit = labelHeader.last { MoneyUnit.named(in: $0) != nil && $0.split(separator: " ").count <= 5 }
        let labelTitle = labelHeader.filter { $0 != labelUnit }.joined(separator: " ")
        if unitText == nil, let labelUnit { unitText = labelUnit }
        let title: String?
        if labelUnit != nil, !labelTitle.isEmpty {
            title = labelTitle
        } else if let titleAbove {
            title = titleAbove.text
        } else {
            title = labelTitle.isEmpty ? nil : labelTitle
        }
        if unitText == nil, let title, MoneyUnit.named(in: title) != nil { unitText = title }
        let section = heading(above: top, in: lines, rowHeight: rowHeight) ?? (titleAbove?.isHeading == true ? titleAbove?.text : nil)

        // Rows: labels (wrapped ones joined), cells placed by position.
        var rows: [Table.Row] = []
        var pendingLabel: [Phrase] = []
        for index in rowIndices {
            let line = lines[index]
            let isFigureRow = isRow(line)
            let firstColumn = columns.first?.lowerBound ?? .infinity
            let labelPhrases = isFigureRow
                ? [line.phrases[0]] + line.phrases.dropFirst().prefix { $0.box.x1 < firstColumn && !$0.isFigureLike }
                : line.phrases
            let cellPhrases = line.phrases.dropFirst(labelPhrases.count)
            if !isFigureRow {
                // A lower-case line right under a row continues its label.
                if let last = rows.last, let first = line.phrases.first?.text.first, first.isLowercase,
                   !last.isSection, pendingLabel.isEmpty {
                    rows[rows.count - 1].label += " " + line.phrases.map(\.text).joined(separator: " ")
                    rows[rows.count - 1].labelBox = rows[rows.count - 1].labelBox.map { $0.union(line.box) }
                    continue
                }
                if !pendingLabel.isEmpty, continuesLabel(pendingLabel, with: line.phrases) {
                    pendingLabel += line.phrases
                    continue
                }
                flushSection(&pendingLabel, into: &rows, page: page.number, columns: columns.count)
                pendingLabel = line.phrases
                continue
            }
            var labelWords = labelPhrases
            if !pendingLabel.isEmpty {
                if let first = labelPhrases.first, continuesLabel(pendingLabel, with: [first]) {
                    labelWords = pendingLabel + labelPhrases
                } else {
                    flushSection(&pendingLabel, into: &rows, page: page.number, columns: columns.count)
                }
                pendingLabel = []
            }
            var cells = [Table.Cell?](repeating: nil, count: columns.count)
            for phrase in cellPhrases {
                guard let c = column(for: phrase.box, in: columns, slack: line.height) else { continue }
                let confidence = phrase.words.compactMap(\.confidence).min()
                if let existing = cells[c] {
                    cells[c] = Table.Cell(text: existing.text + " " + phrase.text, bbox: existing.bbox.union(phrase.box), page: page.number,
                                          confidence: [existing.confidence, confidence].compactMap { $0 }.min())
                } else {
                    cells[c] = Table.Cell(text: phrase.text, bbox: phrase.box, page: page.number, confidence: confidence)
                }
            }
            rows.append(makeRow(labelWords, cells: cells, page: page.number))
        }
        flushSection(&pendingLabel, into: &rows, page: page.number, columns: columns.count)

        // Drop columns no row fills and no header names (debris).
        let keep = columns.indices.filter { c in rows.contains { $0.cells[c] != nil } }
        columns = keep.map { columns[$0] }
        headerTexts = keep.map { headerTexts[$0] }
        rows = rows.map { row in
            var row = row
            row.cells = keep.map { row.cells[$0] }
            return row
        }
        guard !columns.isEmpty, rows.filter({ !$0.isSection }).count >= 1 else { return nil }

        let tableColumns = zip(columns, headerTexts).map { range, texts in
            Table.Column(header: texts.joined(separator: " "), x0: range.lowerBound, x1: range.upperBound)
        }
        let allLines = headerIndices + rowIndices
        let box = allLines.map { lines[$0].box }.reduce(lines[firstRow].box) { $0.union($1) }
        let unit = unitText.flatMap(MoneyUnit.named(in:))
        let table = Table(
            id: "p\(page.number)-t\(order)", title: title, section: section, page: page.number, pages: [page.number],
            unit: unit, unitText: unitText, labelHeader: label.isEmpty ? nil : label,
            columns: tableColumns, rows: rows, bbox: box, mapped: nil)
        return Built(table: table, lines: allLines + Array(top..<(headerIndices.first ?? firstRow)))
    }

    /// A short line naming a money unit: `Belopp i kr`, `Belopp tkr`, `(mnkr)`.
    func isUnitLine(_ line: PhraseLine) -> Bool {
        let text = line.phrases.map(\.text).joined(separator: " ")
        return line.phrases.count == 1 && MoneyUnit.named(in: text) != nil && text.split(separator: " ").count <= 5
            && !text.lowercased().hasPrefix("not ")
    }

    /// The nearest document heading above line `index`: larger than the
    /// table's type, or bold and alone on its line.
    func heading(above index: Int, in lines: [PhraseLine], rowHeight: Double) -> String? {
        var cursor = index - 1
        while cursor >= 0 {
            let line = lines[cursor]
            if line.height > 1.2 * rowHeight, line.line.words.allSatisfy(\.isBold), line.phrases.count <= 2 {
                return line.phrases.map(\.text).joined(separator: " ")
            }
            cursor -= 1
        }
        return nil
    }

    /// A header line: no figures but years, in the table's type size, and
    /// every cell either over a column or the label column's header.
    func isHeader(_ line: PhraseLine, columns: [ClosedRange<Double>], labelX: Double, rowHeight: Double) -> Bool {
        guard !line.phrases.isEmpty, line.height <= 1.3 * rowHeight else { return false }
        guard !line.phrases.contains(where: { $0.isNumber && !$0.isYear }) else { return false }
        var overColumns = 0
        let firstColumn = columns.first?.lowerBound ?? .infinity
        for phrase in headerPhrases(line) {
            // A line from the label column reaching over the figures is a
            // title or a sentence, not a header.
            if abs(phrase.box.x0 - labelX) <= settings.labelIndent * line.height, phrase.box.x1 > firstColumn {
                return false
            }
            if headerColumn(for: phrase.box, in: columns, height: line.height, labelX: labelX) != nil {
                overColumns += 1
            } else if phrase.box.x1 >= (columns.first?.lowerBound ?? .infinity) {
                return false
            }
        }
        return overColumns > 0 && line.phrases.allSatisfy { $0.words.count <= 6 }
    }

    /// Header lines cut finer than rows: right-aligned header cells of
    /// neighbouring columns can stand closer than a row's cells do.
    func headerPhrases(_ line: PhraseLine) -> [Phrase] {
        line.line.phrases(gap: 0.45)
    }

    /// The column a header cell heads: the one whose figures share its right
    /// edge (numbers are right-aligned) or centre (a `Not` column), else the
    /// one it overlaps most. Nil for the label column's header.
    func headerColumn(for box: Rect, in columns: [ClosedRange<Double>], height: Double, labelX: Double) -> Int? {
        if abs(box.x0 - labelX) <= settings.labelIndent * height,
           box.x1 < (columns.first?.lowerBound ?? .infinity) + height { return nil }
        let tolerance = 0.6 * height
        if let i = columns.indices.min(by: { abs(columns[$0].upperBound - box.x1) < abs(columns[$1].upperBound - box.x1) }),
           abs(columns[i].upperBound - box.x1) <= tolerance { return i }
        let mid = box.midX
        if let i = columns.indices.min(by: { abs(center(columns[$0]) - mid) < abs(center(columns[$1]) - mid) }),
           abs(center(columns[i]) - mid) <= tolerance { return i }
        if box.x1 < (columns.first?.lowerBound ?? .infinity) { return nil }
        return column(for: box, in: columns, slack: 0.5 * height)
    }

    private func center(_ range: ClosedRange<Double>) -> Double { (range.lowerBound + range.upperBound) / 2 }

    /// The column a box falls in: the one it overlaps most, or the nearest
    /// within `slack`.
    func column(for box: Rect, in columns: [ClosedRange<Double>], slack: Double) -> Int? {
        var best: (index: Int, overlap: Double)?
        for (i, range) in columns.enumerated() {
            let overlap = min(box.x1, range.upperBound) - max(box.x0, range.lowerBound)
            if overlap > -slack, overlap > (best?.overlap ?? -.infinity) { best = (i, overlap) }
        }
        return best?.index
    }

    /// Whether a label-only line continues the label above it rather than
    /// starting a section: it starts in lower case, or the line above ends
    /// mid-phrase (`&`, `och`, `,`, `-`).
    func continuesLabel(_ above: [Phrase], with next: [Phrase]) -> Bool {
        guard let first = next.first?.text.first else { return false }
        if first.isLowercase { return true }
        let end = above.last?.text ?? ""
        return end.hasSuffix("&") || end.hasSuffix(",") || end.hasSuffix("-") || end.hasSuffix(" och")
            || end.hasSuffix(" samt") || end.hasSuffix(" av") || end.hasSuffix(" för")
    }

    func flushSection(_ pending: inout [Phrase], into rows: inout [Table.Row], page: Int, columns: Int) {
        guard !pending.isEmpty else { return }
        rows.append(makeRow(pending, cells: Array(repeating: nil, count: columns), page: page))
        pending = []
    }

    func makeRow(_ label: [Phrase], cells: [Table.Cell?], page: Int) -> Table.Row {
        let text = label.map(\.text).joined(separator: " ")
        let box = label.first.map { first in label.dropFirst().reduce(first.box) { $0.union($1.box) } }
        let lower = text.lowercased()
        let isTotal = ["summa", "totalt", "total", "sum"].contains { lower == $0 || lower.hasPrefix($0 + " ") || lower.hasPrefix($0 + ":") }
        let bold = label.flatMap(\.words)
        return Table.Row(label: text, labelBox: box, cells: cells, page: page, isTotal: isTotal,
                         isBold: !bold.isEmpty && bold.filter(\.isBold).count * 2 > bold.count)
    }

    // MARK: - Continued tables

    /// Joins a headless, untitled table to the one just above it on the same
    /// page when their figures stand in the same columns and little space
    /// parts them: one table cut by a gap a little wider than a row (a row
    /// pitch OCR measured short).
    func rejoin(_ previous: Table, _ next: Table) -> Table? {
        guard next.title == nil, next.labelHeader == nil, next.columns.allSatisfy({ $0.header.isEmpty }),
              next.columns.count == previous.columns.count,
              zip(previous.columns, next.columns).allSatisfy({ abs($0.x1 - $1.x1) <= 6 }),
              let lastBox = previous.rows.last?.labelBox, let firstBox = next.rows.first?.labelBox else { return nil }
        let pitch = previous.rows.count > 1
            ? (lastBox.y0 - (previous.rows.first?.labelBox?.y0 ?? lastBox.y0)) / Double(previous.rows.count - 1) : lastBox.height * 1.5
        guard firstBox.y0 - lastBox.y0 <= 3 * max(pitch, lastBox.height) else { return nil }
        var joined = previous
        joined.rows += next.rows
        joined.bbox = previous.bbox.union(next.bbox)
        return joined
    }

    /// Joins `next` onto `previous` when it continues it on the following page:
    /// untitled, at the top, the same columns, and `previous` reaching the foot
    /// of its page.
    func join(_ previous: Table, _ next: Table, pages: [PageText]) -> Table? {
        guard next.page == (previous.pages.last ?? previous.page) + 1, next.title == nil || next.title == previous.title,
              next.columns.count == previous.columns.count,
              let previousPage = pages.first(where: { $0.number == previous.pages.last }),
              let nextPage = pages.first(where: { $0.number == next.page })
        else { return nil }
        guard zip(previous.columns, next.columns).allSatisfy({ abs($0.x1 - $1.x1) <= 6 }) else { return nil }
        // The previous table ends in the lower part of its page, and nothing
        // but the running header stands above the next one.
        let lastRowBottom = previous.rows.last?.labelBox?.y1 ?? previous.bbox.y1
        guard lastRowBottom > 0.6 * previousPage.height, next.bbox.y0 < 0.3 * nextPage.height else { return nil }
        var joined = previous
        joined.pages.append(next.page)
        joined.rows += next.rows
        for (i, column) in next.columns.enumerated() where joined.columns[i].header.isEmpty {
            joined.columns[i] = column
        }
        return joined
    }
}
