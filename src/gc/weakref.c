/* weakref.c — placeholder until weak references land. */
#include "gc_int.h"
void gc_clear_weakrefs(tl_object *o) { (void)o; }
