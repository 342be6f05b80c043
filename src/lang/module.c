/* module.c — module objects and the import system.
 *
 * A module is a dict of globals with a name. `import x` looks in
 * sys.modules, then the built-in modules (each made by its init function on
 * first import), then x.py in each directory of sys.path (the script's
 * directory first). A module being imported is in sys.modules before its
 * code runs, so circular imports see the partly built module, as in CPython.
 */
#include "py.h"
#include "lang_int.h"
#include "code.h"
#include "types_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

typedef struct py_module {
    tl_object ob;
    py_obj *dict;
    py_obj *weaklist;
} py_module;

py_obj *py_module_new(const char *name)
{
    py_module *m = (py_module *)tl_object_new(vm.heap, &py_module_type.tl);
    if (!m)
        return py_err_no_memory(), NULL;
    py_obj *n = py_str_from_cstr(name);
    if (!n || !(m->dict = py_dict_new()) || py_dict_set_str(m->dict, "__name__", n) < 0 ||
        py_dict_set_str(m->dict, "__doc__", py_None) < 0) {
        tl_xdecref(n);
        tl_decref(&m->ob);
        return NULL;
    }
    tl_decref(n);
    return &m->ob;
}

py_obj *py_module_dict(py_obj *m) { return ((py_module *)m)->dict; }

int py_module_add(py_obj *m, const char *name, py_obj *value)
{
    if (!value)
        return -1;
    int r = py_dict_set_str(py_module_dict(m), name, value);
    tl_decref(value);
    return r;
}

int py_module_add_functions(py_obj *m, const py_method_def *defs)
{
    py_obj *name = py_dict_get_str(py_module_dict(m), "__name__");
    for (; defs->name; defs++)
        if (py_module_add(m, defs->name, py_cfunction_new(defs->name, defs->fn, m, name)) < 0)
            return -1;
    return 0;
}

static int module_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_module *m = (py_module *)o;
    return m->dict ? visit(m->dict, arg) : 0;
}

static void module_clear(tl_object *o) { TL_CLEAR(((py_module *)o)->dict); }

static py_obj *module_getattr(py_obj *o, py_obj *name)
{
    py_module *m = (py_module *)o;
    py_obj *descr = py_type_lookup(&py_module_type, name);
    if (descr && py_type_of(descr)->descr_set)
        return py_type_of(descr)->descr_get(descr, o, &py_module_type.tl.ob);
    py_obj *v = m->dict ? py_dict_get(m->dict, name) : NULL;
    if (v)
        return py_newref(v);
    if (descr)
        return py_type_of(descr)->descr_get ? py_type_of(descr)->descr_get(descr, o, &py_module_type.tl.ob)
                                            : py_newref(descr);
    py_obj *mn = m->dict ? py_dict_get_str(m->dict, "__name__") : NULL;
    if (mn && py_str_check(mn))
        py_err_format(py_exc_AttributeError, "module '%U' has no attribute '%U'", mn, name);
    else
        py_err_format(py_exc_AttributeError, "module has no attribute '%U'", name);
    py_exc_set_name_obj(name, o);
    return NULL;
}

static int module_setattr(py_obj *o, py_obj *name, py_obj *value)
{
    py_module *m = (py_module *)o;
    if (value)
        return py_dict_set(m->dict, name, value);
    if (py_dict_del(m->dict, name) < 0) {
        py_err_clear();
        py_obj *mn = py_dict_get_str(m->dict, "__name__");
        py_err_format(py_exc_AttributeError, "module '%S' has no attribute '%U'", mn ? mn : py_None, name);
        return -1;
    }
    return 0;
}

static py_obj *module_repr(py_obj *o)
{
    py_obj *d = py_module_dict(o);
    py_obj *name = py_dict_get_str(d, "__name__"), *file = py_dict_get_str(d, "__file__");
    if (file)
        return py_str_from_format("<module %R from %R>", name ? name : py_None, file);
    return py_str_from_format("<module %R (built-in)>", name ? name : py_None);
}

static py_obj *module_get_dict(py_obj *o) { return py_newref(py_module_dict(o)); }

