import AnnalsCore
import ArgumentParser
import Foundation

extension Annals {
    /// A batch's worker: extracts document after document in one process.
    ///
    /// Starting a process per document cost more than extracting a short one
    /// (dynamic linking of poppler, the Swift runtime's first type lookups,
    /// reading the mappings: some 27 ms of CPU for a 40-page report that
    /// takes 80 ms to extract), so a batch keeps its workers and sends them
    /// documents one at a time. A crash or a hang still costs one document:
    /// the batch records it and starts a new worker for the next.
    ///
    /// Protocol: first, once its mappings are read, the worker says
    /// `{"ready": true, "mergedFrom": {…}}` on standard output (or exits 1,
    /// the reason on standard error). Then one JSON object per line on
    /// standard input (`WorkerRequest`: the PDF, its sha256 as the batch
    /// read it, the output's path, and the names to record); one line back
    /// per request, `{"pages": N}` once the output is renamed into place and
    /// the report stored in the database, or `{"failure": REASON}`. The
    /// worker ends at the end of its input.
    ///
    /// Workers store their own reports (each in one transaction): the batch
    /// would otherwise decode every report again to store it, on the cores
    /// the workers need.
    struct Worker: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extract the documents a batch sends on standard input (used by `annals batch`).",
            shouldDisplay: false
        )

        @OptionGroup var mappingOptions: MappingOptions

        @Option(help: "Pages without a usable text layer: auto (OCR them), always, never.")
        var ocr: OCRMode = .auto

        @Option(help: ArgumentHelp("The batch's database, to store each report in.", valueName: "annals.sqlite"))
        var database: String?

        func run() throws {
            try Self.serve(Options(mappings: mappingOptions.mappings, ocr: ocr, database: database))
        }

        /// What a worker is told on its command line.
        struct Options {
            var mappings: String?
            var ocr: OCRMode
            var database: String?

            /// The options as the batch writes them (`--mappings DIR`,
            /// `--ocr MODE`, `--database FILE`, each at most once), read
            /// without ArgumentParser: its first look at every command costs
            /// some 4 ms of each worker's start, which every batch waits for.
            /// Nil for anything else, which then goes the usual way.
            init?(batchArguments arguments: ArraySlice<String>) {
                guard arguments.first == "worker" else { return nil }
                var mappings: String?, ocr: OCRMode?, database: String?
                var rest = arguments.dropFirst()
                while let name = rest.popFirst() {
                    guard let value = rest.popFirst(), !value.hasPrefix("-") else { return nil }
                    switch name {
                    case "--mappings" where mappings == nil: mappings = value
                    case "--ocr" where ocr == nil:
                        guard let mode = OCRMode(rawValue: value) else { return nil }
                        ocr = mode
                    case "--database" where database == nil: database = value
                    default: return nil
                    }
                }
                self.init(mappings: mappings, ocr: ocr ?? .auto, database: database)
            }

            init(mappings: String?, ocr: OCRMode, database: String?) {
                self.mappings = mappings
                self.ocr = ocr
                self.database = database
            }
        }

        static func serve(_ options: Options) throws {
            // Replies go to the descriptor standard output had; standard output
            // itself goes to /dev/null, so nothing a library prints can be
            // taken for a reply.
            let replies = FileHandle(fileDescriptor: dup(STDOUT_FILENO), closeOnDealloc: true)
            let null = open("/dev/null", O_WRONLY)
            if null >= 0 { dup2(null, STDOUT_FILENO); close(null) }

            let mappings = try MappingOptions.load(given: options.mappings)
            // Ready: the batch learns the mappings are sound, and what it needs of them.
            var ready = try JSONEncoder().encode(WorkerReply(ready: true, mergedFrom: mergedFromByMapping(mappings)))
            ready.append(UInt8(ascii: "\n"))
            try replies.write(contentsOf: ready)
            var extraction = ReportExtraction(mappings: mappings)
            // One OCR thread per worker: the batch parallelises across documents.
            extraction.ocr = OCRReader(mode: OCRReader.Mode(rawValue: options.ocr.rawValue)!, jobs: 1)
            // Opened with the first document: the batch starts its workers
            // before it has created the database.
            var archive: Result<Archive, any Error>?

            while let line = readLine(strippingNewline: true) {
                let reply: WorkerReply
                if let request = try? JSONDecoder().decode(WorkerRequest.self, from: Data(line.utf8)) {
                    if archive == nil, let database = options.database {
                        archive = Result { try Archive(url: URL(fileURLWithPath: database), checkpoints: false) }
                    }
                    reply = Self.extract(request, with: extraction, storingIn: archive)
                } else {
                    reply = WorkerReply(failure: "the batch sent a request the worker cannot read")
                }
                var data = try JSONEncoder().encode(reply)
                data.append(UInt8(ascii: "\n"))
                try replies.write(contentsOf: data)
            }
            // The database closed first: with the batch's connections open
            // that costs nothing, and a worker left last (its batch gone)
            // copies the log into the database and removes it, as the last
            // connection must. Then every reply has gone out with write(2) and
            // every report is committed: the libraries' exit handlers would
            // only take a few ms of a core the batch's last steps need.
            archive = nil
            _exit(0)
        }

        static func extract(_ request: WorkerRequest, with extraction: ReportExtraction,
                            storingIn archive: Result<Archive, any Error>?) -> WorkerReply {
            let file = URL(fileURLWithPath: request.file)
            let report: Report
            do {
                report = try extraction.run(file: file)
            } catch {
                return WorkerReply(failure: WorkerProcess.withoutFileName("\(error)", file: file))
            }
            if let sha256 = request.sha256, sha256 != report.source.sha256 {
                return WorkerReply(failure: "the file changed while the batch ran (its sha256 is no longer the one the batch read); run the batch again")
            }
            do {
                var data = try report.jsonData()
                data.append(UInt8(ascii: "\n"))
                try writeAtomically(data, to: URL(fileURLWithPath: request.output), syncing: false)
            } catch {
                return WorkerReply(failure: WorkerProcess.withoutFileName("\(error)", file: file))
            }
            if let archive {
                do {
                    try archive.get().store(report, file: request.display ?? request.file,
                                      output: request.outputName ?? URL(fileURLWithPath: request.output).lastPathComponent)
                } catch {
                    return WorkerReply(failure: "the database refused the report: \(error)")
                }
            }
            return WorkerReply(pages: report.source.pages)
        }
    }
}

/// A document sent to a worker.
struct WorkerRequest: Codable {
    /// The PDF.
    var file: String
    /// Where its JSON goes.
    var output: String
    /// The sha256 the batch read, which the extraction must find again.
    var sha256: String?
    /// The path and output name the database records.
    var display: String?
    var outputName: String?
}

/// A worker's line: first that it is ready (its mappings read, and which
/// federations each continues: `merged_from` by mapping id); then per
/// document, that the output was written (with the page count), or why not.
struct WorkerReply: Codable {
    var pages: Int?
    var failure: String?
    var ready: Bool?
    var mergedFrom: [String: [String]]?

    init(pages: Int? = nil, failure: String? = nil, ready: Bool? = nil, mergedFrom: [String: [String]]? = nil) {
        self.pages = pages
        self.failure = failure
        self.ready = ready
        self.mergedFrom = mergedFrom
    }
}
