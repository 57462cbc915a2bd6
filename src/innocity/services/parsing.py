"""Use case: turn files on disk into parsed, catalogue-annotated documents, one or many at a time.

``parse_path`` is read → decode → parse → match indicators for one file; ``iter_parse`` does it for a batch
(optionally in worker processes) and hands back each file's result or its error in input order, so one bad
file never stops the others. ``expand_paths`` turns directory arguments into the documents inside them.

The indicator matcher is the caller's (the process's ``AppContext.matcher``): it is passed in, never built
here. Worker processes receive it once each, when they start.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from innocity import catalog
from innocity.domain.plan import ParsedDocument
from innocity.errors import DocumentError, InnocityError, NotFoundError, UserInputError
from innocity.parsing import pipeline
from innocity.parsing.readers import SUPPORTED_SUFFIXES

if TYPE_CHECKING:
    from innocity.catalog import Matcher

ParseResult = ParsedDocument | InnocityError
MAX_BYTES = 256 * 10**6  # far above any plan; keeps a mistaken argument (a disk image) from eating memory


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """The files to parse: files as given, directories replaced by their documents (recursive, sorted).

    Missing paths stay in the list so the batch reports them alongside the others. A directory holding no
    supported document is the user's mistake and raises ``DocumentError``.
    """
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not _skipped(p.relative_to(path))
            )
            if not found:
                raise DocumentError(
                    f"directory holds no documents ({' '.join(SUPPORTED_SUFFIXES)})", source=str(path)
                )
            out.extend(found)
        else:
            out.append(path)
    return out


def _skipped(rel: Path) -> bool:
    """Hidden files and folders, and Word's "~$name.docx" lock files, are not documents to parse."""
    return any(part.startswith((".", "~$")) for part in rel.parts)


def parse_path(path: Path, *, matcher: Matcher | None = None, annotate: bool = True,
               explain: bool = False) -> ParsedDocument:
    """Read, decode and parse one file, then match its targets and facts to the indicator catalogue with
    ``matcher`` (without one, the built-in catalogue's shared matcher; ``annotate=False`` skips matching).
    ``explain`` adds each plan's decision trail (``Plan.explain``).

    Raises ``NotFoundError`` for a missing file and ``DocumentError`` for one that cannot be read as a
    document. A document without plans is returned as such (``plans == []``); the caller decides.
    """
    name = str(path)
    if not path.exists():
        raise NotFoundError("no such file", source=name)
    if path.is_dir():
        raise DocumentError("is a directory (give its files, or use several paths)", source=name)
    if not path.is_file():
        raise DocumentError("not a regular file", source=name)
    if path.stat().st_size > MAX_BYTES:
        raise DocumentError(
            f"too large ({path.stat().st_size / 1e6:.0f} MB; the limit is {MAX_BYTES // 10**6} MB)",
            source=name,
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}", source=name) from None
    doc = pipeline.parse_bytes(data, name, explain=explain)
    if annotate:
        catalog.annotate_document(doc, matcher)
    return doc


# In a worker process: the matcher and options it was started with (set once by ``_start_worker``).
_WORKER: dict[str, object] = {}


def _start_worker(matcher: Matcher | None, explain: bool) -> None:
    _WORKER["matcher"], _WORKER["explain"] = matcher, explain


def _parse_one(path: Path, matcher: Matcher | None = None, explain: bool = False
               ) -> ParsedDocument | tuple[str, str, str | None]:
    """Worker body: the document, or the error as plain data (our exceptions do not pickle their source)."""
    try:
        return parse_path(path, matcher=matcher, explain=explain)
    except UserInputError as exc:
        return (type(exc).__name__, exc.message, exc.source)
    except InnocityError as exc:
        return ("InnocityError", exc.message, exc.source)
    except Exception as exc:  # a bug in one extractor must not end the batch; report it as that file's error
        return ("InnocityError", f"internal error while parsing ({type(exc).__name__}: {exc})", str(path))


_ERRORS: dict[str, type[InnocityError]] = {
    "DocumentError": DocumentError,
    "NotFoundError": NotFoundError,
    "UserInputError": UserInputError,
}


def _result(raw: ParsedDocument | tuple[str, str, str | None]) -> ParseResult:
    if isinstance(raw, ParsedDocument):
        return raw
    kind, message, source = raw
    return _ERRORS.get(kind, InnocityError)(message, source=source)


def _parse_in_worker(path: Path) -> ParsedDocument | tuple[str, str, str | None]:
    return _parse_one(path, _WORKER.get("matcher"), bool(_WORKER.get("explain")))  # type: ignore[arg-type]


def iter_parse(paths: Iterable[Path], *, jobs: int = 1, matcher: Matcher | None = None,
               explain: bool = False) -> Iterator[tuple[Path, ParseResult]]:
    """Parse each path; yield ``(path, document or error)`` in input order.

    With ``jobs > 1`` the files are parsed by that many worker processes, each given ``matcher`` once when
    it starts. Errors are yielded, not raised, so the caller can report every bad file and still deliver
    the good ones.
    """
    todo = list(paths)
    if jobs <= 1 or len(todo) <= 1:
        for path in todo:
            yield path, _result(_parse_one(path, matcher, explain))
        return
    # Imported here: concurrent.futures and multiprocessing cost every one-file parse ~10 ms of start-up.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=_start_worker,
                             initargs=(matcher, explain)) as pool:
        for path, raw in zip(todo, pool.map(_parse_in_worker, todo, chunksize=1), strict=True):
            yield path, _result(raw)
