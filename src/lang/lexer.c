/* lexer.c — the tokenizer (see lexer.h).
 *
 * Tokens are produced one at a time, so that an error near the start of a
 * file is reported before one further down, as CPython does. Indentation is
 * measured twice, with tabs to multiples of 8 and with tabs as one column;
 * the two must order lines the same way, or the indentation is ambiguous
 * (TabError), as in CPython's tokenizer.
 */
#include "lexer.h"

#include <stdio.h>

static const char *const kind_texts[TK__COUNT] = {
    [TK_ENDMARKER] = "ENDMARKER", [TK_NAME] = "NAME", [TK_NUMBER] = "NUMBER",
    [TK_STRING] = "STRING", [TK_NEWLINE] = "NEWLINE", [TK_INDENT] = "INDENT",
    [TK_DEDENT] = "DEDENT",
#define LX_OP_TEXT(name, text) [TK_##name] = text,
    LX_OPERATORS(LX_OP_TEXT)
#undef LX_OP_TEXT
#define LX_KW_TEXT(name, text) [KW_##name] = text,
    LX_KEYWORDS(LX_KW_TEXT)
#undef LX_KW_TEXT
};

const char *lx_kind_text(lx_kind k) { return k < TK__COUNT ? kind_texts[k] : "?"; }

/* --- errors ------------------------------------------------------------------ */

void lx_line_text(const char *src, const char *end, const char *p, char *buf, size_t size)
{
    const char *s = p;
    while (s > src && s[-1] != '\n')
        s--;
    const char *e = p;
    while (e < end && *e != '\n')
        e++;
    if (e > s && e[-1] == '\r')
        e--;
    size_t n = (size_t)(e - s);
    if (n >= size)
        n = size - 1;
    memcpy(buf, s, n);
    buf[n] = 0;
}

/* 0-based byte column to CPython's 1-based character offset. */
static int char_offset(const char *line, int col)
{
    int chars = 0;
    for (int i = 0; i < col && line[i]; i++)
        chars += ((unsigned char)line[i] & 0xC0) != 0x80;
    return chars + 1;
}

void lx_error_at(py_type *type, const char *filename, const char *src, const char *end,
                 const char *line_start, int lineno, int col, int end_lineno, int end_col,
                 const char *msg)
{
    char text[1024];
    lx_line_text(src, end, line_start, text, sizeof text);
    int off = char_offset(text, col);
    int end_off = end_col < 0 ? end_col + 1 : end_lineno == lineno ? char_offset(text, end_col) : end_col + 1;
    py_err_syntax(type, msg, filename, lineno, off, end_lineno, end_off, text);
}

static int lex_error(lx_state *lx, py_type *type, const char *at, const char *msg)
{
    int col = (int)(at - lx->line_start);
    lx_error_at(type ? type : py_exc_SyntaxError, lx->filename, lx->buf, lx->buf_end,
                lx->line_start, lx->lineno, col, lx->lineno, col, msg);
    return -1;
}

/* --- set-up ------------------------------------------------------------------- */

void lx_init_at(lx_state *lx, const char *src, size_t len, const char *filename,
                const char *buf, const char *buf_end, const char *line_start, int lineno,
                bool fstring_expr)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->end = src + len;
    lx->buf = buf;
    lx->buf_end = buf_end;
    lx->cur = src;
    lx->line_start = line_start;
    lx->filename = filename;
    lx->lineno = lineno;
    lx->nindents = 1;
    lx->at_line_start = !fstring_expr;
    lx->fstring_expr = fstring_expr;
}

void lx_init(lx_state *lx, const char *src, size_t len, const char *filename)
{
    lx_init_at(lx, src, len, filename, src, src + len, src, 1, false);
}

/* --- helpers -------------------------------------------------------------------- */

static bool is_id_start(unsigned char c) { return c == '_' || (unsigned)((c | 32) - 'a') < 26u || c >= 0x80; }
static bool is_id_char(unsigned char c) { return is_id_start(c) || (unsigned)(c - '0') < 10u; }
static bool at_end(const lx_state *lx, const char *p) { return p >= lx->end; }
static int peekc(const lx_state *lx, const char *p) { return p < lx->end ? (unsigned char)*p : -1; }

