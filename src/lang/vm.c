/* vm.c — the bytecode interpreter: frames, argument binding, the dispatch
 * loop, exception unwinding, generators.
 *
 * Frames are carved from one data stack (vm.stack_base..stack_end) in call
 * order; a generator's frame is a heap block it owns. The loop dispatches by
 * computed goto. Every stack slot holds a strong reference, so an object dies
 * at the instruction that drops its last reference, as in CPython 3.11: a
 * call's arguments are released when it returns, a frame's locals in slot
 * order when the frame exits.
 *
 * Errors: an instruction that fails jumps to `error`, which adds a traceback
 * entry for this frame, then `unwind` pops the innermost handler block (cut
 * the value stack back to its depth, push the exception, jump to the handler)
 * or, with no block left, clears the frame and returns NULL.
 */
#include "py.h"
#include "lang_int.h"
#include "frame.h"

#include <math.h>
#include <stdlib.h>

#define DATA_STACK_SLOTS ((size_t)1 << 21)      /* 16 MiB of virtual space */
#define C_STACK_LIMIT ((size_t)7 << 20)         /* RecursionError before 7 MiB of C stack */

static char *c_stack_base;

/* ---- recursion ------------------------------------------------------------------ */

/* While the RecursionError itself is being made, a few more levels are
 * allowed (CPython's headroom), up to a hard C-stack bound. */
static bool overflowing;

char *py_c_stack_limit;

int py_enter_recursive_call_slow(const char *where)
{
    char here;
    size_t used = c_stack_base ? (size_t)(c_stack_base - &here) : 0;
    ++vm.depth;
    if (overflowing) {
        if (used > C_STACK_LIMIT + ((size_t)512 << 10)) {
            fputs("Fatal Python error: Cannot recover from stack overflow.\n", stderr);
            abort();
        }
        return 0;
    }
    if (vm.depth > vm.recursion_limit || used > C_STACK_LIMIT) {
        vm.depth--;
        overflowing = true;
        py_err_format(py_exc_RecursionError, "maximum recursion depth exceeded%s", where);
        overflowing = false;
        return -1;
    }
    return 0;
}

#ifdef PY_STEP_BUDGET
uint64_t py_step_budget;

int py_step_spent(void)
{
    py_step_budget = 0;      /* making the exception spends nothing */
    py_err_format(py_exc_RuntimeError, "step budget exhausted");
    py_step_budget = 1;      /* stays spent: the next step raises again */
    return -1;
}
#endif

/* ---- frames ---------------------------------------------------------------------- */

static size_t frame_slots(const py_code *co)
{
    return (sizeof(py_frame) + sizeof(py_obj *) - 1) / sizeof(py_obj *) +
           (size_t)py_frame_nlocalsplus(co) + (size_t)co->stacksize;
}

/* Clears the n locals at p, in a frame with room slots from p on (locals
 * then value stack). A constant-size clear compiles to a few vector stores
 * instead of a call: frames with at most 8 locals and room for 8 slots take
 * it (the extra slots are value-stack slots, unused until pushed). */
static inline void zero_locals(py_obj **p, size_t n, size_t room)
{
    if (n <= 8 && room >= 8)
        memset(p, 0, 8 * sizeof *p);
    else
        memset(p, 0, n * sizeof *p);
}

static inline __attribute__((always_inline)) py_frame *frame_alloc(py_code *co, bool on_heap)
{
    size_t n = frame_slots(co);
    py_frame *f;
    if (on_heap) {
        f = tl_heap_alloc(vm.heap, n * sizeof(py_obj *));
        if (!f)
            return py_err_no_memory(), NULL;
    } else {
        if ((size_t)(vm.stack_end - vm.stack_top) < n) {
            py_err_format(py_exc_RecursionError, "maximum recursion depth exceeded");
            return NULL;
        }
        f = (py_frame *)vm.stack_top;
        vm.stack_top += n;
    }
    /* The block array is written before it is read (nblocks); only the
     * header fields and the locals need clearing. */
    f->back = NULL;
    f->func = NULL;
    f->globals = NULL;
    f->locals = NULL;
    f->frameobj = NULL;
    f->lasti = 0;
    f->nblocks = 0;
    f->stackdepth = 0;
    zero_locals(f->localsplus, (size_t)py_frame_nlocalsplus(co),
                (size_t)py_frame_nlocalsplus(co) + (size_t)co->stacksize);
    f->code = co;
    tl_incref(&co->ob);
    f->on_heap = on_heap;
    f->inlined = false;
    f->builtins = vm.builtins;
    return f;
}

static void frame_detach_object(py_frame *f)
{
    py_frameobj *fo = f->frameobj;
    if (!fo)
        return;
    /* The frame object takes over the locals (strong references move). */
    int32_t n = py_frame_nlocalsplus(f->code);
    py_obj **copy = n ? tl_heap_alloc(vm.heap, sizeof(py_obj *) * (size_t)n) : NULL;
    if (copy) {
        memcpy(copy, f->localsplus, sizeof(py_obj *) * (size_t)n);
        memset(f->localsplus, 0, sizeof(py_obj *) * (size_t)n);
        fo->locals = copy;
        fo->nlocals = n;
    }
    fo->lasti = f->lasti;
    fo->locals_map = py_xnewref(f->locals);
    fo->live = NULL;
    f->frameobj = NULL;
    tl_decref(&fo->ob);
}

/* Releases everything the frame holds: locals in slot order, then the rest. */
static inline __attribute__((always_inline)) void frame_clear(py_frame *f, py_obj **sp)
{
    if (f->frameobj)
        frame_detach_object(f);
    if (sp) {
        py_obj **base = f->localsplus + py_frame_nlocalsplus(f->code);
        while (sp > base)
            tl_xdecref(*--sp);
    }
    int32_t n = py_frame_nlocalsplus(f->code);
    for (int32_t i = 0; i < n; i++)
        TL_CLEAR(f->localsplus[i]);
    TL_CLEAR(f->locals);
    TL_CLEAR(f->func);
    TL_CLEAR(f->globals);
    py_code *co = f->code;
    f->code = NULL;
    tl_decref(&co->ob);
}


py_obj *py_frame_globals(py_frame *f) { return f->globals; }

/* ---- argument binding --------------------------------------------------------------- */

static py_obj *var_name(py_code *co, int32_t i) { return py_tuple_items(co->localsplusnames)[i]; }

static void missing_args(py_function *fn, py_obj **lp, int32_t from, int32_t to, bool kwonly,
                         int32_t skip_defaults)
{
    py_code *co = py_code_cast(fn->code);
    int32_t missing[64], n = 0;
    for (int32_t i = from; i < to && n < 64; i++)
        if (!lp[i])
            missing[n++] = i;
    (void)skip_defaults;
    char names[512];
    size_t len = 0;
    names[0] = 0;
    for (int32_t k = 0; k < n; k++) {
        const char *sep = k == 0 ? "" : (n == 2 ? " and " : (k == n - 1 ? ", and " : ", "));
        len += (size_t)snprintf(names + len, sizeof names - len, "%s'%s'", sep,
                                py_str_utf8(var_name(co, missing[k])));
        if (len >= sizeof names)
            break;
    }
    py_err_format(py_exc_TypeError, "%U() missing %d required %sargument%s: %s", fn->qualname, n,
                  kwonly ? "keyword-only " : "positional ", n == 1 ? "" : "s", names);
}

static void too_many_positional(py_function *fn, size_t given, py_obj **lp)
{
    py_code *co = py_code_cast(fn->code);
    intptr_t ndef = fn->defaults ? py_tuple_size(fn->defaults) : 0;
    int32_t argc = co->argcount, kwgiven = 0;
    for (int32_t i = argc; i < argc + co->kwonlyargcount; i++)
        kwgiven += lp[i] != NULL;
    char takes[64], extra[96] = "";
    if (ndef)
        snprintf(takes, sizeof takes, "from %d to %d", argc - (int32_t)ndef, argc);
    else
        snprintf(takes, sizeof takes, "%d", argc);
    if (kwgiven)
        snprintf(extra, sizeof extra, " positional argument%s (and %d keyword-only argument%s)",
                 given == 1 ? "" : "s", kwgiven, kwgiven == 1 ? "" : "s");
    py_err_format(py_exc_TypeError, "%U() takes %s positional argument%s but %zd%s %s given",
                  fn->qualname, takes, (argc == 1 && !ndef) ? "" : "s", (intptr_t)given, extra,
                  (given == 1 && !kwgiven) ? "was" : "were");
}

static int32_t find_kw(py_code *co, py_obj *name, int32_t from, int32_t to)
{
    for (int32_t i = from; i < to; i++)
        if (var_name(co, i) == name)
            return i;
    for (int32_t i = from; i < to; i++)
        if (py_str_equal(var_name(co, i), name))
            return i;
    return -1;
}

static int bind_keywords(py_function *fn, py_obj **lp, py_obj *const *kwvals, py_obj *kwnames,
                         py_obj *kwdict)
{
    py_code *co = py_code_cast(fn->code);
    int32_t total = co->argcount + co->kwonlyargcount;
    for (intptr_t k = 0; k < py_tuple_size(kwnames); k++) {
        py_obj *name = py_tuple_items(kwnames)[k], *v = kwvals[k];
        int32_t i = find_kw(co, name, co->posonlyargcount, total);
        if (i >= 0) {
            if (lp[i]) {
                py_err_format(py_exc_TypeError, "%U() got multiple values for argument '%U'",
                              fn->qualname, name);
                return -1;
            }
            lp[i] = py_newref(v);
            continue;
        }
        if (kwdict) {
            if (py_dict_set(kwdict, name, v) < 0)
                return -1;
            continue;
        }
        if (find_kw(co, name, 0, co->posonlyargcount) >= 0)
            py_err_format(py_exc_TypeError,
                          "%U() got some positional-only arguments passed as keyword arguments: '%U'",
                          fn->qualname, name);
        else
            py_err_format(py_exc_TypeError, "%U() got an unexpected keyword argument '%U'",
                          fn->qualname, name);
        return -1;
    }
    return 0;
}

static int fill_defaults(py_function *fn, py_obj **lp, size_t nargs)
{
    py_code *co = py_code_cast(fn->code);
    int32_t argc = co->argcount;
    intptr_t ndef = fn->defaults ? py_tuple_size(fn->defaults) : 0;
    int32_t first_default = argc - (int32_t)ndef;
    for (int32_t i = (int32_t)nargs; i < argc; i++)
        if (!lp[i] && i >= first_default)
            lp[i] = py_newref(py_tuple_items(fn->defaults)[i - first_default]);
    for (int32_t i = 0; i < argc; i++)
        if (!lp[i]) {
            missing_args(fn, lp, 0, argc, false, first_default);
            return -1;
        }
    for (int32_t i = argc; i < argc + co->kwonlyargcount; i++) {
        if (lp[i])
            continue;
        py_obj *d = fn->kwdefaults ? py_dict_get(fn->kwdefaults, var_name(co, i)) : NULL;
        if (d)
            lp[i] = py_newref(d);
    }
    for (int32_t i = argc; i < argc + co->kwonlyargcount; i++)
        if (!lp[i]) {
            missing_args(fn, lp, argc, argc + co->kwonlyargcount, true, 0);
            return -1;
        }
    return 0;
}

