"""The one exception hierarchy of khuyencong.

Every error the library raises on purpose derives from :class:`KhuyenCongError`. Each
subclass also derives from the built-in exception a caller would naturally catch, so
``except ValueError`` around a constructor keeps working, and carries its context as
attributes (the field path, the offending value, the parameter, the date) so that an
application can show it in its own way. Every error keeps that context when pickled (a process
pool sends errors back pickled). The words that frame an error's problems ("2 problems:",
"(got …)") are in the language in force, from the ``errors`` area of :mod:`khuyencong.messages`.

>>> from khuyencong.exceptions import KhuyenCongError, ValidationError
>>> err = ValidationError.single("$.tax_number", "0100109107", "the check digit does not match")
>>> isinstance(err, ValueError) and isinstance(err, KhuyenCongError)
True
>>> print(err)
$.tax_number: the check digit does not match (giá trị: '0100109107')
"""

from __future__ import annotations

import datetime as dt
import reprlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from khuyencong.messages import Text, catalogue, get_language
from khuyencong.messages import text as _text

__all__ = [
    "BudgetExceededError",
    "ConcurrencyError",
    "ConfigurationError",
    "ContentNotInForceError",
    "CoverageError",
    "DanglingReferenceError",
    "DataFileError",
    "DuplicateIdError",
    "FileFormatError",
    "FileWriteError",
    "IllegalTransitionError",
    "InputLimitError",
    "KhuyenCongError",
    "LifecycleError",
    "MissingExtraError",
    "NotConfiguredError",
    "NotFoundError",
    "Problem",
    "RuleConflictError",
    "SchemaVersionError",
    "StoreError",
    "StoreOptionError",
    "UnitMappingError",
    "ValidationError",
]


class KhuyenCongError(Exception):
    """The root of every error khuyencong raises on purpose.

    An error pickles with its message and every attribute of its context, whatever its
    constructor's arguments: it is rebuilt from its state, not by calling the constructor again
    (which would compute its message anew, perhaps in another language).
    """

    def __reduce__(self) -> tuple[object, ...]:
        return (_restore, (type(self), self.args, dict(vars(self))))


def _restore(
    cls: type[KhuyenCongError], args: tuple[object, ...], state: dict[str, object]
) -> KhuyenCongError:
    """An error of class ``cls`` with ``args`` and the attributes ``state``, without calling its
    own constructor: the built-in it derives from is initialised (``ImportError.msg``,
    ``OSError.errno``), then the attributes are set back."""
    builtin: Any = next(
        k for k in cls.__mro__ if k.__module__ == "builtins" and "__init__" in vars(k)
    )
    error: KhuyenCongError = builtin.__new__(cls, *args)
    builtin.__init__(error, *args)
    vars(error).update(state)
    return error


@attrs.frozen
class Problem:
    """One thing wrong with an input: where, what, and the offending value.

    Attributes:
        path: A JSONPath-like location, ``$`` for the whole document, e.g. ``$.members[2].name``.
        message: What is wrong and, where it helps, what would be right.
        value: The offending value, or ``None`` when the problem is a missing value.
    """

    path: str
    message: str
    value: object = None

    @property
    def shown_value(self) -> str:
        """The offending value as messages show it: its ``repr``, cut to a readable length.

        >>> len(Problem("$.name", "too long", "x" * 10_000).shown_value) < 130
        True
        """
        return _shown(self.value)

    def __str__(self) -> str:
        """``$.path: message (got value)``, the value framed in the language in force."""
        if self.value is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}: {self.message} {_text('errors.got', value=self.shown_value)}"


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel = 3
_SHOWN.maxstring = 120
_SHOWN.maxother = 120
_SHOWN.maxlong = 60
_SHOWN.maxlist = _SHOWN.maxtuple = _SHOWN.maxdict = _SHOWN.maxset = 8


def _shown(value: object) -> str:
    """``repr(value)`` cut to a readable length, for error messages.

    An offending value may be hostile: a text of a million characters, a list nested
    thousands deep, an integer too long to print. Its message shows the start and the end of
    it, never all of it, and never fails while being built.

    >>> _shown("x" * 1000)[:10], len(_shown("x" * 1000)) < 130
    ("'xxxxxxxxx", True)
    >>> _shown([[[[[1]]]]])
    '[[[[...]]]]'
    """
    try:
        return _SHOWN.repr(value)
    except (ValueError, RecursionError):  # an int too long for str(), or a hostile __repr__
        return f"<{type(value).__name__} too long to show>"


