"""Days at a daily rate, or the hours stated on the certificate."""

from ..numbers import exact, show
from . import Context, InputProblem, Outcome, hours, method


@method("per_day")
def per_day(ctx: Context) -> Outcome:
    """params: rate (h/day), stated_first (bool: stated hours win), max_per_day (cap on stated hours),
    days_alone (default true; false where the clause credits actual hours and the daily figure is only
    a ceiling: days without stated hours are then bad input, not days × the ceiling)."""
    p = ctx.params
    rate = exact(p["rate"])
    stated = ctx.activity.get("hours")
    days = ctx.activity.get("days")
    if stated is None and (days is None or p.get("days_alone", True) is False):
        if p.get("days_alone", True) is False:
            raise InputProblem("hours", f"本地区按实际学时认定（每天不超过 {show(rate)} 学时）：请填写证书、通知载明的学时")
        raise InputProblem("days", "请填写天数或证书载明的学时")
    if stated is not None and p.get("stated_first", True):
        amount = exact(stated)
        text = f"按载明学时认定 {hours(amount)}"
        cap = p.get("max_per_day")
        if cap is not None and days is not None and amount > exact(cap) * days:
            limit = exact(cap) * days
            text = f"载明 {hours(amount)}，每天不超过 {hours(cap)}，{show(days)} 天最多 {hours(limit)}"
            amount = limit
        return Outcome([ctx.credit(amount)], explanation=text)
    if days is None:
        raise InputProblem("days", "请填写天数")
    amount = exact(days) * rate
    return Outcome([ctx.credit(amount)], explanation=f"{show(days)} 天 × {hours(rate)}/天 = {hours(amount)}")
