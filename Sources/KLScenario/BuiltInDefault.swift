import KLMath

public extension Scenario {
    /// The scenario klscope opens without a file: a chat and a math reference that disagree,
    /// where the best response (`derive`) is supported by the math reference only, so reverse KL
    /// cannot reach it and forward KL can. `examples/chat-vs-math.yaml` is the same scenario as a file.
    static let builtInDefault = Scenario(
        title: "Chat and math references disagree",
        notes: """
            The best response, derive, is supported by the math reference only; the chat reference
            gives it probability 0, and the math reference never jokes.
            Look at the supports: the intersection is {greet, answer, refuse}, the union is everything.
            Reverse KL (RKL) must stay inside the intersection, so it can never derive; forward KL (FKL)
            covers the union and puts real mass on derive.
            Try: give the math reference more weight. FKL moves further towards derive, RKL still cannot
            derive (support is all or nothing). Then set the chat weight to 0: the intersection becomes
            the math support and RKL jumps to derive.
            Try: lower β. Both concentrate on the best response they can reach: derive for FKL, answer for RKL.

            """,
        beta: 0.5,
        responses: ["greet", "joke", "answer", "derive", "refuse"],
        rewards: [0.1, -0.3, 1.0, 1.4, -1.0],
        references: [
            Reference(name: "chat", weight: 0.6, logProbabilities: LogSpace.logs(of: [0.35, 0.25, 0.30, 0.0, 0.10])),
            // log of [0.10, 0, 0.50, 0.35, 0.05], written as in the example file.
            Reference(name: "math", weight: 0.4,
                      logProbabilities: [-2.3025850929940455, -.infinity, -0.6931471805599453, -1.0498221244986778, -2.995732273553991]),
        ]
    )
}
