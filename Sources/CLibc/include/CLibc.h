#ifndef KLSCOPE_CLIBC_H
#define KLSCOPE_CLIBC_H

// C library calls Swift cannot make directly, or only slowly.

#include <stddef.h>

/// Writes `value` as C's "%.*f" (or "%.*e" when `scientific` is non-zero) with `decimals`
/// digits after the point into `buffer`, the exponent written compactly ("1.2e-7", "1.2e8" for
/// "1.2e-07", "1.2e+08"); returns what snprintf returns. Swift can only reach snprintf through
/// CVarArg bridging, which costs a dynamic cast per argument; a report of 150,000 rows formats
/// two million numbers.
int klscope_print_double(char *buffer, size_t size, int decimals, int scientific, double value);

/// Sets glibc's mmap threshold (`mallopt(M_MMAP_THRESHOLD, bytes)`, which Swift's Glibc module
/// does not export); returns 1 on success, 0 where it failed or there is no glibc.
int klscope_set_mmap_threshold(int bytes);

/// Asks the processor to bring the cache line at `address` in (`__builtin_prefetch`), which
/// Swift cannot: the label index probes a table far larger than the caches at random.
static inline void klscope_prefetch(const void *address) { __builtin_prefetch(address); }

#endif
