"""Tracking use cases: the progress of every stored target (``innocity progress``), and the shared helpers
(finding a region and what lies under it, the plans a reading covers) of the other tracking services.

``progress`` reads the current (not superseded, not rejected) targets of the stored plans, finds each one's
baseline and figures, and applies ``innocity.domain.progress``. Where the baseline comes from, in order:
a value a person set (``targets set``), the plan's own fact for the same indicator code (and year, when the
baseline year is known), the stored figure for the baseline year. Values are compared in the indicator's
canonical unit (the catalogue's): the target's value, and a plan fact's value, are converted into it, and a
baseline set by a person is taken to be in it already. It runs in two steps (``services.progress_inputs``):
reading what does not depend on the evaluation year, which a caller may keep, then assessing the year.

Regions are looked up in the division tree, read once per process and database (``RegionTree``): it is
seeded with the database and never edited, and every request looks regions up several times.

Resolving targets is in ``services.targets``, tasks in ``services.tasks``, scorecards in
``services.scorecard``, supervision (督办) in ``services.supervise``.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innocity.domain.progress import STATUSES
from innocity.errors import NotFoundError
from innocity.storage.tables import PlanRow, Region, TargetRow

from .context import Permission, UnitOfWork
from .models import ProgressRow, StatusCounts
from .progress_inputs import (
    YEAR_RANGE,
    AssessedStore,
    PreparedPlan,
    PreparedStore,
    PreparedTarget,
    Units,
    assess_prepared,
    check_filters,
    check_year,
    departments_of_targets,
    prepare_plans,
)

__all__ = [
    "YEAR_RANGE",
    "AssessedStore",
    "PreparedPlan",
    "PreparedStore",
    "PreparedTarget",
    "Units",
    "assess_prepared",
    "check_year",
    "departments_of_targets",
    "find_region",
    "plans_of",
    "prepare_plans",
    "progress",
    "region_scope",
    "scope_key",
    "status_counts",
    "subtree",
]

# ---------------------------------------------------------------- selection


_LEVEL_ORDER = {"province": 1, "city": 0, "county": 2}  # a name shared by levels means the city first


@dataclass(frozen=True)
class RegionTree:
    """The division tree in memory: regions by adcode and by name, each one's level and children."""

    by_adcode: dict[str, list[int]]
    by_name: dict[str, list[int]]
    level: dict[int, str]
    children: dict[int, list[int]]
    _subtrees: dict[int, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, s: Session) -> RegionTree:
        by_adcode: dict[str, list[int]] = defaultdict(list)
        by_name: dict[str, list[int]] = defaultdict(list)
        level: dict[int, str] = {}
        children: dict[int, list[int]] = defaultdict(list)
        for rid, adcode, name, lvl, parent in s.execute(
            select(Region.id, Region.adcode, Region.name, Region.level, Region.parent_id).order_by(Region.id)
        ):
            if adcode is not None:
                by_adcode[adcode].append(rid)
            by_name[name].append(rid)
            level[rid] = lvl
            if parent is not None:
                children[parent].append(rid)
        return cls(dict(by_adcode), dict(by_name), level, dict(children))

    def find(self, w: UnitOfWork, text: str) -> int | None:
        """The id ``find_region`` would find for ``text`` (already stripped), or None."""
        ids = self.by_adcode.get(text)
        if not ids:
            names = {text, text + "市", text.removesuffix("市")}
            ids = sorted(i for n in names for i in self.by_name.get(n, ()))
        ids = [i for i in ids if w.in_scope(i)]
        return min(ids, key=lambda i: _LEVEL_ORDER.get(self.level[i], 3)) if ids else None

    def subtree(self, root: int) -> frozenset[int]:
        found = self._subtrees.get(root)
        if found is None:
            scope, frontier = {root}, [root]
            while frontier:
                frontier = [c for r in frontier for c in self.children.get(r, ()) if c not in scope]
                scope.update(frontier)
            found = self._subtrees[root] = frozenset(scope)
        return found


_REGION_COUNT = select(func.count(Region.id), func.max(Region.id))
_TREES: dict[tuple[str, int, int], RegionTree] = {}
_TREES_LOCK = threading.Lock()


