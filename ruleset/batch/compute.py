"""One person's rows -> a case -> the engine's result document, its problems located in the sheet.

Pure: no files, no processes. `Checker` remembers each distinct activity it has turned into a case
activity (a batch repeats them), and the engine's own cache remembers conversions.
"""
from __future__ import annotations

from .. import cache
from ..engine import check, check_rows
from .cells import parse, text_of
from .columns import Layout
from .people import PersonRows, Problem

BATCH_MEMO_SIZE = 1 << 17  # the engine's memo for a batch: its keys hold the whole profile, and people differ


class PersonResult:
    """One person's outcome: their result document (None when not computed) and its problems, located."""

    __slots__ = ("person", "first", "rows", "problems", "blocked", "engine_rows", "used", "_document")

    def __init__(self, person: str, first: int, rows: list[int], result: dict | None,
                 problems: list[Problem] | None = None, blocked: bool = False, engine_rows: list | None = None,
                 used=None):
        self.person = person
        self.first = first                  # location of the person's first row
        self.rows = rows                    # location of each activity row (index i of result["activities"])
        self.problems = problems if problems is not None else []
        self.blocked = blocked              # not computed: its rows give two regions or two values of a profile field
        self.engine_rows = engine_rows      # the engine's rows (ruleset.engine.check_rows), when it gave them
        self.used = used                    # the bundle they were computed under
        self._document = result

    @property
    def result(self) -> dict | None:
        """The engine's result document (None when not computed); its activities are made on first use."""
        doc = self._document
        if doc is not None and doc["activities"] is None:
            doc["activities"] = [row.as_dict(self.used) for row in self.engine_rows]
        return doc

    @property
    def summary(self) -> dict | None:
        """The result document as it stands, its "activities" possibly None (not yet made): for reading
        anything else without making them."""
        return self._document

    @property
    def computed(self) -> bool:
        return self._document is not None

    def __eq__(self, other) -> bool:
        return isinstance(other, PersonResult) and all(
            getattr(self, k) == getattr(other, k) for k in ("person", "first", "rows", "result", "problems", "blocked"))

    def __repr__(self) -> str:
        return f"PersonResult({self.person!r}, computed={self.computed})"


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
        """A case activity from its filled cells (column, value, …); the same sealed dict for equal cells."""
        found = self._activities.get(cells)
        if found is None:
            if len(self._activities) > 200_000:
                self._activities.clear()
            found = self._activities[cells] = cache.seal(self._activity(cells))
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
        if self.sections["alternatives"]:
            result, rows, used = check(self.case(p), self.bundle, **self.sections), None, None
        else:
            result, rows, used = check_rows(self.case(p), self.bundle, plan=self.sections["plan"])
        problems = list(p.problems) + [self._locate(p, e) for e in result["errors"]]
        if result["region"] is None:
            return PersonResult(p.person, p.first, list(p.rows), None, problems)
        return PersonResult(p.person, p.first, list(p.rows), result, problems, engine_rows=rows, used=used)

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
