/* teardown.c — releasing what the interpreter's static parts hold.
 *
 * Static built-in types are readied into the heap: each holds a dict of
 * method descriptors, an MRO tuple, names. Some singletons (interned names,
 * the one-character strings, the empty tuple) are immortal objects in the
 * heap. At exit, after the modules are gone and the last collection ran,
 * py_teardown releases all of these so that the heap is empty before it is
 * deleted: what remains then is a leak, and TALLY_EXIT_STATS=1 shows it.
 */
#include "py.h"
#include "lang_int.h"
#include "frame.h"

#define MAX_STATIC_TYPES 256
static py_type *static_types[MAX_STATIC_TYPES];
static int nstatic;

void py_type_register_static(py_type *t)
{
    if (nstatic < MAX_STATIC_TYPES)
        static_types[nstatic++] = t;
}

void py_str_fini(void);
void py_tuple_fini(void);
void py_errors_fini(void);
void py_sys_fini(void);
void py_repr_guard_fini(void);

static void clear_static_type(py_type *t)
{
    TL_CLEAR(t->dict);
    TL_CLEAR(t->mro);
    TL_CLEAR(t->bases);
    TL_CLEAR(t->name);
    TL_CLEAR(t->qualname);
    TL_CLEAR(t->module);
    TL_CLEAR(t->subclasses);
}

void py_teardown(void)
{
    py_sys_fini();
    py_errors_fini();
    py_repr_guard_fini();
    /* Newest first: a type's dict may hold instances of older types only. */
    for (int i = nstatic - 1; i >= 0; i--)
        clear_static_type(static_types[i]);
    nstatic = 0;
    tl_gc_collect(vm.heap, 2);
    py_err_clear();
    py_str_fini();
    py_tuple_fini();
    /* Last: everything freed above may have gone to a free list. */
    py_float_clear_freelist();
    py_tuple_clear_freelist();
    py_list_clear_freelist();
}
