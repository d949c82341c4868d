import Foundation
import KLMath
import Testing
@testable import KLScenario
import TestSupport

@Suite("klscope solve reports")
struct SolveReportTests {
    static let disjoint = """
        title: disjoint
        beta: 1
        responses: [a, b, c, d]
        rewards: [1, 0, 2, -1]
        references:
          - {name: left, probs: [0.5, 0.5, 0, 0]}
          - {name: right, probs: [0, 0, 0.3, 0.7]}
        """

    func report(_ yaml: String) throws -> SolveReport {
        SolveReport(scenario: try ScenarioLoader.parse(yaml, fileName: "test.yaml"))
    }

    func decode(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test("JSON has the documented keys, round-trips every double, and says null where RKL is undefined")
    func jsonDisjoint() throws {
        let report = try report(Self.disjoint)
        let json = report.json()
        let object = try decode(json)
        let policies = try #require(object["policies"] as? [String: Any])
        for key in ["escort", "harmonic", "rkl", "mrpo"] { #expect(policies[key] is NSNull, "\(key) must be null") }
        // Foundation's JSON reader rounds, so check the text itself: shortest round-trip printing.
        let fkl = report.solution.forwardKL.policy.probabilities
        #expect(json.contains("\"fkl\": [" + fkl.map { "\($0)" }.joined(separator: ", ") + "]"))
        #expect(fkl.allSatisfy { Double("\($0)") == $0 })
        #expect(Set((policies["rkl_single"] as? [String: Any])?.keys.map { $0 } ?? []) == ["left", "right"])
        let values = try #require(object["values"] as? [String: Any])
        #expect(values["rkl"] is NSNull && values["mrpo_gap"] is NSNull)
        #expect(json.contains("\"fkl\": \(report.solution.forwardKLValue),"))
        #expect(object["weights"] as? [Double] == [0.5, 0.5])
        let support = try #require(object["support"] as? [String: Any])
        #expect(support["intersection"] as? [Bool] == [false, false, false, false])
        #expect(support["union"] as? [Bool] == [true, true, true, true])
        let metrics = try #require(object["metrics"] as? [String: Any])
        #expect(metrics["rkl"] is NSNull)
        let fklMetrics = try #require(metrics["fkl"] as? [String: Any])
        let perReference = try #require(fklMetrics["references"] as? [String: [String: Any]])
        #expect(perReference["left"]?["kl_to"] is NSNull, "KL(FKL* ‖ left) is infinite, so null")
        #expect(fklMetrics["rkl_objective"] is NSNull)
        #expect(json.contains("\"fkl_lambda\": \(report.solution.forwardKL.lambda),"))
        let expectedKeys: Set = ["title", "responses", "rewards", "beta", "references", "weights", "policies", "fkl_lambda", "implied_rewards",
                                 "fkl_escaped_mass", "values", "support", "metrics", "coverage", "remarks"]
        #expect(Set(object.keys) == expectedKeys)
        // Disjoint references: only FKL has an optimum and a sampler (π_A); its optimum stays on the union.
        let coverage = try #require(object["coverage"] as? [String: Any])
        #expect(coverage["rkl"] is NSNull && coverage["mrpo"] is NSNull)
        let fklCoverage = try #require(coverage["fkl"] as? [String: Any])
        #expect(fklCoverage["sampler"] as? String == "π_A")
        let global = try #require(fklCoverage["global"] as? Double), single = try #require(fklCoverage["single"] as? Double)
        let local = try #require(fklCoverage["local"] as? Double)
        #expect(single <= local * (1 + 1e-9) && local <= global)
        #expect(fklCoverage["epsilon"] is Double)
    }

    @Test("The table says in words what is undefined, and marks ∩, ∪ and ·")
    func tableWords() throws {
        let table = try report(Self.disjoint).table()
        #expect(table.contains("support intersection is empty"))
        #expect(table.contains("max J_RKL = −∞ (empty intersection)"))
        #expect(table.contains("does not exist (empty intersection)"))
        #expect(!table.lowercased().contains("nan"))

        let escape = try report("""
            beta: 0.5
            responses: [a, b, c]
            rewards: [1, 0, 3]
            references:
              - {name: only, probs: [0.5, 0.5, 0]}
            """)
        #expect(escape.solution.forwardKL.escapedMass > 0)
        let text = escape.table()
        #expect(text.contains("outside the union, on c"))
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("c ") && $0.contains("·") })
    }

