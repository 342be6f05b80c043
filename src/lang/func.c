/* func.c — callables and descriptors: functions, cells, bound methods,
 * built-in functions and method descriptors, staticmethod, classmethod,
 * property, and the argument parser for C functions.
 *
 * A Python function is a GC object holding its code, globals, defaults and
 * closure; calling it is the VM's business (py_eval_function in vm.c). A
 * bound method pairs a function with self; the VM avoids making one for
 * `obj.method(...)` calls (LOAD_METHOD), as CPython does.
 */
#include "py.h"
#include "lang_int.h"
#include "code.h"

py_obj *py_eval_function(py_obj *func, py_obj *const *args, size_t nargs, py_obj *kwnames);

/* ---- functions ---------------------------------------------------------------- */

py_obj *py_function_new(py_obj *code, py_obj *globals, py_obj *qualname)
{
    py_function *f = (py_function *)tl_object_new(vm.heap, &py_function_type.tl);
    if (!f)
        return py_err_no_memory(), NULL;
    py_code *co = py_code_cast(code);
    f->code = py_newref(code);
    f->globals = py_newref(globals);
    f->builtins = py_newref(vm.builtins);
    f->name = py_newref(co->name);
    f->qualname = py_newref(qualname ? qualname : co->qualname);
    /* The interned name is cached: no string is made per function. */
    py_obj *name = py_str_interned("__name__");
    py_obj *mod = name ? py_dict_get_interned(globals, name) : NULL;
    f->module = py_xnewref(mod);
    py_obj *doc = py_tuple_size(co->consts) > 0 ? py_tuple_items(co->consts)[0] : NULL;
    f->doc = py_newref(doc && py_str_check(doc) ? doc : py_None);
    return &f->ob;
}

static int function_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_function *f = (py_function *)o;
    py_obj *refs[] = {f->code, f->globals, f->builtins, f->name, f->qualname, f->defaults,
                      f->kwdefaults, f->closure, f->dict, f->module, f->doc};
    return py_visit_refs(refs, sizeof refs / sizeof *refs, visit, arg);
}

static void function_clear(tl_object *o)
{
    py_function *f = (py_function *)o;
    TL_CLEAR(f->globals);
    TL_CLEAR(f->builtins);
    TL_CLEAR(f->module);
    TL_CLEAR(f->defaults);
    TL_CLEAR(f->kwdefaults);
    TL_CLEAR(f->doc);
    TL_CLEAR(f->dict);
    TL_CLEAR(f->closure);
    /* code, name and qualname stay: a cleared function still has a repr */
}

static void function_dealloc(tl_object *o)
{
    py_function *f = (py_function *)o;
    tl_gc_untrack(o);
    if (f->weaklist)
        py_weakref_clear_all(o);
    function_clear(o);
    TL_CLEAR(f->code);
    TL_CLEAR(f->name);
    TL_CLEAR(f->qualname);
    tl_object_free(o);
}

static py_obj *function_repr(py_obj *o)
{
    return py_str_from_format("<function %U at %p>", ((py_function *)o)->qualname, (void *)o);
}

static py_obj *function_descr_get(py_obj *f, py_obj *obj, py_obj *type)
{
    if (!obj || obj == py_None)
        return py_newref(f);
    return py_method_new(f, obj);
}

static py_obj *function_call(py_obj *f, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return py_eval_function(f, args, nargs, kwnames);
}

static py_obj *function_getattr(py_obj *o, py_obj *name)
{
    py_function *f = (py_function *)o;
    py_obj *descr = py_type_lookup(&py_function_type, name);
    if (descr && py_type_of(descr)->descr_get)
        return py_type_of(descr)->descr_get(descr, o, &py_function_type.tl.ob);
    if (f->dict) {
        py_obj *v = py_dict_get(f->dict, name);
        if (v)
            return py_newref(v);
    }
    if (descr)
        return py_newref(descr);
    return py_attribute_error(o, name);
}

