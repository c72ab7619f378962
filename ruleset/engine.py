"""Case in, result document out (shared/spec/case-format.md). Never raises on bad input."""
from __future__ import annotations

import json

from . import methods
from .caps import apply_caps
from .jsontext import json_numbers
from .loader import Bundle, NotCovered, bundle as load_bundle
from .memo import MEMO, activity_keys, freeze
from .numbers import exact, forget_floats, to_json
from .readings import parse_choice
from .rows import Converted, Row
from .titles import assess_application, plan_application
from .validate import validate_activity, validate_case
from .years import summarise_periods, summarise_years


def clear_memo() -> None:
    """Forget every activity, year and number seen so far (the next call starts cold)."""
    MEMO.clear()
    forget_floats()


def check(case, bundle: Bundle | None = None) -> dict:
    """Compute the result document for one case (a dict as parsed from JSON/YAML).

    Computed under the case's chosen readings (the default ones unless `readings` names
    another); each other reading that would change a number is shown beside it.
    """
    base = bundle or load_bundle()
    raw = case.get("readings") if isinstance(case, dict) else None
    region = case.get("region") if isinstance(case, dict) else None
    choice, problems = parse_choice(raw, base, region if isinstance(region, str) and region in base.regions else None)
    result = _result(case, base.with_readings(choice))
    result["errors"].extend(problems)
    if result["region"] is not None:
        result["readings"] = _readings(result, case, base, choice)
    return result


def check_text(case, bundle: Bundle | None = None) -> str:
    """check() as JSON text, json.dumps(check(case), ensure_ascii=False)."""
    return json.dumps(check(case, bundle), ensure_ascii=False)


def _result(case, bundle: Bundle) -> dict:
    region, rows, errors, years, rest = _evaluate(case, bundle, Row.as_dict)
    years = {str(y): record.as_dict() for y, record in years.items()}
    return {"region": region, "activities": rows, "years": years, "errors": errors, **rest}


def _readings(result: dict, case: dict, base: Bundle, choice: dict) -> list[dict]:
    """The readings that concern this case, each with the option used; alternatives marked on rows and years."""
    kinds = {row["kind"] for row in result["activities"]}
    touched = _rules_touched(result)
    rule_kinds = base.derived("rule_kinds", lambda: {r.id: r["kind"] for r in base.rules})
    out = []
    for reading in base.readings_for(result["region"]):
        concerned = {rule_kinds[rid] for rid in reading["rules"]}
        if not (concerned & kinds or concerned - set(base.kinds)):
            continue  # only activity rules, and none of this case's kinds
        used = choice.get(reading["id"], reading["default"])
        changed = False
        for option, spec in reading["options"].items():
            if option != used:
                other = _result(case, base.with_readings({**choice, reading["id"]: option}))
                changed |= _mark_alternatives(result, other, reading["id"], option, spec["label"])
        if changed or touched & set(reading["rules"]):
            out.append({"id": reading["id"], "question": reading["question"], "cite": reading["cite"],
                        "source": reading["source"], "rules": reading["rules"], "default": reading["default"],
                        "used": used, "is_default": used == reading["default"], "changes_numbers": changed,
                        "options": [{"id": k, "label": v["label"]} for k, v in reading["options"].items()],
                        "notes": list(reading.get("notes") or [])})
    return out


def _mark_alternatives(result: dict, other: dict, reading: str, option: str, label: str) -> bool:
    """Add `alternatives` where `other` (the case under another reading) has other numbers; True if any."""
    changed = False

    def numbers(entry: dict | None) -> dict:
        entry = entry or {}
        public, professional = exact(entry.get("public", 0)), exact(entry.get("professional", 0))
        return {"reading": reading, "option": option, "label": label, "public": to_json(public),
                "professional": to_json(professional), "total": to_json(public + professional)}

    for row, alt in zip(result["activities"], other["activities"]):
        if (row["public"], row["professional"]) != (alt["public"], alt["professional"]):
            row.setdefault("alternatives", []).append(numbers(alt))
            changed = True
    for year, entry in result["years"].items():
        alt = other["years"].get(year)
        theirs = (alt or {}).get("public", 0), (alt or {}).get("professional", 0), (alt or {}).get("met")
        if (entry["public"], entry["professional"], entry.get("met")) != theirs:
            entry.setdefault("alternatives", []).append({**numbers(alt), "met": theirs[2]})
            changed = True
    mine, theirs = result.get("application"), other.get("application")
    if mine and theirs and (mine.get("met"), mine.get("qualifying_years")) != (
            theirs.get("met"), theirs.get("qualifying_years")):
        mine.setdefault("alternatives", []).append({"reading": reading, "option": option, "label": label,
                                                    "met": theirs.get("met"),
                                                    "qualifying_years": theirs.get("qualifying_years")})
        changed = True
    return changed


def _rules_touched(result: dict) -> set[str]:
    """Every rule id the result names: activity rows, caps, years, the application and notices."""
    touched = {a["rule"] for a in result["activities"] if a.get("rule")}
    for a in result["activities"]:
        touched |= {c["rule"] for c in a.get("caps", [])}
    touched |= {y["rule"] for y in result["years"].values() if y.get("rule")}
    app = result.get("application") or {}
    if app.get("rule"):
        touched.add(app["rule"])
    touched |= {e["rule"] for e in app.get("exemptions", [])}
    touched |= {n["rule"] for n in result.get("notices", [])}
    touched |= {p["rule"] for p in result.get("periods", [])}
    return touched


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
