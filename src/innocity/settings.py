"""One declarative settings object, built once by the caller (CLI, tests) and passed explicitly.

Every setting is listed in ``SETTINGS_DOC`` so that ``innocity --help`` and the README can show them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from innocity.errors import UserInputError

SETTINGS_DOC: dict[str, str] = {
    "INNOCITY_DATABASE_URL": "SQLAlchemy URL of the database; default: a SQLite file in the user data directory",
    "INNOCITY_DATA_DIR": "directory for the default SQLite file and backups; default: the platform's user data dir",
    "INNOCITY_USER": "name recorded in the audit log for changes made from this shell; default: the OS user",
    "INNOCITY_ON_TRACK": "progress ratio at or above which a target is on track; default 0.95 (Open SDG)",
    "INNOCITY_BEHIND": "progress ratio at or above which a target is behind rather than off track; default 0.6",
}


def _default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("innocity", appauthor=False))


@dataclass(frozen=True, slots=True)
class StatusThresholds:
    """Progress ratio thresholds (Open SDG's defaults: 0.95 on track, 0.6 behind)."""

    on_track: float = 0.95
    behind: float = 0.6


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    data_dir: Path
    user: str = "system"
    thresholds: StatusThresholds = field(default_factory=StatusThresholds)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env["INNOCITY_DATA_DIR"]) if env.get("INNOCITY_DATA_DIR") else _default_data_dir()
        url = env.get("INNOCITY_DATABASE_URL") or f"sqlite:///{data_dir / 'innocity.sqlite3'}"
        user = env.get("INNOCITY_USER") or env.get("USER") or "system"
        defaults = StatusThresholds()
        on_track = _ratio(env, "INNOCITY_ON_TRACK", defaults.on_track)
        behind = _ratio(env, "INNOCITY_BEHIND", defaults.behind)
        if not 0 < behind < on_track:
            raise UserInputError(
                f"INNOCITY_BEHIND ({behind:g}) must be above 0 and below INNOCITY_ON_TRACK ({on_track:g})"
            )
        return cls(database_url=url, data_dir=data_dir, user=user,
                   thresholds=StatusThresholds(on_track=on_track, behind=behind))


def _ratio(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise UserInputError(f"{name}: '{raw}' is not a number") from None
