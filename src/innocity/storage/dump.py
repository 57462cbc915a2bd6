"""A portable dump of every table as JSON (``innocity.dump/1``), checking one whole, and loading it back.

Used where no native tool fits: PostgreSQL without ``pg_dump``, or moving between SQLite and
PostgreSQL. Values are typed by the table definitions: bytes as base64, dates and times as ISO text.
``check`` validates the whole dump against this schema before anything is touched (every table present
with its columns, every value of its column's type and length, primary keys unique, every foreign key
pointing at a row of the dump, regions present); ``load`` then replaces the content of every table in the
caller's transaction.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection

from .db import Base
from .migrate import current_revisions, load_table_modules

FORMAT = "innocity.dump/1"

Rows = dict[str, list[dict[str, Any]]]


class DumpError(ValueError):
    """The file is not a dump this schema can load; the message names the table, row and column."""


def tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    load_table_modules()
    return list(Base.metadata.sorted_tables)


def _encode(v: Any) -> Any:
    if isinstance(v, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(v)).decode("ascii")}
    if isinstance(v, datetime | date):
        return v.isoformat()
    return v


def dump(conn: Connection, out: IO[bytes]) -> dict[str, int]:
    """Write every table (rows in primary-key order) to ``out``; returns rows per table."""
    counts: dict[str, int] = {}
    data: dict[str, Any] = {}
    for t in tables():
        cols = [c.name for c in t.columns]
        q = select(*t.columns).order_by(*t.primary_key.columns)
        rows = [[_encode(v) for v in r] for r in conn.execute(q)]
        data[t.name] = {"columns": cols, "rows": rows}
        counts[t.name] = len(rows)
    doc = {"format": FORMAT, "revisions": list(current_revisions(conn)), "tables": data}
    out.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return counts


def parse(raw: bytes) -> dict[str, Any]:
    """The JSON document of a dump file; ``DumpError`` when it is not one."""
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise DumpError(f"not an innocity dump: {reason}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DumpError(f"not an innocity dump (format {FORMAT})")
    revs = doc.get("revisions")
    if not isinstance(revs, list) or not revs or not all(isinstance(r, str) for r in revs):
        raise DumpError("the dump names no schema revision")
    if not isinstance(doc.get("tables"), dict):
        raise DumpError("the dump holds no tables")
    return doc


def _decoder(col: Any) -> Callable[[Any], Any]:
    """Turn a JSON value into the column's Python value; ``ValueError``/``TypeError`` when it is not one."""
    t = col.type

    def check_len(v: Any) -> Any:
        if not isinstance(v, str):
            raise TypeError("not text")
        length = getattr(t, "length", None)
        if length is not None and len(v) > length:
            raise ValueError(f"longer than {length} characters")
        if "\x00" in v:
            raise ValueError("contains a NUL character")
        return v

    if isinstance(t, LargeBinary):
        return lambda v: base64.b64decode(v["$b64"], validate=True)
    if isinstance(t, DateTime):
        return lambda v: datetime.fromisoformat(v)
    if isinstance(t, Date):
        return lambda v: date.fromisoformat(v)
    if isinstance(t, Boolean):

        def boolean(v: Any) -> bool:
            if isinstance(v, bool) or v in (0, 1):
                return bool(v)
            raise TypeError("not a boolean")

        return boolean
    if isinstance(t, Integer):

        def integer(v: Any) -> int:
            if isinstance(v, bool) or not isinstance(v, int) or not -(2**63) <= v < 2**63:
                raise TypeError("not an integer")
            return v

        return integer
    if isinstance(t, Float):

        def number(v: Any) -> float:
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise TypeError("not a finite number")
            return float(v)

        return number
    if isinstance(t, JSON):
        return lambda v: v
    if isinstance(t, String):
        return check_len
    return lambda v: v


