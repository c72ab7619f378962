"""Conversion methods: one module a method, registered by name.

A method turns one activity into credits (year, subject, exact amount) and
deemed-complete years, with a Chinese explanation. Rule data names the method
and gives its `params`; the method never holds a number of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, NamedTuple

from ..numbers import exact, show, whole


class InputProblem(Exception):
    """The activity lacks a field the rule needs, or a value the rule cannot use."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class Credit(NamedTuple):
    """Immutable: a converted activity may be shared between calls, so caps replace a credit, never change it."""

    year: int
    subject: str  # public | professional
    amount: Fraction | int


@dataclass(frozen=True)
class Deemed:
    years: list[int]
    subjects: list[str]
    scope: str  # zh: what was deemed complete, e.g. "当年专业科目全部学时"


@dataclass
class Outcome:
    credits: list[Credit] = field(default_factory=list)
    deemed: list[Deemed] = field(default_factory=list)
    explanation: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class Context:
    """One activity under its rule, within its case (context.CaseContext)."""

    activity: dict
    rule: object  # loader.Rule
    case: object  # context.CaseContext

    @property
    def profile(self) -> dict:
        return self.case.profile

    @property
    def bundle(self):
        return self.case.bundle

    @property
    def params(self) -> dict:
        return self.rule.params

    @property
    def year(self) -> int:
        return self.activity["year"]

    def need(self, name: str):
        value = self.activity.get(name)
        if value is None:
            spec = self.field_spec(name)
            raise InputProblem(name, f"此类活动需要填写“{spec.get('label', name)}”")
        return value

    def field_spec(self, name: str) -> dict:
        return self.bundle.kind_fields[self.activity["kind"]].get(name) or self.bundle.fields.get(name, {})

    def label(self, name: str, value) -> str:
        labels = self.field_spec(name).get("enum_labels") or {}
        return str(labels.get(str(value), value))

    def subject(self) -> str:
        subject = self.rule.get("subject", "professional")
        if subject == "choice":
            return self.activity.get("subject") or "professional"
        return subject

    def years_in_force(self, years: list[int]) -> tuple[list[int], str]:
        """(the years within the rule's years in force, zh note on the others or "").

        A rule credits no year before it took effect or after it ended, however far back
        (or forward) the activity reaches: every method spreading credits or deemed years
        over several years keeps only these.
        """
        kept = [y for y in years if self.rule.in_force(y)]
        dropped = [y for y in years if not self.rule.in_force(y)]
        if not dropped:
            return kept, ""
        return kept, f"{year_span(dropped)}不在本条规定的施行年度（{self.rule.years_label}）内，不计"

    def credit(self, amount, year: int | None = None, subject: str | None = None) -> Credit:
        return Credit(self.year if year is None else year, subject or self.subject(), whole(exact(amount)))


METHODS: dict[str, Callable[[Context], Outcome]] = {}


def method(name: str):
    def register(fn):
        METHODS[name] = fn
        return fn
    return register


def year_span(years: list[int]) -> str:
    """"2018 年", "2018、2019 年" or "2016—2019 年" (consecutive runs joined by a dash)."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [str(r[0]) if len(r) == 1 else (f"{r[0]}、{r[1]}" if len(r) == 2 else f"{r[0]}—{r[-1]}") for r in runs]
    return "、".join(parts) + " 年"


def hours(value) -> str:
    return f"{show(value)} 学时"


SUBJECT_ZH = {"public": "公需科目", "professional": "专业科目"}


def pick(table: dict, key, what: str):
    """Look a value up in a params table whose keys may be str in JSON."""
    if key in table:
        return table[key]
    if str(key) in table:
        return table[str(key)]
    return None


def rank_group(groups: dict, rank: int):
    """Read rank groups such as {"1-3": 60, "4-6": 50, "7+": 40} (or "1": 30)."""
    for spec, value in groups.items():
        spec = str(spec)
        if spec.endswith("+"):
            if rank >= int(spec[:-1]):
                return spec, value
        elif "-" in spec:
            lo, hi = spec.split("-")
            if int(lo) <= rank <= int(hi):
                return spec, value
        elif rank == int(spec):
            return spec, value
    return None, None


def _discover() -> None:
    """Import every module of this package: each registers its methods."""
    import importlib
    import pkgutil

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{info.name}")


_discover()
