import AnnalsCore
import ArgumentParser
import Foundation

extension Annals {
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A static HTML site to review flagged figures on the pages they came from.",
            discussion: """
                From the JSON files `annals extract` wrote, or from a batch's database, annals \
                writes DIR/index.html (every report, its warning counts, filters by organisation \
                and code, a chart per organisation) and a page per report: its warnings with the \
                places involved cut out of the page and highlighted, side by side when they \
                disagree, and its statements with each value linked to the page it was printed on. \
                Opens from the file system; nothing is fetched from a network.
                The source PDFs are needed for the page images: annals looks where the report \
                says it came from, beside the JSON or database, and in each --pdfs folder, and \
                checks the sha256. DIR is replaced whole; a folder holding other files is refused.
                  annals review out/*.json -o review
                  annals review --db out/annals.sqlite --pdfs archive/ -o review
                """
        )

        @Argument(help: ArgumentHelp("JSON files written by `annals extract`.", valueName: "report.json"))
        var reports: [String] = []

        @Option(help: ArgumentHelp("A database written by `annals batch` (instead of JSON files).", valueName: "annals.sqlite"))
        var db: String?

        @Option(name: [.customShort("o"), .customLong("out")], help: ArgumentHelp("The folder to write the site to.", valueName: "dir"))
        var out: String

        @Option(help: ArgumentHelp("A folder to look for the source PDFs in (searched recursively; repeatable).", valueName: "dir"))
        var pdfs: [String] = []

        @Option(help: "Resolution of the page images.")
        var dpi: Double = 144

        @Option(help: "Reports whose pages are rendered at once. Default: the number of cores.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @OptionGroup var mappingOptions: MappingOptions

        func validate() throws {
            if reports.isEmpty == (db == nil) {
                throw ValidationError("give either report JSON files or --db annals.sqlite (one of the two).")
            }
            guard (50...400).contains(dpi) else { throw ValidationError("--dpi must be between 50 and 400.") }
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
        }

        func run() throws {
            var finder = PDFFinder(folders: pdfs.map { URL(fileURLWithPath: $0) })
            var loaded: [(report: Report, near: URL, recorded: String?)] = []
            var failures: [(file: String, reason: String)] = []
            if let db {
                let url = URL(fileURLWithPath: db)
                guard FileManager.default.fileExists(atPath: db) else {
                    throw fail("\(db): error: no such database; run `annals batch … --out DIR` first and give DIR/annals.sqlite.")
                }
                let folder = url.deletingLastPathComponent()
                let entries: [Archive.Entry]
                do { entries = try Archive(url: url).entries() } catch {
                    throw fail("\(db): error: cannot read the database: \(error)")
                }
                guard !entries.isEmpty else { throw fail("\(db): error: the database holds no extracted report.") }
                failures = ((try? Archive(url: url).rows("SELECT file, reason FROM reports WHERE status = 'failed' ORDER BY file")) ?? [])
                    .map { ($0["file"] ?? "", $0["reason"] ?? "") }
                for entry in entries {
                    let json = folder.appendingPathComponent(entry.output)
                    loaded.append((try load(json), folder, entry.file))
                }
            } else {
                var seen = Set<String>()
                for path in reports {
                    let url = URL(fileURLWithPath: path)
                    let report = try load(url)
                    guard seen.insert(report.source.sha256).inserted else {
                        writeToStandardError("\(path): note: the same PDF as an earlier file; shown once\n")
                        continue
                    }
                    loaded.append((report, url.deletingLastPathComponent(), nil))
                }
            }

            // The cross-report checks and the series come from an archive: the
            // batch's own, or one made here from the JSON files.
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("annals-review-\(getpid())")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let archive: Archive
            let check: PriorPeriodCheck
            let across: [String: [ReportWarning]]
            let series: Series
            do {
                if let db {
                    archive = try Archive(url: URL(fileURLWithPath: db))
                } else {
                    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                    archive = try Archive(url: scratch.appendingPathComponent("review.sqlite"))
                    for (report, _, _) in loaded { try archive.store(report, output: report.source.file) }
                }
                check = try seriesCheck(archive, mappings: mappings())
                // A database from before cross-report warnings named the other
                // report's places gets them recomputed (the same warnings, placed).
                let unplaced = try archive.rows(
                    "SELECT COUNT(*) AS n FROM warnings WHERE code = 'prior_period_mismatch' AND related_report IS NULL")
                if db == nil || unplaced.first?["n"] != "0" { try archive.checkAcrossReports(check) }
                across = try archive.acrossReportWarnings()
                series = try archive.series(check)
            } catch let error as ExitCode {
                throw error
            } catch {
                throw fail("\(db ?? "review"): error: cannot compare the reports: \(error)")
            }

            var documents: [ReviewSite.Document] = []
            for (report, near, recorded) in loaded {
                let found = finder.find(report, near: near, recorded: recorded)
                documents.append(ReviewSite.Document(
                    report: report, pdf: found.url, missingPDF: found.problem,
                    acrossReports: across[report.source.sha256] ?? [],
                    series: report.organisation.name.map { check.seriesName(of: $0) }))
            }
            let summary: ReviewSite.Summary
            do {
                summary = try ReviewSite(documents: documents, series: series, failures: failures, dpi: dpi, jobs: jobs).write(to: URL(fileURLWithPath: out))
            } catch {
                throw fail(error)
            }
            for (file, reason) in summary.withoutImages {
                writeToStandardError("\(file): warning: no page images: \(reason)\n")
            }
            let index = URL(fileURLWithPath: out).appendingPathComponent("index.html").path
            print("review: \(summary.documents) report\(summary.documents == 1 ? "" : "s"), \(summary.warnings) warnings, "
                  + "\(summary.crops) crops, \(summary.pagesRendered) page images: \(index)")
        }

        func load(_ url: URL) throws -> Report {
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw fail("\(url.relativePath): error: cannot read: \(error.localizedDescription)")
            }
            do {
                let report = try JSONDecoder().decode(Report.self, from: data)
                guard report.schema == Report.schema else {
                    throw fail("\(url.relativePath): error: schema \(report.schema), not \(Report.schema); extract it again with this annals.")
                }
                return report
            } catch let error as ExitCode {
                throw error
            } catch {
                throw fail("\(url.relativePath): error: not an annals report (\(Self.reason(error))); give the JSON files `annals extract` or `annals batch` wrote.")
            }
        }

        static func reason(_ error: any Error) -> String {
            switch error as? DecodingError {
            case .dataCorrupted(let c)?: "not JSON: \(c.debugDescription)"
            case .keyNotFound(let key, let c)?: "no \"\((c.codingPath + [key]).map(\.stringValue).joined(separator: "."))\""
            case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?:
                "\"\(c.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type"
            default: "\(error)"
            }
        }

        /// The mappings, for the merged federations; without them the
        /// series simply joins no organisations.
        func mappings() -> [Mapping] {
            do { return try MappingLoader.load(directory: mappingOptions.directory()) } catch {
                writeToStandardError("note: no mappings read (\(error)); merged federations are not joined\n")
                return []
            }
        }
    }
}

