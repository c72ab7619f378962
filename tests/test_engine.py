"""Engine behaviour through the public `check` function."""
import json
from fractions import Fraction

from ruleset import check
from ruleset.numbers import to_json


def test_exact_arithmetic_no_float_noise():
    # 0.1 + 0.2 style sums: ten 0.5-day trainings at 7 h and stated hours with one decimal.
    acts = [{"kind": "training", "year": 2021, "days": 0.5} for _ in range(10)]
    acts += [{"kind": "online_course", "year": 2021, "hours": 0.1} for _ in range(3)]
    result = check({"region": "qinghai", "activities": acts})
    assert result["years"]["2021"]["professional"] == 35.3
    assert "35.3" in json.dumps(result["years"]["2021"])
    assert "0000" not in json.dumps(result)


def test_to_json_prints_exact_decimals():
    assert to_json(Fraction(7, 2)) == 3.5
    assert to_json(Fraction(90)) == 90 and isinstance(to_json(Fraction(90)), int)
    assert repr(to_json(Fraction(353, 10))) == "35.3"


def test_unknown_kind_in_region_is_credited_zero_with_a_warning():
    result = check({"region": "qinghai", "activities": [{"kind": "aid_posting", "year": 2022, "months": 6}]})
    row = result["activities"][0]
    assert row["public"] == 0 and row["professional"] == 0 and row["rule"] is None
    assert any("未规定" in w for w in row["warnings"])
    assert result["errors"] == []


def test_row_explains_itself():
    result = check({"region": "qinghai", "activities": [
        {"kind": "paper", "year": 2023, "authors": 1, "rank": 1, "has_cn_number": True, "title": "某论文"}]})
    row = result["activities"][0]
    assert row["source"] == "policies/qinghai-2024-192/#annex2-paper"
    assert row["rule"] == "qinghai.paper"
    assert "10 学时" in row["explanation"]
    assert row["evidence"] and row["clause"].startswith("任现职期间")
    assert row["title"] == "某论文"
    assert row["notes"], "interpretation notes travel with the row"


def test_result_is_deterministic_and_order_independent():
    acts = [
        {"kind": "paper", "year": 2023, "authors": 1, "rank": 1, "has_cn_number": True},
        {"kind": "paper", "year": 2023, "authors": 2, "rank": 2, "has_cn_number": True},
        {"kind": "paper", "year": 2023, "authors": 1, "rank": 1, "has_cn_number": True},
        {"kind": "training", "year": 2023, "days": 2},
    ]
    a = check({"region": "qinghai", "activities": acts})
    b = check({"region": "qinghai", "activities": list(reversed(acts))})
    assert a["years"] == b["years"]
    per_a = sorted((r["kind"], r["professional"]) for r in a["activities"])
    per_b = sorted((r["kind"], r["professional"]) for r in b["activities"])
    assert per_a == per_b
    assert json.dumps(check({"region": "qinghai", "activities": acts})) == json.dumps(a)


def test_application_present_only_with_target_and_year():
    base = {"region": "qinghai", "activities": []}
    assert "application" not in check(base)
    assert "application" not in check({**base, "profile": {"target_title": "junior"}})
    app = check({**base, "profile": {"target_title": "junior", "apply_year": 2022}})["application"]
    assert app["met"] is False and app["window"] == [2020, 2022]
    for y in range(2020, 2023):
        assert str(y) in check({**base, "profile": {"target_title": "junior", "apply_year": 2022}})["years"]


def test_valid_activities_still_computed_beside_bad_ones():
    result = check({"region": "qinghai", "activities": [
        {"kind": "training", "year": 2022, "days": -1},
        {"kind": "training", "year": 2022, "days": 2},
    ]})
    assert result["errors"] == [{"index": 0, "field": "days", "message": result["errors"][0]["message"]}]
    assert "不能小于 0" in result["errors"][0]["message"]
    assert result["activities"][0]["valid"] is False
    assert result["activities"][1]["professional"] == 14
    assert result["years"]["2022"]["professional"] == 14


def test_numeric_choice_given_as_json_float_is_that_choice():
    """JSON 1.0 for a choice of 1 (an award grade) converts like 1, not an internal error."""
    act = {"kind": "award", "year": 2020, "level": "national", "rank": 1}
    as_float = check({"region": "binzhou", "activities": [{**act, "grade": 1.0}]})
    as_int = check({"region": "binzhou", "activities": [{**act, "grade": 1}]})
    assert as_float["errors"] == [] and as_float == as_int
    assert as_float["activities"][0]["professional"] > 0


def test_hours_to_credits_divides_exactly():
    from fractions import Fraction

    from ruleset import methods
    from ruleset.context import CaseContext
    from ruleset.loader import Rule, bundle

    rule = Rule({"method": "hours_to_credits", "subject": "professional",
                 "params": {"hours_per_credit": 3, "hours_per_day": 6}}, "test.credits")
    ctx = methods.Context(activity={"kind": "training", "year": 2018, "hours": 10}, rule=rule,
                          case=CaseContext(bundle(), "binzhou", {"flags": []}))
    outcome = methods.METHODS["hours_to_credits"](ctx)
    assert [c.amount for c in outcome.credits] == [Fraction(10, 3)]
