"""Compile the YAML rule data into the JSON bundle shipped with the package.

Build-time only (needs PyYAML). Refuses rule data with a missing citation, an
unknown field, parameters its method or rule type does not declare (or lacks, or
of the wrong type; ruleset/params.py), a subject its method does not allow, or
overlapping / gapped years in force, naming file and line.

    python -m ruleset.compile            # write ruleset/data/bundle.json
    python -m ruleset.compile --check    # exit 1 if the bundle is stale
"""
from __future__ import annotations

import datetime
import hashlib
import json
import re
import sys
from pathlib import Path

import yaml

from . import params as declared
from .readings import apply_readings
from .rule_types import COMMON_FIELDS, CONVERSION_FIELDS, KIND_CAP, REQUIRED_FIELDS, RULE_TYPES

PACKAGE = Path(__file__).resolve().parent
RULES_DIR = PACKAGE / "rules"
BUNDLE = PACKAGE / "data" / "bundle.json"
REPO = PACKAGE.parent

READING_KEYS = {"reading", "cite", "question", "default", "options", "notes"}
OPTION_KEYS = {"label", "rules"}
CITE_RE = re.compile(r"^([a-z0-9-]+)#([a-z0-9][a-z0-9-]*)$")
PLACEHOLDER = "TODO"  # what `python -m ruleset new-region|new-policy` leaves to be filled in


