# Kryteria: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/release/kryteria
APT_PACKAGES := liblua5.4-dev libedit-dev pkg-config lua5.4 lua-cjson tmux python3 curl
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run setup build test test-swift test-json test-rules fuzz bench bench-engine clean

## Set up (installs Debian packages when missing), build, and score the Playground.
run: build
	@echo "== kryteria batch Playground/applications.jsonl (one result line per application)"
	@$(BIN) batch Playground/applications.jsonl -o Playground/out/applications.results.jsonl; \
	  status=$$?; if [ $$status = 1 ]; then echo "== exit status 1: lines 26 and 31 of the call are broken on purpose; each got an error line"; \
	  elif [ $$status != 0 ]; then exit $$status; fi
	@echo "== results: Playground/out/applications.results.jsonl (one line per application, in input order)"
	@echo "== kryteria check Playground/profiles/pes-002.json Playground/profiles/os-901.json"
	@$(BIN) check Playground/profiles/pes-002.json Playground/profiles/os-901.json

setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "== installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: setup
	$(SWIFT) build -c release

## The whole test suite: Swift tests, the JSON corpus, the shipped rule tests, a bounded fuzz run,
## the HTTP service's OpenAPI document (openapi-spec-validator, schemathesis against a live server).
test: setup
	$(SWIFT) build
	bash scripts/test-json.sh
	python3 scripts/check-vocabulary.py
	bash scripts/test-serve-api.sh 30
	.build/debug/kryteria test Rules --coverage
	bash scripts/fuzz-json.sh 30
	$(SWIFT) test --disable-swift-testing 2>&1 | tee .build/swift-test.log | grep -vE '^\[[0-9]+/[0-9]+\]|^Test Case .* (started|passed)'; \
	  status=$${PIPESTATUS[0]}; \
	  summary=$$(grep -E '^\s*Executed [0-9]+ tests?, with [0-9]+ failures?' .build/swift-test.log | tail -1); \
	  total=$$(echo "$$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/'); \
	  failed=$$(echo "$$summary" | sed -E 's/.*with ([0-9]+) failures?.*/\1/'); \
	  if [ -n "$$summary" ]; then echo "swift-tests: $$(( total - failed )) passed, $$failed failed"; fi; exit $$status

fuzz: setup
	bash scripts/fuzz-json.sh 300

-include Makefile.bench

clean:
	rm -rf .build .build-* bench/out Playground/out
