#!/usr/bin/env bash
# Build-time assets of the self-service checker (called by `make assets`).
#
#  1. npm ci when node_modules does not match package-lock.json (Pyodide, and esbuild,
#     which site_src/hooks/checker.py runs to bundle the checker's modules, and Biome,
#     run by `make lint`; all pinned).
#  2. The wheel of the distribution ce-hours-checker (import name `ruleset`):
#     `python -m build --wheel --no-isolation` (the venv's locked setuptools) into dist/.
#  3. A trimmed pyodide-lock.json that registers only that wheel (with its sha256),
#     under the import name `ruleset` (the worker itself puts the wheel on sys.path,
#     from build.json's wheel_url; the lock file is what loadPyodide reads),
#     written with pyodide-lock (needs Python >= 3.12: a small venv, .venv-lock/,
#     installed from requirements/pyodide-lock.txt with hashes).
#  4. The Pyodide runtime files the browser needs, the lock file and the wheel,
#     copied to site_src/generated/pyodide/<version>/ (served at
#     assets/pyodide/<version>/ by site_src/hooks/checker.py). What the checker
#     loads of the Python side is prepared by site_src/pyodide_prepare.mjs, run by
#     the same (stock npm) Pyodide under Node, i.e. the very Python 3.14 the browser
#     runs: the wheel with its modules precompiled to .pyc, and a standard library
#     (stdlib/<hash>/python_stdlib.zip) with the modules the checker imports
#     precompiled and the rest left out.
#     Start-up then compiles no Python source (measured by `make bench`). The stock
#     python_stdlib.zip stays beside pyodide.mjs, unused by the site (the bench's
#     bare-Pyodide page boots from it; the service worker does not store it). Cached in
#     build/pyodide-prepare/ by input hash.
#  4b. The batch page's pure-Python wheels (openpyxl, et_xmlfile): downloaded by pip from
#     the hash-pinned requirements/pyodide-wheels.txt (cached in build/pyodide-wheels/).
#     site_src/batch_prepare.mjs (Pyodide under Node again) drives the batch page's Python
#     over sample files (site_src/batch_samples.py) and writes the few standard-library
#     modules it imports that the checker's standard library lacks (stdlib/<hash>/batch_modules.zip,
#     precompiled) and the two wheels precompiled. Both are copied beside the ruleset wheel,
#     the wheels registered in the same lock file; only the batch page's worker loads them
#     (loadPackage and its sys.path), the checker's boot never does. Cached in build/batch-prepare/.
#  5. A small build.json with the paths and content hashes, beside schema.json and
#     metadata.json of the case format in site_src/generated/checker/ (served at
#     assets/checker/; written by `python -m site_src.generate`, run before this
#     script by `make assets`), so the form renders before Pyodide has booted.
#  6. The batch page's empty templates (site_src/batch_templates.py -> site_src/generated/batch/,
#     served at assets/batch/).
#
# Everything comes from the package registries (npm, PyPI); nothing else is fetched.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf 'build_assets: %s\n' "$*" >&2; }
die() { printf 'build_assets: error: %s\n' "$*" >&2; exit 1; }

# Python of the project (the Makefile's venv when present).
if [ -n "${PYTHON:-}" ]; then PY="$PYTHON"
elif [ -x "$ROOT/.venv/bin/python" ]; then PY="$ROOT/.venv/bin/python"
else PY="$(command -v python3)"; fi

GEN="$ROOT/site_src/generated"
LOCK_REQS="$ROOT/requirements/pyodide-lock.txt"
BATCH_REQS="$ROOT/requirements/pyodide-wheels.txt"
# The wheel's file name starts with the distribution name, normalised (PEP 427).
WHEEL_GLOB="ce_hours_checker-*-py3-none-any.whl"
# The name the trimmed lock registers the wheel under: the import name, which
# the worker passes to loadPyodide({packages: [...]}).
LOCK_NAME="ruleset"

