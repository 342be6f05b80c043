/* mod_math.c — the math module, as CPython 3.11's mathmodule.
 *
 * Owns: the module's functions and constants. Float functions convert their
 * arguments as CPython's PyFloat_AsDouble does (float, __float__, then
 * __index__; "must be real number, not T" otherwise) and report C library
 * failures with CPython's words: a NaN from a non-NaN argument or an infinity
 * from a finite one is ValueError "math domain error", except for functions
 * that can legitimately overflow (exp, sinh, ...), where it is OverflowError
 * "math range error". Integer functions (factorial, gcd, comb, isqrt...) take
 * __index__ and compute with GMP on the ints' own representation, so results
 * of any size are exact.
 *
 * gamma and lgamma are math_gamma.c's, CPython's own algorithm (not the C
 * library's), so results agree to the bit.
 *
 * Does not: complex numbers (cmath), sumprod (3.12).
 */
#include "py.h"
#include "lang_int.h"

#include <errno.h>
#include <float.h>
#include <gmp.h>
#include <math.h>

/* ---- arguments ------------------------------------------------------------------------------ */

/* CPython's wording for argument-count errors of math functions: one-argument
 * functions name themselves "math.f()", the others "f expected N arguments". */
static int check_args(const char *name, size_t nargs, py_obj *kwnames, size_t min, size_t max)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "math.%s() takes no keyword arguments", name);
        return -1;
    }
    if (nargs >= min && nargs <= max)
        return 0;
    if (min == 1 && max == 1)
        py_err_format(py_exc_TypeError, "math.%s() takes exactly one argument (%zd given)", name, (intptr_t)nargs);
    else if (min == max)
        py_err_format(py_exc_TypeError, "%s expected %zd arguments, got %zd", name, (intptr_t)min, (intptr_t)nargs);
    else if (nargs < min)
        py_err_format(py_exc_TypeError, "%s expected at least %zd argument%s, got %zd", name, (intptr_t)min,
                      min == 1 ? "" : "s", (intptr_t)nargs);
    else
        py_err_format(py_exc_TypeError, "%s expected at most %zd arguments, got %zd", name, (intptr_t)max,
                      (intptr_t)nargs);
    return -1;
}

/* PyFloat_AsDouble: 0 and *out, or -1 with TypeError/OverflowError. */
static int to_double(py_obj *o, double *out)
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
    if (t->nb_float) {
        py_obj *f = t->nb_float(o);
        if (!f)
            return -1;
        if (!py_isinstance_of(f, &py_float_type)) {
            py_err_format(py_exc_TypeError, "%s.__float__ returned non-float (type %s)", py_type_name(t),
                          py_type_name(py_type_of(f)));
            tl_decref(f);
            return -1;
        }
        *out = py_float_value(f);
        tl_decref(f);
        return 0;
    }
    if (t->nb_index) {
        py_obj *i = t->nb_index(o);
        if (!i)
            return -1;
        int r = py_int_check(i) ? 0 : -1;
        if (r == 0)
            *out = py_int_as_double(i);
        else
            py_err_format(py_exc_TypeError, "__index__ returned non-int (type %s)", py_type_name(py_type_of(i)));
        tl_decref(i);
        return r < 0 || py_err_occurred() ? -1 : 0;
    }
    py_err_format(py_exc_TypeError, "must be real number, not %s", py_type_name(t));
    return -1;
}

/* operator.index(o): a new reference to an int. */
static py_obj *to_int(py_obj *o)
{
    if (py_int_check(o))
        return py_newref(o);
    py_type *t = py_type_of(o);
    if (!t->nb_index) {
        py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer", py_type_name(t));
        return NULL;
    }
    py_obj *i = t->nb_index(o);
    if (i && !py_int_check(i)) {
        py_err_format(py_exc_TypeError, "__index__ returned non-int (type %s)", py_type_name(py_type_of(i)));
        TL_CLEAR(i);
    }
    return i;
}

/* ---- ints and GMP ------------------------------------------------------------------------- */

/* Loads an int into z (initialised by the caller); lang_int.h documents the layout. */
static void load_mpz(mpz_ptr z, py_obj *i)
{
    const py_int *p = (const py_int *)i;
    if (p->v == INT64_MIN)
        mpz_set(z, (mpz_srcptr)(const void *)p->z);
    else
        mpz_set_si(z, (long)p->v);
}

