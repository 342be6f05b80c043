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
        slot_bits = calloc((nslots + 63) / 64, sizeof *slot_bits);
        if (!slot_bits) {
            munmap((void *)a, size);
            return;
        }
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
    slot_bits[i / 64] &= ~((uint64_t)1 << (i % 64));
    if (i < first_maybe_free)
        first_maybe_free = i;
}

void *heap_region_commit(void)
{
    pthread_mutex_lock(&region_lock);
    size_t i = take_slot();
    pthread_mutex_unlock(&region_lock);
    if (i == SIZE_MAX)
        return NULL;
    void *want = (void *)(heap_region_base + i * TL_HEAP_ARENA_SIZE);
    void *p = mmap(want, TL_HEAP_ARENA_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (p == MAP_FAILED) {
        pthread_mutex_lock(&region_lock);
        give_slot(i);
        pthread_mutex_unlock(&region_lock);
        return NULL;
    }
    return p;
}

void heap_region_release(void *arena)
{
    /* Replacing the mapping drops its pages; the range stays reserved. */
    mmap(arena, TL_HEAP_ARENA_SIZE, PROT_NONE,
         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    size_t i = ((uintptr_t)arena - heap_region_base) / TL_HEAP_ARENA_SIZE;
    pthread_mutex_lock(&region_lock);
    give_slot(i);
    pthread_mutex_unlock(&region_lock);
}
