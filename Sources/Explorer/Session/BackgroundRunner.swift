import Dispatch
import Foundation
import KLMath
import KLScenario
import Synchronization

/// Runs slow work off the main thread for `ExplorerSession`, so the keys never wait for it:
/// the coverage lab (`Job.lab`), the sweep view's sweeps (`Job.sweep`) and the picker's
/// listings (`Job.listing`). Per kind, at most
/// one job is current: starting one cancels the one before. A job's partial and final results
/// are posted, tagged with its generation, to one inbox the session drains every tick
/// (`drainBackground`); the update function ignores stale generations, so a result that arrives
/// after its job was replaced changes nothing.
///
/// Thread safety without `@unchecked`: the inbox and the current jobs' cancel flags sit behind
/// `Mutex`es, each flag is an `Atomic<Bool>` that the work polls through its `isCancelled`
/// closure, and a `DispatchGroup` per kind counts the jobs not yet ended, for `waitUntilIdle`.
final class BackgroundRunner: Sendable {
    /// The kinds of background work; each has its own current job.
    enum Job: Hashable, Sendable, CaseIterable {
        case lab, sweep, listing
    }

    /// One job's cancel flag.
    final class Flag: Sendable {
        let raised = Atomic<Bool>(false)
        var isRaised: Bool { raised.load(ordering: .relaxed) }
        func raise() { raised.store(true, ordering: .relaxed) }
    }

    private let inbox = Mutex<[Message]>([])
    private let current = Mutex<[Job: Flag]>([:])
    private let groups: [Job: DispatchGroup] = Dictionary(uniqueKeysWithValues: Job.allCases.map { ($0, DispatchGroup()) })
    private let queue = DispatchQueue(label: "klscope.background", qos: .userInitiated, attributes: .concurrent)

    /// Runs `work` on a background thread as the current job of its kind, cancelling the one
    /// before. `work` gets the job's cancel test and a function that posts a message.
    func start(_ job: Job, _ work: @escaping @Sendable (_ isCancelled: @escaping @Sendable () -> Bool,
                                                       _ post: @escaping @Sendable (Message) -> Void) -> Void) {
        let flag = Flag()
        current.withLock { flags in
            flags[job]?.raise()
            flags[job] = flag
        }
        let group = groups[job]!
        group.enter()
        queue.async { [self] in
            work({ flag.isRaised }, { message in self.post(message) })
            group.leave()
        }
    }

    /// Starts `CoverageLab.run`; reports arrive as `labProgress` and `labFinished`.
    func startLab(_ problem: Problem, _ configuration: CoverageLab.Configuration, generation: Int) {
        start(.lab) { isCancelled, post in
            let report = CoverageLab.run(problem, configuration: configuration, isCancelled: isCancelled,
                                         progress: { report in post(.labProgress(generation: generation, report)) })
            post(.labFinished(generation: generation, report))
        }
    }

    /// Starts a sweep job; partial results arrive as `sweepProgress`, the end as `sweepFinished`.
    func startSweep(_ request: SweepRequest) {
        start(.sweep) { isCancelled, post in
            let result = request.run(isCancelled: isCancelled,
                                     progress: { partial in post(.sweepProgress(generation: request.generation, partial)) })
            post(.sweepFinished(generation: request.generation, result))
        }
    }

    /// Starts listing `directories` for the picker showing `folder` (`ScenarioLoader.list`, a
    /// bounded prefix of each file); the entries arrive as `listed`, nothing when a newer listing
    /// cancelled this one.
    func startListing(_ directories: [URL], folder: URL?) {
        start(.listing) { isCancelled, post in
            let entries = ScenarioLoader.list(directories: directories, folders: true, isCancelled: isCancelled)
            if !isCancelled() { post(.listed(folder: folder, entries)) }
        }
    }

    private func post(_ message: Message) {
        inbox.withLock { $0.append(message) }
    }

    /// Cancels the current job of kind `job`, if any; its finished message (nil) follows soon.
    func cancel(_ job: Job) {
        current.withLock { flags in
            flags[job]?.raise()
            flags[job] = nil
        }
    }

    /// The messages posted since the last call, oldest first.
    func drain() -> [Message] {
        inbox.withLock { messages in
            defer { messages = [] }
            return messages
        }
    }

    /// Whether a job of kind `job` (current or cancelled) has not ended yet.
    func isBusy(_ job: Job) -> Bool {
        groups[job]!.wait(timeout: .now()) == .timedOut
    }

    /// Blocks until every job started (of kind `job`, or of every kind) has ended.
    func waitUntilIdle(_ job: Job? = nil) {
        for kind in job.map({ [$0] }) ?? Job.allCases { groups[kind]!.wait() }
    }
}
