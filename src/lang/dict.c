/* dict.c — the dict type: a compact, insertion-ordered hash table (CPython
 * 3.6+'s design), its views and iterators.
 *
 * A dict with items owns one dict_keys block: an index table of 2^log2_size
 * slots (1, 2, 4 or 8 bytes wide by table size; EMPTY, DUMMY or an entry
 * number) followed by an entries array filled in insertion order. Lookup
 * probes the index with CPython's perturbation recurrence.
 * Invariants:
 *   - keys == NULL iff the dict has never held an item or was cleared;
 *   - used = live entries <= nentries <= usable capacity = 2/3 of the table;
 *     a deleted entry keeps its slot with key NULL until the next resize;
 *   - unicode: every key ever stored since the last resize is an exact str;
 *     it decides, as in CPython, what traverse visits (values only) and the
 *     entry size __sizeof__ reports (16 bytes, else 24);
 *   - tracking: a dict starts untracked and is tracked as soon as a key or
 *     value that may be tracked is stored (MAINTAIN_TRACKING); only a full
 *     collection untracks it again (py_dict_maybe_untrack);
 *   - teardown releases entries in insertion order, key then value.
 * `version` changes on every mutation (caches, and iteration checks).
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

#define DKIX_EMPTY (-1)
#define DKIX_DUMMY (-2)
#define LOG2_MINSIZE 3

typedef struct dict_entry {
    intptr_t hash;
    py_obj *key;          /* NULL: deleted */
    py_obj *value;
} dict_entry;

typedef struct dict_keys {
    uint8_t log2_size;
    uint8_t log2_index_bytes;
    bool unicode;
    intptr_t usable;      /* entries that may still be appended */
    intptr_t nentries;    /* entries used, deleted ones included */
    char indices[];       /* then the entries */
} dict_keys;

typedef struct py_dict {
    tl_object ob;
    intptr_t used;
    uint64_t version;
    dict_keys *keys;
    void *reserved;       /* keeps the object at CPython's 48 bytes */
} py_dict;

static inline py_dict *D(const py_obj *o) { return (py_dict *)o; }
static uint64_t dict_global_version;

/* ---- keys blocks ---------------------------------------------------------------- */

static inline size_t dk_size(const dict_keys *k) { return (size_t)1 << k->log2_size; }
static inline intptr_t usable_fraction(size_t size) { return (intptr_t)((size << 1) / 3); }
static inline dict_entry *dk_entries(dict_keys *k)
{
    return (dict_entry *)(k->indices + ((size_t)1 << k->log2_index_bytes));
}

static inline intptr_t ix_get(const dict_keys *k, size_t i)
{
    switch (k->log2_index_bytes - k->log2_size) {
    case 0: return ((const int8_t *)k->indices)[i];
    case 1: return ((const int16_t *)k->indices)[i];
    case 2: return ((const int32_t *)k->indices)[i];
    default: return (intptr_t)((const int64_t *)k->indices)[i];
    }
}

static inline void ix_set(dict_keys *k, size_t i, intptr_t v)
{
    switch (k->log2_index_bytes - k->log2_size) {
    case 0: ((int8_t *)k->indices)[i] = (int8_t)v; break;
    case 1: ((int16_t *)k->indices)[i] = (int16_t)v; break;
    case 2: ((int32_t *)k->indices)[i] = (int32_t)v; break;
    default: ((int64_t *)k->indices)[i] = v; break;
    }
}

static dict_keys *keys_new(uint8_t log2_size, bool unicode)
{
    uint8_t log2_bytes = log2_size < 8 ? log2_size : log2_size < 16 ? log2_size + 1
                       : log2_size < 32 ? log2_size + 2 : log2_size + 3;
    size_t size = (size_t)1 << log2_size;
    intptr_t usable = usable_fraction(size);
    dict_keys *k = tl_heap_alloc(vm.heap, sizeof(dict_keys) + ((size_t)1 << log2_bytes) +
                                              (size_t)usable * sizeof(dict_entry));
    if (!k)
        return py_err_no_memory(), NULL;
    k->log2_size = log2_size;
    k->log2_index_bytes = log2_bytes;
    k->unicode = unicode;
    k->usable = usable;
    k->nentries = 0;
    memset(k->indices, 0xff, (size_t)1 << log2_bytes);
    memset(dk_entries(k), 0, (size_t)usable * sizeof(dict_entry));
    return k;
}

/* The log2 of the smallest table of at least n slots (8 or more). */
static uint8_t log2_keysize(size_t n)
{
    n = (n | 8) - 1;
    uint8_t b = 0;
    while (n) {
        b++;
        n >>= 1;
    }
    return b;
}

/* CPython's __sizeof__ of a keys block: 32-byte header, index bytes, entries
 * of 16 bytes (str keys) or 24. */
static size_t keys_sizeof(const dict_keys *k)
{
    return 32 + ((size_t)1 << k->log2_index_bytes) +
           (size_t)usable_fraction(dk_size(k)) * (k->unicode ? 16 : 24);
}

/* ---- lookup ------------------------------------------------------------------------ */

/* Finds key: the entry number (>= 0), DKIX_EMPTY when absent (with *slot the
 * index slot where it would go), or -3 on error. */
