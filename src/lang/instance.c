/* instance.c — instances of classes: attributes laid out by shape.
 *
 * An instance of a class is its solid base's layout (just the object header
 * for plain classes) followed by a py_inst part at type->inst_offset:
 *     shape     which attribute lives in which value slot (shared by all
 *               instances that gained the same attributes in the same order)
 *     dict      NULL until a program asks for __dict__ (or vars()); from then
 *               on the attributes live in that dict and shape is NULL
 *     weaklist  weak references to the instance
 *     values    the value slots: the inline ones after the header, or a heap
 *               block once an instance outgrows them (invisible to the
 *               collector: it is not an object)
 * So an instance is one object to the collector, as in CPython 3.11, until its
 * __dict__ is materialised (then two). A deleted attribute leaves a NULL slot.
 *
 * A class derived from a variable-size built-in (int, str, bytes, tuple),
 * whose items follow the header at a length known only per object, keeps its
 * py_inst in front of the object instead, in the pre-header libtally reserves
 * before the collector header (inst_offset < 0), as CPython 3.11 keeps its
 * managed dict pointers there. Such instances are made by the base's
 * constructor and hold their attributes in a dict (no inline value slots).
 *
 * Shapes form a tree per class rooted at type->root_shape; a child adds one
 * attribute. Each class learns how many attributes its instances end up with
 * and allocates that many slots inline for the next ones (at most
 * SHAPE_MAX_ATTRS; past that an instance moves to dict mode).
 */
#include "py.h"
#include "lang_int.h"

#define SHAPE_MAX_ATTRS 30
#define INITIAL_INLINE 4

struct py_shape {
    py_shape *parent;
    py_obj *key;             /* attribute name (str), strong; NULL at the root */
    uint32_t nattrs;         /* attributes in this shape; key's slot is nattrs - 1 */
    uint32_t nchildren, cap;
    py_shape **children;
    uint32_t max_seen;       /* root only: most attributes an instance reached */
};

static py_shape *shape_new(py_shape *parent, py_obj *key)
{
    py_shape *s = tl_heap_calloc(vm.heap, sizeof *s);
    if (!s)
        return NULL;
    s->parent = parent;
    s->key = py_xnewref(key);
    s->nattrs = parent ? parent->nattrs + 1 : 0;
    return s;
}

void py_shape_free_tree(py_shape *root)
{
    /* Iterative post-order walk: shapes can be deep (one level per attribute). */
    py_shape *s = root;
    while (s) {
        if (s->nchildren) {
            s = s->children[--s->nchildren];
            continue;
        }
        py_shape *parent = s->parent;
        tl_xdecref(s->key);
        tl_heap_free(s->children);
        tl_heap_free(s);
        s = (s == root) ? NULL : parent;
    }
}

static bool key_equal(py_obj *a, py_obj *b)
{
    return a == b || py_str_equal(a, b);
}

/* Slot of name in shape s, or -1. */
static int shape_find(py_shape *s, py_obj *name)
{
    for (; s && s->key; s = s->parent)
        if (s->key == name)
            return (int)s->nattrs - 1;
    return -1;
}

static int shape_find_slow(py_shape *s, py_obj *name)
{
    int i = shape_find(s, name);
    if (i >= 0)
        return i;
    for (; s && s->key; s = s->parent)
        if (key_equal(s->key, name))
            return (int)s->nattrs - 1;
    return -1;
}

static py_shape *shape_add(py_shape *s, py_obj *name)
{
    for (uint32_t i = 0; i < s->nchildren; i++)
        if (key_equal(s->children[i]->key, name))
            return s->children[i];
    if (s->nchildren == s->cap) {
        uint32_t cap = s->cap ? 2 * s->cap : 2;
        py_shape **c = tl_heap_realloc(vm.heap, s->children, cap * sizeof *c);
        if (!c)
            return NULL;
        s->children = c;
        s->cap = cap;
    }
    py_obj *key = py_str_intern(py_newref(name));
    py_shape *child = key ? shape_new(s, key) : NULL;
    tl_xdecref(key);
    if (!child)
        return NULL;
    s->children[s->nchildren++] = child;
    return child;
}

/* ---- layout ---------------------------------------------------------------- */

static size_t instance_size(py_type *t, uint32_t slots)
{
    return t->inst_offset + sizeof(py_inst) + slots * sizeof(py_obj *);
}

static uint32_t capacity_of(py_inst *in) { return py_inst_capacity(in); }