class ValidationError(KhuyenCongError, ValueError):
    """An input is invalid. Lists every problem found, each with its ``$.path``.

    Attributes:
        problems: Every problem found, in document order.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            msg = "ValidationError needs at least one problem"
            raise ValueError(msg)
        if len(self.problems) == 1:
            text = str(self.problems[0])
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            text = f"{_text('errors.problems', count=len(self.problems))}\n{lines}"
        super().__init__(text)

    @classmethod
    def single(cls, path: str, value: object, message: str) -> ValidationError:
        """Build an error with one problem."""
        return cls([Problem(path=path, message=message, value=value)])

    @property
    def paths(self) -> tuple[str, ...]:
        """The paths of every problem, in order."""
        return tuple(p.path for p in self.problems)

    def prefixed(self, prefix: str) -> ValidationError:
        """The same problems, located under ``prefix`` (``$.a`` + ``$.b`` → ``$.a.b``)."""
        return ValidationError([attrs.evolve(p, path=_join(prefix, p.path)) for p in self.problems])

    @classmethod
    def merge(cls, errors: Iterable[ValidationError]) -> ValidationError:
        """Combine several errors into one that lists all their problems."""
        return cls([p for e in errors for p in e.problems])


def _join(prefix: str, path: str) -> str:
    if path == "$":
        return prefix
    if path.startswith("$"):
        return prefix + path[1:]
    return f"{prefix}.{path}"


class NotFoundError(KhuyenCongError, LookupError):
    """A looked-up thing (unit code, record id, parameter) does not exist.

    Attributes:
        kind: What was looked up, as a stable English name (``"administrative unit"``,
            ``"support record"``); the message names it in the language in force.
        key: The code, id or name that was not found.
        hint: Where to look instead (may be empty): a ``Text`` in both languages, or a
            plain string; the attribute holds it in the language in force when raised.

    ``str()`` gives the message in the language in force when it is shown.

    >>> from khuyencong.messages import language
    >>> with language("en"):
    ...     print(NotFoundError("map", "2030"))
    no map “2030”
    >>> print(NotFoundError("map", "2030"))
    không có bản đồ “2030”
    """

    def __init__(self, kind: str, key: object, hint: str | Text = "") -> None:
        self.kind = kind
        self.key = key
        self._hint = Text.of(hint)
        self.hint = self._hint.get()
        super().__init__(str(self))

    def __str__(self) -> str:
        """The message in the language in force when it is shown."""
        text = _text("errors.not_found", kind=_thing(self.kind), key=self.key)
        hint = self._hint.get()
        return f"{text}: {hint}" if hint else text


def _thing(kind: str) -> str:
    """What was looked up, in the language in force: a kind the stores or the errors
    catalogue name (``"budget envelope"``, ``"map"``), else ``kind`` as it is (an adapter's
    own kind)."""
    slug = kind.lower().replace(" ", "_")
    for key in (f"storage.kind_{slug}s", f"errors.kind.{slug}"):
        if key in catalogue():
            return _text(key)
    return kind


def _day(value: dt.date) -> str:
    """A date as the language in force writes it (``05/07/2012``, ``2012-07-05``)."""
    return value.strftime("%d/%m/%Y") if get_language() == "vi" else value.isoformat()


def _coverage_text(coverage: str) -> str:
    """A parameter's coverage (``2012-07-05 to open end``) in the reader's words; any other
    text as it is."""
    start, sep, end = coverage.partition(" to ")
    try:
        first = dt.date.fromisoformat(start)
        last = None if end == "open end" else dt.date.fromisoformat(end)
    except ValueError:
        return coverage
    if not sep:
        return coverage
    if last is None:
        return _text("errors.period.open", start=_day(first))
    return _text("errors.period.closed", start=_day(first), end=_day(last))


class UnitMappingError(KhuyenCongError, LookupError):
    """An old administrative unit cannot be mapped to the new map without a guess.

    Attributes:
        unit_code: The old unit's code.
        candidates: The codes of the new units it could map to (several when split or ambiguous,
            none when unmatched).
    """

    def __init__(self, unit_code: str, message: str, candidates: Sequence[str] = ()) -> None:
        self.unit_code = unit_code
        self.candidates = tuple(candidates)
        super().__init__(message)


class IllegalTransitionError(KhuyenCongError, ValueError):
    """A lifecycle transition that the rules do not allow (e.g. draft → settled).

    Attributes:
        entity: What moves (``"đề án P-1"``), in the language in force when raised.
        source: The state it is in (a value, ``"draft"``).
        target: The state asked for.
        allowed: The states it may move to from ``source``.

    ``str()`` gives the message in the language in force when it is shown, naming the states
    by ``labels`` (value → label, a ``Text`` in both languages or a string) when given, by
    their values otherwise.
    """

    def __init__(
        self,
        entity: str | Text,
        source: str,
        target: str,
        allowed: Sequence[str],
        *,
        labels: Mapping[str, str | Text] | None = None,
    ) -> None:
        self._entity = Text.of(entity)
        self._labels = {k: Text.of(v) for k, v in (labels or {}).items()}
        self.entity = self._entity.get()
        self.source = source
        self.target = target
        self.allowed = tuple(allowed)
        super().__init__(str(self))

    def __str__(self) -> str:
        """The message in the language in force when it is shown."""

        def name(state: str) -> str:
            label = self._labels.get(state)
            return state if label is None else label.get()

        # Each state quoted: a label may hold a comma of its own.
        allowed = ", ".join(f"“{name(a)}”" for a in self.allowed) or _text("errors.final_state")
        return _text(
            "errors.illegal_transition",
            entity=self._entity.get(),
            source=name(self.source),
            target=name(self.target),
            allowed=allowed,
        )


class LifecycleError(IllegalTransitionError):
    """A project's status or history does not follow its lifecycle from the state it is in.

    A store raises it when a project is added in a state past its draft, or saved with a status
    set without :meth:`~khuyencong.domain.Project.transition`, a step the lifecycle does not
    allow, or a rewritten history (see :func:`~khuyencong.domain.check_project_update`).

    Attributes:
        project_id: The project.
        source: The state it is in (stored, or ``draft`` for a new project).
        target: The state it was given.
        allowed: The states it may move to from ``source``.
        entity: ``project <id>``, as for :class:`IllegalTransitionError`.
    """

    def __init__(
        self, project_id: str, source: str, target: str, allowed: Sequence[str], message: str
    ) -> None:
        self.project_id = project_id
        self.entity = f"project {project_id}"
        self.source = source
        self.target = target
        self.allowed = tuple(allowed)
        Exception.__init__(self, message)

    def __str__(self) -> str:
        return Exception.__str__(self)


class ConfigurationError(KhuyenCongError, ValueError):
    """The library is configured inconsistently (bad data file, overlapping dates, …)."""


class DataFileError(ConfigurationError):
    """A shipped or user-supplied data file is invalid. Names the file and every problem."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        heading = _text("errors.data_file", source=source, count=len(self.problems))
        super().__init__(f"{heading}\n{lines}")


