/* mod_random.c — the random module: CPython's Mersenne Twister and the
 * algorithms of its Lib/random.py, so that a seeded program draws the same
 * numbers as under CPython 3.11.
 *
 * random.Random is a C type holding an MT19937 state; the module's
 * functions are methods of one hidden instance, as in CPython. seed(int)
 * feeds the absolute value's 32-bit words (least significant first) to
 * init_by_array; seed(str) uses the str's UTF-8 bytes followed by their
 * SHA-512 digest as a big-endian integer (CPython's version 2 seeding).
 */
#include "py.h"
#include "lang_int.h"
#include "types_int.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

#define MT_N 624
#define MT_M 397

typedef struct py_random {
    tl_object ob;
    uint32_t mt[MT_N];
    int index;
    double gauss_next;
    bool has_gauss;
} py_random;

extern py_type py_random_type;
#define R(o) ((py_random *)(o))

/* ---- MT19937 ------------------------------------------------------------------ */

static void init_genrand(py_random *r, uint32_t s)
{
    r->mt[0] = s;
    for (int i = 1; i < MT_N; i++)
        r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
    r->index = MT_N;
}

static void init_by_array(py_random *r, const uint32_t *key, size_t len)
{
    init_genrand(r, 19650218u);
    size_t i = 1, j = 0, k = MT_N > len ? MT_N : len;
    for (; k; k--) {
        r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
        i++;
        j++;
        if (i >= MT_N) {
            r->mt[0] = r->mt[MT_N - 1];
            i = 1;
        }
        if (j >= len)
            j = 0;
    }
    for (k = MT_N - 1; k; k--) {
        r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
        i++;
        if (i >= MT_N) {
            r->mt[0] = r->mt[MT_N - 1];
            i = 1;
        }
    }
    r->mt[0] = 0x80000000u;
    r->index = MT_N;
}

