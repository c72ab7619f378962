"""The batch pipeline in pieces a caller can drive chunk by chunk: read -> check -> render -> write.

Nothing here touches a path or starts a process: input is bytes or a binary stream, output goes to
binary streams the caller opens. The CLI runs `check_and_render` on chunks of people in a process
pool; the browser runs `Batch` in its web worker.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO, Callable, Iterable, Iterator

from . import report
from .columns import Layout, layout as default_layout
from .compute import Checker, PersonResult
from .people import SHEET_SHIFT, Collector, PersonRows, Problem, person_key
from .sources import (Sheet, UnreadableInput, as_stream, book_column, book_rows, book_sheets, csv_rows, detect_encoding,
                      is_xlsx, sheets, xlsx_book)
from .template import NOT_DATA
from .writers import CsvTable, XlsxBook, csv_text

BLOCK_ROWS = 10_000  # rows read between progress reports (and between hand-overs of finished people)
Progress = Callable[[str, int, int | None], None]  # (stage "read" | "check", done, total or None)
TABLES = (report.PEOPLE, report.YEARS, report.ACTIVITIES, report.PROBLEMS)
HEADERS = {report.PEOPLE: report.PEOPLE_HEADER, report.YEARS: report.YEARS_HEADER,
           report.ACTIVITIES: report.ACTIVITIES_HEADER, report.PROBLEMS: report.PROBLEMS_HEADER}
WIDTHS = {"人员": 14, "地区": 10, "核算状态": 16, "职称申报说明": 60, "说明": 50, "计算说明": 60, "条款链接": 40,
          "活动类型": 22, "提示": 40, "上限核减": 30, "问题": 70, "依据规则": 26, "要求依据": 22}


@contextmanager
def paused_gc():
    """Python's cycle collector off for a while: reading and checking make no reference cycles worth
    collecting, and its passes over a heap of millions of cells cost as much as the work itself."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read(data, fmt: str | None = None, layout: Layout | None = None,
         progress: Progress | None = None) -> tuple[Collector, list[PersonRows]]:
    """(the collector: sheet names and reading problems; every person, in order of first appearance)."""
    collector = Collector(layout or default_layout())
    people = list(read_people(data, collector, fmt, progress))
    return collector, people


def read_people(data, collector: Collector, fmt: str | None = None, progress: Progress | None = None,
                streamed: bool = False) -> Iterator[PersonRows]:
    """Every person of every sheet, in order of first appearance. Raises UnreadableInput.

    streamed (a seekable stream): a quick first pass finds each person's last row (of the person
    column alone), and each person is yielded as soon as that row is read (and everyone before them
    is done), so a sheet that lists people one after another is never held whole. Otherwise people
    come at the end.
    """
    stream = as_stream(data)
    xlsx = fmt == "xlsx" or (fmt is None and is_xlsx(stream))
    encoding = book = None
    if not xlsx:
        encoding = detect_encoding(stream)
        if streamed:
            collector.last = last_rows(stream, collector.layout, encoding)
        every = sheets(stream, "csv", encoding)
    else:
        book = xlsx_book(stream)
        if book is None:
            every = sheets(stream, "xlsx")
        else:
            if streamed:
                collector.last = xlsx_last_rows(book, collector.layout)
            every = book_sheets(book)
    try:
        yield from _read_sheets(every, collector, progress)
    finally:
        if book is not None:
            book.archive.close()


def _read_sheets(every: Iterator[Sheet], collector: Collector, progress: Progress | None) -> Iterator[PersonRows]:
    rows = 0
    for sheet in every:
        if sheet.name in NOT_DATA:
            continue
        number, header = _header(sheet)
        rows += number
        if header is None:
            collector.sheet_names.append(sheet.name)  # an empty sheet: nothing to read
            continue
        if not collector.start_sheet(sheet.name, header, number):
            continue
        while block := list(islice(sheet.rows, BLOCK_ROWS)):
            with paused_gc():
                number = collector.add_rows(block, number)
            rows += len(block)
            if progress:
                progress("read", rows, None)
            yield from collector.ready()
    if not collector.sheet_names:
        raise UnreadableInput("文件中没有工作表")
    if not collector.seen and not collector.problems:
        collector.problems.append(Problem(None, "", "", "文件中没有任何人员的数据（表头下没有填写内容）"))
    if progress:
        progress("read", rows, rows)
    yield from collector.take()


def _header(sheet: Sheet) -> tuple[int, list | None]:
    """(row number, cells) of the first row with anything in it; (rows passed, None) when there is none."""
    number = 0
    for cells in sheet.rows:
        number += 1
        if any(c is not None and str(c).strip() for c in cells):
            return number, cells
    return number, None


