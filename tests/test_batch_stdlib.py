"""The batch page's Python on exactly what the site serves, in Pyodide under Node: the checker's trimmed
standard library, batch_modules.zip put on sys.path as the page's worker puts it, the precompiled wheels.
Units in every encoding and format the reader takes (site_src/batch_samples.py, the browser tests' unit,
the filled template) are read, checked in two workers' chunks and exported; the CSV exports must equal
CPython's, byte for byte (a module the build's run missed fails here, not in a reader's browser)."""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.pyodide

SCRIPT = r"""
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
const [runtime, stdlib, modules, samples] = process.argv.slice(2);
const { loadPyodide } = await import(path.resolve(runtime, "pyodide.mjs"));
const py = await loadPyodide({ indexURL: runtime + "/", stdLibURL: path.resolve(stdlib), stdout: () => {},
                               stderr: (s) => process.stderr.write(s + "\n") });
const lock = JSON.parse(readFileSync(path.join(runtime, "pyodide-lock.json"), "utf8"));
py.FS.writeFile("/home/pyodide/ruleset.whl", readFileSync(path.join(runtime, lock.packages.ruleset.file_name)));
py.FS.writeFile("/home/pyodide/batch_modules.zip", readFileSync(modules));
py.runPython(`import sys, encodings; sys.path.insert(0, "/home/pyodide/ruleset.whl")
sys.path.append("/home/pyodide/batch_modules.zip"); encodings.__path__.append("/home/pyodide/batch_modules.zip/encodings")`);
for (const name of ["openpyxl", "et-xmlfile"]) await py.loadPackage(path.join(runtime, lock.packages[name].file_name), { messageCallback: () => {} });
py.FS.mkdirTree("/samples");
for (const name of readdirSync(samples)) py.FS.writeFile("/samples/" + name, readFileSync(path.join(samples, name)));
process.stdout.write(py.runPython(`
import base64, json, os, sys
from ruleset.batch import page
page.prepare()
out = {}
for name in sorted(os.listdir("/samples")):
    data = open("/samples/" + name, "rb").read()
    first, helper = (page.start(data, "https://example.org/", None) for _ in range(2))
    if isinstance(first, str):
        out[name] = first
        continue
    half = first.total // 2
    first.check(0, half)
    others = json.dumps([json.loads(helper.check(half, helper.total))["problems"]])
    first.view_problems(others)
    first.export_xlsx([helper.rendered()])
    out[name] = {t: base64.b64encode(b).decode() for t, b in first.export_csv([helper.rendered()])}
out["modules"] = sorted(m for m in sys.modules if m.split(".")[0] in ("xml", "encodings", "openpyxl"))
json.dumps(out)
`));
"""


def test_batch_runs_on_the_served_standard_library(tmp_path):
    assert shutil.which("node"), "node is required"
    info = json.loads((REPO / "site_src/generated/checker/build.json").read_text(encoding="utf-8"))
    runtime = REPO / "site_src/generated/pyodide" / info["pyodide_version"]
    served = lambda key: REPO / "site_src/generated/pyodide" / info[key].removeprefix("assets/pyodide/")  # noqa: E731
    samples = tmp_path / "samples"
    sys.path.insert(0, str(REPO / "site_src"))
    import batch_samples
    from test_batch import JIA, YI, fill_xlsx
    from test_browser_batch import as_csv, as_xlsx, unit_rows

    batch_samples.write(samples)
    rows = unit_rows(30)
    (samples / "browser.csv").write_bytes(as_csv(rows))
    (samples / "browser-gbk.csv").write_bytes(as_csv(rows, "gbk"))
    (samples / "browser.xlsx").write_bytes(as_xlsx(rows))
    (samples / "template-filled.xlsx").write_bytes(fill_xlsx(JIA + YI))
    script = tmp_path / "run.mjs"
    script.write_text(SCRIPT, encoding="utf-8")
    proc = subprocess.run(["node", str(script), str(runtime), str(served("stdlib_url")),
                           str(served("batch_modules_url")), str(samples)],
                          capture_output=True, text=True, timeout=600, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout)
    assert "xml.etree.ElementTree" in got.pop("modules")  # (from batch_modules.zip: the checker's lacks it)

    from ruleset.batch import Batch
    from ruleset.batch.sources import UnreadableInput

    assert set(got) == {p.name for p in samples.iterdir()}
    for path in sorted(samples.iterdir()):
        try:
            want = Batch(path.read_bytes(), site_url="https://example.org/").run().export_csv()
        except UnreadableInput as exc:
            assert got[path.name] == str(exc), path.name
            continue
        assert {t: base64.b64decode(b) for t, b in got[path.name].items()} == want, path.name
