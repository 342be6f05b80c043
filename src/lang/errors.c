/* errors.c — exceptions: the built-in hierarchy, raising and fetching,
 * tracebacks and frame objects, and printing them as CPython 3.11 does.
 *
 * The exception being raised is vm.exc (owned). Setting one while another is
 * being handled (vm.exc_info) records that one as __context__, as CPython's
 * _PyErr_SetObject does. A traceback entry is added for each frame the
 * exception passes through (py_traceback_here, from the VM).
 *
 * Built-in exception types share one layout, py_exc; the attributes some of
 * them carry (StopIteration.value, SyntaxError.lineno, ...) and any a
 * program sets live in a small per-instance dict.
 */
#include "py.h"
#include "lang_int.h"
#include "frame.h"
#include "types_int.h"

#include <errno.h>
#include <stdlib.h>

typedef struct py_exc {
    tl_object ob;
    py_obj *args;            /* tuple */
    py_obj *traceback;       /* py_traceback or NULL */
    py_obj *context, *cause; /* or NULL */
    py_obj *dict;            /* extra attributes, or NULL */
    py_obj *weaklist;
    bool suppress_context;
} py_exc;

#define EXC(o) ((py_exc *)(o))

/* ---- the hierarchy ---------------------------------------------------------------- */

py_type *py_exc_Exception, *py_exc_TypeError, *py_exc_ValueError, *py_exc_KeyError,
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
    *py_exc_IsADirectoryError, *py_exc_PermissionError, *py_exc_SystemError,
    *py_exc_Warning, *py_exc_ResourceWarning, *py_exc_DeprecationWarning,
    *py_exc_UserWarning, *py_exc_RuntimeWarning, *py_exc_BufferError,
    *py_exc_FileExistsError, *py_exc_NotADirectoryError, *py_exc_TimeoutError,
    *py_exc_ConnectionError, *py_exc_BlockingIOError, *py_exc_ChildProcessError,
    *py_exc_InterruptedError, *py_exc_ProcessLookupError, *py_exc_UnicodeTranslateError,
    *py_exc_SyntaxWarning, *py_exc_FutureWarning, *py_exc_PendingDeprecationWarning,
    *py_exc_ImportWarning, *py_exc_UnicodeWarning, *py_exc_BytesWarning,
    *py_exc_EncodingWarning;

static const struct exc_def {
    const char *name;
    py_type **slot;
    py_type **base;
} exc_defs[] = {
    {"BaseException", &py_exc_BaseException, NULL},
    {"SystemExit", &py_exc_SystemExit, &py_exc_BaseException},
    {"KeyboardInterrupt", &py_exc_KeyboardInterrupt, &py_exc_BaseException},
    {"GeneratorExit", &py_exc_GeneratorExit, &py_exc_BaseException},
    {"Exception", &py_exc_Exception, &py_exc_BaseException},
    {"StopIteration", &py_exc_StopIteration, &py_exc_Exception},
    {"StopAsyncIteration", &py_exc_StopAsyncIteration, &py_exc_Exception},
    {"ArithmeticError", &py_exc_ArithmeticError, &py_exc_Exception},
    {"FloatingPointError", &py_exc_FloatingPointError, &py_exc_ArithmeticError},
    {"OverflowError", &py_exc_OverflowError, &py_exc_ArithmeticError},
    {"ZeroDivisionError", &py_exc_ZeroDivisionError, &py_exc_ArithmeticError},
    {"AssertionError", &py_exc_AssertionError, &py_exc_Exception},
    {"AttributeError", &py_exc_AttributeError, &py_exc_Exception},
    {"BufferError", &py_exc_BufferError, &py_exc_Exception},
    {"EOFError", &py_exc_EOFError, &py_exc_Exception},
    {"ImportError", &py_exc_ImportError, &py_exc_Exception},
    {"ModuleNotFoundError", &py_exc_ModuleNotFoundError, &py_exc_ImportError},
    {"LookupError", &py_exc_LookupError, &py_exc_Exception},
    {"IndexError", &py_exc_IndexError, &py_exc_LookupError},
    {"KeyError", &py_exc_KeyError, &py_exc_LookupError},
    {"MemoryError", &py_exc_MemoryError, &py_exc_Exception},
    {"NameError", &py_exc_NameError, &py_exc_Exception},
    {"UnboundLocalError", &py_exc_UnboundLocalError, &py_exc_NameError},
    {"OSError", &py_exc_OSError, &py_exc_Exception},
    {"BlockingIOError", &py_exc_BlockingIOError, &py_exc_OSError},
    {"ChildProcessError", &py_exc_ChildProcessError, &py_exc_OSError},
    {"ConnectionError", &py_exc_ConnectionError, &py_exc_OSError},
    {"FileExistsError", &py_exc_FileExistsError, &py_exc_OSError},
    {"FileNotFoundError", &py_exc_FileNotFoundError, &py_exc_OSError},
    {"InterruptedError", &py_exc_InterruptedError, &py_exc_OSError},
    {"IsADirectoryError", &py_exc_IsADirectoryError, &py_exc_OSError},
    {"NotADirectoryError", &py_exc_NotADirectoryError, &py_exc_OSError},
    {"PermissionError", &py_exc_PermissionError, &py_exc_OSError},
    {"ProcessLookupError", &py_exc_ProcessLookupError, &py_exc_OSError},
    {"TimeoutError", &py_exc_TimeoutError, &py_exc_OSError},
    {"ReferenceError", &py_exc_ReferenceError, &py_exc_Exception},
    {"RuntimeError", &py_exc_RuntimeError, &py_exc_Exception},
    {"NotImplementedError", &py_exc_NotImplementedError, &py_exc_RuntimeError},
    {"RecursionError", &py_exc_RecursionError, &py_exc_RuntimeError},
    {"SyntaxError", &py_exc_SyntaxError, &py_exc_Exception},
    {"IndentationError", &py_exc_IndentationError, &py_exc_SyntaxError},
    {"TabError", &py_exc_TabError, &py_exc_IndentationError},
    {"SystemError", &py_exc_SystemError, &py_exc_Exception},
    {"TypeError", &py_exc_TypeError, &py_exc_Exception},
    {"ValueError", &py_exc_ValueError, &py_exc_Exception},
    {"UnicodeError", &py_exc_UnicodeError, &py_exc_ValueError},
    {"UnicodeDecodeError", &py_exc_UnicodeDecodeError, &py_exc_UnicodeError},
    {"UnicodeEncodeError", &py_exc_UnicodeEncodeError, &py_exc_UnicodeError},
    {"UnicodeTranslateError", &py_exc_UnicodeTranslateError, &py_exc_UnicodeError},
    {"Warning", &py_exc_Warning, &py_exc_Exception},
    {"UserWarning", &py_exc_UserWarning, &py_exc_Warning},
    {"DeprecationWarning", &py_exc_DeprecationWarning, &py_exc_Warning},
    {"PendingDeprecationWarning", &py_exc_PendingDeprecationWarning, &py_exc_Warning},
    {"SyntaxWarning", &py_exc_SyntaxWarning, &py_exc_Warning},
    {"RuntimeWarning", &py_exc_RuntimeWarning, &py_exc_Warning},
    {"FutureWarning", &py_exc_FutureWarning, &py_exc_Warning},
    {"ImportWarning", &py_exc_ImportWarning, &py_exc_Warning},
    {"UnicodeWarning", &py_exc_UnicodeWarning, &py_exc_Warning},
    {"BytesWarning", &py_exc_BytesWarning, &py_exc_Warning},
    {"ResourceWarning", &py_exc_ResourceWarning, &py_exc_Warning},
    {"EncodingWarning", &py_exc_EncodingWarning, &py_exc_Warning},
};
#define NEXC (sizeof exc_defs / sizeof *exc_defs)
static py_type exc_types[NEXC];
py_type py_base_exception_type;   /* unused alias kept for py.h; BaseException is exc_types[0] */

