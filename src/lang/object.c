/* object.c — the generic object protocol: what the VM does with any value.
 *
 * repr/str/hash/compare/truth/attributes/items/iteration/arithmetic/calls,
 * each dispatching through the operand's py_type slots with CPython 3.11's
 * rules: reflected operands (a subclass's reflected method first), the
 * NotImplemented protocol, identity fallbacks for == and !=, and CPython's
 * error messages. Type-specific behaviour lives in each type's file.
 */
#include "py.h"
#include "lang_int.h"

/* ---- repr / str / hash ---------------------------------------------------- */

static py_obj *check_str_result(py_obj *r, const char *what)
{
    if (r && !py_str_check(r)) {
        py_err_format(py_exc_TypeError, "%s returned non-string (type %s)", what,
                      py_type_name(py_type_of(r)));
        tl_decref(r);
        return NULL;
    }
    return r;
}

py_obj *py_repr(py_obj *o)
{
    py_type *t = py_type_of(o);
    if (!t->repr)
        return py_str_from_format("<%s object at %p>", py_type_name(t), (void *)o);
    if (py_enter_recursive_call(" while getting the repr of an object"))
        return NULL;
    py_obj *r = t->repr(o);
    py_leave_recursive_call();
    return check_str_result(r, "__repr__");
}

py_obj *py_str(py_obj *o)
{
    if (py_isinstance_exact(o, &py_str_type))
        return py_newref(o);
    py_type *t = py_type_of(o);
    if (!t->str)
        return py_repr(o);
    if (py_enter_recursive_call(" while getting the str of an object"))
        return NULL;
    py_obj *r = t->str(o);
    py_leave_recursive_call();
    return check_str_result(r, "__str__");
}

intptr_t py_hash(py_obj *o)
{
    py_type *t = py_type_of(o);
    if (!t->hash) {
        py_err_format(py_exc_TypeError, "unhashable type: '%s'", py_type_name(t));
        return -1;
    }
    return t->hash(o);
}

intptr_t py_hash_pointer(const void *p)
{
    /* Rotate so the alignment zeros do not collide in small tables. */
    uintptr_t y = (uintptr_t)p;
    y = (y >> 4) | (y << (8 * sizeof(void *) - 4));
    intptr_t h = (intptr_t)y;
    return h == -1 ? -2 : h;
}

/* ---- comparison ------------------------------------------------------------ */

static const int swapped_op[] = {PY_GT, PY_GE, PY_EQ, PY_NE, PY_LT, PY_LE};
static const char *const op_symbol[] = {"<", "<=", "==", "!=", ">", ">="};

py_obj *py_richcompare(py_obj *a, py_obj *b, int op)
{
    py_type *ta = py_type_of(a), *tb = py_type_of(b);
    bool checked_reverse = false;
    py_obj *r;
    /* Comparisons of atoms cannot recurse (CPython 3.11 specializes them away
     * from the recursion check too). */
    bool guard = !(ta == tb && (ta == &py_int_type || ta == &py_float_type || ta == &py_str_type));
    if (guard && py_enter_recursive_call(" in comparison"))
        return NULL;
    if (ta != tb && tb->richcompare && py_type_is_subtype(tb, ta)) {
        checked_reverse = true;
        r = tb->richcompare(b, a, swapped_op[op]);
        if (r != py_NotImplemented)
            goto done;
        tl_decref(r);
    }
    if (ta->richcompare) {
        r = ta->richcompare(a, b, op);
        if (r != py_NotImplemented)
            goto done;
        tl_decref(r);
    }
    if (!checked_reverse && tb->richcompare) {
        r = tb->richcompare(b, a, swapped_op[op]);
        if (r != py_NotImplemented)
            goto done;
        tl_decref(r);
    }
    if (op == PY_EQ || op == PY_NE) {
        r = py_bool((a == b) == (op == PY_EQ));
        goto done;
    }
    py_err_format(py_exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                  op_symbol[op], py_type_name(ta), py_type_name(tb));
    r = NULL;
done:
    if (guard)
        py_leave_recursive_call();
    return r;
}

