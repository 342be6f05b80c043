/* fileio.c — text files: sys.stdin/stdout/stderr and open().
 *
 * A py_file wraps a C FILE in text mode (UTF-8): write(str), read([n]),
 * readline(), readlines(), iteration by line, close(), flush(), and the
 * context-manager protocol. Writes to a closed file raise ValueError.
 */
#include "py.h"
#include "lang_int.h"

#include <errno.h>
#include <stdlib.h>

typedef struct py_file {
    tl_object ob;
    FILE *fp;
    py_obj *name, *mode;
    bool readable, writable, owned, closed;
} py_file;

extern py_type py_file_type;
#define F(o) ((py_file *)(o))

static py_obj *file_new_from(FILE *fp, const char *name, const char *mode, bool owned)
{
    py_file *f = (py_file *)tl_object_new(vm.heap, &py_file_type.tl);
    if (!f)
        return py_err_no_memory(), NULL;
    f->fp = fp;
    f->name = py_str_from_cstr(name);
    f->mode = py_str_from_cstr(mode);
    f->readable = strchr(mode, 'r') || strchr(mode, '+');
    f->writable = strchr(mode, 'w') || strchr(mode, 'a') || strchr(mode, '+') || strchr(mode, 'x');
    f->owned = owned;
    if (!f->name || !f->mode) {
        tl_decref(&f->ob);
        return NULL;
    }
    return &f->ob;
}

static int check_open(py_file *f)
{
    if (f->closed) {
        py_err_format(py_exc_ValueError, "I/O operation on closed file.");
        return -1;
    }
    return 0;
}

static void file_dealloc(tl_object *o)
{
    py_file *f = F(o);
    if (f->owned && !f->closed && f->fp)
        fclose(f->fp);
    else if (f->fp && !f->closed)
        fflush(f->fp);
    TL_CLEAR(f->name);
    TL_CLEAR(f->mode);
    tl_object_free(o);
}

static py_obj *file_write(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_file *f = F(a[0]);
    if (n != 2)
        return py_err_format(py_exc_TypeError, "write() takes exactly one argument (%zd given)", (intptr_t)n - 1), NULL;
    if (check_open(f) < 0)
        return NULL;
    if (!f->writable)
        return py_err_format(py_exc_OSError, "not writable"), NULL;
    if (!py_str_check(a[1]))
        return py_err_format(py_exc_TypeError, "write() argument must be str, not %s", py_type_name(py_type_of(a[1]))), NULL;
    fwrite(py_str_utf8(a[1]), 1, py_str_nbytes(a[1]), f->fp);
    if (f->fp == stderr)
        fflush(stderr);
    return py_int_from_size(py_str_len(a[1]));
}

static py_obj *file_flush(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (check_open(F(a[0])) < 0)
        return NULL;
    fflush(F(a[0])->fp);
    py_RETURN_NONE;
}

static py_obj *read_line(py_file *f)
{
    size_t cap = 128, len = 0;
    char *buf = malloc(cap);
    int ch;
    while (buf && (ch = fgetc(f->fp)) != EOF) {
        if (len + 1 >= cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
        }
        buf[len++] = (char)ch;
        if (ch == '\n')
            break;
    }
    if (!buf)
        return py_err_no_memory(), NULL;
    py_obj *s = py_str_from_utf8(buf, len);
    free(buf);
    return s;
}

static py_obj *file_readline(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (check_open(F(a[0])) < 0)
        return NULL;
    return read_line(F(a[0]));
}

static py_obj *file_read(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_file *f = F(a[0]);
    if (check_open(f) < 0)
        return NULL;
    if (!f->readable)
        return py_err_format(py_exc_OSError, "not readable"), NULL;
    intptr_t limit = -1;
    if (n > 1 && a[1] != py_None && py_index(a[1], &limit) < 0)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (limit < 0 || (intptr_t)len < limit)) {
        size_t want = cap - len;
        if (limit >= 0 && (size_t)limit - len < want)
            want = (size_t)limit - len;
        r = fread(buf + len, 1, want, f->fp);
        len += r;
        if (r < want)
            break;
        if (len == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
            } else {
                buf = b;
            }
        }
    }
    if (!buf)
        return py_err_no_memory(), NULL;
    py_obj *s = py_str_from_utf8(buf, len);
    free(buf);
    return s;
}

static py_obj *file_iternext(py_obj *o)
{
    if (check_open(F(o)) < 0)
        return NULL;
    py_obj *line = read_line(F(o));
    if (line && py_str_nbytes(line) == 0) {
        tl_decref(line);
        return NULL;
    }
    return line;
}

static py_obj *file_readlines(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *l = py_list_new(0), *line;
    if (!l)
        return NULL;
    while ((line = file_iternext(a[0]))) {
        int r = py_list_append(l, line);
        tl_decref(line);
        if (r < 0)
            break;
    }
    if (py_err_occurred()) {
        tl_decref(l);
        return NULL;
    }
    return l;
}

static py_obj *file_close(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_file *f = F(a[0]);
    if (!f->closed) {
        if (f->owned)
            fclose(f->fp);
        else
            fflush(f->fp);
        f->closed = true;
    }
    py_RETURN_NONE;
}

static py_obj *file_enter(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (check_open(F(a[0])) < 0)
        return NULL;
    return py_newref(a[0]);
}

static py_obj *file_exit(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *r = file_close(c, a, 1, NULL);
    tl_xdecref(r);
    py_RETURN_NONE;
}

static py_obj *file_fileno(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_int_from_long(fileno(F(a[0])->fp));
}

static py_obj *file_get_closed(py_obj *o) { return py_bool(F(o)->closed); }
static py_obj *file_get_name(py_obj *o) { return py_newref(F(o)->name); }
static py_obj *file_get_mode(py_obj *o) { return py_newref(F(o)->mode); }

