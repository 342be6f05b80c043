/* lang_int.h — cross-file internals of the interpreter's core (object, type,
 * instance, function, error and VM files) that are not part of py.h's
 * contract with every type. */
#ifndef TALLY_LANG_INT_H
#define TALLY_LANG_INT_H

#include "py.h"

/* Python-level recursion depth (RecursionError past vm.recursion_limit, or
 * when the C stack runs low). The common case is inline. */
int py_enter_recursive_call_slow(const char *where);
extern char *py_c_stack_limit;       /* lowest safe C stack address */
#ifdef PY_STEP_BUDGET
/* Fuzzing builds (make fuzz) bound every run, since an input may loop
 * forever: py_step_budget, when the fuzz target sets it, counts calls and
 * backward jumps down, and once it is spent every further one raises
 * RuntimeError, so a loop cannot catch the error and go on. 0: no budget.
 * Not a language feature: other builds compile none of it. */
extern uint64_t py_step_budget;
int py_step_spent(void);
static inline int py_step(void)
{
    return py_step_budget == 0 || --py_step_budget > 0 ? 0 : py_step_spent();
}
#else
static inline int py_step(void) { return 0; }
#endif

static inline int py_enter_recursive_call(const char *where)
{
    if (py_step() < 0)
        return -1;
    char here;
    if (PY_LIKELY(vm.depth < vm.recursion_limit && &here > py_c_stack_limit)) {
        vm.depth++;
        return 0;
    }
    return py_enter_recursive_call_slow(where);
}
static inline void py_leave_recursive_call(void) { vm.depth--; }

intptr_t py_hash_pointer(const void *p);
/* Visits each non-NULL reference of refs[0..n): the body of most traverses. */
static inline int py_visit_refs(py_obj *const *refs, size_t n, tl_visit_fn visit, void *arg)
{
    for (size_t i = 0; i < n; i++)
        if (refs[i]) {
            int r = visit(refs[i], arg);
            if (r)
                return r;
        }
    return 0;
}
extern const char *const py_nb_symbol[PY_NB_COUNT];

/* object.c */
py_obj *py_attribute_error(py_obj *o, py_obj *name);

/* type.c */
extern uint32_t py_type_global_version;       /* bumped when any class dict changes */
py_obj *py_type_class_getitem(py_obj *type, py_obj *key);
py_obj *py_type_new_heap(py_type *meta, py_obj *name, py_obj *bases, py_obj *ns);
/* The same with class keywords for __init_subclass__ (kwargs: dict or NULL). */
py_obj *py_type_new_heap_kw(py_type *meta, py_obj *name, py_obj *bases, py_obj *ns, py_obj *kwargs);
py_obj *py_kwargs_dict(py_obj *const *values, py_obj *kwnames);     /* {kwnames[i]: values[i]} */
py_obj *py_descr_bind(py_obj *descr, py_obj *obj);  /* descr.__get__(obj, type(obj)) */
py_obj *py_call_with_self(py_obj *func, py_obj *self, py_obj *const *args, size_t nargs,
                          py_obj *kwnames);
py_obj *py_lookup_special(py_obj *self, const char *name);   /* bound, or NULL w/o exception */
/* complex.c */
extern py_type py_complex_type;
int py_complex_init(void);
py_obj *py_complex_new(double real, double imag);
py_obj *py_complex_pow_reals(double x, double y);     /* x ** y as complex (x < 0, y fractional) */
intptr_t py_hash_double(double v);                    /* float.c: CPython's _Py_HashDouble */

int py_types_init(void);
/* math_gamma.c: CPython's gamma and lgamma (errno EDOM/ERANGE on error) */
double py_math_gamma(double x);
double py_math_lgamma(double x);
int py_types_init_late(void);          /* after py_func_init: object.__init_subclass__ */
bool py_type_slots_restrict(py_type *t, py_obj *name);  /* name NULL: any restriction */
int py_add_slot_wrappers(py_type *t);     /* slotwrap.c */
extern py_type py_slotwrapper_type;

