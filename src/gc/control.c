/* control.c — the collector's controls and introspection: enabling,
 * thresholds, counts, debug flags, freezing, statistics, callbacks, the
 * garbage list, untrack hooks, and walks over tracked objects (what Python's
 * gc module exposes). The collection itself is in collect.c.
 *
 * Walks (tl_gc_for_each, tl_gc_for_each_referrer) hand out objects while
 * iterating a generation list: their callbacks must not untrack objects or
 * allocate GC objects (which could run a collection and reorder the lists).
 */
#include "gc_int.h"
#include "../heap/heap_int.h"

#include <stdlib.h>

size_t gc_list_size(const gc_head *l)
{
    size_t n = 0;
    for (const gc_head *g = gc_next(l); g != l; g = gc_next(g))
        n++;
    return n;
}

void tl_gc_enable(tl_heap *h) { h->gc->enabled = true; }
void tl_gc_disable(tl_heap *h) { h->gc->enabled = false; }
bool tl_gc_is_enabled(const tl_heap *h) { return h->gc->enabled; }
void tl_gc_set_debug(tl_heap *h, int flags) { h->gc->debug = flags; }
int tl_gc_get_debug(const tl_heap *h) { return h->gc->debug; }

void tl_gc_set_debug_writer(tl_heap *h, tl_gc_debug_writer fn, void *arg)
{
    h->gc->debug_writer = fn;
    h->gc->debug_writer_arg = arg;
}

void tl_gc_get_threshold(const tl_heap *h, int out[3])
{
    for (int i = 0; i < TL_GC_NGENERATIONS; i++)
        out[i] = h->gc->gens[i].threshold;
}

/* A negative entry leaves that threshold unchanged (gc.set_threshold's
 * omitted arguments); t[0] == 0 disables automatic collection. */
void tl_gc_set_threshold(tl_heap *h, const int t[3])
{
    for (int i = 0; i < TL_GC_NGENERATIONS; i++)
        if (t[i] >= 0)
            h->gc->gens[i].threshold = t[i];
}

void tl_gc_get_count(const tl_heap *h, int out[3])
{
    for (int i = 0; i < TL_GC_NGENERATIONS; i++)
        out[i] = h->gc->gens[i].count;
}

void tl_gc_freeze(tl_heap *h)
{
    struct gc_state *st = h->gc;
    for (int i = 0; i < TL_GC_NGENERATIONS; i++) {
        gc_list_merge(&st->gens[i].head, &st->permanent);
        st->gens[i].count = 0;
        st->hooked_permanent += st->hooked[i];
        st->hooked[i] = 0;
    }
}

void tl_gc_unfreeze(tl_heap *h)
{
    struct gc_state *st = h->gc;
    gc_list_merge(&st->permanent, &st->gens[TL_GC_NGENERATIONS - 1].head);
    st->hooked[TL_GC_NGENERATIONS - 1] += st->hooked_permanent;
    st->hooked_permanent = 0;
}

size_t tl_gc_get_freeze_count(const tl_heap *h) { return gc_list_size(&h->gc->permanent); }

void tl_gc_get_stats(const tl_heap *h, tl_gc_gen_stats out[3])
{
    for (int i = 0; i < TL_GC_NGENERATIONS; i++)
        out[i] = h->gc->stats[i];
}

size_t tl_gc_generation_size(const tl_heap *h, int generation)
{
    if (generation >= 0 && generation < TL_GC_NGENERATIONS)
        return gc_list_size(&h->gc->gens[generation].head);
    size_t n = 0;
    for (int i = 0; i < TL_GC_NGENERATIONS; i++)
        n += gc_list_size(&h->gc->gens[i].head);
    return n;
}

static int for_each_in(gc_head *l, int (*fn)(tl_object *, void *), void *arg)
{
    gc_head *next;
    for (gc_head *g = gc_next(l); g != l; g = next) {
        next = gc_next(g);
        int r = fn(gc_object_of(g), arg);
        if (r)
            return r;
    }
    return 0;
}

int tl_gc_for_each(tl_heap *h, int generation, int (*fn)(tl_object *o, void *arg), void *arg)
{
    if (generation >= TL_GC_NGENERATIONS)
        return -1;
    int lo = generation < 0 ? 0 : generation;
    int hi = generation < 0 ? TL_GC_NGENERATIONS - 1 : generation;
    for (int i = lo; i <= hi; i++) {
        int r = for_each_in(&h->gc->gens[i].head, fn, arg);
        if (r)
            return r;
    }
    return 0;
}

