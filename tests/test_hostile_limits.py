"""Each limit of ruleset.reader: input at the limit is read, input one past it is refused with a message
naming the limit (and the activity and field where there is one); the CLI and check_json answer alike."""
import gc
import json

import pytest

from hostile import assert_document, run_main
from ruleset import reader
from ruleset.api import check_json
from ruleset.reader import read_case


def _refused(data, syntax=None) -> list[dict]:
    case, errors = read_case(data, syntax)
    assert case is None and errors, "expected a refusal"
    return errors


def _read(data, syntax=None):
    case, errors = read_case(data, syntax)
    assert errors == [], errors
    return case


def _case(**activity) -> dict:
    return {"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": 1, **activity}]}


def _nested(depth: int) -> str:
    """A value of `depth` lists inside one another."""
    return "[" * depth + "]" * depth


def test_size():
    body = json.dumps(_case()).encode()
    at_limit = body + b" " * (reader.MAX_BYTES - len(body))
    assert _read(at_limit)["region"] == "qinghai"
    (error,) = _refused(at_limit + b" ")
    assert "文件过大" in error["message"] and "33,554,432" in error["message"]


def test_yaml_size():
    body = b"region: qinghai\nactivities: []\n"
    at_limit = body + b"#" * (reader.MAX_YAML_BYTES - len(body))
    assert _read(at_limit, "yaml")["region"] == "qinghai"
    (error,) = _refused(at_limit + b"#", "yaml")
    assert "YAML 文件过大" in error["message"] and "256 KB" in error["message"]


@pytest.mark.parametrize("where", ["root", "activity", "profile"])
def test_depth_json(where):
    def text(depth):  # the whole document `depth` deep
        if where == "root":
            return _nested(depth)
        if where == "activity":  # root, activities, activity: 3 levels
            return '{"region": "qinghai", "activities": [{"kind": "training", "x": %s}]}' % _nested(depth - 3)
        return '{"region": "qinghai", "profile": {"flags": %s}}' % _nested(depth - 2)

    _read(text(reader.MAX_DEPTH))
    (error,) = _refused(text(reader.MAX_DEPTH + 1))
    assert "嵌套过深" in error["message"] and f"{reader.MAX_DEPTH} 层" in error["message"]
    assert _refused(text(100_000))[0]["message"] == error["message"]


def test_depth_ignores_brackets_inside_strings():
    _read(json.dumps(_case(title="[" * 1000 + "{" * 1000)))


@pytest.mark.parametrize("flow", [True, False])
def test_depth_yaml(flow):
    def text(depth):
        if flow:
            return "region: qinghai\nactivities: " + _nested(depth - 1)
        return "region: qinghai\nactivities:\n" + "\n".join("  " * i + "-" for i in range(1, depth)) + " x\n"

    _read(text(reader.MAX_DEPTH), "yaml")
    (error,) = _refused(text(reader.MAX_DEPTH + 1), "yaml")
    assert "嵌套过深" in error["message"] and f"{reader.MAX_DEPTH} 层" in error["message"]


def test_items():
    _read("[" + "0," * (reader.MAX_ITEMS - 1) + "0]")
    (error,) = _refused("[" + "0," * reader.MAX_ITEMS + "0]")
    assert "值过多" in error["message"] and "2,000,000" in error["message"]


def test_activities():
    acts = '{"kind": "training"},' * (reader.MAX_ACTIVITIES - 1)
    assert len(_read('{"region": "qinghai", "activities": [%s{}]}' % acts)["activities"]) == reader.MAX_ACTIVITIES
    (error,) = _refused('{"region": "qinghai", "activities": [%s{}, {}]}' % acts)
    assert error["field"] == "activities" and "活动过多" in error["message"] and "100,000" in error["message"]


def test_string_length_names_the_field():
    _read(json.dumps(_case(note="字" * reader.MAX_STRING)))
    (error,) = _refused(json.dumps(_case(note="字" * (reader.MAX_STRING + 1))))
    assert (error["index"], error["field"]) == (0, "note")
    assert "文字过长" in error["message"] and "10,000" in error["message"]


def test_key_length():
    _read(json.dumps(_case(**{"k" * reader.MAX_KEY: 1})))
    (error,) = _refused(json.dumps(_case(**{"k" * (reader.MAX_KEY + 1): 1})))
    assert error["index"] == 0 and "字段名过长" in error["message"] and "100" in error["message"]


@pytest.mark.parametrize("syntax", ["json", "yaml"])
@pytest.mark.parametrize("digits", [reader.MAX_INT_DIGITS + 1, 4300, 4301, 100_000])
def test_integer_size_names_the_field(syntax, digits):
    limit = "9" * reader.MAX_INT_DIGITS
    text = {"json": '{"region": "qinghai", "activities": [{"kind": "training", "year": %s}]}',
            "yaml": "region: qinghai\nactivities:\n  - kind: training\n    year: %s\n"}[syntax]
    assert _read(text % limit, syntax)["activities"][0]["year"] == int(limit)
    assert _read(text % ("-" + limit), syntax)["activities"][0]["year"] == -int(limit)
    (error,) = _refused(text % ("1" * digits), syntax)
    assert "整数位数过多" in error["message"] and f"{reader.MAX_INT_DIGITS} 位" in error["message"]
    if digits < 4300 or syntax == "yaml":  # past Python's own limit json says no more than that
        assert (error["index"], error["field"]) == (0, "year")


