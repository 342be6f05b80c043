/* test_lang_compile.c — the compiler front end: tokens and their positions,
 * syntax errors as CPython 3.11 words and places them, scope analysis of
 * nested functions and classes, and the shape of compiled code (checked
 * through the disassembler, as ordered opcode sequences, not whole dumps). */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/code.h"
#include "lang/lang_int.h"
#include "lang/lexer.h"
#include "lang/symtable.h"

static int setup_vm(void **state)
{
    return py_init(0, NULL, ".") < 0 ? -1 : 0;
}

/* The interpreter stays up until the process ends: these tests check what
 * the compiler makes, not the interpreter's shutdown. */
static int teardown_vm(void **state)
{
    return 0;
}

/* --- helpers ------------------------------------------------------------------------ */

typedef struct toks { lx_token t[256]; int n; } toks;

/* Lexes src fully; returns -1 (and leaves the error set) on a lexer error. */
static int lex_all(const char *src, toks *out)
{
    lx_state lx;
    lx_init(&lx, src, strlen(src), "<test>");
    out->n = 0;
    for (;;) {
        assert_true(out->n < 256);
        if (lx_next(&lx, &out->t[out->n]) < 0)
            return -1;
        if (out->t[out->n++].kind == TK_ENDMARKER)
            return 0;
    }
}

static void expect_kinds(const toks *t, const lx_kind *kinds, int n)
{
    assert_int_equal(t->n, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(t->t[i].kind, kinds[i]);
}

/* repr() of the pending exception, as a heap string (caller frees). */
static char *fetch_error_repr(void)
{
    py_obj *e = py_err_fetch();
    assert_non_null(e);
    py_obj *r = py_repr(e);
    assert_non_null(r);
    char *s = strdup(py_str_utf8(r));
    tl_decref(r);
    tl_decref(e);
    return s;
}

/* Compiling src fails with an error whose repr contains each of parts. */
static void expect_error(const char *src, const char *mode, const char *const *parts, int n)
{
    py_obj *co = py_compile(src, strlen(src), "t.py", mode);
    assert_null(co);
    char *r = fetch_error_repr();
    for (int i = 0; i < n; i++) {
        if (!strstr(r, parts[i]))
            fail_msg("error %s lacks %s", r, parts[i]);
    }
    free(r);
}

#define EXPECT_ERROR(src, ...) do { \
        const char *const parts_[] = {__VA_ARGS__}; \
        expect_error((src), "exec", parts_, (int)(sizeof parts_ / sizeof *parts_)); \
    } while (0)

/* The disassembly of src (heap string). */
static char *dis_of(const char *src, const char *mode)
{
    py_obj *co = py_compile(src, strlen(src), "t.py", mode);
    if (!co) {
        char *r = fetch_error_repr();
        fail_msg("compile failed: %s", r);
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    py_code_dis(co, f);
    fclose(f);
    tl_decref(co);
    return text;
}

/* Each of ops appears in text, in this order. */
static void expect_sequence(const char *text, const char *const *ops, int n)
{
    const char *at = text;
    for (int i = 0; i < n; i++) {
        const char *hit = strstr(at, ops[i]);
        if (!hit)
            fail_msg("missing '%s' (in order) in:\n%s", ops[i], text);
        at = hit + strlen(ops[i]);
    }
}

#define EXPECT_CODE(src, ...) do { \
        const char *const ops_[] = {__VA_ARGS__}; \
        char *text_ = dis_of((src), "exec"); \
        expect_sequence(text_, ops_, (int)(sizeof ops_ / sizeof *ops_)); \
        free(text_); \
    } while (0)

static py_code *compile_ok(const char *src)
{
    py_obj *co = py_compile(src, strlen(src), "t.py", "exec");
    if (!co) {
        char *r = fetch_error_repr();
        fail_msg("compile failed: %s", r);
    }
    return py_code_cast(co);
}

/* The first code constant of co (new reference to the same object: borrowed). */
static py_code *nested_code(py_code *co, int which)
{
    for (intptr_t i = 0; i < py_tuple_size(co->consts); i++) {
        py_obj *k = py_tuple_items(co->consts)[i];
        if (py_type_of(k) == &py_code_type && which-- == 0)
            return py_code_cast(k);
    }
    fail_msg("no nested code object");
    return NULL;
}

