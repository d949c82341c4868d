import Foundation
import KLMath

/// Writes scenarios as YAML that `ScenarioLoader` reads back to an equal `Scenario`.
///
/// Numbers are written in their shortest round-tripping form. A reference is written as
/// `probs` when every probability has a short decimal (at most 12 significant digits) whose
/// logarithm is exactly the stored log-probability, as when it was loaded from `probs`;
/// otherwise as `logprobs`, with `-.inf` for zeros.
public enum ScenarioWriter {
    /// The most significant digits a probability may need to be written as `probs`.
    static let probabilityDigits = 12

    /// The scenario as YAML text.
    public static func yaml(_ scenario: Scenario) -> String {
        var text = "title: \(ScalarText.string(scenario.title))\n"
        if !scenario.notes.isEmpty {
            text += "notes: " + (ScalarText.literalBlock(scenario.notes, indent: 2) ?? ScalarText.doubleQuoted(scenario.notes) + "\n")
        }
        text += "beta: \(ScalarText.number(scenario.beta))\n"
        if scenario.normalize { text += "normalize: true\n" }
        text += "responses: " + flowList(scenario.responses.map(ScalarText.string)) + "\n"
        text += "rewards: " + flowList(scenario.rewards.map(ScalarText.number)) + "\n"
        text += scenario.references.isEmpty ? "references: []\n" : "references:\n"
        for reference in scenario.references {
            text += "  - name: \(ScalarText.string(reference.name))\n"
            text += "    weight: \(ScalarText.number(reference.weight))\n"
            if let probabilities = probabilityTexts(reference.logProbabilities) {
                text += "    probs: " + flowList(probabilities) + "\n"
            } else {
                text += "    logprobs: " + flowList(reference.logProbabilities.map(ScalarText.number)) + "\n"
            }
        }
        return text
    }

    /// Saves the scenario to `url` atomically: a temporary file in the same folder is written,
    /// flushed to disk and renamed over the target, so the file is never half-written and on any
    /// error the previous file is intact. A scenario that would not load back (for example
    /// probabilities that no longer sum to 1) is refused before anything is written.
    ///
    /// When `url` already holds this scenario's file, only the edited values are rewritten, in place
    /// (`ScenarioPatcher`): comments, key order, quoting, number formatting and data files named
    /// in it stay, and a value that lives in a data file is written into that file (atomically,
    /// before the scenario). A new file, or one holding another scenario, is written whole by `yaml`.
    /// Errors carry `url.path`, line 0, and say what happened, e.g. "cannot save: permission denied".
    public static func save(_ scenario: Scenario, to url: URL) throws(ScenarioError) {
        let text = yaml(scenario)
        do {
            _ = try ScenarioLoader.parse(text, fileName: url.path)
        } catch {
            let field = error.field.isEmpty ? "" : error.field + ": "
            throw ScenarioError(file: url.path, message: "cannot save: the scenario is not valid: \(field)\(error.message)")
        }
        var patch = ScenarioPatcher.Patch(text: text, dataFiles: [])
        if let bytes = try? FileSystem.readBytes(atPath: url.path, limit: ScenarioLimits.maxFileBytes),
           let existing = String(validating: bytes, as: UTF8.self),
           let patched = try ScenarioPatcher.patch(existing, fileName: url.path, baseDirectory: url.deletingLastPathComponent(), to: scenario) {
            patch = patched
        }
        for (path, bytes) in patch.dataFiles {
            do {
                try FileSystem.replaceAtomically(atPath: path, with: bytes)
            } catch {
                throw ScenarioError(file: path, message: "cannot save: \(error.reason)")
            }
        }
        guard let patchedText = patch.text else { return }
        do {
            try FileSystem.replaceAtomically(atPath: url.path, with: Array(patchedText.utf8))
        } catch {
            throw ScenarioError(file: url.path, message: "cannot save: \(error.reason)")
        }
    }

    /// `[a, b, c]`.
    private static func flowList(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    /// The probabilities as short decimals that load back to exactly these log-probabilities,
    /// or nil when one of them has none.
    static func probabilityTexts(_ logProbabilities: [Double]) -> [String]? {
        var texts: [String] = []
        texts.reserveCapacity(logProbabilities.count)
        for logProbability in logProbabilities {
            guard let text = probabilityText(logProbability) else { return nil }
            texts.append(text)
        }
        return texts
    }

    /// The shortest decimal `p` with at most `probabilityDigits` significant digits and
    /// `log(p) == logProbability` exactly (`0` for `-∞`), or nil when there is none.
    private static func probabilityText(_ logProbability: Double) -> String? {
        if logProbability == -.infinity { return "0" }
        let probability = exp(logProbability)
        guard probability > 0, probability.isFinite else { return nil }
        for digits in 1...probabilityDigits {
            if let rounded = Double(String(format: "%.\(digits - 1)e", probability)), log(rounded) == logProbability {
                return "\(rounded)"
            }
        }
        return nil
    }
}
