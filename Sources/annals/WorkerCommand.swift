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
    /// Protocol: one JSON object per line on standard input,
    /// `{"file": PATH, "output": PATH}`; one line back on standard output per
    /// request, `{"pages": N}` once the output is renamed into place or
    /// `{"failure": REASON}`. The worker ends at the end of its input.
    struct Worker: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extract the documents a batch sends on standard input (used by `annals batch`).",
            shouldDisplay: false
        )

        @OptionGroup var mappingOptions: MappingOptions

        @Option(help: "Pages without a usable text layer: auto (OCR them), always, never.")
        var ocr: OCRMode = .auto

        func run() throws {
            // Replies go to the descriptor standard output had; standard output
            // itself goes to /dev/null, so nothing a library prints can be
            // taken for a reply.
            let replies = FileHandle(fileDescriptor: dup(STDOUT_FILENO), closeOnDealloc: true)
            let null = open("/dev/null", O_WRONLY)
            if null >= 0 { dup2(null, STDOUT_FILENO); close(null) }

            let mappings = try mappingOptions.load()
            var extraction = ReportExtraction(mappings: mappings)
            // One OCR thread per worker: the batch parallelises across documents.
            extraction.ocr = OCRReader(mode: OCRReader.Mode(rawValue: ocr.rawValue)!, jobs: 1)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

            while let line = readLine(strippingNewline: true) {
                let reply: WorkerReply
                if let request = try? JSONDecoder().decode(WorkerRequest.self, from: Data(line.utf8)) {
                    reply = Self.extract(request, with: extraction, encoder: encoder)
                } else {
                    reply = WorkerReply(failure: "the batch sent a request the worker cannot read")
                }
                var data = try JSONEncoder().encode(reply)
                data.append(UInt8(ascii: "\n"))
                try replies.write(contentsOf: data)
            }
        }

        static func extract(_ request: WorkerRequest, with extraction: ReportExtraction, encoder: JSONEncoder) -> WorkerReply {
            let file = URL(fileURLWithPath: request.file)
            do {
                let report = try extraction.run(file: file)
                var data = try encoder.encode(report)
                data.append(UInt8(ascii: "\n"))
                try writeAtomically(data, to: URL(fileURLWithPath: request.output))
                return WorkerReply(pages: report.source.pages)
            } catch {
                return WorkerReply(failure: WorkerProcess.withoutFileName("\(error)", file: file))
            }
        }
    }
}

/// A document sent to a worker.
struct WorkerRequest: Codable {
    var file: String
    var output: String
}

/// A worker's answer: the output was written (with the document's page
/// count), or why not.
struct WorkerReply: Codable {
    var pages: Int?
    var failure: String?
}
