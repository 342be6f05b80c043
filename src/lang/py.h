/* py.h — the interpreter's object model on libtally: the contract between
 * the compiler, the VM and every built-in type.
 *
 * Every Python value is a tl_object * allocated from the VM's tl_heap. A
 * Python type is a py_type, which begins with libtally's tl_type (so the
 * library can dealloc, traverse and clear it) and adds the Python protocol
 * slots (repr, hash, richcompare, number, sequence, mapping, call, iter,
 * descriptors). Built-in types are static, immortal py_type structs; classes
 * made by `class` statements are heap types (objects of type `type`).
 *
 * Conventions (as in CPython's C API, which every Python C programmer knows):
 *   - A function returning tl_object * returns a NEW reference, or NULL with an
 *     exception set (py_err_*). A function returning int returns 0 (or a
 *     non-negative answer) on success and -1 with an exception set.
 *   - Arguments are BORROWED unless the name says "steal".
 *   - Calls use the vector convention: args[0..nargs-1] positional, then
 *     len(kwnames) keyword values; kwnames is a tuple of str or NULL.
 *   - py_None, py_True, py_False, small ints (-5..256), the empty tuple and
 *     the empty string are immortal singletons.
 *
 * One interpreter per process: py_vm (the global `vm`) holds its state.
 * Names: py_ for cross-file internals of src/lang; static helpers unprefixed.
 */
#ifndef TALLY_LANG_PY_H
#define TALLY_LANG_PY_H

#include "tally.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef tl_object py_obj;
typedef struct py_type py_type;

#define PY_LIKELY(x) __builtin_expect(!!(x), 1)
#define PY_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ------------------------------------------------------------------------- */
/* Types                                                                      */

typedef py_obj *(*py_unaryfunc)(py_obj *);
typedef py_obj *(*py_binaryfunc)(py_obj *, py_obj *);
typedef py_obj *(*py_ternaryfunc)(py_obj *, py_obj *, py_obj *);
typedef py_obj *(*py_vectorfunc)(py_obj *callable, py_obj *const *args, size_t nargs, py_obj *kwnames);

/* Binary operators, in BINARY_OP's argument order; INPLACE_x = x + PY_NB_INPLACE. */
enum py_nb_op {
    PY_NB_ADD, PY_NB_AND, PY_NB_FLOOR_DIVIDE, PY_NB_LSHIFT, PY_NB_MATRIX_MULTIPLY,
    PY_NB_MULTIPLY, PY_NB_REMAINDER, PY_NB_OR, PY_NB_POWER, PY_NB_RSHIFT,
    PY_NB_SUBTRACT, PY_NB_TRUE_DIVIDE, PY_NB_XOR,
    PY_NB_COUNT,
    PY_NB_INPLACE = PY_NB_COUNT   /* BINARY_OP arg >= this: in-place form */
};

/* Rich comparison operators (COMPARE_OP's argument). */
enum py_cmp_op { PY_LT, PY_LE, PY_EQ, PY_NE, PY_GT, PY_GE };

/* py_type.pyflags */
#define PY_TPFLAGS_HEAPTYPE      (1u << 0)  /* made by `class` (or type()) */
#define PY_TPFLAGS_BASETYPE      (1u << 1)  /* may be subclassed */
#define PY_TPFLAGS_INT_SUBCLASS  (1u << 2)  /* fast type checks, like CPython's */
#define PY_TPFLAGS_LIST_SUBCLASS (1u << 3)
#define PY_TPFLAGS_TUPLE_SUBCLASS (1u << 4)
#define PY_TPFLAGS_STR_SUBCLASS  (1u << 5)
#define PY_TPFLAGS_DICT_SUBCLASS (1u << 6)
#define PY_TPFLAGS_EXC_SUBCLASS  (1u << 7)  /* BaseException and subclasses */
#define PY_TPFLAGS_TYPE_SUBCLASS (1u << 8)
#define PY_TPFLAGS_INSTANCE      (1u << 9)  /* instances use the shape layout (instance.c) */
#define PY_TPFLAGS_METHOD_DESCR  (1u << 10) /* a descriptor that LOAD_METHOD may call unbound */

/* C methods and attributes of built-in types, installed into the type's dict
 * by py_type_ready. */