static int function_setattr(py_obj *o, py_obj *name, py_obj *value)
{
    py_function *f = (py_function *)o;
    py_obj *descr = py_type_lookup(&py_function_type, name);
    if (descr && py_type_of(descr)->descr_set)
        return py_type_of(descr)->descr_set(descr, o, value);
    if (!f->dict && !(f->dict = py_dict_new()))
        return -1;
    if (value)
        return py_dict_set(f->dict, name, value);
    if (py_dict_del(f->dict, name) < 0) {
        py_err_clear();
        py_attribute_error(o, name);
        return -1;
    }
    return 0;
}

#define FUNC_GET(field) \
    static py_obj *func_get_##field(py_obj *o) { \
        py_obj *v = ((py_function *)o)->field; \
        return py_newref(v ? v : py_None); }
FUNC_GET(name)
FUNC_GET(qualname)
FUNC_GET(defaults)
FUNC_GET(kwdefaults)
FUNC_GET(closure)
FUNC_GET(globals)
FUNC_GET(module)
FUNC_GET(doc)
FUNC_GET(code)

static int func_set_str(py_obj **slot, py_obj *v, const char *what)
{
    if (!v || !py_str_check(v)) {
        py_err_format(py_exc_TypeError, "%s must be set to a string object", what);
        return -1;
    }
    tl_setref(slot, py_newref(v));
    return 0;
}
static int func_set_name(py_obj *o, py_obj *v) { return func_set_str(&((py_function *)o)->name, v, "__name__"); }
static int func_set_qualname(py_obj *o, py_obj *v) { return func_set_str(&((py_function *)o)->qualname, v, "__qualname__"); }
static int func_set_doc(py_obj *o, py_obj *v) { tl_setref(&((py_function *)o)->doc, py_newref(v ? v : py_None)); return 0; }
static int func_set_module(py_obj *o, py_obj *v) { tl_setref(&((py_function *)o)->module, py_newref(v ? v : py_None)); return 0; }
static int func_set_defaults(py_obj *o, py_obj *v)
{
    if (v == py_None)
        v = NULL;
    if (v && !py_isinstance_of(v, &py_tuple_type)) {
        py_err_format(py_exc_TypeError, "__defaults__ must be set to a tuple object");
        return -1;
    }
    tl_setref(&((py_function *)o)->defaults, py_xnewref(v));
    return 0;
}
static py_obj *func_get_dict(py_obj *o)
{
    py_function *f = (py_function *)o;
    if (!f->dict && !(f->dict = py_dict_new()))
        return NULL;
    return py_newref(f->dict);
}

static const py_getset_def function_getsets[] = {
    {"__name__", func_get_name, func_set_name},
    {"__qualname__", func_get_qualname, func_set_qualname},
    {"__defaults__", func_get_defaults, func_set_defaults},
    {"__kwdefaults__", func_get_kwdefaults, NULL},
    {"__closure__", func_get_closure, NULL},
    {"__globals__", func_get_globals, NULL},
    {"__module__", func_get_module, func_set_module},
    {"__doc__", func_get_doc, func_set_doc},
    {"__code__", func_get_code, NULL},
    {"__dict__", func_get_dict, NULL},
    {NULL, NULL, NULL},
};

py_type py_function_type = {
    PY_TYPE_HEAD("function", sizeof(py_function), 0, TL_TYPE_GC, .dealloc = function_dealloc,
                 .traverse = function_traverse, .clear = function_clear,
                 .weaklist_offset = offsetof(py_function, weaklist)),
    .repr = function_repr,
    .descr_get = function_descr_get,
    .call = function_call,
    .getattr = function_getattr,
    .setattr = function_setattr,
    .getsets = function_getsets,
};

/* ---- cells ------------------------------------------------------------------------- */

py_obj *py_cell_new(py_obj *v)
{
    py_cell *c = (py_cell *)tl_object_new(vm.heap, &py_cell_type.tl);
    if (!c)
        return py_err_no_memory(), NULL;
    c->ref = py_xnewref(v);
    return &c->ob;
}

