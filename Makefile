# Every target does its own set-up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PORT ?= 8000

.PHONY: all venv bundle wheel assets build serve test test-fast bench clean

all: build

$(VENV)/.ready: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

venv: $(VENV)/.ready

# Rule data: YAML -> the JSON bundle shipped inside the package.
bundle: venv
	$(BIN)/python -m ruleset.compile

# Pyodide runtime, the ruleset wheel and the lock file, copied into the site sources.
assets: bundle
	bash site_src/build_assets.sh

build: assets
	$(BIN)/mkdocs build --strict

serve: build
	@echo "Serving site/ at http://127.0.0.1:$(PORT)/"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory site

# Engine, CLI and rule-data tests only (no site, no browser).
test-fast: bundle
	$(BIN)/python -m pytest -q -m "not browser and not pyodide" tests

test: build
	bash site_src/setup_browser.sh
	$(BIN)/python -m pytest -q tests

bench: build
	bash site_src/setup_browser.sh
	$(BIN)/python -m benchmarks

clean:
	rm -rf site dist build .venv .venv-lock node_modules site_src/generated
