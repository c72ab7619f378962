"""An amount by rank group (1-3 / 4-6 / 7+), optionally first keyed by a field."""

from ..numbers import exact
from . import RANK_GROUP, Context, Outcome, Param, method, pick, rank_group


@method(
    "rank_groups", label="按排名分档",
    params=[
        Param("by", "field", "先按哪一项分表", required=False),
        Param("groups", "table", "各排名档的学时", keys=("=by", RANK_GROUP)),
    ],
    describe=["按", "{by}和", "本人排名分档折算（见下表；表中未列的情形不计{unit}）"],
)
def rank_groups(ctx: Context) -> Outcome:
    """groups: {value of `by`: {"1-3": n, ...}} or, without `by`, {"1-3": n, ...}."""
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
                   explanation=f"{prefix}排名第 {rank}（{spec.replace('+', ' 名及以后')} 名档）认定 {ctx.hours(amount)}")
