"""What every activity of one case shares: the rule bundle, the region and the person's profile."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .loader import Bundle

# The profile fields that converting one activity may read (ruleset/convert.py: flags and the tenure;
# methods/deemed.py: the tenure and the apply year). The memo of conversions (ruleset/cache.py) keys
# on these alone, so people who differ in nothing else share their conversions.
CONVERSION_FIELDS = frozenset({"flags", "tenure_start_year", "apply_year"})


class ConversionProfile(dict):
    """The profile as converting an activity sees it: CONVERSION_FIELDS only; reading any other is a bug."""

    def _known(self, key) -> None:
        if key not in CONVERSION_FIELDS:
            raise KeyError(f"converting an activity read the profile field {key!r}: add it to "
                           "CONVERSION_FIELDS in ruleset/context.py")

    def get(self, key, default=None):
        self._known(key)
        return dict.get(self, key, default)

    def __getitem__(self, key):
        self._known(key)
        return dict.__getitem__(self, key)

    def __contains__(self, key) -> bool:
        self._known(key)
        return dict.__contains__(self, key)


@dataclass(frozen=True)
class CaseContext:
    bundle: Bundle
    region: str | None  # None when the case names no known region: activities are validated, not converted
    profile: dict  # validated, with case.yaml's defaults filled in (flags, application_type, …)

    @property
    def flags(self) -> list:
        return self.profile.get("flags", [])

    @property
    def tenure_start_year(self) -> int | None:
        return self.profile.get("tenure_start_year")

    @cached_property
    def conversion(self) -> CaseContext:
        """This context with the profile as converting an activity may read it (ConversionProfile)."""
        if type(self.profile) is ConversionProfile:
            return self
        seen = ConversionProfile({k: v for k, v in self.profile.items() if k in CONVERSION_FIELDS})
        return CaseContext(self.bundle, self.region, seen)
