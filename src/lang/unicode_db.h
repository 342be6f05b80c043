/* The Unicode character database str's methods read: per code point, its
 * case mappings (full, as str.upper() etc. apply them), its case and class
 * properties, and its decimal and digit values.
 *
 * Layout: a record per distinct combination of those, found through two
 * levels of index: py_ucd_index1[c >> PY_UCD_SHIFT] names a block of
 * 1 << PY_UCD_SHIFT entries in py_ucd_index2, whose entry for c is the record
 * number. A mapping field is either a delta to add to c (the mapping is one
 * code point), or PY_UCD_EXT + i: py_ucd_ext[i] is the mapping's length n and
 * py_ucd_ext[i+1 .. i+n] its code points (at most 3).
 *
 * unicode_db.c is generated (scripts/gen-unicode-db.py) from CPython 3.11,
 * whose str methods these tables reproduce. */
#ifndef TALLY_LANG_UNICODE_DB_H
#define TALLY_LANG_UNICODE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    PY_UCD_LOWER = 1 << 0,          /* Lowercase (str.islower) */
    PY_UCD_UPPER = 1 << 1,          /* Uppercase (str.isupper) */
    PY_UCD_TITLE = 1 << 2,          /* general category Lt */
    PY_UCD_CASED = 1 << 3,
    PY_UCD_CASE_IGNORABLE = 1 << 4, /* for the final sigma rule */
    PY_UCD_ALPHA = 1 << 5,
    PY_UCD_DECIMAL = 1 << 6,
    PY_UCD_DIGIT = 1 << 7,
    PY_UCD_NUMERIC = 1 << 8,
    PY_UCD_SPACE = 1 << 9,
    PY_UCD_PRINTABLE = 1 << 10,
    PY_UCD_XID_START = 1 << 11,     /* may start an identifier ('_' included) */
    PY_UCD_XID_CONTINUE = 1 << 12,
};

#define PY_UCD_SHIFT 7
#define PY_UCD_EXT 0x40000000
#define PY_UCD_MAXMAP 3             /* longest full case mapping, in code points */

typedef struct py_ucd_record {
    int32_t upper, lower, title, fold;   /* delta or PY_UCD_EXT + index */
    uint16_t flags;                      /* PY_UCD_* */
    uint8_t decimal, digit;              /* 0..9, or 0xFF for none */
} py_ucd_record;

enum py_ucd_case { PY_UCD_TO_UPPER, PY_UCD_TO_LOWER, PY_UCD_TO_TITLE, PY_UCD_TO_FOLD };

extern const py_ucd_record py_ucd_records[];
extern const uint16_t py_ucd_index1[];
extern const uint16_t py_ucd_index2[];
extern const uint32_t py_ucd_ext[];

static inline const py_ucd_record *py_ucd_get(uint32_t c)
{
    if (c >= 0x110000)
        c = 0x10FFFF;                    /* unassigned, like every other */
    uint32_t block = py_ucd_index1[c >> PY_UCD_SHIFT];
    return &py_ucd_records[py_ucd_index2[(block << PY_UCD_SHIFT) | (c & ((1u << PY_UCD_SHIFT) - 1))]];
}

static inline bool py_ucd_has(uint32_t c, unsigned flag) { return (py_ucd_get(c)->flags & flag) != 0; }

/* The full mapping of c for `which` into out; returns its length (1..3). */
static inline size_t py_ucd_case(uint32_t c, enum py_ucd_case which, uint32_t out[PY_UCD_MAXMAP])
{
    const py_ucd_record *r = py_ucd_get(c);
    int32_t m = which == PY_UCD_TO_UPPER ? r->upper : which == PY_UCD_TO_LOWER ? r->lower
              : which == PY_UCD_TO_TITLE ? r->title : r->fold;
    if (m < PY_UCD_EXT) {
        out[0] = (uint32_t)((int32_t)c + m);
        return 1;
    }
    const uint32_t *e = &py_ucd_ext[m - PY_UCD_EXT];
    for (uint32_t i = 0; i < e[0]; i++)
        out[i] = e[1 + i];
    return e[0];
}

#endif