static int bind_args(py_frame *f, py_function *fn, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_code *co = py_code_cast(fn->code);
    py_obj **lp = f->localsplus;
    int32_t argc = co->argcount, slot = argc + co->kwonlyargcount;
    size_t n = nargs < (size_t)argc ? nargs : (size_t)argc;
    for (size_t i = 0; i < n; i++)
        lp[i] = py_newref(args[i]);
    if (co->flags & PY_CO_VARARGS) {
        py_obj *rest = py_tuple_from_array(args + n, nargs - n);
        if (!rest)
            return -1;
        lp[slot++] = rest;
    }
    py_obj *kwdict = NULL;
    if (co->flags & PY_CO_VARKEYWORDS) {
        if (!(kwdict = py_dict_new()))
            return -1;
        lp[slot++] = kwdict;
    }
    if (kwnames && py_tuple_size(kwnames) && bind_keywords(fn, lp, args + nargs, kwnames, kwdict) < 0)
        return -1;
    if (nargs > (size_t)argc && !(co->flags & PY_CO_VARARGS)) {
        too_many_positional(fn, nargs, lp);
        return -1;
    }
    return fill_defaults(fn, lp, nargs);
}

static void copy_free_vars(py_frame *f, py_obj *closure)
{
    py_code *co = f->code;
    if (!closure)
        return;
    int32_t base = co->nlocals + co->ncells;
    for (int32_t i = 0; i < co->nfrees && i < py_tuple_size(closure); i++)
        f->localsplus[base + i] = py_newref(py_tuple_items(closure)[i]);
}

static py_obj *eval_frame(py_frame *f, int throwflag, bool *yielded);
static py_obj *make_generator(py_frame *f, py_function *fn);

/* Calls a Python function. With `move`, the caller's argument slots are
 * handed to the callee (CPython 3.11 moves arguments into the new frame):
 * once bound, the slots are released and set to NULL, so the caller holds
 * no reference to the arguments while the callee runs. */
static py_obj *eval_function(py_obj *func, py_obj **args, size_t nargs, py_obj *kwnames, bool move);

py_obj *py_eval_function(py_obj *func, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return eval_function(func, (py_obj **)args, nargs, kwnames, false);
}

static py_obj *eval_function(py_obj *func, py_obj **args, size_t nargs, py_obj *kwnames, bool move)
{
    py_function *fn = (py_function *)func;
    py_code *co = py_code_cast(fn->code);
    bool gen = (co->flags & PY_CO_GENERATOR) != 0;
    py_obj **saved_top = vm.stack_top;
    py_frame *f = frame_alloc(co, gen);
    if (!f)
        return NULL;
    f->func = py_newref(func);
    f->globals = py_newref(fn->globals);
    copy_free_vars(f, fn->closure);
    if (move && !kwnames && nargs == (size_t)co->argcount && co->kwonlyargcount == 0 &&
        !(co->flags & (PY_CO_VARARGS | PY_CO_VARKEYWORDS))) {
        /* The common call: exactly the positional parameters, moved. */
        for (size_t i = 0; i < nargs; i++) {
            f->localsplus[i] = args[i];
            args[i] = NULL;
        }
        if (gen)
            return make_generator(f, fn);
        bool yielded;
        py_obj *r = eval_frame(f, 0, &yielded);
        vm.stack_top = saved_top;
        return r;
    }
    if (bind_args(f, fn, args, nargs, kwnames) < 0) {
        frame_clear(f, NULL);
        if (gen)
            tl_heap_free(f);
        else
            vm.stack_top = saved_top;
        return NULL;
    }
    if (move) {
        size_t total = nargs + (kwnames ? (size_t)py_tuple_size(kwnames) : 0);
        for (size_t i = 0; i < total; i++)
            TL_CLEAR(args[i]);
    }
    if (gen)
        return make_generator(f, fn);
    bool yielded;
    py_obj *r = eval_frame(f, 0, &yielded);
    vm.stack_top = saved_top;
    return r;
}

/* Runs module or class-body code with a locals mapping (and a closure for
 * class bodies). */
py_obj *py_run_code(py_obj *code, py_obj *globals, py_obj *locals, py_obj *closure)
{
    py_code *co = py_code_cast(code);
    py_obj **saved_top = vm.stack_top;
    py_frame *f = frame_alloc(co, false);
    if (!f)
        return NULL;
    f->globals = py_newref(globals);
    f->locals = py_xnewref(locals);
    copy_free_vars(f, closure);
    bool yielded;
    py_obj *r = eval_frame(f, 0, &yielded);
    vm.stack_top = saved_top;
    return r;
}

/* ---- helpers for the loop --------------------------------------------------------------- */

static void name_error(py_obj *name)
{
    py_err_format(py_exc_NameError, "name '%U' is not defined", name);
    py_exc_set_name_obj(name, NULL);
}

static void unbound_local(py_code *co, int32_t i)
{
    py_obj *name = var_name(co, i);
    if (i >= co->nlocals)
        py_err_format(py_exc_NameError,
                      "cannot access free variable '%U' where it is not associated with a value in enclosing scope",
                      name);
    else
        py_err_format(py_exc_UnboundLocalError,
                      "cannot access local variable '%U' where it is not associated with a value", name);
}

static py_obj *load_global(py_frame *f, py_obj *name)
{
    py_obj *v = py_dict_get_interned(f->globals, name);
    if (!v && !py_err_occurred())
        v = py_dict_get_interned(f->builtins, name);
    if (v)
        return py_newref(v);
    if (!py_err_occurred())
        name_error(name);
    return NULL;
}

/* A namespace that is exactly a dict is read directly; any other mapping
   (a __prepare__ result, a dict subclass) through its own __getitem__. */
static py_obj *mapping_get(py_obj *map, py_obj *name)
{
    if (py_isinstance_exact(map, &py_dict_type)) {
        py_obj *v = py_dict_get(map, name);
        return py_xnewref(v);
    }
    py_obj *v = py_getitem(map, name);
    if (!v && py_err_matches(py_exc_KeyError))
        py_err_clear();
    return v;
}

static py_obj *load_name(py_frame *f, py_obj *name)
{
    if (f->locals) {
        py_obj *v = mapping_get(f->locals, name);
        if (v || py_err_occurred())
            return v;
    }
    return load_global(f, name);
}

static int unpack_iterable(py_obj *seq, int before, int after, py_obj **sp)
{
    /* Writes values at sp[-1] (first) downward: sp[-1] = v0, sp[-2] = v1 ... */
    py_obj *it = py_iter(seq);
    if (!it) {
        if (py_err_matches(py_exc_TypeError) && !py_type_of(seq)->iter && !py_type_of(seq)->getitem) {
            py_err_clear();
            py_err_format(py_exc_TypeError, "cannot unpack non-iterable %s object",
                          py_type_name(py_type_of(seq)));
        }
        return -1;
    }
    int i = 0;
    for (; i < before; i++) {
        py_obj *v = py_next(it);
        if (!v) {
            if (!py_err_occurred()) {
                if (after < 0)
                    py_err_format(py_exc_ValueError, "not enough values to unpack (expected %d, got %d)", before, i);
                else
                    py_err_format(py_exc_ValueError,
                                  "not enough values to unpack (expected at least %d, got %d)",
                                  before + after, i);
            }
            goto fail;
        }
        sp[-1 - i] = v;
    }
    if (after < 0) {
        py_obj *extra = py_next(it);
        if (extra) {
            tl_decref(extra);
            py_err_format(py_exc_ValueError, "too many values to unpack (expected %d)", before);
            goto fail;
        }
        if (py_err_occurred())
            goto fail;
        tl_decref(it);
        return 0;
    }
    py_obj *rest = py_sequence_to_list(it);
    if (!rest)
        goto fail;
    intptr_t nrest = py_list_size(rest);
    if (nrest < after) {
        py_err_format(py_exc_ValueError, "not enough values to unpack (expected at least %d, got %zd)",
                      before + after, (intptr_t)before + nrest);
        tl_decref(rest);
        goto fail;
    }
    for (int j = 0; j < after; j++) {
        sp[-1 - before - 1 - j] = py_list_items(rest)[nrest - after + j];
    }
    ((py_list *)rest)->size = nrest - after;
    sp[-1 - before] = rest;
    tl_decref(it);
    return 0;
fail:
    for (int j = 0; j < i; j++)
        TL_CLEAR(sp[-1 - j]);
    tl_decref(it);
    return -1;
}

static int unpack_sequence(py_obj *seq, int n, py_obj **sp)
{
    /* sp points past the n new slots; sp[-1] gets the first value. */
    py_obj **items = NULL;
    intptr_t size = -1;
    if (py_isinstance_exact(seq, &py_tuple_type)) {
        items = py_tuple_items(seq);
        size = py_tuple_size(seq);
    } else if (py_isinstance_exact(seq, &py_list_type)) {
        items = py_list_items(seq);
        size = py_list_size(seq);
    }
    if (items) {
        if (size != n) {
            if (size < n)
                py_err_format(py_exc_ValueError, "not enough values to unpack (expected %d, got %zd)", n, size);
            else
                py_err_format(py_exc_ValueError, "too many values to unpack (expected %d)", n);
            return -1;
        }
        for (int i = 0; i < n; i++)
            sp[-1 - i] = py_newref(items[i]);
        return 0;
    }
    return unpack_iterable(seq, n, -1, sp);
}

static bool exc_match_one(py_obj *exc, py_obj *t)
{
    return py_isinstance_of(t, &py_type_type) && py_type_is_subtype(py_type_of(exc), (py_type *)t);
}

static int check_exc_match(py_obj *exc, py_obj *t)
{
    if (py_isinstance_of(t, &py_tuple_type)) {
        for (intptr_t i = 0; i < py_tuple_size(t); i++) {
            py_obj *x = py_tuple_items(t)[i];
            if (!py_isinstance_of(x, &py_type_type) || !(((py_type *)x)->pyflags & PY_TPFLAGS_EXC_SUBCLASS))
                goto bad;
            if (exc_match_one(exc, x))
                return 1;
        }
        return 0;
    }
    if (!py_isinstance_of(t, &py_type_type) || !(((py_type *)t)->pyflags & PY_TPFLAGS_EXC_SUBCLASS))
        goto bad;
    return exc_match_one(exc, t);
bad:
    py_err_format(py_exc_TypeError,
                  "catching classes that do not inherit from BaseException is not allowed");
    return -1;
}