/* ---- instances -------------------------------------------------------------------- */

static int exc_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_exc *e = EXC(o);
    py_obj *refs[] = {e->args, e->traceback, e->context, e->cause, e->dict};
    return py_visit_refs(refs, 5, visit, arg);
}

static void exc_clear(tl_object *o)
{
    py_exc *e = EXC(o);
    TL_CLEAR(e->args);
    TL_CLEAR(e->traceback);
    TL_CLEAR(e->context);
    TL_CLEAR(e->cause);
    TL_CLEAR(e->dict);
}

static void exc_dealloc(tl_object *o)
{
    tl_gc_untrack(o);
    if (EXC(o)->weaklist)
        py_weakref_clear_all(o);
    exc_clear(o);
    tl_object_free(o);
}

static py_obj *exc_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *o = (t->pyflags & PY_TPFLAGS_INSTANCE) ? py_instance_alloc(t) : tl_object_new(vm.heap, &t->tl);
    if (!o)
        return py_err_occurred() ? NULL : (py_err_no_memory(), NULL);
    EXC(o)->args = py_tuple_from_array(args, nargs);
    if (!EXC(o)->args) {
        tl_decref(o);
        return NULL;
    }
    return o;
}

static int set_attr(py_obj *o, const char *name, py_obj *v)
{
    py_exc *e = EXC(o);
    if (!e->dict && !(e->dict = py_dict_new()))
        return -1;
    return py_dict_set_str(e->dict, name, v ? v : py_None);
}

static py_obj *get_attr(py_obj *o, const char *name)
{
    py_exc *e = EXC(o);
    py_obj *v = e->dict ? py_dict_get_str(e->dict, name) : NULL;
    return v ? v : py_None;
}

static bool is_type(py_obj *o, py_type *t) { return py_type_is_subtype(py_type_of(o), t); }

/* UnicodeEncodeError(encoding, object, start, end, reason) and its decode
   twin: the five arguments become attributes, which str() formats. */
static int unicode_error_init(py_obj *self, py_obj *const *args, size_t nargs)
{
    static const char *const keys[] = {"encoding", "object", "start", "end", "reason"};
    bool enc = is_type(self, py_exc_UnicodeEncodeError);
    if (nargs != 5) {
        py_err_format(py_exc_TypeError, "function takes exactly 5 arguments (%zd given)", (intptr_t)nargs);
        return -1;
    }
    if (!py_str_check(args[0]) || !py_int_check(args[2]) || !py_int_check(args[3]) ||
        !py_str_check(args[4]) ||
        !(enc ? py_str_check(args[1]) : py_isinstance_of(args[1], &py_bytes_type))) {
        py_err_format(py_exc_TypeError, "argument %d must be %s", !py_str_check(args[0]) ? 1
                      : !py_int_check(args[2]) ? 3 : !py_int_check(args[3]) ? 4
                      : !py_str_check(args[4]) ? 5 : 2,
                      !py_str_check(args[0]) || !py_str_check(args[4]) || (enc && !py_str_check(args[1])) ? "str"
                      : !py_int_check(args[2]) || !py_int_check(args[3]) ? "int" : "bytes-like object");
        return -1;
    }
    for (int i = 0; i < 5; i++)
        if (set_attr(self, keys[i], args[i]) < 0)
            return -1;
    return 0;
}

static py_obj *unicode_error_str(py_obj *self)
{
    bool enc = is_type(self, py_exc_UnicodeEncodeError);
    py_obj *obj = get_attr(self, "object"), *st = get_attr(self, "start"), *en = get_attr(self, "end");
    if (obj == py_None || !py_int_check(st) || !py_int_check(en))
        return py_str_from_cstr("");
    intptr_t start = py_int_as_ssize(st), end = py_int_as_ssize(en);
    if (py_err_occurred())
        return NULL;
    py_obj *e = get_attr(self, "encoding"), *reason = get_attr(self, "reason");
    intptr_t len = enc ? (intptr_t)py_str_len(obj) : (intptr_t)py_bytes_len(obj);
    if (start < 0 || start >= len || end != start + 1)
        return py_str_from_format("'%S' codec can't %s in position %zd-%zd: %S", e,
                                  enc ? "encode characters" : "decode bytes", start, end - 1, reason);
    if (!enc)
        return py_str_from_format("'%S' codec can't decode byte 0x%02x in position %zd: %S", e,
                                  (unsigned)(unsigned char)py_bytes_data(obj)[start], start, reason);
    py_obj *ch = py_str_substr(obj, start, start + 1);
    if (!ch)
        return NULL;
    const unsigned char *cp = (const unsigned char *)py_str_utf8(ch);
    uint32_t c = py_utf8_next(&cp);
    tl_decref(ch);
    const char *fmt = c <= 0xFF ? "'%S' codec can't encode character '\\x%02x' in position %zd: %S"
                    : c <= 0xFFFF ? "'%S' codec can't encode character '\\u%04x' in position %zd: %S"
                                  : "'%S' codec can't encode character '\\U%08x' in position %zd: %S";
    return py_str_from_format(fmt, e, c, start, reason);
}

