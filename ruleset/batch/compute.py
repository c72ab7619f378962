"""One person's rows -> a case -> the engine's result document, its problems located in the sheet.

Pure: no files, no processes. `Checker` remembers each distinct activity it has turned into a case
activity (a batch repeats them), and the engine's own cache remembers conversions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import cache
from ..engine import check
from .cells import parse, text_of
from .columns import Layout
from .people import PersonRows, Problem

BATCH_MEMO_SIZE = 1 << 17  # the engine's memo for a batch: its keys hold the whole profile, and people differ


@dataclass
class PersonResult:
    person: str
    first: int                      # location of the person's first row
    rows: list[int]                 # location of each activity row (index i of result["activities"])
    result: dict | None             # the engine's result document; None when not computed
    problems: list[Problem] = field(default_factory=list)
    blocked: bool = False           # not computed: its rows give two regions or two values of a profile field

    @property
    def computed(self) -> bool:
        return self.result is not None


class Checker:
    """Turns PersonRows into cases and checks them with ruleset.check.

    The batch's tables show neither the plan (补足建议) nor the alternative readings' numbers, and
    these two sections cost the engine more than the rest of the result: by default they are left
    out (ruleset.check's plan=False, alternatives=False; every other part of the result, numbers
    included, is what `check` gives). plan=True / alternatives=True put them in, e.g. for a page
    that shows one person's result in full.
    """

    def __init__(self, layout: Layout, grow_cache: bool = True, plan: bool = False, alternatives: bool = False):
        self.layout = layout
        self.bundle = layout.bundle
        self.sections = {"plan": plan, "alternatives": alternatives}
        self._activities: dict[tuple, dict] = {}
        self._fields: dict[tuple, dict | None] = {}
        self._case_values: dict[tuple, object] = {}
        if grow_cache and cache.CACHE.size < BATCH_MEMO_SIZE:
            cache.CACHE.size = BATCH_MEMO_SIZE

    def case(self, p: PersonRows) -> dict:
        """The case (shared/spec/case-format.md) the person's rows describe, with `person`."""
        columns = self.layout.columns
        case: dict = {"person": p.person}
        profile: dict = {}
        memo = self._case_values
        for col, (value, _) in p.case.items():
            column = columns[col]
            try:
                parsed = memo[col, value]
            except KeyError:
                if len(memo) > 100_000:
                    memo.clear()
                parsed = memo[col, value] = parse(value, column.spec)
            except TypeError:  # an unhashable cell value
                parsed = parse(value, column.spec)
            if column.key == "region":
                case["region"] = parsed
            elif parsed is not None:
                profile[column.name] = parsed
        if profile:
            case["profile"] = profile
        case["activities"] = [self.activity(a) for a in p.acts]
        return case

    def activity(self, cells: tuple) -> dict:
        """A case activity from its filled cells (column, value, …); the same dict for equal cells."""
        found = self._activities.get(cells)
        if found is None:
            if len(self._activities) > 200_000:
                self._activities.clear()
            found = self._activities[cells] = self._activity(cells)
        return found

    def _activity(self, cells: tuple) -> dict:
        columns, index = self.layout.columns, self.layout.index
        values = dict(zip(cells[::2], cells[1::2]))
        kind_col = index["kind"]
        kind = None
        out: dict = {}
        if kind_col in values:
            kind = out["kind"] = parse(values.pop(kind_col), columns[kind_col].spec)
        known = self.bundle.kind_fields.get(kind) if isinstance(kind, str) else None
        for col, value in values.items():
            name = columns[col].name
            spec = self._spec(kind, name) if known is not None else columns[col].spec
            # a field the kind does not have goes in as it stands: the engine warns that it is ignored
            out[name] = text_of(value) if spec is None else parse(value, spec)
        return out

    def _spec(self, kind: str, name: str) -> dict | None:
        """The kind's definition of a field, its enum labels merged with the base field's; None if the kind has none."""
        key = (kind, name)
        if key not in self._fields:
            spec = self.bundle.kind_fields[kind].get(name) if name not in ("year", "title") else \
                self.bundle.fields[name]
            if spec is not None and spec["type"] == "enum":
                base = self.bundle.fields.get(name, {}).get("enum_labels")
                if base and base != spec.get("enum_labels"):
                    spec = {**spec, "base_labels": base}  # the kind's own labels first, then the general ones
            self._fields[key] = spec
        return self._fields[key]

    def check(self, p: PersonRows) -> PersonResult:
        """The person's result; a person with conflicting region or profile cells is not computed."""
        if p.blocked:
            return PersonResult(p.person, p.first, list(p.rows), None, list(p.problems), blocked=True)
        result = check(self.case(p), self.bundle, **self.sections)
        problems = list(p.problems) + [self._locate(p, e) for e in result["errors"]]
        if result["region"] is None:
            return PersonResult(p.person, p.first, list(p.rows), None, problems)
        return PersonResult(p.person, p.first, list(p.rows), result, problems)

    def _locate(self, p: PersonRows, error: dict) -> Problem:
        """An engine error {index, field, message} at its row and column of the sheet."""
        layout = self.layout
        field_name = error["field"] or ""
        col = layout.index.get(field_name)
        if error["index"] is not None:
            loc = p.rows[error["index"]]
        elif col is not None and col in p.case:
            loc = p.case[col][1]
        else:
            loc = p.first
        header = layout.headers[col] if col is not None else ""
        return Problem(loc, header, p.person, error["message"])
