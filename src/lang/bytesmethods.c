/* bytesmethods.c — the Python-visible methods of bytes (bytes.c owns the
 * type itself: layout, hashing, sequence protocol, construction).
 *
 * bytes methods see ASCII only: case mapping and character classes leave
 * bytes >= 0x80 alone, and whitespace is the six ASCII space characters,
 * as in CPython. An argument that must be "bytes-like" is a bytes object
 * (tally has no other buffer type); a search argument may also be an int
 * in range(256). Messages follow CPython 3.11.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

#include <string.h>

#define SELF a[0]

static const char *BD(py_obj *b) { return py_bytes_data(b); }
static size_t BN(py_obj *b) { return py_bytes_len(b); }
static bool is_bytes(py_obj *o) { return py_isinstance_of(o, &py_bytes_type); }

static py_obj *new_bytes(const char *s, size_t n) { return py_bytes_new(s, n); }

static int need_bytes(py_obj *o)
{
    if (is_bytes(o))
        return 0;
    py_err_format(py_exc_TypeError, "a bytes-like object is required, not '%s'", py_type_name(py_type_of(o)));
    return -1;
}

/* ---- ASCII classes and case ----------------------------------------------------------- */

static bool b_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static bool b_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static bool b_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static bool b_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool b_alpha(unsigned char c) { return b_lower(c) || b_upper(c); }
static bool b_alnum(unsigned char c) { return b_alpha(c) || b_digit(c); }
static bool b_ascii(unsigned char c) { return c < 0x80; }
static unsigned char to_up(unsigned char c) { return b_lower(c) ? c - 32 : c; }
static unsigned char to_low(unsigned char c) { return b_upper(c) ? c + 32 : c; }

static py_obj *all_bytes(py_obj *b, bool (*pred)(unsigned char), bool empty)
{
    const unsigned char *p = (const unsigned char *)BD(b);
    if (!BN(b))
        return py_bool(empty);
    for (size_t i = 0; i < BN(b); i++)
        if (!pred(p[i]))
            return py_bool(false);
    return py_bool(true);
}

