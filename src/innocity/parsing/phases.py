"""The plan's schedule: its stages (阶段) with start and end as YYYY-MM.

Shapes handled (matched on the folded text, quoted from the original):
  "(一)全面推进阶段(20XX年7月201*年6月)"   (no dash between the dates; masked years)
  "第一阶段:2021年1月—2021年12月"          "(一)启动阶段(2022年3月至6月)" (second date inherits the year)
  "2023—2025年为全面推进阶段"              (year-only ranges widen to January and December)
  "第一阶段(动员部署):2021年3月—5月"       "(一)启动阶段\n时间:2022年3月—4月" (a note or a 时间 line)
  "(一)动员部署阶段(2021年5月底前)"        (a deadline: start null, end given)
  "2021年为启动阶段", "第三阶段(2024年)"     (one whole year)
  under a 进度安排/实施步骤 heading, dated sub-headings without 阶段: "(一)动员部署(2021年3月—4月)"
A masked year (20XX, 201*) gives start/end null but keeps the words and the month. A period heading
such as "五、20XX-201*年主要工作" is not a stage: a stage names itself …阶段.
"""

from __future__ import annotations

import re

from innocity.domain.plan import Phase, Section, Span
from innocity.parsing.rx import rx
from innocity.parsing.textfold import fold

_CN_MONTH = {c: i + 1 for i, c in enumerate("一二三四五六七八九十")}
_Y = r"[12]\d[\dXx*]{2}"
_M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_MSUF = r"(?:份|底|初|末|中旬|上旬|下旬)?"


def _date(p: str) -> str:
    """A year and/or a month; both parts optional here, so callers check that one matched."""
    return rf"(?:(?P<{p}y>{_Y})\s*年\s*)?(?:(?P<{p}m>{_M})\s*月{_MSUF})?"


_SEP = r"\s*(?P<sep>[-—~至到]{1,2})?\s*"
# The start may be a bare year before a dash ("2023—2025年").
_STARTS_DATE = r"(?=[\dXx*一二三四五六七八九十])"  # both dates are non-empty (keeps the search linear)
_RANGE = (
    rf"{_STARTS_DATE}(?P<a>{_date('a')}|(?P<ab>{_Y})(?=\s*[-—~至到]))"
    rf"{_SEP}"
    rf"{_STARTS_DATE}(?P<b>{_date('b')})"
)
_NAME = r"(?P<name>第[一二三四五六七八九十\d]{1,2}阶段|[\u4e00-\u9fff]{1,10}?阶段)"
# a note or a 时间 label between the name and the dates:
# "第一阶段(动员部署):2021年3月—5月", "(一)启动阶段\n时间:2022年3月—4月"
_NOTE = r"(?:\([^()\d]{1,10}\))?\s*(?:时间\s*(?=:))?"
# 全面推进阶段(20XX年7月201*年6月) / 第一阶段:2021年1月—12月
_NAME_THEN_RANGE = rx(rf"{_NAME}{_NOTE}\s*(?P<open>[(:,]?)\s*{_RANGE}(?:\s*(?P<close>\)))?")
# "(一)动员部署阶段(2021年5月底前)": only the end is given
_NAME_THEN_DEADLINE = rx(
    rf"{_NAME}{_NOTE}\s*(?P<open>[(:])\s*{_STARTS_DATE}(?P<b>{_date('b')})\s*(?:以前|之前|前)\s*(?P<close>\))?"
)
# 2023—2025年为全面推进阶段
_RANGE_THEN_NAME = rx(rf"{_RANGE}\s*(?P<open>为|是|:|,)?\s*{_NAME}")
# Under a schedule heading, a sub-heading with dates is a stage even without the word 阶段:
# "(一)动员部署(2021年3月—4月)", "(二)2021年5月—2022年12月:组织实施"
_HNAME = r"(?P<name>[\u4e00-\u9fff]{2,12}?)"
_HEAD_NAME_RANGE = rx(rf"{_HNAME}{_NOTE}\s*(?P<open>[(:,]?)\s*{_RANGE}(?:\s*(?P<close>\)))?")
_HEAD_RANGE_NAME = rx(rf"{_RANGE}\s*(?P<open>为|:|,)?\s*(?P<name>[\u4e00-\u9fff]{{2,12}})")
_HEAD_DEADLINE = rx(
    rf"{_HNAME}{_NOTE}\s*(?P<open>[(:])\s*{_STARTS_DATE}(?P<b>{_date('b')})\s*(?:以前|之前|前)\s*(?P<close>\))?"
)
# one whole year: "2021年为启动阶段", "第一阶段(2021年)"
_YEAR_THEN_NAME = rx(rf"(?P<y>{_Y})\s*年\s*(?P<open>为|是|:)\s*{_NAME}")
_NAME_THEN_YEAR = rx(
    rf"{_NAME}{_NOTE}\s*(?P<open>[(:])\s*(?P<y>{_Y})\s*年\s*(?P<close>\))?(?![\dXx*一二三四五六七八九十月—~至到-])"
)
_SCHEDULE = rx(r"进度|阶段|步骤|时间表|时序|安排|推进计划")
_BAD_NAME = rx(r"[的是了在]|一个|这个|关键|重要")


