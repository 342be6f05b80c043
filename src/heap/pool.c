/* pool.c — arenas and pools: the slow paths of small-block allocation.
 *
 * The fast paths (heap_small_alloc/free) are inline in heap_int.h. Here: their
 * slow cases (the last block of a free list, a full or emptied pool), and: a
 * class with no partly used pool gets a pool from the fullest arena that has
 * one (so lightly used arenas drain), a pool that empties goes back to its
 * arena (unless its class keeps it: see "emptied pools" below), and an arena
 * whose pools are all free is returned to the OS, except one spare kept to
 * avoid map/unmap thrashing at a boundary.
 */
#include "heap_int.h"

#include <stdlib.h>

/* --- arena lists, indexed by free pool count ---------------------------- */

static heap_arena **arena_list(tl_heap *h, unsigned nfree)
{
    return nfree ? &h->avail[nfree] : &h->full;
}

static void arena_unlink(tl_heap *h, heap_arena *a)
{
    heap_arena **head = arena_list(h, a->nfree);
    if (a->prev)
        a->prev->next = a->next;
    else
        *head = a->next;
    if (a->next)
        a->next->prev = a->prev;
    if (a->nfree && !h->avail[a->nfree])
        h->avail_bits &= ~((uint64_t)1 << (a->nfree - 1));
    a->next = a->prev = NULL;
}

static void arena_link(tl_heap *h, heap_arena *a)
{
    heap_arena **head = arena_list(h, a->nfree);
    a->prev = NULL;
    a->next = *head;
    if (*head)
        (*head)->prev = a;
    *head = a;
    if (a->nfree)
        h->avail_bits |= (uint64_t)1 << (a->nfree - 1);
}

static heap_arena *arena_new(tl_heap *h)
{
    heap_arena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->base = heap_region_commit();
    if (!a->base) {
        free(a);
        return NULL;
    }
    a->heap = h;
    a->nfree = HEAP_POOLS_PER_ARENA;
    h->arenas_in_use++;
    h->arenas_allocated++;
    arena_link(h, a);
    return a;
}

static void arena_release(tl_heap *h, heap_arena *a)
{
    arena_unlink(h, a);
    heap_region_release(a->base);
    free(a);
    h->arenas_in_use--;
    h->arenas_returned++;
}

void heap_arenas_release_all(tl_heap *h)
{
    for (unsigned k = 0; k <= HEAP_POOLS_PER_ARENA; k++) {
        heap_arena **head = arena_list(h, k);
        while (*head)
            arena_release(h, *head);
    }
    h->spare = NULL;
    h->kept_bits = 0;
    heap_pools_init(h);
}

/* --- pools ---------------------------------------------------------------- */

static heap_pool *pool_take(tl_heap *h)
{
    heap_arena *a;
    if (h->avail_bits)
        a = h->avail[__builtin_ctzll(h->avail_bits) + 1];
    else if (!(a = arena_new(h)))
        return NULL;
    if (a == h->spare)
        h->spare = NULL;
    heap_pool *pool = a->freepools;
    if (pool)
        a->freepools = pool->next;
    else
        pool = heap_pool_of(a->base) + a->ncarved++;
    arena_unlink(h, a);
    a->nfree--;
    arena_link(h, a);
    pool->arena = a;
    pool->heap = h;
    return pool;
}

void heap_pools_init(tl_heap *h)
{
    heap_pool *none = &h->nopool;
    none->freeblock = &none->arena;         /* one word, NULL: an empty list */
    none->used = 1;
    none->nextoffset = none->maxnextoffset = 0;   /* "a virgin block is left" */
    for (unsigned c = 0; c < TL_HEAP_NCLASSES; c++) {
        h->usedpools[c] = none;
        h->kept[c] = NULL;
    }
}