static const char *localsplus(py_code *co, int i)
{
    return py_str_utf8(py_tuple_items(co->localsplusnames)[i]);
}

/* --- lexer ------------------------------------------------------------------------------ */

static void lexer_indent_dedent_and_blank_lines(void **state)
{
    toks t;
    assert_int_equal(lex_all("if x:\n    y\n\n    # c\n    z\nw\n", &t), 0);
    const lx_kind k[] = {KW_IF, TK_NAME, TK_COLON, TK_NEWLINE, TK_INDENT, TK_NAME, TK_NEWLINE,
                         TK_NAME, TK_NEWLINE, TK_DEDENT, TK_NAME, TK_NEWLINE, TK_ENDMARKER};
    expect_kinds(&t, k, 13);
    assert_int_equal(t.t[7].lineno, 5);
    assert_int_equal(t.t[7].col, 4);
}

static void lexer_dedents_at_end_of_input_without_newline(void **state)
{
    toks t;
    assert_int_equal(lex_all("def f():\n\tif a:\n\t\treturn 1", &t), 0);
    int dedents = 0;
    for (int i = 0; i < t.n; i++)
        dedents += t.t[i].kind == TK_DEDENT;
    assert_int_equal(dedents, 2);
    assert_int_equal(t.t[t.n - 4].kind, TK_NEWLINE);
}

static void lexer_brackets_join_lines_and_keep_positions(void **state)
{
    toks t;
    assert_int_equal(lex_all("a = (1,\n     2)\nb\n", &t), 0);
    const lx_kind k[] = {TK_NAME, TK_EQUAL, TK_LPAR, TK_NUMBER, TK_COMMA, TK_NUMBER, TK_RPAR,
                         TK_NEWLINE, TK_NAME, TK_NEWLINE, TK_ENDMARKER};
    expect_kinds(&t, k, 11);
    assert_int_equal(t.t[5].lineno, 2);
    assert_int_equal(t.t[5].col, 5);
    assert_int_equal(t.t[6].end_col, 7);
}

static void lexer_backslash_continuation(void **state)
{
    toks t;
    assert_int_equal(lex_all("x = 1 + \\\n    2\n", &t), 0);
    const lx_kind k[] = {TK_NAME, TK_EQUAL, TK_NUMBER, TK_PLUS, TK_NUMBER, TK_NEWLINE, TK_ENDMARKER};
    expect_kinds(&t, k, 7);
    assert_int_equal(t.t[4].lineno, 2);
}

static void lexer_numbers(void **state)
{
    toks t;
    assert_int_equal(lex_all("0x_FF 1_000 1.5e-3 .5 0o17 0b1 7. 1e10\n", &t), 0);
    const uint32_t lens[] = {5, 5, 6, 2, 4, 3, 2, 4};
    for (int i = 0; i < 8; i++) {
        assert_int_equal(t.t[i].kind, TK_NUMBER);
        assert_int_equal(t.t[i].len, lens[i]);
    }
}

static void lexer_strings_with_prefixes_and_triple_quotes(void **state)
{
    toks t;
    assert_int_equal(lex_all("rb'\\x' F\"{a['k']}\" '''one\ntwo''' x\n", &t), 0);
    assert_int_equal(t.t[0].kind, TK_STRING);
    assert_int_equal(t.t[0].len, 6);
    assert_int_equal(t.t[1].kind, TK_STRING);
    assert_int_equal(t.t[1].len, 11);
    assert_int_equal(t.t[2].kind, TK_STRING);
    assert_int_equal(t.t[2].end_lineno, 2);
    assert_int_equal(t.t[3].kind, TK_NAME);
    assert_int_equal(t.t[3].lineno, 2);
    assert_int_equal(t.t[3].col, 7);
}

static void lexer_columns_are_utf8_bytes(void **state)
{
    toks t;
    assert_int_equal(lex_all("\xc3\xa9t\xc3\xa9 = 'h\xc3\xa9'\n", &t), 0);
    assert_int_equal(t.t[0].kind, TK_NAME);
    assert_int_equal(t.t[0].len, 5);
    assert_int_equal(t.t[1].col, 6);
}

