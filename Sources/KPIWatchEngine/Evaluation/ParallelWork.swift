import Foundation

/// Runs independent jobs on up to `workers` threads and returns their results in the jobs' order, whatever order
/// they finished in, so that what a caller builds from them is the same with one worker as with many.
enum ParallelWork {
    /// The cores the machine offers, the default number of workers.
    static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `body(job)` for every job. With one worker (or one job, and nothing to share) everything runs on the calling
    /// thread.
    ///
    /// With `sharing`, every one of the `workers` threads that finds no job left (all of them, when there are fewer
    /// jobs than workers) helps the jobs still running with the pieces they share, until the last job ends: the run
    /// never has more than `workers` threads, and none sits idle while a job has work to hand out.
    ///
    /// The jobs and results need not be `Sendable`: each job is handed to exactly one thread, which alone touches it
    /// and what it returns until every thread has finished; the caller must not give two jobs shared mutable state.
    static func map<Job, Result>(
        _ jobs: [Job], workers: Int, sharing: WorkSharing? = nil, _ body: (Job) -> Result
    ) -> [Result] {
        let threads = sharing == nil ? min(max(1, workers), jobs.count) : max(1, workers)
        guard threads > 1 else { return jobs.map(body) }
        return withoutActuallyEscaping(body) { body in
            let shared = Shared(jobs: jobs, body: body)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while let index = shared.claim() {
                    shared.finish(index, shared.body(shared.jobs[index]))
                    sharing?.jobEnded()
                }
                sharing?.help()
            }
            return shared.results.map { $0! }
        }
    }

    /// `body(job)` for every job, on `threads` threads of its own rather than the machine's cores: for jobs that mostly
    /// wait (statements a database answers), called from a worker of `map`, where a nested `map` would wait for a core
    /// while the thread it holds only waits for the database.
    /// `body` escapes: a finished thread may still hold it for a moment after the last result is in.
    static func mapOnThreads<Job, Result>(_ jobs: [Job], threads: Int, _ body: @escaping (Job) -> Result) -> [Result] {
        let count = min(max(1, threads), jobs.count)
        guard count > 1 else { return jobs.map(body) }
        let shared = Shared(jobs: jobs, body: body)
        let done = DispatchGroup()
        for _ in 0..<count {
            done.enter()
            Thread.detachNewThread {
                while let index = shared.claim() { shared.finish(index, shared.body(shared.jobs[index])) }
                done.leave()
            }
        }
        done.wait()
        return shared.results.map { $0! }
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

/// The threads of one run, shared by its jobs (the dataset passes): a job hands out pieces of its work (`OrderedWork`),
/// which the threads without a job of their own run, and which the job's own thread runs while it waits for one.
///
/// `@unchecked Sendable`: every stored property is read and written with `condition` locked.
package final class WorkSharing: @unchecked Sendable {
    private let condition = NSCondition()
    private var queued: [(owner: ObjectIdentifier, run: @Sendable () -> Void)] = []
    private var jobsRunning: Int

    /// For a run of `jobs` jobs, each of which calls `jobEnded()` once.
    package init(jobs: Int) {
        jobsRunning = jobs
    }

    func jobEnded() {
        condition.withLock {
            jobsRunning -= 1
            condition.broadcast()
        }
    }

    /// Runs queued pieces, oldest first, until every job has ended.
    func help() {
        condition.lock()
        while true {
            if !queued.isEmpty {
                let piece = queued.removeFirst()
                condition.unlock()
                piece.run()
                condition.lock()
            } else if jobsRunning <= 0 {
                condition.unlock()
                return
            } else {
                condition.wait()
            }
        }
    }

    fileprivate func submit(owner: ObjectIdentifier, _ run: @escaping @Sendable () -> Void) {
        condition.withLock {
            queued.append((owner, run))
            condition.broadcast()
        }
    }

    /// Waits until `isDone()` (called with the lock held), running `owner`'s queued pieces, oldest first, meanwhile.
    fileprivate func wait(owner: ObjectIdentifier, until isDone: () -> Bool) {
        condition.lock()
        while !isDone() {
            if let index = queued.firstIndex(where: { $0.owner == owner }) {
                let piece = queued.remove(at: index)
                condition.unlock()
                piece.run()
                condition.lock()
            } else {
                condition.wait()
            }
        }
        condition.unlock()
    }

    fileprivate func withLock<R>(_ body: () -> R) -> R {
        condition.withLock(body)
    }

    /// Stores what a piece gave, with the lock held, and wakes the threads waiting.
    fileprivate func finished(_ store: () -> Void) {
        condition.withLock {
            store()
            condition.broadcast()
        }
    }

    fileprivate func discard(owner: ObjectIdentifier) {
        condition.withLock { queued.removeAll { $0.owner == owner } }
    }
}

/// Pieces of one job's work, run on the threads of a `WorkSharing` and taken back in the order they were handed out.
///
/// `@unchecked Sendable`: `results` is read and written only with the sharing's lock held.
final class OrderedWork<Result: Sendable>: @unchecked Sendable {
    private let sharing: WorkSharing
    private var results: [Int: Result] = [:]

    init(sharing: WorkSharing) {
        self.sharing = sharing
    }

    private var id: ObjectIdentifier { ObjectIdentifier(self) }

    /// Queues piece `index` (each index once).
    func submit(_ index: Int, _ work: @escaping @Sendable () -> Result) {
        sharing.submit(owner: id) { [self] in
            let result = work()
            sharing.finished { results[index] = result }
        }
    }

    /// Piece `index`'s result, once it is done (running this work's queued pieces meanwhile).
    func take(_ index: Int) -> Result {
        sharing.wait(owner: id) { results[index] != nil }
        return sharing.withLock { results.removeValue(forKey: index)! }
    }

    /// Drops the pieces no thread has started (the reading stopped early, on an error).
    func discardQueued() {
        sharing.discard(owner: id)
    }
}