static intptr_t lookup(py_obj *d, py_obj *key, intptr_t hash, size_t *slot)
{
restart:;
    dict_keys *k = D(d)->keys;
    if (!k)
        return DKIX_EMPTY;
    size_t mask = dk_size(k) - 1, i = (size_t)hash & mask, perturb = (size_t)hash;
    for (;;) {
        intptr_t ix = ix_get(k, i);
        if (ix == DKIX_EMPTY) {
            if (slot)
                *slot = i;
            return DKIX_EMPTY;
        }
        if (ix >= 0) {
            dict_entry *e = &dk_entries(k)[ix];
            if (e->key == key)
                return ix;
            if (e->hash == hash) {
                py_obj *ek = e->key;
                if (py_str_check(ek) && py_str_check(key) && py_isinstance_exact(ek, &py_str_type) &&
                    py_isinstance_exact(key, &py_str_type)) {
                    if (py_str_equal(ek, key))
                        return ix;
                } else {
                    tl_incref(ek);
                    int r = py_richcompare_bool(ek, key, PY_EQ);
                    tl_decref(ek);
                    if (r < 0)
                        return -3;
                    if (D(d)->keys != k || e->key != ek)
                        goto restart;
                    if (r)
                        return ix;
                }
            }
        }
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* First EMPTY or DUMMY slot for a new entry of this hash (no comparisons). */
static size_t find_free_slot(dict_keys *k, intptr_t hash)
{
    size_t mask = dk_size(k) - 1, i = (size_t)hash & mask, perturb = (size_t)hash;
    while (ix_get(k, i) >= 0) {
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
    return i;
}

static intptr_t hash_of(py_obj *key)
{
    /* A key that could not be made (py_str_interned() out of memory, its
     * MemoryError set) is an error for every caller, never a crash. */
    if (!key)
        return -1;
    if (py_isinstance_exact(key, &py_str_type))
        return py_str_hash(key);
    return py_hash(key);
}

/* ---- resize and insertion ------------------------------------------------------------- */

static int dict_resize(py_obj *d, uint8_t log2_size, bool unicode)
{
    dict_keys *old = D(d)->keys;
    dict_keys *k = keys_new(log2_size, unicode);
    if (!k)
        return -1;
    if (old) {
        dict_entry *src = dk_entries(old), *dst = dk_entries(k);
        intptr_t n = 0;
        for (intptr_t i = 0; i < old->nentries; i++) {
            if (!src[i].key)
                continue;
            dst[n] = src[i];
            ix_set(k, find_free_slot(k, src[i].hash), n);
            n++;
        }
        k->nentries = n;
        k->usable -= n;
        tl_heap_free(old);
    }
    D(d)->keys = k;
    return 0;
}

static int insertion_resize(py_obj *d, bool unicode)
{
    return dict_resize(d, log2_keysize((size_t)D(d)->used * 3), unicode);
}

static inline bool may_be_tracked(py_obj *o)
{
    if (!tl_type_is_gc(o->type))
        return false;
    return !py_isinstance_exact(o, &py_tuple_type) || tl_gc_is_tracked(o);
}

/* The value is tested first: it is usually an atom, known by its type
 * without calling into the collector. */
void py_dict_maybe_track(py_obj *d, py_obj *v)
{
    if (may_be_tracked(v) && !tl_gc_is_tracked(d))
        tl_gc_track(d);
}

/* Stores key -> value (both borrowed) with a known hash. */
static int insert(py_obj *d, py_obj *key, intptr_t hash, py_obj *value)
{
    bool str_key = py_isinstance_exact(key, &py_str_type);
    if (!D(d)->keys) {
        if (!(D(d)->keys = keys_new(LOG2_MINSIZE, str_key)))
            return -1;
    } else if (!str_key && D(d)->keys->unicode) {
        if (insertion_resize(d, false) < 0)
            return -1;
    }
    size_t slot = 0;
    intptr_t ix = lookup(d, key, hash, &slot);
    if (ix == -3)
        return -1;
    py_dict_maybe_track(d, key);
    py_dict_maybe_track(d, value);
    D(d)->version = ++dict_global_version;
    if (ix >= 0) {
        dict_entry *e = &dk_entries(D(d)->keys)[ix];
        py_obj *old = e->value;
        e->value = py_newref(value);
        tl_decref(old);
        return 0;
    }
    dict_keys *k = D(d)->keys;
    if (k->usable <= 0) {
        if (insertion_resize(d, k->unicode) < 0)
            return -1;
        k = D(d)->keys;
    }
    slot = find_free_slot(k, hash);
    dict_entry *e = &dk_entries(k)[k->nentries];
    e->hash = hash;
    e->key = py_newref(key);
    e->value = py_newref(value);
    ix_set(k, slot, k->nentries);
    k->nentries++;
    k->usable--;
    D(d)->used++;
    return 0;
}

int py_dict_set(py_obj *d, py_obj *key, py_obj *value)
{
    intptr_t h = hash_of(key);
    if (h == -1)
        return -1;
    return insert(d, key, h, value);
}

int py_dict_set_str(py_obj *d, const char *key, py_obj *value)
{
    py_obj *k = py_str_from_cstr(key);
    if (!k)
        return -1;
    k = py_str_intern(k);
    int r = py_dict_set(d, k, value);
    tl_decref(k);
    return r;
}

/* ---- reading ------------------------------------------------------------------------------ */

py_obj *py_dict_get(py_obj *d, py_obj *key)
{
    intptr_t h = hash_of(key);
    if (h == -1)
        return NULL;
    intptr_t ix = lookup(d, key, h, NULL);
    return ix >= 0 ? dk_entries(D(d)->keys)[ix].value : NULL;
}

py_obj *py_dict_get_interned(py_obj *d, py_obj *key)
{
    dict_keys *k = D(d)->keys;
    if (!k)
        return NULL;
    intptr_t hash = py_str_hash(key);
    size_t mask = dk_size(k) - 1, i = (size_t)hash & mask, perturb = (size_t)hash;
    for (;;) {
        intptr_t ix = ix_get(k, i);
        if (ix == DKIX_EMPTY)
            return NULL;
        if (ix >= 0) {
            dict_entry *e = &dk_entries(k)[ix];
            if (e->key == key)
                return e->value;
            if (e->hash == hash && py_str_check(e->key) && py_str_equal(e->key, key))
                return e->value;
            if (e->hash == hash && !py_str_check(e->key))
                return py_dict_get(d, key);
        }
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
}

py_obj *py_dict_get_str(py_obj *d, const char *key)
{
    py_obj *k = py_str_from_cstr(key);
    if (!k)
        return NULL;
    py_obj *v = py_dict_get_interned(d, k);
    tl_decref(k);
    return v;
}

intptr_t py_dict_size(const py_obj *d) { return D(d)->used; }
_Static_assert(offsetof(py_dict, version) == offsetof(py_dict_head, version), "py_dict_version reads the version");

bool py_dict_next(py_obj *d, intptr_t *pos, py_obj **key, py_obj **value)
{
    dict_keys *k = D(d)->keys;
    if (!k)
        return false;
    dict_entry *e = dk_entries(k);
    intptr_t i = *pos;
    while (i < k->nentries && !e[i].key)
        i++;
    if (i >= k->nentries)
        return false;
    *pos = i + 1;
    if (key)
        *key = e[i].key;
    if (value)
        *value = e[i].value;
    return true;
}

/* ---- deletion ----------------------------------------------------------------------------- */

static void set_key_error(py_obj *key)
{
    py_obj *exc = py_call1(&py_exc_KeyError->tl.ob, key);
    if (exc)
        py_err_set_exc(exc);
}

/* Removes entry ix found at the probe for hash; returns the old key and
 * value (new references the caller releases, key first). */
static void delete_entry(py_obj *d, intptr_t ix, intptr_t hash, py_obj **okey, py_obj **ovalue)
{
    dict_keys *k = D(d)->keys;
    size_t mask = dk_size(k) - 1, i = (size_t)hash & mask, perturb = (size_t)hash;
    while (ix_get(k, i) != ix) {
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
    ix_set(k, i, DKIX_DUMMY);
    dict_entry *e = &dk_entries(k)[ix];
    *okey = e->key;
    *ovalue = e->value;
    e->key = e->value = NULL;
    D(d)->used--;
    D(d)->version = ++dict_global_version;
}

int py_dict_pop_opt(py_obj *d, py_obj *key, py_obj **out)
{
    *out = NULL;
    intptr_t h = hash_of(key);
    if (h == -1)
        return -1;
    intptr_t ix = lookup(d, key, h, NULL);
    if (ix == -3)
        return -1;
    if (ix < 0)
        return 0;
    py_obj *ok;
    delete_entry(d, ix, h, &ok, out);
    tl_decref(ok);
    return 1;
}

int py_dict_del(py_obj *d, py_obj *key)
{
    intptr_t h = hash_of(key);
    if (h == -1)
        return -1;
    intptr_t ix = lookup(d, key, h, NULL);
    if (ix == -3)
        return -1;
    if (ix < 0) {
        set_key_error(key);
        return -1;
    }
    py_obj *ok, *ov;
    delete_entry(d, ix, h, &ok, &ov);
    tl_decref(ok);
    tl_decref(ov);
    return 0;
}

/* Empties the dict; entries released in insertion order, key then value. */
static void dict_clear_all(py_obj *d)
{
    dict_keys *k = D(d)->keys;
    D(d)->keys = NULL;
    D(d)->used = 0;
    D(d)->version = ++dict_global_version;
    if (!k)
        return;
    dict_entry *e = dk_entries(k);
    for (intptr_t i = 0; i < k->nentries; i++) {
        tl_xdecref(e[i].key);
        tl_xdecref(e[i].value);
    }
    tl_heap_free(k);
}

/* ---- construction, copy, update ------------------------------------------------------------ */

static py_obj *dict_alloc(py_type *t)
{
    py_obj *d = tl_object_new_untracked(vm.heap, &t->tl, 0);
    if (!d)
        return py_err_no_memory(), NULL;
    if (t != &py_dict_type)
        tl_gc_track(d);    /* instances of subclasses are always tracked */
    return d;
}

py_obj *py_dict_new(void) { return dict_alloc(&py_dict_type); }

py_obj *py_dict_new_presized(size_t n)
{
    py_obj *d = py_dict_new();
    if (!d || n <= 5)
        return d;
    if (!(D(d)->keys = keys_new(log2_keysize((n * 3 + 1) / 2), true))) {
        tl_decref(d);
        return NULL;
    }
    return d;
}

static int merge_dict(py_obj *d, py_obj *other, bool override)
{
    if (other == d || !D(other)->used)
        return 0;
    if (!D(d)->used && !D(d)->keys) {
        /* Size the table once, as CPython's dict_merge does for an empty target. */
        size_t want = (size_t)D(other)->used;
        if (want > 5 && !(D(d)->keys = keys_new(log2_keysize((want * 3 + 1) / 2),
                                                 D(other)->keys->unicode)))
            return -1;
    }
    intptr_t pos = 0;
    py_obj *k, *v;
    uint64_t version = D(other)->version;
    while (py_dict_next(other, &pos, &k, &v)) {
        tl_incref(k);
        tl_incref(v);
        intptr_t h = dk_entries(D(other)->keys)[pos - 1].hash;
        intptr_t ix = override ? DKIX_EMPTY : lookup(d, k, h, NULL);
        int r = ix == -3 ? -1 : ix >= 0 ? 0 : insert(d, k, h, v);
        tl_decref(k);
        tl_decref(v);
        if (r < 0)
            return -1;
        if (D(other)->version != version) {
            py_err_format(py_exc_RuntimeError, "dict mutated during update");
            return -1;
        }
    }
    return 0;
}

static int merge_keys_mapping(py_obj *d, py_obj *other)
{
    py_obj *keys = py_call_method(other, "keys", NULL, 0);
    if (!keys)
        return -1;
    py_obj *it = py_iter(keys);
    tl_decref(keys);
    if (!it)
        return -1;
    py_obj *k;
    int r = 0;
    while (r == 0 && (k = py_next(it))) {
        py_obj *v = py_getitem(other, k);
        r = v ? py_dict_set(d, k, v) : -1;
        tl_xdecref(v);
        tl_decref(k);
    }
    tl_decref(it);
    return r < 0 || py_err_occurred() ? -1 : 0;
}

static int merge_pair(py_obj *d, py_obj *item, intptr_t n)
{
    py_obj *seq = py_sequence_to_tuple(item);
    if (!seq) {
        if (py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            py_err_format(py_exc_TypeError,
                          "cannot convert dictionary update sequence element #%zd to a sequence", n);
        }
        return -1;
    }
    int r = -1;
    if (py_tuple_size(seq) != 2)
        py_err_format(py_exc_ValueError,
                      "dictionary update sequence element #%zd has length %zd; 2 is required", n,
                      py_tuple_size(seq));
    else
        r = py_dict_set(d, py_tuple_items(seq)[0], py_tuple_items(seq)[1]);
    tl_decref(seq);
    return r;
}

static int merge_pairs(py_obj *d, py_obj *iterable)
{
    py_obj *it = py_iter(iterable);
    if (!it)
        return -1;
    py_obj *item;
    intptr_t n = 0;
    int r = 0;
    while (r == 0 && (item = py_next(it))) {
        r = merge_pair(d, item, n++);
        tl_decref(item);
    }
    tl_decref(it);
    return r < 0 || py_err_occurred() ? -1 : 0;
}

int py_dict_update(py_obj *d, py_obj *other)
{
    if (py_dict_check(other))
        return merge_dict(d, other, true);
    py_obj *keys;
    int has = py_getattr_opt(other, py_str_interned("keys"), &keys);
    if (has < 0)
        return -1;
    if (has) {
        tl_decref(keys);
        return merge_keys_mapping(d, other);
    }
    return merge_pairs(d, other);
}

py_obj *py_dict_copy(py_obj *d)
{
    py_obj *c = py_dict_new();
    if (!c)
        return NULL;
    dict_keys *k = D(d)->keys;
    if (k && D(d)->used) {
        /* A dense table is cloned at its size, as CPython's dict.copy does. */
        uint8_t log2 = D(d)->used >= (k->nentries * 2) / 3 ? k->log2_size
                     : log2_keysize(((size_t)D(d)->used * 3 + 1) / 2);
        if (!(D(c)->keys = keys_new(log2, k->unicode)) || merge_dict(c, d, true) < 0) {
            tl_decref(c);
            return NULL;
        }
    }
    return c;
}

/* ---- libtally slots ------------------------------------------------------------------------- */

static void dict_dealloc(tl_object *o)
{
    tl_gc_untrack(o);
    dict_clear_all(o);
    tl_object_free(o);
}

static int dict_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    dict_keys *k = D(o)->keys;
    if (!k)
        return 0;
    dict_entry *e = dk_entries(k);
    for (intptr_t i = 0; i < k->nentries; i++) {
        int r;
        if (!e[i].key)
            continue;
        /* Value, then key: CPython 3.11's order (gc.get_referents shows it). */
        if ((r = visit(e[i].value, arg)))
            return r;
        if (!k->unicode && (r = visit(e[i].key, arg)))
            return r;
    }
    return 0;
}

static void dict_tl_clear(tl_object *o) { dict_clear_all(o); }

/* Names each value by its key's repr for str and int keys (no Python code
 * runs), else by entry number. */
static int dict_edges(tl_object *o, tl_edge_fn fn, void *arg)
{
    dict_keys *k = D(o)->keys;
    if (!k)
        return 0;
    dict_entry *e = dk_entries(k);
    for (intptr_t i = 0; i < k->nentries; i++) {
        if (!e[i].key)
            continue;
        int r = fn(e[i].key, TL_EDGE_KEY, NULL, i, arg);
        if (r)
            return r;
        py_obj *name = NULL;
        if (py_isinstance_exact(e[i].key, &py_str_type))
            name = py_str_repr_obj(e[i].key);
        else if (py_isinstance_exact(e[i].key, &py_int_type))
            name = py_repr(e[i].key);
        if (!name)
            py_err_clear();
        r = fn(e[i].value, TL_EDGE_VALUE, name ? py_str_utf8(name) : NULL, i, arg);
        tl_xdecref(name);
        if (r)
            return r;
    }
    return 0;
}

static size_t dict_sizeof(tl_object *o)
{
    return sizeof(py_dict) + (D(o)->keys ? keys_sizeof(D(o)->keys) : 0);
}

static bool dict_untrack_hook(tl_object *o)
{
    dict_keys *k = D(o)->keys;
    if (!py_isinstance_exact(o, &py_dict_type))
        return false;
    if (!k)
        return true;
    dict_entry *e = dk_entries(k);
    for (intptr_t i = 0; i < k->nentries; i++) {
        if (!e[i].key)
            continue;
        if (may_be_tracked(e[i].value) || (!k->unicode && may_be_tracked(e[i].key)))
            return false;
    }
    return true;
}

void py_dict_maybe_untrack(py_obj *d)
{
    if (tl_gc_is_tracked(d) && dict_untrack_hook(d))
        tl_gc_untrack(d);
}

/* ---- protocol --------------------------------------------------------------------------------- */

static py_obj *dict_repr(py_obj *o)
{
    if (!D(o)->used)
        return py_str_from_cstr("{}");
    int rec = py_repr_enter(o);
    if (rec)
        return rec > 0 ? py_str_from_cstr("{...}") : NULL;
    py_strbuf b;
    py_strbuf_init(&b);
    py_strbuf_addc(&b, '{');
    intptr_t pos = 0, n = 0;
    py_obj *k, *v;
    while (py_dict_next(o, &pos, &k, &v)) {
        tl_incref(k);
        tl_incref(v);
        py_obj *kr = py_repr(k), *vr = kr ? py_repr(v) : NULL;
        tl_decref(k);
        tl_decref(v);
        if (!vr) {
            tl_xdecref(kr);
            py_strbuf_free(&b);
            py_repr_leave(o);
            return NULL;
        }
        if (n++)
            py_strbuf_add(&b, ", ", 2);
        py_strbuf_add_str(&b, kr);
        py_strbuf_add(&b, ": ", 2);
        py_strbuf_add_str(&b, vr);
        tl_decref(kr);
        tl_decref(vr);
    }
    py_strbuf_addc(&b, '}');
    py_repr_leave(o);
    return py_strbuf_finish(&b);
}

static int dict_equal(py_obj *a, py_obj *b)
{
    if (D(a)->used != D(b)->used)
        return 0;
    intptr_t pos = 0;
    py_obj *k, *v;
    while (py_dict_next(a, &pos, &k, &v)) {
        tl_incref(k);
        tl_incref(v);
        py_obj *w = py_dict_get(b, k);
        int r = w ? (tl_incref(w), py_richcompare_bool(v, w, PY_EQ)) : (py_err_occurred() ? -1 : 0);
        tl_xdecref(w);
        tl_decref(k);
        tl_decref(v);
        if (r <= 0)
            return r;
    }
    return 1;
}

static py_obj *dict_richcompare(py_obj *a, py_obj *b, int op)
{
    if (!py_dict_check(a) || !py_dict_check(b) || (op != PY_EQ && op != PY_NE))
        return py_newref(py_NotImplemented);
    int r = dict_equal(a, b);
    return r < 0 ? NULL : py_bool((r == 1) == (op == PY_EQ));
}

static intptr_t dict_len(py_obj *o) { return D(o)->used; }

static py_obj *dict_getitem(py_obj *o, py_obj *key)
{
    intptr_t h = hash_of(key);
    if (h == -1)
        return NULL;
    intptr_t ix = lookup(o, key, h, NULL);
    if (ix == -3)
        return NULL;
    if (ix >= 0)
        return py_newref(dk_entries(D(o)->keys)[ix].value);
    if (!py_isinstance_exact(o, &py_dict_type)) {
        py_obj *missing = py_lookup_special(o, "__missing__");
        if (missing) {
            py_obj *r = py_call1(missing, key);
            tl_decref(missing);
            return r;
        }
        if (py_err_occurred())
            return NULL;
    }
    set_key_error(key);
    return NULL;
}

static int dict_setitem(py_obj *o, py_obj *key, py_obj *value)
{
    return value ? py_dict_set(o, key, value) : py_dict_del(o, key);
}

static int dict_contains(py_obj *o, py_obj *key)
{
    intptr_t h = hash_of(key);
    if (h == -1)
        return -1;
    intptr_t ix = lookup(o, key, h, NULL);
    return ix == -3 ? -1 : ix >= 0;
}

static py_obj *dict_or(py_obj *a, py_obj *b)
{
    if (!py_dict_check(a) || !py_dict_check(b))
        return py_newref(py_NotImplemented);
    py_obj *r = py_dict_copy(a);
    if (r && py_dict_update(r, b) < 0)
        TL_CLEAR(r);
    return r;
}

static py_obj *dict_ior(py_obj *a, py_obj *b)
{
    if (py_dict_update(a, b) < 0)
        return NULL;
    return py_newref(a);
}

/* ---- iterators ------------------------------------------------------------------------------------ */

enum { IT_KEYS, IT_VALUES, IT_ITEMS };

typedef struct dict_iter {
    tl_object ob;
    py_obj *dict;        /* NULL once exhausted */
    intptr_t pos;        /* next entry to look at (reverse: previous) */
    intptr_t used;       /* the dict's size when iteration began */
    intptr_t left;       /* items still to produce */
} dict_iter;

static py_type *iter_type_for(int kind, bool reverse)
{
    if (reverse)
        return &py_dict_revkeyiter_type;
    return kind == IT_KEYS ? &py_dict_keyiter_type : kind == IT_VALUES ? &py_dict_valueiter_type
                                                                       : &py_dict_itemiter_type;
}

static py_obj *dict_iter_new(py_obj *d, int kind, bool reverse)
{
    dict_iter *it = (dict_iter *)tl_object_new(vm.heap, &iter_type_for(kind, reverse)->tl);
    if (!it)
        return py_err_no_memory(), NULL;
    it->dict = py_newref(d);
    it->used = it->left = D(d)->used;
    it->pos = reverse ? (D(d)->keys ? D(d)->keys->nentries - 1 : -1) : 0;
    return &it->ob;
}

/* The next live entry, or NULL (exhausted or error set). */
static dict_entry *dict_iter_step(dict_iter *it, bool reverse)
{
    py_obj *d = it->dict;
    if (!d)
        return NULL;
    if (D(d)->used != it->used) {
        py_err_format(py_exc_RuntimeError, "dictionary changed size during iteration");
        it->used = -1;
        return NULL;
    }
    dict_keys *k = D(d)->keys;
    dict_entry *e = NULL;
    if (k) {
        if (reverse) {
            while (it->pos >= 0 && it->pos < k->nentries && !dk_entries(k)[it->pos].key)
                it->pos--;
            if (it->pos >= 0 && it->pos < k->nentries)
                e = &dk_entries(k)[it->pos--];
        } else {
            while (it->pos < k->nentries && !dk_entries(k)[it->pos].key)
                it->pos++;
            if (it->pos < k->nentries)
                e = &dk_entries(k)[it->pos++];
        }
    }
    if (!e || it->left <= 0) {
        if (e && it->left <= 0) {
            py_err_format(py_exc_RuntimeError, "dictionary keys changed during iteration");
            it->left = -1;
            return NULL;
        }
        TL_CLEAR(it->dict);
        return NULL;
    }
    it->left--;
    return e;
}

static py_obj *dict_keyiter_next(py_obj *o)
{
    dict_entry *e = dict_iter_step((dict_iter *)o, false);
    return e ? py_newref(e->key) : NULL;
}

static py_obj *dict_revkeyiter_next(py_obj *o)
{
    dict_entry *e = dict_iter_step((dict_iter *)o, true);
    return e ? py_newref(e->key) : NULL;
}

static py_obj *dict_valueiter_next(py_obj *o)
{
    dict_entry *e = dict_iter_step((dict_iter *)o, false);
    return e ? py_newref(e->value) : NULL;
}

static py_obj *dict_itemiter_next(py_obj *o)
{
    dict_entry *e = dict_iter_step((dict_iter *)o, false);
    return e ? py_tuple_pack(2, e->key, e->value) : NULL;
}

static void dict_iter_dealloc(tl_object *o)
{
    tl_gc_untrack(o);
    TL_CLEAR(((dict_iter *)o)->dict);
    tl_object_free(o);
}

static int dict_iter_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_obj *d = ((dict_iter *)o)->dict;
    return d ? visit(d, arg) : 0;
}

static void dict_iter_clear(tl_object *o) { TL_CLEAR(((dict_iter *)o)->dict); }

static py_obj *dict_iter_m_length_hint(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    dict_iter *it = (dict_iter *)a[0];
    return py_int_from_long(it->dict && D(it->dict)->used == it->used ? it->left : 0);
}

static const py_method_def dict_iter_methods[] = {
    {"__length_hint__", dict_iter_m_length_hint, NULL},
    {NULL, NULL, NULL},
};

#define DICT_ITER_TYPE(var, nm, next)                                                          \
    py_type var = {                                                                            \
        PY_TYPE_HEAD(nm, sizeof(dict_iter), 0, TL_TYPE_GC, .dealloc = dict_iter_dealloc,       \
                     .traverse = dict_iter_traverse, .clear = dict_iter_clear),                \
        .iter = py_self_iter,                                                                  \
        .iternext = next,                                                                      \
        .methods = dict_iter_methods,                                                          \
    }

DICT_ITER_TYPE(py_dict_keyiter_type, "dict_keyiterator", dict_keyiter_next);
DICT_ITER_TYPE(py_dict_valueiter_type, "dict_valueiterator", dict_valueiter_next);
DICT_ITER_TYPE(py_dict_itemiter_type, "dict_itemiterator", dict_itemiter_next);
DICT_ITER_TYPE(py_dict_revkeyiter_type, "dict_reversekeyiterator", dict_revkeyiter_next);

static py_obj *dict_iter_slot(py_obj *o) { return dict_iter_new(o, IT_KEYS, false); }

/* ---- views --------------------------------------------------------------------------------------- */

typedef struct dict_view {
    tl_object ob;
    py_obj *dict;
} dict_view;

static inline py_obj *VD(py_obj *v) { return ((dict_view *)v)->dict; }

static py_obj *view_new(py_obj *d, py_type *t)
{
    dict_view *v = (dict_view *)tl_object_new(vm.heap, &t->tl);
    if (!v)
        return py_err_no_memory(), NULL;
    v->dict = py_newref(d);
    return &v->ob;
}

static void view_dealloc(tl_object *o)
{
    tl_gc_untrack(o);
    TL_CLEAR(((dict_view *)o)->dict);
    tl_object_free(o);
}

static int view_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_obj *d = ((dict_view *)o)->dict;
    return d ? visit(d, arg) : 0;
}

static void view_clear(tl_object *o) { TL_CLEAR(((dict_view *)o)->dict); }
static intptr_t view_len(py_obj *o) { return D(VD(o))->used; }
static py_obj *keys_iter(py_obj *o) { return dict_iter_new(VD(o), IT_KEYS, false); }
static py_obj *values_iter(py_obj *o) { return dict_iter_new(VD(o), IT_VALUES, false); }
static py_obj *items_iter(py_obj *o) { return dict_iter_new(VD(o), IT_ITEMS, false); }
static int keys_contains(py_obj *o, py_obj *k) { return dict_contains(VD(o), k); }

static int items_contains(py_obj *o, py_obj *item)
{
    if (!py_isinstance_of(item, &py_tuple_type) || py_tuple_size(item) != 2)
        return 0;
    py_obj *v = py_dict_get(VD(o), py_tuple_items(item)[0]);
    if (!v)
        return py_err_occurred() ? -1 : 0;
    tl_incref(v);
    int r = py_richcompare_bool(v, py_tuple_items(item)[1], PY_EQ);
    tl_decref(v);
    return r;
}

static py_obj *view_repr(py_obj *o)
{
    int rec = py_repr_enter(o);
    if (rec)
        return rec > 0 ? py_str_from_cstr("...") : NULL;
    py_obj *l = py_sequence_to_list(o), *r = NULL;
    if (l) {
        r = py_str_from_format("%s(%R)", py_type_name(py_type_of(o)), l);
        tl_decref(l);
    }
    py_repr_leave(o);
    return r;
}

/* Set operations on keys and items views produce sets (CPython's rules:
 * either operand may be the view). */
static py_obj *view_setop(py_obj *a, py_obj *b, int op)
{
    py_obj *left = py_set_new(a);
    if (!left)
        return NULL;
    const char *m = op == PY_NB_AND ? "intersection_update" : op == PY_NB_OR ? "update"
                  : op == PY_NB_SUBTRACT ? "difference_update" : "symmetric_difference_update";
    py_obj *r = py_call_method(left, m, &b, 1);
    if (!r)
        TL_CLEAR(left);
    tl_xdecref(r);
    return left;
}

static py_obj *view_and(py_obj *a, py_obj *b) { return view_setop(a, b, PY_NB_AND); }
static py_obj *view_or(py_obj *a, py_obj *b) { return view_setop(a, b, PY_NB_OR); }
static py_obj *view_sub(py_obj *a, py_obj *b) { return view_setop(a, b, PY_NB_SUBTRACT); }
static py_obj *view_xor(py_obj *a, py_obj *b) { return view_setop(a, b, PY_NB_XOR); }

static py_obj *view_richcompare(py_obj *a, py_obj *b, int op)
{
    if (py_type_of(a) == &py_dict_values_type)
        return py_newref(py_NotImplemented);
    py_obj *sa = py_set_new(a);
    if (!sa)
        return NULL;
    py_obj *sb = py_set_new(b);
    if (!sb) {
        tl_decref(sa);
        py_err_clear();
        return py_newref(py_NotImplemented);
    }
    py_obj *r = py_richcompare(sa, sb, op);
    tl_decref(sa);
    tl_decref(sb);
    return r;
}

static py_obj *keys_m_reversed(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return dict_iter_new(VD(a[0]), IT_KEYS, true);
}

static py_obj *keys_m_isdisjoint(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("isdisjoint", n - 1, k, 1, 1) < 0)
        return NULL;
    py_obj *it = py_iter(a[1]);
    if (!it)
        return NULL;
    py_obj *x;
    int found = 0;
    while (!found && (x = py_next(it))) {
        found = py_contains(a[0], x);
        tl_decref(x);
    }
    tl_decref(it);
    if (found < 0 || py_err_occurred())
        return NULL;
    return py_bool(!found);
}

static const py_method_def keys_methods[] = {
    {"__reversed__", keys_m_reversed, NULL},
    {"isdisjoint", keys_m_isdisjoint, NULL},
    {NULL, NULL, NULL},
};

#define VIEW_TYPE(var, nm, iterf, containsf, setops, meths)                                    \
    py_type var = {                                                                            \
        PY_TYPE_HEAD(nm, sizeof(dict_view), 0, TL_TYPE_GC, .dealloc = view_dealloc,            \
                     .traverse = view_traverse, .clear = view_clear),                          \
        .repr = view_repr,                                                                     \
        .iter = iterf,                                                                         \
        .len = view_len,                                                                       \
        .contains = containsf,                                                                 \
        .richcompare = setops ? view_richcompare : NULL,                                       \
        .nb = {[PY_NB_AND] = setops ? view_and : NULL, [PY_NB_OR] = setops ? view_or : NULL,   \
               [PY_NB_SUBTRACT] = setops ? view_sub : NULL,                                    \
               [PY_NB_XOR] = setops ? view_xor : NULL},                                        \
        .methods = meths,                                                                      \
    }

VIEW_TYPE(py_dict_keys_type, "dict_keys", keys_iter, keys_contains, 1, keys_methods);
VIEW_TYPE(py_dict_items_type, "dict_items", items_iter, items_contains, 1, NULL);
VIEW_TYPE(py_dict_values_type, "dict_values", values_iter, NULL, 0, NULL);

/* ---- methods ------------------------------------------------------------------------------------- */

#define SELF a[0]
#define NARGS (n - 1)

static py_obj *dict_m_get(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("get", NARGS, k, 1, 2) < 0)
        return NULL;
    py_obj *v = py_dict_get(SELF, a[1]);
    if (v)
        return py_newref(v);
    if (py_err_occurred())
        return NULL;
    return py_newref(NARGS == 2 ? a[2] : py_None);
}

