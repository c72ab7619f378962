"""A fixed amount per item."""

from ..numbers import exact
from . import Context, Outcome, hours, method


@method("fixed")
def fixed(ctx: Context) -> Outcome:
    """params: amount; or public + professional for an item that credits both subjects."""
    p = ctx.params
    if "amount" in p:
        amount = exact(p["amount"])
        return Outcome([ctx.credit(amount)], explanation=f"每项认定 {hours(amount)}")
    credits = [ctx.credit(exact(p[s]), subject=s) for s in ("public", "professional") if p.get(s)]
    text = "，".join(f"{'公需科目' if c.subject == 'public' else '专业科目'} {hours(c.amount)}" for c in credits)
    return Outcome(credits, explanation=f"认定{text}")
