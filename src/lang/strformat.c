/* strformat.c — text formatting: the format-spec mini-language (format(),
 * int/float/str __format__), str.format / format_map, and printf-style
 * `str % args`.
 *
 * Numbers are laid out in one place (layout_number): sign, prefix, integer
 * digits with optional grouping, the rest (fraction, exponent, '%'), then
 * fill and alignment; '=' alignment and the '0' flag pad between the sign
 * and the digits. Float digits come from the C library's correctly rounded
 * printf, the default repr-style format from py_float_repr_buf.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"
#include "strformat.h"

#include <math.h>
#include <stdlib.h>

/* ---- spec parsing -------------------------------------------------------------------- */

static bool is_align(uint32_t c) { return c == '<' || c == '>' || c == '^' || c == '='; }

static int invalid_spec(void)
{
    py_err_format(py_exc_ValueError, "Invalid format specifier");
    return -1;
}

int py_fmtspec_parse(py_obj *spec, py_fmtspec *s)
{
    memset(s, 0, sizeof *s);
    s->fill = ' ';
    s->width = s->precision = -1;
    const unsigned char *p = (const unsigned char *)py_str_utf8(spec), *end = p + py_str_nbytes(spec);
    if (p < end) {
        const unsigned char *q = p;
        uint32_t c0 = py_utf8_next(&q);
        if (q < end && is_align(*q)) {
            s->fill = c0;
            s->align = (char)*q;
            p = q + 1;
        } else if (is_align(c0)) {
            s->align = (char)c0;
            p = q;
        }
    }
    if (p < end && (*p == '+' || *p == '-' || *p == ' '))
        s->sign = (char)*p++;
    if (p < end && *p == 'z')
        s->no_neg_zero = true, p++;
    if (p < end && *p == '#')
        s->alt = true, p++;
    if (p < end && *p == '0') {
        s->zero = true;
        p++;
    }
    if (p < end && *p >= '0' && *p <= '9') {
        s->width = 0;
        while (p < end && *p >= '0' && *p <= '9')
            s->width = s->width * 10 + (*p++ - '0');
    }
    if (s->zero && s->width < 0)
        s->width = 0;
    if (p < end && (*p == ',' || *p == '_'))
        s->grouping = (char)*p++;
    if (p < end && (*p == ',' || *p == '_')) {
        py_err_format(py_exc_ValueError, "Cannot specify both ',' and '_'.");
        return -1;
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9') {
            py_err_format(py_exc_ValueError, "Format specifier missing precision");
            return -1;
        }
        s->precision = 0;
        while (p < end && *p >= '0' && *p <= '9')
            s->precision = s->precision * 10 + (*p++ - '0');
    }
    if (p < end)
        s->type = (char)*p++;
    if (p < end)
        return invalid_spec();
    return 0;
}

/* ---- layout ------------------------------------------------------------------------------- */

static void add_aligned(py_strbuf *out, const py_fmtspec *s, py_strbuf *body, size_t body_cps,
                        char default_align)
{
    char align = s->align ? s->align : default_align;
    size_t pad = s->width > 0 && (size_t)s->width > body_cps ? (size_t)s->width - body_cps : 0;
    size_t left = align == '>' ? pad : align == '^' ? pad / 2 : 0;
    py_strbuf_fill(out, s->fill, left);
    py_strbuf_add(out, body->data, body->len);
    py_strbuf_fill(out, s->fill, pad - left);
}

