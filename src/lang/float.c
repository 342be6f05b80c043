/* float.c — float: an IEEE double, with CPython's repr, hash and arithmetic.
 *
 * repr is the shortest string that reads back as the same double, laid out
 * as CPython does (fixed notation for exponents -4 < e <= 16, else "1e+16").
 * // and % follow Python's rule that the remainder has the divisor's sign.
 * hash equals the hash of an equal int, so 1.0 and 1 are the same dict key.
 */
#include "py.h"
#include "lang_int.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

static inline double fval(const py_obj *o) { return ((const py_float *)o)->v; }

double py_float_value(const py_obj *o) { return fval(o); }

/* Free list of exact floats, as CPython 3.11 keeps (at most 100): a program
 * that computes with floats frees one for nearly every one it makes, and
 * taking it back from there skips the heap both ways. Free-listed floats are
 * still heap blocks in use (sys.getallocatedblocks counts them, as CPython
 * counts its own); py_float_clear_freelist returns them to the heap, which
 * a full collection and the interpreter's teardown do. The push and pop are
 * inline in lang_int.h, for the VM's float fast paths. */
struct py_float_freelist py_float_freelist;

py_obj *py_float_new(double v) { return py_float_new_inline(v); }

py_obj *py_float_new_slow(double v)
{
    py_float *f = (py_float *)tl_object_new(vm.heap, &py_float_type.tl);
    if (!f)
        return py_err_no_memory(), NULL;
    f->v = v;
    return &f->ob;
}

void py_float_clear_freelist(void)
{
    while (py_float_freelist.n > 0)
        tl_object_free(&py_float_freelist.items[--py_float_freelist.n]->ob);
}

/* A float holds nothing and cannot be weakly referenced or finalized, so of
 * the standard sequence only the freeing is left (a float subclass's
 * instance dealloc ends here too). */
static void float_dealloc(tl_object *o)
{
    if (o->type == &py_float_type.tl)
        py_float_release(o);
    else
        tl_object_free(o);
}

/* Fills digits (no trailing zeros) and decpt from a mantissa m scaled so
   that the value is m * 10^scale. */
static int digits_of(long long m, int scale, char *digits, int *decpt)
{
    int n = snprintf(digits, 24, "%lld", m);
    *decpt = n + scale;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = 0;
    return n;
}

/* Shortest digits that round-trip, as CPython's repr (Gay's mode 0): for
 * the smallest precision p, the correctly rounded "%.{p}e" -- or, when it
 * lies just outside v's rounding interval, its neighbour on v's side at the
 * same precision, which may still be inside (2.0**710 needs this). */
static int shortest_digits(double v, char *digits, int *decpt)
{
    char buf[48];
    for (int p = 0; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p, v);
        char *e = strchr(buf, 'e');
        long long m = 0;
        for (const char *q = buf; q < e; q++)
            if (*q >= '0' && *q <= '9')
                m = m * 10 + (*q - '0');
        int scale = atoi(e + 1) - p;
        if (strtod(buf, NULL) == v || p == 17)
            return digits_of(m, scale, digits, decpt);
        long long near = strtod(buf, NULL) < v ? m + 1 : m - 1;
        snprintf(buf, sizeof buf, "%llde%d", near, scale);
        if (near > 0 && strtod(buf, NULL) == v)
            return digits_of(near, scale, digits, decpt);
    }
    return digits_of(0, 0, digits, decpt);
}

size_t py_float_repr_buf(double v, char *out, size_t size)
{
    if (isnan(v))
        return (size_t)snprintf(out, size, "nan");
    if (isinf(v))
        return (size_t)snprintf(out, size, v > 0 ? "inf" : "-inf");
    char digits[40], body[64];
    const char *sign = signbit(v) ? "-" : "";
    if (v == 0)
        return (size_t)snprintf(out, size, "%s0.0", sign);
    int decpt, n = shortest_digits(fabs(v), digits, &decpt);
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0)
            snprintf(body, sizeof body, "0.%.*s%s", -decpt, "0000", digits);
        else if (decpt >= n)
            snprintf(body, sizeof body, "%s%.*s.0", digits, decpt - n, "0000000000000000");
        else
            snprintf(body, sizeof body, "%.*s.%s", decpt, digits, digits + decpt);
    } else {
        int e = decpt - 1;
        if (n > 1)
            snprintf(body, sizeof body, "%c.%se%c%02d", digits[0], digits + 1, e < 0 ? '-' : '+', abs(e));
        else
            snprintf(body, sizeof body, "%ce%c%02d", digits[0], e < 0 ? '-' : '+', abs(e));
    }
    return (size_t)snprintf(out, size, "%s%s", sign, body);
}

