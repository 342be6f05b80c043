/* range.c — range objects and their iterators.
 *
 * A range whose start, stop, step and length all fit a machine word stores
 * them as machine integers (the common case, fast). Otherwise, as CPython
 * falls back to big ints, it is a "long" range: length < 0 and `big` holds
 * the tuple (start, stop, step, length) of ints, and every operation works
 * on int objects (the long_* functions). Invariants: step != 0; length is
 * the number of values, computed once. Ranges and their iterators hold no
 * references that can form a cycle (ints only), so they are not GC types,
 * as in CPython.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

typedef struct py_rangeobj {
    tl_object ob;
    union {
        struct { intptr_t start, stop, step; };
        py_obj *big;                  /* length < 0: (start, stop, step, length) */
    };
    intptr_t length;                  /* -1: a long range */
} py_rangeobj;

static inline py_rangeobj *R(py_obj *o) { return (py_rangeobj *)o; }
static inline bool is_long(py_obj *o) { return R(o)->length < 0; }

/* The length, or -1 when it does not fit a machine word. */
static intptr_t range_length(intptr_t start, intptr_t stop, intptr_t step)
{
    uintptr_t n = 0;
    if (step > 0 && start < stop)
        n = ((uintptr_t)stop - (uintptr_t)start - 1) / (uintptr_t)step + 1;
    if (step < 0 && start > stop)
        n = ((uintptr_t)start - (uintptr_t)stop - 1) / (0 - (uintptr_t)step) + 1;
    return n > (uintptr_t)INTPTR_MAX ? -1 : (intptr_t)n;
}

/* ---- int-object arithmetic for long ranges --------------------------------------------- */

static py_obj *I(long long v) { return py_int_from_long(v); }

/* a OP b, consuming neither; NULL on error. */
static py_obj *arith(py_obj *a, py_obj *b, int op) { return py_binary_op(a, b, op); }

static int sign_of(py_obj *v)
{
    py_obj *zero = I(0);
    int gt = zero ? py_richcompare_bool(v, zero, PY_GT) : -1;
    int lt = gt == 0 ? py_richcompare_bool(v, zero, PY_LT) : 0;
    tl_xdecref(zero);
    return gt < 0 || lt < 0 ? -2 : gt ? 1 : lt ? -1 : 0;
}

/* (hi - lo - 1) // step + 1 for the side the step walks, or 0. */
static py_obj *long_length(py_obj *start, py_obj *stop, py_obj *step)
{
    int sg = sign_of(step);
    if (sg == -2)
        return NULL;
    py_obj *lo = sg > 0 ? start : stop, *hi = sg > 0 ? stop : start;
    int empty = py_richcompare_bool(lo, hi, PY_GE);
    if (empty)
        return empty < 0 ? NULL : I(0);
    py_obj *one = I(1), *st = sg > 0 ? py_newref(step) : py_unary_negative(step);
    py_obj *d = one && st ? arith(hi, lo, PY_NB_SUBTRACT) : NULL;
    py_obj *d1 = d ? arith(d, one, PY_NB_SUBTRACT) : NULL;
    py_obj *q = d1 ? arith(d1, st, PY_NB_FLOOR_DIVIDE) : NULL;
    py_obj *n = q ? arith(q, one, PY_NB_ADD) : NULL;
    tl_xdecref(one);
    tl_xdecref(st);
    tl_xdecref(d);
    tl_xdecref(d1);
    tl_xdecref(q);
    return n;
}

