import Foundation
import KLMath

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
        case FileSystem.ownerNotKept: "its owner and group cannot be kept on the new file (permission denied); nothing was changed"
        case FileSystem.attributesNotKept: "its extended attributes cannot be kept on the new file; nothing was changed"
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
    /// `code` for a replacement that could not be given the original file's owner and group.
    static let ownerNotKept: Int32 = -1003
    /// `code` for a replacement that could not be given the original file's extended attributes.
    static let attributesNotKept: Int32 = -1004
    /// The most symbolic links followed from one path (as the kernel's `MAXSYMLINKS`).
    static let maxSymbolicLinks = 40

    /// The whole content of the regular file at `path`, read once into memory. Reading a folder
    /// fails with `EISDIR`; a device, pipe or socket with `FileSystem.notRegularFile` (checked
    /// before reading, and the file is opened without blocking, so a FIFO cannot hang); a file
    /// larger than `limit` bytes with `FileSystem.tooLarge` (checked before reading, and again
    /// while reading in case the file grows). With `prefix`, reading stops after that many bytes
    /// (the file's first `prefix` bytes, or all of it when shorter).
    static func readBytes(atPath path: String, limit: Int = Int.max, prefix: Int = Int.max) throws(FileSystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        try readChunks(atPath: path, limit: limit, chunkBytes: 1 << 16, sized: { bytes.reserveCapacity(min($0, prefix)) }) { chunk in
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk.prefix(prefix - bytes.count)))
            return bytes.count < prefix
        }
        return bytes
    }

    /// Reads the regular file at `path` (refused as `readBytes` refuses it) in chunks of at most
    /// `chunkBytes`, each given to `body` until it returns false or the file ends; `sized` is first
    /// told the file's size. Only one chunk is held at a time.
    static func readChunks(atPath path: String, limit: Int, chunkBytes: Int, sized: (Int) -> Void = { _ in },
                           _ body: (UnsafeBufferPointer<UInt8>) -> Bool) throws(FileSystemError) {
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
        sized(Int(status.st_size))
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkBytes)
        defer { chunk.deallocate() }
        var total = 0
        while true {
            let count = read(descriptor, chunk.baseAddress, chunkBytes)
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(code: errno)
            }
            total += count
            guard total <= limit else { throw FileSystemError(code: FileSystem.tooLarge) }
            guard body(UnsafeBufferPointer(rebasing: chunk[0..<count])) else { return }
        }
    }

    /// Replaces the file at `path` (or creates it) with `bytes`: writes a temporary file in the
    /// same folder, flushes it to disk and renames it over the target. On any failure the
    /// previous file is untouched and the temporary file is removed. A symbolic link is
    /// followed, so the file it points to is replaced (or, for a link to a missing file, created)
    /// and the link kept. An existing file's mode, owner, group and extended attributes are put on
    /// the replacement; when they cannot be (another user's file, and not root) nothing is
    /// written and the error says so.
    static func replaceAtomically(atPath path: String, with bytes: [UInt8]) throws(FileSystemError) {
        let target = try finalTarget(of: path)
        let directory = (target as NSString).deletingLastPathComponent
        let temporary = directory + "/." + (target as NSString).lastPathComponent + ".\(UInt32.random(in: .min ... .max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError(code: errno) }
        var existing = stat()
        var failure: Int32? = nil
        if stat(target, &existing) == 0 {
            failure = keepAttributes(of: target, existing, on: descriptor)
        }
        if failure == nil { failure = writeAll(bytes, to: descriptor) }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, target) != 0 { failure = errno }
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

    /// The path `path` ends at after following symbolic links, also when the last link points to
    /// a file that does not exist yet (which is then where to create it). Relative link targets
    /// are relative to the link's folder. `ELOOP` after `maxSymbolicLinks` links.
    static func finalTarget(of path: String) throws(FileSystemError) -> String {
        var current = URL(fileURLWithPath: path).standardizedFileURL.path
        for _ in 0..<maxSymbolicLinks {
            var status = stat()
            guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length >= 0 else { throw FileSystemError(code: errno) }
            let destination = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/") ? destination
                : URL(fileURLWithPath: (current as NSString).deletingLastPathComponent).appendingPathComponent(destination).standardizedFileURL.path
        }
        throw FileSystemError(code: ELOOP)
    }

    /// Gives the open replacement `descriptor` the mode, owner, group and extended attributes of
    /// the file at `path` (whose status is `existing`); the `errno`-like code of what could not be kept.
    private static func keepAttributes(of path: String, _ existing: stat, on descriptor: Int32) -> Int32? {
        var created = stat()
        guard fstat(descriptor, &created) == 0 else { return errno }
        if created.st_uid != existing.st_uid || created.st_gid != existing.st_gid,
           fchown(descriptor, existing.st_uid, existing.st_gid) != 0 {
            return errno == EPERM ? ownerNotKept : errno
        }
        // After chown, which may clear set-user-ID bits.
        if fchmod(descriptor, existing.st_mode & 0o7777) != 0 { return errno }
        #if canImport(Glibc)
        guard let xattr = ExtendedAttributes.calls else { return nil }
        let size = xattr.list(path, nil, 0)
        guard size > 0 else { return nil }  // none, or the file system has none
        var names = [CChar](repeating: 0, count: size)
        guard xattr.list(path, &names, size) == size else { return attributesNotKept }
        for name in names.split(separator: 0).map({ Array($0) + [0] }) {
            let length = xattr.get(path, name, nil, 0)
            guard length >= 0 else { return attributesNotKept }
            var value = [UInt8](repeating: 0, count: max(length, 1))
            guard xattr.get(path, name, &value, length) == length,
                  xattr.set(descriptor, name, value, length, 0) == 0
            else { return attributesNotKept }
        }
        #endif
        return nil
    }

    /// Writes every byte, retrying short writes and interruptions; returns the `errno` of a failure.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
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

#if canImport(Glibc)
/// glibc's extended-attribute calls (`listxattr`, `getxattr`, `fsetxattr`), which Swift's Glibc
/// module does not export, looked up in the C library at run time.
private struct ExtendedAttributes {
    typealias List = @convention(c) (UnsafePointer<CChar>, UnsafeMutablePointer<CChar>?, Int) -> Int
    typealias Get = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int
    typealias Store = @convention(c) (Int32, UnsafePointer<CChar>, UnsafeRawPointer, Int, Int32) -> Int32
    let list: List
    let get: Get
    let set: Store

    /// The calls, or nil when the C library lacks them.
    static let calls: ExtendedAttributes? = {
        let library = dlopen(nil, RTLD_NOW)
        guard let list = dlsym(library, "listxattr"), let get = dlsym(library, "getxattr"), let set = dlsym(library, "fsetxattr")
        else { return nil }
        return ExtendedAttributes(list: unsafeBitCast(list, to: List.self), get: unsafeBitCast(get, to: Get.self),
                                  set: unsafeBitCast(set, to: Store.self))
    }()
}
#endif
