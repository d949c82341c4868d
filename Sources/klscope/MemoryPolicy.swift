import CLibc

/// How the process asks glibc's allocator for memory. Arrays of a vocabulary's size (a megabyte
/// per array of 150,000 doubles) are allocated and freed on every re-solve, from several threads.
///
/// By default glibc gives large arrays mappings of their own, which the kernel zeroes page by
/// page on first touch: at vocabulary scale that was a third of a β key's time. Here arrays up
/// to 32 MiB (4 million doubles) come from the heap, one arena shared by all threads, so that a
/// re-solve fills the memory the previous solution just freed instead of holding several
/// solutions' worth in per-thread arenas; up to 512 MiB of free memory at the top of the heap is
/// kept for the next solve rather than returned and faulted in again (a solve at 10^6 responses
/// and 4 references allocates about 120 MB: with glibc's default of 128 KiB a frame took 40%
/// longer, and with 64 MiB kept a full solve still took a quarter longer). Peak memory stays that
/// of one solution being replaced (`klscope bench vocab` measures it). The price is paid once, when a file is
/// loaded: a large CSV loads about a third slower and peaks a few megabytes higher
/// (`klscope bench load`).
enum MemoryPolicy {
    /// Arrays of this many bytes or more get their own mapping (glibc's largest allowed threshold).
    static let mappingThreshold: Int32 = 32 << 20
    /// Free memory at the top of the heap beyond this is returned to the system.
    static let trimThreshold: Int32 = 512 << 20
    /// One arena for every thread.
    static let arenas: Int32 = 1

    /// Applies the policy; call once, first thing.
    static func apply() {
        _ = klscope_configure_allocator(mappingThreshold, trimThreshold, arenas)
    }
}
