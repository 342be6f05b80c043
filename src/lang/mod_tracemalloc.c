/* mod_tracemalloc.c — _tracemalloc: which Python line allocated each block.
 *
 * While tracing, libtally's heap trace hook (tl_heap_set_trace) reports
 * every allocation and free of the private heap. Each allocation becomes a
 * trace: the block, its real size (tl_heap_block_size: the size class, not
 * the request) and the traceback of the Python frames running then (up to
 * nframe, innermost first; "<unknown>":0 outside any frame). Current and
 * peak are the sums of the traced sizes. A free of an untraced block (made
 * before tracing began) is ignored.
 *
 * The tables live in the C allocator, never in the heap being traced: the
 * hook runs inside tl_heap_alloc and must not re-enter it. Filenames and
 * tracebacks are interned (each distinct one stored once); traces are an
 * open-addressing table keyed by block address, with tombstones.
 * Snapshots, statistics and their formatting are Python (lib/tracemalloc.py)
 * over _get_traces, which copies the table before building any object.
 */
#include "py.h"
#include "lang_int.h"
#include "frame.h"
#include "modmem.h"

#include <stdlib.h>

#define MAX_NFRAME 65535
#define TOMBSTONE ((void *)1)

typedef struct tm_frame {
    uint32_t file;          /* index into T.files */
    int32_t line;
} tm_frame;

typedef struct tm_traceback {
    uint32_t nframe;        /* frames stored (<= T.nframe) */
    uint32_t total;         /* frames on the stack at the allocation */
    uint64_t hash;
    tm_frame frames[];      /* innermost first */
} tm_traceback;

typedef struct tm_trace {
    void *block;            /* NULL: empty slot; TOMBSTONE: deleted */
    size_t size;
    uint32_t tb;            /* index into T.tbs */
} tm_trace;

/* All state; one interpreter per process. Every array is malloc'd. */
static struct tracer {
    bool tracing;
    int nframe;                    /* traceback limit given to start() */
    char **files;                  /* interned filenames */
    size_t nfiles, capfiles;
    tm_traceback **tbs;            /* interned tracebacks */
    size_t ntbs, captbs;
    uint32_t *tbindex;             /* hash table: tb index + 1, 0 empty */
    size_t tbmask;                 /* table size - 1 (0: no table) */
    tm_trace *traces;
    size_t tmask;                  /* table size - 1 (0: no table) */
    size_t ntraces, ntombs;
    size_t current, peak;          /* bytes in traced blocks */
    tm_frame scratch[64];          /* frames being captured (deeper ones are counted only) */
} T;

#define SCRATCH_MAX (sizeof T.scratch / sizeof *T.scratch)

/* ---- interning ------------------------------------------------------------------- */

static int64_t file_index(const char *name)
{
    for (size_t i = T.nfiles; i-- > 0;)
        if (strcmp(T.files[i], name) == 0)
            return (int64_t)i;
    if (T.nfiles == T.capfiles) {
        size_t cap = T.capfiles ? 2 * T.capfiles : 16;
        char **f = realloc(T.files, cap * sizeof *f);
        if (!f)
            return -1;
        T.files = f;
        T.capfiles = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    T.files[T.nfiles] = copy;
    return (int64_t)T.nfiles++;
}

static uint64_t frames_hash(const tm_frame *f, uint32_t n, uint32_t total)
{
    uint64_t h = 1469598103934665603ull ^ total;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ ((uint64_t)f[i].file << 32 ^ (uint32_t)f[i].line)) * 1099511628211ull;
    return h;
}

static bool tb_equal(const tm_traceback *tb, const tm_frame *f, uint32_t n, uint32_t total)
{
    return tb->nframe == n && tb->total == total && memcmp(tb->frames, f, n * sizeof *f) == 0;
}

static int tbindex_grow(void)
{
    size_t size = T.tbmask ? 2 * (T.tbmask + 1) : 256;
    uint32_t *t = calloc(size, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < T.ntbs; i++) {
        size_t j = T.tbs[i]->hash & (size - 1);
        while (t[j])
            j = (j + 1) & (size - 1);
        t[j] = (uint32_t)i + 1;
    }
    free(T.tbindex);
    T.tbindex = t;
    T.tbmask = size - 1;
    return 0;
}

