"""The web application's settings, taken from ``innocity.settings.Settings`` (which reads and validates the
environment):

- ``INNOCITY_SECRET_KEY`` signs session cookies, CSRF tokens and API tokens. When it is not set, a key is
  generated once and kept in ``<data dir>/secret_key`` (mode 0600), so every worker and every restart signs
  alike; deleting the file signs everybody out.
- ``INNOCITY_HTTPS=1`` marks cookies Secure (set it behind a TLS proxy).
- ``INNOCITY_MAX_UPLOAD_MB`` (default 20) limits an uploaded file and a request body.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from innocity.settings import Settings

SECRET_FILE = "secret_key"


@dataclass(frozen=True, slots=True)
class WebSettings:
    """What the web layer needs of ``Settings``, with the secret key resolved (from the environment or the
    key file)."""

    secret_key: str
    https: bool = False
    max_upload_bytes: int = 20 * 10**6

    @classmethod
    def of(cls, settings: Settings) -> WebSettings:
        key = settings.secret_key or secret_key_file(settings.data_dir)
        return cls(secret_key=key, https=settings.https, max_upload_bytes=settings.max_upload_mb * 10**6)

    @property
    def max_upload_mb(self) -> str:
        return f"{self.max_upload_bytes / 10**6:g}"


def secret_key_file(data_dir: Path) -> str:
    """The key kept in ``data_dir``, generated on first use with mode 0600 (O_EXCL: two workers starting
    together agree on one key)."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_urlsafe(48) + "\n")
    key = ""
    for _ in range(100):  # another process may have created the file and not yet written the key
        key = path.read_text(encoding="ascii").strip()
        if key:
            break
        time.sleep(0.01)
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # someone loosened it; the key signs every session
    return key
