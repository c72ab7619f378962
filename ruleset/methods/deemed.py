"""Deemed complete (视同完成): a year's, the tenure's or a posting's hours of a subject."""
from . import SUBJECT_ZH, Context, Deemed, InputProblem, Outcome, method


def _scope_years(ctx: Context, scope: str) -> tuple[list[int], list[str]]:
    year = ctx.year
    warnings = []
    if scope == "year":
        return [year], warnings
    if scope == "tenure":
        start = ctx.profile.get("tenure_start_year")
        end = max(year, ctx.profile.get("apply_year") or year)
        if start is None:
            warnings.append("未填写任现职起始年份，只把本年度视同完成；填写后按任现职期间各年度计算")
            return [year], warnings
        return list(range(min(start, year), end + 1)), warnings
    if scope == "posting_years":
        start = ctx.activity.get("start_year")
        if start is None:
            raise InputProblem("start_year", "请填写开始年份")
        full_years = ctx.need("months") // 12
        return list(range(start, start + full_years)), warnings
    raise ValueError(f"unknown scope {scope}")


@method("deemed_complete")
def deemed_complete(ctx: Context) -> Outcome:
    """params: subjects: [public, professional]; scope: year | tenure | posting_years;
    min_months (optional, posting length required)."""
    p = ctx.params
    subjects = p["subjects"]
    min_months = p.get("min_months")
    if min_months is not None and ctx.need("months") < min_months:
        return Outcome(explanation=f"不足 {min_months} 个月，不能视同完成")
    years, warnings = _scope_years(ctx, p.get("scope", "year"))
    if not years:
        return Outcome(explanation="没有可视同完成的完整年度", warnings=warnings)
    what = "和".join(SUBJECT_ZH[s] for s in subjects)
    span = f"{years[0]} 年" if len(years) == 1 else f"{years[0]}—{years[-1]} 年"
    return Outcome(deemed=[Deemed(years, subjects, f"{span}{what}全部学时")],
                   explanation=f"视同完成 {span}{what}全部学时", warnings=warnings)
