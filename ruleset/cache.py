"""The one place the engine remembers anything between calls: converted activities and year summaries.

convert() is a pure function of an activity and its case's context; an edit in
the browser's checker changes one activity of many, so the others are looked up
here instead of being converted again. An activity's key holds a number for the
context (bundle, region, the profile fields conversion reads) and the raw activity with the type of each
value: 1, 1.0 and True are equal in Python but are different input here, and so
are 0.0 and -0.0. A year's summary (ruleset/years.py) is a pure function of the
year, its credited amounts and deemed-complete subjects, the bundle and the
region; people of one unit share most of them. `CACHE.enabled = False` (or
CACHE.clear()) changes no byte of any result (tests/test_cache.py).
"""
from __future__ import annotations

from fractions import Fraction
from itertools import count

from .context import CaseContext
from .convert import convert
from .numbers import forget_floats, json_numbers
from .rows import Converted

_SCALARS = frozenset({str, int, bool, float, type(None)})
_STR = frozenset({str})
FREEZE_DEPTH = 32  # ruleset.reader lets no deeper input in; engine.check called directly may get any


class Memo:
    """A bounded memo that keeps what was used lately, like an LRU, at one dict lookup a hit.

    Two generations of at most size/2 entries: a hit in the old generation moves the entry to the
    young one; when the young one is full it becomes the old one and the old one is dropped. An entry
    survives while it is used at least once every size/2 insertions. `enabled = False` bypasses it.
    """

    def __init__(self, size: int = 2048):
        self.size = size
        self.enabled = True
        self._young: dict = {}
        self._old: dict = {}
        self._scopes: dict = {}
        self._numbers = count()

    def __len__(self) -> int:
        return len(self._young.keys() | self._old.keys())

    def clear(self) -> None:
        self._young, self._old = {}, {}
        self._scopes.clear()

    def scope(self, *parts) -> int:
        """A number standing for `parts` in keys (cheaper to hash than a profile); never given out twice."""
        number = self._scopes.get(parts)
        if number is None:
            if len(self._scopes) >= self.size:
                self._scopes.clear()
            number = self._scopes[parts] = next(self._numbers)
        return number

    def get(self, key):
        value = self._young.get(key)
        if value is None:
            value = self._old.get(key)
            if value is not None:
                self.put(key, value)
        return value

    def get_many(self, keys: list) -> list:
        """[get(key) for key in keys]; a key of None finds nothing."""
        found = list(map(self._young.get, keys))
        if self._old and None in found:
            for i, key in enumerate(keys):
                if found[i] is None and key is not None:
                    found[i] = self.get(key)
        return found

    def put(self, key, value) -> None:
        young = self._young
        young[key] = value
        if len(young) >= max(1, self.size // 2):
            self._old, self._young = young, {}


CACHE = Memo()


def converted(items: list, ctx: CaseContext) -> list[Converted]:
    """[convert(item, ctx) for item in items], each from the cache where it was converted before.

    Converted with the profile as conversion may read it (CaseContext.conversion), which is all the
    key holds of the profile."""
    ctx = ctx.conversion
    if not CACHE.enabled:
        return [convert(item, ctx) for item in items]
    frozen = profile_key(ctx.profile)
    if frozen is None:
        return [convert(item, ctx) for item in items]
    keys = activity_keys(CACHE.scope(ctx.bundle, ctx.region, frozen), items)
    out = CACHE.get_many(keys)
    fresh: dict = {}  # key -> converted in this call (a case may hold the same activity twice)
    for i, found in enumerate(out):
        if found is None:
            key = keys[i]
            found = fresh.get(key) if key is not None else None
            if found is None:
                found = convert(items[i], ctx)
                if key is not None:
                    fresh[key] = found
                    CACHE.put(key, found)
            out[i] = found
    return out


def year_summaries(make, wanted: list, bundle, region: str) -> list[dict]:
    """[make(year, credited, deemed, bundle, region) for each (year, public, professional, deemed public,
    deemed professional) wanted], remembered; the summaries are shared: read them, never change them."""
    if not CACHE.enabled:
        return [make(year, {"public": pub, "professional": pro}, {"public": dp, "professional": dq}, bundle, region)
                for year, pub, pro, dp, dq in wanted]
    scope = CACHE.scope(bundle, region)
    out = []
    for year, pub, pro, dp, dq in wanted:
        key = ("year", scope, year, pub if type(pub) is int else _number_key(pub),
               pro if type(pro) is int else _number_key(pro), dp, dq)
        found = CACHE.get(key)
        if found is None:
            found = YearSummary(make(year, {"public": pub, "professional": pro}, {"public": dp, "professional": dq},
                                     bundle, region))
            CACHE.put(key, found)
        out.append(found)
    return out


class YearSummary(dict):
    """A remembered year summary, which keeps its JSON form (made once) beside it."""

    __slots__ = ("json", "json_dicts")

    def __init__(self, summary: dict):
        super().__init__(summary)
        self.json = json_numbers(summary)
        self.json_dicts = tuple(k for k, v in self.json.items() if type(v) is dict)


def _number_key(value) -> tuple:
    """An exact number other than an int in a key: its type and value (a Fraction's hash is slow to compute:
    its two ints instead)."""
    if type(value) is Fraction:
        return Fraction, value.numerator, value.denominator
    return type(value), value


def year_json(summary: dict, own: bool = True) -> dict:
    """json_numbers(summary), its dicts its own (own=False: the remembered one itself, to be read only); made
    once for a summary year_summaries remembered."""
    if type(summary) is not YearSummary:
        return json_numbers(summary)
    if not own:
        return summary.json
    out = dict(summary.json)
    for key in summary.json_dicts:
        out[key] = dict(out[key])
    return out


def application_plan(make, ctx: CaseContext) -> dict | None:
    """make(ctx) (titles.plan_application: a function of the bundle, region and profile), remembered;
    a copy of the remembered dict (its lists shared: read them, never change them)."""
    frozen = profile_key(ctx.profile) if CACHE.enabled else None
    if frozen is None:
        return make(ctx)
    key = ("plan", CACHE.scope(ctx.bundle, ctx.region, frozen))
    found = CACHE.get(key)
    if found is None:
        found = make(ctx)
        if found is None:
            return None
        CACHE.put(key, found)
    return dict(found)


def clear() -> None:
    """Forget every activity and number seen so far (the next call starts cold)."""
    CACHE.clear()
    forget_floats()


_PROFILE_SCALARS = frozenset({str, int, bool, type(None)})


def profile_key(profile: dict):
    """freeze(profile), sooner for a validated profile (values str, int, bool, None or lists of str); a key of
    another form than freeze's, so the two never meet."""
    out = []
    for name, value in dict.items(profile):
        kind = type(value)
        if kind is list:
            if not all(type(v) is str for v in value):
                return freeze(dict(profile))
            if type(name) is not str:
                return freeze(dict(profile))
            out.append((name, kind, tuple(value)))
        elif kind in _PROFILE_SCALARS and type(name) is str:
            out.append((name, kind, value))
        else:
            return freeze(dict(profile))
    return "profile", tuple(out)


def freeze(value, depth: int = 0):
    """A hashable stand-in that tells apart every input the engine treats differently, or None.

    None too for values nested deeper than FREEZE_DEPTH (such input goes without the memo; no
    recursion past the interpreter's limit).
    """
    kind = type(value)
    if kind is float:
        return kind, repr(value)  # -0.0 == 0.0, yet they print differently
    if kind in _SCALARS:
        return kind, value
    if depth >= FREEZE_DEPTH:
        return None
    if kind is list:
        items = tuple(freeze(v, depth + 1) for v in value)
        return None if None in items else (kind, items)
    if kind is dict:
        items = tuple((freeze(k, depth + 1), freeze(v, depth + 1)) for k, v in value.items())
        return None if any(k is None or v is None for k, v in items) else (kind, items)
    return None


class SealedActivity(dict):
    """A raw activity no one may change (seal() makes it): its memo key is a number given once for its content,
    so a caller that passes the same activity to many cases (the batch) has it looked up without its items
    being read and hashed again."""

    __slots__ = ("serial",)

    def _sealed(self, *args, **kwargs):
        raise TypeError("a sealed activity cannot be changed (copy it with dict(activity))")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _sealed

    def __reduce__(self):
        return dict, (dict(self),)  # a copy or an unpickled one is a plain dict


_SERIALS: dict = {}  # an activity's content key -> its serial (cleared when full: a later seal gets a new one)
_NEXT_SERIAL = count()
SERIALS_SIZE = 1 << 18


def seal(activity: dict) -> SealedActivity:
    """A sealed copy of a raw activity (equal to it as a dict); sealed copies of equal activities share a serial."""
    out = SealedActivity(activity)
    key = _content_key(out)
    serial = None
    if key is not None:
        serial = _SERIALS.get(key)
        if serial is None:
            if len(_SERIALS) >= SERIALS_SIZE:
                _SERIALS.clear()
            serial = _SERIALS[key] = next(_NEXT_SERIAL)
    out.serial = serial
    return out


def _content_key(item: dict):
    """What activity_keys holds of an activity beside the scope: its items and their types, or its frozen form."""
    values = item.values()
    types = tuple(map(type, values))
    if _SCALARS.issuperset(types) and _STR.issuperset(map(type, item)) and 0.0 not in values:
        return tuple(item.items()), types
    frozen = freeze(dict(item))
    return None if frozen is None else (None, frozen)


def activity_keys(scope, items: list) -> list:
    """The memo key of each raw activity: scope, its items and the types of its values (a sealed one: scope and
    its serial); None if it has none."""
    scalars, strings = _SCALARS, _STR
    out = []
    for item in items:
        kind = type(item)
        if kind is SealedActivity:
            serial = item.serial
            out.append(None if serial is None else (scope, serial))
            continue
        if kind is dict:
            values = item.values()
            types = tuple(map(type, values))
            if scalars.issuperset(types) and strings.issuperset(map(type, item)) and 0.0 not in values:
                out.append((scope, tuple(item.items()), types))
                continue
        frozen = freeze(item)
        out.append(None if frozen is None else (scope, None, frozen))
    return out
