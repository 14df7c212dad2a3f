"""Dated legal parameters: the values of the law, read from cited data files.

Every rate, cap, threshold, member minimum, pass mark, ladder and deadline the rules use is a
*parameter*: a name (``support.national.machinery.cap``) with a timeline of dated entries, each
with its citation and confidence tag. An entry tagged ``?`` carries no value: asking for it
raises :class:`~khuyencong.exceptions.NotConfiguredError` naming the document that should
supply it. Asking on a date outside every entry raises
:class:`~khuyencong.exceptions.CoverageError`.

The one loader, :func:`load_parameters`, reads the TOML files shipped in
``khuyencong/data/legal/`` (or any given), and refuses unknown names, wrong types, overlapping
date ranges and gaps, listing every problem with its file and ``$.path``.

>>> import datetime as dt
>>> params = load_parameters()
>>> params.value("support.national.machinery.cap", dt.date(2018, 5, 10))
200000000
>>> params.value("support.national.machinery.cap", dt.date(2018, 5, 11))
300000000
>>> params.entry("support.national.machinery.cap", dt.date(2018, 5, 11)).citation.text("en")
'28/2018/TT-BTC, Art. 8(4) [V]'
>>> unknown = parse_parameter_file(
...     {"document": {"number": "X/2030/TT-BTC", "effective_from": dt.date(2030, 1, 1)},
...      "values": [{"parameter": "award.pass_mark", "confidence": "?", "article": "8"}]},
...     "x.toml")
>>> unknown[0].get(dt.date(2030, 1, 1))
Traceback (most recent call last):
khuyencong.exceptions.NotConfiguredError: tham số “award.pass_mark” chưa được cấu hình cho ngày 01/01/2030: giá trị phải lấy từ Điều 8, X/2030/TT-BTC; hãy nạp bộ quy định bổ sung (overlay) có giá trị này
"""  # noqa: E501  (a doctest output line cannot be wrapped)

from __future__ import annotations

import datetime as dt
import functools
import itertools
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from khuyencong.domain import Citation, Confidence, million, parse_rate
from khuyencong.exceptions import CoverageError, DataFileError, NotConfiguredError, Problem
from khuyencong.messages import LANGS, Text, text
from khuyencong.rules._catalogue import CATALOGUE, ParameterSpec, as_text, spec_for

__all__ = [
    "DerivedCap",
    "Parameter",
    "ParameterEntry",
    "ParameterSet",
    "legal_data_files",
    "load_parameters",
    "parse_parameter_file",
]

_ONE_DAY = dt.timedelta(days=1)


@attrs.frozen
class DerivedCap:
    """A cap defined as a multiple of another content's cap (the technology line's 1.5 ×).

    Attributes:
        factor: The multiple.
        of: The content whose cap (same fund and date) is multiplied.
    """

    factor: Decimal
    of: str


@attrs.frozen
class ParameterEntry:
    """One dated value of a parameter, with its citation.

    Attributes:
        parameter: The parameter's dotted name.
        start: The first day the value applies.
        end: The last day it applies, ``None`` while in force.
        value: The value (``None`` for an uncapped cap, or when not configured).
        configured: ``False`` for a ``?`` entry: no value is known.
        citation: Document, article, clause, point, dates, confidence and a note on what was
            verified where.
        source_document: For a ``?`` entry, the document that should supply the value, in both
            languages (a data file writes a plain string, or a table with ``vi`` and ``en``).
        origin: The file (or overlay label) the entry was read from.
    """

    parameter: str
    start: dt.date
    end: dt.date | None
    value: Any
    configured: bool
    citation: Citation
    source_document: Text = attrs.field(default=Text("", ""), converter=as_text)
    origin: str = ""

    def covers(self, on: dt.date) -> bool:
        """Whether the entry applies on ``on``."""
        return self.start <= on and (self.end is None or on <= self.end)

    @property
    def confidence(self) -> Confidence:
        """The confidence tag of the value."""
        return self.citation.confidence

    def get(self, on: dt.date) -> Any:
        """The value, or raise :class:`NotConfiguredError` for a ``?`` entry."""
        if not self.configured:
            raise NotConfiguredError(
                self.parameter, on, self.source_document or self.citation.document
            )
        return self.value


_UNKNOWN_NAME = {
    "vi": "không có văn bản nào: tham số này không có trong danh mục",
    "en": "no document: the name is unknown",
}


def _period_text(start: dt.date, end: dt.date | None) -> str:
    return f"{start.isoformat()} to {end.isoformat() if end else 'open end'}"