/* raise exc [from cause]; returns 1 for a bare re-raise (no new traceback entry). */
static int do_raise(py_obj *exc, py_obj *cause)
{
    if (!exc) {
        if (!vm.exc_info || vm.exc_info == py_None) {
            py_err_format(py_exc_RuntimeError, "No active exception to reraise");
            return 0;
        }
        py_err_set_exc(py_newref(vm.exc_info));
        return 1;
    }
    py_obj *value;
    if (py_isinstance_of(exc, &py_type_type) && (((py_type *)exc)->pyflags & PY_TPFLAGS_EXC_SUBCLASS)) {
        value = py_call0(exc);
        if (!value)
            return 0;
        if (!py_type_has(value, PY_TPFLAGS_EXC_SUBCLASS)) {
            py_err_format(py_exc_TypeError,
                          "calling %R should have returned an instance of BaseException, not %s",
                          exc, py_type_name(py_type_of(value)));
            tl_decref(value);
            return 0;
        }
    } else if (py_type_has(exc, PY_TPFLAGS_EXC_SUBCLASS)) {
        value = py_newref(exc);
    } else {
        py_err_format(py_exc_TypeError, "exceptions must derive from BaseException");
        return 0;
    }
    if (cause) {
        py_obj *c;
        if (cause == py_None) {
            c = NULL;
        } else if (py_isinstance_of(cause, &py_type_type) &&
                   (((py_type *)cause)->pyflags & PY_TPFLAGS_EXC_SUBCLASS)) {
            if (!(c = py_call0(cause))) {
                tl_decref(value);
                return 0;
            }
        } else if (py_type_has(cause, PY_TPFLAGS_EXC_SUBCLASS)) {
            c = py_newref(cause);
        } else {
            tl_decref(value);
            py_err_format(py_exc_TypeError, "exception causes must derive from BaseException");
            return 0;
        }
        py_exc_set_cause(value, c);
    }
    py_err_set_exc(value);
    return 0;
}

static py_obj *format_value(py_obj *v, int conv, py_obj *spec)
{
    py_obj *c = NULL;
    switch (conv) {
    case 1: c = py_str(v); break;
    case 2: c = py_repr(v); break;
    case 3: c = py_ascii(v); break;
    default: c = py_newref(v); break;
    }
    if (!c)
        return NULL;
    if (!spec && py_isinstance_exact(c, &py_str_type))
        return c;
    py_obj *r = py_format(c, spec);
    tl_decref(c);
    return r;
}

static py_obj *build_string(py_obj **items, int n)
{
    py_obj *empty = py_str_from_cstr("");
    if (!empty)
        return NULL;
    py_obj *t = py_tuple_from_array(items, (size_t)n);
    py_obj *r = t ? py_str_join(empty, t) : NULL;
    tl_xdecref(t);
    tl_decref(empty);
    return r;
}

static py_obj *call_exit_for_exception(py_obj *exit, py_obj *exc)
{
    py_obj *tb = py_exc_traceback(exc);
    py_obj *args[3] = {&py_type_of(exc)->tl.ob, exc, tb ? tb : py_None};
    py_obj *r = py_call(exit, args, 3, NULL);
    tl_xdecref(tb);
    return r;
}

static py_obj *before_with(py_obj *mgr, py_obj **exit_out)
{
    py_obj *enter = py_lookup_special(mgr, "__enter__");
    if (!enter) {
        if (!py_err_occurred())
            py_err_format(py_exc_TypeError,
                          "'%s' object does not support the context manager protocol",
                          py_type_name(py_type_of(mgr)));
        return NULL;
    }
    py_obj *exit = py_lookup_special(mgr, "__exit__");
    if (!exit) {
        tl_decref(enter);
        if (!py_err_occurred())
            py_err_format(py_exc_TypeError,
                          "'%s' object does not support the context manager protocol (missed __exit__ method)",
                          py_type_name(py_type_of(mgr)));
        return NULL;
    }
    py_obj *r = py_call0(enter);
    tl_decref(enter);
    if (!r) {
        tl_decref(exit);
        return NULL;
    }
    *exit_out = exit;
    return r;
}

/* LOAD_METHOD: the function found on the type, unbound, when nothing on the
 * instance can shadow it. */
static py_obj *lookup_method(py_obj *o, py_obj *name, bool *is_method)
{
    py_type *t = py_type_of(o);
    *is_method = false;
    if (t->getattr == py_generic_getattr) {
        py_obj *d = py_type_lookup(t, name);
        if (d && (py_isinstance_exact(d, &py_function_type) ||
                  (py_type_of(d)->pyflags & PY_TPFLAGS_METHOD_DESCR))) {
            py_obj *own = py_instance_get(o, name);
            if (own)
                return own;
            if (py_err_occurred())
                return NULL;
            *is_method = true;
            return py_newref(d);
        }
    }
    return py_getattr(o, name);
}

static py_obj *import_from(py_obj *mod, py_obj *name)
{
    py_obj *v;
    if (py_getattr_opt(mod, name, &v) != 0)
        return v;
    py_obj *mname = NULL;
    if (py_getattr_opt(mod, py_str_interned("__name__"), &mname) < 0)
        return NULL;
    py_obj *path = NULL;
    if (py_getattr_opt(mod, py_str_interned("__file__"), &path) < 0)
        py_err_clear();
    py_obj *msg = path ? py_str_from_format("cannot import name '%U' from '%S' (%S)", name, mname ? mname : py_None, path)
                       : py_str_from_format("cannot import name '%U' from '%S' (unknown location)", name,
                                            mname ? mname : py_None);
    py_obj *kwn = py_tuple_pack(2, py_str_interned("name"), py_str_interned("path"));
    if (msg && kwn) {
        py_obj *args[3] = {msg, mname ? mname : py_None, path ? path : py_None};
        py_obj *exc = py_call(&py_exc_ImportError->tl.ob, args, 1, kwn);
        if (exc)
            py_err_set_exc(exc);
    }
    tl_xdecref(kwn);
    tl_xdecref(msg);
    tl_xdecref(mname);
    tl_xdecref(path);
    return NULL;
}

static int import_star(py_frame *f, py_obj *mod)
{
    py_obj *d = py_module_dict(mod);
    py_obj *dst = f->locals ? f->locals : f->globals;
    intptr_t pos = 0;
    py_obj *k, *v;
    py_obj *all = py_dict_get_str(d, "__all__");
    if (all) {
        py_obj *it = py_iter(all), *name;
        if (!it)
            return -1;
        while ((name = py_next(it))) {
            py_obj *val = py_getattr(mod, name);
            int r = val ? py_setitem(dst, name, val) : -1;
            tl_xdecref(val);
            tl_decref(name);
            if (r < 0) {
                tl_decref(it);
                return -1;
            }
        }
        tl_decref(it);
        return py_err_occurred() ? -1 : 0;
    }
    while (py_dict_next(d, &pos, &k, &v)) {
        if (py_str_check(k) && py_str_utf8(k)[0] == '_')
            continue;
        if (py_setitem(dst, k, v) < 0)
            return -1;
    }
    return 0;
}

/* CPython's _PyObject_FunctionStr: "module.qualname" unless the module is
 * builtins, or the repr for things without a qualname. */
static py_obj *function_str(py_obj *fn)
{
    py_obj *q = NULL, *m = NULL, *r;
    if (py_getattr_opt(fn, py_str_interned("__qualname__"), &q) <= 0) {
        py_err_clear();
        return py_str(fn);
    }
    if (py_getattr_opt(fn, py_str_interned("__module__"), &m) < 0)
        py_err_clear();
    if (m && py_str_check(m) && !py_str_equal_cstr(m, "builtins"))
        r = py_str_from_format("%U.%S", m, q);
    else
        r = py_str(q);
    tl_xdecref(m);
    tl_decref(q);
    return r;
}

static void print_expr(py_obj *v)
{
    if (v == py_None)
        return;
    py_obj *hook = py_dict_get_str(py_module_dict(vm.sysmod), "displayhook");
    if (hook) {
        py_obj *r = py_call1(hook, v);
        tl_xdecref(r);
        return;
    }
}

/* ---- inline caches -------------------------------------------------------------------------
 *
 * One entry per instruction of a code object, made when the code first runs.
 * LOAD_GLOBAL remembers the value with the versions of globals and builtins
 * (every dict mutation gets a new version). LOAD_ATTR, STORE_ATTR and
 * LOAD_METHOD on instances remember the type, the class-dict version
 * (py_type_global_version) and the shape, and with them the slot (or, for a
 * store that adds an attribute, the shape it leads to). A stale entry is
 * simply refilled by the slow path. Values are borrowed: anything that could
 * free them changes a version or a shape first.
 */
typedef struct py_icache {
    uintptr_t k1, k2;
    void *p, *p2;
    intptr_t i;
} py_icache;

static py_icache *code_caches(py_code *co)
{
    if (!co->caches)
        co->caches = tl_heap_calloc(vm.heap, sizeof(py_icache) * (size_t)(co->ninstrs ? co->ninstrs : 1));
    return co->caches;
}

static bool cacheable_instance(py_obj *o, py_obj *name, bool for_store)
{
    py_type *t = py_type_of(o);
    if (!(t->pyflags & PY_TPFLAGS_INSTANCE) || !py_inst_of(o)->shape)
        return false;
    if (for_store ? t->setattr != py_generic_setattr : t->getattr != py_generic_getattr)
        return false;
    py_obj *d = py_type_lookup(t, name);
    return !d || !py_type_of(d)->descr_set;
}

static void fill_load_attr(py_icache *c, py_obj *o, py_obj *name)
{
    if (!cacheable_instance(o, name, false))
        return;
    py_inst *in = py_inst_of(o);
    int i = py_shape_index(in->shape, name);
    if (i < 0)
        return;
    c->k1 = (uintptr_t)py_type_of(o);
    c->k2 = py_type_global_version;
    c->p = in->shape;
    c->i = i;
}

static void fill_store_attr(py_icache *c, py_obj *o, py_obj *name, py_shape *before)
{
    py_inst *in = py_inst_of(o);
    py_shape *after = in->shape;
    if (!after || !before)
        return;
    if (after == before) {
        c->p2 = NULL;
        c->i = py_shape_index(after, name);
    } else if (py_shape_parent(after) == before) {
        c->p2 = after;
        c->i = (intptr_t)py_shape_nattrs(after) - 1;
    } else {
        return;
    }
    c->k1 = (uintptr_t)py_type_of(o);
    c->k2 = py_type_global_version;
    c->p = before;
}

/* Calling a class whose instances are plain (object.__new__) and whose
 * __init__ is a Python function: make the instance and run __init__ on the
 * caller's argument slots, self in the callable's slot (args[-1]). The
 * instance is held here and by __init__'s frame, as CPython holds it in
 * type_call and the frame. Returns NOT_FAST when the shape does not apply. */
#define NOT_FAST ((py_obj *)1)

