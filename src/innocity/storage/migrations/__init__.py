"""Alembic migrations of the innocity database (revision ids 0001_initial, 0002_tracking, …)."""
