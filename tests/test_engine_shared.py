"""What the engine remembers between calls is never reached through a result: a caller may change its result."""
import json

from ruleset import cache, check
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
