"""An amount for the leader (主持人), and for other members by their rank in the list."""
from ..numbers import exact
from . import Context, Outcome, hours, method, pick, rank_group


@method("by_role_rank")
def by_role_rank(ctx: Context) -> Outcome:
    """params: pi (leader's amount); member_groups: {"1-4": n, "5+": m} by rank in the signature list."""
    p = ctx.params
    role = ctx.need("role")
    if role == "pi":
        amount = exact(p["pi"])
        return Outcome([ctx.credit(amount)], explanation=f"主持人认定 {hours(amount)}")
    rank = ctx.need("rank")
    spec, value = rank_group(p["member_groups"], rank)
    if spec is None:
        return Outcome(explanation=f"参与人署名第 {rank} 位：本条未列此情形，不计学时")
    amount = exact(value)
    return Outcome([ctx.credit(amount)], explanation=f"参与人署名第 {rank} 位，认定 {hours(amount)}")
