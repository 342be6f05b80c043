/* set.c — set and frozenset: an open-addressing hash table of keys, and its
 * iterator.
 *
 * The table follows CPython 3.11's setobject.c algorithm (a run of linear
 * probes, then the perturbation recurrence; resize when fill reaches 3/5 of
 * the mask), so that iteration order, which programs print, is the same.
 * Invariants:
 *   - table has mask + 1 slots (a power of two, >= 8); a slot is unused
 *     (key NULL), dummy (key DUMMY: a removed key), or active;
 *   - used = active slots <= fill = active + dummy slots < table size;
 *   - a frozenset is never mutated once returned to Python code.
 * Sets are GC types, created tracked (CPython never untracks them).
 * __sizeof__ reports CPython's figure: 200 bytes with an 8-slot table kept
 * inside the object, plus 16 bytes a slot once the table is larger.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

#define MINSIZE 8
#define LINEAR_PROBES 9

typedef struct set_entry {
    py_obj *key;
    intptr_t hash;
} set_entry;

typedef struct py_setobj {
    tl_object ob;
    intptr_t fill, used;
    size_t mask;
    set_entry *table;
    intptr_t hash;        /* frozenset only: -1 until computed */
    size_t finger;        /* where pop() looks next */
    uint64_t version;     /* changes on size changes (iteration checks) */
    py_obj *weaklist;     /* weak references to the set */
} py_setobj;

static py_obj dummy_obj = TL_STATIC_HEAD(&py_object_type.tl);
#define DUMMY (&dummy_obj)

static inline py_setobj *ST(const py_obj *o) { return (py_setobj *)o; }
static inline bool any_set(const py_obj *o)
{
    return py_isinstance_of(o, &py_set_type) || py_isinstance_of(o, &py_frozenset_type);
}
static inline bool is_active(const set_entry *e) { return e->key && e->key != DUMMY; }

intptr_t py_set_size(const py_obj *s) { return ST(s)->used; }

/* ---- table ---------------------------------------------------------------------- */

static int table_init(py_obj *s, size_t size)
{
    set_entry *t = tl_heap_calloc(vm.heap, size * sizeof(set_entry));
    if (!t)
        return py_err_no_memory(), -1;
    ST(s)->table = t;
    ST(s)->mask = size - 1;
    ST(s)->fill = ST(s)->used = 0;
    return 0;
}

/* Inserts into a table known to hold no dummy and no equal key. */
static void insert_clean(set_entry *table, size_t mask, py_obj *key, intptr_t hash)
{
    size_t perturb = (size_t)hash, i = (size_t)hash & mask;
    set_entry *e;
    for (;;) {
        e = &table[i];
        if (!e->key)
            goto found;
        if (i + LINEAR_PROBES <= mask) {
            for (size_t j = 0; j < LINEAR_PROBES; j++) {
                e++;
                if (!e->key)
                    goto found;
            }
        }
        perturb >>= 5;
        i = (i * 5 + 1 + perturb) & mask;
    }
found:
    e->key = key;
    e->hash = hash;
}

static int table_resize(py_obj *s, intptr_t minused)
{
    size_t newsize = MINSIZE;
    while (newsize <= (size_t)minused)
        newsize <<= 1;
    set_entry *old = ST(s)->table;
    size_t oldmask = ST(s)->mask;
    set_entry *t = tl_heap_calloc(vm.heap, newsize * sizeof(set_entry));
    if (!t)
        return py_err_no_memory(), -1;
    for (size_t i = 0; i <= oldmask; i++)
        if (is_active(&old[i]))
            insert_clean(t, newsize - 1, old[i].key, old[i].hash);
    ST(s)->table = t;
    ST(s)->mask = newsize - 1;
    ST(s)->fill = ST(s)->used;
    tl_heap_free(old);
    return 0;
}

