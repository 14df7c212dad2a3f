"""Targets per indicator and phase, with citations; the national programmes; IATI progress.

A centre writes its own targets in a file (TOML or JSON) and reads it with
:func:`load_targets`::

    [[target]]
    indicator = "establishments_supported"
    period = "2017-2020"
    baseline = 0
    target = 60
    invented = true
    citation = { document = "Ví dụ minh họa", confidence = "?" }

The library ships the national programmes' targets as data (``data/targets/``, one file per
decision, read by :func:`load_programme`): what is known of 1288/QĐ-TTg (to 2020) and
1881/QĐ-TTg (2021–2025), each target cited with its confidence tag and public source; the
targets of 2646/QĐ-BCT (2026–2030) are unknown, and asking for them raises
:class:`~khuyencong.exceptions.NotConfiguredError` naming that decision.

>>> from khuyencong.indicators import national_targets
>>> targets = national_targets("2021-2025")
>>> t = targets.find("demonstration_transfer_models", Period.parse("2021-2025"))
>>> t.target, t.citation.document, t.citation.confidence.value, t.national
(Decimal('340'), '1881/QĐ-TTg', 'V2', True)
>>> national_targets("2026-2030")
Traceback (most recent call last):
...
khuyencong.exceptions.NotConfiguredError: tham số “targets.national.2026-2030” chưa được cấu hình cho ngày 01/01/2026: giá trị phải lấy từ 2646/QĐ-BCT (23/9/2025), ...

Progress follows the IATI convention: ``(actual − baseline) ÷ (target − baseline)``, shown
clamped to 0–100 % with the raw value kept.

>>> t = Target("trainees", "2017-2020", Decimal(200), citation=Citation("Ví dụ"), invented=True)
>>> p = progress(t, 250)
>>> p.raw, p.clamped, p.text("vi")
(Fraction(5, 4), Fraction(1, 1), '100,0% (thực tế 125,0%)')
"""  # noqa: E501  (a doctest output line cannot be wrapped)

from __future__ import annotations

import datetime as dt
import functools
import itertools
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from khuyencong._arguments import Arguments, CheckedEnum, expect
from khuyencong._data import AsData
from khuyencong.converters import parse_json, structure
from khuyencong.domain import Citation, Confidence, Period, SupportContent
from khuyencong.exceptions import (
    DataFileError,
    FileFormatError,
    NotConfiguredError,
    NotFoundError,
    Problem,
    ValidationError,
)
from khuyencong.indicators._engine import compute
from khuyencong.indicators._model import (
    STANDARD_INDICATORS,
    Counting,
    DateField,
    Filter,
    Indicator,
    Measure,
    RecordKind,
    Unit,
)
from khuyencong.indicators._results import IndicatorResult, format_percent
from khuyencong.indicators._stores import Source, source_for
from khuyencong.messages import Lang, Text, text

__all__ = [
    "NOT_FROM_RECORDS",
    "PROGRAMME_INDICATORS",
    "Programme",
    "ProgrammeStatus",
    "Progress",
    "Target",
    "TargetProgress",
    "TargetSet",
    "load_programme",
    "load_targets",
    "national_programmes",
    "national_progress",
    "national_targets",
    "progress",
    "progress_of",
]


def _check_period(_inst: object, _attr: attrs.Attribute[str], value: str) -> None:
    Period.parse(value)


