"""What went wrong, and how to fix it: the exit-code contract and every failure's message.

Every failure of a command ends here. :func:`explain` turns an exception into a
:class:`CliError`: a message in the reader's language (from the catalogue ``cli.toml``), a hint
saying how to fix it, and the exit status of the contract (:class:`ExitCode`). An exception the
library does not raise on purpose is a defect: one line asking to report it, and the traceback
only with ``--debug`` (or ``KHUYENCONG_DEBUG=1``).
"""

from __future__ import annotations

import enum
import functools
import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from khuyencong.exceptions import (  # one wording of dates and coverage
    ConfigurationError,
    ContentNotInForceError,
    CoverageError,
    DataFileError,
    DuplicateIdError,
    FileFormatError,
    FileWriteError,
    InputLimitError,
    KhuyenCongError,
    MissingExtraError,
    NotConfiguredError,
    NotFoundError,
    RuleConflictError,
    SchemaVersionError,
    StoreError,
    UnitMappingError,
    ValidationError,
    _coverage_text,
    _day,
)
from khuyencong.messages import Text, get_language, language, resolve_language, text

__all__ = [
    "DEBUG_VARIABLE",
    "ExitCode",
    "Failure",
    "debug_wanted",
    "explain",
    "extra_for",
    "guarded",
    "parameter_text",
    "report_failure",
]

DEBUG_VARIABLE = "KHUYENCONG_DEBUG"
"""Set to ``1`` to print the traceback of an unexpected error, as ``--debug`` does."""


class ExitCode(enum.IntEnum):
    """The exit status of every ``khuyencong`` command.

    A script can tell an answer (0 or 1) from a refusal (2 to 5) and from a defect (70): a
    crash never shares a status with "not eligible" or "rows refused".

    >>> int(ExitCode.NOT_CONFIGURED)
    3
    """

    OK = 0
    """Done; for ``check``, the answer is yes."""
    NO = 1
    """The answer is no: not eligible, problems found, rows refused, nothing found, or a unit
    that cannot be mapped without a guess."""
    USAGE = 2
    """The command was called wrongly, or its input cannot be used: a missing or unreadable
    file, a file over the importer's limits, invalid data, an unknown code, an output file that
    exists or cannot be written."""
    NOT_CONFIGURED = 3
    """The law has a gap: a value the rules need is not configured, or the date is outside
    the rules' coverage, so no answer can be given."""
    STORE = 4
    """The store cannot be opened, is not a khuyencong store, or refused the change (an id
    already stored)."""
    MISSING_EXTRA = 5
    """An optional extra the command needs is not installed."""
    INTERNAL = 70
    """A defect of khuyencong (an unexpected error): please report it."""
    INTERRUPTED = 130
    """Stopped by the user (Ctrl+C)."""


class Failure(Exception):  # noqa: N818  (a failure the command line explains, not a defect)
    """A failure a command explains to the user, already in the user's language.

    Attributes:
        code: The exit status.
        message: What went wrong.
        hint: How to fix it (``None`` when there is nothing to add).
        details: Lines listing the problems (each problem of invalid data).
    """

    def __init__(
        self,
        code: ExitCode,
        message: str,
        hint: str | None = None,
        details: Sequence[str] = (),
    ) -> None:
        self.code = code
        self.message = message
        self.hint = hint
        self.details = tuple(details)
        super().__init__(message)

    def render(self, command: str) -> str:
        """The failure as printed on standard error, prefixed by the command's name."""
        lines = [f"{command}: {self.message}"]
        lines.extend(f"  - {line}" for line in self.details)
        if self.hint:
            lines.append(text("cli.fix", hint=self.hint))
        return "\n".join(lines)


_EXTRAS = {
    "openpyxl": "excel",
    "pandas": "pandas",
    "matplotlib": "charts",
    "psycopg": "postgres",
    "tqdm": "cli",
}
_EXTRA_IN_MESSAGE = re.compile(r"khuyencong\[(\w+)\]")


def extra_for(exc: ImportError) -> str | None:
    """The extra that installs the module an ``ImportError`` misses, if it is one of ours."""
    for error in (exc, exc.__cause__):
        name = getattr(error, "name", None) or ""
        extra = _EXTRAS.get(name.partition(".")[0])
        if extra is not None:
            return extra
    found = _EXTRA_IN_MESSAGE.search(str(exc))
    return found.group(1) if found else None


