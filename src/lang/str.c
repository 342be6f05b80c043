/* str.c — the str object: storage, construction, interning, hashing,
 * comparison, repr, indexing, slicing, iteration, and the string builder.
 * The Python-visible methods (split, join, find, format, ...) are in
 * strmethods.c; the format mini-language and % formatting in strformat.c.
 *
 * Layout (48 bytes of header, the size of CPython's compact ASCII header):
 *     ob, length (code points), hash (-1: not yet computed), nbytes, flags
 *   then, for a non-ASCII string only, one word: a lazily built index (a
 *   heap block of byte offsets of every INDEX_STEP-th code point, or NULL);
 *   then nbytes of UTF-8 and a NUL.
 * Invariants: the data is valid UTF-8 (lone surrogates allowed, encoded as
 * three bytes, so every code point Python can hold is representable);
 * ascii == (nbytes == length); strings are immutable once returned; the
 * hash is that of the bytes (so equal strings hash equal, and an ASCII str
 * hashes as the equal bytes object, as in CPython).
 *
 * Singletons: '' and the 256 one-character latin-1 strings are immortal;
 * py_str_from_char hands them out (indexing, iteration, chr), while
 * py_str_from_utf8 makes fresh one-character strings, as CPython 3.11 does
 * for compiled literals.
 *
 * Interning: a private open-addressing set of borrowed pointers. A string
 * interned by py_str_intern is mortal: the set does not count as a
 * reference, and dealloc removes it (CPython 3.11's uncounted interned dict
 * entries). py_str_interned makes its result immortal.
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"
#include "unicode_db.h"

#include <stdlib.h>

#define INDEX_STEP 64

typedef struct py_strobj {
    tl_object ob;
    intptr_t length;      /* code points */
    intptr_t hash;        /* -1 until computed */
    size_t nbytes;        /* UTF-8 bytes, NUL excluded */
    uint8_t ascii;        /* every byte < 0x80 */
    uint8_t interned;     /* 0 no, 1 mortal, 2 immortal */
    uint8_t pad[6];
} py_strobj;

static inline py_strobj *S(const py_obj *o) { return (py_strobj *)o; }
static inline size_t **index_slot(const py_obj *o) { return (size_t **)(S(o) + 1); }
static inline char *str_data(const py_obj *o)
{
    return S(o)->ascii ? (char *)(S(o) + 1) : (char *)(S(o) + 1) + sizeof(size_t *);
}

const char *py_str_utf8(const py_obj *s) { return str_data(s); }
size_t py_str_nbytes(const py_obj *s) { return S(s)->nbytes; }
size_t py_str_len(const py_obj *s) { return (size_t)S(s)->length; }
bool py_str_is_ascii(const py_obj *s) { return S(s)->ascii; }

static py_obj *empty_str;
static py_obj *latin1[256];

/* ---- allocation ------------------------------------------------------------- */

/* A fresh string of nbytes bytes and length code points; data to be filled. */
static py_obj *str_alloc(size_t nbytes, size_t length)
{
    bool ascii = nbytes == length;
    size_t extra = ascii ? 0 : sizeof(size_t *);
    py_obj *o = tl_object_new_var(vm.heap, &py_str_type.tl, nbytes + 1 + extra);
    if (!o)
        return py_err_no_memory(), NULL;
    S(o)->length = (intptr_t)length;
    S(o)->hash = -1;
    S(o)->nbytes = nbytes;
    S(o)->ascii = ascii;
    return o;
}

static size_t count_cps(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Trusted input: valid UTF-8 produced by this file or its friends. */
static py_obj *str_from_valid(const char *s, size_t n, size_t length)
{
    if (n == 0 && empty_str)
        return py_newref(empty_str);
    py_obj *o = str_alloc(n, length);
    if (o)
        memcpy(str_data(o), s, n);
    return o;
}

py_obj *py_str_from_valid_utf8(const char *s, size_t n) { return str_from_valid(s, n, count_cps(s, n)); }

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0 if invalid.
 * Surrogates are accepted: the compiler stores '\ud800' escapes this way. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    size_t k = c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (!k || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (c == 0xE0 && s[1] < 0xA0)
        return 0;
    if (c == 0xF0 && s[1] < 0x90)
        return 0;
    if (c == 0xF4 && s[1] > 0x8F)
        return 0;
    return k;
}

/* Offset of the first invalid byte, or n. */
size_t py_utf8_valid_prefix(const char *s, size_t n, size_t *bad_len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq_len(u + i, n - i);
        if (!k) {
            if (bad_len)
                *bad_len = 1;
            return i;
        }
        i += k;
    }
    return n;
}

