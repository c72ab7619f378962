"""Exact numbers: parse input into Fraction, print results without float noise."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

Number = Fraction


def exact(value) -> Fraction | int:
    """An int, float or numeric string as an exact number: ints stay ints, 0.1 -> Fraction(1, 10)."""
    if isinstance(value, (int, Fraction)):
        return value
    if type(value) is float:
        return _exact_float(value)
    return _exact(value)


@lru_cache(maxsize=4096)
def _exact_float(value: float) -> Fraction | int:
    return _exact(value)


def forget_floats() -> None:
    """Empty exact()'s cache of floats."""
    _exact_float.cache_clear()


def _exact(value) -> Fraction | int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    f = Fraction(Decimal(str(value)))
    return int(f) if f.denominator == 1 else f


def whole(value: Fraction | int) -> Fraction | int:
    """An exact amount with a whole value as an int, so that sums and comparisons stay cheap."""
    if type(value) is Fraction and value.denominator == 1:
        return value.numerator
    return value


def is_multiple(value: Fraction | int, step: Fraction | int) -> bool:
    """value % step == 0 for exact numbers, without building intermediate Fractions."""
    return (value.numerator * step.denominator) % (value.denominator * step.numerator) == 0


def to_json(value: Fraction | int):
    """An int when whole, else the shortest decimal (as a float that prints exactly so).

    Amounts come from finite decimal inputs and rates, so their denominators divide
    a power of ten; anything else is rounded to two places.
    """
    if isinstance(value, int):
        return value
    if value.denominator == 1:
        return int(value.numerator)
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d == 1:
        if value.denominator < 65536 and -10**12 < value.numerator < 10**12:
            # at most 28 digits, so Decimal divides exactly: the same correctly rounded float
            return value.numerator / value.denominator
        return float(Decimal(value.numerator) / Decimal(value.denominator))
    return float(round(Decimal(value.numerator) / Decimal(value.denominator), 2))


def show(value) -> str:
    """A number as a person reads it: 14, 7.5."""
    if type(value) is int:
        return str(value)
    return str(to_json(exact(value)))


_LEAVES = frozenset({int, bool, str, float, type(None)})  # as json_numbers gives them (an int is whole)


def json_numbers(value):
    """A copy of `value` (dicts and lists) with every int and Fraction, not bool, as to_json gives it."""
    kind = type(value)
    if kind is dict:
        leaves = _LEAVES
        return {k: v if type(v) in leaves else json_numbers(v) for k, v in value.items()}
    if kind is list:
        leaves = _LEAVES
        return [v if type(v) in leaves else json_numbers(v) for v in value]
    if kind is Fraction:
        return to_json(value)
    if kind in _LEAVES:
        return value
    return _json_numbers(value)


def _json_numbers(value):
    """json_numbers for subclasses of the types it knows."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Fraction)):
        return to_json(value)
    if isinstance(value, dict):
        return {k: json_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_numbers(v) for v in value]
    return value
