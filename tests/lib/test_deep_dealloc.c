/* test_deep_dealloc.c — freeing structures of any depth on a small C stack.
 *
 * Each structure is built and dropped on a thread with a 256 KiB stack: a
 * recursive dealloc would need hundreds of megabytes for these depths, so
 * passing proves the object layer's bounded nesting (TL_DEALLOC_MAX_DEPTH and
 * the pending stack). Every node records its death; each must die exactly
 * once, a chain must die head to tail, and the heap must end empty. */
#include "testutil.h"
#include "heap/heap_int.h"
#include "object/object_int.h"

#include <stdlib.h>
#include <string.h>

#define SMALL_STACK ((size_t)256 << 10)

/* Deaths per node id, and the ids in death order (when order is recorded). */
static unsigned char *deaths;
static uint32_t *order;
static size_t ndeaths, order_cap;

static void record_death(uint32_t id)
{
    deaths[id]++;
    if (ndeaths < order_cap)
        order[ndeaths] = id;
    ndeaths++;
}

static void track_deaths(size_t n, size_t keep_order)
{
    deaths = calloc(n, 1);
    order = keep_order ? calloc(keep_order, sizeof *order) : NULL;
    assert_non_null(deaths);
    order_cap = keep_order;
    ndeaths = 0;
}

static void assert_each_died_once(size_t n)
{
    assert_int_equal(ndeaths, n);
    for (size_t i = 0; i < n; i++)
        if (deaths[i] != 1)
            fail_msg("node %zu died %d times", i, deaths[i]);
    free(deaths);
    free(order);
    deaths = NULL;
    order = NULL;
}

/* --- a singly linked chain: a custom dealloc that drops the next node ------- */

typedef struct node {
    tl_object ob;
    tl_object *next;
    uint32_t id;
} node;

static void node_dealloc(tl_object *o)
{
    node *n = (node *)o;
    record_death(n->id);
    TL_CLEAR(n->next);
    tl_object_free(o);
}

static tl_type node_type = {
    .ob = TL_STATIC_HEAD(NULL), .name = "node", .basic_size = sizeof(node),
    .dealloc = node_dealloc,
};

/* Head has id 0; node i links to node i+1. Built from the tail. */
static node *chain_new(tl_heap *h, uint32_t n)
{
    tl_object *next = NULL;
    for (uint32_t i = n; i-- > 0;) {
        node *x = (node *)tl_object_new(h, &node_type);
        assert_non_null(x);
        x->id = i;
        x->next = next;
        next = &x->ob;
    }
    return (node *)next;
}

struct job {
    tl_heap *h;
    tl_object *root;
};

static void drop_root(void *arg)
{
    struct job *j = arg;
    tl_decref(j->root);
}