py_obj *py_str_from_utf8(const char *s, size_t n)
{
    size_t bad = py_utf8_valid_prefix(s, n, NULL);
    if (bad < n) {
        /* The codec is stricter (it refuses surrogates): it fails too, and
           raises the error CPython would, with its range and reason. */
        py_obj *r = py_codec_decode(NULL, s, n, NULL, NULL);
        if (r) {
            tl_decref(r);
            py_err_format(py_exc_UnicodeDecodeError, "invalid utf-8");
        }
        return NULL;
    }
    return str_from_valid(s, n, count_cps(s, n));
}

py_obj *py_str_from_cstr(const char *s) { return py_str_from_utf8(s, strlen(s)); }

py_obj *py_str_from_char(uint32_t cp)
{
    if (cp < 256 && latin1[cp])
        return py_newref(latin1[cp]);
    char buf[4];
    size_t n = py_utf8_put(cp, buf);
    return str_from_valid(buf, n, 1);
}

/* ---- the string builder ---------------------------------------------------------- */

void py_strbuf_init(py_strbuf *b)
{
    b->data = b->small;
    b->len = 0;
    b->cap = sizeof b->small;
    b->failed = false;
}

static bool strbuf_reserve(py_strbuf *b, size_t more)
{
    if (b->failed)
        return false;
    if (b->len + more <= b->cap)
        return true;
    size_t ncap = b->cap * 2;
    while (ncap < b->len + more)
        ncap *= 2;
    char *n;
    if (b->data == b->small) {
        n = tl_heap_alloc(vm.heap, ncap);
        if (n)
            memcpy(n, b->data, b->len);
    } else {
        n = tl_heap_realloc(vm.heap, b->data, ncap);
    }
    if (!n) {
        b->failed = true;
        py_err_no_memory();
        return false;
    }
    b->data = n;
    b->cap = ncap;
    return true;
}

void py_strbuf_add(py_strbuf *b, const char *s, size_t n)
{
    if (n && strbuf_reserve(b, n)) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
    }
}

void py_strbuf_addc(py_strbuf *b, char c)
{
    if (strbuf_reserve(b, 1))
        b->data[b->len++] = c;
}

void py_strbuf_add_cp(py_strbuf *b, uint32_t cp)
{
    if (strbuf_reserve(b, 4))
        b->len += py_utf8_put(cp, b->data + b->len);
}

void py_strbuf_add_str(py_strbuf *b, py_obj *s) { py_strbuf_add(b, str_data(s), S(s)->nbytes); }

void py_strbuf_fill(py_strbuf *b, uint32_t cp, size_t count)
{
    char enc[4];
    size_t k = py_utf8_put(cp, enc);
    if (!count || !strbuf_reserve(b, k * count))
        return;
    for (size_t i = 0; i < count; i++, b->len += k)
        memcpy(b->data + b->len, enc, k);
}

void py_strbuf_free(py_strbuf *b)
{
    if (b->data != b->small)
        tl_heap_free(b->data);
    b->data = b->small;
}

py_obj *py_strbuf_finish(py_strbuf *b)
{
    py_obj *s = b->failed ? NULL : py_str_from_valid_utf8(b->data, b->len);
    py_strbuf_free(b);
    return s;
}

/* ---- printf-like construction ------------------------------------------------------ */

static void add_obj_text(py_strbuf *b, py_obj *o, int what, long prec)
{
    py_obj *s = what == 'R' ? py_repr(o) : what == 'S' ? py_str(o) : py_newref(o);
    if (!s) {
        b->failed = true;
        return;
    }
    if (prec >= 0 && (size_t)prec < S(s)->nbytes)
        py_strbuf_add(b, str_data(s), py_str_offset(s, prec < S(s)->length ? prec : S(s)->length));
    else
        py_strbuf_add_str(b, s);
    tl_decref(s);
}

