"""Hostile input, generated: JSON and YAML with deep nesting, lone surrogates, huge numbers, alias bombs,
recursive aliases, wrong types everywhere, non-string keys, binary and badly encoded bytes, BOMs, empty
input and giant strings, through the CLI entry point (in this process, and a few in a subprocess)
and through api.check_json. Every answer is exit 0 or 2 with a JSON result document, never a traceback,
never an internal error."""
import json
import subprocess
import sys

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from hostile import assert_document, assert_result, run_main
from ruleset import reader
from ruleset.api import check_json
from ruleset.loader import bundle


B = bundle()
KINDS = sorted(B.kinds)
REGIONS = sorted(B.regions)
FIELDS = sorted({name for fields in B.kind_fields.values() for name in fields} | {"kind", "year", "title"})
ENUMS = sorted({str(v) for f in B.fields.values() for v in f.get("enum") or []})
FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))

surrogate = st.integers(0xD800, 0xDFFF).map(chr)
strings = st.one_of(
    st.text(max_size=12),
    st.sampled_from(KINDS + REGIONS + ENUMS + FIELDS + ["", " ", "\x00", "\u202e", "\ufeff"]),
    st.lists(st.one_of(st.characters(), surrogate), max_size=6).map("".join),
    st.sampled_from([reader.MAX_STRING, reader.MAX_STRING + 1]).map(lambda n: "字" * n),
)
integers = st.one_of(
    st.integers(-3000, 3000),
    st.integers(),
    st.sampled_from([10 ** 15 - 1, 10 ** 15, -(10 ** 15), 2 ** 63, 10 ** 300, 10 ** 4200]),
)
numbers = st.one_of(integers, st.floats(allow_nan=True, allow_infinity=True))
scalars = st.one_of(st.none(), st.booleans(), numbers, strings)
keys = st.one_of(st.sampled_from(FIELDS + ["region", "profile", "activities"]), strings)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=12)


@st.composite
def activities(draw):
    """An activity of a real kind whose fields hold anything: wrong types everywhere."""
    act = {"kind": draw(st.sampled_from(KINDS) | values), "year": draw(st.integers(2015, 2027) | values)}
    kind = act["kind"] if isinstance(act["kind"], str) and act["kind"] in B.kinds else None
    names = (sorted(B.kind_fields[kind]) if kind else None) or FIELDS
    for name in draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
        act[name] = draw(values)
    if draw(st.booleans()):
        del act[draw(st.sampled_from(sorted(act)))]
    return act


@st.composite
def cases(draw):
    case = {"region": draw(st.sampled_from(REGIONS) | values),
            "activities": draw(st.lists(activities() | values, max_size=6) | values)}
    if draw(st.booleans()):
        case["profile"] = draw(st.dictionaries(st.sampled_from(sorted(B.case["profile"])) | keys, values, max_size=4)
                               | values)
    if draw(st.booleans()):
        case[draw(keys)] = draw(values)
    return draw(st.just(case) | values)


def _nest(text: str, depth: int, obj: bool) -> str:
    return ('{"a": ' * depth + text + "}" * depth) if obj else ("[" * depth + text + "]" * depth)


@st.composite
def json_bytes(draw):
    """A case as JSON bytes, often spoiled: deep nesting, raw surrogates, BOMs, cuts, flips, GBK."""
    text = json.dumps(draw(cases()), ensure_ascii=draw(st.booleans()), allow_nan=True)
    how = draw(st.sampled_from(["plain", "nest", "nest_in_activity", "cut", "flip", "bom", "gbk", "binary", "empty",
                                "escapes"]))
    if how == "nest":
        text = _nest(text, draw(st.sampled_from([5, 19, 20, 21, 500, 1000, 5000, 100_000])), draw(st.booleans()))
    elif how == "nest_in_activity":
        deep = _nest("1", draw(st.sampled_from([17, 18, 19, 500, 1000, 100_000])), draw(st.booleans()))
        text = '{"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "x": %s}]}' % deep
    elif how == "escapes":  # escaped quotes in an unterminated string, after enough brackets to be scanned
        text = "[" * draw(st.integers(0, 40)) + '"' + '\\"' * draw(st.integers(0, 200_000)) + draw(
            st.sampled_from(["", "\\", '"', "]"]))
    data = text.encode("utf-8", "surrogatepass")  # lone surrogates as their (invalid) UTF-8 bytes
    if how == "cut":
        data = data[:draw(st.integers(0, len(data)))]
    elif how == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    elif how == "bom":
        data = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"])) + data
    elif how == "gbk":
        data = text.encode("gbk", "replace")
    elif how == "binary":
        data = draw(st.binary(max_size=200))
    elif how == "empty":
        data = draw(st.sampled_from([b"", b" ", b"\n\t ", b"\xef\xbb\xbf", b"null", b"0", b'""', b"[]", b"{}"]))
    return data


