#include "CPrintf.h"
#include <stdio.h>

int klscope_print_double(char *buffer, size_t size, int decimals, int scientific, double value) {
    return snprintf(buffer, size, scientific ? "%.*e" : "%.*f", decimals, value);
}
