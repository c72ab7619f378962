"""What the rule data covers, and what it leaves out: python -m ruleset coverage [REGION] [--json].

For each region: the years its requirement rules cover; the activity kinds each span of years
recognises, with the rule ids; rules and named readings no test vector exercises (every vector in
tests/vectors/ is run); cited clauses no vector names; clauses (anchors on the policy pages in
docs/policies/) no rule cites. The vectors and pages are read from a checkout; where a directory is
absent the report says so instead of listing. Reading the vectors needs PyYAML.

An anchor counts as cited when a rule or reading cites it, cites a clause it contains (a sub-clause
`s4-4-4-1` of `s4-4-4`, a paragraph `s4-2-p1` of `s4-2`, anything under a cited heading), or cites a
heading or clause containing it.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from .loader import Bundle, bundle as load_bundle

REPO = Path(__file__).resolve().parent.parent
VECTORS_DIR = REPO / "tests" / "vectors"
PAGES_DIR = REPO / "docs" / "policies"
PLACEHOLDER = "TODO"

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*\{#([a-z0-9][a-z0-9-]*)\}\s*$")
_ATTR = re.compile(r"^\{:[^}]*#([a-z0-9][a-z0-9-]*)[^}]*\}\s*$")
_HTML_ID = re.compile(r"<(?:span|div|a|tr|td|th|p)\b[^>]*\bid=\"([a-z0-9][a-z0-9-]*)\"")
_TAG = re.compile(r"<[^>]+>")
_SUBCLAUSE = re.compile(r"\d{1,2}|p\d{1,2}|table")  # one step of the anchor scheme's numbering


def _plain(text: str) -> str:
    text = _TAG.sub("", text).replace("|", " ")
    return re.sub(r"\s+", " ", re.sub(r"\*\*|`|\{[:#][^}]*\}", "", text)).strip()


def page_anchors(path: Path) -> list[dict]:
    """The anchors of one policy page in page order: {anchor, text, heading (level or 0), section}.

    `section` lists the anchors the anchor lies under (headings, a table's <div id=…>), innermost last.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[dict] = []
    headings: list[tuple[int, str]] = []
    div: str | None = None  # the anchored <div> (a table) the line is in

    def add(anchor: str, text: str, heading: int = 0) -> None:
        section = [h for _, h in headings] + ([div] if div and div != anchor else [])
        out.append({"anchor": anchor, "text": _plain(text), "heading": heading, "section": section})

    for i, line in enumerate(lines):
        if div and "</div>" in line:
            div = None
        m = _HEADING.match(line)
        if m:
            level = len(m.group(1))
            while headings and headings[-1][0] >= level:
                headings.pop()
            add(m.group(3), m.group(2), level)
            headings.append((level, m.group(3)))
            continue
        m = _ATTR.match(line.strip())
        if m:
            j, para = i - 1, []
            while j >= 0 and lines[j].strip():
                para.insert(0, lines[j])
                j -= 1
            add(m.group(1), " ".join(para))
            continue
        for anchor in _HTML_ID.findall(line):
            text = line
            if line.lstrip().startswith("<div"):  # a table wrapped in <div id=…>: its first rows
                j, rows = i + 1, []
                while j < len(lines) and "</div>" not in lines[j]:
                    rows.append(lines[j])
                    j += 1
                text = " ".join(rows)
                add(anchor, text)
                div = anchor
                continue
            if "<tr" in line or "<td" in line:  # an HTML table row over several lines
                j, cells = i, [line]
                while "</tr>" not in cells[-1] and j + 1 < len(lines):
                    j += 1
                    cells.append(lines[j])
                text = " ".join(cells)
            add(anchor, text)
    return out


def _within(inner: str, outer: str) -> bool:
    """`inner` is a numbered sub-clause of `outer` by the anchor scheme (s4-4-4-1 of s4-4, s4-2-p1 of s4-2)."""
    return inner.startswith(outer + "-") and all(_SUBCLAUSE.fullmatch(step) for step in
                                                 inner[len(outer) + 1:].split("-"))


def uncited_anchors(anchors: list[dict], cited: set[str]) -> list[dict]:
    """The anchors of one page that no citation reaches (see the module docstring)."""
    out = []
    for a in anchors:
        name = a["anchor"]
        if name in cited or any(h in cited for h in a["section"]):
            continue
        if any(_within(name, c) or _within(c, name) for c in cited):
            continue
        if any(name in b["section"] and b["anchor"] in cited for b in anchors):
            continue  # a heading or table with a cited clause inside
        out.append(a)
    return out


def _load_vectors(directory: Path) -> tuple[list[tuple[str, dict]], list[str]]:
    import yaml

    vectors, problems = [], []
    for path in sorted(directory.rglob("*.yaml")):
        name = path.relative_to(directory).as_posix()
        try:
            docs = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{name}: YAML error: {exc}")
            continue
        for i, vec in enumerate(docs if isinstance(docs, list) else [docs]):
            if isinstance(vec, dict) and isinstance(vec.get("case"), dict):
                vectors.append((f"{name}#{i}", vec))
            else:
                problems.append(f"{name}#{i}: not a vector (no `case`)")
    return vectors, problems


def _start(bundle: Bundle, rule) -> int:
    """The first year a rule is in force; an open start ({until: Y}) from the first year a case may name."""
    return rule["in_force"].get("from", bundle.fields["year"]["minimum"])


def _spans(bundle: Bundle, region: str) -> list[tuple[int, int | None]]:
    """Spans of years over which the region's set of rules in force does not change."""
    rules = [r for r in bundle.rules if r["region"] == region]
    edges = sorted({_start(bundle, r) for r in rules}
                   | {r["in_force"]["until"] + 1 for r in rules if "until" in r["in_force"]})
    spans = [(a, b - 1) for a, b in zip(edges, edges[1:])] + ([(edges[-1], None)] if edges else [])
    return [(a, b) for a, b in spans if any(r.in_force(a) for r in rules)]


def _span_label(span: tuple[int, int | None]) -> str:
    a, b = span
    return f"{a}–" if b is None else (str(a) if a == b else f"{a}–{b}")


def _unit_words(bundle: Bundle) -> tuple[re.Pattern, tuple[str, ...]]:
    """(a number of hours or credits, the unit labels) as the policy pages write them (case.yaml units)."""
    words = tuple(bundle.unit_label(u) for u in bundle.case["units"])
    return re.compile(r"\d+(?:\.\d+)?\s*个?\s*(?:" + "|".join(map(re.escape, words)) + ")"), words


def report(bundle: Bundle | None = None, region: str | None = None, vectors_dir: Path | None = VECTORS_DIR,
           pages_dir: Path | None = PAGES_DIR) -> dict:
    """The coverage report as a JSON-ready dict (see the module docstring)."""
    from .engine import rules_touched, check

    b = bundle or load_bundle()
    regions = [region] if region else list(b.regions)
    messages: list[str] = []
    touched: set[str] | None = None
    readings_seen: set[str] | None = None
    named: set[str] | None = None
    n_vectors = None
    if vectors_dir is not None and vectors_dir.is_dir():
        vectors, problems = _load_vectors(vectors_dir)
        messages += problems
        touched, readings_seen, named = set(), set(), set()
        for name, vec in vectors:
            try:
                result = check(vec["case"], b)
            except Exception as exc:  # a vector that breaks the engine is itself worth reporting
                messages.append(f"{name}: the engine failed: {type(exc).__name__}: {exc}")
                continue
            touched |= rules_touched(result)
            readings_seen |= {r["id"] for r in result.get("readings", [])}
            named |= set([vec["clause"]] if vec.get("clause") else vec.get("clauses") or [])
        n_vectors = len(vectors)
    else:
        messages.append(f"{vectors_dir} not found (run from a checkout): rules, readings and clauses "
                        "without a vector are not listed")
    pages: dict[str, list[dict]] | None = None
    if pages_dir is not None and pages_dir.is_dir():
        pages = {p.stem: page_anchors(p) for p in sorted(pages_dir.glob("*.md"))}
        for pid in sorted(set(b.policies) - set(pages)):
            messages.append(f"policy {pid} has no page {pages_dir / (pid + '.md')}")
        for pid in sorted(set(pages) - set(b.policies)):
            messages.append(f"page {pid}.md is not a policy in ruleset/rules/policies.yaml")
    else:
        messages.append(f"{pages_dir} not found (run from a checkout): clauses without a rule are not listed")
    cites = [(r["cite"], r.id) for r in b.rules] + [(r["cite"], rid) for rid, r in b.readings.items()]
    mentions: dict[str, set[str]] = {}
    for r in b.rules:
        for ref in re.findall(r"[a-z0-9-]+#[a-z0-9][a-z0-9-]*", json.dumps(
                [r.get("notes"), r.get("summary")], ensure_ascii=False)):
            mentions.setdefault(ref, set()).add(r.id)

    out: dict = {}
    for rid in regions:
        rules = [r for r in b.rules if r["region"] == rid]
        years = [{"from": _start(b, r), "until": r["in_force"].get("until"), "rule": r.id,
                  "unit": r.params.get("unit", b.default_unit)} for r in b.rules_of_type(rid, "requirement")]
        spans = []
        for span in _spans(b, rid):
            kinds: dict[str, list[str]] = {}
            types: dict[str, list[str]] = {}
            for r in rules:
                if r.in_force(span[0]):
                    if "kind" in r.data:
                        kinds.setdefault(r["kind"], []).append(r.id)
                    else:
                        types.setdefault(r["type"], []).append(r.id)
            spans.append({"from": span[0], "until": span[1], "kinds": kinds, "types": types})
        entry = {"name": b.regions[rid]["name"], "years": sorted(years, key=lambda y: y["from"]), "spans": spans,
                 "rules_without_vector": None, "readings_without_vector": None, "clauses_without_vector": None,
                 "clauses_without_rule": None}
        if touched is not None:
            entry["rules_without_vector"] = sorted({r.id for r in rules} - touched)
            entry["readings_without_vector"] = sorted(
                {k for k, v in b.readings.items() if v["region"] == rid} - readings_seen)
            entry["clauses_without_vector"] = sorted({r["cite"] for r in rules} - named)
        if pages is not None:
            hours_re, unit_words = _unit_words(b)
            clauses = {}
            for pid in b.regions[rid].get("policies", []):
                cited = {c.split("#", 1)[1] for c, _ in cites if c.split("#", 1)[0] == pid}
                clauses[pid] = [{"anchor": a["anchor"], "text": a["text"],
                                 "hours": bool(hours_re.search(a["text"])),
                                 "mentions_hours": any(w in a["text"] for w in unit_words),
                                 "mentioned_by": sorted(mentions.get(f"{pid}#{a['anchor']}", ()))}
                                for a in uncited_anchors(pages.get(pid, []), cited)]
            entry["clauses_without_rule"] = clauses
        out[rid] = entry
    placeholders = []
    for directory in (pages_dir, vectors_dir):
        if directory is not None and directory.is_dir():
            for path in sorted(list(directory.rglob("*.md")) + list(directory.rglob("*.yaml"))):
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if PLACEHOLDER in line:
                        placeholders.append(f"{path}:{n}")
    return {"regions": out, "vectors": n_vectors, "pages": None if pages is None else len(pages),
            "placeholders": placeholders, "messages": messages}


# --------------------------------------------------------------------------- text

def _excerpt(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[:width] + "……"


def render(rep: dict, bundle: Bundle | None = None) -> str:
    """The report as readable text (Chinese, like the rest of the command line)."""
    b = bundle or load_bundle()
    out: list[str] = []
    if rep["vectors"] is not None:
        out.append(f"测试向量：运行了 tests/vectors/ 中的 {rep['vectors']} 个")
    for rid, e in rep["regions"].items():
        out.append(f"\n{e['name']}（{rid}）")
        years = "；".join(f"{_span_label((y['from'], y['until']))} {y['rule']}"
                         f"（{b.unit_label(y['unit'])}制）" for y in e["years"])
        out.append(f"  覆盖年度：{years or '无（没有年度要求规则）'}")
        if e["spans"]:
            out.append(f"  各年度认可的类型与规则（规则编号省去“{rid}.”；— 为该年度不认可）：")
            rows = [("kinds", k, b.kinds[k]["label"]) for k in b.kinds if any(k in s["kinds"] for s in e["spans"])]
            rows += [("types", t, spec["label"]) for t, spec in b.case["rule_types"].items()
                     if any(t in s["types"] for s in e["spans"])]
            for group, k, label in rows:
                merged: list[list] = []  # [from, until, rule ids], consecutive spans with the same rules joined
                for s in e["spans"]:
                    ids = s[group].get(k, [])
                    if merged and merged[-1][2] == ids and merged[-1][1] is not None and merged[-1][1] + 1 == s["from"]:
                        merged[-1][1] = s["until"]
                    else:
                        merged.append([s["from"], s["until"], ids])
                cells = [f"{_span_label((a, z))} {', '.join(i.split('.', 1)[1] for i in ids) or '—'}"
                         for a, z, ids in merged]
                out.append(f"    {k}（{label}）：{' ｜ '.join(cells)}")
        for key, title in (("rules_without_vector", "没有测试向量的规则"),
                           ("readings_without_vector", "没有测试向量的解读"),
                           ("clauses_without_vector", "被引用但没有向量注明（clause）的条款")):
            if e[key] is not None:
                out.append(f"  {title}：{'、'.join(e[key]) or '无'}")
        for pid, anchors in (e["clauses_without_rule"] or {}).items():
            hours = [a for a in anchors if a["mentions_hours"]]
            rest = [a["anchor"] for a in anchors if not a["mentions_hours"]]
            out.append(f"  未被规则引用的条款（docs/policies/{pid}.md）：{len(anchors) or '无'}")
            for a in hours:
                mark = "★" if a["hours"] else "·"
                seen = f"（{'、'.join(a['mentioned_by'])} 的说明中提到）" if a["mentioned_by"] else ""
                out.append(f"    {mark} {pid}#{a['anchor']}  {_excerpt(a['text'])}{seen}")
            if rest:
                out.append(f"    其余（未提及学时、学分）：{', '.join(rest)}")
    if any(e["clauses_without_rule"] for e in rep["regions"].values()):
        out.append("\n★ 条文写明了学时（学分）数；· 提及学时（学分）。")
    if rep["placeholders"]:
        out.append("\n尚未填写的占位符 TODO：")
        out += [f"  {p}" for p in rep["placeholders"]]
    for m in rep["messages"]:
        out.append(f"\n注意：{m}")
    return "\n".join(out).lstrip("\n")


def cmd_coverage(args) -> int:
    b = load_bundle()
    if args.region and args.region not in b.regions:
        print(f"未知地区：{args.region}（可选：{'、'.join(b.regions)}）", file=sys.stderr)
        return 2
    rep = report(b, args.region)
    print(json.dumps(rep, ensure_ascii=False, indent=2) if args.json else render(rep, b))
    return 0


def add_parser(subparsers) -> None:
    """The `coverage` subcommand of python -m ruleset."""
    p = subparsers.add_parser("coverage", help="years, kinds and rules per region; what no vector or rule covers")
    p.add_argument("region", nargs="?")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_coverage)
