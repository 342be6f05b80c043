/* strmethods.c — the Python-visible methods of str and its constructor.
 *
 * Works on the UTF-8 data directly where UTF-8's self-synchronisation makes
 * byte search exact (find, count, replace, split with a separator, prefix
 * tests), and on decoded code points elsewhere (whitespace, case, classes).
 * Character classes and case mappings come from unicode_db.h, CPython
 * 3.11's own (full mappings, final sigma). Messages follow CPython 3.11.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"
#include "unicode_db.h"

#define SELF a[0]
#define NARGS (n - 1)

static inline const char *D(py_obj *s) { return py_str_utf8(s); }
static inline size_t NB(py_obj *s) { return py_str_nbytes(s); }

/* ---- argument helpers ----------------------------------------------------------- */

/* Positional-or-keyword arguments by name; out[i] NULL when absent. */
static int get_args(const char *fname, py_obj *const *a, size_t n, py_obj *k,
                    const char *const *names, size_t min, size_t max, py_obj **out)
{
    size_t np = n - 1;
    for (size_t i = 0; i < max; i++)
        out[i] = i < np ? a[1 + i] : NULL;
    if (np > max) {
        py_err_format(py_exc_TypeError, "%s() takes at most %zd argument%s (%zd given)", fname,
                      (intptr_t)max, max == 1 ? "" : "s", (intptr_t)np);
        return -1;
    }
    for (intptr_t i = 0; k && i < py_tuple_size(k); i++) {
        py_obj *name = py_tuple_items(k)[i];
        size_t j = 0;
        while (j < max && !(names[j] && py_str_equal_cstr(name, names[j])))
            j++;
        if (j == max) {
            py_err_format(py_exc_TypeError, "%s() got an unexpected keyword argument '%U'", fname, name);
            return -1;
        }
        out[j] = a[1 + np + (size_t)i];
    }
    for (size_t i = 0; i < min; i++) {
        if (!out[i]) {
            py_err_format(py_exc_TypeError, "%s() takes at least %zd argument%s (%zd given)", fname,
                          (intptr_t)min, min == 1 ? "" : "s", (intptr_t)np);
            return -1;
        }
    }
    return 0;
}

static int need_str(py_obj *o, const char *what)
{
    if (py_str_check(o))
        return 0;
    py_err_format(py_exc_TypeError, "%s must be str, not %s", what, py_type_name(py_type_of(o)));
    return -1;
}

/* Optional start/end (code points, slice rules) to byte offsets. */
static int byte_range(py_obj *s, py_obj *startobj, py_obj *endobj, size_t *from, size_t *to,
                      intptr_t *cstart)
{
    intptr_t len = (intptr_t)py_str_len(s), start = 0, end = len;
    if (startobj && startobj != py_None && py_clamped_index(startobj, &start) < 0)
        return -1;
    if (endobj && endobj != py_None && py_clamped_index(endobj, &end) < 0)
        return -1;
    if (start < 0 && (start += len) < 0)
        start = 0;
    if (end < 0 && (end += len) < 0)
        end = 0;
    if (end > len)
        end = len;
    *cstart = start;
    if (start > len) {
        *from = NB(s) + 1;
        *to = NB(s);
        return 0;
    }
    *from = py_str_offset(s, start);
    *to = start <= end ? py_str_offset(s, end) : *from;
    return 0;
}

static intptr_t cp_index(py_obj *s, size_t byteoff)
{
    if (py_str_is_ascii(s))
        return (intptr_t)byteoff;
    intptr_t k = 0;
    const unsigned char *d = (const unsigned char *)D(s);
    for (size_t i = 0; i < byteoff; i++)
        k += (d[i] & 0xC0) != 0x80;
    return k;
}

/* ---- character classes and case --------------------------------------------------- */

/* Hot in split and strip: ASCII answered without the table. */
bool py_unicode_isspace(uint32_t c);
bool py_unicode_isspace(uint32_t c)
{
    if (c < 0x80)
        return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    return py_ucd_has(c, PY_UCD_SPACE);
}

static bool is_lower_cp(uint32_t c) { return py_ucd_has(c, PY_UCD_LOWER); }
static bool is_upper_cp(uint32_t c) { return py_ucd_has(c, PY_UCD_UPPER); }
static bool is_title_cp(uint32_t c) { return py_ucd_has(c, PY_UCD_TITLE); }
static bool cased(uint32_t c) { return py_ucd_has(c, PY_UCD_CASED); }
static bool is_alpha_cp(uint32_t c) { return py_ucd_has(c, PY_UCD_ALPHA); }
static bool is_decimal_cp(uint32_t c) { return py_ucd_has(c, PY_UCD_DECIMAL); }
static bool is_digit_cp(uint32_t c) { return py_ucd_has(c, PY_UCD_DIGIT); }
static bool is_numeric_cp(uint32_t c) { return py_ucd_has(c, PY_UCD_NUMERIC); }
static bool is_space_cp(uint32_t c) { return py_unicode_isspace(c); }
static bool is_alnum_cp(uint32_t c)
{
    return py_ucd_has(c, PY_UCD_ALPHA | PY_UCD_DECIMAL | PY_UCD_DIGIT | PY_UCD_NUMERIC);
}

