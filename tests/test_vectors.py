"""Every test vector in tests/vectors/ against the engine; every rule exercised by some vector."""
import json

import pytest

from ruleset import check
from ruleset.loader import bundle
from vector_check import check_vector, load_vectors

VECTORS = load_vectors()


@pytest.mark.parametrize("name,vec", VECTORS, ids=[n for n, _ in VECTORS])
def test_vector(name, vec):
    assert vec.get("clause") or vec.get("clauses"), f"{name}: a vector names the clause it exercises"
    result = check(vec["case"])
    json.dumps(result)  # serialisable as is
    problems = check_vector(vec, result)
    assert not problems, "\n".join(problems)


def _rules_touched(result: dict) -> set[str]:
    touched = {a["rule"] for a in result["activities"] if a.get("rule")}
    for a in result["activities"]:
        touched |= {c["rule"] for c in a.get("caps", [])}
    touched |= {y["rule"] for y in result["years"].values() if y.get("rule")}
    app = result.get("application") or {}
    if app.get("rule"):
        touched.add(app["rule"])
    touched |= {e["rule"] for e in app.get("exemptions", [])}
    touched |= {n["rule"] for n in result.get("notices", [])}
    touched |= {p["rule"] for p in result.get("periods", [])}
    return touched


def test_every_rule_has_a_vector():
    touched = set()
    for _, vec in VECTORS:
        touched |= _rules_touched(check(vec["case"]))
    missing = sorted({r.id for r in bundle().rules} - touched)
    assert not missing, f"rules no vector exercises: {missing}"


def test_every_cited_clause_has_a_vector():
    cited = {r["cite"] for r in bundle().rules}
    named = set()
    for _, vec in VECTORS:
        named |= set([vec["clause"]] if vec.get("clause") else vec.get("clauses", []))
    missing = sorted(cited - named)
    assert not missing, f"clauses no vector names: {missing}"
