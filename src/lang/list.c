/* list.c — the list type, its iterators and its sort.
 *
 * py_list (py.h): `items` is a heap block of `allocated` slots of which the
 * first `size` hold strong references (non-NULL once visible to Python).
 * Invariants: 0 <= size <= allocated; items == NULL iff allocated == 0.
 * Growth follows CPython 3.11's list_resize, so that capacities, and hence
 * sys.getsizeof (40 + 8 * allocated, plus the collector header), match:
 * new capacity (n + n/8 + 6) & ~3, exact sizes for displays, slices,
 * concatenation, repetition and list(sized iterable).
 * Items are released last to first (dealloc, clear, del l[i:j]), and a slot
 * is always overwritten before the old item is released, so a __del__ that
 * looks at the list sees it consistent.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

static inline py_list *L(py_obj *o) { return (py_list *)o; }

/* ---- storage ------------------------------------------------------------------- */

/* CPython's list_resize: over-allocates on growth, shrinks below half. */
static int list_resize(py_obj *o, intptr_t newsize)
{
    py_list *l = L(o);
    intptr_t allocated = l->allocated;
    if (allocated >= newsize && newsize >= (allocated >> 1)) {
        l->size = newsize;
        return 0;
    }
    size_t na = ((size_t)newsize + ((size_t)newsize >> 3) + 6) & ~(size_t)3;
    if ((size_t)(newsize - l->size) > na - (size_t)newsize)
        na = ((size_t)newsize + 3) & ~(size_t)3;
    if (newsize == 0)
        na = 0;
    if (na > (size_t)INTPTR_MAX / sizeof(py_obj *))
        return py_err_no_memory(), -1;
    py_obj **items;
    if (na == 0) {
        tl_heap_free(l->items);
        items = NULL;
    } else {
        items = tl_heap_realloc(vm.heap, l->items, na * sizeof(py_obj *));
        if (!items)
            return py_err_no_memory(), -1;
    }
    l->items = items;
    l->size = newsize;
    l->allocated = (intptr_t)na;
    return 0;
}

/* n slots, rounded up to even, for an empty list being filled from a sized
 * source (CPython 3.11's list_preallocate_exact). */
static int list_preallocate_exact(py_obj *o, intptr_t n)
{
    n = (n + 1) & ~(intptr_t)1;
    py_obj **items = tl_heap_alloc(vm.heap, (size_t)n * sizeof(py_obj *));
    if (!items)
        return py_err_no_memory(), -1;
    L(o)->items = items;
    L(o)->allocated = n;
    return 0;
}

/* Free list of exact lists, as CPython 3.11 keeps (at most 80): a listed
 * list is untracked, count 0, with no items block; reusing one is tracked
 * again without counting toward generation 0 (as in CPython). Emptied by a
 * full collection and at teardown (py_list_clear_freelist). */
#define LIST_FREELIST_MAX 80
static py_list *list_freelist[LIST_FREELIST_MAX];
static int list_nfree;

void py_list_clear_freelist(void)
{
    while (list_nfree > 0)
        tl_object_free(&list_freelist[--list_nfree]->ob);
}

static py_obj *list_alloc(py_type *t)
{
    if (t == &py_list_type && list_nfree > 0) {
        py_list *l = list_freelist[--list_nfree];
        l->ob.refcount = 1;
        tl_gc_track(&l->ob);
        return &l->ob;
    }
    py_obj *o = tl_object_new(vm.heap, &t->tl);
    if (!o)
        return py_err_no_memory(), NULL;
    return o;
}

py_obj *py_list_new(size_t n)
{
    py_obj *o = list_alloc(&py_list_type);
    if (!o || n == 0)
        return o;
    py_obj **items = tl_heap_calloc(vm.heap, n * sizeof(py_obj *));
    if (!items) {
        tl_decref(o);
        return py_err_no_memory(), NULL;
    }
    L(o)->items = items;
    L(o)->size = L(o)->allocated = (intptr_t)n;
    return o;
}

int py_list_append(py_obj *o, py_obj *v)
{
    py_list *l = L(o);
    intptr_t n = l->size;
    if (n < l->allocated) {
        l->items[n] = py_newref(v);
        l->size = n + 1;
        return 0;
    }
    if (list_resize(o, n + 1) < 0)
        return -1;
    l->items[n] = py_newref(v);
    return 0;
}

static py_obj *list_from_array(py_obj **items, intptr_t n)
{
    py_obj *r = py_list_new((size_t)n);
    if (!r)
        return NULL;
    for (intptr_t i = 0; i < n; i++)
        L(r)->items[i] = py_newref(items[i]);
    return r;
}

