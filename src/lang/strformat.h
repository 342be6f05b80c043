/* strformat.h — the format-spec mini-language shared by str, int and float
 * __format__, str.format and printf-style % formatting (strformat.c).
 */
#ifndef TALLY_LANG_STRFORMAT_H
#define TALLY_LANG_STRFORMAT_H

#include "py.h"
#include "types_int.h"

/* [[fill]align][sign][z][#][0][width][grouping][.precision][type] */
typedef struct py_fmtspec {
    uint32_t fill;          /* ' ' unless given */
    char align;             /* '<', '>', '^', '=' or 0 (the type's default) */
    char sign;              /* '+', '-', ' ' or 0 */
    bool alt;               /* '#' */
    bool zero;              /* '0' before the width */
    bool no_neg_zero;       /* 'z' */
    intptr_t width;         /* -1: none */
    char grouping;          /* ',', '_' or 0 */
    intptr_t precision;     /* -1: none */
    char type;              /* 0: none */
} py_fmtspec;

/* Parses a spec (a str); ValueError "Invalid format specifier" on error. */
int py_fmtspec_parse(py_obj *spec, py_fmtspec *out);

/* Formats a C integer value / C double with a parsed spec. */
py_obj *py_format_long(long long v, const py_fmtspec *spec);
py_obj *py_format_double(double v, const py_fmtspec *spec);
/* str.__format__ with a parsed spec. */
py_obj *py_format_str(py_obj *s, const py_fmtspec *spec);

#endif
