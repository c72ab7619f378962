"""Case in, result document out (the 案例格式 page; ruleset.schema). Never raises on bad input."""
from __future__ import annotations

import json

from . import cache
from .caps import apply_caps
from .context import CaseContext
from .loader import Bundle, bundle as load_bundle
from .numbers import exact, json_numbers, to_json
from .plan import make_plan
from .readings import parse_choice
from .rows import Converted, Row, Settled
from .titles import assess_application, plan_application
from .validate import case_person, validate_case
from .years import summarise_periods, summarise_years


def check(case, bundle: Bundle | None = None, *, plan: bool = True, alternatives: bool = True) -> dict:
    """Compute the result document for one case (a dict as parsed from JSON/YAML).

    Computed under the case's chosen readings (the default ones unless `readings` names
    another); each other reading that would change a number is shown beside it.

    The two optional sections cost more than the rest together and change no number of it
    (the batch, whose tables show neither, leaves them out): plan=False leaves out `plan`
    (补足建议, trial evaluations); alternatives=False leaves out `readings` and every
    `alternatives` (one more evaluation for each reading that concerns the case).
    """
    return _check(case, bundle or load_bundle(), plan, alternatives, activities=True)[0]


def check_rows(case, bundle: Bundle | None = None, *, plan: bool = False) -> tuple[dict, list[Row], Bundle]:
    """check(case, bundle, plan=plan, alternatives=False) with its `activities` left to the caller, for
    one that renders them itself (the batch): (the result, whose "activities" is None; the rows, from
    which `[row.as_dict(used) for row in rows]` makes that list; `used`, the bundle they were computed
    under). Rows that no cap cut and that share a conversion have equal rows in the document. Unlike
    check's, the document's years may be shared with the memo and other results: read them, never
    change them."""
    return _check(case, bundle or load_bundle(), plan, alternatives=False, activities=False)


def _check(case, base: Bundle, plan: bool, alternatives: bool, activities: bool) -> tuple[dict, list[Row], Bundle]:
    raw = case.get("readings") if isinstance(case, dict) else None
    region = case.get("region") if isinstance(case, dict) else None
    choice, problems = parse_choice(raw, base, region if isinstance(region, str) and region in base.regions else None)
    used = base.with_readings(choice)
    result, rows = _result(case, used, with_plan=plan, activities=activities)
    result["errors"].extend(problems)
    if result["region"] is not None and alternatives:
        result["readings"] = _readings(result, rows, case, base, choice)
    person = case_person(case, base)
    return (result if person is None else {"person": person, **result}), rows, used


def check_text(case, bundle: Bundle | None = None) -> str:
    """check() as JSON text, json.dumps(check(case), ensure_ascii=False)."""
    return json.dumps(check(case, bundle), ensure_ascii=False)


def _result(case, bundle: Bundle, with_plan: bool = False, activities: bool = True) -> tuple[dict, list[Row]]:
    """(the result document under one reading of every clause (the bundle's), its rows); activities=False
    leaves the document's "activities" None (check_rows)."""
    region, profile, items, errors = validate_case(case, bundle)
    ctx = CaseContext(bundle, region, profile)
    plan = cache.application_plan(plan_application, ctx) if region is not None else None
    window = plan.get("window") if plan else None
    rows, years = evaluate(items, ctx, range(window[0], window[1] + 1) if window else ())
    for i, row in enumerate(rows):
        errors.extend({"index": i, "field": name, "message": message} for name, message in row.converted.problems)
    for i, row in enumerate(rows):
        if row.converted.input_problem is not None:
            field, message = row.converted.input_problem
            errors.append({"index": i, "field": field, "message": message})
    listed = [row.as_dict(bundle) for row in rows] if activities else None
    if region is None:
        return {"region": None, "activities": listed, "years": {}, "errors": errors}, rows
    result = {"region": region, "activities": listed,
              "years": {str(y): cache.year_json(entry, own=activities) for y, entry in years.items()},
              "errors": errors,
              "region_name": bundle.regions[region]["name"], "notices": _profile_notices(ctx, years)}
    periods = summarise_periods(years, bundle, region)
    if periods:
        result["periods"] = json_numbers(periods)
    application = assess_application(years, plan, ctx)
    if application is not None:
        result["application"] = json_numbers(application)
        if with_plan:
            as_of = None if any(e["field"] == "as_of_year" for e in errors) else case.get("as_of_year")
            plan = make_plan(rows, ctx, years, application, as_of, summarise)
            if plan is not None:
                result["plan"] = plan
    return result, rows


