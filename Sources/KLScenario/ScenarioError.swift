import TerminalUI
/// Why a scenario file could not be read, or a scenario could not be saved, located as
/// precisely as possible.
///
/// `description` reads like a compiler diagnostic, for example
/// `examples/x.yaml:12:18: references[1].probs[3]: negative probability -0.2`.
/// Parts that are unknown are left out: `line` is 0 when the error concerns the whole file
/// (it does not exist, cannot be written, …), and `field` is empty when no single field is
/// to blame (a YAML syntax error).
public struct ScenarioError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file as the user named it (the `fileName` given to `parse`, or the URL's path).
    public var file: String
    /// 1-based line, or 0 when the error is not about one place in the file.
    public var line: Int
    /// 1-based column counted in Unicode scalars, or 0 together with `line`.
    public var column: Int
    /// The path of the offending value, e.g. `references[1].probs[3]`; empty when none applies.
    public var field: String
    /// What is wrong, in words.
    public var message: String

    /// Creates an error; pass `line: 0, column: 0` when no place in the file applies.
    public init(file: String, line: Int = 0, column: Int = 0, field: String = "", message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `file:line:column: field: message`, leaving out the parts that are unknown, on one line:
    /// control characters (from a file name, a key or a value quoted in the message) are shown
    /// escaped by `VisibleText.escaped`.
    public var description: String {
        VisibleText.escaped(rawDescription)
    }

    /// `description` before its control characters are escaped.
    private var rawDescription: String {
        var text = file
        if line > 0 { text += ":\(line):\(column)" }
        if !text.isEmpty { text += ": " }
        if !field.isEmpty { text += field + ": " }
        return text + message
    }
}
