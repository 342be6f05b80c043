/* types_int.h — internals shared by the built-in container and text types
 * (str, bytes, tuple, list, dict, set, range, slice) beyond py.h's contract:
 * their start-up hooks, argument-count checks worded as CPython's, and a few
 * cross-type helpers (iterator types, slice resolution, string building).
 */
#ifndef TALLY_LANG_TYPES_INT_H
#define TALLY_LANG_TYPES_INT_H

#include "py.h"

/* Start-up: ready the types of each file and build its singletons. Call
 * py_str_init first (every other type's name is an interned str). */
int py_str_init(void);
int py_bytes_init(void);
int py_tuple_init(void);
int py_tuple_make_empty(void);   /* the () singleton alone, before any type is readied */
int py_list_init(void);
int py_dict_init(void);
int py_set_init(void);
int py_range_init(void);
int py_slice_init(void);
/* All of the above, in order. */
int py_containers_init(void);

/* Argument count checks for methods (nargs excludes self), worded as
 * CPython 3.11 words them:
 *   min = max = 0: "f() takes no arguments (N given)"
 *   min = max = 1: "f() takes exactly one argument (N given)"
 *   otherwise:     "f expected at most N arguments, got M" and friends.
 * Keywords are refused: "T.f() takes no keyword arguments". */
int py_check_args(const char *qualname, size_t nargs, py_obj *kwnames, size_t min, size_t max);

/* Iterator and view types. */
extern py_type py_list_iter_type, py_list_reviter_type, py_tuple_iter_type, py_str_iter_type,
    py_bytes_iter_type, py_range_iter_type, py_set_iter_type, py_dict_keys_type,
    py_dict_values_type, py_dict_items_type, py_dict_keyiter_type, py_dict_valueiter_type,
    py_dict_itemiter_type, py_dict_revkeyiter_type;

/* str.c */
py_obj *py_str_from_char(uint32_t cp);              /* one code point; latin-1 are cached */
py_obj *py_str_repr_obj(py_obj *s);                 /* repr(s) */
bool py_str_is_ascii(const py_obj *s);
intptr_t py_str_hash(py_obj *s);
py_obj *py_str_from_valid_utf8(const char *s, size_t n);   /* trusted UTF-8 */
py_obj *py_str_from_vformat(const char *fmt, va_list ap);   /* py_str_from_format */
py_obj *py_str_substr(py_obj *s, intptr_t a, intptr_t b);    /* code points [a, b) */
/* Offset of the first byte that is not valid UTF-8, or n. */
size_t py_utf8_valid_prefix(const char *s, size_t n, size_t *bad_len);
/* SipHash-1-3 (fixed key) of bytes: the hash of str and bytes. */
intptr_t py_hash_bytes(const void *data, size_t n);
bool py_unicode_isprintable(uint32_t c);
/* Byte offset of needle in hay[from..to), or -1. */
intptr_t py_bytes_find(const char *hay, size_t from, size_t to, const char *needle, size_t n);
/* strmethods.c, strformat.c */
extern const py_method_def py_str_methods[];
py_obj *py_str_mod(py_obj *a, py_obj *b);                   /* str % args */
py_obj *py_str_tp_new(py_type *t, py_obj *const *args, size_t nargs, py_obj *kwnames);
/* Byte offset of code point i (0 <= i <= len). */
size_t py_str_offset(py_obj *s, intptr_t i);
/* Decodes one UTF-8 code point at p, advancing *p. Input must be valid. */
static inline uint32_t py_utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    if (c < 0x80) { *p = s + 1; return c; }
    if (c < 0xE0) { *p = s + 2; return ((c & 0x1F) << 6) | (s[1] & 0x3F); }
    if (c < 0xF0) { *p = s + 3; return ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F); }
    *p = s + 4;
    return ((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}
/* Encodes cp as UTF-8 into out (4 bytes room); returns the byte count. */
static inline size_t py_utf8_put(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) { o[0] = (unsigned char)(0xC0 | (cp >> 6)); o[1] = (unsigned char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12)); o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18)); o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A growable UTF-8 buffer on the VM heap, for building strings. On failure
 * it records MemoryError once and later appends do nothing. */