/* Subtype attributes set from the constructor's arguments, as CPython does. */
static int exc_init(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_exc *e = EXC(self);
    if (kwnames && py_tuple_size(kwnames) && !(py_type_of(self)->pyflags & PY_TPFLAGS_HEAPTYPE) &&
        !is_type(self, py_exc_ImportError)) {
        py_err_format(py_exc_TypeError, "%s() takes no keyword arguments", py_type_name(py_type_of(self)));
        return -1;
    }
    py_obj *t = py_tuple_from_array(args, nargs);
    if (!t)
        return -1;
    tl_setref(&e->args, t);
    py_obj *a0 = nargs ? args[0] : NULL;
    if (is_type(self, py_exc_StopIteration))
        return set_attr(self, "value", a0);
    if (is_type(self, py_exc_SystemExit))
        return set_attr(self, "code", nargs > 1 ? t : a0);
    if (is_type(self, py_exc_ImportError)) {
        if (set_attr(self, "msg", nargs == 1 ? a0 : NULL) < 0)
            return -1;
        py_obj *kw[2] = {NULL, NULL};
        for (intptr_t i = 0; kwnames && i < py_tuple_size(kwnames); i++) {
            py_obj *k = py_tuple_items(kwnames)[i];
            if (py_str_equal_cstr(k, "name"))
                kw[0] = args[nargs + (size_t)i];
            else if (py_str_equal_cstr(k, "path"))
                kw[1] = args[nargs + (size_t)i];
            else {
                py_err_format(py_exc_TypeError, "'%U' is an invalid keyword argument for %s()", k,
                              py_type_name(py_type_of(self)));
                return -1;
            }
        }
        return set_attr(self, "name", kw[0]) < 0 ? -1 : set_attr(self, "path", kw[1]);
    }
    if (is_type(self, py_exc_SyntaxError)) {
        if (set_attr(self, "msg", a0) < 0)
            return -1;
        if (nargs == 2 && py_isinstance_of(args[1], &py_tuple_type)) {
            static const char *const keys[] = {"filename", "lineno", "offset", "text", "end_lineno", "end_offset"};
            py_obj *info = args[1];
            for (intptr_t i = 0; i < 6; i++)
                if (set_attr(self, keys[i], i < py_tuple_size(info) ? py_tuple_items(info)[i] : NULL) < 0)
                    return -1;
        }
        return 0;
    }
    if (is_type(self, py_exc_OSError) && nargs >= 2) {
        if (set_attr(self, "errno", args[0]) < 0 || set_attr(self, "strerror", args[1]) < 0)
            return -1;
        return set_attr(self, "filename", nargs > 2 ? args[2] : NULL);
    }
    if (is_type(self, py_exc_UnicodeEncodeError) || is_type(self, py_exc_UnicodeDecodeError))
        return unicode_error_init(self, args, nargs);
    return 0;
}

static py_obj *exc_str(py_obj *self)
{
    py_exc *e = EXC(self);
    intptr_t n = e->args ? py_tuple_size(e->args) : 0;
    if (is_type(self, py_exc_KeyError) && n == 1)
        return py_repr(py_tuple_items(e->args)[0]);
    if (is_type(self, py_exc_SyntaxError)) {
        py_obj *msg = get_attr(self, "msg"), *fn = get_attr(self, "filename"), *ln = get_attr(self, "lineno");
        py_obj *m = msg == py_None ? NULL : py_str(msg);
        if (msg != py_None && !m)
            return NULL;
        py_obj *r;
        if (py_str_check(fn) && ln != py_None) {
            const char *base = strrchr(py_str_utf8(fn), '/');
            r = py_str_from_format("%S (%s, line %S)", m ? m : py_None, base ? base + 1 : py_str_utf8(fn), ln);
        } else if (ln != py_None) {
            r = py_str_from_format("%S (line %S)", m ? m : py_None, ln);
        } else {
            r = m ? py_newref(m) : py_str_from_cstr("None");
        }
        tl_xdecref(m);
        return r;
    }
    if (is_type(self, py_exc_OSError) && n >= 2) {
        py_obj *fn = get_attr(self, "filename");
        if (fn != py_None)
            return py_str_from_format("[Errno %S] %S: %R", py_tuple_items(e->args)[0], py_tuple_items(e->args)[1], fn);
        return py_str_from_format("[Errno %S] %S", py_tuple_items(e->args)[0], py_tuple_items(e->args)[1]);
    }
    if (is_type(self, py_exc_UnicodeEncodeError) || is_type(self, py_exc_UnicodeDecodeError))
        return unicode_error_str(self);
    if (n == 0)
        return py_str_from_cstr("");
    if (n == 1)
        return py_str(py_tuple_items(e->args)[0]);
    return py_str(e->args);
}

static py_obj *exc_repr(py_obj *self)
{
    py_exc *e = EXC(self);
    const char *name = py_type_name(py_type_of(self));
    if (e->args && py_tuple_size(e->args) == 1)
        return py_str_from_format("%s(%R)", name, py_tuple_items(e->args)[0]);
    return py_str_from_format("%s%R", name, e->args ? e->args : py_empty_tuple);
}

