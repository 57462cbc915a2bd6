"""The index framework: a tree index → groups (any depth) → indicators, and its compiled, array form.

A ``Node`` carries a weight relative to its siblings and, for indicators, a direction (+1 higher is better,
−1 lower is better). ``Framework`` validates the tree and compiles it once into index arrays so that every
later step (weighting, aggregation, Monte Carlo) works with matrices instead of walking the tree.

Levels follow COINr: indicators are level 1, a group is one above its highest child, so trees of uneven
depth still aggregate bottom-up in a well-defined order.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from innocity.errors import FrameworkError


@dataclass(frozen=True, slots=True)
class Node:
    """One node of the tree. Indicators have no children."""

    code: str
    name: str = ""
    weight: float = 1.0
    direction: int = 1
    children: tuple[Node, ...] = ()
    denominator: str | None = None
    target: float | None = None
    goalposts: tuple[float, float] | None = None
    pairwise: tuple[tuple[float, ...], ...] | None = None  # AHP judgements over the children, in order

    @property
    def is_indicator(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Node]:
        """This node and every descendant, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class LevelPlan:
    """How to compute the nodes of one level from their children (positions in the node array)."""

    level: int
    parents: np.ndarray  # node positions of the parents computed at this level
    children: np.ndarray  # node positions of every child of those parents
    membership: np.ndarray  # (len(children), len(parents)) 0/1


