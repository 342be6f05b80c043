/* test_heap.c — the private heap: size classes, reuse, arenas, realloc,
 * statistics, failure injection. */
#include "testutil.h"
#include "heap/heap_int.h"

#include <stdlib.h>
#include <string.h>

static void size_classes_round_up_to_16_and_align(void **state)
{
    tl_heap *h = test_heap(false);
    void *blocks[513];
    for (size_t n = 0; n <= TL_HEAP_SMALL_MAX; n++) {
        blocks[n] = tl_heap_alloc(h, n);
        assert_non_null(blocks[n]);
        assert_int_equal((uintptr_t)blocks[n] % TL_HEAP_ALIGNMENT, 0);
        size_t want = n ? (n + 15) / 16 * 16 : 16;
        assert_int_equal(tl_heap_block_size(blocks[n]), want);
        assert_ptr_equal(tl_heap_of(blocks[n]), h);
        memset(blocks[n], 0xAB, n);
    }
    tl_heap_stats s;
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.small_blocks, 513);
    assert_int_equal(s.classes[0].blocks_in_use, 17);   /* 0..16 */
    assert_int_equal(s.classes[31].blocks_in_use, 16);  /* 497..512 */
    assert_int_equal(s.classes[0].block_size, 16);
    assert_int_equal(s.classes[31].block_size, 512);
    assert_null(heap_validate(h));
    for (size_t n = 0; n <= TL_HEAP_SMALL_MAX; n++)
        tl_heap_free(blocks[n]);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    assert_int_equal(heap_bytes_in_use(h), 0);
    assert_null(heap_validate(h));
    tl_heap_delete(h);
}

static void freed_block_is_reused_first(void **state)
{
    tl_heap *h = test_heap(false);
    void *a = tl_heap_alloc(h, 40);
    void *b = tl_heap_alloc(h, 40);
    void *c = tl_heap_alloc(h, 40);
    assert_ptr_equal((char *)b, (char *)a + 48);   /* bump order within a pool */
    tl_heap_free(b);
    assert_ptr_equal(tl_heap_alloc(h, 33), b);     /* same class, LIFO reuse */
    tl_heap_free(a);
    tl_heap_free(c);
    void *d = tl_heap_alloc(h, 48);
    assert_ptr_equal(d, c);
    tl_heap_free(d);
    tl_heap_free(b);
    tl_heap_delete(h);
}

static void large_blocks_come_from_the_system_with_their_heap(void **state)
{
    tl_heap *h = test_heap(false);
    size_t sizes[] = {513, 1000, 4096, 100000, 3u << 20};
    void *p[5];
    for (int i = 0; i < 5; i++) {
        p[i] = tl_heap_alloc(h, sizes[i]);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        assert_false(heap_in_region(p[i]));
        assert_ptr_equal(tl_heap_of(p[i]), h);
        assert_int_equal(tl_heap_block_size(p[i]), sizes[i]);
        memset(p[i], i, sizes[i]);
    }
    tl_heap_stats s;
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.large_blocks, 5);
    assert_int_equal(s.large_bytes, 513 + 1000 + 4096 + 100000 + (3u << 20));
    for (int i = 0; i < 5; i++)
        tl_heap_free(p[i]);
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.large_blocks, 0);
    assert_int_equal(s.bytes_in_use, 0);
    tl_heap_delete(h);
}

static void emptied_arenas_go_back_to_the_os(void **state)
{
    tl_heap *h = test_heap(false);
    enum { N = 100000 };     /* 100000 * 256 B = ~25 MiB: about 25 arenas */
    void **p = malloc(N * sizeof *p);
    size_t before = test_mapped_rw_bytes(heap_region_base, heap_region_base + heap_region_size);
    for (int i = 0; i < N; i++) {
        p[i] = tl_heap_alloc(h, 256);
        assert_non_null(p[i]);
        memset(p[i], 1, 256);
    }
    tl_heap_stats s;
    tl_heap_stats_get(h, &s);
    assert_true(s.arenas_in_use >= 24);
    size_t during = test_mapped_rw_bytes(heap_region_base, heap_region_base + heap_region_size);
    assert_true(during >= before + (s.arenas_in_use - 1) * TL_HEAP_ARENA_SIZE);
    size_t peak_arenas = s.arenas_in_use;
    for (int i = 0; i < N; i++)
        tl_heap_free(p[i]);
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.arenas_in_use, 1);                /* one spare kept */
    assert_int_equal(s.arenas_returned, peak_arenas - 1);
    assert_int_equal(s.arenas_allocated, peak_arenas);
    size_t after = test_mapped_rw_bytes(heap_region_base, heap_region_base + heap_region_size);
    assert_true(after + (peak_arenas - 2) * TL_HEAP_ARENA_SIZE <= during);
    assert_null(heap_validate(h));
    free(p);
    tl_heap_delete(h);
}

