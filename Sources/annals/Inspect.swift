import AnnalsCore
import ArgumentParser
import Foundation

extension Annals {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the words of a PDF's pages with their boxes.",
            discussion: """
                Words come from poppler's character layout, in PDF points with the origin \
                at the top-left of the page as displayed. Lines are a first grouping by \
                vertical overlap.
                  annals inspect report.pdf --page 19
                  annals inspect report.pdf --page 19 --format json
                  annals inspect report.pdf --page 19 --png p19.png
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @Argument(help: "The PDF to inspect.", completion: .file(extensions: ["pdf"]))
        var file: String

        @Option(name: .shortAndLong, help: "Only this page (1-based). Default: every page.")
        var page: Int?

        @Option(help: "Output format: text or json.")
        var format: Format = .text

        @Flag(help: "In text format, list every word with its box under its line.")
        var words = false

        @Flag(help: "Show the tables found (title, unit, columns, rows) instead of words.")
        var tables = false

        @Flag(help: "Show the running text as paragraphs under their headings (what prose rules read).")
        var prose = false

        @Flag(help: "Read the pages with OCR (tesseract) instead of the text layer.")
        var ocr = false

        @Option(help: ArgumentHelp("Draw the word boxes (with --tables: the tables, labels and cells) over the rendered page into this PNG (needs --page).",
                                   valueName: "out.png"))
        var png: String?

        @Option(help: "Resolution of --png, in dots per inch.")
        var dpi: Double = 144

        func validate() throws {
            if let page, page < 1 { throw ValidationError("--page counts from 1; \(page) is not a page.") }
            if png != nil, page == nil { throw ValidationError("--png draws one page: give it with --page N.") }
            if tables, words { throw ValidationError("--words lists words; --tables lists tables: choose one.") }
            if !(18...1200).contains(dpi) { throw ValidationError("--dpi must be between 18 and 1200.") }
        }

        func run() throws {
            do {
                let document = try PDFDocument(contentsOf: URL(fileURLWithPath: file))
                let numbers = page.map { [$0] } ?? Array(1...document.pageCount)
                var pages = try numbers.map { n throws(PDFError) in try document.text(ofPage: n) }
                // Tables read one page either side, to join those that continue.
                let around = page.map { max(1, $0 - 1)...min(document.pageCount, $0 + 1) } ?? 1...document.pageCount
                var context = try around.map { n throws(PDFError) in try document.text(ofPage: n) }
                if ocr {
                    do {
                        let reader = OCRReader(mode: .always)
                        context = try reader.read(URL(fileURLWithPath: file), textPages: tables ? context : pages).pages
                        if !tables { pages = context }
                    } catch { throw fail(error) }
                }
                let found = TableDetector().tables(in: context).filter { table in page.map { table.pages.contains($0) } ?? true }
                if prose {
                    let all = try (1...document.pageCount).map { n throws(PDFError) in try document.text(ofPage: n) }
                    let paragraphs = ProseReader().paragraphs(in: all, excluding: TableDetector().tables(in: all))
                    for paragraph in paragraphs where page.map({ $0 == paragraph.page }) ?? true {
                        print("p\(paragraph.page) [\(paragraph.heading ?? "-")] \(paragraph.text)")
                    }
                } else if tables {
                    if png == nil { try printTables(found, pageCount: document.pageCount) }
                } else {
                    switch format {
                    case .text: print(renderText(pages, pageCount: document.pageCount), terminator: "")
                    case .json: try printJSON(pages, pageCount: document.pageCount)
                    }
                }
                if let png, let page = pages.first {
                    let url = URL(fileURLWithPath: png)
                    if tables {
                        var boxes: [(Rect, Colour)] = []
                        for table in found {
                            boxes.append((table.bbox, .table))
                            for row in table.rows where row.page == page.number {
                                if let label = row.labelBox { boxes.append((label, .line)) }
                                boxes += row.cells.compactMap { $0 }.filter { $0.page == page.number }.map { ($0.bbox, .word) }
                            }
                        }
                        try document.renderPNG(page: page.number, to: url, dpi: dpi, boxes: boxes)
                        writeToStandardError("wrote \(png): page \(page.number), \(found.count) tables (green), labels (blue), cells (red)\n")
                    } else {
                        let lines = page.lines()
                        let boxes = lines.map { ($0.box, Colour.line) } + page.words.map { ($0.box, Colour.word) }
                        try document.renderPNG(page: page.number, to: url, dpi: dpi, boxes: boxes)
                        writeToStandardError("wrote \(png): page \(page.number), \(page.words.count) word boxes (red), \(lines.count) line boxes (blue)\n")
                    }
                }
            } catch let error as PDFError {
                throw fail(error)
            }
        }

        private func renderText(_ pages: [PageText], pageCount: Int) -> String {
            var out = "\(file): \(pageCount) page\(pageCount == 1 ? "" : "s")\n"
            for page in pages {
                let lines = page.lines()
                out += "\n== page \(page.number) of \(pageCount): \(fmt(page.width))×\(fmt(page.height)) pt, rotation \(page.rotation), \(page.words.count) words, \(lines.count) lines\n"
                if page.words.isEmpty { out += "   (no text layer: an image-only or blank page)\n" }
                for line in lines {
                    out += "\(pad(fmt(line.box.y0), 6)) \(pad(fmt(line.box.x0), 6))–\(pad(fmt(line.box.x1), 6))  \(line.text)\n"
                    if words {
                        for w in line.words {
                            let font = [w.fontName, w.fontSize.map { "\(fmt($0)) pt" }].compactMap { $0 }.joined(separator: " ")
                            out += "         [\(fmt(w.box.x0)), \(fmt(w.box.y0)), \(fmt(w.box.x1)), \(fmt(w.box.y1))] \(w.text)  \(font)\n"
                        }
                    }
                }
            }
            return out
        }

        private func printTables(_ found: [Table], pageCount: Int) throws {
            switch format {
            case .text:
                print("\(file): \(found.count) table\(found.count == 1 ? "" : "s")")
                for table in found { print("\n" + TableText.render(table), terminator: "") }
            case .json:
                struct Out: Encodable { var file: String; var pages: Int; var tables: [Table] }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                try writeToStandardOutput(try encoder.encode(Out(file: file, pages: pageCount, tables: found)))
                try writeToStandardOutput(Data("\n".utf8))
            }
        }

        private func printJSON(_ pages: [PageText], pageCount: Int) throws {
            struct LineOut: Encodable { var text: String; var bbox: Rect; var words: [Int] }
            struct PageOut: Encodable {
                var number: Int; var width: Double; var height: Double; var rotation: Int
                var words: [Word]; var lines: [LineOut]
            }
            struct Out: Encodable { var file: String; var pages: Int; var page: [PageOut] }
            let out = Out(file: file, pages: pageCount, page: pages.map { page in
                var index: [Word: [Int]] = [:]
                for (i, w) in page.words.enumerated() { index[w, default: []].append(i) }
                let lines = page.lines().map { line in
                    LineOut(text: line.text, bbox: line.box,
                            words: line.words.map { index[$0]!.removeFirst() })
                }
                return PageOut(number: page.number, width: page.width, height: page.height,
                               rotation: page.rotation, words: page.words, lines: lines)
            })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try writeToStandardOutput(try encoder.encode(out))
            try writeToStandardOutput(Data("\n".utf8))
        }
    }
}

private func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
private func pad(_ s: String, _ n: Int) -> String { s.rightAligned(n) }