static int64_t tb_add(const tm_frame *f, uint32_t n, uint32_t total, uint64_t h)
{
    if (T.ntbs == T.captbs) {
        size_t cap = T.captbs ? 2 * T.captbs : 64;
        tm_traceback **p = realloc(T.tbs, cap * sizeof *p);
        if (!p)
            return -1;
        T.tbs = p;
        T.captbs = cap;
    }
    tm_traceback *tb = malloc(sizeof *tb + n * sizeof *f);
    if (!tb)
        return -1;
    tb->nframe = n;
    tb->total = total;
    tb->hash = h;
    memcpy(tb->frames, f, n * sizeof *f);
    T.tbs[T.ntbs] = tb;
    return (int64_t)T.ntbs++;
}

static int64_t tb_intern(const tm_frame *f, uint32_t n, uint32_t total)
{
    if ((T.ntbs + 1) * 2 > T.tbmask && tbindex_grow() < 0)
        return -1;
    uint64_t h = frames_hash(f, n, total);
    size_t j = h & T.tbmask;
    for (; T.tbindex[j]; j = (j + 1) & T.tbmask)
        if (tb_equal(T.tbs[T.tbindex[j] - 1], f, n, total))
            return T.tbindex[j] - 1;
    int64_t i = tb_add(f, n, total, h);
    if (i >= 0)
        T.tbindex[j] = (uint32_t)i + 1;
    return i;
}

/* The traceback of the running Python code, interned. */
static int64_t current_traceback(void)
{
    uint32_t n = 0, total = 0, limit = (uint32_t)T.nframe;
    if (limit > SCRATCH_MAX)
        limit = SCRATCH_MAX;
    for (py_frame *f = vm.frame; f; f = f->back, total++) {
        if (n == limit)
            continue;
        int64_t file = file_index(py_str_utf8(f->code->filename));
        if (file < 0)
            return -1;
        T.scratch[n].file = (uint32_t)file;
        T.scratch[n++].line = py_code_line(f->code, f->lasti);
    }
    if (n == 0) {
        int64_t file = file_index("<unknown>");
        if (file < 0)
            return -1;
        T.scratch[0] = (tm_frame){(uint32_t)file, 0};
        n = total = 1;
    }
    return tb_intern(T.scratch, n, total);
}

/* ---- the traces table ---------------------------------------------------------------- */

static size_t block_hash(const void *p)
{
    uintptr_t x = (uintptr_t)p >> 4;
    return (size_t)(x * 0x9E3779B97F4A7C15ull);
}

static tm_trace *trace_find(const void *block)
{
    if (!T.tmask)
        return NULL;
    for (size_t j = block_hash(block) & T.tmask;; j = (j + 1) & T.tmask) {
        if (!T.traces[j].block)
            return NULL;
        if (T.traces[j].block == block)
            return &T.traces[j];
    }
}

static void trace_put(tm_trace *table, size_t mask, tm_trace t)
{
    size_t j = block_hash(t.block) & mask;
    while (table[j].block && table[j].block != TOMBSTONE)
        j = (j + 1) & mask;
    table[j] = t;
}

static int traces_grow(void)
{
    size_t size = T.tmask + 1;
    if (!T.tmask || (T.ntraces + 1) * 2 > size)
        size = T.tmask ? 2 * size : 1024;
    tm_trace *t = calloc(size, sizeof *t);
    if (!t)
        return -1;
    for (size_t j = 0; T.tmask && j <= T.tmask; j++)
        if (T.traces[j].block && T.traces[j].block != TOMBSTONE)
            trace_put(t, size - 1, T.traces[j]);
    free(T.traces);
    T.traces = t;
    T.tmask = size - 1;
    T.ntombs = 0;
    return 0;
}

