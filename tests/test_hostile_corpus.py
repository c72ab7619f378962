"""A corpus of a few hundred hostile case files, generated here (never committed), each given to
`python -m ruleset check FILE --json` in its own process with its address space capped at 500 MB:
exit 0 or 2, one JSON result document on stdout, no traceback, and where the file is past a limit
the message naming it. A generous timeout only catches hangs; how long each run took and how much
memory it used is written to corpus-stats.json beside the corpus (speed is `make bench`'s business).

Each run's process is forked from a driver that imported the package once: a fresh interpreter
for each file spent ~55 s of the test suite starting Python and importing the package."""
import json
import random
import subprocess
import sys

import pytest

from conftest import REPO
from hostile import HANG_GUARD, assert_document
from ruleset import reader
from ruleset.loader import bundle

MEMORY_CAP = 500 * 1024 * 1024
# Runs `python -m ruleset check FILE --json` for each FILE in a process of its own, forked from here
# (the package imported once): the child caps its address space, writes stdout and stderr to
# FILE.out and FILE.err and its peak resident memory (VmHWM, which counts the pages it shares with
# this driver) to FILE.peak, and is killed by SIGALRM after the hang guard. One JSON line a file:
# its exit status (negative: the signal that killed it) and the seconds it took.
DRIVER = r"""
import json, os, resource, runpy, signal, sys, time, traceback
import ruleset, ruleset.cli
cap, guard = int(sys.argv[1]), int(sys.argv[2])
for path in sys.argv[3:]:
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            for fd, ext in ((1, ".out"), (2, ".err")):
                os.dup2(os.open(path + ext, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            signal.alarm(guard)
            sys.argv = ["ruleset", "check", path, "--json"]
            try:
                runpy.run_module("ruleset", run_name="__main__", alter_sys=True)
                code = 0
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
            sys.stdout.flush()
            sys.stderr.flush()
            with open("/proc/self/status") as status, open(path + ".peak", "w") as peak:
                peak.write(next(line for line in status if line.startswith("VmHWM")).split()[1])
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            code = 70
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"path": path, "exit": os.waitstatus_to_exitcode(status),
                      "seconds": time.perf_counter() - start}), flush=True)
"""

B = bundle()
DEPTH = f"{reader.MAX_DEPTH} 层"
INT = f"最多 {reader.MAX_INT_DIGITS} 位"
SURROGATE = "代理项"
ALIAS = "别名"


def _json(value, **kw) -> str:
    return json.dumps(value, ensure_ascii=False, **kw)


def _case(**activity) -> dict:
    return {"region": "qinghai", "profile": {"target_title": "intermediate", "apply_year": 2024},
            "activities": [{"kind": "training", "year": 2022, "days": 2}, {"kind": "paper", "year": 2023, **activity}]}


def _nested(depth: int, obj: bool = False, leaf: str = "1") -> str:
    return ('{"a": ' * depth + leaf + "}" * depth) if obj else ("[" * depth + leaf + "]" * depth)


