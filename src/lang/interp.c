/* interp.c — the interpreter's life: start-up, running __main__, shutdown.
 *
 * Start-up readies every built-in type, then builds sys and builtins.
 * Shutdown follows CPython 3.11's Py_FinalizeEx in the parts a program can
 * observe: atexit callbacks, a collection (unreachable cycles are finalized
 * first), then the modules are emptied (names with one leading underscore
 * first) and collected again, so every __del__ of a global runs; finally
 * everything left is released and the heap is deleted.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"
#include "frame.h"
#include "code.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

py_vm vm;
int py_sys_create(int argc, char **argv, const char *script_dir);
int py_func_init(void);
int py_atexit_run(void);
void py_lang_gc_init(void);
void py_gc_fini(void);

#pragma weak py_atexit_run
#pragma weak py_lang_gc_init
#pragma weak py_gc_fini

static bool tuple_untrack(tl_object *o)
{
    py_tuple_maybe_untrack(o);
    return !tl_gc_is_tracked(o);
}

static bool dict_untrack(tl_object *o)
{
    py_dict_maybe_untrack(o);
    return !tl_gc_is_tracked(o);
}

int py_init(int argc, char **argv, const char *script_dir)
{
    vm.heap = tl_heap_new();
    if (!vm.heap)
        return -1;
    if (py_vm_init_stack() < 0)
        return -1;
    if (py_containers_init() < 0 || py_types_init() < 0 || py_int_init() < 0 || py_float_init() < 0 ||
        py_func_init() < 0 || py_types_init_late() < 0 || py_exc_init_types() < 0 || py_iter_init() < 0 || py_modules_init() < 0 ||
        py_type_ready(&py_code_type) < 0 || py_type_ready(&py_frame_type) < 0 ||
        py_type_ready(&py_traceback_type) < 0 || py_type_ready(&py_generator_type) < 0)
        return -1;
    if (!(vm.modules = py_dict_new()))
        return -1;
    if (py_sys_create(argc, argv, script_dir) < 0 || py_builtins_init() < 0 || py_fileio_init() < 0)
        return -1;
    tl_gc_register_untrack(vm.heap, &py_tuple_type.tl, tuple_untrack, false);
    tl_gc_register_untrack(vm.heap, &py_dict_type.tl, dict_untrack, true);
    if (py_lang_gc_init)
        py_lang_gc_init();
    return 0;
}

/* Empties a module's dict as CPython's _PyModule_ClearDict: _names first. */
static void clear_module_dict(py_obj *d)
{
    for (int pass = 0; pass < 2; pass++) {
        intptr_t pos = 0;
        py_obj *k, *v;
        while (py_dict_next(d, &pos, &k, &v)) {
            if (v == py_None || !py_str_check(k))
                continue;
            const char *s = py_str_utf8(k);
            bool underscore = s[0] == '_' && s[1] != '_';
            if ((pass == 0) != underscore)
                continue;
            if (pass == 1 && strcmp(s, "__builtins__") == 0)
                continue;
            if (py_dict_set(d, k, py_None) < 0)
                py_err_clear();
        }
    }
}

/* CPython's finalize_modules, in the parts a program can observe: every
 * module leaves sys.modules (sys and builtins stay until the end), then a
 * collection finds what only those modules kept alive — a module's globals
 * are usually in a cycle with its functions and classes, so their __del__
 * methods run in the collector's order; then the dicts of modules that are
 * still alive are emptied (names with one leading underscore first), and
 * one more collection runs. */
