"""Property-based robustness: any case yields a result or errors; order-free; caps hold; monotone."""
import json
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruleset import check
from ruleset.api import check_json
from ruleset.loader import bundle

B = bundle()
REGIONS = list(B.regions)
KINDS = list(B.kinds)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value_for(spec: dict):
    kind = spec["type"]
    if kind == "int":
        return st.integers(min_value=spec.get("minimum", 0), max_value=min(spec.get("maximum", 50), 2030))
    if kind == "number":
        hi = min(spec.get("maximum", 100), 100)
        return st.integers(0, int(hi) * 2).map(lambda n: n / 2)
    if kind == "bool":
        return st.booleans()
    if kind == "enum":
        return st.sampled_from(spec["enum"])
    if kind == "str":
        return st.text(max_size=5)
    return st.none()


@st.composite
def valid_activity(draw, years=st.integers(2017, 2027), kinds=st.sampled_from(KINDS)):
    kind = draw(kinds)
    act = {"kind": kind, "year": draw(years)}
    for name, override in (B.kinds[kind].get("fields") or {}).items():
        spec = {**B.fields[name], **(override or {})}
        if draw(st.booleans()) or name in ("authors", "rank", "days", "hours", "months"):
            act[name] = draw(_value_for(spec))
    if "rank" in act and "authors" in act and act["rank"] > act["authors"]:
        act["rank"] = act["authors"]
    if "start_year" in act and act["start_year"] > act["year"]:
        act["start_year"] = act["year"]
    if kind == "village_posting" and "start_year" not in act:
        act["start_year"] = act["year"]
    return act


profiles = st.fixed_dictionaries({}, optional={
    "target_title": st.sampled_from(["junior", "intermediate", "associate_senior", "full_senior"]),
    "apply_year": st.integers(2019, 2027),
    "tenure_start_year": st.integers(2010, 2026),
    "application_type": st.sampled_from(["review", "recognition", "series_transfer"]),
    "flags": st.lists(st.sampled_from(B.case["profile"]["flags"]["enum"]), max_size=3, unique=True)
        .filter(lambda f: "civil_service_transfer" not in f),
})

junk = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=10)


@st.composite
def any_case(draw):
    """Valid, half-valid or garbage cases."""
    acts = draw(st.lists(st.one_of(valid_activity(), junk,
                                   st.dictionaries(st.sampled_from(["kind", "year", "days", "hours", "rank",
                                                                    "authors", "months"]), junk, max_size=5)),
                         max_size=8))
    case = {"region": draw(st.one_of(st.sampled_from(REGIONS), junk)), "activities": acts}
    if draw(st.booleans()):
        case["profile"] = draw(st.one_of(profiles, junk))
    return draw(st.one_of(st.just(case), junk))


@SETTINGS
@given(any_case())
def test_any_case_returns_a_result_or_errors(case):
    result = check(case)
    assert set(result) >= {"region", "activities", "years", "errors"}
    json.dumps(result, allow_nan=False)
    text = check_json(json.dumps(case, allow_nan=True))
    assert "内部错误" not in text


@SETTINGS
@given(st.sampled_from(REGIONS), st.lists(valid_activity(), max_size=10), profiles, st.randoms())
def test_order_independent_and_deterministic(region, acts, profile, rnd):
    case = {"region": region, "profile": profile, "activities": acts}
    a = check(case)
    shuffled = list(acts)
    rnd.shuffle(shuffled)
    b = check({**case, "activities": shuffled})
    assert a["years"] == b["years"]
    assert a.get("application") == b.get("application")
    assert sorted(json.dumps([r["kind"], r["year"], r["public"], r["professional"]]) for r in a["activities"]) == \
        sorted(json.dumps([r["kind"], r["year"], r["public"], r["professional"]]) for r in b["activities"])
    assert json.dumps(check(case)) == json.dumps(a)


def _caps_hold(region, result):
    for rule in B.rules:
        if rule["region"] != region:
            continue
        if rule.get("cap"):
            limit = Fraction(rule["cap"]["per_year"])
            per_year = {}
            for row in result["activities"]:
                if row["rule"] == rule.id:
                    for y, amounts in (row.get("by_year") or {str(row["year"]): row}).items():
                        per_year[y] = per_year.get(y, 0) + Fraction(str(amounts["public"])) + \
                            Fraction(str(amounts["professional"]))
            assert all(v <= limit for v in per_year.values()), (rule.id, per_year)
        if rule.get("type") == "cap":
            kinds = set(rule["kinds"])
            for year in result["years"]:
                if not rule.in_force(int(year)):
                    continue
                for subject, limit in rule.params["per_year"].items():
                    total = Fraction(0)
                    for row in result["activities"]:
                        if row["kind"] not in kinds:
                            continue
                        amounts = (row.get("by_year") or {str(row["year"]): row}).get(year)
                        if amounts:
                            total += sum(Fraction(str(amounts[s])) for s in ("public", "professional")
                                         if subject in ("total", s))
                    assert total <= Fraction(limit), (rule.id, year, subject, total)


@SETTINGS
@given(st.sampled_from(REGIONS), st.lists(valid_activity(years=st.integers(2019, 2024)), max_size=12), profiles)
def test_no_cap_is_ever_exceeded(region, acts, profile):
    _caps_hold(region, check({"region": region, "profile": profile, "activities": acts}))


@SETTINGS
@given(st.sampled_from(REGIONS), st.lists(valid_activity(years=st.integers(2019, 2024)), max_size=8),
       valid_activity(years=st.integers(2019, 2024)), profiles)
def test_adding_an_activity_never_lowers_a_year(region, acts, extra, profile):
    before = check({"region": region, "profile": profile, "activities": acts})
    after = check({"region": region, "profile": profile, "activities": acts + [extra]})
    for year, entry in before["years"].items():
        later = after["years"][year]
        for s in ("public", "professional", "total"):
            assert Fraction(str(later[s])) >= Fraction(str(entry[s])), (year, s)
        if entry["met"] is True:
            assert later["met"] is True


@SETTINGS
@given(st.sampled_from(REGIONS), st.lists(valid_activity(), max_size=8), profiles)
def test_case_survives_json_round_trip(region, acts, profile):
    case = {"region": region, "profile": profile, "activities": acts}
    exported = json.dumps(case, ensure_ascii=False)
    imported = json.loads(exported)
    assert imported == case
    assert check_json(exported) == json.dumps(check(case), ensure_ascii=False)