/* The class's __init__ if it suits call_class_fast, else NULL. The CALL's
 * cache remembers it per class while no class dict changes. */
static py_obj *class_fast_init(py_type *t, py_icache *c)
{
    if (c->k1 == (uintptr_t)t && c->k2 == py_type_global_version)
        return c->p;
    py_obj *init = NULL;
    if ((t->pyflags & PY_TPFLAGS_INSTANCE) && t->tp_new == py_object_type.tp_new &&
        !(t->tl.flags & TL_TYPE_LEGACY_DEL) && t->tp_init != py_object_type.tp_init)
        init = py_type_lookup(t, py_str_interned("__init__"));
    if (init && !py_isinstance_exact(init, &py_function_type))
        init = NULL;
    c->k1 = (uintptr_t)t;
    c->k2 = py_type_global_version;
    c->p = init;
    return init;
}

static py_obj *call_class_fast(py_obj *callable, py_obj **args, size_t nargs, py_obj *kwnames,
                               py_icache *c)
{
    if (py_type_of(callable) != &py_type_type)
        return NOT_FAST;
    py_type *t = (py_type *)callable;
    py_obj *init = class_fast_init(t, c);
    if (!init)
        return NOT_FAST;
    py_obj *self = py_instance_alloc(t);
    if (!self)
        return NULL;
    tl_incref(init);
    /* The class stays alive through its reference in the caller's slot,
     * which lends self's place for the duration of the call. The arguments
     * are copied, not moved, into __init__'s frame: the caller's stack keeps
     * its references during the call, as CPython's does. */
    py_obj *cls = args[-1];
    args[-1] = self;
    py_class_call_refs(args, nargs, kwnames, +1);
    py_unpack_dict_refs(self, args, nargs, kwnames, +1);
    py_obj *r = eval_function(init, args - 1, nargs + 1, kwnames, false);
    py_unpack_dict_refs(self, args, nargs, kwnames, -1);
    py_class_call_refs(args, nargs, kwnames, -1);
    args[-1] = cls;
    tl_decref(init);
    if (!r) {
        tl_decref(self);
        return NULL;
    }
    if (r != py_None) {
        py_err_format(py_exc_TypeError, "__init__() should return None, not '%s'", py_type_name(py_type_of(r)));
        tl_decref(r);
        tl_decref(self);
        return NULL;
    }
    tl_decref(r);
    return self;
}

/* True if a call of fn with nargs positional arguments and no keywords is
 * the common kind that CALL runs in the same eval_frame: exactly the
 * positional parameters, and not a generator (which needs a heap frame). */
static inline bool call_is_inlinable(py_function *fn, size_t nargs)
{
    py_code *co = py_code_cast(fn->code);
    return nargs == (size_t)co->argcount && co->kwonlyargcount == 0 &&
           !(co->flags & (PY_CO_VARARGS | PY_CO_VARKEYWORDS | PY_CO_GENERATOR));
}

/* Pushes fn's frame for an inlined call and moves the arguments into it (the
 * slots become NULL, as eval_function's move does); it is then the running
 * frame. NULL, with the exception set and nothing moved, on failure. Does
 * what eval_function and eval_frame's entry do for the same call. */
static py_frame *inline_frame_push(py_function *fn, py_obj **args, size_t nargs)
{
    py_code *co = py_code_cast(fn->code);
    if (!co->caches && !code_caches(co))
        return py_err_no_memory(), NULL;
    if (py_enter_recursive_call(""))
        return NULL;
    py_frame *f = frame_alloc(co, false);
    if (!f) {
        py_leave_recursive_call();
        return NULL;
    }
    f->func = py_newref(&fn->ob);
    f->globals = py_newref(fn->globals);
    copy_free_vars(f, fn->closure);
    for (size_t i = 0; i < nargs; i++) {
        f->localsplus[i] = args[i];
        args[i] = NULL;
    }
    f->inlined = true;
    f->back = vm.frame;
    vm.frame = f;
    return f;
}

/* ---- the loop ---------------------------------------------------------------------------- */

#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define SECOND() (sp[-2])
#define PEEK(n) (sp[-(intptr_t)(n)])
#define SET_TOP(v) (sp[-1] = (v))
#ifdef PY_STEP_BUDGET
/* A backward jump (a loop) spends a step of the fuzzing budget (lang_int.h). */
#define JUMPTO(t) do { \
        if ((intptr_t)(t) < ip - first && py_step() < 0) \
            goto error; \
        ip = first + (t); \
    } while (0)
#else
#define JUMPTO(t) (ip = first + (t))
#endif
#define CACHE() (&caches[ip - first - 1])
/* Replaces the two operands on top of the stack with r (a new reference). */
#define REPLACE_TWO(r) do { tl_decref(POP()); tl_decref(TOP()); SET_TOP(r); } while (0)
/* [a, b] -> [expr], where expr uses a and b; on NULL, both are dropped and
 * the error unwinds. */
#define BINARY_SLOW(expr) do { \
    py_obj *b = POP(), *a = TOP(); \
    py_obj *r_ = (expr); \
    tl_decref(a); \
    tl_decref(b); \
    if (!r_) { sp--; goto error; } \
    SET_TOP(r_); \
    DISPATCH(); \
} while (0)

/* x op y for the float operators computed inline (+ - * and / by non-zero,
 * plain or augmented); false for the others, which go the general way. */
static inline bool float_arith(double x, double y, uint32_t op, double *z)
{
    switch (op) {
    case PY_NB_ADD: case PY_NB_ADD + PY_NB_INPLACE: *z = x + y; return true;
    case PY_NB_SUBTRACT: case PY_NB_SUBTRACT + PY_NB_INPLACE: *z = x - y; return true;
    case PY_NB_MULTIPLY: case PY_NB_MULTIPLY + PY_NB_INPLACE: *z = x * y; return true;
    case PY_NB_TRUE_DIVIDE: case PY_NB_TRUE_DIVIDE + PY_NB_INPLACE:
        if (y == 0.0)
            return false;
        *z = x / y;
        return true;
    default:
        return false;
    }
}

/* The value of an exact float, or of a small exact int converted to the
 * nearest double (as float's arithmetic converts an int operand). */
static inline bool float_operand(py_obj *o, bool is_float, double *d)
{
    int64_t i;
    if (is_float) {
        *d = ((py_float *)o)->v;
        return true;
    }
    if (!py_int_fast(o, &i))
        return false;
    *d = (double)i;
    return true;
}

/* Replaces the two operands on top of the stack (the ones flagged exact
 * floats, the others small ints) with the float z. A float
 * operand whose only reference is the stack's is a temporary no program can
 * see (no name, container or weak reference holds it, and nothing has its
 * id), so it takes the result in place: dx * dx + dy * dy allocates one float,
 * not two. False (both operands dropped, one slot popped) on out of memory. */
static inline bool float_result(py_obj ***spp, double z, bool a_float, bool b_float)
{
    py_obj **sp = *spp;
    py_obj *b = sp[-1], *a = sp[-2];
    py_obj *r;
    if (a_float && a->refcount == 1) {
        r = a;
        py_decref_num(b);
    } else if (b_float && b->refcount == 1) {
        r = b;
        tl_decref(a);
    } else {
        r = py_float_new_inline(z);
        tl_decref(a);
        tl_decref(b);
        if (!r) {
            *spp = sp - 2;
            return false;
        }
    }
    ((py_float *)r)->v = z;
    sp[-2] = r;
    *spp = sp - 1;
    return true;
}

/* Pushes the bool r, the operands being popped already; or, when the next
 * instruction is POP_JUMP_IF_FALSE/TRUE (an `if` or `while` test), takes
 * that jump at once instead of pushing a bool it would pop straight away. */
#define BOOL_RESULT(r) do { \
    uint32_t next_ = *ip; \
    if (PY_INSTR_OP(next_) == OP_POP_JUMP_IF_FALSE) { \
        ip++; \
        if (!(r)) \
            JUMPTO(PY_INSTR_ARG(next_)); \
        DISPATCH(); \
    } \
    if (PY_INSTR_OP(next_) == OP_POP_JUMP_IF_TRUE) { \
        ip++; \
        if (r) \
            JUMPTO(PY_INSTR_ARG(next_)); \
        DISPATCH(); \
    } \
    PUSH(py_bool(r)); \
    DISPATCH(); \
} while (0)

static py_obj *eval_frame(py_frame *f, int throwflag, bool *yielded)
{
#define X(name) &&op_##name,
    static void *const targets[256] = {PY_OPCODES(X)};
#undef X
    *yielded = false;
    if (!f->code->caches && !code_caches(f->code)) {
        if (!f->on_heap)
            frame_clear(f, NULL);
        return py_err_no_memory(), NULL;
    }
    if (py_enter_recursive_call("")) {
        if (!f->on_heap)
            frame_clear(f, NULL);
        return NULL;
    }
    py_code *co = f->code;
    const uint32_t *first = co->instrs, *ip = first + f->lasti;
    py_obj **lp = f->localsplus;
    py_obj **stack_base = lp + py_frame_nlocalsplus(co);
    py_obj **sp = stack_base + f->stackdepth;
    py_obj *const *consts = py_tuple_items(co->consts);
    py_obj *const *names = py_tuple_items(co->names);
    py_icache *caches = code_caches(co);
    py_obj *kwnames = NULL;
    py_obj *retval = NULL;
    uint32_t w, arg;
    f->back = vm.frame;
    vm.frame = f;
    if (f->stackdepth || f->lasti) {
        /* Resuming a generator: the sent value is on the stack already. */
        ip = first + f->lasti + 1;
    }
    f->stackdepth = 0;
    if (throwflag)
        goto error_noline;

/* The registers that follow f: set again whenever f changes. */
#define LOAD_FRAME_STATE() do { \
    co = f->code; \
    first = co->instrs; \
    lp = f->localsplus; \
    stack_base = lp + py_frame_nlocalsplus(co); \
    consts = py_tuple_items(co->consts); \
    names = py_tuple_items(co->names); \
    caches = co->caches; \
} while (0)
#define DISPATCH() do { w = *ip++; arg = PY_INSTR_ARG(w); goto *targets[PY_INSTR_OP(w)]; } while (0)
#define ERROR_IF(c) do { if (PY_UNLIKELY(c)) goto error; } while (0)
    DISPATCH();

op_NOP:
    DISPATCH();
op_POP_TOP:
    tl_decref(POP());
    DISPATCH();
op_COPY: {
    py_obj *v = PEEK(arg);
    PUSH(py_newref(v));
    DISPATCH();
}
op_SWAP: {
    py_obj *t = TOP();
    SET_TOP(PEEK(arg));
    PEEK(arg) = t;
    DISPATCH();
}
op_LOAD_CONST:
    PUSH(py_newref(consts[arg]));
    DISPATCH();
