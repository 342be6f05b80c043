/* test_heap_stress.c — millions of random allocs, frees and reallocs against a
 * shadow model.
 *
 * Every live block is filled, whole, with a pattern derived from its block id
 * and byte index, and verified whole before it is freed or reallocated and
 * at the end, so any two blocks that overlap, or a free list that runs through
 * live memory, show up as a wrong byte. Sizes are skewed small with a few large
 * blocks up to ~100 KB; the live set swells and shrinks in phases so pools
 * empty and arenas are returned. heap_validate runs periodically and the
 * heap's statistics must equal the shadow model's counts. The seed is fixed.
 *
 * TALLY_STRESS_SCALE=F multiplies the operation count (default 1; 0.25 under
 * AddressSanitizer).
 */
#include "testutil.h"
#include "heap/heap_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SLOTS = 50000, BASE_OPS = 10000000, CHECK_EVERY = 100000, PHASE = 400000 };

typedef struct shadow_block {
    unsigned char *p;     /* NULL: slot empty */
    size_t size;          /* requested bytes */
    uint64_t id;          /* fresh for every allocation */
    size_t bytes;         /* what the heap counts: class size, or size if large */
    bool small;
} shadow_block;

typedef struct shadow {
    shadow_block *slots;
    uint64_t next_id;
    size_t small_blocks, large_blocks;
    size_t bytes;         /* small: class size; large: requested size */
} shadow;

/* Byte i of block id is byte i % 8 of word i / 8 of this sequence. */
static uint64_t pattern_word(uint64_t id, size_t w)
{
    uint64_t x = (id + 1) * 0x9E3779B97F4A7C15ull ^ (uint64_t)w * 0xD6E8FEB86659FD93ull;
    return x ^ (x >> 29);
}

static void fill(unsigned char *p, size_t from, size_t size, uint64_t id)
{
    for (size_t i = from; i < size;) {
        uint64_t w = pattern_word(id, i / 8);
        if (i % 8 == 0 && i + 8 <= size) {
            memcpy(p + i, &w, 8);
            i += 8;
        } else {
            p[i] = (unsigned char)(w >> (8 * (i % 8)));
            i++;
        }
    }
}

static void verify(const unsigned char *p, size_t size, uint64_t id)
{
    for (size_t i = 0; i < size;) {
        uint64_t w = pattern_word(id, i / 8), have;
        if (i % 8 == 0 && i + 8 <= size) {
            memcpy(&have, p + i, 8);
            if (have != w)
                fail_msg("block id %llu (%zu bytes): word at byte %zu damaged",
                         (unsigned long long)id, size, i);
            i += 8;
        } else {
            if (p[i] != (unsigned char)(w >> (8 * (i % 8))))
                fail_msg("block id %llu (%zu bytes): byte %zu damaged",
                         (unsigned long long)id, size, i);
            i++;
        }
    }
}

/* Skewed small: 70% up to 128 bytes, 25% up to 512, 4.7% up to 4 KiB,
 * 0.3% up to ~100 KB; now and then 0. */
static size_t random_size(uint64_t *seed)
{
    uint64_t r = test_rand(seed);
    unsigned k = (unsigned)(r % 1000);
    r >>= 10;
    if (k < 3)
        return 4097 + r % (100000 - 4096);
    if (k < 50)
        return 513 + r % (4096 - 512);
    if (k < 300)
        return 129 + r % (512 - 128);
    if (k < 302)
        return 0;
    return 1 + r % 128;
}

/* A block of n bytes from the pools counts its class size. */
static void account_new(shadow *s, shadow_block *b, size_t n)
{
    b->small = n <= TL_HEAP_SMALL_MAX;
    b->bytes = b->small ? heap_class_size(heap_class_of(n)) : n;
    *(b->small ? &s->small_blocks : &s->large_blocks) += 1;
    s->bytes += b->bytes;
}

static void account_gone(shadow *s, const shadow_block *b)
{
    *(b->small ? &s->small_blocks : &s->large_blocks) -= 1;
    s->bytes -= b->bytes;
}

static void check_heap(tl_heap *h, const shadow *s, bool debug)
{
    const char *err = heap_validate(h);
    if (err)
        fail_msg("heap_validate: %s", err);
    tl_heap_stats st;
    tl_heap_stats_get(h, &st);
    assert_int_equal(tl_heap_blocks_in_use(h), s->small_blocks + s->large_blocks);
    if (!debug) {         /* the debug heap's wrapping changes classes and sizes */
        assert_int_equal(st.small_blocks, s->small_blocks);
        assert_int_equal(st.large_blocks, s->large_blocks);
        assert_int_equal(st.bytes_in_use, s->bytes);
        size_t sum = st.large_bytes;
        for (unsigned c = 0; c < TL_HEAP_NCLASSES; c++)
            sum += st.classes[c].bytes_in_use;
        assert_int_equal(sum, s->bytes);
    }
    assert_true(st.bytes_peak >= st.bytes_in_use);
}

