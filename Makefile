# ketnap — the two commands of the README are `make run` and `make test`.
# CMake does the building; this file only names the usual entry points.

BUILD  ?= build
ASAN   ?= build-asan
FUZZ   ?= build-fuzz
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
DB     ?= ketnap.db
LISTEN ?= 127.0.0.1:8080
CMAKE_FLAGS ?=

.PHONY: all deps build run test test-pg asan-test valgrind-test fuzz clean

all: build

deps:
	@sh scripts/deps.sh

$(BUILD)/Makefile: CMakeLists.txt | deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: deps $(BUILD)/Makefile
	@cmake --build $(BUILD) -j $(JOBS)

# Build, create the demo city in $(DB) if there is none, print its summary,
# give admin a one-time password and serve the web application.
# Quietly: the build's output is shown only when it fails.
run: deps
	@log=$$(mktemp); \
	if ! { cmake -S . -B $(BUILD) $(CMAKE_FLAGS) && \
	       MAKEFLAGS=--no-print-directory cmake --build $(BUILD) -j $(JOBS); } >$$log 2>&1; then \
		cat $$log; rm -f $$log; exit 1; \
	fi; \
	rm -f $$log
	@sh scripts/run-demo.sh $(BUILD)/ketnap $(DB) $(LISTEN)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite again with every store, command and report test also run
# on PostgreSQL (pg/…): a private cluster (scripts/pg-cluster.sh: initdb in a
# temporary directory, a unix socket there, no TCP), a separate build
# configured with -DKN_TEST_PG, and the cluster stopped even when tests fail.
# Only the pg/ tests run here (`make test` ran the rest); PG_TESTS= runs all.
PG     ?= build-pg
PG_TESTS ?= ^pg/
test-pg: deps
	@dir=$$(mktemp -d /tmp/kn-pg.XXXXXX); \
	trap 'sh $(CURDIR)/scripts/pg-cluster.sh stop "$$dir"' EXIT INT TERM; \
	url=$$(sh scripts/pg-cluster.sh start "$$dir") && \
	cmake -S . -B $(PG) -DKN_TEST_PG="$$url" $(CMAKE_FLAGS) >/dev/null && \
	cmake --build $(PG) -j $(JOBS) && \
	cd $(PG) && ctest --output-on-failure -j $(JOBS) -R '$(PG_TESTS)'

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer,
# but for the kill -9 trials (crash/: they test what the disk holds after a
# kill, which a sanitizer does not see, and a sanitized city demo per
# trial would take most of CI's time) and the province demo (cli/
# demo_province: 300,000 people, about a minute in Release, many under
# ASan's Debug build; the demo's ledger calls are the same ones the
# import's bulk tests run sanitized).
asan-test: deps
	@cmake -S . -B $(ASAN) -DKN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)
	@cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS) -E '^(crash/|cli/demo_province$$)'

# Every unit test program and every fuzz corpus replay under valgrind's
# memcheck: any invalid read or write, use of uninitialised memory or
# definite leak fails it (the end-to-end scripts run the binary thousands
# of times; ASan covers those in asan-test).
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
valgrind-test: build
	@cd $(BUILD) && for t in test_*; do \
		KETNAP_LOCALEDIR=$$PWD/locale $(VALGRIND) ./$$t >/dev/null 2>$$t.valgrind || \
			{ echo "valgrind: $$t"; cat $$t.valgrind; exit 1; }; \
		echo "valgrind: $$t clean"; \
	done; \
	for t in replay_fuzz_*; do n=$${t#replay_}; \
		KETNAP_LOCALEDIR=$$PWD/locale $(VALGRIND) ./$$t $(CURDIR)/tests/fuzz/corpus/$$n >/dev/null 2>$$t.valgrind || \
			{ echo "valgrind: $$t"; cat $$t.valgrind; exit 1; }; \
		echo "valgrind: $$t clean"; \
	done

# Every libFuzzer target (tests/fuzz/fuzz_*.c: CSV reader, dates, the whole
# import of each list, the web server's requests, the API's JSON bodies, the
# command line's values) for FUZZ_SECONDS each (clang, ASan + UBSan), from its
# seed corpus in tests/fuzz/corpus/NAME plus what earlier runs found in
# $(FUZZ)/corpus-NAME. A crash stops with its input in $(FUZZ)/crash-*: fix
# it, then add the input to tests/fuzz/corpus/NAME for good (make test
# replays every corpus). Inputs up to FUZZ_MAX_LEN bytes.
FUZZ_SECONDS ?= 30
FUZZ_MAX_LEN ?= 16384
fuzz: deps
	@CC=clang cmake -S . -B $(FUZZ) -DKN_FUZZ=ON -DKN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(FUZZ) -j $(JOBS)
	@for f in $(FUZZ)/fuzz_*; do \
		[ -f "$$f" ] && [ -x "$$f" ] || continue; \
		name=$$(basename $$f); \
		mkdir -p $(FUZZ)/corpus-$$name; \
		echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -print_final_stats=1 \
			-artifact_prefix=$(FUZZ)/ $(FUZZ)/corpus-$$name tests/fuzz/corpus/$$name \
			2>$(FUZZ)/$$name.log || { tail -n 60 $(FUZZ)/$$name.log; exit 1; }; \
		grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' $(FUZZ)/$$name.log; \
	done

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ) $(PG)
