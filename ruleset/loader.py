"""Read the compiled rule bundle and answer "which rule is in force?" (stdlib only)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pkgutil import get_data

from .readings import apply_readings


@dataclass(frozen=True)
class Rule:
    data: dict = field(repr=False, compare=False, hash=False)
    id: str = ""

    def __post_init__(self):
        object.__setattr__(self, "get", self.data.get)  # the dict's own get: called very often

    def __getitem__(self, key):
        return self.data[key]

    def get(self, key, default=None):
        return self.data.get(key, default)

    @property
    def params(self) -> dict:
        return self.data.get("params") or {}

    def in_force(self, year: int) -> bool:
        span = self.data["in_force"]
        return span.get("from", year) <= year and ("until" not in span or year <= span["until"])

    @property
    def years_label(self) -> str:
        span = self.data["in_force"]
        if "from" not in span:  # open start: the notice sets no first year
            return f"{span['until']} 年及以前"
        if "until" not in span:
            return f"{span['from']} 年起"
        if span["until"] == span["from"]:
            return f"{span['from']} 年"
        return f"{span['from']}—{span['until']} 年"


@dataclass(frozen=True)
class NotCovered:
    """No rule in force: the reason, in Chinese."""

    reason: str


@dataclass(frozen=True)
class MissingInput:
    """The rules in force decide the hours by a field the activity leaves out: bad input, not 0 hours."""

    field: str
    message: str  # zh


class Bundle:
    def __init__(self, data: dict):
        self.data = data
        self.policies = data["policies"]
        self.regions = data["regions"]
        self.case = data["case"]
        self.kinds = self.case["kinds"]
        self.fields = self.case["fields"]
        self.kind_fields = {
            kind: {name: {**self.fields.get(name, {}), **(override or {})}
                   for name, override in (spec.get("fields") or {}).items()}
            for kind, spec in self.kinds.items()}
        # only declared defaults: a nullable field left out stays out (unanswered), so a rule
        # that decides by it asks for it; null is an answer ("不分等次"), sent as null
        self.kind_defaults = {kind: {n: f["default"] for n, f in fields.items() if "default" in f}
                              for kind, fields in self.kind_fields.items()}
        self.readings: dict = data.get("readings") or {}
        self.choice: dict = {}  # {reading id: option} this bundle's rules were derived under
        self.rules = [Rule(r, r["id"]) for r in data["rules"]]
        self._by_region_kind: dict[tuple[str, str], list[Rule]] = {}
        self._by_region_type: dict[tuple[str, str], list[Rule]] = {}
        for r in self.rules:
            if "kind" in r.data:
                self._by_region_kind.setdefault((r["region"], r["kind"]), []).append(r)
            else:
                self._by_region_type.setdefault((r["region"], r["type"]), []).append(r)
        self._in_force: dict[tuple[str, str, int], tuple[Rule, ...]] = {}
        self._derived: dict = {}

    def with_readings(self, choice: dict) -> Bundle:
        """This bundle with its rules read as `choice` says ({reading id: option}, ids and options known)."""
        effective = {rid: opt for rid, opt in choice.items() if opt != self.readings[rid]["default"]}
        if not effective:
            return self
        key = ("readings", tuple(sorted(effective.items())))

        def make():
            derived = Bundle({**self.data, "rules": apply_readings(self.data["rules"], self.readings, effective)})
            derived.choice = effective
            return derived
        return self.derived(key, make)

    def readings_for(self, region: str) -> list[dict]:
        return [r for r in self.readings.values() if r["region"] == region]

    def rules_for(self, region: str, kind: str) -> list[Rule]:
        """The region's rules converting activities of `kind`."""
        return self._by_region_kind.get((region, kind), [])

    def rules_of_type(self, region: str, rule_type: str) -> list[Rule]:
        """The region's rules of a rule type (requirement, cap, title, … : case.yaml `rule_types`)."""
        return self._by_region_type.get((region, rule_type), [])

    def in_force(self, region: str, kind: str, year: int) -> tuple[Rule, ...]:
        """The region's rules converting `kind` in force in `year`."""
        key = (region, kind, year)
        found = self._in_force.get(key)
        if found is None:
            found = self._in_force[key] = tuple(r for r in self.rules_for(region, kind) if r.in_force(year))
        return found

    def of_type_in_force(self, region: str, rule_type: str, year: int) -> tuple[Rule, ...]:
        """The region's rules of a rule type in force in `year`."""
        return self.derived(("type", region, rule_type, year),
                            lambda: tuple(r for r in self.rules_of_type(region, rule_type) if r.in_force(year)))

    def derived(self, key, make):
        """A value computed once from this bundle's data alone: make() on the first call for `key`."""
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = make()
            return value

    def requirement(self, region: str, year: int) -> Rule | NotCovered:
        return self.derived(("requirement", region, year), lambda: self._requirement(region, year))

    def _requirement(self, region: str, year: int) -> Rule | NotCovered:
        found = self.of_type_in_force(region, "requirement", year)
        if not found:
            return NotCovered(f"{year} 年不在{self.regions[region]['name']}已发布政策的覆盖范围内")
        return found[0]

    def covered_years(self, region: str) -> list[int]:
        """Years a requirement rule covers (an open start from the earliest year a case may carry)."""
        earliest = self.fields["year"].get("minimum", 1990)
        years = set()
        for r in self.rules_of_type(region, "requirement"):
            span = r["in_force"]
            years.update(range(span.get("from", earliest), span.get("until", 2026) + 1))
        return sorted(years)

    def kind_rule(self, region: str, kind: str, year: int, activity: dict,
                  flags: list | tuple = ()) -> Rule | NotCovered | MissingInput:
        """The one rule converting this activity, why there is none, or the field it lacks to decide.

        Rules with `applies_if` that matches win over a general rule of the kind, in order. A field
        left out that a rule's `applies_if` or `requires` asks about makes the choice (and so the
        hours) undecidable: MissingInput, the same for every kind and region. A field with a
        default is never left out; a nullable one is answered only by a value or null.
        """
        conditional, otherwise = self.derived(("kind_rule", region, kind, year),
                                              lambda: self._kind_choice(region, kind, year))
        chosen = otherwise
        for r in conditional:
            verdict = _matches(r["applies_if"], activity, flags)
            if verdict is True:
                chosen = r
                break
            if verdict is not False:
                return self._missing(kind, verdict)
        if type(chosen) is Rule:
            for req in chosen.get("requires") or ():
                if req["field"] not in activity:
                    return self._missing(kind, req["field"])
        return chosen

    def notes_for(self, rule: Rule, activity: dict, flags: list | tuple = ()) -> list[str]:
        """The rule's notes that concern this activity: every plain note, and a conditional one
        ({text, applies_if}) only when its condition holds (the same keys as a rule's applies_if)."""
        return [n if type(n) is str else n["text"] for n in rule.get("notes") or ()
                if type(n) is str or _matches(n["applies_if"], activity, flags) is True]

    def _missing(self, kind: str, name: str) -> MissingInput:
        label = self.kind_fields[kind].get(name, {}).get("label", name)
        return MissingInput(name, f"此类活动需要填写“{label}”（本地区的规定按此项认定是否计学时、计多少）")

    def _kind_choice(self, region: str, kind: str, year: int) -> tuple[tuple[Rule, ...], Rule | NotCovered]:
        """(rules in force with `applies_if`, in order; what applies when none of them matches)."""
        candidates = self.in_force(region, kind, year)
        if not candidates:
            return (), self._not_covered(region, kind, year)
        conditional = tuple(r for r in candidates if r.get("applies_if"))
        general = [r for r in candidates if not r.get("applies_if")]
        if general:
            return conditional, general[0]
        label = self.kinds[kind]["label"]
        conds = "；".join(_describe_condition(self, kind, r["applies_if"]) for r in candidates)
        return conditional, NotCovered(f"本地区“{label}”只在以下情形折算学时：{conds}；本条活动不符合，不计学时")

    def _not_covered(self, region: str, kind: str, year: int) -> NotCovered:
        label = self.kinds[kind]["label"]
        name = self.regions[region]["name"]
        others = self.rules_for(region, kind)
        if others:
            spans = "、".join(sorted({r.years_label for r in others}))
            return NotCovered(f"{name}关于“{label}”的规定适用于 {spans}，{year} 年不在其内，不计学时")
        return NotCovered(f"{name}已发布的政策未规定“{label}”可折算学时，不计学时")

    @property
    def default_unit(self) -> str:
        """hour: the unit of a year or rule that names none (case.yaml's first unit)."""
        return next(iter(self.case["units"]))

    def unit_label(self, unit: str | None) -> str:
        """学时 or 学分: case.yaml's label of a unit (None: the default unit, the first)."""
        return self.case["units"][unit or self.default_unit]["label"]

    def subject_label(self, subject: str) -> str:
        """公需科目 / 专业科目: case.yaml's label of a subject."""
        return self.fields["subject"]["enum_labels"][subject]

    def bool_label(self, value: bool) -> str:
        """是 / 否."""
        return self.case["bool_labels"]["true" if value else "false"]

    def policy_link(self, rule: Rule) -> str:
        return rule["source"]