def test_long_floats_are_not_integers():
    _read('{"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": 0.30000000000000004}]}')
    _read('{"region": "qinghai", "x": 1%s.5, "y": 1e999}' % ("0" * 100))


@pytest.mark.parametrize("text,index,field", [
    ('{"region": "qinghai", "activities": [{"kind": "training", "title": "a\\ud800"}]}', 0, "title"),
    ('{"region": "qinghai", "activities": [{"kind": "training", "title": "\\uDFFF"}]}', 0, "title"),
    ('{"region": "qinghai", "activities": [{"kind": "training", "\\ud800": 1}]}', 0, ""),
    ('{"region": "\\ud800"}', None, "region"),
    ('{"region": "qinghai", "profile": {"flags": ["\\udc00"]}}', None, "profile.flags[0]"),
])
def test_lone_surrogates_are_refused_naming_the_field(text, index, field):
    (error,) = _refused(text)
    assert (error["index"], error["field"]) == (index, field) and "代理项" in error["message"]
    (error,) = _refused(text.encode())
    assert (error["index"], error["field"]) == (index, field)
    raw = json.loads(text)  # as JavaScript hands text over: the surrogate itself, not its escape
    (error,) = _refused(json.dumps(raw, ensure_ascii=False))
    assert (error["index"], error["field"]) == (index, field)


def test_surrogate_pairs_are_characters():
    assert _read('{"region": "qinghai", "title": "\\ud83d\\ude00"}')["title"] == "😀"


def test_yaml_surrogate_escape():
    (error,) = _refused('region: qinghai\nactivities:\n  - {kind: training, title: "\\ud800"}\n', "yaml")
    assert (error["index"], error["field"]) == (0, "title")


@pytest.mark.parametrize("text", [
    "a: &a [x, x]\nb: &b [*a, *a]\nregion: qinghai\nactivities: *b\n",
    "region: qinghai\nactivities: &a [*a]\n",
    "base: &base {kind: training}\nregion: qinghai\nactivities:\n  - <<: *base\n    year: 2022\n",
])
def test_yaml_aliases_are_refused(text):
    (error,) = _refused(text, "yaml")
    assert "别名" in error["message"]


def test_yaml_anchor_without_alias_is_fine():
    assert _read("region: &r qinghai\nactivities: []\n", "yaml")["region"] == "qinghai"


@pytest.mark.parametrize("text,fragment", [
    ("region: qinghai\nactivities:\n  - {kind: training, year: 2022-06-01}\n", "日期"),
    ("region: qinghai\nactivities:\n  - {kind: training, year: 2022, x: !!binary aGk=}\n", "二进制"),
    ("region: qinghai\nactivities: !!set {a, b}\n", "集合"),
    ("region: qinghai\n1: x\n", "字段名应为文字"),
    ("region: qinghai\nactivities:\n  - {kind: training, null: 1}\n", "字段名应为文字"),
    ("region: !!python/object/apply:os.system [echo]\n", "YAML 格式错误"),
    ("region: !!float abc\n", "无法识别的值"),
    ("---\nregion: qinghai\n---\nregion: qingdao\n", "YAML 格式错误"),
])
def test_yaml_values_beyond_json_are_refused(text, fragment):
    (error,) = _refused(text, "yaml")
    assert fragment in error["message"]


@pytest.mark.parametrize("data,fragment", [
    (b"", "文件为空"), (b"  \n", "文件为空"), (b"\xef\xbb\xbf", "文件为空"),
    (("\ufeff" + json.dumps(_case())).encode(), None),
    (b"\xff\xfe{\x00}\x00", "UTF-16"), (b"\xfe\xff\x00{\x00}", "UTF-16"),
    ('{"region": "青海"}'.encode("gbk"), "GBK"), (b'{"title": "\xed\xa0\x80"}', "不是 UTF-8"),
    (b'{"region": "qinghai",}', "JSON 格式错误（第 1 行第 22 列）"),
])
def test_encodings_and_empty_input(data, fragment):
    if fragment is None:
        assert _read(data)["region"] == "qinghai"
    else:
        assert fragment in _refused(data, "json")[0]["message"]


def test_the_cli_and_check_json_answer_alike():
    text = json.dumps(_case(note="字" * (reader.MAX_STRING + 1)))
    doc = assert_document(*run_main("check", "-", "--json", stdin=text.encode()))
    assert doc == json.loads(check_json(text)) == reader.error_document(_refused(text))


def test_a_real_large_case_is_read():
    """100,000 activities as the checker page exports them (indented JSON) pass every limit; the
    engine's time and memory on them are measured by `make bench`, not here."""
    kinds = [{"kind": "training", "days": 1}, {"kind": "public_course", "hours": 3},
             {"kind": "paper", "authors": 2, "rank": 1}, {"kind": "conference", "days": 0.5}]
    acts = [{**kinds[i % 4], "year": 2015 + i % 10, "title": f"第{i}项继续教育活动"} for i in range(reader.MAX_ACTIVITIES)]
    case = {"region": "qinghai", "profile": {"target_title": "intermediate", "apply_year": 2024, "flags": []},
            "activities": acts}
    assert _read(json.dumps(case, ensure_ascii=False, indent=2).encode()) == case
    assert _read(json.dumps(case)) == case


def test_gc_is_back_on_after_a_call():
    assert gc.isenabled()
    assert json.loads(check_json(json.dumps(_case())))["errors"] == []
    assert run_main("check", "-", "--json", stdin=json.dumps(_case()).encode())[0] == 0
    assert gc.isenabled()
    gc.disable()
    try:
        check_json(json.dumps(_case()))
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
