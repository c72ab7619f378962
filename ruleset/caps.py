"""Per-year caps (每年最多): per-kind caps on a rule, and caps shared by several kinds.

Cap room goes to the larger amounts first (ties by the activity's content), so
the result does not depend on the order the activities were entered in.
"""
from __future__ import annotations

from fractions import Fraction

from .numbers import show


def apply_caps(rows: list, bundle, region: str) -> None:
    """Cut credits in place; record each cut on the row as rows[i].caps."""
    shared = bundle.rules_for(region, "cap")
    groups: dict[str, list] = {}
    for row in rows:
        if row.rule is not None and row.rule.get("cap"):
            groups.setdefault(row.rule.id, []).append(row)
    if not groups and not shared:
        return
    years = sorted({c.year for row in rows for c in row.credits})
    for year in years:
        # 1. per-kind caps, grouped by the rule that converted the activity
        for rule_id, members in groups.items():
            rule = members[0].rule
            _cut(members, year, {"total": rule["cap"]["per_year"]}, rule, per_kind=True)
        # 2. shared caps in force that year
        for cap in shared:
            if not cap.in_force(year):
                continue
            kinds = set(cap["kinds"])
            members = [row for row in rows if row.activity.get("kind") in kinds]
            _cut(members, year, cap.params["per_year"], cap, per_kind=False)


def _cut(members: list, year: int, limits: dict, rule, per_kind: bool) -> None:
    credits = [(row, c) for row in members for c in row.credits if c.year == year and c.amount > 0]
    if not credits:
        return
    credits.sort(key=lambda rc: (-rc[1].amount, rc[0].canonical, rc[0].index))
    for subject, limit in limits.items():
        room = Fraction(limit)
        for row, credit in credits:
            if subject != "total" and credit.subject != subject:
                continue
            take = min(credit.amount, room)
            cut = credit.amount - take
            room -= take
            if cut > 0:
                credit.amount = take
                what = {"total": "", "public": "公需科目", "professional": "专业科目"}[subject]
                scope = "本类活动" if per_kind else rule.get("label") or "、".join(
                    row_label for row_label in rule.get("kinds", []))
                row.caps.append({
                    "rule": rule.id,
                    "source": rule["source"],
                    "year": year,
                    "subject": credit.subject,
                    "limit": limit,
                    "cut": cut,
                    "explanation": f"{year} 年{scope}{what}每年最多 {show(limit)} 学时，核减 {show(cut)} 学时",
                })
