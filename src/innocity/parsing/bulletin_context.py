"""What a bulletin or work report says about itself: its kind, title, date, the year its figures are for,
its place, and the sections that review results or announce goals.

Every decision here is a named rule (the name is reported with the answer), so a reader can see why a
document was dated 2015 or placed in 天祝藏族自治县. Works on folded text with the original's offsets.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from innocity.domain.bulletin import DocumentKind, RegionGuess
from innocity.domain.divisions import load_divisions
from innocity.parsing.region import detect_region
from innocity.parsing.years import find_time_phrases

HEAD = 400  # the title block, where a document names itself and its date
_Y = r"(?:19|20)\d\d"

# a statistics bureau that signs the text (甘肃省统计局 国家统计局甘肃调查总队) publishes a bulletin
_BULLETIN = re.compile(r"统计公报|国民经济和社会发展统计|统计局[^\n]{0,12}调查(?:总)?队")
_WORK_REPORT = re.compile(r"政府工作报告|向大会报告(?:政府)?工作|工作回顾|工作总结|工作报告|工作情况")

# --- the year the figures are for ------------------------------------------------------------------------
# (name, pattern, offset): the year in group "y" plus ``offset`` is the figures' year.
_YEAR_RULES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    # 济南市2016年国民经济和社会发展统计公报, 2015年天祝藏族自治县国民经济和社会发展统计公报
    ("bulletin_title_year", re.compile(rf"(?P<y>{_Y})年[^\n。]{{0,24}}?(?:国民经济和社会发展统计|统计公报)"), 0),
    # 一、2013年工作回顾; 一、2015年科技工作情况; 2015年工作总结
    ("review_heading_year",
     re.compile(rf"(?P<y>{_Y})年(?:的)?[^\n。,;]{{0,8}}?工作(?:回顾|情况|总结)|回顾(?:了|过去的)?(?P<y2>{_Y})年"), 0),
    # ——2014年1月13日在宜昌市第五届人民代表大会第五次会议上: the report reviews the year before
    ("report_date_year", re.compile(rf"(?P<y>{_Y})年\d{{1,2}}月\d{{1,2}}日在[^\n]{{0,30}}人民代表大会"), -1),
    # 2021年政府工作报告, 2026年河北省政府工作报告: the report of a year reviews the year before
    ("report_title_year", re.compile(rf"(?P<y>{_Y})年[^\n。,]{{0,12}}?政府工作报告"), -1),
    # 2016年,面对复杂多变的…: a paragraph that opens with the year it reviews
    ("preamble_year", re.compile(rf"(?:^|\n)\s*(?P<y>{_Y})年(?:是|,|以来,|我市|全市|全省|全区|全县)"), 0),
)
_DATE = re.compile(rf"(?P<y>{_Y})(?:年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日|-(?P<m2>\d\d)-(?P<d2>\d\d))")

# --- sections --------------------------------------------------------------------------------------------
_HEADING = re.compile(
    r"^[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}部分)"
)
_REVIEW_WORDS = re.compile(r"回顾|总结|工作情况|完成情况|主要成就|成绩|过去")
_GOAL_WORDS = re.compile(
    r"安排|主要任务|工作任务|目标任务|预期目标|主要目标|发展目标|奋斗目标|工作思路|工作打算|工作建议|政府工作的建议|"
    r"重点工作|总体要求|工作部署|今年|明年|今后"
)


_CN_COUNT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# 过去五年, 这五年, 近三年来, 五年来: the figures after it cover several years ending with the reported one
SPAN = re.compile(
    r"(?:过去|这|近|前)(?P<n>[二两三四五六七八九十]|\d{1,2})年(?:来|间|里|中)?|(?<![\d年])(?P<n2>[二两三四五六七八九十]|\d{1,2})年来"
)
_PLAN_SPAN = re.compile(r"“?(?P<p>十[一二三四五]五)”?(?:时期|期间|以来)")


def span_of(m: re.Match[str], year: int) -> tuple[int, int] | None:
    """The years a ``SPAN`` match covers, ending with ``year``."""
    raw = m.group("n") or m.group("n2") or ""
    n = _CN_COUNT.get(raw) or (int(raw) if raw.isdigit() else None)
    return (year - n + 1, year) if n and 1 < n <= 10 else None


def heading_span(heading: str, year: int | None) -> tuple[int, int] | None:
    """A review heading over several years: 过去五年工作回顾, “十四五”时期经济社会发展回顾."""
    from innocity.parsing.years import FIVE_YEAR_PLANS

    m = _PLAN_SPAN.search(heading)
    if m is not None:
        end = FIVE_YEAR_PLANS[m.group("p")]
        return (end - 4, end) if year is None or end <= year else None
    s = SPAN.search(heading)
    return span_of(s, year) if s is not None and year is not None else None


@dataclass(frozen=True, slots=True)
class Section:
    """A heading line and the text under it up to the next heading of the same or a higher rank."""

    start: int
    end: int
    heading: str
    mode: str  # review | goals | neutral
    year: int | None  # a year the heading names (一、2013年工作回顾 → 2013)
    span: tuple[int, int] | None = None  # the years a review of several years covers


def document_kind(f: str) -> DocumentKind:
    """``bulletin`` when the head names a 统计公报, ``work_report`` for a 政府工作报告 or a work review."""
    head = f[:HEAD]
    if _BULLETIN.search(head):
        return "bulletin"
    if _WORK_REPORT.search(head) or _WORK_REPORT.search(f[: HEAD * 3]):
        return "work_report"
    return "other"


def title(text: str) -> str | None:
    """The first line that names a bulletin or report, else the first non-empty short line."""
    lines = [ln.strip() for ln in text[:HEAD].splitlines() if ln.strip()]
    for ln in lines:
        if _BULLETIN.search(ln) or "工作报告" in ln:
            return ln[:200]
    short = [ln for ln in lines if len(ln) <= 60]
    return short[0][:200] if short else None


def document_date(f: str) -> str | None:
    """The date the document states near its head (release date, report date), as YYYY-MM-DD."""
    for m in _DATE.finditer(f, 0, min(len(f), HEAD)):
        month, day = int(m["m"] or m["m2"]), int(m["d"] or m["d2"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{m['y']}-{month:02d}-{day:02d}"
    return None


def figures_year(f: str, kind: DocumentKind, date: str | None) -> tuple[int | None, str]:
    """The year the document's figures are for, and the rule that decided it."""
    for name, pattern, offset in _YEAR_RULES:
        if name == "bulletin_title_year" and kind != "bulletin":
            continue
        if name in ("review_heading_year", "report_date_year", "report_title_year") and kind == "bulletin":
            continue
        m = pattern.search(f)
        if m:
            y = m.group("y") or m.groupdict().get("y2")
            if y:
                return int(y) + offset, name
    # The year the text cites most often as a point in time (not 比2012年, not dates of events).
    published = int(date[:4]) if date else None
    years = Counter(
        r.year
        for r in find_time_phrases(f)
        if r.year is not None and r.tense in ("point", "past") and not r.attributive and not r.dated
        and not r.heading_period and (published is None or r.year <= published)
    )
    if years:
        return years.most_common(1)[0][0], "most_cited_year"
    if date:
        return int(date[:4]) - 1, "release_date_year"
    return None, "unknown"