static const py_getset_def module_getsets[] = {
    {"__dict__", module_get_dict, NULL},
    {NULL, NULL, NULL},
};

py_type py_module_type = {
    PY_TYPE_HEAD("module", sizeof(py_module), 0, TL_TYPE_GC, .traverse = module_traverse,
                 .clear = module_clear, .weaklist_offset = offsetof(py_module, weaklist)),
    .pyflags = PY_TPFLAGS_BASETYPE,
    .getattr = module_getattr,
    .setattr = module_setattr,
    .repr = module_repr,
    .getsets = module_getsets,
};

/* ---- built-in modules ------------------------------------------------------------------ */

typedef py_obj *(*module_init_fn)(void);
py_obj *py_init_sys(void);
py_obj *py_init_gc(void);
py_obj *py_init_math(void);
py_obj *py_init_time(void);
py_obj *py_init_random(void);
py_obj *py_init_weakref(void);
py_obj *py_init_ctypes(void);
py_obj *py_init_tracemalloc(void);
py_obj *py_init_atexit(void);

static const struct {
    const char *name;
    module_init_fn init;
} builtin_modules[] = {
    {"sys", py_init_sys},
    {"gc", py_init_gc},
    {"math", py_init_math},
    {"time", py_init_time},
    {"random", py_init_random},
    {"weakref", py_init_weakref},
    {"_weakref", py_init_weakref},
    {"ctypes", py_init_ctypes},
    {"tracemalloc", py_init_tracemalloc},
    {"_tracemalloc", py_init_tracemalloc},
    {"atexit", py_init_atexit},
};

/* Weak so that a build without some module still links; an absent one is
 * simply not importable. */
#pragma weak py_init_gc
#pragma weak py_init_math
#pragma weak py_init_time
#pragma weak py_init_random
#pragma weak py_init_weakref
#pragma weak py_init_ctypes
#pragma weak py_init_tracemalloc
#pragma weak py_init_atexit

py_obj *py_lib_module(const char *name);   /* pylib.c: modules written in Python */
#pragma weak py_lib_module

static py_obj *builtin_module(const char *name)
{
    py_obj *m = py_lib_module ? py_lib_module(name) : NULL;
    if (m || py_err_occurred())
        return m;
    for (size_t i = 0; i < sizeof builtin_modules / sizeof *builtin_modules; i++)
        if (strcmp(builtin_modules[i].name, name) == 0 && builtin_modules[i].init)
            return builtin_modules[i].init();
    return NULL;
}

/* ---- source files ----------------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
            } else {
                buf = b;
            }
        }
    }
    fclose(f);
    if (buf)
        *len = n;
    return buf;
}

/* Source files are read as UTF-8 (no other encoding is declared or read):
 * one that is not gets CPython's SyntaxError, which names the first bad
 * byte and its line, before anything of it is compiled. */
static int check_source_utf8(const char *src, size_t len, const char *path)
{
    size_t bad = py_utf8_valid_prefix(src, len, NULL);
    if (bad == len)
        return 0;
    int line = 1;
    for (size_t i = 0; i < bad; i++)
        line += src[i] == '\n';
    char byte[8];
    snprintf(byte, sizeof byte, "\\x%02x", (unsigned char)src[bad]);
    char *full = realpath(path, NULL);     /* CPython names the file by its full path */
    py_err_format(py_exc_SyntaxError,
                  "Non-UTF-8 code starting with '%s' in file %s on line %d, but no encoding "
                  "declared; see https://peps.python.org/pep-0263/ for details", byte,
                  full ? full : path, line);
    free(full);
    return -1;
}

/* Compiles and runs path's code in module m's dict. */
static int exec_file_in(const char *path, py_obj *m)
{
    size_t len;
    char *src = read_file(path, &len);
    if (!src) {
        py_err_format(py_exc_OSError, "could not read %s", path);
        return -1;
    }
    if (check_source_utf8(src, len, path) < 0) {
        free(src);
        return -1;
    }
    py_obj *code = py_compile(src, len, path, "exec");
    free(src);
    if (!code)
        return -1;
    py_obj *d = py_module_dict(m);
    if (!py_dict_get_str(d, "__builtins__") && py_dict_set_str(d, "__builtins__", vm.builtins) < 0) {
        tl_decref(code);
        return -1;
    }
    py_obj *r = py_run_code(code, d, d, NULL);
    tl_decref(code);
    if (!r)
        return -1;
    tl_decref(r);
    return 0;
}

