/* mod_weakref.c — _weakref: weak reference objects for Python.
 *
 * Owns the Python types over libtally's tl_weakref: ReferenceType (ref),
 * ProxyType and CallableProxyType (proxy), and KeyedRef (a ref that also
 * carries a key, for WeakValueDictionary); the functions getweakrefcount,
 * getweakrefs and proxy; and the call hook through which the collector runs
 * Python callbacks (callback(wr); failures reported as unraisable, any
 * pending exception kept).
 *
 * The library keeps each target's list and its order (basic ref, basic
 * proxy, then newest first) and shares callback-less refs and proxies: our
 * ref and proxy types are passed with TL_WEAKREF_BASIC_TYPE so they count as
 * the base type; KeyedRef and Python subclasses of ref never do.
 *
 * Which objects can be weakly referenced: those whose type has a
 * weaklist_offset, except instances of classes whose every class declares
 * __slots__ without "__weakref__" (CPython gives those no weaklist).
 *
 * The rest of the weakref module (WeakValueDictionary, WeakKeyDictionary,
 * WeakSet, finalize) is Python, in lib/weakref.py, over this one.
 */
#include "py.h"
#include "lang_int.h"
#include "modmem.h"

typedef struct keyed_ref {
    tl_weakref wr;
    py_obj *key;         /* strong */
} keyed_ref;

extern py_type py_ref_type, py_proxy_type, py_cproxy_type, py_keyedref_type;

static inline tl_weakref *WR(py_obj *o) { return (tl_weakref *)o; }

static bool is_proxy(py_obj *o)
{
    return py_isinstance_exact(o, &py_proxy_type) || py_isinstance_exact(o, &py_cproxy_type);
}

/* ---- creating references ------------------------------------------------------ */

/* Instances of classes that all declare __slots__ without __weakref__ have
 * no weak list in CPython, although their layout here has one. */
static bool slots_forbid(py_type *t)
{
    bool restricted = false;
    for (intptr_t i = 0; t->mro && i < py_tuple_size(t->mro); i++) {
        py_type *b = (py_type *)py_tuple_items(t->mro)[i];
        if (!(b->pyflags & PY_TPFLAGS_HEAPTYPE))
            continue;
        if (!b->slots)
            return false;
        restricted = true;
        for (intptr_t j = 0; j < py_tuple_size(b->slots); j++)
            if (py_str_equal_cstr(py_tuple_items(b->slots)[j], "__weakref__"))
                return false;
    }
    return restricted;
}

static bool weakrefable(py_obj *o)
{
    py_type *t = py_type_of(o);
    if (!t->tl.weaklist_offset)
        return false;
    return !(t->pyflags & PY_TPFLAGS_INSTANCE) || !slots_forbid(t);
}

static int check_weakrefable(py_obj *o)
{
    if (weakrefable(o))
        return 0;
    py_err_format(py_exc_TypeError, "cannot create weak reference to '%s' object", py_type_name(py_type_of(o)));
    return -1;
}

/* Instances of Python subclasses need their attribute part set up. */
static void init_instance_part(py_obj *o)
{
    py_type *t = py_type_of(o);
    if (!(t->pyflags & PY_TPFLAGS_INSTANCE))
        return;
    py_inst *in = py_inst_of(o);
    in->shape = t->root_shape;
    in->capacity = in->inline_cap = t->inline_slots;
}

static py_obj *new_ref(py_type *t, py_obj *target, py_obj *callback, unsigned flags)
{
    if (check_weakrefable(target) < 0)
        return NULL;
    tl_weakref_spec spec = {
        .type = &t->tl,
        .flags = flags,
        .callback = callback == py_None ? NULL : callback,
        .heap = vm.heap,     /* static targets (built-in types) have none of their own */
    };
    if (t == &py_ref_type || t == &py_proxy_type || t == &py_cproxy_type)
        spec.flags |= TL_WEAKREF_BASIC_TYPE;
    tl_weakref *wr = tl_weakref_new_ex(target, &spec);
    if (!wr)
        return py_err_no_memory(), NULL;
    init_instance_part(&wr->ob);
    return &wr->ob;
}

static py_obj *ref_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "ref() takes no keyword arguments");
        return NULL;
    }
    if (nargs < 1 || nargs > 2) {
        py_err_format(py_exc_TypeError, "__new__ expected %s 1 argument%s, got %zd",
                      nargs < 1 ? "at least" : "at most", nargs < 1 ? "" : "s", (intptr_t)nargs);
        return NULL;
    }
    return new_ref(t, args[0], nargs == 2 ? args[1] : NULL, 0);
}

