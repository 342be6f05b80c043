/* type.c — type objects: `object`, `type`, classes, MRO and attribute lookup.
 *
 * Static built-in types are readied once (py_type_ready): their C methods and
 * getsets become descriptors in their dict, missing slots are inherited from
 * the base, and their MRO is computed. Classes made by `class` statements
 * are heap types: a py_type allocated from the heap (a GC object that refers
 * to its bases, MRO and dict), whose instances carry a py_inst part after the
 * layout of their solid base (instance.c). A class that defines a dunder gets
 * the matching slot pointed at a dispatcher that looks the dunder up on the
 * type and calls it; other slots are inherited.
 *
 * Lookups along the MRO go through a direct-mapped cache keyed by (type,
 * name), valid while py_type_global_version is unchanged: any change to a
 * class's dict bumps it.
 */
#include "py.h"
#include "lang_int.h"
#include "code.h"

uint32_t py_type_global_version = 1;

/* ---- MRO lookup with a cache ---------------------------------------------- */

#define MCACHE_SIZE 4096
static struct mcache_entry {
    py_type *type;
    py_obj *name;
    py_obj *value;       /* borrowed: owned by a type dict that the version pins */
    uint32_t version;
} mcache[MCACHE_SIZE];

static py_obj *lookup_uncached(py_type *t, py_obj *name)
{
    py_obj *mro = t->mro;
    if (!mro)
        return t->dict ? py_dict_get(t->dict, name) : NULL;
    for (intptr_t i = 0; i < py_tuple_size(mro); i++) {
        py_type *b = (py_type *)py_tuple_items(mro)[i];
        if (!b->dict)
            continue;
        py_obj *v = py_dict_get(b->dict, name);
        if (v)
            return v;
    }
    return NULL;
}

py_obj *py_type_lookup(py_type *t, py_obj *name)
{
    if (!name)
        return NULL;     /* the name could not be made (out of memory): not found */
    uintptr_t h = ((uintptr_t)t >> 4) ^ ((uintptr_t)name >> 4) * 31;
    struct mcache_entry *e = &mcache[h % MCACHE_SIZE];
    if (e->type == t && e->name == name && e->version == py_type_global_version)
        return e->value;
    /* A lookup raises nothing of its own (a str key compares without
     * calling out); an error already pending, such as a MemoryError on its
     * way up, must survive it. */
    py_obj *pending = py_err_fetch();
    py_obj *v = lookup_uncached(t, name);
    if (py_err_occurred())
        py_err_clear();
    if (pending)
        py_err_set_exc_raw(pending);
    if (py_str_check(name) && py_type_of(name) == &py_str_type) {
        e->type = t;
        e->name = name;
        e->value = v;
        e->version = py_type_global_version;
    }
    return v;
}

static void type_modified(void)
{
    if (++py_type_global_version == 0)
        py_type_global_version = 1;
}

bool py_type_is_subtype(const py_type *a, const py_type *b)
{
    if (a == b)
        return true;
    if (a->mro) {
        for (intptr_t i = 0; i < py_tuple_size(a->mro); i++)
            if (py_tuple_items(a->mro)[i] == &b->tl.ob)
                return true;
        return false;
    }
    for (; a; a = a->base)
        if (a == b)
            return true;
    return b == &py_object_type;
}

/* ---- C3 linearization ------------------------------------------------------- */

static bool in_tail(py_obj *x, py_obj **seqs, intptr_t *heads, intptr_t nseqs)
{
    for (intptr_t j = 0; j < nseqs; j++)
        for (intptr_t k = heads[j] + 1; k < py_list_size(seqs[j]); k++)
            if (py_list_items(seqs[j])[k] == x)
                return true;
    return false;
}

/* CPython lists the bases still in conflict by name. */
static py_obj *mro_error(py_obj **seqs, intptr_t nseqs, intptr_t *heads)
{
    py_obj *names = py_list_new(0);
    for (intptr_t i = 0; names && i < nseqs; i++) {
        if (heads[i] >= py_list_size(seqs[i]))
            continue;
        py_obj *b = py_list_items(seqs[i])[heads[i]];
        bool seen = false;
        for (intptr_t j = 0; j < py_list_size(names); j++)
            seen |= py_str_equal(py_list_items(names)[j], ((py_type *)b)->name);
        if (!seen && py_list_append(names, ((py_type *)b)->name) < 0)
            TL_CLEAR(names);
    }
    py_obj *sep = names ? py_str_from_cstr(", ") : NULL;
    py_obj *joined = sep ? py_str_join(sep, names) : NULL;
    if (joined)
        py_err_format(py_exc_TypeError, "Cannot create a consistent method resolution\norder (MRO) for bases %U",
                      joined);
    tl_xdecref(joined);
    tl_xdecref(sep);
    tl_xdecref(names);
    return NULL;
}

/* merge(L[B1], ..., L[Bn], [B1..Bn]) */
static py_obj *c3_merge(py_obj *result, py_obj **seqs, intptr_t nseqs, py_obj *bases)
{
    intptr_t heads[nseqs > 0 ? nseqs : 1];
    memset(heads, 0, sizeof heads);
    for (;;) {
        py_obj *cand = NULL;
        bool any = false;
        for (intptr_t i = 0; i < nseqs; i++) {
            if (heads[i] >= py_list_size(seqs[i]))
                continue;
            any = true;
            py_obj *x = py_list_items(seqs[i])[heads[i]];
            if (!in_tail(x, seqs, heads, nseqs)) {
                cand = x;
                break;
            }
        }
        if (!any)
            return result;
        if (!cand)
            return mro_error(seqs, nseqs, heads);
        if (py_list_append(result, cand) < 0)
            return NULL;
        for (intptr_t i = 0; i < nseqs; i++)
            if (heads[i] < py_list_size(seqs[i]) && py_list_items(seqs[i])[heads[i]] == cand)
                heads[i]++;
    }
}

static py_obj *compute_mro(py_type *t)
{
    py_obj *bases = t->bases;
    intptr_t n = py_tuple_size(bases);
    py_obj *result = py_list_new(0);
    py_obj **seqs = tl_heap_calloc(vm.heap, sizeof(py_obj *) * (size_t)(n + 1));
    py_obj *ret = NULL;
    if (!result || !seqs || py_list_append(result, &t->tl.ob) < 0)
        goto done;
    for (intptr_t i = 0; i < n; i++) {
        py_type *b = (py_type *)py_tuple_items(bases)[i];
        if (!(seqs[i] = py_sequence_to_list(b->mro)))
            goto done;
    }
    if (!(seqs[n] = py_sequence_to_list(bases)))
        goto done;
    if (c3_merge(result, seqs, n + 1, bases))
        ret = py_sequence_to_tuple(result);
done:
    if (seqs) {
        for (intptr_t i = 0; i <= n; i++)
            tl_xdecref(seqs[i]);
        tl_heap_free(seqs);
    }
    tl_xdecref(result);
    if (!ret && !py_err_occurred())
        py_err_no_memory();
    return ret;
}

/* ---- readying static types ---------------------------------------------------- */

#define INHERIT(f) do { if (!t->f) t->f = b->f; } while (0)

static void inherit_slots(py_type *t, py_type *b)
{
    INHERIT(repr); INHERIT(str); INHERIT(richcompare); INHERIT(getattr); INHERIT(setattr);
    INHERIT(call); INHERIT(iter); INHERIT(iternext); INHERIT(descr_get); INHERIT(descr_set);
    INHERIT(nb_power3); INHERIT(nb_negative); INHERIT(nb_positive); INHERIT(nb_invert);
    INHERIT(nb_absolute); INHERIT(nb_int); INHERIT(nb_float); INHERIT(nb_index); INHERIT(nb_bool);
    INHERIT(len); INHERIT(getitem); INHERIT(setitem); INHERIT(contains); INHERIT(item);
    INHERIT(tp_new); INHERIT(tp_init);
    /* A type that defines equality without hash is unhashable (CPython's rule). */
    if (!t->hash && !(t->richcompare != b->richcompare && t->richcompare))
        t->hash = b->hash;
    for (int i = 0; i < PY_NB_COUNT; i++) {
        INHERIT(nb[i]);
        INHERIT(nb_inplace[i]);
    }
    t->pyflags |= b->pyflags & (PY_TPFLAGS_INT_SUBCLASS | PY_TPFLAGS_LIST_SUBCLASS |
                                PY_TPFLAGS_TUPLE_SUBCLASS | PY_TPFLAGS_STR_SUBCLASS |
                                PY_TPFLAGS_DICT_SUBCLASS | PY_TPFLAGS_EXC_SUBCLASS |
                                PY_TPFLAGS_TYPE_SUBCLASS | PY_TPFLAGS_INSTANCE);
    if (!t->tl.weaklist_offset)
        t->tl.weaklist_offset = b->tl.weaklist_offset;
}

