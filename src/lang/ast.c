/* ast.c — the syntax tree's arena: bump allocation in heap chunks, and the
 * identifier table that makes equal names one pointer.
 *
 * Invariants: chunks are never moved, so node pointers stay valid until
 * ast_arena_free; the name table's load stays at or under one half.
 */
#include "ast.h"

#define CHUNK_SIZE ((size_t)32 << 10)

struct ast_chunk {
    ast_chunk *next;
    size_t size;                 /* usable bytes after the header */
    max_align_t data[];
};

void ast_arena_init(ast_arena *a)
{
    memset(a, 0, sizeof *a);
}

void ast_arena_free(ast_arena *a)
{
    ast_chunk *c = a->chunks;
    while (c) {
        ast_chunk *next = c->next;
        tl_heap_free(c);
        c = next;
    }
    tl_heap_free(a->names);
    memset(a, 0, sizeof *a);
}

static int add_chunk(ast_arena *a, size_t need)
{
    size_t size = need > CHUNK_SIZE / 2 ? need : CHUNK_SIZE;
    ast_chunk *c = tl_heap_alloc(vm.heap, sizeof *c + size);
    if (!c) {
        py_err_no_memory();
        return -1;
    }
    c->size = size;
    if (need > CHUNK_SIZE / 2 && a->chunks) {
        /* a big block: keep bumping in the current chunk */
        c->next = a->chunks->next;
        a->chunks->next = c;
        return 1;
    }
    c->next = a->chunks;
    a->chunks = c;
    a->next = (char *)c->data;
    a->limit = a->next + size;
    return 0;
}

void *ast_alloc(ast_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    if ((size_t)(a->limit - a->next) < n) {
        int r = add_chunk(a, n);
        if (r < 0)
            return NULL;
        if (r == 1) {
            void *p = a->chunks->next->data;
            memset(p, 0, n);
            return p;
        }
    }
    void *p = a->next;
    a->next += n;
    memset(p, 0, n);
    return p;
}

static size_t hash_bytes(const char *s, size_t n)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static int grow_names(ast_arena *a)
{
    size_t cap = a->cap ? a->cap * 2 : 256;
    const char **t = tl_heap_calloc(vm.heap, cap * sizeof *t);
    if (!t) {
        py_err_no_memory();
        return -1;
    }
    for (size_t i = 0; i < a->cap; i++) {
        const char *s = a->names[i];
        if (!s)
            continue;
        size_t j = hash_bytes(s, strlen(s)) & (cap - 1);
        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = s;
    }
    tl_heap_free(a->names);
    a->names = t;
    a->cap = cap;
    return 0;
}

const char *ast_intern(ast_arena *a, const char *s, size_t n)
{
    if ((a->nnames + 1) * 2 > a->cap && grow_names(a) < 0)
        return NULL;
    size_t j = hash_bytes(s, n) & (a->cap - 1);
    for (; a->names[j]; j = (j + 1) & (a->cap - 1)) {
        const char *t = a->names[j];
        if (strncmp(t, s, n) == 0 && t[n] == 0)
            return t;
    }
    char *copy = ast_alloc(a, n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    a->names[j] = copy;
    a->nnames++;
    return copy;
}
