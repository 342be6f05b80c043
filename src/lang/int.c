/* int.c — int and bool: machine-word values inline, arbitrary precision by GMP.
 *
 * An int whose value fits in int64_t (except INT64_MIN) stores it in `v`
 * and is 24 bytes; a larger one carries an mpz after it (v == INT64_MIN
 * marks it). Every operation tries the inline path first and overflows into
 * GMP, and every GMP result that fits is brought back inline, so equal values
 * always have the same representation. GMP's memory comes from the tally heap
 * (mp_set_memory_functions), so big ints show in heap statistics like
 * everything else. -5..256 are cached immortal singletons, as in CPython.
 * bool is a subclass whose two instances are immortal.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

#include <gmp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BIG INT64_MIN
#define NSMALLNEG 5
#define NSMALLPOS 257
static py_int small_ints[NSMALLNEG + NSMALLPOS];

static inline bool is_big(const py_obj *o) { return ((const py_int *)o)->v == BIG; }
static inline int64_t small_val(const py_obj *o) { return ((const py_int *)o)->v; }
static inline mpz_ptr big_val(py_obj *o) { return (mpz_ptr)((py_int *)o)->z; }
_Static_assert(sizeof(((py_int *)0)->z[0]) == sizeof(__mpz_struct), "py_int.z matches GMP");

bool py_int_is_small(const py_obj *o) { return !is_big(o); }

/* ---- construction -------------------------------------------------------------- */

static py_obj *new_small(py_type *t, int64_t v)
{
    if (t == &py_int_type && v >= -NSMALLNEG && v < NSMALLPOS)
        return py_newref(&small_ints[v + NSMALLNEG].ob);
    py_int *o = (py_int *)tl_object_new(vm.heap, &t->tl);
    if (!o)
        return py_err_no_memory(), NULL;
    o->v = v;
    return &o->ob;
}

static bool gmp_spilled(void);

/* Every int result made from GMP passes here: a spill during the operation
 * that computed z (or during the copy below) turns into MemoryError. */
static py_obj *from_mpz_type(py_type *t, mpz_srcptr z)
{
    if (gmp_spilled())
        return NULL;
    if (mpz_fits_slong_p(z)) {
        long v = mpz_get_si(z);
        if (v != BIG)
            return new_small(t, v);
    }
    py_int *o = (py_int *)tl_object_new_var(vm.heap, &t->tl, 1);
    if (!o)
        return py_err_no_memory(), NULL;
    o->v = BIG;
    mpz_init_set(big_val(&o->ob), z);
    if (gmp_spilled()) {
        tl_decref(&o->ob);
        return NULL;
    }
    return &o->ob;
}

static py_obj *from_mpz(mpz_srcptr z) { return from_mpz_type(&py_int_type, z); }

py_obj *py_int_from_long(long long v)
{
    if (v == BIG) {
        mpz_t z;
        mpz_init_set_si(z, (long)v);
        py_obj *r = from_mpz(z);
        mpz_clear(z);
        return r;
    }
    return new_small(&py_int_type, v);
}

py_obj *py_int_from_size(size_t v)
{
    if (v <= INT64_MAX)
        return new_small(&py_int_type, (int64_t)v);
    mpz_t z;
    mpz_init_set_ui(z, v);
    py_obj *r = from_mpz(z);
    mpz_clear(z);
    return r;
}

/* Loads any int into z (initialised by the caller). */
static void to_mpz(mpz_ptr z, py_obj *o)
{
    if (is_big(o))
        mpz_set(z, big_val(o));
    else
        mpz_set_si(z, (long)small_val(o));
}

long long py_int_as_long(py_obj *o, int *overflow)
{
    *overflow = 0;
    if (!is_big(o))
        return small_val(o);
    *overflow = mpz_sgn(big_val(o));
    if (mpz_fits_slong_p(big_val(o))) {
        *overflow = 0;
        return mpz_get_si(big_val(o));
    }
    return -1;
}

intptr_t py_int_as_ssize(py_obj *o)
{
    int overflow;
    long long v = py_int_as_long(o, &overflow);
    if (overflow) {
        py_err_format(py_exc_OverflowError, "Python int too large to convert to C ssize_t");
        return -1;
    }
    return (intptr_t)v;
}

double py_int_as_double(py_obj *o)
{
    if (!is_big(o))
        return (double)small_val(o);
    if (mpz_sizeinbase(big_val(o), 2) > 1024) {
        py_err_format(py_exc_OverflowError, "int too large to convert to float");
        return -1.0;
    }
    /* Correct rounding: mpz_get_d truncates, so round the top 54 bits by hand. */
    mpz_srcptr z = big_val(o);
    size_t bits = mpz_sizeinbase(z, 2);
    if (bits <= 53)
        return mpz_get_d(z);
    mpz_t t;
    mpz_init(t);
    mpz_abs(t, z);
    size_t shift = bits - 54;
    bool sticky = mpz_scan1(t, 0) < shift;
    mpz_tdiv_q_2exp(t, t, shift);
    uint64_t m = mpz_get_ui(t);       /* 54 bits */
    if ((m & 1) && (sticky || (m & 2)))
        m += 2;
    m >>= 1;
    mpz_clear(t);
    if (gmp_spilled())
        return -1.0;
    double d = ldexp((double)m, (int)shift + 1);
    if (isinf(d)) {
        py_err_format(py_exc_OverflowError, "int too large to convert to float");
        return -1.0;
    }
    return mpz_sgn(z) < 0 ? -d : d;
}

