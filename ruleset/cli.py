"""Command line: python -m ruleset check CASE [--json] | schema | rules [REGION]."""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from .batch.cli import add_parser as add_batch_parser
from .engine import check
from .loader import bundle as load_bundle
from .schema import case_schema

EXIT_OK, EXIT_BAD_INPUT = 0, 2
SPECIAL_ZH = {"requirement": "年度学时要求", "title": "职称申报年限", "cap": "共同上限", "exemption": "免除或减少年限",
              "industry": "行业规定提示", "period_requirement": "多年度累计要求"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text, width: int, right=False) -> str:
    text = str(text)
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _table(header: list[str], rows: list[list], right: set[int]) -> str:
    widths = [max(_width(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    lines = ["  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(header)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(r)).rstrip() for r in rows]
    return "\n".join(lines)


def read_case(path: str):
    """-> (case, error message or None)."""
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, f"找不到文件：{path}"
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"无法读取文件 {path}：{exc}"
    if not text.strip():
        return None, f"文件为空：{path}"
    if path.endswith((".yaml", ".yml")):
        try:
            import yaml
        except ImportError:
            return None, "读取 YAML 需要安装 PyYAML（pip install pyyaml），或改用 JSON"
        try:
            return yaml.safe_load(text), None
        except yaml.YAMLError as exc:
            return None, f"YAML 格式错误：{exc}"
    try:
        return json.loads(text), None
    except ValueError as exc:
        return None, f"JSON 格式错误：{exc}"


def _human(result: dict) -> str:
    out = []
    if result.get("region_name"):
        out.append(f"地区：{result['region_name']}（{result['region']}）")
    if result["errors"]:
        out.append("\n输入错误：")
        for e in result["errors"]:
            where = f"第 {e['index'] + 1} 条活动" if e["index"] is not None else "案例"
            out.append(f"  - {where}{' 字段 ' + e['field'] if e['field'] else ''}：{e['message']}")
    if result["years"]:
        rows = []
        for y, v in result["years"].items():
            req = v.get("required")
            deemed = v.get("deemed_complete", {})
            pub = f"{v['public']}" + ("（视同完成）" if deemed.get("public") else "")
            pro = f"{v['professional']}" + ("（视同完成）" if deemed.get("professional") else "")
            if req:
                need = f"{req['public']}+{req['professional']}={req['total']}"
                verdict = "达标" if v["met"] else "未达标，差 " + "/".join(
                    str(v["shortfall"][k]) for k in ("public", "professional", "total"))
            elif v.get("covered"):
                need, verdict = "—", "学分制，按多年度累计考核" if v["unit"] == "credit" else "不设年度要求"
            else:
                need, verdict = "—", "不在已发布政策覆盖范围"
            unit = "学分" if v["unit"] == "credit" else "学时"
            rows.append([y, unit, pub, pro, v["total"], need, verdict])
        out.append("\n各年度学时：")
        out.append(_table(["年度", "单位", "公需", "专业", "合计", "要求（公需+专业=合计）", "结论"], rows, {2, 3, 4}))
    for p in result.get("periods", []):
        out.append(f"\n{p['years'][0]}—{p['years'][1]} 年累计 {p['total']}/{p['required']} "
                   f"{'学分' if p['unit'] == 'credit' else '学时'}：{'合格' if p['met'] else '不合格'}")
    if result["activities"]:
        out.append("\n各项活动：")
        for a in result["activities"]:
            title = f"（{a['title']}）" if a.get("title") else ""
            out.append(f"  [{a['index'] + 1}] {a['year']} {a.get('kind_label') or a['kind']}{title}："
                       f"公需 {a['public']}，专业 {a['professional']}")
            out.append(f"      {a['explanation']}")
            for cap in a.get("caps", []):
                out.append(f"      上限：{cap['explanation']}")
            for w in a["warnings"]:
                out.append(f"      注意：{w}")
            if a.get("rule"):
                out.append(f"      依据：{a['rule']} → {a['source']}")
            if a.get("evidence"):
                out.append(f"      凭证：{a['evidence']}")
            for n in a.get("notes") or []:
                out.append(f"      本站解读：{n}")
    for n in result.get("notices", []):
        out.append(f"\n提示：{n['message']}（{n['source']}）")
    app = result.get("application")
    if app:
        out.append(f"\n职称申报：{app['explanation']}")
    return "\n".join(out)


def cmd_check(args) -> int:
    case, problem = read_case(args.case)
    if problem:
        result = {"region": None, "activities": [], "years": {},
                  "errors": [{"index": None, "field": "", "message": problem}]}
    else:
        result = check(case)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(_human(result))
    return EXIT_BAD_INPUT if result["errors"] else EXIT_OK


def cmd_schema(args) -> int:
    print(json.dumps(case_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_rules(args) -> int:
    b = load_bundle()
    if args.region and args.region not in b.regions:
        print(f"未知地区：{args.region}（可选：{'、'.join(b.regions)}）", file=sys.stderr)
        return EXIT_BAD_INPUT
    regions = [args.region] if args.region else list(b.regions)
    for rid in regions:
        rules = [r for r in b.rules if r["region"] == rid]
        print(f"{b.regions[rid]['name']}（{rid}）：{len(rules)} 条规则")
        rows = []
        for r in rules:
            kind = b.kinds[r["kind"]]["label"] if r["kind"] in b.kinds else SPECIAL_ZH.get(r["kind"], r["kind"])
            rows.append([r.id, kind, r.years_label, r["cite"]])
        print(_table(["规则", "类型", "施行年度", "依据"], rows, set()))
        print()
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ruleset",
                                     description="继续教育学时核算（Continuing-education hours checker）")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="compute a case (JSON or YAML file, - for stdin)")
    p.add_argument("case")
    p.add_argument("--json", action="store_true", help="print the result document as JSON")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("schema", help="print the JSON Schema of the case format")
    p.set_defaults(func=cmd_schema)
    p = sub.add_parser("rules", help="list rules with years in force and citations")
    p.add_argument("region", nargs="?")
    p.set_defaults(func=cmd_rules)
    add_batch_parser(sub)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_BAD_INPUT if exc.code else EXIT_OK
    try:
        return args.func(args)
    except BrokenPipeError:
        return EXIT_OK
