/* mod_gc.c — the gc module: Python's interface to libtally's collector.
 *
 * Owns gc.garbage and gc.callbacks, two real lists made at start-up (so the
 * collector's garbage sink and callbacks bridge work before `import gc`);
 * the bridge that calls every Python callback with ("start"|"stop", info)
 * around each collection, automatic ones included; the debug writer that
 * sends the collector's DEBUG_* messages to sys.stderr; and the report on
 * uncollectable garbage at shutdown (CPython's _PyGC_DumpShutdownStats).
 *
 * A collection runs Python code (finalizers, weakref and gc callbacks) from
 * inside any allocation. An exception pending when it starts is set aside at
 * "start" and restored at "stop", so the code that was raising it never
 * sees the collection; whatever finalizers and callbacks raise goes to
 * py_err_write_unraisable, as in CPython.
 *
 * Not here: the collection itself (src/gc), weak references (mod_weakref.c).
 */
#include "py.h"
#include "lang_int.h"
#include "modmem.h"

#include <stdlib.h>

/* All state of the module; one interpreter per process. */
static struct gc_module {
    py_obj *garbage;        /* gc.garbage (strong); what the sink receives */
    py_obj *callbacks;      /* gc.callbacks (strong) */
    py_obj *set_aside;      /* exception pending when the running collection
                               started (owned), restored when it stops */
    bool wired;             /* py_lang_gc_init ran */
} G;

#define MOD(name) static py_obj *gc_##name(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)

/* ---- output --------------------------------------------------------------------- */

void py_write_stderr(const char *text)
{
    py_obj *saved = py_err_fetch();
    py_obj *err = vm.sysmod ? py_dict_get_str(py_module_dict(vm.sysmod), "stderr") : NULL;
    py_obj *s = err ? py_str_from_cstr(text) : NULL;
    py_obj *r = s ? py_call_method(err, "write", &s, 1) : NULL;
    if (!r) {
        py_err_clear();
        fflush(stdout);
        fputs(text, stderr);
    }
    tl_xdecref(r);
    tl_xdecref(s);
    if (saved)
        py_err_set_exc_raw(saved);
}

static void debug_writer(tl_heap *h, const char *line, void *arg)
{
    (void)h;
    (void)arg;
    py_write_stderr(line);
}

/* ---- the collector's hooks --------------------------------------------------------- */

static int garbage_sink(tl_heap *h, tl_object *o, void *arg)
{
    (void)h;
    (void)arg;
    if (G.garbage && py_list_append(G.garbage, o) == 0)
        return 0;
    py_err_clear();
    return -1;
}

static int dict_set_int(py_obj *d, const char *key, intptr_t v)
{
    py_obj *i = py_int_from_long(v);
    int r = i ? py_dict_set_str(d, key, i) : -1;
    tl_xdecref(i);
    return r;
}

static py_obj *info_dict(const tl_gc_info *info)
{
    py_obj *d = py_dict_new();
    if (!d)
        return NULL;
    if (dict_set_int(d, "generation", info->generation) < 0 ||
        dict_set_int(d, "collected", info->collected) < 0 ||
        dict_set_int(d, "uncollectable", info->uncollectable) < 0) {
        tl_decref(d);
        return NULL;
    }
    return d;
}

/* Callbacks may edit the list while it is walked: its size is read anew each
 * time, and each callback is held while it runs. */
static void call_python_callbacks(tl_gc_phase phase, const tl_gc_info *info)
{
    py_obj *cbs = G.callbacks;
    if (!cbs || py_list_size(cbs) == 0)
        return;
    py_obj *ph = py_str_interned(phase == TL_GC_START ? "start" : "stop");
    py_obj *d = info_dict(info);
    if (!d) {
        py_err_write_unraisable(NULL);
        return;
    }
    tl_incref(cbs);
    for (intptr_t i = 0; i < py_list_size(cbs); i++) {
        py_obj *cb = py_newref(py_list_items(cbs)[i]);
        py_obj *r = py_call2(cb, ph, d);
        if (!r)
            py_err_write_unraisable(cb);
        tl_xdecref(r);
        tl_decref(cb);
    }
    tl_decref(cbs);
    tl_decref(d);
}

static void collection_bridge(tl_heap *h, tl_gc_phase phase, const tl_gc_info *info, void *arg)
{
    (void)h;
    (void)arg;
    if (phase == TL_GC_START) {
        TL_CLEAR(G.set_aside);
        G.set_aside = py_err_fetch();
        call_python_callbacks(phase, info);
        return;
    }
    /* CPython empties its free lists at the end of a full collection. */
    if (info->generation == 2) {
        py_float_clear_freelist();
        py_tuple_clear_freelist();
        py_list_clear_freelist();
    }
    call_python_callbacks(phase, info);
    if (py_err_occurred())
        py_err_write_unraisable(NULL);
    py_obj *saved = G.set_aside;
    G.set_aside = NULL;
    if (saved)
        py_err_set_exc_raw(saved);
}