@attrs.frozen
class Target:
    """A target value for one indicator over one period, with its citation.

    Attributes:
        indicator: The indicator code (``establishments_supported``, ``coverage[district]``,
            or one of :data:`PROGRAMME_INDICATORS` and :data:`NOT_FROM_RECORDS`).
        period: The period as text (``2017-2020``), parsed by :meth:`Period.parse`.
        target: The target value (a count, đồng, or a ratio such as ``0.5``).
        citation: The document that sets the target, with its confidence tag; its note says
            what was verified where.
        baseline: The value at the start of the period (default 0).
        key: A breakdown key when the target is for one part (``national``), else ``None``.
        invented: ``True`` for an example target that no document sets.
        note: Anything a reader should know.
        national: ``True`` for a national programme's target: for a province's records it is
            context (the province's contribution), not the province's own target.
        label_vi: What the target counts, in Vietnamese (empty: the indicator's label).
        label_en: The same in English.
        unit_vi: The counted noun as the document writes it (``mô hình``, ``máy móc thiết bị``).
        unit_en: The same in English.
        approximate: ``True`` when the records can only approximate what the target counts
            (``counting_vi``/``counting_en`` say how).
        counting_vi: The counting rule that measures the target from records, in Vietnamese.
        counting_en: The same in English.
    """

    indicator: str
    period: str = attrs.field(validator=_check_period)
    target: Decimal
    citation: Citation
    baseline: Decimal = Decimal(0)
    key: str | None = None
    invented: bool = False
    note: str = ""
    national: bool = False
    label_vi: str = ""
    label_en: str = ""
    unit_vi: str = ""
    unit_en: str = ""
    approximate: bool = False
    counting_vi: str = ""
    counting_en: str = ""

    @property
    def as_period(self) -> Period:
        """The period as a :class:`Period`."""
        return Period.parse(self.period)

    @property
    def from_records(self) -> bool:
        """Whether an indicator computed from records measures this target."""
        return self.indicator not in NOT_FROM_RECORDS

    def label(self, lang: Lang | None = None) -> str:
        """What the target counts: its own label, else the indicator's, else the code."""
        own = Text(self.label_vi, self.label_en).get(lang)
        if own:
            return own
        indicator = _INDICATORS.get(self.indicator)
        return indicator.label(lang) if indicator is not None else self.indicator

    def unit(self, lang: Lang | None = None) -> str:
        """The counted noun (empty when the target does not name one)."""
        return Text(self.unit_vi, self.unit_en).get(lang)

    def counting(self, lang: Lang | None = None) -> str:
        """The counting rule in ``lang`` (empty when none is written)."""
        return Text(self.counting_vi, self.counting_en).get(lang)


@attrs.frozen
class TargetSet:
    """Targets loaded from one file (or one national programme)."""

    targets: tuple[Target, ...]
    source: str = ""

    def __iter__(self) -> Iterator[Target]:
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)

    def for_period(self, period: Period) -> tuple[Target, ...]:
        """The targets whose period is exactly ``period``."""
        return tuple(t for t in self.targets if t.as_period == period)

    def overlapping(self, period: Period) -> tuple[Target, ...]:
        """The targets whose period shares at least one day with ``period``."""
        return tuple(t for t in self.targets if t.as_period.overlaps(period))

    def find(self, indicator: str, period: Period, key: str | None = None) -> Target | None:
        """The target of an indicator (and key) for a period, if any."""
        for t in self.targets:
            if t.indicator == indicator and t.key == key and t.as_period == period:
                return t
        return None