static void finalize_modules(void)
{
    intptr_t n = py_dict_size(vm.modules), count = 0, pos = 0;
    tl_weakref **refs = tl_heap_calloc(vm.heap, sizeof *refs * (size_t)(n ? n : 1));
    py_obj *names = py_list_new(0), *k, *m;
    if (!refs || !names) {
        tl_heap_free(refs);
        tl_xdecref(names);
        py_err_clear();
        return;
    }
    while (py_dict_next(vm.modules, &pos, &k, &m)) {
        if (m == vm.sysmod || py_str_equal_cstr(k, "builtins"))
            continue;
        if (py_list_append(names, k) < 0)
            break;
        if (py_isinstance_of(m, &py_module_type))
            refs[count++] = tl_weakref_new(m, NULL);
    }
    for (intptr_t i = 0; i < py_list_size(names); i++)
        py_dict_del(vm.modules, py_list_items(names)[i]);
    tl_decref(names);
    py_err_clear();
    tl_gc_collect(vm.heap, 2);
    for (intptr_t i = count; i-- > 0;) {
        py_obj *alive = refs[i] ? tl_weakref_get(refs[i]) : NULL;
        if (alive)
            clear_module_dict(py_module_dict(alive));
    }
    tl_gc_collect(vm.heap, 2);
    for (intptr_t i = 0; i < count; i++)
        if (refs[i])
            tl_decref(&refs[i]->ob);
    tl_heap_free(refs);
    py_err_clear();
}

void py_fini(void)
{
    if (py_atexit_run)
        py_atexit_run();
    py_obj *out = vm.sysmod ? py_dict_get_str(py_module_dict(vm.sysmod), "stdout") : NULL;
    if (out) {
        py_obj *r = py_call_method(out, "flush", NULL, 0);
        tl_xdecref(r);
        py_err_clear();
    }
    TL_CLEAR(vm.exc_info);
    /* The exit collection runs only when automatic collection is enabled
     * (CPython's PyGC_Collect); the ones in finalize_modules always run. */
    if (tl_gc_is_enabled(vm.heap))
        tl_gc_collect(vm.heap, 2);
    if (vm.modules)
        finalize_modules();
    if (py_gc_fini)
        py_gc_fini();
    py_err_clear();
    fflush(stdout);
    fflush(stderr);
}

/* Releases the interpreter's own references and the heap itself. Objects
 * still alive here (immortals, cycles through static types) go with it. */
void py_release(void)
{
    TL_CLEAR(vm.modules);
    TL_CLEAR(vm.builtins);
    TL_CLEAR(vm.sysmod);
    TL_CLEAR(vm.exc);
    tl_gc_collect(vm.heap, 2);
    py_err_clear();
    py_teardown();
    py_source_forget();
    py_vm_fini_stack();
    if (getenv("TALLY_EXIT_STATS")) {
        tl_heap_stats st;
        tl_heap_stats_get(vm.heap, &st);
        fprintf(stderr, "tally: at exit, before the heap is released: %zu blocks in use (%zu bytes)\n",
                st.small_blocks + st.large_blocks, st.bytes_in_use);
    }
    tl_heap_delete(vm.heap);
    vm.heap = NULL;
}

/* Runs the script as __main__; returns the process exit status. */
int py_run_main(const char *path, const char *command)
{
    py_obj *main = py_module_new("__main__");
    if (!main || py_dict_set_str(vm.modules, "__main__", main) < 0 ||
        py_dict_set_str(py_module_dict(main), "__builtins__", py_builtins_module()) < 0) {
        tl_xdecref(main);
        return py_handle_uncaught();    /* MemoryError, printed */
    }
    py_obj *r;
    if (command) {
        py_obj *code = py_compile(command, strlen(command), "<string>", "exec");
        r = code ? py_run_code(code, py_module_dict(main), py_module_dict(main), NULL) : NULL;
        tl_xdecref(code);
    } else {
        r = py_run_file(path, main);
    }
    tl_decref(main);
    int status = 0;
    if (!r)
        status = py_handle_uncaught();
    tl_xdecref(r);
    return status;
}

/* Prints an uncaught exception (or honours SystemExit); the exit status. */
int py_handle_uncaught(void)
{
    py_obj *exc = py_err_fetch();
    if (!exc)
        return 1;
    int status = 1;
    if (py_type_is_subtype(py_type_of(exc), py_exc_SystemExit)) {
        py_obj *code = NULL;
        if (py_getattr_opt(exc, py_str_interned("code"), &code) < 0)
            py_err_clear();
        if (!code || code == py_None) {
            status = 0;
        } else if (py_int_check(code)) {
            int overflow;
            status = (int)py_int_as_long(code, &overflow);
        } else {
            py_obj *s = py_str(code);
            fflush(stdout);
            if (s)
                fprintf(stderr, "%s\n", py_str_utf8(s));
            tl_xdecref(s);
            py_err_clear();
            status = 1;
        }
        tl_xdecref(code);
    } else {
        py_print_exception(exc);
    }
    tl_decref(exc);
    return status;
}

