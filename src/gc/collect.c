/* collect.c — one collection, phase by phase, as CPython 3.11's
 * gc_collect_main does it; and when to collect automatically.
 *
 * A collection of generation g examines "young" (generations 0..g merged) and
 * works with these lists, each object on exactly one of them:
 *   young        objects found reachable from outside young (then merged
 *                into old: the next generation, or gen 2 itself for gen 2);
 *   unreachable  the garbage candidates (COLLECTING set on each);
 *   finalizers   garbage with a legacy finalizer and all it reaches:
 *                uncollectable, handed to the garbage list;
 *   to_call      weak references whose callbacks must run (handle_weakrefs).
 * The phases, in order (see CPYTHON-MEMORY.md §6 for CPython's steps):
 *   update_refs, subtract_refs, move_unreachable   -> young / unreachable
 *   untrack_survivors, merge young into old
 *   move_legacy_finalizers(+reachable)             -> finalizers
 *   handle_weakrefs, finalize_garbage
 *   handle_resurrected                             -> still unreachable
 *   delete_garbage, handle_legacy_finalizers.
 * The count returned is m + n: objects still unreachable after finalizers ran
 * plus weak references freed by their own callbacks (m), plus uncollectable
 * objects (n). Objects freed by reference count during finalizers and
 * resurrected objects are not counted.
 *
 * Nothing here recurses over the heap: every phase walks a list, and
 * move_unreachable moves newly reached objects to the end of the list it is
 * walking instead of descending into them.
 */
#define _POSIX_C_SOURCE 200809L
#include "gc_int.h"
#include "../heap/heap_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct collection {
    tl_heap *h;
    struct gc_state *st;
    int gen;
    gc_head *young;           /* the generation collected, younger ones merged */
    gc_head *old;             /* where survivors go */
    gc_head unreachable;
    gc_head finalizers;
    intptr_t m;               /* collected */
    intptr_t n;               /* uncollectable */
    size_t nyoung;            /* survivors left in young */
    size_t nfinalize;         /* garbage whose finalizer is still to run */
    size_t ncallbacks;        /* weak reference callbacks run */
    size_t ngarbage;          /* objects on unreachable (while nothing ran) */
} collection;

static void check_list(const collection *c, const gc_head *l, uintptr_t want)
{
    if (!c->st->validate)
        return;
    const char *err = gc_validate_list(l, want);
    if (err) {
        fprintf(stderr, "tally gc: %s (generation %d)\n", err, c->gen);
        abort();
    }
}

static inline void traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    if (o->type->traverse)
        o->type->traverse(o, visit, arg);
}

/* ---- Finding the unreachable set ---------------------------------------- */

/* gc_refs = refcount for each object, and COLLECTING. An object at count 0
 * is waiting in the object layer's deferred-free queue: it is untracked and
 * left out, so whatever it still refers to counts as referenced from outside. */
static size_t update_refs(gc_head *young)
{
    size_t n = 0;
    gc_head *next;
    for (gc_head *g = gc_next(young); g != young; g = next) {
        next = gc_next(g);
        tl_object *o = gc_object_of(g);
        if (o->refcount <= 0) {
            gc_list_remove(g);
            g->prev &= GC_FINALIZED;
            continue;
        }
        g->prev = (g->prev & GC_FINALIZED) | GC_COLLECTING | ((uintptr_t)o->refcount << GC_REFS_SHIFT);
        n++;
    }
    return n;
}

static int visit_decref(tl_object *child, void *arg)
{
    (void)arg;
    if (gc_obj_is_gc(child)) {
        gc_head *g = gc_head_of(child);
        if (gc_is_collecting(g))
            gc_decref(g);
    }
    return 0;
}

/* Leaves in gc_refs the references from outside the set. */
static void subtract_refs(gc_head *young)
{
    for (gc_head *g = gc_next(young); g != young; g = gc_next(g))
        traverse(gc_object_of(g), visit_decref, NULL);
}

/* A child of a reachable object is reachable: if it was already moved to the
 * unreachable list, it comes back to the end of young, to be scanned there. */
static int visit_reachable(tl_object *child, void *arg)
{
    gc_head *young = arg;
    if (!gc_obj_is_gc(child))
        return 0;
    gc_head *g = gc_head_of(child);
    if (!gc_is_collecting(g))
        return 0;
    if (g->next & GC_NEXT_UNREACHABLE) {
        gc_head *prev = gc_prev(g);
        gc_head *next = (gc_head *)(g->next & ~GC_NEXT_UNREACHABLE);
        prev->next = (prev->next & GC_NEXT_UNREACHABLE) | (uintptr_t)next;
        gc_set_prev(next, prev);
        gc_list_append(g, young);
        gc_set_refs(g, 1);
    } else if (gc_get_refs(g) == 0) {
        gc_set_refs(g, 1);
    }
    return 0;
}