/* Finds key: the entry, or NULL when absent (*err set on error). */
static set_entry *lookkey(py_obj *s, py_obj *key, intptr_t hash, int *err)
{
    *err = 0;
restart:;
    set_entry *table = ST(s)->table;
    size_t mask = ST(s)->mask, perturb = (size_t)hash, i = (size_t)hash & mask;
    for (;;) {
        set_entry *e = &table[i];
        size_t probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (!e->key)
                return NULL;
            if (e->hash == hash && e->key != DUMMY) {
                py_obj *k = e->key;
                if (k == key)
                    return e;
                if (py_isinstance_exact(k, &py_str_type) && py_isinstance_exact(key, &py_str_type)) {
                    if (py_str_equal(k, key))
                        return e;
                } else {
                    tl_incref(k);
                    int r = py_richcompare_bool(k, key, PY_EQ);
                    tl_decref(k);
                    if (r < 0) {
                        *err = -1;
                        return NULL;
                    }
                    if (table != ST(s)->table || e->key != k)
                        goto restart;
                    if (r)
                        return e;
                }
            }
            e++;
        } while (probes--);
        perturb >>= 5;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static intptr_t key_hash(py_obj *key)
{
    return py_isinstance_exact(key, &py_str_type) ? py_str_hash(key) : py_hash(key);
}

/* Adds key (borrowed) with its hash: CPython's set_add_entry. */
static int add_entry(py_obj *s, py_obj *key, intptr_t hash)
{
    int err;
    if (lookkey(s, key, hash, &err))
        return 0;
    if (err)
        return -1;
    /* Not present: the first dummy or unused slot on the probe sequence. */
    set_entry *table = ST(s)->table, *freeslot = NULL;
    size_t mask = ST(s)->mask, perturb = (size_t)hash, i = (size_t)hash & mask;
    set_entry *e = NULL;
    for (;;) {
        e = &table[i];
        size_t probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (!e->key)
                goto found;
            if (e->key == DUMMY && !freeslot)
                freeslot = e;
            e++;
        } while (probes--);
        perturb >>= 5;
        i = (i * 5 + 1 + perturb) & mask;
    }
found:
    ST(s)->version++;
    if (freeslot) {
        freeslot->key = py_newref(key);
        freeslot->hash = hash;
        ST(s)->used++;
        return 0;
    }
    e->key = py_newref(key);
    e->hash = hash;
    ST(s)->fill++;
    ST(s)->used++;
    if ((size_t)ST(s)->fill * 5 < mask * 3)
        return 0;
    return table_resize(s, ST(s)->used > 50000 ? ST(s)->used * 2 : ST(s)->used * 4);
}

static int add_key(py_obj *s, py_obj *key)
{
    intptr_t h = key_hash(key);
    return h == -1 ? -1 : add_entry(s, key, h);
}

/* 1 removed, 0 absent, -1 error. */
static int discard_key(py_obj *s, py_obj *key)
{
    intptr_t h = key_hash(key);
    if (h == -1)
        return -1;
    int err;
    set_entry *e = lookkey(s, key, h, &err);
    if (!e)
        return err;
    py_obj *old = e->key;
    e->key = DUMMY;
    e->hash = -1;
    ST(s)->used--;
    ST(s)->version++;
    tl_decref(old);
    return 1;
}

int py_set_add(py_obj *s, py_obj *key) { return add_key(s, key); }

int py_set_contains(py_obj *s, py_obj *key)
{
    intptr_t h = key_hash(key);
    if (h == -1)
        return -1;
    int err;
    return lookkey(s, key, h, &err) ? 1 : err;
}

bool py_set_next(py_obj *s, intptr_t *pos, py_obj **key)
{
    size_t i = (size_t)*pos;
    while (i <= ST(s)->mask && !is_active(&ST(s)->table[i]))
        i++;
    if (i > ST(s)->mask)
        return false;
    *key = ST(s)->table[i].key;
    *pos = (intptr_t)i + 1;
    return true;
}

/* Empties the set (the table is replaced first, then the keys released). */
static void set_clear_all(py_obj *s)
{
    set_entry *old = ST(s)->table;
    size_t mask = ST(s)->mask;
    set_entry *fresh = tl_heap_calloc(vm.heap, MINSIZE * sizeof(set_entry));
    if (!fresh) {
        /* Keep the table; drop the keys in place. */
        for (size_t i = 0; i <= mask; i++) {
            py_obj *k = old[i].key;
            old[i].key = NULL;
            old[i].hash = 0;
            if (k && k != DUMMY)
                tl_decref(k);
        }
        ST(s)->fill = ST(s)->used = 0;
        return;
    }
    ST(s)->table = fresh;
    ST(s)->mask = MINSIZE - 1;
    ST(s)->fill = ST(s)->used = 0;
    ST(s)->version++;
    for (size_t i = 0; old && i <= mask; i++)
        if (is_active(&old[i]))
            tl_decref(old[i].key);
    tl_heap_free(old);
}

/* ---- construction and bulk updates ------------------------------------------------------ */

