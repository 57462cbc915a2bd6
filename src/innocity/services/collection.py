"""What a department must report, and storing what it enters (``/data`` and its Excel template).

A department answers for the indicators of the targets it leads or supports (``target_departments``) in
the plans of its region. For each such indicator and region, the periods due are the years from the
target's baseline to the last complete year (or the target's deadline, if earlier), at most
``MAX_PERIODS`` of them; each period shows the value that counts now and every vintage stored for it.

Saving is all or nothing. New values go through ``observations.submit_rows``, the same checks as
``innocity data import``; a draft or a rejected value is corrected in place (same record, its version
checked) after the same range checks the importer applies. Nothing is written unless every entry is
valid; every bad one is reported with its row and field. Annual periods only: the plans' targets are
annual.

The Excel round trip reads an uploaded template back into entries (``collection_xlsx``) and saves them
here; a row whose value, note and source equal what is stored is unchanged, so an unchanged template
stores nothing.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select

from innocity.domain.observation import Status, Vintage
from innocity.errors import ConflictError, DataValidationError, NotFoundError, RowProblem, UserInputError
from innocity.storage import audit
from innocity.storage import observations as obs_repo
from innocity.storage.tables import Department, PlanRow, Region, utcnow
from innocity.storage.tracking import TargetDepartment

from . import obs_files, observations
from .context import Permission, UnitOfWork, today_or
from .models import ProgressRow
from .models.collection import (
    CollectionCounts,
    CollectionLine,
    CollectionSheet,
    EntryOut,
    LastValue,
    PeriodDue,
    Rejection,
    SaveResult,
    TargetRef,
)
from .models.collection import Entry as Entry
from .models.observations import ObservationOut
from .obs_checks import NOT_NEGATIVE_KINDS
from .tracking import progress

MAX_PERIODS = 6  # the most recent periods a line asks for; older gaps are history, not a to-do
EDITABLE = ("draft", "rejected")
_VINTAGE_ORDER = {"preliminary": 0, "final": 1, "revised": 2}


# ------------------------------------------------------------------ who and what


def department_for(w: UnitOfWork, *, department_id: int | None) -> Department | None:
    """The department a sheet is for: a department user's own (whatever it asks for); for others the one
    asked for, which must be in their scope, or ``None`` (every indicator in scope)."""
    if w.actor.is_department:
        department_id = w.actor.department_id
    if department_id is None:
        return None
    dept = w.session.get(Department, department_id)
    if dept is None or not w.in_scope(dept.region_id):
        raise NotFoundError(f"部门 {department_id} 不存在或不在您的权限范围内", field="department_id")
    return dept


def _targets(w: UnitOfWork, dept: Department | None, region: str | None, year: int) -> list[tuple[ProgressRow, str]]:
    """(progress row, role) of the current catalogue-matched targets the department answers for."""
    if dept is None:
        rows = progress(w, region=region, year=year)
        return [(r, "coordinator") for r in rows if r.indicator_code]
    roles: dict[int, str] = {}
    q = select(TargetDepartment.target_id, TargetDepartment.role).where(TargetDepartment.department_id == dept.id)
    for tid, role in w.session.execute(q):
        roles[tid] = "lead" if role == "lead" or roles.get(tid) == "lead" else "support"
    if not roles:
        return []
    rows = progress(w, region=region, year=year, target_ids=list(roles))
    return [(r, roles[r.target_id]) for r in rows if r.indicator_code]


def _years(r: ProgressRow, report_year: int) -> range:
    """The years a target asks figures for: from its baseline (or the baseline year itself when no value
    is known for it) to the report year or its deadline, the most recent ``MAX_PERIODS``."""
    end = min(report_year, r.target.year) if r.target.year else report_year
    b = r.baseline
    if b.year is None:
        start = end - MAX_PERIODS + 1
    else:
        start = b.year + 1 if b.value is not None and b.source in ("set", "plan") else b.year
    return range(max(start, end - MAX_PERIODS + 1), end + 1)


def value_range(w: UnitOfWork, *, code: str) -> tuple[float | None, float | None, str | None, str | None]:
    """(min, max, unit, kind) of an indicator as the importer checks it: counts and amounts are not
    negative, a share in % lies in 0–100, the catalogue's ``max_value`` caps the rest."""
    if code not in w.catalog:
        return None, None, None, None
    ind = w.catalog.get(code)
    kind = str(ind.kind)
    lo = 0.0 if kind in NOT_NEGATIVE_KINDS or (kind == "share" and ind.unit == "%") else None
    hi = 100.0 if kind == "share" and ind.unit == "%" else ind.max_value
    return lo, hi, ind.unit, kind


def _entry(m: Mapping[str, Any]) -> EntryOut:
    return EntryOut(
        observation_id=m["id"], value=m["value"], vintage=m["vintage"], status=m["status"],
        version=m["version"], known_on=m["known_on"], note=m["note"], source=m["source"],
        comment=m["status_comment"], entered_by=m["entered_by"], entered_at=m["entered_at"],
    )


def _stored(w: UnitOfWork, pairs: set[tuple[int, str]]) -> dict[tuple[int, str], list[Mapping[str, Any]]]:
    if not pairs:
        return {}
    rows = obs_repo.select_rows(
        w.session, region_ids={r for r, _ in pairs}, indicator_codes={c for _, c in pairs}
    )
    out: dict[tuple[int, str], list[Mapping[str, Any]]] = defaultdict(list)
    for m in rows:
        key = (m["region_id"], m["indicator_code"])
        if key in pairs and m["period_kind"] == "year":
            out[key].append(m)
    return out


def sheet(
    w: UnitOfWork,
    *,
    department_id: int | None = None,
    region: str | None = None,
    year: int | None = None,
    today: date | None = None,
) -> CollectionSheet:
    """What the department must report up to ``year`` (default: last year), with what it has entered.

    A department user always gets its own sheet; a coordinator may ask for any department in its scope,
    or for every indicator in scope (``department_id`` None)."""
    w.require(Permission.SUBMIT_DATA)
    report_year = year or today_or(today).year - 1
    dept = department_for(w, department_id=department_id)
    found = _targets(w, dept, region, report_year)
    lines: dict[tuple[int, str], CollectionLine] = {}
    years: dict[tuple[int, str], set[int]] = defaultdict(set)
    plan_region: dict[int, int | None] = {
        pid: rid
        for pid, rid in w.session.execute(
            select(PlanRow.id, PlanRow.region_id).where(PlanRow.id.in_({r.plan_id for r, _ in found}))
        )
    }
    regions = {g.id: g for g in w.session.scalars(select(Region).where(Region.id.in_(set(plan_region.values()))))}
    for r, role in found:
        reg = regions.get(plan_region.get(r.plan_id) or -1)
        if reg is None or r.indicator_code is None:
            continue
        key = (reg.id, r.indicator_code)
        line = lines.get(key)
        if line is None:
            lo, hi, unit, kind = value_range(w, code=r.indicator_code)
            name = w.catalog.get(r.indicator_code).name_zh if r.indicator_code in w.catalog else r.indicator
            line = lines[key] = CollectionLine(
                region=reg.adcode or reg.name, region_name=reg.name, region_id=reg.id,
                indicator=r.indicator_code, indicator_name=name, unit=unit or r.unit, kind=kind,
                role=role, min_value=lo, max_value=hi,
            )
        elif role == "lead":
            line.role = "lead"
        line.targets.append(TargetRef(target_id=r.target_id, plan_id=r.plan_id, goal=r.goal_text(), year=r.target.year))
        years[key].update(_years(r, report_year))
    stored = _stored(w, set(lines))
    out = CollectionSheet(
        department=dept.name if dept else None, department_id=dept.id if dept else None,
        region=region, year=report_year,
    )
    counts = CollectionCounts()
    for key, line in sorted(lines.items(), key=lambda kv: (kv[1].region, kv[1].indicator)):
        ms = stored.get(key, [])
        by_period: dict[str, list[EntryOut]] = defaultdict(list)
        for m in ms:
            by_period[m["period"]].append(_entry(m))
        approved = [m for m in ms if m["status"] == Status.APPROVED]
        if approved:
            last = max(approved, key=lambda m: (m["period_year"], _VINTAGE_ORDER.get(m["vintage"], 1), m["id"]))
            line.last = LastValue(period=last["period"], value=last["value"], status=last["status"],
                                  vintage=last["vintage"])
        for y in sorted(years[key]):
            entries = by_period.get(str(y), [])
            current = max(entries, key=lambda e: e.observation_id) if entries else None
            pd_ = PeriodDue(period=str(y), status=current.status if current else "missing",
                            current=current, vintages=entries)
            line.periods.append(pd_)
            counts.due += 1
            setattr(counts, pd_.status, getattr(counts, pd_.status) + 1)
        for m in ms:
            if m["status"] == Status.REJECTED:
                out.rejections.append(Rejection(
                    observation_id=m["id"], region_name=line.region_name, indicator=line.indicator,
                    indicator_name=line.indicator_name, period=m["period"], value=m["value"],
                    comment=m["status_comment"], by=m["entered_by"],
                    version=m["version"],
                ))
        out.lines.append(line)
    out.counts = counts
    return out


# ------------------------------------------------------------------ saving

_CLEAN = re.compile(r"[,，\s\u3000]")


def parse_number(text: str | float | int | None) -> float | str | None:
    """A value as people type it (full-width digits, 1,234.5, a trailing %) → float; a reason when it is
    not a number; ``None`` when blank."""
    if text is None:
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text) if math.isfinite(text) else "不是有限的数值"
    s = _CLEAN.sub("", unicodedata.normalize("NFKC", str(text))).rstrip("%")
    if not s:
        return None
    try:
        v = float(s)
    except ValueError:
        return f"不是数字：{str(text)[:20]}"
    return v if math.isfinite(v) else "不是有限的数值"


def _range_problem(w: UnitOfWork, code: str, v: float) -> str | None:
    lo, hi, unit, _ = value_range(w, code=code)
    if lo is not None and v < lo:
        return f"数值 {v:g} 小于下限 {lo:g}{unit or ''}"
    if hi is not None and v > hi:
        return f"数值 {v:g} 超过上限 {hi:g}{unit or ''}"
    return None


def _clean_text(v: str | None) -> str | None:
    return (v or "").strip() or None


def _check_correction(
    w: UnitOfWork, e: Entry, n: int, problems: list[RowProblem], mine: set[str] | None
) -> Any:
    """The stored row an entry corrects, if it may be corrected; problems are appended."""
    assert e.observation_id is not None
    row = obs_repo.get(w.session, e.observation_id)
    if row is None or not w.in_scope(row.region_id) or (mine is not None and row.indicator_code not in mine):
        raise NotFoundError(f"observation {e.observation_id} 不存在或不在您的权限范围内", field="observation_id")
    if e.version is not None and row.version != e.version:
        raise ConflictError("已被他人修改，请刷新后再试", field="version")
    if row.status not in EDITABLE:
        label = "已提交待审核" if row.status == Status.SUBMITTED else "已审核"
        problems.append(RowProblem(n, "value", f"{row.period} 的数值{label}，不能修改；如需更正请按“修订”填报新值"))
        return None
    if row.indicator_code != e.indicator or row.period != e.period:
        problems.append(RowProblem(n, "period", "记录号与指标或统计期不符"))
        return None
    if e.vintage and Vintage.parse(e.vintage).value != row.vintage:
        problems.append(RowProblem(n, "vintage", "已保存数值的数据性质不能修改；请另填一条"))
        return None
    return row


