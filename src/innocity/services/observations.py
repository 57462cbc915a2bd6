"""Observation use cases: import a file (all or nothing, or ``valid_only``), export, change one value
or its review status under optimistic locking, and read values back.

An import validates the whole file first (``obs_files`` reads it, ``obs_checks`` checks it) and only then
writes, in one transaction: a rejected file or a killed process leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.exc import IntegrityError, OperationalError

from innocity.domain.observation import Observation, Status
from innocity.errors import (
    ConflictError,
    DataValidationError,
    NotFoundError,
    RowProblem,
    StorageError,
    UserInputError,
)
from innocity.settings import Settings
from innocity.storage import observations as obs_repo
from innocity.storage import regions as region_repo

from . import obs_checks, obs_files, obs_series
from .store import Store, open_store

EXPORT_COLUMNS = [
    "region",
    "region_name",
    "indicator",
    "period",
    "value",
    "unit",
    "vintage",
    "known_on",
    "note",
    "status",
    "id",
    "version",
]


@dataclass(slots=True)
class ImportReport:
    """What an import did: rows read, stored, already present (unchanged) and rejected."""

    source: str
    rows: int
    stored: int
    unchanged: int
    rejected: int
    import_id: int | None = None
    problems: list[RowProblem] = field(default_factory=list)
    rejects_path: str | None = None


def _existing(store: Store, good: pd.DataFrame) -> pd.DataFrame:
    cols = ["region_id", "indicator_code", "period", "period_kind", "vintage", "value", "known_on"]
    if good.empty:
        return pd.DataFrame(columns=cols)
    with store.session() as s:
        rows = obs_repo.existing_for(
            s, good["region_id"].unique().tolist(), good["indicator_code"].unique().tolist()
        )
    return pd.DataFrame(rows, columns=cols)


def validate_file(
    store: Store, path: Path, *, today: date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, obs_checks.Problems, np.ndarray]:
    """Read and check ``path``: (raw rows, typed good rows, problems, mask of good rows already stored)."""
    raw = obs_files.read_table(path)
    with store.session() as s:
        regions = obs_checks.region_index(region_repo.lookup_table(s))
    checked = obs_checks.check_rows(
        raw.frame,
        regions=regions,
        indicators=obs_checks.Indicators.load(),
        default_unit=raw.default_unit,
        today=today or date.today(),
    )
    good, problems = checked.frame, checked.problems
    dup = obs_series.check_duplicates(good, problems)
    existing = _existing(store, good)
    unchanged = obs_series.check_against_store(good, existing, problems)
    obs_series.check_jumps(good[~unchanged & ~dup], existing, problems)
    bad = good["_rec"].isin(list(problems.bad_records)).to_numpy()
    keep = ~bad
    return raw.frame, good[keep].reset_index(drop=True), problems, unchanged[keep]


def _in_key_order(df: pd.DataFrame) -> pd.DataFrame:
    """Rows grouped by region and indicator, so the unique index is filled front to back (a file
    already in that order, as exports and most department files are, is left as it is)."""
    key = obs_series.int_key(df, ["region_id", "indicator_code"])
    if len(key) < 2 or bool(np.all(key[1:] >= key[:-1])):
        return df
    return df.iloc[np.argsort(key, kind="stable")]


def _columns_for_insert(df: pd.DataFrame) -> list[list[Any]]:
    """The columns of ``storage.observations.BULK_COLUMNS`` as plain Python lists."""

    def col(name: str, dtype: Any = object) -> list[Any]:
        return df[name].to_numpy(dtype=dtype).tolist()  # type: ignore[no-any-return]

    note = df["note"].to_numpy(dtype=object)
    return [
        col("region_id", "int64"),
        col("indicator_code"),
        col("period"),
        col("period_kind"),
        col("period_year", "int64"),
        col("period_index", "int64"),
        col("value", float),
        col("unit"),
        col("original_value", float),
        col("original_unit"),
        col("vintage"),
        col("known_on"),
        [x or None for x in note.tolist()],
    ]


def _write_rejects(raw: pd.DataFrame, problems: list[RowProblem], out: Path) -> None:
    reasons: dict[int, list[str]] = {}
    for pr in problems:
        reasons.setdefault(pr.row, []).append(f"[{pr.field}] {pr.reason}" if pr.field else pr.reason)
    rej = raw[raw["row"].isin(list(reasons))].drop_duplicates("row").copy()
    rej["reason"] = rej["row"].map(lambda r: "; ".join(reasons[r]))
    cols = ["row", *obs_files.FIELDS, "reason"]
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        rej[cols].to_excel(out, index=False)
    else:
        rej[cols].to_csv(out, index=False, encoding="utf-8-sig")


def import_file(
    settings: Settings,
    path: Path,
    *,
    valid_only: bool = False,
    rejects: Path | None = None,
    status: str = "draft",
    today: date | None = None,
    store: Store | None = None,
) -> ImportReport:
    """``innocity data import``: check every row; store all of them in one transaction, or nothing.

    Raises ``DataValidationError`` listing every bad row unless ``valid_only``, in which case the good
    rows are stored and the bad ones written to ``rejects`` (default ``FILE.rejects.csv``).
    """
    if status not in {s.value for s in Status} - {"rejected"}:
        raise UserInputError(f"cannot import values as {status!r}", source="--status")
    own = store is None
    st = store or open_store(settings)
    try:
        raw, good, problems, unchanged = validate_file(st, path, today=today)
        items = sorted(problems.items, key=lambda p: (p.row, p.field or ""))
        n_bad = len({p.row for p in items})
        if items and not valid_only:
            raise DataValidationError(
                f"{n_bad} of {raw['row'].nunique()} rows are not valid; nothing was stored",
                items,
                source=str(path),
            )
        rejects_path = None
        if items:
            rejects_path = rejects or path.with_name(path.name + ".rejects.csv")
            _write_rejects(raw, items, rejects_path)
        new = _in_key_order(good[~unchanged])
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        import_id = None
        if len(new):
            # built before the write transaction opens, so the database is locked only while inserting
            columns = _columns_for_insert(new)
            try:
                import_id = obs_repo.load_import(
                    st.engine,
                    columns,
                    name=path.name,
                    sha256=sha,
                    total=int(raw["row"].nunique()),
                    rejected=n_bad,
                    status=status,
                    by=st.user,
                )
            except IntegrityError as exc:
                raise ConflictError(
                    "another import stored some of these values at the same moment; run this import again"
                ) from exc
            except OperationalError as exc:
                raise StorageError(f"database unavailable: {str(exc).splitlines()[0]}") from exc
        return ImportReport(
            str(path),
            int(raw["row"].nunique()),
            len(new),
            int(unchanged.sum()),
            n_bad,
            import_id,
            items,
            str(rejects_path) if rejects_path else None,
        )
    finally:
        if own:
            st.dispose()


def export(settings: Settings, out: Path | None, *, fmt: str = "csv") -> str | None:
    """``innocity data export``: every observation in the import layout (CSV, XLSX or JSON).

    Returns the text when ``out`` is None (CSV/JSON to stdout); XLSX needs a file."""
    if fmt not in {"csv", "xlsx", "json"}:
        raise UserInputError(f"unknown format {fmt!r} (csv, xlsx or json)", source="--format")
    store = open_store(settings)
    try:
        with store.session() as s:
            obs = obs_repo.query(s)
    finally:
        store.dispose()
    rows = [
        {
            "region": o.region_adcode or o.region_name,
            "region_name": o.region_name,
            "indicator": o.indicator_code,
            "period": str(o.period),
            "value": o.value,
            "unit": o.unit,
            "vintage": o.vintage.value,
            "known_on": o.known_on.isoformat() if o.known_on else "",
            "note": o.note or "",
            "status": o.status.value,
            "id": o.id,
            "version": o.version,
        }
        for o in obs
    ]
    frame = pd.DataFrame(rows, columns=EXPORT_COLUMNS)
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=1)
    elif fmt == "csv":
        text = frame.to_csv(index=False)
    else:
        if out is None:
            raise UserInputError("xlsx export needs -o FILE.xlsx", source="--format")
        frame.to_excel(out, index=False)
        return None
    if out is None:
        return text
    out.write_text(text, encoding="utf-8")
    return None


def update_value(
    store: Store, obs_id: int, *, value: float, expected_version: int | None = None, note: str | None = None
) -> Observation:
    """Change a value. ``expected_version`` is the version the user saw: if someone changed the value
    since, ``ConflictError`` (also raised when two sessions race, through ``version_id_col``)."""
    with store.session() as s:
        row = obs_repo.get(s, obs_id)
        if row is None:
            raise NotFoundError(f"no observation with id {obs_id}")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                f"observation {obs_id} was changed by {row.updated_by or row.entered_by} (version {row.version}, "
                f"you saw {expected_version}); reload it and apply your change again"
            )
        obs_repo.update_value(s, row, value=value, by=store.user, note=note)
        return obs_repo.as_domain(row)


def set_status(
    store: Store, obs_id: int, status: str, *, expected_version: int | None = None, comment: str | None = None
) -> Observation:
    """Submit, approve or reject (with a comment) one value, under the same locking as ``update_value``."""
    with store.session() as s:
        row = obs_repo.get(s, obs_id)
        if row is None:
            raise NotFoundError(f"no observation with id {obs_id}")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(f"observation {obs_id} changed since you read it (version {row.version})")
        if status == "rejected" and not comment:
            raise UserInputError("a rejection needs a comment", source="--comment")
        try:
            obs_repo.set_status(s, row, status=status, by=store.user, comment=comment)
        except ValueError as exc:
            raise UserInputError(str(exc)) from None
        return obs_repo.as_domain(row)


def observations(
    store: Store,
    *,
    region_adcode: str | None = None,
    indicator_codes: list[str] | None = None,
    statuses: list[str] | None = None,
    known_by: date | None = None,
) -> list[Observation]:
    """Observations, optionally of one region (adcode), some indicators, some statuses, known by a date."""
    with store.session() as s:
        rid = None
        if region_adcode is not None:
            reg = region_repo.get_by_adcode(s, region_adcode)
            if reg is None:
                raise NotFoundError(f"no region with adcode {region_adcode}")
            rid = reg.id
        return obs_repo.query(
            s, region_id=rid, indicator_codes=indicator_codes, statuses=statuses, known_by=known_by
        )