static py_obj *exc_getattr(py_obj *self, py_obj *name)
{
    py_obj *r = py_generic_getattr(self, name);
    if (r || !py_err_matches(py_exc_AttributeError))
        return r;
    py_exc *e = EXC(self);
    py_obj *v = e->dict ? py_dict_get(e->dict, name) : NULL;
    if (!v)
        return NULL;
    py_err_clear();
    return py_newref(v);
}

static int exc_setattr(py_obj *self, py_obj *name, py_obj *value)
{
    py_type *t = py_type_of(self);
    py_obj *descr = py_type_lookup(t, name);
    if ((descr && py_type_of(descr)->descr_set) || (t->pyflags & PY_TPFLAGS_INSTANCE))
        return py_generic_setattr(self, name, value);
    py_exc *e = EXC(self);
    if (!e->dict && !(e->dict = py_dict_new()))
        return -1;
    if (value)
        return py_dict_set(e->dict, name, value);
    return py_dict_del(e->dict, name);
}

static py_obj *get_args(py_obj *o) { return py_newref(EXC(o)->args ? EXC(o)->args : py_empty_tuple); }
static int set_args(py_obj *o, py_obj *v)
{
    py_obj *t = v ? py_sequence_to_tuple(v) : NULL;
    if (!t)
        return -1;
    tl_setref(&EXC(o)->args, t);
    return 0;
}
static py_obj *get_tb(py_obj *o) { return py_newref(EXC(o)->traceback ? EXC(o)->traceback : py_None); }
static int set_tb(py_obj *o, py_obj *v)
{
    if (v && v != py_None && !py_isinstance_exact(v, &py_traceback_type)) {
        py_err_format(py_exc_TypeError, "__traceback__ must be a traceback or None");
        return -1;
    }
    tl_setref(&EXC(o)->traceback, v && v != py_None ? py_newref(v) : NULL);
    return 0;
}
static py_obj *get_context(py_obj *o) { return py_newref(EXC(o)->context ? EXC(o)->context : py_None); }
static int set_context(py_obj *o, py_obj *v)
{
    tl_setref(&EXC(o)->context, v && v != py_None ? py_newref(v) : NULL);
    return 0;
}
static py_obj *get_cause(py_obj *o) { return py_newref(EXC(o)->cause ? EXC(o)->cause : py_None); }
static int set_cause(py_obj *o, py_obj *v)
{
    tl_setref(&EXC(o)->cause, v && v != py_None ? py_newref(v) : NULL);
    EXC(o)->suppress_context = true;
    return 0;
}
static py_obj *get_suppress(py_obj *o) { return py_bool(EXC(o)->suppress_context); }
static int set_suppress(py_obj *o, py_obj *v)
{
    int t = v ? py_truthy(v) : 0;
    if (t < 0)
        return -1;
    EXC(o)->suppress_context = t;
    return 0;
}

static py_obj *exc_m_with_traceback(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 2 || set_tb(a[0], a[1]) < 0)
        return NULL;
    return py_newref(a[0]);
}

static const py_method_def exc_methods[] = {
    {"with_traceback", exc_m_with_traceback, NULL},
    {NULL, NULL, NULL},
};

static const py_getset_def exc_getsets[] = {
    {"args", get_args, set_args},
    {"__traceback__", get_tb, set_tb},
    {"__context__", get_context, set_context},
    {"__cause__", get_cause, set_cause},
    {"__suppress_context__", get_suppress, set_suppress},
    {NULL, NULL, NULL},
};

static void memerr_dealloc(tl_object *o);
static void memerr_reserve_fill(void);

int py_exc_init_types(void)
{
    for (size_t i = 0; i < NEXC; i++) {
        py_type *t = &exc_types[i];
        tl_object_init_static(&t->tl.ob, &py_type_type.tl);
        t->tl.name = exc_defs[i].name;
        t->tl.basic_size = sizeof(py_exc);
        t->tl.flags = TL_TYPE_GC;
        t->tl.dealloc = exc_dealloc;
        t->tl.traverse = exc_traverse;
        t->tl.clear = exc_clear;
        t->tl.weaklist_offset = offsetof(py_exc, weaklist);
        t->base = exc_defs[i].base ? *exc_defs[i].base : &py_object_type;
        t->pyflags = PY_TPFLAGS_BASETYPE | PY_TPFLAGS_EXC_SUBCLASS;
        if (i == 0) {
            t->repr = exc_repr;
            t->str = exc_str;
            t->getattr = exc_getattr;
            t->setattr = exc_setattr;
            t->tp_new = exc_new;
            t->tp_init = exc_init;
            t->methods = exc_methods;
            t->getsets = exc_getsets;
        }
        *exc_defs[i].slot = t;
        if (py_type_ready(t) < 0)
            return -1;
    }
    py_exc_MemoryError->tl.dealloc = memerr_dealloc;
    memerr_reserve_fill();
    return 0;
}

int py_exc_add_to_builtins(py_obj *builtins)
{
    for (size_t i = 0; i < NEXC; i++)
        if (py_dict_set_str(builtins, exc_defs[i].name, &exc_types[i].tl.ob) < 0)
            return -1;
    return py_dict_set_str(builtins, "IOError", &py_exc_OSError->tl.ob) < 0 ? -1 :
           py_dict_set_str(builtins, "EnvironmentError", &py_exc_OSError->tl.ob);
}

/* ---- exception attributes from C --------------------------------------------------------- */

void py_exc_set_cause(py_obj *exc, py_obj *cause)
{
    tl_setref(&EXC(exc)->cause, cause);
    EXC(exc)->suppress_context = true;
}

void py_exc_set_context(py_obj *exc, py_obj *context)
{
    tl_setref(&EXC(exc)->context, context);
}

py_obj *py_exc_traceback(py_obj *exc) { return py_xnewref(EXC(exc)->traceback); }

void py_exc_set_name_obj(py_obj *name, py_obj *obj)
{
    if (!vm.exc)
        return;
    /* A MemoryError raised by set_attr replaces vm.exc: hold the exception
     * (and so its dict) until set_attr has returned. */
    py_obj *exc = py_newref(vm.exc);
    if (set_attr(exc, "name", name) == 0 && obj)
        set_attr(exc, "obj", obj);
    tl_decref(exc);
}

