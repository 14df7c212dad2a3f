"""The service's endpoints: what each one reads, answers and needs, and how it answers.

An :class:`Endpoint` is data — method, path, query parameters with their types, the body's
type, the answer's type, whether it needs a token — and one handler. The contract
(:mod:`khuyencong.web._openapi`) and the request checks (:mod:`khuyencong.web._app`) are both
read from these records, so what the service documents is what it does.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs
from starlette.concurrency import run_in_threadpool

from khuyencong import __version__
from khuyencong.converters import structure, unstructure
from khuyencong.exceptions import KhuyenCongError, ValidationError
from khuyencong.messages import Lang, text
from khuyencong.web import _library as lib
from khuyencong.web._config import ServiceConfig
from khuyencong.web._problems import HttpProblem, ProblemDetails, json_ready, problem_for

__all__ = [
    "JSON",
    "UPLOAD_TYPES",
    "Call",
    "Endpoint",
    "Health",
    "Query",
    "Reply",
    "endpoints",
]

JSON = "application/json"
CSV = "text/csv"
HTML = "text/html"
MARKDOWN = "text/markdown"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_TYPES = {JSON: "json", CSV: "csv", XLSX: "xlsx"}
"""The media types the import endpoint reads, and the format each is."""

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def today() -> dt.date:
    """Today in Việt Nam: the default date of a decision."""
    return dt.datetime.now(VIETNAM).date()


@attrs.frozen
class Query:
    """A query parameter.

    Attributes:
        name: Its name.
        kind: Its type (``str``, ``int``, ``bool``, a date, an enum of the library).
        description: What it means.
        default: Its value when absent (``None``: absent).
        required: Whether it must be given.
        minimum: For a number: its least value.
        pattern: For a text: the regular expression it matches.
    """

    name: str
    kind: Any
    description: str
    default: Any = None
    required: bool = False
    minimum: int | None = None
    pattern: str | None = None


@attrs.frozen
class Reply:
    """An answer: a body already encoded, its media type and status."""

    body: bytes
    media_type: str = JSON
    status: int = 200

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Reply:
        """A JSON answer."""
        return cls(_dump(data), JSON, status)

    @classmethod
    def text(cls, body: str, media_type: str) -> Reply:
        """A text answer (CSV, HTML, Markdown) in UTF-8."""
        return cls(body.encode("utf-8"), f"{media_type}; charset=utf-8")


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@attrs.define
class Call:
    """One request as a handler sees it: checked, parsed, in its language.

    Attributes:
        lang: The answer's language.
        query: The query parameters, parsed to their types.
        path: The path parameters.
        body: The body: structured to the endpoint's type, or raw bytes for an upload.
        media_type: The body's media type.
        actor: The token holder's name, when the request carried a valid token.
        config: The service's configuration.
        stores: The store.
    """

    lang: Lang
    query: dict[str, Any]
    path: Mapping[str, str]
    body: Any
    media_type: str
    actor: str | None
    config: ServiceConfig
    stores: lib.StoreAccess

    def on(self) -> dt.date:
        """The decision's date: the ``on`` parameter, else today in Việt Nam."""
        value: dt.date | None = self.query.get("on")
        return value or today()

    def rules(self) -> Any:
        """The rule set of the request's province, on its date."""
        return lib.rules_for(self.query.get("province"), self.on(), self.config.overlays)


Handler = Callable[[Call], Awaitable[Reply]]


@attrs.frozen
class Endpoint:
    """One operation of the service.

    Attributes:
        method: ``GET`` or ``POST``.
        path: The path, with ``{parameters}``.
        operation_id: The contract's ``operationId``.
        tag: The contract's group.
        summary: One line.
        handler: What answers.
        query: The query parameters.
        path_params: The path parameters: name → (type, description).
        body: The JSON body's type (``None``: no body; ``bytes``: an upload).
        result: The JSON answer's type, or a function building its schema.
        formats: The media types of a successful answer (chosen with ``format``).
        write: Whether it changes the store (needs a token).
        private: Whether reading it needs a token (the audit log).
        store: Whether it reads or writes the store.
        errors: The problem types it may answer with.
        example: An example body.
        description: More than the summary.
    """

    method: str
    path: str
    operation_id: str
    tag: str
    summary: str
    handler: Handler
    query: tuple[Query, ...] = ()
    path_params: Mapping[str, tuple[Any, str]] = attrs.field(factory=dict)
    body: Any = None
    result: Any = None
    formats: tuple[str, ...] = (JSON,)
    write: bool = False
    private: bool = False
    store: bool = False
    errors: tuple[str, ...] = ()
    example: Any = None
    description: str = ""


