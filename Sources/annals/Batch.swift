import AnnalsCore
import ArgumentParser
import Foundation

extension Annals {
    struct Batch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extract every PDF under the given paths into JSON, CSV and a SQLite archive.",
            discussion: """
                Documents are extracted by worker processes, one document at a time each, so \
                a crash or a hang inside poppler or tesseract costs that document only; it is \
                recorded with its reason and a new worker takes the next. Every output is written under a temporary name and renamed. The \
                database (annals.sqlite) is keyed by the PDF's sha256: a later batch into the \
                same folder updates it, and --resume skips documents already extracted.
                Outputs: <name>.json per document, values.csv, warnings.csv, annals.sqlite, summary.txt.
                Exit codes: 0 every document extracted, 1 some failed (listed), 64 bad usage.
                  annals batch archive/ --out data/
                  annals batch archive/ --out data/ --resume --jobs 4
                """
        )

        @Argument(help: "PDF files, or folders searched recursively for them.", completion: .file())
        var paths: [String]

        @Option(help: ArgumentHelp("The folder the outputs go to (created if missing).", valueName: "dir"))
        var out: String

        @OptionGroup var mappingOptions: MappingOptions

        @Option(help: "Documents extracted at once. Default: the number of cores.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: ArgumentHelp("Seconds one document may take before its worker is stopped.", valueName: "seconds"))
        var timeout: Double = 300

        @Option(help: "Pages without a usable text layer: auto (OCR them), always, never.")
        var ocr: OCRMode = .auto

        @Flag(help: "Skip documents whose sha256 already has an output in the folder.")
        var resume = false

        @Flag(help: "No progress on standard error, only failures.")
        var quiet = false

        func validate() throws {
            if jobs < 1 { throw ValidationError("--jobs must be 1 or more.") }
            if !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds.") }
            for path in paths where !FileManager.default.fileExists(atPath: path) {
                throw ValidationError("\(path): no such file or folder.")
            }
        }

        func run() throws {
            let phases = BatchPhases()
            defer { phases.mark("end") }
            let mappings = try mappingOptions.directory()
            // ANNALS_WORKER names a program to run instead of this annals as
            // each worker (called with `worker …`): a wrapper that runs workers
            // under nice, prlimit or a sandbox, and the tests' crashing worker.
            let program = ProcessInfo.processInfo.environment["ANNALS_WORKER"].map { URL(fileURLWithPath: $0) }
                ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            let settings = WorkerProcess.Settings(executable: program, mappings: mappings, ocr: ocr, timeout: timeout,
                                                  database: URL(fileURLWithPath: out).appendingPathComponent("annals.sqlite"))
            // A worker gone between two documents must not end the batch with SIGPIPE.
            signal(SIGPIPE, SIG_IGN)
            // Workers start first and load their mappings while the batch
            // reads and hashes the files (as many at once as there are cores;
            // more as documents need them). They open the database only once
            // sent a document. The batch reads no mappings itself: the first
            // worker to be ready says which federations each mapping continues,
            // or why the mappings cannot be read, and then nothing is written.
            let workers = (0..<jobs).map { _ in WorkerProcess(settings) }
            for worker in workers.prefix(ProcessInfo.processInfo.activeProcessorCount) { worker.start() }
            defer { for worker in workers { worker.stop() } }
            let folder = URL(fileURLWithPath: out)
            let opening = ArchiveOpening(folder: folder, name: out)

            let documents: [BatchPlan.Document], duplicates: [(String, String)]
            let mergedFrom: [String: [String]]
            do {
                (documents, duplicates) = try BatchPlan.documents(in: paths)
                switch workers[0].ready() {
                case .success(let ready): mergedFrom = ready.mergedFrom ?? [:]
                case .failure(let failure): throw fail(failure.description)
                }
            } catch {
                opening.takeBack()
                throw error
            }
            phases.mark("files hashed, first worker ready")

            let archive: Archive
            do {
                archive = try opening.archive()
            } catch {
                throw fail(error)
            }
            removeStaleTemporaries(in: folder)

            if !quiet {
                for (copy, original) in duplicates {
                    writeToStandardError("\(copy): skipped, the same bytes as \(original)\n")
                }
            }
            let done = resume ? try archive.outputs() : [:]
            var pending: [BatchPlan.Document] = []
            var skipped = 0
            for document in documents {
                if let output = done[document.sha256], BatchPlan.isWhole(folder.appendingPathComponent(output)) {
                    skipped += 1
                } else {
                    pending.append(document)
                }
            }
            // Largest first: the last documents to finish, while other
            // workers may already be idle, are then the shortest.
            pending.sort { $0.size > $1.size }
            let progress = BatchProgress(total: documents.count, skipped: skipped, quiet: quiet)
            progress.start()

            let state = BatchState(pending: pending)
            let log = LogCopier(database: settings.database)
            let early = EarlyEnd()
            phases.mark("first documents sent")
            DispatchQueue.concurrentPerform(iterations: min(jobs, max(pending.count, 1))) { slot in
                let worker = workers[slot]
                defer {
                    // It ends beside the batch's last steps; reaped at the end.
                    worker.closeInput()
                    phases.mark("worker \(slot + 1) done")
                    // The first slot out of documents while others still
                    // extract theirs starts, on the core it leaves idle, what
                    // the batch's end can reuse: the check's pairs and the
                    // CSV rows of every report that will not change.
                    if let inFlight = state.othersStillExtracting() {
                        // The log, copied now, leaves the end only the last
                        // documents' pages to copy.
                        log.copyRest()
                        early.start(archive, check: { try seriesCheck(archive, mergedFrom: mergedFrom) }, excluding: inFlight) {
                            phases.mark("end prepared while the last documents were extracted\($0 ? " (the end came first)" : "")")
                        }
                    }
                }
                while let document = state.take() {
                    defer { state.done(document) }
                    let output = folder.appendingPathComponent(document.outputName)
                    // The worker stores the report; the batch records failures.
                    switch worker.run(document, to: output) {
                    case .extracted(let pages):
                        state.withLock { progress.finished(document.displayPath, pages: pages, failure: nil) }
                        log.documentStored(output)
                    case .failed(let reason):
                        state.withLock {
                            try? archive.storeFailure(sha256: document.sha256, file: document.displayPath, reason: reason)
                            state.failures.append((document.displayPath, reason))
                            progress.finished(document.displayPath, pages: 0, failure: reason)
                        }
                    }
                }
            }
            let failures = state.failures
            // What is not prepared yet, the end does itself.
            early.stop()
            log.copyRest()
            progress.end()

            do {
                // values.csv does not depend on the cross-report check: it is
                // written from a second connection while the check runs.
                let values = Background {
                    try BatchExports(archive: Archive(url: settings.database)).writeValues(into: folder, reusing: early.valuesRows)
                }
                defer { values.wait() }
                let restated = try archive.checkAcrossReports(seriesCheck(archive, mergedFrom: mergedFrom), progress: early.check)
                phases.mark("cross-report check")
                // The check's warnings too, beside the exports, and the log
                // emptied: the database then closes with nothing left to do.
                log.copyRest(truncating: true)
                if !quiet && restated > 0 {
                    writeToStandardError("\(restated) prior-period figures differ from the earlier report's own (prior_period_mismatch in warnings.csv)\n")
                }
                try BatchExports(archive: archive).writeWarningsAndSummary(into: folder)
                log.wait()
                try values.value()
                phases.mark("exports written")
            } catch {
                throw fail("\(out): error: cannot write the exports: \(error)")
            }
            if !failures.isEmpty {
                var text = "\n\(failures.count) of \(documents.count) documents failed:\n"
                let width = min(60, failures.map(\.file.count).max() ?? 0)
                for failure in failures.sorted(by: { $0.file < $1.file }) {
                    text += "  " + failure.file.padding(toLength: max(width, failure.file.count), withPad: " ", startingAt: 0)
                        + "  " + failure.reason + "\n"
                }
                writeToStandardError(text)
                throw ExitCode(1)
            }
        }

        /// Temporary files an interrupted batch left behind: never outputs.
        func removeStaleTemporaries(in folder: URL) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
                try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }
}

