"""MkDocs hook: rewrites Material's search/search_index.json as UTF-8 instead of \\u escapes.

The index is mostly Chinese, so escaped it is nearly twice the size (800 KB against
430 KB here), and every page downloads and parses it when its search starts. The
content is unchanged. Runs after the search plugin (hooks run after plugins).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.search_index")


def on_post_build(config, **kwargs):
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    raw = path.read_bytes()
    text = json.dumps(json.loads(raw), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    log.info("search index: %d -> %d bytes (UTF-8, no \\u escapes)", len(raw), len(text.encode()))