# -- common query parameters -------------------------------------------------------------------

ON = Query(
    "on",
    dt.date,
    "The date of the decision, YYYY-MM-DD (default: today in Việt Nam). The rules in force "
    "that day apply.",
)
PROVINCE = Query(
    "province",
    str,
    "A province code (e.g. `24`): decide under the national rules plus the documents that "
    "province ships; its code is read on the map in force on `on`. Default: the national "
    "rules.",
    pattern=r"^[0-9]{2}$",
)
RULE_ERRORS = (
    "validation",
    "malformed",
    "invalid-argument",
    "not-found",
    "not-configured",
    "not-covered",
    "content-not-in-force",
    "unit-mapping",
    "rule-conflict",
)


# -- rule operations ---------------------------------------------------------------------------


def _rule_handler(op: lib.RuleOperation) -> Handler:
    kind = lib.return_type(op)

    async def handle(call: Call) -> Reply:
        value = _decide(op, call.body, call)
        return Reply.json(lib.answer(value, kind, call.lang))

    return handle


def _decide(op: lib.RuleOperation, arguments: Any, call: Call) -> Any:
    """The rule's answer; a plain ``ValueError`` or ``OverflowError`` from the rule function
    (a value it cannot use: a month 13, a date past 9999) is the request's problem."""
    rules = call.rules() if op.ruled else None
    try:
        return lib.call(op, arguments, call.on(), rules)
    except KhuyenCongError:
        raise
    except (ValueError, OverflowError) as exc:
        raise HttpProblem("invalid-argument", str(exc)) from exc


def answer_schema(kind: Any) -> Callable[[Any], dict[str, Any]]:
    """The schema of a rule's answer: ``result``, and ``text``/``reasons`` for explanations."""

    def build(schemas: Any) -> dict[str, Any]:
        properties: dict[str, Any] = {"result": schemas.of(kind)}
        if lib.explains(kind):
            properties["text"] = {
                "type": "string",
                "description": "The answer explained, in the request's language.",
            }
        if kind is lib.DECISION:
            properties["reasons"] = {
                "type": "array",
                "items": {"type": "string"},
                "description": "Why not: each failed condition, in the request's language.",
            }
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }

    return build


def _rule_endpoint(op: lib.RuleOperation) -> Endpoint:
    query = ((ON,) if op.dated else ()) + ((PROVINCE,) if op.ruled else ())
    return Endpoint(
        "POST",
        f"/v1/{op.path}",
        op.operation_id,
        op.tag,
        op.summary,
        _rule_handler(op),
        query=query,
        body=lib.arguments_type(op),
        result=answer_schema(lib.return_type(op)),
        errors=RULE_ERRORS,
        example=dict(op.example),
        description=f"Calls `khuyencong.rules.{op.operation_id}` of the library.",
    )


@functools.cache
def batch_type(op: lib.RuleOperation) -> type:
    """The body of a batch of ``op``: ``{"items": [<the arguments of one call>, …]}``."""
    item = lib.arguments_type(op)
    name = item.__name__.removesuffix("Arguments")
    items: Any = tuple[item, ...]  # type: ignore[valid-type]  # a class made at run time
    cls = attrs.make_class(f"{name}Batch", {"items": attrs.field(type=items)}, frozen=True)
    cls.__doc__ = (
        f"Several calls of {op.operation_id} at once.\n\nAttributes:\n"
        "    items: The arguments of each call, as for one call."
    )
    cls.__module__ = __name__
    return cls


def _batch_endpoint(op: lib.RuleOperation) -> Endpoint:
    kind = lib.return_type(op)

    async def handle(call: Call) -> Reply:
        results: list[dict[str, Any]] = []
        for item in call.body.items:
            try:
                results.append(lib.answer(_decide(op, item, call), kind, call.lang))
            except (KhuyenCongError, HttpProblem) as exc:
                results.append({"problem": problem_for(exc, call.lang).to_data()})
        return Reply.json({"results": results})

    def schema(schemas: Any) -> dict[str, Any]:
        one = answer_schema(kind)(schemas)
        failed = {
            "type": "object",
            "properties": {"problem": schemas.of(ProblemDetails)},
            "required": ["problem"],
            "additionalProperties": False,
        }
        return {
            "type": "object",
            "properties": {
                "results": {
                    "type": "array",
                    "items": {"anyOf": [one, failed]},
                    "description": "One answer per item, in order; an item the rules cannot "
                    "decide has a problem instead.",
                }
            },
            "required": ["results"],
            "additionalProperties": False,
        }

    example = {"items": [dict(op.example), {**op.example, "plan_year": 2027}]}
    return Endpoint(
        "POST",
        f"/v1/{op.path}/batch",
        f"{op.operation_id}_batch",
        op.tag,
        f"{op.summary} For many subjects at once.",
        handle,
        query=(ON, PROVINCE),
        body=batch_type(op),
        result=schema,
        errors=("validation", "malformed", "not-found", "too-large"),
        example=example,
        description=(
            "Each item is decided as by one call; an item the rules cannot decide (a value "
            "the server lacks, a unit that cannot be placed) gets a problem instead of an "
            "answer, and the others are still decided. At most `max_batch` items (1,000 by "
            "default)."
        ),
    )


