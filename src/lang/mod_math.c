/* mod_math.c — the math module: C's libm with Python's argument and error
 * rules, and the integer functions (factorial, gcd, comb, isqrt...) on
 * arbitrary-precision ints.
 *
 * Errors as CPython: a domain error is ValueError("math domain error"), an
 * overflow OverflowError("math range error"), a non-number TypeError
 * ("must be real number, not str").
 */
#include "py.h"
#include "lang_int.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#define MATHFN(name) static py_obj *m_##name(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)

/* float(x) for math's arguments: ints, floats, __float__, __index__. */
static int as_real(py_obj *o, double *out)
{
    if (py_isinstance_of(o, &py_float_type)) {
        *out = py_float_value(o);
        return 0;
    }
    if (py_int_check(o)) {
        *out = py_int_as_double(o);
        return py_err_occurred() ? -1 : 0;
    }
    py_type *t = py_type_of(o);
    py_unaryfunc f = t->nb_float ? t->nb_float : t->nb_index;
    if (f) {
        py_obj *v = f(o);
        if (!v)
            return -1;
        int r = as_real(v, out);
        tl_decref(v);
        return r;
    }
    py_err_format(py_exc_TypeError, "must be real number, not %s", py_type_name(t));
    return -1;
}

static int check_n(const char *fn, size_t nargs, size_t lo, size_t hi, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "math.%s() takes no keyword arguments", fn);
        return -1;
    }
    if (nargs < lo || nargs > hi) {
        if (lo == hi && lo == 1)
            py_err_format(py_exc_TypeError, "math.%s() takes exactly one argument (%zd given)", fn, (intptr_t)nargs);
        else if (lo == hi)
            py_err_format(py_exc_TypeError, "%s expected %zd arguments, got %zd", fn, (intptr_t)lo, (intptr_t)nargs);
        else
            py_err_format(py_exc_TypeError, "%s expected at least %zd argument%s, got %zd", fn, (intptr_t)lo,
                          lo == 1 ? "" : "s", (intptr_t)nargs);
        return -1;
    }
    return 0;
}

static py_obj *domain_error(void)
{
    py_err_format(py_exc_ValueError, "math domain error");
    return NULL;
}

static py_obj *range_error(void)
{
    py_err_format(py_exc_OverflowError, "math range error");
    return NULL;
}

/* Runs a one-argument libm function with CPython's error rules: a NaN from a
 * non-NaN argument is a domain error, an infinity from a finite one a range
 * error (or a domain error for functions with poles, `pole_is_domain`). */
static py_obj *unary(const char *name, double (*fn)(double), py_obj *const *args, size_t nargs,
                     py_obj *kwnames, bool pole_is_domain)
{
    double x;
    if (check_n(name, nargs, 1, 1, kwnames) < 0 || as_real(args[0], &x) < 0)
        return NULL;
    errno = 0;
    double r = fn(x);
    if (isnan(r) && !isnan(x))
        return domain_error();
    if (isinf(r) && isfinite(x))
        return pole_is_domain ? domain_error() : range_error();
    return py_float_new(r);
}

#define UNARY(name, fn, pole) MATHFN(name) { return unary(#name, fn, args, nargs, kwnames, pole); }
UNARY(sqrt, sqrt, true)
UNARY(exp, exp, false)
UNARY(sin, sin, false)
UNARY(cos, cos, false)
UNARY(tan, tan, false)
UNARY(asin, asin, true)
UNARY(acos, acos, true)
UNARY(atan, atan, false)
UNARY(sinh, sinh, false)
UNARY(cosh, cosh, false)
UNARY(tanh, tanh, false)
UNARY(fabs, fabs, false)
UNARY(log2, log2, true)
UNARY(log10, log10, true)
UNARY(expm1, expm1, false)
UNARY(log1p, log1p, true)

static double deg(double x) { return x * (180.0 / M_PI); }
static double rad(double x) { return x * (M_PI / 180.0); }
UNARY(degrees, deg, false)
UNARY(radians, rad, false)