def _read(file: Path) -> Any:
    """A targets file's data, read as the library reads every file (JSON by ``parse_json``)."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DataFileError(
            str(file), [Problem("$", text("errors.unreadable_file", reason=reason))]
        ) from None
    if file.suffix != ".toml":
        try:
            return parse_json(raw, source=str(file))
        except FileFormatError as exc:
            raise DataFileError(str(file), exc.problems) from None
    try:
        return tomllib.loads(raw.decode())
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(
            str(file), [Problem("$", text("errors.invalid_toml", reason=exc))]
        ) from None


def _structure_targets(data: Any, source: str) -> list[Target]:
    items = data.get("target", []) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DataFileError(source, [Problem("$.target", text("datafiles.targets.list"))])
    try:
        targets = structure(items, list[Target])
    except ValidationError as exc:
        raise DataFileError(source, exc.prefixed("$.target").problems) from None
    return _unique(targets, source)


def load_targets(path: str | Path) -> TargetSet:
    """Read targets from a ``.toml`` (``[[target]]`` tables) or ``.json`` (``{"target": [...]}``).

    Raises:
        DataFileError: The file cannot be read, or a target is invalid (every problem listed
            with its ``$.target[i]`` path), or a target is given twice.
        ValidationError: If ``path`` is not a path.
    """
    file = _path(path)
    return TargetSet(tuple(_structure_targets(_read(file), str(file))), str(file))


def _unique(targets: Iterable[Target], source: str) -> list[Target]:
    seen: set[tuple[str, str | None, Period]] = set()
    out = []
    for i, t in enumerate(targets):
        ident = (t.indicator, t.key, t.as_period)
        if ident in seen:
            problem = Problem(f"$.target[{i}]", text("datafiles.targets.twice"))
            raise DataFileError(source, [problem])
        seen.add(ident)
        out.append(t)
    return out


# --- indicators that measure national targets ------------------------------------------------

_C = SupportContent
_S = RecordKind.SUPPORT


def _quantity(code: str, vi: str, en: str, unit: Unit, *contents: SupportContent) -> Indicator:
    return Indicator(
        code,
        vi,
        en,
        unit,
        _S,
        Counting.QUANTITY,
        DateField.DELIVERED_ON,
        Filter(contents=set(contents)),
        measure=Measure.QUANTITY,
        note_vi="Cộng số lượng ghi trên bản ghi; bản ghi không ghi số lượng được tính là 1.",
        note_en="Sums the quantity on each record; a record without one counts 1.",
    )


def _distinct(code: str, vi: str, en: str, content: SupportContent) -> Indicator:
    return Indicator(
        code,
        vi,
        en,
        Unit.ESTABLISHMENTS,
        _S,
        Counting.DISTINCT_ESTABLISHMENTS,
        DateField.DELIVERED_ON,
        Filter(contents={content}),
        note_vi="Mỗi cơ sở được đếm một lần trong kỳ.",
        note_en="Each establishment counts once in the period.",
    )


PROGRAMME_INDICATORS: Mapping[str, Indicator] = {
    i.code: i
    for i in (
        _quantity(
            "demonstration_transfer_models",
            "Số mô hình trình diễn kỹ thuật, chuyển giao công nghệ",
            "Demonstration and technology-transfer models",
            Unit.MODELS,
            _C.DEMONSTRATION_MODEL,
            _C.REPLICATION_MODEL,
            _C.TECHNOLOGY_TRANSFER,
        ),
        _quantity(
            "technical_demonstration_models",
            "Số mô hình trình diễn kỹ thuật",
            "Technical demonstration models",
            Unit.MODELS,
            _C.DEMONSTRATION_MODEL,
            _C.REPLICATION_MODEL,
        ),
        _quantity(
            "machines_applied",
            "Số máy móc thiết bị tiên tiến được hỗ trợ ứng dụng",
            "Advanced machines applied",
            Unit.UNITS,
            _C.MACHINERY,
        ),
        _quantity(
            "technology_lines",
            "Số dây chuyền công nghệ tiên tiến được hỗ trợ ứng dụng",
            "Advanced technology lines applied",
            Unit.UNITS,
            _C.TECHNOLOGY_LINE,
        ),
        _distinct(
            "cleaner_production_pilots",
            "Số cơ sở có mô hình thí điểm sản xuất sạch hơn",
            "Establishments with a cleaner-production pilot",
            _C.CLEANER_PRODUCTION_PILOT,
        ),
        _distinct(
            "pollution_treatment_establishments",
            "Số cơ sở được sửa chữa, nâng cấp hệ thống xử lý ô nhiễm",
            "Establishments with pollution treatment repaired or upgraded",
            _C.POLLUTION_TREATMENT_ESTABLISHMENT,
        ),
        _distinct(
            "brand_establishments",
            "Số cơ sở được hỗ trợ xây dựng, đăng ký thương hiệu",
            "Establishments supported to build and register a brand",
            _C.BRAND,
        ),
        _quantity(
            "cluster_plans",
            "Số cụm công nghiệp được lập quy hoạch chi tiết",
            "Industrial clusters with detailed planning",
            Unit.UNITS,
            _C.CLUSTER_PLANNING,
        ),
        _quantity(
            "domestic_fairs_organised",
            "Số hội chợ, triển lãm trong nước được tổ chức",
            "Domestic fairs organised",
            Unit.UNITS,
            _C.DOMESTIC_FAIR_ORGANISING,
        ),
        _quantity(
            "overseas_fairs",
            "Số hội chợ, triển lãm ở nước ngoài được tổ chức, tham gia",
            "Fairs abroad organised or joined",
            Unit.UNITS,
            _C.OVERSEAS_FAIR,
        ),
    )
}
"""Indicators that measure the national programmes' targets from support records, by code.

