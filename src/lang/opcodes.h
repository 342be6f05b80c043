/* opcodes.h — the bytecode: one 32-bit word per instruction.
 *
 * An instruction is op | arg << 8 (arg: 0 .. 2^24-1); jump targets are
 * absolute instruction indexes. The VM is a stack machine close to CPython
 * 3.11's; each opcode's stack effect is written as [before] -> [after], top
 * of stack on the right. "name i" means co_names[i]; "local i" means
 * localsplus[i] (arguments, then other locals, then cells, then free
 * variables: see code.h); "const i" means co_consts[i].
 *
 * Exception handling uses a block stack (SETUP_FINALLY / POP_BLOCK): when an
 * exception is raised, the innermost block is popped, the value stack is cut
 * back to the depth it had at SETUP_FINALLY, the exception is pushed, and
 * execution continues at the block's handler. With no block left the frame
 * returns NULL to its caller, which unwinds in turn.
 */
#ifndef TALLY_LANG_OPCODES_H
#define TALLY_LANG_OPCODES_H

#define PY_OPCODES(X) \
    X(NOP)               /* [] -> [] */ \
    X(POP_TOP)           /* [a] -> [] */ \
    X(COPY)              /* arg n>=1: [.. a(n) .. ] -> [.. a(n) .. a]  (COPY 1 duplicates TOS) */ \
    X(SWAP)              /* arg n>=2: swaps TOS and the n-th item (TOS is 1st) */ \
    X(LOAD_CONST)        /* const i: [] -> [c] */ \
    X(LOAD_FAST)         /* local i: [] -> [v]; UnboundLocalError if unset */ \
    X(STORE_FAST)        /* local i: [v] -> [] */ \
    X(DELETE_FAST)       /* local i: UnboundLocalError if unset */ \
    X(MAKE_CELL)         /* local i: wraps the local's current value (or nothing) in a new cell;
                            emitted at function entry for each cell variable */ \
    X(LOAD_DEREF)        /* local i (a cell or free var): [] -> [cell contents];
                            NameError ("free variable ... referenced before assignment") if empty */ \
    X(STORE_DEREF)       /* local i: [v] -> [] */ \
    X(DELETE_DEREF)      /* local i */ \
    X(LOAD_CLASSDEREF)   /* local i: class body reading a free variable: the class
                            namespace first, then the cell */ \
    X(LOAD_CLOSURE)      /* local i: [] -> [the cell object itself] (for MAKE_FUNCTION) */ \
    X(LOAD_GLOBAL)       /* name i: [] -> [v]: globals, then builtins; NameError */ \
    X(STORE_GLOBAL)      /* name i: [v] -> [] */ \
    X(DELETE_GLOBAL)     /* name i */ \
    X(LOAD_NAME)         /* name i: locals mapping, globals, builtins (module and class bodies) */ \
    X(STORE_NAME)        /* name i: [v] -> [] into the locals mapping */ \
    X(DELETE_NAME)       /* name i */ \
    X(LOAD_ATTR)         /* name i: [o] -> [o.name] */ \
    X(STORE_ATTR)        /* name i: [v, o] -> []  (o.name = v) */ \
    X(DELETE_ATTR)       /* name i: [o] -> [] */ \
    X(LOAD_METHOD)       /* name i: [o] -> [meth, o] if o.name is a plain method found on
                            the type (no bound method is made), else [NULL, o.name] */ \
    X(PUSH_NULL)         /* [] -> [NULL]  (before a callable that is not a method) */ \
    X(KW_NAMES)          /* const i: a tuple of keyword names for the next CALL */ \
    X(CALL)              /* arg n: [NULL|meth, callable|self, a1..an] -> [result]; with
                            KW_NAMES the last len(kwnames) args are keyword values */ \
    X(CALL_FUNCTION_EX)  /* arg 1 if kwargs: [NULL, callable, args_tuple, (kwargs_dict)] -> [result] */ \
    X(BINARY_OP)         /* arg enum py_nb_op (+PY_NB_INPLACE for augmented): [a, b] -> [a op b] */ \
    X(COMPARE_OP)        /* arg enum py_cmp_op: [a, b] -> [a op b] */ \
    X(IS_OP)             /* arg invert: [a, b] -> [a is b] */ \
    X(CONTAINS_OP)       /* arg invert: [a, b] -> [a in b] */ \
    X(UNARY_NEGATIVE)    /* [a] -> [-a] */ \
    X(UNARY_POSITIVE)    \
    X(UNARY_NOT)         \
    X(UNARY_INVERT)      \
    X(BINARY_SUBSCR)     /* [o, k] -> [o[k]] */ \
    X(STORE_SUBSCR)      /* [v, o, k] -> []  (o[k] = v) */ \
    X(DELETE_SUBSCR)     /* [o, k] -> [] */ \
    X(BUILD_SLICE)       /* arg 2|3: [start, stop, (step)] -> [slice] */ \
    X(BUILD_TUPLE)       /* arg n: [a1..an] -> [tuple] */ \
    X(BUILD_LIST)        /* arg n */ \
    X(BUILD_SET)         /* arg n */ \
    X(BUILD_MAP)         /* arg n: [k1, v1, .. kn, vn] -> [dict] */ \
    X(BUILD_CONST_KEY_MAP) /* arg n: [v1..vn, keys_tuple] -> [dict] */ \
    X(BUILD_STRING)      /* arg n: [s1..sn] -> [s1+..+sn] (f-strings) */ \
    X(LIST_APPEND)       /* arg i: [list(at depth i+1 counting the item as 1).. v] -> [list ..] */ \
    X(SET_ADD)           /* arg i: likewise for sets */ \
    X(MAP_ADD)           /* arg i: [dict.. k, v] -> [dict..] (dict at depth i+2) */ \
    X(LIST_EXTEND)       /* arg i: [list.. it] -> [list..]  (list at depth i+1) */ \
    X(SET_UPDATE)        /* arg i */ \
    X(DICT_UPDATE)       /* arg i: {**a} */ \
    X(DICT_MERGE)        /* arg i: f(**a): TypeError on duplicate keys */ \
    X(LIST_TO_TUPLE)     /* [list] -> [tuple] */ \
    X(FORMAT_VALUE)      /* arg: conversion (0 none, 1 str, 2 repr, 3 ascii) | 4 if a spec is on
                            the stack: [v, (spec)] -> [formatted str] */ \
    X(UNPACK_SEQUENCE)   /* arg n: [seq] -> [vn .. v1]  (v1 on top) */ \
    X(UNPACK_EX)         /* arg before | after << 8: [seq] -> [after values.., list, before values..] */ \
    X(GET_ITER)          /* [o] -> [iter(o)] */ \
    X(FOR_ITER)          /* target: [it] -> [it, next(it)], or pops it and jumps when exhausted */ \
    X(JUMP)              /* target */ \
    X(POP_JUMP_IF_FALSE) /* target: [v] -> [] */ \
    X(POP_JUMP_IF_TRUE)  \
    X(POP_JUMP_IF_NONE)  \
    X(POP_JUMP_IF_NOT_NONE) \
    X(JUMP_IF_FALSE_OR_POP) /* target: [v] -> [v] and jump if false, else [] */ \
    X(JUMP_IF_TRUE_OR_POP)  \
    X(RETURN_VALUE)      /* [v] -> returns v */ \
    X(MAKE_FUNCTION)     /* arg flags: 1 defaults tuple, 2 kwdefaults dict, 8 closure tuple:
                            [(defaults), (kwdefaults), (closure), code] -> [function] */ \
    X(LOAD_BUILD_CLASS)  /* [] -> [builtins.__build_class__] */ \
    X(SETUP_FINALLY)     /* target: push a handler block (stack depth now) */ \
    X(POP_BLOCK)         /* pop the innermost handler block */ \
    X(PUSH_EXC_INFO)     /* [exc] -> [previous handled exc or None, exc]; exc becomes the
                            handled exception (sys.exc_info) */ \
    X(POP_EXCEPT)        /* [prev] -> []: restores the handled exception to prev */ \
    X(CHECK_EXC_MATCH)   /* [exc, type] -> [exc, bool]  (isinstance; tuples of types allowed;
                            TypeError if type is not an exception class) */ \
    X(RERAISE)           /* [.., exc] -> raises exc again without adding a traceback entry */ \
    X(RAISE_VARARGS)     /* arg 0: re-raise the handled exception; 1: [exc]; 2: [exc, cause] */ \
    X(LOAD_ASSERTION_ERROR) /* [] -> [AssertionError] */ \
    X(BEFORE_WITH)       /* target: [mgr] -> [bound __exit__, mgr.__enter__()], and pushes a
                            handler block (target) at the depth holding __exit__ alone, so
                            that storing the as-target is protected (CPython 3.11's
                            exception table covers that store) */ \
    X(WITH_EXCEPT_START) /* in a with-block's exception handler, after PUSH_EXC_INFO:
                            [exit, prev_exc, exc] -> [exit, prev_exc, exc, exit(type, exc, tb)]
                            (exit is the third item from the top) */ \
    X(YIELD_VALUE)       /* [v] -> [value sent in]: suspends the generator */ \
    X(GET_YIELD_FROM_ITER) /* [o] -> [iter(o)] (generators pass through) */ \
    X(SEND)              /* target: [it, v] -> [it, yielded] and falls through to YIELD_VALUE,
                            or, when it returns r: [r] and jumps to target */ \
    X(RETURN_GENERATOR)  /* first instruction of a generator function's code: makes the
                            generator object and returns it; resumes after it */ \
    X(IMPORT_NAME)       /* name i: [level, fromlist] -> [module] */ \
    X(IMPORT_FROM)       /* name i: [module] -> [module, module.name] (ImportError) */ \
    X(IMPORT_STAR)       /* [module] -> [] */ \
    X(PRINT_EXPR)        /* [v] -> []: the REPL's echo (sys.displayhook) */ \
    X(SETUP_ANNOTATIONS)

enum py_opcode {
#define PY_OP_ENUM(name) OP_##name,
    PY_OPCODES(PY_OP_ENUM)
#undef PY_OP_ENUM
    OP__COUNT
};

#define PY_INSTR(op, arg) ((uint32_t)(op) | ((uint32_t)(arg) << 8))
#define PY_INSTR_OP(w) ((w) & 0xFFu)
#define PY_INSTR_ARG(w) ((w) >> 8)
#define PY_INSTR_ARG_MAX 0xFFFFFFu

extern const char *const py_opcode_names[OP__COUNT];

#endif