py_obj *py_str_from_vformat(const char *fmt, va_list ap)
{
    py_strbuf b;
    py_strbuf_init(&b);
    for (const char *p = fmt; *p && !b.failed; p++) {
        if (*p != '%') {
            const char *q = p;
            while (q[1] && q[1] != '%')
                q++;
            py_strbuf_add(&b, p, (size_t)(q - p + 1));
            p = q;
            continue;
        }
        const char *start = p++;
        while (*p == '-' || *p == '0' || *p == '+' || *p == ' ' || *p == '#')
            p++;
        while (*p >= '0' && *p <= '9')
            p++;
        long prec = -1;
        if (*p == '.') {
            prec = strtol(p + 1, (char **)&p, 10);
        }
        int lng = 0, sz = 0;
        while (*p == 'l') { lng++; p++; }
        if (*p == 'z') { sz = 1; p++; }
        char spec[32], out[128];
        size_t sl = (size_t)(p - start + 1);
        if (sl >= sizeof spec)
            sl = sizeof spec - 1;
        memcpy(spec, start, sl);
        spec[sl] = 0;
        int n = 0;
        switch (*p) {
        case '%': py_strbuf_addc(&b, '%'); break;
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
            if (sz) n = snprintf(out, sizeof out, spec, va_arg(ap, size_t));
            else if (lng == 2) n = snprintf(out, sizeof out, spec, va_arg(ap, long long));
            else if (lng == 1) n = snprintf(out, sizeof out, spec, va_arg(ap, long));
            else n = snprintf(out, sizeof out, spec, va_arg(ap, int));
            py_strbuf_add(&b, out, (size_t)n);
            break;
        case 'c': py_strbuf_add_cp(&b, (uint32_t)va_arg(ap, int)); break;
        case 'p': n = snprintf(out, sizeof out, "%p", va_arg(ap, void *)); py_strbuf_add(&b, out, (size_t)n); break;
        case 'f': case 'g': case 'e':
            n = snprintf(out, sizeof out, spec, va_arg(ap, double));
            py_strbuf_add(&b, out, (size_t)n);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            size_t len = strlen(s);
            if (prec >= 0 && (size_t)prec < len) len = (size_t)prec;
            py_strbuf_add(&b, s, len);
            break;
        }
        case 'S': case 'R': case 'U': case 'A':
            add_obj_text(&b, va_arg(ap, py_obj *), *p, prec);
            break;
        default:
            py_strbuf_add(&b, start, (size_t)(p - start + 1));
            if (!*p)
                p--;
        }
    }
    if (b.failed) {
        py_strbuf_free(&b);
        return NULL;
    }
    return py_strbuf_finish(&b);
}

py_obj *py_str_from_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    py_obj *s = py_str_from_vformat(fmt, ap);
    va_end(ap);
    return s;
}

/* ---- indexing by code point ------------------------------------------------------ */

static size_t *build_index(py_obj *s)
{
    size_t n = (size_t)S(s)->length / INDEX_STEP + 1;
    size_t *ix = tl_heap_alloc(vm.heap, n * sizeof *ix);
    if (!ix)
        return NULL;
    const unsigned char *d = (const unsigned char *)str_data(s);
    size_t cp = 0;
    for (size_t i = 0; i < S(s)->nbytes; i++) {
        if ((d[i] & 0xC0) == 0x80)
            continue;
        if (cp % INDEX_STEP == 0)
            ix[cp / INDEX_STEP] = i;
        cp++;
    }
    return ix;
}

size_t py_str_offset(py_obj *s, intptr_t i)
{
    if (S(s)->ascii)
        return (size_t)i;
    if (i >= S(s)->length)
        return S(s)->nbytes;
    const unsigned char *d = (const unsigned char *)str_data(s);
    size_t off = 0;
    intptr_t cp = 0;
    if (S(s)->length > INDEX_STEP) {
        size_t **slot = index_slot(s);
        if (!*slot)
            *slot = build_index(s);
        if (*slot) {
            off = (*slot)[i / INDEX_STEP];
            cp = i - i % INDEX_STEP;
        }
    }
    while (cp < i) {
        off++;
        while ((d[off] & 0xC0) == 0x80)
            off++;
        cp++;
    }
    return off;
}

