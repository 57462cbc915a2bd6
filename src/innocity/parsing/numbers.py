"""Quantities in Chinese plan text: the number, its unit, range, comparator and qualifiers, with spans.

Works on *folded* text (``textfold.fold``), so full-width digits and punctuation are already half-width;
offsets are the same as in the original. One compiled pattern finds every candidate in a single pass;
Chinese numerals are converted by ``cn_value`` (cached), never by rewriting sentences, so plan names like
十二五, 一区多园 or 三百计划 stay untouched: a Chinese numeral only counts when a unit follows it.

Scale words stay with the unit as written (4万人 → 4 万人; 总人口729.41万 → 729.41 万); only a scale that is
part of a Chinese numeral inside a larger number is multiplied in (五千亿元 → 5000 亿元).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from innocity.parsing.rx import rx
from innocity.parsing.vocabulary import BARE_VALUE_BEFORE

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
# 万/亿 inside a numeral (一万五千, 一亿五千) belong to it; a trailing one is the unit's scale (五千亿元).
_CN_NUM = rf"[{_CN_DIGITS}]*[一二两三四五六七八九十][{_CN_DIGITS}]*(?:[万亿][{_CN_DIGITS}]+)?"
# Thousands separators (1,000) only in groups of exactly three, so "5,10家" stays two numbers.
_AR_NUM = r"\d{1,3}(?:,\d{3})+(?![\d.])(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = rf"(?:{_AR_NUM}|{_CN_NUM})"
# A Chinese numeral is only worth a match when a unit (or a range to another numeral) follows it.
_CN_UNIT_AHEAD = r"(?=(?:万|亿)?(?:余|多)?(?:个|家|项|所|名|人|次|区|县|座|条|处|位|件|元|万|亿)|[到至~—-][零〇一二两三四五六七八九十])"
_NUM1 = rf"(?:{_AR_NUM}|{_CN_NUM}{_CN_UNIT_AHEAD})"

# Base units, longest first so 平方公里 wins over 公里 and 个百分点 over 个.
_BASE_UNITS = sorted(
    """个百分点 百分点 微克/立方米 毫克/立方米 标准箱 千伏安 千伏 人年 场次 项次 家次 户次 台套 吨标准煤 吨标煤 千克标准煤 平方公里 平方千米 平方米 立方米 公里/小时 km/h 千瓦时 千瓦 兆瓦 吉瓦
    公顷 摄氏度 ℃ 毫米 厘米 千米 公里 米 公斤 千克 克 斤 吨 亩 km² km2 m² m2 km MW GW kW kWh 美元 元 人次 人 名 位 个 家 项
    件 所 处 座 条 台 套 部 种 批 期 次 支 户 篇 门 辆 间 张 床 只 头 株 款 类 栋 场 届 强 倍 天 小时 分钟 岁 区 县 大""".split(),
    key=len,
    reverse=True,
)
_DENOMS = "万元|亿元|万人|千人|百人|人|年|户|平方公里|公顷|亩|km²|千克"
_UNIT = rf"(?:{'|'.join(re.escape(u) for u in _BASE_UNITS)})(?:/(?:{_DENOMS}))?"
_SCALE = r"万亿|千万|百万|万|亿|千"
# A qualifier a PDF broke over two lines ("95%以" at the end of one, "上" on the next) is still one word.
_POST = r"及以上|以\n?上|以\n?内|以\n?下|之内|左右|上下"
_DASH = r"—{1,2}|-|~|到|至|\?"

_QTY = rx(
    # The leading lookahead gives the regex engine a first-character set, so it skips text without numbers fast.
    rf"(?=[0-9零〇一二两三四五六七八九十百千])(?<![A-Za-z0-9.第零〇一二两三四五六七八九十百千])(?P<n1>{_NUM1})(?: ?(?P<u1>%|‰|个百分点|百分点))?"
    rf"(?: ?(?P<dash>{_DASH}) ?(?P<n2>{_NUM}))?"
    rf" ?(?P<scale>{_SCALE})?(?P<q>余|多)? ?(?P<unit>%|‰|{_UNIT})?(?P<q2>余|多)?(?P<post>{_POST})?"
)
_PERCENT_CN = rx(rf"百分之(?P<n1>{_CN_NUM}(?:点[{_CN_DIGITS}]+)?|{_AR_NUM})(?P<post>{_POST})?")
_DOUBLE = rx(r"翻(?P<n>一|两|二|三)?番")
# A round figure written as a bare scale after a verb: 突破千亿元 → 1000 亿元, 超过万人 → 1 万人.
# The pattern starts at the scale word (a fast first-character scan); the verb before it is checked after.
_ROUND = rx(r"(?P<r>[百千万])(?P<s>亿|万)?(?P<u>元|人|家|件|吨|辆|户|项)(?=[,;。、)\s]|以上|左右|大关|$)")
_ROUND_VERBS = ("突破", "达到", "超过", "实现", "稳定在", "保持在", "控制在")

# One backwards look decides the comparator words written before a number.
_PRE_WORDS = rx(
    r"(?:(?P<le>不超过|不高于|控制在|小于|低于|少于|≤|<=|<)|(?P<ge>不低于|不少于|超过|突破|大于|高于|多于|≥|>=|>|(?<!不)超)"
    r"|(?P<ap>大约|(?<![接最将])近|约)) ?$"
)
# Bare numbers (no unit) are kept only after a verb that makes them a value (达到120): vocabulary.VALUE_VERBS.
_BARE_PRE = BARE_VALUE_BEFORE
# Units a bare Chinese numeral may carry; 部 (六部委), 大 (四大战略) and others are names, not counts.
_CN_UNITS = frozenset("个 家 项 所 名 人 次 区 县 座 条 处 位 件 万人 亿元 万元 元 %".split())


@dataclass(slots=True)
class Quantity:
    """One number with its unit as written, in folded-text offsets."""

    start: int  # first character of the number (or of a prefix like 约 / 超过 when it belongs to it)
    end: int  # after the unit and trailing qualifier (以上, 左右)
    value: float | None
    value_max: float | None = None
    unit: str | None = None
    unit_text: str | None = None
    comparator: str = "="  # '=', '>=', '<=', 'range'
    approx: bool = False
    qualifier: str | None = None  # 余 / 多 / 以上 as written
    chinese: bool = False
    post: str | None = None
    special: str | None = None  # 'double' for 翻一番
    num_start: int = 0


# Our own converter instead of cn2an: ``import cn2an`` loads its normalisation tables (~0.7 s per process,
# more than parsing a whole plan), and plans only write the plain forms below.
_CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_MIXED = rx(r"(\d+(?:\.\d+)?)([十百千万亿]+)")  # 3千, 1.5万
_CN_BIG = {"万": 10_000, "亿": 100_000_000}


def _cn_int(token: str) -> int | None:
    """三十六 → 36, 十二 → 12, 两千零五 → 2005, 一万二千 → 12000, 二〇二五 → 2025; None when not a numeral."""
    if not token:
        return None
    if all(c in _CN_DIGIT for c in token):  # digit by digit, as years are written (二〇二五)
        return int("".join(str(_CN_DIGIT[c]) for c in token))
    total = section = 0
    digit: int | None = None
    for c in token:
        if c in _CN_DIGIT:
            digit = _CN_DIGIT[c]
        elif c in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[c]
            digit = None
        elif c in _CN_BIG:
            section += digit or 0
            total = (total + section) * _CN_BIG[c] if _CN_BIG[c] > 10_000 else total + section * _CN_BIG[c]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


@lru_cache(maxsize=4096)
def cn_value(token: str) -> Decimal | None:
    """A Chinese numeral (三十六, 两, 五千, 三点五), a mixed one (3千, 1.5万) or an arabic one as a Decimal;
    None when it is not a number. Mixed forms multiply out the scale: 1.5万 → 15000."""
    if not token:
        return None
    try:
        return Decimal(token)
    except InvalidOperation:
        pass
    m = _MIXED.fullmatch(token)
    if m:  # 3千, 1.5万
        mult = Decimal(1)
        for c in m.group(2):
            mult *= _CN_SMALL.get(c) or _CN_BIG[c]
        return Decimal(m.group(1)) * mult
    whole, dot, frac = token.partition("点")
    w = _cn_int(whole) if whole else 0
    if w is None:
        return None
    if not dot:
        return Decimal(w)
    if not frac or not all(c in _CN_DIGIT for c in frac):
        return None
    return Decimal(f"{w}.{''.join(str(_CN_DIGIT[c]) for c in frac)}")


def _num(token: str) -> tuple[Decimal | None, bool]:
    if token[0].isdigit():
        return Decimal(token.replace(",", "")), False
    return cn_value(token), True


def _to_float(d: Decimal) -> float:
    # Decimal keeps 2.65 and 1.0 exact until this point; float(str) is the shortest round-trip form.
    return float(d)


def _normalise_unit(unit: str | None, scale: str | None) -> tuple[str | None, str | None]:
    """(unit, unit_text): 个百分点 → 百分点; scale words stay in front of the unit."""
    if unit is None:
        return (scale, None) if scale else (None, None)
    text = None
    if unit == "个百分点":
        unit, text = "百分点", "个百分点"
    elif unit == "大":
        unit, text = "个", "大"
    return (f"{scale or ''}{unit}", text)


def find_quantities(f: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every quantity in ``f[start:end]`` (folded text), in order of position.

    A number without a unit is kept (unit None) only right after a verb that makes it a value (达到120) and
    when it is not a year; a Chinese numeral needs a unit. Deciding what a quantity *means* (target, fact,
    name) is left to the caller."""
    end = len(f) if end is None else end
    out: list[Quantity] = []
    for m in _QTY.finditer(f, start, end):
        if m.end() - m.start() == 4 and f[m.end(): m.end() + 1] == "年":
            continue  # a year
        q = _from_match(f, m)
        if q is not None:
            out.append(q)
    # f.find with bounds, not `in f[start:end]`: a slice would copy the whole plan for each test
    for m in _PERCENT_CN.finditer(f, start, end) if f.find("百分之", start, end) >= 0 else ():
        v, _ = _num(m.group("n1").replace("点", "."))
        if v is None:
            v = cn_value(m.group("n1"))
        if v is not None:
            out.append(
                _finish(f, m.start(), m.end(), _to_float(v), None, "%", None, False, None, m.group("post"))
            )
    for m in _ROUND.finditer(f, start, end) if (f.find("千", start, end) >= 0 or f.find("百", start, end) >= 0) else ():
        if not f[max(0, m.start() - 3): m.start()].endswith(_ROUND_VERBS):
            continue
        r, sc, u = m.group("r"), m.group("s") or "", m.group("u")
        value, unit = (1.0, f"万{sc}{u}") if r == "万" else (100.0 if r == "百" else 1000.0, f"{sc}{u}")
        post = f[m.end() : m.end() + 2]
        out.append(_finish(f, m.start(), m.end(), value, None, unit, None, True, None,
                           post if post in ("以上", "左右") else None))
    for m in _DOUBLE.finditer(f, start, end) if f.find("番", start, end) >= 0 else ():
        times = {"一": 1, None: 1, "两": 2, "二": 2, "三": 3}[m.group("n")]
        above = f.startswith("以上", m.end())
        out.append(
            Quantity(
                m.start(),
                m.end() + (2 if above else 0),
                float(2**times * 100 - 100),
                unit="%",
                comparator=">=" if above else "=",
                qualifier="以上" if above else None,
                special="double",
                num_start=m.start(),
            )
        )
    if len(out) > 1:
        out.sort(key=lambda q: q.start)
    return out


