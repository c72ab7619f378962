"""The rule bundle's identity in the checker's metadata (what a share link records)."""
import json
import re

from ruleset import api
from ruleset.compile import source_digest


def test_metadata_names_the_bundle_as_the_cli_does(cli):
    code, out, _ = cli("--version")
    assert code == 0
    fmt, digest = re.search(r"format (\S+), sources sha256 ([0-9a-f]{64})", out).groups()
    bundle = json.loads(api.metadata_json())["bundle"]
    assert bundle == {"version": f"{fmt}.{digest[:16]}", "source_digest": digest}
    assert digest == source_digest()  # the bundle is built from the rule sources as they are

