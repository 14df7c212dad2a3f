"""Provincial overlays shipped with the package, and the one call that loads a province's rules.

Each file in ``khuyencong/data/legal/overlays/`` is one provincial document (a People's
Committee decision or a People's Council resolution) setting local-fund levels, in the shape of
the national legal files plus an ``[overlay]`` table saying which province issued it: its code
on which map. A document governs the territory of the province that issued it, as that province
was when it issued it. After the merger of provinces on 1 July 2025 the document of a former
province stays in force in that former territory until the merged province replaces it (Luật
Ban hành văn bản quy phạm pháp luật 64/2025/QH15 Điều 54.2, as amended by Luật 87/2025/QH15).

:func:`for_province` takes a province code of any of the three maps and returns the national
rules with every shipped document that governs the *whole* of that province layered on, in date
order. A document that governs only *part* of it (a former province inside a merged one) is
never applied to the rest: its values become ``?`` entries naming the document and the call
that selects the part, so a lookup says which territory to choose instead of borrowing one
province's levels for another's territory.

>>> import datetime as dt
>>> from khuyencong.domain import Fund, SupportContent, million
>>> from khuyencong.rules._support import support_amount
>>> hoa_binh = for_province("17")  # an old code: Hòa Bình, merged into Phú Thọ in 2025
>>> support_amount(SupportContent.DEMONSTRATION_MODEL, million(5000), dt.date(2021, 3, 1),
...                rules=hoa_binh, fund=Fund.LOCAL).amount
1000000000
>>> [(p.code, p.map_id.value, p.name) for p in provinces()][:2]
[('17', '2021-11', 'Hòa Bình'), ('24', '2021-11', 'Bắc Giang')]
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from khuyencong._data import AsData
from khuyencong.domain import Confidence, SupportContent, format_date
from khuyencong.exceptions import DataFileError, NotFoundError, Problem, UnitMappingError
from khuyencong.messages import LANGS, Lang, Text, text
from khuyencong.rules._arguments import Arguments
from khuyencong.rules._parameters import DerivedCap, ParameterEntry, parse_parameter_file, read_toml
from khuyencong.rules._rulesets import RuleSet
from khuyencong.units import (
    AdminUnit,
    MapId,
    UnitLevel,
    UnitRef,
    fold,
    former_provinces,
    load_map,
    map_for,
    province_to_reform,
)

__all__ = [
    "LocalLevel",
    "ProvinceOverlays",
    "ProvincialDocument",
    "for_province",
    "for_unit",
    "provinces",
    "provincial_overlay_files",
]

_OLD_MAPS = (MapId.MAP_2021, MapId.MAP_2025)
_OVERLAY_KEYS = frozenset(
    {"name", "province", "map_id", "province_name", "issuer", "sources", "amends", "example"}
)
_ONE_DAY = dt.timedelta(days=1)


@attrs.frozen
class LocalLevel:
    """One local-fund level a provincial document sets.

    Attributes:
        content: The support content.
        rate: The share of the eligible cost.
        cap: The cap per unit in đồng, ``None`` when uncapped, or a multiple of another cap.
        per: The unit the cap applies to.
        confidence: The tag of the level ([V], [V2], [U]).
        effective_from: The first day of the level.
        effective_to: The last day, ``None`` while in force.
    """

    content: SupportContent
    rate: Decimal
    cap: int | DerivedCap | None
    per: str
    confidence: Confidence
    effective_from: dt.date
    effective_to: dt.date | None


@attrs.frozen
class ProvincialDocument:
    """One shipped provincial document: who issued it, where and when it governs, what it sets.

    Attributes:
        number: The document's number (e.g. ``734/2014/QĐ-UBND``).
        title: Its title.
        issuer: The People's Committee or People's Council that issued it.
        province_code: The issuing province's code on :attr:`map_id`.
        province_name: The issuing province's name.
        map_id: The map the code belongs to.
        territory: The codes (2021 map) of the former provinces whose territory it governs.
        signed_on: The signing date, if read.
        effective_from: The first day it applies.
        effective_to: The last day, ``None`` while in force.
        confidence: The tag of the document's dates and scope.
        amends: The document it amends, if any.
        levels: The local-fund levels it sets.
        unknown: The parameters it leaves unknown ([?]): each raises ``NotConfiguredError``
            naming the document.
        other_values: Parameters other than local-fund levels it sets.
        sources: The public sources read for it (URLs).
        file: The overlay file's name.
        craft_villages: The craft villages it recognises (names), for the location test of
            235/2025 (a recognition decision sets no level).
    """

    number: str
    title: str
    issuer: str
    province_code: str
    province_name: str
    map_id: MapId
    territory: frozenset[str]
    signed_on: dt.date | None
    effective_from: dt.date
    effective_to: dt.date | None
    confidence: Confidence
    amends: str
    levels: tuple[LocalLevel, ...]
    unknown: tuple[str, ...]
    other_values: tuple[str, ...]
    sources: tuple[str, ...]
    file: str
    craft_villages: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        """The shipped overlay file."""
        return _overlay_folder() / self.file

    def in_force(self, on: dt.date) -> bool:
        """Whether the document applies on ``on`` (in its own territory)."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def summary(self, lang: Lang | None = None) -> str:
        """One line: number, dates, tag and what it sets.

        >>> doc = next(d for p in provinces() for d in p.documents if d.number == "30/2019/QĐ-UBND")
        >>> print(doc.summary("en"))
        30/2019/QĐ-UBND (amends 734/2014/QĐ-UBND), from 2020-01-10 [U]: sets Technical demonstration model (new technology or product); Application of advanced machinery; Technology transfer; 105 values unknown
        """  # noqa: E501
        end = f" – {format_date(self.effective_to, lang)}" if self.effective_to else ""
        ordered = sorted({lv.content.value for lv in self.levels}, key=_content_order)
        contents = "; ".join(SupportContent(c).label(lang) for c in ordered)
        villages = len(self.craft_villages)
        amends = text("explain.document.amends", lang, number=self.amends) if self.amends else ""
        head = text(
            "explain.document.head",
            lang,
            number=self.number,
            amends=amends,
            start=format_date(self.effective_from, lang),
            end=end,
            tag=self.confidence.value,
        )
        if villages and not (self.levels or self.unknown):
            plural = "one" if villages == 1 else "other"
            return text(f"explain.document.villages.{plural}", lang, head=head, count=villages)
        sets = (
            text("explain.document.sets", lang, contents=contents)
            if contents
            else text("explain.document.sets_nothing", lang)
        )
        return text(
            "explain.document.summary", lang, head=head, sets=sets, unknown=len(self.unknown)
        )