/* True when every code point satisfies pred (and the string is not empty). */
static py_obj *all_cps(py_obj *s, bool (*pred)(uint32_t))
{
    if (!py_str_len(s))
        return py_bool(false);
    const unsigned char *p = (const unsigned char *)D(s), *end = p + NB(s);
    while (p < end)
        if (!pred(py_utf8_next(&p)))
            return py_bool(false);
    return py_bool(true);
}

#define PREDICATE_METHOD(name, pred)                                                     \
    static py_obj *str_m_##name(py_obj *c, py_obj *const *a, size_t n, py_obj *k)        \
    {                                                                                    \
        if (py_check_args("str." #name, NARGS, k, 0, 0) < 0)                             \
            return NULL;                                                                 \
        return all_cps(SELF, pred);                                                      \
    }
PREDICATE_METHOD(isalpha, is_alpha_cp)
PREDICATE_METHOD(isdigit, is_digit_cp)
PREDICATE_METHOD(isdecimal, is_decimal_cp)
PREDICATE_METHOD(isnumeric, is_numeric_cp)
PREDICATE_METHOD(isalnum, is_alnum_cp)
PREDICATE_METHOD(isspace, is_space_cp)

/* islower/isupper: at least one cased char, none of the other case and no
   titlecase letter. */
static py_obj *case_test(py_obj *s, bool want_upper)
{
    const unsigned char *p = (const unsigned char *)D(s), *end = p + NB(s);
    bool any = false;
    while (p < end) {
        uint32_t c = py_utf8_next(&p);
        if (is_title_cp(c) || (want_upper ? is_lower_cp(c) : is_upper_cp(c)))
            return py_bool(false);
        any |= want_upper ? is_upper_cp(c) : is_lower_cp(c);
    }
    return py_bool(any);
}

static py_obj *str_m_islower(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return case_test(SELF, false); }
static py_obj *str_m_isupper(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return case_test(SELF, true); }

static py_obj *str_m_istitle(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    const unsigned char *p = (const unsigned char *)D(SELF), *end = p + NB(SELF);
    bool prev_cased = false, any = false;
    while (p < end) {
        uint32_t ch = py_utf8_next(&p);
        if (is_upper_cp(ch) || is_title_cp(ch)) {
            if (prev_cased)
                return py_bool(false);
            prev_cased = any = true;
        } else if (is_lower_cp(ch)) {
            if (!prev_cased)
                return py_bool(false);
            prev_cased = any = true;
        } else {
            prev_cased = false;
        }
    }
    return py_bool(any);
}

static py_obj *str_m_isascii(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_bool(py_str_is_ascii(SELF));
}

static py_obj *str_m_isidentifier(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    const unsigned char *p = (const unsigned char *)D(SELF), *end = p + NB(SELF);
    if (p == end)
        return py_bool(false);
    for (bool first = true; p < end; first = false) {
        uint32_t ch = py_utf8_next(&p);
        if (!py_ucd_has(ch, first ? PY_UCD_XID_START : PY_UCD_XID_CONTINUE))
            return py_bool(false);
    }
    return py_bool(true);
}

static py_obj *str_m_isprintable(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    const unsigned char *p = (const unsigned char *)D(SELF), *end = p + NB(SELF);
    while (p < end)
        if (!py_unicode_isprintable(py_utf8_next(&p)))
            return py_bool(false);
    return py_bool(true);
}

enum case_op { C_UPPER, C_LOWER, C_SWAP, C_CAPITALIZE, C_TITLE, C_CASEFOLD };

/* The string being converted and the code point at hand: [at, after). */
typedef struct case_ctx {
    const unsigned char *start, *end, *at, *after;
} case_ctx;

static bool case_ignorable(uint32_t c) { return py_ucd_has(c, PY_UCD_CASE_IGNORABLE); }

/* Capital sigma lowercases to final sigma when it ends a word: a cased
   letter before it and none after it (case-ignorables skipped both ways). */
static bool final_sigma(const case_ctx *x)
{
    const unsigned char *p = x->at;
    uint32_t c = 0;
    bool found = false;
    while (p > x->start && !found) {
        do
            p--;
        while (p > x->start && (*p & 0xC0) == 0x80);
        const unsigned char *q = p;
        c = py_utf8_next(&q);
        found = !case_ignorable(c);
    }
    if (!found || !cased(c))
        return false;
    for (p = x->after; p < x->end;) {
        c = py_utf8_next(&p);
        if (!case_ignorable(c))
            return !cased(c);
    }
    return true;
}

static void add_mapped(py_strbuf *b, uint32_t ch, enum py_ucd_case which)
{
    if (ch < 0x80 && which != PY_UCD_TO_UPPER && which != PY_UCD_TO_TITLE) {
        py_strbuf_addc(b, (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch));
        return;
    }
    uint32_t out[PY_UCD_MAXMAP];
    size_t n = py_ucd_case(ch, which, out);
    for (size_t i = 0; i < n; i++)
        py_strbuf_add_cp(b, out[i]);
}

static void add_lower(py_strbuf *b, uint32_t ch, const case_ctx *x)
{
    if (ch == 0x3A3 && final_sigma(x))
        py_strbuf_add_cp(b, 0x3C2);
    else
        add_mapped(b, ch, PY_UCD_TO_LOWER);
}

static void convert_one(py_strbuf *b, enum case_op op, uint32_t ch, const case_ctx *x,
                        bool *prev_cased)
{
    switch (op) {
    case C_UPPER: add_mapped(b, ch, PY_UCD_TO_UPPER); break;
    case C_LOWER: add_lower(b, ch, x); break;
    case C_CASEFOLD: add_mapped(b, ch, PY_UCD_TO_FOLD); break;
    case C_SWAP:
        if (is_upper_cp(ch))
            add_lower(b, ch, x);
        else if (is_lower_cp(ch))
            add_mapped(b, ch, PY_UCD_TO_UPPER);
        else
            py_strbuf_add_cp(b, ch);
        break;
    case C_CAPITALIZE:
        if (x->at == x->start)
            add_mapped(b, ch, PY_UCD_TO_TITLE);
        else
            add_lower(b, ch, x);
        break;
    case C_TITLE:
        if (*prev_cased)
            add_lower(b, ch, x);
        else
            add_mapped(b, ch, PY_UCD_TO_TITLE);
        *prev_cased = cased(ch);
        break;
    }
}

static py_obj *convert_case(py_obj *s, enum case_op op)
{
    py_strbuf b;
    py_strbuf_init(&b);
    case_ctx x = {(const unsigned char *)D(s), (const unsigned char *)D(s) + NB(s), NULL, NULL};
    bool prev_cased = false;
    for (x.after = x.start; x.after < x.end;) {
        x.at = x.after;
        uint32_t ch = py_utf8_next(&x.after);
        convert_one(&b, op, ch, &x, &prev_cased);
    }
    return py_strbuf_finish(&b);
}

#define CASE_METHOD(name, op)                                                            \
    static py_obj *str_m_##name(py_obj *c, py_obj *const *a, size_t n, py_obj *k)        \
    {                                                                                    \
        if (py_check_args("str." #name, NARGS, k, 0, 0) < 0)                             \
            return NULL;                                                                 \
        return convert_case(SELF, op);                                                   \
    }
CASE_METHOD(upper, C_UPPER)
CASE_METHOD(lower, C_LOWER)
CASE_METHOD(swapcase, C_SWAP)
CASE_METHOD(capitalize, C_CAPITALIZE)
CASE_METHOD(title, C_TITLE)
CASE_METHOD(casefold, C_CASEFOLD)

/* ---- searching ---------------------------------------------------------------------- */

/* Last byte offset of needle in hay[from..to), or -1. */
static intptr_t rfind_bytes(const char *hay, size_t from, size_t to, const char *needle, size_t n)
{
    if (to < from || to - from < n)
        return -1;
    for (size_t i = to - n + 1; i-- > from;)
        if (memcmp(hay + i, needle, n) == 0)
            return (intptr_t)i;
    return -1;
}

/* find/rfind/index/rindex: code point index or -1; -2 on error. */
static intptr_t find_common(py_obj *const *a, size_t n, py_obj *k, const char *fname, bool reverse)
{
    if (py_check_args(fname, NARGS, k, 1, 3) < 0)
        return -2;
    py_obj *s = SELF, *sub = a[1];
    if (!py_str_check(sub)) {
        py_err_format(py_exc_TypeError, "%s() argument 1 must be str, not %s", fname,
                      py_type_name(py_type_of(sub)));
        return -2;
    }
    size_t from, to;
    intptr_t cstart;
    if (byte_range(s, NARGS > 1 ? a[2] : NULL, NARGS > 2 ? a[3] : NULL, &from, &to, &cstart) < 0)
        return -2;
    intptr_t r = reverse ? rfind_bytes(D(s), from, to, D(sub), NB(sub))
                         : py_bytes_find(D(s), from, to, D(sub), NB(sub));
    return r < 0 ? -1 : cp_index(s, (size_t)r);
}

static py_obj *str_m_find(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    intptr_t r = find_common(a, n, k, "find", false);
    return r == -2 ? NULL : py_int_from_long(r);
}

static py_obj *str_m_rfind(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    intptr_t r = find_common(a, n, k, "rfind", true);
    return r == -2 ? NULL : py_int_from_long(r);
}

static py_obj *str_m_index(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    intptr_t r = find_common(a, n, k, "index", false);
    if (r == -1)
        py_err_format(py_exc_ValueError, "substring not found");
    return r < 0 ? NULL : py_int_from_long(r);
}

static py_obj *str_m_rindex(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    intptr_t r = find_common(a, n, k, "rindex", true);
    if (r == -1)
        py_err_format(py_exc_ValueError, "substring not found");
    return r < 0 ? NULL : py_int_from_long(r);
}

static py_obj *str_m_count(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("count", NARGS, k, 1, 3) < 0)
        return NULL;
    py_obj *s = SELF, *sub = a[1];
    if (!py_str_check(sub)) {
        py_err_format(py_exc_TypeError, "must be str, not %s", py_type_name(py_type_of(sub)));
        return NULL;
    }
    size_t from, to;
    intptr_t cstart;
    if (byte_range(s, NARGS > 1 ? a[2] : NULL, NARGS > 2 ? a[3] : NULL, &from, &to, &cstart) < 0)
        return NULL;
    if (from > to)
        return py_int_from_long(0);
    if (NB(sub) == 0)
        return py_int_from_long(cp_index(s, to) - cstart + 1);
    intptr_t count = 0, r;
    while ((r = py_bytes_find(D(s), from, to, D(sub), NB(sub))) >= 0) {
        count++;
        from = (size_t)r + NB(sub);
    }
    return py_int_from_long(count);
}

static int affix_match(py_obj *s, py_obj *affix, size_t from, size_t to, bool end)
{
    if (!py_str_check(affix))
        return -1;
    size_t m = NB(affix);
    if (from > to || to - from < m)
        return 0;
    return memcmp(D(s) + (end ? to - m : from), D(affix), m) == 0;
}

static py_obj *affix_common(py_obj *const *a, size_t n, py_obj *k, bool end)
{
    const char *fname = end ? "endswith" : "startswith";
    if (py_check_args(fname, NARGS, k, 1, 3) < 0)
        return NULL;
    size_t from, to;
    intptr_t cstart;
    if (byte_range(SELF, NARGS > 1 ? a[2] : NULL, NARGS > 2 ? a[3] : NULL, &from, &to, &cstart) < 0)
        return NULL;
    py_obj *x = a[1];
    if (py_isinstance_of(x, &py_tuple_type)) {
        for (intptr_t i = 0; i < py_tuple_size(x); i++) {
            int r = affix_match(SELF, py_tuple_items(x)[i], from, to, end);
            if (r < 0) {
                py_err_format(py_exc_TypeError,
                              "tuple for %s must only contain str, not %s", fname,
                              py_type_name(py_type_of(py_tuple_items(x)[i])));
                return NULL;
            }
            if (r)
                return py_bool(true);
        }
        return py_bool(false);
    }
    int r = affix_match(SELF, x, from, to, end);
    if (r < 0) {
        py_err_format(py_exc_TypeError, "%s first arg must be str or a tuple of str, not %s",
                      fname, py_type_name(py_type_of(x)));
        return NULL;
    }
    return py_bool(r);
}

static py_obj *str_m_startswith(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return affix_common(a, n, k, false); }
static py_obj *str_m_endswith(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return affix_common(a, n, k, true); }

/* ---- split, join, strip ------------------------------------------------------------------- */

static int list_push_bytes(py_obj *l, const char *s, size_t len)
{
    py_obj *x = py_str_from_valid_utf8(s, len);
    if (!x)
        return -1;
    int r = py_list_append(l, x);
    tl_decref(x);
    return r;
}

static py_obj *split_whitespace(py_obj *s, intptr_t maxsplit)
{
    py_obj *l = py_list_new(0);
    const unsigned char *p = (const unsigned char *)D(s), *end = p + NB(s);
    while (l && p < end) {
        const unsigned char *q = p;
        while (q < end) {
            const unsigned char *t = q;
            if (!py_unicode_isspace(py_utf8_next(&t)))
                break;
            q = t;
        }
        if (q >= end)
            break;
        const unsigned char *word = q;
        if (maxsplit-- == 0) {
            /* The rest, trailing whitespace included (CPython keeps it). */
            if (list_push_bytes(l, (const char *)word, (size_t)(end - word)) < 0)
                TL_CLEAR(l);
            return l;
        }
        while (q < end) {
            const unsigned char *t = q;
            if (py_unicode_isspace(py_utf8_next(&t)))
                break;
            q = t;
        }
        if (list_push_bytes(l, (const char *)word, (size_t)(q - word)) < 0)
            TL_CLEAR(l);
        p = q;
    }
    return l;
}

static py_obj *split_sep(py_obj *s, py_obj *sep, intptr_t maxsplit)
{
    if (NB(sep) == 0) {
        py_err_format(py_exc_ValueError, "empty separator");
        return NULL;
    }
    py_obj *l = py_list_new(0);
    size_t from = 0;
    intptr_t r;
    while (l && maxsplit-- != 0 && (r = py_bytes_find(D(s), from, NB(s), D(sep), NB(sep))) >= 0) {
        if (list_push_bytes(l, D(s) + from, (size_t)r - from) < 0)
            TL_CLEAR(l);
        from = (size_t)r + NB(sep);
    }
    if (l && list_push_bytes(l, D(s) + from, NB(s) - from) < 0)
        TL_CLEAR(l);
    return l;
}

static int split_args(const char *fname, py_obj *const *a, size_t n, py_obj *k, py_obj **sep,
                      intptr_t *maxsplit)
{
    static const char *const names[] = {"sep", "maxsplit"};
    py_obj *out[2];
    if (get_args(fname, a, n, k, names, 0, 2, out) < 0)
        return -1;
    *sep = out[0] == py_None ? NULL : out[0];
    *maxsplit = -1;
    if (*sep && need_str(*sep, "must be str or None, not") < 0) {
        py_err_clear();
        py_err_format(py_exc_TypeError, "must be str or None, not %s", py_type_name(py_type_of(*sep)));
        return -1;
    }
    if (out[1] && py_index(out[1], maxsplit) < 0)
        return -1;
    return 0;
}

static py_obj *str_m_split(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *sep;
    intptr_t maxsplit;
    if (split_args("split", a, n, k, &sep, &maxsplit) < 0)
        return NULL;
    return sep ? split_sep(SELF, sep, maxsplit) : split_whitespace(SELF, maxsplit);
}

static bool space_at(const unsigned char *p) { return py_unicode_isspace(py_utf8_next(&p)); }

static py_obj *rsplit_whitespace(py_obj *s, intptr_t maxsplit)
{
    py_obj *l = py_list_new(0);
    const unsigned char *begin = (const unsigned char *)D(s);
    size_t i = NB(s);
    /* Walk backwards by code point: find the start of the char before i. */
#define PREV(i) do { (i)--; while ((i) > 0 && (begin[(i)] & 0xC0) == 0x80) (i)--; } while (0)
#define SPACE_AT(i) space_at(begin + (i))
    while (l && i > 0) {
        size_t j = i;
        while (j > 0) {
            size_t t = j;
            PREV(t);
            if (!SPACE_AT(t))
                break;
            j = t;
        }
        if (j == 0)
            break;
        size_t wend = j;
        if (maxsplit-- == 0) {
            /* The rest, leading whitespace included (CPython keeps it). */
            if (list_push_bytes(l, (const char *)begin, wend) < 0)
                TL_CLEAR(l);
            break;
        }
        while (j > 0) {
            size_t t = j;
            PREV(t);
            if (SPACE_AT(t))
                break;
            j = t;
        }
        if (list_push_bytes(l, (const char *)begin + j, wend - j) < 0)
            TL_CLEAR(l);
        i = j;
    }
#undef PREV
#undef SPACE_AT
    if (l)
        py_list_reverse_items(l);
    return l;
}

static py_obj *rsplit_sep(py_obj *s, py_obj *sep, intptr_t maxsplit)
{
    if (NB(sep) == 0) {
        py_err_format(py_exc_ValueError, "empty separator");
        return NULL;
    }
    py_obj *l = py_list_new(0);
    size_t to = NB(s);
    intptr_t r;
    while (l && maxsplit-- != 0 && (r = rfind_bytes(D(s), 0, to, D(sep), NB(sep))) >= 0) {
        if (list_push_bytes(l, D(s) + r + NB(sep), to - (size_t)r - NB(sep)) < 0)
            TL_CLEAR(l);
        to = (size_t)r;
    }
    if (l && list_push_bytes(l, D(s), to) < 0)
        TL_CLEAR(l);
    if (l)
        py_list_reverse_items(l);
    return l;
}

static py_obj *str_m_rsplit(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *sep;
    intptr_t maxsplit;
    if (split_args("rsplit", a, n, k, &sep, &maxsplit) < 0)
        return NULL;
    return sep ? rsplit_sep(SELF, sep, maxsplit) : rsplit_whitespace(SELF, maxsplit);
}

static bool is_linebreak(uint32_t c)
{
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D ||
           c == 0x1E || c == 0x85 || c == 0x2028 || c == 0x2029;
}

static py_obj *str_m_splitlines(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    static const char *const names[] = {"keepends"};
    py_obj *out[1];
    if (get_args("splitlines", a, n, k, names, 0, 1, out) < 0)
        return NULL;
    int keep = out[0] ? py_truthy(out[0]) : 0;
    if (keep < 0)
        return NULL;
    py_obj *l = py_list_new(0);
    const unsigned char *begin = (const unsigned char *)D(SELF), *p = begin, *end = p + NB(SELF);
    while (l && p < end) {
        const unsigned char *line = p, *eol = p;
        uint32_t ch = 0;
        while (eol < end) {
            const unsigned char *t = eol;
            ch = py_utf8_next(&t);
            if (is_linebreak(ch))
                break;
            eol = t;
        }
        const unsigned char *next = eol;
        if (eol < end) {
            py_utf8_next(&next);
            if (ch == '\r' && next < end && *next == '\n')
                next++;
        }
        if (list_push_bytes(l, (const char *)line, (size_t)((keep ? next : eol) - line)) < 0)
            TL_CLEAR(l);
        p = next;
    }
    return l;
}

py_obj *py_str_join(py_obj *sep, py_obj *iterable)
{
    py_obj *seq = py_sequence_to_list(iterable);
    if (!seq)
        return NULL;
    py_strbuf b;
    py_strbuf_init(&b);
    for (intptr_t i = 0; i < py_list_size(seq); i++) {
        py_obj *x = py_list_items(seq)[i];
        if (!py_str_check(x)) {
            py_err_format(py_exc_TypeError, "sequence item %zd: expected str instance, %s found", i,
                          py_type_name(py_type_of(x)));
            py_strbuf_free(&b);
            tl_decref(seq);
            return NULL;
        }
        if (i)
            py_strbuf_add_str(&b, sep);
        py_strbuf_add_str(&b, x);
    }
    if (py_list_size(seq) == 1 && py_isinstance_exact(py_list_items(seq)[0], &py_str_type)) {
        py_obj *only = py_newref(py_list_items(seq)[0]);
        py_strbuf_free(&b);
        tl_decref(seq);
        return only;
    }
    tl_decref(seq);
    return py_strbuf_finish(&b);
}

static py_obj *str_m_join(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("str.join", NARGS, k, 1, 1) < 0)
        return NULL;
    if (!py_type_of(a[1])->iter && !py_type_of(a[1])->getitem) {
        py_err_format(py_exc_TypeError, "can only join an iterable");
        return NULL;
    }
    return py_str_join(SELF, a[1]);
}

static bool in_chars(py_obj *chars, uint32_t ch)
{
    if (!chars)
        return py_unicode_isspace(ch);
    const unsigned char *p = (const unsigned char *)D(chars), *end = p + NB(chars);
    while (p < end)
        if (py_utf8_next(&p) == ch)
            return true;
    return false;
}

static py_obj *do_strip(py_obj *const *a, size_t n, py_obj *k, const char *fname, bool left, bool right)
{
    if (py_check_args(fname, NARGS, k, 0, 1) < 0)
        return NULL;
    py_obj *chars = NARGS == 1 && a[1] != py_None ? a[1] : NULL;
    if (chars && !py_str_check(chars)) {
        py_err_format(py_exc_TypeError, "%s arg must be None or str", fname);
        return NULL;
    }
    py_obj *s = SELF;
    const unsigned char *begin = (const unsigned char *)D(s), *p = begin, *end = p + NB(s);
    intptr_t cs = 0, ce = (intptr_t)py_str_len(s);
    if (left) {
        while (p < end) {
            const unsigned char *t = p;
            if (!in_chars(chars, py_utf8_next(&t)))
                break;
            p = t;
            cs++;
        }
    }
    if (right) {
        while (end > p) {
            const unsigned char *t = end - 1;
            while (t > p && (*t & 0xC0) == 0x80)
                t--;
            const unsigned char *u = t;
            if (!in_chars(chars, py_utf8_next(&u)))
                break;
            end = t;
            ce--;
        }
    }
    if (p == begin && end == begin + NB(s) && py_isinstance_exact(s, &py_str_type))
        return py_newref(s);
    return py_str_substr(s, cs, ce < cs ? cs : ce);
}

static py_obj *str_m_strip(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return do_strip(a, n, k, "strip", true, true); }
static py_obj *str_m_lstrip(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return do_strip(a, n, k, "lstrip", true, false); }
static py_obj *str_m_rstrip(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return do_strip(a, n, k, "rstrip", false, true); }

/* ---- replace, partition, padding ------------------------------------------------------------ */

static py_obj *str_m_replace(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("replace", NARGS, k, 2, 3) < 0)
        return NULL;
    py_obj *s = SELF, *old = a[1], *new = a[2];
    if (!py_str_check(old) || !py_str_check(new)) {
        py_obj *bad = py_str_check(old) ? new : old;
        py_err_format(py_exc_TypeError, "replace() argument %d must be str, not %s",
                      py_str_check(old) ? 2 : 1, py_type_name(py_type_of(bad)));
        return NULL;
    }
    intptr_t count = -1;
    if (NARGS == 3 && py_index(a[3], &count) < 0)
        return NULL;
    py_strbuf b;
    py_strbuf_init(&b);
    if (NB(old) == 0) {
        /* Insert new before every code point and at the end. */
        const unsigned char *p = (const unsigned char *)D(s), *end = p + NB(s);
        while (p < end && count-- != 0) {
            const unsigned char *q = p;
            py_utf8_next(&q);
            py_strbuf_add_str(&b, new);
            py_strbuf_add(&b, (const char *)p, (size_t)(q - p));
            p = q;
        }
        if (p == end && count != 0)
            py_strbuf_add_str(&b, new);
        py_strbuf_add(&b, (const char *)p, (size_t)(end - p));
        return py_strbuf_finish(&b);
    }
    size_t from = 0;
    intptr_t r, done = 0;
    while (count-- != 0 && (r = py_bytes_find(D(s), from, NB(s), D(old), NB(old))) >= 0) {
        py_strbuf_add(&b, D(s) + from, (size_t)r - from);
        py_strbuf_add_str(&b, new);
        from = (size_t)r + NB(old);
        done++;
    }
    if (!done && py_isinstance_exact(s, &py_str_type)) {
        py_strbuf_free(&b);
        return py_newref(s);
    }
    py_strbuf_add(&b, D(s) + from, NB(s) - from);
    return py_strbuf_finish(&b);
}

static py_obj *partition(py_obj *const *a, size_t n, py_obj *k, bool reverse)
{
    if (py_check_args(reverse ? "str.rpartition" : "str.partition", NARGS, k, 1, 1) < 0)
        return NULL;
    py_obj *s = SELF, *sep = a[1];
    if (!py_str_check(sep)) {
        py_err_format(py_exc_TypeError, "must be str, not %s", py_type_name(py_type_of(sep)));
        return NULL;
    }
    if (NB(sep) == 0) {
        py_err_format(py_exc_ValueError, "empty separator");
        return NULL;
    }
    intptr_t r = reverse ? rfind_bytes(D(s), 0, NB(s), D(sep), NB(sep))
                         : py_bytes_find(D(s), 0, NB(s), D(sep), NB(sep));
    py_obj *x, *y, *z;
    if (r < 0) {
        py_obj *e = py_str_from_valid_utf8("", 0);
        if (!e)
            return NULL;
        py_obj *t = reverse ? py_tuple_pack(3, e, e, s) : py_tuple_pack(3, s, e, e);
        tl_decref(e);
        return t;
    }
    x = py_str_from_valid_utf8(D(s), (size_t)r);
    y = py_newref(sep);
    z = py_str_from_valid_utf8(D(s) + r + NB(sep), NB(s) - (size_t)r - NB(sep));
    py_obj *t = x && z ? py_tuple_pack(3, x, y, z) : NULL;
    tl_xdecref(x);
    tl_decref(y);
    tl_xdecref(z);
    return t;
}

static py_obj *str_m_partition(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return partition(a, n, k, false); }
static py_obj *str_m_rpartition(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return partition(a, n, k, true); }

/* width and optional fill character for center/ljust/rjust. */
static int pad_args(const char *fname, py_obj *const *a, size_t n, py_obj *k, intptr_t *width, uint32_t *fill)
{
    if (py_check_args(fname, NARGS, k, 1, 2) < 0 || py_index(a[1], width) < 0)
        return -1;
    *fill = ' ';
    if (NARGS == 2) {
        if (!py_str_check(a[2]) || py_str_len(a[2]) != 1) {
            py_err_format(py_exc_TypeError, "The fill character must be exactly one character long");
            return -1;
        }
        const unsigned char *p = (const unsigned char *)D(a[2]);
        *fill = py_utf8_next(&p);
    }
    return 0;
}

static py_obj *pad(py_obj *s, intptr_t left, intptr_t right, uint32_t fill)
{
    if (left <= 0 && right <= 0 && py_isinstance_exact(s, &py_str_type))
        return py_newref(s);
    py_strbuf b;
    py_strbuf_init(&b);
    py_strbuf_fill(&b, fill, left > 0 ? (size_t)left : 0);
    py_strbuf_add_str(&b, s);
    py_strbuf_fill(&b, fill, right > 0 ? (size_t)right : 0);
    return py_strbuf_finish(&b);
}

static py_obj *str_m_ljust(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    intptr_t w;
    uint32_t f;
    if (pad_args("ljust", a, n, k, &w, &f) < 0)
        return NULL;
    return pad(SELF, 0, w - (intptr_t)py_str_len(SELF), f);
}

static py_obj *str_m_rjust(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    intptr_t w;
    uint32_t f;
    if (pad_args("rjust", a, n, k, &w, &f) < 0)
        return NULL;
    return pad(SELF, w - (intptr_t)py_str_len(SELF), 0, f);
}

static py_obj *str_m_center(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    intptr_t w;
    uint32_t f;
    if (pad_args("center", a, n, k, &w, &f) < 0)
        return NULL;
    intptr_t len = (intptr_t)py_str_len(SELF), marg = w - len;
    if (marg <= 0)
        return pad(SELF, 0, 0, f);
    /* CPython's rule: the extra column goes left when both are odd. */
    intptr_t left = marg / 2 + (marg & w & 1);
    return pad(SELF, left, marg - left, f);
}

static py_obj *str_m_zfill(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("zfill", NARGS, k, 1, 1) < 0)
        return NULL;
    intptr_t w, len = (intptr_t)py_str_len(SELF);
    if (py_index(a[1], &w) < 0)
        return NULL;
    if (w <= len)
        return pad(SELF, 0, 0, ' ');
    const char *d = D(SELF);
    py_strbuf b;
    py_strbuf_init(&b);
    size_t skip = len && (d[0] == '+' || d[0] == '-') ? 1 : 0;
    py_strbuf_add(&b, d, skip);
    py_strbuf_fill(&b, '0', (size_t)(w - len));
    py_strbuf_add(&b, d + skip, NB(SELF) - skip);
    return py_strbuf_finish(&b);
}

