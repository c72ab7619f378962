"""A fixed amount per item."""

from ..numbers import exact
from . import Context, Outcome, Param, method


@method(
    "fixed", label="每项定额",
    params=[
        Param("amount", "number", "每项学时", required=False),
        Param("public", "number", "每项计入公需科目的学时", required=False),
        Param("professional", "number", "每项计入专业科目的学时", required=False),
    ],
    one_of=[("amount",), ("public", "professional")],
    describe=["每项折算 {amount} {unit}", "每项折算公需科目 {public} {unit}、专业科目 {professional} {unit}"],
)
def fixed(ctx: Context) -> Outcome:
    """amount (in the rule's subject); or public + professional for an item that credits both subjects."""
    p = ctx.params
    if "amount" in p:
        amount = exact(p["amount"])
        return Outcome([ctx.credit(amount)], explanation=f"每项认定 {ctx.hours(amount)}")
    credits = [ctx.credit(exact(p[s]), subject=s) for s in ("public", "professional") if p.get(s)]
    text = "，".join(f"{ctx.subject_label(c.subject)} {ctx.hours(c.amount)}" for c in credits)
    return Outcome(credits, explanation=f"认定{text}")
