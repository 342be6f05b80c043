/* slotwrap.c — slot wrappers: the dunder methods of built-in types.
 *
 * A built-in type implements its behaviour in C slots (repr, hash,
 * richcompare, nb[], getitem...). So that Python code sees those as methods
 * — `Exception.__init__(self, msg)`, `super().__repr__()`, `list.__len__`,
 * `int.__add__` — py_type_ready puts a wrapper in the type's dict for every
 * slot the type defines itself (not inherited) and whose name the dict does
 * not already hold. Calling the wrapper with (self, *args) runs the slot.
 * A type that defines equality but no hash gets __hash__ = None.
 */
#include "py.h"
#include "lang_int.h"

enum sw_kind {
    SW_INIT, SW_REPR, SW_STR, SW_HASH, SW_CALL, SW_ITER, SW_NEXT, SW_LEN, SW_GETITEM,
    SW_SETITEM, SW_DELITEM, SW_CONTAINS, SW_BOOL, SW_GET, SW_SET, SW_DELETE,
    SW_NEG, SW_POS, SW_INVERT, SW_ABS, SW_INT, SW_FLOAT, SW_INDEX,
    SW_GETATTRIBUTE, SW_SETATTR, SW_DELATTR,
    SW_CMP,        /* + op */
    SW_NB,         /* + nb op: left operand is self */
    SW_RNB,        /* + nb op: right operand is self */
    SW_INPLACE,    /* + nb op */
    SW_NEW,
};

typedef struct py_slotwrapper {
    tl_object ob;
    py_type *owner;
    const char *name;
    int kind, op;
} py_slotwrapper;

extern py_type py_slotwrapper_type;

static int want_args(py_slotwrapper *w, size_t nargs, size_t n)
{
    if (nargs != n) {
        py_err_format(py_exc_TypeError, "expected %zd argument%s, got %zd", (intptr_t)n - 1,
                      n == 2 ? "" : "s", (intptr_t)nargs - 1);
        return -1;
    }
    (void)w;
    return 0;
}

static py_obj *from_int(int r)
{
    if (r < 0)
        return NULL;
    py_RETURN_NONE;
}

static py_obj *sw_binary(py_slotwrapper *w, py_obj *self, py_obj *other)
{
    py_type *t = w->owner;     /* never the subclass's slot: that would recurse */
    switch (w->kind) {
    case SW_NB:
        return t->nb[w->op] ? t->nb[w->op](self, other) : py_newref(py_NotImplemented);
    case SW_RNB:
        return t->nb[w->op] ? t->nb[w->op](other, self) : py_newref(py_NotImplemented);
    case SW_INPLACE:
        return t->nb_inplace[w->op] ? t->nb_inplace[w->op](self, other) : py_newref(py_NotImplemented);
    default:
        return t->richcompare ? t->richcompare(self, other, w->op) : py_newref(py_NotImplemented);
    }
}