extern py_type py_getsetdescr_type;
typedef struct py_getsetdescr {
    tl_object ob;
    py_type *owner;
    const py_getset_def *def;
} py_getsetdescr;

static int add_descriptors(py_type *t)
{
    for (const py_method_def *m = t->methods; m && m->name; m++) {
        py_obj *d = py_methoddescr_new(t, m);
        if (!d || py_dict_set(t->dict, py_str_interned(m->name), d) < 0)
            return -1;
        tl_decref(d);
    }
    for (const py_getset_def *g = t->getsets; g && g->name; g++) {
        py_getsetdescr *d = (py_getsetdescr *)tl_object_new(vm.heap, &py_getsetdescr_type.tl);
        if (!d)
            return py_err_no_memory(), -1;
        d->owner = t;
        d->def = g;
        int r = py_dict_set(t->dict, py_str_interned(g->name), &d->ob);
        tl_decref(&d->ob);
        if (r < 0)
            return -1;
    }
    return 0;
}

int py_type_ready(py_type *t)
{
    if (t->mro)
        return 0;
    py_type_register_static(t);
    if (!t->base && t != &py_object_type)
        t->base = &py_object_type;
    if (t->base && !t->base->mro && py_type_ready(t->base) < 0)
        return -1;
    const char *dot = strrchr(t->tl.name, '.');
    if (!(t->name = py_str_interned(dot ? dot + 1 : t->tl.name)))
        return -1;
    tl_incref(t->name);
    t->qualname = py_newref(t->name);
    if (!(t->dict = py_dict_new()))
        return -1;
    t->bases = t->base ? py_tuple_pack(1, &t->base->tl.ob) : py_newref(py_empty_tuple);
    if (!t->bases)
        return -1;
    if (t->base)
        inherit_slots(t, t->base);
    if (!(t->mro = compute_mro(t)))
        return -1;
    if (add_descriptors(t) < 0 || py_add_slot_wrappers(t) < 0)
        return -1;
    if (t->doc) {
        py_obj *d = py_str_from_cstr(t->doc);
        if (!d || py_dict_set_str(t->dict, "__doc__", d) < 0)
            return -1;
        tl_decref(d);
    }
    return 0;
}

/* ---- descriptors: getset ---------------------------------------------------------- */

static py_obj *getset_get(py_obj *descr, py_obj *obj, py_obj *type)
{
    py_getsetdescr *d = (py_getsetdescr *)descr;
    if (!obj)
        return py_newref(descr);
    if (!py_isinstance_of(obj, d->owner)) {
        py_err_format(py_exc_TypeError, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                      d->def->name, py_type_name(d->owner), py_type_name(py_type_of(obj)));
        return NULL;
    }
    return d->def->get(obj);
}

static int getset_set(py_obj *descr, py_obj *obj, py_obj *value)
{
    py_getsetdescr *d = (py_getsetdescr *)descr;
    if (!d->def->set) {
        py_err_format(py_exc_AttributeError, "attribute '%s' of '%s' objects is not writable",
                      d->def->name, py_type_name(d->owner));
        return -1;
    }
    return d->def->set(obj, value);
}

static py_obj *getset_repr(py_obj *descr)
{
    py_getsetdescr *d = (py_getsetdescr *)descr;
    return py_str_from_format("<attribute '%s' of '%s' objects>", d->def->name, py_type_name(d->owner));
}

py_type py_getsetdescr_type = {
    PY_TYPE_HEAD("getset_descriptor", sizeof(py_getsetdescr), 0, 0),
    .descr_get = getset_get,
    .descr_set = getset_set,
    .repr = getset_repr,
};

/* ---- binding helpers --------------------------------------------------------------- */

py_obj *py_descr_bind(py_obj *descr, py_obj *obj)
{
    py_type *dt = py_type_of(descr);
    if (dt->descr_get)
        return dt->descr_get(descr, obj, &py_type_of(obj)->tl.ob);
    return py_newref(descr);
}

py_obj *py_call_with_self(py_obj *func, py_obj *self, py_obj *const *args, size_t nargs,
                          py_obj *kwnames)
{
    size_t total = nargs + 1 + (kwnames ? (size_t)py_tuple_size(kwnames) : 0);
    py_obj *small[8], **vec = small;
    if (total > 8 && !(vec = tl_heap_alloc(vm.heap, total * sizeof *vec)))
        return py_err_no_memory(), NULL;
    vec[0] = self;
    for (size_t i = 1; i < total; i++)
        vec[i] = args[i - 1];
    py_obj *r = py_call(func, vec, nargs + 1, kwnames);
    if (vec != small)
        tl_heap_free(vec);
    return r;
}

py_obj *py_lookup_special(py_obj *self, const char *name)
{
    py_obj *key = py_str_interned(name);
    if (!key)
        return NULL;             /* MemoryError is set */
    py_obj *d = py_type_lookup(py_type_of(self), key);
    if (!d)
        return NULL;
    return py_descr_bind(d, self);
}

/* Calls the dunder `name` found on type(self) with self first. NULL and no
 * exception if the type has no such attribute (and *found = false). */
static py_obj *call_dunder(py_obj *self, const char *name, py_obj *const *args, size_t nargs,
                           bool *found)
{
    py_obj *key = py_str_interned(name);
    if (!key) {
        if (found)
            *found = true;       /* report the MemoryError, not a missing method */
        return NULL;
    }
    py_obj *d = py_type_lookup(py_type_of(self), key);
    if (found)
        *found = d != NULL;
    if (!d) {
        if (!found)
            py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%s'",
                          py_type_name(py_type_of(self)), name);
        return NULL;
    }
    tl_incref(d);
    py_obj *r;
    if (py_isinstance_exact(d, &py_function_type) || py_isinstance_exact(d, &py_methoddescr_type)) {
        r = py_call_with_self(d, self, args, nargs, NULL);
    } else {
        py_obj *b = py_descr_bind(d, self);
        r = b ? py_call(b, args, nargs, NULL) : NULL;
        tl_xdecref(b);
    }
    tl_decref(d);
    return r;
}

/* ---- the `object` type ----------------------------------------------------------------- */

static py_obj *object_repr(py_obj *self)
{
    py_type *t = py_type_of(self);
    if (t->module && py_str_check(t->module) && !py_str_equal_cstr(t->module, "builtins"))
        return py_str_from_format("<%U.%U object at %p>", t->module, t->qualname, (void *)self);
    return py_str_from_format("<%s object at %p>", py_type_name(t), (void *)self);
}

static intptr_t object_hash(py_obj *self) { return py_hash_pointer(self); }

static py_obj *object_richcompare(py_obj *a, py_obj *b, int op)
{
    if (op == PY_EQ)
        return py_newref(a == b ? py_True : py_NotImplemented);
    if (op == PY_NE) {
        /* object.__ne__ inverts __eq__ unless that is NotImplemented. */
        py_type *t = py_type_of(a);
        if (!t->richcompare || t->richcompare == object_richcompare)
            return py_newref(a == b ? py_False : py_NotImplemented);
        py_obj *r = t->richcompare(a, b, PY_EQ);
        if (!r || r == py_NotImplemented)
            return r;
        int v = py_truthy(r);
        tl_decref(r);
        return v < 0 ? NULL : py_bool(!v);
    }
    return py_newref(py_NotImplemented);
}

static bool excess_args(py_type *t, size_t nargs, py_obj *kwnames)
{
    return nargs || (kwnames && py_tuple_size(kwnames));
}

static py_obj *object_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (excess_args(t, nargs, kwnames)) {
        bool new_overridden = t->tp_new != object_new;
        bool init_overridden = t->tp_init && t->tp_init != py_object_type.tp_init;
        if (new_overridden || !init_overridden) {
            py_err_format(py_exc_TypeError, "%s() takes no arguments", py_type_name(t));
            return NULL;
        }
    }
    if (t->pyflags & PY_TPFLAGS_INSTANCE)
        return py_instance_alloc(t);
    py_obj *o = tl_object_new(vm.heap, &t->tl);
    if (!o)
        py_err_no_memory();
    return o;
}

