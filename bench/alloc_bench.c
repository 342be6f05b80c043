/* alloc_bench.c — nanoseconds per allocate+free pair: libtally's pools against
 * glibc malloc and mimalloc, side by side in one process.
 *
 * Two patterns per block size (16, 32, 64, 128, 256 bytes):
 *   lifo     allocate a batch of 64 blocks, free them newest first, repeat;
 *   random   a ring of 100,000 live blocks; each step frees a random one
 *            and allocates its replacement.
 * Every block gets one word written, as an object's header would. Each
 * (size, pattern) is timed for the three allocators in turn, the order
 * rotating from one repetition to the next; the figure is the median of the
 * repetitions.
 *
 * Linking mimalloc (Debian's shared libmimalloc) replaces malloc/free for the
 * whole process, __libc_malloc included, so glibc's allocator is looked up
 * in libc.so.6 itself with dlsym and called through a pointer, as a call
 * through the PLT would be.
 *
 * Usage: alloc_bench [repetitions [size | allocator pattern size]]
 *   repetitions default 7; with a size, the table for that size only (all
 *   allocators and patterns, interleaved as above), e.g. alloc_bench 15 32;
 *   with the last three, that one case only (for profiling), e.g.
 *   alloc_bench 5 tally random 32
 */
#define _GNU_SOURCE
#include "tally.h"

#include <dlfcn.h>
#include <mimalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *(*glibc_malloc)(size_t);
static void (*glibc_free)(void *);

enum { BATCH = 64, LIFO_PAIRS = 4000000, RING = 100000, RANDOM_PAIRS = 2000000, MAXREPS = 31 };
enum { A_TALLY, A_MALLOC, A_MIMALLOC, NALLOC };
enum { P_LIFO, P_RANDOM, NPATTERN };

static const char *alloc_names[NALLOC] = {"tally", "malloc", "mimalloc"};
static const char *pattern_names[NPATTERN] = {"lifo", "random"};
static size_t sizes[] = {16, 32, 64, 128, 256};
static size_t nsizes = sizeof sizes / sizeof *sizes;
#define NSIZES (sizeof sizes / sizeof *sizes)

static tl_heap *heap;
static void **ring;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline uint64_t next_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* One pair of loops per allocator, with direct calls (no function pointers
 * in the measured loop). Returns ns per allocate+free pair. */
#define DEFINE_RUNS(NAME, ALLOC, FREE)                                          \
    static double lifo_##NAME(size_t size)                                      \
    {                                                                           \
        void *batch[BATCH];                                                     \
        double t0 = now_ns();                                                   \
        for (int k = 0; k < LIFO_PAIRS / BATCH; k++) {                          \
            for (int i = 0; i < BATCH; i++) {                                   \
                void **p = ALLOC(size);                                         \
                *p = p;                                                         \
                batch[i] = p;                                                   \
            }                                                                   \
            for (int i = BATCH; i-- > 0;)                                       \
                FREE(batch[i]);                                                 \
        }                                                                       \
        return (now_ns() - t0) / (LIFO_PAIRS / BATCH * BATCH);                  \
    }                                                                           \
    static double random_##NAME(size_t size)                                    \
    {                                                                           \
        for (int i = 0; i < RING; i++) {                                        \
            void **p = ALLOC(size);                                             \
            *p = p;                                                             \
            ring[i] = p;                                                        \
        }                                                                       \
        uint64_t seed = 0x9E3779B97F4A7C15ull;                                  \
        double t0 = now_ns();                                                   \
        for (int k = 0; k < RANDOM_PAIRS; k++) {                                \
            size_t i = (size_t)(next_rand(&seed) % RING);                       \
            FREE(ring[i]);                                                      \
            void **p = ALLOC(size);                                             \
            *p = p;                                                             \
            ring[i] = p;                                                        \
        }                                                                       \
        double ns = (now_ns() - t0) / RANDOM_PAIRS;                             \
        for (int i = 0; i < RING; i++)                                          \
            FREE(ring[i]);                                                      \
        return ns;                                                              \
    }

