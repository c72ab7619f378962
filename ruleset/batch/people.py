"""Rows of a batch sheet -> one record per person, with the problems found while reading.

A person's rows need not be next to each other. The region and profile cells need to be filled on
one of the person's rows only; two rows giving different values is an error that names both rows,
and that person is not computed. Each activity is kept as a compact tuple of its filled cells
((column, value) pairs flattened), and equal tuples are shared, so the file is held once, small.
"""
from __future__ import annotations

from collections import deque
from operator import itemgetter
from typing import NamedTuple

from .cells import parse, text_of
from .columns import ACTIVITY, CASE, PERSON, PROFILE, Layout

# a TRUE cell as text: True == 1 == 1.0 in Python, and equal cells are shared, but 1 is no yes/no answer
_BOOL_TEXT = {True: "TRUE", False: "FALSE"}
SHEET_SHIFT = 40
_RAW_MEMO = 200_000  # distinct activity rows remembered while reading
_UNSEEN = object()


def person_key(value) -> str | None:
    """The person a row belongs to: its 姓名或工号 cell as stripped text (1001.0 reads 1001)."""
    return text_of(value)


def _getter(indices: list[int]):
    """cells -> tuple of the cells at `indices` (operator.itemgetter, always a tuple)."""
    if len(indices) > 1:
        return itemgetter(*indices)
    if indices:
        one = indices[0]
        return lambda cells: (cells[one],)
    return lambda cells: ()  # a location is sheet index << SHEET_SHIFT | row number


def location(sheet: int, row: int) -> int:
    return sheet << SHEET_SHIFT | row


def split_location(loc: int) -> tuple[int, int]:
    return loc >> SHEET_SHIFT, loc & ((1 << SHEET_SHIFT) - 1)


class Problem(NamedTuple):
    """One problem of the input: where (sheet, row, column header), whose, and why (Chinese). A named tuple:
    the CLI's workers send hundreds of thousands of them (a tuple pickles several times faster than a
    dataclass)."""

    loc: int | None     # location() of the row; None for the file as a whole
    column: str         # the column's header as the template names it, or ""
    person: str         # the person's name or staff number, or ""
    message: str
    error: bool = True  # False: a notice that does not make the run fail (e.g. a sheet left out)


class PersonRows:
    """Everything the sheet says about one person."""

    __slots__ = ("person", "first", "case", "rows", "acts", "problems", "blocked", "complete")

    def __init__(self, person: str, first: int):
        self.person = person
        self.first = first           # location of the first row
        self.case: dict = {}         # column index -> (cell value, location) for region and profile cells
        self.rows: list[int] = []    # location of each activity row
        self.acts: list[tuple] = []  # each activity's filled cells: (column, value, column, value, …)
        self.problems: list[Problem] = []
        self.blocked = False         # conflicting region or profile: not computed
        self.complete = False        # its last row has been read

    def __getstate__(self):
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            setattr(self, name, value)


