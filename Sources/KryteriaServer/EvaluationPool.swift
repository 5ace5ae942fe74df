import Foundation

/// A fixed set of threads that run evaluations, off the event loop, with a bounded queue.
/// Each job borrows a Lua state from the engine's pool for its duration.
final class EvaluationPool: @unchecked Sendable {
    private let cond = NSCondition()
    private var jobs: [() -> Void] = []
    private var head = 0
    private let capacity: Int
    let threads: Int

    init(threads: Int, capacity: Int) {
        self.threads = threads
        self.capacity = capacity
        for i in 0..<threads {
            let t = Thread { [unowned self] in self.loop() }
            t.name = "kryteria-eval-\(i)"
            t.stackSize = 4 << 20
            t.start()
        }
    }

    private func loop() {
        while true {
            cond.lock()
            while head == jobs.count { cond.wait() }
            let job = jobs[head]
            head += 1
            if head > 256 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            cond.unlock()
            job()
        }
    }

    /// Queues a job; false when the queue is full.
    private func submit(_ job: @escaping () -> Void) -> Bool {
        cond.lock()
        defer { cond.unlock() }
        if jobs.count - head >= capacity { return false }
        jobs.append(job)
        cond.signal()
        return true
    }

    struct Busy: Error {}

    /// Runs `body` on a pool thread and returns its result; throws `Busy` when the queue is full.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            let ok = submit {
                do { c.resume(returning: try body()) } catch { c.resume(throwing: error) }
            }
            if !ok { c.resume(throwing: Busy()) }
        }
    }
}
