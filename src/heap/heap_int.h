/* heap_int.h — the private heap's internals: region, arenas, pools, blocks.
 *
 * Layout (all sizes are powers of two):
 *   region  one process-wide reservation of address space (PROT_NONE), carved
 *           into arena slots. A block is a pool block iff its address lies in
 *           the region: free() tells small from large with one compare, no
 *           lookup table. Slots of released arenas are re-reserved PROT_NONE,
 *           never unmapped, so no other mapping can land inside the region.
 *   arena   1 MiB, aligned to its size, committed from a region slot; 64 pools.
 *           Described by a heap_arena record kept outside the arena.
 *   pool    16 KiB, aligned, wholly blocks of one size class. Its 64-byte
 *           descriptor (heap_pool) lives outside it, in the region's pool
 *           table: descriptor i describes the i-th 16 KiB of the region, so
 *           heap_pool_of(block) is a subtraction and a shift, and the
 *           descriptors of all live pools sit side by side (see below why).
 *   large   requests above 512 bytes: malloc'd with a heap_large header in
 *           front, linked into the heap's list so the heap can free them all.
 *
 * Invariants (checked by heap_validate):
 *   - a pool is on usedpools[c] iff it has class c, 0 < used < capacity, or
 *     it is class c's kept pool: kept[c], with used == 0, anywhere on the
 *     list (see pool.c); kept[c] may also be stale: a pool of class c in use;
 *     bit c of kept_bits is set iff kept[c] != NULL;
 *   - usedpools lists end at h->nopool, never NULL; a listed pool's prev is
 *     exact except at the head, where it is stale;
 *   - any other pool with used == 0 is on its arena's freepools list (or
 *     uncarved); only the spare arena may hold kept pools and no pool in use;
 *   - arena->nfree == pools on freepools + uncarved pools;
 *   - an arena is on avail[nfree] list iff 0 < nfree; full arenas (nfree 0)
 *     are on no list; bit k-1 of avail_bits is set iff avail[k] is non-empty;
 *   - bytes_peak - peak_room == sum over live blocks of their block size
 *     (small) or requested size (large); peak_room >= 0.
 *
 * This layer knows nothing of objects. The object and collector layers keep
 * their own state behind the obj and gc pointers, opaque here.
 */
#ifndef TALLY_HEAP_INT_H
#define TALLY_HEAP_INT_H

#include "tally/heap.h"

#include <stdio.h>

#define HEAP_POOLS_PER_ARENA (TL_HEAP_ARENA_SIZE / TL_HEAP_POOL_SIZE)   /* 64 */

#if defined(__GNUC__)
#define HEAP_LIKELY(x) __builtin_expect(!!(x), 1)
#define HEAP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define HEAP_COLD __attribute__((cold, noinline))
#define HEAP_HOT_ENTRY __attribute__((aligned(64)))
#else
#define HEAP_LIKELY(x) (x)
#define HEAP_UNLIKELY(x) (x)
#define HEAP_COLD
#define HEAP_HOT_ENTRY
#endif

typedef struct heap_arena heap_arena;
typedef struct heap_pool heap_pool;

/* A pool's descriptor, one cache line in the region's pool table. It used to
 * be a header at the start of the pool: then every header sat at the same
 * offset modulo 16 KiB, so all of them competed for one L1 set (and a few L2
 * sets), and a free into a random pool missed the cache on its header (40%
 * of tl_heap_free's time in bench/alloc_bench's random pattern, perf). Side
 * by side in the table, the descriptors of a few hundred pools stay cached. */
struct heap_pool {
    void *freeblock;            /* LIFO list of free blocks; never NULL while the
                                   pool is on usedpools (the next virgin block is
                                   pushed lazily when the list runs dry) */
    heap_pool *next, *prev;     /* usedpools[szidx] list, or arena freepools (next) */
    heap_arena *arena;          /* owning arena */
    tl_heap *heap;              /* owning heap (== arena->heap), one load on free */
    uint32_t used;              /* blocks handed out and not freed; 32 bits, not 16:
                                   the increment and decrement in memory, chained
                                   from call to call, ran bench/alloc_bench's LIFO
                                   pattern ~20% slower as 16-bit operations */
    uint16_t szidx;             /* size class */
    uint16_t block_size;        /* (szidx + 1) * 16, read by the free path */
    uint16_t nextoffset;        /* offset of the next never-used block */
    uint16_t maxnextoffset;     /* last offset where a whole block still fits */
    char pad_[12];              /* to 64 bytes: the table is page-aligned, so each
                                   descriptor is one whole cache line */
};
_Static_assert(sizeof(heap_pool) == 64, "a pool descriptor is one cache line");

struct heap_arena {
    char *base;                 /* TL_HEAP_ARENA_SIZE bytes, aligned */
    tl_heap *heap;
    heap_pool *freepools;       /* carved pools with used == 0 (singly linked) */
    unsigned nfree;             /* freepools length + uncarved pools */
    unsigned ncarved;           /* pools carved so far: pools [0, ncarved) exist */
    heap_arena *next, *prev;    /* avail[nfree] list, or the heap's full list */
};

