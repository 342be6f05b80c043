/* pool.c — arenas and pools: the slow paths of small-block allocation.
 *
 * The fast paths (heap_small_alloc/free) are inline in heap_int.h. Here: their
 * slow cases (the last block of a free list, a full or emptied pool), and: a
 * class with no partly used pool gets a pool from the fullest arena that has
 * one (so lightly used arenas drain), a pool that empties goes back to its
 * arena, and an arena whose pools are all free is returned to the OS, except
 * one spare kept to avoid map/unmap thrashing at a boundary.
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
    for (unsigned c = 0; c < TL_HEAP_NCLASSES; c++)
        h->usedpools[c] = NULL;
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
    pool->prev = NULL;
    pool->next = NULL;
    h->usedpools[szidx] = pool;
    return heap_small_alloc(h, szidx);
}

/* No pool for the class, or its free list is down to its last block:
 * refill, or take that block and then extend the list by one virgin block,
 * or, when the pool has none left, unlink it as full. */
void *heap_small_alloc_slow(tl_heap *h, size_t szidx)
{
    heap_pool *pool = h->usedpools[szidx];
    if (!pool)
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

/* The pool's last block was freed: the pool goes back to its arena, and an
 * arena left wholly free is returned to the OS (one spare kept). */
static void pool_empty(tl_heap *h, heap_pool *pool)
{
    heap_arena *a = pool->arena;
    if (pool->prev)
        pool->prev->next = pool->next;
    else
        h->usedpools[pool->szidx] = pool->next;
    if (pool->next)
        pool->next->prev = pool->prev;
    pool->prev = NULL;
    pool->next = a->freepools;
    a->freepools = pool;
    arena_unlink(h, a);
    a->nfree++;
    arena_link(h, a);
    if (a->nfree < HEAP_POOLS_PER_ARENA)
        return;
    if (!h->spare)
        h->spare = a;
    else
        arena_release(h, a);
}

/* p was the pool's last block in use (its used count already dropped to 0):
 * the pool empties. */
void heap_small_free_slow(heap_pool *pool, void *p)
{
    tl_heap *h = pool->heap;
    void *head = pool->freeblock;
    heap_count_free(h, pool->block_size);
    *(void **)p = head;
    pool->freeblock = p;
    if (!head) {
        /* A full pool is on no list; pool_empty unlinks from usedpools.
         * (Unreachable while every class fits 32 blocks or more.) */
        heap_pool *first = h->usedpools[pool->szidx];
        pool->prev = NULL;
        pool->next = first;
        if (first)
            first->prev = pool;
        h->usedpools[pool->szidx] = pool;
    }
    pool_empty(h, pool);
}

/* --- validation ------------------------------------------------------------ */

static const char *validate_pool(const heap_pool *pool, const heap_arena *a)
{
    if (pool->arena != a || pool->heap != a->heap)
        return "pool header does not name its arena and heap";
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
            for (unsigned i = 0; i < a->ncarved; i++) {
                const heap_pool *pool = heap_pool_of(a->base) + i;
                if (!pool->used)
                    continue;
                const char *err = validate_pool(pool, a);
                if (err)
                    return err;
            }
        }
    }
    for (unsigned c = 0; c < TL_HEAP_NCLASSES; c++)
        for (const heap_pool *p = h->usedpools[c]; p; p = p->next)
            if (p->szidx != c || !p->freeblock || p->used == 0)
                return "usedpools holds a pool of another class, full or empty";
    return NULL;
}