# --- 1. node_modules -----------------------------------------------------------
command -v npm >/dev/null 2>&1 || die "npm not found (Node.js and npm are needed for the Pyodide runtime)"
stamp="node_modules/.ci-stamp"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -f node_modules/pyodide/package.json ] \
   || [ ! -e node_modules/.bin/esbuild ]; then
  log "npm ci"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  printf '%s\n' "$want" > "$stamp"
fi
PYODIDE_DIR="$ROOT/node_modules/pyodide"
PYODIDE_VERSION="$(node -p "require('./node_modules/pyodide/package.json').version")"
[ -n "$PYODIDE_VERSION" ] || die "cannot read the Pyodide version"

# --- 2. the ruleset wheel ------------------------------------------------------
"$PY" -c 'import build' 2>/dev/null || die "$PY lacks the 'build' package (run make venv: build is in requirements/dev.txt)"
rm -f dist/ruleset-*.whl dist/$WHEEL_GLOB
log "building the ce-hours-checker wheel"
buildlog="$(mktemp)"
trap 'rm -f "$buildlog"' EXIT
# Fixed zip timestamps: the same sources give the same wheel (and sha256).
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-315532800}" \
  "$PY" -m build --wheel --no-isolation --outdir dist . >"$buildlog" 2>&1 || { cat "$buildlog" >&2; die "wheel build failed"; }