/* Empties the list, releasing items last to first after it is consistent. */
static void list_clear_items(py_obj *o)
{
    py_list *l = L(o);
    py_obj **items = l->items;
    intptr_t n = l->size;
    l->items = NULL;
    l->size = l->allocated = 0;
    while (--n >= 0)
        tl_xdecref(items[n]);
    tl_heap_free(items);
}

/* ---- libtally slots -------------------------------------------------------------- */

static void list_dealloc(tl_object *o)
{
    tl_gc_untrack(o);
    py_list *l = L(o);
    for (intptr_t i = l->size - 1; i >= 0; i--)
        tl_xdecref(l->items[i]);
    tl_heap_free(l->items);
    if (o->type == &py_list_type.tl && list_nfree < LIST_FREELIST_MAX) {
        l->items = NULL;
        l->size = l->allocated = 0;
        list_freelist[list_nfree++] = l;
        return;
    }
    tl_object_free(o);
}

static int list_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_list *l = L(o);
    for (intptr_t i = l->size - 1; i >= 0; i--) {
        int r;
        if (l->items[i] && (r = visit(l->items[i], arg)))
            return r;
    }
    return 0;
}

static void list_tl_clear(tl_object *o) { list_clear_items(o); }

static int list_edges(tl_object *o, tl_edge_fn fn, void *arg)
{
    py_list *l = L(o);
    for (intptr_t i = 0; i < l->size; i++) {
        int r;
        if (l->items[i] && (r = fn(l->items[i], TL_EDGE_INDEX, NULL, i, arg)))
            return r;
    }
    return 0;
}

static size_t list_sizeof(tl_object *o)
{
    return sizeof(py_list) + (size_t)L(o)->allocated * sizeof(py_obj *);
}

/* ---- repr, compare --------------------------------------------------------------- */

static py_obj *list_repr(py_obj *o)
{
    if (L(o)->size == 0)
        return py_str_from_cstr("[]");
    int rec = py_repr_enter(o);
    if (rec)
        return rec > 0 ? py_str_from_cstr("[...]") : NULL;
    py_strbuf b;
    py_strbuf_init(&b);
    py_strbuf_addc(&b, '[');
    for (intptr_t i = 0; i < L(o)->size; i++) {
        if (i)
            py_strbuf_add(&b, ", ", 2);
        py_obj *x = py_newref(L(o)->items[i]);
        py_obj *r = py_repr(x);
        tl_decref(x);
        if (!r) {
            py_strbuf_free(&b);
            py_repr_leave(o);
            return NULL;
        }
        py_strbuf_add_str(&b, r);
        tl_decref(r);
    }
    py_strbuf_addc(&b, ']');
    py_repr_leave(o);
    return py_strbuf_finish(&b);
}

static py_obj *list_richcompare(py_obj *a, py_obj *b, int op)
{
    if (!py_isinstance_of(a, &py_list_type) || !py_isinstance_of(b, &py_list_type))
        return py_newref(py_NotImplemented);
    if ((op == PY_EQ || op == PY_NE) && L(a)->size != L(b)->size)
        return py_bool(op == PY_NE);
    /* Items may change under a comparison: re-read sizes each step. */
    intptr_t i;
    for (i = 0; i < L(a)->size && i < L(b)->size; i++) {
        py_obj *x = py_newref(L(a)->items[i]), *y = py_newref(L(b)->items[i]);
        int k = py_richcompare_bool(x, y, PY_EQ);
        tl_decref(x);
        tl_decref(y);
        if (k < 0)
            return NULL;
        if (!k)
            break;
    }
    if (i >= L(a)->size || i >= L(b)->size)
        return py_cmp_result((L(a)->size > L(b)->size) - (L(a)->size < L(b)->size), op);
    if (op == PY_EQ || op == PY_NE)
        return py_bool(op == PY_NE);
    py_obj *x = py_newref(L(a)->items[i]), *y = py_newref(L(b)->items[i]);
    py_obj *r = py_richcompare(x, y, op);
    tl_decref(x);
    tl_decref(y);
    return r;
}

/* ---- items ------------------------------------------------------------------------- */

static intptr_t list_len(py_obj *o) { return L(o)->size; }

static py_obj *list_item(py_obj *o, intptr_t i)
{
    intptr_t j = py_seq_index(i, L(o)->size);
    if (j < 0) {
        py_err_format(py_exc_IndexError, "list index out of range");
        return NULL;
    }
    return py_newref(L(o)->items[j]);
}