def _from_match(f: str, m: re.Match[str]) -> Quantity | None:
    n1, n2 = m.group("n1"), m.group("n2")
    unit, u1, scale = m.group("unit"), m.group("u1"), m.group("scale")
    if unit is None and u1 is None and scale is None and m.group("post") is None:
        # Most matches are bare numbers (dates, codes, list markers): reject them before any conversion.
        if not n1[0].isdigit() or not _BARE_PRE.search(f, max(0, m.start() - 5), m.start()):
            return None
    v1, cn1 = _num(n1)
    if v1 is None:
        return None
    if cn1 and scale in ("万", "亿") and ("万" in n1 or "亿" in n1):
        # 一亿五千万元 is 15000 万元, not 100005000 万元: convert the whole numeral, then divide out the scale
        whole = cn_value(n1 + scale)
        v1 = whole / (10_000 if scale == "万" else 100_000_000) if whole is not None else v1
    chinese = cn1
    if cn1:
        # A Chinese numeral is a quantity only with a unit right after it (not 十二五, not 三百计划).
        if unit is None or (unit not in _CN_UNITS and f"{scale or ''}{unit}" not in _CN_UNITS):
            return None
        if v1 == 1 and not n2:  # 一个 / 一家 is an article
            return None
    # A scale word that belongs to a Chinese numeral (五千亿元): split off the trailing scale.
    v2: Decimal | None = None
    if n2:
        v2, cn2 = _num(n2)
        if v2 is None:
            return None
        chinese = chinese or cn2
        if m.group("dash") == "?" and (cn1 or cn2):
            return None
    if unit is None and u1:
        unit = u1
    if scale == "千" and unit is None:
        return None
    if scale == "千" and not cn1:
        v1 *= 1000
        v2 = v2 * 1000 if v2 is not None else None
        scale = None
    qualifier = m.group("q") or m.group("q2")
    end = m.end()
    if unit is None and scale is None and m.group("post") is None:
        # A bare number: only after a verb that makes it a value, never a year; span is just the number.
        if cn1 or not _BARE_PRE.search(f, max(0, m.start() - 5), m.start()):
            return None
        if v1 == v1.to_integral_value() and 1900 <= v1 <= 2100:
            return None
        end = m.end("n2") if n2 else m.end("n1")
    u, ut = _normalise_unit(unit, scale)
    if n2 is not None and m.group("dash") in ("到", "至") and u is None:
        return None  # "1至2" alone is more likely a date or a list than a range
    return _finish(
        f,
        m.start(),
        end,
        _to_float(v1),
        _to_float(v2) if v2 is not None else None,
        u,
        ut,
        chinese,
        qualifier,
        m.group("post"),
    )


def _finish(
    f: str,
    start: int,
    end: int,
    value: float,
    value_max: float | None,
    unit: str | None,
    unit_text: str | None,
    chinese: bool,
    qualifier: str | None,
    post: str | None,
) -> Quantity:
    if post is not None and "\n" in post:
        post = post.replace("\n", "")
    pm = _PRE_WORDS.search(f, max(0, start - 4), start) if start else None
    comparator = "="
    approx = False
    qstart = start
    if value_max is not None:
        comparator = "range"
    elif post in ("以上", "及以上"):
        comparator = ">="
    elif post in ("以内", "以下", "之内"):
        comparator = "<="
    elif pm is not None and pm.group("le"):
        comparator = "<="
    elif pm is not None and pm.group("ge"):
        comparator = ">="
    if post in ("左右", "上下") or (pm is not None and pm.group("ap")):
        approx = True
    return Quantity(
        start=qstart,
        end=end,
        value=value,
        value_max=value_max,
        unit=unit,
        unit_text=unit_text,
        comparator=comparator,
        approx=approx,
        qualifier=qualifier or (post if post in ("以上", "及以上") else None),
        chinese=chinese,
        post=post,
        num_start=start,
    )
