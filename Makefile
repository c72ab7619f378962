# Every target does its own set-up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PORT ?= 8000

.PHONY: all venv lock bundle generate wheel assets build serve lint test test-fast bench clean

all: build

# A new venv with only what requirements/*.txt pin with hashes (`make lock` writes
# them): the installer and build backend first, then the dev tools without build
# isolation (no unpinned download while building an sdist), then the project.
$(VENV)/.ready: pyproject.toml requirements/build.txt requirements/dev.txt
	rm -rf $(VENV)
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes --no-deps -r requirements/build.txt
	$(BIN)/python -m pip install -q --require-hashes --no-build-isolation -r requirements/dev.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

venv: $(VENV)/.ready

# npm packages as pinned in package-lock.json (Pyodide, esbuild, Biome); the stamp is the
# lock file's hash, as site_src/build_assets.sh writes it.
node_modules/.ci-stamp: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	sha256sum package-lock.json | cut -d' ' -f1 > $@

# Refreshes every lock in requirements/ to the newest versions the .in files and
# pyproject.toml allow, with hashes (uv, itself pinned in requirements/tools.txt).
# Review the diff, run `make test`, commit.
TOOLS := $(CURDIR)/.venv-tools/bin
UV_COMPILE = $(TOOLS)/uv pip compile --universal --generate-hashes --upgrade --quiet \
	--custom-compile-command "make lock"
lock:
	test -x $(TOOLS)/python || $(PY) -m venv .venv-tools
	$(TOOLS)/python -m pip install -q --require-hashes -r requirements/tools.txt
	$(UV_COMPILE) --python-version 3.11 requirements/build.in -o requirements/build.txt
	$(UV_COMPILE) --python-version 3.11 --group pyproject.toml:dev -c requirements/build.txt -o requirements/dev.txt
	$(UV_COMPILE) --python-version 3.12 requirements/pyodide-lock.in -o requirements/pyodide-lock.txt
	$(UV_COMPILE) --python-version 3.14 requirements/pyodide-wheels.in -o requirements/pyodide-wheels.txt
	$(UV_COMPILE) --python-version 3.11 requirements/tools.in -o requirements/tools.txt

# Rule data: YAML -> the JSON bundle shipped inside the package.
bundle: venv
	$(BIN)/python -m ruleset.compile

# Generated Markdown pages and JSON data (reference, changes, 案例格式, schemas,
# the checker's schema/metadata), written before the site generator runs.
generate: bundle
	$(BIN)/python -m site_src.generate

# Pyodide runtime, the ce-hours-checker wheel and the lock file, copied into the site sources.
assets: generate
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
	$(BIN)/python -m pytest -q -m "not browser and not pyodide and not packaging" tests

test: build lint
	bash site_src/setup_browser.sh
	$(BIN)/python -m pytest -q tests

bench: build
	bash site_src/setup_browser.sh
	$(BIN)/python -m benchmarks

clean:
	rm -rf site dist build .venv .venv-lock .venv-tools node_modules site_src/generated \
	  docs/reference docs/changes docs/schema docs/case-format.md
