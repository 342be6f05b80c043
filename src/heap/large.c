/* large.c — blocks above 512 bytes, from the system allocator.
 *
 * Each is malloc'd with a 32-byte heap_large header in front (so the block
 * stays 16-byte aligned) and linked into its heap's list, so that
 * tl_heap_delete can free every block still held, and statistics count them.
 * A large block never lies inside the arena region, which is how free() knows
 * it from a pool block.
 */
#include "heap_int.h"

#include <stdlib.h>

_Static_assert(sizeof(heap_large) % TL_HEAP_ALIGNMENT == 0, "large header keeps alignment");

static void large_link(tl_heap *h, heap_large *l)
{
    l->prev = NULL;
    l->next = h->large;
    if (h->large)
        h->large->prev = l;
    h->large = l;
}

static void large_unlink(tl_heap *h, heap_large *l)
{
    if (l->prev)
        l->prev->next = l->next;
    else
        h->large = l->next;
    if (l->next)
        l->next->prev = l->prev;
}

static void account(tl_heap *h, ptrdiff_t blocks, ptrdiff_t bytes)
{
    h->large_blocks += (size_t)blocks;
    h->large_bytes += (size_t)bytes;
    if (bytes >= 0)
        heap_count_alloc(h, (size_t)bytes);
    else
        heap_count_free(h, (size_t)-bytes);
}

void *heap_large_alloc(tl_heap *h, size_t n)
{
    if (n > TL_HEAP_MAX_REQUEST)
        return NULL;
    heap_large *l = malloc(sizeof *l + n);
    if (!l)
        return NULL;
    l->size = n;
    l->heap = h;
    large_link(h, l);
    account(h, 1, (ptrdiff_t)n);
    return l + 1;
}

void *heap_large_realloc(void *p, size_t n)
{
    heap_large *l = heap_large_of(p);
    tl_heap *h = l->heap;
    size_t old = l->size;
    if (n > TL_HEAP_MAX_REQUEST)
        return NULL;
    large_unlink(h, l);
    heap_large *m = realloc(l, sizeof *m + n);
    if (!m) {
        large_link(h, l);
        return NULL;
    }
    m->size = n;
    large_link(h, m);
    account(h, 0, (ptrdiff_t)n - (ptrdiff_t)old);
    return m + 1;
}

void heap_large_free(void *p)
{
    heap_large *l = heap_large_of(p);
    tl_heap *h = l->heap;
    large_unlink(h, l);
    account(h, -1, -(ptrdiff_t)l->size);
    free(l);
}

void heap_large_release_all(tl_heap *h)
{
    while (h->large)
        heap_large_free(h->large + 1);
}
