"""check(plan=False, alternatives=False): the same result document less those sections, nothing else changed."""
import json

from hypothesis import HealthCheck, given, settings

from ruleset import check
from ruleset.engine import check_rows
from ruleset.loader import bundle
from test_plan import short_case
from test_properties import any_case
from vector_check import load_vectors

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _without(result: dict, plan: bool, alternatives: bool) -> dict:
    """`result` (a full check) as it reads with the sections switched off removed by hand."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if alternatives or k != "alternatives"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    gone = ({"plan"} if not plan else set()) | ({"readings"} if not alternatives else set())
    return strip({k: v for k, v in result.items() if k not in gone})


def _same_less_sections(case) -> None:
    full = json.loads(json.dumps(check(case), ensure_ascii=False))
    for plan in (True, False):
        for alternatives in (True, False):
            lean = json.loads(json.dumps(check(case, plan=plan, alternatives=alternatives), ensure_ascii=False))
            assert lean == _without(full, plan, alternatives), (plan, alternatives)
        # check_rows: the same as alternatives=False, its activities made by the caller from the rows
        result, rows, used = check_rows(case, plan=plan)
        assert result["activities"] is None
        result["activities"] = [row.as_dict(used) for row in rows]
        assert json.loads(json.dumps(result, ensure_ascii=False)) == _without(full, plan, False), plan


def test_every_vector_less_its_plan_and_readings_is_the_full_result():
    sections = {"plan": 0, "readings": 0}
    for _, vec in load_vectors():
        full = check(vec["case"])
        sections["plan"] += "plan" in full
        sections["readings"] += bool(full.get("readings"))
        _same_less_sections(vec["case"])
    assert sections["plan"] and sections["readings"]  # the vectors exercise both sections


def test_vectors_under_each_other_reading_less_their_sections_are_the_full_result():
    """The case's own choice of readings (`readings`) holds with the sections left out."""
    chosen = 0
    for _, vec in load_vectors():
        case = vec["case"]
        for reading in bundle().readings_for(case.get("region")):
            for option in reading["options"]:
                if option != reading["default"]:
                    _same_less_sections({**case, "readings": {reading["id"]: option}})
                    chosen += 1
    assert chosen


@SETTINGS
@given(short_case())
def test_short_cases_less_their_plan_and_readings_are_the_full_result(case):
    _same_less_sections(case)


@SETTINGS
@given(any_case())
def test_any_case_less_its_plan_and_readings_is_the_full_result(case):
    _same_less_sections(case)