void py_lang_gc_init(void)
{
    if (G.wired)
        return;
    G.garbage = py_list_new(0);
    G.callbacks = py_list_new(0);
    if (!G.garbage || !G.callbacks) {
        py_err_clear();
        return;
    }
    tl_gc_set_garbage_sink(vm.heap, garbage_sink, NULL);
    tl_gc_set_debug_writer(vm.heap, debug_writer, NULL);
    if (tl_gc_add_callback(vm.heap, collection_bridge, NULL) < 0)
        return;
    if (py_weakref_setup() < 0)
        py_err_clear();
    G.wired = true;
}

/* ---- argument helpers ---------------------------------------------------------- */

static int no_args(const char *fn, size_t nargs, py_obj *kwnames)
{
    if (nargs || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "%s() takes no arguments (%zd given)", fn, (intptr_t)nargs);
        return -1;
    }
    return 0;
}

static int one_object(const char *fn, size_t nargs, py_obj *kwnames)
{
    if (nargs != 1 || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "%s() takes exactly one argument (%zd given)", fn, (intptr_t)nargs);
        return -1;
    }
    return 0;
}

static int no_keywords(const char *fn, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "%s() takes no keyword arguments", fn);
        return -1;
    }
    return 0;
}

static py_obj *int_triple(const int v[3])
{
    py_obj *t = py_tuple_new(3);
    if (!t)
        return NULL;
    for (int i = 0; i < 3; i++)
        if (!(py_tuple_items(t)[i] = py_int_from_long(v[i]))) {
            tl_decref(t);
            return NULL;
        }
    return t;
}

/* ---- collection and control ------------------------------------------------------ */

MOD(collect)
{
    py_obj *a[1];
    if (py_parse_args("collect", args, nargs, kwnames, "|generation", a) < 0)
        return NULL;
    intptr_t gen = 2;
    if (a[0] && py_index(a[0], &gen) < 0)
        return NULL;
    if (gen < 0 || gen >= TL_GC_NGENERATIONS) {
        py_err_format(py_exc_ValueError, "invalid generation");
        return NULL;
    }
    return py_int_from_long(tl_gc_collect(vm.heap, (int)gen));
}

MOD(enable)
{
    if (no_args("enable", nargs, kwnames) < 0)
        return NULL;
    tl_gc_enable(vm.heap);
    py_RETURN_NONE;
}

MOD(disable)
{
    if (no_args("disable", nargs, kwnames) < 0)
        return NULL;
    tl_gc_disable(vm.heap);
    py_RETURN_NONE;
}

MOD(isenabled)
{
    if (no_args("isenabled", nargs, kwnames) < 0)
        return NULL;
    return py_bool(tl_gc_is_enabled(vm.heap));
}

MOD(get_count)
{
    if (no_args("get_count", nargs, kwnames) < 0)
        return NULL;
    int c[3];
    tl_gc_get_count(vm.heap, c);
    return int_triple(c);
}

MOD(get_threshold)
{
    if (no_args("get_threshold", nargs, kwnames) < 0)
        return NULL;
    int t[3];
    tl_gc_get_threshold(vm.heap, t);
    return int_triple(t);
}

MOD(set_threshold)
{
    if (no_keywords("set_threshold", kwnames) < 0)
        return NULL;
    if (nargs < 1 || nargs > 3) {
        py_err_format(py_exc_TypeError, "set_threshold() takes at %s %d argument%s (%zd given)",
                      nargs < 1 ? "least" : "most", nargs < 1 ? 1 : 3, nargs < 1 ? "" : "s", (intptr_t)nargs);
        return NULL;
    }
    int t[3] = {-1, -1, -1};
    for (size_t i = 0; i < nargs; i++) {
        intptr_t v;
        if (py_index(args[i], &v) < 0)
            return NULL;
        t[i] = v < 0 ? 0 : v > INT32_MAX ? INT32_MAX : (int)v;
    }
    tl_gc_set_threshold(vm.heap, t);
    py_RETURN_NONE;
}

MOD(set_debug)
{
    if (one_object("set_debug", nargs, kwnames) < 0)
        return NULL;
    intptr_t flags;
    if (py_index(args[0], &flags) < 0)
        return NULL;
    tl_gc_set_debug(vm.heap, (int)flags);
    py_RETURN_NONE;
}

MOD(get_debug)
{
    if (no_args("get_debug", nargs, kwnames) < 0)
        return NULL;
    return py_int_from_long(tl_gc_get_debug(vm.heap));
}

MOD(freeze)
{
    if (no_args("freeze", nargs, kwnames) < 0)
        return NULL;
    tl_gc_freeze(vm.heap);
    py_RETURN_NONE;
}

