"""The command line: check (table and --json), schema, rules; exit codes; no tracebacks."""
import json

import pytest

from conftest import REPO

CASE = {"region": "qinghai", "profile": {"target_title": "intermediate", "apply_year": 2024},
        "activities": [{"kind": "public_course", "year": 2023, "hours": 30},
                       {"kind": "training", "year": 2023, "days": 3.5},
                       {"kind": "paper", "year": 2023, "authors": 1, "rank": 1, "has_cn_number": True}]}


def test_check_json_follows_the_contract(cli, write_case):
    code, out, err = cli("check", str(write_case(CASE)), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert set(result) >= {"region", "activities", "years", "application", "errors"}
    row = result["activities"][0]
    assert set(row) >= {"index", "kind", "year", "public", "professional", "rule", "source", "explanation", "warnings"}
    year = result["years"]["2023"]
    assert set(year) >= {"unit", "public", "professional", "total", "required", "deemed_complete", "met", "shortfall"}
    assert year == {**year, "public": 30, "professional": 34.5, "total": 64.5, "met": False,
                    "shortfall": {"public": 0, "professional": 25.5, "total": 25.5}}
    app = result["application"]
    assert set(app) >= {"target_title", "apply_year", "window", "years_required", "qualifying_years", "met",
                        "explanation"}
    assert result["errors"] == []


def test_check_prints_a_readable_table(cli, write_case):
    code, out, _ = cli("check", str(write_case(CASE)))
    assert code == 0
    assert "各年度学时" in out and "2023" in out and "34.5" in out
    assert "依据：qinghai.paper" in out
    assert "职称申报" in out


def test_check_reads_yaml(cli, tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("region: qinghai\nactivities:\n  - {kind: training, year: 2022, days: 2}\n", encoding="utf-8")
    code, out, _ = cli("check", str(path), "--json")
    assert code == 0 and json.loads(out)["years"]["2022"]["professional"] == 14


def test_check_reads_stdin(cli):
    code, out, _ = cli("check", "-", "--json", stdin=json.dumps(CASE))
    assert code == 0 and json.loads(out)["region"] == "qinghai"


@pytest.mark.parametrize("content,name,fragment", [
    ("", "empty.json", "文件为空"),
    ("{not json", "broken.json", "JSON 格式错误"),
    ("region: [unclosed", "broken.yaml", "YAML 格式错误"),
    (b"\xff\xfe\x00garbage", "binary.json", "UTF-16"),
    (b'{"region": "qinghai", "activities": [{"kind": "paper", "title": "\x80"}]}', "latin1.json", "不是 UTF-8"),
    ('{"region": "qinghai", "activities": [{"kind": "training", "title": "培训"}]}'.encode("gbk"), "gbk.json",
     "GBK"),
])
def test_unreadable_files_exit_2_with_json_errors(cli, tmp_path, content, name, fragment):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, err = cli("check", str(path), "--json")
    assert code == 2
    assert "Traceback" not in out + err
    result = json.loads(out)
    assert result["errors"] and fragment in result["errors"][0]["message"]


def test_missing_file_exit_2(cli):
    code, out, err = cli("check", "/nonexistent/case.json", "--json")
    assert code == 2 and "找不到文件" in json.loads(out)["errors"][0]["message"]
    assert "Traceback" not in err


def test_bad_case_exit_2_still_prints_result(cli, write_case):
    bad = {**CASE, "activities": CASE["activities"] + [{"kind": "training", "year": 2023, "days": -1}]}
    code, out, err = cli("check", str(write_case(bad)), "--json")
    assert code == 2 and "Traceback" not in err
    result = json.loads(out)
    assert result["errors"][0]["index"] == 3 and result["errors"][0]["field"] == "days"
    assert result["years"]["2023"]["public"] == 30  # the valid activities are still computed
    code, out, _ = cli("check", str(write_case(bad)))
    assert code == 2 and "第 4 条活动" in out


@pytest.mark.parametrize("region,activity,field", [
    ("qingdao", {"kind": "leave", "year": 2022, "months": 8}, "reason"),
    ("qingdao", {"kind": "title_language_exam", "year": 2022, "score": 75}, "grade"),
    ("qinghai", {"kind": "paper", "year": 2023, "authors": 1}, "has_cn_number"),
    ("changde", {"kind": "research_project", "year": 2023, "level": "municipal", "role": "pi"}, "completed"),
])
def test_a_field_that_decides_the_hours_left_out_exits_2(cli, write_case, region, activity, field):
    """Left out, a field the rules in force ask about is bad input like any other (not 0 with a warning)."""
    case = {"region": region, "activities": [{"kind": "public_course", "year": 2022, "hours": 6,
                                              "completed": True}, activity]}
    code, out, err = cli("check", str(write_case(case)), "--json")
    assert code == 2 and "Traceback" not in err
    errors = json.loads(out)["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [(1, field)]
    assert "需要填写" in errors[0]["message"]


def test_schema_is_json_schema_with_chinese_labels(cli):
    code, out, _ = cli("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["properties"]["region"]["x-enum-labels"]["qinghai"] == "青海省"
    kinds = schema["x-kinds"]
    assert kinds["paper"]["label"] == "论文"
    assert "authors" in kinds["paper"]["fields"]
    assert kinds["training"]["properties"]["days"]["multipleOf"] == 0.5
    assert kinds["title_language_exam"]["properties"]["grade"]["enum"] == ["A", "B", "C"]
    cn = kinds["paper"]["properties"]["has_cn_number"]  # no default: the form asks 是/否, "not answered" stays apart
    assert cn["type"] == "boolean" and cn["enum"] == [True, False] and cn["x-enum-labels"] == {"true": "是", "false": "否"}


def test_rules_lists_rules_with_years_and_citations(cli):
    code, out, _ = cli("rules", "qinghai")
    assert code == 0
    assert "qinghai.paper" in out and "2020 年起" in out and "qinghai-2024-192#annex2-paper" in out
    code, out, _ = cli("rules")
    assert code == 0 and "national.requirement" in out
    code, out, err = cli("rules", "mars")
    assert code == 64 and "未知地区" in err and out == ""


@pytest.mark.parametrize("args", [
    ("frobnicate",), (), ("check",), ("check", "a.json", "--frob"), ("check", "a.json", "b.json"), ("--nope",),
])
def test_usage_errors_exit_64_apart_from_bad_input(cli, args):
    code, out, err = cli(*args)
    assert code == 64 and out == ""
    assert "用法错误" in err and "usage:" in err and "Traceback" not in err


def test_help_documents_the_exit_statuses(cli):
    code, out, _ = cli("--help")
    assert code == 0
    for status in ("0 ", "2 ", "64 "):
        assert f"\n  {status}" in out
    code, out, _ = cli("check", "--help")
    assert code == 0 and "64" in out and "stdin" in out


def test_version_names_package_and_rule_bundle(cli):
    from ruleset import __version__
    from ruleset.loader import bundle

    code, out, err = cli("--version")
    assert code == 0 and err == ""
    assert f"ruleset {__version__}" in out
    assert bundle().data["source_digest"] in out and len(bundle().data["source_digest"]) == 64


@pytest.mark.parametrize("text", [
    "region: qinghai\nactivities:\n  - {kind: training, year: 2022, days: 2}\n",
    "# a YAML case\n---\nregion: qinghai\nactivities: [{kind: training, year: 2022, days: 2}]\n",
    "{region: qinghai, activities: [{kind: training, year: 2022, days: 2}]}",  # flow YAML, not JSON
    '{"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": 2}]}',
])
def test_stdin_reads_json_or_yaml(cli, text):
    code, out, err = cli("check", "-", "--json", stdin=text)
    assert code == 0, err
    assert json.loads(out)["years"]["2022"]["professional"] == 14


def test_json_mode_prints_the_document_alone_and_messages_on_stderr(cli, write_case):
    bad = {**CASE, "activities": [{"kind": "training", "year": 2023, "days": -1}]}
    code, out, err = cli("check", str(write_case(bad)), "--json")
    assert code == 2
    assert json.loads(out)["errors"][0]["field"] == "days"  # stdout is one JSON document, nothing else
    assert "第 1 条活动 字段 days" in err
    code, out, err = cli("check", "/nonexistent/case.yaml")
    assert code == 2 and out == "" and "找不到文件" in err  # text mode: no table to print, the message on stderr


def test_readme_example_output_is_current(cli):
    """The README shows a real example and its output; keep them in sync."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = REPO / "examples" / "qinghai-intermediate-2024.json"
    assert example.exists()
    code, out, _ = cli("check", str(example.relative_to(REPO)))
    assert code == 0
    assert out.strip() in readme


def test_json_document_is_the_result_one_row_a_line(cli, write_case):
    from ruleset import check
    from ruleset.cli import json_document

    bad = {**CASE, "activities": CASE["activities"] + [{"kind": "training", "year": 2023, "days": -1}]}
    for case in (CASE, bad, {"region": "qinghai"}, [], {"region": "binzhou", "activities": [
            {"kind": "paper", "year": 2018, "authors": 1, "rank": 1}]}):
        result = check(case)
        text = json_document(result)
        assert json.loads(text) == result
        rows = [line for line in text.splitlines() if line.startswith('    {"index": ')]
        assert len(rows) == len(result["activities"]) + len(result["errors"])
    code, out, _ = cli("check", str(write_case(bad)), "--json", "--as-of", "2024")
    assert out == json_document(check({**bad, "as_of_year": 2024})) + "\n"


MEMBER = {"region": "qinghai", "profile": {"tenure_start_year": 2019},
          "activities": [{"kind": "research_project", "year": 2023, "start_year": 2021, "level": "provincial",
                          "role": "member", "completed": True}]}


def test_reading_option_computes_the_other_reading_and_says_so(cli, write_case):
    path = str(write_case(MEMBER))
    code, out, _ = cli("check", path, "--json")
    default = json.loads(out)
    assert code == 0 and list(default["years"]) == ["2023"]  # once, in the completion year
    assert default["activities"][0]["professional"] == 30
    assert default["activities"][0]["alternatives"][0]["professional"] == 90  # 3 years × 30
    code, out, _ = cli("check", path, "--json", "--reading", "qinghai.project_member_per_year=per_year")
    other = json.loads(out)
    assert code == 0 and other["years"]["2021"]["professional"] == 30 and other["activities"][0]["professional"] == 90
    [reading] = other["readings"]
    assert reading["used"] == "per_year" and reading["is_default"] is False
    code, out, _ = cli("check", path, "--reading", "qinghai.project_member_per_year=per_year")
    assert out.startswith("【注意】本结果按非默认解读计算") and "另一种理解（只认定一次" in out


@pytest.mark.parametrize("option", ["qinghai.project_member_per_year", "qinghai.nope=x",
                                    "qinghai.project_member_per_year=never"])
def test_bad_reading_option_is_bad_input(cli, write_case, option):
    code, out, err = cli("check", str(write_case(MEMBER)), "--json", "--reading", option)
    assert code == 2 and json.loads(out)["errors"][0]["field"].startswith("readings") and "Traceback" not in err


def test_as_of_decides_which_years_are_past(cli, write_case):
    path = str(write_case(CASE))
    plans = {}
    for year in ("2022", "2024"):
        code, out, _ = cli("check", path, "--json", "--as-of", year)
        plans[year] = {y["year"]: y["past"] for y in json.loads(out)["plan"]["years"]}
    assert plans["2022"][2023] is False and plans["2024"][2023] is True


def test_schema_result_is_the_result_schema(cli):
    from ruleset.schema import result_schema
    code, out, _ = cli("schema", "--result")
    assert code == 0 and json.loads(out) == result_schema()
