"""python -m ruleset batch STAFF -o RESULTS | batch --template OUT: files, the process pool, progress on stderr.

Exit 0, or 2 when any row had a problem (results are still written) or the input is unreadable.
"""
from __future__ import annotations

import io
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import report
from .columns import layout as default_layout
from .compute import Checker
from .run import TABLES, Output, Rendered, check_and_render, read
from .sources import UnreadableInput
from .template import write_csv, write_guide_csv, write_xlsx

EXIT_OK, EXIT_BAD_INPUT = 0, 2
CHUNK = 1000          # people a task of the process pool
POOL_FROM = 2 * CHUNK  # fewer people are checked in this process
CSV_SUFFIXES = {report.PEOPLE: "people", report.ACTIVITIES: "activities", report.PROBLEMS: "problems"}
SHOWN_PROBLEMS = 20


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "batch", help="check everyone in a unit's sheet (.xlsx or .csv; - for stdin) -> results (.xlsx or .csv)",
        description="单位批量核算：每行一人的一项活动（模板见 --template），每人的年度学时和职称申报结论。")
    p.add_argument("input", nargs="?", help="the filled sheet (.xlsx or .csv), - for standard input (CSV or xlsx)")
    p.add_argument("-o", "--output", default="-",
                   help="results: .xlsx, or .csv (with .people/.activities/.problems.csv beside it); - for stdout (CSV)")
    p.add_argument("--template", metavar="OUT", help="write the empty template (.xlsx, or .csv with OUT.guide.csv)")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="processes (default: every core)")
    p.add_argument("--site-url", default="", help="address of the site, to make clause links absolute")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=main)