static void allocation_prefers_the_fullest_arena(void **state)
{
    tl_heap *h = test_heap(false);
    enum { PER_POOL = 16384 / 512, N = 64 * PER_POOL * 3 };   /* three arenas of 512 B blocks */
    void **p = malloc(N * sizeof *p);
    for (int i = 0; i < N; i++)
        p[i] = tl_heap_alloc(h, 512);
    /* Empty most of the first arena and a little of the second. */
    heap_arena *first = heap_pool_of(p[0])->arena, *second = heap_pool_of(p[64 * PER_POOL])->arena;
    assert_ptr_not_equal(first, second);
    for (int i = 0; i < 60 * PER_POOL; i++) { tl_heap_free(p[i]); p[i] = NULL; }
    for (int i = 64 * PER_POOL; i < 66 * PER_POOL; i++) { tl_heap_free(p[i]); p[i] = NULL; }
    /* Pools now come from the second arena (2 free pools), not the first (60). */
    void *q = tl_heap_alloc(h, 200);
    assert_ptr_equal(heap_pool_of(q)->arena, second);
    tl_heap_free(q);
    for (int i = 0; i < N; i++)
        tl_heap_free(p[i]);
    assert_null(heap_validate(h));
    free(p);
    tl_heap_delete(h);
}

static void realloc_keeps_contents_across_classes(void **state)
{
    tl_heap *h = test_heap(false);
    unsigned char *p = tl_heap_alloc(h, 10);
    for (int i = 0; i < 10; i++) p[i] = (unsigned char)(i * 7 % 251);
    size_t sizes[] = {16, 100, 512, 513, 5000, 200, 12, 70000, 3};
    size_t have = 10;
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        unsigned char *q = tl_heap_realloc(h, p, sizes[k]);
        assert_non_null(q);
        size_t keep = have < sizes[k] ? have : sizes[k];
        for (size_t i = 0; i < keep; i++)
            assert_int_equal(q[i], (unsigned char)(i * 7 % 251));
        for (size_t i = keep; i < sizes[k]; i++) q[i] = (unsigned char)(i * 7 % 251);
        p = q;
        have = sizes[k];
    }
    /* A small shrink stays in place. */
    unsigned char *r = tl_heap_alloc(h, 64);
    assert_ptr_equal(tl_heap_realloc(h, r, 60), r);
    tl_heap_free(r);
    tl_heap_free(p);
    assert_ptr_equal(tl_heap_realloc(h, NULL, 8) != NULL, 1);
    tl_heap_delete(h);
}

static void calloc_zero_fills_reused_blocks(void **state)
{
    tl_heap *h = test_heap(false);
    unsigned char *p = tl_heap_alloc(h, 100);
    memset(p, 0xFF, 100);
    tl_heap_free(p);
    unsigned char *q = tl_heap_calloc(h, 100);
    assert_ptr_equal(p, q);
    for (int i = 0; i < 100; i++) assert_int_equal(q[i], 0);
    tl_heap_free(q);
    tl_heap_delete(h);
}

