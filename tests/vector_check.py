"""Test vectors: data files giving a case, the expected result fields, and the clause exercised."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

VECTORS = Path(__file__).resolve().parent / "vectors"
POLICIES = Path(__file__).resolve().parent.parent / "docs" / "policies"

_MARKUP = [
    re.compile(r"\{:?\s*[#.][^}]*\}"),           # attr_list: {: #s1-p1 } and heading {#s1}
    re.compile(r"<[^>]+>"),                         # HTML tags (tables, anchors)
    re.compile(r"^\s*(#{1,6}|!!!.*$|[-*+]\s|\d+\.\s)", re.M),  # headings, admonition heads, list marks
    re.compile(r"[*`|]"),                           # emphasis, code, table pipes
    re.compile(r"\s+"),                            # all whitespace (OCR spaces, line breaks)
]


def normalised(text: str) -> str:
    """Text with Markdown/HTML markup and every whitespace removed, for verbatim comparison."""
    for pattern in _MARKUP:
        text = pattern.sub("", text)
    return text


@lru_cache(maxsize=None)
def policy_text(policy: str) -> str:
    """The normalised text of docs/policies/<policy>.md ("" when there is no such page)."""
    path = POLICIES / f"{policy}.md"
    return normalised(path.read_text(encoding="utf-8")) if path.is_file() else ""


def clauses_of(vec: dict) -> list[str]:
    return [vec["clause"]] if vec.get("clause") else list(vec.get("clauses") or [])


def quote_problems(vec: dict) -> list[str]:
    """Each `quote` (a string or a list) must appear verbatim in a policy page the vector cites."""
    quotes = vec.get("quote")
    if quotes is None:
        return []
    quotes = [quotes] if isinstance(quotes, str) else list(quotes)
    policies = sorted({c.split("#", 1)[0] for c in clauses_of(vec)})
    problems = []
    for q in quotes:
        want = normalised(str(q))
        if not want:
            problems.append(f"quote {q!r} is empty")
        elif not any(want in policy_text(p) for p in policies):
            problems.append(f"quote {q!r} is not in the cited page(s) {policies}")
    return problems


def load_vectors() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(VECTORS.rglob("*.yaml")):
        docs = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, vec in enumerate(docs if isinstance(docs, list) else [docs]):
            out.append((f"{path.relative_to(VECTORS)}#{i}:{vec.get('name', '')}", vec))
    return out


def subset_mismatches(expected, actual, where="") -> list[str]:
    """Every key in `expected` must be in `actual` with an equal value (dicts compared recursively)."""
    problems = []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        for key, want in expected.items():
            if isinstance(actual, dict) and str(key) in actual:
                problems += subset_mismatches(want, actual[str(key)], f"{where}.{key}")
            else:
                problems.append(f"{where}.{key}: missing (have {sorted(actual)})")
        return problems
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual) and any(
            isinstance(e, dict) for e in expected):
        for i, (e, a) in enumerate(zip(expected, actual)):
            problems += subset_mismatches(e, a, f"{where}[{i}]")
        return problems
    if expected != actual:
        problems.append(f"{where}: expected {expected!r}, got {actual!r}")
    return problems


def check_vector(vec: dict, result: dict) -> list[str]:
    exp = vec["expect"]
    problems = []
    for key, want in exp.items():
        if key == "activities":
            for idx, row in want.items():
                problems += subset_mismatches(row, result["activities"][int(idx)], f"activities[{idx}]")
        elif key == "errors":
            if want == []:
                if result["errors"]:
                    problems.append(f"errors: expected none, got {result['errors']}")
            else:
                for e in want:
                    if not any(all(got.get(k) == v for k, v in e.items()) for got in result["errors"]):
                        problems.append(f"errors: no error matching {e} in {result['errors']}")
        else:
            problems += subset_mismatches(want, result.get(key), key)
    return problems
