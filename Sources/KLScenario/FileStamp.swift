import Foundation

/// What a file held when it was read, so the UI can tell whether it changed on disk since:
/// compare `FileStamp.of(url)` now with the stamp taken when the file was opened.
///
/// Two stamps are equal when the file has the same size and content hash; touching a file
/// without changing its bytes does not count as a change.
public struct FileStamp: Equatable, Sendable {
    /// The size in bytes.
    public let size: Int
    /// The 64-bit FNV-1a hash of the content.
    public let contentHash: UInt64

    public init(size: Int, contentHash: UInt64) {
        self.size = size
        self.contentHash = contentHash
    }

    /// The stamp of the file at `url` now, or nil when it cannot be read (missing, a folder, no permission).
    public static func of(_ url: URL) -> FileStamp? {
        guard let bytes = try? FileSystem.readBytes(atPath: url.path) else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return FileStamp(size: bytes.count, contentHash: hash)
    }
}