static void stats_track_bytes_and_peak(void **state)
{
    tl_heap *h = test_heap(false);
    void *a = tl_heap_alloc(h, 20), *b = tl_heap_alloc(h, 1000);
    tl_heap_stats s;
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.bytes_in_use, 32 + 1000);
    assert_int_equal(s.bytes_peak, 32 + 1000);
    tl_heap_free(b);
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.bytes_in_use, 32);
    assert_int_equal(s.bytes_peak, 1032);
    tl_heap_reset_peak(h);
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.bytes_peak, 32);
    assert_int_equal(s.pools_in_use, 1);
    assert_int_equal(s.classes[1].pools, 1);
    assert_int_equal(s.classes[1].blocks_free, 16384 / 32 - 1);
    tl_heap_free(a);
    tl_heap_delete(h);
}

static void failure_injection_fails_the_nth_allocation(void **state)
{
    tl_heap *h = test_heap(false);
    tl_heap_fail_at(h, 3, false);
    void *a = tl_heap_alloc(h, 10), *b = tl_heap_alloc(h, 2000);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(tl_heap_alloc(h, 10));
    void *c = tl_heap_alloc(h, 10);
    assert_non_null(c);
    assert_int_equal(tl_heap_failures(h), 1);
    tl_heap_fail_at(h, 2, true);
    void *d = tl_heap_alloc(h, 10);
    assert_non_null(d);
    for (int i = 0; i < 5; i++)
        assert_null(tl_heap_alloc(h, 10 + i * 300));
    assert_null(tl_heap_realloc(h, d, 5000));   /* d stays valid */
    tl_heap_fail_at(h, 0, false);
    void *e = tl_heap_alloc(h, 10);
    assert_non_null(e);
    tl_heap_free(a); tl_heap_free(b); tl_heap_free(c); tl_heap_free(d); tl_heap_free(e);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void a_limit_fails_what_would_pass_it(void **state)
{
    tl_heap *h = test_heap(false);
    tl_heap_set_limit(h, 64 << 10);
    assert_int_equal(tl_heap_limit(h), 64 << 10);
    void *a = tl_heap_alloc(h, 40 << 10);
    assert_non_null(a);
    assert_null(tl_heap_alloc(h, 30 << 10));       /* 70 KiB > 64 KiB */
    void *b = tl_heap_alloc(h, 100);               /* small ones still fit */
    assert_non_null(b);
    assert_null(tl_heap_realloc(h, a, 70 << 10));  /* a stays valid */
    void *c = tl_heap_realloc(h, a, 20 << 10);    /* old and new fit together */
    assert_non_null(c);
    tl_heap_free(c);
    void *d = tl_heap_alloc(h, 60 << 10);          /* room again once freed */
    assert_non_null(d);
    tl_heap_set_limit(h, 0);
    void *e = tl_heap_alloc(h, 1 << 20);
    assert_non_null(e);
    tl_heap_free(b); tl_heap_free(d); tl_heap_free(e);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void blocks_find_their_own_heap(void **state)
{
    tl_heap *h1 = test_heap(false), *h2 = test_heap(false);
    void *a = tl_heap_alloc(h1, 100), *b = tl_heap_alloc(h2, 100);
    void *c = tl_heap_alloc(h1, 1000), *d = tl_heap_alloc(h2, 1000);
    assert_ptr_equal(tl_heap_of(a), h1);
    assert_ptr_equal(tl_heap_of(b), h2);
    assert_ptr_equal(tl_heap_of(c), h1);
    assert_ptr_equal(tl_heap_of(d), h2);
    tl_heap_free(b); tl_heap_free(a); tl_heap_free(d); tl_heap_free(c);
    assert_int_equal(tl_heap_blocks_in_use(h1), 0);
    assert_int_equal(tl_heap_blocks_in_use(h2), 0);
    tl_heap_delete(h1);
    tl_heap_delete(h2);
}

static void delete_frees_blocks_still_held(void **state)
{
    tl_heap *h = test_heap(false);
    for (int i = 0; i < 1000; i++) {
        tl_heap_alloc(h, (size_t)i);
        tl_heap_alloc(h, 600 + (size_t)i);
    }
    tl_heap_delete(h);   /* LeakSanitizer / valgrind see nothing left */
}

/* A class's only pool that empties stays on the class's list while its arena
 * has another pool in use, and serves the next allocation without a pool
 * being taken from the arena. */
static void a_class_keeps_its_only_pool_when_it_empties(void **state)
{
    tl_heap *h = test_heap(false);
    void *other = tl_heap_alloc(h, 64);           /* keeps the arena in use */
    void *p = tl_heap_alloc(h, 32);
    heap_pool *pool = heap_pool_of(p);
    unsigned nfree = pool->arena->nfree;
    tl_heap_free(p);
    assert_ptr_equal(h->usedpools[1], pool);
    assert_int_equal(pool->used, 0);
    assert_int_equal(pool->arena->nfree, nfree);  /* not given back */
    tl_heap_stats s;
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.classes[1].blocks_in_use, 0);
    assert_int_equal(s.classes[1].pools, 1);
    assert_int_equal(s.classes[1].blocks_free, 16384 / 32);
    assert_int_equal(s.pools_in_use, 1);          /* the 64-byte class's */
    assert_int_equal(s.pools_in_use + s.pools_free, HEAP_POOLS_PER_ARENA);
    assert_int_equal(s.bytes_in_use, 64);
    assert_null(heap_validate(h));
    assert_ptr_equal(tl_heap_alloc(h, 32), p);
    assert_int_equal(pool->arena->nfree, nfree);
    tl_heap_free(p);
    tl_heap_free(other);
    assert_null(heap_validate(h));
    tl_heap_delete(h);
}

/* A full pool that gets a block back is linked in front of the class's kept
 * pool, which stays kept behind it and serves again once the pools in front
 * of it are full; no pool is taken from the arena meanwhile. */
static void a_full_pool_that_comes_back_goes_in_front_of_the_kept_pool(void **state)
{
    tl_heap *h = test_heap(false);
    enum { PER_POOL = 16384 / 512 };
    void *p[PER_POOL + 1];
    for (int i = 0; i <= PER_POOL; i++)
        p[i] = tl_heap_alloc(h, 512);
    heap_pool *full = heap_pool_of(p[0]), *last = heap_pool_of(p[PER_POOL]);
    assert_ptr_not_equal(full, last);
    unsigned nfree = last->arena->nfree;
    tl_heap_free(p[PER_POOL]);                    /* last: kept, full still in use */
    assert_ptr_equal(h->usedpools[31], last);
    assert_null(heap_validate(h));
    tl_heap_free(p[0]);                           /* full comes back, in front */
    assert_ptr_equal(h->usedpools[31], full);
    assert_ptr_equal(full->next, last);
    assert_ptr_equal(last->prev, full);
    assert_ptr_equal(h->kept[31], last);
    assert_int_equal(last->arena->nfree, nfree);
    tl_heap_stats s;
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.classes[31].pools, 2);
    assert_int_equal(s.classes[31].blocks_in_use, PER_POOL - 1);
    assert_int_equal(s.classes[31].blocks_free, PER_POOL + 1);
    assert_int_equal(s.pools_in_use, 1);          /* the kept pool counts as free */
    assert_null(heap_validate(h));
    assert_ptr_equal(tl_heap_alloc(h, 512), p[0]); /* full again: the kept pool leads */
    assert_ptr_equal(h->usedpools[31], last);
    p[PER_POOL] = tl_heap_alloc(h, 512);          /* from the kept pool: no longer kept */
    assert_ptr_equal(heap_pool_of(p[PER_POOL]), last);
    assert_int_equal(last->arena->nfree, nfree);
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.classes[31].blocks_in_use, PER_POOL + 1);
    assert_null(heap_validate(h));
    tl_heap_free(p[0]);                           /* full in front of last, in use */
    tl_heap_free(p[PER_POOL]);                    /* last empties behind full: returned */
    assert_int_equal(last->arena->nfree, nfree + 1);
    assert_null(h->kept[31]);
    assert_ptr_equal(h->usedpools[31], full);
    assert_ptr_equal(full->next, &h->nopool);
    assert_null(heap_validate(h));
    for (int i = 1; i < PER_POOL; i++)
        tl_heap_free(p[i]);
    assert_null(heap_validate(h));
    tl_heap_delete(h);
}