static uint32_t str_char_at(py_obj *s, intptr_t i)
{
    const unsigned char *p = (const unsigned char *)str_data(s) + py_str_offset(s, i);
    return py_utf8_next(&p);
}

/* Substring of code points [a, b). */
py_obj *py_str_substr(py_obj *s, intptr_t a, intptr_t b)
{
    if (a <= 0 && b >= S(s)->length && py_isinstance_exact(s, &py_str_type))
        return py_newref(s);
    if (b <= a)
        return py_newref(empty_str);
    if (b - a == 1)
        return py_str_from_char(str_char_at(s, a));
    size_t x = py_str_offset(s, a), y = py_str_offset(s, b);
    return str_from_valid(str_data(s) + x, y - x, (size_t)(b - a));
}

/* ---- interning --------------------------------------------------------------------- */

static struct {
    py_obj **slots;      /* NULL or a string; TOMB marks a removed entry */
    size_t cap, used, filled;
} itab;
#define TOMB ((py_obj *)1)

static bool str_eq_raw(const py_obj *a, const char *s, size_t n)
{
    return S(a)->nbytes == n && memcmp(str_data(a), s, n) == 0;
}

static size_t itab_find(const char *s, size_t n, intptr_t h, bool for_insert)
{
    size_t mask = itab.cap - 1, i = (size_t)h & mask, tomb = SIZE_MAX;
    for (size_t perturb = (size_t)h;; perturb >>= 5) {
        py_obj *e = itab.slots[i];
        if (!e)
            return for_insert && tomb != SIZE_MAX ? tomb : i;
        if (e == TOMB) {
            if (tomb == SIZE_MAX)
                tomb = i;
        } else if (S(e)->hash == h && str_eq_raw(e, s, n)) {
            return i;
        }
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static int itab_grow(void)
{
    size_t ncap = itab.cap ? itab.cap * 2 : 1024;
    if (itab.used * 3 < itab.cap)
        ncap = itab.cap;   /* many tombstones: rehash in place size */
    py_obj **old = itab.slots;
    size_t ocap = itab.cap;
    itab.slots = tl_heap_calloc(vm.heap, ncap * sizeof *itab.slots);
    if (!itab.slots) {
        itab.slots = old;
        return -1;
    }
    itab.cap = ncap;
    itab.filled = itab.used;
    for (size_t i = 0; i < ocap; i++) {
        py_obj *e = old[i];
        if (e && e != TOMB)
            itab.slots[itab_find(str_data(e), S(e)->nbytes, S(e)->hash, true)] = e;
    }
    tl_heap_free(old);
    return 0;
}

static py_obj *itab_lookup(const char *s, size_t n, intptr_t h)
{
    if (!itab.cap)
        return NULL;
    py_obj *e = itab.slots[itab_find(s, n, h, false)];
    return e && e != TOMB ? e : NULL;
}

static int itab_insert(py_obj *s)
{
    if ((itab.filled + 1) * 3 >= itab.cap * 2 && itab_grow() < 0)
        return py_err_no_memory(), -1;
    size_t i = itab_find(str_data(s), S(s)->nbytes, S(s)->hash, true);
    if (!itab.slots[i])
        itab.filled++;
    itab.slots[i] = s;
    itab.used++;
    return 0;
}

static void itab_remove(py_obj *s)
{
    size_t i = itab_find(str_data(s), S(s)->nbytes, S(s)->hash, false);
    if (itab.slots[i] == s) {
        itab.slots[i] = TOMB;
        itab.used--;
    }
}

py_obj *py_str_intern(py_obj *s)
{
    if (!py_isinstance_exact(s, &py_str_type) || S(s)->interned)
        return s;
    intptr_t h = py_str_hash(s);
    py_obj *e = itab_lookup(str_data(s), S(s)->nbytes, h);
    if (e) {
        tl_incref(e);
        tl_decref(s);
        return e;
    }
    if (itab_insert(s) < 0) {
        py_err_clear();
        return s;      /* interning is an optimisation: keep the string */
    }
    S(s)->interned = 1;
    return s;
}

/* Callers pass string literals, so the literal's address is a good cache
 * key: a hit costs one load and compare instead of a hash and a lookup. */
#define INTERNED_CACHE 512
static struct { const char *key; py_obj *s; } interned_cache[INTERNED_CACHE];

static py_obj *str_interned_slow(const char *cs);

py_obj *py_str_interned(const char *cs)
{
    size_t h = ((uintptr_t)cs >> 3) % INTERNED_CACHE;
    if (interned_cache[h].key == cs)
        return interned_cache[h].s;
    py_obj *s = str_interned_slow(cs);
    if (s) {
        interned_cache[h].key = cs;
        interned_cache[h].s = s;      /* immortal: never freed */
    }
    return s;
}

static py_obj *str_interned_slow(const char *cs)
{
    size_t n = strlen(cs);
    py_obj *s = py_str_from_utf8(cs, n);
    if (!s)
        return NULL;
    s = py_str_intern(s);
    if (S(s)->interned != 2) {
        tl_make_immortal(s);
        S(s)->interned = 2;
    } else {
        tl_decref(s);
    }
    return s;
}

/* ---- hashing: SipHash-1-3 with a fixed key ------------------------------------------ */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do { \
    v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
    v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
    v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
    v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); } while (0)

intptr_t py_hash_bytes(const void *data, size_t n)
{
    if (n == 0)
        return 0;
    const uint64_t k0 = UINT64_C(0x0706050403020100), k1 = UINT64_C(0x0f0e0d0c0b0a0908);
    uint64_t v0 = k0 ^ UINT64_C(0x736f6d6570736575), v1 = k1 ^ UINT64_C(0x646f72616e646f6d);
    uint64_t v2 = k0 ^ UINT64_C(0x6c7967656e657261), v3 = k1 ^ UINT64_C(0x7465646279746573);
    const unsigned char *p = data;
    uint64_t b = (uint64_t)n << 56;
    size_t left = n;
    for (; left >= 8; left -= 8, p += 8) {
        uint64_t m;
        memcpy(&m, p, 8);
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    for (size_t i = 0; i < left; i++)
        b |= (uint64_t)p[i] << (8 * i);
    v3 ^= b;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND; SIPROUND; SIPROUND;
    intptr_t h = (intptr_t)(v0 ^ v1 ^ v2 ^ v3);
    return h == -1 ? -2 : h;
}

intptr_t py_str_hash(py_obj *s)
{
    if (S(s)->hash == -1)
        S(s)->hash = py_hash_bytes(str_data(s), S(s)->nbytes);
    return S(s)->hash;
}

/* ---- equality and order -------------------------------------------------------------- */

bool py_str_equal(const py_obj *a, const py_obj *b)
{
    if (a == b)
        return true;
    if (S(a)->nbytes != S(b)->nbytes)
        return false;
    if (S(a)->hash != -1 && S(b)->hash != -1 && S(a)->hash != S(b)->hash)
        return false;
    return memcmp(str_data(a), str_data(b), S(a)->nbytes) == 0;
}

bool py_str_equal_cstr(const py_obj *a, const char *s) { return str_eq_raw(a, s, strlen(s)); }

/* UTF-8 byte order is code point order. */
static int str_cmp(py_obj *a, py_obj *b)
{
    size_t na = S(a)->nbytes, nb = S(b)->nbytes;
    int c = memcmp(str_data(a), str_data(b), na < nb ? na : nb);
    if (c)
        return c < 0 ? -1 : 1;
    return na < nb ? -1 : na > nb;
}

static py_obj *str_richcompare(py_obj *a, py_obj *b, int op)
{
    if (!py_str_check(a) || !py_str_check(b))
        return py_newref(py_NotImplemented);
    if (op == PY_EQ || op == PY_NE)
        return py_bool(py_str_equal(a, b) == (op == PY_EQ));
    return py_cmp_result(str_cmp(a, b), op);
}

/* ---- repr ------------------------------------------------------------------------------- */

bool py_unicode_isprintable(uint32_t c)
{
    if (c < 0x80)
        return c >= 0x20 && c < 0x7F;
    return py_ucd_has(c, PY_UCD_PRINTABLE);
}

static void repr_char(py_strbuf *b, uint32_t c, uint32_t quote)
{
    char tmp[16];
    if (c == quote || c == '\\') {
        py_strbuf_addc(b, '\\');
        py_strbuf_addc(b, (char)c);
    } else if (c == '\t') {
        py_strbuf_add(b, "\\t", 2);
    } else if (c == '\n') {
        py_strbuf_add(b, "\\n", 2);
    } else if (c == '\r') {
        py_strbuf_add(b, "\\r", 2);
    } else if (c >= 0x20 && c < 0x7F) {
        py_strbuf_addc(b, (char)c);
    } else if (py_unicode_isprintable(c)) {
        py_strbuf_add_cp(b, c);
    } else {
        int n = c < 0x100 ? snprintf(tmp, sizeof tmp, "\\x%02x", c)
              : c < 0x10000 ? snprintf(tmp, sizeof tmp, "\\u%04x", c)
              : snprintf(tmp, sizeof tmp, "\\U%08x", c);
        py_strbuf_add(b, tmp, (size_t)n);
    }
}

py_obj *py_str_repr_obj(py_obj *s)
{
    const char *d = str_data(s);
    size_t n = S(s)->nbytes;
    bool sq = memchr(d, '\'', n) != NULL, dq = memchr(d, '"', n) != NULL;
    uint32_t quote = (sq && !dq) ? '"' : '\'';
    py_strbuf b;
    py_strbuf_init(&b);
    py_strbuf_addc(&b, (char)quote);
    const unsigned char *p = (const unsigned char *)d, *end = p + n;
    while (p < end)
        repr_char(&b, py_utf8_next(&p), quote);
    py_strbuf_addc(&b, (char)quote);
    return py_strbuf_finish(&b);
}

/* ---- sequence protocol -------------------------------------------------------------------- */

py_obj *py_str_concat(py_obj *a, py_obj *b)
{
    if (S(b)->nbytes == 0 && py_isinstance_exact(a, &py_str_type))
        return py_newref(a);
    if (S(a)->nbytes == 0 && py_isinstance_exact(b, &py_str_type))
        return py_newref(b);
    size_t n = S(a)->nbytes + S(b)->nbytes;
    py_obj *r = str_alloc(n, (size_t)(S(a)->length + S(b)->length));
    if (!r)
        return NULL;
    memcpy(str_data(r), str_data(a), S(a)->nbytes);
    memcpy(str_data(r) + S(a)->nbytes, str_data(b), S(b)->nbytes);
    return r;
}

static py_obj *str_add(py_obj *a, py_obj *b)
{
    if (!py_str_check(a) || !py_str_check(b))
        return py_newref(py_NotImplemented);
    return py_str_concat(a, b);
}

static py_obj *str_repeat(py_obj *a, py_obj *b)
{
    py_obj *s;
    intptr_t n;
    int k = py_seq_repeat_count(a, b, &py_str_type, &s, &n);
    if (k <= 0)
        return k < 0 ? NULL : py_newref(py_NotImplemented);
    if (n == 0 || S(s)->nbytes == 0)
        return py_newref(empty_str);
    if (n == 1 && py_isinstance_exact(s, &py_str_type))
        return py_newref(s);
    if ((size_t)n > (SIZE_MAX / 4) / S(s)->nbytes) {
        py_err_format(py_exc_OverflowError, "repeated string is too long");
        return NULL;
    }
    size_t len = S(s)->nbytes;
    py_obj *r = str_alloc(len * (size_t)n, (size_t)S(s)->length * (size_t)n);
    if (!r)
        return NULL;
    char *d = str_data(r);
    for (intptr_t i = 0; i < n; i++)
        memcpy(d + (size_t)i * len, str_data(s), len);
    return r;
}

static intptr_t str_len(py_obj *o) { return S(o)->length; }

static py_obj *str_item(py_obj *o, intptr_t i)
{
    intptr_t j = py_seq_index(i, S(o)->length);
    if (j < 0) {
        py_err_format(py_exc_IndexError, "string index out of range");
        return NULL;
    }
    if (S(o)->ascii)
        return py_str_from_char((unsigned char)str_data(o)[j]);
    return py_str_from_char(str_char_at(o, j));
}

static py_obj *str_slice(py_obj *o, py_obj *slice)
{
    intptr_t start, stop, step, n;
    if (py_slice_indices(slice, S(o)->length, &start, &stop, &step, &n) < 0)
        return NULL;
    if (step == 1)
        return py_str_substr(o, start, start + n);
    if (n <= 0)
        return py_newref(empty_str);
    if (S(o)->ascii) {
        py_obj *r = str_alloc((size_t)n, (size_t)n);
        if (!r)
            return NULL;
        for (intptr_t i = 0, j = start; i < n; i++, j += step)
            str_data(r)[i] = str_data(o)[j];
        return r;
    }
    py_strbuf b;
    py_strbuf_init(&b);
    for (intptr_t i = 0, j = start; i < n; i++, j += step)
        py_strbuf_add_cp(&b, str_char_at(o, j));
    return py_strbuf_finish(&b);
}

static py_obj *str_getitem(py_obj *o, py_obj *key)
{
    if (py_int_check(key)) {
        intptr_t i = py_int_as_ssize(key);
        if (i == -1 && py_err_occurred()) {
            if (py_err_matches(py_exc_OverflowError)) {
                py_err_clear();
                py_err_format(py_exc_IndexError, "cannot fit 'int' into an index-sized integer");
            }
            return NULL;
        }
        return str_item(o, i);
    }
    if (py_slice_check(key))
        return str_slice(o, key);
    if (py_type_of(key)->nb_index) {
        intptr_t i;
        return py_index(key, &i) < 0 ? NULL : str_item(o, i);
    }
    py_err_format(py_exc_TypeError, "string indices must be integers, not '%s'",
                  py_type_name(py_type_of(key)));
    return NULL;
}

/* Byte offset of needle in hay[from..to), or -1. */
intptr_t py_bytes_find(const char *hay, size_t from, size_t to, const char *needle, size_t n)
{
    if (to < from || to - from < n)
        return -1;
    if (n == 0)
        return (intptr_t)from;
    const char *p = hay + from, *end = hay + to - n + 1;
    while (p < end) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p)
            return -1;
        if (memcmp(p, needle, n) == 0)
            return p - hay;
        p++;
    }
    return -1;
}

