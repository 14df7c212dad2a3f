"""Indicators with targets and actuals in the IATI results shape: XML and JSON, and back.

The International Aid Transparency Initiative (IATI, https://iatistandard.org) publishes the
results of an activity as ``<result>`` elements of an ``<iati-activity>``: a result has a type
and a title and holds indicators; an indicator has a measure, a title, a baseline and periods;
a period has a start, an end, a target and an actual value. This module turns a centre's
targets (`Target`, read by
`load_targets`) and the computed indicators
(`IndicatorResult`, and `Ratio`
for coverage and the other shares) into `IatiResult` objects, writes them as an XML
fragment (``<result>`` elements, to place in an ``<iati-activity>``) or as JSON, and reads
both back.

What was verified in the standard, and where:

- Element and attribute names, order and cardinality were read in the IATI 2.03 activity
  schema, ``iati-activities-schema.xsd`` of the ``IATI/IATI-Schemas`` repository (release
  2.03, 2018-02-19): ``result`` requires ``@type``, one ``title`` and at least one
  ``indicator``; ``indicator`` requires ``@measure``, has an optional boolean ``@ascending``,
  one ``title``, then ``reference`` (``@vocabulary`` and ``@code`` required), ``baseline``
  (``@year`` required, a positive integer; ``@value`` "must be included for non-qualitative
  measures") and ``period``; ``period`` requires ``period-start`` and ``period-end``, each with
  a required ``@iso-date``, then ``target`` and ``actual`` with ``@value``; ``baseline``,
  ``target`` and ``actual`` may hold ``dimension`` (``@name``, ``@value``) and ``comment``.
- Codes come from the IATI codelists: ``IndicatorMeasure`` (``1`` Unit, ``2`` Percentage;
  ``xml/IndicatorMeasure.xml`` of ``IATI/IATI-Codelists``), ``ResultType`` (``1`` Output,
  ``2`` Outcome, ``3`` Impact, ``9`` Other; ``xml/ResultType.xml``) and
  ``IndicatorVocabulary`` (``99`` Reporting Organisation; ``xml/IndicatorVocabulary.xml`` of
  ``IATI/IATI-Codelists-NonEmbedded``).
- Not verified: the 2.03 definition of ``title`` and ``narrative`` (the stored
  ``iati-common.xsd`` is an older release). Titles follow the 2.x practice of one
  ``<narrative xml:lang="…">`` per language.

Choices that are ours (the khuyencong profile of the standard), made explicit:

- Every title has a Vietnamese and an English narrative (``xml:lang="vi"`` and ``"en"``).
- The indicator code (``establishments_supported``) is kept as a ``reference`` with
  vocabulary ``99`` (the reporting organisation's own), so that a reader can rebuild it.
- A target on one part of a breakdown (``awarded_products`` at ``province`` level) carries a
  ``dimension`` named ``key`` on its baseline, target and actual.
- Counts are measured in units (``1``); ratios (coverage, disbursement rate, counterpart ratio,
  sector mix) in percentage (``2``), written in percent: a target of ``0.5`` becomes ``50``;
  an actual share is rounded half-even to `PERCENT_PLACES` places.
- The baseline year is the first year of the target's period (``Target`` has no year of its
  own); a target's citation becomes the ``comment`` of the target, marked when the target is
  invented.
- IATI has no JSON form of activities; the JSON written here mirrors the XML element by
  element (see `result_to_iati`).

A round trip loses nothing: for any results this module writes, reading the file gives results
that write the same file again.

>>> from khuyencong.domain import Period
>>> from khuyencong.indicators import compute_standard, coverage, load_targets
>>> from khuyencong.reports import example_path, load_example, load_report_config
>>> data, config = load_example(), load_report_config(example_path())
>>> phase = Period.phase(2017, 2020)
>>> results = compute_standard(data, phase, scope=config.scope)
>>> communes = coverage(data, phase, level="commune", map_id="2021-11", within="24",
...                     scope=config.scope)
>>> targets = load_targets(example_path() / "targets.toml")   # invented targets
>>> result = iati_result(targets.for_period(phase), results, ratios=[communes.share],
...                      title_vi="Kết quả khuyến công 2017–2020",
...                      title_en="Industrial promotion results 2017–2020")
>>> [(i.code, i.key, i.periods[0].target, i.periods[0].actual) for i in result.indicators]
... # doctest: +NORMALIZE_WHITESPACE
[('establishments_supported', None, Decimal('60'), Decimal('52')),
 ('fair_participations', None, Decimal('90'), Decimal('100')),
 ('management_trainees', None, Decimal('200'), Decimal('150')),
 ('awarded_products', 'province', Decimal('15'), Decimal('12')),
 ('coverage[commune]', None, Decimal('50.0'), Decimal('21.05'))]
>>> xml = dumps([result])
>>> print(xml.splitlines()[0])
<result type="1">
>>> loads(xml) == [result] and dumps(loads(xml)) == xml
True

The module has the four verbs of every exchange format module: `loads` and `dumps` for text,
`read` and `write` for files and streams, each taking ``fmt="xml"`` (the default) or
``fmt="json"``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import attrs

from khuyencong._arguments import Arguments, CheckedEnum, expect
from khuyencong._files import write_text
from khuyencong.converters import parse_json
from khuyencong.domain import Lang
from khuyencong.exceptions import FileFormatError, Problem, ValidationError
from khuyencong.exchange._formats import (
    Readable,
    Writable,
    load_source,
    load_text,
    resolve_format,
)
from khuyencong.indicators import (
    STANDARD_INDICATORS,
    IndicatorResult,
    Ratio,
    Target,
    key_label,
)
from khuyencong.messages import resolve_language, text

__all__ = [
    "FORMATS",
    "IATI_VERSION",
    "INDICATOR_VOCABULARY",
    "KEY_DIMENSION",
    "PERCENT_PLACES",
    "IatiIndicator",
    "IatiPeriod",
    "IatiResult",
    "IndicatorMeasure",
    "ResultType",
    "dumps",
    "iati_result",
    "iati_result_problems",
    "loads",
    "read",
    "result_to_iati",
    "write",
]

FORMATS = ("xml", "json")
"""The formats results are written in: IATI's XML, and JSON mirroring it element by element."""