static void new_line(lx_state *lx, const char *after_newline)
{
    lx->lineno++;
    lx->line_start = after_newline;
}

static void finish(lx_state *lx, lx_token *tok, lx_kind kind, const char *start)
{
    tok->kind = kind;
    tok->start = start;
    tok->len = (uint32_t)(lx->cur - start);
    tok->end_lineno = lx->lineno;
    tok->end_col = (int)(lx->cur - lx->line_start);
}

static void begin(lx_state *lx, lx_token *tok, const char *start)
{
    tok->lineno = lx->lineno;
    tok->col = (int)(start - lx->line_start);
}

/* --- indentation ------------------------------------------------------------------ */

/* Measures the indentation of the line at cur; skips blank and comment-only
 * lines. Returns 1 if a line with content starts at cur, 0 at end of input. */
static int measure_indent(lx_state *lx, int *col, int *altcol)
{
    for (;;) {
        const char *p = lx->cur;
        int c = 0, alt = 0;
        while (!at_end(lx, p) && (*p == ' ' || *p == '\t' || *p == '\f')) {
            if (*p == ' ') { c++; alt++; }
            else if (*p == '\t') { c = (c / 8 + 1) * 8; alt++; }
            else { c = alt = 0; }
            p++;
        }
        lx->cur = p;
        if (at_end(lx, p))
            return 0;
        if (*p == '#') {
            while (!at_end(lx, p) && *p != '\n')
                p++;
            lx->cur = p;
            if (at_end(lx, p))
                return 0;
        }
        if (*p == '\r' && peekc(lx, p + 1) == '\n')
            p++;
        if (*p == '\n') {
            lx->cur = p + 1;
            new_line(lx, p + 1);
            continue;
        }
        *col = c;
        *altcol = alt;
        return 1;
    }
}

/* CPython places a dedent error after the line's end, a TabError at its start. */
static int indent_error(lx_state *lx, py_type *type, const char *msg)
{
    int col = 0, end_col = -1;
    if (type == py_exc_IndentationError) {
        const char *e = lx->cur;
        while (e < lx->end && *e != '\n' && *e != '\r')
            e++;
        col = (int)(e - lx->line_start);
        end_col = -2;
    }
    lx_error_at(type, lx->filename, lx->buf, lx->buf_end, lx->line_start, lx->lineno,
                col, lx->lineno, end_col, msg);
    return -1;
}

/* Compares a new line's indentation with the stack: 1 and an INDENT in tok,
 * 0 when nothing is produced (same level, or DEDENTs queued), -1 on error. */
static int handle_indent(lx_state *lx, int col, int altcol)
{
    int top = lx->indents[lx->nindents - 1], alttop = lx->altindents[lx->nindents - 1];
    if (col == top) {
        if (altcol != alttop)
            return indent_error(lx, py_exc_TabError, "inconsistent use of tabs and spaces in indentation");
        return 0;
    }
    if (col > top) {
        if (altcol <= alttop)
            return indent_error(lx, py_exc_TabError, "inconsistent use of tabs and spaces in indentation");
        if (lx->nindents > LX_MAX_INDENT)
            return indent_error(lx, py_exc_IndentationError, "too many levels of indentation");
        lx->indents[lx->nindents] = col;
        lx->altindents[lx->nindents++] = altcol;
        return 1;
    }
    while (lx->nindents > 1 && col < lx->indents[lx->nindents - 1]) {
        lx->nindents--;
        lx->pending_dedents++;
    }
    if (col != lx->indents[lx->nindents - 1])
        return indent_error(lx, py_exc_IndentationError, "unindent does not match any outer indentation level");
    if (altcol != lx->altindents[lx->nindents - 1])
        return indent_error(lx, py_exc_TabError, "inconsistent use of tabs and spaces in indentation");
    return 0;
}

static int bracket_line_start(lx_state *lx, int lineno, const char **ls_out)
{
    const char *ls = lx->line_start;
    for (int l = lx->lineno; l > lineno; l--) {
        ls--;
        while (ls > lx->buf && ls[-1] != '\n')
            ls--;
    }
    *ls_out = ls;
    return 0;
}

/* --- end of input --------------------------------------------------------------- */