static int cell_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_cell *c = (py_cell *)o;
    return c->ref ? visit(c->ref, arg) : 0;
}

static void cell_clear(tl_object *o) { TL_CLEAR(((py_cell *)o)->ref); }

static py_obj *cell_repr(py_obj *o)
{
    py_cell *c = (py_cell *)o;
    if (!c->ref)
        return py_str_from_format("<cell at %p: empty>", (void *)o);
    return py_str_from_format("<cell at %p: %s object at %p>", (void *)o,
                              py_type_name(py_type_of(c->ref)), (void *)c->ref);
}

static py_obj *cell_get_contents(py_obj *o)
{
    py_cell *c = (py_cell *)o;
    if (!c->ref) {
        py_err_format(py_exc_ValueError, "Cell is empty");
        return NULL;
    }
    return py_newref(c->ref);
}

static const py_getset_def cell_getsets[] = {
    {"cell_contents", cell_get_contents, NULL},
    {NULL, NULL, NULL},
};

py_type py_cell_type = {
    PY_TYPE_HEAD("cell", sizeof(py_cell), 0, TL_TYPE_GC, .traverse = cell_traverse, .clear = cell_clear),
    .repr = cell_repr,
    .getsets = cell_getsets,
};

/* ---- bound methods ------------------------------------------------------------------- */

typedef struct py_method {
    tl_object ob;
    py_obj *func, *self;
    py_obj *weaklist;
} py_method;

py_obj *py_method_new(py_obj *func, py_obj *self)
{
    py_method *m = (py_method *)tl_object_new(vm.heap, &py_method_type.tl);
    if (!m)
        return py_err_no_memory(), NULL;
    m->func = py_newref(func);
    m->self = py_newref(self);
    return &m->ob;
}

static int method_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_method *m = (py_method *)o;
    int r = m->func ? visit(m->func, arg) : 0;
    return r ? r : m->self ? visit(m->self, arg) : 0;
}

static void method_clear(tl_object *o)
{
    TL_CLEAR(((py_method *)o)->func);
    TL_CLEAR(((py_method *)o)->self);
}

static py_obj *method_call(py_obj *o, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_method *m = (py_method *)o;
    return py_call_with_self(m->func, m->self, args, nargs, kwnames);
}

static py_obj *method_repr(py_obj *o)
{
    py_method *m = (py_method *)o;
    py_obj *name = NULL;
    if (py_getattr_opt(m->func, py_str_interned("__qualname__"), &name) < 0)
        return NULL;
    py_obj *self_repr = py_repr(m->self);
    py_obj *r = self_repr ? py_str_from_format("<bound method %S of %U>", name ? name : py_None, self_repr) : NULL;
    tl_xdecref(self_repr);
    tl_xdecref(name);
    return r;
}

static py_obj *method_richcompare(py_obj *a, py_obj *b, int op)
{
    if ((op != PY_EQ && op != PY_NE) || !py_isinstance_exact(b, &py_method_type))
        return py_newref(py_NotImplemented);
    py_method *x = (py_method *)a, *y = (py_method *)b;
    bool eq = x->self == y->self;
    if (eq) {
        int r = py_richcompare_bool(x->func, y->func, PY_EQ);
        if (r < 0)
            return NULL;
        eq = r;
    }
    return py_bool(op == PY_EQ ? eq : !eq);
}

static intptr_t method_hash(py_obj *o)
{
    py_method *m = (py_method *)o;
    intptr_t a = py_hash_pointer(m->self), b = py_hash(m->func);
    if (b == -1)
        return -1;
    intptr_t h = a ^ b;
    return h == -1 ? -2 : h;
}

static py_obj *method_getattr(py_obj *o, py_obj *name)
{
    py_obj *descr = py_type_lookup(&py_method_type, name);
    if (descr && py_type_of(descr)->descr_get)
        return py_type_of(descr)->descr_get(descr, o, &py_method_type.tl.ob);
    return py_getattr(((py_method *)o)->func, name);
}

