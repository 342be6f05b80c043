/* test_lang_sizes.c — sys.getsizeof reports tally's true object sizes, as
 * docs/sizes.md documents them row by row.  Where tally's layout is
 * CPython's, the figures are CPython 3.11's and tests/py checks them against
 * CPython's own output; the rows here are the ones where tally's layout is
 * its own (ints, bool, instances), so no CPython run can be the reference. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "lang/code.h"
#include "lang/lang_int.h"

static py_obj *ns; /* the namespace every snippet runs in */

static int setup_vm(void **state)
{
    (void)state;
    if (py_init(0, NULL, ".") < 0)
        return -1;
    py_obj *m = py_module_new("sizes");
    if (!m)
        return -1;
    ns = py_module_dict(m);
    tl_incref(ns);
    tl_decref(m);
    return 0;
}

/* The interpreter stays up until the process ends (as in test_lang_compile). */
static int teardown_vm(void **state)
{
    (void)state;
    return 0;
}

/* Runs src (statements) in the shared namespace; fails the test on error. */
static void run(const char *src)
{
    py_obj *co = py_compile(src, strlen(src), "sizes.py", "exec");
    assert_non_null(co);
    py_obj *r = py_run_code(co, ns, ns, NULL);
    tl_decref(co);
    if (!r) {
        py_obj *e = py_err_fetch();
        py_obj *s = e ? py_repr(e) : NULL;
        fail_msg("%s raised %s", src, s ? py_str_utf8(s) : "?");
    }
    tl_decref(r);
}

/* sys.getsizeof(expr), evaluated after setup statements in the namespace. */
static long long size_of(const char *expr)
{
    char src[512];
    snprintf(src, sizeof src, "import sys\n_r = sys.getsizeof(%s)\n", expr);
    run(src);
    py_obj *v = py_dict_get_str(ns, "_r");
    assert_non_null(v);
    int overflow = 0;
    long long n = py_int_as_long(v, &overflow);
    assert_int_equal(overflow, 0);
    return n;
}

static void expect_size(const char *expr, long long want)
{
    long long got = size_of(expr);
    if (got != want)
        fail_msg("sys.getsizeof(%s) = %lld, docs/sizes.md says %lld", expr, got, want);
}

/* "any int that fits 64 bits (except -2**63): header (16) + the value (8)". */
static void ints_within_64_bits_are_24_bytes(void **state)
{
    (void)state;
    const char *vals[] = { "0", "1", "-1", "255", "2**30", "2**62", "-(2**63) + 1",
                           "2**63 - 1", "True", "False" };
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
        expect_size(vals[i], 24);
}

/* "larger ints: 40 + 8 per 64-bit limb". */
static void big_ints_are_40_plus_8_per_limb(void **state)
{
    (void)state;
    expect_size("-(2**63)", 40 + 8 * 1); /* INT64_MIN marks the GMP form */
    expect_size("2**64", 40 + 8 * 2);
    expect_size("-(2**64)", 40 + 8 * 2);
    expect_size("2**127", 40 + 8 * 2);
    expect_size("2**128", 40 + 8 * 3);
    expect_size("10**100", 40 + 8 * 6); /* 333 bits */
}

/* The rows where tally matches CPython, checked here too so the table and
 * the code cannot drift apart unnoticed. */
static void fixed_size_objects(void **state)
{
    (void)state;
    expect_size("1.5", 24);
    expect_size("None", 16);
    expect_size("object()", 16);
    expect_size("''", 49);
    expect_size("'hello'", 54);
    expect_size("b'abc'", 36);
    expect_size("()", 40);
    expect_size("(1, 2, 3)", 64);
    expect_size("[]", 56);
    expect_size("{}", 64);
    expect_size("set()", 216);
}

/* "instance: 64 + 8 per slot; the first instance gets 4 slots, later ones
 * exactly the number the class has learnt". */
static void instances_are_64_plus_8_per_attribute_slot(void **state)
{
    (void)state;
    run("class P:\n"
        "    def __init__(self):\n"
        "        self.a = 1\n"
        "        self.b = 2\n"
        "first = P()\n"
        "later = P()\n"
        "class E:\n"
        "    pass\n");
    expect_size("first", 64 + 8 * 4);
    expect_size("later", 64 + 8 * 2);
    expect_size("E()", 64 + 8 * 4);
}

/* "__slots__ of n names: 64 + 8n from the first instance". */
static void slots_instances_hold_exactly_their_slots(void **state)
{
    (void)state;
    run("class S2:\n"
        "    __slots__ = ('x', 'y')\n"
        "class S3(S2):\n"
        "    __slots__ = ('z', '__weakref__')\n"
        "class S0:\n"
        "    __slots__ = ()\n");
    expect_size("S2()", 64 + 8 * 2);
    expect_size("S3()", 64 + 8 * 3);
    expect_size("S0()", 64);
}

/* "derived from int, str, bytes or tuple: the base's size + 32 + 16". */
static void var_sized_bases_keep_the_instance_part_in_front(void **state)
{
    (void)state;
    run("class I(int): pass\n"
        "class S(str): pass\n"
        "class B(bytes): pass\n"
        "class T(tuple): pass\n");
    expect_size("I(5)", 24 + 48);
    expect_size("I(2**64)", 56 + 48);
    expect_size("S('hello')", 54 + 48);
    expect_size("B(b'abc')", 36 + 48);
    expect_size("T((1, 2, 3))", 64 + 32); /* tuple already has the collector header */
}

/* getsizeof adds the collector header (16) to __sizeof__ for tracked objects. */
static void user_sizeof_plus_collector_header(void **state)
{
    (void)state;
    run("class S:\n"
        "    def __sizeof__(self):\n"
        "        return 100\n");
    expect_size("S()", 116);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ints_within_64_bits_are_24_bytes),
        cmocka_unit_test(big_ints_are_40_plus_8_per_limb),
        cmocka_unit_test(fixed_size_objects),
        cmocka_unit_test(instances_are_64_plus_8_per_attribute_slot),
        cmocka_unit_test(slots_instances_hold_exactly_their_slots),
        cmocka_unit_test(var_sized_bases_keep_the_instance_part_in_front),
        cmocka_unit_test(user_sizeof_plus_collector_header),
    };
    return cmocka_run_group_tests(tests, setup_vm, teardown_vm);
}
