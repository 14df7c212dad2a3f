"""MkDocs hook: the legal-rules reference pages, generated from the data files at build time.

One page per rule family (eligibility, support amounts, cooperatives, SME size, conditions,
projects, awards, OCOP) under ``reference/rules/``, each listing every parameter with its dated
values, confidence tags and citations, rendered by
:func:`khuyencong.rules.docs.render_family` from ``khuyencong/data/legal/*.toml``. The pages
never exist in ``docs/``: they are made on every build, so the docs cannot disagree with the
code. ``mkdocs.yml`` lists them in the navigation under Reference → Legal rules.

MkDocs is imported inside the hook, so that ``pytest --doctest-modules`` can import this file
without the docs extras.
"""

from __future__ import annotations

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
    from khuyencong.rules.docs import render_family  # noqa: PLC0415

    return {f"{PAGES_DIR}/{family}.md": render_family(family) for family in FAMILIES}


def on_files(files: Any, config: Any) -> Any:
    """Add the generated pages to the site's files (MkDocs ``on_files`` event)."""
    from mkdocs.structure.files import File  # noqa: PLC0415  (see the module docstring)

    for path, markdown in generated_pages().items():
        files.append(File.generated(config, path, content=markdown))
    return files