static int str_contains(py_obj *o, py_obj *v)
{
    if (!py_str_check(v)) {
        py_err_format(py_exc_TypeError, "'in <string>' requires string as left operand, not %s",
                      py_type_name(py_type_of(v)));
        return -1;
    }
    return py_bytes_find(str_data(o), 0, S(o)->nbytes, str_data(v), S(v)->nbytes) >= 0;
}

static intptr_t str_hash_slot(py_obj *o) { return py_str_hash(o); }

static py_obj *str_repr(py_obj *o) { return py_str_repr_obj(o); }

static py_obj *str_str(py_obj *o)
{
    if (py_isinstance_exact(o, &py_str_type))
        return py_newref(o);
    return str_from_valid(str_data(o), S(o)->nbytes, (size_t)S(o)->length);
}

/* ---- iterator ------------------------------------------------------------------------------ */

typedef struct str_iter {
    tl_object ob;
    size_t offset;      /* byte offset of the next code point */
    py_obj *seq;        /* NULL once exhausted */
} str_iter;

static py_obj *str_iter_new(py_obj *o)
{
    str_iter *it = (str_iter *)tl_object_new(vm.heap, &py_str_iter_type.tl);
    if (!it)
        return py_err_no_memory(), NULL;
    it->seq = py_newref(o);
    return &it->ob;
}

