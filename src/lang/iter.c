/* iter.c — the iterator types of the builtins (enumerate, zip, map, filter,
 * reversed, iter(seq), iter(callable, sentinel)) and super.
 *
 * Each iterator holds strong references to what it walks and is a GC type,
 * as in CPython, so an iterator caught in a cycle is collectable.
 */
#include "py.h"
#include "lang_int.h"
#include "frame.h"
#include "code.h"

/* A generic iterator: up to three object fields and a counter. */
typedef struct py_giter {
    tl_object ob;
    py_obj *a, *b, *c;
    intptr_t n;
} py_giter;

#define GI(o) ((py_giter *)(o))

static int giter_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_giter *g = GI(o);
    int r;
    if (g->a && (r = visit(g->a, arg))) return r;
    if (g->b && (r = visit(g->b, arg))) return r;
    return g->c ? visit(g->c, arg) : 0;
}

static void giter_clear(tl_object *o)
{
    TL_CLEAR(GI(o)->a);
    TL_CLEAR(GI(o)->b);
    TL_CLEAR(GI(o)->c);
}

static py_obj *giter_new(py_type *t, py_obj *a, py_obj *b, py_obj *c, intptr_t n)
{
    py_giter *g = (py_giter *)tl_object_new(vm.heap, &t->tl);
    if (!g) {
        tl_xdecref(a);
        tl_xdecref(b);
        tl_xdecref(c);
        return py_err_no_memory(), NULL;
    }
    g->a = a;  /* stolen */
    g->b = b;
    g->c = c;
    g->n = n;
    return &g->ob;
}

static py_obj *self_iter(py_obj *o) { return py_newref(o); }

#define ITER_TYPE(var, nm, next_fn, new_fn) \
    py_type var = { \
        PY_TYPE_HEAD(nm, sizeof(py_giter), 0, TL_TYPE_GC, .traverse = giter_traverse, .clear = giter_clear), \
        .pyflags = PY_TPFLAGS_BASETYPE, .iter = self_iter, .iternext = next_fn, .tp_new = new_fn, }

/* ---- iter(seq) over __getitem__ ----------------------------------------------------------- */

static py_obj *seqiter_next(py_obj *o)
{
    py_giter *g = GI(o);
    if (!g->a)
        return NULL;
    py_obj *i = py_int_from_long(g->n);
    py_obj *v = i ? py_getitem(g->a, i) : NULL;
    tl_xdecref(i);
    if (v) {
        g->n++;
        return v;
    }
    if (py_err_matches(py_exc_IndexError) || py_err_matches(py_exc_StopIteration)) {
        py_err_clear();
        TL_CLEAR(g->a);
    }
    return NULL;
}
ITER_TYPE(py_seqiter_type, "iterator", seqiter_next, NULL);

py_obj *py_seqiter_new(py_obj *seq) { return giter_new(&py_seqiter_type, py_newref(seq), NULL, NULL, 0); }

/* ---- iter(callable, sentinel) -------------------------------------------------------------- */

static py_obj *calliter_next(py_obj *o)
{
    py_giter *g = GI(o);
    if (!g->a)
        return NULL;
    py_obj *v = py_call0(g->a);
    if (!v) {
        if (py_err_matches(py_exc_StopIteration)) {
            py_err_clear();
            giter_clear(o);
        }
        return NULL;
    }
    int eq = py_richcompare_bool(v, g->b, PY_EQ);
    if (eq != 0) {
        tl_decref(v);
        if (eq > 0)
            giter_clear(o);
        return NULL;
    }
    return v;
}
ITER_TYPE(py_calliter_type, "callable_iterator", calliter_next, NULL);

py_obj *py_calliter_new(py_obj *callable, py_obj *sentinel)
{
    return giter_new(&py_calliter_type, py_newref(callable), py_newref(sentinel), NULL, 0);
}

/* ---- enumerate ------------------------------------------------------------------------------- */

static py_obj *enumerate_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *a[2];
    if (py_parse_args("enumerate", args, nargs, kwnames, "iterable|start", a) < 0)
        return NULL;
    intptr_t start = 0;
    if (a[1] && py_index(a[1], &start) < 0)
        return NULL;
    py_obj *it = py_iter(a[0]);
    return it ? giter_new(t, it, NULL, NULL, start) : NULL;
}

