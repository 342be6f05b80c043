/* dealloc.c — the standard deallocation sequence (tl_type.dealloc == NULL).
 *
 * In CPython 3.11's order for instances dying by reference count
 * (subtype_dealloc):
 *   1. finalize (PEP 442), once in the object's life for GC types (the
 *      FINALIZED bit is set after it returns); types without a collector
 *      header have no such bit and are finalized at every death. If finalize
 *      left new references, the object is resurrected: stop here, weak
 *      references intact;
 *   2. clear weak references and run their callbacks;
 *   3. for TL_TYPE_LEGACY_DEL types, finalize is CPython's tp_del instead:
 *      it runs here, at every death, and may resurrect too;
 *   4. untrack; 5. clear (drop what the object holds); 6. free the memory.
 * While a finalizer runs, the object has count 1 and stays tracked.
 */
#include "gc_int.h"

/* Runs fn on o with o temporarily alive; true if o was resurrected. */
static bool run_resurrecting(tl_object *o, void (*fn)(tl_object *))
{
    o->refcount = 1;
    fn(o);
    return --o->refcount != 0;
}

void tl_dealloc_standard(tl_object *o)
{
    tl_type *t = o->type;
    bool legacy = (t->flags & TL_TYPE_LEGACY_DEL) != 0;
    if (t->finalize && !legacy && !tl_gc_is_finalized(o)) {
        bool resurrected = run_resurrecting(o, t->finalize);
        tl_gc_set_finalized(o);
        if (resurrected)
            return;
    }
    if (t->weaklist_offset)
        gc_clear_weakrefs(o);
    if (t->finalize && legacy && run_resurrecting(o, t->finalize))
        return;
    if (tl_type_is_gc(t))
        tl_gc_untrack(o);
    if (t->clear)
        t->clear(o);
    tl_object_free(o);
}
