"""MkDocs hook (after the build, over site/): a "报告错误" link on every clause of the policy pages and
every rule of the reference pages.

The link opens a new issue in the project's repository with the place prefilled (page
address, clause anchor, rule id, the rule's `checked` date). The repository's address is
not in the sources: it comes from the environment variable REPO_URL at build time (CI sets
it from GITHUB_REPOSITORY; e.g. https://github.com/owner/repo). Without it no link is
written at all, never a guessed address; a value that is not an https repository address
fails the build.

Clauses are the elements of a policy page that carry an anchor (`{: #s1-p1 }` paragraphs,
headings, the `<span id>` anchors in table cells, anchored blocks); the link goes at the end
of the clause (for a cell anchor: before the next anchor or the end of the cell). On a
reference page, each rule's line of badges (`<p class="ref-rule__meta" data-rule … >`,
written by site_src/templates/_macros.j2) gets the link.
"""
from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from urllib.parse import quote, urlencode

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "ruleset" / "data" / "bundle.json"
REPO_ENV = "REPO_URL"
_REPO_RE = re.compile(r"^https://[A-Za-z0-9.-]+(?::\d+)?/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
LINK_TITLE = "到本站的代码仓库报告这一处的错误（新建议题，需要登录）"

_ANCHORED = re.compile(r"<(?P<tag>p|h[2-6]|span|div)\b(?P<attrs>[^>]*)\sid=\"(?P<id>[^\"]+)\"[^>]*>", re.I)
_META = re.compile(r"<p class=\"ref-rule__meta\"(?P<attrs>[^>]*)>", re.I)
_ATTR = re.compile(r"\s(data-[a-z]+)=\"([^\"]*)\"")
_TAGS = re.compile(r"<[^>]+>")


def repo_url() -> str | None:
    """The repository address from REPO_URL (trailing slash and .git removed), or None when unset."""
    raw = os.environ.get(REPO_ENV, "").strip()
    if not raw:
        return None
    url = raw.rstrip("/").removesuffix(".git")
    if not _REPO_RE.match(url):
        raise PluginError(f"report: {REPO_ENV}={raw!r} is not a repository address like "
                          "https://github.com/owner/repo (unset it to build without 报告错误 links)")
    return url


def issue_url(repo: str, title: str, body: str) -> str:
    """A link that opens the repository's new-issue form with title and body filled in."""
    return f"{repo}/issues/new?" + urlencode({"title": title, "body": body}, quote_via=quote)


def link_html(href: str) -> str:
    # data-search-exclude: not part of the clause (the search index is built before this runs anyway).
    return (f'<a class="report-link" href="{html.escape(href)}" rel="noopener" data-search-exclude '
            f'title="{LINK_TITLE}">报告错误</a>')


def _excerpt(fragment: str, limit: int = 80) -> str:
    text = re.sub(r"\s+", " ", html.unescape(_TAGS.sub("", fragment))).strip().replace("¶", "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _end_of(text: str, m: re.Match) -> int:
    """Where a link for the anchored element at m goes (an offset in text)."""
    tag, start = m.group("tag").lower(), m.end()
    if tag == "p":
        return text.find("</p>", start)
    if tag.startswith("h"):
        close = text.find(f"</{tag}>", start)
        permalink = text.find('<a class="headerlink"', start, close)
        return permalink if permalink != -1 else close
    if tag == "span":  # a cell anchor: the clause runs to the next anchor or the end of its cell
        ends = [i for i in (text.find("<span id=", start), text.find("</td>", start),
                            text.find("</th>", start), text.find("</p>", start)) if i != -1]
        return min(ends) if ends else -1
    depth, pos = 1, start  # a block: before its own closing </div>
    for d in re.finditer(r"<div\b|</div>", text[start:]):
        depth += 1 if d.group(0) != "</div>" else -1
        if depth == 0:
            return start + d.start()
        pos = start + d.end()
    return -1 if depth else pos


def policy_links(text: str, page_url: str, policy: str, doc_number: str, repo: str) -> str:
    """The policy page's content with a 报告错误 link at the end of every anchored clause."""
    inserts = []
    for m in _ANCHORED.finditer(text):
        end = _end_of(text, m)
        if end == -1:
            continue
        anchor = m.group("id")
        title = f"报告错误：{doc_number} #{anchor}"
        body = (f"页面：{page_url}#{anchor}\n条款：{policy}#{anchor}（{doc_number}）\n"
                f"本站文字：{_excerpt(text[m.end():end])}\n\n"
                "问题描述（哪里与原文不符、原文如何写，最好附原文出处）：\n")
        inserts.append((end, " " + link_html(issue_url(repo, title, body))))
    for pos, snippet in sorted(inserts, key=lambda x: -x[0]):
        text = text[:pos] + snippet + text[pos:]
    return text


def rule_links(text: str, page_url: str, repo: str) -> str:
    """The reference page's content with a 报告错误 link in every rule's line of badges."""
    inserts = []
    for m in _META.finditer(text):
        attrs = dict(_ATTR.findall(m.group("attrs")))
        close = text.find("</p>", m.end())
        if not attrs.get("data-rule") or close == -1:
            continue
        section = re.findall(r"<div class=\"ref-rule\"[^>]*\sid=\"([^\"]+)\"", text[: m.start()])
        where = f"{page_url}#{section[-1]}" if section else page_url
        title = f"报告错误：规则 {attrs['data-rule']}"
        body = (f"页面：{where}\n规则：{attrs['data-rule']}\n条款：{attrs.get('data-cite', '')}\n"
                f"本站最后核对：{attrs.get('data-checked', '')}\n\n"
                "问题描述（哪里与原文不符、原文如何写，最好附原文出处）：\n")
        inserts.append((close, link_html(issue_url(repo, title, body))))
    for pos, snippet in sorted(inserts, key=lambda x: -x[0]):
        text = text[:pos] + snippet + text[pos:]
    return text


def _policies() -> dict:
    return json.loads(BUNDLE.read_text(encoding="utf-8"))["policies"]


def page_links(text: str, rel: str, site_url: str, repo: str, policies: dict) -> str:
    """A built page (its path from the site root, e.g. 'policies/x/index.html') with the links added
    inside its <article>; other pages come back unchanged."""
    start = text.find("<article")
    start = text.find(">", start) + 1 if start != -1 else -1
    end = text.rfind("</article>")
    if start <= 0 or end < start:
        return text
    page_url = site_url + rel[: -len("index.html")] if rel.endswith("index.html") else site_url + rel
    body = text[start:end]
    if rel.startswith("policies/"):
        policy = rel.split("/")[1]
        body = policy_links(body, page_url, policy, policies.get(policy, {}).get("doc_number", policy), repo)
    elif rel.startswith("reference/"):
        body = rule_links(body, page_url, repo)
    else:
        return text
    return text[:start] + body + text[end:]


def on_post_build(config, **kwargs):
    """After the build (as the checker hook's head rewrite): the pages' content is final HTML."""
    repo = repo_url()
    if repo is None:
        return
    site = Path(config.site_dir)
    policies = _policies()
    site_url = config.site_url or "/"
    for path in sorted(site.glob("policies/*/index.html")) + sorted(site.glob("reference/*/index.html")):
        rel = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8")
        new = page_links(text, rel, site_url, repo, policies)
        if new != text:
            path.write_text(new, encoding="utf-8")
