import AnnalsCore
import Foundation

/// The batch's side of one worker process (`annals worker`): sends it one
/// document at a time, waits for its reply no longer than the timeout, and
/// after a crash or a stop starts a new worker for the next document.
/// Used by one thread at a time.
final class WorkerProcess: @unchecked Sendable {
    struct Settings: Sendable {
        var executable: URL
        var mappings: URL
        var ocr: OCRMode
        var timeout: Double
        /// The database the workers store their reports in.
        var database: URL
    }

    /// A document's end in the worker: extracted, written and stored (with
    /// its page count), or failed.
    enum Ran: Sendable { case extracted(pages: Int), failed(String) }

    let settings: Settings
    private var running: Running?

    init(_ settings: Settings) { self.settings = settings }

    deinit { stop() }

    /// Extracts `document` into `output` in the worker, starting one if need be.
    func run(_ document: BatchPlan.Document, to output: URL) -> Ran {
        let request: Data
        do {
            request = try JSONEncoder().encode(WorkerRequest(
                file: document.url.path, output: output.path, sha256: document.sha256,
                display: document.displayPath, outputName: document.outputName)) + Data("\n".utf8)
        } catch {
            return .failed("cannot encode the request for the worker: \(error)")
        }
        // A worker that ended between two documents is replaced once.
        for attempt in 0..<2 {
            if running == nil {
                switch Running.start(settings) {
                case .success(let started): running = started
                case .failure(let reason): return .failed("cannot start a worker: \(reason)")
                }
            }
            guard let worker = running else { break }
            if worker.send(request) {
                return answer(from: worker)
            }
            if attempt == 1 { return .failed(ended(worker)) }
            _ = worker.reap(waiting: 1)
            running = nil
        }
        return .failed("cannot start a worker")
    }

    /// Starts the worker ahead of its first document, so that it loads its
    /// mappings while the batch is still reading the files; a failure to
    /// start is reported by `run`.
    func start() {
        if running == nil, case .success(let started) = Running.start(settings) { running = started }
    }

    /// Lets the worker end (it stops at the end of its input) without
    /// waiting for it: `stop` reaps it later.
    func closeInput() {
        running?.closeInput()
    }

    /// Ends the worker: it stops at the end of its input.
    func stop() {
        running?.finish()
        running = nil
    }

    /// The worker's first line: ready, with what it says of its mappings; or
    /// why it could not start (its mappings cannot be read, say).
    func ready() -> Result<WorkerReply, Failure> {
        if running == nil { start() }
        guard let worker = running else { return .failure(Failure("cannot start a worker")) }
        if let known = worker.readyLine { return .success(known) }
        // A minute at least: --timeout is for a document, and a start that
        // takes longer is broken whatever the documents.
        let patience = max(settings.timeout, 60)
        return nextReply(from: worker, within: patience, late: "the worker was not ready after \(String(format: "%g", patience)) s",
                         wantingReady: true)
    }

    private func answer(from worker: Running) -> Ran {
        let late = "timed out after \(String(format: "%g", settings.timeout)) s (--timeout); the worker was stopped"
        // Outputs are renamed into place whole, so a stopped worker leaves an earlier run's output as it was.
        switch nextReply(from: worker, within: settings.timeout, late: late) {
        case .failure(let failure): return .failed(failure.description)
        case .success(let reply):
            if let failure = reply.failure { return .failed(failure) }
            return .extracted(pages: reply.pages ?? 0)
        }
    }

    /// The worker's next line, or why there is none: it ended, it said
    /// something else, or `late` when `seconds` passed (then it is stopped).
    /// Every worker starts with its ready line: that is the answer when
    /// `wantingReady`, and is otherwise kept and passed over.
    private func nextReply(from worker: Running, within seconds: Double, late: String,
                           wantingReady: Bool = false) -> Result<WorkerReply, Failure> {
        while true {
            switch worker.reply(within: seconds) {
            case .line(let line):
                guard let reply = try? JSONDecoder().decode(WorkerReply.self, from: line),
                      reply.ready == true || !wantingReady else {
                    running = nil
                    worker.terminate()
                    return .failure(.init("the worker answered something that is not \(wantingReady ? "its ready line" : "a reply"); it was stopped"))
                }
                if reply.ready == true {
                    worker.readyLine = reply
                    if !wantingReady { continue }
                }
                return .success(reply)
            case .timedOut:
                running = nil
                worker.terminate()
                return .failure(.init(late))
            case .ended:
                return .failure(.init(ended(worker)))
            }
        }
    }

