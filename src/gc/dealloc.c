/* dealloc.c — the standard deallocation sequence (tl_type.dealloc == NULL).
 *
 * In CPython 3.11's order for instances dying by reference count:
 *   1. finalize, once in the object's life for GC types (the FINALIZED bit is
 *      set after it returns); types without a collector header have no such
 *      bit and are finalized at every death. If finalize left new references,
 *      the object is resurrected: stop here, weak references intact;
 *   2. clear weak references and run their callbacks;
 *   3. untrack; 4. clear (drop what the object holds); 5. free the memory.
 */
#include "gc_int.h"

void tl_dealloc_standard(tl_object *o)
{
    tl_type *t = o->type;
    if (t->finalize && !tl_gc_is_finalized(o) && !(t->flags & TL_TYPE_LEGACY_DEL)) {
        o->refcount = 1;
        t->finalize(o);
        tl_gc_set_finalized(o);
        if (--o->refcount != 0)
            return;      /* resurrected */
    }
    if (t->weaklist_offset)
        gc_clear_weakrefs(o);
    if (tl_type_is_gc(t))
        tl_gc_untrack(o);
    if (t->clear)
        t->clear(o);
    tl_object_free(o);
}