static py_obj *dict_m_setdefault(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("setdefault", NARGS, k, 1, 2) < 0)
        return NULL;
    py_obj *v = py_dict_get(SELF, a[1]);
    if (v)
        return py_newref(v);
    if (py_err_occurred())
        return NULL;
    py_obj *dflt = NARGS == 2 ? a[2] : py_None;
    if (py_dict_set(SELF, a[1], dflt) < 0)
        return NULL;
    return py_newref(dflt);
}

static py_obj *dict_m_pop(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("pop", NARGS, k, 1, 2) < 0)
        return NULL;
    py_obj *v;
    int r = py_dict_pop_opt(SELF, a[1], &v);
    if (r < 0)
        return NULL;
    if (r)
        return v;
    if (NARGS == 2)
        return py_newref(a[2]);
    set_key_error(a[1]);
    return NULL;
}

static py_obj *dict_m_popitem(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("popitem", NARGS, k, 0, 0) < 0)
        return NULL;
    py_obj *d = SELF;
    if (!D(d)->used) {
        py_err_format(py_exc_KeyError, "popitem(): dictionary is empty");
        return NULL;
    }
    dict_keys *keys = D(d)->keys;
    intptr_t i = keys->nentries - 1;
    while (!dk_entries(keys)[i].key)
        i--;
    dict_entry *e = &dk_entries(keys)[i];
    py_obj *ok, *ov;
    delete_entry(d, i, e->hash, &ok, &ov);
    keys->nentries = i;     /* LIFO: the slot can be reused */
    py_obj *t = py_tuple_new(2);
    if (!t) {
        tl_decref(ok);
        tl_decref(ov);
        return NULL;
    }
    py_tuple_items(t)[0] = ok;
    py_tuple_items(t)[1] = ov;
    return t;
}

