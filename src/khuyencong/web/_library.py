"""The service's one door into the library: every call it makes to the rules, units, indicators,
reports, importing and storage is in this module.

The rest of :mod:`khuyencong.web` speaks HTTP (routes, problems, tokens, the contract) and calls
only what is here, so a change of the library's signatures is a change of this file alone.

Rule operations are data: :data:`RULE_OPERATIONS` names, for each rule function, the
parameters a request carries. Their types, defaults and descriptions are read from the
function itself (:func:`arguments_type`), so the request follows the library instead of
copying it; ``on`` (the decision's date) and ``rules`` (the rule set of the request's
province) come from the query string.

>>> import datetime as dt
>>> op = RULE_OPERATIONS["support-amount"]
>>> args = structure({"content": "machinery", "eligible_cost": 900_000_000}, arguments_type(op))
>>> call(op, args, dt.date(2026, 12, 7), rules_for(None, dt.date(2026, 12, 7), ())).amount
300000000
"""

from __future__ import annotations

import collections.abc
import contextlib
import datetime as dt
import enum
import functools
import inspect
import re
import tempfile
import threading
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from khuyencong.converters import converter, parse_json, structure
from khuyencong.domain import Period
from khuyencong.exceptions import CoverageError, NotFoundError, ValidationError
from khuyencong.importing import ImportKind, ImportLimits, RowProblem, import_table
from khuyencong.indicators import (
    STANDARD_INDICATORS,
    Breakdown,
    Indicator,
    IndicatorResult,
    compute,
    source_for,
)
from khuyencong.messages import Lang, Text
from khuyencong.reports import Report, ReportConfig, build_report
from khuyencong.rules import (
    Amount,
    Condition,
    Decision,
    ParameterEntry,
    ProvinceOverlays,
    RuleSet,
    award_levels,
    certificate_valid_until,
    check_award_entry,
    check_cooperative,
    check_eligibility,
    check_project_amounts,
    dossier_deadlines,
    first_advance,
    for_province,
    is_ocop_product,
    monthly_report_deadline,
    ocop_score,
    ocop_stars,
    part_maxima,
    passes,
    provinces,
    refund_due,
    remaining_advance,
    settlement_deadline,
    sme_size_class,
    support_amount,
    total_score,
)
from khuyencong.storage import AuditEntry, Store, open_store
from khuyencong.units import AdminUnit, MapId, ReformMapping, UnitLevel, load_map, to_reform
from khuyencong.web._schema import docstring_fields

__all__ = [
    "ADMIN_UNIT",
    "AUDIT_ENTRY",
    "CONDITION",
    "DECISION",
    "INDICATOR",
    "INDICATOR_RESULT",
    "MAP_ID",
    "PARAMETER_ENTRY",
    "PROVINCE_OVERLAYS",
    "REFORM_MAPPING",
    "REPORT",
    "REPORT_CONFIG",
    "ROW_PROBLEM",
    "RULE_OPERATIONS",
    "UNIT_LEVEL",
    "ImportKind",
    "ImportOutcome",
    "RuleOperation",
    "StoreAccess",
    "answer",
    "arguments_type",
    "audit_entries",
    "call",
    "find_units",
    "import_records",
    "indicator_result",
    "parameter_on",
    "parameters_on",
    "phase_report",
    "reform_of",
    "return_type",
    "rules_for",
    "shipped_provinces",
    "standard_indicators",
    "unit_of",
]

# The library's types the service reads and writes (its schemas come from these).
ADMIN_UNIT = AdminUnit
AUDIT_ENTRY = AuditEntry
CONDITION = Condition
DECISION = Decision
INDICATOR = Indicator
INDICATOR_RESULT = IndicatorResult
MAP_ID = MapId
PARAMETER_ENTRY = ParameterEntry
PROVINCE_OVERLAYS = ProvinceOverlays
REFORM_MAPPING = ReformMapping
REPORT = Report
REPORT_CONFIG = ReportConfig
ROW_PROBLEM = RowProblem
UNIT_LEVEL = UnitLevel


