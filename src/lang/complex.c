/* complex.c — the complex type: imaginary literals, complex(), arithmetic
 * mixed with int and float, and float ** fractional powers of negative
 * bases (which CPython hands to complex).
 *
 * Layout: header and two doubles; immutable; not a GC type. The arithmetic
 * is CPython 3.11's, operation for operation, so results agree to the bit:
 * Smith's division with the larger component of the divisor first, integer
 * powers up to 100 by repeated squaring, other powers in polar form. Only
 * == and != compare; ordering is left to the generic TypeError.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"
#include "strformat.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct cval {
    double real, imag;
} cval;

typedef struct py_complex {
    tl_object ob;
    cval v;
} py_complex;

static cval CV(py_obj *o) { return ((py_complex *)o)->v; }

py_obj *py_complex_new(double real, double imag)
{
    py_complex *c = (py_complex *)tl_object_new(vm.heap, &py_complex_type.tl);
    if (!c)
        return py_err_no_memory(), NULL;
    c->v.real = real;
    c->v.imag = imag;
    return &c->ob;
}

static py_obj *from_cval(cval v) { return py_complex_new(v.real, v.imag); }

/* An int, float or complex operand as a complex: 1, 0 for another type
   (NotImplemented), -1 on error (an int too large for a float). */
static int as_cval(py_obj *o, cval *out)
{
    if (py_isinstance_of(o, &py_complex_type)) {
        *out = CV(o);
        return 1;
    }
    if (py_isinstance_of(o, &py_float_type)) {
        *out = (cval){py_float_value(o), 0.0};
        return 1;
    }
    if (py_int_check(o)) {
        double d = py_int_as_double(o);
        if (d == -1.0 && py_err_occurred())
            return -1;
        *out = (cval){d, 0.0};
        return 1;
    }
    return 0;
}

#define CONVERT(a, b, x, y)                                                                     \
    cval x, y;                                                                                  \
    do {                                                                                        \
        int ra_ = as_cval(a, &x);                                                               \
        int rb_ = ra_ > 0 ? as_cval(b, &y) : ra_;                                               \
        if (rb_ <= 0)                                                                           \
            return rb_ < 0 ? NULL : py_newref(py_NotImplemented);                              \
    } while (0)

/* ---- arithmetic ------------------------------------------------------------------------ */

static cval c_prod(cval a, cval b)
{
    return (cval){a.real * b.real - a.imag * b.imag, a.real * b.imag + a.imag * b.real};
}

/* a / b; errno = EDOM for a zero divisor. */
static cval c_quot(cval a, cval b)
{
    double abs_br = fabs(b.real), abs_bi = fabs(b.imag);
    if (abs_br >= abs_bi) {
        if (abs_br == 0.0) {
            errno = EDOM;
            return (cval){0.0, 0.0};
        }
        double ratio = b.imag / b.real, denom = b.real + b.imag * ratio;
        return (cval){(a.real + a.imag * ratio) / denom, (a.imag - a.real * ratio) / denom};
    }
    if (abs_bi >= abs_br) {
        double ratio = b.real / b.imag, denom = b.real * ratio + b.imag;
        return (cval){(a.real * ratio + a.imag) / denom, (a.imag * ratio - a.real) / denom};
    }
    return (cval){NAN, NAN};        /* a NaN in the divisor */
}

/* a ** b in polar form; errno = EDOM for 0 to a negative or complex power. */
static cval c_pow(cval a, cval b)
{
    if (b.real == 0.0 && b.imag == 0.0)
        return (cval){1.0, 0.0};
    if (a.real == 0.0 && a.imag == 0.0) {
        if (b.imag != 0.0 || b.real < 0.0)
            errno = EDOM;
        return (cval){0.0, 0.0};
    }
    double vabs = hypot(a.real, a.imag), len = pow(vabs, b.real);
    double at = atan2(a.imag, a.real), phase = at * b.real;
    if (b.imag != 0.0) {
        len /= exp(at * b.imag);
        phase += b.imag * log(vabs);
    }
    return (cval){len * cos(phase), len * sin(phase)};
}

/* x ** n for 0 <= n, by squaring. */
static cval c_powu(cval x, long n)
{
    cval r = {1.0, 0.0}, p = x;
    for (long mask = 1; mask > 0 && n >= mask; mask <<= 1) {
        if (n & mask)
            r = c_prod(r, p);
        p = c_prod(p, p);
    }
    return r;
}

