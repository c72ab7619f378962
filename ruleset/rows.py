"""Result rows: one activity's converted outcome (shareable between calls) and its row in one case.

A `Converted` depends only on the activity and its case's context, never on the
activity's position or on the other activities, so the same one may serve many
calls (ruleset/cache.py); once built it never changes. Caps work on the per-case
`Row`, which has its own list of the (immutable) credits.
"""
from __future__ import annotations

import json

from .methods import Credit
from .numbers import to_json

SUBJECTS = ("public", "professional")


class Converted:
    """What validation and conversion made of one activity: rule, credits, explanation, problems."""

    __slots__ = ("activity", "rule", "notes", "credits", "before", "deemed", "explanation", "warnings", "valid",
                 "problems", "input_problem", "_canonical", "_row")

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
        self._row = None  # the row of the result document before any cap, without its index

    def row(self, bundle) -> dict:
        """The row of the result document when no cap cut it, less `index` (made once; do not change it)."""
        if self._row is None:
            self._row = self._as_dict(bundle)
        return self._row

    def _as_dict(self, bundle) -> dict:
        act, rule = self.activity, self.rule
        out = {
            "kind": act.get("kind"),
            "year": act.get("year"),
            "public": to_json(self.before["public"]),
            "professional": to_json(self.before["professional"]),
            "rule": rule.id if rule else None,
            "source": rule["source"] if rule else None,
            "explanation": self.explanation,
            "warnings": list(self.warnings),
        }
        if act.get("title"):
            out["title"] = act["title"]
        if act.get("kind"):
            out["kind_label"] = bundle.kinds[act["kind"]]["label"]
        out["valid"] = self.valid
        out["before_caps"] = {s: to_json(self.before[s]) for s in SUBJECTS}
        out["caps"] = []
        by_year = _by_year(self.credits, act.get("year"))
        if by_year is not None:
            out["by_year"] = by_year
        out["deemed_complete"] = [{"years": list(d.years), "subjects": list(d.subjects), "explanation": d.scope}
                                  for d in self.deemed]
        if rule:
            out.update(cite=rule["cite"], clause=rule["text"], evidence=rule.get("evidence"),
                       notes=list(self.notes), checked=rule["checked"])
            if rule.get("readings"):
                out["readings"] = list(rule["readings"])
        return out

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
        """The row of the result document: what the activity earned, the caps that cut it, the rule's own words.

        Its lists and dicts are its own (copies of the conversion's row, which many results share)."""
        row = self.converted.row(bundle)
        out = {"index": self.index, **row}
        out["warnings"] = list(row["warnings"])
        out["before_caps"] = dict(row["before_caps"])
        out["deemed_complete"] = [{**d, "years": list(d["years"]), "subjects": list(d["subjects"])}
                                  for d in row["deemed_complete"]]
        if "notes" in row:
            out["notes"] = list(row["notes"])
        if "readings" in row:
            out["readings"] = list(row["readings"])
        if self.caps:
            after = {"public": 0, "professional": 0}
            for c in self.credits:
                after[c.subject] += c.amount
            out["public"], out["professional"] = to_json(after["public"]), to_json(after["professional"])
            out["caps"] = [{**c, "limit": to_json(c["limit"]), "cut": to_json(c["cut"])} for c in self.caps]
            if "by_year" in out:
                out["by_year"] = _by_year(self.credits, self.activity.get("year"))
        else:
            out["caps"] = []
            if "by_year" in out:
                out["by_year"] = {year: dict(sums) for year, sums in row["by_year"].items()}
        return out


def _by_year(credits, year) -> dict | None:
    """{year: {subject: amount}} when the credits fall in another year than the activity's or in several."""
    years = sorted({c.year for c in credits})
    if not (len(years) > 1 or (years and years[0] != year)):
        return None
    sums: dict = {}
    for c in credits:
        key = c.year, c.subject
        sums[key] = sums.get(key, 0) + c.amount
    return {str(y): {s: to_json(sums.get((y, s), 0)) for s in SUBJECTS} for y in years}


class Settled:
    """Rows whose credits are final (no cap of the activities evaluated with them can cut them), as one
    row for years.summarise_years: their credits summed by year and subject (exact sums do not depend
    on how they are grouped), of `year` only when given, and their deemed-complete years."""

    __slots__ = ("valid", "activity", "credits", "deemed")

    def __init__(self, rows: list, year: int | None = None):
        sums: dict = {}
        deemed: list = []
        for row in rows:
            for c in row.credits:
                if year is None or c.year == year:
                    key = c.year, c.subject
                    sums[key] = sums.get(key, 0) + c.amount
            deemed.extend(row.deemed)
        self.valid, self.activity = False, {}  # its rows' own years are the caller's to give
        self.credits = [Credit(y, subject, amount) for (y, subject), amount in sums.items()]
        self.deemed = tuple(deemed)
