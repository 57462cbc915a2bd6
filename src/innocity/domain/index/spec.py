"""Framework documents (a parsed YAML mapping) → a validated ``FrameworkSpec``: the tree, the engine
parameters and the Monte Carlo specification.

Pure Python on plain dicts and lists, so it lives in the domain; reading the file is the service's job.
Every problem is a ``FrameworkError`` naming the file (``source``) and the node or field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from innocity.errors import FrameworkError

from .aggregation import AGGREGATE_METHODS
from .framework import Framework, Node
from .model import WEIGHT_METHODS
from .steps import IMPUTE_METHODS, NORMALISE_METHODS, TREAT_METHODS
from .uncertainty import UncertaintySpec


@dataclass(frozen=True)
class FrameworkSpec:
    """A framework file read: the tree, the engine parameters and what the Monte Carlo varies."""

    framework: Framework
    params: dict[str, Any]
    uncertainty: UncertaintySpec
    name: str = ""
    scoring: str = "index"  # index | topsis | gra: what "score" and "rank" report


SCORINGS = ("index", "topsis", "gra")



def _fail(source: str, where: str, why: str) -> FrameworkError:
    return FrameworkError(f"{where}: {why}", source=source)


def _method(doc: dict[str, Any], key: str, allowed: tuple[str, ...], default: str, src: str) -> dict[str, Any]:
    block = doc.get(key, {}) or {}
    if isinstance(block, str):
        block = {"method": block}
    if not isinstance(block, dict):
        raise _fail(src, key, "must be a mapping such as {method: …}")
    method = str(block.get("method", default))
    if method not in allowed:
        raise _fail(src, f"{key}.method", f"unknown {method!r}; expected one of {', '.join(allowed)}")
    return {**block, "method": method}


def _number(value: Any, src: str, where: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise _fail(src, where, f"must be a number, got {value!r}") from None
    if not math.isfinite(out):
        raise _fail(src, where, "must be a finite number")
    return out


def _node(raw: Any, src: str, path: str, directions: dict[str, int] | None) -> Node:
    if not isinstance(raw, dict) or "code" not in raw:
        raise _fail(src, path, "each node needs a mapping with at least 'code'")
    code = str(raw["code"])
    where = f"{path} (node {code})"
    kids_raw = raw.get("children") or []
    if not isinstance(kids_raw, list):
        raise _fail(src, f"{where}.children", "must be a list of nodes")
    kids = tuple(_node(k, src, f"{path}.children[{i}]", directions) for i, k in enumerate(kids_raw))
    direction = raw.get("direction")
    if direction is None:
        direction = (directions or {}).get(code, 1)
    try:
        direction = int(direction)
    except (TypeError, ValueError):
        raise _fail(src, f"{where}.direction", f"must be 1 or -1, got {direction!r}") from None
    if direction not in (1, -1):
        raise _fail(src, f"{where}.direction", f"must be 1 or -1, got {direction}")
    gp = raw.get("goalposts")
    if gp is not None and (not isinstance(gp, list) or len(gp) != 2):
        raise _fail(src, f"{where}.goalposts", "must be [low, high]")
    pw = raw.get("pairwise")
    pairwise = None
    if pw is not None:
        if not isinstance(pw, list) or not all(isinstance(r, list) for r in pw):
            raise _fail(src, f"{where}.pairwise", "must be a square list of lists")
        pairwise = tuple(tuple(_number(v, src, f"{where}.pairwise") for v in r) for r in pw)
    return Node(
        code=code,
        name=str(raw.get("name", "")),
        weight=_number(raw.get("weight", 1), src, f"{where}.weight"),
        direction=direction,
        children=kids,
        denominator=str(raw["denominator"]) if raw.get("denominator") else None,
        target=_number(raw["target"], src, f"{where}.target") if raw.get("target") is not None else None,
        goalposts=(_number(gp[0], src, f"{where}.goalposts"), _number(gp[1], src, f"{where}.goalposts"))
        if gp is not None else None,
        pairwise=pairwise,
    )


def parse_framework(doc: Any, source: str, *, directions: dict[str, int] | None = None) -> FrameworkSpec:
    """Build a FrameworkSpec from a parsed YAML document (``source`` names the file in errors)."""
    if not isinstance(doc, dict):
        raise _fail(source, "top level", "must be a mapping with at least 'tree'")
    tree = doc.get("tree")
    if not isinstance(tree, list) or not tree:
        raise _fail(source, "tree", "must be a non-empty list of groups or indicators")
    children = tuple(_node(n, source, f"tree[{i}]", directions) for i, n in enumerate(tree))
    root = Node(str(doc.get("code", "Index")), str(doc.get("name", "")), 1.0, 1, children)
    fw = Framework(root, str(doc.get("name", "")), source)
    imp = _method(doc, "impute", IMPUTE_METHODS, "none", source)
    trt = _method(doc, "treat", TREAT_METHODS, "none", source)
    nrm = _method(doc, "normalise", NORMALISE_METHODS, "minmax", source)
    wts = _method(doc, "weights", WEIGHT_METHODS, "manual", source)
    agg = _method(doc, "aggregate", AGGREGATE_METHODS, "arithmetic", source)
    rng = nrm.get("range", [0, 100])
    if not isinstance(rng, list) or len(rng) != 2:
        raise _fail(source, "normalise.range", "must be [low, high]")
    params: dict[str, Any] = {
        "denominate": bool(doc.get("denominate", True)),
        "impute": imp["method"],
        "treat": trt["method"],
        "treat_params": {k: _number(v, source, f"treat.{k}") for k, v in trt.items() if k != "method"},
        "normalise": nrm["method"],
        "normalise_range": (_number(rng[0], source, "normalise.range"), _number(rng[1], source, "normalise.range")),
        "weights": wts["method"],
        "weight_params": {k: v for k, v in wts.items() if k != "method"},
        "aggregate": agg["method"],
        "p": _number(agg.get("p", 1.0), source, "aggregate.p"),
    }
    scoring = _method(doc, "scoring", SCORINGS, "index", source)["method"]
    return FrameworkSpec(fw, params, _uncertainty(doc.get("uncertainty"), source), fw.name, scoring)


def _choices(block: dict[str, Any], key: str, allowed: tuple[str, ...], src: str) -> tuple[str, ...]:
    vals = block.get(key) or []
    if isinstance(vals, str):
        vals = [vals]
    for v in vals:
        if v not in allowed:
            raise _fail(src, f"uncertainty.{key}", f"unknown {v!r}; expected one of {', '.join(allowed)}")
    return tuple(str(v) for v in vals)


def _uncertainty(block: Any, src: str) -> UncertaintySpec:
    if block is None:
        return UncertaintySpec(weight_noise=0.25, noise_levels=(2, 3), aggregate=("arithmetic", "geometric"),
                               normalise_range=(1.0, 100.0), seed=None)
    if not isinstance(block, dict):
        raise _fail(src, "uncertainty", "must be a mapping")
    w = block.get("weights") or {}
    noise = _number(w.get("noise", 0.0), src, "uncertainty.weights.noise")
    if not 0 <= noise < 1:
        raise _fail(src, "uncertainty.weights.noise", "must be in [0, 1)")
    levels = tuple(int(_number(v, src, "uncertainty.weights.levels")) for v in w.get("levels", [2, 3]))
    rng = block.get("normalise_range")
    seed = block.get("seed")
    return UncertaintySpec(
        weight_noise=noise, noise_levels=levels,
        aggregate=_choices(block, "aggregate", AGGREGATE_METHODS, src),
        normalise=_choices(block, "normalise", NORMALISE_METHODS, src),
        impute=_choices(block, "impute", IMPUTE_METHODS, src),
        treat=_choices(block, "treat", TREAT_METHODS, src),
        normalise_range=(_number(rng[0], src, "uncertainty.normalise_range"),
                         _number(rng[1], src, "uncertainty.normalise_range")) if rng else None,
        seed=int(seed) if seed is not None else None,
    )