/* An arena whose pools are all free or kept stays mapped only as the one
 * spare arena; another such arena gives its kept pools back and goes back
 * to the OS. */
static void kept_pools_do_not_hold_arenas_beyond_the_spare(void **state)
{
    tl_heap *h = test_heap(false);
    enum { PER_POOL = 16384 / 512, N = HEAP_POOLS_PER_ARENA * PER_POOL };
    void **p = malloc((N + 1) * sizeof *p);
    for (int i = 0; i < N; i++)                   /* fills the first arena */
        p[i] = tl_heap_alloc(h, 512);
    void *small = tl_heap_alloc(h, 16);           /* a second arena */
    p[N] = tl_heap_alloc(h, 512);
    heap_arena *first = heap_pool_of(p[0])->arena, *second = heap_pool_of(small)->arena;
    assert_ptr_not_equal(first, second);
    assert_ptr_equal(heap_pool_of(p[N])->arena, second);
    for (int i = 0; i < N; i++)
        tl_heap_free(p[i]);
    assert_ptr_equal(h->spare, first);            /* wholly free: the spare */
    tl_heap_free(small);                          /* kept: the arena has a pool in use */
    assert_ptr_equal(h->usedpools[0], heap_pool_of(small));
    assert_null(heap_validate(h));
    tl_heap_free(p[N]);                           /* the second arena is unused */
    tl_heap_stats s;
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.arenas_in_use, 1);
    assert_int_equal(s.arenas_returned, 1);
    assert_int_equal(s.pools_in_use, 0);
    assert_ptr_equal(h->usedpools[0], &h->nopool);
    assert_ptr_equal(h->usedpools[31], &h->nopool);
    assert_null(heap_validate(h));
    free(p);
    tl_heap_delete(h);
}

