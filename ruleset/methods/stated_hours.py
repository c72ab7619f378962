"""The hours as stated on the certificate, platform or notice."""

from ..numbers import exact
from . import Context, Outcome, hours, method


@method("stated_hours")
def stated_hours(ctx: Context) -> Outcome:
    amount = exact(ctx.need("hours"))
    return Outcome([ctx.credit(amount)], explanation=f"按载明学时认定 {hours(amount)}")
