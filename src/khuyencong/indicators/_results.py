"""Results: figures with the records behind them, tables, and exports (CSV, pandas, Jupyter).

Numbers stay exact: counts and đồng are ``int``, ratios are :class:`~fractions.Fraction`.
Formatting happens only when a table is rendered. Every result has ``to_data()`` (JSON-ready,
exact ratios as text such as ``"3/7"``); all but :class:`Table` read it back with
``from_data()``.

>>> from fractions import Fraction
>>> format_percent(Fraction(2, 3), "vi"), format_percent(Fraction(2, 3), "en")
('66,7%', '66.7%')
>>> format_number(1234567, "vi"), format_number(1234567, "en")
('1.234.567', '1,234,567')
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from khuyencong._arguments import Arguments, expect
from khuyencong._data import AsData, ToData
from khuyencong._files import csv_text
from khuyencong.display import escape, fragment, markdown_escape
from khuyencong.domain import Period, format_vnd
from khuyencong.exceptions import MissingExtraError, NotFoundError
from khuyencong.indicators._model import Breakdown, Filter, Indicator, Unit
from khuyencong.messages import LANGS, Lang, Text, resolve_language, text
from khuyencong.units import MapId, UnitLevel, load_map

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Coverage",
    "Figure",
    "IndicatorResult",
    "ProjectSize",
    "Ratio",
    "SectorMix",
    "Table",
    "format_number",
    "format_percent",
    "format_value",
]


def format_number(n: int, lang: Lang | None = None) -> str:
    """A whole number with thousands separators (``1.234`` in Vietnamese, ``1,234`` in English).

    Raises:
        ValidationError: If ``n`` is not a whole number.
    """
    expect(n, "n", int)
    return f"{n:,}".replace(",", text("domain.number.thousands", lang))


def _decimal(value: Fraction, places: int) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(quantum, rounding=ROUND_HALF_EVEN)


def format_percent(value: Fraction | None, lang: Lang | None = None, places: int = 1) -> str:
    """A ratio as a percentage, rounded half-even to ``places`` (``—`` when undefined).

    Raises:
        ValidationError: If ``value`` is not an exact ratio, or ``places`` not a count.
    """
    args = Arguments()
    args.optional(value, "value", Fraction, int)
    args.count(places, "places")
    args.check()
    if value is None:
        return "—"
    value = Fraction(value)
    return f"{_decimal(value * 100, places)}%".replace(".", text("domain.number.decimal", lang))


def format_value(value: int, unit: Unit, lang: Lang | None = None) -> str:
    """A figure in its unit's way: đồng as ``1.234.567 đ``, counts with separators.

    Raises:
        ValidationError: If ``value`` is not a whole number or ``unit`` not a unit.
    """
    args = Arguments()
    args.instance(value, "value", int)
    args.instance(unit, "unit", Unit)
    args.check()
    if unit is Unit.VND:
        return format_vnd(value, lang)
    return format_number(value, lang)


def _pandas() -> Any:
    """The pandas module, or a :class:`MissingExtraError` naming the extra to install."""
    try:
        import pandas as pd  # noqa: PLC0415  (an optional extra, imported when used)
    except ImportError:
        raise MissingExtraError("pandas", text("common.missing_extra", extra="pandas")) from None
    return pd


def _cell_text(cell: object, lang: Lang | None) -> str:
    if isinstance(cell, bool) or cell is None:
        return "" if cell is None else str(cell)
    if isinstance(cell, int):
        return format_number(cell, lang)
    if isinstance(cell, Fraction):
        return format_percent(cell, lang)
    return str(cell)


@attrs.frozen
class Table(ToData):
    """A rendered-ready table: a title, headings, rows of cells, notes.

    Cells are ``str``, ``int`` (shown with separators) or ``Fraction`` (shown as a percentage);
    pre-formatted money is a ``str``. :meth:`to_data` writes an exact ratio as text (``"3/7"``),
    so a table has no ``from_data`` (a text cell and a ratio would read back alike).

    >>> t = Table("Ví dụ", ("Nội dung", "Số"), (("A", 1200), ("B", 3)))
    >>> print(t.to_markdown("vi"))
    **Ví dụ**
    <BLANKLINE>
    | Nội dung | Số |
    |---|---:|
    | A | 1.200 |
    | B | 3 |
    >>> t.to_csv().splitlines()[1]
    'A,1200'
    >>> Table("", ("Share",), ((Fraction(6, 7),),)).to_data()["rows"]
    [['6/7']]
    """

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]  # str, int, Fraction or None: written by their type
    notes: tuple[str, ...] = ()

    def _align(self) -> list[str]:
        aligns = []
        for j in range(len(self.headers)):
            numeric = bool(self.rows) and all(
                isinstance(r[j], int | Fraction) and not isinstance(r[j], bool)
                for r in self.rows
                if r[j] is not None
            )
            aligns.append("---:" if numeric else "---")
        return aligns

    def to_markdown(self, lang: Lang | None = None) -> str:
        """The table as GitHub-flavoured Markdown; every text is escaped (no raw HTML passes)."""
        md = markdown_escape
        lines = [f"**{md(self.title)}**", ""] if self.title else []
        lines.append("| " + " | ".join(md(h) for h in self.headers) + " |")
        lines.append("|" + "|".join(self._align()) + "|")
        for row in self.rows:
            cells = (md(_cell_text(c, lang)) for c in row)
            lines.append("| " + " | ".join(cells) + " |")
        if self.notes:
            lines.append("")
            lines.extend(f"*{md(n)}*" for n in self.notes)
        return "\n".join(lines)

    def to_html(self, lang: Lang | None = None) -> str:
        """The table as an HTML ``<table>`` (escaped)."""
        aligns = self._align()
        out = ['<table class="kc-table">']
        if self.title:
            out.append(f"<caption>{html.escape(self.title)}</caption>")
        out.append("<thead><tr>")
        out.extend(f"<th>{html.escape(h)}</th>" for h in self.headers)
        out.append("</tr></thead><tbody>")
        for row in self.rows:
            out.append("<tr>")
            for cell, align in zip(row, aligns, strict=True):
                style = ' style="text-align:right"' if align == "---:" else ""
                out.append(f"<td{style}>{html.escape(_cell_text(cell, lang))}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        out.extend(f'<p class="kc-note">{html.escape(n)}</p>' for n in self.notes)
        return "".join(out)

    def to_csv(self, *, neutralise_formulas: bool = True) -> str:
        """The table as CSV: raw values (integers, exact ratios as decimals), no formatting.

        A text cell a spreadsheet program would run as a formula (``=``, ``+``, ``-``, ``@``
        first) gets a ``'`` in front; ``neutralise_formulas=False`` writes it as it is.
        """
        cells = [
            [str(_decimal(c, 6)) if isinstance(c, Fraction) else c for c in r] for r in self.rows
        ]
        rows = [self.headers, *cells]
        return csv_text(rows, neutralise_formulas=neutralise_formulas)

    def to_dataframe(self) -> pd.DataFrame:
        """The table as a pandas DataFrame (needs the ``pandas`` extra).

        Raises:
            MissingExtraError: If pandas is not installed (the message says how to install it).
        """
        pd = _pandas()
        return pd.DataFrame([list(r) for r in self.rows], columns=list(self.headers))

    def _repr_html_(self) -> str:
        return fragment(self.to_html())


@attrs.frozen
class Figure(AsData):
    """One figure of an indicator, with the records behind it.

    Attributes:
        key: The breakdown keys (empty for the total).
        labels_vi: The keys as Vietnamese labels.
        labels_en: The keys as English labels.
        value: The figure (a count, persons, or đồng).
        record_ids: The ids of the records it was computed from (drill-down).
    """

    key: tuple[str, ...]
    labels_vi: tuple[str, ...]
    labels_en: tuple[str, ...]
    value: int
    record_ids: tuple[str, ...] = ()

    def labels(self, lang: Lang | None = None) -> tuple[str, ...]:
        """The key labels in ``lang`` (the language in force by default)."""
        return (self.labels_vi, self.labels_en)[LANGS.index(resolve_language(lang))]


@attrs.frozen
class IndicatorResult(AsData):
    """An indicator computed over a period, with its total and its breakdown.

    Attributes:
        indicator: The definition computed.
        period: The period.
        by: The breakdown dimensions.
        total: The figure over every kept record.
        rows: One figure per key, largest first.
        scope: The report scope applied on top of the indicator's own filter.
        unmapped: Unit codes that could not be placed in the target map (their records are
            under the ``unknown`` key).
    """

    indicator: Indicator
    period: Period
    by: tuple[Breakdown, ...]
    total: Figure
    rows: tuple[Figure, ...] = ()
    scope: Filter = attrs.field(factory=Filter)
    unmapped: tuple[str, ...] = ()

    @property
    def value(self) -> int:
        """The total figure."""
        return self.total.value

    @property
    def code(self) -> str:
        """The indicator's code."""
        return self.indicator.code

    def get(self, *key: str, default: int = 0) -> int:
        """The figure for a key (``default`` when no record has it).

        Enum members may be passed for their value.
        """
        try:
            return self.figure(*key).value
        except NotFoundError:
            return default

    def figure(self, *key: str) -> Figure:
        """The figure for a key, or the total with no key.

        Raises:
            NotFoundError: If no record has that key.
        """
        if not key:
            return self.total
        wanted = tuple(str(k.value) if hasattr(k, "value") else str(k) for k in key)
        for row in self.rows:
            if row.key == wanted:
                return row
        raise NotFoundError("figure", f"{self.code}: {'/'.join(wanted)}")

    def records_behind(self, *key: str) -> tuple[str, ...]:
        """The ids of the records behind a figure (the total with no key)."""
        return self.figure(*key).record_ids

    @property
    def breakdown_total(self) -> int:
        """The sum of the breakdown's figures (may exceed the total for distinct counts)."""
        return sum(r.value for r in self.rows)

    def table(self, lang: Lang | None = None, *, title: str | None = None) -> Table:
        """The result as a table: one row per key, then the total."""
        unit = self.indicator.unit
        heading = text(
            "indicators.table.heading",
            lang,
            label=self.indicator.label(lang),
            unit=unit.label(lang),
        )
        headers = (*(b.label(lang) for b in self.by), heading)
        total_label = text("indicators.table.total", lang)
        rows: list[tuple[object, ...]] = []
        money = unit is Unit.VND
        for row in self.rows:
            value: object = format_value(row.value, unit, lang) if money else row.value
            rows.append((*row.labels(lang), value))
        total: object = format_value(self.value, unit, lang) if money else self.value
        rows.append((total_label, *([""] * (len(self.by) - 1)), total) if self.by else (total,))
        notes = [self.indicator.note(lang)] if self.indicator.note(lang) else []
        if self.rows and self.breakdown_total != self.value and not money:
            breakdown_sum = format_number(self.breakdown_total, lang)
            notes.append(text("indicators.table.breakdown_differs", lang, sum=breakdown_sum))
        if self.unmapped:
            codes = ", ".join(self.unmapped)
            notes.append(text("indicators.table.unmapped", lang, codes=codes))
        return Table(title or self.indicator.label(lang), headers, tuple(rows), tuple(notes))

    def to_csv(self, *, neutralise_formulas: bool = True) -> str:
        """The breakdown as CSV with raw values (keys, labels, value, record count).

        A label a spreadsheet program would run as a formula gets a ``'`` in front, as in
        :meth:`Table.to_csv`.
        """
        rows: list[list[object]] = [
            [
                "indicator",
                "period",
                *(f"{b.label('en').lower().replace(' ', '_')}_key" for b in self.by),
                *(b.label("en").lower().replace(" ", "_") for b in self.by),
                "value",
                "records",
            ]
        ]
        for row in (*self.rows, self.total):
            keys = row.key or ("",) * len(self.by)
            labels = row.labels_vi or ("",) * len(self.by)
            rows.append(
                [self.code, str(self.period), *keys, *labels, row.value, len(row.record_ids)]
            )
        return csv_text(rows, neutralise_formulas=neutralise_formulas)

    def to_dataframe(self) -> pd.DataFrame:
        """The breakdown as a pandas DataFrame (needs the ``pandas`` extra).

        Each breakdown has a column of its keys (headed by its English label, a stable name:
        unit codes, enum values) and, beside it, a column of their names in the language in
        force (``Huyện Lục Ngạn`` / ``Lục Ngạn district``).

        Raises:
            MissingExtraError: If pandas is not installed (the message says how to install it).
        """
        pd = _pandas()
        data: list[dict[str, Any]] = []
        for row in self.rows or (self.total,):
            item: dict[str, Any] = {}
            for b, key, label in zip(self.by, row.key, row.labels(), strict=True):
                item[b.label("en")] = key
                item[text("indicators.name_column", heading=b.label())] = label
            item["value"] = row.value
            item["record_ids"] = list(row.record_ids)
            data.append(item)
        return pd.DataFrame(data)

    def _repr_html_(self) -> str:
        return fragment(self.table().to_html())