static void move_to_unreachable(gc_head *g, gc_head *prev, gc_head *unreachable)
{
    prev->next = g->next;
    gc_head *last = gc_prev(unreachable);
    last->next = GC_NEXT_UNREACHABLE | (uintptr_t)g;
    gc_set_prev(g, last);
    g->next = GC_NEXT_UNREACHABLE | (uintptr_t)unreachable;
    gc_set_prev(unreachable, g);
}

/* Walks young once. An object with gc_refs > 0 is reachable: its children
 * get gc_refs >= 1 (or come back from unreachable), its prev link is
 * restored and COLLECTING cleared. An object at 0 moves, tentatively, to
 * unreachable (singly linked there, marked in next). */
static size_t move_unreachable(gc_head *young, gc_head *unreachable)
{
    size_t nreachable = 0;
    gc_head *prev = young;
    gc_head *g = gc_next(young);
    while (g != young) {
        if (gc_get_refs(g)) {
            traverse(gc_object_of(g), visit_reachable, young);
            gc_set_prev(g, prev);
            gc_clear_collecting(g);
            prev = g;
            nreachable++;
        } else {
            move_to_unreachable(g, prev, unreachable);
        }
        g = gc_next(prev);
    }
    gc_set_prev(young, prev);
    unreachable->next &= ~GC_NEXT_UNREACHABLE;
    return nreachable;
}

static void clear_unreachable_mask(gc_head *unreachable)
{
    for (gc_head *g = gc_next(unreachable); g != unreachable; g = gc_next(g))
        g->next &= ~GC_NEXT_UNREACHABLE;
}

/* Returns the number of objects moved to unreachable; *nreachable gets the
 * number left in base. */
static size_t deduce_unreachable(gc_head *base, gc_head *unreachable, size_t *nreachable)
{
    size_t n = update_refs(base);
    subtract_refs(base);
    *nreachable = move_unreachable(base, unreachable);
    clear_unreachable_mask(unreachable);
    return n - *nreachable;
}

/* ---- Survivors ---------------------------------------------------------- */

static bool untrack_wanted(const struct gc_state *st, const tl_object *o, bool full_pass)
{
    for (int i = 0; i < st->nuntrack; i++) {
        const gc_untrack_entry *e = &st->untrack[i];
        if (e->type == o->type && e->full_only == full_pass)
            return e->fn((tl_object *)o);
    }
    return false;
}

/* CPython's untrack_tuples (every collection) and untrack_dicts (full
 * ones). Returns the number of objects untracked; *left receives the number
 * of objects of hooked types still tracked. */
static size_t untrack_survivors(const struct gc_state *st, gc_head *young, bool full_pass,
                                size_t *left)
{
    size_t n = 0;
    *left = 0;
    gc_head *next;
    for (gc_head *g = gc_next(young); g != young; g = next) {
        next = gc_next(g);
        tl_object *o = gc_object_of(g);
        if (!(o->type->flags & TL_TYPE_UNTRACK_HOOK))
            continue;
        if (untrack_wanted(st, o, full_pass)) {
            tl_gc_untrack(o);
            n++;
        } else {
            (*left)++;
        }
    }
    return n;
}

/* The walk runs only when the young objects may include hooked ones. */
static void promote_survivors(collection *c)
{
    struct gc_state *st = c->st;
    size_t left = 0;
    bool walk = st->nuntrack > 0 && st->hooked[c->gen] > 0;
    if (walk)
        c->nyoung -= untrack_survivors(st, c->young, false, &left);
    st->hooked[c->gen] = 0;
    if (c->young != c->old) {
        if (c->gen == TL_GC_NGENERATIONS - 2)
            st->long_lived_pending += c->nyoung;
        gc_list_merge(c->young, c->old);
        st->hooked[c->gen + 1] += left;
    } else {
        if (walk)
            c->nyoung -= untrack_survivors(st, c->young, true, &left);
        st->hooked[c->gen] = left;
        st->long_lived_pending = 0;
        st->long_lived_total = c->nyoung;
    }
}

/* Counts objects that enter the older generation after the survivors'
 * walk (resurrected, still alive after clear, legacy finalizers). */
static void count_moved_to_old(collection *c, size_t n)
{
    int dest = c->young != c->old ? c->gen + 1 : c->gen;
    c->st->hooked[dest] += n;
}

