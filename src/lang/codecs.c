/* codecs.c — str.encode and bytes.decode: the utf-8, ascii and latin-1
 * codecs and the error handlers strict, ignore, replace, backslashreplace,
 * xmlcharrefreplace (encoding) and surrogateescape.
 *
 * An error covers a range, as in CPython: when encoding, a run of
 * characters the codec cannot represent; when decoding UTF-8, the bytes of
 * one malformed sequence (CPython's boundaries: a bad start byte alone, a
 * sequence cut by a bad continuation byte up to that byte, a truncated
 * sequence up to the end of the data). A handler replaces the whole range
 * and work resumes after it. The error handler's name is checked only when
 * an error occurs, as CPython looks it up lazily. Strict errors raise
 * UnicodeEncodeError/UnicodeDecodeError built from their five arguments, so
 * their attributes and messages are CPython's.
 *
 * Strings are UTF-8 inside and may hold lone surrogates (encoded as three
 * bytes ED A0..BF xx); only the utf-8 encoder needs to look for them.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

#include <string.h>

enum codec { CODEC_UTF8, CODEC_ASCII, CODEC_LATIN1 };

enum handler { H_STRICT, H_IGNORE, H_REPLACE, H_BACKSLASH, H_XMLCHARREF, H_SURROGATEESCAPE, H_UNKNOWN };

static const char *const codec_names[] = {"utf-8", "ascii", "latin-1"};

/* ---- looking up a codec and a handler ------------------------------------------------ */

