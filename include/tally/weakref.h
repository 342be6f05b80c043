/* tally/weakref.h — weak references: public interface.
 *
 * A weak reference is a tl_object (of tl_weakref_type, or of a type derived
 * from it) that names a target without keeping it alive. Once the target dies
 * — by reference count or by the collector — the weak reference reads NULL
 * and its callback, if any, is called once with the weak reference.
 *
 * A type's instances can be weakly referenced iff type->weaklist_offset names
 * a tl_weakref * field in the object, zeroed at creation: the head of the
 * target's list of weak references. The list is kept in CPython's order: the
 * shared basic reference (no callback, base type, not a proxy) first, then the
 * shared basic proxy, then every other reference newest first. Callbacks run
 * newest first; all of a dying target's references read NULL before any of
 * its callbacks runs.
 *
 * Callbacks are either a C function with a void * argument, or a tl_object
 * (the interpreter's callable) that the collector hands to the heap's call
 * hook. The library has no exceptions: a callback reports its own failures.
 *
 * Weak reference objects are GC objects (a callback object can form a cycle)
 * and are tracked at creation. They are not themselves weakly referenceable
 * unless a derived type gives them a weaklist_offset.
 */
#ifndef TALLY_WEAKREF_H
#define TALLY_WEAKREF_H

#include "object.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_weakref tl_weakref;
typedef void (*tl_weakref_cfunc)(tl_weakref *wr, void *arg);

#define TL_WEAKREF_PROXY 1u     /* the proxy flavour (weakref.proxy) */
/* The derived type given in the spec stands for the base type: its
 * callback-less references are shared and ordered like basic ones. For an
 * embedder whose base reference type must be its own (a Python-visible
 * type with more slots than tl_type); its subclasses leave the flag off. */
#define TL_WEAKREF_BASIC_TYPE 2u

/* The object layout. A derived type (a KeyedRef, a ref subclass) starts with
 * it; its traverse must call tl_weakref_traverse and its clear
 * tl_weakref_clear. Fields are read through the functions below. */
struct tl_weakref {
    tl_object ob;
    tl_object *target;          /* borrowed; NULL once the target is gone */
    tl_object *callback;        /* strong reference, or NULL */
    tl_weakref_cfunc cfunc;     /* C callback, or NULL */
    void *carg;                 /* its argument */
    tl_weakref *wr_prev, *wr_next;  /* the target's list (NULL-terminated) */
    intptr_t hash;              /* free for the embedder: -1 at creation */
    unsigned flags;             /* TL_WEAKREF_* */
};

/* The base type (GC, standard dealloc). Not const, so that an embedder can set
 * ob.type to its metatype before creating the first reference. */
extern tl_type tl_weakref_type;

/* Options for tl_weakref_new_ex. Zero-initialised: a basic reference. */
typedef struct tl_weakref_spec {
    tl_type *type;              /* NULL: tl_weakref_type; else a derived type */
    unsigned flags;             /* TL_WEAKREF_PROXY, TL_WEAKREF_BASIC_TYPE */
    tl_object *callback;        /* callable object for the call hook, or NULL */
    tl_weakref_cfunc cfunc;     /* or a C function ... */
    void *carg;                 /* ... and its argument */
    tl_heap *heap;              /* where to allocate: NULL for the target's heap
                                   (required for a statically allocated target) */
} tl_weakref_spec;

/* New reference to a weak reference to target, with an optional callback
 * object. Without a callback, the basic reference is shared: the same object
 * is returned while it lives. NULL if target's type has no weaklist_offset, if
 * target is static (use tl_weakref_new_ex with a heap) or memory ran out. The
 * target must be alive. */
tl_weakref *tl_weakref_new(tl_object *target, tl_object *callback);
/* The type (and TL_WEAKREF_* flags) of the references tl_weakref_new makes
 * for targets in h: for an embedder whose every weak reference must be of
 * its own type, e.g. one visible to its language (with
 * TL_WEAKREF_BASIC_TYPE, so they are still shared). NULL: tl_weakref_type. */
void tl_weakref_set_default_type(tl_heap *h, tl_type *type, unsigned flags);
tl_weakref *tl_weakref_new_ex(tl_object *target, const tl_weakref_spec *spec);

/* The target (borrowed), or NULL once it is gone. */
static inline tl_object *tl_weakref_get(const tl_weakref *wr) { return wr->target; }
static inline bool tl_weakref_is_proxy(const tl_weakref *wr) { return (wr->flags & TL_WEAKREF_PROXY) != 0; }
/* The callback object (borrowed) or NULL; NULL after a refcount death has
 * run it (CPython's __callback__ becoming None). */
static inline tl_object *tl_weakref_callback(const tl_weakref *wr) { return wr->callback; }

/* Detaches the target and drops the callback without calling it. */
void tl_weakref_kill(tl_weakref *wr);

/* Number of weak references to o (getweakrefcount), 0 if not referenceable. */
size_t tl_weakref_count(const tl_object *o);
/* Writes up to max borrowed references in list order (getweakrefs); returns
 * the total count. */
size_t tl_weakref_list(const tl_object *o, tl_weakref **out, size_t max);

/* For derived types. */
int tl_weakref_traverse(tl_object *wr, tl_visit_fn visit, void *arg);
void tl_weakref_clear(tl_object *wr);

/* The hook that calls object callbacks (the interpreter calls callback(wr)).
 * Without a hook, object callbacks are not called. */
typedef void (*tl_weakref_call_hook)(tl_heap *h, tl_object *callback, tl_weakref *wr, void *arg);
void tl_weakref_set_call_hook(tl_heap *h, tl_weakref_call_hook hook, void *arg);

#ifdef __cplusplus
}
#endif
#endif