static py_obj *set_alloc(py_type *t)
{
    py_obj *s = tl_object_new(vm.heap, &t->tl);
    if (!s)
        return py_err_no_memory(), NULL;
    ST(s)->hash = -1;
    if (table_init(s, MINSIZE) < 0) {
        tl_decref(s);
        return NULL;
    }
    return s;
}

/* CPython's set_merge: a set's entries into s. */
static int merge_set(py_obj *s, py_obj *other)
{
    if (other == s || !ST(other)->used)
        return 0;
    if ((size_t)(ST(s)->fill + ST(other)->used) * 5 >= ST(s)->mask * 3 &&
        table_resize(s, (ST(s)->used + ST(other)->used) * 2) < 0)
        return -1;
    set_entry *ot = ST(other)->table;
    size_t omask = ST(other)->mask;
    if (ST(s)->fill == 0 && ST(s)->mask == omask && ST(other)->fill == ST(other)->used) {
        for (size_t i = 0; i <= omask; i++)
            if (ot[i].key) {
                ST(s)->table[i].key = py_newref(ot[i].key);
                ST(s)->table[i].hash = ot[i].hash;
            }
        ST(s)->fill = ST(s)->used = ST(other)->used;
        ST(s)->version++;
        return 0;
    }
    if (ST(s)->fill == 0) {
        for (size_t i = 0; i <= omask; i++)
            if (is_active(&ot[i])) {
                insert_clean(ST(s)->table, ST(s)->mask, py_newref(ot[i].key), ot[i].hash);
                ST(s)->fill++;
                ST(s)->used++;
            }
        ST(s)->version++;
        return 0;
    }
    for (size_t i = 0; i <= ST(other)->mask; i++) {
        set_entry *e = &ST(other)->table[i];
        if (is_active(e) && add_entry(s, e->key, e->hash) < 0)
            return -1;
    }
    return 0;
}

static int update_from(py_obj *s, py_obj *iterable)
{
    if (any_set(iterable))
        return merge_set(s, iterable);
    if (py_dict_check(iterable)) {
        intptr_t pos = 0;
        py_obj *k, *v;
        while (py_dict_next(iterable, &pos, &k, &v))
            if (add_key(s, k) < 0)
                return -1;
        return 0;
    }
    py_obj *it = py_iter(iterable), *x;
    if (!it)
        return -1;
    int r = 0;
    while (r == 0 && (x = py_next(it))) {
        r = add_key(s, x);
        tl_decref(x);
    }
    tl_decref(it);
    return r < 0 || py_err_occurred() ? -1 : 0;
}

static py_obj *make_set(py_type *t, py_obj *iterable)
{
    py_obj *s = set_alloc(t);
    if (s && iterable && update_from(s, iterable) < 0)
        TL_CLEAR(s);
    return s;
}

py_obj *py_set_new(py_obj *iterable) { return make_set(&py_set_type, iterable); }
py_obj *py_frozenset_new(py_obj *iterable) { return make_set(&py_frozenset_type, iterable); }

/* A new set or frozenset like s (its exact built-in type). */
static py_obj *copy_like(py_obj *s)
{
    py_type *t = py_isinstance_of(s, &py_frozenset_type) ? &py_frozenset_type : &py_set_type;
    return make_set(t, s);
}

/* ---- algebra ------------------------------------------------------------------------------ */

static py_obj *set_intersection2(py_obj *s, py_obj *other)
{
    py_obj *r = set_alloc(py_isinstance_of(s, &py_frozenset_type) ? &py_frozenset_type : &py_set_type);
    if (!r)
        return NULL;
    if (any_set(other)) {
        py_obj *small = s, *big = other;
        if (ST(other)->used < ST(s)->used) {
            small = other;
            big = s;
        }
        intptr_t pos = 0;
        py_obj *k;
        while (py_set_next(small, &pos, &k)) {
            int c = py_set_contains(big, k);
            if (c < 0 || (c && add_key(r, k) < 0))
                goto fail;
        }
        return r;
    }
    py_obj *it = py_iter(other), *x;
    if (!it)
        goto fail;
    int rc = 0;
    while (rc == 0 && (x = py_next(it))) {
        int c = py_set_contains(s, x);
        rc = c < 0 ? -1 : c ? add_key(r, x) : 0;
        tl_decref(x);
    }
    tl_decref(it);
    if (rc < 0 || py_err_occurred())
        goto fail;
    return r;
fail:
    tl_decref(r);
    return NULL;
}

