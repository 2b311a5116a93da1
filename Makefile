# voxdeck: `make run` sets up and opens the demo job; `make test` sets up and runs the tests.
SHELL := /bin/bash
CARGO ?= cargo
DEMO := assets/demo/job.toml

.PHONY: setup build run test bench lint

setup:
	@scripts/setup

build: setup
	@$(CARGO) build --release --quiet

# On a terminal: the console on the demo job. Without one: the demo headless, report on stdout.
run: build
	@if [ -t 0 ] && [ -t 1 ]; then target/release/voxdeck $(DEMO); \
	else target/release/voxdeck run $(DEMO) --json; fi

test: setup
	@$(CARGO) test --workspace

bench: build
	@target/release/voxdeck bench $(DEMO) --workers 1,2 --intra-threads 1 --baseline-intra 2 --repeat 3

lint: setup
	@$(CARGO) fmt --check && $(CARGO) clippy --all-targets -- -D warnings
