#ifndef KLSCOPE_CLIBC_H
#define KLSCOPE_CLIBC_H

// C library calls Swift cannot make directly, or only slowly.

#include <stddef.h>
#include <stdint.h>

/// Writes `value` as C's "%.*f" (or "%.*e" when `scientific` is non-zero) with `decimals`
/// digits after the point into `buffer`, the exponent written compactly ("1.2e-7", "1.2e8" for
/// "1.2e-07", "1.2e+08"); returns what snprintf returns. Swift can only reach snprintf through
/// CVarArg bridging, which costs a dynamic cast per argument; a report of 150,000 rows formats
/// two million numbers.
int klscope_print_double(char *buffer, size_t size, int decimals, int scientific, double value);

/// Sets glibc's mmap threshold, trim threshold and number of arenas (`mallopt` with
/// `M_MMAP_THRESHOLD`, `M_TRIM_THRESHOLD`, `M_ARENA_MAX`, which Swift's Glibc module does not
/// export); returns 1 on success, 0 where one failed or there is no glibc.
int klscope_configure_allocator(int mmapThreshold, int trimThreshold, int arenas);

/// Asks the processor to bring the cache line at `address` in (`__builtin_prefetch`), which
/// Swift cannot: the label index probes a table far larger than the caches at random.
static inline void klscope_prefetch(const void *address) { __builtin_prefetch(address); }

/// `y[i] = exp(x[i])` for `i < count` (`x` and `y` may be the same array), through glibc's vector
/// math library where the processor and C library have it (4 lanes with AVX2 and FMA, 2 with
/// SSE2; within 4 ulp, exact at 0, ±∞), else libm's `exp`. Every element goes through the same
/// routine whatever its position, so a result never depends on how an array was split.
void klscope_exp(const double *x, double *y, size_t count);

/// `y[i] = log(x[i])` for `i < count`, as `klscope_exp` (`log 0 = −∞`; negative input gives NaN).
void klscope_log(const double *x, double *y, size_t count);

/// The lanes `klscope_exp` and `klscope_log` use: 4 (AVX2), 2 (SSE2) or 1 (libm, one at a time),
/// chosen at first use; KLSCOPE_LANES=2 or 1 in the environment caps them (for tests).
int klscope_vector_lanes(void);

/// What `klscope_inverse_sums` returns.
typedef struct {
    double inverses, squares, cubes;
} KLScopeInverseSums;

/// The part of the forward-KL root's `f` and its first two derivatives that takes a pass over the
/// responses: `inverses = Σ a/(δ + d)`, `squares = Σ a/(δ + d)²` and `cubes = Σ a/(δ + d)³` over the
/// responses with `d = top − r > 0` (`a` = `mass`, `r` = `rewards`, `δ` = `delta`), four lanes at a
/// time, `inverses` in blocks of 256 joined by a compensated sum. Built for AVX2 too, used where
/// `klscope_vector_lanes` is 4; both builds add in the same order.
KLScopeInverseSums klscope_inverse_sums(const double *mass, const double *rewards, size_t count, double top, double delta);

/// One block of the forward-KL optimum's value pass, over the responses that are supported and
/// below the top reward (`d = top − r > 0`): `reward = Σ a r/(δ + d)` and
/// `penalty = Σ a (logShifted + logOffset)`. The responses it leaves to the caller (supported at
/// the top reward, or unsupported at `escapeReward`) are written to `others` as indices (room for
/// `count`); returns how many. Built for AVX2 too, as `klscope_inverse_sums`.
size_t klscope_forward_value_sums(const double *logReference, const double *rewards, const double *mass,
                                  const double *logShifted, size_t count, double top, double delta, double logOffset,
                                  double escapeReward, double *reward, double *penalty, int *others);

/// Adds one reference's term of a weighted mean to `sums`: `weight / p` when `harmonic` is
/// non-zero, else `weight · p`; returns the smallest finite `logProbabilities` (+∞ when none), for
/// the caller's underflow check. Built for AVX2 too, as `klscope_inverse_sums`.
double klscope_accumulate_mean(double *sums, const double *probabilities, const double *logProbabilities,
                               size_t count, double weight, int harmonic);

/// Marks where one reference is supported (`logProbabilities[y] > −∞`): clears `intersection[y]`
/// where it is not, sets `union[y]` where it is (bytes holding 0 or 1, as Swift's `Bool`).
void klscope_mark_support(const double *restrict logProbabilities, size_t count, unsigned char *restrict intersection,
                          unsigned char *restrict union_);

/// The largest reward where a reference is supported (`top`) and where it is not (`outside`),
/// `-∞` where there is none.
typedef struct {
    double top, outside;
} KLScopeTopRewards;

/// `klscope_top_rewards` over `count` responses. Built for AVX2 too, as `klscope_inverse_sums`.
KLScopeTopRewards klscope_top_rewards(const double *logReference, const double *rewards, size_t count);

/// `Σ a (top − r)` over the responses below `top` (`a` = `mass`), in blocks of 256 joined by a
/// compensated sum; the indices of the supported responses at `top` go to `topIndices` (at most
/// `capacity` of them) and their number to `topCount`. Built for AVX2 too, as `klscope_inverse_sums`.
double klscope_mean_gap(const double *logReference, const double *mass, const double *rewards, size_t count, double top,
                        size_t *topIndices, size_t capacity, size_t *topCount);

/// `shifted[y] = δ + d` where `d = top − rewards[y] > 0`, else 1 (the argument of the forward-KL
/// optimum's logarithms; 1 where it is not read).
void klscope_shifted_gaps(const double *restrict rewards, size_t count, double top, double delta, double *restrict shifted);

/// What `klscope_divergence_block` returns.
typedef struct {
    double to, from, ratio;
    int policyOnly, referenceOnly;
} KLScopeDivergences;

/// Over `count` responses of a policy `p` and a reference `q` (each in log and linear space):
/// `to = Σ p (log p − log q)`, `from = −Σ q (log p − log q)` and `ratio = max (log p − log q)`
/// where both have mass, and whether one has mass where the other has none. Built for AVX2 too,
/// as `klscope_inverse_sums`.
KLScopeDivergences klscope_divergence_block(const double *logP, const double *p, const double *logQ, const double *q,
                                            size_t count);

/// `E_p[r]` and `H(p)` over `count` responses, from the responses with `p > 0`.
typedef struct {
    double expectedReward, entropy;
} KLScopeMoments;

/// `klscope_reward_and_entropy` over `count` responses. Built for AVX2 too, as `klscope_inverse_sums`.
KLScopeMoments klscope_reward_and_entropy(const double *p, const double *logP, const double *rewards, size_t count);

/// Sets `*result` to `mantissa * 10^exponent` correctly rounded to a double and returns 1, or
/// returns 0 when it cannot tell quickly (the Eisel–Lemire algorithm, NumberParsing.c): the
/// product lands too near a halfway point, or the result is subnormal, infinite or out of the
/// table's powers (10^-342 to 10^308); the caller then converts the decimal's text with
/// `strtod`. A zero mantissa gives 0. Parsing a big CSV of 17-digit numbers with `strtod` alone
/// took a quarter of the load.
int klscope_decimal_to_double(uint64_t mantissa, int exponent, double *result);

#endif