static py_type *static_base(py_type *t);

static size_t instance_sizeof(tl_object *o)
{
    py_type *t = py_type_of(o);
    if (t->inst_offset < 0) {
        /* The py_inst part is the type's pre-header, counted by libtally. */
        py_type *sb = static_base(t);
        return sb->tl.sizeof_fn ? sb->tl.sizeof_fn(o) : sb->tl.basic_size;
    }
    py_inst *in = py_inst_of(o);
    size_t n = instance_size(py_type_of(o), in->inline_cap);
    if (in->capacity & 0x80000000u)
        n += capacity_of(in) * sizeof(py_obj *);
    return n;
}

py_obj *py_instance_alloc(py_type *t)
{
    py_obj *o = tl_object_new(vm.heap, &t->tl);
    if (!o)
        return py_err_no_memory(), NULL;
    py_inst *in = py_inst_of(o);
    in->shape = t->root_shape;
    in->capacity = in->inline_cap = t->inline_slots;
    return o;
}

static py_obj **values_of(py_inst *in) { return py_inst_values(in); }

int py_shape_index(py_shape *s, py_obj *name) { return shape_find_slow(s, name); }
uint32_t py_shape_nattrs(const py_shape *s) { return s->nattrs; }
py_shape *py_shape_parent(const py_shape *s) { return s->parent; }


static int grow_values(py_obj *o, py_inst *in, uint32_t need)
{
    uint32_t cap = capacity_of(in), ncap = cap ? cap * 2 : 4;
    while (ncap < need)
        ncap *= 2;
    py_obj **old = values_of(in);
    py_obj **nv = tl_heap_calloc(vm.heap, ncap * sizeof *nv);
    if (!nv)
        return py_err_no_memory(), -1;
    uint32_t used = in->shape ? in->shape->nattrs : 0;
    memcpy(nv, old, used * sizeof *nv);
    if (in->capacity & 0x80000000u)
        tl_heap_free(old);
    else if (cap == 0) {
        /* No inline slot to hold the block's address: cannot move. */
        tl_heap_free(nv);
        return 1;
    }
    *(py_obj ***)(in + 1) = nv;
    in->capacity = ncap | 0x80000000u;
    return 0;
}

static void learn_size(py_type *t, uint32_t nattrs)
{
    if (t->inst_offset < 0)
        return; /* the pre-header's size is fixed */
    py_shape *root = t->root_shape;
    if (nattrs > root->max_seen && nattrs <= SHAPE_MAX_ATTRS) {
        root->max_seen = nattrs;
        t->inline_slots = nattrs;
        t->tl.basic_size = instance_size(t, nattrs);
    }
}

/* The layout of a class whose base's items follow its header: the base's
 * object unchanged, the py_inst part in the pre-header. */
static void use_pre_header(py_type *t, py_type *base)
{
    t->tl.pre_size = (sizeof(py_inst) + 15) & ~(size_t)15;
    t->inst_offset = -(int32_t)(t->tl.pre_size + TL_GC_HEAD_SIZE);
    t->inline_slots = 0;
    t->tl.basic_size = base->tl.basic_size;
    t->tl.item_size = base->tl.item_size;
}

void py_instance_type_init(py_type *t)
{
    py_type *base = t->base;
    if ((base->pyflags & PY_TPFLAGS_INSTANCE) && base->inst_offset < 0) {
        use_pre_header(t, base);
    } else if (base->pyflags & PY_TPFLAGS_INSTANCE) {
        t->inst_offset = base->inst_offset;
    } else if (base->tl.item_size) {
        use_pre_header(t, base);
    } else {
        t->inst_offset = (int32_t)((base->tl.basic_size + 7) & ~(size_t)7);
    }
    if (t->inst_offset >= 0) {
        t->inline_slots = INITIAL_INLINE;
        t->tl.basic_size = instance_size(t, INITIAL_INLINE);
        t->tl.item_size = 0;
    }
    t->tl.weaklist_offset = t->inst_offset + (ptrdiff_t)offsetof(py_inst, weaklist);
    t->tl.dealloc = py_instance_dealloc;
    t->tl.traverse = py_instance_traverse;
    t->tl.clear = (void (*)(tl_object *))py_instance_clear;
    t->tl.sizeof_fn = instance_sizeof;
    t->tl.edges = py_instance_edges;
    t->root_shape = shape_new(NULL, NULL);
}

