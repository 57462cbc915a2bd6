"""Figures that are not a plain number with a unit, for the target reader (``targets``):

- ``MULTIPLE``: 翻一番, 翻两番, 倍增, 增加一倍, 增长1倍, 增加两倍 — a multiple of a baseline, read as a change of
  (multiple − 1) × 100 % (``multiple-of-baseline``; progress tracking computes the goal as
  baseline × (1 + value/100)); the multiple is kept as ``Target.multiplier``;
- ``SCALE_ONLY``: a Chinese numeral with only a scale word (冲刺八千亿, 突破三千亿), which the number reader
  leaves alone because most bare numerals are names;
- the unit a figure takes from its subject or from an earlier figure (``implied_unit``): 总规模突破三千亿 →
  亿元 (a money noun), 从现状120万亩增加到150万 → 万亩.
"""

from __future__ import annotations

import re

from innocity.parsing.numbers import cn_value
from innocity.parsing.rx import rx
from innocity.parsing.vocabulary import MONEY_NOUN

MULTIPLE = rx(
    r"(?:翻(?P<fan>一|两|二|三)?番|(?P<verb>增加|增长|提高|扩大|提升|增)(?:了)?(?P<n>[一两二三四五六七八九十]|\d+(?:\.\d+)?)倍"
    r"|(?<![“\"])倍增(?!计划|行动|工程|专项|计|行|工))(?P<above>以上)?"
)
_FAN = {"一": 1, "两": 2, "二": 2, "三": 3}
_SMALL = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# Starts at the numeral (a fast first-character scan); ``scale_verb`` checks the verb before it.
SCALE_ONLY = rx(
    r"(?<![零〇一二两三四五六七八九十百千])(?P<n>[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*)(?P<s>万亿|亿|万)"
    r"(?![元人户亩吨件个家项台套辆名平立千米公斤册部所座零〇一二两三四五六七八九十百千])"
)
_SCALE_VERBS = ("突破", "超过", "达到", "冲刺", "实现", "迈上", "跨越", "迈向", "超", "达", "至", "到")
AT_LEAST = ("突破", "超过", "超")


def scale_verb(f: str, m: re.Match[str]) -> str | None:
    """The verb right before a ``SCALE_ONLY`` match (突破, 达到 …), or None when there is none."""
    before = f[max(0, m.start() - 2): m.start()]
    return next((v for v in _SCALE_VERBS if before.endswith(v)), None)

_BASELINE_BEFORE = rx(
    r"(?:(?:比|较|相比|相较于?|与)(?P<b>[^,;。比较]{1,16}?)(?:相比)?|在(?P<b2>[^,;。在]{1,14}?)(?:的)?基础上)(?:实现)?$"
)
_YEAR = rx(r"((?:19|20)\d\d)")


def multiple_of(m: re.Match[str]) -> float:
    """How many times the baseline a ``MULTIPLE`` match asks for (翻两番 → 4, 增加两倍 → 3, 倍增 → 2)."""
    if m.group(0).startswith("翻"):
        return float(2 ** _FAN.get(m.group("fan") or "一", 1))
    n = m.group("n")
    if n:
        return (float(n) if n[0].isdigit() else float(_SMALL[n])) + 1.0
    return 2.0


def baseline_before(pre: str) -> tuple[int | None, str] | None:
    """(year, words) of the baseline a comparison names right before the verb ("较2020年" → 2020)."""
    m = _BASELINE_BEFORE.search(pre)
    if m is None:
        return None
    words = (m.group("b") or m.group("b2")).strip()
    y = _YEAR.search(words)
    return (int(y.group(1)) if y else None), words


def before_baseline(pre: str) -> str:
    """The clause before its comparison ("地区生产总值较2020年" → "地区生产总值"), for the indicator."""
    m = _BASELINE_BEFORE.search(pre)
    return pre[: m.start()] if m is not None and m.start() > 1 else pre


def scale_value(m: re.Match[str]) -> float | None:
    v = cn_value(m.group("n"))
    return float(v) if v is not None else None


SCALES = ("万亿", "亿", "万", "千")


def implied_unit(unit: str | None, subject: str, earlier: str | None) -> tuple[str | None, str | None]:
    """(unit, unit as written) for a figure whose unit is a bare scale word: the unit of an earlier figure of
    the same clause with that scale (120万亩 … 150万 → 万亩), else 元 after the scale when the subject is an
    amount of money (总规模 … 三千亿 → 亿元); otherwise the scale stays the unit. ``(None, None)`` when
    nothing changes."""
    if unit not in SCALES:
        return None, None
    if earlier and earlier.startswith(unit) and len(earlier) > len(unit) and earlier[len(unit):] not in SCALES:
        return earlier, unit
    if MONEY_NOUN.search(subject):
        return f"{unit}元", unit
    return None, None
