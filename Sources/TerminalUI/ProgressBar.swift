/// A progress bar of whole cells: `done` of `total` filled (`█`, or `#` in ASCII), the rest
/// empty (`░`, or `.`).
public enum ProgressBar {
    /// The bar `width` cells wide; empty when `total` is 0.
    public static func text(done: Int, total: Int, width: Int, ascii: Bool) -> String {
        let width = max(0, width)
        let filled = total > 0 ? width * min(max(done, 0), total) / total : 0
        return String(repeating: ascii ? "#" : "█", count: filled) + String(repeating: ascii ? "." : "░", count: width - filled)
    }
}
