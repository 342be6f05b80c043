/* fuzz_source.c — libFuzzer target: source text through lexer, parser,
 * compiler and VM.
 *
 * Each input gets a whole interpreter of its own: py_init() makes a fresh
 * heap, the input is compiled as a module ("exec") and, when it is safe to
 * run, executed as __main__; then py_fini() and py_release() shut everything
 * down exactly as the tally command does. A heap block still in use when the
 * heap is about to be released is a leak and fails the input (abort), as do
 * sanitizer reports and debug-heap reports.
 *
 * Running is bounded: the fuzzing build (PY_STEP_BUDGET) gives each run a
 * budget of calls and backward jumps, past which every loop iteration and
 * call raises RuntimeError, and the heap is capped (tl_heap_set_limit), so
 * loops, recursion and runaway allocation all end. Inputs that would sleep
 * or read stdin are compiled only.
 *
 * Output: the input's stdout goes to /dev/null; run with -close_fd_mask=2 to
 * silence tracebacks (libFuzzer's own reports still show).
 */
#include "../src/lang/py.h"
#include "../src/lang/lang_int.h"
#include "../src/lang/code.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* py_release() reports the blocks still in use on stderr. */
    setenv("TALLY_EXIT_STATS", "1", 1);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDOUT_FILENO);
        dup2(null, STDIN_FILENO);
        close(null);
    }
    return 0;
}

static bool has_word(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, w, k) == 0)
            return true;
    return false;
}

/* Whether running the program could wait on something else than itself. */
static bool bounded(const char *s, size_t n)
{
    static const char *const waits[] = {"sleep", "input", "stdin"};
    for (size_t i = 0; i < sizeof waits / sizeof *waits; i++)
        if (has_word(s, n, waits[i]))
            return false;
    return true;
}

#define STEP_BUDGET 20000              /* calls + backward jumps per input */
#define HEAP_CAP ((size_t)64 << 20)

static void run_source(const char *src, size_t n)
{
    py_obj *code = py_compile(src, n, "<fuzz>", "exec");
    if (code && bounded(src, n)) {
        py_obj *main = py_module_new("__main__");
        if (main && py_dict_set_str(vm.modules, "__main__", main) == 0 &&
            py_dict_set_str(py_module_dict(main), "__builtins__", vm.builtins) == 0) {
            py_step_budget = STEP_BUDGET;
            tl_heap_set_limit(vm.heap, HEAP_CAP);
            py_obj *r = py_run_code(code, py_module_dict(main), py_module_dict(main), NULL);
            if (!r)
                py_handle_uncaught();
            tl_xdecref(r);
            tl_heap_set_limit(vm.heap, 0);
            py_step_budget = STEP_BUDGET;    /* finalizers at shutdown run on a fresh one */
        }
        tl_xdecref(main);
    }
    tl_xdecref(code);
    py_err_clear();
}

/* py_release() with stderr caught: returns the blocks it found in use. */
static long release_counting_leaks(void)
{
    FILE *t = tmpfile();
    int saved = dup(STDERR_FILENO);
    if (!t || saved < 0) {
        py_release();
        if (t)
            fclose(t);
        return 0;
    }
    fflush(stderr);
    dup2(fileno(t), STDERR_FILENO);
    py_release();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    long blocks = 0;
    char line[256];
    rewind(t);
    while (fgets(line, sizeof line, t)) {
        const char *p = strstr(line, "before the heap is released: ");
        if (p)
            blocks = strtol(p + strlen("before the heap is released: "), NULL, 10);
    }
    fclose(t);
    return blocks;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return -1;
    char *argv[] = {(char *)"<fuzz>", NULL};
    if (py_init(1, argv, "") < 0) {
        fputs("fuzz_source: the interpreter did not start\n", stderr);
        abort();
    }
    run_source((const char *)data, size);
    py_fini();
    py_step_budget = 0;
    long leaked = release_counting_leaks();
    if (leaked > 0) {
        fprintf(stderr, "fuzz_source: %ld heap blocks still in use at exit (a leak)\n", leaked);
        abort();
    }
    return 0;
}