/* ---- Legacy finalizers: uncollectable ----------------------------------- */

static bool has_legacy_finalizer(const tl_object *o)
{
    return (o->type->flags & TL_TYPE_LEGACY_DEL) && o->type->finalize;
}

static void move_legacy_finalizers(gc_head *unreachable, gc_head *finalizers)
{
    gc_head *next;
    if (gc_list_is_empty(unreachable))
        return;
    for (gc_head *g = gc_next(unreachable); g != unreachable; g = next) {
        next = gc_next(g);
        if (has_legacy_finalizer(gc_object_of(g))) {
            gc_clear_collecting(g);
            gc_list_move(g, finalizers);
        }
    }
}

static int visit_move(tl_object *child, void *arg)
{
    if (gc_obj_is_gc(child)) {
        gc_head *g = gc_head_of(child);
        if (gc_is_collecting(g)) {
            gc_clear_collecting(g);
            gc_list_move(g, arg);
        }
    }
    return 0;
}

/* Everything reachable from a legacy finalizer is uncollectable too; the
 * list grows at its end while it is walked. */
static void move_legacy_finalizer_reachable(gc_head *finalizers)
{
    for (gc_head *g = gc_next(finalizers); g != finalizers; g = gc_next(g))
        traverse(gc_object_of(g), visit_move, finalizers);
}

/* Debug output goes to the embedder's writer (tl_gc_set_debug_writer) one
 * line at a time, or to stderr. */
static void debug_print(tl_heap *h, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    struct gc_state *st = h->gc;
    if (st->debug_writer)
        st->debug_writer(h, line, st->debug_writer_arg);
    else
        fputs(line, stderr);
}

static void debug_cycle(tl_heap *h, const char *msg, tl_object *o)
{
    debug_print(h, "gc: %s <%s %p>\n", msg, o->type->name ? o->type->name : "object", (void *)o);
}

static void debug_list(const collection *c, int flag, const char *msg, gc_head *l)
{
    if (!(c->st->debug & flag))
        return;
    for (gc_head *g = gc_next(l); g != l; g = gc_next(g))
        debug_cycle(c->h, msg, gc_object_of(g));
}

/* ---- Weak references, finalizers, resurrection -------------------------- */

static void queue_weakref_callback(tl_weakref *wr, gc_head *to_call)
{
    gc_head *wg = gc_head_of(&wr->ob);
    tl_incref(&wr->ob);
    if (gc_is_tracked(wg))
        gc_list_move(wg, to_call);
    else
        gc_list_append(wg, to_call);
}

/* Clears every weak reference to a garbage object, and every weak reference
 * that is itself garbage; queues the callbacks of live weak references. */
static bool needs_finalize(const tl_object *o)
{
    const tl_type *t = o->type;
    return t->finalize && !(t->flags & TL_TYPE_LEGACY_DEL) && !gc_is_finalized(gc_head_of(o));
}

/* Also counts the garbage whose finalizer is still to run, so that a
 * collection without finalizers or callbacks skips the resurrection pass. */
static void clear_garbage_weakrefs(collection *c, gc_head *to_call)
{
    gc_head *unreachable = &c->unreachable;
    for (gc_head *g = gc_next(unreachable); g != unreachable; g = gc_next(g)) {
        tl_object *o = gc_object_of(g);
        c->nfinalize += needs_finalize(o);
        if (gc_is_weakref(c->st, o))
            gc_weakref_clear_ref((tl_weakref *)o);
        tl_weakref **list = gc_weaklist_of(o);
        if (!list)
            continue;
        tl_weakref *wr;
        while ((wr = *list) != NULL) {
            gc_weakref_clear_ref(wr);
            if (!gc_weakref_has_callback(wr))
                continue;
            gc_head *wg = gc_head_of(&wr->ob);
            if (gc_is_tracked(wg) && gc_is_collecting(wg))
                continue;     /* trash weak references never fire */
            queue_weakref_callback(wr, to_call);
        }
    }
}

/* CPython's handle_weakrefs; returns the weak references freed right after
 * their callback (they count as collected). */
static intptr_t handle_weakrefs(collection *c)
{
    gc_head to_call;
    gc_list_init(&to_call);
    clear_garbage_weakrefs(c, &to_call);
    intptr_t freed = 0;
    while (!gc_list_is_empty(&to_call)) {
        gc_head *g = gc_next(&to_call);
        tl_weakref *wr = (tl_weakref *)gc_object_of(g);
        gc_weakref_call(c->h, wr);
        c->ncallbacks++;
        tl_decref(&wr->ob);
        if (gc_next(&to_call) == g)
            gc_list_move(g, c->old);
        else
            freed++;
    }
    return freed;
}