Each sums or counts support records of the contents a target names. Where the records cannot
express the target exactly, the target says so (:attr:`Target.approximate` and its counting
rule).
"""

NOT_FROM_RECORDS: Mapping[str, tuple[str, str]] = {
    "cleaner_production_assessments": (
        "thư viện chưa có nội dung hỗ trợ riêng cho đánh giá sản xuất sạch hơn",
        "the library has no support content of its own for a cleaner-production assessment",
    ),
}
"""Target codes no record measures, with the reason (Vietnamese, English)."""

_INDICATORS: Mapping[str, Indicator] = {**STANDARD_INDICATORS, **PROGRAMME_INDICATORS}


# --- national programmes ---------------------------------------------------------------------


class ProgrammeStatus(CheckedEnum):
    """How much of a national programme's targets the library knows."""

    COMPLETE = "complete"
    """Every target of the programme is shipped."""
    PARTIAL = "partial"
    """Some targets are shipped; the others are unknown."""
    UNKNOWN = "unknown"
    """No target is known: asking for them raises :class:`NotConfiguredError`."""


@attrs.frozen
class _Header:
    document: str
    title_vi: str
    title_en: str
    period: str = attrs.field(validator=_check_period)
    issued_on: dt.date
    status: ProgrammeStatus
    citation: Citation
    note_vi: str = ""
    note_en: str = ""


_NO_TEXT = Text("", "")


@attrs.frozen
class Programme:
    """A national khuyến công programme: its decision, period and the targets known.

    Attributes:
        document: The decision (``1881/QĐ-TTg``).
        title_vi: The programme's name in Vietnamese.
        title_en: The same in English.
        period: The years it covers, as text (``2021-2025``).
        issued_on: The decision's date.
        status: Whether its targets are known in full, in part or not at all.
        citation: The decision, with its confidence tag and the public source read.
        targets: The targets known (none when ``status`` is unknown).
        source_document: For an unknown programme, the document that should supply its targets,
            in both languages.
        note_vi: What a reader should know (which targets are missing), in Vietnamese.
        note_en: The same in English.
    """

    document: str
    title_vi: str
    title_en: str
    period: str
    issued_on: dt.date
    status: ProgrammeStatus
    citation: Citation
    targets: tuple[Target, ...] = ()
    source_document: Text = _NO_TEXT
    note_vi: str = ""
    note_en: str = ""

    @property
    def as_period(self) -> Period:
        """The programme's years as a :class:`Period`."""
        return Period.parse(self.period)

    def title(self, lang: Lang | None = None) -> str:
        """The programme's name in ``lang``."""
        return Text(self.title_vi, self.title_en).get(lang)

    def note(self, lang: Lang | None = None) -> str:
        """The note in ``lang``."""
        return Text(self.note_vi, self.note_en).get(lang)

    def target_set(self, on: dt.date | None = None) -> TargetSet:
        """The targets as a :class:`TargetSet`.

        Raises:
            NotConfiguredError: If the programme's targets are unknown, naming the document
                that should supply them.
        """
        if self.status == ProgrammeStatus.UNKNOWN:
            raise NotConfiguredError(
                f"targets.national.{self.period}",
                on or self.as_period.start,
                self.source_document,
                Text.message("indicators.targets_unknown"),
            )
        return TargetSet(self.targets, self.document)


def load_programme(path: str | Path) -> Programme:
    """Read a national programme file: a ``[programme]`` table and its ``[[target]]`` tables.

    Every target is a national one (:attr:`Target.national`), cited to the programme's
    decision, within its years, measured by a known indicator (or one of
    :data:`NOT_FROM_RECORDS`), with a label, a unit and a counting rule in both languages; a
    programme whose status is ``unknown`` has no targets, a ``?`` citation and the document
    that should supply them.

    Raises:
        DataFileError: The file cannot be read or breaks one of these rules (every problem
            listed with its ``$.programme…`` or ``$.target[i]…`` path).
        ValidationError: If ``path`` is not a path.
    """
    file = _path(path)
    source = str(file)
    data = _read(file)
    head = data.get("programme") if isinstance(data, dict) else None
    if not isinstance(head, dict):
        raise DataFileError(
            source, [Problem("$.programme", text("datafiles.targets.programme_table"))]
        )
    head = dict(head)
    try:
        source_document = Text.of(head.pop("source_document", ""))
    except ValueError:
        problem = Problem(
            "$.programme.source_document", text("datafiles.parameters.source_document")
        )
        raise DataFileError(source, [problem]) from None
    try:
        header = structure(head, _Header)
    except ValidationError as exc:
        raise DataFileError(source, exc.prefixed("$.programme").problems) from None
    targets = _structure_targets(data, source)
    problems = _programme_problems(header, source_document, targets)
    if problems:
        raise DataFileError(source, problems)
    return Programme(
        header.document,
        header.title_vi,
        header.title_en,
        header.period,
        header.issued_on,
        header.status,
        header.citation,
        tuple(attrs.evolve(t, national=True) for t in targets),
        source_document,
        header.note_vi,
        header.note_en,
    )