int py_richcompare_bool(py_obj *a, py_obj *b, int op)
{
    if (a == b) {
        if (op == PY_EQ)
            return 1;
        if (op == PY_NE)
            return 0;
    }
    py_obj *r = py_richcompare(a, b, op);
    if (!r)
        return -1;
    int t = (r == py_True) ? 1 : (r == py_False) ? 0 : py_truthy(r);
    tl_decref(r);
    return t;
}

int py_truthy(py_obj *o)
{
    if (o == py_True)
        return 1;
    if (o == py_False || o == py_None)
        return 0;
    py_type *t = py_type_of(o);
    if (t->nb_bool)
        return t->nb_bool(o);
    if (t->len) {
        intptr_t n = t->len(o);
        return n < 0 ? -1 : n > 0;
    }
    return 1;
}

/* ---- attributes ------------------------------------------------------------ */

static bool is_data_descriptor(py_obj *d)
{
    return py_type_of(d)->descr_set != NULL;
}

py_obj *py_attribute_error(py_obj *o, py_obj *name)
{
    py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%U'",
                  py_type_name(py_type_of(o)), name);
    py_exc_set_name_obj(name, o);
    return NULL;
}

py_obj *py_generic_getattr(py_obj *o, py_obj *name)
{
    py_type *t = py_type_of(o);
    py_obj *descr = py_type_lookup(t, name);
    if (descr) {
        tl_incref(descr);
        if (is_data_descriptor(descr) && py_type_of(descr)->descr_get) {
            py_obj *r = py_type_of(descr)->descr_get(descr, o, &t->tl.ob);
            tl_decref(descr);
            return r;
        }
    }
    py_obj *v = py_instance_get(o, name);
    if (v) {
        tl_xdecref(descr);
        return v;
    }
    if (py_err_occurred()) {
        tl_xdecref(descr);
        return NULL;
    }
    if (descr) {
        py_obj *r;
        if (py_type_of(descr)->descr_get)
            r = py_type_of(descr)->descr_get(descr, o, &t->tl.ob);
        else
            r = py_newref(descr);
        tl_decref(descr);
        return r;
    }
    return py_attribute_error(o, name);
}

int py_generic_setattr(py_obj *o, py_obj *name, py_obj *value)
{
    py_type *t = py_type_of(o);
    py_obj *descr = py_type_lookup(t, name);
    if (descr && py_type_of(descr)->descr_set) {
        tl_incref(descr);
        int r = py_type_of(descr)->descr_set(descr, o, value);
        tl_decref(descr);
        return r;
    }
    if (py_type_has(o, PY_TPFLAGS_INSTANCE))
        return py_instance_set(o, name, value);
    if (descr)
        py_err_format(py_exc_AttributeError, "'%s' object attribute '%U' is read-only",
                      py_type_name(t), name);
    else if (value)
        py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%U'",
                      py_type_name(t), name);
    else
        py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%U'",
                      py_type_name(t), name);
    return -1;
}

py_obj *py_getattr(py_obj *o, py_obj *name)
{
    if (!name)       /* py_str_interned() ran out of memory: MemoryError is set */
        return NULL;
    py_type *t = py_type_of(o);
    if (t->getattr)
        return t->getattr(o, name);
    return py_generic_getattr(o, name);
}

py_obj *py_getattr_str(py_obj *o, const char *name)
{
    return py_getattr(o, py_str_interned(name));
}

int py_getattr_opt(py_obj *o, py_obj *name, py_obj **out)
{
    *out = py_getattr(o, name);
    if (*out)
        return 1;
    if (py_err_matches(py_exc_AttributeError)) {
        py_err_clear();
        return 0;
    }
    return -1;
}

int py_setattr(py_obj *o, py_obj *name, py_obj *value)
{
    if (!name)       /* as in py_getattr */
        return -1;
    py_type *t = py_type_of(o);
    if (t->setattr)
        return t->setattr(o, name, value);
    if (!value)
        return py_generic_setattr(o, name, NULL);
    py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%U'", py_type_name(t), name);
    return -1;
}

