# ketnap — the two commands of the README are `make run` and `make test`.
# CMake does the building; this file only names the usual entry points.

BUILD  ?= build
ASAN   ?= build-asan
FUZZ   ?= build-fuzz
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
DB     ?= ketnap.db
CMAKE_FLAGS ?=

.PHONY: all deps build run test asan-test fuzz clean

all: build

deps:
	@sh scripts/deps.sh

$(BUILD)/Makefile: CMakeLists.txt | deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: deps $(BUILD)/Makefile
	@cmake --build $(BUILD) -j $(JOBS)

# Build, create the demo city in $(DB) if there is none, and print its
# year-end summary and achievement report.
run: build
	@sh scripts/run-demo.sh $(BUILD)/ketnap $(DB)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
asan-test: deps
	@cmake -S . -B $(ASAN) -DKN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)
	@cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

# libFuzzer targets over the CSV reader and the date parser (clang).
FUZZ_SECONDS ?= 30
fuzz: deps
	@CC=clang cmake -S . -B $(FUZZ) -DKN_FUZZ=ON -DKN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(FUZZ) -j $(JOBS)
	@for f in $(FUZZ)/fuzz_*; do \
		name=$$(basename $$f); \
		mkdir -p $(FUZZ)/corpus-$$name; \
		echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) $(FUZZ)/corpus-$$name tests/fuzz/corpus/$$name || exit 1; \
	done

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)