static size_t cps_of(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

static size_t grouped_len(size_t n, size_t group) { return group && n ? n + (n - 1) / group : n; }

/* Lays out a number: sign, prefix, integer digits (grouped), rest. With
 * '=' alignment (or the '0' flag) the padding goes after the sign and
 * prefix; zero padding is grouped like the digits. */
static py_obj *layout_number(const py_fmtspec *s, bool neg, const char *prefix, const char *digits,
                             size_t ndigits, const char *rest)
{
    char signc = neg ? '-' : s->sign == '+' ? '+' : s->sign == ' ' ? ' ' : 0;
    size_t group = s->grouping ? ((s->type == 'b' || s->type == 'o' || s->type == 'x' ||
                                   s->type == 'X') ? 4 : 3) : 0;
    size_t head = (signc ? 1 : 0) + strlen(prefix), restn = cps_of(rest, strlen(rest));
    bool inner = (s->zero && !s->align) || s->align == '=';
    uint32_t fill = s->zero && !s->align ? '0' : s->fill;
    size_t width = s->width > 0 ? (size_t)s->width : 0;
    size_t want = ndigits, inner_fill = 0;
    if (inner && fill == '0' && ndigits) {
        while (head + grouped_len(want, group) + restn < width)
            want++;
    } else if (inner) {
        size_t used = head + grouped_len(ndigits, group) + restn;
        inner_fill = width > used ? width - used : 0;
    }
    py_strbuf body;
    py_strbuf_init(&body);
    if (signc)
        py_strbuf_addc(&body, signc);
    py_strbuf_puts(&body, prefix);
    py_strbuf_fill(&body, fill, inner_fill);
    for (size_t i = 0; i < want; i++) {
        size_t from_end = want - i;
        py_strbuf_addc(&body, i < want - ndigits ? '0' : digits[i - (want - ndigits)]);
        if (group && from_end > 1 && (from_end - 1) % group == 0)
            py_strbuf_addc(&body, s->grouping);
    }
    py_strbuf_puts(&body, rest);
    py_strbuf out;
    py_strbuf_init(&out);
    add_aligned(&out, s, &body, cps_of(body.data, body.len), '>');
    bool failed = body.failed;
    py_strbuf_free(&body);
    if (failed) {
        py_strbuf_free(&out);
        return NULL;
    }
    return py_strbuf_finish(&out);
}

/* ---- integers ------------------------------------------------------------------------------- */

static py_obj *format_int_digits(const py_fmtspec *s, bool neg, const char *digits)
{
    char t = s->type ? s->type : 'd';
    const char *prefix = "";
    if (s->alt)
        prefix = t == 'b' ? "0b" : t == 'o' ? "0o" : t == 'x' ? "0x" : t == 'X' ? "0X" : "";
    size_t n = strlen(digits);
    char *buf = NULL;
    if (t == 'X') {
        buf = tl_heap_alloc(vm.heap, n + 1);
        if (!buf)
            return py_err_no_memory(), NULL;
        for (size_t i = 0; i <= n; i++)
            buf[i] = (char)(digits[i] >= 'a' && digits[i] <= 'f' ? digits[i] - 32 : digits[i]);
        digits = buf;
    }
    py_obj *r = layout_number(s, neg, prefix, digits, n, "");
    tl_heap_free(buf);
    return r;
}

static int check_int_spec(const py_fmtspec *s)
{
    if (s->precision >= 0) {
        py_err_format(py_exc_ValueError, "Precision not allowed in integer format specifier");
        return -1;
    }
    if (s->type == 'c' && (s->sign || s->alt)) {
        py_err_format(py_exc_ValueError, s->sign ? "Sign not allowed with integer format specifier 'c'"
                                                 : "Alternate form (#) not allowed with integer format specifier 'c'");
        return -1;
    }
    if (s->grouping && (s->type == 'n' || s->type == 'c')) {
        py_err_format(py_exc_ValueError, "Cannot specify ',' with '%c'.", s->type);
        return -1;
    }
    return 0;
}

static int base_of(char t) { return t == 'b' ? 2 : t == 'o' ? 8 : (t == 'x' || t == 'X') ? 16 : 10; }

py_obj *py_format_long(long long v, const py_fmtspec *s)
{
    if (check_int_spec(s) < 0)
        return NULL;
    if (s->type == 'c') {
        py_strbuf body, out;
        py_strbuf_init(&body);
        py_strbuf_init(&out);
        if (v < 0 || v > 0x10FFFF) {
            py_err_format(py_exc_OverflowError, "%%c arg not in range(0x110000)");
            return NULL;
        }
        py_strbuf_add_cp(&body, (uint32_t)v);
        add_aligned(&out, s, &body, 1, '<');
        py_strbuf_free(&body);
        return py_strbuf_finish(&out);
    }
    char digits[80];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int base = base_of(s->type);
    size_t i = sizeof digits - 1;
    digits[i] = 0;
    do {
        digits[--i] = "0123456789abcdef"[u % (unsigned)base];
        u /= (unsigned)base;
    } while (u);
    return format_int_digits(s, v < 0, digits + i);
}

static bool float_type(char t)
{
    return t == 'e' || t == 'E' || t == 'f' || t == 'F' || t == 'g' || t == 'G' || t == '%';
}

py_obj *py_format_int(py_obj *i, py_obj *spec)
{
    py_fmtspec s;
    if (py_fmtspec_parse(spec, &s) < 0)
        return NULL;
    if (float_type(s.type)) {
        double d = py_int_as_double(i);
        if (d == -1.0 && py_err_occurred())
            return NULL;
        return py_format_double(d, &s);
    }
    if (s.type && !strchr("bcdoxXn", s.type)) {
        py_err_format(py_exc_ValueError, "Unknown format code '%c' for object of type 'int'", s.type);
        return NULL;
    }
    if (s.align == '=' && s.type == 'c')
        return invalid_spec(), NULL;
    int ovf = 0;
    long long v = py_int_as_long(i, &ovf);
    if (!ovf)
        return py_format_long(v, &s);
    if (check_int_spec(&s) < 0)
        return NULL;
    if (s.type == 'c') {
        py_err_format(py_exc_OverflowError, "%%c arg not in range(0x110000)");
        return NULL;
    }
    bool neg;
    char *digits = py_int_digits(i, base_of(s.type), &neg);
    if (!digits)
        return py_err_no_memory(), NULL;
    py_obj *r = format_int_digits(&s, neg, digits);
    free(digits);
    return r;
}

/* ---- floats -------------------------------------------------------------------------------- */

/* Splits printf/repr output at the end of the integer digits. */
static py_obj *layout_float_text(const py_fmtspec *s, const char *text)
{
    bool neg = text[0] == '-';
    if (neg)
        text++;
    size_t nd = 0;
    while (text[nd] >= '0' && text[nd] <= '9')
        nd++;
    if (nd == 0) {
        /* inf / nan: no zero padding with '0'. */
        py_fmtspec t = *s;
        if (t.zero && !t.align) {
            t.zero = false;
            t.align = '>';
            t.fill = ' ';
        }
        return layout_number(&t, neg, "", "", 0, text);
    }
    return layout_number(s, neg, "", text, nd, text + nd);
}

/* The default format (no type): repr-like, or 'g'-like with a precision
 * keeping a decimal point. */
static void default_float_text(double v, intptr_t prec, char *buf, size_t size)
{
    if (prec < 0) {
        py_float_repr_buf(v, buf, size);
        return;
    }
    snprintf(buf, size, "%.*g", (int)(prec ? prec : 1), v);
    if (isfinite(v) && !strpbrk(buf, ".e")) {
        strcat(buf, ".0");
    }
}

py_obj *py_format_double(double v, const py_fmtspec *s)
{
    if (s->type && !float_type(s->type) && s->type != 'n') {
        py_err_format(py_exc_ValueError, "Unknown format code '%c' for object of type 'float'", s->type);
        return NULL;
    }
    if (s->no_neg_zero && v == 0.0)
        v = 0.0;
    char text[512], fmt[16];
    intptr_t prec = s->precision > 400 ? 400 : s->precision;
    char t = s->type == 'n' ? 'g' : s->type;
    if (!t) {
        default_float_text(v, prec, text, sizeof text);
    } else if (t == '%') {
        snprintf(fmt, sizeof fmt, "%%%s.*f%%%%", s->alt ? "#" : "");
        snprintf(text, sizeof text, fmt, (int)(prec < 0 ? 6 : prec), v * 100.0);
    } else {
        snprintf(fmt, sizeof fmt, "%%%s.*%c", s->alt ? "#" : "", t);
        if (fabs(v) >= 1e50 && (t == 'f' || t == 'F')) {
            /* Large fixed-point values: let printf write all digits. */
            char *big = tl_heap_alloc(vm.heap, 1024);
            if (!big)
                return py_err_no_memory(), NULL;
            snprintf(big, 1024, fmt, (int)(prec < 0 ? 6 : prec), v);
            py_obj *r = layout_float_text(s, big);
            tl_heap_free(big);
            return r;
        }
        snprintf(text, sizeof text, fmt, (int)(prec < 0 ? 6 : prec), v);
    }
    return layout_float_text(s, text);
}

py_obj *py_format_float(py_obj *f, py_obj *spec)
{
    py_fmtspec s;
    if (py_fmtspec_parse(spec, &s) < 0)
        return NULL;
    return py_format_double(py_float_value(f), &s);
}

/* ---- str ------------------------------------------------------------------------------------- */

py_obj *py_format_str(py_obj *str, const py_fmtspec *s)
{
    if (s->sign) {
        py_err_format(py_exc_ValueError, "Sign not allowed in string format specifier");
        return NULL;
    }
    if (s->alt) {
        py_err_format(py_exc_ValueError, "Alternate form (#) not allowed in string format specifier");
        return NULL;
    }
    if (s->align == '=') {
        py_err_format(py_exc_ValueError, "'=' alignment not allowed in string format specifier");
        return NULL;
    }
    if (s->type && s->type != 's') {
        py_err_format(py_exc_ValueError, "Unknown format code '%c' for object of type 'str'", s->type);
        return NULL;
    }
    intptr_t len = (intptr_t)py_str_len(str);
    if (s->precision >= 0 && s->precision < len)
        len = s->precision;
    py_strbuf body, out;
    py_strbuf_init(&body);
    py_strbuf_add(&body, py_str_utf8(str), py_str_offset(str, len));
    py_strbuf_init(&out);
    add_aligned(&out, s, &body, (size_t)len, '<');
    py_strbuf_free(&body);
    return py_strbuf_finish(&out);
}

py_obj *py_str_m_dunder_format(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("__format__", n - 1, k, 1, 1) < 0)
        return NULL;
    if (!py_str_check(a[1])) {
        py_err_format(py_exc_TypeError, "__format__() argument must be str, not %s",
                      py_type_name(py_type_of(a[1])));
        return NULL;
    }
    py_fmtspec s;
    if (py_fmtspec_parse(a[1], &s) < 0)
        return NULL;
    return py_format_str(a[0], &s);
}

