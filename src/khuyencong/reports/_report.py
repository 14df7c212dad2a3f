"""The outcome report of a phase: narrative paragraphs, indicator tables and charts.

The narrative follows the shape of a provincial centre's report (the project's seed): how many
establishments were supported and under which contents, awards and fairs, work done in
coordination with partners, money, and where the programme did and did not reach. Every
sentence is a message of the catalogue (``report.toml``), written in the report's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import attrs

from khuyencong._data import ToData
from khuyencong.display import STYLE, escape, fragment, markdown_escape
from khuyencong.domain import (
    AwardLevel,
    ContentGroup,
    Establishment,
    FairKind,
    LegalForm,
    Period,
    SupportContent,
    SupportRecord,
    confidence_legend,
    format_vnd,
)
from khuyencong.indicators import (
    OPTIONAL_MEASURES,
    STANDARD_INDICATORS,
    Aggregate,
    AggregateQuery,
    Breakdown,
    Counting,
    Dimension,
    Filter,
    Indicator,
    IndicatorResult,
    IndicatorSource,
    ProgrammeStatus,
    RecordKind,
    Table,
    TargetProgress,
    TargetSet,
    compute,
    compute_standard,
    counterpart_ratio,
    coverage,
    disbursement_rate,
    format_number,
    format_percent,
    key_label,
    national_programmes,
    progress,
    progress_of,
    project_size,
    sector_mix,
    source_for,
)
from khuyencong.messages import Lang, Text, resolve_language, text
from khuyencong.reports._charts import bar_chart
from khuyencong.units import AdminUnit, MapId, UnitLevel, UnitRef, province_to_reform

__all__ = ["Report", "ReportConfig", "Section", "build_report", "target_actual"]


@attrs.frozen
class ReportConfig:
    """Who reports what: the centre, the province, the phase, the scope.

    Loadable from JSON through the library's converter (``report.json`` of the example).

    Attributes:
        title_vi: The report title in Vietnamese.
        title_en: The report title in English.
        centre: The reporting centre (the lead agency of its records).
        province: The province reported on (a unit of the map the records use).
        period: The phase as text (``2017-2020``).
        legal_forms: Only establishments of these forms (empty: all).
        approximate: Indicator codes the narrative rounds in words ("khoảng 100 lượt").
    """

    title_vi: str
    title_en: str
    centre: str
    province: UnitRef
    period: str
    legal_forms: tuple[LegalForm, ...] = ()
    approximate: tuple[str, ...] = ()

    @property
    def as_period(self) -> Period:
        """The period as a :class:`Period`."""
        return Period.parse(self.period)

    @property
    def scope(self) -> Filter | None:
        """The report-wide filter."""
        return Filter(legal_forms=self.legal_forms) if self.legal_forms else None

    def title(self, lang: Lang | None = None) -> str:
        """The title in ``lang`` (the language in force by default)."""
        return Text(self.title_vi, self.title_en).get(lang)


@attrs.frozen
class Section(ToData):
    """One section of a report.

    Attributes:
        title: The heading.
        paragraphs: Narrative paragraphs.
        tables: Indicator tables.
        charts: ``(caption, SVG text or None)``; ``None`` when matplotlib is missing.
    """

    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[tuple[str, str | None], ...] = ()


_PAGE_STYLE = "body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"


@attrs.frozen
class Report(ToData):
    """A rendered-ready report: title, period, sections; plus the computed results.

    Markdown and HTML escape every text that comes from data (names of centres, partners,
    units and establishments, titles), so a name never injects markup. In a notebook a report
    displays as a fragment that leaves the notebook's own page alone. ``to_data()`` gives its
    JSON-ready data, the shape ``khuyencong report --json`` prints and the HTTP service answers.

    Attributes:
        title: The title.
        subtitle: The period and scope line.
        lang: The language it was written in.
        sections: The sections, in order.
        results: Every indicator result computed, by code (for exports; with the records
            behind each figure when built with ``drill_down=True``).
    """

    title: str
    subtitle: str
    lang: Lang
    sections: tuple[Section, ...]
    results: dict[str, IndicatorResult] = attrs.field(factory=dict, eq=False)

    @property
    def tables(self) -> tuple[Table, ...]:
        """Every table of every section."""
        return tuple(t for s in self.sections for t in s.tables)

    def to_markdown(self) -> str:
        """The report as Markdown (charts are listed by caption: Markdown has no inline SVG)."""
        md = markdown_escape
        lines = [f"# {md(self.title)}", "", f"*{md(self.subtitle)}*", ""]
        for section in self.sections:
            lines += [f"## {md(section.title)}", ""]
            for p in section.paragraphs:
                lines += [md(p), ""]
            for t in section.tables:
                lines += [t.to_markdown(self.lang), ""]
            for caption, _svg in section.charts:
                lines += [f"*{md(text('report.chart.listed', self.lang, caption=caption))}*", ""]
        return "\n".join(lines).rstrip() + "\n"

    def _body(self, heading: str) -> list[str]:
        """The report's HTML without a page around it; ``heading`` is h1 or h2."""
        level = int(heading[1])
        sub = f"h{level + 1}"
        out = [
            f"<{heading}>{escape(self.title)}</{heading}>",
            f"<p><em>{escape(self.subtitle)}</em></p>",
        ]
        for section in self.sections:
            out.append(f"<section><{sub}>{escape(section.title)}</{sub}>")
            out.extend(f"<p>{escape(p)}</p>" for p in section.paragraphs)
            out.extend(t.to_html(self.lang) for t in section.tables)
            for caption, svg in section.charts:
                if svg is None:
                    note = escape(text("report.chart.missing", self.lang))
                    out.append(f'<p class="kc-note">{note}</p>')
                else:
                    out.append(f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>")
            out.append("</section>")
        return out

    def to_html(self) -> str:
        """The report as a standalone HTML page, charts embedded as inline SVG."""
        page = [
            "<!DOCTYPE html>",
            f'<html lang="{self.lang}"><head><meta charset="utf-8">',
            f"<title>{escape(self.title)}</title>",
            f"<style>{_PAGE_STYLE}{STYLE}</style></head><body>",
            '<div class="kc-display">',
            *self._body("h1"),
            "</div></body></html>",
        ]
        return "\n".join(page)

    def _repr_html_(self) -> str:
        return fragment("\n".join(self._body("h2")), lang=self.lang)


def _counted(value: int, noun: str, lang: Lang, approx: bool = False) -> str:
    """``52 cooperatives``, ``1 cooperative``, ``52 hợp tác xã``, ``khoảng 100 lượt``."""
    form = "one" if value == 1 else "other"
    return text(
        "report.counted",
        lang,
        number=_n(value, lang, approx),
        noun=text(f"report.noun.{noun}.{form}", lang),
    )


def _n(value: int, lang: Lang, approx: bool = False) -> str:
    number = format_number(value, lang)
    return text("report.about", lang, number=number) if approx else number


def _noun(config: ReportConfig) -> str:
    """The catalogue name of the counted noun: the one legal form reported on, else
    ``establishment``."""
    if len(config.legal_forms) == 1:
        return config.legal_forms[0].value
    return "establishment"


def _nouns(noun: str, lang: Lang) -> str:
    """The noun in its plural form (Vietnamese: the same)."""
    return text(f"report.noun.{noun}.other", lang)


def _lower_first(label: str) -> str:
    return label[0].lower() + label[1:]


def _content_phrase(group: str, lang: Lang) -> str:
    try:
        label = ContentGroup(group).label(lang)
    except ValueError:
        return group
    return _lower_first(label)


def _place(unit: AdminUnit, lang: Lang) -> str:
    """Where, inside a sentence: ``tỉnh Bắc Giang`` / ``Bắc Giang province``."""
    kind = text(f"units.type.{unit.unit_type.value}.title", lang).lower()
    return text("report.place", lang, type=kind, name=unit.name)


class _Once:
    """A source that answers each distinct query once, and lists unit references once per
    kind: a report asks some twice (the area breakdown and the coverage of its level, the
    approved projects for their size and for the disbursement rate)."""

    def __init__(self, source: IndicatorSource) -> None:
        self._source = source
        self._answers: dict[tuple[object, ...], Aggregate] = {}
        self._refs: dict[RecordKind, frozenset[UnitRef]] = {}

    def aggregate(self, query: AggregateQuery) -> Aggregate:
        keys = tuple(None if m is None else frozenset(m.items()) for m in query.unit_keys)
        key = (attrs.evolve(query, unit_keys=()), keys)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = self._source.aggregate(query)
        return answer

    def unit_refs(self, kind: RecordKind) -> frozenset[UnitRef]:
        refs = self._refs.get(kind)
        if refs is None:
            refs = self._refs[kind] = self._source.unit_refs(kind)
        return refs

    def get_records(self, kind: RecordKind, ids: Sequence[str]) -> list[object]:
        return self._source.get_records(kind, ids)

    def get_establishments(self, ids: Sequence[str]) -> list[Establishment]:
        return self._source.get_establishments(ids)


def build_report(
    source: IndicatorSource,
    config: ReportConfig,
    *,
    period: Period | None = None,
    lang: Lang | None = None,
    by: Breakdown | None = None,
    targets: TargetSet | None = None,
    national: bool = True,
    charts: bool = True,
    drill_down: bool = False,
) -> Report:
    """Compute the standard indicators and write the report.

    Args:
        source: Where the records are.
        config: The centre, province, phase and scope.
        period: Overrides the config's phase.
        lang: ``"vi"`` or ``"en"`` (the language in force by default).
        by: The geographic breakdown (default: districts of the province's map, or its
            communes on the post-reform map, which has no districts).
        targets: Targets to report progress against (the centre's own).
        national: Show the national programme's targets whose years overlap the period, as
            context: the province's contribution, not targets of its own (a programme whose
            targets are unknown is named, with the document that should set them).
        charts: Draw charts (needs matplotlib; skipped with a note otherwise).
        drill_down: Keep the ids of the records behind every figure of
            :attr:`Report.results` (``records_behind``). The report's text and tables never
            need them; over a large store they cost a list of ids per figure.

    Returns:
        The report, with every computed result kept in :attr:`Report.results`.
    """
    lang = resolve_language(lang)
    source = _Once(source_for(source))
    period = period or config.as_period
    scope = config.scope
    province = config.province.resolve()
    map_id = province.map_id
    geo = by or (
        Breakdown.commune(map_id) if map_id is MapId.MAP_REFORM else Breakdown.district(map_id)
    )
    results = compute_standard(source, period, scope=scope, drill_down=drill_down)
    results["by_area"] = compute(
        STANDARD_INDICATORS["establishments_supported"],
        source,
        period,
        by=[geo],
        scope=scope,
        drill_down=drill_down,
    )
    noun = _noun(config)
    place = _place(province, lang)
    sections = [
        _section_support(results, config, period, place=place, noun=noun, lang=lang, charts=charts),
        _section_awards_fairs(results, config, noun, lang),
        _section_partners(source, config, period, noun, lang),
        _section_money(source, results, period, scope, lang),
        _section_geography(
            source, results, config, period, geo=geo, noun=noun, lang=lang, charts=charts
        ),
    ]
    if targets is not None and targets.for_period(period):
        sections.append(
            _section_targets(
                source, results, config, period, targets=targets, lang=lang, charts=charts
            )
        )
    if national:
        context = _section_national(source, config, period, noun=noun, place=place, lang=lang)
        if context is not None:
            sections.append(context)
    label = period.label(lang)
    subtitle = f"{label[0].upper()}{label[1:]} · {config.centre}"
    return Report(config.title(lang), subtitle, lang, tuple(sections), results)


def _section_support(
    results: dict[str, IndicatorResult],
    config: ReportConfig,
    period: Period,
    *,
    place: str,
    noun: str,
    lang: Lang,
    charts: bool,
) -> Section:
    total = results["establishments_supported"]
    by_content = results["supported_by_content"]
    parts = [
        text(
            "report.support.part",
            lang,
            count=_counted(row.value, noun, lang),
            content=_content_phrase(row.key[0], lang),
        )
        for row in sorted(by_content.rows, key=lambda r: _GROUP_ORDER.get(r.key[0], 99))
    ]
    first, last = period.start.year, period.end.year
    span = (
        text("report.support.span_year", lang, year=first)
        if first == last
        else text("report.support.span_phase", lang, first=first, last=last)
    )
    sentence = text(
        "report.support.text",
        lang,
        span=span,
        centre=config.centre,
        count=_counted(total.value, noun, lang),
        place=place,
        parts="; ".join(parts),
    )
    if by_content.breakdown_total == total.value:
        sentence += " " + text("report.support.one_content_each", lang)
    chart: tuple[tuple[str, str | None], ...] = ()
    if charts:
        caption = text("report.support.chart", lang)
        rows = by_content.rows
        chart = (
            (
                caption,
                bar_chart(caption, [r.labels(lang)[0] for r in rows], [r.value for r in rows]),
            ),
        )
    tables = (total.table(lang), by_content.table(lang))
    return Section(text("report.support.title", lang), (sentence,), tables, chart)


_GROUP_ORDER = {
    g.value: i
    for i, g in enumerate(
        [
            ContentGroup.TRAINING,
            ContentGroup.MODELS_TECHNOLOGY,
            ContentGroup.DESIGN_CONSULTING,
            ContentGroup.SHOWROOM,
        ]
    )
}


def _section_awards_fairs(
    results: dict[str, IndicatorResult], config: ReportConfig, noun: str, lang: Lang
) -> Section:
    awards = results["awarded_products"]
    fairs = results["fair_participations"]
    ocop = results["ocop_products"]
    approx = "fair_participations" in config.approximate
    levels = [
        (awards.get(level), level)
        for level in (
            AwardLevel.DISTRICT,
            AwardLevel.PROVINCE,
            AwardLevel.REGION,
            AwardLevel.NATION,
        )
        if awards.get(level)
    ]
    domestic = fairs.get(FairKind.DOMESTIC)
    overseas = fairs.get(FairKind.OVERSEAS)
    award_text = ", ".join(
        text(
            "report.awards.level",
            lang,
            count=_counted(n, "typical_product", lang),
            level=level.label(lang).lower(),
        )
        for n, level in levels
    )
    sentences = [
        text("report.awards.text", lang, awards=award_text or text("report.awards.none", lang))
    ]
    abroad = (
        text("report.awards.overseas", lang, count=_counted(overseas, "participation", lang))
        if overseas
        else ""
    )
    sentences.append(
        text(
            "report.awards.fairs",
            lang,
            count=_counted(domestic, "participation", lang, approx),
            noun=_nouns(noun, lang),
            overseas=abroad,
        )
    )
    if ocop.value:
        stars = ", ".join(
            text(
                "report.awards.stars",
                lang,
                count=_counted(r.value, "product", lang),
                stars=r.key[0],
            )
            for r in ocop.rows
        )
        count = _counted(ocop.value, "product", lang)
        sentences.append(text("report.awards.ocop", lang, count=count, stars=stars))
    tables = (awards.table(lang), fairs.table(lang), ocop.table(lang))
    return Section(text("report.awards.title", lang), (" ".join(sentences),), tables)


_PartnerGroup = tuple[SupportContent, tuple[str, ...], int, int]


def _partner_groups(
    source: IndicatorSource, config: ReportConfig, period: Period
) -> list[_PartnerGroup]:
    """The support delivered with partners, by content and partners: ``(content, partners,
    establishments, trainees)``, by content, then in the order of each group's first record.

    Collective contents (a class) are left out of establishments_supported: every record
    delivered with partners counts here. When each such record names one partner, the
    groups are a breakdown by content and partner computed by the source (the records behind
    them are read only to order two partners of one content); otherwise the records are read
    back and grouped by their partners as written.
    """
    scope = (config.scope or Filter()) & Filter(with_partners=True)
    anyone = attrs.evolve(STANDARD_INDICATORS["establishments_supported"], filter=Filter())
    records = attrs.evolve(anyone, counting=Counting.OCCURRENCES)
    by = [Breakdown.of(Dimension.CONTENT), Breakdown.of(Dimension.PARTNER)]
    each = compute(records, source, period, by=by, scope=scope, drill_down=False)
    if each.breakdown_total != each.value:  # some record names several partners
        groups: dict[tuple[SupportContent, tuple[str, ...]], list[SupportRecord]] = {}
        every = compute(records, source, period, by=[], scope=scope).records_behind()
        for r in source.get_records(RecordKind.SUPPORT, every):
            if isinstance(r, SupportRecord):
                groups.setdefault((r.content, r.partners), []).append(r)
        return [
            (content, who, len({r.establishment_id for r in recs}), sum(r.trainees for r in recs))
            for (content, who), recs in sorted(groups.items(), key=lambda kv: kv[0][0].value)
        ]
    ests = compute(anyone, source, period, by=by, scope=scope, drill_down=False)
    trainees = attrs.evolve(STANDARD_INDICATORS["trainees"], filter=Filter())
    trained = compute(trainees, source, period, by=by, scope=scope, drill_down=False)
    persons = {r.key: r.value for r in trained.rows}
    first: dict[tuple[str, ...], int] = {}
    if len({r.key[0] for r in each.rows}) < len(each.rows):  # a content with two partners
        drilled = compute(records, source, period, by=by, scope=scope)
        at = {rid: i for i, rid in enumerate(drilled.records_behind())}
        first = {r.key: at[r.record_ids[0]] for r in drilled.rows}
    ordered = sorted(ests.rows, key=lambda r: (r.key[0], first.get(r.key, 0)))
    return [(SupportContent(r.key[0]), r.key[1:], r.value, persons.get(r.key, 0)) for r in ordered]


def _section_partners(
    source: IndicatorSource, config: ReportConfig, period: Period, noun: str, lang: Lang
) -> Section:
    items: list[str] = []
    rows: list[tuple[object, ...]] = []
    for content, partners, ests, trainees in _partner_groups(source, config, period):
        who = ", ".join(partners)
        what = _lower_first(content.label(lang))
        if trainees:
            count = _counted(trainees, "trainee", lang)
            items.append(text("report.partners.trainees", lang, who=who, what=what, count=count))
        else:
            count = _counted(ests, noun, lang)
            items.append(
                text("report.partners.establishments", lang, who=who, what=what, count=count)
            )
        rows.append((content.label(lang), who, ests, trainees))
    sentence = (
        text("report.partners.text", lang, items="; ".join(items))
        if items
        else text("report.partners.none", lang)
    )
    headers = tuple(
        text(f"report.partners.{name}", lang)
        for name in ("content", "partners", "establishments_column", "trainees_column")
    )
    title = text("report.partners.title", lang)
    table = Table(title, headers, tuple(rows), (text("report.partners.note", lang),))
    return Section(title, (sentence,), (table,))


def _section_money(
    source: IndicatorSource,
    results: dict[str, IndicatorResult],
    period: Period,
    scope: Filter | None,
    lang: Lang,
) -> Section:
    funds = results["funds_disbursed"]
    fair_funds = results["fair_funds"].value
    co = results["co_funding"].value
    size = project_size(source, period, scope=scope)
    rate = disbursement_rate(source, period, scope=scope)
    ratio = counterpart_ratio(source, period, scope=scope)
    mean = size.whole_dong(size.mean)
    median = size.whole_dong(size.median)

    def vnd(x: int | None) -> str:
        return "—" if x is None else format_vnd(x, lang)

    rows: list[tuple[object, ...]] = [
        (funds.indicator.label(lang), vnd(funds.value)),
        *((f"— {r.labels(lang)[0]}", vnd(r.value)) for r in funds.rows),
        (results["fair_funds"].indicator.label(lang), vnd(fair_funds)),
        (results["co_funding"].indicator.label(lang), vnd(co)),
        (results["approved_support"].indicator.label(lang), vnd(results["approved_support"].value)),
        (rate.label(lang), rate.text(lang)),
        (ratio.label(lang), ratio.text(lang)),
        (text("report.money.projects", lang), format_number(size.count, lang)),
        (text("report.money.mean", lang), vnd(mean)),
        (text("report.money.median", lang), vnd(median)),
    ]
    headers = (text("report.money.indicator", lang), text("report.money.value", lang))
    title = text("report.money.title", lang)
    sentence = text(
        "report.money.text",
        lang,
        funds=vnd(funds.value),
        fair_funds=vnd(fair_funds),
        co_funding=vnd(co),
        ratio=ratio.text(lang),
        mean=vnd(mean),
        median=vnd(median),
        rate=rate.text(lang),
    )
    paragraphs: tuple[str, ...] = (sentence,)
    outcomes = _outcomes(source, results, period, scope, lang)
    if outcomes is not None:
        paragraphs += (outcomes[0],)
        rows += outcomes[1]
    return Section(title, paragraphs, (Table(title, headers, tuple(rows)),))


def _reported(
    result: IndicatorResult, source: IndicatorSource, period: Period, scope: Filter | None
) -> int:
    """How many records reported the outcome ``result`` sums (a missing value is not zero)."""
    occurrences = attrs.evolve(result.indicator, counting=Counting.OCCURRENCES)
    return compute(occurrences, source, period, by=[], scope=scope, drill_down=False).value


def _reported_either(
    indicators: Sequence[Indicator], source: IndicatorSource, period: Period, scope: Filter | None
) -> int:
    """How many records reported the outcome of one of ``indicators`` at least, each once.

    The outcome indicators read the same records by the same date (a test holds the
    standard ones to it), so this is one count of the records that reported either
    (``Filter.reported``), not the two lists of records behind them joined.
    """
    first = indicators[0]
    either = attrs.evolve(
        first,
        counting=Counting.OCCURRENCES,
        measure=None,
        filter=first.filter
        & Filter(reported={i.measure for i in indicators if i.measure in OPTIONAL_MEASURES}),
    )
    return compute(either, source, period, by=[], scope=scope, drill_down=False).value


def _outcomes(
    source: IndicatorSource,
    results: dict[str, IndicatorResult],
    period: Period,
    scope: Filter | None,
    lang: Lang,
) -> tuple[str, list[tuple[object, ...]]] | None:
    """The sentence and table rows on outcomes beneficiaries reported; ``None`` if none was.

    A record without a reported outcome is not behind these figures (a missing value is not
    zero), so "recorded" means some record reported one of them; when both were, a record
    that reported both counts once.
    """
    jobs, income = results.get("jobs_created"), results.get("income_change")
    counted = [r for r in (jobs, income) if r is not None]
    reported = {r.code: _reported(r, source, period, scope) for r in counted}
    if not any(reported.values()):
        return None
    n = sum(reported.values())
    if all(reported.values()) and len(counted) > 1:  # a record that reported both counts once
        n = _reported_either([r.indicator for r in counted], source, period, scope)
    parts: list[str] = []
    rows: list[tuple[object, ...]] = []
    if jobs is not None and reported[jobs.code]:
        parts.append(
            text("report.outcomes.jobs", lang, count=_counted(jobs.value, "new_job", lang))
        )
        rows.append((jobs.indicator.label(lang), format_number(jobs.value, lang)))
    if income is not None and reported[income.code]:
        amount = format_vnd(abs(income.value), lang)
        change = (
            "income_rise"
            if income.value > 0
            else "income_fall"
            if income.value < 0
            else "income_same"
        )
        parts.append(text(f"report.outcomes.{change}", lang, amount=amount))
        rows.append((income.indicator.label(lang), format_vnd(income.value, lang)))
    both = (
        text("report.outcomes.and", lang, first=parts[0], second=parts[1])
        if len(parts) == 2
        else parts[0]
    )
    records = _counted(n, "record", lang)
    return text("report.outcomes.text", lang, parts=both, records=records), rows


def _section_geography(
    source: IndicatorSource,
    results: dict[str, IndicatorResult],
    config: ReportConfig,
    period: Period,
    *,
    geo: Breakdown,
    noun: str,
    lang: Lang,
    charts: bool,
) -> Section:
    scope = config.scope
    province = config.province.resolve()
    map_id = geo.map_id or province.map_id
    within = province.code
    three_level = map_id is not MapId.MAP_REFORM
    if map_id is MapId.MAP_REFORM:
        within = province_to_reform(province.province_code).code
    levels = [UnitLevel.DISTRICT, UnitLevel.COMMUNE] if three_level else [UnitLevel.COMMUNE]
    covs = [
        coverage(source, period, level=lv, map_id=map_id, within=within, scope=scope)
        for lv in levels
    ]
    mix = sector_mix(source, period, scope=scope)
    sentences = []
    for cov in covs:
        sentence = cov.summary(lang)
        if cov.not_reached and cov.level is UnitLevel.DISTRICT:
            names = ", ".join(cov.names((c for c, _n in cov.not_reached), lang))
            sentence = text("report.geography.none_in", lang, coverage=sentence, names=names)
        sentences.append(sentence)
    sentences[1:] = [_lower_first(s) for s in sentences[1:]]
    outside = mix.share_outside
    sentence = (
        "; ".join(sentences)
        + ". "
        + text(
            "report.geography.outside",
            lang,
            part=outside.numerator,
            whole=_counted(outside.denominator, noun, lang),
            share=outside.text(lang),
        )
    )
    tables = [results["by_area"].table(lang), mix.table(lang)]
    commune_cov = covs[-1]
    if commune_cov.not_reached:
        names = ", ".join(commune_cov.names((c for c, _n in commune_cov.not_reached), lang))
        title = text(
            "report.geography.not_reached",
            lang,
            level=commune_cov.level.label(lang),
            count=len(commune_cov.not_reached),
        )
        tables.append(Table(title, (text("report.geography.list", lang),), ((names,),)))
    chart: tuple[tuple[str, str | None], ...] = ()
    if charts:
        rows = results["by_area"].rows
        caption = text("report.geography.chart", lang)
        chart = (
            (
                caption,
                bar_chart(caption, [r.labels(lang)[0] for r in rows], [r.value for r in rows]),
            ),
        )
    return Section(text("report.geography.title", lang), (sentence,), tuple(tables), chart)


def target_actual(
    code: str,
    key: str | None,
    source: IndicatorSource,
    *,
    results: dict[str, IndicatorResult],
    period: Period,
    config: ReportConfig,
) -> Fraction | int | None:
    """The actual value a target of ``code`` (and ``key``) is measured against."""
    scope = config.scope
    if code in results:
        r = results[code]
        return r.value if key is None else r.get(key)
    if code.startswith("coverage[") and code.endswith("]"):
        level = UnitLevel(code[len("coverage[") : -1])
        province = config.province.resolve()
        cov = coverage(
            source,
            period,
            level=level,
            map_id=province.map_id,
            within=province.code,
            scope=scope,
        )
        return cov.share.value
    ratio_fns: dict[str, Any] = {
        "disbursement_rate": disbursement_rate,
        "counterpart_ratio": counterpart_ratio,
    }
    if code in ratio_fns:
        value: Fraction | None = ratio_fns[code](source, period, scope=scope).value
        return value
    if code == "sector_mix":
        return sector_mix(source, period, scope=scope).share_outside.value
    return None


def _target_name(code: str, key: str | None, lang: Lang) -> str:
    """What a target of ``code`` (and ``key``) counts, in ``lang``; never a raw code."""
    if code in STANDARD_INDICATORS:
        indicator = STANDARD_INDICATORS[code]
        name = indicator.label(lang)
        if key is not None:
            by = indicator.by[0] if indicator.by else None
            shown = key_label(by, key, lang) if by is not None else key
            name = text("report.targets.with_key", lang, name=name, key=shown)
        return name
    if code.startswith("coverage[") and code.endswith("]"):
        level = UnitLevel(code[len("coverage[") : -1])
        return text("indicators.ratio.coverage", lang, level=level.label(lang))
    if f"indicators.ratio.{code}" in _RATIO_CODES:
        return text(f"indicators.ratio.{code}", lang)
    return code


_RATIO_CODES = frozenset(
    f"indicators.ratio.{code}" for code in ("disbursement_rate", "counterpart_ratio", "sector_mix")
)


def _section_targets(
    source: IndicatorSource,
    results: dict[str, IndicatorResult],
    config: ReportConfig,
    period: Period,
    *,
    targets: TargetSet,
    lang: Lang,
    charts: bool,
) -> Section:
    rows: list[tuple[object, ...]] = []
    labels: list[str] = []
    values: list[float] = []
    invented = False
    tags: set[str] = set()
    for t in targets.for_period(period):
        actual = target_actual(
            t.indicator, t.key, source, results=results, period=period, config=config
        )
        name = _target_name(t.indicator, t.key, lang)
        invented = invented or t.invented
        tags.add(t.citation.confidence.value)
        cited = (
            text("report.targets.invented_source", lang, tag=t.citation.confidence.value)
            if t.invented
            else t.citation.text(lang)
        )
        if actual is None:
            rows.append((name, str(t.target), "—", "—", cited))
            continue
        p = progress(t, actual)
        is_ratio = isinstance(actual, Fraction)
        shown_actual = (
            format_percent(Fraction(actual), lang) if is_ratio else format_number(int(actual), lang)
        )
        shown_target = (
            format_percent(Fraction(t.target), lang)
            if is_ratio
            else format_number(int(t.target), lang)
        )
        rows.append((name, shown_target, shown_actual, p.text(lang), cited))
        labels.append(name)
        values.append(float((p.clamped or Fraction(0)) * 100))
    headers = tuple(
        text(f"report.targets.{name}", lang)
        for name in ("indicator", "target", "actual", "progress", "source")
    )
    notes = []
    if invented:
        notes.append(text("report.targets.invented", lang))
    notes.append(text("report.targets.formula", lang))
    legend = confidence_legend(tags, lang)
    if legend:
        notes.append(legend)
    title = text("report.targets.title", lang)
    chart: tuple[tuple[str, str | None], ...] = ()
    if charts:
        chart = ((title, bar_chart(title, labels, values, xlabel="%", limit=100)),)
    table = Table(title, headers, tuple(rows), tuple(notes))
    return Section(title, (), (table,), chart)


def _section_national(
    source: IndicatorSource,
    config: ReportConfig,
    period: Period,
    *,
    noun: str,
    place: str,
    lang: Lang,
) -> Section | None:
    """National programme targets whose years overlap the period, as the province's context."""
    programmes = [p for p in national_programmes() if p.as_period.overlaps(period)]
    if not programmes:
        return None
    paragraphs: list[str] = []
    tables: list[Table] = []
    for programme in programmes:
        if programme.status == ProgrammeStatus.UNKNOWN:
            sentence = text(
                "report.national.unknown",
                lang,
                title=programme.title(lang),
                document=programme.document,
                source=Text.of(programme.source_document).get(lang),
            )
            paragraphs.append(f"{sentence} {programme.note(lang)}".strip())
            continue
        measured = progress_of(
            programme.targets, source, period=period, scope=config.scope, drill_down=False
        )
        if measured:
            tables.append(
                _national_table(programme.title(lang), programme.document, measured, lang)
            )
            if programme.note(lang):
                tables[-1] = attrs.evolve(
                    tables[-1], notes=(*tables[-1].notes, programme.note(lang))
                )
    if tables:
        intro = text("report.national.intro", lang, place=place, noun=_nouns(noun, lang))
        paragraphs.insert(0, intro)
    return Section(text("report.national.title", lang), tuple(paragraphs), tuple(tables))


def _national_table(
    title: str, document: str, measured: tuple[TargetProgress, ...], lang: Lang
) -> Table:
    rows: list[tuple[object, ...]] = []
    notes = [text("report.national.context", lang)]
    spans: set[str] = set()
    tags: set[str] = set()
    for m in measured:
        t = m.target
        label = t.label(lang)
        value = format_number(int(t.target), lang) if t.target == int(t.target) else str(t.target)
        target_period = t.as_period
        tags.add(t.citation.confidence.value)
        rows.append(
            (
                f"{label} (*)" if t.approximate else label,
                f"{value} {t.unit(lang)}".strip(),
                f"{target_period.start.year}–{target_period.end.year}",
                "—" if m.actual is None else format_number(m.actual, lang),
                "—" if m.progress is None else m.progress.text(lang),
                t.citation.text(lang),
            )
        )
        if m.result is None:
            notes.append(
                text("report.national.not_measured", lang, label=label, reason=m.reason(lang))
            )
        elif t.approximate:
            notes.append(
                text("report.national.approximate", lang, label=label, rule=t.counting(lang))
            )
        if not m.whole_period:
            spans.add(f"{m.period.start.year}–{m.period.end.year}")
    notes[1:1] = [text("report.national.partial_period", lang, span=span) for span in sorted(spans)]
    notes.append(confidence_legend(tags, lang))
    headers = tuple(
        text(f"report.national.{name}", lang)
        for name in ("target", "value", "period", "achieved", "contribution", "source")
    )
    return Table(
        text("report.national.table", lang, title=title, document=document),
        headers,
        tuple(rows),
        tuple(notes),
    )
