"""Compile the YAML rule data into the JSON bundle shipped with the package.

Build-time only (needs PyYAML). Refuses rule data with a missing citation, an
unknown field, or overlapping / gapped years in force, naming file and line.

    python -m ruleset.compile            # write ruleset/data/bundle.json
    python -m ruleset.compile --check    # exit 1 if the bundle is stale
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import yaml

from .readings import apply_readings

PACKAGE = Path(__file__).resolve().parent
RULES_DIR = PACKAGE / "rules"
BUNDLE = PACKAGE / "data" / "bundle.json"
REPO = PACKAGE.parent

RULE_KEYS = {
    "id", "kind", "in_force", "cite", "text", "subject", "method", "params", "cap",
    "during_tenure", "evidence", "notes", "applies_if", "requires", "summary",
    "kinds", "flag", "label",
}
REQUIRED_KEYS = {"id", "kind", "in_force", "cite", "text"}
READING_KEYS = {"reading", "cite", "question", "default", "options", "notes"}
OPTION_KEYS = {"label", "rules"}
SUBJECTS = {"public", "professional", "choice", "both", "total"}
SPECIAL_KINDS = {"requirement", "cap", "title", "exemption", "industry", "period_requirement"}
CITE_RE = re.compile(r"^([a-z0-9-]+)#([a-z0-9][a-z0-9-]*)$")


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


def _check_rule(rule: dict, path: Path, policies: dict, region: str, kinds: dict,
                profile_fields: dict) -> None:
    line = rule.get("__line__")
    unknown = set(rule) - RULE_KEYS - {"__line__"}
    if unknown:
        raise RuleDataError(path, line, f"unknown field(s) {sorted(unknown)} in rule {rule.get('id')!r}")
    missing = REQUIRED_KEYS - set(rule)
    if missing:
        raise RuleDataError(path, line, f"rule {rule.get('id')!r} lacks {sorted(missing)}")
    if not str(rule["id"]).startswith(region + "."):
        raise RuleDataError(path, line, f"rule id {rule['id']!r} must start with '{region}.'")
    cite = rule["cite"]
    m = CITE_RE.match(str(cite or ""))
    if not m:
        raise RuleDataError(path, line, f"rule {rule['id']!r}: citation {cite!r} is not '<policy>#<anchor>'")
    if m.group(1) not in policies:
        raise RuleDataError(path, line, f"rule {rule['id']!r}: unknown policy {m.group(1)!r}")
    if not str(rule["text"]).strip():
        raise RuleDataError(path, line, f"rule {rule['id']!r}: empty clause text")
    kind = rule["kind"]
    if kind not in kinds and kind not in SPECIAL_KINDS:
        raise RuleDataError(path, line, f"rule {rule['id']!r}: unknown kind {kind!r}")
    if kind == "cap":
        if not rule.get("label"):
            raise RuleDataError(path, line, f"cap {rule['id']!r} needs a Chinese label")
        for k in rule.get("kinds") or []:
            if k not in kinds:
                raise RuleDataError(path, line, f"cap {rule['id']!r}: unknown kind {k!r}")
        if not rule.get("kinds"):
            raise RuleDataError(path, line, f"cap {rule['id']!r} names no kinds")
    elif kind in kinds and "method" not in rule:
        raise RuleDataError(path, line, f"rule {rule['id']!r} has no method")
    if "subject" in rule and rule["subject"] not in SUBJECTS:
        raise RuleDataError(path, line, f"rule {rule['id']!r}: subject {rule['subject']!r} unknown")
    span = rule["in_force"]
    if not isinstance(span, dict) or "from" not in span or set(span) - {"from", "until", "__line__"}:
        raise RuleDataError(path, line, f"rule {rule['id']!r}: in_force must be {{from: Y[, until: Y]}}")
    if "until" in span and span["until"] < span["from"]:
        raise RuleDataError(path, line, f"rule {rule['id']!r}: in_force ends before it starts")
    allowed = (kinds.get(kind, {}).get("fields") or {}) if kind in kinds else profile_fields
    for field in (rule.get("applies_if") or {}):
        if field not in allowed and field not in (
            "kind", "year", "__line__", "flag"):
            raise RuleDataError(path, line, f"rule {rule['id']!r}: applies_if on unknown field {field!r}")
    if kind in kinds:
        from .methods import METHODS  # the engine's own registry

        if rule["method"] not in METHODS:
            raise RuleDataError(path, line, f"rule {rule['id']!r}: unknown method {rule['method']!r}")


def _check_reading(reading: dict, path: Path, policies: dict, region: str) -> None:
    """A named reading's own shape: id, citation, question, default and labelled options."""
    line = reading.get("__line__")
    rid = reading.get("reading")
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


def _compile_readings(readings: list, collected: list, policies: dict, kinds: dict, profile_fields: dict) -> dict:
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
                if not isinstance(change, dict) or {"id", "kind"} & set(change):
                    raise RuleDataError(path, line, f"reading {rid!r}: option {name!r} may not change a rule's id or kind")
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
                        _check_rule(rule, rpath, policies, rregion, kinds, profile_fields)
                _check_years([(rule, rpath, rregion) for rule, (_, rpath, rregion) in zip(changed, collected)])
            except RuleDataError as exc:
                raise RuleDataError(path, line, f"reading {rid!r}, option {name!r}: {exc}") from None
    return out


def _group_key(rule: dict, region: str) -> str:
    return json.dumps([region, rule["kind"], rule.get("flag"), rule.get("applies_if"),
                       rule["id"] if rule["kind"] in ("cap", "exemption", "industry", "period_requirement") else None],
                      sort_keys=True, ensure_ascii=False)


def _check_years(rules: list[tuple[dict, Path, str]]) -> None:
    groups: dict[str, list[tuple[dict, Path]]] = {}
    for rule, path, region in rules:
        groups.setdefault(_group_key(_strip_lines(rule), region), []).append((rule, path))
    for members in groups.values():
        members.sort(key=lambda rp: rp[0]["in_force"]["from"])
        for (a, _), (b, path) in zip(members, members[1:]):
            a_until = a["in_force"].get("until")
            b_from = b["in_force"]["from"]
            if a_until is None or a_until >= b_from:
                raise RuleDataError(path, b.get("__line__"),
                                    f"rule {b['id']!r} ({b_from}–) overlaps {a['id']!r} "
                                    f"({a['in_force']['from']}–{a_until or ''})")
            if a_until + 1 != b_from:
                raise RuleDataError(path, b.get("__line__"),
                                    f"rule {b['id']!r} starts {b_from} but {a['id']!r} ended {a_until}: "
                                    f"years {a_until + 1}–{b_from - 1} have no rule")


def build() -> dict:
    case_path = RULES_DIR / "case.yaml"
    case = _load(case_path)
    policies_path = RULES_DIR / "policies.yaml"
    policies = _load(policies_path)
    kinds = case["kinds"]
    kinds_clean = _strip_lines(kinds)
    for kind_name, kind in kinds.items():
        if kind_name == "__line__":
            continue
        for field in (kind.get("fields") or {}):
            if field == "__line__":
                continue
            if field not in case["fields"]:
                raise RuleDataError(case_path, kind.get("__line__"), f"kind {kind_name!r}: unknown field {field!r}")
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
            _check_rule(rule, path, policies, region, kinds_clean, _strip_lines(case["profile"]))
            collected.append((rule, path, region))
    _check_years(collected)
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
    compiled_readings = _compile_readings(readings, collected, policies, kinds_clean, _strip_lines(case["profile"]))
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
        "case": {k: _strip_lines(case[k]) for k in ("case_fields", "profile", "fields", "kinds")},
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
