import GRPCTestTransport
import NIOCore
import NIOPosix
import Testing

/// The executor the live tests' servers and the benchmark's gRPC client prefer: jobs run on the
/// group's loops, and a task woken from a loop goes on on that same loop instead of hopping to
/// another thread.
struct EventLoopTaskExecutorTests {
    @Test func tasksPreferringIt_runOnTheGroupsLoops_childTasksToo() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Set(group.makeIterator().map { ObjectIdentifier($0) })
        let (parent, children) = await withTaskExecutorPreference(EventLoopTaskExecutor(group: group)) {
            await Task.yield()
            let parent = MultiThreadedEventLoopGroup.currentEventLoop.map { ObjectIdentifier($0) }
            let children = await withTaskGroup(of: ObjectIdentifier?.self) { tasks in
                for _ in 0..<4 { tasks.addTask { MultiThreadedEventLoopGroup.currentEventLoop.map { ObjectIdentifier($0) } } }
                return await tasks.reduce(into: [ObjectIdentifier?]()) { $0.append($1) }
            }
            return (parent, children)
        }
        #expect(parent.map(loops.contains) == true)
        #expect(children.count == 4)
        #expect(children.allSatisfy { $0.map(loops.contains) == true })
        try await group.shutdownGracefully()
    }

    @Test func aTaskWokenByALoop_goesOnOnThatLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let executor = EventLoopTaskExecutor(group: group)
        for loop in group.makeIterator() {
            let resumedOn = try await withTaskExecutorPreference(executor) {
                // The future completes on `loop`, whose thread then resumes this task.
                try await loop.submit {}.get()
                return MultiThreadedEventLoopGroup.currentEventLoop.map { ObjectIdentifier($0) }
            }
            #expect(resumedOn == ObjectIdentifier(loop))
        }
        try await group.shutdownGracefully()
    }
}
