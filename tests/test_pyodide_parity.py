"""Every test vector inside real Pyodide under Node: the result JSON must be identical to
CPython's, byte for byte. Twice: on the npm package's stock runtime with the project's
wheel, and on exactly what the site serves (site_src/generated: the trimmed, precompiled
standard library and the precompiled wheel that the browser loads)."""
import json
import shutil
import subprocess

import pytest

from conftest import REPO
from ruleset.api import check_json
from vector_check import load_vectors

pytestmark = pytest.mark.pyodide


def _wheel():
    wheels = sorted((REPO / "dist").glob("ce_hours_checker-*-py3-none-any.whl"), key=lambda p: p.stat().st_mtime)
    assert wheels, "no ce-hours-checker wheel in dist/: run `make assets` (make test does)"
    return wheels[-1]


def _served() -> list[str]:
    """run_cases.mjs arguments for the runtime, standard library and wheel the site serves."""
    info = json.loads((REPO / "site_src/generated/checker/build.json").read_text(encoding="utf-8"))
    runtime = REPO / "site_src/generated/pyodide" / info["pyodide_version"]
    wheels = list(runtime.glob("wheels/*/ce_hours_checker-*.whl"))
    assert len(wheels) == 1, wheels
    stdlib = REPO / "site_src/generated/pyodide" / info["stdlib_url"].removeprefix("assets/pyodide/")
    return [str(wheels[0]), "--index", str(runtime), "--stdlib", str(stdlib)]


@pytest.fixture(scope="module", params=["stock", "served"])
def pyodide_results(request, tmp_path_factory):
    assert shutil.which("node"), "node is required for the Pyodide parity test"
    assert (REPO / "node_modules" / "pyodide" / "pyodide.mjs").exists(), "npm pyodide missing: run `make assets`"
    cases = [json.dumps(vec["case"], ensure_ascii=False) for _, vec in load_vectors()]
    cases += [json.dumps(json.loads((p).read_text(encoding="utf-8")), ensure_ascii=False)
              for p in sorted((REPO / "examples").glob("*.json"))]
    cases += ['{"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": -1}]}',
              '{not json', '[]', '', '"x"', '{"region": "qingdao", "profile": {"flags": "x"}, "activities": {}}',
              '{"region": "binzhou", "activities": [{"kind": "paper", "year": 1e400, "authors": [1]}]}']
    path = tmp_path_factory.mktemp("parity") / "cases.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    if request.param == "stock":
        wheel, extra = str(_wheel()), []
    else:
        wheel, *extra = _served()
    proc = subprocess.run(["node", str(REPO / "tests" / "pyodide" / "run_cases.mjs"), wheel, str(path), *extra],
                          capture_output=True, text=True, timeout=600, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return cases, json.loads(proc.stdout)


def test_wheel_matches_the_sources():
    """The wheel under test was built from the current bundle."""
    import zipfile

    with zipfile.ZipFile(_wheel()) as zf:
        shipped = {n: zf.read(n) for n in zf.namelist() if n.startswith("ruleset/") and not n.endswith("/")}
    sources = {p.relative_to(REPO).as_posix(): p.read_bytes() for p in (REPO / "ruleset").rglob("*")
               if p.suffix in (".py", ".json") and "__pycache__" not in p.parts}
    assert set(sources) <= set(shipped), sorted(set(sources) - set(shipped))
    stale = [name for name, data in sources.items() if shipped[name] != data]
    assert not stale, f"the wheel is stale for {stale}: run `make assets`"


def test_every_vector_identical_in_pyodide(pyodide_results):
    cases, results = pyodide_results
    assert len(results) == len(cases) > 50
    mismatched = [i for i, (c, r) in enumerate(zip(cases, results)) if check_json(c) != r]
    assert not mismatched, f"{len(mismatched)} cases differ, first: {cases[mismatched[0]][:200]}"
