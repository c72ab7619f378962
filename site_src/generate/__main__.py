"""python -m site_src.generate [--root DIR]: write the generated pages and data (see __init__)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .write import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_src.generate", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2],
                        help="the repository (default: the one this module is in)")
    args = parser.parse_args(argv)
    try:
        report = generate(args.root)
    except (OSError, ValueError, KeyError) as exc:
        print(f"generate: error: {exc}", file=sys.stderr)
        return 1
    print(f"generate: {report['written']} files written, {report['unchanged']} unchanged, "
          f"{report['removed']} stale removed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