typedef struct py_method_def {
    const char *name;
    py_vectorfunc fn;       /* called with self as args[0] */
    const char *doc;
} py_method_def;

typedef struct py_getset_def {
    const char *name;
    py_obj *(*get)(py_obj *self);
    int (*set)(py_obj *self, py_obj *value);   /* NULL: read-only; value NULL: delete */
} py_getset_def;

struct py_type {
    tl_type tl;                  /* libtally's type: must come first */
    struct py_type *base;        /* layout base (object for most); NULL only for object */
    py_obj *bases;               /* tuple of direct bases */
    py_obj *mro;                 /* tuple: C3 linearization, self first */
    py_obj *dict;                /* str -> attribute; methods, descriptors, class attrs */
    py_obj *name;                /* str __name__ */
    py_obj *qualname;            /* str __qualname__ */
    py_obj *module;              /* str __module__ or NULL */
    uint32_t pyflags;            /* PY_TPFLAGS_* */
    uint32_t version;            /* changes when the type or a base changes (caches) */

    py_unaryfunc repr, str;
    intptr_t (*hash)(py_obj *);  /* -1 and an exception on error */
    py_obj *(*richcompare)(py_obj *a, py_obj *b, int op);   /* may return py_NotImplemented */
    py_obj *(*getattr)(py_obj *o, py_obj *name);            /* str name; AttributeError if absent */
    int (*setattr)(py_obj *o, py_obj *name, py_obj *value); /* value NULL: delete */
    py_vectorfunc call;
    py_unaryfunc iter;
    py_obj *(*iternext)(py_obj *);  /* NULL without an exception: exhausted */
    py_obj *(*descr_get)(py_obj *descr, py_obj *obj, py_obj *type);  /* obj may be NULL */
    int (*descr_set)(py_obj *descr, py_obj *obj, py_obj *value);     /* value NULL: delete */

    py_binaryfunc nb[PY_NB_COUNT];          /* binary ops: may return py_NotImplemented */
    py_binaryfunc nb_inplace[PY_NB_COUNT];  /* NULL: fall back to nb */
    py_ternaryfunc nb_power3;               /* pow(a, b, m) */
    py_unaryfunc nb_negative, nb_positive, nb_invert, nb_absolute;
    py_unaryfunc nb_int, nb_float, nb_index;
    int (*nb_bool)(py_obj *);               /* 0/1, -1 on error */

    intptr_t (*len)(py_obj *);              /* -1 on error */
    py_obj *(*getitem)(py_obj *o, py_obj *key);
    int (*setitem)(py_obj *o, py_obj *key, py_obj *value);  /* value NULL: delete */
    int (*contains)(py_obj *o, py_obj *v);  /* 0/1, -1 on error */
    py_obj *(*item)(py_obj *o, intptr_t i); /* fast integer index for sequences, or NULL */

    /* type(...)(args): new allocates and may fully build (immutables); init
     * then runs on the result if it is an instance of the type. */
    py_obj *(*tp_new)(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames);
    int (*tp_init)(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames);

    const py_method_def *methods;
    const py_getset_def *getsets;
    const char *doc;

    /* Instances of classes (PY_TPFLAGS_INSTANCE): see instance.c. */
    struct py_shape *root_shape;            /* shape of a fresh instance */
    uint32_t inline_slots;                  /* attribute slots allocated inline */
    int32_t inst_offset;                    /* offset of the instance part from the
                                               object: after the base type's layout,
                                               or negative, in the pre-header, when
                                               the base's items follow its header */
    py_obj *slots;                          /* __slots__ names (tuple of str), or NULL */
    py_obj *weaklist;                       /* weak references to this type object */
    py_obj *subclasses;                     /* list of weak references to direct
                                               subclasses, or NULL */
};

static inline py_type *py_type_of(const py_obj *o) { return (py_type *)o->type; }
static inline bool py_type_has(const py_obj *o, uint32_t flag) { return (py_type_of(o)->pyflags & flag) != 0; }

