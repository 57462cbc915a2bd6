"""Use case: measure the parser against gold readings (``innocity eval``).

``evaluate`` reads a document and its gold reading (``NAME.gold.json`` beside it by default, the bundled
sample page when nothing is given, or every pair in a directory), parses the document and scores it with
``parsing.scoring``. Errors name the file (``source``) or the parameter (``field``); nothing is printed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from innocity.errors import UserInputError
from innocity.parsing.scoring import PlanReport, Report, score_document
from innocity.services.parsing import parse_path


def sample_paths() -> tuple[Path, Path]:
    """The bundled sample page and its gold reading."""
    base = Path(__file__).resolve().parent.parent / "data" / "samples"
    return base / "innovative-city-plans-4.txt", base / "innovative-city-plans-4.gold.json"


def default_gold_for(doc_path: Path) -> Path:
    """The gold file kept beside a document: ``plan.txt`` → ``plan.gold.json``."""
    return doc_path.with_name(doc_path.stem + ".gold.json")


def _load_gold(path: Path) -> dict[str, Any]:
    """Read a gold file; raises ``UserInputError`` naming the file when it is not a gold reading."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UserInputError("file not found", source=str(path)) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserInputError(f"not a gold reading: {exc}", source=str(path)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("plans"), list):
        raise UserInputError("not a gold reading: no 'plans' list", source=str(path))
    return data


def gold_pairs(directory: Path) -> list[tuple[Path, Path]]:
    """Every document in ``directory`` with a ``NAME.gold.json`` beside it, sorted by name."""
    return [(p, default_gold_for(p)) for p in sorted(directory.iterdir())
            if p.is_file() and not p.name.endswith(".json") and default_gold_for(p).is_file()]


def evaluate(doc_path: Path | None = None, gold_path: Path | None = None) -> Report:
    """Parse ``doc_path`` (default: the bundled sample) and score it against ``gold_path``
    (default: the ``.gold.json`` beside it). A directory scores every document in it that has a
    ``NAME.gold.json`` beside it, as one report whose plans are labelled ``NAME/plan``.

    Raises ``UserInputError`` for a missing or bad file, a gold given with a directory (``field="gold"``),
    or a directory without gold readings."""
    if doc_path is not None and doc_path.is_dir():
        if gold_path is not None:
            raise UserInputError("a gold reading cannot be given with a directory", field="gold")
        pairs = gold_pairs(doc_path)
        if not pairs:
            raise UserInputError("no document with a NAME.gold.json beside it", source=str(doc_path))
        plans: list[PlanReport] = []
        for doc, gold in pairs:
            for plan in _evaluate_one(doc, gold).plans:
                plan.label = f"{doc.stem}/{plan.label}"
                plans.append(plan)
        return Report(plans)
    sample_doc, sample_gold = sample_paths()
    doc_path = doc_path or sample_doc
    gold_path = gold_path or (sample_gold if doc_path == sample_doc else default_gold_for(doc_path))
    return _evaluate_one(doc_path, gold_path)


def _evaluate_one(doc_path: Path, gold_path: Path) -> Report:
    gold = _load_gold(gold_path)
    # Scoring compares spans and values only: the indicator catalogue is not needed.
    doc = parse_path(doc_path, annotate=False)
    return score_document(doc, gold)
