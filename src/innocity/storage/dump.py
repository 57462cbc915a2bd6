"""A portable dump of every table as JSON (``innocity.dump/1``), and loading it back.

Used where no native tool fits: PostgreSQL without ``pg_dump``, or moving between SQLite and
PostgreSQL. Values are typed by the table definitions: bytes as base64, dates and times as ISO text.
Loading replaces the content of every table of the dump in the caller's transaction.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, Table, delete, func, insert, select, text
from sqlalchemy.engine import Connection

from .db import Base
from .migrate import current_revisions, load_table_modules

FORMAT = "innocity.dump/1"


def _tables() -> list[Table]:
    load_table_modules()
    return list(Base.metadata.sorted_tables)


def _encode(v: Any) -> Any:
    if isinstance(v, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(v)).decode("ascii")}
    if isinstance(v, datetime | date):
        return v.isoformat()
    return v


def dump(conn: Connection, out: Path) -> dict[str, int]:
    """Write every table (rows in primary-key order) to ``out``; returns rows per table."""
    counts: dict[str, int] = {}
    tables: dict[str, Any] = {}
    for t in _tables():
        cols = [c.name for c in t.columns]
        q = select(*t.columns).order_by(*t.primary_key.columns)
        rows = [[_encode(v) for v in r] for r in conn.execute(q)]
        tables[t.name] = {"columns": cols, "rows": rows}
        counts[t.name] = len(rows)
    doc = {"format": FORMAT, "revisions": list(current_revisions(conn)), "tables": tables}
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(out)
    return counts


def read(path: Path) -> dict[str, Any]:
    """Read and check a dump file; ``ValueError`` when it is not one."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not an innocity dump: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError("not an innocity dump (format innocity.dump/1)")
    return doc


def _decoder(t: Table) -> list[Any]:
    out: list[Any] = []
    for c in t.columns:
        if isinstance(c.type, LargeBinary):
            out.append(lambda v: base64.b64decode(v["$b64"]) if isinstance(v, dict) else v)
        elif isinstance(c.type, DateTime):
            out.append(lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v)
        elif isinstance(c.type, Date):
            out.append(lambda v: date.fromisoformat(v) if isinstance(v, str) else v)
        else:
            out.append(None)
    return out


def load(conn: Connection, doc: dict[str, Any]) -> dict[str, int]:
    """Replace the content of the dumped tables with the dump's rows (in the caller's transaction)."""
    tables = [t for t in _tables() if t.name in doc["tables"]]
    for t in reversed(tables):
        if t.name == "regions":  # self-referencing: children first
            conn.execute(t.update().values(parent_id=None))
        conn.execute(delete(t))
    counts: dict[str, int] = {}
    for t in tables:
        data = doc["tables"][t.name]
        cols = [c.name for c in t.columns]
        if data["columns"] != cols:
            raise ValueError(f"table {t.name}: the dump has columns {data['columns']}, this database {cols}")
        dec = _decoder(t)
        rows = [
            {c: (f(v) if f and v is not None else v) for c, f, v in zip(cols, dec, r, strict=True)}
            for r in data["rows"]
        ]
        for i in range(0, len(rows), 10_000):
            conn.execute(insert(t), rows[i : i + 10_000])
        counts[t.name] = len(rows)
        if conn.dialect.name == "postgresql" and "id" in t.c and rows:
            top = conn.scalar(select(func.max(t.c.id)))
            conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"), {"t": t.name, "v": top})
    return counts
