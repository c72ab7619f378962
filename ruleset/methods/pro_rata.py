"""A yearly amount per subject, pro rata by the months within the year."""

from fractions import Fraction

from ..numbers import exact
from . import Context, Outcome, Param, method


@method(
    "pro_rata_months", label="按月份比例",
    params=[
        Param("public", "number", "公需科目全年学时", required=False),
        Param("professional", "number", "专业科目全年学时", required=False),
        Param("min_months", "int", "须超过的月数（不足不计）", required=False),
    ],
    one_of=[("public",), ("professional",)],
    subjects=("both",),
    describe=["按当年所占月份比例折算：", "公需科目全年 {public} {unit}；", "专业科目全年 {professional} {unit}；",
              "本年度不足 {min_months} 个月的不计"],
)
def pro_rata_months(ctx: Context) -> Outcome:
    """The rule's `subject` is not used: each subject's amount is a parameter."""
    p = ctx.params
    months = ctx.need("months")
    if p.get("min_months") and months < p["min_months"]:
        return Outcome(explanation=f"本年度 {months} 个月，未超过 {p['min_months'] - 1} 个月，不符合本条情形，不计学时")
    share = Fraction(months, 12)
    credits = [ctx.credit(exact(p[s]) * share, subject=s) for s in ("public", "professional") if p.get(s)]
    parts = "、".join(f"{ctx.subject_label(c.subject)} {p[c.subject]}×{months}/12 = {ctx.hours(c.amount)}"
                     for c in credits)
    return Outcome(credits, explanation=f"按月份比例：{parts}")
