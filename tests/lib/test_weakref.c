/* test_weakref.c — weak references: sharing, list order, reading NULL after
 * death, callbacks on refcount death and on collector death, trash weak
 * references, derived types, the call hook. */
#include "test_gc_types.h"

static tl_weakref *c_log[16];
static int c_calls;
static tl_object *c_target_seen[16];

static void c_callback(tl_weakref *wr, void *arg)
{
    (void)arg;
    if (c_calls < 16) {
        c_log[c_calls] = wr;
        c_target_seen[c_calls] = tl_weakref_get(wr);
    }
    c_calls++;
}

static tl_weakref *c_ref(tl_object *target)
{
    tl_weakref_spec spec = {.cfunc = c_callback};
    tl_weakref *wr = tl_weakref_new_ex(target, &spec);
    assert_non_null(wr);
    return wr;
}

static void reset_log(void)
{
    c_calls = 0;
    memset(c_log, 0, sizeof c_log);
    memset(c_target_seen, 0, sizeof c_target_seen);
}

static void weakref_reads_null_once_its_target_dies(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref *wr = tl_weakref_new(a, NULL);
    assert_non_null(wr);
    assert_ptr_equal(tl_weakref_get(wr), a);
    assert_int_equal(tl_refcount(a), 1);              /* not kept alive */
    assert_true(tl_gc_is_tracked(&wr->ob));
    tl_decref(a);
    assert_null(tl_weakref_get(wr));
    tl_decref(&wr->ob);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

/* A static target has no heap of its own: the plain constructor refuses it
 * (without reading the memory before it), and a reference made in a given
 * heap works and is cleared when the reference dies first. */
static void static_targets_need_the_heap_named(void **state)
{
    static node static_target = { .ob = TL_STATIC_HEAD(&node_type), .id = 7 };
    tl_heap *h = gc_test_heap();
    assert_null(tl_weakref_new(&static_target.ob, NULL));
    tl_weakref_spec spec = { .heap = h };
    tl_weakref *wr = tl_weakref_new_ex(&static_target.ob, &spec);
    assert_non_null(wr);
    assert_ptr_equal(tl_weakref_get(wr), &static_target.ob);
    assert_int_equal(tl_weakref_count(&static_target.ob), 1);
    tl_decref(&wr->ob);
    assert_int_equal(tl_weakref_count(&static_target.ob), 0);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void objects_without_a_weak_list_cannot_be_weakly_referenced(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *atom = tl_object_new(h, &atom_type);
    assert_null(tl_weakref_new(atom, NULL));
    assert_int_equal(tl_weakref_count(atom), 0);
    tl_decref(atom);
    gc_test_heap_done(h);
}

static void basic_references_are_shared_per_target(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref *r1 = tl_weakref_new(a, NULL), *r2 = tl_weakref_new(a, NULL);
    assert_ptr_equal(r1, r2);
    tl_weakref_spec ps = {.flags = TL_WEAKREF_PROXY};
    tl_weakref *p1 = tl_weakref_new_ex(a, &ps), *p2 = tl_weakref_new_ex(a, &ps);
    assert_ptr_equal(p1, p2);
    assert_ptr_not_equal(p1, r1);
    assert_true(tl_weakref_is_proxy(p1));
    tl_weakref *c1 = c_ref(a), *c2 = c_ref(a);
    assert_ptr_not_equal(c1, c2);
    assert_int_equal(tl_weakref_count(a), 4);
    tl_decref(&r1->ob);
    tl_decref(&r2->ob);
    tl_decref(&p1->ob);
    tl_decref(&p2->ob);
    tl_decref(&c1->ob);
    tl_decref(&c2->ob);
    assert_int_equal(tl_weakref_count(a), 0);
    tl_decref(a);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

/* An embedder's own reference type, flagged TL_WEAKREF_BASIC_TYPE, is shared
 * like the base type; the same type without the flag never is. */
static tl_type own_ref_type = { .ob = TL_STATIC_HEAD(NULL), .name = "ReferenceType",
    .basic_size = sizeof(tl_weakref), .flags = TL_TYPE_GC,
    .traverse = tl_weakref_traverse, .clear = tl_weakref_clear };

static void a_basic_type_flag_makes_a_derived_type_shared(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref_spec basic = {.type = &own_ref_type, .flags = TL_WEAKREF_BASIC_TYPE};
    tl_weakref_spec plain = {.type = &own_ref_type};
    tl_weakref *c1 = c_ref(a);
    tl_weakref *r1 = tl_weakref_new_ex(a, &basic), *r2 = tl_weakref_new_ex(a, &basic);
    tl_weakref *d1 = tl_weakref_new_ex(a, &plain), *d2 = tl_weakref_new_ex(a, &plain);
    assert_ptr_equal(r1, r2);
    assert_ptr_not_equal(d1, d2);
    assert_ptr_equal(r1->ob.type, &own_ref_type);
    tl_weakref *list[4];
    assert_int_equal(tl_weakref_list(a, list, 4), 4);
    assert_ptr_equal(list[0], r1);          /* basic first, then newest first */
    assert_ptr_equal(list[1], d2);
    assert_ptr_equal(list[3], c1);
    tl_decref(a);
    assert_null(tl_weakref_get(r1));
    assert_null(tl_weakref_get(d2));
    tl_decref(&r1->ob);
    tl_decref(&r2->ob);
    tl_decref(&d1->ob);
    tl_decref(&d2->ob);
    tl_decref(&c1->ob);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void the_default_type_applies_to_plain_tl_weakref_new(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_weakref_set_default_type(h, &own_ref_type, TL_WEAKREF_BASIC_TYPE);
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref *r1 = tl_weakref_new(a, NULL);
    tl_weakref_spec basic = {.type = &own_ref_type, .flags = TL_WEAKREF_BASIC_TYPE};
    tl_weakref *r2 = tl_weakref_new_ex(a, &basic);
    assert_ptr_equal(r1->ob.type, &own_ref_type);
    assert_ptr_equal(r1, r2);                   /* one shared basic reference */
    tl_weakref_set_default_type(h, NULL, 0);
    tl_weakref *r3 = tl_weakref_new(a, &node_type.ob);
    assert_ptr_equal(r3->ob.type, &tl_weakref_type);
    tl_decref(&r3->ob);
    tl_decref(&r2->ob);
    tl_decref(&r1->ob);
    tl_decref(a);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void weak_list_order_is_basic_ref_then_basic_proxy_then_newest_first(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref *c1 = c_ref(a);
    tl_weakref_spec ps = {.flags = TL_WEAKREF_PROXY};
    tl_weakref *p = tl_weakref_new_ex(a, &ps);
    tl_weakref *c2 = c_ref(a);
    tl_weakref *r = tl_weakref_new(a, NULL);
    tl_weakref *c3 = c_ref(a);
    tl_weakref *list[8];
    assert_int_equal(tl_weakref_list(a, list, 8), 5);
    assert_ptr_equal(list[0], r);
    assert_ptr_equal(list[1], p);
    assert_ptr_equal(list[2], c3);
    assert_ptr_equal(list[3], c2);
    assert_ptr_equal(list[4], c1);
    reset_log();
    tl_decref(a);                                      /* callbacks newest first */
    assert_int_equal(c_calls, 3);
    assert_ptr_equal(c_log[0], c3);
    assert_ptr_equal(c_log[1], c2);
    assert_ptr_equal(c_log[2], c1);
    for (int i = 0; i < 3; i++)
        assert_null(c_target_seen[i]);                 /* all cleared before any call */
    tl_weakref *all[] = {c1, p, c2, r, c3};
    for (int i = 0; i < 5; i++) {
        assert_null(tl_weakref_get(all[i]));
        tl_decref(&all[i]->ob);
    }
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void callback_runs_once_when_the_target_dies_by_refcount(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &fin_type, 1);
    tl_weakref *wr = c_ref(a);
    reset_log();
    tl_decref(a);
    assert_int_equal(c_calls, 1);
    assert_ptr_equal(c_log[0], wr);
    assert_int_equal(t_finalized, 1);                  /* finalizer first, then callback */
    assert_int_equal(tl_gc_collect(h, 2), 0);
    assert_int_equal(c_calls, 1);
    tl_decref(&wr->ob);
    gc_test_heap_done(h);
}

static tl_weakref *fin_saw_wr;
static tl_object *fin_saw_target = (tl_object *)1;
static int fin_saw_calls = -1;
static void peek_finalize(tl_object *o)
{
    record_finalize(o);
    fin_saw_target = tl_weakref_get(fin_saw_wr);
    fin_saw_calls = c_calls;
}
static tl_type peek_type = NODE_TYPE("peek", peek_finalize, 0);

static void callback_runs_before_finalizers_when_the_collector_frees_the_target(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &peek_type, 1), *b = new_node(h, &node_type, 2);
    link(a, 0, b);
    link(b, 0, a);
    tl_weakref *wr = c_ref(b);
    fin_saw_wr = wr;
    reset_log();
    tl_decref(a);
    tl_decref(b);
    assert_int_equal(c_calls, 0);
    assert_int_equal(tl_gc_collect(h, 2), 2);
    assert_int_equal(c_calls, 1);
    assert_ptr_equal(c_log[0], wr);
    assert_null(c_target_seen[0]);
    assert_int_equal(fin_saw_calls, 1);                /* callback ran before __del__ */
    assert_null(fin_saw_target);                       /* which sees the ref dead */
    tl_decref(&wr->ob);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void weakrefs_that_are_part_of_the_garbage_never_fire(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref *wr = c_ref(a);
    link(a, 0, &wr->ob);                               /* a holds its own weakref */
    link(a, 1, a);
    tl_decref(&wr->ob);
    tl_decref(a);
    reset_log();
    assert_int_equal(tl_gc_collect(h, 2), 2);
    assert_int_equal(c_calls, 0);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

/* The hook an interpreter installs to call callback objects. */
static int hook_calls;
static tl_object *hook_last_cb;
static tl_weakref *hook_last_wr;
static void call_hook(tl_heap *h, tl_object *cb, tl_weakref *wr, void *arg)
{
    *(int *)arg += 1;
    hook_calls++;
    hook_last_cb = cb;
    hook_last_wr = wr;
}

static void object_callbacks_go_through_the_call_hook(void **state)
{
    tl_heap *h = gc_test_heap();
    int counter = 0;
    tl_object *cb = new_node(h, &node_type, 7);
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref *wr = tl_weakref_new(a, cb);
    assert_int_equal(tl_refcount(cb), 2);              /* the weakref holds it */
    assert_ptr_equal(tl_weakref_callback(wr), cb);
    tl_decref(a);                                      /* no hook: not called */
    assert_int_equal(hook_calls, 0);
    assert_null(tl_weakref_callback(wr));              /* __callback__ is None */
    tl_decref(&wr->ob);
    tl_weakref_set_call_hook(h, call_hook, &counter);
    a = new_node(h, &node_type, 2);
    wr = tl_weakref_new(a, cb);
    tl_decref(a);
    assert_int_equal(hook_calls, 1);
    assert_int_equal(counter, 1);
    assert_ptr_equal(hook_last_cb, cb);
    assert_ptr_equal(hook_last_wr, wr);
    tl_decref(&wr->ob);
    assert_int_equal(tl_refcount(cb), 1);
    tl_decref(cb);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void a_cycle_through_a_callback_is_collected(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *cb = new_node(h, &node_type, 7);
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref *wr = tl_weakref_new(a, cb);
    link(cb, 0, &wr->ob);                              /* callback -> weakref -> callback */
    tl_decref(&wr->ob);
    tl_decref(cb);
    assert_int_equal(tl_gc_collect(h, 2), 2);
    assert_int_equal(tl_weakref_count(a), 0);
    tl_decref(a);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void a_weakref_that_dies_first_gets_no_callback(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref *wr = c_ref(a);
    reset_log();
    tl_decref(&wr->ob);
    assert_int_equal(tl_weakref_count(a), 0);
    tl_decref(a);
    assert_int_equal(c_calls, 0);
    gc_test_heap_done(h);
}

static void killing_a_weakref_detaches_it_without_a_call(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref *wr = c_ref(a);
    reset_log();
    tl_weakref_kill(wr);
    assert_null(tl_weakref_get(wr));
    assert_int_equal(tl_weakref_count(a), 0);
    tl_decref(a);
    assert_int_equal(c_calls, 0);
    tl_decref(&wr->ob);
    gc_test_heap_done(h);
}

/* A KeyedRef-like derived type whose callback drops the last reference to
 * it (a WeakValueDictionary removing its entry). */
typedef struct keyed_ref {
    tl_weakref base;
    tl_object *key;
} keyed_ref;

static int keyed_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    keyed_ref *k = (keyed_ref *)o;
    if (k->key && visit(k->key, arg))
        return 1;
    return tl_weakref_traverse(o, visit, arg);
}

static void keyed_clear(tl_object *o)
{
    TL_CLEAR(((keyed_ref *)o)->key);
    tl_weakref_clear(o);
}

static tl_type keyed_type = { .ob = TL_STATIC_HEAD(NULL), .name = "KeyedRef",
    .basic_size = sizeof(keyed_ref), .flags = TL_TYPE_GC,
    .traverse = keyed_traverse, .clear = keyed_clear };

static tl_object *dict_slot;       /* the "dictionary": holds the keyed ref */
static void remove_entry(tl_weakref *wr, void *arg)
{
    (void)wr;
    (void)arg;
    c_calls++;
    TL_CLEAR(dict_slot);
}

static void weakref_freed_by_its_own_callback_counts_as_collected(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *v = new_node(h, &node_type, 1);
    link(v, 0, v);
    tl_weakref_spec spec = {.type = &keyed_type, .cfunc = remove_entry};
    tl_weakref *wr = tl_weakref_new_ex(v, &spec);
    assert_non_null(wr);
    ((keyed_ref *)wr)->key = tl_object_new(h, &atom_type);
    dict_slot = &wr->ob;
    tl_decref(v);
    reset_log();
    assert_int_equal(tl_gc_collect(h, 2), 2);          /* v, and the freed KeyedRef */
    assert_int_equal(c_calls, 1);
    assert_null(dict_slot);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void derived_weakrefs_in_the_garbage_never_fire(void **state)
{
    tl_heap *h = gc_test_heap();
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref_spec spec = {.type = &keyed_type, .cfunc = c_callback};
    tl_weakref *wr = tl_weakref_new_ex(a, &spec);
    ((keyed_ref *)wr)->key = a;                        /* the ref holds its referent */
    tl_incref(a);
    link(a, 0, &wr->ob);
    tl_decref(&wr->ob);
    tl_decref(a);
    reset_log();
    assert_int_equal(tl_gc_collect(h, 2), 2);
    assert_int_equal(c_calls, 0);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void collecting_inside_callbacks_is_safe(void **state);
static void collect_in_callback(tl_weakref *wr, void *arg)
{
    c_calls++;
    *(intptr_t *)arg = tl_gc_collect(tl_object_heap(&wr->ob), 2);
}

static void collecting_inside_callbacks_is_safe(void **state)
{
    tl_heap *h = gc_test_heap();
    intptr_t inner = -5;
    tl_object *a = new_node(h, &node_type, 1);
    tl_object *g = new_node(h, &node_type, 2);
    link(g, 0, g);
    tl_decref(g);
    tl_weakref_spec spec = {.cfunc = collect_in_callback, .carg = &inner};
    tl_weakref *wr = tl_weakref_new_ex(a, &spec);
    reset_log();
    tl_decref(a);                                      /* refcount death: collects */
    assert_int_equal(c_calls, 1);
    assert_int_equal(inner, 1);
    tl_decref(&wr->ob);
    /* In the collector's callback phase, a nested collect returns 0. */
    a = new_node(h, &node_type, 3);
    link(a, 0, a);
    wr = tl_weakref_new_ex(a, &spec);
    tl_decref(a);
    assert_int_equal(tl_gc_collect(h, 2), 1);
    assert_int_equal(inner, 0);
    tl_decref(&wr->ob);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

static void weakref_creation_under_threshold_1_keeps_the_list_consistent(void **state)
{
    tl_heap *h = gc_test_heap();
    int t[3] = {1, 1, 1};
    tl_gc_set_threshold(h, t);
    tl_object *a = new_node(h, &node_type, 1);
    tl_weakref *refs[50];
    for (int i = 0; i < 50; i++) {
        refs[i] = i % 3 ? c_ref(a) : tl_weakref_new(a, NULL);
        tl_object *junk = new_node(h, &node_type, 100 + i);
        link(junk, 0, junk);
        tl_decref(junk);
    }
    assert_int_equal(tl_weakref_count(a), 1 + 33);
    reset_log();
    tl_decref(a);
    assert_int_equal(c_calls, 33);
    for (int i = 0; i < 50; i++)
        tl_decref(&refs[i]->ob);
    tl_gc_collect(h, 2);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    gc_test_heap_done(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weakref_reads_null_once_its_target_dies),
        cmocka_unit_test(objects_without_a_weak_list_cannot_be_weakly_referenced),
        cmocka_unit_test(static_targets_need_the_heap_named),
        cmocka_unit_test(basic_references_are_shared_per_target),
        cmocka_unit_test(a_basic_type_flag_makes_a_derived_type_shared),
        cmocka_unit_test(the_default_type_applies_to_plain_tl_weakref_new),
        cmocka_unit_test(weak_list_order_is_basic_ref_then_basic_proxy_then_newest_first),
        cmocka_unit_test(callback_runs_once_when_the_target_dies_by_refcount),
        cmocka_unit_test(callback_runs_before_finalizers_when_the_collector_frees_the_target),
        cmocka_unit_test(weakrefs_that_are_part_of_the_garbage_never_fire),
        cmocka_unit_test(object_callbacks_go_through_the_call_hook),
        cmocka_unit_test(a_cycle_through_a_callback_is_collected),
        cmocka_unit_test(a_weakref_that_dies_first_gets_no_callback),
        cmocka_unit_test(killing_a_weakref_detaches_it_without_a_call),
        cmocka_unit_test(weakref_freed_by_its_own_callback_counts_as_collected),
        cmocka_unit_test(derived_weakrefs_in_the_garbage_never_fire),
        cmocka_unit_test(collecting_inside_callbacks_is_safe),
        cmocka_unit_test(weakref_creation_under_threshold_1_keeps_the_list_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
