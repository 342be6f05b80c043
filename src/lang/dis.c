/* dis.c — a disassembler for code objects, in the spirit of CPython's dis
 * module: one line per instruction with its source line (when it changes),
 * index, opcode name, argument and what the argument resolves to; then the
 * code objects found among the constants, recursively.
 *
 * It formats constants itself for the common kinds (str, None, bools, code,
 * tuples) so that it works before every type's repr does, and falls back to
 * repr() for the rest.
 */
#define _POSIX_C_SOURCE 200809L
#include "code.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const binop_symbols[PY_NB_COUNT] = {
    "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^"};
static const char *const cmp_symbols[] = {"<", "<=", "==", "!=", ">", ">="};

static void print_str_repr(FILE *f, py_obj *s)
{
    const char *p = py_str_utf8(s);
    size_t n = py_str_nbytes(s);
    char q = memchr(p, '\'', n) && !memchr(p, '"', n) ? '"' : '\'';
    fputc(q, f);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (ch == (unsigned char)q || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", f);
        else if (ch == '\t')
            fputs("\\t", f);
        else if (ch == '\r')
            fputs("\\r", f);
        else if (ch < 0x20 || ch == 0x7f)
            fprintf(f, "\\x%02x", ch);
        else
            fputc(ch, f);
    }
    fputc(q, f);
}

static void print_const(FILE *f, py_obj *o, int depth)
{
    if (o == py_None) { fputs("None", f); return; }
    if (o == py_True) { fputs("True", f); return; }
    if (o == py_False) { fputs("False", f); return; }
    if (o == py_Ellipsis) { fputs("Ellipsis", f); return; }
    py_type *t = py_type_of(o);
    if (t == &py_str_type) { print_str_repr(f, o); return; }
    if (t == &py_code_type) {
        py_code *co = py_code_cast(o);
        fprintf(f, "<code object %s at %p, file \"%s\", line %d>", py_str_utf8(co->name), (void *)o,
                py_str_utf8(co->filename), co->firstlineno);
        return;
    }
    if (t == &py_tuple_type && depth < 8) {
        intptr_t n = py_tuple_size(o);
        fputc('(', f);
        for (intptr_t i = 0; i < n; i++) {
            if (i)
                fputs(", ", f);
            print_const(f, py_tuple_items(o)[i], depth + 1);
        }
        fputs(n == 1 ? ",)" : ")", f);
        return;
    }
    if (t == &py_int_type && py_int_is_small(o)) {
        int overflow = 0;
        fprintf(f, "%lld", py_int_as_long(o, &overflow));
        return;
    }
    if (t == &py_float_type) {
        char buf[64];
        py_float_repr_buf(py_float_value(o), buf, sizeof buf);
        fputs(buf, f);
        return;
    }
    py_obj *r = py_repr(o);
    if (!r) {
        py_err_clear();
        fprintf(f, "<%s>", py_type_name(t));
        return;
    }
    fputs(py_str_utf8(r), f);
    tl_decref(r);
}

static void print_name(FILE *f, py_obj *tuple, uint32_t i)
{
    if (tuple && (intptr_t)i < py_tuple_size(tuple))
        fputs(py_str_utf8(py_tuple_items(tuple)[i]), f);
    else
        fputs("?", f);
}

static bool is_jump(int op)
{
    switch (op) {
    case OP_FOR_ITER: case OP_JUMP: case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE:
    case OP_POP_JUMP_IF_NONE: case OP_POP_JUMP_IF_NOT_NONE: case OP_JUMP_IF_FALSE_OR_POP:
    case OP_JUMP_IF_TRUE_OR_POP: case OP_SETUP_FINALLY: case OP_SEND: case OP_BEFORE_WITH:
        return true;
    default:
        return false;
    }
}

