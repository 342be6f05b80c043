/* weakref.c — weak references: creation, the per-target list, and clearing
 * when the target dies by reference count. (Clearing when the target dies in
 * the collector is handle_weakrefs in collect.c.)
 *
 * Invariants:
 *   - wr->target != NULL iff wr is on wr->target's list (the head at
 *     target->type->weaklist_offset); wr_prev/wr_next link that list, which
 *     is NULL-terminated, and head->wr_prev == NULL;
 *   - list order: the basic ref (base type, no callback, not a proxy) if any
 *     is first; the basic proxy if any comes next; then the others, newest
 *     first;
 *   - a weak reference holds a strong reference to its callback object only;
 *     the target is borrowed.
 */
#include "gc_int.h"
#include "../heap/heap_int.h"

#include <stdlib.h>

int tl_weakref_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    tl_weakref *wr = (tl_weakref *)o;
    return wr->callback ? visit(wr->callback, arg) : 0;
}

static void unlink_ref(tl_weakref *wr)
{
    if (!wr->target)
        return;
    tl_weakref **list = gc_weaklist_of(wr->target);
    if (*list == wr)
        *list = wr->wr_next;
    if (wr->wr_prev)
        wr->wr_prev->wr_next = wr->wr_next;
    if (wr->wr_next)
        wr->wr_next->wr_prev = wr->wr_prev;
    wr->wr_prev = wr->wr_next = NULL;
    wr->target = NULL;
}

void tl_weakref_clear(tl_object *o)
{
    tl_weakref *wr = (tl_weakref *)o;
    unlink_ref(wr);
    wr->cfunc = NULL;
    wr->carg = NULL;
    TL_CLEAR(wr->callback);
}

void tl_weakref_kill(tl_weakref *wr) { tl_weakref_clear(&wr->ob); }

tl_type tl_weakref_type = {
    .ob = TL_STATIC_HEAD(NULL),
    .name = "weakref",
    .basic_size = sizeof(tl_weakref),
    .flags = TL_TYPE_GC,
    .traverse = tl_weakref_traverse,
    .clear = tl_weakref_clear,
};

void gc_weakref_clear_ref(tl_weakref *wr) { unlink_ref(wr); }

bool gc_weakref_has_callback(const tl_weakref *wr) { return wr->callback || wr->cfunc; }

bool gc_is_weakref(const struct gc_state *st, const tl_object *o)
{
    if (o->type == &tl_weakref_type)
        return true;
    for (size_t i = 0; i < st->nwr_types; i++)
        if (st->wr_types[i] == o->type)
            return true;
    return false;
}

static bool register_type(struct gc_state *st, const tl_type *t)
{
    if (t == &tl_weakref_type || gc_is_weakref(st, &(tl_object){0, (tl_type *)t}))
        return true;
    if (st->nwr_types == st->cap_wr_types) {
        size_t cap = st->cap_wr_types ? 2 * st->cap_wr_types : 4;
        const tl_type **p = realloc(st->wr_types, cap * sizeof *p);
        if (!p)
            return false;
        st->wr_types = p;
        st->cap_wr_types = cap;
    }
    st->wr_types[st->nwr_types++] = t;
    return true;
}

/* ---- The target's list ------------------------------------------------- */

static bool is_basic(const tl_weakref *wr, bool proxy)
{
    bool base = wr->ob.type == &tl_weakref_type || (wr->flags & TL_WEAKREF_BASIC_TYPE);
    return base && !wr->callback && !wr->cfunc
        && tl_weakref_is_proxy(wr) == proxy;
}

static void basic_refs(tl_weakref *head, tl_weakref **ref, tl_weakref **proxy)
{
    *ref = *proxy = NULL;
    if (head && is_basic(head, false)) {
        *ref = head;
        head = head->wr_next;
    }
    if (head && is_basic(head, true))
        *proxy = head;
}

static void insert_head(tl_weakref *wr, tl_weakref **list)
{
    wr->wr_prev = NULL;
    wr->wr_next = *list;
    if (*list)
        (*list)->wr_prev = wr;
    *list = wr;
}

static void insert_after(tl_weakref *wr, tl_weakref *prev)
{
    wr->wr_prev = prev;
    wr->wr_next = prev->wr_next;
    if (prev->wr_next)
        prev->wr_next->wr_prev = wr;
    prev->wr_next = wr;
}

static void link_ref(tl_weakref *wr, tl_weakref **list, bool basic)
{
    tl_weakref *ref, *proxy;
    basic_refs(*list, &ref, &proxy);
    tl_weakref *prev = basic && tl_weakref_is_proxy(wr) ? ref
                     : basic ? NULL
                     : proxy ? proxy : ref;
    if (prev)
        insert_after(wr, prev);
    else
        insert_head(wr, list);
}

/* ---- Creation ---------------------------------------------------------- */

static tl_weakref *shared_ref(tl_weakref **list, bool proxy)
{
    tl_weakref *ref, *prx;
    basic_refs(*list, &ref, &prx);
    tl_weakref *wr = proxy ? prx : ref;
    if (wr)
        tl_incref(&wr->ob);
    return wr;
}

static void init_ref(tl_weakref *wr, tl_object *target, const tl_weakref_spec *spec)
{
    wr->target = target;
    wr->callback = spec->callback;
    tl_xincref(spec->callback);
    wr->cfunc = spec->cfunc;
    wr->carg = spec->carg;
    wr->hash = -1;
    wr->flags = spec->flags & (TL_WEAKREF_PROXY | TL_WEAKREF_BASIC_TYPE);
}