def _period_said(start: dt.date, end: dt.date | None) -> str:
    """A period in the reader's words, with ISO dates as the data files write them."""
    if end is None:
        return text("errors.period.open", start=start.isoformat())
    return text("errors.period.closed", start=start.isoformat(), end=end.isoformat())


@attrs.frozen
class Parameter:
    """A parameter's timeline: entries in date order, without overlaps or gaps.

    Attributes:
        name: The dotted name.
        entries: The dated entries, oldest first.
    """

    name: str
    entries: tuple[ParameterEntry, ...]

    @property
    def spec(self) -> ParameterSpec | None:
        """What the catalogue says about the parameter."""
        return spec_for(self.name)

    @property
    def coverage(self) -> str:
        """The covered period as text, e.g. ``2014-04-08 to open end``."""
        if not self.entries:
            return "no date"
        return _period_text(self.entries[0].start, self.entries[-1].end)

    def entry_at(self, on: dt.date) -> ParameterEntry:
        """The entry in force on ``on``.

        Raises:
            CoverageError: If no entry covers ``on``.
        """
        for entry in self.entries:
            if entry.covers(on):
                return entry
        raise CoverageError(self.name, on, self.coverage)

    def value_at(self, on: dt.date) -> Any:
        """The value on ``on``.

        Raises:
            CoverageError: If no entry covers ``on``.
            NotConfiguredError: If the entry on ``on`` is a ``?``.
        """
        return self.entry_at(on).get(on)


