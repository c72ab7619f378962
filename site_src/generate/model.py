"""View models of the generated pages, computed from the rule bundle (no MkDocs here).

Everything a reader sees is Chinese; the wording comes from the declarations of the
methods and rule types (describe.py renders them) and the labels of the case
vocabulary (bundle["case"]), so the pages change when the rule data changes.

Contracts other code relies on (tests/test_site.py):
- every rule gets a section whose id is `section_id(rule, same_id_count)`:
  "rule-" + rule id with dots replaced by hyphens, plus "-<from year>" when the
  region has several rules of that id (one per period in force);
- every numeric value of a rule's `params` and `cap` is rendered exactly once
  in that section, in an element of class "ref-num"; no other number carries it.
"""
from __future__ import annotations

import html
import json
import os
from collections import Counter
from importlib import resources
from pathlib import Path

from .describe import Labels, cap_html, changed_text, describe, fmt_num, is_num, method_label, param_text, \
    params_html, spec_of

# Rule types whose part of the reference page is shown even when the region has no rule of
# the type (saying so); the other types' parts only when there is one.
ALWAYS_LISTED = ("requirement", "title")

# --- loading -----------------------------------------------------------------------

BUNDLE_ENV = "RULESET_BUNDLE"  # development override: a bundle.json path


def bundle_path() -> Path:
    override = os.environ.get(BUNDLE_ENV)
    if override:
        return Path(override)
    return Path(str(resources.files("ruleset") / "data" / "bundle.json"))