/* Parses digits of a given base with optional underscores between digits. */
static py_obj *parse_digits(const char *s, size_t n, int base, bool allow_underscore, bool neg)
{
    char buf[128], *digits = n < sizeof buf ? buf : malloc(n + 1);
    if (!digits)
        return py_err_no_memory(), NULL;
    size_t k = 0;
    bool prev_us = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_' && allow_underscore && !prev_us) {
            prev_us = true;
            continue;
        }
        digits[k++] = s[i];
        prev_us = false;
    }
    digits[k] = 0;
    py_obj *r = NULL;
    if (k && !prev_us) {
        /* z is initialised whether or not the digits parse, and cleared
         * whether or not the int could be made. */
        mpz_t z;
        if (mpz_init_set_str(z, digits, base) == 0) {
            if (neg)
                mpz_neg(z, z);
            r = from_mpz(z);
        }
        mpz_clear(z);
    }
    if (digits != buf)
        free(digits);
    return r;
}

py_obj *py_int_from_literal(const char *text, size_t len)
{
    int base = 10;
    if (len > 2 && text[0] == '0') {
        char c = text[1] | 0x20;
        base = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 10;
        if (base != 10) {
            text += 2;
            len -= 2;
            if (len && *text == '_') {
                text++;
                len--;
            }
        }
    }
    py_obj *r = parse_digits(text, len, base, true, false);
    if (!r && !py_err_occurred())
        py_err_format(py_exc_ValueError, "invalid int literal");
    return r;
}

static bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

