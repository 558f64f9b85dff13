import AnnalsCore
import ArgumentParser
import Foundation

extension Annals {
    struct Batch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extract every PDF under the given paths into JSON, CSV and a SQLite archive.",
            discussion: """
                Each document is extracted by its own worker process, so a crash or a hang \
                inside poppler or tesseract costs that document only; it is recorded with its \
                reason. Every output is written under a temporary name and renamed. The \
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
            let mappings = try mappingOptions.directory()
            let loaded = try mappingOptions.load() // a broken mapping stops the batch before it starts
            let folder = URL(fileURLWithPath: out)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw fail("\(out): error: cannot create the output folder: \(error.localizedDescription)")
            }
            removeStaleTemporaries(in: folder)
            let archive: Archive
            do {
                archive = try Archive(url: folder.appendingPathComponent("annals.sqlite"))
            } catch {
                throw fail("\(out)/annals.sqlite: error: cannot open the database: \(error)")
            }

            let (documents, duplicates) = try BatchPlan.documents(in: paths)
            if !quiet {
                for (copy, original) in duplicates {
                    FileHandle.standardError.write(Data("\(copy): skipped, the same bytes as \(original)\n".utf8))
                }
            }
            let done = resume ? try archive.outputs() : [:]
            var pending: [BatchPlan.Document] = []
            var skipped = 0
            for document in documents {
                if let output = done[document.sha256],
                   FileManager.default.fileExists(atPath: folder.appendingPathComponent(output).path) {
                    skipped += 1
                } else {
                    pending.append(document)
                }
            }
            let progress = BatchProgress(total: documents.count, skipped: skipped, quiet: quiet)
            progress.start()

            // ANNALS_WORKER names a program to run instead of this annals for each
            // document (called with `extract …`): a wrapper that runs workers under
            // nice, prlimit or a sandbox, and the tests' crashing worker.
            let program = ProcessInfo.processInfo.environment["ANNALS_WORKER"].map { URL(fileURLWithPath: $0) }
                ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            let worker = Worker(executable: program, mappings: mappings, ocr: ocr, timeout: timeout)
            let state = BatchState(pending: pending)
            // A report is read back and stored while the next worker runs
            // (one at a time, in the order the workers finished): the
            // database's syncs and the JSON decoding no longer hold up the
            // next document.
            let storing = DispatchQueue(label: "annals.batch.store")
            let stored = DispatchGroup()
            DispatchQueue.concurrentPerform(iterations: min(jobs, max(pending.count, 1))) { _ in
                while let document = state.take() {
                    let output = folder.appendingPathComponent(document.outputName)
                    let ran = worker.run(document.url, to: output)
                    storing.async(group: stored) {
                        let outcome = worker.read(ran, from: output)
                        state.withLock {
                            switch outcome {
                            case .extracted(let report):
                                do {
                                    try archive.store(report, file: document.displayPath, output: document.outputName)
                                    progress.finished(document.displayPath, pages: report.source.pages, failure: nil)
                                } catch {
                                    let reason = "the database refused the report: \(error)"
                                    state.failures.append((document.displayPath, reason))
                                    progress.finished(document.displayPath, pages: 0, failure: reason)
                                }
                            case .failed(let reason):
                                try? archive.storeFailure(sha256: document.sha256, file: document.displayPath, reason: reason)
                                state.failures.append((document.displayPath, reason))
                                progress.finished(document.displayPath, pages: 0, failure: reason)
                            }
                        }
                    }
                }
            }
            stored.wait()
            let failures = state.failures
            progress.end()

            do {
                let restated = try archive.checkAcrossReports(seriesCheck(archive, mappings: loaded))
                if !quiet && restated > 0 {
                    FileHandle.standardError.write(Data("\(restated) prior-period figures differ from the earlier report's own (prior_period_mismatch in warnings.csv)\n".utf8))
                }
                try BatchExports(archive: archive).write(into: folder)
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
                FileHandle.standardError.write(Data(text.utf8))
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

/// The work queue shared by a batch's threads, and what they found.
final class BatchState: @unchecked Sendable {
    private let lock = NSLock()
    private let pending: [BatchPlan.Document]
    private var next = 0
    /// Touched only inside `withLock`.
    var failures: [(file: String, reason: String)] = []

    init(pending: [BatchPlan.Document]) { self.pending = pending }

    func take() -> BatchPlan.Document? {
        lock.withLock {
            guard next < pending.count else { return nil }
            defer { next += 1 }
            return pending[next]
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
            let sha: String
            do {
                sha = SHA256.hex(of: try Data(contentsOf: file.url, options: .alwaysMapped))
            } catch {
                throw fail("\(file.display): error: cannot read the file: \(error.localizedDescription)")
            }
            // The archive is keyed by content: a second copy of the same bytes adds nothing.
            if let original = firstWithSha[sha] {
                duplicates.append((file.display, original))
                continue
            }
            firstWithSha[sha] = file.display
            documents.append(Document(url: file.url, displayPath: file.display, sha256: sha, outputName: ""))
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

/// Runs `annals extract` on one document in a process of its own.
struct Worker: Sendable {
    enum Outcome { case extracted(Report), failed(String) }
    /// A worker's end, before its output is read: it wrote the output, or failed.
    enum Ran: Sendable { case wrote, failed(String) }

    var executable: URL
    var mappings: URL
    var ocr: OCRMode
    var timeout: Double

    func extract(_ file: URL, to output: URL) -> Outcome {
        read(run(file, to: output), from: output)
    }

    /// The worker's report, read back from its output.
    func read(_ ran: Ran, from output: URL) -> Outcome {
        if case .failed(let reason) = ran { return .failed(reason) }
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[Report.withoutTables] = true
            let report = try decoder.decode(Report.self, from: Data(contentsOf: output))
            return .extracted(report)
        } catch {
            return .failed("the worker's JSON could not be read back: \(error)")
        }
    }

    /// Runs the worker on `file`; its output is not read here.
    func run(_ file: URL, to output: URL) -> Ran {
        // One OCR thread per worker: the batch parallelises across documents.
        let arguments = ["extract", "--mappings", mappings.path, "--ocr", ocr.rawValue, "--jobs", "1",
                         "-o", output.path, "--", file.path]
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_THREAD_LIMIT"] = "1"
        // Stderr into a file: nothing to drain while waiting, however much the worker says.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("annals-worker-\(UUID().uuidString).err")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil),
              let errors = FileHandle(forWritingAtPath: errorFile.path) else {
            return .failed("cannot create a temporary file in \(FileManager.default.temporaryDirectory.path)")
        }
        defer {
            try? errors.close()
            try? FileManager.default.removeItem(at: errorFile)
        }
        let ended: WorkerExit
        switch run(arguments: arguments, environment: environment, errors: errors) {
        case .failedToStart(let reason):
            return .failed("cannot start a worker: \(reason)")
        case .timedOut:
            // Outputs are renamed into place whole, so an earlier run's output stays as it was.
            return .failed("timed out after \(String(format: "%g", timeout)) s (--timeout); the worker was stopped")
        case .ended(let exit):
            ended = exit
        }
        let stderr = String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self)
        if ended.signalled {
            return .failed("the worker crashed (signal \(ended.status))")
        }
        guard ended.status == 0 else {
            let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let reason = lines.last { $0.contains("error:") } ?? lines.last ?? "exit \(ended.status)"
            return .failed(Self.withoutFileName(reason, file: file))
        }
        if !FileManager.default.fileExists(atPath: output.path) {
            return .failed("the worker exited without writing its output")
        }
        return .wrote
    }

    /// How a worker ended: its exit status, or the signal that ended it.
    struct WorkerExit { var status: Int32; var signalled: Bool }
    enum Run { case ended(WorkerExit), timedOut, failedToStart(String) }

    /// Runs the worker with standard input and output on /dev/null and
    /// standard error into `errors`, stopping it after `timeout` seconds.
    ///
    /// posix_spawn with glibc's close-from where it exists: Foundation's
    /// `Process` took some 40 ms to start each worker (it walks the whole
    /// descriptor table), as long as extracting a short document.
    func run(arguments: [String], environment: [String: String], errors: FileHandle) -> Run {
        guard let closeFrom = WorkerSpawn.addCloseFrom else {
            return runWithProcess(arguments: arguments, environment: environment, errors: errors)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var failure = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if failure == 0 { failure = posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
        if failure == 0 { failure = posix_spawn_file_actions_adddup2(&actions, errors.fileDescriptor, 2) }
        if failure == 0 { failure = closeFrom(&actions, 3) }
        // As Process does: every signal at its default and none blocked in the
        // child (this thread may block some).
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        if failure == 0 { failure = posix_spawnattr_setsigdefault(&attributes, &all) }
        if failure == 0 { failure = posix_spawnattr_setsigmask(&attributes, &none) }
        if failure == 0 { failure = posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)) }
        guard failure == 0 else { return .failedToStart(String(cString: strerror(failure))) }

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard spawned == 0 else { return .failedToStart(String(cString: strerror(spawned))) }

        let exit = Locked(WorkerExit(status: 0, signalled: false))
        let finished = DispatchSemaphore(value: 0)
        let child = pid
        DispatchQueue.global().async {
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1 && errno == EINTR {}
            // WIFSIGNALED / WTERMSIG / WEXITSTATUS, which Swift does not import.
            let signal = status & 0x7F
            let ended = signal != 0 && signal != 0x7F
                ? WorkerExit(status: signal, signalled: true)
                : WorkerExit(status: (status >> 8) & 0xFF, signalled: false)
            exit.update { $0 = ended }
            finished.signal()
        }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(pid, SIGKILL)
            finished.wait()
            return .timedOut
        }
        return .ended(exit.value)
    }

    /// The same with Foundation's `Process`, where glibc lacks close-from.
    func runWithProcess(arguments: [String], environment: [String: String], errors: FileHandle) -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            return .failedToStart(error.localizedDescription)
        }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            return .timedOut
        }
        return .ended(WorkerExit(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal))
    }

    /// The failure table names the file already.
    static func withoutFileName(_ reason: String, file: URL) -> String {
        var text = Substring(reason)
        for prefix in [file.path + ":", " ", "error:", " "] where text.hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
        }
        return String(text)
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which
/// its headers declare only under `_GNU_SOURCE`; nil where it is missing.
enum WorkerSpawn {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    static let addCloseFrom: AddCloseFrom? = {
        guard let handle = dlopen(nil, RTLD_NOW),
              let symbol = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()
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
            FileHandle.standardError.write(Data("resuming: \(skipped) of \(total) documents already extracted\n".utf8))
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
            FileHandle.standardError.write(Data("[\(done)/\(total)] \(file): \(status)\n".utf8))
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
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    }

    func end() {
        let elapsed = Date().timeIntervalSince(started)
        if live && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
        if !quiet {
            FileHandle.standardError.write(Data(String(format: "%d documents (%d failed), %d pages in %.1f s\n",
                                                       total, failures, pages, elapsed).utf8))
        }
    }
}

/// The cross-report check for an archive: federations merged into another
/// (mapping key `merged_from`, on the mapping that read the successor's
/// reports) continue its series.
func seriesCheck(_ archive: Archive, mappings: [Mapping]) throws -> PriorPeriodCheck {
    var merged: [String: [String]] = [:]
    for row in try archive.rows("SELECT DISTINCT layout, organisation FROM reports WHERE status = 'ok'") {
        guard let layout = row["layout"], let organisation = row["organisation"],
              let mapping = mappings.first(where: { $0.id == layout }), !mapping.mergedFrom.isEmpty else { continue }
        merged[organisation, default: []] += mapping.mergedFrom
    }
    return PriorPeriodCheck(merged: merged)
}
