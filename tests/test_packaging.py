"""The distribution ce-hours-checker: what `python -m build` makes, installed into a
clean venv with no index, runs the CLI as documented.

The build runs without isolation, with the venv's setuptools (pinned with hashes
in requirements/build.txt), so the test needs no network.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qinghai-intermediate-2024.json"
DIST_NAME = "ce-hours-checker"

pytestmark = pytest.mark.packaging


def run(*args, cwd, env=None, timeout=300):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"{args} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """An sdist and a wheel built from it, as `python -m build` makes them."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT, cwd=ROOT)
    wheels = list(out.glob("*.whl"))
    sdists = list(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


@pytest.fixture(scope="module")
def venv(dists, tmp_path_factory) -> Path:
    """A fresh venv with only the wheel, installed with no index."""
    where = tmp_path_factory.mktemp("venv") / "v"
    run(sys.executable, "-m", "venv", where, cwd=where.parent)
    run(where / "bin" / "python", "-m", "pip", "install", "-q", "--no-index", dists["wheel"], cwd=where.parent)
    return where


def clean_env() -> dict:
    """No PYTHONPATH or the like pointing back at the working tree."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


def test_wheel_name_and_metadata(dists):
    wheel = dists["wheel"]
    assert re.fullmatch(r"ce_hours_checker-[\d.]+-py3-none-any\.whl", wheel.name), wheel.name
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(zf.read(meta_name).decode())
        licence = [n for n in names if ".dist-info/licenses/" in n]
    assert meta["Name"] == DIST_NAME
    assert meta["License-Expression"] == "MIT"
    assert meta.get("License") is None, "the legacy License field is set besides the SPDX expression"
    assert meta.get_all("License-File") == ["LICENSE"] and licence, (meta.get_all("License-File"), licence)
    classifiers = meta.get_all("Classifier")
    for c in ("Typing :: Typed", "Programming Language :: Python :: 3.11", "Natural Language :: Chinese (Simplified)"):
        assert c in classifiers
    assert not any(c.startswith("License ::") for c in classifiers), "licence classifiers are superseded by SPDX"
    assert meta["Requires-Python"] == ">=3.11"
    requires = meta.get_all("Requires-Dist") or []
    assert all('extra == "batch"' in r for r in requires), f"the engine is stdlib-only: {requires}"
    assert any(r.startswith("openpyxl") for r in requires), "xlsx batches: pip install ce-hours-checker[batch]"
    tops = {n.split("/")[0] for n in names if not n.startswith(wheel.name.split("-")[0] + "-")}
    assert tops == {"ruleset"}, f"the wheel ships more than the ruleset package: {tops}"
    for path in ("ruleset/py.typed", "ruleset/data/bundle.json", "ruleset/api.py", "ruleset/__main__.py"):
        assert path in names, f"{path} missing from the wheel"


def test_sdist_carries_the_licence_and_the_rule_bundle(dists):
    import tarfile

    with tarfile.open(dists["sdist"]) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    for path in ("LICENSE", "pyproject.toml", "README.md", "ruleset/data/bundle.json", "ruleset/py.typed"):
        assert path in names, f"{path} missing from the sdist"


def test_module_cli_works_from_a_clean_venv(venv, tmp_path):
    python = venv / "bin" / "python"
    where = run(python, "-c", "import ruleset, sys; print(ruleset.__file__)", cwd=tmp_path, env=clean_env())
    assert str(venv) in where.stdout, f"ruleset imported from {where.stdout.strip()}, not the venv"
    proc = run(python, "-m", "ruleset", "check", EXAMPLE, cwd=tmp_path, env=clean_env())
    assert "地区：青海省（qinghai）" in proc.stdout
    assert "职称申报" in proc.stdout
    # The installed engine gives the very result the working tree gives.
    installed = json.loads(run(python, "-m", "ruleset", "check", EXAMPLE, "--json", cwd=tmp_path,
                               env=clean_env()).stdout)
    here = json.loads(run(sys.executable, "-m", "ruleset", "check", EXAMPLE, "--json", cwd=ROOT).stdout)
    assert installed == here


def test_console_script_works_from_a_clean_venv(venv, tmp_path):
    script = venv / "bin" / "ruleset"
    assert script.is_file(), "the console script `ruleset` is not installed"
    result = json.loads(run(script, "check", EXAMPLE, "--json", cwd=tmp_path, env=clean_env()).stdout)
    assert result["region"] == "qinghai" and result["years"], sorted(result)
    schema = json.loads(run(script, "schema", cwd=tmp_path, env=clean_env()).stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")


def test_build_requirements_match_the_lock_inputs():
    """[build-system] requires is what requirements/build.in pins for the no-isolation builds."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    lines = [ln.split("#")[0].strip() for ln in (ROOT / "requirements/build.in").read_text().splitlines()]
    pinned = [ln for ln in lines if ln and ln != "pip"]
    assert sorted(pinned) == sorted(requires)


def test_locks_pin_every_package_with_hashes():
    for lock in ("build", "dev", "pyodide-lock", "tools"):
        text = (ROOT / "requirements" / f"{lock}.txt").read_text(encoding="utf-8")
        entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[-1].strip())
        entries = [e for e in entries if not e.startswith("#")]
        assert entries, f"requirements/{lock}.txt is empty"
        for entry in entries:
            assert re.match(r"[A-Za-z0-9._-]+(\[[^\]]+\])?==\S+", entry), f"{lock}.txt: not pinned: {entry[:80]}"
            assert "--hash=sha256:" in entry, f"{lock}.txt: no hash: {entry[:80]}"


def test_one_licence_everywhere():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["license"] == "MIT" and meta["license-files"] == ["LICENSE"]
    assert json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