    @Test("CSV: a header and one row per response, empty cells where undefined, quoted labels")
    func csv() throws {
        let report = try report("""
            beta: 1
            responses: ["a, quoted \\"one\\"", b]
            rewards: [1, 0]
            references:
              - {name: left, probs: [1, 0]}
              - {name: right, probs: [0, 1]}
            """)
        let lines = report.csv().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "response,reward,in_intersection,in_union,left,right,escort,mixture,harmonic,rkl,fkl,mrpo")
        #expect(lines[1].hasPrefix("\"a, quoted \"\"one\"\"\",1.0,false,true,1.0,0.0,,0.5,,,"))
        #expect(lines[3].isEmpty && lines[4] == "quantity,value")
        // After the blank line, the problem's values: the rows above stay one per response.
        let summary = Dictionary(uniqueKeysWithValues: lines.dropFirst(5).filter { !$0.isEmpty }.map {
            let parts = $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (parts[0], parts[1])
        })
        let s = report.solution
        #expect(summary["beta"] == "1.0" && summary["weight_left"] == "0.5" && summary["weight_right"] == "0.5")
        #expect(summary["intersection_size"] == "0" && summary["union_size"] == "2")
        #expect(summary["fkl_lambda"] == "\(s.forwardKL.lambda)" && summary["fkl_escaped_mass"] == "\(s.forwardKL.escapedMass)")
        #expect(summary["rkl_value"] == "" && summary["mrpo_gap"] == "", "undefined on an empty intersection")
        #expect(summary["rkl_bound"] == "\(s.reverseKLBound)")
        #expect(summary["fkl_value"] == "\(s.forwardKLValue)" && summary["fkl_bound"] == "\(s.forwardKLBound)")
        #expect(summary.count == 12 && lines.last == "")
    }

    @Test("The table carries λ, escaped mass, both values with their bounds and the MRPO gap")
    func tableSummary() throws {
        let report = try report("""
            beta: 0.5
            responses: [a, b, c]
            rewards: [1, 0, 2]
            references:
              - {name: left, probs: [0.5, 0.5, 0]}
              - {name: right, probs: [0.4, 0.4, 0.2]}
            """)
        let s = report.solution, table = report.table()
        #expect(table.contains("FKL root λ = \(NumberFormat.short(s.forwardKL.lambda, digits: 6))"))
        #expect(table.contains("escaped mass = \(NumberFormat.short(s.forwardKL.escapedMass))"))
        #expect(table.contains("max J_RKL = \(NumberFormat.short(s.reverseKLValue!))    bound Σ α_k max J_k = \(NumberFormat.short(s.reverseKLBound))"))
        #expect(table.contains("max J_FKL = \(NumberFormat.short(s.forwardKLValue))    bound Σ α_k max J_FKL,k = \(NumberFormat.short(s.forwardKLBound))"))
        #expect(table.contains("MRPO gap = β KL(π_MRPO ‖ π*_RKL) = \(NumberFormat.short(s.mrpoGap!))"))
    }

    @Test("Number formatting: significant digits, scientific for extremes, words for infinities")
    func numbers() {
        #expect(NumberFormat.short(0.35) == "0.3500")
        #expect(NumberFormat.short(-1.23456) == "-1.235")
        #expect(NumberFormat.short(1.2e-7) == "1.20e-7")
        #expect(NumberFormat.short(123456) == "1.23e5")
        // Rounding that carries into the next digit keeps the count of significant digits.
        #expect(NumberFormat.short(9.99996) == "10.00")
        #expect(NumberFormat.short(-0.99999) == "-1.000")
        #expect(NumberFormat.short(99999.7) == "1.00e5")
        #expect(NumberFormat.short(0.00099996) == "0.001000")
        #expect(NumberFormat.short(.infinity) == "∞" && NumberFormat.short(-.infinity, ascii: true) == "-inf")
        #expect(NumberFormat.short(0) == "0")
        // Exponents lose their sign and leading zeros; three-digit exponents keep their digits.
        #expect(NumberFormat.short(-3e-300) == "-3.00e-300" && NumberFormat.short(1e100, digits: 2) == "1e100")
        #expect(NumberFormat.short(1e10, digits: 3) == "1.0e10" && NumberFormat.short(-1.5e-5) == "-1.50e-5")
        #expect(NumberFormat.short(0.125, digits: 2) == "0.12")  // C's rounding: the exact tie goes to even
        #expect(NumberFormat.roundTrip(0.1) == "0.1" && NumberFormat.roundTrip(.nan) == nil)
    }
}

@Suite("Limits on β and rewards")
struct ScenarioLimitTests {
    @Test("β outside 1e-10…1e10 and rewards beyond ±1e9 are refused with the field named", arguments: [
        ("beta: 5e-324", "beta", "β must lie between 1e-10 and 1e10"),
        ("beta: 1e300", "beta", "β must lie between 1e-10 and 1e10"),
    ])
    func limits(line: String, field: String, words: String) throws {
        let yaml = "\(line)\nresponses: [a, b]\nrewards: [1, 0]\nreferences:\n  - {name: r, probs: [0.5, 0.5]}\n"
        do {
            _ = try ScenarioLoader.parse(yaml, fileName: "t.yaml")
            Issue.record("\(line) must be refused")
        } catch {
            #expect(error.field == field && error.line == 1 && error.message.contains(words))
        }
    }

