#ifndef KLSCOPE_CPRINTF_H
#define KLSCOPE_CPRINTF_H

#include <stddef.h>

/// Writes `value` as C's "%.*f" (or "%.*e" when `scientific` is non-zero) with `decimals`
/// digits after the point into `buffer`; returns what snprintf returns. Swift can only reach
/// snprintf through CVarArg bridging, which costs a dynamic cast per argument; a report of
/// 150,000 rows formats two million numbers.
int klscope_print_double(char *buffer, size_t size, int decimals, int scientific, double value);

#endif