def sections(f: str, fig_year: int | None) -> list[Section]:
    """Top-level sections (一、…) with their mode; sub-headings ((一)…) inherit their parent's mode unless
    they announce goals or a review themselves."""
    out: list[Section] = []
    pos = 0
    heads: list[tuple[int, int, str, int]] = []  # start, end of line, heading text, rank
    for line in f.splitlines(keepends=True):
        m = _HEADING.match(line)
        if m and len(line.strip()) <= 40:
            rank = 0 if not line.lstrip(" \t\u3000").startswith(("(", "（")) else 1
            heads.append((pos, pos + len(line), line.strip(), rank))
        pos += len(line)
    parent_mode: str = "neutral"
    parent_year: int | None = None
    parent_span: tuple[int, int] | None = None
    for i, (start, _, heading, rank) in enumerate(heads):
        end = next((h[0] for h in heads[i + 1:] if h[3] <= rank), len(f))
        mode, year = _mode(heading, fig_year)
        # 一、2025年和“十四五”时期工作回顾: the named year governs; the five years have their own paragraphs
        span = heading_span(heading, fig_year) if mode == "review" and year is None else None
        if rank == 0:
            parent_mode, parent_year, parent_span = mode, year, span
        elif mode == "neutral":
            mode, year, span = parent_mode, parent_year, parent_span
        out.append(Section(start, end, heading, mode, year, span))
    return out