py_obj *py_int_from_string(const char *text, size_t len, int base)
{
    const int base_arg = base;          /* the error names the base asked for */
    const char *s = text, *e = text + len;
    while (s < e && is_space(*s)) s++;
    while (e > s && is_space(e[-1])) e--;
    bool neg = false;
    if (s < e && (*s == '+' || *s == '-'))
        neg = *s++ == '-';
    if (e - s >= 2 && s[0] == '0') {
        char c = s[1] | 0x20;
        int pb = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
        if (pb && (base == 0 || base == pb)) {
            base = pb;
            s += 2;
            if (s < e && *s == '_')
                s++;
        }
    }
    if (base == 0) {
        base = 10;
        /* base 0: a leading zero is only allowed for zero itself */
        if (e - s > 1 && s[0] == '0')
            for (const char *q = s; q < e; q++)
                if (*q != '0' && *q != '_')
                    goto bad;
    }
    for (const char *q = s; q < e; q++)
        if (!(*q == '_' || (*q >= '0' && *q <= '9') || ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z')))
            goto bad;
    py_obj *r = parse_digits(s, (size_t)(e - s), base, true, neg);
    if (r || py_err_occurred())
        return r;
bad:;
    py_obj *shown = py_str_from_utf8(text, len);
    if (shown) {
        py_err_format(py_exc_ValueError, "invalid literal for int() with base %d: %R", base_arg, shown);
        tl_decref(shown);
    }
    return NULL;
}

/* ---- arithmetic ------------------------------------------------------------------ */

static bool both_int(py_obj *a, py_obj *b) { return py_int_check(a) && py_int_check(b); }
#define CHECK_BINOP(a, b) do { if (!both_int(a, b)) return py_newref(py_NotImplemented); } while (0)

typedef void (*mpz_op)(mpz_ptr, mpz_srcptr, mpz_srcptr);

static py_obj *big_binop(py_obj *a, py_obj *b, mpz_op op)
{
    mpz_t x, y, r;
    mpz_inits(x, y, r, NULL);
    to_mpz(x, a);
    to_mpz(y, b);
    op(r, x, y);
    py_obj *o = from_mpz(r);
    mpz_clears(x, y, r, NULL);
    return o;
}

static py_obj *int_add(py_obj *a, py_obj *b)
{
    CHECK_BINOP(a, b);
    int64_t r;
    if (!is_big(a) && !is_big(b) && !__builtin_add_overflow(small_val(a), small_val(b), &r) && r != BIG)
        return new_small(&py_int_type, r);
    return big_binop(a, b, mpz_add);
}

static py_obj *int_sub(py_obj *a, py_obj *b)
{
    CHECK_BINOP(a, b);
    int64_t r;
    if (!is_big(a) && !is_big(b) && !__builtin_sub_overflow(small_val(a), small_val(b), &r) && r != BIG)
        return new_small(&py_int_type, r);
    return big_binop(a, b, mpz_sub);
}

static py_obj *int_mul(py_obj *a, py_obj *b)
{
    CHECK_BINOP(a, b);
    int64_t r;
    if (!is_big(a) && !is_big(b) && !__builtin_mul_overflow(small_val(a), small_val(b), &r) && r != BIG)
        return new_small(&py_int_type, r);
    return big_binop(a, b, mpz_mul);
}

static bool is_zero(py_obj *o) { return !is_big(o) && small_val(o) == 0; }

static py_obj *zero_div(const char *msg)
{
    py_err_format(py_exc_ZeroDivisionError, "%s", msg);
    return NULL;
}

static int64_t floordiv64(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t mod64(int64_t a, int64_t b)
{
    int64_t m = a % b;
    if (m != 0 && ((m < 0) != (b < 0)))
        m += b;
    return m;
}

static py_obj *int_floordiv(py_obj *a, py_obj *b)
{
    CHECK_BINOP(a, b);
    if (is_zero(b))
        return zero_div("integer division or modulo by zero");
    if (!is_big(a) && !is_big(b) && !(small_val(b) == -1))
        return new_small(&py_int_type, floordiv64(small_val(a), small_val(b)));
    return big_binop(a, b, mpz_fdiv_q);
}

static py_obj *int_mod(py_obj *a, py_obj *b)
{
    CHECK_BINOP(a, b);
    if (is_zero(b))
        return zero_div("integer modulo by zero");
    if (!is_big(a) && !is_big(b) && small_val(b) != -1)
        return new_small(&py_int_type, mod64(small_val(a), small_val(b)));
    return big_binop(a, b, mpz_fdiv_r);
}

static py_obj *int_truediv(py_obj *a, py_obj *b)
{
    CHECK_BINOP(a, b);
    if (is_zero(b))
        return zero_div("division by zero");
    if (!is_big(a) && !is_big(b) && llabs(small_val(a)) < (1LL << 53) && llabs(small_val(b)) < (1LL << 53))
        return py_float_new((double)small_val(a) / (double)small_val(b));
    /* Large operands: exact quotient in a rational, then to the nearest double. */
    mpq_t q;
    mpq_init(q);
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    to_mpz(x, a);
    to_mpz(y, b);
    mpq_set_num(q, x);
    mpq_set_den(q, y);
    mpq_canonicalize(q);
    double d = mpq_get_d(q);
    mpq_clear(q);
    mpz_clears(x, y, NULL);
    if (isinf(d)) {
        py_err_format(py_exc_OverflowError, "integer division result too large for a float");
        return NULL;
    }
    return py_float_new(d);
}

static py_obj *int_pow3(py_obj *a, py_obj *b, py_obj *m);

static py_obj *int_pow(py_obj *a, py_obj *b) { return int_pow3(a, b, py_None); }

static py_obj *int_pow3(py_obj *a, py_obj *b, py_obj *m)
{
    CHECK_BINOP(a, b);
    bool neg_exp = is_big(b) ? mpz_sgn(big_val(b)) < 0 : small_val(b) < 0;
    if (m != py_None) {
        if (!py_int_check(m))
            return py_newref(py_NotImplemented);
        if (is_zero(m)) {
            py_err_format(py_exc_ValueError, "pow() 3rd argument cannot be 0");
            return NULL;
        }
        mpz_t x, y, z, r;
        mpz_inits(x, y, z, r, NULL);
        to_mpz(x, a);
        to_mpz(y, b);
        to_mpz(z, m);
        py_obj *o = NULL;
        if (neg_exp) {
            if (!mpz_invert(x, x, z)) {
                py_err_format(py_exc_ValueError, "base is not invertible for the given modulus");
                goto out;
            }
            mpz_neg(y, y);
        }
        mpz_powm(r, x, y, z);
        if (mpz_sgn(r) != 0 && mpz_sgn(z) < 0)
            mpz_add(r, r, z);
        o = from_mpz(r);
    out:
        mpz_clears(x, y, z, r, NULL);
        return o;
    }
    if (neg_exp) {
        double x = py_int_as_double(a), y = py_int_as_double(b);
        if (py_err_occurred())
            return NULL;
        if (x == 0.0) {
            py_err_format(py_exc_ZeroDivisionError, "0.0 cannot be raised to a negative power");
            return NULL;
        }
        return py_float_new(pow(x, y));
    }
    if (is_big(b)) {
        if (!is_big(a) && (small_val(a) == 0 || small_val(a) == 1))
            return py_newref(a);
        if (!is_big(a) && small_val(a) == -1)
            return py_int_from_long(mpz_odd_p(big_val(b)) ? -1 : 1);
        py_err_no_memory();
        return NULL;
    }
    uint64_t e = (uint64_t)small_val(b);
    if (!is_big(a)) {
        /* Square-and-multiply while it fits. */
        int64_t base = small_val(a), acc = 1;
        uint64_t k = e;
        bool ok = true;
        while (k && ok) {
            if (k & 1)
                ok = !__builtin_mul_overflow(acc, base, &acc);
            k >>= 1;
            if (k && ok)
                ok = !__builtin_mul_overflow(base, base, &base);
        }
        if (ok && acc != BIG)
            return new_small(&py_int_type, acc);
    }
    mpz_t x, r;
    mpz_inits(x, r, NULL);
    to_mpz(x, a);
    mpz_pow_ui(r, x, (unsigned long)e);
    py_obj *o = from_mpz(r);
    mpz_clears(x, r, NULL);
    return o;
}

static py_obj *int_neg(py_obj *a)
{
    if (!is_big(a))
        return py_int_from_long(-small_val(a));
    mpz_t r;
    mpz_init(r);
    mpz_neg(r, big_val(a));
    py_obj *o = from_mpz(r);
    mpz_clear(r);
    return o;
}

static py_obj *int_pos(py_obj *a)
{
    if (py_isinstance_exact(a, &py_int_type))
        return py_newref(a);
    if (!is_big(a))
        return py_int_from_long(small_val(a));
    return from_mpz(big_val(a));
}

static py_obj *int_abs(py_obj *a)
{
    bool neg = is_big(a) ? mpz_sgn(big_val(a)) < 0 : small_val(a) < 0;
    return neg ? int_neg(a) : int_pos(a);
}

static py_obj *int_invert(py_obj *a)
{
    if (!is_big(a))
        return py_int_from_long(~small_val(a));
    mpz_t r;
    mpz_init(r);
    mpz_com(r, big_val(a));
    py_obj *o = from_mpz(r);
    mpz_clear(r);
    return o;
}

static py_obj *int_and(py_obj *a, py_obj *b)
{
    CHECK_BINOP(a, b);
    if (!is_big(a) && !is_big(b))
        return new_small(&py_int_type, small_val(a) & small_val(b));
    return big_binop(a, b, mpz_and);
}

static py_obj *int_or(py_obj *a, py_obj *b)
{
    CHECK_BINOP(a, b);
    if (!is_big(a) && !is_big(b))
        return new_small(&py_int_type, small_val(a) | small_val(b));
    return big_binop(a, b, mpz_ior);
}

static py_obj *int_xor(py_obj *a, py_obj *b)
{
    CHECK_BINOP(a, b);
    if (!is_big(a) && !is_big(b))
        return py_int_from_long(small_val(a) ^ small_val(b));
    return big_binop(a, b, mpz_xor);
}

static int shift_count(py_obj *b, uint64_t *out)
{
    if (is_big(b) ? mpz_sgn(big_val(b)) < 0 : small_val(b) < 0) {
        py_err_format(py_exc_ValueError, "negative shift count");
        return -1;
    }
    if (is_big(b)) {
        py_err_format(py_exc_OverflowError, "too many digits in integer");
        return -1;
    }
    *out = (uint64_t)small_val(b);
    return 0;
}

static py_obj *int_lshift(py_obj *a, py_obj *b)
{
    CHECK_BINOP(a, b);
    uint64_t n;
    if (shift_count(b, &n) < 0)
        return NULL;
    if (!is_big(a) && n < 63) {
        int64_t v = small_val(a);
        if (v == 0)
            return py_int_from_long(0);
        if (llabs(v) < (INT64_C(1) << (62 - n)))
            return py_int_from_long(v * (INT64_C(1) << n));
    }
    mpz_t x;
    mpz_init(x);
    to_mpz(x, a);
    mpz_mul_2exp(x, x, n);
    py_obj *o = from_mpz(x);
    mpz_clear(x);
    return o;
}

static py_obj *int_rshift(py_obj *a, py_obj *b)
{
    CHECK_BINOP(a, b);
    uint64_t n;
    if (shift_count(b, &n) < 0)
        return NULL;
    if (!is_big(a))
        return py_int_from_long(n >= 63 ? (small_val(a) < 0 ? -1 : 0) : small_val(a) >> n);
    mpz_t x;
    mpz_init(x);
    mpz_fdiv_q_2exp(x, big_val(a), n);
    py_obj *o = from_mpz(x);
    mpz_clear(x);
    return o;
}

/* ---- comparison, hash, truth ------------------------------------------------------- */

static int int_cmp(py_obj *a, py_obj *b)
{
    if (!is_big(a) && !is_big(b))
        return (small_val(a) > small_val(b)) - (small_val(a) < small_val(b));
    if (is_big(a) && is_big(b))
        return mpz_cmp(big_val(a), big_val(b));
    if (is_big(a))
        return mpz_cmp_si(big_val(a), (long)small_val(b));
    return -mpz_cmp_si(big_val(b), (long)small_val(a));
}

py_obj *py_cmp_result(int c, int op)
{
    bool r;
    switch (op) {
    case PY_LT: r = c < 0; break;
    case PY_LE: r = c <= 0; break;
    case PY_EQ: r = c == 0; break;
    case PY_NE: r = c != 0; break;
    case PY_GT: r = c > 0; break;
    default: r = c >= 0; break;
    }
    return py_bool(r);
}

static py_obj *int_richcompare(py_obj *a, py_obj *b, int op)
{
    if (!both_int(a, b))
        return py_newref(py_NotImplemented);
    return py_cmp_result(int_cmp(a, b), op);
}

#define HASH_MODULUS ((UINT64_C(1) << 61) - 1)

static intptr_t int_hash(py_obj *o)
{
    int64_t h;
    if (!is_big(o)) {
        int64_t v = small_val(o);
        uint64_t m = (v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v) % HASH_MODULUS;
        h = v < 0 ? -(int64_t)m : (int64_t)m;
    } else {
        mpz_t r;
        mpz_init(r);
        mpz_abs(r, big_val(o));
        mpz_t mod;
        mpz_init_set_ui(mod, 1);
        mpz_mul_2exp(mod, mod, 61);
        mpz_sub_ui(mod, mod, 1);
        mpz_mod(r, r, mod);
        uint64_t m = mpz_get_ui(r);
        mpz_clears(r, mod, NULL);
        if (gmp_spilled())
            return -1;
        h = mpz_sgn(big_val(o)) < 0 ? -(int64_t)m : (int64_t)m;
    }
    return h == -1 ? -2 : (intptr_t)h;
}

py_obj *py_int_hash_obj(py_obj *i) { return py_int_from_long(int_hash(i)); }

static int int_bool(py_obj *o) { return !is_zero(o); }

/* ---- conversion to text ---------------------------------------------------------------- */

static py_obj *int_repr(py_obj *o)
{
    if (!is_big(o)) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%lld", (long long)small_val(o));
        return py_str_from_utf8(buf, (size_t)n);
    }
    size_t digits = mpz_sizeinbase(big_val(o), 10);
    if (digits > 4300) {
        py_err_format(py_exc_ValueError,
                      "Exceeds the limit (4300 digits) for integer string conversion; "
                      "use sys.set_int_max_str_digits() to increase the limit");
        return NULL;
    }
    char *buf = tl_heap_alloc(vm.heap, digits + 2);
    if (!buf)
        return py_err_no_memory(), NULL;
    mpz_get_str(buf, 10, big_val(o));
    py_obj *s = gmp_spilled() ? NULL : py_str_from_cstr(buf);
    tl_heap_free(buf);
    return s;
}

/* Digits of |o| in base 2, 8, 10 or 16 (lowercase), for format() and bin/oct/hex. */
char *py_int_digits(py_obj *o, int base, bool *neg)
{
    mpz_t z;
    mpz_init(z);
    to_mpz(z, o);
    *neg = mpz_sgn(z) < 0;
    mpz_abs(z, z);
    char *buf = malloc(mpz_sizeinbase(z, base) + 2);
    if (buf)
        mpz_get_str(buf, base, z);
    mpz_clear(z);
    if (gmp_spilled()) {
        free(buf);
        return NULL;
    }
    return buf;
}

static py_obj *int_float(py_obj *o)
{
    double d = py_int_as_double(o);
    return py_err_occurred() ? NULL : py_float_new(d);
}

static py_obj *int_index(py_obj *o) { return int_pos(o); }

/* int(x), int(str, base) */
/* int(d): d truncated toward zero; OverflowError for infinities, ValueError
 * for NaN, as CPython words them. */
py_obj *py_int_from_double(double d)
{
    if (isinf(d)) {
        py_err_format(py_exc_OverflowError, "cannot convert float infinity to integer");
        return NULL;
    }
    if (isnan(d)) {
        py_err_format(py_exc_ValueError, "cannot convert float NaN to integer");
        return NULL;
    }
    double tr = trunc(d);
    if (fabs(tr) < 9e18)
        return py_int_from_long((long long)tr);
    mpz_t z;
    mpz_init_set_d(z, tr);
    py_obj *r = from_mpz(z);
    mpz_clear(z);
    return r;
}

static py_obj *int_from_object(py_obj *x)
{
    if (py_int_check(x))
        return int_pos(x);
    py_type *t = py_type_of(x);
    if (py_str_check(x))
        return py_int_from_string(py_str_utf8(x), py_str_nbytes(x), 10);
    if (py_isinstance_of(x, &py_bytes_type))
        return py_int_from_string(py_bytes_data(x), py_bytes_len(x), 10);
    if (py_isinstance_of(x, &py_float_type))
        return py_int_from_double(py_float_value(x));
    py_unaryfunc f = t->nb_int ? t->nb_int : t->nb_index;
    if (f) {
        py_obj *r = f(x);
        if (r && !py_int_check(r)) {
            py_err_format(py_exc_TypeError, "__int__ returned non-int (type %s)", py_type_name(py_type_of(r)));
            TL_CLEAR(r);
        }
        return r;
    }
    py_obj *trunc_m = py_lookup_special(x, "__trunc__");
    if (trunc_m) {
        py_obj *r = py_call0(trunc_m);
        tl_decref(trunc_m);
        return r;
    }
    py_err_format(py_exc_TypeError,
                  "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                  py_type_name(t));
    return NULL;
}

static py_obj *int_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *a[2] = {NULL, NULL};
    if (py_parse_args("int", args, nargs, kwnames, "|x base", a) < 0)
        return NULL;
    py_obj *r;
    if (!a[0]) {
        if (a[1]) {
            py_err_format(py_exc_TypeError, "int() missing string argument");
            return NULL;
        }
        r = py_int_from_long(0);
    } else if (a[1]) {
        intptr_t base;
        if (py_index(a[1], &base) < 0)
            return NULL;
        if ((base != 0 && base < 2) || base > 36) {
            py_err_format(py_exc_ValueError, "int() base must be >= 2 and <= 36, or 0");
            return NULL;
        }
        if (py_str_check(a[0]))
            r = py_int_from_string(py_str_utf8(a[0]), py_str_nbytes(a[0]), (int)base);
        else if (py_isinstance_of(a[0], &py_bytes_type))
            r = py_int_from_string(py_bytes_data(a[0]), py_bytes_len(a[0]), (int)base);
        else {
            py_err_format(py_exc_TypeError, "int() can't convert non-string with explicit base");
            return NULL;
        }
    } else {
        r = int_from_object(a[0]);
    }
    if (!r || t == &py_int_type)
        return r;
    /* A subclass of int: copy the value into an instance of t. */
    py_obj *o;
    if (!is_big(r)) {
        o = new_small(t, small_val(r));
    } else {
        o = from_mpz_type(t, big_val(r));
    }
    tl_decref(r);
    return o;
}

static void int_dealloc(tl_object *o)
{
    if (is_big(o))
        mpz_clear(big_val(o));
    tl_object_free(o);
}

static size_t int_sizeof(tl_object *o)
{
    size_t n = sizeof(py_int);
    if (is_big(o))
        n += sizeof(__mpz_struct) + mpz_size(big_val(o)) * sizeof(mp_limb_t);
    return n;
}

/* ---- methods ------------------------------------------------------------------------------ */

static py_obj *int_m_bit_length(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *o = a[0];
    if (!is_big(o)) {
        uint64_t v = (uint64_t)llabs(small_val(o));
        return py_int_from_long(v ? 64 - __builtin_clzll(v) : 0);
    }
    return py_int_from_size(mpz_sizeinbase(big_val(o), 2));
}

static py_obj *int_m_format(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 2 || !py_str_check(a[1]))
        return py_err_format(py_exc_TypeError, "format() argument must be str"), NULL;
    if (py_str_len(a[1]) == 0)
        return py_str(a[0]);
    return py_format_int(a[0], a[1]);
}

static py_obj *int_m_conjugate(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return int_pos(a[0]); }
static py_obj *int_get_real(py_obj *o) { return int_pos(o); }
static py_obj *int_get_imag(py_obj *o) { return py_int_from_long(0); }
static py_obj *int_get_numerator(py_obj *o) { return int_pos(o); }
static py_obj *int_get_denominator(py_obj *o) { return py_int_from_long(1); }

static py_obj *int_m_sizeof(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_int_from_size(int_sizeof(a[0]));
}

/* ---- bytes conversion and other methods ------------------------------------------- */

/* byteorder argument: 1 little, 0 big, -1 + ValueError/TypeError. */
static int parse_byteorder(const char *fname, py_obj *o)
{
    if (!o)
        return 0;
    if (!py_str_check(o)) {
        py_err_format(py_exc_TypeError, "%s() argument 'byteorder' must be str, not %s", fname,
                      py_type_name(py_type_of(o)));
        return -1;
    }
    if (py_str_equal_cstr(o, "little"))
        return 1;
    if (py_str_equal_cstr(o, "big"))
        return 0;
    py_err_format(py_exc_ValueError, "byteorder must be either 'little' or 'big'");
    return -1;
}

static void reverse_bytes(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        unsigned char t = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = t;
    }
}