static void lexer_errors(void **state)
{
    EXPECT_ERROR("s = 'abc\n", "unterminated string literal (detected at line 1)", "1, 5");
    EXPECT_ERROR("s = '''abc\n\n", "unterminated triple-quoted string literal (detected at line 2)");
    EXPECT_ERROR("x = 01\n", "leading zeros in decimal integer literals are not permitted");
    EXPECT_ERROR("x = 0o8\n", "invalid digit '8' in octal literal");
    EXPECT_ERROR("x = 1abc\n", "invalid decimal literal");
    EXPECT_ERROR("[1, 2]]\n", "unmatched ']'");
    EXPECT_ERROR("(1,\n2]\n", "closing parenthesis ']' does not match opening parenthesis '(' on line 1");
    EXPECT_ERROR("print('start')\nresult = max(1, 2\n", "'(' was never closed", "2, 13");
    EXPECT_ERROR("if 1:\n  x\n y\n", "IndentationError", "unindent does not match any outer indentation level");
    EXPECT_ERROR("if x:\n\tif y:\n        pass\n", "TabError", "inconsistent use of tabs and spaces");
}

static void lexer_limits_bracket_nesting(void **state)
{
    char src[2100];
    int n = 0;
    n += sprintf(src, "x = ");
    for (int i = 0; i < 1000; i++)
        src[n++] = '(';
    src[n] = 0;
    EXPECT_ERROR(src, "too many nested parentheses");
}

/* --- parser -------------------------------------------------------------------------------- */

static void parser_error_messages(void **state)
{
    EXPECT_ERROR("x = 1\nif x == 1\n    print(x)\n", "expected ':'", "2, 10");
    EXPECT_ERROR("def f():\nreturn 1\n", "IndentationError",
                 "expected an indented block after function definition on line 1");
    EXPECT_ERROR("if x:\npass\n", "expected an indented block after 'if' statement on line 1");
    EXPECT_ERROR("x = 1\n    y = 2\n", "IndentationError", "unexpected indent");
    EXPECT_ERROR("1 = x\n", "cannot assign to literal here. Maybe you meant '==' instead of '='?");
    EXPECT_ERROR("x = 1 = y\n", "'cannot assign to literal'");
    EXPECT_ERROR("f() += 1\n", "'function call' is an illegal expression for augmented assignment");
    EXPECT_ERROR("del f()\n", "cannot delete function call");
    EXPECT_ERROR("f(a=1, 2)\n", "positional argument follows keyword argument");
    EXPECT_ERROR("f(a=1, a=2)\n", "keyword argument repeated: a");
    EXPECT_ERROR("print(1 2)\n", "invalid syntax. Perhaps you forgot a comma?");
    EXPECT_ERROR("x = 1 +\n", "'invalid syntax'", "1, 8");
    EXPECT_ERROR("try:\n  pass\n", "expected 'except' or 'finally' block");
    EXPECT_ERROR("def f(a=1, b): pass\n", "non-default argument follows default argument");
    EXPECT_ERROR("x = 1 if 2\n", "expected 'else' after 'if' expression");
    EXPECT_ERROR("f'{x!z}'\n", "f-string: invalid conversion character");
    EXPECT_ERROR("f'{}'\n", "f-string: empty expression not allowed");
    EXPECT_ERROR("b'\xc3\xa9'\n", "bytes can only contain ASCII literal characters");
    EXPECT_ERROR("'a' b'b'\n", "cannot mix bytes and nonbytes literals");
}

static void parser_limits_nesting_depth(void **state)
{
    size_t n = 200000;
    char *src = malloc(n + 16);
    assert_non_null(src);
    memset(src, '-', n);
    strcpy(src + n, "1\n");
    py_obj *co = py_compile(src, strlen(src), "t.py", "exec");
    assert_null(co);
    assert_true(py_err_matches(py_exc_MemoryError));
    py_err_clear();
    /* a bracket-free chain is bounded by the compiler instead */
    for (size_t i = 0; i < n; i += 2) {
        src[i] = 'a';
        src[i + 1] = '+';
    }
    strcpy(src + n, "a\n");
    co = py_compile(src, strlen(src), "t.py", "exec");
    assert_null(co);
    assert_true(py_err_matches(py_exc_RecursionError));
    py_err_clear();
    free(src);
}