@attrs.frozen
class ProvinceOverlays(AsData):
    """The shipped documents of one issuing province.

    ``to_data()`` writes them as JSON-ready data, ``from_data()`` reads them back.

    Attributes:
        code: The province's code on :attr:`map_id`.
        map_id: The map (a former province is on the 2021 map; a merged one on the reform map).
        name: The province's name.
        territory: The codes (2021 map) of the former provinces it covers.
        now_part_of: The post-reform province it is (or became part of): code and name.
        documents: Its shipped documents, oldest first.
    """

    code: str
    map_id: MapId
    name: str
    territory: frozenset[str]
    now_part_of: tuple[str, str]
    documents: tuple[ProvincialDocument, ...]

    def summary(self, lang: Lang | None = None) -> str:
        """The province and its documents, one per line.

        >>> print(next(p for p in provinces() if p.code == "17").summary("en"))
        Hòa Bình (17, three-level map of November 2021; now part of Phú Thọ, 25):
          - 20/2019/QĐ-UBND, from 2020-01-01 – 2025-12-31 [U]: sets Founding a rural industrial enterprise; Technical demonstration model (new technology or product); Demonstration model of an existing establishment, for replication; Cleaner production pilot; 102 values unknown
        """  # noqa: E501
        new_code, new_name = self.now_part_of
        merged = self.map_id in _OLD_MAPS
        where = text("explain.document.now_part_of", lang, name=new_name, code=new_code)
        where = where if merged else ""
        head = f"{self.name} ({self.code}, {self.map_id.label(lang)}{where}):"
        return "\n".join([head, *(f"  - {d.summary(lang)}" for d in self.documents)])


def _content_order(value: str) -> int:
    return list(SupportContent).index(SupportContent(value))


def _overlay_folder() -> Path:
    return Path(str(resources.files("khuyencong") / "data" / "legal" / "overlays"))


