/* range.c — range objects and their iterator.
 *
 * A range stores start, stop, step and its length as machine integers
 * (ranges whose bounds do not fit raise OverflowError at construction).
 * Invariants: step != 0; length = number of values, computed once. Ranges
 * and their iterators hold no references, so they are not GC types (as in
 * CPython, where range is not tracked).
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

typedef struct py_rangeobj {
    tl_object ob;
    intptr_t start, stop, step, length;
} py_rangeobj;

static inline py_rangeobj *R(py_obj *o) { return (py_rangeobj *)o; }

static intptr_t range_length(intptr_t start, intptr_t stop, intptr_t step)
{
    if (step > 0 && start < stop)
        return (intptr_t)(((uintptr_t)stop - (uintptr_t)start - 1) / (uintptr_t)step + 1);
    if (step < 0 && start > stop)
        return (intptr_t)(((uintptr_t)start - (uintptr_t)stop - 1) / (0 - (uintptr_t)step) + 1);
    return 0;
}

py_obj *py_range_new(intptr_t start, intptr_t stop, intptr_t step)
{
    py_rangeobj *r = (py_rangeobj *)tl_object_new(vm.heap, &py_range_type.tl);
    if (!r)
        return py_err_no_memory(), NULL;
    r->start = start;
    r->stop = stop;
    r->step = step;
    r->length = range_length(start, stop, step);
    return &r->ob;
}

static int range_arg(py_obj *o, intptr_t *out)
{
    if (!py_int_check(o) && !py_type_of(o)->nb_index) {
        py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      py_type_name(py_type_of(o)));
        return -1;
    }
    return py_index(o, out);
}

static py_obj *range_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "range() takes no keyword arguments");
        return NULL;
    }
    if (nargs == 0 || nargs > 3) {
        py_err_format(py_exc_TypeError, nargs ? "range expected at most 3 arguments, got %zd"
                                              : "range expected at least 1 argument, got %zd",
                      (intptr_t)nargs);
        return NULL;
    }
    intptr_t v[3] = {0, 0, 1};
    for (size_t i = 0; i < nargs; i++)
        if (range_arg(args[i], &v[nargs == 1 ? 1 : i]) < 0)
            return NULL;
    if (v[2] == 0) {
        py_err_format(py_exc_ValueError, "range() arg 3 must not be zero");
        return NULL;
    }
    return py_range_new(v[0], v[1], v[2]);
}

static py_obj *range_repr(py_obj *o)
{
    if (R(o)->step == 1)
        return py_str_from_format("range(%zd, %zd)", R(o)->start, R(o)->stop);
    return py_str_from_format("range(%zd, %zd, %zd)", R(o)->start, R(o)->stop, R(o)->step);
}

static intptr_t range_len(py_obj *o) { return R(o)->length; }

static py_obj *range_item(py_obj *o, intptr_t i)
{
    intptr_t j = py_seq_index(i, R(o)->length);
    if (j < 0) {
        py_err_format(py_exc_IndexError, "range object index out of range");
        return NULL;
    }
    return py_int_from_long((long long)R(o)->start + (long long)j * R(o)->step);
}

static py_obj *range_getitem(py_obj *o, py_obj *key)
{
    if (py_slice_check(key)) {
        intptr_t start, stop, step, n;
        if (py_slice_indices(key, R(o)->length, &start, &stop, &step, &n) < 0)
            return NULL;
        intptr_t s = R(o)->start + start * R(o)->step, st = R(o)->step * step;
        return py_range_new(s, s + n * st, st);
    }
    if (!py_int_check(key) && !py_type_of(key)->nb_index) {
        py_err_format(py_exc_TypeError, "range indices must be integers or slices, not %s",
                      py_type_name(py_type_of(key)));
        return NULL;
    }
    intptr_t i;
    if (py_index(key, &i) < 0)
        return NULL;
    return range_item(o, i);
}

/* 1 when the int v is one of the range's values. */
static int range_has_int(py_obj *o, py_obj *v)
{
    int ovf = 0;
    long long x = py_int_as_long(v, &ovf);
    if (ovf)
        return 0;
    intptr_t start = R(o)->start, stop = R(o)->stop, step = R(o)->step;
    if (step > 0 ? (x < start || x >= stop) : (x > start || x <= stop))
        return 0;
    return (x - start) % step == 0;
}

static int range_contains(py_obj *o, py_obj *v)
{
    if (py_isinstance_exact(v, &py_int_type) || py_isinstance_exact(v, &py_bool_type))
        return range_has_int(o, v);
    for (intptr_t i = 0; i < R(o)->length; i++) {
        py_obj *x = range_item(o, i);
        if (!x)
            return -1;
        int r = py_richcompare_bool(x, v, PY_EQ);
        tl_decref(x);
        if (r)
            return r;
    }
    return 0;
}

static py_obj *range_richcompare(py_obj *a, py_obj *b, int op)
{
    if (py_type_of(a) != &py_range_type || py_type_of(b) != &py_range_type ||
        (op != PY_EQ && op != PY_NE))
        return py_newref(py_NotImplemented);
    bool eq = R(a)->length == R(b)->length &&
              (R(a)->length == 0 || (R(a)->start == R(b)->start &&
                                     (R(a)->length == 1 || R(a)->step == R(b)->step)));
    return py_bool(eq == (op == PY_EQ));
}

