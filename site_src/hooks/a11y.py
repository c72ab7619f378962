"""MkDocs hook: accessible names Material's templates leave out (audited by tests/test_a11y.py).

Material's search is `<div class="md-search" … role="dialog">` with no name: a screen reader
announces "dialog" and nothing else (axe-core aria-dialog-name). Each page, and the 404 page,
gets `aria-label="搜索"` on it. A page with a search whose markup no longer matches fails the
build, so a Material upgrade cannot drop the name silently.
"""
from __future__ import annotations

from mkdocs.exceptions import PluginError

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_NAME = "搜索"  # Material's zh lang.t("search")


def name_search_dialog(output: str, where: str) -> str:
    if 'data-md-component="search"' not in output:
        return output
    if SEARCH_DIALOG not in output:
        raise PluginError(f"a11y: {where}: Material's search dialog markup changed; "
                          f"update SEARCH_DIALOG in site_src/hooks/a11y.py")
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{SEARCH_NAME}">', 1)


def on_post_page(output, page, config, **kwargs):
    return name_search_dialog(output, page.file.src_uri)


def on_post_template(output_content, template_name, config, **kwargs):
    if template_name != "404.html":
        return output_content
    return name_search_dialog(output_content, template_name)