/* An int with z's value (through its hexadecimal digits for big values). */
static py_obj *int_from_mpz(mpz_srcptr z)
{
    if (mpz_fits_slong_p(z))
        return py_int_from_long(mpz_get_si(z));
    size_t n = mpz_sizeinbase(z, 16) + 2;
    char *buf = tl_heap_alloc(vm.heap, n);
    if (!buf)
        return py_err_no_memory(), NULL;
    mpz_get_str(buf, 16, z);
    py_obj *r = py_int_from_string(buf, strlen(buf), 16);
    tl_heap_free(buf);
    return r;
}

/* An argument as an mpz (initialised here; the caller clears it on success). */
static int arg_mpz(mpz_ptr z, py_obj *o)
{
    py_obj *i = to_int(o);
    if (!i)
        return -1;
    mpz_init(z);
    load_mpz(z, i);
    tl_decref(i);
    return 0;
}

/* ---- error reporting ---------------------------------------------------------------------- */

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

/* CPython's is_error: errno after a libm call; an underflow is not an error. */
static py_obj *float_result(double r, int err)
{
    if (err == EDOM)
        return domain_error();
    if (err == ERANGE && fabs(r) >= 1.5)
        return range_error();
    return py_float_new(r);
}

/* One float in, one float out (CPython's math_1). */
static py_obj *math_1(const char *name, py_obj *const *args, size_t nargs, py_obj *kwnames,
                      double (*fn)(double), bool can_overflow)
{
    double x;
    if (check_args(name, nargs, kwnames, 1, 1) < 0 || to_double(args[0], &x) < 0)
        return NULL;
    errno = 0;
    double r = fn(x);
    if (isnan(r) && !isnan(x))
        return domain_error();
    if (isinf(r) && isfinite(x))
        return can_overflow ? range_error() : domain_error();
    return isfinite(r) && errno ? float_result(r, errno) : py_float_new(r);
}

#define MATH_1(name, fn, ovf)                                                                    \
    static py_obj *math_##name(py_obj *c, py_obj *const *a, size_t n, py_obj *k)                 \
    {                                                                                            \
        return math_1(#name, a, n, k, fn, ovf);                                                  \
    }

MATH_1(sqrt, sqrt, false)
MATH_1(exp, exp, true)
MATH_1(exp2, exp2, true)
MATH_1(expm1, expm1, true)
MATH_1(sin, sin, false)
MATH_1(cos, cos, false)
MATH_1(tan, tan, false)
MATH_1(asin, asin, false)
MATH_1(acos, acos, false)
MATH_1(atan, atan, false)
MATH_1(sinh, sinh, true)
MATH_1(cosh, cosh, true)
MATH_1(tanh, tanh, false)
MATH_1(asinh, asinh, false)
MATH_1(acosh, acosh, false)
MATH_1(atanh, atanh, false)
MATH_1(fabs, fabs, false)
MATH_1(cbrt, cbrt, false)
MATH_1(erf, erf, false)
MATH_1(erfc, erfc, false)

/* gamma and lgamma report through errno only (CPython's math_1a). */
static py_obj *math_1a(const char *name, py_obj *const *args, size_t nargs, py_obj *kwnames,
                       double (*fn)(double))
{
    double x;
    if (check_args(name, nargs, kwnames, 1, 1) < 0 || to_double(args[0], &x) < 0)
        return NULL;
    errno = 0;
    double r = fn(x);
    return errno ? float_result(r, errno) : py_float_new(r);
}

static py_obj *math_gamma(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return math_1a("gamma", a, n, k, py_math_gamma);
}

static py_obj *math_lgamma(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return math_1a("lgamma", a, n, k, py_math_lgamma);
}

/* degrees and radians scale without range checks: degrees(1e308) is inf. */
static py_obj *math_degrees(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x;
    if (check_args("degrees", nargs, kwnames, 1, 1) < 0 || to_double(args[0], &x) < 0)
        return NULL;
    return py_float_new(x * (180.0 / M_PI));
}

static py_obj *math_radians(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x;
    if (check_args("radians", nargs, kwnames, 1, 1) < 0 || to_double(args[0], &x) < 0)
        return NULL;
    return py_float_new(x * (M_PI / 180.0));
}

/* Two floats in, e.g. atan2 and copysign. */
static int two_doubles(const char *name, py_obj *const *args, size_t nargs, py_obj *kwnames, double *x, double *y)
{
    if (check_args(name, nargs, kwnames, 2, 2) < 0 || to_double(args[0], x) < 0 || to_double(args[1], y) < 0)
        return -1;
    return 0;
}

static py_obj *math_atan2(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double y, x;
    if (two_doubles("atan2", args, nargs, kwnames, &y, &x) < 0)
        return NULL;
    return py_float_new(atan2(y, x));
}

static py_obj *math_copysign(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x, y;
    if (two_doubles("copysign", args, nargs, kwnames, &x, &y) < 0)
        return NULL;
    return py_float_new(copysign(x, y));
}

static py_obj *math_fmod(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x, y;
    if (two_doubles("fmod", args, nargs, kwnames, &x, &y) < 0)
        return NULL;
    if (isinf(y) && isfinite(x))
        return py_float_new(x);
    double r = fmod(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y))
        return domain_error();
    return py_float_new(r);
}

