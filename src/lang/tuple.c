/* tuple.c — the tuple type and its iterator.
 *
 * A tuple holds its items inline (py_tuple.items[size]). Invariants:
 *   - once a tuple is visible to Python code every item is non-NULL; while a
 *     C caller fills a fresh py_tuple_new() slots may be NULL, and traverse,
 *     clear and dealloc accept that;
 *   - tuples are created tracked (a GC type), except the empty tuple, which
 *     is a single immortal untracked object (py_empty_tuple);
 *   - py_tuple_maybe_untrack untracks a tuple none of whose items may be
 *     tracked; the collector calls it on survivors (CPython's untrack_tuples);
 *   - dealloc releases items last to first, as CPython does;
 *   - a dead exact tuple of 1 to TUPLE_FREELIST_SIZES - 1 items goes to the
 *     free list of its size (at most TUPLE_FREELIST_MAX each), as in CPython
 *     3.11: untracked, count 0, items NULL except items[0], which links the
 *     list. Reusing one neither counts toward generation 0 nor runs a
 *     collection, and dropping one does not count down: CPython's free list
 *     skips the collector's allocation accounting the same way.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

py_obj *py_empty_tuple;

static inline py_tuple *tup(py_obj *o) { return (py_tuple *)o; }

/* ---- construction --------------------------------------------------------- */

#define TUPLE_FREELIST_SIZES 20
#define TUPLE_FREELIST_MAX 2000
static py_tuple *tuple_freelist[TUPLE_FREELIST_SIZES];
static int tuple_nfree[TUPLE_FREELIST_SIZES];

static py_obj *tuple_freelist_pop(size_t n)
{
    py_tuple *t = tuple_freelist[n];
    tuple_freelist[n] = (py_tuple *)t->items[0];
    tuple_nfree[n]--;
    t->items[0] = NULL;
    t->ob.refcount = 1;
    tl_gc_track(&t->ob);
    return &t->ob;
}

/* True if the (untracked, emptied) tuple was kept for reuse. */
static bool tuple_freelist_push(tl_object *o)
{
    intptr_t n = tup(o)->size;
    if (n >= TUPLE_FREELIST_SIZES || tuple_nfree[n] >= TUPLE_FREELIST_MAX ||
        o->type != &py_tuple_type.tl)
        return false;
    tup(o)->items[0] = (py_obj *)tuple_freelist[n];
    tuple_freelist[n] = tup(o);
    tuple_nfree[n]++;
    return true;
}

void py_tuple_clear_freelist(void)
{
    for (int n = 1; n < TUPLE_FREELIST_SIZES; n++) {
        while (tuple_freelist[n]) {
            py_tuple *t = tuple_freelist[n];
            tuple_freelist[n] = (py_tuple *)t->items[0];
            t->items[0] = NULL;
            tl_object_free(&t->ob);
        }
        tuple_nfree[n] = 0;
    }
}

py_obj *py_tuple_new(size_t n)
{
    if (n == 0)
        return py_newref(py_empty_tuple);
    if (n < TUPLE_FREELIST_SIZES && tuple_freelist[n])
        return tuple_freelist_pop(n);
    py_obj *t = tl_object_new_var(vm.heap, &py_tuple_type.tl, n);
    if (!t)
        return py_err_no_memory(), NULL;
    tup(t)->size = (intptr_t)n;
    return t;
}

py_obj *py_tuple_from_array(py_obj *const *items, size_t n)
{
    py_obj *t = py_tuple_new(n);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++)
        tup(t)->items[i] = py_newref(items[i]);
    return t;
}

py_obj *py_tuple_pack(size_t n, ...)
{
    py_obj *t = py_tuple_new(n);
    if (!t)
        return NULL;
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        tup(t)->items[i] = py_newref(va_arg(ap, py_obj *));
    va_end(ap);
    return t;
}

void py_tuple_maybe_untrack(py_obj *t)
{
    if (!tl_gc_is_tracked(t))
        return;
    for (intptr_t i = 0; i < tup(t)->size; i++) {
        py_obj *x = tup(t)->items[i];
        if (!x || tl_gc_may_be_tracked(x))
            return;
    }
    tl_gc_untrack(t);
}

static bool tuple_untrack_hook(tl_object *o)
{
    for (intptr_t i = 0; i < tup(o)->size; i++) {
        py_obj *x = tup(o)->items[i];
        if (!x || tl_gc_may_be_tracked(x))
            return false;
    }
    return true;
}