static py_obj *enumerate_next(py_obj *o)
{
    py_giter *g = GI(o);
    py_obj *v = py_next(g->a);
    if (!v)
        return NULL;
    py_obj *i = py_int_from_long(g->n++);
    py_obj *t = i ? py_tuple_new(2) : NULL;
    if (!t) {
        tl_decref(v);
        tl_xdecref(i);
        return NULL;
    }
    py_tuple_items(t)[0] = i;
    py_tuple_items(t)[1] = v;
    return t;
}
ITER_TYPE(py_enumerate_type, "enumerate", enumerate_next, enumerate_new);

/* ---- zip ---------------------------------------------------------------------------------------- */

static py_obj *zip_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    bool strict = false;
    for (intptr_t i = 0; kwnames && i < py_tuple_size(kwnames); i++) {
        if (!py_str_equal_cstr(py_tuple_items(kwnames)[i], "strict")) {
            py_err_format(py_exc_TypeError, "zip() got an unexpected keyword argument '%U'", py_tuple_items(kwnames)[i]);
            return NULL;
        }
        int s = py_truthy(args[nargs + (size_t)i]);
        if (s < 0)
            return NULL;
        strict = s;
    }
    py_obj *its = py_tuple_new(nargs);
    if (!its)
        return NULL;
    for (size_t i = 0; i < nargs; i++) {
        py_obj *it = py_iter(args[i]);
        if (!it) {
            if (py_err_matches(py_exc_TypeError) && !py_type_of(args[i])->iter) {
                py_err_clear();
                py_err_format(py_exc_TypeError, "'%s' object is not iterable", py_type_name(py_type_of(args[i])));
            }
            tl_decref(its);
            return NULL;
        }
        py_tuple_items(its)[i] = it;
    }
    return giter_new(t, its, NULL, NULL, strict);
}

static py_obj *zip_next(py_obj *o)
{
    py_giter *g = GI(o);
    intptr_t n = py_tuple_size(g->a);
    if (n == 0)
        return NULL;
    py_obj *t = py_tuple_new((size_t)n);
    if (!t)
        return NULL;
    for (intptr_t i = 0; i < n; i++) {
        py_obj *v = py_next(py_tuple_items(g->a)[i]);
        if (!v) {
            if (g->n && !py_err_occurred()) {
                if (i > 0)
                    py_err_format(py_exc_ValueError, "zip() argument %zd is shorter than argument%s%zd",
                                  i + 1, i == 1 ? " " : "s 1-", i);
                else
                    for (intptr_t j = 1; j < n; j++) {
                        py_obj *w = py_next(py_tuple_items(g->a)[j]);
                        if (w) {
                            tl_decref(w);
                            py_err_format(py_exc_ValueError, "zip() argument %zd is longer than argument%s%zd",
                                          j + 1, j == 1 ? " " : "s 1-", j);
                            break;
                        }
                    }
            }
            for (intptr_t k = 0; k < i; k++)
                TL_CLEAR(py_tuple_items(t)[k]);
            tl_decref(t);
            return NULL;
        }
        py_tuple_items(t)[i] = v;
    }
    return t;
}
ITER_TYPE(py_zip_type, "zip", zip_next, zip_new);

/* ---- map -------------------------------------------------------------------------------------------- */

static py_obj *map_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "map() takes no keyword arguments");
        return NULL;
    }
    if (nargs < 2) {
        py_err_format(py_exc_TypeError, "map() must have at least two arguments.");
        return NULL;
    }
    py_obj *its = py_tuple_new(nargs - 1);
    if (!its)
        return NULL;
    for (size_t i = 1; i < nargs; i++) {
        py_obj *it = py_iter(args[i]);
        if (!it) {
            tl_decref(its);
            return NULL;
        }
        py_tuple_items(its)[i - 1] = it;
    }
    return giter_new(t, py_newref(args[0]), its, NULL, 0);
}

static py_obj *map_next(py_obj *o)
{
    py_giter *g = GI(o);
    intptr_t n = py_tuple_size(g->b);
    py_obj *small[8], **vals = n <= 8 ? small : tl_heap_alloc(vm.heap, sizeof(py_obj *) * (size_t)n);
    if (!vals)
        return py_err_no_memory(), NULL;
    intptr_t got = 0;
    py_obj *r = NULL;
    for (; got < n; got++)
        if (!(vals[got] = py_next(py_tuple_items(g->b)[got])))
            break;
    if (got == n)
        r = py_call(g->a, vals, (size_t)n, NULL);
    for (intptr_t i = 0; i < got; i++)
        tl_decref(vals[i]);
    if (vals != small)
        tl_heap_free(vals);
    return r;
}
ITER_TYPE(py_map_type, "map", map_next, map_new);

