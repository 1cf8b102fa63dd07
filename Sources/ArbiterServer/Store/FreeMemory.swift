/// Gives the heap's free pages back to the system. glibc keeps freed memory in the arena of the
/// thread that freed it; after a reload (the garbage of a load, the tables of the snapshot just
/// replaced) that is megabytes the daemon would otherwise keep resident until the next reload.
enum FreeMemory {
    /// `malloc_trim(0)`: a walk over the arenas, a few milliseconds, never on a decision's path.
    static func release() { _ = malloc_trim(0) }
}

/// glibc's `malloc_trim`, which the Glibc module does not export (`<malloc.h>` is not in it).
@_silgen_name("malloc_trim")
private func malloc_trim(_ pad: Int) -> Int32