/* log of an int of any size: through its bit length when it is too big for a double. */
static int log_of(py_obj *o, double *out)
{
    if (py_int_check(o) && !py_int_is_small(o)) {
        bool neg;
        char *bin = py_int_digits(o, 2, &neg);
        if (!bin)
            return py_err_no_memory(), -1;
        if (neg) {
            free(bin);
            domain_error();
            return -1;
        }
        size_t bits = strlen(bin);
        char top[60];
        size_t k = bits < 53 ? bits : 53;
        memcpy(top, bin, k);
        top[k] = 0;
        free(bin);
        double m = (double)strtoull(top, NULL, 2);
        *out = log(m) + (double)(bits - k) * M_LN2;
        return 0;
    }
    double x;
    if (as_real(o, &x) < 0)
        return -1;
    if (x <= 0) {
        domain_error();
        return -1;
    }
    *out = log(x);
    return 0;
}

MATHFN(log)
{
    double a, b;
    if (check_n("log", nargs, 1, 2, kwnames) < 0 || log_of(args[0], &a) < 0)
        return NULL;
    if (nargs == 1)
        return py_float_new(a);
    if (log_of(args[1], &b) < 0)
        return NULL;
    if (b == 0.0) {
        py_err_format(py_exc_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return py_float_new(a / b);
}

static py_obj *binary(const char *name, py_obj *const *args, size_t nargs, py_obj *kwnames, double *x, double *y)
{
    if (check_n(name, nargs, 2, 2, kwnames) < 0 || as_real(args[0], x) < 0 || as_real(args[1], y) < 0)
        return NULL;
    return py_None;
}

MATHFN(pow)
{
    double x, y;
    if (!binary("pow", args, nargs, kwnames, &x, &y))
        return NULL;
    if (x == 0.0 && y < 0)
        return domain_error();
    if (x < 0 && isfinite(x) && y != floor(y) && isfinite(y))
        return domain_error();
    double r = pow(x, y);
    if (isinf(r) && isfinite(x) && isfinite(y))
        return range_error();
    return py_float_new(r);
}

MATHFN(atan2)
{
    double x, y;
    if (!binary("atan2", args, nargs, kwnames, &y, &x))
        return NULL;
    return py_float_new(atan2(y, x));
}

MATHFN(fmod)
{
    double x, y;
    if (!binary("fmod", args, nargs, kwnames, &x, &y))
        return NULL;
    if (y == 0.0 && !isnan(x))
        return domain_error();
    if (isinf(x) && !isnan(y))
        return domain_error();
    return py_float_new(fmod(x, y));
}

MATHFN(copysign)
{
    double x, y;
    if (!binary("copysign", args, nargs, kwnames, &x, &y))
        return NULL;
    return py_float_new(copysign(x, y));
}

MATHFN(ldexp)
{
    double x;
    if (check_n("ldexp", nargs, 2, 2, kwnames) < 0 || as_real(args[0], &x) < 0)
        return NULL;
    if (!py_int_check(args[1])) {
        py_err_format(py_exc_TypeError, "Expected an int as second argument to ldexp.");
        return NULL;
    }
    int overflow;
    long long e = py_int_as_long(args[1], &overflow);
    if (overflow)
        e = overflow > 0 ? 100000 : -100000;
    if (e > 100000) e = 100000;
    if (e < -100000) e = -100000;
    double r = ldexp(x, (int)e);
    if (isinf(r) && isfinite(x))
        return range_error();
    return py_float_new(r);
}

MATHFN(hypot)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "hypot() takes no keyword arguments");
        return NULL;
    }
    double acc = 0.0;
    for (size_t i = 0; i < nargs; i++) {
        double v;
        if (as_real(args[i], &v) < 0)
            return NULL;
        acc = hypot(acc, v);
    }
    return py_float_new(acc);
}

static py_obj *int_of_double(double d)
{
    py_obj *f = py_float_new(d);
    py_obj *r = f ? py_call1(&py_int_type.tl.ob, f) : NULL;
    tl_xdecref(f);
    return r;
}