static int object_init(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_type *t = py_type_of(self);
    if (excess_args(t, nargs, kwnames)) {
        if (t->tp_init != object_init) {
            py_err_format(py_exc_TypeError, "object.__init__() takes exactly one argument (the instance to initialize)");
            return -1;
        }
        if (t->tp_new == object_new) {
            py_err_format(py_exc_TypeError, "%s() takes no arguments", py_type_name(t));
            return -1;
        }
    }
    return 0;
}

static py_obj *object_m_repr(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return object_repr(a[0]); }
static py_obj *object_m_str(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return py_repr(a[0]); }
static py_obj *object_m_hash(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_int_from_long(object_hash(a[0]));
}
static py_obj *object_m_eq(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 2)
        return py_err_format(py_exc_TypeError, "expected 1 argument, got %zd", (intptr_t)n - 1), NULL;
    return object_richcompare(a[0], a[1], PY_EQ);
}
static py_obj *object_m_ne(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 2)
        return py_err_format(py_exc_TypeError, "expected 1 argument, got %zd", (intptr_t)n - 1), NULL;
    return object_richcompare(a[0], a[1], PY_NE);
}
static py_obj *object_m_init(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (object_init(a[0], a + 1, n - 1, k) < 0)
        return NULL;
    py_RETURN_NONE;
}
static py_obj *slot_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames);

/* owner.__new__(sub) must build sub's layout: the nearest class of sub not
 * defining __new__ in Python must construct as owner does (CPython's check,
 * which keeps object.__new__ from making a str-derived instance with no text). */
int py_type_check_new_safe(py_type *owner, py_type *sub)
{
    py_type *sb = sub;
    while (sb && sb->tp_new == slot_new)
        sb = sb->base;
    if (sb && sb->tp_new != owner->tp_new) {
        py_err_format(py_exc_TypeError, "%s.__new__(%s) is not safe, use %s.__new__()", py_type_name(owner),
                      py_type_name(sub), py_type_name(sb));
        return -1;
    }
    return 0;
}

static py_obj *object_m_new(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n < 1 || !py_isinstance_of(a[0], &py_type_type))
        return py_err_format(py_exc_TypeError, "object.__new__(X): X is not a type object"), NULL;
    py_type *t = (py_type *)a[0];
    if (py_type_check_new_safe(&py_object_type, t) < 0)
        return NULL;
    if (t->pyflags & PY_TPFLAGS_INSTANCE)
        return py_instance_alloc(t);
    return object_new(t, NULL, 0, NULL);
}
static py_obj *object_m_getattribute(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 2 || !py_str_check(a[1]))
        return py_err_format(py_exc_TypeError, "attribute name must be string"), NULL;
    return py_generic_getattr(a[0], a[1]);
}
static py_obj *object_m_setattr(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 3 || !py_str_check(a[1]))
        return py_err_format(py_exc_TypeError, "attribute name must be string"), NULL;
    if (py_generic_setattr(a[0], a[1], a[2]) < 0)
        return NULL;
    py_RETURN_NONE;
}
static py_obj *object_m_delattr(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 2 || !py_str_check(a[1]))
        return py_err_format(py_exc_TypeError, "attribute name must be string"), NULL;
    if (py_generic_setattr(a[0], a[1], NULL) < 0)
        return NULL;
    py_RETURN_NONE;
}
static py_obj *object_m_format(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 2 || !py_str_check(a[1]))
        return py_err_format(py_exc_TypeError, "format expects arg 2 to be string"), NULL;
    if (py_str_len(a[1]) > 0) {
        py_err_format(py_exc_TypeError, "unsupported format string passed to %s.__format__",
                      py_type_name(py_type_of(a[0])));
        return NULL;
    }
    return py_str(a[0]);
}
/* The object's own bytes (what __sizeof__ reports): without the collector
 * header and the pre-header in front of it. */
size_t py_object_own_size(py_obj *o)
{
    tl_type *t = o->type;
    return tl_object_sizeof(o) - t->pre_size - (tl_type_is_gc(t) ? TL_GC_HEAD_SIZE : 0);
}

static py_obj *object_m_sizeof(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *o = a[0];
    return py_int_from_size(py_object_own_size(o));
}
/* A class method (see py_types_init): the end of every __init_subclass__
   chain, which must have consumed all the class keywords. */
static py_obj *object_m_init_subclass(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    const char *name = n && py_isinstance_of(a[0], &py_type_type) ? py_type_name((py_type *)a[0]) : "object";
    if (k && py_tuple_size(k)) {
        py_err_format(py_exc_TypeError, "%s.__init_subclass__() takes no keyword arguments", name);
        return NULL;
    }
    if (n > 1) {
        py_err_format(py_exc_TypeError, "%s.__init_subclass__() takes no arguments (%zd given)", name,
                      (intptr_t)n - 1);
        return NULL;
    }
    py_RETURN_NONE;
}
static py_obj *object_m_dir(py_obj *c, py_obj *const *a, size_t n, py_obj *k);

static py_obj *object_get_class(py_obj *self) { return py_newref(&py_type_of(self)->tl.ob); }

static py_obj *object_get_dict(py_obj *self)
{
    if (!py_type_has(self, PY_TPFLAGS_INSTANCE) || py_type_slots_restrict(py_type_of(self), NULL))
        return py_attribute_error(self, py_str_interned("__dict__"));
    return py_instance_dict(self);
}

static const py_method_def object_methods[] = {
    {"__repr__", object_m_repr, NULL},
    {"__str__", object_m_str, NULL},
    {"__hash__", object_m_hash, NULL},
    {"__eq__", object_m_eq, NULL},
    {"__ne__", object_m_ne, NULL},
    {"__init__", object_m_init, NULL},
    {"__new__", object_m_new, NULL},
    {"__getattribute__", object_m_getattribute, NULL},
    {"__setattr__", object_m_setattr, NULL},
    {"__delattr__", object_m_delattr, NULL},
    {"__format__", object_m_format, NULL},
    {"__sizeof__", object_m_sizeof, NULL},
    {"__init_subclass__", object_m_init_subclass, NULL},
    {"__dir__", object_m_dir, NULL},
    {NULL, NULL, NULL},
};

static const py_getset_def object_getsets[] = {
    {"__class__", object_get_class, NULL},
    {"__dict__", object_get_dict, NULL},
    {NULL, NULL, NULL},
};

py_type py_object_type = {
    PY_TYPE_HEAD("object", sizeof(tl_object), 0, 0),
    .pyflags = PY_TPFLAGS_BASETYPE,
    .repr = object_repr,
    .hash = object_hash,
    .richcompare = object_richcompare,
    .getattr = py_generic_getattr,
    .setattr = py_generic_setattr,
    .tp_new = object_new,
    .tp_init = object_init,
    .methods = object_methods,
    .getsets = object_getsets,
    .doc = "The base class of the class hierarchy.",
};

/* dir(obj): instance attributes, then the class's and its bases'. */
static int dir_add_dict(py_obj *names, py_obj *d)
{
    intptr_t pos = 0;
    py_obj *k, *v;
    while (py_dict_next(d, &pos, &k, &v))
        if (py_set_add(names, k) < 0)
            return -1;
    return 0;
}

static int dir_add_type(py_obj *names, py_type *t)
{
    for (intptr_t i = 0; i < py_tuple_size(t->mro); i++) {
        py_type *b = (py_type *)py_tuple_items(t->mro)[i];
        if (b->dict && dir_add_dict(names, b->dict) < 0)
            return -1;
    }
    return 0;
}

static py_obj *sorted_list(py_obj *set)
{
    py_obj *l = py_sequence_to_list(set);
    if (l && py_list_sort(l, NULL, false) < 0)
        TL_CLEAR(l);
    return l;
}

