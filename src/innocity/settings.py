"""One declarative settings object, built once by the composition root (CLI, web start-up, tests) and passed
explicitly. Services never read the environment.

``SETTINGS`` lists every setting once: its environment variable, what it means and its default. The list
builds ``Settings.from_env`` (each value validated, one line naming the variable when it is wrong), the
``innocity --help`` epilogue and the README's settings section, which a test checks against it.
"""

from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innocity.errors import UserInputError


@dataclass(frozen=True, slots=True)
class SettingSpec:
    env: str
    help: str


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("INNOCITY_DATABASE_URL", "SQLAlchemy URL of the database; default: a SQLite file in the data directory"),
    SettingSpec("INNOCITY_DATA_DIR", "directory for the default SQLite file, the user's catalogue additions and the "
                                     "web secret key; default: the platform's user data directory"),
    SettingSpec("INNOCITY_USER", "name recorded in the audit log for changes made from this shell; default: the OS user"),
    SettingSpec("INNOCITY_ON_TRACK", "progress ratio at or above which a target is on track; default 0.95 (Open SDG)"),
    SettingSpec("INNOCITY_BEHIND", "progress ratio at or above which a target is behind rather than off track; "
                                   "default 0.6"),
    SettingSpec("INNOCITY_SECRET_KEY", "key signing web sessions and API tokens; default: generated once and kept "
                                       "(mode 0600) in the data directory"),
    SettingSpec("INNOCITY_HTTPS", "1 when the web application is served over HTTPS (cookies are then Secure); default 0"),
    SettingSpec("INNOCITY_MAX_UPLOAD_MB", "largest file the web application accepts, in MB; default 20"),
)

USER_MAX = 100  # the audit log's column


def settings_help() -> str:
    """The settings as the command line's help lists them."""
    return "Settings (environment variables): " + "; ".join(f"{s.env}: {s.help}" for s in SETTINGS)


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
    secret_key: str | None = None
    https: bool = False
    max_upload_mb: int = 20

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env["INNOCITY_DATA_DIR"]) if env.get("INNOCITY_DATA_DIR") else _default_data_dir()
        if data_dir.exists() and not data_dir.is_dir():
            raise UserInputError(f"not a directory: {data_dir}", source="INNOCITY_DATA_DIR")
        url = env.get("INNOCITY_DATABASE_URL") or f"sqlite:///{data_dir / 'innocity.sqlite3'}"
        user = _user(env.get("INNOCITY_USER") or env.get("USER") or "system")
        defaults = StatusThresholds()
        on_track = _number(env, "INNOCITY_ON_TRACK", defaults.on_track, float)
        behind = _number(env, "INNOCITY_BEHIND", defaults.behind, float)
        if not 0 < behind < on_track:
            raise UserInputError(
                f"INNOCITY_BEHIND ({behind:g}) must be above 0 and below INNOCITY_ON_TRACK ({on_track:g})"
            )
        https = env.get("INNOCITY_HTTPS", "0").strip().lower()
        if https not in {"", "0", "1", "true", "false", "yes", "no"}:
            raise UserInputError(f"'{https}' is not 0 or 1", source="INNOCITY_HTTPS")
        upload = _number(env, "INNOCITY_MAX_UPLOAD_MB", 20, int)
        if not 1 <= upload <= 1024:
            raise UserInputError("must be between 1 and 1024", source="INNOCITY_MAX_UPLOAD_MB")
        key = env.get("INNOCITY_SECRET_KEY") or None
        if key is not None and len(key) < 32:
            raise UserInputError("must be at least 32 characters", source="INNOCITY_SECRET_KEY")
        return cls(
            database_url=url,
            data_dir=data_dir,
            user=user,
            thresholds=StatusThresholds(on_track=on_track, behind=behind),
            secret_key=key,
            https=https in {"1", "true", "yes"},
            max_upload_mb=int(upload),
        )


def _user(name: str) -> str:
    name = name.strip()
    if not name or len(name) > USER_MAX or any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in name):
        raise UserInputError(
            f"must be 1 to {USER_MAX} printable characters", source="INNOCITY_USER"
        )
    return name


def _number(env: dict[str, str], name: str, default: Any, kind: Callable[[str], Any]) -> Any:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise UserInputError(f"'{raw}' is not a number", source=name) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise UserInputError(f"'{raw}' is not a finite number", source=name)
    return value
