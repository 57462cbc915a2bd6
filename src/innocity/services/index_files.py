"""Reading what users hand the index engine, within bounds: regular files only, any of the encodings
Chinese offices save in, and YAML that cannot explode.

- ``read_regular_file``: a FIFO, a device or a directory is refused before anything is read (opening a FIFO
  for reading would wait for a writer forever), and so is a file over the size limit.
- ``decode``: UTF-8 (with or without BOM), GB18030/GBK and UTF-16 (with or without BOM), detected by the
  same rules as plan documents (``innocity.parsing.readers.text.decode_text``).
- ``load_yaml``: before PyYAML builds anything, one pass over the event stream measures the document:
  nesting depth (deep nesting would exhaust the stack while composing), and the number of nodes once every
  alias is expanded (a "billion laughs" document is a few hundred bytes that expand to 10⁹ nodes, and a
  recursive alias never ends). Over a limit, the file is refused with one line naming it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from innocity.errors import DocumentError, FrameworkError, InnocityError, UserInputError

MAX_FRAMEWORK_BYTES = 1 << 20  # 1 MiB: a framework of a thousand nodes is about 60 KB
MAX_DATA_BYTES = 50 << 20  # 50 MiB of CSV; larger panels belong in the database (--from-db)
MAX_YAML_DEPTH = 64  # nested mappings and sequences
MAX_YAML_NODES = 1_000_000  # scalars and collections, every alias expanded (1 MB holds at most ~500,000)

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _size(n: int) -> str:
    return f"{n / (1 << 20):g} MB" if n >= 1 << 20 else f"{n / 1024:g} KB"


def read_regular_file(path: Path, *, limit: int, error: type[InnocityError] = UserInputError) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; else one-line ``error``."""
    src = str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then tells what was opened
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise error("no such file", source=src) from None
    except IsADirectoryError:
        raise error("is a directory, not a file", source=src) from None
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror or type(exc).__name__}", source=src) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise error("is a directory, not a file", source=src)
        if not stat.S_ISREG(st.st_mode):
            raise error("not a regular file (a pipe, device or socket); give a file", source=src)
        if st.st_size > limit:
            raise error(f"too large ({_size(st.st_size)}; at most {_size(limit)})", source=src)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise error(f"too large (more than {_size(limit)})", source=src)
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror or type(exc).__name__}", source=src) from None
    finally:
        os.close(fd)


def decode(data: bytes, *, source: str, error: type[InnocityError] = UserInputError) -> str:
    """Text of a file in any supported encoding; a spreadsheet or binary file is refused in one line."""
    if data.startswith(_ZIP):
        raise error("an Excel workbook (.xlsx) or other ZIP file, not text; save it as CSV (UTF-8) first",
                    source=source)
    if data.startswith(_OLE):
        raise error("an old Excel (.xls) or Word file, not text; save it as CSV (UTF-8) first", source=source)
    from innocity.parsing.readers.text import decode_text

    try:
        return decode_text(data).text
    except DocumentError as exc:
        raise error(exc.message, source=source) from None


def _measure(text: str, source: str) -> None:
    """Refuse YAML nested deeper than ``MAX_YAML_DEPTH`` or expanding to more than ``MAX_YAML_NODES``."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    ev = yaml.events
    depth, count = 0, 0
    sizes: dict[str, int] = {}  # anchor → nodes it stands for
    open_anchors: dict[str, int] = {}  # anchors of collections still being read → count at their start
    frames: list[str | None] = []
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, ev.CollectionStartEvent):
            depth += 1
            count += 1
            if depth > MAX_YAML_DEPTH:
                raise FrameworkError(f"YAML nested deeper than {MAX_YAML_DEPTH} levels", source=source)
            frames.append(event.anchor)
            if event.anchor:
                open_anchors[event.anchor] = count
        elif isinstance(event, ev.CollectionEndEvent):
            depth -= 1
            anchor = frames.pop() if frames else None
            if anchor and anchor in open_anchors:
                sizes[anchor] = count - open_anchors.pop(anchor) + 1
        elif isinstance(event, ev.ScalarEvent):
            count += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, ev.AliasEvent):
            if event.anchor in open_anchors:
                raise FrameworkError(f"recursive YAML alias *{event.anchor} (it contains itself)", source=source)
            count += sizes.get(event.anchor or "", 1)
        if count > MAX_YAML_NODES:
            raise FrameworkError(f"YAML expands to more than {MAX_YAML_NODES:,} nodes once its aliases are "
                                 "followed (the documented maximum)", source=source)


def load_yaml(text: str, *, source: str) -> Any:
    """Parse one YAML document within the bounds above; every failure is one ``FrameworkError`` line."""
    import yaml

    if len(text.encode("utf-8", "surrogatepass")) > MAX_FRAMEWORK_BYTES:
        raise FrameworkError(f"too large (at most {_size(MAX_FRAMEWORK_BYTES)})", source=source)
    try:
        _measure(text, source)
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "YAML"
        problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
        raise FrameworkError(f"{where}: not valid YAML" + (f" ({problem})" if problem else ""),
                             source=source) from None
    except (ValueError, OverflowError, TypeError, RecursionError, MemoryError) as exc:
        # values YAML accepts but Python cannot build: a 5,000-digit integer, a 13th month
        raise FrameworkError(f"a value cannot be read: {str(exc).splitlines()[0][:120]}", source=source) from None
