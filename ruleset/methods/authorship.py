"""Per item by authorship: sole author, first author, other co-authors."""

from ..numbers import exact
from . import Context, InputProblem, Outcome, Param, method


@method(
    "by_authorship", label="按作者身份",
    params=[
        Param("sole", "number", "独著（独立作者）"),
        Param("coauthor", "number", "合作的每位作者", required=False),
        Param("first", "number", "合著第一作者", required=False),
        Param("other", "number", "合著其他作者", required=False),
    ],
    one_of=[("coauthor",), ("first", "other")],
    describe=["按作者身份折算：独著每项 {sole} {unit}", "，合作的每人 {coauthor} {unit}",
              "，合著第一作者 {first} {unit}", "，其他作者 {other} {unit}"],
)
def by_authorship(ctx: Context) -> Outcome:
    """sole; and coauthor (every co-author) or first + other."""
    p = ctx.params
    authors = ctx.need("authors")
    if authors == 1:
        amount, who = exact(p["sole"]), "独著（独立作者）"
    else:
        rank = ctx.need("rank")
        if rank > authors:
            raise InputProblem("rank", f"排名（{rank}）不能大于作者总数（{authors}）")
        if "coauthor" in p:
            amount, who = exact(p["coauthor"]), f"{authors} 人合作，每人"
        elif rank == 1:
            amount, who = exact(p["first"]), "合著第一作者"
        else:
            amount, who = exact(p["other"]), f"合著其他作者（第 {rank} 名）"
    return Outcome([ctx.credit(amount)], explanation=f"{who}认定 {ctx.hours(amount)}")
