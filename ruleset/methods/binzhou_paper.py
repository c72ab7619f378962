"""Binzhou's papers and monographs table (论文、著作): by venue, level, grade, and co-author share."""

from ..numbers import exact
from . import Context, InputProblem, Outcome, method, pick, rank_group
from .units import amount_text, unit_zh

GRADE_ZH = {"1": "一等奖", "2": "二等奖", "3": "三等奖"}


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


@method("binzhou_paper")
def binzhou_paper(ctx: Context) -> Outcome:
    """params: min_chars; journal {level: n} (论文 column); exchange {level: {1, 2, 3}} (交流论文);
    default_grade (3: digests, collections, conference papers without a grade); grade_recognised (bool:
    a conference paper's stated prize counts; false: every conference paper at default_grade);
    unit (hour | credit).
    The paper's amount is split among its authors in whole numbers, the remainder to the first authors."""
    p = ctx.params
    chars = ctx.need("chars")
    if chars < p["min_chars"]:
        return Outcome(explanation=f"论文 {chars} 字，未达到 {p['min_chars']} 字，不能登记{unit_zh(p)}")
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
        if grade is not None and not p.get("grade_recognised", True):
            warnings.append(f"通知说明“一般交流论文不认定其等次”：所填{GRADE_ZH[str(grade)]}未计，按"
                            f"{GRADE_ZH[str(p['default_grade'])]}计算；如审核部门认定了等次，请以其为准")
            grade = None
        if grade is None:
            grade = p["default_grade"]
            why = {"digest": "文摘按相当刊物级别的交流论文", "collection": "论文集（增刊）一律按交流论文",
                   "conference": "会议交流论文不设（未填）等次的按"}[venue]
            how = f"{why}{GRADE_ZH[str(grade)]}"
        else:
            how = f"会议交流论文按{GRADE_ZH[str(grade)]}"
            warnings.append("通知说明“一般交流论文不认定其等次”：所填获奖等次须经审核部门认定，否则按三等奖计算")
        row = pick(p["exchange"], level, "level")
        total = None if row is None else pick(row, grade, "grade")
    if total is None:
        return Outcome(explanation=f"{where}：不记{unit_zh(p)}" if level == "none" else f"{where}：表中未列此级别，不计",
                       warnings=warnings)
    total = exact(total)
    mine = share(total, authors, rank)
    text = f"{where}，{how}计 {amount_text(total, p)}"
    if authors > 1:
        text += (f"；{authors} 人合作平均分配（只取整数，余数依次追加前几位作者），"
                 f"第 {rank} 作者得 {amount_text(mine, p)}")
    return Outcome([ctx.credit(mine)], explanation=text, warnings=warnings)


@method("binzhou_book")
def binzhou_book(ctx: Context) -> Outcome:
    """params: table {level: {excellent, good, fair, paper}}; by_rank {"1": excellent, "2": good,
    "3": fair, "4+": paper}; column_zh {column: zh}; share_paper (bool: the `paper` column is a
    co-authored paper's total, split among the authors like a paper); unit (hour | credit)."""
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
    text = f"{ctx.label('level', level)}，第 {rank} 撰稿人按{p['column_zh'][column]}计 {amount_text(amount, p)}"
    if column == "paper" and p.get("share_paper"):
        authors = ctx.need("authors")
        total, amount = amount, share(amount, authors, rank)
        text = (f"{ctx.label('level', level)}，第 {rank} 撰稿人按{p['column_zh'][column]}登记：同级论文 "
                f"{amount_text(total, p)}，{authors} 人合作平均分配（只取整数，余数依次追加前几位），"
                f"第 {rank} 位得 {amount_text(amount, p)}")
    return Outcome([ctx.credit(amount)], explanation=text)
