/* test_lang_random.c — the random module draws exactly what CPython 3.11
 * draws: the Mersenne Twister seeded from ints of any sign and size and from
 * str (SHA-512 seeding), random(), getrandbits() below and above one word,
 * and the Lib/random.py algorithms built on them (randrange, shuffle,
 * sample's set method, gauss's cached second value). Every expected value
 * below was printed by CPython 3.11 for the same calls. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang_int.h"

py_obj *py_init_random(void);   /* mod_random.c */
static py_obj *mod;

/* The module is made by its init function directly: the interpreter's
 * import table refers to it weakly, which does not pull it from the
 * static library into a test binary. */
static int setup_vm(void **state)
{
    if (py_init(0, NULL, ".") < 0)
        return -1;
    mod = py_init_random();
    return mod ? 0 : -1;
}

/* The interpreter stays up until the process ends. */
static int teardown_vm(void **state)
{
    return 0;
}

/* --- helpers ------------------------------------------------------------------------ */

/* random.NAME(args...) with C ints as arguments; a new reference. */
static py_obj *call(const char *name, int n, const long long *ints)
{
    py_obj *args[4] = {NULL, NULL, NULL, NULL};
    assert_true(n <= 4);
    for (int i = 0; i < n; i++)
        assert_non_null(args[i] = py_int_from_long(ints[i]));
    py_obj *r = py_call_method(mod, name, args, (size_t)n);
    for (int i = 0; i < n; i++)
        tl_decref(args[i]);
    assert_non_null(r);
    return r;
}

static void seed_obj(py_obj *s)
{
    py_obj *r = py_call_method(mod, "seed", &s, 1);
    assert_non_null(r);
    tl_decref(r);
}

static void seed_int(long long s)
{
    py_obj *o = py_int_from_long(s);
    seed_obj(o);
    tl_decref(o);
}

static double call_float(const char *name)
{
    py_obj *r = call(name, 0, NULL);
    assert_true(py_isinstance_of(r, &py_float_type));
    double d = py_float_value(r);
    tl_decref(r);
    return d;
}

/* str(result of random.NAME(k)) compared with CPython's printed value. */
static void expect_repr(const char *name, int n, const long long *ints, const char *expected)
{
    py_obj *r = call(name, n, ints);
    py_obj *s = py_repr(r);
    assert_non_null(s);
    assert_string_equal(py_str_utf8(s), expected);
    tl_decref(s);
    tl_decref(r);
}

/* --- tests -------------------------------------------------------------------------- */

static void random_seed_small_ints_match_cpython(void **state)
{
    seed_int(0);
    assert_true(call_float("random") == 0.8444218515250481);
    assert_true(call_float("random") == 0.7579544029403025);
    assert_true(call_float("random") == 0.420571580830845);
    seed_int(42);
    assert_true(call_float("random") == 0.6394267984578837);
    assert_true(call_float("random") == 0.025010755222666936);
    assert_true(call_float("random") == 0.27502931836911926);
}

static void random_seed_uses_absolute_value_and_all_words(void **state)
{
    seed_int(-12345);
    assert_true(call_float("random") == 0.41661987254534116);
    assert_true(call_float("random") == 0.010169169457068361);
    seed_int(4294967301LL);     /* 2**32 + 5: two key words */
    assert_true(call_float("random") == 0.15727238718789782);
    assert_true(call_float("random") == 0.2824866316461999);
    assert_true(call_float("random") == 0.6044540318498407);
}

static void random_seed_str_hashes_with_sha512(void **state)
{
    py_obj *s = py_str_from_cstr("text seed");
    seed_obj(s);
    tl_decref(s);
    assert_true(call_float("random") == 0.6738372346382432);
    assert_true(call_float("random") == 0.2547485615216931);
    assert_true(call_float("random") == 0.6299713870240466);
}

static void random_getrandbits_one_word_and_several(void **state)
{
    static const long long k32[] = {32}, k70[] = {70};
    seed_int(0);
    call_float("random");
    call_float("random");
    call_float("random");
    expect_repr("getrandbits", 1, k32, "1112038970");
    expect_repr("getrandbits", 1, k70, "581280420167391163642");
    seed_int(42);
    for (int i = 0; i < 3; i++)
        call_float("random");
    expect_repr("getrandbits", 1, k32, "958682846");
    expect_repr("getrandbits", 1, k70, "124265960472762171881");
}

static void random_randrange_draws_as_cpython(void **state)
{
    static const long long n[] = {1000000};
    seed_int(-12345);
    for (int i = 0; i < 3; i++)
        call_float("random");
    static const long long k32[] = {32}, k70[] = {70};
    expect_repr("getrandbits", 1, k32, "1282648386");
    expect_repr("getrandbits", 1, k70, "1095153896404294457530");
    expect_repr("randrange", 1, n, "203068");
}

static void random_shuffle_and_sample_follow_lib_random(void **state)
{
    seed_int(7);
    py_obj *l = py_list_new(0);
    for (int i = 0; i < 10; i++) {
        py_obj *v = py_int_from_long(i);
        assert_int_equal(py_list_append(l, v), 0);
        tl_decref(v);
    }
    py_obj *r = py_call_method(mod, "shuffle", &l, 1);
    assert_non_null(r);
    tl_decref(r);
    py_obj *s = py_repr(l);
    assert_string_equal(py_str_utf8(s), "[8, 3, 1, 4, 7, 0, 9, 6, 2, 5]");
    tl_decref(s);
    tl_decref(l);

    /* sample(range(10**9), 3): the set method, indexing the range lazily. */
    seed_int(1);
    py_obj *big = py_int_from_long(1000000000), *three = py_int_from_long(3);
    py_obj *range = py_call1(&py_range_type.tl.ob, big);
    assert_non_null(range);
    py_obj *args[2] = {range, three};
    r = py_call_method(mod, "sample", args, 2);
    assert_non_null(r);
    s = py_repr(r);
    assert_string_equal(py_str_utf8(s), "[144272509, 611178002, 909925047]");
    tl_decref(s);
    tl_decref(r);
    tl_decref(range);
    tl_decref(big);
    tl_decref(three);
}

static void random_gauss_caches_its_second_value(void **state)
{
    seed_int(3);
    assert_true(call_float("gauss") == 0.09470803828730423);
    assert_true(call_float("gauss") == 1.2500243810835503);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_seed_small_ints_match_cpython),
        cmocka_unit_test(random_seed_uses_absolute_value_and_all_words),
        cmocka_unit_test(random_seed_str_hashes_with_sha512),
        cmocka_unit_test(random_getrandbits_one_word_and_several),
        cmocka_unit_test(random_randrange_draws_as_cpython),
        cmocka_unit_test(random_shuffle_and_sample_follow_lib_random),
        cmocka_unit_test(random_gauss_caches_its_second_value),
    };
    return cmocka_run_group_tests(tests, setup_vm, teardown_vm);
}