static py_obj *float_repr(py_obj *o)
{
    char buf[64];
    size_t n = py_float_repr_buf(py_float_value(o), buf, sizeof buf);
    return py_str_from_utf8(buf, n);
}

py_obj *py_float_from_literal(const char *text, size_t len)
{
    char buf[128], *s = len < sizeof buf ? buf : malloc(len + 1);
    if (!s)
        return py_err_no_memory(), NULL;
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] != '_')
            s[k++] = text[i];
    s[k] = 0;
    double v = strtod(s, NULL);
    if (s != buf)
        free(s);
    return py_float_new(v);
}

/* float(str): Python's syntax (inf, nan, underscores between digits). */
static py_obj *float_from_string(py_obj *str)
{
    const char *s = py_str_utf8(str);
    size_t n = py_str_nbytes(str);
    char buf[128], *t = n < sizeof buf ? buf : malloc(n + 1);
    if (!t)
        return py_err_no_memory(), NULL;
    size_t k = 0;
    const char *p = s, *e = s + n;
    while (p < e && (*p == ' ' || (*p >= '\t' && *p <= '\r'))) p++;
    while (e > p && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r'))) e--;
    bool ok = p < e;
    for (const char *q = p; q < e; q++) {
        if (*q == '_') {
            if (q == p || q + 1 == e || !(q[-1] >= '0' && q[-1] <= '9') || !(q[1] >= '0' && q[1] <= '9'))
                ok = false;
            continue;
        }
        t[k++] = *q;
    }
    t[k] = 0;
    char *end = NULL;
    double v = ok ? strtod(t, &end) : 0;
    ok = ok && end && *end == 0;
    /* strtod accepts hex floats and "infinity"/"nan(...)": Python takes only the last two words. */
    if (ok && (strchr(t, 'x') || strchr(t, 'X') || strchr(t, '(')))
        ok = false;
    if (t != buf)
        free(t);
    if (!ok) {
        py_err_format(py_exc_ValueError, "could not convert string to float: %R", str);
        return NULL;
    }
    return py_float_new(v);
}

/* Converts an int or float operand; 0 if it is neither (NotImplemented).
 * An exact float is tested first and inline: it is nearly every operand. */
static int as_double_slow(py_obj *o, double *out)
{
    if (py_isinstance_of(o, &py_float_type)) {
        *out = fval(o);
        return 1;
    }
    if (py_int_check(o)) {
        *out = py_int_as_double(o);
        return py_err_occurred() ? -1 : 1;
    }
    return 0;
}

static inline int as_double(py_obj *o, double *out)
{
    if (PY_LIKELY(py_type_of(o) == &py_float_type)) {
        *out = fval(o);
        return 1;
    }
    return as_double_slow(o, out);
}

#define CONVERT(a, b, x, y) \
    double x, y; \
    do { int ra_ = as_double(a, &x); if (ra_ <= 0) return ra_ < 0 ? NULL : py_newref(py_NotImplemented); \
         int rb_ = as_double(b, &y); if (rb_ <= 0) return rb_ < 0 ? NULL : py_newref(py_NotImplemented); } while (0)

static py_obj *float_add(py_obj *a, py_obj *b) { CONVERT(a, b, x, y); return py_float_new(x + y); }
static py_obj *float_sub(py_obj *a, py_obj *b) { CONVERT(a, b, x, y); return py_float_new(x - y); }
static py_obj *float_mul(py_obj *a, py_obj *b) { CONVERT(a, b, x, y); return py_float_new(x * y); }

static py_obj *float_div(py_obj *a, py_obj *b)
{
    CONVERT(a, b, x, y);
    if (y == 0.0) {
        py_err_format(py_exc_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return py_float_new(x / y);
}

static double py_fmod(double x, double y)
{
    double m = fmod(x, y);
    if (m != 0.0) {
        if ((y < 0) != (m < 0))
            m += y;
    } else {
        m = copysign(0.0, y);
    }
    return m;
}

static py_obj *float_mod(py_obj *a, py_obj *b)
{
    CONVERT(a, b, x, y);
    if (y == 0.0) {
        py_err_format(py_exc_ZeroDivisionError, "float modulo");
        return NULL;
    }
    return py_float_new(py_fmod(x, y));
}

static double floordiv_d(double x, double y)
{
    double mod = fmod(x, y), div = (x - mod) / y;
    if (mod != 0.0 && ((y < 0) != (mod < 0)))
        div -= 1.0;
    double fl;
    if (div != 0.0) {
        fl = floor(div);
        if (div - fl > 0.5)
            fl += 1.0;
    } else {
        fl = copysign(0.0, x / y);
    }
    return fl;
}

static py_obj *float_floordiv(py_obj *a, py_obj *b)
{
    CONVERT(a, b, x, y);
    if (y == 0.0) {
        py_err_format(py_exc_ZeroDivisionError, "float floor division by zero");
        return NULL;
    }
    return py_float_new(floordiv_d(x, y));
}

static py_obj *float_pow(py_obj *a, py_obj *b)
{
    CONVERT(a, b, x, y);
    if (x == 0.0 && y < 0) {
        py_err_format(py_exc_ZeroDivisionError, "0.0 cannot be raised to a negative power");
        return NULL;
    }
    if (x < 0 && y != floor(y) && isfinite(y))
        return py_complex_pow_reals(x, y);      /* CPython hands this case to complex */
    double r = pow(x, y);
    if (isinf(r) && isfinite(x) && isfinite(y)) {
        py_err_format(py_exc_OverflowError, "(34, 'Numerical result out of range')");
        return NULL;
    }
    return py_float_new(r);
}

static py_obj *float_neg(py_obj *a) { return py_float_new(-py_float_value(a)); }
static py_obj *float_pos(py_obj *a) { return py_float_new(py_float_value(a)); }
static py_obj *float_abs(py_obj *a) { return py_float_new(fabs(py_float_value(a))); }
static int float_bool(py_obj *a) { return py_float_value(a) != 0.0; }

static py_obj *float_int(py_obj *a)
{
    py_obj *args[1] = {a};
    return py_call(&py_int_type.tl.ob, args, 1, NULL);
}

static py_obj *float_float(py_obj *a)
{
    return py_isinstance_exact(a, &py_float_type) ? py_newref(a) : py_float_new(py_float_value(a));
}

/* Compares a double with an int exactly (no rounding of big ints). */
static int cmp_float_int(double x, py_obj *i)
{
    if (isnan(x))
        return 2;        /* unordered */
    if (isinf(x))
        return x > 0 ? 1 : -1;
    if (py_int_is_small(i)) {
        int overflow;
        long long v = py_int_as_long(i, &overflow);
        if (llabs(v) < (1LL << 53)) {
            double y = (double)v;
            return (x > y) - (x < y);
        }
    }
    /* Exact: compare floor(x) as an int, then the fraction. */
    double fl = floor(x);
    py_obj *xi = py_float_new(fl), *xint = xi ? float_int(xi) : NULL;
    tl_xdecref(xi);
    if (!xint)
        return 3;
    py_obj *r = py_richcompare(xint, i, PY_LT);
    int lt = r == py_True;
    tl_xdecref(r);
    r = py_richcompare(xint, i, PY_EQ);
    int eq = r == py_True;
    tl_xdecref(r);
    tl_decref(xint);
    if (lt)
        return -1;
    if (eq)
        return x > fl ? 1 : 0;
    return 1;
}

static py_obj *float_richcompare(py_obj *a, py_obj *b, int op)
{
    double x = py_float_value(a);
    int c;
    if (py_isinstance_of(b, &py_float_type)) {
        double y = py_float_value(b);
        if (isnan(x) || isnan(y))
            return py_bool(op == PY_NE);
        c = (x > y) - (x < y);
    } else if (py_int_check(b)) {
        c = cmp_float_int(x, b);
        if (c == 3)
            return NULL;
        if (c == 2)
            return py_bool(op == PY_NE);
    } else {
        return py_newref(py_NotImplemented);
    }
    return py_cmp_result(c, op);
}

#define HASH_BITS 61
#define HASH_MOD ((UINT64_C(1) << HASH_BITS) - 1)

/* CPython's _Py_HashDouble. */
intptr_t py_hash_double(double v)
{
    if (isinf(v))
        return v > 0 ? 314159 : -314159;
    if (isnan(v))
        return 0;
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0;
    while (m) {
        x = ((x << 28) & HASH_MOD) | x >> (HASH_BITS - 28);
        m *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MOD)
            x -= HASH_MOD;
    }
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    x = ((x << e) & HASH_MOD) | x >> (HASH_BITS - e);
    int64_t h = (int64_t)x * sign;
    return h == -1 ? -2 : (intptr_t)h;
}

static intptr_t float_hash(py_obj *o) { return py_hash_double(py_float_value(o)); }

static py_obj *float_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *a[1] = {NULL};
    if (py_parse_args("float", args, nargs, kwnames, "|x", a) < 0)
        return NULL;
    py_obj *r;
    if (!a[0])
        r = py_float_new(0.0);
    else if (py_str_check(a[0]))
        r = float_from_string(a[0]);
    else if (py_isinstance_exact(a[0], &py_float_type))
        r = py_newref(a[0]);
    else if (py_int_check(a[0])) {
        double d = py_int_as_double(a[0]);
        r = py_err_occurred() ? NULL : py_float_new(d);
    } else if (py_type_of(a[0])->nb_float) {
        r = py_type_of(a[0])->nb_float(a[0]);
    } else if (py_type_of(a[0])->nb_index) {
        py_obj *i = py_type_of(a[0])->nb_index(a[0]);
        r = i ? py_float_new(py_int_as_double(i)) : NULL;
        tl_xdecref(i);
    } else {
        py_err_format(py_exc_TypeError, "float() argument must be a string or a real number, not '%s'",
                      py_type_name(py_type_of(a[0])));
        return NULL;
    }
    if (!r || t == &py_float_type)
        return r;
    py_float *o = (py_float *)tl_object_new(vm.heap, &t->tl);
    if (o)
        o->v = py_float_value(r);
    tl_decref(r);
    return o ? &o->ob : (py_err_no_memory(), NULL);
}

static py_obj *float_m_is_integer(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    double v = py_float_value(a[0]);
    return py_bool(isfinite(v) && floor(v) == v);
}

static py_obj *float_m_format(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 2 || !py_str_check(a[1]))
        return py_err_format(py_exc_TypeError, "format() argument must be str"), NULL;
    if (py_str_len(a[1]) == 0)
        return py_str(a[0]);
    return py_format_float(a[0], a[1]);
}