static void parser_accepts_the_whole_subset(void **state)
{
    static const char src[] =
        "import a.b as c, d\nfrom .m import (x as y, z,)\nfrom m import *\n"
        "@dec\n@dec2(1)\ndef f(a, /, b=1, *args, c, d=2, **kw) -> int:\n"
        "    'doc'\n    global g\n    g = lambda x, *y, **z: x\n"
        "    return [i for i in args if i for j in kw], {k: v for k, v in kw.items()}, {*args}\n"
        "class C(B, metaclass=M):\n    x: int = 1\n    def m(self): return super().m()\n"
        "with open(p) as fh, lock:\n    pass\nwith (a as b, c as d):\n    pass\n"
        "try:\n    raise E from None\nexcept (A, B) as e:\n    pass\nexcept C:\n    pass\n"
        "else:\n    pass\nfinally:\n    pass\n"
        "for i, (j, *k) in x:\n    continue\nelse:\n    pass\n"
        "while a < b <= c is not d not in e:\n    break\n"
        "del a[1:2:3], b.c, (d, e)\nassert x, 'msg'\n"
        "x = a if b else c or not d and e | f ^ g & h << 1 >> 2 + 3 - 4 * 5 / 6 // 7 % 8 @ 9 ** -~+1\n"
        "s = f'{a!r:>{w}} {b=} {c:.2f}' 'plain' f\"{'q'}\"\n"
        "t = x[1:, ::2, ...], (), (1,), [*a, *b], {**d, 'k': 1}\n"
        "def gen():\n    y = yield\n    yield from range(3)\n    x = yield 1, 2\n"
        "a = b = c = 0\na += 1\na.b **= 2\na[0] //= 3\n";
    py_code *co = compile_ok(src);
    tl_decref(&co->ob);
}

/* --- symbol table ------------------------------------------------------------------------------ */

static st_scope *child(st_scope *s, const char *name)
{
    for (int i = 0; i < s->nchildren; i++)
        if (strcmp(s->children[i]->name, name) == 0)
            return s->children[i];
    fail_msg("no scope %s", name);
    return NULL;
}

static st_binding binding(st_table *t, st_scope *s, const char *name)
{
    const char *id = ast_intern(t->A, name, strlen(name));
    return st_binding_of(s, id);
}

static void symtable_classifies_nested_functions(void **state)
{
    static const char src[] =
        "g = 1\n"
        "def outer(a):\n"
        "    x = 1\n"
        "    y = 2\n"
        "    def inner():\n"
        "        nonlocal y\n"
        "        y = x + a + g\n"
        "        global h\n"
        "        h = len\n"
        "    class K:\n"
        "        x = 5\n"
        "        def m(self):\n"
        "            return x, super()\n"
        "    return inner\n";
    ast_arena arena;
    ast_arena_init(&arena);
    ast_module mod;
    st_table t;
    assert_int_equal(ast_parse(&arena, src, strlen(src), "t.py", AST_EXEC, &mod), 0);
    assert_int_equal(st_build(&t, &arena, &mod, "t.py", src, strlen(src)), 0);
    st_scope *outer = child(t.top, "outer"), *inner = child(outer, "inner");
    st_scope *k = child(outer, "K"), *m = child(k, "m");
    assert_int_equal(binding(&t, t.top, "g"), SC_LOCAL);
    assert_int_equal(binding(&t, outer, "a"), SC_CELL);
    assert_int_equal(binding(&t, outer, "x"), SC_CELL);
    assert_int_equal(binding(&t, outer, "y"), SC_CELL);
    assert_int_equal(binding(&t, outer, "inner"), SC_LOCAL);
    assert_int_equal(binding(&t, inner, "x"), SC_FREE);
    assert_int_equal(binding(&t, inner, "y"), SC_FREE);
    assert_int_equal(binding(&t, inner, "g"), SC_GLOBAL_IMPLICIT);
    assert_int_equal(binding(&t, inner, "h"), SC_GLOBAL_EXPLICIT);
    assert_int_equal(binding(&t, inner, "len"), SC_GLOBAL_IMPLICIT);
    /* the class's own x does not leak into m: m sees outer's x */
    assert_int_equal(binding(&t, k, "x"), SC_LOCAL);
    assert_int_equal(binding(&t, m, "x"), SC_FREE);
    assert_int_equal(binding(&t, m, "__class__"), SC_FREE);
    assert_true(k->needs_class_closure);
    assert_true(inner->nested);
    ast_arena_free(&arena);
}