def _month(s: str | None) -> int | None:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if s.startswith("十"):
        return 10 + (_CN_MONTH.get(s[1], 0) if len(s) > 1 else 0)
    return _CN_MONTH.get(s)


def _ym(year: str | None, month: int | None, default_month: int) -> str | None:
    if year is None or not year.isdigit():
        return None
    return f"{year}-{(month or default_month):02d}"


def _headings(outline: list[Section]) -> list[Section]:
    return [s for top in outline for s in top.walk()]


def _phase(text: str, m: re.Match[str], base: int, start: int, end: int, name: str) -> Phase | None:
    sep = m.group("sep")
    a_year = m.group("ay") or m.group("ab")
    b_year = m.group("by")
    if not (a_year or m.group("am")) or not (b_year or m.group("bm")):
        return None
    if not sep and not (m.group("ay") and b_year):
        return None  # "7月6月" without a dash is not a range; "年…年" is
    a_month = _month(m.group("am"))
    b_month = _month(m.group("bm"))
    if b_year is None:
        b_year = a_year  # "2022年3月至6月": the end inherits the start's year
    if a_year is None:
        a_year = b_year
    a_text = text[base + m.start("a") : base + m.end("a")].strip()
    b_text = text[base + m.start("b") : base + m.end("b")].strip()
    if a_year and a_year.isdigit() and b_year and b_year.isdigit():
        if (int(a_year), a_month or 1) > (int(b_year), b_month or 12):
            return None
    return Phase(
        text=text[start:end],
        span=(start, end),
        name=name,
        start=_ym(a_year, a_month, 1),
        end=_ym(b_year, b_month, 12),
        start_text=a_text,
        end_text=b_text,
        start_month=a_month,
        end_month=b_month,
    )


def _whole_year(text: str, m: re.Match[str], base: int, start: int, end: int, name: str) -> Phase | None:
    year = m.group("y")
    words = text[base + m.start("y") : base + m.end("y") + 1]  # "2021年"
    return Phase(
        text=text[start:end],
        span=(start, end),
        name=name,
        start=_ym(year, None, 1),
        end=_ym(year, None, 12),
        start_text=words,
        end_text=words,
    )


def _deadline(text: str, m: re.Match[str], base: int, start: int, end: int, name: str) -> Phase | None:
    year, month = m.group("by"), _month(m.group("bm"))
    if not year:
        return None
    return Phase(
        text=text[start:end],
        span=(start, end),
        name=name,
        start=None,
        end=_ym(year, month, 12),
        start_text=None,
        end_text=text[base + m.start("b") : base + m.end("b")].strip(),
        start_month=None,
        end_month=month,
    )


