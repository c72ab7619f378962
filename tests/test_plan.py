"""补足建议: what the plan suggests closes the gap exactly as predicted, in every region."""
import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruleset import check
from test_properties import profiles, valid_activity

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REGIONS = ["qinghai", "qingdao", "changde", "national"]  # hour-based title windows


@st.composite
def short_case(draw):
    region = draw(st.sampled_from(REGIONS))
    profile = dict(draw(profiles))
    profile.update(target_title=draw(st.sampled_from(["intermediate", "associate_senior"])),
                   apply_year=draw(st.integers(2024, 2027)))
    profile.pop("flags", None)
    acts = draw(st.lists(valid_activity(years=st.integers(2019, 2027)), max_size=10))
    return {"region": region, "as_of_year": draw(st.integers(2022, 2027)), "profile": profile, "activities": acts}


def _with(case, extra):
    return {**case, "activities": case["activities"] + extra}


@SETTINGS
@given(short_case())
def test_the_suggestion_closes_the_gap_and_less_does_not(case):
    result = check(case)
    plan = result.get("plan")
    if plan is None:
        return
    for year in plan["years"]:
        suggestion = year["suggestion"]
        if year["past"]:
            assert suggestion is None and year["options"] == []
            continue
        if not suggestion:
            continue
        added = [copy.deepcopy(a["activity"]) for a in suggestion["activities"]]
        after = check(_with(case, added))["years"][str(year["year"])]
        assert after["met"] is suggestion["closes"], suggestion["text"]
        if suggestion["closes"]:
            last = added[-1]
            scale = next(o["scale"] for o in year["options"] if o["label"] == suggestion["activities"][-1]["label"])
            step = next(o["step"] for o in year["options"] if o["label"] == suggestion["activities"][-1]["label"])
            less = [*added[:-1], {**last, scale: last[scale] - step}] if last[scale] > step else added[:-1]
            assert check(_with(case, less))["years"][str(year["year"])]["met"] is False, suggestion["text"]


def test_plan_for_a_qinghai_engineer_names_training_and_past_years():
    case = {"region": "qinghai", "as_of_year": 2024,
            "profile": {"target_title": "intermediate", "apply_year": 2025, "tenure_start_year": 2015},
            "activities": [{"kind": "public_course", "year": 2024, "hours": 45},
                           {"kind": "training", "year": 2024, "days": 10},
                           {"kind": "paper", "year": 2024, "authors": 1, "rank": 1, "venue": "journal",
                            "has_cn_number": True}]}
    plan = check(case)["plan"]
    by_year = {y["year"]: y for y in plan["years"]}
    assert by_year[2023]["past"] and by_year[2023]["suggestion"] is None
    # 2024: 45 public met; 135 - 45 = 90 professional required, 70 + 10 credited: 10 short = 1.5 days at 7 h/day
    assert by_year[2024]["shortfall"] == {"public": 0, "professional": 10, "total": 10}
    assert by_year[2024]["suggestion"]["text"] == "2024：再参加 1.5 天专业科目培训（10.5 学时）"
    assert by_year[2024]["suggestion"]["closes"] is True
    training = next(o for o in by_year[2024]["options"] if o["label"] == "专业科目培训")
    assert training["per_step"] == {"public": 0, "professional": 3.5}
    assert training["source"].startswith("policies/qinghai-2024-192/")
    assert plan["years_needed"] == 3 and "仍差 1 个达标年度" in plan["explanation"]


def test_caps_already_used_are_counted():
    """Qingdao public hours are capped at 30 a year: with 30 already, more public learning adds nothing."""
    case = {"region": "qingdao", "as_of_year": 2025,
            "profile": {"target_title": "intermediate", "apply_year": 2026},
            "activities": [{"kind": "public_course", "year": 2026, "hours": 30}]}
    year = next(y for y in check(case)["plan"]["years"] if y["year"] == 2026)
    assert "公需科目学习" not in [o["label"] for o in year["options"]]
    assert year["suggestion"]["closes"]


def test_no_plan_without_an_application_or_when_it_is_met():
    assert "plan" not in check({"region": "qinghai", "activities": [{"kind": "training", "year": 2024, "days": 1}]})


def test_without_as_of_year_no_year_is_called_past():
    case = {"region": "qinghai", "profile": {"target_title": "intermediate", "apply_year": 2025}, "activities": []}
    plan = check(case)["plan"]
    assert plan["as_of_year"] is None and not any(y["past"] for y in plan["years"])


@pytest.mark.parametrize("value", ["2024", 1800, True])
def test_bad_as_of_year_is_an_error(value):
    result = check({"region": "qinghai", "as_of_year": value, "activities": []})
    assert [e["field"] for e in result["errors"]] == ["as_of_year"]
