"""Periods: a year, a quarter, a month or a phase such as 2017–2020, all inclusive.

A period is a closed date range ``[start, end]``. A phase ("giai đoạn 2017–2020") is whole
calendar years, both ends included. Date arithmetic uses python-dateutil.

>>> p = Period.phase(2017, 2020)
>>> p.start, p.end
(datetime.date(2017, 1, 1), datetime.date(2020, 12, 31))
>>> dt.date(2020, 12, 31) in p, dt.date(2021, 1, 1) in p
(True, False)
>>> str(Period.quarter(2019, 3))
'2019-Q3'
>>> [str(y) for y in p.years()]
['2017', '2018', '2019', '2020']
>>> Period.parse("2017-2020") == p
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import attrs
from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, YEARLY, rrule

from khuyencong._arguments import expect
from khuyencong.domain._labels import LabelledEnum, register_labels
from khuyencong.exceptions import ValidationError
from khuyencong.messages import Lang, text

__all__ = ["Period", "PeriodKind", "format_date"]


class PeriodKind(LabelledEnum):
    """What kind of period a :class:`Period` is."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    PHASE = "phase"
    CUSTOM = "custom"


register_labels(
    PeriodKind,
    {
        PeriodKind.YEAR: ("Năm", "Year"),
        PeriodKind.QUARTER: ("Quý", "Quarter"),
        PeriodKind.MONTH: ("Tháng", "Month"),
        PeriodKind.PHASE: ("Giai đoạn", "Phase"),
        PeriodKind.CUSTOM: ("Khoảng thời gian", "Date range"),
    },
)

_PARSE = re.compile(
    r"^\s*(?:(?P<y1>\d{4})\s*[-–—]\s*(?P<y2>\d{4})"
    r"|(?P<qy>\d{4})-?Q(?P<q>[1-4])"
    r"|(?P<my>\d{4})-(?P<m>\d{2})"
    r"|(?P<y>\d{4})"
    r"|(?P<d1>\d{4}-\d{2}-\d{2})\s*(?:\.\.|/)\s*(?P<d2>\d{4}-\d{2}-\d{2}))\s*$",
    re.IGNORECASE,
)


def format_date(day: dt.date, lang: Lang | None = None) -> str:
    """A date as a reader of ``lang`` writes it: ``01/07/2025`` or ``2025-07-01``.

    >>> format_date(dt.date(2025, 7, 1), "vi"), format_date(dt.date(2025, 7, 1), "en")
    ('01/07/2025', '2025-07-01')

    Raises:
        ValidationError: If ``day`` is not a date.
    """
    expect(day, "day", dt.date)
    return text(
        "domain.date", lang, day=f"{day.day:02d}", month=f"{day.month:02d}", year=f"{day.year}"
    )


@attrs.frozen(order=False)
class Period:
    """A closed range of dates ``[start, end]``, with the kind of period it is.

    Attributes:
        start: The first day, included.
        end: The last day, included.
        kind: Year, quarter, month, phase (whole years) or custom.
    """

    start: dt.date
    end: dt.date
    kind: PeriodKind = PeriodKind.CUSTOM

    def __attrs_post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise ValidationError.single(f"$.{name}", value, text("domain.check.date_iso"))
        if self.end < self.start:
            raise ValidationError.single(
                "$.end",
                self.end,
                text("domain.check.period_backwards", start=self.start.isoformat()),
            )

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year ``year``."""
        start = dt.date(year, 1, 1)
        return cls(start, start + relativedelta(years=1, days=-1), PeriodKind.YEAR)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Quarter ``quarter`` (1–4) of ``year``."""
        if quarter not in (1, 2, 3, 4):
            raise ValidationError.single("$.quarter", quarter, text("domain.check.quarter"))
        start = dt.date(year, 3 * quarter - 2, 1)
        return cls(start, start + relativedelta(months=3, days=-1), PeriodKind.QUARTER)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """Month ``month`` (1–12) of ``year``."""
        if not 1 <= month <= 12:
            raise ValidationError.single("$.month", month, text("domain.check.month"))
        start = dt.date(year, month, 1)
        return cls(start, start + relativedelta(months=1, days=-1), PeriodKind.MONTH)

    @classmethod
    def phase(cls, first_year: int, last_year: int) -> Period:
        """A phase of whole calendar years, both included ("giai đoạn 2017–2020")."""
        if last_year < first_year:
            raise ValidationError.single(
                "$.last_year",
                last_year,
                text("domain.check.phase_backwards", first_year=first_year),
            )
        return cls(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31), PeriodKind.PHASE)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2017``, ``2017-2020``, ``2019-Q3``, ``2019-07`` or ``2019-01-01..2019-06-30``.

        Raises:
            ValidationError: If the text is none of these.
        """
        given: object = text  # the annotation is a promise the caller may break
        m = _PARSE.match(given) if isinstance(given, str) else None
        if m is None:
            raise ValidationError.single(
                "$",
                text,
                "not a period; write 2017, 2017-2020, 2019-Q3, 2019-07 or 2019-01-01..2019-06-30",
            )
        g = m.groupdict()
        if g["y1"]:
            return cls.phase(int(g["y1"]), int(g["y2"]))
        if g["qy"]:
            return cls.quarter(int(g["qy"]), int(g["q"]))
        if g["my"]:
            return cls.month(int(g["my"]), int(g["m"]))
        if g["y"]:
            return cls.year(int(g["y"]))
        return cls(dt.date.fromisoformat(g["d1"]), dt.date.fromisoformat(g["d2"]))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        return self.start <= other.end and other.start <= self.end

    @property
    def days(self) -> int:
        """The number of days, both ends included."""
        return (self.end - self.start).days + 1

    def years(self) -> Iterator[Period]:
        """The calendar years this period touches, each as a year period."""
        for start in rrule(YEARLY, dtstart=self.start.replace(month=1, day=1), until=self.end):
            yield Period.year(start.year)

    def months(self) -> Iterator[Period]:
        """The calendar months this period touches, each as a month period."""
        for start in rrule(MONTHLY, dtstart=self.start.replace(day=1), until=self.end):
            yield Period.month(start.year, start.month)

    def __str__(self) -> str:
        if self.kind is PeriodKind.YEAR:
            return str(self.start.year)
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month + 2) // 3}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind is PeriodKind.PHASE:
            return f"{self.start.year}-{self.end.year}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def label(self, lang: Lang | None = None) -> str:
        """A human label in ``lang``: ``giai đoạn 2017–2020`` / ``phase 2017–2020``.

        A phase of one year reads as that year.

        >>> Period.phase(2019, 2019).label("en"), Period.quarter(2019, 3).label("vi")
        ('year 2019', 'Quý 3/2019')
        """
        first, last = self.start.year, self.end.year
        if self.kind is PeriodKind.YEAR or (self.kind is PeriodKind.PHASE and first == last):
            return text("domain.period.year", lang, year=first)
        if self.kind is PeriodKind.QUARTER:
            quarter = (self.start.month + 2) // 3
            return text("domain.period.quarter", lang, quarter=quarter, year=first)
        if self.kind is PeriodKind.MONTH:
            return text("domain.period.month", lang, month=f"{self.start.month:02d}", year=first)
        if self.kind is PeriodKind.PHASE:
            return text("domain.period.phase", lang, first=first, last=last)
        return text(
            "domain.period.custom",
            lang,
            start=format_date(self.start, lang),
            end=format_date(self.end, lang),
        )
