"""Refresh the example output in README.md from the real CLI (python tools/update_readme.py)."""
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = "examples/qinghai-intermediate-2024.json"

out = subprocess.run([sys.executable, "-m", "ruleset", "check", EXAMPLE], cwd=REPO, capture_output=True,
                     text=True).stdout.strip()
readme = REPO / "README.md"
text = readme.read_text(encoding="utf-8")
block = f"<!-- example-output -->\n```text\n{out}\n```\n<!-- /example-output -->"
text = re.sub(r"<!-- example-output -->.*?<!-- /example-output -->", lambda _: block, text, flags=re.S)
readme.write_text(text, encoding="utf-8")
print("README example output refreshed")
