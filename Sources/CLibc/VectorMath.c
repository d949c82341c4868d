// exp and log over arrays through glibc's vector math library (libmvec), found at run time so
// the binary runs, and links, where it is missing: there every element goes through libm.
#include "CLibc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GLIBC__)
#include <dlfcn.h>
#include <immintrin.h>
#include <pthread.h>
#define KLSCOPE_LIBMVEC 1

typedef __m256d (*Wide)(__m256d);
typedef __m128d (*Narrow)(__m128d);

/// The routines chosen once: 4 lanes where the processor has AVX2 and FMA, else 2 (SSE2, which
/// every x86-64 has), else none (no libmvec). KLSCOPE_LANES=2 or 1 in the environment caps the
/// lanes, so that the narrower paths can be run, and compared, on a processor with AVX2.
static struct {
    int lanes;
    Wide wideExp, wideLog;
    Narrow narrowExp, narrowLog;
} routines;
static pthread_once_t chosen = PTHREAD_ONCE_INIT;

static void choose(void) {
    routines.lanes = 1;
    const char *cap = getenv("KLSCOPE_LANES");
    const int most = cap == NULL ? 4 : atoi(cap);
    void *library = most >= 2 ? dlopen("libmvec.so.1", RTLD_NOW | RTLD_LOCAL) : NULL;
    if (library == NULL) return;
    __builtin_cpu_init();
    if (most >= 4 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        routines.wideExp = (Wide)dlsym(library, "_ZGVdN4v_exp");
        routines.wideLog = (Wide)dlsym(library, "_ZGVdN4v_log");
        if (routines.wideExp != NULL && routines.wideLog != NULL) { routines.lanes = 4; return; }
    }
    routines.narrowExp = (Narrow)dlsym(library, "_ZGVbN2v_exp");
    routines.narrowLog = (Narrow)dlsym(library, "_ZGVbN2v_log");
    if (routines.narrowExp != NULL && routines.narrowLog != NULL) routines.lanes = 2;
}

/// The inputs each routine meets often and handles slowly (libmvec sends a vector with such a
/// lane through its scalar fallback): −∞ and +∞ for exp (a zero probability), 0 and +∞ for log
/// (a zero probability, a division by one). Such lanes are given `substitute` and their result
/// set afterwards: `low` → `lowResult`, +∞ → +∞.
typedef struct {
    double low, lowResult, substitute;
} Special;
static const Special expSpecial = {-INFINITY, 0, 0};
static const Special logSpecial = {0, -INFINITY, 1};

/// Four lanes of `routine`, with the special lanes set aside.
__attribute__((target("avx2,fma"), always_inline))
static inline __m256d wideLanes(Wide routine, Special special, __m256d value) {
    const __m256d atLow = _mm256_cmp_pd(value, _mm256_set1_pd(special.low), _CMP_EQ_OQ);
    const __m256d atInfinity = _mm256_cmp_pd(value, _mm256_set1_pd(INFINITY), _CMP_EQ_OQ);
    const __m256d hit = _mm256_or_pd(atLow, atInfinity);
    if (_mm256_testz_pd(hit, hit)) return routine(value);
    const __m256d answer = routine(_mm256_blendv_pd(value, _mm256_set1_pd(special.substitute), hit));
    return _mm256_blendv_pd(_mm256_blendv_pd(answer, _mm256_set1_pd(special.lowResult), atLow), _mm256_set1_pd(INFINITY), atInfinity);
}

/// Four lanes at a time; the last partial group is padded, so that every element goes through
/// the same routine whatever its position in the array.
__attribute__((target("avx2,fma")))
static void wide(Wide routine, Special special, const double *x, double *y, size_t count) {
    size_t i = 0;
    for (; i + 4 <= count; i += 4) _mm256_storeu_pd(y + i, wideLanes(routine, special, _mm256_loadu_pd(x + i)));
    if (i < count) {
        double padded[4] = {1, 1, 1, 1};
        memcpy(padded, x + i, (count - i) * sizeof(double));
        _mm256_storeu_pd(padded, wideLanes(routine, special, _mm256_loadu_pd(padded)));
        memcpy(y + i, padded, (count - i) * sizeof(double));
    }
}

/// `mask ? yes : no` lane by lane (SSE2 has no blend).
static inline __m128d select2(__m128d mask, __m128d yes, __m128d no) {
    return _mm_or_pd(_mm_and_pd(mask, yes), _mm_andnot_pd(mask, no));
}

static void narrow(Narrow routine, Special special, const double *x, double *y, size_t count) {
    const __m128d low = _mm_set1_pd(special.low), lowResult = _mm_set1_pd(special.lowResult),
                  substitute = _mm_set1_pd(special.substitute), infinity = _mm_set1_pd(INFINITY);
    for (size_t i = 0; i < count; i += 2) {
        const int partial = i + 2 > count;
        __m128d value = partial ? _mm_set_pd(1, x[i]) : _mm_loadu_pd(x + i);
        __m128d atLow = _mm_cmpeq_pd(value, low), atInfinity = _mm_cmpeq_pd(value, infinity);
        __m128d hit = _mm_or_pd(atLow, atInfinity);
        __m128d answer;
        if (_mm_movemask_pd(hit) == 0) {
            answer = routine(value);
        } else {
            answer = routine(select2(hit, substitute, value));
            answer = select2(atInfinity, infinity, select2(atLow, lowResult, answer));
        }
        if (partial) {
            _mm_storel_pd(y + i, answer);
        } else {
            _mm_storeu_pd(y + i, answer);
        }
    }
}
#endif

int klscope_vector_lanes(void) {
#if defined(KLSCOPE_LIBMVEC)
    pthread_once(&chosen, choose);
    return routines.lanes;
#else
    return 1;
#endif
}

void klscope_exp(const double *x, double *y, size_t count) {
#if defined(KLSCOPE_LIBMVEC)
    switch (klscope_vector_lanes()) {
    case 4: wide(routines.wideExp, expSpecial, x, y, count); return;
    case 2: narrow(routines.narrowExp, expSpecial, x, y, count); return;
    }
#endif
    for (size_t i = 0; i < count; i++) y[i] = exp(x[i]);
}

void klscope_log(const double *x, double *y, size_t count) {
#if defined(KLSCOPE_LIBMVEC)
    switch (klscope_vector_lanes()) {
    case 4: wide(routines.wideLog, logSpecial, x, y, count); return;
    case 2: narrow(routines.narrowLog, logSpecial, x, y, count); return;
    }
#endif
    for (size_t i = 0; i < count; i++) y[i] = log(x[i]);
}