typedef struct heap_large {     /* 32 bytes in front of a large block */
    struct heap_large *next, *prev;
    size_t size;                /* requested bytes */
    tl_heap *heap;
} heap_large;

/* Flags for tl_heap.hooks: any set bit sends allocations down the slow path. */
#define HEAP_HOOK_DEBUG 1u
#define HEAP_HOOK_FAIL  2u
#define HEAP_HOOK_COUNT 4u
#define HEAP_HOOK_TRACE 8u
#define HEAP_HOOK_LIMIT 16u

struct obj_state;
struct gc_state;

struct tl_heap {
    heap_pool *usedpools[TL_HEAP_NCLASSES];   /* partly used pools per class */
    size_t fast_max;                          /* TL_HEAP_SMALL_MAX, or 0 while hooks != 0 */
    unsigned hooks;                           /* HEAP_HOOK_*; 0 on the fast path */
    /* Bytes in use are bytes_peak - peak_room. Keeping the distance to the
     * peak rather than the count makes the exact peak cost one subtraction
     * and a sign test per allocation (the compare with a stored peak and its
     * store cost four instructions of the ~24 of the allocation fast path). */
    size_t bytes_peak;
    ptrdiff_t peak_room;

    heap_arena *avail[HEAP_POOLS_PER_ARENA + 1]; /* arenas by free pool count */
    uint64_t avail_bits;                      /* bit k-1 set iff avail[k] non-empty */
    heap_arena *full;                         /* arenas with no free pool */
    heap_arena *spare;                        /* the one arena with no pool in use (its
                                                 pools free, or kept: see pool.c) left
                                                 mapped, or NULL; stale once a kept pool
                                                 of it is allocated from */
    size_t arenas_in_use, arenas_allocated, arenas_returned;

    heap_large *large;                        /* live large blocks */
    size_t large_blocks, large_bytes;

    /* Slow-path state. */
    uint64_t allocations;                     /* counted while hooks != 0 */
    uint64_t fail_at;                         /* allocation number that fails, 0 none */
    bool fail_every_after;
    uint64_t failures;
    size_t limit;                             /* cap on bytes in use, 0 none */
    bool limit_hit;                           /* a request was refused: headroom granted
                                                 (see over_limit in heap.c) */
    uint64_t debug_serial;                    /* last serial handed out */
    tl_heap_trace_fn trace_fn;
    void *trace_ctx;

    /* End of every usedpools list: a descriptor that fails the allocation
     * fast path (its free list is one NULL word, and it claims a virgin
     * block), so that path needs no NULL test and a relinked pool sets its
     * successor's prev without one. used is 1, so it never looks kept. */
    heap_pool nopool;
    heap_pool *kept[TL_HEAP_NCLASSES];        /* a class's kept pool, or stale (pool.c) */
    uint32_t kept_bits;                       /* bit c set iff kept[c] != NULL */

    struct obj_state *obj;                    /* object layer (src/object) */
    struct gc_state *gc;                      /* collector (src/gc) */
    void *client;                             /* embedder's pointer (the interpreter) */
};

/* region.c: the process-wide reservation and its pool table. Hidden, so that
 * even in the shared library the free path reads them directly rather than
 * through the GOT. The table's entries of an arena slot are committed (zeroed)
 * and released with the arena. */
#if defined(__GNUC__)
#define HEAP_HIDDEN __attribute__((visibility("hidden")))
#else
#define HEAP_HIDDEN
#endif
extern uintptr_t heap_region_base HEAP_HIDDEN;
extern uintptr_t heap_region_size HEAP_HIDDEN;
extern heap_pool *heap_pool_table HEAP_HIDDEN;
static inline bool heap_in_region(const void *p)
{
    return (uintptr_t)p - heap_region_base < heap_region_size;
}
void *heap_region_commit(void);            /* a fresh zeroed arena, or NULL */
void heap_region_release(void *arena);     /* pages back to the OS */
bool heap_region_init(void);

/* The descriptor of the pool holding p, which must lie in the region. */
static inline heap_pool *heap_pool_of(const void *p)
{
    return heap_pool_table + ((uintptr_t)p - heap_region_base) / TL_HEAP_POOL_SIZE;
}
/* The pool's first byte (its first block). */
static inline char *heap_pool_mem(const heap_pool *pool)
{
    return (char *)(heap_region_base + (size_t)(pool - heap_pool_table) * TL_HEAP_POOL_SIZE);
}
static inline size_t heap_class_size(size_t szidx) { return szidx * 16 + 16; }
/* Blocks per pool of a class. */
static inline size_t heap_pool_capacity(unsigned szidx) { return TL_HEAP_POOL_SIZE / heap_class_size(szidx); }
static inline unsigned heap_class_of(size_t n) { return n ? (unsigned)((n - 1) >> 4) : 0; }

