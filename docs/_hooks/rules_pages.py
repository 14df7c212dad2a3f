"""MkDocs hook: the legal-rules reference pages, generated from the data files at build time.

One page per rule family (eligibility, support amounts, cooperatives, SME size, conditions,
projects, awards, OCOP) under ``reference/rules/``, each listing every parameter with its dated
values, confidence tags and citations, rendered by
:func:`khuyencong.rules._docs.render_family` from ``khuyencong/data/legal/*.toml``. The pages
never exist in ``docs/``: they are made on every build, so the docs cannot disagree with the
code. ``mkdocs.yml`` lists them in the navigation under Reference → Legal rules.

A further page, ``reference/rules/provinces.md``, lists the shipped provincial overlays (which
province issued which document, its dates, tag, the local-fund levels it sets and the public
sources it was read in), from :func:`khuyencong.rules.provinces`.

MkDocs is imported inside the hook, so that ``pytest --doctest-modules`` can import this file
without the docs extras.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

PAGES_DIR = "reference/rules"
"""Where the generated pages live in the site (beside the curated ``reference/rules.md``)."""


def generated_pages() -> dict[str, str]:
    """The generated pages: path in the site → Markdown.

    >>> pages = generated_pages()
    >>> "reference/rules/support.md" in pages
    True
    >>> pages["reference/rules/awards.md"].splitlines()[0]
    '# Typical rural-industrial product award'
    """
    from khuyencong.rules._catalogue import FAMILIES  # noqa: PLC0415  (see the module docstring)
    from khuyencong.rules._docs import render_family  # noqa: PLC0415

    pages = {f"{PAGES_DIR}/{family}.md": render_family(family) for family in FAMILIES}
    pages[f"{PAGES_DIR}/provinces.md"] = render_provinces()
    return pages


def _money(value: object) -> str:
    from khuyencong.rules import DerivedCap  # noqa: PLC0415  (see the module docstring)

    if value is None:
        return "no cap"
    if isinstance(value, DerivedCap):
        return f"{value.factor} × the {value.of} cap"
    return f"{value:,} đồng"


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_provinces() -> str:
    """The page listing the shipped provincial overlays, one section per issuing province.

    >>> page = render_provinces()
    >>> page.splitlines()[0]
    '# Provincial overlays'
    >>> "RuleSet.for_province" in page
    True
    """
    from khuyencong.rules import provinces  # noqa: PLC0415  (see the module docstring)

    lines = [
        "# Provincial overlays",
        "",
        (
            "Generated from `khuyencong/data/legal/overlays/*.toml` at every build; do not edit "
            "by hand. Each file is one provincial document — a People's Committee decision "
            "(QĐ-UBND) or a People's Council resolution (NQ-HĐND) — setting local-fund support "
            "levels. Load a province's rules with `RuleSet.for_province(code)` (a code of any "
            "of the three maps); list them with `khuyencong.rules.provinces()`. A "
            "value a document leaves unknown raises `NotConfiguredError` naming the document. "
            "The invented `example-province.toml` is not listed. Tags as on the other pages: "
            "[V] verified in the text, [V2] secondary source, [U] unverified default, [?] "
            "unknown."
        ),
        "",
    ]
    for record in provinces():
        new_code, new_name = record.now_part_of
        lines += [
            f"## {record.name} ({record.code}, {record.map_id.label_en})",
            "",
            f"Now part of {new_name} ({new_code}) on the post-reform map.",
            "",
        ]
        for doc in record.documents:
            period = f"from {doc.effective_from.isoformat()}"
            if doc.effective_to:
                period += f" to {doc.effective_to.isoformat()}"
            amends = f"; amends {doc.amends}" if doc.amends else ""
            lines += [
                f"### {doc.number}",
                "",
                f"{doc.title} — {doc.issuer}{amends}.",
                "",
                (
                    f"In force {period} [{doc.confidence.value}]; {len(doc.levels)} local-fund "
                    f"levels set, {len(doc.unknown)} values left unknown."
                ),
                "",
            ]
            if doc.levels:
                lines += [
                    "| Content | From | To | Rate | Cap | Per | Tag |",
                    "|---|---|---|---|---|---|---|",
                ]
                for lv in doc.levels:
                    to = lv.effective_to.isoformat() if lv.effective_to else "—"
                    lines.append(
                        f"| {lv.content.label_en} | {lv.effective_from.isoformat()} | {to} "
                        f"| {_percent(lv.rate)} | {_money(lv.cap)} | {_cell(lv.per)} "
                        f"| [{lv.confidence.value}] |"
                    )
                lines.append("")
            if doc.sources:
                lines += ["Read in:", "", *(f"- <{url}>" for url in doc.sources), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def on_files(files: Any, config: Any) -> Any:
    """Add the generated pages to the site's files (MkDocs ``on_files`` event)."""
    from mkdocs.structure.files import File  # noqa: PLC0415  (see the module docstring)

    for path, markdown in generated_pages().items():
        files.append(File.generated(config, path, content=markdown))
    return files
