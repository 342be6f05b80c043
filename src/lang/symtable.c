/* symtable.c — scope analysis (see symtable.h), following CPython 3.11's
 * symtable.c: the same flags, the same resolution rules, the same error
 * messages. Name sets used by the second pass are arrays of interned names
 * (pointer equality) in the arena.
 */
#include "symtable.h"

#include <stdio.h>

typedef struct st_builder {
    st_table *t;
    st_scope *cur;
    int depth;                   /* expression nesting (bounded like the compiler's) */
    bool failed;
} st_builder;

#define ST_MAX_DEPTH 3000

/* --- errors ----------------------------------------------------------------------------- */

static int st_error(st_builder *b, ast_pos pos, const char *fmt, const char *name)
{
    if (b->failed)
        return -1;
    char msg[256];
    snprintf(msg, sizeof msg, fmt, name);
    ast_error_at(py_exc_SyntaxError, b->t->filename, b->t->src, b->t->len, pos, msg);
    b->failed = true;
    return -1;
}

static int oom(st_builder *b)
{
    b->failed = true;
    return -1;
}

/* --- symbols ------------------------------------------------------------------------------ */

static size_t ptr_hash(const void *p) { return ((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15u; }

static int index_insert(st_scope *s, int i)
{
    size_t mask = (size_t)s->idxcap - 1, j = ptr_hash(s->syms[i].name) & mask;
    while (s->index[j] >= 0)
        j = (j + 1) & mask;
    s->index[j] = i;
    return 0;
}

static int grow_symbols(st_builder *b, st_scope *s)
{
    int cap = s->symcap ? s->symcap * 2 : 8;
    st_symbol *syms = ast_alloc(b->t->A, (size_t)cap * sizeof *syms);
    int *index = ast_alloc(b->t->A, (size_t)cap * 2 * sizeof *index);
    if (!syms || !index)
        return oom(b);
    if (s->nsyms)
        memcpy(syms, s->syms, (size_t)s->nsyms * sizeof *syms);
    memset(index, 0xff, (size_t)cap * 2 * sizeof *index);
    s->syms = syms;
    s->symcap = cap;
    s->index = index;
    s->idxcap = cap * 2;
    for (int i = 0; i < s->nsyms; i++)
        index_insert(s, i);
    return 0;
}

st_symbol *st_lookup(st_scope *s, const char *name)
{
    if (!s->idxcap)
        return NULL;
    size_t mask = (size_t)s->idxcap - 1;
    for (size_t j = ptr_hash(name) & mask; s->index[j] >= 0; j = (j + 1) & mask)
        if (s->syms[s->index[j]].name == name)
            return &s->syms[s->index[j]];
    return NULL;
}

st_binding st_binding_of(st_scope *s, const char *name)
{
    st_symbol *sym = st_lookup(s, name);
    return sym ? sym->scope : SC_UNKNOWN;
}

static st_symbol *add_symbol(st_builder *b, st_scope *s, const char *name)
{
    st_symbol *sym = st_lookup(s, name);
    if (sym)
        return sym;
    if (s->nsyms == s->symcap && grow_symbols(b, s) < 0)
        return NULL;
    sym = &s->syms[s->nsyms];
    *sym = (st_symbol){name, 0, SC_UNKNOWN, {0, 0, 0, 0}};
    index_insert(s, s->nsyms++);
    return sym;
}

static int add_def_in(st_builder *b, st_scope *s, const char *name, int flag, ast_pos pos)
{
    st_symbol *sym = add_symbol(b, s, name);
    if (!sym)
        return -1;
    if ((flag & DEF_PARAM) && (sym->flags & DEF_PARAM))
        return st_error(b, pos, "duplicate argument '%s' in function definition", name);
    if (flag & (DEF_GLOBAL | DEF_NONLOCAL))
        sym->decl = pos;
    sym->flags |= flag;
    return 0;
}

static int add_def(st_builder *b, const char *name, int flag, ast_pos pos)
{
    return add_def_in(b, b->cur, name, flag, pos);
}

static const char *intern(st_builder *b, const char *s)
{
    const char *r = ast_intern(b->t->A, s, strlen(s));
    if (!r)
        b->failed = true;
    return r;
}

/* --- scopes ---------------------------------------------------------------------------------- */

static st_scope *enter_scope(st_builder *b, st_kind kind, const char *name, int lineno)
{
    st_scope *s = ast_alloc(b->t->A, sizeof *s);
    if (!s) {
        oom(b);
        return NULL;
    }
    s->kind = kind;
    s->name = name;
    s->parent = b->cur;
    s->lineno = lineno;
    if (b->cur) {
        s->nested = b->cur->nested || b->cur->kind == ST_FUNCTION;
        st_scope *p = b->cur;
        if (p->nchildren == p->childcap) {
            int cap = p->childcap ? p->childcap * 2 : 4;
            st_scope **c = ast_alloc(b->t->A, (size_t)cap * sizeof *c);
            if (!c) {
                oom(b);
                return NULL;
            }
            if (p->nchildren)
                memcpy(c, p->children, (size_t)p->nchildren * sizeof *c);
            p->children = c;
            p->childcap = cap;
        }
        p->children[p->nchildren++] = s;
    }
    b->cur = s;
    return s;
}

static void leave_scope(st_builder *b) { b->cur = b->cur->parent; }

static int add_param(st_builder *b, const ast_arg *a)
{
    st_scope *s = b->cur;
    if (add_def(b, a->name, DEF_PARAM, a->pos) < 0)
        return -1;
    const char **params = ast_alloc(b->t->A, (size_t)(s->nparams + 1) * sizeof *params);
    if (!params)
        return oom(b);
    if (s->nparams)
        memcpy(params, s->params, (size_t)s->nparams * sizeof *params);
    params[s->nparams++] = a->name;
    s->params = params;
    return 0;
}

/* --- first pass: statements and expressions --------------------------------------------------- */

static int visit_expr(st_builder *b, ast_expr *e);
static int visit_stmts(st_builder *b, ast_stmts body);

static int visit_exprs(st_builder *b, ast_exprs es)
{
    for (int i = 0; i < es.n; i++)
        if (es.items[i] && visit_expr(b, es.items[i]) < 0)
            return -1;
    return 0;
}

static int visit_params(st_builder *b, ast_args *a)
{
    for (int i = 0; i < a->nposonly; i++)
        if (add_param(b, &a->posonly[i]) < 0)
            return -1;
    for (int i = 0; i < a->nargs; i++)
        if (add_param(b, &a->args[i]) < 0)
            return -1;
    for (int i = 0; i < a->nkwonly; i++)
        if (add_param(b, &a->kwonly[i]) < 0)
            return -1;
    if (a->vararg && add_param(b, a->vararg) < 0)
        return -1;
    if (a->kwarg && add_param(b, a->kwarg) < 0)
        return -1;
    return 0;
}

/* Defaults are evaluated in the enclosing scope. */
static int visit_defaults(st_builder *b, ast_args *a)
{
    if (visit_exprs(b, a->defaults) < 0)
        return -1;
    for (int i = 0; i < a->nkwonly; i++)
        if (a->kw_defaults[i] && visit_expr(b, a->kw_defaults[i]) < 0)
            return -1;
    return 0;
}

static int visit_funcdef(st_builder *b, ast_stmt *s)
{
    if (add_def(b, s->v.funcdef.name, DEF_LOCAL, s->pos) < 0 || visit_defaults(b, s->v.funcdef.args) < 0 ||
        visit_exprs(b, s->v.funcdef.decorators) < 0)
        return -1;
    st_scope *fs = enter_scope(b, ST_FUNCTION, s->v.funcdef.name, s->pos.lineno);
    if (!fs)
        return -1;
    s->v.funcdef.scope = fs;
    if (visit_params(b, s->v.funcdef.args) < 0 || visit_stmts(b, s->v.funcdef.body) < 0)
        return -1;
    leave_scope(b);
    return 0;
}

static int visit_keywords(st_builder *b, ast_keyword *kws, int n)
{
    for (int i = 0; i < n; i++)
        if (visit_expr(b, kws[i].value) < 0)
            return -1;
    return 0;
}

static int visit_classdef(st_builder *b, ast_stmt *s)
{
    if (add_def(b, s->v.classdef.name, DEF_LOCAL, s->pos) < 0 || visit_exprs(b, s->v.classdef.bases) < 0 ||
        visit_keywords(b, s->v.classdef.kws, s->v.classdef.nkws) < 0 ||
        visit_exprs(b, s->v.classdef.decorators) < 0)
        return -1;
    st_scope *cs = enter_scope(b, ST_CLASS, s->v.classdef.name, s->pos.lineno);
    if (!cs)
        return -1;
    s->v.classdef.scope = cs;
    if (visit_stmts(b, s->v.classdef.body) < 0)
        return -1;
    leave_scope(b);
    return 0;
}

static int visit_global(st_builder *b, ast_stmt *s, bool nonlocal)
{
    const char *kw = nonlocal ? "nonlocal" : "global";
    if (nonlocal && b->cur->kind == ST_MODULE)
        return st_error(b, s->pos, "nonlocal declaration not allowed at module level%s", "");
    for (int i = 0; i < s->v.global.nnames; i++) {
        const char *name = s->v.global.names[i];
        st_symbol *sym = st_lookup(b->cur, name);
        int cur = sym ? sym->flags : 0;
        char fmt[96];
        if (cur & (DEF_PARAM | DEF_LOCAL | DEF_USE | DEF_ANNOT)) {
            if (cur & DEF_PARAM)
                snprintf(fmt, sizeof fmt, "name '%%s' is parameter and %s", kw);
            else if (cur & DEF_USE)
                snprintf(fmt, sizeof fmt, "name '%%s' is used prior to %s declaration", kw);
            else if (cur & DEF_ANNOT)
                snprintf(fmt, sizeof fmt, "annotated name '%%s' can't be %s", kw);
            else
                snprintf(fmt, sizeof fmt, "name '%%s' is assigned to before %s declaration", kw);
            return st_error(b, s->pos, fmt, name);
        }
        if (add_def(b, name, nonlocal ? DEF_NONLOCAL : DEF_GLOBAL, s->pos) < 0)
            return -1;
    }
    return 0;
}

static int visit_import(st_builder *b, ast_stmt *s)
{
    for (int i = 0; i < s->v.import.nnames; i++) {
        ast_alias *a = &s->v.import.names[i];
        if (a->name[0] == '*') {
            if (b->cur->kind != ST_MODULE)
                return st_error(b, a->pos, "import * only allowed at module level%s", "");
            continue;
        }
        const char *bound = a->asname;
        if (!bound) {
            const char *dot = strchr(a->name, '.');
            bound = dot ? ast_intern(b->t->A, a->name, (size_t)(dot - a->name)) : a->name;
            if (!bound)
                return oom(b);
        }
        if (add_def(b, bound, DEF_IMPORT, a->pos) < 0)
            return -1;
    }
    return 0;
}

static int visit_handlers(st_builder *b, ast_stmt *s)
{
    for (int i = 0; i < s->v.try_.nhandlers; i++) {
        ast_handler *h = &s->v.try_.handlers[i];
        if (h->type && visit_expr(b, h->type) < 0)
            return -1;
        if (h->name && add_def(b, h->name, DEF_LOCAL, h->pos) < 0)
            return -1;
        if (visit_stmts(b, h->body) < 0)
            return -1;
    }
    return 0;
}

static int visit_annassign(st_builder *b, ast_stmt *s)
{
    ast_expr *t = s->v.annassign.target;
    if (t->kind == E_NAME) {
        st_symbol *sym = st_lookup(b->cur, t->v.name.id);
        if (sym && (sym->flags & (DEF_GLOBAL | DEF_NONLOCAL)) && s->v.annassign.simple)
            return st_error(b, s->pos, sym->flags & DEF_GLOBAL ? "annotated name '%s' can't be global"
                            : "annotated name '%s' can't be nonlocal", t->v.name.id);
        if (add_def(b, t->v.name.id, DEF_ANNOT | (s->v.annassign.simple ? DEF_LOCAL : 0), t->pos) < 0)
            return -1;
        if (!s->v.annassign.simple && visit_expr(b, t) < 0)
            return -1;
    } else if (visit_expr(b, t) < 0) {
        return -1;
    }
    return s->v.annassign.value ? visit_expr(b, s->v.annassign.value) : 0;
}

static int visit_stmt(st_builder *b, ast_stmt *s)
{
    switch (s->kind) {
    case S_FUNCDEF: return visit_funcdef(b, s);
    case S_CLASSDEF: return visit_classdef(b, s);
    case S_RETURN: case S_EXPR:
        return s->v.value.value ? visit_expr(b, s->v.value.value) : 0;
    case S_DELETE: return visit_exprs(b, s->v.del.targets);
    case S_ASSIGN:
        if (visit_expr(b, s->v.assign.value) < 0)
            return -1;
        return visit_exprs(b, s->v.assign.targets);
    case S_AUGASSIGN:
        if (visit_expr(b, s->v.augassign.target) < 0)
            return -1;
        return visit_expr(b, s->v.augassign.value);
    case S_ANNASSIGN: return visit_annassign(b, s);
    case S_FOR:
        if (visit_expr(b, s->v.for_.target) < 0 || visit_expr(b, s->v.for_.iter) < 0 ||
            visit_stmts(b, s->v.for_.body) < 0)
            return -1;
        return visit_stmts(b, s->v.for_.orelse);
    case S_WHILE: case S_IF:
        if (visit_expr(b, s->v.cond.test) < 0 || visit_stmts(b, s->v.cond.body) < 0)
            return -1;
        return visit_stmts(b, s->v.cond.orelse);
    case S_WITH:
        for (int i = 0; i < s->v.with.nitems; i++) {
            if (visit_expr(b, s->v.with.items[i].context) < 0)
                return -1;
            if (s->v.with.items[i].target && visit_expr(b, s->v.with.items[i].target) < 0)
                return -1;
        }
        return visit_stmts(b, s->v.with.body);
    case S_RAISE:
        if (s->v.raise.exc && visit_expr(b, s->v.raise.exc) < 0)
            return -1;
        return s->v.raise.cause ? visit_expr(b, s->v.raise.cause) : 0;
    case S_TRY:
        if (visit_stmts(b, s->v.try_.body) < 0 || visit_handlers(b, s) < 0 ||
            visit_stmts(b, s->v.try_.orelse) < 0)
            return -1;
        return visit_stmts(b, s->v.try_.finalbody);
    case S_ASSERT:
        if (visit_expr(b, s->v.assert_.test) < 0)
            return -1;
        return s->v.assert_.msg ? visit_expr(b, s->v.assert_.msg) : 0;
    case S_IMPORT: case S_IMPORTFROM: return visit_import(b, s);
    case S_GLOBAL: return visit_global(b, s, false);
    case S_NONLOCAL: return visit_global(b, s, true);
    case S_PASS: case S_BREAK: case S_CONTINUE: return 0;
    }
    return 0;
}

static int visit_stmts(st_builder *b, ast_stmts body)
{
    for (int i = 0; i < body.n; i++)
        if (visit_stmt(b, body.items[i]) < 0)
            return -1;
    return 0;
}

static const char *comp_scope_name(ast_expr_kind k)
{
    switch (k) {
    case E_LISTCOMP: return "listcomp";
    case E_SETCOMP: return "setcomp";
    case E_DICTCOMP: return "dictcomp";
    default: return "genexpr";
    }
}

static const char *comp_description(ast_expr_kind k)
{
    switch (k) {
    case E_LISTCOMP: return "list comprehension";
    case E_SETCOMP: return "set comprehension";
    case E_DICTCOMP: return "dict comprehension";
    default: return "generator expression";
    }
}

static int visit_comp(st_builder *b, ast_expr *e)
{
    ast_comp *g = e->v.comp.gens;
    if (visit_expr(b, g[0].iter) < 0)
        return -1;
    const char *name = intern(b, comp_scope_name(e->kind));
    st_scope *cs = name ? enter_scope(b, ST_FUNCTION, name, e->pos.lineno) : NULL;
    if (!cs)
        return -1;
    cs->comprehension = true;
    cs->generator = e->kind == E_GENEXP;
    e->v.comp.scope = cs;
    ast_arg dot0 = {intern(b, ".0"), NULL, e->pos};
    if (!dot0.name || add_param(b, &dot0) < 0)
        return -1;
    for (int i = 0; i < e->v.comp.ngens; i++) {
        if (i > 0 && visit_expr(b, g[i].iter) < 0)
            return -1;
        if (visit_expr(b, g[i].target) < 0 || visit_exprs(b, g[i].ifs) < 0)
            return -1;
    }
    if (e->v.comp.value && visit_expr(b, e->v.comp.value) < 0)
        return -1;
    if (visit_expr(b, e->v.comp.elt) < 0)
        return -1;
    leave_scope(b);
    return 0;
}

static int visit_lambda(st_builder *b, ast_expr *e)
{
    if (visit_defaults(b, e->v.lambda.args) < 0)
        return -1;
    const char *name = intern(b, "lambda");
    st_scope *ls = name ? enter_scope(b, ST_FUNCTION, name, e->pos.lineno) : NULL;
    if (!ls)
        return -1;
    e->v.lambda.scope = ls;
    if (visit_params(b, e->v.lambda.args) < 0 || visit_expr(b, e->v.lambda.body) < 0)
        return -1;
    leave_scope(b);
    return 0;
}

static int visit_yield(st_builder *b, ast_expr *e)
{
    st_scope *s = b->cur;
    if (s->kind != ST_FUNCTION)
        return st_error(b, e->pos, "'yield' outside function%s", "");
    if (s->comprehension) {
        char fmt[64];
        snprintf(fmt, sizeof fmt, "'yield' inside %s", comp_description(
                     strcmp(s->name, "listcomp") == 0 ? E_LISTCOMP : strcmp(s->name, "setcomp") == 0 ? E_SETCOMP
                     : strcmp(s->name, "dictcomp") == 0 ? E_DICTCOMP : E_GENEXP));
        return st_error(b, e->pos, "%s", fmt);
    }
    s->generator = true;
    return e->v.yield.value ? visit_expr(b, e->v.yield.value) : 0;
}

/* `x := v` inside a comprehension binds x in the enclosing function (or module). */
static int visit_namedexpr(st_builder *b, ast_expr *e)
{
    if (visit_expr(b, e->v.named.value) < 0)
        return -1;
    const char *name = e->v.named.target->v.name.id;
    if (!b->cur->comprehension)
        return add_def(b, name, DEF_LOCAL, e->pos);
    st_scope *s = b->cur;
    while (s->comprehension)
        s = s->parent;
    if (s->kind == ST_CLASS)
        return st_error(b, e->pos, "assignment expression within a comprehension cannot be used in a "
                        "class body%s", "");
    if (s->kind == ST_MODULE) {
        if (add_def(b, name, DEF_GLOBAL, e->pos) < 0)
            return -1;
        return add_def_in(b, s, name, DEF_GLOBAL, e->pos);
    }
    if (add_def(b, name, DEF_NONLOCAL, e->pos) < 0)
        return -1;
    return add_def_in(b, s, name, DEF_LOCAL, e->pos);
}

static int visit_name(st_builder *b, ast_expr *e)
{
    const char *id = e->v.name.id;
    if (e->ctx != CTX_LOAD)
        return add_def(b, id, DEF_LOCAL, e->pos);
    if (add_def(b, id, DEF_USE, e->pos) < 0)
        return -1;
    /* zero-argument super() needs the __class__ cell */
    if (b->cur->kind == ST_FUNCTION && strcmp(id, "super") == 0) {
        const char *cls = intern(b, "__class__");
        return cls ? add_def(b, cls, DEF_USE, e->pos) : -1;
    }
    return 0;
}

static int visit_expr_kids(st_builder *b, ast_expr *e)
{
    switch (e->kind) {
    case E_BOOLOP: return visit_exprs(b, e->v.boolop.values);
    case E_BINOP:
        if (visit_expr(b, e->v.binop.left) < 0)
            return -1;
        return visit_expr(b, e->v.binop.right);
    case E_UNARYOP: return visit_expr(b, e->v.unary.operand);
    case E_IFEXP:
        if (visit_expr(b, e->v.ifexp.test) < 0 || visit_expr(b, e->v.ifexp.body) < 0)
            return -1;
        return visit_expr(b, e->v.ifexp.orelse);
    case E_DICT:
        if (visit_exprs(b, e->v.dict.keys) < 0)
            return -1;
        return visit_exprs(b, e->v.dict.values);
    case E_SET: case E_LIST: case E_TUPLE: return visit_exprs(b, e->v.seq.elts);
    case E_YIELDFROM:
        if (visit_yield(b, e) < 0)
            return -1;
        return 0;
    case E_COMPARE:
        if (visit_expr(b, e->v.compare.left) < 0)
            return -1;
        return visit_exprs(b, e->v.compare.comparators);
    case E_CALL:
        if (visit_expr(b, e->v.call.func) < 0 || visit_exprs(b, e->v.call.args) < 0)
            return -1;
        return visit_keywords(b, e->v.call.kws, e->v.call.nkws);
    case E_FORMATTED:
        if (visit_expr(b, e->v.formatted.value) < 0)
            return -1;
        return e->v.formatted.spec ? visit_expr(b, e->v.formatted.spec) : 0;
    case E_JOINEDSTR: return visit_exprs(b, e->v.joined.values);
    case E_ATTRIBUTE: return visit_expr(b, e->v.attribute.value);
    case E_SUBSCRIPT:
        if (visit_expr(b, e->v.subscript.value) < 0)
            return -1;
        return visit_expr(b, e->v.subscript.slice);
    case E_STARRED: return visit_expr(b, e->v.starred.value);
    case E_SLICE:
        if (e->v.slice.lower && visit_expr(b, e->v.slice.lower) < 0)
            return -1;
        if (e->v.slice.upper && visit_expr(b, e->v.slice.upper) < 0)
            return -1;
        return e->v.slice.step ? visit_expr(b, e->v.slice.step) : 0;
    default:
        return 0;
    }
}

static int visit_expr_inner(st_builder *b, ast_expr *e)
{
    switch (e->kind) {
    case E_NAME: return visit_name(b, e);
    case E_LAMBDA: return visit_lambda(b, e);
    case E_LISTCOMP: case E_SETCOMP: case E_DICTCOMP: case E_GENEXP: return visit_comp(b, e);
    case E_YIELD: return visit_yield(b, e);
    case E_NAMEDEXPR: return visit_namedexpr(b, e);
    default: return visit_expr_kids(b, e);
    }
}

static int visit_expr(st_builder *b, ast_expr *e)
{
    if (b->failed)
        return -1;
    if (++b->depth > ST_MAX_DEPTH) {
        py_err_format(py_exc_RecursionError, "maximum recursion depth exceeded during compilation");
        b->failed = true;
        return -1;
    }
    int r = visit_expr_inner(b, e);
    b->depth--;
    return r;
}

/* --- second pass: resolution ---------------------------------------------------------------------- */

typedef struct nameset { const char **items; int n, cap; } nameset;

static bool set_has(const nameset *s, const char *name)
{
    if (!s)
        return false;
    for (int i = 0; i < s->n; i++)
        if (s->items[i] == name)
            return true;
    return false;
}

static int set_add(st_builder *b, nameset *s, const char *name)
{
    if (set_has(s, name))
        return 0;
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 8;
        const char **items = ast_alloc(b->t->A, (size_t)cap * sizeof *items);
        if (!items)
            return oom(b);
        if (s->n)
            memcpy(items, s->items, (size_t)s->n * sizeof *items);
        s->items = items;
        s->cap = cap;
    }
    s->items[s->n++] = name;
    return 0;
}

static void set_discard(nameset *s, const char *name)
{
    for (int i = 0; s && i < s->n; i++)
        if (s->items[i] == name) {
            s->items[i] = s->items[--s->n];
            return;
        }
}

static int set_update(st_builder *b, nameset *dst, const nameset *src)
{
    for (int i = 0; src && i < src->n; i++)
        if (set_add(b, dst, src->items[i]) < 0)
            return -1;
    return 0;
}

static int set_copy(st_builder *b, nameset *dst, const nameset *src)
{
    *dst = (nameset){0};
    return set_update(b, dst, src);
}

static int analyze_name(st_builder *b, st_scope *s, st_symbol *sym, nameset *bound, nameset *local,
                        nameset *free, nameset *global, bool has_bound)
{
    const char *name = sym->name;
    ast_pos pos = sym->decl;
    if (sym->flags & DEF_GLOBAL) {
        if (sym->flags & DEF_NONLOCAL)
            return st_error(b, pos, "name '%s' is nonlocal and global", name);
        sym->scope = SC_GLOBAL_EXPLICIT;
        if (set_add(b, global, name) < 0)
            return -1;
        set_discard(bound, name);
        return 0;
    }
    if (sym->flags & DEF_NONLOCAL) {
        if (!has_bound)
            return st_error(b, pos, "nonlocal declaration not allowed at module level%s", "");
        if (!set_has(bound, name))
            return st_error(b, pos, "no binding for nonlocal '%s' found", name);
        sym->scope = SC_FREE;
        s->has_free = true;
        return set_add(b, free, name);
    }
    if (sym->flags & DEF_BOUND) {
        sym->scope = SC_LOCAL;
        set_discard(global, name);
        return set_add(b, local, name);
    }
    if (has_bound && set_has(bound, name)) {
        sym->scope = SC_FREE;
        s->has_free = true;
        return set_add(b, free, name);
    }
    if (s->nested)
        s->has_free = true;
    sym->scope = SC_GLOBAL_IMPLICIT;
    return 0;
}

static void analyze_cells(st_scope *s, nameset *free)
{
    for (int i = 0; i < s->nsyms; i++) {
        st_symbol *sym = &s->syms[i];
        if (sym->scope == SC_LOCAL && set_has(free, sym->name)) {
            sym->scope = SC_CELL;
            set_discard(free, sym->name);
        }
    }
}

static int update_symbols(st_builder *b, st_scope *s, nameset *bound, bool has_bound, nameset *free)
{
    for (int i = 0; i < free->n; i++) {
        const char *name = free->items[i];
        st_symbol *sym = st_lookup(s, name);
        if (sym) {
            if (s->kind == ST_CLASS && (sym->flags & (DEF_BOUND | DEF_GLOBAL)))
                sym->flags |= DEF_FREE_CLASS;
            continue;
        }
        if (has_bound && !set_has(bound, name))
            continue;
        if (!(sym = add_symbol(b, s, name)))
            return -1;
        sym->scope = SC_FREE;
    }
    return 0;
}

static int analyze_block(st_builder *b, st_scope *s, nameset *bound, bool has_bound,
                         nameset *free, nameset *global);

static int analyze_children(st_builder *b, st_scope *s, nameset *newbound, nameset *newglobal,
                            nameset *newfree)
{
    nameset allfree = {0};
    for (int i = 0; i < s->nchildren; i++) {
        st_scope *c = s->children[i];
        nameset cb, cg, cf = {0};
        if (set_copy(b, &cb, newbound) < 0 || set_copy(b, &cg, newglobal) < 0)
            return -1;
        if (analyze_block(b, c, &cb, true, &cf, &cg) < 0 || set_update(b, &allfree, &cf) < 0)
            return -1;
        if (c->has_free || c->child_free)
            s->child_free = true;
    }
    return set_update(b, newfree, &allfree);
}

static int analyze_block(st_builder *b, st_scope *s, nameset *bound, bool has_bound,
                         nameset *free, nameset *global)
{
    nameset local = {0}, newbound = {0}, newglobal = {0}, newfree = {0};
    if (s->kind == ST_CLASS && (set_update(b, &newglobal, global) < 0 || set_update(b, &newbound, bound) < 0))
        return -1;
    for (int i = 0; i < s->nsyms; i++)
        if (analyze_name(b, s, &s->syms[i], bound, &local, free, global, has_bound) < 0)
            return -1;
    if (s->kind != ST_CLASS) {
        if (s->kind == ST_FUNCTION && set_update(b, &newbound, &local) < 0)
            return -1;
        if (set_update(b, &newbound, bound) < 0 || set_update(b, &newglobal, global) < 0)
            return -1;
    } else {
        const char *cls = intern(b, "__class__");
        if (!cls || set_add(b, &newbound, cls) < 0)
            return -1;
    }
    if (analyze_children(b, s, &newbound, &newglobal, &newfree) < 0)
        return -1;
    if (s->kind == ST_FUNCTION) {
        analyze_cells(s, &newfree);
    } else if (s->kind == ST_CLASS) {
        const char *cls = intern(b, "__class__");
        if (set_has(&newfree, cls)) {
            s->needs_class_closure = true;
            set_discard(&newfree, cls);
        }
    }
    if (update_symbols(b, s, bound, has_bound, &newfree) < 0)
        return -1;
    return set_update(b, free, &newfree);
}

/* --- entry ------------------------------------------------------------------------------------------ */

int st_build(st_table *t, ast_arena *A, ast_module *m, const char *filename,
             const char *src, size_t len)
{
    memset(t, 0, sizeof *t);
    t->A = A;
    t->filename = filename;
    t->src = src;
    t->len = len;
    st_builder b = {t, NULL, 0, false};
    const char *top = ast_intern(A, "top", 3);
    if (!top || !(t->top = enter_scope(&b, ST_MODULE, top, 1)))
        return -1;
    int r = m->expr ? visit_expr(&b, m->expr) : visit_stmts(&b, m->body);
    if (r < 0)
        return -1;
    nameset free = {0}, global = {0};
    return analyze_block(&b, t->top, NULL, false, &free, &global);
}
