"""Rendering list numbers the way Word shows them: 一 二 … 十一, ①, 1, a, iv, 甲 …"""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
]


def chinese_counting(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (as Word's chineseCounting, n < 10000)."""
    if n <= 0 or n >= 10000:
        return str(n)
    out = ""
    units = [(1000, "千"), (100, "百"), (10, "十")]
    rest = n
    zero = False
    for size, name in units:
        d, rest = divmod(rest, size)
        if d:
            if zero:
                out += "零"
                zero = False
            if not (size == 10 and d == 1 and not out):
                out += _DIGITS[d]
            out += name
        elif out:
            zero = True
    if rest:
        if zero:
            out += "零"
        out += _DIGITS[rest]
    return out


def _roman(n: int) -> str:
    out = ""
    for size, sym in _ROMAN:
        while n >= size:
            out += sym
            n -= size
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """``n`` in Word's ``numFmt`` ``fmt``; unknown formats fall back to decimal."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        return chinese_counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "ideographTraditional" and 1 <= n <= len(_HEAVENLY):
        return _HEAVENLY[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter" and n > 0:
        return _letters(n)
    if fmt == "upperLetter" and n > 0:
        return _letters(n).upper()
    if fmt == "lowerRoman" and n > 0:
        return _roman(n)
    if fmt == "upperRoman" and n > 0:
        return _roman(n).upper()
    return str(n)
