/* test_gc.c — the cycle collector: what a collection finds and counts,
 * finalizers (PEP 442), resurrection, legacy finalizers, generations,
 * thresholds, freeze, callbacks, debug flags, introspection, deep graphs. */
#include "test_gc_types.h"

#include <stdio.h>

static void two_node_cycle_is_collected_and_counted_as_2(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1), *b = new_node(h, &node_type, 2);
    link(a, 0, b);
    link(b, 0, a);
    tl_decref(a);
    tl_decref(b);
    assert_int_equal(tl_heap_blocks_in_use(h), 2);
    assert_int_equal(tl_gc_collect(h, 2), 2);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    assert_int_equal(tl_gc_collect(h, 2), 0);
    gc_test_heap_done(h);
}

static void self_referencing_container_is_collected(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    link(a, 2, a);
    tl_decref(a);
    assert_int_equal(tl_gc_collect(h, 2), 1);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void cycle_through_several_types_is_collected(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    pair *p = (pair *)tl_object_new(h, &pair_type);
    tl_object *c = new_node(h, &fin_type, 3);
    tl_object *atom = tl_object_new(h, &atom_type);
    link(a, 0, &p->ob);
    tl_incref(c);
    p->first = c;
    p->second = atom;                 /* a non-GC member, owned by the pair */
    link(c, 1, a);
    tl_decref(a);
    tl_decref(&p->ob);
    tl_decref(c);
    assert_int_equal(tl_gc_collect(h, 2), 3);   /* the atom is not counted */
    assert_int_equal(t_finalized, 1);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void cycle_kept_alive_by_one_external_reference_survives(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *nodes[10];
    for (int i = 0; i < 10; i++)
        nodes[i] = new_node(h, &node_type, i);
    for (int i = 0; i < 10; i++)
        link(nodes[i], 0, nodes[(i + 1) % 10]);
    for (int i = 1; i < 10; i++)
        tl_decref(nodes[i]);
    assert_int_equal(tl_gc_collect(h, 0), 0);
    assert_int_equal(tl_gc_collect(h, 2), 0);
    assert_int_equal(tl_heap_blocks_in_use(h), 10);
    assert_int_equal(tl_gc_generation_size(h, 2), 10);
    tl_decref(nodes[0]);
    assert_int_equal(tl_gc_collect(h, 2), 10);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void objects_reachable_only_from_survivors_survive(void **state)
{
    /* Created tail first, so every node is first tentatively unreachable and
     * then moved back by the scan of its referrer. */
    tl_heap *h = gc_test_heap();
    tl_object *next = NULL;
    for (int i = 0; i < 100; i++) {
        tl_object *n = new_node(h, &node_type, i);
        if (next) {
            link(n, 0, next);
            tl_decref(next);
        }
        next = n;
    }
    assert_int_equal(tl_gc_collect(h, 2), 0);
    assert_int_equal(tl_gc_generation_size(h, 2), 100);
    tl_decref(next);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void finalizer_resurrecting_its_object_survives_and_is_not_called_again(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &resurrect_type, 1);
    tl_object *cargo = new_node(h, &node_type, 2);
    link(a, 0, a);
    link(a, 1, cargo);
    tl_weakref *wr = tl_weakref_new(a, NULL);
    tl_decref(cargo);
    tl_decref(a);
    assert_int_equal(tl_gc_collect(h, 2), 0);        /* resurrected: not counted */
    assert_int_equal(t_finalized, 1);
    assert_ptr_equal(t_resurrected, a);
    assert_true(tl_gc_is_finalized(a));
    assert_ptr_equal(((node *)a)->slot[1], cargo);   /* cargo intact */
    assert_null(tl_weakref_get(wr));                 /* 3.11: already dead */
    assert_true(tl_gc_is_tracked(a));
    tl_decref(t_resurrected);
    assert_int_equal(tl_gc_collect(h, 2), 2);
    assert_int_equal(t_finalized, 1);                /* never again */
    tl_decref(&wr->ob);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void resurrection_on_refcount_death_keeps_weakrefs_alive(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &resurrect_type, 1);
    tl_weakref *wr = tl_weakref_new(a, NULL);
    tl_decref(a);
    assert_int_equal(t_finalized, 1);
    assert_ptr_equal(tl_weakref_get(wr), a);
    tl_decref(t_resurrected);                        /* dies for good */
    assert_int_equal(t_finalized, 1);
    assert_null(tl_weakref_get(wr));
    tl_decref(&wr->ob);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void resurrection_does_not_block_cleanup_of_other_objects(void **state)
{
    tl_heap *h = gc_test_heap();
    for (int i = 0; i < 5; i++) {
        tl_object *s = new_node(h, &fin_type, i);
        link(s, 0, s);
        tl_decref(s);
    }
    tl_object *r = new_node(h, &resurrect_type, 99);
    link(r, 0, r);
    tl_decref(r);
    assert_int_equal(tl_gc_collect(h, 2), 5);
    assert_int_equal(t_finalized, 6);
    tl_decref(t_resurrected);
    assert_int_equal(tl_gc_collect(h, 2), 1);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void suicidal_finalizer_frees_its_cycle_and_is_not_counted(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &suicide_type, 1);
    link(a, 0, a);
    tl_decref(a);
    assert_int_equal(tl_gc_collect(h, 2), 0);
    assert_int_equal(t_finalized, 1);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void finalizers_of_a_ring_run_once_each_with_neighbours_intact(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *ring[6];
    tl_type *types[6] = {&fin_type, &suicide_type, &resurrect_type, &fin_type, &suicide_type, &fin_type};
    for (int i = 0; i < 6; i++)
        ring[i] = new_node(h, types[i], i);
    for (int i = 0; i < 6; i++)
        link(ring[i], 0, ring[(i + 1) % 6]);
    for (int i = 0; i < 6; i++)
        tl_decref(ring[i]);
    tl_gc_collect(h, 2);
    assert_int_equal(t_finalized, 6);
    assert_non_null(t_resurrected);
    tl_decref(t_resurrected);
    t_resurrected = NULL;
    tl_gc_collect(h, 2);
    assert_int_equal(t_finalized, 6);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void finalizer_creating_new_cycles_during_collection(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &spawn_type, 1);
    link(a, 0, a);
    tl_decref(a);
    assert_int_equal(tl_gc_collect(h, 2), 1);
    assert_int_equal(t_finalized, 1);
    assert_int_equal(tl_heap_blocks_in_use(h), 2);   /* the spawned cycle */
    assert_int_equal(tl_gc_generation_size(h, 0), 2);
    assert_int_equal(tl_gc_collect(h, 0), 2);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void collect_while_collecting_returns_0(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &collect_type, 1);
    link(a, 0, a);
    tl_decref(a);
    assert_int_equal(tl_gc_collect(h, 2), 1);
    assert_int_equal(t_inner_collect, 0);
    gc_test_heap_done(h);
}

static void invalid_generation_is_refused(void **state)
{
    tl_heap *h = gc_test_heap();
    assert_int_equal(tl_gc_collect(h, 3), -1);
    assert_int_equal(tl_gc_collect(h, -1), -1);
    gc_test_heap_done(h);
}

static void finalizer_sees_is_finalized_true_in_collector(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &fin_type, 1);
    assert_false(tl_gc_is_finalized(a));
    tl_object *atom = tl_object_new(h, &atom_type);
    assert_false(tl_gc_is_finalized(atom));
    assert_false(tl_gc_is_tracked(atom));
    tl_decref(atom);
    link(a, 0, a);
    tl_decref(a);
    assert_int_equal(tl_gc_collect(h, 2), 1);
    assert_int_equal(t_finalized, 1);
    gc_test_heap_done(h);
}

/* ---- legacy finalizers, SAVEALL ----------------------------------------- */

static void legacy_finalizers_make_cycles_uncollectable(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &legacy_type, 1), *b = new_node(h, &node_type, 2);
    link(a, 0, b);
    link(b, 0, a);
    tl_object *plain = new_node(h, &node_type, 3);
    link(plain, 0, plain);
    tl_decref(a);
    tl_decref(b);
    tl_decref(plain);
    assert_int_equal(tl_gc_collect(h, 2), 3);        /* 1 collected + 2 uncollectable */
    tl_gc_gen_stats s[3];
    tl_gc_get_stats(h, s);
    assert_int_equal(s[2].collected, 1);
    assert_int_equal(s[2].uncollectable, 2);
    assert_int_equal(t_finalized, 0);                 /* never called by the collector */
    assert_int_equal(tl_gc_garbage_count(h), 1);      /* only the one with the finalizer */
    assert_ptr_equal(tl_gc_garbage_get(h, 0), a);
    assert_int_equal(tl_heap_blocks_in_use(h), 2);
    /* Broken by hand, the cycle dies by refcount; the legacy finalizer runs. */
    TL_CLEAR(((node *)a)->slot[0]);
    tl_gc_garbage_clear(h);
    assert_int_equal(t_finalized, 1);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void debug_saveall_keeps_garbage_in_the_garbage_list(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_gc_set_debug(h, TL_GC_DEBUG_SAVEALL);
    tl_object *a = new_node(h, &node_type, 1);
    link(a, 0, a);
    tl_decref(a);
    assert_int_equal(tl_gc_collect(h, 2), 1);
    assert_int_equal(tl_gc_garbage_count(h), 1);
    assert_ptr_equal(tl_gc_garbage_get(h, 0), a);     /* same object */
    assert_ptr_equal(((node *)a)->slot[0], a);        /* not cleared */
    assert_true(tl_gc_is_tracked(a));
    tl_gc_set_debug(h, 0);
    tl_gc_garbage_clear(h);
    assert_int_equal(tl_gc_collect(h, 2), 1);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

struct sink { tl_object *got[4]; int n; };
static int sink_fn(tl_heap *h, tl_object *o, void *arg)
{
    struct sink *s = arg;
    tl_incref(o);
    s->got[s->n++] = o;
    return 0;
}

static void garbage_sink_receives_uncollectable_objects(void **state)
{
    tl_heap *h = gc_test_heap();
    struct sink s = {{0}, 0};
    tl_gc_set_garbage_sink(h, sink_fn, &s);
    tl_object *a = new_node(h, &legacy_type, 1);
    link(a, 0, a);
    tl_decref(a);
    assert_int_equal(tl_gc_collect(h, 2), 1);
    assert_int_equal(s.n, 1);
    assert_ptr_equal(s.got[0], a);
    assert_int_equal(tl_gc_garbage_count(h), 0);
    TL_CLEAR(((node *)a)->slot[0]);
    tl_decref(a);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

/* ---- generations, counts, thresholds ----------------------------------- */

static void get_count_after_collect_0_1_2(void **state)
{
    tl_heap *h = gc_test_heap();
    int c[3];
    tl_object *keep = new_node(h, &node_type, 1);
    tl_gc_collect(h, 0);
    tl_gc_get_count(h, c);
    assert_int_equal(c[0], 0); assert_int_equal(c[1], 1); assert_int_equal(c[2], 0);
    assert_int_equal(tl_gc_generation_size(h, 1), 1);
    tl_gc_collect(h, 1);
    tl_gc_get_count(h, c);
    assert_int_equal(c[0], 0); assert_int_equal(c[1], 0); assert_int_equal(c[2], 1);
    assert_int_equal(tl_gc_generation_size(h, 2), 1);
    tl_gc_collect(h, 2);
    tl_gc_get_count(h, c);
    assert_int_equal(c[0], 0); assert_int_equal(c[1], 0); assert_int_equal(c[2], 0);
    tl_object *x = new_node(h, &node_type, 2);
    tl_gc_get_count(h, c);
    assert_int_equal(c[0], 1);
    tl_decref(x);
    tl_gc_get_count(h, c);
    assert_int_equal(c[0], 0);
    tl_decref(keep);
    gc_test_heap_done(h);
}

static void collect_generations_moves_survivors_up_one_generation(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    assert_int_equal(tl_gc_generation_size(h, 0), 1);
    tl_gc_collect(h, 0);
    assert_int_equal(tl_gc_generation_size(h, 0), 0);
    assert_int_equal(tl_gc_generation_size(h, 1), 1);
    tl_gc_collect(h, 0);                              /* gen 1 untouched */
    assert_int_equal(tl_gc_generation_size(h, 1), 1);
    tl_gc_collect(h, 1);
    assert_int_equal(tl_gc_generation_size(h, 2), 1);
    tl_gc_collect(h, 2);
    assert_int_equal(tl_gc_generation_size(h, 2), 1);
    tl_decref(a);
    gc_test_heap_done(h);
}

static void per_generation_stats_count_collections(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_gc_gen_stats s[3];
    tl_object *a = new_node(h, &node_type, 1);
    link(a, 0, a);
    tl_decref(a);
    tl_gc_collect(h, 0);
    tl_gc_collect(h, 2);
    tl_gc_get_stats(h, s);
    assert_int_equal(s[0].collections, 1);
    assert_int_equal(s[0].collected, 1);
    assert_int_equal(s[1].collections, 0);
    assert_int_equal(s[2].collections, 1);
    assert_int_equal(s[2].collected, 0);
    gc_test_heap_done(h);
}

struct cb_log { int calls; int gens[64]; tl_gc_phase phases[64]; intptr_t collected[64], uncollectable[64]; };
static void log_cb(tl_heap *h, tl_gc_phase phase, const tl_gc_info *info, void *arg)
{
    struct cb_log *l = arg;
    if (l->calls < 64) {
        l->gens[l->calls] = info->generation;
        l->phases[l->calls] = phase;
        l->collected[l->calls] = info->collected;
        l->uncollectable[l->calls] = info->uncollectable;
    }
    l->calls++;
}

static void thresholds_trigger_automatic_collections(void **state)
{
    tl_heap *h = gc_test_heap();
    struct cb_log log = {0};
    assert_int_equal(tl_gc_add_callback(h, log_cb, &log), 0);
    int t[3];
    tl_gc_get_threshold(h, t);
    assert_int_equal(t[0], 700); assert_int_equal(t[1], 10); assert_int_equal(t[2], 10);
    int nt[3] = {10, -1, -1};
    tl_gc_set_threshold(h, nt);
    tl_gc_get_threshold(h, t);
    assert_int_equal(t[0], 10); assert_int_equal(t[1], 10);
    for (int i = 0; i < 10; i++) {                   /* 10 garbage self-cycles */
        tl_object *a = new_node(h, &node_type, i);
        link(a, 0, a);
        tl_decref(a);
    }
    assert_int_equal(log.calls, 0);
    tl_object *b = new_node(h, &node_type, 99);       /* the 11th: count 11 > 10 */
    assert_int_equal(log.calls, 2);
    assert_int_equal(log.gens[0], 0);
    assert_int_equal(log.collected[1], 10);
    assert_int_equal(tl_heap_blocks_in_use(h), 1);
    int c[3];
    tl_gc_get_count(h, c);                            /* b was counted before */
    assert_int_equal(c[0], 0); assert_int_equal(c[1], 1);
    tl_decref(b);
    tl_gc_remove_callback(h, log_cb, &log);
    gc_test_heap_done(h);
}

static void automatic_collection_picks_the_oldest_generation_due(void **state)
{
    tl_heap *h = gc_test_heap();
    struct cb_log log = {0};
    tl_gc_add_callback(h, log_cb, &log);
    int nt[3] = {1, 1, 1};
    tl_gc_set_threshold(h, nt);
    tl_object *keep[40];
    for (int i = 0; i < 40; i++)
        keep[i] = new_node(h, &node_type, i);
    int saw[3] = {0};
    for (int i = 0; i < log.calls && i < 64; i += 2)
        saw[log.gens[i]]++;
    assert_true(saw[0] > 0);
    assert_true(saw[1] > 0);
    assert_true(saw[2] > 0);
    for (int i = 0; i < 40; i++)
        tl_decref(keep[i]);
    gc_test_heap_done(h);
}

static void full_collection_waits_for_25_percent_more_long_lived_objects(void **state)
{
    tl_heap *h = gc_test_heap();
    struct cb_log log = {0};
    tl_object *keep[200];
    for (int i = 0; i < 100; i++)
        keep[i] = new_node(h, &node_type, i);
    tl_gc_collect(h, 2);                              /* long_lived_total = 100 */
    tl_gc_add_callback(h, log_cb, &log);
    int nt[3] = {1, 1, 1};
    tl_gc_set_threshold(h, nt);
    /* Each young survivor moves on; gen-1 collections add to pending. Until
     * pending reaches 25, no full collection runs. */
    int i = 100;
    while (i < 200 && gc_state_of(h)->long_lived_pending < 25) {
        keep[i] = new_node(h, &node_type, i);
        i++;
        for (int k = 0; k < log.calls && k < 64; k += 2)
            assert_int_not_equal(log.gens[k], 2);
        log.calls = 0;
    }
    assert_true(i < 200);
    /* The next gen-2-due point collects generation 2. */
    int saw2 = 0;
    while (i < 200 && !saw2) {
        keep[i] = new_node(h, &node_type, i);
        i++;
        for (int k = 0; k < log.calls && k < 64; k += 2)
            saw2 |= log.gens[k] == 2;
        log.calls = 0;
    }
    assert_true(saw2);
    assert_int_equal(gc_state_of(h)->long_lived_pending, 0);
    for (int k = 0; k < i; k++)
        tl_decref(keep[k]);
    gc_test_heap_done(h);
}

static void disabled_collector_does_not_collect_automatically(void **state)
{
    tl_heap *h = gc_test_heap();
    int nt[3] = {5, -1, -1};
    tl_gc_set_threshold(h, nt);
    tl_gc_disable(h);
    assert_false(tl_gc_is_enabled(h));
    for (int i = 0; i < 50; i++) {
        tl_object *a = new_node(h, &node_type, i);
        link(a, 0, a);
        tl_decref(a);
    }
    assert_int_equal(tl_heap_blocks_in_use(h), 50);
    assert_int_equal(tl_gc_collect(h, 2), 50);         /* explicit still works */
    tl_gc_enable(h);
    assert_true(tl_gc_is_enabled(h));
    int zero[3] = {0, -1, -1};
    tl_gc_set_threshold(h, zero);                      /* t0 == 0: never automatic */
    for (int i = 0; i < 50; i++) {
        tl_object *a = new_node(h, &node_type, i);
        link(a, 0, a);
        tl_decref(a);
    }
    assert_int_equal(tl_heap_blocks_in_use(h), 50);
    assert_int_equal(tl_gc_collect(h, 2), 50);
    gc_test_heap_done(h);
}

static void callbacks_receive_phase_generation_and_counts(void **state)
{
    tl_heap *h = gc_test_heap();
    struct cb_log log = {0}, log2 = {0};
    tl_gc_add_callback(h, log_cb, &log);
    tl_gc_add_callback(h, log_cb, &log2);
    tl_object *a = new_node(h, &legacy_type, 1);
    link(a, 0, a);
    tl_object *b = new_node(h, &node_type, 2);
    link(b, 0, b);
    tl_decref(a);
    tl_decref(b);
    assert_int_equal(tl_gc_collect(h, 1), 2);
    assert_int_equal(log.calls, 2);
    assert_int_equal(log2.calls, 2);
    assert_int_equal(log.phases[0], TL_GC_START);
    assert_int_equal(log.gens[0], 1);
    assert_int_equal(log.collected[0], 0);
    assert_int_equal(log.uncollectable[0], 0);
    assert_int_equal(log.phases[1], TL_GC_STOP);
    assert_int_equal(log.gens[1], 1);
    assert_int_equal(log.collected[1], 1);
    assert_int_equal(log.uncollectable[1], 1);
    tl_gc_remove_callback(h, log_cb, &log);
    tl_gc_collect(h, 2);
    assert_int_equal(log.calls, 2);
    assert_int_equal(log2.calls, 4);
    TL_CLEAR(((node *)a)->slot[0]);
    tl_gc_garbage_clear(h);
    gc_test_heap_done(h);
}

/* ---- freeze, introspection ---------------------------------------------- */

static void freeze_moves_everything_to_the_permanent_generation(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    link(a, 0, a);
    tl_object *b = new_node(h, &node_type, 2);
    tl_gc_collect(h, 0);
    tl_object *c = new_node(h, &node_type, 3);
    tl_gc_freeze(h);
    assert_int_equal(tl_gc_get_freeze_count(h), 3);
    int cnt[3];
    tl_gc_get_count(h, cnt);
    assert_int_equal(cnt[0] + cnt[1] + cnt[2], 0);
    assert_int_equal(tl_gc_generation_size(h, -1), 0);
    tl_decref(a);                                     /* frozen garbage is ignored */
    assert_int_equal(tl_gc_collect(h, 2), 0);
    assert_int_equal(tl_heap_blocks_in_use(h), 3);
    tl_gc_unfreeze(h);
    assert_int_equal(tl_gc_get_freeze_count(h), 0);
    assert_int_equal(tl_gc_generation_size(h, 2), 3);
    assert_int_equal(tl_gc_collect(h, 2), 1);
    tl_decref(b);
    tl_decref(c);
    gc_test_heap_done(h);
}

static int collect_objects(tl_object *o, void *arg)
{
    tl_object ***out = arg;
    *(*out)++ = o;
    return 0;
}

static void get_objects_lists_a_generation_in_tracking_order(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1), *b = new_node(h, &node_type, 2);
    tl_object *got[4] = {0}, **p = got;
    tl_gc_for_each(h, 0, collect_objects, &p);
    assert_int_equal(p - got, 2);
    assert_ptr_equal(got[0], a);
    assert_ptr_equal(got[1], b);
    tl_gc_collect(h, 0);
    p = got;
    tl_gc_for_each(h, 0, collect_objects, &p);
    assert_int_equal(p - got, 0);
    tl_gc_for_each(h, 1, collect_objects, &p);
    assert_int_equal(p - got, 2);
    assert_int_equal(tl_gc_for_each(h, 3, collect_objects, &p), -1);
    tl_gc_untrack(b);
    assert_false(tl_gc_is_tracked(b));
    assert_int_equal(tl_gc_generation_size(h, -1), 1);
    tl_gc_track(b);
    assert_true(tl_gc_is_tracked(b));
    assert_int_equal(tl_gc_generation_size(h, 0), 1);
    tl_decref(a);
    tl_decref(b);
    gc_test_heap_done(h);
}

static int visit_collect(tl_object *o, void *arg) { return collect_objects(o, arg); }

static void get_referrers_and_referents(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1), *b = new_node(h, &node_type, 2);
    tl_object *c = new_node(h, &node_type, 3);
    link(a, 0, c);
    link(b, 3, c);
    link(a, 1, b);
    tl_object *got[4] = {0}, **p = got;
    tl_gc_for_each_referrer(h, c, collect_objects, &p);
    assert_int_equal(p - got, 2);
    assert_ptr_equal(got[0], a);
    assert_ptr_equal(got[1], b);
    p = got;
    tl_gc_for_each_referent(a, visit_collect, &p);     /* traverse order: slots 3..0 */
    assert_int_equal(p - got, 2);
    assert_ptr_equal(got[0], b);
    assert_ptr_equal(got[1], c);
    tl_decref(a);
    tl_decref(b);
    tl_decref(c);
    gc_test_heap_done(h);
}

static bool untrack_if_atomic(tl_object *o)
{
    node *n = (node *)o;
    for (int i = 0; i < 4; i++)
        if (n->slot[i] && tl_gc_may_be_tracked(n->slot[i]))
            return false;
    return true;
}

static bool untrack_pair_if_atomic(tl_object *o)
{
    pair *p = (pair *)o;
    return !(p->first && tl_gc_may_be_tracked(p->first))
        && !(p->second && tl_gc_may_be_tracked(p->second));
}

static void untrack_hooks_untrack_containers_that_cannot_form_cycles(void **state)
{
    tl_heap *h = gc_test_heap();
    assert_int_equal(tl_gc_register_untrack(h, &fin_type, untrack_if_atomic, false), 0);
    assert_int_equal(tl_gc_register_untrack(h, &pair_type, untrack_pair_if_atomic, true), 0);
    tl_object *atom = tl_object_new(h, &atom_type);
    tl_object *outer = new_node(h, &fin_type, 2);      /* holds the leaf */
    tl_object *leaf = new_node(h, &fin_type, 1);       /* "tuple" of atoms */
    link(leaf, 0, atom);
    link(outer, 0, leaf);
    tl_object *d = new_node(h, &node_type, 3);
    pair *p = (pair *)tl_object_new(h, &pair_type);   /* "dict" of atoms */
    tl_gc_collect(h, 0);
    assert_false(tl_gc_is_tracked(leaf));
    assert_true(tl_gc_is_tracked(outer));              /* seen before the leaf */
    assert_true(tl_gc_is_tracked(&p->ob));             /* only on full collections */
    tl_gc_collect(h, 1);                               /* outer is in gen 1 now */
    assert_false(tl_gc_is_tracked(outer));
    assert_true(tl_gc_is_tracked(d));
    assert_true(tl_gc_is_tracked(&p->ob));
    tl_gc_collect(h, 2);
    assert_false(tl_gc_is_tracked(&p->ob));
    tl_decref(&p->ob);
    tl_decref(outer);
    tl_decref(leaf);
    tl_decref(atom);
    tl_decref(d);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void print_stats_child(void *arg)
{
    tl_heap *h = gc_test_heap();
    tl_gc_set_debug(h, TL_GC_DEBUG_STATS | TL_GC_DEBUG_COLLECTABLE | TL_GC_DEBUG_UNCOLLECTABLE);
    tl_object *a = new_node(h, &node_type, 1);
    link(a, 0, a);
    tl_object *l = new_node(h, &legacy_type, 2);
    link(l, 0, l);
    tl_decref(a);
    tl_decref(l);
    tl_object *keep = new_node(h, &node_type, 3);
    tl_gc_freeze(h);
    tl_gc_unfreeze(h);
    tl_gc_collect(h, 2);
    fprintf(stderr, "A=%p L=%p\n", (void *)a, (void *)l);
    (void)keep;
}

static void debug_flags_print_cpython_messages(void **state)
{
    char out[2048];
    int st = test_in_child(print_stats_child, NULL, out, sizeof out);
    assert_int_equal(st, 0);
    void *a, *l;
    const char *addrs = strstr(out, "A=");
    assert_non_null(addrs);
    assert_int_equal(sscanf(addrs, "A=%p L=%p", &a, &l), 2);
    char want[256];
    assert_non_null(strstr(out, "gc: collecting generation 2...\n"
                                "gc: objects in each generation: 0 0 3\n"
                                "gc: objects in permanent generation: 0\n"));
    snprintf(want, sizeof want, "gc: collectable <node %p>\n", a);
    assert_non_null(strstr(out, want));
    snprintf(want, sizeof want, "gc: uncollectable <legacy %p>\n", l);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "gc: done, 2 unreachable, 1 uncollectable, 0.0"));
    assert_non_null(strstr(out, "s elapsed\n"));
}

static char written[1024];
static void collect_lines(tl_heap *h, const char *line, void *arg)
{
    (void)h;
    int *nlines = arg;
    (*nlines)++;
    strncat(written, line, sizeof written - strlen(written) - 1);
}

static void debug_writer_receives_each_message_line(void **state)
{
    tl_heap *h = gc_test_heap();
    int nlines = 0;
    written[0] = 0;
    tl_gc_set_debug_writer(h, collect_lines, &nlines);
    tl_gc_set_debug(h, TL_GC_DEBUG_STATS | TL_GC_DEBUG_COLLECTABLE);
    tl_object *a = new_node(h, &node_type, 1);
    link(a, 0, a);
    tl_decref(a);
    assert_int_equal(tl_gc_collect(h, 2), 1);
    assert_int_equal(nlines, 5);             /* 3 at start, collectable, done */
    assert_non_null(strstr(written, "gc: collecting generation 2...\n"
                                    "gc: objects in each generation: 1 0 0\n"
                                    "gc: objects in permanent generation: 0\n"));
    char want[64];
    snprintf(want, sizeof want, "gc: collectable <node %p>\n", (void *)a);
    assert_non_null(strstr(written, want));
    assert_non_null(strstr(written, "gc: done, 1 unreachable, 0 uncollectable, "));
    tl_gc_set_debug(h, 0);
    tl_gc_set_debug_writer(h, NULL, NULL);
    gc_test_heap_done(h);
}

/* ---- deep structures ---------------------------------------------------- */

static void deep_ring(void *arg)
{
    tl_heap *h = arg;
    enum { N = 1000000 };
    tl_object *head = new_node(h, &node_type, 0), *prev = head;
    tl_incref(head);
    for (int i = 1; i < N; i++) {
        tl_object *n = new_node(h, &node_type, i);
        tl_setref(&((node *)prev)->slot[0], n);        /* prev owns n */
        prev = n;
    }
    link(prev, 0, head);                               /* close the cycle */
    tl_decref(head);
    tl_decref(head);
    assert_int_equal(tl_gc_collect(h, 2), N);
}

static void deep_chain_in_a_cycle_is_collected_on_a_small_stack(void **state)
{
    tl_heap *h = gc_test_heap();
    gc_state_of(h)->validate = false;
    tl_gc_disable(h);
    test_on_small_stack(deep_ring, h, 64 << 10);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void deep_chain_reachable_from_outside_survives_on_a_small_stack_run(void *arg)
{
    tl_heap *h = arg;
    enum { N = 300000 };
    tl_object *head = new_node(h, &node_type, 0), *prev = head;
    for (int i = 1; i < N; i++) {
        tl_object *n = new_node(h, &node_type, i);
        tl_setref(&((node *)prev)->slot[0], n);
        prev = n;
    }
    assert_int_equal(tl_gc_collect(h, 2), 0);
    assert_int_equal(tl_gc_generation_size(h, 2), N);
    tl_decref(head);
}

static void deep_chain_reachable_from_outside_survives_on_a_small_stack(void **state)
{
    tl_heap *h = gc_test_heap();
    gc_state_of(h)->validate = false;
    tl_gc_disable(h);
    test_on_small_stack(deep_chain_reachable_from_outside_survives_on_a_small_stack_run, h, 64 << 10);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_node_cycle_is_collected_and_counted_as_2),
        cmocka_unit_test(self_referencing_container_is_collected),
        cmocka_unit_test(cycle_through_several_types_is_collected),
        cmocka_unit_test(cycle_kept_alive_by_one_external_reference_survives),
        cmocka_unit_test(objects_reachable_only_from_survivors_survive),
        cmocka_unit_test(finalizer_resurrecting_its_object_survives_and_is_not_called_again),
        cmocka_unit_test(resurrection_on_refcount_death_keeps_weakrefs_alive),
        cmocka_unit_test(resurrection_does_not_block_cleanup_of_other_objects),
        cmocka_unit_test(suicidal_finalizer_frees_its_cycle_and_is_not_counted),
        cmocka_unit_test(finalizers_of_a_ring_run_once_each_with_neighbours_intact),
        cmocka_unit_test(finalizer_creating_new_cycles_during_collection),
        cmocka_unit_test(collect_while_collecting_returns_0),
        cmocka_unit_test(invalid_generation_is_refused),
        cmocka_unit_test(finalizer_sees_is_finalized_true_in_collector),
        cmocka_unit_test(legacy_finalizers_make_cycles_uncollectable),
        cmocka_unit_test(debug_saveall_keeps_garbage_in_the_garbage_list),
        cmocka_unit_test(garbage_sink_receives_uncollectable_objects),
        cmocka_unit_test(get_count_after_collect_0_1_2),
        cmocka_unit_test(collect_generations_moves_survivors_up_one_generation),
        cmocka_unit_test(per_generation_stats_count_collections),
        cmocka_unit_test(thresholds_trigger_automatic_collections),
        cmocka_unit_test(automatic_collection_picks_the_oldest_generation_due),
        cmocka_unit_test(full_collection_waits_for_25_percent_more_long_lived_objects),
        cmocka_unit_test(disabled_collector_does_not_collect_automatically),
        cmocka_unit_test(callbacks_receive_phase_generation_and_counts),
        cmocka_unit_test(freeze_moves_everything_to_the_permanent_generation),
        cmocka_unit_test(get_objects_lists_a_generation_in_tracking_order),
        cmocka_unit_test(get_referrers_and_referents),
        cmocka_unit_test(untrack_hooks_untrack_containers_that_cannot_form_cycles),
        cmocka_unit_test(debug_flags_print_cpython_messages),
        cmocka_unit_test(debug_writer_receives_each_message_line),
        cmocka_unit_test(deep_chain_in_a_cycle_is_collected_on_a_small_stack),
        cmocka_unit_test(deep_chain_reachable_from_outside_survives_on_a_small_stack),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