static py_obj *list_slice(py_obj *o, py_obj *slice)
{
    intptr_t start, stop, step, n;
    if (py_slice_indices(slice, L(o)->size, &start, &stop, &step, &n) < 0)
        return NULL;
    if (step == 1)
        return list_from_array(L(o)->items + start, n);
    py_obj *r = py_list_new((size_t)n);
    if (!r)
        return NULL;
    for (intptr_t i = 0, j = start; i < n; i++, j += step)
        L(r)->items[i] = py_newref(L(o)->items[j]);
    return r;
}

/* An integer subscript: 1 with *i set, 0 not an integer, -1 error. */
static int int_subscript(py_obj *key, intptr_t *i)
{
    if (py_int_check(key) || (!py_slice_check(key) && py_type_of(key)->nb_index)) {
        if (py_index(key, i) < 0) {
            if (py_err_matches(py_exc_OverflowError)) {
                py_err_clear();
                py_err_format(py_exc_IndexError, "cannot fit '%s' into an index-sized integer",
                              py_type_name(py_type_of(key)));
            }
            return -1;
        }
        return 1;
    }
    return 0;
}

static py_obj *list_getitem(py_obj *o, py_obj *key)
{
    intptr_t i;
    int k = int_subscript(key, &i);
    if (k)
        return k < 0 ? NULL : list_item(o, i);
    if (py_slice_check(key))
        return list_slice(o, key);
    py_err_format(py_exc_TypeError, "list indices must be integers or slices, not %s",
                  py_type_name(py_type_of(key)));
    return NULL;
}

/* a[lo:hi] = items[0:n] (n may differ from hi - lo); items NULL: delete. */
static int list_ass_slice_items(py_obj *o, intptr_t lo, intptr_t hi, py_obj **items, intptr_t n)
{
    py_list *l = L(o);
    intptr_t norig = hi - lo, d = n - norig, size = l->size;
    py_obj *small[8], **recycle = small;
    if (norig > 8 && !(recycle = tl_heap_alloc(vm.heap, (size_t)norig * sizeof(py_obj *))))
        return py_err_no_memory(), -1;
    memcpy(recycle, l->items + lo, (size_t)norig * sizeof(py_obj *));
    if (d < 0) {
        memmove(l->items + hi + d, l->items + hi, (size_t)(size - hi) * sizeof(py_obj *));
        list_resize(o, size + d);   /* shrinking cannot fail to leave a valid list */
    } else if (d > 0) {
        if (list_resize(o, size + d) < 0) {
            if (recycle != small)
                tl_heap_free(recycle);
            return -1;
        }
        memmove(l->items + hi + d, l->items + hi, (size_t)(size - hi) * sizeof(py_obj *));
    }
    for (intptr_t k = 0; k < n; k++)
        l->items[lo + k] = py_newref(items[k]);
    for (intptr_t k = norig - 1; k >= 0; k--)
        tl_xdecref(recycle[k]);
    if (recycle != small)
        tl_heap_free(recycle);
    return 0;
}

/* The items of an assigned value: a fresh list (or tuple) kept alive by *hold. */
static int value_items(py_obj *v, py_obj **hold, py_obj ***items, intptr_t *n)
{
    if (py_isinstance_of(v, &py_tuple_type)) {
        *hold = py_newref(v);
        *items = py_tuple_items(v);
        *n = py_tuple_size(v);
        return 0;
    }
    if (py_isinstance_of(v, &py_list_type))
        *hold = list_from_array(L(v)->items, L(v)->size);
    else {
        *hold = py_sequence_to_list(v);
        if (!*hold && py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            py_err_format(py_exc_TypeError, "must assign iterable to extended slice");
        }
    }
    if (!*hold)
        return -1;
    *items = L(*hold)->items;
    *n = L(*hold)->size;
    return 0;
}

static int list_del_extended(py_obj *o, intptr_t start, intptr_t step, intptr_t n)
{
    py_list *l = L(o);
    if (step < 0) {
        start = start + step * (n - 1);
        step = -step;
    }
    py_obj **garbage = tl_heap_alloc(vm.heap, (size_t)(n ? n : 1) * sizeof(py_obj *));
    if (!garbage)
        return py_err_no_memory(), -1;
    intptr_t w = start, k = 0;
    for (intptr_t r = start; r < l->size; r++) {
        if (k < n && r == start + k * step)
            garbage[k++] = l->items[r];
        else
            l->items[w++] = l->items[r];
    }
    list_resize(o, l->size - n);
    for (k = n - 1; k >= 0; k--)
        tl_decref(garbage[k]);
    tl_heap_free(garbage);
    return 0;
}