static int at_eof(lx_state *lx, lx_token *tok)
{
    begin(lx, tok, lx->cur);
    if (lx->nbrackets > 0 && !lx->fstring_expr) {
        lx_bracket *b = &lx->brackets[lx->nbrackets - 1];
        char msg[64];
        snprintf(msg, sizeof msg, "'%c' was never closed", b->ch);
        const char *ls;
        bracket_line_start(lx, b->lineno, &ls);
        lx_error_at(py_exc_SyntaxError, lx->filename, lx->buf, lx->buf_end, ls, b->lineno,
                    b->col, b->lineno, -1, msg);
        return -1;
    }
    if (lx->emitted_any && !lx->fstring_expr) {
        lx->emitted_any = false;
        finish(lx, tok, TK_NEWLINE, lx->cur);
        return 0;
    }
    if (lx->nindents > 1) {
        lx->nindents--;
        finish(lx, tok, TK_DEDENT, lx->cur);
        return 0;
    }
    lx->done = true;
    finish(lx, tok, TK_ENDMARKER, lx->cur);
    return 0;
}

/* --- numbers ----------------------------------------------------------------------- */

static int scan_digits(lx_state *lx, int (*ok)(int), const char *what)
{
    for (;;) {
        while (ok(peekc(lx, lx->cur)))
            lx->cur++;
        if (peekc(lx, lx->cur) != '_')
            return 0;
        lx->cur++;
        if (!ok(peekc(lx, lx->cur))) {
            char msg[64];
            snprintf(msg, sizeof msg, "invalid %s literal", what);
            return lex_error(lx, NULL, lx->cur - 1, msg);
        }
    }
}

static int is_dec(int c) { return c >= '0' && c <= '9'; }
static int is_hex(int c) { return is_dec(c) || ((c | 32) >= 'a' && (c | 32) <= 'f'); }
static int is_oct(int c) { return c >= '0' && c <= '7'; }
static int is_bin(int c) { return c == '0' || c == '1'; }

/* After a literal, a letter or digit that cannot continue it is an error. */
static int check_number_end(lx_state *lx, const char *start, const char *what)
{
    int c = peekc(lx, lx->cur);
    if (c >= 0 && is_id_char((unsigned char)c)) {
        char msg[64];
        snprintf(msg, sizeof msg, "invalid %s literal", what);
        return lex_error(lx, NULL, start, msg);
    }
    return 0;
}

static int scan_radix(lx_state *lx, int (*ok)(int), const char *what)
{
    const char *start = lx->cur;
    lx->cur += 2;
    if (peekc(lx, lx->cur) == '_')
        lx->cur++;
    if (!ok(peekc(lx, lx->cur))) {
        int c = peekc(lx, lx->cur);
        if (ok != is_hex && is_dec(c)) {
            char msg[64];
            snprintf(msg, sizeof msg, "invalid digit '%c' in %s literal", c, what);
            return lex_error(lx, NULL, lx->cur, msg);
        }
        char msg[64];
        snprintf(msg, sizeof msg, "invalid %s literal", what);
        return lex_error(lx, NULL, lx->cur - 1, msg);
    }
    if (scan_digits(lx, ok, what) < 0)
        return -1;
    int c = peekc(lx, lx->cur);
    if (ok != is_hex && is_dec(c)) {
        char msg[64];
        snprintf(msg, sizeof msg, "invalid digit '%c' in %s literal", c, what);
        return lex_error(lx, NULL, lx->cur, msg);
    }
    return check_number_end(lx, start, what);
}

static int scan_exponent(lx_state *lx)
{
    const char *e = lx->cur;
    lx->cur++;
    if (peekc(lx, lx->cur) == '+' || peekc(lx, lx->cur) == '-')
        lx->cur++;
    if (!is_dec(peekc(lx, lx->cur))) {
        lx->cur = e;   /* "1e" is "1" followed by a name: an invalid decimal literal */
        return lex_error(lx, NULL, e, "invalid decimal literal");
    }
    return scan_digits(lx, is_dec, "decimal");
}

