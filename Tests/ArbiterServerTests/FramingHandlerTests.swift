import ArbiterJSON
import ArbiterServer
import CEL
import NIOCore
import NIOEmbedded
import Testing

@Suite struct FramingHandlerTests {
    func makeChannel(maxFrameSize: Int = 1024, timeout: TimeAmount = .seconds(5),
                     shutdownInput: (() -> Bool)? = nil) throws -> (EmbeddedChannel, PolicyStore<[String]>) {
        let store = PolicyStore<[String]>()
        store.publish(["p.yaml"], policyCount: 1, record: ReloadRecord(
            time: Timestamp(seconds: 0), outcome: .success, diagnostics: [], durationMilliseconds: 0, trigger: "test"))
        let dispatcher = RPCDispatcher(service: FileListDecisions(), store: store,
                                       identity: ServerIdentity(version: "t", build: "t"), logger: testLogger)
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(FrameDecoder(maxFrameSize: maxFrameSize, frameTimeout: timeout,
                                                                               shutdownInput: shutdownInput))
        try channel.pipeline.syncOperations.addHandler(RPCHandler(dispatcher: dispatcher, logger: testLogger))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/tmp/x")).wait()
        return (channel, store)
    }

    func frame(_ payload: String) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(UInt32(payload.utf8.count), endianness: .big)
        b.writeString(payload)
        return b
    }

    func request(_ id: Int, principal: String = "p") -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"method":"CheckResources","params":{"principal":{"id":"\#(principal)"}}}"#
    }

    /// Reads every response frame written so far.
    func responses(_ channel: EmbeddedChannel) throws -> [String] {
        var out: [String] = []
        var all = ByteBuffer()
        while var b = try channel.readOutbound(as: ByteBuffer.self) { all.writeBuffer(&b) }
        while let length: UInt32 = all.readInteger(endianness: .big) {
            let text = all.readString(length: Int(length))
            out.append(try #require(text))
        }
        #expect(all.readableBytes == 0)
        return out
    }

    @Test func pipelinedFramesInOneRead_areAnsweredInOrder() throws {
        let (channel, _) = try makeChannel()
        var buf = ByteBuffer()
        for i in 1...5 { var f = frame(request(i, principal: "u\(i)")); buf.writeBuffer(&f) }
        try channel.writeInbound(buf)
        let r = try responses(channel)
        #expect(r.count == 5)
        for (i, text) in r.enumerated() {
            #expect(text.hasPrefix(#"{"jsonrpc":"2.0","id":\#(i + 1),"result":{"principal":"u\#(i + 1)""#), "\(text)")
        }
        #expect(channel.isActive)
    }

    @Test func frameSplitAcrossReads_isReassembled() throws {
        let (channel, _) = try makeChannel()
        var f = frame(request(9))
        while f.readableBytes > 0 {
            let piece = f.readSlice(length: min(3, f.readableBytes))!
            try channel.writeInbound(piece)
        }
        let r = try responses(channel)
        #expect(r.count == 1)
        #expect(r.first?.contains(#""id":9"#) == true)
    }

    @Test func malformedJSON_getsParseError_andConnectionStaysUsable() throws {
        let (channel, _) = try makeChannel()
        try channel.writeInbound(frame("{not json"))
        try channel.writeInbound(frame(request(2)))
        let r = try responses(channel)
        #expect(r.count == 2)
        #expect(r[0].contains(#""code":-32700"#))
        #expect(r[1].contains(#""id":2,"result""#))
        #expect(channel.isActive)
    }

    @Test(arguments: [UInt32(0), UInt32(1025), UInt32.max])
    func badLength_getsErrorResponse_andCloses(length: UInt32) throws {
        let (channel, _) = try makeChannel(maxFrameSize: 1024)
        var buf = ByteBuffer()
        buf.writeInteger(length, endianness: .big)
        buf.writeString("trailing garbage that must not be parsed")
        try channel.writeInbound(buf)
        channel.embeddedEventLoop.run()
        let r = try responses(channel)
        #expect(r.count == 1)
        #expect(r.first?.contains(#""code":-32600"#) == true)
        #expect(r.first?.contains(#""field":"frame.length""#) == true)
        #expect(!channel.isActive)
    }

    /// The deadline is per frame, not per byte: a peer trickling bytes (slowloris) is closed
    /// `frameTimeout` after the frame's first byte however steadily it sends.
    @Test func frameStillIncompleteAtItsDeadline_isTimedOut_evenWhileBytesKeepArriving() throws {
        let (channel, _) = try makeChannel(timeout: .seconds(2))
        var f = frame(request(1))
        try channel.writeInbound(f.readSlice(length: 10)!)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1900))
        #expect(channel.isActive)
        try channel.writeInbound(f.readSlice(length: 5)!)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        channel.embeddedEventLoop.run()
        let r = try responses(channel)
        #expect(r.count == 1)
        #expect(r.first?.contains("timed out") == true)
        #expect(!channel.isActive)
    }

    @Test func eachPipelinedFrame_getsItsOwnDeadline_fromItsFirstByte() throws {
        let (channel, _) = try makeChannel(timeout: .seconds(2))
        var first = frame(request(1))
        var second = frame(request(2))
        try channel.writeInbound(first.readSlice(length: 10)!)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1500))
        // The first frame completes and the second begins at 1500 ms: its deadline is 3500 ms.
        var burst = first
        burst.writeBytes(second.readBytes(length: 10)!)
        try channel.writeInbound(burst)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1500))
        #expect(channel.isActive, "the first frame's deadline must not carry over to the second")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(600))
        channel.embeddedEventLoop.run()
        let r = try responses(channel)
        #expect(r.count == 2)
        #expect(r.last?.contains("timed out") == true)
        #expect(!channel.isActive)
    }

    /// The timer armed for an earlier frame is not cancelled when that frame completes; a frame
    /// begun later must still get its whole timeout from its own first byte.
    @Test func frameBegunWhileAnEarlierFramesTimerIsArmed_getsItsWholeTimeout() throws {
        let (channel, _) = try makeChannel(timeout: .seconds(2))
        var first = frame(request(1))
        var second = frame(request(2))
        try channel.writeInbound(first.readSlice(length: 10)!)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(100))
        try channel.writeInbound(first)
        #expect(try responses(channel).count == 1)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1800))
        // 1900 ms: the second frame begins; its deadline is 3900 ms, past the first timer's 2000 ms.
        try channel.writeInbound(second.readSlice(length: 10)!)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1900))
        #expect(channel.isActive, "the second frame timed out before its own deadline")
        try channel.writeInbound(second)
        #expect(try responses(channel).count == 1)
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        #expect(channel.isActive)
    }

    @Test func idleConnectionWithoutPartialFrame_isNotTimedOut() throws {
        let (channel, _) = try makeChannel(timeout: .seconds(1))
        try channel.writeInbound(frame(request(1)))
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        #expect(try responses(channel).count == 1)
    }

    @Test func quiesce_betweenFrames_closesAfterAnsweringReceivedRequests() throws {
        let (channel, _) = try makeChannel()
        try channel.writeInbound(frame(request(1)))
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.embeddedEventLoop.run()
        #expect(try responses(channel).count == 1)
        #expect(!channel.isActive)
    }

    @Test func quiesce_midFrame_waitsForTheFrame_thenAnswersAndCloses() throws {
        let (channel, _) = try makeChannel()
        var f = frame(request(3))
        try channel.writeInbound(f.readSlice(length: 8)!)
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.embeddedEventLoop.run()
        #expect(channel.isActive)
        try channel.writeInbound(f)
        channel.embeddedEventLoop.run()
        let r = try responses(channel)
        #expect(r.count == 1)
        #expect(r.first?.contains(#""id":3,"result""#) == true)
        #expect(!channel.isActive)
    }

    /// With a real socket, quiesce shuts the read side; bytes the kernel had already queued keep
    /// arriving and are answered until the end of input, which closes the connection.
    @Test func quiesce_withInputShutdown_answersQueuedFrames_untilEndOfInput() throws {
        var shutdowns = 0
        let (channel, _) = try makeChannel(shutdownInput: { shutdowns += 1; return true })
        try channel.writeInbound(frame(request(1)))
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.embeddedEventLoop.run()
        #expect(shutdowns == 1)
        #expect(channel.isActive, "frames still queued in the kernel must be read first")
        try channel.writeInbound(frame(request(2)))
        try channel.writeInbound(frame(request(3)))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        channel.embeddedEventLoop.run()
        let r = try responses(channel)
        #expect(r.count == 3)
        #expect(r.last?.contains(#""id":3,"result""#) == true)
        #expect(!channel.isActive)
    }

    /// A frame cut off by the end of input is never answered (its sender's write failed), and
    /// the complete ones before it are.
    @Test func endOfInput_midFrame_answersCompleteFrames_dropsThePartialOne_andCloses() throws {
        let (channel, _) = try makeChannel(shutdownInput: { true })
        var partial = frame(request(5))
        var bytes = frame(request(4))
        bytes.writeBuffer(&partial)
        bytes.moveWriterIndex(to: bytes.writerIndex - 10)
        try channel.writeInbound(bytes)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        channel.embeddedEventLoop.run()
        let r = try responses(channel)
        #expect(r.count == 1)
        #expect(r.first?.contains(#""id":4,"result""#) == true)
        #expect(!channel.isActive)
    }

    /// The handler keeps its output buffer between read bursts: an answer already handed to the
    /// channel must not change when the next burst is answered, whether or not it was taken.
    @Test func successiveBursts_leaveEarlierAnswersIntact() throws {
        let (channel, _) = try makeChannel()
        try channel.writeInbound(frame(request(1, principal: "first")))
        let firstBuffer = try #require(try channel.readOutbound(as: ByteBuffer.self))
        try channel.writeInbound(frame(request(2, principal: "second-and-longer")))
        try channel.writeInbound(frame(request(3, principal: "third")))
        let rest = try responses(channel)
        var first = firstBuffer
        let length: UInt32? = first.readInteger(endianness: .big)
        let firstLength = try #require(length)
        let read = first.readString(length: Int(firstLength))
        let firstText = try #require(read)
        #expect(firstText.hasPrefix(#"{"jsonrpc":"2.0","id":1,"result":{"principal":"first""#), "\(firstText)")
        #expect(first.readableBytes == 0)
        #expect(rest.count == 2)
        #expect(rest.first?.hasPrefix(#"{"jsonrpc":"2.0","id":2,"result":{"principal":"second-and-longer""#) == true)
        #expect(rest.last?.hasPrefix(#"{"jsonrpc":"2.0","id":3,"result":{"principal":"third""#) == true)
        // With every earlier answer taken and dropped, the next burst may reuse the storage.
        try channel.writeInbound(frame(request(4, principal: "fourth")))
        let last = try responses(channel)
        #expect(last.count == 1)
        #expect(last.first?.hasPrefix(#"{"jsonrpc":"2.0","id":4,"result":{"principal":"fourth""#) == true)
    }
}

