/* mod_sys.c — the sys module: the interpreter's knobs and memory queries.
 *
 * getrefcount reports an object's count while the call holds its argument
 * (one more than the references the caller holds), as CPython does. An
 * immortal object's count is shown as CPython 3.11 shows its statically
 * allocated objects: 999999999 plus the references taken since start-up.
 */
#include "py.h"
#include "lang_int.h"
#include "frame.h"

#include <stdlib.h>

#define MOD(name) static py_obj *sys_##name(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)

static int one_arg(const char *fn, size_t nargs, py_obj *kwnames)
{
    if ((kwnames && py_tuple_size(kwnames)) || nargs != 1) {
        py_err_format(py_exc_TypeError, "%s() takes exactly one argument (%zd given)", fn, (intptr_t)nargs);
        return -1;
    }
    return 0;
}

intptr_t py_visible_refcount(py_obj *o)
{
    intptr_t rc = tl_refcount(o);
    if (tl_is_immortal(o))
        return rc - (tl_is_static(o) ? TL_STATIC_REFCOUNT : TL_IMMORTAL_REFCOUNT) + 999999999;
    return rc;
}

MOD(getrefcount)
{
    if (one_arg("getrefcount", nargs, kwnames) < 0)
        return NULL;
    return py_int_from_long(py_visible_refcount(args[0]));
}

MOD(getsizeof)
{
    py_obj *a[2];
    if (py_parse_args("getsizeof", args, nargs, kwnames, "object|default", a) < 0)
        return NULL;
    py_obj *m = py_lookup_special(a[0], "__sizeof__");
    if (!m) {
        if (py_err_occurred())
            return NULL;
        if (a[1])
            return py_newref(a[1]);
        py_err_format(py_exc_TypeError, "Type %s doesn't define __sizeof__", py_type_name(py_type_of(a[0])));
        return NULL;
    }
    py_obj *r = py_call0(m);
    tl_decref(m);
    if (!r)
        return NULL;
    if (!py_int_check(r)) {
        tl_decref(r);
        py_err_format(py_exc_TypeError, "an integer is required");
        return NULL;
    }
    intptr_t n = py_int_as_ssize(r);
    tl_decref(r);
    if (n < 0) {
        if (!py_err_occurred())
            py_err_format(py_exc_ValueError, "__sizeof__() should return >= 0");
        return NULL;
    }
    /* Plus what lies in front of the object, as CPython adds its pre-header. */
    n += (intptr_t)(tl_object_sizeof(a[0]) - py_object_own_size(a[0]));
    return py_int_from_long(n);
}

MOD(intern)
{
    if (one_arg("intern", nargs, kwnames) < 0)
        return NULL;
    if (py_str_check(args[0]) && !py_isinstance_exact(args[0], &py_str_type)) {
        py_err_format(py_exc_TypeError, "can't intern %s", py_type_name(py_type_of(args[0])));
        return NULL;
    }
    if (!py_isinstance_exact(args[0], &py_str_type)) {
        py_err_format(py_exc_TypeError, "intern() argument must be str, not %s", py_type_name(py_type_of(args[0])));
        return NULL;
    }
    return py_str_intern(py_newref(args[0]));
}

MOD(exit)
{
    py_obj *a[1];
    if (py_parse_args("exit", args, nargs, kwnames, "|status", a) < 0)
        return NULL;
    py_err_set_object(py_exc_SystemExit, a[0]);
    return NULL;
}

MOD(getrecursionlimit)
{
    if (nargs || (kwnames && py_tuple_size(kwnames)))
        return py_err_format(py_exc_TypeError, "getrecursionlimit() takes no arguments (%zd given)", (intptr_t)nargs), NULL;
    return py_int_from_long(vm.recursion_limit);
}

MOD(setrecursionlimit)
{
    if (one_arg("setrecursionlimit", nargs, kwnames) < 0)
        return NULL;
    if (!py_int_check(args[0]))
        return py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer", py_type_name(py_type_of(args[0]))), NULL;
    intptr_t n = py_int_as_ssize(args[0]);
    if (n == -1 && py_err_occurred())
        return NULL;
    if (n < 1) {
        py_err_format(py_exc_ValueError, "recursion limit must be greater or equal than 1");
        return NULL;
    }
    if (n <= vm.depth) {
        py_err_format(py_exc_RecursionError,
                      "cannot set the recursion limit to %zd at the recursion depth %d: the limit is too low",
                      n, vm.depth);
        return NULL;
    }
    vm.recursion_limit = n > 1000000 ? 1000000 : (int)n;
    py_RETURN_NONE;
}