/* instance.c: attributes of instances of classes, by shape. */
typedef struct py_shape py_shape;
typedef struct py_inst {
    py_shape *shape;      /* NULL: attributes live in dict */
    py_obj *dict;         /* materialised __dict__, or NULL */
    py_obj *weaklist;     /* weak references to the instance */
    uint32_t capacity;    /* value slots; top bit: they moved to a heap block */
    uint32_t inline_cap;  /* value slots allocated inline after this header */
    py_obj *values[];     /* values[i] for the shape's i-th attribute; NULL: deleted */
} py_inst;
static inline py_inst *py_inst_of(const py_obj *o)
{
    return (py_inst *)((char *)o + py_type_of(o)->inst_offset);
}
/* The values live inline unless the top bit of capacity says they moved to a
 * heap block, whose address is then stored in the first inline slot. */
static inline py_obj **py_inst_values(py_inst *in)
{
    return in->capacity & 0x80000000u ? *(py_obj ***)(in + 1) : (py_obj **)(in + 1);
}
static inline uint32_t py_inst_capacity(const py_inst *in) { return in->capacity & 0x7FFFFFFFu; }
int py_shape_index(py_shape *s, py_obj *name);      /* slot of name, or -1 */
uint32_t py_shape_nattrs(const py_shape *s);
py_shape *py_shape_parent(const py_shape *s);
py_obj *py_instance_get(py_obj *o, py_obj *name);   /* new ref, or NULL (maybe w/ exception) */
int py_instance_set(py_obj *o, py_obj *name, py_obj *value);
py_obj *py_instance_dict(py_obj *o);                /* materialises; new ref */
py_obj *py_instance_alloc(py_type *t);
void py_instance_type_init(py_type *t);             /* sets the tl slots of a heap type */
void py_instance_size_for_slots(py_type *t);
size_t py_object_own_size(py_obj *o);               /* type.c: __sizeof__ of object */
int py_type_check_new_safe(py_type *owner, py_type *sub); /* -1 + TypeError if unsafe */
/* CPython 3.11 calls a class through a tuple of the positional arguments
 * and a dict of the keyword values (classes have no vectorcall), and calls
 * __new__/__init__ with keywords through a fresh array holding a reference to
 * every argument (_PyStack_UnpackDict). tally passes arguments in place; these
 * counts stand for those containers, so sys.getrefcount inside __init__ reads
 * as in CPython. delta +1 takes them, -1 gives them back. */
static inline void py_class_call_refs(py_obj *const *args, size_t nargs, py_obj *kwnames, int delta)
{
    size_t nkw = kwnames ? (size_t)py_tuple_size(kwnames) : 0;
    for (size_t i = 0; i < nargs + nkw; i++)
        args[i]->refcount += delta;              /* the tuple, or the kwargs dict */
}

static inline void py_unpack_dict_refs(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames, int delta)
{
    size_t nkw = kwnames ? (size_t)py_tuple_size(kwnames) : 0;
    if (!nkw)
        return;
    if (self)
        self->refcount += delta;
    for (size_t i = 0; i < nargs + nkw; i++)
        args[i]->refcount += delta;
}
        /* after the MRO: exact size under __slots__ */
void py_shape_free_tree(py_shape *root);
int py_instance_traverse(tl_object *o, tl_visit_fn visit, void *arg);
void py_instance_clear(py_obj *o);

void py_instance_finalize(tl_object *o);          /* calls __del__ */
void py_instance_dealloc(tl_object *o);
int py_instance_edges(tl_object *o, tl_edge_fn fn, void *arg);
/* Clears o's weak references and runs their callbacks (the collector's own
 * routine, which tl_dealloc_standard uses; a custom dealloc needs it too). */
void gc_clear_weakrefs(tl_object *o);
#define py_weakref_clear_all(o) gc_clear_weakrefs(o)

