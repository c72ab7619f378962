"""The title-application window (职称申报继续教育年限) and its verdict."""
from __future__ import annotations

from .rule_types import RULE_TYPES

_TITLE = RULE_TYPES["title"].spec


def _param(rule, name: str):
    """A title rule's parameter, or its declared default (ruleset/rule_types.py)."""
    return rule.params.get(name, _TITLE.default(name))


def _label(bundle, field: str, value) -> str:
    """The Chinese label case.yaml gives a profile enum value."""
    return bundle.case["profile"][field]["enum_labels"].get(value, value)


def _conditions(rule) -> int:
    return len(rule.get("applies_if") or {}) + (1 if rule.get("flag") else 0)


def _applies(rule, profile: dict) -> bool:
    if rule.get("flag") and rule["flag"] not in profile.get("flags", []):
        return False
    for key, want in (rule.get("applies_if") or {}).items():
        have = profile.get(key)
        if (have not in want) if isinstance(want, list) else (have != want):
            return False
    return True


def plan_application(ctx) -> dict | None:
    """Which years the application looks at and how many must meet the requirement (ctx: CaseContext)."""
    bundle, region, profile = ctx.bundle, ctx.region, ctx.profile
    target, year = profile.get("target_title"), profile.get("apply_year")
    if not target or not year:
        return None
    app_type = profile["application_type"]
    plan = {"target_title": target, "apply_year": year, "application_type": app_type}
    rules = sorted((r for r in bundle.of_type_in_force(region, "title", year) if _applies(r, profile)),
                   key=lambda r: -_conditions(r))
    if not rules:
        plan.update(covered=False, window=None, years_required=None, met=None, qualifying_years=[],
                    explanation=f"{bundle.regions[region]['name']}已发布的政策未规定 {year} 年申报"
                                f"{_label(bundle, 'target_title', target)}职称（{_label(bundle, 'application_type', app_type)}）的继续教育年限，以评审（认定）部门要求为准")
        return plan
    rule = rules[0]
    p = rule.params
    need = p["years_required"]
    if isinstance(need, dict):
        need = need.get(target)
    if need is None:
        plan.update(covered=False, window=None, years_required=None, met=None, qualifying_years=[],
                    rule=rule.id, source=rule["source"],
                    explanation=f"本条未规定{_label(bundle, 'target_title', target)}职称的继续教育年限")
        return plan
    end = year + _param(rule, "end_offset")
    base_need = need
    if "window_from" in p:
        start = p["window_from"]
    else:
        start = end - (need - 1) - _param(rule, "extra_years")
    notes = []
    tenure = profile.get("tenure_start_year")
    if _param(rule, "limit_by_tenure") and tenure is not None and end - tenure + 1 < need:
        need = max(0, end - tenure + 1)
        start = max(start, min(tenure, end))  # the actual years are the tenure's own
        notes.append(f"任现职不足 {base_need} 年，按实际 {need} 年计算")
    exemptions = []
    for ex in bundle.of_type_in_force(region, "exemption", year):
        if ex.get("flag") not in profile.get("flags", []):
            continue
        effect = ex.params["effect"]
        exemptions.append({"rule": ex.id, "source": ex["source"], "explanation": ex.get("summary", "")})
        if effect == "none_required":
            need = 0
        elif effect == "since_field":
            since = profile.get(ex.params["field"])
            if since is not None:
                need = min(need, max(0, end - since + 1))
                start = max(start, since)
        elif effect == "tenure_years" and tenure is not None:
            need = min(need, max(0, end - tenure + 1))
    plan.update(covered=True, window=[start, end], years_required=need,
                consecutive=bool(_param(rule, "consecutive")), rule=rule.id, source=rule["source"],
                exemptions=exemptions, notes=notes + list(rule.get("notes") or []),
                summary=rule.get("summary", ""))
    return plan


def assess_application(years: dict, plan: dict | None, ctx) -> dict | None:
    """The plan with its verdict: which years of the window met the requirement, and whether enough did."""
    if plan is None or not plan.get("covered"):
        return plan
    start, end = plan["window"]
    need = plan["years_required"]
    qualifying = [y for y in range(start, end + 1) if y in years and years[y].get("met") is True]
    if plan["consecutive"]:
        best = run = 0
        for y in range(start, end + 1):
            run = run + 1 if y in qualifying else 0
            best = max(best, run)
        met = best >= need
    else:
        met = len(qualifying) >= need
    missing = [y for y in range(start, end + 1) if y not in qualifying]
    title = _label(ctx.bundle, "target_title", plan["target_title"])
    head = (f"申报{title}职称（{_label(ctx.bundle, 'application_type', plan['application_type'])}）："
            f"需 {start}—{end} 年中{'连续 ' if plan['consecutive'] else '任意 '}{need} 个年度"
            f"各自达到公需科目和专业科目要求")
    if need == 0:
        head = f"申报{title}职称：符合免除继续教育学时要求的情形"
    got = "、".join(map(str, qualifying)) or "无"
    verdict = "符合" if met else f"不符合（还差 {max(0, need - len(qualifying))} 个达标年度" + (
        "，且须连续" if plan["consecutive"] else "") + "）"
    if need and not met and plan["consecutive"] and len(qualifying) >= need:
        verdict = "不符合（达标年度不连续）"
    plan.update(qualifying_years=qualifying, met=met, missing_years=missing,
                explanation=f"{head}；已达标年度：{got}；{verdict}")
    return plan
