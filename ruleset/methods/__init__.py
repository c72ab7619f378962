"""Conversion methods: one module a method, registered by name with its declaration.

A method turns one activity into credits (year, subject, exact amount) and
deemed-complete years, with a Chinese explanation. Rule data names the method
and gives its `params`; the method never holds a number of its own.

Adding a method is writing one module here:

    @method("per_day", label="按天数",
            params=[Param("rate", "number", "每天折算学时"),
                    Param("max_per_day", "number", "每天最多学时", required=False)],
            describe=["按天数折算，每天 {rate} {unit}", "；每天最多按 {max_per_day} {unit}计"])
    def per_day(ctx: Context) -> Outcome: ...

The declaration (ruleset/params.py: parameters with type, default and meaning; the
rule subjects it allows; a label and a description template) is all the compiler
checks rules against and all the reference pages describe the method from.
Chinese words of the case (subjects, units, field labels) come from the bundle
(case.yaml) through the Context, never from here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, NamedTuple

from ..numbers import exact, show, whole
from ..params import RANK_GROUP, UNIT, KeySet, Param, Spec  # noqa: F401  (for the method modules)


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

    def param(self, name: str):
        """A parameter of the rule, or its declared default (SPECS) when the rule gives none."""
        params = self.rule.params
        if name in params:
            return params[name]
        return SPECS[self.rule["method"]].default(name)

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

    def subject_label(self, subject: str) -> str:
        """公需科目 / 专业科目: the label case.yaml gives the subject."""
        return self.bundle.fields["subject"]["enum_labels"][subject]

    def unit_label(self, unit: str | None = None) -> str:
        """学时 or 学分: case.yaml's label of `unit`, by default the unit the rule's amounts are in."""
        return self.bundle.case["units"][unit or self.param("unit") or SPECS[self.rule["method"]].unit]["label"]

    def hours(self, value) -> str:
        """"15 学时" (always hours; as_credits rewrites them as credits)."""
        return f"{show(value)} {self.unit_label('hour')}"

    def amount(self, value) -> str:
        """"15 学时" or "15 学分": an amount in the unit of the rule's amounts."""
        return f"{show(value)} {self.unit_label()}"

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
SPECS: dict[str, Spec] = {}

# The rule subjects a method crediting the rule's own subject allows (a method that credits the
# subjects its params name declares `subjects=("both", …)` instead).
CREDITS_RULE_SUBJECT = ("public", "professional", "choice")


def method(name: str, *, label: str, params=(), describe=(), one_of=(), subjects=CREDITS_RULE_SUBJECT,
           unit: str = "hour"):
    """Register a method under `name` with its declaration (ruleset/params.py Spec)."""
    spec = Spec(name, tuple(params), tuple(describe), label, tuple(tuple(g) for g in one_of), tuple(subjects), unit)

    def register(fn):
        METHODS[name] = fn
        SPECS[name] = spec
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


def pick(table: dict, key, what: str = ""):
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