IATI_VERSION = "2.03"
"""The version of the IATI standard whose result elements this module writes."""

INDICATOR_VOCABULARY = "99"
"""``IndicatorVocabulary`` code of the indicator ``reference``: 99, the reporting organisation."""

KEY_DIMENSION = "key"
"""``dimension/@name`` that carries the breakdown key of a target on one part."""

PERCENT_PLACES = 2
"""Decimal places of a percentage actual (rounded half-even)."""

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANGS: tuple[Lang, ...] = ("vi", "en")


class ResultType(CheckedEnum):
    """IATI ``ResultType`` codelist: what kind of result is reported."""

    OUTPUT = "1"
    OUTCOME = "2"
    IMPACT = "3"
    OTHER = "9"

    def label(self, lang: Lang | None = None) -> str:
        """The type's name in ``lang`` (the language in force by default)."""
        return text(f"exchange.iati.result_type.{self.value}", lang)


class IndicatorMeasure(CheckedEnum):
    """IATI ``IndicatorMeasure`` codelist, the two quantitative measures khuyencong writes."""

    UNIT = "1"
    PERCENTAGE = "2"

    def label(self, lang: Lang | None = None) -> str:
        """The measure's name in ``lang`` (the language in force by default)."""
        return text(f"exchange.iati.measure.{self.value}", lang)


def _nfc(value: object) -> object:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


def _nfc_optional(value: object) -> object:
    value = _nfc(value)
    return None if value == "" else value


def _periods(items: Iterable[IatiPeriod]) -> tuple[IatiPeriod, ...]:
    args = Arguments()
    periods: tuple[IatiPeriod, ...] = args.each(items, "periods", IatiPeriod)
    args.check()
    return periods


def _indicators(items: Iterable[IatiIndicator]) -> tuple[IatiIndicator, ...]:
    args = Arguments()
    indicators: tuple[IatiIndicator, ...] = args.each(items, "indicators", IatiIndicator)
    args.check()
    return indicators


@attrs.frozen
class IatiPeriod:
    """One reporting period of an indicator, with its target and actual values.

    Attributes:
        start: The first day of the period (``period-start/@iso-date``).
        end: The last day of the period (``period-end/@iso-date``).
        target: The target value, in the indicator's measure (percent for percentages).
        actual: The actual value, if known.
        target_comment: The target's citation, written as the target's ``comment`` (only
            with a target).

    Raises:
        ValidationError: If there is a comment without a target.
    """

    start: dt.date
    end: dt.date
    target: Decimal | None = None
    actual: Decimal | None = None
    target_comment: str | None = attrs.field(default=None, converter=_nfc_optional)

    def __attrs_post_init__(self) -> None:
        if self.target is None and self.target_comment is not None:
            raise ValidationError.single(
                "$.target_comment",
                self.target_comment,
                text("exchange.iati.comment_without_target"),
            )


