"""Read a filled sheet, streamed: CSV (UTF-8 with or without BOM, GBK/GB18030 as Chinese Excel saves it,
UTF-16 "Unicode text") through the csv module, .xlsx through openpyxl in read-only mode.

`sheets(data)` yields Sheet(name, rows) for every worksheet (one for CSV); rows yields each row's
cell values, the first row being row 1 as the spreadsheet shows it (empty rows included). Input is
bytes or a binary file object; nothing is read from or written to a path here.
"""
from __future__ import annotations

import codecs
import csv
import io
import itertools
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from .writers import openpyxl_missing

XLSX_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20
csv.field_size_limit(1 << 24)


class UnreadableInput(Exception):
    """The input is no CSV or xlsx file this module can read; the message is Chinese."""


@dataclass
class Sheet:
    name: str | None  # None for CSV
    rows: Iterator[list | tuple]  # row 1, row 2, …


def as_stream(data) -> BinaryIO:
    """bytes, bytearray or memoryview as a seekable binary stream; a stream as it is."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return io.BytesIO(data)
    return data


def is_xlsx(stream: BinaryIO) -> bool:
    start = stream.tell()
    head = stream.read(4)
    stream.seek(start)
    return head == XLSX_MAGIC


def sheets(data, fmt: str | None = None, encoding: str | None = None) -> Iterator[Sheet]:
    """Every sheet of the input; fmt "csv" or "xlsx", or None to tell by the first bytes."""
    stream = as_stream(data)
    if fmt is None:
        fmt = "xlsx" if is_xlsx(stream) else "csv"
    if fmt == "xlsx":
        yield from xlsx_sheets(stream)
    else:
        yield Sheet(None, csv_rows(stream, encoding))


def detect_encoding(stream: BinaryIO) -> str:
    """utf-8-sig or utf-16 by their byte-order mark; else utf-8 if every byte decodes as UTF-8, else gb18030.

    The whole stream is scanned (in chunks, nothing kept) and rewound.
    """
    start = stream.tell()
    head = stream.read(4)
    stream.seek(start)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "gb18030"  # a superset of GBK (what Chinese Excel and WPS save as "CSV")
    stream.seek(start)
    return encoding


def csv_rows(stream: BinaryIO, encoding: str | None = None) -> Iterator[list]:
    """The rows of a CSV stream; the delimiter is a tab when the first line has tabs and no commas."""
    encoding = encoding or detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    first = text.readline()
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise UnreadableInput(f"CSV 格式错误（第 {reader.line_num} 行附近）：{exc}") from None
    finally:
        text.detach()


def xlsx_sheets(stream: BinaryIO) -> Iterator[Sheet]:
    """Each worksheet of an .xlsx stream. openpyxl (imported only here) reads the workbook's parts (sheet
    names and paths, shared strings, which styles are dates, the epoch) and ruleset/batch/xlsx_rows.py
    the rows, with the values openpyxl's read-only rows would hold."""
    book = xlsx_book(stream)
    if book is None:  # another openpyxl than the one this was written for: its own reader, slower
        yield from _openpyxl_sheets(stream)
        return
    try:
        yield from book_sheets(book)
    finally:
        book.archive.close()


def xlsx_book(stream: BinaryIO) -> _Book | None:
    """The workbook of an .xlsx stream, to read sheets from (book_sheets, book_column); None when this
    openpyxl lacks a step used here (read it with openpyxl's own reader then). Raises UnreadableInput."""
    try:
        import openpyxl  # noqa: F401
    except ImportError as exc:
        raise UnreadableInput(openpyxl_missing("读取", exc, "或另存为 CSV")) from None
    try:
        return _open_book(stream)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableInput(f"无法读取 .xlsx 文件：{type(exc).__name__}: {exc}") from None


def book_sheets(book: _Book) -> Iterator[Sheet]:
    for name, path in book.sheets:
        yield Sheet(name, book_rows(book, name, path))


def book_column(book: _Book, name: str, path: str, column: int) -> Iterator[list[tuple[int, object]]]:
    """[(row number, value)] of the filled cells of one column (1 = A) of a worksheet of the book, in lists."""
    from .xlsx_rows import XlsxSyntax, xml_chunks

    try:
        with book.archive.open(path) as source:
            yield from book.reader.column(xml_chunks(source), column)
    except (XlsxSyntax, UnicodeDecodeError, ValueError, OSError, EOFError) as exc:
        raise UnreadableInput(f"无法读取 .xlsx 文件的工作表“{name}”：{exc}") from None


@dataclass
class _Book:
    archive: object
    sheets: list  # (name, path in the archive) of each worksheet, in order
    reader: object  # ruleset.batch.xlsx_rows.SheetReader


def _open_book(stream: BinaryIO) -> _Book | None:
    """The workbook's parts as openpyxl's load_workbook(read_only=True, data_only=True) reads them, without
    opening each worksheet (which, for a sheet without a saved dimension, scans all of it); None when this
    openpyxl lacks a step."""
    try:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet
        from openpyxl.utils.datetime import from_excel, from_ISO8601
        from openpyxl.xml.constants import SHARED_STRINGS
        reader = ExcelReader(stream, read_only=True, data_only=True)
        steps = (reader.read_manifest, reader.read_strings, reader.read_workbook)
    except (ImportError, AttributeError, TypeError):
        stream.seek(0)
        return None
    from .xlsx_rows import SheetReader, shared_strings

    reader.read_manifest()
    part = reader.package.find(SHARED_STRINGS)
    try:
        strings = shared_strings(reader.archive.read(part.PartName[1:]).decode("utf-8")) if part is not None else []
    except UnicodeDecodeError:  # XML in another encoding: openpyxl's parser reads it
        strings = None
    if strings is None:
        reader.read_strings()  # a form left to openpyxl
    else:
        reader.shared_strings = strings
    for step in steps[2:]:
        step()
    wb = reader.wb
    apply_stylesheet(reader.archive, wb)
    sheets = [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()
              if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    return _Book(reader.archive, sheets, SheetReader(reader.shared_strings, set(wb._date_formats),
                                                     set(wb._timedelta_formats), wb.epoch, from_excel,
                                                     from_ISO8601))


def _openpyxl_sheets(stream: BinaryIO) -> Iterator[Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableInput(f"无法读取 .xlsx 文件：{type(exc).__name__}: {exc}") from None
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # a saved dimension can be wrong (some tools write A1): read every cell
            yield Sheet(sheet.title, sheet.iter_rows(values_only=True))
    finally:
        book.close()


def book_rows(book: _Book, name: str, path: str) -> Iterator[tuple]:
    """The rows of a worksheet of the book, from row 1."""
    from .xlsx_rows import XlsxSyntax, xml_chunks

    try:
        with book.archive.open(path) as source:
            yield from book.reader.rows(xml_chunks(source))
    except (XlsxSyntax, UnicodeDecodeError, ValueError, OSError, EOFError) as exc:
        raise UnreadableInput(f"无法读取 .xlsx 文件的工作表“{name}”：{exc}") from None
