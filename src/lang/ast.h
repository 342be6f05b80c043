/* ast.h — the syntax tree the parser builds and the compiler reads, and the
 * arena that holds it.
 *
 * Every node, list and decoded literal lives in one ast_arena, made of chunks
 * from the VM's private heap and freed all at once after compilation. Nodes
 * hold no Python objects: literals stay as text (numbers) or decoded bytes
 * (strings), and the compiler makes the constants. Identifiers are interned in
 * the arena (ast_intern), so two equal names are the same pointer and the
 * symbol table compares pointers. Nodes that open a scope (def, class,
 * lambda, comprehensions) carry a `scope` slot the symbol table fills in.
 */
#ifndef TALLY_LANG_AST_H
#define TALLY_LANG_AST_H

#include "py.h"

/* --- arena ---------------------------------------------------------------------- */

typedef struct ast_chunk ast_chunk;
typedef struct ast_arena {
    ast_chunk *chunks;           /* newest first */
    char *next, *limit;          /* bump region of the newest chunk */
    const char **names;          /* interned identifiers: open hash set, cap entries */
    size_t nnames, cap;
} ast_arena;

void ast_arena_init(ast_arena *a);
void ast_arena_free(ast_arena *a);
/* Zeroed memory, or NULL with MemoryError set. */
void *ast_alloc(ast_arena *a, size_t n);
/* The canonical NUL-terminated copy of s[0..n), or NULL with MemoryError. */
const char *ast_intern(ast_arena *a, const char *s, size_t n);

/* --- positions ------------------------------------------------------------------- */

typedef struct ast_pos {
    int lineno, col, end_lineno, end_col;   /* 1-based lines, 0-based byte columns */
} ast_pos;

/* --- expressions --------------------------------------------------------------------- */

typedef enum ast_expr_kind {
    E_BOOLOP, E_NAMEDEXPR, E_BINOP, E_UNARYOP, E_LAMBDA, E_IFEXP, E_DICT, E_SET,
    E_LISTCOMP, E_SETCOMP, E_DICTCOMP, E_GENEXP, E_YIELD, E_YIELDFROM, E_COMPARE,
    E_CALL, E_FORMATTED, E_JOINEDSTR, E_CONSTANT, E_ATTRIBUTE, E_SUBSCRIPT, E_STARRED,
    E_NAME, E_LIST, E_TUPLE, E_SLICE
} ast_expr_kind;

typedef enum ast_ctx { CTX_LOAD, CTX_STORE, CTX_DEL } ast_ctx;

/* Comparison operators: the first six are enum py_cmp_op's values. */
typedef enum ast_cmpop {
    CMP_LT, CMP_LE, CMP_EQ, CMP_NE, CMP_GT, CMP_GE, CMP_IS, CMP_ISNOT, CMP_IN, CMP_NOTIN
} ast_cmpop;

typedef enum ast_unop { UOP_INVERT, UOP_NOT, UOP_POS, UOP_NEG } ast_unop;

/* Constant kinds: the literal as written, the compiler makes the object. */
typedef enum ast_const_kind {
    C_NONE, C_TRUE, C_FALSE, C_ELLIPSIS, C_INT, C_FLOAT, C_IMAG, C_STR, C_BYTES
} ast_const_kind;

typedef struct ast_expr ast_expr;
typedef struct ast_stmt ast_stmt;
typedef struct ast_args ast_args;

typedef struct ast_exprs { ast_expr **items; int n; } ast_exprs;
typedef struct ast_stmts { ast_stmt **items; int n; } ast_stmts;

typedef struct ast_keyword {
    const char *arg;             /* NULL for **kwargs */
    ast_expr *value;
    ast_pos pos;
} ast_keyword;

typedef struct ast_comp {
    ast_expr *target, *iter;
    ast_exprs ifs;
} ast_comp;

struct ast_expr {
    ast_expr_kind kind;
    ast_ctx ctx;                 /* Name, Attribute, Subscript, Starred, List, Tuple */
    ast_pos pos;
    union {
        struct { int is_or; ast_exprs values; } boolop;
        struct { ast_expr *target, *value; } named;
        struct { ast_expr *left, *right; int op; } binop;      /* op: enum py_nb_op */
        struct { ast_unop op; ast_expr *operand; } unary;
        struct { ast_args *args; ast_expr *body; void *scope; } lambda;
        struct { ast_expr *test, *body, *orelse; } ifexp;
        struct { ast_exprs keys, values; } dict;                /* keys[i] NULL: **values[i] */
        struct { ast_exprs elts; } seq;                          /* Set, List, Tuple */
        struct { ast_expr *elt, *value; ast_comp *gens; int ngens; void *scope; } comp; /* value: dict comps */
        struct { ast_expr *value; } yield;                       /* Yield (value may be NULL), YieldFrom */
        struct { ast_expr *left; ast_cmpop *ops; ast_exprs comparators; } compare;
        struct { ast_expr *func; ast_exprs args; ast_keyword *kws; int nkws; } call;
        struct { ast_expr *value; int conversion; ast_expr *spec; } formatted; /* conversion: -1 or 's','r','a' */
        struct { ast_exprs values; } joined;
        struct { ast_const_kind ckind; const char *s; size_t len; } constant;
        struct { ast_expr *value; const char *attr; } attribute;
        struct { ast_expr *value, *slice; } subscript;
        struct { ast_expr *value; } starred;
        struct { const char *id; } name;
        struct { ast_expr *lower, *upper, *step; } slice;
    } v;
};

