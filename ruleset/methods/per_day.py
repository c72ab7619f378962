"""Days at a daily rate, or the hours stated on the certificate."""

from ..numbers import exact, show
from . import Context, InputProblem, Outcome, Param, method


@method(
    "per_day", label="按天数",
    params=[
        Param("rate", "number", "每天折算学时"),
        Param("stated_first", "bool", "证书（通知）载明学时的按载明学时认定", default=True),
        Param("max_per_day", "number", "载明学时每天最多按几学时计", required=False),
        Param("days_alone", "bool", "只填天数时按天数折算（否：每天学时只是上限，须填载明学时）", default=True),
    ],
    describe=["{?stated_first}证书（通知）载明{unit}的按载明{unit}认定；未载明的",
              "按天数折算，每天 {rate} {unit}",
              "；载明{unit}每天最多按 {max_per_day} {unit}计"],
)
def per_day(ctx: Context) -> Outcome:
    """Stated hours win (stated_first), capped at max_per_day a day; days × rate otherwise. Where the
    clause credits actual hours and the daily figure is only a ceiling (days_alone false), days without
    stated hours are bad input, not days × the ceiling."""
    rate = exact(ctx.param("rate"))
    stated = ctx.activity.get("hours")
    days = ctx.activity.get("days")
    days_alone = ctx.param("days_alone")
    if stated is None and (days is None or days_alone is False):
        if days_alone is False:
            raise InputProblem("hours", f"本地区按实际学时认定（每天不超过 {show(rate)} 学时）：请填写证书、通知载明的学时")
        raise InputProblem("days", "请填写天数或证书载明的学时")
    if stated is not None and ctx.param("stated_first"):
        amount = exact(stated)
        text = f"按载明学时认定 {ctx.hours(amount)}"
        cap = ctx.param("max_per_day")
        if cap is not None and days is not None and amount > exact(cap) * days:
            limit = exact(cap) * days
            text = f"载明 {ctx.hours(amount)}，每天不超过 {ctx.hours(cap)}，{show(days)} 天最多 {ctx.hours(limit)}"
            amount = limit
        return Outcome([ctx.credit(amount)], explanation=text)
    if days is None:
        raise InputProblem("days", "请填写天数")
    amount = exact(days) * rate
    return Outcome([ctx.credit(amount)], explanation=f"{show(days)} 天 × {ctx.hours(rate)}/天 = {ctx.hours(amount)}")
