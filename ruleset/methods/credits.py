"""Credit-era (学分制) conversions: hours to credits, credits as stated, other methods stated in credits."""

from fractions import Fraction

from ..loader import Rule
from ..numbers import exact, show, whole
from . import CREDITS_RULE_SUBJECT, METHODS, Context, InputProblem, Outcome, Param, method


@method(
    "hours_to_credits", label="学时折合学分", unit="credit",
    params=[
        Param("hours_per_credit", "number", "每学分折合学时"),
        Param("hours_per_day", "number", "只填天数时每天按几学时"),
        Param("whole", "bool", "只计满 1 学分的部分（不足的学时不计）", default=False),
    ],
    describe=["学时折合学分：每 {hours_per_credit} 学时折合 1 {unit}", "；只有天数的，每天按 {hours_per_day} 学时计",
              "；不足 1 {unit}的学时不计{?whole}"],
)
def hours_to_credits(ctx: Context) -> Outcome:
    """Stated hours, or days × hours_per_day, divided by hours_per_credit (exactly)."""
    per_credit = exact(ctx.param("hours_per_credit"))
    stated = ctx.activity.get("hours")
    days = ctx.activity.get("days")
    if stated is not None:
        hours = exact(stated)
        head = f"载明 {ctx.hours(hours)}"
    elif days is not None:
        rate = exact(ctx.param("hours_per_day"))
        hours = exact(days) * rate
        head = f"{show(days)} 天 × 每日 {ctx.hours(rate)} = {ctx.hours(hours)}"
    else:
        raise InputProblem("hours", "请填写证书（课程）载明的学时，或脱产、半脱产培训的天数")
    credits = whole(Fraction(hours) / per_credit)  # exact: 10 h at 3 h a credit is 10/3, not 3.33…
    text = f"{head}，每 {ctx.hours(per_credit)}折算 1 {ctx.unit_label()}"
    if ctx.param("whole") and credits != int(credits):
        rest = hours - int(credits) * per_credit
        credits = int(credits)
        text += f"，不足 {ctx.hours(per_credit)}的 {ctx.hours(rest)}不计"
    return Outcome([ctx.credit(credits)], explanation=f"{text}，计 {ctx.amount(credits)}")


@method("stated_credits", label="按载明学分", unit="credit", describe=["按结业证书记载的{unit}认定"])
def stated_credits(ctx: Context) -> Outcome:
    """The credits stated on the certificate (field `credits`)."""
    amount = exact(ctx.need("credits"))
    return Outcome([ctx.credit(amount)], explanation=f"按结业证书记载计 {ctx.amount(amount)}")


@method(
    "as_credits", label="以学分计", unit="credit",
    params=[Param("method", "method", "折算方法"), Param("params", "params", "该方法的参数", default={})],
    subjects=CREDITS_RULE_SUBJECT,
    describe=["{params}"],
)
def as_credits(ctx: Context) -> Outcome:
    """Run another method with those params; its amounts are credits (学分)."""
    p = ctx.params
    inner = Rule({**ctx.rule.data, "method": p["method"], "params": p.get("params") or {}}, ctx.rule.id)
    outcome = METHODS[p["method"]](Context(activity=ctx.activity, rule=inner, case=ctx.case))
    outcome.explanation = outcome.explanation.replace(ctx.unit_label("hour"), ctx.unit_label("credit"))
    return outcome