/* A range from int objects: machine fields when everything fits. */
static py_obj *range_from_ints(py_obj *start, py_obj *stop, py_obj *step)
{
    int o1 = 0, o2 = 0, o3 = 0;
    long long a = py_int_as_long(start, &o1), b = py_int_as_long(stop, &o2), c = py_int_as_long(step, &o3);
    if (!o1 && !o2 && !o3 && range_length((intptr_t)a, (intptr_t)b, (intptr_t)c) >= 0)
        return py_range_new((intptr_t)a, (intptr_t)b, (intptr_t)c);
    py_obj *n = long_length(start, stop, step);
    py_obj *t = n ? py_tuple_pack(4, start, stop, step, n) : NULL;
    tl_xdecref(n);
    if (!t)
        return NULL;
    py_rangeobj *r = (py_rangeobj *)tl_object_new(vm.heap, &py_range_type.tl);
    if (!r) {
        tl_decref(t);
        return py_err_no_memory(), NULL;
    }
    r->big = t;
    r->length = -1;
    return &r->ob;
}

/* Field i (0 start, 1 stop, 2 step, 3 length) as an int object (new ref). */
static py_obj *field(py_obj *o, int i)
{
    if (is_long(o))
        return py_newref(py_tuple_items(R(o)->big)[i]);
    intptr_t v[4] = {R(o)->start, R(o)->stop, R(o)->step, R(o)->length};
    return I(v[i]);
}

py_obj *py_range_new(intptr_t start, intptr_t stop, intptr_t step)
{
    intptr_t n = range_length(start, stop, step);
    if (n < 0) {
        py_obj *a = I(start), *b = I(stop), *c = I(step);
        py_obj *r = a && b && c ? range_from_ints(a, b, c) : NULL;
        tl_xdecref(a);
        tl_xdecref(b);
        tl_xdecref(c);
        return r;
    }
    py_rangeobj *r = (py_rangeobj *)tl_object_new(vm.heap, &py_range_type.tl);
    if (!r)
        return py_err_no_memory(), NULL;
    r->start = start;
    r->stop = stop;
    r->step = step;
    r->length = n;
    return &r->ob;
}

static void range_dealloc(tl_object *o)
{
    if (is_long(o))
        tl_decref(R(o)->big);
    tl_object_free(o);
}

/* An argument as an int object (new ref), through __index__. */
static py_obj *range_arg(py_obj *o)
{
    if (py_int_check(o))
        return py_newref(o);
    if (!py_type_of(o)->nb_index) {
        py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      py_type_name(py_type_of(o)));
        return NULL;
    }
    return py_type_of(o)->nb_index(o);
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
    py_obj *v[3] = {NULL, NULL, NULL}, *r = NULL;
    for (size_t i = 0; i < nargs; i++)
        if (!(v[nargs == 1 ? 1 : i] = range_arg(args[i])))
            goto done;
    if (!v[0] && !(v[0] = I(0)))
        goto done;
    if (!v[2] && !(v[2] = I(1)))
        goto done;
    int sg = sign_of(v[2]);
    if (sg == 0)
        py_err_format(py_exc_ValueError, "range() arg 3 must not be zero");
    if (sg != 0 && sg != -2)
        r = range_from_ints(v[0], v[1], v[2]);
done:
    for (int i = 0; i < 3; i++)
        tl_xdecref(v[i]);
    return r;
}

/* Compares field i of a with field i of b, or with the int v when b is NULL. */
static int field_eq(py_obj *a, py_obj *b, int i, long long v)
{
    py_obj *x = field(a, i), *y = x ? (b ? field(b, i) : I(v)) : NULL;
    int eq = y ? py_richcompare_bool(x, y, PY_EQ) : -1;
    tl_xdecref(x);
    tl_xdecref(y);
    return eq;
}

static py_obj *range_repr(py_obj *o)
{
    int step1 = is_long(o) ? field_eq(o, NULL, 2, 1) : R(o)->step == 1;
    py_obj *f[3] = {field(o, 0), field(o, 1), field(o, 2)};
    py_obj *r = NULL;
    if (f[0] && f[1] && f[2] && step1 >= 0)
        r = step1 ? py_str_from_format("range(%R, %R)", f[0], f[1])
                  : py_str_from_format("range(%R, %R, %R)", f[0], f[1], f[2]);
    for (int i = 0; i < 3; i++)
        tl_xdecref(f[i]);
    return r;
}