/* ---- str.format ------------------------------------------------------------------------------ */

typedef struct fmt_state {
    py_obj *const *args;
    size_t nargs;
    py_obj *kwnames, *mapping;   /* keywords (vector) or a mapping (format_map) */
    py_obj *const *kwvals;
    intptr_t auto_index;         /* -1: manual numbering used; -2 neither yet */
    int depth;
} fmt_state;

static py_obj *keyword_arg(fmt_state *st, const char *name, size_t n)
{
    if (st->mapping) {
        py_obj *k = py_str_from_valid_utf8(name, n);
        py_obj *v = k ? py_getitem(st->mapping, k) : NULL;
        tl_xdecref(k);
        return v;
    }
    for (intptr_t i = 0; st->kwnames && i < py_tuple_size(st->kwnames); i++) {
        py_obj *kn = py_tuple_items(st->kwnames)[i];
        if (py_str_nbytes(kn) == n && !memcmp(py_str_utf8(kn), name, n))
            return py_newref(st->kwvals[i]);
    }
    py_obj *k = py_str_from_valid_utf8(name, n);
    if (k) {
        py_obj *exc = py_call1(&py_exc_KeyError->tl.ob, k);
        if (exc)
            py_err_set_exc(exc);
        tl_decref(k);
    }
    return NULL;
}