static int ref_init(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return 0;
}

/* ---- ref ------------------------------------------------------------------------ */

static py_obj *ref_call(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (nargs || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "weakref() takes no arguments (%zd given)", (intptr_t)nargs);
        return NULL;
    }
    py_obj *o = tl_weakref_get(WR(self));
    return py_newref(o ? o : py_None);
}

/* "(name)" when the referent has a str __name__, else "". */
static py_obj *referent_name(py_obj *o)
{
    py_obj *name = NULL;
    if (py_getattr_opt(o, py_str_interned("__name__"), &name) < 0)
        py_err_clear();
    if (!name || !py_str_check(name)) {
        tl_xdecref(name);
        return py_str_from_cstr("");
    }
    py_obj *r = py_str_from_format(" (%U)", name);
    tl_decref(name);
    return r;
}

static py_obj *describe(py_obj *self, const char *what)
{
    py_obj *o = tl_weakref_get(WR(self));
    if (!o)
        return py_str_from_format("<%s at %p; dead>", what, (void *)self);
    tl_incref(o);
    py_obj *name = referent_name(o);
    py_obj *r = name ? py_str_from_format("<%s at %p; to '%s' at %p%U>", what, (void *)self,
                                          py_type_name(py_type_of(o)), (void *)o, name)
                     : NULL;
    tl_xdecref(name);
    tl_decref(o);
    return r;
}

static py_obj *ref_repr(py_obj *self) { return describe(self, "weakref"); }

static intptr_t ref_hash(py_obj *self)
{
    tl_weakref *wr = WR(self);
    if (wr->hash != -1)
        return wr->hash;
    py_obj *o = tl_weakref_get(wr);
    if (!o) {
        py_err_format(py_exc_TypeError, "weak object has gone away");
        return -1;
    }
    tl_incref(o);
    intptr_t h = py_hash(o);
    tl_decref(o);
    if (h != -1)
        wr->hash = h;
    return h;
}

static bool is_ref(py_obj *o) { return py_isinstance_of(o, &py_ref_type); }

/* Live references compare as their referents; a dead one only equals itself. */
static py_obj *ref_richcompare(py_obj *a, py_obj *b, int op)
{
    if ((op != PY_EQ && op != PY_NE) || !is_ref(a) || !is_ref(b))
        return py_newref(py_NotImplemented);
    py_obj *x = tl_weakref_get(WR(a)), *y = tl_weakref_get(WR(b));
    if (!x || !y) {
        bool same = a == b;
        return py_bool(op == PY_EQ ? same : !same);
    }
    tl_incref(x);
    tl_incref(y);
    py_obj *r = py_richcompare(x, y, op);
    tl_decref(x);
    tl_decref(y);
    return r;
}

static py_obj *ref_get_callback(py_obj *self)
{
    py_obj *cb = tl_weakref_callback(WR(self));
    return py_newref(cb ? cb : py_None);
}

static const py_getset_def ref_getsets[] = {
    {"__callback__", ref_get_callback, NULL},
    {NULL, NULL, NULL},
};

py_type py_ref_type = {
    PY_TYPE_HEAD("weakref.ReferenceType", sizeof(tl_weakref), 0, TL_TYPE_GC,
                 .traverse = tl_weakref_traverse, .clear = tl_weakref_clear),
    .pyflags = PY_TPFLAGS_BASETYPE,
    .repr = ref_repr,
    .hash = ref_hash,
    .richcompare = ref_richcompare,
    .call = ref_call,
    .tp_new = ref_new,
    .tp_init = ref_init,
    .getsets = ref_getsets,
};

/* ---- KeyedRef -------------------------------------------------------------------- */

static py_obj *keyedref_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if ((kwnames && py_tuple_size(kwnames)) || nargs != 3) {
        py_err_format(py_exc_TypeError, "KeyedRef expected 3 arguments, got %zd", (intptr_t)nargs);
        return NULL;
    }
    py_obj *o = new_ref(t, args[0], args[1], 0);
    if (o)
        ((keyed_ref *)o)->key = py_newref(args[2]);
    return o;
}

static int keyedref_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    keyed_ref *k = (keyed_ref *)o;
    int r = tl_weakref_traverse(o, visit, arg);
    return r ? r : k->key ? visit(k->key, arg) : 0;
}

