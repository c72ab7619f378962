"""Scaffold a new region or a new notice: the files a contributor fills in (CONTRIBUTING.md).

    python -m ruleset new-region ID --name 中文名
    python -m ruleset new-policy ID --region R --title … --doc-number … --issuer … --date YYYY-MM-DD

new-region adds the region to ruleset/rules/case.yaml. new-policy adds the notice to
ruleset/rules/policies.yaml and writes a policy page skeleton (docs/policies/ID.md, with anchor
examples), a requirement rule (appended to ruleset/rules/R/requirement.yaml, created if absent) and
a vector file (tests/vectors/R/ID.yaml). Values to be taken from the notice are left as the
placeholder TODO, which the compiler refuses (compile.PLACEHOLDER), so nothing half-filled compiles;
a region without a requirement rule is refused as well. Existing files, regions and policy ids are
never overwritten. Build-time tool, run from a checkout; needs PyYAML.
"""
from __future__ import annotations

import datetime
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REGION_RE = re.compile(r"^[a-z][a-z0-9_]*$")
POLICY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TODO = "TODO"


class ScaffoldError(Exception):
    """The scaffold refused: the message says why (nothing has been written)."""


@dataclass(frozen=True)
class Paths:
    rules: Path    # ruleset/rules (case.yaml, policies.yaml, <region>/*.yaml)
    pages: Path    # docs/policies
    vectors: Path  # tests/vectors

    @classmethod
    def checkout(cls) -> Paths:
        """The checkout's own sources (the rule directory as the compiler reads it)."""
        from . import compile as rcompile

        return cls(rcompile.RULES_DIR, rcompile.REPO / "docs" / "policies", rcompile.REPO / "tests" / "vectors")


def _yaml():
    import yaml

    return yaml


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    if text and "#" not in text and _yaml().safe_load(f"k: {text}") == {"k": text}:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow_scalar(text: str) -> str:
    """`text` as a scalar inside a flow mapping ({name: …})."""
    if text and not set(text) & set(",[]{}:#&*!|>'\"%@`") and _yaml().safe_load(f"{{k: {text}}}") == {"k": text}:
        return text
    return json.dumps(text, ensure_ascii=False)


