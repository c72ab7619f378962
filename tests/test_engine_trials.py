"""The plan's trials and the alternative readings evaluate only what can change: their numbers are those of
the whole case evaluated again (the case with the activity added; the case under the other option)."""
import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruleset import check
from ruleset.loader import bundle
from test_plan import short_case
from test_properties import valid_activity
from vector_check import load_vectors

SETTINGS = settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])
B = bundle()
CAPPED = {"qinghai": ["paper", "book", "lecture", "mentoring", "training", "conference", "public_course"],
          "qingdao": ["paper", "book", "training", "online_course", "patent", "public_course"],
          "changde": ["training", "public_course", "paper"]}


@st.composite
def crowded_case(draw):
    """A short case with many activities of capped kinds in the window's years, so trials meet caps."""
    case = draw(short_case())
    kinds = CAPPED.get(case["region"], ["training", "public_course"])
    year = st.integers(case["profile"]["apply_year"] - 4, case["profile"]["apply_year"])
    case["activities"] += draw(st.lists(valid_activity(years=year, kinds=st.sampled_from(kinds)), max_size=12))
    return case


def _year(case, year: int) -> dict:
    return check(case, plan=False, alternatives=False)["years"][str(year)]


def _each_option_is_the_whole_case_again(case) -> None:
    """Every option of the plan: its per-step gain is what one step of it adds to the whole case."""
    result = check(case)
    for year in (result.get("plan") or {}).get("years", []):
        before = _year(case, year["year"])
        for option in year["options"]:
            template = next(t for t in B.case["plan"] if t["label"] == option["label"])
            activity = {"kind": template["kind"], "year": year["year"], **(template.get("fields") or {}),
                        template["scale"]: option["step"]}
            after = _year({**case, "activities": case["activities"] + [activity]}, year["year"])
            gain = {s: after[s] - before[s] for s in ("public", "professional")}
            assert {s: round(v, 6) for s, v in gain.items()} == \
                {s: round(v, 6) for s, v in option["per_step"].items()}, option["label"]
        suggestion = year["suggestion"]
        if suggestion:
            added = [copy.deepcopy(a["activity"]) for a in suggestion["activities"]]
            assert _year({**case, "activities": case["activities"] + added}, year["year"])["met"] is \
                suggestion["closes"]


def _alternatives_are_the_case_under_the_option(case) -> None:
    """Each alternative shown is the number the case has under that option; no alternative, the same number."""
    result = check(case)
    for reading in result.get("readings", []):
        for option in reading["options"]:
            if option["id"] == reading["used"]:
                continue
            other = check({**case, "readings": {**(case.get("readings") or {}), reading["id"]: option["id"]}},
                          plan=False, alternatives=False)
            for row, theirs in zip(result["activities"], other["activities"]):
                shown = [a for a in row.get("alternatives", []) if (a["reading"], a["option"]) ==
                         (reading["id"], option["id"])]
                want = (theirs["public"], theirs["professional"])
                assert [(a["public"], a["professional"]) for a in shown] in ([want], []), row["index"]
                if not shown:
                    assert (row["public"], row["professional"]) == want, row["index"]
            for year, entry in result["years"].items():
                shown = [a for a in entry.get("alternatives", []) if (a["reading"], a["option"]) ==
                         (reading["id"], option["id"])]
                theirs = other["years"].get(year, {})
                want = (theirs.get("public", 0), theirs.get("professional", 0), theirs.get("met"))
                if shown:
                    assert (shown[0]["public"], shown[0]["professional"], shown[0]["met"]) == want, year
                else:
                    assert (entry["public"], entry["professional"], entry.get("met")) == want, year


def test_vectors_options_and_alternatives_are_the_whole_case_again():
    for _, vec in load_vectors():
        _each_option_is_the_whole_case_again(vec["case"])
        _alternatives_are_the_case_under_the_option(vec["case"])


@SETTINGS
@given(crowded_case())
def test_crowded_cases_options_are_the_whole_case_again(case):
    _each_option_is_the_whole_case_again(case)


@SETTINGS
@given(crowded_case())
def test_crowded_cases_alternatives_are_the_case_under_the_option(case):
    _alternatives_are_the_case_under_the_option(case)