def _programme_problems(
    header: _Header, source_document: Text, targets: list[Target]
) -> list[Problem]:
    # Enums are compared with ==, not `is`: pytest's doctest import mode can load this module
    # twice, and the converter then builds members of the other copy's class.
    problems: list[Problem] = []
    unknown = header.status == ProgrammeStatus.UNKNOWN
    if header.citation.document != header.document:
        problems.append(
            Problem("$.programme.citation.document", text("datafiles.targets.citation_document"))
        )
    if unknown:
        if targets:
            problems.append(Problem("$.target", text("datafiles.targets.unknown_lists_none")))
        if not source_document.vi.strip() or not source_document.en.strip():
            problems.append(
                Problem("$.programme.source_document", text("datafiles.targets.name_document"))
            )
        if header.citation.confidence != Confidence.UNKNOWN:
            problems.append(
                Problem("$.programme.citation.confidence", text("datafiles.targets.unknown_tag"))
            )
        return problems
    if not targets:
        problems.append(Problem("$.target", text("datafiles.targets.known_lists_one")))
    years = Period.parse(header.period)
    for i, t in enumerate(targets):
        where = f"$.target[{i}]"
        if t.indicator not in _INDICATORS and t.indicator not in NOT_FROM_RECORDS:
            problems.append(
                Problem(f"{where}.indicator", text("datafiles.targets.no_indicator"), t.indicator)
            )
        period = t.as_period
        if period.start < years.start or period.end > years.end:
            problems.append(
                Problem(f"{where}.period", text("datafiles.targets.within", period=header.period))
            )
        if t.citation.document != header.document:
            problems.append(
                Problem(
                    f"{where}.citation.document",
                    text("datafiles.targets.document", document=header.document),
                )
            )
        if t.citation.confidence == Confidence.UNKNOWN:
            problems.append(
                Problem(
                    f"{where}.citation.confidence", text("datafiles.targets.valued_not_unknown")
                )
            )
        if t.invented:
            problems.append(Problem(f"{where}.invented", text("datafiles.targets.never_invented")))
        texts = ("label_vi", "label_en", "unit_vi", "unit_en", "counting_vi", "counting_en")
        problems.extend(
            Problem(f"{where}.{name}", text("domain.check.non_empty_text"))
            for name in texts
            if not getattr(t, name).strip()
        )
        if not t.citation.note.strip():
            problems.append(
                Problem(f"{where}.citation.note", text("datafiles.targets.verified_where"))
            )
    return problems


def _shipped_folder() -> Path:
    return Path(str(resources.files("khuyencong") / "data" / "targets"))


@functools.cache
def national_programmes() -> tuple[Programme, ...]:
    """The national programmes the library ships, oldest first, whatever their status.

    >>> [(p.document, p.period, p.status.value) for p in national_programmes()]
    [('1288/QĐ-TTg', '2014-2020', 'partial'), ('1881/QĐ-TTg', '2021-2025', 'partial'), ('2646/QĐ-BCT', '2026-2030', 'unknown')]

    Raises:
        DataFileError: If a shipped file is invalid, or two programmes cover the same year.
    """  # noqa: E501  (a doctest output line cannot be wrapped)
    folder = _shipped_folder()
    programmes = sorted(
        (load_programme(f) for f in sorted(folder.glob("*.toml"))),
        key=lambda p: p.as_period.start,
    )
    for earlier, later in itertools.pairwise(programmes):
        if earlier.as_period.overlaps(later.as_period):
            problem = Problem(
                "$.programme.period",
                text("datafiles.targets.overlaps", document=earlier.document),
                later.period,
            )
            raise DataFileError(str(folder), [problem])
    return tuple(programmes)


