"""Tables out: CSV (UTF-8 with BOM, so Excel opens it; no text read as a formula) through the csv module,
.xlsx through openpyxl in write-only mode with the data rows' XML rendered here (openpyxl imported only
here). Both write to a binary stream given by the caller.
"""
from __future__ import annotations

import codecs
import csv
import io
import math
import re
import shutil
import tempfile
from typing import BinaryIO

XLSX_MAX_ROWS = 1_048_576  # Excel's rows per sheet; a longer table continues on "<name> 2", "<name> 3", …


# Excel and WPS read a CSV cell that begins with one of these as a formula, which runs when the file is
# opened (CSV injection): such a text, e.g. a name or title typed as "=…", is written after an apostrophe
# and stays text. Numbers are not text and are written as they are. The .xlsx export writes text as text.
FORMULA_START = frozenset("=+-@\t\r")


def csv_row(row: list) -> list:
    """A row's cells as the CSV writes them: a text beginning like a formula gets a leading apostrophe."""
    for cell in row:  # (most rows have none: scanned first, copied only when one has)
        if cell.__class__ is str and cell[:1] in FORMULA_START:
            return [f"'{c}" if c.__class__ is str and c[:1] in FORMULA_START else c for c in row]
    return row


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
        self._writer.writerows(map(csv_row, rows))
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
    csv.writer(buffer, lineterminator="\r\n").writerows(map(csv_row, rows))
    return buffer.getvalue()


def openpyxl_missing(verb: str, exc: ImportError, instead: str) -> str:
    """Why .xlsx cannot be read or written here: openpyxl not installed, or a module it needs missing (a
    Python without the standard library's xml, a site without the batch's modules)."""
    if exc.name in (None, "openpyxl") or (exc.name or "").startswith("openpyxl."):
        return f"{verb} .xlsx 需要安装 openpyxl（pip install 'ruleset[batch]'），{instead}"
    return f"{verb} .xlsx 所需的模块 {exc.name} 无法载入（openpyxl 依赖它），{instead}"


class NeedsOpenpyxl(RuntimeError):
    """openpyxl is not installed; the message (Chinese) says how to get it."""


def openpyxl_workbook(**options):
    """openpyxl.Workbook(**options), or NeedsOpenpyxl."""
    try:
        from openpyxl import Workbook
    except ImportError as exc:
        raise NeedsOpenpyxl(openpyxl_missing("写出", exc, "或改用 CSV")) from None
    return Workbook(**options)


class XlsxBook:
    """A workbook written row by row; save() writes it to the stream.

    openpyxl (write-only mode) writes the workbook: its parts, styles, column widths, frozen panes and
    each sheet's bold header row. The data rows are rendered here, straight to the worksheet XML that
    openpyxl would write for them (the same text: inline strings, numbers as "%.16g"; tested against
    openpyxl's own), kept in a temporary file per sheet and put into each sheet's <sheetData> when the
    workbook is saved. openpyxl's cell-by-cell writing through et_xmlfile (no lxml in the browser) took
    ~50 s for 10,000 people in Pyodide. A cell of an unusual kind (an empty text, an error code, a
    non-finite number, another type) is rendered by openpyxl itself. Text is always written as text:
    a name or title typed as "=…" stays those characters, never a formula that runs when the unit
    opens the export (openpyxl alone would write it as one).
    """

    def __init__(self):
        self.book = openpyxl_workbook(write_only=True)
        self.tables: dict[str, XlsxTable] = {}
        self._parts: list[tuple] = []  # (openpyxl sheet, temporary file of its data rows' XML)

    def table(self, name: str, header: list, widths: dict | None = None) -> XlsxTable:
        table = self.tables[name] = XlsxTable(self, name, header, widths or {})
        return table

    def save(self, stream: BinaryIO) -> None:
        import zipfile

        for table in self.tables.values():
            table.flush()
        plain = tempfile.TemporaryFile()
        try:
            self.book.save(plain)  # each sheet with its header row alone
            rows = {sheet.path.lstrip("/"): data for sheet, data in self._parts}
            plain.seek(0)
            with zipfile.ZipFile(plain) as src, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as out:
                for info in src.infolist():
                    data = src.read(info)
                    if info.filename not in rows:
                        out.writestr(info, data)
                        continue
                    end = data.rindex(b"</sheetData>")
                    with out.open(info, "w", force_zip64=True) as part:
                        part.write(data[:end])
                        body = rows[info.filename]
                        body.seek(0)
                        shutil.copyfileobj(body, part, 1 << 20)
                        part.write(data[end:])
        finally:
            plain.close()
            for _, data in self._parts:
                data.close()


