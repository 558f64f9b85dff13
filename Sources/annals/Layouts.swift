import AnnalsCore
import ArgumentParser
import Foundation

extension Annals {
    struct Layouts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the mappings, or explain how each scores against a report.",
            discussion: """
                  annals layouts
                  annals layouts --explain report.pdf
                """
        )

        @Option(help: ArgumentHelp("Score every mapping against this PDF and show the rules that held.", valueName: "file.pdf"))
        var explain: String?

        @OptionGroup var mappingOptions: MappingOptions

        func run() throws {
            let mappings = try mappingOptions.load()
            guard let explain else {
                for mapping in mappings.sorted(by: { $0.id < $1.id }) {
                    let parent = mapping.extends.map { " (extends \($0))" } ?? ""
                    print("\(mapping.id)\(parent): \(mapping.description.split(separator: "\n").first ?? "")")
                    print("    \(mapping.file): \(mapping.tables.count) table rules, \(mapping.prose.count) prose rules, \(mapping.match.count) match rules")
                }
                return
            }
            let pages: [PageText]
            do {
                pages = try Self.firstPages(of: explain)
            } catch {
                throw fail(error)
            }
            let identity = ReportIdentity.detect(in: pages)
            if let identity {
                print("\(explain): \(identity.kind.rawValue) report, \(identity.period) (from \u{201C}\(identity.evidence)\u{201D}, p. \(identity.page))")
            } else {
                print("\(explain): kind and period not found on the first pages")
            }
            let scores = LayoutSelector(mappings: mappings).scores(pages: pages, identity: identity)
            for (rank, score) in scores.enumerated() {
                print("\n\(rank == 0 ? "→" : " ") \(score.mapping.id)  score \(String(format: "%.2f", score.score))")
                for rule in score.matched { print("    ✓ \(describe(rule))  (line \(rule.line))") }
                for rule in score.missed { print("    ✗ \(describe(rule))  (line \(rule.line))") }
            }
        }

        private static func firstPages(of file: String) throws -> [PageText] {
            let document = try PDFDocument(contentsOf: URL(fileURLWithPath: file))
            var pages: [PageText] = []
            for n in 1...min(3, document.pageCount) { pages.append(try document.text(ofPage: n)) }
            return pages
        }

        private func describe(_ rule: Mapping.MatchRule) -> String {
            let weight = "weight \(rule.weight.formatted())"
            switch rule.test {
            case .text(let text): return "text \u{201C}\(text)\u{201D}, \(weight)"
            case .regex(let pattern): return "regex /\(pattern)/, \(weight)"
            case .years(let range): return "years \(range.lowerBound)-\(range.upperBound), \(weight)"
            }
        }
    }

    struct CheckMapping: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-mapping",
            abstract: "Check mapping files: YAML, keys, concepts, regular expressions, extends.",
            discussion: """
                Prints file:line:column: error: … for the first problem of each file and \
                exits 1; prints ok and exits 0 when every file is usable.
                  annals check-mapping mappings/pyramis-2019.yaml
                """
        )

        @Argument(help: "Mapping files to check.", completion: .file(extensions: ["yaml", "yml"]))
        var files: [String]

        @OptionGroup var mappingOptions: MappingOptions

        func run() throws {
            let others = (try? FileManager.default.contentsOfDirectory(atPath: mappingOptions.directory().path))?
                .filter { $0.hasSuffix(".yaml") }
                .map { (try? mappingOptions.directory())!.appendingPathComponent($0) } ?? []
            var failed = false
            for file in files {
                do {
                    let mapping = try MappingLoader.check(file: URL(fileURLWithPath: file), others: others)
                    print("\(file): ok: \(mapping.id), \(mapping.tables.count) table rules, \(mapping.tables.map(\.rows.count).reduce(0, +)) row rules, \(mapping.prose.count) prose rules")
                } catch {
                    writeToStandardError("\(error)\n")
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
