"""An amount by the length of a stay in full months (满 N 个月), with an optional increment beyond a year."""

from ..numbers import exact, show
from . import UNIT, Context, InputProblem, KeySet, Outcome, Param, method, pick

MONTHS = KeySet("months", "时长", pattern=r"\d+", labels={"0": "不满 1 个月"}, template="满 {key} 个月")


@method(
    "duration_steps", label="按时长分档",
    params=[
        Param("steps", "table", "按时长分档（达到的最高一档适用）", keys=(MONTHS,)),
        Param("beyond", "record", "超过一定月数后的增加", required=False, parts=(
            Param("after", "int", "超过的月数"), Param("every", "int", "每满月数"), Param("add", "number", "增加"))),
        Param("days_per_month", "int", "只填天数时每月按几天", default=30),
        Param("unit", "choice", "折算的单位", of=UNIT, default="hour"),
    ],
    describe=["按时长（整月）分档折算（见下表）",
              "；超过 {beyond.after} 个月的，每满 {beyond.every} 个月增加 {beyond.add} {unit}",
              "；只有天数的，每 {days_per_month} 天按 1 个月计"],
)
def duration_steps(ctx: Context) -> Outcome:
    """steps {full months: amount}: the highest step not above the stay applies; `add` for every full
    `every` months past `after`; `days` converts to months when `months` is not given."""
    p = ctx.params
    months = ctx.activity.get("months")
    days = ctx.activity.get("days")
    how = ""
    if months is None:
        if days is None or days == 0:
            raise InputProblem("months", "请填写在外时间：满几个月（不足一个月填 0），或天数")
        per_month = ctx.param("days_per_month")
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
    text = f"{how}{stay}，认定 {ctx.amount(amount)}"
    beyond = p.get("beyond")
    if beyond and months > beyond["after"]:
        extra_steps = (months - beyond["after"]) // beyond["every"]
        if extra_steps:
            extra = exact(beyond["add"]) * extra_steps
            amount += extra
            text += (f"；超过 {beyond['after']} 个月的 {months - beyond['after']} 个月中每满 {beyond['every']} 个月"
                     f"增记 {ctx.amount(beyond['add'])}，共增记 {ctx.amount(extra)}，"
                     f"合计 {ctx.amount(amount)}")
    return Outcome([ctx.credit(amount)], explanation=text)
