#if canImport(Glibc)
import Glibc
#endif

/// The floor: a minimal length-prefixed echo server over a Unix socket, one blocking thread per
/// connection. Each request frame is answered with the same bytes padded with JSON whitespace to
/// `responseSize`, so both directions carry the daemon's frame sizes.
final class EchoServer: @unchecked Sendable {
    let path: String
    let responseSize: Int
    private let listener: Int32
    private var acceptThread: pthread_t?

    init(path: String, responseSize: Int) throws {
        self.path = path
        self.responseSize = responseSize
        listener = try RawSocket.listen(path)
        let box = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { arg in
            let server = Unmanaged<EchoServer>.fromOpaque(arg!).takeRetainedValue()
            server.acceptLoop()
            return nil
        }, box.toOpaque())
        guard rc == 0 else { box.release(); throw BenchFailure("pthread_create failed") }
        pthread_detach(thread)
        acceptThread = thread
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let context = Unmanaged.passRetained(EchoConnection(fd: fd, responseSize: responseSize))
            var thread = pthread_t()
            if pthread_create(&thread, nil, { arg in
                let c = Unmanaged<EchoConnection>.fromOpaque(arg!).takeRetainedValue()
                c.serve()
                return nil
            }, context.toOpaque()) == 0 {
                pthread_detach(thread)
            } else {
                context.release()
                close(fd)
            }
        }
    }

    /// Stops accepting; open connections end when their clients close.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
    }
}

private final class EchoConnection {
    let fd: Int32
    let responseSize: Int
    init(fd: Int32, responseSize: Int) { self.fd = fd; self.responseSize = responseSize }

    func serve() {
        defer { close(fd) }
        var reader = FrameReader(fd: fd)
        var out: [UInt8] = []
        out.reserveCapacity(256 * 1024)
        do {
            while try reader.fill() {
                // Answer everything that arrived in this read with one write, as a server with
                // write coalescing would.
                while let payload = reader.nextBuffered() {
                    let size = max(payload.count, responseSize)
                    let n = UInt32(size)
                    out.append(contentsOf: [UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)])
                    out.append(contentsOf: payload)
                    if size > payload.count { out.append(contentsOf: repeatElement(32, count: size - payload.count)) }
                }
                if !out.isEmpty {
                    try RawSocket.writeAll(fd, out)
                    out.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            return
        }
    }
}