def parameter_text(name: str) -> str:
    """A legal parameter as a reader would name it: its description, then its code.

    >>> from khuyencong.messages import language
    >>> with language("en"):
    ...     print(parameter_text("eligibility.unlisted_sectors_excluded"))
    “the sector list is complete: ...” (eligibility.unlisted_sectors_excluded)
    """
    from khuyencong.rules import RuleSet  # noqa: PLC0415  (only a failure needs the rules)

    try:
        spec = RuleSet.national().parameters[name].spec
    except (KeyError, KhuyenCongError):
        spec = None
    if spec is None:
        return name
    description = spec.description_vi if get_language() == "vi" else spec.description_en
    return f"“{description}” ({name})"


_OS_ERRORS: tuple[tuple[type[OSError], str, str], ...] = (
    (FileNotFoundError, "cli.error.file_not_found", "cli.hint.path"),
    (IsADirectoryError, "cli.error.is_a_folder", "cli.hint.path"),
    (NotADirectoryError, "cli.error.not_a_folder", "cli.hint.path"),
    (PermissionError, "cli.error.permission", "cli.hint.permission"),
)


def _os_error(exc: OSError) -> Failure:
    path = exc.filename if exc.filename is not None else ""
    for kind, message, hint in _OS_ERRORS:
        if isinstance(exc, kind):
            return Failure(ExitCode.USAGE, text(message, path=path), text(hint))
    reason = exc.strerror or str(exc)
    return Failure(ExitCode.USAGE, text("cli.error.io", path=path, reason=reason))


def _problems(exc: ValidationError | DataFileError) -> list[str]:
    return [str(p) for p in exc.problems]


_LIMIT_HINTS = {"max_rows": "cli.hint.max_rows", "max_file_bytes": "cli.hint.max_file_size"}
"""The limits the ``import`` command lets a user raise, and the hint naming its option."""


def _unreadable(exc: FileFormatError) -> Failure:
    """A file that cannot be read at all, or is over a limit: its own message names the file
    (and the row), so it is shown as it is, not as invalid data at ``$``."""
    if isinstance(exc, InputLimitError):
        hint = text(_LIMIT_HINTS.get(exc.limit, "cli.hint.limit"))
    else:
        hint = text("cli.hint.unreadable")
    return Failure(ExitCode.USAGE, str(exc), hint)


def _unwritable(exc: FileWriteError) -> Failure:
    """A file the library could not write: which file and folder, and how to fix it."""
    folder = Path(exc.path).parent
    missing = not folder.is_dir()
    return Failure(
        ExitCode.USAGE,
        text("cli.error.write", reason=str(exc), folder=folder),
        text("cli.hint.no_folder" if missing else "cli.hint.write"),
    )


def _library_error(exc: KhuyenCongError) -> Failure:
    """A library error as the user should read it."""
    if isinstance(exc, MissingExtraError):  # its message gives the pip command
        return Failure(ExitCode.MISSING_EXTRA, text("common.missing_extra", extra=exc.extra))
    if isinstance(exc, NotConfiguredError):
        return Failure(
            ExitCode.NOT_CONFIGURED,
            text(
                "cli.error.not_configured",
                parameter=parameter_text(exc.parameter),
                on=_day(exc.on),
                document=Text.of(exc.source_document).get(),
            ),
            text("cli.hint.not_configured"),
        )
    if isinstance(exc, ContentNotInForceError):
        return Failure(
            ExitCode.NOT_CONFIGURED,
            text(
                "cli.error.content_not_in_force",
                content=exc.label,
                on=_day(exc.on),
                document=exc.document,
            ),
            text("cli.hint.date"),
        )
    if isinstance(exc, CoverageError):
        return Failure(
            ExitCode.NOT_CONFIGURED,
            text(
                "cli.error.coverage",
                parameter=parameter_text(exc.parameter),
                on=_day(exc.on),
                coverage=_coverage_text(exc.coverage),
            ),
            text("cli.hint.date"),
        )
    if isinstance(exc, RuleConflictError):
        return Failure(
            ExitCode.NOT_CONFIGURED,
            text("cli.error.rule_conflict", rule=exc.rule, exceptions=", ".join(exc.exceptions)),
            text("cli.hint.rule_conflict"),
        )
    if isinstance(exc, DuplicateIdError):
        return Failure(
            ExitCode.STORE,
            text("cli.error.duplicate_id", kind=exc.label, key=exc.key),
            text("cli.hint.duplicate_id"),
        )
    if isinstance(exc, FileFormatError):  # before ValidationError, which it derives from
        return _unreadable(exc)
    if isinstance(exc, FileWriteError):
        return _unwritable(exc)
    if isinstance(exc, SchemaVersionError):
        return Failure(ExitCode.STORE, text("cli.error.schema", reason=str(exc)))
    if isinstance(exc, StoreError):
        return Failure(ExitCode.STORE, text("cli.error.store", reason=str(exc)))
    if isinstance(exc, ValidationError):
        return Failure(
            ExitCode.USAGE,
            text("cli.error.invalid", count=len(exc.problems)),
            text("cli.hint.invalid"),
            _problems(exc),
        )
    if isinstance(exc, DataFileError):
        return Failure(
            ExitCode.USAGE,
            text("cli.error.data_file", path=exc.source, count=len(exc.problems)),
            text("cli.hint.invalid"),
            _problems(exc),
        )
    if isinstance(exc, UnitMappingError):
        return Failure(ExitCode.NO, text("cli.error.unit_mapping", reason=str(exc)))
    if isinstance(exc, NotFoundError):
        return Failure(ExitCode.USAGE, text("cli.error.not_found", reason=str(exc)))
    if isinstance(exc, ConfigurationError):
        return Failure(ExitCode.USAGE, text("cli.error.configuration", reason=str(exc)))
    return Failure(ExitCode.USAGE, text("cli.error.library", reason=str(exc)))


