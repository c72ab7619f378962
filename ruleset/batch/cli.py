"""python -m ruleset batch STAFF -o RESULTS | batch --template OUT: files, the process pool, progress on stderr.

Exit 0, or 2 when any row had a problem (results are still written) or the input is unreadable.
"""
from __future__ import annotations

import gc
import io
import os
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import chain, islice
from pathlib import Path

from . import report
from .columns import layout as default_layout
from .compute import Checker
from .people import Collector
from .run import TABLES, Output, Rendered, check_and_render, read_people
from .sources import UnreadableInput
from .template import write_csv, write_guide_csv, write_xlsx
from .writers import NeedsOpenpyxl

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
    was = gc.isenabled()
    gc.disable()  # reading and checking make no reference cycles; collections would only rescan the heap
    try:
        return _batch(args)
    finally:
        if was:
            gc.enable()


def _batch(args) -> int:
    progress = Progress(enabled=not args.no_progress and sys.stderr.isatty())
    layout = default_layout()
    try:
        source = _open_input(args.input)
    except OSError as exc:
        print(f"无法读取文件 {args.input}：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    collector = Collector(layout)
    tables = report.Tables(layout.bundle, collector.sheet_names, args.site_url)
    xlsx = args.output.lower().endswith((".xlsx", ".xlsm"))
    streams: dict = {}
    try:
        with source:
            people = read_people(source, collector, progress=progress.read, streamed=True)
            output = None
            for chunk in _chunks(people, collector, tables, args.jobs, not xlsx, progress):
                if output is None:
                    streams = {} if xlsx else _csv_streams(args.output)
                    output = Output(tables, None if xlsx else streams, bom=args.output != "-")
                output.add(chunk)
        if output is None:  # nobody in the file
            streams = {} if xlsx else _csv_streams(args.output)
            output = Output(tables, None if xlsx else streams, bom=args.output != "-")
        problems = output.finish(collector.problems, layout)
        if xlsx:
            with open(args.output, "wb") as stream:
                output.save(stream)
    except UnreadableInput as exc:
        progress.done()
        print(f"无法读取 {args.input}：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        progress.done()
        print(f"无法写入 {args.output}：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NeedsOpenpyxl as exc:
        progress.done()
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        for stream in streams.values():
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
    except NeedsOpenpyxl as exc:
        print(str(exc), file=sys.stderr)
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


def _init_worker(site_url: str) -> None:
    global _worker
    gc.disable()  # as in the main process (tests/test_batch_cli.py checks that no cycles are left)
    layout = default_layout()
    _worker = (Checker(layout), report.Tables(layout.bundle, [], site_url))


def _work(people: list, sheet_names: list, as_csv: bool) -> Rendered:
    checker, tables = _worker
    tables.sheet_names = sheet_names
    return check_and_render(people, checker, tables, as_csv)


def _chunks(people, collector: Collector, tables: report.Tables, jobs: int, as_csv: bool, progress: Progress):
    """Rendered chunks of CHUNK people, in order; checked by `jobs` processes once there are enough people.

    People are taken from the reader as they come, so reading and checking overlap; at most
    2 × jobs + 1 chunks are in flight, so memory stays bounded."""
    people = iter(people)
    first = list(islice(people, POOL_FROM))
    if jobs <= 1 or len(first) < POOL_FROM:
        checker = Checker(collector.layout)
        done = 0
        for chunk in _batches(chain(first, people)):
            yield check_and_render(chunk, checker, tables, as_csv)
            done += len(chunk)
            progress.check(done, _total(collector))
        return
    import multiprocessing

    gc.freeze()  # what is held now stays: forked workers share it without copying
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                             initargs=(tables.site_url,)) as pool:
        pending: deque = deque()
        done = 0
        for chunk in _batches(chain(first, people)):
            pending.append((len(chunk), pool.submit(_work, chunk, list(collector.sheet_names), as_csv)))
            while len(pending) > 2 * jobs or (pending and pending[0][1].done()):
                size, future = pending.popleft()
                yield future.result()
                done += size
                progress.check(done, _total(collector))
        while pending:
            size, future = pending.popleft()
            yield future.result()
            done += size
            progress.check(done, _total(collector))


def _total(collector: Collector) -> int:
    """Everyone in the file when a first pass counted them, else everyone found so far."""
    return len(collector.last) if collector.last is not None else collector.seen


def _batches(people):
    while chunk := list(islice(people, CHUNK)):
        yield chunk


class Progress:
    """A one-line progress display on stderr (only when it is a terminal), at most five updates a second."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.rows = 0
        self.people = (0, 0)
        self._last = 0.0
        self._shown = False

    def _show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._last < 0.2):
            return
        self._last = now
        self._shown = True
        done, total = self.people
        width = 24
        filled = min(width, width * done // total) if total else 0
        sys.stderr.write(f"\r读取 {self.rows:,} 行  核算 [{'#' * filled}{'.' * (width - filled)}] "
                         f"{done:,}/{total:,} 人\033[K")
        sys.stderr.flush()

    def read(self, stage: str, done: int, total: int | None) -> None:
        self.rows = done
        self._show()

    def check(self, done: int, total: int) -> None:
        self.people = (done, total)
        self._show()

    def done(self) -> None:
        if self._shown:
            self._show(force=True)
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