static py_obj *method_get_func(py_obj *o) { return py_newref(((py_method *)o)->func); }
static py_obj *method_get_self(py_obj *o) { return py_newref(((py_method *)o)->self); }

/* method(function, instance): types.MethodType. */
static py_obj *method_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (kwnames && py_tuple_size(kwnames)) {
        py_err_format(py_exc_TypeError, "method() takes no keyword arguments");
        return NULL;
    }
    if (nargs != 2) {
        py_err_format(py_exc_TypeError, "method expected 2 arguments, got %zd", (intptr_t)nargs);
        return NULL;
    }
    if (!py_type_of(args[0])->call) {
        py_err_format(py_exc_TypeError, "first argument must be callable");
        return NULL;
    }
    if (args[1] == py_None) {
        py_err_format(py_exc_TypeError, "instance must not be None");
        return NULL;
    }
    return py_method_new(args[0], args[1]);
}

static const py_getset_def method_getsets[] = {
    {"__func__", method_get_func, NULL},
    {"__self__", method_get_self, NULL},
    {NULL, NULL, NULL},
};

py_type py_method_type = {
    PY_TYPE_HEAD("method", sizeof(py_method), 0, TL_TYPE_GC, .traverse = method_traverse,
                 .clear = method_clear, .weaklist_offset = offsetof(py_method, weaklist)),
    .repr = method_repr,
    .call = method_call,
    .richcompare = method_richcompare,
    .hash = method_hash,
    .getattr = method_getattr,
    .getsets = method_getsets,
    .tp_new = method_tp_new,
};

/* ---- built-in functions (and bound built-in methods) ---------------------------------------- */

typedef struct py_cfunction {
    tl_object ob;
    const char *name;
    py_vectorfunc fn;
    py_obj *self;            /* bound self, or the module of a module function */
    py_obj *module;          /* module name, or NULL */
    bool method;             /* self is prepended to the arguments */
} py_cfunction;

py_obj *py_cfunction_new(const char *name, py_vectorfunc fn, py_obj *self, py_obj *module_name)
{
    py_cfunction *f = (py_cfunction *)tl_object_new(vm.heap, &py_cfunction_type.tl);
    if (!f)
        return py_err_no_memory(), NULL;
    f->name = name;
    f->fn = fn;
    f->self = py_xnewref(self);
    f->module = py_xnewref(module_name);
    return &f->ob;
}

static int cfunction_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_cfunction *f = (py_cfunction *)o;
    int r = f->self ? visit(f->self, arg) : 0;
    return r ? r : f->module ? visit(f->module, arg) : 0;
}

static void cfunction_clear(tl_object *o)
{
    TL_CLEAR(((py_cfunction *)o)->self);
    TL_CLEAR(((py_cfunction *)o)->module);
}

static py_obj *cfunction_call(py_obj *o, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_cfunction *f = (py_cfunction *)o;
    if (f->method) {
        size_t total = nargs + 1 + (kwnames ? (size_t)py_tuple_size(kwnames) : 0);
        py_obj *small[8], **vec = small;
        if (total > 8 && !(vec = tl_heap_alloc(vm.heap, total * sizeof *vec)))
            return py_err_no_memory(), NULL;
        vec[0] = f->self;
        for (size_t i = 1; i < total; i++)
            vec[i] = args[i - 1];
        py_obj *r = f->fn(o, vec, nargs + 1, kwnames);
        if (vec != small)
            tl_heap_free(vec);
        return r;
    }
    return f->fn(o, args, nargs, kwnames);
}

static py_obj *cfunction_repr(py_obj *o)
{
    py_cfunction *f = (py_cfunction *)o;
    if (f->method)
        return py_str_from_format("<built-in method %s of %s object at %p>", f->name,
                                  py_type_name(py_type_of(f->self)), (void *)f->self);
    return py_str_from_format("<built-in function %s>", f->name);
}