static py_obj *str_iter_next(py_obj *o)
{
    str_iter *it = (str_iter *)o;
    if (!it->seq)
        return NULL;
    if (it->offset >= S(it->seq)->nbytes) {
        TL_CLEAR(it->seq);
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)str_data(it->seq) + it->offset, *q = p;
    uint32_t c = py_utf8_next(&q);
    it->offset += (size_t)(q - p);
    return py_str_from_char(c);
}

_Static_assert(offsetof(str_iter, seq) == offsetof(py_seq_iter, seq), "shares py_seq_iter's traverse");

py_type py_str_iter_type = {
    PY_TYPE_HEAD("str_ascii_iterator", sizeof(str_iter), 0, TL_TYPE_GC,
                 .traverse = py_seq_iter_traverse, .clear = py_seq_iter_clear),
    .iter = py_self_iter,
    .iternext = str_iter_next,
};

/* ---- the type ------------------------------------------------------------------------------- */

/* An instance of t, a class derived from str, with the text of the exact
 * string s (never interned; its code-point index, if any, is rebuilt). */
py_obj *py_str_subtype_new(py_type *t, py_obj *s)
{
    size_t extra = S(s)->ascii ? 0 : sizeof(size_t *);
    py_obj *o = tl_object_new_var(vm.heap, &t->tl, S(s)->nbytes + 1 + extra);
    if (!o)
        return py_err_no_memory(), NULL;
    S(o)->length = S(s)->length;
    S(o)->hash = S(s)->hash;
    S(o)->nbytes = S(s)->nbytes;
    S(o)->ascii = S(s)->ascii;
    memcpy(str_data(o), str_data(s), S(s)->nbytes + 1);
    return o;
}

