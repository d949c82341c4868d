import Foundation
import KLMath
import KLScenario

/// The text of the explain overlay for one topic: the formula in Unicode, where it lives, the
/// paper's reference, a sentence of meaning and the formula with today's numbers for the
/// selected response (docs/mathematics.md is the source of every line).
struct Explanation: Equatable {
    /// The box's title: the quantity's name.
    var title: String
    /// The formula, one line each.
    var formulas: [String]
    /// The support, or where the quantity is defined.
    var support: String
    /// The paper's label.
    var source: String
    /// One sentence of meaning.
    var meaning: String
    /// The formula with the current numbers, for the selected response where it depends on one.
    var numbers: [String]

    /// The lines of the box, in order.
    var lines: [String] {
        formulas + ["", "lives on: " + support, "source:   " + source, "", meaning, ""] + numbers
    }

    init(title: String, formulas: [String], support: String, source: String, meaning: String, numbers: [String]) {
        self.title = title
        self.formulas = formulas
        self.support = support
        self.source = source
        self.meaning = meaning
        self.numbers = numbers
    }

    /// The explanation of `topic` in `state`, numbers formatted by `theme`.
    init(_ topic: ExplainTopic, state: ExplorerState, theme: Theme) {
        let scenario = state.scenario, solution = state.analysis.solution
        let y = state.chart.selected, label = scenario.responses[y]
        let alphas = scenario.normalizedWeights, beta = solution.problem.beta, reward = solution.problem.rewards[y]
        let references = scenario.references.indices
        let n = theme.number
        func p(_ k: Int) -> Double { exp(solution.problem.logReferences[k][y]) }
        func value(_ series: PolicyID) -> String { state.analysis.probability(series, y).map(n) ?? "undefined (I is empty)" }
        let at = "at \(label): "
        switch topic {
        case .series(.reference(let k)):
            let name = scenario.references[k].name
            self.init(title: "π_k: reference \(name)", formulas: ["π_\(k + 1)(y) = the reference's probability of y, as in the file"],
                      support: "supp(π_\(k + 1)) (\(state.analysis.referenceSupportSizes[k]) responses)", source: "§1 (the setting)",
                      meaning: "A reference model the policy is regularised towards, with weight α_\(k + 1) = \(n(alphas[k]))"
                        + (alphas[k] == 0 ? " (switched off: it counts for nothing)." : "."),
                      numbers: [at + "π_\(k + 1)(y) = \(n(p(k)))"])
        case .series(.escort):
            let product = references.map { "\(n(p($0)))^\(n(alphas[$0]))" }.joined(separator: " · ")
            let f = solution.logEscortNormaliser.map { n(exp($0)) } ?? "undefined"
            self.init(title: "π_G: the generalized escort", formulas: ["π_G(y) = Π_k π_k(y)^{α_k} / F", "F = Σ_y Π_k π_k(y)^{α_k} ≤ 1"],
                      support: "I, the responses every active reference allows", source: "Def. 3.1, eq. (15)",
                      meaning: "The weighted geometric mean of the references, normalised: the single reference the reverse-KL problem reduces to.",
                      numbers: [at + "π_G(y) = \(product) / \(f) = \(value(.escort))"])
        case .series(.mixture):
            let sum = references.map { "\(n(alphas[$0]))·\(n(p($0)))" }.joined(separator: " + ")
            self.init(title: "π_A: the mixture", formulas: ["π_A(y) = Σ_k α_k π_k(y)"],
                      support: "U, the responses some active reference allows", source: "Thm 6.1",
                      meaning: "The weighted arithmetic mean of the references: the single reference of the forward-KL problem.",
                      numbers: [at + "π_A(y) = \(sum) = \(value(.mixture))"])
        case .series(.harmonic):
            let sum = references.map { "\(n(alphas[$0]))/\(n(p($0)))" }.joined(separator: " + ")
            self.init(title: "π_H: the harmonic mean", formulas: ["π_H(y) ∝ (Σ_k α_k / π_k(y))^{−1}"],
                      support: "I", source: "eq. (13)",
                      meaning: "MRPO's virtual reference: never above the geometric mean π_G before normalising.",
                      numbers: [at + "π_H(y) ∝ (\(sum))^{−1}, normalised = \(value(.harmonic))"])
        case .series(.reverseKL):
            let g = state.analysis.probability(.escort, y).map(n) ?? "—"
            self.init(title: "π*_RKL: the reverse-KL optimum",
                      formulas: ["π*_RKL(y) = π_G(y) · exp(r(y)/β) / Z", "Z = Σ_y π_G(y) exp(r(y)/β)"],
                      support: "I (J_RKL is −∞ for any policy with mass outside it)", source: "Thm 5.1",
                      meaning: "The exact maximiser of E_π[r] − β Σ_k α_k KL(π ‖ π_k): a tilt of π_G towards high reward.",
                      numbers: [at + "π*_RKL(y) = \(g) · exp(\(n(reward))/\(n(beta))) / Z = \(value(.reverseKL))"])
        case .series(.forwardKL):
            let a = state.analysis.probability(.mixture, y).map(n) ?? "—", lambda = solution.forwardKL.lambda
            let line = state.analysis.isEscaped(y)
                ? at + "outside U: a share of the escaped mass = \(value(.forwardKL))"
                : at + "π*_FKL(y) = \(n(beta)) · \(a) / (\(n(lambda)) − \(n(reward))) = \(value(.forwardKL))"
            self.init(title: "π*_FKL: the forward-KL optimum", formulas: ["π*_FKL(y) = β π_A(y) / (λ − r(y))"],
                      support: "U, and beyond it when a reward outside U exceeds the root (escaped mass)", source: "Thm 6.1",
                      meaning: "The exact maximiser of E_π[r] − β Σ_k α_k KL(π_k ‖ π): it must cover every response a reference allows.",
                      numbers: [line])
        case .series(.mrpo):
            let h = state.analysis.probability(.harmonic, y).map(n) ?? "—"
            self.init(title: "π_MRPO: MRPO's approximation", formulas: ["π_MRPO(y) ∝ π_H(y) · exp(r(y)/β)"],
                      support: "I", source: "§2, eq. (13)",
                      meaning: "MRPO replaces the geometric mean by the smaller harmonic one and maximises that lower bound instead.",
                      numbers: [at + "π_MRPO(y) ∝ \(h) · exp(\(n(reward))/\(n(beta))), normalised = \(value(.mrpo))"])
        case .series(.singleReverseKL(let k)), .series(.singleForwardKL(let k)):
            let name = scenario.references[k].name, reverse = topic == .series(.singleReverseKL(k))
            self.init(title: "\(reverse ? "π*_RKL" : "π*_FKL") with \(name) alone",
                      formulas: [reverse ? "π(y) ∝ π_\(k + 1)(y) · exp(r(y)/β)" : "π(y) = β π_\(k + 1)(y) / (λ_\(k + 1) − r(y))"],
                      support: "supp(π_\(k + 1))", source: "App. G",
                      meaning: "The optimum with one reference; the α-weighted sum of their values bounds the several-reference optimum from above.",
                      numbers: [at + value(reverse ? .singleReverseKL(k) : .singleForwardKL(k))])
        case .lambda:
            let lambda = solution.forwardKL.lambda
            self.init(title: "λ: the forward-KL root", formulas: ["Σ_{y∈U} β π_A(y) / (λ − r(y)) = 1,   λ > max_U r"],
                      support: "one number per problem", source: "Thm 6.1",
                      meaning: "The unique root that makes π*_FKL sum to 1; adding c to every reward adds c to λ.",
                      numbers: ["λ = \(n(lambda)),  λ − max_U r = \(n(solution.forwardKL.lambdaAboveTopReward))",
                                at + "λ − r(y) = \(n(lambda - reward))"])
        case .escapedMass:
            let escaped = solution.forwardKL.escapedMass
            self.init(title: "escaped mass", formulas: ["escaped = 1 − Σ_{y∈U} π*_FKL(y)"],
                      support: "the best responses outside U, shared evenly", source: "§6 (KKT conditions), Thm 6.1",
                      meaning: "Forward KL never penalises responses outside U, so a higher reward there draws mass out of the union; reverse KL never leaves I.",
                      numbers: ["escaped = \(n(escaped))" + (escaped > 0 ? "" : " (no reward outside U beats the root)")])
        case .reverseKLBound:
            let terms = references.map { "\(n(alphas[$0]))·\(n(solution.singleReverseKLValues[$0]))" }.joined(separator: " + ")
            self.init(title: "max J_RKL and its bound",
                      formulas: ["max J_RKL = β log Σ_y Π_k π_k(y)^{α_k} exp(r(y)/β)", "max J_RKL ≤ Σ_k α_k max J_k"],
                      support: "I (undefined when it is empty)", source: "Thm 5.1; App. D (Hölder)",
                      meaning: "The best reverse-KL objective with all references never beats the weighted best of each alone.",
                      numbers: ["\(solution.reverseKLValue.map(n) ?? "undefined") ≤ \(terms) = \(n(solution.reverseKLBound))"])
        case .forwardKLBound:
            let terms = references.map { "\(n(alphas[$0]))·\(n(solution.singleForwardKLValues[$0]))" }.joined(separator: " + ")
            self.init(title: "max J_FKL and its bound", formulas: ["max J_FKL ≤ Σ_k α_k max J_FKL,k"],
                      support: "U", source: "Thm 6.1; Cor. E.2",
                      meaning: "The best forward-KL objective with all references never beats the weighted best of each alone.",
                      numbers: ["\(n(solution.forwardKLValue)) ≤ \(terms) = \(n(solution.forwardKLBound))"])
        case .mrpoGap:
            self.init(title: "the MRPO gap", formulas: ["gap = max J_RKL − J_RKL(π_MRPO) = β KL(π_MRPO ‖ π*_RKL) ≥ 0"],
                      support: "I (undefined when it is empty)", source: "§2, eq. (13)",
                      meaning: "How much exact reverse-KL objective MRPO's harmonic approximation gives away.",
                      numbers: [solution.mrpoGap.map { "gap = \(solution.reverseKLValue.map(n) ?? "—") − \(solution.mrpoValue.map(n) ?? "—") = \(n($0))" }
                                ?? "undefined: the references share no response"])
        case .coverage:
            let lines = [PolicyID.reverseKL, .forwardKL].flatMap { series -> [String] in
                guard let metrics = state.analysis.metrics[series] else { return [] }
                return references.map { k in
                    let ratio = state.analysis.probability(series, y).map { n($0 / p(k)) } ?? "—"
                    return "C_\(k + 1)(\(theme.name(series, in: scenario))) = \(n(metrics.coverage[k])),  \(at)π(y)/π_\(k + 1)(y) = \(ratio)"
                }
            }
            self.init(title: "coverage", formulas: ["C_k(π) = max_y π(y) / π_k(y)"],
                      support: "all responses (C_k is ∞ when π puts mass where π_k has none)", source: "Assumptions 4.3–4.5, App. G",
                      meaning: "How far a policy strays from a reference's data: the sample complexity of learning the reward grows with it.",
                      numbers: lines)
        }
    }
}
