/* test_gc_stress.c — random object graphs against an independent oracle.
 *
 * Fixed seed. Each epoch builds a graph of up to 100,000 GC objects with
 * random edges (four slots each), random external references and random
 * finalizers (plain, or resurrecting once), then alternates random mutations
 * (new objects, edge rewrites, references taken and dropped) with
 * collections of random generations. Before each collection an oracle that
 * knows nothing of the collector — plain C arrays: edges by id, external
 * counts, its own generation bookkeeping, marking with an explicit stack —
 * predicts exactly which objects die, which finalizers run and the count
 * returned. After it, the test checks those, the heap's block count, every
 * survivor's cookie and edges, and every survivor's reference count.
 *
 * TALLY_STRESS_SECONDS sets the running time (default 6 seconds).
 */
#define _GNU_SOURCE
#include "testutil.h"
#include "gc/gc_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAXN = 100000, K = 4 };
enum { PLAIN, FINAL, RESURRECT };

typedef struct snode {
    tl_object ob;
    tl_object *slot[K];
    uint32_t id;
    uint32_t kind;
    uint64_t cookie;
} snode;

/* The oracle's world, indexed by object id. */
static snode *objs[MAXN];
static int32_t edges[MAXN][K];
static int32_t ext[MAXN];          /* external references the test holds */
static uint8_t alive[MAXN], gen[MAXN], kind[MAXN], finalized[MAXN];
static uint8_t in_set[MAXN], mark[MAXN], freed_pred[MAXN], will_finalize[MAXN];
static int32_t stack[MAXN * (2 * K + 1)];
static int nobjs;                  /* ids handed out this epoch */
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static tl_heap *H;

static uint64_t cookie_of(uint32_t id) { return 0xC0FFEE0000000000ull ^ ((uint64_t)id * 0x9E3779B97F4A7C15ull); }
static uint32_t rnd(uint32_t n) { return (uint32_t)(test_rand(&rng) % n); }

static int sn_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    snode *s = (snode *)o;
    for (int k = 0; k < K; k++)
        if (s->slot[k] && visit(s->slot[k], arg))
            return 1;
    return 0;
}

/* Called once an object really dies (standard dealloc, after finalize) or
 * when the collector breaks a cycle (the object then dies). */
static void sn_clear(tl_object *o)
{
    snode *s = (snode *)o;
    alive[s->id] = 0;
    for (int k = 0; k < K; k++) {
        edges[s->id][k] = -1;
        TL_CLEAR(s->slot[k]);
    }
}

static void sn_finalize(tl_object *o)
{
    snode *s = (snode *)o;
    assert_int_equal(finalized[s->id], 0);            /* once in a life */
    finalized[s->id] = 1;
    if (s->kind == RESURRECT) {
        tl_incref(o);
        ext[s->id]++;
    }
}

static tl_type sn_type = { .ob = TL_STATIC_HEAD(NULL), .name = "snode",
    .basic_size = sizeof(snode), .flags = TL_TYPE_GC,
    .traverse = sn_traverse, .clear = sn_clear };
static tl_type sn_fin_type = { .ob = TL_STATIC_HEAD(NULL), .name = "snode_fin",
    .basic_size = sizeof(snode), .flags = TL_TYPE_GC,
    .traverse = sn_traverse, .clear = sn_clear, .finalize = sn_finalize };

static int random_alive(void)
{
    for (int tries = 0; tries < 64 && nobjs; tries++) {
        int id = (int)rnd((uint32_t)nobjs);
        if (alive[id])
            return id;
    }
    return -1;
}

/* ---- Mutations (the test holds ext[id] references to objs[id]) --------- */

static void set_edge(int a, int k, int b)
{
    if (b >= 0)
        tl_incref(&objs[b]->ob);
    edges[a][k] = b;
    tl_setref(&objs[a]->slot[k], b >= 0 ? &objs[b]->ob : NULL);
}

