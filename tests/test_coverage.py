"""Coverage report: years and kinds per region; rules, readings and clauses nothing covers are listed."""
import json
import shutil
import textwrap

import pytest

from conftest import REPO, run_cli
from ruleset import compile as rcompile
from ruleset.coverage import PAGES_DIR, VECTORS_DIR, page_anchors, report
from ruleset.loader import Bundle, bundle

LECTURE = """\
- id: qingdao.zz_lecture
  kind: lecture
  in_force: {from: 2024}
  cite: qingdao-2023-14#s4-4-5
  checked: 2026-11-27
  text: 其他可折算学时的，根据市人力资源社会保障部门年度继续教育工作通知进行认定。
  subject: professional
  method: fixed
  params: {amount: 1}
"""
READING = """\
- reading: qingdao.zz_lecture_reading
  cite: qingdao-2023-14#s4-4-5
  question: 测试用：每次几学时？
  default: one
  options:
    one: {label: 1 学时}
    two:
      label: 2 学时
      rules: {qingdao.zz_lecture: {params: {amount: 2}}}
"""


@pytest.fixture
def scratch_bundle(scratch_rules_dir):
    """Compile a copy of the rule data with `text` added to the Qingdao rules -> Bundle."""
    rules = scratch_rules_dir

    def make(text: str) -> Bundle:
        (rules / "qingdao" / "zz_coverage.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        return Bundle(rcompile.build())
    return make


def test_rule_and_reading_without_a_vector_are_listed(scratch_bundle):
    baseline = report(bundle(), "qingdao")["regions"]["qingdao"]
    assert "qingdao.zz_lecture" not in baseline["rules_without_vector"]
    entry = report(scratch_bundle(LECTURE + READING), "qingdao")["regions"]["qingdao"]
    assert entry["rules_without_vector"] == ["qingdao.zz_lecture"]
    assert entry["readings_without_vector"] == ["qingdao.zz_lecture_reading"]
    assert entry["clauses_without_vector"] == ["qingdao-2023-14#s4-4-5"]
    # the kinds of each span of years name the new rule from its first year on
    spans = {(s["from"], s["until"]): s["kinds"] for s in entry["spans"]}
    assert "lecture" not in spans[(2023, 2023)] and spans[(2024, None)]["lecture"] == ["qingdao.zz_lecture"]


def test_rule_with_a_vector_is_not_listed(scratch_bundle, tmp_path):
    vectors = tmp_path / "vectors"
    shutil.copytree(VECTORS_DIR, vectors)
    (vectors / "qingdao" / "zz_lecture.yaml").write_text(textwrap.dedent("""\
        - name: lecture
          clause: qingdao-2023-14#s4-4-5
          case: {region: qingdao, activities: [{kind: lecture, year: 2024, hours: 2}]}
          expect: {}
        """), encoding="utf-8")
    entry = report(scratch_bundle(LECTURE + READING), "qingdao", vectors_dir=vectors)["regions"]["qingdao"]
    assert entry["rules_without_vector"] == [] and entry["readings_without_vector"] == []
    assert entry["clauses_without_vector"] == []


def test_anchor_no_rule_cites_is_listed(tmp_path):
    pages = tmp_path / "pages"
    shutil.copytree(PAGES_DIR, pages)
    page = pages / "qingdao-2023-14.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## 七、试行条款 {#s7}\n\n1.参加试点活动的，每次认定10学时。\n{: #s7-1 }\n",
                    encoding="utf-8")
    baseline = report(bundle(), "qingdao")["regions"]["qingdao"]["clauses_without_rule"]["qingdao-2023-14"]
    listed = report(bundle(), "qingdao", pages_dir=pages)["regions"]["qingdao"]["clauses_without_rule"]["qingdao-2023-14"]
    new = [a for a in listed if a not in baseline]
    assert [a["anchor"] for a in new] == ["s7", "s7-1"]
    assert new[1]["text"] == "1.参加试点活动的，每次认定10学时。" and new[1]["hours"] is True
    anchors = {a["anchor"] for a in listed}
    assert "s4-4-5" in anchors                     # a clause no rule encodes
    assert not {"s4-4-1", "s4-4-4", "s4-2-p1", "s4", "s3"} & anchors  # cited, or inside / around cited ones


def test_anchor_forms_on_a_page(tmp_path):
    page = tmp_path / "p.md"
    page.write_text(textwrap.dedent("""\
        ## 一、总则 {#s1}

        第一段，
        接续一行。
        {: #s1-p1 }

        <div id="s1-table" markdown="1">

        | 年度 | 规定 |
        |---|---|
        | <span id="s1-row-a"></span>2024年 | 每天 7 学时 |

        </div>

        <table><tr><td rowspan="2"><span id="s1-row-b"></span>合并格</td>
        <td>每篇 10 学时</td></tr></table>
        """), encoding="utf-8")
    got = {a["anchor"]: a for a in page_anchors(page)}
    assert list(got) == ["s1", "s1-p1", "s1-table", "s1-row-a", "s1-row-b"]
    assert got["s1-p1"]["text"] == "第一段， 接续一行。"
    assert got["s1-row-a"]["section"] == ["s1", "s1-table"] and "每天 7 学时" in got["s1-row-a"]["text"]
    assert got["s1-row-b"]["section"] == ["s1"] and "每篇 10 学时" in got["s1-row-b"]["text"]


def test_absent_directories_are_said_not_listed(tmp_path):
    rep = report(bundle(), "qingdao", vectors_dir=tmp_path / "none", pages_dir=tmp_path / "nopages")
    entry = rep["regions"]["qingdao"]
    assert entry["rules_without_vector"] is None and entry["clauses_without_rule"] is None
    assert rep["vectors"] is None and any("not found" in m and "vector" in m for m in rep["messages"])
    assert any("not found" in m and "clauses without a rule" in m for m in rep["messages"])
    assert entry["years"] == [{"from": 2019, "until": None, "rule": "qingdao.requirement", "unit": "hour"}]


def test_cli_json_and_text():
    code, out, err = run_cli("coverage", "binzhou", "--json")
    assert code == 0, err
    rep = json.loads(out)
    assert list(rep["regions"]) == ["binzhou"] and rep["vectors"] > 0
    years = rep["regions"]["binzhou"]["years"]
    assert [(y["from"], y["until"], y["unit"]) for y in years] == [
        (1990, 2016, "credit"), (2017, 2019, "credit"), (2020, 2021, "hour")]  # open start: from the first year a case may name
    code, out, err = run_cli("coverage", "binzhou")
    assert code == 0 and "滨州市（binzhou）" in out and "没有测试向量的规则：" in out
    code, out, err = run_cli("coverage", "nowhere")
    assert code == 2 and "未知地区" in err


def test_repository_rules_all_have_vectors():
    """The report agrees with tests/test_vectors.py on the real data."""
    rep = report()
    assert rep["vectors"] and not rep["messages"], rep["messages"]
    for rid, entry in rep["regions"].items():
        assert entry["rules_without_vector"] == [], rid
        assert entry["years"], rid
    assert (REPO / "docs" / "policies").is_dir()
