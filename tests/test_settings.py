"""Settings come from the environment, and a deployment can configure the status thresholds."""

from __future__ import annotations

import pytest

from innocity.errors import UserInputError
from innocity.settings import Settings


def test_defaults_are_open_sdg_thresholds_and_a_sqlite_file(tmp_path) -> None:
    s = Settings.from_env({"INNOCITY_DATA_DIR": str(tmp_path)})
    assert (s.thresholds.on_track, s.thresholds.behind) == (0.95, 0.6)
    assert s.database_url == f"sqlite:///{tmp_path / 'innocity.sqlite3'}"


def test_thresholds_from_the_environment(tmp_path) -> None:
    s = Settings.from_env({"INNOCITY_DATA_DIR": str(tmp_path), "INNOCITY_ON_TRACK": "0.9", "INNOCITY_BEHIND": "0.5"})
    assert (s.thresholds.on_track, s.thresholds.behind) == (0.9, 0.5)


@pytest.mark.parametrize(
    ("on_track", "behind", "words"),
    [("abc", "0.5", "not a number"), ("0.5", "0.7", "below INNOCITY_ON_TRACK"), ("0.9", "0", "above 0")],
)
def test_bad_thresholds_are_a_one_line_user_error(tmp_path, on_track: str, behind: str, words: str) -> None:
    env = {"INNOCITY_DATA_DIR": str(tmp_path), "INNOCITY_ON_TRACK": on_track, "INNOCITY_BEHIND": behind}
    with pytest.raises(UserInputError) as err:
        Settings.from_env(env)
    assert words in err.value.one_line()


def test_the_cli_reports_a_bad_threshold_without_a_traceback(tmp_path) -> None:
    import subprocess
    import sys

    env = {"INNOCITY_DATA_DIR": str(tmp_path), "INNOCITY_BEHIND": "x", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", "from innocity.cli import run; run()", "progress"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2
    assert "INNOCITY_BEHIND" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("INNOCITY_ON_TRACK", "nan", "not a finite number"),
        ("INNOCITY_BEHIND", "inf", "not a finite number"),
        ("INNOCITY_USER", "x" * 150, "printable characters"),
        ("INNOCITY_USER", "bad\x07name", "printable characters"),
        ("INNOCITY_HTTPS", "maybe", "not 0 or 1"),
        ("INNOCITY_MAX_UPLOAD_MB", "0", "between 1 and 1024"),
        ("INNOCITY_SECRET_KEY", "short", "at least 32"),
    ],
)
def test_every_setting_is_validated_naming_the_variable(tmp_path, name: str, value: str, words: str) -> None:
    with pytest.raises(UserInputError) as err:
        Settings.from_env({"INNOCITY_DATA_DIR": str(tmp_path), name: value})
    line = err.value.one_line()
    assert name in line and words in line


def test_a_data_dir_that_is_a_file_is_refused(tmp_path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(UserInputError, match="not a directory"):
        Settings.from_env({"INNOCITY_DATA_DIR": str(f)})


def test_every_setting_is_in_the_readme_and_the_help() -> None:
    """The declarative list is the one place settings are named: the README and --help show all of it."""
    from pathlib import Path

    from innocity.settings import SETTINGS, settings_help

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for spec in SETTINGS:
        assert spec.env in readme, f"{spec.env} is not documented in the README"
        assert spec.env in settings_help()
