public import NIOCore

/// A task executor that runs each job on an event loop of `group`: the loop whose thread
/// enqueues it when that thread is one of the group's (`EventLoopGroup.any()`), else the next.
///
/// Test and benchmark code only (the daemon answers gRPC calls on its loops without tasks). The
/// live tests start their server's task on it: other suites of the test process hold Swift
/// concurrency's few cooperative threads for seconds at a time, and a server whose first job
/// waited behind them would accept its client's connection too late. The benchmark runs
/// `GRPCClient`'s tasks on it, so that a call's tasks stay on the thread of the loop that woke
/// them instead of waking another thread for every response part.
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
