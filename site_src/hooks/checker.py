"""MkDocs hook of the self-service checker (自助核算).

- on_config: bundles the checker's ES modules (site_src/js/checker/, entry main.js) with
  esbuild (npm, pinned in package.json; installed by site_src/build_assets.sh) into one
  script, site_src/generated/js/checker.js, and adds it (a module script) and the
  stylesheet to every page (the script does nothing on pages without the checker
  container, and it must be loaded site-wide so that Material's instant navigation can
  reach the checker).
- on_files: serves site_src/assets/{js,css} at assets/{js,css}/, the bundle at
  assets/js/checker.js, and what site_src/build_assets.sh generated (Pyodide runtime,
  lock file, ruleset wheel, schema/metadata JSON) at assets/pyodide/<version>/ and
  assets/checker/. The worker script (site_src/js/checker-worker.js) is served at
  assets/js/checker-worker.js bundled with the runtime's pyodide.mjs (worker_bundle), so
  the worker starts the runtime's big downloads without first fetching pyodide.mjs.
- The batch page (单位批量核算): site_src/js/batch/main.js bundled the same way into
  assets/js/batch.js, put by on_post_build inside the content of the page with
  <div id="ce-batch"> (only there); its templates (site_src/generated/batch/, written by
  build_assets.sh) are served at assets/batch/.
- on_post_build: writes into every page a <meta name="ce-checker"> with the build info
  (runtime, lock file, standard library, schema and metadata URLs, and the pages that
  hold the checker), so the script needs no fetch before it starts the engine; into
  the pages that hold the checker, site_src/inline/checker-boot.js inline (it creates
  the worker and starts Pyodide's boot while the page is still parsing, before any
  script is fetched; allowed by its sha256), site_src/inline/defer-search.js inline (Material's
  search worker, which builds the search index as the page loads, waits until the reader
  reaches for the search: its CPU goes to the checker's start-up), a modulepreload of the checker's
  module script, right after <div id="ce-checker"> the form's data (schema and metadata, JSON text
  in a <template>) and that script once more, `async` (the same URL, so one module instance: it
  mounts the form as soon as the container is parsed and adopts that worker), and in place of
  Material's bundle and site.js site_src/inline/site-after-form.js, which loads them once the
  checker asks (after its form's first fields), with site_src/inline/palette-early.js after
  Material's palette script (the scheme the bundle would apply at once); and one
  Content-Security-Policy <meta>.
  Site-wide, because Material's instant navigation swaps page content without
  reloading the document: a policy placed on one page only would or would not
  apply depending on where the visit began. Material's own small inline scripts
  are allowed by their sha256 (collected over the whole site, since instant
  navigation re-runs the content-area scripts of the page it swaps in).
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import os
import re
import subprocess
from pathlib import Path

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.checker")

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "site_src" / "assets"  # served as they are
SOURCES = ROOT / "site_src" / "js"  # built: the checker's modules and its worker
GENERATED = ROOT / "site_src" / "generated"
BUNDLE = GENERATED / "js" / "checker.js"
BATCH_BUNDLE = GENERATED / "js" / "batch.js"  # the batch page's script (site_src/js/batch/, entry main.js)
BATCH_SCRIPT = "assets/js/batch.js"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"

SCRIPT = "assets/js/checker.js"
STYLE = "assets/css/checker.css"
# The checker's stylesheets: the page's, then the share dialog's and link bar's (share.js).
STYLES = (STYLE, "assets/css/share.css")

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


def bundle_checker(entry: str = "checker", bundle: Path = BUNDLE) -> None:
    """site_src/js/<entry>/main.js and what it imports, as one ES module in `bundle` (esbuild).

    Not minified (names and Chinese text stay readable); no eval, no inline code: the
    page's CSP allows it as a script of the site's own origin.
    """
    if not ESBUILD.exists():
        raise PluginError("checker: node_modules/.bin/esbuild is missing; run `make assets` "
                          "(site_src/build_assets.sh runs npm ci)")
    bundle.parent.mkdir(parents=True, exist_ok=True)
    tmp = bundle.with_name(f".{entry}.{os.getpid()}.tmp.js")  # concurrent builds do not share it
    proc = subprocess.run(
        [str(ESBUILD), str(SOURCES / entry / "main.js"), "--bundle", "--format=esm", "--charset=utf8",
         "--log-level=warning", f"--outfile={tmp}"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise PluginError(f"checker: esbuild failed on site_src/js/{entry}/main.js:\n{proc.stderr}")
    if proc.stderr.strip():
        log.warning("checker: esbuild: %s", proc.stderr.strip())
    text = tmp.read_text(encoding="utf-8")
    tmp.unlink()
    if not bundle.is_file() or bundle.read_text(encoding="utf-8") != text:
        bundle.write_text(text, encoding="utf-8")


def _version_tag() -> str:
    """A short digest of the checker's JS/CSS (the bundle, the worker and the pyodide.mjs bundled
    with it), appended as ?v= to bust caches."""
    h = hashlib.sha256()
    for path in (sorted(ASSETS.rglob("*")) + [BUNDLE, BATCH_BUNDLE, SOURCES / "checker-worker.js"]
                 + sorted(GENERATED.glob("pyodide/*/pyodide.mjs"))):
        if path.is_file():
            h.update(path.as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


_EXPORT_RE = re.compile(r"export\s*\{(?P<names>[^}]*)\}\s*;?\s*(//# sourceMappingURL=\S*\s*)?$")


def worker_bundle(worker_js: str, pyodide_mjs: str) -> str:
    """The worker script with pyodide.mjs in front of it, as one module.

    pyodide.mjs is one module without imports ending in `export{x as loadPyodide,…}`:
    the export becomes `const bundledLoadPyodide = x;`, and the worker's own code goes
    in a block so that none of its names can clash with pyodide.mjs's minified ones.
    """
    m = _EXPORT_RE.search(pyodide_mjs)
    names = dict(reversed(part.split(" as ")) if " as " in part else (part.strip(), part.strip())
                 for part in (p.strip() for p in m.group("names").split(",")) if part) if m else {}
    if "loadPyodide" not in names or re.search(r"^\s*import[\s{*]", pyodide_mjs, re.M):
        raise PluginError("checker: pyodide.mjs is not a single module exporting loadPyodide; cannot bundle the worker")
    return (pyodide_mjs[: m.start()] + f"\nconst bundledLoadPyodide = {names['loadPyodide'].strip()};\n"
            + "{\n" + worker_js + "\n}\n")


def on_config(config, **kwargs):
    bundle_checker()
    bundle_checker("batch", BATCH_BUNDLE)
    tag = _version_tag()
    script = ExtraScriptValue(f"{SCRIPT}?v={tag}")
    script.type = "module"
    if not any(str(s).split("?")[0] == SCRIPT for s in config.extra_javascript):
        config.extra_javascript.append(script)
    for style in STYLES:
        if not any(str(s).split("?")[0] == style for s in config.extra_css):
            config.extra_css.append(f"{style}?v={tag}")
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
    _add(files, config, SCRIPT, BUNDLE)
    _add(files, config, BATCH_SCRIPT, BATCH_BUNDLE)
    for path in sorted((GENERATED / "batch").glob("*")):  # the batch page's templates (build_assets.sh)
        _add(files, config, f"assets/batch/{path.name}", path)
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
    bundled = GENERATED / "js" / "checker-worker.js"
    bundled.parent.mkdir(parents=True, exist_ok=True)
    text = worker_bundle((SOURCES / "checker-worker.js").read_text(encoding="utf-8"),
                         (runtime / "pyodide.mjs").read_text(encoding="utf-8"))
    if not bundled.is_file() or bundled.read_text(encoding="utf-8") != text:
        bundled.write_text(text, encoding="utf-8")
    _add(files, config, "assets/js/checker-worker.js", bundled)
    for path in sorted((GENERATED / "checker").glob("*.json")):
        _add(files, config, f"assets/checker/{path.name}", path)
    return files


def on_serve(server, config, builder, **kwargs):
    server.watch(str(ASSETS))
    server.watch(str(SOURCES))
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


_CHECKER_RE = re.compile(r"""<div[^>]*\sid=["']ce-checker["']""", re.I)
_MODULE_RE = re.compile(r"""<script\b[^>]*\bsrc="(?P<src>[^"]*assets/js/checker\.js\?v=[^"]*)"[^>]*>\s*</script>""", re.I)


def _page_url(site: Path, path: Path) -> str:
    """The URL of a built page relative to the site root ('checker/', '' for the home page)."""
    rel = path.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


BOOT_SCRIPT = ROOT / "site_src" / "inline" / "checker-boot.js"
DEFER_SEARCH_SCRIPT = ROOT / "site_src" / "inline" / "defer-search.js"
STORE_MODULE = SOURCES / "checker" / "store.js"
# The heading over the form's first fields (site_src/js/checker/view.js): on a visit the service
# worker answers, the boot script has the page's first frame wait for it.
FORM_DRAWN_ID = "ce-h-profile"


def _store_key() -> str:
    """STORE_KEY of site_src/js/checker/store.js (where the checker saves the case), for the boot script."""
    m = re.search(r'^const STORE_KEY = "([^"]+)";', STORE_MODULE.read_text(encoding="utf-8"), re.M)
    if not m:
        raise PluginError("checker: no `const STORE_KEY = \"…\";` in site_src/js/checker/store.js")
    return m.group(1)


_BATCH_RE = re.compile(r"""<div[^>]*\sid=["']ce-batch["'][^>]*>""", re.I)


def _batch_script(text: str) -> str:
    """On the batch page, its module script inside the content, before <div id="ce-batch">:
    Material's instant navigation runs content scripts when it swaps the page in."""
    m, module = _BATCH_RE.search(text), _MODULE_RE.search(text)
    if not m or not module:
        return text
    root, tag = module.group("src").split(SCRIPT)
    script = f'<script type="module" src="{html.escape(root + BATCH_SCRIPT + tag)}"></script>'
    return text[: m.start()] + script + text[m.start():]


def _head_additions(text: str, build_meta: str, boot_js: str, defer_js: str) -> str:
    out = [build_meta]
    if _CHECKER_RE.search(text):
        m = _MODULE_RE.search(text)
        if m:
            src = m.group("src")
            root, tag = src.split("assets/js/checker.js")
            worker = html.escape(f"{root}assets/js/checker-worker.js{tag}")
            out.append(f'<script data-worker="{worker}" data-root="{html.escape(root or "./")}" '
                       f'data-store="{html.escape(_store_key())}" data-form-drawn="{FORM_DRAWN_ID}">'
                       f'{boot_js}</script>')
            out.append(f"<script>{defer_js}</script>")
            out.append(f'<link rel="modulepreload" href="{src}">')
    return "\n    ".join(out)


_CHECKER_DIV_RE = re.compile(r"""<div[^>]*\sid=["']ce-checker["'][^>]*>.*?</div>""", re.I | re.S)


DATA_ID = "ce-checker-data"  # DATA_ID of site_src/js/checker/assets.js


def form_data(info: dict) -> str:
    """The form's data as the checker's page carries it: {schema_url, metadata_url, schema, metadata}
    (the files the build info names, site_src/generated/checker/), as JSON text escaped for HTML."""
    data = {"schema_url": info["schema_url"], "metadata_url": info["metadata_url"]}
    for key in ("schema", "metadata"):
        path = GENERATED / "checker" / Path(info[f"{key}_url"].split("?")[0]).name
        data[key] = json.loads(path.read_text(encoding="utf-8"))
    return html.escape(json.dumps(data, ensure_ascii=False, separators=(",", ":")), quote=False)


def _module_after_checker(text: str, data: str) -> str:
    """Right after <div id="ce-checker"> (whose content holds no <div>): the form's data (JSON text
    in a <template>, so the form needs no download; not a JSON <script>: Material's instant
    navigation runs every inline <script> of the content it swaps in as JavaScript) and the
    checker's module script once more, `async`: it runs as soon as the container is parsed and
    mounts the form in the same task."""
    m = _MODULE_RE.search(text)
    div = _CHECKER_DIV_RE.search(text)
    if not m or not div:
        return text
    tag = (f'\n<template id="{DATA_ID}">{data}</template>'
           f'\n<script type="module" async src="{m.group("src")}"></script>')
    return text[: div.end()] + tag + text[div.end():]


SITE_AFTER_FORM_SCRIPT = ROOT / "site_src" / "inline" / "site-after-form.js"
_MATERIAL_RE = re.compile(r"""[ \t]*<script src="(?P<src>[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>\s*""")
_SITE_JS_RE = re.compile(r"""[ \t]*<script src="(?P<src>[^"]*assets/js/site\.js)"></script>\s*""")


PALETTE_EARLY_SCRIPT = ROOT / "site_src" / "inline" / "palette-early.js"
_PALETTE_RE = re.compile(r"""<script>var palette=__md_get\("__palette"\);.*?</script>""", re.S)


def _site_after_form(text: str, loader_js: str, palette_js: str) -> str:
    """On a page of the checker, Material's bundle and site.js are loaded by an inline script once
    the form is on screen (site_src/inline/site-after-form.js), in their place and order; the
    palette the bundle would apply at once is applied after Material's palette script
    (site_src/inline/palette-early.js)."""
    bundle = _MATERIAL_RE.search(text)
    site_js = _SITE_JS_RE.search(text)
    palette = _PALETTE_RE.search(text)
    if not bundle or not site_js or not palette or site_js.start() < bundle.start():
        return text
    srcs = html.escape(json.dumps([bundle.group("src"), site_js.group("src")]))
    loader = f'<script data-scripts="{srcs}">{loader_js}</script>\n'
    text = (text[: bundle.start()] + loader + text[bundle.end(): site_js.start()] + text[site_js.end():])
    return text[: palette.end()] + f"<script>{palette_js}</script>" + text[palette.end():]


def on_post_build(config, **kwargs):
    site = Path(config.site_dir)
    pages = sorted(site.rglob("*.html"))
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    boot_js = BOOT_SCRIPT.read_text(encoding="utf-8").strip()
    defer_js = DEFER_SEARCH_SCRIPT.read_text(encoding="utf-8").strip()
    loader_js = SITE_AFTER_FORM_SCRIPT.read_text(encoding="utf-8").strip()
    palette_js = PALETTE_EARLY_SCRIPT.read_text(encoding="utf-8").strip()
    hashes = _inline_script_hashes("".join(f"<script>{js}</script>" for js in (boot_js, defer_js, loader_js, palette_js)))
    for text in texts.values():
        hashes |= _inline_script_hashes(text)
    meta = f'<meta {CSP_MARK} content="{csp_content(hashes)}">'
    info = json.loads((GENERATED / "checker" / "build.json").read_text(encoding="utf-8"))
    info["pages"] = [_page_url(site, p) for p, t in texts.items() if _CHECKER_RE.search(t)]
    build_meta = f'<meta name="ce-checker" content="{html.escape(json.dumps(info, separators=(",", ":")))}">'
    data = form_data(info) if info["pages"] else ""
    for path, text in texts.items():
        if CSP_MARK in text or "<head" not in text:
            continue
        m = re.search(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", text, re.I) or re.search(r"<head[^>]*>", text, re.I)
        text = text[: m.end()] + "\n    " + meta + "\n    " + _head_additions(text, build_meta, boot_js, defer_js) + text[m.end():]
        text = _batch_script(text)
        if _CHECKER_RE.search(text):
            text = _module_after_checker(text, data)
            text = _site_after_form(text, loader_js, palette_js)
        path.write_text(text, encoding="utf-8")
    log.info("checker: CSP meta written into %d pages (%d inline script hashes); checker pages: %s",
             len(texts), len(hashes), ", ".join(info["pages"]) or "none")
