"""What every activity of one case shares: the rule bundle, the region and the person's profile."""
from __future__ import annotations

from dataclasses import dataclass

from .loader import Bundle


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
