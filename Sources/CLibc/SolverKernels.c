// The solver's innermost passes over the responses, four lanes at a time. Swift compiles its
// SIMD types for the baseline x86-64 (two lanes, SSE2); each kernel here is also built for AVX2,
// used where `klscope_vector_lanes` is 4, which makes the divisions of the forward-KL root about
// 2.5× faster. Both builds add in the same order and fuse no multiply-add, so they give the same
// bits (an end-to-end test compares them with KLSCOPE_LANES=2).
#include "CLibc.h"
#include <math.h>
#include <string.h>

#pragma clang fp contract(off)

/// Defines `klscope_<name>` from the inlined body `name`, built twice (for AVX2 and for the
/// baseline) and chosen on each call by `klscope_vector_lanes`.
#if defined(__x86_64__)
#define DISPATCH(result, name, parameters, arguments)                                             \
    __attribute__((target("avx2"))) static result name##Wide parameters { return name arguments; } \
    static result name##Baseline parameters { return name arguments; }                            \
    result klscope_##name parameters { return (klscope_vector_lanes() == 4 ? name##Wide : name##Baseline) arguments; }
#else
#define DISPATCH(result, name, parameters, arguments) \
    result klscope_##name parameters { return name arguments; }
#endif
#define KERNEL static inline __attribute__((always_inline))

typedef double Lanes __attribute__((vector_size(32)));
typedef long long Mask __attribute__((vector_size(32)));

// Helpers are macros: a function taking or returning four lanes would change the calling
// convention between the AVX2 and the default build, which the compiler refuses.
#define LOAD(address) ({ Lanes loaded_; memcpy(&loaded_, (address), sizeof loaded_); loaded_; })
#define SPLAT(value) ((Lanes){(value), (value), (value), (value)})
/// `mask ? yes : no` lane by lane.
#define CHOOSE(mask, yes, no) ((Lanes)(((mask) & (Mask)(yes)) | (~(mask) & (Mask)(no))))
#define HORIZONTAL_SUM(lanes) (((lanes)[0] + (lanes)[1]) + ((lanes)[2] + (lanes)[3]))

/// Neumaier's compensated sum, as KLMath's `CompensatedSum`.
typedef struct {
    double sum, compensation;
} Compensated;

static inline void compensatedAdd(Compensated *total, double term) {
    const double sum = total->sum + term;
    total->compensation += fabs(total->sum) >= fabs(term) ? (total->sum - sum) + term : (term - sum) + total->sum;
    total->sum = sum;
}

/// Plain sums run over this many responses before they join the compensated sum.
enum { blockLength = 256 };

/// The end of the block that starts at `start`.
static inline size_t blockEnd(size_t start, size_t count) {
    return count - start > blockLength ? start + blockLength : count;
}

KERNEL KLScopeInverseSums inverse_sums(const double *mass, const double *rewards, size_t count, double top, double delta) {
    const Lanes tops = SPLAT(top), shift = SPLAT(delta), one = SPLAT(1), zero = SPLAT(0);
    Compensated total = {0, 0};
    Lanes squares = zero, cubes = zero;
    double squaresTail = 0, cubesTail = 0;
    for (size_t start = 0; start < count; start += blockLength) {
        const size_t end = blockEnd(start, count);
        Lanes block = zero;
        double tail = 0;
        size_t y = start;
        for (; y + 4 <= end; y += 4) {
            const Lanes d = tops - LOAD(rewards + y);
            const Mask off = (Mask)(d <= zero);
            const Lanes inverse = one / (shift + CHOOSE(off, one, d));
            const Lanes term = CHOOSE(off, zero, LOAD(mass + y) * inverse);
            const Lanes square = term * inverse;
            block += term;
            squares += square;
            cubes += square * inverse;
        }
        for (; y < end; y++) {
            const double d = top - rewards[y];
            if (d > 0) {
                const double inverse = 1 / (delta + d);
                const double term = mass[y] * inverse, square = term * inverse;
                tail += term;
                squaresTail += square;
                cubesTail += square * inverse;
            }
        }
        compensatedAdd(&total, HORIZONTAL_SUM(block) + tail);
    }
    return (KLScopeInverseSums){total.sum + total.compensation, HORIZONTAL_SUM(squares) + squaresTail,
                                HORIZONTAL_SUM(cubes) + cubesTail};
}
DISPATCH(KLScopeInverseSums, inverse_sums,
         (const double *mass, const double *rewards, size_t count, double top, double delta),
         (mass, rewards, count, top, delta))