static int codec_of(py_obj *enc, const char *fn)
{
    if (!py_str_check(enc)) {
        py_err_format(py_exc_TypeError, "%s() argument 'encoding' must be str, not %s", fn,
                      py_type_name(py_type_of(enc)));
        return -1;
    }
    char norm[32];
    size_t i = 0;
    for (const char *p = py_str_utf8(enc); *p && i < sizeof norm - 1; p++)
        norm[i++] = (char)(*p == '_' || *p == ' ' ? '-' : (*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
    norm[i] = 0;
    static const struct { const char *name; enum codec c; } aliases[] = {
        {"utf-8", CODEC_UTF8}, {"utf8", CODEC_UTF8}, {"u8", CODEC_UTF8}, {"utf", CODEC_UTF8},
        {"ascii", CODEC_ASCII}, {"us-ascii", CODEC_ASCII}, {"646", CODEC_ASCII},
        {"latin-1", CODEC_LATIN1}, {"latin1", CODEC_LATIN1}, {"latin", CODEC_LATIN1},
        {"iso-8859-1", CODEC_LATIN1}, {"iso8859-1", CODEC_LATIN1}, {"8859", CODEC_LATIN1},
        {"l1", CODEC_LATIN1}, {"cp819", CODEC_LATIN1},
    };
    for (size_t k = 0; k < sizeof aliases / sizeof *aliases; k++)
        if (!strcmp(norm, aliases[k].name))
            return (int)aliases[k].c;
    py_err_format(py_exc_LookupError, "unknown encoding: %U", enc);
    return -1;
}

static int handler_of(py_obj *errors, const char *fn, enum handler *h)
{
    *h = H_STRICT;
    if (!errors)
        return 0;
    if (!py_str_check(errors)) {
        py_err_format(py_exc_TypeError, "%s() argument 'errors' must be str, not %s", fn,
                      py_type_name(py_type_of(errors)));
        return -1;
    }
    static const char *const names[] = {"strict", "ignore", "replace", "backslashreplace",
                                        "xmlcharrefreplace", "surrogateescape"};
    *h = H_UNKNOWN;
    for (int i = 0; i < H_UNKNOWN; i++)
        if (py_str_equal_cstr(errors, names[i]))
            *h = (enum handler)i;
    return 0;
}

static void unknown_handler(py_obj *errors)
{
    py_err_format(py_exc_LookupError, "unknown error handler name '%U'", errors);
}

/* Raises type(encoding, object, start, end, reason). */
static void raise_unicode_error(py_type *type, enum codec c, py_obj *object, intptr_t start,
                                intptr_t end, const char *reason)
{
    py_obj *a[5] = {py_str_from_cstr(codec_names[c]), py_newref(object), py_int_from_long(start),
                    py_int_from_long(end), py_str_from_cstr(reason)};
    if (a[0] && a[2] && a[3] && a[4]) {
        py_obj *e = py_call(&type->tl.ob, a, 5, NULL);
        if (e)
            py_err_set_exc(e);
    }
    for (int i = 0; i < 5; i++)
        tl_xdecref(a[i]);
}

/* ---- encoding ----------------------------------------------------------------------- */

typedef struct enc_state {
    py_obj *str, *errors;
    enum codec codec;
    enum handler h;
    py_strbuf out;                    /* bytes, kept in a byte buffer */
} enc_state;

static bool is_surrogate(uint32_t c) { return c >= 0xD800 && c <= 0xDFFF; }

static bool encodable(enum codec c, uint32_t ch)
{
    return c == CODEC_ASCII ? ch < 0x80 : c == CODEC_LATIN1 ? ch < 0x100 : !is_surrogate(ch);
}

static void put_escape(py_strbuf *b, uint32_t ch)
{
    char tmp[16];
    int n = ch <= 0xFF ? snprintf(tmp, sizeof tmp, "\\x%02x", ch)
          : ch <= 0xFFFF ? snprintf(tmp, sizeof tmp, "\\u%04x", ch)
                         : snprintf(tmp, sizeof tmp, "\\U%08x", ch);
    py_strbuf_add(b, tmp, (size_t)n);
}

/* Replaces the characters [p, end) (code points start..) by the handler's output. */
static int encode_error(enc_state *st, const unsigned char *p, const unsigned char *end,
                        intptr_t start, intptr_t stop)
{
    const char *reason = st->codec == CODEC_UTF8 ? "surrogates not allowed"
                       : st->codec == CODEC_ASCII ? "ordinal not in range(128)"
                                                  : "ordinal not in range(256)";
    if (st->h == H_UNKNOWN)
        return unknown_handler(st->errors), -1;
    if (st->h == H_STRICT)
        goto strict;
    while (p < end) {
        uint32_t ch = py_utf8_next(&p);
        char tmp[16];
        switch (st->h) {
        case H_REPLACE: py_strbuf_addc(&st->out, '?'); break;
        case H_BACKSLASH: put_escape(&st->out, ch); break;
        case H_XMLCHARREF:
            py_strbuf_add(&st->out, tmp, (size_t)snprintf(tmp, sizeof tmp, "&#%u;", (unsigned)ch));
            break;
        case H_SURROGATEESCAPE:
            if (ch < 0xDC80 || ch > 0xDCFF)
                goto strict;
            py_strbuf_addc(&st->out, (char)(ch - 0xDC00));
            break;
        default: break;
        }
    }
    return 0;
strict:
    raise_unicode_error(py_exc_UnicodeEncodeError, st->codec, st->str, start, stop, reason);
    return -1;
}

static int encode_run(enc_state *st)
{
    const unsigned char *p = (const unsigned char *)py_str_utf8(st->str);
    const unsigned char *end = p + py_str_nbytes(st->str);
    intptr_t pos = 0;
    while (p < end) {
        const unsigned char *at = p;
        uint32_t ch = py_utf8_next(&p);
        if (encodable(st->codec, ch)) {
            if (st->codec == CODEC_UTF8)
                py_strbuf_add(&st->out, (const char *)at, (size_t)(p - at));
            else
                py_strbuf_addc(&st->out, (char)ch);
            pos++;
            continue;
        }
        intptr_t start = pos++;
        const unsigned char *q = p;
        while (q < end) {
            const unsigned char *r = q;
            if (encodable(st->codec, py_utf8_next(&r)))
                break;
            q = r;
            pos++;
        }
        if (encode_error(st, at, q, start, pos) < 0)
            return -1;
        p = q;
    }
    return 0;
}

/* Lone surrogates are the only characters UTF-8 cannot encode. */
static bool has_surrogate(const char *s, size_t n)
{
    for (const char *p = s; (p = memchr(p, 0xED, (size_t)(s + n - p))) != NULL; p++)
        if (p + 1 < s + n && (unsigned char)p[1] >= 0xA0)
            return true;
    return false;
}

py_obj *py_codec_encode(py_obj *s, py_obj *encoding, py_obj *errors)
{
    int codec = encoding ? codec_of(encoding, "encode") : CODEC_UTF8;
    enc_state st = {s, errors, (enum codec)(codec < 0 ? 0 : codec), H_STRICT, {0}};
    if (codec < 0 || handler_of(errors, "encode", &st.h) < 0)
        return NULL;
    const char *d = py_str_utf8(s);
    size_t n = py_str_nbytes(s);
    if (py_str_is_ascii(s) || (codec == CODEC_UTF8 && !has_surrogate(d, n)))
        return py_bytes_new(d, n);
    py_strbuf_init(&st.out);
    if (encode_run(&st) < 0 || st.out.failed) {
        if (st.out.failed && !py_err_occurred())
            py_err_no_memory();
        py_strbuf_free(&st.out);
        return NULL;
    }
    py_obj *r = py_bytes_new(st.out.data, st.out.len);
    py_strbuf_free(&st.out);
    return r;
}

/* ---- decoding ----------------------------------------------------------------------- */

static bool cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* The malformed UTF-8 sequence at d[i]: its end and CPython's reason. */
static size_t utf8_error_end(const unsigned char *d, size_t i, size_t n, const char **reason)
{
    unsigned c = d[i];
    size_t k = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (!k) {
        *reason = "invalid start byte";
        return i + 1;
    }
    unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    for (size_t j = 1; j < k; j++) {
        if (i + j >= n) {
            *reason = "unexpected end of data";
            return n;
        }
        bool ok = j == 1 ? d[i + 1] >= lo && d[i + 1] <= hi : cont(d[i + j]);
        if (!ok) {
            *reason = "invalid continuation byte";
            return i + j;
        }
    }
    *reason = NULL;                   /* well formed after all */
    return i + k;
}

typedef struct dec_state {
    const unsigned char *data;
    size_t n;
    py_obj *bytes, *errors;           /* bytes: the object, or NULL until an error needs it */
    enum codec codec;
    enum handler h;
    py_strbuf out;
} dec_state;

static int decode_error(dec_state *st, size_t start, size_t end, const char *reason)
{
    if (st->h == H_UNKNOWN)
        return unknown_handler(st->errors), -1;
    if (st->h == H_STRICT || st->h == H_XMLCHARREF)
        goto strict;
    for (size_t i = start; i < end; i++) {
        unsigned char b = st->data[i];
        if (st->h == H_REPLACE) {
            py_strbuf_add_cp(&st->out, 0xFFFD);
            break;                    /* one replacement for the whole range */
        }
        if (st->h == H_BACKSLASH)
            put_escape(&st->out, b);
        else if (st->h == H_SURROGATEESCAPE) {
            if (b < 0x80)
                goto strict;
            py_strbuf_add_cp(&st->out, 0xDC00 + b);
        }
    }
    return 0;
strict:
    if (st->h == H_XMLCHARREF) {
        py_err_format(py_exc_TypeError, "don't know how to handle UnicodeDecodeError in error callback");
        return -1;
    }
    if (!st->bytes && !(st->bytes = py_bytes_new((const char *)st->data, st->n)))
        return -1;
    raise_unicode_error(py_exc_UnicodeDecodeError, st->codec, st->bytes, (intptr_t)start,
                        (intptr_t)end, reason);
    return -1;
}

static int decode_run(dec_state *st)
{
    const unsigned char *d = st->data;
    size_t i = 0, n = st->n;
    while (i < n) {
        size_t j = i;
        while (j < n && d[j] < 0x80)
            j++;
        py_strbuf_add(&st->out, (const char *)d + i, j - i);
        if ((i = j) == n)
            break;
        if (st->codec == CODEC_LATIN1) {
            py_strbuf_add_cp(&st->out, d[i++]);
            continue;
        }
        const char *reason = "ordinal not in range(128)";
        size_t end = st->codec == CODEC_ASCII ? i + 1 : utf8_error_end(d, i, n, &reason);
        if (!reason) {
            py_strbuf_add(&st->out, (const char *)d + i, end - i);
        } else if (decode_error(st, i, end, reason) < 0) {
            return -1;
        }
        i = end;
    }
    return 0;
}

/* Decodes n bytes at data; bytes is the object they belong to, or NULL. */
py_obj *py_codec_decode(py_obj *bytes, const char *data, size_t n, py_obj *encoding, py_obj *errors)
{
    int codec = encoding ? codec_of(encoding, "decode") : CODEC_UTF8;
    dec_state st = {(const unsigned char *)data, n, bytes, errors,
                    (enum codec)(codec < 0 ? 0 : codec), H_STRICT, {0}};
    if (codec < 0 || handler_of(errors, "decode", &st.h) < 0)
        return NULL;
    py_strbuf_init(&st.out);
    int rc = decode_run(&st);
    if (st.bytes != bytes)
        tl_xdecref(st.bytes);
    if (rc < 0) {
        py_strbuf_free(&st.out);
        return NULL;
    }
    return py_strbuf_finish(&st.out);
}
