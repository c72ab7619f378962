"""A multiple of a stated time (e.g. 6 × the teaching time)."""

from ..numbers import exact
from . import Context, Outcome, hours, method


@method("multiple")
def multiple(ctx: Context) -> Outcome:
    """params: field (default hours), factor."""
    p = ctx.params
    base = exact(ctx.need(p.get("field", "hours")))
    amount = base * exact(p["factor"])
    return Outcome([ctx.credit(amount)],
                   explanation=f"{hours(base)} × {p['factor']} = {hours(amount)}")