static void keyedref_clear(tl_object *o)
{
    tl_weakref_clear(o);
    TL_CLEAR(((keyed_ref *)o)->key);
}

static py_obj *keyedref_get_key(py_obj *self)
{
    py_obj *k = ((keyed_ref *)self)->key;
    return py_newref(k ? k : py_None);
}

static const py_getset_def keyedref_getsets[] = {
    {"key", keyedref_get_key, NULL},
    {NULL, NULL, NULL},
};

py_type py_keyedref_type = {
    PY_TYPE_HEAD("weakref.KeyedRef", sizeof(keyed_ref), 0, TL_TYPE_GC,
                 .traverse = keyedref_traverse, .clear = keyedref_clear),
    .base = &py_ref_type,
    .repr = ref_repr,
    .hash = ref_hash,
    .richcompare = ref_richcompare,
    .call = ref_call,
    .tp_new = keyedref_new,
    .tp_init = ref_init,
    .getsets = keyedref_getsets,
};

/* ---- proxies -------------------------------------------------------------------- */

/* The referent (new reference), or ReferenceError. */
static py_obj *referent(py_obj *proxy)
{
    py_obj *o = tl_weakref_get(WR(proxy));
    if (!o) {
        py_err_format(py_exc_ReferenceError, "weakly-referenced object no longer exists");
        return NULL;
    }
    return py_newref(o);
}

/* An operand: a proxy's referent, or the object itself (new references). */
static py_obj *unwrap(py_obj *o)
{
    return is_proxy(o) ? referent(o) : py_newref(o);
}

static py_obj *proxy_getattr(py_obj *self, py_obj *name)
{
    py_obj *o = referent(self);
    if (!o)
        return NULL;
    py_obj *r = py_getattr(o, name);
    tl_decref(o);
    return r;
}

static int proxy_setattr(py_obj *self, py_obj *name, py_obj *value)
{
    py_obj *o = referent(self);
    if (!o)
        return -1;
    int r = value ? py_setattr(o, name, value) : py_delattr(o, name);
    tl_decref(o);
    return r;
}

static py_obj *proxy_repr(py_obj *self) { return describe(self, "weakproxy"); }

#define PROXY_UNARY(fn, call)                        \
    static py_obj *fn(py_obj *self)                  \
    {                                                \
        py_obj *o = referent(self);                  \
        if (!o)                                      \
            return NULL;                             \
        py_obj *r = call(o);                         \
        tl_decref(o);                                \
        return r;                                    \
    }
PROXY_UNARY(proxy_str, py_str)
PROXY_UNARY(proxy_iter, py_iter)
PROXY_UNARY(proxy_neg, py_unary_negative)
PROXY_UNARY(proxy_pos, py_unary_positive)
PROXY_UNARY(proxy_invert, py_unary_invert)

static py_obj *proxy_next(py_obj *self)
{
    py_obj *o = referent(self);
    if (!o)
        return NULL;
    py_obj *r = py_next(o);
    tl_decref(o);
    return r;
}

static py_obj *proxy_call(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *o = referent(self);
    if (!o)
        return NULL;
    py_obj *r = py_call(o, args, nargs, kwnames);
    tl_decref(o);
    return r;
}

static intptr_t proxy_len(py_obj *self)
{
    py_obj *o = referent(self);
    if (!o)
        return -1;
    intptr_t n = py_len(o);
    tl_decref(o);
    return n;
}

static int proxy_bool(py_obj *self)
{
    py_obj *o = referent(self);
    if (!o)
        return -1;
    int r = py_truthy(o);
    tl_decref(o);
    return r;
}

static int proxy_contains(py_obj *self, py_obj *v)
{
    py_obj *o = referent(self);
    if (!o)
        return -1;
    int r = py_contains(o, v);
    tl_decref(o);
    return r;
}

static py_obj *proxy_getitem(py_obj *self, py_obj *key)
{
    py_obj *o = referent(self);
    if (!o)
        return NULL;
    py_obj *r = py_getitem(o, key);
    tl_decref(o);
    return r;
}

static int proxy_setitem(py_obj *self, py_obj *key, py_obj *value)
{
    py_obj *o = referent(self);
    if (!o)
        return -1;
    int r = value ? py_setitem(o, key, value) : py_delitem(o, key);
    tl_decref(o);
    return r;
}

static intptr_t proxy_hash(py_obj *self)
{
    py_err_format(py_exc_TypeError, "unhashable type: '%s'", py_type_of(self)->tl.name);
    return -1;
}

