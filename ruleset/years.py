"""Each year's credited hours against the requirement in force that year (no carry-over)."""
from __future__ import annotations

from fractions import Fraction
from math import gcd

from .jsontext import dumps, json_numbers
from .loader import NotCovered
from .memo import MEMO
from .numbers import show

SUBJECTS = ("public", "professional")


class Year:
    """One year's summary: `entry` with exact numbers (shared across calls, so read-only) and its JSON text."""

    __slots__ = ("year", "entry", "_text")

    def __init__(self, year: int, entry: dict):
        self.year = year
        self.entry = entry
        self._text = None

    def as_dict(self) -> dict:
        return json_numbers(self.entry)

    def as_text(self) -> str:
        """The year as a member of the `years` object: "2024": {...}."""
        if self._text is None:
            self._text = f'"{self.year}": {dumps(json_numbers(self.entry))}'
        return self._text


def summarise_years(rows, bundle, region: str, profile: dict, extra_years=()) -> dict[int, Year]:
    years: set[int] = set(extra_years)
    sums: dict[tuple[int, str], list[int]] = {}  # exact: [numerator, denominator]
    deemed_set: set[tuple[int, str]] = set()
    for row in rows:
        if row.valid:
            year = row.activity.get("year")
            if year is not None:
                years.add(year)
        for c in row.credits:
            _add(sums, (c.year, c.subject), c.amount)
        for d in row.deemed:
            years.update(d.years)
            deemed_set.update((y, s) for y in d.years for s in d.subjects)
    years.update(year for year, _ in sums)
    memo = MEMO if MEMO.enabled else None
    out = {}
    for year in sorted(years):
        public, professional = _reduced(sums.get((year, "public"))), _reduced(sums.get((year, "professional")))
        deemed = ((year, "public") in deemed_set, (year, "professional") in deemed_set)
        key = ("year", bundle, region, year, *public, *professional, *deemed)
        found = memo.get(key) if memo is not None else None
        if found is None:
            credited = {"public": _number(public), "professional": _number(professional)}
            found = Year(year, _year(year, credited, dict(zip(SUBJECTS, deemed)), bundle, region))
            if memo is not None:
                memo.put(key, found)
        out[year] = found
    return out


def _add(sums: dict, key, amount) -> None:
    found = sums.get(key)
    if type(amount) is int:
        if found is None:
            sums[key] = [amount, 1]
        else:
            found[0] += amount * found[1]
        return
    numerator, denominator = amount.numerator, amount.denominator
    if found is None:
        sums[key] = [numerator, denominator]
    elif found[1] == denominator:
        found[0] += numerator
    else:
        found[0] = found[0] * denominator + numerator * found[1]
        found[1] *= denominator


def _reduced(pair) -> tuple[int, int]:
    if pair is None:
        return 0, 1
    divisor = gcd(*pair)
    return (pair[0] // divisor, pair[1] // divisor) if divisor > 1 else (pair[0], pair[1])


def _number(pair: tuple[int, int]) -> Fraction | int:
    return pair[0] if pair[1] == 1 else Fraction(*pair)


def _year(year, credited, deemed, bundle, region) -> dict:
    total = credited["public"] + credited["professional"]
    entry = {"unit": "hour", "covered": True, "public": credited["public"],
             "professional": credited["professional"], "total": total}
    req = bundle.requirement(region, year)
    entry["deemed_complete"] = deemed
    if isinstance(req, NotCovered):
        entry.update(covered=False, required=None, met=None, shortfall=None,
                     explanation=f"{req.reason}（不是“0 学时即不达标”，而是没有可依据的规定）")
        return entry
    p = req.params
    entry["unit"] = p.get("unit", "hour")
    entry["rule"] = req.id
    entry["source"] = req["source"]
    if p.get("per_year") is False:
        entry.update(required=None, met=None, shortfall=None, explanation=p.get("explanation", ""))
        return entry
    required = {"public": p["public"], "professional": p["professional"], "total": p["total"]}
    effective = {s: max(credited[s], required[s]) if deemed[s] else credited[s] for s in SUBJECTS}
    if deemed["public"] or deemed["professional"]:
        effective["total"] = effective["public"] + effective["professional"]
    else:
        effective["total"] = total
    shortfall = {k: _shortfall(required[k], effective[k]) for k in ("public", "professional", "total")}
    met = all(v == 0 for v in shortfall.values())
    entry.update(required=required, met=met, shortfall=shortfall,
                 explanation=_explain(year, credited, required, deemed, shortfall, met))
    return entry


def _shortfall(required, effective):
    """max(0, required - effective); an int requirement met needs no subtraction."""
    if type(required) is int and not effective < required:
        return 0
    return max(0, required - effective)


def _explain(year, credited, required, deemed, shortfall, met) -> str:
    parts = []
    for s, zh in (("public", "公需科目"), ("professional", "专业科目")):
        if deemed[s]:
            parts.append(f"{zh}视同完成")
        else:
            parts.append(f"{zh} {show(credited[s])}/{show(required[s])}")
    head = f"{year} 年：" + "，".join(parts)
    if met:
        return head + "，达到要求"
    gaps = [f"{zh}差 {show(shortfall[k])} 学时" for k, zh in
            (("public", "公需科目"), ("professional", "专业科目"), ("total", "总学时")) if shortfall[k] > 0]
    return head + "，未达到要求：" + "，".join(gaps)


def summarise_periods(years: dict, bundle, region: str) -> list[dict]:
    """Multi-year requirements (e.g. Binzhou's credit era: 2017–2019 ≥ 60 credits)."""
    out = []
    for rule in bundle.rules_for(region, "period_requirement"):
        p = rule.params
        span = range(p["from"], p["to"] + 1)
        if not any(y in years for y in span):
            continue
        total = sum((years[y]["total"] for y in span if y in years), Fraction(0))
        out.append({"rule": rule.id, "source": rule["source"], "years": [p["from"], p["to"]],
                    "unit": p.get("unit", "credit"), "required": Fraction(p["total"]), "total": total,
                    "met": total >= p["total"], "explanation": rule.get("summary") or ""})
    return out