@attrs.frozen
class IatiIndicator:
    """One IATI indicator: a khuyencong indicator code, its titles, baseline and periods.

    Attributes:
        code: The khuyencong indicator code (``reference`` of vocabulary 99).
        title_vi: The Vietnamese title.
        title_en: The English title.
        measure: Unit (counts, đồng) or percentage (shares).
        baseline_year: The year the baseline was taken.
        baseline: The baseline value, in the indicator's measure.
        periods: The reporting periods, in order.
        key: The breakdown key when the indicator is one part (``province``), else ``None``.
        ascending: ``True`` when more is better (every standard indicator).
    """

    code: str = attrs.field(converter=_nfc)
    title_vi: str = attrs.field(converter=_nfc)
    title_en: str = attrs.field(converter=_nfc)
    measure: IndicatorMeasure
    baseline_year: int
    baseline: Decimal
    periods: tuple[IatiPeriod, ...] = attrs.field(default=(), converter=_periods)
    key: str | None = attrs.field(default=None, converter=_nfc_optional)
    ascending: bool = True

    def title(self, lang: Lang | None = None) -> str:
        """The title in ``lang`` (the language in force by default)."""
        return {"vi": self.title_vi, "en": self.title_en}[resolve_language(lang)]


@attrs.frozen
class IatiResult:
    """One IATI result: a titled set of indicators.

    Attributes:
        title_vi: The Vietnamese title.
        title_en: The English title.
        indicators: The indicators, in order.
        type: The IATI result type (output by default: counts of support delivered).
    """

    title_vi: str = attrs.field(converter=_nfc)
    title_en: str = attrs.field(converter=_nfc)
    indicators: tuple[IatiIndicator, ...] = attrs.field(converter=_indicators)
    type: ResultType = ResultType.OUTPUT

    def title(self, lang: Lang | None = None) -> str:
        """The title in ``lang`` (the language in force by default)."""
        return {"vi": self.title_vi, "en": self.title_en}[resolve_language(lang)]


# --- building results from targets and indicators -------------------------------------------


def _percent(value: Fraction | Decimal) -> Decimal:
    """A ratio in percent, rounded half-even to `PERCENT_PLACES` places."""
    exact = Fraction(value) * 100
    quotient = Decimal(exact.numerator) / Decimal(exact.denominator)
    return quotient.quantize(Decimal(1).scaleb(-PERCENT_PLACES), rounding=ROUND_HALF_EVEN)


def _key_titles(result: IndicatorResult, key: str) -> tuple[str, str]:
    for row in result.rows:
        if row.key == (key,):
            return ", ".join(row.labels_vi), ", ".join(row.labels_en)
    if result.by:
        return key_label(result.by[0], key, "vi"), key_label(result.by[0], key, "en")
    return key, key


def _comment(target: Target) -> str:
    document = target.citation.document
    if target.invented:
        return f"Chỉ tiêu giả định (invented target): {document}"
    return document


def iati_result(
    targets: Iterable[Target],
    results: Mapping[str, IndicatorResult],
    *,
    ratios: Iterable[Ratio] = (),
    title_vi: str,
    title_en: str,
    result_type: ResultType = ResultType.OUTPUT,
) -> IatiResult:
    """One IATI result with an indicator per target, its actual taken from computed indicators.

    A target of a counted indicator (``establishments_supported``, or ``awarded_products`` with
    the key ``province``) takes its actual from ``results`` (the total, or the figure of its
    key) and is measured in units. A target of a ratio (``coverage[commune]``,
    ``disbursement_rate``…) takes it from the `Ratio` of the same
    code in ``ratios`` and is measured in percent. Targets of the same indicator and key over
    several periods become periods of one indicator. A target whose actual is not found keeps
    no actual; a target of an unknown indicator has no title, which writing reports.

    Args:
        targets: The targets, e.g. ``load_targets(path).for_period(phase)``.
        results: Computed indicators by code, e.g. from
            `compute_standard`.
        ratios: Shares the targets may refer to (``coverage(...).share``,
            ``disbursement_rate(...)``).
        title_vi: The result's Vietnamese title.
        title_en: The result's English title.
        result_type: The IATI result type.

    Returns:
        The result, ready for `dumps` or `write`.

    Raises:
        ValidationError: If ``targets``, ``results`` or ``ratios`` are not what they say.
    """
    args = Arguments()
    targets = args.each(targets, "targets", Target)
    args.instance(results, "results", Mapping)
    ratios = args.each(ratios, "ratios", Ratio)
    args.check()
    by_ratio = {r.code: r for r in ratios}
    indicators: dict[tuple[str, str | None], IatiIndicator] = {}
    for t in targets:
        period = t.as_period
        ratio = by_ratio.get(t.indicator)
        actual: Decimal | None = None
        if ratio is not None:
            measure = IndicatorMeasure.PERCENTAGE
            title_pair = (ratio.label_vi, ratio.label_en)
            actual = None if ratio.value is None else _percent(ratio.value)
            target_value, baseline = t.target * 100, t.baseline * 100
        else:
            measure = IndicatorMeasure.UNIT
            target_value, baseline = t.target, t.baseline
            computed = results.get(t.indicator)
            definition = STANDARD_INDICATORS.get(t.indicator)
            if computed is not None:
                title_pair = (computed.indicator.label_vi, computed.indicator.label_en)
                actual = Decimal(computed.value if t.key is None else computed.get(t.key))
                if t.key is not None:
                    vi, en = _key_titles(computed, t.key)
                    title_pair = (f"{title_pair[0]} ({vi})", f"{title_pair[1]} ({en})")
            elif definition is not None:
                title_pair = (definition.label_vi, definition.label_en)
            else:
                title_pair = ("", "")
        iati_period = IatiPeriod(period.start, period.end, target_value, actual, _comment(t))
        ident = (t.indicator, t.key)
        if ident in indicators:
            existing = indicators[ident]
            indicators[ident] = attrs.evolve(existing, periods=(*existing.periods, iati_period))
        else:
            indicators[ident] = IatiIndicator(
                code=t.indicator,
                title_vi=title_pair[0],
                title_en=title_pair[1],
                measure=measure,
                baseline_year=period.start.year,
                baseline=baseline,
                periods=(iati_period,),
                key=t.key,
            )
    return IatiResult(title_vi, title_en, tuple(indicators.values()), result_type)