static void new_object(void)
{
    if (nobjs == MAXN)
        return;
    int id = nobjs++;
    uint32_t r = rnd(100);
    uint32_t kd = r < 90 ? PLAIN : r < 97 ? FINAL : RESURRECT;
    snode *s = (snode *)tl_object_new(H, kd == PLAIN ? &sn_type : &sn_fin_type);
    assert_non_null(s);
    s->id = (uint32_t)id;
    s->kind = kd;
    s->cookie = cookie_of((uint32_t)id);
    objs[id] = s;
    alive[id] = 1;
    gen[id] = 0;
    kind[id] = (uint8_t)kd;
    finalized[id] = 0;
    ext[id] = 1;
    for (int k = 0; k < K; k++)
        edges[id][k] = -1;
    int nedges = (int)rnd(K + 1);
    for (int k = 0; k < nedges; k++)
        set_edge(id, k, random_alive());
}

static void drop_external(int id)
{
    ext[id]--;
    tl_decref(&objs[id]->ob);       /* may free a whole structure */
}

static void mutate_once(void)
{
    uint32_t op = rnd(100);
    int a = random_alive();
    if (op < 30 || a < 0) {
        new_object();
        if (rnd(100) < 70)                             /* most new objects are not roots */
            drop_external(nobjs - 1);
    } else if (op < 75) {
        set_edge(a, (int)rnd(K), rnd(8) ? random_alive() : -1);
    } else if (op < 88) {
        tl_incref(&objs[a]->ob);
        ext[a]++;
    } else if (ext[a] > 0) {
        drop_external(a);
    }
}

/* ---- The oracle --------------------------------------------------------- */

static void mark_from_stack(int sp, uint8_t *scope)
{
    while (sp > 0) {
        int id = stack[--sp];
        if (mark[id] || !scope[id])
            continue;
        mark[id] = 1;
        for (int k = 0; k < K; k++)
            if (edges[id][k] >= 0 && scope[edges[id][k]] && !mark[edges[id][k]])
                stack[sp++] = edges[id][k];
    }
}

/* Breaking the garbage drops its references to objects outside it: those
 * left without references die by reference count (not counted), finalizing
 * on the way, unless a first finalizer resurrects them. */
static void predict_cascade(void)
{
    static int32_t rc[MAXN];
    for (int id = 0; id < nobjs; id++)
        rc[id] = alive[id] && !freed_pred[id] ? ext[id] : 0;
    for (int id = 0; id < nobjs; id++)
        if (alive[id] && !freed_pred[id])
            for (int k = 0; k < K; k++)
                if (edges[id][k] >= 0)
                    rc[edges[id][k]]++;
    int sp = 0;
    for (int id = 0; id < nobjs; id++)
        if (alive[id] && !freed_pred[id] && rc[id] == 0)
            stack[sp++] = id;
    while (sp > 0) {
        int id = stack[--sp];
        if (kind[id] != PLAIN && !finalized[id])
            will_finalize[id] = 1;
        if (kind[id] == RESURRECT && !finalized[id])
            continue;
        freed_pred[id] = 1;
        for (int k = 0; k < K; k++) {
            int e = edges[id][k];
            if (e >= 0 && !freed_pred[e] && --rc[e] == 0)
                stack[sp++] = e;
        }
    }
}

/* Predicts collect(g): fills freed_pred, returns the expected count. */
static intptr_t predict(int g)
{
    int sp = 0;
    for (int id = 0; id < nobjs; id++) {
        in_set[id] = alive[id] && gen[id] <= g;
        mark[id] = 0;
        freed_pred[id] = 0;
    }
    for (int id = 0; id < nobjs; id++) {
        if (!alive[id])
            continue;
        if (in_set[id]) {
            if (ext[id] > 0)
                stack[sp++] = id;
        } else {
            for (int k = 0; k < K; k++)
                if (edges[id][k] >= 0)
                    stack[sp++] = edges[id][k];
        }
    }
    mark_from_stack(sp, in_set);
    /* Garbage = in_set and unmarked. Resurrectors not yet finalized revive
     * themselves and all the garbage they reach. */
    sp = 0;
    for (int id = 0; id < nobjs; id++) {
        in_set[id] = in_set[id] && !mark[id];         /* now: the garbage */
        if (in_set[id] && kind[id] == RESURRECT && !finalized[id])
            stack[sp++] = id;
    }
    mark_from_stack(sp, in_set);
    intptr_t n = 0;
    for (int id = 0; id < nobjs; id++) {
        will_finalize[id] = in_set[id] && kind[id] != PLAIN && !finalized[id];
        if (in_set[id] && !mark[id]) {
            freed_pred[id] = 1;
            n++;
        }
    }
    predict_cascade();
    return n;
}

