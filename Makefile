# tally — build, test, demo, bench, install.
#
#   make            build/libtally.a, build/libtally.so, build/tally (once it exists)
#   make test       every test: C library tests, then tests/py under build/tally
#   make test SAN=1 the same built with -fsanitize=address,undefined (in build-san/)
#   make test-debugheap  the same suite with the debug heap (TALLY_MALLOC=debug)
#   make test-fault      allocation-failure injection over the interpreter (SAN build)
#   make test-valgrind   ten scripts under valgrind --leak-check=full
#   make reliability-report  rerun all of the above, write docs/reliability.md
#   make fuzz SECONDS=N  libFuzzer over source text for N seconds (clang, build-fuzz/)
#   make stress SECONDS=N  randomized object-graph programs (tests/stress/), N seconds
#   make demo       the seed tour (until the interpreter exists: the C example)
#   make bench      benchmarks, side by side, ratios (not tests)
#   make expected   regenerate tests/py/**/*.expected with CPython (python3)
#   make install PREFIX=/usr/local
#
# Source lists are wildcards: a new .c file in a layer's folder is built
# without touching this file; a new tests/lib/test_*.c becomes a test binary.

CC      ?= cc
PREFIX  ?= /usr/local
SAN     ?= 0
PYTHON  ?= python3

ifeq ($(SAN),1)
  B        := build-san
  OPT      := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDSAN    := -fsanitize=address,undefined
else ifeq ($(FUZZ),1)
  # libFuzzer build of the library and interpreter (make fuzz): clang only.
  B        := build-fuzz
  CC       := clang
  # (clang reports NULL + 0, which gcc accepts and the code base uses: pointer-overflow off)
  # PY_STEP_BUDGET: the VM's per-run budget of calls and loop iterations,
  # which bounds each input (lang_int.h).
  OPT      := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=pointer-overflow -fno-sanitize-recover=undefined -DPY_STEP_BUDGET
  LDSAN    := -fsanitize=address,undefined
else
  B        := build
  OPT      := -O2 -g
  LDSAN    :=
endif

CFLAGS_ALL := -std=c11 -D_DEFAULT_SOURCE $(OPT) -Wall -Wextra -Wno-unused-parameter -fPIC -Iinclude $(CFLAGS)
LDLIBS_ALL := -lpthread -lm $(LDLIBS)

