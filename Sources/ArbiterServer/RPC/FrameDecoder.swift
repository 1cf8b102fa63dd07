import NIOCore

/// What the frame decoder passes up the pipeline.
public enum FrameEvent: Sendable {
    /// One complete frame's payload (without the length prefix).
    case frame(ByteBuffer)
    /// A length of 0 or over the maximum: the stream cannot be trusted any more.
    case invalidLength(UInt32, maximum: Int)
    /// A frame was not complete within the timeout of its first byte's arrival.
    case timedOut(bufferedBytes: Int)
    /// The input ended (shutdown closed it, or the peer half-closed) and every complete frame
    /// received before has been passed up: answer them, then close.
    case drained
}

/// Splits the byte stream into length-prefixed frames: a 4-byte big-endian length N with
/// 1 ≤ N ≤ `maxFrameSize`, then N bytes. Each frame has an absolute deadline, `frameTimeout`
/// from the arrival of its first byte: bytes trickling in do not extend it, so a peer sending a
/// byte a second (slowloris) holds a connection's buffer for one timeout at most.
///
/// The deadline is a value checked by one timer, not a timer per frame: completing a frame
/// clears the deadline without cancelling the timer, and a timer that fires before the current
/// frame's deadline re-arms for it. A pipelining client whose reads often end inside a frame
/// therefore costs a clock read per such read instead of scheduling and cancelling a task
/// (a heap allocation, the loop's task lock and a heap removal) each time.
///
/// On `ChannelShouldQuiesceEvent` (graceful shutdown) it calls `shutdownInput`, which shuts the
/// socket's read side: the kernel refuses new bytes from then on, yet everything already queued
/// is still read, so every frame the peer managed to send is passed up; the end of input then
/// reports `.drained` (a trailing partial frame is dropped, the peer's write having failed).
/// Without `shutdownInput` (tests on an embedded channel) it lets the frame in progress finish.
public final class FrameDecoder: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = FrameEvent

    private let maxFrameSize: Int
    private let frameTimeout: TimeAmount
    private var buffer: ByteBuffer?
    private var broken = false
    private var quiescing = false
    private var awaitingEndOfInput = false
    private var timer: Scheduled<Void>?
    /// When the frame in progress times out; nil while no partial frame is buffered.
    private var deadline: NIODeadline?
    private let shutdownInput: (() -> Bool)?

    /// Creates a decoder; `frameTimeout` bounds how long a frame may take from its first byte to its last;
    /// `shutdownInput` shuts the read side of the socket and says whether that worked.
    public init(maxFrameSize: Int, frameTimeout: TimeAmount, shutdownInput: (() -> Bool)? = nil) {
        self.maxFrameSize = maxFrameSize
        self.frameTimeout = frameTimeout
        self.shutdownInput = shutdownInput
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !broken else { return }
        var incoming = unwrapInboundIn(data)
        if buffer == nil || buffer!.readableBytes == 0 {
            buffer = incoming
        } else {
            buffer!.writeBuffer(&incoming)
        }
        decodeFrames(context: context)
    }

    private func decodeFrames(context: ChannelHandlerContext) {
        while !broken, var buf = buffer, buf.readableBytes >= 4 {
            guard let length: UInt32 = buf.getInteger(at: buf.readerIndex, endianness: .big) else { break }
            if length == 0 || Int(length) > maxFrameSize {
                broken = true
                buffer = nil
                cancelTimer()
                context.fireChannelRead(wrapInboundOut(.invalidLength(length, maximum: maxFrameSize)))
                return
            }
            guard buf.readableBytes >= 4 + Int(length) else { break }
            buf.moveReaderIndex(forwardBy: 4)
            let frame = buf.readSlice(length: Int(length))!
            buffer = buf
            // This frame met its deadline; the next one gets its own from its first byte.
            deadline = nil
            context.fireChannelRead(wrapInboundOut(.frame(frame)))
        }
        if let buf = buffer, buf.readableBytes > 0 {
            if deadline == nil {
                let d = context.eventLoop.now + frameTimeout
                deadline = d
                if timer == nil { scheduleTimer(at: d, context: context) }
            }
        } else {
            // Dropping the consumed storage keeps idle connections from pinning large buffers.
            // A timer still armed finds no deadline when it fires and lapses.
            buffer = nil
            deadline = nil
            if quiescing && !awaitingEndOfInput { fireDrained(context: context) }
        }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            guard !quiescing else { return }
            quiescing = true
            if broken { return }
            if let shutdownInput, context.channel.isActive, shutdownInput() {
                // Queued bytes and then the end of input arrive through ordinary reads.
                awaitingEndOfInput = true
            } else if buffer == nil {
                fireDrained(context: context)
            }
            return
        }
        if case ChannelEvent.inputClosed = event {
            if !broken {
                cancelTimer()
                buffer = nil
                fireDrained(context: context)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    private func fireDrained(context: ChannelHandlerContext) {
        broken = true
        context.fireChannelRead(wrapInboundOut(.drained))
    }

    /// Arms the one timer for `at`. When it fires it times out the frame in progress if that
    /// frame's deadline has passed, re-arms for the deadline if a later frame is in progress,
    /// and lapses if none is.
    private func scheduleTimer(at: NIODeadline, context: ChannelHandlerContext) {
        timer?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: at) {
            let (decoder, context) = loopBound.value
            decoder.timer = nil
            guard !decoder.broken, let deadline = decoder.deadline else { return }
            guard deadline <= context.eventLoop.now else {
                decoder.scheduleTimer(at: deadline, context: context)
                return
            }
            decoder.broken = true
            decoder.deadline = nil
            let buffered = decoder.buffer?.readableBytes ?? 0
            decoder.buffer = nil
            context.fireChannelRead(decoder.wrapInboundOut(.timedOut(bufferedBytes: buffered)))
            context.fireChannelReadComplete()
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        deadline = nil
    }
}