shopt -s nullglob
wheels=(dist/$WHEEL_GLOB)
shopt -u nullglob
[ ${#wheels[@]} -eq 1 ] || die "expected one pure-Python wheel dist/$WHEEL_GLOB, found ${#wheels[@]}"
WHEEL="$ROOT/${wheels[0]}"
# The wheel must carry the compiled rule data and the browser API.
"$PY" - "$WHEEL" <<'EOF' || die "the wheel lacks ruleset/data/bundle.json or ruleset/api.py (run make bundle)"
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
sys.exit(0 if {"ruleset/data/bundle.json", "ruleset/api.py"} <= names else 1)
EOF

# --- 3. a Python >= 3.12 venv with pyodide-lock ---------------------------------
find_py312() {
  local c v
  for c in "${LOCK_PYTHON:-}" python3.14 python3.13 python3.12 \
           /root/.pyenv/versions/3.1[2-9]*/bin/python "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python \
           /usr/bin/python3 python3; do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] || continue
    v="$("$c" -c 'import sys; print(int(sys.version_info >= (3, 12)))' 2>/dev/null || echo 0)"
    if [ "$v" = 1 ]; then command -v "$c" 2>/dev/null || echo "$c"; return 0; fi
  done
  return 1
}
LOCKVENV="$ROOT/.venv-lock"
LOCK_STAMP="$LOCKVENV/.requirements.sha256"
lock_want="$(sha256sum "$LOCK_REQS" | cut -d' ' -f1)"
if [ "$(cat "$LOCK_STAMP" 2>/dev/null)" != "$lock_want" ] \
   || ! "$LOCKVENV/bin/python" -c 'import pyodide_lock, packaging, pkginfo' >/dev/null 2>&1; then
  PY312="$(find_py312)" || die "pyodide-lock needs Python >= 3.12; none found (set LOCK_PYTHON=/path/to/python3.12)"
  log "creating .venv-lock with $PY312"
  rm -rf "$LOCKVENV"
  "$PY312" -m venv "$LOCKVENV"
  "$LOCKVENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$LOCK_REQS"
  printf '%s\n' "$lock_want" > "$LOCK_STAMP"
fi

# --- 4. runtime files + trimmed lock -------------------------------------------
OUT="$GEN/pyodide/$PYODIDE_VERSION"
rm -rf "$GEN/pyodide"
mkdir -p "$OUT"
for f in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip; do
  [ -f "$PYODIDE_DIR/$f" ] || die "node_modules/pyodide/$f missing (Pyodide $PYODIDE_VERSION)"
  cp "$PYODIDE_DIR/$f" "$OUT/$f"
done
# Precompiled wheel + standard library (see the header). Sample cases whose api calls
# show which modules the checker imports: every test vector (they exercise every rule),
# the examples and faulty inputs.
command -v node >/dev/null 2>&1 || die "node not found (Node.js runs Pyodide to precompile the Python side)"
CASES="$(mktemp)"
trap 'rm -f "$buildlog" "$CASES"' EXIT
"$PY" - "$ROOT" "$CASES" <<'EOF'
import json, sys
from pathlib import Path
root = Path(sys.argv[1])
sys.path.insert(0, str(root / "tests"))
from vector_check import load_vectors
cases = [json.dumps(vec["case"], ensure_ascii=False) for _, vec in load_vectors()]
cases += [p.read_text(encoding="utf-8") for p in sorted((root / "examples").glob("*.json"))]
cases += ["not json", "[]", "", '{"region": "nowhere", "activities": []}',
          '{"region": "qinghai", "profile": {"apply_year": "x", "flags": ["?"]}, "activities": '
          '[1, {"kind": "x"}, {"kind": "paper"}, {"kind": "training", "year": 2022, "days": 1e400}, '
          '{"kind": "training", "year": 2022.5, "days": "2", "extra": null}]}']
Path(sys.argv[2]).write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
EOF
PREP_KEY="$(cat "$PYODIDE_DIR/python_stdlib.zip" "$PYODIDE_DIR/pyodide.asm.wasm" "$WHEEL" "$CASES" \
  "$ROOT/site_src/pyodide_prepare.mjs" "$ROOT/site_src/prepare_zip.py" "$ROOT/site_src/prepare_pyodide.mjs" | sha256sum | cut -c1-16)"
PREP="$ROOT/build/pyodide-prepare/$PREP_KEY"
if [ ! -f "$PREP/prepare.json" ]; then
  log "precompiling the wheel and the standard library with Pyodide $PYODIDE_VERSION under Node"
  rm -rf "$ROOT/build/pyodide-prepare"
  mkdir -p "$PREP.tmp"
  node "$ROOT/site_src/pyodide_prepare.mjs" "$PYODIDE_DIR" "$WHEEL" "$CASES" "$PREP.tmp" >&2 \
    || die "site_src/pyodide_prepare.mjs failed"
  mv "$PREP.tmp" "$PREP"
fi
log "prepared: $(cat "$PREP/prepare.json")"
WHEEL="$PREP/$(basename "$WHEEL")"
STDLIB_SHA="$(sha256sum "$PREP/python_stdlib.zip" | cut -d' ' -f1)"
STDLIB_REL="stdlib/${STDLIB_SHA:0:16}/python_stdlib.zip"
mkdir -p "$(dirname "$OUT/$STDLIB_REL")"
cp "$PREP/python_stdlib.zip" "$OUT/$STDLIB_REL"
# The wheel sits in a directory named after its own hash, so a browser never
# pairs a cached old wheel with a new lock file (Pyodide checks the sha256).
WHEEL_SHA="$(sha256sum "$WHEEL" | cut -d' ' -f1)"
WHEEL_DIR="$OUT/wheels/${WHEEL_SHA:0:16}"
mkdir -p "$WHEEL_DIR"
cp "$WHEEL" "$WHEEL_DIR/"
# The batch page's wheels, as pinned (with their hashes), then precompiled with the batch's own
# modules (4b of the header), each in a directory named after its own hash like the ruleset wheel.
BATCH_DL="$ROOT/build/pyodide-wheels"
mkdir -p "$BATCH_DL"
"$PY" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: --require-hashes \
  -r "$BATCH_REQS" -d "$BATCH_DL" >&2 || die "pip download of requirements/pyodide-wheels.txt failed"
BATCH_SRC=()
while read -r name; do
  [ -n "$name" ] || continue
  shopt -s nullglob
  found=("$BATCH_DL"/$name-*-py3-none-any.whl "$BATCH_DL"/$name-*-py2.py3-none-any.whl)
  shopt -u nullglob
  [ ${#found[@]} -ge 1 ] || die "no pure-Python wheel of $name in build/pyodide-wheels"
  found=($(ls -t "${found[@]}"))
  BATCH_SRC+=("${found[0]}")
done < <(sed -n 's/^\([A-Za-z0-9_.-]*\)==.*/\1/p' "$BATCH_REQS" | tr '.-' '__')
SAMPLES="$(mktemp -d)"
trap 'rm -rf "$buildlog" "$CASES" "$SAMPLES"' EXIT
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" "$PY" "$ROOT/site_src/batch_samples.py" "$SAMPLES" \
  || die "site_src/batch_samples.py failed"
BPREP_KEY="$(cat "$PREP/python_stdlib.zip" "$WHEEL" "${BATCH_SRC[@]}" "$SAMPLES"/* "$ROOT/site_src/batch_prepare.mjs" \
  "$ROOT/site_src/prepare_zip.py" "$ROOT/site_src/prepare_pyodide.mjs" "$PYODIDE_DIR/pyodide.asm.wasm" | sha256sum | cut -c1-16)"
BPREP="$ROOT/build/batch-prepare/$BPREP_KEY"
if [ ! -f "$BPREP/batch_modules.json" ]; then
  log "finding the batch page's modules with Pyodide $PYODIDE_VERSION under Node"
  rm -rf "$ROOT/build/batch-prepare"
  mkdir -p "$BPREP.tmp"
  node "$ROOT/site_src/batch_prepare.mjs" "$PYODIDE_DIR" "$WHEEL" "$PREP/python_stdlib.zip" "$SAMPLES" "$BPREP.tmp" \
    "${BATCH_SRC[@]}" >&2 || die "site_src/batch_prepare.mjs failed"
  mv "$BPREP.tmp" "$BPREP"
fi
log "batch page: $(head -c 300 "$BPREP/batch_modules.json")"
BATCH_MODULES_SHA="$(sha256sum "$BPREP/batch_modules.zip" | cut -d' ' -f1)"
BATCH_MODULES_REL="stdlib/${BATCH_MODULES_SHA:0:16}/batch_modules.zip"
mkdir -p "$(dirname "$OUT/$BATCH_MODULES_REL")"
cp "$BPREP/batch_modules.zip" "$OUT/$BATCH_MODULES_REL"
BATCH_WHEELS=()
for src in "${BATCH_SRC[@]}"; do
  whl="$BPREP/$(basename "$src")"
  sha="$(sha256sum "$whl" | cut -d' ' -f1)"
  mkdir -p "$OUT/wheels/${sha:0:16}"
  cp "$whl" "$OUT/wheels/${sha:0:16}/"
  BATCH_WHEELS+=("$OUT/wheels/${sha:0:16}/$(basename "$whl")")
done
"$LOCKVENV/bin/python" - "$PYODIDE_DIR/pyodide-lock.json" "$OUT" "$WHEEL_DIR/$(basename "$WHEEL")" "$LOCK_NAME" \
  "${BATCH_WHEELS[@]}" <<'EOF'
import logging
import sys
import zipfile
from pathlib import Path

from pyodide_lock import PyodideLockSpec
from pyodide_lock.utils import add_wheels_to_spec

full_lock, out, wheel, lock_name = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
batch_wheels = [Path(p) for p in sys.argv[5:]]  # the batch page's (openpyxl and what it needs)
# pyodide-lock reads the import names from the .py files, which the precompiled
# wheel no longer has: they come from its top_level.txt instead (no warning).
logging.getLogger("pyodide_lock").setLevel(logging.ERROR)
spec = add_wheels_to_spec(PyodideLockSpec.from_json(full_lock), [wheel, *batch_wheels], base_path=out)
added = [n for n, p in spec.packages.items() if Path(p.file_name).name == wheel.name]
if len(added) != 1:
    sys.exit(f"the lock does not register {wheel.name} exactly once: {added}")
pkg = spec.packages.pop(added[0])
if not pkg.imports:
    with zipfile.ZipFile(wheel) as zf:
        top = [n for n in zf.namelist() if n.endswith(".dist-info/top_level.txt")]
        pkg.imports = zf.read(top[0]).decode().split() if top else [lock_name]
if lock_name not in pkg.imports:
    sys.exit(f"{wheel.name} does not provide the module {lock_name!r} (imports: {pkg.imports})")
# Registered under its import name, the name the worker loads it by.
pkg.name = lock_name
spec.packages[lock_name] = pkg
# Keep the added wheel and whatever it depends on (nothing, today): the browser
# never needs the other few hundred packages of the distribution.
batch = [n for n, p in spec.packages.items() if Path(p.file_name).name in {w.name for w in batch_wheels}]
if len(batch) != len(batch_wheels):
    sys.exit(f"the lock does not register every batch wheel: {batch} of {[w.name for w in batch_wheels]}")
keep, todo = set(), [lock_name, *batch]
while todo:
    name = todo.pop()
    if name in keep:
        continue
    keep.add(name)
    todo.extend(spec.packages[name].depends)
missing = [n for n in keep if not (out / spec.packages[n].file_name).is_file()]
if missing:
    sys.exit(f"packages not shipped with the site: {missing} (the ruleset must stay stdlib-only)")
spec.packages = {n: p for n, p in spec.packages.items() if n in keep}
spec.to_json(out / "pyodide-lock.json", indent=1)
print(f"build_assets: lock registers {pkg.name} {pkg.version} -> {pkg.file_name} sha256 {pkg.sha256[:12]}…", file=sys.stderr)
print(f"build_assets: lock registers for the batch page: {', '.join(sorted(batch))}", file=sys.stderr)
EOF

# --- 5. schema, metadata and build info for the page ------------------------------
CHK="$GEN/checker"
for f in schema.json metadata.json; do
  [ -f "$CHK/$f" ] || die "site_src/generated/checker/$f missing: run \`make generate\` (python -m site_src.generate) first"
done
rm -f "$CHK/build.json"
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" "$PY" - "$CHK" "$PYODIDE_VERSION" "$OUT" "$STDLIB_REL" "$LOCK_NAME" \
  "$BATCH_MODULES_REL" <<'EOF'
import hashlib
import json
import sys
from pathlib import Path

chk, version, out, stdlib, lock_name = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4], sys.argv[5]
batch_modules = sys.argv[6]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


info = {
    "pyodide_version": version,
    # Paths relative to the site root; ?v= busts caches when the content changes.
    "index_url": f"assets/pyodide/{version}/",
    "lock_url": f"assets/pyodide/{version}/pyodide-lock.json?v={digest(out / 'pyodide-lock.json')}",
    # A content-addressed directory: no ?v= needed.
    "stdlib_url": f"assets/pyodide/{version}/{stdlib}",
    # The batch page's worker boots like the checker's (same standard library) and then puts on
    # sys.path the few modules its reader and openpyxl need beside it (xml.etree, the GB18030
    # codec …: site_src/batch_prepare.mjs). Content-addressed.
    "batch_modules_url": f"assets/pyodide/{version}/{batch_modules}",
    # The wheel the worker puts on sys.path (content-addressed, as the lock file names it).
    "wheel_url": f"assets/pyodide/{version}/"
                 + json.loads((out / "pyodide-lock.json").read_text(encoding="utf-8"))["packages"][lock_name]["file_name"],
    "schema_url": f"assets/checker/schema.json?v={digest(chk / 'schema.json')}",
    "metadata_url": f"assets/checker/metadata.json?v={digest(chk / 'metadata.json')}",
}
(chk / "build.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
EOF

# --- 6. the batch page's empty templates (.xlsx, .csv and the guide) -------------------
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" "$PY" "$ROOT/site_src/batch_templates.py" "$GEN/batch" \
  || die "writing the batch templates failed (site_src/batch_templates.py; openpyxl is in requirements/dev.txt)"

size="$(du -sb "$OUT" | cut -f1)"
log "Pyodide $PYODIDE_VERSION + ruleset wheel -> site_src/generated/pyodide/$PYODIDE_VERSION ($size bytes)"