/* Declares a static built-in type; fill the rest with designated initializers:
 *   py_type py_list_type = { PY_TYPE_HEAD("list", sizeof(py_list), 0, TL_TYPE_GC), ... };
 * libtally slots go in the trailing arguments, which land inside .tl:
 *   PY_TYPE_HEAD("list", sizeof(py_list), 0, TL_TYPE_GC, .dealloc = list_dealloc,
 *                .traverse = list_traverse, .clear = list_clear) */
#define PY_TYPE_HEAD(nm, basic, item, tlflags, ...) \
    .tl = { .ob = TL_STATIC_HEAD(&py_type_type.tl), .name = (nm), .basic_size = (basic), \
            .item_size = (item), .flags = (tlflags), __VA_ARGS__ }

/* Readies a static type at start-up: fills base (object), mro, dict (from
 * methods/getsets), name, inherited slots. */
int py_type_ready(py_type *t);
bool py_type_is_subtype(const py_type *a, const py_type *b);
static inline bool py_isinstance_exact(const py_obj *o, const py_type *t) { return py_type_of(o) == t; }
static inline bool py_isinstance_of(const py_obj *o, const py_type *t)
{
    return py_type_of(o) == t || py_type_is_subtype(py_type_of(o), t);
}
/* Finds name along t's MRO (borrowed, or NULL; never sets an exception). */
py_obj *py_type_lookup(py_type *t, py_obj *name);

/* ------------------------------------------------------------------------- */
/* Built-in types and singletons (defined in the file named for each type)   */

extern py_type py_object_type, py_type_type, py_none_type, py_notimpl_type, py_ellipsis_type;
extern py_type py_int_type, py_bool_type, py_float_type, py_str_type, py_bytes_type;
extern py_type py_tuple_type, py_list_type, py_dict_type, py_set_type, py_frozenset_type;
extern py_type py_range_type, py_slice_type, py_function_type, py_code_type, py_cell_type;
extern py_type py_method_type, py_cfunction_type, py_module_type, py_generator_type;
extern py_type py_property_type, py_staticmethod_type, py_classmethod_type, py_super_type;
extern py_type py_base_exception_type;

extern py_obj py_none_obj, py_notimpl_obj, py_ellipsis_obj;
#define py_None (&py_none_obj)
#define py_NotImplemented (&py_notimpl_obj)
#define py_Ellipsis (&py_ellipsis_obj)
extern py_obj *py_True, *py_False;

static inline py_obj *py_newref(py_obj *o) { tl_incref(o); return o; }
static inline py_obj *py_xnewref(py_obj *o) { tl_xincref(o); return o; }
static inline py_obj *py_bool(bool b) { return py_newref(b ? py_True : py_False); }
#define py_RETURN_NONE return py_newref(py_None)

/* ------------------------------------------------------------------------- */
/* Interpreter state                                                          */

typedef struct py_frame py_frame;

typedef struct py_vm {
    tl_heap *heap;
    py_obj *builtins;            /* dict of the builtins module */
    py_obj *modules;             /* dict: sys.modules */
    py_obj *sysmod;              /* the sys module */
    py_obj *interned;            /* dict str -> str (interned strings, not counted) */
    py_obj *exc;                 /* the exception being raised (owned), or NULL */
    py_obj *exc_info;            /* the exception being handled (sys.exc_info), borrowed
                                    from the handler's stack, or NULL */
    py_frame *frame;             /* innermost executing frame */
    py_frame *frame_at_error;    /* unused by the VM; for error reports */
    int depth, recursion_limit;  /* Python call depth and its limit (default 1000) */
    py_obj **stack_base;         /* the value/locals data stack for frames */
    py_obj **stack_top, **stack_end;
    const char *main_path;       /* path of the script, for tracebacks */
    int argc;
    char **argv;
    bool interactive;
} py_vm;

extern py_vm vm;
static inline tl_heap *py_heap(void) { return vm.heap; }

/* ------------------------------------------------------------------------- */
/* Errors                                                                     */

