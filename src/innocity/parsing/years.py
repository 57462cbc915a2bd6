"""Time phrases in plan text: target-year clauses (到2025年, 至201*年末, 力争“十二五”末), baseline periods
(20XX年以来, “十一五”期间), relative horizons (三年内) and "now" markers (目前, 近年来).

Works on folded text. Masked years (20XX, 201*) keep their words in ``text`` and give ``year=None``;
five-year-plan names map to their last year (“十二五” → 2015). A plan name that is not a time phrase
(纳入“十二五”规划, 比“十一五”末 — a baseline) is not returned as a clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from innocity.parsing.rx import rx

Tense = Literal["future", "past", "point", "now", "relative"]

FIVE_YEAR_PLANS = {
    "九五": 2000, "十五": 2005, "十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030,
}

_Y = r"(?:19|20|一九|二[〇○零0])[0-9Xx*〇○零一二三四五六七八九]{2}"  # 2015, 20XX, 201*, 二〇一五
_CN_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
# One pass for all three shapes; each starts with a digit or a numeral so the engine can skip other text.
# Prefixes (到, 力争到 …) are read backwards from the match in Python rather than by the regex.
_TIME = rx(
    rf"(?=[0-9一二两三四五六七八九十])(?:"
    rf"(?P<y>{_Y})(?: ?(?:年)? ?[-—~至到] ?(?P<y2>{_Y}|[0-9Xx*]{{2}}))?"
    r" ?年(?P<du>度)?(?P<mo>\d{1,2}月(?:份)?)?(?P<suf>年底|年末|底|末|以来|前|之前|以前|上半年|下半年)?"
    r"|(?P<p>十[一二三四五]五|十五|九五)[”“\"」』’]? ?(?P<psuf>期末|末|期间|时期|以来|初期|初|中期)?"
    r"|(?P<n>[一二两三四五六七八九十]|\d{1,2})(?:个)? ?年(?:内|之内|时间|左右时间))"
)
_PRE = rx(r"(?:力争到|力争在|争取到|争取在|预计到|计划到|确保到|截止到|到|至|力争|争取|截至|截止) ?[“”\"「『‘]?$")
_NOW = rx(r"目前|当前|近年来|近几年|近年")
# 今年/明年 in a news report: a year we cannot know from the text alone. It replaces any earlier clause (so
# "2023年…。今年要突破60亿元" is not dated 2023) and gives year None; 今年以来 reports the past.
_THIS_YEAR = rx(
    r"(?:今年|明年|本年度)(?P<since>以来|上半年|前三季度|一季度|第一季度|前\d{1,2}个月|1[-—~至到]\d{1,2}月)?"
)
# A year that qualifies a figure or a comparison ("2020年的60%", "较2015年提高", "在2020年基础上") governs
# nothing after it.
_ATTRIBUTIVE_AFTER = rx(r"的|(?:的)?基础上|水平上|(?:的)?基数|远景目标|远景")
_ATTRIBUTIVE_BEFORE = rx(r"(?:较|比|相比|相较|与|同)$")
# Quote marks around plan names as typed in real documents, including reversed and corner quotes.
_OPEN_QUOTES = frozenset("“”\"「『‘")
_VERB_BEFORE_TO = frozenset("长高加升降少大小增提扩缩达")
_NOT_CLAUSE_BEFORE = ("比", "较", "纳入", "结合", "市", "的", "省", "国家", "全国", "与", "同")


@dataclass(slots=True, frozen=True)
class YearRef:
    """A time phrase: where it is, the year it stands for (None when masked or relative) and its words."""

    start: int
    end: int
    year: int | None
    text: str | None
    tense: Tense
    heading_period: bool = False  # a span such as 20XX-201*年 (its end year governs)
    attributive: bool = False  # "2020年的60%": the year belongs to the next figure and governs nothing else
    dated: bool = False  # "2012年6月": the date of an event, which sets no deadline


def _year_value(token: str) -> int | None:
    token = token.translate(_CN_YEAR_DIGITS)
    return int(token) if token.isdigit() and len(token) == 4 else None


def find_time_phrases(f: str, start: int = 0, end: int | None = None) -> list[YearRef]:
    """Every time phrase in ``f[start:end]`` (folded text), in order of position."""
    end = len(f) if end is None else end
    out: list[YearRef] = []
    for m in _TIME.finditer(f, start, end):
        pm = _PRE.search(f, max(start, m.start() - 6), m.start())
        pre = pm.group().strip(" “”\"「『‘") if pm else ""
        if pre in ("到", "至") and pm is not None and f[pm.start() - 1 : pm.start()] in _VERB_BEFORE_TO:
            pm, pre = None, ""  # 增长到2020年的560亿元: 到 completes the verb, it does not open a clause
        a = pm.start() if pm else m.start()
        if m.group("y"):
            ref = _year_ref(f, m, pre, a)
        elif m.group("p"):
            ref = _plan_ref(f, m, pre, a)
        else:
            ref = YearRef(m.start(), m.end(), None, None, "relative")
        if ref is not None:
            if _ATTRIBUTIVE_AFTER.match(f, ref.end) or _ATTRIBUTIVE_BEFORE.search(f, max(0, ref.start - 3), ref.start):
                ref = YearRef(ref.start, ref.end, ref.year, ref.text, ref.tense, ref.heading_period, True, ref.dated)
            out.append(ref)
    extra = False
    if any(f.find(w, start, end) >= 0 for w in ("目前", "近", "当前")):
        for m in _NOW.finditer(f, start, end):
            out.append(YearRef(m.start(), m.end(), None, None, "now"))
        extra = True
    if any(f.find(w, start, end) >= 0 for w in ("今年", "明年", "本年度")):
        for m in _THIS_YEAR.finditer(f, start, end):
            out.append(YearRef(m.start(), m.end(), None, m.group(), "past" if m.group("since") else "relative"))
        extra = True
    if extra:
        out.sort(key=lambda r: r.start)
    return out


def _year_ref(f: str, m: re.Match[str], pre: str, a: int) -> YearRef | None:
    suf, y, y2 = m.group("suf"), m.group("y"), m.group("y2")
    period = False
    if y2:
        if len(y2) == 2:
            y2 = y[:2] + y2
        token, period = y2, True
    else:
        token = y
    if m.group("du") and not pre and not token.isdigit():
        return None  # 20XX年度 inside a sentence names an award year, not a deadline (2024年度 dates a report)
    tense: Tense
    if suf == "以来" or pre.startswith("截"):
        tense = "past"
        text = f[m.start("y"): m.end()] if suf == "以来" else token
    elif pre or suf in ("前", "之前") or (suf in ("底", "年底", "末", "年末") and f.startswith("前", m.end())):
        tense, text = "future", token  # 2030年前, 2025年底前: a deadline, as 到2030年 is
    else:
        tense, text = "point", token
    if suf in ("年底", "底", "年末", "末") and tense == "past":
        text = f[m.start("y"): m.end()]
    dated = bool(m.group("mo")) and tense == "point" and not suf
    return YearRef(a, m.end(), _year_value(token), text, tense, heading_period=period, dated=dated)


def _plan_ref(f: str, m: re.Match[str], pre: str, a: int) -> YearRef | None:
    suf = m.group("psuf")
    if not pre and not suf:
        return None
    qs = m.start() - 1 if m.start() > 0 and f[m.start() - 1] in _OPEN_QUOTES else m.start()
    if not pre and any(f[max(0, qs - 2): qs].endswith(w) for w in _NOT_CLAUSE_BEFORE):
        return None
    if suf in (None, "时期") and f[m.end(): m.end() + 2] in ("规划", "计划"):
        return None
    if f[m.start() - 1: m.start()] in "一二三四五六七八九十" and m.start() > 0:
        return None
    tense: Tense
    if suf in ("期间", "时期", "以来"):
        tense = "past" if suf == "以来" else "point"
    elif pre:
        tense = "future" if not pre.startswith("截") else "past"
    else:
        tense = "point"
    return YearRef(a, m.end(), FIVE_YEAR_PLANS[m.group("p")], f[qs: m.end()].strip(), tense)


def plan_year(name: str) -> int | None:
    """The last year of a five-year plan named 十二五 / “十二五” (None when the name is not one)."""
    return FIVE_YEAR_PLANS.get(name.strip("“”\"「」『』‘’"))


_NEXT_YEARS = rx(r"未来(?P<n>[一二两三四五六七八九十]|\d{1,2})(?:个)? ?年")
_CN_SMALL_NUM = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}


def resolve_relative(refs: list[YearRef], f: str, year: int | None, *, start: int = 0,
                     end: int | None = None) -> list[YearRef]:
    """``refs`` (from ``find_time_phrases(f, start, end)``) with the years the text or the document's own
    date gives to relative phrases. Each resolved phrase becomes a deadline (tense "future") that keeps its
    words:

    - "2012年起5年内" ends 2016, and every later "5年内" of the text with it (the plan's own horizon);
    - with the document's ``year``: 今年 and 本年度 are ``year``, 明年 ``year + 1``, 未来N年 (found here)
      ends ``year + N − 1``. 今年以来 stays a past period."""
    refs = _explicit_starts(refs, f)
    if year is None:
        return refs
    out: list[YearRef] = []
    for r in refs:
        if r.tense == "relative" and r.text in ("今年", "本年度", "明年"):
            y = year + 1 if r.text == "明年" else year
            out.append(YearRef(r.start, r.end, y, r.text, "future", attributive=r.attributive))
        else:
            out.append(r)
    end = len(f) if end is None else end
    if f.find("未来", start, end) >= 0:
        for m in _NEXT_YEARS.finditer(f, start, end):
            k = _small_number(m.group("n"))
            if 1 <= k <= 15:
                out.append(YearRef(m.start(), m.end(), year + k - 1, m.group(), "future"))
        out.sort(key=lambda r: r.start)
    return out


_STARTS_THEN = rx(r" ?起 ?[,，]? ?(?:用|的)?$")
_SPAN_YEARS = rx(r"(?P<n>[一二两三四五六七八九十]|\d{1,2})(?:个)? ?年")


def _small_number(n: str) -> int:
    return int(n) if n.isdigit() else _CN_SMALL_NUM.get(n, 0)


def _explicit_starts(refs: list[YearRef], f: str) -> list[YearRef]:
    """"2012年起5年内": the point year and the span become one deadline, and the same span later ends there."""
    ends: dict[int, int] = {}  # span in years → the deadline a stated start gives it
    out: list[YearRef] = []
    for r in refs:
        if r.tense == "relative" and r.text is None:
            m = _SPAN_YEARS.match(f, r.start, r.end)
            k = _small_number(m.group("n")) if m else 0
            prev = out[-1] if out else None
            if (prev is not None and prev.tense == "point" and prev.year and not prev.heading_period
                    and _STARTS_THEN.search(f, prev.end, r.start) and r.start - prev.end <= 4 and 1 <= k <= 15):
                ends[k] = prev.year + k - 1
                out[-1] = YearRef(prev.start, r.end, ends[k], f[prev.start:r.end], "future")
                continue
            if k in ends:
                out.append(YearRef(r.start, r.end, ends[k], f[r.start:r.end], "future"))
                continue
        out.append(r)
    return out
