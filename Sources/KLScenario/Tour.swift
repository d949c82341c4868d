import Foundation
import Yams

/// A guided tour for teaching: a list of steps, each changing the scenario or the view and
/// showing a caption. This is the file as written; the explorer applies the steps in order
/// (`TourPlayer` in Explorer), so names of responses, references and series are checked there,
/// with the places recorded here.
///
/// ```yaml
/// title: Reverse versus forward KL
/// scenario: ../partial-overlap.yaml     # where the tour starts (relative to this file)
/// steps:
///   - caption: Both references, β = 0.5.
///   - beta: 2
///     caption: A larger β pulls every optimum towards its reference.
///   - weights: [0.5, 0.5]
///   - rewards: {fix: 2}                 # response label: new reward
///   - probabilities: {code: {fix: 0}}   # reference: {response: probability}; the rest renormalises
///   - show: [RKL*, FKL*]                # the series drawn ("all" for every one)
///   - layout: columns                   # or rows
///   - view: sweep                       # or bars, or lab: the coverage lab view (m), run on the step's scenario
///   - highlight: fix                    # a response label (selects it) or a series name
///                                       # (drawn with the references only, unless `show` is given)
///   - scenario: ../disjoint.yaml        # load another scenario
/// ```
public struct Tour: Sendable {
    /// Where in the tour file a value was written, for errors.
    public struct Place: Sendable, Equatable {
        public var line: Int
        public var column: Int
        public var field: String
    }

    /// A value with the place it was written.
    public struct Located<Value: Sendable>: Sendable {
        public var value: Value
        public var place: Place
    }

    /// One step as written; nil fields leave things as the previous step had them.
    public struct Step: Sendable {
        public var place: Place
        public var caption: String
        public var scenario: Located<Scenario>?
        public var beta: Located<Double>?
        public var weights: Located<[Double]>?
        public var rewards: [Located<(response: String, value: Double)>] = []
        public var probabilities: [Located<(reference: String, response: String, value: Double)>] = []
        public var show: Located<[String]>?
        public var layout: Located<String>?
        public var view: Located<String>?
        public var highlight: Located<String>?
    }

    /// The tour file as named in errors.
    public var file: String
    /// The folder the tour file is in (its scenarios are relative to it).
    public var folder: URL
    public var title: String
    /// The scenario the tour starts from; nil for the built-in one.
    public var scenario: Scenario?
    public var steps: [Step]

    static let topKeys = ["title", "scenario", "steps"]
    static let stepKeys = ["caption", "scenario", "beta", "weights", "rewards", "probabilities", "show", "layout", "view", "highlight"]

    /// An error at `place` in this tour's file.
    public func error(_ place: Place, _ message: String) -> ScenarioError {
        ScenarioError(file: file, line: place.line, column: place.column, field: place.field, message: message)
    }

    /// Reads a tour file; scenarios it names are loaded relative to its folder.
    public static func load(contentsOf url: URL) throws(ScenarioError) -> Tour {
        let name = url.relativePath
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ScenarioError(file: name, message: FileManager.default.fileExists(atPath: url.path) ? "cannot read the file" : "file does not exist")
        }
        return try parse(text, fileName: name, folder: url.deletingLastPathComponent())
    }

    /// Reads a tour from `text`; `folder` resolves the scenario paths it names.
    public static func parse(_ text: String, fileName: String, folder: URL) throws(ScenarioError) -> Tour {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ScenarioError(file: fileName, message: "cannot read YAML: \(error)")
        }
        var reader = TourReader(file: fileName, folder: folder)
        return try reader.tour(root)
    }
}

/// Walks the composed YAML of a tour.
private struct TourReader {
    let file: String
    let folder: URL

    func place(_ node: Node, _ field: String) -> Tour.Place {
        Tour.Place(line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, field: field)
    }

    func fail(_ node: Node, _ field: String, _ message: String) -> ScenarioError {
        ScenarioError(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, field: field, message: message)
    }

    func mapping(_ node: Node, _ field: String, known: [String]?) throws(ScenarioError) -> [(String, Node, Node)] {
        guard case .mapping(let mapping) = node else { throw fail(node, field, "expected a mapping of key: value lines") }
        var entries: [(String, Node, Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw fail(key, field, "expected a key name") }
            if let known, !known.contains(name) {
                let joined = field.isEmpty ? name : field + "." + name
                throw fail(key, joined, "unknown key \"\(name)\"; the keys here are " + known.joined(separator: ", "))
            }
            entries.append((name, key, value))
        }
        return entries
    }

    func string(_ node: Node, _ field: String) throws(ScenarioError) -> String {
        guard let text = node.scalar?.string else { throw fail(node, field, "expected text") }
        return text
    }

