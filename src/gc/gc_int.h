/* gc_int.h — the cycle collector's state and the collector header.
 *
 * Objects of TL_TYPE_GC types are allocated with a gc_head in the 16 bytes
 * before the object. A tracked object is on exactly one list: a generation
 * (0, 1, 2), the permanent generation, or, during a collection, one of the
 * collector's working lists. gc_head.next == 0 means untracked.
 *
 * Outside a collection:
 *   next  address of the next gc_head in the list (0: untracked)
 *   prev  address of the previous gc_head, with flag bits in the low 2 bits:
 *         GC_FINALIZED (permanent: finalize has run) and GC_COLLECTING (clear).
 *         gc_head addresses are 16-byte aligned, so the low bits are free.
 * During a collection (collect.c), for objects of the generation collected:
 *   - COLLECTING is set on every object of the set being examined, and only
 *     on those; it is how a visit tells "inside the set" from "outside";
 *   - between update_refs and move_unreachable the young list is singly
 *     linked: prev holds gc_refs << GC_REFS_SHIFT (plus the flags);
 *   - in the tentatively-unreachable list, next carries GC_NEXT_UNREACHABLE in
 *     bit 0 until clear_unreachable_mask removes it.
 * Lists are circular and doubly linked through a sentinel gc_head, so tracking
 * appends at the tail in O(1) and untracking unlinks in O(1) without knowing
 * the list.
 *
 * count (gens[0].count) = allocations of GC objects - frees of GC objects since
 * the last collection of generation 0 (never below 0); gens[g].count for g > 0
 * = collections of generation g-1 since the last collection of g.
 *
 * A collector walk never recurses: phases iterate over lists, and freeing
 * goes through the object layer's bounded-depth deallocation.
 */
#ifndef TALLY_GC_INT_H
#define TALLY_GC_INT_H

#include "tally/gc.h"
#include "tally/weakref.h"

typedef struct gc_head {
    uintptr_t next;
    uintptr_t prev;
} gc_head;

#define GC_FINALIZED ((uintptr_t)1)
#define GC_COLLECTING ((uintptr_t)2)
#define GC_FLAGS ((uintptr_t)3)
#define GC_REFS_SHIFT 2
#define GC_NEXT_UNREACHABLE ((uintptr_t)1)

static inline gc_head *gc_head_of(const tl_object *o) { return (gc_head *)o - 1; }
static inline tl_object *gc_object_of(const gc_head *g) { return (tl_object *)(g + 1); }
static inline gc_head *gc_next(const gc_head *g) { return (gc_head *)g->next; }
static inline gc_head *gc_prev(const gc_head *g) { return (gc_head *)(g->prev & ~GC_FLAGS); }
static inline void gc_set_prev(gc_head *g, gc_head *p) { g->prev = (uintptr_t)p | (g->prev & GC_FLAGS); }
static inline bool gc_is_tracked(const gc_head *g) { return g->next != 0; }
static inline bool gc_is_collecting(const gc_head *g) { return (g->prev & GC_COLLECTING) != 0; }
static inline void gc_clear_collecting(gc_head *g) { g->prev &= ~GC_COLLECTING; }
static inline bool gc_is_finalized(const gc_head *g) { return (g->prev & GC_FINALIZED) != 0; }

/* gc_refs, valid only while the list is in its singly linked phase. */
static inline uintptr_t gc_get_refs(const gc_head *g) { return g->prev >> GC_REFS_SHIFT; }
static inline void gc_set_refs(gc_head *g, uintptr_t refs)
{
    g->prev = (g->prev & GC_FLAGS) | (refs << GC_REFS_SHIFT);
}
static inline void gc_decref(gc_head *g) { g->prev -= (uintptr_t)1 << GC_REFS_SHIFT; }

/* True for an object that has a collector header and can be on a list.
 * Immortal objects are never collected and may be statically allocated
 * without a header (a static type is an object of a GC type): the collector
 * treats them as atoms and never reads before them. */
static inline bool gc_obj_is_gc(const tl_object *o)
{
    return tl_type_is_gc(o->type) && !tl_is_immortal(o);
}

typedef struct gc_generation {
    gc_head head;             /* sentinel of a circular list */
    int threshold;            /* collect when count exceeds it (0: never, gen 0) */
    int count;                /* see the file comment */
} gc_generation;

typedef struct gc_callback_entry {
    tl_gc_callback fn;
    void *arg;
} gc_callback_entry;

typedef struct gc_untrack_entry {
    const tl_type *type;
    tl_gc_untrack_fn fn;
    bool full_only;           /* only on full collections (CPython's dicts) */
} gc_untrack_entry;

#define GC_MAX_UNTRACK_HOOKS 8

