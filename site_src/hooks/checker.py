"""MkDocs hook of the self-service checker (自助核算).

- on_config: adds the checker's module script and stylesheet to every page (the
  script does nothing on pages without the checker container, and it must be
  loaded site-wide so that Material's instant navigation can reach the checker).
- on_files: serves site_src/assets/{js,css} at assets/{js,css}/, and what
  site_src/build_assets.sh generated (Pyodide runtime, lock file, ruleset wheel,
  schema/metadata JSON) at assets/pyodide/<version>/ and assets/checker/.
- on_post_build: writes one Content-Security-Policy <meta> into every page.
  Site-wide, because Material's instant navigation swaps page content without
  reloading the document: a policy placed on one page only would or would not
  apply depending on where the visit began. Material's own small inline scripts
  are allowed by their sha256 (collected over the whole site, since instant
  navigation re-runs the content-area scripts of the page it swaps in).
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from pathlib import Path

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.checker")

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "site_src" / "assets"
GENERATED = ROOT / "site_src" / "generated"

SCRIPT = "assets/js/checker.js"
STYLE = "assets/css/checker.css"

# No request leaves the origin; Pyodide needs WebAssembly compilation.
CSP_BASE = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],  # Markdown tables write style="text-align:…"
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
CSP_MARK = 'http-equiv="Content-Security-Policy"'

_SCRIPT_RE = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
_TYPE_RE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


def _version_tag() -> str:
    """A short digest of the checker's JS/CSS, appended as ?v= to bust caches."""
    h = hashlib.sha256()
    for path in sorted(ASSETS.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(ASSETS).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def on_config(config, **kwargs):
    tag = _version_tag()
    script = ExtraScriptValue(f"{SCRIPT}?v={tag}")
    script.type = "module"
    if not any(str(s).split("?")[0] == SCRIPT for s in config.extra_javascript):
        config.extra_javascript.append(script)
    if not any(str(s).split("?")[0] == STYLE for s in config.extra_css):
        config.extra_css.append(f"{STYLE}?v={tag}")
    return config


def _add(files: Files, config, src_uri: str, path: Path) -> None:
    existing = files.get_file_from_path(src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, src_uri, abs_src_path=str(path)))


def on_files(files: Files, config, **kwargs):
    for sub in ("js", "css"):
        for path in sorted((ASSETS / sub).glob("*")):
            if path.is_file():
                _add(files, config, f"assets/{sub}/{path.name}", path)
    build = GENERATED / "checker" / "build.json"
    if not build.is_file():
        raise PluginError(
            "checker: site_src/generated is missing or incomplete; run `make assets` "
            "(site_src/build_assets.sh) before building the site"
        )
    info = json.loads(build.read_text(encoding="utf-8"))
    runtime = GENERATED / "pyodide" / info["pyodide_version"]
    if not (runtime / "pyodide.mjs").is_file():
        raise PluginError(f"checker: {runtime} lacks pyodide.mjs; run `make assets`")
    for path in sorted(runtime.rglob("*")):
        if path.is_file():
            _add(files, config, f"assets/pyodide/{info['pyodide_version']}/{path.relative_to(runtime).as_posix()}", path)
    for path in sorted((GENERATED / "checker").glob("*.json")):
        _add(files, config, f"assets/checker/{path.name}", path)
    return files


def on_serve(server, config, builder, **kwargs):
    server.watch(str(ASSETS))
    return server


def _inline_script_hashes(html: str) -> set[str]:
    out = set()
    for m in _SCRIPT_RE.finditer(html):
        attrs = m.group("attrs") or ""
        if re.search(r"\ssrc\s*=", attrs, re.I):
            continue
        t = _TYPE_RE.search(attrs)
        if t and t.group(1).lower() not in _JS_TYPES:
            continue  # e.g. Material's <script id="__config" type="application/json">
        digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
        out.add("'sha256-" + base64.b64encode(digest).decode() + "'")
    return out


def csp_content(hashes) -> str:
    parts = []
    for name, values in CSP_BASE.items():
        if name == "script-src":
            values = values + sorted(hashes)
        parts.append(name + " " + " ".join(values))
    return "; ".join(parts)


def on_post_build(config, **kwargs):
    site = Path(config.site_dir)
    pages = sorted(site.rglob("*.html"))
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    hashes = set()
    for text in texts.values():
        hashes |= _inline_script_hashes(text)
    meta = f'<meta {CSP_MARK} content="{csp_content(hashes)}">'
    for path, text in texts.items():
        if CSP_MARK in text or "<head" not in text:
            continue
        m = re.search(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", text, re.I) or re.search(r"<head[^>]*>", text, re.I)
        text = text[: m.end()] + "\n    " + meta + text[m.end():]
        path.write_text(text, encoding="utf-8")
    log.info("checker: CSP meta written into %d pages (%d inline script hashes)", len(texts), len(hashes))