/* floor/ceil/trunc: ints as they are, __floor__/__ceil__/__trunc__, floats. */
static py_obj *rounding(const char *name, const char *dunder, double (*fn)(double), py_obj *const *args,
                        size_t nargs, py_obj *kwnames)
{
    if (check_n(name, nargs, 1, 1, kwnames) < 0)
        return NULL;
    py_obj *x = args[0];
    if (py_isinstance_exact(x, &py_int_type))
        return py_newref(x);
    if (!py_isinstance_exact(x, &py_float_type)) {
        py_obj *m = py_lookup_special(x, dunder);
        if (m) {
            py_obj *r = py_call0(m);
            tl_decref(m);
            return r;
        }
        if (py_err_occurred())
            return NULL;
        if (strcmp(name, "trunc") == 0) {
            py_err_format(py_exc_TypeError, "type %s doesn't define __trunc__ method", py_type_name(py_type_of(x)));
            return NULL;
        }
    }
    double d;
    if (as_real(x, &d) < 0)
        return NULL;
    return int_of_double(fn(d));
}

MATHFN(floor) { return rounding("floor", "__floor__", floor, args, nargs, kwnames); }
MATHFN(ceil) { return rounding("ceil", "__ceil__", ceil, args, nargs, kwnames); }
MATHFN(trunc) { return rounding("trunc", "__trunc__", trunc, args, nargs, kwnames); }

