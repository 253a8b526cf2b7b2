import Dispatch
import Testing

@testable import KPIWatchEngine

/// Pushed-down statements run on threads of their own (`ParallelWork.mapOnThreads`), even when the caller is itself
/// a worker of `ParallelWork.map` holding the machine's cores, and their answers come back in the KPIs' order.
@Suite struct StatementThreadsTests {
    @Test func answersComeBackInTheJobsOrder() {
        let answers = ParallelWork.mapOnThreads(Array(0..<50), threads: 3) { $0 * $0 }
        #expect(answers == (0..<50).map { $0 * $0 })
    }

    /// Two jobs that each wait for the other finish only if they run at the same time; run one after the other, the
    /// first would give up waiting.
    @Test func jobsRunAtTheSameTimeInsideAWorkerOfMap() {
        let outcomes = ParallelWork.map([0, 1], workers: 2) { _ in
            let arrived = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
            return ParallelWork.mapOnThreads([0, 1], threads: 2) { job in
                arrived[job].signal()
                return arrived[1 - job].wait(timeout: .now() + 10) == .success
            }
        }
        #expect(outcomes == [[true, true], [true, true]])
    }
}