static py_obj *set_difference2(py_obj *s, py_obj *other)
{
    py_obj *r = set_alloc(py_isinstance_of(s, &py_frozenset_type) ? &py_frozenset_type : &py_set_type);
    if (!r)
        return NULL;
    py_obj *o = any_set(other) || py_dict_check(other) ? py_newref(other) : py_set_new(other);
    if (!o) {
        tl_decref(r);
        return NULL;
    }
    intptr_t pos = 0;
    py_obj *k;
    while (py_set_next(s, &pos, &k)) {
        int c = py_contains(o, k);
        if (c < 0 || (!c && add_key(r, k) < 0)) {
            tl_decref(o);
            tl_decref(r);
            return NULL;
        }
    }
    tl_decref(o);
    return r;
}

static int symmetric_update(py_obj *s, py_obj *other)
{
    py_obj *o = any_set(other) ? py_newref(other) : py_set_new(other);
    if (!o)
        return -1;
    if (o == s) {
        tl_decref(o);
        set_clear_all(s);
        return 0;
    }
    intptr_t pos = 0;
    py_obj *k;
    int r = 0;
    while (r == 0 && py_set_next(o, &pos, &k)) {
        tl_incref(k);
        int d = discard_key(s, k);
        r = d < 0 ? -1 : d == 0 ? add_key(s, k) : 0;
        tl_decref(k);
    }
    tl_decref(o);
    return r;
}

static int difference_update(py_obj *s, py_obj *other)
{
    if (other == s) {
        set_clear_all(s);
        return 0;
    }
    py_obj *it = py_iter(other), *x;
    if (!it)
        return -1;
    int r = 0;
    while (r == 0 && (x = py_next(it))) {
        r = discard_key(s, x) < 0 ? -1 : 0;
        tl_decref(x);
    }
    tl_decref(it);
    return r < 0 || py_err_occurred() ? -1 : 0;
}

/* Replaces s's contents with those of t (t is consumed). */
static void swap_contents(py_obj *s, py_obj *t)
{
    py_setobj tmp = *ST(s);
    ST(s)->fill = ST(t)->fill;
    ST(s)->used = ST(t)->used;
    ST(s)->mask = ST(t)->mask;
    ST(s)->table = ST(t)->table;
    ST(s)->version++;
    ST(t)->fill = tmp.fill;
    ST(t)->used = tmp.used;
    ST(t)->mask = tmp.mask;
    ST(t)->table = tmp.table;
    tl_decref(t);
}

static int issubset(py_obj *a, py_obj *b)
{
    if (ST(a)->used > ST(b)->used)
        return 0;
    intptr_t pos = 0;
    py_obj *k;
    while (py_set_next(a, &pos, &k)) {
        int c = py_set_contains(b, k);
        if (c <= 0)
            return c;
    }
    return 1;
}

/* ---- libtally slots -------------------------------------------------------------------------- */

static void set_dealloc(tl_object *o)
{
    tl_gc_untrack(o);
    if (ST(o)->weaklist)
        py_weakref_clear_all(o);
    set_entry *t = ST(o)->table;
    for (size_t i = 0; t && i <= ST(o)->mask; i++)
        if (is_active(&t[i]))
            tl_decref(t[i].key);
    tl_heap_free(t);
    tl_object_free(o);
}

static int set_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    set_entry *t = ST(o)->table;
    for (size_t i = 0; t && i <= ST(o)->mask; i++) {
        int r;
        if (is_active(&t[i]) && (r = visit(t[i].key, arg)))
            return r;
    }
    return 0;
}

static void set_tl_clear(tl_object *o) { set_clear_all(o); }

static size_t set_sizeof(tl_object *o)
{
    return 200 + (ST(o)->mask + 1 > MINSIZE ? (ST(o)->mask + 1) * sizeof(set_entry) : 0);
}

/* ---- protocol ---------------------------------------------------------------------------------- */

static py_obj *set_repr(py_obj *s)
{
    const char *tn = py_type_name(py_type_of(s));
    bool plain = py_type_of(s) == &py_set_type;
    if (!ST(s)->used)
        return py_str_from_format("%s()", tn);
    int rec = py_repr_enter(s);
    if (rec)
        return rec > 0 ? py_str_from_format("%s(...)", tn) : NULL;
    py_strbuf b;
    py_strbuf_init(&b);
    if (!plain) {
        py_strbuf_puts(&b, tn);
        py_strbuf_addc(&b, '(');
    }
    py_strbuf_addc(&b, '{');
    py_obj *keys = py_sequence_to_list(s);
    for (intptr_t i = 0; keys && i < py_list_size(keys); i++) {
        py_obj *r = py_repr(py_list_items(keys)[i]);
        if (!r) {
            TL_CLEAR(keys);
            break;
        }
        if (i)
            py_strbuf_add(&b, ", ", 2);
        py_strbuf_add_str(&b, r);
        tl_decref(r);
    }
    py_repr_leave(s);
    if (!keys) {
        py_strbuf_free(&b);
        return NULL;
    }
    tl_decref(keys);
    py_strbuf_puts(&b, plain ? "}" : "})");
    return py_strbuf_finish(&b);
}

