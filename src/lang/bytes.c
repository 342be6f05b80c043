/* bytes.c — the bytes type and its iterator.
 *
 * Layout: header, length, cached hash (-1: not computed), then the bytes
 * inline and a NUL (CPython's 33-byte header figure is reported by
 * __sizeof__: 33 + length). Immutable once returned. The hash equals that
 * of the equal ASCII str, as in CPython.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

typedef struct py_bytesobj {
    tl_object ob;
    intptr_t size;
    intptr_t hash;
    char data[];
} py_bytesobj;

static inline py_bytesobj *B(const py_obj *o) { return (py_bytesobj *)o; }

const char *py_bytes_data(const py_obj *b) { return B(b)->data; }
size_t py_bytes_len(const py_obj *b) { return (size_t)B(b)->size; }

py_obj *py_bytes_new(const char *s, size_t n)
{
    py_obj *o = tl_object_new_var(vm.heap, &py_bytes_type.tl, n + 1);
    if (!o)
        return py_err_no_memory(), NULL;
    B(o)->size = (intptr_t)n;
    B(o)->hash = -1;
    if (s)
        memcpy(B(o)->data, s, n);
    return o;
}

py_obj *py_bytes_repr_obj(py_obj *b)
{
    const unsigned char *d = (const unsigned char *)B(b)->data;
    size_t n = (size_t)B(b)->size;
    bool sq = memchr(d, '\'', n) != NULL, dq = memchr(d, '"', n) != NULL;
    char quote = sq && !dq ? '"' : '\'';
    py_strbuf out;
    py_strbuf_init(&out);
    py_strbuf_addc(&out, 'b');
    py_strbuf_addc(&out, quote);
    for (size_t i = 0; i < n; i++) {
        unsigned c = d[i];
        char tmp[8];
        if (c == (unsigned char)quote || c == '\\') {
            py_strbuf_addc(&out, '\\');
            py_strbuf_addc(&out, (char)c);
        } else if (c == '\t') py_strbuf_add(&out, "\\t", 2);
        else if (c == '\n') py_strbuf_add(&out, "\\n", 2);
        else if (c == '\r') py_strbuf_add(&out, "\\r", 2);
        else if (c < 0x20 || c >= 0x7F) {
            snprintf(tmp, sizeof tmp, "\\x%02x", c);
            py_strbuf_add(&out, tmp, 4);
        } else py_strbuf_addc(&out, (char)c);
    }
    py_strbuf_addc(&out, quote);
    return py_strbuf_finish(&out);
}

static py_obj *bytes_repr(py_obj *o) { return py_bytes_repr_obj(o); }

static intptr_t bytes_hash(py_obj *o)
{
    if (B(o)->hash == -1)
        B(o)->hash = py_hash_bytes(B(o)->data, (size_t)B(o)->size);
    return B(o)->hash;
}

static py_obj *bytes_richcompare(py_obj *a, py_obj *b, int op)
{
    if (!py_isinstance_of(a, &py_bytes_type) || !py_isinstance_of(b, &py_bytes_type))
        return py_newref(py_NotImplemented);
    size_t na = (size_t)B(a)->size, nb = (size_t)B(b)->size;
    int c = memcmp(B(a)->data, B(b)->data, na < nb ? na : nb);
    c = c ? (c < 0 ? -1 : 1) : (na < nb ? -1 : na > nb);
    return py_cmp_result(c, op);
}

static intptr_t bytes_len(py_obj *o) { return B(o)->size; }

static py_obj *bytes_item(py_obj *o, intptr_t i)
{
    intptr_t j = py_seq_index(i, B(o)->size);
    if (j < 0) {
        py_err_format(py_exc_IndexError, "index out of range");
        return NULL;
    }
    return py_int_from_long((unsigned char)B(o)->data[j]);
}

static py_obj *bytes_getitem(py_obj *o, py_obj *key)
{
    if (py_slice_check(key)) {
        intptr_t start, stop, step, n;
        if (py_slice_indices(key, B(o)->size, &start, &stop, &step, &n) < 0)
            return NULL;
        py_obj *r = py_bytes_new(NULL, (size_t)n);
        for (intptr_t i = 0, j = start; r && i < n; i++, j += step)
            B(r)->data[i] = B(o)->data[j];
        return r;
    }
    if (!py_int_check(key) && !py_type_of(key)->nb_index) {
        py_err_format(py_exc_TypeError, "byte indices must be integers or slices, not %s",
                      py_type_name(py_type_of(key)));
        return NULL;
    }
    intptr_t i;
    return py_index(key, &i) < 0 ? NULL : bytes_item(o, i);
}

static int bytes_contains(py_obj *o, py_obj *v)
{
    if (py_int_check(v)) {
        intptr_t x = py_int_as_ssize(v);
        if (x < 0 || x > 255) {
            if (!py_err_occurred())
                py_err_format(py_exc_ValueError, "byte must be in range(0, 256)");
            return -1;
        }
        return memchr(B(o)->data, (int)x, (size_t)B(o)->size) != NULL;
    }
    if (!py_isinstance_of(v, &py_bytes_type)) {
        py_err_format(py_exc_TypeError, "a bytes-like object is required, not '%s'",
                      py_type_name(py_type_of(v)));
        return -1;
    }
    return py_bytes_find(B(o)->data, 0, (size_t)B(o)->size, B(v)->data, (size_t)B(v)->size) >= 0;
}

static py_obj *bytes_concat(py_obj *a, py_obj *b)
{
    if (!py_isinstance_of(a, &py_bytes_type) || !py_isinstance_of(b, &py_bytes_type)) {
        if (py_isinstance_of(a, &py_bytes_type)) {
            py_err_format(py_exc_TypeError, "can't concat %s to bytes", py_type_name(py_type_of(b)));
            return NULL;
        }
        return py_newref(py_NotImplemented);
    }
    py_obj *r = py_bytes_new(NULL, (size_t)(B(a)->size + B(b)->size));
    if (r) {
        memcpy(B(r)->data, B(a)->data, (size_t)B(a)->size);
        memcpy(B(r)->data + B(a)->size, B(b)->data, (size_t)B(b)->size);
    }
    return r;
}

static py_obj *bytes_repeat(py_obj *a, py_obj *b)
{
    py_obj *seq;
    intptr_t n;
    int k = py_seq_repeat_count(a, b, &py_bytes_type, &seq, &n);
    if (k <= 0)
        return k < 0 ? NULL : py_newref(py_NotImplemented);
    size_t len = (size_t)B(seq)->size;
    py_obj *r = py_bytes_new(NULL, len * (size_t)n);
    for (intptr_t i = 0; r && i < n; i++)
        memcpy(B(r)->data + (size_t)i * len, B(seq)->data, len);
    return r;
}

/* ---- iterator ---------------------------------------------------------------------------- */

