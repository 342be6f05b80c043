/* binary_trees_plain.c — the Benchmarks Game's binary-trees in plain C with
 * malloc/free: the baseline for binary_trees.c (same output on stdout).
 *
 * Usage: binary_trees_plain [depth]   (default 10)
 */
#include <stdio.h>
#include <stdlib.h>

typedef struct tree_node {
    struct tree_node *left, *right;   /* both NULL (a leaf) or both set */
} tree_node;

static tree_node *bottom_up_tree(int depth)
{
    tree_node *n = malloc(sizeof *n);
    if (!n) {
        fprintf(stderr, "binary_trees_plain: out of memory\n");
        exit(1);
    }
    n->left = depth > 0 ? bottom_up_tree(depth - 1) : NULL;
    n->right = depth > 0 ? bottom_up_tree(depth - 1) : NULL;
    return n;
}

static void delete_tree(tree_node *n)
{
    if (n->left) {
        delete_tree(n->left);
        delete_tree(n->right);
    }
    free(n);
}

static long item_check(const tree_node *n)
{
    return n->left ? 1 + item_check(n->left) + item_check(n->right) : 1;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10;
    int min_depth = 4;
    int max_depth = min_depth + 2 > n ? min_depth + 2 : n;

    tree_node *stretch = bottom_up_tree(max_depth + 1);
    printf("stretch tree of depth %d\t check: %ld\n", max_depth + 1, item_check(stretch));
    delete_tree(stretch);

    tree_node *long_lived = bottom_up_tree(max_depth);
    for (int d = min_depth; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + min_depth), check = 0;
        for (long i = 0; i < iterations; i++) {
            tree_node *t = bottom_up_tree(d);
            check += item_check(t);
            delete_tree(t);
        }
        printf("%ld\t trees of depth %d\t check: %ld\n", iterations, d, check);
    }
    printf("long lived tree of depth %d\t check: %ld\n", max_depth, item_check(long_lived));
    delete_tree(long_lived);
    return 0;
}
