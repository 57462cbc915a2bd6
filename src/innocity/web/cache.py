"""Results kept between requests while their freshness stamp (``services.freshness``) stays the same.

A read that costs tens of milliseconds (a plan with its items and source text, a city's progress) is kept
under ``(what, stamp)``; the stamp is recomputed on every request (a few indexed queries, with the scope
check the read itself would do), so a change anywhere, by any process, is seen by the next request. Only
values that do not depend on who asks are kept (the stamp carries the scope where the value depends on it);
pages are still rendered per request (user, role, CSRF token).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """A small thread-safe LRU of recent results."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
        value = make()  # outside the lock: two requests may both compute it, neither waits for the other
        with self._lock:
            self.misses += 1
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


PLAN_JSON: Kept[bytes] = Kept(128)  # GET /api/v1/plans/{id}: the serialised answer
PLAN_VIEW: Kept[object] = Kept(128)  # the review workspace's plan, highlighted text and counts
PROGRESS_JSON: Kept[bytes] = Kept(256)  # GET /api/v1/progress: the serialised answer
