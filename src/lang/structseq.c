/* structseq.c — named tuples of the runtime (sys.version_info, ...).
 *
 * A struct sequence is a tuple whose items also have names: same layout as
 * tuple (so indexing, slicing, comparison and hashing are tuple's), an
 * attribute lookup that maps a field name to its index, and CPython's repr
 * "sys.version_info(major=3, minor=11, ...)". Each kind is a static type
 * made once by py_structseq_type.
 */
#include "py.h"
#include "lang_int.h"

#define MAX_KINDS 8

static struct kind {
    py_type type;
    const char *const *fields;
    int nfields;
} kinds[MAX_KINDS];
static int nkinds;

static struct kind *kind_of(py_obj *o)
{
    for (int i = 0; i < nkinds; i++)
        if (py_type_of(o) == &kinds[i].type)
            return &kinds[i];
    return NULL;
}

static py_obj *structseq_getattr(py_obj *o, py_obj *name)
{
    struct kind *k = kind_of(o);
    for (int i = 0; k && i < k->nfields && i < py_tuple_size(o); i++)
        if (py_str_equal_cstr(name, k->fields[i]))
            return py_newref(py_tuple_items(o)[i]);
    return py_generic_getattr(o, name);
}

static py_obj *structseq_repr(py_obj *o)
{
    struct kind *k = kind_of(o);
    py_obj *parts = py_list_new(0);
    for (int i = 0; parts && k && i < k->nfields && i < py_tuple_size(o); i++) {
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
    if (nkinds == MAX_KINDS)
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
    k->fields = fields;
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

/* A new struct sequence of kind t from n items (stolen). */
py_obj *py_structseq_new(py_type *t, py_obj **items, int n)
{
    py_obj *tup = py_tuple_new((size_t)n);
    if (!tup) {
        for (int i = 0; i < n; i++)
            tl_xdecref(items[i]);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        py_tuple_items(tup)[i] = items[i];
    tup->type = &t->tl;     /* same layout as tuple; the type is static */
    return tup;
}
