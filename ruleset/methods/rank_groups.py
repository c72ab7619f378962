"""An amount by rank group (1-3 / 4-6 / 7+), optionally first keyed by a field."""

from ..numbers import exact
from . import Context, Outcome, hours, method, pick, rank_group


@method("rank_groups")
def rank_groups(ctx: Context) -> Outcome:
    """params: by (field, optional); groups: {value: {"1-3": n, ...}} or {"1-3": n, ...}."""
    p = ctx.params
    groups = p["groups"]
    prefix = ""
    if "by" in p:
        value = ctx.need(p["by"])
        prefix = ctx.label(p["by"], value) + "，"
        groups = pick(groups, value, p["by"])
        if groups is None:
            return Outcome(explanation=f"{prefix.rstrip('，')}：本条未列此情形，不计学时")
    rank = ctx.need("rank")
    spec, value = rank_group(groups, rank)
    if spec is None:
        return Outcome(explanation=f"{prefix}排名第 {rank}：本条未列此排名，不计学时")
    amount = exact(value)
    return Outcome([ctx.credit(amount)],
                   explanation=f"{prefix}排名第 {rank}（{spec.replace('+', ' 名及以后')} 名档）认定 {hours(amount)}")