# --- IatiResult → IATI data (the JSON form, element by element) ------------------------------


def _number(value: Decimal) -> str:
    """A value as IATI text: integers without a point, others without trailing zeros.

    Written from the decimal itself, never through ``int``, which cannot print a number of
    more than 4,300 digits.
    """
    if value == value.to_integral_value():
        return format(value.to_integral_value(), "f")
    return format(value.normalize(), "f")


def _narratives(vi: str, en: str) -> dict[str, Any]:
    return {"narrative": [{"xml:lang": "vi", "text": vi}, {"xml:lang": "en", "text": en}]}


def _dimension(key: str | None) -> dict[str, Any]:
    return {} if key is None else {"dimension": [{"name": KEY_DIMENSION, "value": key}]}


def _period(period: IatiPeriod, key: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "period-start": {"iso-date": period.start.isoformat()},
        "period-end": {"iso-date": period.end.isoformat()},
    }
    if period.target is not None:
        target: dict[str, Any] = {"value": _number(period.target), **_dimension(key)}
        if period.target_comment is not None:
            target["comment"] = {"narrative": [{"xml:lang": "vi", "text": period.target_comment}]}
        data["target"] = [target]
    if period.actual is not None:
        data["actual"] = [{"value": _number(period.actual), **_dimension(key)}]
    return data


def _indicator(indicator: IatiIndicator) -> dict[str, Any]:
    return {
        "measure": indicator.measure.value,
        "ascending": "1" if indicator.ascending else "0",
        "title": _narratives(indicator.title_vi, indicator.title_en),
        "reference": [{"vocabulary": INDICATOR_VOCABULARY, "code": indicator.code}],
        "baseline": [
            {
                "year": str(indicator.baseline_year),
                "value": _number(indicator.baseline),
                **_dimension(indicator.key),
            }
        ],
        "period": [_period(p, indicator.key) for p in indicator.periods],
    }


def result_to_iati(result: IatiResult) -> dict[str, Any]:
    """One result as IATI data: the JSON form of its ``<result>`` element.

    The JSON mirrors the XML element by element: an attribute is a key with a text value
    (``"type": "1"``, ``"xml:lang": "vi"``); a child element that the standard allows once is
    an object (``"title"``, ``"period-start"``, ``"comment"``); a child element that may repeat
    is a list (``"narrative"``, ``"indicator"``, ``"reference"``, ``"baseline"``, ``"period"``,
    ``"target"``, ``"actual"``, ``"dimension"``); the text of a narrative is ``"text"``. Keys
    are in the schema's order. Values stay text, as in the XML.

    >>> from decimal import Decimal
    >>> ind = IatiIndicator("trainees", "Học viên", "Trainees", IndicatorMeasure.UNIT, 2021,
    ...                     Decimal(0))
    >>> data = result_to_iati(IatiResult("Kết quả", "Results", [ind]))
    >>> data["type"], data["indicator"][0]["baseline"]
    ('1', [{'year': '2021', 'value': '0'}])

    Raises:
        ValidationError: If ``result`` is not an :class:`IatiResult`.
    """
    expect(result, "result", IatiResult)
    return {
        "type": result.type.value,
        "title": _narratives(result.title_vi, result.title_en),
        "indicator": [_indicator(i) for i in result.indicators],
    }


# --- validation of IATI data (before writing, and when reading) -------------------------------

# Element → (attributes, children allowed once, children that repeat), in schema order.
_SHAPES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "result": (("type",), ("title",), ("indicator",)),
    "title": ((), (), ("narrative",)),
    "comment": ((), (), ("narrative",)),
    "narrative": (("xml:lang", "text"), (), ()),
    "indicator": (("measure", "ascending"), ("title",), ("reference", "baseline", "period")),
    "reference": (("vocabulary", "code"), (), ()),
    "baseline": (("year", "value"), (), ("dimension",)),
    "period": ((), ("period-start", "period-end"), ("target", "actual")),
    "period-start": (("iso-date",), (), ()),
    "period-end": (("iso-date",), (), ()),
    "target": (("value",), ("comment",), ("dimension",)),
    "actual": (("value",), (), ("dimension",)),
    "dimension": (("name", "value"), (), ()),
}
_ONCE = {child for _a, once, _r in _SHAPES.values() for child in once}