def check(doc: dict[str, Any]) -> Rows:
    """Validate the whole dump against this schema and decode it; ``DumpError`` names the first problem.

    Nothing is read from or written to a database here: a dump that fails leaves everything untouched."""
    data = doc["tables"]
    schema = tables()
    names = {t.name for t in schema}
    extra = sorted(set(data) - names)
    if extra:
        raise DumpError(f"the dump holds tables this schema does not have: {', '.join(extra[:5])}")
    missing = [t.name for t in schema if t.name not in data]
    if missing:
        raise DumpError(f"the dump lacks table(s): {', '.join(missing[:5])}")
    out: Rows = {}
    for t in schema:
        part = data[t.name]
        cols = [c.name for c in t.columns]
        if (
            not isinstance(part, dict)
            or part.get("columns") != cols
            or not isinstance(part.get("rows"), list)
        ):
            raise DumpError(f"table {t.name}: the dump's columns differ from this schema's {cols}")
        decs = [(c.name, _decoder(c), c.nullable and not c.primary_key) for c in t.columns]
        rows: list[dict[str, Any]] = []
        for i, r in enumerate(part["rows"], start=1):
            if not isinstance(r, list) or len(r) != len(cols):
                raise DumpError(f"table {t.name}, row {i}: expected {len(cols)} values")
            rec: dict[str, Any] = {}
            for (name, dec, nullable), v in zip(decs, r, strict=True):
                if v is None:
                    if not nullable:
                        raise DumpError(f"table {t.name}, row {i}, column {name}: empty, but required")
                    rec[name] = None
                    continue
                try:
                    rec[name] = dec(v)
                except (ValueError, TypeError, KeyError, binascii.Error) as exc:
                    raise DumpError(f"table {t.name}, row {i}, column {name}: {exc}") from None
            rows.append(rec)
        pk = [c.name for c in t.primary_key.columns]
        keys = {tuple(rec[c] for c in pk) for rec in rows}
        if len(keys) != len(rows):
            raise DumpError(f"table {t.name}: a primary key value appears twice")
        out[t.name] = rows
    for t in schema:
        for fk in t.foreign_keys:
            ref = fk.column
            have = {rec[ref.name] for rec in out[ref.table.name]}
            col = fk.parent.name
            for i, rec in enumerate(out[t.name], start=1):
                if rec[col] is not None and rec[col] not in have:
                    raise DumpError(
                        f"table {t.name}, row {i}, column {col}: {rec[col]!r} is not a row of {ref.table.name}"
                    )
    if not out.get("regions"):
        raise DumpError("the dump holds no regions: not a backup of an innocity database")
    return out


def load(conn: Connection, rows: Rows) -> dict[str, int]:
    """Replace the content of every table with ``rows`` (from ``check``), in the caller's transaction."""
    schema = [t for t in tables() if t.name in rows]
    for t in reversed(schema):
        if t.name == "regions":  # self-referencing: children first
            conn.execute(t.update().values(parent_id=None))
        conn.execute(delete(t))
    counts: dict[str, int] = {}
    for t in schema:
        data = rows[t.name]
        if t.name == "regions":  # parents are inserted first when the parent column is set afterwards
            plain = [{**r, "parent_id": None} for r in data]
            for i in range(0, len(plain), 10_000):
                conn.execute(insert(t), plain[i : i + 10_000])
            links = [{"_id": r["id"], "_parent": r["parent_id"]} for r in data if r["parent_id"] is not None]
            if links:
                upd = t.update().where(t.c.id == bindparam("_id")).values(parent_id=bindparam("_parent"))
                conn.execute(upd, links)
        else:
            for i in range(0, len(data), 10_000):
                conn.execute(insert(t), data[i : i + 10_000])
        counts[t.name] = len(data)
        if conn.dialect.name == "postgresql" and "id" in t.c and data:
            top = conn.scalar(select(func.max(t.c.id)))
            conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"), {"t": t.name, "v": top})
    return counts
