"""When a document was written and what period it plans for: the yardstick for "future" and "past".

A deadline later than the document's own date is a goal wherever it stands; a year before it reports a
result; 今年 in a work report is the report's year. ``document_time`` reads, from the folded text:

- ``year``: the date the page gives itself in its first lines (a news report's 发布时间, a portal's 成文日期,
  a notice's 2023年8月30日); else the year after the one a work report reviews (回顾了2017年工作 → 2018);
  else the year in a title such as 2018年政府工作报告;
- ``period``: the plan period its title or preamble states ((2023—2025年), 规划期为2021—2025年,
  “十四五”规划 → 2021–2025);
- ``report``: whether it is (or reports on) a government work report, whose goals without a year are for
  the report's year.

Only the head of the document is read (and, for a review, a bounded stretch), so the cost is constant.
"""

from __future__ import annotations

from dataclasses import dataclass

from innocity.parsing.rx import rx
from innocity.parsing.vocabulary import REVIEW
from innocity.parsing.years import FIVE_YEAR_PLANS

_DATE = rx(r"((?:19|20)\d\d)(?:-|/|\.|年)(?:0?[1-9]|1[0-2])(?:-|/|\.|月)(?:0?[1-9]|[12]\d|3[01])(?!\d)")
_HEAD = 300  # a page's date stands in its first lines
_PERIOD_HEAD = 1500  # the title and preamble, where a plan states its period
_REVIEW_REACH = 4000
_REPORT = rx(r"政府工作报告|工作报告")
_REPORT_YEAR = rx(r"((?:19|20)\d\d)年(?:[^,;。\n]{0,12})?政府工作报告")
_PERIOD = rx(
    r"((?:19|20)\d\d)\s*年?\s*(?:-|—{1,2}|~|至|到|－)\s*((?:19|20)\d\d)\s*年?"
)
_FIVE_YEAR_TITLE = rx(r"(十[一二三四五]五|十五|九五)[”\"」』’]?(?:时期)?[^,;。\n]{0,12}(?:规划|计划|纲要)")


@dataclass(frozen=True, slots=True)
class DocumentTime:
    """The document's own year (None when it gives none), its plan period, and whether it is a work report."""

    year: int | None = None
    period: tuple[int, int] | None = None
    report: bool = False
    source: str | None = None  # date | review | report-title: how ``year`` was found

    def after(self, year: int | None) -> bool:
        """True when ``year`` lies after the document's date, or (date unknown) inside its plan period."""
        if year is None:
            return False
        if self.year is not None:
            return year > self.year
        return self.period is not None and self.period[0] < year <= self.period[1]

    def before(self, year: int | None) -> bool:
        """True when ``year`` lies before the document's date (unknown date: never)."""
        return year is not None and self.year is not None and year < self.year


def page_date_year(f: str) -> int | None:
    """The year of the latest full date (2024-02-20, 2024年2月20日) in the first lines of a page, if any."""
    years = [int(m.group(1)) for m in _DATE.finditer(f, 0, min(len(f), _HEAD))]
    return max(years) if years else None


def document_time(f: str) -> DocumentTime:
    """The document's year, plan period and kind, read from its head (``f`` is folded text)."""
    head = f[:_PERIOD_HEAD]
    report = _REPORT.search(f, 0, min(len(f), 400)) is not None
    period = _period(head)
    year, source = page_date_year(f), "date"
    reach = min(len(f), _REVIEW_REACH)
    # Both shapes of REVIEW hold 回顾: look for the word first (str.find), since the pattern cannot be skipped
    # to and tries every position of the 4,000 characters.
    if year is None and f.find("回顾", 0, reach) >= 0:
        m = REVIEW.search(f, 0, reach)
        if m is not None:
            year, source, report = int(m.group("y") or m.group("y2")) + 1, "review", True
    if year is None:
        m = _REPORT_YEAR.search(f, 0, min(len(f), 400))
        if m is not None:
            year, source = int(m.group(1)), "report-title"
    return DocumentTime(year, period, report, source if year is not None else None)


def _period(head: str) -> tuple[int, int] | None:
    for m in _PERIOD.finditer(head):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b <= a + 15:
            return a, b
    m5 = _FIVE_YEAR_TITLE.search(head)
    if m5 is not None:
        end = FIVE_YEAR_PLANS[m5.group(1)]
        return end - 4, end
    return None
