"""Deemed complete for the year of a posting, or for every year of a posting longer than a year."""
from . import Context, Deemed, InputProblem, Outcome, Param, method


@method(
    "posting_deemed", label="外派视同完成",
    params=[
        Param("subjects", "choices", "视同完成的科目", of="subject"),
        Param("min_months", "int", "只在一个年度内的外派须满的月数"),
    ],
    subjects=("public", "professional", "both"),
    describe=["考核合格的，视同完成外派期间各年度的{subjects}全部学时",
              "；外派只在一个年度内的，须满 {min_months} 个月"],
)
def posting_deemed(ctx: Context) -> Outcome:
    """`start_year` opens a multi-year posting that ends in `year`."""
    p = ctx.params
    start = ctx.activity.get("start_year") or ctx.year
    if start > ctx.year:
        raise InputProblem("start_year", f"外派开始年份（{start}）不能晚于计入年度（{ctx.year}）")
    posting = list(range(start, ctx.year + 1))
    what = "和".join(ctx.subject_label(s) for s in p["subjects"])
    warnings = []
    if len(posting) == 2:
        warnings.append(f"外派从 {start} 年到 {ctx.year} 年：只有外派总时间超过 1 年才视同完成外派期间所有年度，请核对；"
                        "总时间不超过 1 年的，请不填开始年份，按各年度的外派月数分别填写")
    if len(posting) == 1:
        months = ctx.need("months")
        if months < p["min_months"]:
            return Outcome(explanation=f"本年度外派 {months} 个月，不足 {p['min_months']} 个月，不能视同完成")
    years, dropped = ctx.years_in_force(posting)
    if len(years) == 1:
        span = f"{years[0]} 年"
    else:
        span = f"{years[0]}—{years[-1]} 年（外派期间所有年度）"
    text = f"考核合格，视同完成 {span}{what}全部学时"
    if dropped:
        text += f"（外派期间 {posting[0]}—{posting[-1]} 年；{dropped}）"
    return Outcome(deemed=[Deemed(years, list(p["subjects"]), f"{span}{what}全部学时")],
                   explanation=text, warnings=warnings)