op_LOAD_FAST: {
    py_obj *v = lp[arg];
    if (PY_UNLIKELY(!v)) {
        unbound_local(co, (int32_t)arg);
        goto error;
    }
    PUSH(py_newref(v));
    DISPATCH();
}
op_STORE_FAST: {
    py_obj *old = lp[arg];
    lp[arg] = POP();
    if (old)
        py_decref_num(old);
    DISPATCH();
}
op_DELETE_FAST: {
    py_obj *old = lp[arg];
    if (!old) {
        unbound_local(co, (int32_t)arg);
        goto error;
    }
    lp[arg] = NULL;
    tl_decref(old);
    DISPATCH();
}
op_MAKE_CELL: {
    int32_t ci = (int32_t)arg - co->nlocals;
    py_obj *init = NULL;
    if (co->cell2arg && ci >= 0 && ci < co->ncells && co->cell2arg[ci] >= 0) {
        init = lp[co->cell2arg[ci]];
        lp[co->cell2arg[ci]] = NULL;
    } else {
        init = lp[arg];
        lp[arg] = NULL;
    }
    py_obj *cell = py_cell_new(init);
    tl_xdecref(init);
    ERROR_IF(!cell);
    tl_xdecref(lp[arg]);
    lp[arg] = cell;
    DISPATCH();
}
op_LOAD_DEREF: {
    py_obj *v = ((py_cell *)lp[arg])->ref;
    if (!v) {
        unbound_local(co, (int32_t)arg);
        goto error;
    }
    PUSH(py_newref(v));
    DISPATCH();
}
op_STORE_DEREF: {
    py_cell *c = (py_cell *)lp[arg];
    tl_setref(&c->ref, POP());
    DISPATCH();
}
op_DELETE_DEREF: {
    py_cell *c = (py_cell *)lp[arg];
    if (!c->ref) {
        unbound_local(co, (int32_t)arg);
        goto error;
    }
    TL_CLEAR(c->ref);
    DISPATCH();
}
op_LOAD_CLASSDEREF: {
    py_obj *name = var_name(co, (int32_t)arg);
    py_obj *v = f->locals ? mapping_get(f->locals, name) : NULL;
    ERROR_IF(!v && py_err_occurred());
    if (!v) {
        v = ((py_cell *)lp[arg])->ref;
        if (!v) {
            unbound_local(co, (int32_t)arg);
            goto error;
        }
        tl_incref(v);
    }
    PUSH(v);
    DISPATCH();
}
op_LOAD_CLOSURE:
    PUSH(py_newref(lp[arg]));
    DISPATCH();