static void on_alloc(void *block)
{
    if ((T.ntraces + T.ntombs + 1) * 2 > T.tmask && traces_grow() < 0)
        return;
    int64_t tb = current_traceback();
    if (tb < 0)
        return;
    size_t size = tl_heap_block_size(block);
    trace_put(T.traces, T.tmask, (tm_trace){block, size, (uint32_t)tb});
    T.ntraces++;
    T.current += size;
    if (T.current > T.peak)
        T.peak = T.current;
}

static void on_free(void *block)
{
    tm_trace *t = trace_find(block);
    if (!t)
        return;
    T.current -= t->size;
    t->block = TOMBSTONE;
    T.ntraces--;
    T.ntombs++;
}

static void trace_hook(void *ctx, void *block, size_t size, bool is_alloc)
{
    (void)ctx;
    (void)size;
    if (is_alloc)
        on_alloc(block);
    else
        on_free(block);
}

static void clear_traces(void)
{
    free(T.traces);
    T.traces = NULL;
    T.tmask = T.ntraces = T.ntombs = 0;
    for (size_t i = 0; i < T.ntbs; i++)
        free(T.tbs[i]);
    free(T.tbs);
    free(T.tbindex);
    T.tbs = NULL;
    T.tbindex = NULL;
    T.ntbs = T.captbs = T.tbmask = 0;
    for (size_t i = 0; i < T.nfiles; i++)
        free(T.files[i]);
    free(T.files);
    T.files = NULL;
    T.nfiles = T.capfiles = 0;
    T.current = T.peak = 0;
}

static void stop_tracing(void)
{
    if (T.tracing)
        tl_heap_set_trace(vm.heap, NULL, NULL);
    T.tracing = false;
    clear_traces();
}

/* ---- module functions ------------------------------------------------------------------ */

#define MOD(name) static py_obj *tm_##name(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)

MOD(start)
{
    py_obj *a[1];
    if (py_parse_args("start", args, nargs, kwnames, "|nframe", a) < 0)
        return NULL;
    intptr_t n = 1;
    if (a[0] && py_index(a[0], &n) < 0)
        return NULL;
    if (n < 1 || n > MAX_NFRAME) {
        py_err_format(py_exc_ValueError, "the number of frames must be in range [1; %d]", MAX_NFRAME);
        return NULL;
    }
    T.nframe = (int)n;
    if (!T.tracing) {
        T.tracing = true;
        tl_heap_set_trace(vm.heap, trace_hook, NULL);
    }
    py_RETURN_NONE;
}

MOD(stop)
{
    stop_tracing();
    py_RETURN_NONE;
}

MOD(is_tracing)
{
    return py_bool(T.tracing);
}

MOD(clear_traces)
{
    if (T.tracing)
        clear_traces();
    py_RETURN_NONE;
}

MOD(get_traced_memory)
{
    size_t cur = T.tracing ? T.current : 0, peak = T.tracing ? T.peak : 0;
    py_obj *c = py_int_from_size(cur), *p = c ? py_int_from_size(peak) : NULL;
    py_obj *t = p ? py_tuple_pack(2, c, p) : NULL;
    tl_xdecref(c);
    tl_xdecref(p);
    return t;
}

MOD(reset_peak)
{
    T.peak = T.current;
    py_RETURN_NONE;
}

MOD(get_traceback_limit)
{
    return py_int_from_long(T.nframe ? T.nframe : 1);
}

MOD(get_tracemalloc_memory)
{
    size_t n = (T.tmask ? (T.tmask + 1) * sizeof(tm_trace) : 0) + (T.tbmask ? (T.tbmask + 1) * 4 : 0);
    for (size_t i = 0; i < T.ntbs; i++)
        n += sizeof(tm_traceback) + T.tbs[i]->nframe * sizeof(tm_frame);
    return py_int_from_size(n + T.capfiles * sizeof(char *) + T.captbs * sizeof(void *));
}

