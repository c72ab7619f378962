"""The batch page's driver (单位批量核算 in the browser's web workers): a Batch read, then checked a chunk of
people at a call, each chunk's rows handed over as JSON text (rows exactly as the exports write them).

The page may run several workers on one file: each reads the whole file (the same people, in the same
order) and checks the chunks the page gives it. The first worker makes the problems' view and the exports,
from its own chunks and the other workers' chunks as they render them (`rendered`); a chunk nobody gives
it, it checks itself. The exports are then what `Batch.export_xlsx` / `export_csv` write.

    page = start(data, site_url, progress)       # a PageBatch, or why the file cannot be read; reads the file
    page.check(0, 100)                           # people 0..99: {"people": [{row, years}], "problems": [...]}
    page.view_problems(others)                   # the 输入问题 rows of the whole file, sorted (others: the other
                                                 #   workers' chunks' "problems", as JSON lists)
    page.rendered()                              # this worker's chunks as table rows (JSON bytes), for the first
    page.export_xlsx(parts) / export_csv(parts)  # parts: the other workers' rendered() bytes
    page.cases_json("[0, 5]")                    # the cases of people 0 and 5 (for "open in the checker")
"""
from __future__ import annotations

import io
import json

from . import report
from .compute import PersonResult
from .people import Problem
from .run import HEADERS, TABLES, Batch, Output, Rendered, paused_gc, render, sort_problems
from .sources import UnreadableInput


# The 年度核算 columns the page shows (the others repeat the person's, or are the requirement's source and
# link, which the exports carry): a chunk's year rows hold these cells alone, in this order.
YEAR_COLUMNS = [h for h in HEADERS[report.YEARS] if h not in ("人员", "地区", "要求依据", "要求条款链接", "职称申报")]
_YEAR_CELLS = [HEADERS[report.YEARS].index(h) for h in YEAR_COLUMNS]


def start(data, site_url: str = "", progress=None) -> PageBatch | str:
    """The batch of a file's bytes, or why the file cannot be read (Chinese)."""
    try:
        return PageBatch(data, site_url, progress)
    except UnreadableInput as exc:
        return str(exc)


def prepare() -> None:
    """Imports and warms what a batch uses (the page's worker calls it once, after booting): openpyxl's reader
    and writer, and a one-row CSV read and checked."""
    from .columns import layout

    try:
        import openpyxl.reader.excel  # noqa: F401
        import openpyxl.writer.excel  # noqa: F401
    except ImportError:
        pass  # (.xlsx then gets its message when a file needs it)
    header = {c.key: c.header for c in layout().columns}
    row = {"person": "-", "region": "qinghai", "kind": "public_course", "year": "2023", "hours": "1"}
    text = ",".join(header.values()) + "\r\n" + ",".join(row.get(key, "") for key in header) + "\r\n"
    batch = start(text.encode("utf-8"))
    if isinstance(batch, PageBatch):
        batch.check(0, batch.total)
        batch.view_problems()


class PageBatch:
    def __init__(self, data, site_url: str = "", progress=None):
        self.batch = Batch(bytes(data), site_url=site_url, progress=progress)
        self.chunks: dict[int, list[PersonResult]] = {}  # first person's index -> the chunk's results

    @property
    def total(self) -> int:
        return len(self.batch.people)

    def check(self, start: int, stop: int) -> str:
        """Checks people start..stop-1: {"people": [{row, years}], "problems": [[loc, column, person, message,
        error], …]} (the 人员汇总 row and the 年度核算 rows of each, these of YEAR_COLUMNS; their problems,
        unsorted)."""
        people = self.batch.people[start:stop]
        with paused_gc():
            results = [self.batch.checker.check(p) for p in people]
        self.chunks[start] = results
        tables = self.batch.tables_
        rows = [{"row": tables.person_row(r), "years": [[y[i] for i in _YEAR_CELLS] for y in tables.year_rows(r)]}
                for r in results]
        problems = [list(p) for r in results for p in r.problems]
        return json.dumps({"people": rows, "problems": problems}, ensure_ascii=False)

    def headers_json(self) -> str:
        """The columns of the rows check() and view_problems() give, by table."""
        headers = {report.PEOPLE: HEADERS[report.PEOPLE], report.YEARS: YEAR_COLUMNS, report.PROBLEMS: HEADERS[report.PROBLEMS]}
        return json.dumps(headers, ensure_ascii=False)

    def view_problems(self, others: str = "[]") -> str:
        """The 输入问题 rows of the whole file, sorted as the exports sort them: the reader's, this worker's
        chunks' and `others` (a JSON list of the other chunks' "problems" lists)."""
        with paused_gc():  # (a collection over the heap of results costs more than this whole call)
            every = list(self.batch.read_problems)
            every += [p for results in self.chunks.values() for r in results for p in r.problems]
            every += [Problem(*p) for chunk in json.loads(others) for p in chunk]
            rows = [self.batch.tables_.problem_row(p) for p in sort_problems(every, self.batch.layout)]
            return json.dumps(rows, ensure_ascii=False)

    def rendered(self) -> bytes:
        """This worker's chunks as table rows: JSON [[start, count, people, years, activities, problems,
        computed, not_computed], …] (UTF-8)."""
        out = []
        with paused_gc():
            for start, results in sorted(self.chunks.items()):
                r = render(results, self.batch.tables_)
                out.append([start, len(results), r.people, r.years, r.activities, [list(p) for p in r.problems],
                            r.computed, r.not_computed])
            return json.dumps(out, ensure_ascii=False).encode("utf-8")

    def _output(self, out: Output, parts=()) -> Output:
        """The tables of every person in order: this worker's chunks, the others' (parts: rendered() bytes of
        the other workers), and what neither covers checked here."""
        chunks: dict[int, tuple[int, object]] = {}
        for part in parts:
            for start, count, *rest in json.loads(bytes(part).decode("utf-8")):
                people, years, activities, problems, computed, not_computed = rest
                chunks[start] = (count, Rendered(people, years, activities, [Problem(*p) for p in problems],
                                                 computed, not_computed))
        for start, results in self.chunks.items():
            chunks[start] = (len(results), results)
        at = 0
        for start in sorted(chunks):
            count, chunk = chunks[start]
            if start < at:
                raise ValueError(f"chunks overlap at person {start}")
            if start > at:
                self._add_checked(out, at, start)
            out.add(render(chunk, self.batch.tables_) if isinstance(chunk, list) else chunk)
            at = start + count
        if at < self.total:
            self._add_checked(out, at, self.total)
        out.finish(self.batch.read_problems, self.batch.layout)
        return out

    def _add_checked(self, out: Output, start: int, stop: int) -> None:
        out.add(render([self.batch.checker.check(p) for p in self.batch.people[start:stop]], self.batch.tables_))

    def cases_json(self, indexes: str) -> str:
        """The cases (with `person`) of the people at these indexes (a JSON list), in that order."""
        people, checker = self.batch.people, self.batch.checker
        return json.dumps([checker.case(people[i]) for i in json.loads(indexes)], ensure_ascii=False)

    def export_xlsx(self, parts=()) -> bytes:
        stream = io.BytesIO()
        with paused_gc():
            self._output(Output(self.batch.tables_), parts).save(stream)
        return stream.getvalue()

    def export_csv(self, parts=()) -> list:
        """[[table name, CSV bytes], …] in the order 人员汇总, 年度核算, 各项活动, 输入问题."""
        streams = {name: io.BytesIO() for name in TABLES}
        with paused_gc():
            self._output(Output(self.batch.tables_, streams), parts)
        return [[name, streams[name].getvalue()] for name in TABLES]