static bool all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Resolves "name(.attr|[key])*" to an object (new reference). */
static py_obj *resolve_field(fmt_state *st, const char *f, size_t n)
{
    size_t i = 0;
    while (i < n && f[i] != '.' && f[i] != '[')
        i++;
    py_obj *obj;
    if (i == 0 || all_digits(f, i)) {
        intptr_t idx;
        if (i == 0) {
            if (st->auto_index == -1) {
                py_err_format(py_exc_ValueError,
                              "cannot switch from manual field specification to automatic field numbering");
                return NULL;
            }
            idx = st->auto_index < 0 ? 0 : st->auto_index;
            st->auto_index = idx + 1;
        } else {
            if (st->auto_index >= 0) {
                py_err_format(py_exc_ValueError,
                              "cannot switch from automatic field numbering to manual field specification");
                return NULL;
            }
            st->auto_index = -1;
            idx = strtol(f, NULL, 10);
        }
        if ((size_t)idx >= st->nargs) {
            py_err_format(py_exc_IndexError, "Replacement index %zd out of range for positional args tuple", idx);
            return NULL;
        }
        obj = py_newref(st->args[idx]);
    } else {
        obj = keyword_arg(st, f, i);
    }
    while (obj && i < n) {
        py_obj *next = NULL;
        if (f[i] == '.') {
            size_t j = ++i;
            while (i < n && f[i] != '.' && f[i] != '[')
                i++;
            py_obj *name = py_str_from_valid_utf8(f + j, i - j);
            next = name ? py_getattr(obj, name) : NULL;
            tl_xdecref(name);
        } else if (f[i] == '[') {
            size_t j = ++i;
            while (i < n && f[i] != ']')
                i++;
            if (i >= n) {
                py_err_format(py_exc_ValueError, "Missing ']' in format string");
                TL_CLEAR(obj);
                break;
            }
            py_obj *key = all_digits(f + j, i - j) ? py_int_from_long(strtol(f + j, NULL, 10))
                                                   : py_str_from_valid_utf8(f + j, i - j);
            next = key ? py_getitem(obj, key) : NULL;
            tl_xdecref(key);
            i++;
        } else {
            py_err_format(py_exc_ValueError, "Only '.' or '[' may follow ']' in format field specifier");
        }
        tl_decref(obj);
        obj = next;
    }
    return obj;
}

