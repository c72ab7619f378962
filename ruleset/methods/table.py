"""An amount looked up in a table keyed by one or more activity fields."""

from ..numbers import exact
from . import Context, Outcome, hours, method, pick


@method("table")
def table(ctx: Context) -> Outcome:
    """params: keys: [field, ...]; values: nested mapping in that order; missing entry = 0 with reason."""
    p = ctx.params
    node = p["values"]
    shown = []
    for key in p["keys"]:
        value = ctx.need(key)
        shown.append(ctx.label(key, value))
        node = pick(node, value, key) if isinstance(node, dict) else None
        if node is None:
            return Outcome(explanation=f"{'、'.join(shown)}：本条未列此情形，不计学时")
    amount = exact(node)
    return Outcome([ctx.credit(amount)], explanation=f"{'、'.join(shown)}：认定 {hours(amount)}")