/// The batch's database, opened, and made while the workers load their
/// mappings when it is new (a new SQLite file takes several syncs to disk);
/// a batch that stops before it starts (its mappings cannot be read) takes
/// the new file and folder back, so that it leaves nothing behind.
final class ArchiveOpening: @unchecked Sendable {
    private let folder: URL
    private let name: String
    private let database: URL
    private var early: Background<Archive>?
    private let folderExisted: Bool

    struct ArchiveError: Error, CustomStringConvertible { var description: String }

    init(folder: URL, name: String) {
        self.folder = folder
        self.name = name
        database = folder.appendingPathComponent("annals.sqlite")
        folderExisted = FileManager.default.fileExists(atPath: folder.path)
        // An existing archive may need its schema brought up to date: that
        // waits until the batch knows it will run.
        guard !FileManager.default.fileExists(atPath: database.path) else { return }
        early = Background { [folder, name, database] in try Self.open(folder: folder, name: name, database: database) }
    }

    private static func open(folder: URL, name: String, database: URL) throws(ArchiveError) -> Archive {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .init(description: "\(name): error: cannot create the output folder: \(error.localizedDescription)")
        }
        do {
            return try Archive(url: database)
        } catch {
            throw .init(description: "\(name)/annals.sqlite: error: cannot open the database: \(error)")
        }
    }

    /// The database, waiting for it to be made, or opening it now.
    func archive() throws -> Archive {
        try early?.value() ?? Self.open(folder: folder, name: name, database: database)
    }

    /// Removes the database made early, and the folder if it made that too.
    func takeBack() {
        guard let made = early else { return }
        made.wait()
        early = nil  // closes it
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: database.path + suffix)
        }
        if !folderExisted, (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: folder)
        }
    }
}

