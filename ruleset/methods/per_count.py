"""An amount for each unit counted in a field (courses passed, modules, subjects)."""

from ..numbers import exact
from . import Context, Outcome, hours, method


@method("per_count")
def per_count(ctx: Context) -> Outcome:
    """params: field, amount, unit (zh, e.g. 门)."""
    p = ctx.params
    count = ctx.need(p["field"])
    amount = exact(p["amount"]) * count
    unit = p.get("unit", "项")
    return Outcome([ctx.credit(amount)],
                   explanation=f"{count} {unit} × {hours(p['amount'])} = {hours(amount)}")
