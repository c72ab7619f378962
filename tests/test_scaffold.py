"""Scaffold: new-region / new-policy write what a contributor fills in; nothing unfilled compiles."""
import re
import shutil

import pytest
import yaml

from conftest import REPO, run_cli
from ruleset import check
from ruleset import compile as rcompile
from ruleset.coverage import page_anchors, report
from ruleset.loader import Bundle, NotCovered
from ruleset.scaffold import Paths, ScaffoldError, new_policy, new_region
from vector_check import check_vector

POLICY = dict(title="关于做好2025年度专业技术人员继续教育工作的通知", doc_number="济人社字〔2025〕1号",
              issuer="济南市人力资源和社会保障局", date="2025-03-01")


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """Paths to a copy of the rule sources (the compiler reads the copy), pages and vectors."""
    rules = tmp_path / "rules"
    shutil.copytree(rcompile.RULES_DIR, rules)
    monkeypatch.setattr(rcompile, "RULES_DIR", rules)
    pages = tmp_path / "pages"
    shutil.copytree(REPO / "docs" / "policies", pages)
    return Paths(rules, pages, tmp_path / "vectors")


def _refused() -> str:
    with pytest.raises(rcompile.RuleDataError) as exc:
        rcompile.build()
    return str(exc.value)


def _fill(path, *values) -> None:
    """Replace the file's placeholders, in order, by `values` (as a contributor would)."""
    text = path.read_text(encoding="utf-8")
    assert text.count("TODO") == len(values), text
    for value in values:
        text = text.replace("TODO", str(value), 1)
    path.write_text(text, encoding="utf-8")


def _fill_policy_years(paths: Paths, policy: str) -> None:
    path = paths.rules / "policies.yaml"
    text = path.read_text(encoding="utf-8")
    head, tail = text.split(f"\n{policy}:\n", 1)
    path.write_text(head + f"\n{policy}:\n" + re.sub(r"years: TODO[^\n]*", "years: 2025 年起", tail), encoding="utf-8")


def test_new_region_and_policy_are_refused_until_filled_then_compile(scratch):
    new_region("jinan", "济南市", scratch)
    assert yaml.safe_load((scratch.rules / "case.yaml").read_text(encoding="utf-8"))["regions"]["jinan"] == {
        "name": "济南市"}
    msg = _refused()
    assert "case.yaml" in msg and "region 'jinan' has no requirement rule" in msg and "new-policy" in msg

    written = new_policy("jinan-2025-1", "jinan", paths=scratch, **POLICY)
    policies, page, rules, vectors = written
    assert rules == scratch.rules / "jinan" / "requirement.yaml" and vectors == scratch.vectors / "jinan" / "jinan-2025-1.yaml"
    msg = _refused()
    assert "policies.yaml" in msg and "policy 'jinan-2025-1'" in msg and "TODO in years" in msg
    _fill_policy_years(scratch, "jinan-2025-1")
    msg = _refused()
    assert "jinan/requirement.yaml:2" in msg and "'jinan.requirement'" in msg
    assert "in_force.from, cite, text, params.public, params.professional, params.total" in msg

    _fill(rules, 2025, "s1-1", "每年累计不少于90学时，其中公需科目不少于30学时，专业科目不少于60学时。", 30, 60, 90,
          "每年不少于 90 学时", "本站的解读。")
    b = Bundle(rcompile.build())
    assert b.policies["jinan-2025-1"]["doc_number"] == "济人社字〔2025〕1号"
    assert b.regions["jinan"] == {"name": "济南市", "policies": ["jinan-2025-1"]}
    assert b.requirement("jinan", 2025).id == "jinan.requirement"
    assert isinstance(b.requirement("jinan", 2024), NotCovered)

    anchors = [a["anchor"] for a in page_anchors(page)]
    assert {"preamble", "s1", "s1-p1", "s1-1"} <= set(anchors)
    assert any(str(page) in p for p in report(b, "jinan", scratch.vectors, scratch.pages)["placeholders"])

    _fill(vectors, "30 public hours fall short of 90", "s1-1", 2025, 30, 2025, "false", 30, 60, 90)
    vec = yaml.safe_load(vectors.read_text(encoding="utf-8"))[0]
    assert vec["clause"] == "jinan-2025-1#s1-1"
    assert check_vector(vec, check(vec["case"], b)) == []