static py_obj *vformat(fmt_state *st, py_obj *fmt);

/* One replacement field: the text between the braces. */
static int format_field(fmt_state *st, py_strbuf *out, const char *f, size_t n)
{
    size_t name_end = 0;
    int bracket = 0;
    while (name_end < n && (bracket || (f[name_end] != '!' && f[name_end] != ':'))) {
        bracket += f[name_end] == '[' ? 1 : f[name_end] == ']' ? -1 : 0;
        name_end++;
    }
    char conv = 0;
    size_t spec_start = name_end;
    if (name_end < n && f[name_end] == '!') {
        if (name_end + 1 >= n) {
            py_err_format(py_exc_ValueError, "end of string while looking for conversion specifier");
            return -1;
        }
        conv = f[name_end + 1];
        spec_start = name_end + 2;
        if (spec_start < n && f[spec_start] != ':') {
            py_err_format(py_exc_ValueError, "expected ':' after conversion specifier");
            return -1;
        }
    }
    py_obj *obj = resolve_field(st, f, name_end);
    if (!obj)
        return -1;
    if (conv) {
        py_obj *c = conv == 'r' || conv == 'a' ? py_repr(obj) : conv == 's' ? py_str(obj) : NULL;
        if (!c && conv != 'r' && conv != 's' && conv != 'a')
            py_err_format(py_exc_ValueError, "Unknown conversion specifier %c", conv);
        tl_decref(obj);
        if (!(obj = c))
            return -1;
    }
    py_obj *spec_src = spec_start < n ? py_str_from_valid_utf8(f + spec_start + 1, n - spec_start - 1)
                                      : py_str_from_valid_utf8("", 0);
    py_obj *spec = NULL;
    if (spec_src) {
        st->depth++;
        spec = st->depth > 2 ? (py_err_format(py_exc_ValueError, "Max string recursion exceeded"), NULL)
                             : vformat(st, spec_src);
        st->depth--;
        tl_decref(spec_src);
    }
    py_obj *r = spec ? py_format(obj, spec) : NULL;
    tl_xdecref(spec);
    tl_decref(obj);
    if (!r)
        return -1;
    py_strbuf_add_str(out, r);
    tl_decref(r);
    return 0;
}

static py_obj *vformat(fmt_state *st, py_obj *fmt)
{
    const char *s = py_str_utf8(fmt);
    size_t n = py_str_nbytes(fmt), i = 0;
    py_strbuf out;
    py_strbuf_init(&out);
    while (i < n) {
        char c = s[i];
        if (c == '}') {
            if (i + 1 < n && s[i + 1] == '}') {
                py_strbuf_addc(&out, '}');
                i += 2;
                continue;
            }
            py_err_format(py_exc_ValueError, "Single '}' encountered in format string");
            goto fail;
        }
        if (c != '{') {
            py_strbuf_addc(&out, c);
            i++;
            continue;
        }
        if (i + 1 < n && s[i + 1] == '{') {
            py_strbuf_addc(&out, '{');
            i += 2;
            continue;
        }
        size_t j = i + 1;
        int depth = 1;
        while (j < n && depth) {
            depth += s[j] == '{' ? 1 : s[j] == '}' ? -1 : 0;
            j++;
        }
        if (depth) {
            py_err_format(py_exc_ValueError, depth && j >= n && memchr(s + i + 1, '}', n - i - 1)
                                                 ? "unmatched '{' in format spec"
                                                 : "Single '{' encountered in format string");
            goto fail;
        }
        if (format_field(st, &out, s + i + 1, j - i - 2) < 0)
            goto fail;
        i = j;
    }
    return py_strbuf_finish(&out);
fail:
    py_strbuf_free(&out);
    return NULL;
}

