"""Tables out: CSV (UTF-8 with BOM, so Excel opens it) through the csv module, .xlsx through openpyxl in
write-only mode (imported only here). Both write to a binary stream given by the caller.
"""
from __future__ import annotations

import codecs
import csv
import io
from typing import BinaryIO

XLSX_MAX_ROWS = 1_048_576  # Excel's rows per sheet; a longer table continues on "<name> 2", "<name> 3", …


def csv_cell(value):
    return "" if value is None else value


class CsvTable:
    """One table as CSV on a binary stream; `bom` puts the UTF-8 byte-order mark first (for Excel)."""

    def __init__(self, stream: BinaryIO, header: list, bom: bool = True):
        self.stream = stream
        if bom:
            stream.write(codecs.BOM_UTF8)
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")
        self._writer.writerow(header)
        self.flush()

    def add(self, rows: list[list]) -> None:
        self._writer.writerows(rows)
        if self._buffer.tell() > 1 << 20:
            self.flush()

    def add_encoded(self, data: bytes) -> None:
        """Rows already rendered by csv_text(), in UTF-8."""
        self.flush()
        self.stream.write(data)

    def flush(self) -> None:
        text = self._buffer.getvalue()
        if text:
            self.stream.write(text.encode("utf-8"))
            self._buffer.seek(0)
            self._buffer.truncate()


def csv_text(rows: list[list]) -> str:
    """Rows as CSV text (the lines CsvTable.add would write)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


class NeedsOpenpyxl(RuntimeError):
    """openpyxl is not installed; the message (Chinese) says how to get it."""


def openpyxl_workbook(**options):
    """openpyxl.Workbook(**options), or NeedsOpenpyxl."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise NeedsOpenpyxl("写出 .xlsx 需要安装 openpyxl（pip install 'ruleset[batch]'），或改用 CSV") from None
    return Workbook(**options)


class XlsxBook:
    """A workbook written row by row (openpyxl write-only mode); save() writes it to the stream."""

    def __init__(self):
        self.book = openpyxl_workbook(write_only=True)
        self.tables: dict[str, XlsxTable] = {}

    def table(self, name: str, header: list, widths: dict | None = None) -> XlsxTable:
        table = self.tables[name] = XlsxTable(self, name, header, widths or {})
        return table

    def save(self, stream: BinaryIO) -> None:
        self.book.save(stream)


class XlsxTable:
    """One table of an XlsxBook: a bold, frozen header row; continues on a new sheet past Excel's row limit."""

    def __init__(self, book: XlsxBook, name: str, header: list, widths: dict):
        self.book, self.name, self.header, self.widths = book, name, header, widths
        self.parts = 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self.parts += 1
        title = self.name if self.parts == 1 else f"{self.name} {self.parts}"
        sheet = self.sheet = self.book.book.create_sheet(title)
        for i, name in enumerate(self.header, 1):
            sheet.column_dimensions[get_column_letter(i)].width = self.widths.get(name, max(8, 2 * len(name) + 2))
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        cells = []
        for name in self.header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        self.rows = 1

    def add(self, rows: list[list]) -> None:
        for row in rows:
            if self.rows >= XLSX_MAX_ROWS:
                self._new_sheet()
            self.sheet.append(row)
            self.rows += 1
