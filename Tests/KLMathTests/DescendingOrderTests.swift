import Foundation
import Testing
import KLMath

/// `DescendingOrder`: the radix sort and the one-pass top selection against a comparison sort.
@Suite struct DescendingOrderTests {
    @Test("The radix sort, the top selection and windows order like a comparison sort: largest first, ties in index order, -∞ last")
    func radixSortMatchesAComparisonSort() {
        var random = SplitMix64(seed: 9)
        let special: [Double] = [0, -0.0, -.infinity, .infinity, 1e-300, -1e-300, .greatestFiniteMagnitude,
                                 -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 1, -1]
        for n in [1, 2, 7, 1_000, 70_000] {
            let values = (0..<n).map { _ -> Double in
                switch random.nextUnit() {
                case ..<0.2: special[Int(random.nextUnit() * Double(special.count))]
                case ..<0.4: Double(Int(random.nextUnit() * 5))  // many ties
                default: random.nextGaussian() * pow(10, random.nextGaussian() * 50)
                }
            }
            let expected = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
            #expect(DescendingOrder.indices(of: values).map(Int.init) == expected, "n = \(n)")
            // The top of the order, selected in one pass, is the same prefix.
            for count in [1, 5, 1_024] {
                #expect(DescendingOrder.top(count, of: values).map(Int.init) == Array(expected.prefix(count)), "n = \(n), top \(count)")
            }
            // Any window of it, found by selection without sorting the rest.
            for start in [0, n / 3, n / 2, max(0, n - 5)] {
                for length in [1, 7, 1_024] {
                    let range = start..<min(n, start + length)
                    #expect(DescendingOrder.window(range, of: values).map(Int.init) == Array(expected[range]), "n = \(n), \(range)")
                }
            }
        }
    }
}