static void str_dealloc(tl_object *o)
{
    if (S(o)->interned == 1)
        itab_remove(o);
    if (!S(o)->ascii)
        tl_heap_free(*index_slot(o));
    tl_object_free(o);
}

/* CPython 3.11's __sizeof__: a 48-byte header for ASCII (this layout exactly),
 * 72 bytes plus 1, 2 or 4 bytes per code point by the widest one otherwise. */
static size_t str_sizeof(tl_object *o)
{
    if (S(o)->ascii)
        return sizeof(py_strobj) + S(o)->nbytes + 1;
    uint32_t maxc = 0;
    const unsigned char *p = (const unsigned char *)str_data(o), *end = p + S(o)->nbytes;
    while (p < end) {
        uint32_t c = py_utf8_next(&p);
        if (c > maxc)
            maxc = c;
    }
    size_t w = maxc < 0x100 ? 1 : maxc < 0x10000 ? 2 : 4;
    return 72 + w * ((size_t)S(o)->length + 1);
}

py_type py_str_type = {
    PY_TYPE_HEAD("str", sizeof(py_strobj), 1, 0, .dealloc = str_dealloc, .sizeof_fn = str_sizeof),
    .pyflags = PY_TPFLAGS_BASETYPE | PY_TPFLAGS_STR_SUBCLASS,
    .repr = str_repr,
    .str = str_str,
    .hash = str_hash_slot,
    .richcompare = str_richcompare,
    .iter = str_iter_new,
    .nb = {[PY_NB_ADD] = str_add, [PY_NB_MULTIPLY] = str_repeat, [PY_NB_REMAINDER] = py_str_mod},
    .len = str_len,
    .getitem = str_getitem,
    .contains = str_contains,
    .item = str_item,
    .tp_new = py_str_tp_new,
    .methods = py_str_methods,
    .doc = "str(object='') -> str",
};