struct gc_state {
    gc_generation gens[TL_GC_NGENERATIONS];
    gc_head permanent;        /* frozen objects */
    bool enabled;             /* automatic collection only */
    bool collecting;          /* a collection (or its callbacks) is running */
    bool validate;            /* run gc_validate_list between phases (tests) */
    int debug;                /* TL_GC_DEBUG_* */
    tl_gc_debug_writer debug_writer;  /* where debug lines go; NULL: stderr */
    void *debug_writer_arg;
    size_t long_lived_total;  /* objects in gen 2 after the last full collection */
    size_t long_lived_pending;/* survivors of gen-1 collections since then */
    tl_gc_gen_stats stats[TL_GC_NGENERATIONS];
    gc_callback_entry *callbacks;
    size_t ncallbacks, cap_callbacks;
    tl_gc_garbage_sink garbage_sink;
    void *garbage_arg;
    tl_object **garbage;      /* own garbage list when no sink (new references) */
    size_t ngarbage, cap_garbage;
    gc_untrack_entry untrack[GC_MAX_UNTRACK_HOOKS];
    int nuntrack;
    /* At least as many as the tracked objects of TL_TYPE_UNTRACK_HOOK types
     * in each generation and in the permanent one: counted on tracking and
     * on every move into a generation, recounted by the survivors' walk. A
     * collection whose young objects count none skips that walk (it would
     * find nothing to untrack). */
    size_t hooked[TL_GC_NGENERATIONS];
    size_t hooked_permanent;
    tl_type *wr_default_type; /* type of tl_weakref_new's references, or NULL
                                 for tl_weakref_type */
    unsigned wr_default_flags;/* TL_WEAKREF_* flags they get */
    tl_weakref_call_hook wr_call;   /* calls object callbacks of weak references */
    void *wr_call_arg;
    const tl_type **wr_types; /* types derived from tl_weakref_type seen so far */
    size_t nwr_types, cap_wr_types;
};

static inline void gc_list_init(gc_head *l) { l->next = l->prev = (uintptr_t)l; }
static inline bool gc_list_is_empty(const gc_head *l) { return l->next == (uintptr_t)l; }
static inline void gc_list_append(gc_head *g, gc_head *l)
{
    gc_head *last = gc_prev(l);
    g->next = (uintptr_t)l;
    gc_set_prev(g, last);
    last->next = (uintptr_t)g;
    gc_set_prev(l, g);
}
static inline void gc_list_remove(gc_head *g)
{
    gc_head *prev = gc_prev(g), *next = gc_next(g);
    prev->next = (uintptr_t)next;
    gc_set_prev(next, prev);
    g->next = 0;
}
static inline void gc_list_move(gc_head *g, gc_head *to)
{
    gc_list_remove(g);
    gc_list_append(g, to);
}
/* Appends every element of from to to, leaving from empty. */
static inline void gc_list_merge(gc_head *from, gc_head *to)
{
    if (gc_list_is_empty(from))
        return;
    gc_head *to_tail = gc_prev(to), *first = gc_next(from), *last = gc_prev(from);
    to_tail->next = (uintptr_t)first;
    gc_set_prev(first, to_tail);
    last->next = (uintptr_t)to;
    gc_set_prev(to, last);
    gc_list_init(from);
}
size_t gc_list_size(const gc_head *l);

struct gc_state *gc_state_new(void);
void gc_state_delete(struct gc_state *st);
struct gc_state *gc_state_of(tl_heap *h);
/* Allocation accounting; may run an automatic collection. */
void gc_on_alloc(tl_heap *h);
void gc_on_free(tl_heap *h);
/* The collector proper (collect.c). */
void gc_collect_automatic(tl_heap *h);
/* Runs one collection with the start/stop callbacks; st->collecting is set. */
intptr_t gc_collect_with_callbacks(tl_heap *h, int generation);
/* Stores o in the garbage list (sink or own list); false on failure. */
bool gc_garbage_append(tl_heap *h, tl_object *o);

/* Weak references (weakref.c). */
/* Refcount death: clears weak references to o and runs their callbacks. */
void gc_clear_weakrefs(tl_object *o);
/* Collector: clears wr (target gone) keeping its callback; unlinks it. */
void gc_weakref_clear_ref(tl_weakref *wr);
bool gc_is_weakref(const struct gc_state *st, const tl_object *o);
bool gc_weakref_has_callback(const tl_weakref *wr);
/* Calls wr's callback (object or C function) with wr. */
void gc_weakref_call(tl_heap *h, tl_weakref *wr);
/* The head of o's weak list, or NULL if o's type has none. */
static inline tl_weakref **gc_weaklist_of(const tl_object *o)
{
    ptrdiff_t off = o->type->weaklist_offset;
    return off ? (tl_weakref **)((char *)o + off) : NULL;
}

/* Validation (validate.c): NULL if the list is consistent, else a message.
 * want_flags: the COLLECTING bit every element must have (0 or GC_COLLECTING). */
const char *gc_validate_list(const gc_head *l, uintptr_t want_flags);
const char *gc_validate(tl_heap *h);

#endif
