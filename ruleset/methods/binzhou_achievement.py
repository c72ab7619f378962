"""Binzhou's achievements table (成果): awards by level and grade, appraised results, patents, competitions.

One table of level × column (grade 1/2/3 or `appraised`), and the rank rules of the notice:
the first `top` people take their own column, later people one step down.
"""

from ..numbers import exact
from . import Context, InputProblem, Outcome, method, pick, rank_group
from .units import amount_text

LEVEL_ZH = {"national": "国家级", "provincial": "省部级", "municipal": "地市级", "county": "县区级"}
COLUMN_ZH = {"1": "一等奖", "2": "二等奖", "3": "三等奖", "appraised": "鉴定成果"}


def _mapped(ctx: Context, spec: dict | None, default_field: str):
    """(value in table terms, zh description) of the level or grade, read through an optional mapping."""
    if spec is None:
        return ctx.need(default_field), ""
    raw = ctx.need(spec["field"])
    return pick(spec["map"], raw, spec["field"]), ctx.label(spec["field"], raw)


def _rank(ctx: Context) -> tuple[int, str]:
    rank = ctx.activity.get("rank")
    if rank is not None:
        authors = ctx.activity.get("authors")
        if authors is not None and rank > authors:
            raise InputProblem("rank", f"排名（{rank}）不能大于总人数（{authors}）")
        return rank, f"排名第 {rank}"
    if ctx.params.get("rank_default") is not None:
        default = ctx.params["rank_default"]
        return default, f"未填写排名，按第 {default} 名（个人项目）计算"
    return ctx.need("rank"), ""


@method("binzhou_achievement")
def binzhou_achievement(ctx: Context) -> Outcome:
    """params: mode (award | appraised); table {level: {1, 2, 3, appraised}}; top (3);
    next_grade {1: 2, 2: 3, 3: appraised}; ungraded {"1-3": 1, "4-6": 2, "7+": 3};
    next_level {national: provincial, ...}; lowest_after_top (county appraised, 4th+);
    level_from / grade_from {field, map} (optional: read level / grade through another field);
    rank_default (optional, when rank is not given); unit (hour | credit)."""
    p = ctx.params
    level, level_src = _mapped(ctx, p.get("level_from"), "level")
    if level is None:
        return Outcome(explanation=f"{level_src}：本条未列此情形，不计")
    row = pick(p["table"], level, "level")
    if row is None:
        return Outcome(explanation=f"{ctx.label('level', level)}：表中未列此级别，不计")
    top = p.get("top", 3)
    head = f"{level_src}按{LEVEL_ZH[level]}" if level_src else LEVEL_ZH[level]
    grade = grade_src = None
    if p["mode"] != "appraised" and p.get("grade_from"):
        grade, grade_src = _mapped(ctx, p["grade_from"], "grade")
        if grade is None:  # decided before the rank is asked for: the rank changes nothing here
            return Outcome(explanation=f"{head}，{grade_src}：成果表中未列此等次，不计")
    rank, rank_text = _rank(ctx)
    if p["mode"] == "appraised":
        head += "鉴定成果"
        if rank <= top:
            column_level, column = level, "appraised"
            how = f"前 {top} 位按本级鉴定成果"
        elif level in p["next_level"]:
            column_level, column = p["next_level"][level], "appraised"
            how = f"第 {top + 1} 位以后按下一级（{LEVEL_ZH[column_level]}）鉴定成果"
        else:
            amount = exact(p["lowest_after_top"])
            return Outcome([ctx.credit(amount)], explanation=(
                f"{head}，{rank_text}：{LEVEL_ZH[level]}鉴定成果第 {top + 1} 位以后均记 {amount_text(amount, p)}"))
        amount = exact(pick(p["table"][column_level], column, "column"))
        return Outcome([ctx.credit(amount)], explanation=f"{head}，{rank_text}：{how}，认定 {amount_text(amount, p)}")
    # mode: award (graded or ungraded)
    if not p.get("grade_from"):
        grade, grade_src = ctx.activity.get("grade"), ""
    if grade is None:
        _, column = rank_group(p["ungraded"], rank)
        column = str(column)
        how = f"奖项不分等次，{rank_text}按{COLUMN_ZH[column]}"
    else:
        grade = str(grade)
        if rank <= top:
            column = grade
            how = f"{COLUMN_ZH[grade]}，{rank_text}（前 {top} 位）按本等次"
        else:
            column = str(pick(p["next_grade"], grade, "grade"))
            how = f"{COLUMN_ZH[grade]}，{rank_text}（第 {top + 1} 位以后）按下一等次（{COLUMN_ZH[column]}）"
    amount = exact(pick(row, column, "column"))
    return Outcome([ctx.credit(amount)], explanation=f"{head}{('（' + grade_src + '）') if grade_src else ''}，"
                                                      f"{how}，认定 {amount_text(amount, p)}")