class NotConfiguredError(KhuyenCongError, LookupError):
    """A legal parameter is unknown to the library: no value is shipped for it.

    Attributes:
        parameter: The parameter's dotted name.
        on: The date it was asked for.
        source_document: The document that should supply the value: a
            :class:`~khuyencong.messages.Text` in both languages (its ``str()`` follows the
            language in force), or a plain string such as a document's number.
    """

    def __init__(
        self, parameter: str, on: dt.date, source_document: str | Text, note: str | Text = ""
    ) -> None:
        self.parameter = parameter
        self.on = on
        self.source_document = source_document
        note = Text.of(note).get() if note else ""
        text = _text(
            "errors.not_configured",
            parameter=parameter,
            on=_day(on),
            document=Text.of(source_document).get(),
        )
        super().__init__(f"{text} ({note})" if note else text)


class CoverageError(KhuyenCongError, LookupError):
    """A dated value was asked for on a date outside its coverage."""

    def __init__(self, parameter: str, on: dt.date, coverage: str) -> None:
        self.parameter = parameter
        self.on = on
        self.coverage = coverage
        super().__init__(
            _text(
                "errors.coverage",
                parameter=parameter,
                on=_day(on),
                coverage=_coverage_text(coverage),
            )
        )


class ContentNotInForceError(CoverageError):
    """A support content asked for on a date when it is not a khuyến công content.

    The message names the content by its label and the document by its citation, both in the
    language in force when the error is shown (``Điều 4`` in Vietnamese, ``Art. 4`` in
    English).

    Attributes:
        content: The content's value (``digital_transformation``).
        on: The date it was asked for.
        document: The document whose list of contents applies on that date, in the language
            in force when raised.
        label: The content's label, in the language in force when raised.

    >>> import datetime as dt
    >>> from khuyencong.messages import Text, language
    >>> error = ContentNotInForceError(
    ...     "digital_transformation", dt.date(2024, 6, 30),
    ...     Text("Điều 4, 45/2012/NĐ-CP", "Art. 4, 45/2012/NĐ-CP"),
    ...     Text("Chuyển đổi số", "Digital transformation"),
    ... )
    >>> with language("en"):
    ...     print(error)
    support content “Digital transformation” is not a khuyến công content on 2024-06-30: \
the contents then are those of Art. 4, 45/2012/NĐ-CP
    """

    def __init__(
        self, content: str, on: dt.date, document: str | Text, label: str | Text = ""
    ) -> None:
        self.content = content
        self.on = on
        self._document = Text.of(document)
        self._label = Text.of(label or content)
        self.document = self._document.get()
        self.label = self._label.get()
        self.parameter = "contents.recognised"
        self.coverage = self.document
        LookupError.__init__(self, str(self))

    def __str__(self) -> str:
        """The message in the language in force when it is shown."""
        return _text(
            "errors.content_not_in_force",
            content=self._label.get(),
            on=_day(self.on),
            document=self._document.get(),
        )


