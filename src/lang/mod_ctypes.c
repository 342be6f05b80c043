/* mod_ctypes.c — a small ctypes: the simple integer types over raw memory.
 *
 * Enough for the idiom that reads an object's reference count,
 * ctypes.c_long.from_address(id(x)).value (the word at id(x) is the count,
 * see include/tally/object.h), and for c_long(5).value and sizeof. A value
 * made by from_address reads and writes the memory at that address each
 * time; one made by the constructor owns an 8-byte buffer. An address that
 * is not readable is the program's own risk, as in CPython.
 *
 * The sizes are those of 64-bit Linux, with CPython's aliases there:
 * c_size_t is c_ulong, c_ssize_t, c_longlong and c_int64 are c_long.
 */
#include "py.h"
#include "lang_int.h"
#include "modmem.h"

typedef struct cdata {
    tl_object ob;
    unsigned char *addr;     /* the value's memory: own buffer or a foreign address */
    uint64_t own;            /* the buffer of a constructed value */
} cdata;

typedef struct ckind {
    py_type *type;
    unsigned size;           /* bytes */
    bool is_signed;
} ckind;

static py_obj *cdata_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames);
static py_obj *cdata_repr(py_obj *self);
static const py_getset_def cdata_getsets[];

#define CTYPE(var, nm)                                                          \
    static py_type var = {                                                      \
        PY_TYPE_HEAD("ctypes." nm, sizeof(cdata), 0, 0),                        \
        .pyflags = PY_TPFLAGS_BASETYPE, .tp_new = cdata_new, .repr = cdata_repr, \
        .getsets = cdata_getsets,                                               \
    }
CTYPE(c_byte_type, "c_byte");
CTYPE(c_ubyte_type, "c_ubyte");
CTYPE(c_short_type, "c_short");
CTYPE(c_ushort_type, "c_ushort");
CTYPE(c_int_type, "c_int");
CTYPE(c_uint_type, "c_uint");
CTYPE(c_long_type, "c_long");
CTYPE(c_ulong_type, "c_ulong");

static const ckind kinds[] = {
    {&c_byte_type, 1, true},  {&c_ubyte_type, 1, false}, {&c_short_type, 2, true},
    {&c_ushort_type, 2, false}, {&c_int_type, 4, true},  {&c_uint_type, 4, false},
    {&c_long_type, 8, true},  {&c_ulong_type, 8, false},
};
#define NKINDS (sizeof kinds / sizeof *kinds)

static const ckind *kind_of_type(py_type *t)
{
    for (; t; t = t->base)
        for (size_t i = 0; i < NKINDS; i++)
            if (kinds[i].type == t)
                return &kinds[i];
    return NULL;
}

static const ckind *kind_of(py_obj *self) { return kind_of_type(py_type_of(self)); }

/* ---- values ---------------------------------------------------------------------- */

static py_obj *read_value(const ckind *k, const unsigned char *p)
{
    uint64_t u = 0;
    memcpy(&u, p, k->size);            /* little-endian: the low bytes */
    if (!k->is_signed)
        return py_int_from_size((size_t)u);
    unsigned shift = 64 - 8 * k->size;
    int64_t v = (int64_t)(u << shift) >> shift;
    return py_int_from_long(v);
}

/* The low 64 bits of an int too big for long long, as C conversion wraps. */
static int wrap64(py_obj *v, uint64_t *out)
{
    py_obj *mask = py_int_from_size(SIZE_MAX);
    py_obj *low = mask ? py_binary_op(v, mask, PY_NB_AND) : NULL;
    py_obj *two63 = low ? py_int_from_size((size_t)1 << 63) : NULL;
    py_obj *hi = two63 ? py_binary_op(low, two63, PY_NB_SUBTRACT) : NULL;
    int overflow = 0;
    long long x = low ? py_int_as_long(low, &overflow) : 0;
    if (overflow && hi)          /* low >= 2**63: low - 2**63 fits */
        x = py_int_as_long(hi, &overflow) + INT64_MIN;
    tl_xdecref(mask);
    tl_xdecref(low);
    tl_xdecref(two63);
    tl_xdecref(hi);
    *out = (uint64_t)x;
    return low && (!overflow || hi) ? 0 : -1;
}

static int write_value(const ckind *k, unsigned char *p, py_obj *v)
{
    if (!py_int_check(v)) {
        py_err_format(py_exc_TypeError, "int expected instead of %s", py_type_name(py_type_of(v)));
        return -1;
    }
    int overflow = 0;
    uint64_t u = (uint64_t)py_int_as_long(v, &overflow);
    if (overflow && wrap64(v, &u) < 0)
        return -1;
    memcpy(p, &u, k->size);
    return 0;
}

static cdata *cdata_alloc(py_type *t)
{
    cdata *c = (cdata *)tl_object_new(vm.heap, &t->tl);
    if (!c)
        return py_err_no_memory(), NULL;
    c->addr = (unsigned char *)&c->own;
    return c;
}

