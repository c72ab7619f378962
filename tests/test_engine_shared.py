"""What the engine remembers between calls is never reached through a result: a caller may change its result."""
import json

import pytest

from ruleset import cache, check
from ruleset.context import CaseContext
from ruleset.loader import bundle
from vector_check import load_vectors


def _scribble(value) -> None:
    """Change every dict and list inside `value`, in place."""
    if isinstance(value, dict):
        for v in list(value.values()):
            _scribble(v)
        for key in list(value):
            value[key] = "changed"
        value["added"] = 1
    elif isinstance(value, list):
        for v in value:
            _scribble(v)
        value.append("added")


def test_a_result_changed_by_its_caller_changes_no_later_result():
    cache.clear()
    for _, vec in load_vectors():
        first = check(vec["case"])
        want = json.dumps(first, ensure_ascii=False)
        _scribble(first)
        assert json.dumps(check(vec["case"]), ensure_ascii=False) == want  # from the memo


def test_a_long_research_project_shows_each_year_once_with_its_share():
    """by_year of an activity credited in many years: one entry a year, the shares adding up to the row."""
    project = {"kind": "research_project", "year": 2100, "start_year": 1950, "level": "national", "role": "pi",
               "completed": True, "rank": 1}
    result = check({"region": "qinghai", "activities": [project]})
    row = result["activities"][0]
    by_year = row["by_year"]
    years = [int(y) for y in by_year]
    assert years == sorted(years) and len(years) > 50
    assert sum(v["professional"] for v in by_year.values()) == row["professional"]
    assert all(by_year[str(y)]["professional"] == result["years"][str(y)]["professional"] for y in years)


def test_converting_an_activity_reads_only_the_declared_profile_fields():
    """The memo keys a conversion on CONVERSION_FIELDS of the profile alone; reading another field fails loudly."""
    ctx = CaseContext(bundle(), "qinghai", {"target_title": "intermediate", "tenure_start_year": 2018,
                                            "flags": []}).conversion
    assert ctx.profile.get("tenure_start_year") == 2018 and ctx.flags == []
    with pytest.raises(KeyError, match="CONVERSION_FIELDS"):
        ctx.profile.get("target_title")


def test_people_differing_only_outside_the_conversion_fields_get_the_same_rows():
    acts = [{"kind": "training", "year": 2023, "days": 3}, {"kind": "paper", "year": 2023, "authors": 2, "rank": 1,
                                                            "has_cn_number": True}]
    results = []
    for title in ("intermediate", "associate_senior", None):
        profile = {"apply_year": 2024, "tenure_start_year": 2016, **({"target_title": title} if title else {})}
        cache.clear()
        cold = check({"region": "qinghai", "profile": profile, "activities": acts})["activities"]
        warm = check({"region": "qinghai", "profile": profile, "activities": acts})["activities"]
        assert cold == warm
        results.append(cold)
    assert results[0] == results[1] == results[2]
