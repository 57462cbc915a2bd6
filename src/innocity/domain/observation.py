"""Observations: one reported value of one indicator for one region and period, and its vocabulary.

Owns ``Period`` (a year, a quarter or a month, written "2015", "2015Q3", "2015-07"), the vintages a
value goes through (preliminary → final → revised), the review workflow (draft → submitted → approved /
rejected) and the ``Observation`` dataclass that storage returns. Pure: standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

PeriodKind = Literal["year", "quarter", "month"]

_PERIOD = re.compile(
    r"^\s*(?P<y>\d{4})\s*(?:年)?\s*(?:"
    r"(?:[-/.]?\s*[Qq]|第)\s*(?P<q>[1-4])\s*(?:季度?)?"
    r"|[-/.]\s*(?P<m>\d{1,2})|(?P<m2>\d{1,2})\s*月"
    r")?\s*$"
)
_FULLWIDTH = str.maketrans("０１２３４５６７８９－／．　", "0123456789-/. ")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A reporting period. ``index`` is 0 for a year, 1–4 for a quarter, 1–12 for a month."""

    year: int
    kind: PeriodKind = "year"
    index: int = 0

    @classmethod
    def parse(cls, text: str | int) -> Period:
        """Read "2015", "2015Q3", "2015-Q3", "2015年第3季度", "2015-07", "2015/7" or "2015年7月".

        Raises ``ValueError`` for anything else (the caller turns it into a row problem).
        """
        if isinstance(text, int):
            return cls(text)
        s = str(text).translate(_FULLWIDTH)
        if s.endswith(".0") and s[:-2].isdigit():  # 2015 read as a float from a spreadsheet
            s = s[:-2]
        m = _PERIOD.match(s)
        if not m:
            raise ValueError(f"not a period (expected 2015, 2015Q3 or 2015-07): {text!r}")
        year = int(m["y"])
        if not 1900 <= year <= 2100:
            raise ValueError(f"year out of range: {year}")
        if m["q"]:
            return cls(year, "quarter", int(m["q"]))
        month = m["m"] or m["m2"]
        if month:
            mi = int(month)
            if not 1 <= mi <= 12:
                raise ValueError(f"month out of range: {text!r}")
            return cls(year, "month", mi)
        return cls(year)

    def __str__(self) -> str:
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        return str(self.year)

    @property
    def end(self) -> date:
        """The last day of the period (what "value at the end of 2015Q3" refers to)."""
        if self.kind == "year":
            return date(self.year, 12, 31)
        month = self.index * 3 if self.kind == "quarter" else self.index
        if month == 12:
            return date(self.year, 12, 31)
        return date.fromordinal(date(self.year, month + 1, 1).toordinal() - 1)


class Vintage(StrEnum):
    """How final a value is: statistics arrive preliminary, become final and are sometimes revised."""

    PRELIMINARY = "preliminary"
    FINAL = "final"
    REVISED = "revised"

    @classmethod
    def parse(cls, text: str | None) -> Vintage:
        """Accept the English words and the Chinese ones departments write (初步/快报, 最终/正式, 修订)."""
        if text is None or not str(text).strip():
            return cls.FINAL
        s = str(text).strip().lower()
        for v, words in _VINTAGE_WORDS.items():
            if s == v.value or s in words:
                return v
        raise ValueError(f"unknown vintage {text!r} (preliminary, final or revised)")


_VINTAGE_WORDS: dict[Vintage, tuple[str, ...]] = {
    Vintage.PRELIMINARY: ("初步", "初步数", "快报", "快报数", "初值", "prelim"),
    Vintage.FINAL: ("最终", "最终数", "正式", "正式数", "终值", "年报"),
    Vintage.REVISED: ("修订", "修订数", "修正", "调整"),
}


class Status(StrEnum):
    """The review workflow of a reported value."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


# Which status may follow which; a rejected value goes back to draft to be corrected.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.APPROVED}),
    Status.SUBMITTED: frozenset({Status.APPROVED, Status.REJECTED, Status.DRAFT}),
    Status.APPROVED: frozenset({Status.DRAFT}),
    Status.REJECTED: frozenset({Status.DRAFT, Status.SUBMITTED}),
}


def can_transition(old: Status | str, new: Status | str) -> bool:
    """True when the workflow allows moving a value from ``old`` to ``new``."""
    return Status(new) in TRANSITIONS[Status(old)]


@dataclass(slots=True)
class Observation:
    """One stored value, in the indicator's canonical unit, with where it came from."""

    id: int | None
    region_adcode: str | None
    region_name: str
    indicator_code: str
    period: Period
    value: float
    unit: str | None
    vintage: Vintage = Vintage.FINAL
    known_on: date | None = None
    original_value: float | None = None
    original_unit: str | None = None
    note: str | None = None
    status: Status = Status.DRAFT
    status_comment: str | None = None
    entered_by: str | None = None
    entered_at: datetime | None = None
    version: int = 1

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (dates as ISO strings)."""
        return {
            "id": self.id,
            "region": self.region_adcode or self.region_name,
            "region_name": self.region_name,
            "indicator": self.indicator_code,
            "period": str(self.period),
            "value": self.value,
            "unit": self.unit,
            "vintage": self.vintage.value,
            "known_on": self.known_on.isoformat() if self.known_on else None,
            "original_value": self.original_value,
            "original_unit": self.original_unit,
            "note": self.note,
            "status": self.status.value,
            "status_comment": self.status_comment,
            "entered_by": self.entered_by,
            "entered_at": self.entered_at.isoformat() if self.entered_at else None,
            "version": self.version,
        }
