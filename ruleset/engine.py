"""Case in, result document out (shared/spec/case-format.md). Never raises on bad input."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction

from . import methods
from .caps import apply_caps
from .loader import Bundle, NotCovered, Rule, bundle as load_bundle
from .numbers import to_json
from .titles import assess_application, plan_application
from .validate import validate
from .years import summarise_periods, summarise_years

SUBJECTS = ("public", "professional")


@dataclass
class Row:
    index: int
    activity: dict
    rule: Rule | None = None
    credits: list = field(default_factory=list)
    before: dict = field(default_factory=lambda: {"public": 0, "professional": 0})
    deemed: list = field(default_factory=list)
    caps: list = field(default_factory=list)
    explanation: str = ""
    warnings: list = field(default_factory=list)
    valid: bool = True

    @property
    def canonical(self) -> str:
        """The activity's content, for order-free tie-breaking."""
        if self._canonical is None:
            self._canonical = json.dumps({k: str(v) for k, v in self.activity.items() if k != "title"},
                                         sort_keys=True, ensure_ascii=False)
        return self._canonical

    _canonical: str | None = None


def check(case, bundle: Bundle | None = None) -> dict:
    """Compute the result document for one case (a dict as parsed from JSON/YAML)."""
    bundle = bundle or load_bundle()
    norm, errors, input_warnings = validate(case, bundle)
    region = norm["region"]
    profile = norm["profile"]
    rows = [Row(i, act, warnings=list(input_warnings[i])) for i, act in enumerate(norm["activities"])]
    if region is not None:
        for row in rows:
            _convert(row, bundle, region, profile, errors)
        apply_caps(rows, bundle, region)
    result = {
        "region": region,
        "activities": [_row_json(row, bundle) for row in rows],
        "years": {},
        "errors": errors,
    }
    if region is None:
        return result
    plan = plan_application(bundle, region, profile)
    window = plan.get("window") if plan else None
    extra = range(window[0], window[1] + 1) if window else ()
    years = summarise_years(rows, bundle, region, profile, extra)
    periods = summarise_periods(years, bundle, region)
    application = assess_application(years, plan)
    result["region_name"] = bundle.regions[region]["name"]
    result["years"] = {str(y): _json_numbers(v) for y, v in years.items()}
    result["notices"] = _profile_notices(bundle, region, profile, years)
    if periods:
        result["periods"] = _json_numbers(periods)
    if application is not None:
        result["application"] = _json_numbers(application)
    result["errors"] = errors
    return result


def _convert(row: Row, bundle: Bundle, region: str, profile: dict, errors: list) -> None:
    act = row.activity
    if act.get("_invalid"):
        row.valid = False
        row.explanation = "此条输入有误，未计算学时（见错误提示）"
        return
    found = bundle.kind_rule(region, act["kind"], act["year"], act, profile.get("flags", []))
    if isinstance(found, NotCovered):
        row.explanation = found.reason
        row.warnings.append(found.reason)
        return
    rule = row.rule = found
    for req in rule.get("requires") or []:
        if act.get(req["field"]) != req["equals"]:
            row.explanation = req["message"]
            return
    tenure = profile.get("tenure_start_year")
    if rule.get("during_tenure"):
        if tenure is None:
            row.warnings.append("本条限任现职期间；未填写任现职起始年份，未核对是否在任现职期间")
        elif act["year"] < tenure:
            row.explanation = f"本条限任现职期间（{tenure} 年起），{act['year']} 年的活动不计学时"
            return
    ctx = methods.Context(activity=act, rule=rule, profile=profile, bundle=bundle)
    try:
        outcome = methods.METHODS[rule["method"]](ctx)
    except methods.InputProblem as exc:
        errors.append({"index": row.index, "field": exc.field, "message": exc.message})
        row.valid = False
        row.explanation = f"此条输入不完整，未计算学时：{exc.message}"
        return
    credits = outcome.credits
    if rule.get("during_tenure") and tenure is not None:
        dropped = [c for c in credits if c.year < tenure]
        if dropped:
            credits = [c for c in credits if c.year >= tenure]
            row.warnings.append(f"任现职（{tenure} 年）之前年度的 {len(dropped)} 个年度份额不计")
    row.credits = credits
    for c in credits:
        row.before[c.subject] += c.amount
    row.deemed = outcome.deemed
    summary = rule.get("summary")
    row.explanation = f"{summary}：{outcome.explanation}" if summary else outcome.explanation
    row.warnings.extend(outcome.warnings)


def _row_json(row: Row, bundle: Bundle) -> dict:
    act = row.activity
    after = {"public": 0, "professional": 0}
    for c in row.credits:
        after[c.subject] += c.amount
    out = {
        "index": row.index,
        "kind": act.get("kind"),
        "year": act.get("year"),
        "public": to_json(after["public"]),
        "professional": to_json(after["professional"]),
        "rule": row.rule.id if row.rule else None,
        "source": row.rule["source"] if row.rule else None,
        "explanation": row.explanation,
        "warnings": row.warnings,
    }
    if act.get("title"):
        out["title"] = act["title"]
    if act.get("kind"):
        out["kind_label"] = bundle.kinds[act["kind"]]["label"]
    out["valid"] = row.valid
    out["before_caps"] = {s: to_json(row.before[s]) for s in SUBJECTS}
    out["caps"] = [{**c, "limit": to_json(c["limit"]), "cut": to_json(c["cut"])} for c in row.caps]
    years = sorted({c.year for c in row.credits})
    if len(years) > 1 or (years and years[0] != act.get("year")):
        out["by_year"] = {
            str(y): {s: to_json(sum((c.amount for c in row.credits if c.year == y and c.subject == s), 0))
                     for s in SUBJECTS}
            for y in years
        }
    out["deemed_complete"] = [{"years": d.years, "subjects": d.subjects, "explanation": d.scope}
                              for d in row.deemed]
    if row.rule:
        out["cite"] = row.rule["cite"]
        out["clause"] = row.rule["text"]
        out["evidence"] = row.rule.get("evidence")
        out["notes"] = list(row.rule.get("notes") or [])
    return out


def _profile_notices(bundle: Bundle, region: str, profile: dict, years: dict) -> list[dict]:
    """Industry rules and similar notices triggered by profile flags."""
    out = []
    probe = max(years) if years else None
    for rule in bundle.rules_for(region, "industry"):
        if rule.get("flag") in profile.get("flags", []) and (probe is None or rule.in_force(probe)):
            out.append({"rule": rule.id, "source": rule["source"], "message": rule.params.get("message", ""),
                        "clause": rule["text"]})
    return out


def _json_numbers(value):
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return to_json(value)
    if isinstance(value, dict):
        return {k: _json_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_numbers(v) for v in value]
    return value