static py_obj *object_m_dir(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *self = a[0], *names = py_set_new(NULL);
    if (!names)
        return NULL;
    if (py_isinstance_of(self, &py_type_type)) {
        if (dir_add_type(names, (py_type *)self) < 0)
            goto fail;
    } else {
        if (py_type_has(self, PY_TPFLAGS_INSTANCE)) {
            py_obj *d = py_instance_dict(self);
            int r = d ? dir_add_dict(names, d) : -1;
            tl_xdecref(d);
            if (r < 0)
                goto fail;
        } else if (py_isinstance_of(self, &py_module_type)) {
            if (dir_add_dict(names, py_module_dict(self)) < 0)
                goto fail;
            py_obj *l = sorted_list(names);
            tl_decref(names);
            return l;
        }
        if (dir_add_type(names, py_type_of(self)) < 0)
            goto fail;
    }
    py_obj *l = sorted_list(names);
    tl_decref(names);
    return l;
fail:
    tl_decref(names);
    return NULL;
}

/* ---- the `type` type ------------------------------------------------------------------------ */

static py_obj *type_repr(py_obj *self)
{
    py_type *t = (py_type *)self;
    if (t->module && py_str_check(t->module) && !py_str_equal_cstr(t->module, "builtins"))
        return py_str_from_format("<class '%U.%U'>", t->module, t->qualname);
    return py_str_from_format("<class '%s'>", py_type_name(t));
}

/* {name: value} from a call's keyword part. */
py_obj *py_kwargs_dict(py_obj *const *values, py_obj *kwnames)
{
    py_obj *d = py_dict_new();
    for (intptr_t i = 0; d && kwnames && i < py_tuple_size(kwnames); i++)
        if (py_dict_set(d, py_tuple_items(kwnames)[i], values[i]) < 0)
            TL_CLEAR(d);
    return d;
}

/* type(x) and type(name, bases, ns, **kw): the keywords go on to
   __init_subclass__. */
static py_obj *type_new(py_type *meta, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    bool kw = kwnames && py_tuple_size(kwnames);
    if (nargs == 1 && !kw && meta == &py_type_type)
        return py_newref(&py_type_of(args[0])->tl.ob);
    if (nargs != 3) {
        py_err_format(py_exc_TypeError, "type() takes 1 or 3 arguments");
        return NULL;
    }
    if (!py_str_check(args[0]) || !py_isinstance_of(args[1], &py_tuple_type) ||
        !py_dict_check(args[2])) {
        py_err_format(py_exc_TypeError, "type.__new__() argument types must be str, tuple, dict");
        return NULL;
    }
    py_obj *kwargs = NULL;
    if (kw && !(kwargs = py_kwargs_dict(args + nargs, kwnames)))
        return NULL;
    py_obj *r = py_type_new_heap_kw(meta, args[0], args[1], args[2], kwargs);
    tl_xdecref(kwargs);
    return r;
}

/* type.__init__(cls, name, bases, ns, **kw): the work is done by __new__;
   the keywords were __init_subclass__'s. */
static int type_init(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (nargs == 1 && kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "type.__init__() takes no keyword arguments");
        return -1;
    }
    if (nargs != 1 && nargs != 3) {
        py_err_format(py_exc_TypeError, "type.__init__() takes 1 or 3 arguments");
        return -1;
    }
    return 0;
}

static py_obj *type_call(py_obj *callable, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_type *t = (py_type *)callable;
    if (t == &py_type_type && nargs == 1 && !(kwnames && py_tuple_size(kwnames)))
        return py_newref(&py_type_of(args[0])->tl.ob);
    if (!t->tp_new) {
        py_err_format(py_exc_TypeError, "cannot create '%s' instances", py_type_name(t));
        return NULL;
    }
    bool heap = (t->pyflags & PY_TPFLAGS_HEAPTYPE) != 0;
    if (heap)
        py_class_call_refs(args, nargs, kwnames, +1);
    py_obj *o = t->tp_new(t, args, nargs, kwnames);
    if (o && py_isinstance_of(o, t) && py_type_of(o)->tp_init &&
        py_type_of(o)->tp_init(o, args, nargs, kwnames) < 0)
        TL_CLEAR(o);
    if (heap)
        py_class_call_refs(args, nargs, kwnames, -1);
    return o;
}

static py_obj *type_getattro(py_obj *self, py_obj *name)
{
    py_type *t = (py_type *)self, *meta = py_type_of(self);
    py_obj *meta_attr = py_type_lookup(meta, name);
    if (meta_attr && py_type_of(meta_attr)->descr_set && py_type_of(meta_attr)->descr_get)
        return py_type_of(meta_attr)->descr_get(meta_attr, self, &meta->tl.ob);
    py_obj *attr = py_type_lookup(t, name);
    if (attr) {
        py_type *at = py_type_of(attr);
        if (at->descr_get)
            return at->descr_get(attr, NULL, self);
        return py_newref(attr);
    }
    if (meta_attr) {
        if (py_type_of(meta_attr)->descr_get)
            return py_type_of(meta_attr)->descr_get(meta_attr, self, &meta->tl.ob);
        return py_newref(meta_attr);
    }
    py_err_format(py_exc_AttributeError, "type object '%s' has no attribute '%U'",
                  py_type_name(t), name);
    py_exc_set_name_obj(name, self);
    return NULL;
}

static void update_slot(py_type *t, py_obj *name);

static int type_setattro(py_obj *self, py_obj *name, py_obj *value)
{
    py_type *t = (py_type *)self;
    if (!(t->pyflags & PY_TPFLAGS_HEAPTYPE)) {
        py_err_format(py_exc_TypeError,
                      "cannot set '%U' attribute of immutable type '%s'", name, py_type_name(t));
        return -1;
    }
    py_obj *meta_attr = py_type_lookup(py_type_of(self), name);
    if (meta_attr && py_type_of(meta_attr)->descr_set)
        return py_type_of(meta_attr)->descr_set(meta_attr, self, value);
    type_modified();
    int r;
    if (value) {
        r = py_dict_set(t->dict, name, value);
    } else {
        r = py_dict_del(t->dict, name);
        if (r < 0 && py_err_matches(py_exc_KeyError)) {
            py_err_clear();
            py_err_format(py_exc_AttributeError, "type object '%s' has no attribute '%U'",
                          py_type_name(t), name);
        }
    }
    type_modified();
    if (r == 0 && py_str_len(name) > 4 && py_str_utf8(name)[0] == '_' && py_str_utf8(name)[1] == '_')
        update_slot(t, name);
    return r;
}

static py_obj *type_get_name(py_obj *s) { return py_newref(((py_type *)s)->name); }
static py_obj *type_get_qualname(py_obj *s) { return py_newref(((py_type *)s)->qualname); }
static py_obj *type_get_mro(py_obj *s) { return py_newref(((py_type *)s)->mro); }
static py_obj *type_get_bases(py_obj *s) { return py_newref(((py_type *)s)->bases); }
static py_obj *type_get_base(py_obj *s)
{
    py_type *b = ((py_type *)s)->base;
    return py_newref(b ? &b->tl.ob : py_None);
}
static py_obj *type_get_dict(py_obj *s) { return py_mappingproxy_new(((py_type *)s)->dict); }
static py_obj *type_get_module(py_obj *s)
{
    py_type *t = (py_type *)s;
    if (t->module)
        return py_newref(t->module);
    return py_str_from_cstr("builtins");
}
static int type_set_name(py_obj *s, py_obj *v)
{
    if (!v || !py_str_check(v))
        return py_err_format(py_exc_TypeError, "can only assign string to %s.__name__",
                             py_type_name((py_type *)s)), -1;
    tl_setref(&((py_type *)s)->name, py_newref(v));
    return 0;
}
static int type_set_qualname(py_obj *s, py_obj *v)
{
    if (!v || !py_str_check(v))
        return py_err_format(py_exc_TypeError, "can only assign string to __qualname__"), -1;
    tl_setref(&((py_type *)s)->qualname, py_newref(v));
    return 0;
}
static py_obj *type_get_doc(py_obj *s)
{
    py_obj *d = py_dict_get_str(((py_type *)s)->dict, "__doc__");
    return py_newref(d ? d : py_None);
}

static py_obj *type_m_mro(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_sequence_to_list(((py_type *)a[0])->mro);
}

static py_obj *type_m_subclasscheck(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 2 || !py_isinstance_of(a[1], &py_type_type))
        return py_err_format(py_exc_TypeError, "issubclass() arg 1 must be a class"), NULL;
    return py_bool(py_type_is_subtype((py_type *)a[1], (py_type *)a[0]));
}