# -- administrative units ----------------------------------------------------------------------

MAP_PATH = (lib.MAP_ID, "The map: `2021-11`, `2025-07` or `2025-reform` (after 1/7/2025).")
CODE_PATH = (str, "The unit's code on that map (GSO code, with its leading zeros).")


async def _find_units(call: Call) -> Reply:
    found = lib.find_units(call.query["name"], call.query["map"], call.query.get("level"))
    return Reply.json(unstructure(found))


async def _unit(call: Call) -> Reply:
    unit = lib.unit_of(_map(call.path["map_id"]), call.path["code"])
    return Reply.json(unstructure(unit))


async def _reform(call: Call) -> Reply:
    mapping = lib.reform_of(_map(call.path["map_id"]), call.path["code"])
    return Reply.json(unstructure(mapping))


def _map(value: str) -> Any:
    try:
        return structure(value, lib.MAP_ID)
    except ValidationError as exc:
        raise ValidationError([attrs.evolve(p, path="path.map_id") for p in exc.problems]) from None


# -- legal parameters --------------------------------------------------------------------------


async def _parameters(call: Call) -> Reply:
    return Reply.json(unstructure(lib.parameters_on(call.rules(), call.on())))


async def _parameter(call: Call) -> Reply:
    entry = lib.parameter_on(call.rules(), call.path["name"], call.on())
    return Reply.json(unstructure(entry))


async def _provinces(call: Call) -> Reply:
    return Reply.json(unstructure(lib.shipped_provinces()))


# -- indicators and reports --------------------------------------------------------------------


class IndicatorFormat(enum.StrEnum):
    """How an indicator is answered."""

    JSON = "json"
    CSV = "csv"
    HTML = "html"


class ReportFormat(enum.StrEnum):
    """How a report is answered."""

    JSON = "json"
    HTML = "html"
    MARKDOWN = "md"


async def _indicators(call: Call) -> Reply:
    return Reply.json(unstructure(lib.standard_indicators()))


async def _indicator(call: Call) -> Reply:
    def compute() -> Reply:
        with call.stores.session() as store:
            result = lib.indicator_result(
                store,
                call.path["code"],
                call.query["period"],
                call.query.get("by"),
                call.query["map"],
            )
        fmt = call.query.get("format") or IndicatorFormat.JSON
        if fmt == "csv":
            return Reply.text(lib.indicator_csv(result), CSV)
        if fmt == "html":
            return Reply.text(lib.indicator_html(result, call.lang), HTML)
        return Reply.json(result.to_data())

    return await run_in_threadpool(compute)


async def _report(call: Call) -> Reply:
    def build() -> Reply:
        with call.stores.session() as store:
            report = lib.phase_report(
                store, call.body, call.query.get("by"), call.lang, bool(call.query.get("charts"))
            )
        fmt = call.query.get("format") or "json"
        if fmt == "html":
            return Reply.text(lib.report_html(report), HTML)
        if fmt == "md":
            return Reply.text(lib.report_markdown(report), MARKDOWN)
        return Reply.json(report.to_data())

    return await run_in_threadpool(build)


# -- importing and the audit log ---------------------------------------------------------------


async def _import(call: Call) -> Reply:
    kind = _kind(call.path["kind"])
    fmt = UPLOAD_TYPES[call.media_type]

    def run() -> Reply:
        with call.stores.session() as store:
            objects, problems, rows = lib.read_records(
                store,
                kind,
                call.body,
                fmt,
                map_id=call.query.get("map"),
                sheet=call.query.get("sheet"),
                max_bytes=call.config.max_import_bytes,
                max_rows=call.config.max_import_rows,
            )
            if problems and not call.query.get("valid_only"):
                count = len({p.row for p in problems})
                raise HttpProblem(
                    "rows",
                    text("web.problem.rows.detail", call.lang, count=count),
                    row_problems=json_ready(problems),
                )
            stored = 0
            if objects:
                stored = lib.import_records(store, kind, objects, call.actor or "")
        outcome = lib.ImportOutcome(kind, rows, stored, json_ready(problems))
        return Reply.json(unstructure(outcome))

    return await run_in_threadpool(run)