def region_tree(w: UnitOfWork) -> RegionTree:
    """The database's division tree, read once per process (checked once per transaction against the
    number of regions and the highest id, so a database restored from a backup is read again)."""
    s = w.session
    tree = s.info.get("innocity.region_tree")
    if tree is None:
        count, top = s.connection().execute(_REGION_COUNT).one()
        key = (f"{s.get_bind().engine.url}#{id(s.get_bind().engine)}", int(count or 0), int(top or 0))
        with _TREES_LOCK:
            tree = _TREES.get(key)
        if tree is None:
            tree = RegionTree.read(s)
            with _TREES_LOCK:
                _TREES[key] = tree
        s.info["innocity.region_tree"] = tree
    return tree  # type: ignore[no-any-return]


def find_region(w: UnitOfWork, *, region: str, field: str = "region") -> Region:
    """A region in the actor's scope by adcode or name (市 suffix optional); cities before counties."""
    text = region.strip()
    found = region_tree(w).find(w, text)
    if found is None:
        raise NotFoundError(f"no region called {text!r}", field=field)
    return w.session.get_one(Region, found)


def subtree(s: Session, root: int) -> set[int]:
    """``root`` and every region under it (a province covers its cities and counties)."""
    scope, frontier = {root}, {root}
    while frontier:
        frontier = set(s.scalars(select(Region.id).where(Region.parent_id.in_(frontier)))) - scope
        scope |= frontier
    return scope


def scope_key(scope: set[int] | None) -> tuple[int, ...] | None:
    """A ``region_scope`` as a value to compare and keep: the regions in order (None: every region)."""
    return None if scope is None else tuple(sorted(scope))


def region_scope(w: UnitOfWork, *, region: str | None) -> set[int] | None:
    """The regions a filter covers, within the actor's scope; ``None`` when neither limits anything."""
    if region:
        tree = region_tree(w)
        text = region.strip()
        found = tree.find(w, text)
        if found is None:
            raise NotFoundError(f"no region called {text!r}", field="region")
        return set(tree.subtree(found))
    ids = w.region_ids
    return None if ids is None else set(ids)


# ---------------------------------------------------------------- progress


def progress(
    w: UnitOfWork,
    *,
    region: str | None = None,
    plan_id: int | None = None,
    year: int | None = None,
    as_of: date | None = None,
    include_draft: bool = False,
    statuses: list[str] | None = None,
    department: str | None = None,
    dimension: str | None = None,
    target_ids: list[int] | None = None,
) -> list[ProgressRow]:
    """One row per current target with its baseline, goal, figures and status.

    ``year`` is the evaluation year (default: the year of ``as_of``, else this year); ``as_of`` limits the
    figures to those known on that date; drafts count only with ``include_draft``; ``statuses``,
    ``department`` (lead or supporting), ``dimension`` (GOV … DRV) and ``target_ids`` keep only those rows.
    """
    w.require(Permission.READ)
    check_filters(statuses=statuses, year=year)
    plan_ids = plans_of(w, region=region, plan_id=plan_id, target_ids=target_ids)
    prepared = prepare_plans(w, plan_ids=plan_ids, include_draft=include_draft, as_of=as_of)
    return assess_prepared(w, plans=prepared, year=year, as_of=as_of, include_draft=include_draft, statuses=statuses,
                           department=department, dimension=dimension, target_ids=target_ids)


def plans_of(
    w: UnitOfWork, *, region: str | None = None, plan_id: int | None = None, target_ids: list[int] | None = None
) -> list[int]:
    """The ids of the plans ``progress`` reads, in id order: ``plan_id`` (checked against the actor's
    scope), else every plan in scope (within ``region``), narrowed to those holding ``target_ids``."""
    s = w.session
    if plan_id is not None:
        found = s.execute(select(PlanRow.region_id).where(PlanRow.id == plan_id)).first()
        if found is None or not w.in_scope(found[0]):
            raise NotFoundError(f"no plan with id {plan_id}", field="plan_id")
    scope = region_scope(w, region=region)
    q = select(PlanRow.id).order_by(PlanRow.id)
    if plan_id is not None:
        q = q.where(PlanRow.id == plan_id)
    if scope is not None:
        q = q.where(PlanRow.region_id.in_(sorted(scope)))
    if target_ids is not None:
        q = q.where(PlanRow.id.in_(select(TargetRow.plan_id).where(TargetRow.id.in_(set(target_ids)))))
    return list(s.scalars(q))


def status_counts(rows: list[ProgressRow]) -> StatusCounts:
    """How many targets have each status."""
    c = Counter(r.status for r in rows)
    return StatusCounts(**{k: c.get(k, 0) for k in STATUSES})