LIB_SRC  := $(wildcard src/heap/*.c src/object/*.c src/gc/*.c src/inspect/*.c)
LANG_SRC := $(wildcard src/lang/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/obj/%.o)
LANG_OBJ := $(LANG_SRC:%.c=$(B)/obj/%.o)
# Built-in modules written in Python: every src/lang/lib/NAME.py is embedded
# into one generated C file (see src/lang/pylib.c) and becomes module NAME.
PYLIB_SRC := $(sort $(wildcard src/lang/lib/*.py))
PYLIB_GEN := $(B)/gen/pylib_sources.c
LANG_OBJ += $(if $(LANG_SRC),$(B)/obj/$(PYLIB_GEN:.c=.o),)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/obj/%.o)
TEST_SRC := $(wildcard tests/lib/test_*.c)
TEST_BIN := $(TEST_SRC:tests/lib/%.c=$(B)/tests/%)
TEST_SUPPORT := $(wildcard tests/lib/support/*.c)
HEADERS  := $(wildcard include/*.h include/tally/*.h src/*/*.h)
LANG_LIBS := $(if $(LANG_SRC),-lgmp -ledit,)
HEADERS  += $(wildcard src/lang/*.h)

TALLY := $(if $(CLI_SRC),$(B)/tally,)
SETUP_STAMP := build/.setup-done

.PHONY: all lib test test-lib test-py demo bench expected install clean setup test-debugheap fuzz test-fault test-valgrind reliability-report stress
all: $(SETUP_STAMP) lib $(TALLY)
lib: $(B)/libtally.a $(B)/libtally.so

setup $(SETUP_STAMP): scripts/setup.sh
	@bash scripts/setup.sh
	@mkdir -p build && touch $(SETUP_STAMP)

$(B)/obj/%.o: %.c $(HEADERS) | $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(PYLIB_GEN): $(PYLIB_SRC) scripts/embed-pylib.sh
	@mkdir -p $(dir $@)
	bash scripts/embed-pylib.sh $(PYLIB_SRC) > $@.tmp && mv $@.tmp $@

$(B)/libtally.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/libtally.so: $(LIB_OBJ)
	$(CC) -shared $(LDSAN) -o $@ $^ $(LDLIBS_ALL)

# The interpreter's objects go into their own archive: C tests link it too,
# and a library test that names nothing of it pulls nothing from it.
$(B)/libtallylang.a: $(LANG_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The whole interpreter archive: module.c and interp.c name the optional
# modules (gc, weakref, ...) only through weak symbols, which by themselves
# would pull nothing out of an archive.
$(B)/tally: $(CLI_OBJ) $(B)/libtallylang.a $(B)/libtally.a
	$(CC) $(LDSAN) -o $@ $(CLI_OBJ) -Wl,--whole-archive $(B)/libtallylang.a -Wl,--no-whole-archive $(B)/libtally.a $(LANG_LIBS) $(LDLIBS_ALL)

TEST_LANG := $(if $(LANG_SRC),$(B)/libtallylang.a,)
$(B)/tests/%: tests/lib/%.c $(TEST_SUPPORT) $(B)/libtally.a $(TEST_LANG) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Isrc -Itests/lib -Itests/lib/support -o $@ $< $(TEST_SUPPORT) $(TEST_LANG) $(B)/libtally.a -lcmocka $(LANG_LIBS) $(LDSAN) $(LDLIBS_ALL)

# The C examples are built for the tests too: test_examples runs them.
EXAMPLE_BIN := $(patsubst examples/c/%.c,$(B)/examples/%,$(wildcard examples/c/*.c))
test: all $(TEST_BIN) $(EXAMPLE_BIN)
	@bash scripts/run-tests.sh $(B)

# The debug heap poisons, guards and checks every block: a script that passes
# but damages memory aborts here with the block's serial number.
test-debugheap: all $(TEST_BIN) $(EXAMPLE_BIN)
	@TALLY_MALLOC=debug bash scripts/run-tests.sh $(B)

# Allocation-failure injection over library operations (test_fault_lib, at
# every allocation point) and over the interpreter (tests/fault/run.sh),
# under the sanitizer build.
test-fault: $(SETUP_STAMP)
	@$(MAKE) --no-print-directory SAN=1 all build-san/tests/test_fault_lib
	@FAULT_LIB_POINTS=1 CMOCKA_MESSAGE_OUTPUT=TAP build-san/tests/test_fault_lib
	@bash tests/fault/run.sh build-san

# Randomized stress programs (tests/stress/run.sh), seed after seed for
# SECONDS (make test runs one short seed of each).
stress: all
	@bash tests/stress/run.sh $(B) $(SECONDS)

# A sample of scripts under valgrind (tests/valgrind.sh).
test-valgrind: all
	@bash tests/valgrind.sh $(B)

# Reruns every reliability mode and writes docs/reliability.md.
reliability-report:
	@bash scripts/reliability-report.sh $(SECONDS)

# libFuzzer over source text (fuzz/fuzz_source.c): make fuzz SECONDS=N
SECONDS ?= 60
$(B)/fuzz_source: fuzz/fuzz_source.c $(B)/libtallylang.a $(B)/libtally.a $(HEADERS)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(B)/libtallylang.a $(B)/libtally.a $(LANG_LIBS) $(LDSAN) $(LDLIBS_ALL)

fuzz: $(SETUP_STAMP)
	@$(MAKE) --no-print-directory FUZZ=1 build-fuzz/fuzz_source
	@bash scripts/fuzz.sh build-fuzz $(SECONDS)

demo: all $(B)/examples/binary_trees
	@if [ -n "$(TALLY)" ] && [ -f examples/tour.py ]; then ./$(TALLY) examples/tour.py; \
	 else ./$(B)/examples/binary_trees 16; fi

$(B)/examples/%: examples/c/%.c $(B)/libtally.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(B)/libtally.a $(LDSAN) $(LDLIBS_ALL)

# Benchmarks: bench/NAME.c builds to $(B)/bench/NAME, linked with libtally
# and with BENCH_LIBS_NAME when a benchmark needs more. Each bench/run-*.sh
# builds the binaries it runs.
BENCH_LIBS_alloc_bench := -lmimalloc
$(B)/bench/%: bench/%.c $(B)/libtally.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Isrc -o $@ $< $(B)/libtally.a $(BENCH_LIBS_$*) $(LDSAN) $(LDLIBS_ALL)

bench: all
	@bash bench/run.sh $(B)

expected:
	@bash scripts/make-expected.sh $(PYTHON)

install: all
	install -d $(DESTDIR)$(PREFIX)/include/tally $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin
	install -m 644 include/tally.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 include/tally/*.h $(DESTDIR)$(PREFIX)/include/tally/
	install -m 644 $(B)/libtally.a $(B)/libtally.so $(DESTDIR)$(PREFIX)/lib/
	$(if $(TALLY),install -m 755 $(TALLY) $(DESTDIR)$(PREFIX)/bin/)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell sed -n 's/#define TALLY_VERSION "\(.*\)"/\1/p' include/tally.h)|' \
	    scripts/tally.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tally.pc

clean:
	rm -rf build/obj build/gen build/tests build/examples build/tally build/libtally.* build-san build-fuzz
