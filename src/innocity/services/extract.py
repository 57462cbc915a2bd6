"""Use case: figures from a statistical bulletin (统计公报) or government work report (政府工作报告).

``extract_bytes`` reads a document (txt, html, docx, pdf), proposes its figures and matches each indicator
phrase to the catalogue; it needs no database. ``store_proposals`` keeps the document (bytes and sha256,
``kind="bulletin"``) and stores the accepted proposals as **draft** observations through the same
validation as any import (``observations.submit_rows``: all or nothing), each with the document and the
span of its quote as evidence. Re-storing the same document changes nothing.

What can be stored: a level, or a share of an indicator that is itself measured in per cent (an R&D
intensity, 占GDP比重: the share *is* that indicator's value), whose indicator matched the catalogue, whose
unit converts to the indicator's unit, for a single year and a known region. Growth rates and goals never
are. Everything else is reported as not stored with its reason, so a reviewer can edit and retry.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from innocity.catalog import Catalog, Matcher, units
from innocity.domain.bulletin import Figure
from innocity.errors import (
    DataValidationError,
    DocumentError,
    NoPlanFoundError,
    NotFoundError,
    RowProblem,
    UnitError,
    UserInputError,
)
from innocity.parsing.bulletin import read_bulletin
from innocity.parsing.bulletin_scoring import BulletinScore
from innocity.parsing.bulletin_scoring import score_bulletins as _score
from innocity.parsing.readers import read_document
from innocity.storage.plans import add_document
from innocity.storage.tables import Document, ObservationRow

from .context import Permission, UnitOfWork, today_or
from .models.extract import (
    ExtractedFigure,
    ExtractedRegion,
    ExtractResult,
    NotStored,
    SkippedNumber,
    StoreResult,
)

EDITABLE = ("indicator_code", "value", "unit", "period", "kind", "preliminary")
_PER_CAPITA = ("每万", "人均", "万人")
_RATIO_UNITS = ("%", "‰")
SHORT_PHRASE, SHORT_PHRASE_SCORE = 4, 0.9
MAX_BYTES = 256 * 10**6  # far above any bulletin; keeps a mistaken argument (a disk image) out of memory


class NoFiguresFoundError(NoPlanFoundError):
    """A document was read but reports no figures (exit status 1)."""

    code = "no_figures"


def extract_bytes(
    *, data: bytes, name: str, matcher: Matcher, region: str | None = None, year: int | None = None
) -> ExtractResult:
    """Read ``data`` (named ``name``) and propose its figures; ``region``/``year`` override the document.

    Raises ``DocumentError`` when the bytes cannot be read and ``NoFiguresFoundError`` when no figure is
    reported (a text of goals only, or no numbers at all)."""
    doc = read_document(data, name)
    reading = read_bulletin(doc.text, region=region, year=year)
    if not reading.figures:
        extra = f" ({len(reading.goals)} goals for the coming year were left out)" if reading.goals else ""
        raise NoFiguresFoundError(f"no figures found{extra}", source=name)
    r = reading.region
    known_region = r.name is not None and r.level != "national"
    return ExtractResult(
        source=name,
        sha256=doc.sha256,
        media_type=doc.media_type,
        encoding=doc.encoding,
        document_kind=reading.kind,
        title=reading.title,
        document_date=reading.document_date,
        region=ExtractedRegion(name=r.name, adcode=r.adcode, province=r.province, level=r.level,
                               confidence=r.confidence, rule=r.rule),
        year=reading.year,
        year_rule=reading.year_rule,
        observations=[_figure(i, f, matcher, known_region) for i, f in enumerate(reading.figures)],
        goals=[_figure(i, f, matcher, False, goal=True) for i, f in enumerate(reading.goals)],
        skipped=[SkippedNumber(text=s.text, span=s.span, rule=s.rule, reason=s.reason) for s in reading.skipped],
        warnings=[*doc.warnings, *reading.warnings],
        source_text=doc.text,
    )


def extract_path(path: Path, *, matcher: Matcher, region: str | None = None, year: int | None = None) -> tuple[
        ExtractResult, bytes]:
    """``extract_bytes`` on a file, with the file's errors named by its path; returns the bytes too (for
    storing)."""
    name = str(path)
    if not path.exists():
        raise NotFoundError("no such file", source=name)
    if not path.is_file():
        raise DocumentError("not a regular file", source=name)
    if path.stat().st_size > MAX_BYTES:
        raise DocumentError(f"too large (the limit is {MAX_BYTES // 10**6} MB)", source=name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}", source=name) from None
    return extract_bytes(data=data, name=name, matcher=matcher, region=region, year=year), data


def _figure(i: int, f: Figure, matcher: Matcher, known_region: bool, *, goal: bool = False) -> ExtractedFigure:
    hit = matcher.match(f.indicator, unit=f.unit, kind="growth" if f.kind == "growth" else "level") \
        if f.indicator else None
    if hit is not None and len(f.indicator) <= SHORT_PHRASE and hit.score < SHORT_PHRASE_SCORE:
        hit = None  # "其中,发明专利2510件": two words that are part of many names name none of them
    out = ExtractedFigure(
        index=i, indicator=f.indicator, indicator_code=hit.code if hit else None,
        match_score=round(hit.score, 3) if hit else None, value=f.value, unit=f.unit, period=f.period,
        kind=f.kind, preliminary=f.preliminary, text=f.text, span=f.span, value_span=f.value_span, rule=f.rule,
    )
    reason = "a goal for the coming year, not a result" if goal else _why_not(out, matcher.catalog, known_region)
    return out.model_copy(update={"storable": reason is None, "reason": reason})


def _why_not(f: ExtractedFigure, catalog: Catalog, known_region: bool) -> str | None:
    """Why ``f`` cannot be stored as it stands, or None."""
    if f.kind == "growth":
        return "a change (增长/下降) is not a value of the indicator"
    if f.indicator_code is None:
        return "the indicator matches nothing in the catalogue: choose one or add it"
    if f.period is None:
        return "the year is unknown: give it"
    if not (len(f.period) == 4 and f.period.isdigit()):
        return f"a figure over several years ({f.period}) is not one year's value"
    if not known_region:
        return "the region is unknown: give it"
    ind = catalog.get(f.indicator_code)
    if ind is None:
        return f"no indicator {f.indicator_code} in the catalogue"
    if f.kind == "share" and units.canonical(ind.unit) not in _RATIO_UNITS:
        return f"a share cannot be a value of {ind.code}, which is measured in {ind.unit}"
    if f.unit is None:
        return "the figure has no unit"
    return None if _converted(f, ind.unit) is not None else f"{f.unit} does not convert to {ind.unit}"


def _converted(f: ExtractedFigure, to_unit: str) -> tuple[float, str] | None:
    """(value, unit) to store: as written when the unit converts; a per-capita figure written with the
    numerator's unit (每万人口发明专利拥有量8.0件) in the indicator's unit; None when it does not convert."""
    if f.unit is None:
        return None
    try:
        units.convert(f.value, f.unit, to_unit)
        return f.value, f.unit
    except UnitError:
        pass
    try:
        if "/" in to_unit and any(w in f.indicator for w in _PER_CAPITA):
            return units.convert(f.value, f.unit, units.numerator(to_unit)), to_unit
    except UnitError:
        return None
    return None


# ---------------------------------------------------------------------- storing


def store_proposals(
    w: UnitOfWork,
    *,
    result: ExtractResult,
    data: bytes,
    name: str,
    accepted: list[int] | None = None,
    edits: dict[int, dict[str, Any]] | None = None,
    today: date | None = None,
) -> StoreResult:
    """Keep the document and store the ``accepted`` proposals (default: every storable one) as drafts.

    ``edits`` maps a proposal's index to corrected fields (``indicator_code``, ``value``, ``unit``,
    ``period``, ``kind``, ``preliminary``), as a reviewer confirms or corrects them. All or nothing: a value
    that fails the import's validation raises ``DataValidationError`` naming the proposals."""
    from innocity.services import observations

    w.require(Permission.SUBMIT_DATA)
    if hashlib.sha256(data).hexdigest() != result.sha256:
        raise UserInputError("the figures were not read from these bytes", field="data")
    region = result.region.adcode or (result.region.name if result.region.level != "national" else None)
    if not region:
        raise UserInputError("the region the figures are for is unknown: give it", field="region")
    chosen = _chosen(result, accepted, edits or {}, w.catalog, today_or(today))
    stored_rows, left_out = chosen
    doc_id = _document(w, result, data, name)
    if not stored_rows:
        return StoreResult(source=name, document_id=doc_id, region=region, stored=0, not_stored=left_out)
    rows = [{**row, "region": region} for _, row in stored_rows]
    try:
        submitted = observations.submit_rows(w, rows=rows, status="draft", source=name, today=today)
    except DataValidationError as exc:
        problems = [
            RowProblem(stored_rows[p.row - 1][0].index, p.field, f"{p.reason} (“{stored_rows[p.row - 1][0].text}”)")
            for p in exc.problems if 0 < p.row <= len(stored_rows)
        ]
        raise DataValidationError(
            f"{len({p.row for p in problems})} proposals cannot be stored (numbered by proposal index); "
            "nothing was stored", problems, source=name
        ) from None
    _evidence(w, submitted.ids, stored_rows, doc_id)
    return StoreResult(source=name, document_id=doc_id, region=region, stored=submitted.stored,
                       unchanged=submitted.unchanged, ids=submitted.ids, not_stored=left_out)


