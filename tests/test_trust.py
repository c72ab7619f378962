"""Trust signals: every rule's `checked` date (compiler, result rows, reference pages) and the
报告错误 links (site_src/hooks/report.py), written only when the build knows the repository."""
import datetime
import importlib.util
import re
import shutil
import textwrap
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import REPO
from ruleset import check
from ruleset import compile as rcompile
from ruleset.loader import bundle
from ruleset.schema import result_schema

RULE = """\
- id: qinghai.zz
  kind: learning_platform
  in_force: {from: 2024, until: 2024}
  cite: qinghai-2024-192#s6-1-4
  checked: 2026-11-27
  text: 学习积分
  subject: public
  method: fixed
  params: {amount: 1}
"""


@pytest.fixture
def scratch_rules(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    shutil.copytree(rcompile.RULES_DIR, rules)
    monkeypatch.setattr(rcompile, "RULES_DIR", rules)

    def build(text):
        (rules / "qinghai" / "zz_checked.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        return rcompile.build()
    return build


def test_a_dated_rule_compiles_with_its_date(scratch_rules):
    rule = next(r for r in scratch_rules(RULE)["rules"] if r["id"] == "qinghai.zz")
    assert rule["checked"] == "2026-11-27"


@pytest.mark.parametrize("change, message", [
    (("  checked: 2026-11-27\n", ""), "lacks ['checked']"),
    (("2026-11-27", "2026-13-01"), "is not a date"),
    (("2026-11-27", "27.11.2026"), "is not a date"),
    (("2026-11-27", "'2026-11'"), "is not a date"),
    (("2026-11-27", "2024-05-27"), "before its notice's date 2024-05-28"),
    (("2026-11-27", "2999-01-01"), "in the future"),
])
def test_rule_without_a_valid_checked_date_is_refused_with_file_and_line(scratch_rules, change, message):
    with pytest.raises(rcompile.RuleDataError) as exc:
        scratch_rules(RULE.replace(*change))
    assert "zz_checked.yaml:1" in str(exc.value) and message in str(exc.value)


def test_every_rule_is_dated_between_its_notice_and_today():
    b = bundle()
    for rule in b.rules:
        day = datetime.date.fromisoformat(rule["checked"])
        issued = b.policies[rule["cite"].split("#")[0]]["date"]
        assert datetime.date.fromisoformat(issued) <= day <= datetime.date.today(), rule.id


def test_set_checked_writes_the_date_right_after_cite_and_replaces_an_old_one():
    spec = importlib.util.spec_from_file_location("set_checked", REPO / "tools" / "set_checked.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    text = RULE.replace("  checked: 2026-11-27\n", "") + "- reading: qinghai.zz_reading\n  cite: qinghai-2024-192#s6\n"
    once, ids = tool.set_checked(text, "2026-11-20")
    assert ids == ["qinghai.zz"]
    assert "  cite: qinghai-2024-192#s6-1-4\n  checked: 2026-11-20\n  text:" in once
    assert once.count("checked:") == 1  # the reading gets none
    again, _ = tool.set_checked(once, "2026-11-27")
    assert again == once.replace("2026-11-20", "2026-11-27")
    untouched, ids = tool.set_checked(once, "2026-11-27", {"qinghai.other"})
    assert untouched == once and ids == []


def test_result_rows_carry_the_rules_checked_date():
    b = bundle()
    case = {"region": "qinghai", "activities": [
        {"kind": "public_course", "year": 2024, "hours": 45},
        {"kind": "paper", "year": 2022, "authors": 1, "rank": 1, "venue": "journal", "has_cn_number": True}]}
    rows = check(case)["activities"]
    assert all(r["rule"] for r in rows)
    for r in rows:
        assert r["checked"] in {x["checked"] for x in b.rules if x.id == r["rule"]}
    props = result_schema()["properties"]["activities"]["items"]["properties"]
    assert props["checked"]["format"] == "date"


def test_reference_pages_show_each_rules_checked_date():
    from site_src.generate.write import outputs

    pages = outputs(REPO)
    for region in bundle().regions:
        text = pages[f"docs/reference/{region}.md"]
        sections = text.count('<div class="ref-rule"')
        dated = re.findall(r'data-rule="([^"]+)"[^>]*data-checked="(\d{4}-\d{2}-\d{2})".*?核对于 <time datetime="\2">\2</time>',
                           text)
        assert sections and len(dated) == sections, region
        want = {r.id: r["checked"] for r in bundle().rules if r["region"] == region}
        assert {rid: day for rid, day in dated} == want


# ----------------------------------------------------------------- 报告错误

def _report_hook():
    spec = importlib.util.spec_from_file_location("report_hook", REPO / "site_src" / "hooks" / "report.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


POLICY_HTML = """<html><head></head><body><nav><p id="nav-p">导航</p></nav><article class="md-content__inner md-typeset">
<h2 id="s1">一、范围<a class="headerlink" href="#s1" title="本节链接">&para;</a></h2>
<p id="s1-p1">全省各级各类企事业单位专业技术人员……</p>
<table><tbody><tr><td><span id="annex2-patent"></span>专利</td><td>发明专利……</td></tr>
<tr><td><span id="annex2-a"></span>第一句。<span id="annex2-b"></span>第二句。</td></tr></tbody></table>
<p>没有锚点的段落。</p>
</article></body></html>
"""
SITE_URL = "https://example.org/ce/"
POLICY_PAGE = "policies/qinghai-2024-192/index.html"


def _site(tmp_path, repo_url, monkeypatch):
    """A built site with one policy page, after the hook's post-build step."""
    page = tmp_path / "site" / POLICY_PAGE
    page.parent.mkdir(parents=True)
    page.write_text(POLICY_HTML, encoding="utf-8")
    if repo_url is None:
        monkeypatch.delenv("REPO_URL", raising=False)
    else:
        monkeypatch.setenv("REPO_URL", repo_url)
    _report_hook().on_post_build(SimpleNamespace(site_dir=str(tmp_path / "site"), site_url=SITE_URL))
    return page.read_text(encoding="utf-8")


def test_no_repository_no_report_link(tmp_path, monkeypatch):
    assert _site(tmp_path, None, monkeypatch) == POLICY_HTML


@pytest.mark.parametrize("bad", ["github.com/owner/repo", "https://github.com/owner", "http://github.com/o/r",
                                 "https://github.com/o/r/issues", "javascript:alert(1)//x/y"])
def test_a_malformed_repository_address_fails_the_build(tmp_path, monkeypatch, bad):
    with pytest.raises(Exception, match="REPO_URL"):
        _site(tmp_path, bad, monkeypatch)


def _links(text):
    return [(m.group(1).replace("&amp;", "&")) for m in re.finditer(r'<a class="report-link" href="([^"]+)"', text)]


def test_every_clause_gets_a_prefilled_link_at_its_end(tmp_path, monkeypatch):
    out = _site(tmp_path, "https://github.com/owner/repo.git/", monkeypatch)
    links = _links(out)
    assert len(links) == 5  # s1, s1-p1, annex2-patent, annex2-a, annex2-b; not the plain paragraph, not the nav
    for link in links:
        assert link.startswith("https://github.com/owner/repo/issues/new?")
    queries = [parse_qs(urlsplit(u).query) for u in links]
    anchors = [re.search(r"#(\S+)", q["title"][0]).group(1) for q in queries]
    assert anchors == ["s1", "s1-p1", "annex2-patent", "annex2-a", "annex2-b"]
    body = queries[1]["body"][0]
    assert "https://example.org/ce/policies/qinghai-2024-192/#s1-p1" in body
    assert "qinghai-2024-192#s1-p1" in body and "全省各级各类企事业单位专业技术人员" in body
    assert "青人社厅函〔2024〕192号" in queries[0]["title"][0]
    # Placed at the clause's end: before the permalink, the paragraph's end, the next anchor, the cell's end.
    assert re.search(r'一、范围 <a class="report-link"[^>]*>报告错误</a><a class="headerlink"', out)
    assert re.search(r'专业技术人员…… <a class="report-link"[^>]*>报告错误</a></p>', out)
    assert re.search(r'第一句。 <a class="report-link"[^>]*>报告错误</a><span id="annex2-b">', out)
    assert re.search(r'第二句。 <a class="report-link"[^>]*>报告错误</a></td>', out)


def test_every_rule_gets_a_prefilled_link(monkeypatch):
    import markdown

    from site_src.generate.write import outputs

    hook = _report_hook()
    md = outputs(REPO)["docs/reference/qinghai.md"]
    html = markdown.markdown(md.split("\n---\n", 1)[1], extensions=["attr_list", "md_in_html", "tables", "admonition"])
    page = f'<article class="md-content__inner md-typeset">{html}</article>'
    out = hook.page_links(page, "reference/qinghai/index.html", SITE_URL, "https://github.com/owner/repo", {})
    links = _links(out)
    rules = [r for r in bundle().rules if r["region"] == "qinghai"]
    assert len(links) == len(rules) == html.count('class="ref-rule__meta"')
    titles = [parse_qs(urlsplit(u).query)["title"][0] for u in links]
    assert sorted(titles) == sorted(f"报告错误：规则 {r.id}" for r in rules)
    body = parse_qs(urlsplit(links[0]).query)["body"][0]
    assert "https://example.org/ce/reference/qinghai/#rule-" in body and "本站最后核对：20" in body
