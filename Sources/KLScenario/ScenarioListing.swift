import Foundation

/// One scenario file as the file picker shows it: where it is, its title and the first line of
/// its notes, or why it cannot be opened.
public struct ScenarioListing: Sendable, Equatable {
    /// The file.
    public var url: URL
    /// The scenario's title, or the file name when it has none or fails to load.
    public var title: String
    /// The first non-empty line of the notes, trimmed; empty when there are none.
    public var firstNoteLine: String
    /// Whether this entry is a guided tour rather than a plain scenario file (never for `list`).
    public var isTour: Bool
    /// Why the file cannot be opened; nil when it loads.
    public var loadError: ScenarioError?

    /// Creates a listing entry.
    public init(url: URL, title: String, firstNoteLine: String, isTour: Bool = false, loadError: ScenarioError? = nil) {
        self.url = url
        self.title = title
        self.firstNoteLine = firstNoteLine
        self.isTour = isTour
        self.loadError = loadError
    }

    /// Loads the file at `url` to describe it.
    init(loading url: URL) {
        do {
            let scenario = try ScenarioLoader.load(contentsOf: url)
            let firstLine = scenario.notes.split(whereSeparator: \.isNewline)
                .lazy.map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
            self.init(url: url, title: scenario.title, firstNoteLine: firstLine ?? "")
        } catch {
            self.init(url: url, title: ScenarioLoader.defaultTitle(url.lastPathComponent), firstNoteLine: "", loadError: error)
        }
    }
}