void *heap_pool_refill(tl_heap *h, size_t szidx)
{
    heap_pool *pool = pool_take(h);
    if (!pool)
        return NULL;
    size_t size = heap_class_size(szidx);
    /* A pool that last held this class keeps its free list, as in CPython:
     * its carved blocks are all free. A class that empties its only pool
     * and refills it at once (alloc/free cycles at a pool boundary) then
     * reuses the blocks without carving them again one by one; measured on
     * bench/alloc_bench's LIFO pattern, re-carving cost ~3 ns per pair.
     * (A fresh pool has nextoffset 0: its descriptor was mapped zeroed.) */
    bool reuse = pool->nextoffset != 0 && pool->szidx == szidx && !(h->hooks & HEAP_HOOK_DEBUG);
    if (!reuse) {
        if (h->hooks & HEAP_HOOK_DEBUG)
            heap_debug_poison_pool(heap_pool_mem(pool), TL_HEAP_POOL_SIZE);
        pool->szidx = (uint16_t)szidx;
        pool->block_size = (uint16_t)size;
        pool->freeblock = heap_pool_mem(pool);
        *(void **)pool->freeblock = NULL;
        pool->nextoffset = (uint16_t)size;
        pool->maxnextoffset = (uint16_t)(TL_HEAP_POOL_SIZE - size);
    }
    pool->used = 0;
    pool->next = h->usedpools[szidx];       /* h->nopool */
    h->usedpools[szidx] = pool;
    return heap_small_alloc(h, szidx);
}

/* No pool for the class, or its free list is down to its last block:
 * refill, or take that block and then extend the list by one virgin block,
 * or, when the pool has none left, unlink it as full. */
void *heap_small_alloc_slow(tl_heap *h, size_t szidx)
{
    heap_pool *pool = h->usedpools[szidx];
    if (pool == &h->nopool)
        return heap_pool_refill(h, szidx);
    void *b = pool->freeblock;
    void *next = *(void **)b;
    if (!next && pool->nextoffset <= pool->maxnextoffset) {
        next = heap_pool_mem(pool) + pool->nextoffset;
        pool->nextoffset = (uint16_t)(pool->nextoffset + heap_class_size(szidx));
        *(void **)next = NULL;
        *(void **)b = next;
    }
    return heap_small_alloc_fast(h, szidx);
}

/* --- emptied pools: returned, or kept ---------------------------------------
 *
 * A pool whose last block is freed normally goes back to its arena. But when
 * it is its class's only pool, the class would take a pool again at its next
 * allocation: a program that allocates and frees a batch at a time crosses
 * that boundary on every batch (alloc_bench's LIFO pattern: a return to the
 * arena and a take, ~250 instructions, per 64 pairs). Such a pool is kept on
 * its class's list instead, empty. Rules that keep arenas draining:
 *   - a class keeps at most one pool, kept[c]; at most 32 pools (512 KiB)
 *     are kept. A full pool that gets a block back is linked in front of it
 *     without a look at the list's head (in bench/alloc_bench's random
 *     pattern nearly every free does that relink; the test of the head for a
 *     kept pool, which was then returned, cost 3 of its 9 instructions), so
 *     a kept pool may sit behind other pools until it is allocated from
 *     again or its arena settles;
 *   - an arena with no pool in use ("unused": its pools free or kept) is
 *     either the heap's one spare arena, which stays mapped with its kept
 *     pools, or gives its kept pools back and goes back to the OS at once.
 * A spare arena that has had a pool put in use since (a kept pool allocated
 * from) is no longer the spare, which is checked when another arena wants
 * the place. */

static void kept_set(tl_heap *h, size_t c, heap_pool *pool)
{
    h->kept[c] = pool;
    if (pool)
        h->kept_bits |= (uint32_t)1 << c;
    else
        h->kept_bits &= ~((uint32_t)1 << c);
}

/* kept[c] if it is still kept; clears it when it is not (a block was
 * allocated from it since). */
static heap_pool *kept_pool(tl_heap *h, unsigned c)
{
    heap_pool *pool = h->kept[c];
    if (pool->used == 0)
        return pool;
    kept_set(h, c, NULL);
    return NULL;
}