def explain(exc: BaseException) -> Failure | None:
    """The failure ``exc`` means for the user, or ``None`` for a defect of khuyencong.

    >>> from khuyencong.messages import language
    >>> with language("en"):
    ...     failure = explain(FileNotFoundError(2, "No such file", "a.json"))
    >>> failure.code, failure.message
    (<ExitCode.USAGE: 2>, 'file not found: a.json.')
    """
    if isinstance(exc, Failure):
        return exc
    if isinstance(exc, KhuyenCongError):
        return _library_error(exc)
    if isinstance(exc, ImportError):
        extra = extra_for(exc)
        if extra is None:
            return None
        return Failure(ExitCode.MISSING_EXTRA, text("common.missing_extra", extra=extra))
    if isinstance(exc, json.JSONDecodeError):
        return Failure(
            ExitCode.USAGE,
            text("cli.error.json", line=exc.lineno, column=exc.colno, reason=exc.msg),
            text("cli.hint.json"),
        )
    if isinstance(exc, UnicodeDecodeError):
        return Failure(ExitCode.USAGE, text("cli.error.not_utf8"), text("cli.hint.utf8"))
    if isinstance(exc, OSError):
        return _os_error(exc)
    return None


def debug_wanted(args: object) -> bool:
    """Whether tracebacks are wanted: ``--debug``, or ``KHUYENCONG_DEBUG=1`` in the environment."""
    if getattr(args, "debug", False):
        return True
    return os.environ.get(DEBUG_VARIABLE, "").strip().lower() in {"1", "true", "yes", "on"}


def report_failure(exc: BaseException, command: str, *, debug: bool = False) -> ExitCode:
    """Print what ``exc`` means on standard error; return the exit status it maps to.

    Args:
        exc: What was raised.
        command: The command's name for the message's prefix (``"khuyencong check"``).
        debug: Print the traceback too.
    """
    if isinstance(exc, BrokenPipeError):
        # The reader went away (``khuyencong demo | head``): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, KeyboardInterrupt):
        print(f"{command}: {text('cli.interrupted')}", file=sys.stderr)
        return ExitCode.INTERRUPTED
    failure = explain(exc)
    if failure is None:
        error = f"{type(exc).__name__}: {exc}".rstrip(": ")
        print(f"{command}: {text('cli.error.internal', error=error)}", file=sys.stderr)
        print(text("cli.hint.report", variable=DEBUG_VARIABLE), file=sys.stderr)
        return ExitCode.INTERNAL
    print(failure.render(command), file=sys.stderr)
    return failure.code


Handler = Callable[..., int]


def guarded(command: str) -> Callable[[Handler], Handler]:
    """Run a command's handler in the user's language and turn every failure into its message.

    The handler receives the parsed arguments (and any further arguments); the language is
    ``args.lang`` when given, else the language in force.
    """

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(args: Any, *rest: Any) -> int:
            with language(resolve_language(getattr(args, "lang", None))):
                try:
                    return int(handler(args, *rest))
                except SystemExit:
                    raise
                except BaseException as exc:  # every failure gets its message
                    return int(report_failure(exc, command, debug=debug_wanted(args)))

        return run

    return decorate