static py_obj *str_m_expandtabs(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    static const char *const names[] = {"tabsize"};
    py_obj *out[1];
    if (get_args("expandtabs", a, n, k, names, 0, 1, out) < 0)
        return NULL;
    intptr_t tab = 8;
    if (out[0] && py_index(out[0], &tab) < 0)
        return NULL;
    py_strbuf b;
    py_strbuf_init(&b);
    intptr_t col = 0;
    const unsigned char *p = (const unsigned char *)D(SELF), *end = p + NB(SELF);
    while (p < end) {
        uint32_t ch = py_utf8_next(&p);
        if (ch == '\t') {
            if (tab > 0) {
                intptr_t spaces = tab - col % tab;
                py_strbuf_fill(&b, ' ', (size_t)spaces);
                col += spaces;
            }
        } else {
            py_strbuf_add_cp(&b, ch);
            col = (ch == '\n' || ch == '\r') ? 0 : col + 1;
        }
    }
    return py_strbuf_finish(&b);
}

static py_obj *affix_remove(py_obj *const *a, size_t n, py_obj *k, bool suffix)
{
    if (py_check_args(suffix ? "str.removesuffix" : "str.removeprefix", NARGS, k, 1, 1) < 0)
        return NULL;
    py_obj *s = SELF, *x = a[1];
    if (!py_str_check(x)) {
        py_err_format(py_exc_TypeError, "%s() argument must be str, not %s",
                      suffix ? "removesuffix" : "removeprefix", py_type_name(py_type_of(x)));
        return NULL;
    }
    intptr_t len = (intptr_t)py_str_len(s), m = (intptr_t)py_str_len(x);
    if (!affix_match(s, x, 0, NB(s), suffix) || m == 0)
        return py_str_substr(s, 0, len);
    return suffix ? py_str_substr(s, 0, len - m) : py_str_substr(s, m, len);
}