def _kind(value: str) -> Any:
    try:
        return structure(value, lib.ImportKind)
    except ValidationError as exc:
        raise ValidationError([attrs.evolve(p, path="path.kind") for p in exc.problems]) from None


async def _audit(call: Call) -> Reply:
    def read() -> Reply:
        with call.stores.session() as store:
            entries = lib.audit_entries(
                store,
                subject=call.query.get("subject"),
                action=call.query.get("action"),
                actor=call.query.get("actor"),
                since=call.query.get("since"),
                after=call.query.get("after") or 0,
                limit=call.query.get("limit") or 100,
            )
        return Reply.json(unstructure(entries))

    return await run_in_threadpool(read)


# -- the service itself ------------------------------------------------------------------------


@attrs.frozen
class Health:
    """The service is up.

    Attributes:
        status: ``ok``.
        version: The library's version.
        schema_version: The store's schema version.
    """

    status: str
    version: str
    schema_version: int


async def _health(call: Call) -> Reply:
    schema = await run_in_threadpool(call.stores.check)
    return Reply.json(unstructure(Health("ok", __version__, schema)))


def endpoints() -> tuple[Endpoint, ...]:
    """Every endpoint of the service, in the contract's order."""
    rules = [_rule_endpoint(op) for op in lib.RULE_OPERATIONS.values()]
    rules.insert(1, _batch_endpoint(lib.RULE_OPERATIONS["eligibility"]))
    return (
        *rules,
        Endpoint(
            "GET",
            "/v1/units",
            "find_units",
            "Administrative units",
            "Find administrative units by name, ignoring case and diacritics.",
            _find_units,
            query=(
                Query(
                    "name", str, "A name, with or without diacritics (`luc ngan`).", required=True
                ),
                Query("map", lib.MAP_ID, "The map to search.", default="2025-reform"),
                Query("level", lib.UNIT_LEVEL, "Only units of this level."),
            ),
            result=tuple[lib.ADMIN_UNIT, ...],
            errors=("validation",),
        ),
        Endpoint(
            "GET",
            "/v1/units/{map_id}/{code}",
            "get_unit",
            "Administrative units",
            "One administrative unit by its code.",
            _unit,
            path_params={"map_id": MAP_PATH, "code": CODE_PATH},
            result=lib.ADMIN_UNIT,
            errors=("validation", "not-found"),
        ),
        Endpoint(
            "GET",
            "/v1/units/{map_id}/{code}/reform",
            "unit_reform",
            "Administrative units",
            "Where a unit of an older map lies on the post-reform map (1/7/2025), and how we know.",
            _reform,
            path_params={"map_id": MAP_PATH, "code": CODE_PATH},
            result=lib.REFORM_MAPPING,
            errors=("validation", "not-found", "unit-mapping"),
        ),
        Endpoint(
            "GET",
            "/v1/parameters",
            "list_parameters",
            "Legal parameters",
            "Every legal parameter in force on a date, each with its citation.",
            _parameters,
            query=(ON, PROVINCE),
            result=tuple[lib.PARAMETER_ENTRY, ...],
            errors=("validation", "not-found"),
            description="Parameters whose value no shipped document gives on that date have "
            "`configured: false` and name the document that should supply it.",
        ),
        Endpoint(
            "GET",
            "/v1/parameters/{name}",
            "get_parameter",
            "Legal parameters",
            "One legal parameter on a date: its value and citation.",
            _parameter,
            query=(ON, PROVINCE),
            path_params={
                "name": (str, "The parameter's dotted name (`support.national.machinery.cap`).")
            },
            result=lib.PARAMETER_ENTRY,
            errors=("validation", "not-found", "not-covered"),
        ),
        Endpoint(
            "GET",
            "/v1/provinces",
            "list_provinces",
            "Legal parameters",
            "The provinces whose documents ship with the library, and what each sets.",
            _provinces,
            result=tuple[lib.PROVINCE_OVERLAYS, ...],
        ),
        Endpoint(
            "GET",
            "/v1/indicators",
            "list_indicators",
            "Indicators and reports",
            "The standard indicators: what each counts, and how.",
            _indicators,
            result=tuple[lib.INDICATOR, ...],
        ),
        Endpoint(
            "GET",
            "/v1/indicators/{code}",
            "compute_indicator",
            "Indicators and reports",
            "One standard indicator over a period, computed over the store, with the records "
            "behind each figure.",
            _indicator,
            query=(
                Query(
                    "period",
                    str,
                    "The period: `2026`, `2017-2020`, `2026-Q1`, `2026-07` or "
                    "`2026-01-01..2026-06-30`.",
                    required=True,
                ),
                Query(
                    "by",
                    str,
                    "A breakdown: `province`, `district`, `commune`, `content`, "
                    "`legal_form`, … (default: the indicator's own).",
                ),
                Query("map", lib.MAP_ID, "The map the units roll up to.", default="2025-reform"),
                Query("format", IndicatorFormat, "`json` (default), `csv` or `html`."),
            ),
            path_params={"code": (str, "The indicator's code (`establishments_supported`).")},
            result=lib.INDICATOR_RESULT,
            formats=(JSON, CSV, HTML),
            store=True,
            errors=("validation", "not-found", "store-unavailable"),
        ),
        Endpoint(
            "POST",
            "/v1/reports/phase",
            "phase_report",
            "Indicators and reports",
            "The outcome report of a phase, computed over the store, in the request's language.",
            _report,
            query=(
                Query(
                    "by",
                    str,
                    "The geographic breakdown: `province`, `district` or "
                    "`commune` (default: districts, or communes on the post-reform map).",
                ),
                Query("format", ReportFormat, "`json` (default), `html` or `md`."),
                Query(
                    "charts",
                    bool,
                    "Draw charts in the HTML report (needs matplotlib).",
                    default=False,
                ),
            ),
            body=lib.REPORT_CONFIG,
            result=lib.REPORT,
            formats=(JSON, HTML, MARKDOWN),
            store=True,
            errors=("validation", "malformed", "not-found", "store-unavailable"),
            example={
                "title_vi": "Báo cáo kết quả khuyến công",
                "title_en": "Industrial promotion results",
                "centre": "Trung tâm Khuyến công Bắc Giang",
                "province": {"map_id": "2021-11", "code": "24"},
                "period": "2017-2020",
                "legal_forms": ["cooperative"],
            },
        ),
        Endpoint(
            "POST",
            "/v1/imports/{kind}",
            "import_records",
            "Records",
            "Store records from a JSON, CSV or Excel file: all of them, or none.",
            _import,
            query=(
                Query("map", lib.MAP_ID, "The map of the unit codes, when the file does not say."),
                Query("sheet", str, "The worksheet of an Excel file (default: the template's)."),
                Query(
                    "valid_only",
                    bool,
                    "Store the valid rows even when others are bad.",
                    default=False,
                ),
            ),
            path_params={"kind": (lib.ImportKind, "What the file holds.")},
            body=bytes,
            result=lib.ImportOutcome,
            write=True,
            store=True,
            errors=(
                "validation",
                "unreadable-file",
                "rows",
                "duplicate",
                "unauthorized",
                "too-large",
                "input-limit",
                "unsupported-media",
                "store-unavailable",
            ),
            description=(
                "The body is the file itself: `application/json` (a list of records in the "
                "library's wire format), `text/csv` or an Excel workbook, read row by row as "
                "`khuyencong import` reads it, within the server's limits (`max_import_bytes`, "
                "`max_import_rows`). A file that cannot be read is refused with "
                "`/problems/unreadable-file` (400), one over a limit with "
                "`/problems/input-limit` (413). Every row is checked first, including that "
                "the establishment a record names is stored; when any is bad nothing is "
                "stored and the answer lists every bad row (unless `valid_only=true`). The "
                "records are stored in one transaction with one audit entry (`web.import`) "
                "naming the token's holder."
            ),
        ),
        Endpoint(
            "GET",
            "/v1/audit",
            "read_audit_log",
            "Records",
            "Entries of the append-only audit log, in log order.",
            _audit,
            query=(
                Query("subject", str, "Only entries about this subject (`project:DA-1`)."),
                Query("action", str, "Only entries of this action (`budget.commit`)."),
                Query("actor", str, "Only entries by this actor."),
                Query("since", dt.datetime, "Only entries made at or after this time."),
                Query(
                    "after",
                    int,
                    "Only entries after this position (`seq`): the next page.",
                    default=0,
                    minimum=0,
                ),
                Query("limit", int, "At most this many entries.", default=100, minimum=1),
            ),
            result=tuple[lib.AUDIT_ENTRY, ...],
            private=True,
            store=True,
            errors=("validation", "unauthorized", "store-unavailable"),
        ),
        Endpoint(
            "GET",
            "/v1/health",
            "health",
            "Service",
            "Whether the service and its store answer.",
            _health,
            result=Health,
            store=True,
            errors=("store-unavailable",),
        ),
    )