@attrs.frozen
class Ratio(AsData):
    """An exact ratio: ``numerator ÷ denominator`` (undefined when the denominator is 0).

    >>> r = Ratio("disbursement_rate", "Tỷ lệ giải ngân", "Disbursement rate", 3, 4)
    >>> r.value, r.percent(), r.text("vi")
    (Fraction(3, 4), Decimal('75.0'), '75,0%')
    """

    code: str
    label_vi: str
    label_en: str
    numerator: int
    denominator: int

    @property
    def value(self) -> Fraction | None:
        """The exact ratio, or ``None`` when the denominator is 0."""
        return None if self.denominator == 0 else Fraction(self.numerator, self.denominator)

    def percent(self, places: int = 1) -> Decimal | None:
        """The ratio in percent, rounded half-even to ``places``."""
        v = self.value
        return None if v is None else _decimal(v * 100, places)

    @classmethod
    def of(cls, code: str, numerator: int, denominator: int, **fields: object) -> Ratio:
        """A ratio labelled from the catalogue (``indicators.ratio.<code>``, with ``fields``).

        >>> Ratio.of("disbursement_rate", 1, 2).label("en")
        'Disbursed ÷ approved'
        """
        key = f"indicators.ratio.{code}"
        return cls(
            code,
            text(key, "vi", **fields),
            text(key, "en", **fields),
            numerator,
            denominator,
        )

    def text(self, lang: Lang | None = None) -> str:
        """The percentage as text."""
        return format_percent(self.value, lang)

    def label(self, lang: Lang | None = None) -> str:
        """The label in ``lang`` (the language in force by default)."""
        return Text(self.label_vi, self.label_en).get(lang)

    def _repr_html_(self) -> str:
        return fragment(f"<b>{escape(self.label())}</b>: {escape(self.text())}")