    /// Why a worker ended before answering.
    private func ended(_ worker: Running) -> String {
        running = nil
        let exit = worker.reap(waiting: 2)
        if exit.signalled { return "the worker crashed (signal \(exit.status))" }
        let lines = worker.errors().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.last { $0.contains("error:") } ?? lines.last ?? "the worker ended (exit \(exit.status)) before answering"
    }

    /// The failure table names the file already.
    static func withoutFileName(_ reason: String, file: URL) -> String {
        var text = Substring(reason)
        for prefix in [file.path + ":", " ", "error:", " "] where text.hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
        }
        return String(text)
    }

    /// How a worker ended: its exit status, or the signal that ended it.
    struct Exit { var status: Int32; var signalled: Bool }

    /// A started worker: its process, the pipe its requests go into, the
    /// pipe its replies come from, and the file its standard error goes to.
    final class Running {
        let pid: pid_t
        private var requests: Int32
        let replies: Int32
        let errorFile: URL
        private var buffer: [UInt8] = []
        private var exit: Exit?
        /// Its first line, once read.
        var readyLine: WorkerReply?

        init(pid: pid_t, requests: Int32, replies: Int32, errorFile: URL) {
            self.pid = pid
            self.requests = requests
            self.replies = replies
            self.errorFile = errorFile
        }

        deinit {
            if requests >= 0 { close(requests) }
            close(replies)
            try? FileManager.default.removeItem(at: errorFile)
        }

        static func start(_ settings: Settings) -> Result<Running, Failure> {
            let arguments = ["worker", "--mappings", settings.mappings.path, "--ocr", settings.ocr.rawValue,
                             "--database", settings.database.path]
            var environment = ProcessInfo.processInfo.environment
            // One OpenMP thread for tesseract (and no restart of the worker to set it).
            environment["OMP_THREAD_LIMIT"] = "1"
            // Standard error into a file: nothing to drain while waiting, however much the worker says.
            let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("annals-worker-\(UUID().uuidString).err")
            let errors = open(errorFile.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard errors >= 0 else {
                return .failure(Failure("cannot create a temporary file in \(FileManager.default.temporaryDirectory.path)"))
            }
            defer { close(errors) }
            var requestPipe: [Int32] = [0, 0], replyPipe: [Int32] = [0, 0]
            guard pipe(&requestPipe) == 0 else { return .failure(Failure(String(cString: strerror(errno)))) }
            guard pipe(&replyPipe) == 0 else {
                close(requestPipe[0]); close(requestPipe[1])
                return .failure(Failure(String(cString: strerror(errno))))
            }
            defer { close(requestPipe[0]); close(replyPipe[1]) }
            // The batch's ends are not for other workers (close-from covers
            // them where it exists; this, where it does not).
            _ = fcntl(requestPipe[1], F_SETFD, FD_CLOEXEC)
            _ = fcntl(replyPipe[0], F_SETFD, FD_CLOEXEC)
            let spawned = WorkerSpawn.spawn(settings.executable, arguments: arguments, environment: environment,
                                            input: requestPipe[0], output: replyPipe[1], errors: errors)
            switch spawned {
            case .success(let pid):
                return .success(Running(pid: pid, requests: requestPipe[1], replies: replyPipe[0], errorFile: errorFile))
            case .failure(let failure):
                close(requestPipe[1]); close(replyPipe[0])
                try? FileManager.default.removeItem(at: errorFile)
                return .failure(failure)
            }
        }

        /// Writes a request whole; false when the worker is gone.
        func send(_ request: Data) -> Bool { writeAll(request, to: requests) }

        enum Reply { case line(Data), timedOut, ended }

        /// The next line from the worker, unless it ends or `timeout` passes first.
        func reply(within timeout: Double) -> Reply {
            let deadline = Date().addingTimeInterval(timeout)
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Data(buffer[..<newline])
                    buffer.removeSubrange(...newline)
                    return .line(line)
                }
                let left = deadline.timeIntervalSinceNow
                if left <= 0 { return .timedOut }
                // In slices, so that a worker which ended while something it
                // started holds its output open is noticed all the same.
                var poller = pollfd(fd: replies, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, Int32(min(left, 0.25) * 1000) + 1)
                if ready < 0 && errno != EINTR { return .ended }
                if ready <= 0 {
                    if hasEnded() { return .ended }
                    continue
                }
                let count = Glibc.read(replies, &chunk, chunk.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return .ended }
                buffer.append(contentsOf: chunk[..<count])
            }
        }

        /// Whether the worker has ended (it is reaped if so).
        func hasEnded() -> Bool {
            if exit != nil { return true }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == 0 || (result < 0 && errno == EINTR) { return false }
            exit = result == pid ? Self.exit(status) : Exit(status: -1, signalled: false)
            return true
        }

        /// The worker's end, waiting for it up to `seconds` (then it is killed).
        @discardableResult
        func reap(waiting seconds: Double) -> Exit {
            let deadline = Date().addingTimeInterval(seconds)
            // A worker told to stop is usually gone within a millisecond or
            // two: short looks first, then every 10 ms.
            var pause: UInt32 = 100
            while !hasEnded() {
                if Date() >= deadline {
                    kill(pid, SIGKILL)
                    var status: Int32 = 0
                    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                    exit = Self.exit(status)
                    break
                }
                usleep(pause)
                pause = min(pause * 2, 10_000)
            }
            return exit ?? Exit(status: -1, signalled: false)
        }

        /// WIFSIGNALED / WTERMSIG / WEXITSTATUS, which Swift does not import.
        private static func exit(_ status: Int32) -> Exit {
            let signal = status & 0x7F
            return signal != 0 && signal != 0x7F
                ? Exit(status: signal, signalled: true)
                : Exit(status: (status >> 8) & 0xFF, signalled: false)
        }

        func terminate() {
            kill(pid, SIGKILL)
            reap(waiting: 5)
        }

        func closeInput() {
            if requests >= 0 { close(requests) }
            requests = -1
        }

        /// Closes the worker's input and waits for it to end.
        func finish() {
            closeInput()
            reap(waiting: 10)
        }

        /// What the worker wrote on standard error.
        func errors() -> String {
            String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self)
        }
    }

    /// Why a worker could not start, or could not answer.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Starts worker processes.