/// Work started on another thread; its value, or what it threw, collected
/// later. Waited for before it is released.
final class Background<Value>: @unchecked Sendable {
    private let done = DispatchGroup()
    /// Set by the one task in `done`, read after waiting for it.
    private var result: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async(group: done) { [self] in result = Result { try work() } }
    }

    deinit { done.wait() }

    func wait() { done.wait() }

    /// Waits for the work: its value, or the error it threw.
    func value() throws -> Value {
        done.wait()
        return try result!.get()
    }
}

/// The batch's last steps, partly done early: the cross-report check's
/// pairs and the CSV rows of every report outside the documents still being
/// extracted (none of those changes any more). Only a help: whatever failed
/// or was left out here, the end works out itself.
///
/// It runs on a thread of its own, so that the slot which started it is
/// free, and the last document's end stops it where it stands (after the
/// pair or report under way): the batch's end never waits for more of it.
final class EarlyEnd: @unchecked Sendable {
    let check = Archive.CheckProgress()
    private let rows = Locked<[String: CSV]>([:])
    private let stopped = Locked(false)
    private let work = Locked<Background<Void>?>(nil)
    /// Read after `stop()`.
    var valuesRows: [String: CSV] { rows.value }

    /// - Parameter finished: told whether the batch's end had come (and
    ///   may have cut the work short) by the time it returned.
    func start(_ archive: Archive, check series: @escaping @Sendable () throws -> PriorPeriodCheck,
               excluding inFlight: Set<String>, finished: @escaping @Sendable (Bool) -> Void) {
        let started = Background { [self] in
            let stop = { self.stopped.value }
            if !stop(), let series = try? series() {
                try? archive.prepareCheckAcrossReports(series, progress: check, excluding: inFlight, until: stop)
            }
            if !stop(), let made = try? archive.valuesCSVRows(excluding: inFlight, until: stop) { rows.update { $0 = made } }
            finished(stop())
        }
        work.update { $0 = started }
    }

    /// Stops the work where it stands and waits for it to return.
    func stop() {
        stopped.update { $0 = true }
        work.value?.wait()
    }
}

/// With ANNALS_BATCH_TIMES set, when each phase of a batch ended (ms since
/// it started) goes to standard error: where a batch's time goes, for the
/// benchmark.
final class BatchPhases: Sendable {
    let started = Date()
    let enabled = ProcessInfo.processInfo.environment["ANNALS_BATCH_TIMES"] != nil

    func mark(_ phase: String) {
        guard enabled else { return }
        writeToStandardError(String(format: "%7.1f ms  %@\n", Date().timeIntervalSince(started) * 1000, phase))
    }
}

/// Copies the database's log into it while workers write.
///
/// Workers do not (`Archive(url:checkpoints: false)`): a copy waits on the
/// disk. This does, one copy at a time on a connection of its own, about
/// every 1000 pages of log (SQLite's own default; more often would make the
/// writers sync the log's header as often). How many documents that is, the
/// last copy tells: it counts the pages it found.
///
/// Before each copy it syncs the JSON outputs written since the last one
/// (workers write them without waiting for the disk): what the copy makes
/// lasting in the database then has its output whole on disk. A power cut
/// between two copies can still leave an output empty; `--resume` extracts
/// such a document again (`BatchPlan.isWhole`).
final class LogCopier: Sendable {
    private let queue = DispatchQueue(label: "annals.batch.checkpoint")
    private let archive: Archive?
    private let counts = Locked((documents: 0, every: 8, running: false))
    private let unsynced = Locked<[URL]>([])
    private let folder: URL

    /// The batch's own readers are done within milliseconds; a reader from
    /// outside (a database browser left open) is waited for a second at
    /// most, and the log then left for the database's close to copy.
    init(database: URL) {
        archive = try? Archive(url: database, patience: 1)
        folder = database.deletingLastPathComponent()
    }