static unsigned kept_in(tl_heap *h, const heap_arena *a)
{
    unsigned n = 0;
    for (uint32_t bits = h->kept_bits; bits; bits &= bits - 1) {
        heap_pool *pool = kept_pool(h, (unsigned)__builtin_ctz(bits));
        n += pool && pool->arena == a;
    }
    return n;
}

static bool arena_unused(tl_heap *h, const heap_arena *a)
{
    return a->nfree == HEAP_POOLS_PER_ARENA ||
           (h->kept_bits && a->nfree + kept_in(h, a) == HEAP_POOLS_PER_ARENA);
}

/* Makes the unused arena a the spare if the place is free (or stale). */
static bool claim_spare(tl_heap *h, heap_arena *a)
{
    if (h->spare && h->spare != a && !arena_unused(h, h->spare))
        h->spare = NULL;
    if (h->spare && h->spare != a)
        return false;
    h->spare = a;
    return true;
}

/* pool (used == 0, on no list) joins its arena's free pools. */
static void arena_put_pool(tl_heap *h, heap_pool *pool)
{
    heap_arena *a = pool->arena;
    if (h->kept[pool->szidx] == pool)
        kept_set(h, pool->szidx, NULL);      /* stale: it was in use since */
    pool->next = a->freepools;
    a->freepools = pool;
    arena_unlink(h, a);
    a->nfree++;
    arena_link(h, a);
}

static void pool_unlink(tl_heap *h, heap_pool *pool);

static void unkeep(tl_heap *h, heap_pool *kept)
{
    pool_unlink(h, kept);
    kept_set(h, kept->szidx, NULL);
    arena_put_pool(h, kept);
}

/* After a pool came back to a: an unused arena stays as the spare, or gives
 * its kept pools back and is returned to the OS. */
static void arena_settle(tl_heap *h, heap_arena *a)
{
    if (!arena_unused(h, a) || claim_spare(h, a))
        return;
    for (uint32_t bits = h->kept_bits; bits; bits &= bits - 1) {
        heap_pool *kept = kept_pool(h, (unsigned)__builtin_ctz(bits));
        if (kept && kept->arena == a)
            unkeep(h, kept);
    }
    arena_release(h, a);
}

static void pool_return(tl_heap *h, heap_pool *pool)
{
    heap_arena *a = pool->arena;
    arena_put_pool(h, pool);
    arena_settle(h, a);
}

/* The pool (used == 0) is kept if it is alone on its class's list, and its
 * arena has another pool in use or may stay as the spare. */
static bool pool_keep(tl_heap *h, heap_pool *pool)
{
    heap_arena *a = pool->arena;
    /* kept[c] may name this pool from an earlier keep: not to be counted by
     * kept_in below. Another kept pool (used == 0) is on the list, and then
     * this one is not alone there. */
    if (h->kept[pool->szidx] == pool)
        kept_set(h, pool->szidx, NULL);
    if (h->usedpools[pool->szidx] != pool || pool->next != &h->nopool)
        return false;
    if (a->nfree + kept_in(h, a) + 1 == HEAP_POOLS_PER_ARENA && !claim_spare(h, a))
        return false;
    kept_set(h, pool->szidx, pool);
    return true;
}

static void pool_unlink(tl_heap *h, heap_pool *pool)
{
    if (h->usedpools[pool->szidx] == pool) {
        h->usedpools[pool->szidx] = pool->next;
    } else {
        pool->prev->next = pool->next;
        pool->next->prev = pool->prev;       /* h->nopool absorbs it at the end */
    }
}

void heap_small_free_slow(heap_pool *pool, void *p)
{
    tl_heap *h = pool->heap;
    void *head = pool->freeblock;
    heap_count_free(h, pool->block_size);
    *(void **)p = head;
    pool->freeblock = p;
    /* A full pool is on no list. (It cannot empty in one free while every
     * class fits 32 blocks or more.) */
    if (head) {
        if (pool_keep(h, pool))
            return;
        pool_unlink(h, pool);
    }
    pool_return(h, pool);
}

