"""Fields, warnings and notes that apply (issue 14 §4), through the public interfaces."""
from __future__ import annotations

import pytest

import ruleset
from ruleset.compile import RuleDataError
from ruleset.schema import case_schema


def row_and_errors(region, act, profile=None):
    result = ruleset.check({"region": region, "profile": profile or {}, "activities": [act]})
    return result["activities"][0], result["errors"]


def test_a_nullable_field_left_out_is_asked_for_not_taken_as_not_qualifying():
    award = {"kind": "award", "year": 2023, "level": "provincial", "field": "science", "rank": 1}
    row, errors = row_and_errors("changde", award)
    assert errors == [{"index": 0, "field": "grade",
                       "message": "此类活动需要填写“奖项等次”（本地区的规定按此项认定是否计学时、计多少）"}]
    assert row["valid"] is False and row["rule"] is None
    row, errors = row_and_errors("changde", {**award, "grade": None})  # answered: an award without grades
    assert errors == [] and row["rule"] == "changde.award_unlisted" and row["professional"] == 0
    row, errors = row_and_errors("changde", {**award, "grade": 1})
    assert errors == [] and row["professional"] == 60


def test_a_note_for_high_skill_talents_is_in_their_rows_only():
    paper = {"kind": "paper", "year": 2023, "authors": 1, "rank": 1, "venue": "journal", "has_cn_number": True}
    note = "高技能人才发表的论文按本条计算（2024 年通知第六部分（一）2）。"
    row, _ = row_and_errors("qinghai", paper)
    assert row["notes"] and note not in row["notes"]
    for flag in ("high_skill_talent", "high_skill_leader"):
        row, _ = row_and_errors("qinghai", paper, {"flags": [flag]})
        assert note in row["notes"]
        assert row["professional"] == 10


def test_the_schema_says_which_activity_fields_depend_on_another():
    kinds = case_schema()["x-kinds"]
    assert kinds["research_project"]["properties"]["rank"]["x-depends-on"] == {"field": "role", "value": "member"}
    assert kinds["paper"]["properties"]["indexed"]["x-depends-on"] == {"field": "has_cn_number", "value": False}
    assert "x-depends-on" not in kinds["paper"]["properties"]["rank"]
    help_text = kinds["research_project"]["properties"]["rank"]["description"]
    assert "作者" not in help_text and "发明人" not in help_text


@pytest.mark.parametrize("shown_if", ["{nope: 1}", "{role: boss}", "{start_year: 2020}", "{rank: 1}"])
def test_the_compiler_refuses_a_shown_if_it_cannot_read(scratch_rules_dir, shown_if):
    from ruleset import compile as rcompile

    path = scratch_rules_dir / "case.yaml"
    text = path.read_text(encoding="utf-8")
    old = "rank: {shown_if: {role: member},"
    assert old in text
    path.write_text(text.replace(old, f"rank: {{shown_if: {shown_if},"), encoding="utf-8")
    with pytest.raises(RuleDataError, match="shown_if"):
        rcompile.build()


def test_the_compiler_refuses_a_conditional_note_on_an_unknown_flag(scratch_rules_dir):
    from ruleset import compile as rcompile

    path = scratch_rules_dir / "qinghai" / "papers_books.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[high_skill_talent, high_skill_leader]", "[no_such_flag]"), encoding="utf-8")
    with pytest.raises(RuleDataError, match="note"):
        rcompile.build()


def test_a_binzhou_award_left_without_grade_is_asked_for_not_credited_as_first_grade():
    # Binzhou's ungraded column credits the first three as 一等奖: a graded award whose grade
    # was left out must not land there (over-credit); null (不分等次) is the ungraded answer.
    award = {"kind": "award", "year": 2018, "level": "provincial", "rank": 1}
    row, errors = row_and_errors("binzhou", award)
    assert [e["field"] for e in errors] == ["grade"] and "不分等次" in errors[0]["message"]
    assert row["valid"] is False and not row.get("professional")
    row, errors = row_and_errors("binzhou", {**award, "grade": None})
    assert errors == [] and row["professional"] == 35  # 省部级 不分等次, 前三位按一等奖
    row, errors = row_and_errors("binzhou", {**award, "grade": 3})
    assert errors == [] and row["professional"] == 25


def test_the_null_label_is_an_answer_in_the_schema_and_in_a_batch_cell():
    from ruleset.batch.cells import parse
    from ruleset.loader import bundle

    grade = case_schema()["properties"]["activities"]["items"]["properties"]["grade"]
    assert grade["x-null-label"] == "不分等次" and None in grade["enum"]
    spec = bundle().fields["grade"]
    assert parse("不分等次", spec) is None
    assert parse("二等奖", spec) == 2