static py_obj *set_richcompare(py_obj *a, py_obj *b, int op)
{
    if (!any_set(a) || !any_set(b))
        return py_newref(py_NotImplemented);
    intptr_t na = ST(a)->used, nb = ST(b)->used;
    int r;
    switch (op) {
    case PY_EQ: case PY_NE:
        r = na == nb ? issubset(a, b) : 0;
        return r < 0 ? NULL : py_bool((r == 1) == (op == PY_EQ));
    case PY_LE: r = issubset(a, b); break;
    case PY_GE: r = issubset(b, a); break;
    case PY_LT: r = na < nb ? issubset(a, b) : 0; break;
    default: r = na > nb ? issubset(b, a) : 0; break;
    }
    return r < 0 ? NULL : py_bool(r);
}

/* CPython's frozenset hash: XOR of shuffled entry hashes, then mixed. */
static intptr_t frozenset_hash(py_obj *s)
{
    if (ST(s)->hash != -1)
        return ST(s)->hash;
    uint64_t h = 0;
    for (size_t i = 0; i <= ST(s)->mask; i++) {
        set_entry *e = &ST(s)->table[i];
        if (is_active(e)) {
            uint64_t x = (uint64_t)e->hash;
            h ^= ((x ^ UINT64_C(89869747)) ^ (x << 16)) * UINT64_C(3644798167);
        }
    }
    h ^= ((uint64_t)ST(s)->used + 1) * UINT64_C(1927868237);
    h ^= (h >> 11) ^ (h >> 25);
    h = h * 69069U + UINT64_C(907133923);
    if (h == UINT64_MAX)
        h = 590923713;
    ST(s)->hash = (intptr_t)h;
    return ST(s)->hash;
}

static intptr_t set_len(py_obj *s) { return ST(s)->used; }

static int set_contains_slot(py_obj *s, py_obj *key)
{
    int r = py_set_contains(s, key);
    if (r < 0 && py_isinstance_of(key, &py_set_type) && py_err_matches(py_exc_TypeError)) {
        /* A set key is looked up as the equal frozenset, as CPython does. */
        py_err_clear();
        py_obj *f = py_frozenset_new(key);
        if (!f)
            return -1;
        r = py_set_contains(s, f);
        tl_decref(f);
    }
    return r;
}

static py_obj *set_or(py_obj *a, py_obj *b)
{
    if (!any_set(a) || !any_set(b))
        return py_newref(py_NotImplemented);
    py_obj *r = copy_like(a);
    if (r && merge_set(r, b) < 0)
        TL_CLEAR(r);
    return r;
}

static py_obj *set_and(py_obj *a, py_obj *b)
{
    if (!any_set(a) || !any_set(b))
        return py_newref(py_NotImplemented);
    return set_intersection2(a, b);
}

static py_obj *set_sub(py_obj *a, py_obj *b)
{
    if (!any_set(a) || !any_set(b))
        return py_newref(py_NotImplemented);
    return set_difference2(a, b);
}

static py_obj *set_xor(py_obj *a, py_obj *b)
{
    if (!any_set(a) || !any_set(b))
        return py_newref(py_NotImplemented);
    py_obj *r = copy_like(a);
    if (r && symmetric_update(r, b) < 0)
        TL_CLEAR(r);
    return r;
}

static py_obj *set_ior(py_obj *a, py_obj *b)
{
    if (!any_set(b))
        return py_newref(py_NotImplemented);
    return merge_set(a, b) < 0 ? NULL : py_newref(a);
}

static py_obj *set_iand(py_obj *a, py_obj *b)
{
    if (!any_set(b))
        return py_newref(py_NotImplemented);
    py_obj *t = set_intersection2(a, b);
    if (!t)
        return NULL;
    swap_contents(a, t);
    return py_newref(a);
}

static py_obj *set_isub(py_obj *a, py_obj *b)
{
    if (!any_set(b))
        return py_newref(py_NotImplemented);
    return difference_update(a, b) < 0 ? NULL : py_newref(a);
}

