"""A spreadsheet cell -> the value a case holds, by case.yaml's definition of the field.

Cells come as text (CSV) or typed (xlsx: int, float, bool, datetime). Enum cells accept the code or
the Chinese label (a kind's own label too, and the label's part before a bracket where that is
unambiguous); yes/no cells accept 是/否 and the like; numbers may carry the field's unit ("2 天").
A cell that cannot be read is passed on as it stands, so the engine's validation names the problem in
the same words as for a single case.
"""
from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..loader import bundle as load_bundle
from .columns import normal

_YES_NO = load_bundle().case["bool_labels"]  # 是 / 否, and the other ways a sheet may say it
_TRUE = {_YES_NO["true"], "true", "t", "yes", "y", "1", "√", "✓", "✔", "对", "有"}
_FALSE = {_YES_NO["false"], "false", "f", "no", "n", "0", "×", "✗", "✘", "错", "无"}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def text_of(value) -> str | None:
    """A cell as stripped text, None when blank; 1001.0 from a spreadsheet reads "1001"."""
    if value is None:
        return None
    if type(value) is float and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def parse(value, spec: dict):
    """The cell's value for a field defined by `spec`; what cannot be read is returned unchanged."""
    kind = spec["type"]
    if kind == "int" or kind == "number":
        return _number(value, spec, kind == "int")
    if kind == "enum":
        return enum_index(spec).get(_key(value), value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        key = _key(value)
        return True if key in _TRUE else False if key in _FALSE else value
    if kind == "flags":
        return _flags(value, spec) if isinstance(value, str) else value
    if kind == "str":
        return text_of(value)
    raise AssertionError(kind)


def _flags(value: str, spec: dict) -> list:
    """Several choices in one cell, separated by 、 , ; / or spaces; a label may hold a 、 itself."""
    text = normal(value)
    if text in _FALSE:
        return []
    index = enum_index(spec)
    found = []
    for key in sorted(index, key=len, reverse=True):  # longest first: whole labels before their parts
        start = text.find(key)
        while start >= 0:
            found.append((start, index[key]))
            text = text[:start] + "\0" * len(key) + text[start + len(key):]
            start = text.find(key)
    rest = [(m.start(), m.group()) for m in re.finditer(r"[^\0、,;/]+", text)]  # unknown: the engine names them
    return [choice for _, choice in sorted(found + rest, key=lambda pair: pair[0])]


def _key(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if type(value) is float and value.is_integer():
        value = int(value)
    return normal(str(value))


def _number(value, spec: dict, integer: bool):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if integer and value.is_integer() else value
    if isinstance(value, (_dt.date, _dt.datetime)) and spec.get("suffix") == "年":
        return value.year  # a year typed as a date
    if not isinstance(value, str):
        return value
    text = normal(value).replace(",", "")
    unit = spec.get("suffix")
    if unit and text.endswith(normal(unit)):
        text = text[: -len(normal(unit))]
    if not _NUMBER.fullmatch(text):
        return value
    try:
        exact = Decimal(text)
    except InvalidOperation:
        return value
    if exact == exact.to_integral_value():
        return int(exact)
    if integer:
        return value
    number = float(text)
    return number if Decimal(repr(number)) == exact else value  # more digits than a float keeps: not read


@lru_cache(maxsize=None)
def _enum_index(codes: tuple, labels: tuple) -> dict:
    """normal(code or label) -> code; a label's part before a bracket too, where only one label has it."""
    index: dict = {}
    for code in codes:
        index[_key(code)] = code
    prefixes: dict = {}
    for code, label in labels:
        if code not in codes:
            continue
        index.setdefault(normal(label), code)
        short = re.split(r"[(（]", label, maxsplit=1)[0]
        if short != label:
            prefixes.setdefault(normal(short), set()).add(code)
    for short, found in prefixes.items():
        if len(found) == 1 and short:
            index.setdefault(short, next(iter(found)))
    return index


_BY_ID: dict[int, tuple[dict, dict]] = {}


def enum_index(spec: dict) -> dict:
    """The lookup of an enum (or flags) field: code, Chinese label or unambiguous short label -> code."""
    hit = _BY_ID.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    index = _enum_index_of(spec)
    if len(_BY_ID) > 1000:
        _BY_ID.clear()
    _BY_ID[id(spec)] = (spec, index)
    return index


def _enum_index_of(spec: dict) -> dict:
    codes = tuple(spec["enum"])
    by_text = {str(c): c for c in codes}
    labels = tuple((by_text.get(str(k), k), v) for source in ("enum_labels", "base_labels")
                   for k, v in (spec.get(source) or {}).items())
    labels += tuple((by_text.get(str(code), code), text) for text, code in (spec.get("aliases") or {}).items())
    index = _enum_index(codes, labels)
    if spec.get("nullable") and spec.get("null_label"):  # the answer null (不分等次), unlike a blank cell
        index = {**index, normal(spec["null_label"]): None}
    return index
