"""Results kept between requests while their freshness stamp (``services.freshness``) stays the same.

A read that costs tens of milliseconds (a plan with its items and source text, a city's progress) is kept
under ``(what, stamp)``; the stamp is recomputed on every request (one statement of index lookups, with the
scope check the read itself would do), so a change anywhere, by any process, is seen by the next request.
Only values that do not depend on who asks are kept (the stamp carries the scope where the value depends on
it); pages are still rendered per request (user, role, CSRF token).

Two kinds of value are kept:

- **answers** (``Answer``): a JSON body, kept gzipped as it goes over the wire, so a repeated answer costs
  neither serialising nor compressing;
- **inputs** (``PREPARED``): what a plan's progress needs that does not depend on the evaluation year
  (``tracking.prepare_plans``), under the store's ``writes_stamp`` alone: a city's progress in any year, its
  table, its dashboard and each of its targets' pages then share one reading of the store, and each request
  assesses its year from it. Which plans a request may see is decided per request, by the service, before
  any kept plan is used;
- **assessed rows** (``ASSESSED``): the progress rows of the plans a request may see in one year, under the
  same stamp, so ``/progress``, the dashboard and ``GET /api/v1/progress`` for one region and year assess it
  once between them (the service reads which plans are in scope first, and that list is part of the key).
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from starlette.requests import Request
from starlette.responses import Response

from innocity.services import plans
from innocity.services.context import UnitOfWork
from innocity.services.models import PlanDetail, ProgressRow
from innocity.services.models.users import SignedIn
from innocity.services.tracking import PreparedPlan

V = TypeVar("V")


class Kept(Generic[V]):
    """A small thread-safe LRU of recent results."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
                self.hits += 1
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self.misses += 1
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        value = self.get(key)
        if value is None:
            value = make()  # outside the lock: two requests may both compute it, neither waits for the other
            self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class Stamped(Generic[V]):
    """A ``Kept`` seen under one stamp: what is put is found again only under the same stamp."""

    def __init__(self, kept: Kept[V], stamp: str) -> None:
        self._kept = kept
        self._stamp = stamp

    def get(self, key: Hashable) -> V | None:
        return self._kept.get((self._stamp, key))

    def put(self, key: Hashable, value: V) -> None:
        self._kept.put((self._stamp, key), value)


@dataclass(frozen=True, slots=True)
class Answer:
    """A JSON body, gzipped once (level 6: within 3 % of level 9's size at a third of its time)."""

    gz: bytes

    @classmethod
    def of(cls, body: bytes) -> Answer:
        return cls(gzip.compress(body, compresslevel=6, mtime=0))

    def response(self, request: Request) -> Response:
        """The body as the client takes it: gzipped when it says it accepts gzip (every browser does)."""
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(self.gz, media_type="application/json",
                            headers={"content-encoding": "gzip", "vary": "Accept-Encoding"})
        return Response(gzip.decompress(self.gz), media_type="application/json", headers={"vary": "Accept-Encoding"})


# Sizes: the benchmark's 100 cities × 14 years of progress answers fit, at about 7 kB each (gzipped);
# a plan prepared for tracking is about 60 targets, two readings (with and without drafts) per plan.
PLAN_JSON: Kept[Answer] = Kept(256)  # GET /api/v1/plans/{id}
PLAN_VIEW: Kept[object] = Kept(256)  # the review workspace's plan, highlighted text and counts
PROGRESS_JSON: Kept[Answer] = Kept(2048)  # GET /api/v1/progress
PREPARED: Kept[PreparedPlan] = Kept(1024)  # tracking.prepare_plans, per plan and reading of the figures
# one region's plan in one year is about 60 rows, 225 kB measured (tracemalloc): 256 of them, some 60 MB
ASSESSED: Kept[list[ProgressRow]] = Kept(256)
SIGNED: Kept[SignedIn] = Kept(4096)  # a verified token or session under the writes stamp (web.deps)
# one plan with its items and source text (plans.show_plan), under its freshness stamp: the review page and
# GET /api/v1/plans/{id} read it once between them
PLAN_DETAIL: Kept[PlanDetail] = Kept(256)


def plan_detail(w: UnitOfWork, plan_id: int, stamp: str) -> PlanDetail:
    """``plans.show_plan`` with the text, kept under ``stamp`` (``freshness.plan_stamp``, which the caller
    has read: it checks the caller may see the plan, so a kept plan is never shown outside its scope).
    Shared: read it, do not change it."""
    return PLAN_DETAIL.get_or_make(stamp, lambda: plans.show_plan(w, plan_id=plan_id, with_text=True))


def prepared(writes: str) -> Stamped[PreparedPlan]:
    """Where ``tracking.prepare_plans`` keeps plans for requests that see the store at ``writes``
    (``freshness.writes_stamp``)."""
    return Stamped(PREPARED, writes)


def assessed(writes: str) -> Stamped[list[ProgressRow]]:
    """Where ``progress_view.scoped_progress`` keeps assessed rows for requests that see the store at
    ``writes``."""
    return Stamped(ASSESSED, writes)
