/* lifecycle.c — creating and deleting a heap with all its layers.
 *
 * A tl_heap is the allocator (src/heap) plus the object layer's state
 * (src/object) and the collector's (src/gc). This is the top of the library,
 * so the constructor that ties the three together lives here.
 */
#include "gc_int.h"
#include "../heap/heap_int.h"
#include "../object/object_int.h"

#include <stdlib.h>

struct gc_state *gc_state_new(void)
{
    struct gc_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    static const int thresholds[TL_GC_NGENERATIONS] = {700, 10, 10};
    for (int i = 0; i < TL_GC_NGENERATIONS; i++) {
        gc_list_init(&st->gens[i].head);
        st->gens[i].threshold = thresholds[i];
    }
    gc_list_init(&st->permanent);
    st->enabled = true;
    return st;
}

void gc_state_delete(struct gc_state *st)
{
    if (!st)
        return;
    free(st->callbacks);
    free(st->garbage);
    free(st->wr_types);
    free(st);
}

tl_heap *tl_heap_new_ex(const tl_heap_options *opts)
{
    tl_heap *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->obj = obj_state_new();
    h->gc = gc_state_new();
    if (!h->obj || !h->gc || !heap_init(h, opts)) {
        obj_state_delete(h->obj);
        gc_state_delete(h->gc);
        free(h);
        return NULL;
    }
    return h;
}

tl_heap *tl_heap_new(void) { return tl_heap_new_ex(NULL); }

/* Frees every block without running finalizers: an embedder that wants
 * objects finalized drops its references and collects first. */
void tl_heap_delete(tl_heap *h)
{
    if (!h)
        return;
    heap_fini(h);
    obj_state_delete(h->obj);
    gc_state_delete(h->gc);
    free(h);
}
