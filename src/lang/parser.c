/* parser.c — recursive descent from tokens to the syntax tree (ast.h).
 *
 * One function per grammar rule of CPython 3.11's grammar, simplified where
 * the PEG grammar only serves error recovery. Tokens are pulled from the
 * lexer on demand and all kept, so the parser can look ahead and, in the one
 * place it needs to (parenthesized with-items), back up.
 *
 * Error policy: the first error raised wins; p->failed is set and every rule
 * returns NULL from then on. Recursion on user input is bounded by
 * PARSE_MAX_DEPTH (counted at every rule that can nest) and by the lexer's
 * bracket limit, so no input can exhaust the C stack.
 *
 * f-strings are parsed here: a STRING token with an f prefix is split into
 * literal text and {expressions}; each expression is parsed by a nested
 * parser whose lexer starts at the expression's place in the source, so
 * positions inside f-strings are exact.
 */
#include "ast.h"
#include "lexer.h"

#include <stdio.h>

#define PARSE_MAX_DEPTH 1000
#define FSTRING_MAX_NEST 2

typedef struct parser {
    lx_state lx;
    ast_arena *A;
    lx_token *toks;              /* tokens lexed so far (heap block of cap) */
    int ntoks, cap;
    int pos;                     /* index of the current token */
    int prev_end_lineno, prev_end_col;   /* end of the last consumed token */
    int depth;                   /* nesting of rules, see PARSE_MAX_DEPTH */
    int fnest;                   /* f-string nesting of this parser */
    int brackets;                /* open brackets at the current point (for hints) */
    bool failed;                 /* an exception is set */
    const char *filename;
    const char *buf, *buf_end;   /* the whole source */
    const char *errprefix;       /* "f-string: " inside f-string expressions */
} parser;

/* --- generic vectors in the arena -------------------------------------------------- */

typedef struct vec { char *data; int n, cap; size_t elem; } vec;

static void vec_init(vec *v, size_t elem) { v->data = NULL; v->n = v->cap = 0; v->elem = elem; }

static void *vec_push(parser *p, vec *v)
{
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 4;
        char *d = ast_alloc(p->A, (size_t)cap * v->elem);
        if (!d) {
            p->failed = true;
            return NULL;
        }
        if (v->n)
            memcpy(d, v->data, (size_t)v->n * v->elem);
        v->data = d;
        v->cap = cap;
    }
    return v->data + (size_t)v->n++ * v->elem;
}

static int push_ptr(parser *p, vec *v, void *x)
{
    void **slot = vec_push(p, v);
    if (!slot)
        return -1;
    *slot = x;
    return 0;
}

static ast_exprs to_exprs(vec *v) { return (ast_exprs){(ast_expr **)v->data, v->n}; }
static ast_stmts to_stmts(vec *v) { return (ast_stmts){(ast_stmt **)v->data, v->n}; }

/* --- errors -------------------------------------------------------------------------- */

static const char *line_start_of(const char *buf, const char *end, int lineno)
{
    const char *s = buf;
    for (int l = 1; l < lineno && s < end; s++)
        if (*s == '\n')
            l++;
    return s;
}

void ast_error_at(py_type *type, const char *filename, const char *src, size_t len,
                  ast_pos pos, const char *msg)
{
    const char *ls = line_start_of(src, src + len, pos.lineno);
    lx_error_at(type, filename, src, src + len, ls, pos.lineno, pos.col, pos.end_lineno,
                pos.end_col, msg);
}

static void *error_range(parser *p, py_type *type, ast_pos pos, const char *fmt, ...)
{
    if (p->failed)
        return NULL;
    char msg[256];
    size_t off = 0;
    if (p->errprefix) {
        off = strlen(p->errprefix);
        memcpy(msg, p->errprefix, off);
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + off, sizeof msg - off, fmt, ap);
    va_end(ap);
    ast_error_at(type ? type : py_exc_SyntaxError, p->filename, p->buf,
                 (size_t)(p->buf_end - p->buf), pos, msg);
    p->failed = true;
    return NULL;
}

static ast_pos tok_pos(const lx_token *t)
{
    return (ast_pos){t->lineno, t->col, t->end_lineno, t->end_col};
}

/* --- tokens ---------------------------------------------------------------------------- */

static int fill(parser *p)
{
    if (p->ntoks == p->cap) {
        int cap = p->cap ? p->cap * 2 : 256;
        lx_token *t = tl_heap_realloc(vm.heap, p->toks, (size_t)cap * sizeof *t);
        if (!t) {
            py_err_no_memory();
            return -1;
        }
        p->toks = t;
        p->cap = cap;
    }
    if (lx_next(&p->lx, &p->toks[p->ntoks]) < 0)
        return -1;
    p->ntoks++;
    return 0;
}

/* The token i places ahead (0: current). After a lexer error: an ENDMARKER.
 * The pointer is good only until the next peek_at: lexing a token may move
 * the token array. Copy the token to keep it across one. */
static const lx_token *peek_at(parser *p, int i)
{
    static const lx_token error_tok = {TK_ENDMARKER, "", 0, 1, 0, 1, 0};
    while (!p->failed && p->ntoks <= p->pos + i) {
        if (p->ntoks > 0 && p->toks[p->ntoks - 1].kind == TK_ENDMARKER)
            return &p->toks[p->ntoks - 1];
        if (fill(p) < 0)
            p->failed = true;
    }
    if (p->ntoks <= p->pos + i)
        return p->ntoks && !p->failed ? &p->toks[p->ntoks - 1] : &error_tok;
    return &p->toks[p->pos + i];
}

static const lx_token *cur(parser *p) { return peek_at(p, 0); }
static lx_kind kind(parser *p) { return cur(p)->kind; }
static bool at(parser *p, lx_kind k) { return kind(p) == k; }

static lx_token advance(parser *p)
{
    lx_token t = *cur(p);
    if (!p->failed && t.kind != TK_ENDMARKER)
        p->pos++;
    p->prev_end_lineno = t.end_lineno;
    p->prev_end_col = t.end_col;
    if (t.kind == TK_LPAR || t.kind == TK_LSQB || t.kind == TK_LBRACE)
        p->brackets++;
    else if (t.kind == TK_RPAR || t.kind == TK_RSQB || t.kind == TK_RBRACE)
        p->brackets--;
    return t;
}

static bool accept(parser *p, lx_kind k)
{
    if (!at(p, k))
        return false;
    advance(p);
    return true;
}

static void *invalid_syntax(parser *p)
{
    const lx_token *t = cur(p);
    if (t->kind == TK_INDENT) {
        ast_pos at_indent = {t->lineno, t->end_col - 1, t->lineno, -2};
        return error_range(p, py_exc_IndentationError, at_indent, "unexpected indent");
    }
    return error_range(p, NULL, tok_pos(t), "invalid syntax");
}

static bool expect(parser *p, lx_kind k)
{
    if (accept(p, k))
        return true;
    invalid_syntax(p);
    return false;
}

/* "expected ':'" is reported just after the previous token, as CPython does. */
static bool expect_colon(parser *p)
{
    if (accept(p, TK_COLON))
        return true;
    ast_pos at_prev = {p->prev_end_lineno, p->prev_end_col, p->prev_end_lineno, p->prev_end_col};
    error_range(p, NULL, at_prev, "expected ':'");
    return false;
}

/* --- nodes ------------------------------------------------------------------------------ */

static ast_pos span_from(parser *p, ast_pos start)
{
    return (ast_pos){start.lineno, start.col, p->prev_end_lineno, p->prev_end_col};
}

static ast_expr *new_expr(parser *p, ast_expr_kind k, ast_pos pos)
{
    ast_expr *e = ast_alloc(p->A, sizeof *e);
    if (!e) {
        p->failed = true;
        return NULL;
    }
    e->kind = k;
    e->pos = pos;
    return e;
}

static ast_stmt *new_stmt(parser *p, ast_stmt_kind k, ast_pos pos)
{
    ast_stmt *s = ast_alloc(p->A, sizeof *s);
    if (!s) {
        p->failed = true;
        return NULL;
    }
    s->kind = k;
    s->pos = pos;
    return s;
}

static const char *intern_tok(parser *p, const lx_token *t)
{
    const char *s = ast_intern(p->A, t->start, t->len);
    if (!s)
        p->failed = true;
    return s;
}

static ast_expr *name_expr(parser *p, const lx_token *t)
{
    ast_expr *e = new_expr(p, E_NAME, tok_pos(t));
    if (e && !(e->v.name.id = intern_tok(p, t)))
        return NULL;
    return e;
}

static bool enter(parser *p)
{
    if (++p->depth > PARSE_MAX_DEPTH) {
        if (!p->failed)
            py_err_no_memory();     /* CPython 3.11's MemoryError here has no message */
        p->failed = true;
        return false;
    }
    return true;
}

static void leave(parser *p) { p->depth--; }

/* --- forward declarations --------------------------------------------------------------- */

static ast_expr *parse_expression(parser *p);
static ast_expr *parse_named_expression(parser *p);
static ast_expr *parse_star_expressions(parser *p);
static ast_expr *parse_star_named_expression(parser *p);
static ast_expr *parse_disjunction(parser *p);
static ast_expr *parse_bitwise_or(parser *p);
static ast_expr *parse_yield_expr(parser *p);
static ast_expr *parse_strings(parser *p);
static ast_args *parse_params(parser *p, bool lambda);
static int parse_block(parser *p, const char *what, int lineno, ast_stmts *out);
static int parse_statement(parser *p, vec *out);
static ast_expr *parse_star_targets(parser *p, ast_ctx ctx);
static int set_context(parser *p, ast_expr *e, ast_ctx ctx);

/* --- expression names, for messages ------------------------------------------------------ */

const char *ast_expr_name(const ast_expr *e)
{
    switch (e->kind) {
    case E_ATTRIBUTE: return "attribute";
    case E_SUBSCRIPT: return "subscript";
    case E_STARRED: return "starred";
    case E_NAME: return "name";
    case E_LIST: return "list";
    case E_TUPLE: return "tuple";
    case E_LAMBDA: return "lambda";
    case E_CALL: return "function call";
    case E_BOOLOP: case E_BINOP: case E_UNARYOP: return "expression";
    case E_GENEXP: return "generator expression";
    case E_YIELD: case E_YIELDFROM: return "yield expression";
    case E_LISTCOMP: return "list comprehension";
    case E_SETCOMP: return "set comprehension";
    case E_DICTCOMP: return "dict comprehension";
    case E_DICT: return "dict literal";
    case E_SET: return "set display";
    case E_JOINEDSTR: case E_FORMATTED: return "f-string expression";
    case E_COMPARE: return "comparison";
    case E_IFEXP: return "conditional expression";
    case E_NAMEDEXPR: return "named expression";
    case E_SLICE: return "slice";
    case E_CONSTANT:
        switch (e->v.constant.ckind) {
        case C_NONE: return "None";
        case C_TRUE: return "True";
        case C_FALSE: return "False";
        case C_ELLIPSIS: return "ellipsis";
        default: return "literal";
        }
    }
    return "expression";
}

/* --- comprehensions --------------------------------------------------------------------- */

/* for_if_clauses: ('for' star_targets 'in' disjunction ('if' disjunction)*)+ */
static int parse_comp_clauses(parser *p, ast_comp **gens, int *ngens)
{
    vec v;
    vec_init(&v, sizeof(ast_comp));
    while (at(p, KW_FOR) && !p->failed) {
        advance(p);
        ast_comp c = {0};
        if (!(c.target = parse_star_targets(p, CTX_STORE)))
            return -1;
        if (!accept(p, KW_IN)) {
            invalid_syntax(p);
            return -1;
        }
        if (!(c.iter = parse_disjunction(p)))
            return -1;
        vec ifs;
        vec_init(&ifs, sizeof(ast_expr *));
        while (accept(p, KW_IF)) {
            ast_expr *cond = parse_disjunction(p);
            if (!cond || push_ptr(p, &ifs, cond) < 0)
                return -1;
        }
        c.ifs = to_exprs(&ifs);
        ast_comp *slot = vec_push(p, &v);
        if (!slot)
            return -1;
        *slot = c;
    }
    *gens = (ast_comp *)v.data;
    *ngens = v.n;
    return p->failed ? -1 : 0;
}

