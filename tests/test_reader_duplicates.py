"""A key given twice in one object is refused, naming the key and where it is (JSON parsers keep the last one)."""
import json

from ruleset.api import check_json
from ruleset.reader import read_case

CASE = ('{"region": "qinghai", "profile": {"apply_year": 2024},\n'
        ' "activities": [{"kind": "training", "year": 2022, "days": 1},\n'
        '                {"kind": "training", "year": 2022, "days": 1, "days": 5}]}')


def test_a_key_twice_in_an_activity_names_the_activity_and_the_field():
    case, errors = read_case(CASE)
    assert case is None
    assert [(e["index"], e["field"]) for e in errors] == [(1, "days")]
    assert "“days”" in errors[0]["message"] and "不止一次" in errors[0]["message"]


def test_every_repeated_key_is_named_in_the_order_of_the_input():
    text = ('{"region": "qinghai", "profile": {"apply_year": 2024, "apply_year": 2025},'
            ' "activities": [{"kind": "paper", "year": 2022, "year": 2023}], "region": "qingdao"}')
    _, errors = read_case(text)
    assert [(e["index"], e["field"]) for e in errors] == [(None, "region"), (None, "profile.apply_year"),
                                                          (0, "year")]


def test_the_same_key_in_different_objects_is_fine():
    case, errors = read_case(CASE.replace(', "days": 5', ""))
    assert errors == [] and case["activities"][1]["days"] == 1


def test_yaml_refuses_a_repeated_key_with_its_line():
    _, errors = read_case("region: qinghai\nactivities:\n  - kind: training\n    year: 2022\n    year: 2023\n")
    assert len(errors) == 1 and "“year”" in errors[0]["message"] and "第 5 行" in errors[0]["message"]


def test_the_cli_exits_2_and_the_browser_api_answers_with_the_error(cli, write_case):
    code, out, err = cli("check", str(write_case(CASE)), "--json")
    assert code == 2 and "Traceback" not in err
    assert [(e["index"], e["field"]) for e in json.loads(out)["errors"]] == [(1, "days")]
    answer = json.loads(check_json(CASE))
    assert answer["activities"] == [] and answer["errors"][0]["field"] == "days"
