"""Rows of a batch sheet -> one record per person, with the problems found while reading.

A person's rows need not be next to each other. The region and profile cells need to be filled on
one of the person's rows only; two rows giving different values is an error that names both rows,
and that person is not computed. Each activity is kept as a compact tuple of its filled cells
((column, value) pairs flattened), and equal tuples are shared, so the file is held once, small.
"""
from __future__ import annotations

from dataclasses import dataclass

from .cells import parse, text_of
from .columns import ACTIVITY, CASE, PERSON, PROFILE, Layout

# a TRUE cell as text: True == 1 == 1.0 in Python, and equal cells are shared, but 1 is no yes/no answer
_BOOL_TEXT = {True: "TRUE", False: "FALSE"}
SHEET_SHIFT = 40  # a location is sheet index << SHEET_SHIFT | row number


def location(sheet: int, row: int) -> int:
    return sheet << SHEET_SHIFT | row


def split_location(loc: int) -> tuple[int, int]:
    return loc >> SHEET_SHIFT, loc & ((1 << SHEET_SHIFT) - 1)


@dataclass(frozen=True)
class Problem:
    """One problem of the input: where (sheet, row, column header), whose, and why (Chinese)."""

    loc: int | None     # location() of the row; None for the file as a whole
    column: str         # the column's header as the template names it, or ""
    person: str         # the person's name or staff number, or ""
    message: str
    error: bool = True  # False: a notice that does not make the run fail (e.g. a sheet left out)


class PersonRows:
    """Everything the sheet says about one person."""

    __slots__ = ("person", "first", "case", "rows", "acts", "problems", "blocked")

    def __init__(self, person: str, first: int):
        self.person = person
        self.first = first           # location of the first row
        self.case: dict = {}         # column index -> (cell value, location) for region and profile cells
        self.rows: list[int] = []    # location of each activity row
        self.acts: list[tuple] = []  # each activity's filled cells: (column, value, column, value, …)
        self.problems: list[Problem] = []
        self.blocked = False         # conflicting region or profile: not computed

    def __getstate__(self):
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            setattr(self, name, value)


class Collector:
    """Feed it sheets and rows; it groups them by person, in the order people first appear."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.people: dict[str, PersonRows] = {}
        self.problems: list[Problem] = []  # problems not tied to one person's computation
        self.sheet_names: list[str | None] = []
        self.rows_read = 0
        self._shared: dict[tuple, tuple] = {}
        self._sheet = -1
        self._person = self._case = self._acts = None

    def start_sheet(self, name: str | None, header: list, header_row: int) -> bool:
        """Map a sheet's header row to the columns; False (and a notice) when the sheet has no person column."""
        self.sheet_names.append(name)
        self._sheet = len(self.sheet_names) - 1
        layout = self.layout
        seen: dict[int, int] = {}
        unknown = []
        for raw, cell in enumerate(header):
            text = text_of(cell)
            if text is None:
                continue
            col = layout.column_of(text)
            if col is None:
                unknown.append(text)
            elif col in seen:
                self.problems.append(Problem(location(self._sheet, header_row), text, "",
                                             f"列“{layout.headers[col]}”出现了两次，只读取第一次出现的那一列"))
            else:
                seen[col] = raw
        person_col = layout.index["person"]
        if person_col not in seen:
            where = f"工作表“{name}”" if name else "文件"
            self.problems.append(Problem(location(self._sheet, header_row), "", "",
                                         f"{where}的表头中没有“{layout.headers[person_col]}”列，未读取",
                                         error=name is None))
            return False
        for text in unknown:
            self.problems.append(Problem(location(self._sheet, header_row), text, "",
                                         f"未知的列“{text}”，本列未读取（可用的列见模板的“填写说明”）"))
        columns = layout.columns
        self._person = seen[person_col]
        self._case = [(raw, col) for col, raw in seen.items() if columns[col].group in (CASE, PROFILE)]
        self._acts = sorted((col, raw) for col, raw in seen.items() if columns[col].group == ACTIVITY)
        return True

    def add_row(self, number: int, cells: list) -> None:
        """One data row of the current sheet (cells as read: text from CSV, typed values from xlsx)."""
        width = len(cells)
        act = []
        for col, raw in self._acts:
            if raw < width:
                value = cells[raw]
                if value is not None and value != "":
                    if type(value) is str:
                        value = value.strip()
                        if not value:
                            continue
                    elif type(value) is bool:
                        value = _BOOL_TEXT[value]
                    act.append(col)
                    act.append(value)
        case = []
        for raw, col in self._case:
            if raw < width:
                value = cells[raw]
                if value is not None and value != "":
                    case.append((col, _BOOL_TEXT[value] if type(value) is bool else value))
        who = text_of(cells[self._person]) if self._person < width else None
        if who is None:
            if act or any(text_of(v) for _, v in case):
                loc = location(self._sheet, number)
                header = self.layout.headers[self.layout.index["person"]]
                self.problems.append(Problem(loc, header, "", f"本行没有填写“{header}”，未计入任何人"))
            return
        self.rows_read += 1
        loc = location(self._sheet, number)
        person = self.people.get(who)
        if person is None:
            person = self.people[who] = PersonRows(who, loc)
        for col, value in case:
            self._case_cell(person, col, value, loc)
        if act:
            key = tuple(act)
            person.acts.append(self._shared.setdefault(key, key))
            person.rows.append(loc)

    def _case_cell(self, person: PersonRows, col: int, value, loc: int) -> None:
        had = person.case.get(col)
        if had is None:
            person.case[col] = (value, loc)
            return
        if had[0] == value:
            return
        spec = self.layout.columns[col].spec
        if parse(had[0], spec) == parse(value, spec) or text_of(had[0]) == text_of(value):
            return
        header = self.layout.headers[col]
        person.blocked = True
        person.problems.append(Problem(
            loc, header, person.person,
            f"“{header}”与{self.where(had[1])}不一致（{text_of(had[0])} / {text_of(value)}）："
            f"同一人只能有一个{header}，此人未核算"))

    def where(self, loc: int) -> str:
        """"第 12 行" or "工作表“人员”第 12 行"."""
        sheet, row = split_location(loc)
        name = self.sheet_names[sheet] if sheet < len(self.sheet_names) else None
        return f"工作表“{name}”第 {row} 行" if name else f"第 {row} 行"

    def take(self) -> list[PersonRows]:
        """The people read so far, in order of first appearance (the collector forgets them)."""
        people = list(self.people.values())
        self.people = {}
        self._shared = {}
        return people