static py_obj *cfunction_get_name(py_obj *o) { return py_str_from_cstr(((py_cfunction *)o)->name); }
static py_obj *cfunction_get_self(py_obj *o)
{
    py_obj *s = ((py_cfunction *)o)->self;
    return py_newref(s ? s : py_None);
}
static py_obj *cfunction_get_module(py_obj *o)
{
    py_obj *s = ((py_cfunction *)o)->module;
    return py_newref(s ? s : py_None);
}

static const py_getset_def cfunction_getsets[] = {
    {"__name__", cfunction_get_name, NULL},
    {"__qualname__", cfunction_get_name, NULL},
    {"__self__", cfunction_get_self, NULL},
    {"__module__", cfunction_get_module, NULL},
    {NULL, NULL, NULL},
};

py_type py_cfunction_type = {
    PY_TYPE_HEAD("builtin_function_or_method", sizeof(py_cfunction), 0, TL_TYPE_GC,
                 .traverse = cfunction_traverse, .clear = cfunction_clear),
    .repr = cfunction_repr,
    .call = cfunction_call,
    .hash = NULL,
    .getsets = cfunction_getsets,
};

/* ---- method descriptors: C methods in a built-in type's dict ------------------------------------ */

typedef struct py_methoddescr {
    tl_object ob;
    py_type *owner;
    const py_method_def *def;
} py_methoddescr;

py_obj *py_methoddescr_new(py_type *owner, const py_method_def *def)
{
    py_methoddescr *d = (py_methoddescr *)tl_object_new(vm.heap, &py_methoddescr_type.tl);
    if (!d)
        return py_err_no_memory(), NULL;
    d->owner = owner;
    d->def = def;
    return &d->ob;
}

static py_obj *methoddescr_call(py_obj *o, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_methoddescr *d = (py_methoddescr *)o;
    if (nargs < 1) {
        py_err_format(py_exc_TypeError, "unbound method %s.%s() needs an argument",
                      py_type_name(d->owner), d->def->name);
        return NULL;
    }
    if (!py_isinstance_of(args[0], d->owner) &&
        !(d->owner == &py_object_type) &&
        !(strcmp(d->def->name, "__new__") == 0)) {
        py_err_format(py_exc_TypeError,
                      "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                      d->def->name, py_type_name(d->owner), py_type_name(py_type_of(args[0])));
        return NULL;
    }
    return d->def->fn(o, args, nargs, kwnames);
}

static py_obj *methoddescr_get(py_obj *o, py_obj *obj, py_obj *type)
{
    py_methoddescr *d = (py_methoddescr *)o;
    if (!obj)
        return py_newref(o);
    py_obj *m = py_cfunction_new(d->def->name, d->def->fn, obj, NULL);
    if (m)
        ((py_cfunction *)m)->method = true;
    return m;
}

static py_obj *methoddescr_repr(py_obj *o)
{
    py_methoddescr *d = (py_methoddescr *)o;
    return py_str_from_format("<method '%s' of '%s' objects>", d->def->name, py_type_name(d->owner));
}

py_type py_methoddescr_type = {
    PY_TYPE_HEAD("method_descriptor", sizeof(py_methoddescr), 0, 0),
    .pyflags = PY_TPFLAGS_METHOD_DESCR,
    .call = methoddescr_call,
    .descr_get = methoddescr_get,
    .repr = methoddescr_repr,
};

/* ---- staticmethod, classmethod --------------------------------------------------------------- */

typedef struct py_wrapper {
    tl_object ob;
    py_obj *func;
    py_obj *dict;
} py_wrapper;

static py_obj *wrapper_new(py_type *t, py_obj *f)
{
    py_wrapper *w = (py_wrapper *)tl_object_new(vm.heap, &t->tl);
    if (!w)
        return py_err_no_memory(), NULL;
    w->func = py_newref(f);
    return &w->ob;
}

static int wrapper_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_wrapper *w = (py_wrapper *)o;
    int r = w->func ? visit(w->func, arg) : 0;
    return r ? r : w->dict ? visit(w->dict, arg) : 0;
}

static void wrapper_clear(tl_object *o)
{
    TL_CLEAR(((py_wrapper *)o)->func);
    TL_CLEAR(((py_wrapper *)o)->dict);
}

static py_obj *wrapper_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    if (nargs != 1 || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "%s expected 1 argument, got %zd", py_type_name(t), (intptr_t)nargs);
        return NULL;
    }
    return wrapper_new(t, args[0]);
}

py_obj *py_staticmethod_new(py_obj *f) { return wrapper_new(&py_staticmethod_type, f); }
py_obj *py_staticmethod_func(py_obj *sm) { return ((py_wrapper *)sm)->func; }
py_obj *py_classmethod_new(py_obj *f) { return wrapper_new(&py_classmethod_type, f); }

static py_obj *staticmethod_get(py_obj *o, py_obj *obj, py_obj *type)
{
    return py_newref(((py_wrapper *)o)->func);
}

static py_obj *staticmethod_call(py_obj *o, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    return py_call(((py_wrapper *)o)->func, args, nargs, kwnames);
}

static py_obj *classmethod_get(py_obj *o, py_obj *obj, py_obj *type)
{
    if (!type)
        type = &py_type_of(obj)->tl.ob;
    return py_method_new(((py_wrapper *)o)->func, type);
}

static py_obj *wrapper_get_func(py_obj *o) { return py_newref(((py_wrapper *)o)->func); }

static const py_getset_def wrapper_getsets[] = {
    {"__func__", wrapper_get_func, NULL},
    {"__wrapped__", wrapper_get_func, NULL},
    {NULL, NULL, NULL},
};

py_type py_staticmethod_type = {
    PY_TYPE_HEAD("staticmethod", sizeof(py_wrapper), 0, TL_TYPE_GC, .traverse = wrapper_traverse,
                 .clear = wrapper_clear),
    .pyflags = PY_TPFLAGS_BASETYPE,
    .descr_get = staticmethod_get,
    .call = staticmethod_call,
    .tp_new = wrapper_tp_new,
    .getsets = wrapper_getsets,
};

py_type py_classmethod_type = {
    PY_TYPE_HEAD("classmethod", sizeof(py_wrapper), 0, TL_TYPE_GC, .traverse = wrapper_traverse,
                 .clear = wrapper_clear),
    .pyflags = PY_TPFLAGS_BASETYPE,
    .descr_get = classmethod_get,
    .tp_new = wrapper_tp_new,
    .getsets = wrapper_getsets,
};

/* ---- property ------------------------------------------------------------------------------------ */

typedef struct py_property {
    tl_object ob;
    py_obj *fget, *fset, *fdel, *doc;
    py_obj *name;            /* from __set_name__, for error messages */
} py_property;

static int property_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    py_property *p = (py_property *)o;
    py_obj *refs[] = {p->fget, p->fset, p->fdel, p->doc, p->name};
    return py_visit_refs(refs, 5, visit, arg);
}

static void property_clear(tl_object *o)
{
    py_property *p = (py_property *)o;
    TL_CLEAR(p->fget);
    TL_CLEAR(p->fset);
    TL_CLEAR(p->fdel);
    TL_CLEAR(p->doc);
    TL_CLEAR(p->name);
}

static py_obj *property_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames)
{
    py_obj *a[4] = {NULL, NULL, NULL, NULL};
    if (py_parse_args("property", args, nargs, kwnames, "|fget fset fdel doc", a) < 0)
        return NULL;
    py_property *p = (py_property *)tl_object_new(vm.heap, &t->tl);
    if (!p)
        return py_err_no_memory(), NULL;
    p->fget = a[0] && a[0] != py_None ? py_newref(a[0]) : NULL;
    p->fset = a[1] && a[1] != py_None ? py_newref(a[1]) : NULL;
    p->fdel = a[2] && a[2] != py_None ? py_newref(a[2]) : NULL;
    p->doc = py_xnewref(a[3]);
    return &p->ob;
}

