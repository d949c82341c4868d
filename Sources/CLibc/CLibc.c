#include "CLibc.h"
#include <stdio.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int klscope_print_double(char *buffer, size_t size, int decimals, int scientific, double value) {
    int length = snprintf(buffer, size, scientific ? "%.*e" : "%.*f", decimals, value);
    if (!scientific || length < 0 || (size_t)length >= size) return length;
    char *e = strchr(buffer, 'e');
    if (e == NULL) return length;
    char *from = e + 1, *to = e + 1;
    if (*from == '-') *to++ = *from++;
    else if (*from == '+') from++;
    while (*from == '0' && from[1] != '\0') from++;
    while (*from != '\0') *to++ = *from++;
    *to = '\0';
    return (int)(to - buffer);
}

int klscope_configure_allocator(int mmapThreshold, int trimThreshold, int arenas) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, mmapThreshold) && mallopt(M_TRIM_THRESHOLD, trimThreshold)
        && mallopt(M_ARENA_MAX, arenas);
#else
    (void)mmapThreshold;
    (void)trimThreshold;
    (void)arenas;
    return 0;
#endif
}
