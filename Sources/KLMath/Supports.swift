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
        intersection.withUnsafeMutableBufferPointer { intersection in
            union.withUnsafeMutableBufferPointer { union in
                for k in active {
                    problem.logReferences[k].withUnsafeBufferPointer { logReference in
                        for y in 0..<n {
                            let supported = logReference[y] > -.infinity
                            intersection[y] = intersection[y] && supported
                            union[y] = union[y] || supported
                        }
                    }
                }
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

    /// The largest reward on a policy's support (`r_U` for a reference) and off it (`-∞` where
    /// there is none): one pass, four lanes at a time without branches.
    public static func topRewards(logReference: [Double], rewards: [Double]) -> (top: Double, outside: Double) {
        typealias Lanes = SIMD4<Double>
        let n = rewards.count
        var top = Lanes(repeating: -.infinity), outside = top
        var y = 0
        logReference.withUnsafeBytes { logs in
            rewards.withUnsafeBytes { rewardBytes in
                let stride = MemoryLayout<Double>.stride
                while y + 4 <= n {
                    let reward = rewardBytes.loadUnaligned(fromByteOffset: y * stride, as: Lanes.self)
                    let supported = logs.loadUnaligned(fromByteOffset: y * stride, as: Lanes.self) .> -.infinity
                    top = top.largest(reward.replacing(with: -.infinity, where: .!supported))
                    outside = outside.largest(reward.replacing(with: -.infinity, where: supported))
                    y += 4
                }
            }
        }
        var result = (top: top.max(), outside: outside.max())
        while y < n {
            if logReference[y] > -.infinity {
                result.top = max(result.top, rewards[y])
            } else {
                result.outside = max(result.outside, rewards[y])
            }
            y += 1
        }
        return result
    }
}
