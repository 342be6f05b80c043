/* tally.h — libtally, a private heap with reference counting, generational
 * cycle collection, weak references, finalizers and heap introspection.
 *
 * The one header an embedder includes. Every public name starts with tl_.
 *   tally/heap.h     the private heap (tl_heap_*)
 *   tally/object.h   object header, types, reference counting (tl_object_*)
 *   tally/gc.h       the cycle collector (tl_gc_*)
 *   tally/weakref.h  weak references (tl_weakref_*)
 */
#ifndef TALLY_H
#define TALLY_H

#define TALLY_VERSION "0.1.0"

#include "tally/heap.h"
#include "tally/object.h"
#include "tally/gc.h"
#include "tally/weakref.h"

#endif