/* --- validation ------------------------------------------------------------ */

static const char *validate_pool(const heap_pool *pool, const heap_arena *a)
{
    if (pool->arena != a || pool->heap != a->heap)
        return "pool descriptor does not name its arena and heap";
    size_t size = heap_class_size(pool->szidx);
    size_t cap = heap_pool_capacity(pool->szidx);
    size_t carved = pool->nextoffset / size;
    size_t nfree = 0;
    for (void *b = pool->freeblock; b; b = *(void **)b) {
        if (!heap_in_region(b) || heap_pool_of(b) != pool || ((char *)b - heap_pool_mem(pool)) % size)
            return "free list points outside its pool or off a block boundary";
        if (++nfree > carved)
            return "free list longer than the blocks carved (a cycle?)";
    }
    if (pool->used + nfree != carved)
        return "pool: used + free-listed != carved blocks";
    if (carved > cap)
        return "pool carved past its end";
    return NULL;
}

static bool is_kept(const tl_heap *h, const heap_pool *pool)
{
    return pool->used == 0 && h->kept[pool->szidx] == pool;
}

static const char *validate_arena_pools(const tl_heap *h, const heap_arena *a)
{
    unsigned inuse = 0, kept = 0;
    for (unsigned i = 0; i < a->ncarved; i++) {
        const heap_pool *pool = heap_pool_of(a->base) + i;
        if (!pool->used && !is_kept(h, pool))
            continue;
        inuse += pool->used != 0;
        kept += pool->used == 0;
        const char *err = validate_pool(pool, a);
        if (err)
            return err;
    }
    if (kept && !inuse && a != h->spare)
        return "an arena other than the spare holds kept pools and no pool in use";
    return NULL;
}

static const char *validate_used_lists(const tl_heap *h)
{
    const heap_pool *none = &h->nopool;
    if (none->freeblock != &none->arena || none->arena || none->used != 1 ||
        none->nextoffset > none->maxnextoffset)
        return "the usedpools sentinel was written";
    for (unsigned c = 0; c < TL_HEAP_NCLASSES; c++) {
        const heap_pool *prev = NULL;
        for (const heap_pool *p = h->usedpools[c]; p != none; prev = p, p = p->next) {
            if (p->szidx != c || !p->freeblock)
                return "usedpools holds a pool of another class, or a full one";
            if (prev && p->prev != prev)
                return "usedpools: a pool's prev is not its predecessor";
            if (p->used == 0 && h->kept[c] != p)
                return "usedpools: an empty pool that is not its class's kept pool";
        }
        const heap_pool *kept = h->kept[c];
        if (!kept != !(h->kept_bits & ((uint32_t)1 << c)))
            return "kept_bits disagrees with the kept pools";
        if (kept && (kept->szidx != c || kept->heap != h))
            return "a kept pool of another class or heap";
    }
    return NULL;
}

const char *heap_validate(const tl_heap *h)
{
    for (unsigned k = 0; k <= HEAP_POOLS_PER_ARENA; k++) {
        const heap_arena *a = k ? h->avail[k] : h->full;
        if (k && (!a) != !(h->avail_bits & ((uint64_t)1 << (k - 1))))
            return "avail_bits disagrees with the avail lists";
        for (; a; a = a->next) {
            if (a->nfree != k)
                return "arena on the list of another free count";
            unsigned onlist = 0;
            for (heap_pool *p = a->freepools; p; p = p->next)
                if (++onlist > HEAP_POOLS_PER_ARENA)
                    return "arena free pool list too long";
            if (onlist + (HEAP_POOLS_PER_ARENA - a->ncarved) != a->nfree)
                return "arena nfree != free pools + uncarved pools";
            const char *err = validate_arena_pools(h, a);
            if (err)
                return err;
        }
    }
    return validate_used_lists(h);
}
