"""Errors as RFC 9457 problem details, in the request's language, never with a stack trace.

Every error the library raises on purpose becomes one problem type with its own status:

============================  ======  ===================================================
type                          status  when
============================  ======  ===================================================
``/problems/validation``      422     bad input; ``problems`` lists each ``$.path``
``/problems/malformed``       400     a body that is not JSON (or not UTF-8)
``/problems/unreadable-file``  400    an uploaded file that cannot be read at all
``/problems/invalid-argument``  422   a value the rule cannot use (a month 13, a year 0)
``/problems/content-not-in-force``  422  a support content asked for before it existed
``/problems/unit-mapping``    422     an old unit that cannot be placed on the new map
``/problems/rule-conflict``   422     two exceptions to one rule at once
``/problems/rows``            422     an import with bad rows (``row_problems``)
``/problems/not-found``       404     no such unit, parameter, indicator or province
``/problems/duplicate``       409     an imported id is already stored
``/problems/unauthorized``    401     a write (or the audit log) without a valid token
``/problems/too-large``       413     a body over the configured limit
``/problems/input-limit``     413     an uploaded table over an import limit (rows, …)
``/problems/unsupported-media``  415  a body of a type the endpoint does not read
``/problems/rate-limited``    429     too many requests from one client
``/problems/not-configured``  501     the server lacks a legal value: the server's gap
``/problems/not-covered``     501     the date is outside the rules the server holds
``/problems/store-unavailable``  503  the store did not answer
``/problems/internal``        500     a defect: logged under a reference, never shown
============================  ======  ===================================================

>>> import datetime as dt
>>> from khuyencong.exceptions import NotConfiguredError
>>> gap = problem_for(NotConfiguredError("support.local.brand.rate", dt.date(2026, 1, 1),
...                                      "the province's decision"), "en")
>>> gap.status, gap.type, gap.parameter
(501, '/problems/not-configured', 'support.local.brand.rate')
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

import attrs

from khuyencong.converters import unstructure
from khuyencong.exceptions import (
    ContentNotInForceError,
    CoverageError,
    DuplicateIdError,
    FileFormatError,
    InputLimitError,
    KhuyenCongError,
    NotConfiguredError,
    NotFoundError,
    Problem,
    RuleConflictError,
    StoreError,
    UnitMappingError,
    ValidationError,
    _coverage_text,
)
from khuyencong.messages import Lang, Text, language, text
from khuyencong.web._library import ROW_PROBLEM

__all__ = ["PROBLEM_TYPES", "HttpProblem", "ProblemDetails", "json_ready", "problem_for"]

RowProblem = ROW_PROBLEM

logger = logging.getLogger("khuyencong.web")

PROBLEM_TYPES: dict[str, tuple[int, str]] = {
    "validation": (422, "validation"),
    "malformed": (400, "malformed"),
    "unknown-parameter": (400, "unknown_parameter"),
    "unreadable-file": (400, "unreadable_file"),
    "invalid-argument": (422, "invalid_argument"),
    "content-not-in-force": (422, "content_not_in_force"),
    "unit-mapping": (422, "unit_mapping"),
    "rule-conflict": (422, "rule_conflict"),
    "rows": (422, "rows"),
    "not-found": (404, "not_found"),
    "route-not-found": (404, "route_not_found"),
    "method-not-allowed": (405, "method_not_allowed"),
    "duplicate": (409, "duplicate"),
    "unauthorized": (401, "unauthorized"),
    "too-large": (413, "too_large"),
    "input-limit": (413, "input_limit"),
    "unsupported-media": (415, "unsupported_media"),
    "rate-limited": (429, "rate_limited"),
    "not-configured": (501, "not_configured"),
    "not-covered": (501, "not_covered"),
    "store-unavailable": (503, "store"),
    "internal": (500, "internal"),
}
"""Problem type → (HTTP status, message key under ``web.problem.``)."""


@attrs.frozen
class ProblemDetails:
    """A problem, as RFC 9457 describes it, with the library's details as extension members.

    Attributes:
        type: The problem type, a URI reference resolved against the service
            (``/problems/validation``); ``GET`` it for its description.
        title: A short summary of the problem type, in the request's language.
        status: The HTTP status code.
        detail: What happened in this case, in the request's language.
        instance: The path of the request.
        problems: For invalid input: every problem, each with its ``$.path``; for a file
            that cannot be read, where (``$``, a row) and why.
        row_problems: For an import: every bad row, with its row, column and reason.
        parameter: For a legal value the server lacks: the parameter's dotted name.
        on: The date the value was asked for.
        document: The document that should supply the value.
        coverage: The dates the server holds values for.
        candidates: For a unit that cannot be placed: the codes it could map to.
        limit: For a file over an import limit: the limit's name (``max_rows``, …).
        maximum: The limit's value.
        reference: For an internal error: the reference under which it was logged.
    """

    type: str
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    problems: tuple[Problem, ...] = ()
    row_problems: tuple[RowProblem, ...] = ()
    parameter: str | None = None
    on: dt.date | None = None
    document: str | None = None
    coverage: str | None = None
    candidates: tuple[str, ...] = ()
    limit: str | None = None
    maximum: int | None = None
    reference: str | None = None

    def to_data(self) -> dict[str, Any]:
        """The JSON body: members without a value are left out."""
        data: dict[str, Any] = unstructure(self)
        return {k: v for k, v in data.items() if v not in (None, "", [], ())}


class HttpProblem(Exception):  # noqa: N818  (a problem to answer with, not a failure of ours)
    """Raised inside the service to answer with a problem.

    Args:
        name: The problem type's name (a key of :data:`PROBLEM_TYPES`).
        detail: What happened.
        headers: Extra response headers (``Retry-After``, ``WWW-Authenticate``).
        **members: Extension members of :class:`ProblemDetails`.
    """

    def __init__(
        self, name: str, detail: str = "", *, headers: dict[str, str] | None = None, **members: Any
    ) -> None:
        super().__init__(name)
        self.name = name
        self.detail = detail
        self.headers = headers or {}
        self.members = members

    def details(self, lang: Lang) -> ProblemDetails:
        """The problem in ``lang``."""
        return _details(self.name, self.detail, lang, **self.members)


def _details(name: str, detail: str, lang: Lang, **members: Any) -> ProblemDetails:
    status, key = PROBLEM_TYPES[name]
    title = text(f"web.problem.{key}.title", lang)
    return ProblemDetails(f"/problems/{name}", title, status, detail, **members)


def problem_for(exc: BaseException, lang: Lang) -> ProblemDetails:
    """The problem details for an exception (an unexpected one is logged, not shown)."""
    if isinstance(exc, HttpProblem):
        return exc.details(lang)
    if isinstance(exc, FileFormatError):  # before ValidationError, which it derives from
        return _unreadable(exc, lang)
    if isinstance(exc, ValidationError):
        detail = text("web.problem.validation.detail", lang, count=len(exc.problems))
        return _details("validation", detail, lang, problems=json_ready(exc.problems))
    if isinstance(exc, ContentNotInForceError):
        detail = _said(exc, lang)
        return _details("content-not-in-force", detail, lang, on=exc.on, document=exc.document)
    if isinstance(exc, NotConfiguredError):
        document = Text.of(exc.source_document).get(lang)
        detail = text(
            "web.problem.not_configured.detail",
            lang,
            parameter=exc.parameter,
            on=exc.on.isoformat(),
            document=document,
        )
        return _details(
            "not-configured", detail, lang, parameter=exc.parameter, on=exc.on, document=document
        )
    if isinstance(exc, CoverageError):
        detail = text(
            "web.problem.not_covered.detail",
            lang,
            parameter=exc.parameter,
            on=exc.on.isoformat(),
            coverage=_coverage_in(exc.coverage, lang),
        )
        return _details(
            "not-covered", detail, lang, parameter=exc.parameter, on=exc.on, coverage=exc.coverage
        )
    if isinstance(exc, UnitMappingError):
        return _details("unit-mapping", str(exc), lang, candidates=exc.candidates)
    if isinstance(exc, RuleConflictError):
        return _details("rule-conflict", str(exc), lang)
    if isinstance(exc, NotFoundError):
        return _details("not-found", _said(exc, lang), lang)
    if isinstance(exc, DuplicateIdError):
        return _details("duplicate", str(exc), lang)
    if isinstance(exc, StoreError):
        logger.error("store failure: %s", exc)
        return _details("store-unavailable", text("web.problem.store.detail", lang), lang)
    if isinstance(exc, KhuyenCongError):
        return _details("invalid-argument", str(exc), lang)
    reference = uuid.uuid4().hex[:12]
    logger.error("internal error %s", reference, exc_info=exc)
    detail = text("web.problem.internal.detail", lang, reference=reference)
    return _details("internal", detail, lang, reference=reference)


def _coverage_in(coverage: str, lang: Lang) -> str:
    """A coverage (``2012-07-05 to open end``) in ``lang``'s words, for a detail."""
    with language(lang):
        return _coverage_text(coverage)


def _said(said: object, lang: Lang) -> str:
    """``str(said)`` in ``lang``: the library's errors speak the language in force when they
    are shown."""
    with language(lang):
        return str(said)


def _unreadable(exc: FileFormatError, lang: Lang) -> ProblemDetails:
    """A file that cannot be read (400), or that is over a limit (413): the reasons, and where;
    never the name of the server's temporary copy."""
    reasons = "; ".join(p.message for p in exc.problems)
    problems = json_ready(exc.problems)
    if isinstance(exc, InputLimitError):
        detail = text("web.problem.input_limit.detail", lang, reason=reasons)
        return _details(
            "input-limit", detail, lang, problems=problems, limit=exc.limit, maximum=exc.maximum
        )
    detail = text("web.problem.unreadable_file.detail", lang, reason=reasons)
    return _details("unreadable-file", detail, lang, problems=problems)


def json_ready(problems: tuple[Any, ...]) -> tuple[Any, ...]:
    """Problems (``$.path`` or row problems) whose offending values are JSON-ready: other
    values become their text."""
    kept = (type(None), str, int, bool)
    return tuple(
        p if isinstance(p.value, kept) else attrs.evolve(p, value=str(p.value)) for p in problems
    )