py_obj *py_stopiteration_value(py_obj *exc)
{
    py_obj *v = get_attr(exc, "value");
    return py_newref(v);
}

/* ---- raising --------------------------------------------------------------------------------- */

/* Links the handled exception as __context__, cutting any cycle it would make. */
static void set_context_from_handled(py_obj *exc)
{
    py_obj *handled = vm.exc_info;
    if (!handled || handled == exc)
        return;
    for (py_obj *o = handled; o; o = EXC(o)->context)
        if (EXC(o)->context == exc) {
            TL_CLEAR(EXC(o)->context);
            break;
        }
    tl_setref(&EXC(exc)->context, py_newref(handled));
}

void py_err_set_exc_raw(py_obj *exc)
{
    tl_setref(&vm.exc, exc);
}

void py_err_set_exc(py_obj *exc)
{
    set_context_from_handled(exc);
    py_err_set_exc_raw(exc);
}

void py_err_set_object(py_type *type, py_obj *value)
{
    py_obj *exc = value ? py_call1(&type->tl.ob, value) : py_call0(&type->tl.ob);
    if (exc)
        py_err_set_exc(exc);
}

void py_err_format(py_type *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    py_obj *msg = py_str_from_vformat(fmt, ap);
    va_end(ap);
    if (!msg)
        return;
    py_err_set_object(type, msg);
    tl_decref(msg);
}

/* MemoryError instances. Each raise gets an instance of its own, so that it
 * carries its own traceback: first from a small reserve (refilled as
 * MemoryErrors die, as CPython's free list is), then from the heap; only
 * when both fail is the static instance raised, which allocates nothing and
 * so collects no traceback. Reserved instances are untracked, refcount 0. */
#define MEMERR_RESERVE 8
static py_exc *memerr_reserve[MEMERR_RESERVE];
static int nmemerr_reserve;
static bool memerr_closed;        /* teardown: dying MemoryErrors are freed */
static py_exc memory_error_obj;   /* the last resort: raising it allocates nothing */

static void memerr_dealloc(tl_object *o)
{
    if (py_type_of(o) != py_exc_MemoryError || nmemerr_reserve == MEMERR_RESERVE || memerr_closed) {
        exc_dealloc(o);
        return;
    }
    tl_gc_untrack(o);
    if (EXC(o)->weaklist)
        py_weakref_clear_all(o);
    exc_clear(o);
    EXC(o)->suppress_context = false;
    memerr_reserve[nmemerr_reserve++] = EXC(o);
}

/* Fills the reserve at start-up; failing to is not an error. */
static void memerr_reserve_fill(void)
{
    memerr_closed = false;
    while (nmemerr_reserve < MEMERR_RESERVE) {
        tl_object *o = tl_object_new_untracked(vm.heap, &py_exc_MemoryError->tl, 0);
        if (!o)
            return;
        o->refcount = 0;
        memerr_reserve[nmemerr_reserve++] = EXC(o);
    }
}

static py_obj *memerr_instance(void)
{
    tl_object *o;
    if (nmemerr_reserve) {
        o = &memerr_reserve[--nmemerr_reserve]->ob;
        o->refcount = 1;
        tl_gc_track(o);
    } else if (!(o = tl_object_new(vm.heap, &py_exc_MemoryError->tl))) {
        return NULL;
    }
    EXC(o)->args = py_newref(py_empty_tuple);
    return o;
}

void py_err_no_memory(void)
{
    /* Before the exception types exist (start-up) there is nothing to raise:
     * the caller's error return makes py_init() fail. */
    if (!py_exc_MemoryError)
        return;
    py_obj *e = memerr_instance();
    if (e) {
        py_err_set_exc_raw(e);
        return;
    }
    if (!memory_error_obj.ob.type) {
        tl_object_init_static(&memory_error_obj.ob, &py_exc_MemoryError->tl);
        memory_error_obj.args = py_empty_tuple;
    }
    TL_CLEAR(memory_error_obj.traceback);
    TL_CLEAR(memory_error_obj.context);
    py_err_set_exc_raw(py_newref(&memory_error_obj.ob));
}

bool py_err_occurred(void) { return vm.exc != NULL; }

/* Teardown: the preallocated MemoryError drops what it may still refer to. */
void py_errors_fini(void)
{
    TL_CLEAR(memory_error_obj.traceback);
    TL_CLEAR(memory_error_obj.context);
    TL_CLEAR(memory_error_obj.cause);
    TL_CLEAR(memory_error_obj.dict);
    memerr_closed = true;
    while (nmemerr_reserve)
        tl_object_free(&memerr_reserve[--nmemerr_reserve]->ob);
}

bool py_err_matches(py_type *type)
{
    return vm.exc && py_type_is_subtype(py_type_of(vm.exc), type);
}

py_obj *py_err_fetch(void)
{
    py_obj *e = vm.exc;
    vm.exc = NULL;
    return e;
}

void py_err_clear(void) { TL_CLEAR(vm.exc); }

int py_err_bad_argument(const char *fn)
{
    py_err_format(py_exc_TypeError, "bad argument type for built-in operation");
    (void)fn;
    return -1;
}

void py_err_syntax(py_type *type, const char *msg, const char *filename, int lineno, int col,
                   int end_lineno, int end_col, const char *text)
{
    py_obj *m = py_str_from_cstr(msg);
    py_obj *fn = py_str_from_cstr(filename ? filename : "<unknown>");
    py_obj *ln = py_int_from_long(lineno), *off = py_int_from_long(col);
    py_obj *eln = py_int_from_long(end_lineno), *eoff = py_int_from_long(end_col);
    py_obj *tx = text ? py_str_from_utf8(text, strlen(text)) : py_newref(py_None);
    if (!tx) {
        py_err_clear();
        tx = py_newref(py_None);
    }
    if (m && fn && ln && off && eln && eoff) {
        py_obj *info = py_tuple_pack(6, fn, ln, off, tx, eln, eoff);
        py_obj *args[2] = {m, info};
        py_obj *e = info ? py_call(&type->tl.ob, args, 2, NULL) : NULL;
        tl_xdecref(info);
        if (e)
            py_err_set_exc(e);
    }
    tl_xdecref(m);
    tl_xdecref(fn);
    tl_xdecref(ln);
    tl_xdecref(off);
    tl_xdecref(eln);
    tl_xdecref(eoff);
    tl_xdecref(tx);
}

