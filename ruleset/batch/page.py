"""The batch page's driver (单位批量核算 in the browser's web worker): a Batch read, then checked a chunk
at a time, its results handed over as JSON text (rows exactly as the exports write them).

    page = start(data, site_url, progress)       # a PageBatch, or why the file cannot be read; reads the file (progress("read", rows, total or None))
    while not page.finished: page.step(200)      # the worker reports progress and checks for 取消 between steps
    page.view_json()                             # per person: the 人员汇总 row and the 年度核算 rows; the problems
    page.cases_json("[0, 5]")                    # the cases of people 0 and 5 (for "open in the checker")
"""
from __future__ import annotations

import json

from . import report
from .run import HEADERS, TABLES, Batch
from .sources import UnreadableInput


def start(data, site_url: str = "", progress=None) -> PageBatch | str:
    """The batch of a file's bytes, or why the file cannot be read (Chinese)."""
    try:
        return PageBatch(data, site_url, progress)
    except UnreadableInput as exc:
        return str(exc)


class PageBatch:
    def __init__(self, data, site_url: str = "", progress=None):
        self.batch = Batch(bytes(data), site_url=site_url, progress=progress)

    @property
    def total(self) -> int:
        return len(self.batch.people)

    @property
    def finished(self) -> bool:
        return len(self.batch.results) >= self.total

    def step(self, chunk: int = 200) -> int:
        """Checks the next `chunk` people; returns how many are done."""
        for done, _ in self.batch.steps(chunk):
            return done
        return len(self.batch.results)

    def view_json(self) -> str:
        """{headers: {table: header}, people: [{row, years}], problems: [row]} (cells as the exports have them)."""
        tables = self.batch.tables_
        people = [{"row": tables.person_row(r), "years": tables.year_rows(r)} for r in self.batch.results]
        problems = [tables.problem_row(p) for p in self.batch.problems]
        headers = {name: HEADERS[name] for name in (report.PEOPLE, report.YEARS, report.PROBLEMS)}
        return json.dumps({"headers": headers, "people": people, "problems": problems}, ensure_ascii=False)

    def cases_json(self, indexes: str) -> str:
        """The cases (with `person`) of the people at these indexes (a JSON list), in that order."""
        people, checker = self.batch.people, self.batch.checker
        return json.dumps([checker.case(people[i]) for i in json.loads(indexes)], ensure_ascii=False)

    def export_xlsx(self) -> bytes:
        return self.batch.export_xlsx()

    def export_csv(self) -> list:
        """[[table name, CSV bytes], …] in the order 人员汇总, 年度核算, 各项活动, 输入问题."""
        tables = self.batch.export_csv()
        return [[name, tables[name]] for name in TABLES]
