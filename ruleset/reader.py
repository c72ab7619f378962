"""Case input, as bytes or text, to (case, errors): every limit is checked before the input can do harm.

Used by the CLI (a file or stdin) and by api.check_json (the browser). Standard library only;
PyYAML is imported only when YAML is read. An error is {index, field, message} with a Chinese
message naming the limit or the problem; with errors there is no case, and error_document()
gives the result document to print. The limits (ARCHITECTURE.md, "Limits"):

- MAX_BYTES: the whole input (bytes, or characters of text); MAX_YAML_BYTES for YAML, whose
  pure-Python parser is slow and memory-hungry;
- MAX_DEPTH: objects and lists inside one another; for JSON checked on the text before parsing
  (deep nesting overflows the stack of the browser's WebAssembly Python);
- MAX_ITEMS: members of objects and elements of lists in the whole input, also before parsing
  (bounds the memory parsing takes);
- MAX_ACTIVITIES, MAX_STRING, MAX_KEY, MAX_INT_DIGITS: after parsing, on the values;
- YAML: aliases (*name) are refused, so no alias bomb or recursive alias can be expanded; only
  the JSON types are accepted (no dates, binary, sets).
- a key given twice in one object (JSON or YAML) is refused, naming the key and where it is: the
  parsers would keep the last one silently, and which one the person meant cannot be known.
Lone UTF-16 surrogates ("\\ud800") are refused, so every result can be encoded as UTF-8.
"""
from __future__ import annotations

import json
import re
from itertools import accumulate

MAX_BYTES = 32 * 1024 * 1024
MAX_YAML_BYTES = 256 * 1024
MAX_DEPTH = 20
MAX_ITEMS = 2_000_000
MAX_ACTIVITIES = 100_000
MAX_STRING = 10_000
MAX_KEY = 100
MAX_INT_DIGITS = 15
MAX_ERRORS = 100  # problems listed before the rest are summed up in one line