typedef struct bytes_iter {
    tl_object ob;
    intptr_t index;
    py_obj *seq;
} bytes_iter;

static py_obj *bytes_iter_new(py_obj *o)
{
    bytes_iter *it = (bytes_iter *)tl_object_new(vm.heap, &py_bytes_iter_type.tl);
    if (!it)
        return py_err_no_memory(), NULL;
    it->seq = py_newref(o);
    return &it->ob;
}

static py_obj *bytes_iter_next(py_obj *o)
{
    bytes_iter *it = (bytes_iter *)o;
    if (!it->seq)
        return NULL;
    if (it->index < B(it->seq)->size)
        return py_int_from_long((unsigned char)B(it->seq)->data[it->index++]);
    TL_CLEAR(it->seq);
    return NULL;
}

_Static_assert(offsetof(bytes_iter, seq) == offsetof(py_seq_iter, seq), "shares py_seq_iter's traverse");

py_type py_bytes_iter_type = {
    PY_TYPE_HEAD("bytes_iterator", sizeof(bytes_iter), 0, TL_TYPE_GC,
                 .traverse = py_seq_iter_traverse, .clear = py_seq_iter_clear),
    .iter = py_self_iter,
    .iternext = bytes_iter_next,
};

/* ---- methods -------------------------------------------------------------------------------- */

