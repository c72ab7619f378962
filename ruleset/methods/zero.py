"""No hours, for a stated reason (an exclusion in the policy)."""
from . import Context, Outcome, method


@method("zero")
def zero(ctx: Context) -> Outcome:
    """params: reason (zh)."""
    return Outcome(explanation=ctx.params.get("reason", "按本条规定不计学时"))