static int scan_fraction_and_exponent(lx_state *lx, const char *start)
{
    if (peekc(lx, lx->cur) == '.') {
        lx->cur++;
        if (is_dec(peekc(lx, lx->cur)) && scan_digits(lx, is_dec, "decimal") < 0)
            return -1;
    }
    if ((peekc(lx, lx->cur) | 32) == 'e' && scan_exponent(lx) < 0)
        return -1;
    if ((peekc(lx, lx->cur) | 32) == 'j')
        lx->cur++;
    return check_number_end(lx, start, "decimal");
}

static int scan_number(lx_state *lx)
{
    const char *s = lx->cur;
    if (*s == '0') {
        int x = peekc(lx, s + 1) | 32;
        if (x == 'x') return scan_radix(lx, is_hex, "hexadecimal");
        if (x == 'o') return scan_radix(lx, is_oct, "octal");
        if (x == 'b') return scan_radix(lx, is_bin, "binary");
        bool nonzero = false;
        lx->cur++;
        for (;;) {
            while (peekc(lx, lx->cur) == '0')
                lx->cur++;
            if (peekc(lx, lx->cur) != '_')
                break;
            lx->cur++;
            if (!is_dec(peekc(lx, lx->cur)))
                return lex_error(lx, NULL, lx->cur - 1, "invalid decimal literal");
        }
        if (is_dec(peekc(lx, lx->cur))) {
            nonzero = true;
            if (scan_digits(lx, is_dec, "decimal") < 0)
                return -1;
        }
        int c = peekc(lx, lx->cur);
        if (nonzero && c != '.' && (c | 32) != 'e' && (c | 32) != 'j')
            return lex_error(lx, NULL, s, "leading zeros in decimal integer literals are not "
                             "permitted; use an 0o prefix for octal integers");
        return scan_fraction_and_exponent(lx, s);
    }
    if (*s != '.' && scan_digits(lx, is_dec, "decimal") < 0)
        return -1;
    return scan_fraction_and_exponent(lx, s);
}

/* --- strings ----------------------------------------------------------------------- */

static bool is_string_prefix(const char *s, size_t n)
{
    static const char *const prefixes[] = {"r", "u", "b", "f", "br", "rb", "fr", "rf"};
    if (n > 2)
        return false;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        if (strlen(prefixes[i]) != n)
            continue;
        size_t k = 0;
        while (k < n && (s[k] | 32) == prefixes[i][k])
            k++;
        if (k == n)
            return true;
    }
    return false;
}

static int unterminated(lx_state *lx, const char *start, int lineno, const char *line_start, bool triple)
{
    char msg[96];
    int detected = lx->lineno;
    if (lx->cur >= lx->end && lx->cur > lx->src && lx->cur[-1] == '\n')
        detected--;
    snprintf(msg, sizeof msg, "unterminated %sstring literal (detected at line %d)",
             triple ? "triple-quoted " : "", detected);
    int col = (int)(start - line_start);
    lx_error_at(py_exc_SyntaxError, lx->filename, lx->buf, lx->buf_end, line_start, lineno,
                col, lineno, col, msg);
    return -1;
}

/* cur is at the opening quote; start is the token start (the prefix). */
static int scan_string(lx_state *lx, const char *start)
{
    int lineno = lx->lineno;
    const char *line_start = lx->line_start;
    char q = *lx->cur;
    bool triple = peekc(lx, lx->cur + 1) == q && peekc(lx, lx->cur + 2) == q;
    lx->cur += triple ? 3 : 1;
    for (;;) {
        if (at_end(lx, lx->cur)) {
            if (!triple) {
                lx->lineno = lineno;
            }
            return unterminated(lx, start, lineno, line_start, triple);
        }
        char c = *lx->cur;
        if (c == '\\') {
            lx->cur++;
            if (at_end(lx, lx->cur))
                continue;
            if (*lx->cur == '\r' && peekc(lx, lx->cur + 1) == '\n')
                lx->cur++;
            if (*lx->cur == '\n')
                new_line(lx, lx->cur + 1);
            lx->cur++;
            continue;
        }
        if (c == '\n') {
            if (!triple)
                return unterminated(lx, start, lineno, line_start, false);
            lx->cur++;
            new_line(lx, lx->cur);
            continue;
        }
        if (c == q) {
            if (!triple) {
                lx->cur++;
                return 0;
            }
            if (peekc(lx, lx->cur + 1) == q && peekc(lx, lx->cur + 2) == q) {
                lx->cur += 3;
                return 0;
            }
        }
        lx->cur++;
    }
}