def _path(path: object) -> Path:
    args = Arguments()
    args.path(path, "path")
    args.check()
    return Path(path)  # type: ignore[arg-type]  # checked just above


def _as_period(period: str | Period) -> Period:
    """A period given as text or as a Period.

    Raises:
        ValidationError: If it is neither (naming ``period``).
    """
    if isinstance(period, str):
        try:
            return Period.parse(period)
        except ValidationError as exc:
            raise exc.prefixed("$.period") from None
    return expect(period, "period", Period)


def national_targets(period: str | Period | None = None, *, on: dt.date | None = None) -> TargetSet:
    """The national programme's targets for a phase, or for the programme in force on a date.

    ``period`` picks the programme whose years contain it (``"2021-2025"`` is 1881/QĐ-TTg;
    ``"2017-2020"`` falls in 1288/QĐ-TTg) and keeps its targets that overlap the period;
    ``on`` picks the programme whose years contain the date. With neither, ``on`` is today.

    >>> len(national_targets(on=dt.date(2023, 6, 1))), national_targets("2017-2020").source
    (11, '1288/QĐ-TTg')

    Raises:
        NotConfiguredError: The programme's targets are unknown (2026–2030: 2646/QĐ-BCT).
        NotFoundError: No shipped programme covers the period or date.
        ValidationError: Both ``period`` and ``on`` are given, or the period spans two
            programmes (ask for each).
    """
    args = Arguments()
    args.optional_day(on, "on")
    args.check()
    if period is not None and on is not None:
        raise ValidationError.single("$.on", on, text("datafiles.targets.period_or_date"))
    programmes = national_programmes()
    shipped = ", ".join(f"{p.document} ({p.period})" for p in programmes)
    if period is None:
        day = on or dt.date.today()  # noqa: DTZ011  (a calendar date, as the CLI's default)
        for p in programmes:
            if day in p.as_period:
                return p.target_set(day)
        raise NotFoundError(
            "national programme on",
            day.isoformat(),
            Text.message("errors.hint.known", items=shipped),
        )
    asked = _as_period(period)
    for p in programmes:
        years = p.as_period
        if years.start <= asked.start and asked.end <= years.end:
            return TargetSet(p.target_set(asked.start).overlapping(asked), p.document)
    spanned = [p.document for p in programmes if p.as_period.overlaps(asked)]
    if spanned:
        raise ValidationError.single(
            "$.period",
            str(asked),
            text("datafiles.targets.spans", documents=", ".join(spanned)),
        )
    raise NotFoundError(
        "national programme for", str(asked), Text.message("errors.hint.known", items=shipped)
    )


# --- progress --------------------------------------------------------------------------------


@attrs.frozen
class Progress(AsData):
    """Progress of an actual value against a target (IATI).

    Attributes:
        target: The target.
        actual: The actual value.
        raw: ``(actual − baseline) ÷ (target − baseline)``, unclamped; ``None`` when the
            target equals the baseline.
    """

    target: Target
    actual: Fraction
    raw: Fraction | None

    @property
    def clamped(self) -> Fraction | None:
        """The raw progress clamped to 0–1, for display."""
        if self.raw is None:
            return None
        return min(max(self.raw, Fraction(0)), Fraction(1))

    def text(self, lang: Lang | None = None) -> str:
        """The clamped percentage, with the raw one when they differ."""
        shown = format_percent(self.clamped, lang)
        if self.raw is not None and self.raw != self.clamped:
            raw = format_percent(self.raw, lang)
            return text("indicators.progress.raw", lang, shown=shown, raw=raw)
        return shown


def progress(target: Target, actual: int | Fraction | Decimal) -> Progress:
    """Progress of ``actual`` against ``target``: ``(actual − baseline) ÷ (target − baseline)``.

    Raises:
        ValidationError: If ``target`` is not a target or ``actual`` not an exact number.
    """
    args = Arguments()
    args.instance(target, "target", Target)
    args.instance(actual, "actual", int, Fraction, Decimal)
    args.check()
    act = Fraction(actual)
    span = Fraction(target.target) - Fraction(target.baseline)
    raw = None if span == 0 else (act - Fraction(target.baseline)) / span
    return Progress(target, act, raw)