static py_obj *dict_m_keys(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("dict.keys", NARGS, k, 0, 0) < 0)
        return NULL;
    return view_new(SELF, &py_dict_keys_type);
}

static py_obj *dict_m_values(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("dict.values", NARGS, k, 0, 0) < 0)
        return NULL;
    return view_new(SELF, &py_dict_values_type);
}

static py_obj *dict_m_items(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("dict.items", NARGS, k, 0, 0) < 0)
        return NULL;
    return view_new(SELF, &py_dict_items_type);
}

/* dict.update(...) and dict(...): one optional positional, then keywords. */
static int update_args(py_obj *d, const char *name, py_obj *const *args, size_t nargs,
                       py_obj *kwnames)
{
    if (nargs > 1) {
        py_err_format(py_exc_TypeError, "%s expected at most 1 argument, got %zd", name,
                      (intptr_t)nargs);
        return -1;
    }
    if (nargs == 1 && py_dict_update(d, args[0]) < 0)
        return -1;
    for (intptr_t i = 0; kwnames && i < py_tuple_size(kwnames); i++)
        if (py_dict_set(d, py_tuple_items(kwnames)[i], args[nargs + (size_t)i]) < 0)
            return -1;
    return 0;
}

static py_obj *dict_m_update(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (update_args(SELF, "update", a + 1, NARGS, k) < 0)
        return NULL;
    py_RETURN_NONE;
}