static py_obj *type_m_instancecheck(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 2)
        return py_err_format(py_exc_TypeError, "__instancecheck__ expects 1 argument"), NULL;
    return py_bool(py_isinstance_of(a[1], (py_type *)a[0]));
}

/* Direct subclasses still alive, in creation order. */
static py_obj *type_m_subclasses(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_type *t = (py_type *)a[0];
    py_obj *out = py_list_new(0);
    for (intptr_t i = 0; out && t->subclasses && i < py_list_size(t->subclasses); i++) {
        tl_object *sub = tl_weakref_get((tl_weakref *)py_list_items(t->subclasses)[i]);
        if (sub && py_list_append(out, sub) < 0)
            TL_CLEAR(out);
    }
    return out;
}

/* Records t in each base's list of subclasses (weakly), dropping dead entries. */
static int add_subclass(py_type *t)
{
    for (intptr_t i = 0; i < py_tuple_size(t->bases); i++) {
        py_type *b = (py_type *)py_tuple_items(t->bases)[i];
        if (!b->subclasses && !(b->subclasses = py_list_new(0)))
            return -1;
        py_obj *wr = (py_obj *)tl_weakref_new(&t->tl.ob, NULL);
        if (!wr)
            return py_err_no_memory(), -1;
        int r = py_list_append(b->subclasses, wr);
        tl_decref(wr);
        if (r < 0)
            return -1;
    }
    return 0;
}

static const py_method_def type_methods[] = {
    {"mro", type_m_mro, NULL},
    {"__subclasses__", type_m_subclasses, NULL},
    {"__subclasscheck__", type_m_subclasscheck, NULL},
    {"__instancecheck__", type_m_instancecheck, NULL},
    {NULL, NULL, NULL},
};

static const py_getset_def type_getsets[] = {
    {"__name__", type_get_name, type_set_name},
    {"__qualname__", type_get_qualname, type_set_qualname},
    {"__mro__", type_get_mro, NULL},
    {"__bases__", type_get_bases, NULL},
    {"__base__", type_get_base, NULL},
    {"__dict__", type_get_dict, NULL},
    {"__module__", type_get_module, NULL},
    {"__doc__", type_get_doc, NULL},
    {NULL, NULL, NULL},
};

static int type_traverse(tl_object *o, tl_visit_fn visit, void *arg);
static void type_clear(tl_object *o);
static void type_dealloc(tl_object *o);

py_type py_type_type = {
    PY_TYPE_HEAD("type", sizeof(py_type), 0, TL_TYPE_GC, .dealloc = type_dealloc,
                 .traverse = type_traverse, .clear = type_clear,
                 .weaklist_offset = offsetof(py_type, weaklist)),
    .pyflags = PY_TPFLAGS_BASETYPE | PY_TPFLAGS_TYPE_SUBCLASS,
    .repr = type_repr,
    .getattr = type_getattro,
    .setattr = type_setattro,
    .call = type_call,
    .tp_new = type_new,
    .tp_init = type_init,
    .methods = type_methods,
    .getsets = type_getsets,
};

py_obj *py_type_class_getitem(py_obj *type, py_obj *key)
{
    py_err_format(py_exc_TypeError, "type '%s' is not subscriptable", py_type_name((py_type *)type));
    return NULL;
}

/* ---- heap types: lifetime ------------------------------------------------------------- */

static int type_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_type *t = (py_type *)o;
    py_obj *refs[] = {t->bases, t->mro, t->dict, t->name, t->qualname, t->module,
                      t->base ? &t->base->tl.ob : NULL, t->subclasses};
    return py_visit_refs(refs, sizeof refs / sizeof *refs, visit, arg);
}

static void type_clear(tl_object *o)
{
    py_type *t = (py_type *)o;
    type_modified();
    TL_CLEAR(t->mro);
    TL_CLEAR(t->dict);
    TL_CLEAR(t->bases);
}

static void type_dealloc(tl_object *o)
{
    py_type *t = (py_type *)o;
    tl_gc_untrack(o);
    if (t->weaklist)
        py_weakref_clear_all(o);
    type_modified();
    TL_CLEAR(t->mro);
    TL_CLEAR(t->dict);
    TL_CLEAR(t->bases);
    TL_CLEAR(t->name);
    TL_CLEAR(t->qualname);
    TL_CLEAR(t->module);
    TL_CLEAR(t->slots);
    TL_CLEAR(t->subclasses);
    py_type *base = t->base;
    t->base = NULL;
    py_shape_free_tree(t->root_shape);
    t->root_shape = NULL;
    tl_object_free(o);
    if (base)
        tl_decref(&base->tl.ob);
}

/* ---- heap types: slot dispatchers ---------------------------------------------------- */

static py_obj *slot_repr(py_obj *self) { return call_dunder(self, "__repr__", NULL, 0, NULL); }
static py_obj *slot_str(py_obj *self) { return call_dunder(self, "__str__", NULL, 0, NULL); }

static intptr_t slot_hash(py_obj *self)
{
    py_obj *d = py_type_lookup(py_type_of(self), py_str_interned("__hash__"));
    if (d == py_None) {
        py_err_format(py_exc_TypeError, "unhashable type: '%s'", py_type_name(py_type_of(self)));
        return -1;
    }
    py_obj *r = call_dunder(self, "__hash__", NULL, 0, NULL);
    if (!r)
        return -1;
    if (!py_int_check(r)) {
        py_err_format(py_exc_TypeError, "__hash__ method should return an integer");
        tl_decref(r);
        return -1;
    }
    int overflow;
    long long v = py_int_as_long(r, &overflow);
    if (overflow) {
        /* Reduce a big hash like CPython does: hash(the int). */
        py_obj *h = py_int_hash_obj(r);
        v = h ? py_int_as_long(h, &overflow) : -1;
        tl_xdecref(h);
    }
    tl_decref(r);
    return v == -1 ? -2 : (intptr_t)v;
}

static const char *const cmp_dunder[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};

static py_obj *slot_richcompare(py_obj *self, py_obj *other, int op)
{
    bool found;
    py_obj *r = call_dunder(self, cmp_dunder[op], &other, 1, &found);
    if (!found && !py_err_occurred())
        return py_newref(py_NotImplemented);
    return r;
}

static py_obj *slot_getattr_hook(py_obj *self, py_obj *name)
{
    py_type *t = py_type_of(self);
    py_obj *ga = py_type_lookup(t, py_str_interned("__getattribute__"));
    py_obj *r;
    if (ga && !py_isinstance_exact(ga, &py_methoddescr_type))
        r = call_dunder(self, "__getattribute__", &name, 1, NULL);
    else
        r = py_generic_getattr(self, name);
    if (r || !py_err_matches(py_exc_AttributeError))
        return r;
    py_obj *getattr = py_type_lookup(t, py_str_interned("__getattr__"));
    if (!getattr)
        return NULL;
    py_err_clear();
    return call_dunder(self, "__getattr__", &name, 1, NULL);
}

/* o.setname(key, value), or o.delname(key) when value is NULL; 0 or -1. */
static int call_set_or_delete(py_obj *self, const char *setname, const char *delname, py_obj *key,
                              py_obj *value)
{
    py_obj *args[2] = {key, value};
    py_obj *r = value ? call_dunder(self, setname, args, 2, NULL) : call_dunder(self, delname, &key, 1, NULL);
    if (!r)
        return -1;
    tl_decref(r);
    return 0;
}

static int slot_setattr(py_obj *self, py_obj *name, py_obj *value)
{
    return call_set_or_delete(self, "__setattr__", "__delattr__", name, value);
}

static py_obj *slot_call(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *d = py_type_lookup(py_type_of(self), py_str_interned("__call__"));
    if (!d) {
        py_err_format(py_exc_TypeError, "'%s' object is not callable", py_type_name(py_type_of(self)));
        return NULL;
    }
    tl_incref(d);
    py_obj *r;
    if (py_isinstance_exact(d, &py_function_type)) {
        r = py_call_with_self(d, self, args, nargs, kwnames);
    } else {
        py_obj *b = py_descr_bind(d, self);
        r = b ? py_call(b, args, nargs, kwnames) : NULL;
        tl_xdecref(b);
    }
    tl_decref(d);
    return r;
}

