"""The types of rule besides activity conversions: what each takes and how it reads, declared once.

A rule either converts an activity (`kind: paper`, with a `method` of ruleset/methods/) or is of a
rule type (`type: requirement`). The types and their Chinese labels are case.yaml's `rule_types`;
here, for each, are the rule fields it takes besides the common ones, its parameters and its
description template (ruleset/params.py). The compiler checks every rule against them; the
reference pages describe rules from them.
"""
from __future__ import annotations

from dataclasses import dataclass

from .params import SUBJECT_OR_TOTAL, UNIT, Param, Spec

# Fields every rule may have (a rule of a type also `type` and `params`); `id`, `in_force`, `cite`, `checked`
# (the day the rule was last checked against its notice) and `text` are required.
COMMON_FIELDS = ("id", "in_force", "cite", "checked", "text", "summary", "notes")
REQUIRED_FIELDS = ("id", "in_force", "cite", "checked", "text")

# Fields of a conversion rule (`kind`): the method and its params, the subject credited, conditions.
CONVERSION_FIELDS = ("kind", "subject", "method", "params", "cap", "during_tenure", "evidence", "applies_if",
                     "requires")

# A conversion rule's own cap (`cap: {per_year: 20}`): at most so many hours a year for its activities.
KIND_CAP = Spec("cap", params=(Param("per_year", "number", "本类活动每年最多"),))


@dataclass(frozen=True)
class RuleType:
    spec: Spec  # its params and description (the label is case.yaml's)
    fields: tuple[str, ...] = ()  # rule fields it takes besides the common ones (and `type`)
    required: tuple[str, ...] = ()  # … of which these are required
    concurrent: bool = False  # several rules of the type (each its own id) may be in force at once


RULE_TYPES: dict[str, RuleType] = {
    "requirement": RuleType(Spec(
        "requirement",
        params=(Param("unit", "choice", "单位", of=UNIT, default="hour"),
                Param("public", "number", "公需科目每年不少于", required=False),
                Param("professional", "number", "专业科目每年不少于", required=False),
                Param("total", "number", "每年合计不少于", required=False),
                Param("per_year", "bool", "按年度要求学时（否：不设年度要求）", default=True),
                Param("explanation", "text", "不设年度要求时的说明", required=False)),
        one_of=(("public", "professional", "total"), ("per_year", "explanation")),
        describe=("每年不少于 {total} {unit}，其中公需科目不少于 {public} {unit}，专业科目不少于 {professional} {unit}",
                  "{explanation}"))),
    "period_requirement": RuleType(Spec(
        "period_requirement",
        params=(Param("from", "int", "起始年度"), Param("to", "int", "截止年度"),
                Param("total", "number", "累计不少于"), Param("unit", "choice", "单位", of=UNIT, default="credit")),
        describe=("{from}—{to} 年累计不少于 {total} {unit}",)), concurrent=True),
    "title": RuleType(Spec(
        "title",
        params=(Param("years_required", ("int", "table"), "须具备继续教育学时的年数", keys=("target_title",)),
                Param("window_from", "int", "自某年以来计算", required=False),
                Param("end_offset", "int", "窗口截止年度（相对申报年度）", default=0),
                Param("extra_years", "int", "窗口可多含的年数", default=0),
                Param("consecutive", "bool", "须连续年度", default=False),
                Param("limit_by_tenure", "bool", "任现职不足时按实际年限", default=False)),
        describe=("申报时须具备继续教育学时的年数：{years_required}", "（自 {window_from} 年以来计算）",
                  "，须连续年度{?consecutive}", "，可不连续{!consecutive}",
                  "；任现职不足的按实际年限{?limit_by_tenure}",
                  "{?extra_years}；本站允许窗口多含 {extra_years} 年（截至申报前一年也可）")),
        fields=("applies_if", "flag")),
    "exemption": RuleType(Spec(
        "exemption",
        params=(Param("effect", "choice", "效果", choices={
                    "none_required": "对继续教育不作要求", "since_field": "按实际年限计算",
                    "tenure_years": "按任现职年限计算"}),
                Param("field", "field", "起算年份", required_if=("effect", "since_field"))),
        describe=("{effect}", "（自{field}起）")),
        fields=("flag",), required=("flag",), concurrent=True),
    "industry": RuleType(Spec(
        "industry", params=(Param("message", "text", "提示"),), describe=("{message}",)),
        fields=("flag",), required=("flag",), concurrent=True),
    "cap": RuleType(Spec(
        "cap", params=(Param("per_year", "table", "每年最多", keys=(SUBJECT_OR_TOTAL,)),),
        describe=("{@kinds}每年最多计：{per_year} {unit}",)),
        fields=("label", "kinds"), required=("label", "kinds"), concurrent=True),
}