@attrs.frozen
class Coverage(AsData):
    """Which units of a map were reached by at least one supported establishment.

    Attributes:
        level: District or commune (or province).
        map_id: The map whose units are counted.
        within: The province codes (of that map) whose units form the denominator.
        reached: ``(code, name, establishments)`` for each unit reached, by code.
        not_reached: ``(code, name)`` for each unit not reached, by code.
    """

    level: UnitLevel
    map_id: MapId
    within: tuple[str, ...]
    reached: tuple[tuple[str, str, int], ...]
    not_reached: tuple[tuple[str, str], ...]

    @property
    def share(self) -> Ratio:
        """Units reached ÷ units of the map within the provinces."""
        n = len(self.reached)
        level = {lang: self.level.label(lang) for lang in LANGS}
        return Ratio(
            f"coverage[{self.level.value}]",
            text("indicators.ratio.coverage", "vi", level=level["vi"]),
            text("indicators.ratio.coverage", "en", level=level["en"]),
            n,
            n + len(self.not_reached),
        )

    def names(self, codes: Iterable[str], lang: Lang | None = None) -> tuple[str, ...]:
        """The names of units of this map, as a reader of ``lang`` writes them."""
        units = load_map(self.map_id)
        return tuple(units.get(code).label(lang) for code in codes)

    def table(self, lang: Lang | None = None) -> Table:
        """Reached and not reached units, one row each."""
        yes, no = text("indicators.coverage.yes", lang), text("indicators.coverage.no", lang)
        reached = self.names((c for c, _n, _k in self.reached), lang)
        missing = self.names((c for c, _n in self.not_reached), lang)
        rows: list[tuple[object, ...]] = [
            (name, n, yes) for name, (_c, _k, n) in zip(reached, self.reached, strict=True)
        ]
        rows.extend((name, 0, no) for name in missing)
        title = text(
            "indicators.coverage.title",
            lang,
            level=self.level.label(lang),
            share=self.share.text(lang),
        )
        headers = tuple(
            text(f"indicators.coverage.{name}", lang)
            for name in ("unit", "establishments", "reached")
        )
        return Table(title, headers, tuple(rows))

    def summary(self, lang: Lang | None = None) -> str:
        """One sentence: how many units of the level were reached, of how many."""
        share = self.share
        return text(
            "indicators.coverage.summary",
            lang,
            reached=share.numerator,
            units=share.denominator,
            level=self.level.label(lang),
            share=share.text(lang),
        )

    def _repr_html_(self) -> str:
        return fragment(self.table().to_html())


