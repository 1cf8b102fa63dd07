#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Accepts connections on a listening socket from one dedicated thread and hands each
/// connected descriptor to `onAccept`.
///
/// The server accepts by hand instead of through NIO's `ServerBootstrap` because it needs each
/// connection's descriptor: graceful shutdown calls `shutdown(fd, SHUT_RD)` so that the kernel
/// refuses new bytes while the server still reads (and answers) everything already queued. NIO
/// does not expose a channel's descriptor, but adopts one with `withConnectedSocket`.
final class SocketAcceptor: @unchecked Sendable {
    private let listener: CInt
    private let logger: Logger
    private let onAccept: @Sendable (CInt) -> Void
    // wake[1] is written by `stop()` to end the poll; the thread owns nothing else.
    private var wake: [CInt] = [-1, -1]
    private var thread: pthread_t?

    /// Creates an acceptor; the listener is switched to non-blocking so that a connection that
    /// vanishes between `poll` and `accept` cannot block the thread.
    init(listener: CInt, logger: Logger, onAccept: @escaping @Sendable (CInt) -> Void) throws {
        self.listener = listener
        self.logger = logger
        self.onAccept = onAccept
        // A write to a peer that has gone must be an EPIPE error, never a fatal signal. NIO
        // ignores SIGPIPE process-wide when it creates its first socket; with NIO's server
        // channel gone that can be later than the first accept (a refused peer is closed
        // without NIO ever seeing it), so do it here as NIO would.
        _ = signal(SIGPIPE, SIG_IGN)
        let flags = fcntl(listener, F_GETFL)
        guard flags >= 0, fcntl(listener, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw SocketSetupError("cannot make the listening socket non-blocking: \(errnoText())")
        }
        guard pipe(&wake) == 0 else {
            throw SocketSetupError("cannot create the acceptor's wake-up pipe: \(errnoText())")
        }
        for fd in wake { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    }

    /// Starts the accept thread.
    func start() throws {
        let box = Unmanaged.passRetained(self)
        var t = pthread_t()
        let rc = pthread_create(&t, nil, { arg in
            let acceptor = Unmanaged<SocketAcceptor>.fromOpaque(arg!).takeRetainedValue()
            acceptor.loop()
            return nil
        }, box.toOpaque())
        guard rc == 0 else {
            box.release()
            throw SocketSetupError("cannot start the accept thread: \(String(cString: strerror(rc)))")
        }
        thread = t
    }

    /// Stops accepting (after taking the connections already queued) and waits for the thread;
    /// connections accepted before stay open.
    /// Call once, from outside the accept thread.
    func stop() {
        guard let t = thread else { return }
        thread = nil
        var b: UInt8 = 1
        _ = write(wake[1], &b, 1)
        pthread_join(t, nil)
        close(wake[0])
        close(wake[1])
    }

    private func loop() {
        var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0), pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let n = poll(&fds, 2, -1)
            if n < 0 {
                if errno == EINTR { continue }
                logger.error("accept loop stopped: poll failed", metadata: ["error": "\(errnoText())"])
                return
            }
            if fds[1].revents != 0 {
                // Connections already waiting in the listen queue reached the daemon before it
                // stopped accepting: take them too, so their requests are answered.
                acceptPending()
                return
            }
            acceptPending()
        }
    }

    private func acceptPending() {
        while true {
            // Glibc's module does not export accept4; NIO makes the descriptor non-blocking when
            // it adopts it, and exec-after-fork is not a concern in this process, but close-on-
            // exec keeps the rule that no client socket leaks into a child.
            let fd = accept(listener, nil, nil)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                onAccept(fd)
                continue
            }
            let err = errno
            switch err {
            case EINTR, ECONNABORTED:
                continue
            case EAGAIN, EWOULDBLOCK:
                return
            default:
                // Out of descriptors or memory: back off rather than spin on a listener that
                // stays readable.
                LogRateLimiter.shared.log(logger, .error, "accept failed", metadata: ["error": "\(String(cString: strerror(err)))"])
                usleep(10_000)
                return
            }
        }
    }
}