static py_obj *slot_iter(py_obj *self)
{
    py_obj *d = py_type_lookup(py_type_of(self), py_str_interned("__iter__"));
    if (d == py_None) {
        py_err_format(py_exc_TypeError, "'%s' object is not iterable", py_type_name(py_type_of(self)));
        return NULL;
    }
    return call_dunder(self, "__iter__", NULL, 0, NULL);
}

static py_obj *slot_iternext(py_obj *self)
{
    py_obj *r = call_dunder(self, "__next__", NULL, 0, NULL);
    if (!r && py_err_matches(py_exc_StopIteration)) {
        py_obj *e = py_err_fetch();
        tl_decref(e);
    }
    return r;
}

static py_obj *slot_descr_get(py_obj *self, py_obj *obj, py_obj *type)
{
    py_obj *args[2] = {obj ? obj : py_None, type ? type : py_None};
    return call_dunder(self, "__get__", args, 2, NULL);
}

static int slot_descr_set(py_obj *self, py_obj *obj, py_obj *value)
{
    return call_set_or_delete(self, "__set__", "__delete__", obj, value);
}

static intptr_t slot_len(py_obj *self)
{
    py_obj *r = call_dunder(self, "__len__", NULL, 0, NULL);
    if (!r)
        return -1;
    intptr_t n;
    if (!py_int_check(r)) {
        py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      py_type_name(py_type_of(r)));
        tl_decref(r);
        return -1;
    }
    n = py_int_as_ssize(r);
    tl_decref(r);
    if (n < 0 && !py_err_occurred())
        py_err_format(py_exc_ValueError, "__len__() should return >= 0");
    return n < 0 ? -1 : n;
}

static py_obj *slot_getitem(py_obj *self, py_obj *key)
{
    return call_dunder(self, "__getitem__", &key, 1, NULL);
}

static int slot_setitem(py_obj *self, py_obj *key, py_obj *value)
{
    return call_set_or_delete(self, "__setitem__", "__delitem__", key, value);
}

static int slot_contains(py_obj *self, py_obj *v)
{
    bool found;
    py_obj *r = call_dunder(self, "__contains__", &v, 1, &found);
    if (!found && !py_err_occurred()) {
        /* Fall back to iteration, as CPython does without __contains__. */
        py_obj *it = py_iter(self);
        if (!it)
            return -1;
        int hit = 0;
        py_obj *x;
        while (!hit && (x = py_next(it))) {
            hit = py_richcompare_bool(x, v, PY_EQ);
            tl_decref(x);
        }
        tl_decref(it);
        return py_err_occurred() ? -1 : hit;
    }
    if (!r)
        return -1;
    int t = py_truthy(r);
    tl_decref(r);
    return t;
}

static int slot_bool(py_obj *self)
{
    bool found;
    py_obj *r = call_dunder(self, "__bool__", NULL, 0, &found);
    if (!found && !py_err_occurred()) {
        if (py_type_lookup(py_type_of(self), py_str_interned("__len__"))) {
            intptr_t n = slot_len(self);
            return n < 0 ? -1 : n > 0;
        }
        return 1;
    }
    if (!r)
        return -1;
    if (r != py_True && r != py_False) {
        py_err_format(py_exc_TypeError, "__bool__ should return bool, returned %s",
                      py_type_name(py_type_of(r)));
        tl_decref(r);
        return -1;
    }
    int t = r == py_True;
    tl_decref(r);
    return t;
}

#define UNARY_SLOT(fn, dunder) \
    static py_obj *fn(py_obj *self) { return call_dunder(self, dunder, NULL, 0, NULL); }
UNARY_SLOT(slot_neg, "__neg__")
UNARY_SLOT(slot_pos, "__pos__")
UNARY_SLOT(slot_invert, "__invert__")
UNARY_SLOT(slot_abs, "__abs__")
UNARY_SLOT(slot_int, "__int__")
UNARY_SLOT(slot_float, "__float__")
UNARY_SLOT(slot_index, "__index__")

static const char *const nb_dunder[PY_NB_COUNT][3] = {
    {"__add__", "__radd__", "__iadd__"},
    {"__and__", "__rand__", "__iand__"},
    {"__floordiv__", "__rfloordiv__", "__ifloordiv__"},
    {"__lshift__", "__rlshift__", "__ilshift__"},
    {"__matmul__", "__rmatmul__", "__imatmul__"},
    {"__mul__", "__rmul__", "__imul__"},
    {"__mod__", "__rmod__", "__imod__"},
    {"__or__", "__ror__", "__ior__"},
    {"__pow__", "__rpow__", "__ipow__"},
    {"__rshift__", "__rrshift__", "__irshift__"},
    {"__sub__", "__rsub__", "__isub__"},
    {"__truediv__", "__rtruediv__", "__itruediv__"},
    {"__xor__", "__rxor__", "__ixor__"},
};

static py_binaryfunc slot_binop_fns[PY_NB_COUNT];

/* CPython's SLOT1BINFULL: the left operand's __op__ if its type dispatches
 * here, the right's __rop__ if its type does too (first, when it is a proper
 * subclass that overrides __rop__). */
static py_obj *slot_binop(py_obj *a, py_obj *b, int op)
{
    py_type *ta = py_type_of(a), *tb = py_type_of(b);
    bool do_other = ta != tb && tb->nb[op] == slot_binop_fns[op];
    bool found;
    py_obj *r;
    if (ta->nb[op] == slot_binop_fns[op]) {
        if (do_other && py_type_is_subtype(tb, ta) &&
            py_type_lookup(tb, py_str_interned(nb_dunder[op][1])) !=
                py_type_lookup(ta, py_str_interned(nb_dunder[op][1]))) {
            r = call_dunder(b, nb_dunder[op][1], &a, 1, &found);
            if ((r && r != py_NotImplemented) || (!r && py_err_occurred()))
                return r;
            tl_xdecref(r);
            do_other = false;
        }
        r = call_dunder(a, nb_dunder[op][0], &b, 1, &found);
        if ((r && r != py_NotImplemented) || (!r && py_err_occurred()))
            return r;
        tl_xdecref(r);
        if (ta == tb)
            return py_newref(py_NotImplemented);
    }
    if (do_other || (ta != tb && tb->nb[op] == slot_binop_fns[op])) {
        r = call_dunder(b, nb_dunder[op][1], &a, 1, &found);
        if (r || py_err_occurred())
            return r;
    }
    return py_newref(py_NotImplemented);
}

#define BINOP_SLOT(i) static py_obj *slot_binop_##i(py_obj *a, py_obj *b) { return slot_binop(a, b, i); }
BINOP_SLOT(0) BINOP_SLOT(1) BINOP_SLOT(2) BINOP_SLOT(3) BINOP_SLOT(4) BINOP_SLOT(5) BINOP_SLOT(6)
BINOP_SLOT(7) BINOP_SLOT(8) BINOP_SLOT(9) BINOP_SLOT(10) BINOP_SLOT(11) BINOP_SLOT(12)
static py_binaryfunc slot_binop_fns[PY_NB_COUNT] = {
    slot_binop_0, slot_binop_1, slot_binop_2, slot_binop_3, slot_binop_4, slot_binop_5, slot_binop_6,
    slot_binop_7, slot_binop_8, slot_binop_9, slot_binop_10, slot_binop_11, slot_binop_12,
};

static py_obj *slot_inplace(py_obj *a, py_obj *b, int op)
{
    bool found;
    py_obj *r = call_dunder(a, nb_dunder[op][2], &b, 1, &found);
    if (!found && !py_err_occurred())
        return py_newref(py_NotImplemented);
    return r;
}
#define INPLACE_SLOT(i) static py_obj *slot_inplace_##i(py_obj *a, py_obj *b) { return slot_inplace(a, b, i); }
INPLACE_SLOT(0) INPLACE_SLOT(1) INPLACE_SLOT(2) INPLACE_SLOT(3) INPLACE_SLOT(4) INPLACE_SLOT(5)
INPLACE_SLOT(6) INPLACE_SLOT(7) INPLACE_SLOT(8) INPLACE_SLOT(9) INPLACE_SLOT(10) INPLACE_SLOT(11)
INPLACE_SLOT(12)
static const py_binaryfunc slot_inplace_fns[PY_NB_COUNT] = {
    slot_inplace_0, slot_inplace_1, slot_inplace_2, slot_inplace_3, slot_inplace_4, slot_inplace_5,
    slot_inplace_6, slot_inplace_7, slot_inplace_8, slot_inplace_9, slot_inplace_10,
    slot_inplace_11, slot_inplace_12,
};

