"""Case in, result document out (shared/spec/case-format.md). Never raises on bad input."""
from __future__ import annotations

from . import methods
from .caps import apply_caps
from .jsontext import dumps, json_numbers
from .loader import Bundle, MissingInput, NotCovered, bundle as load_bundle
from .memo import MEMO, activity_keys, freeze
from .numbers import forget_floats
from .rows import Converted, Row
from .titles import assess_application, plan_application
from .validate import validate_activity, validate_case
from .years import summarise_periods, summarise_years


def clear_memo() -> None:
    """Forget every activity, year and number seen so far (the next call starts cold)."""
    MEMO.clear()
    forget_floats()


def check(case, bundle: Bundle | None = None) -> dict:
    """Compute the result document for one case (a dict as parsed from JSON/YAML)."""
    region, rows, errors, years, rest = _evaluate(case, bundle or load_bundle(), Row.as_dict)
    years = {str(y): record.as_dict() for y, record in years.items()}
    return {"region": region, "activities": rows, "years": years, "errors": errors, **rest}


def check_text(case, bundle: Bundle | None = None) -> str:
    """check() as JSON text, json.dumps(check(case), ensure_ascii=False), from the memo's texts of rows and years."""
    region, rows, errors, years, rest = _evaluate(case, bundle or load_bundle(), Row.as_text)
    out = ['{"region": ', dumps(region), ', "activities": [']
    for i, text in enumerate(rows):
        out += (", ", text) if i else (text,)
    out += ('], "years": {', ", ".join(record.as_text() for record in years.values()), '}, "errors": ',
            dumps(errors))
    for key, value in rest.items():
        out += (", ", dumps(key), ": ", dumps(value))
    out.append("}")
    return "".join(out)


def _evaluate(case, bundle: Bundle, show) -> tuple:
    """-> (region, rows as show(row, bundle) gives them, errors, {year: Year}, the fields after errors)."""
    region, profile, items, errors = validate_case(case, bundle)
    scope = _scope(bundle, region, profile)
    rows = [Row(i, c) for i, c in enumerate(_activities(items, bundle, region, profile, errors, scope))]
    if region is not None:
        apply_caps(rows, bundle, region)
    shown = [show(row, bundle) for row in rows]
    if region is None:
        return region, shown, errors, {}, {}
    plan = _plan(bundle, region, profile, scope)
    window = plan.get("window") if plan else None
    extra = range(window[0], window[1] + 1) if window else ()
    records = summarise_years(rows, bundle, region, profile, extra)
    years = {y: record.entry for y, record in records.items()}
    periods = summarise_periods(years, bundle, region)
    application = assess_application(years, plan)
    rest = {"region_name": bundle.regions[region]["name"],
            "notices": _profile_notices(bundle, region, profile, years)}
    if periods:
        rest["periods"] = json_numbers(periods)
    if application is not None:
        rest["application"] = json_numbers(application)
    return region, shown, errors, records, rest


def _scope(bundle: Bundle, region, profile: dict) -> int | None:
    """The memo's number for what all activities of this case share, or None to go without the memo."""
    if not MEMO.enabled:
        return None
    frozen = freeze(profile)
    return None if frozen is None else MEMO.scope(bundle, region, frozen)


def _plan(bundle: Bundle, region: str, profile: dict, scope: int | None) -> dict | None:
    """plan_application, from the memo when it can be; a fresh copy either way (assess_application fills it in)."""
    if scope is None:
        return plan_application(bundle, region, profile)
    found = MEMO.get(("plan", scope))
    if found is None:
        found = (plan_application(bundle, region, profile),)
        MEMO.put(("plan", scope), found)
    return None if found[0] is None else dict(found[0])


def _activities(items: list, bundle: Bundle, region, profile: dict, errors: list, scope: int | None
                ) -> list[Converted]:
    """Each activity validated and converted, from the memo where it was seen before; errors in input order."""
    memo = MEMO if scope is not None else None
    keys = activity_keys(scope, items) if memo is not None else [None] * len(items)
    out = memo.get_many(keys) if memo is not None else [None] * len(items)
    fresh: dict = {}  # key -> Converted built in this call
    built: list[tuple] = []
    for i, found in enumerate(out):
        if found is None:
            key = keys[i]
            found = fresh.get(key) if key is not None else None
            if found is None:
                found = Converted(*validate_activity(items[i], bundle))
                built.append((key, found))
                if key is not None:
                    fresh[key] = found
            out[i] = found
    for i, c in enumerate(out):
        for name, message in c.problems:
            errors.append({"index": i, "field": name, "message": message})
    if region is not None:
        for _, c in built:
            _convert(c, bundle, region, profile)
        for i, c in enumerate(out):
            if c.input_problem is not None:
                errors.append({"index": i, "field": c.input_problem[0], "message": c.input_problem[1]})
    for key, c in built:
        c.warnings = tuple(c.warnings)
        if key is not None:
            memo.put(key, c)
    return out


def _convert(converted: Converted, bundle: Bundle, region: str, profile: dict) -> None:
    """Fill in `converted` (validated so far) from the rule in force for its activity."""
    act = converted.activity
    if act.get("_invalid"):
        converted.valid = False
        converted.explanation = "此条输入有误，未计算学时（见错误提示）"
        return
    found = bundle.kind_rule(region, act["kind"], act["year"], act, profile.get("flags", []))
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
    for req in rule.get("requires") or []:
        if act.get(req["field"]) != req["equals"]:
            converted.explanation = req["message"]
            return
    tenure = profile.get("tenure_start_year")
    if rule.get("during_tenure"):
        if tenure is None:
            converted.warnings.append("本条限任现职期间；未填写任现职起始年份，未核对是否在任现职期间")
        elif act["year"] < tenure:
            converted.explanation = f"本条限任现职期间（{tenure} 年起），{act['year']} 年的活动不计学时"
            return
    ctx = methods.Context(activity=act, rule=rule, profile=profile, bundle=bundle)
    try:
        outcome = methods.METHODS[rule["method"]](ctx)
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


def _profile_notices(bundle: Bundle, region: str, profile: dict, years: dict) -> list[dict]:
    """Industry rules and similar notices triggered by profile flags."""
    out = []
    probe = max(years) if years else None
    for rule in bundle.rules_for(region, "industry"):
        if rule.get("flag") in profile.get("flags", []) and (probe is None or rule.in_force(probe)):
            out.append({"rule": rule.id, "source": rule["source"], "message": rule.params.get("message", ""),
                        "clause": rule["text"]})
    return out
