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

/// The lanes `klscope_exp` and `klscope_log` use: 4 (AVX2), 2 (SSE2) or 1 (libm, one at a time).
int klscope_vector_lanes(void);

/// Sets `*result` to `mantissa * 10^exponent` correctly rounded to a double and returns 1, or
/// returns 0 when it cannot tell quickly (the Eisel–Lemire algorithm, NumberParsing.c): the
/// product lands too near a halfway point, or the result is subnormal, infinite or out of the
/// table's powers (10^-342 to 10^308); the caller then converts the decimal's text with
/// `strtod`. A zero mantissa gives 0. Parsing a big CSV of 17-digit numbers with `strtod` alone
/// took a quarter of the load.
int klscope_decimal_to_double(uint64_t mantissa, int exponent, double *result);

#endif