extern py_type *py_exc_Exception, *py_exc_TypeError, *py_exc_ValueError, *py_exc_KeyError,
    *py_exc_IndexError, *py_exc_AttributeError, *py_exc_NameError, *py_exc_UnboundLocalError,
    *py_exc_ZeroDivisionError, *py_exc_OverflowError, *py_exc_RuntimeError,
    *py_exc_RecursionError, *py_exc_StopIteration, *py_exc_MemoryError,
    *py_exc_NotImplementedError, *py_exc_AssertionError, *py_exc_ImportError,
    *py_exc_ModuleNotFoundError, *py_exc_SyntaxError, *py_exc_IndentationError,
    *py_exc_SystemExit, *py_exc_KeyboardInterrupt, *py_exc_LookupError,
    *py_exc_ArithmeticError, *py_exc_UnicodeDecodeError, *py_exc_UnicodeEncodeError,
    *py_exc_UnicodeError, *py_exc_EOFError, *py_exc_OSError, *py_exc_FileNotFoundError,
    *py_exc_ReferenceError, *py_exc_GeneratorExit, *py_exc_StopAsyncIteration,
    *py_exc_BaseException, *py_exc_TabError, *py_exc_FloatingPointError,
    *py_exc_IsADirectoryError, *py_exc_PermissionError;

/* Set the current exception: an instance of type with a message (printf
 * format; %S inserts str(obj), %R repr(obj), %U a py str, %s/%d/%zd/%c as C). */
void py_err_format(py_type *type, const char *fmt, ...);
void py_err_set_object(py_type *type, py_obj *value);   /* value may be NULL */
void py_err_set_exc(py_obj *exc);                       /* steals exc (an instance) */
void py_err_no_memory(void);
bool py_err_occurred(void);
bool py_err_matches(py_type *type);     /* current exception is an instance of type */
py_obj *py_err_fetch(void);             /* takes the current exception (new ref) or NULL */
void py_err_clear(void);
/* SyntaxError (or IndentationError/TabError via type) at a source position;
 * lineno and col are 1-based; text is the offending line (may be NULL). */
void py_err_syntax(py_type *type, const char *msg, const char *filename,
                   int lineno, int col, int end_lineno, int end_col, const char *text);
/* Reports an exception that cannot propagate (in __del__, weakref callbacks,
 * gc callbacks): "Exception ignored in: <obj repr>" and the traceback. */
void py_err_write_unraisable(py_obj *where);
int py_err_bad_argument(const char *fn);

/* ------------------------------------------------------------------------- */
/* Generic object protocol (object.c)                                         */

py_obj *py_repr(py_obj *o);
py_obj *py_str(py_obj *o);
intptr_t py_hash(py_obj *o);
py_obj *py_richcompare(py_obj *a, py_obj *b, int op);
int py_richcompare_bool(py_obj *a, py_obj *b, int op);   /* identity shortcut for EQ/NE */
int py_truthy(py_obj *o);
py_obj *py_getattr(py_obj *o, py_obj *name);
py_obj *py_getattr_str(py_obj *o, const char *name);
/* Like py_getattr, but absence is not an error: 0 and *out NULL. */
int py_getattr_opt(py_obj *o, py_obj *name, py_obj **out);
int py_setattr(py_obj *o, py_obj *name, py_obj *value);
int py_delattr(py_obj *o, py_obj *name);
py_obj *py_generic_getattr(py_obj *o, py_obj *name);     /* object.__getattribute__ */
int py_generic_setattr(py_obj *o, py_obj *name, py_obj *value);
py_obj *py_getitem(py_obj *o, py_obj *key);
int py_setitem(py_obj *o, py_obj *key, py_obj *value);
int py_delitem(py_obj *o, py_obj *key);
intptr_t py_len(py_obj *o);
int py_contains(py_obj *container, py_obj *v);
py_obj *py_iter(py_obj *o);
py_obj *py_next(py_obj *it);    /* NULL without exception: exhausted */
py_obj *py_binary_op(py_obj *a, py_obj *b, int op);   /* op: enum py_nb_op, maybe + INPLACE */
py_obj *py_unary_negative(py_obj *o);
py_obj *py_unary_positive(py_obj *o);
py_obj *py_unary_invert(py_obj *o);
py_obj *py_call(py_obj *callable, py_obj *const *args, size_t nargs, py_obj *kwnames);
py_obj *py_call0(py_obj *callable);
py_obj *py_call1(py_obj *callable, py_obj *a);
py_obj *py_call2(py_obj *callable, py_obj *a, py_obj *b);
py_obj *py_call_tuple_dict(py_obj *callable, py_obj *args, py_obj *kwargs);  /* kwargs may be NULL */
py_obj *py_call_method(py_obj *self, const char *name, py_obj *const *args, size_t nargs);
py_obj *py_format(py_obj *value, py_obj *spec);          /* format(value, spec) */
int py_index(py_obj *o, intptr_t *out);                   /* __index__ to a C integer */
/* The type's name for messages ("int", "Node"). */
const char *py_type_name(const py_type *t);
py_obj *py_sequence_to_list(py_obj *iterable);            /* list(iterable) */
py_obj *py_sequence_to_tuple(py_obj *iterable);           /* tuple(iterable) */