MOD(unfreeze)
{
    if (no_args("unfreeze", nargs, kwnames) < 0)
        return NULL;
    tl_gc_unfreeze(vm.heap);
    py_RETURN_NONE;
}

MOD(get_freeze_count)
{
    if (no_args("get_freeze_count", nargs, kwnames) < 0)
        return NULL;
    return py_int_from_size(tl_gc_get_freeze_count(vm.heap));
}

static py_obj *stats_dict(const tl_gc_gen_stats *s)
{
    py_obj *d = py_dict_new();
    if (!d)
        return NULL;
    if (dict_set_int(d, "collections", (intptr_t)s->collections) < 0 ||
        dict_set_int(d, "collected", (intptr_t)s->collected) < 0 ||
        dict_set_int(d, "uncollectable", (intptr_t)s->uncollectable) < 0) {
        tl_decref(d);
        return NULL;
    }
    return d;
}

MOD(get_stats)
{
    if (no_args("get_stats", nargs, kwnames) < 0)
        return NULL;
    tl_gc_gen_stats st[3];
    tl_gc_get_stats(vm.heap, st);
    py_obj *l = py_list_new(3);
    if (!l)
        return NULL;
    for (int i = 0; i < 3; i++)
        if (!(py_list_items(l)[i] = stats_dict(&st[i]))) {
            tl_decref(l);
            return NULL;
        }
    return l;
}

/* ---- introspection ------------------------------------------------------------------ */

MOD(is_tracked)
{
    if (one_object("is_tracked", nargs, kwnames) < 0)
        return NULL;
    return py_bool(tl_gc_is_tracked(args[0]));
}

MOD(is_finalized)
{
    if (one_object("is_finalized", nargs, kwnames) < 0)
        return NULL;
    return py_bool(tl_gc_is_finalized(args[0]));
}

/* Walks hand objects to a callback that appends them to a result list. The
 * list is untracked meanwhile: it must not list itself, and appending (which
 * only grows its item block) must not reorder the generation being walked. */
struct walk {
    py_obj *result;
    py_obj *const *targets;   /* get_referrers: the objects looked for */
    size_t ntargets;
    int failed;
};

static int append_object(tl_object *o, void *arg)
{
    struct walk *w = arg;
    if (py_list_append(w->result, o) < 0) {
        w->failed = 1;
        return 1;
    }
    return 0;
}

static py_obj *finish_walk(struct walk *w)
{
    tl_gc_track(w->result);
    if (w->failed) {
        TL_CLEAR(w->result);
        return NULL;
    }
    return w->result;
}

static int parse_generation(py_obj *g, int *out)
{
    *out = -1;
    if (!g || g == py_None)
        return 0;
    if (!py_int_check(g)) {
        py_err_format(py_exc_TypeError, "argument should be integer or None, not '%s'", py_type_name(py_type_of(g)));
        return -1;
    }
    intptr_t v = py_int_as_ssize(g);
    if (v == -1 && py_err_occurred())
        return -1;
    if (v >= TL_GC_NGENERATIONS) {
        py_err_format(py_exc_ValueError, "generation parameter must be less than the number of "
                      "available generations (%d)", TL_GC_NGENERATIONS);
        return -1;
    }
    if (v < -1) {
        py_err_format(py_exc_ValueError, "generation parameter cannot be negative");
        return -1;
    }
    *out = (int)v;
    return 0;
}

MOD(get_objects)
{
    py_obj *a[1];
    int gen;
    if (py_parse_args("get_objects", args, nargs, kwnames, "|generation", a) < 0 || parse_generation(a[0], &gen) < 0)
        return NULL;
    struct walk w = {.result = py_list_new(0)};
    if (!w.result)
        return NULL;
    tl_gc_untrack(w.result);
    tl_gc_for_each(vm.heap, gen, append_object, &w);
    return finish_walk(&w);
}

static int visit_is_target(tl_object *child, void *arg)
{
    struct walk *w = arg;
    for (size_t i = 0; i < w->ntargets; i++)
        if (w->targets[i] == child)
            return 1;
    return 0;
}

static int check_referrer(tl_object *o, void *arg)
{
    if (tl_gc_for_each_referent(o, visit_is_target, arg))
        return append_object(o, arg);
    return 0;
}

MOD(get_referrers)
{
    if (no_keywords("get_referrers", kwnames) < 0)
        return NULL;
    struct walk w = {.result = py_list_new(0), .targets = args, .ntargets = nargs};
    if (!w.result)
        return NULL;
    tl_gc_untrack(w.result);
    if (nargs)
        tl_gc_for_each(vm.heap, -1, check_referrer, &w);
    return finish_walk(&w);
}

