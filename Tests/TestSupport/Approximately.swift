/// Whether two numbers agree within `tolerance`: absolutely, or, with `relative`, relative to
/// the larger of 1 and |b| (so that large values are compared by their leading digits). Equal
/// infinities agree; NaN agrees with nothing. The one tolerance check every test target uses.
public func isClose(_ a: Double, _ b: Double, within tolerance: Double, relative: Bool = false) -> Bool {
    if a == b { return true }
    let scale = relative ? max(1, abs(b)) : 1
    return abs(a - b) <= tolerance * scale
}
