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

site: $(STAMP)
	$(BIN)/notice check --strict
	$(BIN)/mkdocs build --strict --quiet
	@echo "The site is in site/ (open site/index.html, or preview with: $(BIN)/mkdocs serve)"

test: $(STAMP) $(if $(shell command -v npm),$(NODE_STAMP))
	$(BIN)/ruff check scripts tests benchmarks
	$(BIN)/ruff format --check scripts tests benchmarks
	$(BIN)/pytest

# Figures, not pass/fail: how fast an edit shows in `mkdocs serve`.
bench: $(STAMP)
	$(BIN)/python benchmarks/serve_reload.py

clean:
	rm -rf site $(VENV) node_modules
	find generated -mindepth 1 ! -name .gitignore -delete
