"""A multiple of a stated time (e.g. 6 × the teaching time)."""

from ..numbers import exact
from . import Context, Outcome, Param, method


@method(
    "multiple", label="按倍数",
    params=[Param("field", "field", "按哪一项的倍数", default="hours"), Param("factor", "number", "倍数")],
    describe=["按{field}的 {factor} 倍折算"],
)
def multiple(ctx: Context) -> Outcome:
    base = exact(ctx.need(ctx.param("field")))
    factor = ctx.param("factor")
    amount = base * exact(factor)
    return Outcome([ctx.credit(amount)],
                   explanation=f"{ctx.hours(base)} × {factor} = {ctx.hours(amount)}")
