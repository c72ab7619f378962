"""An amount for each unit counted in a field (courses passed, modules, subjects)."""

from ..numbers import exact
from . import Context, Outcome, Param, method


@method(
    "per_count", label="按数量",
    params=[
        Param("field", "field", "计数的字段"),
        Param("amount", "number", "每个（门、科）折算学时"),
        Param("count_unit", "text", "计数单位（如 门、科）", default="项"),
    ],
    describe=["按{field}计，每{count_unit}折算 {amount} {unit}"],
)
def per_count(ctx: Context) -> Outcome:
    count = ctx.need(ctx.param("field"))
    each = ctx.param("amount")
    amount = exact(each) * count
    return Outcome([ctx.credit(amount)],
                   explanation=f"{count} {ctx.param('count_unit')} × {ctx.hours(each)} = {ctx.hours(amount)}")