_INT_LIMIT = 10 ** MAX_INT_DIGITS
# A JSON string, or an unterminated one up to the end: it matches at every quote it starts from, so
# re.sub never starts again inside an escaped quote (that made "\"\"\"… quadratic).
_JSON_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+(?:"|\\?\Z)', re.S)
_JSON_START = re.compile(r"\s*[\[{]")
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}.__getitem__
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]|\\U0000[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN = frozenset({float, bool, type(None)})
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

JSON_MESSAGES = {  # json's messages (3.11–3.14), in Chinese
    "Expecting value": "此处应为一个值",
    "Expecting property name enclosed in double quotes": "此处应为双引号括起的字段名",
    "Expecting ':' delimiter": "此处应为冒号 :",
    "Expecting ',' delimiter": "此处应为逗号 ,",
    "Unterminated string starting at": "字符串没有结束的引号",
    "Invalid control character at": "字符串中含控制字符（如换行、制表符），应写成 \\n、\\t",
    "Invalid \\escape": "无效的转义（\\ 后的字符）",
    "Invalid \\uXXXX escape": "无效的 \\uXXXX 转义",
    "Extra data": "JSON 结束后还有多余的内容",
    "Illegal trailing comma before end of object": "对象末尾多了逗号",
    "Illegal trailing comma before end of array": "列表末尾多了逗号",
}


class Refused(Exception):
    """Input past a limit or unreadable: the message (zh), and where in the case when known."""

    def __init__(self, message: str, index: int | None = None, field: str = ""):
        super().__init__(message)
        self.error = {"index": index, "field": field, "message": message}


class _JSONSyntax(Refused):
    """Text that is not JSON (it may still be YAML)."""


def error_document(errors: list[dict]) -> dict:
    """The result document for a case that could not be read (case-format.md)."""
    return {"region": None, "activities": [], "years": {}, "errors": errors}


def read_case(data: bytes | str, syntax: str | None = None) -> tuple[object, list[dict]]:
    """Bytes (UTF-8, BOM allowed) or text -> (case, []) or (None, errors).

    syntax: "json", "yaml", or None to tell from the content (a first character { or [ is JSON,
    anything else YAML; JSON that does not parse but is valid YAML, as {region: qinghai}, is YAML).
    """
    try:
        text = _text(data)
        told = syntax or ("json" if _JSON_START.match(text) else "yaml")
        if told == "yaml":
            case = _parse_yaml(text)
        else:
            try:
                case = _parse_json(text)
            except _JSONSyntax as json_error:
                if syntax == "json" or len(text) > MAX_YAML_BYTES:
                    raise
                try:
                    case = _parse_yaml(text)
                except Refused:
                    raise json_error from None  # the more helpful message for text that looks like JSON
        surrogates = isinstance(data, str) and not _encodable(text) or _SURROGATE_ESCAPE.search(text) is not None
        errors = value_problems(case, surrogates)
    except _Repeated as exc:
        return None, exc.errors
    except Refused as exc:
        return None, [exc.error]
    except RecursionError:  # not expected past the checks above; an answer all the same
        return None, [{"index": None, "field": "", "message": f"嵌套过深（最多 {MAX_DEPTH} 层）"}]
    except MemoryError:
        return None, [{"index": None, "field": "", "message": "内容过大，内存不足"}]
    return (None, errors) if errors else (case, [])


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        if len(data) > MAX_BYTES:
            raise Refused(f"文件过大：{len(data):,} 个字符，最多 {MAX_BYTES:,} 个（32 MB）")
        text = data
    elif not isinstance(data, (bytes, bytearray)):
        raise Refused(f"案例应为文字（JSON 或 YAML），收到 {type(data).__name__}")
    else:
        if len(data) > MAX_BYTES:
            raise Refused(f"文件过大：超过 {MAX_BYTES:,} 字节（32 MB）")
        if data.startswith(_UTF16_32_BOMS):
            raise Refused("文件是 UTF-16 或 UTF-32 编码，请另存为 UTF-8")
        try:
            text = data.decode("utf-8")  # refuses encoded surrogates too
        except UnicodeDecodeError as exc:
            raise Refused(f"文件不是 UTF-8 编码（第 {exc.start + 1:,} 字节无法解码）；"
                          "如为 GBK/GB18030 编码，请另存为 UTF-8") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise Refused("文件为空")
    return text


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _parse_json(text: str):
    _check_json_structure(text)
    repeated: dict[int, tuple[dict, list]] = {}  # id -> (object, keys given more than once)

    def pairs_to_dict(pairs: list) -> dict:
        out = dict(pairs)
        if len(out) != len(pairs):
            seen: set = set()
            keys = [k for k, _ in pairs if k in seen or seen.add(k)]
            repeated[id(out)] = (out, list(dict.fromkeys(keys)))
        return out

    try:
        case = json.loads(text, object_pairs_hook=pairs_to_dict)
    except json.JSONDecodeError as exc:
        problem = JSON_MESSAGES.get(exc.msg, exc.msg)
        raise _JSONSyntax(f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：{problem}") from None
    except ValueError:  # an integer past Python's 4,300 digits
        raise Refused(f"整数位数过多（最多 {MAX_INT_DIGITS} 位）") from None
    if repeated:
        raise _Repeated(_errors(_repeated_keys(case, repeated)))
    return case


class _Repeated(Refused):
    """Keys given twice in one object: every one of them (errors), not only the first."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors[0]["message"], errors[0]["index"], errors[0]["field"])
        self.errors = errors


def _repeated_keys(case, repeated: dict) -> list[tuple[tuple, str]]:
    """(path, message) for each key given twice, in the order of the input."""
    problems = []
    stack: list[tuple[object, tuple]] = [(case, ())]
    while stack and len(problems) <= MAX_ERRORS:
        node, path = stack.pop()
        if type(node) is dict:
            found = repeated.get(id(node))
            if found is not None and found[0] is node:
                problems += [(path + (key,), f"字段“{_short(key)}”在同一个对象中出现了不止一次：请只保留一个"
                                             "（重复时无法确定以哪一个为准）") for key in found[1]]
            items = node.items()
        elif type(node) is list:
            items = enumerate(node)
        else:
            continue
        stack.extend(reversed([(value, path + (key,)) for key, value in items if type(value) in (dict, list)]))
    return problems


def _check_json_structure(text: str) -> None:
    """Nesting depth and number of items, from the text with its strings left out (cheap bounds first)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH and text.count(",") < MAX_ITEMS:
        return
    too_many = f"值过多：对象的字段与列表的元素超过 {MAX_ITEMS:,} 个"
    if (text.count('"') - text.count('\\"')) // 2 > 2 * MAX_ITEMS:  # each string a key or a value:
        raise Refused(too_many)                                         # refused before the costly step
    skeleton = _JSON_STRING.sub("", text)  # memory for each string removed: the bound above matters
    if skeleton.count(",") >= MAX_ITEMS:
        raise Refused(too_many)
    brackets = _NOT_BRACKET.sub("", skeleton)
    if max(accumulate(map(_STEP, brackets)), default=0) > MAX_DEPTH:
        raise Refused(f"嵌套过深：对象、列表的嵌套超过 {MAX_DEPTH} 层")


def _parse_yaml(text: str):
    if len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise Refused(f"YAML 文件过大：超过 {MAX_YAML_BYTES:,} 字节（256 KB）；更大的案例请用 JSON")
    try:
        import yaml
    except ImportError:
        raise Refused("读取 YAML 需要安装 PyYAML（pip install pyyaml），或改用 JSON") from None
    try:
        return yaml.load(text, Loader=_yaml_loader(yaml))  # a SafeLoader, see _yaml_loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"（第 {mark.line + 1} 行第 {mark.column + 1} 列）" if mark else ""
        raise Refused(f"YAML 格式错误{where}：{exc.problem or exc.context}") from None
    except yaml.reader.ReaderError as exc:
        raise Refused(f"YAML 中含不允许的字符 U+{exc.character:04X}（第 {exc.position + 1:,} 个字符）") from None
    except yaml.YAMLError as exc:
        raise Refused(f"YAML 格式错误：{exc}") from None
    except (ValueError, TypeError, ArithmeticError) as exc:  # a tagged value the constructor cannot make
        raise Refused(f"YAML 中有无法识别的值（{type(exc).__name__}）") from None


_LOADERS: dict = {}


def _yaml_loader(yaml):
    """yaml.SafeLoader that refuses aliases and nesting deeper than MAX_DEPTH, and keeps long ints unparsed."""
    if "safe" in _LOADERS:
        return _LOADERS["safe"]

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise Refused(f"YAML 别名（*{event.anchor}，第 {event.start_mark.line + 1} 行）不受支持："
                              "请把内容直接写出")
            if self.check_event(yaml.ScalarEvent):
                return super().compose_node(parent, index)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise Refused(f"嵌套过深：对象、列表的嵌套超过 {MAX_DEPTH} 层（第 {mark.line + 1} 行）")
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise Refused(f"字段“{_short(key_node.value)}”在同一个对象中出现了不止一次"
                                      f"（第 {key_node.start_mark.line + 1} 行）：请只保留一个（重复时无法确定以哪一个为准）")
                    seen.add(key)
            return super().construct_mapping(node, deep)

        def construct_yaml_int(self, node):
            if len(node.value) > MAX_INT_DIGITS + 8:
                return _LongInt()
            return super().construct_yaml_int(node)

    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
    _LOADERS["safe"] = Loader
    return Loader


class _LongInt:
    """An integer too long to be worth converting (YAML)."""


def _where(path: tuple) -> tuple[int | None, str]:
    """(activity index, field) of a path of keys and list positions from the case's root."""
    index = None
    if len(path) >= 2 and path[0] == "activities" and type(path[1]) is int:
        index, path = path[1], path[2:]
    out = ""
    for part in path:
        if type(part) is int:
            out += f"[{part}]"
        else:
            out += ("." if out else "") + _short(part if type(part) is str else repr(part))
    return index, out


def _short(text: str, limit: int = 40) -> str:
    """Text fit to quote in a message: at most `limit` characters, lone surrogates escaped."""
    text = text if len(text) <= limit else text[:limit] + "…"
    return text if _encodable(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")


def value_problems(case, surrogates: bool = True) -> list[dict]:
    """Errors of a parsed case past the limits on values: number of activities, depth, keys, strings,
    integers, and types other than JSON's; surrogates=False skips the search for lone surrogates.
    At most MAX_ERRORS, in the order of the input."""
    if type(case) is dict and type(case.get("activities")) is list and len(case["activities"]) > MAX_ACTIVITIES:
        return _errors([(("activities",), f"活动过多：{len(case['activities']):,} 条，最多 {MAX_ACTIVITIES:,} 条")])
    problems: list[tuple[tuple, str]] = []
    if type(case) is not dict and type(case) is not list:
        problem = _scalar_problem(case, surrogates)
        return _errors([((), problem)] if problem else [])
    stack: list[tuple[object, tuple]] = [(case, ())]
    while stack and len(problems) <= MAX_ERRORS:
        node, path = stack.pop()
        if len(path) >= MAX_DEPTH:
            problems.append((path, f"嵌套过深：对象、列表的嵌套超过 {MAX_DEPTH} 层"))
            continue
        if type(node) is dict:
            items = node.items()
            for key in node:
                if type(key) is not str or len(key) > MAX_KEY or surrogates and _SURROGATE.search(key):
                    problems.append((path, _key_problem(key)))
        else:
            items = enumerate(node)
        inner = []
        for key, value in items:
            kind = type(value)
            if kind is dict or kind is list:
                inner.append((value, path + (key,)))
            elif (len(value) > MAX_STRING or surrogates and _SURROGATE.search(value) if kind is str else
                  not -_INT_LIMIT < value < _INT_LIMIT if kind is int else kind not in _PLAIN):
                problems.append((path + (key,), _scalar_problem(value, surrogates)))
                if len(problems) > MAX_ERRORS:
                    break
        stack.extend(reversed(inner))
    return _errors(problems)


def _key_problem(key) -> str:
    if type(key) is _LongInt:
        return f"字段名应为文字，收到位数过多的整数（最多 {MAX_INT_DIGITS} 位）"
    if type(key) is not str:
        kind = {int: "整数", float: "数字", bool: "布尔值", type(None): "空值"}.get(type(key), "其他值")
        return f"字段名应为文字，收到{kind} {_short(repr(key))}"
    if len(key) > MAX_KEY:
        return f"字段名过长：{len(key):,} 个字符，最多 {MAX_KEY} 个（“{_short(key)}”）"
    return f"字段名“{_short(key)}”含无法编码的字符（孤立的 UTF-16 代理项）"


def _scalar_problem(value, surrogates: bool) -> str | None:
    kind = type(value)
    if kind is str:
        if len(value) > MAX_STRING:
            return f"文字过长：{len(value):,} 个字符，最多 {MAX_STRING:,} 个"
        if surrogates and _SURROGATE.search(value):
            return "含无法编码的字符（孤立的 UTF-16 代理项，如 \\ud800）"
        return None
    if kind is int and -_INT_LIMIT < value < _INT_LIMIT or kind in _PLAIN:
        return None
    if kind is int or kind is _LongInt:
        return f"整数位数过多（最多 {MAX_INT_DIGITS} 位）"
    shown = {"date": "日期", "datetime": "日期时间", "bytes": "二进制数据", "set": "集合",
             "tuple": "!!omap 或 !!pairs"}
    return (f"不支持的值（{shown.get(kind.__name__, kind.__name__)}）：只能是文字、数字、true/false、null、"
            "列表或对象；年度请只写年份，如 2022")


def _errors(problems: list[tuple[tuple, str]]) -> list[dict]:
    out = []
    for path, message in problems[:MAX_ERRORS]:
        index, field = _where(path)
        out.append({"index": index, "field": field, "message": message})
    if len(problems) > MAX_ERRORS:
        out.append({"index": None, "field": "", "message": f"问题过多，只列出前 {MAX_ERRORS} 处"})
    return out