static cval c_powi(cval x, long n)
{
    return n > 0 ? c_powu(x, n) : c_quot((cval){1.0, 0.0}, c_powu(x, -n));
}

static py_obj *complex_add(py_obj *a, py_obj *b)
{
    CONVERT(a, b, x, y);
    return py_complex_new(x.real + y.real, x.imag + y.imag);
}

static py_obj *complex_sub(py_obj *a, py_obj *b)
{
    CONVERT(a, b, x, y);
    return py_complex_new(x.real - y.real, x.imag - y.imag);
}

static py_obj *complex_mul(py_obj *a, py_obj *b)
{
    CONVERT(a, b, x, y);
    return from_cval(c_prod(x, y));
}

static py_obj *complex_div(py_obj *a, py_obj *b)
{
    CONVERT(a, b, x, y);
    errno = 0;
    cval q = c_quot(x, y);
    if (errno == EDOM) {
        py_err_format(py_exc_ZeroDivisionError, "complex division by zero");
        return NULL;
    }
    return from_cval(q);
}

static py_obj *pow_cvals(cval x, cval y)
{
    errno = 0;
    cval p = y.imag == 0.0 && y.real == floor(y.real) && fabs(y.real) <= 100.0 ? c_powi(x, (long)y.real)
                                                                              : c_pow(x, y);
    if (isinf(p.real) || isinf(p.imag)) {
        if (errno == 0)
            errno = ERANGE;
    } else if (errno == ERANGE) {
        errno = 0;
    }
    if (errno == EDOM) {
        py_err_format(py_exc_ZeroDivisionError, "0.0 to a negative or complex power");
        return NULL;
    }
    if (errno == ERANGE) {
        py_err_format(py_exc_OverflowError, "complex exponentiation");
        return NULL;
    }
    return from_cval(p);
}

static py_obj *complex_pow(py_obj *a, py_obj *b)
{
    CONVERT(a, b, x, y);
    return pow_cvals(x, y);
}

/* float ** float for a negative base and a fractional exponent. */
py_obj *py_complex_pow_reals(double x, double y)
{
    return pow_cvals((cval){x, 0.0}, (cval){y, 0.0});
}

static py_obj *complex_neg(py_obj *a) { return py_complex_new(-CV(a).real, -CV(a).imag); }
static py_obj *complex_pos(py_obj *a) { return py_complex_new(CV(a).real, CV(a).imag); }
static int complex_bool(py_obj *a) { return CV(a).real != 0.0 || CV(a).imag != 0.0; }

static py_obj *complex_abs(py_obj *a)
{
    cval v = CV(a);
    if (isinf(v.real) || isinf(v.imag))
        return py_float_new(INFINITY);
    if (isnan(v.real) || isnan(v.imag))
        return py_float_new(NAN);
    double r = hypot(v.real, v.imag);
    if (isinf(r)) {
        py_err_format(py_exc_OverflowError, "absolute value too large");
        return NULL;
    }
    return py_float_new(r);
}

/* ---- comparison, hash, repr ----------------------------------------------------------------- */

static py_obj *complex_richcompare(py_obj *a, py_obj *b, int op)
{
    if (op != PY_EQ && op != PY_NE)
        return py_newref(py_NotImplemented);
    cval x = CV(a);
    bool eq;
    if (py_int_check(b)) {
        if (x.imag != 0.0) {
            eq = false;
        } else {                           /* exactly, as float == int does */
            py_obj *re = py_float_new(x.real);
            int r = re ? py_richcompare_bool(re, b, PY_EQ) : -1;
            tl_xdecref(re);
            if (r < 0)
                return NULL;
            eq = r;
        }
    } else if (py_isinstance_of(b, &py_float_type)) {
        eq = x.real == py_float_value(b) && x.imag == 0.0;
    } else if (py_isinstance_of(b, &py_complex_type)) {
        eq = x.real == CV(b).real && x.imag == CV(b).imag;
    } else {
        return py_newref(py_NotImplemented);
    }
    return py_bool(eq == (op == PY_EQ));
}

static intptr_t complex_hash(py_obj *o)
{
    uintptr_t hr = (uintptr_t)py_hash_double(CV(o).real), hi = (uintptr_t)py_hash_double(CV(o).imag);
    intptr_t h = (intptr_t)(hr + 1000003u * hi);
    return h == -1 ? -2 : h;
}

