/* gc_int.h — the cycle collector's state and the collector header.
 *
 * Objects of TL_TYPE_GC types are allocated with a gc_head in the 16 bytes
 * before the object. A tracked object is on exactly one generation list
 * (0, 1, 2 or permanent); gc_head.next == 0 means untracked.
 *   next  address of the next gc_head in the list (0: untracked)
 *   prev  address of the previous gc_head, with flag bits in the low 2 bits:
 *         GC_FINALIZED (permanent: finalize has run) and GC_COLLECTING (set
 *         only during a collection). gc_head addresses are 16-byte aligned,
 *         so the low bits are free.
 * Lists are circular and doubly linked through a sentinel gc_head per
 * generation, so tracking appends at the tail in O(1) and untracking unlinks
 * in O(1) without knowing the generation.
 *
 * count[0] = allocations of GC objects - frees of GC objects since the last
 * collection of generation 0 (never below 0); count[g] for g > 0 = collections
 * of generation g-1 since the last collection of g.
 */
#ifndef TALLY_GC_INT_H
#define TALLY_GC_INT_H

#include "tally/gc.h"

typedef struct gc_head {
    uintptr_t next;
    uintptr_t prev;
} gc_head;

#define GC_FINALIZED ((uintptr_t)1)
#define GC_COLLECTING ((uintptr_t)2)
#define GC_FLAGS ((uintptr_t)3)

static inline gc_head *gc_head_of(const tl_object *o) { return (gc_head *)o - 1; }
static inline tl_object *gc_object_of(const gc_head *g) { return (tl_object *)(g + 1); }
static inline gc_head *gc_next(const gc_head *g) { return (gc_head *)g->next; }
static inline gc_head *gc_prev(const gc_head *g) { return (gc_head *)(g->prev & ~GC_FLAGS); }
static inline void gc_set_prev(gc_head *g, gc_head *p) { g->prev = (uintptr_t)p | (g->prev & GC_FLAGS); }
static inline bool gc_is_tracked(const gc_head *g) { return g->next != 0; }

typedef struct gc_generation {
    gc_head head;             /* sentinel of a circular list */
    int threshold;
    int count;
} gc_generation;

typedef struct gc_callback_entry {
    tl_gc_callback fn;
    void *arg;
} gc_callback_entry;

struct gc_state {
    gc_generation gens[TL_GC_NGENERATIONS];
    gc_head permanent;        /* frozen objects */
    bool enabled;
    bool collecting;
    int debug;                /* TL_GC_DEBUG_* */
    size_t long_lived_total;  /* objects in gen 2 after the last full collection */
    size_t long_lived_pending;/* survivors of gen-1 collections since then */
    tl_gc_gen_stats stats[TL_GC_NGENERATIONS];
    gc_callback_entry *callbacks;
    size_t ncallbacks, cap_callbacks;
    tl_gc_garbage_sink garbage_sink;
    void *garbage_arg;
    tl_object **garbage;      /* own garbage list when no sink (new references) */
    size_t ngarbage, cap_garbage;
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

struct gc_state *gc_state_new(void);
void gc_state_delete(struct gc_state *st);
struct gc_state *gc_state_of(tl_heap *h);
/* Allocation accounting; may run an automatic collection. */
void gc_on_alloc(tl_heap *h);
void gc_on_free(tl_heap *h);
/* Implemented by the collector proper (collect.c). */
void gc_collect_automatic(tl_heap *h);
/* Clears weak references to o and runs their callbacks (weakref.c). */
void gc_clear_weakrefs(tl_object *o);

#endif