static py_obj *proxy_richcompare(py_obj *a, py_obj *b, int op)
{
    py_obj *x = unwrap(a);
    py_obj *y = x ? unwrap(b) : NULL;
    py_obj *r = y ? py_richcompare(x, y, op) : NULL;
    tl_xdecref(x);
    tl_xdecref(y);
    return r;
}

static py_obj *proxy_binary(py_obj *a, py_obj *b, int op)
{
    py_obj *x = unwrap(a);
    py_obj *y = x ? unwrap(b) : NULL;
    py_obj *r = y ? py_binary_op(x, y, op) : NULL;
    tl_xdecref(x);
    tl_xdecref(y);
    return r;
}

#define PROXY_BINOP(op) \
    static py_obj *proxy_##op(py_obj *a, py_obj *b) { return proxy_binary(a, b, PY_NB_##op); }
PROXY_BINOP(ADD)
PROXY_BINOP(AND)
PROXY_BINOP(FLOOR_DIVIDE)
PROXY_BINOP(LSHIFT)
PROXY_BINOP(MATRIX_MULTIPLY)
PROXY_BINOP(MULTIPLY)
PROXY_BINOP(REMAINDER)
PROXY_BINOP(OR)
PROXY_BINOP(POWER)
PROXY_BINOP(RSHIFT)
PROXY_BINOP(SUBTRACT)
PROXY_BINOP(TRUE_DIVIDE)
PROXY_BINOP(XOR)

#define PROXY_SLOTS                                                                              \
    .getattr = proxy_getattr, .setattr = proxy_setattr, .repr = proxy_repr, .str = proxy_str,    \
    .hash = proxy_hash, .richcompare = proxy_richcompare, .iter = proxy_iter,                    \
    .iternext = proxy_next, .len = proxy_len, .nb_bool = proxy_bool,                             \
    .contains = proxy_contains, .getitem = proxy_getitem, .setitem = proxy_setitem,              \
    .nb_negative = proxy_neg, .nb_positive = proxy_pos, .nb_invert = proxy_invert,               \
    .nb = {                                                                                      \
        [PY_NB_ADD] = proxy_ADD, [PY_NB_AND] = proxy_AND, [PY_NB_FLOOR_DIVIDE] = proxy_FLOOR_DIVIDE, \
        [PY_NB_LSHIFT] = proxy_LSHIFT, [PY_NB_MATRIX_MULTIPLY] = proxy_MATRIX_MULTIPLY,          \
        [PY_NB_MULTIPLY] = proxy_MULTIPLY, [PY_NB_REMAINDER] = proxy_REMAINDER,                  \
        [PY_NB_OR] = proxy_OR, [PY_NB_POWER] = proxy_POWER, [PY_NB_RSHIFT] = proxy_RSHIFT,       \
        [PY_NB_SUBTRACT] = proxy_SUBTRACT, [PY_NB_TRUE_DIVIDE] = proxy_TRUE_DIVIDE,              \
        [PY_NB_XOR] = proxy_XOR,                                                                 \
    }

py_type py_proxy_type = {
    PY_TYPE_HEAD("weakref.ProxyType", sizeof(tl_weakref), 0, TL_TYPE_GC,
                 .traverse = tl_weakref_traverse, .clear = tl_weakref_clear),
    PROXY_SLOTS,
};

py_type py_cproxy_type = {
    PY_TYPE_HEAD("weakref.CallableProxyType", sizeof(tl_weakref), 0, TL_TYPE_GC,
                 .traverse = tl_weakref_traverse, .clear = tl_weakref_clear),
    PROXY_SLOTS,
    .call = proxy_call,
};

static bool is_callable(py_obj *o)
{
    return py_type_of(o)->call != NULL;
}

/* ---- module functions -------------------------------------------------------------- */

#define MOD(name) static py_obj *wr_##name(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)

MOD(proxy)
{
    py_obj *a[2];
    if (py_parse_args("proxy", args, nargs, kwnames, "object|callback", a) < 0)
        return NULL;
    py_type *t = is_callable(a[0]) ? &py_cproxy_type : &py_proxy_type;
    return new_ref(t, a[0], a[1], TL_WEAKREF_PROXY);
}

MOD(getweakrefcount)
{
    if (nargs != 1 || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "getweakrefcount() takes exactly one argument (%zd given)", (intptr_t)nargs);
        return NULL;
    }
    return py_int_from_size(tl_weakref_count(args[0]));
}