/// Finds a report's source PDF and proves it is the one: by the path the
/// report records, beside its JSON or database, then in the folders given,
/// always checking the sha256.
struct PDFFinder {
    var folders: [URL]
    private var byName: [String: [URL]]?
    private var bySHA: [String: URL]?

    init(folders: [URL]) { self.folders = folders }

    mutating func find(_ report: Report, near: URL, recorded: String?) -> (url: URL?, problem: String?) {
        let sha = report.source.sha256
        let paths = [report.source.file, recorded].compactMap { $0 }
        var candidates: [URL] = []
        for path in paths {
            candidates.append(URL(fileURLWithPath: path))
            candidates.append(near.appendingPathComponent(path))
            candidates.append(near.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent))
        }
        let names = Set(paths.map { URL(fileURLWithPath: $0).lastPathComponent })
        for name in names { candidates += index()[name] ?? [] }
        var wrongBytes: URL?
        for url in candidates where FileManager.default.fileExists(atPath: url.path) {
            if Self.sha256(url) == sha { return (url, nil) }
            wrongBytes = wrongBytes ?? url
        }
        if !folders.isEmpty {
            if bySHA == nil {
                bySHA = [:]
                for url in index().values.joined() { if let h = Self.sha256(url) { bySHA![h] = url } }
            }
            if let url = bySHA?[sha] { return (url, nil) }
        }
        if let wrongBytes {
            return (nil, "\(wrongBytes.relativePath) is not the PDF this report was extracted from (its sha256 differs); give the folder of the original with --pdfs DIR")
        }
        return (nil, "the source PDF \(report.source.file) was not found; give its folder with --pdfs DIR")
    }

    private mutating func index() -> [String: [URL]] {
        if let byName { return byName }
        var result: [String: [URL]] = [:]
        for folder in folders {
            let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
            while let url = walker?.nextObject() as? URL {
                if url.pathExtension.lowercased() == "pdf" { result[url.lastPathComponent, default: []].append(url) }
            }
        }
        byName = result
        return result
    }

    static func sha256(_ url: URL) -> String? {
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else { return nil }
        return SHA256.hex(of: data)
    }
}