static void symtable_errors(void **state)
{
    EXPECT_ERROR("nonlocal x\n", "nonlocal declaration not allowed at module level");
    EXPECT_ERROR("def f():\n  nonlocal x\n", "no binding for nonlocal 'x' found", "2, 3");
    EXPECT_ERROR("def f():\n  x = 1\n  global x\n", "name 'x' is assigned to before global declaration");
    EXPECT_ERROR("def f(x):\n  global x\n", "name 'x' is parameter and global");
    EXPECT_ERROR("def f(a, a): pass\n", "duplicate argument 'a' in function definition");
    EXPECT_ERROR("def f():\n  from m import *\n", "import * only allowed at module level");
    EXPECT_ERROR("yield x\n", "'yield' outside function");
    EXPECT_ERROR("class C:\n  return 1\n", "'return' outside function");
    EXPECT_ERROR("break\n", "'break' outside loop");
    EXPECT_ERROR("*a, *b = c\n", "multiple starred expressions in assignment");
}

/* --- code shapes ------------------------------------------------------------------------------------- */

static void code_assignment_stores_immediately(void **state)
{
    EXPECT_CODE("x = f()\n", "PUSH_NULL", "LOAD_NAME", "(f)", "CALL                     0",
                "STORE_NAME", "(x)", "RETURN_VALUE");
    EXPECT_CODE("a = b = c\n", "LOAD_NAME", "(c)", "COPY                     1", "STORE_NAME", "(a)",
                "STORE_NAME", "(b)");
    EXPECT_CODE("a, *b, c = t\n", "UNPACK_EX                257", "STORE_NAME", "(a)", "(b)", "(c)");
}

static void code_calls(void **state)
{
    EXPECT_CODE("o.m(1, k=2)\n", "LOAD_METHOD", "(m)", "KW_NAMES", "('k',)", "CALL                     2");
    EXPECT_CODE("f(*a, **k)\n", "PUSH_NULL", "BUILD_LIST               0", "LIST_EXTEND",
                "LIST_TO_TUPLE", "BUILD_MAP                0", "DICT_MERGE", "CALL_FUNCTION_EX         1");
}

static void code_for_keeps_iterator_and_break_pops_it(void **state)
{
    EXPECT_CODE("for x in y:\n    if x: break\nelse:\n    z\n", "GET_ITER", "FOR_ITER", "STORE_NAME",
                "POP_JUMP_IF_FALSE", "POP_TOP", "JUMP", "LOAD_NAME", "(z)");
}

static void code_try_except_binds_and_clears_name(void **state)
{
    EXPECT_CODE("try:\n    f()\nexcept E as e:\n    g(e)\n",
                "SETUP_FINALLY", "CALL", "POP_BLOCK", "JUMP",
                "SETUP_FINALLY", "PUSH_EXC_INFO", "LOAD_NAME", "(E)", "CHECK_EXC_MATCH",
                "POP_JUMP_IF_FALSE", "STORE_NAME", "(e)", "SETUP_FINALLY", "CALL",
                "POP_BLOCK", "POP_BLOCK", "POP_EXCEPT", "LOAD_CONST", "(None)", "STORE_NAME", "(e)",
                "DELETE_NAME", "(e)", "JUMP",
                "LOAD_CONST", "(None)", "STORE_NAME", "(e)", "DELETE_NAME", "(e)", "RERAISE",
                "RERAISE", "SWAP                     2", "POP_EXCEPT", "RERAISE");
}

static void code_try_finally_runs_body_on_every_exit(void **state)
{
    char *text = dis_of("def f():\n    try:\n        return g()\n    finally:\n        h()\n", "exec");
    /* the finally body appears on the return path, and in the exception handler */
    const char *ops[] = {"SETUP_FINALLY", "(g)", "CALL", "POP_BLOCK", "(h)", "RETURN_VALUE",
                         "PUSH_EXC_INFO", "(h)", "RERAISE", "POP_EXCEPT", "RERAISE"};
    expect_sequence(strstr(text, "Disassembly of"), ops, 11);
    free(text);
}