static py_obj *file_repr(py_obj *o)
{
    return py_str_from_format("<_io.TextIOWrapper name=%R mode=%R encoding='utf-8'>", F(o)->name, F(o)->mode);
}

static py_obj *file_iter(py_obj *o)
{
    if (check_open(F(o)) < 0)
        return NULL;
    return py_newref(o);
}

static const py_method_def file_methods[] = {
    {"write", file_write, NULL}, {"flush", file_flush, NULL}, {"read", file_read, NULL},
    {"readline", file_readline, NULL}, {"readlines", file_readlines, NULL},
    {"close", file_close, NULL}, {"__enter__", file_enter, NULL}, {"__exit__", file_exit, NULL},
    {"fileno", file_fileno, NULL},
    {NULL, NULL, NULL},
};

static const py_getset_def file_getsets[] = {
    {"closed", file_get_closed, NULL}, {"name", file_get_name, NULL}, {"mode", file_get_mode, NULL},
    {NULL, NULL, NULL},
};

py_type py_file_type = {
    PY_TYPE_HEAD("_io.TextIOWrapper", sizeof(py_file), 0, 0, .dealloc = file_dealloc),
    .repr = file_repr,
    .iter = file_iter,
    .iternext = file_iternext,
    .methods = file_methods,
    .getsets = file_getsets,
};

/* open(file, mode='r', encoding=None, ...) */
static py_obj *bi_open(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *a[4];
    if (py_parse_args("open", args, nargs, kwnames, "file|mode buffering encoding", a) < 0)
        return NULL;
    if (!py_str_check(a[0])) {
        py_err_format(py_exc_TypeError, "expected str, bytes or os.PathLike object, not %s", py_type_name(py_type_of(a[0])));
        return NULL;
    }
    const char *mode = a[1] ? py_str_utf8(a[1]) : "r";
    char cmode[8];
    size_t k = 0;
    for (const char *m = mode; *m && k < 5; m++)
        if (strchr("rwax+", *m))
            cmode[k++] = *m == 'x' ? 'w' : *m;
        else if (*m != 't' && *m != 'b') {
            py_err_format(py_exc_ValueError, "invalid mode: '%s'", mode);
            return NULL;
        }
    cmode[k] = 0;
    if (!k) {
        py_err_format(py_exc_ValueError, "Must have exactly one of create/read/write/append mode and at most one plus");
        return NULL;
    }
    FILE *fp = fopen(py_str_utf8(a[0]), cmode);
    if (!fp) {
        int e = errno;
        py_type *t = e == ENOENT ? py_exc_FileNotFoundError : e == EISDIR ? py_exc_IsADirectoryError
                   : e == EACCES ? py_exc_PermissionError : py_exc_OSError;
        py_obj *en = py_int_from_long(e), *msg = py_str_from_cstr(strerror(e));
        py_obj *eargs[3] = {en, msg, a[0]};
        py_obj *exc = en && msg ? py_call(&t->tl.ob, eargs, 3, NULL) : NULL;
        tl_xdecref(en);
        tl_xdecref(msg);
        if (exc)
            py_err_set_exc(exc);
        return NULL;
    }
    return file_new_from(fp, py_str_utf8(a[0]), mode, true);
}

py_obj *py_stdin_readline_for_input(void)
{
    py_obj *in = py_dict_get_str(py_module_dict(vm.sysmod), "stdin");
    if (!in)
        return py_err_format(py_exc_RuntimeError, "input(): lost sys.stdin"), NULL;
    py_obj *line = py_call_method(in, "readline", NULL, 0);
    if (!line)
        return NULL;
    if (!py_str_check(line) || py_str_nbytes(line) == 0) {
        tl_decref(line);
        py_err_format(py_exc_EOFError, "EOF when reading a line");
        return NULL;
    }
    size_t n = py_str_nbytes(line);
    const char *s = py_str_utf8(line);
    if (s[n - 1] == '\n') {
        py_obj *t = py_str_from_utf8(s, n - 1);
        tl_decref(line);
        return t;
    }
    return line;
}

py_obj *py_sequence_to_list_sorted(py_obj *iterable)
{
    if (!iterable)
        return NULL;
    py_obj *l = py_sequence_to_list(iterable);
    tl_decref(iterable);
    if (l && py_list_sort(l, NULL, false) < 0)
        TL_CLEAR(l);
    return l;
}

static const py_method_def open_def[] = {{"open", bi_open, NULL}, {NULL, NULL, NULL}};

/* Adds open() to builtins and the standard streams to sys. */
int py_fileio_init(void)
{
    if (py_type_ready(&py_file_type) < 0)
        return -1;
    py_obj *b = py_dict_get_str(vm.modules, "builtins");
    if (!b || py_module_add_functions(b, open_def) < 0)
        return -1;
    py_obj *sysd = py_module_dict(vm.sysmod);
    struct { const char *n; FILE *fp; const char *name, *mode; } s[] = {
        {"stdin", stdin, "<stdin>", "r"}, {"stdout", stdout, "<stdout>", "w"}, {"stderr", stderr, "<stderr>", "w"}};
    for (int i = 0; i < 3; i++) {
        py_obj *f = file_new_from(s[i].fp, s[i].name, s[i].mode, false);
        if (!f || py_dict_set_str(sysd, s[i].n, f) < 0)
            return -1;
        char dunder[16];
        snprintf(dunder, sizeof dunder, "__%s__", s[i].n);
        if (py_dict_set_str(sysd, dunder, f) < 0)
            return -1;
        tl_decref(f);
    }
    return 0;
}
