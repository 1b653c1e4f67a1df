# Sluice: the two commands a new user needs are `make demo` and `make test` (README.md).
SHELL := /bin/bash
SWIFT ?= swift
# Debian 12 packages the build and tests need; `make deps` installs the missing ones.
# chromium: the dashboard test loads the worker's page in headless Chromium.
# python3-venv: `make bench` installs its peer (Quix Streams) into a virtual environment.
# g++, libsimdjson-dev: `make bench` builds the JSON rows' jobs in C++ (bench/limit/*.cpp).
APT_PACKAGES := pkg-config gcc g++ librdkafka-dev librocksdb-dev libsimdjson-dev libcurl4-openssl-dev chromium python3-venv
BENCH_RECORDS ?= 1000000
# Release builds (the bench; workers in production, `make release`) optimise across Sluice's
# modules, as LTO does for C: the JSON row's operator chain cost about 15% less, 650 against 770 ns
# a record. A flag here and not in Package.swift: SwiftPM refuses unsafe flags in a package that
# others depend on by version.
RELEASE_FLAGS := -c release -Xswiftc -cross-module-optimization

.PHONY: deps build release release-flags demo test bench clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

# The `sluice` command as a production worker runs it: .build/release/sluice.
release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product sluice

# For scripts that build release products the same way (bench/ab/broker.sh).
release-flags:
	@echo $(RELEASE_FLAGS)

DEMO_SECONDS ?= 30
DEMO_RATE ?= 10000

# The cleaning stage of the event-management system, on the embedded broker, fed by generated
# SDK events (about 8% of them broken, to show the dead-letter topic), with a live progress line.
demo: deps
	$(SWIFT) build --product sluice
	.build/debug/sluice describe clean-events
	.build/debug/sluice run clean-events --generate $(DEMO_RATE) --duration $(DEMO_SECONDS)

test: deps
	$(SWIFT) test

.build/bench/rdkafka_pipe: bench/limit/rdkafka_pipe.c | deps
	@mkdir -p .build/bench
	gcc -O2 -Wall -o $@ $< $$(pkg-config --cflags --libs rdkafka)

# The JSON rows' jobs written by hand in C++ (simdjson; the join's table in RocksDB).
.build/bench/json_filter_map: bench/limit/json_filter_map.cpp bench/limit/common.hpp | deps
	@mkdir -p .build/bench
	g++ -O2 -Wall -std=c++17 -o $@ $< $$(pkg-config --cflags --libs rdkafka simdjson)

.build/bench/stream_table_join: bench/limit/stream_table_join.cpp bench/limit/common.hpp | deps
	@mkdir -p .build/bench
	g++ -O2 -Wall -std=c++17 -o $@ $< $$(pkg-config --cflags --libs rdkafka simdjson rocksdb)

# The peer rows' Python environment (Quix Streams from PyPI), rebuilt when the pins change. A failed
# install leaves no environment: the bench then reports the peer rows as not run, and says why.
PYTHON ?= python3
bench/.venv/.installed: bench/peers/requirements.txt | deps
	rm -rf bench/.venv
	@if $(PYTHON) -m venv bench/.venv && bench/.venv/bin/pip install -q -r bench/peers/requirements.txt; then \
	  touch $@; \
	else \
	  rm -rf bench/.venv; echo "make bench: could not install bench/peers/requirements.txt; the peer rows will not run" >&2; \
	fi

bench: deps .build/bench/rdkafka_pipe .build/bench/json_filter_map .build/bench/stream_table_join bench/.venv/.installed
	$(SWIFT) build $(RELEASE_FLAGS) --product sluice-bench
	.build/release/sluice-bench --records $(BENCH_RECORDS) $(BENCH_ARGS)

clean:
	rm -rf .build
