/* builtins.c — the builtins module: functions and the iterator types behind
 * enumerate, zip, map, filter and reversed, and super.
 *
 * Each function checks its arguments and words its errors as CPython 3.11.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"
#include "frame.h"
#include "code.h"

#include <math.h>
#include <stdlib.h>

#define BUILTIN(name) static py_obj *bi_##name(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)

static int no_kw(const char *fn, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "%s() takes no keyword arguments", fn);
        return -1;
    }
    return 0;
}

static int nargs_exact(const char *fn, size_t nargs, size_t want, py_obj *kwnames)
{
    if (no_kw(fn, kwnames) < 0)
        return -1;
    if (nargs != want) {
        if (want == 1)
            py_err_format(py_exc_TypeError, "%s() takes exactly one argument (%zd given)", fn, (intptr_t)nargs);
        else
            py_err_format(py_exc_TypeError, "%s expected %zd arguments, got %zd", fn, (intptr_t)want, (intptr_t)nargs);
        return -1;
    }
    return 0;
}

/* ---- print ----------------------------------------------------------------------- */

static int write_str(py_obj *file, py_obj *s)
{
    py_obj *r = py_call_method(file, "write", &s, 1);
    if (!r)
        return -1;
    tl_decref(r);
    return 0;
}

BUILTIN(print)
{
    py_obj *kw[4] = {NULL, NULL, NULL, NULL};
    intptr_t nk = kwnames ? py_tuple_size(kwnames) : 0;
    for (intptr_t i = 0; i < nk; i++) {
        py_obj *k = py_tuple_items(kwnames)[i];
        int slot = py_str_equal_cstr(k, "sep") ? 0 : py_str_equal_cstr(k, "end") ? 1
                 : py_str_equal_cstr(k, "file") ? 2 : py_str_equal_cstr(k, "flush") ? 3 : -1;
        if (slot < 0) {
            py_err_format(py_exc_TypeError, "'%U' is an invalid keyword argument for print()", k);
            return NULL;
        }
        kw[slot] = args[nargs + (size_t)i];
    }
    py_obj *sep = kw[0], *end = kw[1], *file = kw[2];
    if (sep == py_None) sep = NULL;
    if (end == py_None) end = NULL;
    if (sep && !py_str_check(sep))
        return py_err_format(py_exc_TypeError, "sep must be None or a string, not %s", py_type_name(py_type_of(sep))), NULL;
    if (end && !py_str_check(end))
        return py_err_format(py_exc_TypeError, "end must be None or a string, not %s", py_type_name(py_type_of(end))), NULL;
    if (!file || file == py_None) {
        file = py_dict_get_str(py_module_dict(vm.sysmod), "stdout");
        if (!file || file == py_None)
            py_RETURN_NONE;
    }
    tl_incref(file);
    for (size_t i = 0; i < nargs; i++) {
        if (i > 0) {
            py_obj *s = sep ? py_newref(sep) : py_str_from_cstr(" ");
            int r = s ? write_str(file, s) : -1;
            tl_xdecref(s);
            if (r < 0)
                goto fail;
        }
        py_obj *s = py_str(args[i]);
        int r = s ? write_str(file, s) : -1;
        tl_xdecref(s);
        if (r < 0)
            goto fail;
    }
    py_obj *e = end ? py_newref(end) : py_str_from_cstr("\n");
    int r = e ? write_str(file, e) : -1;
    tl_xdecref(e);
    if (r < 0)
        goto fail;
    if (kw[3] && py_truthy(kw[3]) == 1) {
        py_obj *fr = py_call_method(file, "flush", NULL, 0);
        if (!fr)
            goto fail;
        tl_decref(fr);
    }
    tl_decref(file);
    py_RETURN_NONE;
fail:
    tl_decref(file);
    return NULL;
}

/* ---- simple functions ---------------------------------------------------------------- */

BUILTIN(len)
{
    if (nargs_exact("len", nargs, 1, kwnames) < 0)
        return NULL;
    intptr_t n = py_len(args[0]);
    return n < 0 ? NULL : py_int_from_long(n);
}

BUILTIN(repr)
{
    if (nargs_exact("repr", nargs, 1, kwnames) < 0)
        return NULL;
    return py_repr(args[0]);
}

BUILTIN(ascii)
{
    if (nargs_exact("ascii", nargs, 1, kwnames) < 0)
        return NULL;
    return py_ascii(args[0]);
}

py_obj *py_ascii(py_obj *o)
{
    py_obj *r = py_repr(o);
    if (!r)
        return NULL;
    const unsigned char *s = (const unsigned char *)py_str_utf8(r);
    size_t n = py_str_nbytes(r);
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        ascii &= s[i] < 0x80;
    if (ascii)
        return r;
    char *buf = malloc(n * 10 + 1), *o2 = buf;
    if (!buf) {
        tl_decref(r);
        return py_err_no_memory(), NULL;
    }
    for (size_t i = 0; i < n;) {
        uint32_t c = s[i];
        int len = 1;
        if (c >= 0xF0) { c = ((c & 7) << 18) | ((s[i+1] & 63u) << 12) | ((s[i+2] & 63u) << 6) | (s[i+3] & 63u); len = 4; }
        else if (c >= 0xE0) { c = ((c & 15) << 12) | ((s[i+1] & 63u) << 6) | (s[i+2] & 63u); len = 3; }
        else if (c >= 0xC0) { c = ((c & 31) << 6) | (s[i+1] & 63u); len = 2; }
        if (c < 0x80) *o2++ = (char)c;
        else if (c < 0x100) o2 += sprintf(o2, "\\x%02x", c);
        else if (c < 0x10000) o2 += sprintf(o2, "\\u%04x", c);
        else o2 += sprintf(o2, "\\U%08x", c);
        i += (size_t)len;
    }
    py_obj *res = py_str_from_utf8(buf, (size_t)(o2 - buf));
    free(buf);
    tl_decref(r);
    return res;
}

