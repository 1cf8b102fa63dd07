// FuzzRPC: the daemon's connection pipeline, FrameDecoder then RPCHandler (JSON-RPC envelope,
// dispatch, CheckResources decoding and decisions), on an EmbeddedChannel, against the policy
// set of Cerbos's conformance store compiled as `arbiter serve` compiles it.
//
// The input's first byte is how the rest arrives: 0 in one read, n > 0 in reads of n bytes
// (frames split and coalesced anywhere). The rest is the byte stream a client sends: 4-byte
// big-endian lengths and JSON-RPC payloads. After the stream the clock runs past the frame
// timeout, so a trailing partial frame takes the timeout path.
//
// Invariants beyond "does not crash": the output is a sequence of whole frames, each a JSON
// object with `"jsonrpc":"2.0"`, an `id` and exactly one of `result` and `error`; there are no
// more responses than request frames plus one (the error that closes a broken stream).
import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import ArbiterServer
import CEL
import FuzzSupport
import Logging
import NIOCore
import NIOEmbedded

let conformance = environment("ARBITER_CONFORMANCE_DIR", default: "../shared/conformance")
let policies = environment("ARBITER_FUZZ_POLICIES", default: conformance + "/cerbos/store")
let maxFrameSize = 1 << 16

let engine: Engine = {
    let load = PolicyLoader.load(directory: policies)
    let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
    guard let set = compiled.policySet else {
        fatalError("FuzzRPC: the policies in \(policies) do not compile: \(compiled.diagnostics.prefix(3))")
    }
    return Engine(policySet: set)
}()

let store: PolicyStore<Engine> = {
    let store = PolicyStore<Engine>()
    _ = store.publish(engine, policyCount: 1, record: ReloadRecord(
        time: Timestamp(seconds: 0), outcome: .success, diagnostics: [], durationMilliseconds: 0, trigger: "fuzz"))
    return store
}()

let logger: Logger = {
    var l = Logger(label: "arbiter.fuzz")
    l.logLevel = .critical
    return l
}()

let dispatcher = RPCDispatcher(service: EngineDecisionService(), store: store,
                               identity: ServerIdentity(version: "fuzz", build: "fuzz"), logger: logger)

/// How many complete frames of a valid length the stream holds, and whether it breaks on a bad length.
func requestFrames(_ stream: UnsafeRawBufferPointer) -> (complete: Int, broken: Bool) {
    var offset = 0
    var complete = 0
    while stream.count - offset >= 4 {
        let length = stream[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        if length == 0 || length > maxFrameSize { return (complete, true) }
        guard stream.count - offset - 4 >= length else { break }
        offset += 4 + length
        complete += 1
    }
    return (complete, false)
}

func checkResponse(_ payload: [UInt8]) {
    let value: Value
    do {
        value = try JSONReader.parse(payload)
    } catch {
        fuzzInvariant(false, "a response is not JSON (\(error)): \(String(decoding: payload, as: UTF8.self))")
        return
    }
    guard case let .map(m) = value else {
        fuzzInvariant(false, "a response is not an object: \(value)")
        return
    }
    fuzzInvariant(m[string: "jsonrpc"] == .string("2.0"), "a response without jsonrpc 2.0: \(value)")
    fuzzInvariant(m[string: "id"] != nil, "a response without id: \(value)")
    fuzzInvariant((m[string: "result"] != nil) != (m[string: "error"] != nil), "a response needs one of result and error: \(value)")
}

func run(_ input: UnsafeRawBufferPointer) throws {
    guard let chunking = input.first else { return }
    let stream = UnsafeRawBufferPointer(rebasing: input.dropFirst())
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(FrameDecoder(maxFrameSize: maxFrameSize, frameTimeout: .seconds(10)))
    try channel.pipeline.syncOperations.addHandler(RPCHandler(dispatcher: dispatcher, logger: logger))
    try channel.connect(to: SocketAddress(unixDomainSocketPath: "/tmp/arbiter-fuzz.sock")).wait()
    let step = chunking == 0 ? max(stream.count, 1) : Int(chunking)
    var offset = 0
    while offset < stream.count, channel.isActive {
        let end = min(offset + step, stream.count)
        var buffer = channel.allocator.buffer(capacity: end - offset)
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: stream[offset..<end]))
        try channel.writeInbound(buffer)
        offset = end
    }
    channel.embeddedEventLoop.advanceTime(by: .seconds(11))
    var output = ByteBuffer()
    while var b = try channel.readOutbound(as: ByteBuffer.self) { output.writeBuffer(&b) }
    _ = try? channel.finish(acceptAlreadyClosed: true)

    var responses = 0
    while let length: UInt32 = output.readInteger(endianness: .big) {
        guard let payload = output.readBytes(length: Int(length)) else {
            fuzzInvariant(false, "a truncated response frame (length \(length), \(output.readableBytes) bytes left)")
            return
        }
        checkResponse(payload)
        responses += 1
    }
    fuzzInvariant(output.readableBytes == 0, "\(output.readableBytes) stray bytes after the last response frame")
    let (complete, broken) = requestFrames(stream)
    fuzzInvariant(responses <= complete + 1, "\(responses) responses to \(complete) request frames (broken stream: \(broken))")
}

runFuzzer { input in
    do {
        try run(input)
    } catch {
        fuzzInvariant(false, "the embedded channel failed: \(error)")
    }
}