static ast_expr *make_comp(parser *p, ast_expr_kind k, ast_pos start, ast_expr *elt,
                           ast_expr *value, lx_kind closer)
{
    ast_expr *e = new_expr(p, k, start);
    if (!e)
        return NULL;
    e->v.comp.elt = elt;
    e->v.comp.value = value;
    if (parse_comp_clauses(p, &e->v.comp.gens, &e->v.comp.ngens) < 0)
        return NULL;
    if (closer != TK_ENDMARKER && !expect(p, closer))
        return NULL;
    e->pos = span_from(p, start);
    return e;
}

/* --- atoms ------------------------------------------------------------------------------- */

static bool starts_expression(lx_kind k)
{
    switch (k) {
    case TK_NAME: case TK_NUMBER: case TK_STRING: case TK_LPAR: case TK_LSQB: case TK_LBRACE:
    case KW_NONE: case KW_TRUE: case KW_FALSE: case KW_LAMBDA: case KW_NOT: case TK_MINUS:
    case TK_PLUS: case TK_TILDE: case TK_ELLIPSIS:
        return true;
    default:
        return false;
    }
}

/* Inside brackets, two expressions side by side: CPython's comma hint. */
static void *maybe_forgot_comma(parser *p, ast_expr *first)
{
    if (p->failed || p->brackets <= 0 || !starts_expression(kind(p)))
        return invalid_syntax(p);
    if (first->kind == E_NAME && at(p, TK_STRING))
        return invalid_syntax(p);
    ast_pos start = first->pos;
    int depth = p->depth;
    ast_expr *second = parse_expression(p);
    p->depth = depth;
    if (!second)
        return NULL;
    return error_range(p, NULL, span_from(p, start), "invalid syntax. Perhaps you forgot a comma?");
}

/* Elements of a tuple, list or set display after the first; closer consumed. */
static int parse_display_rest(parser *p, vec *v, lx_kind closer, bool *had_comma)
{
    while (!p->failed) {
        if (accept(p, closer))
            return 0;
        if (!accept(p, TK_COMMA)) {
            ast_expr *last = v->n ? ((ast_expr **)v->data)[v->n - 1] : NULL;
            if (last)
                maybe_forgot_comma(p, last);
            else
                invalid_syntax(p);
            return -1;
        }
        *had_comma = true;
        if (accept(p, closer))
            return 0;
        ast_expr *e = parse_star_named_expression(p);
        if (!e || push_ptr(p, v, e) < 0)
            return -1;
    }
    return -1;
}

static ast_expr *parse_paren(parser *p)
{
    lx_token open = advance(p);
    ast_pos start = tok_pos(&open);
    if (accept(p, TK_RPAR)) {
        ast_expr *e = new_expr(p, E_TUPLE, span_from(p, start));
        return e;
    }
    if (at(p, KW_YIELD)) {
        ast_expr *y = parse_yield_expr(p);
        if (!y || !expect(p, TK_RPAR))
            return NULL;
        return y;
    }
    ast_expr *first = parse_star_named_expression(p);
    if (!first)
        return NULL;
    if (at(p, KW_FOR)) {
        if (first->kind == E_STARRED)
            return error_range(p, NULL, first->pos, "iterable unpacking cannot be used in comprehension");
        return make_comp(p, E_GENEXP, start, first, NULL, TK_RPAR);
    }
    if (accept(p, TK_RPAR)) {
        if (first->kind == E_STARRED)
            return error_range(p, NULL, first->pos, "cannot use starred expression here");
        return first;
    }
    vec v;
    vec_init(&v, sizeof(ast_expr *));
    if (push_ptr(p, &v, first) < 0)
        return NULL;
    bool had_comma = false;
    if (parse_display_rest(p, &v, TK_RPAR, &had_comma) < 0)
        return NULL;
    ast_expr *t = new_expr(p, E_TUPLE, span_from(p, start));
    if (t)
        t->v.seq.elts = to_exprs(&v);
    return t;
}

static ast_expr *parse_list(parser *p)
{
    lx_token open = advance(p);
    ast_pos start = tok_pos(&open);
    vec v;
    vec_init(&v, sizeof(ast_expr *));
    if (!accept(p, TK_RSQB)) {
        ast_expr *first = parse_star_named_expression(p);
        if (!first)
            return NULL;
        if (at(p, KW_FOR)) {
            if (first->kind == E_STARRED)
                return error_range(p, NULL, first->pos, "iterable unpacking cannot be used in comprehension");
            return make_comp(p, E_LISTCOMP, start, first, NULL, TK_RSQB);
        }
        bool had_comma = false;
        if (push_ptr(p, &v, first) < 0 || parse_display_rest(p, &v, TK_RSQB, &had_comma) < 0)
            return NULL;
    }
    ast_expr *e = new_expr(p, E_LIST, span_from(p, start));
    if (e)
        e->v.seq.elts = to_exprs(&v);
    return e;
}

/* One dict item: key: value or **mapping (key NULL). */
static int parse_dict_item(parser *p, ast_expr **key, ast_expr **value)
{
    if (accept(p, TK_DOUBLESTAR)) {
        *key = NULL;
        *value = parse_bitwise_or(p);
        return *value ? 0 : -1;
    }
    if (!(*key = parse_expression(p)))
        return -1;
    if (!accept(p, TK_COLON)) {
        if (p->failed)
            return -1;
        ast_pos at_prev = {p->prev_end_lineno, p->prev_end_col, p->prev_end_lineno, p->prev_end_col};
        error_range(p, NULL, at_prev, "':' expected after dictionary key");
        return -1;
    }
    *value = parse_expression(p);
    return *value ? 0 : -1;
}

static ast_expr *parse_dict_rest(parser *p, ast_pos start, ast_expr *k, ast_expr *v0)
{
    if (k && at(p, KW_FOR))
        return make_comp(p, E_DICTCOMP, start, k, v0, TK_RBRACE);
    vec keys, values;
    vec_init(&keys, sizeof(ast_expr *));
    vec_init(&values, sizeof(ast_expr *));
    if (push_ptr(p, &keys, k) < 0 || push_ptr(p, &values, v0) < 0)
        return NULL;
    while (!accept(p, TK_RBRACE)) {
        if (!expect(p, TK_COMMA))
            return NULL;
        if (accept(p, TK_RBRACE))
            break;
        ast_expr *key, *value;
        if (parse_dict_item(p, &key, &value) < 0)
            return NULL;
        if (push_ptr(p, &keys, key) < 0 || push_ptr(p, &values, value) < 0)
            return NULL;
    }
    ast_expr *d = new_expr(p, E_DICT, span_from(p, start));
    if (d) {
        d->v.dict.keys = to_exprs(&keys);
        d->v.dict.values = to_exprs(&values);
    }
    return d;
}

static ast_expr *parse_brace(parser *p)
{
    lx_token open = advance(p);
    ast_pos start = tok_pos(&open);
    if (accept(p, TK_RBRACE))
        return new_expr(p, E_DICT, span_from(p, start));
    if (at(p, TK_DOUBLESTAR)) {
        ast_expr *k, *v;
        if (parse_dict_item(p, &k, &v) < 0)
            return NULL;
        return parse_dict_rest(p, start, NULL, v);
    }
    ast_expr *first = parse_star_named_expression(p);
    if (!first)
        return NULL;
    if (first->kind != E_STARRED && accept(p, TK_COLON)) {
        ast_expr *v = parse_expression(p);
        if (!v)
            return NULL;
        return parse_dict_rest(p, start, first, v);
    }
    if (at(p, KW_FOR)) {
        if (first->kind == E_STARRED)
            return error_range(p, NULL, first->pos, "iterable unpacking cannot be used in comprehension");
        return make_comp(p, E_SETCOMP, start, first, NULL, TK_RBRACE);
    }
    vec v;
    vec_init(&v, sizeof(ast_expr *));
    bool had_comma = false;
    if (push_ptr(p, &v, first) < 0 || parse_display_rest(p, &v, TK_RBRACE, &had_comma) < 0)
        return NULL;
    ast_expr *e = new_expr(p, E_SET, span_from(p, start));
    if (e)
        e->v.seq.elts = to_exprs(&v);
    return e;
}

static ast_expr *constant(parser *p, ast_const_kind k, const lx_token *t)
{
    ast_expr *e = new_expr(p, E_CONSTANT, tok_pos(t));
    if (e) {
        e->v.constant.ckind = k;
        e->v.constant.s = t->start;
        e->v.constant.len = t->len;
    }
    return e;
}

static ast_const_kind number_kind(const lx_token *t)
{
    const char *s = t->start;
    size_t n = t->len;
    if ((s[n - 1] | 32) == 'j')
        return C_IMAG;
    if (n > 1 && s[0] == '0' && ((s[1] | 32) == 'x' || (s[1] | 32) == 'o' || (s[1] | 32) == 'b'))
        return C_INT;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.' || (s[i] | 32) == 'e')
            return C_FLOAT;
    return C_INT;
}

static ast_expr *parse_atom(parser *p)
{
    const lx_token *t = cur(p);
    lx_token tok = *t;
    switch (tok.kind) {
    case TK_NAME: advance(p); return name_expr(p, &tok);
    case TK_NUMBER: advance(p); return constant(p, number_kind(&tok), &tok);
    case KW_NONE: advance(p); return constant(p, C_NONE, &tok);
    case KW_TRUE: advance(p); return constant(p, C_TRUE, &tok);
    case KW_FALSE: advance(p); return constant(p, C_FALSE, &tok);
    case TK_ELLIPSIS: advance(p); return constant(p, C_ELLIPSIS, &tok);
    case TK_STRING: return parse_strings(p);
    case TK_LPAR: return parse_paren(p);
    case TK_LSQB: return parse_list(p);
    case TK_LBRACE: return parse_brace(p);
    default: return invalid_syntax(p);
    }
}

/* --- calls, subscripts, attributes ------------------------------------------------------- */

typedef struct call_args { vec args, kws; bool seen_kw, seen_dstar; } call_args;

static int add_keyword(parser *p, call_args *ca, const char *name, ast_expr *value, ast_pos pos)
{
    if (name) {
        ast_keyword *k = (ast_keyword *)ca->kws.data;
        for (int i = 0; i < ca->kws.n; i++)
            if (k[i].arg == name) {
                error_range(p, NULL, pos, "keyword argument repeated: %s", name);
                return -1;
            }
    }
    ast_keyword *slot = vec_push(p, &ca->kws);
    if (!slot)
        return -1;
    *slot = (ast_keyword){name, value, pos};
    return 0;
}

static int parse_keyword_arg(parser *p, call_args *ca)
{
    lx_token name = advance(p);
    advance(p);   /* = */
    ast_expr *value = parse_expression(p);
    if (!value)
        return -1;
    const char *id = intern_tok(p, &name);
    if (!id)
        return -1;
    ca->seen_kw = true;
    ast_pos pos = {name.lineno, name.col, value->pos.end_lineno, value->pos.end_col};
    return add_keyword(p, ca, id, value, pos);
}

static bool is_keyword_constant(lx_kind k) { return k == KW_TRUE || k == KW_FALSE || k == KW_NONE; }

static int parse_positional_arg(parser *p, call_args *ca, int nargs_so_far, lx_kind closer)
{
    ast_expr *e = parse_named_expression(p);
    if (!e)
        return -1;
    if (at(p, KW_FOR)) {
        ast_pos start = e->pos;
        e = make_comp(p, E_GENEXP, start, e, NULL, TK_ENDMARKER);
        if (!e)
            return -1;
        if (nargs_so_far > 0 || ca->kws.n > 0 || !at(p, closer))
            return error_range(p, NULL, e->pos, "Generator expression must be parenthesized"), -1;
    }
    if (at(p, TK_EQUAL)) {
        ast_pos pos = e->pos;
        if (e->kind == E_CONSTANT && e->v.constant.ckind <= C_FALSE)
            return error_range(p, NULL, pos, "cannot assign to %s", ast_expr_name(e)), -1;
        return error_range(p, NULL, pos, "expression cannot contain assignment, perhaps you meant \"==\"?"), -1;
    }
    if (ca->seen_kw || ca->seen_dstar)
        return error_range(p, NULL, tok_pos(cur(p)), ca->seen_kw ? "positional argument follows keyword argument"
                           : "positional argument follows keyword argument unpacking"), -1;
    return push_ptr(p, &ca->args, e);
}

