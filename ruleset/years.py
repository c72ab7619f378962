"""Each year's credited hours against the requirement in force that year (no carry-over)."""
from __future__ import annotations

from fractions import Fraction

from .cache import year_summaries
from .loader import NotCovered
from .numbers import show
from .rule_types import RULE_TYPES

_PERIOD = RULE_TYPES["period_requirement"].spec

SUBJECTS = ("public", "professional")


def summarise_years(rows, ctx, extra_years=()) -> dict[int, dict]:
    """{year: summary} for every year an activity counts in, plus `extra_years` (the application window).

    The summaries are shared between calls (ruleset/cache.py): read them, never change them."""
    years: set[int] = set(extra_years)
    sums: dict[tuple[int, str], Fraction | int] = {}
    deemed: set[tuple[int, str]] = set()
    for row in rows:
        if row.valid:
            year = row.activity.get("year")
            if year is not None:
                years.add(year)
        for c in row.credits:
            key = c.year, c.subject
            sums[key] = sums.get(key, 0) + c.amount
        for d in row.deemed:
            years.update(d.years)
            deemed.update((y, s) for y in d.years for s in d.subjects)
    years.update(year for year, _ in sums)
    order = sorted(years)
    wanted = [(year, sums.get((year, "public"), 0), sums.get((year, "professional"), 0), (year, "public") in deemed,
               (year, "professional") in deemed) for year in order]
    return dict(zip(order, year_summaries(_year, wanted, ctx.bundle, ctx.region)))


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
    entry["unit"] = p.get("unit", bundle.default_unit)
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
                 explanation=_explain(year, credited, required, deemed, shortfall, met, bundle))
    return entry


def _shortfall(required, effective):
    """max(0, required - effective); an int requirement met needs no subtraction."""
    if type(required) is int and not effective < required:
        return 0
    return max(0, required - effective)


def _explain(year, credited, required, deemed, shortfall, met, bundle) -> str:
    parts = []
    for s in SUBJECTS:
        zh = bundle.subject_label(s)
        if deemed[s]:
            parts.append(f"{zh}视同完成")
        else:
            parts.append(f"{zh} {show(credited[s])}/{show(required[s])}")
    head = f"{year} 年：" + "，".join(parts)
    if met:
        return head + "，达到要求"
    hour = bundle.unit_label("hour")
    gaps = [f"{zh}差 {show(shortfall[k])} {hour}" for k, zh in
            (*((s, bundle.subject_label(s)) for s in SUBJECTS), ("total", "总学时")) if shortfall[k] > 0]
    return head + "，未达到要求：" + "，".join(gaps)


def summarise_periods(years: dict, bundle, region: str) -> list[dict]:
    """Multi-year requirements (e.g. Binzhou's credit era: 2017–2019 ≥ 60 credits)."""
    out = []
    for rule in bundle.rules_of_type(region, "period_requirement"):
        p = rule.params
        span = range(p["from"], p["to"] + 1)
        if not any(y in years for y in span):
            continue
        total = sum((years[y]["total"] for y in span if y in years), Fraction(0))
        out.append({"rule": rule.id, "source": rule["source"], "years": [p["from"], p["to"]],
                    "unit": p.get("unit", _PERIOD.default("unit")), "required": Fraction(p["total"]), "total": total,
                    "met": total >= p["total"], "explanation": rule.get("summary") or ""})
    return out