static void print_argument(FILE *f, py_code *co, int op, uint32_t arg)
{
    switch (op) {
    case OP_LOAD_CONST: case OP_KW_NAMES:
        if ((intptr_t)arg < py_tuple_size(co->consts))
            print_const(f, py_tuple_items(co->consts)[arg], 0);
        break;
    case OP_LOAD_FAST: case OP_STORE_FAST: case OP_DELETE_FAST: case OP_MAKE_CELL: case OP_LOAD_DEREF:
    case OP_STORE_DEREF: case OP_DELETE_DEREF: case OP_LOAD_CLASSDEREF: case OP_LOAD_CLOSURE:
        print_name(f, co->localsplusnames, arg);
        break;
    case OP_LOAD_GLOBAL: case OP_STORE_GLOBAL: case OP_DELETE_GLOBAL: case OP_LOAD_NAME: case OP_STORE_NAME:
    case OP_DELETE_NAME: case OP_LOAD_ATTR: case OP_STORE_ATTR: case OP_DELETE_ATTR: case OP_LOAD_METHOD:
    case OP_IMPORT_NAME: case OP_IMPORT_FROM:
        print_name(f, co->names, arg);
        break;
    case OP_BINARY_OP:
        if (arg < PY_NB_COUNT)
            fputs(binop_symbols[arg], f);
        else if (arg < 2 * PY_NB_COUNT)
            fprintf(f, "%s=", binop_symbols[arg - PY_NB_COUNT]);
        break;
    case OP_COMPARE_OP:
        if (arg < 6)
            fputs(cmp_symbols[arg], f);
        break;
    case OP_FORMAT_VALUE: {
        static const char *const conv[] = {"", "str", "repr", "ascii"};
        fprintf(f, "%s%s", conv[arg & 3], (arg & 4) ? ((arg & 3) ? ", with format" : "with format") : "");
        break;
    }
    default:
        if (is_jump(op))
            fprintf(f, "to %u", arg);
        break;
    }
}

static bool has_argument(int op, uint32_t arg)
{
    switch (op) {
    case OP_NOP: case OP_POP_TOP: case OP_PUSH_NULL: case OP_UNARY_NEGATIVE: case OP_UNARY_POSITIVE:
    case OP_UNARY_NOT: case OP_UNARY_INVERT: case OP_BINARY_SUBSCR: case OP_STORE_SUBSCR:
    case OP_DELETE_SUBSCR: case OP_LIST_TO_TUPLE: case OP_GET_ITER: case OP_RETURN_VALUE:
    case OP_LOAD_BUILD_CLASS: case OP_POP_BLOCK: case OP_PUSH_EXC_INFO: case OP_POP_EXCEPT:
    case OP_CHECK_EXC_MATCH: case OP_LOAD_ASSERTION_ERROR: case OP_BEFORE_WITH: case OP_WITH_EXCEPT_START:
    case OP_YIELD_VALUE: case OP_GET_YIELD_FROM_ITER: case OP_RETURN_GENERATOR: case OP_IMPORT_STAR:
    case OP_PRINT_EXPR: case OP_SETUP_ANNOTATIONS:
        return arg != 0;
    default:
        return true;
    }
}

static void dis_one(py_code *co, FILE *f)
{
    int32_t last_line = -1;
    for (int32_t i = 0; i < co->ninstrs; i++) {
        uint32_t w = co->instrs[i];
        int op = (int)PY_INSTR_OP(w);
        uint32_t arg = PY_INSTR_ARG(w);
        int32_t line = co->positions ? co->positions[i].lineno : -1;
        if (line != last_line && line > 0)
            fprintf(f, "%s%4d ", i ? "\n" : "", line);
        else
            fputs("     ", f);
        last_line = line;
        const char *name = op < OP__COUNT ? py_opcode_names[op] : "<bad>";
        if (!has_argument(op, arg)) {
            fprintf(f, "%8d %s\n", i, name);
            continue;
        }
        fprintf(f, "%8d %-24s %u", i, name, arg);
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        if (m) {
            print_argument(m, co, op, arg);
            fclose(m);
        }
        if (text && len)
            fprintf(f, " (%s)", text);
        fputc('\n', f);
        free(text);
    }
}

void py_code_dis(py_obj *code, FILE *f)
{
    py_code *co = py_code_cast(code);
    dis_one(co, f);
    for (intptr_t i = 0; i < py_tuple_size(co->consts); i++) {
        py_obj *k = py_tuple_items(co->consts)[i];
        if (py_type_of(k) != &py_code_type)
            continue;
        fputs("\nDisassembly of ", f);
        print_const(f, k, 0);
        fputs(":\n", f);
        py_code_dis(k, f);
    }
}
