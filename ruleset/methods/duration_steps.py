"""An amount by the length of a stay in full months (满 N 个月), with an optional increment beyond a year."""

from ..numbers import exact, show
from . import Context, InputProblem, Outcome, method, pick
from .units import amount_text


@method("duration_steps")
def duration_steps(ctx: Context) -> Outcome:
    """params: steps {full months: amount} (the highest step not above the stay applies);
    beyond {after, every, add} (optional: `add` for every full `every` months past `after`);
    days_per_month (converts `days` when `months` is not given); unit (hour | credit)."""
    p = ctx.params
    months = ctx.activity.get("months")
    days = ctx.activity.get("days")
    how = ""
    if months is None:
        if days is None or days == 0:
            raise InputProblem("months", "请填写在外时间：满几个月（不足一个月填 0），或天数")
        per_month = p.get("days_per_month", 30)
        months = int(exact(days) // per_month)
        how = f"{show(days)} 天按每月 {per_month} 天折合满 {months} 个月，" if months else f"{show(days)} 天，"
    steps = sorted(int(k) for k in p["steps"])
    reached = [s for s in steps if s <= months]
    if not reached:
        return Outcome(explanation=f"{how}在外 {months} 个月，不足 {steps[0]} 个月，不计")
    step = reached[-1]
    amount = exact(pick(p["steps"], step, "months"))
    if step == 0:
        span = "不满一个月"
    elif step == steps[-1]:
        span = f"满 {step} 个月及以上"
    else:
        span = f"满 {step} 个月不满 {steps[steps.index(step) + 1]} 个月"
    stay = f"在外 {months} 个月（{span}）" if months else "在外不满一个月"
    text = f"{how}{stay}，认定 {amount_text(amount, p)}"
    beyond = p.get("beyond")
    if beyond and months > beyond["after"]:
        extra_steps = (months - beyond["after"]) // beyond["every"]
        if extra_steps:
            extra = exact(beyond["add"]) * extra_steps
            amount += extra
            text += (f"；超过 {beyond['after']} 个月的 {months - beyond['after']} 个月中每满 {beyond['every']} 个月"
                     f"增记 {amount_text(beyond['add'], p)}，共增记 {amount_text(extra, p)}，"
                     f"合计 {amount_text(amount, p)}")
    return Outcome([ctx.credit(amount)], explanation=text)
