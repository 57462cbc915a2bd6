"""The parser's fixed regular expressions, compiled once per machine instead of once per process.

The parser's rules are some 250 patterns compiled when their modules are imported. ``re`` compiles in pure
Python (a class holding the CJK ideograph range walks its 21,000 code points one by one): together about
0.1 s of every ``innocity parse`` start-up, more than parsing a 40,000-character plan takes. ``rx(pattern)``
returns exactly what ``re.compile(pattern)`` returns (an equal ``re.Pattern``: the same program, flags and
groups) but takes the compiled program from a cache file when an earlier process left it there, and then
builds the pattern from it in C (about 2 ms for all of them). jieba and matplotlib keep caches the same way.

- The file is ``rx-<python>.marshal`` in the user's cache directory (``platformdirs.user_cache_dir``, e.g.
  ~/.cache/innocity), written once when the process ends and only when a pattern was compiled afresh. An
  unwritable directory only means the next start compiles again.
- Patterns are keyed by their text and flags, so an edited pattern is a miss, never a wrong program; a file
  written by another Python or another regular-expression engine, or damaged, is ignored (``_sre`` also
  validates every program it is given). A file grown past ``MAX_ENTRIES`` (patterns edited many times over)
  keeps what the last process used. A pattern must be the same text in every process to be found again:
  build none from a set's iteration order (it changes with the hash seed; see ``vocabulary.alternation``).
- It runs the interpreter's own compiler steps (``re._parser``, ``re._compiler``, ``_sre.compile``), the ones
  ``re.compile`` runs. Should they ever change shape, ``rx`` falls back to ``re.compile``: slower to start,
  never different.

Use ``rx`` for patterns fixed in the code (module constants), never for patterns built from a document: those
would grow the file without bound.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

try:
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # an interpreter without CPython's engine: plain re.compile
    _sre = None  # type: ignore[assignment]

FORMAT = 1
MAX_ENTRIES = 500  # about twice the parser's patterns: loading the file stays near 2 ms
_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_Key = tuple[str, int]


def _header() -> tuple[Any, ...]:
    return (FORMAT, sys.implementation.cache_tag, sys.hexversion, _sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT,
            _sre.MAXGROUPS)


def default_path() -> Path | None:
    """Where the cache lives for this user and this Python; None where ``rx`` cannot cache."""
    if _sre is None or not sys.implementation.cache_tag:
        return None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("innocity", appauthor=False)) / f"rx-{sys.implementation.cache_tag}.marshal"


class Cache:
    """The programs read from one cache file, those used or compiled in this process, and the write-back."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.enabled = path is not None and _sre is not None
        self.misses = 0  # patterns compiled afresh (the file did not hold them)
        self._loaded: dict[_Key, _Entry] | None = None
        self._used: dict[_Key, _Entry] = {}

    def compile(self, pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
        """``re.compile(pattern, flags)``, from the cached program when there is one."""
        if not self.enabled:
            return re.compile(pattern, flags)
        key = (pattern, int(flags))
        entry = self._read().get(key)
        if entry is not None:
            try:
                compiled: re.Pattern[str] = _sre.compile(pattern, *entry)
            except Exception:  # a damaged program (_sre validates it): compile afresh; the file is rewritten
                entry = None
        if entry is None:
            try:
                entry = _program(pattern, int(flags))
                compiled = _sre.compile(pattern, *entry)
            except re.error:
                raise
            except Exception:  # the interpreter's compiler changed shape: stop caching, compile as re does
                self.enabled = False
                return re.compile(pattern, flags)
            self.misses += 1
        self._used[key] = entry
        return compiled

    def write(self) -> None:
        """Save the programs compiled afresh in this process (merged with the file as it is now)."""
        if not self.misses or self.path is None:
            return
        self.misses = 0
        merged = {**_load(self.path), **self._used}  # another process may have written meanwhile
        if len(merged) > MAX_ENTRIES:
            merged = dict(self._used)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".rx-", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(marshal.dumps((_header(), merged)))
                os.replace(tmp, self.path)  # readers see the old file or the new one, never half of one
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass  # nowhere to write: the next process compiles again, nothing else changes

    def _read(self) -> dict[_Key, _Entry]:
        if self._loaded is None:
            self._loaded = _load(self.path)
        return self._loaded


def _load(path: Path | None) -> dict[_Key, _Entry]:
    if path is None:
        return {}
    try:
        header, entries = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if header != _header() or not isinstance(entries, dict):
        return {}
    return entries


def _program(pattern: str, flags: int) -> _Entry:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` for ``pattern``: the same steps, kept."""
    p = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(p, flags)]
    groupindex = dict(p.state.groupdict)
    indexgroup: list[str | None] = [None] * p.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return int(flags | p.state.flags), code, p.state.groups - 1, groupindex, tuple(indexgroup)


CACHE = Cache(default_path())
atexit.register(CACHE.write)


def rx(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` for a pattern fixed in the code, through the per-machine cache."""
    return CACHE.compile(pattern, flags)
