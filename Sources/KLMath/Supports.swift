import CLibc

/// The supports that decide where each regulariser can put mass (MATH.md, "Supports").
public struct Supports: Sendable, Equatable {
    /// `I`: responses every active reference supports. RKL solutions live here.
    public let intersection: [Bool]
    /// `U`: responses some active reference supports. FKL solutions cover it.
    public let union: [Bool]

    /// The supports of the active (positive-weight) references of `problem`.
    public init(_ problem: Problem) {
        let active = problem.activeReferences
        let n = problem.responseCount
        var intersection = [Bool](repeating: true, count: n)
        var union = [Bool](repeating: false, count: n)
        intersection.withUnsafeMutableBufferPointer { $0.withMemoryRebound(to: UInt8.self) { intersection in
            union.withUnsafeMutableBufferPointer { $0.withMemoryRebound(to: UInt8.self) { union in
                for k in active {
                    klscope_mark_support(problem.logReferences[k], n, intersection.baseAddress!, union.baseAddress!)
                }
            } }
        } }
        self.intersection = intersection
        self.union = union
    }

    /// `|I|`.
    public var intersectionSize: Int { intersection.lazy.filter { $0 }.count }
    /// `|U|`.
    public var unionSize: Int { union.lazy.filter { $0 }.count }
    /// True when no response is supported by every active reference: RKL is undefined.
    public var intersectionIsEmpty: Bool { !intersection.contains(true) }

    /// The largest reward on a policy's support (`r_U` for a reference) and off it (`-∞` where
    /// there is none): one pass, four lanes at a time (`klscope_top_rewards`).
    public static func topRewards(logReference: [Double], rewards: [Double]) -> (top: Double, outside: Double) {
        let result = klscope_top_rewards(logReference, rewards, rewards.count)
        return (result.top, result.outside)
    }
}