tl_weakref *tl_weakref_new_ex(tl_object *target, const tl_weakref_spec *spec)
{
    tl_weakref **list = gc_weaklist_of(target);
    tl_type *type = spec->type ? spec->type : &tl_weakref_type;
    if (!list || !tl_type_is_gc(type) || type->basic_size < sizeof(tl_weakref))
        return NULL;
    bool base = type == &tl_weakref_type || (spec->flags & TL_WEAKREF_BASIC_TYPE);
    bool basic = base && !spec->callback && !spec->cfunc;
    bool proxy = (spec->flags & TL_WEAKREF_PROXY) != 0;
    tl_weakref *wr = basic ? shared_ref(list, proxy) : NULL;
    if (wr)
        return wr;
    tl_heap *h = spec->heap ? spec->heap : tl_object_heap(target);
    if (!h || !register_type(h->gc, type))
        return NULL;
    wr = (tl_weakref *)tl_object_new(h, type);
    if (!wr)
        return NULL;
    /* The allocation may have run a collection that changed the list. */
    tl_weakref *again = basic ? shared_ref(list, proxy) : NULL;
    if (again) {
        tl_decref(&wr->ob);
        return again;
    }
    init_ref(wr, target, spec);
    link_ref(wr, list, basic);
    return wr;
}

tl_weakref *tl_weakref_new(tl_object *target, tl_object *callback)
{
    tl_weakref_spec spec = {.callback = callback};
    tl_heap *h = tl_object_heap(target);
    if (h && h->gc->wr_default_type) {
        spec.type = h->gc->wr_default_type;
        spec.flags = h->gc->wr_default_flags;
    }
    return tl_weakref_new_ex(target, &spec);
}

void tl_weakref_set_default_type(tl_heap *h, tl_type *type, unsigned flags)
{
    h->gc->wr_default_type = type;
    h->gc->wr_default_flags = type ? flags : 0;
}

size_t tl_weakref_count(const tl_object *o)
{
    return tl_weakref_list(o, NULL, 0);
}

size_t tl_weakref_list(const tl_object *o, tl_weakref **out, size_t max)
{
    tl_weakref **list = gc_weaklist_of(o);
    size_t n = 0;
    for (tl_weakref *wr = list ? *list : NULL; wr; wr = wr->wr_next, n++)
        if (n < max)
            out[n] = wr;
    return n;
}

void tl_weakref_set_call_hook(tl_heap *h, tl_weakref_call_hook hook, void *arg)
{
    h->gc->wr_call = hook;
    h->gc->wr_call_arg = arg;
}

/* ---- Calling callbacks -------------------------------------------------- */

typedef struct pending_cb {
    tl_weakref *wr;           /* a new reference */
    tl_object *callback;      /* a reference taken from wr, or NULL */
    tl_weakref_cfunc cfunc;
    void *carg;
} pending_cb;

static void call_one(tl_heap *h, tl_weakref *wr, tl_object *callback, tl_weakref_cfunc cfunc, void *carg)
{
    struct gc_state *st = h->gc;
    if (cfunc)
        cfunc(wr, carg);
    else if (callback && st->wr_call)
        st->wr_call(h, callback, wr, st->wr_call_arg);
}

/* The collector's call: the weak reference keeps its callback. */
void gc_weakref_call(tl_heap *h, tl_weakref *wr)
{
    tl_object *cb = wr->callback;
    tl_xincref(cb);
    call_one(h, wr, cb, wr->cfunc, wr->carg);
    tl_xdecref(cb);
}

/* Takes wr's callback out of it and clears it. A weak reference already
 * dying (count 0, waiting to be freed) gets no call. */
static bool take(tl_weakref *wr, pending_cb *p)
{
    *p = (pending_cb){wr, wr->callback, wr->cfunc, wr->carg};
    wr->callback = NULL;
    wr->cfunc = NULL;
    unlink_ref(wr);
    if (wr->ob.refcount > 0 && (p->callback || p->cfunc)) {
        tl_incref(&wr->ob);
        return true;
    }
    tl_xdecref(p->callback);
    return false;
}

static void run_pending(tl_heap *h, pending_cb *p)
{
    call_one(h, p->wr, p->callback, p->cfunc, p->carg);
    tl_xdecref(p->callback);
    tl_decref(&p->wr->ob);
}

/* Without memory for the batch: clear and call one at a time. */
static void clear_one_by_one(tl_heap *h, tl_weakref **list)
{
    pending_cb p;
    while (*list)
        if (take(*list, &p))
            run_pending(h, &p);
}

/* Refcount death (PyObject_ClearWeakRefs): all references read NULL before
 * the first callback runs; callbacks run in list order, newest first. */
void gc_clear_weakrefs(tl_object *o)
{
    tl_weakref **list = gc_weaklist_of(o);
    if (!list || !*list)
        return;
    tl_heap *h = tl_object_heap(o);
    size_t count = tl_weakref_count(o);
    pending_cb small[8];
    pending_cb *batch = count <= 8 ? small : malloc(count * sizeof *batch);
    if (!batch) {
        clear_one_by_one(h, list);
        return;
    }
    size_t n = 0, seen = 0;
    for (; *list && seen < count; seen++)
        if (take(*list, &batch[n]))
            n++;
    clear_one_by_one(h, list);       /* nothing left, unless a callback's
                                        release added references */
    for (size_t i = 0; i < n; i++)
        run_pending(h, &batch[i]);
    if (batch != small)
        free(batch);
}