class ParameterSet(Mapping[str, Parameter]):
    """Parameters by name: a validated, immutable collection of timelines.

    Build one with :func:`load_parameters`; compose with :meth:`layered`.
    """

    __slots__ = ("_params",)

    def __init__(self, params: Mapping[str, Parameter]) -> None:
        self._params: dict[str, Parameter] = dict(params)

    def __getitem__(self, name: str) -> Parameter:
        return self._params[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def __repr__(self) -> str:
        return f"<ParameterSet of {len(self._params)} parameters>"

    def entry(self, name: str, on: dt.date) -> ParameterEntry:
        """The entry of ``name`` in force on ``on``.

        Raises:
            NotConfiguredError: If no file configures ``name`` at all.
            CoverageError: If ``name`` has no entry on ``on``.
        """
        param = self._params.get(name)
        if param is None:
            spec = spec_for(name)
            source = spec.missing_source if spec else Text.of(_UNKNOWN_NAME)
            raise NotConfiguredError(name, on, source)
        return param.entry_at(on)

    def value(self, name: str, on: dt.date) -> Any:
        """The value of ``name`` on ``on``.

        Raises:
            NotConfiguredError: If it is unknown ([?]) on that date or configured nowhere.
            CoverageError: If the date is outside its coverage.
        """
        return self.entry(name, on).get(on)

    def layered(self, entries: Iterable[ParameterEntry], *, source: str) -> ParameterSet:
        """A new set where ``entries`` replace the existing values on their own dates.

        Existing entries are cut around each new entry's period; the result is validated
        again (types, overlaps, gaps).

        Raises:
            DataFileError: If the result is invalid.
        """
        by_name: dict[str, list[ParameterEntry]] = {}
        for entry in entries:
            by_name.setdefault(entry.parameter, []).append(entry)
        merged = {name: list(p.entries) for name, p in self._params.items()}
        for name, new in by_name.items():
            kept = merged.get(name, [])
            for entry in new:
                kept = [piece for old in kept for piece in _cut(old, entry.start, entry.end)]
            merged[name] = kept + new
        return _build(merged, source)


def _cut(old: ParameterEntry, start: dt.date, end: dt.date | None) -> list[ParameterEntry]:
    """The parts of ``old`` outside ``[start, end]``."""
    pieces: list[ParameterEntry] = []
    if old.start < start:
        new_end = start - _ONE_DAY
        pieces.append(attrs.evolve(old, end=new_end if old.end is None else min(old.end, new_end)))
    if end is not None and (old.end is None or old.end > end):
        pieces.append(attrs.evolve(old, start=max(old.start, end + _ONE_DAY)))
    return pieces


def _build(by_name: Mapping[str, list[ParameterEntry]], source: str) -> ParameterSet:
    problems: list[Problem] = []
    params: dict[str, Parameter] = {}
    for name in sorted(by_name):
        entries = sorted(by_name[name], key=lambda e: e.start)
        for prev, nxt in itertools.pairwise(entries):
            where = f"$.{name}"
            if prev.end is None or nxt.start <= prev.end:
                problems.append(
                    Problem(
                        where,
                        text(
                            "datafiles.parameters.overlap",
                            first=_period_said(prev.start, prev.end),
                            first_file=prev.origin,
                            second=_period_said(nxt.start, nxt.end),
                            second_file=nxt.origin,
                        ),
                    )
                )
            elif nxt.start - prev.end > _ONE_DAY:
                problems.append(
                    Problem(
                        where,
                        text(
                            "datafiles.parameters.gap",
                            end=prev.end.isoformat(),
                            end_file=prev.origin,
                            start=nxt.start.isoformat(),
                            start_file=nxt.origin,
                        ),
                    )
                )
        if entries:
            params[name] = Parameter(name, tuple(entries))
    if problems:
        raise DataFileError(source, problems)
    return ParameterSet(params)


# ---------------------------------------------------------------------------------------------
# Reading files


def _check_value(spec: ParameterSpec, raw: object, path: str, problems: list[Problem]) -> Any:
    """Convert a TOML value to the spec's type, recording a problem if it does not fit."""
    kind = spec.type
    try:
        if kind == "text" and isinstance(raw, str):
            return raw
        if kind == "text_list" and isinstance(raw, list) and all(isinstance(x, str) for x in raw):
            return tuple(raw)
        if kind == "int" and isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if (
            kind == "int_list"
            and isinstance(raw, list)
            and all(isinstance(x, int) and not isinstance(x, bool) for x in raw)
        ):
            return tuple(raw)
        if kind == "bool" and isinstance(raw, bool):
            return raw
        if kind in ("rate", "decimal") and isinstance(raw, str):
            value = parse_rate(raw)
            if value < 0 or (kind == "rate" and value > 1):
                problems.append(Problem(path, text("datafiles.parameters.rate_range"), raw))
                return None
            return value
        if kind == "money" and isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
            return raw
        if kind == "month_day" and isinstance(raw, str):
            month, day = (int(x) for x in raw.split("-"))
            dt.date(2000, month, day)  # validates, leap-year safe
            return (month, day)
    except (ValueError, InvalidOperation, TypeError):
        pass
    message = text(
        "datafiles.parameters.wrong_type",
        kind=text(f"datafiles.parameters.type.{kind}"),
        name=spec.name,
    )
    problems.append(Problem(path, message, raw))
    return None


_VALUE_KEYS = frozenset(
    {
        "parameter",
        "value",
        "value_million",
        "document",
        "article",
        "clause",
        "point",
        "effective_from",
        "effective_to",
        "confidence",
        "note",
        "source_document",
    }
)
_SUPPORT_KEYS = frozenset(
    {
        "content",
        "fund",
        "rate",
        "cap_million",
        "cap_factor",
        "cap_of",
        "per",
        "document",
        "article",
        "clause",
        "point",
        "effective_from",
        "effective_to",
        "confidence",
        "note",
        "source_document",
    }
)
_DOCUMENT_KEYS = frozenset(
    {"number", "title", "signed_on", "effective_from", "effective_to", "confidence"}
)
_FILE_KEYS = frozenset(
    {
        "document",
        "values",
        "support",
        "overlay",
        "city_grades",
        "ward_conversions",
        "craft_villages",
    }
)


def _date_or_none(raw: object, path: str, problems: list[Problem]) -> dt.date | None:
    if raw is None:
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    problems.append(Problem(path, text("datafiles.parameters.toml_date"), raw))
    return None


def _confidence(raw: object, path: str, problems: list[Problem]) -> Confidence:
    try:
        return Confidence(str(raw))
    except ValueError:
        problems.append(Problem(path, text("datafiles.parameters.confidence"), raw))
        return Confidence.UNKNOWN


def _unknown_keys(
    table: Mapping[str, object], allowed: frozenset[str], path: str, problems: list[Problem]
) -> None:
    problems.extend(
        Problem(f"{path}.{k}", text("converters.unknown_field"), k)
        for k in sorted(table)
        if k not in allowed
    )


@attrs.frozen
class _Defaults:
    document: str
    start: dt.date | None
    end: dt.date | None
    confidence: Confidence


def _entry(  # noqa: PLR0917  (private, called from two readers)
    raw: Mapping[str, Any],
    name: str,
    value_raw: object,
    has_value: bool,
    defaults: _Defaults,
    path: str,
    origin: str,
    problems: list[Problem],
) -> ParameterEntry | None:
    spec = spec_for(name)
    if spec is None:
        problems.append(
            Problem(f"{path}.parameter", text("datafiles.parameters.unknown_parameter"), name)
        )
        return None
    confidence = (
        _confidence(raw["confidence"], f"{path}.confidence", problems)
        if "confidence" in raw
        else defaults.confidence
    )
    start = _date_or_none(raw.get("effective_from"), f"{path}.effective_from", problems)
    end = _date_or_none(raw.get("effective_to"), f"{path}.effective_to", problems)
    start = start or defaults.start
    end = end if "effective_to" in raw else defaults.end
    if start is None:
        problems.append(Problem(f"{path}.effective_from", text("datafiles.parameters.no_start")))
        return None
    if end is not None and end < start:
        problems.append(
            Problem(
                f"{path}.effective_to",
                text("datafiles.parameters.ends_before_start"),
                end.isoformat(),
            )
        )
        return None
    configured = confidence is not Confidence.UNKNOWN
    value: Any = None
    if configured and not has_value:
        problems.append(
            Problem(path, text("datafiles.parameters.needs_value", confidence=confidence.value))
        )
        return None
    if not configured and has_value:
        problems.append(Problem(path, text("datafiles.parameters.unknown_has_value")))
        return None
    if configured:
        value = value_raw
        if not isinstance(value_raw, _Ready):
            value = _check_value(spec, value_raw, f"{path}.value", problems)
        else:
            value = value_raw.value
    document = str(raw.get("document", defaults.document))
    try:
        citation = Citation(
            document=document,
            article=str(raw.get("article", "")),
            clause=str(raw.get("clause", "")),
            point=str(raw.get("point", "")),
            effective_from=start,
            effective_to=end,
            confidence=confidence,
            note=str(raw.get("note", "")),
        )
    except ValueError as exc:
        problems.append(Problem(path, text("datafiles.parameters.bad_citation", reason=exc)))
        return None
    source = _source_text(raw.get("source_document", ""), path, problems)
    if not source:
        source = Text(
            *(
                text(
                    "domain.citation.body",
                    lang,
                    where=text("domain.citation.article", lang, article=citation.article),
                    document=document,
                )
                if citation.article
                else document
                for lang in LANGS
            )
        )
    return ParameterEntry(name, start, end, value, configured, citation, source, origin)


def _source_text(raw: object, path: str, problems: list[Problem]) -> Text:
    """``source_document`` of a data file: a string, or a table with ``vi`` and ``en``."""
    try:
        if isinstance(raw, str | Mapping):
            return Text.of(raw)
    except ValueError:
        pass
    problems.append(
        Problem(f"{path}.source_document", text("datafiles.parameters.source_document"), raw)
    )
    return Text("", "")


@attrs.frozen
class _Ready:
    """A value already converted (support shorthand), skipping the type check."""

    value: Any


def _support_entries(
    raw: Mapping[str, Any], defaults: _Defaults, path: str, origin: str, problems: list[Problem]
) -> list[ParameterEntry]:
    _unknown_keys(raw, _SUPPORT_KEYS, path, problems)
    contents = raw.get("content")
    if isinstance(contents, str):
        contents = [contents]
    if not isinstance(contents, list) or not contents:
        problems.append(
            Problem(f"{path}.content", text("datafiles.parameters.support_content"), contents)
        )
        return []
    fund = raw.get("fund", "national")
    unknown = str(raw.get("confidence", defaults.confidence.value)) == "?"
    fields: dict[str, object] = {}
    if not unknown:
        rate = raw.get("rate")
        rate_value: Any = None
        if isinstance(rate, str):
            rate_value = _check_value(
                CATALOGUE["support.national.machinery.rate"], rate, f"{path}.rate", problems
            )
        else:
            problems.append(
                Problem(f"{path}.rate", text("datafiles.parameters.support_rate"), rate)
            )
        cap: Any = None
        if "cap_factor" in raw:
            factor, of = raw.get("cap_factor"), raw.get("cap_of")
            if not isinstance(factor, str) or not isinstance(of, str):
                problems.append(
                    Problem(f"{path}.cap_factor", text("datafiles.parameters.cap_factor"))
                )
            else:
                cap = DerivedCap(parse_rate(factor), of)
        elif raw.get("cap_million") == "none":
            cap = None
        elif isinstance(raw.get("cap_million"), int) and not isinstance(raw["cap_million"], bool):
            cap = million(raw["cap_million"])
        else:
            problems.append(
                Problem(
                    f"{path}.cap_million",
                    text("datafiles.parameters.cap_million"),
                    raw.get("cap_million"),
                )
            )
        per = raw.get("per", "unit")
        fields = {"rate": _Ready(rate_value), "cap": _Ready(cap), "per": _Ready(str(per))}
    entries: list[ParameterEntry] = []
    for content in contents:
        for field in ("rate", "cap", "per"):
            name = f"support.{fund}.{content}.{field}"
            entry = _entry(
                raw, name, fields.get(field), not unknown, defaults, path, origin, problems
            )
            if entry is not None:
                entries.append(entry)
    return entries


def parse_parameter_file(data: Mapping[str, Any], source: str) -> list[ParameterEntry]:
    """The entries of one parsed TOML document (not yet checked for overlaps and gaps).

    Args:
        data: The parsed TOML.
        source: The file name, for error messages and provenance.

    Raises:
        DataFileError: Listing every problem of the file.

    >>> entries = parse_parameter_file(
    ...     {"document": {"number": "X/2030", "effective_from": dt.date(2030, 1, 1)},
    ...      "values": [{"parameter": "award.pass_mark", "value": 75}]}, "x.toml")
    >>> entries[0].value, entries[0].citation.document
    (75, 'X/2030')
    """
    problems: list[Problem] = []
    _unknown_keys(data, _FILE_KEYS, "$", problems)
    doc = data.get("document")
    if not isinstance(doc, dict) or not isinstance(doc.get("number"), str):
        raise DataFileError(
            source, [Problem("$.document.number", text("datafiles.parameters.document_number"))]
        )
    _unknown_keys(doc, _DOCUMENT_KEYS, "$.document", problems)
    defaults = _Defaults(
        document=doc["number"],
        start=_date_or_none(doc.get("effective_from"), "$.document.effective_from", problems),
        end=_date_or_none(doc.get("effective_to"), "$.document.effective_to", problems),
        confidence=_confidence(doc.get("confidence", "V"), "$.document.confidence", problems),
    )
    entries: list[ParameterEntry] = []
    for i, raw in enumerate(data.get("values", [])):
        path = f"$.values[{i}]"
        if not isinstance(raw, dict):
            problems.append(Problem(path, text("datafiles.parameters.table")))
            continue
        _unknown_keys(raw, _VALUE_KEYS, path, problems)
        name = raw.get("parameter")
        if not isinstance(name, str):
            problems.append(Problem(f"{path}.parameter", text("converters.missing_field")))
            continue
        has_value = "value" in raw or "value_million" in raw
        value_raw: object = raw.get("value")
        if "value_million" in raw:
            vm = raw["value_million"]
            if isinstance(vm, int) and not isinstance(vm, bool):
                value_raw = million(vm)
            else:
                problems.append(
                    Problem(
                        f"{path}.value_million", text("datafiles.parameters.whole_millions"), vm
                    )
                )
                continue
        entry = _entry(raw, name, value_raw, has_value, defaults, path, source, problems)
        if entry is not None:
            entries.append(entry)
    for i, raw in enumerate(data.get("support", [])):
        entries.extend(_support_entries(raw, defaults, f"$.support[{i}]", source, problems))
    if problems:
        raise DataFileError(source, problems)
    return entries


def read_toml(path: Path | str, text: str | None = None) -> dict[str, Any]:
    """Parse a TOML file, raising :class:`DataFileError` on a syntax error."""
    try:
        if text is None:
            text = Path(path).read_text(encoding="utf-8")
        return tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(
            str(path), [Problem("$", Text.message("errors.unreadable_file", reason=exc).get())]
        ) from exc


def legal_data_files() -> list[Path]:
    """The shipped legal data files (one per document), sorted by name."""
    folder = Path(str(resources.files("khuyencong") / "data" / "legal"))
    return sorted(folder.glob("*.toml"))


def load_parameters(paths: Iterable[Path | str] | None = None) -> ParameterSet:
    """Read, validate and combine legal data files into one :class:`ParameterSet`.

    Args:
        paths: The files; by default the ones shipped in ``khuyencong/data/legal/``.

    Returns:
        The validated parameters.

    Raises:
        DataFileError: Naming the file and every problem (types, unknown names, overlapping
            periods, gaps).

    >>> len(load_parameters()) > 100
    True
    """
    if paths is None:
        return _shipped()
    return _load(tuple(Path(p) for p in paths))


@functools.cache
def _shipped() -> ParameterSet:
    return _load(tuple(legal_data_files()))


def _load(paths: tuple[Path, ...]) -> ParameterSet:
    by_name: dict[str, list[ParameterEntry]] = {}
    errors: list[DataFileError] = []
    for path in paths:
        try:
            for entry in parse_parameter_file(read_toml(path), path.name):
                by_name.setdefault(entry.parameter, []).append(entry)
        except DataFileError as exc:
            errors.append(exc)
    if errors:
        if len(errors) == 1:
            raise errors[0]
        problems = [
            Problem(f"{e.source}:{p.path}", p.message, p.value) for e in errors for p in e.problems
        ]
        raise DataFileError(text("datafiles.legal_files"), problems)
    return _build(by_name, text("datafiles.legal_files"))
