import Foundation
import KryteriaBatch

/// Hands bytes from async code (an HTTP request body) to a blocking reader thread (the
/// batch pipeline's reader), with a bounded number of buffers in between: the producer
/// waits while the reader is behind, so memory stays flat for any size of body.
final class AsyncToBlockingBytes: ByteStream, @unchecked Sendable {
    private let cond = NSCondition()
    private var items: [[UInt8]] = []
    private var current: [UInt8] = []
    private var offset = 0
    private var closed = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private let limit: Int

    init(limit: Int = 8) { self.limit = limit }

    /// Adds a buffer; suspends while `limit` buffers are waiting to be read. False once closed (the
    /// reader gave up or the input ended): the caller stops sending.
    @discardableResult
    func push(_ bytes: [UInt8]) async -> Bool {
        while true {
            let state: Int = cond.withLock {   // 0 added, 1 full, 2 closed
                if closed { return 2 }
                if items.count < limit {
                    items.append(bytes)
                    cond.signal()
                    return 0
                }
                return 1
            }
            if state != 1 { return state == 0 }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                cond.lock()
                if items.count < limit || closed {
                    cond.unlock()
                    c.resume()
                } else {
                    waiting.append(c)
                    cond.unlock()
                }
            }
        }
    }

    /// No more input (or the reader is to give up): read returns 0 once drained.
    func close() {
        cond.lock()
        closed = true
        let w = waiting
        waiting = []
        cond.broadcast()
        cond.unlock()
        for c in w { c.resume() }
    }

    func read(into: UnsafeMutableRawPointer, count: Int) throws -> Int {
        cond.lock()
        while offset == current.count {
            if !items.isEmpty {
                current = items.removeFirst()
                offset = 0
                let w = waiting
                waiting = []
                cond.unlock()
                for c in w { c.resume() }
                cond.lock()
                continue
            }
            if closed { cond.unlock(); return 0 }
            cond.wait()
        }
        let n = min(count, current.count - offset)
        current.withUnsafeBytes { p in into.copyMemory(from: p.baseAddress! + offset, byteCount: n) }
        offset += n
        cond.unlock()
        return n
    }
}

/// Hands bytes from a blocking writer thread (the batch pipeline's writer) to async code
/// (the HTTP response body), bounded: the writer thread waits while the client is slow.
final class BlockingToAsyncBytes: @unchecked Sendable {
    private let cond = NSCondition()
    private var items: [[UInt8]] = []
    private var finished = false
    private var cancelled = false
    private var reader: CheckedContinuation<[UInt8]?, Never>?
    private let limit: Int

    init(limit: Int = 8) { self.limit = limit }

    /// From the writer thread. Returns false when the consumer has gone away.
    func push(_ bytes: [UInt8]) -> Bool {
        cond.lock()
        while items.count >= limit && !cancelled { cond.wait() }
        if cancelled { cond.unlock(); return false }
        if let r = reader {
            reader = nil
            cond.unlock()
            r.resume(returning: bytes)
            return true
        }
        items.append(bytes)
        cond.unlock()
        return true
    }

    /// From the writer thread: nothing more will come.
    func finish() {
        cond.lock()
        finished = true
        let r = reader
        reader = nil
        cond.unlock()
        r?.resume(returning: nil)
    }

    /// From the consumer: it will read no more; the writer stops waiting.
    func cancel() {
        cond.lock()
        cancelled = true
        cond.broadcast()
        cond.unlock()
    }

    /// The next bytes; nil at the end.
    func next() async -> [UInt8]? {
        await withCheckedContinuation { (c: CheckedContinuation<[UInt8]?, Never>) in
            cond.lock()
            if !items.isEmpty {
                let x = items.removeFirst()
                cond.signal()
                cond.unlock()
                c.resume(returning: x)
            } else if finished {
                cond.unlock()
                c.resume(returning: nil)
            } else {
                reader = c
                cond.unlock()
            }
        }
    }
}