@attrs.frozen
class SectorMix(AsData):
    """Distinct establishments supported by sector, and the share outside agro-food processing.

    Attributes:
        rows: ``(sector value, vi label, en label, establishments)``, largest first.
        total: Distinct establishments supported.
        outside: Of these, establishments with no agro-food processing sector.
    """

    rows: tuple[tuple[str, str, str, int], ...]
    total: int
    outside: int

    @property
    def share_outside(self) -> Ratio:
        """Establishments outside agriculture-linked processing ÷ all supported."""
        return Ratio.of("sector_mix", self.outside, self.total)

    def table(self, lang: Lang | None = None) -> Table:
        """One row per sector, with its share of the establishments supported."""
        rows = tuple(
            (Text(vi, en).get(lang), n, Fraction(n, self.total) if self.total else None)
            for _v, vi, en, n in self.rows
        )
        headers = tuple(
            text(f"indicators.sector_mix.{name}", lang)
            for name in ("sector", "establishments", "share")
        )
        note = text("indicators.sector_mix.note", lang)
        return Table(text("indicators.sector_mix.title", lang), headers, rows, (note,))

    def _repr_html_(self) -> str:
        return fragment(self.table().to_html())


@attrs.frozen
class ProjectSize(AsData):
    """Mean and median approved support per project (exact).

    Attributes:
        amounts: The approved amount of each project, in đồng, ascending.
    """

    amounts: tuple[int, ...]

    @property
    def count(self) -> int:
        """The number of projects."""
        return len(self.amounts)

    @property
    def total(self) -> int:
        """The approved support of all projects, in đồng."""
        return sum(self.amounts)

    @property
    def mean(self) -> Fraction | None:
        """The exact mean, or ``None`` without projects."""
        return Fraction(self.total, self.count) if self.amounts else None

    @property
    def median(self) -> Fraction | None:
        """The exact median, or ``None`` without projects."""
        a, n = self.amounts, len(self.amounts)
        if not n:
            return None
        return Fraction(a[n // 2]) if n % 2 else Fraction(a[n // 2 - 1] + a[n // 2], 2)

    @staticmethod
    def whole_dong(value: Fraction | None) -> int | None:
        """An exact amount rounded half-even to whole đồng, for display."""
        return None if value is None else int(_decimal(value, 0))


def sort_rows(rows: Sequence[Figure]) -> tuple[Figure, ...]:
    """Figures largest first, then by key."""
    return tuple(sorted(rows, key=lambda f: (-f.value, f.key)))