/* Whether z is representable in 8*len bits: [0, 2^(8len)) unsigned,
 * [-2^(8len-1), 2^(8len-1)) signed. */
static bool fits_in_bytes(mpz_srcptr z, size_t len, bool is_signed)
{
    if (mpz_sgn(z) == 0)
        return true;
    if (!is_signed)
        return mpz_sgn(z) > 0 && mpz_sizeinbase(z, 2) <= 8 * len;
    if (len == 0)
        return false;
    mpz_t t;                       /* non-negative: z; negative: -z - 1 */
    mpz_init(t);
    if (mpz_sgn(z) < 0)
        mpz_com(t, z);
    else
        mpz_set(t, z);
    bool ok = mpz_sgn(t) == 0 || mpz_sizeinbase(t, 2) <= 8 * len - 1;
    mpz_clear(t);
    return ok;
}

/* z in exactly len bytes, big-endian two's complement, written to p. */
static void export_bytes(mpz_srcptr z, unsigned char *p, size_t len)
{
    mpz_t m;
    mpz_init_set(m, z);
    if (mpz_sgn(m) < 0) {          /* 2^(8len) + z */
        mpz_t base;
        mpz_init(base);
        mpz_setbit(base, 8 * len);
        mpz_add(m, m, base);
        mpz_clear(base);
    }
    memset(p, 0, len);
    if (mpz_sgn(m)) {
        size_t n = (mpz_sizeinbase(m, 2) + 7) / 8, count;
        mpz_export(p + len - n, &count, 1, 1, 1, 0, m);
    }
    mpz_clear(m);
}

