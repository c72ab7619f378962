"""View model of the 案例格式 (case format) page, from the JSON Schema of the case.

The schema (`ruleset.schema.case_schema()`, what `python -m ruleset schema` prints)
is itself generated from ruleset/rules/case.yaml, so the page shows exactly what
validation accepts: every kind with its Chinese label and help, every field with
its type, unit, range, allowed values with their labels, default and whether it
is required.
"""
from __future__ import annotations

import json

from typing import Callable

CASE_SCHEMA_FILE = "schema/case.schema.json"
RESULT_SCHEMA_FILE = "schema/result.schema.json"

TYPE_ZH = {
    "integer": "整数",
    "number": "数字",
    "boolean": "是/否（true 或 false）",
    "string": "文字",
    "array": "列表",
    "object": "对象",
}


def _num(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _types(prop: dict) -> tuple[list[str], bool]:
    t = prop.get("type")
    types = t if isinstance(t, list) else [t] if t else []
    return [x for x in types if x != "null"], "null" in types


def _key(value) -> str:
    """A value as the schema's x-enum-labels keys it (JSON's true/false for booleans)."""
    return json.dumps(value) if isinstance(value, bool) else str(value)


def field_row(name: str, prop: dict, required: bool) -> dict:
    """One field as the page shows it (all text Chinese, values as in the JSON)."""
    labels = prop.get("x-enum-labels") or {}
    values, nullable, rules = [], False, []
    if "enum" in prop:
        kind = "选项（取其一）"
        nullable = None in prop["enum"]
        values = [{"value": v, "label": labels.get(_key(v), "")} for v in prop["enum"] if v is not None]
    elif prop.get("type") == "array" and "enum" in (prop.get("items") or {}):
        kind = "多选（列表，不重复）"
        values = [{"value": v, "label": labels.get(_key(v), "")} for v in prop["items"]["enum"]]
    else:
        types, nullable = _types(prop)
        kind = "、".join(TYPE_ZH.get(t, t) for t in types)
        lo, hi = prop.get("minimum"), prop.get("maximum")
        if lo is not None and hi is not None:
            rules.append(f"{_num(lo)}–{_num(hi)}")
        elif lo is not None:
            rules.append(f"≥ {_num(lo)}")
        elif hi is not None:
            rules.append(f"≤ {_num(hi)}")
        if prop.get("multipleOf") is not None:
            rules.append(f"{_num(prop['multipleOf'])} 的整数倍")
    if nullable:
        rules.append(f"可为 null（{prop['x-null-label']}）" if prop.get("x-null-label") else "可为 null（留空）")
    default = prop.get("default")
    return {
        "name": name,
        "anchor": "field-" + name.replace("_", "-"),
        "label": prop.get("title") or "",
        "type": kind,
        "unit": prop.get("x-unit") or "",
        "values": values,
        "rules": rules,
        "default": None if default is None else {"value": default, "label": labels.get(str(default), "")},
        "required": required,
        "help": prop.get("description") or "",
    }


def case_format_model(schema: dict, result_schema: dict | None) -> dict:
    props = schema["properties"]
    top_required = set(schema.get("required") or [])
    activity = props["activities"]["items"]
    act_required = set(activity.get("required") or [])
    common = ["kind", "year", "title"]
    profile = props["profile"]
    kinds = []
    for name, spec in (schema.get("x-kinds") or {}).items():
        kinds.append({
            "name": name,
            "anchor": "kind-" + name.replace("_", "-"),
            "label": spec.get("label") or name,
            "help": spec.get("help") or "",
            "fields": [field_row(f, spec["properties"][f], f in act_required) for f in spec.get("fields") or []],
        })
    return {
        "title": schema.get("title") or "",
        "case_schema_file": CASE_SCHEMA_FILE,
        "top": [
            {"name": "region", "label": props["region"].get("title", ""), "type": "选项（取其一）",
             "required": "region" in top_required, "help": "见下方“地区”。", "anchor": "region"},
            {"name": "profile", "label": profile.get("title", ""), "type": "对象",
             "required": "profile" in top_required, "help": profile.get("description") or "", "anchor": "profile"},
            {"name": "activities", "label": props["activities"].get("title", ""), "type": "列表（每项一个活动）",
             "required": "activities" in top_required, "help": "每项一个活动，见下方各活动类型。",
             "anchor": "activity"},
        ],
        "region": field_row("region", props["region"], "region" in top_required),
        "profile": [field_row(n, p, n in set(profile.get("required") or []))
                    for n, p in profile["properties"].items()],
        "common": [_kind_field(field_row(n, activity["properties"][n], n in act_required)) if n == "kind"
                   else field_row(n, activity["properties"][n], n in act_required) for n in common],
        "kinds": kinds,
        "result": result_model(result_schema),
    }


def _kind_field(row: dict) -> dict:
    """`kind`: its values are the kinds, each with a section of its own below."""
    return {**row, "values": [], "rules": ["见下方“活动类型”"]}


# --- the result schema (a marked spot) ---------------------------------------------------
# `ruleset.schema.result_schema()` (the JSON Schema of the result document) is added
# by the lead later. Once it exists, the generator publishes it beside the case schema
# (RESULT_SCHEMA_FILE) and the page lists its top-level fields; until then the page
# has no result section and no file is written.


def find_result_schema() -> Callable[[], dict] | None:
    from ruleset import schema as schema_module

    fn = getattr(schema_module, "result_schema", None)
    return fn if callable(fn) else None


def result_model(result_schema: dict | None) -> dict | None:
    if result_schema is None:
        return None
    required = set(result_schema.get("required") or [])
    fields = []
    for name, prop in (result_schema.get("properties") or {}).items():
        types, nullable = _types(prop)
        fields.append({"name": name, "label": prop.get("title") or "",
                       "type": "、".join(TYPE_ZH.get(t, t) for t in types) or "—",
                       "required": name in required, "help": prop.get("description") or ""})
    return {"file": RESULT_SCHEMA_FILE, "title": result_schema.get("title") or "",
            "description": result_schema.get("description") or "", "fields": fields}
