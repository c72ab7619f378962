"""Result rows: one activity's converted outcome (shareable between calls) and its row in one case.

A `Converted` depends only on the activity and its case's context, never on the
activity's position or on the other activities, so the same one may serve many
calls (ruleset/cache.py); once built it never changes. Caps work on the per-case
`Row`, which has its own list of the (immutable) credits.
"""
from __future__ import annotations

import json

from .numbers import to_json

SUBJECTS = ("public", "professional")


class Converted:
    """What validation and conversion made of one activity: rule, credits, explanation, problems."""

    __slots__ = ("activity", "rule", "notes", "credits", "before", "deemed", "explanation", "warnings", "valid",
                 "problems", "input_problem", "_canonical")

    def __init__(self, activity: dict, warnings: list, problems: list):
        self.activity = activity
        self.rule = None
        self.notes: list = []  # the rule's notes that concern this activity and case (Bundle.notes_for)
        self.credits: tuple = ()
        self.before = {"public": 0, "professional": 0}
        self.deemed: tuple = ()
        self.explanation = ""
        self.warnings = warnings
        self.valid = True
        self.problems = tuple(problems)  # (field, message) of validation, in order
        self.input_problem = None  # (field, message) when the method lacked an input
        self._canonical = None

    @property
    def canonical(self) -> str:
        """The activity's content, for order-free tie-breaking."""
        if self._canonical is None:
            self._canonical = json.dumps({k: str(v) for k, v in self.activity.items() if k != "title"},
                                         sort_keys=True, ensure_ascii=False)
        return self._canonical


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
        """The row of the result document: what the activity earned, the caps that cut it, the rule's own words."""
        converted, act, rule = self.converted, self.activity, self.rule
        if self.caps:
            after = {"public": 0, "professional": 0}
            for c in self.credits:
                after[c.subject] += c.amount
        else:
            after = converted.before
        out = {
            "index": self.index,
            "kind": act.get("kind"),
            "year": act.get("year"),
            "public": to_json(after["public"]),
            "professional": to_json(after["professional"]),
            "rule": rule.id if rule else None,
            "source": rule["source"] if rule else None,
            "explanation": converted.explanation,
            "warnings": list(converted.warnings),
        }
        if act.get("title"):
            out["title"] = act["title"]
        if act.get("kind"):
            out["kind_label"] = bundle.kinds[act["kind"]]["label"]
        out["valid"] = converted.valid
        out["before_caps"] = {s: to_json(converted.before[s]) for s in SUBJECTS}
        out["caps"] = [{**c, "limit": to_json(c["limit"]), "cut": to_json(c["cut"])} for c in self.caps]
        years = sorted({c.year for c in self.credits})
        if len(years) > 1 or (years and years[0] != act.get("year")):
            out["by_year"] = {
                str(y): {s: to_json(sum((c.amount for c in self.credits if c.year == y and c.subject == s), 0))
                         for s in SUBJECTS}
                for y in years
            }
        out["deemed_complete"] = [{"years": list(d.years), "subjects": list(d.subjects), "explanation": d.scope}
                                  for d in converted.deemed]
        if rule:
            out.update(cite=rule["cite"], clause=rule["text"], evidence=rule.get("evidence"),
                       notes=list(converted.notes), checked=rule["checked"])
            if rule.get("readings"):
                out["readings"] = list(rule["readings"])
        return out