/* --- names, operators, brackets ------------------------------------------------------ */

static lx_kind keyword_kind(const char *s, size_t n)
{
    for (int k = KW_FALSE; k < TK__COUNT; k++) {
        const char *t = kind_texts[k];
        if (strlen(t) == n && memcmp(t, s, n) == 0)
            return (lx_kind)k;
    }
    return TK_NAME;
}

static lx_kind operator_kind(const char *s, size_t avail, size_t *len)
{
    lx_kind best = TK_ENDMARKER;
    size_t bestlen = 0;
    for (int k = TK_LPAR; k < KW_FALSE; k++) {
        size_t n = strlen(kind_texts[k]);
        if (n > bestlen && n <= avail && memcmp(kind_texts[k], s, n) == 0) {
            best = (lx_kind)k;
            bestlen = n;
        }
    }
    *len = bestlen;
    return best;
}

static char closer_of(char open) { return open == '(' ? ')' : open == '[' ? ']' : '}'; }

static int open_bracket(lx_state *lx, const char *at)
{
    if (lx->nbrackets >= LX_MAX_PAREN)
        return lex_error(lx, NULL, at, "too many nested parentheses");
    lx->brackets[lx->nbrackets++] = (lx_bracket){*at, lx->lineno, (int)(at - lx->line_start)};
    return 0;
}

static int close_bracket(lx_state *lx, const char *at)
{
    char msg[128];
    if (lx->nbrackets == 0) {
        if (lx->fstring_expr)
            return 0;
        snprintf(msg, sizeof msg, "unmatched '%c'", *at);
        return lex_error(lx, NULL, at, msg);
    }
    lx_bracket *b = &lx->brackets[lx->nbrackets - 1];
    if (closer_of(b->ch) != *at) {
        if (b->lineno != lx->lineno)
            snprintf(msg, sizeof msg, "closing parenthesis '%c' does not match opening "
                     "parenthesis '%c' on line %d", *at, b->ch, b->lineno);
        else
            snprintf(msg, sizeof msg, "closing parenthesis '%c' does not match opening "
                     "parenthesis '%c'", *at, b->ch);
        return lex_error(lx, NULL, at, msg);
    }
    lx->nbrackets--;
    return 0;
}

static int bad_character(lx_state *lx, const char *at)
{
    unsigned char c = (unsigned char)*at;
    char msg[96];
    if (c < 0x80) {
        if (c < 0x20 || c == 0x7f)
            snprintf(msg, sizeof msg, "invalid non-printable character U+%04X", c);
        else
            snprintf(msg, sizeof msg, "invalid syntax");
        return lex_error(lx, NULL, at, msg);
    }
    return lex_error(lx, NULL, at, "invalid character");
}

static int scan_operator(lx_state *lx, lx_token *tok, const char *start)
{
    size_t n;
    lx_kind k = operator_kind(start, (size_t)(lx->end - start), &n);
    if (n == 0)
        return bad_character(lx, start);
    if (k == TK_LPAR || k == TK_LSQB || k == TK_LBRACE) {
        if (open_bracket(lx, start) < 0)
            return -1;
    } else if (k == TK_RPAR || k == TK_RSQB || k == TK_RBRACE) {
        if (close_bracket(lx, start) < 0)
            return -1;
    }
    lx->cur = start + n;
    finish(lx, tok, k, start);
    return 0;
}

static int scan_name_or_string(lx_state *lx, lx_token *tok, const char *start)
{
    while (!at_end(lx, lx->cur) && is_id_char((unsigned char)*lx->cur))
        lx->cur++;
    size_t n = (size_t)(lx->cur - start);
    int c = peekc(lx, lx->cur);
    if ((c == '"' || c == '\'') && is_string_prefix(start, n)) {
        if (scan_string(lx, start) < 0)
            return -1;
        finish(lx, tok, TK_STRING, start);
        return 0;
    }
    finish(lx, tok, keyword_kind(start, n), start);
    return 0;
}

