import KLMath
import Testing

/// The one naming table of the derived policies.
@Suite struct PolicyNameTests {
    @Test func everySpellingFindsItsPolicyAndNoneIsShared() {
        for name in PolicyName.all {
            for spelling in name.spellings {
                #expect(PolicyName.policy(named: spelling)?.id == name.id, "\(spelling)")
                #expect(PolicyName.policy(named: spelling.uppercased())?.id == name.id, "\(spelling)")
            }
        }
        let perPolicy = PolicyName.all.map { Set($0.spellings.map { $0.lowercased() }) }
        #expect(Set(perPolicy.flatMap { $0 }).count == perPolicy.map(\.count).reduce(0, +), "a spelling names two policies")
        #expect(PolicyName.policy(named: "RKL")?.id == .reverseKL)
        #expect(PolicyName.policy(named: "pi_H")?.symbol == "π_H")
        #expect(PolicyName.policy(named: "nope") == nil)
        #expect(PolicyName.of(.reference(0)) == nil)
        #expect(PolicyName.all.allSatisfy { $0.ascii.allSatisfy(\.isASCII) && $0.key.allSatisfy(\.isASCII) })
    }
}
