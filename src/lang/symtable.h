/* symtable.h — scopes and the binding of every name, as CPython 3.11 decides
 * them: local, global (explicit or implicit), free, or cell.
 *
 * Built in two passes over the tree: the first records, per scope, how each
 * name is used (assigned, a parameter, declared global/nonlocal, read); the
 * second resolves every name against the enclosing function scopes. Class
 * bodies do not make their names visible to the functions inside them, and a
 * class whose methods use `super` or `__class__` gets an implicit `__class__`
 * cell. Comprehensions are function scopes of their own, with one parameter
 * ".0" (the outermost iterator, evaluated in the enclosing scope).
 *
 * Every scope and table lives in the syntax tree's arena.
 */
#ifndef TALLY_LANG_SYMTABLE_H
#define TALLY_LANG_SYMTABLE_H

#include "ast.h"

/* What the first pass records about a name in one scope. */
#define DEF_GLOBAL     0x001    /* `global` statement */
#define DEF_LOCAL      0x002    /* assigned in this scope */
#define DEF_PARAM      0x004    /* a parameter */
#define DEF_NONLOCAL   0x008    /* `nonlocal` statement */
#define DEF_USE        0x010    /* read */
#define DEF_FREE_CLASS 0x020    /* bound in a class and free in a method of it */
#define DEF_IMPORT     0x040    /* bound by import */
#define DEF_ANNOT      0x080    /* annotated */
#define DEF_BOUND (DEF_LOCAL | DEF_PARAM | DEF_IMPORT)

/* What the second pass decides. */
typedef enum st_binding {
    SC_UNKNOWN, SC_LOCAL, SC_GLOBAL_EXPLICIT, SC_GLOBAL_IMPLICIT, SC_FREE, SC_CELL
} st_binding;

typedef enum st_kind { ST_MODULE, ST_FUNCTION, ST_CLASS } st_kind;

typedef struct st_symbol {
    const char *name;            /* interned (ast_intern) */
    int flags;                   /* DEF_* */
    st_binding scope;
    ast_pos decl;                /* where `global`/`nonlocal` declared it (for errors) */
} st_symbol;

typedef struct st_scope st_scope;
struct st_scope {
    st_kind kind;
    const char *name;            /* "top", the function or class name, "lambda", "listcomp"... */
    st_scope *parent;
    st_symbol *syms;             /* in order of first mention */
    int nsyms, symcap;
    int *index;                  /* open hash of indexes into syms, idxcap slots (-1 empty) */
    int idxcap;
    st_scope **children;         /* in order of appearance */
    int nchildren, childcap;
    const char **params;         /* parameter names in localsplus order */
    int nparams;
    bool generator;              /* contains yield */
    bool nested;                 /* inside a function */
    bool comprehension;
    bool child_free;             /* a child has free variables */
    bool needs_class_closure;    /* class: a method uses __class__ */
    bool has_free;
    int lineno;
};

typedef struct st_table {
    st_scope *top;
    ast_arena *A;
    const char *filename, *src;
    size_t len;
} st_table;

/* Builds the scopes of a parsed module (or expression). 0, or -1 with
 * SyntaxError/MemoryError set. */
int st_build(st_table *t, ast_arena *A, ast_module *m, const char *filename,
             const char *src, size_t len);
st_symbol *st_lookup(st_scope *s, const char *name);
st_binding st_binding_of(st_scope *s, const char *name);

#endif