/* ---- frame objects and tracebacks -------------------------------------------------------------- */

int32_t py_code_line(const py_code *co, int32_t lasti)
{
    if (!co->positions || lasti < 0 || lasti >= co->ninstrs)
        return co->firstlineno;
    return co->positions[lasti].lineno;
}

py_frameobj *py_frame_object(py_frame *f)
{
    if (f->frameobj)
        return f->frameobj;
    py_frameobj *fo = (py_frameobj *)tl_object_new(vm.heap, &py_frame_type.tl);
    if (!fo)
        return NULL;
    fo->live = f;
    fo->code = (py_code *)py_newref(&f->code->ob);
    fo->globals = py_newref(f->globals);
    f->frameobj = fo;      /* the creation reference is the frame's own, dropped
                              when the frame exits (frame_detach_object) */
    if (f->back) {
        py_frameobj *b = py_frame_object(f->back);
        /* Out of memory for the caller's frame object: no error was set,
         * and the exception being raised (vm.exc) must stay. */
        if (b)
            fo->back = (py_frameobj *)py_newref(&b->ob);
    }
    return fo;
}

static int frame_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_frameobj *fo = (py_frameobj *)o;
    int r;
    if (fo->globals && (r = visit(fo->globals, arg)))
        return r;
    if (fo->back && (r = visit(&fo->back->ob, arg)))
        return r;
    if (fo->locals_map && (r = visit(fo->locals_map, arg)))
        return r;
    for (int32_t i = 0; i < fo->nlocals; i++)
        if (fo->locals[i] && (r = visit(fo->locals[i], arg)))
            return r;
    return 0;
}

static void frame_obj_clear(tl_object *o)
{
    py_frameobj *fo = (py_frameobj *)o;
    for (int32_t i = 0; i < fo->nlocals; i++)
        TL_CLEAR(fo->locals[i]);
    TL_CLEAR(fo->locals_map);
    py_obj *b = fo->back ? &fo->back->ob : NULL;
    fo->back = NULL;
    tl_xdecref(b);
}

static void frame_obj_dealloc(tl_object *o)
{
    py_frameobj *fo = (py_frameobj *)o;
    tl_gc_untrack(o);
    frame_obj_clear(o);
    tl_heap_free(fo->locals);
    TL_CLEAR(fo->globals);
    py_obj *co = &fo->code->ob;
    fo->code = NULL;
    tl_xdecref(co);
    tl_object_free(o);
}

static int32_t frameobj_lasti(py_frameobj *fo) { return fo->live ? fo->live->lasti : fo->lasti; }

static py_obj *frame_get_lineno(py_obj *o)
{
    py_frameobj *fo = (py_frameobj *)o;
    return py_int_from_long(py_code_line(fo->code, frameobj_lasti(fo)));
}
static py_obj *frame_get_code(py_obj *o) { return py_newref(&((py_frameobj *)o)->code->ob); }
static py_obj *frame_get_globals(py_obj *o) { return py_newref(((py_frameobj *)o)->globals); }
static py_obj *frame_get_back(py_obj *o)
{
    py_frameobj *b = ((py_frameobj *)o)->back;
    return py_newref(b ? &b->ob : py_None);
}
static py_obj *frame_get_locals(py_obj *o)
{
    py_frameobj *fo = (py_frameobj *)o;
    if (fo->live && fo->live->locals)
        return py_newref(fo->live->locals);
    if (fo->locals_map)
        return py_newref(fo->locals_map);
    py_obj *d = py_dict_new();
    if (!d)
        return NULL;
    py_obj **vals = fo->live ? fo->live->localsplus : fo->locals;
    int32_t n = fo->live ? fo->code->nlocals : (fo->nlocals < fo->code->nlocals ? fo->nlocals : fo->code->nlocals);
    for (int32_t i = 0; vals && i < n; i++)
        if (vals[i] && py_dict_set(d, py_tuple_items(fo->code->localsplusnames)[i], vals[i]) < 0) {
            tl_decref(d);
            return NULL;
        }
    return d;
}

static const py_getset_def frame_getsets[] = {
    {"f_lineno", frame_get_lineno, NULL},
    {"f_code", frame_get_code, NULL},
    {"f_globals", frame_get_globals, NULL},
    {"f_back", frame_get_back, NULL},
    {"f_locals", frame_get_locals, NULL},
    {NULL, NULL, NULL},
};

static py_obj *frame_repr(py_obj *o)
{
    py_frameobj *fo = (py_frameobj *)o;
    return py_str_from_format("<frame at %p, file '%U', line %d, code %U>", (void *)o, fo->code->filename,
                              py_code_line(fo->code, frameobj_lasti(fo)), fo->code->name);
}

py_type py_frame_type = {
    PY_TYPE_HEAD("frame", sizeof(py_frameobj), 0, TL_TYPE_GC, .dealloc = frame_obj_dealloc,
                 .traverse = frame_traverse, .clear = frame_obj_clear),
    .repr = frame_repr,
    .getsets = frame_getsets,
};

static int tb_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_traceback *tb = (py_traceback *)o;
    int r;
    if (tb->next && (r = visit(&tb->next->ob, arg)))
        return r;
    return tb->frame ? visit(&tb->frame->ob, arg) : 0;
}

static void tb_clear(tl_object *o)
{
    py_traceback *tb = (py_traceback *)o;
    py_obj *n = tb->next ? &tb->next->ob : NULL, *f = tb->frame ? &tb->frame->ob : NULL;
    tb->next = NULL;
    tb->frame = NULL;
    tl_xdecref(n);
    tl_xdecref(f);
}