static int parse_one_arg(parser *p, call_args *ca, lx_kind closer)
{
    /* A copy: the token array may move when peek_at lexes the next token
     * (fill reallocates it), and the name= test below peeks past t. */
    const lx_token tok = *cur(p), *t = &tok;
    ast_pos start = tok_pos(t);
    if (t->kind == TK_STAR) {
        advance(p);
        ast_expr *v = parse_expression(p);
        if (!v)
            return -1;
        if (ca->seen_dstar)
            return error_range(p, NULL, start, "iterable argument unpacking follows keyword argument unpacking"), -1;
        ast_expr *s = new_expr(p, E_STARRED, span_from(p, start));
        if (!s)
            return -1;
        s->v.starred.value = v;
        return push_ptr(p, &ca->args, s);
    }
    if (t->kind == TK_DOUBLESTAR) {
        advance(p);
        ast_expr *v = parse_expression(p);
        if (!v)
            return -1;
        ca->seen_dstar = true;
        return add_keyword(p, ca, NULL, v, span_from(p, start));
    }
    if ((t->kind == TK_NAME || is_keyword_constant(t->kind)) && peek_at(p, 1)->kind == TK_EQUAL) {
        if (t->kind != TK_NAME) {
            lx_token kw = *t;
            advance(p);
            advance(p);
            if (!parse_expression(p))
                return -1;
            return error_range(p, NULL, span_from(p, tok_pos(&kw)), "cannot assign to %s",
                               lx_kind_text(kw.kind)), -1;
        }
        return parse_keyword_arg(p, ca);
    }
    return parse_positional_arg(p, ca, ca->args.n, closer);
}

/* Arguments up to and including closer. */
static int parse_call_args(parser *p, call_args *ca, lx_kind closer)
{
    vec_init(&ca->args, sizeof(ast_expr *));
    vec_init(&ca->kws, sizeof(ast_keyword));
    ca->seen_kw = ca->seen_dstar = false;
    while (!p->failed && !accept(p, closer)) {
        if (parse_one_arg(p, ca, closer) < 0)
            return -1;
        if (accept(p, closer))
            break;
        if (!accept(p, TK_COMMA)) {
            ast_expr **a = (ast_expr **)ca->args.data;
            if (ca->args.n)
                maybe_forgot_comma(p, a[ca->args.n - 1]);
            else
                invalid_syntax(p);
            return -1;
        }
    }
    return p->failed ? -1 : 0;
}

static ast_expr *parse_call(parser *p, ast_expr *func)
{
    advance(p);
    call_args ca;
    if (parse_call_args(p, &ca, TK_RPAR) < 0)
        return NULL;
    ast_expr *e = new_expr(p, E_CALL, span_from(p, func->pos));
    if (!e)
        return NULL;
    e->v.call.func = func;
    e->v.call.args = to_exprs(&ca.args);
    e->v.call.kws = (ast_keyword *)ca.kws.data;
    e->v.call.nkws = ca.kws.n;
    return e;
}

/* slice: [expression] ':' [expression] [':' [expression]] | named_expression */
static ast_expr *parse_slice(parser *p)
{
    ast_pos start = tok_pos(cur(p));
    ast_expr *lower = NULL, *upper = NULL, *step = NULL;
    if (!at(p, TK_COLON)) {
        if (at(p, TK_STAR)) {
            lx_token star = advance(p);
            ast_expr *v = parse_bitwise_or(p);
            if (!v)
                return NULL;
            ast_expr *s = new_expr(p, E_STARRED, span_from(p, tok_pos(&star)));
            if (s)
                s->v.starred.value = v;
            return s;
        }
        lower = parse_named_expression(p);
        if (!lower || !at(p, TK_COLON))
            return lower;
    }
    advance(p);
    if (!at(p, TK_COLON) && !at(p, TK_RSQB) && !at(p, TK_COMMA) && !(upper = parse_expression(p)))
        return NULL;
    if (accept(p, TK_COLON) && !at(p, TK_RSQB) && !at(p, TK_COMMA) && !(step = parse_expression(p)))
        return NULL;
    if (p->failed)
        return NULL;
    ast_expr *e = new_expr(p, E_SLICE, span_from(p, start));
    if (e) {
        e->v.slice.lower = lower;
        e->v.slice.upper = upper;
        e->v.slice.step = step;
    }
    return e;
}

static ast_expr *parse_subscript(parser *p, ast_expr *value)
{
    advance(p);
    ast_pos start = tok_pos(cur(p));
    ast_expr *first = parse_slice(p);
    if (!first)
        return NULL;
    ast_expr *index = first;
    if (at(p, TK_COMMA)) {
        vec v;
        vec_init(&v, sizeof(ast_expr *));
        if (push_ptr(p, &v, first) < 0)
            return NULL;
        while (accept(p, TK_COMMA) && !at(p, TK_RSQB)) {
            ast_expr *e = parse_slice(p);
            if (!e || push_ptr(p, &v, e) < 0)
                return NULL;
        }
        if (!(index = new_expr(p, E_TUPLE, span_from(p, start))))
            return NULL;
        index->v.seq.elts = to_exprs(&v);
    } else if (first->kind == E_STARRED) {
        return invalid_syntax(p);
    }
    if (!expect(p, TK_RSQB))
        return NULL;
    ast_expr *e = new_expr(p, E_SUBSCRIPT, span_from(p, value->pos));
    if (e) {
        e->v.subscript.value = value;
        e->v.subscript.slice = index;
    }
    return e;
}

static ast_expr *parse_attribute(parser *p, ast_expr *value)
{
    advance(p);
    if (!at(p, TK_NAME))
        return invalid_syntax(p);
    lx_token name = advance(p);
    ast_expr *e = new_expr(p, E_ATTRIBUTE, span_from(p, value->pos));
    if (e) {
        e->v.attribute.value = value;
        if (!(e->v.attribute.attr = intern_tok(p, &name)))
            return NULL;
    }
    return e;
}

static ast_expr *parse_primary(parser *p)
{
    ast_expr *e = parse_atom(p);
    while (e && !p->failed) {
        switch (kind(p)) {
        case TK_DOT: e = parse_attribute(p, e); break;
        case TK_LPAR: e = parse_call(p, e); break;
        case TK_LSQB: e = parse_subscript(p, e); break;
        default: return e;
        }
    }
    return p->failed ? NULL : e;
}

/* --- operators --------------------------------------------------------------------------- */

static ast_expr *binop(parser *p, ast_expr *l, int op, ast_expr *r)
{
    ast_expr *e = new_expr(p, E_BINOP, (ast_pos){l->pos.lineno, l->pos.col, r->pos.end_lineno, r->pos.end_col});
    if (e) {
        e->v.binop.left = l;
        e->v.binop.right = r;
        e->v.binop.op = op;
    }
    return e;
}

static ast_expr *parse_factor(parser *p);

/* power: primary ['**' factor] */
static ast_expr *parse_power(parser *p)
{
    ast_expr *l = parse_primary(p);
    if (!l || !accept(p, TK_DOUBLESTAR))
        return l;
    ast_expr *r = parse_factor(p);
    return r ? binop(p, l, PY_NB_POWER, r) : NULL;
}

static ast_expr *parse_factor(parser *p)
{
    ast_unop op;
    switch (kind(p)) {
    case TK_PLUS: op = UOP_POS; break;
    case TK_MINUS: op = UOP_NEG; break;
    case TK_TILDE: op = UOP_INVERT; break;
    default: return parse_power(p);
    }
    if (!enter(p))
        return NULL;
    lx_token t = advance(p);
    ast_expr *operand = parse_factor(p);
    leave(p);
    if (!operand)
        return NULL;
    ast_expr *e = new_expr(p, E_UNARYOP, span_from(p, tok_pos(&t)));
    if (e) {
        e->v.unary.op = op;
        e->v.unary.operand = operand;
    }
    return e;
}

/* One precedence level of left-associative binary operators. */
typedef struct binlevel { lx_kind tok; int op; } binlevel;

static const binlevel term_ops[] = {
    {TK_STAR, PY_NB_MULTIPLY}, {TK_SLASH, PY_NB_TRUE_DIVIDE}, {TK_DOUBLESLASH, PY_NB_FLOOR_DIVIDE},
    {TK_PERCENT, PY_NB_REMAINDER}, {TK_AT, PY_NB_MATRIX_MULTIPLY}, {TK_ENDMARKER, 0}};
static const binlevel sum_ops[] = {{TK_PLUS, PY_NB_ADD}, {TK_MINUS, PY_NB_SUBTRACT}, {TK_ENDMARKER, 0}};
static const binlevel shift_ops[] = {{TK_LEFTSHIFT, PY_NB_LSHIFT}, {TK_RIGHTSHIFT, PY_NB_RSHIFT}, {TK_ENDMARKER, 0}};
static const binlevel and_ops[] = {{TK_AMPER, PY_NB_AND}, {TK_ENDMARKER, 0}};
static const binlevel xor_ops[] = {{TK_CIRCUMFLEX, PY_NB_XOR}, {TK_ENDMARKER, 0}};
static const binlevel or_ops[] = {{TK_VBAR, PY_NB_OR}, {TK_ENDMARKER, 0}};

static const binlevel *const levels[] = {or_ops, xor_ops, and_ops, shift_ops, sum_ops, term_ops};
#define NLEVELS ((int)(sizeof levels / sizeof *levels))

static int match_level(parser *p, const binlevel *ops)
{
    lx_kind k = kind(p);
    for (int i = 0; ops[i].tok != TK_ENDMARKER; i++)
        if (ops[i].tok == k)
            return ops[i].op;
    return -1;
}

static ast_expr *parse_level(parser *p, int level)
{
    if (level == NLEVELS)
        return parse_factor(p);
    ast_expr *l = parse_level(p, level + 1);
    int op;
    while (l && (op = match_level(p, levels[level])) >= 0) {
        advance(p);
        ast_expr *r = parse_level(p, level + 1);
        if (!r)
            return NULL;
        l = binop(p, l, op, r);
    }
    return l;
}

static ast_expr *parse_bitwise_or(parser *p) { return parse_level(p, 0); }

static int compare_op(parser *p, ast_cmpop *op)
{
    switch (kind(p)) {
    case TK_LESS: *op = CMP_LT; break;
    case TK_LESSEQUAL: *op = CMP_LE; break;
    case TK_EQEQUAL: *op = CMP_EQ; break;
    case TK_NOTEQUAL: *op = CMP_NE; break;
    case TK_GREATER: *op = CMP_GT; break;
    case TK_GREATEREQUAL: *op = CMP_GE; break;
    case KW_IN: *op = CMP_IN; break;
    case KW_IS:
        advance(p);
        *op = accept(p, KW_NOT) ? CMP_ISNOT : CMP_IS;
        return 1;
    case KW_NOT:
        if (peek_at(p, 1)->kind != KW_IN)
            return 0;
        advance(p);
        *op = CMP_NOTIN;
        break;
    default:
        return 0;
    }
    advance(p);
    return 1;
}

static ast_expr *parse_comparison(parser *p)
{
    ast_expr *l = parse_bitwise_or(p);
    if (!l)
        return NULL;
    vec ops, rights;
    vec_init(&ops, sizeof(ast_cmpop));
    vec_init(&rights, sizeof(ast_expr *));
    ast_cmpop op;
    while (compare_op(p, &op)) {
        ast_cmpop *slot = vec_push(p, &ops);
        ast_expr *r = slot ? parse_bitwise_or(p) : NULL;
        if (!r || push_ptr(p, &rights, r) < 0)
            return NULL;
        *slot = op;
    }
    if (ops.n == 0)
        return l;
    ast_expr *e = new_expr(p, E_COMPARE, span_from(p, l->pos));
    if (e) {
        e->v.compare.left = l;
        e->v.compare.ops = (ast_cmpop *)ops.data;
        e->v.compare.comparators = to_exprs(&rights);
    }
    return e;
}

