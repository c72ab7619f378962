# Every target does its own set-up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PORT ?= 8000

.PHONY: all venv bundle wheel assets build serve lint test test-fast bench clean

all: build

$(VENV)/.ready: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

venv: $(VENV)/.ready

# npm packages as pinned in package-lock.json (Pyodide, esbuild, Biome); the stamp is the
# lock file's hash, as site_src/build_assets.sh writes it.
node_modules/.ci-stamp: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	sha256sum package-lock.json | cut -d' ' -f1 > $@

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

# Lint and formatting of every JavaScript file of the project (biome.json).
lint: node_modules/.ci-stamp
	node_modules/.bin/biome ci --colors=off .

# Engine, CLI and rule-data tests only (no site, no browser).
test-fast: bundle
	$(BIN)/python -m pytest -q -m "not browser and not pyodide" tests

test: build lint
	bash site_src/setup_browser.sh
	$(BIN)/python -m pytest -q tests

bench: build
	bash site_src/setup_browser.sh
	$(BIN)/python -m benchmarks

clean:
	rm -rf site dist build .venv .venv-lock node_modules site_src/generated