static int list_ass_subscript_slice(py_obj *o, py_obj *slice, py_obj *v)
{
    intptr_t start, stop, step, n;
    if (py_slice_indices(slice, L(o)->size, &start, &stop, &step, &n) < 0)
        return -1;
    if (step == 1) {
        if (!v)
            return list_ass_slice_items(o, start, start + n, NULL, 0);
        if (!py_isinstance_of(v, &py_list_type) && !py_isinstance_of(v, &py_tuple_type) &&
            !py_type_of(v)->iter && !py_type_of(v)->getitem) {
            py_err_format(py_exc_TypeError, "can only assign an iterable");
            return -1;
        }
        py_obj *hold, **items;
        intptr_t m;
        if (value_items(v, &hold, &items, &m) < 0)
            return -1;
        int r = list_ass_slice_items(o, start, start + n, items, m);
        tl_decref(hold);
        return r;
    }
    if (!v)
        return n ? list_del_extended(o, start, step, n) : 0;
    py_obj *hold, **items;
    intptr_t m;
    if (value_items(v, &hold, &items, &m) < 0)
        return -1;
    if (m != n) {
        py_err_format(py_exc_ValueError,
                      "attempt to assign sequence of size %zd to extended slice of size %zd", m, n);
        tl_decref(hold);
        return -1;
    }
    for (intptr_t i = 0, j = start; i < n; i++, j += step) {
        py_obj *old = L(o)->items[j];
        L(o)->items[j] = py_newref(items[i]);
        tl_decref(old);
    }
    tl_decref(hold);
    return 0;
}

static int list_setitem(py_obj *o, py_obj *key, py_obj *v)
{
    intptr_t i;
    int k = int_subscript(key, &i);
    if (k < 0)
        return -1;
    if (k) {
        intptr_t j = py_seq_index(i, L(o)->size);
        if (j < 0) {
            py_err_format(py_exc_IndexError, "list assignment index out of range");
            return -1;
        }
        if (!v)
            return list_ass_slice_items(o, j, j + 1, NULL, 0);
        tl_setref(&L(o)->items[j], py_newref(v));
        return 0;
    }
    if (py_slice_check(key))
        return list_ass_subscript_slice(o, key, v);
    py_err_format(py_exc_TypeError, "list indices must be integers or slices, not %s",
                  py_type_name(py_type_of(key)));
    return -1;
}

static int list_contains(py_obj *o, py_obj *v)
{
    for (intptr_t i = 0; i < L(o)->size; i++) {
        py_obj *x = py_newref(L(o)->items[i]);
        int k = py_richcompare_bool(x, v, PY_EQ);
        tl_decref(x);
        if (k)
            return k;
    }
    return 0;
}

/* ---- extend, concatenation, repetition ---------------------------------------------------- */

static int list_extend_items(py_obj *o, py_obj **items, intptr_t n)
{
    intptr_t m = L(o)->size;
    if (n == 0)
        return 0;
    if (!L(o)->items) {
        if (list_preallocate_exact(o, n) < 0)
            return -1;
        L(o)->size = n;
    } else if (list_resize(o, m + n) < 0) {
        return -1;
    }
    for (intptr_t i = 0; i < n; i++)
        L(o)->items[m + i] = py_newref(items[i]);
    return 0;
}

static int list_extend(py_obj *o, py_obj *iterable)
{
    if (py_isinstance_of(iterable, &py_list_type) || py_isinstance_of(iterable, &py_tuple_type)) {
        bool is_list = py_isinstance_of(iterable, &py_list_type);
        intptr_t n = is_list ? L(iterable)->size : py_tuple_size(iterable);
        if (iterable == o) {
            /* l.extend(l): the source grows as we copy; take a snapshot size. */
            if (list_resize(o, 2 * n) < 0)
                return -1;
            for (intptr_t i = 0; i < n; i++)
                L(o)->items[n + i] = py_newref(L(o)->items[i]);
            return 0;
        }
        return list_extend_items(o, is_list ? L(iterable)->items : py_tuple_items(iterable), n);
    }
    py_obj *it = py_iter(iterable);
    if (!it)
        return -1;
    py_obj *x;
    int r = 0;
    while ((x = py_next(it))) {
        r = py_list_append(o, x);
        tl_decref(x);
        if (r < 0)
            break;
    }
    tl_decref(it);
    if (r < 0 || py_err_occurred())
        return -1;
    if (L(o)->size < L(o)->allocated)
        list_resize(o, L(o)->size);
    return 0;
}

int py_list_extend_from(py_obj *list, py_obj *iterable) { return list_extend(list, iterable); }