def provincial_overlay_files() -> list[Path]:
    """The shipped provincial overlay files, sorted by name (the invented example excluded)."""
    return [
        p
        for p in sorted(_overlay_folder().glob("*.toml"))
        if not read_toml(p).get("overlay", {}).get("example", False)
    ]


@functools.cache
def _reform_territory(code: str) -> frozenset[str]:
    """The 2021-map codes of the former provinces that form post-reform province ``code``."""
    return frozenset(
        p.code
        for p in load_map(MapId.MAP_2021).provinces()
        if province_to_reform(p.code).code == code
    )


def _territory(code: str, map_id: MapId) -> frozenset[str]:
    return _reform_territory(code) if map_id is MapId.MAP_REFORM else frozenset({code})


def _province_on(map_id: MapId, code: str) -> AdminUnit | None:
    units = load_map(map_id)
    if code not in units:
        return None
    unit = units.get(code)
    return unit if unit.level is UnitLevel.PROVINCE else None


def _levels(entries: Iterable[ParameterEntry]) -> tuple[LocalLevel, ...]:
    fields: dict[tuple[str, dt.date], dict[str, ParameterEntry]] = {}
    for e in entries:
        parts = e.parameter.split(".")
        if e.configured and parts[:2] == ["support", "local"] and len(parts) == 4:
            fields.setdefault((parts[2], e.start), {})[parts[3]] = e
    levels = []
    for (content, start), by_field in fields.items():
        if {"rate", "cap", "per"} <= set(by_field):
            rate = by_field["rate"]
            levels.append(
                LocalLevel(
                    SupportContent(content),
                    rate.value,
                    by_field["cap"].value,
                    by_field["per"].value,
                    rate.confidence,
                    start,
                    rate.end,
                )
            )
    return tuple(sorted(levels, key=lambda lv: (lv.effective_from, _content_order(lv.content))))


def _document(path: Path) -> ProvincialDocument:
    data = read_toml(path)
    entries = parse_parameter_file(data, path.name)
    overlay = data.get("overlay")
    problems: list[Problem] = []
    if not isinstance(overlay, dict):
        raise DataFileError(path.name, [Problem("$.overlay", text("datafiles.overlay.missing"))])
    problems.extend(
        Problem(f"$.overlay.{k}", text("converters.unknown_field"), k)
        for k in sorted(overlay)
        if k not in _OVERLAY_KEYS
    )
    code, name = overlay.get("province"), overlay.get("province_name")
    try:
        map_id = MapId(str(overlay.get("map_id")))
    except ValueError:
        problems.append(
            Problem("$.overlay.map_id", text("datafiles.overlay.map_id"), overlay.get("map_id"))
        )
        map_id = MapId.MAP_2021
    unit = _province_on(map_id, code) if isinstance(code, str) else None
    if unit is None:
        problems.append(
            Problem(
                "$.overlay.province", text("datafiles.overlay.province", map_id=map_id.value), code
            )
        )
    elif not isinstance(name, str) or fold(name) != fold(unit.name):
        problems.append(
            Problem(
                "$.overlay.province_name",
                text("datafiles.overlay.province_name", name=unit.name),
                name,
            )
        )
    sources = overlay.get("sources", [])
    if not isinstance(sources, list) or not all(
        isinstance(s, str) and s.startswith(("http://", "https://")) for s in sources
    ):
        problems.append(Problem("$.overlay.sources", text("datafiles.overlay.sources"), sources))
    if problems:
        raise DataFileError(path.name, problems)
    doc = data["document"]
    return ProvincialDocument(
        number=doc["number"],
        title=str(doc.get("title", "")),
        issuer=str(overlay.get("issuer", "")),
        province_code=str(code),
        province_name=str(name),
        map_id=map_id,
        territory=_territory(str(code), map_id),
        signed_on=doc.get("signed_on"),
        effective_from=doc["effective_from"],
        effective_to=doc.get("effective_to"),
        confidence=Confidence(doc.get("confidence", "V")),
        amends=str(overlay.get("amends", "")),
        craft_villages=tuple(str(v.get("name", "")) for v in data.get("craft_villages", [])),
        levels=_levels(entries),
        unknown=tuple(sorted({e.parameter for e in entries if not e.configured})),
        other_values=tuple(
            sorted(
                {
                    e.parameter
                    for e in entries
                    if e.configured and not e.parameter.startswith("support.local.")
                }
            )
        ),
        sources=tuple(sources),
        file=path.name,
    )