def _chosen(
    result: ExtractResult, accepted: list[int] | None, edits: dict[int, dict[str, Any]], catalog: Catalog,
    today: date,
) -> tuple[list[tuple[ExtractedFigure, dict[str, Any]]], list[NotStored]]:
    n = len(result.observations)
    for i in [*(accepted or []), *edits]:
        if not isinstance(i, int) or not 0 <= i < n:
            raise UserInputError(f"no proposal {i!r} (there are {n})", field="accepted")
    known_region = bool(result.region.name) and result.region.level != "national"
    # default: every proposal; those that cannot be stored come back in ``not_stored`` with their reason
    picked = accepted if accepted is not None else [f.index for f in result.observations]
    rows: list[tuple[ExtractedFigure, dict[str, Any]]] = []
    left: list[NotStored] = []
    seen: dict[tuple[str, str, str], int] = {}
    known_on = result.document_date if result.document_date and result.document_date <= today.isoformat() else None
    for i in picked:
        f = _edited(result.observations[i], edits.get(i, {}))
        reason = _why_not(f, catalog, known_region)
        if reason is None:
            ind = catalog.get(f.indicator_code or "")
            conv = _converted(f, ind.unit) if ind is not None else None
            assert conv is not None and f.indicator_code is not None and f.period is not None
            vintage = "preliminary" if f.preliminary else "final"
            key = (f.indicator_code, f.period, vintage)
            if key in seen:
                reason = f"the same indicator, year and vintage as proposal {seen[key]}"
            else:
                seen[key] = f.index
                row = {"indicator": f.indicator_code, "period": f.period, "value": conv[0], "unit": conv[1],
                       "vintage": vintage, "note": f.text[:200]}
                if known_on:
                    row["known_on"] = known_on
                rows.append((f, row))
                continue
        left.append(NotStored(index=f.index, indicator=f.indicator, value=f.value, unit=f.unit, reason=reason))
    return rows, left


