"""The built site: strict build, citations, generated reference pages, Chinese search,
no third-party requests.

The site is built once per session as `make build` does it: `python -m
site_src.generate` writes the generated pages and data, then `mkdocs build
--strict` (the venv's mkdocs, via this interpreter) renders into a temporary
directory. Nothing is skipped:
a missing tool, bundle or page makes the tests fail with a message saying what
to run (usually `make build`, which compiles the bundle and the checker assets).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "http://127.0.0.1:8765/"  # the origin the test build is made for
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param", "keygen", "command"}
CHANGES_REGION = "qinghai"


# --- building ---------------------------------------------------------------------------


@dataclass
class Build:
    dest: Path
    returncode: int
    output: str
    seconds: float


@pytest.fixture(scope="session")
def build(tmp_path_factory) -> Build:
    dest = tmp_path_factory.mktemp("site") / "site"
    env = {**os.environ, "SITE_URL": SITE_URL, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("RULESET_BUNDLE", None)  # the bundle of the installed package, as in `make build`
    start = time.monotonic()
    gen = subprocess.run([sys.executable, "-m", "site_src.generate"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300)
    if gen.returncode != 0:
        return Build(dest, gen.returncode, gen.stdout + gen.stderr, time.monotonic() - start)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    return Build(dest, proc.returncode, gen.stderr + proc.stdout + proc.stderr, time.monotonic() - start)


@pytest.fixture(scope="session")
def site(build) -> Path:
    if build.returncode != 0:
        pytest.fail(f"`python -m site_src.generate` or `mkdocs build --strict` failed (exit {build.returncode}); run `make build` for the "
                    f"assets and the bundle first. Output:\n{build.output[-6000:]}", pytrace=False)
    return build.dest


@pytest.fixture(scope="session")
def bundle() -> dict:
    path = Path(str(resources.files("ruleset") / "data" / "bundle.json"))
    if not path.is_file():
        pytest.fail(f"rule bundle missing at {path}: run `make bundle` (python -m ruleset.compile)", pytrace=False)
    return json.loads(path.read_text(encoding="utf-8"))


def page_path(site: Path, url_dir: str) -> Path:
    path = site / url_dir.strip("/") / "index.html"
    if not path.is_file():
        pytest.fail(f"built page missing: {path.relative_to(site)}", pytrace=False)
    return path


# --- a small DOM over html.parser -----------------------------------------------------------


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v or "") for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, {k: (v or "") for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        node = self.cur
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


_trees: dict[Path, Node] = {}


def tree(path: Path) -> Node:
    if path not in _trees:
        parser = _TreeBuilder()
        parser.feed(path.read_text(encoding="utf-8"))
        parser.close()
        _trees[path] = parser.root
    return _trees[path]


def ids(path: Path) -> set[str]:
    return {n.attrs["id"] for n in tree(path).iter() if n.attrs.get("id")}


def by_id(path: Path, ident: str) -> Node | None:
    return next((n for n in tree(path).iter() if n.attrs.get("id") == ident), None)


# --- the contract of the generated pages (site_src/generate/model.py) ------------------------


def fmt_num(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def numbers_of(value) -> list:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [value]
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers_of(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers_of(v)]
    return []


def region_rules(bundle: dict, region: str) -> list[dict]:
    return [r for r in bundle["rules"] if r.get("region") == region]


def section_id(rule: dict, rules: list[dict]) -> str:
    base = "rule-" + rule["id"].replace(".", "-")
    if sum(1 for r in rules if r["id"] == rule["id"]) > 1:
        return f"{base}-{rule['in_force']['from']}"
    return base


# --- (a) the strict build ---------------------------------------------------------------------


def test_strict_build_passes(build):
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.output[-6000:]}"
    pages = sorted(build.dest.rglob("*.html"))
    assert (build.dest / "index.html").is_file()
    print(f"\nsite built in {build.seconds:.1f} s, {len(pages)} HTML files")


def test_every_expected_page_is_built(site, bundle):
    expected = ["", "checker/", f"changes/{CHANGES_REGION}/", "case-format/"]
    expected += [f"reference/{region}/" for region in bundle["regions"]]
    expected += [f"policies/{pid}/" for pid in bundle["policies"]]
    for url in expected:
        page_path(site, url)


# --- (b) citations resolve to clause anchors ---------------------------------------------------


def test_every_citation_resolves_to_an_anchor(site, bundle):
    assert bundle["rules"], "the bundle has no rules"
    missing = []
    for rule in bundle["rules"]:
        policy, sep, anchor = rule["cite"].partition("#")
        assert sep and anchor, f"{rule['id']}: malformed cite {rule['cite']!r}"
        assert policy in bundle["policies"], f"{rule['id']}: cites unknown policy {policy!r}"
        assert rule["source"] == f"policies/{policy}/#{anchor}", f"{rule['id']}: source {rule['source']!r}"
        path = site / "policies" / policy / "index.html"
        if not path.is_file():
            missing.append(f"{rule['id']}: page policies/{policy}/ not built (docs/policies/{policy}.md missing?)")
        elif anchor not in ids(path):
            missing.append(f"{rule['id']}: no id={anchor!r} on policies/{policy}/")
    assert not missing, "unresolved citations:\n" + "\n".join(missing)


def test_generated_pages_link_to_existing_anchors(site, bundle):
    """Every relative link with a fragment on the generated pages lands on an existing id."""
    pages = [f"reference/{r}/" for r in bundle["regions"]] + [f"changes/{CHANGES_REGION}/"]
    broken = []
    checked = 0
    for url in pages:
        path = page_path(site, url)
        for node in tree(path).iter():
            href = node.attrs.get("href") if node.tag == "a" else None
            if not href or href.startswith(("http:", "https:", "mailto:")) or "#" not in href:
                continue
            target, _, frag = href.partition("#")
            if not frag:
                continue
            dest = (path.parent / target / "index.html").resolve() if target else path
            if target.endswith(".html"):
                dest = (path.parent / target).resolve()
            if not dest.is_file():
                broken.append(f"{url}: {href} (no page)")
            elif frag not in ids(dest):
                broken.append(f"{url}: {href} (no such id)")
            checked += 1
    assert checked > 0
    assert not broken, "broken links:\n" + "\n".join(broken)


# --- (c) the generated reference tables show the rule data's numbers ------------------------------


def test_reference_sections_show_exactly_the_rule_numbers(site, bundle):
    problems = []
    checked = 0
    for region in bundle["regions"]:
        rules = region_rules(bundle, region)
        path = page_path(site, f"reference/{region}/")
        for rule in rules:
            ident = section_id(rule, rules)
            node = by_id(path, ident)
            if node is None:
                problems.append(f"{region}: no section id={ident!r} for rule {rule['id']}")
                continue
            shown = Counter(n.text().strip() for n in node.iter() if "ref-num" in n.classes())
            want = Counter(fmt_num(n) for n in numbers_of(rule.get("params")) + numbers_of(rule.get("cap")))
            if shown != want:
                problems.append(f"{region}: {ident}: shown {sorted(shown.elements())} != rule data "
                                f"{sorted(want.elements())}")
            text = node.text()
            if rule["text"].split()[0][:20] not in text:
                problems.append(f"{region}: {ident}: clause text not quoted")
            policy, _, anchor = rule["cite"].partition("#")
            links = [n.attrs.get("href", "") for n in node.iter() if n.tag == "a"]
            if f"../../policies/{policy}/#{anchor}" not in links:
                problems.append(f"{region}: {ident}: no link ../../policies/{policy}/#{anchor} (has {links})")
            if rule.get("notes") and "本站解读" not in text:
                problems.append(f"{region}: {ident}: notes not shown as 本站解读")
            checked += 1
    assert checked == len(bundle["rules"]), f"checked {checked} of {len(bundle['rules'])} rules"
    assert not problems, "\n".join(problems)


def _declaration(rule: dict):
    from ruleset.methods import SPECS
    from ruleset.rule_types import RULE_TYPES

    return RULE_TYPES[rule["type"]].spec if "type" in rule else SPECS[rule["method"]]


def test_reference_params_are_named_by_their_declarations(site, bundle):
    """The rows of a rule's parameter table are the meanings its method or rule type declares, in order:
    the page has no description of its own."""
    checked = 0
    for region in bundle["regions"]:
        rules = region_rules(bundle, region)
        path = page_path(site, f"reference/{region}/")
        for rule in rules:
            if not rule.get("params"):
                continue
            spec = _declaration(rule)
            table = next(n for n in by_id(path, section_id(rule, rules)).iter() if "ref-params" in n.classes())
            body = next(n for n in table.children if isinstance(n, Node) and n.tag == "tbody")
            heads = [next(c for c in tr.children if isinstance(c, Node) and c.tag == "th").text()
                     for tr in body.children if isinstance(tr, Node) and tr.tag == "tr"]
            want = [spec.param(name).meaning for name in rule["params"] if "labels" not in spec.param(name).types]
            assert heads == want, f"{region}: {rule['id']}: {heads} != {want}"
            checked += 1
    assert checked > 100


def test_reference_lists_every_reading(site, bundle):
    """Each region's page lists its readings: the question, every option with the default marked, the
    clause, a link to every rule an alternative changes; each rule a reading concerns links back."""
    readings = bundle["readings"]
    assert readings
    for rid, reading in readings.items():
        region = reading["region"]
        rules = region_rules(bundle, region)
        path = page_path(site, f"reference/{region}/")
        anchor = "reading-" + rid.replace(".", "-")
        node = by_id(path, anchor)
        assert node is not None, f"{rid}: no section id={anchor!r} on reference/{region}/"
        text = " ".join(node.text().split())
        assert reading["question"] in text, rid
        for name, option in reading["options"].items():
            assert option["label"] in text and name in text, (rid, name)
        assert f"{reading['options'][reading['default']]['label']}（默认）" in text, rid
        links = {n.attrs.get("href", "") for n in node.iter() if n.tag == "a"}
        policy, _, clause = reading["cite"].partition("#")
        assert f"../../policies/{policy}/#{clause}" in links, rid
        changed = {f"#{section_id(r, rules)}" for r in rules if r["id"] in reading["rules"]}
        assert links & changed, f"{rid}: links to none of the rules it changes"
        for rule in rules:
            if rule["id"] in reading["rules"]:
                section = by_id(path, section_id(rule, rules))
                assert f"#{anchor}" in {n.attrs.get("href") for n in section.iter() if n.tag == "a"}, (rid, rule["id"])


def test_reference_lists_unrecognised_kinds(site, bundle):
    kinds = bundle["case"]["kinds"]
    for region in bundle["regions"]:
        rules = region_rules(bundle, region)
        if not rules:
            continue
        have = {r["kind"] for r in rules if "kind" in r}
        table = next((n for n in tree(page_path(site, f"reference/{region}/")).iter()
                      if "ref-unrecognised" in n.classes()), None)
        assert table is not None, f"reference/{region}/ has no table of kinds not recognised"
        rows = {th.text().strip() for th in table.iter() if th.tag == "th"}
        for kind, spec in kinds.items():
            label = spec.get("label") or kind
            if kind in have:
                assert label not in rows, f"{region}: {kind} has rules but is listed as 未规定"
            else:
                assert label in rows, f"{region}: {kind} ({label}) has no rule but is not listed as 未规定"
        assert "未规定" in table.text()


def test_changes_page_is_computed_from_years_in_force(site, bundle):
    rules = region_rules(bundle, CHANGES_REGION)
    path = page_path(site, f"changes/{CHANGES_REGION}/")
    first = min(r["in_force"]["from"] for r in rules)
    page_ids = ids(path)
    text = tree(path).text()
    links = {n.attrs.get("href", "") for n in tree(path).iter() if n.tag == "a"}
    for year in {r["in_force"]["from"] for r in rules} | {r["in_force"]["until"] + 1 for r in rules
                                                          if "until" in r["in_force"]}:
        assert f"y{year}" in page_ids, f"changes page has no section for {year}"
    for rule in rules:
        ref = f"../../reference/{CHANGES_REGION}/#{section_id(rule, rules)}"
        assert ref in links, f"changes page does not mention {rule['id']} ({ref})"
    if any("until" in r["in_force"] for r in rules):
        assert "停止适用" in text or "调整" in text
    assert f"{first} 年施行的规定" in text


# --- (d) Chinese search ----------------------------------------------------------------------------


SEARCH_CASES = [
    ("专业科目", "policies/qinghai-2019-365/"),
    ("论文", "policies/qinghai-2024-192/"),
    ("驻村", "policies/qinghai-2024-192/"),
    ("驻村", f"reference/{CHANGES_REGION}/"),
    ("专利", "policies/qinghai-2024-192/"),
    ("滚动管理", "policies/qingdao-2023-14/"),
]


@pytest.fixture(scope="session")
def search_index(site) -> dict:
    path = site / "search" / "search_index.json"
    if not path.is_file():
        pytest.fail("search/search_index.json not built", pytrace=False)
    return json.loads(path.read_text(encoding="utf-8"))


def test_search_index_is_segmented_chinese(search_index):
    config = search_index["config"]
    assert "zh" in config["lang"]
    assert "\\u200b" in config["separator"] or "\u200b" in config["separator"]
    assert "trimmer" not in config["pipeline"] and "stopWordFilter" not in config["pipeline"], \
        "a trimmer/stop-word filter would drop Chinese tokens"
    joined = "".join(d["text"] for d in search_index["docs"][:50])
    assert "\u200b" in joined, "the index text is not segmented (is jieba installed?)"


@pytest.mark.parametrize("term,page", SEARCH_CASES)
def test_search_finds_term_as_token(search_index, term, page):
    sep = re.compile(search_index["config"]["separator"])
    entries = [d for d in search_index["docs"] if d["location"].startswith(page)]
    assert entries, f"no search entries for {page}"
    hits = [d["location"] for d in entries
            if term in sep.split(d["text"]) or term in sep.split(d["title"])]
    assert hits, (f"{term!r} is not a separate token in the index of {page}; "
                  f"segmented text: {[t for d in entries for t in sep.split(d['text']) if term[0] in t][:20]}")


# --- (e) no request leaves the site's origin -------------------------------------------------------

_URL_ATTRS = ("src", "href", "srcset", "poster", "data", "action", "formaction", "background")
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])\s*((?:https?:)?//[^"')\s]+)""", re.I)
_JS_URL = re.compile(r"""\b(?:src|href)\s*[=:]\s*["'`]((?:https?:)?//[^"'`]+)""", re.I)