def main(args) -> int:
    if args.template:
        return _template(args.template)
    if not args.input:
        print("请给出要核算的文件（或 --template OUT 生成模板）", file=sys.stderr)
        return EXIT_BAD_INPUT
    progress = Progress(enabled=not args.no_progress and sys.stderr.isatty())
    layout = default_layout()
    try:
        source = _open_input(args.input)
    except OSError as exc:
        print(f"无法读取文件 {args.input}：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        with source:
            collector = read(source, None, layout, progress.read)
    except UnreadableInput as exc:
        progress.done()
        print(f"无法读取 {args.input}：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    people = collector.take()
    tables = report.Tables(layout.bundle, collector.sheet_names, args.site_url)
    xlsx = args.output.lower().endswith((".xlsx", ".xlsm"))
    try:
        streams = {} if xlsx else _csv_streams(args.output)
    except OSError as exc:
        print(f"无法写入 {args.output}：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        output = Output(tables, None if xlsx else streams, bom=args.output != "-")
        for chunk in _chunks(people, layout, tables, args.jobs, as_csv=not xlsx, progress=progress):
            output.add(chunk)
        problems = output.finish(collector.problems, layout)
        if xlsx:
            with open(args.output, "wb") as stream:
                output.save(stream)
    except OSError as exc:
        print(f"无法写入 {args.output}：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        for name, stream in streams.items():
            if stream is not None and stream is not sys.stdout.buffer:
                stream.close()
    progress.done()
    _summary(output, problems, tables, args.output)
    return EXIT_BAD_INPUT if any(p.error for p in problems) else EXIT_OK


def _template(path: str) -> int:
    layout = default_layout()
    target = Path(path)
    try:
        if target.suffix.lower() == ".csv":
            with open(target, "wb") as stream:
                write_csv(layout, stream)
            guide = target.with_name(target.stem + ".guide.csv")
            with open(guide, "wb") as stream:
                write_guide_csv(layout, stream)
            print(f"已写出模板 {target} 和填写说明 {guide}", file=sys.stderr)
        else:
            with open(target, "wb") as stream:
                write_xlsx(layout, stream)
            print(f"已写出模板 {target}", file=sys.stderr)
    except OSError as exc:
        print(f"无法写入 {path}：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _open_input(path: str):
    if path == "-":
        return io.BytesIO(sys.stdin.buffer.read())  # stdin cannot be rewound: held once, as bytes
    return open(path, "rb")


def _csv_streams(path: str) -> dict:
    """The four tables' streams: the person-year table in PATH, the others beside it (stdout: that one only)."""
    if path == "-":
        return {report.YEARS: sys.stdout.buffer}
    target = Path(path)
    stem = target.with_suffix("") if target.suffix.lower() == ".csv" else target
    streams = {report.YEARS: open(target, "wb")}
    for name in TABLES:
        if name in CSV_SUFFIXES:
            streams[name] = open(f"{stem}.{CSV_SUFFIXES[name]}.csv", "wb")
    return streams


# The process pool: workers keep a Checker (and the engine's cache) between chunks.
_worker: tuple | None = None


def _init_worker(sheet_names: list, site_url: str) -> None:
    global _worker
    layout = default_layout()
    _worker = (Checker(layout), report.Tables(layout.bundle, sheet_names, site_url))


def _work(people: list, as_csv: bool) -> Rendered:
    checker, tables = _worker
    return check_and_render(people, checker, tables, as_csv)


def _chunks(people: list, layout, tables, jobs: int, as_csv: bool, progress: Progress):
    """Rendered chunks in the people's order; checked by `jobs` processes when there are many people."""
    total = len(people)
    progress.check(0, total)
    if jobs <= 1 or total < POOL_FROM:
        checker = Checker(layout)
        for start in range(0, total, CHUNK):
            yield check_and_render(people[start:start + CHUNK], checker, tables, as_csv)
            progress.check(min(total, start + CHUNK), total)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                             initargs=(tables.sheet_names, tables.site_url)) as pool:
        pending = []
        starts = iter(range(0, total, CHUNK))
        for start in starts:
            pending.append(_submit(pool, people, start, as_csv))
            if len(pending) >= 2 * jobs + 1:
                break
        while pending:
            end, future = pending.pop(0)
            yield future.result()
            progress.check(end, total)
            start = next(starts, None)
            if start is not None:
                pending.append(_submit(pool, people, start, as_csv))


def _submit(pool, people: list, start: int, as_csv: bool):
    chunk = people[start:start + CHUNK]
    people[start:start + CHUNK] = [None] * len(chunk)  # the main process forgets what it handed over
    return start + len(chunk), pool.submit(_work, chunk, as_csv)


class Progress:
    """A one-line progress bar on stderr (only when it is a terminal), at most five updates a second."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._last = 0.0
        self._shown = False

    def _show(self, text: str, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._last < 0.2):
            return
        self._last = now
        self._shown = True
        sys.stderr.write("\r" + text + "\033[K")
        sys.stderr.flush()

    def read(self, stage: str, done: int, total: int | None) -> None:
        self._show(f"读取 {done:,} 行", force=total is not None)

    def check(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        self._show(f"核算 [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} 人", force=done == total)

    def done(self) -> None:
        if self._shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self._shown = False


def _summary(output: Output, problems: list, tables: report.Tables, path: str) -> None:
    errors = [p for p in problems if p.error]
    lines = [f"已核算 {output.computed:,} 人" + (f"，未核算 {output.not_computed:,} 人" if output.not_computed else "")
             + (f"；结果已写入 {path}" if path != "-" else "")]
    if problems:
        where = "“输入问题”工作表" if path.lower().endswith((".xlsx", ".xlsm")) else (
            "" if path == "-" else f"{Path(path).with_suffix('')}.problems.csv")
        lines.append(f"输入问题 {len(errors):,} 个" + (f"，提示 {len(problems) - len(errors):,} 个" if
                                                    len(problems) > len(errors) else "")
                     + (f"（全部见{where}）" if where else "") + "：")
        for p in problems[:SHOWN_PROBLEMS if path != "-" else len(problems)]:
            row = tables.problem_row(p)
            at = "".join([f"工作表“{row[0]}”" if row[0] else "", f"第 {row[1]} 行" if row[1] else "",
                          f"“{row[2]}”列" if row[2] else ""])
            who = f"（{row[3]}）" if row[3] else ""
            lines.append(f"  {at}{who}：{row[4]}")
        if path != "-" and len(problems) > SHOWN_PROBLEMS:
            lines.append(f"  ……另有 {len(problems) - SHOWN_PROBLEMS:,} 个")
    print("\n".join(lines), file=sys.stderr)