/* -X dis: prints the bytecode of the script instead of running it. */
int py_dis_main(const char *path, const char *command)
{
    size_t len = 0;
    char *src = NULL;
    if (command) {
        src = strdup(command);
        len = strlen(command);
    } else {
        FILE *f = fopen(path, "rb");
        if (f) {
            fseek(f, 0, SEEK_END);
            len = (size_t)ftell(f);
            fseek(f, 0, SEEK_SET);
            src = malloc(len + 1);
            if (src && fread(src, 1, len, f) != len)
                len = 0;
            fclose(f);
        }
    }
    if (!src)
        return 1;
    py_obj *code = py_compile(src, len, command ? "<string>" : path, "exec");
    free(src);
    if (!code)
        return py_handle_uncaught();
    py_code_dis(code, stdout);
    tl_decref(code);
    return 0;
}

/* -X options: recorded in sys._xoptions (name -> value, or True), and
 * -X tracemalloc[=N] starts tracing before the script runs, as in CPython.
 * Returns 0, or an exit status after an error (already reported). */
/* "SIZE" of -X max-memory: bytes, or a number with K, M or G (powers of
 * 1024, an optional B after them). 0 for anything else. */
static size_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || *s == '-')
        return 0;
    int shift = 0;
    switch (*end | 0x20) {
    case 'k': shift = 10; end++; break;
    case 'm': shift = 20; end++; break;
    case 'g': shift = 30; end++; break;
    default: break;
    }
    if ((*end | 0x20) == 'b')
        end++;
    if (*end || v > (SIZE_MAX >> shift))
        return 0;
    return (size_t)v << shift;
}

/* -X max-memory=SIZE caps the heap: past it, allocations fail and the
 * program sees MemoryError. Returns 0, or an exit status. */
static int apply_max_memory(py_obj *xoptions)
{
    py_obj *v = py_dict_get_str(xoptions, "max-memory");
    if (!v)
        return py_err_occurred() ? py_handle_uncaught() : 0;
    size_t n = py_str_check(v) ? parse_size(py_str_utf8(v)) : 0;
    if (!n) {
        fprintf(stderr, "tally: -X max-memory needs a size such as 64M or 1G\n");
        return 2;
    }
    tl_heap_set_limit(vm.heap, n);
    return 0;
}

int py_apply_xoptions(const char *const *opts, int n)
{
    py_obj *d = py_dict_new();
    if (!d || py_dict_set_str(py_module_dict(vm.sysmod), "_xoptions", d) < 0) {
        tl_xdecref(d);
        return py_handle_uncaught();
    }
    for (int i = 0; i < n; i++) {
        const char *eq = strchr(opts[i], '=');
        py_obj *k = eq ? py_str_from_utf8(opts[i], (size_t)(eq - opts[i])) : py_str_from_cstr(opts[i]);
        py_obj *v = eq ? py_str_from_cstr(eq + 1) : py_newref(py_True);
        int r = k && v ? py_dict_set(d, k, v) : -1;
        tl_xdecref(k);
        tl_xdecref(v);
        if (r < 0) {
            tl_decref(d);
            return py_handle_uncaught();
        }
    }
    int status = apply_max_memory(d);
    if (status) {
        tl_decref(d);
        return status;
    }
    py_obj *tm = py_dict_get_str(d, "tracemalloc");
    tl_decref(d);
    if (!tm)
        return 0;
    py_obj *mod = py_import(py_str_interned("tracemalloc"));
    py_obj *nframe = NULL;
    if (mod && py_str_check(tm))
        nframe = py_call1(&py_int_type.tl.ob, tm);
    py_obj *r = mod ? py_call_method(mod, "start", nframe ? &nframe : NULL, nframe ? 1 : 0) : NULL;
    tl_xdecref(nframe);
    tl_xdecref(mod);
    if (!r)
        return py_handle_uncaught();
    tl_decref(r);
    return 0;
}