class RuleDataError(Exception):
    """A problem in the rule data, located by file and line."""

    def __init__(self, path: Path, line: int | None, message: str):
        rel = path.relative_to(REPO) if path.is_absolute() and path.is_relative_to(REPO) else path
        super().__init__(f"{rel}:{line or '?'}: {message}")


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that records each mapping's line as `__line__`."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Keep dates as text: the bundle is JSON.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _strip_lines(value):
    if isinstance(value, dict):
        return {str(k): _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _load(path: Path):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleDataError(path, mark.line + 1 if mark else None, f"YAML error: {exc}") from None


def source_files() -> list[Path]:
    return sorted(p for p in RULES_DIR.rglob("*.yaml"))


def source_digest() -> str:
    h = hashlib.sha256()
    for p in source_files():
        h.update(str(p.relative_to(RULES_DIR)).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def placeholders(value, where: str = "") -> list[str]:
    """Dotted paths of the values in `value` that still hold the scaffold's placeholder."""
    if isinstance(value, dict):
        return [p for k, v in value.items() if k != "__line__"
                for p in placeholders(v, f"{where}.{k}" if where else str(k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in placeholders(v, f"{where}[{i}]")]
    return [where or "(value)"] if isinstance(value, str) and PLACEHOLDER in value else []


def _refuse_placeholders(value: dict, path: Path, what: str) -> None:
    found = placeholders(value)
    if found:
        raise RuleDataError(path, value.get("__line__"), f"{what} still holds the placeholder {PLACEHOLDER} in "
                            f"{', '.join(found)}: fill it in from the notice (CONTRIBUTING.md)")


def _check_rule(rule: dict, path: Path, policies: dict, region: str, case: dict) -> None:
    """One rule: its fields, citation, years, and its params against its method or rule type."""
    line = rule.get("__line__")
    rid = rule.get("id")
    _refuse_placeholders(rule, path, f"rule {rid!r}")
    kinds = case["kinds"]
    if ("kind" in rule) == ("type" in rule):
        both = " (not both)" if "kind" in rule else ""
        raise RuleDataError(path, line, f"rule {rid!r} needs `kind` (the activity kind it converts) or `type` "
                                        f"({' | '.join(RULE_TYPES)}){both}")
    if "type" in rule:
        rule_type = RULE_TYPES.get(rule["type"]) if rule["type"] in case["rule_types"] else None
        if rule_type is None:
            raise RuleDataError(path, line, f"rule {rid!r}: unknown type {rule['type']!r} "
                                            f"(case.yaml rule_types: {', '.join(case['rule_types'])})")
        allowed = {"type", "params", *COMMON_FIELDS, *rule_type.fields}
        required = {*REQUIRED_FIELDS, *rule_type.required}
    else:
        if rule["kind"] not in kinds:
            hint = f"; a rule of type {rule['kind']} says `type: {rule['kind']}`" if rule["kind"] in RULE_TYPES else ""
            raise RuleDataError(path, line, f"rule {rid!r}: unknown kind {rule['kind']!r}{hint}")
        allowed, required = {*COMMON_FIELDS, *CONVERSION_FIELDS}, {*REQUIRED_FIELDS, "method"}
    unknown = set(rule) - allowed - {"__line__"}
    if unknown:
        raise RuleDataError(path, line, f"unknown field(s) {sorted(unknown)} in rule {rid!r}")
    missing = required - set(rule)
    if missing:
        raise RuleDataError(path, line, f"rule {rid!r} lacks {sorted(missing)}")
    if not str(rule["id"]).startswith(region + "."):
        raise RuleDataError(path, line, f"rule id {rule['id']!r} must start with '{region}.'")
    cite = rule["cite"]
    m = CITE_RE.match(str(cite or ""))
    if not m:
        raise RuleDataError(path, line, f"rule {rule['id']!r}: citation {cite!r} is not '<policy>#<anchor>'")
    if m.group(1) not in policies:
        raise RuleDataError(path, line, f"rule {rule['id']!r}: unknown policy {m.group(1)!r}")
    _check_checked(rule, path, line, policies[m.group(1)])
    if not str(rule["text"]).strip():
        raise RuleDataError(path, line, f"rule {rule['id']!r}: empty clause text")
    span = rule["in_force"]
    keys = set(span) - {"__line__"} if isinstance(span, dict) else set()
    if not keys or keys - {"from", "until"} or any(type(span[k]) is not int for k in keys):
        raise RuleDataError(path, line, f"rule {rule['id']!r}: in_force must be {{from: Y[, until: Y]}} "
                                        f"or, for a notice that sets no first year, {{until: Y}}")
    if "from" in span and "until" in span and span["until"] < span["from"]:
        raise RuleDataError(path, line, f"rule {rule['id']!r}: in_force ends before it starts")
    if rule.get("type") == "cap":
        if not str(rule["label"]).strip():
            raise RuleDataError(path, line, f"cap {rule['id']!r} needs a Chinese label")
        if not rule["kinds"]:
            raise RuleDataError(path, line, f"cap {rule['id']!r} names no kinds")
        for k in rule["kinds"]:
            if k not in kinds:
                raise RuleDataError(path, line, f"cap {rule['id']!r}: unknown kind {k!r}")
    fields = _fields_in_reach(rule, case)
    for field in (rule.get("applies_if") or {}):
        if field not in fields and field not in ("kind", "year", "__line__", "flag"):
            raise RuleDataError(path, line, f"rule {rule['id']!r}: applies_if on unknown field {field!r}")
    _check_notes(rule, path, line, case, fields)
    if "type" in rule:
        spec = RULE_TYPES[rule["type"]].spec
    else:
        spec = _conversion(rule, path, case, fields)
    scope = _scope(rule, case)
    problems = declared.check(spec, _strip_lines(rule.get("params") or {}), scope)
    if "cap" in rule:
        problems += declared.check(KIND_CAP, _strip_lines(rule["cap"]), scope, "cap")
    if problems:
        raise RuleDataError(path, line, f"rule {rule['id']!r} ({spec.name}): " + "; ".join(problems))


def _check_notes(rule: dict, path: Path, line, case: dict, fields: dict) -> None:
    """Each note is text, or, on a conversion rule, {text, applies_if} shown only when its condition
    holds for the activity and case (keys as a rule's applies_if: the kind's fields, `flag`)."""
    flags = case["profile"]["flags"]["enum"]
    for note in rule.get("notes") or []:
        if isinstance(note, str) and note.strip():
            continue
        cond = note.get("applies_if") if isinstance(note, dict) else None
        ok = ("kind" in rule and isinstance(cond, dict) and set(note) - {"__line__"} == {"text", "applies_if"}
              and isinstance(note["text"], str) and note["text"].strip()
              and all(k in fields or k == "flag" for k in cond if k != "__line__")
              and all(v in flags for v in (lambda w: w if isinstance(w, list) else [w])(cond.get("flag", []))))
        if not ok:
            raise RuleDataError(path, (note.get("__line__") if isinstance(note, dict) else None) or line,
                                f"rule {rule['id']!r}: a note is text, or on a conversion rule "
                                f"{{text, applies_if}} with fields of its kind or `flag` (case.yaml flags)")


def _conversion(rule: dict, path: Path, case: dict, fields: dict) -> declared.Spec:
    """The declaration of a conversion rule's method, once its subject and `requires` are checked."""
    from .methods import SPECS  # the engine's own registry

    line = rule.get("__line__")
    spec = SPECS.get(rule["method"])
    if spec is None:
        raise RuleDataError(path, line, f"rule {rule['id']!r}: unknown method {rule['method']!r}")
    if "subject" in rule:
        subjects = [*case["fields"]["subject"]["enum"], *case["rule_subjects"]]
        if rule["subject"] not in subjects:
            raise RuleDataError(path, line, f"rule {rule['id']!r}: subject {rule['subject']!r} unknown "
                                            f"({' | '.join(subjects)})")
        if rule["subject"] not in spec.subjects:
            raise RuleDataError(path, line, f"rule {rule['id']!r}: method {spec.name} takes subject "
                                            f"{' | '.join(spec.subjects)}, not {rule['subject']!r}")
        if rule["subject"] == "choice" and "subject" not in fields:
            raise RuleDataError(path, line, f"rule {rule['id']!r}: subject choice reads the activity's `subject`, "
                                            f"which kind {rule['kind']!r} does not have")
    for req in rule.get("requires") or []:
        if not isinstance(req, dict) or req.get("field") not in fields or not req.get("message"):
            raise RuleDataError(path, line, f"rule {rule['id']!r}: each of `requires` is {{field, message}} "
                                            f"with a field of kind {rule['kind']!r}")
    return spec


def _fields_in_reach(rule: dict, case: dict) -> dict:
    """The case fields a rule's conditions and params may name: its kind's, or the profile's."""
    if "kind" not in rule:
        return case["profile"]
    base = case["fields"]
    return {name: {**(base.get(name) or {}), **(override or {})}
            for name, override in (case["kinds"][rule["kind"]].get("fields") or {}).items()}


def _scope(rule: dict, case: dict) -> declared.Scope:
    from .methods import SPECS

    return declared.Scope(_fields_in_reach(rule, case), SPECS, case, {} if "type" in rule else case["fields"])


def _check_checked(rule: dict, path: Path, line: int | None, policy: dict) -> None:
    """`checked`: the date (YYYY-MM-DD) the rule was last checked against its notice; on or
    after the notice's date and not in the future."""
    text = str(rule["checked"])
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise RuleDataError(path, line, f"rule {rule['id']!r}: checked {text!r} is not a date YYYY-MM-DD "
                                        "(the day the rule was last checked against the notice)") from None
    issued = str(policy.get("date") or "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", issued) and day < datetime.date.fromisoformat(issued):
        raise RuleDataError(path, line, f"rule {rule['id']!r}: checked {text} is before its notice's date {issued}")
    if day > datetime.date.today():
        raise RuleDataError(path, line, f"rule {rule['id']!r}: checked {text} is in the future")


def _check_reading(reading: dict, path: Path, policies: dict, region: str) -> None:
    """A named reading's own shape: id, citation, question, default and labelled options."""
    line = reading.get("__line__")
    rid = reading.get("reading")
    _refuse_placeholders(reading, path, f"reading {rid!r}")
    unknown = set(reading) - READING_KEYS - {"__line__"}
    if unknown:
        raise RuleDataError(path, line, f"unknown field(s) {sorted(unknown)} in reading {rid!r}")
    if not str(rid or "").startswith(region + "."):
        raise RuleDataError(path, line, f"reading id {rid!r} must start with '{region}.'")
    for key in ("cite", "question", "default", "options"):
        if not reading.get(key):
            raise RuleDataError(path, line, f"reading {rid!r} lacks {key!r}")
    m = CITE_RE.match(str(reading["cite"]))
    if not m or m.group(1) not in policies:
        raise RuleDataError(path, line, f"reading {rid!r}: citation {reading['cite']!r} is not '<policy>#<anchor>'")
    options = {k: v for k, v in reading["options"].items() if k != "__line__"}
    if len(options) < 2:
        raise RuleDataError(path, line, f"reading {rid!r} needs at least two options")
    if reading["default"] not in options:
        raise RuleDataError(path, line, f"reading {rid!r}: default {reading['default']!r} is not one of its options")
    for name, option in options.items():
        if not isinstance(option, dict) or not option.get("label"):
            raise RuleDataError(path, line, f"reading {rid!r}: option {name!r} needs a Chinese label")
        if set(option) - OPTION_KEYS - {"__line__"}:
            raise RuleDataError(path, line, f"reading {rid!r}: option {name!r} has unknown field(s) "
                                            f"{sorted(set(option) - OPTION_KEYS - {'__line__'})}")
        if name == reading["default"] and option.get("rules"):
            raise RuleDataError(path, line, f"reading {rid!r}: the default option is the rule data as written "
                                            "and changes no rule")
        if name != reading["default"] and not option.get("rules"):
            raise RuleDataError(path, line, f"reading {rid!r}: option {name!r} changes no rule")


def _compile_readings(readings: list, collected: list, policies: dict, case: dict) -> dict:
    """Readings as the bundle keeps them; every alternative must compile as rule data of its own."""
    ids = {rule["id"] for rule, _, _ in collected}
    out: dict = {}
    for reading, path, region in readings:
        line = reading.get("__line__")
        clean = _strip_lines(reading)
        rid = clean.pop("reading")
        if rid in out:
            raise RuleDataError(path, line, f"reading id {rid!r} is used twice")
        targets: list[str] = []
        for name, option in clean["options"].items():
            for rule_id, change in (option.get("rules") or {}).items():
                if rule_id not in ids:
                    raise RuleDataError(path, line, f"reading {rid!r}: option {name!r} changes unknown rule {rule_id!r}")
                if not isinstance(change, dict) or {"id", "kind", "type"} & set(change):
                    raise RuleDataError(path, line, f"reading {rid!r}: option {name!r} may not change a rule's id, "
                                                    "kind or type")
                if rule_id not in targets:
                    targets.append(rule_id)
        policy, anchor = clean["cite"].split("#", 1)
        out[rid] = {"id": rid, "region": region, **clean, "source": f"policies/{policy}/#{anchor}",
                    "rules": targets, "file": "ruleset/rules/" + path.relative_to(RULES_DIR).as_posix(),
                    "line": line}
        for name in clean["options"]:
            if name == clean["default"]:
                continue
            changed = apply_readings([r for r, _, _ in collected], out, {rid: name})
            try:
                for rule, (_, rpath, rregion) in zip(changed, collected):
                    if rule["id"] in targets:
                        _check_rule(rule, rpath, policies, rregion, case)
                _check_years([(rule, rpath, rregion) for rule, (_, rpath, rregion) in zip(changed, collected)])
            except RuleDataError as exc:
                raise RuleDataError(path, line, f"reading {rid!r}, option {name!r}: {exc}") from None
    return out


def _group_key(rule: dict, region: str) -> str:
    """Rules with the same key may not be in force in the same year (a concurrent type's rules are apart by id)."""
    concurrent = "type" in rule and RULE_TYPES[rule["type"]].concurrent
    return json.dumps([region, rule.get("kind"), rule.get("type"), rule.get("flag"), rule.get("applies_if"),
                       rule["id"] if concurrent else None], sort_keys=True, ensure_ascii=False)


def _check_years(rules: list[tuple[dict, Path, str]]) -> None:
    groups: dict[str, list[tuple[dict, Path]]] = {}
    for rule, path, region in rules:
        groups.setdefault(_group_key(_strip_lines(rule), region), []).append((rule, path))
    for members in groups.values():
        # an open start ({until: Y}) sorts first; a second open start overlaps it
        members.sort(key=lambda rp: rp[0]["in_force"].get("from", -1))
        for (a, _), (b, path) in zip(members, members[1:]):
            a_until = a["in_force"].get("until")
            b_from = b["in_force"].get("from")
            if a_until is None or b_from is None or a_until >= b_from:
                raise RuleDataError(path, b.get("__line__"),
                                    f"rule {b['id']!r} ({b_from or ''}–{b['in_force'].get('until') or ''}) overlaps "
                                    f"{a['id']!r} ({a['in_force'].get('from') or ''}–{a_until or ''})")
            if a_until + 1 != b_from:
                raise RuleDataError(path, b.get("__line__"),
                                    f"rule {b['id']!r} starts {b_from} but {a['id']!r} ended {a_until}: "
                                    f"years {a_until + 1}–{b_from - 1} have no rule")


def _check_vocabulary(case: dict, path: Path) -> None:
    """case.yaml's units and rule types agree with the code declaring them; every template names declared params."""
    from .methods import SPECS

    units = [u for u in case.get("units") or {} if u != "__line__"]
    if not units or units[0] != "hour" or any(not (case["units"][u] or {}).get("label") for u in units):
        raise RuleDataError(path, (case.get("units") or {}).get("__line__"),
                            "units: hour (the default, first) and credit, each with a Chinese label")
    types = {t for t in case.get("rule_types") or {} if t != "__line__"}
    if types & set(case["kinds"]):
        raise RuleDataError(path, None, f"{sorted(types & set(case['kinds']))} name both a kind and a rule type")
    if types != set(RULE_TYPES) or any(not case["rule_types"][t].get("label") for t in types):
        raise RuleDataError(path, (case.get("rule_types") or {}).get("__line__"),
                            f"rule_types must be exactly those ruleset/rule_types.py declares ({', '.join(RULE_TYPES)}), "
                            "each with a Chinese label")
    specs = [*SPECS.values(), *(t.spec for t in RULE_TYPES.values())]
    for spec in specs:
        for piece in spec.describe:
            for mark, name in declared.placeholders(piece):
                if mark != "@" and name != "unit" and spec.param(name.split(".")[0]) is None:
                    raise RuleDataError(path, None, f"the description of {spec.name} names {{{name}}}, "
                                                    "which it does not declare")


def _check_shown_if(case: dict, kind_name: str, field: str, path: Path) -> None:
    """A kind field's `shown_if`: one other field of the kind, and values that field can hold."""
    override = case["kinds"][kind_name]["fields"][field] or {}
    cond = override.get("shown_if")
    if cond is None:
        return
    fields = case["kinds"][kind_name]["fields"]
    keys = [k for k in cond if k != "__line__"] if isinstance(cond, dict) else []
    if len(keys) != 1 or keys[0] == field or keys[0] not in fields:
        raise RuleDataError(path, override.get("__line__"), f"kind {kind_name!r}, field {field!r}: shown_if is "
                                                            "{other field of the kind: value or [values]}")
    other = {**case["fields"][keys[0]], **(fields[keys[0]] or {})}
    allowed = list(other.get("enum") or []) if other["type"] == "enum" else [True, False] if other["type"] == "bool" \
        else None
    values = cond[keys[0]] if isinstance(cond[keys[0]], list) else [cond[keys[0]]]
    if allowed is None or any(v not in allowed for v in values):
        raise RuleDataError(path, override.get("__line__"), f"kind {kind_name!r}, field {field!r}: shown_if "
                                                            f"{keys[0]} takes values of an enum or yes/no field "
                                                            f"({allowed})")


def build() -> dict:
    case_path = RULES_DIR / "case.yaml"
    case = _load(case_path)
    policies_path = RULES_DIR / "policies.yaml"
    policies = _load(policies_path)
    for pid, policy in policies.items():
        if pid != "__line__":
            _refuse_placeholders(policy, policies_path, f"policy {pid!r}")
    kinds = case["kinds"]
    vocabulary = _strip_lines(case)
    _check_vocabulary(case, case_path)
    for kind_name, kind in kinds.items():
        if kind_name == "__line__":
            continue
        for field in (kind.get("fields") or {}):
            if field == "__line__":
                continue
            if field not in case["fields"]:
                raise RuleDataError(case_path, kind.get("__line__"), f"kind {kind_name!r}: unknown field {field!r}")
            _check_shown_if(case, kind_name, field, case_path)
    for item in case.get("plan") or []:
        if item.get("kind") not in kinds or item.get("scale") not in (kinds[item["kind"]].get("fields") or {}):
            raise RuleDataError(case_path, item.get("__line__"), f"plan entry {item.get('label')!r}: unknown kind "
                                                                 f"or a scale field the kind does not have")
    collected: list[tuple[dict, Path, str]] = []
    readings: list[tuple[dict, Path, str]] = []
    for path in source_files():
        rel = path.relative_to(RULES_DIR)
        if len(rel.parts) != 2:
            continue
        region = rel.parts[0]
        if region not in case["regions"]:
            raise RuleDataError(path, 1, f"directory {region!r} is not a region in case.yaml")
        data = _load(path)
        if data is None:
            continue
        if not isinstance(data, list):
            raise RuleDataError(path, 1, "a rule file holds a list of rules")
        for rule in data:
            if not isinstance(rule, dict):
                raise RuleDataError(path, None, "each rule is a mapping")
            if "reading" in rule:
                _check_reading(rule, path, policies, region)
                readings.append((rule, path, region))
                continue
            _check_rule(rule, path, policies, region, vocabulary)
            collected.append((rule, path, region))
    _check_years(collected)
    with_requirement = {region for rule, _, region in collected if rule.get("type") == "requirement"}
    for rid, region in case["regions"].items():
        if rid != "__line__" and rid not in with_requirement:
            raise RuleDataError(case_path, region.get("__line__"),
                                f"region {rid!r} has no requirement rule: add its notice with "
                                f"`python -m ruleset new-policy ID --region {rid} …` and fill in the placeholders")
    seen: dict[str, str] = {}
    rules = []
    for rule, path, region in collected:
        clean = _strip_lines(rule)
        key = _group_key(clean, region)
        if seen.setdefault(clean["id"], key) != key:
            raise RuleDataError(path, rule.get("__line__"), f"rule id {clean['id']!r} is used for two different rules")
        policy, anchor = clean["cite"].split("#", 1)
        clean["region"] = region
        clean["source"] = f"policies/{policy}/#{anchor}"
        clean["file"] = "ruleset/rules/" + path.relative_to(RULES_DIR).as_posix()
        clean["line"] = rule.get("__line__")
        rules.append(clean)
    compiled_readings = _compile_readings(readings, collected, policies, vocabulary)
    for rule in rules:
        concerned = [rid for rid, r in compiled_readings.items() if rule["id"] in r["rules"]]
        if concerned:
            rule["readings"] = concerned
    pol = {}
    for pid, p in _strip_lines(policies).items():
        pol[pid] = {**p, "date": str(p["date"]), "page": f"policies/{pid}.md"}
    regions = {}
    for rid, r in _strip_lines(case["regions"]).items():
        regions[rid] = {**r, "policies": [pid for pid, p in pol.items() if p["region"] == rid]}
    return {
        "version": 1,
        "source_digest": source_digest(),
        "policies": pol,
        "regions": regions,
        "case": {k: vocabulary[k] for k in ("case_fields", "profile", "fields", "kinds", "plan", "units", "bool_labels",
                                       "rule_types", "rule_subjects")},
        "rules": rules,
        "readings": compiled_readings,
    }


def render(bundle: dict) -> str:
    return json.dumps(bundle, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        text = render(build())
    except RuleDataError as exc:
        print(f"rule data error: {exc}", file=sys.stderr)
        return 1
    if "--check" in argv:
        current = BUNDLE.read_text(encoding="utf-8") if BUNDLE.exists() else ""
        if current != text:
            print("ruleset/data/bundle.json is stale: run `python -m ruleset.compile`", file=sys.stderr)
            return 1
        return 0
    BUNDLE.parent.mkdir(parents=True, exist_ok=True)
    if not BUNDLE.exists() or BUNDLE.read_text(encoding="utf-8") != text:
        BUNDLE.write_text(text, encoding="utf-8")
        print(f"wrote {BUNDLE.relative_to(REPO)} ({len(text)} bytes, {text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