static ast_expr *parse_inversion(parser *p)
{
    if (!at(p, KW_NOT))
        return parse_comparison(p);
    if (!enter(p))
        return NULL;
    lx_token t = advance(p);
    ast_expr *operand = parse_inversion(p);
    leave(p);
    if (!operand)
        return NULL;
    ast_expr *e = new_expr(p, E_UNARYOP, span_from(p, tok_pos(&t)));
    if (e) {
        e->v.unary.op = UOP_NOT;
        e->v.unary.operand = operand;
    }
    return e;
}

static ast_expr *parse_boolop(parser *p, bool is_or)
{
    ast_expr *first = is_or ? parse_boolop(p, false) : parse_inversion(p);
    lx_kind k = is_or ? KW_OR : KW_AND;
    if (!first || !at(p, k))
        return first;
    vec v;
    vec_init(&v, sizeof(ast_expr *));
    if (push_ptr(p, &v, first) < 0)
        return NULL;
    while (accept(p, k)) {
        ast_expr *e = is_or ? parse_boolop(p, false) : parse_inversion(p);
        if (!e || push_ptr(p, &v, e) < 0)
            return NULL;
    }
    ast_expr *e = new_expr(p, E_BOOLOP, span_from(p, first->pos));
    if (e) {
        e->v.boolop.is_or = is_or;
        e->v.boolop.values = to_exprs(&v);
    }
    return e;
}

static ast_expr *parse_disjunction(parser *p) { return parse_boolop(p, true); }

static ast_expr *parse_lambda(parser *p)
{
    lx_token t = advance(p);
    ast_args *args = parse_params(p, true);
    if (!args || !expect_colon(p))
        return NULL;
    ast_expr *body = parse_expression(p);
    if (!body)
        return NULL;
    ast_expr *e = new_expr(p, E_LAMBDA, span_from(p, tok_pos(&t)));
    if (e) {
        e->v.lambda.args = args;
        e->v.lambda.body = body;
    }
    return e;
}

/* expression: disjunction ['if' disjunction 'else' expression] | lambdef */
static ast_expr *parse_expression(parser *p)
{
    if (!enter(p))
        return NULL;
    ast_expr *e;
    if (at(p, KW_LAMBDA)) {
        e = parse_lambda(p);
    } else {
        e = parse_disjunction(p);
        if (e && at(p, KW_IF)) {
            advance(p);
            ast_expr *test = parse_disjunction(p);
            if (test && !at(p, KW_ELSE)) {
                leave(p);
                return error_range(p, NULL, span_from(p, e->pos), "expected 'else' after 'if' expression");
            }
            ast_expr *orelse = test && accept(p, KW_ELSE) ? parse_expression(p) : NULL;
            ast_expr *body = e;
            e = orelse ? new_expr(p, E_IFEXP, span_from(p, body->pos)) : NULL;
            if (e) {
                e->v.ifexp.test = test;
                e->v.ifexp.body = body;
                e->v.ifexp.orelse = orelse;
            }
        }
    }
    leave(p);
    return e;
}

static ast_expr *parse_named_expression(parser *p)
{
    if (at(p, TK_NAME) && peek_at(p, 1)->kind == TK_COLONEQUAL) {
        lx_token name = advance(p);
        advance(p);
        ast_expr *target = name_expr(p, &name);
        ast_expr *value = target ? parse_expression(p) : NULL;
        if (!value)
            return NULL;
        target->ctx = CTX_STORE;
        ast_expr *e = new_expr(p, E_NAMEDEXPR, span_from(p, target->pos));
        if (e) {
            e->v.named.target = target;
            e->v.named.value = value;
        }
        return e;
    }
    ast_expr *e = parse_expression(p);
    if (e && at(p, TK_COLONEQUAL))
        return error_range(p, NULL, e->pos, "cannot use assignment expressions with %s", ast_expr_name(e));
    return e;
}

static ast_expr *parse_starred(parser *p)
{
    lx_token star = advance(p);
    ast_expr *v = parse_bitwise_or(p);
    if (!v)
        return NULL;
    ast_expr *s = new_expr(p, E_STARRED, span_from(p, tok_pos(&star)));
    if (s)
        s->v.starred.value = v;
    return s;
}

static ast_expr *parse_star_named_expression(parser *p)
{
    return at(p, TK_STAR) ? parse_starred(p) : parse_named_expression(p);
}

static bool ends_expression_list(lx_kind k)
{
    switch (k) {
    case TK_NEWLINE: case TK_ENDMARKER: case TK_SEMI: case TK_EQUAL: case TK_RPAR: case TK_RSQB:
    case TK_RBRACE: case TK_COLON: case KW_IN: case TK_PLUSEQUAL: case TK_MINEQUAL:
    case TK_STAREQUAL: case TK_SLASHEQUAL: case TK_PERCENTEQUAL: case TK_AMPEREQUAL:
    case TK_VBAREQUAL: case TK_CIRCUMFLEXEQUAL: case TK_LEFTSHIFTEQUAL: case TK_RIGHTSHIFTEQUAL:
    case TK_DOUBLESTAREQUAL: case TK_DOUBLESLASHEQUAL: case TK_ATEQUAL: case TK_EXCLAMATION:
        return true;
    default:
        return false;
    }
}

/* star_expressions: a bare tuple when there is a comma. */
static ast_expr *parse_star_expressions(parser *p)
{
    ast_pos start = tok_pos(cur(p));
    ast_expr *first = at(p, TK_STAR) ? parse_starred(p) : parse_expression(p);
    if (!first || !at(p, TK_COMMA))
        return first;
    vec v;
    vec_init(&v, sizeof(ast_expr *));
    if (push_ptr(p, &v, first) < 0)
        return NULL;
    while (accept(p, TK_COMMA) && !ends_expression_list(kind(p))) {
        ast_expr *e = at(p, TK_STAR) ? parse_starred(p) : parse_expression(p);
        if (!e || push_ptr(p, &v, e) < 0)
            return NULL;
    }
    if (p->failed)
        return NULL;
    ast_expr *t = new_expr(p, E_TUPLE, span_from(p, start));
    if (t)
        t->v.seq.elts = to_exprs(&v);
    return t;
}

static ast_expr *parse_yield_expr(parser *p)
{
    lx_token t = advance(p);
    ast_pos start = tok_pos(&t);
    if (accept(p, KW_FROM)) {
        ast_expr *v = parse_expression(p);
        ast_expr *e = v ? new_expr(p, E_YIELDFROM, span_from(p, start)) : NULL;
        if (e)
            e->v.yield.value = v;
        return e;
    }
    ast_expr *v = NULL;
    if (!ends_expression_list(kind(p)) && !(v = parse_star_expressions(p)))
        return NULL;
    ast_expr *e = new_expr(p, E_YIELD, span_from(p, start));
    if (e)
        e->v.yield.value = v;
    return e;
}

/* --- targets ---------------------------------------------------------------------------- */

static ast_expr *parse_star_target(parser *p)
{
    if (at(p, TK_STAR)) {
        lx_token star = advance(p);
        if (!enter(p))
            return NULL;
        ast_expr *v = parse_star_target(p);
        leave(p);
        if (!v)
            return NULL;
        ast_expr *s = new_expr(p, E_STARRED, span_from(p, tok_pos(&star)));
        if (s)
            s->v.starred.value = v;
        return s;
    }
    return parse_bitwise_or(p);
}

/* star_targets for `for` and comprehensions: stops before `in`. */
static ast_expr *parse_star_targets(parser *p, ast_ctx ctx)
{
    ast_pos start = tok_pos(cur(p));
    ast_expr *first = parse_star_target(p);
    if (!first)
        return NULL;
    ast_expr *target = first;
    if (at(p, TK_COMMA)) {
        vec v;
        vec_init(&v, sizeof(ast_expr *));
        if (push_ptr(p, &v, first) < 0)
            return NULL;
        while (accept(p, TK_COMMA) && !at(p, KW_IN) && !at(p, TK_EQUAL) && !at(p, TK_COLON)) {
            ast_expr *e = parse_star_target(p);
            if (!e || push_ptr(p, &v, e) < 0)
                return NULL;
        }
        if (!(target = new_expr(p, E_TUPLE, span_from(p, start))))
            return NULL;
        target->v.seq.elts = to_exprs(&v);
    }
    if (set_context(p, target, ctx) < 0)
        return NULL;
    return target;
}

static int set_context(parser *p, ast_expr *e, ast_ctx ctx)
{
    const char *verb = ctx == CTX_DEL ? "delete" : "assign to";
    switch (e->kind) {
    case E_NAME:
        if (ctx != CTX_LOAD && strcmp(e->v.name.id, "__debug__") == 0)
            return error_range(p, NULL, e->pos, "cannot %s __debug__", verb), -1;
        break;
    case E_ATTRIBUTE:
    case E_SUBSCRIPT:
        break;
    case E_STARRED:
        if (ctx == CTX_DEL)
            return error_range(p, NULL, e->pos, "cannot delete starred"), -1;
        if (set_context(p, e->v.starred.value, ctx) < 0)
            return -1;
        break;
    case E_TUPLE:
    case E_LIST:
        for (int i = 0; i < e->v.seq.elts.n; i++)
            if (set_context(p, e->v.seq.elts.items[i], ctx) < 0)
                return -1;
        break;
    default:
        if ((e->kind == E_YIELD || e->kind == E_YIELDFROM) && ctx == CTX_STORE)
            return error_range(p, NULL, e->pos, "assignment to yield expression not possible"), -1;
        return error_range(p, NULL, e->pos, "cannot %s %s", verb, ast_expr_name(e)), -1;
    }
    e->ctx = ctx;
    return 0;
}

/* --- strings ------------------------------------------------------------------------------ */

typedef struct strbuf { char *data; size_t n, cap; } strbuf;

static int sb_add(parser *p, strbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *d = tl_heap_realloc(vm.heap, b->data, cap);
        if (!d) {
            py_err_no_memory();
            p->failed = true;
            return -1;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->n, s, n);
    b->n += n;
    return 0;
}

static int sb_add_utf8(parser *p, strbuf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) { u[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { u[0] = (char)(0xC0 | cp >> 6); u[1] = (char)(0x80 | (cp & 63)); n = 2; }
    else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12); u[1] = (char)(0x80 | ((cp >> 6) & 63));
        u[2] = (char)(0x80 | (cp & 63)); n = 3;
    } else {
        u[0] = (char)(0xF0 | cp >> 18); u[1] = (char)(0x80 | ((cp >> 12) & 63));
        u[2] = (char)(0x80 | ((cp >> 6) & 63)); u[3] = (char)(0x80 | (cp & 63)); n = 4;
    }
    return sb_add(p, b, u, n);
}

typedef struct str_token {
    lx_token tok;
    bool raw, bytes, fstr;
    const char *body, *body_end; /* between the quotes */
} str_token;

static void split_string(const lx_token *t, str_token *st)
{
    const char *s = t->start, *e = t->start + t->len;
    st->tok = *t;
    st->raw = st->bytes = st->fstr = false;
    while (*s != '"' && *s != '\'') {
        char c = (char)(*s | 32);
        st->raw |= c == 'r';
        st->bytes |= c == 'b';
        st->fstr |= c == 'f';
        s++;
    }
    size_t q = (s + 2 < e && s[1] == s[0] && s[2] == s[0] && e - s >= 6) ? 3 : 1;
    st->body = s + q;
    st->body_end = e - q;
}

