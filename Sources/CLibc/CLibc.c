#include "CLibc.h"
#include <stdio.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int klscope_print_double(char *buffer, size_t size, int decimals, int scientific, double value) {
    return snprintf(buffer, size, scientific ? "%.*e" : "%.*f", decimals, value);
}

int klscope_set_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}
