"""Observations written straight into a test database (real SQLite through the app's own session), so the
index suites do not depend on the import service's signature."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from innocity.app import AppContext
from innocity.storage.tables import ObservationRow, Region

Row = tuple[str, str, int, float]  # region name or adcode, indicator, year, value


def region_id(app: AppContext, name: str) -> int:
    """A city (or, failing that, any region) by adcode or name."""
    with app.uow() as w:
        rows = w.session.execute(select(Region.id, Region.level).where(
            (Region.adcode == name) | (Region.name == name))).all()
    assert rows, name
    return int(sorted(rows, key=lambda r: r[1] != "city")[0][0])


def add_values(app: AppContext, rows: Iterable[Row], *, status: str = "approved",
               known_on: date = date(2020, 6, 1), note: str = "SIMULATED for a test, not a real figure") -> int:
    """Insert one observation per row; returns how many."""
    ids: dict[str, int] = {}
    n = 0
    with app.uow() as w:
        for name, code, year, value in rows:
            if name not in ids:
                ids[name] = region_id(app, name)
            w.session.add(ObservationRow(
                region_id=ids[name], indicator_code=code, period=str(year), period_kind="year",
                period_year=year, period_index=0, value=value, unit=None, vintage="final", known_on=known_on,
                note=note, status=status, entered_by="tester"))
            n += 1
    return n
