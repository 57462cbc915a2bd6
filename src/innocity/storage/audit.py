"""The append-only audit log: every change to a stored value leaves one row per field.

Rows are only ever inserted; there is no update or delete function here on purpose.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .tables import AuditEntry, utcnow


def _text(v: Any) -> str | None:
    if v is None:
        return None
    return json.dumps(v, ensure_ascii=False, default=str)


def record(
    s: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | str,
    field: str | None = None,
    before: Any = None,
    after: Any = None,
    comment: str | None = None,
) -> AuditEntry:
    """Append one audit row (``before``/``after`` stored as JSON text) in the caller's transaction."""
    entry = AuditEntry(
        at=utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        field=field,
        before=_text(before),
        after=_text(after),
        comment=comment,
    )
    s.add(entry)
    return entry


def history(s: Session, entity: str, entity_id: int | str) -> list[AuditEntry]:
    """Every audit row of one record, oldest first."""
    q = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    )
    return list(s.scalars(q))


def update_fields(
    s: Session,
    row: Any,
    changes: dict[str, Any],
    *,
    actor: str,
    action: str = "update",
    comment: str | None = None,
    entity_id: int | str | None = None,
) -> list[str]:
    """Assign ``changes`` to ``row`` and append one audit row per field whose value really changes.

    The one "assign, stamp, audit" step every write path uses; returns the names of the changed fields
    (the caller stamps who/when on its own columns when the list is not empty).
    """
    changed: list[str] = []
    for name, value in changes.items():
        before = getattr(row, name)
        if before == value:
            continue
        setattr(row, name, value)
        record(
            s,
            actor=actor,
            action=action,
            entity=row.__tablename__,
            entity_id=entity_id if entity_id is not None else row.id,
            field=name,
            before=before,
            after=value,
            comment=comment,
        )
        changed.append(name)
    return changed
