"""The .xlsx writer (ruleset/batch/writers.py) writes exactly what openpyxl's write-only mode writes.

The reference is openpyxl alone, doing what the writer did before it rendered the data rows itself:
a write-only workbook, the same widths, frozen panes and bold header, every row appended (text that
looks like a formula given as a text cell: the writer never writes a formula). Every
part of both workbooks is compared as text (docProps/core.xml aside: it holds the time of saving).
"""
from __future__ import annotations

import gc
import io
import random
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import IllegalCharacterError
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ruleset.batch import Batch, run, writers

from test_batch import JIA, YI, fill_csv


class OpenpyxlBook:
    """openpyxl alone (the reference): XlsxBook's interface, every row through openpyxl's own cells."""

    def __init__(self):
        self.book = Workbook(write_only=True)

    def table(self, name, header, widths=None):
        return OpenpyxlTable(self, name, header, widths or {})

    def save(self, stream):
        self.book.save(stream)


class OpenpyxlTable:
    def __init__(self, book, name, header, widths):
        self.book, self.name, self.header, self.widths, self.parts = book, name, header, widths, 0
        self._new_sheet()

    def _new_sheet(self):
        self.parts += 1
        sheet = self.sheet = self.book.book.create_sheet(self.name if self.parts == 1 else f"{self.name} {self.parts}")
        for i, name in enumerate(self.header, 1):
            sheet.column_dimensions[get_column_letter(i)].width = self.widths.get(name, max(8, 2 * len(name) + 2))
        sheet.freeze_panes = "A2"
        cells = []
        for name in self.header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = Font(bold=True)
            cells.append(cell)
        sheet.append(cells)
        self.rows = 1

    def add(self, rows):
        for row in rows:
            if self.rows >= writers.XLSX_MAX_ROWS:
                self._new_sheet()
            self.sheet.append([self._text(v) if isinstance(v, str) and v.startswith("=") else v for v in row])
            self.rows += 1

    def _text(self, value: str):
        """A text that looks like a formula, as text (openpyxl alone would make it a formula)."""
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.data_type = "s"
        return cell


def parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n != "docProps/core.xml"}


def written(book_class, tables: dict[str, tuple[list, list]]) -> dict[str, str]:
    book = book_class()
    for name, (header, rows) in tables.items():
        book.table(name, header, {"说明": 40}).add(rows)
    out = io.BytesIO()
    book.save(out)
    return parts(out.getvalue())


# Cells of every kind the writer renders itself, and the ones it leaves to openpyxl.
AWKWARD = ["", " ", "  两头空格  ", "\u3000全角空格", "a & b < c > d", 'quote " and \' apostrophe', "tab\there",
           "line\nbreak", "cr\r\nlf", "=1+1", "=", "#N/A", "#DIV/0!", "#n/a", "x" * 40_000, "😀 emoji", "]]>",
           0, -1, 7, 2**53 + 1, 10**17, 1.5, -0.25, 0.1, 1e-7, 1e20, float("inf"), float("nan"), True, False, None]


def test_awkward_cells_are_written_as_openpyxl_writes_them():
    rows = [[v, "名", 3] for v in AWKWARD] + [[None, None, v] for v in AWKWARD] + [[], [None] * 3]
    tables = {"人员汇总": (["人员", "说明", "数"], rows)}
    assert written(writers.XlsxBook, tables) == written(OpenpyxlBook, tables)


def test_random_tables_across_the_row_limit_are_written_as_openpyxl_writes_them(monkeypatch):
    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 7)
    rng = random.Random(5)
    pool = AWKWARD[:14] + AWKWARD[15:] + ["青海省", "达标", "https://example.org/policies/x/#s2"]
    tables = {name: (header, [[rng.choice(pool) for _ in header] for _ in range(rng.randint(0, 30))])
              for name, header in (("人员汇总", ["人员", "说明"]), ("年度核算", ["人员", "年度", "公需", "说明"]),
                                   ("输入问题", ["行号"]))}
    ours = written(writers.XlsxBook, tables)
    assert ours == written(OpenpyxlBook, tables)
    assert "xl/worksheets/sheet5.xml" in ours  # the limit was passed


def test_a_batch_export_is_what_openpyxl_alone_writes(monkeypatch):
    batch = Batch(fill_csv(JIA + YI), site_url="https://example.org/ce/").run()
    ours = parts(batch.export_xlsx())
    monkeypatch.setattr(run, "XlsxBook", OpenpyxlBook)
    assert ours == parts(batch.export_xlsx())
    assert sum(part.count("<row ") for part in ours.values()) > len(JIA + YI)


def test_text_that_looks_like_a_formula_is_written_as_text():
    """A name or title typed as "=…" reads back as those characters: no formula runs when the export is opened."""
    import openpyxl

    book = writers.XlsxBook()
    book.table("人员汇总", ["人员", "名称"]).add([["=HYPERLINK(\"http://x\",\"点击\")", "=1+1"], ["=", "甲"]])
    out = io.BytesIO()
    book.save(out)
    assert "<f>" not in parts(out.getvalue())["xl/worksheets/sheet1.xml"]
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["人员汇总"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ['=HYPERLINK("http://x","点击")', "=1+1"], ["=", "甲"]]
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # openpyxl's abandoned sheet
def test_a_cell_openpyxl_refuses_is_refused_alike():
    for book_class in (writers.XlsxBook, OpenpyxlBook):
        book = book_class()
        with pytest.raises(IllegalCharacterError):
            book.table("人员汇总", ["人员"]).add([["ok"], ["bell\x07"]])
        del book
        gc.collect()  # (its sheet's writer is finalised here, not inside a later import)
