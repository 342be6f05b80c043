/* modmem.h — what the memory modules (gc, weakref, atexit, tracemalloc,
 * ctypes) and the built-in Python library share among themselves; nothing
 * outside those files needs it.
 */
#ifndef TALLY_LANG_MODMEM_H
#define TALLY_LANG_MODMEM_H

#include "py.h"

/* mod_gc.c: start-up wiring of the collector (garbage sink, callbacks
 * bridge, debug writer), called from py_init through a weak hook. */
void py_lang_gc_init(void);
/* Writes text to sys.stderr (C stderr when that fails), as CPython's
 * PySys_WriteStderr; keeps any pending exception. */
void py_write_stderr(const char *text);

/* mod_weakref.c: readies the weak reference types and installs the call
 * hook through which the collector runs Python callbacks. */
int py_weakref_setup(void);

/* mod_tracemalloc.c: stops tracing and frees the tables (at shutdown). */
void py_tracemalloc_fini(void);

/* pylib.c: a module written in Python and built into the interpreter
 * (src/lang/lib/NAME.py): a new module after running its body, or NULL
 * without an exception when there is no such module. */
py_obj *py_lib_module(const char *name);

#endif
