"""Named readings: compiled from the rule data, computed by default, alternatives shown beside the numbers."""
import textwrap

import pytest

from ruleset import check
from ruleset import compile as rcompile
from ruleset.loader import Bundle, bundle
from vector_check import load_vectors

READING = """\
- reading: qinghai.zz_paper_reading
  cite: qinghai-2024-192#annex2-paper
  question: 测试用：论文条款从哪一年起适用？
  default: as_written
  options:
    as_written: {label: 按条文所在年份}
    earlier:
      label: 提前一年适用，独著 12 学时
      rules: {qinghai.paper: {in_force: {from: 2021}, params: {sole: 12}}}
"""


@pytest.fixture
def scratch(scratch_rules_dir):
    """Compile a copy of the rule data with `text` added to the Qinghai rules -> Bundle."""
    rules = scratch_rules_dir

    def make(text: str) -> Bundle:
        (rules / "qinghai" / "zz_reading.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        return Bundle(rcompile.build())
    return make


def _refused(scratch, text) -> str:
    with pytest.raises(rcompile.RuleDataError) as exc:
        scratch(text)
    return str(exc.value)


def test_reading_compiles_with_a_back_link_on_its_rule(scratch):
    b = scratch(READING)
    assert b.readings["qinghai.zz_paper_reading"]["rules"] == ["qinghai.paper"]
    paper = next(r for r in b.rules if r.id == "qinghai.paper")
    assert "qinghai.zz_paper_reading" in paper["readings"]


@pytest.mark.parametrize("change, message", [
    ("rules: {qinghai.paper: {in_force: {from: 2021}, params: {sole: 12}}}",
     "rules: {qinghai.nope: {params: {sole: 12}}}"),
])
def test_unknown_rule_refused(scratch, change, message):
    assert "unknown rule 'qinghai.nope'" in _refused(scratch, READING.replace(change, message))


def test_default_option_may_not_change_rules(scratch):
    text = READING.replace("as_written: {label: 按条文所在年份}",
                           "as_written: {label: 按条文所在年份, rules: {qinghai.paper: {params: {sole: 1}}}}")
    assert "the default option is the rule data as written" in _refused(scratch, text)


def test_option_needs_a_label(scratch):
    assert "needs a Chinese label" in _refused(scratch, READING.replace("{label: 按条文所在年份}", "{}"))


def test_default_must_be_an_option(scratch):
    assert "is not one of its options" in _refused(scratch, READING.replace("default: as_written", "default: x"))


def test_alternative_is_checked_as_rule_data(scratch):
    text = READING.replace("params: {sole: 12}", "method: no_such_method")
    assert "option 'earlier'" in _refused(scratch, text) and "unknown method" in _refused(scratch, text)


def test_alternative_that_breaks_the_years_is_refused(scratch):
    # the 2024 training rule follows the 2019 one; moving its start back makes them overlap
    text = READING.replace("qinghai.paper: {in_force: {from: 2021}, params: {sole: 12}}",
                           "qinghai.training: {in_force: {from: 2019}}")
    assert "overlaps" in _refused(scratch, text)


PAPER = {"kind": "paper", "authors": 1, "rank": 1, "venue": "journal", "has_cn_number": True}
CASE = {"region": "qinghai", "activities": [
    {**PAPER, "year": 2021}, {**PAPER, "year": 2023}, {"kind": "public_course", "year": 2023, "hours": 30}]}


def mine(entries: list) -> list:
    """Only what concerns the test's own reading (the real data has readings of its own)."""
    return [e for e in entries if e.get("reading", e.get("id")) == "qinghai.zz_paper_reading"]


def test_default_reading_is_computed_and_the_other_shown(scratch):
    result = check(CASE, bundle=scratch(READING))
    assert result["errors"] == []
    rows = result["activities"]
    assert (rows[0]["professional"], rows[1]["professional"]) == (0, 10)
    assert mine(rows[0]["alternatives"]) == [{"reading": "qinghai.zz_paper_reading", "option": "earlier",
                                              "label": "提前一年适用，独著 12 学时", "public": 0,
                                              "professional": 12, "total": 12}]
    assert mine(rows[1]["alternatives"])[0]["professional"] == 12
    assert "alternatives" not in rows[2]
    assert result["years"]["2023"]["professional"] == 10
    assert mine(result["years"]["2023"]["alternatives"])[0]["professional"] == 12
    [reading] = mine(result["readings"])
    assert reading["used"] == reading["default"] == "as_written"
    assert reading["is_default"] and reading["changes_numbers"]
    assert reading["source"] == "policies/qinghai-2024-192/#annex2-paper"


def test_case_may_choose_the_other_reading(scratch):
    result = check({**CASE, "readings": {"qinghai.zz_paper_reading": "earlier"}}, bundle=scratch(READING))
    rows = result["activities"]
    assert (rows[0]["professional"], rows[1]["professional"]) == (12, 12)
    assert mine(rows[0]["alternatives"])[0]["option"] == "as_written"
    assert mine(rows[0]["alternatives"])[0]["professional"] == 0
    [reading] = mine(result["readings"])
    assert reading["used"] == "earlier" and reading["is_default"] is False


def test_reading_not_concerning_the_case_is_not_listed(scratch):
    result = check({"region": "qinghai", "activities": [{"kind": "public_course", "year": 2021, "hours": 30}]},
                   bundle=scratch(READING))
    assert result["readings"] == []


@pytest.mark.parametrize("readings, field", [
    ({"qinghai.nope": "x"}, "readings.qinghai.nope"),
    ({"qinghai.zz_paper_reading": "x"}, "readings.qinghai.zz_paper_reading"),
    ({"qinghai.zz_paper_reading": 1}, "readings.qinghai.zz_paper_reading"),
    ("earlier", "readings"),
])
def test_bad_choice_is_an_error_naming_the_field(scratch, readings, field):
    result = check({**CASE, "readings": readings}, bundle=scratch(READING))
    assert any(e["field"] == field and e["index"] is None and e["message"] for e in result["errors"])
    assert result["activities"][1]["professional"] == 10  # the rest is still computed


def test_reading_of_another_region_is_an_error(scratch):
    result = check({"region": "qingdao", "activities": [], "readings": {"qinghai.zz_paper_reading": "earlier"}},
                   bundle=scratch(READING))
    assert [e["field"] for e in result["errors"]] == ["readings.qinghai.zz_paper_reading"]


def _total(entry) -> float:
    return entry["public"] + entry["professional"]


def test_default_readings_never_credit_more_than_their_alternatives():
    """On every vector, each alternative credits each year at least what the default does: the default is the safe one.

    (Rows are not compared one by one: under a more generous reading other activities may take a cap's room.)
    """
    alternatives = 0
    for name, vec in load_vectors():
        result = check(vec["case"])
        if not all(r["is_default"] for r in result.get("readings", [])):
            continue
        for year, entry in result["years"].items():
            for alt in entry.get("alternatives", []):
                alternatives += 1
                assert _total(alt) >= _total(entry), f"{name}: {year}: {alt['reading']} default credits more"
                assert alt["met"] or not entry["met"], f"{name}: {year}: {alt['reading']} default meets, other not"
    assert alternatives > 0


def test_every_reading_is_listed_by_some_vector():
    listed = set()
    for _, vec in load_vectors():
        listed |= {r["id"] for r in check(vec["case"]).get("readings", [])}
    missing = sorted(set(bundle().readings) - listed)
    assert not missing, f"readings no vector exercises: {missing}"