/* The length of a long range when it fits a machine word (else -1 and
   OverflowError, as CPython's len()). */
static intptr_t range_len(py_obj *o)
{
    if (!is_long(o))
        return R(o)->length;
    int ovf = 0;
    long long n = py_int_as_long(py_tuple_items(R(o)->big)[3], &ovf);
    if (!ovf && n <= INTPTR_MAX)
        return (intptr_t)n;
    py_err_format(py_exc_OverflowError, "Python int too large to convert to C ssize_t");
    return -1;
}

static py_obj *range_item(py_obj *o, intptr_t i)
{
    if (is_long(o)) {
        py_obj *k = I(i);
        py_obj *r = k ? py_range_item_obj(o, k) : NULL;
        tl_xdecref(k);
        return r;
    }
    intptr_t j = py_seq_index(i, R(o)->length);
    if (j < 0) {
        py_err_format(py_exc_IndexError, "range object index out of range");
        return NULL;
    }
    return py_int_from_long((long long)R(o)->start + (long long)j * R(o)->step);
}

/* start + i * step for an int object i, after the same bounds check. */
py_obj *py_range_item_obj(py_obj *o, py_obj *i)
{
    py_obj *f[4] = {field(o, 0), NULL, field(o, 2), field(o, 3)}, *r = NULL, *k = NULL, *m = NULL;
    if (!f[0] || !f[2] || !f[3])
        goto done;
    int neg = sign_of(i);
    if (neg == -2)
        goto done;
    k = neg < 0 ? arith(i, f[3], PY_NB_ADD) : py_newref(i);
    if (!k)
        goto done;
    int out = sign_of(k) < 0 ? 1 : py_richcompare_bool(k, f[3], PY_GE);
    if (out) {
        if (out > 0)
            py_err_format(py_exc_IndexError, "range object index out of range");
        goto done;
    }
    if ((m = arith(k, f[2], PY_NB_MULTIPLY)))
        r = arith(f[0], m, PY_NB_ADD);
done:
    tl_xdecref(k);
    tl_xdecref(m);
    for (int j = 0; j < 4; j++)
        tl_xdecref(f[j]);
    return r;
}

/* One bound of a slice of a sequence of `len` values (CPython's long rules). */
static py_obj *slice_bound(py_obj *v, py_obj *len, bool neg_step, bool is_start)
{
    py_obj *lower = neg_step ? I(-1) : I(0);
    py_obj *upper = lower ? arith(lower, len, PY_NB_ADD) : NULL, *r = NULL;
    if (!upper)
        goto done;
    if (v == py_None) {
        r = py_newref(is_start == neg_step ? upper : lower);
        goto done;
    }
    py_obj *x = range_arg(v);
    if (!x)
        goto done;
    if (sign_of(x) < 0) {
        py_obj *y = arith(x, len, PY_NB_ADD);
        tl_decref(x);
        if (!(x = y))
            goto done;
        r = py_richcompare_bool(x, lower, PY_LT) ? py_newref(lower) : py_newref(x);
    } else {
        r = py_richcompare_bool(x, upper, PY_GT) ? py_newref(upper) : py_newref(x);
    }
    tl_decref(x);
done:
    tl_xdecref(lower);
    tl_xdecref(upper);
    return r;
}