static py_obj *dict_m_copy(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("dict.copy", NARGS, k, 0, 0) < 0)
        return NULL;
    return py_dict_copy(SELF);
}

static py_obj *dict_m_clear(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("dict.clear", NARGS, k, 0, 0) < 0)
        return NULL;
    dict_clear_all(SELF);
    py_RETURN_NONE;
}

static py_obj *dict_m_reversed(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return dict_iter_new(SELF, IT_KEYS, true);
}

static py_obj *dict_m_sizeof(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_int_from_size(dict_sizeof(SELF));
}

static py_obj *dict_m_contains(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("__contains__", NARGS, k, 1, 1) < 0)
        return NULL;
    int r = dict_contains(SELF, a[1]);
    return r < 0 ? NULL : py_bool(r);
}

static py_obj *dict_m_getitem(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("__getitem__", NARGS, k, 1, 1) < 0)
        return NULL;
    return dict_getitem(SELF, a[1]);
}

/* dict.fromkeys(iterable, value=None), bound to the class it is called on. */
static py_obj *dict_fromkeys(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("fromkeys", NARGS, k, 1, 2) < 0)
        return NULL;
    py_obj *cls = SELF;
    py_obj *d = py_call0(cls);
    if (!d)
        return NULL;
    py_obj *value = NARGS == 2 ? a[2] : py_None, *it = py_iter(a[1]), *x;
    if (!it) {
        tl_decref(d);
        return NULL;
    }
    int r = 0;
    while (r == 0 && (x = py_next(it))) {
        r = py_setitem(d, x, value);
        tl_decref(x);
    }
    tl_decref(it);
    if (r < 0 || py_err_occurred())
        TL_CLEAR(d);
    return d;
}