BUILTIN(id)
{
    if (nargs_exact("id", nargs, 1, kwnames) < 0)
        return NULL;
    return py_int_from_size((size_t)(uintptr_t)args[0]);
}

BUILTIN(hash)
{
    if (nargs_exact("hash", nargs, 1, kwnames) < 0)
        return NULL;
    intptr_t h = py_hash(args[0]);
    return h == -1 ? NULL : py_int_from_long(h);
}

BUILTIN(callable)
{
    if (nargs_exact("callable", nargs, 1, kwnames) < 0)
        return NULL;
    return py_bool(py_type_of(args[0])->call != NULL);
}

static int isinstance_impl(py_obj *o, py_obj *cls, int depth)
{
    if (depth > 100) {
        py_err_format(py_exc_RecursionError, "maximum recursion depth exceeded in __instancecheck__");
        return -1;
    }
    if (py_isinstance_of(cls, &py_tuple_type)) {
        for (intptr_t i = 0; i < py_tuple_size(cls); i++) {
            int r = isinstance_impl(o, py_tuple_items(cls)[i], depth + 1);
            if (r)
                return r;
        }
        return 0;
    }
    if (!py_isinstance_of(cls, &py_type_type)) {
        py_err_format(py_exc_TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union");
        return -1;
    }
    return py_isinstance_of(o, (py_type *)cls);
}

BUILTIN(isinstance)
{
    if (nargs_exact("isinstance", nargs, 2, kwnames) < 0)
        return NULL;
    int r = isinstance_impl(args[0], args[1], 0);
    return r < 0 ? NULL : py_bool(r);
}

static int issubclass_impl(py_obj *c, py_obj *cls)
{
    if (py_isinstance_of(cls, &py_tuple_type)) {
        for (intptr_t i = 0; i < py_tuple_size(cls); i++) {
            int r = issubclass_impl(c, py_tuple_items(cls)[i]);
            if (r)
                return r;
        }
        return 0;
    }
    if (!py_isinstance_of(cls, &py_type_type)) {
        py_err_format(py_exc_TypeError, "issubclass() arg 2 must be a class, a tuple of classes, or a union");
        return -1;
    }
    return py_type_is_subtype((py_type *)c, (py_type *)cls);
}

BUILTIN(issubclass)
{
    if (nargs_exact("issubclass", nargs, 2, kwnames) < 0)
        return NULL;
    if (!py_isinstance_of(args[0], &py_type_type)) {
        py_err_format(py_exc_TypeError, "issubclass() arg 1 must be a class");
        return NULL;
    }
    int r = issubclass_impl(args[0], args[1]);
    return r < 0 ? NULL : py_bool(r);
}

static int attr_name(const char *fn, py_obj *name)
{
    if (!py_str_check(name)) {
        py_err_format(py_exc_TypeError, "attribute name must be string, not '%s'", py_type_name(py_type_of(name)));
        return -1;
    }
    (void)fn;
    return 0;
}

BUILTIN(getattr)
{
    if (no_kw("getattr", kwnames) < 0)
        return NULL;
    if (nargs < 2 || nargs > 3) {
        py_err_format(py_exc_TypeError, "getattr expected at least 2 arguments, got %zd", (intptr_t)nargs);
        return NULL;
    }
    if (attr_name("getattr", args[1]) < 0)
        return NULL;
    if (nargs == 2)
        return py_getattr(args[0], args[1]);
    py_obj *v;
    int r = py_getattr_opt(args[0], args[1], &v);
    if (r < 0)
        return NULL;
    return r ? v : py_newref(args[2]);
}

BUILTIN(hasattr)
{
    if (nargs_exact("hasattr", nargs, 2, kwnames) < 0 || attr_name("hasattr", args[1]) < 0)
        return NULL;
    py_obj *v;
    int r = py_getattr_opt(args[0], args[1], &v);
    if (r < 0)
        return NULL;
    tl_xdecref(v);
    return py_bool(r);
}

BUILTIN(setattr)
{
    if (nargs_exact("setattr", nargs, 3, kwnames) < 0 || attr_name("setattr", args[1]) < 0)
        return NULL;
    if (py_setattr(args[0], args[1], args[2]) < 0)
        return NULL;
    py_RETURN_NONE;
}

BUILTIN(delattr)
{
    if (nargs_exact("delattr", nargs, 2, kwnames) < 0 || attr_name("delattr", args[1]) < 0)
        return NULL;
    if (py_setattr(args[0], args[1], NULL) < 0)
        return NULL;
    py_RETURN_NONE;
}

BUILTIN(abs)
{
    if (nargs_exact("abs", nargs, 1, kwnames) < 0)
        return NULL;
    py_unaryfunc f = py_type_of(args[0])->nb_absolute;
    if (!f) {
        py_err_format(py_exc_TypeError, "bad operand type for abs(): '%s'", py_type_name(py_type_of(args[0])));
        return NULL;
    }
    return f(args[0]);
}

BUILTIN(iter)
{
    if (no_kw("iter", kwnames) < 0)
        return NULL;
    if (nargs == 1)
        return py_iter(args[0]);
    if (nargs == 2)
        return py_calliter_new(args[0], args[1]);
    py_err_format(py_exc_TypeError, "iter expected at most 2 arguments, got %zd", (intptr_t)nargs);
    return NULL;
}

BUILTIN(next)
{
    if (no_kw("next", kwnames) < 0)
        return NULL;
    if (nargs < 1 || nargs > 2) {
        py_err_format(py_exc_TypeError, "next expected at least 1 argument, got %zd", (intptr_t)nargs);
        return NULL;
    }
    if (!py_type_of(args[0])->iternext) {
        py_err_format(py_exc_TypeError, "'%s' object is not an iterator", py_type_name(py_type_of(args[0])));
        return NULL;
    }
    py_obj *v = py_next(args[0]);
    if (v)
        return v;
    if (py_err_occurred()) {
        if (nargs == 2 && py_err_matches(py_exc_StopIteration)) {
            py_err_clear();
            return py_newref(args[1]);
        }
        return NULL;
    }
    if (nargs == 2)
        return py_newref(args[1]);
    py_err_set_object(py_exc_StopIteration, NULL);
    return NULL;
}

/* min/max with key= and default= */
static py_obj *minmax(const char *fn, py_obj *const *args, size_t nargs, py_obj *kwnames, int op)
{
    py_obj *key = NULL, *dflt = NULL;
    intptr_t nk = kwnames ? py_tuple_size(kwnames) : 0;
    for (intptr_t i = 0; i < nk; i++) {
        py_obj *k = py_tuple_items(kwnames)[i];
        if (py_str_equal_cstr(k, "key"))
            key = args[nargs + (size_t)i];
        else if (py_str_equal_cstr(k, "default"))
            dflt = args[nargs + (size_t)i];
        else {
            py_err_format(py_exc_TypeError, "%s() got an unexpected keyword argument '%U'", fn, k);
            return NULL;
        }
    }
    if (key == py_None)
        key = NULL;
    if (nargs == 0) {
        py_err_format(py_exc_TypeError, "%s expected at least 1 argument, got 0", fn);
        return NULL;
    }
    py_obj *it;
    if (nargs == 1) {
        it = py_iter(args[0]);
    } else {
        if (dflt) {
            py_err_format(py_exc_TypeError, "Cannot specify a default for %s() with multiple positional arguments", fn);
            return NULL;
        }
        py_obj *t = py_tuple_from_array(args, nargs);
        it = t ? py_iter(t) : NULL;
        tl_xdecref(t);
    }
    if (!it)
        return NULL;
    py_obj *best = NULL, *bestkey = NULL, *x;
    while ((x = py_next(it))) {
        py_obj *kx = key ? py_call1(key, x) : py_newref(x);
        if (!kx) {
            tl_decref(x);
            goto fail;
        }
        if (!best) {
            best = x;
            bestkey = kx;
            continue;
        }
        int c = py_richcompare_bool(kx, bestkey, op);
        if (c < 0) {
            tl_decref(x);
            tl_decref(kx);
            goto fail;
        }
        if (c) {
            tl_setref(&best, x);
            tl_setref(&bestkey, kx);
        } else {
            tl_decref(x);
            tl_decref(kx);
        }
    }
    if (py_err_occurred())
        goto fail;
    tl_decref(it);
    tl_xdecref(bestkey);
    if (!best) {
        if (dflt)
            return py_newref(dflt);
        py_err_format(py_exc_ValueError, "%s() arg is an empty sequence", fn);
    }
    return best;
fail:
    tl_decref(it);
    tl_xdecref(best);
    tl_xdecref(bestkey);
    return NULL;
}

BUILTIN(min) { return minmax("min", args, nargs, kwnames, PY_LT); }
BUILTIN(max) { return minmax("max", args, nargs, kwnames, PY_GT); }

BUILTIN(sum)
{
    py_obj *a[2];
    if (py_parse_args("sum", args, nargs, kwnames, "iterable|start", a) < 0)
        return NULL;
    py_obj *start = a[1];
    if (start && py_str_check(start)) {
        py_err_format(py_exc_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
        return NULL;
    }
    py_obj *acc = start ? py_newref(start) : py_int_from_long(0);
    py_obj *it = py_iter(a[0]), *x;
    if (!it) {
        tl_decref(acc);
        return NULL;
    }
    while ((x = py_next(it))) {
        py_obj *r = py_binary_op(acc, x, PY_NB_ADD);
        tl_decref(x);
        tl_decref(acc);
        if (!(acc = r))
            break;
    }
    tl_decref(it);
    if (acc && py_err_occurred())
        TL_CLEAR(acc);
    return acc;
}

BUILTIN(sorted)
{
    py_obj *key = NULL, *rev = NULL;
    if (nargs != 1) {
        py_err_format(py_exc_TypeError, "sorted expected 1 argument, got %zd", (intptr_t)nargs);
        return NULL;
    }
    for (intptr_t i = 0; kwnames && i < py_tuple_size(kwnames); i++) {
        py_obj *k = py_tuple_items(kwnames)[i];
        if (py_str_equal_cstr(k, "key"))
            key = args[nargs + (size_t)i];
        else if (py_str_equal_cstr(k, "reverse"))
            rev = args[nargs + (size_t)i];
        else {
            py_err_format(py_exc_TypeError, "sort() got an unexpected keyword argument '%U'", k);
            return NULL;
        }
    }
    py_obj *l = py_sequence_to_list(args[0]);
    if (!l)
        return NULL;
    int r = rev ? py_truthy(rev) : 0;
    if (r < 0 || py_list_sort(l, key == py_None ? NULL : key, r) < 0) {
        tl_decref(l);
        return NULL;
    }
    return l;
}

BUILTIN(any)
{
    if (nargs_exact("any", nargs, 1, kwnames) < 0)
        return NULL;
    py_obj *it = py_iter(args[0]), *x;
    if (!it)
        return NULL;
    int found = 0;
    while (!found && (x = py_next(it))) {
        found = py_truthy(x);
        tl_decref(x);
    }
    tl_decref(it);
    if (found < 0 || py_err_occurred())
        return NULL;
    return py_bool(found);
}

BUILTIN(all)
{
    if (nargs_exact("all", nargs, 1, kwnames) < 0)
        return NULL;
    py_obj *it = py_iter(args[0]), *x;
    if (!it)
        return NULL;
    int ok = 1;
    while (ok == 1 && (x = py_next(it))) {
        ok = py_truthy(x);
        tl_decref(x);
    }
    tl_decref(it);
    if (ok < 0 || py_err_occurred())
        return NULL;
    return py_bool(ok);
}

BUILTIN(ord)
{
    if (nargs_exact("ord", nargs, 1, kwnames) < 0)
        return NULL;
    py_obj *o = args[0];
    if (py_isinstance_of(o, &py_bytes_type)) {
        if (py_bytes_len(o) != 1) {
            py_err_format(py_exc_TypeError, "ord() expected a character, but string of length %zd found",
                          (intptr_t)py_bytes_len(o));
            return NULL;
        }
        return py_int_from_long((unsigned char)py_bytes_data(o)[0]);
    }
    if (!py_str_check(o)) {
        py_err_format(py_exc_TypeError, "ord() expected string of length 1, but %s found", py_type_name(py_type_of(o)));
        return NULL;
    }
    if (py_str_len(o) != 1) {
        py_err_format(py_exc_TypeError, "ord() expected a character, but string of length %zd found",
                      (intptr_t)py_str_len(o));
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)py_str_utf8(o);
    uint32_t c = s[0];
    if (c >= 0xF0) c = ((c & 7) << 18) | ((s[1] & 63u) << 12) | ((s[2] & 63u) << 6) | (s[3] & 63u);
    else if (c >= 0xE0) c = ((c & 15) << 12) | ((s[1] & 63u) << 6) | (s[2] & 63u);
    else if (c >= 0xC0) c = ((c & 31) << 6) | (s[1] & 63u);
    return py_int_from_long(c);
}

BUILTIN(chr)
{
    if (nargs_exact("chr", nargs, 1, kwnames) < 0)
        return NULL;
    if (!py_int_check(args[0])) {
        py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      py_type_name(py_type_of(args[0])));
        return NULL;
    }
    int overflow;
    long long c = py_int_as_long(args[0], &overflow);
    if (overflow || c < 0 || c > 0x10FFFF) {
        py_err_format(py_exc_ValueError, "chr() arg not in range(0x110000)");
        return NULL;
    }
    /* Latin-1 characters come from the one-character cache, as in CPython. */
    return py_str_from_char((uint32_t)c);
}

static py_obj *int_to_base(py_obj *o, int base, const char *prefix)
{
    intptr_t dummy;
    py_obj *i = o;
    if (!py_int_check(o)) {
        if (py_index(o, &dummy) < 0)
            return NULL;
        i = py_type_of(o)->nb_index(o);
        if (!i)
            return NULL;
    } else {
        tl_incref(i);
    }
    bool neg;
    char *d = py_int_digits(i, base, &neg);
    tl_decref(i);
    if (!d)
        return py_err_no_memory(), NULL;
    py_obj *r = py_str_from_format("%s%s%s", neg ? "-" : "", prefix, d);
    free(d);
    return r;
}

BUILTIN(bin) { return nargs_exact("bin", nargs, 1, kwnames) < 0 ? NULL : int_to_base(args[0], 2, "0b"); }
BUILTIN(oct) { return nargs_exact("oct", nargs, 1, kwnames) < 0 ? NULL : int_to_base(args[0], 8, "0o"); }
BUILTIN(hex) { return nargs_exact("hex", nargs, 1, kwnames) < 0 ? NULL : int_to_base(args[0], 16, "0x"); }

BUILTIN(divmod)
{
    if (nargs_exact("divmod", nargs, 2, kwnames) < 0)
        return NULL;
    py_obj *q = py_binary_op(args[0], args[1], PY_NB_FLOOR_DIVIDE);
    if (!q) {
        if (py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            py_err_format(py_exc_TypeError, "unsupported operand type(s) for divmod(): '%s' and '%s'",
                          py_type_name(py_type_of(args[0])), py_type_name(py_type_of(args[1])));
        }
        return NULL;
    }
    py_obj *r = py_binary_op(args[0], args[1], PY_NB_REMAINDER);
    if (!r) {
        tl_decref(q);
        return NULL;
    }
    py_obj *t = py_tuple_pack(2, q, r);
    tl_decref(q);
    tl_decref(r);
    return t;
}

BUILTIN(pow)
{
    py_obj *a[3];
    if (py_parse_args("pow", args, nargs, kwnames, "base exp|mod", a) < 0)
        return NULL;
    if (!a[2] || a[2] == py_None)
        return py_binary_op(a[0], a[1], PY_NB_POWER);
    py_ternaryfunc f = py_type_of(a[0])->nb_power3;
    /* The operands' slots in turn, as CPython: complex's refuses a modulus. */
    for (int i = 0; i < 3 && !py_isinstance_of(a[i], &py_float_type); i++)
        if (py_isinstance_of(a[i], &py_complex_type)) {
            py_err_format(py_exc_ValueError, "complex modulo");
            return NULL;
        }
    if (!py_int_check(a[0]) || !py_int_check(a[1]) || !py_int_check(a[2])) {
        py_err_format(py_exc_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
        return NULL;
    }
    if (!f) {
        py_err_format(py_exc_TypeError, "unsupported operand type(s) for ** or pow(): '%s', '%s', '%s'",
                      py_type_name(py_type_of(a[0])), py_type_name(py_type_of(a[1])), py_type_name(py_type_of(a[2])));
        return NULL;
    }
    py_obj *r = f(a[0], a[1], a[2]);
    if (r == py_NotImplemented) {
        tl_decref(r);
        py_err_format(py_exc_TypeError, "unsupported operand type(s) for ** or pow(): '%s', '%s', '%s'",
                      py_type_name(py_type_of(a[0])), py_type_name(py_type_of(a[1])), py_type_name(py_type_of(a[2])));
        return NULL;
    }
    return r;
}

/* round(x[, n]): half to even; floats with n via correctly rounded decimal text. */
static py_obj *round_float(double x, py_obj *nd)
{
    if (!nd || nd == py_None) {
        if (isnan(x)) {
            py_err_format(py_exc_ValueError, "cannot convert float NaN to integer");
            return NULL;
        }
        if (isinf(x)) {
            py_err_format(py_exc_OverflowError, "cannot convert float infinity to integer");
            return NULL;
        }
        double r = nearbyint(x);
        py_obj *f = py_float_new(r), *i = f ? py_call1(&py_int_type.tl.ob, f) : NULL;
        tl_xdecref(f);
        return i;
    }
    intptr_t n;
    if (py_index(nd, &n) < 0)
        return NULL;
    if (!isfinite(x) || n > 323)
        return py_float_new(x);
    if (n < -308)
        return py_float_new(0.0 * x);
    char buf[512];
    if (n >= 0) {
        snprintf(buf, sizeof buf, "%.*f", (int)n, x);
        return py_float_new(strtod(buf, NULL));
    }
    double p = pow(10.0, (double)-n), y = x / p, r = nearbyint(y);
    if (fabs(y - r) == 0.5)
        r = 2.0 * nearbyint(y / 2.0);
    return py_float_new(r * p);
}

BUILTIN(round)
{
    py_obj *a[2];
    if (py_parse_args("round", args, nargs, kwnames, "number|ndigits", a) < 0)
        return NULL;
    if (py_isinstance_of(a[0], &py_float_type))
        return round_float(py_float_value(a[0]), a[1]);
    if (py_int_check(a[0])) {
        if (!a[1] || a[1] == py_None)
            return py_call1(&py_int_type.tl.ob, a[0]);
        intptr_t n;
        if (py_index(a[1], &n) < 0)
            return NULL;
        if (n >= 0)
            return py_call1(&py_int_type.tl.ob, a[0]);
        /* Round to a multiple of 10**-n, half to even. */
        py_obj *ten = py_int_from_long(10), *e = py_int_from_long(-n);
        py_obj *p = py_binary_op(ten, e, PY_NB_POWER);
        tl_decref(ten);
        tl_decref(e);
        if (!p)
            return NULL;
        py_obj *args2[2] = {a[0], p};
        py_obj *qr = bi_divmod(NULL, args2, 2, NULL);
        if (!qr) {
            tl_decref(p);
            return NULL;
        }
        py_obj *q = py_tuple_items(qr)[0], *r = py_tuple_items(qr)[1];
        py_obj *two = py_int_from_long(2), *r2 = py_binary_op(r, two, PY_NB_MULTIPLY);
        int cmp = py_richcompare_bool(r2, p, PY_GT), eq = py_richcompare_bool(r2, p, PY_EQ);
        py_obj *odd = py_binary_op(q, two, PY_NB_REMAINDER);
        int isodd = py_truthy(odd);
        tl_decref(odd);
        tl_decref(two);
        tl_decref(r2);
        py_obj *qq = py_newref(q);
        if (cmp == 1 || (eq == 1 && isodd == 1)) {
            py_obj *one = py_int_from_long(1);
            tl_setref(&qq, py_binary_op(qq, one, PY_NB_ADD));
            tl_decref(one);
        }
        py_obj *res = qq ? py_binary_op(qq, p, PY_NB_MULTIPLY) : NULL;
        tl_xdecref(qq);
        tl_decref(qr);
        tl_decref(p);
        return res;
    }
    py_obj *m = py_lookup_special(a[0], "__round__");
    if (!m) {
        if (!py_err_occurred())
            py_err_format(py_exc_TypeError, "type %s doesn't define __round__ method", py_type_name(py_type_of(a[0])));
        return NULL;
    }
    py_obj *r = a[1] ? py_call1(m, a[1]) : py_call0(m);
    tl_decref(m);
    return r;
}

BUILTIN(format)
{
    py_obj *a[2];
    if (py_parse_args("format", args, nargs, kwnames, "value|format_spec", a) < 0)
        return NULL;
    return py_format(a[0], a[1]);
}

BUILTIN(vars)
{
    if (nargs == 0)
        return bi_locals_impl();
    if (nargs_exact("vars", nargs, 1, kwnames) < 0)
        return NULL;
    py_obj *d;
    if (py_getattr_opt(args[0], py_str_interned("__dict__"), &d) == 0) {
        py_err_format(py_exc_TypeError, "vars() argument must have __dict__ attribute");
        return NULL;
    }
    return d;
}

BUILTIN(dir)
{
    if (nargs == 0)
        return py_sequence_to_list_sorted(bi_locals_impl());
    if (nargs_exact("dir", nargs, 1, kwnames) < 0)
        return NULL;
    /* Looked up on the type, as every special method: dir(list) must reach
       type.__dir__, not the unbound object.__dir__ that list's own
       namespace would give. */
    py_obj *m = py_lookup_special(args[0], "__dir__");
    if (!m) {
        if (!py_err_occurred())
            py_err_format(py_exc_TypeError, "object does not provide __dir__");
        return NULL;
    }
    py_obj *r = py_call(m, NULL, 0, NULL);
    tl_decref(m);
    if (!r)
        return NULL;
    return py_sequence_to_list_sorted(r);
}

py_obj *bi_locals_impl(void)
{
    py_frame *f = vm.frame;
    if (!f)
        return py_dict_new();
    if (f->locals)
        return py_newref(f->locals);
    py_frameobj *fo = py_frame_object(f);
    if (!fo)
        return NULL;
    return py_getattr_str(&fo->ob, "f_locals");
}

BUILTIN(locals) { return nargs_exact("locals", nargs, 0, kwnames) < 0 ? NULL : bi_locals_impl(); }

BUILTIN(globals)
{
    if (nargs_exact("globals", nargs, 0, kwnames) < 0)
        return NULL;
    return vm.frame ? py_newref(vm.frame->globals) : py_dict_new();
}

BUILTIN(input)
{
    if (no_kw("input", kwnames) < 0)
        return NULL;
    if (nargs > 1) {
        py_err_format(py_exc_TypeError, "input expected at most 1 argument, got %zd", (intptr_t)nargs);
        return NULL;
    }
    if (nargs == 1) {
        py_obj *out = py_dict_get_str(py_module_dict(vm.sysmod), "stdout");
        py_obj *s = py_str(args[0]);
        int r = s && out ? write_str(out, s) : -1;
        tl_xdecref(s);
        if (r < 0)
            return NULL;
        py_obj *fr = py_call_method(out, "flush", NULL, 0);
        tl_xdecref(fr);
        py_err_clear();
    }
    return py_stdin_readline_for_input();
}

/* Fills the cell the class body made for __class__ and super() with the new
 * class, and drops it from the class's dict. A name that cannot be made
 * (out of memory) fails the class statement: a class whose methods find no
 * __class__ must not escape. */
static int set_class_cell(py_obj *cls, py_obj *ns)
{
    py_obj *cell;
    if (py_dict_check(ns)) {
        cell = py_xnewref(py_dict_get_str(ns, "__classcell__"));
    } else {                             /* any mapping __prepare__ returned */
        cell = py_getitem(ns, py_str_interned("__classcell__"));
        if (!cell && py_err_matches(py_exc_KeyError))
            py_err_clear();
    }
    if (!cell && py_err_occurred())
        return -1;
    if (cell && py_isinstance_exact(cell, &py_cell_type))
        tl_setref(&((py_cell *)cell)->ref, py_newref(cls));
    tl_xdecref(cell);
    if (!py_isinstance_of(cls, &py_type_type))
        return 0;
    py_obj *d = ((py_type *)cls)->dict;
    if (!py_dict_get_str(d, "__classcell__"))
        return py_err_occurred() ? -1 : 0;
    py_obj *key = py_str_interned("__classcell__");
    return key ? py_dict_del(d, key) : -1;
}

/* The most derived of meta and the bases' metaclasses (when meta is a
   class); a conflict is a TypeError, as CPython's. */
static py_obj *calculate_meta(py_obj *meta, py_obj *bases)
{
    if (!py_isinstance_of(meta, &py_type_type))
        return meta;
    py_type *winner = (py_type *)meta;
    for (intptr_t i = 0; i < py_tuple_size(bases); i++) {
        py_type *t = py_type_of(py_tuple_items(bases)[i]);
        if (py_type_is_subtype(winner, t))
            continue;
        if (py_type_is_subtype(t, winner)) {
            winner = t;
            continue;
        }
        py_err_format(py_exc_TypeError, "metaclass conflict: the metaclass of a derived class must be "
                      "a (non-strict) subclass of the metaclasses of all its bases");
        return NULL;
    }
    return &winner->tl.ob;
}

/* meta.__prepare__(name, bases, **kw), or a new dict when there is none;
   args: [name, bases, keyword values...]. */
static py_obj *prepare_namespace(py_obj *meta, py_obj *const *args, py_obj *kwnames)
{
    py_obj *prep;
    if (py_getattr_opt(meta, py_str_interned("__prepare__"), &prep) <= 0)
        return py_err_occurred() ? NULL : py_dict_new();
    py_obj *ns = py_call(prep, args, 2, py_tuple_size(kwnames) ? kwnames : NULL);
    tl_decref(prep);
    if (ns && !py_type_of(ns)->getitem) {
        py_err_format(py_exc_TypeError, "%s.__prepare__() must return a mapping, not %s",
                      py_isinstance_of(meta, &py_type_type) ? py_type_name((py_type *)meta) : "<metaclass>",
                      py_type_name(py_type_of(ns)));
        TL_CLEAR(ns);
    }
    return ns;
}

/* The class keywords without metaclass: values into kv, names as a tuple. */
static py_obj *class_keywords(py_obj *const *kwv, py_obj *kwnames, py_obj **kv, py_obj **meta)
{
    intptr_t nk = kwnames ? py_tuple_size(kwnames) : 0, m = 0;
    py_obj *names = py_tuple_new((size_t)(nk ? nk : 1));
    if (!names)
        return NULL;
    for (intptr_t i = 0; i < nk; i++) {
        py_obj *k = py_tuple_items(kwnames)[i];
        if (py_str_equal_cstr(k, "metaclass")) {
            *meta = kwv[i];
            continue;
        }
        kv[m] = kwv[i];
        py_tuple_items(names)[m++] = py_newref(k);
    }
    for (intptr_t i = m; i < (nk ? nk : 1); i++)
        py_tuple_items(names)[i] = py_newref(py_None);
    py_obj *t = py_tuple_from_array(py_tuple_items(names), (size_t)m);
    tl_decref(names);
    return t;
}

/* __build_class__(func, name, *bases, metaclass=..., **kw): the namespace
   from __prepare__, the body run in it, then meta(name, bases, ns, **kw). */
BUILTIN(build_class)
{
    if (nargs < 2) {
        py_err_format(py_exc_TypeError, "__build_class__: not enough arguments");
        return NULL;
    }
    py_obj *func = args[0], *name = args[1];
    if (!py_isinstance_exact(func, &py_function_type)) {
        py_err_format(py_exc_TypeError, "__build_class__: func must be a function");
        return NULL;
    }
    if (!py_str_check(name)) {
        py_err_format(py_exc_TypeError, "__build_class__: name is not a string");
        return NULL;
    }
    intptr_t nk = kwnames ? py_tuple_size(kwnames) : 0;
    size_t nb = nargs - 2;
    py_obj **v = tl_heap_alloc(vm.heap, (3 + (size_t)nk + 1) * sizeof *v);
    if (!v)
        return py_err_no_memory(), NULL;
    py_obj *meta = NULL, *cls = NULL, *ns = NULL;
    py_obj *kn = class_keywords(args + nargs, kwnames, v + 3, &meta);
    py_obj *bases = kn ? py_tuple_from_array(args + 2, nb) : NULL;
    if (!bases)
        goto done;
    bool explicit_meta = meta != NULL;
    if (!meta)
        meta = nb ? &py_type_of(py_tuple_items(bases)[0])->tl.ob : &py_type_type.tl.ob;
    if (!explicit_meta || py_isinstance_of(meta, &py_type_type))
        meta = calculate_meta(meta, bases);
    intptr_t m = py_tuple_size(kn);
    v[1] = name;
    v[2] = bases;
    if (!meta || !(ns = prepare_namespace(meta, v + 1, kn)))
        goto done;
    py_function *fn = (py_function *)func;
    py_obj *r = py_run_code(fn->code, fn->globals, ns, fn->closure);
    if (!r)
        goto done;
    tl_decref(r);
    v[0] = name;
    v[1] = bases;
    v[2] = ns;
    cls = py_call(meta, v, 3, m ? kn : NULL);
    if (cls && set_class_cell(cls, ns) < 0)
        TL_CLEAR(cls);
done:
    tl_xdecref(ns);
    tl_xdecref(bases);
    tl_xdecref(kn);
    tl_heap_free(v);
    return cls;
}

BUILTIN(import)
{
    py_obj *a[5];
    if (py_parse_args("__import__", args, nargs, kwnames, "name|globals locals fromlist level", a) < 0)
        return NULL;
    if (!py_str_check(a[0])) {
        py_err_format(py_exc_TypeError, "__import__() argument 1 must be str, not %s", py_type_name(py_type_of(a[0])));
        return NULL;
    }
    return py_import_from(a[0], a[3]);
}

static py_obj *compile_and_run(const char *fn, py_obj *const *args, size_t nargs, py_obj *kwnames, const char *mode)
{
    py_obj *a[3];
    if (py_parse_args(fn, args, nargs, kwnames, "source|globals locals", a) < 0)
        return NULL;
    py_obj *code;
    if (py_isinstance_exact(a[0], &py_code_type))
        code = py_newref(a[0]);
    else if (py_str_check(a[0]))
        code = py_compile(py_str_utf8(a[0]), py_str_nbytes(a[0]), "<string>", mode);
    else {
        py_err_format(py_exc_TypeError, "%s() arg 1 must be a string, bytes or code object", fn);
        return NULL;
    }
    if (!code)
        return NULL;
    py_obj *g = a[1] && a[1] != py_None ? a[1] : (vm.frame ? vm.frame->globals : NULL);
    py_obj *l = a[2] && a[2] != py_None ? a[2] : (a[1] && a[1] != py_None ? g : NULL);
    py_obj *own_l = NULL;
    if (!l)
        l = own_l = bi_locals_impl();
    if (!g || !l) {
        tl_decref(code);
        tl_xdecref(own_l);
        return NULL;
    }
    if (!py_dict_get_str(g, "__builtins__"))
        py_dict_set_str(g, "__builtins__", vm.builtins);
    py_obj *r = py_run_code(code, g, l, NULL);
    tl_decref(code);
    tl_xdecref(own_l);
    if (r && strcmp(mode, "exec") == 0) {
        tl_decref(r);
        py_RETURN_NONE;
    }
    return r;
}

BUILTIN(exec) { return compile_and_run("exec", args, nargs, kwnames, "exec"); }
BUILTIN(eval) { return compile_and_run("eval", args, nargs, kwnames, "eval"); }

static const py_method_def builtin_functions[] = {
    {"print", bi_print, NULL}, {"len", bi_len, NULL}, {"repr", bi_repr, NULL},
    {"ascii", bi_ascii, NULL}, {"id", bi_id, NULL}, {"hash", bi_hash, NULL},
    {"callable", bi_callable, NULL}, {"isinstance", bi_isinstance, NULL},
    {"issubclass", bi_issubclass, NULL}, {"getattr", bi_getattr, NULL},
    {"hasattr", bi_hasattr, NULL}, {"setattr", bi_setattr, NULL}, {"delattr", bi_delattr, NULL},
    {"abs", bi_abs, NULL}, {"iter", bi_iter, NULL}, {"next", bi_next, NULL},
    {"min", bi_min, NULL}, {"max", bi_max, NULL}, {"sum", bi_sum, NULL},
    {"sorted", bi_sorted, NULL}, {"any", bi_any, NULL}, {"all", bi_all, NULL},
    {"ord", bi_ord, NULL}, {"chr", bi_chr, NULL}, {"bin", bi_bin, NULL}, {"oct", bi_oct, NULL},
    {"hex", bi_hex, NULL}, {"divmod", bi_divmod, NULL}, {"pow", bi_pow, NULL},
    {"round", bi_round, NULL}, {"format", bi_format, NULL}, {"vars", bi_vars, NULL},
    {"dir", bi_dir, NULL}, {"locals", bi_locals, NULL}, {"globals", bi_globals, NULL},
    {"input", bi_input, NULL}, {"__build_class__", bi_build_class, NULL},
    {"__import__", bi_import, NULL}, {"exec", bi_exec, NULL}, {"eval", bi_eval, NULL},
    {NULL, NULL, NULL},
};

/* The builtins module (borrowed): __main__'s __builtins__, as in CPython;
 * other modules get its dict. */
py_obj *py_builtins_module(void)
{
    py_obj *m = py_dict_get_str(vm.modules, "builtins");
    return m ? m : vm.builtins;
}

int py_builtins_init(void)
{
    py_obj *m = py_module_new("builtins");
    if (!m)
        return -1;
    vm.builtins = py_newref(py_module_dict(m));
    if (py_module_add_functions(m, builtin_functions) < 0)
        return -1;
    struct { const char *name; py_obj *v; } values[] = {
        {"None", py_None}, {"True", py_True}, {"False", py_False},
        {"Ellipsis", py_Ellipsis}, {"NotImplemented", py_NotImplemented},
        {"object", &py_object_type.tl.ob}, {"type", &py_type_type.tl.ob},
        {"int", &py_int_type.tl.ob}, {"bool", &py_bool_type.tl.ob}, {"float", &py_float_type.tl.ob},
        {"complex", &py_complex_type.tl.ob},
        {"str", &py_str_type.tl.ob}, {"bytes", &py_bytes_type.tl.ob}, {"tuple", &py_tuple_type.tl.ob},
        {"list", &py_list_type.tl.ob}, {"dict", &py_dict_type.tl.ob}, {"set", &py_set_type.tl.ob},
        {"frozenset", &py_frozenset_type.tl.ob}, {"range", &py_range_type.tl.ob},
        {"slice", &py_slice_type.tl.ob}, {"property", &py_property_type.tl.ob},
        {"staticmethod", &py_staticmethod_type.tl.ob}, {"classmethod", &py_classmethod_type.tl.ob},
        {"super", &py_super_type.tl.ob}, {"enumerate", &py_enumerate_type.tl.ob},
        {"zip", &py_zip_type.tl.ob}, {"map", &py_map_type.tl.ob}, {"filter", &py_filter_type.tl.ob},
        {"reversed", &py_reversed_type.tl.ob},
    };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++)
        if (py_dict_set_str(vm.builtins, values[i].name, values[i].v) < 0)
            return -1;
    if (py_exc_add_to_builtins(vm.builtins) < 0)
        return -1;
    if (py_dict_set_str(vm.modules, "builtins", m) < 0)
        return -1;
    tl_decref(m);
    return 0;
}