ALIAS_BOMB = "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]) + "\nregion: qinghai\nactivities: *a9\n"
YAML_TEMPLATES = [
    ALIAS_BOMB,
    "region: qinghai\nactivities: &a [*a]\n",
    "region: &r qinghai\nactivities:\n  - &x {kind: training, year: 2022, days: 1}\n  - *x\n",
    "region: qinghai\nactivities:\n  - <<: {kind: training}\n    year: 2022\n",
    "region: qinghai\nactivities:\n  - {kind: training, year: %s, days: 1}\n",
    "region: qinghai\nactivities:\n  - {kind: training, year: 2022, days: %s}\n",
    "region: qinghai\n%s: 1\nactivities: []\n",
    "region: qinghai\nactivities:\n  - {kind: training, year: 2022, %s: 1}\n",
    "region: qinghai\nactivities:\n  - {kind: training, year: 2022, title: %s}\n",
    "region: qinghai\nprofile: {apply_year: %s}\nactivities: []\n",
    "region: qinghai\nactivities: %s\n",
    "%s",
    "--- \nregion: qinghai\n---\nregion: qingdao\n",
    "region: !!python/object/apply:os.system [echo hi]\n",
    "region:\tqinghai\n",
    "? [a, b]\n: 1\nregion: qinghai\n",
]
YAML_FILLERS = st.one_of(
    st.sampled_from(["9" * 5000, "-" + "9" * 20, "1" + "0" * 15, "0x" + "f" * 100, "0b" + "1" * 200, "1:30:00",
                     "1e99999", ".nan", "-.inf", "2022-01-01", "2022-01-01 10:00:00", "!!binary aGVsbG8=",
                     "!!set {a, b}", "!!omap [a: 1, b: 2]", "!!float abc", "!!int abc", "!!timestamp 2022-13-45",
                     "!!str", "~", "null", "yes", "[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]",
                     "\"\\ud800\"", "\"\\U0000dfff\"", "\"\\x00\"", "!unknown x", "*nowhere", "&a", "{", "]",
                     "1", "null", "true", "3.5", "2022"]),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 300).map(lambda n: "\n".join("  " * i + "- " for i in range(n)) + "x"),
    strings.map(json.dumps),
)


@st.composite
def yaml_bytes(draw):
    template = draw(st.sampled_from(YAML_TEMPLATES))
    if "%s" in template:
        template = template.replace("%s", draw(YAML_FILLERS))
    if draw(st.integers(0, 4)) == 0:  # or a generated case dumped as YAML
        try:
            template = yaml.safe_dump(draw(cases()), allow_unicode=draw(st.booleans()))
        except (yaml.YAMLError, ValueError):
            pass
    return template.encode("utf-8", "surrogatepass")


@FUZZ
@given(json_bytes())
def test_json_through_the_cli(data):
    assert_document(*run_main("check", "-", "--json", stdin=data))


@settings(FUZZ, max_examples=150)
@given(yaml_bytes())
def test_yaml_through_the_cli(data):
    assert_document(*run_main("check", "-", "--json", stdin=data))


@settings(FUZZ, max_examples=60)
@given(json_bytes() | yaml_bytes())
def test_text_mode_never_fails(data):
    assert_document(*run_main("check", "-", stdin=data), as_json=False)


@FUZZ
@given(cases(), st.booleans())
def test_check_json_answers_any_text(case, ascii_only):
    """The browser's entry point, with text as JavaScript hands it over (lone surrogates possible)."""
    text = json.dumps(case, ensure_ascii=ascii_only, allow_nan=True)
    answer = check_json(text)
    answer.encode("utf-8")  # no lone surrogate gets out
    assert_result(json.loads(answer))


@settings(FUZZ, max_examples=8)
@given(json_bytes() | yaml_bytes())
def test_a_few_through_a_real_process(data):
    proc = subprocess.run([sys.executable, "-m", "ruleset", "check", "-", "--json"], input=data,
                          capture_output=True, cwd=REPO, timeout=300)
    assert_document(proc.returncode, proc.stdout, proc.stderr)


def test_the_generators_reach_the_limits():
    """The strategies above do produce what they are meant to (else the properties prove little)."""
    seen = set()

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(json_bytes() | yaml_bytes())
    def collect(data):
        _, out, _ = run_main("check", "-", "--json", stdin=data)
        for e in json.loads(out)["errors"]:
            for fragment in ("嵌套过深", "代理项", "整数位数过多", "别名", "不是 UTF-8", "UTF-16", "文字过长",
                             "字段名应为文字", "不支持的值", "文件为空", "JSON 格式错误", "YAML 格式错误"):
                if fragment in e["message"]:
                    seen.add(fragment)

    collect()
    assert len(seen) >= 10, seen
