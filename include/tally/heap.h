/* tally/heap.h — the private heap: public interface.
 *
 * A tl_heap is one private small-object heap, owned by one thread. It serves
 * requests of 1..512 bytes from 16-byte size classes carved out of 16 KiB pools
 * inside 1 MiB arenas, and larger requests from the system allocator behind a
 * small header. Every block is 16-byte aligned. tl_heap_free() needs no heap
 * argument: a block finds its own heap.
 *
 * Allocation failure returns NULL; nothing here aborts, except the debug heap
 * (TALLY_MALLOC=debug) when it finds memory damaged.
 */
#ifndef TALLY_HEAP_H
#define TALLY_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_heap tl_heap;

#define TL_HEAP_ALIGNMENT 16u            /* every block's address is a multiple */
#define TL_HEAP_SMALL_MAX 512u           /* largest request served from pools */
#define TL_HEAP_NCLASSES 32u             /* 16, 32, ... 512 bytes */
#define TL_HEAP_POOL_SIZE ((size_t)16 << 10)
#define TL_HEAP_ARENA_SIZE ((size_t)1 << 20)
/* Larger requests fail (NULL) without reaching the system allocator: more
 * than any machine this runs on has, and what AddressSanitizer's malloc
 * accepts, so an absurd size fails the same way in every build. */
#define TL_HEAP_MAX_REQUEST ((size_t)1 << 40)

/* Options for tl_heap_new_ex(). Zero-initialised options give the defaults,
 * which tl_heap_new() takes from the environment (TALLY_MALLOC, TALLY_FAIL_ALLOC). */
typedef struct tl_heap_options {
    bool debug;              /* poison, guard bytes, serial numbers, corruption checks */
    bool no_env;             /* ignore TALLY_MALLOC / TALLY_FAIL_ALLOC */
} tl_heap_options;

/* Lifecycle (implemented at the top of the library: a heap also carries the
 * object and collector state). tl_heap_delete() frees every block still held. */
tl_heap *tl_heap_new(void);
tl_heap *tl_heap_new_ex(const tl_heap_options *opts);
void tl_heap_delete(tl_heap *h);

/* Raw blocks. tl_heap_alloc(h, 0) returns a unique 16-byte block. */
void *tl_heap_alloc(tl_heap *h, size_t n);
void *tl_heap_calloc(tl_heap *h, size_t n);          /* zero-filled */
void *tl_heap_realloc(tl_heap *h, void *p, size_t n); /* p may be NULL */
void tl_heap_free(void *p);                           /* p may be NULL */
tl_heap *tl_heap_of(const void *p);                   /* the heap a block came from */
size_t tl_heap_block_size(const void *p);             /* usable bytes of a live block */
bool tl_heap_is_debug(const tl_heap *h);

/* Statistics: always maintained; reading them walks the arenas (cheap). */
typedef struct tl_heap_class_stats {
    size_t block_size;       /* bytes per block of this class */
    size_t blocks_in_use;
    size_t bytes_in_use;     /* blocks_in_use * block_size */
    size_t pools;            /* pools currently assigned to this class */
    size_t blocks_free;      /* free blocks in those pools (free list + never used) */
} tl_heap_class_stats;

typedef struct tl_heap_stats {
    tl_heap_class_stats classes[TL_HEAP_NCLASSES];
    size_t small_blocks;     /* pool blocks in use */
    size_t large_blocks;     /* system-allocator blocks in use */
    size_t large_bytes;      /* their usable bytes */
    size_t pools_in_use;     /* pools holding at least one block */
    size_t pools_free;       /* carved or uncarved pools of live arenas not in use */
    size_t arenas_in_use;    /* arenas currently mapped */
    size_t arenas_allocated; /* arenas mapped over the heap's life */
    size_t arenas_returned;  /* arenas given back to the OS over the heap's life */
    size_t bytes_in_use;     /* block bytes (small block sizes + large usable sizes) */
    size_t bytes_peak;       /* highest bytes_in_use seen (see tl_heap_reset_peak) */
    size_t bytes_mapped;     /* arena bytes mapped now */
    uint64_t allocations;    /* allocations counted (only while a hook is active: debug,
                                failure injection, tracing); else 0 */
} tl_heap_stats;

void tl_heap_stats_get(const tl_heap *h, tl_heap_stats *out);
size_t tl_heap_blocks_in_use(const tl_heap *h);   /* small + large */
void tl_heap_reset_peak(tl_heap *h);
/* Writes a per-size-class table (in the spirit of CPython's
 * sys._debugmallocstats) to f, a FILE *. */
void tl_heap_print_stats(const tl_heap *h, void *f);

/* Failure injection. Allocation number n (1-based, counted from this call) fails;
 * with every_after, every allocation from the n-th on fails. n == 0 disarms.
 * TALLY_FAIL_ALLOC=N or N+ arms it at heap creation. */
void tl_heap_fail_at(tl_heap *h, uint64_t n, bool every_after);
uint64_t tl_heap_failures(const tl_heap *h);      /* failures injected so far */
/* A cap on the heap: an allocation that would take the bytes in use (as
 * tl_heap_stats.bytes_in_use counts them) past max_bytes fails (NULL), as
 * if the system were out of memory. Once one has failed, 1/16 of the cap
 * more is allowed until use falls that far below it again, so that the
 * failure can be reported. 0 removes the cap. */
void tl_heap_set_limit(tl_heap *h, size_t max_bytes);
size_t tl_heap_limit(const tl_heap *h);             /* 0: none */
/* Counts allocations from now on (arms the slow path without failing anything). */
void tl_heap_count_allocations(tl_heap *h, bool on);

/* Allocation tracing hook (used by tracemalloc): called after each successful
 * allocation and before each free, with the usable size. */
typedef void (*tl_heap_trace_fn)(void *ctx, void *block, size_t size, bool is_alloc);
void tl_heap_set_trace(tl_heap *h, tl_heap_trace_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
