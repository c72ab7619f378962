"""A fixed amount once a counted field reaches a minimum (e.g. ≥ 2000 points, ≥ 1 exam passed)."""

from ..numbers import exact, show
from . import Context, Outcome, method
from .units import amount_text


@method("threshold")
def threshold(ctx: Context) -> Outcome:
    """params: field, min, amount, count_unit (zh, e.g. 分, 门), unit (hour | credit)."""
    p = ctx.params
    value = ctx.need(p["field"])
    what = ctx.field_spec(p["field"]).get("label", p["field"])
    count_unit = p.get("count_unit", "")
    if value < exact(p["min"]):
        return Outcome(explanation=f"{what} {show(value)}{count_unit}，未达到 {show(p['min'])}{count_unit}，不计")
    amount = exact(p["amount"])
    return Outcome([ctx.credit(amount)],
                   explanation=f"{what} {show(value)}{count_unit}，达到 {show(p['min'])}{count_unit}，"
                               f"认定 {amount_text(amount, p)}")
