# Two commands for a fresh machine with Python 3.11+ and make:
#   make site   build the site into site/ from the bundled notice
#   make test   run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Material prints an end-of-life banner on every build; DESIGN.md records the plan for it.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test check bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# axe-core for the accessibility tests, when npm is here (the browser tests say so when it is not).
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
site: $(STAMP)
	$(BIN)/notice check --strict
	rm -rf site.new
	$(BIN)/mkdocs build --strict --quiet --site-dir site.new || { rm -rf site.new; exit 1; }
	rm -rf site.old
	if [ -d site ]; then mv site site.old; fi
	mv site.new site
	rm -rf site.old
	@echo "The site is in site/ (open site/index.html, or preview with: $(BIN)/mkdocs serve)"

test: $(STAMP) $(if $(shell command -v npm),$(NODE_STAMP))
	$(BIN)/ruff check scripts tests benchmarks
	$(BIN)/ruff format --check scripts tests benchmarks
	$(BIN)/pytest

# Figures, not pass/fail: how fast an edit shows in `mkdocs serve`.
bench: $(STAMP)
	$(BIN)/python benchmarks/serve_reload.py

clean:
	rm -rf site site.new site.old $(VENV) node_modules
	find generated -mindepth 1 ! -name .gitignore -delete