MOD(getweakrefs)
{
    if (nargs != 1 || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "getweakrefs() takes exactly one argument (%zd given)", (intptr_t)nargs);
        return NULL;
    }
    size_t n = tl_weakref_count(args[0]);
    py_obj *l = py_list_new(n);
    if (!l || n == 0)
        return l;
    tl_weakref **refs = tl_heap_alloc(vm.heap, n * sizeof *refs);
    if (!refs) {
        tl_decref(l);
        return py_err_no_memory(), NULL;
    }
    tl_weakref_list(args[0], refs, n);
    for (size_t i = 0; i < n; i++)
        py_list_items(l)[i] = py_newref(&refs[i]->ob);
    tl_heap_free(refs);
    return l;
}

/* _remove_dead_weakref(d, key): deletes d[key] if it is a dead weakref. */
MOD(_remove_dead_weakref)
{
    py_obj *a[2];
    if (py_parse_args("_remove_dead_weakref", args, nargs, kwnames, "dct key", a) < 0)
        return NULL;
    py_obj *v = py_dict_get(a[0], a[1]);
    if (!v) {
        if (py_err_occurred())
            return NULL;
        py_RETURN_NONE;
    }
    if (is_ref(v) && !tl_weakref_get(WR(v)) && py_dict_del(a[0], a[1]) < 0)
        return NULL;
    py_RETURN_NONE;
}

/* _print_exception(exc): the traceback and message on stderr, as
 * sys.excepthook prints them (finalize's exit function reports with it). */
MOD(_print_exception)
{
    if (nargs != 1 || !py_isinstance_of(args[0], py_exc_BaseException)) {
        py_err_format(py_exc_TypeError, "_print_exception() takes one exception");
        return NULL;
    }
    fflush(stdout);
    py_print_exception(args[0]);
    fflush(stderr);
    py_RETURN_NONE;
}

static const py_method_def weakref_functions[] = {
    {"_print_exception", wr__print_exception, NULL},
    {"proxy", wr_proxy, NULL},
    {"getweakrefcount", wr_getweakrefcount, NULL},
    {"getweakrefs", wr_getweakrefs, NULL},
    {"_remove_dead_weakref", wr__remove_dead_weakref, NULL},
    {NULL, NULL, NULL},
};

/* ---- the collector's call hook ----------------------------------------------------- */

static void call_hook(tl_heap *h, tl_object *callback, tl_weakref *wr, void *arg)
{
    (void)h;
    (void)arg;
    py_obj *saved = py_err_fetch();
    py_obj *r = py_call1(callback, &wr->ob);
    if (!r)
        py_err_write_unraisable(callback);
    tl_xdecref(r);
    if (saved)
        py_err_set_exc_raw(saved);
}

int py_weakref_setup(void)
{
    py_type *types[] = {&py_ref_type, &py_keyedref_type, &py_proxy_type, &py_cproxy_type};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (py_type_ready(types[i]) < 0)
            return -1;
    tl_weakref_set_call_hook(vm.heap, call_hook, NULL);
    /* References the core makes (a class's subclass list, shutdown) are
     * plain refs to Python too: getweakrefs() hands them out. */
    tl_weakref_set_default_type(vm.heap, &py_ref_type.tl, TL_WEAKREF_BASIC_TYPE);
    return 0;
}

static int add_type(py_obj *m, const char *name, py_type *t)
{
    return py_module_add(m, name, py_newref(&t->tl.ob));
}

py_obj *py_init_weakref(void)
{
    if (!py_ref_type.mro && py_weakref_setup() < 0)
        return NULL;
    py_obj *m = py_module_new("_weakref");
    if (!m)
        return NULL;
    py_obj *ptypes = py_tuple_pack(2, &py_proxy_type.tl.ob, &py_cproxy_type.tl.ob);
    if (py_module_add_functions(m, weakref_functions) < 0 || add_type(m, "ref", &py_ref_type) < 0 ||
        add_type(m, "ReferenceType", &py_ref_type) < 0 || add_type(m, "ProxyType", &py_proxy_type) < 0 ||
        add_type(m, "CallableProxyType", &py_cproxy_type) < 0 || add_type(m, "KeyedRef", &py_keyedref_type) < 0 ||
        py_module_add(m, "ProxyTypes", ptypes) < 0) {
        tl_decref(m);
        return NULL;
    }
    return m;
}