///
/// posix_spawn with glibc's close-from where it exists: Foundation's
/// `Process` took some 40 ms to start each worker (it walks the whole
/// descriptor table), and it reaps its children itself.
enum WorkerSpawn {
    /// Runs `executable` with `input`, `output` and `errors` as its standard
    /// input, output and error, every signal at its default and none blocked
    /// (this thread may block some), and no other descriptor of the batch.
    static func spawn(_ executable: URL, arguments: [String], environment: [String: String],
                      input: Int32, output: Int32, errors: Int32) -> Result<pid_t, WorkerProcess.Failure> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var failure = posix_spawn_file_actions_adddup2(&actions, input, 0)
        if failure == 0 { failure = posix_spawn_file_actions_adddup2(&actions, output, 1) }
        if failure == 0 { failure = posix_spawn_file_actions_adddup2(&actions, errors, 2) }
        // Without close-from, descriptors the batch opened without O_CLOEXEC
        // stay open in the worker, unused; the pipes are O_CLOEXEC.
        if failure == 0, let closeFrom = addCloseFrom { failure = closeFrom(&actions, 3) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        if failure == 0 { failure = posix_spawnattr_setsigdefault(&attributes, &all) }
        if failure == 0 { failure = posix_spawnattr_setsigmask(&attributes, &none) }
        if failure == 0 { failure = posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)) }
        guard failure == 0 else { return .failure(.init(String(cString: strerror(failure)))) }

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard spawned == 0 else { return .failure(.init(String(cString: strerror(spawned)))) }
        return .success(pid)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later),
    /// which its headers declare only under `_GNU_SOURCE`; nil where it is missing.
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    static let addCloseFrom: AddCloseFrom? = {
        guard let handle = dlopen(nil, RTLD_NOW),
              let symbol = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()
}
