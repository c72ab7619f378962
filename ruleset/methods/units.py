"""Amounts in hours (学时) or credits (学分): methods take `unit: hour | credit` in params."""

from ..numbers import show

UNIT_ZH = {"hour": "学时", "credit": "学分"}


def unit_zh(params: dict) -> str:
    """The Chinese unit a rule's amounts are in (学时 unless params say credit)."""
    return UNIT_ZH[params.get("unit", "hour")]


def amount_text(value, params: dict) -> str:
    """"15 学时" or "15 学分"."""
    return f"{show(value)} {unit_zh(params)}"
