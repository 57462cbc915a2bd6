"""Score the bulletin extractor against hand-made gold readings (``NAME.txt`` + ``NAME.gold.json``, the
format of ``tests/fixtures/corpus/README.md``).

The headline measure is levels: precision, recall and F1 of proposed observations of kind ``level``
matched one to one with the gold's on value, unit, period and kind. Growth and share figures are scored
the same way as a second line. Every proposed figure (of any kind) whose number lies inside a gold
``not_observation`` quote is counted; those whose ``why`` names a goal are the goals read as observations,
which must be none. Documents are grouped by their gold ``kind`` (bulletin, work_report …).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from innocity.domain.bulletin import BulletinReading, Figure
from innocity.parsing.bulletin import read_bulletin

_GOAL_WHY = re.compile(r"goal|target|目标", re.IGNORECASE)


@dataclass(slots=True)
class Tally:
    """Counts of one measure and the ratios they give (1.0 when there is nothing to find or propose)."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass(slots=True)
class DocumentScore:
    """One document: levels and other kinds, what was missed or extra, goals and other non-figures read."""

    name: str
    kind: str
    levels: Tally
    others: Tally
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    goals_as_observations: list[str] = field(default_factory=list)
    not_observations_read: list[str] = field(default_factory=list)
    year_ok: bool | None = None
    region_ok: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["levels"], d["others"] = self.levels.to_dict(), self.others.to_dict()
        return d


@dataclass(slots=True)
class BulletinScore:
    """All documents, levels and other kinds per document class and overall, and the goal count."""

    documents: list[DocumentScore]
    levels_by_kind: dict[str, Tally]
    others_by_kind: dict[str, Tally]
    levels: Tally
    goals_as_observations: int
    not_observations_read: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "levels": self.levels.to_dict(),
            "levels_by_kind": {k: t.to_dict() for k, t in self.levels_by_kind.items()},
            "others_by_kind": {k: t.to_dict() for k, t in self.others_by_kind.items()},
            "goals_as_observations": self.goals_as_observations,
            "not_observations_read": self.not_observations_read,
            "documents": [d.to_dict() for d in self.documents],
        }


def _unit(u: str | None) -> str:
    return (u or "").replace("个百分点", "百分点").strip()


def _key(value: float, unit: str | None, period: str | None, kind: str) -> tuple[float, str, str, str]:
    return (round(float(value), 6), _unit(unit), str(period or ""), kind)


def _match(gold: list[tuple[float, str, str, str]], pred: list[tuple[float, str, str, str]]) -> tuple[
        Tally, list[Any], list[Any]]:
    left = Counter(gold)
    matched, extra = 0, []
    for k in pred:
        if left[k] > 0:
            left[k] -= 1
            matched += 1
        else:
            extra.append(k)
    missed = [k for k, n in left.items() for _ in range(n)]
    return Tally(len(gold), len(pred), matched), missed, extra


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    out, i = [], text.find(quote)
    while i >= 0 and quote:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


def score_reading(reading: BulletinReading, gold: dict[str, Any], text: str, name: str = "") -> DocumentScore:
    """Score one reading of ``text`` against its gold."""
    obs = gold.get("observations", [])
    gl = [_key(o["value"], o.get("unit"), o.get("period"), o["kind"]) for o in obs if o["kind"] == "level"]
    go = [_key(o["value"], o.get("unit"), o.get("period"), o["kind"]) for o in obs if o["kind"] != "level"]
    figs = reading.figures
    pl = [_key(f.value, f.unit, f.period, f.kind) for f in figs if f.kind == "level"]
    po = [_key(f.value, f.unit, f.period, f.kind) for f in figs if f.kind != "level"]
    levels, missed, extra = _match(gl, pl)
    others, _, _ = _match(go, po)
    score = DocumentScore(name, gold.get("kind", "bulletin"), levels, others,
                          missed=[f"{k[0]:g} {k[1]} {k[2]}" for k in missed],
                          extra=[f"{k[0]:g} {k[1]} {k[2]}" for k in extra])
    for no in gold.get("not_observations", []):
        spans = _spans(text, no["quote"])
        for fig in figs:
            if any(a <= fig.value_span[0] and fig.value_span[1] <= b for a, b in spans):
                label = f"{_show(fig)} in “{no['quote'][:30]}”"
                score.not_observations_read.append(label)
                if _GOAL_WHY.search(no.get("why", "")):
                    score.goals_as_observations.append(label)
    if "year" in gold:
        score.year_ok = gold["year"] == reading.year
    region = gold.get("region") or {}
    if region.get("adcode"):
        score.region_ok = region["adcode"] == reading.region.adcode
    elif region.get("level") == "national":
        score.region_ok = reading.region.level == "national"
    return score


def _show(f: Figure) -> str:
    return f"{f.value:g}{f.unit or ''} ({f.kind})"


def score_bulletins(directory: Path | str) -> BulletinScore:
    """Read every ``NAME.txt`` that has a ``NAME.gold.json`` in ``directory`` and score the extractor."""
    docs: list[DocumentScore] = []
    for gold_path in sorted(Path(directory).glob("*.gold.json")):
        name = gold_path.name.removesuffix(".gold.json")
        text_path = gold_path.with_name(name + ".txt")
        if not text_path.is_file():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = text_path.read_text(encoding="utf-8")
        docs.append(score_reading(read_bulletin(text), gold, text, name))
    return summarise(docs)


def summarise(docs: list[DocumentScore]) -> BulletinScore:
    """Totals per document class and overall."""
    by_kind: dict[str, Tally] = {}
    others: dict[str, Tally] = {}
    total = Tally()
    for d in docs:
        by_kind.setdefault(d.kind, Tally()).add(d.levels)
        others.setdefault(d.kind, Tally()).add(d.others)
        total.add(d.levels)
    return BulletinScore(
        docs, by_kind, others, total,
        goals_as_observations=sum(len(d.goals_as_observations) for d in docs),
        not_observations_read=sum(len(d.not_observations_read) for d in docs),
    )