static py_obj *float_m_trunc(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return float_int(a[0]); }

static py_obj *float_m_hex(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%a", py_float_value(a[0]));
    return py_str_from_cstr(buf);
}

static py_obj *float_m_as_integer_ratio(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    double v = py_float_value(a[0]);
    if (!isfinite(v)) {
        py_err_format(isinf(v) ? py_exc_OverflowError : py_exc_ValueError,
                      isinf(v) ? "cannot convert Infinity to integer ratio" : "cannot convert NaN to integer ratio");
        return NULL;
    }
    int e;
    double m = frexp(v, &e);
    for (int i = 0; i < 300 && m != floor(m); i++) {
        m *= 2.0;
        e--;
    }
    py_obj *num = py_float_new(m), *numi = num ? float_int(num) : NULL;
    tl_xdecref(num);
    if (!numi)
        return NULL;
    py_obj *one = py_int_from_long(1), *sh = py_int_from_long(e < 0 ? -e : e);
    py_obj *den = py_binary_op(one, sh, PY_NB_LSHIFT);
    tl_decref(one);
    tl_decref(sh);
    if (!den) {
        tl_decref(numi);
        return NULL;
    }
    if (e > 0) {
        py_obj *t = py_binary_op(numi, den, PY_NB_MULTIPLY);
        tl_decref(numi);
        tl_decref(den);
        numi = t;
        den = py_int_from_long(1);
    }
    py_obj *r = numi ? py_tuple_pack(2, numi, den) : NULL;
    tl_xdecref(numi);
    tl_decref(den);
    return r;
}