/* --- whitespace between tokens --------------------------------------------------------- */

/* Skips blanks, comments and continuations. Returns 1 at a newline that ends
 * a logical line (cur at the newline), 0 at a token, -1 on error. */
static int skip_space(lx_state *lx)
{
    for (;;) {
        const char *p = lx->cur;
        while (!at_end(lx, p) && (*p == ' ' || *p == '\t' || *p == '\f'))
            p++;
        if (!at_end(lx, p) && *p == '#')
            while (!at_end(lx, p) && *p != '\n' && *p != '\r')
                p++;
        lx->cur = p;
        if (at_end(lx, p))
            return 0;
        if (*p == '\\') {
            const char *q = p + 1;
            if (!at_end(lx, q) && *q == '\r')
                q++;
            if (at_end(lx, q))
                return lex_error(lx, NULL, p, "unexpected EOF while parsing");
            if (*q != '\n')
                return lex_error(lx, NULL, p + 1, "unexpected character after line continuation character");
            lx->cur = q + 1;
            new_line(lx, lx->cur);
            if (at_end(lx, lx->cur))
                return lex_error(lx, NULL, lx->cur, "unexpected EOF while parsing");
            continue;
        }
        if (*p == '\r' && peekc(lx, p + 1) == '\n')
            p++;
        if (*p == '\n') {
            if (lx->nbrackets > 0 || lx->fstring_expr) {
                lx->cur = p + 1;
                new_line(lx, lx->cur);
                continue;
            }
            lx->cur = p;
            return 1;
        }
        return 0;
    }
}

/* --- the token loop --------------------------------------------------------------------- */

static int start_logical_line(lx_state *lx, lx_token *tok)
{
    int col, altcol;
    lx->at_line_start = false;
    if (!measure_indent(lx, &col, &altcol))
        return 0;
    int r = handle_indent(lx, col, altcol);
    if (r < 0)
        return -1;
    if (r == 1) {
        begin(lx, tok, lx->line_start);
        tok->col = 0;
        finish(lx, tok, TK_INDENT, lx->line_start);
        tok->end_col = col;
        return 1;
    }
    return 0;
}

static int scan_token(lx_state *lx, lx_token *tok)
{
    const char *start = lx->cur;
    unsigned char c = (unsigned char)*start;
    begin(lx, tok, start);
    lx->emitted_any = true;
    if (is_id_start(c))
        return scan_name_or_string(lx, tok, start);
    if (is_dec(c) || (c == '.' && is_dec(peekc(lx, start + 1)))) {
        if (scan_number(lx) < 0)
            return -1;
        finish(lx, tok, TK_NUMBER, start);
        return 0;
    }
    if (c == '"' || c == '\'') {
        if (scan_string(lx, start) < 0)
            return -1;
        finish(lx, tok, TK_STRING, start);
        return 0;
    }
    return scan_operator(lx, tok, start);
}

int lx_next(lx_state *lx, lx_token *tok)
{
    if (lx->done) {
        begin(lx, tok, lx->cur);
        finish(lx, tok, TK_ENDMARKER, lx->cur);
        return 0;
    }
    if (lx->at_line_start) {
        int r = start_logical_line(lx, tok);
        if (r != 0)
            return r < 0 ? -1 : 0;
    }
    if (lx->pending_dedents > 0) {
        lx->pending_dedents--;
        begin(lx, tok, lx->cur);
        finish(lx, tok, TK_DEDENT, lx->cur);
        return 0;
    }
    int r = skip_space(lx);
    if (r < 0)
        return -1;
    if (r == 1) {
        const char *nl = lx->cur;
        begin(lx, tok, nl);
        lx->cur = *nl == '\r' ? nl + 2 : nl + 1;
        tok->kind = TK_NEWLINE;
        tok->start = nl;
        tok->len = (uint32_t)(lx->cur - nl);
        tok->end_lineno = lx->lineno;
        tok->end_col = tok->col + 1;
        new_line(lx, lx->cur);
        lx->at_line_start = true;
        lx->emitted_any = false;
        return 0;
    }
    if (at_end(lx, lx->cur))
        return at_eof(lx, tok);
    return scan_token(lx, tok);
}