class _Checker:
    """Collects every problem of IATI data with its ``$.path``."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, value: object = None) -> None:
        self.problems.append(Problem(path, message, value))

    def shape(self, name: str, data: object, path: str) -> Mapping[str, Any] | None:
        """Check that ``data`` is an object with known keys of the right kinds."""
        if not isinstance(data, Mapping):
            self.add(path, text("exchange.iati.element_object", name=name), data)
            return None
        attributes, once, repeated = _SHAPES[name]
        for key in data:
            if key in attributes:
                if not isinstance(data[key], str):
                    self.add(f"{path}.{key}", text("exchange.iati.attribute_text"), data[key])
            elif key in once:
                if not isinstance(data[key], Mapping):
                    self.add(f"{path}.{key}", text("exchange.iati.once_object"), data[key])
            elif key in repeated:
                items = data[key]
                if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
                    self.add(f"{path}.{key}", text("exchange.iati.repeated_list"), items)
            else:
                self.add(f"{path}.{key}", text("exchange.iati.unread"))
        return data

    def text(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(f"{path}.{key}", text("converters.missing_field"))
            return None
        return value if isinstance(value, str) else None

    def items(self, data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        value = data.get(key)
        if isinstance(value, list):
            return [i for i in value if isinstance(i, Mapping)]
        return []

    def one(self, data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any] | None:
        """The single item of a repeatable element our profile writes once."""
        items = self.items(data, key)
        if len(items) != 1:
            self.add(f"{path}.{key}", text("exchange.iati.exactly_one", element=key), len(items))
            return None
        return items[0]

    def number(self, data: Mapping[str, Any], key: str, path: str) -> None:
        written = self.text(data, key, path)
        if written is not None and _parse_number(written) is None:
            self.add(f"{path}.{key}", text("exchange.iati.number"), written)

    def date(self, data: Mapping[str, Any], element: str, path: str) -> dt.date | None:
        item = data.get(element)
        if not isinstance(item, Mapping):
            self.add(f"{path}.{element}", text("converters.missing_field"))
            return None
        self.shape(element, item, f"{path}.{element}")
        written = self.text(item, "iso-date", f"{path}.{element}")
        if written is None:
            return None
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", written) and _is_date(written):
            return dt.date.fromisoformat(written)
        self.add(f"{path}.{element}.iso-date", text("exchange.iati.date"), written)
        return None

    def titles(self, data: Mapping[str, Any], element: str, path: str) -> None:
        title = data.get(element)
        if not isinstance(title, Mapping):
            self.add(f"{path}.{element}", text("exchange.iati.titles"))
            return
        self.shape(element, title, f"{path}.{element}")
        narratives = self.items(title, "narrative")
        for j, n in enumerate(narratives):
            self.shape("narrative", n, f"{path}.{element}.narrative[{j}]")
        langs = [n.get("xml:lang") for n in narratives]
        for lang in _LANGS:
            found = [n for n in narratives if n.get("xml:lang") == lang]
            if not found or not isinstance(found[0].get("text"), str) or not found[0]["text"]:
                self.add(
                    f"{path}.{element}.narrative",
                    text("exchange.iati.narrative", lang=lang),
                )
        for extra in sorted({str(x) for x in langs if langs.count(x) > 1 or x not in _LANGS}):
            self.add(f"{path}.{element}.narrative", text("exchange.iati.one_narrative"), extra)

    def key_of(self, data: Mapping[str, Any], path: str) -> str | None:
        dims = self.items(data, "dimension")
        for j, d in enumerate(dims):
            self.shape("dimension", d, f"{path}.dimension[{j}]")
            if d.get("name") != KEY_DIMENSION:
                self.add(
                    f"{path}.dimension[{j}].name",
                    text("exchange.iati.dimension_name", name=KEY_DIMENSION),
                )
            self.text(d, "value", f"{path}.dimension[{j}]")
        if len(dims) > 1:
            self.add(f"{path}.dimension", text("exchange.iati.one_dimension"), len(dims))
        value = dims[0].get("value") if dims else None
        return value if isinstance(value, str) else None


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _parse_number(text: str) -> Decimal | None:
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text.strip()):
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def iati_result_problems(data: Mapping[str, Any], path: str = "$.result[0]") -> list[Problem]:
    """Every problem of one result in IATI data (`result_to_iati`'s shape).

    Checks what IATI 2.03 requires of a result — ``@type``; a ``title``; at least one
    ``indicator``, each with ``@measure``, a ``title``, a ``baseline`` with ``@year`` and a
    numeric ``@value``, and periods with ``period-start`` and ``period-end`` dates and numeric
    target and actual values — and what the khuyencong profile adds: titles in Vietnamese and
    English, one ``reference`` of vocabulary 99 with the indicator code, codes from the
    codelists, a period that does not end before it starts, and the same breakdown key on the
    baseline, targets and actuals.

    Args:
        data: One result as IATI data.
        path: Where the result is, for the problems' paths.

    Returns:
        Every problem, each with its path; empty when the result is complete.

    >>> [p.path for p in iati_result_problems({"title": {"narrative": []}})][:3]
    ['$.result[0].type', '$.result[0].title.narrative', '$.result[0].title.narrative']
    """
    c = _Checker()
    result = c.shape("result", data, path)
    if result is None:
        return c.problems
    kind = c.text(result, "type", path)
    if kind is not None and kind not in {t.value for t in ResultType}:
        allowed = ", ".join(t.value for t in ResultType)
        c.add(f"{path}.type", text("exchange.iati.result_type_code", allowed=allowed), kind)
    c.titles(result, "title", path)
    indicators = c.items(result, "indicator")
    if not indicators:
        c.add(f"{path}.indicator", text("exchange.iati.no_indicator"))
    for i, ind in enumerate(indicators):
        _indicator_problems(c, ind, f"{path}.indicator[{i}]")
    return c.problems


def _indicator_problems(c: _Checker, data: Mapping[str, Any], path: str) -> None:
    if c.shape("indicator", data, path) is None:
        return
    measure = c.text(data, "measure", path)
    if measure is not None and measure not in {m.value for m in IndicatorMeasure}:
        c.add(f"{path}.measure", text("exchange.iati.measure_code"), measure)
    ascending = data.get("ascending")
    if ascending is not None and ascending not in ("0", "1", "true", "false"):
        c.add(f"{path}.ascending", text("exchange.iati.boolean"), ascending)
    c.titles(data, "title", path)
    reference = c.one(data, "reference", path)
    if reference is not None:
        at = f"{path}.reference[0]"
        c.shape("reference", reference, at)
        vocabulary = c.text(reference, "vocabulary", at)
        if vocabulary is not None and vocabulary != INDICATOR_VOCABULARY:
            c.add(
                f"{at}.vocabulary",
                text("exchange.iati.vocabulary", vocabulary=INDICATOR_VOCABULARY),
            )
        c.text(reference, "code", at)
    baseline = c.one(data, "baseline", path)
    key = None
    if baseline is not None:
        at = f"{path}.baseline[0]"
        c.shape("baseline", baseline, at)
        year = c.text(baseline, "year", at)
        if year is not None and (not re.fullmatch(r"[0-9]{4}", year) or int(year) < 1):
            c.add(f"{at}.year", text("exchange.iati.year"), year)
        c.number(baseline, "value", at)
        key = c.key_of(baseline, at)
    for j, period in enumerate(c.items(data, "period")):
        at = f"{path}.period[{j}]"
        c.shape("period", period, at)
        start = c.date(period, "period-start", at)
        end = c.date(period, "period-end", at)
        if start is not None and end is not None and end < start:
            c.add(f"{at}.period-end.iso-date", text("exchange.iati.period_order"), end.isoformat())
        for element in ("target", "actual"):
            values = c.items(period, element)
            if len(values) > 1:
                c.add(
                    f"{at}.{element}",
                    text("exchange.iati.at_most_one", element=element),
                    len(values),
                )
            for k, item in enumerate(values):
                where = f"{at}.{element}[{k}]"
                c.shape(element, item, where)
                c.number(item, "value", where)
                if c.key_of(item, where) != key:
                    c.add(f"{where}.dimension", text("exchange.iati.key_differs"))
                comment = item.get("comment")
                if isinstance(comment, Mapping):
                    c.shape("comment", comment, f"{where}.comment")
                    for n, narrative in enumerate(c.items(comment, "narrative")):
                        c.shape("narrative", narrative, f"{where}.comment.narrative[{n}]")
                        c.text(narrative, "text", f"{where}.comment.narrative[{n}]")


def _package(results: Sequence[IatiResult]) -> dict[str, Any]:
    if not results:
        raise ValidationError.single("$.result", [], text("exchange.iati.no_result"))
    items = [result_to_iati(r) for r in results]
    problems = [p for i, r in enumerate(items) for p in iati_result_problems(r, f"$.result[{i}]")]
    if problems:
        raise ValidationError(problems)
    return {"iati-version": IATI_VERSION, "result": items}


# --- writing ---------------------------------------------------------------------------------


def _json_text(results: Sequence[IatiResult]) -> str:
    return json.dumps(_package(results), ensure_ascii=False, indent=2) + "\n"


def _element(name: str, data: Mapping[str, Any]) -> ET.Element:
    element = ET.Element(name)
    attributes, _once, _repeated = _SHAPES[name]
    for key in attributes:
        if key == "text":
            continue
        if key in data:
            element.set(_XML_LANG if key == "xml:lang" else key, data[key])
    if "text" in data:
        element.text = data["text"]
    # Children in the data's order, which result_to_iati makes the schema's order.
    for key in (k for k in data if k not in attributes):
        value = data[key]
        for item in value if isinstance(value, list) else [value]:
            element.append(_element(key, item))
    return element


def _xml_text(results: Sequence[IatiResult]) -> str:
    package = _package(results)
    parts = []
    for item in package["result"]:
        element = _element("result", item)
        ET.indent(element)
        parts.append(ET.tostring(element, encoding="unicode"))
    return "\n".join(parts) + "\n"


def dumps(results: Sequence[IatiResult], *, fmt: str = "xml") -> str:
    """The results as IATI text: an XML fragment (one ``<result>`` element each, to place in
    an activity) or JSON (``{"iati-version": "2.03", "result": [...]}``, indented).

    The XML fragment has no XML declaration and no root: paste it into an ``<iati-activity>``
    after its ``conditions`` (IATI 2.03 order), or read it back with `loads`. Each item of the
    JSON ``result`` list is `result_to_iati` of one result.

    Args:
        results: The results, at least one.
        fmt: ``"xml"`` or ``"json"``.

    Raises:
        ValidationError: If there is no result, or a required element is missing (every
            missing piece listed with its path), or ``fmt`` is not one of `FORMATS`, or
            ``results`` are not results.
    """
    args = Arguments()
    results = args.each(results, "results", IatiResult)
    args.check()
    if resolve_format(fmt, None, FORMATS, "xml") == "json":
        return _json_text(results)
    return _xml_text(results)


def write(results: Sequence[IatiResult], target: Writable, *, fmt: str | None = None) -> None:
    """Write the results as an IATI file (UTF-8), after validating them all.

    Args:
        results: The results, at least one.
        target: A path, or an open text stream.
        fmt: ``"xml"`` or ``"json"``; by default the path's suffix, or XML for a stream.

    Raises:
        ValidationError: Before anything is written, if a result is incomplete.
        FileWriteError: If the file cannot be written.
    """
    chosen = resolve_format(fmt, target, FORMATS, "xml")
    write_text(target, dumps(results, fmt=chosen))


# --- reading ---------------------------------------------------------------------------------


def _parse_result(data: Mapping[str, Any]) -> IatiResult:
    """A result from IATI data that `iati_result_problems` found complete."""

    def title(element: Mapping[str, Any], lang: str) -> str:
        narratives = element["title"]["narrative"]
        return str(next(n["text"] for n in narratives if n["xml:lang"] == lang))

    def value(items: list[Mapping[str, Any]] | None) -> Decimal | None:
        return Decimal(items[0]["value"]) if items else None

    indicators = []
    for ind in data["indicator"]:
        baseline = ind["baseline"][0]
        dims = baseline.get("dimension") or []
        periods = []
        for p in ind.get("period", []):
            targets = p.get("target") or []
            comment = targets[0].get("comment") if targets else None
            periods.append(
                IatiPeriod(
                    start=dt.date.fromisoformat(p["period-start"]["iso-date"]),
                    end=dt.date.fromisoformat(p["period-end"]["iso-date"]),
                    target=value(targets),
                    actual=value(p.get("actual")),
                    target_comment=(
                        " ".join(n["text"] for n in comment.get("narrative", []))
                        if comment
                        else None
                    ),
                )
            )
        indicators.append(
            IatiIndicator(
                code=ind["reference"][0]["code"],
                title_vi=title(ind, "vi"),
                title_en=title(ind, "en"),
                measure=IndicatorMeasure(ind["measure"]),
                baseline_year=int(baseline["year"]),
                baseline=Decimal(baseline["value"]),
                periods=tuple(periods),
                key=dims[0]["value"] if dims else None,
                ascending=ind.get("ascending", "1") in ("1", "true"),
            )
        )
    return IatiResult(
        title(data, "vi"), title(data, "en"), tuple(indicators), ResultType(data["type"])
    )


def _parse_results(items: Sequence[object]) -> list[IatiResult]:
    if not items:
        raise ValidationError.single("$.result", [], text("exchange.iati.no_result"))
    problems: list[Problem] = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems.append(Problem(f"$.result[{i}]", text("exchange.iati.result_object"), item))
        else:
            problems.extend(iati_result_problems(item, f"$.result[{i}]"))
    if problems:
        raise ValidationError(problems)
    return [_parse_result(item) for item in items if isinstance(item, Mapping)]


def _from_json(document: str | bytes, source: str) -> list[IatiResult]:
    data = parse_json(document, source=source)
    if not isinstance(data, dict) or not isinstance(data.get("result"), list):
        raise ValidationError.single(
            "$.result", None, text("exchange.iati.package", version=IATI_VERSION)
        )
    problems = [
        Problem(f"$.{k}", "unknown field; remove it or check its spelling")
        for k in sorted(set(data) - {"iati-version", "result"})
    ]
    if data.get("iati-version") != IATI_VERSION:
        problems.append(
            Problem(
                "$.iati-version",
                text("exchange.iati.version", version=IATI_VERSION),
                data.get("iati-version"),
            )
        )
    if problems:
        raise ValidationError(problems)
    return _parse_results(data["result"])


def _tag(element: ET.Element) -> str:
    return "xml:lang" if element.tag == _XML_LANG else str(element.tag)


_MAX_DEPTH = 16
"""The deepest XML element read (a result is six levels deep; an activity file adds two)."""


def _data(
    element: ET.Element, path: str, problems: list[Problem], depth: int = 0
) -> dict[str, Any]:
    """An XML element as IATI data (the JSON form), noting elements that appear twice."""
    if depth > _MAX_DEPTH:
        raise _TooDeepError
    data: dict[str, Any] = {}
    for key, value in element.attrib.items():
        data["xml:lang" if key == _XML_LANG else key] = value
    if element.text is not None and element.text.strip() and len(element) == 0:
        data["text"] = element.text
    for child in element:
        name = _tag(child)
        if name in _ONCE:
            if name in data:
                problems.append(Problem(f"{path}.{name}", text("exchange.iati.once")))
            data[name] = _data(child, f"{path}.{name}", problems, depth + 1)
        else:
            items = data.setdefault(name, [])
            if isinstance(items, list):
                items.append(_data(child, f"{path}.{name}[{len(items)}]", problems, depth + 1))
    return data


class _TooDeepError(Exception):
    """XML nested deeper than any IATI result."""


_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY")


def _from_xml(document: str | bytes, source: str) -> list[IatiResult]:
    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = text("exchange.xml.not_utf8", offset=exc.start)
            raise FileFormatError.at(source, "$", message) from None
    body = re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", document)
    if _DOCTYPE.search(body):
        # IATI files have no DTD; one can declare entities that expand without bound.
        raise FileFormatError.at(source, "$", text("exchange.xml.doctype"))
    try:
        # No DTD reaches the parser (refused above), so no entity can be declared or expanded.
        root = ET.fromstring(f"<khuyencong-fragment>{body}</khuyencong-fragment>")  # noqa: S314
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        message = text("exchange.xml.invalid", reason=reason, line=line, column=column)
        raise FileFormatError.at(source, "$", message) from None
    found: list[ET.Element] = []
    problems: list[Problem] = []
    for child in root:
        activities = [child] if child.tag == "iati-activity" else list(child)
        if child.tag == "result":
            found.append(child)
        elif child.tag in ("iati-activity", "iati-activities"):
            found.extend(
                r for a in activities if a.tag == "iati-activity" for r in a.findall("result")
            )
        else:
            problems.append(Problem("$", text("exchange.iati.expected_elements"), child.tag))
    if problems:
        raise ValidationError(problems)
    try:
        items = [_data(r, f"$.result[{i}]", problems) for i, r in enumerate(found)]
    except _TooDeepError:
        message = text("exchange.xml.too_deep", depth=_MAX_DEPTH)
        raise FileFormatError.at(source, "$", message) from None
    if problems:
        raise ValidationError(problems)
    return _parse_results(items)


def loads(document: str | bytes, *, fmt: str = "xml") -> list[IatiResult]:
    """Results from IATI text: XML (the fragment `dumps` writes, or an IATI activity file) or
    the JSON `dumps` writes.

    In XML, ``<result>`` elements are read at the top of the fragment, or inside each
    ``<iati-activity>`` (of an ``<iati-activities>`` file); the activity's other elements are
    not read. Problems have the same ``$.result[i]…`` paths in both formats: ``result[i]`` is
    the i-th result of the text, counted from 0.

    Raises:
        FileFormatError: If the text cannot be read at all: not UTF-8, not well-formed, a
            document type declaration, nested deeper than any result, not JSON.
        ValidationError: Listing every problem, each with its path.
    """
    return load_text(_READERS, document, fmt)


def read(source: Readable, *, fmt: str | None = None) -> list[IatiResult]:
    """Results from an IATI file or stream; see `loads`.

    Args:
        source: A path, or an open text or binary stream.
        fmt: ``"xml"`` or ``"json"``; by default the path's suffix, or XML for a stream.

    Raises:
        FileFormatError: If the file cannot be read at all.
        ValidationError: Listing every problem.
        OSError: If the file cannot be opened.
    """
    return load_source(_READERS, source, fmt)


_READERS = {"xml": _from_xml, "json": _from_json}