static intptr_t range_hash(py_obj *o)
{
    py_obj *len = py_int_from_long(R(o)->length);
    py_obj *start = R(o)->length ? py_int_from_long(R(o)->start) : py_newref(py_None);
    py_obj *step = R(o)->length > 1 ? py_int_from_long(R(o)->step) : py_newref(py_None);
    py_obj *t = len && start && step ? py_tuple_pack(3, len, start, step) : NULL;
    tl_xdecref(len);
    tl_xdecref(start);
    tl_xdecref(step);
    if (!t)
        return -1;
    intptr_t h = py_hash(t);
    tl_decref(t);
    return h;
}

static int range_bool(py_obj *o) { return R(o)->length > 0; }

/* ---- iterator ----------------------------------------------------------------------- */

typedef struct range_iter {
    tl_object ob;
    intptr_t next, step, left;
} range_iter;

static py_obj *range_iter_make(intptr_t start, intptr_t step, intptr_t len)
{
    range_iter *it = (range_iter *)tl_object_new(vm.heap, &py_range_iter_type.tl);
    if (!it)
        return py_err_no_memory(), NULL;
    it->next = start;
    it->step = step;
    it->left = len;
    return &it->ob;
}

static py_obj *range_iter_new(py_obj *o) { return range_iter_make(R(o)->start, R(o)->step, R(o)->length); }

static py_obj *range_iter_next(py_obj *o)
{
    range_iter *it = (range_iter *)o;
    if (it->left <= 0)
        return NULL;
    intptr_t v = it->next;
    it->next = (intptr_t)((uintptr_t)it->next + (uintptr_t)it->step);
    it->left--;
    return py_int_from_long(v);
}

static py_obj *range_iter_m_length_hint(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_int_from_long(((range_iter *)a[0])->left);
}

static const py_method_def range_iter_methods[] = {
    {"__length_hint__", range_iter_m_length_hint, NULL},
    {NULL, NULL, NULL},
};

py_type py_range_iter_type = {
    PY_TYPE_HEAD("range_iterator", sizeof(range_iter), 0, 0),
    .iter = py_self_iter,
    .iternext = range_iter_next,
    .methods = range_iter_methods,
};

/* ---- methods -------------------------------------------------------------------------- */

static py_obj *range_m_reversed(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *o = a[0];
    intptr_t last = R(o)->start + (R(o)->length - 1) * R(o)->step;
    return range_iter_make(R(o)->length ? last : R(o)->start, -R(o)->step, R(o)->length);
}

static py_obj *range_m_count(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("range.count", n - 1, k, 1, 1) < 0)
        return NULL;
    if (py_isinstance_exact(a[1], &py_int_type) || py_isinstance_exact(a[1], &py_bool_type))
        return py_int_from_long(range_has_int(a[0], a[1]));
    intptr_t count = 0;
    for (intptr_t i = 0; i < R(a[0])->length; i++) {
        py_obj *x = range_item(a[0], i);
        int r = x ? py_richcompare_bool(x, a[1], PY_EQ) : -1;
        tl_xdecref(x);
        if (r < 0)
            return NULL;
        count += r;
    }
    return py_int_from_long(count);
}

static py_obj *range_m_index(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("range.index", n - 1, k, 1, 1) < 0)
        return NULL;
    py_obj *o = a[0];
    if (py_int_check(a[1])) {
        if (range_has_int(o, a[1])) {
            int ovf = 0;
            long long x = py_int_as_long(a[1], &ovf);
            return py_int_from_long((x - R(o)->start) / R(o)->step);
        }
    } else {
        for (intptr_t i = 0; i < R(o)->length; i++) {
            py_obj *x = range_item(o, i);
            int r = x ? py_richcompare_bool(x, a[1], PY_EQ) : -1;
            tl_xdecref(x);
            if (r < 0)
                return NULL;
            if (r)
                return py_int_from_long(i);
        }
    }
    py_err_format(py_exc_ValueError, "%R is not in range", a[1]);
    return NULL;
}

static py_obj *range_get_start(py_obj *o) { return py_int_from_long(R(o)->start); }
static py_obj *range_get_stop(py_obj *o) { return py_int_from_long(R(o)->stop); }
static py_obj *range_get_step(py_obj *o) { return py_int_from_long(R(o)->step); }

static const py_method_def range_methods[] = {
    {"__reversed__", range_m_reversed, NULL},
    {"count", range_m_count, NULL},
    {"index", range_m_index, NULL},
    {NULL, NULL, NULL},
};

static const py_getset_def range_getsets[] = {
    {"start", range_get_start, NULL},
    {"stop", range_get_stop, NULL},
    {"step", range_get_step, NULL},
    {NULL, NULL, NULL},
};

py_type py_range_type = {
    PY_TYPE_HEAD("range", sizeof(py_rangeobj), 0, 0),
    .repr = range_repr,
    .hash = range_hash,
    .richcompare = range_richcompare,
    .iter = range_iter_new,
    .nb_bool = range_bool,
    .len = range_len,
    .getitem = range_getitem,
    .contains = range_contains,
    .item = range_item,
    .tp_new = range_tp_new,
    .methods = range_methods,
    .getsets = range_getsets,
    .doc = "range(stop) -> range object",
};

int py_range_init(void)
{
    if (py_type_ready(&py_range_type) < 0 || py_type_ready(&py_range_iter_type) < 0)
        return -1;
    return 0;
}