/* A class limited to __slots__ knows how many attributes its instances can
 * hold: allocate exactly that many slots (the memory saving a program asks
 * for with __slots__), instead of learning it from the first instances. */
void py_instance_size_for_slots(py_type *t)
{
    if (t->inst_offset < 0 || !py_type_slots_restrict(t, NULL))
        return;
    uint32_t n = 0;
    for (intptr_t i = 0; i < py_tuple_size(t->mro); i++) {
        py_type *b = (py_type *)py_tuple_items(t->mro)[i];
        if (!(b->pyflags & PY_TPFLAGS_HEAPTYPE) || !b->slots)
            continue;
        for (intptr_t j = 0; j < py_tuple_size(b->slots); j++)
            n += !py_str_equal_cstr(py_tuple_items(b->slots)[j], "__weakref__");
    }
    if (n > SHAPE_MAX_ATTRS || !t->root_shape)
        return;
    t->root_shape->max_seen = n;
    t->inline_slots = n;
    t->tl.basic_size = instance_size(t, n);
}

/* ---- get / set ----------------------------------------------------------------- */

static bool has_inst(py_obj *o) { return py_type_has(o, PY_TPFLAGS_INSTANCE); }

py_obj *py_instance_get(py_obj *o, py_obj *name)
{
    if (!has_inst(o))
        return NULL;
    py_inst *in = py_inst_of(o);
    if (in->shape) {
        int i = shape_find_slow(in->shape, name);
        py_obj *v = i >= 0 ? values_of(in)[i] : NULL;
        return py_xnewref(v);
    }
    if (in->dict)
        return py_xnewref(py_dict_get(in->dict, name));
    return NULL;
}

static int to_dict_mode(py_obj *o, py_inst *in);

static int add_attribute(py_obj *o, py_inst *in, py_obj *name, py_obj *value)
{
    if (in->shape->nattrs >= SHAPE_MAX_ATTRS) {
        if (to_dict_mode(o, in) < 0)
            return -1;
        return py_dict_set(in->dict, name, value);
    }
    py_shape *next = shape_add(in->shape, name);
    if (!next)
        return py_err_no_memory(), -1;
    if (next->nattrs > capacity_of(in)) {
        int g = grow_values(o, in, next->nattrs);
        if (g < 0)
            return -1;
        if (g > 0) {
            if (to_dict_mode(o, in) < 0)
                return -1;
            return py_dict_set(in->dict, name, value);
        }
    }
    values_of(in)[next->nattrs - 1] = py_newref(value);
    in->shape = next;
    learn_size(py_type_of(o), next->nattrs);
    return 0;
}

int py_instance_set(py_obj *o, py_obj *name, py_obj *value)
{
    py_inst *in = py_inst_of(o);
    if (!in->shape && !in->dict) {
        /* Made by a built-in base's allocator (class L(list)), which knows
         * nothing of the instance part: such an instance keeps a dict. */
        if (!value)
            return py_attribute_error(o, name), -1;
        if (py_type_slots_restrict(py_type_of(o), name))
            return py_attribute_error(o, name), -1;
        if (!(in->dict = py_dict_new()))
            return -1;
    }
    if (!in->shape) {
        if (value)
            return py_dict_set(in->dict, name, value);
        if (py_dict_del(in->dict, name) < 0) {
            if (py_err_matches(py_exc_KeyError)) {
                py_err_clear();
                py_attribute_error(o, name);
            }
            return -1;
        }
        return 0;
    }
    int i = shape_find_slow(in->shape, name);
    if (i >= 0) {
        py_obj **slot = &values_of(in)[i];
        if (!value && !*slot) {
            py_attribute_error(o, name);
            return -1;
        }
        tl_setref(slot, py_xnewref(value));
        return 0;
    }
    if (!value || py_type_slots_restrict(py_type_of(o), name)) {
        py_attribute_error(o, name);
        return -1;
    }
    return add_attribute(o, in, name, value);
}

