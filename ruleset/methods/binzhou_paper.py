"""Binzhou's papers and monographs table (论文、著作): by venue, level, grade, and co-author share."""

from ..numbers import exact
from . import RANK_GROUP, UNIT, Context, InputProblem, KeySet, Outcome, Param, method, pick, rank_group

GRADE = KeySet("grade", "获奖等次", field="grade")
BOOK_COLUMN = KeySet("column", "等次", labels_from="column_zh")


def share(total: int, authors: int, rank: int) -> int:
    """Whole-number share of `total` for the author at `rank`: the remainder goes to the first authors."""
    base, rest = divmod(total, authors)
    return base + (1 if rank <= rest else 0)


def _authorship(ctx: Context) -> tuple[int, int]:
    authors = ctx.need("authors")
    if authors == 1:
        return 1, 1
    rank = ctx.need("rank")
    if rank > authors:
        raise InputProblem("rank", f"排名（{rank}）不能大于作者总数（{authors}）")
    return authors, rank


@method(
    "binzhou_paper", label="滨州论文表",
    params=[
        Param("min_chars", "int", "最少字数"),
        Param("journal", "table", "期刊论文（按刊物级别）", keys=("level",)),
        Param("exchange", "table", "交流论文（按级别和获奖等次）", keys=("level", GRADE)),
        Param("default_grade", "int", "未评等次时按", of=GRADE),
        Param("grade_recognised", "bool", "会议交流论文所填获奖等次计入（否：一律按未评等次计）", default=True),
        Param("unit", "choice", "折算的单位", of=UNIT, default="hour"),
    ],
    describe=["论文须不少于 {min_chars} 字；期刊论文按刊物级别、交流论文按级别和获奖等次折算（见下表）",
              "；文摘、论文集和未评等次的交流论文按{default_grade}计",
              "；合作的按作者人数分配（取整数，余数归排名在前的作者）"],
)
def binzhou_paper(ctx: Context) -> Outcome:
    """default_grade: digests, collections, conference papers without a grade. The paper's amount is
    split among its authors in whole numbers, the remainder to the first authors."""
    p = ctx.params
    chars = ctx.need("chars")
    if chars < p["min_chars"]:
        return Outcome(explanation=f"论文 {chars} 字，未达到 {p['min_chars']} 字，不能登记{ctx.unit_label()}")
    venue = ctx.activity.get("venue") or "journal"
    level = ctx.need("level")
    authors, rank = _authorship(ctx)
    warnings = []
    where = f"{ctx.label('venue', venue)}，{ctx.label('level', level)}"
    if venue == "journal":
        total = pick(p["journal"], level, "level")
        how = "按论文栏"
    else:
        grade = ctx.activity.get("grade") if venue == "conference" else None
        if grade is not None and not ctx.param("grade_recognised"):
            warnings.append(f"通知说明“一般交流论文不认定其等次”：所填{ctx.label('grade', grade)}未计，按"
                            f"{ctx.label('grade', p['default_grade'])}计算；如审核部门认定了等次，请以其为准")
            grade = None
        if grade is None:
            grade = p["default_grade"]
            why = {"digest": "文摘按相当刊物级别的交流论文", "collection": "论文集（增刊）一律按交流论文",
                   "conference": "会议交流论文不设（未填）等次的按"}[venue]
            how = f"{why}{ctx.label('grade', grade)}"
        else:
            how = f"会议交流论文按{ctx.label('grade', grade)}"
            warnings.append("通知说明“一般交流论文不认定其等次”：所填获奖等次须经审核部门认定，否则按三等奖计算")
        row = pick(p["exchange"], level, "level")
        total = None if row is None else pick(row, grade, "grade")
    if total is None:
        return Outcome(explanation=f"{where}：不记{ctx.unit_label()}" if level == "none" else f"{where}：表中未列此级别，不计",
                       warnings=warnings)
    total = exact(total)
    mine = share(total, authors, rank)
    text = f"{where}，{how}计 {ctx.amount(total)}"
    if authors > 1:
        text += (f"；{authors} 人合作平均分配（只取整数，余数依次追加前几位作者），"
                 f"第 {rank} 作者得 {ctx.amount(mine)}")
    return Outcome([ctx.credit(mine)], explanation=text, warnings=warnings)


@method(
    "binzhou_book", label="滨州著作表",
    params=[
        Param("table", "table", "折算表（按出版社级别和等次）", keys=("level", BOOK_COLUMN)),
        Param("by_rank", "table", "撰稿人位次对应的等次", keys=(RANK_GROUP,), of=BOOK_COLUMN),
        Param("column_zh", "labels", "各等次的名称"),
        Param("share_paper", "bool", "按同级论文登记的由全体作者平均分配（否：每人各记全额）", default=False),
        Param("unit", "choice", "折算的单位", of=UNIT, default="hour"),
    ],
    describe=["按出版社级别和撰稿人位次对应的等次折算（见下表）",
              "；按论文登记的，由全体作者平均分配（取整数）{?share_paper}"],
)
def binzhou_book(ctx: Context) -> Outcome:
    """column_zh names the table's columns; with share_paper the `paper` column is a co-authored
    paper's total, split among the authors like a paper."""
    p = ctx.params
    level = ctx.need("level")
    rank = ctx.activity.get("rank")
    if rank is None:
        if ctx.activity.get("authors") == 1:
            rank = 1
        else:
            rank = ctx.need("rank")
    authors = ctx.activity.get("authors")
    if authors is not None and rank > authors:
        raise InputProblem("rank", f"排名（{rank}）不能大于作者总数（{authors}）")
    row = pick(p["table"], level, "level")
    if row is None:
        return Outcome(explanation=f"{ctx.label('level', level)}：表中未列此级别，不计")
    spec, column = rank_group(p["by_rank"], rank)
    amount = exact(pick(row, column, "column"))
    text = f"{ctx.label('level', level)}，第 {rank} 撰稿人按{p['column_zh'][column]}计 {ctx.amount(amount)}"
    if column == "paper" and ctx.param("share_paper"):
        authors = ctx.need("authors")
        total, amount = amount, share(amount, authors, rank)
        text = (f"{ctx.label('level', level)}，第 {rank} 撰稿人按{p['column_zh'][column]}登记：同级论文 "
                f"{ctx.amount(total)}，{authors} 人合作平均分配（只取整数，余数依次追加前几位），"
                f"第 {rank} 位得 {ctx.amount(amount)}")
    return Outcome([ctx.credit(amount)], explanation=text)
