"""Exact numbers: parse input into Fraction, print results without float noise."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Number = Fraction


def exact(value) -> Fraction:
    """An int, float or numeric string as an exact Fraction (0.1 -> 1/10, not the binary float)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(Decimal(str(value)))


def to_json(value: Fraction | int):
    """An int when whole, else the shortest decimal (as a float that prints exactly so).

    Amounts come from finite decimal inputs and rates, so their denominators divide
    a power of ten; anything else is rounded to two places.
    """
    value = Fraction(value)
    if value.denominator == 1:
        return int(value.numerator)
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d == 1:
        return float(Decimal(value.numerator) / Decimal(value.denominator))
    return float(round(Decimal(value.numerator) / Decimal(value.denominator), 2))


def show(value) -> str:
    """A number as a person reads it: 14, 7.5."""
    v = to_json(exact(value))
    return str(v)