static int append_referent(tl_object *child, void *arg)
{
    return append_object(child, arg);
}

MOD(get_referents)
{
    if (no_keywords("get_referents", kwnames) < 0)
        return NULL;
    struct walk w = {.result = py_list_new(0)};
    if (!w.result)
        return NULL;
    tl_gc_untrack(w.result);
    for (size_t i = 0; i < nargs && !w.failed; i++)
        if (tl_type_is_gc(args[i]->type))
            tl_gc_for_each_referent(args[i], append_referent, &w);
    return finish_walk(&w);
}

/* ---- shutdown -------------------------------------------------------------------------- */

/* CPython shows ResourceWarning only when a -W option or -X dev asks for it;
 * tally has no warnings filter, so the same request is read from
 * sys.warnoptions. */
static bool resource_warnings_shown(void)
{
    py_obj *w = vm.sysmod ? py_dict_get_str(py_module_dict(vm.sysmod), "warnoptions") : NULL;
    return w && py_isinstance_of(w, &py_list_type) && py_list_size(w) > 0;
}

static void report_garbage(void)
{
    int debug = tl_gc_get_debug(vm.heap);
    if ((debug & TL_GC_DEBUG_SAVEALL) || !G.garbage || py_list_size(G.garbage) == 0)
        return;
    char line[200];
    if (resource_warnings_shown()) {
        snprintf(line, sizeof line, "gc:0: ResourceWarning: gc: %zd uncollectable objects at shutdown%s\n",
                 (intptr_t)py_list_size(G.garbage),
                 debug & TL_GC_DEBUG_UNCOLLECTABLE ? "" : "; use gc.set_debug(gc.DEBUG_UNCOLLECTABLE) to list them");
        py_write_stderr(line);
    }
    if (debug & TL_GC_DEBUG_UNCOLLECTABLE) {
        py_obj *r = py_repr(G.garbage);
        if (!r) {
            py_err_write_unraisable(G.garbage);
            return;
        }
        py_write_stderr("      ");
        py_write_stderr(py_str_utf8(r));
        py_write_stderr("\n");
        tl_decref(r);
    }
}

/* Called by py_fini after the modules are torn down: the report, then the
 * module's lists go (later collections find no sink and no callbacks). */
void py_gc_fini(void)
{
    report_garbage();
    py_err_clear();
    py_tracemalloc_fini();
    TL_CLEAR(G.callbacks);
    TL_CLEAR(G.garbage);
    TL_CLEAR(G.set_aside);
}

/* ---- the module ------------------------------------------------------------------------ */

static const py_method_def gc_functions[] = {
    {"collect", gc_collect, NULL}, {"enable", gc_enable, NULL}, {"disable", gc_disable, NULL},
    {"isenabled", gc_isenabled, NULL}, {"get_count", gc_get_count, NULL},
    {"get_threshold", gc_get_threshold, NULL}, {"set_threshold", gc_set_threshold, NULL},
    {"set_debug", gc_set_debug, NULL}, {"get_debug", gc_get_debug, NULL},
    {"freeze", gc_freeze, NULL}, {"unfreeze", gc_unfreeze, NULL},
    {"get_freeze_count", gc_get_freeze_count, NULL}, {"get_stats", gc_get_stats, NULL},
    {"is_tracked", gc_is_tracked, NULL}, {"is_finalized", gc_is_finalized, NULL},
    {"get_objects", gc_get_objects, NULL}, {"get_referrers", gc_get_referrers, NULL},
    {"get_referents", gc_get_referents, NULL},
    {NULL, NULL, NULL},
};

py_obj *py_init_gc(void)
{
    py_lang_gc_init();
    if (!G.wired)
        return py_err_no_memory(), NULL;
    py_obj *m = py_module_new("gc");
    if (!m)
        return NULL;
    if (py_module_add_functions(m, gc_functions) < 0 ||
        py_module_add(m, "garbage", py_newref(G.garbage)) < 0 ||
        py_module_add(m, "callbacks", py_newref(G.callbacks)) < 0 ||
        py_module_add(m, "DEBUG_STATS", py_int_from_long(TL_GC_DEBUG_STATS)) < 0 ||
        py_module_add(m, "DEBUG_COLLECTABLE", py_int_from_long(TL_GC_DEBUG_COLLECTABLE)) < 0 ||
        py_module_add(m, "DEBUG_UNCOLLECTABLE", py_int_from_long(TL_GC_DEBUG_UNCOLLECTABLE)) < 0 ||
        py_module_add(m, "DEBUG_SAVEALL", py_int_from_long(TL_GC_DEBUG_SAVEALL)) < 0 ||
        py_module_add(m, "DEBUG_LEAK", py_int_from_long(TL_GC_DEBUG_LEAK)) < 0) {
        tl_decref(m);
        return NULL;
    }
    return m;
}
