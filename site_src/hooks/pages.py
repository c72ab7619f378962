"""MkDocs hook: pages generated from the rule bundle, and the site's own assets.

- on_config: loads ruleset/data/bundle.json (from the installed `ruleset`
  package; RULESET_BUNDLE=<path> overrides it for development), makes the jieba
  user dictionary path absolute, and fills the 规则参考 nav section with one page
  per region of the bundle.
- on_files: adds the virtual pages reference/<region>.md (one per region) and
  changes/qinghai.md, rendered from the Jinja2 templates in site_src/templates/,
  and serves site_src/assets/{css/site.css,js/site.js}.
- on_page_markdown: replaces `<!-- regions-table -->` in docs/index.md with the
  table of regions, notices and years covered.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

sys.path.insert(0, os.path.dirname(__file__))
import _pages_model as _model  # noqa: E402

sys.path.pop(0)

log = logging.getLogger("mkdocs.hooks.pages")

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "site_src" / "templates"
ASSETS = ROOT / "site_src" / "assets"
OWN_ASSETS = ("css/site.css", "js/site.js")
CHANGES_REGION = "qinghai"
REGIONS_MARK = "<!-- regions-table -->"
NAV_REFERENCE = "规则参考"

_state: dict = {}


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      autoescape=False,
                      # Markdown's attr_list writes {#id}: Jinja comments are {## … ##}.
                      comment_start_string="{##", comment_end_string="##}")
    env.filters["md"] = _model.md_escape
    return env


@event_priority(100)  # before the search plugin reads jieba_dict_user
def on_config(config, **kwargs):
    try:
        path = _model.bundle_path()
    except ModuleNotFoundError as exc:
        raise PluginError("pages: the `ruleset` package is not installed in this Python; "
                          "run `make venv` (pip install -e '.[dev]')") from exc
    if not path.is_file():
        raise PluginError(f"pages: rule bundle not found at {path}; run `make bundle` "
                          "(python -m ruleset.compile) first")
    try:
        bundle = _model.load_bundle(path)
    except (ValueError, KeyError) as exc:
        raise PluginError(f"pages: cannot read the rule bundle {path}: {exc}") from exc
    _state.update(bundle=bundle, path=path, env=_env())

    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None and search.config.get("jieba_dict_user"):
        dict_path = Path(search.config["jieba_dict_user"])
        if not dict_path.is_absolute():
            base = Path(config.config_file_path).parent if config.config_file_path else ROOT
            search.config["jieba_dict_user"] = str((base / dict_path).resolve())

    regions = list(bundle["regions"])
    for item in config.nav or []:
        if isinstance(item, dict) and NAV_REFERENCE in item:
            item[NAV_REFERENCE] = [{_short_name(bundle, r): f"reference/{r}.md"} for r in regions]
    return config


def _short_name(bundle: dict, region: str) -> str:
    name = bundle["regions"][region]["name"]
    return "全国" if region == "national" else name


def on_files(files: Files, config, **kwargs):
    bundle = _state["bundle"]
    env = _state["env"]
    reference = env.get_template("reference.md.j2")
    for region in bundle["regions"]:
        text = reference.render(m=_model.reference_model(bundle, region))
        _add(files, File.generated(config, f"reference/{region}.md", content=text))
    if CHANGES_REGION in bundle["regions"]:
        model = _model.changes_model(bundle, CHANGES_REGION)
        text = env.get_template("changes.md.j2").render(m=model)
        _add(files, File.generated(config, f"changes/{CHANGES_REGION}.md", content=text))
    else:
        raise PluginError(f"pages: the bundle has no region {CHANGES_REGION!r} for changes/{CHANGES_REGION}.md")
    for rel in OWN_ASSETS:
        src = ASSETS / rel
        if not src.is_file():
            raise PluginError(f"pages: {src} is missing")
        _add(files, File.generated(config, f"assets/{rel}", abs_src_path=str(src)))
    return files


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def on_page_markdown(markdown: str, page, config, files, **kwargs):
    if page.file.src_uri != "index.md":
        return markdown
    if REGIONS_MARK not in markdown:
        raise PluginError(f"pages: docs/index.md lacks the {REGIONS_MARK} placeholder")
    table = _state["env"].get_template("regions_table.md.j2").render(
        regions=_model.regions_model(_state["bundle"]))
    return markdown.replace(REGIONS_MARK, table)


def on_serve(server, config, builder, **kwargs):
    server.watch(str(TEMPLATES))
    server.watch(str(Path(__file__).parent))
    if _state.get("path") is not None:
        server.watch(str(_state["path"]))
    return server
