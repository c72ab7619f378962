"""The CI workflow (.github/workflows/*.yml): parsed, not run.

What it must keep: the tests on every push and pull request with the command a
developer runs, a deploy that needs the tests and runs from main only, current
action majors (older ones run on a Node that runners no longer carry), Node 22
or 24 for the build, caches keyed on the lock files.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

# The current major of every action the workflows may use (all run on Node 24).
CURRENT_MAJOR = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/setup-node": 7,
    "actions/cache": 6,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}
LOCK_FILES = ["requirements/build.txt", "requirements/dev.txt", "requirements/pyodide-lock.txt",
              "package-lock.json"]


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


@pytest.fixture(scope="module")
def workflow() -> dict:
    path = ROOT / ".github" / "workflows" / "ci.yml"
    assert path in WORKFLOWS, f"no .github/workflows/ci.yml (found {WORKFLOWS})"
    return load(path)


def steps(job: dict) -> list[dict]:
    return job.get("steps") or []


def uses(job: dict, action: str) -> list[dict]:
    return [s for s in steps(job) if str(s.get("uses", "")).split("@")[0] == action]


def needs(job: dict) -> set[str]:
    value = job.get("needs") or []
    return {value} if isinstance(value, str) else set(value)


def all_needs(jobs: dict, name: str) -> set[str]:
    out, todo = set(), list(needs(jobs[name]))
    while todo:
        n = todo.pop()
        if n not in out:
            out.add(n)
            todo.extend(needs(jobs[n]))
    return out


def test_every_action_is_on_its_current_major():
    problems = []
    for path in WORKFLOWS:
        for name, job in load(path)["jobs"].items():
            for step in steps(job):
                ref = step.get("uses")
                if not ref:
                    continue
                action, _, version = str(ref).partition("@")
                m = re.fullmatch(r"v(\d+)(\.\d+)*", version)
                if action not in CURRENT_MAJOR:
                    problems.append(f"{path.name}: {name}: {ref}: not a known action (add its current major here)")
                elif not m or int(m.group(1)) < CURRENT_MAJOR[action]:
                    problems.append(f"{path.name}: {name}: {ref}: older than v{CURRENT_MAJOR[action]}")
    assert not problems, "\n".join(problems)


def test_tests_run_on_pushes_and_pull_requests(workflow):
    on = workflow["on"]
    assert "push" in on and "pull_request" in on, f"triggers: {on}"
    for event in ("push", "pull_request"):
        spec = on[event] or {}
        assert "branches" not in spec and "paths" not in spec, f"{event} is filtered: {spec}"
    test = workflow["jobs"]["test"]
    assert "if" not in test, "the test job must run on every event"
    runs = [s["run"] for s in steps(test) if "run" in s]
    assert any(re.match(r"make test\b", r.strip()) for r in runs), f"the test job runs {runs}, not `make test`"


def test_ci_run_is_the_same_command():
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test\b", text, re.M), ".ci/run must run `make test`"


def test_deploy_needs_the_tests_and_runs_from_main_only(workflow):
    jobs = workflow["jobs"]
    deployers = [n for n, j in jobs.items() if uses(j, "actions/deploy-pages")]
    builders = [n for n, j in jobs.items() if uses(j, "actions/upload-pages-artifact")]
    assert deployers and builders
    for name in deployers + builders:
        assert "test" in all_needs(jobs, name), f"{name} does not need the test job"
        cond = jobs[name].get("if", "")
        assert "github.ref == 'refs/heads/main'" in cond and "pull_request" in cond, \
            f"{name} is not limited to pushes to main: if: {cond!r}"
    for name in deployers:
        assert set(builders) <= all_needs(jobs, name)
        assert jobs[name]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}, "write permissions belong to the deploy job only"


def test_site_build_is_the_make_target(workflow):
    jobs = workflow["jobs"]
    for name, job in jobs.items():
        if uses(job, "actions/upload-pages-artifact"):
            runs = [s["run"].strip() for s in steps(job) if "run" in s]
            assert any(r.startswith("make build") for r in runs), f"{name} builds with {runs}"
            site_url = next(s for s in steps(job) if "run" in s and s["run"].startswith("make build"))
            assert "SITE_URL" in (site_url.get("env") or {}), "the Pages build must set SITE_URL"


def test_node_and_caches(workflow):
    for name, job in workflow["jobs"].items():
        for step in uses(job, "actions/setup-node"):
            version = str(step["with"]["node-version"])
            assert version.split(".")[0] in ("22", "24"), f"{name}: Node {version}"
            assert step["with"].get("cache") == "npm"
            assert step["with"].get("cache-dependency-path") == "package-lock.json"
        for step in uses(job, "actions/setup-python"):
            assert step["with"].get("cache") == "pip"
            pattern = step["with"].get("cache-dependency-path", "")
            covered = [f for f in LOCK_FILES if f.startswith("requirements/")
                       and Path(f).match(pattern)]
            assert len(covered) == 3, f"{name}: pip cache keyed on {pattern!r}, not the Python locks"
        for step in uses(job, "actions/cache"):
            key = step["with"]["key"]
            assert "hashFiles(" in key and "package-lock.json" in key, f"{name}: cache key {key!r}"
    for lock in LOCK_FILES:
        assert (ROOT / lock).is_file(), f"{lock} missing"
