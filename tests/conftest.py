import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def run_cli(*args, stdin: str | None = None):
    """Run `python -m ruleset ARGS` -> (exit code, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "ruleset", *args], input=stdin, capture_output=True,
                          text=True, cwd=REPO, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def write_case(tmp_path):
    def write(case, name="case.json"):
        path = tmp_path / name
        path.write_text(case if isinstance(case, str) else json.dumps(case, ensure_ascii=False), encoding="utf-8")
        return path
    return write


@pytest.fixture(scope="session")
def playwright_session():
    """One Playwright (sync API) for the whole run: a second one cannot start while another is open."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def scratch_rules_dir(tmp_path, monkeypatch):
    """A copy of the rule sources that ruleset.compile reads (RULES_DIR points at it), to change on purpose."""
    from ruleset import compile as rcompile

    rules = tmp_path / "rules"
    shutil.copytree(rcompile.RULES_DIR, rules)
    monkeypatch.setattr(rcompile, "RULES_DIR", rules)
    return rules


# ----------------------------------------------------------------- browser tests
# The built site served on 127.0.0.1 and one Chromium, for every browser test module
# (tests/test_browser*.py): Playwright's sync API allows one instance per process.

@pytest.fixture(scope="session")
def site(tmp_path_factory):
    import browser_helpers as bh

    bh.require_prerequisites()
    port = bh.free_port()
    origin = f"http://127.0.0.1:{port}"
    directory = bh.build_site(tmp_path_factory.mktemp("site") / "site", origin)
    with bh.SiteServer(directory, port) as server:
        yield SimpleNamespace(origin=server.origin, dir=directory)


@pytest.fixture(scope="session")
def browser(site, playwright_session):
    import browser_helpers as bh

    b = bh.launch(playwright_session)
    yield b
    b.close()