py_obj *py_str_m_format(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    fmt_state st = {a + 1, n - 1, k, NULL, a + n, -2, 0};
    return vformat(&st, a[0]);
}

py_obj *py_str_m_format_map(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (py_check_args("format_map", n - 1, k, 1, 1) < 0)
        return NULL;
    fmt_state st = {NULL, 0, NULL, a[1], NULL, -2, 0};
    return vformat(&st, a[0]);
}

/* ---- printf-style: str % args ------------------------------------------------------------------ */

typedef struct pct_state {
    py_obj *args;        /* the tuple of arguments (or a 1-tuple) */
    py_obj *dict;        /* mapping for %(key)s, or NULL */
    intptr_t next;
    bool bytes;          /* bytes % args: out holds bytes, %s/%b take bytes */
} pct_state;

static py_obj *pct_next_arg(pct_state *st)
{
    if (st->next >= py_tuple_size(st->args)) {
        py_err_format(py_exc_TypeError, "not enough arguments for format string");
        return NULL;
    }
    return py_tuple_items(st->args)[st->next++];
}

static int pct_number(const char **p, pct_state *st, intptr_t *out)
{
    if (**p == '*') {
        (*p)++;
        py_obj *v = pct_next_arg(st);
        if (!v)
            return -1;
        if (!py_int_check(v)) {
            py_err_format(py_exc_TypeError, "* wants int");
            return -1;
        }
        *out = py_int_as_ssize(v);
        return 0;
    }
    *out = -1;
    if (**p >= '0' && **p <= '9') {
        *out = 0;
        while (**p >= '0' && **p <= '9')
            *out = *out * 10 + (*(*p)++ - '0');
    }
    return 0;
}

/* One conversion of an argument under a spec built from the % flags. */
static py_obj *pct_convert(py_obj *v, char type, py_fmtspec *s)
{
    switch (type) {
    case 's': case 'r': case 'a': {
        py_obj *t = type == 's' ? py_str(v) : py_repr(v);
        if (!t)
            return NULL;
        s->sign = 0;
        s->alt = false;
        s->zero = false;
        s->type = 0;
        py_obj *r = py_format_str(t, s);
        tl_decref(t);
        return r;
    }
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': {
        py_obj *iv = NULL;
        if (py_int_check(v))
            iv = py_newref(v);
        else if (py_type_of(v)->nb_int && (type == 'd' || type == 'i' || type == 'u'))
            iv = py_type_of(v)->nb_int(v);
        else if (py_type_of(v)->nb_index)
            iv = py_type_of(v)->nb_index(v);
        else {
            if (type == 'd' || type == 'i' || type == 'u')
                py_err_format(py_exc_TypeError, "%%%c format: a real number is required, not %s",
                              type, py_type_name(py_type_of(v)));
            else
                py_err_format(py_exc_TypeError, "%%%c format: an integer is required, not %s",
                              type, py_type_name(py_type_of(v)));
            return NULL;
        }
        if (!iv)
            return NULL;
        s->type = type == 'i' || type == 'u' ? 'd' : type;
        intptr_t prec = s->precision;
        s->precision = -1;
        if (prec > 0 && !s->align) {
            /* %.Nd: at least N digits. */
            s->zero = true;
            s->width = prec + (s->width > prec ? 0 : 0);
        }
        py_obj *spec = NULL;
        py_obj *r;
        int ovf = 0;
        long long x = py_int_as_long(iv, &ovf);
        if (!ovf)
            r = py_format_long(x, s);
        else {
            spec = py_str_from_format("%s%s%c", s->sign ? (s->sign == '+' ? "+" : " ") : "",
                                      s->alt ? "#" : "", s->type);
            r = spec ? py_format_int(iv, spec) : NULL;
        }
        tl_xdecref(spec);
        tl_decref(iv);
        return r;
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
        double d;
        if (py_isinstance_of(v, &py_float_type))
            d = py_float_value(v);
        else if (py_int_check(v))
            d = py_int_as_double(v);
        else if (py_type_of(v)->nb_float) {
            py_obj *f = py_type_of(v)->nb_float(v);
            if (!f)
                return NULL;
            d = py_float_value(f);
            tl_decref(f);
        } else {
            py_err_format(py_exc_TypeError, "must be real number, not %s", py_type_name(py_type_of(v)));
            return NULL;
        }
        if (d == -1.0 && py_err_occurred())
            return NULL;
        s->type = type;
        if (s->precision < 0)
            s->precision = 6;
        return py_format_double(d, s);
    }
    case 'c': {
        if (py_str_check(v)) {
            if (py_str_len(v) != 1) {
                py_err_format(py_exc_TypeError, "%%c requires int or char");
                return NULL;
            }
            s->type = 0;
            s->sign = 0;
            return py_format_str(v, s);
        }
        if (!py_int_check(v)) {
            py_err_format(py_exc_TypeError, "%%c requires int or char");
            return NULL;
        }
        s->type = 'c';
        s->sign = 0;
        s->alt = false;
        s->precision = -1;
        int ovf = 0;
        return py_format_long(py_int_as_long(v, &ovf), s);
    }
    }
    return NULL;
}

