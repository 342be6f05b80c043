/* debug.c — the debug heap (TALLY_MALLOC=debug or tl_heap_options.debug).
 *
 * Each block is wrapped:
 *     [8 link space][8 state][8 size][8 serial][16 guard 0xFD] data [16 guard 0xFD]
 * so the caller still gets a 16-byte aligned pointer. Fresh data is filled
 * with 0xCD. On free, the state becomes FREED and everything from the front
 * guard to the end of the underlying block is filled with 0xDD; pools of a
 * debug heap are filled with 0xDD when they are (re)assigned, so every byte of
 * a pooled block that is not handed out reads 0xDD except its free-list link.
 * Checks, each reported with the block's serial and size before abort():
 *   - free: state must be ALLOC (FREED: double free), both guards intact
 *     (front damaged: underflow; back damaged: overflow);
 *   - reuse of a pooled block: the poison must be intact (write after free).
 * The size and serial of a freed block are kept, so a write after free names
 * the block that was written to.
 */
#include "heap_int.h"

#include <stdlib.h>
#include <string.h>

#define DBG_CLEAN 0xCD
#define DBG_DEAD 0xDD
#define DBG_FORBIDDEN 0xFD
#define DBG_GUARD 16u
#define DBG_ALLOC_MAGIC ((uint64_t)0xA110CA7EDB10CC5Dull)
#define DBG_FREED_MAGIC ((uint64_t)0xF5EEDB10CCDEAD00ull)

typedef struct dbg_header {
    uint64_t link;        /* free-list link once the block is back in a pool */
    uint64_t state;       /* DBG_ALLOC_MAGIC or DBG_FREED_MAGIC */
    uint64_t size;        /* requested bytes */
    uint64_t serial;      /* 1 for the heap's first allocation, 2 for the next... */
    unsigned char guard[DBG_GUARD];
} dbg_header;

_Static_assert(sizeof(dbg_header) == 48, "debug header keeps 16-byte alignment");
#define DBG_OVERHEAD (sizeof(dbg_header) + DBG_GUARD)

static dbg_header *header_of(const void *p) { return (dbg_header *)p - 1; }

HEAP_COLD static void report(const char *what, const dbg_header *hd, const void *p, const char *detail)
{
    fflush(stdout);
    fprintf(stderr, "tally: debug heap: %s: block #%llu of %llu bytes at %p%s%s\n",
            what, (unsigned long long)hd->serial, (unsigned long long)hd->size, p,
            detail ? ": " : "", detail ? detail : "");
    fflush(stderr);
    abort();
}

/* Index of the first byte in [from, to) that is not `byte`, or -1. */
static ptrdiff_t first_bad(const unsigned char *from, const unsigned char *to, unsigned char byte)
{
    for (const unsigned char *q = from; q < to; q++)
        if (*q != byte)
            return q - from;
    return -1;
}

/* A pooled block about to be reused must still carry its poison. */
static void check_poison(void *raw)
{
    heap_pool *pool = heap_pool_of(raw);
    unsigned char *end = (unsigned char *)raw + heap_class_size(pool->szidx);
    dbg_header *hd = raw;
    char detail[96];
    if (hd->state != DBG_FREED_MAGIC) {
        unsigned char *q = (unsigned char *)&hd->state;
        ptrdiff_t bad = first_bad(q, end, DBG_DEAD);
        if (bad >= 0) {
            snprintf(detail, sizeof detail, "a never-allocated block was written at byte %td",
                     bad - (ptrdiff_t)offsetof(dbg_header, guard) + 8);
            report("write to free memory", hd, hd + 1, detail);
        }
        return;
    }
    ptrdiff_t bad = first_bad(hd->guard, end, DBG_DEAD);
    if (bad >= 0) {
        snprintf(detail, sizeof detail, "byte %td of the freed block was modified after free",
                 bad - (ptrdiff_t)DBG_GUARD);
        report("write after free", hd, hd + 1, detail);
    }
}

void *heap_debug_alloc(tl_heap *h, size_t n)
{
    if (n > SIZE_MAX - DBG_OVERHEAD)
        return NULL;
    size_t total = n + DBG_OVERHEAD;
    dbg_header *hd = heap_raw_alloc(h, total);
    if (!hd)
        return NULL;
    if (heap_in_region(hd))
        check_poison(hd);
    hd->state = DBG_ALLOC_MAGIC;
    hd->size = n;
    hd->serial = ++h->debug_serial;
    memset(hd->guard, DBG_FORBIDDEN, DBG_GUARD);
    unsigned char *data = (unsigned char *)(hd + 1);
    memset(data, DBG_CLEAN, n);
    memset(data + n, DBG_FORBIDDEN, DBG_GUARD);
    return data;
}

static void check_live(const dbg_header *hd, const void *p)
{
    char detail[96];
    if (hd->state == DBG_FREED_MAGIC)
        report("double free", hd, p, "the block was already freed");
    if (hd->state != DBG_ALLOC_MAGIC)
        report("invalid free", hd, p, "not a live block of this heap, or its header was overwritten");
    ptrdiff_t bad = first_bad(hd->guard, hd->guard + DBG_GUARD, DBG_FORBIDDEN);
    if (bad >= 0) {
        snprintf(detail, sizeof detail, "guard byte %td before the start was overwritten",
                 (ptrdiff_t)DBG_GUARD - bad);
        report("buffer underflow", hd, p, detail);
    }
    const unsigned char *tail = (const unsigned char *)p + hd->size;
    bad = first_bad(tail, tail + DBG_GUARD, DBG_FORBIDDEN);
    if (bad >= 0) {
        snprintf(detail, sizeof detail, "guard byte %td after the end was overwritten", bad);
        report("buffer overflow", hd, p, detail);
    }
}

void heap_debug_free(tl_heap *h, void *p)
{
    dbg_header *hd = header_of(p);
    check_live(hd, p);
    hd->state = DBG_FREED_MAGIC;
    size_t raw_size = heap_in_region(hd) ? heap_class_size(heap_pool_of(hd)->szidx)
                                         : hd->size + DBG_OVERHEAD;
    memset(hd->guard, DBG_DEAD, raw_size - offsetof(dbg_header, guard));
    heap_raw_free(h, hd);
}

size_t heap_debug_size(const void *p)
{
    const dbg_header *hd = header_of(p);
    check_live(hd, p);
    return hd->size;
}

/* Whether a block outside the region is a debug block: its front guard's
 * last word. A non-debug large block has its heap pointer there, and no
 * pointer is 0xFDFD...FD. */
bool heap_debug_is_large_debug(const void *p)
{
    uint64_t w;
    memcpy(&w, (const char *)p - 8, sizeof w);
    return w == 0xFDFDFDFDFDFDFDFDull;
}

tl_heap *heap_debug_large_heap(const void *p)
{
    return heap_large_of(header_of(p))->heap;
}

void heap_debug_damaged_large(const void *p)
{
    check_live(header_of(p), p);          /* names the damage when it can */
    report("buffer underflow or invalid free", header_of(p), p,
           "the large block's front guard is damaged");
}

void heap_debug_poison_pool(void *pool_start, size_t len)
{
    memset(pool_start, DBG_DEAD, len);
}
