"""Declared parameters: what a conversion method or a rule type takes, written once.

A method module (ruleset/methods/) and ruleset/rule_types.py declare a `Spec`: each parameter's
name, type, whether it is required, its default, its meaning in Chinese and, for a nested table,
what keys each level; a Chinese label and a description template. From that one declaration

- the compiler checks every rule's `params` (`check`: unknown, missing, wrong type, table keys
  that are no value of the field keying them), naming the path of the bad value;
- the engine reads defaults (`Context.param`);
- the reference pages show the parameters and the rule in words (site_src/generate/).

Description templates: a sequence of pieces joined in order, the last followed by "。" unless it
ends in one. `{name}` is a parameter's value in words (a number, a field's label, a choice's
label; `{a.b}` reaches into a record), `{@name}` a field of the rule itself (a cap's `kinds`),
`{?name}` and `{!name}` show nothing and only gate their piece (shown when the parameter is
truthy / is not: true, non-zero, non-empty), and `{unit}` is the unit (学时 or 学分) the rule's
amounts are in. A piece is shown only when every parameter it names has a value (given or by
default, and not null, false or empty; 0 is a value) and its gates hold.

Stdlib only: the engine imports it in the browser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as _field
from typing import Union

NO_DEFAULT = object()

# The types a parameter may have (Chinese names shown on the reference pages).
TYPES = {
    "number": "数字", "int": "整数", "bool": "是/否", "text": "文字", "field": "案例字段",
    "fields": "案例字段列表", "choice": "选项", "choices": "选项列表", "table": "对照表",
    "record": "一组参数", "method": "折算方法", "params": "该方法的参数", "labels": "名称对照",
}


@dataclass(frozen=True)
class KeySet:
    """Keys of a table level (or values of a parameter) that are not simply a case field's values.

    `field`: the values of that case field (labels from case.yaml) are keys too; `vocabulary`: the
    keys of that part of case.yaml (e.g. `units`, labels from there); `labels`: further keys with
    their zh labels; `labels_from`: the keys and labels are a sibling parameter's mapping;
    `pattern`: a key must match it (and then reads as `template` with {key}, unless `labels` has it).
    """

    name: str
    head: str  # zh: the head of the table column that lists these keys
    field: str | None = None
    vocabulary: str | None = None
    labels: dict = _field(default_factory=dict)
    labels_from: str | None = None
    pattern: str | None = None
    template: str = "{key}"


# Key sets several declarations share.
UNIT = KeySet("unit", "单位", vocabulary="units")  # hour | credit, labels from case.yaml
RANK_GROUP = KeySet("rank_group", "排名", pattern=r"\d+(-\d+|\+)?")  # "1-3", "4+", "2"
SUBJECT_OR_TOTAL = KeySet("subject", "科目", field="subject", labels={"total": "合计"})

# One level of a table's keys (or what a value is): a case field's name, "=param" (the field or
# fields a sibling parameter names), or a KeySet.
Keys = Union[str, KeySet]


@dataclass(frozen=True)
class Param:
    name: str
    type: str | tuple[str, ...]  # one of TYPES, or a tuple: any of them
    meaning: str  # zh
    default: object = NO_DEFAULT
    required: bool | None = None  # None: required unless it has a default
    required_if: tuple = ()  # (sibling, value): required when that sibling parameter holds that value
    keys: tuple[Keys, ...] = ()  # table: what keys each level, outermost first
    of: Keys | None = None  # what the value is (choice-like numbers) or a table's leaves are; None: numbers
    choices: dict = _field(default_factory=dict)  # choice(s): value -> zh label
    parts: tuple[Param, ...] = ()  # record: its own parameters
    nullable: bool = False  # a table leaf may be null ("not listed")

    @property
    def is_required(self) -> bool:
        if self.required is None:
            return self.default is NO_DEFAULT and not self.required_if
        return self.required

    @property
    def types(self) -> tuple[str, ...]:
        return self.type if isinstance(self.type, tuple) else (self.type,)


@dataclass(frozen=True)
class Spec:
    """What a method or a rule type takes and how a rule of it reads in words."""

    name: str
    params: tuple[Param, ...] = ()
    describe: tuple[str, ...] = ()  # zh template pieces (module docstring)
    label: str = ""  # zh (a rule type's label is case.yaml's)
    one_of: tuple[tuple[str, ...], ...] = ()  # params must hold every name of at least one group
    subjects: tuple[str, ...] = ()  # the rule `subject`s it allows; () for none
    unit: str = "hour"  # the unit of its amounts when the params name none

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def default(self, name: str):
        p = self.param(name)
        return None if p is None or p.default is NO_DEFAULT else p.default


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class Scope:
    """What a rule's params may refer to: the case fields in reach, the methods (for nested params)."""

    fields: dict  # name -> field spec: a kind's own fields (over the base fields), or the profile's
    specs: dict  # method name -> Spec
    case: dict = _field(default_factory=dict)  # case.yaml (units, rule_subjects, …)
    base: dict = _field(default_factory=dict)  # further fields whose values may key a table (case.yaml `fields`)

    def field_spec(self, name) -> dict | None:
        """A field the rule's activity (or profile) has."""
        return self.fields.get(name) if isinstance(name, str) else None

    def key_spec(self, name) -> dict | None:
        """A field whose values may key a table: the activity's, else a base field (levels read through a map)."""
        return self.field_spec(name) or (self.base.get(name) if isinstance(name, str) else None)


