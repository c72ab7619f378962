"""A fixed amount once a counted field reaches a minimum (e.g. ≥ 2000 points, ≥ 1 exam passed)."""

from ..numbers import exact, show
from . import UNIT, Context, Outcome, Param, method


@method(
    "threshold", label="达到数量后定额",
    params=[
        Param("field", "field", "计数的字段"),
        Param("min", "number", "须达到的数量"),
        Param("amount", "number", "达到后折算"),
        Param("count_unit", "text", "计数单位（如 分、门）", default=""),
        Param("unit", "choice", "折算的单位", of=UNIT, default="hour"),
    ],
    describe=["{field}达到 {min}", "{count_unit}", "的，折算 {amount} {unit}；未达到的不计"],
)
def threshold(ctx: Context) -> Outcome:
    value = ctx.need(ctx.param("field"))
    what = ctx.field_spec(ctx.param("field")).get("label", ctx.param("field"))
    count_unit = ctx.param("count_unit")
    least = ctx.param("min")
    if value < exact(least):
        return Outcome(explanation=f"{what} {show(value)}{count_unit}，未达到 {show(least)}{count_unit}，不计")
    amount = exact(ctx.param("amount"))
    return Outcome([ctx.credit(amount)],
                   explanation=f"{what} {show(value)}{count_unit}，达到 {show(least)}{count_unit}，"
                               f"认定 {ctx.amount(amount)}")