@dataclass(frozen=True)
class Framework:
    """A validated index tree plus its compiled arrays.

    Node order: indicators first (in tree order), then groups by increasing level; the root is last.
    """

    root: Node
    name: str = ""
    source: str | None = None
    nodes: tuple[Node, ...] = field(init=False)
    levels: np.ndarray = field(init=False)
    parent: np.ndarray = field(init=False)
    plans: tuple[LevelPlan, ...] = field(init=False)

    def __post_init__(self) -> None:
        _validate(self.root, self.source)
        indicators = [n for n in self.root.walk() if n.is_indicator]
        level_of: dict[str, int] = {}

        def height(node: Node) -> int:
            lvl = 1 if node.is_indicator else 1 + max(height(c) for c in node.children)
            level_of[node.code] = lvl
            return lvl

        height(self.root)
        groups = [n for n in self.root.walk() if not n.is_indicator]
        groups.sort(key=lambda n: (level_of[n.code], n is self.root))
        nodes = tuple(indicators + groups)
        pos = {n.code: i for i, n in enumerate(nodes)}
        parent = np.full(len(nodes), -1, dtype=np.intp)
        for node in groups:
            for child in node.children:
                parent[pos[child.code]] = pos[node.code]
        levels = np.array([level_of[n.code] for n in nodes], dtype=np.intp)
        plans = []
        for lvl in sorted({level_of[g.code] for g in groups}):
            par = np.array([pos[g.code] for g in groups if level_of[g.code] == lvl], dtype=np.intp)
            kids = np.flatnonzero(np.isin(parent, par)).astype(np.intp)
            member = (parent[kids][:, None] == par[None, :]).astype(float)
            plans.append(LevelPlan(lvl, par, kids, member))
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "parent", parent)
        object.__setattr__(self, "plans", tuple(plans))

    # -- views ------------------------------------------------------------------------------------------
    @property
    def n_indicators(self) -> int:
        return int(np.sum(self.levels == 1))

    @property
    def indicator_codes(self) -> list[str]:
        return [n.code for n in self.nodes[: self.n_indicators]]

    @property
    def codes(self) -> list[str]:
        return [n.code for n in self.nodes]

    @property
    def directions(self) -> np.ndarray:
        return np.array([n.direction for n in self.nodes[: self.n_indicators]], dtype=float)

    @property
    def weights(self) -> np.ndarray:
        """Nominal weights of every node, relative within its parent (root weight is 1)."""
        return np.array([n.weight for n in self.nodes], dtype=float)

    def position(self, code: str) -> int:
        for i, n in enumerate(self.nodes):
            if n.code == code:
                return i
        raise FrameworkError(f"no node {code!r} in the framework", source=self.source)

    def effective_weights(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Weight of every node in the index: the product of its normalised weights up to the root."""
        w = self.weights if weights is None else np.asarray(weights, dtype=float)
        n = len(self.nodes)
        eff = np.ones(n)
        # sum of each parent's children's weights, once (not a scan of every node per node)
        totals = np.bincount(self.parent[:-1], weights=w[:-1], minlength=n)
        with np.errstate(divide="ignore", invalid="ignore"):
            # parents come after children, so walk from the root downwards
            for i in range(n - 2, -1, -1):
                p = self.parent[i]
                eff[i] = eff[p] * w[i] / totals[p]
        return eff

    def nodes_at_levels(self, levels: Sequence[int]) -> np.ndarray:
        """Boolean mask of the nodes at the given levels (indicators are level 1)."""
        return np.isin(self.levels, np.asarray(list(levels), dtype=np.intp))

    def groups_of(self, level: int) -> list[tuple[int, np.ndarray]]:
        """(parent position, child positions) for every group whose children sit at ``level``."""
        out = []
        for par in np.unique(self.parent[(self.levels == level) & (self.parent >= 0)]):
            out.append((int(par), np.flatnonzero(self.parent == par)))
        return out

    def with_weights(self, weights: Mapping[str, float]) -> Framework:
        """A copy with some node weights replaced (by code)."""

        def rebuild(node: Node) -> Node:
            kids = tuple(rebuild(c) for c in node.children)
            w = float(weights.get(node.code, node.weight))
            return Node(node.code, node.name, w, node.direction, kids, node.denominator, node.target,
                        node.goalposts, node.pairwise)

        return Framework(rebuild(self.root), self.name, self.source)

    def subset(self, keep: Collection[str]) -> tuple[Framework | None, list[Node]]:
        """The tree restricted to the indicators in ``keep``, and the groups that lost every child.

        A group whose children are all gone (or whose remaining children all weigh 0) goes too; weights stay
        relative within each parent, so the survivors' shares are renormalised by construction. An AHP
        matrix keeps the rows and columns of the surviving children. ``None`` when nothing is left.
        """
        dropped: list[Node] = []

        def prune(node: Node) -> Node | None:
            if node.is_indicator:
                return node if node.code in keep else None
            kept = [(i, k) for i, k in enumerate(prune(c) for c in node.children) if k is not None]
            if not kept or sum(k.weight for _, k in kept) == 0:
                dropped.append(node)
                return None
            if len(kept) == len(node.children):
                return node
            pw = node.pairwise
            if pw is not None:
                idx = [i for i, _ in kept]
                pw = tuple(tuple(pw[r][c] for c in idx) for r in idx)
            return replace(node, children=tuple(k for _, k in kept), pairwise=pw)

        root = prune(self.root)
        if root is None:
            return None, [n for n in dropped if n is not self.root]
        return Framework(root, self.name, self.source), dropped

    @property
    def height(self) -> int:
        """The root's level (indicators are level 1)."""
        return int(self.levels[-1])


def _validate(root: Node, source: str | None) -> None:
    seen: set[str] = set()
    if root.is_indicator:
        raise FrameworkError("the tree has no indicators under the index", source=source)
    for node in root.walk():
        where = f"node {node.code!r}"
        if not node.code or not isinstance(node.code, str):
            raise FrameworkError("a node has no code", source=source)
        if node.code in seen:
            raise FrameworkError(f"{where}: code appears twice in the tree", source=source)
        seen.add(node.code)
        if not math.isfinite(node.weight):
            raise FrameworkError(f"{where}: weight must be a finite number", source=source)
        if node.is_indicator and node.direction not in (1, -1):
            raise FrameworkError(f"{where}: direction must be 1 or -1, got {node.direction}", source=source)
        if node.goalposts is not None:
            lo, hi = node.goalposts
            if not lo < hi:
                raise FrameworkError(f"{where}: goalposts must be [low, high] with low < high", source=source)
        if node.pairwise is not None:
            k = len(node.children)
            if len(node.pairwise) != k or any(len(r) != k for r in node.pairwise):
                raise FrameworkError(f"{where}: pairwise matrix must be {k}×{k} (one row per child)",
                                     source=source)
        if not node.is_indicator and sum(c.weight for c in node.children) == 0:
            raise FrameworkError(f"{where}: the weights of its children sum to zero", source=source)
