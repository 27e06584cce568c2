# Thin wrapper over CMake presets: the README's two commands.
#   make demo   install deps, build, profile the bundled Node program, report it
#   make test   install deps, build with gcc (-Werror), clang and ASan+UBSan, run every test
#   make accuracy  rerun the attribution accuracy suite, rewrite docs/accuracy.md's table
JOBS ?= $(shell nproc)

.PHONY: all deps build demo test test-gcc test-clang test-asan fuzz accuracy clean

all: build

deps:
	@tools/install-deps.sh

build: deps
	cmake --preset default >/dev/null
	cmake --build build -j$(JOBS)

demo: build
	@examples/demo.sh build

test: deps test-gcc test-clang test-asan

test-gcc:
	cmake --preset default >/dev/null
	cmake --build build -j$(JOBS)
	ctest --preset default -j$(JOBS)

test-clang:
	cmake --preset clang >/dev/null
	cmake --build build-clang -j$(JOBS)
	ctest --preset clang -j$(JOBS) -L 'unit|fuzz'

test-asan:
	cmake --preset asan-ubsan >/dev/null
	cmake --build build-asan -j$(JOBS)
	ctest --preset asan-ubsan -j$(JOBS)

# Regenerate docs/accuracy.md's table: tierprof and perf against the known
# call structure of tests/accuracy's programs.
accuracy: build
	bash tests/accuracy/accuracy.sh build/tierprof build/tests/accuracy --doc docs/accuracy.md

# Long fuzzing, opt-in: FUZZ_SECONDS per target (default 300).
fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build build-fuzz -j$(JOBS)
	@for t in build-fuzz/tests/fuzz_*; do \
		name=$${t##*/fuzz_}; \
		echo "== fuzzing $$name"; \
		$$t -max_total_time=$${FUZZ_SECONDS:-300} -print_final_stats=1 tests/fuzz/corpus/$$name || exit 1; \
	done

clean:
	rm -rf build build-clang build-asan build-fuzz