static py_obj *list_concat(py_obj *a, py_obj *b)
{
    if (!py_isinstance_of(a, &py_list_type) || !py_isinstance_of(b, &py_list_type))
        return py_newref(py_NotImplemented);
    intptr_t na = L(a)->size, nb = L(b)->size;
    py_obj *r = py_list_new((size_t)(na + nb));
    if (!r)
        return NULL;
    for (intptr_t i = 0; i < na; i++)
        L(r)->items[i] = py_newref(L(a)->items[i]);
    for (intptr_t i = 0; i < nb; i++)
        L(r)->items[na + i] = py_newref(L(b)->items[i]);
    return r;
}

static py_obj *list_inplace_concat(py_obj *a, py_obj *b)
{
    if (list_extend(a, b) < 0)
        return NULL;
    return py_newref(a);
}

static py_obj *list_repeat(py_obj *a, py_obj *b)
{
    py_obj *seq;
    intptr_t n;
    int k = py_seq_repeat_count(a, b, &py_list_type, &seq, &n);
    if (k <= 0)
        return k < 0 ? NULL : py_newref(py_NotImplemented);
    intptr_t len = L(seq)->size;
    if (len == 0 || n == 0)
        return py_list_new(0);
    if (n > INTPTR_MAX / len / (intptr_t)sizeof(py_obj *))
        return py_err_no_memory(), NULL;
    py_obj *r = py_list_new((size_t)(len * n));
    if (!r)
        return NULL;
    for (intptr_t j = 0; j < n; j++)
        for (intptr_t i = 0; i < len; i++)
            L(r)->items[j * len + i] = py_newref(L(seq)->items[i]);
    return r;
}

static py_obj *list_inplace_repeat(py_obj *a, py_obj *b)
{
    intptr_t n;
    if (!py_int_check(b) && !py_type_of(b)->nb_index)
        return py_newref(py_NotImplemented);
    if (py_index(b, &n) < 0)
        return NULL;
    intptr_t len = L(a)->size;
    if (n < 1 || len == 0) {
        list_clear_items(a);
        return py_newref(a);
    }
    if (n > INTPTR_MAX / len / (intptr_t)sizeof(py_obj *))
        return py_err_no_memory(), NULL;
    if (list_resize(a, len * n) < 0)
        return NULL;
    for (intptr_t j = 1; j < n; j++)
        for (intptr_t i = 0; i < len; i++)
            L(a)->items[j * len + i] = py_newref(L(a)->items[i]);
    return py_newref(a);
}

/* ---- sort: a stable merge sort over (key, value) pairs ---------------------------------- */

typedef struct sort_item {
    py_obj *key, *value;
} sort_item;

typedef struct sort_state {
    sort_item *a, *tmp;
    bool failed;
} sort_state;

/* 1 if x < y; 0 otherwise (also after a failure: stop comparing). */
static int sort_lt(sort_state *st, py_obj *x, py_obj *y)
{
    if (st->failed)
        return 0;
    int r = py_richcompare_bool(x, y, PY_LT);
    if (r < 0) {
        st->failed = true;
        return 0;
    }
    return r;
}

static void merge(sort_state *st, intptr_t lo, intptr_t mid, intptr_t hi)
{
    /* Already in order: a common case for presorted runs. */
    if (!sort_lt(st, st->a[mid].key, st->a[mid - 1].key))
        return;
    memcpy(st->tmp + lo, st->a + lo, (size_t)(mid - lo) * sizeof(sort_item));
    intptr_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        if (sort_lt(st, st->a[j].key, st->tmp[i].key))
            st->a[k++] = st->a[j++];
        else
            st->a[k++] = st->tmp[i++];
    }
    while (i < mid)
        st->a[k++] = st->tmp[i++];
}

static void insertion_sort(sort_state *st, intptr_t lo, intptr_t hi)
{
    for (intptr_t i = lo + 1; i < hi; i++) {
        sort_item x = st->a[i];
        intptr_t j = i;
        while (j > lo && sort_lt(st, x.key, st->a[j - 1].key)) {
            st->a[j] = st->a[j - 1];
            j--;
        }
        st->a[j] = x;
    }
}

static void merge_sort(sort_state *st, intptr_t n)
{
    const intptr_t run = 16;
    for (intptr_t lo = 0; lo < n; lo += run)
        insertion_sort(st, lo, lo + run < n ? lo + run : n);
    for (intptr_t w = run; w < n; w *= 2)
        for (intptr_t lo = 0; lo + w < n; lo += 2 * w)
            merge(st, lo, lo + w, lo + 2 * w < n ? lo + 2 * w : n);
}