#define PRED(name, expr) \
    MATHFN(name) { double x; if (check_n(#name, nargs, 1, 1, kwnames) < 0 || as_real(args[0], &x) < 0) return NULL; \
                   return py_bool(expr); }
PRED(isfinite, isfinite(x))
PRED(isinf, isinf(x))
PRED(isnan, isnan(x))

MATHFN(isclose)
{
    py_obj *a[4];
    if (py_parse_args("isclose", args, nargs, kwnames, "a b$rel_tol abs_tol", a) < 0)
        return NULL;
    double x, y, rel = 1e-9, abst = 0.0;
    if (as_real(a[0], &x) < 0 || as_real(a[1], &y) < 0 || (a[2] && as_real(a[2], &rel) < 0) ||
        (a[3] && as_real(a[3], &abst) < 0))
        return NULL;
    if (rel < 0.0 || abst < 0.0) {
        py_err_format(py_exc_ValueError, "tolerances must be non-negative");
        return NULL;
    }
    if (x == y)
        return py_bool(true);
    if (isinf(x) || isinf(y))
        return py_bool(false);
    double diff = fabs(y - x);
    return py_bool(diff <= fabs(rel * y) || diff <= fabs(rel * x) || diff <= abst);
}

MATHFN(modf)
{
    double x, ip;
    if (check_n("modf", nargs, 1, 1, kwnames) < 0 || as_real(args[0], &x) < 0)
        return NULL;
    double fp = isinf(x) ? copysign(0.0, x) : modf(x, &ip);
    if (isinf(x))
        ip = x;
    py_obj *a = py_float_new(fp), *b = py_float_new(ip);
    py_obj *t = a && b ? py_tuple_pack(2, a, b) : NULL;
    tl_xdecref(a);
    tl_xdecref(b);
    return t;
}

MATHFN(frexp)
{
    double x;
    int e = 0;
    if (check_n("frexp", nargs, 1, 1, kwnames) < 0 || as_real(args[0], &x) < 0)
        return NULL;
    double m = (isnan(x) || isinf(x) || x == 0.0) ? x : frexp(x, &e);
    py_obj *a = py_float_new(m), *b = py_int_from_long(e);
    py_obj *t = a && b ? py_tuple_pack(2, a, b) : NULL;
    tl_xdecref(a);
    tl_xdecref(b);
    return t;
}

/* Exact sum (Shewchuk's algorithm, as CPython's fsum). */
MATHFN(fsum)
{
    if (check_n("fsum", nargs, 1, 1, kwnames) < 0)
        return NULL;
    py_obj *it = py_iter(args[0]), *v;
    if (!it)
        return NULL;
    double partials[64];
    int n = 0;
    double special = 0.0;
    bool inf_or_nan = false;
    while ((v = py_next(it))) {
        double x;
        int r = as_real(v, &x);
        tl_decref(v);
        if (r < 0) {
            tl_decref(it);
            return NULL;
        }
        if (!isfinite(x)) {
            special += x;
            inf_or_nan = true;
            continue;
        }
        int i = 0;
        for (int j = 0; j < n; j++) {
            double y = partials[j];
            if (fabs(x) < fabs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y, lo = y - (hi - x);
            if (lo != 0.0)
                partials[i++] = lo;
            x = hi;
        }
        n = i;
        if (x != 0.0) {
            if (n == 64) {
                /* Fold: precision beyond 64 partials is not needed in practice. */
                partials[0] += partials[1];
                memmove(partials + 1, partials + 2, sizeof(double) * 62);
                n = 63;
            }
            partials[n++] = x;
        }
    }
    tl_decref(it);
    if (py_err_occurred())
        return NULL;
    if (inf_or_nan) {
        if (isnan(special)) {
            py_err_format(py_exc_ValueError, "-inf + inf in fsum");
            return NULL;
        }
        return py_float_new(special);
    }
    double hi = 0.0;
    if (n > 0) {
        hi = partials[--n];
        double lo = 0.0;
        while (n > 0) {
            double x = hi, y = partials[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0)
                break;
        }
        if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
            double y = lo * 2.0, x = hi + y, yr = x - hi;
            if (y == yr)
                hi = x;
        }
    }
    return py_float_new(hi);
}

/* ---- integer functions ---------------------------------------------------------------- */

static int need_int(const char *fn, py_obj *o)
{
    if (py_int_check(o))
        return 0;
    if (py_isinstance_of(o, &py_float_type))
        py_err_format(py_exc_TypeError, "'float' object cannot be interpreted as an integer");
    else
        py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer", py_type_name(py_type_of(o)));
    (void)fn;
    return -1;
}

static py_obj *binop(py_obj *a, py_obj *b, int op)
{
    py_obj *r = py_binary_op(a, b, op);
    tl_decref(a);
    return r;
}

MATHFN(factorial)
{
    if (check_n("factorial", nargs, 1, 1, kwnames) < 0 || need_int("factorial", args[0]) < 0)
        return NULL;
    int overflow;
    long long n = py_int_as_long(args[0], &overflow);
    if (overflow > 0 || n > 100000) {
        py_err_format(py_exc_OverflowError, "factorial() argument should not exceed %ld", (long)LONG_MAX);
        return NULL;
    }
    if (overflow < 0 || n < 0) {
        py_err_format(py_exc_ValueError, "factorial() not defined for negative values");
        return NULL;
    }
    py_obj *acc = py_int_from_long(1);
    for (long long i = 2; acc && i <= n; i++) {
        py_obj *k = py_int_from_long(i);
        acc = k ? binop(acc, k, PY_NB_MULTIPLY) : (tl_decref(acc), NULL);
        tl_xdecref(k);
    }
    return acc;
}

static py_obj *gcd2(py_obj *a, py_obj *b)
{
    py_obj *x = py_call1(&py_int_type.tl.ob, a), *y = py_call1(&py_int_type.tl.ob, b);
    if (x) { py_obj *t = py_type_of(x)->nb_absolute(x); tl_decref(x); x = t; }
    if (y) { py_obj *t = py_type_of(y)->nb_absolute(y); tl_decref(y); y = t; }
    while (x && y && py_truthy(y)) {
        py_obj *r = py_binary_op(x, y, PY_NB_REMAINDER);
        tl_decref(x);
        x = y;
        y = r;
    }
    tl_xdecref(y);
    return x;
}

MATHFN(gcd)
{
    if (kwnames && py_tuple_size(kwnames))
        return py_err_format(py_exc_TypeError, "gcd() takes no keyword arguments"), NULL;
    py_obj *acc = py_int_from_long(0);
    for (size_t i = 0; acc && i < nargs; i++) {
        if (need_int("gcd", args[i]) < 0) {
            tl_decref(acc);
            return NULL;
        }
        py_obj *g = gcd2(acc, args[i]);
        tl_decref(acc);
        acc = g;
    }
    return acc;
}

MATHFN(lcm)
{
    if (kwnames && py_tuple_size(kwnames))
        return py_err_format(py_exc_TypeError, "lcm() takes no keyword arguments"), NULL;
    py_obj *acc = py_int_from_long(1);
    for (size_t i = 0; acc && i < nargs; i++) {
        if (need_int("lcm", args[i]) < 0) {
            tl_decref(acc);
            return NULL;
        }
        py_obj *g = gcd2(acc, args[i]);
        if (!g) {
            tl_decref(acc);
            return NULL;
        }
        if (!py_truthy(g)) {
            tl_decref(g);
            tl_decref(acc);
            return py_int_from_long(0);
        }
        py_obj *prod = py_binary_op(acc, args[i], PY_NB_MULTIPLY);
        tl_decref(acc);
        py_obj *q = prod ? py_binary_op(prod, g, PY_NB_FLOOR_DIVIDE) : NULL;
        tl_xdecref(prod);
        tl_decref(g);
        acc = q ? py_type_of(q)->nb_absolute(q) : NULL;
        tl_xdecref(q);
    }
    return acc;
}

static int nonneg_int(const char *what, py_obj *o, long long *out)
{
    if (need_int(what, o) < 0)
        return -1;
    int overflow;
    *out = py_int_as_long(o, &overflow);
    if (overflow || *out < 0) {
        py_err_format(overflow > 0 ? py_exc_OverflowError : py_exc_ValueError,
                      overflow > 0 ? "%s must not exceed %lld" : "%s must be a non-negative integer", what, LLONG_MAX);
        return -1;
    }
    return 0;
}

static py_obj *perm_comb(long long n, long long k, bool comb)
{
    if (k > n)
        return py_int_from_long(0);
    if (comb && k > n - k)
        k = n - k;
    py_obj *acc = py_int_from_long(1);
    for (long long i = 0; acc && i < k; i++) {
        py_obj *f = py_int_from_long(n - i);
        acc = f ? binop(acc, f, PY_NB_MULTIPLY) : (tl_decref(acc), NULL);
        tl_xdecref(f);
        if (comb && acc) {
            py_obj *d = py_int_from_long(i + 1);
            acc = d ? binop(acc, d, PY_NB_FLOOR_DIVIDE) : (tl_decref(acc), NULL);
            tl_xdecref(d);
        }
    }
    return acc;
}

MATHFN(comb)
{
    long long n, k;
    if (check_n("comb", nargs, 2, 2, kwnames) < 0 || nonneg_int("n", args[0], &n) < 0 || nonneg_int("k", args[1], &k) < 0)
        return NULL;
    return perm_comb(n, k, true);
}

MATHFN(perm)
{
    long long n, k;
    if (check_n("perm", nargs, 1, 2, kwnames) < 0 || nonneg_int("n", args[0], &n) < 0)
        return NULL;
    k = n;
    if (nargs == 2 && args[1] != py_None && nonneg_int("k", args[1], &k) < 0)
        return NULL;
    return perm_comb(n, k, false);
}

MATHFN(isqrt)
{
    if (check_n("isqrt", nargs, 1, 1, kwnames) < 0 || need_int("isqrt", args[0]) < 0)
        return NULL;
    py_obj *n = args[0];
    py_obj *zero = py_int_from_long(0);
    int neg = py_richcompare_bool(n, zero, PY_LT);
    tl_decref(zero);
    if (neg) {
        py_err_format(py_exc_ValueError, "isqrt() argument must be nonnegative");
        return NULL;
    }
    if (py_int_is_small(n)) {
        int overflow;
        long long v = py_int_as_long(n, &overflow);
        long long r = (long long)sqrtl((long double)v);
        while (r * r > v) r--;
        while ((r + 1) * (r + 1) <= v) r++;
        return py_int_from_long(r);
    }
    /* Newton's method on ints: x = (x + n // x) // 2 from above. */
    py_obj *x = py_newref(n), *two = py_int_from_long(2);
    for (;;) {
        py_obj *q = py_binary_op(n, x, PY_NB_FLOOR_DIVIDE);
        py_obj *s = q ? py_binary_op(x, q, PY_NB_ADD) : NULL;
        py_obj *y = s ? py_binary_op(s, two, PY_NB_FLOOR_DIVIDE) : NULL;
        tl_xdecref(q);
        tl_xdecref(s);
        if (!y) {
            tl_decref(x);
            tl_decref(two);
            return NULL;
        }
        if (py_richcompare_bool(y, x, PY_GE)) {
            tl_decref(y);
            break;
        }
        tl_decref(x);
        x = y;
    }
    tl_decref(two);
    return x;
}

MATHFN(prod)
{
    py_obj *a[2];
    if (py_parse_args("prod", args, nargs, kwnames, "iterable$start", a) < 0)
        return NULL;
    py_obj *acc = a[1] ? py_newref(a[1]) : py_int_from_long(1);
    py_obj *it = py_iter(a[0]), *v;
    if (!it) {
        tl_decref(acc);
        return NULL;
    }
    while (acc && (v = py_next(it))) {
        acc = binop(acc, v, PY_NB_MULTIPLY);
        tl_decref(v);
    }
    tl_decref(it);
    if (acc && py_err_occurred())
        TL_CLEAR(acc);
    return acc;
}

static const py_method_def math_functions[] = {
    {"sqrt", m_sqrt, NULL}, {"exp", m_exp, NULL}, {"expm1", m_expm1, NULL}, {"log", m_log, NULL},
    {"log2", m_log2, NULL}, {"log10", m_log10, NULL}, {"log1p", m_log1p, NULL}, {"pow", m_pow, NULL},
    {"sin", m_sin, NULL}, {"cos", m_cos, NULL}, {"tan", m_tan, NULL}, {"asin", m_asin, NULL},
    {"acos", m_acos, NULL}, {"atan", m_atan, NULL}, {"atan2", m_atan2, NULL}, {"sinh", m_sinh, NULL},
    {"cosh", m_cosh, NULL}, {"tanh", m_tanh, NULL}, {"fabs", m_fabs, NULL}, {"fmod", m_fmod, NULL},
    {"hypot", m_hypot, NULL}, {"degrees", m_degrees, NULL}, {"radians", m_radians, NULL},
    {"floor", m_floor, NULL}, {"ceil", m_ceil, NULL}, {"trunc", m_trunc, NULL},
    {"isfinite", m_isfinite, NULL}, {"isinf", m_isinf, NULL}, {"isnan", m_isnan, NULL},
    {"isclose", m_isclose, NULL}, {"copysign", m_copysign, NULL}, {"ldexp", m_ldexp, NULL},
    {"modf", m_modf, NULL}, {"frexp", m_frexp, NULL}, {"fsum", m_fsum, NULL},
    {"factorial", m_factorial, NULL}, {"gcd", m_gcd, NULL}, {"lcm", m_lcm, NULL}, {"comb", m_comb, NULL},
    {"perm", m_perm, NULL}, {"isqrt", m_isqrt, NULL}, {"prod", m_prod, NULL},
    {NULL, NULL, NULL},
};

py_obj *py_init_math(void)
{
    py_obj *m = py_module_new("math");
    if (!m || py_module_add_functions(m, math_functions) < 0 ||
        py_module_add(m, "pi", py_float_new(M_PI)) < 0 || py_module_add(m, "e", py_float_new(M_E)) < 0 ||
        py_module_add(m, "tau", py_float_new(2 * M_PI)) < 0 || py_module_add(m, "inf", py_float_new(INFINITY)) < 0 ||
        py_module_add(m, "nan", py_float_new(NAN)) < 0) {
        tl_xdecref(m);
        return NULL;
    }
    return m;
}