py_obj *py_run_file(const char *path, py_obj *mainmod)
{
    py_obj *p = py_str_from_cstr(path);
    if (!p || py_dict_set_str(py_module_dict(mainmod), "__file__", p) < 0) {
        tl_xdecref(p);
        return NULL;
    }
    tl_decref(p);
    if (exec_file_in(path, mainmod) < 0)
        return NULL;
    py_RETURN_NONE;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static py_obj *find_source_module(py_obj *name)
{
    py_obj *path = py_dict_get_str(py_module_dict(vm.sysmod), "path");
    if (!path || !py_isinstance_of(path, &py_list_type))
        return NULL;
    for (intptr_t i = 0; i < py_list_size(path); i++) {
        py_obj *dir = py_list_items(path)[i];
        if (!py_str_check(dir))
            continue;
        const char *d = py_str_utf8(dir);
        size_t need = strlen(d) + py_str_nbytes(name) + 8;
        char *file = malloc(need);
        if (!file)
            return py_err_no_memory(), NULL;
        snprintf(file, need, "%s%s%s.py", d, *d ? "/" : "", py_str_utf8(name));
        if (is_file(file)) {
            py_obj *m = py_module_new(py_str_utf8(name));
            py_obj *fp = m ? py_str_from_cstr(file) : NULL;
            free(file);
            if (!fp || py_dict_set_str(py_module_dict(m), "__file__", fp) < 0 ||
                py_dict_set(vm.modules, name, m) < 0) {
                tl_xdecref(fp);
                tl_xdecref(m);
                return NULL;
            }
            int r = exec_file_in(py_str_utf8(fp), m);
            tl_decref(fp);
            if (r < 0) {
                py_obj *saved = py_err_fetch();
                if (py_dict_get(vm.modules, name))
                    py_dict_del(vm.modules, name);
                py_err_clear();
                py_err_set_exc_raw(saved);
                tl_decref(m);
                return NULL;
            }
            /* The module as left in sys.modules (it may have replaced itself). */
            py_obj *final = py_dict_get(vm.modules, name);
            py_obj *res = py_newref(final ? final : m);
            tl_decref(m);
            return res;
        }
        free(file);
    }
    return NULL;
}

py_obj *py_import(py_obj *name)
{
    py_obj *m = py_dict_get(vm.modules, name);
    if (m)
        return py_newref(m);
    m = builtin_module(py_str_utf8(name));
    if (m) {
        if (py_dict_set(vm.modules, name, m) < 0) {
            tl_decref(m);
            return NULL;
        }
        return m;
    }
    if (py_err_occurred())
        return NULL;
    m = find_source_module(name);
    if (m || py_err_occurred())
        return m;
    py_err_format(py_exc_ModuleNotFoundError, "No module named '%U'", name);
    return NULL;
}

py_obj *py_import_from(py_obj *name, py_obj *fromlist)
{
    /* Dotted names: import each part; `import a.b` binds a, `from a.b import c` uses a.b. */
    const char *dot = strchr(py_str_utf8(name), '.');
    if (!dot)
        return py_import(name);
    py_obj *head = py_str_from_utf8(py_str_utf8(name), (size_t)(dot - py_str_utf8(name)));
    py_obj *top = head ? py_import(head) : NULL;
    tl_xdecref(head);
    if (!top)
        return NULL;
    py_obj *full = py_import(name);
    if (!full) {
        tl_decref(top);
        return NULL;
    }
    if (fromlist && fromlist != py_None) {
        tl_decref(top);
        return full;
    }
    tl_decref(full);
    return top;
}

int py_modules_init(void) { return py_type_ready(&py_module_type); }
