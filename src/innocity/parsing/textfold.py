"""Length-preserving normalisation: a folded copy of the text with the same offsets.

Extractors match patterns on the folded copy (full-width digits, letters and punctuation folded to
half-width, Chinese/ideographic variants of dashes and colons unified) and cut quotes from the original,
so every span still points at the exact words of the source. One code point in, one code point out.
"""

from __future__ import annotations

import re
import unicodedata

from innocity.parsing.rx import rx

_EXTRA = {
    "\u3000": " ",  # ideographic space
    "\u00a0": " ",
    "\u2236": ":",  # ratio ∶
    "\uff1a": ":",
    "\u2014": "—",
    "\u2015": "—",
    "\u2013": "—",
    "\u2012": "—",
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",
    "\uff5e": "~",
    "\u301c": "~",
    "\u3001": "、",
    "\uff0c": ",",
    "\uff1b": ";",
    "\uff08": "(",
    "\uff09": ")",
    "\uff05": "%",
    "\u3002": "。",
    "\uff0e": ".",
    "\u2265": "≥",
    "\u2264": "≤",
}


def _fold_char(ch: str) -> str:
    if ch in _EXTRA:
        return _EXTRA[ch]
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:  # full-width ASCII block
        return chr(o - 0xFEE0)
    if 0xF900 <= o <= 0xFAFF:  # CJK compatibility ideographs → the unified ideograph
        n = unicodedata.normalize("NFKC", ch)
        return n if len(n) == 1 else ch
    # Everything else stays: circled numbers (①) mark headings and superscripts (m²) belong to units.
    return ch


# Only the characters _fold_char can change (_EXTRA, the full-width block, the compatibility ideographs):
# trying all 65,000 of the BMP cost 17 ms of every start-up.
_CANDIDATES = sorted({*map(ord, _EXTRA), *range(0xFF01, 0xFF5F), *range(0xF900, 0xFB00)})
_MAP = {chr(o): _fold_char(chr(o)) for o in _CANDIDATES if _fold_char(chr(o)) != chr(o)}
# str.translate looks up every character in a dict (about 3 M chars/s on Chinese text); a character class
# of the few hundred mapped characters lets the regex engine skip everything else at C speed.
_MAPPED = rx("[" + "".join(re.escape(c) for c in sorted(_MAP)) + "]")


def _sub(m: re.Match[str]) -> str:
    return _MAP[m.group()]


def fold(text: str) -> str:
    """The text with the same length, every character folded as described above."""
    return _MAPPED.sub(_sub, text)
