"""Bad input never crashes and never silently drops data: errors name the activity and field."""
import json
import pytest

from ruleset import check


def _errors(case):
    return check(case)["errors"]


@pytest.mark.parametrize("case,index,field,fragment", [
    ({"region": "atlantis", "activities": []}, None, "region", "未知地区"),
    ({"activities": []}, None, "region", "缺少地区"),
    ({"region": "qinghai", "activities": [{"kind": "juggling", "year": 2022}]}, 0, "kind", "未知的活动类型"),
    ({"region": "qinghai", "activities": [{"year": 2022}]}, 0, "kind", "缺少活动类型"),
    ({"region": "qinghai", "activities": [{"kind": "training", "days": 1}]}, 0, "year", "缺少计入年度"),
    ({"region": "qinghai", "activities": [{"kind": "training", "year": "2022", "days": 1}]}, 0, "year", "应为整数"),
    ({"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": -2}]}, 0, "days", "不能小于"),
    ({"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": "three"}]}, 0, "days", "应为数字"),
    ({"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": 1.3}]}, 0, "days", "0.5 的整数倍"),
    ({"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": True}]}, 0, "days", "应为数字"),
    ({"region": "qinghai", "activities": [{"kind": "paper", "year": 2022, "authors": 2, "rank": 0}]}, 0, "rank", "不能小于 1"),
    ({"region": "qingdao", "activities": [{"kind": "leave", "year": 2022, "reason": "sick", "months": 13}]}, 0, "months", "不能大于 12"),
    ({"region": "qinghai", "activities": [{"kind": "patent", "year": 2022, "patent_type": "secret", "rank": 1}]}, 0, "patent_type", "无效"),
    ({"region": "qinghai", "activities": [{"kind": "paper", "year": 2022, "has_cn_number": True}]}, 0, "authors", "作者"),
    ({"region": "qinghai", "activities": [{"kind": "paper", "year": 2022, "authors": 2, "rank": 3, "has_cn_number": True}]}, 0, "rank", "不能大于作者总数"),
    ({"region": "qinghai", "activities": "none"}, None, "activities", "应为列表"),
    ({"region": "qinghai", "activities": [42]}, 0, "", "应为对象"),
    ({"region": "qinghai", "profile": {"apply_year": "next"}}, None, "profile.apply_year", "应为整数"),
    ({"region": "qinghai", "profile": {"target_title": "emperor"}}, None, "profile.target_title", "无效"),
    ({"region": "qinghai", "profile": {"flags": ["lucky"]}}, None, "profile.flags", "未知选项"),
    ([1, 2, 3], None, "", "JSON 对象"),
    ({"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": float("nan")}]}, 0, "days", "有限"),
    ({"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "hours": 1e300}]}, 0, "hours", "不能大于"),
])
def test_bad_input_names_activity_and_field(case, index, field, fragment):
    errors = _errors(case)
    assert any(e["index"] == index and e["field"] == field and fragment in e["message"] for e in errors), errors


def test_unknown_extra_field_is_reported_not_dropped():
    result = check({"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": 1, "rank": 2}]})
    assert result["errors"] == []
    assert any("不适用" in w for w in result["activities"][0]["warnings"])


def test_ten_thousand_activities_finish():
    """Speed is measured by `make bench`; here only that it completes and stays correct."""
    acts = [{"kind": k, "year": 2019 + i % 8, **extra} for i in range(2500) for k, extra in (
        ("training", {"days": 1}), ("paper", {"authors": 2, "rank": 1, "has_cn_number": True}),
        ("public_course", {"hours": 3}), ("patent", {"patent_type": "invention", "rank": 4}))]
    result = check({"region": "qinghai", "profile": {"target_title": "full_senior", "apply_year": 2026},
                    "activities": acts})
    assert len(result["activities"]) == 10_000 and result["errors"] == []
    assert result["years"]["2023"]["professional"] > 0
    json.dumps(result)
