/* code.h — code objects: what the compiler produces and the VM runs.
 *
 * A code object is immutable after creation. Its variables live in one array
 * per frame, "localsplus":
 *     [0, nlocals)                 arguments first (positional, keyword-only,
 *                                  *args, **kwargs, in that order), then other locals
 *     [nlocals, nlocals + ncells)  cell variables (captured by inner functions)
 *     [.., + nfrees)               free variables (captured from outer functions)
 * An argument that is also a cell variable appears in both ranges: its
 * cell slot's cell2arg names the argument slot, and MAKE_CELL at entry moves
 * the argument's value into the new cell.
 *
 * positions[i] gives instruction i's source span (1-based lines, 0-based
 * UTF-8 byte columns, like CPython's co_positions); tracebacks use it to
 * print the line and the ~~~^^^ markers.
 */
#ifndef TALLY_LANG_CODE_H
#define TALLY_LANG_CODE_H

#include "py.h"
#include "opcodes.h"

/* co_flags, CPython's values */
#define PY_CO_OPTIMIZED   0x0001  /* locals in the fast array (function bodies) */
#define PY_CO_NEWLOCALS   0x0002
#define PY_CO_VARARGS     0x0004
#define PY_CO_VARKEYWORDS 0x0008
#define PY_CO_NESTED      0x0010
#define PY_CO_GENERATOR   0x0020
#define PY_CO_NOFREE      0x0040

typedef struct py_position {
    int32_t lineno, end_lineno;
    int32_t col, end_col;       /* -1 when unknown */
} py_position;

typedef struct py_code {
    tl_object ob;
    uint32_t *instrs;            /* heap block: ninstrs instruction words */
    int32_t ninstrs;
    int32_t stacksize;           /* max value-stack depth */
    int32_t argcount, posonlyargcount, kwonlyargcount;
    int32_t nlocals, ncells, nfrees;
    int32_t flags;               /* PY_CO_* */
    int32_t firstlineno;
    int32_t *cell2arg;           /* ncells entries: argument slot or -1; NULL if none */
    py_position *positions;      /* ninstrs entries */
    py_obj *consts;              /* tuple */
    py_obj *names;               /* tuple of str: globals, attributes, imports */
    py_obj *localsplusnames;     /* tuple of str: nlocals + ncells + nfrees names */
    py_obj *filename, *name, *qualname;   /* str */
    void *caches;                /* the VM's inline caches, made on first run (vm.c) */
} py_code;

static inline py_code *py_code_cast(py_obj *o) { return (py_code *)o; }

/* Builds a code object. Steals nothing: instrs/positions/cell2arg are copied;
 * the tuples and strings are borrowed (a reference is taken). */
py_obj *py_code_new(const uint32_t *instrs, int32_t ninstrs, const py_position *positions,
                    int32_t stacksize, int32_t argcount, int32_t posonlyargcount,
                    int32_t kwonlyargcount, int32_t nlocals, int32_t ncells, int32_t nfrees,
                    const int32_t *cell2arg, int32_t flags, int32_t firstlineno,
                    py_obj *consts, py_obj *names, py_obj *localsplusnames,
                    py_obj *filename, py_obj *name, py_obj *qualname);

/* The compiler's entry points (compile.c). mode: "exec" (a module), "single"
 * (one REPL statement: expression values are echoed with PRINT_EXPR) or "eval".
 * source is UTF-8 and need not end with a newline. NULL and SyntaxError
 * (or IndentationError/TabError) on bad input. */
py_obj *py_compile(const char *source, size_t len, const char *filename, const char *mode);

/* Disassembles a code object (and nested ones) to f, for debugging and tests. */
void py_code_dis(py_obj *code, FILE *f);

#endif
