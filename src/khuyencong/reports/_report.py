"""The outcome report of a phase: narrative paragraphs, indicator tables and charts.

The narrative follows the shape of a provincial centre's report (the project's seed): how many
establishments were supported and under which contents, awards and fairs, work done in
coordination with partners, money, and where the programme did and did not reach.
"""

from __future__ import annotations

import html
from fractions import Fraction
from typing import Any

import attrs

from khuyencong.domain import (
    AwardLevel,
    ContentGroup,
    FairKind,
    Lang,
    LegalForm,
    Period,
    SupportContent,
    SupportRecord,
    format_vnd,
)
from khuyencong.indicators import (
    STANDARD_INDICATORS,
    Breakdown,
    Filter,
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
    national_programmes,
    progress,
    progress_of,
    project_size,
    sector_mix,
)
from khuyencong.reports._charts import bar_chart
from khuyencong.units import MapId, UnitLevel, UnitRef, province_to_reform

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

    def title(self, lang: Lang = "vi") -> str:
        """The title in ``lang``."""
        return self.title_vi if lang == "vi" else self.title_en


@attrs.frozen
class Section:
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


_STYLE = (
    "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
    "table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:.2em .5em}"
    "caption{font-weight:bold;text-align:left}.kc-note{font-size:.85em;color:#555}"
    "</style></head><body>"
)

_CHART_MISSING = {
    "vi": "Biểu đồ cần gói matplotlib (pip install 'khuyencong[charts]').",
    "en": "Charts need matplotlib (pip install 'khuyencong[charts]').",
}