/* With no other arena, the arena of the last pools kept is the spare: a heap
 * whose classes empty their pools keeps them and one arena mapped. */
static void the_spare_arena_may_hold_kept_pools(void **state)
{
    tl_heap *h = test_heap(false);
    void *a = tl_heap_alloc(h, 16), *b = tl_heap_alloc(h, 32);
    tl_heap_free(a);                              /* kept: b's pool is in use */
    tl_heap_free(b);                              /* kept too: its arena is the spare */
    assert_ptr_equal(h->usedpools[0], heap_pool_of(a));
    assert_ptr_equal(h->usedpools[1], heap_pool_of(b));
    assert_ptr_equal(h->spare, heap_pool_of(a)->arena);
    tl_heap_stats s;
    tl_heap_stats_get(h, &s);
    assert_int_equal(s.arenas_in_use, 1);
    assert_int_equal(s.pools_in_use, 0);
    assert_int_equal(s.small_blocks, 0);
    assert_int_equal(s.classes[0].pools + s.classes[1].pools, 2);
    assert_null(heap_validate(h));
    assert_ptr_equal(tl_heap_alloc(h, 16), a);
    assert_ptr_equal(tl_heap_alloc(h, 32), b);
    tl_heap_free(a);
    tl_heap_free(b);
    assert_null(heap_validate(h));
    tl_heap_delete(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(size_classes_round_up_to_16_and_align),
        cmocka_unit_test(freed_block_is_reused_first),
        cmocka_unit_test(large_blocks_come_from_the_system_with_their_heap),
        cmocka_unit_test(emptied_arenas_go_back_to_the_os),
        cmocka_unit_test(allocation_prefers_the_fullest_arena),
        cmocka_unit_test(realloc_keeps_contents_across_classes),
        cmocka_unit_test(calloc_zero_fills_reused_blocks),
        cmocka_unit_test(stats_track_bytes_and_peak),
        cmocka_unit_test(failure_injection_fails_the_nth_allocation),
        cmocka_unit_test(blocks_find_their_own_heap),
        cmocka_unit_test(delete_frees_blocks_still_held),
        cmocka_unit_test(a_class_keeps_its_only_pool_when_it_empties),
        cmocka_unit_test(a_full_pool_that_comes_back_goes_in_front_of_the_kept_pool),
        cmocka_unit_test(kept_pools_do_not_hold_arenas_beyond_the_spare),
        cmocka_unit_test(the_spare_arena_may_hold_kept_pools),
        cmocka_unit_test(a_limit_fails_what_would_pass_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
