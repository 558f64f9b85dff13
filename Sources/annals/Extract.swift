import AnnalsCore
import ArgumentParser
import Foundation

enum OCRMode: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

/// Options shared by the commands that read mappings.
struct MappingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The folder of mapping files.", valueName: "dir"))
    var mappings: String?

    /// `--mappings`, else `./mappings`, else the `mappings/` of the checkout
    /// this executable was built in.
    func directory() throws -> URL { try Self.directory(given: mappings) }

    static func directory(given mappings: String?) throws -> URL {
        if let mappings { return URL(fileURLWithPath: mappings) }
        let local = URL(fileURLWithPath: "mappings")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = url.appendingPathComponent("mappings")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("finsam-generic.yaml").path) {
                return candidate
            }
            url.deleteLastPathComponent()
        }
        throw ValidationError("no mappings/ folder here; give the folder of mapping files with --mappings DIR.")
    }

    func load() throws -> [Mapping] { try Self.load(given: mappings) }

    static func load(given mappings: String?) throws -> [Mapping] {
        do {
            return try MappingLoader.load(directory: directory(given: mappings))
        } catch let error as MappingError {
            throw fail(error)
        }
    }
}

extension Annals {
    struct Extract: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extract a report's facts as normalised JSON (annals.report/1).",
            discussion: """
                Picks the mapping that fits the report's layout (or --layout), reads its \
                tables and prose into facts with provenance, consolidates one value per key, \
                and lists tables no rule claimed. Exit 0 even with warnings.
                  annals extract report.pdf --pretty
                  annals extract report.pdf -o report.json --layout finsam-generic
                """
        )

        @Argument(help: "The PDF to extract.", completion: .file(extensions: ["pdf"]))
        var file: String

        @Option(name: .shortAndLong, help: ArgumentHelp("Write the JSON here instead of to standard output.", valueName: "out.json"))
        var output: String?

        @Option(help: ArgumentHelp("Use this mapping instead of choosing one.", valueName: "id"))
        var layout: String?

        @OptionGroup var mappingOptions: MappingOptions

        @Option(help: "Pages without a usable text layer: auto (OCR them), always (OCR every page), never.")
        var ocr: OCRMode = .auto

        @Option(help: "Pages OCR'd at once (one tesseract thread each). Default: the number of cores.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Resolution pages are rendered at for OCR.")
        var dpi: Double = 300

        @Flag(help: "Indent the JSON for reading.")
        var pretty = false

        enum FailOn: String, ExpressibleByArgument, CaseIterable { case error, warning }

        @Option(name: .customLong("fail-on"), help: ArgumentHelp(
            "Exit 3 when there are warnings of this severity or worse (error, or warning), for pipelines.",
            valueName: "severity"))
        var failOn: FailOn?

        func validate() throws {
            if jobs < 1 { throw ValidationError("--jobs must be 1 or more.") }
            if !(100...600).contains(dpi) { throw ValidationError("--dpi for OCR must be between 100 and 600.") }
        }

        func run() throws {
            let mappings = try mappingOptions.load()
            let report: Report
            do {
                var extraction = ReportExtraction(mappings: mappings, layout: layout)
                extraction.ocr = OCRReader(mode: OCRReader.Mode(rawValue: ocr.rawValue)!, dpi: dpi, jobs: jobs)
                report = try extraction.run(file: URL(fileURLWithPath: file))
            } catch {
                throw fail(error)
            }
            var data = try report.jsonData(pretty: pretty)
            data.append(Data("\n".utf8))
            if let output {
                do {
                    try writeAtomically(data, to: URL(fileURLWithPath: output))
                } catch {
                    throw fail(error)
                }
            } else {
                try writeToStandardOutput(data)
            }
            let counts = Dictionary(grouping: report.warnings, by: \.severity).mapValues(\.count)
            writeToStandardError(("\(file): layout \(report.layout.id) (\(report.layout.score)), \(report.facts.count) facts, "
                + "\(report.values.count) values, \(report.tables.count) tables, warnings: "
                + "\(counts[.error] ?? 0) errors, \(counts[.warning] ?? 0) warnings, \(counts[.info] ?? 0) notes\n"))
            switch failOn {
            case .error? where (counts[.error] ?? 0) > 0: throw ExitCode(3)
            case .warning? where (counts[.error] ?? 0) + (counts[.warning] ?? 0) > 0: throw ExitCode(3)
            default: break
            }
        }
    }
}

/// A file annals could not write: where and why.
struct WriteError: Error, CustomStringConvertible {
    var description: String
}

/// Writes under a temporary name in the same folder and renames, so a reader
/// never sees half a file and a failure leaves what was there.
///
/// - Parameter syncing: wait for the bytes to reach the disk before the
///   rename, so that a power cut leaves the old file or the new one, never
///   an empty one. A batch's workers do not: the batch syncs their outputs
///   together before it copies the database's log (`LogCopier`), one wait
///   instead of one per document, which two workers otherwise queue on.
func writeAtomically(_ data: Data, to url: URL, syncing: Bool = true) throws(WriteError) {
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    func failed(_ what: String) -> WriteError {
        let reason = String(cString: strerror(errno))
        unlink(temporary.path)
        return WriteError(description: "\(url.path): error: cannot write the output: \(what): \(reason)")
    }
    let file = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
    guard file >= 0 else { throw failed("cannot create a file in \(temporary.deletingLastPathComponent().path)") }
    guard writeAll(data, to: file), !syncing || fsync(file) == 0 else {
        let error = failed("writing")
        close(file)
        throw error
    }
    guard close(file) == 0 else { throw failed("writing") }
    guard rename(temporary.path, url.path) == 0 else { throw failed("renaming into place") }
}