static py_obj *set_ixor(py_obj *a, py_obj *b)
{
    if (!any_set(b))
        return py_newref(py_NotImplemented);
    return symmetric_update(a, b) < 0 ? NULL : py_newref(a);
}

/* ---- iterator ------------------------------------------------------------------------------------ */

typedef struct set_iter {
    tl_object ob;
    py_obj *set;          /* NULL once exhausted */
    intptr_t pos, used, left;
} set_iter;

static py_obj *set_iter_new(py_obj *s)
{
    set_iter *it = (set_iter *)tl_object_new(vm.heap, &py_set_iter_type.tl);
    if (!it)
        return py_err_no_memory(), NULL;
    it->set = py_newref(s);
    it->used = it->left = ST(s)->used;
    return &it->ob;
}

static py_obj *set_iter_next(py_obj *o)
{
    set_iter *it = (set_iter *)o;
    if (!it->set)
        return NULL;
    if (ST(it->set)->used != it->used) {
        py_err_format(py_exc_RuntimeError, "Set changed size during iteration");
        it->used = -1;
        return NULL;
    }
    py_obj *k;
    if (!py_set_next(it->set, &it->pos, &k)) {
        TL_CLEAR(it->set);
        return NULL;
    }
    it->left--;
    return py_newref(k);
}

static void set_iter_dealloc(tl_object *o)
{
    tl_gc_untrack(o);
    TL_CLEAR(((set_iter *)o)->set);
    tl_object_free(o);
}

static int set_iter_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_obj *s = ((set_iter *)o)->set;
    return s ? visit(s, arg) : 0;
}

static void set_iter_clear(tl_object *o) { TL_CLEAR(((set_iter *)o)->set); }

static py_obj *set_iter_m_length_hint(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    set_iter *it = (set_iter *)a[0];
    return py_int_from_long(it->set && ST(it->set)->used == it->used ? it->left : 0);
}

static const py_method_def set_iter_methods[] = {
    {"__length_hint__", set_iter_m_length_hint, NULL},
    {NULL, NULL, NULL},
};

py_type py_set_iter_type = {
    PY_TYPE_HEAD("set_iterator", sizeof(set_iter), 0, TL_TYPE_GC, .dealloc = set_iter_dealloc,
                 .traverse = set_iter_traverse, .clear = set_iter_clear),
    .iter = py_self_iter,
    .iternext = set_iter_next,
    .methods = set_iter_methods,
};

/* ---- methods -------------------------------------------------------------------------------------- */

#define SELF a[0]
#define NARGS (n - 1)

static void key_error(py_obj *key)
{
    py_obj *exc = py_call1(&py_exc_KeyError->tl.ob, key);
    if (exc)
        py_err_set_exc(exc);
}

static py_obj *set_m_add(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("set.add", NARGS, k, 1, 1) < 0 || add_key(SELF, a[1]) < 0)
        return NULL;
    py_RETURN_NONE;
}

static int discard_maybe_set(py_obj *s, py_obj *key)
{
    int r = discard_key(s, key);
    if (r < 0 && py_isinstance_of(key, &py_set_type) && py_err_matches(py_exc_TypeError)) {
        py_err_clear();
        py_obj *f = py_frozenset_new(key);
        if (!f)
            return -1;
        r = discard_key(s, f);
        tl_decref(f);
    }
    return r;
}

static py_obj *set_m_discard(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("set.discard", NARGS, k, 1, 1) < 0 || discard_maybe_set(SELF, a[1]) < 0)
        return NULL;
    py_RETURN_NONE;
}

static py_obj *set_m_remove(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("set.remove", NARGS, k, 1, 1) < 0)
        return NULL;
    int r = discard_maybe_set(SELF, a[1]);
    if (r < 0)
        return NULL;
    if (r == 0) {
        key_error(a[1]);
        return NULL;
    }
    py_RETURN_NONE;
}

static py_obj *set_m_pop(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("set.pop", NARGS, k, 0, 0) < 0)
        return NULL;
    py_obj *s = SELF;
    if (!ST(s)->used) {
        py_err_format(py_exc_KeyError, "pop from an empty set");
        return NULL;
    }
    size_t i = ST(s)->finger & ST(s)->mask;
    while (!is_active(&ST(s)->table[i]))
        i = (i + 1) & ST(s)->mask;
    py_obj *key = ST(s)->table[i].key;
    ST(s)->table[i].key = DUMMY;
    ST(s)->table[i].hash = -1;
    ST(s)->used--;
    ST(s)->version++;
    ST(s)->finger = i + 1;
    return key;
}

