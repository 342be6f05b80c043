/* test_gc_types.h — object types for the collector and weak reference tests.
 *
 * node: a GC container with four reference slots and a weak list; variants
 * differ only in their finalizer:
 *   node_type        no finalizer
 *   fin_type         counts calls, records order
 *   resurrect_type   counts calls and stores a new reference to itself in
 *                    t_resurrected (once)
 *   suicide_type     counts calls and clears its own slots (breaks its cycle)
 *   spawn_type       counts calls and builds a new two-node cycle
 *   legacy_type      a legacy finalizer (TL_TYPE_LEGACY_DEL): uncollectable
 *   collect_type     calls tl_gc_collect from its finalizer, records result
 * pair_type: another GC layout (two slots, different order) for mixed cycles.
 * atom_type: not a GC type.
 */
#ifndef TEST_GC_TYPES_H
#define TEST_GC_TYPES_H

#include "testutil.h"
#include "gc/gc_int.h"

#include <string.h>

/* Not every test file uses every type. */
#define GCT_UNUSED __attribute__((unused))

typedef struct node {
    tl_object ob;
    tl_object *slot[4];
    tl_weakref *weaklist;
    int id;
} node;

typedef struct pair {
    tl_object ob;
    tl_weakref *weaklist;
    tl_object *first, *second;
} pair;

GCT_UNUSED static int t_finalized;            /* finalizer calls */
GCT_UNUSED static int t_order[64];            /* ids in finalizer order */
GCT_UNUSED static tl_object *t_resurrected;   /* where resurrect_type stores itself */
GCT_UNUSED static tl_heap *t_heap;            /* heap for finalizers that allocate */
GCT_UNUSED static intptr_t t_inner_collect = -2;

GCT_UNUSED static int node_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    node *n = (node *)o;
    for (int i = 3; i >= 0; i--)
        if (n->slot[i]) {
            int r = visit(n->slot[i], arg);
            if (r)
                return r;
        }
    return 0;
}

GCT_UNUSED static void node_clear(tl_object *o)
{
    node *n = (node *)o;
    for (int i = 0; i < 4; i++)
        TL_CLEAR(n->slot[i]);
}

GCT_UNUSED static void record_finalize(tl_object *o)
{
    if (t_finalized < 64)
        t_order[t_finalized] = ((node *)o)->id;
    t_finalized++;
}

GCT_UNUSED static void resurrect_finalize(tl_object *o)
{
    record_finalize(o);
    if (!t_resurrected) {
        tl_incref(o);
        t_resurrected = o;
    }
}

GCT_UNUSED static void suicide_finalize(tl_object *o)
{
    record_finalize(o);
    node_clear(o);
}

GCT_UNUSED static tl_type node_type, fin_type, resurrect_type, suicide_type, spawn_type,
    legacy_type, collect_type, pair_type, atom_type;

GCT_UNUSED static tl_object *new_node(tl_heap *h, tl_type *t, int id)
{
    node *n = (node *)tl_object_new(h, t);
    assert_non_null(n);
    n->id = id;
    return &n->ob;
}

/* dst->slot[i] = src (a new reference). */
GCT_UNUSED static void link(tl_object *dst, int i, tl_object *src)
{
    tl_incref(src);
    tl_setref(&((node *)dst)->slot[i], src);
}

GCT_UNUSED static void spawn_finalize(tl_object *o)
{
    record_finalize(o);
    tl_object *a = new_node(t_heap, &node_type, 900);
    tl_object *b = new_node(t_heap, &node_type, 901);
    link(a, 0, b);
    link(b, 0, a);
    tl_decref(a);
    tl_decref(b);
}

GCT_UNUSED static void collect_finalize(tl_object *o)
{
    record_finalize(o);
    t_inner_collect = tl_gc_collect(t_heap, 2);
}

GCT_UNUSED static int pair_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    pair *p = (pair *)o;
    if (p->first && visit(p->first, arg))
        return 1;
    if (p->second && visit(p->second, arg))
        return 1;
    return 0;
}

GCT_UNUSED static void pair_clear(tl_object *o)
{
    pair *p = (pair *)o;
    TL_CLEAR(p->first);
    TL_CLEAR(p->second);
}

#define NODE_TYPE(nm, fin, extra) { .ob = TL_STATIC_HEAD(NULL), .name = nm, \
    .basic_size = sizeof(node), .flags = TL_TYPE_GC | (extra), \
    .weaklist_offset = offsetof(node, weaklist), .traverse = node_traverse, \
    .clear = node_clear, .finalize = fin }

GCT_UNUSED static tl_type node_type = NODE_TYPE("node", NULL, 0);
GCT_UNUSED static tl_type fin_type = NODE_TYPE("fin", record_finalize, 0);
GCT_UNUSED static tl_type resurrect_type = NODE_TYPE("resurrect", resurrect_finalize, 0);
GCT_UNUSED static tl_type suicide_type = NODE_TYPE("suicide", suicide_finalize, 0);
GCT_UNUSED static tl_type spawn_type = NODE_TYPE("spawn", spawn_finalize, 0);
GCT_UNUSED static tl_type legacy_type = NODE_TYPE("legacy", record_finalize, TL_TYPE_LEGACY_DEL);
GCT_UNUSED static tl_type collect_type = NODE_TYPE("collector", collect_finalize, 0);
GCT_UNUSED static tl_type pair_type = { .ob = TL_STATIC_HEAD(NULL), .name = "pair",
    .basic_size = sizeof(pair), .flags = TL_TYPE_GC,
    .weaklist_offset = offsetof(pair, weaklist), .traverse = pair_traverse,
    .clear = pair_clear };
GCT_UNUSED static tl_type atom_type = { .ob = TL_STATIC_HEAD(NULL), .name = "atom",
    .basic_size = sizeof(tl_object) + 16 };

/* A fresh heap with phase validation on; resets the recorders. */
GCT_UNUSED static tl_heap *gc_test_heap(void)
{
    tl_heap *h = test_heap(false);
    gc_state_of(h)->validate = true;
    t_heap = h;
    t_finalized = 0;
    t_resurrected = NULL;
    t_inner_collect = -2;
    memset(t_order, 0, sizeof t_order);
    return h;
}

GCT_UNUSED static void gc_test_heap_done(tl_heap *h)
{
    assert_null(gc_validate(h));
    tl_heap_delete(h);
}

#endif