static uint32_t genrand(py_random *r)
{
    if (r->index >= MT_N) {
        for (int k = 0; k < MT_N; k++) {
            uint32_t y = (r->mt[k] & 0x80000000u) | (r->mt[(k + 1) % MT_N] & 0x7fffffffu);
            r->mt[k] = r->mt[(k + MT_M) % MT_N] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
        }
        r->index = 0;
    }
    uint32_t y = r->mt[r->index++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

static double random_double(py_random *r)
{
    uint32_t a = genrand(r) >> 5, b = genrand(r) >> 6;
    return ((double)a * 67108864.0 + (double)b) * (1.0 / 9007199254740992.0);
}

/* ---- SHA-512 (for str seeds) ------------------------------------------------------ */

static const uint64_t K512[80] = {
    0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full, 0xe9b5dba58189dbbcull, 0x3956c25bf348b538ull,
    0x59f111f1b605d019ull, 0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull, 0xd807aa98a3030242ull, 0x12835b0145706fbeull,
    0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull, 0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull,
    0xc19bf174cf692694ull, 0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull, 0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull,
    0x2de92c6f592b0275ull, 0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull, 0x983e5152ee66dfabull,
    0xa831c66d2db43210ull, 0xb00327c898fb213full, 0xbf597fc7beef0ee4ull, 0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull,
    0x06ca6351e003826full, 0x142929670a0e6e70ull, 0x27b70a8546d22ffcull, 0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull,
    0x53380d139d95b3dfull, 0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull, 0x92722c851482353bull,
    0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull, 0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull, 0xd192e819d6ef5218ull,
    0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull, 0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull,
    0x2748774cdf8eeb99ull, 0x34b0bcb5e19b48a8ull, 0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull, 0x5b9cca4f7763e373ull,
    0x682e6ff3d6b2b8a3ull, 0x748f82ee5defb2fcull, 0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
    0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull, 0xc67178f2e372532bull, 0xca273eceea26619cull,
    0xd186b8c721c0c207ull, 0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull, 0x06f067aa72176fbaull, 0x0a637dc5a2c898a6ull,
    0x113f9804bef90daeull, 0x1b710b35131c471bull, 0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull,
    0x431d67c49c100d4cull, 0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull, 0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull,
};

static uint64_t ror(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static void sha512_block(uint64_t h[8], const unsigned char *p)
{
    uint64_t w[80], s[8];
    for (int i = 0; i < 16; i++) {
        w[i] = 0;
        for (int b = 0; b < 8; b++)
            w[i] = (w[i] << 8) | p[i * 8 + b];
    }
    for (int i = 16; i < 80; i++) {
        uint64_t s0 = ror(w[i - 15], 1) ^ ror(w[i - 15], 8) ^ (w[i - 15] >> 7);
        uint64_t s1 = ror(w[i - 2], 19) ^ ror(w[i - 2], 61) ^ (w[i - 2] >> 6);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(s, h, sizeof s);
    for (int i = 0; i < 80; i++) {
        uint64_t S1 = ror(s[4], 14) ^ ror(s[4], 18) ^ ror(s[4], 41);
        uint64_t ch = (s[4] & s[5]) ^ (~s[4] & s[6]);
        uint64_t t1 = s[7] + S1 + ch + K512[i] + w[i];
        uint64_t S0 = ror(s[0], 28) ^ ror(s[0], 34) ^ ror(s[0], 39);
        uint64_t maj = (s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]);
        uint64_t t2 = S0 + maj;
        memmove(s + 1, s, 7 * sizeof *s);
        s[4] += t1;
        s[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        h[i] += s[i];
}

static void sha512(const unsigned char *data, size_t n, unsigned char out[64])
{
    uint64_t h[8] = {0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull, 0xa54ff53a5f1d36f1ull,
                     0x510e527fade682d1ull, 0x9b05688c2b3e6c1full, 0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull};
    size_t full = n / 128 * 128;
    for (size_t i = 0; i < full; i += 128)
        sha512_block(h, data + i);
    unsigned char last[256] = {0};
    size_t rest = n - full;
    memcpy(last, data + full, rest);
    last[rest] = 0x80;
    size_t blocks = rest + 17 > 128 ? 2 : 1;
    uint64_t bits = (uint64_t)n * 8;
    for (int b = 0; b < 8; b++)
        last[blocks * 128 - 1 - b] = (unsigned char)(bits >> (8 * b));
    for (size_t i = 0; i < blocks; i++)
        sha512_block(h, last + i * 128);
    for (int i = 0; i < 8; i++)
        for (int b = 0; b < 8; b++)
            out[i * 8 + b] = (unsigned char)(h[i] >> (56 - 8 * b));
}

/* ---- seeding --------------------------------------------------------------------------- */

/* init_by_array from a non-negative int's 32-bit words, least significant first. */
static int seed_from_int(py_random *r, py_obj *n)
{
    bool neg;
    char *hex = py_int_digits(n, 16, &neg);
    if (!hex)
        return py_err_no_memory(), -1;
    size_t len = strlen(hex), nwords = (len + 7) / 8;
    uint32_t *key = calloc(nwords ? nwords : 1, sizeof *key);
    if (!key) {
        free(hex);
        return py_err_no_memory(), -1;
    }
    for (size_t w = 0; w < nwords; w++) {
        size_t end = len - w * 8, start = end >= 8 ? end - 8 : 0;
        char chunk[9];
        memcpy(chunk, hex + start, end - start);
        chunk[end - start] = 0;
        key[w] = (uint32_t)strtoul(chunk, NULL, 16);
    }
    if (nwords == 0 || (nwords == 1 && key[0] == 0))
        nwords = 1;
    init_by_array(r, key, nwords);
    free(key);
    free(hex);
    r->has_gauss = false;
    return 0;
}

static int seed_obj(py_random *r, py_obj *a)
{
    if (!a || a == py_None) {
        uint32_t key[4] = {(uint32_t)time(NULL), (uint32_t)clock(), (uint32_t)(uintptr_t)r, 0x5eed};
        FILE *f = fopen("/dev/urandom", "rb");
        if (f) {
            if (fread(key, sizeof key, 1, f) != 1) {}
            fclose(f);
        }
        init_by_array(r, key, 4);
        r->has_gauss = false;
        return 0;
    }
    if (py_isinstance_exact(a, &py_int_type))
        return seed_from_int(r, a);
    /* Other numbers seed from their hash as an unsigned word (CPython's random_seed). */
    if (py_int_check(a) || py_isinstance_of(a, &py_float_type)) {
        intptr_t hv = py_hash(a);
        py_obj *h = hv == -1 && py_err_occurred() ? NULL : py_int_from_size((size_t)hv);
        int res = h ? seed_from_int(r, h) : -1;
        tl_xdecref(h);
        return res;
    }
    if (py_str_check(a) || py_isinstance_of(a, &py_bytes_type)) {
        const unsigned char *s = (const unsigned char *)(py_str_check(a) ? py_str_utf8(a) : py_bytes_data(a));
        size_t n = py_str_check(a) ? py_str_nbytes(a) : py_bytes_len(a);
        unsigned char *buf = malloc(n + 64);
        if (!buf)
            return py_err_no_memory(), -1;
        memcpy(buf, s, n);
        sha512(s, n, buf + n);
        /* The bytes as one big-endian integer, in hex. */
        char *hex = malloc(2 * (n + 64) + 1);
        if (!hex) {
            free(buf);
            return py_err_no_memory(), -1;
        }
        for (size_t i = 0; i < n + 64; i++)
            sprintf(hex + 2 * i, "%02x", buf[i]);
        py_obj *v = py_int_from_string(hex, 2 * (n + 64), 16);
        free(hex);
        free(buf);
        int res = v ? seed_from_int(r, v) : -1;
        tl_xdecref(v);
        return res;
    }
    py_err_format(py_exc_TypeError,
                  "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.");
    return -1;
}

/* ---- the algorithms of Lib/random.py -------------------------------------------------------- */

static py_obj *getrandbits(py_random *r, intptr_t k)
{
    if (k < 0) {
        py_err_format(py_exc_ValueError, "number of bits must be non-negative");
        return NULL;
    }
    if (k <= 32)
        return py_int_from_long(k ? genrand(r) >> (32 - k) : 0);
    size_t words = (size_t)(k + 31) / 32;
    char *hex = malloc(words * 8 + 1);
    if (!hex)
        return py_err_no_memory(), NULL;
    /* Words are produced least significant first; the last one is truncated. */
    uint32_t *w = malloc(words * sizeof *w);
    if (!w) {
        free(hex);
        return py_err_no_memory(), NULL;
    }
    intptr_t left = k;
    for (size_t i = 0; i < words; i++, left -= 32) {
        uint32_t x = genrand(r);
        if (left < 32)
            x >>= (32 - left);
        w[i] = x;
    }
    for (size_t i = 0; i < words; i++)
        sprintf(hex + 8 * i, "%08x", w[words - 1 - i]);
    py_obj *v = py_int_from_string(hex, words * 8, 16);
    free(w);
    free(hex);
    return v;
}

/* _randbelow_with_getrandbits(n): n > 0. */
static py_obj *randbelow(py_random *r, py_obj *n)
{
    py_obj *bl = py_call_method(n, "bit_length", NULL, 0);
    if (!bl)
        return NULL;
    intptr_t k = py_int_as_ssize(bl);
    tl_decref(bl);
    for (;;) {
        py_obj *x = getrandbits(r, k);
        if (!x)
            return NULL;
        int ge = py_richcompare_bool(x, n, PY_GE);
        if (ge == 0)
            return x;
        tl_decref(x);
        if (ge < 0)
            return NULL;
    }
}

static py_obj *randbelow_c(py_random *r, intptr_t n)
{
    py_obj *N = py_int_from_long(n);
    py_obj *v = N ? randbelow(r, N) : NULL;
    tl_xdecref(N);
    return v;
}

static intptr_t randbelow_i(py_random *r, intptr_t n)
{
    py_obj *v = randbelow_c(r, n);
    if (!v)
        return -1;
    intptr_t x = py_int_as_ssize(v);
    tl_decref(v);
    return x;
}

static int as_index_obj(py_obj *o, const char *what, py_obj **out)
{
    if (py_int_check(o)) {
        *out = py_newref(o);
        return 0;
    }
    py_type *t = py_type_of(o);
    if (t->nb_index) {
        *out = t->nb_index(o);
        return *out ? 0 : -1;
    }
    /* Lib/random.py falls back to int(x) and refuses a value that changes
     * (it also warns that the fallback is deprecated; tally does not). */
    if (py_isinstance_of(o, &py_float_type) && isfinite(py_float_value(o))) {
        double d = py_float_value(o);
        if (d != floor(d)) {
            py_err_format(py_exc_ValueError, "non-integer %s for randrange()",
                          strcmp(what, "start") == 0 ? "arg 1" : what);
            return -1;
        }
        *out = py_call1(&py_int_type.tl.ob, o);
        return *out ? 0 : -1;
    }
    py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer", py_type_name(t));
    return -1;
}

static py_obj *randrange(py_random *r, py_obj *start, py_obj *stop, py_obj *step)
{
    py_obj *a = NULL, *b = NULL, *s = NULL, *res = NULL, *width = NULL, *n = NULL, *k = NULL, *t = NULL;
    if (as_index_obj(start, "start", &a) < 0)
        return NULL;
    if (!stop || stop == py_None) {
        if (py_int_as_double(a) <= 0) {
            py_err_format(py_exc_ValueError, "empty range for randrange()");
            goto out;
        }
        res = randbelow(r, a);
        goto out;
    }
    if (as_index_obj(stop, "stop", &b) < 0)
        goto out;
    if (!(width = py_binary_op(b, a, PY_NB_SUBTRACT)))
        goto out;
    if (!step || step == py_None || (py_int_check(step) && py_int_is_small(step) && py_int_as_ssize(step) == 1)) {
        if (py_int_as_double(width) <= 0) {
            py_err_format(py_exc_ValueError, "empty range for randrange() (%S, %S, %S)", a, b, width);
            goto out;
        }
        if ((t = randbelow(r, width)))
            res = py_binary_op(a, t, PY_NB_ADD);
        goto out;
    }
    if (as_index_obj(step, "step", &s) < 0)
        goto out;
    double sd = py_int_as_double(s);
    if (sd > 0) {
        py_obj *one = py_int_from_long(1), *tmp = py_binary_op(width, s, PY_NB_ADD);
        py_obj *tmp2 = tmp ? py_binary_op(tmp, one, PY_NB_SUBTRACT) : NULL;
        n = tmp2 ? py_binary_op(tmp2, s, PY_NB_FLOOR_DIVIDE) : NULL;
        tl_xdecref(one);
        tl_xdecref(tmp);
        tl_xdecref(tmp2);
    } else if (sd < 0) {
        py_obj *one = py_int_from_long(1), *tmp = py_binary_op(width, s, PY_NB_ADD);
        py_obj *tmp2 = tmp ? py_binary_op(tmp, one, PY_NB_ADD) : NULL;
        n = tmp2 ? py_binary_op(tmp2, s, PY_NB_FLOOR_DIVIDE) : NULL;
        tl_xdecref(one);
        tl_xdecref(tmp);
        tl_xdecref(tmp2);
    } else {
        py_err_format(py_exc_ValueError, "zero step for randrange()");
        goto out;
    }
    if (!n)
        goto out;
    if (py_int_as_double(n) <= 0) {
        py_err_format(py_exc_ValueError, "empty range for randrange()");
        goto out;
    }
    if ((k = randbelow(r, n)) && (t = py_binary_op(s, k, PY_NB_MULTIPLY)))
        res = py_binary_op(a, t, PY_NB_ADD);
out:
    tl_xdecref(a);
    tl_xdecref(b);
    tl_xdecref(s);
    tl_xdecref(width);
    tl_xdecref(n);
    tl_xdecref(k);
    tl_xdecref(t);
    return res;
}

/* ---- methods ------------------------------------------------------------------------------------ */

#define RFN(name) static py_obj *r_##name(py_obj *c, py_obj *const *args, size_t nargs, py_obj *kwnames)

RFN(seed)
{
    py_obj *a[2];
    if (py_parse_args("seed", args + 1, nargs - 1, kwnames, "|a version", a) < 0)
        return NULL;
    if (seed_obj(R(args[0]), a[0]) < 0)
        return NULL;
    py_RETURN_NONE;
}

RFN(random)
{
    if (nargs != 1)
        return py_err_format(py_exc_TypeError, "random() takes no arguments (%zd given)", (intptr_t)nargs - 1), NULL;
    return py_float_new(random_double(R(args[0])));
}

RFN(getrandbits)
{
    intptr_t k;
    if (nargs != 2)
        return py_err_format(py_exc_TypeError, "getrandbits() takes exactly one argument (%zd given)", (intptr_t)nargs - 1), NULL;
    if (py_index(args[1], &k) < 0)
        return NULL;
    return getrandbits(R(args[0]), k);
}

RFN(randrange)
{
    py_obj *a[3];
    if (py_parse_args("randrange", args + 1, nargs - 1, kwnames, "start|stop step", a) < 0)
        return NULL;
    return randrange(R(args[0]), a[0], a[1], a[2]);
}

RFN(randint)
{
    py_obj *a[2];
    if (py_parse_args("randint", args + 1, nargs - 1, kwnames, "a b", a) < 0)
        return NULL;
    py_obj *one = py_int_from_long(1), *stop = py_binary_op(a[1], one, PY_NB_ADD);
    tl_decref(one);
    py_obj *r = stop ? randrange(R(args[0]), a[0], stop, NULL) : NULL;
    tl_xdecref(stop);
    return r;
}

RFN(choice)
{
    if (nargs != 2)
        return py_err_format(py_exc_TypeError, "choice() takes exactly one argument"), NULL;
    intptr_t n = py_len(args[1]);
    if (n < 0)
        return NULL;
    if (n == 0) {
        py_err_format(py_exc_IndexError, "Cannot choose from an empty sequence");
        return NULL;
    }
    py_obj *i = randbelow_c(R(args[0]), n);
    py_obj *v = i ? py_getitem(args[1], i) : NULL;
    tl_xdecref(i);
    return v;
}

RFN(shuffle)
{
    if (nargs != 2)
        return py_err_format(py_exc_TypeError, "shuffle() takes exactly one argument"), NULL;
    py_obj *x = args[1];
    intptr_t n = py_len(x);
    if (n < 0)
        return NULL;
    for (intptr_t i = n - 1; i > 0; i--) {
        intptr_t j = randbelow_i(R(args[0]), i + 1);
        if (j < 0)
            return NULL;
        py_obj *I = py_int_from_long(i), *J = py_int_from_long(j);
        py_obj *xi = py_getitem(x, I), *xj = py_getitem(x, J);
        int r = (xi && xj) ? py_setitem(x, I, xj) : -1;
        if (r == 0)
            r = py_setitem(x, J, xi);
        tl_xdecref(I);
        tl_xdecref(J);
        tl_xdecref(xi);
        tl_xdecref(xj);
        if (r < 0)
            return NULL;
    }
    py_RETURN_NONE;
}

/* population[i] for a sequence (no copy: a range of any length is fine). */
static py_obj *seq_item(py_obj *seq, intptr_t i)
{
    if (py_isinstance_exact(seq, &py_list_type))
        return py_newref(py_list_items(seq)[i]);
    if (py_isinstance_exact(seq, &py_tuple_type))
        return py_newref(py_tuple_items(seq)[i]);
    py_obj *idx = py_int_from_long(i);
    py_obj *v = idx ? py_getitem(seq, idx) : NULL;
    tl_xdecref(idx);
    return v;
}

/* isinstance(x, collections.abc.Sequence) for the built-in types tally has. */
static bool is_sequence(py_obj *x)
{
    return py_isinstance_of(x, &py_list_type) || py_isinstance_of(x, &py_tuple_type) ||
           py_isinstance_of(x, &py_str_type) || py_isinstance_of(x, &py_range_type) ||
           py_isinstance_of(x, &py_bytes_type);
}

/* bisect.bisect_right(a, x, 0, hi) over a list of numbers. */
static intptr_t bisect_right(py_obj *a, py_obj *x, intptr_t hi)
{
    intptr_t lo = 0;
    while (lo < hi) {
        intptr_t mid = (lo + hi) / 2;
        int lt = py_richcompare_bool(x, py_list_items(a)[mid], PY_LT);
        if (lt < 0)
            return -1;
        if (lt)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* list(itertools.accumulate(iterable)) */
static py_obj *accumulate(py_obj *iterable)
{
    py_obj *l = py_sequence_to_list(iterable);
    for (intptr_t i = 1; l && i < py_list_size(l); i++) {
        py_obj *s = py_binary_op(py_list_items(l)[i - 1], py_list_items(l)[i], PY_NB_ADD);
        if (!s)
            TL_CLEAR(l);
        else
            tl_setref(&py_list_items(l)[i], s);
    }
    return l;
}

/* Random.sample(population, k) without counts: Lib/random.py's pool or set method. */
static py_obj *sample_plain(py_random *r, py_obj *pop, intptr_t n, intptr_t k)
{
    intptr_t setsize = 21;
    if (k > 5)
        setsize += (intptr_t)pow(4.0, ceil(log((double)(k * 3)) / log(4.0)));
    py_obj *result = py_list_new((size_t)k);
    py_obj *pool = result && n <= setsize ? py_sequence_to_list(pop) : NULL;
    py_obj *selected = result && !pool && n > setsize ? py_set_new(NULL) : NULL;
    if (!pool && !selected)
        goto fail;
    for (intptr_t i = 0; i < k; i++) {
        intptr_t j = randbelow_i(r, pool ? n - i : n);
        if (j < 0)
            goto fail;
        if (pool) {
            py_list_items(result)[i] = py_newref(py_list_items(pool)[j]);
            tl_setref(&py_list_items(pool)[j], py_newref(py_list_items(pool)[n - i - 1]));
            continue;
        }
        py_obj *J = py_int_from_long(j);
        int in = J ? py_set_contains(selected, J) : -1;
        if (in == 0 && py_set_add(selected, J) < 0)
            in = -1;
        tl_xdecref(J);
        if (in < 0)
            goto fail;
        if (in) {
            i--;
            continue;
        }
        if (!(py_list_items(result)[i] = seq_item(pop, j)))
            goto fail;
    }
    tl_xdecref(pool);
    tl_xdecref(selected);
    return result;
fail:
    /* Unfilled slots are NULL; the list's dealloc skips them. */
    tl_xdecref(result);
    tl_xdecref(pool);
    tl_xdecref(selected);
    return NULL;
}

/* sample(population, k, counts=...): a sample of range(total) mapped through the cumulative counts. */
static py_obj *sample_counts(py_random *r, py_obj *pop, intptr_t n, py_obj *counts, intptr_t k)
{
    py_obj *cum = accumulate(counts), *res = NULL, *range = NULL, *sel = NULL;
    if (!cum)
        return NULL;
    if (py_list_size(cum) != n) {
        py_err_format(py_exc_ValueError, "The number of counts does not match the population");
        goto out;
    }
    py_obj *total = n ? py_list_items(cum)[n - 1] : NULL;
    if (!total || !py_int_check(total)) {
        py_err_format(py_exc_TypeError, total ? "Counts must be integers" : "list index out of range");
        goto out;
    }
    if (py_int_as_double(total) <= 0) {
        py_err_format(py_exc_ValueError, "Total of counts must be greater than zero");
        goto out;
    }
    intptr_t tot = py_int_as_ssize(total);
    if (tot < 0 || !(range = py_call1(&py_range_type.tl.ob, total)))
        goto out;
    if (k < 0 || k > tot) {
        py_err_format(py_exc_ValueError, "Sample larger than population or is negative");
        goto out;
    }
    if (!(sel = sample_plain(r, range, tot, k)) || !(res = py_list_new((size_t)k)))
        goto out;
    for (intptr_t i = 0; i < k; i++) {
        intptr_t j = bisect_right(cum, py_list_items(sel)[i], n - 1);
        if (j < 0 || !(py_list_items(res)[i] = seq_item(pop, j))) {
            TL_CLEAR(res);
            break;
        }
    }
out:
    tl_decref(cum);
    tl_xdecref(range);
    tl_xdecref(sel);
    return res;
}

RFN(sample)
{
    py_obj *a[3];
    intptr_t k;
    if (py_parse_args("sample", args + 1, nargs - 1, kwnames, "population k$counts", a) < 0)
        return NULL;
    if (!is_sequence(a[0])) {
        py_err_format(py_exc_TypeError, "Population must be a sequence.  For dicts or sets, use sorted(d).");
        return NULL;
    }
    intptr_t n = py_len(a[0]);
    if (n < 0 || py_index(a[1], &k) < 0)
        return NULL;
    if (a[2] && a[2] != py_None)
        return sample_counts(R(args[0]), a[0], n, a[2], k);
    if (k < 0 || k > n) {
        py_err_format(py_exc_ValueError, "Sample larger than population or is negative");
        return NULL;
    }
    return sample_plain(R(args[0]), a[0], n, k);
}

/* The cumulative weights of choices(), checked as Lib/random.py does; *total their sum as a float. */
static py_obj *choice_weights(py_obj *weights, py_obj *cw, intptr_t n, double *total)
{
    py_obj *cum;
    if (weights && cw) {
        py_err_format(py_exc_TypeError, "Cannot specify both weights and cumulative weights");
        return NULL;
    }
    if (weights && py_int_check(weights)) {
        py_err_format(py_exc_TypeError, "The number of choices must be a keyword argument: k=%S", weights);
        return NULL;
    }
    if (!(cum = weights ? accumulate(weights) : py_sequence_to_list(cw)))
        return NULL;
    if (py_list_size(cum) != n) {
        py_err_format(py_exc_ValueError, "The number of weights does not match the population");
        goto fail;
    }
    py_obj *zero = py_float_new(0.0);
    py_obj *t = zero && n ? py_binary_op(py_list_items(cum)[n - 1], zero, PY_NB_ADD) : NULL;
    tl_xdecref(zero);
    if (!t) {
        if (!n)
            py_err_format(py_exc_IndexError, "list index out of range");
        goto fail;
    }
    *total = py_isinstance_of(t, &py_float_type) ? py_float_value(t) : 0.0;
    tl_decref(t);
    if (*total <= 0.0) {
        py_err_format(py_exc_ValueError, "Total of weights must be greater than zero");
        goto fail;
    }
    if (!isfinite(*total)) {
        py_err_format(py_exc_ValueError, "Total of weights must be finite");
        goto fail;
    }
    return cum;
fail:
    tl_decref(cum);
    return NULL;
}

/* One draw of choices(): floor(random() * n), or bisect of random() * total in cum. */
static py_obj *choose_one(py_random *r, py_obj *pop, intptr_t n, py_obj *cum, double total)
{
    intptr_t j;
    if (!cum) {
        j = (intptr_t)floor(random_double(r) * (double)n);
    } else {
        py_obj *x = py_float_new(random_double(r) * total);
        j = x ? bisect_right(cum, x, n - 1) : -1;
        tl_xdecref(x);
        if (j < 0)
            return NULL;
    }
    return seq_item(pop, j);
}

RFN(choices)
{
    py_obj *a[4];
    if (py_parse_args("choices", args + 1, nargs - 1, kwnames, "population|weights$cum_weights k", a) < 0)
        return NULL;
    intptr_t k = 1, n = py_len(a[0]);
    if (n < 0 || (a[3] && py_index(a[3], &k) < 0))
        return NULL;
    py_obj *weights = a[1] && a[1] != py_None ? a[1] : NULL, *cw = a[2] && a[2] != py_None ? a[2] : NULL;
    py_obj *cum = NULL;
    double total = 0.0;
    if ((weights || cw) && !(cum = choice_weights(weights, cw, n, &total)))
        return NULL;
    py_obj *out = py_list_new(0);
    for (intptr_t i = 0; out && i < k; i++) {
        py_obj *v = choose_one(R(args[0]), a[0], n, cum, total);
        if (!v || py_list_append(out, v) < 0)
            TL_CLEAR(out);
        tl_xdecref(v);
    }
    tl_xdecref(cum);
    return out;
}

/* float(x) for the distributions' parameters. */
static int real_of(py_obj *o, double *out)
{
    if (py_isinstance_of(o, &py_float_type)) {
        *out = py_float_value(o);
        return 0;
    }
    if (py_int_check(o)) {
        *out = py_int_as_double(o);
        return py_err_occurred() ? -1 : 0;
    }
    py_unaryfunc f = py_type_of(o)->nb_float;
    py_obj *v = f ? f(o) : NULL;
    if (v && py_isinstance_of(v, &py_float_type)) {
        *out = py_float_value(v);
        tl_decref(v);
        return 0;
    }
    tl_xdecref(v);
    if (!py_err_occurred())
        py_err_format(py_exc_TypeError, "must be real number, not %s", py_type_name(py_type_of(o)));
    return -1;
}

/* Parses a distribution's parameters (spec as py_parse_args) into doubles;
 * absent ones keep the value already in out. */
static int real_args(const char *fn, py_obj *const *args, size_t nargs, py_obj *kwnames, const char *spec,
                     double *out, int n)
{
    py_obj *a[4];
    if (py_parse_args(fn, args + 1, nargs - 1, kwnames, spec, a) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (a[i] && real_of(a[i], &out[i]) < 0)
            return -1;
    return 0;
}

static py_obj *float_quotient(double num, double den)
{
    if (den == 0.0) {
        py_err_format(py_exc_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return py_float_new(num / den);
}

RFN(uniform)
{
    double v[2];
    if (real_args("uniform", args, nargs, kwnames, "a b", v, 2) < 0)
        return NULL;
    return py_float_new(v[0] + (v[1] - v[0]) * random_double(R(args[0])));
}

RFN(triangular)
{
    py_obj *a[3];
    double low = 0.0, high = 1.0, cm = 0.5, mode;
    if (py_parse_args("triangular", args + 1, nargs - 1, kwnames, "|low high mode", a) < 0 ||
        (a[0] && real_of(a[0], &low) < 0) || (a[1] && real_of(a[1], &high) < 0))
        return NULL;
    double u = random_double(R(args[0]));
    if (a[2] && a[2] != py_None) {
        if (real_of(a[2], &mode) < 0)
            return NULL;
        if (high - low == 0.0)
            return a[0] ? py_newref(a[0]) : py_float_new(low);
        cm = (mode - low) / (high - low);
    }
    if (u > cm) {
        u = 1.0 - u;
        cm = 1.0 - cm;
        double t = low; low = high; high = t;
    }
    return py_float_new(low + (high - low) * sqrt(u * cm));
}

static double normal_draw(py_random *r)
{
    const double nv_magic = 4 * exp(-0.5) / sqrt(2.0);
    for (;;) {
        double u1 = random_double(r), u2 = 1.0 - random_double(r);
        double z = nv_magic * (u1 - 0.5) / u2;
        if (z * z / 4.0 <= -log(u2))
            return z;
    }
}

RFN(normalvariate)
{
    double v[2] = {0.0, 1.0};
    if (real_args("normalvariate", args, nargs, kwnames, "|mu sigma", v, 2) < 0)
        return NULL;
    return py_float_new(v[0] + normal_draw(R(args[0])) * v[1]);
}

RFN(lognormvariate)
{
    double v[2];
    if (real_args("lognormvariate", args, nargs, kwnames, "mu sigma", v, 2) < 0)
        return NULL;
    double x = exp(v[0] + normal_draw(R(args[0])) * v[1]);
    if (isinf(x)) {
        py_err_format(py_exc_OverflowError, "math range error");
        return NULL;
    }
    return py_float_new(x);
}

RFN(gauss)
{
    double v[2] = {0.0, 1.0};
    if (real_args("gauss", args, nargs, kwnames, "|mu sigma", v, 2) < 0)
        return NULL;
    py_random *r = R(args[0]);
    double z;
    if (r->has_gauss) {
        z = r->gauss_next;
        r->has_gauss = false;
    } else {
        double x2pi = random_double(r) * (2.0 * M_PI);
        double g2rad = sqrt(-2.0 * log(1.0 - random_double(r)));
        z = cos(x2pi) * g2rad;
        r->gauss_next = sin(x2pi) * g2rad;
        r->has_gauss = true;
    }
    return py_float_new(v[0] + z * v[1]);
}

RFN(expovariate)
{
    double l;
    if (real_args("expovariate", args, nargs, kwnames, "lambd", &l, 1) < 0)
        return NULL;
    return float_quotient(-log(1.0 - random_double(R(args[0]))), l);
}

RFN(vonmisesvariate)
{
    double v[2];
    if (real_args("vonmisesvariate", args, nargs, kwnames, "mu kappa", v, 2) < 0)
        return NULL;
    py_random *r = R(args[0]);
    double mu = v[0], kappa = v[1], z, twopi = 2.0 * M_PI;
    if (kappa <= 1e-6)
        return py_float_new(twopi * random_double(r));
    double s = 0.5 / kappa, rr = s + sqrt(1.0 + s * s);
    for (;;) {
        z = cos(M_PI * random_double(r));
        double d = z / (rr + z), u2 = random_double(r);
        if (u2 < 1.0 - d * d || u2 <= (1.0 - d) * exp(d))
            break;
    }
    double q = 1.0 / rr, f = (q + z) / (1.0 + q * z);
    double theta = random_double(r) > 0.5 ? mu + acos(f) : mu - acos(f);
    double m = fmod(theta, twopi);     /* Python's float %: the sign of the divisor */
    if (m < 0.0)
        m += twopi;
    else if (m == 0.0)
        m = 0.0;
    return py_float_new(m);
}

/* Lib/random.py's gammavariate for alpha, beta > 0 (checked by the caller). */
static double gamma_draw(py_random *r, double alpha, double beta)
{
    if (alpha > 1.0) {
        double ainv = sqrt(2.0 * alpha - 1.0), bbb = alpha - log(4.0), ccc = alpha + ainv;
        for (;;) {
            double u1 = random_double(r);
            if (!(1e-7 < u1 && u1 < 0.9999999))
                continue;
            double u2 = 1.0 - random_double(r);
            double v = log(u1 / (1.0 - u1)) / ainv, x = alpha * exp(v);
            double z = u1 * u1 * u2, rr = bbb + ccc * v - x;
            if (rr + (1.0 + log(4.5)) - 4.5 * z >= 0.0 || rr >= log(z))
                return x * beta;
        }
    }
    if (alpha == 1.0)
        return -log(1.0 - random_double(r)) * beta;
    for (;;) {
        double u = random_double(r), b = (M_E + alpha) / M_E, p = b * u, x;
        x = p <= 1.0 ? pow(p, 1.0 / alpha) : -log((b - p) / alpha);
        double u1 = random_double(r);
        if (p > 1.0 ? u1 <= pow(x, alpha - 1.0) : u1 <= exp(-x))
            return x * beta;
    }
}

static int gamma_check(double alpha, double beta)
{
    if (alpha <= 0.0 || beta <= 0.0) {
        py_err_format(py_exc_ValueError, "gammavariate: alpha and beta must be > 0.0");
        return -1;
    }
    return 0;
}

RFN(gammavariate)
{
    double v[2];
    if (real_args("gammavariate", args, nargs, kwnames, "alpha beta", v, 2) < 0 || gamma_check(v[0], v[1]) < 0)
        return NULL;
    return py_float_new(gamma_draw(R(args[0]), v[0], v[1]));
}

RFN(betavariate)
{
    double v[2];
    if (real_args("betavariate", args, nargs, kwnames, "alpha beta", v, 2) < 0 || gamma_check(v[0], 1.0) < 0)
        return NULL;
    double y = gamma_draw(R(args[0]), v[0], 1.0);
    if (y == 0.0)
        return py_float_new(0.0);
    if (gamma_check(v[1], 1.0) < 0)
        return NULL;
    return py_float_new(y / (y + gamma_draw(R(args[0]), v[1], 1.0)));
}

RFN(paretovariate)
{
    double alpha;
    if (real_args("paretovariate", args, nargs, kwnames, "alpha", &alpha, 1) < 0)
        return NULL;
    if (alpha == 0.0)
        return float_quotient(-1.0, 0.0);
    return py_float_new(pow(1.0 - random_double(R(args[0])), -1.0 / alpha));
}

RFN(weibullvariate)
{
    double v[2];
    if (real_args("weibullvariate", args, nargs, kwnames, "alpha beta", v, 2) < 0)
        return NULL;
    if (v[1] == 0.0)
        return float_quotient(1.0, 0.0);
    double u = 1.0 - random_double(R(args[0]));
    return py_float_new(v[0] * pow(-log(u), 1.0 / v[1]));
}

RFN(randbytes)
{
    intptr_t n;
    if (py_check_args("randbytes", nargs - 1, kwnames, 1, 1) < 0 || py_index(args[1], &n) < 0)
        return NULL;
    if (n < 0) {
        py_err_format(py_exc_ValueError, "number of bits must be non-negative");
        return NULL;
    }
    unsigned char *buf = tl_heap_alloc(vm.heap, (size_t)n + 4);
    if (!buf)
        return py_err_no_memory(), NULL;
    /* getrandbits(8n).to_bytes(n, 'little'): words least significant first,
     * the last one keeping its high bits. */
    for (intptr_t i = 0; i < n; i += 4) {
        intptr_t left = n - i;
        uint32_t w = genrand(R(args[0]));
        if (left < 4)
            w >>= 32 - 8 * left;
        for (int b = 0; b < 4; b++)
            buf[i + b] = (unsigned char)(w >> (8 * b));
    }
    py_obj *r = py_bytes_new((const char *)buf, (size_t)n);
    tl_heap_free(buf);
    return r;
}

/* getstate(): (3, the 624 words and the position, gauss_next), as CPython. */
RFN(getstate)
{
    py_random *r = R(args[0]);
    if (py_check_args("getstate", nargs - 1, kwnames, 0, 0) < 0)
        return NULL;
    py_obj *words = py_tuple_new(MT_N + 1);
    for (int i = 0; words && i <= MT_N; i++)
        if (!(py_tuple_items(words)[i] = py_int_from_long(i < MT_N ? (long long)r->mt[i] : r->index)))
            TL_CLEAR(words);
    py_obj *g = r->has_gauss ? py_float_new(r->gauss_next) : py_newref(py_None);
    py_obj *three = py_int_from_long(3);
    py_obj *st = words && g && three ? py_tuple_pack(3, three, words, g) : NULL;
    tl_xdecref(words);
    tl_xdecref(g);
    tl_xdecref(three);
    return st;
}

static int load_state(py_random *r, py_obj *words)
{
    uint32_t mt[MT_N];
    if (!py_isinstance_of(words, &py_tuple_type) || py_tuple_size(words) != MT_N + 1) {
        py_err_format(py_exc_ValueError, "state vector is the wrong size");
        return -1;
    }
    for (int i = 0; i <= MT_N; i++) {
        int ovf;
        py_obj *w = py_tuple_items(words)[i];
        long long v = py_int_check(w) ? py_int_as_long(w, &ovf) : -1;
        if (!py_int_check(w) || ovf || v < 0 || v > UINT32_MAX || (i == MT_N && v > MT_N)) {
            py_err_format(py_exc_ValueError, i == MT_N ? "invalid state" : "invalid state vector");
            return -1;
        }
        if (i < MT_N)
            mt[i] = (uint32_t)v;
        else
            r->index = (int)v;
    }
    memcpy(r->mt, mt, sizeof mt);
    return 0;
}

RFN(setstate)
{
    if (py_check_args("setstate", nargs - 1, kwnames, 1, 1) < 0)
        return NULL;
    py_obj *st = args[1];
    if (!py_isinstance_of(st, &py_tuple_type) || py_tuple_size(st) != 3 || !py_int_check(py_tuple_items(st)[0]) ||
        py_int_as_double(py_tuple_items(st)[0]) != 3) {
        py_err_format(py_exc_ValueError, "state with version %S passed to Random.setstate() of version 3",
                      py_isinstance_of(st, &py_tuple_type) && py_tuple_size(st) ? py_tuple_items(st)[0] : py_None);
        return NULL;
    }
    py_random *r = R(args[0]);
    py_obj *g = py_tuple_items(st)[2];
    double gv = 0.0;
    if (g != py_None && real_of(g, &gv) < 0)
        return NULL;
    if (load_state(r, py_tuple_items(st)[1]) < 0)
        return NULL;
    r->has_gauss = g != py_None;
    r->gauss_next = gv;
    py_RETURN_NONE;
}

static py_obj *random_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_random *r = (py_random *)tl_object_new(vm.heap, &t->tl);
    if (!r)
        return py_err_no_memory(), NULL;
    if (seed_obj(r, nargs ? args[0] : NULL) < 0) {
        tl_decref(&r->ob);
        return NULL;
    }
    return &r->ob;
}

static const py_method_def random_methods[] = {
    {"seed", r_seed, NULL}, {"random", r_random, NULL}, {"getrandbits", r_getrandbits, NULL},
    {"randrange", r_randrange, NULL}, {"randint", r_randint, NULL}, {"choice", r_choice, NULL},
    {"shuffle", r_shuffle, NULL}, {"sample", r_sample, NULL}, {"choices", r_choices, NULL},
    {"uniform", r_uniform, NULL}, {"triangular", r_triangular, NULL}, {"gauss", r_gauss, NULL},
    {"normalvariate", r_normalvariate, NULL}, {"lognormvariate", r_lognormvariate, NULL},
    {"expovariate", r_expovariate, NULL}, {"vonmisesvariate", r_vonmisesvariate, NULL},
    {"gammavariate", r_gammavariate, NULL}, {"betavariate", r_betavariate, NULL},
    {"paretovariate", r_paretovariate, NULL}, {"weibullvariate", r_weibullvariate, NULL},
    {"randbytes", r_randbytes, NULL}, {"getstate", r_getstate, NULL}, {"setstate", r_setstate, NULL},
    {NULL, NULL, NULL},
};

py_type py_random_type = {
    PY_TYPE_HEAD("random.Random", sizeof(py_random), 0, 0),
    .pyflags = PY_TPFLAGS_BASETYPE,
    .tp_new = random_new,
    .methods = random_methods,
};

py_obj *py_init_random(void)
{
    if (py_type_ready(&py_random_type) < 0)
        return NULL;
    py_obj *m = py_module_new("random");
    py_obj *inst = m ? random_new(&py_random_type, NULL, 0, NULL) : NULL;
    if (!inst || py_dict_set_str(py_module_dict(m), "Random", &py_random_type.tl.ob) < 0) {
        tl_xdecref(inst);
        tl_xdecref(m);
        return NULL;
    }
    for (const py_method_def *d = random_methods; d->name; d++) {
        py_obj *bound = py_getattr_str(inst, d->name);
        if (!bound || py_module_add(m, d->name, bound) < 0) {
            tl_decref(inst);
            tl_decref(m);
            return NULL;
        }
    }
    tl_decref(inst);
    return m;
}
