"""Persistence: SQLAlchemy tables (``tables``), repositories that take and return plain values
(``regions``, ``plans``, ``observations``, ``audit``), and the packaged Alembic migrations (``migrate``).

Storage never imports parsing or catalog; services compose them.
"""