/* ((filename, lineno), ...) innermost first. */
static py_obj *traceback_tuple(const tm_traceback *tb)
{
    py_obj *t = py_tuple_new(tb->nframe);
    for (uint32_t i = 0; t && i < tb->nframe; i++) {
        py_obj *fn = py_str_from_cstr(T.files[tb->frames[i].file]);
        py_obj *ln = fn ? py_int_from_long(tb->frames[i].line) : NULL;
        py_obj *fr = ln ? py_tuple_pack(2, fn, ln) : NULL;
        tl_xdecref(fn);
        tl_xdecref(ln);
        if (!fr)
            TL_CLEAR(t);
        else
            py_tuple_items(t)[i] = fr;
    }
    return t;
}

static py_obj *trace_tuple(const tm_trace *tr, py_obj **tbcache)
{
    const tm_traceback *tb = T.tbs[tr->tb];
    if (!tbcache[tr->tb] && !(tbcache[tr->tb] = traceback_tuple(tb)))
        return NULL;
    py_obj *dom = py_int_from_long(0), *size = py_int_from_size(tr->size);
    py_obj *total = py_int_from_long(tb->total);
    py_obj *t = dom && size && total ? py_tuple_pack(4, dom, size, tbcache[tr->tb], total) : NULL;
    tl_xdecref(dom);
    tl_xdecref(size);
    tl_xdecref(total);
    return t;
}

/* The table is copied first: building the result allocates, and each
 * allocation changes the table while tracing. */
static py_obj *traces_list(const tm_trace *copy, size_t n, size_t ntbs)
{
    py_obj **tbcache = calloc(ntbs ? ntbs : 1, sizeof *tbcache);
    py_obj *l = tbcache ? py_list_new(0) : NULL;
    for (size_t i = 0; l && i < n; i++) {
        py_obj *t = trace_tuple(&copy[i], tbcache);
        if (!t || py_list_append(l, t) < 0)
            TL_CLEAR(l);
        tl_xdecref(t);
    }
    for (size_t i = 0; tbcache && i < ntbs; i++)
        tl_xdecref(tbcache[i]);
    free(tbcache);
    if (!tbcache)
        py_err_no_memory();
    return l;
}

MOD(_get_traces)
{
    if (!T.tracing)
        return py_list_new(0);
    size_t n = 0, ntbs = T.ntbs;
    tm_trace *copy = malloc((T.ntraces ? T.ntraces : 1) * sizeof *copy);
    if (!copy)
        return py_err_no_memory(), NULL;
    for (size_t j = 0; T.tmask && j <= T.tmask; j++)
        if (T.traces[j].block && T.traces[j].block != TOMBSTONE)
            copy[n++] = T.traces[j];
    py_obj *l = traces_list(copy, n, ntbs);
    free(copy);
    return l;
}

MOD(_get_object_traceback)
{
    if (nargs != 1)
        return py_err_format(py_exc_TypeError, "_get_object_traceback() takes exactly one argument"), NULL;
    py_obj *o = args[0];
    void *block = tl_object_block(o);
    const tm_trace *t = T.tracing ? trace_find(block) : NULL;
    if (!t)
        py_RETURN_NONE;
    return traceback_tuple(T.tbs[t->tb]);
}

static const py_method_def tracemalloc_functions[] = {
    {"start", tm_start, NULL}, {"stop", tm_stop, NULL}, {"is_tracing", tm_is_tracing, NULL},
    {"clear_traces", tm_clear_traces, NULL}, {"get_traced_memory", tm_get_traced_memory, NULL},
    {"reset_peak", tm_reset_peak, NULL}, {"get_traceback_limit", tm_get_traceback_limit, NULL},
    {"get_tracemalloc_memory", tm_get_tracemalloc_memory, NULL},
    {"_get_traces", tm__get_traces, NULL}, {"_get_object_traceback", tm__get_object_traceback, NULL},
    {NULL, NULL, NULL},
};

/* At shutdown: tracing stops and the tables go. */
void py_tracemalloc_fini(void)
{
    stop_tracing();
}

py_obj *py_init_tracemalloc(void)
{
    py_obj *m = py_module_new("_tracemalloc");
    if (m && py_module_add_functions(m, tracemalloc_functions) < 0)
        TL_CLEAR(m);
    return m;
}
