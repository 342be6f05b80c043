/* gc_pause.c — the pause of one full collection, per tracked object.
 *
 * Builds a heap of N tracked two-slot nodes in one of three shapes and times
 * tl_gc_collect(h, 2):
 *   list     a singly linked chain held by one root (no cycles; all survive)
 *   dlist    a doubly linked chain held by one root (a cycle per link; all
 *            survive)
 *   garbage  doubly linked chains of 1,000 nodes, unreachable (all collected
 *            and freed within the timed collection)
 * Prints "shape N ns_per_object" lines (best of R repetitions), for
 * bench/run-gc.sh to set beside bench/gc_pause.py's figures for CPython.
 *
 * usage: gc_pause [N...]   (default 100000 1000000 4000000)
 */
#define _POSIX_C_SOURCE 200809L
#include "tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bnode {
    tl_object ob;
    tl_object *next, *prev;
} bnode;

static int bnode_traverse(tl_object *o, tl_visit_fn visit, void *arg)
{
    bnode *n = (bnode *)o;
    if (n->next && visit(n->next, arg))
        return 1;
    if (n->prev && visit(n->prev, arg))
        return 1;
    return 0;
}

static void bnode_clear(tl_object *o)
{
    bnode *n = (bnode *)o;
    TL_CLEAR(n->next);
    TL_CLEAR(n->prev);
}

static tl_type bnode_type = { .ob = TL_STATIC_HEAD(NULL), .name = "Node",
    .basic_size = sizeof(bnode), .flags = TL_TYPE_GC,
    .traverse = bnode_traverse, .clear = bnode_clear };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bnode *new_node(tl_heap *h)
{
    bnode *n = (bnode *)tl_object_new(h, &bnode_type);
    if (!n) {
        fprintf(stderr, "gc_pause: out of memory\n");
        exit(1);
    }
    return n;
}

/* A chain of n nodes; returns its head (a new reference). With back links,
 * each node also refers to its predecessor. */
static bnode *build_chain(tl_heap *h, size_t n, bool back)
{
    bnode *head = new_node(h), *tail = head;
    for (size_t i = 1; i < n; i++) {
        bnode *x = new_node(h);
        tail->next = &x->ob;                    /* tail owns x's creation ref */
        if (back) {
            tl_incref(&tail->ob);
            x->prev = &tail->ob;
        }
        tail = x;
    }
    return head;
}

static double time_collect(tl_heap *h, size_t n)
{
    double t0 = now();
    intptr_t found = tl_gc_collect(h, 2);
    double dt = now() - t0;
    (void)found;
    return dt * 1e9 / (double)n;
}

static double bench_survivors(size_t n, bool back, int reps)
{
    tl_heap *h = tl_heap_new();
    tl_gc_disable(h);
    bnode *root = build_chain(h, n, back);
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t = time_collect(h, n);
        if (t < best)
            best = t;
    }
    tl_decref(&root->ob);
    tl_gc_collect(h, 2);
    tl_heap_delete(h);
    return best;
}

static double bench_garbage(size_t n, int reps)
{
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        tl_heap *h = tl_heap_new();
        tl_gc_disable(h);
        for (size_t done = 0; done < n; done += 1000) {
            bnode *head = build_chain(h, n - done < 1000 ? n - done : 1000, true);
            tl_decref(&head->ob);          /* the back links keep the chain */
        }
        double t = time_collect(h, n);
        if (t < best)
            best = t;
        tl_heap_delete(h);
    }
    return best;
}

int main(int argc, char **argv)
{
    size_t def[] = {100000, 1000000, 4000000};
    size_t nsizes = argc > 1 ? (size_t)argc - 1 : 3;
    for (size_t i = 0; i < nsizes; i++) {
        size_t n = argc > 1 ? strtoull(argv[i + 1], NULL, 10) : def[i];
        int reps = n <= 1000000 ? 5 : 3;
        printf("list %zu %.2f\n", n, bench_survivors(n, false, reps));
        printf("dlist %zu %.2f\n", n, bench_survivors(n, true, reps));
        printf("garbage %zu %.2f\n", n, bench_garbage(n, reps));
        fflush(stdout);
    }
    return 0;
}
