import CLuaShim

/// Limits that every guarded Lua call runs under.
public struct LuaLimits: Sendable, Equatable {
    /// Bytes the whole Lua state may hold.
    public var memoryBytes: Int
    /// Lua VM instructions one guarded call (one rule on one profile) may run.
    public var instructionBudget: Int64

    public init(memoryBytes: Int = 64 << 20, instructionBudget: Int64 = 20_000_000) {
        self.memoryBytes = memoryBytes
        self.instructionBudget = instructionBudget
    }
}

/// Why a call into Lua did not give a result.
public struct LuaFailure: Error, CustomStringConvertible, Sendable {
    /// Which kind of failure: bad JSON input, a Lua error, or a limit.
    public enum Kind: Sendable { case malformedJSON, runtime, memory, budget }
    public var kind: Kind
    public var message: String
    /// For `.malformedJSON`, the same message in Polish ("wiersz L, kolumna C: …"); `message` is English.
    public var polishMessage: String? = nil
    public var description: String { message }

    /// The message in Polish when there is one and `polish` is asked for, else the English one.
    public func message(polish: Bool) -> String { polish ? polishMessage ?? message : message }
}

/// An argument of `LuaVM.call`: JSON text to decode into Lua values, or a plain string.
public enum LuaArgument {
    case json([UInt8])
    case string(String)
    case jsonBytes(UnsafeRawBufferPointer)
}

/// One sandboxed Lua state. Not thread-safe: use one per thread.
/// JSON goes in, JSON comes out; nothing else of Lua leaks out of this type.
public final class LuaVM {
    private let state: OpaquePointer
    private var out = kr_buf()
    public let limits: LuaLimits

    public init(limits: LuaLimits = LuaLimits()) throws {
        guard let s = kr_open(limits.memoryBytes, limits.instructionBudget) else {
            throw LuaFailure(kind: .memory, message: "cannot create a Lua state")
        }
        state = s
        self.limits = limits
        kr_buf_init(&out)
    }

    deinit {
        kr_close(state)
        kr_buf_free(&out)
    }

    /// Bytes the state holds now.
    public var memoryUsed: Int { kr_memory_used(state) }

    /// True once a rule hit the memory cap in this state: replace it before the next record.
    public var isTainted: Bool { kr_tainted(state) != 0 }

    /// Runs trusted source (the prelude) with the state's full library.
    public func runTrusted(_ source: String, chunkName: String) throws {
        var src = source
        let rc = src.withUTF8 { buf in
            kr_exec(state, UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self), buf.count, chunkName, &out)
        }
        if rc != 0 { throw failure(rc) }
    }

    private func failure(_ rc: Int32) -> LuaFailure {
        let msg = String(decoding: UnsafeRawBufferPointer(start: out.data, count: out.len), as: UTF8.self)
        let kind: LuaFailure.Kind
        switch Int(rc) {
        case Int(KR_EJSON): kind = .malformedJSON
        case Int(KR_EMEM): kind = .memory
        case Int(KR_EBUDGET): kind = .budget
        default: kind = .runtime
        }
        if kind == .malformedJSON, let sep = msg.firstIndex(of: "\u{1F}") {
            // the shim's two messages: English, KR_JSON_PL_SEP, Polish
            return LuaFailure(kind: kind, message: String(msg[..<sep]), polishMessage: String(msg[msg.index(after: sep)...]))
        }
        return LuaFailure(kind: kind, message: msg)
    }

    /// Calls `__kr[function]` with the arguments; `body` reads the JSON of its result
    /// (valid only during the closure) and whether the function flagged it.
    public func call<R>(_ function: String, _ arguments: [LuaArgument],
                        _ body: (UnsafeRawBufferPointer, Bool) throws -> R) throws -> R {
        var raw = [kr_arg](repeating: kr_arg(), count: arguments.count)
        let rc: Int32 = try pin(arguments, 0, &raw) { args in
            kr_call(state, function, args.baseAddress, Int32(args.count), &out)
        }
        if rc != KR_OK && rc != KR_FLAGGED { throw failure(rc) }
        return try body(UnsafeRawBufferPointer(start: out.data, count: out.len), rc == KR_FLAGGED)
    }

    /// Calls `__kr[function]` and returns its result as bytes.
    public func call(_ function: String, _ arguments: [LuaArgument]) throws -> (json: [UInt8], flagged: Bool) {
        try call(function, arguments) { (Array($0), $1) }
    }

    /// The fastest path: two JSON arguments given as raw buffers, no array allocation. With
    /// `profile`, the first is a profile (the reader applies its kind's schema while it reads it)
    /// and the second are options, decoded once while the same bytes come again; `line`, when
    /// given, follows them as a third argument (a batch's record line, kept out of the options).
    public func call2<R>(_ function: String, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, profile: Bool = false,
                         line: Int? = nil, _ body: (UnsafeRawBufferPointer, Bool) throws -> R) throws -> R {
        let first = Int32(profile ? KR_ARG_PROFILE : KR_ARG_JSON)
        let second = Int32(profile ? KR_ARG_OPTIONS : KR_ARG_JSON)
        // the line as JSON (digits), on the stack: no allocation
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let rc = withUnsafeMutableBytes(of: &digits) { d -> Int32 in
            var start = d.count   // written from the end: at most 20 bytes
            if let line {
                var v = line.magnitude
                repeat { start -= 1; d[start] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10 } while v > 0
                if line < 0 { start -= 1; d[start] = UInt8(ascii: "-") }
            }
            var args = (kr_arg(data: a.baseAddress?.assumingMemoryBound(to: CChar.self), len: a.count, is_json: first),
                        kr_arg(data: b.baseAddress?.assumingMemoryBound(to: CChar.self), len: b.count, is_json: second),
                        kr_arg(data: (d.baseAddress! + start).assumingMemoryBound(to: CChar.self), len: d.count - start,
                               is_json: Int32(KR_ARG_JSON)))
            return withUnsafePointer(to: &args) { p in
                p.withMemoryRebound(to: kr_arg.self, capacity: 3) { kr_call(state, function, $0, line == nil ? 2 : 3, &out) }
            }
        }
        if rc != KR_OK && rc != KR_FLAGGED { throw failure(rc) }
        return try body(UnsafeRawBufferPointer(start: out.data, count: out.len), rc == KR_FLAGGED)
    }

    private func pin(_ args: [LuaArgument], _ i: Int, _ raw: inout [kr_arg],
                     _ go: (UnsafeBufferPointer<kr_arg>) -> Int32) throws -> Int32 {
        if i == args.count {
            return raw.withUnsafeBufferPointer { go($0) }
        }
        func set(_ p: UnsafeRawBufferPointer, json: Bool, _ raw: inout [kr_arg]) -> Int32 {
            // an empty buffer may have no base address: give C a valid pointer
            let base = p.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            raw[i] = kr_arg(data: base.assumingMemoryBound(to: CChar.self), len: p.count, is_json: Int32(json ? KR_ARG_JSON : KR_ARG_STRING))
            return (try? pin(args, i + 1, &raw, go)) ?? Int32(KR_ERUN)
        }
        switch args[i] {
        case .json(let bytes):
            return bytes.withUnsafeBytes { set($0, json: true, &raw) }
        case .jsonBytes(let p):
            return set(p, json: true, &raw)
        case .string(let s):
            var s = s
            return s.withUTF8 { set(UnsafeRawBufferPointer($0), json: false, &raw) }
        }
    }
}
