/* test_fault_lib.c — allocation failure at every point of library operations.
 *
 * In the manner of SQLite's malloc tests: each operation below runs on a
 * fresh debug heap with its N-th allocation made to fail, for N = 1, 2, ...
 * until a run completes without any failure having been injected; then the
 * same with every allocation from the N-th on failing. Each run must:
 *   - report the failure cleanly (the operation sees NULL or -1 and stops,
 *     or absorbs it), never crash or touch freed memory (ASan, debug heap);
 *   - leave nothing behind: once the operation has dropped its references
 *     and a full collection has run, the heap holds as many blocks as before;
 *   - leave the heap consistent: the collector's lists validate, and the
 *     debug heap checks every freed block's guards.
 * FAULT_LIB_POINTS=1 prints how many failure points each operation took.
 */
#include "test_gc_types.h"

#include <stdio.h>
#include <stdlib.h>

typedef bool (*fault_op)(tl_heap *h);   /* true: completed; false: stopped on NULL */

static uint64_t total_points;

static tl_object *try_node(tl_heap *h, tl_type *t, int id)
{
    node *n = (node *)tl_object_new(h, t);
    if (n)
        n->id = id;
    return n ? &n->ob : NULL;
}

static void drop_all(tl_object **objs, int n)
{
    for (int i = 0; i < n; i++)
        tl_xdecref(objs[i]);
}

/* ---- operations -------------------------------------------------------------- */

/* Raw blocks: a failed realloc leaves the old block whole. */
static bool op_blocks(tl_heap *h)
{
    unsigned char *a = tl_heap_alloc(h, 40), *b = tl_heap_alloc(h, 2000);
    bool ok = a && b;
    if (ok) {
        memset(b, 7, 2000);
        unsigned char *c = tl_heap_realloc(h, b, 100000);
        if (c)
            b = c;
        else
            ok = false;
        assert_int_equal(b[1999], 7);     /* kept either way */
    }
    if (ok) {
        unsigned char *c = tl_heap_realloc(h, a, 600);
        ok = c != NULL;
        if (c)
            a = c;
    }
    tl_heap_free(a);
    tl_heap_free(b);
    return ok;
}

/* A graph of 40 nodes with cycles and finalizers, dropped, then collected. */
static bool op_cycles(tl_heap *h)
{
    enum { N = 40 };
    tl_object *n[N] = {0};
    bool ok = true;
    for (int i = 0; i < N && ok; i++)
        ok = (n[i] = try_node(h, i % 3 ? &node_type : &fin_type, i)) != NULL;
    for (int i = 0; i < N && ok; i++) {
        if (n[(i + 1) % N])
            link(n[i], 0, n[(i + 1) % N]);
        if (n[(i * 7) % N])
            link(n[i], 1, n[(i * 7) % N]);
    }
    drop_all(n, N);
    intptr_t found = tl_gc_collect(h, 2);
    return ok && found == N;
}

static int weakref_calls;
static void count_call(tl_weakref *wr, void *arg) { weakref_calls++; }

/* Weak references with C callbacks to nodes that die by refcount and in a
 * cycle; the references outlive their targets. */
static bool op_weakrefs(tl_heap *h)
{
    enum { N = 12 };
    tl_object *n[N] = {0};
    tl_weakref *w[N] = {0};
    bool ok = true;
    for (int i = 0; i < N && ok; i++)
        ok = (n[i] = try_node(h, &node_type, i)) != NULL;
    for (int i = 0; i < N && ok; i++) {
        tl_weakref_spec spec = {.cfunc = count_call};
        w[i] = i % 2 ? tl_weakref_new_ex(n[i], &spec) : tl_weakref_new(n[i], NULL);
        ok = w[i] != NULL;
    }
    if (ok)
        for (int i = 0; i + 1 < N / 2; i++)
            link(n[i], 0, n[i + 1]);
    if (ok)
        link(n[N / 2 - 1], 0, n[0]);          /* the first half is a cycle */
    weakref_calls = 0;
    drop_all(n, N);                           /* the second half dies now */
    tl_gc_collect(h, 2);                      /* the first half here */
    for (int i = 0; i < N; i++) {
        if (w[i]) {
            assert_null(tl_weakref_get(w[i]));
            tl_decref(&w[i]->ob);
        }
    }
    return ok && weakref_calls == N / 2;
}

