/* reprguard.c — the recursion guard of container reprs (CPython's
 * Py_ReprEnter/Py_ReprLeave): a stack of the containers whose repr is in
 * progress, so that a list holding itself prints as [...].
 *
 * Invariant: the stack holds borrowed pointers to objects kept alive by the
 * repr calls in progress; entries are pushed by py_repr_enter and popped by
 * the matching py_repr_leave (it removes the newest entry for o).
 */
#include "py.h"

static struct {
    py_obj **items;
    size_t len, cap;
} guard;

int py_repr_enter(py_obj *o)
{
    for (size_t i = 0; i < guard.len; i++)
        if (guard.items[i] == o)
            return 1;
    if (guard.len == guard.cap) {
        size_t ncap = guard.cap ? guard.cap * 2 : 16;
        py_obj **n = tl_heap_realloc(vm.heap, guard.items, ncap * sizeof *n);
        if (!n) {
            py_err_no_memory();
            return -1;
        }
        guard.items = n;
        guard.cap = ncap;
    }
    guard.items[guard.len++] = o;
    return 0;
}

void py_repr_leave(py_obj *o)
{
    for (size_t i = guard.len; i-- > 0;) {
        if (guard.items[i] == o) {
            memmove(guard.items + i, guard.items + i + 1, (guard.len - i - 1) * sizeof *guard.items);
            guard.len--;
            return;
        }
    }
}

/* Teardown: the guard's stack is empty by then; release its storage. */
void py_repr_guard_fini(void)
{
    tl_heap_free(guard.items);
    guard.items = NULL;
    guard.len = guard.cap = 0;
}