/* ---- filter ------------------------------------------------------------------------------------------ */

static py_obj *filter_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "filter() takes no keyword arguments");
        return NULL;
    }
    if (nargs != 2) {
        py_err_format(py_exc_TypeError, "filter expected 2 arguments, got %zd", (intptr_t)nargs);
        return NULL;
    }
    py_obj *it = py_iter(args[1]);
    return it ? giter_new(t, py_newref(args[0]), it, NULL, 0) : NULL;
}

static py_obj *filter_next(py_obj *o)
{
    py_giter *g = GI(o);
    py_obj *v;
    while ((v = py_next(g->b))) {
        int ok;
        if (g->a == py_None || g->a == &py_bool_type.tl.ob) {
            ok = py_truthy(v);
        } else {
            py_obj *r = py_call1(g->a, v);
            ok = r ? py_truthy(r) : -1;
            tl_xdecref(r);
        }
        if (ok > 0)
            return v;
        tl_decref(v);
        if (ok < 0)
            return NULL;
    }
    return NULL;
}
ITER_TYPE(py_filter_type, "filter", filter_next, filter_new);

/* ---- reversed -------------------------------------------------------------------------------------------- */

static py_obj *reversed_next(py_obj *o)
{
    py_giter *g = GI(o);
    if (!g->a || g->n < 0)
        return NULL;
    py_obj *i = py_int_from_long(g->n);
    py_obj *v = i ? py_getitem(g->a, i) : NULL;
    tl_xdecref(i);
    if (v) {
        g->n--;
        return v;
    }
    if (py_err_matches(py_exc_IndexError) || py_err_matches(py_exc_StopIteration)) {
        py_err_clear();
        TL_CLEAR(g->a);
    }
    return NULL;
}

static py_obj *reversed_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "reversed() takes no keyword arguments");
        return NULL;
    }
    if (nargs != 1) {
        py_err_format(py_exc_TypeError, "reversed expected 1 argument, got %zd", (intptr_t)nargs);
        return NULL;
    }
    py_obj *m = py_lookup_special(args[0], "__reversed__");
    if (m) {
        py_obj *r = py_call0(m);
        tl_decref(m);
        return r;
    }
    if (py_err_occurred())
        return NULL;
    py_type *st = py_type_of(args[0]);
    if (!st->getitem || !st->len || py_dict_check(args[0])) {
        py_err_format(py_exc_TypeError, "'%s' object is not reversible", py_type_name(st));
        return NULL;
    }
    intptr_t n = py_len(args[0]);
    if (n < 0)
        return NULL;
    return giter_new(t, py_newref(args[0]), NULL, NULL, n - 1);
}
ITER_TYPE(py_reversed_type, "reversed", reversed_next, reversed_new);

/* ---- super -------------------------------------------------------------------------------------------------- */

typedef struct py_super {
    tl_object ob;
    py_type *type;          /* the class super() was called in */
    py_obj *obj;            /* the instance (or class) */
    py_type *obj_type;      /* type to start the MRO walk from */
} py_super;

static int super_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_super *s = (py_super *)o;
    int r;
    if (s->type && (r = visit(&s->type->tl.ob, arg))) return r;
    if (s->obj && (r = visit(s->obj, arg))) return r;
    return s->obj_type ? visit(&s->obj_type->tl.ob, arg) : 0;
}

static void super_clear(tl_object *o)
{
    py_super *s = (py_super *)o;
    py_obj *a = s->type ? &s->type->tl.ob : NULL, *b = s->obj, *c = s->obj_type ? &s->obj_type->tl.ob : NULL;
    s->type = NULL;
    s->obj = NULL;
    s->obj_type = NULL;
    tl_xdecref(a);
    tl_xdecref(b);
    tl_xdecref(c);
}

static py_type *supercheck(py_type *type, py_obj *obj)
{
    if (py_isinstance_of(obj, &py_type_type) && py_type_is_subtype((py_type *)obj, type))
        return (py_type *)obj;
    if (py_type_is_subtype(py_type_of(obj), type))
        return py_type_of(obj);
    py_err_format(py_exc_TypeError, "super(type, obj): obj must be an instance or subtype of type");
    return NULL;
}

/* Zero-argument super(): __class__ from the calling frame's cells, self
 * from its first argument. */