class RuleConflictError(KhuyenCongError, ValueError):
    """Two labelled exceptions to one base rule apply at once; the library refuses to choose."""

    def __init__(self, rule: str, exceptions: Sequence[str]) -> None:
        self.rule = rule
        self.exceptions = tuple(exceptions)
        super().__init__(_text("errors.rule_conflict", rule=rule, exceptions=", ".join(exceptions)))


class StoreError(KhuyenCongError, RuntimeError):
    """A storage backend failed, or the store's file or database is not usable."""


class SchemaVersionError(StoreError):
    """A store's schema is newer than this library or not a khuyencong schema."""


class ConcurrencyError(StoreError):
    """A concurrent writer changed the same data; the unit of work was rolled back."""


class BudgetExceededError(KhuyenCongError, ValueError):
    """A commitment would take a budget envelope over its total, or a payment would take a
    project beyond what is committed to it and not yet paid.

    Attributes:
        envelope: The envelope's key (``fund/province/year``), never a sentence.
        requested: The amount asked for, in đồng.
        available: What was left, in đồng: of the envelope (a commitment) or of the project's
            commitment in it (a payment).
        shortfall: ``requested - available``.
        project_id: The project paid, for a payment; ``None`` for a commitment.
    """

    def __init__(
        self, envelope: str, requested: int, available: int, *, project_id: str | None = None
    ) -> None:
        self.envelope = envelope
        self.requested = requested
        self.available = available
        self.shortfall = requested - available
        self.project_id = project_id
        super().__init__(
            _text(
                "storage.budget_exceeded"
                if project_id is None
                else "storage.disbursement_exceeded",
                envelope=envelope,
                project=project_id,
                requested=_dong(requested),
                available=_dong(available),
                shortfall=_dong(self.shortfall),
            )
        )


def _dong(amount: int) -> str:
    """An amount as the language in force writes it (``1.234 đ``, ``VND 1,234``)."""
    if get_language() == "vi":
        return f"{amount:,} đ".replace(",", ".")
    return f"VND {amount:,}"


# --- reading files ------------------------------------------------------------------------
# A file that cannot be read at all is not the same failure as a file whose rows or items are
# refused: the first raises FileFormatError (or InputLimitError, when a limit was reached);
# the second is reported in the reading's result (TableImport, DatasetReading) or as a plain
# ValidationError listing every problem.


class FileFormatError(ValidationError):
    """A file (or text) cannot be read at all: damaged, not the format it claims, or hostile.

    Raised before any row or item is looked at: a CSV that is not UTF-8, a workbook that is not
    a zip archive or whose XML is broken, JSON that is not JSON or is nested too deep, XML with
    a document type declaration. Rows or items that are merely invalid are not this error.

    Attributes:
        source: The file's path, or ``"<text>"``.
        problems: What is wrong, each with where (``$`` for the whole file, or a row).
    """

    def __init__(self, problems: Sequence[Problem], *, source: str = "<text>") -> None:
        self.source = source
        super().__init__(problems)
        if len(self.problems) == 1 and self.problems[0].path == "$":
            # The whole file is at fault: its name says where.
            only = attrs.evolve(self.problems[0], path=source)
            self.args = (str(only),)
        else:
            self.args = (f"{source}: {self.args[0]}",)

    @classmethod
    def at(cls, source: str, where: str, message: str, value: object = None) -> FileFormatError:
        """An error with one problem, at ``where`` in ``source``."""
        return cls([Problem(where, message, value)], source=source)


