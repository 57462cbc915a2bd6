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
    ├── StorageError                   the database is unreachable or inconsistent: exit 4
    ├── AuthenticationError            wrong or missing credentials (HTTP 401)
    │   └── LockedOutError             too many failed sign-ins: the account is refused for a while (429)
    └── ForbiddenError                 signed in, but this role or scope may not do that (HTTP 403)

An error names where the problem is in one of two ways: ``source`` (a file, or a file and row) or ``field``
(a parameter or field of the request: ``region``, ``rows[12].value``). Services speak in fields, never in
command-line flags; the CLI maps fields to its flags and the API reports them as JSON fields. The CLI maps
errors to exit codes in one place (``innocity.cli.main``), the web application to HTTP statuses in one place
(``innocity.web.errors``); services never print or exit.
"""

from __future__ import annotations

from dataclasses import dataclass


class InnocityError(Exception):
    """Base of every error innocity raises on purpose."""

    exit_code = 70
    code = "error"  # snake_case name used in API error bodies

    def __init__(self, message: str, *, source: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.field = field

    def one_line(self, field_label: str | None = None) -> str:
        """The single line shown to the user: 'where: message' (``field_label`` spells the field the
        caller's way, e.g. a command-line flag)."""
        text = " ".join(self.message.split())
        where = self.source or field_label or self.field
        return f"{where}: {text}" if where else text


class UserInputError(InnocityError):
    exit_code = 2
    code = "invalid"


class DocumentError(UserInputError):
    """A document that cannot be read (empty, binary, truncated DOCX/PDF, PDF without a text layer)."""

    code = "unreadable_document"


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
    code = "validation_failed"

    def __init__(
        self, message: str, problems: list[RowProblem], *, source: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(message, source=source, field=field)
        self.problems = problems


class CatalogError(UserInputError):
    """An invalid catalogue file; ``problems`` lists every problem found in it, one line each."""

    def __init__(
        self, message: str, *, source: str | None = None, field: str | None = None, problems: list[str] | None = None
    ) -> None:
        super().__init__(message, source=source, field=field)
        self.problems = problems or []


class UnitError(UserInputError):
    pass


class FrameworkError(UserInputError):
    pass


class NotFoundError(UserInputError):
    code = "not_found"


class NoPlanFoundError(InnocityError):
    exit_code = 1
    code = "no_plan"


class ConflictError(InnocityError):
    exit_code = 3
    code = "conflict"


class StorageError(InnocityError):
    exit_code = 4
    code = "storage_unavailable"


class AuthenticationError(InnocityError):
    exit_code = 2
    code = "not_authenticated"


class LockedOutError(AuthenticationError):
    code = "locked_out"


class ForbiddenError(InnocityError):
    exit_code = 2
    code = "forbidden"
