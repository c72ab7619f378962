"""Result rows: one activity's converted outcome (shared across calls) and its row in one case.

A `Converted` depends only on the activity, the region, the profile and the
bundle, never on the activity's position or on the other activities, so the
memo can hand the same one to many calls. What it says never changes once it is
built (it only keeps its JSON text): caps work on the per-case `Row`, which has
its own list of the (immutable) credits.
"""
from __future__ import annotations

import json

from .jsontext import dumps
from .numbers import to_json

SUBJECTS = ("public", "professional")


class Converted:
    """What validation and conversion made of one activity: rule, credits, explanation, problems."""

    __slots__ = ("activity", "rule", "credits", "before", "deemed", "explanation", "warnings", "valid",
                 "problems", "input_problem", "_canonical", "_texts")

    def __init__(self, activity: dict, warnings: list, problems: list):
        self.activity = activity
        self.rule = None
        self.credits: tuple = ()
        self.before = {"public": 0, "professional": 0}
        self.deemed: tuple = ()
        self.explanation = ""
        self.warnings = warnings
        self.valid = True
        self.problems = tuple(problems)  # (field, message) of validation, in order
        self.input_problem = None  # (field, message) when the method lacked an input
        self._canonical = None
        self._texts: dict = {}

    @property
    def canonical(self) -> str:
        """The activity's content, for order-free tie-breaking."""
        if self._canonical is None:
            self._canonical = json.dumps({k: str(v) for k, v in self.activity.items() if k != "title"},
                                         sort_keys=True, ensure_ascii=False)
        return self._canonical

    def text(self, index: int, credits: list, caps: list, bundle) -> str:
        """The row as JSON text, kept for each set of cap cuts (and the last index it stood at)."""
        key = tuple(tuple(c.values()) for c in caps) if caps else ()
        found = self._texts.get(key)
        if found is not None and found[0] == index:
            return found[1]
        if found is None:
            fields = dumps(row_fields(self, credits, caps, bundle))[1:-1]
            text = f"{_head(index)}{fields}{static_text(self.rule, bundle)}}}"
        else:
            text = _head(index) + found[1][len(_head(found[0])):]
        if len(self._texts) >= 16:
            self._texts.clear()
        self._texts[key] = (index, text)
        return text


class Row:
    """One activity in one case: its position, its own copy of the credits, and the cuts caps made."""

    __slots__ = ("index", "converted", "activity", "rule", "credits", "deemed", "valid", "caps")

    def __init__(self, index: int, converted: Converted):
        self.index = index
        self.converted = converted
        self.activity = converted.activity
        self.rule = converted.rule
        self.credits = list(converted.credits)
        self.deemed = converted.deemed
        self.valid = converted.valid
        self.caps: list = []

    @property
    def canonical(self) -> str:
        return self.converted.canonical

    def as_dict(self, bundle) -> dict:
        out = {"index": self.index, **row_fields(self.converted, self.credits, self.caps, bundle)}
        out["warnings"] = list(out["warnings"])
        for d in out["deemed_complete"]:
            d["years"], d["subjects"] = list(d["years"]), list(d["subjects"])
        if self.rule:
            out.update(static_fields(self.rule))
        return out

    def as_text(self, bundle) -> str:
        return self.converted.text(self.index, self.credits, self.caps, bundle)


def _head(index: int) -> str:
    return f'{{"index": {index}, '


def row_fields(converted: Converted, credits: list, caps: list, bundle) -> dict:
    """A result row without its index and without the rule's own words (cite, clause, evidence, notes)."""
    act = converted.activity
    rule = converted.rule
    if caps:
        after = {"public": 0, "professional": 0}
        for c in credits:
            after[c.subject] += c.amount
    else:
        after = converted.before
    out = {
        "kind": act.get("kind"),
        "year": act.get("year"),
        "public": to_json(after["public"]),
        "professional": to_json(after["professional"]),
        "rule": rule.id if rule else None,
        "source": rule["source"] if rule else None,
        "explanation": converted.explanation,
        "warnings": converted.warnings,
    }
    if act.get("title"):
        out["title"] = act["title"]
    if act.get("kind"):
        out["kind_label"] = bundle.kinds[act["kind"]]["label"]
    out["valid"] = converted.valid
    out["before_caps"] = {s: to_json(converted.before[s]) for s in SUBJECTS}
    out["caps"] = [{**c, "limit": to_json(c["limit"]), "cut": to_json(c["cut"])} for c in caps]
    years = sorted({c.year for c in credits})
    if len(years) > 1 or (years and years[0] != act.get("year")):
        out["by_year"] = {
            str(y): {s: to_json(sum((c.amount for c in credits if c.year == y and c.subject == s), 0))
                     for s in SUBJECTS}
            for y in years
        }
    out["deemed_complete"] = [{"years": d.years, "subjects": d.subjects, "explanation": d.scope}
                              for d in converted.deemed]
    return out


def static_fields(rule) -> dict:
    """The rule's own words, as every row converted by it shows them."""
    return {"cite": rule["cite"], "clause": rule["text"], "evidence": rule.get("evidence"),
            "notes": list(rule.get("notes") or [])}


def static_text(rule, bundle) -> str:
    """static_fields as the JSON text that follows a row's other fields ("" without a rule)."""
    if not rule:
        return ""
    # several dated versions of a rule share its id: key by the rule's own data
    return bundle.derived(("row_static_text", id(rule.data)), lambda: ", " + dumps(static_fields(rule))[1:-1])
