"""ARCHITECTURE.md names only paths that exist: the tree of the repository and every `path` in the text."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "ARCHITECTURE.md"
DESCRIPTION_COLUMN = 12  # a tree line indented further is the continuation of a description


def tree_paths(text: str) -> list[str]:
    """The paths of the first fenced block (the tree), each joined to the entry it is indented under."""
    block = text.split("```", 2)[1]
    out: list[str] = []
    parents: list[tuple[int, str]] = []  # (indent, directory)
    for line in block.splitlines()[1:]:
        indent = len(line) - len(line.lstrip(" "))
        if not line.strip() or indent > DESCRIPTION_COLUMN:
            continue
        column = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
        while parents and parents[-1][0] >= indent:
            parents.pop()
        base = parents[-1][1] if parents else ""
        entries = [base + item.strip() for item in column.split(", ")]
        out += entries
        last = entries[-1]
        parents.append((indent, last if last.endswith("/") else last.rsplit("/", 1)[0] + "/"))
    return out


def text_paths(text: str) -> list[str]:
    """Every `code span` of the text that starts with a file or directory at the top of the repository."""
    roots = {p.name for p in ROOT.iterdir()} - {".git"}
    spans = re.findall(r"`([^`\s]+)`", text.split("```", 2)[2])
    return [s for s in spans if s.split("/")[0] in roots and not s.startswith(("site/", "ruleset."))]


def exists(path: str) -> bool:
    """The path (a glob: <name> and * match anything, {a,b} either) matches a file, or names a generated one."""
    variants = [path]
    brace = re.search(r"\{([^}]*)\}", path)
    if brace:
        variants = [path[:brace.start()] + alt + path[brace.end():] for alt in brace.group(1).split(",")]
    for variant in variants:
        pattern = re.sub(r"<[^>]+>", "*", variant).rstrip("/")
        if not (list(ROOT.glob(pattern)) or _ignored(re.sub(r"<[^>]+>|\*", "x", variant))):
            return False
    return True


def _ignored(path: str) -> bool:
    """Generated and git-ignored (docs/reference/, the bundled checker.js): absent until `make build`."""
    return subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT).returncode == 0


def test_the_tree_is_parsed():
    paths = tree_paths(DOC.read_text(encoding="utf-8"))
    assert "ruleset/rules/case.yaml" in paths and "site_src/js/checker/main.js" in paths
    assert "ruleset/methods/*.py" in paths and "ruleset/__main__.py" in paths


def test_a_missing_path_is_found():
    assert not exists("ruleset/nowhere.py") and not exists("site_src/{js,nojs}/")
    assert exists("docs/reference/<region>.md") and exists("ruleset/rules/<region>/*.yaml")


def test_every_path_architecture_names_exists():
    text = DOC.read_text(encoding="utf-8")
    named = tree_paths(text) + text_paths(text)
    assert len(named) > 40
    missing = sorted({p for p in named if not exists(p)})
    assert missing == [], f"ARCHITECTURE.md names paths that do not exist: {missing}"
