/* compile.c — the syntax tree to code objects (code.h), in CPython 3.11's
 * code shapes: what is stored when, what stays on the stack, which handler
 * blocks exist where, so that reference lifetimes, exception contexts and
 * traceback positions come out as CPython's.
 *
 * One cunit per code object under construction (module, class body,
 * function, lambda, comprehension), stacked through `parent`. A unit emits
 * instructions with symbolic jump labels; assemble() resolves the labels,
 * places cell and free variables after the locals (their final offsets are
 * known only at the end, as locals are numbered on first use), computes the
 * stack depth by walking every path, and builds the code object.
 *
 * Frame blocks (fblock) record what a `return`, `break` or `continue` must
 * undo on its way out: pop a for-loop's iterator, pop handler blocks, run a
 * finally body, call a with-block's __exit__, restore the handled exception.
 *
 * Exception handling (block stack, see opcodes.h):
 *   try/except:  SETUP_FINALLY h; body; POP_BLOCK; else; JUMP end
 *                h: SETUP_FINALLY cleanup; PUSH_EXC_INFO; [match; bind; body;
 *                POP_BLOCK; POP_EXCEPT; JUMP end]...; RERAISE
 *                cleanup: SWAP 2; POP_EXCEPT; RERAISE
 *   try/finally: the finally body is compiled twice: on the normal path, and
 *                in a handler that restores the handled exception and re-raises.
 *   with:        BEFORE_WITH h (pushes the handler block); store; body; POP_BLOCK;
 *                exit(None, None, None); h: WITH_EXCEPT_START decides.
 */
#include "code.h"
#include "symtable.h"

#include <stdio.h>
#include <stdlib.h>

/* --- units -------------------------------------------------------------------------- */

typedef enum deref_kind { DK_NONE, DK_CELL, DK_FREE } deref_kind;

typedef struct instr {
    uint8_t op;
    uint8_t deref;               /* deref_kind: arg indexes cellvars/freevars until assembly */
    int32_t arg;
    int32_t label;               /* jump target label, or -1 */
    py_position pos;
} instr;

typedef struct namelist {
    const char **items;          /* in index order */
    int n, cap;
    int *index;                  /* open hash: slot -> index, -1 empty; idxcap slots */
    int idxcap;
} namelist;

typedef struct cconst {
    int kind;                    /* ast_const_kind, or CK_CODE / CK_TUPLE */
    const char *s;               /* bytes (for tuples: the member indexes) */
    size_t len;
    py_obj *obj;                 /* owned */
} cconst;

#define CK_CODE 100
#define CK_TUPLE 101

typedef enum fb_kind {
    FB_WHILE, FB_FOR, FB_TRY_EXCEPT, FB_FINALLY_TRY, FB_FINALLY_END, FB_WITH,
    FB_HANDLER_CLEANUP, FB_EXCEPTION_HANDLER, FB_POP_VALUE
} fb_kind;

typedef struct fblock {
    fb_kind kind;
    int top, exit;               /* loop labels */
    const char *name;            /* HANDLER_CLEANUP: the `as` name, or NULL */
    ast_stmts *finalbody;        /* FINALLY_TRY */
    ast_pos pos;
} fblock;

#define MAX_FBLOCKS 20           /* CPython's CO_MAXBLOCKS: "too many statically nested blocks" */

typedef struct cunit cunit;
struct cunit {
    cunit *parent;
    st_scope *ste;
    instr *code;
    int n, cap;
    int *labels;                 /* label -> instruction index, -1 until placed */
    int nlabels, labelcap;
    namelist names, varnames, cellvars, freevars;
    cconst *consts;
    int nconsts, constcap;
    int *cindex;                 /* open hash of const indexes, cidxcap slots */
    int cidxcap;
    fblock fb[MAX_FBLOCKS];
    int nfb;
    const char *name, *qualname, *private_name;
    int argcount, posonly, kwonly, firstlineno;
    bool varargs, varkw;         /* *args / **kwargs present */
    bool is_class, is_comprehension;
    py_position pos;             /* current source span */
};

typedef struct compiler {
    ast_arena *A;
    cunit *u;
    const char *filename;
    const char *src;
    size_t len;
    py_obj *filename_obj;
    bool interactive;
    int nest;                    /* units open (module = 1) */
    int depth;                   /* expression nesting, see MAX_EXPR_DEPTH */
    bool failed;
} compiler;

/* Left-leaning chains (a+a+...+a, a.b.c...) nest without brackets, so the
 * parser's limits do not bound them: the compiler keeps its own, like
 * CPython's recursion limit during compilation. */
#define MAX_EXPR_DEPTH 3000

/* --- errors ----------------------------------------------------------------------------- */

static int compile_error(compiler *c, ast_pos pos, const char *fmt, ...)
{
    if (c->failed)
        return -1;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ast_error_at(py_exc_SyntaxError, c->filename, c->src, c->len, pos, msg);
    c->failed = true;
    return -1;
}

static int fail_nomem(compiler *c)
{
    if (!c->failed)
        py_err_no_memory();
    c->failed = true;
    return -1;
}

/* A py error is already set (constructor failure). */
static int fail_set(compiler *c)
{
    c->failed = true;
    return -1;
}

/* --- name lists ----------------------------------------------------------------------------- */

