/* code.c — code objects: immutable bytecode plus its constants and names.
 *
 * Not a GC type (like CPython's code objects): a code object refers only to
 * constants, names and nested code, which cannot lead back to it.
 */
#include "code.h"
#include "lang_int.h"

static void *copy_block(const void *src, size_t n)
{
    if (!src || !n)
        return NULL;
    void *p = tl_heap_alloc(vm.heap, n);
    if (p)
        memcpy(p, src, n);
    return p;
}

py_obj *py_code_new(const uint32_t *instrs, int32_t ninstrs, const py_position *positions,
                    int32_t stacksize, int32_t argcount, int32_t posonlyargcount,
                    int32_t kwonlyargcount, int32_t nlocals, int32_t ncells, int32_t nfrees,
                    const int32_t *cell2arg, int32_t flags, int32_t firstlineno,
                    py_obj *consts, py_obj *names, py_obj *localsplusnames,
                    py_obj *filename, py_obj *name, py_obj *qualname)
{
    py_code *co = (py_code *)tl_object_new(vm.heap, &py_code_type.tl);
    if (!co)
        return py_err_no_memory(), NULL;
    co->instrs = copy_block(instrs, sizeof *instrs * (size_t)ninstrs);
    co->positions = copy_block(positions, sizeof *positions * (size_t)ninstrs);
    co->cell2arg = copy_block(cell2arg, sizeof *cell2arg * (size_t)ncells);
    co->ninstrs = ninstrs;
    co->stacksize = stacksize;
    co->argcount = argcount;
    co->posonlyargcount = posonlyargcount;
    co->kwonlyargcount = kwonlyargcount;
    co->nlocals = nlocals;
    co->ncells = ncells;
    co->nfrees = nfrees;
    co->flags = flags;
    co->firstlineno = firstlineno;
    co->consts = py_newref(consts);
    co->names = py_newref(names);
    co->localsplusnames = py_newref(localsplusnames);
    co->filename = py_newref(filename);
    co->name = py_newref(name);
    co->qualname = py_newref(qualname);
    if ((ninstrs && (!co->instrs || (positions && !co->positions))) || (cell2arg && ncells && !co->cell2arg)) {
        tl_decref(&co->ob);
        return py_err_no_memory(), NULL;
    }
    return &co->ob;
}

static void code_dealloc(tl_object *o)
{
    py_code *co = (py_code *)o;
    tl_heap_free(co->instrs);
    tl_heap_free(co->positions);
    tl_heap_free(co->cell2arg);
    tl_heap_free(co->caches);
    tl_xdecref(co->consts);
    tl_xdecref(co->names);
    tl_xdecref(co->localsplusnames);
    tl_xdecref(co->filename);
    tl_xdecref(co->name);
    tl_xdecref(co->qualname);
    tl_object_free(o);
}

static py_obj *code_repr(py_obj *o)
{
    py_code *co = (py_code *)o;
    return py_str_from_format("<code object %U at %p, file \"%U\", line %d>", co->name, (void *)o,
                              co->filename, co->firstlineno);
}

#define CODE_GET(fn, expr) static py_obj *fn(py_obj *o) { py_code *co = (py_code *)o; return expr; }
CODE_GET(code_get_name, py_newref(co->name))
CODE_GET(code_get_qualname, py_newref(co->qualname))
CODE_GET(code_get_filename, py_newref(co->filename))
CODE_GET(code_get_consts, py_newref(co->consts))
CODE_GET(code_get_names, py_newref(co->names))
CODE_GET(code_get_firstlineno, py_int_from_long(co->firstlineno))
CODE_GET(code_get_argcount, py_int_from_long(co->argcount))
CODE_GET(code_get_flags, py_int_from_long(co->flags))
CODE_GET(code_get_nlocals, py_int_from_long(co->nlocals))

CODE_GET(code_get_kwonlyargcount, py_int_from_long(co->kwonlyargcount))
CODE_GET(code_get_posonlyargcount, py_int_from_long(co->posonlyargcount))
CODE_GET(code_get_stacksize, py_int_from_long(co->stacksize))

static py_obj *names_slice(py_code *co, int32_t from, int32_t n)
{
    py_obj *t = py_tuple_new((size_t)n);
    if (!t)
        return NULL;
    for (int32_t i = 0; i < n; i++)
        py_tuple_items(t)[i] = py_newref(py_tuple_items(co->localsplusnames)[from + i]);
    return t;
}

CODE_GET(code_get_varnames, names_slice(co, 0, co->nlocals))
CODE_GET(code_get_cellvars, names_slice(co, co->nlocals, co->ncells))
CODE_GET(code_get_freevars, names_slice(co, co->nlocals + co->ncells, co->nfrees))

static const py_getset_def code_getsets[] = {
    {"co_name", code_get_name, NULL},
    {"co_qualname", code_get_qualname, NULL},
    {"co_filename", code_get_filename, NULL},
    {"co_consts", code_get_consts, NULL},
    {"co_names", code_get_names, NULL},
    {"co_firstlineno", code_get_firstlineno, NULL},
    {"co_argcount", code_get_argcount, NULL},
    {"co_flags", code_get_flags, NULL},
    {"co_nlocals", code_get_nlocals, NULL},
    {"co_varnames", code_get_varnames, NULL},
    {"co_cellvars", code_get_cellvars, NULL},
    {"co_freevars", code_get_freevars, NULL},
    {"co_kwonlyargcount", code_get_kwonlyargcount, NULL},
    {"co_posonlyargcount", code_get_posonlyargcount, NULL},
    {"co_stacksize", code_get_stacksize, NULL},
    {NULL, NULL, NULL},
};

py_type py_code_type = {
    PY_TYPE_HEAD("code", sizeof(py_code), 0, 0, .dealloc = code_dealloc),
    .repr = code_repr,
    .hash = NULL,
    .getsets = code_getsets,
};
