"""The rows of an .xlsx worksheet, read from its XML with regular expressions (stdlib only).

openpyxl's read-only reader builds an element and a dict for every cell (about 6 µs a cell; 3 million
rows of a unit took minutes). Here a worksheet's XML is scanned in blocks of whole rows: one regular
expression finds the rows, one the cells in a row, and only each cell's column, type, style and value
are taken. openpyxl still opens the workbook (sheet names and paths, shared strings, which styles are
dates, the 1900/1904 epoch) and turns serial numbers into dates, so the values are the ones its
`iter_rows(values_only=True)` gives: str, int, float, bool, datetime (date-formatted numbers), the
error text ("#N/A"), or None; a formula's cached value. Rows come from row 1, an empty row or a
missing one as an empty tuple, a row as long as its last cell.
"""
from __future__ import annotations

import re
from html import escape, unescape
from typing import Iterator

_BLOCK = 1 << 22  # characters of XML scanned at a time (a block ends at a row's end)
_ROW = re.compile(r"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ROW_END = re.compile(r"</(?:\w+:)?row>|<(?:\w+:)?row\b[^>]*/>")
_ATTR = re.compile(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VALUE = re.compile(r"<(?:\w+:)?v\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?v>)")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INLINE = re.compile(r"<(?:\w+:)?is\b[^>]*>(.*?)</(?:\w+:)?is>", re.S)
_RUN_TEXT = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?t>)")
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_LETTERS = re.compile(r"([A-Za-z]{1,3})\d*$")
# A block of rows as Excel, WPS and openpyxl write them, in one pass: each match is a row's start
# (1: its number, 2: "/" when it is empty), a plain cell (3: column, 4: style, 5: type, 6: value; r
# first, then s and t if any, then the value if any), a row's end (7), or anything else (8). Anything
# else inside a row, or a row or cell in another form, sends the block to the general reading.
_PLAIN = re.compile(
    r'<row r="(\d+)"[^>/]*(/?)>'
    r'|<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(s|n|b|str|e)")?(?:/>|>(?:<v>([^<&\r]*)</v>)?</c>)'
    r"|(</row>)"
    r"|(<[^>]*>|[^<]+)")
_STRUCTURE = re.compile(r"</?(?:\w+:)?(?:row|c|v|is)\b")


class XlsxSyntax(ValueError):
    """The worksheet's XML is not what an .xlsx holds (the message says where)."""


def _column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _text(raw: str) -> str:
    """XML character data as the parser gives it: line ends normalised, entities replaced."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return unescape(raw) if "&" in raw else raw


class SheetReader:
    """Rows of one worksheet: strings = the shared strings, dates = style ids formatted as dates (their
    ids formatted as durations in `durations`), to_date(serial, epoch, timedelta) = openpyxl's from_excel."""

    def __init__(self, strings: list, dates: set, durations: set, epoch, to_date, from_iso):
        self.strings, self.dates, self.durations = strings, dates, durations
        self.epoch, self.to_date, self.from_iso = epoch, to_date, from_iso
        self._columns: dict[str, int] = {}
        self._attrs: dict[str, dict] = {}
        self._date_styles = {str(style) for style in dates}  # as the s attribute spells them
        self._texts: dict[str, str] = {}  # a shared string's number as written -> the string
        self._numbers: dict[str, object] = {}  # a number as written -> its value (the most frequent ones)
        self._width = 16  # the widest row seen so far: each row's cells are gathered in a list this long

    def rows(self, chunks: Iterator[str]) -> Iterator[tuple]:
        """Each row from row 1 (chunks: the worksheet's XML as text, in pieces of any size)."""
        number = 0
        for block in _blocks(chunks):
            rows = self._plain_block(block)
            for row, cells in rows if rows is not None else self._block(block, number):
                if row <= number:
                    continue  # a row out of order: openpyxl leaves it out too
                for number in range(number + 1, row):
                    yield ()
                number = row
                yield cells

    def column(self, chunks: Iterator[str], column: int) -> Iterator[list[tuple[int, object]]]:
        """[(row number, value)] of the cells of one column (1 = A) that have a value, a list for each block
        of the XML, from the cells' own positions. In a block where every row and cell starts with its
        position (r), the column's cells are found by one search when all of them are plain cells; any
        other block is read whole, as rows() reads it. (Elements with a namespace prefix are not found by
        the search: a sheet written so has no cells found here, and its people are held to the end.)"""
        from openpyxl.utils import get_column_letter  # a book to read a column of was opened by openpyxl

        letters = get_column_letter(column)
        cell = re.compile(f'<c r="{letters}(\\d+)"(?: s="(\\d+)")?(?: t="(s|n|b|str|e)")?'
                          f'(?:/>|>(?:<v>([^<&\\r]*)</v>)?</c>)')
        any_cell = re.compile(f'<c r="{letters}\\d')
        number = 0
        texts, value_of = self.strings, self._plain_value
        for block in _blocks(chunks):
            if block.count("<row") == block.count('<row r="') and block.count("<c") == block.count('<c r="'):
                found = cell.findall(block)
                if len(found) == len(any_cell.findall(block)):
                    try:
                        yield [(int(row), texts[int(raw)] if kind == "s" else value_of(style, kind, raw))
                               for row, style, kind, raw in found if raw]
                    except (IndexError, ValueError):
                        raise XlsxSyntax("共享字符串编号或数值无效") from None
                    number = max(number, _last_row(block))
                    continue
            out = []
            for row, cells in self._block(block, number):
                if row <= number:
                    continue
                number = row
                if len(cells) >= column and cells[column - 1] is not None:
                    out.append((row, cells[column - 1]))
            yield out

    def _plain_block(self, text: str) -> list | None:
        """[(row number, cells)] of a block written the common way; None when anything in it is not."""
        out = []
        columns, texts, numbers, date_styles = self._columns, self._texts, self._numbers, self._date_styles
        cells: list | None = None
        row = last = 0
        width = self._width
        try:
            for start, empty, letters, style, kind, raw, end, other in _PLAIN.findall(text):
                if letters:
                    if cells is None:
                        return None
                    try:
                        at = columns[letters]
                    except KeyError:
                        at = self._column_of(letters)
                    if not raw:
                        value = None
                    elif kind == "s":
                        try:
                            value = texts[raw]
                        except KeyError:
                            value = self.strings[int(raw)]
                            if len(texts) < 65536:
                                texts[raw] = value
                    elif not kind or kind == "n":
                        if style and style in date_styles:
                            value = self._value("n", style, f"<v>{raw}</v>")
                        else:
                            try:
                                value = numbers[raw]
                            except KeyError:
                                value = _number(raw)
                                if len(numbers) < 65536:
                                    numbers[raw] = value
                    elif kind == "b":
                        value = bool(int(raw))
                    else:
                        value = raw  # str, e: text with no entity or line end in it
                    try:
                        cells[at - 1] = value
                    except IndexError:  # a row wider than any before: every row's list is made this wide
                        width = at
                        cells.extend([None] * (at - len(cells)))
                        cells[at - 1] = value
                    last = at
                elif start:
                    if cells is not None:
                        return None
                    row = int(start)
                    if empty:
                        out.append((row, ()))
                    else:
                        cells, last = [None] * width, 0
                elif end:
                    if cells is None:
                        return None
                    out.append((row, tuple(cells[:last])))
                    cells = None
                elif cells is not None and not other.isspace() or other.startswith("<") and _STRUCTURE.match(other):
                    return None
        except (IndexError, ValueError):
            raise XlsxSyntax("共享字符串编号或数值无效") from None
        self._width = width
        return None if cells is not None else out

    def _block(self, text: str, number: int):
        for attrs, inner in _ROW.findall(text):
            if attrs.startswith(' r="') and attrs.find('"', 4) > 4 and attrs[4:attrs.find('"', 4)].isdigit():
                number = int(attrs[4:attrs.find('"', 4)])
            elif 'r="' in attrs or "r='" in attrs:
                row = self._attrs_of(attrs).get("r")
                try:
                    number = int(row)
                except (TypeError, ValueError):
                    value = float(row) if row else None
                    if value is None or not value.is_integer():
                        raise XlsxSyntax(f"行号 {row!r} 无效") from None
                    number = int(value)
            else:
                number += 1
            if number < 1:
                raise XlsxSyntax(f"行号 {number} 无效")
            yield number, self._cells(inner) if inner else ()

    def _attrs_of(self, attrs: str) -> dict:
        found = self._attrs.get(attrs)
        if found is None:
            found = {m.group(1).split(":")[-1]: m.group(2) if m.group(2) is not None else m.group(3)
                     for m in _ATTR.finditer(attrs)}
            if len(self._attrs) < 4096:
                self._attrs[attrs] = found
        return found

    def _cells(self, inner: str) -> tuple:
        values: dict[int, object] = {}
        column = 0
        columns, attrs_of = self._columns, self._attrs_of
        for attrs, content in _CELL.findall(inner):
            # the common form first: ' r="B12"' then the other attributes, cached by their text
            if attrs.startswith(' r="'):
                close = attrs.index('"', 4)
                ref, others = attrs[4:close], attrs[close + 1:]
                letters = ref.rstrip("0123456789")
                found = columns.get(letters)
                if found is None:
                    if not letters.isalpha() or len(letters) > 3:
                        raise XlsxSyntax(f"单元格位置 {ref!r} 无效")
                    found = columns[letters] = _column(letters)
                column = found
                kind_style = attrs_of(others)
            else:
                kind_style = attrs_of(attrs)
                ref = kind_style.get("r")
                if ref:
                    match = _LETTERS.match(ref)
                    if match is None:
                        raise XlsxSyntax(f"单元格位置 {ref!r} 无效")
                    column = _column(match.group(1))
                else:
                    column += 1
            values[column] = self._value(kind_style.get("t", "n"), kind_style.get("s"), content)
        if not values:
            return ()
        width = column  # the last cell's column, as openpyxl sizes a row
        out = [None] * width
        for at, value in values.items():
            if at <= width:
                out[at - 1] = value
        return tuple(out)

    def _plain_value(self, style: str, kind: str, raw: str):
        """A plain cell's value (the cell as _PLAIN reads it)."""
        if not raw:
            return None
        if not kind or kind == "n":
            if style and int(style) in self.dates:
                return self._value("n", style, f"<v>{raw}</v>")
            return _number(raw)
        if kind == "s":
            return self._shared(raw)
        if kind == "b":
            return bool(int(raw))
        return raw

    def _shared(self, raw: str) -> str:
        """The shared string a cell's value numbers."""
        try:
            return self.strings[int(raw)]
        except (IndexError, ValueError):
            raise XlsxSyntax(f"共享字符串编号 {raw!r} 无效") from None

    def _column_of(self, letters: str) -> int:
        found = self._columns[letters] = _column(letters)
        return found

    def _value(self, kind: str, style, content: str):
        if "<![" in content:  # CDATA: literal text, escaped so that it reads like the rest
            content = _CDATA.sub(lambda m: escape(m.group(1), quote=False), content)
        if kind == "inlineStr":
            found = _INLINE.search(content) if content else None
            if found is None:
                return None
            body = _PHONETIC.sub("", found.group(1))
            return "".join(_text(t) for t in _RUN_TEXT.findall(body))
        if not content:
            return None
        if content.startswith("<v>") and content.endswith("</v>") and "<" not in content[3:-4]:
            raw = content[3:-4]
        else:
            found = _VALUE.search(content)
            raw = found.group(1) if found is not None else None
        if not raw:
            return None
        if kind == "n":
            value = _number(raw)
            if style is not None and int(style) in self.dates:
                try:
                    return self.to_date(value, self.epoch, timedelta=int(style) in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return value
        if kind == "s":
            return self._shared(raw)
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return self.from_iso(_text(raw))
        return _text(raw)  # str (a formula's text), e (an error such as #N/A), or a type openpyxl keeps as text


def _blocks(chunks: Iterator[str]) -> Iterator[str]:
    """The XML in blocks that each end at a row's end (comments left out)."""
    rest = ""
    for chunk in chunks:
        text = rest + chunk
        if "<!--" in text:
            text = _COMMENT.sub("", text)  # a comment not yet closed stays, and is removed once it is
        end = text.rfind("</row>") + 6
        if end == 5 or _ROW_END.search(text, end):  # none, or a row's end in another form after it
            end = 0
            for found in _ROW_END.finditer(text):
                end = found.end()
        if not end:
            rest = text
            continue
        rest = text[end:]
        yield text[:end]
    if _ROW.search(rest):
        raise XlsxSyntax("工作表 XML 不完整（行没有结束）")


def _number(raw: str) -> int | float:
    """A number cell's value as written: an int unless it has a point or an exponent."""
    return float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)


def _last_row(block: str) -> int:
    """The number of the last row of a block whose rows start with their number (0 if it is not one)."""
    start = block.rfind('<row r="') + 8
    number = block[start:block.find('"', start)] if start >= 8 else ""
    return int(number) if number.isdigit() else 0


def _row_of(cells: list) -> tuple:
    """A row's values from its (column, value) pairs: as long as its last cell's column."""
    if not cells:
        return ()
    width = cells[-1][0]
    out = [None] * width
    for at, value in cells:
        if at <= width:
            out[at - 1] = value
    return tuple(out)


_SI = re.compile(r"<si>(.*?)</si>|<si/>", re.S)


def shared_strings(xml: str) -> list[str] | None:
    """The shared strings of sharedStrings.xml as openpyxl reads them (the text of each item: its plain text
    and its runs', not the phonetic runs; "x005F_" dropped); None when the part is written in a form
    left to openpyxl (a namespace prefix, attributes on items, comments, CDATA)."""
    if "<!--" in xml or "<![CDATA[" in xml:
        return None
    items = _SI.findall(xml)
    if len(items) != xml.count("<si") or re.search(r"</?\w+:(?:si|t|r)\b", xml):
        return None
    out = []
    for item in items:
        if item.startswith("<t>") and item.endswith("</t>") and "<" not in item[3:-4]:
            text = _text(item[3:-4])
        else:
            text = "".join(_text(t) for t in _RUN_TEXT.findall(_PHONETIC.sub("", item)))
        out.append(text.replace("x005F_", ""))
    return out


def xml_chunks(stream, encoding: str = "utf-8") -> Iterator[str]:
    """A binary stream of XML as text in blocks (UTF-8, the encoding .xlsx parts are written in)."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    while block := stream.read(_BLOCK):
        yield decoder.decode(block)
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail

