import NIOCore

/// A task executor that runs each job on an event loop of `group`: the loop whose thread
/// enqueues it when that thread is one of the group's (`EventLoopGroup.any()`), else the next.
///
/// Why: grpc-swift runs every stream of a call in tasks of its own, and each request part,
/// each response write and the stream's close pass between the connection's event loop and
/// those tasks. On the global executor every such pass wakes another thread (a futex wake and
/// a context switch, tens of microseconds each on a loaded machine). Preferring this executor
/// keeps a call's tasks on the thread of the loop that woke them, so a unary call runs on its
/// connection's loop from the request's read to the response's write, as the JSON-RPC socket's
/// requests do. The price is the same as there: a decision runs on the loop's thread.
public final class EventLoopTaskExecutor: TaskExecutor {
    private let group: any EventLoopGroup

    public init(group: any EventLoopGroup) {
        self.group = group
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        group.any().execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