static py_obj *slot_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *d = py_type_lookup(t, py_str_interned("__new__"));
    if (!d)
        return object_new(t, args, nargs, kwnames);
    tl_incref(d);
    py_obj *f = d;
    if (py_isinstance_exact(d, &py_staticmethod_type))
        f = py_staticmethod_func(d);
    py_unpack_dict_refs(&t->tl.ob, args, nargs, kwnames, +1);
    py_obj *r = py_call_with_self(f, &t->tl.ob, args, nargs, kwnames);
    py_unpack_dict_refs(&t->tl.ob, args, nargs, kwnames, -1);
    tl_decref(d);
    return r;
}

static int slot_init(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *d = py_type_lookup(py_type_of(self), py_str_interned("__init__"));
    if (!d)
        return 0;
    tl_incref(d);
    py_obj *r;
    if (py_isinstance_exact(d, &py_function_type) || py_isinstance_exact(d, &py_methoddescr_type)) {
        py_unpack_dict_refs(self, args, nargs, kwnames, +1);
        r = py_call_with_self(d, self, args, nargs, kwnames);
        py_unpack_dict_refs(self, args, nargs, kwnames, -1);
    } else {
        py_obj *b = py_descr_bind(d, self);
        r = b ? py_call(b, args, nargs, kwnames) : NULL;
        tl_xdecref(b);
    }
    tl_decref(d);
    if (!r)
        return -1;
    if (r != py_None) {
        py_err_format(py_exc_TypeError, "__init__() should return None, not '%s'",
                      py_type_name(py_type_of(r)));
        tl_decref(r);
        return -1;
    }
    tl_decref(r);
    return 0;
}

/* ---- which slots a class gets ------------------------------------------------------------ */

/* The class in t's MRO that first defines name, or NULL. */
static py_type *defining_class(py_type *t, const char *name)
{
    py_obj *key = py_str_interned(name);
    for (intptr_t i = 0; i < py_tuple_size(t->mro); i++) {
        py_type *b = (py_type *)py_tuple_items(t->mro)[i];
        if (b->dict && py_dict_get(b->dict, key))
            return b;
    }
    return NULL;
}

static bool defined_in_class(py_type *t, const char *name)
{
    py_type *d = defining_class(t, name);
    return d && (d->pyflags & PY_TPFLAGS_HEAPTYPE);
}

static void set_slots(py_type *t)
{
    py_type *b = t->base;
#define SLOT(field, dunder, fn) t->field = defined_in_class(t, dunder) ? (fn) : b->field
    SLOT(repr, "__repr__", slot_repr);
    SLOT(str, "__str__", slot_str);
    SLOT(call, "__call__", slot_call);
    SLOT(iter, "__iter__", slot_iter);
    SLOT(iternext, "__next__", slot_iternext);
    SLOT(descr_get, "__get__", slot_descr_get);
    SLOT(len, "__len__", slot_len);
    SLOT(getitem, "__getitem__", slot_getitem);
    SLOT(contains, "__contains__", slot_contains);
    SLOT(nb_negative, "__neg__", slot_neg);
    SLOT(nb_positive, "__pos__", slot_pos);
    SLOT(nb_invert, "__invert__", slot_invert);
    SLOT(nb_absolute, "__abs__", slot_abs);
    SLOT(nb_int, "__int__", slot_int);
    SLOT(nb_float, "__float__", slot_float);
    SLOT(nb_index, "__index__", slot_index);
    SLOT(tp_new, "__new__", slot_new);
    SLOT(tp_init, "__init__", slot_init);
#undef SLOT
    t->descr_set = (defined_in_class(t, "__set__") || defined_in_class(t, "__delete__"))
                       ? slot_descr_set : b->descr_set;
    t->setitem = (defined_in_class(t, "__setitem__") || defined_in_class(t, "__delitem__"))
                     ? slot_setitem : b->setitem;
    t->setattr = (defined_in_class(t, "__setattr__") || defined_in_class(t, "__delattr__"))
                     ? slot_setattr : b->setattr;
    t->getattr = (defined_in_class(t, "__getattr__") || defined_in_class(t, "__getattribute__"))
                     ? slot_getattr_hook : b->getattr;
    t->nb_bool = (defined_in_class(t, "__bool__") ||
                  (defined_in_class(t, "__len__") && !b->nb_bool)) ? slot_bool : b->nb_bool;
    bool cmp = false;
    for (int op = 0; op < 6; op++)
        cmp |= defined_in_class(t, cmp_dunder[op]);
    t->richcompare = cmp ? slot_richcompare : b->richcompare;
    /* __eq__ without __hash__ in the same class makes instances unhashable. */
    py_type *eqdef = defining_class(t, "__eq__"), *hashdef = defining_class(t, "__hash__");
    if (eqdef == t && hashdef != t && py_dict_set_str(t->dict, "__hash__", py_None) == 0)
        hashdef = t;
    if (hashdef && (hashdef->pyflags & PY_TPFLAGS_HEAPTYPE))
        t->hash = slot_hash;
    else
        t->hash = b->hash;
    for (int i = 0; i < PY_NB_COUNT; i++) {
        bool mine = defined_in_class(t, nb_dunder[i][0]) || defined_in_class(t, nb_dunder[i][1]);
        t->nb[i] = mine ? slot_binop_fns[i] : b->nb[i];
        t->nb_inplace[i] = defined_in_class(t, nb_dunder[i][2]) ? slot_inplace_fns[i] : b->nb_inplace[i];
    }
    t->tl.finalize = defined_in_class(t, "__del__") ? py_instance_finalize : b->tl.finalize;
}

static void update_slot(py_type *t, py_obj *name)
{
    (void)name;
    if (t->mro)
        set_slots(t);
}

/* ---- creating a class ---------------------------------------------------------------------------- */

/* The base whose layout the new class extends: the most derived non-trivial
 * layout among the bases (CPython's best_base, simplified). */
static py_type *solid_base(py_type *t)
{
    /* Classes only add the instance part, which they all share: the layout
     * is decided by the nearest built-in type. */
    while (t->base && (t->pyflags & PY_TPFLAGS_HEAPTYPE))
        t = t->base;
    return t;
}

static py_type *best_base(py_obj *bases)
{
    py_type *best = NULL, *best_solid = NULL;
    for (intptr_t i = 0; i < py_tuple_size(bases); i++) {
        py_obj *b = py_tuple_items(bases)[i];
        if (!py_isinstance_of(b, &py_type_type)) {
            py_err_format(py_exc_TypeError, "bases must be types");
            return NULL;
        }
        py_type *bt = (py_type *)b;
        if (!(bt->pyflags & PY_TPFLAGS_BASETYPE)) {
            py_err_format(py_exc_TypeError, "type '%s' is not an acceptable base type", py_type_name(bt));
            return NULL;
        }
        py_type *s = solid_base(bt);
        if (!best) {
            best = bt;
            best_solid = s;
        } else if (py_type_is_subtype(s, best_solid)) {
            best = bt;
            best_solid = s;
        } else if (!py_type_is_subtype(best_solid, s)) {
            py_err_format(py_exc_TypeError, "multiple bases have instance lay-out conflict");
            return NULL;
        }
    }
    return best;
}

static int set_names_from_ns(py_type *t, py_obj *name)
{
    t->name = py_newref(name);
    py_obj *q = py_dict_get_str(t->dict, "__qualname__");
    if (q) {
        if (!py_str_check(q)) {
            py_err_format(py_exc_TypeError, "type __qualname__ must be a str, not %s",
                          py_type_name(py_type_of(q)));
            return -1;
        }
        t->qualname = py_newref(q);
        if (py_dict_del(t->dict, py_str_interned("__qualname__")) < 0)
            return -1;
    } else {
        t->qualname = py_newref(name);
    }
    py_obj *m = py_dict_get_str(t->dict, "__module__");
    if (!m && vm.frame) {
        py_obj *g = py_frame_globals(vm.frame);
        m = g ? py_dict_get_str(g, "__name__") : NULL;
        if (m && py_dict_set_str(t->dict, "__module__", m) < 0)
            return -1;
    }
    t->module = py_xnewref(m);
    return 0;
}

/* Wraps plain functions named __new__, __init_subclass__ and
 * __class_getitem__ as CPython does (static / class methods). */
