"""Binzhou's achievements table (成果): awards by level and grade, appraised results, patents, competitions.

One table of level × column (grade 1/2/3 or `appraised`), and the rank rules of the notice:
the first `top` people take their own column, later people one step down.
"""

from ..numbers import exact
from . import RANK_GROUP, UNIT, Context, InputProblem, KeySet, Outcome, Param, method, pick, rank_group

# The table's columns: the grades of the field `grade` (一等奖 …) and the appraised results' column.
COLUMN = KeySet("column", "等次", field="grade", labels={"appraised": "鉴定成果"})
# The kind whose `level` labels are the table's row heads as the notice prints them (国家级 … 县区级),
# whichever kind (award, patent, competition) the table converts.
TABLE_KIND = "appraised_achievement"


def _level(ctx: Context, level) -> str:
    return ctx.bundle.kind_fields[TABLE_KIND]["level"]["enum_labels"][level]


def _column(ctx: Context, column: str) -> str:
    return COLUMN.labels.get(column) or ctx.label("grade", column)


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
    default = ctx.param("rank_default")
    if default is not None:
        return default, f"未填写排名，按第 {default} 名（个人项目）计算"
    return ctx.need("rank"), ""


def _through(field: str, leaves, meaning: str) -> Param:
    """level_from / grade_from: read the level or grade from another field through a mapping."""
    return Param(f"{field}_from", "record", meaning, required=False, parts=(
        Param("field", "field", "依据的字段"),
        Param("map", "table", "对照", keys=("=field",), of=leaves, nullable=True)))


@method(
    "binzhou_achievement", label="滨州成果表",
    params=[
        Param("mode", "choice", "类别", choices={"award": "获奖", "appraised": "鉴定成果"}),
        Param("table", "table", "折算表（按级别和等次）", keys=("level", COLUMN)),
        Param("top", "int", "按本人等次（本级）计的前几名", default=3),
        Param("next_grade", "table", "其后人员降为的等次", keys=(COLUMN,), of=COLUMN, required_if=("mode", "award")),
        Param("ungraded", "table", "不分等次的奖项按排名对应的等次", keys=(RANK_GROUP,), of=COLUMN,
              required_if=("mode", "award")),
        Param("next_level", "table", "其后人员降为的级别", keys=("level",), of="level",
              required_if=("mode", "appraised")),
        Param("lowest_after_top", "number", "最低一级前几名之后", required_if=("mode", "appraised")),
        _through("level", "level", "级别依据"),
        _through("grade", COLUMN, "等次依据"),
        Param("rank_default", "int", "未填排名时按第几名", required=False),
        Param("unit", "choice", "折算的单位", of=UNIT, default="hour"),
    ],
    describe=["按级别和等次查表折算（见下表）", "；排名前 {top} 名的按本人等次计，其后人员按下一等次计"],
)
def binzhou_achievement(ctx: Context) -> Outcome:
    """mode award: graded (the first `top` their grade, later people next_grade) or ungraded (by rank
    group); mode appraised: the first `top` their level's column, later people next_level's
    (lowest_after_top below the lowest level)."""
    p = ctx.params
    level, level_src = _mapped(ctx, p.get("level_from"), "level")
    if level is None:
        return Outcome(explanation=f"{level_src}：本条未列此情形，不计")
    row = pick(p["table"], level, "level")
    if row is None:
        return Outcome(explanation=f"{ctx.label('level', level)}：表中未列此级别，不计")
    top = ctx.param("top")
    head = f"{level_src}按{_level(ctx, level)}" if level_src else _level(ctx, level)
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
            how = f"第 {top + 1} 位以后按下一级（{_level(ctx, column_level)}）鉴定成果"
        else:
            amount = exact(p["lowest_after_top"])
            return Outcome([ctx.credit(amount)], explanation=(
                f"{head}，{rank_text}：{_level(ctx, level)}鉴定成果第 {top + 1} 位以后均记 {ctx.amount(amount)}"))
        amount = exact(pick(p["table"][column_level], column, "column"))
        return Outcome([ctx.credit(amount)], explanation=f"{head}，{rank_text}：{how}，认定 {ctx.amount(amount)}")
    # mode: award (graded or ungraded)
    if not p.get("grade_from"):
        if "grade" not in ctx.activity:  # left out is unanswered; null is 不分等次 (never guessed)
            label = ctx.field_spec("grade").get("label", "grade")
            raise InputProblem("grade", f"此类活动需要填写“{label}”（奖项不分等次的，选“{ctx.field_spec('grade').get('null_label', '不分等次')}”）")
        grade, grade_src = ctx.activity["grade"], ""
    if grade is None:
        _, column = rank_group(p["ungraded"], rank)
        column = str(column)
        how = f"奖项不分等次，{rank_text}按{_column(ctx, column)}"
    else:
        grade = str(grade)
        if rank <= top:
            column = grade
            how = f"{_column(ctx, grade)}，{rank_text}（前 {top} 位）按本等次"
        else:
            column = str(pick(p["next_grade"], grade, "grade"))
            how = f"{_column(ctx, grade)}，{rank_text}（第 {top + 1} 位以后）按下一等次（{_column(ctx, column)}）"
    amount = exact(pick(row, column, "column"))
    return Outcome([ctx.credit(amount)], explanation=f"{head}{('（' + grade_src + '）') if grade_src else ''}，"
                                                      f"{how}，认定 {ctx.amount(amount)}")
