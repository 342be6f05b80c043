/* object_int.h — the object layer's state and internals.
 *
 * Owns the deallocation trampoline: tl_decref reaching zero enters
 * tl_dealloc_, which runs the type's dealloc. Deallocs nest (a list's dealloc
 * drops its items, which deallocs them...) at most TL_DEALLOC_MAX_DEPTH deep;
 * past that, objects are parked on the pending stack and freed when the
 * outermost dealloc returns, so freeing a chain of any length uses bounded C
 * stack. A parked object keeps refcount 0 (so a weak reference reads it as
 * dead) and is not touched until it is deallocated.
 *
 * Invariants: the thread's dealloc depth (refcount.c) == number of
 * tl_dealloc_ frames on its C stack; npending > 0 only while that depth is
 * above 0 or during the drain.
 */
#ifndef TALLY_OBJECT_INT_H
#define TALLY_OBJECT_INT_H

#include "tally/object.h"

struct obj_state {
    tl_object **pending;      /* parked objects (system memory, grown x2) */
    size_t npending, cap;
    size_t pending_peak;      /* most objects ever parked at once (for tests) */
};

struct obj_state *obj_state_new(void);
void obj_state_delete(struct obj_state *s);

/* Bytes in front of an object of type t: pre-header and collector header. */
static inline size_t obj_front_size(const tl_type *t)
{
    return t->pre_size + (tl_type_is_gc(t) ? TL_GC_HEAD_SIZE : 0);
}
/* Address of the memory block holding o (its pre-header or collector header). */
static inline void *obj_block(const tl_object *o)
{
    return (char *)o - obj_front_size(o->type);
}
/* Bytes to allocate for an object of t with nitems items, front included;
 * SIZE_MAX if that overflows. Inline: every allocation asks. */
static inline size_t obj_alloc_size(const tl_type *t, size_t nitems)
{
    size_t fixed = t->basic_size + obj_front_size(t);
    if (t->item_size && nitems > (SIZE_MAX - fixed) / t->item_size)
        return SIZE_MAX;
    return fixed + t->item_size * nitems;
}

#endif