#define PRED(name, pred, empty)                                                         \
    static py_obj *b_m_##name(py_obj *c, py_obj *const *a, size_t n, py_obj *k)         \
    {                                                                                   \
        if (py_check_args(#name, n - 1, k, 0, 0) < 0)                                   \
            return NULL;                                                                \
        return all_bytes(SELF, pred, empty);                                            \
    }
PRED(isalpha, b_alpha, false)
PRED(isalnum, b_alnum, false)
PRED(isdigit, b_digit, false)
PRED(isspace, b_space, false)
PRED(isascii, b_ascii, true)

/* islower/isupper: some cased byte, none of the other case. */
static py_obj *case_test(py_obj *b, bool (*want)(unsigned char), bool (*other)(unsigned char))
{
    const unsigned char *p = (const unsigned char *)BD(b);
    bool any = false;
    for (size_t i = 0; i < BN(b); i++) {
        if (other(p[i]))
            return py_bool(false);
        any |= want(p[i]);
    }
    return py_bool(any);
}

static py_obj *b_m_islower(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return case_test(SELF, b_lower, b_upper); }
static py_obj *b_m_isupper(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return case_test(SELF, b_upper, b_lower); }

static py_obj *b_m_istitle(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    const unsigned char *p = (const unsigned char *)BD(SELF);
    bool prev = false, any = false;
    for (size_t i = 0; i < BN(SELF); i++) {
        if (b_upper(p[i])) {
            if (prev)
                return py_bool(false);
            prev = any = true;
        } else if (b_lower(p[i])) {
            if (!prev)
                return py_bool(false);
            prev = any = true;
        } else {
            prev = false;
        }
    }
    return py_bool(any);
}

enum bcase { B_UPPER, B_LOWER, B_SWAP, B_CAPITALIZE, B_TITLE };

static py_obj *convert_case(py_obj *b, enum bcase op)
{
    py_obj *r = new_bytes(BD(b), BN(b));
    if (!r)
        return NULL;
    unsigned char *p = (unsigned char *)py_bytes_data(r);
    bool prev = false;
    for (size_t i = 0; i < BN(b); i++) {
        unsigned char c = p[i];
        switch (op) {
        case B_UPPER: p[i] = to_up(c); break;
        case B_LOWER: p[i] = to_low(c); break;
        case B_SWAP: p[i] = b_upper(c) ? to_low(c) : to_up(c); break;
        case B_CAPITALIZE: p[i] = i ? to_low(c) : to_up(c); break;
        case B_TITLE:
            p[i] = prev ? to_low(c) : to_up(c);
            prev = b_alpha(c);
            break;
        }
    }
    return r;
}

#define CASE(name, op)                                                                  \
    static py_obj *b_m_##name(py_obj *c, py_obj *const *a, size_t n, py_obj *k)         \
    {                                                                                   \
        if (py_check_args(#name, n - 1, k, 0, 0) < 0)                                   \
            return NULL;                                                                \
        return convert_case(SELF, op);                                                  \
    }
CASE(upper, B_UPPER)
CASE(lower, B_LOWER)
CASE(swapcase, B_SWAP)
CASE(capitalize, B_CAPITALIZE)
CASE(title, B_TITLE)

/* ---- searching ------------------------------------------------------------------------ */

/* [start, end) of a slice given as optional start/end arguments (None allowed). */
static int slice_bounds(py_obj *so, py_obj *eo, size_t len, size_t *from, size_t *to)
{
    intptr_t s = 0, e = (intptr_t)len;
    if (so && so != py_None && py_index(so, &s) < 0)
        return -1;
    if (eo && eo != py_None && py_index(eo, &e) < 0)
        return -1;
    if (s < 0 && (s += (intptr_t)len) < 0)
        s = 0;
    if (e < 0 && (e += (intptr_t)len) < 0)
        e = 0;
    *from = (size_t)s;
    *to = e > (intptr_t)len ? len : (size_t)e;
    return 0;
}

/* The needle of a search: bytes, or an int in range(256) (into one). */
static int needle_of(py_obj *o, const char **s, size_t *n, char *one)
{
    if (is_bytes(o)) {
        *s = BD(o);
        *n = BN(o);
        return 0;
    }
    if (!py_int_check(o)) {
        py_err_format(py_exc_TypeError, "argument should be integer or bytes-like object, not '%s'",
                      py_type_name(py_type_of(o)));
        return -1;
    }
    intptr_t v;
    if (py_index(o, &v) < 0)
        return -1;
    if (v < 0 || v > 255) {
        py_err_format(py_exc_ValueError, "byte must be in range(0, 256)");
        return -1;
    }
    *one = (char)v;
    *s = one;
    *n = 1;
    return 0;
}

static intptr_t rfind_in(const char *h, size_t from, size_t to, const char *s, size_t n)
{
    if (to < from || to - from < n)
        return -1;
    for (size_t i = to - n + 1; i-- > from;)
        if (!memcmp(h + i, s, n))
            return (intptr_t)i;
    return -1;
}

/* find/rfind/index/rindex; -2 on error. */
static intptr_t find_common(const char *fn, py_obj *const *a, size_t n, py_obj *k, bool reverse)
{
    py_obj *o[3];
    const char *s;
    size_t sn, from, to;
    char one;
    if (py_check_args(fn, n - 1, k, 1, 3) < 0)
        return -2;
    for (size_t i = 0; i < 3; i++)
        o[i] = i + 1 < n ? a[i + 1] : NULL;
    if (needle_of(o[0], &s, &sn, &one) < 0 || slice_bounds(o[1], o[2], BN(SELF), &from, &to) < 0)
        return -2;
    if (from > BN(SELF))
        return -1;
    return reverse ? rfind_in(BD(SELF), from, to, s, sn) : py_bytes_find(BD(SELF), from, to, s, sn);
}

static py_obj *found(intptr_t r, bool raise)
{
    if (r == -2)
        return NULL;
    if (r == -1 && raise) {
        py_err_format(py_exc_ValueError, "subsection not found");
        return NULL;
    }
    return py_int_from_long(r);
}

static py_obj *b_m_find(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return found(find_common("find", a, n, k, false), false); }
static py_obj *b_m_rfind(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return found(find_common("rfind", a, n, k, true), false); }
static py_obj *b_m_index(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return found(find_common("index", a, n, k, false), true); }
static py_obj *b_m_rindex(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return found(find_common("rindex", a, n, k, true), true); }

static py_obj *b_m_count(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    const char *s;
    size_t sn, from, to;
    char one;
    if (py_check_args("count", n - 1, k, 1, 3) < 0 || needle_of(a[1], &s, &sn, &one) < 0 ||
        slice_bounds(n > 2 ? a[2] : NULL, n > 3 ? a[3] : NULL, BN(SELF), &from, &to) < 0)
        return NULL;
    if (from > to)
        return py_int_from_long(0);
    if (sn == 0)
        return py_int_from_long((long long)(to - from + 1));
    long long count = 0;
    intptr_t at;
    while ((at = py_bytes_find(BD(SELF), from, to, s, sn)) >= 0) {
        count++;
        from = (size_t)at + sn;
    }
    return py_int_from_long(count);
}

static int affix_one(py_obj *self, py_obj *x, size_t from, size_t to, bool end, const char *fn)
{
    if (!is_bytes(x)) {
        py_err_format(py_exc_TypeError, "%s first arg must be bytes or a tuple of bytes, not %s", fn,
                      py_type_name(py_type_of(x)));
        return -1;
    }
    size_t xn = BN(x);
    if (from > BN(self) || to < from || to - from < xn)
        return 0;
    return !memcmp(BD(self) + (end ? to - xn : from), BD(x), xn);
}

static py_obj *affix(const char *fn, py_obj *const *a, size_t n, py_obj *k, bool end)
{
    size_t from, to;
    if (py_check_args(fn, n - 1, k, 1, 3) < 0 ||
        slice_bounds(n > 2 ? a[2] : NULL, n > 3 ? a[3] : NULL, BN(SELF), &from, &to) < 0)
        return NULL;
    if (!py_isinstance_of(a[1], &py_tuple_type)) {
        int r = affix_one(SELF, a[1], from, to, end, fn);
        return r < 0 ? NULL : py_bool(r);
    }
    for (intptr_t i = 0; i < py_tuple_size(a[1]); i++) {
        int r = affix_one(SELF, py_tuple_items(a[1])[i], from, to, end, fn);
        if (r)
            return r < 0 ? NULL : py_bool(true);
    }
    return py_bool(false);
}

static py_obj *b_m_startswith(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return affix("startswith", a, n, k, false); }
static py_obj *b_m_endswith(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return affix("endswith", a, n, k, true); }

/* ---- splitting and joining -------------------------------------------------------------- */

static int push(py_obj *l, const char *s, size_t n)
{
    py_obj *b = new_bytes(s, n);
    if (!b)
        return -1;
    int r = py_list_append(l, b);
    tl_decref(b);
    return r;
}

static int split_args(const char *fn, py_obj *const *a, size_t n, py_obj *k, py_obj **sep, intptr_t *max)
{
    py_obj *o[2];
    if (py_parse_args(fn, a + 1, n - 1, k, "|sep maxsplit", o) < 0)
        return -1;
    *sep = o[0] && o[0] != py_None ? o[0] : NULL;
    *max = -1;
    if (o[1] && py_index(o[1], max) < 0)
        return -1;
    if (*max < 0)
        *max = INTPTR_MAX;
    if (*sep && need_bytes(*sep) < 0)
        return -1;
    if (*sep && !BN(*sep)) {
        py_err_format(py_exc_ValueError, "empty separator");
        return -1;
    }
    return 0;
}

/* Fields of [0, len) split by sep (or runs of whitespace), left to right;
   once maxsplit fields are cut, the rest is one field as it stands. */
static int split_fwd(py_obj *l, const char *d, size_t len, py_obj *sep, intptr_t max)
{
    size_t i = 0;
    if (sep) {
        intptr_t at;
        while (max-- > 0 && (at = py_bytes_find(d, i, len, BD(sep), BN(sep))) >= 0) {
            if (push(l, d + i, (size_t)at - i) < 0)
                return -1;
            i = (size_t)at + BN(sep);
        }
        return push(l, d + i, len - i);
    }
    for (;;) {
        while (i < len && b_space((unsigned char)d[i]))
            i++;
        if (i == len)
            return 0;
        if (max-- <= 0)
            return push(l, d + i, len - i);
        size_t j = i;
        while (j < len && !b_space((unsigned char)d[j]))
            j++;
        if (push(l, d + i, j - i) < 0)
            return -1;
        i = j;
    }
}

static int reverse_list(py_obj *l)
{
    py_list_reverse_items(l);
    return 0;
}

/* The same from the right; fields pushed last first, then reversed. */
static int split_rev(py_obj *l, const char *d, size_t len, py_obj *sep, intptr_t max)
{
    size_t j = len;
    if (sep) {
        intptr_t at;
        while (max-- > 0 && (at = rfind_in(d, 0, j, BD(sep), BN(sep))) >= 0) {
            if (push(l, d + at + BN(sep), j - (size_t)at - BN(sep)) < 0)
                return -1;
            j = (size_t)at;
        }
        return push(l, d, j) < 0 ? -1 : reverse_list(l);
    }
    for (;;) {
        while (j > 0 && b_space((unsigned char)d[j - 1]))
            j--;
        if (j == 0)
            return reverse_list(l);
        if (max-- <= 0)
            return push(l, d, j) < 0 ? -1 : reverse_list(l);
        size_t i = j;
        while (i > 0 && !b_space((unsigned char)d[i - 1]))
            i--;
        if (push(l, d + i, j - i) < 0)
            return -1;
        j = i;
    }
}

static py_obj *split_common(const char *fn, py_obj *const *a, size_t n, py_obj *k, bool rev)
{
    py_obj *sep, *l;
    intptr_t max;
    if (split_args(fn, a, n, k, &sep, &max) < 0 || !(l = py_list_new(0)))
        return NULL;
    int r = (rev ? split_rev : split_fwd)(l, BD(SELF), BN(SELF), sep, max);
    if (r < 0)
        TL_CLEAR(l);
    return l;
}

static py_obj *b_m_split(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return split_common("split", a, n, k, false); }
static py_obj *b_m_rsplit(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return split_common("rsplit", a, n, k, true); }

static py_obj *b_m_splitlines(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *o[1], *l;
    if (py_parse_args("splitlines", a + 1, n - 1, k, "|keepends", o) < 0 || !(l = py_list_new(0)))
        return NULL;
    int keep = o[0] ? py_truthy(o[0]) : 0;
    const char *d = BD(SELF);
    size_t len = BN(SELF), i = 0;
    while (keep >= 0 && i < len) {
        size_t j = i;
        while (j < len && d[j] != '\n' && d[j] != '\r')
            j++;
        size_t eol = j < len ? (d[j] == '\r' && j + 1 < len && d[j + 1] == '\n' ? 2 : 1) : 0;
        if (push(l, d + i, j - i + (keep ? eol : 0)) < 0)
            keep = -1;
        i = j + eol;
    }
    if (keep < 0)
        TL_CLEAR(l);
    return l;
}

static py_obj *b_m_join(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("join", n - 1, k, 1, 1) < 0)
        return NULL;
    py_obj *items = py_sequence_to_list(a[1]);
    if (!items)
        return NULL;
    size_t total = 0;
    intptr_t cnt = py_list_size(items);
    for (intptr_t i = 0; i < cnt; i++) {
        py_obj *x = py_list_items(items)[i];
        if (!is_bytes(x)) {
            py_err_format(py_exc_TypeError, "sequence item %zd: expected a bytes-like object, %s found",
                          i, py_type_name(py_type_of(x)));
            tl_decref(items);
            return NULL;
        }
        total += BN(x) + (i ? BN(SELF) : 0);
    }
    py_obj *r = new_bytes(NULL, total);
    char *p = r ? (char *)py_bytes_data(r) : NULL;
    for (intptr_t i = 0; p && i < cnt; i++) {
        py_obj *x = py_list_items(items)[i];
        if (i) {
            memcpy(p, BD(SELF), BN(SELF));
            p += BN(SELF);
        }
        memcpy(p, BD(x), BN(x));
        p += BN(x);
    }
    tl_decref(items);
    return r;
}

static py_obj *partition(const char *fn, py_obj *const *a, size_t n, py_obj *k, bool rev)
{
    if (py_check_args(fn, n - 1, k, 1, 1) < 0 || need_bytes(a[1]) < 0)
        return NULL;
    py_obj *sep = a[1];
    if (!BN(sep)) {
        py_err_format(py_exc_ValueError, "empty separator");
        return NULL;
    }
    const char *d = BD(SELF);
    size_t len = BN(SELF);
    intptr_t at = rev ? rfind_in(d, 0, len, BD(sep), BN(sep)) : py_bytes_find(d, 0, len, BD(sep), BN(sep));
    py_obj *p[3];
    if (at < 0) {
        p[rev ? 2 : 0] = py_newref(SELF);
        p[1] = new_bytes("", 0);
        p[rev ? 0 : 2] = new_bytes("", 0);
    } else {
        p[0] = new_bytes(d, (size_t)at);
        p[1] = py_newref(sep);
        p[2] = new_bytes(d + at + BN(sep), len - (size_t)at - BN(sep));
    }
    py_obj *t = p[0] && p[1] && p[2] ? py_tuple_pack(3, p[0], p[1], p[2]) : NULL;
    for (int i = 0; i < 3; i++)
        tl_xdecref(p[i]);
    return t;
}

static py_obj *b_m_partition(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return partition("partition", a, n, k, false); }
static py_obj *b_m_rpartition(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return partition("rpartition", a, n, k, true); }

/* ---- making new bytes -------------------------------------------------------------------- */

static py_obj *strip(const char *fn, py_obj *const *a, size_t n, py_obj *k, bool left, bool right)
{
    if (py_check_args(fn, n - 1, k, 0, 1) < 0)
        return NULL;
    py_obj *chars = n > 1 && a[1] != py_None ? a[1] : NULL;
    if (chars && need_bytes(chars) < 0)
        return NULL;
    const unsigned char *d = (const unsigned char *)BD(SELF);
    size_t i = 0, j = BN(SELF);
#define STRIPPED(ch) (chars ? memchr(BD(chars), (ch), BN(chars)) != NULL : b_space(ch))
    while (left && i < j && STRIPPED(d[i]))
        i++;
    while (right && j > i && STRIPPED(d[j - 1]))
        j--;
#undef STRIPPED
    if (i == 0 && j == BN(SELF) && py_type_of(SELF) == &py_bytes_type)
        return py_newref(SELF);
    return new_bytes((const char *)d + i, j - i);
}

static py_obj *b_m_strip(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return strip("strip", a, n, k, true, true); }
static py_obj *b_m_lstrip(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return strip("lstrip", a, n, k, true, false); }
static py_obj *b_m_rstrip(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return strip("rstrip", a, n, k, false, true); }

static py_obj *b_m_replace(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    intptr_t max = -1;
    if (py_check_args("replace", n - 1, k, 2, 3) < 0 || need_bytes(a[1]) < 0 || need_bytes(a[2]) < 0 ||
        (n > 3 && py_index(a[3], &max) < 0))
        return NULL;
    if (max < 0)
        max = INTPTR_MAX;
    const char *d = BD(SELF), *old = BD(a[1]), *new = BD(a[2]);
    size_t len = BN(SELF), on = BN(a[1]), nn = BN(a[2]);
    py_strbuf b;
    py_strbuf_init(&b);
    size_t i = 0;
    if (!on) {                        /* the new bytes before each byte and at the end */
        for (; i <= len && max-- > 0; i++) {
            py_strbuf_add(&b, new, nn);
            if (i < len)
                py_strbuf_addc(&b, d[i]);
        }
    } else {
        intptr_t at;
        while (max-- > 0 && (at = py_bytes_find(d, i, len, old, on)) >= 0) {
            py_strbuf_add(&b, d + i, (size_t)at - i);
            py_strbuf_add(&b, new, nn);
            i = (size_t)at + on;
        }
    }
    if (i < len)
        py_strbuf_add(&b, d + i, len - i);
    py_obj *r = b.failed ? NULL : new_bytes(b.data, b.len);
    py_strbuf_free(&b);
    return r;
}

static py_obj *affix_remove(const char *fn, py_obj *const *a, size_t n, py_obj *k, bool suffix)
{
    if (py_check_args(fn, n - 1, k, 1, 1) < 0 || need_bytes(a[1]) < 0)
        return NULL;
    size_t len = BN(SELF), xn = BN(a[1]);
    if (xn && xn <= len && !memcmp(BD(SELF) + (suffix ? len - xn : 0), BD(a[1]), xn))
        return new_bytes(BD(SELF) + (suffix ? 0 : xn), len - xn);
    if (py_type_of(SELF) == &py_bytes_type)
        return py_newref(SELF);
    return new_bytes(BD(SELF), len);
}

static py_obj *b_m_removeprefix(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return affix_remove("removeprefix", a, n, k, false); }
static py_obj *b_m_removesuffix(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return affix_remove("removesuffix", a, n, k, true); }

/* center/ljust/rjust: where = 0 center, 1 left-justified, 2 right-justified. */
static py_obj *pad(const char *fn, py_obj *const *a, size_t n, py_obj *k, int where)
{
    intptr_t width;
    char fill = ' ';
    if (py_check_args(fn, n - 1, k, 1, 2) < 0 || py_index(a[1], &width) < 0)
        return NULL;
    if (n > 2) {
        if (!is_bytes(a[2]) || BN(a[2]) != 1) {
            py_err_format(py_exc_TypeError, "%s() argument 2 must be a byte string of length 1, not %s",
                          fn, is_bytes(a[2]) ? "bytes" : py_type_name(py_type_of(a[2])));
            return NULL;
        }
        fill = BD(a[2])[0];
    }
    size_t len = BN(SELF);
    if (width <= (intptr_t)len)
        return py_type_of(SELF) == &py_bytes_type ? py_newref(SELF) : new_bytes(BD(SELF), len);
    size_t total = (size_t)width - len;
    /* center: CPython gives the odd byte of padding to the left exactly
       when the width is odd. */
    size_t left = where == 1 ? 0 : where == 2 ? total : total / 2 + (total & (size_t)width & 1);
    py_obj *r = new_bytes(NULL, (size_t)width);
    if (!r)
        return NULL;
    char *p = (char *)py_bytes_data(r);
    memset(p, fill, (size_t)width);
    memcpy(p + left, BD(SELF), len);
    return r;
}

static py_obj *b_m_center(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return pad("center", a, n, k, 0); }
static py_obj *b_m_ljust(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return pad("ljust", a, n, k, 1); }
static py_obj *b_m_rjust(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return pad("rjust", a, n, k, 2); }

static py_obj *b_m_zfill(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    intptr_t width;
    if (py_check_args("zfill", n - 1, k, 1, 1) < 0 || py_index(a[1], &width) < 0)
        return NULL;
    size_t len = BN(SELF);
    if (width <= (intptr_t)len)
        return py_type_of(SELF) == &py_bytes_type ? py_newref(SELF) : new_bytes(BD(SELF), len);
    py_obj *r = new_bytes(NULL, (size_t)width);
    if (!r)
        return NULL;
    char *p = (char *)py_bytes_data(r);
    size_t fill = (size_t)width - len;
    memset(p, '0', fill);
    memcpy(p + fill, BD(SELF), len);
    if (len && (p[fill] == '+' || p[fill] == '-')) {
        p[0] = p[fill];
        p[fill] = '0';
    }
    return r;
}

static py_obj *b_m_expandtabs(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *o[1];
    intptr_t tab = 8;
    if (py_parse_args("expandtabs", a + 1, n - 1, k, "|tabsize", o) < 0 || (o[0] && py_index(o[0], &tab) < 0))
        return NULL;
    py_strbuf b;
    py_strbuf_init(&b);
    size_t col = 0;
    for (size_t i = 0; i < BN(SELF); i++) {
        char ch = BD(SELF)[i];
        if (ch == '\t') {
            size_t sp = tab > 0 ? (size_t)tab - col % (size_t)tab : 0;
            for (size_t j = 0; j < sp; j++)
                py_strbuf_addc(&b, ' ');
            col += sp;
        } else {
            py_strbuf_addc(&b, ch);
            col = ch == '\n' || ch == '\r' ? 0 : col + 1;
        }
    }
    py_obj *r = b.failed ? NULL : new_bytes(b.data, b.len);
    py_strbuf_free(&b);
    return r;
}

/* ---- hex ----------------------------------------------------------------------------------- */

static int hexval(unsigned char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Code points in the first n bytes of UTF-8 text. */
static intptr_t cp_count(const unsigned char *s, size_t n)
{
    intptr_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += (s[i] & 0xC0) != 0x80;
    return k;
}

/* bytes.fromhex(string): pairs of hex digits, spaces allowed between pairs. */
static py_obj *b_fromhex(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("fromhex", n - 1, k, 1, 1) < 0)
        return NULL;
    if (!py_str_check(a[1])) {
        py_err_format(py_exc_TypeError, "fromhex() argument must be str, not %s", py_type_name(py_type_of(a[1])));
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)py_str_utf8(a[1]);
    size_t len = py_str_nbytes(a[1]), m = 0;
    py_obj *r = new_bytes(NULL, len / 2);
    if (!r)
        return NULL;
    char *out = (char *)py_bytes_data(r);
    for (size_t i = 0; i < len;) {
        if (b_space(s[i])) {
            i++;
            continue;
        }
        int hi = hexval(s[i]), lo = i + 1 < len ? hexval(s[i + 1]) : -1;
        if (hi < 0 || lo < 0) {
            size_t at = hi < 0 ? i : i + 1;
            tl_decref(r);
            py_err_format(py_exc_ValueError, "non-hexadecimal number found in fromhex() arg at position %zd",
                          cp_count(s, at));
            return NULL;
        }
        out[m++] = (char)(hi << 4 | lo);
        i += 2;
    }
    py_obj *res = new_bytes(out, m);
    tl_decref(r);
    if (!res || a[0] == &py_bytes_type.tl.ob)
        return res;
    py_obj *sub = py_call(a[0], &res, 1, NULL);
    tl_decref(res);
    return sub;
}

static py_obj *b_m_hex(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *o[2];
    if (py_parse_args("hex", a + 1, n - 1, k, "|sep bytes_per_sep", o) < 0)
        return NULL;
    intptr_t per = 1;
    if (o[1] && py_index(o[1], &per) < 0)
        return NULL;
    const char *sep = NULL;
    if (o[0]) {
        if (!(py_str_check(o[0]) || is_bytes(o[0])) ||
            (py_str_check(o[0]) ? py_str_nbytes(o[0]) : BN(o[0])) != 1) {
            py_err_format(py_exc_ValueError, "sep must be length 1.");
            return NULL;
        }
        sep = py_str_check(o[0]) ? py_str_utf8(o[0]) : BD(o[0]);
    }
    size_t len = BN(SELF), step = (size_t)(per < 0 ? -per : per);
    py_strbuf b;
    py_strbuf_init(&b);
    for (size_t i = 0; i < len; i++) {
        /* Separators are counted from the right for a positive bytes_per_sep. */
        size_t from_edge = per > 0 ? len - i : i;
        if (sep && step && i && from_edge % step == 0)
            py_strbuf_addc(&b, sep[0]);
        char tmp[3];
        snprintf(tmp, sizeof tmp, "%02x", (unsigned char)BD(SELF)[i]);
        py_strbuf_add(&b, tmp, 2);
    }
    return py_strbuf_finish(&b);
}

static py_obj *b_m_decode(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *o[2];
    if (py_parse_args("decode", a + 1, n - 1, k, "|encoding errors", o) < 0)
        return NULL;
    return py_bytes_decode(SELF, o[0], o[1]);
}

static py_obj *b_m_sizeof(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_int_from_long(33 + (long long)BN(SELF));
}

static py_obj *b_m_getnewargs(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *b = new_bytes(BD(SELF), BN(SELF));
    py_obj *t = b ? py_tuple_pack(1, b) : NULL;
    tl_xdecref(b);
    return t;
}

const py_method_def py_bytes_methods[] = {
    {"decode", b_m_decode, NULL}, {"hex", b_m_hex, NULL}, {"__sizeof__", b_m_sizeof, NULL},
    {"__getnewargs__", b_m_getnewargs, NULL},
    {"upper", b_m_upper, NULL}, {"lower", b_m_lower, NULL}, {"swapcase", b_m_swapcase, NULL},
    {"capitalize", b_m_capitalize, NULL}, {"title", b_m_title, NULL},
    {"isalpha", b_m_isalpha, NULL}, {"isalnum", b_m_isalnum, NULL}, {"isdigit", b_m_isdigit, NULL},
    {"isspace", b_m_isspace, NULL}, {"isascii", b_m_isascii, NULL}, {"islower", b_m_islower, NULL},
    {"isupper", b_m_isupper, NULL}, {"istitle", b_m_istitle, NULL},
    {"find", b_m_find, NULL}, {"rfind", b_m_rfind, NULL}, {"index", b_m_index, NULL},
    {"rindex", b_m_rindex, NULL}, {"count", b_m_count, NULL},
    {"startswith", b_m_startswith, NULL}, {"endswith", b_m_endswith, NULL},
    {"split", b_m_split, NULL}, {"rsplit", b_m_rsplit, NULL}, {"splitlines", b_m_splitlines, NULL},
    {"join", b_m_join, NULL}, {"partition", b_m_partition, NULL}, {"rpartition", b_m_rpartition, NULL},
    {"strip", b_m_strip, NULL}, {"lstrip", b_m_lstrip, NULL}, {"rstrip", b_m_rstrip, NULL},
    {"replace", b_m_replace, NULL}, {"removeprefix", b_m_removeprefix, NULL},
    {"removesuffix", b_m_removesuffix, NULL}, {"center", b_m_center, NULL},
    {"ljust", b_m_ljust, NULL}, {"rjust", b_m_rjust, NULL}, {"zfill", b_m_zfill, NULL},
    {"expandtabs", b_m_expandtabs, NULL},
    {NULL, NULL, NULL},
};

/* bytes.fromhex, a class method, installed once the type is ready. */
int py_bytes_methods_init(void)
{
    py_obj *f = py_cfunction_new("fromhex", b_fromhex, NULL, NULL);
    py_obj *cm = f ? py_classmethod_new(f) : NULL;
    tl_xdecref(f);
    if (!cm)
        return -1;
    int r = py_dict_set(py_bytes_type.dict, py_str_interned("fromhex"), cm);
    tl_decref(cm);
    return r;
}