static const py_method_def dict_methods[] = {
    {"get", dict_m_get, "Return the value for key if key is in the dictionary, else default."},
    {"setdefault", dict_m_setdefault, NULL},
    {"pop", dict_m_pop, NULL},
    {"popitem", dict_m_popitem, NULL},
    {"keys", dict_m_keys, NULL},
    {"values", dict_m_values, NULL},
    {"items", dict_m_items, NULL},
    {"update", dict_m_update, NULL},
    {"copy", dict_m_copy, NULL},
    {"clear", dict_m_clear, NULL},
    {"__reversed__", dict_m_reversed, NULL},
    {"__sizeof__", dict_m_sizeof, NULL},
    {"__contains__", dict_m_contains, NULL},
    {"__getitem__", dict_m_getitem, NULL},
    {NULL, NULL, NULL},
};

static py_obj *dict_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return dict_alloc(t);
}

static int dict_init(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return update_args(self, "dict", args, nargs, kwnames);
}

py_type py_dict_type = {
    PY_TYPE_HEAD("dict", sizeof(py_dict), 0, TL_TYPE_GC, .dealloc = dict_dealloc,
                 .traverse = dict_traverse, .clear = dict_tl_clear, .edges = dict_edges,
                 .sizeof_fn = dict_sizeof),
    .pyflags = PY_TPFLAGS_BASETYPE | PY_TPFLAGS_DICT_SUBCLASS,
    .repr = dict_repr,
    .richcompare = dict_richcompare,
    .iter = dict_iter_slot,
    .nb = {[PY_NB_OR] = dict_or},
    .nb_inplace = {[PY_NB_OR] = dict_ior},
    .len = dict_len,
    .getitem = dict_getitem,
    .setitem = dict_setitem,
    .contains = dict_contains,
    .tp_new = dict_new,
    .tp_init = dict_init,
    .methods = dict_methods,
    .doc = "dict() -> new empty dictionary",
};

int py_dict_init(void)
{
    py_type *types[] = {&py_dict_type, &py_dict_keyiter_type, &py_dict_valueiter_type,
                        &py_dict_itemiter_type, &py_dict_revkeyiter_type, &py_dict_keys_type,
                        &py_dict_values_type, &py_dict_items_type};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (py_type_ready(types[i]) < 0)
            return -1;
    py_obj *fk = py_cfunction_new("fromkeys", dict_fromkeys, NULL, NULL);
    if (!fk)
        return -1;
    py_obj *cm = py_classmethod_new(fk);
    tl_decref(fk);
    if (!cm)
        return -1;
    int r = py_dict_set(py_dict_type.dict, py_str_interned("fromkeys"), cm);
    tl_decref(cm);
    if (r < 0)
        return -1;
    return tl_gc_register_untrack(vm.heap, &py_dict_type.tl, dict_untrack_hook, true);
}
