/* containers.c — what the built-in container and text types share: their
 * start-up order, CPython-worded argument-count checks for their methods,
 * and index-argument conversion. Each type's behaviour lives in its own file.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

int py_containers_init(void)
{
    /* The empty tuple first (every readied type's bases may be it), then str:
     * every type's name and every method name is an interned str. */
    if (py_tuple_make_empty() < 0 || py_str_init() < 0 || py_tuple_init() < 0 || py_list_init() < 0 || py_dict_init() < 0 ||
        py_set_init() < 0 || py_bytes_init() < 0 || py_range_init() < 0 || py_slice_init() < 0)
        return -1;
    return 0;
}

int py_check_args(const char *name, size_t nargs, py_obj *kwnames, size_t min, size_t max)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "%s() takes no keyword arguments", name);
        return -1;
    }
    if (nargs >= min && nargs <= max)
        return 0;
    if (max == 0)
        py_err_format(py_exc_TypeError, "%s() takes no arguments (%zd given)", name, (intptr_t)nargs);
    else if (min == 1 && max == 1)
        py_err_format(py_exc_TypeError, "%s() takes exactly one argument (%zd given)", name,
                      (intptr_t)nargs);
    else if (min == max)
        py_err_format(py_exc_TypeError, "%s expected %zd argument%s, got %zd", name, (intptr_t)min,
                      min == 1 ? "" : "s", (intptr_t)nargs);
    else if (nargs < min)
        py_err_format(py_exc_TypeError, "%s expected at least %zd argument%s, got %zd", name,
                      (intptr_t)min, min == 1 ? "" : "s", (intptr_t)nargs);
    else
        py_err_format(py_exc_TypeError, "%s expected at most %zd argument%s, got %zd", name,
                      (intptr_t)max, max == 1 ? "" : "s", (intptr_t)nargs);
    return -1;
}

/* An int (or __index__) argument, saturated to the intptr_t range as
 * CPython's _PyEval_SliceIndex does; None is not accepted here. */
int py_clamped_index(py_obj *o, intptr_t *out)
{
    if (py_int_check(o)) {
        int ovf = 0;
        long long v = py_int_as_long(o, &ovf);
        *out = ovf > 0 ? INTPTR_MAX : ovf < 0 ? INTPTR_MIN : (intptr_t)v;
        return 0;
    }
    if (!py_type_of(o)->nb_index) {
        py_err_format(py_exc_TypeError,
                      "slice indices must be integers or have an __index__ method");
        return -1;
    }
    return py_index(o, out);
}

py_obj *py_self_iter(py_obj *o) { return py_newref(o); }

int py_seq_iter_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_obj *s = ((py_seq_iter *)o)->seq;
    return s ? visit(s, arg) : 0;
}

void py_seq_iter_clear(tl_object *o) { TL_CLEAR(((py_seq_iter *)o)->seq); }
