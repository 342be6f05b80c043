/* region.c — the process-wide address-space reservation that arenas come from.
 *
 * One PROT_NONE, MAP_NORESERVE mapping is made the first time a heap is
 * created (TALLY_HEAP_RESERVE=SIZE overrides the default of 32 GiB; it costs
 * address space, not memory). Arenas are committed in 1 MiB slots of it and
 * released by mapping the slot PROT_NONE again, which gives the pages back to
 * the OS while keeping the range ours. Because every pool block lies inside the
 * region and no large block can, heap_in_region() decides on free whether a
 * block is small with one subtraction and compare.
 *
 * Beside the region, a second reservation holds the pool table: one 64-byte
 * heap_pool descriptor per 16 KiB of the region, so 4 KiB (one page) per arena
 * slot, committed and released with its arena (fresh descriptors read zero).
 *
 * Slots are handed out lowest-first from a bitmap under a mutex (arena
 * traffic is rare: one event per 1 MiB), so live arenas stay packed low.
 * All heaps of the process share the region; each arena belongs to one heap.
 */
#define _GNU_SOURCE
#include "heap_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define REGION_DEFAULT ((size_t)32 << 30)
#define REGION_MIN ((size_t)16 << 20)

uintptr_t heap_region_base;
uintptr_t heap_region_size;
heap_pool *heap_pool_table;

#define SLOT_TABLE_BYTES (HEAP_POOLS_PER_ARENA * sizeof(heap_pool))

static pthread_mutex_t region_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t region_once = PTHREAD_ONCE_INIT;
static uint64_t *slot_bits;     /* bit i set iff slot i is committed */
static size_t nslots;
static size_t first_maybe_free; /* no free slot below this index */

static size_t parse_size(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    switch (*end) {
    case 'k': case 'K': v <<= 10; break;
    case 'm': case 'M': v <<= 20; break;
    case 'g': case 'G': v <<= 30; break;
    default: break;
    }
    return (size_t)v;
}

static void region_reserve(void)
{
    size_t size = REGION_DEFAULT;
    const char *env = getenv("TALLY_HEAP_RESERVE");
    if (env && *env)
        size = parse_size(env);
    if (size < REGION_MIN)
        size = REGION_MIN;
    size &= ~(TL_HEAP_ARENA_SIZE - 1);
    /* Over-reserve one arena so the start can be aligned to the arena size. */
    for (; size >= REGION_MIN; size /= 2) {
        void *p = mmap(NULL, size + TL_HEAP_ARENA_SIZE, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            continue;
        uintptr_t a = ((uintptr_t)p + TL_HEAP_ARENA_SIZE - 1) & ~(uintptr_t)(TL_HEAP_ARENA_SIZE - 1);
        size_t head = a - (uintptr_t)p, tail = TL_HEAP_ARENA_SIZE - head;
        if (head)
            munmap(p, head);
        if (tail)
            munmap((char *)a + size, tail);
        nslots = size / TL_HEAP_ARENA_SIZE;
        void *table = mmap(NULL, nslots * SLOT_TABLE_BYTES, PROT_NONE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        slot_bits = calloc((nslots + 63) / 64, sizeof *slot_bits);
        if (!slot_bits || table == MAP_FAILED) {
            free(slot_bits);
            slot_bits = NULL;
            if (table != MAP_FAILED)
                munmap(table, nslots * SLOT_TABLE_BYTES);
            munmap((void *)a, size);
            continue;
        }
        heap_pool_table = table;
        heap_region_base = a;
        heap_region_size = size;
        return;
    }
}

bool heap_region_init(void)
{
    pthread_once(&region_once, region_reserve);
    return heap_region_size != 0;
}

static size_t take_slot(void)
{
    for (size_t w = first_maybe_free / 64; w < (nslots + 63) / 64; w++) {
        if (slot_bits[w] == ~(uint64_t)0)
            continue;
        size_t i = w * 64 + (size_t)__builtin_ctzll(~slot_bits[w]);
        if (i >= nslots)
            break;
        slot_bits[w] |= (uint64_t)1 << (i % 64);
        first_maybe_free = i + 1;
        return i;
    }
    return SIZE_MAX;
}

static void give_slot(size_t i)
{
    pthread_mutex_lock(&region_lock);
    slot_bits[i / 64] &= ~((uint64_t)1 << (i % 64));
    if (i < first_maybe_free)
        first_maybe_free = i;
    pthread_mutex_unlock(&region_lock);
}

/* Commits (or, with prot PROT_NONE, releases: the pages go back to the OS)
 * the n bytes at p, which lie in one of our reservations. */
static bool remap(void *p, size_t n, int prot)
{
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | (prot == PROT_NONE ? MAP_NORESERVE : 0);
    return mmap(p, n, prot, flags, -1, 0) != MAP_FAILED;
}

void *heap_region_commit(void)
{
    pthread_mutex_lock(&region_lock);
    size_t i = take_slot();
    pthread_mutex_unlock(&region_lock);
    if (i == SIZE_MAX)
        return NULL;
    void *arena = (void *)(heap_region_base + i * TL_HEAP_ARENA_SIZE);
    void *table = heap_pool_table + i * HEAP_POOLS_PER_ARENA;
    if (!remap(table, SLOT_TABLE_BYTES, PROT_READ | PROT_WRITE)) {
        give_slot(i);
        return NULL;
    }
    if (!remap(arena, TL_HEAP_ARENA_SIZE, PROT_READ | PROT_WRITE)) {
        remap(table, SLOT_TABLE_BYTES, PROT_NONE);
        give_slot(i);
        return NULL;
    }
    return arena;
}

void heap_region_release(void *arena)
{
    /* Replacing the mappings drops their pages; the ranges stay reserved. */
    size_t i = ((uintptr_t)arena - heap_region_base) / TL_HEAP_ARENA_SIZE;
    remap(arena, TL_HEAP_ARENA_SIZE, PROT_NONE);
    remap(heap_pool_table + i * HEAP_POOLS_PER_ARENA, SLOT_TABLE_BYTES, PROT_NONE);
    give_slot(i);
}