/* A part as complex's repr writes it: float repr without a ".0" suffix. */
static void part_text(double d, bool sign, char *out, size_t size)
{
    char buf[64];
    if (isnan(d))
        snprintf(buf, sizeof buf, "nan");
    else
        py_float_repr_buf(d, buf, sizeof buf);
    size_t n = strlen(buf);
    if (n > 2 && !strcmp(buf + n - 2, ".0"))
        buf[n - 2] = 0;
    snprintf(out, size, "%s%s", sign && (isnan(d) || !signbit(d)) ? "+" : "", buf);
}

static py_obj *complex_repr(py_obj *o)
{
    cval v = CV(o);
    char re[72], im[72];
    part_text(v.imag, !(v.real == 0.0 && !signbit(v.real)), im, sizeof im);
    if (v.real == 0.0 && !signbit(v.real))
        return py_str_from_format("%sj", im);
    part_text(v.real, false, re, sizeof re);
    return py_str_from_format("(%s%sj)", re, im);
}

/* ---- complex(...) -------------------------------------------------------------------------- */

static bool skip_space(const char **p, const char *e)
{
    while (*p < e && (**p == ' ' || (**p >= '\t' && **p <= '\r')))
        (*p)++;
    return *p < e;
}

/* A float at *p (Python's syntax, underscores between digits); advances. */
static bool scan_float(const char **p, const char *e, double *out)
{
    char buf[128];
    size_t k = 0;
    const char *q = *p;
    if (q < e && (*q == '+' || *q == '-'))
        buf[k++] = *q++;
    const char *start = q;
    while (q < e && k < sizeof buf - 1 &&
           ((*q >= '0' && *q <= '9') || *q == '.' || *q == '_' || ((*q | 32) >= 'a' && (*q | 32) <= 'z' && (*q | 32) != 'j') ||
            ((*q == '+' || *q == '-') && q > start && (q[-1] | 32) == 'e'))) {
        if (*q == '_') {
            if (q == start || q + 1 >= e || !(q[-1] >= '0' && q[-1] <= '9') || !(q[1] >= '0' && q[1] <= '9'))
                return false;
        } else {
            buf[k++] = *q;
        }
        q++;
    }
    buf[k] = 0;
    if (q == start)
        return false;
    char *end;
    *out = strtod(buf, &end);
    if (*end || strpbrk(buf, "xX(") || ((buf[0] == '+' || buf[0] == '-') && !buf[1]))
        return false;
    *p = q;
    return true;
}

/* Underscores only between two digits (checked before parsing, as CPython). */
static bool underscores_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '_' && (i == 0 || i + 1 == n || !(s[i - 1] >= '0' && s[i - 1] <= '9') ||
                            !(s[i + 1] >= '0' && s[i + 1] <= '9')))
            return false;
    return true;
}

