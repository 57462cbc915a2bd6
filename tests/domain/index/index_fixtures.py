"""Helpers for the index tests: the COINr ASEM example loaded straight from the reference CSVs."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from innocity.domain.index.framework import Framework, Node
from innocity.domain.index.model import Dataset

COINR = Path(__file__).resolve().parents[2] / "fixtures" / "coinr"


def read_table(name: str) -> tuple[list[str], list[list[str]]]:
    with open(COINR / name, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def read_matrix(name: str) -> tuple[list[str], list[str], np.ndarray]:
    """(unit codes, column names, values) of a uCode-keyed fixture; empty cells are NaN."""
    head, rows = read_table(name)
    units = [r[0] for r in rows]
    vals = np.array([[float(v) if v not in ("", "NA") else np.nan for v in r[1:]] for r in rows])
    return units, head[1:], vals


def asem_framework(weights: dict[str, float] | None = None) -> Framework:
    head, rows = read_table("asem_imeta.csv")
    meta = [dict(zip(head, r, strict=True)) for r in rows]
    kids: dict[str, list[dict[str, str]]] = {}
    for m in meta:
        if m["Type"] in ("Indicator", "Aggregate") and m["Parent"]:
            kids.setdefault(m["Parent"], []).append(m)

    def build(m: dict[str, str]) -> Node:
        children = tuple(build(c) for c in kids.get(m["iCode"], []))
        w = (weights or {}).get(m["iCode"], float(m["Weight"]))
        return Node(m["iCode"], m["iName"], w, int(m["Direction"] or 1), children,
                    m["Denominator"] or None, float(m["Target"]) if m["Target"] else None)

    root = next(m for m in meta if m["iCode"] == "Index")
    return Framework(build(root), "ASEM", "asem_imeta.csv")


def asem_dataset() -> Dataset:
    head, rows = read_table("asem_idata.csv")
    ind = head[11:]
    units = tuple(r[1] for r in rows)
    vals = np.array([[float(v) if v else np.nan for v in r[11:]] for r in rows])
    den = {name: np.array([[float(r[head.index(name)] or "nan") for r in rows]]) for name in
           ("Area", "Energy", "GDP", "Population")}
    return Dataset(units, (2018,), tuple(ind), vals[None], tuple(r[5] for r in rows), den)