static py_obj *long_slice(py_obj *o, py_obj *key)
{
    py_slice *sl = (py_slice *)key;
    py_obj *f[4] = {field(o, 0), NULL, field(o, 2), field(o, 3)};
    py_obj *step = NULL, *a = NULL, *b = NULL, *sa = NULL, *sb = NULL, *st = NULL;
    py_obj *ma = NULL, *mb = NULL, *r = NULL;
    if (!f[0] || !f[2] || !f[3] || !(step = sl->step == py_None ? I(1) : range_arg(sl->step)))
        goto done;
    int sg = sign_of(step);
    if (sg == 0)
        py_err_format(py_exc_ValueError, "slice step cannot be zero");
    if (sg == 0 || sg == -2)
        goto done;
    if (!(a = slice_bound(sl->start, f[3], sg < 0, true)) || !(b = slice_bound(sl->stop, f[3], sg < 0, false)))
        goto done;
    if ((ma = arith(a, f[2], PY_NB_MULTIPLY)) && (mb = arith(b, f[2], PY_NB_MULTIPLY)) &&
        (sa = arith(f[0], ma, PY_NB_ADD)) && (sb = arith(f[0], mb, PY_NB_ADD)) &&
        (st = arith(f[2], step, PY_NB_MULTIPLY)))
        r = range_from_ints(sa, sb, st);
done:;
    py_obj *all[] = {f[0], f[2], f[3], step, a, b, sa, sb, st, ma, mb};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        tl_xdecref(all[i]);
    return r;
}

static py_obj *range_getitem(py_obj *o, py_obj *key)
{
    if (py_slice_check(key)) {
        if (is_long(o))
            return long_slice(o, key);
        intptr_t start, stop, step, n, s, st, e;
        /* CPython's bounds: start + i * step for the clamped slice indices. */
        if (py_slice_indices(key, R(o)->length, &start, &stop, &step, &n) < 0)
            return NULL;
        if (__builtin_mul_overflow(start, R(o)->step, &s) || __builtin_add_overflow(s, R(o)->start, &s) ||
            __builtin_mul_overflow(R(o)->step, step, &st) || __builtin_mul_overflow(stop, R(o)->step, &e) ||
            __builtin_add_overflow(R(o)->start, e, &e))
            return long_slice(o, key);
        return py_range_new(s, e, st);
    }
    if (!py_int_check(key) && !py_type_of(key)->nb_index) {
        py_err_format(py_exc_TypeError, "range indices must be integers or slices, not %s",
                      py_type_name(py_type_of(key)));
        return NULL;
    }
    if (is_long(o)) {
        py_obj *k = range_arg(key);
        py_obj *r = k ? py_range_item_obj(o, k) : NULL;
        tl_xdecref(k);
        return r;
    }
    intptr_t i;
    if (py_index(key, &i) < 0)
        return NULL;
    return range_item(o, i);
}

/* 1 when the int v is one of a long range's values. */
static int long_has_int(py_obj *o, py_obj *v)
{
    py_obj *f[3] = {field(o, 0), field(o, 1), field(o, 2)}, *d = NULL, *m = NULL;
    int r = -1;
    if (!f[0] || !f[1] || !f[2])
        goto done;
    int up = sign_of(f[2]) > 0;
    int in = up ? py_richcompare_bool(f[0], v, PY_LE) : py_richcompare_bool(v, f[0], PY_LE);
    int in2 = in == 1 ? (up ? py_richcompare_bool(v, f[1], PY_LT) : py_richcompare_bool(f[1], v, PY_LT)) : in;
    if (in2 != 1) {
        r = in2;
        goto done;
    }
    if ((d = arith(v, f[0], PY_NB_SUBTRACT)) && (m = arith(d, f[2], PY_NB_REMAINDER)))
        r = sign_of(m) == 0;
done:
    tl_xdecref(d);
    tl_xdecref(m);
    for (int i = 0; i < 3; i++)
        tl_xdecref(f[i]);
    return r;
}

/* 1 when the int v is one of the range's values. */
static int range_has_int(py_obj *o, py_obj *v)
{
    if (is_long(o))
        return long_has_int(o, v);
    int ovf = 0;
    long long x = py_int_as_long(v, &ovf);
    if (ovf)
        return 0;
    intptr_t start = R(o)->start, stop = R(o)->stop, step = R(o)->step;
    if (step > 0 ? (x < start || x >= stop) : (x > start || x <= stop))
        return 0;
    return (x - start) % step == 0;
}

static py_obj *range_iter_new(py_obj *o);

/* Compares the range's values one by one with v, as CPython's sequence
   search does (a long range too, value by value): count them all, or find
   the first index. */