int py_delattr(py_obj *o, py_obj *name) { return py_setattr(o, name, NULL); }

/* ---- items, length, membership ---------------------------------------------- */

py_obj *py_getitem(py_obj *o, py_obj *key)
{
    py_type *t = py_type_of(o);
    if (t->getitem)
        return t->getitem(o, key);
    if (py_isinstance_of(o, &py_type_type))
        return py_type_class_getitem(o, key);
    py_err_format(py_exc_TypeError, "'%s' object is not subscriptable", py_type_name(t));
    return NULL;
}

int py_setitem(py_obj *o, py_obj *key, py_obj *value)
{
    py_type *t = py_type_of(o);
    if (t->setitem)
        return t->setitem(o, key, value);
    py_err_format(py_exc_TypeError, "'%s' object does not support item assignment", py_type_name(t));
    return -1;
}

int py_delitem(py_obj *o, py_obj *key)
{
    py_type *t = py_type_of(o);
    if (t->setitem)
        return t->setitem(o, key, NULL);
    py_err_format(py_exc_TypeError, "'%s' object doesn't support item deletion", py_type_name(t));
    return -1;
}

intptr_t py_len(py_obj *o)
{
    py_type *t = py_type_of(o);
    if (t->len)
        return t->len(o);
    py_err_format(py_exc_TypeError, "object of type '%s' has no len()", py_type_name(t));
    return -1;
}

int py_contains(py_obj *container, py_obj *v)
{
    py_type *t = py_type_of(container);
    if (t->contains)
        return t->contains(container, v);
    py_obj *it = py_iter(container);
    if (!it) {
        if (py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            py_err_format(py_exc_TypeError, "argument of type '%s' is not iterable", py_type_name(t));
        }
        return -1;
    }
    int found = 0;
    py_obj *x;
    while (!found && (x = py_next(it))) {
        found = py_richcompare_bool(x, v, PY_EQ);
        tl_decref(x);
    }
    tl_decref(it);
    if (found < 0 || py_err_occurred())
        return -1;
    return found;
}

/* ---- iteration -------------------------------------------------------------- */

py_obj *py_iter(py_obj *o)
{
    py_type *t = py_type_of(o);
    if (t->iter) {
        py_obj *it = t->iter(o);
        if (it && !py_type_of(it)->iternext) {
            py_err_format(py_exc_TypeError, "iter() returned non-iterator of type '%s'",
                          py_type_name(py_type_of(it)));
            tl_decref(it);
            return NULL;
        }
        return it;
    }
    if (t->getitem && !py_type_has(o, PY_TPFLAGS_DICT_SUBCLASS))
        return py_seqiter_new(o);
    py_err_format(py_exc_TypeError, "'%s' object is not iterable", py_type_name(t));
    return NULL;
}

py_obj *py_next(py_obj *it)
{
    py_type *t = py_type_of(it);
    if (!t->iternext) {
        py_err_format(py_exc_TypeError, "'%s' object is not an iterator", py_type_name(t));
        return NULL;
    }
    return t->iternext(it);
}

/* ---- arithmetic ------------------------------------------------------------- */

const char *const py_nb_symbol[PY_NB_COUNT] = {
    "+", "&", "//", "<<", "@", "*", "%", "|", "** or pow()", ">>", "-", "/", "^",
};

/* CPython's binary_op1: the right operand's slot first if its type is a
 * proper subclass of the left's, then the left's, then the right's. */
static py_obj *binary_op1(py_obj *a, py_obj *b, int op)
{
    py_type *ta = py_type_of(a), *tb = py_type_of(b);
    py_binaryfunc fa = ta->nb[op], fb = (tb != ta) ? tb->nb[op] : NULL;
    if (fb == fa)
        fb = NULL;
    py_obj *r;
    if (fa) {
        if (fb && py_type_is_subtype(tb, ta)) {
            r = fb(a, b);
            if (r != py_NotImplemented)
                return r;
            tl_decref(r);
            fb = NULL;
        }
        r = fa(a, b);
        if (r != py_NotImplemented)
            return r;
        tl_decref(r);
    }
    if (fb)
        return fb(a, b);
    return py_newref(py_NotImplemented);
}

