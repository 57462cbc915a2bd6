"""The table an observation import carries from reading to loading: columns of one length by name, each a
numpy array, optionally with its cells already coded by distinct value, or deferred until someone reads it.

It does what a pandas DataFrame did here without what a DataFrame costs for a million rows: stacking the
object columns into one block copied every cell (~0.9 s, measured) and each factorize scanned for missing
values and types first. Selecting rows (``take``) copies pointers and codes only.

- A **coded** column keeps (codes per row, distinct values) beside its cells: pandas' CSV reader hashes a
  categorical column's raw bytes in C, so the checks, which work per distinct value, never hash a cell.
- A **deferred** column is built the first time it is read: the value column's text when the reader
  parsed the numbers directly (only a refused row's message or a rejects file quotes the text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

Deferred = Callable[[], np.ndarray]
# the column holding the value column as numbers, when the CSV reader could parse every value cell as one
NUMBERS = "_value_num"


def factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes per row, distinct values in order of appearance) of a column of text or numbers. A dict
    does it at the cost of pandas' factorize without its missing-value and type scans (a tenth of a
    second per column of a million rows); equal cells from the readers are one object, so hashing is
    cheap."""
    if values.dtype != object:
        codes, uniq = pd.factorize(values, use_na_sentinel=False)
        return np.asarray(codes, dtype=np.int64), np.asarray(uniq)
    items = values.tolist()
    index = {v: i for i, v in enumerate(dict.fromkeys(items))}
    codes = np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))
    uniq = np.empty(len(index), dtype=object)
    uniq[:] = list(index)
    return codes, uniq


class Table:
    """Columns of one length by name (see the module docstring)."""

    __slots__ = ("_n", "coded", "cols")

    def __init__(
        self,
        cols: Mapping[str, np.ndarray | Deferred],
        coded: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
        n: int | None = None,
    ) -> None:
        self.cols: dict[str, np.ndarray | Deferred] = dict(cols)
        self.coded: dict[str, tuple[np.ndarray, np.ndarray]] = dict(coded or {})
        if n is None:
            n = next((len(v) for v in self.cols.values() if isinstance(v, np.ndarray)), 0)
        self._n = n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, name: str) -> np.ndarray:
        v = self.cols[name]
        if not isinstance(v, np.ndarray):
            v = self.cols[name] = v()
        return v

    def __contains__(self, name: object) -> bool:
        return name in self.cols

    @property
    def columns(self) -> list[str]:
        return list(self.cols)

    @property
    def empty(self) -> bool:
        return self._n == 0

    def factorized(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(codes per row, distinct values) of a column: the reader's when it coded it, else made now
        (and kept)."""
        hit = self.coded.get(name)
        if hit is None:
            hit = self.coded[name] = factorize(self[name])
        return hit

    def take(self, rows: Any) -> Table:
        """The rows a boolean mask or positions select, in every column (a deferred one stays deferred)."""
        cols: dict[str, np.ndarray | Deferred] = {}
        for k, v in self.cols.items():
            cols[k] = v[rows] if isinstance(v, np.ndarray) else _taken(self, k, rows)
        coded = {k: (c[rows], u) for k, (c, u) in self.coded.items()}
        if isinstance(rows, np.ndarray) and rows.dtype == bool:
            n = int(np.count_nonzero(rows))
        elif isinstance(rows, slice):
            n = len(range(self._n)[rows])
        else:
            n = len(rows)
        return Table(cols, coded, n)

    def assign(self, **cols: np.ndarray) -> Table:
        """This table with columns added or replaced (the others shared, not copied)."""
        coded = {k: v for k, v in self.coded.items() if k not in cols}
        return Table({**self.cols, **cols}, coded, self._n)

    def frame(self, names: Iterable[str] | None = None) -> pd.DataFrame:
        """Some columns as a DataFrame, for the few steps pandas does best (merges, group medians)."""
        return pd.DataFrame({k: self[k] for k in (self.columns if names is None else names)})


def _taken(table: Table, name: str, rows: Any) -> Deferred:
    return lambda: table[name][rows]
