"""The result document's JSON Schema describes every field the engine writes, on every vector."""
import pytest
from jsonschema import Draft202012Validator

from ruleset import check
from ruleset.schema import case_schema, result_schema
from vector_check import load_vectors

VALIDATOR = Draft202012Validator(result_schema())


def test_schemas_are_valid_json_schema():
    Draft202012Validator.check_schema(result_schema())
    Draft202012Validator.check_schema(case_schema())


@pytest.mark.parametrize("name,vec", load_vectors(), ids=[n for n, _ in load_vectors()])
def test_every_vector_result_matches_the_result_schema(name, vec):
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(check(vec["case"]))]
    assert not problems, "\n".join(problems[:10])


@pytest.mark.parametrize("case", [None, [], {}, {"region": "nowhere"}, {"region": "qinghai", "activities": "x"},
                                  {"region": "qinghai", "activities": [{"kind": "paper"}, 5, {"year": "x"}]}])
def test_bad_input_results_match_the_result_schema(case):
    assert not list(VALIDATOR.iter_errors(check(case)))


def test_schema_refuses_an_undocumented_field():
    result = check({"region": "qinghai", "activities": [{"kind": "paper", "year": 2023, "authors": 1, "rank": 1}]})
    result["activities"][0]["surprise"] = 1
    assert list(VALIDATOR.iter_errors(result))
