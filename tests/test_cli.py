"""The command line: check (table and --json), schema, rules; exit codes; no tracebacks."""
import json

import pytest

from conftest import REPO

CASE = {"region": "qinghai", "profile": {"target_title": "intermediate", "apply_year": 2024},
        "activities": [{"kind": "public_course", "year": 2023, "hours": 30},
                       {"kind": "training", "year": 2023, "days": 3.5},
                       {"kind": "paper", "year": 2023, "authors": 1, "rank": 1}]}


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
    code, out, _ = cli("check", str(write_case(bad)), "--json")
    assert out == json_document(check(bad)) + "\n"
