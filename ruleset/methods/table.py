"""An amount looked up in a table keyed by one or more activity fields."""

from ..numbers import exact
from . import Context, Outcome, Param, method, pick


@method(
    "table", label="查表",
    params=[
        Param("keys", "fields", "查表依据（依次）"),
        Param("values", "table", "学时表", keys=("=keys",)),
    ],
    describe=["按{keys}查表折算（见下表；表中未列的情形不计{unit}）"],
)
def table(ctx: Context) -> Outcome:
    """values: a nested mapping in the order of `keys`; a missing entry is 0 with the reason."""
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
    return Outcome([ctx.credit(amount)], explanation=f"{'、'.join(shown)}：认定 {ctx.hours(amount)}")