def corpus(rng: random.Random):
    """(name, content, file suffix, fragment the first error message must hold or None)."""
    out = []

    def add(name, content, suffix=".json", expect=None):
        data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
        out.append((name, data, suffix, expect))

    # nesting, JSON and YAML, at the root, in an activity, in the profile
    for depth in (reader.MAX_DEPTH + 1, 500, 1000, 100_000, 1_000_000):
        for obj in (False, True):
            add(f"deep-root-{depth}-{obj}", _nested(depth, obj), expect=DEPTH)
            add(f"deep-activity-{depth}-{obj}",
                '{"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "x": %s}]}'
                % _nested(depth, obj), expect=DEPTH)
        add(f"deep-profile-{depth}", '{"region": "qinghai", "profile": {"flags": %s}}' % _nested(depth), expect=DEPTH)
        add(f"deep-open-{depth}", "[" * depth, expect=DEPTH if depth > 100 else None)
    for depth in (reader.MAX_DEPTH + 1, 500, 1000, 50_000):
        add(f"deep-yaml-flow-{depth}", "region: qinghai\nactivities: " + _nested(depth), ".yaml", DEPTH)
        add(f"deep-yaml-flowmap-{depth}", "region: qinghai\nx: " + "{a: " * depth + "1" + "}" * depth, ".yaml", DEPTH)
    for depth in (reader.MAX_DEPTH + 1, 200, 450):
        add(f"deep-yaml-block-{depth}", "region: qinghai\nactivities:\n" +
            "\n".join("  " * i + "-" for i in range(depth)) + " x\n", ".yaml", DEPTH)

    # lone surrogates, escaped, in every kind of place; raw (CESU-8) bytes; YAML escapes
    places = {
        "region": '{"region": "%s"}',
        "kind": '{"region": "qinghai", "activities": [{"kind": "%s", "year": 2022}]}',
        "title": '{"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "title": "%s"}]}',
        "unknown": '{"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "x": "%s"}]}',
        "key": '{"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "%s": 1}]}',
        "rootkey": '{"region": "qinghai", "%s": 1}',
        "profile": '{"region": "qinghai", "profile": {"target_title": "%s"}}',
        "flag": '{"region": "qinghai", "profile": {"flags": ["%s"]}}',
        "list": '{"region": "qinghai", "activities": [{"kind": "training", "x": [[1, "%s"]]}]}',
    }
    for place, template in places.items():
        for escape in ("\\ud800", "\\uDFFF", "x\\udbffy"):
            add(f"surrogate-{place}-{escape}", template % escape, expect=SURROGATE)
        add(f"surrogate-raw-{place}", (template % "\ud800").encode("utf-8", "surrogatepass"), expect="不是 UTF-8")
    add("surrogate-pair", places["title"] % "\\ud83d\\ude00")
    for escape in ('"\\ud800"', '"\\U0000dfff"', '"a\\udc00"'):
        add(f"surrogate-yaml-{escape}", "region: qinghai\nactivities:\n  - {kind: training, title: %s}\n" % escape,
            ".yaml", SURROGATE)

    # integers too long, in each numeric place, JSON and YAML; floats out of range
    numeric = {
        "year": '{"region": "qinghai", "activities": [{"kind": "training", "year": %s, "days": 1}]}',
        "days": '{"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": %s}]}',
        "rank": '{"region": "qinghai", "activities": [{"kind": "paper", "year": 2022, "authors": 2, "rank": %s}]}',
        "apply_year": '{"region": "qinghai", "profile": {"apply_year": %s}}',
        "root": '{"region": "qinghai", "x": %s}',
        "list": "[%s]",
    }
    for place, template in numeric.items():
        for digits in (reader.MAX_INT_DIGITS + 1, 4300, 4301, 100_000):
            add(f"int-{place}-{digits}", template % ("9" * digits), expect=INT)
        add(f"int-{place}-negative", template % ("-" + "9" * 30), expect=INT)
        if place in ("days", "root"):
            for number in ("1e400", "-1e400", "1e-400", "0." + "3" * 5000, "1" + "0" * 400 + ".5", "NaN", "-Infinity",
                           "1e" + "9" * 5000):
                add(f"float-{place}-{number[:12]}", template % number)
    for digits in (reader.MAX_INT_DIGITS + 1, 5000, 100_000):
        add(f"int-yaml-{digits}", "region: qinghai\nactivities:\n  - kind: training\n    year: %s\n" % ("9" * digits),
            ".yaml", INT)
    add("int-yaml-hex", "region: qinghai\nx: 0x" + "f" * 5000 + "\n", ".yaml", INT)
    add("int-yaml-binary", "region: qinghai\nx: 0b" + "1" * 20000 + "\n", ".yaml", INT)
    add("int-yaml-sexagesimal", "region: qinghai\nx: " + ":".join(["59"] * 2000) + "\n", ".yaml", INT)

    # YAML aliases: bombs of 2 to 9 levels, recursive aliases, merge keys
    for levels in range(2, 10):
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [
            f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
        add(f"alias-bomb-{levels}", "\n".join(lines) + f"\nregion: qinghai\nactivities: *a{levels}\n", ".yaml", ALIAS)
    for text in ("region: qinghai\nactivities: &a [*a]\n", "&a [*a, *a]\n", "a: &a {b: *a}\n",
                 "region: qinghai\nactivities:\n  - &x {kind: training, year: 2022, list: *x}\n",
                 "region: qinghai\nprofile: &p {self: *p}\n"):
        add(f"alias-recursive-{len(out)}", text, ".yaml", ALIAS)
    add("alias-merge", "base: &b {kind: training}\nregion: qinghai\nactivities:\n  - <<: *b\n    year: 2022\n",
        ".yaml", ALIAS)
    add("alias-undefined", "region: qinghai\nactivities: *nowhere\n", ".yaml")

    # wrong types everywhere: each field of the vocabulary given each wrong kind of value
    wrong = [[], {}, [1, 2], {"a": 1}, "text", "", True, False, None, 1.5, -1, 0.1, "2022", [[[[1]]]], "字" * 600]
    fields = sorted({name for fields in B.kind_fields.values() for name in fields} | {"kind", "year", "title"})
    for i, name in enumerate(fields):
        kinds = [k for k, f in B.kind_fields.items() if name in f] or ["training"]
        for value in (wrong[i % len(wrong)],):
            activity = {"kind": rng.choice(kinds), "year": 2022, name: value}
            add(f"wrong-{name}-{type(value).__name__}-{len(out)}", _json({"region": "qinghai", "activities": [activity]}))
    for name in sorted(B.case["profile"]):
        for value in rng.sample(wrong, 1):
            add(f"wrong-profile-{name}-{len(out)}", _json({"region": "qinghai", "profile": {name: value}}))
    for value in wrong[::2]:
        add(f"wrong-root-{len(out)}", _json(value))
        add(f"wrong-region-{len(out)}", _json({"region": value}))
        add(f"wrong-activities-{len(out)}", _json({"region": "qinghai", "activities": value}))

    # keys that are not text (YAML)
    for key in ("1", "1.5", "null", "true", "2022-01-01", "~", "? [a, b]\n", "0x" + "f" * 40):
        expect = None if key.startswith("?") else "字段名应为文字"
        add(f"key-root-{key[:8]}", f"region: qinghai\n{key}: 1\n" if not key.startswith("?") else
            f"region: qinghai\n{key}: 1\n", ".yaml", expect)
        add(f"key-activity-{key[:8]}", "region: qinghai\nactivities:\n  - kind: training\n    %s: 1\n" % key.strip(),
            ".yaml", None)
    for text, expect in (("region: qinghai\nactivities:\n  - {kind: training, year: 2022-06-01}\n", "日期"),
                         ("region: qinghai\nx: !!binary aGVsbG8=\n", "二进制"), ("region: qinghai\nx: !!set {a}\n", "集合"),
                         ("region: qinghai\nx: !!omap [a: 1]\n", "omap"), ("region: !!python/object:os.system x\n", "YAML"),
                         ("region: !!python/object/apply:os.system [ls]\n", "YAML"), ("x: !!float abc\n", "无法识别"),
                         ("x: !!timestamp 2022-13-45\n", None), ("x: !custom 1\n", "YAML"), ("---\na: 1\n---\nb: 2\n", "YAML"),
                         ("region:\tqinghai\n\t- x\n", "YAML"), ("region: qinghai\x00\n", "不允许的字符"),
                         ("region: 'unterminated\n", "YAML"), ("{region: qinghai, activities: [{kind: training}]}", None)):
        add(f"yaml-{len(out)}", text, ".yaml", expect)

    # bytes: random, NUL, wrong encodings, byte order marks
    for size in (1, 10, 100, 10_000, 1_000_000):
        for n in range(2):
            add(f"binary-{size}-{n}", rng.randbytes(size), rng.choice([".json", ".yaml", ".txt"]))
    add("nul", b"\x00" * 1000)
    example = (REPO / "examples/qinghai-intermediate-2024.json").read_text(encoding="utf-8")
    add("gbk", example.encode("gbk"), expect="GBK")
    add("gb18030-yaml", "region: 青海\n".encode("gb18030"), ".yaml", "GBK")
    add("latin1", '{"region": "qinghai", "title": "caf\xe9"}'.encode("latin-1"), expect="不是 UTF-8")
    for codec in ("utf-16", "utf-16-be", "utf-32", "utf-32-le"):
        add(f"encoding-{codec}", example.encode(codec), expect="UTF" if codec in ("utf-16", "utf-32") else None)
    add("bom-utf8", b"\xef\xbb\xbf" + example.encode())
    add("bom-utf8-yaml", b"\xef\xbb\xbfregion: qinghai\nactivities: []\n", ".yaml")
    add("bom-twice", b"\xef\xbb\xbf\xef\xbb\xbf" + example.encode())
    add("control-in-string", '{"region": "qing\x01hai"}', expect="JSON 格式错误")

    # empty and nearly empty
    for text in ("", " ", "\n\n", "\ufeff", "null", "[]", "{}", "0", '""', "true", "---", "# only a comment\n", "~"):
        for suffix in (".json", ".yaml"):
            add(f"empty-{text.strip()[:6]}{suffix}", text, suffix)

    # giant strings and keys
    for n in (reader.MAX_STRING + 1, 1_000_000, 10_000_000):
        add(f"string-title-{n}", _json(_case(title="字" * n)), expect="文字过长")
        add(f"string-region-{n}", _json({"region": "x" * n}), expect="文字过长")
    for n in (reader.MAX_KEY + 1, 1_000_000):
        add(f"key-long-{n}", _json({"region": "qinghai", "k" * n: 1}), expect="字段名过长")
    add("string-yaml-200k", "region: qinghai\ntitle: " + "x" * 200_000 + "\n", ".yaml", "文字过长")

    # size, number of values, number of activities
    body = _json(_case()).encode()
    add("size-over", body + b" " * (reader.MAX_BYTES + 1 - len(body)), expect="文件过大")
    junk = b'{"region": "qinghai", "activities": [' + b'{"kind": "x", "year": 1},' * 2_000_000 + b"{}]}"
    add("size-two-million-junk-activities", junk, expect="文件过大")
    add("items-zeros", b"[" + b"0," * 12_000_000 + b"0]", expect="值过多")
    add("items-objects", b"[" + b"{}," * 8_000_000 + b"{}]", expect="值过多")
    add("items-strings", b'{"a": [' + b'"",' * 8_000_000 + b'""]}', expect="值过多")
    acts = b'{"kind": "training"},' * reader.MAX_ACTIVITIES
    add("activities-over", b'{"region": "qinghai", "activities": [' + acts + b"{}]}", expect="活动过多")
    add("activities-junk-at-limit", b'{"region": "qinghai", "activities": [' + b"0," * (reader.MAX_ACTIVITIES - 1)
        + b"0]}")
    add("yaml-over", b"region: qinghai\n" + b"#" * reader.MAX_YAML_BYTES, ".yaml", "YAML 文件过大")
    add("yaml-many-nodes", b"region: qinghai\nactivities: [" + b"[]," * (reader.MAX_YAML_BYTES // 3 - 20) + b"]\n",
        ".yaml")
    add("yaml-many-items", b"region: qinghai\nactivities:\n" + b"- 0\n" * (reader.MAX_YAML_BYTES // 4 - 20), ".yaml")

    # text that made stripping strings quadratic: escaped quotes and an unterminated string
    for n in (1_000, 1_000_000, 10_000_000):
        add(f"escaped-quotes-{n}", "[" * 30 + '"' + '\\"' * n, expect=DEPTH)
        add(f"escaped-quotes-backslash-{n}", "[" * 30 + '"' + '\\"' * n + "\\", expect=DEPTH)

    # broken syntax, and the example cut and flipped at random places
    for text in ('{"region": "qinghai",}', "{'region': 'qinghai'}", '{"region": "qinghai"} // note', "[1, 2",
                 '{"region": "qinghai" "x": 1}', '{"a": 1, "a": 2}', '"unterminated', "{\"a\": 01}", "[.5]",
                 '{"region": "\\x41"}'):
        add(f"syntax-{len(out)}", text, rng.choice([".json", ".txt"]))
    data = example.encode()
    for n in range(8):
        add(f"cut-{n}", data[:rng.randrange(len(data))], rng.choice([".json", ".txt"]))
        at = rng.randrange(len(data))
        add(f"flip-{n}", data[:at] + bytes([rng.randrange(256)]) + data[at + 1:], rng.choice([".json", ".txt"]))
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-corpus")
    written = []
    for i, (name, data, suffix, expect) in enumerate(corpus(random.Random(20260601))):
        path = folder / f"{i:03d}{suffix}"
        path.write_bytes(data)
        written.append((name, path, expect))
    return folder, written


def _run_all(paths) -> list[tuple[int, bytes, bytes, float, int]]:
    """The capped runs of paths, two drivers on the two halves -> for each path, in order:
    (exit status, stdout, stderr, seconds, peak resident memory in KB or -1)."""
    halves = [paths[0::2], paths[1::2]]
    drivers = [subprocess.Popen([sys.executable, "-c", DRIVER, str(MEMORY_CAP), str(HANG_GUARD), *map(str, half)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, cwd=REPO) for half in halves if half]
    lines = [line for d in drivers for line in d.communicate()[0].decode().splitlines()]
    assert all(d.returncode == 0 for d in drivers), "a driver of the runs failed"
    done = {r["path"]: r for r in map(json.loads, lines)}
    runs = []
    for path in paths:
        r = done[str(path)]
        peak = path.with_suffix(path.suffix + ".peak")
        out, err = (path.with_suffix(path.suffix + ext).read_bytes() for ext in (".out", ".err"))
        runs.append((r["exit"], out, err, r["seconds"], int(peak.read_text()) if peak.exists() else -1))
    return runs


def test_corpus_is_a_few_hundred_files(files):
    _, written = files
    assert 250 <= len(written) <= 600, len(written)


def test_every_hostile_file_gets_a_document(files):
    folder, written = files
    runs = _run_all([path for _, path, _ in written])
    failures, stats = [], []
    for (name, path, expect), (code, out, err, seconds, rss) in zip(written, runs):
        stats.append({"name": name, "file": path.name, "bytes": path.stat().st_size, "exit": code,
                      "seconds": round(seconds, 3), "max_rss_kb": rss})
        try:
            assert seconds < HANG_GUARD, "killed by the hang guard"
            doc = assert_document(code, out, err)
            if expect is not None:
                assert code == 2 and expect in doc["errors"][0]["message"], doc["errors"][:2]
        except AssertionError as exc:
            failures.append(f"{name} ({path.name}): {str(exc)[:300]}")
    slowest = max(stats, key=lambda s: s["seconds"])
    largest = max(stats, key=lambda s: s["max_rss_kb"])
    (folder / "corpus-stats.json").write_text(json.dumps(
        {"files": len(stats), "slowest": slowest, "largest": largest, "runs": stats}, indent=1), encoding="utf-8")
    print(f"\nhostile corpus: {len(stats)} files; slowest {slowest['seconds']} s ({slowest['name']}), "
          f"most memory {largest['max_rss_kb'] // 1024} MB ({largest['name']}); stats in {folder}/corpus-stats.json")
    assert not failures, "\n".join(failures[:30])
