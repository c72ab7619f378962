"""One vocabulary: the Chinese words of the case are typed in ruleset/rules/case.yaml only.

The labels of the units (学时, 学分), of the rule types, of every enum value (fields, profile,
kinds), of yes/no and of the rule subjects are read from case.yaml (through the bundle or the
schema) by the engine, the generator and the checker page alike. This test reads every string
literal of the project's Python and JavaScript sources and fails when one is such a label: a
label typed outside case.yaml would drift from it. ALLOWED lists the few that must stay, each
with the reason.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from test_checker_vocabulary import string_literals as js_literals

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "ruleset" / "rules" / "case.yaml"
# benchmarks/batch.py is left out: it fills a sheet with what a unit's officer types (Chinese labels), as input
PYTHON = sorted(p for d in ("ruleset", "site_src", "tools", "benchmarks") for p in (ROOT / d).rglob("*.py")
                if p != ROOT / "benchmarks" / "batch.py")
JAVASCRIPT = sorted(p for d in ("site_src/js", "site_src/inline", "site_src/assets/js")
                    for p in (ROOT / d).rglob("*.js"))

# (file, word): why the word is typed there.
ALLOWED = {
    ("*", "认定"): "also the verb of every explanation (认定 10 学时 = 'credited 10 hours'), not the label "
                   "of the application type 认定",
}


def labels(case: dict) -> dict[str, str]:
    """Every label the brief names -> where case.yaml defines it."""
    words: dict[str, str] = {}

    def specs():
        for section in ("case_fields", "profile", "fields"):
            for name, spec in (case.get(section) or {}).items():
                yield f"{section}.{name}", spec
        for kind, spec in case["kinds"].items():
            for name, override in (spec.get("fields") or {}).items():
                yield f"kinds.{kind}.{name}", override or {}

    for where, spec in specs():
        for value, label in (spec.get("enum_labels") or {}).items():
            words.setdefault(label, f"{where} = {value}")
    for section in ("units", "rule_types", "rule_subjects"):
        for name, spec in case[section].items():
            words.setdefault(spec["label"], f"{section}.{name}")
    for value, label in case["bool_labels"].items():
        words.setdefault(label, f"bool_labels.{value}")
    return words


def python_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant, f-string parts included."""
    nodes = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return [(node.lineno, node.value) for node in sorted(nodes, key=lambda n: (n.lineno, n.col_offset))]


def typed(path: Path, words: dict[str, str]) -> list[str]:
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        found = python_literals(source)
    else:
        found = [(0, text) for text in js_literals(source)]
    rel = path.relative_to(ROOT).as_posix()
    return [f"{rel}:{line}: {text!r} is {words[text.strip()]} in case.yaml"
            for line, text in found if text.strip() in words
            and (rel, text.strip()) not in ALLOWED and ("*", text.strip()) not in ALLOWED]


@pytest.fixture(scope="module")
def words() -> dict[str, str]:
    return labels(yaml.safe_load(CASE.read_text(encoding="utf-8")))


def test_the_vocabulary_is_read_from_case_yaml(words):
    assert {"学时", "学分", "公需科目", "专业科目", "年度学时要求", "是", "否", "一等奖", "中级"} <= set(words)


def test_the_check_finds_a_typed_label(words, tmp_path):
    """The test can fail: the ways a label used to be typed are all found."""
    src = tmp_path / "x.py"
    src.write_text('UNIT_ZH = {"hour": "学时"}\nx = f"{n} 学分"\nSUBJECT = ("public", "公需科目")\n'
                   'y = "多类活动共用的学时上限"\nz = "公需科目学时"  # a longer phrase is not a label\n', encoding="utf-8")
    (tmp_path / "x.js").write_text('h("td", {}, "专业科目"); const t = `${a} 学时`;', encoding="utf-8")
    assert [f.split(": ", 1)[1].split(" is ")[0] for f in typed_outside(tmp_path, words)] == [
        "'学时'", "' 学分'", "'公需科目'", "'多类活动共用的学时上限'", "'专业科目'"]


def typed_outside(root: Path, words: dict[str, str]) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")) + sorted(root.rglob("*.js")):
        source = path.read_text(encoding="utf-8")
        found = python_literals(source) if path.suffix == ".py" else [(0, t) for t in js_literals(source)]
        out += [f"{path.name}:{line}: {text!r} is {words[text.strip()]}" for line, text in found
                if text.strip() in words]
    return out


def test_no_python_or_javascript_source_types_a_label(words):
    assert PYTHON and JAVASCRIPT
    found = [problem for path in PYTHON + JAVASCRIPT for problem in typed(path, words)]
    assert found == [], "labels typed outside case.yaml (read them from the bundle or schema):\n" + "\n".join(found)


def test_every_allowed_word_is_still_needed(words):
    """An exception that no source needs any more is dropped from ALLOWED."""
    for (where, word), reason in ALLOWED.items():
        assert reason and word in words, (where, word)
        paths = PYTHON + JAVASCRIPT if where == "*" else [ROOT / where]
        hits = [text for path in paths for _, text in (
            python_literals(path.read_text(encoding="utf-8")) if path.suffix == ".py"
            else [(0, t) for t in js_literals(path.read_text(encoding="utf-8"))]) if text.strip() == word]
        assert hits, f"ALLOWED[{(where, word)}] is no longer needed"


def test_schema_extensions_come_from_case_yaml():
    """x-units and x-depends-on are generated from case.yaml, not typed in ruleset/schema.py."""
    from ruleset.schema import case_schema

    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    schema = case_schema()
    assert schema["x-units"] == {name: spec["label"] for name, spec in case["units"].items()}
    depends = {name: prop["x-depends-on"] for name, prop in schema["properties"]["profile"]["properties"].items()
               if "x-depends-on" in prop}
    assert depends == {name: {"field": "flags", "value": spec["needed_with_flag"]}
                       for name, spec in case["profile"].items() if spec.get("needed_with_flag")}
    assert depends  # transfer_year on civil_service_transfer
    # a field's counting word is its `suffix` (the form shows it as x-unit); `unit` means hour | credit only
    specs = [*case["case_fields"].values(), *case["profile"].values(), *case["fields"].values(),
             *(o or {} for k in case["kinds"].values() for o in (k.get("fields") or {}).values())]
    assert not [spec for spec in specs if "unit" in spec]
    shown = {prop.get("x-unit") for prop in schema["properties"]["activities"]["items"]["properties"].values()}
    assert {spec["suffix"] for spec in case["fields"].values() if "suffix" in spec} <= shown