static py_obj *property_get(py_obj *o, py_obj *obj, py_obj *type)
{
    py_property *p = (py_property *)o;
    if (!obj || obj == py_None)
        return py_newref(o);
    if (!p->fget) {
        if (p->name)
            py_err_format(py_exc_AttributeError, "property %R of '%s' object has no getter", p->name,
                          py_type_name(py_type_of(obj)));
        else
            py_err_format(py_exc_AttributeError, "unreadable attribute");
        return NULL;
    }
    return py_call1(p->fget, obj);
}

static int property_set(py_obj *o, py_obj *obj, py_obj *value)
{
    py_property *p = (py_property *)o;
    py_obj *f = value ? p->fset : p->fdel;
    if (!f) {
        if (p->name)
            py_err_format(py_exc_AttributeError, "property %R of '%s' object has no %s", p->name,
                          py_type_name(py_type_of(obj)), value ? "setter" : "deleter");
        else
            py_err_format(py_exc_AttributeError, value ? "can't set attribute" : "can't delete attribute");
        return -1;
    }
    py_obj *r = value ? py_call2(f, obj, value) : py_call1(f, obj);
    if (!r)
        return -1;
    tl_decref(r);
    return 0;
}

static py_obj *property_copy(py_obj *o, py_obj *fget, py_obj *fset, py_obj *fdel)
{
    py_property *p = (py_property *)o;
    py_property *n = (py_property *)tl_object_new(vm.heap, py_type_of(o) == &py_property_type
                                                               ? &py_property_type.tl : o->type);
    if (!n)
        return py_err_no_memory(), NULL;
    n->fget = py_xnewref(fget ? fget : p->fget);
    n->fset = py_xnewref(fset ? fset : p->fset);
    n->fdel = py_xnewref(fdel ? fdel : p->fdel);
    n->doc = py_xnewref(p->doc);
    n->name = py_xnewref(p->name);
    return &n->ob;
}

static py_obj *property_m_getter(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return property_copy(a[0], a[1], NULL, NULL); }
static py_obj *property_m_setter(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return property_copy(a[0], NULL, a[1], NULL); }
static py_obj *property_m_deleter(py_obj *c, py_obj *const *a, size_t n, py_obj *k) { return property_copy(a[0], NULL, NULL, a[1]); }

static py_obj *property_get_fget(py_obj *o) { py_obj *v = ((py_property *)o)->fget; return py_newref(v ? v : py_None); }
static py_obj *property_get_fset(py_obj *o) { py_obj *v = ((py_property *)o)->fset; return py_newref(v ? v : py_None); }
static py_obj *property_get_fdel(py_obj *o) { py_obj *v = ((py_property *)o)->fdel; return py_newref(v ? v : py_None); }

static py_obj *property_m_set_name(py_obj *c, py_obj *const *a, size_t n, py_obj *k)
{
    if (n != 3)
        return py_err_format(py_exc_TypeError, "__set_name__() takes 2 positional arguments"), NULL;
    tl_setref(&((py_property *)a[0])->name, py_newref(a[2]));
    py_RETURN_NONE;
}

static const py_method_def property_methods[] = {
    {"__set_name__", property_m_set_name, NULL},
    {"getter", property_m_getter, NULL},
    {"setter", property_m_setter, NULL},
    {"deleter", property_m_deleter, NULL},
    {NULL, NULL, NULL},
};

static const py_getset_def property_getsets[] = {
    {"fget", property_get_fget, NULL},
    {"fset", property_get_fset, NULL},
    {"fdel", property_get_fdel, NULL},
    {NULL, NULL, NULL},
};