/* complex("1.5-2j"), CPython's grammar: [(] real | imagj | real±imagj [)] */
static int parse_complex(const char *s, size_t n, cval *out)
{
    const char *p = s, *e = s + n;
    if (!skip_space(&p, e))
        return -1;
    while (e > p && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r')))
        e--;
    if (*p == '(') {
        if (e[-1] != ')')
            return -1;
        p++;
        e--;
        skip_space(&p, e);
        while (e > p && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r')))
            e--;
    }
    double x = 0.0, y = 0.0;
    bool got = scan_float(&p, e, &x);
    if (p < e && (*p == 'j' || *p == 'J') && !got) {
        *out = (cval){0.0, 1.0};
        return p + 1 == e ? 0 : -1;
    }
    if (!got) {                        /* "+j", "-j" */
        if (p + 2 == e && (*p == '+' || *p == '-') && (p[1] | 32) == 'j') {
            *out = (cval){0.0, *p == '-' ? -1.0 : 1.0};
            return 0;
        }
        return -1;
    }
    if (p == e) {
        *out = (cval){x, 0.0};
        return 0;
    }
    if (*p == 'j' || *p == 'J') {
        *out = (cval){0.0, x};
        return p + 1 == e ? 0 : -1;
    }
    if (*p != '+' && *p != '-')
        return -1;
    if (!scan_float(&p, e, &y)) {      /* "1+j" */
        if (!(p + 2 == e && (p[1] | 32) == 'j'))
            return -1;
        y = *p == '-' ? -1.0 : 1.0;
        p++;
    }
    if (p + 1 != e || (*p | 32) != 'j')
        return -1;
    *out = (cval){x, y};
    return 0;
}

/* A constructor argument as a complex (numbers, __complex__, __float__,
   __index__): 1 when it was a complex, 0 a real, -1 an error. */
static int arg_cval(py_obj *o, cval *out, bool first)
{
    int r = as_cval(o, out);
    if (r)
        return r < 0 ? -1 : py_isinstance_of(o, &py_complex_type);
    py_obj *m = py_lookup_special(o, "__complex__");
    if (m) {
        py_obj *c = py_call0(m);
        tl_decref(m);
        if (!c)
            return -1;
        if (!py_isinstance_of(c, &py_complex_type)) {
            py_err_format(py_exc_TypeError, "__complex__ returned non-complex (type %s)", py_type_name(py_type_of(c)));
            tl_decref(c);
            return -1;
        }
        *out = CV(c);
        tl_decref(c);
        return 1;
    }
    if (py_err_occurred())
        return -1;
    if (py_type_of(o)->nb_float || py_type_of(o)->nb_index) {
        py_obj *f = py_type_of(o)->nb_float ? py_type_of(o)->nb_float(o) : py_type_of(o)->nb_index(o);
        int ok = f ? as_cval(f, out) : -1;
        tl_xdecref(f);
        return ok > 0 ? 0 : -1;
    }
    py_err_format(py_exc_TypeError, first ? "complex() first argument must be a string or a number, not '%s'"
                                          : "complex() second argument must be a number, not '%s'",
                  py_type_name(py_type_of(o)));
    return -1;
}

static py_obj *complex_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *a[2];
    if (py_parse_args("complex", args, nargs, kwnames, "|real imag", a) < 0)
        return NULL;
    if (a[0] && py_str_check(a[0])) {
        if (a[1]) {
            py_err_format(py_exc_TypeError, "complex() can't take second arg if first is a string");
            return NULL;
        }
        cval v;
        if (!underscores_ok(py_str_utf8(a[0]), py_str_nbytes(a[0]))) {
            py_err_format(py_exc_ValueError, "could not convert string to complex: %R", a[0]);
            return NULL;
        }
        if (parse_complex(py_str_utf8(a[0]), py_str_nbytes(a[0]), &v) < 0) {
            py_err_format(py_exc_ValueError, "complex() arg is a malformed string");
            return NULL;
        }
        return from_cval(v);
    }
    if (a[1] && py_str_check(a[1])) {
        py_err_format(py_exc_TypeError, "complex() second arg can't be a string");
        return NULL;
    }
    cval r = {0.0, 0.0}, i = {0.0, 0.0};
    int rc = a[0] ? arg_cval(a[0], &r, true) : 0, ic = rc >= 0 && a[1] ? arg_cval(a[1], &i, false) : 0;
    if (rc < 0 || ic < 0)
        return NULL;
    if (a[0] && !a[1] && py_isinstance_exact(a[0], &py_complex_type))
        return py_newref(a[0]);
    /* (r.real + r.imag j) + (i.real + i.imag j) j, adding only the parts a
       complex argument has, so complex(1, -0.0) keeps its -0.0 */
    double re = ic ? r.real - i.imag : r.real, im = rc && a[1] ? i.real + r.imag : rc ? r.imag : i.real;
    return py_complex_new(re, im);
}

/* One part under format(): repr-like for the default type, else the
   float presentation; sign is the part's sign option. */
static py_obj *format_part(double d, const py_fmtspec *user, char type, char sign)
{
    if (type == 'r') {
        char buf[80];
        part_text(d, sign == '+', buf, sizeof buf);
        if (sign == ' ' && !signbit(d))
            return py_str_from_format(" %s", buf);
        return py_str_from_cstr(buf);
    }
    py_fmtspec s = *user;
    s.fill = ' ';
    s.align = 0;
    s.width = -1;
    s.zero = false;
    s.type = type;
    s.sign = sign;
    return py_format_double(d, &s);
}

/* complex.__format__: both parts under the spec, then padded as a whole;
   without a type, like str() (parentheses, a +0 real part left out). */
static py_obj *complex_m_format(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("__format__", n - 1, k, 1, 1) < 0)
        return NULL;
    if (!py_str_check(a[1])) {
        py_err_format(py_exc_TypeError, "__format__() argument must be str, not %s", py_type_name(py_type_of(a[1])));
        return NULL;
    }
    if (py_str_nbytes(a[1]) == 0)
        return py_str(a[0]);
    py_fmtspec s;
    if (py_fmtspec_parse(a[1], &s) < 0)
        return NULL;
    if (s.zero) {
        py_err_format(py_exc_ValueError, "Zero padding is not allowed in complex format specifier");
        return NULL;
    }
    if (s.align == '=') {
        py_err_format(py_exc_ValueError, "'=' alignment flag is not allowed in complex format specifier");
        return NULL;
    }
    if (s.type && !strchr("eEfFgGn", s.type)) {
        py_err_format(py_exc_ValueError, "Unknown format code '%c' for object of type 'complex'", s.type);
        return NULL;
    }
    cval v = CV(a[0]);
    char type = s.type == 'n' ? 'g' : s.type;
    bool parens = false, skip_re = false;
    if (!type) {
        type = s.precision >= 0 ? 'g' : 'r';
        skip_re = v.real == 0.0 && !signbit(v.real);
        parens = !skip_re;
    }
    if (s.precision < 0 && type != 'r')
        s.precision = 6;
    py_obj *re = skip_re ? py_str_from_cstr("") : format_part(v.real, &s, type, s.sign);
    py_obj *im = re ? format_part(v.imag, &s, type, skip_re ? s.sign : '+') : NULL;
    py_obj *body = im ? py_str_from_format("%s%S%Sj%s", parens ? "(" : "", re, im, parens ? ")" : "") : NULL;
    tl_xdecref(re);
    tl_xdecref(im);
    if (!body)
        return NULL;
    py_fmtspec pad = s;
    pad.type = 0;
    pad.precision = -1;
    pad.sign = 0;
    pad.alt = false;
    pad.grouping = 0;
    if (!pad.align)
        pad.align = '>';
    py_obj *r = py_format_str(body, &pad);
    tl_decref(body);
    return r;
}