static py_obj *math_remainder(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x, y;
    if (two_doubles("remainder", args, nargs, kwnames, &x, &y) < 0)
        return NULL;
    if (isnan(x) || isnan(y))
        return py_float_new(isnan(x) ? x : y);
    if (isinf(x) || y == 0.0)
        return domain_error();
    return py_float_new(remainder(x, y));
}

/* CPython's math.pow: C99 special cases, errors for finite arguments only. */
static py_obj *math_pow(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x, y;
    if (two_doubles("pow", args, nargs, kwnames, &x, &y) < 0)
        return NULL;
    if (!isfinite(x) || !isfinite(y)) {
        if (isnan(x))
            return py_float_new(y == 0.0 ? 1.0 : x);
        if (isnan(y))
            return py_float_new(x == 1.0 ? 1.0 : y);
        return py_float_new(pow(x, y));
    }
    double r = pow(x, y);
    if (isnan(r))
        return domain_error();
    if (isinf(r))
        return x == 0.0 ? domain_error() : range_error();
    return py_float_new(r);
}

/* ---- logarithms ----------------------------------------------------------------------------- */

/* log of x (float or int of any size) through fn; domain errors as CPython's m_log. */
static int log_of(py_obj *x, double (*fn)(double), double *out)
{
    if (py_int_check(x)) {
        int ovf;
        long long small = py_int_as_long(x, &ovf);
        if ((!ovf && small <= 0) || ovf < 0)
            return domain_error(), -1;
        double d = py_int_as_double(x);
        if (!py_err_occurred()) {
            *out = fn(d);
            return 0;
        }
        /* Too big for a float: log(m * 2**e) = log(m) + e * log(2). */
        py_err_clear();
        mpz_t z;
        mpz_init(z);
        load_mpz(z, x);
        long e;
        double m = mpz_get_d_2exp(&e, z);
        mpz_clear(z);
        *out = fn(m) + (double)e * fn(2.0);
        return 0;
    }
    double d;
    if (to_double(x, &d) < 0)
        return -1;
    if (isnan(d) || (isinf(d) && d > 0)) {
        *out = d;
        return 0;
    }
    if (d <= 0.0)
        return domain_error(), -1;
    *out = fn(d);
    return 0;
}

