/* heap.c — the heap's public entry points, hooks and statistics.
 *
 * tl_heap_alloc/free take the fast path (inline pool code, or malloc for large
 * requests) while h->hooks is 0. Any hook (debug heap, failure injection,
 * allocation counting, tracing) routes every call through one out-of-line slow
 * path, so the fast path pays a single test for all of them.
 */
#include "heap_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Live heaps, and how many of them are debug heaps. While a debug heap exists,
 * a block outside the region is either a debug block (its front guard intact),
 * a plain large block (the word before it names a live heap), or a debug block
 * whose front guard was overwritten: reported, never taken for a heap pointer. */
static pthread_mutex_t heaps_lock = PTHREAD_MUTEX_INITIALIZER;
static tl_heap **live_heaps;
static size_t nlive_heaps, cap_live_heaps;
static int ndebug_heaps;

static bool heaps_register(tl_heap *h)
{
    bool ok = true;
    pthread_mutex_lock(&heaps_lock);
    if (nlive_heaps == cap_live_heaps) {
        size_t cap = cap_live_heaps ? 2 * cap_live_heaps : 16;
        tl_heap **a = realloc(live_heaps, cap * sizeof *a);
        if (a) {
            live_heaps = a;
            cap_live_heaps = cap;
        }
        ok = a != NULL;
    }
    if (ok) {
        live_heaps[nlive_heaps++] = h;
        if (h->hooks & HEAP_HOOK_DEBUG)
            __atomic_add_fetch(&ndebug_heaps, 1, __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&heaps_lock);
    return ok;
}

static void heaps_unregister(tl_heap *h)
{
    pthread_mutex_lock(&heaps_lock);
    for (size_t i = 0; i < nlive_heaps; i++)
        if (live_heaps[i] == h)
            live_heaps[i] = live_heaps[--nlive_heaps];
    if (h->hooks & HEAP_HOOK_DEBUG)
        __atomic_sub_fetch(&ndebug_heaps, 1, __ATOMIC_RELAXED);
    if (!nlive_heaps) {
        free(live_heaps);
        live_heaps = NULL;
        cap_live_heaps = 0;
    }
    pthread_mutex_unlock(&heaps_lock);
}

static bool heap_is_live(const tl_heap *h)
{
    bool known = false;
    pthread_mutex_lock(&heaps_lock);
    for (size_t i = 0; i < nlive_heaps && !known; i++)
        known = live_heaps[i] == h;
    pthread_mutex_unlock(&heaps_lock);
    return known;
}

static bool debug_heaps_exist(void)
{
    return __atomic_load_n(&ndebug_heaps, __ATOMIC_RELAXED) != 0;
}

static void update_hook(tl_heap *h, unsigned bit, bool on)
{
    if (on)
        h->hooks |= bit;
    else
        h->hooks &= ~bit;
    h->fast_max = h->hooks ? 0 : TL_HEAP_SMALL_MAX;
}

static void parse_fail_env(tl_heap *h)
{
    const char *env = getenv("TALLY_FAIL_ALLOC");
    if (!env || !*env)
        return;
    char *end;
    unsigned long long n = strtoull(env, &end, 10);
    if (n)
        tl_heap_fail_at(h, n, *end == '+');
}

bool heap_init(tl_heap *h, const tl_heap_options *opts)
{
    tl_heap_options o = opts ? *opts : (tl_heap_options){0};
    if (!o.no_env) {
        const char *m = getenv("TALLY_MALLOC");
        if (m && strcmp(m, "debug") == 0)
            o.debug = true;
    }
    heap_region_init();      /* without a region every block is large */
    h->fast_max = TL_HEAP_SMALL_MAX;
    heap_pools_init(h);
    if (o.debug)
        update_hook(h, HEAP_HOOK_DEBUG, true);
    if (!heaps_register(h))
        return false;
    if (!o.no_env)
        parse_fail_env(h);
    return true;
}

void heap_fini(tl_heap *h)
{
    heap_arenas_release_all(h);
    heap_large_release_all(h);
    heaps_unregister(h);
}

/* --- raw blocks: pools or large, no hooks --------------------------------- */

void *heap_raw_alloc(tl_heap *h, size_t n)
{
    if (n <= TL_HEAP_SMALL_MAX) {
        void *p = heap_small_alloc(h, heap_class_of(n));
        if (HEAP_LIKELY(p != NULL))
            return p;
    }
    return heap_large_alloc(h, n);
}

void heap_raw_free(tl_heap *h, void *p)
{
    (void)h;
    if (heap_in_region(p))
        heap_small_free(p);
    else
        heap_large_free(p);
}

size_t heap_raw_size(const void *p)
{
    return heap_in_region(p) ? heap_class_size(heap_pool_of(p)->szidx) : heap_large_of(p)->size;
}

/* --- hooks ------------------------------------------------------------------ */

/* Whether n more bytes would take the heap past its cap. Counted as
 * tl_heap_stats.bytes_in_use counts (the debug heap's guards and a small
 * request's rounding to its class are not): a cap, not an exact budget.
 * Once a request has been refused, a headroom of 1/16 of the cap is
 * granted, so that what reports the failure (a MemoryError, its traceback)
 * finds memory; it is withdrawn once use falls below the cap by as much. */
static bool over_limit(tl_heap *h, size_t n)
{
    size_t used = heap_bytes_in_use(h), headroom = h->limit / 16;
    if (h->limit_hit && used < h->limit - headroom)
        h->limit_hit = false;
    size_t cap = h->limit + (h->limit_hit ? headroom : 0);
    if (used <= cap && n <= cap - used)
        return false;
    h->limit_hit = true;
    return true;
}

HEAP_COLD static void *hooked_alloc(tl_heap *h, size_t n)
{
    uint64_t k = ++h->allocations;
    if ((h->hooks & HEAP_HOOK_FAIL) &&
        (k == h->fail_at || (h->fail_every_after && k > h->fail_at))) {
        h->failures++;
        return NULL;
    }
    if ((h->hooks & HEAP_HOOK_LIMIT) && over_limit(h, n))
        return NULL;
    void *p = (h->hooks & HEAP_HOOK_DEBUG) ? heap_debug_alloc(h, n) : heap_raw_alloc(h, n);
    if (p && (h->hooks & HEAP_HOOK_TRACE))
        h->trace_fn(h->trace_ctx, p, n, true);
    return p;
}

HEAP_COLD static void hooked_free(tl_heap *h, void *p)
{
    if (h->hooks & HEAP_HOOK_TRACE)
        h->trace_fn(h->trace_ctx, p, tl_heap_block_size(p), false);
    if (h->hooks & HEAP_HOOK_DEBUG)
        heap_debug_free(h, p);
    else
        heap_raw_free(h, p);
}


/* --- public ------------------------------------------------------------------ */

/* Everything but a pooled block served by the fast path: kept out of line so
 * that tl_heap_alloc needs no stack frame (a tail call at worst). */
HEAP_COLD static void *alloc_slow(tl_heap *h, size_t n)
{
    if (h->hooks)
        return hooked_alloc(h, n);
    if (n <= TL_HEAP_SMALL_MAX) {
        void *p = heap_small_alloc_slow(h, heap_class_of(n));
        if (p)
            return p;
    }
    return heap_large_alloc(h, n);
}

/* Aligned to a cache line, as tl_heap_free: the fast paths then fetch and
 * decode the same way whatever code precedes them (bench/alloc_bench's LIFO
 * pattern moved by ~10% between builds whose fast paths differed only in
 * their address). */
HEAP_HOT_ENTRY void *tl_heap_alloc(tl_heap *h, size_t n)
{
    /* n - 1 < 512 tests 1 <= n <= 512 in one compare, and then the class is
     * a shift (n == 0, rare, goes the slow way): measured, this cut the fast
     * path by four instructions of the ~28 it had (callgrind). fast_max is
     * 512, or 0 while a hook is set, so the same compare also tests hooks. */
    if (HEAP_LIKELY(n - 1 < h->fast_max)) {
        void *p = heap_small_alloc_fast(h, (n - 1) >> 4);
        if (HEAP_LIKELY(p != NULL))
            return p;
    }
    return alloc_slow(h, n);
}

void *tl_heap_calloc(tl_heap *h, size_t n)
{
    void *p = tl_heap_alloc(h, n);
    if (p)
        memset(p, 0, n);
    return p;
}

/* The heap a block came from, also for blocks outside the region. */
static tl_heap *large_heap(const void *p)
{
    if (HEAP_UNLIKELY(debug_heaps_exist())) {
        if (heap_debug_is_large_debug(p))
            return heap_debug_large_heap(p);
        tl_heap *h = heap_large_of(p)->heap;
        if (heap_is_live(h))
            return h;
        heap_debug_damaged_large(p);       /* reports and aborts */
    }
    return heap_large_of(p)->heap;
}

tl_heap *tl_heap_of(const void *p)
{
    return heap_in_region(p) ? heap_pool_of(p)->heap : large_heap(p);
}

HEAP_COLD static void free_large(void *p)
{
    if (!p)
        return;
    tl_heap *h = large_heap(p);
    if (HEAP_LIKELY(!h->hooks))
        heap_large_free(p);
    else
        hooked_free(h, p);
}

HEAP_HOT_ENTRY void tl_heap_free(void *p)
{
    /* NULL is not in the region: it takes the large path, which returns. */
    if (HEAP_LIKELY(heap_in_region(p))) {
        tl_heap *h = heap_pool_of(p)->heap;
        if (HEAP_LIKELY(!h->hooks))
            heap_small_free(p);
        else
            hooked_free(h, p);
        return;
    }
    free_large(p);
}

size_t tl_heap_block_size(const void *p)
{
    tl_heap *h = tl_heap_of(p);
    if (h->hooks & HEAP_HOOK_DEBUG)
        return heap_debug_size(p);
    return heap_raw_size(p);
}

bool tl_heap_is_debug(const tl_heap *h) { return (h->hooks & HEAP_HOOK_DEBUG) != 0; }

/* Copying realloc, through the public entry points so hooks apply. */
static void *realloc_by_copy(tl_heap *h, void *p, size_t n)
{
    size_t old = tl_heap_block_size(p);
    void *q = tl_heap_alloc(h, n);
    if (!q)
        return NULL;
    memcpy(q, p, old < n ? old : n);
    tl_heap_free(p);
    return q;
}

void *tl_heap_realloc(tl_heap *h, void *p, size_t n)
{
    if (!p)
        return tl_heap_alloc(h, n);
    if (h->hooks)
        return realloc_by_copy(h, p, n);
    if (heap_in_region(p)) {
        size_t have = heap_class_size(heap_pool_of(p)->szidx);
        /* Stay in place while the request still fills 3/4 of the block. */
        if (n <= have && 4 * n > 3 * have)
            return p;
        return realloc_by_copy(h, p, n);
    }
    if (n > TL_HEAP_SMALL_MAX)
        return heap_large_realloc(p, n);
    return realloc_by_copy(h, p, n);
}

/* --- failure injection, counting, tracing ------------------------------------ */

void tl_heap_fail_at(tl_heap *h, uint64_t n, bool every_after)
{
    h->fail_at = n ? h->allocations + n : 0;
    h->fail_every_after = every_after;
    update_hook(h, HEAP_HOOK_FAIL, n != 0);
}

uint64_t tl_heap_failures(const tl_heap *h) { return h->failures; }

void tl_heap_set_limit(tl_heap *h, size_t max_bytes)
{
    h->limit = max_bytes;
    h->limit_hit = false;
    update_hook(h, HEAP_HOOK_LIMIT, max_bytes != 0);
}

size_t tl_heap_limit(const tl_heap *h) { return h->limit; }

void tl_heap_count_allocations(tl_heap *h, bool on) { update_hook(h, HEAP_HOOK_COUNT, on); }

void tl_heap_set_trace(tl_heap *h, tl_heap_trace_fn fn, void *ctx)
{
    h->trace_fn = fn;
    h->trace_ctx = ctx;
    update_hook(h, HEAP_HOOK_TRACE, fn != NULL);
}

/* --- statistics ------------------------------------------------------------------ */

/* A kept pool (see pool.c) counts for its class, with all its blocks free,
 * and as a free pool of its arena: it holds no block. */
static void stats_arena(const tl_heap *h, const heap_arena *a, tl_heap_stats *s)
{
    s->arenas_in_use++;
    s->pools_free += a->nfree;
    for (unsigned i = 0; i < a->ncarved; i++) {
        const heap_pool *pool = heap_pool_of(a->base) + i;
        bool kept = !pool->used && h->kept[pool->szidx] == pool;
        if (!pool->used && !kept)
            continue;
        tl_heap_class_stats *c = &s->classes[pool->szidx];
        c->pools++;
        c->blocks_in_use += pool->used;
        c->blocks_free += heap_pool_capacity(pool->szidx) - pool->used;
        if (kept)
            s->pools_free++;
        else
            s->pools_in_use++;
    }
}

void tl_heap_stats_get(const tl_heap *h, tl_heap_stats *s)
{
    memset(s, 0, sizeof *s);
    for (unsigned k = 0; k <= HEAP_POOLS_PER_ARENA; k++)
        for (const heap_arena *a = k ? h->avail[k] : h->full; a; a = a->next)
            stats_arena(h, a, s);
    for (unsigned c = 0; c < TL_HEAP_NCLASSES; c++) {
        tl_heap_class_stats *cs = &s->classes[c];
        cs->block_size = heap_class_size(c);
        cs->bytes_in_use = cs->blocks_in_use * cs->block_size;
        s->small_blocks += cs->blocks_in_use;
    }
    s->large_blocks = h->large_blocks;
    s->large_bytes = h->large_bytes;
    s->arenas_allocated = h->arenas_allocated;
    s->arenas_returned = h->arenas_returned;
    s->bytes_in_use = heap_bytes_in_use(h);
    s->bytes_peak = h->bytes_peak;
    s->bytes_mapped = s->arenas_in_use * TL_HEAP_ARENA_SIZE;
    s->allocations = h->allocations;
}

size_t tl_heap_blocks_in_use(const tl_heap *h)
{
    tl_heap_stats s;
    tl_heap_stats_get(h, &s);
    return s.small_blocks + s.large_blocks;
}

void tl_heap_reset_peak(tl_heap *h)
{
    h->bytes_peak = heap_bytes_in_use(h);
    h->peak_room = 0;
}

void tl_heap_print_stats(const tl_heap *h, void *fp)
{
    FILE *f = fp;
    tl_heap_stats s;
    tl_heap_stats_get(h, &s);
    fprintf(f, "Small block threshold = %u, in %u size classes.\n\n",
            TL_HEAP_SMALL_MAX, TL_HEAP_NCLASSES);
    fprintf(f, "class   size   num pools   blocks in use  avail blocks\n");
    fprintf(f, "-----   ----   ---------   -------------  ------------\n");
    for (unsigned c = 0; c < TL_HEAP_NCLASSES; c++) {
        const tl_heap_class_stats *cs = &s.classes[c];
        if (!cs->pools)
            continue;
        fprintf(f, "%5u %6zu %11zu %15zu %13zu\n", c, cs->block_size, cs->pools,
                cs->blocks_in_use, cs->blocks_free);
    }
    fprintf(f, "\n# arenas allocated total           = %14zu\n", s.arenas_allocated);
    fprintf(f, "# arenas reclaimed                 = %14zu\n", s.arenas_returned);
    fprintf(f, "# arenas allocated current         = %14zu\n", s.arenas_in_use);
    fprintf(f, "%zu arenas * %zu bytes/arena         = %14zu\n\n", s.arenas_in_use,
            (size_t)TL_HEAP_ARENA_SIZE, s.bytes_mapped);
    fprintf(f, "# pools in use                     = %14zu\n", s.pools_in_use);
    fprintf(f, "# free pools                       = %14zu\n", s.pools_free);
    fprintf(f, "# small blocks in use              = %14zu\n", s.small_blocks);
    fprintf(f, "# large blocks in use              = %14zu (%zu bytes)\n", s.large_blocks, s.large_bytes);
    fprintf(f, "# bytes in use                     = %14zu\n", s.bytes_in_use);
    fprintf(f, "# bytes in use at peak             = %14zu\n", s.bytes_peak);
}