static py_obj *complex_m_conjugate(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_complex_new(CV(a[0]).real, -CV(a[0]).imag);
}

static py_obj *complex_m_getnewargs(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *re = py_float_new(CV(a[0]).real), *im = py_float_new(CV(a[0]).imag);
    py_obj *t = re && im ? py_tuple_pack(2, re, im) : NULL;
    tl_xdecref(re);
    tl_xdecref(im);
    return t;
}

static py_obj *complex_get_real(py_obj *o) { return py_float_new(CV(o).real); }
static py_obj *complex_get_imag(py_obj *o) { return py_float_new(CV(o).imag); }

static const py_method_def complex_methods[] = {
    {"conjugate", complex_m_conjugate, NULL},
    {"__format__", complex_m_format, NULL},
    {"__getnewargs__", complex_m_getnewargs, NULL},
    {NULL, NULL, NULL},
};

static const py_getset_def complex_getsets[] = {
    {"real", complex_get_real, NULL},
    {"imag", complex_get_imag, NULL},
    {NULL, NULL, NULL},
};

py_type py_complex_type = {
    PY_TYPE_HEAD("complex", sizeof(py_complex), 0, 0),
    .repr = complex_repr,
    .hash = complex_hash,
    .richcompare = complex_richcompare,
    .nb = {
        [PY_NB_ADD] = complex_add, [PY_NB_SUBTRACT] = complex_sub, [PY_NB_MULTIPLY] = complex_mul,
        [PY_NB_TRUE_DIVIDE] = complex_div, [PY_NB_POWER] = complex_pow,
    },
    .nb_negative = complex_neg,
    .nb_positive = complex_pos,
    .nb_absolute = complex_abs,
    .nb_bool = complex_bool,
    .tp_new = complex_tp_new,
    .methods = complex_methods,
    .getsets = complex_getsets,
    .doc = "Create a complex number from a real part and an optional imaginary part.",
};

int py_complex_init(void) { return py_type_ready(&py_complex_type); }

/* An imaginary literal's value: "4j", "1.5e3J". */
py_obj *py_complex_from_literal(const char *text, size_t len)
{
    py_obj *f = py_float_from_literal(text, len - 1);
    if (!f)
        return NULL;
    py_obj *c = py_complex_new(0.0, py_float_value(f));
    tl_decref(f);
    return c;
}
