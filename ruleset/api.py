"""JSON-string entry points for the browser (Pyodide worker). They never raise."""
from __future__ import annotations

import json

from .engine import check_text
from .loader import bundle as load_bundle
from .schema import case_schema


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def check_json(case_text: str) -> str:
    """Result document for a case given as JSON text; bad input yields `errors`, not an exception."""
    try:
        case = json.loads(case_text)
    except (ValueError, TypeError) as exc:
        return _dumps({"region": None, "activities": [], "years": {},
                       "errors": [{"index": None, "field": "", "message": f"无法解析 JSON：{exc}"}]})
    try:
        return check_text(case)
    except Exception as exc:  # a bug, not bad input: still answer with a message
        return _dumps({"region": None, "activities": [], "years": {},
                       "errors": [{"index": None, "field": "", "message": f"内部错误：{type(exc).__name__}: {exc}"}]})


def schema_json() -> str:
    return _dumps(case_schema())


def metadata() -> dict:
    """Regions, the years their policies cover, and the kinds each recognises per year."""
    b = load_bundle()
    regions = {}
    for rid, region in b.regions.items():
        covered = b.covered_years(rid)
        span = range(2015, 2031)
        kinds_by_year = {}
        for y in span:
            kinds_by_year[str(y)] = sorted(k for k in b.kinds if b.in_force(rid, k, y))
        regions[rid] = {"name": region["name"], "years": covered, "policies": region["policies"],
                        "kinds": kinds_by_year}
    return {"regions": regions,
            "kinds": {k: {"label": v["label"], "help": v.get("help")} for k, v in b.kinds.items()},
            "policies": b.policies}


def metadata_json() -> str:
    return _dumps(metadata())