static int unicode_error(parser *p, const str_token *st, const char *what, size_t from, size_t to)
{
    error_range(p, NULL, tok_pos(&st->tok), "(unicode error) 'unicodeescape' codec can't decode "
                "bytes in position %zu-%zu: %s", from, to, what);
    return -1;
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c |= 32;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* One escape at s (after the backslash): appends its value; returns bytes used. */
static int decode_escape(parser *p, const str_token *st, const char *s, const char *e, strbuf *b, size_t off)
{
    char c = *s;
    static const char simple_from[] = "\\'\"abfnrtv", simple_to[] = "\\'\"\a\b\f\n\r\t\v";
    const char *k = c ? strchr(simple_from, c) : NULL;
    if (k)
        return sb_add(p, b, &simple_to[k - simple_from], 1) < 0 ? -1 : 1;
    if (c == '\n')
        return 1;
    if (c == '\r')
        return s + 1 < e && s[1] == '\n' ? 2 : 1;
    if (c >= '0' && c <= '7') {
        int v = 0, n = 0;
        while (n < 3 && s + n < e && s[n] >= '0' && s[n] <= '7')
            v = v * 8 + (s[n++] - '0');
        if (st->bytes) {
            char ch = (char)(v & 0xFF);
            return sb_add(p, b, &ch, 1) < 0 ? -1 : n;
        }
        return sb_add_utf8(p, b, (uint32_t)v) < 0 ? -1 : n;
    }
    int digits = c == 'x' ? 2 : (!st->bytes && c == 'u') ? 4 : (!st->bytes && c == 'U') ? 8 : 0;
    if (digits) {
        uint32_t v = 0;
        for (int i = 1; i <= digits; i++) {
            int h = s + i < e ? hex_value((unsigned char)s[i]) : -1;
            if (h < 0) {
                const char *what = c == 'x' ? "truncated \\xXX escape" : c == 'u' ?
                    "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape";
                return unicode_error(p, st, what, off, off + (size_t)i);
            }
            v = v * 16 + (uint32_t)h;
        }
        if (v > 0x10FFFF)
            return unicode_error(p, st, "illegal Unicode character", off, off + (size_t)digits + 1);
        if (st->bytes) {
            char ch = (char)v;
            return sb_add(p, b, &ch, 1) < 0 ? -1 : digits + 1;
        }
        return sb_add_utf8(p, b, v) < 0 ? -1 : digits + 1;
    }
    if (!st->bytes && c == 'N') {
        const char *close = memchr(s, '}', (size_t)(e - s));
        size_t to = close ? off + (size_t)(close - s) + 1 : off + 1;
        return unicode_error(p, st, "unknown Unicode character name", off, to);
    }
    /* an unknown escape keeps its backslash */
    return sb_add(p, b, s - 1, 1) < 0 ? -1 : 0;
}

/* Decodes s[0..n) of a literal's body into b. */
static int decode_text(parser *p, const str_token *st, const char *s, const char *e, strbuf *b)
{
    const char *run = s;
    while (s < e) {
        if (st->bytes && (unsigned char)*s >= 0x80) {
            error_range(p, NULL, tok_pos(&st->tok), "bytes can only contain ASCII literal characters");
            return -1;
        }
        if (*s == '\r') {
            /* source newlines read as \n, as CPython's universal newlines */
            if (sb_add(p, b, run, (size_t)(s - run)) < 0 || sb_add(p, b, "\n", 1) < 0)
                return -1;
            s += s + 1 < e && s[1] == '\n' ? 2 : 1;
            run = s;
            continue;
        }
        if (*s != '\\' || st->raw) {
            s++;
            continue;
        }
        if (sb_add(p, b, run, (size_t)(s - run)) < 0)
            return -1;
        s++;
        if (s >= e)
            break;
        int used = decode_escape(p, st, s, e, b, (size_t)(s - 1 - st->body));
        if (used < 0)
            return -1;
        s += used;
        run = s;
    }
    return sb_add(p, b, run, (size_t)(s - run));
}

/* The values of an implicitly concatenated string: literal text pending in
 * lit, finished parts (Constant and FormattedValue nodes) in parts. */
typedef struct strparts {
    strbuf lit;
    vec parts;
    bool any_f;
    ast_pos pos;                 /* of the whole sequence of tokens */
} strparts;

static ast_expr *str_constant(parser *p, const char *s, size_t n, ast_pos pos, ast_const_kind k)
{
    char *copy = ast_alloc(p->A, n + 1);
    if (!copy) {
        p->failed = true;
        return NULL;
    }
    memcpy(copy, s, n);
    ast_expr *e = new_expr(p, E_CONSTANT, pos);
    if (e) {
        e->v.constant.ckind = k;
        e->v.constant.s = copy;
        e->v.constant.len = n;
    }
    return e;
}

static int flush_literal(parser *p, strparts *sp)
{
    if (sp->lit.n == 0)
        return 0;
    ast_expr *c = str_constant(p, sp->lit.data, sp->lit.n, sp->pos, C_STR);
    sp->lit.n = 0;
    return c ? push_ptr(p, &sp->parts, c) : -1;
}

static int parse_fstring_body(parser *p, const str_token *st, const char **sp_, const char *e,
                              strparts *sp, int nest, bool in_spec);

/* End of an f-string replacement field's expression: the first !, :, = or }
 * outside brackets and strings. */
static const char *scan_fexpr(parser *p, const str_token *st, const char *s, const char *e)
{
    int depth = 0;
    while (s < e) {
        char c = *s;
        if (c == '\\') {
            error_range(p, NULL, tok_pos(&st->tok), "f-string expression part cannot include a backslash");
            return NULL;
        }
        if (c == '#') {
            error_range(p, NULL, tok_pos(&st->tok), "f-string expression part cannot include '#'");
            return NULL;
        }
        if (c == '\'' || c == '"') {
            const char *q = s + 1;
            while (q < e && *q != c)
                q++;
            if (q >= e)
                break;
            s = q + 1;
            continue;
        }
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || (c == '}' && depth > 0))
            depth--;
        else if (depth == 0) {
            if (c == '}' || c == ':')
                return s;
            if (c == '!' && !(s + 1 < e && s[1] == '='))
                return s;
            if (c == '=' && !(s + 1 < e && s[1] == '=') && !strchr("=!<>", s[-1]))
                return s;
        }
        if (c == '=' && s + 1 < e && s[1] == '=')
            s++;
        s++;
    }
    error_range(p, NULL, tok_pos(&st->tok), "f-string: expecting '}'");
    return NULL;
}

static ast_expr *parse_fexpr_text(parser *p, const str_token *st, const char *s, const char *e, int nest);

static int fstring_conversion(parser *p, const str_token *st, const char **s, const char *e)
{
    if (*s >= e || **s != '!')
        return -1;
    (*s)++;
    if (*s >= e || !strchr("sra", **s) || **s == 0) {
        error_range(p, NULL, tok_pos(&st->tok), *s >= e || **s == '}' || **s == ':'
                    ? "f-string: missing conversion character"
                    : "f-string: invalid conversion character: expected 's', 'r', or 'a'");
        return -2;
    }
    return *(*s)++;
}

/* A replacement field at *s (just after '{'). */
static int parse_fstring_field(parser *p, const str_token *st, const char **sp_, const char *e,
                               strparts *sp, int nest)
{
    const char *s = *sp_;
    const char *x = scan_fexpr(p, st, s, e);
    if (!x)
        return -1;
    ast_expr *value = parse_fexpr_text(p, st, s, x, nest);
    if (!value)
        return -1;
    bool debug = *x == '=';
    if (debug) {
        x++;
        while (x < e && (*x == ' ' || *x == '\t'))
            x++;
        if (sb_add(p, &sp->lit, s, (size_t)(x - s)) < 0)
            return -1;
    }
    if (flush_literal(p, sp) < 0)
        return -1;
    int conv = fstring_conversion(p, st, &x, e);
    if (conv == -2)
        return -1;
    ast_expr *spec = NULL;
    if (x < e && *x == ':') {
        x++;
        if (nest + 1 >= FSTRING_MAX_NEST + 1) {
            error_range(p, NULL, tok_pos(&st->tok), "f-string: expressions nested too deeply");
            return -1;
        }
        strparts inner = {{0}, {0}, true, sp->pos};
        vec_init(&inner.parts, sizeof(ast_expr *));
        int r = parse_fstring_body(p, st, &x, e, &inner, nest + 1, true);
        if (r == 0 && flush_literal(p, &inner) < 0)
            r = -1;
        tl_heap_free(inner.lit.data);
        if (r < 0 || !(spec = new_expr(p, E_JOINEDSTR, sp->pos)))
            return -1;
        spec->v.joined.values = to_exprs(&inner.parts);
    }
    if (x >= e || *x != '}') {
        error_range(p, NULL, tok_pos(&st->tok), "f-string: expecting '}'");
        return -1;
    }
    *sp_ = x + 1;
    if (debug && conv < 0 && !spec)
        conv = 'r';
    ast_expr *fv = new_expr(p, E_FORMATTED, sp->pos);
    if (!fv)
        return -1;
    fv->v.formatted.value = value;
    fv->v.formatted.conversion = conv;
    fv->v.formatted.spec = spec;
    return push_ptr(p, &sp->parts, fv);
}

/* Literal text and fields from *s; in a format spec, stops at the closing '}'. */
static int parse_fstring_body(parser *p, const str_token *st, const char **sp_, const char *e,
                              strparts *sp, int nest, bool in_spec)
{
    const char *s = *sp_;
    while (s < e) {
        const char *run = s;
        while (s < e && *s != '{' && *s != '}')
            s++;
        if (decode_text(p, st, run, s, &sp->lit) < 0)
            return -1;
        if (s >= e)
            break;
        if (in_spec && *s == '}')
            break;
        if (s + 1 < e && s[1] == *s && !in_spec) {
            if (sb_add(p, &sp->lit, s, 1) < 0)
                return -1;
            s += 2;
            continue;
        }
        if (*s == '}') {
            error_range(p, NULL, tok_pos(&st->tok), "f-string: single '}' is not allowed");
            return -1;
        }
        s++;
        if (parse_fstring_field(p, st, &s, e, sp, nest) < 0)
            return -1;
    }
    *sp_ = s;
    return 0;
}

static int add_string_token(parser *p, const str_token *st, strparts *sp)
{
    if (!st->fstr)
        return decode_text(p, st, st->body, st->body_end, &sp->lit);
    sp->any_f = true;
    const char *s = st->body;
    return parse_fstring_body(p, st, &s, st->body_end, sp, p->fnest, false);
}

static ast_expr *finish_strings(parser *p, strparts *sp, bool bytes)
{
    if (!sp->any_f)
        return str_constant(p, sp->lit.data ? sp->lit.data : "", sp->lit.n, sp->pos,
                            bytes ? C_BYTES : C_STR);
    if (flush_literal(p, sp) < 0)
        return NULL;
    ast_expr *j = new_expr(p, E_JOINEDSTR, sp->pos);
    if (j)
        j->v.joined.values = to_exprs(&sp->parts);
    return j;
}

static ast_expr *parse_strings(parser *p)
{
    strparts sp = {{0}, {0}, false, tok_pos(cur(p))};
    vec_init(&sp.parts, sizeof(ast_expr *));
    bool first = true, bytes = false;
    ast_expr *result = NULL;
    while (at(p, TK_STRING) && !p->failed) {
        lx_token t = advance(p);
        str_token st;
        split_string(&t, &st);
        if (!first && st.bytes != bytes) {
            error_range(p, NULL, span_from(p, sp.pos), "cannot mix bytes and nonbytes literals");
            goto done;
        }
        first = false;
        bytes = st.bytes;
        sp.pos = span_from(p, sp.pos);
        if (add_string_token(p, &st, &sp) < 0)
            goto done;
    }
    if (!p->failed)
        result = finish_strings(p, &sp, bytes);
done:
    tl_heap_free(sp.lit.data);
    return p->failed ? NULL : result;
}

/* --- the nested parser for f-string expressions --------------------------------------- */

static void parser_init(parser *p, ast_arena *A, const char *filename, const char *buf, const char *buf_end)
{
    memset(p, 0, sizeof *p);
    p->A = A;
    p->filename = filename;
    p->buf = buf;
    p->buf_end = buf_end;
}

