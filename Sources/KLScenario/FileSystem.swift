#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A failed system call, kept as its `errno` so callers can word it for the user.
struct FileSystemError: Error {
    /// The `errno` the call failed with.
    let code: Int32

    /// The failure in plain words, e.g. "permission denied".
    var reason: String {
        switch code {
        case ENOENT: "no such file or folder"
        case ENOTDIR: "a part of the path is not a folder"
        case EISDIR: "it is a folder"
        case EACCES, EPERM: "permission denied"
        case ENOSPC: "the disk is full"
        case EFBIG: "the file is too large for the file-size limit (ulimit -f)"
        case EDQUOT: "the disk quota is exceeded"
        case EROFS: "the file system is read-only"
        case ENAMETOOLONG: "the name is too long"
        case FileSystem.notRegularFile: "it is not a regular file (a device, pipe or socket)"
        case FileSystem.tooLarge: "the file is too large"
        default:
            String(cString: strerror(code)).lowercased()
        }
    }
}

/// The few POSIX file operations scenarios need: whole-file reads, and writes that replace a
/// file atomically so that no reader ever sees it half-written.
enum FileSystem {
    /// `code` for a path that is not a regular file (a device, a pipe, a socket): reading one could
    /// block forever or never end (`/dev/zero`), so it is refused before any byte is read.
    static let notRegularFile: Int32 = -1001
    /// `code` for a file larger than the limit given to `readBytes`.
    static let tooLarge: Int32 = -1002

    /// The whole content of the regular file at `path`, read once into memory. Reading a folder
    /// fails with `EISDIR`; a device, pipe or socket with `FileSystem.notRegularFile` (checked
    /// before reading, and the file is opened without blocking, so a FIFO cannot hang); a file
    /// larger than `limit` bytes with `FileSystem.tooLarge` (checked before reading, and again
    /// while reading in case the file grows). With `prefix`, reading stops after that many bytes
    /// (the file's first `prefix` bytes, or all of it when shorter).
    static func readBytes(atPath path: String, limit: Int = Int.max, prefix: Int = Int.max) throws(FileSystemError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { throw FileSystemError(code: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileSystemError(code: errno) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw FileSystemError(code: EISDIR)
        default: throw FileSystemError(code: FileSystem.notRegularFile)
        }
        guard Int(status.st_size) <= limit else { throw FileSystemError(code: FileSystem.tooLarge) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(Int(status.st_size), prefix))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < prefix {
            let wanted = min(chunk.count, prefix - bytes.count)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(code: errno)
            }
            guard bytes.count + count <= limit else { throw FileSystemError(code: FileSystem.tooLarge) }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Replaces the file at `path` (or creates it) with `bytes`: writes a temporary file in the
    /// same folder, flushes it to disk and renames it over the target. On any failure the
    /// previous file is untouched and the temporary file is removed. A symbolic link is
    /// followed, so the file it points to is replaced and the link kept; an existing file's
    /// permissions are kept.
    static func replaceAtomically(atPath path: String, with bytes: [UInt8]) throws(FileSystemError) {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let directory = target.deletingLastPathComponent().path
        let temporary = directory + "/." + target.lastPathComponent + ".\(UInt32.random(in: .min ... .max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError(code: errno) }
        var existing = stat()
        var failure: Int32? = nil
        if stat(target.path, &existing) == 0, fchmod(descriptor, existing.st_mode & 0o7777) != 0 { failure = errno }
        if failure == nil { failure = writeAll(bytes, to: descriptor) }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, target.path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw FileSystemError(code: failure)
        }
        // Make the rename itself durable; the new file is complete either way.
        let folder = open(directory, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Writes every byte, retrying short writes and interruptions; returns the `errno` of a failure.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        bytes.withUnsafeBytes { buffer -> Int32? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
    }
}