typedef struct ast_arg {
    const char *name;
    ast_expr *annotation;
    ast_pos pos;
} ast_arg;

struct ast_args {
    ast_arg *posonly; int nposonly;
    ast_arg *args; int nargs;
    ast_arg *vararg;             /* NULL if none */
    ast_arg *kwonly; int nkwonly;
    ast_expr **kw_defaults;      /* nkwonly entries, NULL where no default */
    ast_arg *kwarg;              /* NULL if none */
    ast_exprs defaults;          /* for the last defaults.n of posonly + args */
};

/* --- statements ---------------------------------------------------------------------- */

typedef enum ast_stmt_kind {
    S_FUNCDEF, S_CLASSDEF, S_RETURN, S_DELETE, S_ASSIGN, S_AUGASSIGN, S_ANNASSIGN,
    S_FOR, S_WHILE, S_IF, S_WITH, S_RAISE, S_TRY, S_ASSERT, S_IMPORT, S_IMPORTFROM,
    S_GLOBAL, S_NONLOCAL, S_EXPR, S_PASS, S_BREAK, S_CONTINUE
} ast_stmt_kind;

typedef struct ast_alias {
    const char *name;            /* dotted; "*" for import-star */
    const char *asname;          /* NULL if none */
    ast_pos pos;
} ast_alias;

typedef struct ast_withitem {
    ast_expr *context, *target;  /* target may be NULL */
} ast_withitem;

typedef struct ast_handler {
    ast_expr *type;              /* NULL: bare except */
    const char *name;            /* NULL if no "as" */
    ast_stmts body;
    ast_pos pos;
} ast_handler;

struct ast_stmt {
    ast_stmt_kind kind;
    ast_pos pos;
    union {
        struct { const char *name; ast_args *args; ast_stmts body; ast_exprs decorators;
                 ast_expr *returns; void *scope; } funcdef;
        struct { const char *name; ast_exprs bases; ast_keyword *kws; int nkws;
                 ast_stmts body; ast_exprs decorators; void *scope; } classdef;
        struct { ast_expr *value; } value;                       /* Return (may be NULL), Expr */
        struct { ast_exprs targets; } del;
        struct { ast_exprs targets; ast_expr *value; } assign;
        struct { ast_expr *target; int op; ast_expr *value; } augassign;
        struct { ast_expr *target, *annotation, *value; int simple; } annassign;
        struct { ast_expr *target, *iter; ast_stmts body, orelse; } for_;
        struct { ast_expr *test; ast_stmts body, orelse; } cond;  /* While, If */
        struct { ast_withitem *items; int nitems; ast_stmts body; } with;
        struct { ast_expr *exc, *cause; } raise;
        struct { ast_stmts body; ast_handler *handlers; int nhandlers;
                 ast_stmts orelse, finalbody; } try_;
        struct { ast_expr *test, *msg; } assert_;
        struct { ast_alias *names; int nnames; const char *module; int level; } import;
        struct { const char **names; int nnames; } global;      /* Global, Nonlocal */
    } v;
};

typedef struct ast_module {
    ast_stmts body;
    ast_expr *expr;              /* mode "eval": the expression */
} ast_module;

/* --- parsing (parser.c) -------------------------------------------------------------- */

typedef enum ast_mode { AST_EXEC, AST_SINGLE, AST_EVAL } ast_mode;

/* Parses src[0..len) into out, allocating in a. 0, or -1 with SyntaxError
 * (or IndentationError, TabError, MemoryError) set. */
int ast_parse(ast_arena *a, const char *src, size_t len, const char *filename,
              ast_mode mode, ast_module *out);

/* CPython's name for an expression in error messages ("literal", "function call"). */
const char *ast_expr_name(const ast_expr *e);

/* Raises type(msg) at a node's position, with the source line from src. */
void ast_error_at(py_type *type, const char *filename, const char *src, size_t len,
                  ast_pos pos, const char *msg);

#endif
