/* main.c — the tally command: `tally FILE [ARGS]`, `tally -c CODE`.
 *
 * Options follow python3's: -c runs a command, -X name[=value] sets an
 * implementation option, -i enters the REPL after the script. The process
 * exits with the script's status (1 after an uncaught exception, SystemExit's
 * code otherwise).
 */
#include "../lang/py.h"
#include "../lang/lang_int.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

int py_repl(bool forced);
int py_dis_main(const char *path, const char *command);
int py_apply_xoptions(const char *const *opts, int n);
#pragma weak py_repl

static void usage(FILE *f)
{
    fputs("usage: tally [option] ... [-c cmd | file] [arg] ...\n"
          "Options:\n"
          "  -c cmd   program passed in as string\n"
          "  -i       inspect interactively after running the script\n"
          "  -u       unbuffered stdout and stderr (also PYTHONUNBUFFERED=x)\n"
          "  -X opt   implementation option (tracemalloc, dis, max-memory=SIZE)\n"
          "  -h       print this help message and exit\n"
          "  -V       print the version and exit\n"
          "Environment: PYTHONUNBUFFERED, TALLY_MALLOC=debug, TALLY_FAIL_ALLOC=N[+], TALLY_STATS=1\n", f);
}

/* TALLY_STATS=1: one line on stderr after shutdown, before the heap is
 * released. The allocation count is only kept while a heap hook is on (the
 * debug heap, TALLY_FAIL_ALLOC): the fault-injection tests run a script once
 * with TALLY_FAIL_ALLOC set past its end to learn how many allocations it makes. */
static void print_stats(void)
{
    if (!getenv("TALLY_STATS") || !vm.heap)
        return;
    tl_heap_stats st;
    tl_heap_stats_get(vm.heap, &st);
    fprintf(stderr, "tally: stats: %llu allocations, %llu failed, %zu bytes at peak\n",
            (unsigned long long)st.allocations, (unsigned long long)tl_heap_failures(vm.heap),
            st.bytes_peak);
}

/* python3's complaint about a script it cannot open, with the script's
 * absolute path; false if the script can be read. */
static bool cannot_open(const char *prog, const char *script)
{
    FILE *f = fopen(script, "r");
    if (f) {
        fclose(f);
        return false;
    }
    int err = errno;
    char cwd[4096];
    bool rel = script[0] != '/' && getcwd(cwd, sizeof cwd);
    fprintf(stderr, "%s: can't open file '%s%s%s': [Errno %d] %s\n", prog, rel ? cwd : "", rel ? "/" : "",
            script, err, strerror(err));
    return true;
}

int main(int argc, char **argv)
{
    const char *command = NULL, *script = NULL;
    const char *unbuf_env = getenv("PYTHONUNBUFFERED");
    bool interactive = false, dis = false, unbuffered = unbuf_env && *unbuf_env, stdin_script = false;
    const char *xopts[16];
    int nx = 0;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-c") == 0) {
            if (i + 1 >= argc) {
                fputs("Argument expected for the -c option\n", stderr);
                return 2;
            }
            command = argv[++i];
            i++;
            break;
        } else if (strcmp(a, "-i") == 0) {
            interactive = true;
        } else if (strcmp(a, "-u") == 0) {
            unbuffered = true;
        } else if (strcmp(a, "-X") == 0 && i + 1 < argc) {
            const char *x = argv[++i];
            if (strcmp(x, "dis") == 0)
                dis = true;
            else if (nx < (int)(sizeof xopts / sizeof *xopts))
                xopts[nx++] = x;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
            printf("tally %s (Python 3.11 memory semantics)\n", TALLY_VERSION);
            return 0;
        } else if (strcmp(a, "-") == 0) {
            stdin_script = true;     /* the program comes from standard input */
            i++;
            break;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "Unknown option: %s\n", a);
            usage(stderr);
            return 2;
        } else {
            script = a;
            i++;
            break;
        }
    }
    if (unbuffered)
        setvbuf(stdout, NULL, _IONBF, 0); /* stderr is unbuffered already */
    if (script && cannot_open(argv[0], script))
        return 2;
    /* sys.argv: the script (or "-c") and what follows. */
    int nargs = argc - i + 1;
    char **args = calloc((size_t)nargs + 1, sizeof *args);
    if (!args)
        return 1;
    args[0] = (char *)(command ? "-c" : script ? script : stdin_script ? "-" : "");
    for (int k = 1; k < nargs; k++)
        args[k] = argv[i + k - 1];
    char *dircopy = script ? strdup(script) : NULL;
    const char *dir = dircopy ? dirname(dircopy) : "";
    if (dir && strcmp(dir, ".") == 0 && script && !strchr(script, '/'))
        dir = "";
    if (py_init(nargs, args, dir) < 0) {
        fputs("tally: failed to start the interpreter\n", stderr);
        free(dircopy);
        free(args);
        return 1;
    }
    int status = py_apply_xoptions(xopts, nx);
    if (status)
        ;
    else if (dis && (command || script))
        status = py_dis_main(script, command);
    else if (command || script)
        status = py_run_main(script, command);
    if ((interactive || (!command && !script)) && py_repl)
        status = py_repl(interactive);
    py_fini();
    print_stats();
    py_release();
    free(dircopy);
    free(args);
    return status;
}
