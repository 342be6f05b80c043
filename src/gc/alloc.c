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

static tl_object *object_alloc(tl_heap *h, tl_type *t, size_t nitems)
{
    size_t size = obj_alloc_size(t, nitems);
    if (size == SIZE_MAX)
        return NULL;
    bool gc = tl_type_is_gc(t);
    char *block = tl_heap_alloc(h, size);
    if (!block)
        return NULL;
    memset(block, 0, size);
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

tl_object *tl_object_new_var(tl_heap *h, tl_type *t, size_t nitems)
{
    tl_object *o = object_alloc(h, t, nitems);
    if (o && tl_type_is_gc(t))
        tl_gc_track(o);
    return o;
}

tl_object *tl_object_new(tl_heap *h, tl_type *t)
{
    return tl_object_new_var(h, t, 0);
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
    gc_list_append(g, &tl_heap_of(obj_block(o))->gc->gens[0].head);
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
