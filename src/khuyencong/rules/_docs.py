"""Reference pages generated from the legal data files, so the docs never disagree with code.

:func:`render_reference_pages` writes one Markdown page per rule family (eligibility, support,
cooperatives, SME size, conditions, projects, awards, OCOP) listing every parameter with its
values, dates, confidence tags and citations.

>>> import tempfile, pathlib
>>> pages = render_reference_pages(pathlib.Path(tempfile.mkdtemp()))
>>> sorted(p.name for p in pages)[:3]
['awards.md', 'conditions.md', 'cooperatives.md']
"""

from __future__ import annotations

import enum
from functools import cache
from pathlib import Path

from khuyencong.domain import (
    AwardLevel,
    BusinessSectorGroup,
    LegalForm,
    ProductGroup,
    Sector,
    SupportContent,
)
from khuyencong.rules._catalogue import CATALOGUE, FAMILIES
from khuyencong.rules._explain import format_value
from khuyencong.rules._parameters import DerivedCap, ParameterEntry
from khuyencong.rules._rulesets import RuleSet
from khuyencong.units import UnitType

__all__ = ["render_family", "render_reference_pages"]

_TITLES = {
    "awards": "Typical rural-industrial product award",
    "conditions": "Support conditions and priorities",
    "cooperatives": "Cooperatives",
    "eligibility": "Eligibility",
    "ocop": "OCOP stars",
    "projects": "Projects, money flow and deadlines",
    "sme_size": "SME size classes",
    "support": "Support amounts",
}


# The enums a parameter's text values name, most specific first: a code two enums share
# ("commune") is named by the first.
_NAMED: tuple[type[enum.Enum], ...] = (
    LegalForm,
    SupportContent,
    Sector,
    BusinessSectorGroup,
    ProductGroup,
    UnitType,
    AwardLevel,
)


@cache
def _labels() -> dict[str, str]:
    found: dict[str, str] = {}
    for kind in _NAMED:
        for member in kind:
            label = getattr(member, "label", None)
            if callable(label):
                found.setdefault(str(member.value), str(label("en")))
    return found


def _code(value: str) -> str:
    """A code as the page shows it: its English label beside it when an enum names it
    (``Cooperative (`cooperative`)``), else the code as code."""
    label = _labels().get(value)
    return f"{label} (`{value}`)" if label else f"`{value}`"


def _value(entry: ParameterEntry) -> str:
    if not entry.configured:
        return f"not configured — from {entry.source_document.en}"
    value = entry.value
    if isinstance(value, DerivedCap):
        return f"{value.factor} × the {value.of} cap"
    if value is None:
        return "no cap"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1_000_000:
        return f"{value:,} đồng"
    codes = value if isinstance(value, tuple | list) else (value,)
    if codes and all(isinstance(c, str) and c.isidentifier() for c in codes):
        return ", ".join(_code(c) for c in codes)
    return format_value(value, "en").replace("|", "\\|")


def render_family(family: str, rules: RuleSet | None = None) -> str:
    """The Markdown reference page of one rule family.

    One section per parameter: what it means (English and Vietnamese), then its dated values
    with their citations and confidence tags, then what was verified for each value and where.
    """
    params = (rules or RuleSet.national()).parameters
    lines = [
        f"# {_TITLES.get(family, family)}",
        "",
        (
            "Generated from `khuyencong/data/legal/*.toml` at every build; do not edit by "
            "hand. Tags: [V] verified in the legal text, [V2] reliable secondary source, [U] "
            "unverified default (override it with an overlay), [?] unknown (a lookup raises "
            "`NotConfiguredError` naming the document that should supply it)."
        ),
        "",
    ]
    for name, spec in CATALOGUE.items():
        if spec.family != family or name not in params:
            continue
        lines += [
            f"## `{name}`",
            "",
            f"{spec.description_en} — *{spec.description_vi}*",
            "",
            "| From | To | Value | Citation |",
            "|---|---|---|---|",
        ]
        notes = []
        for e in params[name].entries:
            end = e.end.isoformat() if e.end else "—"
            lines.append(
                f"| {e.start.isoformat()} | {end} | {_value(e)} | {e.citation.text('en')} |"
            )
            if e.citation.note:
                notes.append(f"- From {e.start.isoformat()}: {e.citation.note}")
        lines += ["", *notes, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_reference_pages(out_dir: Path | str, rules: RuleSet | None = None) -> list[Path]:
    """Write one page per rule family into ``out_dir``; return the paths written."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for family in FAMILIES:
        path = folder / f"{family}.md"
        path.write_text(render_family(family, rules), encoding="utf-8")
        written.append(path)
    return written
