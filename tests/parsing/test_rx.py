"""The compiled-pattern cache (``innocity.parsing.rx``): whatever the file holds, a pattern is what
``re.compile`` makes of it, and a missing, foreign, damaged or unwritable file only costs start-up time."""

from __future__ import annotations

import importlib
import json
import marshal
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import innocity.parsing
from innocity.parsing import rx as rxmod
from innocity.parsing.rx import Cache

# Shapes the parser's rules use: CJK ranges, named groups, look-behind, flags, repeats, escapes.
SAMPLES: list[tuple[str, int]] = [
    (r"[\u4e00-\u9fff]{2,8}(?:市|县)", 0),
    (r"(?P<y>(?:19|20)\d\d)年(?:的)?(?:工作)?回顾|回顾(?:了|过去的)?(?P<y2>(?:19|20)\d\d)年", 0),
    (r"(?<![自理经缘])(?:由(?!于)|从(?![事而业]))(?=[^,;。]{0,12}(?:\d|$))", 0),
    (r"^\s*(?:第[一二三四五六七八九十]+[章节]|[一二三四五六七八九十]+、)", re.M),
    (r"km/h|MW|GW", re.I),
    (r"(a)(b)?(?P<c>c)\2", 0),
]


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert a == b  # equal patterns have the same text, flags and compiled program
    assert (a.flags, a.groups, a.groupindex) == (b.flags, b.groups, b.groupindex)


def _compile_all(cache: Cache) -> list[re.Pattern[str]]:
    return [cache.compile(p, f) for p, f in SAMPLES]


def test_fresh_and_cached_patterns_equal_re_compile(tmp_path: Path) -> None:
    path = tmp_path / "rx.marshal"
    first = Cache(path)
    for got, (p, f) in zip(_compile_all(first), SAMPLES, strict=True):
        _same(got, re.compile(p, f))
    assert first.misses == len(SAMPLES)
    first.write()
    assert path.exists()

    second = Cache(path)
    got = _compile_all(second)
    assert second.misses == 0  # every program came from the file
    for g, (p, f) in zip(got, SAMPLES, strict=True):
        _same(g, re.compile(p, f))
    m = got[1].search("2019年工作回顾")
    assert m is not None and m.group("y") == "2019"


def test_every_parser_pattern_equals_re_compile() -> None:
    """Import every parser module; each pattern compiled through ``rx`` is the one ``re.compile`` makes."""
    for info in pkgutil.walk_packages(innocity.parsing.__path__, "innocity.parsing."):
        importlib.import_module(info.name)
    used = rxmod.CACHE._used
    assert len(used) > 200
    for (pattern, flags), _entry in used.items():
        _same(rxmod.rx(pattern, flags), re.compile(pattern, flags))


@pytest.mark.parametrize(
    "content",
    [b"", b"not marshal at all", marshal.dumps(("another header", {})), marshal.dumps([1, 2, 3])],
    ids=["empty", "garbage", "foreign-header", "wrong-shape"],
)
def test_unusable_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "rx.marshal"
    path.write_bytes(content)
    cache = Cache(path)
    for got, (p, f) in zip(_compile_all(cache), SAMPLES, strict=True):
        _same(got, re.compile(p, f))
    assert cache.misses == len(SAMPLES)
    cache.write()  # replaced by a good file
    assert Cache(path)._read().keys() == {(p, int(f)) for p, f in SAMPLES}


def test_damaged_program_is_compiled_afresh(tmp_path: Path) -> None:
    path = tmp_path / "rx.marshal"
    cache = Cache(path)
    _compile_all(cache)
    cache.write()
    header, entries = marshal.loads(path.read_bytes())
    key = (SAMPLES[0][0], SAMPLES[0][1])
    flags, code, groups, groupindex, indexgroup = entries[key]
    entries[key] = (flags, code[: len(code) // 2], groups, groupindex, indexgroup)  # _sre refuses it
    path.write_bytes(marshal.dumps((header, entries)))

    again = Cache(path)
    _same(again.compile(*SAMPLES[0]), re.compile(*SAMPLES[0]))
    assert again.misses == 1


def test_unwritable_place_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = Cache(blocker / "sub" / "rx.marshal")  # its parent can never be a directory
    for got, (p, f) in zip(_compile_all(cache), SAMPLES, strict=True):
        _same(got, re.compile(p, f))
    cache.write()  # no exception
    assert not (blocker / "sub").exists()


def test_no_cache_path_means_plain_compile() -> None:
    cache = Cache(None)
    _same(cache.compile(*SAMPLES[1]), re.compile(*SAMPLES[1]))
    assert cache.misses == 0


def test_bad_pattern_raises_like_re() -> None:
    with pytest.raises(re.error):
        Cache(None).compile("(unclosed")
    with pytest.raises(re.error):
        rxmod.rx("[z-a]")


_KEYS = """
import importlib, json, pkgutil
import innocity.parsing
from innocity.parsing import rx
for info in pkgutil.walk_packages(innocity.parsing.__path__, "innocity.parsing."):
    importlib.import_module(info.name)
print(json.dumps(sorted(rx.CACHE._used), ensure_ascii=False))
"""


def test_patterns_are_the_same_text_in_every_process() -> None:
    """A pattern built from a set in hash order would be a new cache key (a miss and a rewrite) every run."""
    keys = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", _KEYS], env=env, capture_output=True, text=True, check=True)
        keys.append(json.loads(out.stdout))
    assert keys[0] == keys[1]