static py_obj *tb_get_next(py_obj *o)
{
    py_traceback *n = ((py_traceback *)o)->next;
    return py_newref(n ? &n->ob : py_None);
}
static py_obj *tb_get_frame(py_obj *o) { return py_newref(&((py_traceback *)o)->frame->ob); }
static py_obj *tb_get_lineno(py_obj *o) { return py_int_from_long(((py_traceback *)o)->lineno); }
static py_obj *tb_get_lasti(py_obj *o) { return py_int_from_long(((py_traceback *)o)->lasti * 2); }

static const py_getset_def tb_getsets[] = {
    {"tb_next", tb_get_next, NULL},
    {"tb_frame", tb_get_frame, NULL},
    {"tb_lineno", tb_get_lineno, NULL},
    {"tb_lasti", tb_get_lasti, NULL},
    {NULL, NULL, NULL},
};

py_type py_traceback_type = {
    PY_TYPE_HEAD("traceback", sizeof(py_traceback), 0, TL_TYPE_GC, .traverse = tb_traverse,
                 .clear = tb_clear),
    .getsets = tb_getsets,
};

int py_traceback_here(py_obj *exc, py_frame *f)
{
    if (!exc || !py_type_has(exc, PY_TPFLAGS_EXC_SUBCLASS) || exc == &memory_error_obj.ob)
        return 0;
    py_frameobj *fo = py_frame_object(f);
    if (!fo)
        return -1;
    py_traceback *tb = (py_traceback *)tl_object_new(vm.heap, &py_traceback_type.tl);
    if (!tb)
        return -1;
    tb->frame = (py_frameobj *)py_newref(&fo->ob);
    tb->lasti = f->lasti;
    tb->lineno = py_code_line(f->code, f->lasti);
    tb->next = (py_traceback *)EXC(exc)->traceback;
    EXC(exc)->traceback = &tb->ob;
    return 0;
}

/* ---- printing ------------------------------------------------------------------------------------ */

/* Source lines, read once per file. */
static struct source_file {
    char *path;
    char *text;
    size_t len;
} sources[16];

static const char *source_line(const char *path, int lineno, size_t *len)
{
    struct source_file *s = NULL;
    for (int i = 0; i < 16 && sources[i].path; i++)
        if (strcmp(sources[i].path, path) == 0)
            s = &sources[i];
    if (!s) {
        int i = 0;
        while (i < 15 && sources[i].path)
            i++;
        FILE *f = fopen(path, "rb");
        if (!f)
            return NULL;
        free(sources[i].path);
        free(sources[i].text);
        s = &sources[i];
        s->path = strdup(path);
        s->text = NULL;
        s->len = 0;
        char buf[8192];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
            char *t = realloc(s->text, s->len + n + 1);
            if (!t)
                break;
            s->text = t;
            memcpy(s->text + s->len, buf, n);
            s->len += n;
        }
        fclose(f);
        if (!s->text)
            return NULL;
        s->text[s->len] = 0;
    }
    const char *p = s->text, *end = s->text + s->len;
    for (int l = 1; l < lineno && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    if (p >= end)
        return NULL;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (*len && p[*len - 1] == '\r')
        (*len)--;
    return p;
}

void py_source_forget(void)
{
    for (int i = 0; i < 16; i++) {
        free(sources[i].path);
        free(sources[i].text);
        sources[i].path = sources[i].text = NULL;
    }
}

/* Code points in the first n bytes of UTF-8 text. */
static int char_offset(const char *s, int n)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static void print_carets(FILE *out, const char *line, size_t len, int indent, const py_position *pos)
{
    if (pos->col < 0 || pos->end_col < 0 || pos->end_lineno < pos->lineno)
        return;
    int start = pos->col, end = pos->end_lineno == pos->lineno ? pos->end_col : (int)len;
    if (start > (int)len || end > (int)len || end < start)
        return;
    /* Trim trailing whitespace of a multi-line segment's first line. */
    if (pos->end_lineno != pos->lineno)
        while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t'))
            end--;
    int left = -1, right = -1;
    if (pos->end_lineno == pos->lineno)
        py_traceback_anchors(line + start, (size_t)(end - start), &left, &right);
    int stripped_len = char_offset(line + indent, (int)len - indent);
    int s = char_offset(line, start), e = char_offset(line, end), ind = char_offset(line, indent);
    bool anchored = left >= 0 && right > left;
    if (!(e - s < stripped_len || anchored))
        return;
    fprintf(out, "    %*s", s - ind, "");
    for (int i = 0; i < e - s; i++) {
        int ci = i;
        if (anchored) {
            int l = char_offset(line + start, left), r = char_offset(line + start, right);
            fputc(ci >= l && ci < r ? '^' : '~', out);
        } else {
            fputc('^', out);
        }
    }
    fputc('\n', out);
}

static void print_tb_entry(FILE *out, py_traceback *tb)
{
    py_code *co = tb->frame->code;
    const char *file = py_str_utf8(co->filename);
    fprintf(out, "  File \"%s\", line %d, in %s\n", file, tb->lineno, py_str_utf8(co->name));
    size_t len;
    const char *line = source_line(file, tb->lineno, &len);
    if (!line)
        return;
    int indent = 0;
    while ((size_t)indent < len && (line[indent] == ' ' || line[indent] == '\t' || line[indent] == '\f'))
        indent++;
    size_t end = len;
    while (end > (size_t)indent && (line[end - 1] == ' ' || line[end - 1] == '\t'))
        end--;
    if (end == (size_t)indent)
        return;
    fprintf(out, "    %.*s\n", (int)(end - (size_t)indent), line + indent);
    if (co->positions && tb->lasti >= 0 && tb->lasti < co->ninstrs)
        print_carets(out, line, end, indent, &co->positions[tb->lasti]);
}

/* CPython collapses runs of the same frame line: after 3 repeats it prints
 * "[Previous line repeated N more times]". */
