"""Hostile text through check_json inside Pyodide under Node, on the runtime the site serves: the same
answer as CPython's, byte for byte. (Unguarded, JSON nested 100,000 deep is a fatal error of the
WebAssembly runtime, "Maximum call stack size exceeded", which kills the checker's worker.)"""
import json
import shutil
import subprocess

import pytest

from conftest import REPO
from ruleset import reader
from ruleset.api import check_json
from test_pyodide_parity import _served

pytestmark = pytest.mark.pyodide

TITLE = '{"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": 1, "title": %s}]}'
HOSTILE = [
    "[" * 100_000 + "]" * 100_000,
    '{"a": ' * 100_000 + "1" + "}" * 100_000,
    "[" * 1_000_000,
    TITLE % ("[" * 5_000 + "]" * 5_000),
    TITLE % '"\\ud800"',
    TITLE % json.dumps("\ud800", ensure_ascii=False),  # a lone surrogate itself, as JavaScript may hand it over
    TITLE % ("9" * 5000),
    TITLE % ("9" * (reader.MAX_INT_DIGITS + 1)),
    TITLE % json.dumps("字" * (reader.MAX_STRING + 1)),
    '{"region": "qinghai", "activities": [%s]}' % ", ".join(['{"kind": "training"}'] * (reader.MAX_ACTIVITIES + 1)),
    "[" + "0," * reader.MAX_ITEMS + "0]",
    '{"region": "qinghai", "activities": [{"kind": "training", "year": 1e999, "days": NaN}]}',
    "\ufeff" + TITLE % '"ok"',
    "",
]


def test_hostile_text_answers_alike_in_pyodide(tmp_path):
    assert shutil.which("node"), "node is required"
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(HOSTILE, ensure_ascii=True), encoding="utf-8")  # escapes carry lone surrogates
    proc = subprocess.run(["node", str(REPO / "tests" / "pyodide" / "run_cases.mjs"), *_served()[:1], str(path),
                           *_served()[1:]], capture_output=True, text=True, timeout=600, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    answers = json.loads(proc.stdout)
    assert len(answers) == len(HOSTILE)
    for text, answer in zip(HOSTILE, answers):
        assert answer == check_json(text), text[:100]
        assert json.loads(answer)["errors"] or text.startswith("\ufeff"), text[:100]
