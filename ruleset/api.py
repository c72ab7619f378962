"""JSON-string entry points for the browser (Pyodide worker). They never raise."""
from __future__ import annotations

import gc
import json
from contextlib import contextmanager

from .engine import check_text
from .loader import bundle as load_bundle
from .reader import error_document, read_case
from .schema import case_schema


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


@contextmanager
def gc_paused():
    """The cyclic garbage collector off for a computation (then back as it was).

    The engine makes few reference cycles but very many objects; with the collector on, its
    passes over all of them make a case of n activities cost more than n times one activity.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def internal_error(exc: BaseException) -> dict:
    """The result document for a failure of the engine itself (a bug, not bad input)."""
    message = f"内部错误：{type(exc).__name__}: {str(exc)[:200]}"
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")  # encodable whatever it holds
    return error_document([{"index": None, "field": "", "message": message}])


def check_json(case_text: str) -> str:
    """Result document for a case given as JSON text; bad input yields `errors`, not an exception.

    The text passes the limits of ruleset.reader first (size, nesting, …)."""
    with gc_paused():
        try:
            case, errors = read_case(case_text, "json")
            if errors:
                return _dumps(error_document(errors))
            return check_text(case)
        except Exception as exc:  # a bug, not bad input: still answer with a message
            return _dumps(internal_error(exc))


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
            "policies": b.policies,
            "bundle": bundle_version(b.data)}


def bundle_version(data: dict) -> dict:
    """The rule bundle's identity: `version` ("<format>.<first 16 hex of the sources' sha256>",
    what a share link carries) and the full `source_digest` (as `python -m ruleset --version`)."""
    digest = str(data.get("source_digest") or "")
    return {"version": f"{data.get('version')}.{digest[:16]}", "source_digest": digest}


def metadata_json() -> str:
    return _dumps(metadata())
