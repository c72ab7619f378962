"""Per-year caps (每年最多): per-kind caps on a rule, and caps shared by several kinds.

Cap room goes to the larger amounts first (ties by the activity's content), so
the result does not depend on the order the activities were entered in.
"""
from __future__ import annotations

from fractions import Fraction

from .methods import Credit
from .numbers import show, whole


def apply_caps(rows: list, bundle, region: str) -> None:
    """Cut credits in each row's own list (a cut credit is replaced, not changed); record each cut as rows[i].caps."""
    shared = bundle.rules_of_type(region, "cap")
    groups: dict[str, list] = {}
    for row in rows:
        if row.rule is not None and row.rule.get("cap"):
            groups.setdefault(row.rule.id, []).append(row)
    if not groups and not shared:
        return
    caps = []  # (rule, limits, credits by year, per kind?) in the order they apply within a year
    for members in groups.values():
        rule = members[0].rule
        caps.append((rule, {"total": rule["cap"]["per_year"]}, _by_year(members), True))
    for cap in shared:
        kinds = set(cap["kinds"])
        members = [row for row in rows if row.activity.get("kind") in kinds]
        caps.append((cap, cap.params["per_year"], _by_year(members), False))
    for year in sorted({year for _, _, by_year, _ in caps for year in by_year}):
        # per-kind caps (grouped by the rule that converted the activity), then shared caps in force that year
        for rule, limits, by_year, per_kind in caps:
            found = by_year.get(year)
            if found is not None and not _within(found[1], limits) and (per_kind or rule.in_force(year)):
                _cut(found[0], year, limits, rule, per_kind, bundle)


def _by_year(members: list) -> dict[int, tuple[list, dict]]:
    """year -> ((row, credit position) in the members' order, positive amounts by subject before any cut)."""
    out: dict[int, tuple[list, dict]] = {}
    for row in members:
        for i, c in enumerate(row.credits):
            found = out.get(c.year)
            if found is None:
                found = out[c.year] = ([], {})
            found[0].append((row, i))
            if c.amount > 0:
                found[1][c.subject] = found[1].get(c.subject, 0) + c.amount
    return out


def _within(sums: dict, limits: dict) -> bool:
    """Nothing to cut: amounts before any cut are within every limit (cuts only ever lower them)."""
    for subject, limit in limits.items():
        if (sum(sums.values()) if subject == "total" else sums.get(subject, 0)) > limit:
            return False
    return True


def _cut(places: list, year: int, limits: dict, rule, per_kind: bool, bundle) -> None:
    places = [(row, i) for row, i in places if row.credits[i].amount > 0]
    if not places:
        return
    places.sort(key=lambda place: (-place[0].credits[place[1]].amount, place[0].canonical, place[0].index))
    for subject, limit in limits.items():
        room = limit if type(limit) is int else Fraction(limit)
        for row, i in places:
            credit = row.credits[i]
            if subject != "total" and credit.subject != subject:
                continue
            take = min(credit.amount, room)
            cut = whole(credit.amount - take)
            room -= take
            if cut > 0:
                hour = bundle.unit_label("hour")
                row.credits[i] = Credit(credit.year, credit.subject, whole(take))
                scope = "本类活动" if per_kind else rule.get("label") or "、".join(
                    row_label for row_label in rule.get("kinds", []))
                row.caps.append({
                    "rule": rule.id,
                    "source": rule["source"],
                    "year": year,
                    "subject": credit.subject,
                    "limit": limit,
                    "cut": cut,
                    "explanation": f"{year} 年{scope}{'' if subject == 'total' else bundle.subject_label(subject)}"
                                   f"每年最多 {show(limit)} {hour}，核减 {show(cut)} {hour}",
                })