# -- rule operations ---------------------------------------------------------------------------


@attrs.frozen
class RuleOperation:
    """One rule function offered as ``POST /v1/<path>``.

    Attributes:
        path: The path under ``/v1/`` (``eligibility``, ``projects/first-advance``).
        function: The library's rule function.
        arguments: The names of the function's parameters a request carries, in its JSON body.
        tag: The contract's group (``Eligibility``, ``Projects``, …).
        example: An example body.
    """

    path: str
    function: Callable[..., Any]
    arguments: tuple[str, ...]
    tag: str
    example: Mapping[str, Any] = attrs.field(factory=dict, eq=False)

    @property
    def operation_id(self) -> str:
        """The contract's ``operationId``: the function's name."""
        return self.function.__name__

    @property
    def dated(self) -> bool:
        """Whether the function takes the decision's date ``on``."""
        return "on" in inspect.signature(self.function).parameters

    @property
    def ruled(self) -> bool:
        """Whether the function takes a rule set (``rules``)."""
        return "rules" in inspect.signature(self.function).parameters

    @property
    def summary(self) -> str:
        """The first line of the function's docstring."""
        return (inspect.getdoc(self.function) or "").splitlines()[0]


_ESTABLISHMENT_EXAMPLE = {
    "id": "BN-HTX-01",
    "name": "HTX Chế biến vải thiều Lục Ngạn",
    "legal_form": "cooperative",
    "members": 15,
    "location": {"map_id": "2025-reform", "code": "07582"},
    "sectors": ["agro_food_processing"],
}
_PROJECT_EXAMPLE = {
    "id": "DA-2026-01",
    "title": "Hỗ trợ máy móc chế biến vải thiều",
    "kind": "local",
    "beneficiary_ids": ["BN-HTX-01"],
    "contents": [
        {
            "content": "machinery",
            "eligible_cost": 900_000_000,
            "requested": 250_000_000,
        }
    ],
    "fund": "local",
    "province": {"map_id": "2025-reform", "code": "24"},
    "plan_year": 2026,
    "lead_agency": "Trung tâm Khuyến công Bắc Ninh",
}
_AWARD_EXAMPLE = {
    "id": "BC-2026-01",
    "product_name": "Vải thiều sấy khô",
    "establishment_id": "BN-HTX-01",
    "product_group": "processed_agro_food",
    "level": "province",
    "round_year": 2026,
}


def _operations(*ops: RuleOperation) -> dict[str, RuleOperation]:
    return {op.path: op for op in ops}


