/* frame.h — activation records of the VM and the objects that expose them.
 *
 * A py_frame lives on the VM's data stack (or, for a generator, in a heap
 * block the generator owns) and holds, after its header, the code's
 * localsplus slots and then its value stack. Every slot holds a strong
 * reference or NULL. The frame holds strong references to its code, globals,
 * function and locals mapping.
 *
 * A frame object (py_frameobj, Python's `frame`) is made only when something
 * asks: a traceback entry, sys._getframe. While the frame runs, the object
 * points at it; when the frame exits, the object takes over the frame's
 * locals (so a traceback keeps them alive, as in CPython).
 */
#ifndef TALLY_LANG_FRAME_H
#define TALLY_LANG_FRAME_H

#include "code.h"

#define PY_MAXBLOCKS 20

typedef struct py_block {
    int32_t handler;        /* instruction index of the handler */
    int32_t level;          /* value-stack depth when the block was pushed */
} py_block;

struct py_frame {
    py_frame *back;          /* the caller, while running */
    py_code *code;           /* strong */
    py_obj *func;            /* strong, or NULL for module/class code run directly */
    py_obj *globals;         /* strong */
    py_obj *builtins;        /* borrowed from vm.builtins */
    py_obj *locals;          /* strong mapping (module and class bodies) or NULL */
    struct py_frameobj *frameobj;  /* the frame object, if one was made (it holds a
                                      strong reference to... nothing here: it points
                                      back at us while we run) */
    int32_t lasti;           /* index of the instruction being executed */
    int32_t nblocks;
    int32_t stackdepth;      /* saved value-stack depth while suspended (generators) */
    bool on_heap;            /* a generator's frame */
    bool inlined;            /* entered by its caller's CALL inside the caller's
                                eval_frame: returning resumes the caller there
                                (the caller's value-stack depth is then in its
                                stackdepth while this frame runs) */
    py_block blocks[PY_MAXBLOCKS];
    py_obj *localsplus[];    /* nlocals + ncells + nfrees, then stacksize */
};

static inline int32_t py_frame_nlocalsplus(const py_code *co)
{
    return co->nlocals + co->ncells + co->nfrees;
}

typedef struct py_frameobj {
    tl_object ob;
    py_frame *live;          /* the running frame, or NULL once it returned */
    py_code *code;           /* strong */
    py_obj *globals;         /* strong */
    struct py_frameobj *back;/* the caller's frame object (strong), if known */
    int32_t lasti;           /* kept when the frame exits */
    int32_t nlocals;         /* entries in locals once detached */
    py_obj *locals_map;      /* module/class locals mapping (strong) */
    py_obj **locals;         /* taken over from the frame when it exits */
} py_frameobj;

extern py_type py_frame_type, py_traceback_type;

typedef struct py_traceback {
    tl_object ob;
    struct py_traceback *next;   /* toward the frame where the exception was raised */
    py_frameobj *frame;
    int32_t lasti;
    int32_t lineno;
} py_traceback;

py_frameobj *py_frame_object(py_frame *f);      /* borrowed; made on first use */
int32_t py_code_line(const py_code *co, int32_t lasti);

#endif