static py_obj *int_m_to_bytes(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *arg[3];
    if (py_parse_args("to_bytes", a + 1, n - 1, k, "|length byteorder$signed", arg) < 0)
        return NULL;
    intptr_t len = 1;
    if (arg[0] && py_index(arg[0], &len) < 0)
        return NULL;
    if (len < 0) {
        py_err_format(py_exc_ValueError, "length argument must be non-negative");
        return NULL;
    }
    int little = parse_byteorder("to_bytes", arg[1]);
    int is_signed = arg[2] ? py_truthy(arg[2]) : 0;
    if (little < 0 || is_signed < 0)
        return NULL;
    mpz_t z;
    mpz_init(z);
    to_mpz(z, a[0]);
    py_obj *r = NULL;
    if (!is_signed && mpz_sgn(z) < 0)
        py_err_format(py_exc_OverflowError, "can't convert negative int to unsigned");
    else if (!fits_in_bytes(z, (size_t)len, is_signed))
        py_err_format(py_exc_OverflowError, "int too big to convert");
    else if ((r = py_bytes_new(NULL, (size_t)len))) {
        unsigned char *p = (unsigned char *)py_bytes_data(r);
        export_bytes(z, p, (size_t)len);
        if (little)
            reverse_bytes(p, (size_t)len);
    }
    mpz_clear(z);
    if (gmp_spilled()) {
        tl_xdecref(r);
        return NULL;
    }
    return r;
}