/* func.c: descriptors */
py_obj *py_staticmethod_new(py_obj *f);
py_obj *py_staticmethod_func(py_obj *sm);          /* borrowed */
py_obj *py_classmethod_new(py_obj *f);

/* int.c */
py_obj *py_int_hash_obj(py_obj *i);                /* hash(i) as an int object */
py_obj *py_cmp_result(int c, int op);              /* bool for a three-way result */
char *py_int_digits(py_obj *o, int base, bool *neg); /* malloc'd digits of |o| */
int py_int_init(void);
/* An int: v holds the value unless it is INT64_MIN, which marks a big int
 * whose value is an mpz stored after the header (int.c). */
typedef struct py_int {
    tl_object ob;
    int64_t v;
    struct { int a, s; void *d; } z[];   /* GMP's __mpz_struct layout */
} py_int;
/* The value of an exact int that fits a machine word, for the VM's fast paths. */
static inline bool py_int_fast(const py_obj *o, int64_t *v)
{
    if (o->type != &py_int_type.tl || ((const py_int *)o)->v == INT64_MIN)
        return false;
    *v = ((const py_int *)o)->v;
    return true;
}
py_obj *py_format_int(py_obj *i, py_obj *spec);     /* int.__format__ with a spec */
py_obj *py_format_float(py_obj *f, py_obj *spec);   /* float.__format__ with a spec */
int py_float_init(void);
typedef struct py_float {
    tl_object ob;
    double v;             /* the value; immutable once the float is shared */
} py_float;
void py_float_clear_freelist(void);
#define PY_FLOAT_FREELIST_MAX 100
extern struct py_float_freelist {
    py_float *items[PY_FLOAT_FREELIST_MAX];   /* dead exact floats, count 0 */
    int n;                                    /* entries in use */
} py_float_freelist;
py_obj *py_float_new_slow(double v);          /* from the heap */
static inline py_obj *py_float_new_inline(double v)
{
    if (PY_LIKELY(py_float_freelist.n > 0)) {
        py_float *f = py_float_freelist.items[--py_float_freelist.n];
        f->ob.refcount = 1;
        f->v = v;
        return &f->ob;
    }
    return py_float_new_slow(v);
}
/* Frees an exact float whose count reached zero: it has nothing to release,
 * so it needs none of tl_dealloc_'s sequence. */
static inline void py_float_release(tl_object *o)
{
    if (py_float_freelist.n < PY_FLOAT_FREELIST_MAX)
        py_float_freelist.items[py_float_freelist.n++] = (py_float *)o;
    else
        tl_object_free(o);
}
/* tl_decref for a value that is often an exact float about to die. */
static inline void py_decref_num(py_obj *o)
{
    if (--o->refcount == 0) {
        if (o->type == &py_float_type.tl)
            py_float_release(o);
        else
            tl_dealloc_(o);
    }
}
void py_tuple_clear_freelist(void);     /* tuple.c */
void py_list_clear_freelist(void);      /* list.c */

/* vm.c */
py_obj *py_frame_globals(py_frame *f);             /* borrowed */

/* errors.c */
void py_exc_set_name_obj(py_obj *name, py_obj *obj);
int py_exc_init_types(void);
void py_print_exception(py_obj *exc);     /* traceback + message to stderr, chained */
int py_traceback_here(py_obj *exc, py_frame *f);

extern py_type *py_exc_SystemError, *py_exc_Warning, *py_exc_ResourceWarning,
    *py_exc_DeprecationWarning, *py_exc_UserWarning, *py_exc_RuntimeWarning;
void py_exc_set_cause(py_obj *exc, py_obj *cause);       /* steals cause (may be NULL) */
void py_exc_set_context(py_obj *exc, py_obj *context);   /* steals context */
py_obj *py_exc_traceback(py_obj *exc);                   /* new ref or NULL */
py_obj *py_stopiteration_value(py_obj *exc);             /* new ref */
void py_err_set_exc_raw(py_obj *exc);                    /* steals; no __context__ linking */
int py_exc_add_to_builtins(py_obj *builtins);
void py_source_forget(void);
/* Anchors of a binary operator or subscript in a source segment, as byte
 * offsets into it (CPython 3.11's ~~~^^^ markers); false if none. */
