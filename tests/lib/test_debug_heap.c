/* test_debug_heap.c — the debug heap (tl_heap_options.debug): poison, guards,
 * serial numbers, and a report naming the kind of damage, the block's serial
 * and size, then abort(). Every damaging program runs in a child process. */
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char out[4096];

/* In a child, a failed check must not reach cmocka (it would go on running
 * the suite in the child): it exits with a status the parent rejects. */
#define CHILD_CHECK(x) \
    do { if (!(x)) { fprintf(stderr, "check failed: %s\n", #x); _exit(99); } } while (0)

/* The child died of SIGABRT after writing "<kind>: block #<serial> of <size> bytes". */
static void expect_report(int status, const char *kind, unsigned serial, size_t size)
{
    char want[160];
    snprintf(want, sizeof want, "tally: debug heap: %s: block #%u of %zu bytes", kind, serial, size);
    if (!strstr(out, want))
        fail_msg("expected \"%s\" on stderr, got \"%s\"", want, out);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

/* Two blocks allocated first, so the damaged one is serial #3. */
static unsigned char *third_block(tl_heap *h, size_t size)
{
    CHILD_CHECK(tl_heap_alloc(h, 40));
    CHILD_CHECK(tl_heap_alloc(h, 2000));
    unsigned char *p = tl_heap_alloc(h, size);
    CHILD_CHECK(p);
    return p;
}

static void overflow_child(void *arg)
{
    size_t size = *(size_t *)arg;
    tl_heap *h = test_heap(true);
    unsigned char *p = third_block(h, size);
    memset(p, 'x', size + 1);                 /* one byte past the end */
    tl_heap_free(p);
}

static void overflow_is_reported_on_free(void **state)
{
    size_t sizes[] = {24, 100, 1000, 70000};  /* pooled and large blocks */
    for (int i = 0; i < 4; i++) {
        int st = test_in_child(overflow_child, &sizes[i], out, sizeof out);
        expect_report(st, "buffer overflow", 3, sizes[i]);
    }
}

static void underflow_child(void *arg)
{
    size_t size = *(size_t *)arg;
    tl_heap *h = test_heap(true);
    unsigned char *p = third_block(h, size);
    p[-1] = 'x';                              /* one byte before the start */
    tl_heap_free(p);
}

static void underflow_is_reported_on_free(void **state)
{
    size_t sizes[] = {24, 100, 1000, 70000};
    for (int i = 0; i < 4; i++) {
        int st = test_in_child(underflow_child, &sizes[i], out, sizeof out);
        expect_report(st, "buffer underflow", 3, sizes[i]);
    }
}

static void double_free_child(void *arg)
{
    tl_heap *h = test_heap(true);
    unsigned char *p = third_block(h, 48);
    tl_heap_free(p);
    tl_heap_free(p);
}

static void double_free_is_reported(void **state)
{
    int st = test_in_child(double_free_child, NULL, out, sizeof out);
    expect_report(st, "double free", 3, 48);
}

static void write_after_free_child(void *arg)
{
    tl_heap *h = test_heap(true);
    unsigned char *p = third_block(h, 64);
    CHILD_CHECK(tl_heap_alloc(h, 64));        /* keeps the pool in use */
    tl_heap_free(p);
    p[10] = 0;                                /* a dangling write */
    tl_heap_alloc(h, 64);                     /* reuses the block: checks its poison */
}

static void write_after_free_is_reported_when_the_block_is_reused(void **state)
{
    int st = test_in_child(write_after_free_child, NULL, out, sizeof out);
    expect_report(st, "write after free", 3, 64);
    assert_non_null(strstr(out, "byte 10 of the freed block"));
}

/* Reference counts: a decref below zero. The count of a live object never
 * goes below one; the decref that would is made on a freed object, whose
 * poisoned memory it writes, and the debug heap reports that write when the
 * block is reused. */
typedef struct cell { tl_object ob; intptr_t payload[4]; } cell;
static tl_type cell_type = {
    .ob = TL_STATIC_HEAD(NULL), .name = "cell", .basic_size = sizeof(cell),
};

static void extra_decref_child(void *arg)
{
    tl_heap *h = test_heap(true);
    CHILD_CHECK(tl_heap_alloc(h, 40));
    CHILD_CHECK(tl_heap_alloc(h, 2000));
    tl_object *o = tl_object_new(h, &cell_type);          /* block #3 */
    CHILD_CHECK(o);
    CHILD_CHECK(tl_object_new(h, &cell_type));           /* keeps the pool in use */
    tl_decref(o);                                        /* freed */
    tl_decref(o);                                        /* one decref too many */
    tl_object_new(h, &cell_type);                        /* reuses the block */
}

static void a_decref_below_zero_is_reported(void **state)
{
    int st = test_in_child(extra_decref_child, NULL, out, sizeof out);
    expect_report(st, "write after free", 3, sizeof(cell));
    assert_non_null(strstr(out, "byte 0 of the freed block"));
}

/* An incref past the maximum saturates: a count that reaches the immortal
 * band (2^59, a number of references no program can make; set here
 * directly) stays there, and no decref frees the object. */
static void an_incref_past_the_maximum_saturates(void **state)
{
    tl_heap *h = test_heap(true);
    tl_object *o = tl_object_new(h, &cell_type);
    assert_non_null(o);
    o->refcount = TL_IMMORTAL_FLOOR - 5;
    assert_false(tl_is_immortal(o));
    for (int i = 0; i < 10; i++)
        tl_incref(o);
    assert_true(tl_is_immortal(o));
    for (int i = 0; i < 1000000; i++)
        tl_decref(o);
    assert_true(tl_refcount(o) > 0);
    assert_int_equal(tl_heap_blocks_in_use(h), 1);    /* never deallocated */
    tl_heap_delete(h);                                 /* the heap frees its memory */
}

static void invalid_free_child(void *arg)
{
    tl_heap *h = test_heap(true);
    unsigned char *p = third_block(h, 200);
    tl_heap_free(p + 64);                     /* not the start of a block */
}

static void invalid_free_is_reported(void **state)
{
    int st = test_in_child(invalid_free_child, NULL, out, sizeof out);
    assert_non_null(strstr(out, "tally: debug heap: invalid free: "));
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGABRT);
}

static void serial_child(void *arg)
{
    tl_heap *h = test_heap(true);
    void *a = tl_heap_alloc(h, 30);           /* #1 */
    void *b = tl_heap_alloc(h, 30);           /* #2 */
    CHILD_CHECK(tl_heap_alloc(h, 30));        /* #3 keeps the pool in use */
    tl_heap_free(a);
    tl_heap_free(b);
    unsigned char *c = tl_heap_alloc(h, 30);  /* #4, in b's memory */
    CHILD_CHECK(c == b);
    c[30] = 0;
    tl_heap_free(c);
}

static void serial_numbers_increase_and_are_not_reused_with_memory(void **state)
{
    int st = test_in_child(serial_child, NULL, out, sizeof out);
    expect_report(st, "buffer overflow", 4, 30);
}

static void fresh_memory_reads_0xcd_and_calloc_zero(void **state)
{
    tl_heap *h = test_heap(true);
    assert_true(tl_heap_is_debug(h));
    size_t sizes[] = {1, 16, 100, 512, 513, 5000};
    for (int i = 0; i < 6; i++) {
        unsigned char *p = tl_heap_alloc(h, sizes[i]);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % TL_HEAP_ALIGNMENT, 0);
        assert_int_equal(tl_heap_block_size(p), sizes[i]);
        for (size_t k = 0; k < sizes[i]; k++)
            assert_int_equal(p[k], 0xCD);
        memset(p, 0x11, sizes[i]);
        tl_heap_free(p);
        unsigned char *q = tl_heap_calloc(h, sizes[i]);
        for (size_t k = 0; k < sizes[i]; k++)
            assert_int_equal(q[k], 0);
        tl_heap_free(q);
    }
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void realloc_preserves_contents_under_the_debug_heap(void **state)
{
    tl_heap *h = test_heap(true);
    size_t sizes[] = {10, 40, 500, 600, 9000, 100, 3};
    unsigned char *p = tl_heap_alloc(h, 10);
    for (int k = 0; k < 10; k++)
        p[k] = (unsigned char)k;
    size_t have = 10;
    for (int i = 1; i < 7; i++) {
        p = tl_heap_realloc(h, p, sizes[i]);
        assert_non_null(p);
        assert_int_equal(tl_heap_block_size(p), sizes[i]);
        size_t keep = have < sizes[i] ? have : sizes[i];
        for (size_t k = 0; k < keep; k++)
            assert_int_equal(p[k], (unsigned char)k);
        for (size_t k = keep; k < sizes[i]; k++) {
            assert_int_equal(p[k], 0xCD);     /* new tail is fresh memory */
            p[k] = (unsigned char)k;
        }
        have = sizes[i];
    }
    tl_heap_free(p);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void clean_child(void *arg)
{
    tl_heap *h = test_heap(true);
    enum { N = 2000 };
    static unsigned char *blocks[N];
    uint64_t seed = 42;
    for (int round = 0; round < 20; round++)
        for (int i = 0; i < N; i++) {
            uint64_t r = test_rand(&seed);
            size_t n = r % 8 == 0 ? 513 + r % 4000 : r % 300;
            if (blocks[i] && r % 3 == 0) {
                blocks[i] = tl_heap_realloc(h, blocks[i], n);
            } else {
                tl_heap_free(blocks[i]);
                blocks[i] = tl_heap_alloc(h, n);
            }
            CHILD_CHECK(blocks[i]);
            memset(blocks[i], i, n);          /* every byte the block owns */
        }
    for (int i = 0; i < N; i++)
        tl_heap_free(blocks[i]);
    CHILD_CHECK(tl_heap_blocks_in_use(h) == 0);
    tl_heap_delete(h);
}

static void clean_program_runs_without_reports(void **state)
{
    int st = test_in_child(clean_child, NULL, out, sizeof out);
    assert_string_equal(out, "");
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(overflow_is_reported_on_free),
        cmocka_unit_test(underflow_is_reported_on_free),
        cmocka_unit_test(double_free_is_reported),
        cmocka_unit_test(write_after_free_is_reported_when_the_block_is_reused),
        cmocka_unit_test(invalid_free_is_reported),
        cmocka_unit_test(serial_numbers_increase_and_are_not_reused_with_memory),
        cmocka_unit_test(fresh_memory_reads_0xcd_and_calloc_zero),
        cmocka_unit_test(realloc_preserves_contents_under_the_debug_heap),
        cmocka_unit_test(clean_program_runs_without_reports),
        cmocka_unit_test(a_decref_below_zero_is_reported),
        cmocka_unit_test(an_incref_past_the_maximum_saturates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