def load_bundle(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("policies", "regions", "case", "rules"):
        if key not in data:
            raise ValueError(f"{path}: the bundle has no {key!r}")
    return data


# --- numbers --------------------------------------------------------------------------


def numbers_of(value) -> list:
    """Every numeric leaf of a params/cap structure, in order (bools excluded)."""
    if is_num(value):
        return [value]
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers_of(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers_of(v)]
    return []


def years_label(span: dict) -> str:
    start, until = span.get("from"), span.get("until")
    if start is None:  # open start: the notice sets no first year
        return f"{until} 年及以前"
    if until is None:
        return f"{start} 年起"
    if until == start:
        return f"{start} 年"
    return f"{start}—{until} 年"


def section_id(rule: dict, duplicated: bool) -> str:
    base = "rule-" + rule["id"].replace(".", "-")
    return f"{base}-{rule['in_force'].get('from', 'open')}" if duplicated else base


def topic(rule: dict) -> str:
    """What a rule is about: its activity kind, or its rule type."""
    return rule.get("kind") or rule["type"]


def md_escape(text: str) -> str:
    """Plain text for Markdown: no HTML, no emphasis, no links, no line breaks."""
    text = html.escape(str(text), quote=False)
    for ch in "\\`*_[]":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def conditions(rule: dict, labels: Labels) -> list[str]:
    """applies_if and flag in words, e.g. "出国（境）：是"."""
    out = []
    kind = rule.get("kind")
    for name, value in (rule.get("applies_if") or {}).items():
        values = value if isinstance(value, list) else [value]
        shown = "、".join(labels.value(name, v, kind) for v in values)
        out.append(f"{labels.field(name, kind)}：{shown}")
    if rule.get("flag"):
        out.append(f"{labels.field('flag')}：{labels.flag(rule['flag'])}")
    return out


def note_text(note, rule: dict, labels: Labels) -> str:
    """A note in words; a conditional one ({text, applies_if}) with the case it concerns."""
    if isinstance(note, str):
        return note
    cond = dict(note["applies_if"])
    flag = cond.pop("flag", None)
    parts = conditions({"kind": rule.get("kind"), "applies_if": cond}, labels)
    if flag is not None:
        parts.append(f"{labels.field('flag')}：" + "、".join(labels.flag(f) for f in (flag if isinstance(flag, list)
                                                                                       else [flag])))
    return f"{note['text']}（适用于{'，'.join(parts)}）"


# --- page models --------------------------------------------------------------------


def policy_link(rule: dict, bundle: dict, from_dir: str) -> str:
    """A Markdown link target to the cited clause, relative to a page in docs/<from_dir>/."""
    policy, _, anchor = rule["cite"].partition("#")
    page = bundle["policies"][policy]["page"]
    up = "../" * len([p for p in from_dir.split("/") if p])
    return f"{up}{page}#{anchor}"


def rule_view(rule: dict, bundle: dict, labels: Labels, dup: Counter, shared_caps: list,
              from_dir: str) -> dict:
    policy, _, anchor = rule["cite"].partition("#")
    pol = bundle["policies"].get(policy, {})
    span = rule["in_force"]
    kind = rule.get("kind")
    caps = []
    for cap in shared_caps:
        if kind and kind in (cap.get("kinds") or []) and _overlap(cap["in_force"], span):
            caps.append({"text": "；".join(describe(cap, labels)), "years": years_label(cap["in_force"]),
                         "anchor": section_id(cap, dup[cap["id"]] > 1)})
    return {
        "id": rule["id"],
        "section": section_id(rule, dup[rule["id"]] > 1),
        "topic": topic(rule),
        "method": method_label(rule),
        "from": span.get("from", 0),  # data-from: an open start is in force from any year
        "until": span.get("until"),
        "years": years_label(span),
        "subject": labels.subject(rule["subject"]) if rule.get("subject") else "",
        "summary": rule.get("summary") or "",
        "title": _title(rule, labels),
        "describe": describe(rule, labels),
        "conditions": conditions(rule, labels),
        "requires": [r.get("message", "") for r in rule.get("requires") or []],
        "params_html": params_html(rule.get("params"), spec_of(rule), labels, kind),
        "cap_html": cap_html(rule.get("cap"), labels),
        "shared_caps": caps,
        "during_tenure": bool(rule.get("during_tenure")),
        "evidence": rule.get("evidence") or "",
        "notes": [note_text(n, rule, labels) for n in rule.get("notes") or []],
        "text": rule.get("text") or "",
        "cite": rule["cite"],
        "checked": rule["checked"],  # the day the rule was last checked against the notice
        "link": policy_link(rule, bundle, from_dir),
        "cite_label": f"{pol.get('doc_number', policy)} · {anchor}",
        "numbers": [fmt_num(n) for n in numbers_of(rule.get("params")) + numbers_of(rule.get("cap"))],
        "readings": [{"id": rid, "anchor": reading_anchor(rid), "question": bundle["readings"][rid]["question"]}
                     for rid in rule.get("readings") or []],
    }


def _title(rule: dict, labels: Labels) -> str:
    """A short heading: the rule's summary, else its flag or first sentence."""
    if rule.get("summary"):
        return rule["summary"]
    if rule.get("label"):
        return rule["label"]
    if rule.get("flag"):
        return labels.flag(rule["flag"])
    if "type" in rule:
        return labels.rule_type(rule["type"])
    words = describe(rule, labels)
    return words[0] if words else labels.topic(rule)


def _overlap(a: dict, b: dict) -> bool:
    inf = 10 ** 6
    return a.get("from", -inf) <= b.get("until", inf) and b.get("from", -inf) <= a.get("until", inf)


def _region_rules(bundle: dict, region: str) -> list[dict]:
    rules = [r for r in bundle["rules"] if r.get("region") == region]
    return sorted(rules, key=lambda r: (_start(r["in_force"]), r["id"]))


def _start(span: dict) -> int:
    """The first year of a span; an open start ({until: Y}) is shown from its last year Y."""
    return span.get("from", span.get("until"))


def covered_years(bundle: dict, region: str) -> str:
    spans = [r["in_force"] for r in bundle["rules"]
             if r.get("region") == region and r.get("type") == "requirement"]
    if not spans:
        return ""
    ends = [s.get("until") for s in spans]
    if any("from" not in s for s in spans):
        return "至今" if any(e is None for e in ends) else years_label({"until": max(ends)})
    start = min(s["from"] for s in spans)
    if any(e is None for e in ends):
        return f"{start} 年起"
    return years_label({"from": start, "until": max(ends)})


def policies_of(bundle: dict, region: str, from_dir: str) -> list[dict]:
    up = "../" * len([p for p in from_dir.split("/") if p])
    out = []
    for pid in bundle["regions"][region].get("policies", []):
        pol = bundle["policies"].get(pid, {})
        out.append({"id": pid, "title": pol.get("title", pid), "doc_number": pol.get("doc_number", pid),
                    "issuer": pol.get("issuer", ""), "date": pol.get("date", ""), "years": pol.get("years", ""),
                    "link": up + pol.get("page", f"policies/{pid}.md")})
    return out


def reference_model(bundle: dict, region: str) -> dict:
    labels = Labels(bundle["case"])
    rules = _region_rules(bundle, region)
    dup = Counter(r["id"] for r in rules)
    shared = [r for r in rules if r.get("type") == "cap"]
    view = lambda r: rule_view(r, bundle, labels, dup, shared, "reference")  # noqa: E731
    by_kind: dict[str, list] = {}
    by_type: dict[str, list] = {}
    for r in rules:
        (by_kind.setdefault(r["kind"], []) if "kind" in r else by_type.setdefault(r["type"], [])).append(r)
    kind_groups = []
    for kind, spec in labels.kinds.items():
        if kind in by_kind:
            kind_groups.append({"kind": kind, "label": labels.kind(kind), "help": spec.get("help") or "",
                                "anchor": f"kind-{kind}", "rules": [view(r) for r in by_kind[kind]]})
    type_groups = [{"type": t, "label": labels.rule_type(t), "anchor": t.replace("_", "-"),
                    "always": t in ALWAYS_LISTED, "rules": [view(r) for r in by_type.get(t, [])]}
                   for t in labels.rule_types]
    years = sorted({y for r in rules for y in _years(r["in_force"], rules)})
    return {
        "region": region,
        "name": bundle["regions"][region]["name"],
        "policies": policies_of(bundle, region, "reference"),
        "has_rules": bool(rules),
        "rule_count": len(rules),
        "covered": covered_years(bundle, region),
        "type_groups": type_groups,
        "kind_groups": kind_groups,
        "unrecognised": [{"kind": k, "label": labels.kind(k)} for k in labels.kinds if k not in by_kind],
        "readings": readings_model(bundle, region, labels, rules, dup),
        "years": years,
    }


def reading_anchor(reading_id: str) -> str:
    return "reading-" + reading_id.replace(".", "-")


def readings_model(bundle: dict, region: str, labels: Labels, rules: list, dup: Counter) -> list[dict]:
    """The region's named readings: the question, the clause, the default and what each other option changes."""
    by_id: dict[str, list] = {}
    for r in rules:
        by_id.setdefault(r["id"], []).append(r)
    out = []
    for rid, reading in (bundle.get("readings") or {}).items():
        if reading["region"] != region:
            continue
        options = []
        for name, option in reading["options"].items():
            changes = []
            for rule_id, change in (option.get("rules") or {}).items():
                for rule in by_id.get(rule_id, []):
                    what = _changes(labels, rule, change)
                    if what:  # a period of the rule the option leaves as it is is not listed
                        changes.append({"rule": rule_id, "years": years_label(rule["in_force"]),
                                        "anchor": section_id(rule, dup[rule_id] > 1), "what": what})
            options.append({"id": name, "label": option["label"], "default": name == reading["default"],
                            "changes": changes})
        out.append({"id": rid, "anchor": reading_anchor(rid), "question": reading["question"],
                    "link": policy_link(reading, bundle, "reference"), "cite": reading["cite"],
                    "notes": list(reading.get("notes") or []), "options": options})
    return out


def _changes(labels: Labels, rule: dict, change: dict) -> list[str]:
    """One option's overrides of one rule, in words ("名称：原值 → 新值")."""
    out = []
    spec = spec_of(rule)
    for name, value in change.items():
        if name == "params" and isinstance(value, dict):
            new_spec = spec_of({**rule, **change}) or spec
            for pname, pvalue in value.items():
                old_value = (rule.get("params") or {}).get(pname)
                if old_value is None and pvalue is None:
                    continue  # removes what this rule does not have
                declared = (new_spec and new_spec.param(pname)) or (spec and spec.param(pname))
                old = param_text(labels, rule, spec, pname, old_value) if old_value is not None else "（未写）"
                new = param_text(labels, rule, new_spec, pname, pvalue)
                out.append(f"{declared.meaning if declared else pname}：{old} → {new}")
            continue
        field = {"in_force": "施行年度", "applies_if": "适用条件", "method": "折算方法"}.get(name, name)
        old = changed_text(labels, rule, name, rule.get(name)) if rule.get(name) is not None else "（无）"
        out.append(f"{field}：{old} → {changed_text(labels, rule, name, value)}")
    return out


def _years(span: dict, rules: list) -> range:
    last = max([r["in_force"].get("until", _start(r["in_force"])) for r in rules] +
               [_start(r["in_force"]) for r in rules])
    return range(_start(span), (span.get("until") or last) + 1)


def changes_model(bundle: dict, region: str) -> dict:
    """What applied in the first year, and what began and ended in each later year."""
    labels = Labels(bundle["case"])
    rules = _region_rules(bundle, region)
    if not rules:
        raise ValueError(f"region {region!r} has no rules")
    dup = Counter(r["id"] for r in rules)
    first = min(_start(r["in_force"]) for r in rules)
    last = max([_start(r["in_force"]) for r in rules] +
               [r["in_force"]["until"] + 1 for r in rules if "until" in r["in_force"]])
    years = list(range(first, last + 1))

    def in_force(r, y):
        s = r["in_force"]
        return s.get("from", y) <= y and ("until" not in s or y <= s["until"])

    def label(k):
        return labels.kind(k) if k in labels.kinds else labels.rule_type(k)

    def item(r):
        return {"id": r["id"], "topic": topic(r), "topic_label": labels.topic(r),
                "years": years_label(r["in_force"]),
                "summary": r.get("summary") or "；".join(describe(r, labels)) or _title(r, labels),
                "conditions": conditions(r, labels),
                "ref": f"../reference/{region}.md#{section_id(r, dup[r['id']] > 1)}",
                "link": policy_link(r, bundle, "changes"),
                "cite_label": bundle["policies"].get(r["cite"].split("#")[0], {}).get("doc_number", r["cite"])}

    order = {k: i for i, k in enumerate([*labels.rule_types, *labels.kinds])}
    sort = lambda rs: sorted(rs, key=lambda r: (order.get(topic(r), 999), r["id"]))  # noqa: E731

    baseline = [item(r) for r in sort([r for r in rules if in_force(r, first)])]
    steps = []
    for y in years[1:]:
        began = [r for r in rules if r["in_force"].get("from") == y]
        ended = [r for r in rules if r["in_force"].get("until") == y - 1]
        began_ids = {r["id"] for r in began}
        ended_ids = {r["id"] for r in ended}
        replaced = [{"old": item(o), "new": item(n)} for o in sort(ended) for n in began
                    if o["id"] == n["id"]]
        added = [item(r) for r in sort(began) if r["id"] not in ended_ids]
        stopped = [item(r) for r in sort(ended) if r["id"] not in began_ids]
        kinds_before = {topic(r) for r in rules if in_force(r, y - 1)}
        kinds_now = {topic(r) for r in rules if in_force(r, y)}
        steps.append({
            "year": y,
            "added": added,
            "replaced": replaced,
            "ended": stopped,
            "new_kinds": [label(k) for k in sorted(kinds_now - kinds_before, key=lambda k: order.get(k, 999))],
            "gone_kinds": [label(k) for k in sorted(kinds_before - kinds_now, key=lambda k: order.get(k, 999))],
        })
    kinds = sorted({topic(r) for r in rules}, key=lambda k: order.get(k, 999))
    matrix = []
    for k in kinds:
        cells = []
        prev = None
        for y in years:
            ids = sorted(section_id(r, dup[r["id"]] > 1) for r in rules if topic(r) == k and in_force(r, y))
            cells.append({"year": y, "count": len(ids), "changed": prev is not None and ids != prev})
            prev = ids
        matrix.append({"topic": k, "label": label(k), "cells": cells})
    return {
        "region": region,
        "name": bundle["regions"][region]["name"],
        "first": first,
        "last": last,
        "years": years,
        "policies": policies_of(bundle, region, "changes"),
        "baseline": baseline,
        "steps": steps,
        "matrix": matrix,
    }


def regions_model(bundle: dict) -> list[dict]:
    out = []
    for region, spec in bundle["regions"].items():
        rules = [r for r in bundle["rules"] if r.get("region") == region]
        out.append({"region": region, "name": spec["name"], "policies": policies_of(bundle, region, ""),
                    "covered": covered_years(bundle, region), "rule_count": len(rules),
                    "reference": f"reference/{region}.md"})
    return out
