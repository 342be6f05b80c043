/* testutil.c — shared helpers for the C library tests. */
#define _GNU_SOURCE
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

tl_heap *test_heap(bool debug)
{
    tl_heap_options o = {.debug = debug, .no_env = true};
    tl_heap *h = tl_heap_new_ex(&o);
    assert_non_null(h);
    return h;
}

int test_in_child(void (*fn)(void *), void *arg, char *out, size_t size)
{
    int fds[2];
    if (pipe(fds) != 0)
        abort();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        fn(arg);
        _exit(0);
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < size && (r = read(fds[0], out + n, size - 1 - n)) > 0)
        n += (size_t)r;
    out[n] = 0;
    char sink[256];
    while (read(fds[0], sink, sizeof sink) > 0) {}
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

struct thread_call { void (*fn)(void *); void *arg; };
static void *thread_main(void *p)
{
    struct thread_call *c = p;
    c->fn(c->arg);
    return NULL;
}

void test_on_small_stack(void (*fn)(void *), void *arg, size_t stack_bytes)
{
    pthread_attr_t attr;
    pthread_t t;
    struct thread_call c = {fn, arg};
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, stack_bytes);
    if (pthread_create(&t, &attr, thread_main, &c) != 0)
        abort();
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
}

size_t test_mapped_rw_bytes(uintptr_t lo, uintptr_t hi)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return 0;
    size_t total = 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long a, b;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &a, &b, perms) != 3 || perms[0] != 'r' || perms[1] != 'w')
            continue;
        if (a < lo) a = lo;
        if (b > hi) b = hi;
        if (a < b)
            total += b - a;
    }
    fclose(f);
    return total;
}

uint64_t test_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}
