# Kryteria: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/release/kryteria
APT_PACKAGES := liblua5.4-dev libedit-dev pkg-config lua5.4 lua-cjson tmux python3 curl
# only for the tests of the documents (HTML drawn by a headless browser); never needed by `make run`
TEST_APT_PACKAGES := chromium fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run setup test-setup build test test-swift test-json test-rules fuzz bench bench-engine clean

## Set up (installs Debian packages when missing), build, and score the Playground.
run: build
	@echo "== kryteria batch Playground/applications.jsonl (one result line per application)"
	@$(BIN) batch Playground/applications.jsonl -o Playground/out/applications.results.jsonl --report Playground/out/applications.report.html; \
	  status=$$?; if [ $$status = 1 ]; then echo "== exit status 1: lines 26 and 31 of the call are broken on purpose; each got an error line"; \
	  elif [ $$status != 0 ]; then exit $$status; fi
	@echo "== results: Playground/out/applications.results.jsonl (one line per application, in input order)"
	@echo "== report with charts: Playground/out/applications.report.html (open it in a browser)"
	@$(BIN) batch Playground/applications.jsonl --format xlsx -o Playground/out/applications.xlsx -q; status=$$?; [ $$status = 0 ] || [ $$status = 1 ]
	@echo "== workbook: Playground/out/applications.xlsx (sheets Wyniki, Podsumowanie, Parametry)"
	@$(BIN) check Playground/profiles/wn-2025-054.json Playground/profiles/pes-002.json --format html -o Playground/out/karty 2>/dev/null
	@echo "== decision sheets (print on A4): Playground/out/karty/wn-2025-054.html, Playground/out/karty/pes-002.html"
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

## What the tests of the documents need: Chromium (draws the HTML), openpyxl (reads the workbook).
## A package that cannot be installed is reported; the tests that need it are then skipped, saying why.
test-setup: setup
	@missing=""; for p in $(TEST_APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "== installing for the tests:$$missing"; \
	  ( $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing ) \
	    || echo "== could not install$$missing: the HTML rendering tests will be skipped"; \
	fi
	@python3 -c "import openpyxl" 2>/dev/null || python3 -m pip install -q openpyxl \
	  || echo "== could not install openpyxl: the workbook tests will be skipped"

## The whole test suite: Swift tests, the JSON corpus, the shipped rule tests, a bounded fuzz run,
## the HTTP service's OpenAPI document (openapi-spec-validator, schemathesis against a live server).
test: test-setup
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