RULE_OPERATIONS: dict[str, RuleOperation] = _operations(
    RuleOperation(
        "eligibility",
        check_eligibility,
        ("establishment", "plan_year", "approved_on"),
        "Eligibility",
        {"establishment": _ESTABLISHMENT_EXAMPLE},
    ),
    RuleOperation(
        "cooperative",
        check_cooperative,
        ("form", "members", "subject"),
        "Eligibility",
        {"form": "cooperative", "members": 4},
    ),
    RuleOperation(
        "sme-size-class",
        sme_size_class,
        ("employees", "revenue", "total_capital", "group"),
        "Eligibility",
        {
            "employees": 40,
            "revenue": 20_000_000_000,
            "total_capital": None,
            "group": "agriculture_industry_construction",
        },
    ),
    RuleOperation(
        "support-amount",
        support_amount,
        ("content", "eligible_cost", "fund", "quantity", "priority"),
        "Support amounts",
        {"content": "machinery", "eligible_cost": 900_000_000},
    ),
    RuleOperation(
        "projects/check-amounts",
        check_project_amounts,
        ("project",),
        "Projects",
        {"project": _PROJECT_EXAMPLE},
    ),
    RuleOperation(
        "projects/first-advance",
        first_advance,
        ("content", "support", "progress", "accepted"),
        "Projects",
        {"content": "machinery", "support": 200_000_000, "progress": "0.75"},
    ),
    RuleOperation(
        "projects/remaining-advance",
        remaining_advance,
        ("approved", "advanced", "accepted"),
        "Projects",
        {"approved": 200_000_000, "advanced": 140_000_000, "accepted": True},
    ),
    RuleOperation(
        "projects/refund-due",
        refund_due,
        ("advanced", "settled"),
        "Projects",
        {"advanced": 140_000_000, "settled": 120_000_000},
    ),
    RuleOperation(
        "projects/settlement-deadline",
        settlement_deadline,
        ("last_acceptance",),
        "Projects",
        {"last_acceptance": "2026-11-20"},
    ),
    RuleOperation(
        "projects/dossier-deadlines",
        dossier_deadlines,
        (),
        "Projects",
    ),
    RuleOperation(
        "projects/monthly-report-deadline",
        monthly_report_deadline,
        (),
        "Projects",
    ),
    RuleOperation(
        "awards/check-entry",
        check_award_entry,
        ("entry", "prior", "lower_round_held", "entry_conditions"),
        "Awards and OCOP",
        {"entry": _AWARD_EXAMPLE, "lower_round_held": False},
    ),
    RuleOperation(
        "awards/levels",
        award_levels,
        (),
        "Awards and OCOP",
    ),
    RuleOperation(
        "awards/total-score",
        total_score,
        ("scores",),
        "Awards and OCOP",
        {"scores": {"market": "35", "economic_technical": "30", "culture": "8", "other": "5"}},
    ),
    RuleOperation(
        "awards/passes",
        passes,
        ("score",),
        "Awards and OCOP",
        {"score": "78"},
    ),
    RuleOperation(
        "awards/certificate-valid-until",
        certificate_valid_until,
        ("issued_on",),
        "Awards and OCOP",
        {"issued_on": "2026-11-20"},
    ),
    RuleOperation(
        "ocop/part-maxima",
        part_maxima,
        (),
        "Awards and OCOP",
    ),
    RuleOperation(
        "ocop/score",
        ocop_score,
        ("part_a", "part_b", "part_c"),
        "Awards and OCOP",
        {"part_a": "32", "part_b": "20", "part_c": "25"},
    ),
    RuleOperation(
        "ocop/stars",
        ocop_stars,
        ("score",),
        "Awards and OCOP",
        {"score": "77"},
    ),
    RuleOperation(
        "ocop/is-product",
        is_ocop_product,
        ("stars",),
        "Awards and OCOP",
        {"stars": 3},
    ),
)
"""Every rule function the service offers, by path under ``/v1/``."""


@functools.cache
def arguments_type(op: RuleOperation) -> type:
    """The request body of ``op``: an attrs class with the function's own parameter types and
    defaults, named after the operation (``SupportAmountArguments``).

    Raises:
        TypeError: If the function has no parameter of a name ``op`` lists (the library's
            signature changed: update :data:`RULE_OPERATIONS`).
    """
    signature = inspect.signature(op.function)
    hints = typing.get_type_hints(op.function)
    described = docstring_fields(op.function, "Args")[1]
    fields: dict[str, Any] = {}
    lines = [f"The arguments of {op.operation_id}.", "", "Attributes:"]
    for name in op.arguments:
        parameter = signature.parameters.get(name)
        if parameter is None:
            msg = f"{op.operation_id} has no parameter {name!r}; update RULE_OPERATIONS"
            raise TypeError(msg)
        default = (
            attrs.NOTHING if parameter.default is inspect.Parameter.empty else parameter.default
        )
        fields[name] = attrs.field(type=_wire(hints[name]), default=default, kw_only=True)
        lines.append(f"    {name}: {described.get(name, name)}")
    title = "".join(part.capitalize() for part in re.split(r"[-/]", op.path))
    cls = attrs.make_class(f"{title}Arguments", fields, frozen=True)
    cls.__doc__ = "\n".join(lines)
    cls.__module__ = __name__
    return cls


