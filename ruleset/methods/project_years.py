"""An amount for every year a research project ran (立项至结题), within the rule's years in force."""

from ..numbers import exact
from . import Context, InputProblem, Outcome, Param, method, pick


@method(
    "per_project_year", label="按课题年数",
    params=[
        Param("by_role", "table", "每年学时（按本人角色）", keys=("role",)),
        Param("once", "choices", "只认定一次（计入结题年度）的角色", of="role", required=False),
    ],
    describe=["自立项至结题，按本人角色每年折算（见下表）", "；{once}只认定一次，计入结题年度"],
)
def per_project_year(ctx: Context) -> Outcome:
    """`year` is the completion year; `start_year` the first. Years before the rule took effect earn
    nothing (the explanation names them)."""
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
    if role in (p.get("once") or ()):
        return Outcome([ctx.credit(amount)], explanation=(
            f"{ctx.label('role', role)}认定 {ctx.hours(amount)}（一次，计入结题的 {end} 年；原文未写“每年”）"))
    years, dropped = ctx.years_in_force(list(range(start, end + 1)))
    credits = [ctx.credit(amount, year=y) for y in years]
    span = f"{years[0]}—{years[-1]} 年" if len(years) > 1 else f"{years[0]} 年"
    text = (f"{ctx.label('role', role)}每年认定 {ctx.hours(amount)}，"
            f"{span}共 {len(years)} 年，合计 {ctx.hours(amount * len(years))}")
    if dropped:
        text += f"（立项至结题为 {start}—{end} 年；{dropped}）"
    return Outcome(credits, explanation=text)