/* ---- libtally slots ----------------------------------------------------------- */

static void tuple_dealloc(tl_object *o)
{
    tl_gc_untrack(o);
    for (intptr_t i = tup(o)->size - 1; i >= 0; i--)
        TL_CLEAR(tup(o)->items[i]);
    if (!tuple_freelist_push(o))
        tl_object_free(o);
}

static int tuple_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    for (intptr_t i = tup(o)->size - 1; i >= 0; i--) {
        py_obj *x = tup(o)->items[i];
        int r;
        if (x && (r = visit(x, arg)))
            return r;
    }
    return 0;
}

static void tuple_clear(tl_object *o)
{
    for (intptr_t i = tup(o)->size - 1; i >= 0; i--)
        TL_CLEAR(tup(o)->items[i]);
}

static int tuple_edges(tl_object *o, tl_edge_fn fn, void *arg)
{
    for (intptr_t i = 0; i < tup(o)->size; i++) {
        py_obj *x = tup(o)->items[i];
        int r;
        if (x && (r = fn(x, TL_EDGE_INDEX, NULL, i, arg)))
            return r;
    }
    return 0;
}

static size_t tuple_sizeof(tl_object *o)
{
    return sizeof(py_tuple) + (size_t)tup(o)->size * sizeof(py_obj *);
}

/* ---- protocol --------------------------------------------------------------- */

static py_obj *tuple_repr(py_obj *o)
{
    intptr_t n = tup(o)->size;
    if (n == 0)
        return py_str_from_cstr("()");
    int rec = py_repr_enter(o);
    if (rec)
        return rec > 0 ? py_str_from_cstr("(...)") : NULL;
    py_strbuf b;
    py_strbuf_init(&b);
    py_strbuf_addc(&b, '(');
    for (intptr_t i = 0; i < n; i++) {
        if (i)
            py_strbuf_add(&b, ", ", 2);
        py_obj *r = py_repr(tup(o)->items[i]);
        if (!r) {
            py_strbuf_free(&b);
            py_repr_leave(o);
            return NULL;
        }
        py_strbuf_add_str(&b, r);
        tl_decref(r);
    }
    py_strbuf_puts(&b, n == 1 ? ",)" : ")");
    py_repr_leave(o);
    return py_strbuf_finish(&b);
}

/* CPython 3.11's tuplehash: xxHash's round over the items' hashes. */
#define XXPRIME_1 UINT64_C(11400714785074694791)
#define XXPRIME_2 UINT64_C(14029467366897019727)
#define XXPRIME_5 UINT64_C(2870177450012600261)

static intptr_t tuple_hash(py_obj *o)
{
    uint64_t acc = XXPRIME_5;
    intptr_t n = tup(o)->size;
    for (intptr_t i = 0; i < n; i++) {
        intptr_t lane = py_hash(tup(o)->items[i]);
        if (lane == -1)
            return -1;
        acc += (uint64_t)lane * XXPRIME_2;
        acc = (acc << 31) | (acc >> 33);
        acc *= XXPRIME_1;
    }
    acc += (uint64_t)n ^ (XXPRIME_5 ^ UINT64_C(3527539));
    if (acc == UINT64_MAX)
        return 1546275796;
    return (intptr_t)acc;
}


py_obj *py_seq_richcompare(py_obj **a, intptr_t na, py_obj **b, intptr_t nb, int op)
{
    if ((op == PY_EQ || op == PY_NE) && na != nb)
        return py_bool(op == PY_NE);
    intptr_t i;
    for (i = 0; i < na && i < nb; i++) {
        int k = py_richcompare_bool(a[i], b[i], PY_EQ);
        if (k < 0)
            return NULL;
        if (!k)
            break;
    }
    if (i >= na || i >= nb) {
        intptr_t x = na, y = nb;
        bool r;
        switch (op) {
        case PY_LT: r = x < y; break;
        case PY_LE: r = x <= y; break;
        case PY_EQ: r = x == y; break;
        case PY_NE: r = x != y; break;
        case PY_GT: r = x > y; break;
        default: r = x >= y; break;
        }
        return py_bool(r);
    }
    if (op == PY_EQ)
        return py_bool(false);
    if (op == PY_NE)
        return py_bool(true);
    return py_richcompare(a[i], b[i], op);
}