static void check_survivors(void)
{
    static int32_t indeg[MAXN];
    size_t live = 0;
    memset(indeg, 0, sizeof(int32_t) * (size_t)nobjs);
    for (int id = 0; id < nobjs; id++) {
        if (!alive[id])
            continue;
        live++;
        snode *s = objs[id];
        assert_int_equal(s->id, id);
        assert_true(s->cookie == cookie_of((uint32_t)id));
        for (int k = 0; k < K; k++) {
            int e = edges[id][k];
            assert_ptr_equal(s->slot[k], e >= 0 ? &objs[e]->ob : NULL);
            if (e >= 0) {
                assert_true(alive[e]);
                indeg[e]++;
            }
        }
    }
    for (int id = 0; id < nobjs; id++)
        if (alive[id])
            assert_int_equal(tl_refcount(&objs[id]->ob), ext[id] + indeg[id]);
    assert_int_equal(tl_heap_blocks_in_use(H), live);
    assert_null(gc_validate(H));
}

static void collect_and_check(int g)
{
    static uint8_t was_finalized[MAXN], was_alive[MAXN];
    for (int id = 0; id < nobjs; id++) {
        was_finalized[id] = finalized[id];
        was_alive[id] = alive[id];
    }
    intptr_t want = predict(g);
    intptr_t got = tl_gc_collect(H, g);
    assert_int_equal(got, want);
    for (int id = 0; id < nobjs; id++) {
        assert_int_equal(alive[id], was_alive[id] && !freed_pred[id]);
        if (finalized[id] != (was_finalized[id] | will_finalize[id]))
            fprintf(stderr, "id %d kind %d gen %d g %d was_alive %d alive %d ext %d fin %d was %d will %d in_set %d mark %d\n",
                    id, kind[id], gen[id], g, was_alive[id], alive[id], ext[id], finalized[id], was_finalized[id], will_finalize[id], in_set[id], mark[id]);
        assert_int_equal(finalized[id], was_finalized[id] | will_finalize[id]);
        if (alive[id] && gen[id] <= g)
            gen[id] = (uint8_t)(g + 1 < TL_GC_NGENERATIONS ? g + 1 : g);
    }
    check_survivors();
}

static void run_epoch(void)
{
    nobjs = 0;
    int target = 1000 + (int)rnd(MAXN - 1000);
    for (int i = 0; i < target / 2; i++)
        new_object();
    for (int i = 0; i < target / 2 && nobjs < MAXN; i++)
        mutate_once();
    for (int round = 0; round < 8; round++) {
        collect_and_check((int)rnd(3));
        int nmut = (int)rnd((uint32_t)(target / 4 + 1));
        for (int i = 0; i < nmut; i++)
            mutate_once();
    }
    /* Teardown: each resurrector revives once; dropping it again may reach
     * more, so repeat until nothing is left. */
    for (int pass = 0; pass < 100 && tl_heap_blocks_in_use(H) > 0; pass++) {
        for (int id = 0; id < nobjs; id++)
            while (alive[id] && ext[id] > 0)
                drop_external(id);
        collect_and_check(2);
    }
    assert_int_equal(tl_heap_blocks_in_use(H), 0);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void random_graphs_agree_with_the_reachability_oracle(void **state)
{
    const char *env = getenv("TALLY_STRESS_SECONDS");
    double budget = env ? atof(env) : 6.0;
    H = test_heap(false);
    tl_gc_disable(H);
    gc_state_of(H)->validate = true;
    double t0 = seconds();
    int epochs = 0;
    do {
        run_epoch();
        epochs++;
    } while (seconds() - t0 < budget);
    fprintf(stderr, "# gc stress: %d epochs in %.1fs\n", epochs, seconds() - t0);
    tl_heap_delete(H);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_graphs_agree_with_the_reachability_oracle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