static py_obj *str_m_removeprefix(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return affix_remove(a, n, k, false); }
static py_obj *str_m_removesuffix(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return affix_remove(a, n, k, true); }

/* ---- encode, sizeof ------------------------------------------------------------------------------ */

static py_obj *str_m_encode(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    static const char *const names[] = {"encoding", "errors"};
    py_obj *out[2];
    if (get_args("encode", a, n, k, names, 0, 2, out) < 0)
        return NULL;
    return py_codec_encode(SELF, out[0], out[1]);
}

static py_obj *str_m_sizeof(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    return py_int_from_size(py_object_own_size(SELF));
}

static py_obj *str_m_getnewargs(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    py_obj *s = py_str_substr(SELF, 0, (intptr_t)py_str_len(SELF));
    py_obj *t = s ? py_tuple_pack(1, s) : NULL;
    tl_xdecref(s);
    return t;
}

py_obj *py_str_m_format(py_obj *c, py_obj *const *a, size_t n, py_obj *k);
py_obj *py_str_m_format_map(py_obj *c, py_obj *const *a, size_t n, py_obj *k);
py_obj *py_str_m_dunder_format(py_obj *c, py_obj *const *a, size_t n, py_obj *k);

const py_method_def py_str_methods[] = {
    {"split", str_m_split, NULL}, {"rsplit", str_m_rsplit, NULL},
    {"splitlines", str_m_splitlines, NULL}, {"join", str_m_join, NULL},
    {"strip", str_m_strip, NULL}, {"lstrip", str_m_lstrip, NULL}, {"rstrip", str_m_rstrip, NULL},
    {"replace", str_m_replace, NULL}, {"find", str_m_find, NULL}, {"rfind", str_m_rfind, NULL},
    {"index", str_m_index, NULL}, {"rindex", str_m_rindex, NULL}, {"count", str_m_count, NULL},
    {"startswith", str_m_startswith, NULL}, {"endswith", str_m_endswith, NULL},
    {"upper", str_m_upper, NULL}, {"lower", str_m_lower, NULL},
    {"capitalize", str_m_capitalize, NULL}, {"title", str_m_title, NULL},
    {"swapcase", str_m_swapcase, NULL}, {"casefold", str_m_casefold, NULL},
    {"isdigit", str_m_isdigit, NULL}, {"isalpha", str_m_isalpha, NULL},
    {"isalnum", str_m_isalnum, NULL}, {"isspace", str_m_isspace, NULL},
    {"isupper", str_m_isupper, NULL}, {"islower", str_m_islower, NULL},
    {"isdecimal", str_m_isdecimal, NULL}, {"isnumeric", str_m_isnumeric, NULL},
    {"isidentifier", str_m_isidentifier, NULL}, {"isascii", str_m_isascii, NULL},
    {"istitle", str_m_istitle, NULL}, {"isprintable", str_m_isprintable, NULL},
    {"center", str_m_center, NULL}, {"ljust", str_m_ljust, NULL}, {"rjust", str_m_rjust, NULL},
    {"zfill", str_m_zfill, NULL}, {"partition", str_m_partition, NULL},
    {"rpartition", str_m_rpartition, NULL}, {"expandtabs", str_m_expandtabs, NULL},
    {"removeprefix", str_m_removeprefix, NULL}, {"removesuffix", str_m_removesuffix, NULL},
    {"encode", str_m_encode, NULL}, {"format", py_str_m_format, NULL},
    {"format_map", py_str_m_format_map, NULL}, {"__format__", py_str_m_dunder_format, NULL},
    {"__sizeof__", str_m_sizeof, NULL}, {"__getnewargs__", str_m_getnewargs, NULL},
    {NULL, NULL, NULL},
};

