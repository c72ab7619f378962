"""One activity -> what it earns: validated, the rule in force found, converted by the rule's method.

A pure function of the activity and the case's context (never of the activity's
position or of the other activities); caps and year sums come later, per case.
"""
from __future__ import annotations

from . import methods
from .context import CaseContext
from .loader import MissingInput, NotCovered
from .rows import Converted
from .validate import validate_activity


def convert(item, ctx: CaseContext) -> Converted:
    converted = Converted(*validate_activity(item, ctx.bundle))
    if ctx.region is not None:
        _apply_rule(converted, ctx)
    converted.warnings = tuple(converted.warnings)
    return converted


def _apply_rule(converted: Converted, ctx: CaseContext) -> None:
    """Fill in `converted` (validated so far) from the rule in force for its activity."""
    act = converted.activity
    if act.get("_invalid"):
        converted.valid = False
        converted.explanation = "此条输入有误，未计算学时（见错误提示）"
        return
    found = ctx.bundle.kind_rule(ctx.region, act["kind"], act["year"], act, ctx.flags)
    if isinstance(found, MissingInput):
        converted.input_problem = (found.field, found.message)
        converted.valid = False
        converted.explanation = f"此条输入不完整，未计算学时：{found.message}"
        return
    if isinstance(found, NotCovered):
        converted.explanation = found.reason
        converted.warnings.append(found.reason)
        return
    rule = converted.rule = found
    converted.notes = ctx.bundle.notes_for(rule, act, ctx.flags)
    for req in rule.get("requires") or []:
        if act.get(req["field"]) != req["equals"]:
            converted.explanation = req["message"]
            return
    tenure = ctx.tenure_start_year
    if rule.get("during_tenure"):
        if tenure is None:
            converted.warnings.append("本条限任现职期间；未填写任现职起始年份，未核对是否在任现职期间")
        elif act["year"] < tenure:
            converted.explanation = f"本条限任现职期间（{tenure} 年起），{act['year']} 年的活动不计学时"
            return
    try:
        outcome = methods.METHODS[rule["method"]](methods.Context(activity=act, rule=rule, case=ctx))
    except methods.InputProblem as exc:
        converted.input_problem = (exc.field, exc.message)
        converted.valid = False
        converted.explanation = f"此条输入不完整，未计算学时：{exc.message}"
        return
    credits = outcome.credits
    if rule.get("during_tenure") and tenure is not None:
        dropped = [c for c in credits if c.year < tenure]
        if dropped:
            credits = [c for c in credits if c.year >= tenure]
            converted.warnings.append(f"任现职（{tenure} 年）之前年度的 {len(dropped)} 个年度份额不计")
    converted.credits = tuple(credits)
    for c in credits:
        converted.before[c.subject] += c.amount
    converted.deemed = tuple(outcome.deemed)
    summary = rule.get("summary")
    converted.explanation = f"{summary}：{outcome.explanation}" if summary else outcome.explanation
    converted.warnings.extend(outcome.warnings)
