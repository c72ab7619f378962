"""The batch sheet's columns, derived from case.yaml through the bundle (nothing typed here twice).

One row per activity: the person (case field `person`), the region and the profile fields (each needs
to be filled on one row of the person only), then the activity: kind, year, title and every activity
field of case.yaml. A header cell may hold the Chinese label or the field's code.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..loader import Bundle, bundle as load_bundle
from ..schema import case_schema

PERSON, CASE, PROFILE, ACTIVITY = "person", "case", "profile", "activity"


@dataclass(frozen=True)
class Column:
    key: str      # where the value goes in a case: "person", "region", "profile.flags", "kind", "days", …
    header: str   # the Chinese header of the template
    group: str    # PERSON, CASE, PROFILE or ACTIVITY
    spec: dict    # case.yaml's definition (for an activity field: the base one; kinds may override it)

    @property
    def name(self) -> str:
        """The key without its "profile." prefix: the field's name in case.yaml."""
        return self.key.rsplit(".", 1)[-1]


def normal(text: str) -> str:
    """Text as compared with headers and labels: NFKC, no spaces or quotes, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "\"'“”‘’*").lower()


class Layout:
    """The columns of a batch sheet for one bundle, and how cells map to them."""

    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        case = bundle.case
        region_title = case_schema()["properties"]["region"]["title"]
        region_spec = {"type": "enum", "enum": list(bundle.regions), "label": region_title,
                       "enum_labels": {k: v["name"] for k, v in bundle.regions.items()},
                       # 青海 for 青海省, 青岛 for 青岛市
                       "aliases": {v["name"].rstrip("省市"): k for k, v in bundle.regions.items()}}
        columns = [Column("person", case["case_fields"]["person"]["label"], PERSON, case["case_fields"]["person"]),
                   Column("region", region_title, CASE, region_spec)]
        columns += [Column(f"profile.{name}", spec["label"], PROFILE, spec) for name, spec in case["profile"].items()]
        kind_spec = {**bundle.fields["kind"], "enum": list(bundle.kinds),
                     "enum_labels": {k: v["label"] for k, v in bundle.kinds.items()}}
        columns.append(Column("kind", kind_spec["label"], ACTIVITY, kind_spec))
        columns += [Column(name, spec["label"], ACTIVITY, spec) for name, spec in bundle.fields.items()
                    if name != "kind"]
        self.columns: tuple[Column, ...] = tuple(columns)
        self.headers = [c.header for c in columns]
        self.index = {c.key: i for i, c in enumerate(columns)}
        self.first_activity = self.index["kind"]
        self.lookup: dict[str, int] = {}
        for i, c in enumerate(columns):
            for text in (c.header, c.key, c.name):
                found = self.lookup.setdefault(normal(text), i)
                assert found == i, f"two columns answer to {text!r}"
        assert len(set(self.headers)) == len(self.headers), "column headers must be unique"

    def column_of(self, header) -> int | None:
        """The column a header cell names (its label or code, spaces and a "*" ignored), or None."""
        if header is None:
            return None
        return self.lookup.get(normal(str(header)))

    def kinds_using(self, name: str) -> list[str]:
        """The kinds that have activity field `name`."""
        if name in ("kind", "year", "title"):
            return list(self.bundle.kinds)
        return [k for k, fields in self.bundle.kind_fields.items() if name in fields]


@lru_cache(maxsize=4)
def _layout(bundle: Bundle) -> Layout:
    return Layout(bundle)


def layout(bundle: Bundle | None = None) -> Layout:
    """The Layout for `bundle` (the shipped one by default); built once."""
    return _layout(bundle or load_bundle())