/* PEP 442: finalize each garbage object once in its life. FINALIZED is set
 * before the call. Objects may die (and leave the list) meanwhile. */
static void finalize_garbage(gc_head *collectable)
{
    gc_head seen;
    gc_list_init(&seen);
    while (!gc_list_is_empty(collectable)) {
        gc_head *g = gc_next(collectable);
        tl_object *o = gc_object_of(g);
        gc_list_move(g, &seen);
        if (needs_finalize(o)) {
            g->prev |= GC_FINALIZED;
            tl_incref(o);
            o->type->finalize(o);
            tl_decref(o);
        }
    }
    gc_list_merge(&seen, collectable);
}

/* Re-runs the reachability analysis over what is left of the garbage: any
 * object a finalizer made reachable again, and all it reaches, survives.
 * Only finalizers and callbacks run code that can resurrect: without them
 * the analysis would find the same set, and is skipped. Returns the size of
 * still_unreachable. */
static size_t handle_resurrected(collection *c, gc_head *still_unreachable)
{
    gc_head *l = &c->unreachable;
    if (c->nfinalize == 0 && c->ncallbacks == 0) {
        gc_list_merge(l, still_unreachable);
        return c->ngarbage;
    }
    for (gc_head *g = gc_next(l); g != l; g = gc_next(g))
        gc_clear_collecting(g);
    size_t resurrected;
    size_t n = deduce_unreachable(l, still_unreachable, &resurrected);
    count_moved_to_old(c, resurrected);
    gc_list_merge(l, c->old);
    return n;
}

/* ---- Breaking the cycles ------------------------------------------------ */

static void delete_garbage(collection *c, gc_head *collectable)
{
    bool saveall = (c->st->debug & TL_GC_DEBUG_SAVEALL) != 0;
    while (!gc_list_is_empty(collectable)) {
        gc_head *g = gc_next(collectable);
        tl_object *o = gc_object_of(g);
        if (saveall) {
            gc_garbage_append(c->h, o);
        } else if (o->type->clear) {
            tl_incref(o);
            o->type->clear(o);
            tl_decref(o);
        }
        if (gc_next(collectable) == g) {   /* still alive: it may die later */
            gc_clear_collecting(g);
            gc_list_move(g, c->old);
            count_moved_to_old(c, 1);
        }
    }
}

static void handle_legacy_finalizers(collection *c)
{
    bool saveall = (c->st->debug & TL_GC_DEBUG_SAVEALL) != 0;
    gc_head *l = &c->finalizers;
    for (gc_head *g = gc_next(l); g != l; g = gc_next(g)) {
        tl_object *o = gc_object_of(g);
        if ((saveall || has_legacy_finalizer(o)) && !gc_garbage_append(c->h, o))
            break;
    }
    count_moved_to_old(c, gc_list_size(l));
    gc_list_merge(l, c->old);
}

/* ---- One collection ------------------------------------------------------ */