static void reverse_items(py_obj **items, intptr_t n)
{
    for (intptr_t i = 0, j = n - 1; i < j; i++, j--) {
        py_obj *t = items[i];
        items[i] = items[j];
        items[j] = t;
    }
}

/* Reverses a list's items in place (no allocation, no error). */
void py_list_reverse_items(py_obj *l)
{
    reverse_items(py_list_items(l), py_list_size(l));
}

/* Computes keys into st->a; 0 or -1. */
static int sort_fill(sort_item *a, py_obj **items, intptr_t n, py_obj *key)
{
    for (intptr_t i = 0; i < n; i++) {
        a[i].value = items[i];
        if (!key || key == py_None) {
            a[i].key = items[i];
            continue;
        }
        a[i].key = py_call1(key, items[i]);
        if (!a[i].key) {
            while (--i >= 0)
                tl_decref(a[i].key);
            return -1;
        }
    }
    return 0;
}

int py_list_sort(py_obj *o, py_obj *key, bool reverse)
{
    py_list *l = L(o);
    py_obj **items = l->items;
    intptr_t n = l->size, allocated = l->allocated;
    /* The list reads as empty while sorting, so mutation can be detected. */
    l->items = NULL;
    l->size = l->allocated = 0;
    int result = 0;
    sort_state st = {NULL, NULL, false};
    bool keyed = key && key != py_None;
    if (n > 1) {
        st.a = tl_heap_alloc(vm.heap, (size_t)n * sizeof(sort_item) * 2);
        if (!st.a) {
            py_err_no_memory();
            result = -1;
            goto restore;
        }
        st.tmp = st.a + n;
        if (reverse)
            reverse_items(items, n);
        if (sort_fill(st.a, items, n, key) < 0) {
            result = -1;
            if (reverse)
                reverse_items(items, n);
            goto restore;
        }
        merge_sort(&st, n);
        for (intptr_t i = 0; i < n; i++) {
            items[i] = st.a[i].value;
            if (keyed)
                tl_decref(st.a[i].key);
        }
        if (reverse)
            reverse_items(items, n);
        result = st.failed ? -1 : 0;
    }
restore:
    tl_heap_free(st.a);
    if (l->items || l->size) {
        list_clear_items(o);
        if (result == 0) {
            py_err_format(py_exc_ValueError, "list modified during sort");
            result = -1;
        }
    }
    l->items = items;
    l->size = n;
    l->allocated = allocated;
    return result;
}

/* ---- iterators ---------------------------------------------------------------------------- */

typedef struct list_iter {
    tl_object ob;
    intptr_t index;
    py_obj *seq;       /* NULL once exhausted */
} list_iter;

static py_obj *list_iter_make(py_obj *o, py_type *t, intptr_t start)
{
    list_iter *it = (list_iter *)tl_object_new(vm.heap, &t->tl);
    if (!it)
        return py_err_no_memory(), NULL;
    it->seq = py_newref(o);
    it->index = start;
    return &it->ob;
}

static py_obj *list_iter_new(py_obj *o) { return list_iter_make(o, &py_list_iter_type, 0); }

static py_obj *list_iter_next(py_obj *o)
{
    list_iter *it = (list_iter *)o;
    if (!it->seq)
        return NULL;
    if (it->index < L(it->seq)->size)
        return py_newref(L(it->seq)->items[it->index++]);
    TL_CLEAR(it->seq);
    return NULL;
}

static py_obj *list_reviter_next(py_obj *o)
{
    list_iter *it = (list_iter *)o;
    if (!it->seq)
        return NULL;
    if (it->index >= 0 && it->index < L(it->seq)->size)
        return py_newref(L(it->seq)->items[it->index--]);
    it->index = -1;
    TL_CLEAR(it->seq);
    return NULL;
}

_Static_assert(offsetof(list_iter, seq) == offsetof(py_seq_iter, seq), "shares py_seq_iter's traverse");

static py_obj *list_iter_m_length_hint(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    list_iter *it = (list_iter *)a[0];
    intptr_t left = 0;
    if (it->seq)
        left = py_type_of(a[0]) == &py_list_iter_type ? L(it->seq)->size - it->index : it->index + 1;
    return py_int_from_long(left < 0 ? 0 : left);
}

static const py_method_def list_iter_methods[] = {
    {"__length_hint__", list_iter_m_length_hint, NULL},
    {NULL, NULL, NULL},
};

py_type py_list_iter_type = {
    PY_TYPE_HEAD("list_iterator", sizeof(list_iter), 0, TL_TYPE_GC,
                 .traverse = py_seq_iter_traverse, .clear = py_seq_iter_clear),
    .iter = py_self_iter,
    .iternext = list_iter_next,
    .methods = list_iter_methods,
};