MOD(getallocatedblocks)
{
    return py_int_from_size(tl_heap_blocks_in_use(vm.heap));
}

MOD(_debugmallocstats)
{
    fflush(stdout);
    tl_heap_print_stats(vm.heap, stderr);
    fflush(stderr);
    py_RETURN_NONE;
}

MOD(exc_info)
{
    py_obj *e = vm.exc_info;
    if (!e)
        return py_tuple_pack(3, py_None, py_None, py_None);
    py_obj *tb = py_exc_traceback(e);
    py_obj *t = py_tuple_pack(3, &py_type_of(e)->tl.ob, e, tb ? tb : py_None);
    tl_xdecref(tb);
    return t;
}

MOD(exception)
{
    return py_newref(vm.exc_info ? vm.exc_info : py_None);
}

MOD(_getframe)
{
    py_obj *a[1];
    if (py_parse_args("_getframe", args, nargs, kwnames, "|depth", a) < 0)
        return NULL;
    intptr_t depth = 0;
    if (a[0] && py_index(a[0], &depth) < 0)
        return NULL;
    py_frame *f = vm.frame;
    for (; f && depth > 0; depth--)
        f = f->back;
    if (!f) {
        py_err_format(py_exc_ValueError, "call stack is not deep enough");
        return NULL;
    }
    py_frameobj *fo = py_frame_object(f);
    return fo ? py_newref(&fo->ob) : NULL;
}

MOD(displayhook)
{
    if (one_arg("displayhook", nargs, kwnames) < 0)
        return NULL;
    py_obj *v = args[0];
    if (v == py_None)
        py_RETURN_NONE;
    if (py_dict_set_str(vm.builtins, "_", py_None) < 0)
        return NULL;
    py_obj *r = py_repr(v);
    if (!r)
        return NULL;
    py_obj *out = py_dict_get_str(py_module_dict(vm.sysmod), "stdout");
    py_obj *nl = py_str_from_cstr("\n");
    py_obj *w1 = out && nl ? py_call_method(out, "write", &r, 1) : NULL;
    py_obj *w2 = w1 ? py_call_method(out, "write", &nl, 1) : NULL;
    tl_xdecref(w1);
    tl_xdecref(w2);
    tl_decref(r);
    tl_xdecref(nl);
    if (!w2)
        return NULL;
    if (py_dict_set_str(vm.builtins, "_", v) < 0)
        return NULL;
    py_RETURN_NONE;
}

MOD(unraisablehook)
{
    if (one_arg("unraisablehook", nargs, kwnames) < 0)
        return NULL;
    py_obj *a = args[0];
    py_obj *exc = py_getattr_str(a, "exc_value"), *obj = exc ? py_getattr_str(a, "object") : NULL;
    if (!obj) {
        tl_xdecref(exc);
        return NULL;
    }
    fflush(stdout);
    if (obj != py_None) {
        py_obj *r = py_repr(obj);
        fprintf(stderr, "Exception ignored in: %s\n", r ? py_str_utf8(r) : "<object repr() failed>");
        tl_xdecref(r);
        py_err_clear();
    }
    if (exc != py_None)
        py_print_exception(exc);
    tl_decref(exc);
    tl_decref(obj);
    py_RETURN_NONE;
}

/* The argument of sys.unraisablehook: an object with exc_type, exc_value,
 * exc_traceback, err_msg and object attributes (a simple namespace). */
static py_type *ns_type;

void py_sys_fini(void)
{
    if (ns_type) {
        tl_decref(&ns_type->tl.ob);
        ns_type = NULL;
    }
}