/* The bytes a %s or %b conversion inserts: a bytes object, or what
   __bytes__ returns. */
static py_obj *pct_bytes_arg(py_obj *v)
{
    if (py_isinstance_of(v, &py_bytes_type))
        return py_newref(v);
    py_obj *m = py_lookup_special(v, "__bytes__");
    if (!m) {
        if (!py_err_occurred())
            py_err_format(py_exc_TypeError, "%%b requires a bytes-like object, or an object that "
                          "implements __bytes__, not '%s'", py_type_name(py_type_of(v)));
        return NULL;
    }
    py_obj *r = py_call(m, NULL, 0, NULL);
    tl_decref(m);
    if (r && !py_isinstance_of(r, &py_bytes_type)) {
        py_err_format(py_exc_TypeError, "__bytes__ returned non-bytes (type %s)", py_type_name(py_type_of(r)));
        TL_CLEAR(r);
    }
    return r;
}

/* %s %b %r %a %c in bytes % args: the argument's bytes, padded. */
static int pct_convert_bytes(py_obj *v, char type, const py_fmtspec *s, py_strbuf *out)
{
    py_obj *owned = NULL;
    const char *d;
    size_t n;
    char one;
    if (type == 'c') {
        intptr_t x;
        if (py_isinstance_of(v, &py_bytes_type) && py_bytes_len(v) == 1) {
            one = py_bytes_data(v)[0];
        } else if (py_int_check(v) && py_index(v, &x) == 0 && x >= 0 && x < 256) {
            one = (char)x;
        } else {
            if (py_int_check(v) && !py_err_occurred())
                py_err_format(py_exc_OverflowError, "%%c arg not in range(256)");
            else if (!py_err_occurred())
                py_err_format(py_exc_TypeError, "%%c requires an integer in range(256) or a single byte");
            return -1;
        }
        d = &one;
        n = 1;
    } else {
        if (type == 'r' || type == 'a')
            owned = py_ascii(v);
        else
            owned = pct_bytes_arg(v);
        if (!owned)
            return -1;
        d = py_str_check(owned) ? py_str_utf8(owned) : py_bytes_data(owned);
        n = py_str_check(owned) ? py_str_nbytes(owned) : py_bytes_len(owned);
        if (s->precision >= 0 && (size_t)s->precision < n)
            n = (size_t)s->precision;
    }
    size_t padn = s->width > (intptr_t)n ? (size_t)s->width - n : 0;
    if (s->align != '<')
        for (size_t i = 0; i < padn; i++)
            py_strbuf_addc(out, ' ');
    py_strbuf_add(out, d, n);
    if (s->align == '<')
        for (size_t i = 0; i < padn; i++)
            py_strbuf_addc(out, ' ');
    tl_xdecref(owned);
    return 0;
}

