"""The checker shows a field, a warning or a note only when it applies (issue 14 §4).

- A field of an activity that depends on another (case.yaml `shown_if`, the schema's
  x-depends-on) is hidden until that holds, and stays shown while it has a value; its help
  speaks of the activity at hand (a research project's rank: no authors or inventors).
- A nullable field left unanswered is asked for by the rule that decides by it, not taken
  as "does not qualify"; （留空） is an answer (null).
- A rule's note for a case that is not the person's (高技能人才) is not shown.
"""
from __future__ import annotations

import pytest

from test_browser import Checker, assert_clean, session  # noqa: F401 - the fixture and the page driver

pytestmark = pytest.mark.browser


def start(s, region: str) -> Checker:
    c = s.checker
    c.open()
    c.wait_ready()
    c.set_region(region)
    return c


def test_a_research_projects_rank_shows_for_a_member_only_with_its_own_help(session):  # noqa: F811
    c = start(session, "qinghai")
    i = c.add("research_project")
    card = c.act(i)
    rank = c.field(card, "rank")
    assert not rank.is_visible(), "本人排名 shown before the role says the person is a member"
    c.set(card, "role", "pi")
    c.settle()
    assert not rank.is_visible(), "本人排名 shown for the project's leader"
    c.set(card, "role", "member")
    assert rank.is_visible()
    help_text = rank.locator(".ce-field__help").inner_text()
    for word in ("作者", "发明人", "获奖人"):
        assert word not in help_text, help_text
    assert "课题" in help_text
    # a field with a value is never hidden
    c.set(card, "rank", 2)
    c.set(card, "role", "pi")
    c.settle()
    assert rank.is_visible()
    assert c.case_on_page()["activities"][i]["rank"] == 2
    # a paper's CN question only for a journal, the index question only without a CN number
    j = c.add("paper")
    paper = c.act(j)
    assert c.field(paper, "has_cn_number").is_visible()
    assert not c.field(paper, "indexed").is_visible()
    c.set(paper, "has_cn_number", False)
    assert c.field(paper, "indexed").is_visible()
    c.set(paper, "has_cn_number", True)
    c.set(paper, "venue", "conference")
    c.settle()
    assert c.field(paper, "has_cn_number").is_visible(), "answered: stays shown"
    k = c.add("paper")
    c.set(c.act(k), "venue", "conference")
    c.settle()
    assert not c.field(c.act(k), "has_cn_number").is_visible()
    assert not c.field(c.act(k), "indexed").is_visible()
    assert_clean(session)


def test_an_unanswered_grade_is_asked_for_and_blank_is_an_answer(session):  # noqa: F811
    c = start(session, "changde")
    i = c.add("award")
    card = c.act(i)
    c.set(card, "year", 2023)
    c.set(card, "level", "provincial")
    c.set(card, "field", "science")
    c.settle()
    text = session.page.locator(card).text_content()
    assert "不计学时" not in text, "the award is said not to qualify before its grade is chosen"
    assert "奖项等次" in c.error_text(card, "grade")
    c.set(card, "grade", None)  # 不分等次 (null_label): an award without grades
    c.settle()
    assert c.error_text(card, "grade") == ""
    assert c.case_on_page()["activities"][i]["grade"] is None
    assert "不分等次" in session.page.locator(card).text_content()
    c.set(card, "grade", 2)
    c.settle()
    assert c.numbers()[f"activities.{i}.professional"] == "30"
    assert_clean(session)


def test_a_note_for_high_skill_talents_shows_only_for_one(session):  # noqa: F811
    c = start(session, "qinghai")
    i = c.add("paper")
    card = c.act(i)
    for name, value in (("year", 2023), ("authors", 1), ("rank", 1), ("has_cn_number", True)):
        c.set(card, name, value)
    c.settle()
    assert c.numbers()[f"activities.{i}.professional"] == "10"
    page_text = session.page.locator("#ce-checker").text_content()
    assert "本条只规定在有正规发行刊号的期刊上发表的论文" in page_text  # the rule's other notes are there
    assert "高技能人才发表的论文" not in page_text
    c.set_profile("flags", ["high_skill_talent"])
    c.settle()
    assert "高技能人才发表的论文" in session.page.locator("#ce-checker").text_content()
    assert_clean(session)