static py_obj *sw_dispatch(py_slotwrapper *w, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *self = args[0];
    py_type *t = w->owner;          /* the defining type's slot, as CPython */
    bool kw = kwnames && py_tuple_size(kwnames);
    if (kw && w->kind != SW_INIT && w->kind != SW_CALL && w->kind != SW_NEW) {
        py_err_format(py_exc_TypeError, "wrapper %s() takes no keyword arguments", w->name);
        return NULL;
    }
    switch (w->kind) {
    case SW_INIT: return from_int(t->tp_init(self, args + 1, nargs - 1, kwnames));
    case SW_CALL: return t->call(self, args + 1, nargs - 1, kwnames);
    case SW_NEW:
        return NULL;
    default:
        break;
    }
    size_t n1 = (w->kind >= SW_CMP || w->kind == SW_GETITEM || w->kind == SW_DELITEM ||
                 w->kind == SW_CONTAINS || w->kind == SW_DELETE || w->kind == SW_GETATTRIBUTE ||
                 w->kind == SW_DELATTR) ? 2
              : (w->kind == SW_SETITEM || w->kind == SW_SET || w->kind == SW_SETATTR) ? 3
              : w->kind == SW_GET ? 0 : 1;
    if (n1 && want_args(w, nargs, n1) < 0)
        return NULL;
    switch (w->kind) {
    case SW_REPR: return t->repr(self);
    case SW_STR: return t->str(self);
    case SW_HASH: {
        intptr_t h = t->hash(self);
        return h == -1 && py_err_occurred() ? NULL : py_int_from_long(h);
    }
    case SW_ITER: return t->iter(self);
    case SW_NEXT: {
        py_obj *r = t->iternext(self);
        if (!r && !py_err_occurred())
            py_err_set_object(py_exc_StopIteration, NULL);
        return r;
    }
    case SW_LEN: {
        intptr_t n = t->len(self);
        return n < 0 ? NULL : py_int_from_long(n);
    }
    case SW_BOOL: {
        int b = t->nb_bool(self);
        return b < 0 ? NULL : py_bool(b);
    }
    case SW_GETITEM: return t->getitem(self, args[1]);
    case SW_SETITEM: return from_int(t->setitem(self, args[1], args[2]));
    case SW_DELITEM: return from_int(t->setitem(self, args[1], NULL));
    case SW_CONTAINS: {
        int r = t->contains(self, args[1]);
        return r < 0 ? NULL : py_bool(r);
    }
    case SW_GET:
        if (nargs < 2 || nargs > 3) {
            py_err_format(py_exc_TypeError, "__get__ expected 1 or 2 arguments");
            return NULL;
        }
        return t->descr_get(self, args[1] == py_None ? NULL : args[1], nargs > 2 ? args[2] : NULL);
    case SW_SET: return from_int(t->descr_set(self, args[1], args[2]));
    case SW_DELETE: return from_int(t->descr_set(self, args[1], NULL));
    case SW_NEG: return t->nb_negative(self);
    case SW_POS: return t->nb_positive(self);
    case SW_INVERT: return t->nb_invert(self);
    case SW_ABS: return t->nb_absolute(self);
    case SW_INT: return t->nb_int(self);
    case SW_FLOAT: return t->nb_float(self);
    case SW_INDEX: return t->nb_index(self);
    case SW_GETATTRIBUTE: return t->getattr(self, args[1]);
    case SW_SETATTR: return from_int(t->setattr(self, args[1], args[2]));
    case SW_DELATTR: return from_int(t->setattr(self, args[1], NULL));
    default: return sw_binary(w, self, args[1]);
    }
}

static py_obj *sw_call(py_obj *o, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_slotwrapper *w = (py_slotwrapper *)o;
    if (w->kind == SW_NEW) {
        if (nargs < 1 || !py_isinstance_of(args[0], &py_type_type)) {
            py_err_format(py_exc_TypeError, "%s.__new__(): not enough arguments", py_type_name(w->owner));
            return NULL;
        }
        py_type *sub = (py_type *)args[0];
        if (!py_type_is_subtype(sub, w->owner)) {
            py_err_format(py_exc_TypeError, "%s.__new__(%s): %s is not a subtype of %s", py_type_name(w->owner),
                          py_type_name(sub), py_type_name(sub), py_type_name(w->owner));
            return NULL;
        }
        if (py_type_check_new_safe(w->owner, sub) < 0)
            return NULL;
        return w->owner->tp_new(sub, args + 1, nargs - 1, kwnames);
    }
    if (nargs < 1) {
        py_err_format(py_exc_TypeError, "descriptor '%s' of '%s' object needs an argument", w->name,
                      py_type_name(w->owner));
        return NULL;
    }
    if (!py_isinstance_of(args[0], w->owner)) {
        py_err_format(py_exc_TypeError, "descriptor '%s' requires a '%s' object but received a '%s'", w->name,
                      py_type_name(w->owner), py_type_name(py_type_of(args[0])));
        return NULL;
    }
    return sw_dispatch(w, args, nargs, kwnames);
}

static py_obj *sw_get(py_obj *o, py_obj *obj, py_obj *type)
{
    py_slotwrapper *w = (py_slotwrapper *)o;
    if (!obj || w->kind == SW_NEW)
        return py_newref(o);
    return py_method_new(o, obj);
}

static py_obj *sw_repr(py_obj *o)
{
    py_slotwrapper *w = (py_slotwrapper *)o;
    return py_str_from_format("<slot wrapper '%s' of '%s' objects>", w->name, py_type_name(w->owner));
}

py_type py_slotwrapper_type = {
    PY_TYPE_HEAD("wrapper_descriptor", sizeof(py_slotwrapper), 0, 0),
    .pyflags = PY_TPFLAGS_METHOD_DESCR,
    .call = sw_call,
    .descr_get = sw_get,
    .repr = sw_repr,
};

/* ---- which wrappers a type gets ------------------------------------------------------ */

#define OWN(field) (t->field && (!b || t->field != b->field))