static ast_expr *parse_fexpr_text(parser *p, const str_token *st, const char *s, const char *e, int nest)
{
    const char *q = s;
    while (q < e && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' || *q == '\f'))
        q++;
    if (q == e) {
        error_range(p, NULL, tok_pos(&st->tok), "f-string: empty expression not allowed");
        return NULL;
    }
    int lineno = st->tok.lineno;
    const char *ls = st->tok.start - st->tok.col;
    for (const char *c = st->tok.start; c < s; c++)
        if (*c == '\n') {
            lineno++;
            ls = c + 1;
        }
    parser sub;
    parser_init(&sub, p->A, p->filename, p->buf, p->buf_end);
    sub.fnest = nest + 1;
    sub.depth = p->depth;
    sub.errprefix = "f-string: ";
    lx_init_at(&sub.lx, s, (size_t)(e - s), p->filename, p->buf, p->buf_end, ls, lineno, true);
    ast_expr *r = at(&sub, KW_YIELD) ? parse_yield_expr(&sub) : parse_star_expressions(&sub);
    if (r && !at(&sub, TK_ENDMARKER))
        r = invalid_syntax(&sub);
    tl_heap_free(sub.toks);
    if (!r)
        p->failed = true;
    return r;
}

/* --- parameters ---------------------------------------------------------------------------- */

typedef struct params {
    vec pos, kwonly, kwdefaults;  /* ast_arg, ast_arg, ast_expr* */
    vec defaults;                 /* ast_expr* */
    int nposonly;
    bool star_seen, slash_seen;
    ast_arg *vararg, *kwarg;
    ast_pos bare_star;
    bool bare;
} params;

static ast_arg *parse_arg(parser *p, bool lambda)
{
    if (!at(p, TK_NAME)) {
        invalid_syntax(p);
        return NULL;
    }
    lx_token name = advance(p);
    ast_arg *a = ast_alloc(p->A, sizeof *a);
    if (!a || !(a->name = intern_tok(p, &name))) {
        p->failed = true;
        return NULL;
    }
    if (!lambda && accept(p, TK_COLON) && !(a->annotation = parse_expression(p)))
        return NULL;
    a->pos = span_from(p, tok_pos(&name));
    return a;
}

static int param_slash(parser *p, params *ps)
{
    lx_token t = advance(p);
    if (ps->slash_seen)
        return error_range(p, NULL, tok_pos(&t), "/ may appear only once"), -1;
    if (ps->star_seen)
        return error_range(p, NULL, tok_pos(&t), "/ must be ahead of *"), -1;
    if (ps->pos.n == 0)
        return error_range(p, NULL, tok_pos(&t), "at least one argument must precede /"), -1;
    ps->slash_seen = true;
    ps->nposonly = ps->pos.n;
    return 0;
}

static int param_star(parser *p, params *ps, bool lambda, lx_kind closer)
{
    lx_token t = advance(p);
    if (ps->star_seen)
        return error_range(p, NULL, tok_pos(&t), "* argument may appear only once"), -1;
    ps->star_seen = true;
    if (at(p, TK_COMMA) || at(p, closer)) {
        ps->bare = true;
        ps->bare_star = tok_pos(&t);
        return 0;
    }
    ps->vararg = parse_arg(p, lambda);
    return ps->vararg ? 0 : -1;
}

static int param_plain(parser *p, params *ps, bool lambda)
{
    ast_arg *a = parse_arg(p, lambda);
    if (!a)
        return -1;
    ast_expr *def = NULL;
    if (accept(p, TK_EQUAL) && !(def = parse_expression(p)))
        return -1;
    if (ps->star_seen) {
        ast_arg *slot = vec_push(p, &ps->kwonly);
        if (!slot || push_ptr(p, &ps->kwdefaults, def) < 0)
            return -1;
        *slot = *a;
        return 0;
    }
    if (!def && ps->defaults.n > 0)
        return error_range(p, NULL, a->pos, "non-default argument follows default argument"), -1;
    ast_arg *slot = vec_push(p, &ps->pos);
    if (!slot || (def && push_ptr(p, &ps->defaults, def) < 0))
        return -1;
    *slot = *a;
    return 0;
}

static int parse_one_param(parser *p, params *ps, bool lambda, lx_kind closer)
{
    if (ps->kwarg)
        return error_range(p, NULL, tok_pos(cur(p)), "arguments cannot follow var-keyword argument"), -1;
    switch (kind(p)) {
    case TK_SLASH: return param_slash(p, ps);
    case TK_STAR: return param_star(p, ps, lambda, closer);
    case TK_DOUBLESTAR:
        advance(p);
        ps->kwarg = parse_arg(p, lambda);
        return ps->kwarg ? 0 : -1;
    default:
        return param_plain(p, ps, lambda);
    }
}

static ast_args *build_args(parser *p, params *ps)
{
    ast_args *a = ast_alloc(p->A, sizeof *a);
    if (!a) {
        p->failed = true;
        return NULL;
    }
    ast_arg *pos = (ast_arg *)ps->pos.data;
    a->posonly = pos;
    a->nposonly = ps->nposonly;
    a->args = pos + ps->nposonly;
    a->nargs = ps->pos.n - ps->nposonly;
    a->vararg = ps->vararg;
    a->kwonly = (ast_arg *)ps->kwonly.data;
    a->nkwonly = ps->kwonly.n;
    a->kw_defaults = (ast_expr **)ps->kwdefaults.data;
    a->kwarg = ps->kwarg;
    a->defaults = to_exprs(&ps->defaults);
    return a;
}

/* Parameters of def (after '(' up to and including ')') or lambda (up to ':'). */
static ast_args *parse_params(parser *p, bool lambda)
{
    lx_kind closer = lambda ? TK_COLON : TK_RPAR;
    params ps = {0};
    vec_init(&ps.pos, sizeof(ast_arg));
    vec_init(&ps.kwonly, sizeof(ast_arg));
    vec_init(&ps.kwdefaults, sizeof(ast_expr *));
    vec_init(&ps.defaults, sizeof(ast_expr *));
    while (!p->failed && !at(p, closer)) {
        if (parse_one_param(p, &ps, lambda, closer) < 0)
            return NULL;
        if (!at(p, closer) && !expect(p, TK_COMMA))
            return NULL;
    }
    if (p->failed)
        return NULL;
    if (ps.bare && ps.kwonly.n == 0)
        return error_range(p, NULL, ps.bare_star, "named arguments must follow bare *");
    if (!lambda)
        advance(p);
    return build_args(p, &ps);
}

/* --- simple statements ------------------------------------------------------------------------ */

static int augassign_op(lx_kind k)
{
    switch (k) {
    case TK_PLUSEQUAL: return PY_NB_ADD;
    case TK_MINEQUAL: return PY_NB_SUBTRACT;
    case TK_STAREQUAL: return PY_NB_MULTIPLY;
    case TK_SLASHEQUAL: return PY_NB_TRUE_DIVIDE;
    case TK_PERCENTEQUAL: return PY_NB_REMAINDER;
    case TK_AMPEREQUAL: return PY_NB_AND;
    case TK_VBAREQUAL: return PY_NB_OR;
    case TK_CIRCUMFLEXEQUAL: return PY_NB_XOR;
    case TK_LEFTSHIFTEQUAL: return PY_NB_LSHIFT;
    case TK_RIGHTSHIFTEQUAL: return PY_NB_RSHIFT;
    case TK_DOUBLESTAREQUAL: return PY_NB_POWER;
    case TK_DOUBLESLASHEQUAL: return PY_NB_FLOOR_DIVIDE;
    case TK_ATEQUAL: return PY_NB_MATRIX_MULTIPLY;
    default: return -1;
    }
}

static ast_expr *parse_rhs(parser *p)
{
    return at(p, KW_YIELD) ? parse_yield_expr(p) : parse_star_expressions(p);
}

static ast_stmt *parse_augassign(parser *p, ast_expr *target, int op, ast_pos start)
{
    if (target->kind != E_NAME && target->kind != E_ATTRIBUTE && target->kind != E_SUBSCRIPT)
        return error_range(p, NULL, target->pos, "'%s' is an illegal expression for augmented assignment",
                           ast_expr_name(target));
    advance(p);
    ast_expr *value = parse_rhs(p);
    if (!value)
        return NULL;
    target->ctx = CTX_STORE;
    ast_stmt *s = new_stmt(p, S_AUGASSIGN, span_from(p, start));
    if (s) {
        s->v.augassign.target = target;
        s->v.augassign.op = op;
        s->v.augassign.value = value;
    }
    return s;
}

static ast_stmt *parse_annassign(parser *p, ast_expr *target, ast_pos start, bool parenthesized)
{
    if (target->kind == E_TUPLE || target->kind == E_LIST)
        return error_range(p, NULL, target->pos, "only single target (not %s) can be annotated",
                           target->kind == E_TUPLE ? "tuple" : "list");
    if (target->kind != E_NAME && target->kind != E_ATTRIBUTE && target->kind != E_SUBSCRIPT)
        return error_range(p, NULL, target->pos, "illegal target for annotation");
    advance(p);
    ast_expr *ann = parse_expression(p);
    if (!ann || set_context(p, target, CTX_STORE) < 0)
        return NULL;
    ast_expr *value = NULL;
    if (accept(p, TK_EQUAL) && !(value = parse_rhs(p)))
        return NULL;
    ast_stmt *s = new_stmt(p, S_ANNASSIGN, span_from(p, start));
    if (s) {
        s->v.annassign.target = target;
        s->v.annassign.annotation = ann;
        s->v.annassign.value = value;
        s->v.annassign.simple = target->kind == E_NAME && !parenthesized;
    }
    return s;
}

static bool hint_target(const ast_expr *e)
{
    switch (e->kind) {
    case E_IFEXP: case E_BOOLOP: case E_LAMBDA: case E_GENEXP: case E_NAMEDEXPR:
    case E_YIELD: case E_YIELDFROM: case E_COMPARE:
        return false;
    case E_CONSTANT:
        return e->v.constant.ckind > C_FALSE;
    default:
        return true;
    }
}

/* The first target that cannot be assigned to, or NULL. */
static const ast_expr *invalid_target(const ast_expr *e)
{
    switch (e->kind) {
    case E_NAME: case E_ATTRIBUTE: case E_SUBSCRIPT:
        return NULL;
    case E_STARRED:
        return invalid_target(e->v.starred.value);
    case E_TUPLE: case E_LIST:
        for (int i = 0; i < e->v.seq.elts.n; i++) {
            const ast_expr *bad = invalid_target(e->v.seq.elts.items[i]);
            if (bad)
                return bad;
        }
        return NULL;
    default:
        return e;
    }
}

static int check_assign_targets(parser *p, vec *targets)
{
    ast_expr **t = (ast_expr **)targets->data;
    for (int i = 0; i < targets->n; i++) {
        const ast_expr *bad = invalid_target(t[i]);
        if (!bad)
            continue;
        if (targets->n == 1 && hint_target(bad) && !(bad->kind == E_CONSTANT && bad->v.constant.ckind <= C_FALSE))
            return error_range(p, NULL, bad->pos, "cannot assign to %s here. Maybe you meant '==' "
                               "instead of '='?", ast_expr_name(bad)), -1;
        if (bad->kind == E_YIELD || bad->kind == E_YIELDFROM)
            return error_range(p, NULL, bad->pos, "assignment to yield expression not possible"), -1;
        return error_range(p, NULL, bad->pos, "cannot assign to %s", ast_expr_name(bad)), -1;
    }
    for (int i = 0; i < targets->n; i++)
        if (set_context(p, t[i], CTX_STORE) < 0)
            return -1;
    return 0;
}

static ast_stmt *parse_assign(parser *p, ast_expr *first, ast_pos start)
{
    vec targets;
    vec_init(&targets, sizeof(ast_expr *));
    ast_expr *value = first;
    while (accept(p, TK_EQUAL)) {
        if (push_ptr(p, &targets, value) < 0 || !(value = parse_rhs(p)))
            return NULL;
    }
    if (check_assign_targets(p, &targets) < 0)
        return NULL;
    ast_stmt *s = new_stmt(p, S_ASSIGN, span_from(p, start));
    if (s) {
        s->v.assign.targets = to_exprs(&targets);
        s->v.assign.value = value;
    }
    return s;
}

static ast_stmt *parse_expr_stmt(parser *p)
{
    ast_pos start = tok_pos(cur(p));
    bool parenthesized = at(p, TK_LPAR);
    ast_expr *e = parse_rhs(p);
    if (!e)
        return NULL;
    int op = augassign_op(kind(p));
    if (op >= 0)
        return parse_augassign(p, e, op, start);
    if (at(p, TK_COLON))
        return parse_annassign(p, e, start, parenthesized);
    if (at(p, TK_EQUAL))
        return parse_assign(p, e, start);
    ast_stmt *s = new_stmt(p, S_EXPR, span_from(p, start));
    if (s)
        s->v.value.value = e;
    return s;
}

static ast_stmt *parse_return(parser *p)
{
    lx_token t = advance(p);
    ast_expr *v = NULL;
    if (!ends_expression_list(kind(p)) && !(v = parse_star_expressions(p)))
        return NULL;
    ast_stmt *s = new_stmt(p, S_RETURN, span_from(p, tok_pos(&t)));
    if (s)
        s->v.value.value = v;
    return s;
}

static ast_stmt *parse_raise(parser *p)
{
    lx_token t = advance(p);
    ast_expr *exc = NULL, *cause = NULL;
    if (!ends_expression_list(kind(p))) {
        if (!(exc = parse_expression(p)))
            return NULL;
        if (accept(p, KW_FROM) && !(cause = parse_expression(p)))
            return NULL;
    }
    ast_stmt *s = new_stmt(p, S_RAISE, span_from(p, tok_pos(&t)));
    if (s) {
        s->v.raise.exc = exc;
        s->v.raise.cause = cause;
    }
    return s;
}

static ast_stmt *parse_global(parser *p, ast_stmt_kind k)
{
    lx_token t = advance(p);
    vec names;
    vec_init(&names, sizeof(const char *));
    do {
        if (!at(p, TK_NAME))
            return invalid_syntax(p);
        lx_token n = advance(p);
        const char *id = intern_tok(p, &n);
        if (!id || push_ptr(p, &names, (void *)id) < 0)
            return NULL;
    } while (accept(p, TK_COMMA));
    ast_stmt *s = new_stmt(p, k, span_from(p, tok_pos(&t)));
    if (s) {
        s->v.global.names = (const char **)names.data;
        s->v.global.nnames = names.n;
    }
    return s;
}

static ast_stmt *parse_del(parser *p)
{
    lx_token t = advance(p);
    vec targets;
    vec_init(&targets, sizeof(ast_expr *));
    do {
        if (ends_expression_list(kind(p)) && targets.n)
            break;
        ast_expr *e = parse_bitwise_or(p);
        if (!e || set_context(p, e, CTX_DEL) < 0 || push_ptr(p, &targets, e) < 0)
            return NULL;
    } while (accept(p, TK_COMMA));
    ast_stmt *s = new_stmt(p, S_DELETE, span_from(p, tok_pos(&t)));
    if (s)
        s->v.del.targets = to_exprs(&targets);
    return s;
}

static ast_stmt *parse_assert(parser *p)
{
    lx_token t = advance(p);
    ast_expr *test = parse_expression(p), *msg = NULL;
    if (!test || (accept(p, TK_COMMA) && !(msg = parse_expression(p))))
        return NULL;
    ast_stmt *s = new_stmt(p, S_ASSERT, span_from(p, tok_pos(&t)));
    if (s) {
        s->v.assert_.test = test;
        s->v.assert_.msg = msg;
    }
    return s;
}

/* dotted_name: NAME ('.' NAME)*, interned whole. */
static const char *parse_dotted_name(parser *p)
{
    if (!at(p, TK_NAME))
        return invalid_syntax(p);
    const char *start = cur(p)->start;
    lx_token last = advance(p);
    while (at(p, TK_DOT)) {
        advance(p);
        if (!at(p, TK_NAME))
            return invalid_syntax(p);
        last = advance(p);
    }
    /* names separated by dots may have blanks between them: rebuild without them */
    strbuf b = {0};
    for (const char *c = start; c < last.start + last.len; c++)
        if (*c != ' ' && *c != '\t' && *c != '\\' && *c != '\n' && *c != '\r' && sb_add(p, &b, c, 1) < 0)
            return NULL;
    const char *id = ast_intern(p->A, b.data, b.n);
    tl_heap_free(b.data);
    if (!id)
        p->failed = true;
    return id;
}

static int parse_alias(parser *p, vec *v, bool dotted)
{
    ast_pos start = tok_pos(cur(p));
    const char *name;
    if (dotted) {
        name = parse_dotted_name(p);
    } else {
        if (!at(p, TK_NAME))
            return invalid_syntax(p), -1;
        lx_token t = advance(p);
        name = intern_tok(p, &t);
    }
    if (!name)
        return -1;
    const char *asname = NULL;
    if (accept(p, KW_AS)) {
        if (!at(p, TK_NAME))
            return invalid_syntax(p), -1;
        lx_token t = advance(p);
        if (!(asname = intern_tok(p, &t)))
            return -1;
    }
    ast_alias *a = vec_push(p, v);
    if (!a)
        return -1;
    *a = (ast_alias){name, asname, span_from(p, start)};
    return 0;
}

static ast_stmt *parse_import(parser *p)
{
    lx_token t = advance(p);
    vec v;
    vec_init(&v, sizeof(ast_alias));
    do {
        if (parse_alias(p, &v, true) < 0)
            return NULL;
    } while (accept(p, TK_COMMA));
    ast_stmt *s = new_stmt(p, S_IMPORT, span_from(p, tok_pos(&t)));
    if (s) {
        s->v.import.names = (ast_alias *)v.data;
        s->v.import.nnames = v.n;
    }
    return s;
}

static int parse_from_names(parser *p, vec *v)
{
    if (at(p, TK_STAR)) {
        lx_token star = advance(p);
        ast_alias *a = vec_push(p, v);
        const char *name = ast_intern(p->A, "*", 1);
        if (!a || !name)
            return p->failed = true, -1;
        *a = (ast_alias){name, NULL, tok_pos(&star)};
        return 0;
    }
    bool paren = accept(p, TK_LPAR);
    do {
        if (paren && at(p, TK_RPAR) && v->n)
            break;
        if (parse_alias(p, v, false) < 0)
            return -1;
    } while (accept(p, TK_COMMA));
    if (paren && !expect(p, TK_RPAR))
        return -1;
    if (!paren && v->n && p->toks[p->pos - 1].kind == TK_COMMA)
        return error_range(p, NULL, tok_pos(&p->toks[p->pos - 1]),
                           "trailing comma not allowed without surrounding parentheses"), -1;
    return 0;
}

static ast_stmt *parse_from_import(parser *p)
{
    lx_token t = advance(p);
    int level = 0;
    for (;;) {
        if (accept(p, TK_DOT)) level++;
        else if (accept(p, TK_ELLIPSIS)) level += 3;
        else break;
    }
    const char *module = NULL;
    if (!at(p, KW_IMPORT) || level == 0) {
        if (!(module = parse_dotted_name(p)))
            return NULL;
    }
    if (!expect(p, KW_IMPORT))
        return NULL;
    vec v;
    vec_init(&v, sizeof(ast_alias));
    if (parse_from_names(p, &v) < 0)
        return NULL;
    ast_stmt *s = new_stmt(p, S_IMPORTFROM, span_from(p, tok_pos(&t)));
    if (s) {
        s->v.import.names = (ast_alias *)v.data;
        s->v.import.nnames = v.n;
        s->v.import.module = module;
        s->v.import.level = level;
    }
    return s;
}

static ast_stmt *parse_simple_stmt(parser *p)
{
    const lx_token *t = cur(p);
    switch (t->kind) {
    case KW_PASS: case KW_BREAK: case KW_CONTINUE: {
        lx_token k = advance(p);
        return new_stmt(p, k.kind == KW_PASS ? S_PASS : k.kind == KW_BREAK ? S_BREAK : S_CONTINUE,
                        tok_pos(&k));
    }
    case KW_RETURN: return parse_return(p);
    case KW_RAISE: return parse_raise(p);
    case KW_GLOBAL: return parse_global(p, S_GLOBAL);
    case KW_NONLOCAL: return parse_global(p, S_NONLOCAL);
    case KW_DEL: return parse_del(p);
    case KW_ASSERT: return parse_assert(p);
    case KW_IMPORT: return parse_import(p);
    case KW_FROM: return parse_from_import(p);
    default: return parse_expr_stmt(p);
    }
}

/* Python 2's print statement gets CPython's hint. */
static void *print_statement_hint(parser *p, ast_stmt *s)
{
    if (s->kind == S_EXPR && s->v.value.value->kind == E_NAME && starts_expression(kind(p)) &&
        (strcmp(s->v.value.value->v.name.id, "print") == 0 || strcmp(s->v.value.value->v.name.id, "exec") == 0)) {
        const char *name = s->v.value.value->v.name.id;
        ast_expr *arg = parse_expression(p);
        if (!arg)
            return NULL;
        return error_range(p, NULL, span_from(p, s->pos), "Missing parentheses in call to '%s'. "
                           "Did you mean %s(...)?", name, name);
    }
    return invalid_syntax(p);
}

/* simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static int parse_simple_stmts(parser *p, vec *out)
{
    for (;;) {
        ast_stmt *s = parse_simple_stmt(p);
        if (!s || push_ptr(p, out, s) < 0)
            return -1;
        if (accept(p, TK_NEWLINE))
            return 0;
        if (!accept(p, TK_SEMI)) {
            print_statement_hint(p, s);
            return -1;
        }
        if (accept(p, TK_NEWLINE))
            return 0;
    }
}

/* --- compound statements ------------------------------------------------------------------- */

static int parse_block(parser *p, const char *what, int lineno, ast_stmts *out)
{
    if (!expect_colon(p))
        return -1;
    vec v;
    vec_init(&v, sizeof(ast_stmt *));
    if (!accept(p, TK_NEWLINE)) {
        if (parse_simple_stmts(p, &v) < 0)
            return -1;
        *out = to_stmts(&v);
        return 0;
    }
    if (!at(p, TK_INDENT)) {
        if (p->failed)
            return -1;
        error_range(p, py_exc_IndentationError, tok_pos(cur(p)),
                    "expected an indented block after %s on line %d", what, lineno);
        return -1;
    }
    advance(p);
    while (!p->failed && !at(p, TK_DEDENT) && !at(p, TK_ENDMARKER))
        if (parse_statement(p, &v) < 0)
            return -1;
    accept(p, TK_DEDENT);
    *out = to_stmts(&v);
    return p->failed ? -1 : 0;
}

static ast_stmt *parse_if(parser *p, bool elif)
{
    lx_token t = advance(p);
    ast_expr *test = parse_named_expression(p);
    if (!test)
        return NULL;
    ast_stmt *s = new_stmt(p, S_IF, tok_pos(&t));
    if (!s || parse_block(p, elif ? "'elif' statement" : "'if' statement", t.lineno, &s->v.cond.body) < 0)
        return NULL;
    s->v.cond.test = test;
    if (at(p, KW_ELIF)) {
        ast_stmt *inner = parse_if(p, true);
        ast_stmt **one = ast_alloc(p->A, sizeof *one);
        if (!inner || !one)
            return p->failed = true, NULL;
        one[0] = inner;
        s->v.cond.orelse = (ast_stmts){one, 1};
    } else if (at(p, KW_ELSE)) {
        lx_token e = advance(p);
        if (parse_block(p, "'else' statement", e.lineno, &s->v.cond.orelse) < 0)
            return NULL;
    }
    s->pos = span_from(p, s->pos);
    return s;
}

static int parse_else(parser *p, ast_stmts *out)
{
    if (!at(p, KW_ELSE))
        return 0;
    lx_token e = advance(p);
    return parse_block(p, "'else' statement", e.lineno, out);
}

static ast_stmt *parse_while(parser *p)
{
    lx_token t = advance(p);
    ast_expr *test = parse_named_expression(p);
    ast_stmt *s = test ? new_stmt(p, S_WHILE, tok_pos(&t)) : NULL;
    if (!s || parse_block(p, "'while' statement", t.lineno, &s->v.cond.body) < 0)
        return NULL;
    s->v.cond.test = test;
    if (parse_else(p, &s->v.cond.orelse) < 0)
        return NULL;
    s->pos = span_from(p, s->pos);
    return s;
}

static ast_stmt *parse_for(parser *p)
{
    lx_token t = advance(p);
    ast_expr *target = parse_star_targets(p, CTX_STORE);
    if (!target)
        return NULL;
    if (!accept(p, KW_IN))
        return invalid_syntax(p);
    ast_expr *iter = parse_star_expressions(p);
    ast_stmt *s = iter ? new_stmt(p, S_FOR, tok_pos(&t)) : NULL;
    if (!s || parse_block(p, "'for' statement", t.lineno, &s->v.for_.body) < 0)
        return NULL;
    s->v.for_.target = target;
    s->v.for_.iter = iter;
    if (parse_else(p, &s->v.for_.orelse) < 0)
        return NULL;
    s->pos = span_from(p, s->pos);
    return s;
}

static int parse_handler(parser *p, vec *handlers)
{
    lx_token t = advance(p);
    ast_handler h = {0};
    if (!at(p, TK_COLON)) {
        ast_pos start = tok_pos(cur(p));
        if (!(h.type = parse_expression(p)))
            return -1;
        if (at(p, TK_COMMA)) {
            vec v;
            vec_init(&v, sizeof(ast_expr *));
            if (push_ptr(p, &v, h.type) < 0)
                return -1;
            while (accept(p, TK_COMMA) && !at(p, TK_COLON) && !at(p, KW_AS)) {
                ast_expr *e = parse_expression(p);
                if (!e || push_ptr(p, &v, e) < 0)
                    return -1;
            }
            return error_range(p, NULL, span_from(p, start),
                               "multiple exception types must be parenthesized"), -1;
        }
        if (accept(p, KW_AS)) {
            if (!at(p, TK_NAME))
                return invalid_syntax(p), -1;
            lx_token n = advance(p);
            if (!(h.name = intern_tok(p, &n)))
                return -1;
        }
    }
    if (parse_block(p, "'except' statement", t.lineno, &h.body) < 0)
        return -1;
    h.pos = span_from(p, tok_pos(&t));
    ast_handler *slot = vec_push(p, handlers);
    if (!slot)
        return -1;
    *slot = h;
    return 0;
}

static ast_stmt *parse_try(parser *p)
{
    lx_token t = advance(p);
    ast_stmt *s = new_stmt(p, S_TRY, tok_pos(&t));
    if (!s || parse_block(p, "'try' statement", t.lineno, &s->v.try_.body) < 0)
        return NULL;
    vec handlers;
    vec_init(&handlers, sizeof(ast_handler));
    while (at(p, KW_EXCEPT))
        if (parse_handler(p, &handlers) < 0)
            return NULL;
    s->v.try_.handlers = (ast_handler *)handlers.data;
    s->v.try_.nhandlers = handlers.n;
    if (handlers.n && parse_else(p, &s->v.try_.orelse) < 0)
        return NULL;
    if (at(p, KW_FINALLY)) {
        lx_token f = advance(p);
        if (parse_block(p, "'finally' statement", f.lineno, &s->v.try_.finalbody) < 0)
            return NULL;
    } else if (handlers.n == 0) {
        if (p->failed)
            return NULL;
        const lx_token *prev = &p->toks[p->pos - 1];
        ast_pos at_prev = {prev->lineno, prev->col, prev->lineno, -2};
        return error_range(p, NULL, at_prev, "expected 'except' or 'finally' block");
    }
    s->pos = span_from(p, s->pos);
    return s;
}

static int parse_with_item(parser *p, vec *items, lx_kind closer)
{
    ast_withitem w = {0};
    if (!(w.context = parse_expression(p)))
        return -1;
    if (accept(p, KW_AS)) {
        if (!(w.target = parse_star_target(p)))
            return -1;
        if (!at(p, TK_COMMA) && !at(p, closer))
            return invalid_syntax(p), -1;
        if (set_context(p, w.target, CTX_STORE) < 0)
            return -1;
    }
    ast_withitem *slot = vec_push(p, items);
    if (!slot)
        return -1;
    *slot = w;
    return 0;
}

/* with '(' items ')' ':' — tried first; on failure the parser backs up. */
static bool try_paren_with_items(parser *p, vec *items)
{
    int save_pos = p->pos, save_brackets = p->brackets;
    int save_line = p->prev_end_lineno, save_col = p->prev_end_col;
    advance(p);
    do {
        if (at(p, TK_RPAR))
            break;
        if (parse_with_item(p, items, TK_RPAR) < 0)
            break;
    } while (accept(p, TK_COMMA));
    if (!p->failed && accept(p, TK_RPAR) && at(p, TK_COLON))
        return true;
    if (p->failed && !py_err_matches(py_exc_SyntaxError))
        return false;
    if (p->failed)
        py_err_clear();
    p->failed = false;
    p->pos = save_pos;
    p->brackets = save_brackets;
    p->prev_end_lineno = save_line;
    p->prev_end_col = save_col;
    items->n = 0;
    return false;
}

static ast_stmt *parse_with(parser *p)
{
    lx_token t = advance(p);
    vec items;
    vec_init(&items, sizeof(ast_withitem));
    bool done = at(p, TK_LPAR) && try_paren_with_items(p, &items);
    if (p->failed)
        return NULL;
    if (!done) {
        do {
            if (parse_with_item(p, &items, TK_COLON) < 0)
                return NULL;
        } while (accept(p, TK_COMMA));
    }
    ast_stmt *s = new_stmt(p, S_WITH, tok_pos(&t));
    if (!s || parse_block(p, "'with' statement", t.lineno, &s->v.with.body) < 0)
        return NULL;
    s->v.with.items = (ast_withitem *)items.data;
    s->v.with.nitems = items.n;
    s->pos = span_from(p, s->pos);
    return s;
}

static ast_stmt *parse_funcdef(parser *p, ast_exprs decorators, ast_pos start)
{
    lx_token t = advance(p);
    if (!at(p, TK_NAME))
        return invalid_syntax(p);
    lx_token name = advance(p);
    if (!at(p, TK_LPAR))
        return error_range(p, NULL, tok_pos(cur(p)), "expected '('");
    advance(p);
    ast_args *args = parse_params(p, false);
    if (!args)
        return NULL;
    ast_expr *returns = NULL;
    if (accept(p, TK_RARROW) && !(returns = parse_expression(p)))
        return NULL;
    ast_stmt *s = new_stmt(p, S_FUNCDEF, decorators.n ? start : tok_pos(&t));
    if (!s || !(s->v.funcdef.name = intern_tok(p, &name)))
        return NULL;
    if (parse_block(p, "function definition", t.lineno, &s->v.funcdef.body) < 0)
        return NULL;
    s->v.funcdef.args = args;
    s->v.funcdef.returns = returns;
    s->v.funcdef.decorators = decorators;
    s->pos = span_from(p, s->pos);
    return s;
}

static ast_stmt *parse_classdef(parser *p, ast_exprs decorators, ast_pos start)
{
    lx_token t = advance(p);
    if (!at(p, TK_NAME))
        return invalid_syntax(p);
    lx_token name = advance(p);
    ast_stmt *s = new_stmt(p, S_CLASSDEF, decorators.n ? start : tok_pos(&t));
    if (!s || !(s->v.classdef.name = intern_tok(p, &name)))
        return NULL;
    if (accept(p, TK_LPAR)) {
        call_args ca;
        if (parse_call_args(p, &ca, TK_RPAR) < 0)
            return NULL;
        s->v.classdef.bases = to_exprs(&ca.args);
        s->v.classdef.kws = (ast_keyword *)ca.kws.data;
        s->v.classdef.nkws = ca.kws.n;
    }
    if (parse_block(p, "class definition", t.lineno, &s->v.classdef.body) < 0)
        return NULL;
    s->v.classdef.decorators = decorators;
    s->pos = span_from(p, s->pos);
    return s;
}

static ast_stmt *parse_decorated(parser *p)
{
    ast_pos start = tok_pos(cur(p));
    vec decs;
    vec_init(&decs, sizeof(ast_expr *));
    while (accept(p, TK_AT)) {
        ast_expr *d = parse_named_expression(p);
        if (!d || push_ptr(p, &decs, d) < 0 || !expect(p, TK_NEWLINE))
            return NULL;
    }
    if (at(p, KW_DEF))
        return parse_funcdef(p, to_exprs(&decs), start);
    if (at(p, KW_CLASS))
        return parse_classdef(p, to_exprs(&decs), start);
    return invalid_syntax(p);
}

static ast_stmt *parse_compound(parser *p)
{
    ast_exprs none = {NULL, 0};
    switch (kind(p)) {
    case KW_IF: return parse_if(p, false);
    case KW_WHILE: return parse_while(p);
    case KW_FOR: return parse_for(p);
    case KW_TRY: return parse_try(p);
    case KW_WITH: return parse_with(p);
    case KW_DEF: return parse_funcdef(p, none, tok_pos(cur(p)));
    case KW_CLASS: return parse_classdef(p, none, tok_pos(cur(p)));
    case TK_AT: return parse_decorated(p);
    default: return NULL;
    }
}

static bool is_compound_start(lx_kind k)
{
    return k == KW_IF || k == KW_WHILE || k == KW_FOR || k == KW_TRY || k == KW_WITH ||
           k == KW_DEF || k == KW_CLASS || k == TK_AT;
}

static int parse_statement(parser *p, vec *out)
{
    if (!enter(p))
        return -1;
    int r;
    lx_kind k = kind(p);
    if (is_compound_start(k)) {
        ast_stmt *s = parse_compound(p);
        r = s ? push_ptr(p, out, s) : -1;
    } else if (k == TK_INDENT) {
        invalid_syntax(p);
        r = -1;
    } else if (k == KW_ELSE || k == KW_ELIF || k == KW_EXCEPT || k == KW_FINALLY) {
        invalid_syntax(p);
        r = -1;
    } else {
        r = parse_simple_stmts(p, out);
    }
    leave(p);
    return r;
}

/* --- entry points ------------------------------------------------------------------------- */

static int parse_file(parser *p, ast_module *out)
{
    vec v;
    vec_init(&v, sizeof(ast_stmt *));
    while (!p->failed) {
        while (accept(p, TK_NEWLINE))
            ;
        if (at(p, TK_ENDMARKER))
            break;
        if (parse_statement(p, &v) < 0)
            return -1;
    }
    out->body = to_stmts(&v);
    return p->failed ? -1 : 0;
}

static int parse_single(parser *p, ast_module *out)
{
    vec v;
    vec_init(&v, sizeof(ast_stmt *));
    while (accept(p, TK_NEWLINE))
        ;
    if (!at(p, TK_ENDMARKER) && parse_statement(p, &v) < 0)
        return -1;
    while (accept(p, TK_NEWLINE))
        ;
    if (!at(p, TK_ENDMARKER)) {
        if (p->failed)
            return -1;
        error_range(p, NULL, tok_pos(cur(p)), "multiple statements found while compiling a single statement");
        return -1;
    }
    out->body = to_stmts(&v);
    return p->failed ? -1 : 0;
}

static int parse_eval(parser *p, ast_module *out)
{
    while (accept(p, TK_NEWLINE))
        ;
    if (!(out->expr = parse_star_expressions(p)))
        return -1;
    while (accept(p, TK_NEWLINE))
        ;
    if (!at(p, TK_ENDMARKER)) {
        invalid_syntax(p);
        return -1;
    }
    return p->failed ? -1 : 0;
}

int ast_parse(ast_arena *a, const char *src, size_t len, const char *filename,
              ast_mode mode, ast_module *out)
{
    parser p;
    memset(out, 0, sizeof *out);
    parser_init(&p, a, filename, src, src + len);
    size_t skip = 0;
    const char *line_start = src;
    if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0)
        line_start += (skip = 3);
    if (mode == AST_EVAL)
        while (skip < len && (src[skip] == ' ' || src[skip] == '\t'))
            skip++;
    lx_init_at(&p.lx, src + skip, len - skip, filename, src, src + len, line_start, 1, false);
    int r = mode == AST_EVAL ? parse_eval(&p, out) : mode == AST_SINGLE ? parse_single(&p, out)
                                                                         : parse_file(&p, out);
    if (r < 0 && !py_err_occurred())
        py_err_format(py_exc_SyntaxError, "invalid syntax");
    tl_heap_free(p.toks);
    return r;
}
