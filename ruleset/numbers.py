"""Exact numbers: parse input into Fraction, print results without float noise."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Number = Fraction


def exact(value) -> Fraction | int:
    """An int, float or numeric string as an exact number: ints stay ints, 0.1 -> Fraction(1, 10)."""
    if isinstance(value, (int, Fraction)):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    f = Fraction(Decimal(str(value)))
    return int(f) if f.denominator == 1 else f


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
        return float(Decimal(value.numerator) / Decimal(value.denominator))
    return float(round(Decimal(value.numerator) / Decimal(value.denominator), 2))


def show(value) -> str:
    """A number as a person reads it: 14, 7.5."""
    return str(to_json(exact(value)))