static void start_collection(collection *c)
{
    struct gc_state *st = c->st;
    int gen = c->gen;
    if (gen + 1 < TL_GC_NGENERATIONS)
        st->gens[gen + 1].count++;
    for (int i = 0; i <= gen; i++)
        st->gens[i].count = 0;
    for (int i = 0; i < gen; i++) {
        gc_list_merge(&st->gens[i].head, &st->gens[gen].head);
        st->hooked[gen] += st->hooked[i];
        st->hooked[i] = 0;
    }
    c->young = &st->gens[gen].head;
    c->old = gen + 1 < TL_GC_NGENERATIONS ? &st->gens[gen + 1].head : c->young;
    gc_list_init(&c->unreachable);
    gc_list_init(&c->finalizers);
    c->m = c->n = 0;
    c->nyoung = c->nfinalize = c->ncallbacks = c->ngarbage = 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void print_start_stats(tl_heap *h, int gen)
{
    const struct gc_state *st = h->gc;
    debug_print(h, "gc: collecting generation %d...\n", gen);
    debug_print(h, "gc: objects in each generation: %zu %zu %zu\n", gc_list_size(&st->gens[0].head),
                gc_list_size(&st->gens[1].head), gc_list_size(&st->gens[2].head));
    debug_print(h, "gc: objects in permanent generation: %zu\n", gc_list_size(&st->permanent));
}

static void find_garbage(collection *c)
{
    check_list(c, c->young, 0);
    c->ngarbage = deduce_unreachable(c->young, &c->unreachable, &c->nyoung);
    check_list(c, c->young, 0);
    check_list(c, &c->unreachable, GC_COLLECTING);
    promote_survivors(c);
    move_legacy_finalizers(&c->unreachable, &c->finalizers);
    move_legacy_finalizer_reachable(&c->finalizers);
    c->ngarbage -= gc_list_size(&c->finalizers);
    check_list(c, &c->finalizers, 0);
    check_list(c, &c->unreachable, GC_COLLECTING);
}

static void dispose_garbage(collection *c)
{
    c->m += handle_weakrefs(c);
    check_list(c, c->old, 0);
    check_list(c, &c->unreachable, GC_COLLECTING);
    if (c->nfinalize)
        finalize_garbage(&c->unreachable);
    gc_head final_unreachable;
    gc_list_init(&final_unreachable);
    c->m += (intptr_t)handle_resurrected(c, &final_unreachable);
    check_list(c, &final_unreachable, GC_COLLECTING);
    delete_garbage(c, &final_unreachable);
    c->n = (intptr_t)gc_list_size(&c->finalizers);   /* some may have died meanwhile */
    debug_list(c, TL_GC_DEBUG_UNCOLLECTABLE, "uncollectable", &c->finalizers);
}

static intptr_t collect_main(tl_heap *h, int gen, intptr_t *collected, intptr_t *uncollectable)
{
    collection c = {.h = h, .st = h->gc, .gen = gen};
    double t0 = 0;
    if (c.st->debug & TL_GC_DEBUG_STATS) {
        print_start_stats(h, gen);
        t0 = now_seconds();
    }
    start_collection(&c);
    find_garbage(&c);
    debug_list(&c, TL_GC_DEBUG_COLLECTABLE, "collectable", &c.unreachable);
    dispose_garbage(&c);
    if (c.st->debug & TL_GC_DEBUG_STATS)
        debug_print(h, "gc: done, %lld unreachable, %lld uncollectable, %.4fs elapsed\n",
                (long long)(c.n + c.m), (long long)c.n, now_seconds() - t0);
    handle_legacy_finalizers(&c);
    check_list(&c, c.old, 0);
    tl_gc_gen_stats *s = &c.st->stats[gen];
    s->collections++;
    s->collected += (size_t)c.m;
    s->uncollectable += (size_t)c.n;
    *collected = c.m;
    *uncollectable = c.n;
    return c.n + c.m;
}

static void invoke_callbacks(tl_heap *h, tl_gc_phase phase, int gen, intptr_t collected, intptr_t uncollectable)
{
    struct gc_state *st = h->gc;
    tl_gc_info info = {gen, collected, uncollectable};
    /* Callbacks may add or remove callbacks: re-read the count each time. */
    for (size_t i = 0; i < st->ncallbacks; i++) {
        gc_callback_entry e = st->callbacks[i];
        e.fn(h, phase, &info, e.arg);
    }
}

intptr_t gc_collect_with_callbacks(tl_heap *h, int generation)
{
    intptr_t collected = 0, uncollectable = 0;
    invoke_callbacks(h, TL_GC_START, generation, 0, 0);
    intptr_t r = collect_main(h, generation, &collected, &uncollectable);
    invoke_callbacks(h, TL_GC_STOP, generation, collected, uncollectable);
    return r;
}

/* The oldest generation whose count exceeds its threshold; a full collection
 * also waits until the objects pending their first full collection exceed
 * 25% of those that survived the last one. */
static int generation_due(const struct gc_state *st)
{
    for (int i = TL_GC_NGENERATIONS - 1; i >= 0; i--) {
        if (st->gens[i].count <= st->gens[i].threshold)
            continue;
        if (i == TL_GC_NGENERATIONS - 1 && st->long_lived_pending < st->long_lived_total / 4)
            continue;
        return i;
    }
    return -1;
}

void gc_collect_automatic(tl_heap *h)
{
    struct gc_state *st = h->gc;
    int gen = generation_due(st);
    if (gen < 0)
        return;
    st->collecting = true;
    gc_collect_with_callbacks(h, gen);
    st->collecting = false;
}

intptr_t tl_gc_collect(tl_heap *h, int generation)
{
    struct gc_state *st = h->gc;
    if (generation < 0 || generation >= TL_GC_NGENERATIONS)
        return -1;
    if (st->collecting)
        return 0;
    st->collecting = true;
    intptr_t n = gc_collect_with_callbacks(h, generation);
    st->collecting = false;
    return n;
}