static py_obj *set_m_clear(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("set.clear", NARGS, k, 0, 0) < 0)
        return NULL;
    set_clear_all(SELF);
    py_RETURN_NONE;
}

static py_obj *set_m_copy(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("copy", NARGS, k, 0, 0) < 0)
        return NULL;
    if (py_type_of(SELF) == &py_frozenset_type)
        return py_newref(SELF);
    return copy_like(SELF);
}

static py_obj *set_m_update(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("set.update", 0, k, 0, 0) < 0)
        return NULL;
    for (size_t i = 1; i < n; i++)
        if (update_from(SELF, a[i]) < 0)
            return NULL;
    py_RETURN_NONE;
}

static py_obj *set_m_union(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("union", 0, k, 0, 0) < 0)
        return NULL;
    py_obj *r = copy_like(SELF);
    for (size_t i = 1; r && i < n; i++)
        if (update_from(r, a[i]) < 0)
            TL_CLEAR(r);
    return r;
}

static py_obj *set_m_intersection(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("intersection", 0, k, 0, 0) < 0)
        return NULL;
    if (n == 1)
        return copy_like(SELF);
    py_obj *r = py_newref(SELF);
    for (size_t i = 1; r && i < n; i++) {
        py_obj *t = set_intersection2(r, a[i]);
        tl_decref(r);
        r = t;
    }
    return r;
}

static py_obj *set_m_intersection_update(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *t = set_m_intersection(c, a, n, k);
    if (!t)
        return NULL;
    swap_contents(SELF, t);
    py_RETURN_NONE;
}

static py_obj *set_m_difference(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("difference", 0, k, 0, 0) < 0)
        return NULL;
    if (n == 1)
        return copy_like(SELF);
    py_obj *r = set_difference2(SELF, a[1]);
    for (size_t i = 2; r && i < n; i++)
        if (difference_update(r, a[i]) < 0)
            TL_CLEAR(r);
    return r;
}

static py_obj *set_m_difference_update(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("difference_update", 0, k, 0, 0) < 0)
        return NULL;
    for (size_t i = 1; i < n; i++)
        if (difference_update(SELF, a[i]) < 0)
            return NULL;
    py_RETURN_NONE;
}

static py_obj *set_m_symmetric_difference(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("symmetric_difference", NARGS, k, 1, 1) < 0)
        return NULL;
    py_obj *r = copy_like(SELF);
    if (r && symmetric_update(r, a[1]) < 0)
        TL_CLEAR(r);
    return r;
}

static py_obj *set_m_symmetric_difference_update(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("symmetric_difference_update", NARGS, k, 1, 1) < 0)
        return NULL;
    if (symmetric_update(SELF, a[1]) < 0)
        return NULL;
    py_RETURN_NONE;
}

/* The other operand as a set (borrowed when it already is one). */
static py_obj *as_set(py_obj *o, bool *owned)
{
    *owned = !any_set(o);
    return *owned ? py_set_new(o) : o;
}

static py_obj *subset_test(py_obj *const *a, size_t n, py_obj *k, const char *fname, bool super)
{
    if (py_check_args(fname, NARGS, k, 1, 1) < 0)
        return NULL;
    bool owned;
    py_obj *o = as_set(a[1], &owned);
    if (!o)
        return NULL;
    int r = super ? issubset(o, SELF) : issubset(SELF, o);
    if (owned)
        tl_decref(o);
    return r < 0 ? NULL : py_bool(r);
}

static py_obj *set_m_issubset(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return subset_test(a, n, k, "issubset", false); }
static py_obj *set_m_issuperset(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return subset_test(a, n, k, "issuperset", true); }

static py_obj *set_m_isdisjoint(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("isdisjoint", NARGS, k, 1, 1) < 0)
        return NULL;
    py_obj *it = py_iter(a[1]), *x;
    if (!it)
        return NULL;
    int found = 0;
    while (!found && (x = py_next(it))) {
        found = py_set_contains(SELF, x);
        tl_decref(x);
    }
    tl_decref(it);
    if (found < 0 || py_err_occurred())
        return NULL;
    return py_bool(!found);
}

static py_obj *set_m_contains(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("__contains__", NARGS, k, 1, 1) < 0)
        return NULL;
    int r = set_contains_slot(SELF, a[1]);
    return r < 0 ? NULL : py_bool(r);
}

static py_obj *set_m_sizeof(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_int_from_size(set_sizeof(SELF));
}