static py_obj *cdata_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    const ckind *k = kind_of_type(t);
    if (!k || (kwnames && py_tuple_size(kwnames)) || nargs > 1) {
        py_err_format(py_exc_TypeError, "%s() takes at most 1 argument", py_type_name(t));
        return NULL;
    }
    cdata *c = cdata_alloc(t);
    if (c && nargs && write_value(k, c->addr, args[0]) < 0)
        TL_CLEAR(c);
    return c ? &c->ob : NULL;
}

static py_obj *cdata_get_value(py_obj *self)
{
    return read_value(kind_of(self), ((cdata *)self)->addr);
}

static int cdata_set_value(py_obj *self, py_obj *v)
{
    if (!v) {
        py_err_format(py_exc_TypeError, "can't delete attribute");
        return -1;
    }
    return write_value(kind_of(self), ((cdata *)self)->addr, v);
}

static const py_getset_def cdata_getsets[] = {
    {"value", cdata_get_value, cdata_set_value},
    {NULL, NULL, NULL},
};

static py_obj *cdata_repr(py_obj *self)
{
    py_obj *v = cdata_get_value(self);
    py_obj *r = v ? py_str_from_format("%s(%R)", py_type_name(py_type_of(self)), v) : NULL;
    tl_xdecref(v);
    return r;
}

/* type.from_address(address), a class method: args[0] is the type. */
static py_obj *cdata_from_address(py_obj *f, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (nargs != 2 || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "from_address() takes exactly one argument (%zd given)",
                      (intptr_t)(nargs ? nargs - 1 : 0));
        return NULL;
    }
    py_type *t = (py_type *)args[0];
    if (!py_isinstance_of(args[0], &py_type_type) || !kind_of_type(t)) {
        py_err_format(py_exc_TypeError, "from_address() needs a ctypes type");
        return NULL;
    }
    if (!py_int_check(args[1])) {
        py_err_format(py_exc_TypeError, "integer expected");
        return NULL;
    }
    int overflow = 0;
    long long a = py_int_as_long(args[1], &overflow);
    if (overflow) {
        py_err_format(py_exc_OverflowError, "int too long to convert");
        return NULL;
    }
    cdata *c = cdata_alloc(t);
    if (c)
        c->addr = (unsigned char *)(uintptr_t)a;
    return c ? &c->ob : NULL;
}

/* ---- module -------------------------------------------------------------------------- */

static py_obj *ct_sizeof(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (nargs != 1 || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "sizeof() takes exactly one argument (%zd given)", (intptr_t)nargs);
        return NULL;
    }
    py_obj *o = args[0];
    const ckind *k = py_isinstance_of(o, &py_type_type) ? kind_of_type((py_type *)o) : kind_of(o);
    if (!k) {
        py_err_format(py_exc_TypeError, "this type has no size");
        return NULL;
    }
    return py_int_from_long(k->size);
}

static const py_method_def ctypes_functions[] = {
    {"sizeof", ct_sizeof, NULL},
    {NULL, NULL, NULL},
};

static int ready_kinds(void)
{
    for (size_t i = 0; i < NKINDS; i++) {
        py_type *t = kinds[i].type;
        if (t->mro)
            continue;
        if (py_type_ready(t) < 0)
            return -1;
        py_obj *f = py_cfunction_new("from_address", cdata_from_address, NULL, NULL);
        py_obj *cm = f ? py_classmethod_new(f) : NULL;
        tl_xdecref(f);
        int r = cm ? py_dict_set_str(t->dict, "from_address", cm) : -1;
        tl_xdecref(cm);
        if (r < 0)
            return -1;
    }
    return 0;
}

static const struct { const char *name; py_type *type; } exported[] = {
    {"c_byte", &c_byte_type}, {"c_ubyte", &c_ubyte_type}, {"c_short", &c_short_type},
    {"c_ushort", &c_ushort_type}, {"c_int", &c_int_type}, {"c_uint", &c_uint_type},
    {"c_long", &c_long_type}, {"c_ulong", &c_ulong_type},
    {"c_int8", &c_byte_type}, {"c_uint8", &c_ubyte_type}, {"c_int16", &c_short_type},
    {"c_uint16", &c_ushort_type}, {"c_int32", &c_int_type}, {"c_uint32", &c_uint_type},
    {"c_int64", &c_long_type}, {"c_uint64", &c_ulong_type},
    {"c_longlong", &c_long_type}, {"c_ulonglong", &c_ulong_type},
    {"c_ssize_t", &c_long_type}, {"c_size_t", &c_ulong_type},
};

py_obj *py_init_ctypes(void)
{
    if (ready_kinds() < 0)
        return NULL;
    py_obj *m = py_module_new("ctypes");
    if (!m || py_module_add_functions(m, ctypes_functions) < 0)
        goto fail;
    for (size_t i = 0; i < sizeof exported / sizeof *exported; i++)
        if (py_module_add(m, exported[i].name, py_newref(&exported[i].type->tl.ob)) < 0)
            goto fail;
    return m;
fail:
    tl_xdecref(m);
    return NULL;
}