class InputLimitError(FileFormatError):
    """A file is larger than a configured limit allows (size, unpacked size, rows, cell length).

    Raised before the file is read further, so that a hostile or mistaken file cannot exhaust
    the memory or the time of the process.

    Attributes:
        limit: The limit's name, e.g. ``"max_rows"`` (an attribute of ``ImportLimits``).
        maximum: The limit's value.
        found: How much the file holds (or at least holds), when known.
    """

    def __init__(
        self,
        problems: Sequence[Problem],
        *,
        source: str = "<text>",
        limit: str,
        maximum: int,
        found: int | None = None,
    ) -> None:
        self.limit = limit
        self.maximum = maximum
        self.found = found
        super().__init__(problems, source=source)


class MissingExtraError(KhuyenCongError, ImportError):
    """A feature needs an optional extra that is not installed (``khuyencong[excel]``).

    Attributes:
        extra: The extra's name, as ``pip install "khuyencong[<extra>]"`` spells it.
    """

    def __init__(self, extra: str, message: str) -> None:
        self.extra = extra
        super().__init__(message)


class FileWriteError(KhuyenCongError, OSError):
    """A file cannot be written: its folder does not exist, or the system refused the write.

    Attributes:
        path: The file that was to be written.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(message)


def _kind_label(kind: str) -> str:
    """A kind of record as the stores name it in the language in force (``"support record"`` →
    ``"bản ghi hỗ trợ"``); a kind the library does not know is given back as it is.

    >>> from khuyencong.messages import language
    >>> with language("en"):
    ...     _kind_label("OCOP rating"), _kind_label("gizmo")
    ('OCOP rating', 'gizmo')
    """
    key = f"storage.kind_{kind.lower().replace(' ', '_')}s"
    return _text(key) if key in catalogue() else kind


class DuplicateIdError(StoreError):
    """A record with the same identifier is already stored (or given twice in one batch);
    nothing of the batch was written.

    Attributes:
        kind: What kind of record (``"support record"``, ``"project"``, …), as the library
            names it in code.
        key: The identifier that is already taken.
        label: The kind as the message names it: the label given, else the stores' name for
            one of the library's kinds in the language in force when read, else ``kind``.
    """

    def __init__(self, kind: str, key: str, label: str | None = None) -> None:
        self.kind = kind
        self.key = key
        self._label = label
        message = _text("storage.duplicate_id", kind=self.label, id=_shown(key))
        super().__init__(message[:1].upper() + message[1:])

    @property
    def label(self) -> str:
        """The kind in words (see the class's attributes)."""
        return self._label or _kind_label(self.kind)


class StoreOptionError(StoreError, ValueError):
    """A store URL or option is invalid: a timeout that is not a number, an unknown option.

    Attributes:
        option: The option's name (``timeout``, ``synchronous``, …).
        value: The value given.
    """

    def __init__(self, option: str, value: object, message: str) -> None:
        self.option = option
        self.value = value
        super().__init__(message)


class DanglingReferenceError(ValidationError):
    """Objects name an establishment, a project or a prior award entry the store does not
    hold; nothing of the batch was written.

    Each problem's path locates the field in the batch given (``$[3].establishment_id``, or
    ``$.project_id`` for a single object) and its value is the missing id, so that an importer
    can report the rows.

    Attributes:
        kind: What kind of object (``"support record"``, ``"project"``, …); ``label`` names it
            in the language in force for the message.
        references: ``(object id, field, missing id, kind of the missing object)`` for each
            dangling reference, e.g. ``("SR-1", "project_id", "P-9", "project")``.
        key: The first offending object's id.
        field: The first offending field (``establishment_id``, ``beneficiary_ids[1]``,
            ``project_id``, ``prior_entry_id``).
        value: The first missing id.
        target: What the first missing object is (``"establishment"``, ``"project"``,
            ``"award entry"``).
    """

    def __init__(
        self,
        kind: str,
        references: Sequence[tuple[int | None, str, str, str, str]],
        label: str | None = None,
    ) -> None:
        self.kind = kind
        self.references = tuple(ref[1:] for ref in references)
        self.key, self.field, self.value, self.target = self.references[0]
        super().__init__(
            [
                Problem(
                    f"$.{field}" if index is None else f"$[{index}].{field}",
                    _text(
                        "storage.dangling_reference",
                        kind=label or _kind_label(kind),
                        id=key,
                        target=_kind_label(target),
                    ),
                    value,
                )
                for index, key, field, value, target in references
            ]
        )
