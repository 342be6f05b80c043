/* suggest.c — what CPython 3.11 adds to a traceback beyond the message:
 * the ~~~^^^ anchors under a failing binary operation or subscript, and
 * "Did you mean: 'x'?" for misspelt names and attributes.
 *
 * Anchors: CPython re-parses the failing expression's source segment and
 * looks for a BinOp or a Subscript at its top. Here a small scanner finds
 * the same thing: the top-level binary operator of lowest precedence
 * (rightmost, or leftmost for the right-associative **), or a trailing
 * [...] applied to an operand. Any top-level comparison, boolean operator,
 * conditional or lambda means the expression is not a BinOp: no anchors.
 *
 * Suggestions: CPython's Levenshtein distance (a substitution that only
 * changes case costs 1, any other edit 2), the closest candidate within
 * (len(a) + len(b) + 3) * 2 // 6.
 */
#include "py.h"
#include "lang_int.h"
#include "frame.h"

#include <ctype.h>
#include <stdlib.h>

/* ---- anchors ------------------------------------------------------------------ */

typedef struct tok {
    int pos, len;
    int prec;          /* binary operator precedence (1 lowest), 0 otherwise */
    bool operand_end;  /* ends an operand: name, number, string, ) ] } */
    bool blocker;      /* comparison, boolean operator, if/else, lambda, := , comma */
} tok;

static int skip_string(const char *s, int i, int n)
{
    char q = s[i];
    bool triple = i + 2 < n && s[i + 1] == q && s[i + 2] == q;
    i += triple ? 3 : 1;
    while (i < n) {
        if (s[i] == '\\') {
            i += 2;
            continue;
        }
        if (s[i] == q && (!triple || (i + 2 < n && s[i + 1] == q && s[i + 2] == q)))
            return i + (triple ? 3 : 1);
        i++;
    }
    return n;
}

static int binop_prec(const char *p, int n, int *len)
{
    static const struct { const char *op; int prec; } ops[] = {
        {"**", 7}, {"//", 6}, {"<<", 4}, {">>", 4}, {"|", 1}, {"^", 2}, {"&", 3},
        {"+", 5}, {"-", 5}, {"*", 6}, {"/", 6}, {"%", 6}, {"@", 6},
    };
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
        int l = (int)strlen(ops[k].op);
        if (l <= n && memcmp(p, ops[k].op, (size_t)l) == 0) {
            if (l < n && p[l] == '=')      /* augmented assignment or comparison: not here */
                return -1;
            *len = l;
            return ops[k].prec;
        }
    }
    return 0;
}

static bool is_word(const char *p, int n, const char *w)
{
    int l = (int)strlen(w);
    return n >= l && memcmp(p, w, (size_t)l) == 0 && (n == l || !(isalnum((unsigned char)p[l]) || p[l] == '_'));
}

bool py_traceback_anchors(const char *s, size_t len, int *left, int *right)
{
    int n = (int)len, depth = 0, best = -1, best_prec = 99, best_len = 0;
    bool prev_operand = false;
    int last_open_bracket = -1, last_close = -1;
    *left = *right = -1;
    for (int i = 0; i < n;) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\\' || c == '\n') {
            i++;
            continue;
        }
        if (c == '#')
            break;
        if (c == '\'' || c == '"') {
            i = skip_string(s, i, n);
            prev_operand = true;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            if (depth == 0 && c == '[' && prev_operand)
                last_open_bracket = i;
            else if (depth == 0)
                last_open_bracket = -1;
            depth++;
            i++;
            prev_operand = false;
            continue;
        }
        if (c == ')' || c == ']' || c == '}') {
            depth--;
            if (depth == 0)
                last_close = i;
            i++;
            prev_operand = true;
            continue;
        }
        if (isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80 || c == '.') {
            if (depth == 0 && (is_word(s + i, n - i, "and") || is_word(s + i, n - i, "or") ||
                               is_word(s + i, n - i, "not") || is_word(s + i, n - i, "in") ||
                               is_word(s + i, n - i, "is") || is_word(s + i, n - i, "if") ||
                               is_word(s + i, n - i, "else") || is_word(s + i, n - i, "lambda") ||
                               is_word(s + i, n - i, "for") || is_word(s + i, n - i, "await")))
                return false;
            /* A string prefix (r, b, f...) directly followed by a quote. */
            int j = i;
            while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' || (unsigned char)s[j] >= 0x80 || s[j] == '.'))
                j++;
            if (j < n && (s[j] == '\'' || s[j] == '"') && j - i <= 2) {
                i = skip_string(s, j, n);
            } else {
                i = j;
            }
            prev_operand = true;
            continue;
        }
        if (depth > 0) {
            i++;
            continue;
        }
        if (c == '<' || c == '>' || c == '=' || c == '!' || c == ',' || c == ':') {
            if (!((c == '<' && i + 1 < n && s[i + 1] == '<') || (c == '>' && i + 1 < n && s[i + 1] == '>')))
                return false;
        }
        int oplen = 1, prec = binop_prec(s + i, n - i, &oplen);
        if (prec < 0)
            return false;
        if (prec > 0 && prev_operand) {
            bool right_assoc = prec == 7;
            if (prec < best_prec || (prec == best_prec && !right_assoc)) {
                best_prec = prec;
                best = i;
                best_len = oplen;
            }
            i += oplen;
            prev_operand = false;
            continue;
        }
        i += prec > 0 ? oplen : 1;     /* unary operator */
        prev_operand = false;
    }
    if (best >= 0) {
        *left = best;
        *right = best + best_len;
        return true;
    }
    if (last_open_bracket > 0 && last_close == n - 1 && s[n - 1] == ']') {
        *left = last_open_bracket;
        *right = n;
        return true;
    }
    return false;
}