static py_obj *float_get_real(py_obj *o) { return float_float(o); }
static py_obj *float_get_imag(py_obj *o) { return py_float_new(0.0); }

static const py_method_def float_methods[] = {
    {"is_integer", float_m_is_integer, NULL},
    {"__format__", float_m_format, NULL},
    {"__trunc__", float_m_trunc, NULL},
    {"hex", float_m_hex, NULL},
    {"as_integer_ratio", float_m_as_integer_ratio, NULL},
    {NULL, NULL, NULL},
};

static const py_getset_def float_getsets[] = {
    {"real", float_get_real, NULL},
    {"imag", float_get_imag, NULL},
    {NULL, NULL, NULL},
};

py_type py_float_type = {
    PY_TYPE_HEAD("float", sizeof(py_float), 0, 0, .dealloc = float_dealloc),
    .pyflags = PY_TPFLAGS_BASETYPE,
    .repr = float_repr,
    .hash = float_hash,
    .richcompare = float_richcompare,
    .nb = {
        [PY_NB_ADD] = float_add, [PY_NB_SUBTRACT] = float_sub, [PY_NB_MULTIPLY] = float_mul,
        [PY_NB_TRUE_DIVIDE] = float_div, [PY_NB_FLOOR_DIVIDE] = float_floordiv,
        [PY_NB_REMAINDER] = float_mod, [PY_NB_POWER] = float_pow,
    },
    .nb_negative = float_neg,
    .nb_positive = float_pos,
    .nb_absolute = float_abs,
    .nb_bool = float_bool,
    .nb_int = float_int,
    .nb_float = float_float,
    .tp_new = float_new,
    .methods = float_methods,
    .getsets = float_getsets,
    .doc = "Convert a string or number to a floating point number, if possible.",
};

int py_float_init(void) { return py_type_ready(&py_float_type) < 0 ? -1 : py_complex_init(); }