def test_next_years_notice_in_an_existing_region(scratch):
    new_policy("qingdao-2025-9", "qingdao", paths=scratch, **POLICY)
    _fill_policy_years(scratch, "qingdao-2025-9")
    rules = scratch.rules / "qingdao" / "requirement.yaml"
    text = rules.read_text(encoding="utf-8")
    assert text.startswith((rcompile.REPO / "ruleset/rules/qingdao/requirement.yaml").read_text(encoding="utf-8"))
    _fill(rules, 2025, "s1-1", "每年累计不少于100学时。", 40, 60, 100, "每年不少于 100 学时", "说明。")
    assert "overlaps" in _refused()  # the 2023 notice's rule has no end yet
    rules.write_text(rules.read_text(encoding="utf-8").replace("in_force: {from: 2019}", "in_force: {from: 2019, until: 2024}", 1),
                     encoding="utf-8")
    b = Bundle(rcompile.build())
    assert b.requirement("qingdao", 2024)["params"]["total"] == 90
    assert b.requirement("qingdao", 2025)["params"]["total"] == 100
    assert b.requirement("qingdao", 2025)["cite"] == "qingdao-2025-9#s1-1"


def test_refuses_existing_ids_and_files_and_writes_nothing(scratch):
    before = {p: p.read_bytes() for p in scratch.rules.rglob("*.yaml")}
    with pytest.raises(ScaffoldError, match="already exists"):
        new_region("qingdao", "青岛市", scratch)
    with pytest.raises(ScaffoldError, match="lowercase"):
        new_region("Jinan", "济南市", scratch)
    with pytest.raises(ScaffoldError, match="already exists"):
        new_policy("qingdao-2023-14", "qingdao", paths=scratch, **POLICY)
    with pytest.raises(ScaffoldError, match="unknown region 'jinan'"):
        new_policy("jinan-2025-1", "jinan", paths=scratch, **POLICY)
    with pytest.raises(ScaffoldError, match="YYYY-MM-DD"):
        new_policy("qingdao-2025-9", "qingdao", paths=scratch, **{**POLICY, "date": "2025/3/1"})
    (scratch.pages / "qingdao-2025-9.md").write_text("已有的页面\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="qingdao-2025-9.md already exists"):
        new_policy("qingdao-2025-9", "qingdao", paths=scratch, **POLICY)
    assert {p: p.read_bytes() for p in scratch.rules.rglob("*.yaml")} == before
    assert (scratch.pages / "qingdao-2025-9.md").read_text(encoding="utf-8") == "已有的页面\n"
    assert not scratch.vectors.exists()


def test_second_unfilled_notice_refused(scratch):
    new_policy("qingdao-2025-9", "qingdao", paths=scratch, **POLICY)
    with pytest.raises(ScaffoldError, match="unfilled requirement rule"):
        new_policy("qingdao-2026-1", "qingdao", paths=scratch, **{**POLICY, "date": "2026-01-05"})


def test_texts_needing_quotes_round_trip(scratch):
    new_region("xining_city", "西宁市: {试点}", scratch)
    title = "关于“继续教育”的通知: #1, [试行]"
    new_policy("xining-2025-1", "xining_city", paths=scratch, **{**POLICY, "title": title})
    assert yaml.safe_load((scratch.rules / "case.yaml").read_text(encoding="utf-8"))["regions"]["xining_city"] == {
        "name": "西宁市: {试点}"}
    entry = yaml.safe_load((scratch.rules / "policies.yaml").read_text(encoding="utf-8"))["xining-2025-1"]
    assert entry["title"] == title and entry["region"] == "xining_city"


def test_cli_refuses_an_existing_region_and_policy():
    code, out, err = run_cli("new-region", "qingdao", "--name", "青岛市")
    assert code == 2 and "already exists" in err
    code, out, err = run_cli("new-policy", "qingdao-2023-14", "--region", "qingdao", "--title", "x",
                             "--doc-number", "x", "--issuer", "x", "--date", "2023-02-20")
    assert code == 2 and "already exists" in err