static size_t ptr_hash(const void *p) { return ((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15u; }

static int nl_find(const namelist *l, const char *name)
{
    if (!l->idxcap)
        return -1;
    size_t mask = (size_t)l->idxcap - 1;
    for (size_t j = ptr_hash(name) & mask; l->index[j] >= 0; j = (j + 1) & mask)
        if (l->items[l->index[j]] == name)
            return l->index[j];
    return -1;
}

static int nl_grow(compiler *c, namelist *l)
{
    int cap = l->cap ? l->cap * 2 : 8;
    const char **items = tl_heap_realloc(vm.heap, l->items, (size_t)cap * sizeof *items);
    if (!items)
        return fail_nomem(c);
    l->items = items;
    int *index = tl_heap_alloc(vm.heap, (size_t)cap * 2 * sizeof *index);
    if (!index)
        return fail_nomem(c);
    tl_heap_free(l->index);
    memset(index, 0xff, (size_t)cap * 2 * sizeof *index);
    l->index = index;
    l->idxcap = cap * 2;
    l->cap = cap;
    for (int i = 0; i < l->n; i++) {
        size_t mask = (size_t)l->idxcap - 1, j = ptr_hash(items[i]) & mask;
        while (index[j] >= 0)
            j = (j + 1) & mask;
        index[j] = i;
    }
    return 0;
}

/* Index of name, added at the end if absent; -1 on failure. */
static int nl_add(compiler *c, namelist *l, const char *name)
{
    int i = nl_find(l, name);
    if (i >= 0)
        return i;
    if (l->n == l->cap && nl_grow(c, l) < 0)
        return -1;
    l->items[l->n] = name;
    size_t mask = (size_t)l->idxcap - 1, j = ptr_hash(name) & mask;
    while (l->index[j] >= 0)
        j = (j + 1) & mask;
    l->index[j] = l->n;
    return l->n++;
}

static void nl_free(namelist *l)
{
    tl_heap_free(l->items);
    tl_heap_free(l->index);
}

/* --- constants ---------------------------------------------------------------------------------- */

static size_t const_hash(int kind, const char *s, size_t len)
{
    size_t h = 1469598103934665603u ^ (size_t)kind;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static int cindex_rebuild(compiler *c, cunit *u, int cap)
{
    int *idx = tl_heap_alloc(vm.heap, (size_t)cap * sizeof *idx);
    if (!idx)
        return fail_nomem(c);
    memset(idx, 0xff, (size_t)cap * sizeof *idx);
    tl_heap_free(u->cindex);
    u->cindex = idx;
    u->cidxcap = cap;
    for (int i = 0; i < u->nconsts; i++) {
        cconst *k = &u->consts[i];
        if (k->kind == CK_CODE)
            continue;
        size_t j = const_hash(k->kind, k->s, k->len) & (size_t)(cap - 1);
        while (idx[j] >= 0)
            j = (j + 1) & (size_t)(cap - 1);
        idx[j] = i;
    }
    return 0;
}

static int const_find(cunit *u, int kind, const char *s, size_t len)
{
    if (!u->cidxcap || kind == CK_CODE)
        return -1;
    size_t mask = (size_t)u->cidxcap - 1;
    for (size_t j = const_hash(kind, s, len) & mask; u->cindex[j] >= 0; j = (j + 1) & mask) {
        cconst *k = &u->consts[u->cindex[j]];
        if (k->kind == kind && k->len == len && (len == 0 || memcmp(k->s, s, len) == 0))
            return u->cindex[j];
    }
    return -1;
}

static bool identifier_like(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!(ch == '_' || (unsigned)((ch | 32) - 'a') < 26u || (unsigned)(ch - '0') < 10u))
            return false;
    }
    return true;
}

static py_obj *make_str(const char *s, size_t n, bool intern)
{
    py_obj *o = py_str_from_utf8(s, n);
    return o && intern ? py_str_intern(o) : o;
}

static py_obj *make_const(int kind, const char *s, size_t len)
{
    switch (kind) {
    case C_NONE: return py_newref(py_None);
    case C_TRUE: return py_newref(py_True);
    case C_FALSE: return py_newref(py_False);
    case C_ELLIPSIS: return py_newref(py_Ellipsis);
    case C_INT: return py_int_from_literal(s, len);
    case C_FLOAT: return py_float_from_literal(s, len);
    case C_STR: return make_str(s, len, identifier_like(s, len));
    case C_BYTES: return py_bytes_new(s, len);
    case C_IMAG: return py_complex_from_literal(s, len);
    default:
        py_err_format(py_exc_SyntaxError, "unknown constant kind");
        return NULL;
    }
}

/* Adds a constant (obj stolen if given, else made from kind/s/len). */
static int add_const_obj(compiler *c, int kind, const char *s, size_t len, py_obj *obj)
{
    cunit *u = c->u;
    int found = const_find(u, kind, s, len);
    if (found >= 0) {
        tl_xdecref(obj);
        return found;
    }
    if (!obj && !(obj = make_const(kind, s, len)))
        return fail_set(c);
    if (u->nconsts == u->constcap) {
        int cap = u->constcap ? u->constcap * 2 : 8;
        cconst *k = tl_heap_realloc(vm.heap, u->consts, (size_t)cap * sizeof *k);
        if (!k) {
            tl_decref(obj);
            return fail_nomem(c);
        }
        u->consts = k;
        u->constcap = cap;
    }
    char *copy = NULL;
    if (len) {
        copy = ast_alloc(c->A, len);
        if (!copy) {
            tl_decref(obj);
            return fail_set(c);
        }
        memcpy(copy, s, len);
    }
    u->consts[u->nconsts] = (cconst){kind, copy, len, obj};
    int i = u->nconsts++;
    if ((u->nconsts * 2 > u->cidxcap) && cindex_rebuild(c, u, u->cidxcap ? u->cidxcap * 2 : 16) < 0)
        return -1;
    if (kind != CK_CODE) {
        size_t mask = (size_t)u->cidxcap - 1, j = const_hash(kind, copy, len) & mask;
        while (u->cindex[j] >= 0 && u->cindex[j] != i)
            j = (j + 1) & mask;
        u->cindex[j] = i;
    }
    return i;
}

static int add_const(compiler *c, int kind, const char *s, size_t len)
{
    return add_const_obj(c, kind, s, len, NULL);
}

static int add_const_str(compiler *c, const char *s)
{
    return add_const(c, C_STR, s, strlen(s));
}

static int add_const_int(compiler *c, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    return add_const(c, C_INT, buf, strlen(buf));
}

/* A tuple constant of constants already in the table (indexes). */
static int add_const_tuple(compiler *c, const int *members, int n)
{
    py_obj *t = py_tuple_new((size_t)n);
    if (!t)
        return fail_set(c);
    for (int i = 0; i < n; i++)
        py_tuple_items(t)[i] = py_newref(c->u->consts[members[i]].obj);
    return add_const_obj(c, CK_TUPLE, (const char *)members, (size_t)n * sizeof *members, t);
}

/* --- emitting ------------------------------------------------------------------------------------- */

static int emit_full(compiler *c, int op, int arg, int label, deref_kind dk)
{
    if (c->failed)
        return -1;
    cunit *u = c->u;
    if (arg < 0 || (uint32_t)arg > PY_INSTR_ARG_MAX)
        return compile_error(c, (ast_pos){u->pos.lineno, u->pos.col, u->pos.end_lineno, u->pos.end_col},
                             "too many constants, names or arguments");
    if (u->n == u->cap) {
        int cap = u->cap ? u->cap * 2 : 64;
        instr *code = tl_heap_realloc(vm.heap, u->code, (size_t)cap * sizeof *code);
        if (!code)
            return fail_nomem(c);
        u->code = code;
        u->cap = cap;
    }
    u->code[u->n++] = (instr){(uint8_t)op, (uint8_t)dk, arg, label, u->pos};
    return 0;
}

static int emit(compiler *c, int op, int arg) { return emit_full(c, op, arg, -1, DK_NONE); }
static int emit0(compiler *c, int op) { return emit_full(c, op, 0, -1, DK_NONE); }
static int emit_jump(compiler *c, int op, int label) { return emit_full(c, op, 0, label, DK_NONE); }

static int new_label(compiler *c)
{
    cunit *u = c->u;
    if (u->nlabels == u->labelcap) {
        int cap = u->labelcap ? u->labelcap * 2 : 16;
        int *l = tl_heap_realloc(vm.heap, u->labels, (size_t)cap * sizeof *l);
        if (!l)
            return fail_nomem(c);
        u->labels = l;
        u->labelcap = cap;
    }
    u->labels[u->nlabels] = -1;
    return u->nlabels++;
}

static void use_label(compiler *c, int label)
{
    if (label >= 0)
        c->u->labels[label] = c->u->n;
}

static int load_const(compiler *c, int kind, const char *s, size_t len)
{
    int i = add_const(c, kind, s, len);
    return i < 0 ? -1 : emit(c, OP_LOAD_CONST, i);
}

static int load_none(compiler *c) { return load_const(c, C_NONE, NULL, 0); }

/* --- names ---------------------------------------------------------------------------------------- */

static const char *intern(compiler *c, const char *s, size_t n)
{
    const char *r = ast_intern(c->A, s, n);
    if (!r)
        c->failed = true;
    return r;
}

/* CPython's private name mangling: __x in class C is _C__x. */
static const char *mangle(compiler *c, const char *priv, const char *name)
{
    size_t n = strlen(name);
    if (!priv || n < 2 || name[0] != '_' || name[1] != '_')
        return name;
    if ((n >= 2 && name[n - 1] == '_' && name[n - 2] == '_') || strchr(name, '.'))
        return name;
    while (*priv == '_')
        priv++;
    if (!*priv)
        return name;
    size_t pn = strlen(priv);
    char buf[512];
    if (pn + n + 2 > sizeof buf)
        return name;
    buf[0] = '_';
    memcpy(buf + 1, priv, pn);
    memcpy(buf + 1 + pn, name, n);
    return intern(c, buf, pn + n + 1);
}

static int emit_name_op(compiler *c, int op, const char *name)
{
    const char *m = mangle(c, c->u->private_name, name);
    if (!m)
        return -1;
    int i = nl_add(c, &c->u->names, m);
    return i < 0 ? -1 : emit(c, op, i);
}

static int nameop(compiler *c, const char *id, ast_ctx ctx)
{
    cunit *u = c->u;
    if (ctx == CTX_LOAD && strcmp(id, "__debug__") == 0)
        return load_const(c, C_TRUE, NULL, 0);
    const char *name = mangle(c, u->private_name, id);
    if (!name)
        return -1;
    st_binding b = st_binding_of(u->ste, name);
    bool fast_scope = u->ste->kind == ST_FUNCTION;
    static const int name_ops[3] = {OP_LOAD_NAME, OP_STORE_NAME, OP_DELETE_NAME};
    static const int fast_ops[3] = {OP_LOAD_FAST, OP_STORE_FAST, OP_DELETE_FAST};
    static const int global_ops[3] = {OP_LOAD_GLOBAL, OP_STORE_GLOBAL, OP_DELETE_GLOBAL};
    static const int deref_ops[3] = {OP_LOAD_DEREF, OP_STORE_DEREF, OP_DELETE_DEREF};
    int i;
    switch (b) {
    case SC_FREE:
        if ((i = nl_add(c, &u->freevars, name)) < 0)
            return -1;
        return emit_full(c, ctx == CTX_LOAD && u->is_class ? OP_LOAD_CLASSDEREF : deref_ops[ctx], i, -1, DK_FREE);
    case SC_CELL:
        if ((i = nl_add(c, &u->cellvars, name)) < 0)
            return -1;
        return emit_full(c, deref_ops[ctx], i, -1, DK_CELL);
    case SC_LOCAL:
        if (fast_scope) {
            if ((i = nl_add(c, &u->varnames, name)) < 0)
                return -1;
            return emit(c, fast_ops[ctx], i);
        }
        break;
    case SC_GLOBAL_IMPLICIT:
        if (fast_scope)
            return emit_name_op(c, global_ops[ctx], id);
        break;
    case SC_GLOBAL_EXPLICIT:
        return emit_name_op(c, global_ops[ctx], id);
    default:
        break;
    }
    return emit_name_op(c, name_ops[ctx], id);
}

/* --- units ---------------------------------------------------------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Names of ste with the given binding (or flag), sorted as CPython's dictbytype. */
static int add_sorted(compiler *c, namelist *l, st_scope *ste, st_binding want, int flag)
{
    const char **tmp = tl_heap_alloc(vm.heap, (size_t)(ste->nsyms + 1) * sizeof *tmp);
    if (!tmp)
        return fail_nomem(c);
    int n = 0;
    for (int i = 0; i < ste->nsyms; i++)
        if (ste->syms[i].scope == want || (flag && (ste->syms[i].flags & flag)))
            tmp[n++] = ste->syms[i].name;
    qsort(tmp, (size_t)n, sizeof *tmp, cmp_names);
    int r = 0;
    for (int i = 0; i < n && r >= 0; i++)
        r = nl_add(c, l, tmp[i]);
    tl_heap_free(tmp);
    return r < 0 ? -1 : 0;
}

static const char *make_qualname(compiler *c, cunit *parent, st_scope *ste, const char *name)
{
    if (!parent || !parent->parent)
        return name;
    if (!ste->comprehension && strcmp(name, "<lambda>") != 0) {
        const char *m = mangle(c, parent->private_name, name);
        if (m && st_binding_of(parent->ste, m) == SC_GLOBAL_EXPLICIT)
            return name;
    }
    bool fn_parent = parent->ste->kind == ST_FUNCTION && !parent->ste->comprehension;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s%s.%s", parent->qualname, fn_parent ? ".<locals>" : "", name);
    return intern(c, buf, strlen(buf));
}

static int enter_unit(compiler *c, st_scope *ste, const char *name, int firstlineno)
{
    cunit *u = tl_heap_calloc(vm.heap, sizeof *u);
    if (!u)
        return fail_nomem(c);
    u->parent = c->u;
    u->ste = ste;
    u->name = name;
    u->firstlineno = firstlineno;
    u->is_class = ste->kind == ST_CLASS;
    u->is_comprehension = ste->comprehension;
    u->private_name = u->is_class ? ste->name : c->u ? c->u->private_name : NULL;
    u->pos = (py_position){firstlineno, firstlineno, 0, 0};
    c->u = u;
    c->nest++;
    if (!(u->qualname = make_qualname(c, u->parent, ste, name)))
        return -1;
    for (int i = 0; i < ste->nparams; i++)
        if (nl_add(c, &u->varnames, ste->params[i]) < 0)
            return -1;
    if (u->is_class && ste->needs_class_closure) {
        const char *cls = intern(c, "__class__", 9);
        if (!cls || nl_add(c, &u->cellvars, cls) < 0)
            return -1;
    }
    if (add_sorted(c, &u->cellvars, ste, SC_CELL, 0) < 0)
        return -1;
    return add_sorted(c, &u->freevars, ste, SC_FREE, u->is_class ? DEF_FREE_CLASS : 0);
}

static void free_unit(cunit *u)
{
    for (int i = 0; i < u->nconsts; i++)
        tl_decref(u->consts[i].obj);
    tl_heap_free(u->consts);
    tl_heap_free(u->cindex);
    tl_heap_free(u->code);
    tl_heap_free(u->labels);
    nl_free(&u->names);
    nl_free(&u->varnames);
    nl_free(&u->cellvars);
    nl_free(&u->freevars);
    tl_heap_free(u);
}

static void leave_unit(compiler *c)
{
    cunit *u = c->u;
    c->u = u->parent;
    c->nest--;
    free_unit(u);
}

/* Prologue: cells made at entry, then a generator's RETURN_GENERATOR / POP_TOP. */
static int emit_prologue(compiler *c)
{
    cunit *u = c->u;
    for (int i = 0; i < u->cellvars.n; i++)
        if (emit_full(c, OP_MAKE_CELL, i, -1, DK_CELL) < 0)
            return -1;
    if (u->ste->generator && (emit0(c, OP_RETURN_GENERATOR) < 0 || emit0(c, OP_POP_TOP) < 0))
        return -1;
    return 0;
}

/* --- assembly ----------------------------------------------------------------------------------------------- */

static int stack_effect(const instr *in, bool jump)
{
    int arg = in->arg;
    switch (in->op) {
    case OP_NOP: case OP_SWAP: case OP_DELETE_FAST: case OP_DELETE_DEREF: case OP_DELETE_GLOBAL:
    case OP_DELETE_NAME: case OP_MAKE_CELL: case OP_LOAD_ATTR: case OP_KW_NAMES: case OP_UNARY_NEGATIVE:
    case OP_UNARY_POSITIVE: case OP_UNARY_NOT: case OP_UNARY_INVERT: case OP_LIST_TO_TUPLE:
    case OP_GET_ITER: case OP_JUMP: case OP_POP_BLOCK: case OP_CHECK_EXC_MATCH: case OP_YIELD_VALUE:
    case OP_GET_YIELD_FROM_ITER: case OP_SETUP_ANNOTATIONS:
        return 0;
    case OP_POP_TOP: case OP_STORE_FAST: case OP_STORE_DEREF: case OP_STORE_GLOBAL: case OP_STORE_NAME:
    case OP_DELETE_ATTR: case OP_BINARY_OP: case OP_COMPARE_OP: case OP_IS_OP: case OP_CONTAINS_OP:
    case OP_BINARY_SUBSCR: case OP_LIST_APPEND: case OP_SET_ADD: case OP_LIST_EXTEND: case OP_SET_UPDATE:
    case OP_DICT_UPDATE: case OP_DICT_MERGE: case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE:
    case OP_POP_JUMP_IF_NONE: case OP_POP_JUMP_IF_NOT_NONE: case OP_RETURN_VALUE: case OP_POP_EXCEPT:
    case OP_RERAISE: case OP_IMPORT_NAME: case OP_IMPORT_STAR: case OP_PRINT_EXPR:
        return -1;
    case OP_COPY: case OP_LOAD_CONST: case OP_LOAD_FAST: case OP_LOAD_DEREF: case OP_LOAD_CLASSDEREF:
    case OP_LOAD_CLOSURE: case OP_LOAD_GLOBAL: case OP_LOAD_NAME: case OP_LOAD_METHOD: case OP_PUSH_NULL:
    case OP_LOAD_BUILD_CLASS: case OP_PUSH_EXC_INFO: case OP_LOAD_ASSERTION_ERROR: case OP_BEFORE_WITH:
    case OP_WITH_EXCEPT_START: case OP_RETURN_GENERATOR: case OP_IMPORT_FROM:
        return 1;
    case OP_STORE_ATTR: case OP_DELETE_SUBSCR: case OP_MAP_ADD: return -2;
    case OP_STORE_SUBSCR: return -3;
    case OP_CALL: return -arg - 1;
    case OP_CALL_FUNCTION_EX: return -2 - (arg & 1);
    case OP_BUILD_SLICE: case OP_BUILD_TUPLE: case OP_BUILD_LIST: case OP_BUILD_SET: case OP_BUILD_STRING:
        return 1 - arg;
    case OP_BUILD_MAP: return 1 - 2 * arg;
    case OP_BUILD_CONST_KEY_MAP: return -arg;
    case OP_FORMAT_VALUE: return (arg & 4) ? -1 : 0;
    case OP_UNPACK_SEQUENCE: return arg - 1;
    case OP_UNPACK_EX: return (arg & 0xFF) + (arg >> 8);
    case OP_FOR_ITER: return jump ? -1 : 1;
    case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP: return jump ? 0 : -1;
    case OP_MAKE_FUNCTION: return -((arg & 1) + ((arg >> 1) & 1) + ((arg >> 2) & 1) + ((arg >> 3) & 1));
    case OP_SETUP_FINALLY: return jump ? 1 : 0;
    case OP_RAISE_VARARGS: return -arg;
    case OP_SEND: return jump ? -1 : 0;
    default: return 0;
    }
}

static bool no_fallthrough(int op)
{
    return op == OP_JUMP || op == OP_RETURN_VALUE || op == OP_RERAISE || op == OP_RAISE_VARARGS;
}

static int visit_depth(int *depth, int *work, int *nwork, int i, int d)
{
    if (depth[i] < 0) {
        depth[i] = d;
        work[(*nwork)++] = i;
    }
    return 0;
}

static int compute_stacksize(compiler *c, const uint32_t *words, const instr *code, int n)
{
    int *depth = tl_heap_alloc(vm.heap, (size_t)(n + 1) * 2 * sizeof *depth);
    if (!depth)
        return fail_nomem(c);
    int *work = depth + n + 1, nwork = 0, max = 0;
    for (int i = 0; i <= n; i++)
        depth[i] = -1;
    visit_depth(depth, work, &nwork, 0, 0);
    while (nwork > 0) {
        int i = work[--nwork];
        if (i >= n)
            continue;
        int d = depth[i];
        const instr *in = &code[i];
        if (code[i].label >= 0) {
            int t = (int)PY_INSTR_ARG(words[i]);
            int dj = d + stack_effect(in, true);
            if (dj > max)
                max = dj;
            visit_depth(depth, work, &nwork, t, dj);
        }
        int df = d + stack_effect(in, false);
        if (df > max)
            max = df;
        if (!no_fallthrough(in->op))
            visit_depth(depth, work, &nwork, i + 1, df);
    }
    tl_heap_free(depth);
    return max;
}

static py_obj *names_tuple(compiler *c, const namelist *l, const namelist *l2, const namelist *l3)
{
    int n = l->n + (l2 ? l2->n : 0) + (l3 ? l3->n : 0);
    py_obj *t = py_tuple_new((size_t)n);
    if (!t)
        return NULL;
    const namelist *ls[3] = {l, l2, l3};
    int k = 0;
    for (int j = 0; j < 3; j++) {
        for (int i = 0; ls[j] && i < ls[j]->n; i++) {
            py_obj *s = make_str(ls[j]->items[i], strlen(ls[j]->items[i]), true);
            if (!s) {
                for (; k < n; k++)
                    py_tuple_items(t)[k] = py_newref(py_None);
                tl_decref(t);
                return NULL;
            }
            py_tuple_items(t)[k++] = s;
        }
    }
    return t;
}

static py_obj *consts_tuple(cunit *u)
{
    py_obj *t = py_tuple_new((size_t)u->nconsts);
    if (!t)
        return NULL;
    for (int i = 0; i < u->nconsts; i++)
        py_tuple_items(t)[i] = py_newref(u->consts[i].obj);
    return t;
}

static int code_flags(cunit *u)
{
    st_scope *s = u->ste;
    int flags = 0;
    if (s->kind == ST_FUNCTION) {
        flags |= PY_CO_OPTIMIZED | PY_CO_NEWLOCALS;
        if (s->nested)
            flags |= PY_CO_NESTED;
        if (s->generator)
            flags |= PY_CO_GENERATOR;
        if (u->varargs)
            flags |= PY_CO_VARARGS;
        if (u->varkw)
            flags |= PY_CO_VARKEYWORDS;
    }
    if (u->freevars.n == 0 && u->cellvars.n == 0)
        flags |= PY_CO_NOFREE;
    return flags;
}

static int resolve(compiler *c, uint32_t *words, py_position *pos)
{
    cunit *u = c->u;
    int nlocals = u->varnames.n, ncells = u->cellvars.n;
    for (int i = 0; i < u->n; i++) {
        instr *in = &u->code[i];
        int arg = in->arg;
        if (in->label >= 0)
            arg = u->labels[in->label];
        if (in->deref == DK_CELL)
            arg += nlocals;
        else if (in->deref == DK_FREE)
            arg += nlocals + ncells;
        if (arg < 0 || (uint32_t)arg > PY_INSTR_ARG_MAX)
            return compile_error(c, (ast_pos){in->pos.lineno, in->pos.col, in->pos.end_lineno,
                                 in->pos.end_col}, "too many locals or instructions");
        words[i] = PY_INSTR(in->op, (uint32_t)arg);
        pos[i] = in->pos;
    }
    return 0;
}

static int32_t *make_cell2arg(compiler *c, bool *any)
{
    cunit *u = c->u;
    *any = false;
    if (!u->cellvars.n)
        return NULL;
    int32_t *m = tl_heap_alloc(vm.heap, (size_t)u->cellvars.n * sizeof *m);
    if (!m) {
        fail_nomem(c);
        return NULL;
    }
    for (int i = 0; i < u->cellvars.n; i++) {
        m[i] = -1;
        for (int a = 0; a < u->ste->nparams; a++)
            if (u->ste->params[a] == u->cellvars.items[i]) {
                m[i] = a;
                *any = true;
            }
    }
    return m;
}

static py_obj *build_code(compiler *c, uint32_t *words, py_position *pos, int stacksize,
                          const int32_t *cell2arg)
{
    cunit *u = c->u;
    py_obj *consts = consts_tuple(u);
    py_obj *names = consts ? names_tuple(c, &u->names, NULL, NULL) : NULL;
    py_obj *lpn = names ? names_tuple(c, &u->varnames, &u->cellvars, &u->freevars) : NULL;
    py_obj *name = lpn ? make_str(u->name, strlen(u->name), true) : NULL;
    py_obj *qualname = name ? make_str(u->qualname, strlen(u->qualname), false) : NULL;
    py_obj *code = NULL;
    if (qualname) {
        code = py_code_new(words, u->n, pos, stacksize, u->argcount, u->posonly, u->kwonly,
                           u->varnames.n, u->cellvars.n, u->freevars.n, cell2arg, code_flags(u),
                           u->firstlineno, consts, names, lpn, c->filename_obj, name, qualname);
    }
    tl_xdecref(consts);
    tl_xdecref(names);
    tl_xdecref(lpn);
    tl_xdecref(name);
    tl_xdecref(qualname);
    return code;
}

/* Finishes the current unit into a code object (new reference), or NULL. */
static py_obj *assemble(compiler *c)
{
    if (c->failed)
        return NULL;
    cunit *u = c->u;
    uint32_t *words = tl_heap_alloc(vm.heap, (size_t)(u->n + 1) * sizeof *words);
    py_position *pos = tl_heap_alloc(vm.heap, (size_t)(u->n + 1) * sizeof *pos);
    py_obj *code = NULL;
    int32_t *cell2arg = NULL;
    bool any = false;
    if (!words || !pos) {
        fail_nomem(c);
    } else if (resolve(c, words, pos) == 0) {
        int stacksize = compute_stacksize(c, words, u->code, u->n);
        cell2arg = stacksize >= 0 ? make_cell2arg(c, &any) : NULL;
        if (stacksize >= 0 && !c->failed) {
            code = build_code(c, words, pos, stacksize, any ? cell2arg : NULL);
            if (!code)
                c->failed = true;
        }
    }
    tl_heap_free(cell2arg);
    tl_heap_free(words);
    tl_heap_free(pos);
    return code;
}

/* --- positions -------------------------------------------------------------------------------------------- */

static py_position set_pos(compiler *c, ast_pos p)
{
    py_position old = c->u->pos;
    c->u->pos = (py_position){p.lineno, p.end_lineno, p.col, p.end_col};
    return old;
}

/* --- frame blocks -------------------------------------------------------------------------------------------- */

static int push_fblock(compiler *c, fb_kind kind, int top, int exit, ast_pos pos)
{
    cunit *u = c->u;
    if (u->nfb >= MAX_FBLOCKS)
        return compile_error(c, pos, "too many statically nested blocks");
    u->fb[u->nfb++] = (fblock){kind, top, exit, NULL, NULL, pos};
    return 0;
}

static void pop_fblock(compiler *c) { c->u->nfb--; }

static int visit_stmts(compiler *c, ast_stmts body);
static int visit_expr(compiler *c, ast_expr *e);
static int visit_exprs_list(compiler *c, ast_exprs es);

static int clear_name(compiler *c, const char *name)
{
    if (load_none(c) < 0 || nameop(c, name, CTX_STORE) < 0)
        return -1;
    return nameop(c, name, CTX_DEL);
}

static int call_exit_with_nones(compiler *c)
{
    for (int i = 0; i < 3; i++)
        if (load_none(c) < 0)
            return -1;
    return emit(c, OP_CALL, 2);
}

/* Undoes one frame block on the way out of it (return/break/continue). */
static int unwind_fblock(compiler *c, fblock *fb, bool preserve_tos)
{
    switch (fb->kind) {
    case FB_WHILE: case FB_EXCEPTION_HANDLER:
        return 0;
    case FB_FOR: case FB_POP_VALUE:
        if (preserve_tos && emit(c, OP_SWAP, 2) < 0)
            return -1;
        return emit0(c, OP_POP_TOP);
    case FB_TRY_EXCEPT:
        return emit0(c, OP_POP_BLOCK);
    case FB_FINALLY_TRY: {
        if (emit0(c, OP_POP_BLOCK) < 0)
            return -1;
        if (preserve_tos && push_fblock(c, FB_POP_VALUE, -1, -1, fb->pos) < 0)
            return -1;
        ast_stmts *body = fb->finalbody;
        int r = visit_stmts(c, *body);
        if (preserve_tos)
            pop_fblock(c);
        return r;
    }
    case FB_FINALLY_END:
        if (preserve_tos && emit(c, OP_SWAP, 2) < 0)
            return -1;
        if (emit0(c, OP_POP_TOP) < 0)
            return -1;
        if (preserve_tos && emit(c, OP_SWAP, 2) < 0)
            return -1;
        if (emit0(c, OP_POP_BLOCK) < 0)
            return -1;
        return emit0(c, OP_POP_EXCEPT);
    case FB_WITH:
        if (emit0(c, OP_POP_BLOCK) < 0)
            return -1;
        if (preserve_tos && emit(c, OP_SWAP, 2) < 0)
            return -1;
        if (call_exit_with_nones(c) < 0)
            return -1;
        return emit0(c, OP_POP_TOP);
    case FB_HANDLER_CLEANUP:
        if (fb->name && emit0(c, OP_POP_BLOCK) < 0)
            return -1;
        if (preserve_tos && emit(c, OP_SWAP, 2) < 0)
            return -1;
        if (emit0(c, OP_POP_BLOCK) < 0 || emit0(c, OP_POP_EXCEPT) < 0)
            return -1;
        return fb->name ? clear_name(c, fb->name) : 0;
    }
    return 0;
}

/* Unwinds every block (return), or up to the innermost loop (loop != NULL). */
static int unwind_all(compiler *c, bool preserve_tos, fblock **loop)
{
    cunit *u = c->u;
    int saved = u->nfb;
    fblock saved_blocks[MAX_FBLOCKS];
    memcpy(saved_blocks, u->fb, sizeof(fblock) * (size_t)u->nfb);
    int r = 0;
    while (u->nfb > 0 && r == 0) {
        fblock top = u->fb[u->nfb - 1];
        if (loop && (top.kind == FB_WHILE || top.kind == FB_FOR)) {
            *loop = &u->fb[u->nfb - 1];
            break;
        }
        u->nfb--;
        r = unwind_fblock(c, &top, preserve_tos);
    }
    /* restore: the statically enclosing blocks are still open after this point */
    int found_at = u->nfb;
    memcpy(u->fb, saved_blocks, sizeof(fblock) * (size_t)saved);
    u->nfb = saved;
    if (loop && *loop)
        *loop = &u->fb[found_at - 1];
    return r;
}

/* --- statements ---------------------------------------------------------------------------------------- */

static bool is_docstring(ast_stmts body)
{
    if (body.n == 0 || body.items[0]->kind != S_EXPR)
        return false;
    ast_expr *e = body.items[0]->v.value.value;
    return e->kind == E_CONSTANT && e->v.constant.ckind == C_STR;
}

static int visit_store_target(compiler *c, ast_expr *e);

static int unpack_target(compiler *c, ast_expr *e)
{
    ast_exprs elts = e->v.seq.elts;
    int star = -1;
    for (int i = 0; i < elts.n; i++) {
        if (elts.items[i]->kind != E_STARRED)
            continue;
        if (star >= 0)
            return compile_error(c, e->pos, "multiple starred expressions in assignment");
        star = i;
    }
    if (star >= 0) {
        int after = elts.n - star - 1;
        if (star >= 256 || after >= (1 << 16))
            return compile_error(c, e->pos, "too many expressions in star-unpacking assignment");
        if (emit(c, OP_UNPACK_EX, star | after << 8) < 0)
            return -1;
    } else if (emit(c, OP_UNPACK_SEQUENCE, elts.n) < 0) {
        return -1;
    }
    for (int i = 0; i < elts.n; i++) {
        ast_expr *t = elts.items[i];
        if (visit_store_target(c, t->kind == E_STARRED ? t->v.starred.value : t) < 0)
            return -1;
    }
    return 0;
}

static int visit_store_target(compiler *c, ast_expr *e)
{
    py_position old = set_pos(c, e->pos);
    int r;
    switch (e->kind) {
    case E_NAME: r = nameop(c, e->v.name.id, CTX_STORE); break;
    case E_ATTRIBUTE:
        r = visit_expr(c, e->v.attribute.value);
        if (r == 0) {
            set_pos(c, e->pos);
            r = emit_name_op(c, OP_STORE_ATTR, e->v.attribute.attr);
        }
        break;
    case E_SUBSCRIPT:
        r = visit_expr(c, e->v.subscript.value) < 0 || visit_expr(c, e->v.subscript.slice) < 0 ? -1 : 0;
        if (r == 0) {
            set_pos(c, e->pos);
            r = emit0(c, OP_STORE_SUBSCR);
        }
        break;
    case E_TUPLE: case E_LIST: r = unpack_target(c, e); break;
    case E_STARRED: r = compile_error(c, e->pos, "starred assignment target must be in a list or tuple"); break;
    default: r = compile_error(c, e->pos, "cannot assign to %s", ast_expr_name(e)); break;
    }
    c->u->pos = old;
    return r;
}

static int visit_del_target(compiler *c, ast_expr *e)
{
    py_position old = set_pos(c, e->pos);
    int r = 0;
    switch (e->kind) {
    case E_NAME: r = nameop(c, e->v.name.id, CTX_DEL); break;
    case E_ATTRIBUTE:
        if ((r = visit_expr(c, e->v.attribute.value)) == 0)
            r = emit_name_op(c, OP_DELETE_ATTR, e->v.attribute.attr);
        break;
    case E_SUBSCRIPT:
        r = visit_expr(c, e->v.subscript.value) < 0 || visit_expr(c, e->v.subscript.slice) < 0 ? -1 : 0;
        if (r == 0)
            r = emit0(c, OP_DELETE_SUBSCR);
        break;
    case E_TUPLE: case E_LIST:
        for (int i = 0; i < e->v.seq.elts.n && r == 0; i++)
            r = visit_del_target(c, e->v.seq.elts.items[i]);
        break;
    default: r = compile_error(c, e->pos, "cannot delete %s", ast_expr_name(e)); break;
    }
    c->u->pos = old;
    return r;
}

static int compile_assign(compiler *c, ast_stmt *s)
{
    if (visit_expr(c, s->v.assign.value) < 0)
        return -1;
    ast_exprs t = s->v.assign.targets;
    for (int i = 0; i < t.n; i++) {
        if (i < t.n - 1 && emit(c, OP_COPY, 1) < 0)
            return -1;
        if (visit_store_target(c, t.items[i]) < 0)
            return -1;
    }
    return 0;
}

static int compile_augassign(compiler *c, ast_stmt *s)
{
    ast_expr *t = s->v.augassign.target;
    int op = s->v.augassign.op + PY_NB_INPLACE;
    py_position old = set_pos(c, t->pos);
    switch (t->kind) {
    case E_NAME:
        if (nameop(c, t->v.name.id, CTX_LOAD) < 0 || visit_expr(c, s->v.augassign.value) < 0)
            return -1;
        set_pos(c, s->pos);
        if (emit(c, OP_BINARY_OP, op) < 0)
            return -1;
        set_pos(c, t->pos);
        if (nameop(c, t->v.name.id, CTX_STORE) < 0)
            return -1;
        break;
    case E_ATTRIBUTE:
        if (visit_expr(c, t->v.attribute.value) < 0 || emit(c, OP_COPY, 1) < 0 ||
            emit_name_op(c, OP_LOAD_ATTR, t->v.attribute.attr) < 0 || visit_expr(c, s->v.augassign.value) < 0)
            return -1;
        set_pos(c, s->pos);
        if (emit(c, OP_BINARY_OP, op) < 0)
            return -1;
        set_pos(c, t->pos);
        if (emit(c, OP_SWAP, 2) < 0 || emit_name_op(c, OP_STORE_ATTR, t->v.attribute.attr) < 0)
            return -1;
        break;
    default: /* subscript */
        if (visit_expr(c, t->v.subscript.value) < 0 || visit_expr(c, t->v.subscript.slice) < 0 ||
            emit(c, OP_COPY, 2) < 0 || emit(c, OP_COPY, 2) < 0 || emit0(c, OP_BINARY_SUBSCR) < 0 ||
            visit_expr(c, s->v.augassign.value) < 0)
            return -1;
        set_pos(c, s->pos);
        if (emit(c, OP_BINARY_OP, op) < 0)
            return -1;
        set_pos(c, t->pos);
        if (emit(c, OP_SWAP, 3) < 0 || emit(c, OP_SWAP, 2) < 0 || emit0(c, OP_STORE_SUBSCR) < 0)
            return -1;
        break;
    }
    c->u->pos = old;
    return 0;
}

static int jump_if(compiler *c, ast_expr *e, bool cond, int label);

static int jump_if_boolop(compiler *c, ast_expr *e, bool cond, int label)
{
    ast_exprs v = e->v.boolop.values;
    bool is_or = e->v.boolop.is_or;
    int next = label;
    if (is_or != cond && (next = new_label(c)) < 0)
        return -1;
    for (int i = 0; i < v.n - 1; i++)
        if (jump_if(c, v.items[i], is_or, next) < 0)
            return -1;
    if (jump_if(c, v.items[v.n - 1], cond, label) < 0)
        return -1;
    if (next != label)
        use_label(c, next);
    return 0;
}

static int jump_if(compiler *c, ast_expr *e, bool cond, int label)
{
    if (e->kind == E_UNARYOP && e->v.unary.op == UOP_NOT)
        return jump_if(c, e->v.unary.operand, !cond, label);
    if (e->kind == E_BOOLOP)
        return jump_if_boolop(c, e, cond, label);
    if (visit_expr(c, e) < 0)
        return -1;
    /* the jump, and what follows it until the next statement, carry the test's span */
    set_pos(c, e->pos);
    return emit_jump(c, cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, label);
}

static int compile_if(compiler *c, ast_stmt *s)
{
    int end = new_label(c), orelse = s->v.cond.orelse.n ? new_label(c) : end;
    if (end < 0 || orelse < 0 || jump_if(c, s->v.cond.test, false, orelse) < 0 ||
        visit_stmts(c, s->v.cond.body) < 0)
        return -1;
    if (s->v.cond.orelse.n) {
        if (emit_jump(c, OP_JUMP, end) < 0)
            return -1;
        use_label(c, orelse);
        if (visit_stmts(c, s->v.cond.orelse) < 0)
            return -1;
    }
    use_label(c, end);
    return 0;
}

static bool is_true_constant(ast_expr *e)
{
    return e->kind == E_CONSTANT && e->v.constant.ckind == C_TRUE;
}

static int compile_while(compiler *c, ast_stmt *s)
{
    int top = new_label(c), orelse = new_label(c), exit = new_label(c);
    if (top < 0 || orelse < 0 || exit < 0)
        return -1;
    use_label(c, top);
    if (!is_true_constant(s->v.cond.test) && jump_if(c, s->v.cond.test, false, orelse) < 0)
        return -1;
    if (push_fblock(c, FB_WHILE, top, exit, s->pos) < 0 || visit_stmts(c, s->v.cond.body) < 0)
        return -1;
    pop_fblock(c);
    set_pos(c, s->pos);
    if (emit_jump(c, OP_JUMP, top) < 0)
        return -1;
    use_label(c, orelse);
    if (visit_stmts(c, s->v.cond.orelse) < 0)
        return -1;
    use_label(c, exit);
    return 0;
}

static int compile_for(compiler *c, ast_stmt *s)
{
    int top = new_label(c), cleanup = new_label(c), exit = new_label(c);
    if (top < 0 || cleanup < 0 || exit < 0 || visit_expr(c, s->v.for_.iter) < 0)
        return -1;
    set_pos(c, s->pos);
    if (emit0(c, OP_GET_ITER) < 0)
        return -1;
    use_label(c, top);
    if (emit_jump(c, OP_FOR_ITER, cleanup) < 0)
        return -1;
    if (push_fblock(c, FB_FOR, top, exit, s->pos) < 0 || visit_store_target(c, s->v.for_.target) < 0 ||
        visit_stmts(c, s->v.for_.body) < 0)
        return -1;
    pop_fblock(c);
    if (emit_jump(c, OP_JUMP, top) < 0)
        return -1;
    use_label(c, cleanup);
    if (visit_stmts(c, s->v.for_.orelse) < 0)
        return -1;
    use_label(c, exit);
    return 0;
}

static int compile_return(compiler *c, ast_stmt *s)
{
    if (c->u->ste->kind != ST_FUNCTION)
        return compile_error(c, s->pos, "'return' outside function");
    ast_expr *v = s->v.value.value;
    if (v && visit_expr(c, v) < 0)
        return -1;
    if (!v && load_none(c) < 0)
        return -1;
    if (unwind_all(c, true, NULL) < 0)
        return -1;
    set_pos(c, s->pos);
    return emit0(c, OP_RETURN_VALUE);
}

static int compile_break_continue(compiler *c, ast_stmt *s, bool is_break)
{
    fblock *loop = NULL;
    if (unwind_all(c, false, &loop) < 0)
        return -1;
    if (!loop)
        return compile_error(c, s->pos, is_break ? "'break' outside loop" : "'continue' not properly in loop");
    /* the blocks inside the loop are undone; a break also leaves the loop itself */
    fblock l = *loop;
    if (!is_break)
        return emit_jump(c, OP_JUMP, l.top);
    if (unwind_fblock(c, &l, false) < 0)
        return -1;
    return emit_jump(c, OP_JUMP, l.exit);
}

static int compile_raise(compiler *c, ast_stmt *s)
{
    int n = 0;
    if (s->v.raise.exc) {
        if (visit_expr(c, s->v.raise.exc) < 0)
            return -1;
        n++;
        if (s->v.raise.cause) {
            if (visit_expr(c, s->v.raise.cause) < 0)
                return -1;
            n++;
        }
    }
    set_pos(c, s->pos);
    return emit(c, OP_RAISE_VARARGS, n);
}

static int compile_assert(compiler *c, ast_stmt *s)
{
    int end = new_label(c);
    if (end < 0 || jump_if(c, s->v.assert_.test, true, end) < 0)
        return -1;
    if (emit0(c, OP_LOAD_ASSERTION_ERROR) < 0)
        return -1;
    if (s->v.assert_.msg) {
        if (visit_expr(c, s->v.assert_.msg) < 0)
            return -1;
        if (emit(c, OP_CALL, 0) < 0)
            return -1;
    }
    if (emit(c, OP_RAISE_VARARGS, 1) < 0)
        return -1;
    use_label(c, end);
    return 0;
}

static int compile_import(compiler *c, ast_stmt *s)
{
    for (int i = 0; i < s->v.import.nnames; i++) {
        ast_alias *a = &s->v.import.names[i];
        if (load_const(c, C_INT, "0", 1) < 0 || load_none(c) < 0 || emit_name_op(c, OP_IMPORT_NAME, a->name) < 0)
            return -1;
        const char *dot = strchr(a->name, '.');
        if (!a->asname) {
            const char *top = dot ? intern(c, a->name, (size_t)(dot - a->name)) : a->name;
            if (!top || nameop(c, top, CTX_STORE) < 0)
                return -1;
            continue;
        }
        while (dot) {
            const char *next = strchr(dot + 1, '.');
            size_t n = next ? (size_t)(next - dot - 1) : strlen(dot + 1);
            const char *attr = intern(c, dot + 1, n);
            if (!attr || emit_name_op(c, OP_IMPORT_FROM, attr) < 0)
                return -1;
            if (next && (emit(c, OP_SWAP, 2) < 0 || emit0(c, OP_POP_TOP) < 0))
                return -1;
            dot = next;
        }
        if (nameop(c, a->asname, CTX_STORE) < 0)
            return -1;
        if (strchr(a->name, '.') && emit0(c, OP_POP_TOP) < 0)
            return -1;
    }
    return 0;
}

static int compile_import_from(compiler *c, ast_stmt *s)
{
    int n = s->v.import.nnames;
    int *members = tl_heap_alloc(vm.heap, (size_t)n * sizeof *members + 1);
    if (!members)
        return fail_nomem(c);
    int r = 0;
    for (int i = 0; i < n && r >= 0; i++)
        r = members[i] = add_const_str(c, s->v.import.names[i].name);
    int fromlist = r >= 0 ? add_const_tuple(c, members, n) : -1;
    tl_heap_free(members);
    if (fromlist < 0 || add_const_int(c, s->v.import.level) < 0)
        return -1;
    if (emit(c, OP_LOAD_CONST, add_const_int(c, s->v.import.level)) < 0 || emit(c, OP_LOAD_CONST, fromlist) < 0)
        return -1;
    const char *module = s->v.import.module ? s->v.import.module : intern(c, "", 0);
    if (!module || emit_name_op(c, OP_IMPORT_NAME, module) < 0)
        return -1;
    if (n == 1 && s->v.import.names[0].name[0] == '*')
        return emit0(c, OP_IMPORT_STAR);
    for (int i = 0; i < n; i++) {
        ast_alias *a = &s->v.import.names[i];
        if (emit_name_op(c, OP_IMPORT_FROM, a->name) < 0 || nameop(c, a->asname ? a->asname : a->name, CTX_STORE) < 0)
            return -1;
    }
    return emit0(c, OP_POP_TOP);
}

/* --- try ------------------------------------------------------------------------------------------------------ */

static int pop_except_and_reraise(compiler *c)
{
    if (emit(c, OP_SWAP, 2) < 0 || emit0(c, OP_POP_EXCEPT) < 0)
        return -1;
    return emit(c, OP_RERAISE, 0);
}

static int compile_handler_body(compiler *c, ast_handler *h, int end)
{
    if (h->name) {
        int cleanup_body = new_label(c);
        if (cleanup_body < 0 || nameop(c, h->name, CTX_STORE) < 0 || emit_jump(c, OP_SETUP_FINALLY, cleanup_body) < 0)
            return -1;
        if (push_fblock(c, FB_HANDLER_CLEANUP, -1, -1, h->pos) < 0)
            return -1;
        c->u->fb[c->u->nfb - 1].name = h->name;
        if (visit_stmts(c, h->body) < 0)
            return -1;
        pop_fblock(c);
        set_pos(c, h->pos);
        if (emit0(c, OP_POP_BLOCK) < 0 || emit0(c, OP_POP_BLOCK) < 0 || emit0(c, OP_POP_EXCEPT) < 0 ||
            clear_name(c, h->name) < 0 || emit_jump(c, OP_JUMP, end) < 0)
            return -1;
        use_label(c, cleanup_body);
        if (clear_name(c, h->name) < 0)
            return -1;
        return emit(c, OP_RERAISE, 0);
    }
    if (emit0(c, OP_POP_TOP) < 0 || push_fblock(c, FB_HANDLER_CLEANUP, -1, -1, h->pos) < 0)
        return -1;
    if (visit_stmts(c, h->body) < 0)
        return -1;
    pop_fblock(c);
    set_pos(c, h->pos);
    if (emit0(c, OP_POP_BLOCK) < 0 || emit0(c, OP_POP_EXCEPT) < 0)
        return -1;
    return emit_jump(c, OP_JUMP, end);
}

static int compile_handlers(compiler *c, ast_stmt *s, int end)
{
    int cleanup = new_label(c);
    if (cleanup < 0 || emit_jump(c, OP_SETUP_FINALLY, cleanup) < 0 || emit0(c, OP_PUSH_EXC_INFO) < 0)
        return -1;
    if (push_fblock(c, FB_EXCEPTION_HANDLER, -1, -1, s->pos) < 0)
        return -1;
    for (int i = 0; i < s->v.try_.nhandlers; i++) {
        ast_handler *h = &s->v.try_.handlers[i];
        set_pos(c, h->pos);
        if (!h->type && i < s->v.try_.nhandlers - 1)
            return compile_error(c, h->pos, "default 'except:' must be last");
        int next = new_label(c);
        if (next < 0)
            return -1;
        if (h->type) {
            if (visit_expr(c, h->type) < 0)
                return -1;
            set_pos(c, h->pos);
            if (emit0(c, OP_CHECK_EXC_MATCH) < 0 || emit_jump(c, OP_POP_JUMP_IF_FALSE, next) < 0)
                return -1;
        }
        if (compile_handler_body(c, h, end) < 0)
            return -1;
        use_label(c, next);
    }
    pop_fblock(c);
    if (emit(c, OP_RERAISE, 0) < 0)
        return -1;
    use_label(c, cleanup);
    return pop_except_and_reraise(c);
}

static int compile_try_except(compiler *c, ast_stmt *s)
{
    int handler = new_label(c), end = new_label(c);
    if (handler < 0 || end < 0 || emit_jump(c, OP_SETUP_FINALLY, handler) < 0)
        return -1;
    if (push_fblock(c, FB_TRY_EXCEPT, -1, -1, s->pos) < 0 || visit_stmts(c, s->v.try_.body) < 0)
        return -1;
    pop_fblock(c);
    if (emit0(c, OP_POP_BLOCK) < 0 || visit_stmts(c, s->v.try_.orelse) < 0 || emit_jump(c, OP_JUMP, end) < 0)
        return -1;
    use_label(c, handler);
    if (compile_handlers(c, s, end) < 0)
        return -1;
    use_label(c, end);
    return 0;
}

static int compile_try_finally(compiler *c, ast_stmt *s)
{
    int end = new_label(c), exit = new_label(c), cleanup = new_label(c);
    if (end < 0 || exit < 0 || cleanup < 0 || emit_jump(c, OP_SETUP_FINALLY, end) < 0)
        return -1;
    if (push_fblock(c, FB_FINALLY_TRY, -1, -1, s->pos) < 0)
        return -1;
    c->u->fb[c->u->nfb - 1].finalbody = &s->v.try_.finalbody;
    int r = s->v.try_.nhandlers ? compile_try_except(c, s) : visit_stmts(c, s->v.try_.body);
    if (r < 0)
        return -1;
    pop_fblock(c);
    if (emit0(c, OP_POP_BLOCK) < 0 || visit_stmts(c, s->v.try_.finalbody) < 0 || emit_jump(c, OP_JUMP, exit) < 0)
        return -1;
    use_label(c, end);
    set_pos(c, s->pos);
    if (emit_jump(c, OP_SETUP_FINALLY, cleanup) < 0 || emit0(c, OP_PUSH_EXC_INFO) < 0 ||
        push_fblock(c, FB_FINALLY_END, -1, -1, s->pos) < 0 || visit_stmts(c, s->v.try_.finalbody) < 0)
        return -1;
    pop_fblock(c);
    if (emit(c, OP_RERAISE, 0) < 0)
        return -1;
    use_label(c, cleanup);
    if (pop_except_and_reraise(c) < 0)
        return -1;
    use_label(c, exit);
    return 0;
}

static int compile_try(compiler *c, ast_stmt *s)
{
    return s->v.try_.finalbody.n ? compile_try_finally(c, s) : compile_try_except(c, s);
}

/* --- with --------------------------------------------------------------------------------------------- */

static int compile_with_item(compiler *c, ast_stmt *s, int i)
{
    ast_withitem *item = &s->v.with.items[i];
    int final = new_label(c), exit = new_label(c), cleanup = new_label(c), suppress = new_label(c);
    if (final < 0 || exit < 0 || cleanup < 0 || suppress < 0 || visit_expr(c, item->context) < 0)
        return -1;
    set_pos(c, s->pos);
    if (emit_jump(c, OP_BEFORE_WITH, final) < 0)
        return -1;
    int r = item->target ? visit_store_target(c, item->target) : emit0(c, OP_POP_TOP);
    if (r < 0 || push_fblock(c, FB_WITH, -1, -1, s->pos) < 0)
        return -1;
    r = i + 1 < s->v.with.nitems ? compile_with_item(c, s, i + 1) : visit_stmts(c, s->v.with.body);
    if (r < 0)
        return -1;
    pop_fblock(c);
    set_pos(c, s->pos);
    if (emit0(c, OP_POP_BLOCK) < 0 || call_exit_with_nones(c) < 0 || emit0(c, OP_POP_TOP) < 0 ||
        emit_jump(c, OP_JUMP, exit) < 0)
        return -1;
    use_label(c, final);
    if (emit_jump(c, OP_SETUP_FINALLY, cleanup) < 0 || emit0(c, OP_PUSH_EXC_INFO) < 0 ||
        emit0(c, OP_WITH_EXCEPT_START) < 0 || emit_jump(c, OP_POP_JUMP_IF_TRUE, suppress) < 0 ||
        emit(c, OP_RERAISE, 0) < 0)
        return -1;
    use_label(c, suppress);
    if (emit0(c, OP_POP_TOP) < 0 || emit0(c, OP_POP_BLOCK) < 0 || emit0(c, OP_POP_EXCEPT) < 0 ||
        emit0(c, OP_POP_TOP) < 0 || emit_jump(c, OP_JUMP, exit) < 0)
        return -1;
    use_label(c, cleanup);
    if (pop_except_and_reraise(c) < 0)
        return -1;
    use_label(c, exit);
    return 0;
}

/* --- functions and classes ------------------------------------------------------------------------------- */

/* Pushes the closure tuple for code's free variables; returns 8 or 0, -1. */
static int make_closure(compiler *c, st_scope *child, py_obj *code)
{
    py_code *co = py_code_cast(code);
    if (co->nfrees == 0)
        return 0;
    int base = co->nlocals + co->ncells;
    for (int i = 0; i < co->nfrees; i++) {
        py_obj *nm = py_tuple_items(co->localsplusnames)[base + i];
        const char *name = intern(c, py_str_utf8(nm), py_str_nbytes(nm));
        if (!name)
            return -1;
        cunit *u = c->u;
        int idx;
        bool cell = (u->is_class && strcmp(name, "__class__") == 0) || st_binding_of(u->ste, name) == SC_CELL;
        if (cell) {
            if ((idx = nl_add(c, &u->cellvars, name)) < 0 || emit_full(c, OP_LOAD_CLOSURE, idx, -1, DK_CELL) < 0)
                return -1;
        } else if ((idx = nl_add(c, &u->freevars, name)) < 0 || emit_full(c, OP_LOAD_CLOSURE, idx, -1, DK_FREE) < 0) {
            return -1;
        }
    }
    if (emit(c, OP_BUILD_TUPLE, co->nfrees) < 0)
        return -1;
    return 8;
}

/* Emits [defaults] [kwdefaults] [closure] code MAKE_FUNCTION; steals code. */
static int emit_make_function(compiler *c, st_scope *child, py_obj *code, int flags)
{
    int cl = make_closure(c, child, code);
    if (cl < 0) {
        tl_decref(code);
        return -1;
    }
    int i = add_const_obj(c, CK_CODE, NULL, 0, code);
    if (i < 0 || emit(c, OP_LOAD_CONST, i) < 0)
        return -1;
    return emit(c, OP_MAKE_FUNCTION, flags | cl);
}

static int visit_defaults(compiler *c, ast_args *a)
{
    int flags = 0;
    if (a->defaults.n) {
        for (int i = 0; i < a->defaults.n; i++)
            if (visit_expr(c, a->defaults.items[i]) < 0)
                return -1;
        if (emit(c, OP_BUILD_TUPLE, a->defaults.n) < 0)
            return -1;
        flags |= 1;
    }
    int nkw = 0;
    for (int i = 0; i < a->nkwonly; i++) {
        if (!a->kw_defaults[i])
            continue;
        const char *m = mangle(c, c->u->private_name, a->kwonly[i].name);
        if (!m || load_const(c, C_STR, m, strlen(m)) < 0 || visit_expr(c, a->kw_defaults[i]) < 0)
            return -1;
        nkw++;
    }
    if (nkw) {
        if (emit(c, OP_BUILD_MAP, nkw) < 0)
            return -1;
        flags |= 2;
    }
    return flags;
}

static void set_arg_counts(cunit *u, ast_args *a)
{
    u->argcount = a->nposonly + a->nargs;
    u->posonly = a->nposonly;
    u->kwonly = a->nkwonly;
    u->varargs = a->vararg != NULL;
    u->varkw = a->kwarg != NULL;
}

static int implicit_return(compiler *c)
{
    if (load_none(c) < 0)
        return -1;
    return emit0(c, OP_RETURN_VALUE);
}

static py_obj *compile_function_body(compiler *c, ast_stmt *s, int firstlineno)
{
    st_scope *fs = s->v.funcdef.scope;
    if (enter_unit(c, fs, s->v.funcdef.name, firstlineno) < 0)
        return NULL;
    cunit *u = c->u;
    set_arg_counts(u, s->v.funcdef.args);
    ast_stmts body = s->v.funcdef.body;
    bool doc = is_docstring(body);
    ast_expr *d = doc ? body.items[0]->v.value.value : NULL;
    /* consts[0] is the docstring or None: the function's __doc__ */
    int r = doc ? add_const(c, C_STR, d->v.constant.s, d->v.constant.len) : add_const(c, C_NONE, NULL, 0);
    if (r >= 0 && emit_prologue(c) == 0) {
        ast_stmts rest = {body.items + doc, body.n - doc};
        if (visit_stmts(c, rest) == 0) {
            set_pos(c, body.items[body.n - 1]->pos);
            implicit_return(c);
        }
    }
    py_obj *code = assemble(c);
    leave_unit(c);
    return code;
}

static int apply_decorators(compiler *c, ast_exprs decs)
{
    for (int i = decs.n - 1; i >= 0; i--) {
        py_position old = set_pos(c, decs.items[i]->pos);
        if (emit(c, OP_CALL, 0) < 0)
            return -1;
        c->u->pos = old;
    }
    return 0;
}

static int compile_funcdef(compiler *c, ast_stmt *s)
{
    ast_exprs decs = s->v.funcdef.decorators;
    if (visit_exprs_list(c, decs) < 0)
        return -1;
    int firstlineno = decs.n ? decs.items[0]->pos.lineno : s->pos.lineno;
    int flags = visit_defaults(c, s->v.funcdef.args);
    if (flags < 0)
        return -1;
    py_obj *code = compile_function_body(c, s, firstlineno);
    if (!code)
        return -1;
    set_pos(c, s->pos);
    if (emit_make_function(c, s->v.funcdef.scope, code, flags) < 0 || apply_decorators(c, decs) < 0)
        return -1;
    return nameop(c, s->v.funcdef.name, CTX_STORE);
}

static int emit_store_name_str(compiler *c, const char *name)
{
    const char *n = intern(c, name, strlen(name));
    return n ? emit_name_op(c, OP_STORE_NAME, n) : -1;
}

static int class_body_prologue(compiler *c, ast_stmts body)
{
    const char *modname = intern(c, "__name__", 8);
    if (!modname || emit_name_op(c, OP_LOAD_NAME, modname) < 0 || emit_store_name_str(c, "__module__") < 0)
        return -1;
    if (load_const(c, C_STR, c->u->qualname, strlen(c->u->qualname)) < 0 ||
        emit_store_name_str(c, "__qualname__") < 0)
        return -1;
    if (is_docstring(body)) {
        ast_expr *d = body.items[0]->v.value.value;
        if (load_const(c, C_STR, d->v.constant.s, d->v.constant.len) < 0 || emit_store_name_str(c, "__doc__") < 0)
            return -1;
    }
    return 0;
}

static int class_body_epilogue(compiler *c)
{
    cunit *u = c->u;
    if (!u->ste->needs_class_closure)
        return implicit_return(c);
    if (emit_full(c, OP_LOAD_CLOSURE, 0, -1, DK_CELL) < 0 || emit(c, OP_COPY, 1) < 0 ||
        emit_store_name_str(c, "__classcell__") < 0)
        return -1;
    return emit0(c, OP_RETURN_VALUE);
}

static py_obj *compile_class_body(compiler *c, ast_stmt *s, int firstlineno)
{
    if (enter_unit(c, s->v.classdef.scope, s->v.classdef.name, firstlineno) < 0)
        return NULL;
    ast_stmts body = s->v.classdef.body;
    bool doc = is_docstring(body);
    set_pos(c, s->pos);
    if (emit_prologue(c) == 0 && class_body_prologue(c, body) == 0) {
        ast_stmts rest = {body.items + doc, body.n - doc};
        if (visit_stmts(c, rest) == 0) {
            set_pos(c, s->pos);
            class_body_epilogue(c);
        }
    }
    py_obj *code = assemble(c);
    leave_unit(c);
    return code;
}

static int compile_call_helper(compiler *c, int n, ast_exprs args, ast_keyword *kws, int nkws, ast_pos pos);

static int compile_classdef(compiler *c, ast_stmt *s)
{
    ast_exprs decs = s->v.classdef.decorators;
    if (visit_exprs_list(c, decs) < 0)
        return -1;
    int firstlineno = decs.n ? decs.items[0]->pos.lineno : s->pos.lineno;
    py_obj *code = compile_class_body(c, s, firstlineno);
    if (!code)
        return -1;
    set_pos(c, s->pos);
    if (emit0(c, OP_PUSH_NULL) < 0 || emit0(c, OP_LOAD_BUILD_CLASS) < 0)
        return tl_decref(code), -1;
    if (emit_make_function(c, s->v.classdef.scope, code, 0) < 0)
        return -1;
    const char *name = s->v.classdef.name;
    if (load_const(c, C_STR, name, strlen(name)) < 0)
        return -1;
    if (compile_call_helper(c, 2, s->v.classdef.bases, s->v.classdef.kws, s->v.classdef.nkws, s->pos) < 0)
        return -1;
    set_pos(c, s->pos);
    if (apply_decorators(c, decs) < 0)
        return -1;
    return nameop(c, name, CTX_STORE);
}

/* --- statement dispatch ---------------------------------------------------------------------------------- */

static int compile_expr_stmt(compiler *c, ast_stmt *s)
{
    ast_expr *v = s->v.value.value;
    if (c->interactive && c->nest <= 1) {
        if (visit_expr(c, v) < 0)
            return -1;
        set_pos(c, s->pos);
        return emit0(c, OP_PRINT_EXPR);
    }
    if (v->kind == E_CONSTANT)
        return 0;
    if (visit_expr(c, v) < 0)
        return -1;
    set_pos(c, s->pos);
    return emit0(c, OP_POP_TOP);
}

static int compile_annassign(compiler *c, ast_stmt *s)
{
    if (!s->v.annassign.value)
        return 0;
    if (visit_expr(c, s->v.annassign.value) < 0)
        return -1;
    return visit_store_target(c, s->v.annassign.target);
}

static int compile_delete(compiler *c, ast_stmt *s)
{
    for (int i = 0; i < s->v.del.targets.n; i++)
        if (visit_del_target(c, s->v.del.targets.items[i]) < 0)
            return -1;
    return 0;
}

static int visit_stmt(compiler *c, ast_stmt *s)
{
    set_pos(c, s->pos);
    switch (s->kind) {
    case S_FUNCDEF: return compile_funcdef(c, s);
    case S_CLASSDEF: return compile_classdef(c, s);
    case S_RETURN: return compile_return(c, s);
    case S_DELETE: return compile_delete(c, s);
    case S_ASSIGN: return compile_assign(c, s);
    case S_AUGASSIGN: return compile_augassign(c, s);
    case S_ANNASSIGN: return compile_annassign(c, s);
    case S_FOR: return compile_for(c, s);
    case S_WHILE: return compile_while(c, s);
    case S_IF: return compile_if(c, s);
    case S_WITH: return compile_with_item(c, s, 0);
    case S_RAISE: return compile_raise(c, s);
    case S_TRY: return compile_try(c, s);
    case S_ASSERT: return compile_assert(c, s);
    case S_IMPORT: return compile_import(c, s);
    case S_IMPORTFROM: return compile_import_from(c, s);
    case S_EXPR: return compile_expr_stmt(c, s);
    case S_BREAK: return compile_break_continue(c, s, true);
    case S_CONTINUE: return compile_break_continue(c, s, false);
    case S_GLOBAL: case S_NONLOCAL: case S_PASS: return 0;
    }
    return 0;
}

static int visit_stmts(compiler *c, ast_stmts body)
{
    for (int i = 0; i < body.n; i++)
        if (visit_stmt(c, body.items[i]) < 0)
            return -1;
    return 0;
}

/* --- expressions ---------------------------------------------------------------------------------------- */

static int visit_exprs_list(compiler *c, ast_exprs es)
{
    for (int i = 0; i < es.n; i++)
        if (visit_expr(c, es.items[i]) < 0)
            return -1;
    return 0;
}

static int compile_constant(compiler *c, ast_expr *e)
{
    return load_const(c, e->v.constant.ckind, e->v.constant.s, e->v.constant.len);
}

static int compile_boolop(compiler *c, ast_expr *e)
{
    int end = new_label(c);
    ast_exprs v = e->v.boolop.values;
    int op = e->v.boolop.is_or ? OP_JUMP_IF_TRUE_OR_POP : OP_JUMP_IF_FALSE_OR_POP;
    for (int i = 0; i < v.n - 1; i++)
        if (visit_expr(c, v.items[i]) < 0 || emit_jump(c, op, end) < 0)
            return -1;
    if (visit_expr(c, v.items[v.n - 1]) < 0)
        return -1;
    use_label(c, end);
    return 0;
}

static int compare_one(compiler *c, ast_cmpop op)
{
    switch (op) {
    case CMP_IS: return emit(c, OP_IS_OP, 0);
    case CMP_ISNOT: return emit(c, OP_IS_OP, 1);
    case CMP_IN: return emit(c, OP_CONTAINS_OP, 0);
    case CMP_NOTIN: return emit(c, OP_CONTAINS_OP, 1);
    default: return emit(c, OP_COMPARE_OP, (int)op);
    }
}

static int compile_compare(compiler *c, ast_expr *e)
{
    ast_exprs cmp = e->v.compare.comparators;
    int n = cmp.n;
    if (visit_expr(c, e->v.compare.left) < 0)
        return -1;
    if (n == 1) {
        if (visit_expr(c, cmp.items[0]) < 0)
            return -1;
        return compare_one(c, e->v.compare.ops[0]);
    }
    int cleanup = new_label(c), end = new_label(c);
    for (int i = 0; i < n - 1; i++) {
        if (visit_expr(c, cmp.items[i]) < 0 || emit(c, OP_SWAP, 2) < 0 || emit(c, OP_COPY, 2) < 0 ||
            compare_one(c, e->v.compare.ops[i]) < 0 || emit_jump(c, OP_JUMP_IF_FALSE_OR_POP, cleanup) < 0)
            return -1;
    }
    if (visit_expr(c, cmp.items[n - 1]) < 0 || compare_one(c, e->v.compare.ops[n - 1]) < 0 ||
        emit_jump(c, OP_JUMP, end) < 0)
        return -1;
    use_label(c, cleanup);
    if (emit(c, OP_SWAP, 2) < 0 || emit0(c, OP_POP_TOP) < 0)
        return -1;
    use_label(c, end);
    return 0;
}

static int compile_ifexp(compiler *c, ast_expr *e)
{
    int orelse = new_label(c), end = new_label(c);
    if (orelse < 0 || end < 0 || jump_if(c, e->v.ifexp.test, false, orelse) < 0 ||
        visit_expr(c, e->v.ifexp.body) < 0 || emit_jump(c, OP_JUMP, end) < 0)
        return -1;
    use_label(c, orelse);
    if (visit_expr(c, e->v.ifexp.orelse) < 0)
        return -1;
    use_label(c, end);
    return 0;
}

static bool has_starred(ast_exprs es)
{
    for (int i = 0; i < es.n; i++)
        if (es.items[i]->kind == E_STARRED)
            return true;
    return false;
}

static bool all_constant(ast_exprs es)
{
    for (int i = 0; i < es.n; i++)
        if (es.items[i]->kind != E_CONSTANT || es.items[i]->v.constant.ckind == C_IMAG)
            return false;
    return true;
}

static int constant_tuple(compiler *c, ast_exprs es)
{
    int *members = tl_heap_alloc(vm.heap, (size_t)es.n * sizeof *members + 1);
    if (!members)
        return fail_nomem(c);
    int r = 0;
    for (int i = 0; i < es.n && r >= 0; i++) {
        ast_expr *k = es.items[i];
        r = members[i] = add_const(c, k->v.constant.ckind, k->v.constant.s, k->v.constant.len);
    }
    int t = r >= 0 ? add_const_tuple(c, members, es.n) : -1;
    tl_heap_free(members);
    return t < 0 ? -1 : emit(c, OP_LOAD_CONST, t);
}

/* Displays with *unpacking: build a list/set and extend it. */
static int starunpack(compiler *c, ast_exprs es, int build, int add, int extend, bool tuple)
{
    int i = 0;
    while (i < es.n && es.items[i]->kind != E_STARRED) {
        if (visit_expr(c, es.items[i]) < 0)
            return -1;
        i++;
    }
    if (emit(c, build, i) < 0)
        return -1;
    for (; i < es.n; i++) {
        ast_expr *x = es.items[i];
        if (x->kind == E_STARRED) {
            if (visit_expr(c, x->v.starred.value) < 0 || emit(c, extend, 1) < 0)
                return -1;
        } else if (visit_expr(c, x) < 0 || emit(c, add, 1) < 0) {
            return -1;
        }
    }
    return tuple ? emit0(c, OP_LIST_TO_TUPLE) : 0;
}

static int compile_sequence(compiler *c, ast_expr *e)
{
    ast_exprs elts = e->v.seq.elts;
    if (has_starred(elts)) {
        if (e->kind == E_SET)
            return starunpack(c, elts, OP_BUILD_SET, OP_SET_ADD, OP_SET_UPDATE, false);
        return starunpack(c, elts, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, e->kind == E_TUPLE);
    }
    if (e->kind == E_TUPLE && elts.n > 0 && all_constant(elts))
        return constant_tuple(c, elts);
    if (e->kind != E_TUPLE && elts.n > 2 && all_constant(elts)) {
        /* CPython 3.11's shape: an empty list (set) extended by a constant
         * tuple, which also gives the list the capacity CPython's has. */
        bool list = e->kind == E_LIST;
        if (emit(c, list ? OP_BUILD_LIST : OP_BUILD_SET, 0) < 0 || constant_tuple(c, elts) < 0)
            return -1;
        return emit(c, list ? OP_LIST_EXTEND : OP_SET_UPDATE, 1);
    }
    if (visit_exprs_list(c, elts) < 0)
        return -1;
    int op = e->kind == E_TUPLE ? OP_BUILD_TUPLE : e->kind == E_LIST ? OP_BUILD_LIST : OP_BUILD_SET;
    return emit(c, op, elts.n);
}

static int compile_dict(compiler *c, ast_expr *e)
{
    ast_exprs keys = e->v.dict.keys, values = e->v.dict.values;
    bool have_dict = false;
    int pending = 0;
    for (int i = 0; i < keys.n; i++) {
        if (keys.items[i]) {
            if (visit_expr(c, keys.items[i]) < 0 || visit_expr(c, values.items[i]) < 0)
                return -1;
            pending++;
            continue;
        }
        if (pending || !have_dict) {
            if (emit(c, OP_BUILD_MAP, pending) < 0)
                return -1;
            if (have_dict && emit(c, OP_DICT_UPDATE, 1) < 0)
                return -1;
            have_dict = true;
            pending = 0;
        }
        if (visit_expr(c, values.items[i]) < 0 || emit(c, OP_DICT_UPDATE, 1) < 0)
            return -1;
    }
    if (pending || !have_dict) {
        if (emit(c, OP_BUILD_MAP, pending) < 0)
            return -1;
        if (have_dict && emit(c, OP_DICT_UPDATE, 1) < 0)
            return -1;
    }
    return 0;
}

static bool call_has_unpacking(ast_exprs args, ast_keyword *kws, int nkws)
{
    if (has_starred(args))
        return true;
    for (int i = 0; i < nkws; i++)
        if (!kws[i].arg)
            return true;
    return false;
}

/* Keyword arguments as a dict for CALL_FUNCTION_EX. */
static int compile_kwargs_dict(compiler *c, ast_keyword *kws, int nkws)
{
    bool have_dict = false;
    int pending = 0;
    for (int i = 0; i <= nkws; i++) {
        bool flush = i == nkws || !kws[i].arg;
        if (!flush) {
            if (load_const(c, C_STR, kws[i].arg, strlen(kws[i].arg)) < 0 || visit_expr(c, kws[i].value) < 0)
                return -1;
            pending++;
            continue;
        }
        if (pending) {
            if (emit(c, OP_BUILD_MAP, pending) < 0 || (have_dict && emit(c, OP_DICT_MERGE, 1) < 0))
                return -1;
            have_dict = true;
            pending = 0;
        }
        if (i == nkws)
            break;
        if (!have_dict && emit(c, OP_BUILD_MAP, 0) < 0)
            return -1;
        have_dict = true;
        if (visit_expr(c, kws[i].value) < 0 || emit(c, OP_DICT_MERGE, 1) < 0)
            return -1;
    }
    return 0;
}

static int compile_kw_names(compiler *c, ast_keyword *kws, int nkws)
{
    int *members = tl_heap_alloc(vm.heap, (size_t)nkws * sizeof *members + 1);
    if (!members)
        return fail_nomem(c);
    int r = 0;
    for (int i = 0; i < nkws && r >= 0; i++)
        r = members[i] = add_const_str(c, kws[i].arg);
    int t = r >= 0 ? add_const_tuple(c, members, nkws) : -1;
    tl_heap_free(members);
    return t < 0 ? -1 : emit(c, OP_KW_NAMES, t);
}

/* Arguments after [NULL|meth, callable|self] and n already-pushed ones. */
static int compile_call_helper(compiler *c, int n, ast_exprs args, ast_keyword *kws, int nkws, ast_pos pos)
{
    if (call_has_unpacking(args, kws, nkws) || n > 0) {
        if (n == 0 || call_has_unpacking(args, kws, nkws)) {
            /* positional tuple: the n pushed ones, then the rest */
            if (emit(c, OP_BUILD_LIST, n) < 0)
                return -1;
            for (int i = 0; i < args.n; i++) {
                ast_expr *a = args.items[i];
                bool star = a->kind == E_STARRED;
                if (visit_expr(c, star ? a->v.starred.value : a) < 0 ||
                    emit(c, star ? OP_LIST_EXTEND : OP_LIST_APPEND, 1) < 0)
                    return -1;
            }
            if (emit0(c, OP_LIST_TO_TUPLE) < 0)
                return -1;
            if (nkws && compile_kwargs_dict(c, kws, nkws) < 0)
                return -1;
            set_pos(c, pos);
            return emit(c, OP_CALL_FUNCTION_EX, nkws ? 1 : 0);
        }
    }
    if (visit_exprs_list(c, args) < 0)
        return -1;
    for (int i = 0; i < nkws; i++)
        if (visit_expr(c, kws[i].value) < 0)
            return -1;
    set_pos(c, pos);
    if (nkws && compile_kw_names(c, kws, nkws) < 0)
        return -1;
    return emit(c, OP_CALL, n + args.n + nkws);
}

static int compile_call(compiler *c, ast_expr *e)
{
    ast_expr *f = e->v.call.func;
    ast_exprs args = e->v.call.args;
    if (f->kind == E_ATTRIBUTE && !call_has_unpacking(args, e->v.call.kws, e->v.call.nkws)) {
        if (visit_expr(c, f->v.attribute.value) < 0)
            return -1;
        py_position old = set_pos(c, f->pos);
        if (emit_name_op(c, OP_LOAD_METHOD, f->v.attribute.attr) < 0)
            return -1;
        c->u->pos = old;
        return compile_call_helper(c, 0, args, e->v.call.kws, e->v.call.nkws, e->pos);
    }
    if (emit0(c, OP_PUSH_NULL) < 0 || visit_expr(c, f) < 0)
        return -1;
    return compile_call_helper(c, 0, args, e->v.call.kws, e->v.call.nkws, e->pos);
}

static int compile_slice(compiler *c, ast_expr *e)
{
    ast_expr *parts[3] = {e->v.slice.lower, e->v.slice.upper, e->v.slice.step};
    int n = parts[2] ? 3 : 2;
    for (int i = 0; i < n; i++) {
        int r = parts[i] ? visit_expr(c, parts[i]) : load_none(c);
        if (r < 0)
            return -1;
    }
    return emit(c, OP_BUILD_SLICE, n);
}

static int compile_joinedstr(compiler *c, ast_expr *e)
{
    ast_exprs v = e->v.joined.values;
    if (v.n == 0)
        return load_const(c, C_STR, "", 0);
    for (int i = 0; i < v.n; i++)
        if (visit_expr(c, v.items[i]) < 0)
            return -1;
    if (v.n == 1)
        return 0;
    return emit(c, OP_BUILD_STRING, v.n);
}

static int compile_formatted(compiler *c, ast_expr *e)
{
    if (visit_expr(c, e->v.formatted.value) < 0)
        return -1;
    int conv = e->v.formatted.conversion;
    int arg = conv == 's' ? 1 : conv == 'r' ? 2 : conv == 'a' ? 3 : 0;
    if (e->v.formatted.spec) {
        if (visit_expr(c, e->v.formatted.spec) < 0)
            return -1;
        arg |= 4;
    }
    return emit(c, OP_FORMAT_VALUE, arg);
}

static int compile_yield(compiler *c, ast_expr *e)
{
    if (c->u->ste->kind != ST_FUNCTION)
        return compile_error(c, e->pos, "'yield' outside function");
    int r = e->v.yield.value ? visit_expr(c, e->v.yield.value) : load_none(c);
    if (r < 0)
        return -1;
    return emit0(c, OP_YIELD_VALUE);
}

static int compile_yield_from(compiler *c, ast_expr *e)
{
    if (c->u->ste->kind != ST_FUNCTION)
        return compile_error(c, e->pos, "'yield' outside function");
    int send = new_label(c), exit = new_label(c);
    if (send < 0 || exit < 0 || visit_expr(c, e->v.yield.value) < 0 || emit0(c, OP_GET_YIELD_FROM_ITER) < 0 ||
        load_none(c) < 0)
        return -1;
    use_label(c, send);
    if (emit_jump(c, OP_SEND, exit) < 0 || emit0(c, OP_YIELD_VALUE) < 0 || emit_jump(c, OP_JUMP, send) < 0)
        return -1;
    use_label(c, exit);
    return 0;
}

static int compile_lambda(compiler *c, ast_expr *e)
{
    int flags = visit_defaults(c, e->v.lambda.args);
    if (flags < 0)
        return -1;
    const char *name = intern(c, "<lambda>", 8);
    if (!name || enter_unit(c, e->v.lambda.scope, name, e->pos.lineno) < 0)
        return -1;
    set_arg_counts(c->u, e->v.lambda.args);
    set_pos(c, e->pos);
    py_obj *code = NULL;
    if (add_const(c, C_NONE, NULL, 0) >= 0 && emit_prologue(c) == 0 && visit_expr(c, e->v.lambda.body) == 0) {
        set_pos(c, e->v.lambda.body->pos);
        if (emit0(c, OP_RETURN_VALUE) == 0)
            code = assemble(c);
    }
    leave_unit(c);
    if (!code)
        return fail_set(c);
    return emit_make_function(c, e->v.lambda.scope, code, flags);
}

static int comp_element(compiler *c, ast_expr *e, int depth)
{
    switch (e->kind) {
    case E_LISTCOMP:
        return visit_expr(c, e->v.comp.elt) < 0 ? -1 : emit(c, OP_LIST_APPEND, depth + 1);
    case E_SETCOMP:
        return visit_expr(c, e->v.comp.elt) < 0 ? -1 : emit(c, OP_SET_ADD, depth + 1);
    case E_DICTCOMP:
        if (visit_expr(c, e->v.comp.elt) < 0 || visit_expr(c, e->v.comp.value) < 0)
            return -1;
        return emit(c, OP_MAP_ADD, depth + 1);
    default:
        if (visit_expr(c, e->v.comp.elt) < 0 || emit0(c, OP_YIELD_VALUE) < 0)
            return -1;
        return emit0(c, OP_POP_TOP);
    }
}

static int comp_generator(compiler *c, ast_expr *e, int gen)
{
    ast_comp *g = &e->v.comp.gens[gen];
    int start = new_label(c), anchor = new_label(c);
    if (start < 0 || anchor < 0)
        return -1;
    if (gen == 0) {
        if (emit(c, OP_LOAD_FAST, 0) < 0)
            return -1;
    } else if (visit_expr(c, g->iter) < 0 || emit0(c, OP_GET_ITER) < 0) {
        return -1;
    }
    use_label(c, start);
    if (emit_jump(c, OP_FOR_ITER, anchor) < 0 || visit_store_target(c, g->target) < 0)
        return -1;
    for (int i = 0; i < g->ifs.n; i++)
        if (jump_if(c, g->ifs.items[i], false, start) < 0)
            return -1;
    int r = gen + 1 < e->v.comp.ngens ? comp_generator(c, e, gen + 1) : comp_element(c, e, e->v.comp.ngens);
    if (r < 0 || emit_jump(c, OP_JUMP, start) < 0)
        return -1;
    use_label(c, anchor);
    return 0;
}

static const char *comp_name(ast_expr_kind k)
{
    switch (k) {
    case E_LISTCOMP: return "<listcomp>";
    case E_SETCOMP: return "<setcomp>";
    case E_DICTCOMP: return "<dictcomp>";
    default: return "<genexpr>";
    }
}

static int compile_comprehension(compiler *c, ast_expr *e)
{
    const char *nm = comp_name(e->kind);
    const char *name = intern(c, nm, strlen(nm));
    if (!name || enter_unit(c, e->v.comp.scope, name, e->pos.lineno) < 0)
        return -1;
    c->u->argcount = 1;
    set_pos(c, e->pos);
    int build = e->kind == E_LISTCOMP ? OP_BUILD_LIST : e->kind == E_SETCOMP ? OP_BUILD_SET
                : e->kind == E_DICTCOMP ? OP_BUILD_MAP : -1;
    py_obj *code = NULL;
    if (emit_prologue(c) == 0 && (build < 0 || emit(c, build, 0) == 0) && comp_generator(c, e, 0) == 0) {
        set_pos(c, e->pos);
        int r = build < 0 ? implicit_return(c) : emit0(c, OP_RETURN_VALUE);
        if (r == 0)
            code = assemble(c);
    }
    leave_unit(c);
    if (!code)
        return fail_set(c);
    if (emit_make_function(c, e->v.comp.scope, code, 0) < 0 || visit_expr(c, e->v.comp.gens[0].iter) < 0)
        return -1;
    set_pos(c, e->pos);
    if (emit0(c, OP_GET_ITER) < 0)
        return -1;
    return emit(c, OP_CALL, 0);
}

static int compile_subscript(compiler *c, ast_expr *e)
{
    if (visit_expr(c, e->v.subscript.value) < 0 || visit_expr(c, e->v.subscript.slice) < 0)
        return -1;
    return emit0(c, OP_BINARY_SUBSCR);
}

static int compile_unary(compiler *c, ast_expr *e)
{
    static const int ops[] = {[UOP_INVERT] = OP_UNARY_INVERT, [UOP_NOT] = OP_UNARY_NOT,
                              [UOP_POS] = OP_UNARY_POSITIVE, [UOP_NEG] = OP_UNARY_NEGATIVE};
    if (visit_expr(c, e->v.unary.operand) < 0)
        return -1;
    return emit0(c, ops[e->v.unary.op]);
}

static int visit_expr_inner(compiler *c, ast_expr *e)
{
    switch (e->kind) {
    case E_CONSTANT: return compile_constant(c, e);
    case E_NAME: return nameop(c, e->v.name.id, CTX_LOAD);
    case E_BOOLOP: return compile_boolop(c, e);
    case E_NAMEDEXPR:
        if (visit_expr(c, e->v.named.value) < 0 || emit(c, OP_COPY, 1) < 0)
            return -1;
        return nameop(c, e->v.named.target->v.name.id, CTX_STORE);
    case E_BINOP:
        if (visit_expr(c, e->v.binop.left) < 0 || visit_expr(c, e->v.binop.right) < 0)
            return -1;
        return emit(c, OP_BINARY_OP, e->v.binop.op);
    case E_UNARYOP: return compile_unary(c, e);
    case E_LAMBDA: return compile_lambda(c, e);
    case E_IFEXP: return compile_ifexp(c, e);
    case E_DICT: return compile_dict(c, e);
    case E_SET: case E_LIST: case E_TUPLE: return compile_sequence(c, e);
    case E_LISTCOMP: case E_SETCOMP: case E_DICTCOMP: case E_GENEXP: return compile_comprehension(c, e);
    case E_YIELD: return compile_yield(c, e);
    case E_YIELDFROM: return compile_yield_from(c, e);
    case E_COMPARE: return compile_compare(c, e);
    case E_CALL: return compile_call(c, e);
    case E_FORMATTED: return compile_formatted(c, e);
    case E_JOINEDSTR: return compile_joinedstr(c, e);
    case E_ATTRIBUTE:
        if (visit_expr(c, e->v.attribute.value) < 0)
            return -1;
        return emit_name_op(c, OP_LOAD_ATTR, e->v.attribute.attr);
    case E_SUBSCRIPT: return compile_subscript(c, e);
    case E_STARRED: return compile_error(c, e->pos, "can't use starred expression here");
    case E_SLICE: return compile_slice(c, e);
    }
    return 0;
}

static int visit_expr(compiler *c, ast_expr *e)
{
    if (c->failed)
        return -1;
    if (++c->depth > MAX_EXPR_DEPTH) {
        c->depth--;
        py_err_format(py_exc_RecursionError, "maximum recursion depth exceeded during compilation");
        return fail_set(c);
    }
    py_position old = set_pos(c, e->pos);
    int r = visit_expr_inner(c, e);
    c->u->pos = old;
    c->depth--;
    return r;
}

/* --- modules and entry --------------------------------------------------------------------------------- */

static int compile_module_body(compiler *c, ast_module *m, ast_mode mode)
{
    if (mode == AST_EVAL) {
        if (visit_expr(c, m->expr) < 0)
            return -1;
        return emit0(c, OP_RETURN_VALUE);
    }
    ast_stmts body = m->body;
    int skip = 0;
    if (mode == AST_EXEC && is_docstring(body)) {
        ast_expr *d = body.items[0]->v.value.value;
        set_pos(c, body.items[0]->pos);
        if (load_const(c, C_STR, d->v.constant.s, d->v.constant.len) < 0 || emit_store_name_str(c, "__doc__") < 0)
            return -1;
        skip = 1;
    }
    ast_stmts rest = {skip ? body.items + skip : body.items, body.n - skip};   /* items may be NULL */
    if (visit_stmts(c, rest) < 0)
        return -1;
    if (body.n)
        set_pos(c, body.items[body.n - 1]->pos);
    return implicit_return(c);
}

static py_obj *compile_ast(compiler *c, st_table *st, ast_module *m, ast_mode mode)
{
    const char *name = intern(c, "<module>", 8);
    if (!name || enter_unit(c, st->top, name, 1) < 0) {
        if (c->u)
            leave_unit(c);
        return NULL;
    }
    py_obj *code = NULL;
    if (compile_module_body(c, m, mode) == 0)
        code = assemble(c);
    while (c->u)
        leave_unit(c);
    return code;
}

static int parse_mode(const char *mode, ast_mode *out)
{
    if (strcmp(mode, "exec") == 0) *out = AST_EXEC;
    else if (strcmp(mode, "single") == 0) *out = AST_SINGLE;
    else if (strcmp(mode, "eval") == 0) *out = AST_EVAL;
    else {
        py_err_format(py_exc_ValueError, "compile() mode must be 'exec', 'eval' or 'single'");
        return -1;
    }
    return 0;
}

py_obj *py_compile(const char *source, size_t len, const char *filename, const char *mode)
{
    ast_mode m;
    if (parse_mode(mode, &m) < 0)
        return NULL;
    ast_arena arena;
    ast_arena_init(&arena);
    ast_module mod;
    st_table st;
    py_obj *code = NULL;
    if (ast_parse(&arena, source, len, filename, m, &mod) == 0 &&
        st_build(&st, &arena, &mod, filename, source, len) == 0) {
        compiler c = {&arena, NULL, filename, source, len, NULL, m == AST_SINGLE, 0, 0, false};
        c.filename_obj = py_str_from_utf8(filename, strlen(filename));
        if (c.filename_obj) {
            code = compile_ast(&c, &st, &mod, m);
            tl_decref(c.filename_obj);
        }
        if (!code && !py_err_occurred())
            py_err_no_memory();
    }
    ast_arena_free(&arena);
    return code;
}
