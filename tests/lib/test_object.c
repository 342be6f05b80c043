/* test_object.c — reference counting and the object layer, with small C types
 * defined here: counts, dealloc timing and order, immortality, tl_setref,
 * heap types, variable-size objects, sizes, the standard dealloc sequence
 * (finalize, resurrection, clear, free) and allocation failure. */
#include "testutil.h"

#include <stddef.h>
#include <string.h>

/* --- an event log shared by the types below ---------------------------------- */

typedef struct event { char kind; int id; } event;
static event events[256];
static int nevents;

static void log_event(char kind, int id)
{
    assert_true(nevents < (int)(sizeof events / sizeof *events));
    events[nevents++] = (event){kind, id};
}

static void expect_events(const char *kinds, const int *ids)
{
    int n = (int)strlen(kinds);
    assert_int_equal(nevents, n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(events[i].kind, kinds[i]);
        assert_int_equal(events[i].id, ids[i]);
    }
}

static int count_events(char kind, int id)
{
    int n = 0;
    for (int i = 0; i < nevents; i++)
        n += events[i].kind == kind && events[i].id == id;
    return n;
}

static int setup_log(void **state)
{
    nevents = 0;
    return 0;
}

/* --- box: a non-GC object with an id and one reference; its own dealloc ------- */

typedef struct box {
    tl_object ob;
    int id;
    tl_object *ref;
} box;

/* While set, a dying box records what this slot holds (see tl_setref tests). */
static tl_object **watched_slot;
static tl_object *seen_in_slot;

static void box_dealloc(tl_object *o)
{
    box *b = (box *)o;
    assert_int_equal(o->refcount, 0);
    log_event('D', b->id);
    if (watched_slot)
        seen_in_slot = *watched_slot;
    TL_CLEAR(b->ref);
    tl_object_free(o);
}

static tl_type box_type = {
    .ob = TL_STATIC_HEAD(NULL), .name = "box", .basic_size = sizeof(box),
    .dealloc = box_dealloc,
};

static box *box_new(tl_heap *h, int id)
{
    box *b = (box *)tl_object_new(h, &box_type);
    assert_non_null(b);
    b->id = id;
    return b;
}

/* --- list: variable size, standard dealloc, clear releases last to first ------ */

typedef struct list {
    tl_object ob;
    intptr_t size;
    tl_object *items[];
} list;

static void list_clear(tl_object *o)
{
    list *l = (list *)o;
    while (l->size > 0) {
        l->size--;
        TL_CLEAR(l->items[l->size]);
    }
}

static size_t list_sizeof(tl_object *o)
{
    return offsetof(list, items) + (size_t)((list *)o)->size * sizeof(tl_object *);
}

static tl_type list_type = {
    .ob = TL_STATIC_HEAD(NULL), .name = "list", .basic_size = offsetof(list, items),
    .item_size = sizeof(tl_object *), .clear = list_clear, .sizeof_fn = list_sizeof,
};

/* --- record: fixed fields, clear releases first to last ---------------------- */

typedef struct record {
    tl_object ob;
    tl_object *a, *b, *c;
} record;

static void record_clear(tl_object *o)
{
    record *r = (record *)o;
    TL_CLEAR(r->a);
    TL_CLEAR(r->b);
    TL_CLEAR(r->c);
}

static tl_type record_type = {
    .ob = TL_STATIC_HEAD(NULL), .name = "record", .basic_size = sizeof(record),
    .clear = record_clear,
};

/* --- fin: a finalizer that can resurrect, a clear that logs; GC or not -------- */

typedef struct fin {
    tl_object ob;
    int id;
    tl_object *child;
} fin;

static tl_object *resurrected;   /* where a finalizer stores its object, if armed */
static bool resurrect_next;

static void fin_finalize(tl_object *o)
{
    fin *f = (fin *)o;
    log_event('F', f->id);
    assert_int_equal(o->refcount, 1);                  /* alive while it runs */
    if (f->child)
        assert_true(tl_refcount(f->child) >= 1);       /* members not yet released */
    if (resurrect_next) {
        resurrect_next = false;
        tl_incref(o);
        resurrected = o;
    }
}

