#if canImport(Glibc)
import Glibc
#endif

/// SIGHUP delivery through a self-pipe. The handler only `write`s one byte (async-signal-safe);
/// the policy watcher polls the read end next to its inotify descriptor.
///
/// Installation is synchronous, so the daemon can guarantee the handler exists before it sends
/// its first `READY=1` (systemd 262 fails `Type=notify-reload` services that die on SIGHUP).
public enum HangupSignal {
    private nonisolated(unsafe) static var readFD: CInt = -1
    private nonisolated(unsafe) static var installed = false

    /// Installs the handler once per process and returns the descriptor that becomes readable
    /// on every SIGHUP. Must be called before any thread could race on it (daemon start-up).
    public static func install() throws -> CInt {
        if installed { return readFD }
        var fds: [CInt] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SocketSetupError("cannot create the SIGHUP pipe: \(errnoText())") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        hangupWriteFD = fds[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = write(hangupWriteFD, &byte, 1)
        }
        action.sa_flags = CInt(SA_RESTART)
        sigemptyset(&action.sa_mask)
        guard sigaction(SIGHUP, &action, nil) == 0 else {
            throw SocketSetupError("cannot install the SIGHUP handler: \(errnoText())")
        }
        readFD = fds[0]
        installed = true
        return readFD
    }
}

/// The pipe's write end, read by the C signal handler (which cannot capture context).
private nonisolated(unsafe) var hangupWriteFD: CInt = -1