def check(spec: Spec, params, scope: Scope, path: str = "params") -> list[str]:
    """Problems of `params` against `spec`, each naming the path of the value (English)."""
    if params is None:
        params = {}
    if not isinstance(params, dict):
        return [f"{path} must be a mapping"]
    problems = []
    known = {p.name: p for p in spec.params}
    for name in params:
        if name not in known:
            takes = ", ".join(known) or "no parameters"
            problems.append(f"unknown parameter {path}.{name} ({spec.name} takes {takes})")
    for p in spec.params:
        if p.name in params:
            problems += _check_value(p, params[p.name], params, scope, f"{path}.{p.name}")
        elif p.is_required or (p.required_if and params.get(p.required_if[0]) == p.required_if[1]):
            problems.append(f"missing parameter {path}.{p.name} ({p.meaning})")
    if spec.one_of and not any(all(n in params for n in group) for group in spec.one_of):
        shown = " or ".join(" + ".join(group) for group in spec.one_of)
        problems.append(f"{path} needs {shown}")
    return problems


def _check_value(p: Param, value, siblings: dict, scope: Scope, path: str) -> list[str]:
    found = []
    for kind in p.types:
        problems = _check_type(kind, p, value, siblings, scope, path)
        if not problems:
            return []
        found.append(problems)
    if len(found) == 1:
        return found[0]
    shaped = [problems for kind, problems in zip(p.types, found) if _SHAPES.get(kind, _SCALAR) is _shape(value)]
    if len(shaped) == 1:  # e.g. int or table, given a table: what is wrong with the table
        return shaped[0]
    return [f"{path} must be {' or '.join(p.types)}, not {value!r}"]


_SCALAR = "scalar"
_SHAPES = {"table": dict, "record": dict, "params": dict, "labels": dict, "fields": list, "choices": list}


def _shape(value):
    return dict if isinstance(value, dict) else list if isinstance(value, list) else _SCALAR


def _check_type(kind: str, p: Param, value, siblings: dict, scope: Scope, path: str) -> list[str]:
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return [f"{path} must be a number, not {value!r}"]
        return _check_of(p.of, value, siblings, scope, path)
    if kind == "int":
        if type(value) is not int:
            return [f"{path} must be a whole number, not {value!r}"]
        return _check_of(p.of, value, siblings, scope, path)
    if kind == "bool":
        return [] if isinstance(value, bool) else [f"{path} must be true or false, not {value!r}"]
    if kind == "text":
        return [] if isinstance(value, str) and value.strip() else [f"{path} must be (non-empty) text, not {value!r}"]
    if kind == "field":
        return _check_field(value, scope, path)
    if kind == "fields":
        if not isinstance(value, list) or not value:
            return [f"{path} must be a list of case fields, not {value!r}"]
        return [x for i, v in enumerate(value) for x in _check_field(v, scope, f"{path}[{i}]")]
    if kind == "choice":
        return _check_choice(p, value, siblings, scope, path)
    if kind == "choices":
        if not isinstance(value, list) or not value:
            return [f"{path} must be a list, not {value!r}"]
        return [x for i, v in enumerate(value) for x in _check_choice(p, v, siblings, scope, f"{path}[{i}]")]
    if kind == "labels":
        if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
            return [f"{path} must map each key to its Chinese name, not {value!r}"]
        return []
    if kind == "table":
        return _check_table(p, value, level_keys(p, siblings), siblings, scope, path)
    if kind == "record":
        if not isinstance(value, dict):
            return [f"{path} must be a mapping, not {value!r}"]
        return check(Spec(p.name, p.parts), value, scope, path)
    if kind == "method":
        return [] if isinstance(value, str) and value in scope.specs else [f"{path}: unknown method {value!r}"]
    if kind == "params":
        method = scope.specs.get(siblings.get("method"))
        return check(method, value, scope, path) if method else []  # the method itself is reported
    raise AssertionError(f"unknown parameter type {kind!r}")


def _check_choice(p: Param, value, siblings: dict, scope: Scope, path: str) -> list[str]:
    if p.choices:
        return [] if isinstance(value, str) and value in p.choices else [
            f"{path} must be one of {', '.join(p.choices)}, not {value!r}"]
    return _check_of(p.of, value, siblings, scope, path)


