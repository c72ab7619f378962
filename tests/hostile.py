"""Shared by the hostile-input tests: running the CLI in-process, and what every answer must be."""
import io
import json
import os
import signal
import sys

from ruleset.cli import main

DOCUMENT_KEYS = {"region", "activities", "years", "errors"}
HANG_GUARD = int(os.environ.get("HOSTILE_HANG_GUARD", "300"))  # seconds: catches hangs, says nothing of speed


class Hang(Exception):
    pass


def _hang(signum, frame):
    raise Hang(f"still running after {HANG_GUARD} s")


def run_main(*args: str, stdin: bytes = b"") -> tuple[int, bytes, bytes]:
    """`python -m ruleset ARGS` in this process, stdin given as bytes -> (exit status, stdout, stderr);
    raises Hang past HANG_GUARD seconds."""
    out, err = io.BytesIO(), io.BytesIO()
    streams = (io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
               io.TextIOWrapper(out, encoding="utf-8", write_through=True),
               io.TextIOWrapper(err, encoding="utf-8", write_through=True))
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = streams
    previous = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(HANG_GUARD)
    try:
        code = main(list(args))
        for s in streams[1:]:
            s.flush()
        return code, out.getvalue(), err.getvalue()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.stdin, sys.stdout, sys.stderr = saved


def assert_document(code: int, out: bytes, err: bytes, as_json: bool = True) -> dict | None:
    """Exit 0 or 2; stdout a UTF-8 JSON result document (with --json) whose errors say what is wrong
    (never an internal error: that is a bug caught, not bad input answered); no traceback."""
    assert code in (0, 2), (code, err[-2000:])
    assert b"Traceback" not in err and b"Traceback" not in out, err[-3000:]
    err.decode("utf-8")  # encodable and encoded
    text = out.decode("utf-8")
    if not as_json:
        assert code == 2 or text.strip(), "text mode printed nothing"
        return None
    doc = json.loads(text)
    assert_result(doc)
    assert (code == 2) == bool(doc["errors"]), (code, doc["errors"][:3])
    return doc


def assert_result(doc: dict) -> None:
    assert isinstance(doc, dict) and DOCUMENT_KEYS <= set(doc), str(doc)[:300]
    assert isinstance(doc["activities"], list) and isinstance(doc["years"], dict)
    for e in doc["errors"]:
        assert set(e) == {"index", "field", "message"}, e
        assert e["index"] is None or (type(e["index"]) is int and e["index"] >= 0), e
        assert isinstance(e["field"], str) and isinstance(e["message"], str) and e["message"], e
        assert "内部错误" not in e["message"], e
        assert len(e["message"]) < 2000 and len(e["field"]) < 500, e