static void ten_million_node_chain_frees_on_a_small_stack(void **state)
{
    enum { N = 10000000 };
    tl_heap *h = test_heap(false);
    track_deaths(N, N);
    struct job j = {h, &chain_new(h, N)->ob};
    assert_int_equal(tl_heap_blocks_in_use(h), N);
    test_on_small_stack(drop_root, &j, SMALL_STACK);
    for (uint32_t i = 0; i < N; i++)
        if (order[i] != i)
            fail_msg("death %u was node %u: not head to tail", i, order[i]);
    assert_each_died_once(N);
    assert_true(h->obj->pending_peak <= 2);   /* iterative, not one frame per node */
    assert_int_equal(h->obj->npending, 0);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

static void chain_dies_head_to_tail(void **state)
{
    enum { N = 1000 };
    tl_heap *h = test_heap(false);
    track_deaths(N, N);
    struct job j = {h, &chain_new(h, N)->ob};
    test_on_small_stack(drop_root, &j, SMALL_STACK);
    assert_int_equal(ndeaths, N);
    for (uint32_t i = 0; i < N; i++)
        assert_int_equal(order[i], i);
    assert_each_died_once(N);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

/* --- a "list" nested a million deep: the standard dealloc and a clear ------- */

typedef struct nlist {
    tl_object ob;
    intptr_t size;
    uint32_t id;
    tl_object *items[];
} nlist;

static void nlist_clear(tl_object *o)
{
    nlist *l = (nlist *)o;
    record_death(l->id);
    while (l->size > 0) {           /* last to first, like a Python list */
        l->size--;
        TL_CLEAR(l->items[l->size]);
    }
}

static tl_type nlist_type = {
    .ob = TL_STATIC_HEAD(NULL), .name = "list", .basic_size = offsetof(nlist, items),
    .item_size = sizeof(tl_object *), .clear = nlist_clear,
};

/* [leaf, [leaf, [leaf, ... []]]]: lists have ids 0..n-1 from the outside in,
 * leaves (chain nodes of one) ids n..2n-1. */
static nlist *nested_new(tl_heap *h, uint32_t n)
{
    tl_object *inner = NULL;
    for (uint32_t i = n; i-- > 0;) {
        nlist *l = (nlist *)tl_object_new_var(h, &nlist_type, 2);
        node *leaf = (node *)tl_object_new(h, &node_type);
        assert_non_null(l);
        assert_non_null(leaf);
        l->id = i;
        leaf->id = n + i;
        l->items[l->size++] = &leaf->ob;
        if (inner)
            l->items[l->size++] = inner;
        inner = &l->ob;
    }
    return (nlist *)inner;
}

static void million_deep_nested_list_frees_on_a_small_stack(void **state)
{
    enum { N = 1000000 };
    tl_heap *h = test_heap(false);
    track_deaths(2 * (size_t)N, 2 * (size_t)N);
    struct job j = {h, &nested_new(h, N)->ob};
    assert_int_equal(tl_heap_blocks_in_use(h), 2 * (size_t)N);
    test_on_small_stack(drop_root, &j, SMALL_STACK);
    /* Lists die from the outside in, each leaf after the list holding it. */
    uint32_t next_list = 0;
    for (uint32_t i = 0; i < 2 * (uint32_t)N; i++) {
        uint32_t id = order[i];
        if (id < N && id != next_list++)
            fail_msg("list %u died at position %u, out of order", id, i);
        if (id >= N && id - N >= next_list)
            fail_msg("leaf of list %u died before its list", id - N);
    }
    assert_each_died_once(2 * (size_t)N);
    assert_true(h->obj->pending_peak <= 4);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

/* --- a wide tree: many objects parked at once ------------------------------ */

/* A complete binary tree of lists: node k (heap order) has id base + k. */
static tl_object *tree_new(tl_heap *h, uint32_t k, uint32_t n, uint32_t base)
{
    if (k >= n)
        return NULL;
    nlist *l = (nlist *)tl_object_new_var(h, &nlist_type, 2);
    assert_non_null(l);
    l->id = base + k;
    tl_object *a = tree_new(h, 2 * k + 1, n, base), *b = tree_new(h, 2 * k + 2, n, base);
    if (a)
        l->items[l->size++] = a;
    if (b)
        l->items[l->size++] = b;
    return &l->ob;
}

static void tree_below_the_depth_bound_frees_every_node_once(void **state)
{
    /* A complete tree of depth 17 hung below a chain of 40 one-item lists:
     * its nodes lie past TL_DEALLOC_MAX_DEPTH, so whole subtrees are parked,
     * several at a time, and drained later. */
    enum { CHAIN = 40, TREE = (1 << 17) - 1, N = CHAIN + TREE };
    tl_heap *h = test_heap(false);
    track_deaths(N, 0);
    tl_object *root = tree_new(h, 0, TREE, CHAIN);
    for (uint32_t i = CHAIN; i-- > 0;) {
        nlist *l = (nlist *)tl_object_new_var(h, &nlist_type, 1);
        assert_non_null(l);
        l->id = i;
        l->items[l->size++] = root;
        root = &l->ob;
    }
    struct job j = {h, root};
    test_on_small_stack(drop_root, &j, SMALL_STACK);
    assert_each_died_once(N);
    assert_true(h->obj->pending_peak >= 2);    /* the tree really was parked */
    assert_int_equal(h->obj->npending, 0);
    assert_int_equal(tl_heap_blocks_in_use(h), 0);
    tl_heap_delete(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chain_dies_head_to_tail),
        cmocka_unit_test(ten_million_node_chain_frees_on_a_small_stack),
        cmocka_unit_test(million_deep_nested_list_frees_on_a_small_stack),
        cmocka_unit_test(tree_below_the_depth_bound_frees_every_node_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