@attrs.frozen
class TargetProgress(AsData):
    """A target measured from records over a period: the result behind it and the progress.

    Attributes:
        target: The target.
        period: The period the records were counted over (the target's period, or its overlap
            with the period asked for).
        result: The indicator computed (with the records behind it); ``None`` when no record
            measures the target.
        progress: The progress; ``None`` when no record measures the target.
    """

    target: Target
    period: Period
    result: IndicatorResult | None = None
    progress: Progress | None = None

    @property
    def actual(self) -> int | None:
        """The actual value, or ``None`` when no record measures the target."""
        if self.result is None:
            return None
        return self.result.value if self.target.key is None else self.result.get(self.target.key)

    @property
    def whole_period(self) -> bool:
        """Whether the records were counted over the target's whole period."""
        return self.period == self.target.as_period

    def reason(self, lang: Lang | None = None) -> str:
        """Why no record measures the target (empty when one does)."""
        if self.result is not None:
            return ""
        code = self.target.indicator
        if code in NOT_FROM_RECORDS:
            return Text(*NOT_FROM_RECORDS[code]).get(lang)
        return text("indicators.progress.no_indicator", lang, code=code)


def _overlap(a: Period, b: Period) -> Period:
    start, end = max(a.start, b.start), min(a.end, b.end)
    whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    return Period.phase(start.year, end.year) if whole_years else Period(start, end)


def progress_of(
    targets: Iterable[Target],
    source: Source,
    *,
    period: str | Period | None = None,
    scope: Filter | None = None,
    drill_down: bool = True,
) -> tuple[TargetProgress, ...]:
    """Measure each target from the records of ``source`` and compute its progress.

    A target is measured by its indicator (:data:`STANDARD_INDICATORS` or
    :data:`PROGRAMME_INDICATORS`) over its period, or over the overlap of its period with
    ``period`` when one is given (targets that do not overlap it are left out). Ratios
    (``coverage[…]``, ``disbursement_rate``…) and :data:`NOT_FROM_RECORDS` codes come back
    unmeasured, with :meth:`TargetProgress.reason`.

    >>> from khuyencong.reports import load_example
    >>> [p] = progress_of(national_targets("2016-2020"), load_example(), period="2017-2020")
    >>> p.target.target, p.actual, str(p.period), p.progress.text("en")
    (Decimal('160'), 6, '2017-2020', '3.8%')

    Args:
        targets: The targets.
        source: Where the records are (a :class:`RecordSet`, a store or a dataset).
        period: Count only within this period.
        scope: A filter every record must also pass (legal forms of a report, …).
        drill_down: Keep the ids of the records behind each result (``False``: figures only,
            faster over a large store).

    Raises:
        ValidationError: If an argument is not what it says (naming it).
    """
    args = Arguments()
    targets = args.each(targets, "targets", Target)
    args.optional(scope, "scope", Filter)
    args.instance(drill_down, "drill_down", bool)
    args.check()
    records = source_for(source)  # read a store once, not once per target
    asked = None if period is None else _as_period(period)
    out = []
    for t in targets:
        span = t.as_period
        if asked is not None:
            if not span.overlaps(asked):
                continue
            span = _overlap(span, asked)
        indicator = _INDICATORS.get(t.indicator)
        if indicator is None:
            out.append(TargetProgress(t, span))
            continue
        result = compute(indicator, records, span, scope=scope, drill_down=drill_down)
        actual = result.value if t.key is None else result.get(t.key)
        out.append(TargetProgress(t, span, result, progress(t, actual)))
    return tuple(out)


def national_progress(
    source: Source,
    period: str | Period | None = None,
    *,
    on: dt.date | None = None,
    scope: Filter | None = None,
) -> tuple[TargetProgress, ...]:
    """Progress of the records of ``source`` against the national programme's targets.

    The records are usually one province's: the figures are then its contribution to the
    national targets, not progress against targets of its own.

    >>> from khuyencong.indicators import RecordSet
    >>> [(p.target.indicator, p.actual) for p in national_progress(RecordSet(), "2021-2025")][:2]
    [('demonstration_transfer_models', 0), ('machines_applied', 0)]

    Raises:
        NotConfiguredError: The programme's targets are unknown (2026–2030: 2646/QĐ-BCT).
        NotFoundError: No shipped programme covers the period or date.
    """
    targets = national_targets(period, on=on)
    return progress_of(targets, source, period=period, scope=scope)