    func number(_ node: Node, _ field: String) throws(ScenarioError) -> Double {
        guard let text = node.scalar?.string, let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw fail(node, field, "expected a number, got \"\(node.scalar?.string ?? "a list or mapping")\"")
        }
        return value
    }

    func list(_ node: Node, _ field: String) throws(ScenarioError) -> [Node] {
        guard case .sequence(let sequence) = node else { throw fail(node, field, "expected a list such as [a, b]") }
        return Array(sequence)
    }

    func scenario(_ node: Node, _ field: String) throws(ScenarioError) -> Scenario {
        let path = try string(node, field)
        let url = URL(fileURLWithPath: path, relativeTo: folder)
        do {
            return try ScenarioLoader.load(contentsOf: url)
        } catch {
            if error.line == 0, error.message == "file does not exist" {
                throw fail(node, field, "scenario file \(path) does not exist (paths are relative to the tour file)")
            }
            throw error
        }
    }

    mutating func tour(_ root: Node?) throws(ScenarioError) -> Tour {
        guard let root else { throw ScenarioError(file: file, message: "the file is empty; a tour needs steps") }
        var title = (file as NSString).lastPathComponent
        var start: Scenario?
        var steps: [Tour.Step] = []
        var sawSteps = false
        for (name, _, value) in try mapping(root, "", known: Tour.topKeys) {
            switch name {
            case "title": title = try string(value, "title")
            case "scenario": start = try scenario(value, "scenario")
            default:
                sawSteps = true
                for (index, item) in try list(value, "steps").enumerated() {
                    steps.append(try step(item, "steps[\(index)]"))
                }
            }
        }
        guard sawSteps, !steps.isEmpty else { throw fail(root, "steps", "a tour needs a non-empty list of steps") }
        return Tour(file: file, folder: folder, title: title, scenario: start, steps: steps)
    }

    func step(_ node: Node, _ path: String) throws(ScenarioError) -> Tour.Step {
        var step = Tour.Step(place: place(node, path), caption: "")
        for (name, _, value) in try mapping(node, path, known: Tour.stepKeys) {
            let field = path + "." + name
            switch name {
            case "caption": step.caption = try string(value, field)
            case "scenario": step.scenario = .init(value: try scenario(value, field), place: place(value, field))
            case "beta":
                let beta = try number(value, field)
                guard beta > 0 else { throw fail(value, field, "β must be positive, got \(beta)") }
                step.beta = .init(value: beta, place: place(value, field))
            case "weights":
                var weights: [Double] = []
                for (i, item) in try list(value, field).enumerated() {
                    let weight = try number(item, "\(field)[\(i)]")
                    guard weight >= 0 else { throw fail(item, "\(field)[\(i)]", "a weight is not negative, got \(weight)") }
                    weights.append(weight)
                }
                guard weights.contains(where: { $0 > 0 }) else { throw fail(value, field, "at least one weight must be positive") }
                step.weights = .init(value: weights, place: place(value, field))
            case "rewards":
                for (response, _, reward) in try mapping(value, field, known: nil) {
                    step.rewards.append(.init(value: (response, try number(reward, "\(field).\(response)")), place: place(reward, "\(field).\(response)")))
                }
            case "probabilities":
                for (reference, _, entries) in try mapping(value, field, known: nil) {
                    for (response, _, p) in try mapping(entries, "\(field).\(reference)", known: nil) {
                        let inner = "\(field).\(reference).\(response)"
                        let probability = try number(p, inner)
                        guard (0...1).contains(probability) else { throw fail(p, inner, "a probability lies between 0 and 1, got \(probability)") }
                        step.probabilities.append(.init(value: (reference, response, probability), place: place(p, inner)))
                    }
                }
            case "show":
                let names: [String]
                if let single = value.scalar?.string { names = [single] } else {
                    names = try list(value, field).enumerated().map { (i, item) throws(ScenarioError) in try string(item, "\(field)[\(i)]") }
                }
                step.show = .init(value: names, place: place(value, field))
            case "layout":
                let layout = try string(value, field)
                guard ["rows", "columns"].contains(layout) else { throw fail(value, field, "expected rows or columns, got \"\(layout)\"") }
                step.layout = .init(value: layout, place: place(value, field))
            case "view":
                let view = try string(value, field)
                guard ["bars", "sweep", "lab"].contains(view) else { throw fail(value, field, "expected bars, sweep or lab, got \"\(view)\"") }
                step.view = .init(value: view, place: place(value, field))
            default:
                step.highlight = .init(value: try string(value, field), place: place(value, field))
            }
        }
        return step
    }
}
