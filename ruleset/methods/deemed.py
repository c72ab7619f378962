"""Deemed complete (视同完成): a year's, the tenure's or a posting's hours of a subject."""
from . import Context, Deemed, InputProblem, Outcome, Param, method, year_span

SCOPES = {"year": "当年", "tenure": "任现职期间各年度", "posting_years": "驻派期间的各完整年度"}


def _scope_years(ctx: Context, scope: str) -> tuple[list[int], list[str]]:
    year = ctx.year
    warnings = []
    if scope == "year":
        return [year], warnings
    if scope == "tenure":
        start = ctx.profile.get("tenure_start_year")
        end = max(year, ctx.profile.get("apply_year") or year) if ctx.param("through_apply_year") else year
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


@method(
    "deemed_complete", label="视同完成",
    params=[
        Param("subjects", "choices", "视同完成的科目", of="subject"),
        Param("scope", "choice", "视同完成的范围", default="year", choices=SCOPES),
        Param("min_months", "int", "须满的月数", required=False),
        Param("through_apply_year", "bool", "任现职期间计至申报年度（否：计至活动所在年度）", default=False),
    ],
    subjects=("public", "professional", "both"),
    describe=["视同完成{scope}的{subjects}全部学时", "（须满 {min_months} 个月）",
              "；任现职期间计至申报年度{?through_apply_year}"],
)
def deemed_complete(ctx: Context) -> Outcome:
    """The rule's `subject` is not used: the subjects are a parameter."""
    p = ctx.params
    subjects = p["subjects"]
    min_months = p.get("min_months")
    if min_months is not None and ctx.need("months") < min_months:
        return Outcome(explanation=f"不足 {min_months} 个月，不能视同完成")
    scope, warnings = _scope_years(ctx, ctx.param("scope"))
    years, dropped = ctx.years_in_force(scope)
    if not years:
        why = f"（{year_span(scope)}；{dropped}）" if dropped else ""
        return Outcome(explanation=f"没有可视同完成的年度{why}", warnings=warnings)
    what = "和".join(ctx.subject_label(s) for s in subjects)
    span = year_span(years) if _gapped(years) else (
        f"{years[0]} 年" if len(years) == 1 else f"{years[0]}—{years[-1]} 年")
    text = f"视同完成 {span}{what}全部学时"
    if dropped:
        text += f"（{year_span(scope)}中，{dropped}）"
    return Outcome(deemed=[Deemed(years, subjects, f"{span}{what}全部学时")], explanation=text, warnings=warnings)


def _gapped(years: list[int]) -> bool:
    return years[-1] - years[0] + 1 != len(years)