static void fin_clear(tl_object *o)
{
    fin *f = (fin *)o;
    log_event('C', f->id);
    assert_false(tl_gc_is_tracked(o));                 /* untracked before clear */
    TL_CLEAR(f->child);
}

static tl_type gcfin_type = {
    .ob = TL_STATIC_HEAD(NULL), .name = "gcfin", .basic_size = sizeof(fin),
    .flags = TL_TYPE_GC, .clear = fin_clear, .finalize = fin_finalize,
};
static tl_type plainfin_type = {
    .ob = TL_STATIC_HEAD(NULL), .name = "plainfin", .basic_size = sizeof(fin),
    .clear = fin_clear, .finalize = fin_finalize,
};

static fin *fin_new(tl_heap *h, tl_type *t, int id, tl_object *child)
{
    fin *f = (fin *)tl_object_new(h, t);
    assert_non_null(f);
    f->id = id;
    f->child = child;
    return f;
}

/* --- tests ------------------------------------------------------------------- */

static void new_object_has_count_one_type_and_zeroed_body(void **state)
{
    tl_heap *h = test_heap(false);
    record *r = (record *)tl_object_new(h, &record_type);
    assert_non_null(r);
    assert_int_equal(tl_refcount(&r->ob), 1);
    assert_ptr_equal(r->ob.type, &record_type);
    assert_null(r->a);
    assert_null(r->b);
    assert_null(r->c);
    assert_ptr_equal(tl_object_heap(&r->ob), h);
    assert_false(tl_is_immortal(&r->ob));
    tl_decref(&r->ob);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void dealloc_runs_exactly_when_the_count_reaches_zero(void **state)
{
    tl_heap *h = test_heap(false);
    box *b = box_new(h, 1);
    for (int i = 0; i < 5; i++)
        tl_incref(&b->ob);
    assert_int_equal(tl_refcount(&b->ob), 6);
    for (int i = 0; i < 5; i++) {
        tl_decref(&b->ob);
        assert_int_equal(nevents, 0);
        assert_int_equal(tl_refcount(&b->ob), 5 - i);
    }
    assert_int_equal(tl_heap_blocks_in_use(h), 1);
    tl_decref(&b->ob);
    expect_events("D", (int[]){1});
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_xdecref(NULL);                       /* the x-variants accept NULL */
    tl_xincref(NULL);
    tl_heap_delete(h);
}

static void list_clear_releases_items_last_to_first(void **state)
{
    tl_heap *h = test_heap(false);
    enum { N = 6 };
    list *l = (list *)tl_object_new_var(h, &list_type, N);
    assert_non_null(l);
    for (int i = 0; i < N; i++) {
        assert_null(l->items[i]);
        l->items[i] = &box_new(h, i)->ob;
    }
    l->size = N;
    tl_incref(l->items[2]);                 /* one item outlives the list */
    tl_object *kept = l->items[2];
    tl_decref(&l->ob);
    expect_events("DDDDD", (int[]){5, 4, 3, 1, 0});
    assert_int_equal(tl_refcount(kept), 1);
    assert_int_equal(tl_heap_blocks_in_use(h), 1);
    tl_decref(kept);
    assert_int_equal(count_events('D', 2), 1);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void record_clear_releases_fields_in_its_own_order(void **state)
{
    tl_heap *h = test_heap(false);
    record *r = (record *)tl_object_new(h, &record_type);
    r->a = &box_new(h, 10)->ob;
    r->b = &box_new(h, 11)->ob;
    r->c = &box_new(h, 12)->ob;
    tl_decref(&r->ob);
    expect_events("DDD", (int[]){10, 11, 12});
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void nested_owners_die_before_their_members(void **state)
{
    tl_heap *h = test_heap(false);
    box *c = box_new(h, 3);
    box *b = box_new(h, 2);
    box *a = box_new(h, 1);
    b->ref = &c->ob;
    a->ref = &b->ob;
    tl_decref(&a->ob);
    expect_events("DDD", (int[]){1, 2, 3});
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void made_immortal_survives_ten_million_extra_decrefs(void **state)
{
    tl_heap *h = test_heap(false);
    box *b = box_new(h, 1);
    tl_make_immortal(&b->ob);
    assert_true(tl_is_immortal(&b->ob));
    for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 1000; i++)
            tl_incref(&b->ob);
        for (int i = 0; i < 1000000 + 1000; i++)
            tl_decref(&b->ob);
    }
    assert_int_equal(nevents, 0);
    assert_true(tl_is_immortal(&b->ob));
    assert_true(tl_refcount(&b->ob) > TL_IMMORTAL_FLOOR);
    assert_int_equal(tl_refcount(&b->ob), TL_IMMORTAL_REFCOUNT - 10000000);
    assert_int_equal(tl_heap_blocks_in_use(h), 1);
    tl_heap_delete(h);                      /* the heap still frees its memory */
    assert_int_equal(nevents, 0);
}

static box static_box = {TL_STATIC_HEAD(&box_type), 99, NULL};

static void static_object_is_immortal_and_never_deallocated(void **state)
{
    assert_true(tl_is_immortal(&static_box.ob));
    intptr_t start = tl_refcount(&static_box.ob);
    for (int i = 0; i < 10000000; i++)
        tl_decref(&static_box.ob);
    for (int i = 0; i < 10; i++)
        tl_incref(&static_box.ob);
    assert_int_equal(nevents, 0);
    assert_int_equal(tl_refcount(&static_box.ob), start - 10000000 + 10);
    assert_true(tl_refcount(&static_box.ob) > TL_IMMORTAL_FLOOR);
    assert_int_equal(static_box.id, 99);
    static_box.ob.refcount = start;
}

/* A static object has no heap, and asking does not read the memory before it
 * (a heap object's collector or large-block header would be there). A heap
 * object made immortal still belongs to its heap. */
static void static_objects_have_no_heap_and_immortal_heap_objects_keep_theirs(void **state)
{
    assert_true(tl_is_static(&static_box.ob));
    assert_null(tl_object_heap(&static_box.ob));
    box dyn;
    tl_object_init_static(&dyn.ob, &box_type);
    assert_true(tl_is_static(&dyn.ob) && tl_is_immortal(&dyn.ob));
    assert_null(tl_object_heap(&dyn.ob));

    tl_heap *h = test_heap(false);
    box *b = (box *)tl_object_new(h, &box_type);
    assert_non_null(b);
    tl_make_immortal(&b->ob);
    for (int i = 0; i < 1000; i++)
        tl_incref(&b->ob);
    assert_true(tl_is_immortal(&b->ob));
    assert_false(tl_is_static(&b->ob));
    assert_ptr_equal(tl_object_heap(&b->ob), h);
    tl_heap_delete(h);
}

/* A type's pre-header: zeroed memory in front of the object (and in front of
 * the collector header of a GC type), part of the block and of its size. */
static void pre_header_lies_in_front_of_the_object_and_is_freed_with_it(void **state)
{
    static tl_type pre_plain = { .ob = TL_STATIC_HEAD(NULL), .name = "pre_plain",
                                 .basic_size = sizeof(tl_object) + 8, .item_size = 1, .pre_size = 32 };
    static tl_type pre_gc = { .ob = TL_STATIC_HEAD(NULL), .name = "pre_gc",
                              .basic_size = sizeof(tl_object), .flags = TL_TYPE_GC, .pre_size = 16 };
    tl_heap *h = test_heap(false);
    tl_object *a = tl_object_new_var(h, &pre_plain, 100);
    tl_object *b = tl_object_new(h, &pre_gc);
    assert_non_null(a);
    assert_non_null(b);
    unsigned char *pa = tl_object_block(a), *pb = tl_object_block(b);
    assert_ptr_equal(pa + 32, (unsigned char *)a);
    assert_ptr_equal(pb + 16 + TL_GC_HEAD_SIZE, (unsigned char *)b);
    for (int i = 0; i < 32; i++)
        assert_int_equal(pa[i], 0);
    for (int i = 0; i < 16; i++)
        assert_int_equal(pb[i], 0);
    memset(pa, 0x5A, 32);                      /* the user's to write */
    memset(pb, 0x5A, 16);
    assert_int_equal(tl_object_sizeof(a), sizeof(tl_object) + 8 + 32);
    assert_int_equal(tl_object_sizeof(b), sizeof(tl_object) + 16 + TL_GC_HEAD_SIZE);
    assert_true(tl_heap_block_size(pa) >= sizeof(tl_object) + 8 + 100 + 32);
    assert_ptr_equal(tl_object_heap(a), h);
    assert_ptr_equal(tl_object_heap(b), h);
    assert_true(tl_gc_is_tracked(b));
    tl_decref(a);
    tl_decref(b);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void setref_stores_the_new_value_before_the_old_one_dies(void **state)
{
    tl_heap *h = test_heap(false);
    record *r = (record *)tl_object_new(h, &record_type);
    box *old = box_new(h, 1), *new = box_new(h, 2);
    r->a = &old->ob;
    watched_slot = &r->a;
    tl_setref(&r->a, &new->ob);
    expect_events("D", (int[]){1});
    assert_ptr_equal(seen_in_slot, &new->ob);  /* the dying value saw its successor */
    assert_ptr_equal(r->a, &new->ob);
    assert_int_equal(tl_refcount(&new->ob), 1);

    /* TL_CLEAR: the slot is NULL by the time the old value's dealloc runs. */
    seen_in_slot = &static_box.ob;
    TL_CLEAR(r->a);
    expect_events("DD", (int[]){1, 2});
    assert_null(seen_in_slot);
    assert_null(r->a);
    TL_CLEAR(r->a);                             /* clearing an empty slot is a no-op */

    /* Setting a slot to the object it holds (with a new reference) keeps it. */
    box *same = box_new(h, 3);
    r->a = &same->ob;
    tl_incref(&same->ob);
    tl_setref(&r->a, &same->ob);
    assert_int_equal(tl_refcount(&same->ob), 1);
    assert_int_equal(nevents, 2);
    watched_slot = NULL;
    tl_decref(&r->ob);
    expect_events("DDD", (int[]){1, 2, 3});
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

/* A metatype whose instances are heap types. */
static size_t blocks_when_type_died;
static tl_heap *meta_heap;

static void meta_dealloc(tl_object *o)
{
    log_event('T', 0);
    blocks_when_type_died = tl_heap_blocks_in_use(meta_heap);
    tl_object_free(o);
}

static tl_type meta_type = {
    .ob = TL_STATIC_HEAD(NULL), .name = "type", .basic_size = sizeof(tl_type),
    .dealloc = meta_dealloc,
};

static tl_type *heap_type_new(tl_heap *h)
{
    tl_type *t = (tl_type *)tl_object_new(h, &meta_type);
    assert_non_null(t);
    t->name = "heapbox";
    t->basic_size = sizeof(box);
    t->flags = TL_TYPE_HEAPTYPE;
    t->dealloc = box_dealloc;
    return t;
}

static void heap_type_instances_hold_their_type_until_freed(void **state)
{
    tl_heap *h = test_heap(false);
    meta_heap = h;
    tl_type *t = heap_type_new(h);
    assert_int_equal(tl_refcount(&t->ob), 1);
    box *a = (box *)tl_object_new(h, t), *b = (box *)tl_object_new(h, t);
    a->id = 1;
    b->id = 2;
    assert_int_equal(tl_refcount(&t->ob), 3);
    tl_decref(&t->ob);                          /* the creator lets go */
    tl_decref(&a->ob);
    assert_int_equal(tl_refcount(&t->ob), 1);
    expect_events("D", (int[]){1});
    tl_decref(&b->ob);                          /* the last instance takes the type */
    expect_events("DDT", (int[]){1, 2, 0});
    assert_int_equal(blocks_when_type_died, 1); /* the instance was freed first */
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void variable_size_objects_get_zeroed_items_and_their_size(void **state)
{
    tl_heap *h = test_heap(false);
    for (size_t n = 0; n < 80; n += 7) {
        list *l = (list *)tl_object_new_var(h, &list_type, n);
        assert_non_null(l);
        size_t want = offsetof(list, items) + n * sizeof(tl_object *);
        assert_true(tl_heap_block_size(l) >= want);
        for (size_t i = 0; i < n; i++)
            assert_null(l->items[i]);
        l->size = (intptr_t)n;
        assert_int_equal(tl_object_sizeof(&l->ob), want);
        tl_decref(&l->ob);
    }
    /* A count whose size overflows is refused without touching the heap. */
    assert_null(tl_object_new_var(h, &list_type, SIZE_MAX / 4));
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void sizeof_adds_the_collector_header_for_gc_types(void **state)
{
    tl_heap *h = test_heap(false);
    box *b = box_new(h, 1);
    fin *g = fin_new(h, &gcfin_type, 2, NULL);
    assert_int_equal(tl_object_sizeof(&b->ob), sizeof(box));
    assert_int_equal(tl_object_sizeof(&g->ob), sizeof(fin) + TL_GC_HEAD_SIZE);
    /* The collector header sits in front: the block starts 16 bytes earlier. */
    assert_int_equal(tl_heap_block_size((char *)g - TL_GC_HEAD_SIZE),
                     (sizeof(fin) + TL_GC_HEAD_SIZE + 15) / 16 * 16);
    assert_ptr_equal(tl_object_heap(&g->ob), h);
    assert_true(tl_gc_is_tracked(&g->ob));
    assert_false(tl_gc_is_tracked(&b->ob));
    tl_decref(&b->ob);
    tl_decref(&g->ob);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void gc_type_finalizes_then_clears_then_frees(void **state)
{
    tl_heap *h = test_heap(false);
    box *child = box_new(h, 7);
    fin *f = fin_new(h, &gcfin_type, 1, &child->ob);
    tl_decref(&f->ob);
    expect_events("FCD", (int[]){1, 1, 7});
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void gc_type_resurrected_by_finalize_is_not_finalized_again(void **state)
{
    tl_heap *h = test_heap(false);
    box *child = box_new(h, 7);
    fin *f = fin_new(h, &gcfin_type, 1, &child->ob);
    resurrect_next = true;
    tl_decref(&f->ob);
    expect_events("F", (int[]){1});             /* resurrected: nothing released */
    assert_ptr_equal(resurrected, &f->ob);
    assert_int_equal(tl_refcount(&f->ob), 1);
    assert_true(tl_gc_is_finalized(&f->ob));
    assert_true(tl_gc_is_tracked(&f->ob));
    assert_int_equal(tl_heap_blocks_in_use(h), 2);
    resurrected = NULL;
    tl_decref(&f->ob);                          /* second death: no second finalize */
    expect_events("FCD", (int[]){1, 1, 7});
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void non_gc_type_is_finalized_at_every_death(void **state)
{
    tl_heap *h = test_heap(false);
    box *child = box_new(h, 7);
    fin *f = fin_new(h, &plainfin_type, 1, &child->ob);
    resurrect_next = true;
    tl_decref(&f->ob);
    expect_events("F", (int[]){1});
    assert_false(tl_gc_is_finalized(&f->ob));   /* no collector header, no bit */
    resurrected = NULL;
    tl_decref(&f->ob);
    expect_events("FFCD", (int[]){1, 1, 1, 7});
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void failed_allocation_returns_null_and_leaks_nothing(void **state)
{
    tl_heap *h = test_heap(false);
    meta_heap = h;
    tl_type *t = heap_type_new(h);
    size_t before = tl_heap_blocks_in_use(h);
    tl_heap_fail_at(h, 1, true);
    assert_null(tl_object_new(h, &box_type));
    assert_null(tl_object_new(h, &gcfin_type));
    assert_null(tl_object_new_var(h, &list_type, 3));
    assert_null(tl_object_new(h, t));
    assert_int_equal(tl_refcount(&t->ob), 1);   /* no reference taken to the type */
    assert_int_equal(tl_heap_failures(h), 4);
    tl_heap_fail_at(h, 0, false);
    assert_int_equal(tl_heap_blocks_in_use(h), before);
    tl_decref(&t->ob);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

/* Builds a list of n boxes; on any failure releases what it built, NULL. */
static list *build_list(tl_heap *h, int n)
{
    list *l = (list *)tl_object_new_var(h, &list_type, (size_t)n);
    if (!l)
        return NULL;
    for (int i = 0; i < n; i++) {
        box *b = (box *)tl_object_new(h, &box_type);
        if (!b) {
            tl_decref(&l->ob);
            return NULL;
        }
        b->id = 100 + i;
        l->items[l->size++] = &b->ob;
    }
    return l;
}

static void every_failing_allocation_of_a_build_unwinds_cleanly(void **state)
{
    tl_heap *h = test_heap(false);
    enum { N = 20 };
    uint64_t k;
    list *l = NULL;
    for (k = 1; k < 100 && !l; k++) {
        tl_heap_fail_at(h, k, false);
        l = build_list(h, N);
        tl_heap_fail_at(h, 0, false);
        if (!l) {
            assert_int_equal(tl_heap_blocks_in_use(h), 0);
            assert_int_equal(nevents, k >= 2 ? (int)k - 2 : 0);   /* the boxes built */
            nevents = 0;
        }
    }
    assert_non_null(l);
    assert_int_equal(k - 1, N + 2);             /* failed at 1..N+1, then succeeded */
    assert_int_equal(tl_heap_failures(h), N + 1);
    tl_decref(&l->ob);
    assert_int_equal(nevents, N);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(new_object_has_count_one_type_and_zeroed_body, setup_log),
        cmocka_unit_test_setup(dealloc_runs_exactly_when_the_count_reaches_zero, setup_log),
        cmocka_unit_test_setup(list_clear_releases_items_last_to_first, setup_log),
        cmocka_unit_test_setup(record_clear_releases_fields_in_its_own_order, setup_log),
        cmocka_unit_test_setup(nested_owners_die_before_their_members, setup_log),
        cmocka_unit_test_setup(made_immortal_survives_ten_million_extra_decrefs, setup_log),
        cmocka_unit_test_setup(static_object_is_immortal_and_never_deallocated, setup_log),
        cmocka_unit_test_setup(static_objects_have_no_heap_and_immortal_heap_objects_keep_theirs, setup_log),
        cmocka_unit_test_setup(pre_header_lies_in_front_of_the_object_and_is_freed_with_it, setup_log),
        cmocka_unit_test_setup(setref_stores_the_new_value_before_the_old_one_dies, setup_log),
        cmocka_unit_test_setup(heap_type_instances_hold_their_type_until_freed, setup_log),
        cmocka_unit_test_setup(variable_size_objects_get_zeroed_items_and_their_size, setup_log),
        cmocka_unit_test_setup(sizeof_adds_the_collector_header_for_gc_types, setup_log),
        cmocka_unit_test_setup(gc_type_finalizes_then_clears_then_frees, setup_log),
        cmocka_unit_test_setup(gc_type_resurrected_by_finalize_is_not_finalized_again, setup_log),
        cmocka_unit_test_setup(non_gc_type_is_finalized_at_every_death, setup_log),
        cmocka_unit_test_setup(failed_allocation_returns_null_and_leaks_nothing, setup_log),
        cmocka_unit_test_setup(every_failing_allocation_of_a_build_unwinds_cleanly, setup_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
