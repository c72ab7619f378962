"""Rule data: the compiler refuses bad data with file:line; the bundle is fresh; coverage is explicit."""
import subprocess
import sys
import textwrap

import pytest

from conftest import REPO
from ruleset import compile as rcompile
from ruleset.loader import NotCovered, bundle

YEARS = range(2019, 2027)


def test_bundle_is_not_stale():
    proc = subprocess.run([sys.executable, "-m", "ruleset.compile", "--check"], cwd=REPO, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture
def scratch_rules(scratch_rules_dir):
    """A copy of the rule sources the compiler reads, for breaking on purpose."""
    rules = scratch_rules_dir

    def add(text):
        path = rules / "qinghai" / "zz_broken.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return add


GOOD = """\
- id: qinghai.zz
  kind: learning_platform
  in_force: {from: 2019, until: 2019}
  cite: qinghai-2024-192#s6-1-4
  checked: 2026-11-27
  text: 学习积分
  subject: public
  method: fixed
  params: {amount: 1}
"""


def _refused(scratch_rules, text) -> str:
    scratch_rules(text)
    with pytest.raises(rcompile.RuleDataError) as exc:
        rcompile.build()
    return str(exc.value)


def test_good_rule_compiles(scratch_rules):
    scratch_rules(GOOD)
    assert any(r["id"] == "qinghai.zz" for r in rcompile.build()["rules"])


def test_missing_citation_refused_with_file_and_line(scratch_rules):
    msg = _refused(scratch_rules, GOOD.replace("  cite: qinghai-2024-192#s6-1-4\n", ""))
    assert "zz_broken.yaml:1" in msg and "cite" in msg


def test_bad_citation_refused(scratch_rules):
    assert "unknown policy" in _refused(scratch_rules, GOOD.replace("qinghai-2024-192#", "nowhere-1#"))
    assert "is not '<policy>#<anchor>'" in _refused(scratch_rules, GOOD.replace("#s6-1-4", ""))


def test_unknown_field_refused(scratch_rules):
    msg = _refused(scratch_rules, GOOD + "  amout: 3\n")
    assert "zz_broken.yaml:1" in msg and "amout" in msg


def test_unknown_method_refused(scratch_rules):
    assert "unknown method" in _refused(scratch_rules, GOOD.replace("method: fixed", "method: guess"))


def test_overlapping_years_refused(scratch_rules):
    second = GOOD.replace("{from: 2019, until: 2019}", "{from: 2019}")
    msg = _refused(scratch_rules, GOOD + second)
    assert "zz_broken.yaml:10" in msg and "overlaps" in msg


def test_gapped_years_refused(scratch_rules):
    second = GOOD.replace("{from: 2019, until: 2019}", "{from: 2021}")
    msg = _refused(scratch_rules, GOOD + second)
    assert "zz_broken.yaml:10" in msg and "2020–2020 have no rule" in msg


def test_open_start_compiles_and_is_in_force_for_every_earlier_year(scratch_rules):
    scratch_rules(GOOD.replace("{from: 2019, until: 2019}", "{until: 2019}"))
    rule = next(r for r in rcompile.build()["rules"] if r["id"] == "qinghai.zz")
    assert rule["in_force"] == {"until": 2019}
    from ruleset.loader import Rule
    r = Rule(rule, rule["id"])
    assert r.in_force(1990) and r.in_force(2019) and not r.in_force(2020)
    assert r.years_label == "2019 年及以前"


def test_open_start_then_a_dated_rule_compiles(scratch_rules):
    scratch_rules(GOOD.replace("{from: 2019, until: 2019}", "{until: 2018}") + GOOD)
    assert sum(r["id"] == "qinghai.zz" for r in rcompile.build()["rules"]) == 2


def test_two_open_starts_overlap(scratch_rules):
    open_start = GOOD.replace("{from: 2019, until: 2019}", "{until: 2019}")
    msg = _refused(scratch_rules, open_start + open_start)
    assert "zz_broken.yaml:10" in msg and "overlaps" in msg


@pytest.mark.parametrize("span", ["{}", "{since: 2019}", "{from: '2019'}", "{until: 2019, after: 1}"])
def test_malformed_in_force_refused(scratch_rules, span):
    msg = _refused(scratch_rules, GOOD.replace("{from: 2019, until: 2019}", span))
    assert "zz_broken.yaml:1" in msg and "in_force must be" in msg


def test_yaml_syntax_error_located(scratch_rules):
    msg = _refused(scratch_rules, GOOD + "  notes: [unclosed\n")
    assert "zz_broken.yaml:" in msg and "YAML error" in msg


def test_every_rule_carries_cite_text_and_years():
    for rule in bundle().rules:
        span = rule["in_force"]
        assert rule["cite"] and rule["text"].strip() and (span.get("from") or span.get("until")), rule.id
        assert rule["source"].startswith("policies/") and "#" in rule["source"]


def test_temporal_coverage_exactly_one_rule_or_explicit_not_covered():
    """For each region × kind × year 2019–2026: one rule per condition, or a stated reason why none."""
    b = bundle()
    report = {}
    for region in b.regions:
        for year in YEARS:
            req = b.requirement(region, year)
            assert isinstance(req, NotCovered) or len(b.of_type_in_force(region, "requirement", year)) == 1
            if isinstance(req, NotCovered):
                assert region in ("binzhou",) or year < 2019, f"{region} {year} unexpectedly not covered"
                assert "覆盖范围" in req.reason
            for kind in b.kinds:
                rules = b.in_force(region, kind, year)
                conditions = [repr((r.get("applies_if"), r.get("flag"))) for r in rules]
                assert len(conditions) == len(set(conditions)), f"{region} {kind} {year}: two rules in force"
                if not rules:
                    probe = b.kind_rule(region, kind, year, {"kind": kind, "year": year})
                    assert isinstance(probe, NotCovered) and probe.reason, (region, kind, year)
                    report[(region, kind, year)] = probe.reason
    assert report  # some kinds are genuinely not covered somewhere; each with its reason


# --- parameters are checked against the declarations (ruleset/params.py) -------------------------

@pytest.mark.parametrize("params, words", [
    ("{amout: 1}", ["unknown parameter params.amout", "fixed takes amount, public, professional"]),
    ("{amount: ten}", ["params.amount must be a number, not 'ten'"]),
    ("{}", ["params needs amount or public + professional"]),
])
def test_params_of_a_method_are_checked(scratch_rules, params, words):
    msg = _refused(scratch_rules, GOOD.replace("params: {amount: 1}", f"params: {params}"))
    assert "zz_broken.yaml:1" in msg and "qinghai.zz" in msg
    for word in words:
        assert word in msg, msg


def test_required_parameter_missing_is_refused(scratch_rules):
    rule = GOOD.replace("method: fixed", "method: per_day").replace("params: {amount: 1}", "params: {max_per_day: 8}")
    msg = _refused(scratch_rules, rule.replace("kind: learning_platform", "kind: training"))
    assert "zz_broken.yaml:1" in msg and "missing parameter params.rate" in msg


def test_a_subject_the_method_does_not_allow_is_refused(scratch_rules):
    """`subject: both` on a method crediting the rule's own subject used to compile and fail in the engine."""
    msg = _refused(scratch_rules, GOOD.replace("subject: public", "subject: both"))
    assert "zz_broken.yaml:1" in msg and "method fixed takes subject public | professional | choice, not 'both'" in msg
    msg = _refused(scratch_rules, GOOD.replace("subject: public", "subject: choice"))
    assert "does not have" in msg  # learning_platform has no `subject` field to choose by


def test_table_keys_must_be_values_of_the_field_keying_them(scratch_rules):
    rule = GOOD.replace("kind: learning_platform", "kind: research_report").replace(
        "params: {amount: 1}", "params: {keys: [endorsement], values: {provincial_leader: 60, city_leader: 20}}"
    ).replace("method: fixed", "method: table")
    msg = _refused(scratch_rules, rule)
    assert "params.values.city_leader: 'city_leader' is not one of provincial_leader, department_or_city_leader" in msg
    msg = _refused(scratch_rules, rule.replace("keys: [endorsement]", "keys: [endorsment]"))
    assert "params.keys[0]: 'endorsment' is not a field" in msg


def test_parameters_of_a_rule_type_are_checked(scratch_rules):
    title = """\
- id: qinghai.zz_title
  type: title
  in_force: {from: 2019, until: 2019}
  cite: qinghai-2024-192#s6-1-4
  checked: 2026-11-27
  text: 申报
  params: {years_required: {junior: 2, middle: 3}, consecutiv: true}
"""
    msg = _refused(scratch_rules, title)
    assert "zz_broken.yaml:1" in msg and "(title)" in msg
    assert "unknown parameter params.consecutiv" in msg
    assert "params.years_required.middle: 'middle' is not one of junior, intermediate" in msg
    cap = title.replace("type: title", "type: cap").replace(
        "params: {years_required: {junior: 2, middle: 3}, consecutiv: true}",
        "label: 上限\n  kinds: [paper]\n  params: {per_year: {public: 5, all: 10}}")
    assert "params.per_year.all: 'all' is not one of public, professional, total" in _refused(scratch_rules, cap)
    assert "lacks ['kinds', 'label']" in _refused(scratch_rules, title.replace("type: title", "type: cap"))


def test_kind_and_type_are_apart(scratch_rules):
    req = "- id: qinghai.zz_req\n  {}\n  in_force: {{from: 2019, until: 2019}}\n  cite: qinghai-2024-192#s6-1-4\n" \
          "  text: 要求\n  params: {{public: 1, professional: 1, total: 2}}\n"
    assert "say `type: requirement`" in _refused(scratch_rules, req.format("kind: requirement")).replace("says", "say")
    assert "unknown type 'window'" in _refused(scratch_rules, req.format("type: window"))
    assert "(not both)" in _refused(scratch_rules, req.format("type: requirement\n  kind: paper"))
    assert "unknown field(s) ['method']" in _refused(scratch_rules, req.format("type: requirement\n  method: window"))


def test_a_reading_alternative_is_checked_like_rule_data(scratch_rules):
    reading = GOOD + """
- reading: qinghai.zz_reading
  cite: qinghai-2024-192#s6-1-4
  question: 几学时？
  default: one
  options:
    one: {label: 1 学时}
    two:
      label: 2 学时
      rules: {qinghai.zz: {params: {amount: 2, rate: 2}}}
"""
    msg = _refused(scratch_rules, reading)
    assert "reading 'qinghai.zz_reading', option 'two'" in msg and "unknown parameter params.rate" in msg


def test_a_description_naming_an_undeclared_parameter_is_refused(scratch_rules, monkeypatch):
    from ruleset.methods import SPECS
    from ruleset.params import Spec

    fixed = SPECS["fixed"]
    monkeypatch.setitem(SPECS, "fixed", Spec("fixed", fixed.params, ("每项 {amonut} {unit}",), fixed.label,
                                             fixed.one_of, fixed.subjects))
    assert "the description of fixed names {amonut}" in _refused(scratch_rules, GOOD)


def test_a_new_method_is_one_module(scratch_rules, monkeypatch):
    """Declaring a method (@method: parameters, computation, description) is all a new method takes:
    the compiler checks rules against it, the engine runs it, the reference page describes it."""
    from ruleset import methods
    from ruleset.engine import check
    from ruleset.loader import Bundle
    from ruleset.numbers import exact
    from site_src.generate.describe import Labels, describe, params_html

    monkeypatch.setitem(methods.METHODS, "per_point", None)  # the registry as it was, after the test
    monkeypatch.setitem(methods.SPECS, "per_point", None)

    @methods.method("per_point", label="按积分", params=[
        methods.Param("points_per_hour", "int", "每学时所需积分"),
        methods.Param("most", "number", "最多折算", required=False)],
        describe=["每 {points_per_hour} 分折算 1 {unit}", "，最多 {most} {unit}"])
    def per_point(ctx):
        amount = exact(ctx.need("points")) // ctx.param("points_per_hour")
        return methods.Outcome([ctx.credit(amount)], explanation=f"积分折算 {ctx.hours(amount)}")

    rule = GOOD.replace("method: fixed", "method: per_point")
    assert "missing parameter params.points_per_hour" in _refused(scratch_rules, rule)
    scratch_rules(rule.replace("params: {amount: 1}", "params: {points_per_hour: 100, most: 15}"))
    data = rcompile.build()
    compiled = next(r for r in data["rules"] if r["id"] == "qinghai.zz")
    labels = Labels(data["case"])
    assert describe(compiled, labels) == ["每 100 分折算 1 学时，最多 15 学时。"]
    assert "每学时所需积分" in params_html(compiled["params"], methods.SPECS["per_point"], labels, "learning_platform")
    result = check({"region": "qinghai", "activities": [{"kind": "learning_platform", "year": 2019, "points": 950}]},
                   Bundle(data))
    assert result["activities"][0]["public"] == 9 and result["activities"][0]["rule"] == "qinghai.zz"
