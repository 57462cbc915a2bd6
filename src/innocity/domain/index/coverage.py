"""Which indicators and units an index can honestly be computed on: the coverage rules.

Data from the store are partial: a framework lists indicators nobody reports yet, and some cities report
little. Rather than refuse, a run keeps what is covered well enough:

1. a unit with no value at all in the period is excluded;
2. an indicator observed for fewer than ``rule.indicator`` of the remaining units is dropped;
3. a unit observed on fewer than ``rule.unit`` of the remaining indicators is excluded;
4. steps 2–3 repeat until nothing changes (each pass only removes, so it ends).

What is left is imputed as the framework says. Every removal carries its coverage and a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# A coverage equal to the threshold passes, also when the threshold was written as 0.667 for 2/3.
_SLACK = 5e-4


@dataclass(frozen=True, slots=True)
class CoverageRule:
    """Minimum shares: of units an indicator must be observed for, of indicators a unit must report."""

    indicator: float = 2.0 / 3.0
    unit: float = 0.5


@dataclass(frozen=True, slots=True)
class Removal:
    """One dropped indicator or excluded unit: its position, the coverage it had, and why it went."""

    index: int
    coverage: float
    reason: str


@dataclass(slots=True)
class Selection:
    """Masks of the indicators and units kept, and the removals in the order they happened."""

    indicators: np.ndarray
    units: np.ndarray
    dropped: list[Removal] = field(default_factory=list)
    excluded: list[Removal] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """At least two units and one indicator: something to rank."""
        return int(self.units.sum()) >= 2 and bool(self.indicators.any())


def _pct(x: float) -> str:
    return f"{x:.0%}"


def select(observed: np.ndarray, rule: CoverageRule, *, period: str = "") -> Selection:
    """Apply the coverage rules to ``observed`` (units × indicators, True where a value exists)."""
    obs = np.asarray(observed, dtype=bool)
    n_units, n_ind = obs.shape
    in_period = f" in {period}" if period else ""
    keep_u = np.asarray(obs.any(axis=1), dtype=bool)
    keep_i = np.ones(n_ind, dtype=bool)
    sel = Selection(keep_i, keep_u)
    sel.excluded.extend(Removal(int(u), 0.0, f"no values{in_period}") for u in np.flatnonzero(~keep_u))
    while True:
        units = int(keep_u.sum())
        counts = obs[keep_u].sum(axis=0)
        cov_i = counts / units if units else np.zeros(n_ind)
        drop_i = keep_i & ((cov_i + _SLACK < rule.indicator) | (counts == 0))
        for i in np.flatnonzero(drop_i):
            why = (f"no values{in_period}" if counts[i] == 0 else
                   f"values for {counts[i]} of {units} units{in_period} ({_pct(cov_i[i])}), "
                   f"below the {_pct(rule.indicator)} required")
            sel.dropped.append(Removal(int(i), float(cov_i[i]), why))
        keep_i = keep_i & ~drop_i
        n_kept = int(keep_i.sum())
        have = obs[:, keep_i].sum(axis=1)
        cov_u = have / n_kept if n_kept else np.zeros(n_units)
        drop_u = keep_u & ((cov_u + _SLACK < rule.unit) | (have == 0))
        for u in np.flatnonzero(drop_u):
            why = (f"no values for the indicators kept{in_period}" if have[u] == 0 else
                   f"values for {have[u]} of {n_kept} indicators{in_period} ({_pct(cov_u[u])}), "
                   f"below the {_pct(rule.unit)} required")
            sel.excluded.append(Removal(int(u), float(cov_u[u]), why))
        keep_u = keep_u & ~drop_u
        if not drop_i.any() and not drop_u.any():
            break
    sel.indicators, sel.units = keep_i, keep_u
    return sel
