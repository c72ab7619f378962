"""A rule in words and its parameters as tables, rendered from the declarations (no MkDocs here).

What a parameter means, how its table is keyed and how a rule of a method or rule type
reads come from the declarations (ruleset/methods/, ruleset/rule_types.py, format in
ruleset/params.py); every Chinese word of the case (kinds, fields, values, units, subjects,
rule types, 是/否) comes from the bundle's copy of case.yaml (`Labels`). Nothing here
describes a particular method.

Contract (tests/test_site.py): every numeric value of a rule's `params` and `cap` is rendered
exactly once in its section, in an element of class "ref-num"; descriptions carry numbers as
plain text.
"""
from __future__ import annotations

import html

from ruleset.methods import SPECS
from ruleset.params import NO_DEFAULT, KeySet, Param, Spec, level_keys, pieces, value_of
from ruleset.params import fill as fill_template
from ruleset.rule_types import KIND_CAP, RULE_TYPES


def fmt_num(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_num(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def spec_of(rule: dict) -> Spec | None:
    """The declaration a rule is checked against: its method's, or its rule type's."""
    if "type" in rule:
        return RULE_TYPES[rule["type"]].spec
    return SPECS.get(rule.get("method"))


class Labels:
    """Chinese labels of kinds, fields, values, units, subjects and rule types from bundle["case"]."""

    def __init__(self, case: dict):
        self.case = case
        self.kinds = case.get("kinds", {})
        self.fields = case.get("fields", {})
        self.profile = case.get("profile", {})
        self.rule_types = case.get("rule_types", {})

    def kind(self, kind: str) -> str:
        return (self.kinds.get(kind) or {}).get("label") or kind

    def rule_type(self, rule_type: str) -> str:
        return (self.rule_types.get(rule_type) or {}).get("label") or rule_type

    def topic(self, rule: dict) -> str:
        """What a rule is about: its activity kind's label, or its rule type's."""
        return self.kind(rule["kind"]) if "kind" in rule else self.rule_type(rule["type"])

    def unit(self, unit: str) -> str:
        return self.case["units"][unit]["label"]

    def yes_no(self, value: bool) -> str:
        return self.case["bool_labels"]["true" if value else "false"]

    def subject(self, subject: str) -> str:
        """A rule's `subject`: the label of the field `subject`'s value, or of case.yaml's rule_subjects."""
        labels = self.fields.get("subject", {}).get("enum_labels") or {}
        return labels.get(subject) or (self.case.get("rule_subjects", {}).get(subject) or {}).get("label", subject)

    def spec(self, name: str, kind: str | None) -> dict:
        """A field's spec: the kind's override over the base field, or the profile field."""
        spec = dict(self.fields.get(name) or self.profile.get(name) or {})
        override = ((self.kinds.get(kind) or {}).get("fields") or {}).get(name) if kind else None
        if override:
            spec.update({k: v for k, v in override.items() if v is not None})
        return spec

    def field(self, name: str, kind: str | None = None) -> str:
        if name == "flag":
            return self.profile["flags"]["label"]
        return self.spec(name, kind).get("label") or name

    def value(self, name: str, value, kind: str | None = None) -> str:
        if name == "flag":
            return self.flag(value)
        if isinstance(value, bool):
            return self.yes_no(value)
        labels = self.spec(name, kind).get("enum_labels") or {}
        return labels.get(str(value), str(value))

    def flag(self, flag: str) -> str:
        return ((self.profile.get("flags") or {}).get("enum_labels") or {}).get(flag, flag)


class Words:
    """One rule's params in words and tables, under its declaration."""

    def __init__(self, labels: Labels, kind: str | None, params: dict, spec: Spec, unit: str | None = None):
        self.labels, self.kind, self.params, self.spec = labels, kind, params, spec
        self.unit = unit or value_of(spec, params, "unit") or spec.unit

    # -- keys and values ------------------------------------------------------------

    def head(self, entry) -> str:
        """The column head of a table level keyed by `entry` (a field or a KeySet)."""
        if isinstance(entry, KeySet):
            return entry.head
        return self.labels.field(entry, self.kind) if entry else "项目"

    def key(self, entry, key) -> str:
        """A key (or a value) of `entry` in words."""
        key = str(key)
        if isinstance(entry, KeySet):
            if entry.labels_from:
                return str((self.params.get(entry.labels_from) or {}).get(key, key))
            if key in entry.labels:
                return entry.labels[key]
            if entry.vocabulary:
                return (self.labels.case.get(entry.vocabulary, {}).get(key) or {}).get("label", key)
            if entry.field:
                return self.labels.value(entry.field, key, self.kind)
            return entry.template.format(key=key)
        return self.labels.value(entry, key, self.kind) if entry else key

    def text(self, p: Param | None, value) -> str:
        """A parameter's value in words (for descriptions; numbers plain)."""
        if value is None:
            return ""
        if p is None:
            return str(value)
        if isinstance(value, bool):
            return self.labels.yes_no(value)
        if is_num(value):
            return self.key(p.of, value) if p.of is not None else fmt_num(value)
        if isinstance(value, list):
            if "fields" in p.types:
                return "、".join(self.labels.field(v, self.kind) for v in value)
            return "和".join(self.choice(p, v) for v in value)
        if isinstance(value, dict):
            if "params" in p.types:  # as_credits: the inner method, in this rule's unit
                inner = SPECS.get(self.params.get("method"))
                return sentence(self.labels, self.kind, value, inner, None, self.unit) if inner else ""
            return self._flat(p, value, level_keys(p, self.params))
        if "field" in p.types or "fields" in p.types:
            return self.labels.field(value, self.kind)
        if "method" in p.types:
            return SPECS[value].label if value in SPECS else str(value)
        if p.choices or p.of is not None:
            return self.choice(p, value)
        return str(value).strip()

    def choice(self, p: Param, value) -> str:
        """A value of a choice parameter: its declared label, or the label of the value it stands for."""
        if p.choices:
            return p.choices.get(value, str(value))
        return self.key(p.of, value) if p.of is not None else str(value)

    def _flat(self, p: Param, table: dict, keys: list) -> str:
        entry = keys[0] if keys else None
        parts = []
        for k, v in table.items():
            inner = f"（{self._flat(p, v, keys[1:])}）" if isinstance(v, dict) else " " + self.leaf_text(p, v)
            parts.append(self.key(entry, k) + inner)
        return "、".join(parts)

    def leaf_text(self, p: Param, value) -> str:
        if value is None:
            return "—"
        if p.of is not None:
            return self.key(p.of, value)
        return fmt_num(value) if is_num(value) else str(value)

    # -- HTML ---------------------------------------------------------------------------

    def leaf_html(self, p: Param | None, value) -> str:
        """A scalar: numbers in a ref-num element (with their label when they stand for a value)."""
        if is_num(value):
            num = f'<span class="ref-num">{html.escape(fmt_num(value))}</span>'
            return f"{num}（{html.escape(self.key(p.of, value))}）" if p is not None and p.of is not None else num
        if value is None:
            return "—"
        if isinstance(value, list):
            return "、".join(self.leaf_html(p, v) for v in value)
        return html.escape(self.text(p, value))

    def table_html(self, p: Param, table: dict, keys: list) -> str:
        """A nested mapping: a matrix when every value is a flat mapping, else rows (nested tables)."""
        entry = keys[0] if keys else None
        rest = keys[1:]
        values = list(table.values())
        if values and all(isinstance(v, dict) and v and all(not isinstance(x, dict) for x in v.values())
                          for v in values) and rest:
            sub = rest[0]
            cols: list = []
            for v in values:
                cols += [k for k in v if k not in cols]
            out = ['<table class="ref-data ref-matrix">', "<thead><tr>",
                   f"<th>{html.escape(self.head(entry))} ＼ {html.escape(self.head(sub))}</th>"]
            out += [f"<th>{html.escape(self.key(sub, c))}</th>" for c in cols]
            out.append("</tr></thead><tbody>")
            for k, v in table.items():
                out.append(f"<tr><th>{html.escape(self.key(entry, k))}</th>")
                out += [f"<td>{self.leaf_html(p, v[c])}</td>" if c in v
                        else '<td class="ref-none" title="本条未列">—</td>' for c in cols]
                out.append("</tr>")
            out.append("</tbody></table>")
            return "".join(out)
        out = ['<table class="ref-data">',
               f"<thead><tr><th>{html.escape(self.head(entry))}</th><th>数值</th></tr></thead><tbody>"]
        for k, v in table.items():
            cell = self.table_html(p, v, rest) if isinstance(v, dict) else self.leaf_html(p, v)
            out.append(f"<tr><th>{html.escape(self.key(entry, k))}</th><td>{cell}</td></tr>")
        out.append("</tbody></table>")
        return "".join(out)

    def value_html(self, p: Param | None, value) -> str:
        if p is not None and isinstance(value, dict):
            if "params" in p.types:
                inner = SPECS.get(self.params.get("method"))
                return params_html(value, inner, self.labels, self.kind, nested=True, unit=self.unit) if inner else ""
            if "record" in p.types:
                return params_html(value, Spec(p.name, p.parts), self.labels, self.kind, nested=True, unit=self.unit)
            return self.table_html(p, value, level_keys(p, self.params))
        return self.leaf_html(p, value)


def params_html(params: dict | None, spec: Spec | None, labels: Labels, kind: str | None, nested: bool = False,
                unit: str | None = None, head: str = "参数", cls: str = "ref-data ref-params") -> str:
    """A rule's params as a two-column table, each named by its declared meaning (nested tables inside)."""
    if not params or spec is None:
        return ""
    words = Words(labels, kind, params, spec, unit)
    cls = "ref-data" if nested else cls
    out = [f'<table class="{cls}">', f"<thead><tr><th>{html.escape(head)}</th><th>取值</th></tr></thead><tbody>"]
    for name, value in params.items():
        p = spec.param(name)
        if p is not None and "labels" in p.types:
            continue  # the names of another parameter's keys: shown where those keys are
        meaning = p.meaning if p is not None else name
        out.append(f"<tr><th>{html.escape(meaning)}</th><td>{words.value_html(p, value)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def cap_html(cap: dict | None, labels: Labels) -> str:
    """A conversion rule's own cap (`cap: {per_year: 20}`)."""
    return params_html(cap, KIND_CAP, labels, None, head="本类活动上限", cls="ref-data ref-cap")


def sentence(labels: Labels, kind: str | None, params: dict, spec: Spec, rule: dict | None = None,
             unit: str | None = None) -> str:
    """The declaration's description template filled in for these params (no final 。)."""
    words = Words(labels, kind, params, spec, unit)

    def render(mark: str, name: str) -> str:
        if mark == "@":
            value = (rule or {}).get(name)
            if name == "kinds":
                return "、".join(labels.kind(k) for k in value or [])
            if name == "flag":
                return labels.flag(value)
            return str(value or "")
        if name == "unit":
            return labels.unit(words.unit)
        head = name.split(".")[0]
        p = spec.param(head)
        for part in name.split(".")[1:]:
            p = next((x for x in (p.parts if p else ()) if x.name == part), None)
        return words.text(p, value_of(spec, params, name))

    return "".join(fill_template(piece, render) for piece in pieces(spec, params, rule))


def describe(rule: dict, labels: Labels) -> list[str]:
    """The rule in Chinese: its declaration's template, filled in (one sentence, or none)."""
    spec = spec_of(rule)
    if spec is None:
        return []
    text = sentence(labels, rule.get("kind"), rule.get("params") or {}, spec, rule).rstrip("；，、：")
    if not text:
        return []
    return [text if text.endswith("。") else text + "。"]


def method_label(rule: dict) -> str:
    spec = spec_of(rule)
    return spec.label if spec is not None and "kind" in rule else ""


def changed_text(labels: Labels, rule: dict, name: str, value) -> str:
    """A field or parameter of a rule, as a reading's option sets it, in words."""
    if value is None:
        return "（删去）"
    if name == "in_force":
        from .model import years_label
        return years_label(value)
    if name == "applies_if":
        kind = rule.get("kind")
        return "；".join(f"{labels.field(k, kind)}：" + "、".join(labels.value(k, v, kind)
                                                                  for v in (vs if isinstance(vs, list) else [vs]))
                        for k, vs in value.items())
    if name == "method":
        spec = SPECS.get(value)
        return spec.label if spec else str(value)
    if isinstance(value, bool):
        return labels.yes_no(value)
    return fmt_num(value) if is_num(value) else str(value)


def param_text(labels: Labels, rule: dict, spec: Spec | None, name: str, value) -> str:
    """A parameter's value in words as a reading's option (or the rule) sets it; None: left out."""
    p = spec.param(name) if spec else None
    if value is None:
        return "（删去，按默认）" if p is not None and p.default is not NO_DEFAULT else "（删去）"
    words = Words(labels, rule.get("kind"), {**(rule.get("params") or {}), name: value}, spec or Spec(""))
    return words.text(p, value)