/* int.from_bytes(bytes, byteorder='big', *, signed=False), bound to its class. */
static py_obj *int_from_bytes(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *arg[3];
    if (py_parse_args("from_bytes", a + 1, n - 1, k, "bytes|byteorder$signed", arg) < 0)
        return NULL;
    int little = parse_byteorder("from_bytes", arg[1]);
    int is_signed = arg[2] ? py_truthy(arg[2]) : 0;
    if (little < 0 || is_signed < 0)
        return NULL;
    py_obj *b = py_isinstance_of(arg[0], &py_bytes_type) ? py_newref(arg[0])
                                                         : py_call1(&py_bytes_type.tl.ob, arg[0]);
    if (!b)
        return NULL;
    size_t len = py_bytes_len(b);
    unsigned char *p = malloc(len ? len : 1);
    if (!p) {
        tl_decref(b);
        return py_err_no_memory(), NULL;
    }
    memcpy(p, py_bytes_data(b), len);
    tl_decref(b);
    if (little)
        reverse_bytes(p, len);
    mpz_t z;
    mpz_init(z);
    mpz_import(z, len, 1, 1, 1, 0, p);
    if (is_signed && len && (p[0] & 0x80)) {
        mpz_t base;                /* z - 2^(8len) */
        mpz_init(base);
        mpz_setbit(base, 8 * len);
        mpz_sub(z, z, base);
        mpz_clear(base);
    }
    free(p);
    py_obj *r = from_mpz(z);
    mpz_clear(z);
    py_obj *cls = a[0];
    if (!r || cls == &py_int_type.tl.ob)
        return r;
    py_obj *sub = py_call1(cls, r);
    tl_decref(r);
    return sub;
}

