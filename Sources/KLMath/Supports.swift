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
        for k in active {
            let logReference = problem.logReferences[k]
            for y in 0..<n {
                let supported = logReference[y] > -.infinity
                intersection[y] = intersection[y] && supported
                union[y] = union[y] || supported
            }
        }
        self.intersection = intersection
        self.union = union
    }

    /// `|I|`.
    public var intersectionSize: Int { intersection.lazy.filter { $0 }.count }
    /// `|U|`.
    public var unionSize: Int { union.lazy.filter { $0 }.count }
    /// True when no response is supported by every active reference: RKL is undefined.
    public var intersectionIsEmpty: Bool { !intersection.contains(true) }
}