py_type py_property_type = {
    PY_TYPE_HEAD("property", sizeof(py_property), 0, TL_TYPE_GC, .traverse = property_traverse,
                 .clear = property_clear),
    .pyflags = PY_TPFLAGS_BASETYPE,
    .descr_get = property_get,
    .descr_set = property_set,
    .tp_new = property_tp_new,
    .methods = property_methods,
    .getsets = property_getsets,
};

/* ---- argument parsing for C functions ------------------------------------------------------------ */

/* spec: space- or nothing-separated names; "|" starts optional ones, "$"
 * keyword-only ones. A name written "x" alone (single letter, positional
 * only when the spec has no "$") is still accepted by keyword. */
int py_parse_args(const char *fname, py_obj *const *args, size_t nargs, py_obj *kwnames,
                  const char *spec, py_obj **out)
{
    const char *names[16];
    size_t nnames = 0, required = SIZE_MAX, npositional = SIZE_MAX, lens[16];
    for (const char *p = spec; *p;) {
        if (*p == ' ') { p++; continue; }
        if (*p == '|') { required = nnames; p++; continue; }
        if (*p == '$') { npositional = nnames; if (required == SIZE_MAX) required = nnames; p++; continue; }
        const char *q = p;
        while (*q && *q != ' ' && *q != '|' && *q != '$')
            q++;
        if (nnames < 16) {
            names[nnames] = p;
            lens[nnames++] = (size_t)(q - p);
        }
        p = q;
    }
    if (required == SIZE_MAX)
        required = nnames;
    if (npositional == SIZE_MAX)
        npositional = nnames;
    for (size_t i = 0; i < nnames; i++)
        out[i] = NULL;
    if (nargs > npositional) {
        if (npositional == 0)
            py_err_format(py_exc_TypeError, "%s() takes no positional arguments", fname);
        else if (required == npositional)
            py_err_format(py_exc_TypeError, "%s() takes exactly %zd argument%s (%zd given)", fname,
                          (intptr_t)npositional, npositional == 1 ? "" : "s", (intptr_t)nargs);
        else
            py_err_format(py_exc_TypeError, "%s expected at most %zd argument%s, got %zd", fname,
                          (intptr_t)npositional, npositional == 1 ? "" : "s", (intptr_t)nargs);
        return -1;
    }
    for (size_t i = 0; i < nargs; i++)
        out[i] = args[i];
    intptr_t nk = kwnames ? py_tuple_size(kwnames) : 0;
    for (intptr_t k = 0; k < nk; k++) {
        py_obj *kn = py_tuple_items(kwnames)[k];
        const char *ks = py_str_utf8(kn);
        size_t kl = py_str_nbytes(kn), i;
        for (i = 0; i < nnames; i++)
            if (lens[i] == kl && memcmp(names[i], ks, kl) == 0)
                break;
        if (i == nnames) {
            py_err_format(py_exc_TypeError, "%s() got an unexpected keyword argument '%s'", fname, ks);
            return -1;
        }
        if (out[i]) {
            py_err_format(py_exc_TypeError, "argument for %s() given by name ('%s') and position (%zd)",
                          fname, ks, (intptr_t)i + 1);
            return -1;
        }
        out[i] = args[nargs + (size_t)k];
    }
    for (size_t i = 0; i < required; i++)
        if (!out[i]) {
            if (i < npositional && nk == 0)
                py_err_format(py_exc_TypeError, "%s() takes at least %zd argument%s (%zd given)", fname,
                              (intptr_t)required, required == 1 ? "" : "s", (intptr_t)nargs);
            else
                py_err_format(py_exc_TypeError, "%s() missing required argument '%.*s' (pos %zd)",
                              fname, (int)lens[i], names[i], (intptr_t)i + 1);
            return -1;
        }
    return 0;
}

int py_func_init(void)
{
    py_type *types[] = {&py_function_type, &py_cell_type, &py_method_type, &py_cfunction_type,
                        &py_methoddescr_type, &py_staticmethod_type, &py_classmethod_type,
                        &py_property_type};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (py_type_ready(types[i]) < 0)
            return -1;
    return 0;
}
