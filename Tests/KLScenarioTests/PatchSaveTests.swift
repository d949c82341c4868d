import Foundation
import Testing
import Yams
@testable import KLScenario
import TestSupport

/// Saving over a scenario's own file changes only the edited values, in place (issue 12, case 8).
@Suite struct PatchSaveTests {
    /// `line` with every number masked, so two lines that differ only in their numbers compare equal.
    static func masked(_ line: String) -> String {
        line.replacingOccurrences(of: #"-?(\.inf|[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?)"#, with: "#", options: .regularExpression)
    }

    /// The 0-based lines of the scalar nodes in `node` and under it.
    static func lines(of node: Node?) -> Set<Int> {
        switch node {
        case .scalar(let scalar)?: return scalar.mark.map { [$0.line - 1] } ?? []
        case .sequence(let sequence)?: return sequence.reduce(into: Set<Int>()) { $0.formUnion(lines(of: $1)) }
        default: return []
        }
    }

    /// Edits β, a weight, a reward and a probability of every example, saves over a copy, and
    /// checks line by line that only the lines holding those values changed, and only in their
    /// numbers; the file reads back as the edited scenario.
    @Test(arguments: try exampleFiles())
    func savingAnExampleChangesOnlyTheEditedValues(_ example: URL) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(example.lastPathComponent)
        let original = try String(contentsOf: example, encoding: .utf8)
        try original.write(to: url, atomically: true, encoding: .utf8)
        var scenario = try ScenarioLoader.load(contentsOf: url)
        try scenario.setBeta(scenario.beta == 0.25 ? 0.3 : 0.25)
        if scenario.references.count > 1 { try scenario.setWeight(0, to: 0.55) } else { try scenario.setWeights([2]) }
        try scenario.setReward(1, to: 0.77)
        try scenario.setProbability(reference: 0, response: 1, to: 0.125)
        try ScenarioWriter.save(scenario, to: url)

        let root = try #require(try Yams.compose(yaml: original))
        var expected = Self.lines(of: root["beta"])
        expected.formUnion(Self.lines(of: root["rewards"]?.sequence?[1]))
        let references = try #require(root["references"]?.sequence)
        for reference in references { expected.formUnion(Self.lines(of: reference["weight"])) }
        expected.formUnion(Self.lines(of: references[0]["probs"] ?? references[0]["logprobs"]))

        let before = original.components(separatedBy: "\n")
        var after = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        if references[0]["weight"] == nil {  // the weight had to be added, after the name
            let nameLine = try #require(references[0]["name"]?.mark?.line)
            #expect(after[nameLine] == "    weight: 2.0")
            after.remove(at: nameLine)
        }
        #expect(after.count == before.count)
        for (index, (old, new)) in zip(before, after).enumerated() {
            if expected.contains(index) {
                #expect(Self.masked(old) == Self.masked(new), "line \(index + 1) changed more than its numbers")
                #expect(old != new, "line \(index + 1) should hold an edited value")
            } else {
                #expect(old == new, "line \(index + 1) changed")
            }
        }
        let again = try ScenarioLoader.load(contentsOf: url)
        #expect(again.beta == scenario.beta)
        #expect(again.rewards == scenario.rewards)
        #expect(again.references.map(\.weight) == scenario.references.map(\.weight))
        for (read, edited) in zip(again.references, scenario.references) {
            for (a, b) in zip(read.logProbabilities, edited.logProbabilities) {
                #expect(a == b || isClose(a, b, within: 1e-12), "\(read.name): \(a) read back for \(b)")
            }
        }
    }

    /// A log-probability edited in a `logprobs:` list is written as a log-probability that reads
    /// back exactly (not as a lossy probability); comments and flow style stay.
    @Test func logProbabilitiesStayLogProbabilities() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("tiny.yaml")
        let text = """
            # hand-written
            beta: 0.5   # between the two
            responses: [a, b]
            rewards: [1, 0]
            references:
              - {name: q, logprobs: [-1e-300, -.inf]}  # almost all mass on a

            """
        try text.write(to: url, atomically: true, encoding: .utf8)
        var scenario = try ScenarioLoader.load(contentsOf: url)
        try scenario.setProbability(reference: 0, response: 1, to: 1e-200)
        try scenario.setBeta(2)
        try ScenarioWriter.save(scenario, to: url)
        let saved = try String(contentsOf: url, encoding: .utf8)
        #expect(saved == """
            # hand-written
            beta: 2.0   # between the two
            responses: [a, b]
            rewards: [1, 0]
            references:
              - {name: q, logprobs: [-1e-200, -460.51701859880916]}  # almost all mass on a

