"""The JSON Schema of the case format, generated from case.yaml (labels and help in Chinese)."""
from __future__ import annotations

from .loader import bundle as load_bundle
from .validate import field_spec

_TYPES = {"int": "integer", "number": "number", "bool": "boolean", "str": "string"}

# The units of the result document (`years.Y.unit`, `periods[].unit`) and their labels
# (zh), emitted as `x-units` for the checker page; the first is the unit of a result
# that names none.
UNIT_LABELS = {"hour": "学时", "credit": "学分"}

# Profile fields that apply only when another profile field holds a value (a flag set,
# an enum chosen): field -> (that field, that value). Emitted as `x-depends-on`; the
# checker shows such a field only then and drops its value otherwise. The requirement
# itself is enforced by validate.py (transfer_year is needed once the flag is set).
PROFILE_DEPENDS_ON = {"transfer_year": ("flags", "civil_service_transfer")}


def _field_schema(spec: dict) -> dict:
    out: dict = {}
    kind = spec["type"]
    if kind == "enum":
        out["enum"] = list(spec["enum"]) + ([None] if spec.get("nullable") else [])
        out["x-enum-labels"] = {str(k): v for k, v in (spec.get("enum_labels") or {}).items()}
    elif kind == "flags":
        out["type"] = "array"
        out["items"] = {"enum": list(spec["enum"])}
        out["uniqueItems"] = True
        out["x-enum-labels"] = dict(spec.get("enum_labels") or {})
    else:
        out["type"] = [_TYPES[kind], "null"] if spec.get("nullable") else _TYPES[kind]
    for key, target in (("minimum", "minimum"), ("maximum", "maximum"), ("multiple_of", "multipleOf"),
                        ("default", "default")):
        if spec.get(key) is not None:
            out[target] = spec[key]
    if spec.get("label"):
        out["title"] = spec["label"]
    if spec.get("help"):
        out["description"] = spec["help"]
    if spec.get("unit"):
        out["x-unit"] = spec["unit"]
    return out


def _profile_field_schema(name: str, spec: dict) -> dict:
    out = _field_schema(spec)
    if name in PROFILE_DEPENDS_ON:
        field, value = PROFILE_DEPENDS_ON[name]
        out["x-depends-on"] = {"field": field, "value": value}
    return out


def case_schema() -> dict:
    b = load_bundle()
    kinds = b.kinds
    branches = []
    x_kinds = {}
    for name, kind in kinds.items():
        fields = list((kind.get("fields") or {}).keys())
        props = {"kind": {"const": name}, "year": _field_schema(b.fields["year"]),
                 "title": _field_schema(b.fields["title"])}
        for f in fields:
            props[f] = _field_schema(field_spec(b, name, f))
        branches.append({"if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
                         "then": {"properties": props}})
        x_kinds[name] = {"label": kind["label"], "help": kind.get("help"), "fields": fields,
                         "properties": {f: props[f] for f in fields}}
    activity = {
        "type": "object",
        "title": "活动",
        "required": ["kind", "year"],
        "properties": {
            "kind": {"enum": list(kinds), "title": "活动类型",
                     "x-enum-labels": {k: v["label"] for k, v in kinds.items()}},
            "year": _field_schema(b.fields["year"]),
            "title": _field_schema(b.fields["title"]),
            **{f: _field_schema(spec) for f, spec in b.fields.items() if f not in ("kind", "year", "title")},
        },
        "allOf": branches,
    }
    profile = {
        "type": "object",
        "title": "个人信息",
        "description": "申报职称的核对需要拟申报层级和申报年度。",
        "properties": {k: _profile_field_schema(k, v) for k, v in b.case["profile"].items()},
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "ruleset/case.schema.json",
        "title": "继续教育学时核算案例",
        "description": "一个人的地区、个人信息和继续教育活动（shared/spec/case-format.md）。",
        "type": "object",
        "required": ["region"],
        "properties": {
            "region": {"enum": list(b.regions), "title": "地区",
                       "x-enum-labels": {k: v["name"] for k, v in b.regions.items()}},
            "profile": profile,
            "activities": {"type": "array", "title": "继续教育活动", "items": activity},
        },
        "x-kinds": x_kinds,
        "x-units": dict(UNIT_LABELS),
    }