@functools.cache
def _documents() -> tuple[ProvincialDocument, ...]:
    docs = [_document(p) for p in provincial_overlay_files()]
    return tuple(sorted(docs, key=lambda d: (d.effective_from, d.file)))


def provinces() -> tuple[ProvinceOverlays, ...]:
    """Which provinces ship which documents: one record per issuing province, by code.

    Returns:
        The provinces, each with its documents (numbers, dates, tags, levels set, unknowns).

    Raises:
        DataFileError: If a shipped overlay is invalid.

    >>> [(p.name, [d.number for d in p.documents]) for p in provinces()][1]
    ('Bắc Giang', ['1491/QĐ-UBND', '734/2014/QĐ-UBND', '30/2019/QĐ-UBND'])
    """
    groups: dict[tuple[str, MapId], list[ProvincialDocument]] = {}
    for doc in _documents():
        groups.setdefault((doc.province_code, doc.map_id), []).append(doc)
    records = []
    for (code, map_id), docs in groups.items():
        new = province_to_reform(code) if map_id in _OLD_MAPS else load_map(map_id).get(code)
        records.append(
            ProvinceOverlays(
                code,
                map_id,
                docs[0].province_name,
                docs[0].territory,
                (new.code, new.name),
                tuple(docs),
            )
        )
    return tuple(sorted(records, key=lambda p: (p.code, p.map_id.value)))


def _shipping() -> str:
    return "; ".join(
        f"{p.name} ({p.code}, {p.map_id.value}): {', '.join(d.number for d in p.documents)}"
        for p in provinces()
    )


def _resolve(code: str, on: dt.date | None, map_id: MapId | str | None) -> AdminUnit:
    if map_id is not None:
        try:
            wanted = MapId(map_id)
        except ValueError:
            known = ", ".join(m.value for m in MapId)
            hint = Text.message("errors.hint.known", items=known)
            raise NotFoundError("map", map_id, hint) from None
        unit = _province_on(wanted, code)
        if unit is None:
            raise NotFoundError(
                "province",
                code,
                Text.message(
                    "rules.hint.not_a_province_of", map=Text(wanted.label_vi, wanted.label_en)
                ),
            )
        return unit
    preferred = map_for(on) if on is not None else MapId.MAP_REFORM
    order = [preferred, *(m for m in (MapId.MAP_REFORM, *_OLD_MAPS) if m is not preferred)]
    for candidate in order:
        unit = _province_on(candidate, code)
        if unit is not None:
            return unit
    raise NotFoundError(
        "province",
        code,
        Text.message("rules.hint.not_a_province"),
    )


def for_province(
    code: str, on: dt.date | None = None, *, map_id: MapId | str | None = None
) -> RuleSet:
    """The national rules with the shipped documents of one province layered on.

    Args:
        code: A province code of the 2021, July 2025 or post-reform map (``"24"``).
        on: A date, used only to choose the map when ``code`` exists on several (``"24"`` is
            Bắc Giang on the old maps and the merged Bắc Ninh on the post-reform map): the map
            in force on that date. Without ``on`` or ``map_id``, today's (post-reform) map is
            tried first, then the old maps.
        map_id: The map ``code`` belongs to, to say it outright.

    Returns:
        A rule set for the province's territory. Its first overlay makes every value the
        province's documents set unknown (``?``) outside their periods, naming the documents
        that ship. Documents governing the whole territory are then layered in date order (a later one replaces an earlier one on its own dates, as an
        amendment or the merged province's new resolution does). Documents governing only a
        former province inside it are not applied: their parameters become ``?`` entries
        naming the document and the call for that former province.

    Raises:
        NotFoundError: For a code that is no province, or a province with no shipped
            document (the message says which provinces ship what).

    >>> for_province("24", map_id="2021-11").layers[2:]
    ('overlay: Bắc Giang: QĐ 1491/QĐ-UBND', 'overlay: Bắc Giang: QĐ 734/2014/QĐ-UBND', 'overlay: Bắc Giang: QĐ 30/2019/QĐ-UBND')
    >>> for_province("01")
    Traceback (most recent call last):
    khuyencong.exceptions.NotFoundError: không có văn bản địa phương cho “Thành phố Hà Nội (01, 2025-reform)”: ...
    """  # noqa: E501
    args = Arguments()
    args.text(code, "code")
    args.optional_day(on, "on")
    args.check()
    unit = _resolve(code, on, map_id)
    return _build(unit.code, unit.map_id)