def evaluate(items: list, ctx: CaseContext, extra_years=()) -> tuple[list[Row], dict[int, dict]]:
    """Raw activities -> (rows after caps, {year: summary with exact numbers}); no years without a region."""
    return summarise(cache.converted(items, ctx), ctx, extra_years)


def summarise(converted: list[Converted], ctx: CaseContext, extra_years=(), only: int | None = None,
              settled: tuple = ()) -> tuple[list[Row], dict[int, dict]]:
    """Converted activities -> (rows after caps, {year: summary with exact numbers}); no years without a region.

    only: a year whose figures alone are wanted (the plan's trials): each row keeps its credits of
    that year only. Caps and sums are per year, so that year's figures are the same as without it;
    other years' are not to be read. settled: rows whose credits no cap of these activities can cut
    (the plan's: the activities a trial cannot change, summed once), added to the sums as they are.
    """
    rows = [Row(i, c) for i, c in enumerate(converted)]
    if ctx.region is None:
        return rows, {}
    if only is not None:
        for row in rows:
            for c in row.credits:
                if c.year != only:
                    row.credits = [c for c in row.credits if c.year == only]
                    break
    apply_caps(rows, ctx.bundle, ctx.region)
    return rows, summarise_years([*rows, *settled] if settled else rows, ctx, extra_years)


def _profile_notices(ctx: CaseContext, years: dict) -> list[dict]:
    """Industry rules and similar notices triggered by profile flags."""
    out = []
    probe = max(years) if years else None
    for rule in ctx.bundle.rules_of_type(ctx.region, "industry"):
        if rule.get("flag") in ctx.flags and (probe is None or rule.in_force(probe)):
            out.append({"rule": rule.id, "source": rule["source"], "message": rule.params.get("message", ""),
                        "clause": rule["text"]})
    return out


def _readings(result: dict, rows: list[Row], case: dict, base: Bundle, choice: dict) -> list[dict]:
    """The readings that concern this case, each with the option used; alternatives marked on rows and years.

    `rows` are the result's own; under another option only the activities of the kinds its rules
    convert are converted again: the others' conversion reads no rule the option changes (an option
    may not change a rule's kind: ruleset/compile.py)."""
    kinds = {row["kind"] for row in result["activities"]}
    touched = rules_touched(result)
    rule_kinds = base.derived("rule_kinds", lambda: {r.id: r.get("kind") for r in base.rules})
    region, profile, items, _ = validate_case(case, base)
    out = []
    for reading in base.readings_for(result["region"]):
        concerned = {rule_kinds[rid] for rid in reading["rules"]}  # None: a rule of a type (cap, title, …)
        if not (concerned & kinds or None in concerned):
            continue  # only activity rules, and none of this case's kinds
        used = choice.get(reading["id"], reading["default"])
        changed = False
        for option, spec in reading["options"].items():
            if option != used:
                bundle = base.with_readings({**choice, reading["id"]: option})
                other = _numbers(CaseContext(bundle, region, profile), items, rows, concerned)
                changed |= _mark_alternatives(result, other, reading["id"], option, spec["label"])
        if changed or touched & set(reading["rules"]):
            out.append({"id": reading["id"], "question": reading["question"], "cite": reading["cite"],
                        "source": reading["source"], "rules": list(reading["rules"]), "default": reading["default"],
                        "used": used, "is_default": used == reading["default"], "changes_numbers": changed,
                        "options": [{"id": k, "label": v["label"]} for k, v in reading["options"].items()],
                        "notes": list(reading.get("notes") or [])})
    return out


