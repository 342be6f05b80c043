/* pylib.c — built-in modules written in Python.
 *
 * Every src/lang/lib/NAME.py is built into the interpreter as the module
 * NAME: at build time scripts/embed-pylib.sh turns all of them into one
 * generated C file (build/gen/pylib_sources.c, a generic Makefile rule)
 * holding each source as a byte array, and the table py_lib_sources that
 * this file reads. `import NAME` finds such a module before the C built-in
 * modules of module.c, so a module may be part C and part Python: the
 * Python file imports its C half under another name (lib/weakref.py runs
 * over _weakref). The body runs once, at first import, in a new module that
 * is in sys.modules meanwhile (as for source files); the source is compiled
 * with its repository path as file name.
 *
 * To add a module: drop NAME.py into src/lang/lib/ and rebuild.
 */
#include "py.h"
#include "lang_int.h"
#include "code.h"
#include "modmem.h"

struct py_lib_source {
    const char *name;        /* module name */
    const char *path;        /* source path in the repository (for tracebacks) */
    const char *text;        /* the source, NUL-terminated */
    size_t len;              /* bytes, without the NUL */
};

/* From the generated file; ends with a NULL name. Weak so that the library's
 * C tests, which link the interpreter's archive without it, still link. */
extern const struct py_lib_source py_lib_sources[];
#pragma weak py_lib_sources

static const struct py_lib_source *find_source(const char *name)
{
    if (!py_lib_sources)
        return NULL;
    for (const struct py_lib_source *s = py_lib_sources; s->name; s++)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

static int run_body(const struct py_lib_source *src, py_obj *m)
{
    py_obj *d = py_module_dict(m);
    if (py_dict_set_str(d, "__builtins__", vm.builtins) < 0)
        return -1;
    py_obj *code = py_compile(src->text, src->len, src->path, "exec");
    if (!code)
        return -1;
    py_obj *r = py_run_code(code, d, d, NULL);
    tl_decref(code);
    if (!r)
        return -1;
    tl_decref(r);
    return 0;
}

py_obj *py_lib_module(const char *name)
{
    const struct py_lib_source *src = find_source(name);
    if (!src)
        return NULL;
    py_obj *m = py_module_new(name);
    if (!m || py_dict_set_str(vm.modules, name, m) < 0) {
        tl_xdecref(m);
        return NULL;
    }
    if (run_body(src, m) < 0) {
        py_obj *exc = py_err_fetch();
        if (py_dict_get_str(vm.modules, name))
            py_dict_del(vm.modules, py_str_interned(name));
        py_err_clear();
        py_err_set_exc_raw(exc);
        tl_decref(m);
        return NULL;
    }
    return m;
}