/* ------------------------------------------------------------------------- */
/* Concrete types: constructors and fast accessors (each in its own file)     */

/* int.c: small values inline, arbitrary precision through GMP. */
py_obj *py_int_from_long(long long v);
py_obj *py_int_from_size(size_t v);
py_obj *py_int_from_literal(const char *text, size_t len);  /* Python int literal: 0x, 0o, 0b, _ */
py_obj *py_int_from_string(const char *text, size_t len, int base);  /* int(str, base) rules */
bool py_int_is_small(const py_obj *o);                       /* fits in long long */
long long py_int_as_long(py_obj *o, int *overflow);          /* overflow: -1/0/+1 */
intptr_t py_int_as_ssize(py_obj *o);                        /* -1 + OverflowError if too big */
double py_int_as_double(py_obj *o);                          /* OverflowError if too big */
py_obj *py_int_from_double(double d);                      /* int(d): truncated; errors for inf/nan */
static inline bool py_int_check(const py_obj *o) { return py_type_has(o, PY_TPFLAGS_INT_SUBCLASS); }

/* float.c */
py_obj *py_float_new(double v);
py_obj *py_float_from_literal(const char *text, size_t len);
py_obj *py_complex_from_literal(const char *text, size_t len);   /* complex.c: "4j" */
double py_float_value(const py_obj *o);
/* Shortest round-trip repr as CPython's float.__repr__ ("1.0", "1e+16", "inf"). */
size_t py_float_repr_buf(double v, char *buf, size_t size);

/* str.c: UTF-8 inside, length in code points, cached hash. */
py_obj *py_str_from_utf8(const char *s, size_t nbytes);      /* validates; UnicodeDecodeError */
py_obj *py_str_from_cstr(const char *s);
py_obj *py_str_from_format(const char *fmt, ...);             /* py_err_format's directives */
py_obj *py_str_intern(py_obj *s);                             /* steals s, returns the canonical one */
py_obj *py_str_interned(const char *s);                       /* borrowed, immortal; for names used from C */
const char *py_str_utf8(const py_obj *s);                     /* NUL-terminated */
size_t py_str_nbytes(const py_obj *s);
size_t py_str_len(const py_obj *s);                           /* code points */
bool py_str_equal(const py_obj *a, const py_obj *b);
bool py_str_equal_cstr(const py_obj *a, const char *s);
py_obj *py_str_concat(py_obj *a, py_obj *b);
py_obj *py_str_join(py_obj *sep, py_obj *iterable);
static inline bool py_str_check(const py_obj *o) { return py_type_has(o, PY_TPFLAGS_STR_SUBCLASS); }

/* bytes.c */
py_obj *py_bytes_new(const char *s, size_t n);
const char *py_bytes_data(const py_obj *b);
size_t py_bytes_len(const py_obj *b);

/* tuple.c: items inline. */
typedef struct py_tuple {
    tl_object ob;
    intptr_t size;
    py_obj *items[];
} py_tuple;
py_obj *py_tuple_new(size_t n);          /* items NULL, to be filled (stolen refs) */
py_obj *py_tuple_pack(size_t n, ...);    /* borrowed items */
py_obj *py_tuple_from_array(py_obj *const *items, size_t n);   /* borrowed items */
static inline py_obj **py_tuple_items(py_obj *t) { return ((py_tuple *)t)->items; }
static inline intptr_t py_tuple_size(const py_obj *t) { return ((const py_tuple *)t)->size; }
extern py_obj *py_empty_tuple;
/* Untracks a tuple that holds no object that may be tracked (the collector's
 * survivors hook, as CPython's _PyTuple_MaybeUntrack). */