def _edited(f: ExtractedFigure, edit: dict[str, Any]) -> ExtractedFigure:
    bad = [k for k in edit if k not in EDITABLE]
    if bad:
        raise UserInputError(f"cannot edit {bad[0]!r} (one of {', '.join(EDITABLE)})", field=f"edits[{f.index}]")
    if "kind" in edit and edit["kind"] not in ("level", "growth", "share"):
        raise UserInputError("kind is level, growth or share", field=f"edits[{f.index}].kind")
    if "value" in edit:
        try:
            edit = {**edit, "value": float(edit["value"])}
        except (TypeError, ValueError):
            raise UserInputError("not a number", field=f"edits[{f.index}].value") from None
    return f.model_copy(update=edit) if edit else f


def _document(w: UnitOfWork, result: ExtractResult, data: bytes, name: str) -> int:
    """The stored document with these bytes (kept once, whatever its name), added when new."""
    found = w.session.scalars(select(Document.id).where(Document.sha256 == result.sha256)).first()
    if found is not None:
        return int(found)
    doc = add_document(
        w.session, content=data, sha256=result.sha256, name=name, media_type=result.media_type,
        encoding=result.encoding, parsed=result.json_dict(), by=w.user,
    )
    doc.kind = "bulletin"
    w.session.flush()
    return int(doc.id)


def _evidence(w: UnitOfWork, ids: list[int], rows: list[tuple[ExtractedFigure, dict[str, Any]]], doc_id: int) -> None:
    """Point each new value at its document and the span quoting it."""
    if not ids:
        return
    by_key = {(r["indicator"], r["period"], r["vintage"]): f for f, r in rows}
    stored = w.session.execute(
        select(ObservationRow.id, ObservationRow.indicator_code, ObservationRow.period, ObservationRow.vintage)
        .where(ObservationRow.id.in_(ids))
    ).all()
    for oid, code, period, vintage in stored:
        f = by_key.get((code, period, vintage))
        if f is not None:
            w.session.execute(
                update(ObservationRow).where(ObservationRow.id == oid)
                .values(document_id=doc_id, span_start=f.span[0], span_end=f.span[1])
                .execution_options(synchronize_session=False)
            )


def score_bulletins(directory: Path | str) -> BulletinScore:
    """Precision, recall and F1 of levels (and of growth/shares) against the golds in ``directory``, and the
    goals read as observations; ``.to_dict()`` gives the JSON ``innocity eval`` can print."""
    return _score(directory)


__all__ = ["NoFiguresFoundError", "extract_bytes", "extract_path", "score_bulletins", "store_proposals"]
