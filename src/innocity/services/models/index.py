"""Results of the composite index: one run (``IndexResult``, what ``innocity index run --format json`` prints)
and background runs (``IndexRunRef``, ``IndexRunStatus``, ``IndexRunSummary``).

Keys that only exist when asked for (rank statistics with ``uncertainty``, contributions for an arithmetic
index, obstacles, Sobol ``sensitivity``, a region's ``adcode``) are left out of the JSON rather than written
as ``null``, so the output of earlier versions keeps its exact shape.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from .common import Model

Number = int | float  # rank statistics are written as integers when whole (3, not 3.0)


class _OmitUnset(Model):
    """Drops the optional keys listed in ``_omit`` from the dump when they are ``None``."""

    _omit: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _drop_absent(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for key in self._omit:
                if data.get(key, 0) is None:
                    del data[key]
        return data


class Obstacle(Model):
    """One indicator holding a unit back, with its obstacle degree (障碍度, shares sum to 1)."""

    indicator: str
    degree: float


class UnitResult(_OmitUnset):
    """One unit's score and rank, its group scores, and what was asked for on top."""

    _omit = ("adcode", "rank_interval", "rank_mean", "rank_median", "contributions", "obstacles")

    unit: str
    adcode: str | None = None
    score: float | None
    rank: int
    rank_interval: list[Number | None] | None = None  # 5 % and 95 % quantiles of the Monte Carlo ranks
    rank_mean: Number | None = None
    rank_median: Number | None = None
    groups: dict[str, float | None]
    contributions: dict[str, float | None] | None = None  # points each dimension adds (arithmetic index)
    obstacles: list[Obstacle] | None = None


class SensitivityRow(Model):
    """First-order and total Sobol indices of one assumption, with 90 % bootstrap intervals."""

    factor: str
    first: float
    total: float
    first_ci: list[float]
    total_ci: list[float]


class CoverageOut(Model):
    """The coverage thresholds a run applied (shares of units, of indicators)."""

    indicator: float
    unit: float


class DroppedIndicator(Model):
    """An indicator of the framework left out of this run, with the share of units it had values for."""

    code: str
    name: str | None = None
    coverage: float
    reason: str


class DroppedGroup(Model):
    """A group of the framework left out because none of its indicators was usable."""

    code: str
    name: str | None = None
    reason: str


class ExcludedUnit(Model):
    """A unit left out of the ranking, with the share of the kept indicators it had values for (``None``
    when it was left out for another reason, such as being a province among cities)."""

    unit: str
    coverage: float | None = None
    reason: str


class IndexResult(_OmitUnset):
    """One index run: the ranking and weights first (the keys of earlier versions), then what was left out
    and why, and the warnings."""

    _omit = ("sensitivity",)

    units: list[UnitResult]
    weights: dict[str, float]  # effective weight of each indicator used in the index (they sum to 1)
    period: int | str
    sensitivity: list[SensitivityRow] | None = None
    name: str = ""
    scoring: str = "index"
    groups: list[str] = Field(default_factory=list)  # the groups in each unit's ``groups``, tree order
    replications: int = 0
    coverage: CoverageOut
    dropped_indicators: list[DroppedIndicator] = Field(default_factory=list)
    dropped_groups: list[DroppedGroup] = Field(default_factory=list)
    excluded_units: list[ExcludedUnit] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


RunState = Literal["queued", "running", "done", "failed"]


class IndexRunRef(Model):
    """What starting a background run answers: its id (poll ``get_run`` with it)."""

    id: int
    status: RunState = "queued"


class RunError(Model):
    """Why a run failed: an error code (``invalid``, ``not_found``, ``internal`` …) and one line."""

    code: str
    message: str


class IndexRunSummary(Model):
    """A background run without its result (lists)."""

    id: int
    status: RunState
    progress: int
    framework: str  # "default" or the name of the framework given as YAML
    year: int | str | None = None
    uncertainty: int = 0
    region: str | None = None
    created_by: str
    created_at: datetime
    finished_at: datetime | None = None
    error: RunError | None = None


class IndexRunStatus(IndexRunSummary):
    """A background run as ``GET /api/v1/index/runs/{id}`` answers it: status, progress and, once done, the
    result of ``innocity index run --format json``."""

    result: IndexResult | None = None
