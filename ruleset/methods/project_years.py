"""An amount for every year a research project ran (立项至结题)."""

from ..numbers import exact
from . import Context, InputProblem, Outcome, hours, method, pick


@method("per_project_year")
def per_project_year(ctx: Context) -> Outcome:
    """params: by_role: {pi: n, member: n}. `year` is the completion year; `start_year` the first."""
    p = ctx.params
    role = ctx.need("role")
    start = ctx.need("start_year")
    end = ctx.year
    if start > end:
        raise InputProblem("start_year", f"立项年份（{start}）不能晚于结题年份（{end}）")
    per_year = pick(p["by_role"], role, "role")
    if per_year is None:
        return Outcome(explanation=f"{ctx.label('role', role)}：本条未列此角色，不计学时")
    amount = exact(per_year)
    years = list(range(start, end + 1))
    credits = [ctx.credit(amount, year=y) for y in years]
    return Outcome(credits, explanation=(
        f"{ctx.label('role', role)}每年认定 {hours(amount)}，"
        f"{start}—{end} 年共 {len(years)} 年，合计 {hours(amount * len(years))}"))
