"""No hours, for a stated reason (an exclusion in the policy)."""
from . import Context, Outcome, Param, method


@method(
    "zero", label="不计学时",
    params=[Param("reason", "text", "不计的原因", default="按本条规定不计学时")],
    describe=["不计{unit}：{reason}"],
)
def zero(ctx: Context) -> Outcome:
    return Outcome(explanation=ctx.param("reason"))