static int fix_special_methods(py_type *t)
{
    py_obj *f = py_dict_get_str(t->dict, "__new__");
    if (f && py_isinstance_exact(f, &py_function_type)) {
        py_obj *sm = py_staticmethod_new(f);
        if (!sm || py_dict_set_str(t->dict, "__new__", sm) < 0)
            return -1;
        tl_decref(sm);
    }
    f = py_dict_get_str(t->dict, "__init_subclass__");
    if (f && py_isinstance_exact(f, &py_function_type)) {
        py_obj *cm = py_classmethod_new(f);
        if (!cm || py_dict_set_str(t->dict, "__init_subclass__", cm) < 0)
            return -1;
        tl_decref(cm);
    }
    return 0;
}

static int init_subclass(py_type *t, py_obj *kwargs)
{
    /* super(t, t).__init_subclass__(**kwargs): the first base's hook. */
    for (intptr_t i = 1; i < py_tuple_size(t->mro); i++) {
        py_type *b = (py_type *)py_tuple_items(t->mro)[i];
        py_obj *f = b->dict ? py_dict_get_str(b->dict, "__init_subclass__") : NULL;
        if (!f && py_err_occurred())
            return -1;               /* the name could not be made: not "absent" */
        if (!f)
            continue;
        py_obj *bound = py_type_of(f)->descr_get ? py_type_of(f)->descr_get(f, &t->tl.ob, &t->tl.ob)
                                                 : py_newref(f);
        py_obj *r = bound ? py_call_tuple_dict(bound, py_empty_tuple, kwargs) : NULL;
        tl_xdecref(bound);
        if (!r)
            return -1;
        tl_decref(r);
        return 0;
    }
    return 0;
}

/* value.__set_name__(cls, name) for each class attribute that has it. */
static int call_set_name(py_type *t)
{
    py_obj *items = py_dict_copy(t->dict);
    if (!items)
        return -1;
    intptr_t pos = 0;
    py_obj *k, *v;
    int r = 0;
    while (r == 0 && py_dict_next(items, &pos, &k, &v)) {
        py_obj *m = py_lookup_special(v, "__set_name__");
        if (!m) {
            if (py_err_occurred())
                r = -1;
            continue;
        }
        py_obj *res = py_call2(m, &t->tl.ob, k);
        tl_decref(m);
        if (!res)
            r = -1;
        tl_xdecref(res);
    }
    tl_decref(items);
    return r;
}

/* A base whose items follow its header leaves no room for slots (CPython: a
 * non-zero tp_itemsize; tally's str keeps its text inline too, but CPython's
 * str has itemsize 0, so str-derived classes may name slots: they go to the
 * instance's dict). */
static int check_slots_allowed(py_type *t)
{
    py_type *sb = t->base;
    while (sb->pyflags & PY_TPFLAGS_HEAPTYPE)
        sb = sb->base;
    if (!sb->tl.item_size || sb == &py_str_type)
        return 0;
    for (intptr_t i = 0; i < py_tuple_size(t->slots); i++) {
        py_obj *n = py_tuple_items(t->slots)[i];
        if (!py_str_equal_cstr(n, "__dict__") && !py_str_equal_cstr(n, "__weakref__")) {
            py_err_format(py_exc_TypeError, "nonempty __slots__ not supported for subtype of '%s'",
                          py_type_name(sb));
            return -1;
        }
    }
    return 0;
}

/* __slots__: the names instances may have (and no __dict__ unless named). */
static int read_slots(py_type *t)
{
    py_obj *s = py_dict_get_str(t->dict, "__slots__");
    if (!s)
        return 0;
    py_obj *names = py_str_check(s) ? py_tuple_pack(1, s) : py_sequence_to_tuple(s);
    if (!names)
        return -1;
    for (intptr_t i = 0; i < py_tuple_size(names); i++)
        if (!py_str_check(py_tuple_items(names)[i])) {
            py_err_format(py_exc_TypeError, "__slots__ items must be strings, not '%s'",
                          py_type_name(py_type_of(py_tuple_items(names)[i])));
            tl_decref(names);
            return -1;
        }
    t->slots = names;
    return check_slots_allowed(t);
}

/* Whether instances of t are limited to __slots__ names: every class in the
 * MRO declares __slots__ and none of them names __dict__. */
bool py_type_slots_restrict(py_type *t, py_obj *name)
{
    bool restricted = false, allowed = false;
    for (intptr_t i = 0; i < py_tuple_size(t->mro); i++) {
        py_type *b = (py_type *)py_tuple_items(t->mro)[i];
        if (!(b->pyflags & PY_TPFLAGS_HEAPTYPE))
            continue;
        if (!b->slots)
            return false;
        restricted = true;
        for (intptr_t j = 0; j < py_tuple_size(b->slots); j++) {
            py_obj *n = py_tuple_items(b->slots)[j];
            if (py_str_equal_cstr(n, "__dict__"))
                return false;
            if (name && py_str_equal(n, name))
                allowed = true;
        }
    }
    return restricted && !allowed;
}

py_obj *py_type_new_heap(py_type *meta, py_obj *name, py_obj *bases, py_obj *ns)
{
    return py_type_new_heap_kw(meta, name, bases, ns, NULL);
}

py_obj *py_type_new_heap_kw(py_type *meta, py_obj *name, py_obj *bases, py_obj *ns, py_obj *kwargs)
{
    if (py_tuple_size(bases) == 0)
        bases = py_tuple_pack(1, &py_object_type.tl.ob);
    else
        tl_incref(bases);
    if (!bases)
        return NULL;
    py_type *base = best_base(bases);
    if (!base) {
        tl_decref(bases);
        return NULL;
    }
    py_type *t = (py_type *)tl_object_new(vm.heap, &meta->tl);
    if (!t) {
        tl_decref(bases);
        return py_err_no_memory(), NULL;
    }
    tl_gc_untrack(&t->tl.ob);
    const char *cname = py_str_utf8(name);
    t->tl.name = cname;
    t->tl.flags = TL_TYPE_GC | TL_TYPE_HEAPTYPE;
    t->pyflags = PY_TPFLAGS_HEAPTYPE | PY_TPFLAGS_BASETYPE | PY_TPFLAGS_INSTANCE |
                 (base->pyflags & (PY_TPFLAGS_INT_SUBCLASS | PY_TPFLAGS_LIST_SUBCLASS |
                                   PY_TPFLAGS_TUPLE_SUBCLASS | PY_TPFLAGS_STR_SUBCLASS |
                                   PY_TPFLAGS_DICT_SUBCLASS | PY_TPFLAGS_EXC_SUBCLASS |
                                   PY_TPFLAGS_TYPE_SUBCLASS));
    t->base = base;
    tl_incref(&base->tl.ob);
    t->bases = bases;
    t->dict = py_dict_copy(ns);
    if (!t->dict || set_names_from_ns(t, name) < 0 || fix_special_methods(t) < 0)
        goto fail;
    t->tl.name = py_str_utf8(t->name);
    if (read_slots(t) < 0)
        goto fail;
    py_instance_type_init(t);
    tl_gc_track(&t->tl.ob);
    if (!(t->mro = compute_mro(t)))
        goto fail;
    py_instance_size_for_slots(t);
    set_slots(t);
    type_modified();
    if (add_subclass(t) < 0 || call_set_name(t) < 0 || init_subclass(t, kwargs) < 0)
        goto fail;
    return &t->tl.ob;
fail:
    tl_decref(&t->tl.ob);
    return NULL;
}

int py_types_init(void)
{
    py_type *core[] = {&py_object_type, &py_type_type, &py_getsetdescr_type};
    for (size_t i = 0; i < sizeof core / sizeof *core; i++)
        if (py_type_ready(core[i]) < 0)
            return -1;
    return 0;
}

/* object.__init_subclass__ is a class method, as in CPython (super() in a
   subclass hook binds it to the new class). Called once the descriptor
   types it needs are ready. */
int py_types_init_late(void)
{
    py_obj *f = py_dict_get_str(py_object_type.dict, "__init_subclass__");
    py_obj *cm = f ? py_classmethod_new(f) : NULL;
    if (!cm)
        return -1;
    int r = py_dict_set_str(py_object_type.dict, "__init_subclass__", cm);
    tl_decref(cm);
    return r;
}