/* pool.c: slow paths of the pool allocator. */
void *heap_pool_refill(tl_heap *h, size_t szidx);   /* usedpools[szidx] was empty */
void *heap_small_alloc_slow(tl_heap *h, size_t szidx);
/* The pool empties (used is already decremented). */
void heap_small_free_slow(heap_pool *pool, void *p);
void heap_pools_init(tl_heap *h);
void heap_arenas_release_all(tl_heap *h);

/* Accounting of bytes in use; see tl_heap.peak_room. */
static inline void heap_count_alloc(tl_heap *h, size_t size)
{
    ptrdiff_t room = h->peak_room - (ptrdiff_t)size;
    h->peak_room = room;
    if (HEAP_UNLIKELY(room < 0)) {
        h->bytes_peak -= (size_t)room;     /* a new peak */
        h->peak_room = 0;
    }
}
static inline void heap_count_free(tl_heap *h, size_t size) { h->peak_room += (ptrdiff_t)size; }
static inline size_t heap_bytes_in_use(const tl_heap *h)
{
    return h->bytes_peak - (size_t)h->peak_room;
}

/* Fast paths: a few loads and stores, no call; the rare cases (no pool,
 * carving a virgin block, emptying a pool) are in heap_small_alloc_slow /
 * heap_small_free_slow.
 *
 * Measured with bench/alloc_bench: with those calls inline, every call paid
 * a stack frame (push/pop of two registers) and tally ran 1.4x mimalloc on
 * 32-byte LIFO; moved out of line, the common case is straight-line code.
 * Unlinking a pool that becomes full and relinking it when a block comes
 * back stay inline: in the random-replacement pattern nearly every pool is
 * full, so nearly every pair does both, and a call for each cost ~4 ns. */
static inline void *heap_small_alloc_fast(tl_heap *h, size_t szidx)
{
    heap_pool *pool = h->usedpools[szidx];
    void *b = pool->freeblock;
    void *next = *(void **)b;
    if (HEAP_UNLIKELY(!next)) {
        if (pool->nextoffset <= pool->maxnextoffset)
            return NULL;                     /* carve a virgin block, or nopool */
        /* Full: leaves the used list (the new head's prev goes stale). */
        h->usedpools[szidx] = pool->next;
    }
    pool->freeblock = next;
    pool->used++;
    heap_count_alloc(h, heap_class_size(szidx));
    return b;
}

static inline void *heap_small_alloc(tl_heap *h, size_t szidx)
{
    void *b = heap_small_alloc_fast(h, szidx);
    return HEAP_LIKELY(b != NULL) ? b : heap_small_alloc_slow(h, szidx);
}

static inline void heap_small_free(void *p)
{
    heap_pool *pool = heap_pool_of(p);
    tl_heap *h = pool->heap;
    void *head = pool->freeblock;
    if (HEAP_UNLIKELY(--pool->used == 0)) {
        heap_small_free_slow(pool, p);       /* the pool empties */
        return;
    }
    if (HEAP_UNLIKELY(!head)) {
        /* The pool was full: back to the front of its class's list (in
         * front of a kept pool too: see pool.c). */
        heap_pool *first = h->usedpools[pool->szidx];
        pool->next = first;
        first->prev = pool;
        h->usedpools[pool->szidx] = pool;
    }
    *(void **)p = head;
    pool->freeblock = p;
    heap_count_free(h, pool->block_size);
}

/* large.c */
void *heap_large_alloc(tl_heap *h, size_t n);
void *heap_large_realloc(void *p, size_t n);
void heap_large_free(void *p);
void heap_large_release_all(tl_heap *h);
static inline heap_large *heap_large_of(const void *p) { return (heap_large *)p - 1; }

/* debug.c: the debug heap (TALLY_MALLOC=debug). */
void *heap_debug_alloc(tl_heap *h, size_t n);
void heap_debug_free(tl_heap *h, void *p);
size_t heap_debug_size(const void *p);
bool heap_debug_is_large_debug(const void *p);
tl_heap *heap_debug_large_heap(const void *p);
/* A block outside the region whose front guard is not intact and whose heap
 * word names no live heap: reports underflow, double or invalid free; aborts. */
void heap_debug_damaged_large(const void *p);
void heap_debug_poison_pool(void *pool_start, size_t len);

/* heap.c */
bool heap_init(tl_heap *h, const tl_heap_options *opts);
void heap_fini(tl_heap *h);
void *heap_raw_alloc(tl_heap *h, size_t n);   /* pools or large, no hooks */
void heap_raw_free(tl_heap *h, void *p);
size_t heap_raw_size(const void *p);
/* Checks every invariant above; returns NULL or a description of the first
 * violation. Walks everything: for tests and debug builds. */
const char *heap_validate(const tl_heap *h);

#endif