py_type py_list_reviter_type = {
    PY_TYPE_HEAD("list_reverseiterator", sizeof(list_iter), 0, TL_TYPE_GC,
                 .traverse = py_seq_iter_traverse, .clear = py_seq_iter_clear),
    .iter = py_self_iter,
    .iternext = list_reviter_next,
    .methods = list_iter_methods,
};

/* ---- methods ------------------------------------------------------------------------------- */

#define SELF a[0]
#define NARGS (n - 1)

static py_obj *list_m_append(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("list.append", NARGS, k, 1, 1) < 0)
        return NULL;
    if (py_list_append(SELF, a[1]) < 0)
        return NULL;
    py_RETURN_NONE;
}

static py_obj *list_m_extend(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("list.extend", NARGS, k, 1, 1) < 0)
        return NULL;
    if (list_extend(SELF, a[1]) < 0)
        return NULL;
    py_RETURN_NONE;
}

static py_obj *list_m_insert(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("insert", NARGS, k, 2, 2) < 0)
        return NULL;
    intptr_t i, size = L(SELF)->size;
    if (py_index(a[1], &i) < 0)
        return NULL;
    if (i < 0 && (i += size) < 0)
        i = 0;
    if (i > size)
        i = size;
    if (list_resize(SELF, size + 1) < 0)
        return NULL;
    py_obj **items = L(SELF)->items;
    memmove(items + i + 1, items + i, (size_t)(size - i) * sizeof(py_obj *));
    items[i] = py_newref(a[2]);
    py_RETURN_NONE;
}

static py_obj *list_m_pop(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("pop", NARGS, k, 0, 1) < 0)
        return NULL;
    intptr_t i = -1, size = L(SELF)->size;
    if (NARGS == 1 && py_index(a[1], &i) < 0)
        return NULL;
    if (size == 0) {
        py_err_format(py_exc_IndexError, "pop from empty list");
        return NULL;
    }
    intptr_t j = py_seq_index(i, size);
    if (j < 0) {
        py_err_format(py_exc_IndexError, "pop index out of range");
        return NULL;
    }
    py_obj **items = L(SELF)->items, *v = items[j];
    memmove(items + j, items + j + 1, (size_t)(size - j - 1) * sizeof(py_obj *));
    list_resize(SELF, size - 1);
    return v;
}

/* Index of the first item equal to v in [start, stop), -1 absent, -2 error. */
static intptr_t list_find(py_obj *o, py_obj *v, intptr_t start, intptr_t stop)
{
    for (intptr_t i = start; i < stop && i < L(o)->size; i++) {
        py_obj *x = py_newref(L(o)->items[i]);
        int r = py_richcompare_bool(x, v, PY_EQ);
        tl_decref(x);
        if (r < 0)
            return -2;
        if (r)
            return i;
    }
    return -1;
}

static py_obj *list_m_remove(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("list.remove", NARGS, k, 1, 1) < 0)
        return NULL;
    intptr_t i = list_find(SELF, a[1], 0, INTPTR_MAX);
    if (i == -2)
        return NULL;
    if (i < 0) {
        py_err_format(py_exc_ValueError, "list.remove(x): x not in list");
        return NULL;
    }
    if (list_ass_slice_items(SELF, i, i + 1, NULL, 0) < 0)
        return NULL;
    py_RETURN_NONE;
}

static py_obj *list_m_index(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("index", NARGS, k, 1, 3) < 0)
        return NULL;
    intptr_t start, stop;
    if (py_index_bounds(a + 2, n - 2, L(SELF)->size, &start, &stop) < 0)
        return NULL;
    intptr_t i = list_find(SELF, a[1], start, stop);
    if (i == -2)
        return NULL;
    if (i < 0) {
        py_err_format(py_exc_ValueError, "%R is not in list", a[1]);
        return NULL;
    }
    return py_int_from_long(i);
}

static py_obj *list_m_count(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("list.count", NARGS, k, 1, 1) < 0)
        return NULL;
    intptr_t count = 0;
    for (intptr_t i = 0; i < L(SELF)->size; i++) {
        py_obj *x = py_newref(L(SELF)->items[i]);
        int r = py_richcompare_bool(x, a[1], PY_EQ);
        tl_decref(x);
        if (r < 0)
            return NULL;
        count += r;
    }
    return py_int_from_long(count);
}

static py_obj *list_m_clear(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("list.clear", NARGS, k, 0, 0) < 0)
        return NULL;
    list_clear_items(SELF);
    py_RETURN_NONE;
}