static void code_with_calls_exit_on_both_paths(void **state)
{
    /* BEFORE_WITH sets up the handler itself: the store of v is protected. */
    EXPECT_CODE("with m() as v:\n    body()\n", "BEFORE_WITH", "STORE_NAME", "(v)",
                "(body)", "POP_BLOCK", "LOAD_CONST", "LOAD_CONST", "LOAD_CONST", "CALL                     2",
                "POP_TOP", "JUMP", "SETUP_FINALLY", "PUSH_EXC_INFO", "WITH_EXCEPT_START",
                "POP_JUMP_IF_TRUE", "RERAISE", "POP_TOP", "POP_BLOCK", "POP_EXCEPT", "POP_TOP");
}

static void code_comprehension_is_a_nested_function(void **state)
{
    py_code *co = compile_ok("r = [x * 2 for x in y if x]\n");
    py_code *lc = nested_code(co, 0);
    assert_string_equal(py_str_utf8(lc->qualname), "<listcomp>");
    assert_int_equal(lc->argcount, 1);
    assert_string_equal(localsplus(lc, 0), ".0");
    char *text = dis_of("r = [x * 2 for x in y if x]\n", "exec");
    expect_sequence(text, (const char *const[]){"MAKE_FUNCTION", "LOAD_NAME", "(y)", "GET_ITER",
                    "CALL                     0", "STORE_NAME", "BUILD_LIST               0",
                    "LOAD_FAST                0 (.0)", "FOR_ITER", "LIST_APPEND              2",
                    "RETURN_VALUE"}, 11);
    free(text);
    tl_decref(&co->ob);
}

static void code_generator_starts_with_return_generator(void **state)
{
    py_code *co = compile_ok("def g(x):\n    yield x\n    yield from x\n");
    py_code *g = nested_code(co, 0);
    assert_true(g->flags & PY_CO_GENERATOR);
    assert_int_equal(PY_INSTR_OP(g->instrs[0]), OP_RETURN_GENERATOR);
    assert_int_equal(PY_INSTR_OP(g->instrs[1]), OP_POP_TOP);
    tl_decref(&co->ob);
    EXPECT_CODE("def g(x):\n    yield from x\n", "GET_YIELD_FROM_ITER", "LOAD_CONST", "(None)", "SEND",
                "YIELD_VALUE", "JUMP");
}

static void code_closures_cells_and_qualnames(void **state)
{
    py_code *co = compile_ok("def f(a, b):\n    def g():\n        return a\n    return g\n");
    py_code *f = nested_code(co, 0), *g = nested_code(f, 0);
    assert_string_equal(py_str_utf8(g->qualname), "f.<locals>.g");
    assert_int_equal(f->nlocals, 3);
    assert_int_equal(f->ncells, 1);
    assert_string_equal(localsplus(f, 3), "a");
    assert_non_null(f->cell2arg);
    assert_int_equal(f->cell2arg[0], 0);
    assert_int_equal(PY_INSTR_OP(f->instrs[0]), OP_MAKE_CELL);
    assert_int_equal(PY_INSTR_ARG(f->instrs[0]), 3);
    assert_int_equal(g->nfrees, 1);
    assert_int_equal(PY_INSTR_OP(g->instrs[0]), OP_LOAD_DEREF);
    assert_true(g->flags & PY_CO_NESTED);
    tl_decref(&co->ob);
}

static void code_class_body_and_class_cell(void **state)
{
    static const char src[] = "class C(B):\n    def m(self):\n        return super().m()\n";
    EXPECT_CODE(src, "PUSH_NULL", "LOAD_BUILD_CLASS", "MAKE_FUNCTION", "LOAD_CONST", "('C')",
                "LOAD_NAME", "(B)", "CALL                     3", "STORE_NAME", "(C)",
                "MAKE_CELL", "(__class__)", "LOAD_NAME", "(__name__)", "STORE_NAME", "(__module__)",
                "STORE_NAME", "(__qualname__)", "LOAD_CLOSURE", "(__class__)", "MAKE_FUNCTION        "
                "    8", "STORE_NAME", "(m)", "LOAD_CLOSURE", "COPY                     1", "STORE_NAME",
                "(__classcell__)", "RETURN_VALUE");
    py_code *co = compile_ok(src);
    py_code *body = nested_code(co, 0), *m = nested_code(body, 0);
    assert_string_equal(py_str_utf8(m->qualname), "C.m");
    tl_decref(&co->ob);
    EXPECT_CODE("def f():\n    x = 1\n    class K:\n        y = x\n", "LOAD_CLASSDEREF", "(x)");
}

