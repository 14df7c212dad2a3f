"""Targets per indicator and phase, loaded from a data file with citations; IATI progress.

The library ships no targets: the national programme's figures (1288/QĐ-TTg to 2020,
1881/QĐ-TTg 2021–2025, 2646/QĐ-BCT 2026–2030) are not known to it. A centre writes its own
file (TOML or JSON)::

    [[target]]
    indicator = "establishments_supported"
    period = "2017-2020"
    baseline = 0
    target = 60
    invented = true
    citation = { document = "Ví dụ minh họa", confidence = "?" }

Progress follows the IATI convention: ``(actual − baseline) ÷ (target − baseline)``, shown
clamped to 0–100 % with the raw value kept.

>>> t = Target("trainees", "2017-2020", Decimal(200), citation=Citation("Ví dụ"), invented=True)
>>> p = progress(t, 250)
>>> p.raw, p.clamped, p.text("vi")
(Fraction(5, 4), Fraction(1, 1), '100,0% (thực tế 125,0%)')
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from khuyencong.converters import structure
from khuyencong.domain import Citation, Lang, Period
from khuyencong.exceptions import DataFileError, Problem, ValidationError
from khuyencong.indicators._results import format_percent

__all__ = ["Progress", "Target", "TargetSet", "load_targets", "progress"]


def _check_period(_inst: Target, _attr: attrs.Attribute[str], value: str) -> None:
    Period.parse(value)


@attrs.frozen
class Target:
    """A target value for one indicator over one period, with its citation.

    Attributes:
        indicator: The indicator code (``establishments_supported``, ``coverage[district]``…).
        period: The period as text (``2017-2020``), parsed by :meth:`Period.parse`.
        target: The target value (a count, đồng, or a ratio such as ``0.5``).
        citation: The document that sets the target.
        baseline: The value at the start of the period (default 0).
        key: A breakdown key when the target is for one part (``national``), else ``None``.
        invented: ``True`` for an example target that no document sets.
        note: Anything a reader should know.
    """

    indicator: str
    period: str = attrs.field(validator=_check_period)
    target: Decimal
    citation: Citation
    baseline: Decimal = Decimal(0)
    key: str | None = None
    invented: bool = False
    note: str = ""

    @property
    def as_period(self) -> Period:
        """The period as a :class:`Period`."""
        return Period.parse(self.period)


@attrs.frozen
class TargetSet:
    """Targets loaded from one file."""

    targets: tuple[Target, ...]
    source: str = ""

    def __iter__(self) -> Iterator[Target]:
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)

    def for_period(self, period: Period) -> tuple[Target, ...]:
        """The targets whose period is exactly ``period``."""
        return tuple(t for t in self.targets if t.as_period == period)

    def find(self, indicator: str, period: Period, key: str | None = None) -> Target | None:
        """The target of an indicator (and key) for a period, if any."""
        for t in self.targets:
            if t.indicator == indicator and t.key == key and t.as_period == period:
                return t
        return None


def load_targets(path: str | Path) -> TargetSet:
    """Read targets from a ``.toml`` (``[[target]]`` tables) or ``.json`` (``{"target": [...]}``).

    Raises:
        DataFileError: The file cannot be read, or a target is invalid (every problem listed
            with its ``$.target[i]`` path), or a target is given twice.
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
        data: Any = tomllib.loads(raw.decode()) if file.suffix == ".toml" else json.loads(raw)
    except (OSError, ValueError) as exc:
        raise DataFileError(str(file), [Problem("$", f"cannot read the file: {exc}")]) from exc
    items = data.get("target", []) if isinstance(data, dict) else None
    if not isinstance(items, list):
        problem = Problem("$.target", "must be a list of targets")
        raise DataFileError(str(file), [problem])
    try:
        targets = structure(items, list[Target])
    except ValidationError as exc:
        raise DataFileError(str(file), exc.prefixed("$.target").problems) from None
    return TargetSet(tuple(_unique(targets, str(file))), str(file))


def _unique(targets: Iterable[Target], source: str) -> list[Target]:
    seen: set[tuple[str, str | None, Period]] = set()
    out = []
    for i, t in enumerate(targets):
        ident = (t.indicator, t.key, t.as_period)
        if ident in seen:
            problem = Problem(f"$.target[{i}]", "this indicator, key and period appear twice")
            raise DataFileError(source, [problem])
        seen.add(ident)
        out.append(t)
    return out


@attrs.frozen
class Progress:
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

    def text(self, lang: Lang = "vi") -> str:
        """The clamped percentage, with the raw one when they differ."""
        shown = format_percent(self.clamped, lang)
        if self.raw is not None and self.raw != self.clamped:
            word = "thực tế" if lang == "vi" else "raw"
            return f"{shown} ({word} {format_percent(self.raw, lang)})"
        return shown


def progress(target: Target, actual: int | Fraction | Decimal) -> Progress:
    """Progress of ``actual`` against ``target``: ``(actual − baseline) ÷ (target − baseline)``."""
    act = Fraction(actual)
    span = Fraction(target.target) - Fraction(target.baseline)
    raw = None if span == 0 else (act - Fraction(target.baseline)) / span
    return Progress(target, act, raw)
