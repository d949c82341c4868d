import Foundation

/// Checks and writes the YAML an importer produced.
public enum ImportedScenario {
    /// Checks that `yaml` loads as a scenario, then writes it to `path` atomically (a temporary
    /// file renamed over the target), so a failed import leaves no half-written file.
    public static func write(_ yaml: String, to path: String) throws(ScenarioError) {
        try check(yaml, fileName: path)
        do {
            try FileSystem.replaceAtomically(atPath: path, with: Array(yaml.utf8))
        } catch {
            throw ScenarioError(file: path, message: "cannot write: \(error.reason)")
        }
    }

    /// Loads `yaml`, so that an importer never hands out a scenario klscope would refuse.
    public static func check(_ yaml: String, fileName: String) throws(ScenarioError) {
        do {
            _ = try ScenarioLoader.parse(yaml, fileName: fileName)
        } catch {
            let field = error.field.isEmpty ? "" : error.field + ": "
            throw ScenarioError(file: fileName, message: "the imported scenario is not valid: \(field)\(error.message)")
        }
    }
}