static void code_fstring(void **state)
{
    EXPECT_CODE("s = f'{a!r:>{w}} and {b=}'\n", "LOAD_NAME", "(a)", "LOAD_CONST", "('>')", "(w)",
                "FORMAT_VALUE", "BUILD_STRING             2", "FORMAT_VALUE             6",
                "(' and b=')", "(b)", "FORMAT_VALUE             2 (repr)", "BUILD_STRING             3");
}

static void code_single_mode_prints_expressions(void **state)
{
    char *text = dis_of("1 + 2\n", "single");
    expect_sequence(text, (const char *const[]){"BINARY_OP", "PRINT_EXPR", "RETURN_VALUE"}, 3);
    free(text);
    text = dis_of("a + 1", "eval");
    expect_sequence(text, (const char *const[]){"LOAD_NAME", "BINARY_OP", "RETURN_VALUE"}, 3);
    free(text);
}

static void code_positions_and_stacksize(void **state)
{
    py_code *co = compile_ok("x = 1\nif x:\n    y = (x +\n         2)\n");
    int binop = -1;
    for (int i = 0; i < co->ninstrs; i++)
        if (PY_INSTR_OP(co->instrs[i]) == OP_BINARY_OP)
            binop = i;
    assert_true(binop >= 0);
    assert_int_equal(co->positions[binop].lineno, 3);
    assert_int_equal(co->positions[binop].end_lineno, 4);
    assert_int_equal(co->positions[binop].col, 9);
    assert_int_equal(co->positions[binop].end_col, 10);
    assert_int_equal(co->stacksize, 2);
    assert_int_equal(co->firstlineno, 1);
    tl_decref(&co->ob);
}

static void code_constant_tuples_and_interned_names(void **state)
{
    py_code *co = compile_ok("a = (1, 'x', None)\nb = 'name_like'\nc = 'name_like'\n");
    int tuples = 0;
    for (intptr_t i = 0; i < py_tuple_size(co->consts); i++)
        tuples += py_type_of(py_tuple_items(co->consts)[i]) == &py_tuple_type;
    assert_int_equal(tuples, 1);
    /* equal literals share one constant */
    assert_int_equal(PY_INSTR_ARG(co->instrs[2]), PY_INSTR_ARG(co->instrs[4]));
    tl_decref(&co->ob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lexer_indent_dedent_and_blank_lines),
        cmocka_unit_test(lexer_dedents_at_end_of_input_without_newline),
        cmocka_unit_test(lexer_brackets_join_lines_and_keep_positions),
        cmocka_unit_test(lexer_backslash_continuation),
        cmocka_unit_test(lexer_numbers),
        cmocka_unit_test(lexer_strings_with_prefixes_and_triple_quotes),
        cmocka_unit_test(lexer_columns_are_utf8_bytes),
        cmocka_unit_test(lexer_errors),
        cmocka_unit_test(lexer_limits_bracket_nesting),
        cmocka_unit_test(parser_error_messages),
        cmocka_unit_test(parser_limits_nesting_depth),
        cmocka_unit_test(parser_accepts_the_whole_subset),
        cmocka_unit_test(symtable_classifies_nested_functions),
        cmocka_unit_test(symtable_errors),
        cmocka_unit_test(code_assignment_stores_immediately),
        cmocka_unit_test(code_calls),
        cmocka_unit_test(code_for_keeps_iterator_and_break_pops_it),
        cmocka_unit_test(code_try_except_binds_and_clears_name),
        cmocka_unit_test(code_try_finally_runs_body_on_every_exit),
        cmocka_unit_test(code_with_calls_exit_on_both_paths),
        cmocka_unit_test(code_comprehension_is_a_nested_function),
        cmocka_unit_test(code_generator_starts_with_return_generator),
        cmocka_unit_test(code_closures_cells_and_qualnames),
        cmocka_unit_test(code_class_body_and_class_cell),
        cmocka_unit_test(code_fstring),
        cmocka_unit_test(code_single_mode_prints_expressions),
        cmocka_unit_test(code_positions_and_stacksize),
        cmocka_unit_test(code_constant_tuples_and_interned_names),
    };
    return cmocka_run_group_tests(tests, setup_vm, teardown_vm);
}