static py_obj *int_m_bit_count(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("bit_count", n - 1, k, 0, 0) < 0)
        return NULL;
    if (!is_big(a[0])) {
        int64_t v = small_val(a[0]);
        return py_int_from_long(__builtin_popcountll(v < 0 ? -(uint64_t)v : (uint64_t)v));
    }
    mpz_t z;
    mpz_init(z);
    mpz_abs(z, big_val(a[0]));
    mp_bitcnt_t bits = mpz_popcount(z);
    mpz_clear(z);
    return gmp_spilled() ? NULL : py_int_from_size(bits);
}

static py_obj *int_m_as_integer_ratio(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("as_integer_ratio", n - 1, k, 0, 0) < 0)
        return NULL;
    py_obj *num = int_pos(a[0]);
    if (!num)
        return NULL;
    py_obj *r = py_tuple_pack(2, num, py_int_from_long(1)); /* 1 is a cached small int */
    tl_decref(num);
    return r;
}

/* from_bytes is a class method: installed once the type is ready. */
static int int_add_class_methods(void)
{
    py_obj *fn = py_cfunction_new("from_bytes", int_from_bytes, NULL, NULL);
    py_obj *cm = fn ? py_classmethod_new(fn) : NULL;
    tl_xdecref(fn);
    if (!cm)
        return -1;
    int r = py_dict_set(py_int_type.dict, py_str_interned("from_bytes"), cm);
    tl_decref(cm);
    return r;
}

static const py_method_def int_methods[] = {
    {"bit_length", int_m_bit_length, NULL},
    {"bit_count", int_m_bit_count, NULL},
    {"to_bytes", int_m_to_bytes, NULL},
    {"as_integer_ratio", int_m_as_integer_ratio, NULL},
    {"__format__", int_m_format, NULL},
    {"conjugate", int_m_conjugate, NULL},
    {"__sizeof__", int_m_sizeof, NULL},
    {NULL, NULL, NULL},
};

static const py_getset_def int_getsets[] = {
    {"real", int_get_real, NULL},
    {"imag", int_get_imag, NULL},
    {"numerator", int_get_numerator, NULL},
    {"denominator", int_get_denominator, NULL},
    {NULL, NULL, NULL},
};

py_type py_int_type = {
    PY_TYPE_HEAD("int", sizeof(py_int), sizeof(__mpz_struct), 0, .dealloc = int_dealloc,
                 .sizeof_fn = int_sizeof),
    .pyflags = PY_TPFLAGS_BASETYPE | PY_TPFLAGS_INT_SUBCLASS,
    .repr = int_repr,
    .hash = int_hash,
    .richcompare = int_richcompare,
    .nb = {
        [PY_NB_ADD] = int_add, [PY_NB_SUBTRACT] = int_sub, [PY_NB_MULTIPLY] = int_mul,
        [PY_NB_FLOOR_DIVIDE] = int_floordiv, [PY_NB_REMAINDER] = int_mod,
        [PY_NB_TRUE_DIVIDE] = int_truediv, [PY_NB_POWER] = int_pow, [PY_NB_AND] = int_and,
        [PY_NB_OR] = int_or, [PY_NB_XOR] = int_xor, [PY_NB_LSHIFT] = int_lshift,
        [PY_NB_RSHIFT] = int_rshift,
    },
    .nb_power3 = int_pow3,
    .nb_negative = int_neg,
    .nb_positive = int_pos,
    .nb_absolute = int_abs,
    .nb_invert = int_invert,
    .nb_bool = int_bool,
    .nb_int = int_pos,
    .nb_float = int_float,
    .nb_index = int_index,
    .tp_new = int_new,
    .methods = int_methods,
    .getsets = int_getsets,
    .doc = "int([x]) -> integer",
};

/* ---- bool ----------------------------------------------------------------------------------- */

static py_int bool_objs[2];
py_obj *py_True = &bool_objs[1].ob, *py_False = &bool_objs[0].ob;

static py_obj *bool_repr(py_obj *o) { return py_str_from_cstr(o == py_True ? "True" : "False"); }