KERNEL size_t forward_value_sums(const double *logReference, const double *rewards, const double *mass,
                                  const double *logShifted, size_t count, double top, double delta, double logOffset,
                                  double escapeReward, double *reward, double *penalty, int *others) {
    const Lanes tops = SPLAT(top), shift = SPLAT(delta), offset = SPLAT(logOffset), one = SPLAT(1), zero = SPLAT(0),
                minusInfinity = SPLAT(-INFINITY), escape = SPLAT(escapeReward);
    Lanes rewards4 = zero, penalties4 = zero;
    double rewardTail = 0, penaltyTail = 0;
    size_t found = 0, y = 0;
    for (; y + 4 <= count; y += 4) {
        const Lanes logA = LOAD(logReference + y), r = LOAD(rewards + y), d = tops - r;
        const Mask supported = (Mask)(logA > minusInfinity);
        const Mask regular = supported & (Mask)(d > zero);
        const Lanes inverse = one / (shift + CHOOSE(regular, d, one));
        rewards4 += CHOOSE(regular, LOAD(mass + y) * inverse * r, zero);
        penalties4 += CHOOSE(regular, LOAD(mass + y) * (LOAD(logShifted + y) + offset), zero);
        const Mask other = ~regular & (supported | (Mask)(r == escape));
        for (int lane = 0; lane < 4; lane++) {
            if (other[lane]) others[found++] = (int)y + lane;
        }
    }
    for (; y < count; y++) {
        const double d = top - rewards[y];
        if (logReference[y] > -INFINITY && d > 0) {
            rewardTail += mass[y] * (1 / (delta + d)) * rewards[y];
            penaltyTail += mass[y] * (logShifted[y] + logOffset);
        } else if (logReference[y] > -INFINITY || rewards[y] == escapeReward) {
            others[found++] = (int)y;
        }
    }
    *reward = HORIZONTAL_SUM(rewards4) + rewardTail;
    *penalty = HORIZONTAL_SUM(penalties4) + penaltyTail;
    return found;
}
DISPATCH(size_t, forward_value_sums,
         (const double *logReference, const double *rewards, const double *mass, const double *logShifted, size_t count,
          double top, double delta, double logOffset, double escapeReward, double *reward, double *penalty, int *others),
         (logReference, rewards, mass, logShifted, count, top, delta, logOffset, escapeReward, reward, penalty, others))

KERNEL double accumulate_mean(double *sums, const double *probabilities, const double *logProbabilities,
                               size_t count, double weight, int harmonic) {
    const Lanes weights = SPLAT(weight), infinity = SPLAT(INFINITY), minusInfinity = SPLAT(-INFINITY);
    Lanes lowest = infinity;
    size_t y = 0;
    for (; y + 4 <= count; y += 4) {
        const Lanes q = LOAD(probabilities + y), logs = LOAD(logProbabilities + y);
        const Lanes sum = LOAD(sums + y) + (harmonic ? weights / q : weights * q);
        memcpy(sums + y, &sum, sizeof sum);
        const Lanes finite = CHOOSE((Mask)(logs == minusInfinity), infinity, logs);
        lowest = CHOOSE((Mask)(finite < lowest), finite, lowest);
    }
    double smallest = fmin(fmin(lowest[0], lowest[1]), fmin(lowest[2], lowest[3]));
    for (; y < count; y++) {
        sums[y] += harmonic ? weight / probabilities[y] : weight * probabilities[y];
        if (logProbabilities[y] > -INFINITY) smallest = fmin(smallest, logProbabilities[y]);
    }
    return smallest;
}
DISPATCH(double, accumulate_mean,
         (double *sums, const double *probabilities, const double *logProbabilities, size_t count, double weight, int harmonic),
         (sums, probabilities, logProbabilities, count, weight, harmonic))

void klscope_mark_support(const double *restrict logProbabilities, size_t count, unsigned char *restrict intersection,
                          unsigned char *restrict union_) {
    for (size_t y = 0; y < count; y++) {
        const unsigned char supported = logProbabilities[y] > -INFINITY;
        intersection[y] &= supported;
        union_[y] |= supported;
    }
}

KERNEL KLScopeTopRewards top_rewards(const double *logReference, const double *rewards, size_t count) {
    const Lanes minusInfinity = SPLAT(-INFINITY);
    Lanes top = minusInfinity, outside = minusInfinity;
    size_t y = 0;
    for (; y + 4 <= count; y += 4) {
        const Lanes r = LOAD(rewards + y);
        const Mask supported = (Mask)(LOAD(logReference + y) > minusInfinity);
        const Lanes onSupport = CHOOSE(supported, r, minusInfinity), offSupport = CHOOSE(supported, minusInfinity, r);
        top = CHOOSE((Mask)(onSupport > top), onSupport, top);
        outside = CHOOSE((Mask)(offSupport > outside), offSupport, outside);
    }
    KLScopeTopRewards result = {fmax(fmax(top[0], top[1]), fmax(top[2], top[3])),
                                fmax(fmax(outside[0], outside[1]), fmax(outside[2], outside[3]))};
    for (; y < count; y++) {
        if (logReference[y] > -INFINITY) {
            result.top = fmax(result.top, rewards[y]);
        } else {
            result.outside = fmax(result.outside, rewards[y]);
        }
    }
    return result;
}
DISPATCH(KLScopeTopRewards, top_rewards, (const double *logReference, const double *rewards, size_t count),
         (logReference, rewards, count))

