"""The hours as stated on the certificate, platform or notice."""

from ..numbers import exact
from . import Context, Outcome, method


@method("stated_hours", label="按载明学时", describe=["按证书、平台或通知载明的{unit}认定"])
def stated_hours(ctx: Context) -> Outcome:
    amount = exact(ctx.need("hours"))
    return Outcome([ctx.credit(amount)], explanation=f"按载明学时认定 {ctx.hours(amount)}")
