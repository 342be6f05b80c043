/* alloc.c — allocating and freeing objects, and tracking GC objects.
 *
 * The object layer knows only that a GC type's objects carry a gc_head in
 * front; this file owns that header: allocation reserves it, tracking links
 * it into generation 0, freeing unlinks it. Allocating a GC object counts
 * toward generation 0's threshold and may run an automatic collection
 * once the memory is obtained and before the object is initialised and
 * tracked (as CPython 3.11's _PyObject_GC_Link does inside the allocation).
 */
#include "gc_int.h"
#include "../heap/heap_int.h"
#include "../object/object_int.h"

#include <string.h>

struct gc_state *gc_state_of(tl_heap *h) { return h->gc; }

static void untrack_head(gc_head *g);

void gc_on_alloc(tl_heap *h)
{
    struct gc_state *st = h->gc;
    gc_generation *g0 = &st->gens[0];
    g0->count++;
    if (g0->count > g0->threshold && g0->threshold && st->enabled && !st->collecting)
        gc_collect_automatic(h);
}

void gc_on_free(tl_heap *h)
{
    gc_generation *g0 = &h->gc->gens[0];
    if (g0->count > 0)
        g0->count--;
}

/* Zero-fills a fresh block of exactly size bytes (the debug heap guards the
 * byte after). The common small sizes (floats, ints, small tuples, most
 * instances) get a constant-size clear, which compiles to a few stores
 * instead of a call. */
static inline void zero_block(char *block, size_t size)
{
    switch (size) {
    case 16: memset(block, 0, 16); break;
    case 24: memset(block, 0, 24); break;
    case 32: memset(block, 0, 32); break;
    case 40: memset(block, 0, 40); break;
    case 48: memset(block, 0, 48); break;
    case 56: memset(block, 0, 56); break;
    case 64: memset(block, 0, 64); break;
    default: memset(block, 0, size); break;
    }
}

static inline __attribute__((always_inline)) tl_object *object_alloc(tl_heap *h, tl_type *t,
                                                                       size_t nitems)
{
    size_t size = obj_alloc_size(t, nitems);
    if (size == SIZE_MAX)
        return NULL;
    bool gc = tl_type_is_gc(t);
    char *block = tl_heap_alloc(h, size);
    if (!block)
        return NULL;
    zero_block(block, size);
    if (gc)
        gc_on_alloc(h);     /* the block is not yet an object: not on any list */
    tl_object *o = (tl_object *)(block + obj_front_size(t));
    o->refcount = 1;
    o->type = t;
    if (t->flags & TL_TYPE_HEAPTYPE)
        tl_incref(&t->ob);
    return o;
}

tl_object *tl_object_new_untracked(tl_heap *h, tl_type *t, size_t nitems)
{
    return object_alloc(h, t, nitems);
}

/* The heap is known here: tracking needs no lookup of it from the block. */
static inline __attribute__((always_inline)) tl_object *object_new(tl_heap *h, tl_type *t,
                                                                     size_t nitems)
{
    tl_object *o = object_alloc(h, t, nitems);
    if (o && tl_type_is_gc(t)) {
        gc_list_append(gc_head_of(o), &h->gc->gens[0].head);
        if (t->flags & TL_TYPE_UNTRACK_HOOK)
            h->gc->hooked[0]++;
    }
    return o;
}

tl_object *tl_object_new_var(tl_heap *h, tl_type *t, size_t nitems)
{
    return object_new(h, t, nitems);
}

tl_object *tl_object_new(tl_heap *h, tl_type *t)
{
    return object_new(h, t, 0);
}

void tl_object_free(tl_object *o)
{
    tl_type *t = o->type;
    void *block = obj_block(o);
    if (tl_type_is_gc(t)) {
        gc_head *g = gc_head_of(o);
        if (gc_is_tracked(g))
            untrack_head(g);
        gc_on_free(tl_heap_of(block));
    }
    tl_heap_free(block);
    if (t->flags & TL_TYPE_HEAPTYPE)
        tl_decref(&t->ob);
}

void tl_gc_track(tl_object *o)
{
    gc_head *g = gc_head_of(o);
    if (gc_is_tracked(g))
        return;
    struct gc_state *st = tl_heap_of(obj_block(o))->gc;
    gc_list_append(g, &st->gens[0].head);
    if (o->type->flags & TL_TYPE_UNTRACK_HOOK)
        st->hooked[0]++;
}

/* Untracking keeps only the FINALIZED bit: an object untracked during a
 * collection (by a finalizer, or by dying) must not look COLLECTING later. */
static void untrack_head(gc_head *g)
{
    gc_list_remove(g);
    g->prev &= GC_FINALIZED;
}

void tl_gc_untrack(tl_object *o)
{
    gc_head *g = gc_head_of(o);
    if (gc_is_tracked(g))
        untrack_head(g);
}

bool tl_gc_is_tracked(const tl_object *o)
{
    return gc_obj_is_gc(o) && gc_is_tracked(gc_head_of(o));
}

bool tl_gc_is_finalized(const tl_object *o)
{
    return gc_obj_is_gc(o) && (gc_head_of(o)->prev & GC_FINALIZED);
}

void tl_gc_set_finalized(tl_object *o)
{
    if (gc_obj_is_gc(o))
        gc_head_of(o)->prev |= GC_FINALIZED;
}
