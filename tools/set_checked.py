"""Set the date a rule's data was last checked against its notice (`checked:`) in the rule YAML.

    python tools/set_checked.py 2026-11-27                       # every rule of ruleset/rules/<region>/
    python tools/set_checked.py 2026-11-27 qinghai.paper ...     # only these rules

A line edit, so comments, anchors and layout stay as they are: in each top-level rule
(a list item starting `- id:`), `  checked: DATE` is written right after the rule's
`  cite:` line, or an existing `  checked:` line is given the new date. Readings
(`- reading:`) carry no date. Run `make bundle` afterwards.
"""
from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent.parent / "ruleset" / "rules"
_ITEM = re.compile(r"^- (\w+):\s*(.*?)\s*$")
_CITE = re.compile(r"^  cite:")
_CHECKED = re.compile(r"^  checked:")


def set_checked(text: str, date: str, only: set[str] | None = None) -> tuple[str, list[str]]:
    """The file text with `checked: date` on its rules (all, or those in `only`); the ids changed."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    changed: list[str] = []
    rule_id = None  # id of the rule being read, None outside the rules to date
    dated = False  # its cite: line has been seen
    for line in lines:
        m = _ITEM.match(line)
        if m:
            dated = False
            rule_id = m.group(2).strip("'\"") if m.group(1) == "id" else None
            if rule_id is not None and only is not None and rule_id not in only:
                rule_id = None
        if rule_id is not None and _CHECKED.match(line):
            continue  # replaced by the line written after cite
        out.append(line)
        if rule_id is not None and not dated and _CITE.match(line):
            out.append(f"  checked: {date}\n")
            changed.append(rule_id)
            dated = True
    return "".join(out), changed


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    date, ids = argv[0], set(argv[1:]) or None
    try:
        datetime.date.fromisoformat(date)
    except ValueError:
        print(f"not a date (YYYY-MM-DD): {date!r}", file=sys.stderr)
        return 2
    done: list[str] = []
    for path in sorted(RULES_DIR.glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        new, changed = set_checked(text, date, ids)
        if new != text:
            path.write_text(new, encoding="utf-8")
        done += changed
    missing = sorted((ids or set()) - set(done))
    print(f"checked: {date} on {len(done)} rules", file=sys.stderr)
    if missing:
        print(f"no such rule (or no cite: line): {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
