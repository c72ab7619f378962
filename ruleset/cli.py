"""Command line: python -m ruleset check CASE [--json] | schema | rules [REGION] | --version.

Exit status: 0 success; 2 bad input (the case cannot be read, is past a limit of ruleset.reader,
or has errors: the result document is still printed, with its errors); 64 usage error (unknown
option or command, missing or invalid argument; sysexits EX_USAGE). With --json stdout holds the
JSON document alone (UTF-8); messages for people go to stderr.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import unicodedata
from pathlib import Path

from . import __version__
from .api import gc_paused, internal_error
from .batch.cli import add_parser as add_batch_parser
from .engine import check
from .loader import bundle as load_bundle
from .reader import MAX_BYTES, error_document, read_case
from .schema import case_schema, result_schema

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 64, 130
STDERR_ERRORS = 20  # input errors listed on stderr before the rest are counted
EPILOG = """\
exit status:
  0   success
  2   bad input: the case cannot be read, is past a limit, or has errors
      (the result document is still printed, with its errors)
  64  usage error: unknown option or command, missing or invalid argument

A case is JSON or YAML (the site's 案例格式 page; python -m ruleset schema); "-" reads it from stdin (JSON or YAML,
told apart by the content). Limits on input are listed in ARCHITECTURE.md ("Limits").
"""


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


def _read_input(path: str) -> tuple[bytes | str | None, str | None]:
    """The bytes of a case file, or of stdin for "-" (at most one byte past the size limit) -> (data, problem)."""
    try:
        if path == "-":
            if sys.stdin is None:
                return None, "没有标准输入（stdin）"
            return getattr(sys.stdin, "buffer", sys.stdin).read(MAX_BYTES + 1), None
        with open(path, "rb") as f:
            return f.read(MAX_BYTES + 1), None
    except FileNotFoundError:
        return None, f"找不到文件：{path}"
    except IsADirectoryError:
        return None, f"这是目录，不是案例文件：{path}"
    except PermissionError:
        return None, f"没有读取权限：{path}"
    except OSError as exc:
        return None, f"无法读取文件 {path}：{exc.strerror or type(exc).__name__}"


def _syntax(path: str) -> str | None:
    """json or yaml as the file name says; None (tell from the content) for stdin and other names."""
    suffix = Path(path).suffix.lower() if path != "-" else ""
    return {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(suffix)


def _emit(text, stream, utf8: bool = False) -> None:
    """Write text (a str or str pieces) and a newline: in UTF-8 or the stream's encoding, what it cannot
    encode as \\uXXXX."""
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    encoding = "utf-8" if utf8 or buffer is None else (getattr(stream, "encoding", None) or "utf-8")
    batch: list[str] = []
    for piece in ([text] if isinstance(text, str) else text):
        batch.append(piece)
        if len(batch) >= 256:
            _write("".join(batch), stream, buffer, encoding)
            batch = []
    batch.append("\n")
    _write("".join(batch), stream, buffer, encoding)
    (buffer or stream).flush()


def _write(text: str, stream, buffer, encoding: str) -> None:
    data = text.encode(encoding, "backslashreplace")
    if buffer is not None:
        buffer.write(data)
    else:
        stream.write(data.decode(encoding))


_dumps = json.JSONEncoder(ensure_ascii=False).encode  # one line, by json's C encoder


def json_chunks(result: dict):
    """The result document as JSON text, in pieces: indented, with each activity row, error and year on
    one line. As fast as json's C encoder (json.dumps with indent is pure Python), never the whole
    text in memory at once, and as easy to read and diff on 100,000 activities as on ten."""
    yield "{"
    for n, (key, value) in enumerate(result.items()):
        yield f"{',' if n else ''}\n  {_dumps(key)}: "
        if key in ("activities", "errors") and type(value) is list and value:
            yield "["
            for i, item in enumerate(value):
                yield f"{',' if i else ''}\n    {_dumps(item)}"
            yield "\n  ]"
        elif key == "years" and type(value) is dict and value:
            yield "{"
            for i, (year, record) in enumerate(value.items()):
                yield f"{',' if i else ''}\n    {_dumps(year)}: {_dumps(record)}"
            yield "\n  }"
        else:
            yield json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    yield "\n}"


def json_document(result: dict) -> str:
    return "".join(json_chunks(result))


def _error_lines(errors: list[dict]) -> list[str]:
    out = []
    for e in errors:
        where = f"第 {e['index'] + 1} 条活动" if isinstance(e["index"], int) else "案例"
        field = f" 字段 {e['field']}" if e["field"] else ""
        out.append(f"  - {where}{field}：{e['message']}")
    return out


def _human(result: dict) -> str:
    b = load_bundle()
    out = []
    if result.get("region_name"):
        out.append(f"地区：{result['region_name']}（{result['region']}）")
    if result["errors"]:
        out.append("\n输入错误：")
        out += _error_lines(result["errors"])
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
            unit = b.unit_label(v["unit"])
            rows.append([y, unit, pub, pro, v["total"], need, verdict])
        out.append("\n各年度学时：")
        out.append(_table(["年度", "单位", "公需", "专业", "合计", "要求（公需+专业=合计）", "结论"], rows, {2, 3, 4}))
        for y, v in result["years"].items():
            out += [f"  {y} 年另一种理解（{alt['label']}）：公需 {alt['public']}，专业 {alt['professional']}，"
                    f"{'达标' if alt.get('met') else '未达标'}" for alt in v.get("alternatives", [])]
    for p in result.get("periods", []):
        out.append(f"\n{p['years'][0]}—{p['years'][1]} 年累计 {p['total']}/{p['required']} "
                   f"{b.unit_label(p['unit'])}：{'合格' if p['met'] else '不合格'}")
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
            out += [f"      另一种理解（{alt['label']}）：公需 {alt['public']}，专业 {alt['professional']}"
                    for alt in a.get("alternatives", [])]
    for n in result.get("notices", []):
        out.append(f"\n提示：{n['message']}（{n['source']}）")
    app = result.get("application")
    if app:
        out.append(f"\n职称申报：{app['explanation']}")
        out += [f"  另一种理解（{alt['label']}）：{'符合' if alt['met'] else '不符合'}" for alt in app.get("alternatives", [])]
    plan = result.get("plan")
    if plan:
        out.append(f"\n补足建议：{plan['explanation']}")
        for y in plan["years"]:
            out.append(f"  {y['explanation']}")
            for o in y["options"] if not y["suggestion"] else []:
                gain = "，".join(f"{b.subject_label(s)} {v}" for s, v in o["per_step"].items() if v)
                suffix = b.fields[o["scale"]].get("suffix", "")
                out.append(f"    可计入：{o['label']}，每 {o['step']} {suffix}计 {gain}（{o['source']}）")
    readings = result.get("readings") or []
    if readings:
        out.append("\n涉及本案例的解读（按不会多算学时的理解计算；--reading 编号=选项 可改用另一种理解）：")
        for r in readings:
            used = next(o["label"] for o in r["options"] if o["id"] == r["used"])
            mark = "" if r["is_default"] else "【非默认解读】"
            others = "；".join(f"{o['id']}＝{o['label']}" for o in r["options"] if o["id"] != r["used"])
            out.append(f"  {mark}{r['id']}：{r['question']}")
            out.append(f"      本次按：{used}（{r['used']}）；另一种理解：{others}；依据 {r['source']}")
        if not all(r["is_default"] for r in readings):
            out.insert(0, "【注意】本结果按非默认解读计算，可能多于审验部门认定的学时。")
    return "\n".join(out)


def cmd_check(args) -> int:
    with gc_paused():  # linear time in the number of activities (see api.gc_paused)
        data, problem = _read_input(args.case)
        if problem:
            case, errors = None, [{"index": None, "field": "", "message": problem}]
        else:
            case, errors = read_case(data, _syntax(args.case))
        del data
        if not errors:
            case, errors = _with_options(case, args)
        if errors:
            result = error_document(errors)
        else:
            try:
                result = check(case)
            except Exception as exc:  # a bug, not bad input: still a document and exit 2
                result = internal_error(exc)
        del case  # what is printed is the result
        if args.json:
            _emit(json_chunks(result), sys.stdout, utf8=True)
        elif not errors:  # the report, its input errors included; a case not read has none
            _emit(_human(result), sys.stdout)
        if result["errors"] and (args.json or errors):
            found = result["errors"]
            lines = [f"{args.case}：输入有误（{len(found)} 处）："] + _error_lines(found[:STDERR_ERRORS])
            if len(found) > STDERR_ERRORS:
                lines.append(f"  …另有 {len(found) - STDERR_ERRORS} 处" + ("，见 JSON 文档的 errors" if args.json else ""))
            _emit("\n".join(lines), sys.stderr)
    return EXIT_BAD_INPUT if result["errors"] else EXIT_OK


def _with_options(case, args) -> tuple:
    """The case with --reading choices and --as-of applied -> (case, errors)."""
    if not isinstance(case, dict):
        return case, []
    errors = []
    if args.reading:
        chosen = dict(case.get("readings") or {}) if isinstance(case.get("readings"), dict) else {}
        for item in args.reading:
            rid, sep, option = item.partition("=")
            if not sep or not rid or not option:
                errors.append({"index": None, "field": "readings",
                               "message": f"--reading 应写作 解读编号=选项，收到 {item!r}"})
            else:
                chosen[rid] = option
        case = {**case, "readings": chosen}
    if "as_of_year" not in case:
        case = {**case, "as_of_year": args.as_of if args.as_of is not None else datetime.date.today().year}
    return case, errors


def cmd_schema(args) -> int:
    schema = result_schema() if args.result else case_schema()
    _emit(json.dumps(schema, ensure_ascii=False, indent=2), sys.stdout, utf8=True)
    return EXIT_OK


def cmd_rules(args) -> int:
    b = load_bundle()
    if args.region and args.region not in b.regions:
        _emit(f"未知地区：{args.region}（可选：{'、'.join(b.regions)}）", sys.stderr)
        return EXIT_USAGE
    regions = [args.region] if args.region else list(b.regions)
    out = []
    for rid in regions:
        rules = [r for r in b.rules if r["region"] == rid]
        out.append(f"{b.regions[rid]['name']}（{rid}）：{len(rules)} 条规则")
        rows = []
        for r in rules:
            kind = b.kinds[r["kind"]]["label"] if "kind" in r.data else b.case["rule_types"][r["type"]]["label"]
            rows.append([r.id, kind, r.years_label, r["cite"]])
        out += [_table(["规则", "类型", "施行年度", "依据"], rows, set()), ""]
    _emit("\n".join(out), sys.stdout)
    return EXIT_OK


def version_text() -> str:
    """The package version and the rule bundle it carries (format version and digest of its sources)."""
    data = load_bundle().data
    return (f"ruleset {__version__}\n"
            f"rule bundle: format {data.get('version')}, sources sha256 {data.get('source_digest')}")


class _VersionAction(argparse.Action):
    """--version: printed when asked for, so other commands need not load the bundle for it."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        _emit(version_text(), sys.stdout)
        parser.exit(EXIT_OK)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit 64 (EX_USAGE), apart from bad input (2)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 用法错误（usage error）：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m ruleset", description="继续教育学时核算（Continuing-education hours checker）",
                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=_VersionAction,
                        help="print the package version and the rule bundle's version and digest")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{check,schema,rules,batch,coverage,new-region,new-policy}")

    p = sub.add_parser("check", help="compute a case (JSON or YAML file, - for stdin)", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("case", help='case file (.json, .yaml/.yml; other names: told from the content), or "-" for stdin')
    p.add_argument("--json", action="store_true", help="print the result document as JSON (alone on stdout)")
    p.add_argument("--reading", action="append", metavar="ID=OPTION",
                   help="compute under another named reading of a clause (repeatable; the result marks it)")
    p.add_argument("--as-of", type=int, metavar="YEAR",
                   help="the current year for the plan (补足建议): years before it are past; default this year, "
                        "unless the case gives as_of_year")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("schema", help="print the JSON Schema of the case format (or, with --result, of the result)")
    p.add_argument("--result", action="store_true", help="the JSON Schema of the result document instead")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("rules", help="list rules with years in force and citations")
    p.add_argument("region", nargs="?", help="region id (qinghai, qingdao, …); all regions if left out")
    p.set_defaults(func=cmd_rules)
    from . import coverage, scaffold  # contributor commands (CONTRIBUTING.md), run from a checkout
    scaffold.add_parser(sub)
    coverage.add_parser(sub)
    add_batch_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help and --version (0), usage errors (64)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader went away (… | head): no traceback at exit either
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
