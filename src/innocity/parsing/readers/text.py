"""Plain-text decoding: UTF-8 (with or without BOM), GB18030/GBK, UTF-16 LE/BE (with or without BOM).

Detect, never guess silently wrong. The order is principled:

1. A BOM decides (UTF-8, UTF-16 LE/BE); the bytes must then decode strictly.
2. UTF-8 strict: non-ASCII bytes that happen to form valid UTF-8 are vanishingly rare in other encodings.
3. UTF-16 without BOM, recognised by NUL bytes sitting on one parity (ASCII digits, spaces and line breaks
   of a UTF-16 text are ``xx 00`` or ``00 xx``).
4. GB18030 (a superset of GB2312 and GBK) strict.

Every candidate other than a BOM or UTF-8 must also look like Chinese prose: a high share of common
characters (ASCII, CJK punctuation, and CJK ideographs that GB2312 covers — real simplified Chinese text
is >99% GB2312, a wrong decoding scatters over the whole ideograph block and beyond). When two candidates
are plausible, charset-normalizer breaks the tie; when that does not settle it, we refuse.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from innocity.errors import DocumentError

_SAMPLE = 65536  # characters (or bytes) looked at for plausibility; enough and bounded
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Runs, removed with sub(): the same characters remain as findall() of the others would collect, without a
# list of 60,000 one-character strings (plausibility of a 65,536-character sample: 13.8 → 2.5 ms).
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
_NON_CJK_RUN = re.compile(r"[^\u4e00-\u9fff]+")
_COMMON_SYMBOLS = re.compile(
    "[\u3000-\u303f\uff00-\uffef\u2000-\u206f\u2460-\u24ff\u2150-\u218f\u2190-\u21ff\u2200-\u22ff"
    "\u25a0-\u25ff\u00a0\u00b0\u00b1\u00b7\u00d7\u00f7\u2103\u2116\u00b2\u00b3\ufeff]"
)
_HTML_HEAD = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<meta\s|<body)", re.IGNORECASE)

PLAUSIBLE = 0.9  # minimum share of common characters for a decoding to count as Chinese text


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def looks_like_html(head: bytes) -> bool:
    """True when the first bytes are an HTML page (also when UTF-16 encoded)."""
    probe = head.replace(b"\x00", b"")
    if probe.startswith(codecs.BOM_UTF8):
        probe = probe[3:]
    return bool(_HTML_HEAD.match(probe.lstrip(b"\xff\xfe")))


def plausibility(text: str) -> float:
    """Share of ``text`` (a bounded sample) made of characters common in Chinese documents, 0…1.

    Common: ASCII, CJK and full-width punctuation, general punctuation, circled and Roman numerals, a few
    symbols (° ℃ × ± ≥ …) and the CJK ideographs GB2312 covers. Control characters, letters of other
    scripts (Cyrillic ё is in GB2312 but not in a 实施方案) and rare ideographs count against.
    """
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    controls = len(_CONTROL.findall(sample))
    rest = _COMMON_SYMBOLS.sub("", _ASCII_RUN.sub("", sample))
    cjk = _NON_CJK_RUN.sub("", rest)
    rare_cjk = cjk.encode("gb2312", errors="replace").count(b"?")
    bad = controls + (len(rest) - len(cjk)) + rare_cjk
    return 1.0 - bad / len(sample)


def _utf16_parity(data: bytes) -> str | None:
    """'le' or 'be' when NUL bytes sit almost only on odd or even offsets (UTF-16 without BOM)."""
    sample = data[:_SAMPLE]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd and (even == 0 or odd >= 20 * even):
        return "le"
    if even and (odd == 0 or even >= 20 * odd):
        return "be"
    return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _normalizer_guess(data: bytes) -> str | None:
    """charset-normalizer's best encoding, normalised to our names (used only to break ties)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_SAMPLE]).best()
    if best is None:
        return None
    enc = best.encoding.lower().replace("_", "-")
    if enc in ("gb2312", "gbk", "gb18030", "hz", "cp936"):
        return "gb18030"
    if enc in ("utf-16-le", "utf-16le"):
        return "utf-16-le"
    if enc in ("utf-16-be", "utf-16be"):
        return "utf-16-be"
    return enc