def _foreign(url: str) -> bool:
    url = url.strip()
    if url.startswith("//"):
        return True
    if not re.match(r"https?://", url, re.I):
        return False
    own = urlsplit(SITE_URL)
    parts = urlsplit(url)
    return (parts.scheme, parts.netloc) != (own.scheme, own.netloc)


def test_no_third_party_urls(site):
    found = []
    html_files = sorted(site.rglob("*.html"))
    assert html_files
    for path in html_files:
        rel = path.relative_to(site)
        for node in tree(path).iter():
            for attr in _URL_ATTRS:
                value = node.attrs.get(attr)
                if not value:
                    continue
                urls = [v.strip().split(" ")[0] for v in value.split(",")] if attr == "srcset" else [value]
                found += [f"{rel}: <{node.tag} {attr}={u}>" for u in urls if _foreign(u)]
            if node.tag == "meta" and node.attrs.get("http-equiv", "").lower() == "refresh":
                found.append(f"{rel}: meta refresh")
            if "mermaid" in node.classes():
                found.append(f"{rel}: a mermaid diagram (Material loads mermaid from a CDN)")
        style = path.read_text(encoding="utf-8")
        found += [f"{rel}: css url {m}" for m in _CSS_URL.findall(style) if _foreign(m)]
    for path in sorted(site.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(site)}: {m}" for m in _CSS_URL.findall(text) if _foreign(m)]
    for path in sorted(list(site.rglob("*.js")) + list(site.rglob("*.mjs"))):
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(site)}: {m}" for m in _JS_URL.findall(text) if _foreign(m)]
    assert not found, "third-party URLs:\n" + "\n".join(found)