static py_obj *list_m_copy(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("list.copy", NARGS, k, 0, 0) < 0)
        return NULL;
    return list_from_array(L(SELF)->items, L(SELF)->size);
}

static py_obj *list_m_reverse(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("list.reverse", NARGS, k, 0, 0) < 0)
        return NULL;
    reverse_items(L(SELF)->items, L(SELF)->size);
    py_RETURN_NONE;
}

static py_obj *list_m_sort(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (NARGS > 0) {
        py_err_format(py_exc_TypeError, "sort() takes no positional arguments");
        return NULL;
    }
    py_obj *opt[2] = {NULL, NULL};
    for (intptr_t i = 0; k && i < py_tuple_size(k); i++) {
        py_obj *name = py_tuple_items(k)[i];
        int which = py_str_equal_cstr(name, "key") ? 0 : py_str_equal_cstr(name, "reverse") ? 1 : -1;
        if (which < 0) {
            py_err_format(py_exc_TypeError, "'%U' is an invalid keyword argument for sort()", name);
            return NULL;
        }
        opt[which] = a[1 + i];
    }
    int rev = 0;
    if (opt[1] && (rev = py_truthy(opt[1])) < 0)
        return NULL;
    if (py_list_sort(SELF, opt[0], rev) < 0)
        return NULL;
    py_RETURN_NONE;
}

static py_obj *list_m_reversed(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return list_iter_make(SELF, &py_list_reviter_type, L(SELF)->size - 1);
}

static py_obj *list_m_sizeof(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_int_from_size(list_sizeof(SELF));
}

static const py_method_def list_methods[] = {
    {"append", list_m_append, "Append object to the end of the list."},
    {"extend", list_m_extend, "Extend list by appending elements from the iterable."},
    {"insert", list_m_insert, "Insert object before index."},
    {"pop", list_m_pop, "Remove and return item at index (default last)."},
    {"remove", list_m_remove, "Remove first occurrence of value."},
    {"index", list_m_index, "Return first index of value."},
    {"count", list_m_count, "Return number of occurrences of value."},
    {"clear", list_m_clear, "Remove all items from list."},
    {"copy", list_m_copy, "Return a shallow copy of the list."},
    {"reverse", list_m_reverse, "Reverse *IN PLACE*."},
    {"sort", list_m_sort, "Sort the list in ascending order and return None."},
    {"__reversed__", list_m_reversed, NULL},
    {"__sizeof__", list_m_sizeof, NULL},
    {NULL, NULL, NULL},
};

static py_obj *list_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return list_alloc(t);
}

static int list_init(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "list() takes no keyword arguments");
        return -1;
    }
    if (nargs > 1) {
        py_err_format(py_exc_TypeError, "list expected at most 1 argument, got %zd", (intptr_t)nargs);
        return -1;
    }
    if (L(self)->size)
        list_clear_items(self);
    if (nargs == 0)
        return 0;
    py_obj *src = args[0];
    py_type *st = py_type_of(src);
    if (st->len && !L(self)->items) {
        intptr_t len = st->len(src);
        if (len < 0)
            py_err_clear();
        else if (len > 0 && list_preallocate_exact(self, len) < 0)
            return -1;
    }
    return list_extend(self, src);
}

py_type py_list_type = {
    PY_TYPE_HEAD("list", sizeof(py_list), 0, TL_TYPE_GC, .dealloc = list_dealloc,
                 .traverse = list_traverse, .clear = list_tl_clear, .edges = list_edges,
                 .sizeof_fn = list_sizeof),
    .pyflags = PY_TPFLAGS_BASETYPE | PY_TPFLAGS_LIST_SUBCLASS,
    .repr = list_repr,
    .richcompare = list_richcompare,
    .iter = list_iter_new,
    .nb = {[PY_NB_ADD] = list_concat, [PY_NB_MULTIPLY] = list_repeat},
    .nb_inplace = {[PY_NB_ADD] = list_inplace_concat, [PY_NB_MULTIPLY] = list_inplace_repeat},
    .len = list_len,
    .getitem = list_getitem,
    .setitem = list_setitem,
    .contains = list_contains,
    .item = list_item,
    .tp_new = list_new,
    .tp_init = list_init,
    .methods = list_methods,
    .doc = "Built-in mutable sequence.",
};

int py_list_init(void)
{
    if (py_type_ready(&py_list_type) < 0 || py_type_ready(&py_list_iter_type) < 0 ||
        py_type_ready(&py_list_reviter_type) < 0)
        return -1;
    return 0;
}
