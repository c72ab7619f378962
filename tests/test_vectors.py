"""Every test vector in tests/vectors/ against the engine; every rule exercised by some vector;
every quote a vector relies on found verbatim in the policy page it cites."""
import json
import re

import pytest

from ruleset import check
from ruleset.engine import rules_touched
from ruleset.loader import bundle
from vector_check import POLICIES, check_vector, clauses_of, load_vectors, normalised, policy_text, quote_problems

VECTORS = load_vectors()


@pytest.mark.parametrize("name,vec", VECTORS, ids=[n for n, _ in VECTORS])
def test_vector(name, vec):
    assert vec.get("clause") or vec.get("clauses"), f"{name}: a vector names the clause it exercises"
    result = check(vec["case"])
    json.dumps(result)  # serialisable as is
    problems = check_vector(vec, result) + quote_problems(vec)
    assert not problems, "\n".join(problems)


def test_quotes_are_checked_against_the_cited_page():
    """The quote check finds real words, and refuses words the page does not hold (or holds elsewhere only)."""
    page = "qinghai-2024-192"
    assert "有正规发行刊号的期刊" in policy_text(page)
    good = {"clause": f"{page}#annex2-paper", "quote": "在经新闻出版部门批准的有正规发行\n刊号的期刊上发表"}
    assert quote_problems(good) == []
    assert quote_problems({**good, "quote": "在经新闻出版部门批准的期刊上发表"})
    assert quote_problems({**good, "quote": ["每篇折算 10 学时", "每篇折算 15 学时"]})
    assert quote_problems({"clause": "qingdao-2023-14#s4-3", "quote": "有正规发行刊号的期刊"})
    assert normalised("| **2022 年** | <span id=\"x\"></span>学术论文 |\n{: #annex2 }") == "2022年学术论文"


def test_every_vector_clause_anchor_exists():
    """A vector's clause names a real anchor on the policy page, so its quote is looked for on the right page."""
    missing = []
    for name, vec in VECTORS:
        for clause in clauses_of(vec):
            policy, _, anchor = clause.partition("#")
            if not _has_anchor(policy, anchor):
                missing.append(f"{name}: {clause}")
    assert not missing, missing


def test_notes_naming_a_clause_name_a_real_anchor():
    """Interpretation notes that point at a clause (policy#anchor) point at an anchor that exists."""
    bad = []
    for rule in bundle().rules:
        for note in rule.get("notes") or []:
            for policy, anchor in NOTE_CITE.findall(note if isinstance(note, str) else note["text"]):
                if not _has_anchor(policy, anchor):
                    bad.append(f"{rule.id}: {policy}#{anchor}")
    assert not bad, bad


NOTE_CITE = re.compile(r"([a-z]+-[a-z0-9-]*\d)#([a-z0-9][a-z0-9-]*)")


def _has_anchor(policy: str, anchor: str) -> bool:
    """An id="anchor", {: #anchor } or {#anchor} on docs/policies/<policy>.md (the site test checks the build)."""
    path = POLICIES / f"{policy}.md"
    markdown = path.read_text(encoding="utf-8") if path.is_file() else ""
    return any(f"{pre}{anchor}{post}" in markdown for pre, post in (('id="', '"'), ("{: #", " }"), ("{#", "}")))


def test_every_rule_has_a_vector():
    touched = set()
    for _, vec in VECTORS:
        touched |= rules_touched(check(vec["case"]))
    missing = sorted({r.id for r in bundle().rules} - touched)
    assert not missing, f"rules no vector exercises: {missing}"


def test_every_cited_clause_has_a_vector():
    cited = {r["cite"] for r in bundle().rules}
    named = set()
    for _, vec in VECTORS:
        named |= set([vec["clause"]] if vec.get("clause") else vec.get("clauses", []))
    missing = sorted(cited - named)
    assert not missing, f"clauses no vector names: {missing}"
