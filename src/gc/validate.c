/* validate.c — the collector's consistency checks, for tests and debugging.
 *
 * gc_validate_list checks one list: doubly linked both ways through its
 * sentinel, no GC_NEXT_UNREACHABLE mark left, every element a GC object with
 * the expected COLLECTING bit. gc_validate checks every generation and the
 * permanent one between collections (no element COLLECTING), and the counts.
 * Both are O(objects): never called on a hot path; collect.c calls
 * gc_validate_list between phases when gc_state.validate is set.
 */
#include "gc_int.h"
#include "../heap/heap_int.h"

const char *gc_validate_list(const gc_head *l, uintptr_t want_flags)
{
    if (l->next & GC_NEXT_UNREACHABLE)
        return "unreachable mark on a list sentinel";
    const gc_head *prev = l;
    for (const gc_head *g = gc_next(l); g != l; g = gc_next(g)) {
        if (g->next & GC_NEXT_UNREACHABLE)
            return "unreachable mark left on a list element";
        if (g->next == 0)
            return "untracked object on a list";
        if (gc_prev(g) != prev)
            return "prev link does not match next link";
        if ((g->prev & GC_COLLECTING) != want_flags)
            return "COLLECTING bit wrong for this list";
        if (!gc_obj_is_gc(gc_object_of(g)))
            return "object of a non-GC type on a list";
        prev = g;
    }
    if (gc_prev(l) != prev)
        return "sentinel prev link does not name the last element";
    return NULL;
}

const char *gc_validate(tl_heap *h)
{
    struct gc_state *st = h->gc;
    if (st->collecting)
        return "validate called during a collection";
    for (int i = 0; i < TL_GC_NGENERATIONS; i++) {
        const char *err = gc_validate_list(&st->gens[i].head, 0);
        if (err)
            return err;
        if (st->gens[i].count < 0)
            return "negative generation count";
    }
    return gc_validate_list(&st->permanent, 0);
}