static int super_implicit(py_type **type, py_obj **obj)
{
    py_frame *f = vm.frame;
    if (!f) {
        py_err_format(py_exc_RuntimeError, "super(): no current frame");
        return -1;
    }
    py_code *co = f->code;
    if (co->argcount == 0) {
        py_err_format(py_exc_RuntimeError, "super(): no arguments");
        return -1;
    }
    py_obj *first = f->localsplus[0];
    if (!first && co->cell2arg) {
        for (int32_t i = 0; i < co->ncells; i++)
            if (co->cell2arg[i] == 0)
                first = ((py_cell *)f->localsplus[co->nlocals + i])->ref;
    }
    if (first && py_isinstance_exact(first, &py_cell_type))
        first = ((py_cell *)first)->ref;
    if (!first) {
        py_err_format(py_exc_RuntimeError, "super(): arg[0] deleted");
        return -1;
    }
    int32_t n = py_frame_nlocalsplus(co);
    for (int32_t i = co->nlocals; i < n; i++) {
        if (!py_str_equal_cstr(py_tuple_items(co->localsplusnames)[i], "__class__"))
            continue;
        py_obj *cell = f->localsplus[i];
        py_obj *cls = cell && py_isinstance_exact(cell, &py_cell_type) ? ((py_cell *)cell)->ref : NULL;
        if (!cls || !py_isinstance_of(cls, &py_type_type)) {
            py_err_format(py_exc_RuntimeError, "super(): __class__ cell not found");
            return -1;
        }
        *type = (py_type *)cls;
        *obj = first;
        return 0;
    }
    py_err_format(py_exc_RuntimeError, "super(): __class__ cell not found");
    return -1;
}

static py_obj *super_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_type *type;
    py_obj *obj = NULL;
    if (nargs == 0) {
        if (super_implicit(&type, &obj) < 0)
            return NULL;
    } else {
        if (!py_isinstance_of(args[0], &py_type_type)) {
            py_err_format(py_exc_TypeError, "super() argument 1 must be a type, not %s",
                          py_type_name(py_type_of(args[0])));
            return NULL;
        }
        type = (py_type *)args[0];
        obj = nargs > 1 && args[1] != py_None ? args[1] : NULL;
    }
    py_type *ot = NULL;
    if (obj && !(ot = supercheck(type, obj)))
        return NULL;
    py_super *s = (py_super *)tl_object_new(vm.heap, &t->tl);
    if (!s)
        return py_err_no_memory(), NULL;
    s->type = (py_type *)py_newref(&type->tl.ob);
    s->obj = py_xnewref(obj);
    s->obj_type = ot ? (py_type *)py_newref(&ot->tl.ob) : NULL;
    return &s->ob;
}

static py_obj *super_getattr(py_obj *o, py_obj *name)
{
    py_super *s = (py_super *)o;
    if (s->obj_type && !py_str_equal_cstr(name, "__class__")) {
        py_obj *mro = s->obj_type->mro;
        intptr_t n = py_tuple_size(mro), i = 0;
        while (i < n && py_tuple_items(mro)[i] != &s->type->tl.ob)
            i++;
        for (i++; i < n; i++) {
            py_type *b = (py_type *)py_tuple_items(mro)[i];
            py_obj *v = b->dict ? py_dict_get(b->dict, name) : NULL;
            if (!v)
                continue;
            py_type *vt = py_type_of(v);
            if (vt->descr_get)
                return vt->descr_get(v, s->obj == &s->obj_type->tl.ob ? NULL : s->obj, &s->obj_type->tl.ob);
            return py_newref(v);
        }
    }
    return py_generic_getattr(o, name);
}

static py_obj *super_repr(py_obj *o)
{
    py_super *s = (py_super *)o;
    if (s->obj_type)
        return py_str_from_format("<super: <class '%s'>, <%s object>>", py_type_name(s->type),
                                  py_type_name(s->obj_type));
    return py_str_from_format("<super: <class '%s'>, NULL>", py_type_name(s->type));
}

py_type py_super_type = {
    PY_TYPE_HEAD("super", sizeof(py_super), 0, TL_TYPE_GC, .traverse = super_traverse, .clear = super_clear),
    .pyflags = PY_TPFLAGS_BASETYPE,
    .getattr = super_getattr,
    .repr = super_repr,
    .tp_new = super_new,
};

/* ---- None, NotImplemented, Ellipsis ------------------------------------------------------------------ */

