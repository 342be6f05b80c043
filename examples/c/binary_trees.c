/* binary_trees.c — the Benchmarks Game's binary-trees on libtally.
 *
 * Every tree node is a libtally object of a small non-GC type holding two
 * children. Nothing is freed by hand: dropping the last reference to a root
 * (tl_decref) deallocates the tree, the type's clear dropping the children in
 * turn. Output (stdout) is the benchmark's check lines, identical to the plain
 * C version (binary_trees_plain.c); a heap summary goes to stderr.
 *
 * Usage: binary_trees [depth]   (default 10)
 */
#include "tally.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct tree_node {
    tl_object ob;
    tl_object *left, *right;     /* both NULL (a leaf) or both set */
} tree_node;

static void node_clear(tl_object *o)
{
    tree_node *n = (tree_node *)o;
    TL_CLEAR(n->left);
    TL_CLEAR(n->right);
}

static tl_type node_type = {
    .ob = TL_STATIC_HEAD(NULL),
    .name = "tree_node",
    .basic_size = sizeof(tree_node),
    .clear = node_clear,          /* dealloc NULL: the standard sequence */
};

static tl_object *bottom_up_tree(tl_heap *h, int depth)
{
    tree_node *n = (tree_node *)tl_object_new(h, &node_type);
    if (!n) {
        fprintf(stderr, "binary_trees: out of memory\n");
        exit(1);
    }
    if (depth > 0) {
        n->left = bottom_up_tree(h, depth - 1);
        n->right = bottom_up_tree(h, depth - 1);
    }
    return &n->ob;
}

static long item_check(const tl_object *o)
{
    const tree_node *n = (const tree_node *)o;
    return n->left ? 1 + item_check(n->left) + item_check(n->right) : 1;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10;
    int min_depth = 4;
    int max_depth = min_depth + 2 > n ? min_depth + 2 : n;
    tl_heap *h = tl_heap_new();
    if (!h)
        return 1;

    tl_object *stretch = bottom_up_tree(h, max_depth + 1);
    printf("stretch tree of depth %d\t check: %ld\n", max_depth + 1, item_check(stretch));
    tl_decref(stretch);

    tl_object *long_lived = bottom_up_tree(h, max_depth);
    for (int d = min_depth; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + min_depth), check = 0;
        for (long i = 0; i < iterations; i++) {
            tl_object *t = bottom_up_tree(h, d);
            check += item_check(t);
            tl_decref(t);
        }
        printf("%ld\t trees of depth %d\t check: %ld\n", iterations, d, check);
    }
    printf("long lived tree of depth %d\t check: %ld\n", max_depth, item_check(long_lived));
    tl_decref(long_lived);

    tl_heap_stats s;
    tl_heap_stats_get(h, &s);
    fprintf(stderr, "heap: peak %zu bytes in use, %zu arenas allocated, %zu blocks left\n",
            s.bytes_peak, s.arenas_allocated, s.small_blocks + s.large_blocks);
    int status = s.small_blocks + s.large_blocks == 0 ? 0 : 1;   /* every node freed */
    tl_heap_delete(h);
    return status;
}