            """)
        #expect(try ScenarioLoader.load(contentsOf: url).references[0].logProbabilities == scenario.references[0].logProbabilities)
    }

    /// Values that live in data files are written into those files, in their format and dtype;
    /// the scenario file keeps its references to them and is not touched.
    @Test func editedValuesInDataFilesAreWrittenThere() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("data.yaml")
        let text = """
            beta: 0.5
            responses: labels.txt
            rewards: rewards.csv   # label,reward
            references:
              - name: p
                probs: p.npy
              - name: q
                logprobs: q.npy

            """
        try text.write(to: url, atomically: true, encoding: .utf8)
        try "a\nb\nc\n".write(to: directory.appendingPathComponent("labels.txt"), atomically: true, encoding: .utf8)
        try "label, reward\na, 1.0\nb, 0.5\nc, -1\n".write(to: directory.appendingPathComponent("rewards.csv"), atomically: true, encoding: .utf8)
        let p = directory.appendingPathComponent("p.npy"), q = directory.appendingPathComponent("q.npy")
        try Data(DataFile.numPyBytes([0.5, 0.25, 0.25], float32: true)).write(to: p)
        try Data(DataFile.numPyBytes([log(0.5), log(0.5), -.infinity])).write(to: q)
        let pBefore = try Data(contentsOf: p), qBefore = try Data(contentsOf: q)

        var scenario = try ScenarioLoader.load(contentsOf: url)
        try scenario.setReward(1, to: 0.75)
        try scenario.setProbability(reference: 0, response: 0, to: 0.2)
        try scenario.setProbability(reference: 1, response: 1, to: 0.125)
        try ScenarioWriter.save(scenario, to: url)

        #expect(try String(contentsOf: url, encoding: .utf8) == text)
        #expect(try String(contentsOf: directory.appendingPathComponent("rewards.csv"), encoding: .utf8)
            == "label, reward\na, 1.0\nb, 0.75\nc, -1\n")
        let pAfter = try Data(contentsOf: p), qAfter = try Data(contentsOf: q)
        #expect(pAfter.count == pBefore.count && pAfter.prefix(128) == pBefore.prefix(128), "same header, dtype float32")
        #expect(qAfter.count == qBefore.count && qAfter.prefix(128) == qBefore.prefix(128), "same header, dtype float64")
        #expect(try DataFile.numPy(Array(pAfter)).values == [0.2, 0.4, 0.4].map { Double(Float($0)) })
        #expect(try DataFile.numPy(Array(qAfter)).values == scenario.references[1].logProbabilities)
        let again = try ScenarioLoader.load(contentsOf: url)
        #expect(again.rewards == scenario.rewards)
        #expect(again.references[1].logProbabilities == scenario.references[1].logProbabilities)
    }

    /// An edit the file's form cannot hold (a probability of a top-k list) is refused, and the file kept.
    @Test func anEditATopKListCannotHoldIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("topk.yaml")
        let text = "beta: 0.5\nresponses: [a, b, c]\nrewards: [1, 0, -1]\nreferences:\n  - name: p\n    topk: {a: 0.5, b: 0.25}\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
        var scenario = try ScenarioLoader.load(contentsOf: url)
        try scenario.setBeta(1)
        try ScenarioWriter.save(scenario, to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == text.replacingOccurrences(of: "beta: 0.5", with: "beta: 1.0"))
        try scenario.setProbability(reference: 0, response: 0, to: 0.25)
        #expect(throws: ScenarioError.self) { try ScenarioWriter.save(scenario, to: url) }
        #expect(try String(contentsOf: url, encoding: .utf8) == text.replacingOccurrences(of: "beta: 0.5", with: "beta: 1.0"))
    }
}
