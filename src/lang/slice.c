/* slice.c — slice objects and their resolution against a length.
 *
 * A slice holds three strong references (start, stop, step; None when
 * absent, never NULL once built) and is immutable and unhashable, as in
 * CPython 3.11, which also makes it a tracked GC object. py_slice_indices
 * is CPython's PySlice_GetIndicesEx: clamps to the sequence and computes
 * the length.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

static inline py_slice *SL(py_obj *o) { return (py_slice *)o; }

py_obj *py_slice_new(py_obj *start, py_obj *stop, py_obj *step)
{
    py_slice *s = (py_slice *)tl_object_new(vm.heap, &py_slice_type.tl);
    if (!s)
        return py_err_no_memory(), NULL;
    s->start = py_newref(start ? start : py_None);
    s->stop = py_newref(stop ? stop : py_None);
    s->step = py_newref(step ? step : py_None);
    return &s->ob;
}

/* A slice bound: None keeps *out; else an int or __index__, saturated. */
static int slice_bound(py_obj *o, intptr_t *out)
{
    if (o == py_None)
        return 0;
    return py_clamped_index(o, out);
}

static int slice_unpack(py_obj *s, intptr_t *start, intptr_t *stop, intptr_t *step)
{
    *step = 1;
    if (slice_bound(SL(s)->step, step) < 0)
        return -1;
    if (*step == 0) {
        py_err_format(py_exc_ValueError, "slice step cannot be zero");
        return -1;
    }
    if (*step < -INTPTR_MAX)
        *step = -INTPTR_MAX;
    *start = *step < 0 ? INTPTR_MAX : 0;
    *stop = *step < 0 ? INTPTR_MIN : INTPTR_MAX;
    if (slice_bound(SL(s)->start, start) < 0 || slice_bound(SL(s)->stop, stop) < 0)
        return -1;
    return 0;
}

static intptr_t adjust_bound(intptr_t x, intptr_t len, intptr_t step)
{
    if (x < 0) {
        x += len;
        if (x < 0)
            x = step < 0 ? -1 : 0;
    } else if (x >= len) {
        x = step < 0 ? len - 1 : len;
    }
    return x;
}

int py_slice_indices(py_obj *slice, intptr_t length, intptr_t *start, intptr_t *stop,
                     intptr_t *step, intptr_t *slicelength)
{
    if (slice_unpack(slice, start, stop, step) < 0)
        return -1;
    *start = adjust_bound(*start, length, *step);
    *stop = adjust_bound(*stop, length, *step);
    if (*step < 0)
        *slicelength = *stop < *start ? (*start - *stop - 1) / (-*step) + 1 : 0;
    else
        *slicelength = *start < *stop ? (*stop - *start - 1) / *step + 1 : 0;
    return 0;
}

static void slice_dealloc(tl_object *o)
{
    tl_gc_untrack(o);
    TL_CLEAR(SL(o)->start);
    TL_CLEAR(SL(o)->stop);
    TL_CLEAR(SL(o)->step);
    tl_object_free(o);
}

static int slice_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    int r;
    if (SL(o)->start && (r = visit(SL(o)->start, arg)))
        return r;
    if (SL(o)->stop && (r = visit(SL(o)->stop, arg)))
        return r;
    return SL(o)->step ? visit(SL(o)->step, arg) : 0;
}

static void slice_clear(tl_object *o)
{
    TL_CLEAR(SL(o)->start);
    TL_CLEAR(SL(o)->stop);
    TL_CLEAR(SL(o)->step);
}

static py_obj *slice_repr(py_obj *o)
{
    return py_str_from_format("slice(%R, %R, %R)", SL(o)->start, SL(o)->stop, SL(o)->step);
}

static py_obj *slice_as_tuple(py_obj *o)
{
    return py_tuple_pack(3, SL(o)->start, SL(o)->stop, SL(o)->step);
}

static py_obj *slice_richcompare(py_obj *a, py_obj *b, int op)
{
    if (!py_slice_check(a) || !py_slice_check(b))
        return py_newref(py_NotImplemented);
    py_obj *ta = slice_as_tuple(a), *tb = ta ? slice_as_tuple(b) : NULL, *r = NULL;
    if (tb)
        r = py_richcompare(ta, tb, op);
    tl_xdecref(ta);
    tl_xdecref(tb);
    return r;
}

static py_obj *slice_m_indices(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("slice.indices", n - 1, k, 1, 1) < 0)
        return NULL;
    intptr_t len, start, stop, step, sl;
    if (py_index(a[1], &len) < 0)
        return NULL;
    if (len < 0) {
        py_err_format(py_exc_ValueError, "length should not be negative");
        return NULL;
    }
    if (py_slice_indices(a[0], len, &start, &stop, &step, &sl) < 0)
        return NULL;
    py_obj *x = py_int_from_long(start), *y = py_int_from_long(stop), *z = py_int_from_long(step);
    py_obj *t = x && y && z ? py_tuple_pack(3, x, y, z) : NULL;
    tl_xdecref(x);
    tl_xdecref(y);
    tl_xdecref(z);
    return t;
}

static py_obj *slice_get_start(py_obj *o) { return py_newref(SL(o)->start); }
static py_obj *slice_get_stop(py_obj *o) { return py_newref(SL(o)->stop); }
static py_obj *slice_get_step(py_obj *o) { return py_newref(SL(o)->step); }

static const py_method_def slice_methods[] = {
    {"indices", slice_m_indices, NULL},
    {NULL, NULL, NULL},
};

static const py_getset_def slice_getsets[] = {
    {"start", slice_get_start, NULL},
    {"stop", slice_get_stop, NULL},
    {"step", slice_get_step, NULL},
    {NULL, NULL, NULL},
};

static py_obj *slice_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "slice() takes no keyword arguments");
        return NULL;
    }
    if (nargs == 0 || nargs > 3) {
        py_err_format(py_exc_TypeError, nargs ? "slice expected at most 3 arguments, got %zd"
                                              : "slice expected at least 1 argument, got %zd",
                      (intptr_t)nargs);
        return NULL;
    }
    if (nargs == 1)
        return py_slice_new(py_None, args[0], py_None);
    return py_slice_new(args[0], args[1], nargs == 3 ? args[2] : py_None);
}

py_type py_slice_type = {
    PY_TYPE_HEAD("slice", sizeof(py_slice), 0, TL_TYPE_GC, .dealloc = slice_dealloc,
                 .traverse = slice_traverse, .clear = slice_clear),
    .repr = slice_repr,
    .richcompare = slice_richcompare,
    .tp_new = slice_tp_new,
    .methods = slice_methods,
    .getsets = slice_getsets,
};

int py_slice_init(void) { return py_type_ready(&py_slice_type); }