# openpyxl's reading of a text cell (openpyxl.cell.cell): these are not written as plain inline strings.
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


_TEXTS_KEPT = 50_000


def _text_tail(value: str) -> str | None:
    """A text cell's XML after its reference, as openpyxl writes it; None for text openpyxl writes otherwise."""
    if not value:
        return '" t="inlineStr" />'
    if len(value) > 32767 or value in _ERROR_CODES or _ILLEGAL.search(value):
        return None
    stripped = value.strip()
    space = ' xml:space="preserve"' if stripped and stripped != value else ""
    return f'" t="inlineStr"><is><t{space}>{value.translate(_ESCAPES)}</t></is></c>'


class XlsxTable:
    """One table of an XlsxBook: a bold, frozen header row; continues on a new sheet past Excel's row limit."""

    def __init__(self, book: XlsxBook, name: str, header: list, widths: dict):
        self.book, self.name, self.header, self.widths = book, name, header, widths
        self.parts = 0
        from openpyxl.utils import get_column_letter

        self._letters = [get_column_letter(i) for i in range(1, len(header) + 1)]
        self._pending: list[str] = []
        self._texts: dict[str, str] = {}  # a text -> its cell's XML after the reference (texts repeat a lot)
        self._new_sheet()

    def _new_sheet(self) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        if self.parts:
            self.flush()
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
        self._data = tempfile.TemporaryFile()
        self.book._parts.append((sheet, self._data))

    def add(self, rows: list[list]) -> None:
        letters, pending, texts = self._letters, self._pending, self._texts
        for row in rows:
            if self.rows >= XLSX_MAX_ROWS:
                self._new_sheet()
            self.rows += 1
            number = str(self.rows)
            cells = []
            for i, value in enumerate(row):
                if value is None:
                    continue
                t = type(value)
                if t is str:
                    tail = texts.get(value)
                    if tail is None:
                        tail = _text_tail(value)
                        if tail is None:  # not a plain text cell
                            cells.append(self._openpyxl_cell(value, i + 1, self.rows))
                            continue
                        if len(texts) >= _TEXTS_KEPT:
                            texts.clear()
                        texts[value] = tail
                    cells.append('<c r="' + letters[i] + number + tail)
                elif t is int or (t is float and math.isfinite(value)):
                    cells.append('<c r="' + letters[i] + number + '" t="n"><v>' + "%.16g" % value + "</v></c>")
                elif t is bool:
                    cells.append('<c r="' + letters[i] + number + ('" t="b"><v>1</v></c>' if value else '" t="b"><v>0</v></c>'))
                else:
                    cells.append(self._openpyxl_cell(value, i + 1, self.rows))
            pending.append('<row r="' + number + '">' + "".join(cells) + "</row>")
            if len(pending) >= 2000:
                self.flush()

    def _openpyxl_cell(self, value, column: int, row: int) -> str:
        """One cell as openpyxl writes it (its own classes; raises as openpyxl does for what it refuses)."""
        from et_xmlfile import xmlfile
        from openpyxl.cell._writer import write_cell

        out = io.BytesIO()
        with xmlfile(out) as xf:
            for cell in self.sheet._values_to_row([None] * (column - 1) + [value], row):
                if cell._value is not None or cell.has_style:
                    write_cell(xf, self.sheet, cell, cell.has_style)
        return out.getvalue().decode("utf-8")

    def flush(self) -> None:
        if self._pending:
            self._data.write("".join(self._pending).encode("utf-8"))
            self._pending.clear()
