/* tally/object.h — the object model: header, types, reference counting.
 *
 * Every object starts with a tl_object header: the reference count at offset 0
 * (a signed machine word), then the type pointer. An object's identity is its
 * address. Objects of types flagged TL_TYPE_GC carry a two-word collector
 * header *before* that address, invisible to identity.
 *
 * Reference counts are exact: tl_incref() for every new strong reference,
 * tl_decref() when it is dropped; reaching zero calls the type's dealloc at once.
 * Immortal objects start at TL_IMMORTAL_REFCOUNT, far above any count a program
 * can reach, and are never deallocated: a count that somehow fell to zero would
 * be restored by tl_dealloc_ rather than freed. Statically allocated objects
 * (TL_STATIC_HEAD, tl_object_init_static) are immortal in a band of their own,
 * from TL_STATIC_FLOOR up, so the library tells them from heap objects by
 * their count alone: no increment or decrement sequence a program can perform
 * moves a count from one band into the other.
 */
#ifndef TALLY_OBJECT_H
#define TALLY_OBJECT_H

#include "heap.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_object tl_object;
typedef struct tl_type tl_type;

struct tl_object {
    intptr_t refcount;   /* strong references; immortal at >= TL_IMMORTAL_FLOOR */
    tl_type *type;       /* never NULL for a live object */
};

/* 2^60: increments and decrements of an immortal stay far from zero and from
 * overflow for any feasible program. */
#define TL_IMMORTAL_REFCOUNT ((intptr_t)1 << 60)
#define TL_IMMORTAL_FLOOR ((intptr_t)1 << 59)
/* Statically allocated objects start at 3 * 2^60 and stay above 2^61. */
#define TL_STATIC_REFCOUNT ((intptr_t)3 << 60)
#define TL_STATIC_FLOOR ((intptr_t)1 << 61)
#define TL_GC_HEAD_SIZE 16u

/* A statically allocated object header: immortal from the start. */
#define TL_STATIC_HEAD(typeptr) { TL_STATIC_REFCOUNT, (typeptr) }

/* Called with each referenced object (never NULL). A non-zero return stops the
 * walk and is returned by traverse. */
typedef int (*tl_visit_fn)(tl_object *child, void *arg);

/* Named edges, for inspection only (heap graphs, leak paths). */
typedef enum tl_edge_kind {
    TL_EDGE_ATTR,     /* name: attribute name */
    TL_EDGE_KEY,      /* index: entry number in the container */
    TL_EDGE_VALUE,    /* name: the key's repr when it has one, else index */
    TL_EDGE_INDEX,    /* index: position */
    TL_EDGE_CELL,     /* name: variable name */
    TL_EDGE_TYPE,     /* the object's type */
    TL_EDGE_OTHER     /* name: free-form */
} tl_edge_kind;
typedef int (*tl_edge_fn)(tl_object *child, tl_edge_kind kind, const char *name,
                          intptr_t index, void *arg);

/* Type flags. */
#define TL_TYPE_GC       (1u << 0) /* carries a collector header; may be tracked */
#define TL_TYPE_HEAPTYPE (1u << 1) /* the type is itself a counted object: each
                                      instance holds a reference to it, dropped
                                      after the instance's memory is freed */
#define TL_TYPE_LEGACY_DEL (1u << 2) /* finalize is a legacy finalizer: a cycle
                                      holding such an object is uncollectable */
#define TL_TYPE_UNTRACK_HOOK (1u << 3) /* set by tl_gc_register_untrack: the
                                      collector counts tracked objects of the
                                      type (not to be set by hand) */