py_obj *py_bytes_decode(py_obj *b, py_obj *encoding, py_obj *errors)
{
    return py_codec_decode(b, B(b)->data, (size_t)B(b)->size, encoding, errors);
}

static py_obj *bytes_from_ints(py_obj *iterable)
{
    py_obj *l = py_sequence_to_list(iterable);
    if (!l)
        return NULL;
    py_obj *r = py_bytes_new(NULL, (size_t)py_list_size(l));
    for (intptr_t i = 0; r && i < py_list_size(l); i++) {
        intptr_t v;
        if (py_index(py_list_items(l)[i], &v) < 0 || v < 0 || v > 255) {
            if (!py_err_occurred())
                py_err_format(py_exc_ValueError, "bytes must be in range(0, 256)");
            TL_CLEAR(r);
            break;
        }
        B(r)->data[i] = (char)v;
    }
    tl_decref(l);
    return r;
}

/* An instance of t, a class derived from bytes, with the contents of b. */
static py_obj *bytes_subtype_new(py_type *t, py_obj *b)
{
    py_obj *o = tl_object_new_var(vm.heap, &t->tl, (size_t)B(b)->size + 1);
    if (!o)
        return py_err_no_memory(), NULL;
    B(o)->size = B(b)->size;
    B(o)->hash = B(b)->hash;
    memcpy(B(o)->data, B(b)->data, (size_t)B(b)->size + 1);
    return o;
}

static py_obj *bytes_exact_new(py_obj *const *args, size_t nargs);

static py_obj *bytes_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *r = bytes_exact_new(args, nargs);
    if (!r || t == &py_bytes_type)
        return r;
    py_obj *sub = bytes_subtype_new(t, r);
    tl_decref(r);
    return sub;
}

static py_obj *bytes_exact_new(py_obj *const *args, size_t nargs)
{
    if (nargs == 0)
        return py_bytes_new("", 0);
    py_obj *x = args[0];
    if (py_str_check(x)) {
        if (nargs < 2) {
            py_err_format(py_exc_TypeError, "string argument without an encoding");
            return NULL;
        }
        return py_call_method(x, "encode", args + 1, nargs - 1);
    }
    if (py_isinstance_of(x, &py_bytes_type))
        return py_newref(x);
    if (py_int_check(x)) {
        intptr_t n = py_int_as_ssize(x);
        if (n < 0) {
            if (!py_err_occurred())
                py_err_format(py_exc_ValueError, "negative count");
            return NULL;
        }
        py_obj *r = py_bytes_new(NULL, (size_t)n);
        if (r)
            memset(B(r)->data, 0, (size_t)n);
        return r;
    }
    return bytes_from_ints(x);
}

static size_t bytes_sizeof(tl_object *o) { return sizeof(py_bytesobj) + (size_t)B(o)->size + 1; }

py_type py_bytes_type = {
    PY_TYPE_HEAD("bytes", sizeof(py_bytesobj), 1, 0, .sizeof_fn = bytes_sizeof),
    .pyflags = PY_TPFLAGS_BASETYPE,
    .repr = bytes_repr,
    .hash = bytes_hash,
    .richcompare = bytes_richcompare,
    .iter = bytes_iter_new,
    .nb = {[PY_NB_ADD] = bytes_concat, [PY_NB_MULTIPLY] = bytes_repeat, [PY_NB_REMAINDER] = py_bytes_mod},
    .len = bytes_len,
    .getitem = bytes_getitem,
    .contains = bytes_contains,
    .item = bytes_item,
    .tp_new = bytes_tp_new,
    .methods = py_bytes_methods,
};

int py_bytes_init(void)
{
    if (py_type_ready(&py_bytes_type) < 0 || py_type_ready(&py_bytes_iter_type) < 0 ||
        py_bytes_methods_init() < 0)
        return -1;
    return 0;
}
