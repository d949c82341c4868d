import CLibc

/// How the process asks glibc's allocator for memory. Arrays of a vocabulary's size (a megabyte
/// per array of 150,000 doubles) are allocated and freed on every re-solve, from several threads.
/// glibc raises its mmap threshold after such a free, so later arrays come from per-thread heaps
/// that keep freed memory; the process then holds several solves' worth. A fixed threshold keeps
/// every large array in its own mapping, returned to the system when freed.
enum MemoryPolicy {
    /// Arrays of this many bytes or more get their own mapping.
    static let mappingThreshold: Int32 = 256 << 10

    /// Applies the policy; call once, first thing.
    static func apply() {
        _ = klscope_set_mmap_threshold(mappingThreshold)
    }
}