void py_tuple_maybe_untrack(py_obj *t);

/* list.c */
typedef struct py_list {
    tl_object ob;
    intptr_t size;           /* items in use */
    py_obj **items;          /* heap block of `allocated` slots */
    intptr_t allocated;
} py_list;
py_obj *py_list_new(size_t n);           /* n None-free NULL slots of size n: fill them */
int py_list_append(py_obj *l, py_obj *v);
static inline py_obj **py_list_items(py_obj *l) { return ((py_list *)l)->items; }
static inline intptr_t py_list_size(const py_obj *l) { return ((const py_list *)l)->size; }
int py_list_sort(py_obj *l, py_obj *key, bool reverse);
void py_list_reverse_items(py_obj *l);

/* dict.c: insertion-ordered compact hash table. */
py_obj *py_dict_new(void);
py_obj *py_dict_get(py_obj *d, py_obj *key);            /* borrowed or NULL (no exception for absent;
                                                            exception possible from __eq__/__hash__:
                                                            check py_err_occurred) */
py_obj *py_dict_get_str(py_obj *d, const char *key);   /* borrowed or NULL */
int py_dict_set(py_obj *d, py_obj *key, py_obj *value);
int py_dict_set_str(py_obj *d, const char *key, py_obj *value);
int py_dict_del(py_obj *d, py_obj *key);                /* KeyError if absent */
int py_dict_pop_opt(py_obj *d, py_obj *key, py_obj **out); /* 1 found (new ref in *out), 0 absent */
intptr_t py_dict_size(const py_obj *d);
/* Iteration: pos starts at 0; returns false at the end. Borrowed key/value. */
bool py_dict_next(py_obj *d, intptr_t *pos, py_obj **key, py_obj **value);
int py_dict_update(py_obj *d, py_obj *other);            /* d.update(mapping or pairs) */
py_obj *py_dict_copy(py_obj *d);
/* Fast lookup for interned str keys (globals, builtins, type dicts). */
py_obj *py_dict_get_interned(py_obj *d, py_obj *key);
static inline bool py_dict_check(const py_obj *o) { return py_type_has(o, PY_TPFLAGS_DICT_SUBCLASS); }
void py_dict_maybe_untrack(py_obj *d);   /* the collector's full-collection hook */

/* set.c */
py_obj *py_set_new(py_obj *iterable);    /* iterable may be NULL */
py_obj *py_frozenset_new(py_obj *iterable);
int py_set_add(py_obj *s, py_obj *key);
int py_set_contains(py_obj *s, py_obj *key);
intptr_t py_set_size(const py_obj *s);
bool py_set_next(py_obj *s, intptr_t *pos, py_obj **key);

/* range.c, slice.c */
py_obj *py_slice_new(py_obj *start, py_obj *stop, py_obj *step);   /* borrowed; None for absent */
/* Resolves a slice against a length: CPython's PySlice_GetIndicesEx. */
int py_slice_indices(py_obj *slice, intptr_t length, intptr_t *start, intptr_t *stop,
                     intptr_t *step, intptr_t *slicelength);

/* cfunction.c: built-in functions and methods. */
py_obj *py_cfunction_new(const char *name, py_vectorfunc fn, py_obj *self, py_obj *module_name);
/* Argument parsing for C functions: checks count and keywords by name.
 * spec: names of parameters, "|" before optional ones, "$" before keyword-only,
 * e.g. "sep|end$file". out[i] receives a borrowed object or NULL if absent. */
int py_parse_args(const char *fname, py_obj *const *args, size_t nargs, py_obj *kwnames,
                  const char *spec, py_obj **out);

/* module.c */
py_obj *py_module_new(const char *name);
py_obj *py_module_dict(py_obj *m);
int py_module_add(py_obj *m, const char *name, py_obj *value);     /* steals value */
int py_module_add_functions(py_obj *m, const py_method_def *defs);
py_obj *py_import(py_obj *name);                                    /* import a module by name */

/* ------------------------------------------------------------------------- */
/* Reprs with recursion guard ([...] for self-containing lists)              */
int py_repr_enter(py_obj *o);   /* 1: already being repr'd */
void py_repr_leave(py_obj *o);

#endif