def _rel(path: Path, paths: Paths) -> str:
    root = paths.rules.parent.parent
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _append(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old and not old.endswith("\n"):
        old += "\n"
    path.write_text(old + ("\n" if old.strip() else "") + text, encoding="utf-8")


def _load(path: Path):
    return _yaml().safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


# --------------------------------------------------------------------------- new-region

def new_region(region: str, name: str, paths: Paths | None = None) -> list[Path]:
    """Add `region` (Chinese `name`) to case.yaml -> the files changed."""
    paths = paths or Paths.checkout()
    if not REGION_RE.match(region):
        raise ScaffoldError(f"region id {region!r}: lowercase ASCII letters, digits and _, starting with a letter "
                            "(it becomes the rule directory and the prefix of rule ids)")
    if not name.strip():
        raise ScaffoldError("--name: the region's Chinese name (e.g. 济南市) is required")
    case_path = paths.rules / "case.yaml"
    case = _load(case_path) or {}
    if region in (case.get("regions") or {}):
        raise ScaffoldError(f"region {region!r} already exists in {_rel(case_path, paths)}")
    for where in (paths.rules / region, paths.vectors / region):
        if where.exists():
            raise ScaffoldError(f"{_rel(where, paths)} already exists")
    old = case_path.read_text(encoding="utf-8")
    lines = old.splitlines(keepends=True)
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip() == "regions:")
    except StopIteration:
        raise ScaffoldError(f"{_rel(case_path, paths)} has no top-level `regions:` block") from None
    end = start + 1
    while end < len(lines) and (lines[end].startswith("  ") or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # insert after the last entry, before the blank line that closes the block
    lines.insert(end, f"  {region}: {{name: {_flow_scalar(name.strip())}}}\n")
    new = "".join(lines)
    check = _yaml().safe_load(new)
    if (check.get("regions") or {}).get(region) != {"name": name.strip()}:
        raise ScaffoldError(f"could not add the region to {_rel(case_path, paths)} (unexpected layout); add "
                            f"`  {region}: {{name: {name}}}` under `regions:` by hand")
    case_path.write_text(new, encoding="utf-8")
    return [case_path]


# --------------------------------------------------------------------------- new-policy

def _date_zh(date: datetime.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _page(policy: str, title: str, doc_number: str, issuer: str, date: datetime.date) -> str:
    return f"""---
title: {_scalar(f"{title}（{doc_number}）")}
---

<!-- Transcribe the notice as published: every word and number as in the notice, nothing added.
     Anchors follow ARCHITECTURE.md "Citations and anchors": a heading gets {{#s1}}, a paragraph a
     `{{: #s1-1 }}` line right after it, a table row <span id="s1-table-1"></span> in its first cell;
     merged table cells stay merged (rowspan/colspan in an HTML table). The site's readings go in
     visible notes (!!! note), never into the notice's text. Remove this comment and every TODO. -->

!!! info "文件信息"

    - **标题**：{title}
    - **文号**：{doc_number}
    - **发文机关**：{issuer}
    - **发文日期**：{_date_zh(date)}
    - **本页规则涵盖年份**：{TODO}（如“{date.year} 年起”）
    - **转录说明**：本页据通知的原文转录，正文文字照录，仅作以下处理：
        - {TODO}：逐项写明对原文所作的技术处理（接合断行、删去多余空格、表格重排……）；没有则删去本项。
        - 标题与各级编号按原文保留；锚点（如 `#s1-1`）为本站所加，便于引用。

{TODO}：照录主送机关和通知的开头一段。
{{: #preamble }}

## 一、{TODO}：照录第一部分的标题 {{#s1}}

{TODO}：照录本部分没有编号的段落（第 n 段的锚点为 s1-pn）。
{{: #s1-p1 }}

（一）{TODO}：照录编号条文，例如“每年累计不少于90学时，其中公需科目不少于30学时……”。
{{: #s1-1 }}
"""


def _requirement_rule(region: str, policy: str, doc_number: str, year: int) -> str:
    return f"""# {doc_number}：每年学时要求
- id: {region}.requirement
  type: requirement
  in_force: {{from: {TODO}}}  # first year this notice governs, e.g. {year}; give the earlier rule `until`
  cite: {policy}#{TODO}  # the clause's anchor on docs/policies/{policy}.md, e.g. {policy}#s1-p1
  checked: {datetime.date.today().isoformat()}  # the day this rule was compared with the notice (tools/set_checked.py)
  text: {TODO}  # the clause's own words, as on the policy page (…… for parts left out)
  params: {{unit: hour, public: {TODO}, professional: {TODO}, total: {TODO}}}  # numbers from the clause
  summary: {TODO}  # one line in Chinese, e.g. 每年不少于 90 学时，其中公需科目 30、专业科目 60
  notes:
    - {TODO}：本站的解读（中文，显示给用户）；没有解读则删去 notes。
"""


def _vectors(region: str, policy: str, doc_number: str) -> str:
    return f"""# {doc_number}: one vector (at least) per rule; `clause` names the clause it exercises.
- name: {TODO} what this case shows, in English (e.g. 30 + 60 meets the yearly 90)
  clause: {policy}#{TODO}
  case:
    region: {region}
    activities:
      - {{kind: public_course, year: {TODO}, hours: {TODO}}}
  expect:
    years:
      "{TODO}": {{met: {TODO}, rule: {region}.requirement, required: {{public: {TODO}, professional: {TODO}, total: {TODO}}}}}
"""


def new_policy(policy: str, region: str, title: str, doc_number: str, issuer: str, date: str,
               paths: Paths | None = None) -> list[Path]:
    """Register a notice and write its page, requirement rule and vector skeletons -> the files written."""
    paths = paths or Paths.checkout()
    if not POLICY_RE.match(policy):
        raise ScaffoldError(f"policy id {policy!r}: lowercase ASCII letters and digits joined by hyphens, "
                            "e.g. jinan-2025-12 (region, year, document number)")
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        raise ScaffoldError(f"--date {date!r}: the notice's date as YYYY-MM-DD") from None
    for flag, value in (("--title", title), ("--doc-number", doc_number), ("--issuer", issuer)):
        if not value.strip():
            raise ScaffoldError(f"{flag} is required (as printed on the notice)")
    case = _load(paths.rules / "case.yaml") or {}
    if region not in (case.get("regions") or {}):
        raise ScaffoldError(f"unknown region {region!r}: add it first with "
                            f"`python -m ruleset new-region {region} --name 中文名`")
    policies_path = paths.rules / "policies.yaml"
    if policy in (_load(policies_path) or {}):
        raise ScaffoldError(f"policy {policy!r} already exists in {_rel(policies_path, paths)}")
    page = paths.pages / f"{policy}.md"
    vectors = paths.vectors / region / f"{policy}.yaml"
    for where in (page, vectors):
        if where.exists():
            raise ScaffoldError(f"{_rel(where, paths)} already exists")
    rules = paths.rules / region / "requirement.yaml"
    existing = _load(rules) or []
    if any(isinstance(r, dict) and TODO in json.dumps(r, ensure_ascii=False, default=str) for r in existing):
        raise ScaffoldError(f"{_rel(rules, paths)} still holds an unfilled requirement rule (TODO): fill it in "
                            "before scaffolding another notice for this region")

    entry = (f"{policy}:\n  region: {region}\n  title: {_scalar(title.strip())}\n"
             f"  doc_number: {_scalar(doc_number.strip())}\n  issuer: {_scalar(issuer.strip())}\n"
             f"  date: {day.isoformat()}\n  years: {TODO}（如“{day.year} 年起”）\n")
    old_policies = policies_path.read_text(encoding="utf-8")
    _append(policies_path, entry)
    loaded = (_load(policies_path) or {}).get(policy) or {}
    if loaded.get("title") != title.strip() or loaded.get("region") != region:
        policies_path.write_text(old_policies, encoding="utf-8")
        raise ScaffoldError(f"could not add the policy to {_rel(policies_path, paths)}; nothing written")
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(_page(policy, title.strip(), doc_number.strip(), issuer.strip(), day), encoding="utf-8")
    rules.parent.mkdir(parents=True, exist_ok=True)
    _append(rules, _requirement_rule(region, policy, doc_number.strip(), day.year))
    vectors.parent.mkdir(parents=True, exist_ok=True)
    vectors.write_text(_vectors(region, policy, doc_number.strip()), encoding="utf-8")
    return [policies_path, page, rules, vectors]


# --------------------------------------------------------------------------- command line

def _region_next(args, paths: Paths) -> str:
    return f"""
Next (CONTRIBUTING.md, "A new region"):
  1. python -m ruleset new-policy ID --region {args.id} --title … --doc-number … --issuer … --date YYYY-MM-DD
     (until then `make bundle` refuses: region {args.id!r} has no requirement rule)
  2. mkdocs.yml, nav → 政策文件, a group for the region:
         - {args.name}:
             - policies/ID.md"""


def _policy_next(args, written: list[Path], paths: Paths) -> str:
    case = _load(paths.rules / "case.yaml") or {}
    name = (case.get("regions") or {}).get(args.region, {}).get("name", args.region)
    return f"""
Next (CONTRIBUTING.md, "A new notice"):
  1. transcribe the notice into {_rel(written[1], paths)}, an anchor on every clause
  2. mkdocs.yml, nav → 政策文件 → {name}:  - policies/{args.id}.md
  3. fill every TODO in {_rel(written[2], paths)} and `years` in {_rel(written[0], paths)};
     if the region had a requirement rule already, give that rule `until:` (the year before)
  4. one rule file a topic under {_rel(written[2].parent, paths)}/, each citing {args.id}#<anchor>
  5. make bundle   (refuses while a TODO is left, naming file and line)
  6. fill {_rel(written[3], paths)}: a vector a rule; then python -m ruleset coverage {args.region}
  7. make test"""


def cmd_new_region(args) -> int:
    paths = Paths.checkout()
    try:
        written = new_region(args.id, args.name, paths)
    except ScaffoldError as exc:
        print(f"new-region: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"updated {_rel(path, paths)}")
    print(_region_next(args, paths))
    return 0


def cmd_new_policy(args) -> int:
    paths = Paths.checkout()
    try:
        written = new_policy(args.id, args.region, args.title, args.doc_number, args.issuer, args.date, paths)
    except ScaffoldError as exc:
        print(f"new-policy: {exc}", file=sys.stderr)
        return 2
    for path, verb in zip(written, ("updated", "wrote", "appended to", "wrote")):
        print(f"{verb} {_rel(path, paths)}")
    print(_policy_next(args, written, paths))
    return 0


def add_parser(subparsers) -> None:
    """The `new-region` and `new-policy` subcommands of python -m ruleset."""
    p = subparsers.add_parser("new-region", help="scaffold a region (adds it to ruleset/rules/case.yaml)")
    p.add_argument("id", help="region id: lowercase ASCII, e.g. jinan")
    p.add_argument("--name", required=True, help="Chinese name, e.g. 济南市")
    p.set_defaults(func=cmd_new_region)
    p = subparsers.add_parser("new-policy", help="scaffold a notice: policies.yaml entry, page, requirement rule, vectors")
    p.add_argument("id", help="policy id: region-year-number, e.g. jinan-2025-12")
    p.add_argument("--region", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--doc-number", required=True, help="文号, e.g. 济人社字〔2025〕12号")
    p.add_argument("--issuer", required=True, help="发文机关")
    p.add_argument("--date", required=True, help="发文日期 YYYY-MM-DD")
    p.set_defaults(func=cmd_new_policy)