/* ---- str(...) --------------------------------------------------------------------------------------- */

py_obj *py_str_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    static const char *const names[] = {"object", "encoding", "errors"};
    py_obj *vec[8], *out[3];
    size_t total = nargs + (kwnames ? (size_t)py_tuple_size(kwnames) : 0);
    if (total > 7) {
        py_err_format(py_exc_TypeError, "str() takes at most 3 arguments (%zd given)", (intptr_t)total);
        return NULL;
    }
    vec[0] = NULL;
    for (size_t i = 0; i < total; i++)
        vec[i + 1] = args[i];
    if (get_args("str", vec, nargs + 1, kwnames, names, 0, 3, out) < 0)
        return NULL;
    py_obj *r;
    if (!out[0])
        r = py_str_from_valid_utf8("", 0);
    else if (out[1] || out[2]) {
        if (!py_isinstance_of(out[0], &py_bytes_type)) {
            py_err_format(py_exc_TypeError, "decoding to str: need a bytes-like object, %s found",
                          py_type_name(py_type_of(out[0])));
            return NULL;
        }
        r = py_bytes_decode(out[0], out[1], out[2]);
    } else
        r = py_str(out[0]);
    if (!r || t == &py_str_type)
        return r;
    py_obj *sub = py_str_subtype_new(t, r);
    tl_decref(r);
    return sub;
}