def _matches(cond: dict, activity: dict, flags=()) -> bool | str:
    """True, False, or the name of the first field left out whose value would decide."""
    missing = None
    for key, want in cond.items():
        if key == "flag":
            if not (any(f in flags for f in want) if isinstance(want, list) else want in flags):
                return False
            continue
        if key not in activity:
            if missing is None:
                missing = key
            continue
        have = activity[key]
        if isinstance(want, list):
            if have not in want:
                return False
        elif have != want:
            return False
    return True if missing is None else missing


def _describe_condition(bundle: Bundle, kind: str, cond: dict) -> str:
    parts = []
    for key, want in cond.items():
        if key == "flag":
            labels = bundle.case["profile"]["flags"]["enum_labels"]
            parts.append("特殊情形为" + "或".join(f"“{labels.get(w, w)}”"
                                                  for w in (want if isinstance(want, list) else [want])))
            continue
        spec = {**bundle.fields.get(key, {}), **(bundle.kinds[kind].get("fields", {}).get(key) or {})}
        labels = spec.get("enum_labels") or {}
        values = want if isinstance(want, list) else [want]
        shown = "或".join(str(labels.get(str(v), v)) if not isinstance(v, bool) else bundle.bool_label(v)
                         for v in values)
        parts.append(f"{spec.get('label', key)}为{shown}")
    return "，".join(parts)


@lru_cache(maxsize=1)
def bundle() -> Bundle:
    # The package's loader reads it (a file, or the wheel on sys.path in the browser):
    # importlib.resources would import its readers and zipfile.Path for this one file, about a
    # tenth of the package's import in Pyodide.
    return Bundle(json.loads(get_data(__package__, "data/bundle.json")))
