"""Per item by authorship: sole author, first author, other co-authors."""

from ..numbers import exact
from . import Context, Outcome, hours, method


@method("by_authorship")
def by_authorship(ctx: Context) -> Outcome:
    """params: sole; and coauthor (every co-author) or first + other."""
    p = ctx.params
    authors = ctx.need("authors")
    if authors == 1:
        amount, who = exact(p["sole"]), "独著（独立作者）"
    else:
        rank = ctx.need("rank")
        if rank > authors:
            from . import InputProblem
            raise InputProblem("rank", f"排名（{rank}）不能大于作者总数（{authors}）")
        if "coauthor" in p:
            amount, who = exact(p["coauthor"]), f"{authors} 人合作，每人"
        elif rank == 1:
            amount, who = exact(p["first"]), "合著第一作者"
        else:
            amount, who = exact(p["other"]), f"合著其他作者（第 {rank} 名）"
    return Outcome([ctx.credit(amount)], explanation=f"{who}认定 {hours(amount)}")
