"""Credit-era (学分制) conversions: hours to credits, credits as stated, other methods stated in credits."""

from fractions import Fraction

from ..loader import Rule
from ..numbers import exact, show, whole
from . import METHODS, Context, InputProblem, Outcome, method


@method("hours_to_credits")
def hours_to_credits(ctx: Context) -> Outcome:
    """params: hours_per_credit; hours_per_day (for `days` when no hours are stated); whole (bool:
    only full credits, the remainder of hours earns nothing)."""
    p = ctx.params
    per_credit = exact(p["hours_per_credit"])
    stated = ctx.activity.get("hours")
    days = ctx.activity.get("days")
    if stated is not None:
        hours = exact(stated)
        head = f"载明 {show(hours)} 学时"
    elif days is not None:
        rate = exact(p["hours_per_day"])
        hours = exact(days) * rate
        head = f"{show(days)} 天 × 每日 {show(rate)} 学时 = {show(hours)} 学时"
    else:
        raise InputProblem("hours", "请填写证书（课程）载明的学时，或脱产、半脱产培训的天数")
    credits = whole(Fraction(hours) / per_credit)  # exact: 10 h at 3 h a credit is 10/3, not 3.33…
    text = f"{head}，每 {show(per_credit)} 学时折算 1 学分"
    if p.get("whole") and credits != int(credits):
        rest = hours - int(credits) * per_credit
        credits = int(credits)
        text += f"，不足 {show(per_credit)} 学时的 {show(rest)} 学时不计"
    return Outcome([ctx.credit(credits)], explanation=f"{text}，计 {show(credits)} 学分")


@method("stated_credits")
def stated_credits(ctx: Context) -> Outcome:
    """The credits stated on the certificate (field `credits`)."""
    amount = exact(ctx.need("credits"))
    return Outcome([ctx.credit(amount)], explanation=f"按结业证书记载计 {show(amount)} 学分")


@method("as_credits")
def as_credits(ctx: Context) -> Outcome:
    """params: method, params: run another method with those params; its amounts are credits (学分)."""
    p = ctx.params
    inner = Rule({**ctx.rule.data, "method": p["method"], "params": p.get("params") or {}}, ctx.rule.id)
    outcome = METHODS[p["method"]](Context(activity=ctx.activity, rule=inner, case=ctx.case))
    outcome.explanation = outcome.explanation.replace("学时", "学分")
    return outcome