bool py_traceback_anchors(const char *segment, size_t len, int *left, int *right);
/* ". Did you mean: 'x'?" for NameError/AttributeError, malloc'd, or NULL. */
char *py_suggestion(py_obj *exc, py_frame *f);
py_obj *py_unraisable_args(py_obj *exc, py_obj *where);

/* vm.c */
py_obj *py_eval_function(py_obj *func, py_obj *const *args, size_t nargs, py_obj *kwnames);
py_obj *py_run_code(py_obj *code, py_obj *globals, py_obj *locals, py_obj *closure);
py_obj *py_gen_send_ex(py_obj *it, py_obj *v, int *status);
int py_vm_init_stack(void);
void py_vm_fini_stack(void);
int py_list_extend_from(py_obj *list, py_obj *iterable);
/* A dict's version changes on every mutation (dict.c keeps it second, after
 * the size, in its object). */
typedef struct py_dict_head {
    tl_object ob;
    intptr_t used;
    uint64_t version;
} py_dict_head;
static inline uint64_t py_dict_version(const py_obj *d) { return ((const py_dict_head *)d)->version; }

/* module.c */
py_obj *py_import_from(py_obj *name, py_obj *fromlist);
int py_modules_init(void);
py_obj *py_run_file(const char *path, py_obj *mainmod);

/* builtins.c */
py_obj *py_ascii(py_obj *o);
int py_builtins_init(void);
py_obj *py_builtins_module(void);                   /* borrowed */

/* interp.c, the interpreter's life */
int py_init(int argc, char **argv, const char *script_dir);
void py_fini(void);
void py_release(void);
void py_teardown(void);                          /* teardown.c */
void py_type_register_static(py_type *t);
int py_run_main(const char *path, const char *command);
int py_handle_uncaught(void);
intptr_t py_visible_refcount(py_obj *o);

/* structseq.c: named tuples of the runtime */
py_type *py_structseq_type(const char *qualified_name, const char *const *fields, int nfields);
py_obj *py_structseq_new(py_type *t, py_obj **items, int n);   /* steals all nfields items */
/* A kind whose fields after the first nvisible are reachable by name only. */
py_type *py_structseq_type_hidden(const char *qualified_name, const char *const *fields, int nvisible,
                                  int nfields);

/* iter.c */
py_obj *py_seqiter_new(py_obj *seq);
py_obj *py_calliter_new(py_obj *callable, py_obj *sentinel);
extern py_type py_enumerate_type, py_zip_type, py_map_type, py_filter_type, py_reversed_type;
int py_iter_init(void);
py_obj *py_mappingproxy_new(py_obj *mapping);      /* read-only view */

/* builtins.c, fileio.c */
py_obj *bi_locals_impl(void);
py_obj *py_sequence_to_list_sorted(py_obj *iterable);    /* steals iterable */
py_obj *py_stdin_readline_for_input(void);
int py_fileio_init(void);

/* func.c */
typedef struct py_function {
    tl_object ob;
    py_obj *code, *globals, *builtins, *name, *qualname, *defaults, *kwdefaults,
        *closure, *dict, *module, *doc, *weaklist;
} py_function;
typedef struct py_cell {
    tl_object ob;
    py_obj *ref;
} py_cell;
py_obj *py_function_new(py_obj *code, py_obj *globals, py_obj *qualname);
py_obj *py_cell_new(py_obj *v);
py_obj *py_method_new(py_obj *func, py_obj *self);
extern py_type py_methoddescr_type;
py_obj *py_methoddescr_new(py_type *owner, const py_method_def *def);

#endif