def xlsx_last_rows(book, layout: Layout) -> dict[str, int]:
    """Each person's last location (people.location: sheet and row) in a workbook, the sheets numbered as
    Collector numbers them."""
    last: dict[str, int] = {}
    index = -1
    for name, path in book.sheets:
        if name in NOT_DATA:
            continue
        index += 1
        rows = book_rows(book, name, path)
        number, header = _header(Sheet(name, rows))
        rows.close()
        at = _person_at(header, layout)
        if at is None:
            continue
        base = index << SHEET_SHIFT
        for found in book_column(book, name, path, at + 1):
            last.update((who, base | row) for row, who in found if row > number)  # a later row wins
    for who in [who for who in last if type(who) is not str or not who or who[0].isspace() or who[-1].isspace()]:
        loc = last.pop(who)
        key = person_key(who)  # the cell as add_rows takes it: text, stripped, blank for nobody
        if key is not None:
            last[key] = max(loc, last.get(key, 0))
    return last


def _person_at(header: list | None, layout: Layout) -> int | None:
    """Where the person column is in a header row (its first occurrence), or None."""
    for raw, cell in enumerate(header or []):
        if layout.column_of(cell) == layout.index["person"]:
            return raw
    return None


def last_rows(stream: BinaryIO, layout: Layout, encoding: str) -> dict[str, int]:
    """Each person's last row of a CSV stream (= its location: one sheet); the stream is rewound."""
    start = stream.tell()
    try:
        found = _plain_last_rows(stream, layout, encoding)
    finally:
        stream.seek(start)
    if found is not None:
        return found
    rows = csv_rows(stream, encoding)
    number, header = _header(Sheet(None, rows))
    last: dict[str, int] = {}
    at = _person_at(header, layout)
    if at is not None:
        for number, cells in enumerate(rows, number + 1):
            if at < len(cells):
                who = person_key(cells[at])
                if who is not None:
                    last[who] = number
    rows.close()
    stream.seek(start)
    return last


