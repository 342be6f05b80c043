/* collect.c — placeholder until the collector lands. */
#include "gc_int.h"
void gc_collect_automatic(tl_heap *h) { (void)h; }