/* Moves the attributes into a real dict, in slot (insertion) order. */
static int to_dict_mode(py_obj *o, py_inst *in)
{
    py_obj *d = py_dict_new();
    if (!d)
        return -1;
    uint32_t n = in->shape->nattrs;
    py_obj **vals = values_of(in);
    py_obj **keys = tl_heap_alloc(vm.heap, (n ? n : 1) * sizeof *keys);
    if (!keys) {
        tl_decref(d);
        return py_err_no_memory(), -1;
    }
    for (py_shape *s = in->shape; s->key; s = s->parent)
        keys[s->nattrs - 1] = s->key;
    for (uint32_t i = 0; i < n; i++)
        if (vals[i] && py_dict_set(d, keys[i], vals[i]) < 0) {
            tl_heap_free(keys);
            tl_decref(d);
            return -1;
        }
    tl_heap_free(keys);
    for (uint32_t i = 0; i < n; i++)
        TL_CLEAR(vals[i]);
    if (in->capacity & 0x80000000u) {
        tl_heap_free(vals);
        in->capacity = 0;
    }
    in->shape = NULL;
    in->dict = d;
    return 0;
}

py_obj *py_instance_dict(py_obj *o)
{
    py_inst *in = py_inst_of(o);
    if (!in->shape && !in->dict && !(in->dict = py_dict_new()))
        return NULL;
    if (in->shape && to_dict_mode(o, in) < 0)
        return NULL;
    return py_newref(in->dict);
}

/* ---- lifetime -------------------------------------------------------------------- */

static py_type *static_base(py_type *t)
{
    while (t->pyflags & PY_TPFLAGS_HEAPTYPE)
        t = t->base;
    return t;
}

int py_instance_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_type *t = py_type_of(o);
    int r = visit(&t->tl.ob, arg);
    if (r)
        return r;
    py_inst *in = py_inst_of(o);
    if (in->shape) {
        py_obj **vals = values_of(in);
        for (uint32_t i = 0; i < in->shape->nattrs; i++)
            if (vals[i] && (r = visit(vals[i], arg)))
                return r;
    }
    if (in->dict && (r = visit(in->dict, arg)))
        return r;
    py_type *sb = static_base(t);
    return sb->tl.traverse ? sb->tl.traverse(o, visit, arg) : 0;
}

static void clear_values(py_inst *in)
{
    if (!in->shape)
        return;
    py_obj **vals = values_of(in);
    for (uint32_t i = 0; i < in->shape->nattrs; i++)
        TL_CLEAR(vals[i]);
}

void py_instance_clear(py_obj *o)
{
    py_inst *in = py_inst_of(o);
    clear_values(in);
    TL_CLEAR(in->dict);
    py_type *sb = static_base(py_type_of(o));
    if (sb->tl.clear)
        sb->tl.clear(o);
}

void py_instance_dealloc(tl_object *o)
{
    py_type *t = py_type_of(o);
    if (t->tl.finalize && !tl_gc_is_finalized(o)) {
        o->refcount = 1;
        t->tl.finalize(o);
        tl_gc_set_finalized(o);
        if (--o->refcount != 0)
            return;      /* resurrected by __del__ */
    }
    tl_gc_untrack(o);
    py_inst *in = py_inst_of(o);
    if (in->weaklist)
        py_weakref_clear_all(o);
    clear_values(in);
    if (in->capacity & 0x80000000u)
        tl_heap_free(values_of(in));
    in->capacity = 0;
    TL_CLEAR(in->dict);
    py_type *sb = static_base(t);
    if (sb->tl.dealloc && sb != &py_object_type)
        sb->tl.dealloc(o);
    else {
        if (sb->tl.clear)
            sb->tl.clear(o);
        tl_object_free(o);
    }
}

void py_instance_finalize(tl_object *o)
{
    py_obj *del = py_type_lookup(py_type_of(o), py_str_interned("__del__"));
    if (!del)
        return;
    tl_incref(del);
    py_obj *saved = py_err_fetch();
    py_obj *r = py_call_with_self(del, o, NULL, 0, NULL);
    if (!r)
        py_err_write_unraisable(del);
    tl_xdecref(r);
    tl_decref(del);
    if (saved)
        py_err_set_exc(saved);
}

int py_instance_edges(tl_object *o, tl_edge_fn fn, void *arg)
{
    py_inst *in = py_inst_of(o);
    int r = fn(&py_type_of(o)->tl.ob, TL_EDGE_TYPE, "__class__", 0, arg);
    if (r || !in->shape)
        return r;
    py_obj **vals = values_of(in);
    for (py_shape *s = in->shape; s->key; s = s->parent) {
        py_obj *v = vals[s->nattrs - 1];
        if (v && (r = fn(v, TL_EDGE_ATTR, py_str_utf8(s->key), 0, arg)))
            return r;
    }
    if (in->dict)
        return fn(in->dict, TL_EDGE_ATTR, "__dict__", 0, arg);
    return 0;
}