def for_unit(unit: UnitRef) -> RuleSet:
    """The national rules with the shipped documents that govern one place of production.

    After the mergers of 1 July 2025 a former province's documents stay in force in its former
    territory until the merged province replaces them, so the local rules of a post-reform unit
    are those of the former province it lay in, then any document of the merged province that
    covers it. A unit of an older map gets its own province's documents.

    Args:
        unit: Where the establishment produces, on any map (every document then applies on
            its own dates).

    Returns:
        The rule set of the former province the unit lay in (see :func:`for_province`).

    Raises:
        UnitMappingError: A post-reform unit whose former province is not known, or that
            covers land of several former provinces (the error lists them).
        NotFoundError: No shipped document governs the unit's province.

    >>> from khuyencong.units import MapId, UnitRef
    >>> for_unit(UnitRef(MapId.MAP_REFORM, "07582")).layers[1]  # Xã Lục Ngạn, former Bắc Giang
    'overlay: Tỉnh Bắc Giang (24, 2021-11)'
    """
    args = Arguments()
    args.instance(unit, "unit", UnitRef)
    args.check()
    formers = former_provinces(unit)
    if len(formers) > 1:
        names = ", ".join(f"{p.name} ({p.code})" for p in formers)
        msg = text(
            "datafiles.place.several_provinces",
            unit=load_map(unit.map_id).get(unit.code).full_name,
            map_id=unit.map_id.value,
            code=unit.code,
            names=names,
        )
        raise UnitMappingError(unit.code, msg, tuple(p.code for p in formers))
    [former] = formers
    return _build(former.code, MapId.MAP_2021)  # province codes are the same on both old maps


@functools.cache
def _build(code: str, map_id: MapId) -> RuleSet:
    unit = load_map(map_id).get(code)
    territory = _territory(code, map_id)
    relevant = [d for d in _documents() if d.territory & territory]
    if not relevant:
        label = f"{unit.label()} ({code}, {map_id.value})"
        hint = Text.message("rules.hint.no_document", provinces=_shipping())
        raise NotFoundError("provincial overlay for", label, hint)
    rules = RuleSet.national()
    whole = [d for d in relevant if territory <= d.territory]
    partial = [d for d in relevant if d not in whole]
    label, text = _unknown_overlay(unit, relevant, partial, _first_support_day(rules))
    rules = rules.with_overlay(label, text=text)
    for doc in partial:
        # Facts about units (city grades, ward conversions, recognised craft villages) are keyed
        # by the unit's code and stay true after a merger: they apply wherever the unit is.
        facts = _facts_overlay(doc)
        if facts is not None:
            rules = rules.with_overlay(facts[0], text=facts[1])
    for doc in whole:
        rules = rules.with_overlay(doc.path)
    return rules


_FACT_TABLES = ("city_grades", "ward_conversions", "craft_villages")