def decode_text(data: bytes) -> Decoded:
    """Decode the bytes of a text file; raise ``DocumentError`` when it is not text or is ambiguous."""
    if not data:
        raise DocumentError("empty file")
    for bom, enc, name in (
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ):
        if data.startswith(bom):
            text = _strict(data[len(bom) :], enc)
            if text is None:
                raise DocumentError(f"starts with a {name} byte-order mark but is not valid {enc}")
            _check_not_binary(text, name)
            return Decoded(text, name)

    parity = _utf16_parity(data)
    utf8: str | None = None
    if parity is None:
        utf8 = _strict(data, "utf-8")
        # Valid UTF-8 that reads as Chinese (or plain ASCII) is accepted at once. Short GB18030 text can
        # also be valid UTF-8 ("牵" is C7 A3, "ǣ" in UTF-8), and UTF-16 of pure CJK text can be all ASCII
        # bytes full of control codes: those are judged against the other candidates below.
        if utf8 is not None and plausibility(utf8) >= PLAUSIBLE:
            return Decoded(utf8, "utf-8")

    candidates: dict[str, str] = {}
    if parity is not None:
        enc = f"utf-16-{parity}"
        text = _strict(data, enc)
        if text is not None:
            candidates[enc] = text
    else:
        text = _strict(data, "gb18030")
        if text is not None:
            candidates["gb18030"] = text
        if len(data) % 2 == 0:
            # UTF-16 of pure CJK text has no NUL bytes at all; keep it as a candidate to be judged.
            for enc in ("utf-16-le", "utf-16-be"):
                text = _strict(data, enc)
                if text is not None:
                    candidates[enc] = text

    scored = {enc: plausibility(t) for enc, t in candidates.items()}
    good = [enc for enc, s in scored.items() if s >= PLAUSIBLE]
    if not good and utf8 is not None and _control_share(utf8) <= _MAX_CONTROL:
        # Valid UTF-8 in some other script (and no Chinese reading of the bytes): UTF-8 it is.
        return Decoded(utf8, "utf-8", ["valid UTF-8, though not mostly simplified Chinese"])
    if not good:
        if b"\x00" in data[:_SAMPLE] and parity is None:
            raise DocumentError("binary data, not a text document")
        if not candidates:
            raise DocumentError("undecodable: not UTF-8, GB18030 or UTF-16 text")
        best = max(scored, key=lambda e: scored[e])
        raise DocumentError(
            f"binary or undecodable data: the best decoding ({best}) does not look like text "
            f"({scored[best]:.0%} common characters)"
        )
    if len(good) == 1:
        return Decoded(candidates[good[0]], good[0])
    good.sort(key=lambda e: scored[e], reverse=True)
    if scored[good[0]] - scored[good[1]] >= 0.05:
        return Decoded(candidates[good[0]], good[0])
    guess = _normalizer_guess(data)
    if guess in good:
        return Decoded(
            candidates[guess], guess, [f"encoding ambiguous between {', '.join(good)}; chose {guess}"]
        )
    raise DocumentError(f"ambiguous encoding: the text decodes plausibly as {' and '.join(good)}")


_MAX_CONTROL = 0.02


def _control_share(text: str) -> float:
    sample = text[:_SAMPLE]
    return len(_CONTROL.findall(sample)) / len(sample) if sample else 0.0


def _check_not_binary(text: str, encoding: str) -> None:
    if _control_share(text) > _MAX_CONTROL:
        raise DocumentError(f"binary data, not a text document (decodes as {encoding} with control bytes)")
