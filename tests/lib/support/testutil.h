/* testutil.h — shared helpers for the C library tests (cmocka). */
#ifndef TALLY_TESTUTIL_H
#define TALLY_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tally.h"

/* A heap with the environment ignored (tests choose their own modes). */
tl_heap *test_heap(bool debug);

/* Runs fn(arg) in a child process; returns its wait status and fills
 * out (NUL-terminated, truncated to size) with what it wrote to stderr. */
int test_in_child(void (*fn)(void *), void *arg, char *out, size_t size);

/* Runs fn(arg) on a thread with a stack of stack_bytes; returns when done. */
void test_on_small_stack(void (*fn)(void *), void *arg, size_t stack_bytes);

/* Bytes of read-write mappings of this process inside [lo, hi). */
size_t test_mapped_rw_bytes(uintptr_t lo, uintptr_t hi);

/* A deterministic generator (xorshift64*). */
uint64_t test_rand(uint64_t *state);

#endif