static py_obj *tuple_richcompare(py_obj *a, py_obj *b, int op)
{
    if (!py_isinstance_of(b, &py_tuple_type) || !py_isinstance_of(a, &py_tuple_type))
        return py_newref(py_NotImplemented);
    return py_seq_richcompare(tup(a)->items, tup(a)->size, tup(b)->items, tup(b)->size, op);
}

static intptr_t tuple_len(py_obj *o) { return tup(o)->size; }

static py_obj *tuple_item(py_obj *o, intptr_t i)
{
    intptr_t j = py_seq_index(i, tup(o)->size);
    if (j < 0) {
        py_err_format(py_exc_IndexError, "tuple index out of range");
        return NULL;
    }
    return py_newref(tup(o)->items[j]);
}

static py_obj *tuple_slice(py_obj *o, py_obj *slice)
{
    intptr_t start, stop, step, n;
    if (py_slice_indices(slice, tup(o)->size, &start, &stop, &step, &n) < 0)
        return NULL;
    if (n == tup(o)->size && step == 1 && py_isinstance_exact(o, &py_tuple_type))
        return py_newref(o);
    py_obj *t = py_tuple_new((size_t)n);
    if (!t)
        return NULL;
    for (intptr_t i = 0, j = start; i < n; i++, j += step)
        tup(t)->items[i] = py_newref(tup(o)->items[j]);
    return t;
}

static py_obj *tuple_getitem(py_obj *o, py_obj *key)
{
    if (py_int_check(key)) {
        intptr_t i = py_int_as_ssize(key);
        if (i == -1 && py_err_occurred()) {
            if (py_err_matches(py_exc_OverflowError)) {
                py_err_clear();
                py_err_format(py_exc_IndexError, "cannot fit 'int' into an index-sized integer");
            }
            return NULL;
        }
        return tuple_item(o, i);
    }
    if (py_slice_check(key))
        return tuple_slice(o, key);
    if (py_type_of(key)->nb_index) {
        intptr_t i;
        if (py_index(key, &i) < 0)
            return NULL;
        return tuple_item(o, i);
    }
    py_err_format(py_exc_TypeError, "tuple indices must be integers or slices, not %s",
                  py_type_name(py_type_of(key)));
    return NULL;
}

static int tuple_contains(py_obj *o, py_obj *v)
{
    for (intptr_t i = 0; i < tup(o)->size; i++) {
        int k = py_richcompare_bool(tup(o)->items[i], v, PY_EQ);
        if (k)
            return k;
    }
    return 0;
}

static py_obj *tuple_concat(py_obj *a, py_obj *b)
{
    if (!py_isinstance_of(a, &py_tuple_type) || !py_isinstance_of(b, &py_tuple_type))
        return py_newref(py_NotImplemented);
    intptr_t na = tup(a)->size, nb = tup(b)->size;
    if (nb == 0 && py_isinstance_exact(a, &py_tuple_type))
        return py_newref(a);
    if (na == 0 && py_isinstance_exact(b, &py_tuple_type))
        return py_newref(b);
    py_obj *t = py_tuple_new((size_t)(na + nb));
    if (!t)
        return NULL;
    for (intptr_t i = 0; i < na; i++)
        tup(t)->items[i] = py_newref(tup(a)->items[i]);
    for (intptr_t i = 0; i < nb; i++)
        tup(t)->items[na + i] = py_newref(tup(b)->items[i]);
    return t;
}


int py_seq_repeat_count(py_obj *a, py_obj *b, const py_type *seqtype, py_obj **seq, intptr_t *count)
{
    bool a_is_seq = py_isinstance_of(a, seqtype);
    *seq = a_is_seq ? a : b;
    py_obj *n = a_is_seq ? b : a;
    if (!py_int_check(n) && !py_type_of(n)->nb_index) {
        if (py_type_has(n, PY_TPFLAGS_HEAPTYPE) && py_type_of(n)->nb[PY_NB_MULTIPLY])
            return 0;
        py_err_format(py_exc_TypeError, "can't multiply sequence by non-int of type '%s'",
                      py_type_name(py_type_of(n)));
        return -1;
    }
    if (py_int_check(n)) {
        int ovf = 0;
        long long v = py_int_as_long(n, &ovf);
        if (ovf > 0) {
            py_err_format(py_exc_OverflowError, "cannot fit 'int' into an index-sized integer");
            return -1;
        }
        *count = ovf < 0 || v < 0 ? 0 : (intptr_t)v;
        return 1;
    }
    if (py_index(n, count) < 0)
        return -1;
    if (*count < 0)
        *count = 0;
    return 1;
}