class Collector:
    """Feed it sheets and rows; it groups them by person, in the order people first appear."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.people: dict[str, PersonRows] = {}  # people not yet handed on, by name or staff number
        self._order: deque[PersonRows] = deque()  # the same, in order of first appearance
        self.last: dict[str, int] | None = None  # each person's last location, when known (read twice)
        self._handed_on: set[str] = set()        # people handed on before the end (with `last`)
        self.seen = 0                            # people found so far
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
        case = [(col, raw) for col, raw in seen.items() if columns[col].group in (CASE, PROFILE)]
        acts = sorted((col, raw) for col, raw in seen.items() if columns[col].group == ACTIVITY)
        self._case_cols = tuple(col for col, _ in case)
        self._get_case = _getter([raw for _, raw in case])
        self._blank_case = {(None,) * len(case), ("",) * len(case)}
        self._act_cols = tuple(col for col, _ in acts)
        self._get_act = _getter([raw for _, raw in acts])
        self._width = max(seen.values()) + 1
        self._raw_acts = {}
        return True

    def add_rows(self, rows: list, number: int) -> int:
        """Data rows of the current sheet after row `number` (cells as read: text from CSV, typed values
        from xlsx); returns the number of the last one."""
        width, get_act, get_case = self._width, self._get_act, self._get_case
        raw_acts, blank_case, people, who_at = self._raw_acts, self._blank_case, self.people, self._person
        base = self._sheet << SHEET_SHIFT
        last = self.last
        for cells in rows:
            number += 1
            if len(cells) < width:
                cells = list(cells) + [None] * (width - len(cells))
            raw = get_act(cells)
            act = raw_acts.get(raw, _UNSEEN)
            if act is _UNSEEN:
                if len(raw_acts) >= _RAW_MEMO:
                    raw_acts.clear()
                act = raw_acts[raw] = self._activity(raw)
            raw_case = get_case(cells)
            who = cells[who_at]
            if type(who) is not str or not who or who[0].isspace() or who[-1].isspace():
                who = person_key(who)
            if raw_case in blank_case:
                if who is None:
                    if act is not None:
                        self._nobody(base | number)
                    continue
                case = ()
            else:
                case = [(col, _BOOL_TEXT[value] if type(value) is bool else value)
                        for col, value in zip(self._case_cols, raw_case) if value is not None and value != ""]
                if who is None:
                    if act is not None or any(text_of(v) for _, v in case):
                        self._nobody(base | number)
                    continue
            loc = base | number
            person = people.get(who)
            if person is None and who in self._handed_on:
                self._late(who, loc)
                continue
            if person is None:
                person = people[who] = PersonRows(who, loc)
                self._order.append(person)
                self.seen += 1
            for col, value in case:
                self._case_cell(person, col, value, loc)
            if act is not None:
                person.acts.append(act)
                person.rows.append(loc)
            if last is not None and last.get(who) == loc:
                person.complete = True
            self.rows_read += 1
        return number

    def _late(self, who: str, loc: int) -> None:
        """A row of someone already checked: the first pass found another last row (a sheet whose rows'
        positions disagree); the row is named, not counted, rather than make the person twice."""
        self.problems.append(Problem(loc, self.layout.headers[self.layout.index["person"]], who,
                                     "此行在本人的最后一行之后才读到（文件中的行号前后不一致），未计入；"
                                     "请另存文件后重试"))

    def _nobody(self, loc: int) -> None:
        header = self.layout.headers[self.layout.index["person"]]
        self.problems.append(Problem(loc, header, "", f"本行没有填写“{header}”，未计入任何人"))

    def _activity(self, raw: tuple) -> tuple | None:
        """An activity's cells as read -> its filled cells (column, value, …), shared; None when all are blank."""
        act = []
        for col, value in zip(self._act_cols, raw):
            if value is None or value == "":
                continue
            if type(value) is str:
                value = value.strip()
                if not value:
                    continue
            elif type(value) is bool:
                value = _BOOL_TEXT[value]
            act.append(col)
            act.append(value)
        if not act:
            return None
        key = tuple(act)
        if len(self._shared) >= _RAW_MEMO:
            self._shared.clear()  # equal activities read later are kept apart: more memory, same results
        return self._shared.setdefault(key, key)

    def _case_cell(self, person: PersonRows, col: int, value, loc: int) -> None:
        had = person.case.get(col)
        if had is None:
            person.case[col] = (value, loc)
            return
        if had[0] == value:
            return
        spec = self.layout.columns[col].spec
        before, now = parse(had[0], spec), parse(value, spec)
        if spec["type"] == "flags" and isinstance(before, list) and isinstance(now, list):
            before, now = sorted(map(str, before)), sorted(map(str, now))  # the same choices in another order
        if before == now or text_of(had[0]) == text_of(value):
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

    def ready(self) -> list[PersonRows]:
        """The people whose last row has been read, with nobody before them still open, in order."""
        out = []
        order = self._order
        while order and order[0].complete:
            person = order.popleft()
            del self.people[person.person]
            self._handed_on.add(person.person)
            out.append(person)
        return out

    def take(self) -> list[PersonRows]:
        """Every person not yet handed on, in order of first appearance (the collector forgets them)."""
        people = list(self._order)
        self.people, self._order = {}, deque()
        self._shared, self._raw_acts = {}, {}
        return people