def save(
    w: UnitOfWork,
    *,
    entries: list[Entry],
    submit: bool = False,
    source: str | None = None,
    today: date | None = None,
) -> SaveResult:
    """Store what a person entered, all of it or nothing: new values as draft (or submitted, with
    ``submit``) through ``observations.submit_rows``, corrections of drafts and rejected values in place.

    Blank values are skipped. Every bad entry is reported in one ``DataValidationError`` (``row`` is the
    entry's own ``row``, else its 1-based position); a stale ``version`` is a ``ConflictError``."""
    w.require(Permission.SUBMIT_DATA)
    problems: list[RowProblem] = []
    new: list[tuple[int, dict[str, Any]]] = []
    fixes: list[tuple[Any, float, Entry]] = []
    result = SaveResult()
    mine: set[str] | None = None  # a department's indicators, read once
    for i, e in enumerate(entries, start=1):
        n = e.row or i
        v = parse_number(e.value)
        if v is None:
            continue
        if isinstance(v, str):
            problems.append(RowProblem(n, "value", v))
            continue
        if e.vintage:
            try:
                Vintage.parse(e.vintage)
            except ValueError as exc:
                problems.append(RowProblem(n, "vintage", str(exc)))
                continue
        if e.observation_id is None:
            row = {"region": e.region, "indicator": e.indicator, "period": e.period, "value": v}
            for k in ("vintage", "note", "source"):
                if _clean_text(getattr(e, k)):
                    row[k] = _clean_text(getattr(e, k))
            new.append((n, row))
            continue
        if mine is None and w.actor.is_department:
            mine = observations.department_indicators(w)
        stored = _check_correction(w, e, n, problems, mine)
        if stored is not None:
            why = _range_problem(w, stored.indicator_code, v)
            if why:
                problems.append(RowProblem(n, "value", why))
            else:
                fixes.append((stored, v, e))
    if problems:
        if new:  # report the new rows' problems too, without storing anything
            raw = obs_files.frame_from_records([r for _, r in new], "form")
            found = observations.validate(w, raw=raw, today=today).items
            problems += [RowProblem(new[p.row - 1][0], p.field, p.reason) for p in found]
        raise DataValidationError(_summary(problems, len(entries)), sorted(problems, key=lambda p: p.row),
                                  field="rows")
    if new:
        try:
            res = observations.submit_rows(
                w, rows=[r for _, r in new], status="submitted" if submit else "draft", source=source, today=today
            )
        except DataValidationError as exc:
            mapped = [RowProblem(new[p.row - 1][0], p.field, p.reason) for p in exc.problems]
            raise DataValidationError(_summary(mapped, len(entries)), mapped, field="rows") from None
        result.stored, result.unchanged, result.ids = res.stored, res.unchanged, list(res.ids)
        result.submitted += res.stored if submit else 0
    for row, v, e in fixes:
        changes = {"value": v, "note": _clean_text(e.note), "source": _clean_text(e.source) or source}
        changed = audit.update_fields(w.session, row, changes, actor=w.user, comment="更正")
        if changed:
            row.updated_by, row.updated_at = w.user, utcnow()
            w.session.flush()
            result.corrected += 1
        elif not submit:
            result.unchanged += 1
        if submit:
            observations.set_status(w, obs_id=row.id, to=Status.SUBMITTED)
            result.submitted += 1
        elif changed and row.status == Status.REJECTED:
            observations.set_status(w, obs_id=row.id, to=Status.DRAFT)  # corrected, not yet sent again
        result.ids.append(row.id)
    return result


def _summary(problems: Iterable[RowProblem], total: int) -> str:
    return f"{len({p.row for p in problems})} of {total} values are not valid; nothing was stored"


def submit_drafts(w: UnitOfWork, *, ids: list[tuple[int, int]]) -> SaveResult:
    """Send drafts (``(observation id, version)`` pairs as the person saw them) for approval, all or none."""
    w.require(Permission.SUBMIT_DATA)
    for oid, version in ids:
        observations.set_status(w, obs_id=oid, to=Status.SUBMITTED, version=version)
    return SaveResult(submitted=len(ids), ids=[oid for oid, _ in ids])


def review_values(
    w: UnitOfWork, *, items: list[tuple[int, int]], action: str, comment: str | None = None
) -> list[ObservationOut]:
    """Approve or reject many submitted values at once (``(observation id, version)`` as the reviewer saw
    them), all or none: one stale version or one refused step and nothing changes (a rejection needs the
    comment saying why)."""
    w.require(Permission.APPROVE_DATA)
    if action not in ("approve", "reject"):
        raise UserInputError(f"unknown action {action!r} (approve or reject)", field="action")
    if not items:
        raise UserInputError("选择至少一个数值", field="items")
    to = Status.APPROVED if action == "approve" else Status.REJECTED
    text = (comment or "").strip() or None
    return [observations.set_status(w, obs_id=oid, to=to, version=version, comment=text) for oid, version in items]


__all__ = ["Entry", "department_for", "parse_number", "review_values", "save", "sheet", "submit_drafts", "value_range"]
