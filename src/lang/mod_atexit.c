/* mod_atexit.c — the atexit module: functions to call at shutdown.
 *
 * Owns the registry: a list of (func, args, kwargs) tuples in registration
 * order. py_atexit_run (called by py_fini, before the exit-time collection)
 * and atexit._run_exitfuncs call them last-registered first and empty the
 * registry; a failing callback is reported as CPython does, "Exception
 * ignored in atexit callback: <repr of func>" and the traceback (through
 * sys.unraisablehook when a program set one), and the next one still runs.
 */
#include "py.h"
#include "lang_int.h"
#include "modmem.h"

static py_obj *registry;     /* list of (func, args, kwargs-or-None), strong */

#define MOD(name) static py_obj *ax_##name(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)

static int ensure_registry(void)
{
    if (!registry && !(registry = py_list_new(0)))
        return -1;
    return 0;
}

static py_obj *kwargs_dict(py_obj *const *values, py_obj *kwnames)
{
    intptr_t nk = kwnames ? py_tuple_size(kwnames) : 0;
    if (nk == 0)
        return py_newref(py_None);
    py_obj *d = py_dict_new();
    for (intptr_t i = 0; d && i < nk; i++)
        if (py_dict_set(d, py_tuple_items(kwnames)[i], values[i]) < 0)
            TL_CLEAR(d);
    return d;
}

MOD(register)
{
    if (nargs < 1) {
        py_err_format(py_exc_TypeError, "register() takes at least 1 argument (0 given)");
        return NULL;
    }
    if (!py_type_of(args[0])->call) {
        py_err_format(py_exc_TypeError, "the first argument must be callable");
        return NULL;
    }
    if (ensure_registry() < 0)
        return NULL;
    py_obj *pos = py_tuple_from_array(args + 1, nargs - 1);
    py_obj *kw = pos ? kwargs_dict(args + nargs, kwnames) : NULL;
    py_obj *entry = kw ? py_tuple_pack(3, args[0], pos, kw) : NULL;
    tl_xdecref(pos);
    tl_xdecref(kw);
    if (!entry)
        return NULL;
    int r = py_list_append(registry, entry);
    tl_decref(entry);
    return r < 0 ? NULL : py_newref(args[0]);
}

MOD(unregister)
{
    if (nargs != 1 || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "unregister() takes exactly one argument (%zd given)", (intptr_t)nargs);
        return NULL;
    }
    for (intptr_t i = registry ? py_list_size(registry) - 1 : -1; i >= 0; i--) {
        if (i >= py_list_size(registry))
            continue;
        py_obj *entry = py_newref(py_list_items(registry)[i]);
        int eq = py_richcompare_bool(py_tuple_items(entry)[0], args[0], PY_EQ);
        tl_decref(entry);
        if (eq < 0)
            return NULL;
        if (eq && i < py_list_size(registry)) {
            py_obj *idx = py_int_from_long(i);
            int r = idx ? py_delitem(registry, idx) : -1;
            tl_xdecref(idx);
            if (r < 0)
                return NULL;
        }
    }
    py_RETURN_NONE;
}

/* CPython's _PyErr_WriteUnraisableMsg("in atexit callback", func). */
static void report_failure(py_obj *func)
{
    py_obj *hook = vm.sysmod ? py_dict_get_str(py_module_dict(vm.sysmod), "unraisablehook") : NULL;
    if (hook && !py_isinstance_of(hook, &py_cfunction_type)) {
        py_obj *exc = py_err_fetch();
        py_obj *a = py_unraisable_args(exc, func);
        py_obj *msg = a ? py_str_from_cstr("Exception ignored in atexit callback") : NULL;
        py_obj *r = msg && py_setattr(a, py_str_interned("err_msg"), msg) == 0 ? py_call1(hook, a) : NULL;
        tl_xdecref(msg);
        tl_xdecref(a);
        tl_xdecref(exc);
        if (r) {
            tl_decref(r);
            return;
        }
    }
    py_obj *exc = py_err_fetch();
    if (!exc)
        return;
    fflush(stdout);
    py_obj *rep = py_repr(func);
    fprintf(stderr, "Exception ignored in atexit callback: %s\n", rep ? py_str_utf8(rep) : "<object repr() failed>");
    tl_xdecref(rep);
    py_err_clear();
    py_print_exception(exc);
    tl_decref(exc);
    fflush(stderr);
}

static void call_entry(py_obj *entry)
{
    py_obj *func = py_tuple_items(entry)[0], *kw = py_tuple_items(entry)[2];
    py_obj *r = py_call_tuple_dict(func, py_tuple_items(entry)[1], kw == py_None ? NULL : kw);
    if (!r)
        report_failure(func);
    tl_xdecref(r);
}

/* Runs and forgets every registered function, newest first. Functions
 * registered meanwhile run too. */
int py_atexit_run(void)
{
    py_obj *saved = py_err_fetch();
    while (registry && py_list_size(registry) > 0) {
        intptr_t last = py_list_size(registry) - 1;
        py_obj *entry = py_list_items(registry)[last];
        py_list_items(registry)[last] = NULL;
        ((py_list *)registry)->size = last;
        call_entry(entry);
        tl_decref(entry);
    }
    TL_CLEAR(registry);
    if (saved)
        py_err_set_exc_raw(saved);
    return 0;
}

MOD(_run_exitfuncs)
{
    py_atexit_run();
    py_RETURN_NONE;
}

MOD(_clear)
{
    TL_CLEAR(registry);
    py_RETURN_NONE;
}

MOD(_ncallbacks)
{
    return py_int_from_long(registry ? py_list_size(registry) : 0);
}

static const py_method_def atexit_functions[] = {
    {"register", ax_register, NULL},
    {"unregister", ax_unregister, NULL},
    {"_run_exitfuncs", ax__run_exitfuncs, NULL},
    {"_clear", ax__clear, NULL},
    {"_ncallbacks", ax__ncallbacks, NULL},
    {NULL, NULL, NULL},
};

py_obj *py_init_atexit(void)
{
    py_obj *m = py_module_new("atexit");
    if (m && py_module_add_functions(m, atexit_functions) < 0)
        TL_CLEAR(m);
    return m;
}