static int scan_eq(py_obj *o, py_obj *v, bool count, intptr_t *out)
{
    py_obj *it = range_iter_new(o), *x;
    if (!it)
        return -1;
    *out = count ? 0 : -1;
    for (intptr_t i = 0; (x = py_type_of(it)->iternext(it)) != NULL; i++) {
        int r = py_richcompare_bool(x, v, PY_EQ);
        tl_decref(x);
        if (r < 0 || (r && !count)) {
            *out = r < 0 ? *out : i;
            tl_decref(it);
            return r < 0 ? -1 : 0;
        }
        *out += r;
    }
    tl_decref(it);
    return py_err_occurred() ? -1 : 0;
}

static int range_contains(py_obj *o, py_obj *v)
{
    if (py_isinstance_exact(v, &py_int_type) || py_isinstance_exact(v, &py_bool_type))
        return range_has_int(o, v);
    intptr_t at;
    return scan_eq(o, v, false, &at) < 0 ? -1 : at >= 0;
}

static py_obj *range_richcompare(py_obj *a, py_obj *b, int op)
{
    if (py_type_of(a) != &py_range_type || py_type_of(b) != &py_range_type ||
        (op != PY_EQ && op != PY_NE))
        return py_newref(py_NotImplemented);
    /* Equal ranges have the same values: the same length, and when not
       empty the same start, and when longer than one the same step. */
    int eq = field_eq(a, b, 3, 0);
    int empty = eq == 1 ? field_eq(a, NULL, 3, 0) : 0;
    int single = eq == 1 && !empty ? field_eq(a, NULL, 3, 1) : 0;
    if (eq == 1 && !empty && empty >= 0 && single >= 0)
        eq = field_eq(a, b, 0, 0);
    if (eq == 1 && !empty && !single)
        eq = field_eq(a, b, 2, 0);
    if (eq < 0 || empty < 0 || single < 0)
        return NULL;
    return py_bool((eq == 1) == (op == PY_EQ));
}

