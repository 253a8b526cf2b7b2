import Foundation

/// Runs independent jobs on up to `workers` threads and returns their results in the jobs' order, whatever order
/// they finished in, so that what a caller builds from them is the same with one worker as with many.
enum ParallelWork {
    /// The cores the machine offers, the default number of workers.
    static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `body(job)` for every job. With one worker (or one job) everything runs on the calling thread.
    ///
    /// The jobs and results need not be `Sendable`: each job is handed to exactly one thread, which alone touches it
    /// and what it returns until every thread has finished; the caller must not give two jobs shared mutable state.
    static func map<Job, Result>(_ jobs: [Job], workers: Int, _ body: (Job) -> Result) -> [Result] {
        let threads = min(max(1, workers), jobs.count)
        guard threads > 1 else { return jobs.map(body) }
        return withoutActuallyEscaping(body) { body in
            let shared = Shared(jobs: jobs, body: body)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while let index = shared.claim() { shared.finish(index, shared.body(shared.jobs[index])) }
            }
            return shared.results.map { $0! }
        }
    }

    /// The jobs, the next unclaimed one and the results, behind a lock.
    private final class Shared<Job, Result>: @unchecked Sendable {
        let jobs: [Job]
        let body: (Job) -> Result
        private(set) var results: [Result?]
        private var next = 0
        private let lock = NSLock()

        init(jobs: [Job], body: @escaping (Job) -> Result) {
            self.jobs = jobs
            self.body = body
            results = Array(repeating: nil, count: jobs.count)
        }

        func claim() -> Int? {
            lock.withLock {
                guard next < jobs.count else { return nil }
                defer { next += 1 }
                return next
            }
        }

        func finish(_ index: Int, _ result: Result) {
            lock.withLock { results[index] = result }
        }
    }
}
