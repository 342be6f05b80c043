/* tally/gc.h — the cycle collector: public interface.
 *
 * CPython 3.11's generational collector over the objects of TL_TYPE_GC types:
 * three generations with thresholds (700, 10, 10), a permanent generation for
 * tl_gc_freeze, PEP 442 finalizers, and weak references (tally/weakref.h).
 * One collector per heap. Functions taking a tl_heap act on that heap's
 * collector.
 */
#ifndef TALLY_GC_H
#define TALLY_GC_H

#include "object.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TL_GC_NGENERATIONS 3

/* Debug flags, with CPython's values and meanings (output on stderr). */
#define TL_GC_DEBUG_STATS         1
#define TL_GC_DEBUG_COLLECTABLE   2
#define TL_GC_DEBUG_UNCOLLECTABLE 4
#define TL_GC_DEBUG_SAVEALL       32
#define TL_GC_DEBUG_LEAK          (TL_GC_DEBUG_COLLECTABLE | TL_GC_DEBUG_UNCOLLECTABLE | TL_GC_DEBUG_SAVEALL)

/* Tracking. Objects of GC types are tracked by tl_object_new; a type that
 * builds its objects untracked tracks them once they are consistent. */
void tl_gc_track(tl_object *o);
void tl_gc_untrack(tl_object *o);
bool tl_gc_is_tracked(const tl_object *o);
bool tl_gc_is_finalized(const tl_object *o);
void tl_gc_set_finalized(tl_object *o);

/* Collection. Returns the number of unreachable objects found (CPython's
 * gc.collect() count), or -1 for a generation outside 0..2. A collection
 * requested while one runs returns 0. */
intptr_t tl_gc_collect(tl_heap *h, int generation);

void tl_gc_enable(tl_heap *h);
void tl_gc_disable(tl_heap *h);
bool tl_gc_is_enabled(const tl_heap *h);
void tl_gc_get_threshold(const tl_heap *h, int out[3]);
/* A negative entry leaves that threshold unchanged; t[0] == 0 disables
 * automatic collection. */
void tl_gc_set_threshold(tl_heap *h, const int t[3]);
void tl_gc_get_count(const tl_heap *h, int out[3]);
void tl_gc_set_debug(tl_heap *h, int flags);
int tl_gc_get_debug(const tl_heap *h);
/* Where the debug flags' messages go: fn gets each line (newline included)
 * as CPython words it; NULL (the default) writes them to stderr. An embedder
 * routes them to its own stream (Python's sys.stderr). */
typedef void (*tl_gc_debug_writer)(tl_heap *h, const char *line, void *arg);
void tl_gc_set_debug_writer(tl_heap *h, tl_gc_debug_writer fn, void *arg);

void tl_gc_freeze(tl_heap *h);
void tl_gc_unfreeze(tl_heap *h);
size_t tl_gc_get_freeze_count(const tl_heap *h);

typedef struct tl_gc_gen_stats {
    size_t collections;
    size_t collected;
    size_t uncollectable;
} tl_gc_gen_stats;
void tl_gc_get_stats(const tl_heap *h, tl_gc_gen_stats out[3]);

/* Iteration over tracked objects of a generation (0..2), or of all three
 * (generation -1), in list order. A non-zero return from fn stops the walk. */
int tl_gc_for_each(tl_heap *h, int generation, int (*fn)(tl_object *o, void *arg), void *arg);
size_t tl_gc_generation_size(const tl_heap *h, int generation);
/* Calls fn for each tracked object (gens 0..2) that refers to target. */
int tl_gc_for_each_referrer(tl_heap *h, tl_object *target,
                            int (*fn)(tl_object *referrer, void *arg), void *arg);

/* Callbacks at the start and stop of every collection (automatic ones too). */
typedef enum tl_gc_phase { TL_GC_START, TL_GC_STOP } tl_gc_phase;
typedef struct tl_gc_info {
    int generation;
    intptr_t collected;       /* zero at start */
    intptr_t uncollectable;   /* zero at start */
} tl_gc_info;
typedef void (*tl_gc_callback)(tl_heap *h, tl_gc_phase phase, const tl_gc_info *info, void *arg);
int tl_gc_add_callback(tl_heap *h, tl_gc_callback cb, void *arg);    /* 0, or -1 on OOM */
void tl_gc_remove_callback(tl_heap *h, tl_gc_callback cb, void *arg);

/* The garbage list (DEBUG_SAVEALL and legacy finalizers): the collector calls
 * this with each object to keep; the embedder stores a new reference to it
 * (tally's gc.garbage). Without a sink the collector keeps its own list. */
typedef int (*tl_gc_garbage_sink)(tl_heap *h, tl_object *o, void *arg);
void tl_gc_set_garbage_sink(tl_heap *h, tl_gc_garbage_sink sink, void *arg);
/* Objects held by the collector's own garbage list (no sink set). */
size_t tl_gc_garbage_count(const tl_heap *h);
tl_object *tl_gc_garbage_get(const tl_heap *h, size_t i);   /* borrowed */
/* Drops the collector's own garbage list (its references). */
void tl_gc_garbage_clear(tl_heap *h);

/* Calls fn for each object o refers to, through o's traverse, in traverse
 * order (gc.get_referents); nothing for objects without traverse. */
int tl_gc_for_each_referent(tl_object *o, tl_visit_fn fn, void *arg);

/* Untracking containers that cannot take part in a cycle (CPython's
 * untrack_tuples / untrack_dicts). After each collection the collector calls
 * fn on every survivor of type t in the collected generation; a true return
 * untracks it. With full_only, only after full collections (as CPython does
 * for dicts). Up to 8 types per heap; returns 0, or -1 when full. */
typedef bool (*tl_gc_untrack_fn)(tl_object *o);
int tl_gc_register_untrack(tl_heap *h, const tl_type *t, tl_gc_untrack_fn fn, bool full_only);

/* True when o is a GC object that its referents could keep in a cycle:
 * tracked. For untrack hooks: a tuple may be untracked when no item is
 * tl_gc_may_be_tracked. */
static inline bool tl_gc_may_be_tracked(const tl_object *o)
{
    return tl_type_is_gc(o->type) && tl_gc_is_tracked(o);
}

/* Finalizers and weak reference callbacks report their own failures: the
 * library has no exceptions. */

#ifdef __cplusplus
}
#endif
#endif