#define TALLY_ALLOC(n) tl_heap_alloc(heap, (n))
DEFINE_RUNS(tally, TALLY_ALLOC, tl_heap_free)
DEFINE_RUNS(malloc, glibc_malloc, glibc_free)
DEFINE_RUNS(mimalloc, mi_malloc, mi_free)

static double run(int alloc, int pattern, size_t size)
{
    switch (alloc * NPATTERN + pattern) {
    case A_TALLY * NPATTERN + P_LIFO: return lifo_tally(size);
    case A_TALLY * NPATTERN + P_RANDOM: return random_tally(size);
    case A_MALLOC * NPATTERN + P_LIFO: return lifo_malloc(size);
    case A_MALLOC * NPATTERN + P_RANDOM: return random_malloc(size);
    case A_MIMALLOC * NPATTERN + P_LIFO: return lifo_mimalloc(size);
    default: return random_mimalloc(size);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 7;
    if (reps < 1 || reps > MAXREPS) {
        fprintf(stderr, "usage: alloc_bench [repetitions 1..%d]\n", MAXREPS);
        return 2;
    }
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    glibc_malloc = libc ? (void *(*)(size_t))dlsym(libc, "malloc") : NULL;
    glibc_free = libc ? (void (*)(void *))dlsym(libc, "free") : NULL;
    if (!glibc_malloc || !glibc_free || (void *)glibc_malloc == (void *)mi_malloc) {
        fprintf(stderr, "alloc_bench: cannot find glibc's malloc\n");
        return 1;
    }
    tl_heap_options o = {.no_env = true};
    heap = tl_heap_new_ex(&o);
    ring = malloc(RING * sizeof *ring);
    if (!heap || !ring)
        return 1;
    if (argc == 3) {                      /* one size */
        sizes[0] = (size_t)atoi(argv[2]);
        nsizes = 1;
    }
    if (argc == 5) {                      /* one case, for profiling */
        int a = 0, p = 0;
        while (a < NALLOC && strcmp(argv[2], alloc_names[a])) a++;
        while (p < NPATTERN && strcmp(argv[3], pattern_names[p])) p++;
        if (a == NALLOC || p == NPATTERN)
            return 2;
        for (int r = 0; r < reps; r++)
            printf("%s %s %s: %.2f ns\n", argv[2], argv[3], argv[4], run(a, p, (size_t)atoi(argv[4])));
        return 0;
    }
    static double t[NSIZES][NPATTERN][NALLOC][MAXREPS];
    for (int r = 0; r < reps; r++)
        for (size_t s = 0; s < nsizes; s++)
            for (int p = 0; p < NPATTERN; p++)
                for (int k = 0; k < NALLOC; k++) {
                    int a = (k + r + (int)s) % NALLOC;    /* rotate who goes first */
                    t[s][p][a][r] = run(a, p, sizes[s]);
                }

    printf("ns per allocate+free pair, median of %d repetitions\n", reps);
    printf("%5s %-7s %9s %9s %9s %13s %15s\n", "size", "pattern", alloc_names[0],
           alloc_names[1], alloc_names[2], "tally/malloc", "tally/mimalloc");
    bool met = true;
    for (size_t s = 0; s < nsizes; s++)
        for (int p = 0; p < NPATTERN; p++) {
            double m[NALLOC];
            for (int a = 0; a < NALLOC; a++)
                m[a] = median(t[s][p][a], reps);
            double r_malloc = m[A_TALLY] / m[A_MALLOC], r_mi = m[A_TALLY] / m[A_MIMALLOC];
            printf("%5zu %-7s %9.2f %9.2f %9.2f %12.2fx %14.2fx\n", sizes[s], pattern_names[p],
                   m[A_TALLY], m[A_MALLOC], m[A_MIMALLOC], r_malloc, r_mi);
            if ((sizes[s] == 32 || sizes[s] == 64) && (r_malloc > 0.7 || r_mi > 1.0))
                met = false;
        }
    printf("target (32 and 64 bytes, both patterns: tally <= 0.7x malloc, <= 1.0x mimalloc): %s\n",
           met ? "met" : "missed");
    tl_heap_delete(heap);
    free(ring);
    return 0;
}
