"""An amount for the leader (主持人), and for other members by their rank in the list."""
from ..numbers import exact
from . import RANK_GROUP, Context, Outcome, Param, method, rank_group


@method(
    "by_role_rank", label="按角色和署名位次",
    params=[
        Param("pi", "number", "主持人（每项）"),
        Param("member_groups", "table", "参与人按署名位次分档", keys=(RANK_GROUP,)),
    ],
    describe=["主持人每项 {pi} {unit}；参与人按署名位次分档折算（见下表；表中未列的位次不计{unit}）"],
)
def by_role_rank(ctx: Context) -> Outcome:
    """member_groups: {"1-4": n, "5+": m} by rank in the signature list."""
    p = ctx.params
    role = ctx.need("role")
    if role == "pi":
        amount = exact(p["pi"])
        return Outcome([ctx.credit(amount)], explanation=f"主持人认定 {ctx.hours(amount)}")
    rank = ctx.need("rank")
    spec, value = rank_group(p["member_groups"], rank)
    if spec is None:
        return Outcome(explanation=f"参与人署名第 {rank} 位：本条未列此情形，不计学时")
    amount = exact(value)
    return Outcome([ctx.credit(amount)], explanation=f"参与人署名第 {rank} 位，认定 {ctx.hours(amount)}")