static py_obj *binop_type_error(py_obj *a, py_obj *b, int op, bool inplace)
{
    const char *sym = py_nb_symbol[op];
    char buf[8];
    if (inplace) {
        snprintf(buf, sizeof buf, "%s=", op == PY_NB_POWER ? "**" : sym);
        sym = buf;
    }
    if (op == PY_NB_ADD && py_str_check(a) && !inplace)
        py_err_format(py_exc_TypeError, "can only concatenate str (not \"%s\") to str",
                      py_type_name(py_type_of(b)));
    else if (op == PY_NB_ADD && py_isinstance_of(a, &py_list_type))
        py_err_format(py_exc_TypeError, "can only concatenate list (not \"%s\") to list",
                      py_type_name(py_type_of(b)));
    else if (op == PY_NB_ADD && py_isinstance_of(a, &py_tuple_type) && !inplace)
        py_err_format(py_exc_TypeError, "can only concatenate tuple (not \"%s\") to tuple",
                      py_type_name(py_type_of(b)));
    else
        py_err_format(py_exc_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'",
                      sym, py_type_name(py_type_of(a)), py_type_name(py_type_of(b)));
    return NULL;
}

/* Sequence repetition and concatenation through the number slots is each
 * sequence type's business (their nb[] entries); here only the protocol. */
py_obj *py_binary_op(py_obj *a, py_obj *b, int op)
{
    bool inplace = op >= PY_NB_INPLACE;
    if (inplace) {
        op -= PY_NB_INPLACE;
        py_binaryfunc f = py_type_of(a)->nb_inplace[op];
        if (f) {
            py_obj *r = f(a, b);
            if (r != py_NotImplemented)
                return r;
            tl_decref(r);
        }
    }
    py_obj *r = binary_op1(a, b, op);
    if (r != py_NotImplemented)
        return r;
    tl_decref(r);
    return binop_type_error(a, b, op, inplace);
}

static py_obj *unary(py_obj *o, py_unaryfunc f, const char *sym)
{
    if (f)
        return f(o);
    py_err_format(py_exc_TypeError, "bad operand type for unary %s: '%s'", sym,
                  py_type_name(py_type_of(o)));
    return NULL;
}

py_obj *py_unary_negative(py_obj *o) { return unary(o, py_type_of(o)->nb_negative, "-"); }
py_obj *py_unary_positive(py_obj *o) { return unary(o, py_type_of(o)->nb_positive, "+"); }
py_obj *py_unary_invert(py_obj *o) { return unary(o, py_type_of(o)->nb_invert, "~"); }

int py_index(py_obj *o, intptr_t *out)
{
    if (py_int_check(o)) {
        *out = py_int_as_ssize(o);
        return (*out == -1 && py_err_occurred()) ? -1 : 0;
    }
    py_type *t = py_type_of(o);
    if (!t->nb_index) {
        py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      py_type_name(t));
        return -1;
    }
    py_obj *i = t->nb_index(o);
    if (!i)
        return -1;
    *out = py_int_as_ssize(i);
    tl_decref(i);
    return (*out == -1 && py_err_occurred()) ? -1 : 0;
}

/* ---- calls ------------------------------------------------------------------ */

py_obj *py_call(py_obj *callable, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_vectorfunc f = py_type_of(callable)->call;
    if (!f) {
        py_err_format(py_exc_TypeError, "'%s' object is not callable",
                      py_type_name(py_type_of(callable)));
        return NULL;
    }
    /* Python frames count themselves (vm.c); C calls are not counted, as in
     * CPython 3.11's vectorcall path. */
    return f(callable, args, nargs, kwnames);
}

py_obj *py_call0(py_obj *c) { return py_call(c, NULL, 0, NULL); }
py_obj *py_call1(py_obj *c, py_obj *a) { return py_call(c, &a, 1, NULL); }
py_obj *py_call2(py_obj *c, py_obj *a, py_obj *b)
{
    py_obj *args[2] = {a, b};
    return py_call(c, args, 2, NULL);
}

