/* repl.c — the interactive prompt: `tally` with no script, or `tally -i`.
 *
 * On a terminal, lines are read through libedit (line editing, history) with
 * CPython's prompts ">>> " and "... "; a statement that is not complete yet
 * (an open bracket, a block header, a continuation) gathers more lines until
 * it compiles, and a block ends with an empty line. Each statement is
 * compiled in "single" mode, so expression values are echoed through
 * sys.displayhook. Errors print a traceback and the session goes on;
 * SystemExit and end of input (Ctrl-D) end it. When standard input is not a
 * terminal, it is read whole and run as a script named <stdin>, as python3
 * does, unless -i asked for the prompt: then lines are read plainly, each
 * prompt written to stderr (python3 -i with piped input does the same).
 */
#include "../lang/py.h"
#include "../lang/lang_int.h"
#include "../lang/code.h"

#include <editline/readline.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static py_obj *main_dict(void)
{
    py_obj *m = py_dict_get_str(vm.modules, "__main__");
    if (m)
        return py_module_dict(m);
    m = py_module_new("__main__");
    if (!m || py_dict_set_str(vm.modules, "__main__", m) < 0 ||
        py_dict_set_str(py_module_dict(m), "__builtins__", py_builtins_module()) < 0) {
        tl_xdecref(m);
        return NULL;
    }
    tl_decref(m);
    return py_module_dict(m);
}

/* Whether a SyntaxError means the statement may continue on the next line. */
static bool incomplete(const char *src)
{
    if (!py_err_matches(py_exc_SyntaxError))
        return false;
    py_obj *e = py_err_fetch();
    py_obj *msg = NULL;
    bool more = false;
    if (py_getattr_opt(e, py_str_interned("msg"), &msg) > 0 && py_str_check(msg)) {
        const char *m = py_str_utf8(msg);
        more = strstr(m, "was never closed") || strstr(m, "unexpected EOF") ||
               strstr(m, "expected an indented block") || strstr(m, "unterminated triple-quoted");
    }
    py_err_clear();
    size_t n = strlen(src);
    while (n && (src[n - 1] == '\n' || src[n - 1] == ' '))
        n--;
    if (n && (src[n - 1] == ':' || src[n - 1] == '\\'))
        more = true;
    tl_xdecref(msg);
    if (!more)
        py_err_set_exc_raw(e);
    else
        tl_decref(e);
    return more;
}

/* Runs one compiled statement; returns false when the session must end. */
static bool run_statement(py_obj *code, py_obj *globals, int *status)
{
    py_obj *r = py_run_code(code, globals, globals, NULL);
    if (r) {
        tl_decref(r);
        return true;
    }
    if (py_err_matches(py_exc_SystemExit)) {
        *status = py_handle_uncaught();
        return false;
    }
    py_handle_uncaught();
    return true;
}

static int run_stdin_script(void)
{
    size_t cap = 4096, len = 0, got;
    char *src = malloc(cap);
    while (src && (got = fread(src + len, 1, cap - len - 1, stdin)) > 0) {
        len += got;
        if (len + 1 >= cap) {
            char *b = realloc(src, cap *= 2);
            if (!b) {
                free(src);
                src = NULL;
            } else {
                src = b;
            }
        }
    }
    if (!src)
        return 1;
    src[len] = 0;
    py_obj *g = main_dict();
    py_obj *code = g ? py_compile(src, len, "<stdin>", "exec") : NULL;
    free(src);
    if (!code)
        return py_handle_uncaught();
    int status = 0;
    run_statement(code, g, &status);
    tl_decref(code);
    return status;
}

/* One line without its newline (malloc'd), or NULL at end of input: through
 * libedit on a terminal, else a plain read after the prompt on stderr. */
static char *read_line(bool tty, const char *prompt)
{
    if (tty)
        return readline(prompt);
    fputs(prompt, stderr);
    fflush(stdout);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n && line[n - 1] == '\n')
        line[n - 1] = 0;
    return line;
}

int py_repl(bool forced)
{
    bool tty = isatty(0);
    if (!tty && !forced)
        return run_stdin_script();
    py_obj *g = main_dict();
    if (!g)
        return py_handle_uncaught();
    if (tty)
        fprintf(stderr, "tally %s (Python 3.11 memory semantics)\n"
                        "Type Ctrl-D to exit; gc, sys, weakref and ctypes show the heap at work.\n",
                TALLY_VERSION);
    int status = 0;
    char *buf = NULL;
    size_t len = 0;
    for (;;) {
        char *line = read_line(tty, buf ? "... " : ">>> ");
        if (!line) {
            fputc('\n', stderr);
            break;
        }
        if (*line && tty)
            add_history(line);
        size_t n = strlen(line);
        char *nb = realloc(buf, len + n + 2);
        if (!nb) {
            free(line);
            break;
        }
        buf = nb;
        memcpy(buf + len, line, n);
        len += n;
        buf[len++] = '\n';
        buf[len] = 0;
        bool block_end = n == 0;
        free(line);
        if (len == 1) {          /* an empty line at the prompt */
            len = 0;
            free(buf);
            buf = NULL;
            continue;
        }
        py_obj *code = py_compile(buf, len, "<stdin>", "single");
        if (!code && !block_end && incomplete(buf))
            continue;
        /* A block gathers lines until an empty one, even once it compiles. */
        if (code && !block_end && strchr(buf, '\n') != buf + len - 1) {
            tl_decref(code);
            continue;
        }
        if (code && !block_end && len > 1 && (buf[len - 2] == ':')) {
            tl_decref(code);
            continue;
        }
        free(buf);
        buf = NULL;
        len = 0;
        if (!code) {
            py_handle_uncaught();
            continue;
        }
        bool go_on = run_statement(code, g, &status);
        tl_decref(code);
        fflush(stdout);
        if (!go_on)
            break;
    }
    free(buf);
    return status;
}