static void op_alloc(tl_heap *h, shadow *s, shadow_block *b, uint64_t *seed)
{
    size_t n = random_size(seed);
    b->p = (test_rand(seed) & 15) ? tl_heap_alloc(h, n) : tl_heap_realloc(h, NULL, n);
    assert_non_null(b->p);
    assert_int_equal((uintptr_t)b->p % TL_HEAP_ALIGNMENT, 0);
    assert_ptr_equal(tl_heap_of(b->p), h);
    b->size = n;
    b->id = s->next_id++;
    fill(b->p, 0, n, b->id);
    account_new(s, b, n);
}

static void op_free(shadow *s, shadow_block *b)
{
    verify(b->p, b->size, b->id);
    tl_heap_free(b->p);
    account_gone(s, b);
    b->p = NULL;
}

static void op_realloc(tl_heap *h, shadow *s, shadow_block *b, uint64_t *seed)
{
    verify(b->p, b->size, b->id);
    size_t n = random_size(seed);
    unsigned char *q = tl_heap_realloc(h, b->p, n);
    assert_non_null(q);
    assert_int_equal((uintptr_t)q % TL_HEAP_ALIGNMENT, 0);
    size_t keep = b->size < n ? b->size : n;
    verify(q, keep, b->id);
    fill(q, keep, n, b->id);   /* the same block id: its pattern continues */
    if (q == b->p && b->small) {
        /* A pool block shrunk in place keeps its class (the 3/4 rule). */
        assert_true(n <= b->bytes && 4 * n > 3 * b->bytes);
    } else {
        account_gone(s, b);
        account_new(s, b, n);
    }
    b->p = q;
    b->size = n;
}

static double stress_scale(void)
{
    const char *env = getenv("TALLY_STRESS_SCALE");
    if (env && *env)
        return atof(env);
#if defined(__SANITIZE_ADDRESS__)
    return 0.25;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return 0.25;
#endif
#endif
    return 1.0;
}

static void run_stress(bool debug, long ops, uint64_t seed)
{
    tl_heap *h = test_heap(debug);
    shadow s = {.slots = calloc(SLOTS, sizeof(shadow_block))};
    assert_non_null(s.slots);
    for (long k = 0; k < ops; k++) {
        /* Phases alternate between growing (65% of ops fill an empty slot)
         * and shrinking (35%), so pools and arenas fill and drain. */
        bool growing = (k / PHASE) % 2 == 0;
        uint64_t r = test_rand(&seed);
        shadow_block *b = &s.slots[r % SLOTS];
        unsigned dice = (unsigned)((r >> 32) % 100);
        if (!b->p) {
            if (dice < (growing ? 90u : 40u))
                op_alloc(h, &s, b, &seed);
        } else if (dice < (growing ? 15u : 60u)) {
            op_free(&s, b);
        } else if (dice < (growing ? 40u : 75u)) {
            op_realloc(h, &s, b, &seed);
        } else {
            op_free(&s, b);            /* replace: free then allocate */
            op_alloc(h, &s, b, &seed);
        }
        if (k % CHECK_EVERY == 0)
            check_heap(h, &s, debug);
    }
    check_heap(h, &s, debug);
    for (size_t i = 0; i < SLOTS; i++)
        if (s.slots[i].p)
            op_free(&s, &s.slots[i]);
    assert_int_equal(s.small_blocks + s.large_blocks, 0);
    check_heap(h, &s, debug);
    tl_heap_stats st;
    tl_heap_stats_get(h, &st);
    assert_int_equal(st.bytes_in_use, 0);
    assert_true(st.arenas_in_use <= 1);            /* at most the spare is kept */
    assert_true(st.arenas_returned + 1 >= st.arenas_allocated);
    free(s.slots);
    tl_heap_delete(h);
}

static void random_operations_keep_every_block_intact(void **state)
{
    long ops = (long)(BASE_OPS * stress_scale());
    run_stress(false, ops, 0x5EED0001);
}

static void random_operations_under_the_debug_heap_report_nothing(void **state)
{
    long ops = (long)(BASE_OPS / 8 * stress_scale());
    run_stress(true, ops, 0x5EED0002);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_operations_keep_every_block_intact),
        cmocka_unit_test(random_operations_under_the_debug_heap_report_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