py_obj *py_call_tuple_dict(py_obj *callable, py_obj *args, py_obj *kwargs)
{
    intptr_t n = py_tuple_size(args), nk = kwargs ? py_dict_size(kwargs) : 0;
    py_obj *small[16], **vec = small;
    if (n + nk > 16 && !(vec = tl_heap_alloc(vm.heap, sizeof(py_obj *) * (size_t)(n + nk))))
        return py_err_no_memory(), NULL;
    for (intptr_t i = 0; i < n; i++)
        vec[i] = py_tuple_items(args)[i];
    py_obj *kwnames = NULL;
    if (nk) {
        kwnames = py_tuple_new((size_t)nk);
        if (!kwnames)
            goto fail;
        intptr_t pos = 0, i = 0;
        py_obj *k, *v;
        while (py_dict_next(kwargs, &pos, &k, &v)) {
            if (!py_str_check(k)) {
                py_err_format(py_exc_TypeError, "keywords must be strings");
                goto fail;
            }
            py_tuple_items(kwnames)[i] = py_newref(k);
            vec[n + i++] = v;
        }
    }
    py_obj *r = py_call(callable, vec, (size_t)n, kwnames);
    tl_xdecref(kwnames);
    if (vec != small)
        tl_heap_free(vec);
    return r;
fail:
    tl_xdecref(kwnames);
    if (vec != small)
        tl_heap_free(vec);
    return NULL;
}

py_obj *py_call_method(py_obj *self, const char *name, py_obj *const *args, size_t nargs)
{
    py_obj *m = py_getattr_str(self, name);
    if (!m)
        return NULL;
    py_obj *r = py_call(m, args, nargs, NULL);
    tl_decref(m);
    return r;
}

py_obj *py_format(py_obj *value, py_obj *spec)
{
    py_obj *meth = py_type_lookup(py_type_of(value), py_str_interned("__format__"));
    if (!meth && py_err_occurred())
        return NULL;             /* the name could not be made */
    if (!meth) {
        py_err_format(py_exc_TypeError, "Type %s doesn't define __format__",
                      py_type_name(py_type_of(value)));
        return NULL;
    }
    py_obj *s = spec ? py_newref(spec) : py_str_from_cstr("");
    if (!s)
        return NULL;
    py_obj *bound = py_descr_bind(meth, value);
    py_obj *r = bound ? py_call1(bound, s) : NULL;
    tl_xdecref(bound);
    tl_decref(s);
    return check_str_result(r, "__format__");
}

const char *py_type_name(const py_type *t)
{
    const char *n = t->tl.name;
    if (t->name && !(t->pyflags & PY_TPFLAGS_HEAPTYPE))
        return n;
    if (t->name)
        return py_str_utf8(t->name);
    const char *dot = strrchr(n, '.');
    return dot ? dot + 1 : n;
}

py_obj *py_sequence_to_list(py_obj *iterable)
{
    py_obj *it = py_iter(iterable);
    if (!it)
        return NULL;
    py_obj *l = py_list_new(0), *x;
    while (l && (x = py_next(it))) {
        int r = py_list_append(l, x);
        tl_decref(x);
        if (r < 0)
            TL_CLEAR(l);
    }
    tl_decref(it);
    if (l && py_err_occurred())
        TL_CLEAR(l);
    return l;
}

py_obj *py_sequence_to_tuple(py_obj *iterable)
{
    if (py_isinstance_exact(iterable, &py_tuple_type))
        return py_newref(iterable);
    if (py_isinstance_exact(iterable, &py_list_type))    /* no copy through a list */
        return py_tuple_from_array(py_list_items(iterable), (size_t)py_list_size(iterable));
    py_obj *l = py_sequence_to_list(iterable);
    if (!l)
        return NULL;
    py_obj *t = py_tuple_from_array(py_list_items(l), (size_t)py_list_size(l));
    tl_decref(l);
    return t;
}