    @Test("A reward of 1e308 is refused; 1e9 is accepted and solves to finite, normalised policies")
    func rewardLimit() throws {
        let huge = "beta: 1e-10\nresponses: [a, b]\nrewards: [1e308, 0]\nreferences:\n  - {name: r, probs: [0.5, 0.5]}\n"
        do {
            _ = try ScenarioLoader.parse(huge, fileName: "t.yaml")
            Issue.record("a reward of 1e308 must be refused")
        } catch {
            #expect(error.field == "rewards[0]" && error.line == 3)
        }
        for beta in ["1e-10", "1e10"] {
            let edge = "beta: \(beta)\nresponses: [a, b, c]\nrewards: [1e9, -1e9, 1e9]\nreferences:\n  - {name: r, probs: [1e-300, 0.5, 0.5]}\n  - {name: s, probs: [0.25, 0.75, 0]}\nnormalize: true\n"
            let solution = SolveReport(scenario: try ScenarioLoader.parse(edge, fileName: "t.yaml")).solution
            for policy in [solution.forwardKL.policy, solution.mixture] + (0..<2).compactMap({ solution.policy(.singleForwardKL($0)) }) {
                #expect(isClose(policy.probabilities.reduce(0, +), 1, within: 1e-12))
            }
            #expect(solution.forwardKLValue.isFinite && solution.forwardKLBound.isFinite)
        }
    }
}

/// `--top` and `--by`: the order of the rows and the "rest" row.
@Suite struct SolveReportRowTests {
    @Test func rowsByAColumnAndTheRestSumToOne() throws {
        let scenario = SyntheticScenario.make(responses: 300, references: 3, seed: 4)
        let report = SolveReport(scenario: scenario)
        let fkl = report.solution.forwardKL.policy.logProbabilities
        let expected = fkl.indices.sorted { fkl[$0] != fkl[$1] ? fkl[$0] > fkl[$1] : $0 < $1 }
        #expect(report.responses(by: .policy(.forwardKL)) == expected)
        #expect(report.responses(by: .policy(.forwardKL), limit: 10) == Array(expected.prefix(10)))
        #expect(report.column(named: "FKL*") == .policy(.forwardKL) && report.column(named: "fkl") == .policy(.forwardKL))
        #expect(report.column(named: "ref2") == .policy(.reference(1)) && report.column(named: "Reward") == .reward)
        #expect(report.column(named: "nope") == nil)
        // --by accepts every spelling of the naming table.
        for name in ["RKL", "rkl", "RKL*", "reverse"] { #expect(report.column(named: name) == .policy(.reverseKL), "\(name)") }
        for name in ["pi_G", "π_G", "escort", "Escort"] { #expect(report.column(named: name) == .policy(.escort), "\(name)") }

        let table = report.table(rows: Array(expected.prefix(10)))
        let lines = table.split(separator: "\n")
        #expect(lines[1].hasPrefix(scenario.responses[expected[0]] + " "))
        let rest = try #require(lines.first { $0.hasPrefix("rest (290 more)") })
        // The FKL* column of the rest row is the mass of the 290 responses left out.
        let shownMass = expected.prefix(10).reduce(0) { $0 + exp(fkl[$1]) }
        let restFKL = try #require(Double(rest.split(separator: " ", omittingEmptySubsequences: true).reversed()[1]))
        #expect(isClose(restFKL, 1 - shownMass, within: 1e-3 * max(1e-3, 1 - shownMass)))
        #expect(report.table().contains("rest (") == false)
        #expect(report.csv(rows: [2, 0]).split(separator: "\n").dropFirst().prefix(2).map { $0.split(separator: ",")[0] } == ["y2", "y0"])
    }

    @Test func aMissingPolicyCannotOrderTheRows() throws {
        let disjoint = try ScenarioLoader.load(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/disjoint.yaml"))
        let report = SolveReport(scenario: disjoint)
        #expect(report.responses(by: .policy(.reverseKL)) == nil)
        #expect(report.responses(by: .policy(.mixture))?.count == disjoint.responses.count)
    }
}

/// `implied_rewards` in `solve --format json`: the DPO view of App. F recovers r.
@Suite struct ImpliedRewardJSONTests {
    @Test func impliedRewardsRecoverTheRewardsOnTheirSupports() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/partial-overlap.yaml")
        let report = SolveReport(scenario: try ScenarioLoader.load(contentsOf: url))
        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as! [String: Any]
        let implied = try #require(json["implied_rewards"] as? [String: [Any]])
        let rewards = report.scenario.rewards, s = report.solution
        let rkl = implied["rkl"]!, fkl = implied["fkl"]!
        #expect(rkl.count == rewards.count && fkl.count == rewards.count)
        // FKL* with its root λ gives r back exactly on the union.
        for y in rewards.indices where s.supports.union[y] {
            #expect(isClose((fkl[y] as! Double), rewards[y], within: 1e-9), "y \(y)")
        }
        // RKL* gives r up to one constant on the intersection, and null outside it.
        let shifts = rewards.indices.filter { s.supports.intersection[$0] }.map { (rkl[$0] as! Double) - rewards[$0] }
        #expect(shifts.count >= 2 && shifts.allSatisfy { isClose($0, shifts[0], within: 1e-9) })
        #expect(rewards.indices.filter { !s.supports.intersection[$0] }.allSatisfy { rkl[$0] is NSNull })
    }
}
