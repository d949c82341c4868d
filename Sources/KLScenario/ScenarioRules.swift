import KLMath

/// The rules every scenario keeps, whoever makes it: the file parser, the command-line
/// overrides (`--beta`, `--weights`), tours and the explorer's edits. Each rule is a check that
/// returns the message in words (`nil` when the value is allowed), so a value refused by one of
/// them is refused by all with the same words, and a scenario that was edited can always be
/// saved and read back.
public enum ScenarioRules {
    /// The smallest and largest `β` a scenario may have.
    public static let betaRange = Problem.betaRange
    /// The largest magnitude of a reward.
    public static let rewardLimit = Problem.rewardLimit

    /// Why `beta` is not an allowed `β`, or `nil` when it is.
    /// `shown` is the value as the user wrote it, when there is such a text.
    public static func betaProblem(_ beta: Double, shown: String? = nil) -> String? {
        lazy var shown = shown ?? "\(beta)" // formatted only for a message
        guard beta.isFinite else { return "β must be a finite number, got \(shown)" }
        guard beta > 0 else { return "β must be positive, got \(shown)" }
        guard betaRange.contains(beta) else {
            return "β must lie between \(short(betaRange.lowerBound)) and \(short(betaRange.upperBound)), got \(shown)"
        }
        return nil
    }

    /// `beta` moved into `betaRange`: how a step of the β control stops at the range's ends.
    public static func clampedBeta(_ beta: Double) -> Double {
        min(max(beta, betaRange.lowerBound), betaRange.upperBound)
    }

    /// Why `reward` is not an allowed reward, or `nil` when it is.
    /// `shown` is the value as the user wrote it, when there is such a text.
    public static func rewardProblem(_ reward: Double, shown: String? = nil) -> String? {
        lazy var shown = shown ?? "\(reward)" // formatted only for a message
        guard reward.isFinite else { return "not finite: \(shown)" }
        guard abs(reward) <= rewardLimit else {
            return "a reward must lie between -\(short(rewardLimit)) and \(short(rewardLimit)), got \(shown)"
        }
        return nil
    }

    /// Why `weight` is not an allowed weight of one reference, or `nil` when it is.
    /// `shown` is the value as the user wrote it, when there is such a text.
    public static func weightProblem(_ weight: Double, shown: String? = nil) -> String? {
        lazy var shown = shown ?? "\(weight)" // formatted only for a message
        guard weight.isFinite else { return "not finite: \(shown)" }
        guard weight >= 0 else { return "negative weight \(shown); weights are 0 (off) or more" }
        return nil
    }

    /// Why `weights` (one per reference, each allowed by `weightProblem`) cannot be the weights
    /// of a scenario, or `nil` when they can: they must have a positive, finite sum.
    public static func weightsProblem(_ weights: [Double]) -> String? {
        let total = weights.reduce(0, +)
        guard total > 0 else { return "every reference has weight 0; give at least one a positive weight" }
        guard total.isFinite else { return "the weights are too large (their sum is infinite); scale them down" }
        return nil
    }

    /// Why `probability` cannot be an entry of a reference as given (before normalising), or
    /// `nil` when it can: finite and non-negative.
    public static func probabilityProblem(_ probability: Double) -> String? {
        guard probability.isFinite else { return "not finite: \(probability)" }
        guard probability >= 0 else { return "negative probability \(probability)" }
        return nil
    }

    /// Why `probability` cannot be set as one probability of a normalised reference, or `nil`
    /// when it can: a number between 0 and 1.
    public static func setProbabilityProblem(_ probability: Double) -> String? {
        guard probability.isFinite, probability >= 0, probability <= 1 else {
            return "a probability is a number between 0 and 1, got \(probability)"
        }
        return nil
    }

    private static func short(_ value: Double) -> String { NumberFormat.short(value, digits: 2) }
}