struct tl_type {
    tl_object ob;             /* types are objects (static types are immortal) */
    const char *name;
    size_t basic_size;        /* bytes from the object's address, header included */
    size_t item_size;         /* bytes per item of a variable-size object, or 0 */
    /* Bytes the type's user keeps in front of the object (and in front of
     * its collector header), zeroed at allocation, a multiple of 16; 0 for
     * most types. Lets a derived type add fields to a variable-size base
     * whose items follow the header. */
    size_t pre_size;
    uint32_t flags;           /* TL_TYPE_* */
    ptrdiff_t weaklist_offset; /* offset from the object's address of its
                                  tl_weakref * list head (negative: in the
                                  pre-header), or 0 if instances cannot be
                                  weakly referenced */
    /* Frees the object when its count reaches zero. NULL: the standard
     * sequence (tl_dealloc_standard): finalize once, clear weak references,
     * untrack, clear, free. */
    void (*dealloc)(tl_object *o);
    /* Visits every strong reference the object holds (the collector's walk). */
    int (*traverse)(tl_object *o, tl_visit_fn visit, void *arg);
    /* Drops the references the object holds, leaving it valid but empty. */
    void (*clear)(tl_object *o);
    /* Runs once in the object's life before it dies (PEP 442). May resurrect. */
    void (*finalize)(tl_object *o);
    /* Writes a short description, snprintf-style; returns the length wanted. */
    int (*repr)(tl_object *o, char *buf, size_t size);
    /* Like traverse, naming each edge; optional, for inspection. */
    int (*edges)(tl_object *o, tl_edge_fn fn, void *arg);
    /* True size in bytes of the object's own memory (header, items, owned
     * buffers, not the collector header); optional, default basic_size. */
    size_t (*sizeof_fn)(tl_object *o);
};

/* Out-of-line slow path of tl_decref: the count reached zero. */
void tl_dealloc_(tl_object *o);

static inline void tl_incref(tl_object *o) { o->refcount++; }
static inline void tl_xincref(tl_object *o) { if (o) o->refcount++; }
static inline void tl_decref(tl_object *o)
{
    if (--o->refcount == 0)
        tl_dealloc_(o);
}
static inline void tl_xdecref(tl_object *o) { if (o) tl_decref(o); }
static inline intptr_t tl_refcount(const tl_object *o) { return o->refcount; }
static inline bool tl_is_immortal(const tl_object *o) { return o->refcount >= TL_IMMORTAL_FLOOR; }
/* Whether o lives in static storage rather than in a heap. */
static inline bool tl_is_static(const tl_object *o) { return o->refcount >= TL_STATIC_FLOOR; }
/* Makes a header in static storage (filled at run time) a static object. */
static inline void tl_object_init_static(tl_object *o, tl_type *t)
{
    o->refcount = TL_STATIC_REFCOUNT;
    o->type = t;
}
static inline bool tl_type_is_gc(const tl_type *t) { return (t->flags & TL_TYPE_GC) != 0; }

/* Replaces *slot with v (a new reference, may be NULL), then drops the old one:
 * the safe order when the old value's dealloc may look at *slot. */
static inline void tl_setref(tl_object **slot, tl_object *v)
{
    tl_object *old = *slot;
    *slot = v;
    tl_xdecref(old);
}
#define TL_CLEAR(slot) tl_setref((tl_object **)&(slot), NULL)

void tl_make_immortal(tl_object *o);

/* Allocation. The object is zero-filled past its header, has count 1, and,
 * for TL_TYPE_GC types, is tracked by the collector (tl_object_new may first
 * run an automatic collection). NULL on allocation failure. */
tl_object *tl_object_new(tl_heap *h, tl_type *t);
tl_object *tl_object_new_var(tl_heap *h, tl_type *t, size_t nitems);
/* As above but not tracked: the caller tracks it (tl_gc_track) once built. */
tl_object *tl_object_new_untracked(tl_heap *h, tl_type *t, size_t nitems);
/* Releases the memory of an object whose count is zero (untracking it first);
 * for dealloc functions. Drops the instance's reference to a heap type. */
void tl_object_free(tl_object *o);
/* The standard dealloc (see tl_type.dealloc). */
void tl_dealloc_standard(tl_object *o);

/* The heap an object lives in (NULL for static objects: tl_is_static). */
tl_heap *tl_object_heap(const tl_object *o);
/* Start of the heap block holding o: its pre-header or collector header if
 * it has one, else o itself. */
void *tl_object_block(const tl_object *o);
/* Bytes of memory the object occupies: sizeof_fn or basic_size, plus the
 * collector header for GC types and the type's pre-header. */
size_t tl_object_sizeof(tl_object *o);

/* Deep deallocation: deallocs nest at most this deep before further objects
 * are queued and freed iteratively as the stack unwinds. */
#define TL_DEALLOC_MAX_DEPTH 50

#ifdef __cplusplus
}
#endif
#endif