static py_obj *math_log(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames))
        return py_err_format(py_exc_TypeError, "log() takes no keyword arguments"), NULL;
    if (nargs < 1 || nargs > 2)
        return py_err_format(py_exc_TypeError, "math.log requires 1 to 2 arguments"), NULL;
    double num, den;
    if (log_of(args[0], log, &num) < 0)
        return NULL;
    if (nargs == 1)
        return py_float_new(num);
    if (log_of(args[1], log, &den) < 0)
        return NULL;
    if (den == 0.0) {
        py_err_format(py_exc_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return py_float_new(num / den);
}

#define MATH_LOG(name, fn)                                                                       \
    static py_obj *math_##name(py_obj *c, py_obj *const *a, size_t n, py_obj *k)                 \
    {                                                                                            \
        double r;                                                                                \
        if (check_args(#name, n, k, 1, 1) < 0 || log_of(a[0], fn, &r) < 0)                       \
            return NULL;                                                                         \
        return py_float_new(r);                                                                  \
    }

MATH_LOG(log2, log2)
MATH_LOG(log10, log10)

static py_obj *math_log1p(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x;
    if (check_args("log1p", nargs, kwnames, 1, 1) < 0 || to_double(args[0], &x) < 0)
        return NULL;
    if (x <= -1.0)
        return domain_error();
    return py_float_new(log1p(x));
}

/* ---- rounding to ints ------------------------------------------------------------------------- */

/* floor/ceil: exact floats directly, then the type's __floor__/__ceil__, then float(x). */
static py_obj *round_to_int(const char *name, const char *special, double (*fn)(double),
                            py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (check_args(name, nargs, kwnames, 1, 1) < 0)
        return NULL;
    py_obj *x = args[0];
    if (py_isinstance_exact(x, &py_float_type))
        return py_int_from_double(fn(py_float_value(x)));
    if (py_int_check(x))
        return py_int_type.nb_positive(x);
    py_obj *m = py_lookup_special(x, special);
    if (m) {
        py_obj *r = py_call0(m);
        tl_decref(m);
        return r;
    }
    if (py_err_occurred())
        return NULL;
    double d;
    if (to_double(x, &d) < 0)
        return NULL;
    return py_int_from_double(fn(d));
}

static py_obj *math_floor(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return round_to_int("floor", "__floor__", floor, args, nargs, kwnames);
}

static py_obj *math_ceil(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return round_to_int("ceil", "__ceil__", ceil, args, nargs, kwnames);
}

static py_obj *math_trunc(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (check_args("trunc", nargs, kwnames, 1, 1) < 0)
        return NULL;
    py_obj *x = args[0];
    if (py_isinstance_of(x, &py_float_type))
        return py_int_from_double(trunc(py_float_value(x)));
    if (py_int_check(x))
        return py_int_type.nb_positive(x);
    py_obj *m = py_lookup_special(x, "__trunc__");
    if (!m) {
        if (!py_err_occurred())
            py_err_format(py_exc_TypeError, "type %s doesn't define __trunc__ method",
                          py_type_name(py_type_of(x)));
        return NULL;
    }
    py_obj *r = py_call0(m);
    tl_decref(m);
    return r;
}

/* ---- float decomposition ------------------------------------------------------------------- */

static py_obj *pair(py_obj *a, py_obj *b)
{
    py_obj *t = a && b ? py_tuple_pack(2, a, b) : NULL;
    tl_xdecref(a);
    tl_xdecref(b);
    return t;
}

static py_obj *math_modf(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x, ip;
    if (check_args("modf", nargs, kwnames, 1, 1) < 0 || to_double(args[0], &x) < 0)
        return NULL;
    if (isinf(x))
        return pair(py_float_new(copysign(0.0, x)), py_float_new(x));
    double fp = modf(x, &ip);
    return pair(py_float_new(fp), py_float_new(ip));
}

static py_obj *math_frexp(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x;
    int e = 0;
    if (check_args("frexp", nargs, kwnames, 1, 1) < 0 || to_double(args[0], &x) < 0)
        return NULL;
    double m = isnan(x) || isinf(x) || x == 0.0 ? x : frexp(x, &e);
    return pair(py_float_new(m), py_int_from_long(e));
}

static py_obj *math_ldexp(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x;
    if (check_args("ldexp", nargs, kwnames, 2, 2) < 0 || to_double(args[0], &x) < 0)
        return NULL;
    if (!py_int_check(args[1])) {
        py_err_format(py_exc_TypeError, "Expected an int as second argument to ldexp.");
        return NULL;
    }
    int ovf;
    long long e = py_int_as_long(args[1], &ovf);
    if (ovf)
        e = ovf > 0 ? INT32_MAX : INT32_MIN;
    if (e > INT32_MAX)
        e = INT32_MAX;
    if (e < INT32_MIN)
        e = INT32_MIN;
    if (x == 0.0 || !isfinite(x))
        return py_float_new(x);
    double r = ldexp(x, (int)e);
    if (isinf(r))
        return range_error();
    return py_float_new(r);
}

/* ---- comparisons and classification --------------------------------------------------------- */

#define MATH_PRED(name, expr)                                                                    \
    static py_obj *math_##name(py_obj *c, py_obj *const *a, size_t n, py_obj *k)                 \
    {                                                                                            \
        double x;                                                                                \
        if (check_args(#name, n, k, 1, 1) < 0 || to_double(a[0], &x) < 0)                        \
            return NULL;                                                                         \
        return py_bool(expr);                                                                    \
    }

MATH_PRED(isfinite, isfinite(x))
MATH_PRED(isinf, isinf(x))
MATH_PRED(isnan, isnan(x))

static py_obj *math_isclose(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *o[4];
    double a, b, rel = 1e-09, abs_tol = 0.0;
    if (py_parse_args("isclose", args, nargs, kwnames, "a b$rel_tol abs_tol", o) < 0 ||
        to_double(o[0], &a) < 0 || to_double(o[1], &b) < 0 || (o[2] && to_double(o[2], &rel) < 0) ||
        (o[3] && to_double(o[3], &abs_tol) < 0))
        return NULL;
    if (rel < 0.0 || abs_tol < 0.0) {
        py_err_format(py_exc_ValueError, "tolerances must be non-negative");
        return NULL;
    }
    if (a == b)
        return py_bool(true);
    if (isinf(a) || isinf(b))
        return py_bool(false);
    double diff = fabs(b - a);
    return py_bool((diff <= fabs(rel * b)) || (diff <= fabs(rel * a)) || diff <= abs_tol);
}

/* ---- hypot: CPython's vector_norm ------------------------------------------------------------ */

/* sqrt(sum of squares) with power-of-two scaling, exact squares (Veltkamp
 * split), compensated sums and one correction step of the root: the same
 * arithmetic as CPython 3.11, hence the same last bit. */
static double vector_norm(size_t n, double *vec, double max, bool found_nan)
{
    const double t27 = 134217729.0;    /* 2**27 + 1 */
    if (isinf(max))
        return max;
    if (found_nan)
        return NAN;
    if (max == 0.0 || n <= 1)
        return max;
    int max_e;
    frexp(max, &max_e);
    if (max_e < -1023) {
        for (size_t i = 0; i < n; i++)
            vec[i] /= DBL_MIN;
        return DBL_MIN * vector_norm(n, vec, max / DBL_MIN, found_nan);
    }
    double scale = ldexp(1.0, -max_e), csum = 1.0, f1 = 0.0, f2 = 0.0, f3 = 0.0, old, t, hi, lo, x;
    for (size_t i = 0; i < n; i++) {
        x = vec[i] * scale;
        t = x * t27;
        hi = t - (t - x);
        lo = x - hi;
        x = hi * hi;
        old = csum; csum += x; f1 += (old - csum) + x;
        x = 2.0 * hi * lo;
        old = csum; csum += x; f2 += (old - csum) + x;
        f3 += lo * lo;
    }
    double h = sqrt(csum - 1.0 + (f1 + f2 + f3));
    t = h * t27;
    hi = t - (t - h);
    lo = h - hi;
    x = -hi * hi;
    old = csum; csum += x; f1 += (old - csum) + x;
    x = -2.0 * hi * lo;
    old = csum; csum += x; f2 += (old - csum) + x;
    f3 += -lo * lo;
    x = csum - 1.0 + (f1 + f2 + f3);
    return (h + x / (2.0 * h)) / scale;
}

static py_obj *norm_of(size_t n, py_obj *const *a, py_obj *const *b)
{
    double small[16], *v = n > 16 ? tl_heap_alloc(vm.heap, n * sizeof *v) : small, max = 0.0;
    if (!v)
        return py_err_no_memory(), NULL;
    bool nan = false;
    for (size_t i = 0; i < n; i++) {
        double x, y = 0.0;
        if (to_double(a[i], &x) < 0 || (b && to_double(b[i], &y) < 0)) {
            if (v != small)
                tl_heap_free(v);
            return NULL;
        }
        v[i] = fabs(x - y);
        nan |= isnan(v[i]);
        if (v[i] > max)
            max = v[i];
    }
    double r = vector_norm(n, v, max, nan);
    if (v != small)
        tl_heap_free(v);
    return py_float_new(r);
}

static py_obj *math_hypot(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (check_args("hypot", nargs, kwnames, 0, SIZE_MAX) < 0)
        return NULL;
    return norm_of(nargs, args, NULL);
}

static py_obj *math_dist(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (check_args("dist", nargs, kwnames, 2, 2) < 0)
        return NULL;
    py_obj *p = py_sequence_to_tuple(args[0]), *q = p ? py_sequence_to_tuple(args[1]) : NULL, *r = NULL;
    if (q && py_tuple_size(p) != py_tuple_size(q))
        py_err_format(py_exc_ValueError, "both points must have the same number of dimensions");
    else if (q)
        r = norm_of((size_t)py_tuple_size(p), py_tuple_items(p), py_tuple_items(q));
    tl_xdecref(p);
    tl_xdecref(q);
    return r;
}

/* ---- fsum: Shewchuk's exact partials, as CPython ---------------------------------------------- */

typedef struct partials {
    double *p;
    size_t n, cap;
    double small[32];
} partials;

static int partials_push(partials *ps, double x)
{
    if (ps->n == ps->cap) {
        size_t cap = ps->cap * 2;
        double *np = tl_heap_alloc(vm.heap, cap * sizeof *np);
        if (!np)
            return py_err_no_memory(), -1;
        memcpy(np, ps->p, ps->n * sizeof *np);
        if (ps->p != ps->small)
            tl_heap_free(ps->p);
        ps->p = np;
        ps->cap = cap;
    }
    ps->p[ps->n++] = x;
    return 0;
}

/* Adds x to the partials (each exact, non-overlapping, increasing). */
static int partials_add(partials *ps, double x, double *special, double *inf_sum)
{
    double xsave = x;
    size_t i = 0;
    for (size_t j = 0; j < ps->n; j++) {
        double y = ps->p[j];
        if (fabs(x) < fabs(y)) {
            double t = x; x = y; y = t;
        }
        double hi = x + y, lo = y - (hi - x);
        if (lo != 0.0)
            ps->p[i++] = lo;
        x = hi;
    }
    ps->n = i;
    if (x == 0.0)
        return 0;
    if (isfinite(x))
        return partials_push(ps, x);
    if (isfinite(xsave)) {
        py_err_format(py_exc_OverflowError, "intermediate overflow in fsum");
        return -1;
    }
    if (isinf(xsave))
        *inf_sum += xsave;
    *special += xsave;
    ps->n = 0;
    return 0;
}

/* The correctly rounded sum of the partials. */
static double partials_sum(partials *ps)
{
    size_t n = ps->n;
    double hi = 0.0, lo = 0.0;
    if (n == 0)
        return hi;
    hi = ps->p[--n];
    while (n > 0) {
        double x = hi, y = ps->p[--n];
        hi = x + y;
        lo = y - (hi - x);
        if (lo != 0.0)
            break;
    }
    if (n > 0 && ((lo < 0.0 && ps->p[n - 1] < 0.0) || (lo > 0.0 && ps->p[n - 1] > 0.0))) {
        double y = lo * 2.0, x = hi + y;
        if (y == x - hi)
            hi = x;
    }
    return hi;
}

static py_obj *math_fsum(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (check_args("fsum", nargs, kwnames, 1, 1) < 0)
        return NULL;
    py_obj *it = py_iter(args[0]), *item;
    if (!it)
        return NULL;
    partials ps = {.n = 0, .cap = 32};
    ps.p = ps.small;
    double special = 0.0, inf_sum = 0.0, x;
    int err = 0;
    while (!err && (item = py_next(it))) {
        err = to_double(item, &x) < 0 || partials_add(&ps, x, &special, &inf_sum) < 0;
        tl_decref(item);
    }
    tl_decref(it);
    double sum = partials_sum(&ps);
    if (ps.p != ps.small)
        tl_heap_free(ps.p);
    if (err || py_err_occurred())
        return NULL;
    if (special != 0.0) {
        if (isnan(inf_sum)) {
            py_err_format(py_exc_ValueError, "-inf + inf in fsum");
            return NULL;
        }
        sum = special;
    }
    return py_float_new(sum);
}

/* ---- integer functions ------------------------------------------------------------------------ */

static py_obj *math_factorial(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (check_args("factorial", nargs, kwnames, 1, 1) < 0)
        return NULL;
    if (py_isinstance_of(args[0], &py_float_type)) {
        py_err_format(py_exc_TypeError, "'float' object cannot be interpreted as an integer");
        return NULL;
    }
    py_obj *n = to_int(args[0]);
    if (!n)
        return NULL;
    int ovf;
    long long v = py_int_as_long(n, &ovf);
    tl_decref(n);
    if (ovf > 0 || (!ovf && v > LONG_MAX)) {
        py_err_format(py_exc_OverflowError, "factorial() argument should not exceed %ld", LONG_MAX);
        return NULL;
    }
    if (ovf < 0 || v < 0) {
        py_err_format(py_exc_ValueError, "factorial() not defined for negative values");
        return NULL;
    }
    mpz_t z;
    mpz_init(z);
    mpz_fac_ui(z, (unsigned long)v);
    py_obj *r = int_from_mpz(z);
    mpz_clear(z);
    return r;
}

/* gcd and lcm of any number of ints. */
static py_obj *fold_ints(const char *name, py_obj *const *args, size_t nargs, py_obj *kwnames,
                         void (*op)(mpz_ptr, mpz_srcptr, mpz_srcptr), long empty)
{
    if (check_args(name, nargs, kwnames, 0, SIZE_MAX) < 0)
        return NULL;
    mpz_t acc, x;
    mpz_init_set_si(acc, empty);
    for (size_t i = 0; i < nargs; i++) {
        if (arg_mpz(x, args[i]) < 0) {
            mpz_clear(acc);
            return NULL;
        }
        if (i == 0)
            mpz_abs(acc, x);
        else
            op(acc, acc, x);
        mpz_clear(x);
    }
    py_obj *r = int_from_mpz(acc);
    mpz_clear(acc);
    return r;
}

static py_obj *math_gcd(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return fold_ints("gcd", args, nargs, kwnames, mpz_gcd, 0);
}

static py_obj *math_lcm(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return fold_ints("lcm", args, nargs, kwnames, mpz_lcm, 1);
}

static py_obj *math_isqrt(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    mpz_t z;
    if (check_args("isqrt", nargs, kwnames, 1, 1) < 0 || arg_mpz(z, args[0]) < 0)
        return NULL;
    py_obj *r = NULL;
    if (mpz_sgn(z) < 0) {
        py_err_format(py_exc_ValueError, "isqrt() argument must be nonnegative");
    } else {
        mpz_sqrt(z, z);
        r = int_from_mpz(z);
    }
    mpz_clear(z);
    return r;
}

/* n and k of comb/perm as mpz (initialised here), both checked non-negative. */
static int comb_args(py_obj *n_obj, py_obj *k_obj, mpz_ptr n, mpz_ptr k)
{
    if (arg_mpz(n, n_obj) < 0)
        return -1;
    if (arg_mpz(k, k_obj) < 0) {
        mpz_clear(n);
        return -1;
    }
    const char *bad = mpz_sgn(n) < 0 ? "n" : mpz_sgn(k) < 0 ? "k" : NULL;
    if (bad) {
        py_err_format(py_exc_ValueError, "%s must be a non-negative integer", bad);
        mpz_clear(n);
        mpz_clear(k);
        return -1;
    }
    return 0;
}

/* n! / (n-k)! (perm) or that divided by k! (comb), for 0 <= k <= n. */
static py_obj *comb_perm(mpz_ptr n, mpz_ptr k, bool comb)
{
    py_obj *r = NULL;
    mpz_t t;
    mpz_init(t);
    if (mpz_cmp(k, n) > 0) {
        r = py_int_from_long(0);
        goto done;
    }
    if (comb) {
        mpz_sub(t, n, k);
        if (mpz_cmp(t, k) < 0)
            mpz_set(k, t);
    }
    if (!mpz_fits_ulong_p(k)) {
        py_err_format(py_exc_OverflowError, "%s must not exceed %ld", comb ? "min(n - k, k)" : "k", LONG_MAX);
        goto done;
    }
    unsigned long kk = mpz_get_ui(k);
    if (comb) {
        mpz_bin_ui(t, n, kk);
    } else {
        mpz_set_ui(t, 1);
        mpz_t f;
        mpz_init_set(f, n);
        for (unsigned long i = 0; i < kk; i++, mpz_sub_ui(f, f, 1))
            mpz_mul(t, t, f);
        mpz_clear(f);
    }
    r = int_from_mpz(t);
done:
    mpz_clear(t);
    return r;
}

static py_obj *math_comb(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    mpz_t n, k;
    if (check_args("comb", nargs, kwnames, 2, 2) < 0 || comb_args(args[0], args[1], n, k) < 0)
        return NULL;
    py_obj *r = comb_perm(n, k, true);
    mpz_clear(n);
    mpz_clear(k);
    return r;
}

static py_obj *math_perm(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    mpz_t n, k;
    if (check_args("perm", nargs, kwnames, 1, 2) < 0)
        return NULL;
    if (nargs == 1 || args[1] == py_None)     /* perm(n) is factorial(n) */
        return math_factorial(c, args, 1, NULL);
    if (comb_args(args[0], args[1], n, k) < 0)
        return NULL;
    py_obj *r = comb_perm(n, k, false);
    mpz_clear(n);
    mpz_clear(k);
    return r;
}

static py_obj *math_prod(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *a[2];
    if (nargs != 1) {
        py_err_format(py_exc_TypeError, nargs == 0 ? "prod() takes exactly 1 positional argument (0 given)"
                                                   : "prod() takes at most 2 arguments (%zd given)",
                      (intptr_t)nargs + (kwnames ? py_tuple_size(kwnames) : 0));
        return NULL;
    }
    if (py_parse_args("prod", args, nargs, kwnames, "iterable$start", a) < 0)
        return NULL;
    py_obj *it = py_iter(a[0]), *item;
    if (!it)
        return NULL;
    py_obj *acc = a[1] ? py_newref(a[1]) : py_int_from_long(1);
    while (acc && (item = py_next(it))) {
        py_obj *next = py_binary_op(acc, item, PY_NB_MULTIPLY);
        tl_decref(item);
        tl_decref(acc);
        acc = next;
    }
    tl_decref(it);
    if (acc && py_err_occurred())
        TL_CLEAR(acc);
    return acc;
}

/* ---- ulp-level functions -------------------------------------------------------------------- */

static py_obj *math_nextafter(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x, y;
    if (two_doubles("nextafter", args, nargs, kwnames, &x, &y) < 0)
        return NULL;
    return py_float_new(nextafter(x, y));
}

static py_obj *math_ulp(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    double x;
    if (check_args("ulp", nargs, kwnames, 1, 1) < 0 || to_double(args[0], &x) < 0)
        return NULL;
    if (isnan(x))
        return py_float_new(x);
    x = fabs(x);
    if (isinf(x))
        return py_float_new(x);
    double up = nextafter(x, INFINITY);
    if (isinf(up))
        return py_float_new(x - nextafter(x, -INFINITY));
    return py_float_new(up - x);
}

/* ---- the module ------------------------------------------------------------------------------ */

static const py_method_def math_functions[] = {
    {"acos", math_acos, NULL}, {"acosh", math_acosh, NULL}, {"asin", math_asin, NULL},
    {"asinh", math_asinh, NULL}, {"atan", math_atan, NULL}, {"atan2", math_atan2, NULL},
    {"atanh", math_atanh, NULL}, {"cbrt", math_cbrt, NULL}, {"ceil", math_ceil, NULL},
    {"comb", math_comb, NULL}, {"copysign", math_copysign, NULL}, {"cos", math_cos, NULL},
    {"cosh", math_cosh, NULL}, {"degrees", math_degrees, NULL}, {"dist", math_dist, NULL},
    {"erf", math_erf, NULL}, {"erfc", math_erfc, NULL},
    {"gamma", math_gamma, NULL}, {"lgamma", math_lgamma, NULL}, {"exp", math_exp, NULL},
    {"exp2", math_exp2, NULL}, {"expm1", math_expm1, NULL}, {"fabs", math_fabs, NULL},
    {"factorial", math_factorial, NULL}, {"floor", math_floor, NULL}, {"fmod", math_fmod, NULL},
    {"frexp", math_frexp, NULL}, {"fsum", math_fsum, NULL}, {"gcd", math_gcd, NULL},
    {"hypot", math_hypot, NULL}, {"isclose", math_isclose, NULL}, {"isfinite", math_isfinite, NULL},
    {"isinf", math_isinf, NULL}, {"isnan", math_isnan, NULL}, {"isqrt", math_isqrt, NULL},
    {"lcm", math_lcm, NULL}, {"ldexp", math_ldexp, NULL}, {"log", math_log, NULL},
    {"log10", math_log10, NULL}, {"log1p", math_log1p, NULL}, {"log2", math_log2, NULL},
    {"modf", math_modf, NULL}, {"nextafter", math_nextafter, NULL}, {"perm", math_perm, NULL},
    {"pow", math_pow, NULL}, {"prod", math_prod, NULL}, {"radians", math_radians, NULL},
    {"remainder", math_remainder, NULL}, {"sin", math_sin, NULL}, {"sinh", math_sinh, NULL},
    {"sqrt", math_sqrt, NULL}, {"tan", math_tan, NULL}, {"tanh", math_tanh, NULL},
    {"trunc", math_trunc, NULL}, {"ulp", math_ulp, NULL},
    {NULL, NULL, NULL},
};

py_obj *py_init_math(void)
{
    py_obj *m = py_module_new("math");
    if (!m)
        return NULL;
    if (py_module_add_functions(m, math_functions) < 0 ||
        py_module_add(m, "pi", py_float_new(M_PI)) < 0 || py_module_add(m, "e", py_float_new(M_E)) < 0 ||
        py_module_add(m, "tau", py_float_new(2.0 * M_PI)) < 0 ||
        py_module_add(m, "inf", py_float_new(INFINITY)) < 0 || py_module_add(m, "nan", py_float_new(NAN)) < 0) {
        tl_decref(m);
        return NULL;
    }
    return m;
}