static intptr_t range_hash(py_obj *o)
{
    int empty = field_eq(o, NULL, 3, 0), single = empty == 0 ? field_eq(o, NULL, 3, 1) : 0;
    if (empty < 0 || single < 0)
        return -1;
    py_obj *len = field(o, 3);
    py_obj *start = !empty ? field(o, 0) : py_newref(py_None);
    py_obj *step = !empty && !single ? field(o, 2) : py_newref(py_None);
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

static int range_bool(py_obj *o)
{
    if (!is_long(o))
        return R(o)->length != 0;
    int empty = field_eq(o, NULL, 3, 0);
    return empty < 0 ? -1 : !empty;
}

/* ---- iterators ---------------------------------------------------------------------- */

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

/* A long range's iterator: the same with int objects. */
typedef struct long_range_iter {
    tl_object ob;
    py_obj *next, *step, *left;
} long_range_iter;

static py_obj *long_iter_make(py_obj *start, py_obj *step, py_obj *len)
{
    long_range_iter *it = (long_range_iter *)tl_object_new(vm.heap, &py_long_range_iter_type.tl);
    if (!it)
        return py_err_no_memory(), NULL;
    it->next = py_newref(start);
    it->step = py_newref(step);
    it->left = py_newref(len);
    return &it->ob;
}

static void long_iter_dealloc(tl_object *o)
{
    long_range_iter *it = (long_range_iter *)o;
    tl_decref(it->next);
    tl_decref(it->step);
    tl_decref(it->left);
    tl_object_free(o);
}

static py_obj *long_iter_next(py_obj *o)
{
    long_range_iter *it = (long_range_iter *)o;
    if (sign_of(it->left) <= 0)
        return NULL;
    py_obj *one = I(1);
    py_obj *left = one ? arith(it->left, one, PY_NB_SUBTRACT) : NULL;
    py_obj *next = left ? arith(it->next, it->step, PY_NB_ADD) : NULL;
    tl_xdecref(one);
    if (!next) {
        tl_xdecref(left);
        return NULL;
    }
    py_obj *v = it->next;
    it->next = next;
    tl_setref(&it->left, left);
    return v;
}

static py_obj *range_iter_new(py_obj *o)
{
    if (!is_long(o))
        return range_iter_make(R(o)->start, R(o)->step, R(o)->length);
    py_obj *const *f = py_tuple_items(R(o)->big);
    return long_iter_make(f[0], f[2], f[3]);
}

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
    if (py_type_of(a[0]) == &py_long_range_iter_type)
        return py_newref(((long_range_iter *)a[0])->left);
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

py_type py_long_range_iter_type = {
    PY_TYPE_HEAD("longrange_iterator", sizeof(long_range_iter), 0, 0, .dealloc = long_iter_dealloc),
    .iter = py_self_iter,
    .iternext = long_iter_next,
    .methods = range_iter_methods,
};

/* ---- methods -------------------------------------------------------------------------- */

static py_obj *range_m_reversed(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *o = a[0];
    if (!is_long(o)) {
        intptr_t last = R(o)->start + (R(o)->length - 1) * R(o)->step;
        return range_iter_make(R(o)->length ? last : R(o)->start, -R(o)->step, R(o)->length);
    }
    py_obj *const *f = py_tuple_items(R(o)->big);
    py_obj *one = I(1), *m1 = NULL, *off = NULL, *last = NULL, *neg = NULL, *r = NULL;
    if (one && (m1 = arith(f[3], one, PY_NB_SUBTRACT)) && (off = arith(m1, f[2], PY_NB_MULTIPLY)) &&
        (last = arith(f[0], off, PY_NB_ADD)) && (neg = py_unary_negative(f[2])))
        r = long_iter_make(last, neg, f[3]);
    py_obj *all[] = {one, m1, off, last, neg};
    for (size_t i = 0; i < 5; i++)
        tl_xdecref(all[i]);
    return r;
}

static py_obj *range_m_count(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("range.count", n - 1, k, 1, 1) < 0)
        return NULL;
    if (py_isinstance_exact(a[1], &py_int_type) || py_isinstance_exact(a[1], &py_bool_type)) {
        int r = range_has_int(a[0], a[1]);
        return r < 0 ? NULL : py_int_from_long(r);
    }
    intptr_t count;
    return scan_eq(a[0], a[1], true, &count) < 0 ? NULL : py_int_from_long(count);
}

static py_obj *range_m_index(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("range.index", n - 1, k, 1, 1) < 0)
        return NULL;
    py_obj *o = a[0];
    if (py_int_check(a[1])) {
        int has = range_has_int(o, a[1]);
        if (has < 0)
            return NULL;
        if (has) {
            py_obj *start = field(o, 0), *step = start ? field(o, 2) : NULL;
            py_obj *d = step ? arith(a[1], start, PY_NB_SUBTRACT) : NULL;
            py_obj *r = d ? arith(d, step, PY_NB_FLOOR_DIVIDE) : NULL;
            tl_xdecref(start);
            tl_xdecref(step);
            tl_xdecref(d);
            return r;
        }
    } else {
        intptr_t at;
        if (scan_eq(o, a[1], false, &at) < 0)
            return NULL;
        if (at >= 0)
            return py_int_from_long(at);
    }
    py_err_format(py_exc_ValueError, "%R is not in range", a[1]);
    return NULL;
}

static py_obj *range_get_start(py_obj *o) { return field(o, 0); }
static py_obj *range_get_stop(py_obj *o) { return field(o, 1); }
static py_obj *range_get_step(py_obj *o) { return field(o, 2); }

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
    PY_TYPE_HEAD("range", sizeof(py_rangeobj), 0, 0, .dealloc = range_dealloc),
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
    if (py_type_ready(&py_range_type) < 0 || py_type_ready(&py_range_iter_type) < 0 ||
        py_type_ready(&py_long_range_iter_type) < 0)
        return -1;
    return 0;
}