#define COMMON_METHODS                                                                  \
    {"copy", set_m_copy, NULL}, {"union", set_m_union, NULL},                           \
    {"intersection", set_m_intersection, NULL}, {"difference", set_m_difference, NULL}, \
    {"symmetric_difference", set_m_symmetric_difference, NULL},                         \
    {"issubset", set_m_issubset, NULL}, {"issuperset", set_m_issuperset, NULL},         \
    {"isdisjoint", set_m_isdisjoint, NULL}, {"__contains__", set_m_contains, NULL},     \
    {"__sizeof__", set_m_sizeof, NULL}

static const py_method_def set_methods[] = {
    {"add", set_m_add, NULL}, {"discard", set_m_discard, NULL}, {"remove", set_m_remove, NULL},
    {"pop", set_m_pop, NULL}, {"clear", set_m_clear, NULL}, {"update", set_m_update, NULL},
    {"intersection_update", set_m_intersection_update, NULL},
    {"difference_update", set_m_difference_update, NULL},
    {"symmetric_difference_update", set_m_symmetric_difference_update, NULL},
    COMMON_METHODS,
    {NULL, NULL, NULL},
};

static const py_method_def frozenset_methods[] = {
    COMMON_METHODS,
    {NULL, NULL, NULL},
};

static py_obj *set_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return set_alloc(t);
}

static int set_tp_init(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "set() takes no keyword arguments");
        return -1;
    }
    if (nargs > 1) {
        py_err_format(py_exc_TypeError, "set expected at most 1 argument, got %zd", (intptr_t)nargs);
        return -1;
    }
    if (ST(self)->used)
        set_clear_all(self);
    return nargs ? update_from(self, args[0]) : 0;
}

static py_obj *frozenset_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "frozenset() takes no keyword arguments");
        return NULL;
    }
    if (nargs > 1) {
        py_err_format(py_exc_TypeError, "frozenset expected at most 1 argument, got %zd",
                      (intptr_t)nargs);
        return NULL;
    }
    if (nargs && t == &py_frozenset_type && py_type_of(args[0]) == &py_frozenset_type)
        return py_newref(args[0]);
    return make_set(t, nargs ? args[0] : NULL);
}

#define SET_TYPE_COMMON                                                                    \
    .repr = set_repr, .richcompare = set_richcompare, .iter = set_iter_new, .len = set_len, \
    .contains = set_contains_slot

py_type py_set_type = {
    PY_TYPE_HEAD("set", sizeof(py_setobj), 0, TL_TYPE_GC, .dealloc = set_dealloc,
                 .traverse = set_traverse, .clear = set_tl_clear, .sizeof_fn = set_sizeof,
                 .weaklist_offset = offsetof(py_setobj, weaklist)),
    .pyflags = PY_TPFLAGS_BASETYPE,
    SET_TYPE_COMMON,
    .nb = {[PY_NB_OR] = set_or, [PY_NB_AND] = set_and, [PY_NB_SUBTRACT] = set_sub,
           [PY_NB_XOR] = set_xor},
    .nb_inplace = {[PY_NB_OR] = set_ior, [PY_NB_AND] = set_iand, [PY_NB_SUBTRACT] = set_isub,
                   [PY_NB_XOR] = set_ixor},
    .tp_new = set_tp_new,
    .tp_init = set_tp_init,
    .methods = set_methods,
    .doc = "set() -> new empty set object",
};

py_type py_frozenset_type = {
    PY_TYPE_HEAD("frozenset", sizeof(py_setobj), 0, TL_TYPE_GC, .dealloc = set_dealloc,
                 .traverse = set_traverse, .clear = set_tl_clear, .sizeof_fn = set_sizeof,
                 .weaklist_offset = offsetof(py_setobj, weaklist)),
    .pyflags = PY_TPFLAGS_BASETYPE,
    SET_TYPE_COMMON,
    .hash = frozenset_hash,
    .nb = {[PY_NB_OR] = set_or, [PY_NB_AND] = set_and, [PY_NB_SUBTRACT] = set_sub,
           [PY_NB_XOR] = set_xor},
    .tp_new = frozenset_tp_new,
    .methods = frozenset_methods,
    .doc = "frozenset() -> empty frozenset object",
};

int py_set_init(void)
{
    if (py_type_ready(&py_set_type) < 0 || py_type_ready(&py_frozenset_type) < 0 ||
        py_type_ready(&py_set_iter_type) < 0)
        return -1;
    return 0;
}
