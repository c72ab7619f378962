"""One vocabulary: the checker page's JavaScript reads the case vocabulary from the schema.

Labels, enum values, units and kinds come from ruleset/rules/case.yaml through the JSON
Schema (ruleset/schema.py); the page's code must not type any of them, and what the
schema adds for the page (x-units, x-depends-on) must agree with the engine.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ruleset import api
from ruleset.loader import bundle as load_bundle
from ruleset.schema import case_schema

ROOT = Path(__file__).resolve().parents[1]
PAGE_JS = sorted((ROOT / "site_src" / "js").rglob("*.js")) + sorted((ROOT / "site_src" / "inline").glob("*.js"))


def string_literals(source: str) -> list[str]:
    """The contents of the string literals of a JavaScript source (comments skipped; a template
    literal only when it has no ${…} in it)."""
    out, i, n = [], 0, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            i = source.find("*/", i + 2)
            i = n if i < 0 else i + 2
        elif c in "\"'`":
            j, text = i + 1, []
            while j < n and source[j] != c:
                if source[j] == "\\":
                    text.append(source[j: j + 2])
                    j += 2
                    continue
                text.append(source[j])
                j += 1
            body = "".join(text)
            if c != "`" or "${" not in body:
                try:
                    out.append(json.loads(f'"{body}"'))  # escapes as JSON reads them
                except ValueError:
                    out.append(body)
            i = j + 1
        else:
            i += 1
    return out


def _spec_words(spec: dict) -> set[str]:
    words = set()
    for values in (spec.get("enum"), (spec.get("items") or {}).get("enum")):
        words |= {v for v in values or [] if isinstance(v, str)}
    words |= set((spec.get("x-enum-labels") or {}).values())
    for key in ("title", "x-unit"):
        if isinstance(spec.get(key), str):
            words.add(spec[key])
    return words


def vocabulary(schema: dict) -> set[str]:
    """Every enum value, label, kind and unit of the case as the schema states it."""
    words = _spec_words(schema["properties"]["region"])
    for spec in schema["properties"]["profile"]["properties"].values():
        words |= _spec_words(spec)
    for spec in schema["properties"]["activities"]["items"]["properties"].values():
        words |= _spec_words(spec)
    for kind, spec in schema["x-kinds"].items():
        words |= {kind, spec["label"]}
        for field in spec["properties"].values():
            words |= _spec_words(field)
    words |= set(schema["x-units"]) | set(schema["x-units"].values())
    return words


def typed_vocabulary(source: str, words: set[str]) -> set[str]:
    return {s for s in string_literals(source) if s in words}


def test_string_literals_are_found():
    src = 'const a = "x\\u516c"; // "not this"\n/* "nor this" */ f(\'y\', `z`, `${a}w`);'
    assert string_literals(src) == ["x公", "y", "z"]


def test_the_checker_page_types_no_case_vocabulary():
    assert PAGE_JS, "no JavaScript under site_src/js"
    words = vocabulary(case_schema())
    # The check can fail: these are in the vocabulary and would be found if typed.
    assert typed_vocabulary('h("th", {}, "公需科目"); if (x === "credit") "civil_service_transfer";', words) == {
        "公需科目", "credit", "civil_service_transfer"}
    found = {str(p.relative_to(ROOT)): sorted(typed_vocabulary(p.read_text(encoding="utf-8"), words))
             for p in PAGE_JS}
    assert {k: v for k, v in found.items() if v} == {}


def test_units_name_every_unit_the_engine_reports():
    units = case_schema()["x-units"]
    reported = {"hour"}  # a year without a unit of its own is in hours (ruleset/years.py)
    for rule in load_bundle().data["rules"]:
        if rule.get("type") in ("requirement", "period_requirement") and "unit" in (rule.get("params") or {}):
            reported.add(rule["params"]["unit"])
    assert reported <= set(units), reported - set(units)
    assert next(iter(units)) == "hour", "the first unit is the one of a result that names none"
    assert all(isinstance(v, str) and v for v in units.values())


@pytest.mark.parametrize("name", [n for n, s in case_schema()["properties"]["profile"]["properties"].items()
                                  if "x-depends-on" in s])
def test_depends_on_agrees_with_validation(name):
    """A field shown only when another holds a value is the field the engine asks for then."""
    profile = case_schema()["properties"]["profile"]["properties"]
    dep = profile[name]["x-depends-on"]
    assert dep["field"] in profile and dep["field"] != name
    source = profile[dep["field"]]
    holds = [dep["value"]] if source.get("type") == "array" else dep["value"]
    assert dep["value"] in (source.get("items", {}).get("enum") or source.get("enum") or [])

    def errors(prof):
        case = {"region": "qinghai", "profile": prof, "activities": []}
        return [e["field"] for e in json.loads(api.check_json(json.dumps(case)))["errors"]]

    assert f"profile.{name}" in errors({dep["field"]: holds})
    assert f"profile.{name}" not in errors({})
    assert errors({dep["field"]: holds, name: 2021}) == []


def test_the_schema_has_depends_on_for_transfer_year():
    """The one dependency the form relied on before it was read from the schema."""
    dep = case_schema()["properties"]["profile"]["properties"]["transfer_year"].get("x-depends-on")
    assert dep == {"field": "flags", "value": "civil_service_transfer"}
