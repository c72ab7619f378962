"""Helpers of the browser tests: build the site, serve it on 127.0.0.1, drive Chromium.

The tests run against the BUILT site (mkdocs build with SITE_URL set to the
origin they serve it from, so Material's instant navigation is active) in
Debian's Chromium (/usr/bin/chromium, installed by site_src/setup_browser.sh).
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "test-artifacts"
BOOT_TIMEOUT_MS = 120_000


def require_prerequisites() -> None:
    """Fail (never skip) with a clear message when something the tests need is missing."""
    import pytest

    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `bash site_src/setup_browser.sh` "
            "(installs Debian's chromium and fonts-noto-cjk), or set CHROMIUM=/path/to/chromium",
            pytrace=False,
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("Python package 'playwright' missing: run `make venv` (requirements/dev.txt)", pytrace=False)
    build = ROOT / "site_src" / "generated" / "checker" / "build.json"
    if not build.is_file():
        pytest.fail("site_src/generated is missing: run `make assets` (site_src/build_assets.sh) first", pytrace=False)


def until(page, expression: str, timeout_s: float = BOOT_TIMEOUT_MS / 1000):
    """Evaluates expression (a promise is awaited) every 0.2 s until it is truthy; its value. (Not
    wait_for_function: it evaluates a string by eval, which the site's CSP forbids.)"""
    deadline = time.monotonic() + timeout_s
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still falsy after {timeout_s} s: {expression}")
        time.sleep(0.2)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_site(dest: Path, origin: str) -> Path:
    """mkdocs build --strict into dest with SITE_URL=origin; returns dest."""
    if dest.exists():
        shutil.rmtree(dest)
    env = {**os.environ, "SITE_URL": origin + "/", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}")
    return dest


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".whl": "application/octet-stream",
        ".zip": "application/zip",
    }

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


class SiteServer:
    """http.server on 127.0.0.1 in a daemon thread."""

    def __init__(self, directory: Path, port: int):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.origin = f"http://127.0.0.1:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class SiteServerProcess:
    """The same server in a process of its own (for the benchmarks: serving does not
    share this process's interpreter lock with Playwright, as with a real static host)."""

    def __init__(self, directory: Path, port: int):
        self.args = [sys.executable, str(Path(__file__).resolve()), "serve", str(directory), str(port)]
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"site server exited with {self.proc.returncode}") from None
                threading.Event().wait(0.05)
        raise RuntimeError("site server did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=5)


@dataclass
class Recorder:
    """Every request and every console error of a browser context."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def attach_context(self, context) -> None:
        context.on("request", lambda req: self.requests.append(req.url))
        context.on("page", self.attach_page)
        for page in context.pages:
            self.attach_page(page)

    def attach_page(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("worker", lambda worker: worker.on("console", self._on_console) if hasattr(worker, "on") else None)

    def _on_page_error(self, exc) -> None:
        stack = "\n".join((getattr(exc, "stack", "") or "").splitlines()[1:5])  # where it was thrown
        self.console_errors.append(f"pageerror: {exc}" + (f"\n{stack}" if stack else ""))

    def _on_console(self, msg) -> None:
        if msg.type in ("error", "assert"):
            loc = msg.location or {}
            self.console_errors.append(f"{msg.text} @ {loc.get('url', '')}:{loc.get('lineNumber', '')}")

    def foreign_requests(self, origin: str) -> list[str]:
        allowed = (origin + "/", "blob:" + origin + "/", "data:", "about:")
        return [u for u in self.requests if not u.startswith(allowed)]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def cli_result(case: dict, tmp_path: Path) -> dict:
    """The CLI's JSON result for a case (python -m ruleset check case.json --json)."""
    path = tmp_path / "cli-case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "ruleset", "check", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if proc.returncode not in (0, 2):
        raise RuntimeError(f"CLI failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout)


def json_path(doc, path: str):
    """Value at a dotted path such as 'years.2023.required.public' or 'activities.0.caps.1.cut'."""
    cur = doc
    for part in path.split("."):
        if isinstance(cur, list):
            cur = cur[int(part)]
        else:
            cur = cur[part]
    return cur


def shown(value) -> str:
    """How the page prints a JSON number (fmt() in checker.js)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def without_form_data(page, origin: str) -> None:
    """Serves the checker's page without the form's data it carries (site_src/hooks/checker.py),
    so that the page downloads schema.json and metadata.json as it does when that data is missing
    (the path where a download can fail)."""
    import re

    def strip(route):
        response = route.fetch()
        text = re.sub(r'<template id="ce-checker-data">.*?</template>', "", response.text(),
                      count=1, flags=re.S)
        route.fulfill(response=response, body=text)

    page.route(origin + "/checker/", strip)


if __name__ == "__main__" and sys.argv[1:2] == ["serve"]:
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[3])),
                        functools.partial(_QuietHandler, directory=sys.argv[2])).serve_forever()