def _wire(hint: Any) -> Any:
    """The type a request carries for a parameter annotated ``hint``: where the library also
    takes a second spelling of a value (an enum or the text people write, an ``int`` or a
    ``Decimal`` score, a ``Decimal`` or ``Fraction`` share, ``True`` or a multiplier), JSON has
    one: the enum's value, a decimal, ``true``/``false``."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        enums = [a for a in kept if isinstance(a, type) and issubclass(a, enum.Enum)]
        chosen = (
            enums[0]
            if enums
            else bool
            if bool in kept and len(kept) > 1
            else Decimal
            if Decimal in kept and len(kept) > 1
            else None
        )
        if chosen is None:
            return hint
        return chosen | None if type(None) in args else chosen
    if origin in (Mapping, collections.abc.Mapping) and len(args) == 2:
        return typing.cast("Any", Mapping)[args[0], _wire(args[1])]
    return hint


def return_type(op: RuleOperation) -> Any:
    """What the function of ``op`` returns, as annotated (a named tuple as the plain tuple of
    its fields' types, which is how it is written on the wire)."""
    kind = typing.get_type_hints(op.function)["return"]
    if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields"):
        fields = typing.get_type_hints(kind)
        return tuple.__class_getitem__(tuple(fields[name] for name in kind._fields))
    return kind


def call(op: RuleOperation, arguments: Any, on: dt.date, rules: RuleSet | None) -> Any:
    """Call the rule function of ``op`` with a request's arguments, date and rule set."""
    kwargs = {name: getattr(arguments, name) for name in op.arguments}
    if op.dated:
        kwargs["on"] = on
    if op.ruled:
        kwargs["rules"] = rules
    return op.function(**kwargs)


def explains(kind: Any) -> bool:
    """Whether answers of type ``kind`` come with a text in the request's language."""
    return kind is Decision or kind is Amount


def answer(value: Any, kind: Any, lang: Lang) -> dict[str, Any]:
    """A rule's answer on the wire: ``result`` as the converter writes it, and for decisions
    and amounts the ``text`` (and failed conditions as ``reasons``) in ``lang``."""
    data: dict[str, Any] = {"result": converter.unstructure(value, unstructure_as=kind)}
    if isinstance(value, Decision):
        data["text"] = value.render(lang)
        data["reasons"] = [c.message(lang) for c in value.failed]
    elif isinstance(value, Amount):
        data["text"] = value.render(lang)
    return data


# -- rule sets and legal parameters ------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def rules_for(province: str | None, on: dt.date, overlays: tuple[str, ...]) -> RuleSet:
    """The rules of a request: national, or a province's (its code read on the map in force on
    ``on``), with the server's own overlay files on top (memoised).

    Raises:
        khuyencong.exceptions.NotFoundError: If the province ships no document.
        khuyencong.exceptions.DataFileError: If an overlay file is invalid.
    """
    rules = RuleSet.national() if province is None else for_province(province, on)
    for overlay in overlays:
        rules = rules.with_overlay(overlay)
    return rules


def parameters_on(rules: RuleSet, on: dt.date) -> tuple[ParameterEntry, ...]:
    """The entry in force on ``on`` of every parameter the rules hold (``?`` entries too,
    with ``configured`` false), by name."""
    found = []
    for name in sorted(rules.parameters):
        with contextlib.suppress(CoverageError):
            found.append(rules.entry(name, on))
    return tuple(found)


def parameter_on(rules: RuleSet, name: str, on: dt.date) -> ParameterEntry:
    """The entry of ``name`` in force on ``on``, with its citation.

    Raises:
        khuyencong.exceptions.NotFoundError: If the rules hold no parameter ``name``.
        khuyencong.exceptions.CoverageError: If it has no entry on ``on``.
    """
    if name not in rules.parameters:
        hint = Text.message("errors.hint.listed_at", address="GET /v1/parameters")
        raise NotFoundError("parameter", name, hint)
    return rules.entry(name, on)


def shipped_provinces() -> tuple[ProvinceOverlays, ...]:
    """The provinces whose documents ship with the library, with their documents."""
    return provinces()


# -- administrative units ----------------------------------------------------------------------


def find_units(name: str, map_id: MapId, level: UnitLevel | None) -> tuple[AdminUnit, ...]:
    """Units of ``map_id`` whose name matches ``name`` (case and diacritics ignored)."""
    return tuple(load_map(map_id).find(name, level=level))


def unit_of(map_id: MapId, code: str) -> AdminUnit:
    """The unit ``code`` of ``map_id``.

    Raises:
        khuyencong.exceptions.NotFoundError: If the map has no such code.
    """
    return load_map(map_id).get(code)


def reform_of(map_id: MapId, code: str) -> ReformMapping:
    """Where the unit ``code`` of ``map_id`` lies on the post-reform map, and how we know.

    Raises:
        khuyencong.exceptions.NotFoundError: If the map has no such code.
        khuyencong.exceptions.UnitMappingError: If the unit was split or is ambiguous.
    """
    return to_reform(load_map(map_id).get(code).ref)


# -- the store ---------------------------------------------------------------------------------


class StoreAccess:
    """The configured store, opened for each use (a store serves one thread at a time).

    A ``memory://`` store is the exception: it lives in the process, so one instance is kept
    and used under a lock.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._shared: Store | None = None
        self._lock = threading.Lock()
        if url.startswith("memory:"):
            self._shared = open_store(url)

    def check(self) -> int:
        """Open the store once (creating or migrating it) and return its schema version.

        Raises:
            khuyencong.exceptions.StoreError: If it cannot be opened.
        """
        with self.session() as store:
            return store.schema_version

    @contextlib.contextmanager
    def session(self) -> Iterator[Store]:
        """The store, for one request."""
        if self._shared is not None:
            with self._lock:
                yield self._shared
            return
        store = open_store(self.url)
        try:
            yield store
        finally:
            store.close()

    def close(self) -> None:
        """Close the shared in-memory store, if any."""
        if self._shared is not None:
            self._shared.close()


# -- indicators and the phase report -----------------------------------------------------------


def standard_indicators() -> tuple[Indicator, ...]:
    """The standard indicators' definitions."""
    return tuple(STANDARD_INDICATORS.values())


def indicator_result(
    store: Store, code: str, period: str, by: str | None, map_id: MapId
) -> IndicatorResult:
    """The standard indicator ``code`` over ``period`` (``2017-2020``, ``2026``, ``2026-Q1``…),
    broken down ``by`` (``district``, ``commune``, ``content``…; its own breakdown when
    ``None``), computed in the store.

    Raises:
        khuyencong.exceptions.NotFoundError: For an unknown indicator code.
        khuyencong.exceptions.ValidationError: For a bad period or breakdown.
    """
    indicator = STANDARD_INDICATORS.get(code)
    if indicator is None:
        hint = Text.message("errors.hint.listed_at", address="GET /v1/indicators")
        raise NotFoundError("indicator", code, hint)
    try:
        when = Period.parse(period)
    except ValidationError as exc:
        raise exc.prefixed("query.period") from None
    try:
        breakdown = None if by is None else [Breakdown.parse(by, map_id)]
    except ValidationError as exc:
        raise ValidationError([attrs.evolve(p, path="query.by") for p in exc.problems]) from None
    return compute(indicator, source_for(store), when, by=breakdown)


def indicator_csv(result: IndicatorResult) -> str:
    """An indicator result as CSV (raw values, one row per key and the total)."""
    return result.to_csv()


def indicator_html(result: IndicatorResult, lang: Lang) -> str:
    """An indicator result as an HTML table in ``lang``."""
    return result.table(lang).to_html(lang)


def phase_report(
    store: Store, config: ReportConfig, by: str | None, lang: Lang, charts: bool
) -> Report:
    """The outcome report of a phase, computed over the store.

    Raises:
        khuyencong.exceptions.ValidationError: For a bad breakdown.
        khuyencong.exceptions.NotFoundError: For a province code not on its map.
    """
    config.province.resolve()
    try:
        breakdown = None if by is None else Breakdown.parse(by, config.province.map_id)
    except ValidationError as exc:
        raise ValidationError([attrs.evolve(p, path="query.by") for p in exc.problems]) from None
    return build_report(source_for(store), config, lang=lang, by=breakdown, charts=charts)


def report_markdown(report: Report) -> str:
    """The report as Markdown."""
    return report.to_markdown()


def report_html(report: Report) -> str:
    """The report as a standalone HTML page."""
    return report.to_html()


# -- importing ---------------------------------------------------------------------------------


@attrs.frozen
class ImportOutcome:
    """What an import read and stored.

    Attributes:
        kind: What the records are.
        total_rows: How many rows (or JSON items) were read.
        stored: How many records were stored (0 when refused).
        problems: Every problem found, each with its row, column and reason.
    """

    kind: ImportKind
    total_rows: int
    stored: int
    problems: tuple[RowProblem, ...] = ()


_SECTIONS = {
    ImportKind.ESTABLISHMENTS: "establishments",
    ImportKind.SUPPORT_RECORDS: "support_records",
    ImportKind.FAIR_PARTICIPATIONS: "fair_participations",
}
IMPORT_ACTION = "web.import"
"""The audit log's action for records stored through the service."""


def read_records(
    store: Store,
    kind: ImportKind,
    body: bytes,
    fmt: str,
    *,
    map_id: MapId | None,
    sheet: str | None,
    max_bytes: int,
    max_rows: int,
) -> tuple[tuple[Any, ...], tuple[RowProblem, ...], int]:
    """The records of an uploaded file: ``(valid objects, problems, rows read)``.

    JSON is a list of records in the converter's wire format, read through
    :func:`khuyencong.converters.parse_json` (a bad item is refused with its ``$[i].path``);
    CSV and Excel go through :func:`khuyencong.importing.import_table`, row by row, within
    the server's limits, as the command line reads them: a record naming an establishment or
    a project ``store`` does not hold is a problem of its row.

    Raises:
        khuyencong.exceptions.InputLimitError: If the file goes over a limit.
        khuyencong.exceptions.FileFormatError: If the file cannot be read at all.
        khuyencong.exceptions.ValidationError: For JSON that is not a list of records.
    """
    if fmt == "json":
        data = parse_json(body, source="upload.json")
        objects = structure(data, tuple[kind.cls, ...])  # type: ignore[name-defined]
        return objects, (), len(objects)
    limits = ImportLimits(max_file_bytes=max_bytes, max_rows=max_rows)
    with tempfile.TemporaryDirectory(prefix="khuyencong-import-") as folder:
        path = Path(folder) / f"upload.{fmt}"
        path.write_bytes(body)
        table = import_table(
            path,
            kind,
            default_map=map_id,
            sheet=sheet,
            limits=limits,
            establishments=store.establishments,
            projects=store.projects,
        )
    return table.objects, table.problems, table.total_rows


def import_records(store: Store, kind: ImportKind, objects: tuple[Any, ...], actor: str) -> int:
    """Store ``objects`` in one unit of work, with one audit entry naming ``actor``: all of them
    or none.

    Raises:
        khuyencong.exceptions.DuplicateIdError: If an id is already stored (nothing is).
    """
    section = _SECTIONS[kind]
    with store.unit_of_work() as uow:
        stored = getattr(uow, section).add_many(objects)
        uow.audit.append(
            IMPORT_ACTION, f"import:{kind.value}", actor=actor, details={"records": str(stored)}
        )
    return int(stored)


# -- the audit log -----------------------------------------------------------------------------


def audit_entries(
    store: Store,
    *,
    subject: str | None,
    action: str | None,
    actor: str | None,
    since: dt.datetime | None,
    after: int,
    limit: int,
) -> tuple[AuditEntry, ...]:
    """Entries of the audit log matching every filter, after the position ``after``, at most
    ``limit``, in log order."""
    found = store.audit.entries(subject=subject, action=action, actor=actor, since=since)
    return tuple(e for e in found if e.seq > after)[:limit]
