/* lexer.h — the tokenizer: UTF-8 source text to Python tokens, on demand.
 *
 * The lexer owns the indentation stack (INDENT/DEDENT), the bracket stack
 * (implicit line joining, mismatched and unclosed brackets) and the shape of
 * every literal. It does not decode literals: a STRING token covers the prefix
 * and quotes exactly as written, a NUMBER token its digits; the parser turns
 * them into values. f-strings are single STRING tokens; the parser lexes the
 * expressions inside them with a nested lexer started at their position.
 *
 * Positions: lines are 1-based, columns 0-based UTF-8 byte offsets in their
 * line, as CPython's col_offset. Errors are raised with py_err_syntax (or
 * IndentationError/TabError) and lx_next returns -1.
 */
#ifndef TALLY_LANG_LEXER_H
#define TALLY_LANG_LEXER_H

#include "py.h"

/* Operators and delimiters, longest spellings first within a family is not
 * required: the lexer matches the longest operator itself. */
#define LX_OPERATORS(X) \
    X(LPAR, "(") X(RPAR, ")") X(LSQB, "[") X(RSQB, "]") X(LBRACE, "{") X(RBRACE, "}") \
    X(COLON, ":") X(COMMA, ",") X(SEMI, ";") X(PLUS, "+") X(MINUS, "-") X(STAR, "*") \
    X(SLASH, "/") X(VBAR, "|") X(AMPER, "&") X(LESS, "<") X(GREATER, ">") X(EQUAL, "=") \
    X(DOT, ".") X(PERCENT, "%") X(EQEQUAL, "==") X(NOTEQUAL, "!=") X(LESSEQUAL, "<=") \
    X(GREATEREQUAL, ">=") X(TILDE, "~") X(CIRCUMFLEX, "^") X(LEFTSHIFT, "<<") \
    X(RIGHTSHIFT, ">>") X(DOUBLESTAR, "**") X(PLUSEQUAL, "+=") X(MINEQUAL, "-=") \
    X(STAREQUAL, "*=") X(SLASHEQUAL, "/=") X(PERCENTEQUAL, "%=") X(AMPEREQUAL, "&=") \
    X(VBAREQUAL, "|=") X(CIRCUMFLEXEQUAL, "^=") X(LEFTSHIFTEQUAL, "<<=") \
    X(RIGHTSHIFTEQUAL, ">>=") X(DOUBLESTAREQUAL, "**=") X(DOUBLESLASH, "//") \
    X(DOUBLESLASHEQUAL, "//=") X(AT, "@") X(ATEQUAL, "@=") X(RARROW, "->") \
    X(ELLIPSIS, "...") X(COLONEQUAL, ":=") X(EXCLAMATION, "!")

#define LX_KEYWORDS(X) \
    X(FALSE, "False") X(NONE, "None") X(TRUE, "True") X(AND, "and") X(AS, "as") \
    X(ASSERT, "assert") X(ASYNC, "async") X(AWAIT, "await") X(BREAK, "break") \
    X(CLASS, "class") X(CONTINUE, "continue") X(DEF, "def") X(DEL, "del") X(ELIF, "elif") \
    X(ELSE, "else") X(EXCEPT, "except") X(FINALLY, "finally") X(FOR, "for") X(FROM, "from") \
    X(GLOBAL, "global") X(IF, "if") X(IMPORT, "import") X(IN, "in") X(IS, "is") \
    X(LAMBDA, "lambda") X(NONLOCAL, "nonlocal") X(NOT, "not") X(OR, "or") X(PASS, "pass") \
    X(RAISE, "raise") X(RETURN, "return") X(TRY, "try") X(WHILE, "while") X(WITH, "with") \
    X(YIELD, "yield")

typedef enum lx_kind {
    TK_ENDMARKER, TK_NAME, TK_NUMBER, TK_STRING, TK_NEWLINE, TK_INDENT, TK_DEDENT,
#define LX_OP_ENUM(name, text) TK_##name,
    LX_OPERATORS(LX_OP_ENUM)
#undef LX_OP_ENUM
#define LX_KW_ENUM(name, text) KW_##name,
    LX_KEYWORDS(LX_KW_ENUM)
#undef LX_KW_ENUM
    TK__COUNT
} lx_kind;

typedef struct lx_token {
    lx_kind kind;
    const char *start;          /* into the source; NEWLINE/INDENT/DEDENT: where they stand */
    uint32_t len;               /* bytes */
    int lineno, col;            /* 1-based line, 0-based byte column */
    int end_lineno, end_col;
} lx_token;

#define LX_MAX_INDENT 100       /* CPython's MAXINDENT */
#define LX_MAX_PAREN 200        /* CPython's MAXLEVEL */

typedef struct lx_bracket { char ch; int lineno, col; } lx_bracket;

typedef struct lx_state {
    const char *src, *end;      /* the text to tokenize (end: one past the last byte) */
    const char *buf, *buf_end;  /* the whole source it lies in (for error lines) */
    const char *cur;            /* next byte to read */
    const char *line_start;     /* first byte of the current physical line */
    const char *filename;
    int lineno;                 /* of cur */
    int indents[LX_MAX_INDENT + 1], altindents[LX_MAX_INDENT + 1];
    int nindents;               /* indents[0..nindents) are open; indents[0] == 0 */
    int pending_dedents;        /* DEDENT tokens still to hand out */
    lx_bracket brackets[LX_MAX_PAREN];
    int nbrackets;
    bool at_line_start;         /* next token begins a logical line: measure indentation */
    bool emitted_any;           /* a token other than NEWLINE was produced on this logical line */
    bool done;                  /* ENDMARKER returned */
    bool fstring_expr;          /* lexing an f-string expression: no NEWLINE/INDENT */
} lx_state;

/* Starts a lexer over src[0..len). filename is borrowed for error messages.
 * line/col place the first byte (1 and 0 for whole files; f-string
 * expressions start where they stand in the enclosing source). */
void lx_init(lx_state *lx, const char *src, size_t len, const char *filename);
void lx_init_at(lx_state *lx, const char *src, size_t len, const char *filename,
                const char *buf, const char *buf_end, const char *line_start, int lineno,
                bool fstring_expr);
/* Produces the next token: 0, or -1 with a SyntaxError set. */
int lx_next(lx_state *lx, lx_token *tok);

/* Text of the line of source holding p (up to, excluding, the newline), as a
 * NUL-terminated copy in buf (truncated to size). */
void lx_line_text(const char *src, const char *end, const char *p, char *buf, size_t size);
/* Raises SyntaxError-like type at a byte position of source (0-based byte
 * column; converted to CPython's 1-based character offset). */
void lx_error_at(py_type *type, const char *filename, const char *src, const char *end,
                 const char *line_start, int lineno, int col, int end_lineno, int end_col,
                 const char *msg);
/* The spelling of a token kind ("(", "if", "NAME"). */
const char *lx_kind_text(lx_kind k);

#endif