@attrs.frozen
class Report:
    """A rendered-ready report: title, period, sections; plus the computed results.

    Attributes:
        title: The title.
        subtitle: The period and scope line.
        lang: The language it was written in.
        sections: The sections, in order.
        results: Every indicator result computed, by code (for exports and drill-down).
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
        lines = [f"# {self.title}", "", f"*{self.subtitle}*", ""]
        for section in self.sections:
            lines += [f"## {section.title}", ""]
            for p in section.paragraphs:
                lines += [p, ""]
            for t in section.tables:
                lines += [t.to_markdown(self.lang), ""]
            for caption, _svg in section.charts:
                word = "Biểu đồ" if self.lang == "vi" else "Chart"
                lines += [f"*{word}: {caption} (xem bản HTML)*", ""]
        return "\n".join(lines).rstrip() + "\n"

    def to_html(self) -> str:
        """The report as a standalone HTML page, charts embedded as inline SVG."""
        esc = html.escape
        out = [
            "<!DOCTYPE html>",
            f'<html lang="{self.lang}"><head><meta charset="utf-8">',
            f"<title>{esc(self.title)}</title>",
            _STYLE,
            f"<h1>{esc(self.title)}</h1>",
            f"<p><em>{esc(self.subtitle)}</em></p>",
        ]
        for section in self.sections:
            out.append(f"<section><h2>{esc(section.title)}</h2>")
            out.extend(f"<p>{esc(p)}</p>" for p in section.paragraphs)
            out.extend(t.to_html(self.lang) for t in section.tables)
            for caption, svg in section.charts:
                if svg is None:
                    out.append(f'<p class="kc-note">{esc(_CHART_MISSING[self.lang])}</p>')
                else:
                    out.append(f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>")
            out.append("</section>")
        out.append("</body></html>")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        return self.to_html()


def _noun(config: ReportConfig, lang: Lang) -> str:
    """The counted noun, singular (Vietnamese nouns do not inflect for number)."""
    if len(config.legal_forms) == 1:
        return config.legal_forms[0].label(lang).lower()
    return "cơ sở" if lang == "vi" else "establishment"


def _plural(noun: str, count: int, lang: Lang) -> str:
    if lang == "vi" or count == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def _counted(value: int, noun: str, lang: Lang, approx: bool = False) -> str:
    """``52 cooperatives``, ``1 cooperative``, ``52 hợp tác xã``."""
    return f"{_n(value, lang, approx)} {_plural(noun, value, lang)}"


def _n(value: int, lang: Lang, approx: bool = False) -> str:
    text = format_number(value, lang)
    if approx:
        return f"khoảng {text}" if lang == "vi" else f"about {text}"
    return text


def _content_phrase(group: str, lang: Lang) -> str:
    try:
        label = ContentGroup(group).label(lang)
    except ValueError:
        return group
    return label[0].lower() + label[1:]


def build_report(
    source: IndicatorSource,
    config: ReportConfig,
    *,
    period: Period | None = None,
    lang: Lang = "vi",
    by: Breakdown | None = None,
    targets: TargetSet | None = None,
    national: bool = True,
    charts: bool = True,
) -> Report:
    """Compute the standard indicators and write the report.

    Args:
        source: Where the records are.
        config: The centre, province, phase and scope.
        period: Overrides the config's phase.
        lang: ``"vi"`` (default) or ``"en"``.
        by: The geographic breakdown (default: districts of the province's map, or its
            communes on the post-reform map, which has no districts).
        targets: Targets to report progress against (the centre's own).
        national: Show the national programme's targets whose years overlap the period, as
            context: the province's contribution, not targets of its own (a programme whose
            targets are unknown is named, with the document that should set them).
        charts: Draw charts (needs matplotlib; skipped with a note otherwise).

    Returns:
        The report, with every computed result kept in :attr:`Report.results`.
    """
    period = period or config.as_period
    scope = config.scope
    province = config.province.resolve()
    map_id = province.map_id
    geo = by or (
        Breakdown.commune(map_id) if map_id is MapId.MAP_REFORM else Breakdown.district(map_id)
    )
    results = compute_standard(source, period, scope=scope)
    results["by_area"] = compute(
        STANDARD_INDICATORS["establishments_supported"], source, period, by=[geo], scope=scope
    )
    noun = _noun(config, lang)
    place = province.full_name
    if lang == "vi":
        place = place[0].lower() + place[1:]
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
    subtitle = f"{period.label(lang).capitalize()} · {config.centre}"
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
        f"{_counted(row.value, noun, lang)} {_content_phrase(row.key[0], lang)}"
        if lang == "vi"
        else f"{_content_phrase(row.key[0], lang)} for {_counted(row.value, noun, lang)}"
        for row in sorted(by_content.rows, key=lambda r: _GROUP_ORDER.get(r.key[0], 99))
    ]
    one_year = period.start.year == period.end.year
    if lang == "vi":
        span = (
            f"năm {period.start.year}"
            if one_year
            else f"giai đoạn {period.start.year} - {period.end.year}"
        )
    else:
        span = str(period.start.year) if one_year else f"{period.start.year}–{period.end.year}"
    if lang == "vi":
        text = (
            f"Trong {span}, {config.centre} đã phối hợp với các cơ quan, tổ chức "
            f"liên quan hỗ trợ được {_n(total.value, lang)} {noun} trên địa bàn "
            f"{place}, trong đó: " + "; ".join(parts) + "."
        )
    else:
        text = (
            f"In {span}, {config.centre}, with the agencies concerned, supported "
            f"{_counted(total.value, noun, lang)} in {place}: " + "; ".join(parts) + "."
        )
    if by_content.breakdown_total == total.value:
        text += (
            " Mỗi đơn vị được tính ở một nội dung."
            if lang == "vi"
            else " Each appears under one content."
        )
    chart: tuple[tuple[str, str | None], ...] = ()
    if charts:
        caption = "Số cơ sở được hỗ trợ theo nội dung" if lang == "vi" else "Supported by content"
        rows = by_content.rows
        chart = (
            (
                caption,
                bar_chart(caption, [r.labels(lang)[0] for r in rows], [r.value for r in rows]),
            ),
        )
    title = "Kết quả hỗ trợ" if lang == "vi" else "Support delivered"
    tables = (total.table(lang), by_content.table(lang))
    return Section(title, (text,), tables, chart)


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
    if lang == "vi":
        award_text = ", ".join(
            f"{_n(n, lang)} sản phẩm công nghiệp nông thôn tiêu biểu {lv.label_vi.lower()}"
            for n, lv in levels
        )
        text = f"Đồng thời, tổ chức bình chọn được {award_text or '0 sản phẩm'}. "
        text += (
            f"Bên cạnh đó, Trung tâm cũng hỗ trợ cho {_n(domestic, lang, approx)} lượt {noun} "
            "tham gia trực tiếp hoặc giới thiệu sản phẩm tại các hội chợ, triển lãm trong nước"
        )
        text += f" và {_n(overseas, lang)} lượt ở nước ngoài." if overseas else "."
        if ocop.value:
            stars = ", ".join(f"{r.value} sản phẩm {r.key[0]} sao" for r in ocop.rows)
            text += f" Có {ocop.value} sản phẩm được đánh giá, xếp hạng OCOP ({stars})."
    else:
        award_text = ", ".join(
            f"{_counted(n, 'typical rural-industrial product', lang)} at the {lv.label_en.lower()}"
            for n, lv in levels
        )
        text = f"Award rounds recognised {award_text or 'no products'}. "
        text += (
            f"The centre also supported {_counted(domestic, 'participation', lang, approx)} "
            f"of {_plural(noun, 2, lang)} in domestic fairs and exhibitions"
        )
        text += f" and {overseas} abroad." if overseas else "."
        if ocop.value:
            stars = ", ".join(f"{r.value} rated {r.key[0]} stars" for r in ocop.rows)
            text += f" {_counted(ocop.value, 'product', lang)} received an OCOP rating ({stars})."
    title = "Bình chọn sản phẩm, hội chợ, triển lãm" if lang == "vi" else "Awards and fairs"
    return Section(title, (text,), (awards.table(lang), fairs.table(lang), ocop.table(lang)))


def _section_partners(
    source: IndicatorSource, config: ReportConfig, period: Period, noun: str, lang: Lang
) -> Section:
    # Collective contents (a class) are left out of establishments_supported; read every
    # record delivered with partners instead.
    every = compute(
        attrs.evolve(STANDARD_INDICATORS["establishments_supported"], filter=Filter()),
        source,
        period,
        by=[],
        scope=(config.scope or Filter()) & Filter(with_partners=True),
    )
    records = [
        r
        for r in source.get_records(RecordKind.SUPPORT, every.records_behind())
        if isinstance(r, SupportRecord)
    ]
    groups: dict[tuple[SupportContent, tuple[str, ...]], list[SupportRecord]] = {}
    for r in records:
        groups.setdefault((r.content, r.partners), []).append(r)
    sentences: list[str] = []
    rows: list[tuple[object, ...]] = []
    for (content, partners), recs in sorted(groups.items(), key=lambda kv: kv[0][0].value):
        who = ", ".join(partners)
        ests = len({r.establishment_id for r in recs})
        trainees = sum(r.trainees for r in recs)
        label = content.label(lang)
        what = label[0].lower() + label[1:]
        if trainees:
            sentences.append(
                f"phối hợp với {who} tổ chức {what} cho {_n(trainees, lang)} học viên"
                if lang == "vi"
                else f"with {who}, {what} for {_counted(trainees, 'trainee', lang)}"
            )
        else:
            sentences.append(
                f"phối hợp với {who} hỗ trợ được {_n(ests, lang)} {noun}: {what}"
                if lang == "vi"
                else f"with {who}, {what} for {_counted(ests, noun, lang)}"
            )
        rows.append((content.label(lang), who, ests, trainees))
    if lang == "vi":
        text = (
            "Ngoài ra, " + "; ".join(sentences) + "."
            if sentences
            else "Trong kỳ không có hoạt động phối hợp với đơn vị khác."
        )
        note = (
            "Kết quả phối hợp vẫn là kết quả của Trung tâm; bản ghi giữ đơn vị chủ trì và đơn vị "
            "phối hợp để tổng hợp toàn quốc không tính trùng."
        )
        headers = ("Nội dung", "Đơn vị phối hợp", "Số cơ sở", "Số học viên")
        title = "Phối hợp với các đơn vị"
    else:
        text = (
            "In addition, " + "; ".join(sentences) + "."
            if sentences
            else "No support was delivered with partners in the period."
        )
        note = (
            "Joint work is the centre's result; records keep the lead and the partners so that "
            "a national roll-up does not count it twice."
        )
        headers = ("Content", "Partners", "Establishments", "Trainees")
        title = "Work with partner agencies"
    table = Table(title, headers, tuple(rows), (note,))
    return Section(title, (text,), (table,))


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

    vi = lang == "vi"
    rows: list[tuple[object, ...]] = [
        (funds.indicator.label(lang), vnd(funds.value)),
        *((f"— {r.labels(lang)[0]}", vnd(r.value)) for r in funds.rows),
        (results["fair_funds"].indicator.label(lang), vnd(fair_funds)),
        (results["co_funding"].indicator.label(lang), vnd(co)),
        (results["approved_support"].indicator.label(lang), vnd(results["approved_support"].value)),
        (rate.label(lang), rate.text(lang)),
        (ratio.label(lang), ratio.text(lang)),
        ("Số đề án" if vi else "Projects", format_number(size.count, lang)),
        ("Quy mô bình quân một đề án" if vi else "Mean support per project", vnd(mean)),
        ("Quy mô trung vị một đề án" if vi else "Median support per project", vnd(median)),
    ]
    headers = ("Chỉ tiêu", "Giá trị") if vi else ("Indicator", "Value")
    title = "Kinh phí" if vi else "Funds"
    if vi:
        text = (
            f"Tổng kinh phí khuyến công đã giải ngân cho các nội dung hỗ trợ là "
            f"{vnd(funds.value)}, cùng {vnd(fair_funds)} hỗ trợ tham gia hội chợ; các cơ sở đối "
            f"ứng {vnd(co)} ({ratio.text(lang)} tổng chi phí). Bình quân mỗi đề án được hỗ trợ "
            f"{vnd(mean)} (trung vị {vnd(median)}); tỷ lệ giải ngân so với kinh phí được phê "
            f"duyệt đạt {rate.text(lang)}."
        )
    else:
        text = (
            f"Public promotion funds of {vnd(funds.value)} were disbursed for support, plus "
            f"{vnd(fair_funds)} for fair participation; beneficiaries co-funded {vnd(co)} "
            f"({ratio.text(lang)} of total cost). The mean project received {vnd(mean)} "
            f"(median {vnd(median)}); {rate.text(lang)} of the approved support was disbursed."
        )
    paragraphs: tuple[str, ...] = (text,)
    outcomes = _outcomes(results, lang)
    if outcomes is not None:
        paragraphs += (outcomes[0],)
        rows += outcomes[1]
    return Section(title, paragraphs, (Table(title, headers, tuple(rows)),))


def _outcomes(
    results: dict[str, IndicatorResult], lang: Lang
) -> tuple[str, list[tuple[object, ...]]] | None:
    """The sentence and table rows on outcomes beneficiaries reported; ``None`` if none was.

    A record without a reported outcome is not behind these figures (a missing value is not
    zero), so "recorded" means some record is behind one of them.
    """
    jobs, income = results.get("jobs_created"), results.get("income_change")
    reported = [r for r in (jobs, income) if r is not None and r.records_behind()]
    if not reported:
        return None
    n = len({i for r in reported for i in r.records_behind()})
    vi = lang == "vi"
    parts: list[str] = []
    rows: list[tuple[object, ...]] = []
    if jobs is not None and jobs.records_behind():
        parts.append(
            f"tạo thêm {_n(jobs.value, lang)} việc làm mới"
            if vi
            else _counted(jobs.value, "new job", lang)
        )
        rows.append((jobs.indicator.label(lang), format_number(jobs.value, lang)))
    if income is not None and income.records_behind():
        amount = format_vnd(abs(income.value), lang)
        if vi:
            change = (
                f"tăng {amount}/năm"
                if income.value > 0
                else f"giảm {amount}/năm"
                if income.value < 0
                else "không đổi"
            )
            parts.append(f"thu nhập của thành viên, người lao động {change}")
        else:
            change = (
                f"a rise of {amount} a year"
                if income.value > 0
                else f"a fall of {amount} a year"
                if income.value < 0
                else "no change"
            )
            parts.append(f"{change} in members' and workers' income")
        rows.append((income.indicator.label(lang), format_vnd(income.value, lang)))
    if vi:
        text = (
            f"Các cơ sở báo cáo {' và '.join(parts)} sau khi được hỗ trợ "
            f"(theo {_n(n, lang)} bản ghi có báo cáo kết quả)."
        )
    else:
        records = _counted(n, "record", lang)
        text = (
            f"Beneficiaries reported {' and '.join(parts)} after support "
            f"(from {records} with reported outcomes)."
        )
    return text, rows


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
    vi = lang == "vi"
    sentences = []
    for cov in covs:
        share = cov.share
        if vi:
            s = (
                f"Hỗ trợ đã đến {share.numerator}/{share.denominator} đơn vị "
                f"{cov.level.label_vi} ({share.text(lang)})"
            )
            if cov.not_reached and cov.level is UnitLevel.DISTRICT:
                s += "; chưa có hỗ trợ tại " + ", ".join(n for _c, n in cov.not_reached)
        else:
            s = (
                f"Support reached {share.numerator} of {share.denominator} "
                f"{cov.level.value}s ({share.text(lang)})"
            )
            if cov.not_reached and cov.level is UnitLevel.DISTRICT:
                s += "; none in " + ", ".join(n for _c, n in cov.not_reached)
        sentences.append(s)
    outside = mix.share_outside
    sentences[1:] = [s[0].lower() + s[1:] for s in sentences[1:]]
    if vi:
        text = (
            "; ".join(sentences)
            + f". Có {outside.numerator}/{outside.denominator} {noun} ({outside.text(lang)}) "
            "hoạt động ngoài lĩnh vực chế biến nông, lâm, thủy sản và thực phẩm."
        )
    else:
        text = (
            "; ".join(sentences)
            + f". {outside.numerator} of {_counted(outside.denominator, noun, lang)} "
            f"({outside.text(lang)}) work outside agro-food processing."
        )
    tables = [results["by_area"].table(lang), mix.table(lang)]
    commune_cov = covs[-1]
    if commune_cov.not_reached:
        names = ", ".join(n for _c, n in commune_cov.not_reached)
        title = (
            f"Đơn vị {commune_cov.level.label_vi} chưa có cơ sở được hỗ trợ "
            f"({len(commune_cov.not_reached)})"
            if vi
            else f"{commune_cov.level.value.capitalize()}s not reached "
            f"({len(commune_cov.not_reached)})"
        )
        tables.append(Table(title, ("Danh sách" if vi else "List",), ((names,),)))
    chart: tuple[tuple[str, str | None], ...] = ()
    if charts:
        rows = results["by_area"].rows
        caption = "Số cơ sở được hỗ trợ theo địa bàn" if vi else "Supported by area"
        chart = (
            (
                caption,
                bar_chart(caption, [r.labels(lang)[0] for r in rows], [r.value for r in rows]),
            ),
        )
    title = "Địa bàn và ngành nghề" if vi else "Where support went"
    return Section(title, (text,), tuple(tables), chart)


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
    vi = lang == "vi"
    rows: list[tuple[object, ...]] = []
    labels: list[str] = []
    values: list[float] = []
    invented = False
    for t in targets.for_period(period):
        actual = target_actual(
            t.indicator, t.key, source, results=results, period=period, config=config
        )
        name = (
            STANDARD_INDICATORS[t.indicator].label(lang)
            if t.indicator in STANDARD_INDICATORS
            else t.indicator
        )
        if t.key:
            name += f" [{t.key}]"
        invented = invented or t.invented
        if actual is None:
            rows.append((name, str(t.target), "—", "—", t.citation.text(lang)))
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
        rows.append((name, shown_target, shown_actual, p.text(lang), t.citation.text(lang)))
        labels.append(name)
        values.append(float((p.clamped or Fraction(0)) * 100))
    headers = (
        ("Chỉ tiêu", "Mục tiêu", "Thực hiện", "Tiến độ", "Căn cứ")
        if vi
        else ("Indicator", "Target", "Actual", "Progress", "Source")
    )
    notes = []
    if invented:
        notes.append(
            "Chỉ tiêu trong bảng là giả định để minh họa, không phải chỉ tiêu thật."
            if vi
            else "These targets are invented for the example; no document sets them."
        )
    notes.append(
        "Tiến độ = (thực hiện − gốc) ÷ (mục tiêu − gốc), hiển thị trong khoảng 0–100%."
        if vi
        else "Progress = (actual − baseline) ÷ (target − baseline), shown clamped to 0–100%."
    )
    title = "Tiến độ so với chỉ tiêu" if vi else "Progress against targets"
    chart: tuple[tuple[str, str | None], ...] = ()
    if charts:
        chart = ((title, bar_chart(title, labels, values, xlabel="%", limit=100)),)
    table = Table(title, headers, tuple(rows), tuple(notes))
    return Section(title, (), (table,), chart)


_NATIONAL_TEXT: dict[str, dict[Lang, str]] = {
    "title": {
        "vi": "Bối cảnh: chỉ tiêu của Chương trình khuyến công quốc gia",
        "en": "Context: national industrial promotion programme targets",
    },
    "intro": {
        "vi": (
            "Các chỉ tiêu dưới đây là chỉ tiêu toàn quốc của Chương trình khuyến công quốc gia, "
            "không phải chỉ tiêu của {place}; cột “Đóng góp” là tỷ lệ mà các {noun} được hỗ trợ "
            "trên địa bàn đạt được so với chỉ tiêu toàn quốc."
        ),
        "en": (
            "The targets below are national targets of the national industrial promotion "
            "programme, not targets of {place}; the “Contribution” column is the share of the "
            "national target reached by the {noun} supported here."
        ),
    },
    "unknown": {
        "vi": (
            "Chỉ tiêu của {title} ({document}) chưa được cấu hình: giá trị cần lấy từ {source}. "
            "{note}"
        ),
        "en": (
            "The targets of the {title} ({document}) are not configured: they should come from "
            "{source}. {note}"
        ),
    },
    "headers": {
        "vi": (
            "Chỉ tiêu quốc gia|Mục tiêu toàn quốc|Kỳ chỉ tiêu|Thực hiện trên địa bàn|Đóng góp|"
            "Căn cứ"
        ),
        "en": "National target|National value|Target period|Achieved here|Contribution|Source",
    },
    "context": {
        "vi": (
            "Chỉ tiêu quốc gia là bối cảnh, không phải chỉ tiêu được giao cho địa phương; "
            "đóng góp = thực hiện trên địa bàn ÷ mục tiêu toàn quốc."
        ),
        "en": (
            "National targets are context, not targets set for the province; contribution = "
            "achieved here ÷ national value."
        ),
    },
    "partial_period": {
        "vi": "Thực hiện được tính trong {span} (phần của kỳ báo cáo trong kỳ chỉ tiêu).",
        "en": "Achievement is counted over {span} (the part of the report period in the target's).",
    },
    "approximate": {
        "vi": "(*) Bản ghi chỉ đo gần đúng chỉ tiêu này. {label}: {rule}",
        "en": "(*) Records only approximate this target. {label}: {rule}",
    },
    "not_measured": {
        "vi": "{label}: không tính được từ bản ghi ({reason}).",
        "en": "{label}: not measured from records ({reason}).",
    },
    "table": {"vi": "{title} ({document})", "en": "{title} ({document})"},
}


def _nt(key: str, lang: Lang, **values: str) -> str:
    return _NATIONAL_TEXT[key][lang].format(**values)


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
            paragraphs.append(
                _nt(
                    "unknown",
                    lang,
                    title=_in_sentence(programme.title(lang), lang),
                    document=programme.document,
                    source=programme.source_document,
                    note=programme.note(lang),
                ).strip()
            )
            continue
        measured = progress_of(programme.targets, source, period=period, scope=config.scope)
        if measured:
            tables.append(
                _national_table(programme.title(lang), programme.document, measured, lang)
            )
            if programme.note(lang):
                tables[-1] = attrs.evolve(
                    tables[-1], notes=(*tables[-1].notes, programme.note(lang))
                )
    if tables:
        paragraphs.insert(0, _nt("intro", lang, place=place, noun=_plural(noun, 2, lang)))
    return Section(_nt("title", lang), tuple(paragraphs), tuple(tables))


def _in_sentence(title: str, lang: Lang) -> str:
    """An English title inside a sentence ("the national … programme"); Vietnamese keeps it."""
    return title if lang == "vi" else title[0].lower() + title[1:]


def _national_table(
    title: str, document: str, measured: tuple[TargetProgress, ...], lang: Lang
) -> Table:
    rows: list[tuple[object, ...]] = []
    notes = [_nt("context", lang)]
    spans: set[str] = set()
    for m in measured:
        t = m.target
        label = t.label(lang)
        value = format_number(int(t.target), lang) if t.target == int(t.target) else str(t.target)
        target_period = t.as_period
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
            notes.append(_nt("not_measured", lang, label=label, reason=m.reason(lang)))
        elif t.approximate:
            notes.append(_nt("approximate", lang, label=label, rule=t.counting(lang)))
        if not m.whole_period:
            spans.add(f"{m.period.start.year}–{m.period.end.year}")
    notes[1:1] = [_nt("partial_period", lang, span=span) for span in sorted(spans)]
    headers = tuple(_NATIONAL_TEXT["headers"][lang].split("|"))
    return Table(
        _nt("table", lang, title=title, document=document), headers, tuple(rows), tuple(notes)
    )