static int add(py_type *t, const char *name, int kind, int op)
{
    py_obj *key = py_str_interned(name);
    if (py_dict_get(t->dict, key))
        return 0;
    py_slotwrapper *w = (py_slotwrapper *)tl_object_new(vm.heap, &py_slotwrapper_type.tl);
    if (!w)
        return py_err_no_memory(), -1;
    w->owner = t;
    w->name = name;
    w->kind = kind;
    w->op = op;
    int r = py_dict_set(t->dict, key, &w->ob);
    tl_decref(&w->ob);
    return r;
}

static const char *const cmp_names[6] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};
static const char *const nb_names[PY_NB_COUNT][3] = {
    {"__add__", "__radd__", "__iadd__"}, {"__and__", "__rand__", "__iand__"},
    {"__floordiv__", "__rfloordiv__", "__ifloordiv__"}, {"__lshift__", "__rlshift__", "__ilshift__"},
    {"__matmul__", "__rmatmul__", "__imatmul__"}, {"__mul__", "__rmul__", "__imul__"},
    {"__mod__", "__rmod__", "__imod__"}, {"__or__", "__ror__", "__ior__"},
    {"__pow__", "__rpow__", "__ipow__"}, {"__rshift__", "__rrshift__", "__irshift__"},
    {"__sub__", "__rsub__", "__isub__"}, {"__truediv__", "__rtruediv__", "__itruediv__"},
    {"__xor__", "__rxor__", "__ixor__"},
};

int py_add_slot_wrappers(py_type *t)
{
    py_type *b = t->base;
    static const struct { size_t off; const char *name; int kind; } unary[] = {
        {offsetof(py_type, repr), "__repr__", SW_REPR}, {offsetof(py_type, str), "__str__", SW_STR},
        {offsetof(py_type, call), "__call__", SW_CALL}, {offsetof(py_type, iter), "__iter__", SW_ITER},
        {offsetof(py_type, iternext), "__next__", SW_NEXT}, {offsetof(py_type, len), "__len__", SW_LEN},
        {offsetof(py_type, getitem), "__getitem__", SW_GETITEM},
        {offsetof(py_type, contains), "__contains__", SW_CONTAINS},
        {offsetof(py_type, nb_bool), "__bool__", SW_BOOL}, {offsetof(py_type, descr_get), "__get__", SW_GET},
        {offsetof(py_type, nb_negative), "__neg__", SW_NEG}, {offsetof(py_type, nb_positive), "__pos__", SW_POS},
        {offsetof(py_type, nb_invert), "__invert__", SW_INVERT}, {offsetof(py_type, nb_absolute), "__abs__", SW_ABS},
        {offsetof(py_type, nb_int), "__int__", SW_INT}, {offsetof(py_type, nb_float), "__float__", SW_FLOAT},
        {offsetof(py_type, nb_index), "__index__", SW_INDEX}, {offsetof(py_type, tp_init), "__init__", SW_INIT},
        {offsetof(py_type, tp_new), "__new__", SW_NEW}, {offsetof(py_type, hash), "__hash__", SW_HASH},
        {offsetof(py_type, getattr), "__getattribute__", SW_GETATTRIBUTE},
    };
    for (size_t i = 0; i < sizeof unary / sizeof *unary; i++) {
        void *mine = *(void **)((char *)t + unary[i].off);
        void *theirs = b ? *(void **)((char *)b + unary[i].off) : NULL;
        if (mine && mine != theirs && add(t, unary[i].name, unary[i].kind, 0) < 0)
            return -1;
    }
    if (OWN(setitem) && (add(t, "__setitem__", SW_SETITEM, 0) < 0 || add(t, "__delitem__", SW_DELITEM, 0) < 0))
        return -1;
    if (OWN(descr_set) && (add(t, "__set__", SW_SET, 0) < 0 || add(t, "__delete__", SW_DELETE, 0) < 0))
        return -1;
    if (OWN(setattr) && (add(t, "__setattr__", SW_SETATTR, 0) < 0 || add(t, "__delattr__", SW_DELATTR, 0) < 0))
        return -1;
    if (OWN(richcompare))
        for (int op = 0; op < 6; op++)
            if (add(t, cmp_names[op], SW_CMP, op) < 0)
                return -1;
    for (int op = 0; op < PY_NB_COUNT; op++) {
        if (OWN(nb[op]) && (add(t, nb_names[op][0], SW_NB, op) < 0 || add(t, nb_names[op][1], SW_RNB, op) < 0))
            return -1;
        if (OWN(nb_inplace[op]) && add(t, nb_names[op][2], SW_INPLACE, op) < 0)
            return -1;
    }
    if (!t->hash && !py_dict_get_str(t->dict, "__hash__") && py_dict_set_str(t->dict, "__hash__", py_None) < 0)
        return -1;
    return 0;
}
