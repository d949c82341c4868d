import Foundation
import KLMath
import TestSupport
import Testing

/// `VectorMath` against libm, one element at a time: the vector routines are a speed-up, so
/// they must agree with `exp` and `log` to a few units in the last place everywhere, be exact
/// at the values probabilities meet most (0, 1, ±∞), and not depend on where an element sits.
@Suite("Vector exp and log")
struct VectorMathTests {
    /// Units in the last place between `a` and the libm value `b` (0 when both are equal, including infinities).
    func ulps(_ a: Double, _ b: Double) -> Double {
        if a == b { return 0 }
        guard a.isFinite, b.isFinite else { return .infinity }
        return abs(a - b) / b.ulp
    }

    @Test("exp agrees with libm within 4 ulp from −745 to 709, and exactly at −∞, 0 and +∞")
    func expAgreesWithLibm() {
        var random = SplitMix64(seed: 7)
        var inputs = (0..<20_000).map { _ in -745 + 1454 * random.nextUnit() }
        inputs += [-.infinity, 0, .infinity, -745.2, -744.4, -708.5, -1e-300, 1e-300, 709.7, 710]
        inputs += (0..<2_000).map { _ in -30 * random.nextUnit() }  // where log-probabilities live
        let vector = VectorMath.exp(inputs)
        for (x, value) in zip(inputs, vector) {
            #expect(ulps(value, exp(x)) <= 4, "exp(\(x)) = \(value), libm \(exp(x))")
        }
        #expect(VectorMath.exp([-.infinity, 0, .infinity]) == [0, 1, .infinity])
    }

    @Test("log agrees with libm within 4 ulp from subnormals to the largest double, and exactly at 0, 1 and +∞")
    func logAgreesWithLibm() {
        var random = SplitMix64(seed: 11)
        var inputs = (0..<20_000).map { _ in exp(-745 + 1454 * random.nextUnit()) }
        inputs += [0, 1, .infinity, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 1 - 1e-16, 1 + 1e-15]
        let vector = VectorMath.log(inputs)
        for (x, value) in zip(inputs, vector) {
            #expect(ulps(value, log(x)) <= 4, "log(\(x)) = \(value), libm \(log(x))")
        }
        #expect(VectorMath.log([0, 1, .infinity]) == [-.infinity, 0, .infinity])
    }

    @Test("an element's result does not depend on its position, the array's length or its neighbours")
    func resultsDoNotDependOnPosition() {
        var random = SplitMix64(seed: 3)
        let values = (0..<37).map { i in i % 5 == 0 ? -Double.infinity : -40 * random.nextUnit() }
        let whole = VectorMath.exp(values)
        for start in 0..<values.count {
            for length in 1...min(9, values.count - start) {
                let part = VectorMath.exp(Array(values[start..<start + length]))
                #expect(part == Array(whole[start..<start + length]), "exp of \(start)..<\(start + length)")
            }
        }
        let positive = whole.map { $0 + 0.5 }
        let logs = VectorMath.log(positive)
        for start in 0..<positive.count {
            #expect(VectorMath.log([positive[start]]) == [logs[start]])
        }
    }

    @Test("the block loop visits every index once, in order, with a scratch buffer of the block's length")
    func blocksCoverTheRange() {
        for count in [0, 1, VectorMath.blockSize - 1, VectorMath.blockSize, VectorMath.blockSize + 1, 3 * VectorMath.blockSize + 7] {
            var visited: [Int] = []
            VectorMath.forEachBlock(count: count) { block, scratch in
                #expect(scratch.count == block.count)
                #expect(block.count <= VectorMath.blockSize)
                visited += Array(block)
            }
            #expect(visited == Array(0..<count))
        }
    }

    @Test("the sum of exponentials matches a compensated libm sum, with −∞ entries adding nothing")
    func sumOfExponentials() {
        var random = SplitMix64(seed: 5)
        let values = (0..<5_000).map { i in i % 7 == 0 ? -Double.infinity : -20 * random.nextUnit() }
        var reference = CompensatedSum()
        for value in values { reference.add(exp(value - 1)) }
        #expect(isClose(VectorMath.sumOfExponentials(values, minus: 1), reference.value, within: 1e-14, relative: true))
        #expect(VectorMath.sumOfExponentials([], minus: 0) == 0)
    }

    @Test("the machine's lanes are reported: 4, 2 or 1")
    func lanesAreKnown() {
        #expect([1, 2, 4].contains(VectorMath.lanes))
    }
}