def test_site_scripts_are_external_and_use_document_observable(site):
    """The site's own scripts are files (no inline module scripts) and hook into document$."""
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/js/site.js' in index
    assert 'href="assets/css/site.css' in index
    for path in sorted(site.rglob("*.html")):
        for node in tree(path).iter():
            if node.tag == "script" and node.attrs.get("type") == "module" and not node.attrs.get("src"):
                pytest.fail(f"{path.relative_to(site)}: inline module script")
    js = (site / "assets" / "js" / "site.js").read_text(encoding="utf-8")
    assert "document$" in js
    config = json.loads(next(n for n in tree(site / "index.html").iter()
                             if n.attrs.get("id") == "__config").text())
    assert "navigation.instant" in config["features"]


def test_index_regions_table_is_generated(site, bundle):
    index = site / "index.html"
    text = tree(index).text()
    assert "<!-- regions-table -->" not in index.read_text(encoding="utf-8")
    for region, spec in bundle["regions"].items():
        assert spec["name"] in text, f"index lacks region {spec['name']}"
        for pid in spec["policies"]:
            assert bundle["policies"][pid]["doc_number"] in text
    assert "本站结果仅供参考，以官方文件和审核部门认定为准" in text


def test_worker_is_served_bundled_with_the_runtime(site):
    """The worker script carries pyodide.mjs (one fetch fewer before the runtime downloads) and still parses."""
    worker = (site / "assets/js/checker-worker.js").read_text(encoding="utf-8")
    info = json.loads((ROOT / "site_src/generated/checker/build.json").read_text(encoding="utf-8"))
    runtime = (ROOT / "site_src/generated/pyodide" / info["pyodide_version"] / "pyodide.mjs").read_text(encoding="utf-8")
    assert worker.startswith(runtime[:200])
    assert "const bundledLoadPyodide = " in worker
    assert "export{" not in worker.replace(" ", "")
    proc = subprocess.run(["node", "--input-type=module", "--check"], input=worker, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_worker_bundle_refuses_a_runtime_it_cannot_inline():
    sys.path.insert(0, str(ROOT / "site_src" / "hooks"))
    try:
        from checker import worker_bundle  # noqa: PLC0415
    finally:
        sys.path.pop(0)
    from mkdocs.exceptions import PluginError

    ok = worker_bundle("self.x = 1;", "var a=1;function b(){}export{b as loadPyodide,a as version};\n")
    assert "const bundledLoadPyodide = b;" in ok and ok.endswith("{\nself.x = 1;\n}\n")
    for bad in ("var a=1;export{a as version};", 'import x from "./y.mjs";export{x as loadPyodide};', "var a=1;"):
        with pytest.raises(PluginError):
            worker_bundle("", bad)


def test_checker_page_starts_its_worker_from_head(site):
    """Only pages with the checker carry the inline boot script, before any external script, allowed by its hash."""
    import base64
    import hashlib

    page = (site / "checker/index.html").read_text(encoding="utf-8")
    head = page.split("</head>")[0]
    m = re.search(r'<script data-worker="([^"]+)" data-root="([^"]+)" data-store="([^"]+)" data-form-drawn="([^"]+)">'
                  r'(.*?)</script>', head, re.S)
    assert m, "no inline boot script in the checker page's <head>"
    assert m.group(1).startswith("../assets/js/checker-worker.js?v=") and m.group(2) == "../"
    checker_js = (site / "assets/js/checker.js").read_text(encoding="utf-8")
    # The bundle (esbuild) declares the module's top-level constants with `var`.
    assert re.search(rf'^(?:const|var) STORE_KEY = "{re.escape(m.group(3))}";', checker_js, re.M)
    assert head.index(m.group(0)) < head.index('<link rel="modulepreload" href="../assets/js/checker.js?v=')
    # The module runs as soon as the checker's container is parsed (it mounts the form at once, from
    # the form's data the page carries right before it: the files of the build info, as JSON text).
    after = re.search(r'<div id="ce-checker"[^>]*>.*?</div>\s*<template id="ce-checker-data">(.*?)</template>\s*'
                      r'<script type="module" async src="([^"]+)"></script>', page, re.S)
    assert after and after.group(2).startswith("../assets/js/checker.js?v=")
    import html as html_module

    data = json.loads(html_module.unescape(after.group(1)))
    build = json.loads(html_module.unescape(re.search(r'<meta name="ce-checker" content="([^"]+)"', page).group(1)))
    for key in ("schema", "metadata"):
        assert data[f"{key}_url"] == build[f"{key}_url"]
        served = site / build[f"{key}_url"].split("?")[0]
        assert data[key] == json.loads(served.read_text(encoding="utf-8")), key
    assert head.index('<meta name="ce-checker"') < head.index(m.group(0))
    digest = base64.b64encode(hashlib.sha256(m.group(5).encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert f"'sha256-{digest}'" in csp
    for other in ("index.html", "policies/qinghai-2024-192/index.html"):
        assert "data-worker=" not in (site / other).read_text(encoding="utf-8")


def test_search_index_is_written_as_utf8(site):
    raw = (site / "search/search_index.json").read_bytes()
    assert b"\\u4e13" not in raw and "专业科目".encode() in raw.replace("\u200b".encode(), b"")
    json.loads(raw.decode("utf-8"))


# --- (f) the page language --------------------------------------------------------------------------


def test_every_page_declares_simplified_chinese(site):
    """lang="zh-CN", not "zh": with "zh" some browsers pick Japanese or Traditional glyph variants."""
    pages = sorted(site.rglob("*.html"))
    wrong = []
    for path in pages:
        html_tag = next((n for n in tree(path).iter() if n.tag == "html"), None)
        if html_tag is None or html_tag.attrs.get("lang") != "zh-CN":
            wrong.append(f"{path.relative_to(site)}: lang={html_tag.attrs.get('lang') if html_tag else None!r}")
    assert len(pages) > 10
    assert not wrong, "pages not declared zh-CN:\n" + "\n".join(wrong)


# --- (g) generated before the site generator runs ------------------------------------------------------


def _generate_module():
    sys.path.insert(0, str(ROOT))
    try:
        from site_src.generate import write  # noqa: PLC0415
    finally:
        sys.path.pop(0)
    return write


def test_no_hook_generates_pages():
    """The generated pages are Markdown files on disk; no MkDocs hook adds pages."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    assert "site_src/hooks/pages.py" not in config["hooks"]
    for hook in config["hooks"]:
        text = (ROOT / hook).read_text(encoding="utf-8")
        assert not re.search(r"File\.generated\([^)]*content=", text), f"{hook} generates a page"
        assert not re.search(r"def on_(page_markdown|nav|page_content)\b", text), f"{hook} rewrites pages"


def test_generated_files_are_current(build):
    """What is on disk after the build is what the generator makes from the current sources."""
    write = _generate_module()
    files = write.outputs(ROOT)
    assert "docs/case-format.md" in files and "docs/schema/case.schema.json" in files
    stale = [rel for rel, text in files.items() if (ROOT / rel).read_text(encoding="utf-8") != text]
    assert not stale, stale


def test_generator_removes_pages_of_regions_that_are_gone(tmp_path):
    import shutil

    write = _generate_module()
    shutil.copytree(ROOT / "site_src" / "templates", tmp_path / "site_src" / "templates")
    (tmp_path / "docs" / "reference").mkdir(parents=True)
    (tmp_path / "docs" / "reference" / "gone.md").write_text("# 旧地区\n", encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text("# 首页\n", encoding="utf-8")
    report = write.generate(tmp_path)
    assert report["removed"] == 1 and not (tmp_path / "docs" / "reference" / "gone.md").exists()
    assert (tmp_path / "docs" / "index.md").is_file(), "a hand-written page was removed"
    assert all((tmp_path / rel).is_file() for rel in report["files"])
    again = write.generate(tmp_path)
    assert again["written"] == 0 and again["unchanged"] == len(report["files"])


def test_checker_data_is_the_api_output(build):
    from ruleset import api

    for name, text in (("schema.json", api.schema_json()), ("metadata.json", api.metadata_json())):
        served = (ROOT / "site_src/generated/checker" / name).read_text(encoding="utf-8")
        assert json.loads(served) == json.loads(text), f"{name} differs from ruleset.api"


# --- (h) the case format page (案例格式) -----------------------------------------------------------------


def _cells(row: Node) -> list[str]:
    return [c.text().strip() for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]


def _table_after(path: Path, heading_id: str) -> Node | None:
    """The first table after the heading with this id, before the next heading."""
    nodes = list(tree(path).iter())
    start = next(i for i, n in enumerate(nodes) if n.attrs.get("id") == heading_id)
    for n in nodes[start + 1:]:
        if n.tag in ("h2", "h3"):
            return None
        if n.tag == "table":
            return n
    return None


def _rows(table: Node) -> dict[str, list[str]]:
    """Rows by the field name (the first <code> of the first cell); the first cell is its label."""
    body = next(n for n in table.iter() if n.tag == "tbody")
    out = {}
    for row in (r for r in body.iter() if r.tag == "tr"):
        first = next(c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th"))
        name = next(n for n in first.iter() if n.tag == "code").text().strip()
        cells = _cells(row)
        out[name] = [cells[0].removeprefix(name).strip(), *cells[1:]]
    return out


def test_case_format_page_lists_every_kind_and_field(site, bundle):
    from ruleset.schema import case_schema

    path = page_path(site, "case-format/")
    schema = case_schema()
    case = bundle["case"]
    checked = 0
    for kind, spec in case["kinds"].items():
        anchor = "kind-" + kind.replace("_", "-")
        heading = by_id(path, anchor)
        assert heading is not None, f"no section for kind {kind}"
        assert spec["label"] in heading.text(), f"{kind}: label {spec['label']} not in the heading"
        fields = schema["x-kinds"][kind]["fields"]
        table = _table_after(path, anchor)
        if not fields:
            assert table is None, f"{kind} has no own fields but shows a table"
            continue
        rows = _rows(table)
        assert list(rows) == fields, f"{kind}: rows {list(rows)} != fields {fields}"
        for name in fields:
            prop = schema["x-kinds"][kind]["properties"][name]
            label, type_, values, required, _help = rows[name]
            assert label == prop.get("title", ""), f"{kind}.{name}: label {label!r}"
            type_, _, unit = type_.partition("单位：")
            assert unit == prop.get("x-unit", ""), f"{kind}.{name}: unit {unit!r}"
            assert required == "选填"
            enum = prop.get("enum") or (prop.get("items") or {}).get("enum") or []
            for value in enum:
                if value is None:
                    assert "null" in values
                    continue
                key = json.dumps(value) if isinstance(value, bool) else str(value)
                shown = f"{json.dumps(value, ensure_ascii=False)} {prop['x-enum-labels'][key]}"
                assert shown in values, f"{kind}.{name}: {shown} not among {values!r}"
            if "minimum" in prop and "maximum" in prop:
                assert f"{prop['minimum']}–{prop['maximum']}".replace(".0–", "–") in values.replace(".0–", "–")
            if not enum:
                assert type_ in ("整数", "数字", "是/否（true 或 false）", "文字"), f"{kind}.{name}: type {type_!r}"
            checked += 1
    assert checked > 30
    common = _rows(_table_after(path, "activity"))
    assert common["kind"][3] == "必填" and common["year"][3] == "必填" and common["title"][3] == "选填"
    structure = _rows(_table_after(path, "structure"))
    assert structure["region"][3] == "必填" and structure["profile"][3] == "选填"
    profile = _rows(_table_after(path, "profile"))
    assert list(profile) == list(case["profile"])
    text = tree(path).text()
    for region, spec in bundle["regions"].items():
        assert f'"{region}" {spec["name"]}' in text


def test_case_schema_is_published_as_the_cli_prints_it(site):
    path = page_path(site, "case-format/")
    links = [n.attrs["href"] for n in tree(path).iter() if n.tag == "a" and "case.schema.json" in n.attrs.get("href", "")]
    assert links, "the case format page does not link the JSON Schema file"
    published = (path.parent / links[0]).resolve()
    assert published.is_file(), f"{links[0]} is not in the built site"
    proc = subprocess.run([sys.executable, "-m", "ruleset", "schema"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0
    assert published.read_text(encoding="utf-8") == proc.stdout


def test_result_schema_is_published_once_it_exists(monkeypatch):
    """The marked spot: ruleset.schema.result_schema(), when it exists, becomes a file and a page section."""
    import ruleset.schema

    write = _generate_module()
    result = {"title": "核算结果", "description": "一个案例的核算结果。", "type": "object", "required": ["years"],
              "properties": {"years": {"type": "array", "title": "各年度", "description": "逐年的学时。"}}}
    monkeypatch.setattr(ruleset.schema, "result_schema", lambda: result, raising=False)
    files = write.outputs(ROOT)
    assert json.loads(files["docs/schema/result.schema.json"]) == result
    page = files["docs/case-format.md"]
    assert "## 核算结果的格式 {#result}" in page and "(schema/result.schema.json)" in page
    assert "| `years` | 各年度 | 列表 | 是 | 逐年的学时。 |" in page