op_LOAD_GLOBAL: {
    py_icache *c = CACHE();
    uintptr_t gv = py_dict_version(f->globals), bv = py_dict_version(f->builtins);
    if (PY_LIKELY(c->p && c->k1 == gv && c->k2 == bv)) {
        PUSH(py_newref(c->p));
        DISPATCH();
    }
    py_obj *v = load_global(f, names[arg]);
    ERROR_IF(!v);
    c->k1 = py_dict_version(f->globals);
    c->k2 = py_dict_version(f->builtins);
    c->p = v;
    PUSH(v);
    DISPATCH();
}
op_STORE_GLOBAL: {
    py_obj *v = POP();
    int r = py_dict_set(f->globals, names[arg], v);
    tl_decref(v);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_DELETE_GLOBAL: {
    if (py_dict_del(f->globals, names[arg]) < 0) {
        if (py_err_matches(py_exc_KeyError)) {
            py_err_clear();
            name_error(names[arg]);
        }
        goto error;
    }
    DISPATCH();
}
op_LOAD_NAME: {
    py_obj *v = load_name(f, names[arg]);
    ERROR_IF(!v);
    PUSH(v);
    DISPATCH();
}
op_STORE_NAME: {
    py_obj *v = POP();
    py_obj *map = f->locals ? f->locals : f->globals;
    int r = py_isinstance_exact(map, &py_dict_type) ? py_dict_set(map, names[arg], v)
                                                    : py_setitem(map, names[arg], v);
    tl_decref(v);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_DELETE_NAME: {
    py_obj *map = f->locals ? f->locals : f->globals;
    if (py_delitem(map, names[arg]) < 0) {
        if (py_err_matches(py_exc_KeyError)) {
            py_err_clear();
            name_error(names[arg]);
        }
        goto error;
    }
    DISPATCH();
}
op_LOAD_ATTR: {
    py_obj *o = TOP();
    py_icache *c = CACHE();
    if (c->k1 == (uintptr_t)py_type_of(o) && c->k2 == py_type_global_version) {
        py_inst *in = py_inst_of(o);
        if (in->shape == c->p) {
            py_obj *v = py_inst_values(in)[c->i];
            if (PY_LIKELY(v != NULL)) {
                SET_TOP(py_newref(v));
                tl_decref(o);
                DISPATCH();
            }
        }
    }
    py_obj *v = py_getattr(o, names[arg]);
    ERROR_IF(!v);
    fill_load_attr(c, o, names[arg]);
    SET_TOP(v);
    tl_decref(o);
    DISPATCH();
}
op_STORE_ATTR: {
    py_obj *o = POP(), *v = POP();
    py_icache *c = CACHE();
    if (c->k1 == (uintptr_t)py_type_of(o) && c->k2 == py_type_global_version) {
        py_inst *in = py_inst_of(o);
        if (in->shape == c->p) {
            if (!c->p2) {
                py_obj **slot = &py_inst_values(in)[c->i];
                py_obj *old = *slot;
                if (old) {
                    *slot = v;
                    py_decref_num(old);
                    tl_decref(o);
                    DISPATCH();
                }
            } else if ((uint32_t)c->i < py_inst_capacity(in)) {
                py_inst_values(in)[c->i] = v;
                in->shape = c->p2;
                tl_decref(o);
                DISPATCH();
            }
        }
    }
    py_shape *before = cacheable_instance(o, names[arg], true) ? py_inst_of(o)->shape : NULL;
    int r = py_setattr(o, names[arg], v);
    if (r == 0 && before)
        fill_store_attr(c, o, names[arg], before);
    tl_decref(v);
    tl_decref(o);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_DELETE_ATTR: {
    py_obj *o = POP();
    int r = py_setattr(o, names[arg], NULL);
    tl_decref(o);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_LOAD_METHOD: {
    py_obj *o = TOP();
    py_icache *c = CACHE();
    py_type *ot = py_type_of(o);
    if (c->k1 == (uintptr_t)ot && c->k2 == py_type_global_version &&
        (!(ot->pyflags & PY_TPFLAGS_INSTANCE) || py_inst_of(o)->shape == c->p2)) {
        SET_TOP(py_newref(c->p));
        PUSH(o);
        DISPATCH();
    }
    bool is_method;
    py_obj *m = lookup_method(o, names[arg], &is_method);
    ERROR_IF(!m);
    if (is_method) {
        if (!(ot->pyflags & PY_TPFLAGS_INSTANCE) || py_inst_of(o)->shape) {
            c->k1 = (uintptr_t)ot;
            c->k2 = py_type_global_version;
            c->p = m;
            c->p2 = (ot->pyflags & PY_TPFLAGS_INSTANCE) ? py_inst_of(o)->shape : NULL;
        }
        SET_TOP(m);
        PUSH(o);
    } else {
        SET_TOP(NULL);
        PUSH(m);
        tl_decref(o);
    }
    DISPATCH();
}
op_PUSH_NULL:
    PUSH(NULL);
    DISPATCH();
op_KW_NAMES:
    kwnames = consts[arg];
    DISPATCH();
op_CALL: {
    size_t nkw = kwnames ? (size_t)py_tuple_size(kwnames) : 0;
    size_t n = arg;                      /* positional + keyword values */
    py_obj **args = sp - n;
    py_obj *callable = args[-1], *meth = args[-2];
    if (meth) {
        callable = meth;
        args--;
        n++;
    }
    f->lasti = (int32_t)(ip - first - 1);
    py_obj *r;
    if (py_isinstance_exact(callable, &py_function_type) && !kwnames &&
        call_is_inlinable((py_function *)callable, n)) {
        py_frame *nf = inline_frame_push((py_function *)callable, args, n);
        if (PY_LIKELY(nf != NULL)) {
            f->stackdepth = (int32_t)(sp - stack_base);
            f = nf;
            LOAD_FRAME_STATE();
            ip = first;
            sp = stack_base;
            DISPATCH();
        }
        r = NULL;
    } else if (py_isinstance_exact(callable, &py_function_type))
        r = eval_function(callable, args, n - nkw, kwnames, true);
    else if (!meth && (r = call_class_fast(callable, args, n - nkw, kwnames, CACHE())) != NOT_FAST)
        ;
    else
        r = py_call(callable, args, n - nkw, kwnames);
    kwnames = NULL;
    /* Release the arguments, then the callable, then the NULL/self slot. */
    py_obj **bottom = sp - arg - 2;
    while (sp > bottom)
        tl_xdecref(*--sp);
    ERROR_IF(!r);
    PUSH(r);
    DISPATCH();
}
op_CALL_FUNCTION_EX: {
    py_obj *kwargs = arg & 1 ? POP() : NULL;
    py_obj *cargs = POP(), *callable = POP(), *null = POP();
    py_obj *r = NULL;
    f->lasti = (int32_t)(ip - first - 1);
    if (!py_isinstance_exact(cargs, &py_tuple_type)) {
        py_obj *t = py_sequence_to_tuple(cargs);
        if (!t && py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            py_err_format(py_exc_TypeError, "%S argument after * must be an iterable, not %s",
                          callable, py_type_name(py_type_of(cargs)));
        }
        tl_decref(cargs);
        cargs = t;
    }
    if (cargs)
        r = py_call_tuple_dict(callable, cargs, kwargs);
    tl_xdecref(kwargs);
    tl_xdecref(cargs);
    tl_decref(callable);
    tl_xdecref(null);
    ERROR_IF(!r);
    PUSH(r);
    DISPATCH();
}
op_BINARY_OP: {
    int64_t x, y, z;
    if (py_int_fast(TOP(), &y) && py_int_fast(SECOND(), &x)) {
        bool ok = false;
        switch (arg) {
        case PY_NB_ADD: case PY_NB_ADD + PY_NB_INPLACE: ok = !__builtin_add_overflow(x, y, &z); break;
        case PY_NB_SUBTRACT: case PY_NB_SUBTRACT + PY_NB_INPLACE: ok = !__builtin_sub_overflow(x, y, &z); break;
        case PY_NB_MULTIPLY: case PY_NB_MULTIPLY + PY_NB_INPLACE: ok = !__builtin_mul_overflow(x, y, &z); break;
        case PY_NB_AND: case PY_NB_AND + PY_NB_INPLACE: z = x & y; ok = true; break;
        case PY_NB_OR: case PY_NB_OR + PY_NB_INPLACE: z = x | y; ok = true; break;
        case PY_NB_XOR: case PY_NB_XOR + PY_NB_INPLACE: z = x ^ y; ok = true; break;
        case PY_NB_RSHIFT: case PY_NB_RSHIFT + PY_NB_INPLACE:
            /* Python's >> floors, as an arithmetic shift does */
            ok = y >= 0;
            z = !ok ? 0 : y > 63 ? (x < 0 ? -1 : 0) : x >> y;
            break;
        default: break;
        }
        if (ok && z != INT64_MIN) {
            py_obj *r = py_int_from_long(z);
            ERROR_IF(!r);
            REPLACE_TWO(r);
            DISPATCH();
        }
    }
    {
        /* Floats, or a float and a small int (converted as float's own
         * arithmetic converts it: to the nearest double). */
        py_obj *a = SECOND(), *b = TOP();
        bool af = py_isinstance_exact(a, &py_float_type), bf = py_isinstance_exact(b, &py_float_type);
        double fx, fy, z;
        if ((af || bf) && float_operand(a, af, &fx) && float_operand(b, bf, &fy) &&
            float_arith(fx, fy, arg, &z)) {
            ERROR_IF(!float_result(&sp, z, af, bf));
            DISPATCH();
        }
    }
    BINARY_SLOW(py_binary_op(a, b, (int)arg));
}
op_COMPARE_OP: {
    int64_t x, y;
    if (py_int_fast(TOP(), &y) && py_int_fast(SECOND(), &x)) {
        bool r;
        switch (arg) {
        case PY_LT: r = x < y; break;
        case PY_LE: r = x <= y; break;
        case PY_EQ: r = x == y; break;
        case PY_NE: r = x != y; break;
        case PY_GT: r = x > y; break;
        default: r = x >= y; break;
        }
        tl_decref(POP());
        tl_decref(POP());
        BOOL_RESULT(r);
    }
    BINARY_SLOW(py_richcompare(a, b, (int)arg));
}
op_IS_OP: {
    py_obj *b = POP(), *a = POP();
    bool r = (a == b) ^ (arg != 0);
    tl_decref(a);
    tl_decref(b);
    BOOL_RESULT(r);
}
op_CONTAINS_OP: {
    py_obj *b = POP(), *a = TOP();
    int r = py_contains(b, a);
    tl_decref(a);
    tl_decref(b);
    if (r < 0) {
        sp--;
        goto error;
    }
    SET_TOP(py_bool((r != 0) ^ (arg != 0)));
    DISPATCH();
}
#define UNARY_OP(name, fn) \
op_##name: { \
    py_obj *a = TOP(), *r = fn(a); \
    tl_decref(a); \
    if (!r) { sp--; goto error; } \
    SET_TOP(r); \
    DISPATCH(); \
}
UNARY_OP(UNARY_NEGATIVE, py_unary_negative)
UNARY_OP(UNARY_POSITIVE, py_unary_positive)
op_UNARY_INVERT: {
    int64_t x;
    if (py_int_fast(TOP(), &x) && x != INT64_MAX) {   /* ~x = -x - 1, a fast int */
        py_obj *r = py_int_from_long(~x);
        ERROR_IF(!r);
        tl_decref(TOP());
        SET_TOP(r);
        DISPATCH();
    }
    py_obj *a = TOP(), *r = py_unary_invert(a);
    tl_decref(a);
    if (!r) { sp--; goto error; }
    SET_TOP(r);
    DISPATCH();
}
op_UNARY_NOT: {
    py_obj *a = TOP();
    int t = py_truthy(a);
    tl_decref(a);
    if (t < 0) { sp--; goto error; }
    SET_TOP(py_bool(!t));
    DISPATCH();
}
op_BINARY_SUBSCR:
    BINARY_SLOW(py_getitem(a, b));
op_STORE_SUBSCR: {
    py_obj *k = POP(), *o = POP(), *v = POP();
    int r = py_setitem(o, k, v);
    tl_decref(k);
    tl_decref(o);
    tl_decref(v);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_DELETE_SUBSCR: {
    py_obj *k = POP(), *o = POP();
    int r = py_delitem(o, k);
    tl_decref(k);
    tl_decref(o);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_BUILD_SLICE: {
    py_obj *step = arg == 3 ? POP() : NULL, *stop = POP(), *start = TOP();
    py_obj *s = py_slice_new(start, stop, step ? step : py_None);
    tl_decref(start);
    tl_decref(stop);
    tl_xdecref(step);
    if (!s) { sp--; goto error; }
    SET_TOP(s);
    DISPATCH();
}
op_BUILD_TUPLE: {
    py_obj *t = py_tuple_new(arg);
    ERROR_IF(!t);
    for (uint32_t i = arg; i > 0; i--)
        py_tuple_items(t)[i - 1] = POP();
    PUSH(t);
    DISPATCH();
}
op_BUILD_LIST: {
    py_obj *l = py_list_new(arg);
    ERROR_IF(!l);
    for (uint32_t i = arg; i > 0; i--)
        py_list_items(l)[i - 1] = POP();
    PUSH(l);
    DISPATCH();
}
op_BUILD_SET: {
    py_obj *s = py_set_new(NULL);
    ERROR_IF(!s);
    int err = 0;
    for (uint32_t i = arg; i > 0; i--) {
        py_obj *v = PEEK(i);
        if (!err && py_set_add(s, v) < 0)
            err = 1;
    }
    for (uint32_t i = 0; i < arg; i++)
        tl_decref(POP());
    if (err) {
        tl_decref(s);
        goto error;
    }
    PUSH(s);
    DISPATCH();
}
op_BUILD_MAP: {
    py_obj *d = py_dict_new();
    ERROR_IF(!d);
    int err = 0;
    for (uint32_t i = arg; i > 0; i--)
        if (!err && py_dict_set(d, PEEK(2 * i), PEEK(2 * i - 1)) < 0)
            err = 1;
    for (uint32_t i = 0; i < 2 * arg; i++)
        tl_decref(POP());
    if (err) {
        tl_decref(d);
        goto error;
    }
    PUSH(d);
    DISPATCH();
}
op_BUILD_CONST_KEY_MAP: {
    py_obj *keys = POP();
    py_obj *d = py_dict_new();
    int err = !d;
    for (uint32_t i = 0; i < arg && !err; i++)
        if (py_dict_set(d, py_tuple_items(keys)[i], PEEK(arg - i)) < 0)
            err = 1;
    for (uint32_t i = 0; i < arg; i++)
        tl_decref(POP());
    tl_decref(keys);
    if (err) {
        tl_xdecref(d);
        goto error;
    }
    PUSH(d);
    DISPATCH();
}
op_BUILD_STRING: {
    py_obj *s = build_string(sp - arg, (int)arg);
    for (uint32_t i = 0; i < arg; i++)
        tl_decref(POP());
    ERROR_IF(!s);
    PUSH(s);
    DISPATCH();
}
op_LIST_APPEND: {
    py_obj *v = POP();
    int r = py_list_append(PEEK(arg), v);
    tl_decref(v);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_SET_ADD: {
    py_obj *v = POP();
    int r = py_set_add(PEEK(arg), v);
    tl_decref(v);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_MAP_ADD: {
    py_obj *v = POP(), *k = POP();
    int r = py_dict_set(PEEK(arg), k, v);
    tl_decref(k);
    tl_decref(v);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_LIST_EXTEND: {
    py_obj *it = POP();
    int r = py_list_extend_from(PEEK(arg), it);
    if (r < 0 && py_err_matches(py_exc_TypeError) && !py_type_of(it)->iter && !py_type_of(it)->getitem) {
        py_err_clear();
        py_err_format(py_exc_TypeError, "Value after * must be an iterable, not %s",
                      py_type_name(py_type_of(it)));
    }
    tl_decref(it);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_SET_UPDATE: {
    py_obj *it = POP(), *x, *iter = py_iter(it);
    int r = iter ? 0 : -1;
    while (iter && (x = py_next(iter))) {
        if (r == 0 && py_set_add(PEEK(arg), x) < 0)
            r = -1;
        tl_decref(x);
    }
    tl_xdecref(iter);
    tl_decref(it);
    ERROR_IF(r < 0 || py_err_occurred());
    DISPATCH();
}
op_DICT_UPDATE: {
    py_obj *m = POP();
    int r = py_dict_update(PEEK(arg), m);
    if (r < 0 && py_err_matches(py_exc_AttributeError)) {
        py_err_clear();
        py_err_format(py_exc_TypeError, "'%s' object is not a mapping", py_type_name(py_type_of(m)));
    }
    tl_decref(m);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_DICT_MERGE: {
    py_obj *m = POP(), *d = PEEK(arg);
    int r = 0;
    if (!py_dict_check(m)) {
        py_obj *tmp = py_dict_new();
        r = tmp ? py_dict_update(tmp, m) : -1;
        if (r < 0 && py_err_matches(py_exc_AttributeError)) {
            py_err_clear();
            py_err_format(py_exc_TypeError, "argument after ** must be a mapping, not %s",
                          py_type_name(py_type_of(m)));
        }
        tl_decref(m);
        m = tmp;
    }
    intptr_t pos = 0;
    py_obj *k, *v;
    while (r == 0 && m && py_dict_next(m, &pos, &k, &v)) {
        if (py_dict_get(d, k)) {
            py_obj *fname = function_str(PEEK(arg + 2));
            py_err_format(py_exc_TypeError, "%S() got multiple values for keyword argument '%S'",
                          fname ? fname : py_None, k);
            tl_xdecref(fname);
            r = -1;
        } else {
            r = py_dict_set(d, k, v);
        }
    }
    tl_xdecref(m);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_LIST_TO_TUPLE: {
    py_obj *l = TOP();
    py_obj *t = py_tuple_from_array(py_list_items(l), (size_t)py_list_size(l));
    ERROR_IF(!t);
    SET_TOP(t);
    tl_decref(l);
    DISPATCH();
}
op_FORMAT_VALUE: {
    py_obj *spec = (arg & 4) ? POP() : NULL;
    py_obj *v = TOP();
    py_obj *r = format_value(v, (int)(arg & 3), spec);
    tl_xdecref(spec);
    tl_decref(v);
    if (!r) { sp--; goto error; }
    SET_TOP(r);
    DISPATCH();
}
op_UNPACK_SEQUENCE: {
    py_obj *seq = POP();
    int r = unpack_sequence(seq, (int)arg, sp + arg);
    tl_decref(seq);
    ERROR_IF(r < 0);
    sp += arg;
    DISPATCH();
}
op_UNPACK_EX: {
    int before = (int)(arg & 0xFF), after = (int)(arg >> 8);
    py_obj *seq = POP();
    int r = unpack_iterable(seq, before, after, sp + before + 1 + after);
    tl_decref(seq);
    ERROR_IF(r < 0);
    sp += before + 1 + after;
    DISPATCH();
}
op_GET_ITER: {
    py_obj *o = TOP(), *it = py_iter(o);
    tl_decref(o);
    if (!it) { sp--; goto error; }
    SET_TOP(it);
    DISPATCH();
}
op_FOR_ITER: {
    py_obj *it = TOP();
    py_obj *v = py_type_of(it)->iternext(it);
    if (v) {
        PUSH(v);
        DISPATCH();
    }
    if (py_err_occurred()) {
        if (!py_err_matches(py_exc_StopIteration))
            goto error;
        py_err_clear();
    }
    tl_decref(POP());
    JUMPTO(arg);
    DISPATCH();
}
op_JUMP:
    JUMPTO(arg);
    DISPATCH();
op_POP_JUMP_IF_FALSE: {
    py_obj *v = POP();
    int t = v == py_True ? 1 : v == py_False ? 0 : py_truthy(v);
    tl_decref(v);
    ERROR_IF(t < 0);
    if (!t)
        JUMPTO(arg);
    DISPATCH();
}
op_POP_JUMP_IF_TRUE: {
    py_obj *v = POP();
    int t = v == py_True ? 1 : v == py_False ? 0 : py_truthy(v);
    tl_decref(v);
    ERROR_IF(t < 0);
    if (t)
        JUMPTO(arg);
    DISPATCH();
}
op_POP_JUMP_IF_NONE: {
    py_obj *v = POP();
    if (v == py_None)
        JUMPTO(arg);
    tl_decref(v);
    DISPATCH();
}
op_POP_JUMP_IF_NOT_NONE: {
    py_obj *v = POP();
    if (v != py_None)
        JUMPTO(arg);
    tl_decref(v);
    DISPATCH();
}
op_JUMP_IF_FALSE_OR_POP: {
    int t = py_truthy(TOP());
    ERROR_IF(t < 0);
    if (!t)
        JUMPTO(arg);
    else
        tl_decref(POP());
    DISPATCH();
}
op_JUMP_IF_TRUE_OR_POP: {
    int t = py_truthy(TOP());
    ERROR_IF(t < 0);
    if (t)
        JUMPTO(arg);
    else
        tl_decref(POP());
    DISPATCH();
}
op_RETURN_VALUE:
    retval = POP();
    goto exit_frame;
op_MAKE_FUNCTION: {
    py_obj *code = POP();
    py_obj *closure = (arg & 8) ? POP() : NULL;
    py_obj *kwdefaults = (arg & 2) ? POP() : NULL;
    py_obj *defaults = (arg & 1) ? POP() : NULL;
    py_obj *fn = py_function_new(code, f->globals, NULL);
    tl_decref(code);
    if (fn) {
        py_function *pf = (py_function *)fn;
        pf->closure = closure;
        pf->kwdefaults = kwdefaults;
        pf->defaults = defaults;
    } else {
        tl_xdecref(closure);
        tl_xdecref(kwdefaults);
        tl_xdecref(defaults);
    }
    ERROR_IF(!fn);
    PUSH(fn);
    DISPATCH();
}
op_LOAD_BUILD_CLASS: {
    py_obj *bc = py_dict_get_str(f->builtins, "__build_class__");
    if (!bc) {
        if (!py_err_occurred())     /* else the name could not be made: MemoryError */
            py_err_format(py_exc_NameError, "__build_class__ not found");
        goto error;
    }
    PUSH(py_newref(bc));
    DISPATCH();
}
op_SETUP_FINALLY:
    if (f->nblocks >= PY_MAXBLOCKS) {
        py_err_format(py_exc_SystemError, "too many statically nested blocks");
        goto error;
    }
    f->blocks[f->nblocks].handler = (int32_t)arg;
    f->blocks[f->nblocks].level = (int32_t)(sp - stack_base);
    f->nblocks++;
    DISPATCH();
op_POP_BLOCK:
    f->nblocks--;
    DISPATCH();
op_PUSH_EXC_INFO: {
    py_obj *exc = TOP();
    py_obj *prev = vm.exc_info ? vm.exc_info : py_newref(py_None);
    vm.exc_info = py_newref(exc);
    SET_TOP(prev);
    PUSH(exc);
    DISPATCH();
}
op_POP_EXCEPT: {
    py_obj *prev = POP();
    py_obj *old = vm.exc_info;
    vm.exc_info = prev == py_None ? NULL : prev;
    if (prev == py_None)
        tl_decref(prev);
    tl_xdecref(old);
    DISPATCH();
}
op_CHECK_EXC_MATCH: {
    py_obj *t = POP();
    int r = check_exc_match(TOP(), t);
    tl_decref(t);
    ERROR_IF(r < 0);
    PUSH(py_bool(r));
    DISPATCH();
}
op_RERAISE: {
    py_obj *exc = POP();
    py_err_set_exc_raw(exc);
    goto unwind;
}
op_RAISE_VARARGS: {
    py_obj *cause = arg == 2 ? POP() : NULL;
    py_obj *exc = arg >= 1 ? POP() : NULL;
    int bare = do_raise(exc, cause);
    tl_xdecref(exc);
    tl_xdecref(cause);
    if (bare)
        goto unwind;
    goto error;
}
op_LOAD_ASSERTION_ERROR:
    PUSH(py_newref(&py_exc_AssertionError->tl.ob));
    DISPATCH();
op_BEFORE_WITH: {
    py_obj *mgr = TOP(), *exit = NULL;
    if (f->nblocks >= PY_MAXBLOCKS) {
        py_err_format(py_exc_SystemError, "too many statically nested blocks");
        goto error;
    }
    py_obj *res = before_with(mgr, &exit);
    ERROR_IF(!res);
    SET_TOP(exit);
    tl_decref(mgr);
    f->blocks[f->nblocks].handler = (int32_t)arg;
    f->blocks[f->nblocks].level = (int32_t)(sp - stack_base);
    f->nblocks++;
    PUSH(res);
    DISPATCH();
}
op_WITH_EXCEPT_START: {
    py_obj *exit = PEEK(3), *exc = TOP();
    py_obj *r = call_exit_for_exception(exit, exc);
    ERROR_IF(!r);
    PUSH(r);
    DISPATCH();
}
op_YIELD_VALUE:
    retval = POP();
    f->lasti = (int32_t)(ip - first - 1);
    f->stackdepth = (int32_t)(sp - stack_base);
    *yielded = true;
    vm.frame = f->back;
    f->back = NULL;
    vm.depth--;
    return retval;
op_GET_YIELD_FROM_ITER: {
    py_obj *o = TOP();
    if (!py_isinstance_exact(o, &py_generator_type)) {
        py_obj *it = py_iter(o);
        tl_decref(o);
        if (!it) { sp--; goto error; }
        SET_TOP(it);
    }
    DISPATCH();
}
op_SEND: {
    py_obj *v = POP(), *it = TOP();
    py_obj *r;
    int status;     /* 0 yielded, 1 returned, -1 error */
    r = py_gen_send_ex(it, v, &status);
    tl_decref(v);
    if (status < 0)
        goto error;
    if (status == 1) {
        tl_decref(POP());
        PUSH(r);
        JUMPTO(arg);
        DISPATCH();
    }
    PUSH(r);
    DISPATCH();
}
op_RETURN_GENERATOR:
    py_err_format(py_exc_SystemError, "RETURN_GENERATOR outside generator creation");
    goto error;
op_IMPORT_NAME: {
    py_obj *fromlist = POP(), *level = TOP();
    py_obj *m = py_import_from(names[arg], fromlist);
    tl_decref(fromlist);
    tl_decref(level);
    if (!m) { sp--; goto error; }
    SET_TOP(m);
    DISPATCH();
}
op_IMPORT_FROM: {
    py_obj *v = import_from(TOP(), names[arg]);
    ERROR_IF(!v);
    PUSH(v);
    DISPATCH();
}
op_IMPORT_STAR: {
    py_obj *m = POP();
    int r = import_star(f, m);
    tl_decref(m);
    ERROR_IF(r < 0);
    DISPATCH();
}
op_PRINT_EXPR: {
    py_obj *v = POP();
    print_expr(v);
    tl_decref(v);
    ERROR_IF(py_err_occurred());
    DISPATCH();
}
op_SETUP_ANNOTATIONS: {
    py_obj *map = f->locals ? f->locals : f->globals;
    if (py_dict_check(map) && !py_dict_get_str(map, "__annotations__")) {
        py_obj *d = py_dict_new();
        int r = d ? py_dict_set_str(map, "__annotations__", d) : -1;
        tl_xdecref(d);
        ERROR_IF(r < 0);
    }
    DISPATCH();
}

error:
    f->lasti = (int32_t)(ip - first - 1);
    if (!py_err_occurred())
        py_err_format(py_exc_SystemError, "error return without exception set");
    py_traceback_here(vm.exc, f);
    goto unwind;
error_noline:
    py_traceback_here(vm.exc, f);
unwind:
    kwnames = NULL;
    if (f->nblocks > 0) {
        py_block *b = &f->blocks[--f->nblocks];
        py_obj **level = stack_base + b->level;
        while (sp > level)
            tl_xdecref(POP());
        py_obj *exc = py_err_fetch();
        PUSH(exc);
        ip = first + b->handler;    /* never a step: unwinding must not fail */
        DISPATCH();
    }
    while (sp > stack_base)
        tl_xdecref(POP());
    retval = NULL;
exit_frame:
    vm.frame = f->back;
    f->back = NULL;
    vm.depth--;
    f->lasti = (int32_t)(ip - first - 1);
    if (f->inlined) {
        /* Back to the caller's CALL, which finishes as after any call:
         * its slots are released, then the result is pushed or raised. */
        py_frame *callee = f;
        frame_clear(callee, sp);
        vm.stack_top = (py_obj **)callee;
        f = vm.frame;
        LOAD_FRAME_STATE();
        ip = first + f->lasti + 1;
        sp = stack_base + f->stackdepth;
        f->stackdepth = 0;
        py_obj **bottom = sp - PY_INSTR_ARG(first[f->lasti]) - 2;
        while (sp > bottom)
            tl_xdecref(*--sp);
        ERROR_IF(!retval);
        PUSH(retval);
        retval = NULL;
        DISPATCH();
    }
    frame_clear(f, sp);
    return retval;
}

/* ---- generators ------------------------------------------------------------------------------ */

typedef struct py_gen {
    tl_object ob;
    py_frame *frame;         /* owned heap frame; NULL once finished */
    py_obj *name, *qualname;
    py_obj *weaklist;
    py_obj *exc_state;       /* the exception the generator is handling while
                                suspended (swapped with vm.exc_info on resume) */
    bool running;
} py_gen;

static py_obj *make_generator(py_frame *f, py_function *fn)
{
    py_gen *g = (py_gen *)tl_object_new(vm.heap, &py_generator_type.tl);
    if (!g) {
        frame_clear(f, NULL);
        tl_heap_free(f);
        return py_err_no_memory(), NULL;
    }
    /* Skip RETURN_GENERATOR: the first resume pushes None for the POP_TOP after it. */
    f->lasti = 0;
    f->stackdepth = 0;
    g->frame = f;
    g->name = py_newref(fn->name);
    g->qualname = py_newref(fn->qualname);
    return &g->ob;
}

static void gen_finish(py_gen *g)
{
    TL_CLEAR(g->exc_state);
    if (g->frame) {
        tl_heap_free(g->frame);
        g->frame = NULL;
    }
}

/* Resumes g with v (or with the current exception when v is NULL).
 * status: 0 yielded (returns the value), 1 returned (returns the value),
 * -1 error. */
static py_obj *gen_resume(py_gen *g, py_obj *v, int *status)
{
    if (g->running) {
        py_err_format(py_exc_ValueError, "generator already executing");
        *status = -1;
        return NULL;
    }
    py_frame *f = g->frame;
    if (!f) {
        if (v) {
            *status = 1;
            return py_newref(py_None);
        }
        *status = -1;
        return NULL;
    }
    py_obj **stack_base = f->localsplus + py_frame_nlocalsplus(f->code);
    bool started = f->lasti != 0 || f->stackdepth != 0;
    if (!started && v && v != py_None) {
        py_err_format(py_exc_TypeError, "can't send non-None value to a just-started generator");
        *status = -1;
        return NULL;
    }
    if (v) {
        stack_base[f->stackdepth++] = py_newref(v);
    } else if (!started) {
        /* Thrown into before it started: it dies without running. */
        *status = -1;
        frame_clear(f, NULL);
        gen_finish(g);
        return NULL;
    }
    if (!started)
        f->lasti = 0;
    g->running = true;
    bool yielded;
    if (!started)
        f->stackdepth = 1;         /* the None for POP_TOP */
    /* The generator handles its own exceptions: swap in its state. */
    py_obj *caller_exc_info = vm.exc_info;
    vm.exc_info = g->exc_state;
    g->exc_state = NULL;
    py_obj *r = eval_frame(f, v == NULL, &yielded);
    g->exc_state = vm.exc_info;
    vm.exc_info = caller_exc_info;
    g->running = false;
    if (yielded) {
        *status = 0;
        return r;
    }
    if (f->code)    /* eval_frame failed before running (no caches, recursion): not cleared */
        frame_clear(f, f->localsplus + py_frame_nlocalsplus(f->code) + f->stackdepth);
    gen_finish(g);
    if (!r) {
        *status = -1;
        if (py_err_matches(py_exc_StopIteration)) {
            py_obj *e = py_err_fetch();
            py_err_format(py_exc_RuntimeError, "generator raised StopIteration");
            py_exc_set_cause(vm.exc, e);
            py_exc_set_context(vm.exc, py_newref(e));
        }
        return NULL;
    }
    *status = 1;
    return r;
}

py_obj *py_gen_send_ex(py_obj *it, py_obj *v, int *status)
{
    if (py_isinstance_exact(it, &py_generator_type))
        return gen_resume((py_gen *)it, v, status);
    py_obj *r;
    if (v == py_None)
        r = py_next(it);
    else
        r = py_call_method(it, "send", &v, 1);
    if (r) {
        *status = 0;
        return r;
    }
    if (!py_err_occurred()) {
        *status = 1;
        return py_newref(py_None);
    }
    if (py_err_matches(py_exc_StopIteration)) {
        py_obj *e = py_err_fetch();
        py_obj *val = py_stopiteration_value(e);
        tl_decref(e);
        *status = 1;
        return val;
    }
    *status = -1;
    return NULL;
}

static py_obj *gen_iternext(py_obj *o)
{
    int status;
    py_obj *r = gen_resume((py_gen *)o, py_None, &status);
    if (status == 1) {
        if (r != py_None)
            py_err_set_object(py_exc_StopIteration, r);
        tl_decref(r);
        return NULL;
    }
    return r;
}

static py_obj *gen_send(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 2)
        return py_err_format(py_exc_TypeError, "send() takes exactly one argument"), NULL;
    int status;
    py_obj *r = gen_resume((py_gen *)a[0], a[1], &status);
    if (status == 1) {
        py_err_set_object(py_exc_StopIteration, r == py_None ? NULL : r);
        tl_decref(r);
        return NULL;
    }
    return r;
}

static py_obj *gen_throw_exc(py_gen *g, py_obj *exc)
{
    /* exc: a new reference to the exception instance to raise inside. */
    py_err_set_exc_raw(exc);
    int status;
    py_obj *r = gen_resume(g, NULL, &status);
    if (status == 1) {
        py_err_set_object(py_exc_StopIteration, r == py_None ? NULL : r);
        tl_decref(r);
        return NULL;
    }
    return r;
}

static py_obj *gen_throw(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n < 2)
        return py_err_format(py_exc_TypeError, "throw expected at least 1 argument, got 0"), NULL;
    py_obj *typ = a[1], *val = n > 2 ? a[2] : NULL, *exc;
    if (py_isinstance_of(typ, &py_type_type) && (((py_type *)typ)->pyflags & PY_TPFLAGS_EXC_SUBCLASS)) {
        exc = val && val != py_None ? py_call1(typ, val) : py_call0(typ);
        if (!exc)
            return NULL;
    } else if (py_type_has(typ, PY_TPFLAGS_EXC_SUBCLASS)) {
        exc = py_newref(typ);
    } else {
        py_err_format(py_exc_TypeError, "exceptions must be classes or instances deriving from BaseException, not %s",
                      py_type_name(py_type_of(typ)));
        return NULL;
    }
    return gen_throw_exc((py_gen *)a[0], exc);
}

static int gen_close_impl(py_gen *g)
{
    if (!g->frame || (g->frame->lasti == 0 && g->frame->stackdepth == 0)) {
        if (g->frame) {
            frame_clear(g->frame, NULL);
            gen_finish(g);
        }
        return 0;
    }
    py_obj *exc = py_call0(&py_exc_GeneratorExit->tl.ob);
    if (!exc)
        return -1;
    py_obj *r = gen_throw_exc(g, exc);
    if (r) {
        tl_decref(r);
        py_err_format(py_exc_RuntimeError, "generator ignored GeneratorExit");
        return -1;
    }
    if (py_err_matches(py_exc_GeneratorExit) || py_err_matches(py_exc_StopIteration) || !py_err_occurred()) {
        py_err_clear();
        return 0;
    }
    return -1;
}

static py_obj *gen_close(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (gen_close_impl((py_gen *)a[0]) < 0)
        return NULL;
    py_RETURN_NONE;
}

static void gen_finalize(tl_object *o)
{
    py_gen *g = (py_gen *)o;
    if (!g->frame || (g->frame->lasti == 0 && g->frame->stackdepth == 0) || g->frame->nblocks == 0)
        return;
    py_obj *saved = py_err_fetch();
    if (gen_close_impl(g) < 0)
        py_err_write_unraisable(o);
    if (saved)
        py_err_set_exc_raw(saved);
}

static int gen_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_gen *g = (py_gen *)o;
    py_frame *f = g->frame;
    int r;
    if (!f)
        return 0;
    if (f->func && (r = visit(f->func, arg)))
        return r;
    if (f->globals && (r = visit(f->globals, arg)))
        return r;
    if (g->exc_state && (r = visit(g->exc_state, arg)))
        return r;
    if (f->frameobj && (r = visit(&f->frameobj->ob, arg)))   /* the frame's own reference */
        return r;
    if (f->locals && (r = visit(f->locals, arg)))
        return r;
    int32_t n = py_frame_nlocalsplus(f->code) + (g->running ? 0 : f->stackdepth);
    for (int32_t i = 0; i < n; i++)
        if (f->localsplus[i] && (r = visit(f->localsplus[i], arg)))
            return r;
    return 0;
}

static void gen_clear(tl_object *o)
{
    py_gen *g = (py_gen *)o;
    py_frame *f = g->frame;
    if (!f || g->running)
        return;
    py_obj **sp = f->localsplus + py_frame_nlocalsplus(f->code) + f->stackdepth;
    f->stackdepth = 0;
    TL_CLEAR(g->exc_state);
    frame_clear(f, sp);
    gen_finish(g);
}

static void gen_dealloc(tl_object *o)
{
    py_gen *g = (py_gen *)o;
    if (!tl_gc_is_finalized(o)) {
        o->refcount = 1;
        gen_finalize(o);
        tl_gc_set_finalized(o);
        if (--o->refcount != 0)
            return;
    }
    tl_gc_untrack(o);
    if (g->weaklist)
        py_weakref_clear_all(o);
    gen_clear(o);
    TL_CLEAR(g->name);
    TL_CLEAR(g->qualname);
    tl_object_free(o);
}

static py_obj *gen_repr(py_obj *o)
{
    return py_str_from_format("<generator object %U at %p>", ((py_gen *)o)->qualname, (void *)o);
}

static py_obj *gen_iter(py_obj *o) { return py_newref(o); }
static py_obj *gen_get_name(py_obj *o) { return py_newref(((py_gen *)o)->name); }
static py_obj *gen_get_qualname(py_obj *o) { return py_newref(((py_gen *)o)->qualname); }
static py_obj *gen_get_running(py_obj *o) { return py_bool(((py_gen *)o)->running); }

static const py_method_def gen_methods[] = {
    {"send", gen_send, NULL},
    {"throw", gen_throw, NULL},
    {"close", gen_close, NULL},
    {NULL, NULL, NULL},
};

static const py_getset_def gen_getsets[] = {
    {"__name__", gen_get_name, NULL},
    {"__qualname__", gen_get_qualname, NULL},
    {"gi_running", gen_get_running, NULL},
    {NULL, NULL, NULL},
};

py_type py_generator_type = {
    PY_TYPE_HEAD("generator", sizeof(py_gen), 0, TL_TYPE_GC, .dealloc = gen_dealloc,
                 .traverse = gen_traverse, .clear = gen_clear, .finalize = gen_finalize,
                 .weaklist_offset = offsetof(py_gen, weaklist)),
    .repr = gen_repr,
    .iter = gen_iter,
    .iternext = gen_iternext,
    .methods = gen_methods,
    .getsets = gen_getsets,
};

/* ---- start-up ----------------------------------------------------------------------------------- */

int py_vm_init_stack(void)
{
    char here;
    c_stack_base = &here;
    py_c_stack_limit = (char *)((uintptr_t)c_stack_base - C_STACK_LIMIT);
    vm.stack_base = malloc(DATA_STACK_SLOTS * sizeof(py_obj *));
    if (!vm.stack_base)
        return -1;
    vm.stack_top = vm.stack_base;
    vm.stack_end = vm.stack_base + DATA_STACK_SLOTS;
    vm.recursion_limit = 1000;
    return 0;
}

void py_vm_fini_stack(void)
{
    free(vm.stack_base);
    vm.stack_base = vm.stack_top = vm.stack_end = NULL;
}