/* Finalizers that resurrect, legacy finalizers kept as garbage. */
static bool op_finalizers(tl_heap *h)
{
    t_resurrected = NULL;
    tl_object *a = try_node(h, &resurrect_type, 1), *b = try_node(h, &node_type, 2);
    tl_object *c = try_node(h, &legacy_type, 3), *d = try_node(h, &legacy_type, 4);
    bool ok = a && b && c && d;
    if (a && b) {
        link(a, 0, b);
        link(b, 0, a);
    }
    if (c && d) {
        link(c, 0, d);
        link(d, 0, c);
    }
    tl_object *objs[] = {a, b, c, d};
    drop_all(objs, 4);
    tl_gc_collect(h, 2);
    bool resurrected = t_resurrected != NULL;
    size_t garbage = tl_gc_garbage_count(h);
    if (t_resurrected) {
        tl_object *r = t_resurrected;
        t_resurrected = NULL;
        tl_decref(r);
    }
    for (size_t i = 0; i < garbage; i++)      /* break the uncollectable cycle */
        node_clear(tl_gc_garbage_get(h, i));
    tl_gc_garbage_clear(h);
    return ok && resurrected && garbage == 2;
}

static int callback_runs;
static void on_collect(tl_heap *h, tl_gc_phase phase, const tl_gc_info *info, void *arg)
{
    callback_runs++;
}

/* Collector callbacks, a frozen generation and thresholds. */
static bool op_callbacks(tl_heap *h)
{
    if (tl_gc_add_callback(h, on_collect, NULL) < 0)
        return false;
    callback_runs = 0;
    tl_object *a = try_node(h, &node_type, 1);
    if (a) {
        link(a, 0, a);
        tl_gc_freeze(h);
        tl_gc_unfreeze(h);
        tl_decref(a);
    }
    tl_gc_collect(h, 0);
    tl_gc_remove_callback(h, on_collect, NULL);
    return a != NULL && callback_runs == 2;
}

/* ---- the harness ----------------------------------------------------------------- */

/* Runs op failing at allocation 1, 2, ... (or from it on) until it completes
 * with nothing failed. */
static void run_at_every_point(const char *name, fault_op op, bool every_after)
{
    uint64_t n;
    for (n = 1; n < 100000; n++) {
        tl_heap *h = test_heap(true);
        gc_state_of(h)->validate = true;
        t_heap = h;
        t_finalized = 0;
        t_resurrected = NULL;
        size_t before = tl_heap_blocks_in_use(h);
        tl_heap_fail_at(h, n, every_after);
        bool ok = op(h);
        uint64_t injected = tl_heap_failures(h);
        tl_heap_fail_at(h, 0, false);
        tl_gc_collect(h, 2);
        if (tl_heap_blocks_in_use(h) != before)
            fail_msg("%s, allocation %llu%s failing: %zu blocks left behind", name,
                     (unsigned long long)n, every_after ? " and after" : "",
                     tl_heap_blocks_in_use(h) - before);
        assert_null(gc_validate(h));
        tl_heap_delete(h);
        if (!injected) {
            if (!ok)
                fail_msg("%s failed with no allocation failing", name);
            break;
        }
    }
    total_points += n;
    if (getenv("FAULT_LIB_POINTS"))
        printf("# %s%s: %llu failure points\n", name, every_after ? " (N+)" : "",
               (unsigned long long)n);
}

#define FAULT_TEST(op)                                                          \
    static void op##_fails_cleanly_at_every_allocation(void **state)            \
    {                                                                           \
        run_at_every_point(#op, op, false);                                     \
        run_at_every_point(#op, op, true);                                      \
    }

FAULT_TEST(op_blocks)
FAULT_TEST(op_cycles)
FAULT_TEST(op_weakrefs)
FAULT_TEST(op_finalizers)
FAULT_TEST(op_callbacks)

static void report_points(void **state)
{
    if (getenv("FAULT_LIB_POINTS"))
        printf("# total: %llu failure points\n", (unsigned long long)total_points);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(op_blocks_fails_cleanly_at_every_allocation),
        cmocka_unit_test(op_cycles_fails_cleanly_at_every_allocation),
        cmocka_unit_test(op_weakrefs_fails_cleanly_at_every_allocation),
        cmocka_unit_test(op_finalizers_fails_cleanly_at_every_allocation),
        cmocka_unit_test(op_callbacks_fails_cleanly_at_every_allocation),
        cmocka_unit_test(report_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