py_obj *py_unraisable_args(py_obj *exc, py_obj *where)
{
    if (!ns_type) {
        py_obj *name = py_str_from_cstr("UnraisableHookArgs");
        py_obj *bases = py_tuple_new(0), *d = py_dict_new();
        ns_type = name && bases && d ? (py_type *)py_type_new_heap(&py_type_type, name, bases, d) : NULL;
        tl_xdecref(name);
        tl_xdecref(bases);
        tl_xdecref(d);
        if (!ns_type)
            return NULL;
    }
    py_obj *o = py_call0(&ns_type->tl.ob);
    if (!o)
        return NULL;
    py_obj *tb = py_exc_traceback(exc);
    int r = py_setattr(o, py_str_interned("exc_type"), &py_type_of(exc)->tl.ob);
    r |= py_setattr(o, py_str_interned("exc_value"), exc);
    r |= py_setattr(o, py_str_interned("exc_traceback"), tb ? tb : py_None);
    r |= py_setattr(o, py_str_interned("err_msg"), py_None);
    r |= py_setattr(o, py_str_interned("object"), where ? where : py_None);
    tl_xdecref(tb);
    if (r) {
        tl_decref(o);
        return NULL;
    }
    return o;
}

static const py_method_def sys_functions[] = {
    {"getrefcount", sys_getrefcount, NULL}, {"getsizeof", sys_getsizeof, NULL},
    {"intern", sys_intern, NULL}, {"exit", sys_exit, NULL},
    {"getrecursionlimit", sys_getrecursionlimit, NULL}, {"setrecursionlimit", sys_setrecursionlimit, NULL},
    {"getallocatedblocks", sys_getallocatedblocks, NULL}, {"_debugmallocstats", sys__debugmallocstats, NULL},
    {"exc_info", sys_exc_info, NULL}, {"exception", sys_exception, NULL}, {"_getframe", sys__getframe, NULL},
    {"displayhook", sys_displayhook, NULL}, {"unraisablehook", sys_unraisablehook, NULL},
    {"__displayhook__", sys_displayhook, NULL}, {"__unraisablehook__", sys_unraisablehook, NULL},
    {NULL, NULL, NULL},
};

py_obj *py_init_sys(void)
{
    return py_newref(vm.sysmod);
}

/* Builds sys at start-up (before any import). */
int py_sys_create(int argc, char **argv, const char *script_dir)
{
    py_obj *m = py_module_new("sys");
    if (!m)
        return -1;
    vm.sysmod = m;
    if (py_module_add_functions(m, sys_functions) < 0)
        return -1;
    py_obj *av = py_list_new(0);
    if (!av)
        return -1;
    for (int i = 0; i < argc; i++) {
        py_obj *s = py_str_from_cstr(argv[i]);
        if (!s || py_list_append(av, s) < 0)
            return -1;
        tl_decref(s);
    }
    if (py_module_add(m, "argv", av) < 0)
        return -1;
    py_obj *path = py_list_new(0), *dir = py_str_from_cstr(script_dir);
    if (!path || !dir || py_list_append(path, dir) < 0)
        return -1;
    tl_decref(dir);
    if (py_module_add(m, "path", path) < 0 ||
        py_module_add(m, "modules", py_newref(vm.modules)) < 0 ||
        py_module_add(m, "maxsize", py_int_from_long(INTPTR_MAX)) < 0 ||
        py_module_add(m, "platform", py_str_from_cstr("linux")) < 0 ||
        py_module_add(m, "byteorder", py_str_from_cstr("little")) < 0 ||
        py_module_add(m, "version", py_str_from_cstr("3.11.7 (tally " TALLY_VERSION ")")) < 0 ||
        py_module_add(m, "executable", py_str_from_cstr("tally")) < 0 ||
        py_module_add(m, "maxunicode", py_int_from_long(0x10FFFF)) < 0)
        return -1;
    static const char *const vi_fields[] = {"major", "minor", "micro", "releaselevel", "serial"};
    static py_type *vi_type;
    if (!vi_type && !(vi_type = py_structseq_type("sys.version_info", vi_fields, 5)))
        return -1;
    py_obj *items[5] = {py_int_from_long(3), py_int_from_long(11), py_int_from_long(7),
                        py_str_from_cstr("final"), py_int_from_long(0)};
    if (py_module_add(m, "version_info", py_structseq_new(vi_type, items, 5)) < 0)
        return -1;
    return py_dict_set_str(vm.modules, "sys", m);
}
