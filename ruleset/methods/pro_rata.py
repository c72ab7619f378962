"""A yearly amount per subject, pro rata by the months within the year."""

from fractions import Fraction

from ..numbers import exact
from . import SUBJECT_ZH, Context, Outcome, hours, method


@method("pro_rata_months")
def pro_rata_months(ctx: Context) -> Outcome:
    """params: public, professional (a full year's amounts); min_months (optional threshold)."""
    p = ctx.params
    months = ctx.need("months")
    if p.get("min_months") and months < p["min_months"]:
        return Outcome(explanation=f"本年度 {months} 个月，未超过 {p['min_months'] - 1} 个月，不符合本条情形，不计学时")
    share = Fraction(months, 12)
    credits = [ctx.credit(exact(p[s]) * share, subject=s) for s in ("public", "professional") if p.get(s)]
    parts = "、".join(f"{SUBJECT_ZH[c.subject]} {p[c.subject]}×{months}/12 = {hours(c.amount)}" for c in credits)
    return Outcome(credits, explanation=f"按月份比例：{parts}")
