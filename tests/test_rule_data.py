"""Rule data: the compiler refuses bad data with file:line; the bundle is fresh; coverage is explicit."""
import shutil
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
def scratch_rules(tmp_path, monkeypatch):
    """A copy of the rule sources the compiler reads, for breaking on purpose."""
    rules = tmp_path / "rules"
    shutil.copytree(rcompile.RULES_DIR, rules)
    monkeypatch.setattr(rcompile, "RULES_DIR", rules)

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
            assert isinstance(req, NotCovered) or len(b.in_force(region, "requirement", year)) == 1
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
