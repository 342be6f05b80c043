/* structseq.c — named tuples of the runtime (sys.version_info, ...).
 *
 * A struct sequence is a tuple whose items also have names: same layout as
 * tuple (so indexing, slicing, comparison and hashing are tuple's), an
 * attribute lookup that maps a field name to its index, and CPython's repr
 * "sys.version_info(major=3, minor=11, ...)". Each kind is a static type
 * made once by py_structseq_type.
 *
 * A kind may have hidden fields after the visible ones (time.struct_time's
 * tm_zone and tm_gmtoff): stored after the tuple's items, beyond its size,
 * so len(), indexing, comparison and hashing see only the visible ones, and
 * reachable by name only. Every instance holds all nfields items (None where
 * a constructor got fewer), which this file's dealloc and traverse release.
 */
#include "py.h"
#include "lang_int.h"

#define MAX_KINDS 8

static struct kind {
    py_type type;
    const char *const *fields;
    int nvisible;            /* the tuple's items */
    int nfields;             /* visible + hidden */
} kinds[MAX_KINDS];
static int nkinds;

/* Struct sequences cannot be subclassed (as in CPython): every instance is of
 * a kind's own type and stores all its fields. */
static int stored_fields(py_obj *o, struct kind *k)
{
    return k->nfields;
}

static struct kind *kind_of_type(py_type *t)
{
    for (int i = 0; i < nkinds; i++)
        if (t == &kinds[i].type)
            return &kinds[i];
    return NULL;
}

static py_obj *structseq_getattr(py_obj *o, py_obj *name)
{
    struct kind *k = kind_of_type(py_type_of(o));
    for (int i = 0; k && i < k->nfields; i++)
        if (py_str_equal_cstr(name, k->fields[i])) {
            py_obj *v = i < stored_fields(o, k) ? py_tuple_items(o)[i] : py_None;
            return py_newref(v ? v : py_None);
        }
    return py_generic_getattr(o, name);
}

static void structseq_dealloc(tl_object *o)
{
    struct kind *k = kind_of_type(py_type_of(o));
    tl_gc_untrack(o);
    for (int i = stored_fields(o, k) - 1; i >= 0; i--)
        tl_xdecref(py_tuple_items(o)[i]);
    tl_object_free(o);
}

static int structseq_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    struct kind *k = kind_of_type(py_type_of(o));
    for (int i = 0; i < stored_fields(o, k); i++) {
        py_obj *x = py_tuple_items(o)[i];
        int r;
        if (x && (r = visit(x, arg)))
            return r;
    }
    return 0;
}

static void structseq_clear(tl_object *o)
{
    struct kind *k = kind_of_type(py_type_of(o));
    for (int i = 0; i < stored_fields(o, k); i++)
        TL_CLEAR(py_tuple_items(o)[i]);
}

/* struct_time(sequence): nvisible to nfields items, the missing hidden ones None. */
static py_obj *structseq_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    struct kind *k = kind_of_type(t);
    if (nargs != 1 || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "%s() takes exactly 1 argument (%zd given)", k->type.tl.name, (intptr_t)nargs);
        return NULL;
    }
    py_obj *seq = py_sequence_to_tuple(args[0]);
    if (!seq)
        return NULL;
    intptr_t n = py_tuple_size(seq);
    if (n < k->nvisible || n > k->nfields) {
        if (k->nvisible == k->nfields)
            py_err_format(py_exc_TypeError, "%s() takes a %d-sequence (%zd-sequence given)", k->type.tl.name,
                          k->nvisible, n);
        else
            py_err_format(py_exc_TypeError, "%s() takes an at %s %d-sequence (%zd-sequence given)",
                          k->type.tl.name, n < k->nvisible ? "least" : "most",
                          n < k->nvisible ? k->nvisible : k->nfields, n);
        tl_decref(seq);
        return NULL;
    }
    py_obj *items[16];
    for (int i = 0; i < k->nfields; i++)
        items[i] = py_newref(i < n ? py_tuple_items(seq)[i] : py_None);
    tl_decref(seq);
    return py_structseq_new(t, items, k->nfields);
}

static py_obj *structseq_repr(py_obj *o)
{
    struct kind *k = kind_of_type(py_type_of(o));
    py_obj *parts = py_list_new(0);
    for (int i = 0; parts && k && i < k->nvisible && i < py_tuple_size(o); i++) {
        py_obj *p = py_str_from_format("%s=%R", k->fields[i], py_tuple_items(o)[i]);
        if (!p || py_list_append(parts, p) < 0)
            TL_CLEAR(parts);
        tl_xdecref(p);
    }
    py_obj *sep = parts ? py_str_from_cstr(", ") : NULL;
    py_obj *body = sep ? py_str_join(sep, parts) : NULL;
    py_obj *r = body ? py_str_from_format("%s(%U)", k->type.tl.name, body) : NULL;
    tl_xdecref(body);
    tl_xdecref(sep);
    tl_xdecref(parts);
    return r;
}

py_type *py_structseq_type(const char *qualified_name, const char *const *fields, int nfields)
{
    return py_structseq_type_hidden(qualified_name, fields, nfields, nfields);
}

py_type *py_structseq_type_hidden(const char *qualified_name, const char *const *fields, int nvisible,
                                  int nfields)
{
    if (nkinds == MAX_KINDS || nfields > 16)
        return NULL;
    struct kind *k = &kinds[nkinds++];
    py_type *t = &k->type;
    t->tl = py_tuple_type.tl;
    tl_object_init_static(&t->tl.ob, &py_type_type.tl);
    t->tl.name = qualified_name;
    t->base = &py_tuple_type;
    t->pyflags = PY_TPFLAGS_TUPLE_SUBCLASS;
    t->getattr = structseq_getattr;
    t->repr = structseq_repr;
    t->tp_new = structseq_tp_new;
    t->tl.dealloc = structseq_dealloc;
    t->tl.traverse = structseq_traverse;
    t->tl.clear = structseq_clear;
    k->fields = fields;
    k->nvisible = nvisible;
    k->nfields = nfields;
    if (py_type_ready(t) < 0)
        return NULL;
    const char *dot = strrchr(qualified_name, '.');
    if (dot) {
        py_obj *m = py_str_from_utf8(qualified_name, (size_t)(dot - qualified_name));
        t->module = m;
    }
    return t;
}

/* A new struct sequence of kind t from its n == nfields items (stolen). */
py_obj *py_structseq_new(py_type *t, py_obj **items, int n)
{
    struct kind *k = kind_of_type(t);
    py_obj *tup = NULL;
    bool complete = true;
    for (int i = 0; i < n; i++)
        complete = complete && items[i];
    if (complete && n == k->nfields)
        tup = tl_object_new_var(vm.heap, &t->tl, (size_t)n);
    if (!tup) {
        for (int i = 0; i < n; i++)
            tl_xdecref(items[i]);
        if (!py_err_occurred())
            py_err_no_memory();
        return NULL;
    }
    for (int i = 0; i < n; i++)
        py_tuple_items(tup)[i] = items[i];
    ((py_tuple *)tup)->size = k->nvisible;
    return tup;
}