static void print_traceback(FILE *out, py_traceback *tb)
{
    fputs("Traceback (most recent call last):\n", out);
    py_code *last_code = NULL;
    int last_line = -1, count = 0;
    for (; tb; tb = tb->next) {
        py_code *co = tb->frame->code;
        if (co == last_code && tb->lineno == last_line) {
            count++;
            if (count > 3)
                continue;
        } else {
            if (count > 3)
                fprintf(out, "  [Previous line repeated %d more time%s]\n", count - 3, count - 3 == 1 ? "" : "s");
            last_code = co;
            last_line = tb->lineno;
            count = 1;
        }
        print_tb_entry(out, tb);
    }
    if (count > 3)
        fprintf(out, "  [Previous line repeated %d more time%s]\n", count - 3, count - 3 == 1 ? "" : "s");
}

static void print_syntax_error_detail(FILE *out, py_obj *exc)
{
    py_obj *fn = get_attr(exc, "filename"), *ln = get_attr(exc, "lineno"), *text = get_attr(exc, "text");
    py_obj *off = get_attr(exc, "offset"), *eoff = get_attr(exc, "end_offset"), *eln = get_attr(exc, "end_lineno");
    if (py_str_check(fn) && py_int_check(ln))
        fprintf(out, "  File \"%s\", line %lld\n", py_str_utf8(fn), (long long)py_int_as_ssize(ln));
    if (!py_str_check(text))
        return;
    const char *t = py_str_utf8(text);
    size_t len = strlen(t);
    while (len && (t[len - 1] == '\n' || t[len - 1] == '\r' || t[len - 1] == ' '))
        len--;
    size_t ind = 0;
    while (ind < len && (t[ind] == ' ' || t[ind] == '\t' || t[ind] == '\f'))
        ind++;
    fprintf(out, "    %.*s\n", (int)(len - ind), t + ind);
    if (!py_int_check(off))
        return;
    long long o = py_int_as_ssize(off), e = py_int_check(eoff) ? py_int_as_ssize(eoff) : o + 1;
    if (py_int_check(eln) && py_int_check(ln) && py_int_as_ssize(eln) != py_int_as_ssize(ln))
        e = (long long)len + 1;
    if (o < 1)
        return;
    if (e <= o)
        e = o + 1;
    /* Offsets are 1-based and count the indentation that was stripped: a
     * caret left of the text (an unexpected indent) is not printed.
     * IndentationError points at one character. */
    long long col = (long long)char_offset(t, (int)(o - 1 < (long long)len ? o - 1 : (long long)len)) -
                    char_offset(t, (int)ind);
    if (o - 1 < (long long)ind)
        return;
    long long width = is_type(exc, py_exc_IndentationError) ? 1 : e - o;
    fprintf(out, "    %*s", (int)col, "");
    for (long long i = 0; i < width; i++)
        fputc('^', out);
    fputc('\n', out);
}

static void print_exception_line(FILE *out, py_obj *exc)
{
    py_type *t = py_type_of(exc);
    py_obj *mod = NULL;
    if (t->module && py_str_check(t->module) && !py_str_equal_cstr(t->module, "builtins") &&
        !py_str_equal_cstr(t->module, "__main__"))
        mod = t->module;
    bool syntax = is_type(exc, py_exc_SyntaxError);
    if (syntax)
        print_syntax_error_detail(out, exc);
    py_obj *s = syntax ? NULL : py_str(exc);
    if (syntax) {
        py_obj *msg = get_attr(exc, "msg");
        s = msg == py_None ? NULL : py_str(msg);
    }
    if (!s)
        py_err_clear();
    if (mod)
        fprintf(out, "%s.", py_str_utf8(mod));
    const char *name = t->qualname && py_str_check(t->qualname) ? py_str_utf8(t->qualname) : py_type_name(t);
    char *hint = NULL;
    if (is_type(exc, py_exc_NameError) || is_type(exc, py_exc_AttributeError))
        hint = py_suggestion(exc, vm.frame_at_error);
    if (s && py_str_nbytes(s))
        fprintf(out, "%s: %s%s\n", name, py_str_utf8(s), hint ? hint : "");
    else
        fprintf(out, "%s%s%s\n", name, hint ? ": " : "", hint ? hint + 2 : "");
    free(hint);
    tl_xdecref(s);
}

/* The chain is printed oldest first, each cause or context before the
 * exception it led to; a seen set stops cycles. */
static void print_chain(FILE *out, py_obj *exc, py_obj **seen, int nseen)
{
    for (int i = 0; i < nseen; i++)
        if (seen[i] == exc)
            return;
    if (nseen < 64)
        seen[nseen++] = exc;
    py_exc *e = EXC(exc);
    if (e->cause) {
        print_chain(out, e->cause, seen, nseen);
        fputs("\nThe above exception was the direct cause of the following exception:\n\n", out);
    } else if (e->context && !e->suppress_context) {
        print_chain(out, e->context, seen, nseen);
        fputs("\nDuring handling of the above exception, another exception occurred:\n\n", out);
    }
    if (e->traceback)
        print_traceback(out, (py_traceback *)e->traceback);
    print_exception_line(out, exc);
}

void py_print_exception(py_obj *exc)
{
    fflush(stdout);
    py_obj *seen[64];
    if (py_type_has(exc, PY_TPFLAGS_EXC_SUBCLASS))
        print_chain(stderr, exc, seen, 0);
    fflush(stderr);
}

void py_err_write_unraisable(py_obj *where)
{
    py_obj *exc = py_err_fetch();
    if (!exc)
        return;
    py_obj *hook = vm.sysmod ? py_dict_get_str(py_module_dict(vm.sysmod), "unraisablehook") : NULL;
    if (hook && !py_isinstance_of(hook, &py_cfunction_type)) {
        py_obj *args = py_unraisable_args(exc, where);
        py_obj *r = args ? py_call1(hook, args) : NULL;
        tl_xdecref(args);
        if (r) {
            tl_decref(r);
            tl_decref(exc);
            return;
        }
        py_err_clear();
    }
    fflush(stdout);
    if (where) {
        py_obj *r = py_repr(where);
        fprintf(stderr, "Exception ignored in: %s\n", r ? py_str_utf8(r) : "<object repr() failed>");
        tl_xdecref(r);
        py_err_clear();
    }
    py_print_exception(exc);
    tl_decref(exc);
}