    /// A worker stored a document and wrote its output.
    func documentStored(_ output: URL) {
        unsynced.update { $0.append(output) }
        var start = false
        counts.update { c in
            c.documents += 1
            start = !c.running && c.documents >= c.every
            if start { c.running = true }
        }
        guard start else { return }
        queue.async { [self] in
            var documents = 0
            counts.update { c in
                documents = c.documents
                c.documents = 0
            }
            let pages = copy(truncating: false)
            counts.update { c in
                if pages > 0 { c.every = max(1, 1000 * documents / pages) }
                c.running = false
            }
        }
    }

    /// Copies what the last documents left, beside whatever the batch does
    /// next (not when the database closes).
    func copyRest(truncating: Bool = false) {
        queue.async { [self] in _ = copy(truncating: truncating) }
    }

    /// The outputs synced, then the log copied (and emptied when
    /// `truncating`): the pages copied. On the copier's queue.
    private func copy(truncating: Bool) -> Int {
        syncOutputs()
        if truncating {
            try? archive?.checkpointAndTruncate()
            return 0
        }
        return (try? archive?.checkpoint()) ?? 0
    }

    /// The outputs written since the last call, and the folder (their
    /// renames), synced to disk. On the copier's queue.
    private func syncOutputs() {
        var outputs: [URL] = []
        unsynced.update { swap(&$0, &outputs) }
        guard !outputs.isEmpty else { return }
        for url in outputs + [folder] {
            let file = open(url.path, O_RDONLY | O_CLOEXEC)
            if file >= 0 {
                fsync(file)
                close(file)
            }
        }
    }

    /// Waits for the copies under way.
    func wait() { queue.sync {} }
}

/// The work queue shared by a batch's threads, and what they found.
final class BatchState: @unchecked Sendable {
    private let lock = NSLock()
    private let pending: [BatchPlan.Document]
    private var next = 0
    /// The sha256 of each document taken and not yet done.
    private var inFlight: Set<String> = []
    private var earlyEndTaken = false
    /// Touched only inside `withLock`.
    var failures: [(file: String, reason: String)] = []

    init(pending: [BatchPlan.Document]) { self.pending = pending }

    func take() -> BatchPlan.Document? {
        lock.withLock {
            guard next < pending.count else { return nil }
            defer { next += 1 }
            inFlight.insert(pending[next].sha256)
            return pending[next]
        }
    }

    func done(_ document: BatchPlan.Document) {
        lock.withLock { _ = inFlight.remove(document.sha256) }
    }

    /// For the first thread to ask once no document is left to take, while
    /// others are still being extracted: those documents' sha256.
    func othersStillExtracting() -> Set<String>? {
        lock.withLock {
            guard next >= pending.count, !inFlight.isEmpty, !earlyEndTaken else { return nil }
            earlyEndTaken = true
            return inFlight
        }
    }

    func withLock(_ body: () -> Void) { lock.withLock(body) }
}

/// The documents a batch will read: found, hashed and given output names.
enum BatchPlan {
    struct Document: Sendable {
        var url: URL
        var displayPath: String
        var sha256: String
        var outputName: String
        /// In bytes.
        var size: Int
    }