static py_obj *tuple_repeat(py_obj *a, py_obj *b)
{
    py_obj *seq;
    intptr_t n;
    int k = py_seq_repeat_count(a, b, &py_tuple_type, &seq, &n);
    if (k <= 0)
        return k < 0 ? NULL : py_newref(py_NotImplemented);
    intptr_t len = tup(seq)->size;
    if (len == 0 || n == 0)
        return py_newref(py_empty_tuple);
    if (n == 1 && py_isinstance_exact(seq, &py_tuple_type))
        return py_newref(seq);
    if (n > INTPTR_MAX / len / (intptr_t)sizeof(py_obj *))
        return py_err_no_memory(), NULL;
    py_obj *t = py_tuple_new((size_t)(len * n));
    if (!t)
        return NULL;
    for (intptr_t r = 0; r < n; r++)
        for (intptr_t i = 0; i < len; i++)
            tup(t)->items[r * len + i] = py_newref(tup(seq)->items[i]);
    return t;
}

/* ---- iterator ------------------------------------------------------------------ */

typedef struct tuple_iter {
    tl_object ob;
    intptr_t index;
    py_obj *seq;       /* NULL once exhausted */
} tuple_iter;

static py_obj *tuple_iter_new(py_obj *o)
{
    tuple_iter *it = (tuple_iter *)tl_object_new(vm.heap, &py_tuple_iter_type.tl);
    if (!it)
        return py_err_no_memory(), NULL;
    it->seq = py_newref(o);
    return &it->ob;
}

static py_obj *tuple_iter_next(py_obj *o)
{
    tuple_iter *it = (tuple_iter *)o;
    if (!it->seq)
        return NULL;
    if (it->index < tup(it->seq)->size)
        return py_newref(tup(it->seq)->items[it->index++]);
    TL_CLEAR(it->seq);
    return NULL;
}

_Static_assert(offsetof(tuple_iter, seq) == offsetof(py_seq_iter, seq), "shares py_seq_iter's traverse");


static py_obj *tuple_iter_m_length_hint(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    tuple_iter *it = (tuple_iter *)a[0];
    return py_int_from_long(it->seq ? tup(it->seq)->size - it->index : 0);
}

static const py_method_def tuple_iter_methods[] = {
    {"__length_hint__", tuple_iter_m_length_hint, NULL},
    {NULL, NULL, NULL},
};

py_type py_tuple_iter_type = {
    PY_TYPE_HEAD("tuple_iterator", sizeof(tuple_iter), 0, TL_TYPE_GC,
                 .traverse = py_seq_iter_traverse, .clear = py_seq_iter_clear),
    .iter = py_self_iter,
    .iternext = tuple_iter_next,
    .methods = tuple_iter_methods,
};

/* ---- methods ---------------------------------------------------------------------- */

static py_obj *tuple_m_count(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("count", n - 1, k, 1, 1) < 0)
        return NULL;
    intptr_t count = 0;
    for (intptr_t i = 0; i < tup(a[0])->size; i++) {
        int r = py_richcompare_bool(tup(a[0])->items[i], a[1], PY_EQ);
        if (r < 0)
            return NULL;
        count += r;
    }
    return py_int_from_long(count);
}


int py_index_bounds(py_obj *const *a, size_t n, intptr_t len, intptr_t *start, intptr_t *stop)
{
    *start = 0;
    *stop = len;
    if (n > 0 && py_clamped_index(a[0], start) < 0)
        return -1;
    if (n > 1 && py_clamped_index(a[1], stop) < 0)
        return -1;
    if (*start < 0 && (*start += len) < 0)
        *start = 0;
    if (*stop < 0 && (*stop += len) < 0)
        *stop = 0;
    if (*stop > len)
        *stop = len;
    return 0;
}

