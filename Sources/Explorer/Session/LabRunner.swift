import Dispatch
import KLMath
import Synchronization

/// Runs the coverage lab off the main thread for `ExplorerSession`, so the keys never wait
/// for it. At most one run is current: starting one cancels the one before. The run's partial
/// and final reports are posted, tagged with its generation, to an inbox the session drains
/// every tick (`drainBackground`); the update function ignores stale generations, so a report
/// that arrives after its run was replaced changes nothing.
///
/// Thread safety without `@unchecked`: the inbox and the current run's cancel flag sit behind
/// a `Mutex`, the flag itself is an `Atomic<Bool>` that `CoverageLab.run` polls through its
/// `isCancelled` closure (between seeds, so a cancel takes effect within one seed's fit), and a
/// `DispatchGroup` counts the runs not yet ended, for `waitUntilIdle`.
final class LabRunner: Sendable {
    /// One run's cancel flag.
    final class Flag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    private let inbox = Mutex<[Message]>([])
    private let current = Mutex<Flag?>(nil)
    private let running = DispatchGroup()
    private let queue = DispatchQueue(label: "klscope.lab", qos: .userInitiated, attributes: .concurrent)

    /// Starts `CoverageLab.run` on a background thread, cancelling the run before.
    func start(_ problem: Problem, _ configuration: CoverageLab.Configuration, generation: Int) {
        let flag = Flag()
        current.withLock { old in
            old?.raised.store(true, ordering: .relaxed)
            old = flag
        }
        running.enter()
        queue.async { [self] in
            let report = CoverageLab.run(problem, configuration: configuration,
                                         isCancelled: { flag.raised.load(ordering: .relaxed) },
                                         progress: { report in self.post(.labProgress(generation: generation, report)) })
            post(.labFinished(generation: generation, report))
            running.leave()
        }
    }

    private func post(_ message: Message) {
        inbox.withLock { $0.append(message) }
    }

    /// Cancels the current run, if any; its `labFinished` (nil) follows soon.
    func cancel() {
        current.withLock { flag in
            flag?.raised.store(true, ordering: .relaxed)
            flag = nil
        }
    }

    /// The messages posted since the last call, oldest first.
    func drain() -> [Message] {
        inbox.withLock { messages in
            defer { messages = [] }
            return messages
        }
    }

    /// Blocks until every run started has ended (for `klscope render` and tests).
    func waitUntilIdle() {
        running.wait()
    }
}