def _toml_value(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _toml_text(value: Text) -> str:
    """A text in both languages as a TOML inline table."""
    vi, en = (json.dumps(v, ensure_ascii=False) for v in (value.vi, value.en))
    return f"{{ vi = {vi}, en = {en} }}"


def _facts_overlay(doc: ProvincialDocument) -> tuple[str, str] | None:
    """The unit facts of ``doc`` alone, as overlay text, or ``None`` if it has none."""
    data = read_toml(doc.path)
    tables = [(key, data[key]) for key in _FACT_TABLES if data.get(key)]
    if not tables:
        return None
    name = f"{data['overlay']['name']} (unit facts)"
    lines = [
        "[overlay]",
        f"name = {_toml_value(name)}",
        "[document]",
        f"number = {_toml_value(doc.number)}",
        f"effective_from = {doc.effective_from.isoformat()}",
    ]
    for key, rows in tables:
        for row in rows:
            lines.append(f"[[{key}]]")
            lines.extend(f"{field} = {_toml_value(value)}" for field, value in row.items())
    return name, "\n".join(lines) + "\n"


def _first_support_day(rules: RuleSet) -> dt.date:
    """The first day of any national support level (before it, no support table applies)."""
    return min(
        param.entries[0].start
        for name, param in rules.parameters.items()
        if name.startswith("support.national.") and param.entries
    )


def _scope(docs: list[ProvincialDocument]) -> Text:
    """Which documents apply where, grouped by the former province that issued them."""
    by_province: dict[tuple[str, MapId], list[ProvincialDocument]] = {}
    for doc in docs:
        by_province.setdefault((doc.province_code, doc.map_id), []).append(doc)
    parts: dict[Lang, list[str]] = {"vi": [], "en": []}
    for (code, map_id), group in by_province.items():
        numbers = ", ".join(dict.fromkeys(d.number for d in group))
        name = group[0].province_name
        call = f"RuleSet.for_province({code!r}, map_id={map_id.value!r})"
        for lang, items in parts.items():
            items.append(
                text(
                    "explain.document.former_province", lang, numbers=numbers, name=name, call=call
                )
            )
    return Text("; ".join(parts["vi"]), "; ".join(parts["en"]))


def _unknown_overlay(
    unit: AdminUnit,
    relevant: list[ProvincialDocument],
    partial: list[ProvincialDocument],
    first_day: dt.date,
) -> tuple[str, str]:
    """The ``?`` layer under the province's documents, as overlay text.

    Every parameter a relevant document sets is unknown from ``first_day`` on, naming the
    documents that do ship (outside their periods, the province's document of the day is not
    shipped); where a document of a former province inside ``unit`` applies, it names that
    document and the call for its territory instead. The documents governing the whole of
    ``unit`` are layered on top of this by the caller.
    """
    shipped = ", ".join(f"{d.number} ({d.effective_from.isoformat()})" for d in relevant)
    base = Text(
        *(
            text("explain.document.not_shipped", lang, unit=unit.label(lang), shipped=shipped)
            for lang in LANGS
        )
    )
    spans: dict[str, list[tuple[dt.date, dt.date | None, ProvincialDocument]]] = {}
    for doc in relevant:
        for e in parse_parameter_file(read_toml(doc.path), doc.file):
            spans.setdefault(e.parameter, [])
            if doc in partial:
                spans[e.parameter].append((e.start, e.end, doc))
    rows: list[dict[str, Any]] = []
    for name, items in sorted(spans.items()):
        rows.extend(_pieces(name, items, first_day, base))
    # A layer's name is shown in either language: the unit's proper name and codes only.
    title = f"{unit.full_name} ({unit.code}, {unit.map_id.value})"
    # A citation's note is one text: the maintainers' provenance, which the (English)
    # reference pages print; the layer is cached, so it cannot follow the language in force.
    note = text("datafiles.overlay.no_level", "en")
    lines = [
        "[overlay]",
        f"name = {json.dumps(title, ensure_ascii=False)}",
        "[document]",
        f"number = {json.dumps(title, ensure_ascii=False)}",
        f"effective_from = {first_day.isoformat()}",
        'confidence = "?"',
    ]
    for r in rows:
        lines.extend(
            [
                "[[values]]",
                f"parameter = {json.dumps(r['parameter'])}",
                'confidence = "?"',
                f"effective_from = {r['start'].isoformat()}",
                *([f"effective_to = {r['end'].isoformat()}"] if r["end"] else []),
                f"source_document = {_toml_text(r['source'])}",
                f"note = {json.dumps(note, ensure_ascii=False)}",
            ]
        )
    return title, "\n".join(lines) + "\n"


def _pieces(
    name: str,
    items: list[tuple[dt.date, dt.date | None, ProvincialDocument]],
    first_day: dt.date,
    base: Text,
) -> list[dict[str, Any]]:
    """Non-overlapping periods of ``name`` from ``first_day``, each naming the documents of
    former provinces in force in it, or ``base`` where there are none."""
    bounds = sorted(
        {first_day}
        | {s for s, _, _ in items if s > first_day}
        | {e + _ONE_DAY for _, e, _ in items if e and e >= first_day}
    )
    pieces: list[dict[str, Any]] = []
    for i, start in enumerate(bounds):
        end = bounds[i + 1] - _ONE_DAY if i + 1 < len(bounds) else None
        docs = [d for s, e, d in items if s <= start and (e is None or start <= e)]
        source = _scope(docs) if docs else base
        if pieces and pieces[-1]["source"] == source:
            pieces[-1]["end"] = end
        else:
            pieces.append({"parameter": name, "start": start, "end": end, "source": source})
    return pieces