def _numbers(ctx: CaseContext, items: list, rows: list[Row], concerned: set) -> dict:
    """The numbers of the result document alone (rows, years, the application's verdict) under ctx's
    bundle: what an alternative reading is compared on, without the words (None for a row whose numbers
    cannot differ from the result's).

    `rows` are the result's own; `concerned` the kinds the reading's rules convert (None for a rule of
    a type: a cap, a requirement, a title rule, which may change every number). When the reading
    concerns activity rules alone, the activities it can change are its kinds' and those sharing a
    cap with them (ruleset/plan.py, _settled): only these are converted and capped again; the others
    keep their numbers and are summed once (rows.Settled).
    """
    kinds = concerned - {None}
    again = [i for i, row in enumerate(rows) if row.activity.get("kind") in kinds]
    fresh = dict(zip(again, cache.converted([items[i] for i in again], ctx)))
    plan = cache.application_plan(plan_application, ctx)
    window = range(plan["window"][0], plan["window"][1] + 1) if plan and plan.get("window") else ()
    if None in concerned:
        out_rows, years = summarise([fresh.get(i, row.converted) for i, row in enumerate(rows)], ctx, window)
    else:
        reached = set(kinds)
        grown = True
        while grown:  # shared caps apply after the per-kind caps of their members: take in all they meet
            grown = False
            for cap in ctx.bundle.rules_of_type(ctx.region, "cap"):
                members = set(cap["kinds"])
                if members & reached and not members <= reached:
                    reached |= members
                    grown = True
        apart = [i for i, row in enumerate(rows) if row.activity.get("kind") in reached]
        moved = set(apart)
        kept = [row for i, row in enumerate(rows) if i not in moved]
        known = set(window)  # the years the kept rows bring, as summarise_years finds them
        for row in kept:
            if row.valid and row.activity.get("year") is not None:
                known.add(row.activity["year"])
            known.update(c.year for c in row.credits)
            for d in row.deemed:
                known.update(d.years)
        redone, years = summarise([fresh.get(i, rows[i].converted) for i in apart], ctx, sorted(known),
                                  settled=(Settled(kept),))
        out_rows = [None] * len(rows)  # None: the row's numbers are the result's own
        for i, row in zip(apart, redone):
            out_rows[i] = row
    activities = []
    for row in out_rows:
        if row is None:
            activities.append(None)
            continue
        credited = {"public": 0, "professional": 0}
        for c in row.credits:
            credited[c.subject] += c.amount
        activities.append({s: to_json(v) for s, v in credited.items()})
    application = assess_application(years, plan, ctx)
    return {"activities": activities,
            "years": {str(y): {"public": to_json(e["public"]), "professional": to_json(e["professional"]),
                               "met": e.get("met")} for y, e in years.items()},
            "application": json_numbers(application) if application else None}


def _mark_alternatives(result: dict, other: dict, reading: str, option: str, label: str) -> bool:
    """Add `alternatives` where `other` (the case under another reading) has other numbers; True if any."""
    changed = False

    def numbers(entry: dict | None) -> dict:
        entry = entry or {}
        public, professional = exact(entry.get("public", 0)), exact(entry.get("professional", 0))
        return {"reading": reading, "option": option, "label": label, "public": to_json(public),
                "professional": to_json(professional), "total": to_json(public + professional)}

    for row, alt in zip(result["activities"], other["activities"]):
        if alt is not None and (row["public"], row["professional"]) != (alt["public"], alt["professional"]):
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


def rules_touched(result: dict) -> set[str]:
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


