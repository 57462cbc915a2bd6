"""The one exception tree of innocity.

    InnocityError                      base; never raised itself
    ├── UserInputError                 the user's mistake: exit status 2, one line, no traceback
    │   ├── DocumentError              a file that cannot be read as a plan (empty, binary, truncated, scanned)
    │   ├── DataValidationError        rows of an import that fail validation (carries every bad row)
    │   ├── CatalogError               an indicator catalogue file that is not valid
    │   ├── UnitError                  a value in a unit that cannot be converted to the one required
    │   ├── FrameworkError             an index framework file that is not valid
    │   └── NotFoundError              an id, code, region or file that does not exist
    ├── NoPlanFoundError               a document was read but holds no plan: exit status 1
    ├── ConflictError                  optimistic-locking conflict (someone else changed it first): exit 3
    └── StorageError                   the database is unreachable or inconsistent: exit 4

The CLI maps these to exit codes in one place (``innocity.cli.main``); services never print or exit.
"""

from __future__ import annotations

from dataclasses import dataclass


class InnocityError(Exception):
    """Base of every error innocity raises on purpose."""

    exit_code = 70

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def one_line(self) -> str:
        """The single line shown to the user: 'source: message'."""
        text = " ".join(self.message.split())
        return f"{self.source}: {text}" if self.source else text


class UserInputError(InnocityError):
    exit_code = 2


class DocumentError(UserInputError):
    """A document that cannot be read (empty, binary, truncated DOCX/PDF, PDF without a text layer)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One bad row of an import: 1-based row number as the user sees it in the file, field, reason."""

    row: int
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = f"第{self.row}行" + (f" [{self.field}]" if self.field else "")
        return f"{where}: {self.reason}"


class DataValidationError(UserInputError):
    def __init__(self, message: str, problems: list[RowProblem], *, source: str | None = None) -> None:
        super().__init__(message, source=source)
        self.problems = problems


class CatalogError(UserInputError):
    pass


class UnitError(UserInputError):
    pass


class FrameworkError(UserInputError):
    pass


class NotFoundError(UserInputError):
    pass


class NoPlanFoundError(InnocityError):
    exit_code = 1


class ConflictError(InnocityError):
    exit_code = 3


class StorageError(InnocityError):
    exit_code = 4