typedef struct py_strbuf {
    char *data;
    size_t len, cap;
    bool failed;
    char small[128];
} py_strbuf;
void py_strbuf_init(py_strbuf *b);
void py_strbuf_add(py_strbuf *b, const char *s, size_t n);
static inline void py_strbuf_puts(py_strbuf *b, const char *s) { py_strbuf_add(b, s, strlen(s)); }
void py_strbuf_addc(py_strbuf *b, char c);
void py_strbuf_add_cp(py_strbuf *b, uint32_t cp);
void py_strbuf_add_str(py_strbuf *b, py_obj *s);
void py_strbuf_fill(py_strbuf *b, uint32_t cp, size_t count);
/* Finishes: a str (the buffer holds valid UTF-8) or NULL; frees the buffer. */
py_obj *py_strbuf_finish(py_strbuf *b);
void py_strbuf_free(py_strbuf *b);

/* bytes.c */
py_obj *py_bytes_repr_obj(py_obj *b);
py_obj *py_bytes_decode(py_obj *b, py_obj *encoding, py_obj *errors);   /* NULLs: defaults */
/* bytesmethods.c */
extern const py_method_def py_bytes_methods[];
int py_bytes_methods_init(void);
py_obj *py_bytes_mod(py_obj *fmt, py_obj *args);                        /* bytes % args (strformat.c) */

/* codecs.c: utf-8, ascii and latin-1 with CPython's error handlers.
   encoding/errors may be NULL (utf-8, strict); bytes is the object data
   belongs to, or NULL (one is made if an error must name it). */
py_obj *py_codec_encode(py_obj *s, py_obj *encoding, py_obj *errors);
py_obj *py_codec_decode(py_obj *bytes, const char *data, size_t n, py_obj *encoding, py_obj *errors);

/* slice.c: the start/stop/step of a slice object (borrowed). */
typedef struct py_slice {
    tl_object ob;
    py_obj *start, *stop, *step;
} py_slice;
static inline bool py_slice_check(const py_obj *o) { return py_type_of(o) == &py_slice_type; }
/* Normalises a sequence index (negative from the end); -1 if out of range. */
static inline intptr_t py_seq_index(intptr_t i, intptr_t len)
{
    if (i < 0)
        i += len;
    return (i < 0 || i >= len) ? -1 : i;
}
/* An index argument for list/tuple/str methods: int or __index__ clamped. */
int py_clamped_index(py_obj *o, intptr_t *out);

/* Shared sequence helpers (tuple.c). */
py_obj *py_seq_richcompare(py_obj **a, intptr_t na, py_obj **b, intptr_t nb, int op);
/* The repeat count of `seq * n` (either operand order): 1 with *seq and
 * *count set; 0 when a class operand may handle it (NotImplemented); -1 on error. */
int py_seq_repeat_count(py_obj *a, py_obj *b, const py_type *seqtype, py_obj **seq, intptr_t *count);
/* The optional start/stop arguments of index() (a[0], a[1] when n allows),
 * clamped to 0..len like slice bounds. */
int py_index_bounds(py_obj *const *a, size_t n, intptr_t len, intptr_t *start, intptr_t *stop);
py_obj *py_self_iter(py_obj *o);
/* Iterators over one sequence (list, tuple, str, bytes): one word of
 * position, then the sequence (NULL once exhausted). Their types share this
 * traverse and clear and use the standard dealloc (untrack, clear, free). */
typedef struct py_seq_iter {
    tl_object ob;
    intptr_t pos;
    py_obj *seq;
} py_seq_iter;
int py_seq_iter_traverse(tl_object *o, tl_visit_fn visit, void *arg);
void py_seq_iter_clear(tl_object *o);

/* range.c */
py_obj *py_range_new(intptr_t start, intptr_t stop, intptr_t step);
py_obj *py_range_item_obj(py_obj *r, py_obj *index);                 /* r[index], index an int */
extern py_type py_long_range_iter_type;

/* dict.c */
/* A dict with room for n items without resizing (CPython's dict_new_presized,
 * for BUILD_MAP and friends). */
py_obj *py_dict_new_presized(size_t n);
/* Tracks d if it is untracked and v may be tracked (CPython's MAINTAIN_TRACKING). */
void py_dict_maybe_track(py_obj *d, py_obj *v);

/* str.c: an instance of a class derived from str with s's text */
py_obj *py_str_subtype_new(py_type *t, py_obj *s);

#endif