def _plain_last_rows(stream: BinaryIO, layout: Layout, encoding: str) -> dict[str, int] | None:
    """last_rows for a CSV with no quote and no line end but \\n or \\r\\n, where a row is a line and a
    cell what lies between delimiters (what csv.reader makes of it), read without the csv module;
    None as soon as a quote or a lone \\r shows that the csv module is needed."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    last: dict[str, int] = {}
    rest, delimiter, at, number = "", None, None, 0  # number: the last row read
    done = False
    while not done:
        chunk = stream.read(1 << 22)
        done = not chunk
        text = rest + decoder.decode(chunk, final=done)
        if '"' in text:
            return None
        if not done and text.endswith("\r"):
            text, rest = text[:-1], "\r"
        else:
            rest = ""
        if text.count("\r") != text.count("\r\n"):
            return None
        lines = text.replace("\r\n", "\n").split("\n")
        if not done:
            rest, lines = lines[-1] + rest, lines[:-1]
        elif lines and lines[-1] == "":
            lines.pop()  # the end of the last line, not a row
        if at is None:
            for i, line in enumerate(lines):
                number += 1
                if delimiter is None:
                    delimiter = "\t" if "\t" in line and "," not in line else ","
                cells = line.split(delimiter)
                if any(cell.strip() for cell in cells):  # the header (_header's test)
                    at = _person_at(cells, layout)
                    if at is None:
                        return last
                    lines = lines[i + 1:]
                    break
            else:
                continue
        if at == 0:
            people = [line.partition(delimiter)[0] for line in lines]
        else:
            people = [cells[at] if len(cells) > at else "" for cells in (line.split(delimiter, at + 1) for line in lines)]
        last.update(zip(people, range(number + 1, number + 1 + len(people))))  # a later row wins
        number += len(people)
    for who in [who for who in last if not who or who[0].isspace() or who[-1].isspace()]:
        row = last.pop(who)
        key = person_key(who)  # the cell as the reading takes it: stripped, blank for nobody
        if key is not None:
            last[key] = max(row, last.get(key, 0))
    return last


@dataclass
class Rendered:
    """One chunk of people as table rows (or as CSV in UTF-8, when rendered for CSV)."""

    people: list | bytes
    years: list | bytes
    activities: list | bytes
    problems: list[Problem]
    computed: int
    not_computed: int


def check_and_render(people: list[PersonRows], checker: Checker, tables: report.Tables,
                     as_csv: bool = False) -> Rendered:
    """Check each person and render their rows; as_csv gives CSV in UTF-8 (cheap to pass between processes,
    and encoded by the process that rendered it)."""
    with paused_gc():
        results = [checker.check(p) for p in people]
        return render(results, tables, as_csv)


def render(results: Iterable[PersonResult], tables: report.Tables, as_csv: bool = False) -> Rendered:
    people, years, activities, problems = [], [], [], []
    computed = 0
    for r in results:
        computed += r.computed
        people.append(tables.person_row(r))
        years += tables.year_rows(r)
        if as_csv:
            activities.append(tables.activity_csv(r))
        else:
            activities += tables.activity_rows(r)
        problems += r.problems
    if as_csv:
        return Rendered(csv_text(people).encode(), csv_text(years).encode(), "".join(activities).encode(),
                        problems, computed, len(people) - computed)
    return Rendered(people, years, activities, problems, computed, len(people) - computed)


def sort_problems(problems: list[Problem], layout: Layout) -> list[Problem]:
    """By sheet and row (file-wide problems first), then by column as the template orders them."""
    order = {h: i for i, h in enumerate(layout.headers)}
    return sorted(problems, key=lambda p: (-1 if p.loc is None else p.loc, order.get(p.column, len(order))))


class Output:
    """Where results go: CSV streams (one per table, any may be None) or one .xlsx workbook."""

    def __init__(self, tables: report.Tables, csv_streams: dict[str, BinaryIO | None] | None = None,
                 bom: bool = True):
        self.tables = tables
        self.problems: list[Problem] = []
        self.computed = self.not_computed = 0
        if csv_streams is None:
            self.book = XlsxBook()
            self._out = {name: self.book.table(name, HEADERS[name], WIDTHS) for name in TABLES}
        else:
            self.book = None
            self._out = {name: CsvTable(stream, HEADERS[name], bom=bom)
                         for name, stream in csv_streams.items() if stream is not None}

    def add(self, chunk: Rendered) -> None:
        for name, rows in ((report.PEOPLE, chunk.people), (report.YEARS, chunk.years),
                           (report.ACTIVITIES, chunk.activities)):
            table = self._out.get(name)
            if table is None:
                continue
            if isinstance(rows, bytes):
                table.add_encoded(rows)
            else:
                table.add(rows)
        self.problems += chunk.problems
        self.computed += chunk.computed
        self.not_computed += chunk.not_computed

    def finish(self, problems: list[Problem], layout: Layout) -> list[Problem]:
        """Write every problem (the reader's and the chunks'), sorted; flush CSV. Returns the problems."""
        every = sort_problems(self.problems + problems, layout)
        table = self._out.get(report.PROBLEMS)
        if table is not None:
            table.add([self.tables.problem_row(p) for p in every])
        for table in self._out.values():
            if isinstance(table, CsvTable):
                table.flush()
        return every

    def save(self, stream: BinaryIO) -> None:
        """The workbook to `stream` (xlsx only; call after finish)."""
        self.book.save(stream)


class Batch:
    """A whole batch in one process (the browser's web worker): read, then check in steps, then export.

        batch = Batch(data)               # bytes of a .xlsx or .csv file; UnreadableInput if it is neither
        for done, total in batch.steps(): # one step per chunk of people: report progress between steps
            ...
        batch.tables()                    # the four tables as rows, to show
        batch.export_xlsx() / batch.export_csv()
    """

    def __init__(self, data, fmt: str | None = None, site_url: str = "", layout: Layout | None = None,
                 progress: Progress | None = None):
        self.layout = layout or default_layout()
        collector, self.people = read(data, fmt, self.layout, progress)
        self.sheet_names = collector.sheet_names
        self.read_problems = collector.problems
        self.checker = Checker(self.layout)
        self.tables_ = report.Tables(self.layout.bundle, self.sheet_names, site_url)
        self.results: list[PersonResult] = []

    def steps(self, chunk: int = 100):
        """Check `chunk` people a step, yielding (people done, people in all) after each."""
        total = len(self.people)
        while len(self.results) < total:
            start = len(self.results)
            with paused_gc():
                self.results += [self.checker.check(p) for p in self.people[start:start + chunk]]
            yield len(self.results), total

    def run(self, progress: Progress | None = None) -> Batch:
        for done, total in self.steps():
            if progress:
                progress("check", done, total)
        return self

    @property
    def problems(self) -> list[Problem]:
        return sort_problems(self.read_problems + [p for r in self.results for p in r.problems], self.layout)

    @property
    def failed(self) -> bool:
        """True when any problem is an error (the CLI exits 2)."""
        return any(p.error for p in self.problems)

    def _output(self, out: Output) -> Output:
        out.add(render(self.results, self.tables_))
        out.finish(self.read_problems, self.layout)
        return out

    def tables(self) -> dict[str, list[list]]:
        """{table name: [header, *rows]} of the four tables, for a page to show (cells: str, number or None)."""
        chunk = render(self.results, self.tables_)
        problems = [self.tables_.problem_row(p) for p in self.problems]
        return {report.PEOPLE: [HEADERS[report.PEOPLE], *chunk.people],
                report.YEARS: [HEADERS[report.YEARS], *chunk.years],
                report.ACTIVITIES: [HEADERS[report.ACTIVITIES], *chunk.activities],
                report.PROBLEMS: [HEADERS[report.PROBLEMS], *problems]}

    def export_xlsx(self) -> bytes:
        import io
        stream = io.BytesIO()
        self._output(Output(self.tables_)).save(stream)
        return stream.getvalue()

    def export_csv(self) -> dict[str, bytes]:
        """{table name: CSV bytes (UTF-8 with BOM)} for the four tables."""
        import io
        streams = {name: io.BytesIO() for name in TABLES}
        self._output(Output(self.tables_, streams))
        return {name: s.getvalue() for name, s in streams.items()}