static py_obj *none_repr(py_obj *o) { return py_str_from_cstr("None"); }
static int none_bool(py_obj *o) { return 0; }
static py_obj *none_new(py_type *t, py_obj *const *a, size_t n, py_obj *k)
{
    if (n || (k && py_tuple_size(k)))
        return py_err_format(py_exc_TypeError, "NoneType takes no arguments"), NULL;
    py_RETURN_NONE;
}
py_type py_none_type = {
    PY_TYPE_HEAD("NoneType", sizeof(tl_object), 0, 0),
    .repr = none_repr, .nb_bool = none_bool, .tp_new = none_new,
};
py_obj py_none_obj = TL_STATIC_HEAD(&py_none_type.tl);

static py_obj *notimpl_repr(py_obj *o) { return py_str_from_cstr("NotImplemented"); }
py_type py_notimpl_type = {
    PY_TYPE_HEAD("NotImplementedType", sizeof(tl_object), 0, 0),
    .repr = notimpl_repr,
};
py_obj py_notimpl_obj = TL_STATIC_HEAD(&py_notimpl_type.tl);

static py_obj *ellipsis_repr(py_obj *o) { return py_str_from_cstr("Ellipsis"); }
py_type py_ellipsis_type = {
    PY_TYPE_HEAD("ellipsis", sizeof(tl_object), 0, 0),
    .repr = ellipsis_repr,
};
py_obj py_ellipsis_obj = TL_STATIC_HEAD(&py_ellipsis_type.tl);

extern py_type py_mappingproxy_type;

int py_iter_init(void)
{
    py_type *types[] = {&py_seqiter_type, &py_calliter_type, &py_enumerate_type, &py_zip_type,
                        &py_map_type, &py_filter_type, &py_reversed_type, &py_super_type,
                        &py_none_type, &py_notimpl_type, &py_ellipsis_type, &py_mappingproxy_type};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (py_type_ready(types[i]) < 0)
            return -1;
    return 0;
}

/* ---- mappingproxy: the read-only view of a class's namespace ------------------------------ */

typedef struct py_mappingproxy {
    tl_object ob;
    py_obj *mapping;
} py_mappingproxy;

#define MP(o) (((py_mappingproxy *)(o))->mapping)

static int mp_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    return MP(o) ? visit(MP(o), arg) : 0;
}

static void mp_clear(tl_object *o) { TL_CLEAR(MP(o)); }

static py_obj *mp_getitem(py_obj *o, py_obj *k) { return py_getitem(MP(o), k); }
static intptr_t mp_len(py_obj *o) { return py_len(MP(o)); }
static int mp_contains(py_obj *o, py_obj *k) { return py_contains(MP(o), k); }
static py_obj *mp_iter(py_obj *o) { return py_iter(MP(o)); }

static py_obj *mp_repr(py_obj *o)
{
    return py_str_from_format("mappingproxy(%R)", MP(o));
}

static py_obj *mp_richcompare(py_obj *a, py_obj *b, int op)
{
    return py_richcompare(MP(a), b, op);
}

#define MP_FORWARD(fname, method) \
    static py_obj *fname(py_obj *c, py_obj *const *a, size_t n, py_obj *k) \
    { return py_call_method(MP(a[0]), method, a + 1, n - 1); }
MP_FORWARD(mp_keys, "keys")
MP_FORWARD(mp_values, "values")
MP_FORWARD(mp_items, "items")
MP_FORWARD(mp_get, "get")
MP_FORWARD(mp_copy, "copy")

static const py_method_def mp_methods[] = {
    {"keys", mp_keys, NULL}, {"values", mp_values, NULL}, {"items", mp_items, NULL},
    {"get", mp_get, NULL}, {"copy", mp_copy, NULL}, {NULL, NULL, NULL},
};

py_type py_mappingproxy_type = {
    PY_TYPE_HEAD("mappingproxy", sizeof(py_mappingproxy), 0, TL_TYPE_GC, .traverse = mp_traverse,
                 .clear = mp_clear),
    .getitem = mp_getitem,
    .len = mp_len,
    .contains = mp_contains,
    .iter = mp_iter,
    .repr = mp_repr,
    .richcompare = mp_richcompare,
    .methods = mp_methods,
};

py_obj *py_mappingproxy_new(py_obj *mapping)
{
    py_mappingproxy *p = (py_mappingproxy *)tl_object_new(vm.heap, &py_mappingproxy_type.tl);
    if (!p)
        return py_err_no_memory(), NULL;
    p->mapping = py_newref(mapping);
    return &p->ob;
}