    /// Whether an output is there and whole: a JSON that a worker wrote
    /// ends with `}` and a line end. A power cut soon after a worker wrote
    /// it can leave it empty (outputs reach the disk at the batch's next log
    /// copy, see `LogCopier`): `--resume` then extracts the document again.
    static func isWhole(_ output: URL) -> Bool {
        let file = open(output.path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { return false }
        defer { close(file) }
        var end = [UInt8](repeating: 0, count: 2)
        let size = lseek(file, 0, SEEK_END)
        guard size >= 2, pread(file, &end, 2, size - 2) == 2 else { return false }
        return end == [UInt8(ascii: "}"), UInt8(ascii: "\n")]
    }

    /// The distinct documents under `paths`, and the files skipped as copies
    /// of one of them (path, the path of the first copy).
    static func documents(in paths: [String]) throws -> (documents: [Document], duplicates: [(String, String)]) {
        var duplicates: [(String, String)] = []
        var files: [(url: URL, display: String)] = []
        for path in paths {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            if isFolder.boolValue {
                let root = URL(fileURLWithPath: path)
                let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
                var found: [(URL, String)] = []
                while let url = enumerator?.nextObject() as? URL {
                    guard url.pathExtension.lowercased() == "pdf",
                          (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                    let relative = String(url.path.dropFirst(root.path.count)).trimmingCharacters(in: ["/"])
                    found.append((url, (path as NSString).appendingPathComponent(relative)))
                }
                files += found.sorted { $0.1 < $1.1 }
            } else {
                files.append((URL(fileURLWithPath: path), path))
            }
        }
        var seenPaths = Set<String>()
        var firstWithSha: [String: String] = [:]
        var documents: [Document] = []
        for file in files where seenPaths.insert(file.url.standardizedFileURL.path).inserted {
            let sha: String, size: Int
            do {
                let data = try Data(contentsOf: file.url, options: .alwaysMapped)
                (sha, size) = (SHA256.hex(of: data), data.count)
            } catch {
                throw fail("\(file.display): error: cannot read the file: \(error.localizedDescription)")
            }
            // The archive is keyed by content: a second copy of the same bytes adds nothing.
            if let original = firstWithSha[sha] {
                duplicates.append((file.display, original))
                continue
            }
            firstWithSha[sha] = file.display
            documents.append(Document(url: file.url, displayPath: file.display, sha256: sha, outputName: "", size: size))
        }
        // `<name>.json`, unless two documents share a name: then both carry their hash.
        let stems = Dictionary(grouping: documents.indices) { documents[$0].url.deletingPathExtension().lastPathComponent }
        for (stem, indices) in stems {
            let clean = stem.hasPrefix(".") ? "_" + stem : stem
            for i in indices {
                documents[i].outputName = indices.count == 1 ? "\(clean).json" : "\(clean)-\(documents[i].sha256.prefix(12)).json"
            }
        }
        return (documents, duplicates)
    }
}

/// Progress on stderr: a live line on a terminal, a line per document otherwise.
final class BatchProgress: @unchecked Sendable {
    let total: Int
    let quiet: Bool
    let live = isatty(STDERR_FILENO) == 1
    let started = Date()
    var done: Int
    var pages = 0
    var failures = 0

    init(total: Int, skipped: Int, quiet: Bool) {
        self.total = total
        self.done = skipped
        self.quiet = quiet
        if skipped > 0 && !quiet {
            writeToStandardError("resuming: \(skipped) of \(total) documents already extracted\n")
        }
    }

    func start() { if live && !quiet { draw() } }

    /// Called with the batch's lock held.
    func finished(_ file: String, pages: Int, failure: String?) {
        done += 1
        self.pages += pages
        if failure != nil { failures += 1 }
        guard !quiet else { return }
        if live {
            draw()
        } else {
            let status = failure.map { "FAILED: \($0)" } ?? "\(pages) pages"
            writeToStandardError("[\(done)/\(total)] \(file): \(status)\n")
        }
    }

    func draw() {
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(pages) / elapsed
        let width = 24
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let remaining = done == 0 ? "" : String(format: ", ETA %.0f s", elapsed / Double(done) * Double(total - done))
        let line = String(format: "\r[%@] %d/%d documents, %.1f pages/s, %d failed", bar, done, total, rate, failures) + remaining
        writeToStandardError(line + "\u{1B}[K")
    }

    func end() {
        let elapsed = Date().timeIntervalSince(started)
        if live && !quiet { writeToStandardError("\n") }
        if !quiet {
            writeToStandardError(String(format: "%d documents (%d failed), %d pages in %.1f s\n",
                                                       total, failures, pages, elapsed))
        }
    }
}

/// The cross-report check for an archive: federations merged into another
/// (mapping key `merged_from`, on the mapping that read the successor's
/// reports) continue its series.
func seriesCheck(_ archive: Archive, mappings: [Mapping]) throws -> PriorPeriodCheck {
    try seriesCheck(archive, mergedFrom: mergedFromByMapping(mappings))
}

/// Each mapping's `merged_from`, by mapping id (mappings without one left out).
func mergedFromByMapping(_ mappings: [Mapping]) -> [String: [String]] {
    Dictionary(mappings.filter { !$0.mergedFrom.isEmpty }.map { ($0.id, $0.mergedFrom) }, uniquingKeysWith: { a, _ in a })
}

/// The same, from each mapping's `merged_from` by mapping id.
func seriesCheck(_ archive: Archive, mergedFrom: [String: [String]]) throws -> PriorPeriodCheck {
    var merged: [String: [String]] = [:]
    for row in try archive.rows("SELECT DISTINCT layout, organisation FROM reports WHERE status = 'ok'") {
        guard let layout = row["layout"], let organisation = row["organisation"],
              let names = mergedFrom[layout], !names.isEmpty else { continue }
        merged[organisation, default: []] += names
    }
    return PriorPeriodCheck(merged: merged)
}
