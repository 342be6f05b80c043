/* test_examples.c — the C examples run and agree: binary_trees (libtally,
 * freed by reference counting) and binary_trees_plain (malloc/free) print the
 * same check lines, and the right ones, for depth 10. The examples are
 * looked up beside this test's build folder: BUILD/examples/. */
#define _GNU_SOURCE
#include "testutil.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char depth10[] =
    "stretch tree of depth 11\t check: 4095\n"
    "1024\t trees of depth 4\t check: 31744\n"
    "256\t trees of depth 6\t check: 32512\n"
    "64\t trees of depth 8\t check: 32704\n"
    "16\t trees of depth 10\t check: 32752\n"
    "long lived tree of depth 10\t check: 2047\n";

/* Runs BUILD/examples/NAME ARGS; returns its stdout (static buffer per call
 * site is the caller's), asserting it exited with status 0. */
static void run_example(const char *name, const char *args, char *out, size_t size)
{
    char self[PATH_MAX], cmd[PATH_MAX + 128];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = 0;
    char *tests_dir = dirname(self);             /* BUILD/tests */
    snprintf(cmd, sizeof cmd, "%s/../examples/%s", tests_dir, name);
    if (access(cmd, X_OK) != 0)
        fail_msg("%s is not built (make test builds it)", cmd);
    snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " %s 2>/dev/null", args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len = fread(out, 1, size - 1, p);
    out[len] = 0;
    int status = pclose(p);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void binary_trees_on_tally_and_on_malloc_print_the_same_checks(void **state)
{
    static char tally_out[4096], plain_out[4096];
    run_example("binary_trees", "10", tally_out, sizeof tally_out);
    run_example("binary_trees_plain", "10", plain_out, sizeof plain_out);
    assert_string_equal(tally_out, plain_out);
    assert_string_equal(tally_out, depth10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(binary_trees_on_tally_and_on_malloc_print_the_same_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