static py_obj *tuple_m_index(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("index", n - 1, k, 1, 3) < 0)
        return NULL;
    intptr_t start, stop;
    if (py_index_bounds(a + 2, n - 2, tup(a[0])->size, &start, &stop) < 0)
        return NULL;
    for (intptr_t i = start; i < stop && i < tup(a[0])->size; i++) {
        int r = py_richcompare_bool(tup(a[0])->items[i], a[1], PY_EQ);
        if (r < 0)
            return NULL;
        if (r)
            return py_int_from_long(i);
    }
    py_err_format(py_exc_ValueError, "tuple.index(x): x not in tuple");
    return NULL;
}

static py_obj *tuple_m_sizeof(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_int_from_size(tuple_sizeof(a[0]));
}

static py_obj *tuple_m_getnewargs(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *copy = py_tuple_from_array(tup(a[0])->items, (size_t)tup(a[0])->size);
    if (!copy)
        return NULL;
    py_obj *r = py_tuple_pack(1, copy);
    tl_decref(copy);
    return r;
}

static const py_method_def tuple_methods[] = {
    {"count", tuple_m_count, "Return number of occurrences of value."},
    {"index", tuple_m_index, "Return first index of value."},
    {"__sizeof__", tuple_m_sizeof, NULL},
    {"__getnewargs__", tuple_m_getnewargs, NULL},
    {NULL, NULL, NULL},
};

/* An instance of t, a class derived from tuple, holding the items of the
 * exact tuple u. */
static py_obj *tuple_subtype_new(py_type *t, py_obj *u)
{
    intptr_t n = tup(u)->size;
    py_obj *o = tl_object_new_var(vm.heap, &t->tl, (size_t)n);
    if (!o)
        return py_err_no_memory(), NULL;
    for (intptr_t i = 0; i < n; i++)
        tup(o)->items[i] = py_newref(tup(u)->items[i]);
    tup(o)->size = n;
    return o;
}

static py_obj *tuple_exact_new(py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "tuple() takes no keyword arguments");
        return NULL;
    }
    if (nargs > 1) {
        py_err_format(py_exc_TypeError, "tuple expected at most 1 argument, got %zd", (intptr_t)nargs);
        return NULL;
    }
    if (nargs == 0)
        return py_newref(py_empty_tuple);
    return py_sequence_to_tuple(args[0]);
}

static py_obj *tuple_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *r = tuple_exact_new(args, nargs, kwnames);
    if (!r || t == &py_tuple_type)
        return r;
    py_obj *sub = tuple_subtype_new(t, r);
    tl_decref(r);
    return sub;
}

py_type py_tuple_type = {
    PY_TYPE_HEAD("tuple", sizeof(py_tuple), sizeof(py_obj *), TL_TYPE_GC,
                 .dealloc = tuple_dealloc, .traverse = tuple_traverse, .clear = tuple_clear,
                 .edges = tuple_edges, .sizeof_fn = tuple_sizeof),
    .pyflags = PY_TPFLAGS_BASETYPE | PY_TPFLAGS_TUPLE_SUBCLASS,
    .repr = tuple_repr,
    .hash = tuple_hash,
    .richcompare = tuple_richcompare,
    .iter = tuple_iter_new,
    .nb = {[PY_NB_ADD] = tuple_concat, [PY_NB_MULTIPLY] = tuple_repeat},
    .len = tuple_len,
    .getitem = tuple_getitem,
    .contains = tuple_contains,
    .item = tuple_item,
    .tp_new = tuple_new,
    .methods = tuple_methods,
    .doc = "Built-in immutable sequence.",
};

int py_tuple_make_empty(void)
{
    if (!py_empty_tuple) {
        py_obj *t = tl_object_new_untracked(vm.heap, &py_tuple_type.tl, 0);
        if (!t)
            return py_err_no_memory(), -1;
        tl_make_immortal(t);
        py_empty_tuple = t;
    }
    return 0;
}

int py_tuple_init(void)
{
    if (py_tuple_make_empty() < 0)
        return -1;
    if (tl_gc_register_untrack(vm.heap, &py_tuple_type.tl, tuple_untrack_hook, false) < 0)
        return -1;
    if (py_type_ready(&py_tuple_type) < 0 || py_type_ready(&py_tuple_iter_type) < 0)
        return -1;
    return 0;
}

/* Teardown: frees the empty tuple (immortal, so nothing else will). */
void py_tuple_fini(void)
{
    if (py_empty_tuple) {
        tl_object_free(py_empty_tuple);
        py_empty_tuple = NULL;
    }
}