static int pct_one(const char **pp, const char *start, pct_state *st, py_strbuf *out)
{
    const char *p = *pp;
    py_obj *v = NULL, *owned = NULL;
    if (*p == '(') {
        const char *q = ++p;
        int depth = 1;
        while (*p && depth) {
            depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
            p++;
        }
        if (depth) {
            py_err_format(py_exc_ValueError, "incomplete format key");
            return -1;
        }
        if (!st->dict) {
            py_err_format(py_exc_TypeError, "format requires a mapping");
            return -1;
        }
        py_obj *key = st->bytes ? py_bytes_new(q, (size_t)(p - 1 - q))
                                : py_str_from_valid_utf8(q, (size_t)(p - 1 - q));
        owned = v = key ? py_getitem(st->dict, key) : NULL;
        tl_xdecref(key);
        if (!v)
            return -1;
    }
    py_fmtspec s;
    memset(&s, 0, sizeof s);
    s.fill = ' ';
    for (;; p++) {
        if (*p == '-') s.align = '<';
        else if (*p == '+') s.sign = '+';
        else if (*p == ' ') { if (s.sign != '+') s.sign = ' '; }
        else if (*p == '#') s.alt = true;
        else if (*p == '0') s.zero = true;
        else break;
    }
    if (pct_number(&p, st, &s.width) < 0)
        goto fail;
    if (s.width < -1) {
        s.align = '<';
        s.width = -s.width;
    }
    s.precision = -1;
    if (*p == '.') {
        p++;
        if (pct_number(&p, st, &s.precision) < 0)
            goto fail;
        if (s.precision < 0)
            s.precision = 0;
    }
    while (*p == 'l' || *p == 'h' || *p == 'L')
        p++;
    if (*p == '%') {
        py_strbuf_addc(out, '%');
        *pp = p + 1;
        tl_xdecref(owned);
        return 0;
    }
    if (!*p) {
        py_err_format(py_exc_ValueError, "incomplete format");
        goto fail;
    }
    if (!strchr(st->bytes ? "sbradiuxXoeEfFgGc" : "sradiuxXoeEfFgGc", *p)) {
        py_err_format(py_exc_ValueError, "unsupported format character '%c' (0x%x) at index %zd",
                      *p, (unsigned)(unsigned char)*p, (intptr_t)(p - start));
        goto fail;
    }
    if (s.align == '<')
        s.zero = false;
    if (!s.align && !s.zero)
        s.align = '>';        /* printf pads on the left unless '-' */
    if (!v && !(v = pct_next_arg(st)))
        goto fail;
    if (st->bytes && strchr("sbrac", *p)) {
        if (pct_convert_bytes(v, *p, &s, out) < 0)
            goto fail;
        *pp = p + 1;
        tl_xdecref(owned);
        return 0;
    }
    py_obj *r = pct_convert(v, *p, &s);
    if (!r)
        goto fail;
    py_strbuf_add_str(out, r);
    tl_decref(r);
    *pp = p + 1;
    tl_xdecref(owned);
    return 0;
fail:
    tl_xdecref(owned);
    return -1;
}

/* The text of fmt % args into out (bytes: fmt is bytes). */
static int pct_format(const char *s, size_t nbytes, py_obj *args, bool bytes, py_strbuf *out)
{
    pct_state st = {NULL, NULL, 0, bytes};
    bool is_tuple = py_isinstance_of(args, &py_tuple_type);
    if (is_tuple)
        st.args = py_newref(args);
    else if (!(st.args = py_tuple_pack(1, args)))
        return -1;
    if (!is_tuple && !py_str_check(args) && !(bytes && py_isinstance_of(args, &py_bytes_type)) &&
        py_type_of(args)->getitem && !py_isinstance_of(args, &py_list_type))
        st.dict = args;
    const char *p = s;
    int rc = 0;
    while (rc == 0 && (size_t)(p - s) < nbytes) {
        if (*p != '%') {
            py_strbuf_addc(out, *p++);
            continue;
        }
        p++;
        rc = pct_one(&p, s, &st, out);
    }
    if (rc == 0 && st.next < py_tuple_size(st.args) && !st.dict) {
        py_err_format(py_exc_TypeError, "not all arguments converted during %s formatting",
                      bytes ? "bytes" : "string");
        rc = -1;
    }
    tl_decref(st.args);
    return rc;
}

py_obj *py_str_mod(py_obj *fmt, py_obj *args)
{
    if (!py_str_check(fmt))
        return py_newref(py_NotImplemented);
    py_strbuf out;
    py_strbuf_init(&out);
    if (pct_format(py_str_utf8(fmt), py_str_nbytes(fmt), args, false, &out) < 0) {
        py_strbuf_free(&out);
        return NULL;
    }
    return py_strbuf_finish(&out);
}

py_obj *py_bytes_mod(py_obj *fmt, py_obj *args)
{
    if (!py_isinstance_of(fmt, &py_bytes_type))
        return py_newref(py_NotImplemented);
    py_strbuf out;
    py_strbuf_init(&out);
    py_obj *r = NULL;
    if (pct_format(py_bytes_data(fmt), py_bytes_len(fmt), args, true, &out) == 0 && !out.failed)
        r = py_bytes_new(out.data, out.len);
    py_strbuf_free(&out);
    return r;
}