static int visit_is_target(tl_object *child, void *target)
{
    return child == target;
}

struct referrer_walk {
    tl_object *target;
    int (*fn)(tl_object *, void *);
    void *arg;
};

static int check_referrer(tl_object *o, void *p)
{
    struct referrer_walk *w = p;
    if (o->type->traverse && o->type->traverse(o, visit_is_target, w->target))
        return w->fn(o, w->arg);
    return 0;
}

int tl_gc_for_each_referrer(tl_heap *h, tl_object *target,
                            int (*fn)(tl_object *referrer, void *arg), void *arg)
{
    struct referrer_walk w = {target, fn, arg};
    return tl_gc_for_each(h, -1, check_referrer, &w);
}

int tl_gc_for_each_referent(tl_object *o, tl_visit_fn fn, void *arg)
{
    return o->type->traverse ? o->type->traverse(o, fn, arg) : 0;
}

int tl_gc_add_callback(tl_heap *h, tl_gc_callback cb, void *arg)
{
    struct gc_state *st = h->gc;
    if (st->ncallbacks == st->cap_callbacks) {
        size_t cap = st->cap_callbacks ? 2 * st->cap_callbacks : 4;
        gc_callback_entry *p = realloc(st->callbacks, cap * sizeof *p);
        if (!p)
            return -1;
        st->callbacks = p;
        st->cap_callbacks = cap;
    }
    st->callbacks[st->ncallbacks++] = (gc_callback_entry){cb, arg};
    return 0;
}

void tl_gc_remove_callback(tl_heap *h, tl_gc_callback cb, void *arg)
{
    struct gc_state *st = h->gc;
    for (size_t i = 0; i < st->ncallbacks; i++) {
        if (st->callbacks[i].fn == cb && st->callbacks[i].arg == arg) {
            for (size_t j = i + 1; j < st->ncallbacks; j++)
                st->callbacks[j - 1] = st->callbacks[j];
            st->ncallbacks--;
            return;
        }
    }
}

void tl_gc_set_garbage_sink(tl_heap *h, tl_gc_garbage_sink sink, void *arg)
{
    h->gc->garbage_sink = sink;
    h->gc->garbage_arg = arg;
}

size_t tl_gc_garbage_count(const tl_heap *h) { return h->gc->ngarbage; }

tl_object *tl_gc_garbage_get(const tl_heap *h, size_t i)
{
    return i < h->gc->ngarbage ? h->gc->garbage[i] : NULL;
}

/* Dropping a reference may run finalizers that append to the list again:
 * take the list out first. */
void tl_gc_garbage_clear(tl_heap *h)
{
    struct gc_state *st = h->gc;
    while (st->ngarbage) {
        tl_object **list = st->garbage;
        size_t n = st->ngarbage;
        st->garbage = NULL;
        st->ngarbage = st->cap_garbage = 0;
        for (size_t i = 0; i < n; i++)
            tl_decref(list[i]);
        free(list);
    }
}

bool gc_garbage_append(tl_heap *h, tl_object *o)
{
    struct gc_state *st = h->gc;
    if (st->garbage_sink)
        return st->garbage_sink(h, o, st->garbage_arg) == 0;
    if (st->ngarbage == st->cap_garbage) {
        size_t cap = st->cap_garbage ? 2 * st->cap_garbage : 16;
        tl_object **p = realloc(st->garbage, cap * sizeof *p);
        if (!p)
            return false;
        st->garbage = p;
        st->cap_garbage = cap;
    }
    tl_incref(o);
    st->garbage[st->ngarbage++] = o;
    return true;
}

int tl_gc_register_untrack(tl_heap *h, const tl_type *t, tl_gc_untrack_fn fn, bool full_only)
{
    struct gc_state *st = h->gc;
    if (st->nuntrack == GC_MAX_UNTRACK_HOOKS)
        return -1;
    st->untrack[st->nuntrack++] = (gc_untrack_entry){t, fn, full_only};
    /* Counting starts now: what is already tracked is counted as unknown. */
    ((tl_type *)t)->flags |= TL_TYPE_UNTRACK_HOOK;
    for (int i = 0; i < TL_GC_NGENERATIONS; i++)
        st->hooked[i] = SIZE_MAX / 4;
    st->hooked_permanent = SIZE_MAX / 4;
    return 0;
}