/* ---- "Did you mean" ---------------------------------------------------------------- */

#define MAX_CANDIDATES 750
#define MAX_STRING 40

static size_t levenshtein(const char *a, size_t na, const char *b, size_t nb, size_t limit)
{
    if (na > MAX_STRING || nb > MAX_STRING)
        return limit + 1;
    size_t row[MAX_STRING + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j * 2;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0], min = row[0] = i * 2;
        for (size_t j = 1; j <= nb; j++) {
            size_t sub = a[i - 1] == b[j - 1] ? 0
                       : tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 1 : 2;
            size_t v = diag + sub, del = row[j] + 2, ins = row[j - 1] + 2;
            if (del < v) v = del;
            if (ins < v) v = ins;
            diag = row[j];
            row[j] = v;
            if (v < min)
                min = v;
        }
        if (min > limit)
            return limit + 1;
    }
    return row[nb];
}

static void consider(py_obj *cand, py_obj *name, py_obj **best, size_t *best_d)
{
    if (!py_str_check(cand) || py_str_equal(cand, name))
        return;
    size_t na = py_str_nbytes(name), nc = py_str_nbytes(cand);
    size_t limit = (na + nc + 3) * 2 / 6;
    if (*best && *best_d < limit)
        limit = *best_d;
    size_t d = levenshtein(py_str_utf8(name), na, py_str_utf8(cand), nc, limit);
    if (d <= limit && (!*best || d < *best_d)) {
        *best = cand;
        *best_d = d;
    }
}

static void consider_all(py_obj *keys, py_obj *name, py_obj **best, size_t *best_d)
{
    py_obj *it = py_iter(keys), *k;
    if (!it) {
        py_err_clear();
        return;
    }
    size_t count = 0;
    while ((k = py_next(it))) {
        if (count++ < MAX_CANDIDATES)
            consider(k, name, best, best_d);
        tl_decref(k);
    }
    tl_decref(it);
    py_err_clear();
}

char *py_suggestion(py_obj *exc, py_frame *unused)
{
    py_obj *name = NULL, *obj = NULL;
    if (py_getattr_opt(exc, py_str_interned("name"), &name) <= 0 || !py_str_check(name)) {
        py_err_clear();
        tl_xdecref(name);
        return NULL;
    }
    py_obj *best = NULL;
    size_t best_d = 0;
    py_obj *keep = NULL;
    if (py_type_is_subtype(py_type_of(exc), py_exc_AttributeError)) {
        if (py_getattr_opt(exc, py_str_interned("obj"), &obj) > 0 && obj != py_None) {
            py_obj *d = py_call_method(obj, "__dir__", NULL, 0);
            if (d) {
                consider_all(d, name, &best, &best_d);
                keep = d;
            }
        }
        py_err_clear();
    } else {
        /* The innermost frame of the traceback: its locals, globals, builtins. */
        py_obj *tbo = py_exc_traceback(exc);
        py_traceback *tb = (py_traceback *)tbo;
        while (tb && tb->next)
            tb = tb->next;
        if (tb) {
            py_frameobj *fo = tb->frame;
            py_obj *locals = py_getattr_str(&fo->ob, "f_locals");
            if (locals) {
                consider_all(locals, name, &best, &best_d);
                if (!best) {
                    consider_all(fo->globals, name, &best, &best_d);
                    if (!best)
                        consider_all(vm.builtins, name, &best, &best_d);
                }
                keep = locals;
            }
            py_err_clear();
        }
        tl_xdecref(tbo);
    }
    char *r = NULL;
    if (best) {
        size_t n = py_str_nbytes(best) + 32;
        r = malloc(n);
        if (r)
            snprintf(r, n, ". Did you mean: '%s'?", py_str_utf8(best));
    }
    tl_xdecref(keep);
    tl_xdecref(obj);
    tl_decref(name);
    return r;
}
