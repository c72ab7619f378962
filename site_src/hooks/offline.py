"""MkDocs hook: the site works offline and installs as an app (service worker, web app manifest).

- on_files: serves the app icons (site_src/assets/icons/*.png, made by tools/make_icons.py) at
  assets/icons/.
- on_post_page: links the manifest, the theme colour and the touch icon from every page's <head>
  (relative URLs, so a sub-path site_url works).
- on_post_build (listed last in mkdocs.yml: after the checker's CSP and the search index are
  final): writes manifest.webmanifest and sw.js at the site root. sw.js is site_src/js/sw.js with
  the build's precache list in front: every file the site needs, with its sha256, and the
  version = the sha256 of that list (the cache name). Left out: source maps, sitemap.xml.gz, the
  search language files the configured languages do not load, and the stock python_stdlib.zip
  (the checker loads its own trimmed one; only the bench's bare page uses the stock file).
  site_src/assets/js/site.js registers sw.js and shows "已更新" when a new version took over.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.offline")

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "site_src" / "assets" / "icons"
SW_SOURCE = ROOT / "site_src" / "js" / "sw.js"
BUILD_INFO = ROOT / "site_src" / "generated" / "checker" / "build.json"
SW_NAME = "sw.js"
MANIFEST_NAME = "manifest.webmanifest"
SHORT_NAME = "学时核算"
THEME_COLOR = "#00796b"  # the header colour: the palette's teal as site.css darkens it (--md-primary-fg-color)
BACKGROUND = "#ffffff"
# (file, sizes, purpose) under assets/icons/
ICON_FILES = (("icon-192.png", "192x192", "any"), ("icon-512.png", "512x512", "any"),
              ("icon-maskable-512.png", "512x512", "maskable"))
TOUCH_ICON = "icon-192.png"


def on_files(files: Files, config, **kwargs):
    for name, _, _ in ICON_FILES:
        path = ICONS / name
        uri = f"assets/icons/{name}"
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def _root_prefix(page, config) -> str:
    """The site root as seen from the page, relative."""
    rel = get_relative_url(".", page.url)
    return "" if rel in (".", "./") else rel.rstrip("/") + "/"


def head_links(prefix: str) -> str:
    return (f'<link rel="manifest" href="{prefix}{MANIFEST_NAME}">\n'
            f'    <meta name="theme-color" content="{THEME_COLOR}">\n'
            f'    <link rel="apple-touch-icon" href="{prefix}assets/icons/{TOUCH_ICON}">')


def on_post_page(output, page, config, **kwargs):
    if 'rel="manifest"' in output:
        return output
    i = output.find("</head>")
    if i == -1:
        return output
    return output[:i] + "  " + head_links(_root_prefix(page, config)) + "\n  " + output[i:]


def on_post_template(output_content, template_name, config, **kwargs):
    """The 404 page (a theme template, not a page): the same links, from the site's root path."""
    if template_name != "404.html" or 'rel="manifest"' in output_content:
        return output_content
    i = output_content.find("</head>")
    if i == -1:
        return output_content
    prefix = urlsplit(config.site_url or "/").path or "/"
    return output_content[:i] + "  " + head_links(prefix) + "\n  " + output_content[i:]


def manifest(config) -> dict:
    """The web app manifest; URLs relative to the manifest, which sits at the site root."""
    return {
        "name": config.site_name,
        "short_name": SHORT_NAME,
        "description": config.site_description or "",
        "lang": "zh-CN",
        "dir": "ltr",
        "id": "./",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": THEME_COLOR,
        "icons": [{"src": f"assets/icons/{name}", "sizes": sizes, "type": "image/png", "purpose": purpose}
                  for name, sizes, purpose in ICON_FILES],
    }


def _search_files(config) -> set[str]:
    """The search worker's language files the configured languages load (Material's search worker)."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    langs = list(getattr(plugin, "config", {}).get("lang") or ["en"]) if plugin else ["en"]
    keep = {"min/lunr.stemmer.support.min.js"}
    keep |= {f"min/lunr.{lang}.min.js" for lang in langs if lang != "en"}
    if len(langs) > 1:
        keep.add("min/lunr.multi.min.js")
    if "ja" in langs:
        keep.add("tinyseg.js")
    if {"hi", "th"} & set(langs):
        keep.add("wordcut.js")
    return {"assets/javascripts/lunr/" + k for k in keep}


def precache_paths(site: Path, config) -> list[str]:
    """Paths (from the site root, '/'-separated) the service worker stores; pages as their directory."""
    search = _search_files(config)
    info = json.loads(BUILD_INFO.read_text(encoding="utf-8")) if BUILD_INFO.is_file() else {}
    stock_stdlib = f"{info['index_url']}python_stdlib.zip" if info.get("stdlib_url") else None
    out = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if (rel.endswith(".map") or rel == "sitemap.xml.gz" or rel in (SW_NAME, stock_stdlib)
                or (rel.startswith("assets/javascripts/lunr/") and rel not in search)):
            continue
        out.append(rel)
    return out


def _cache_key(rel: str) -> str:
    """A page's key is its directory URL ('checker/index.html' -> 'checker/', 'index.html' -> '')."""
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def precache_list(site: Path, config) -> dict:
    files = [[_cache_key(rel), hashlib.sha256((site / rel).read_bytes()).hexdigest()]
             for rel in precache_paths(site, config)]
    version = hashlib.sha256(json.dumps(files, separators=(",", ":")).encode()).hexdigest()[:16]
    return {"version": version, "files": files}


def on_post_build(config, **kwargs):
    site = Path(config.site_dir)
    (site / MANIFEST_NAME).write_text(json.dumps(manifest(config), ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    listing = precache_list(site, config)
    head = ("// Generated by site_src/hooks/offline.py: this build's files and their sha256.\n"
            f"self.__CE_PRECACHE = {json.dumps(listing, separators=(',', ':'))};\n")
    (site / SW_NAME).write_text(head + SW_SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    size = sum((site / (k + "index.html" if k.endswith("/") or k == "" else k)).stat().st_size
               for k, _ in listing["files"])
    log.info("offline: sw.js version %s precaches %d files (%.1f MB)", listing["version"],
             len(listing["files"]), size / 1e6)