def _windows(text: str, s0: int, s1: int) -> list[Span]:
    """Merged windows around every 阶段 in text[s0:s1] (a name before it, a date range either side)."""
    out: list[Span] = []
    pos = text.find("阶段", s0, s1)
    while pos >= 0:
        lo, hi = max(s0, pos - 60), min(s1, pos + 62)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
        pos = text.find("阶段", pos + 2, s1)
    return out


def extract_phases(text: str, span: Span, outline: list[Section]) -> list[Phase]:
    """The schedule stages in ``text[span]``, in document order, each quoting its words."""
    s0, s1 = max(0, span[0]), min(len(text), span[1])
    spans = _windows(text, s0, s1)
    schedule = [sec.span for sec in _headings(outline) if _SCHEDULE.search(sec.title)]
    if not spans and not schedule:
        return []
    head_at_title: dict[int, Section] = {}  # where each heading's title begins → the heading
    for h in _headings(outline):
        if h.heading_span:
            t = h.heading_span[0] + len(h.marker)
            while t < s1 and text[t] in " \t\u3000":
                t += 1
            head_at_title[t] = h
    out: list[Phase] = []
    taken: list[Span] = []
    # Only the neighbourhood of each "阶段" can hold a stage; fold and search those windows alone.
    windows = [(lo, fold(text[lo:hi])) for lo, hi in spans]
    for pattern in (_NAME_THEN_RANGE, _RANGE_THEN_NAME, _NAME_THEN_DEADLINE, _NAME_THEN_YEAR, _YEAR_THEN_NAME):
        for base, m in ((lo, m) for lo, w in windows for m in pattern.finditer(w)):
            name = m.group("name")
            if _BAD_NAME.search(name[:-2]):
                continue
            start, end = base + m.start(), base + m.end()
            name_start = base + m.start("name")
            sec = head_at_title.get(name_start) if pattern not in (_RANGE_THEN_NAME, _YEAR_THEN_NAME) else None
            # "…阶段(2021年…)", "…阶段:2021年…" and "2021—2022年为…阶段" name a stage wherever they stand;
            # looser forms (table rows "启动阶段\t2022年3月—4月") only inside a schedule section.
            marked = m.group("open") in ("(", ":", "为")
            in_schedule = any(a <= start < b for a, b in schedule)
            if sec is None and not marked and not name.startswith("第") and not in_schedule:
                continue
            if sec is not None:
                start = sec.span[0]  # quote the heading with its marker: "(一)全面推进阶段(…)"
            if m.group("open") == "(" and not m.group("close"):
                continue  # "(2021年1月…" without its closing bracket is a sentence, not a stage label
            if any(a < end and start < b for a, b in taken):
                continue
            make = _deadline if pattern is _NAME_THEN_DEADLINE else _whole_year if "y" in pattern.groupindex else _phase
            ph = make(text, m, base, start, end, text[name_start : base + m.end("name")])
            if ph is not None:
                out.append(ph)
                taken.append((start, end))
    for sec in _schedule_children(outline):
        if sec.heading_span is None or any(a < sec.heading_span[1] and sec.span[0] < b for a, b in taken):
            continue
        title_at = sec.heading_span[0] + len(sec.marker)
        head = fold(text[title_at : min(s1, sec.heading_span[1] + 40)])
        for pattern in (_HEAD_NAME_RANGE, _HEAD_RANGE_NAME, _HEAD_DEADLINE):
            hm = pattern.match(head.lstrip(" \t"))
            if hm is None:
                continue
            base = title_at + len(head) - len(head.lstrip(" \t"))
            end = base + hm.end()
            name = text[base + hm.start("name") : base + hm.end("name")]
            make = _deadline if pattern is _HEAD_DEADLINE else _phase
            ph = make(text, hm, base, sec.span[0], end, name)
            if ph is not None:
                out.append(ph)
                taken.append((sec.span[0], end))
                break
    out.sort(key=lambda p: p.span[0])
    return out


def _schedule_children(outline: list[Section]) -> list[Section]:
    return [c for sec in _headings(outline) if _SCHEDULE.search(sec.title) for c in sec.children]