KERNEL double mean_gap(const double *logReference, const double *mass, const double *rewards, size_t count, double top,
                       size_t *topIndices, size_t capacity, size_t *topCount) {
    const Lanes tops = SPLAT(top), zero = SPLAT(0), minusInfinity = SPLAT(-INFINITY);
    Compensated total = {0, 0};
    size_t found = 0;
    for (size_t start = 0; start < count; start += blockLength) {
        const size_t end = blockEnd(start, count);
        Lanes block = zero;
        double tail = 0;
        size_t y = start;
        for (; y + 4 <= end; y += 4) {
            const Lanes d = tops - LOAD(rewards + y);
            block += CHOOSE((Mask)(d > zero), LOAD(mass + y) * d, zero);
            const Mask atTop = (Mask)(d == zero) & (Mask)(LOAD(logReference + y) > minusInfinity);
            for (int lane = 0; lane < 4; lane++) {
                if (atTop[lane]) {
                    if (found < capacity) topIndices[found] = y + lane;
                    found++;
                }
            }
        }
        for (; y < end; y++) {
            const double d = top - rewards[y];
            if (d > 0) tail += mass[y] * d;
            if (d == 0 && logReference[y] > -INFINITY) {
                if (found < capacity) topIndices[found] = y;
                found++;
            }
        }
        compensatedAdd(&total, HORIZONTAL_SUM(block) + tail);
    }
    *topCount = found;
    return total.sum + total.compensation;
}
DISPATCH(double, mean_gap,
         (const double *logReference, const double *mass, const double *rewards, size_t count, double top,
          size_t *topIndices, size_t capacity, size_t *topCount),
         (logReference, mass, rewards, count, top, topIndices, capacity, topCount))

void klscope_shifted_gaps(const double *restrict rewards, size_t count, double top, double delta, double *restrict shifted) {
    for (size_t y = 0; y < count; y++) {
        const double d = top - rewards[y];
        shifted[y] = d > 0 ? delta + d : 1;
    }
}

KERNEL KLScopeDivergences divergence_block(const double *logP, const double *p, const double *logQ, const double *q,
                                          size_t count) {
    const Lanes zero = SPLAT(0), minusInfinity = SPLAT(-INFINITY);
    Lanes to = zero, from = zero, ratio = minusInfinity;
    Mask policyOnly = {0, 0, 0, 0}, referenceOnly = policyOnly;
    size_t y = 0;
    for (; y + 4 <= count; y += 4) {
        const Lanes lp = LOAD(logP + y), lq = LOAD(logQ + y);
        const Mask policyHas = (Mask)(lp > minusInfinity), referenceHas = (Mask)(lq > minusInfinity);
        const Mask both = policyHas & referenceHas;
        const Lanes difference = CHOOSE(both, lp - lq, zero);
        to += LOAD(p + y) * difference;
        from -= LOAD(q + y) * difference;
        const Lanes candidate = CHOOSE(both, difference, minusInfinity);
        ratio = CHOOSE((Mask)(candidate > ratio), candidate, ratio);
        policyOnly |= policyHas & ~referenceHas;
        referenceOnly |= ~policyHas & referenceHas;
    }
    KLScopeDivergences result = {HORIZONTAL_SUM(to), HORIZONTAL_SUM(from),
                                 fmax(fmax(ratio[0], ratio[1]), fmax(ratio[2], ratio[3])),
                                 (policyOnly[0] | policyOnly[1] | policyOnly[2] | policyOnly[3]) != 0,
                                 (referenceOnly[0] | referenceOnly[1] | referenceOnly[2] | referenceOnly[3]) != 0};
    for (; y < count; y++) {
        if (logP[y] > -INFINITY && logQ[y] > -INFINITY) {
            const double difference = logP[y] - logQ[y];
            result.to += p[y] * difference;
            result.from -= q[y] * difference;
            result.ratio = fmax(result.ratio, difference);
        } else if (logP[y] > -INFINITY) {
            result.policyOnly = 1;
        } else if (logQ[y] > -INFINITY) {
            result.referenceOnly = 1;
        }
    }
    return result;
}
DISPATCH(KLScopeDivergences, divergence_block,
         (const double *logP, const double *p, const double *logQ, const double *q, size_t count), (logP, p, logQ, q, count))

KERNEL KLScopeMoments reward_and_entropy(const double *p, const double *logP, const double *rewards, size_t count) {
    const Lanes zero = SPLAT(0);
    Lanes reward = zero, entropy = zero;
    size_t y = 0;
    for (; y + 4 <= count; y += 4) {
        const Lanes mass = LOAD(p + y);
        const Mask positive = (Mask)(mass > zero);
        reward += CHOOSE(positive, mass * LOAD(rewards + y), zero);
        entropy -= CHOOSE(positive, mass * LOAD(logP + y), zero);
    }
    KLScopeMoments result = {HORIZONTAL_SUM(reward), HORIZONTAL_SUM(entropy)};
    for (; y < count; y++) {
        if (p[y] > 0) {
            result.expectedReward += p[y] * rewards[y];
            result.entropy -= p[y] * logP[y];
        }
    }
    return result;
}
DISPATCH(KLScopeMoments, reward_and_entropy, (const double *p, const double *logP, const double *rewards, size_t count),
         (p, logP, rewards, count))