def _check_field(value, scope: Scope, path: str) -> list[str]:
    if isinstance(value, str) and scope.field_spec(value) is not None:
        return []
    return [f"{path}: {value!r} is not a field of this rule's case ({', '.join(sorted(scope.fields))})"]


def level_keys(p: Param, siblings: dict) -> list[Keys]:
    """A table's keys per level, "=param" entries replaced by the field(s) that parameter names."""
    out: list[Keys] = []
    for entry in p.keys:
        if isinstance(entry, str) and entry.startswith("="):
            named = siblings.get(entry[1:])
            out += named if isinstance(named, list) else [named] if named is not None else []
        else:
            out.append(entry)
    return out


def _check_table(p: Param, value, keys: list, siblings: dict, scope: Scope, path: str) -> list[str]:
    if not keys:  # a leaf
        if value is None and p.nullable:
            return []
        if p.of is None:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return [f"{path} must be a number, not {value!r}"]
            return []
        return _check_of(p.of, value, siblings, scope, path)
    if not isinstance(value, dict) or not value:
        return [f"{path} must be a mapping by {_key_name(keys[0])}, not {value!r}"]
    problems = []
    for key, sub in value.items():
        problems += _check_key(keys[0], key, siblings, scope, f"{path}.{key}")
        problems += _check_table(p, sub, keys[1:], siblings, scope, f"{path}.{key}")
    return problems


def _key_name(entry: Keys) -> str:
    return entry.name if isinstance(entry, KeySet) else str(entry)


def allowed(entry: Keys, siblings: dict, scope: Scope) -> list[str] | None:
    """The keys (as text) a level or value of `entry` may hold; None: any (a pattern, or a field without an enum)."""
    if isinstance(entry, KeySet):
        if entry.labels_from:
            return [str(k) for k in siblings.get(entry.labels_from) or {}]
        values = list(entry.labels)
        if entry.vocabulary:
            values = list(scope.case.get(entry.vocabulary) or {}) + values
        if entry.field:
            spec = scope.key_spec(entry.field) or (scope.case.get("fields") or {}).get(entry.field) or {}
            values = [str(v) for v in spec.get("enum") or []] + values
        return values or None
    spec = scope.key_spec(entry)
    if spec is None:
        return []
    if spec.get("type") == "bool":
        return ["True", "False"]
    enum = spec.get("enum")
    return None if enum is None else [str(v) for v in enum]


def _check_key(entry: Keys, key, siblings: dict, scope: Scope, path: str) -> list[str]:
    if isinstance(entry, str) and scope.key_spec(entry) is None:
        return [f"{path}: keyed by {entry!r}, which is not a field of this rule's case"]
    if isinstance(entry, KeySet) and entry.pattern and re.fullmatch(entry.pattern, str(key)):
        return []
    values = allowed(entry, siblings, scope)
    if values is None or str(key) in values:
        return []
    return [f"{path}: {key!r} is not one of {', '.join(values)} ({_key_name(entry)})"]


def _check_of(entry: Keys | None, value, siblings: dict, scope: Scope, path: str) -> list[str]:
    if entry is None:
        return []
    return _check_key(entry, value, siblings, scope, path)


# --------------------------------------------------------------------------- templates

_PLACEHOLDER = re.compile(r"\{([?!@]?)([a-z_][a-z0-9_.]*)\}")


def placeholders(piece: str) -> list[tuple[str, str]]:
    """(mark, dotted name) of each placeholder of a template piece: mark "" (a value), "?" (gate:
    has a value), "!" (gate: has none) or "@" (a field of the rule itself, e.g. a cap's `kinds`)."""
    return [(mark, name) for mark, name in _PLACEHOLDER.findall(piece)]


def value_of(spec: Spec, params: dict, dotted: str):
    """A (dotted) parameter's value in `params`, its declared default when absent; None when neither."""
    head, _, rest = dotted.partition(".")
    value = params.get(head, spec.default(head))
    for part in rest.split(".") if rest else ():
        value = value.get(part) if isinstance(value, dict) else None
    return value


def has_value(value) -> bool:
    return value is not None and value is not False and value != "" and value != [] and value != {}


def pieces(spec: Spec, params: dict, rule: dict | None = None) -> list[str]:
    """The template pieces shown for these params (placeholders still in them)."""
    out = []
    for piece in spec.describe:
        shown = True
        for mark, name in placeholders(piece):
            if name == "unit" and not mark:
                continue
            value = (rule or {}).get(name) if mark == "@" else value_of(spec, params, name)
            if mark == "?":
                shown = shown and bool(value)
            elif mark == "!":
                shown = shown and not value
            else:
                shown = shown and has_value(value)
        if shown:
            out.append(piece)
    return out


def fill(piece: str, render) -> str:
    """A template piece with each `{name}` / `{@name}` replaced by render(mark, name), gates removed."""
    return _PLACEHOLDER.sub(lambda m: "" if m.group(1) in ("?", "!") else render(m.group(1), m.group(2)), piece)