def _mode(heading: str, fig_year: int | None) -> tuple[str, int | None]:
    ym = re.search(rf"({_Y})年", heading)
    year = int(ym.group(1)) if ym else None
    if _REVIEW_WORDS.search(heading):
        return "review", year
    if _GOAL_WORDS.search(heading) or (year is not None and fig_year is not None and year > fig_year):
        return "goals", year
    return "neutral", year


# --- region ----------------------------------------------------------------------------------------------
_DIV = r"[\u4e00-\u9fff]{2,14}?(?:自治区|自治州|自治县|省|市|县|区|州|盟|旗)"
_TITLE_PLACE = (
    re.compile(rf"(?P<p>{_DIV})(?:{_Y}年)?(?:国民经济和社会发展统计|统计公报)"),
    re.compile(rf"{_Y}年(?:度)?(?P<p>{_DIV})(?:国民经济和社会发展统计|统计公报)"),
    re.compile(rf"(?P<p>{_DIV})第[一二三四五六七八九十]{{1,3}}届人民代表大会"),
    re.compile(rf"(?P<p>{_DIV})(?:人民政府)?政府工作报告"),
    re.compile(rf"(?P<p>{_DIV})(?:统计局|人民政府|科学技术局|科技局)"),
)
_NATIONAL_HEAD = re.compile(r"中华人民共和国|国务院|全国人大|国家统计局[^\n]{0,4}(?:发布|公布)")
_NATIONAL_WORDS = re.compile(r"全国|我国")
_LOCAL_WORDS = re.compile(r"全省|全市|全区|全县|我省|我市|我区|我县|全州|本市")


def region_of(text: str, f: str) -> RegionGuess:
    """The place the document reports on: a division its title names, the nation, or the gazetteer's vote."""
    divs = load_divisions()
    head = f[:HEAD]
    for pattern in _TITLE_PLACE:
        for m in pattern.finditer(head):
            name = m.group("p")
            # the longest known division that ends the words before the title ("首页 > 山东 济南市…")
            for i in range(len(name) - 1):
                found = [d for d in divs.by_name(name[i:]) if d.level in ("province", "city", "county")]
                if len(found) == 1:
                    d = found[0]
                    prov = divs.province_of(d)
                    return RegionGuess(d.name, d.adcode, prov.name if prov else None, d.level, 0.95, "title_division")
    national = len(_NATIONAL_WORDS.findall(f))
    local = len(_LOCAL_WORDS.findall(f))
    if (_NATIONAL_HEAD.search(head) and local == 0) or (national >= 2 and national > 2 * local):
        return RegionGuess("全国", None, None, "national", 0.8, "national_words")
    r = detect_region(text, (0, len(text)))
    if r.name:
        return RegionGuess(r.name, r.adcode, r.province, r.level, round(r.confidence, 3), "gazetteer")
    return RegionGuess(None, rule="unknown")


def given_region(name: str) -> RegionGuess:
    """A region the user named (full name, short name or adcode), resolved in the divisions table when it
    is one; kept as given otherwise (a database may hold regions the table does not)."""
    divs = load_divisions()
    d = divs.by_adcode(name.strip())
    found = [d] if d else divs.by_name(name.strip()) or divs.by_short(name.strip())
    if len(found) == 1:
        d = found[0]
        prov = divs.province_of(d)
        return RegionGuess(d.name, d.adcode, prov.name if prov else None, d.level, 1.0, "given")
    return RegionGuess(name.strip(), None, None, None, 1.0, "given")
