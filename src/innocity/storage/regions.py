"""Regions and departments: seeding the division tree, looking places up by adcode or name, and the
normalised department names (市科技局) that duties point to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, aliased

from innocity.errors import UserInputError

from .tables import Department, Region

_LEVEL_ORDER = {"province": 0, "group": 1, "city": 2, "county": 3}


def has_regions(s: Session) -> bool:
    return s.scalar(select(func.count()).select_from(Region)) != 0


def seed(s: Session, rows: Iterable[Mapping[str, str]]) -> int:
    """Insert the divisions (adcode, name, level, parent, province, city); parents resolved by adcode."""
    ordered = sorted(rows, key=lambda r: (_LEVEL_ORDER.get(r["level"], 9), r["adcode"]))
    ids = {r["adcode"]: i for i, r in enumerate(ordered, start=1)}
    payload = [
        {
            "id": ids[r["adcode"]],
            "adcode": r["adcode"],
            "name": r["name"],
            "level": r["level"],
            "parent_id": ids.get(r.get("parent") or ""),
            "province": r.get("province") or None,
            "city": r.get("city") or None,
        }
        for r in ordered
    ]
    # Parents come first in ``ordered``, so one executemany satisfies the self foreign key.
    s.execute(insert(Region), payload)
    return len(payload)


def get_by_adcode(s: Session, adcode: str) -> Region | None:
    return s.scalar(select(Region).where(Region.adcode == adcode))


def list_regions(
    s: Session, *, level: str | None = None, parent_adcode: str | None = None
) -> list[tuple[Region, str | None]]:
    """Regions in adcode order with their parent's adcode, optionally one level and/or one parent."""
    parent = aliased(Region)
    q = select(Region, parent.adcode).outerjoin(parent, Region.parent_id == parent.id).order_by(Region.adcode)
    if level:
        q = q.where(Region.level == level)
    if parent_adcode:
        q = q.where(parent.adcode == parent_adcode)
    return [(r, p) for r, p in s.execute(q).all()]


def lookup_table(s: Session) -> list[dict[str, Any]]:
    """Every region as a plain dict (id, adcode, name, level, province, city) for vectorised matching."""
    rows = s.execute(
        select(Region.id, Region.adcode, Region.name, Region.level, Region.province, Region.city)
    ).all()
    return [r._asdict() for r in rows]


_SUFFIXES = re.compile(r"(省|市|自治区|特别行政区|壮族|回族|维吾尔)+$")


def short_name(name: str) -> str:
    """苏州市 → 苏州, 广西壮族自治区 → 广西: the form people write in spreadsheets."""
    return _SUFFIXES.sub("", name) or name


# Long department names and their customary short forms; the prefix (市/区/县/省) is kept.
_DEPT_ABBREV = (
    ("科学技术局", "科技局"),
    ("科学技术厅", "科技厅"),
    ("发展和改革委员会", "发改委"),
    ("发展改革委员会", "发改委"),
    ("经济和信息化委员会", "经信委"),
    ("经济和信息化局", "经信局"),
    ("工业和信息化局", "工信局"),
    ("人力资源和社会保障局", "人社局"),
    ("市场监督管理局", "市场监管局"),
    ("教育局", "教育局"),
    ("财政局", "财政局"),
)
_SPACES = re.compile(r"\s+")


def normalise_department(name: str) -> str:
    """A stable short form: no spaces or trailing 等, 科学技术局 → 科技局, … (市科技局 stays 市科技局)."""
    n = _SPACES.sub("", name).strip("、，,；;。").removesuffix("等")
    for long, short in _DEPT_ABBREV:
        if n.endswith(long):
            n = n[: -len(long)] + short
            break
    return n


DEPARTMENT_NAME_MAX = 200  # the column's length


def check_department_name(name: str, *, field: str = "department") -> str:
    """The normalised name, or ``UserInputError``: empty, blank, control characters, or too long."""
    norm = normalise_department(name or "")
    if not norm:
        raise UserInputError("a department needs a name", field=field)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in norm):
        raise UserInputError("a department name may not contain control characters", field=field)
    if len(norm) > DEPARTMENT_NAME_MAX:
        raise UserInputError(f"a department name is at most {DEPARTMENT_NAME_MAX} characters", field=field)
    return norm


def get_or_create_department(
    s: Session, region_id: int | None, name: str, *, field: str = "department"
) -> Department:
    """The department called ``name`` (normalised) in ``region_id``, created if new."""
    norm = check_department_name(name, field=field)
    q = select(Department).where(Department.name == norm)
    q = q.where(Department.region_id.is_(None) if region_id is None else Department.region_id == region_id)
    dept = s.scalar(q)
    if dept is None:
        dept = Department(region_id=region_id, name=norm)
        s.add(dept)
        s.flush()
    return dept


def list_departments(s: Session, region_id: int | None = None) -> list[Department]:
    q = select(Department).order_by(Department.region_id, Department.name)
    if region_id is not None:
        q = q.where(Department.region_id == region_id)
    return list(s.scalars(q))