int py_str_init(void)
{
    if (!empty_str) {
        if (!(empty_str = str_alloc(0, 0)))
            return -1;
        tl_make_immortal(empty_str);
        for (uint32_t c = 0; c < 256; c++) {
            char buf[4];
            size_t n = py_utf8_put(c, buf);
            if (!(latin1[c] = str_from_valid(buf, n, 1)))
                return -1;
            tl_make_immortal(latin1[c]);
        }
    }
    if (py_type_ready(&py_str_type) < 0 || py_type_ready(&py_str_iter_type) < 0)
        return -1;
    return 0;
}

/* Interpreter teardown: frees the interned strings still held (immortal ones
 * included), the one-character cache and the empty string. Nothing may use
 * a string after this. */
void py_str_fini(void)
{
    for (size_t i = 0; i < itab.cap; i++) {
        py_obj *e = itab.slots[i];
        if (!e || e == TOMB)
            continue;
        itab.slots[i] = NULL;
        S(e)->interned = 0;
        bool singleton = e == empty_str;
        for (int c = 0; c < 256 && !singleton; c++)
            singleton = e == latin1[c];
        if (tl_is_immortal(e) && !singleton)
            tl_object_free(e);
    }
    tl_heap_free(itab.slots);
    itab.slots = NULL;
    itab.cap = itab.used = itab.filled = 0;
    memset(interned_cache, 0, sizeof interned_cache);
    for (int c = 0; c < 256; c++)
        if (latin1[c] && tl_is_immortal(latin1[c])) {
            tl_object_free(latin1[c]);
            latin1[c] = NULL;
        }
    if (empty_str) {
        tl_object_free(empty_str);
        empty_str = NULL;
    }
}