static py_obj *bool_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *a[1] = {NULL};
    if (py_parse_args("bool", args, nargs, kwnames, "|x", a) < 0)
        return NULL;
    if (!a[0])
        return py_bool(false);
    int v = py_truthy(a[0]);
    return v < 0 ? NULL : py_bool(v);
}

static py_obj *bool_logic(py_obj *a, py_obj *b, int op)
{
    if (!py_isinstance_exact(a, &py_bool_type) || !py_isinstance_exact(b, &py_bool_type)) {
        py_binaryfunc f = op == PY_NB_AND ? int_and : op == PY_NB_OR ? int_or : int_xor;
        return f(a, b);
    }
    bool x = a == py_True, y = b == py_True;
    return py_bool(op == PY_NB_AND ? (x && y) : op == PY_NB_OR ? (x || y) : (x != y));
}
static py_obj *bool_and(py_obj *a, py_obj *b) { return bool_logic(a, b, PY_NB_AND); }
static py_obj *bool_or(py_obj *a, py_obj *b) { return bool_logic(a, b, PY_NB_OR); }
static py_obj *bool_xor(py_obj *a, py_obj *b) { return bool_logic(a, b, PY_NB_XOR); }

py_type py_bool_type = {
    PY_TYPE_HEAD("bool", sizeof(py_int), 0, 0),
    .base = &py_int_type,
    .pyflags = PY_TPFLAGS_INT_SUBCLASS,
    .repr = bool_repr,
    .tp_new = bool_new,
    .nb = {[PY_NB_AND] = bool_and, [PY_NB_OR] = bool_or, [PY_NB_XOR] = bool_xor},
};

/* ---- GMP memory from the tally heap ---------------------------------------------------------- */

/* GMP cannot be told that an allocation failed: its allocator must return
 * memory or never return. So when the tally heap refuses a GMP request, the
 * block is taken from the system allocator instead (a "spill") and the
 * operation runs to its end on correct memory; from_mpz, through which every
 * int result is made, then sees the spill, discards the result and raises
 * MemoryError, and the caller's mpz_clear returns the spilled blocks. So a
 * big-int operation fails as any other allocation does, and a spilled block
 * never outlives the operation that made it. Only when the system allocator
 * refuses too is there nothing left to do but stop. Spills are rare and
 * short-lived: a small array of their addresses tells them from heap blocks. */
static struct {
    void **blocks;       /* addresses of live spilled blocks, malloc'd */
    size_t n, cap;
    bool pending;        /* a spill happened since the last result was made */
} spill;

static _Noreturn void gmp_out_of_memory(void)
{
    fputs("tally: out of memory in big-integer arithmetic\n", stderr);
    abort();
}

static void *spill_alloc(size_t n)
{
    if (spill.n == spill.cap) {
        size_t cap = spill.cap ? 2 * spill.cap : 16;
        void **a = realloc(spill.blocks, cap * sizeof *a);
        if (!a)
            gmp_out_of_memory();
        spill.blocks = a;
        spill.cap = cap;
    }
    void *p = malloc(n ? n : 1);
    if (!p)
        gmp_out_of_memory();
    spill.blocks[spill.n++] = p;
    spill.pending = true;
    return p;
}

/* The slot of p in the spill array, or NULL for a heap block. */
static void **spill_slot(void *p)
{
    for (size_t i = 0; i < spill.n; i++)
        if (spill.blocks[i] == p)
            return &spill.blocks[i];
    return NULL;
}

static void spill_free(void **slot)
{
    free(*slot);
    *slot = spill.blocks[--spill.n];
    if (!spill.n) {
        free(spill.blocks);
        spill.blocks = NULL;
        spill.cap = 0;
    }
}

/* True (and MemoryError set) when GMP had to spill since the last check. */
static bool gmp_spilled(void)
{
    if (!spill.pending)
        return false;
    spill.pending = false;
    py_err_no_memory();
    return true;
}

static void *gmp_alloc(size_t n)
{
    void *p = tl_heap_alloc(vm.heap, n);
    return p ? p : spill_alloc(n);
}

static void *gmp_realloc(void *p, size_t old, size_t n)
{
    void **slot = spill.n ? spill_slot(p) : NULL;
    if (slot) {
        void *q = realloc(*slot, n ? n : 1);
        if (!q)
            gmp_out_of_memory();
        *slot = q;
        return q;
    }
    void *q = tl_heap_realloc(vm.heap, p, n);
    if (q)
        return q;
    q = spill_alloc(n);
    memcpy(q, p, old < n ? old : n);
    tl_heap_free(p);
    return q;
}

static void gmp_free(void *p, size_t n)
{
    void **slot = spill.n ? spill_slot(p) : NULL;
    if (slot)
        spill_free(slot);
    else
        tl_heap_free(p);
}

int py_int_init(void)
{
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
    for (int i = 0; i < NSMALLNEG + NSMALLPOS; i++) {
        tl_object_init_static(&small_ints[i].ob, &py_int_type.tl);
        small_ints[i].v = i - NSMALLNEG;
    }
    for (int i = 0; i < 2; i++) {
        tl_object_init_static(&bool_objs[i].ob, &py_bool_type.tl);
        bool_objs[i].v = i;
    }
    if (py_type_ready(&py_int_type) < 0 || py_type_ready(&py_bool_type) < 0)
        return -1;
    return int_add_class_methods();
}
