"""Administrative divisions and departments as people pick them (``innocity regions list``, the web forms)."""

from __future__ import annotations

from sqlalchemy import select

from innocity.errors import UserInputError
from innocity.storage import regions as region_repo
from innocity.storage.tables import Department, Region

from .context import Permission, UnitOfWork
from .models import Model

LEVELS = ("province", "city", "county", "group")


class RegionOut(Model):
    adcode: str | None = None
    name: str
    level: str
    parent: str | None = None  # the parent's adcode
    province: str | None = None
    city: str | None = None


class DepartmentOut(Model):
    id: int
    name: str
    region: str | None = None


def list_regions(w: UnitOfWork, *, level: str | None = None, parent: str | None = None) -> list[RegionOut]:
    """Divisions in adcode order, optionally of one level and/or under one parent (adcode)."""
    if level and level not in LEVELS:
        raise UserInputError(f"unknown level {level!r} (province, city or county)", field="level")
    return [
        RegionOut(adcode=r.adcode, name=r.name, level=r.level, parent=p, province=r.province, city=r.city)
        for r, p in region_repo.list_regions(w.session, level=level, parent_adcode=parent)
    ]


def list_departments(w: UnitOfWork, *, region_id: int | None = None) -> list[DepartmentOut]:
    """Departments of the regions in the actor's scope (or of one region)."""
    w.require(Permission.READ)
    q = select(Department, Region.name).outerjoin(Region, Region.id == Department.region_id)
    if region_id is not None:
        q = q.where(Department.region_id == region_id)
    return [
        DepartmentOut(id=d.id, name=d.name, region=rname)
        for d, rname in w.session.execute(q.order_by(Department.region_id, Department.name))
        if w.in_scope(d.region_id)
    ]
