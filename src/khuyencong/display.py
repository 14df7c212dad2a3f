"""Rich display in notebooks: small HTML fragments that leave the notebook's own page alone.

Jupyter shows an object through its ``_repr_html_``. Every object of the library that has one
returns a *fragment* built here: one ``<div class="kc-display">`` whose styles are scoped to
that class (no ``<html>``, no ``<body>``, no style on the page around it), every text escaped,
and its words in the language in force (:func:`khuyencong.messages.set_language`). Big
collections show a summary with counts, never their whole content.

>>> from khuyencong.display import fragment, summary_table
>>> html = fragment(summary_table("Ví dụ", [("Cơ sở", 3)]))
>>> html.startswith('<div class="kc-display"'), "<body" in html, "Ví dụ" in html
(True, False, True)
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from khuyencong.messages import Lang, resolve_language

__all__ = ["STYLE", "escape", "fragment", "markdown_escape", "summary_table"]

STYLE = (
    ".kc-display{line-height:1.4;max-width:100%;overflow-x:auto}"
    ".kc-display table{border-collapse:collapse;margin:.4em 0;font-size:.9em;"
    "table-layout:auto;width:auto}"
    ".kc-display table td,.kc-display table th{border:1px solid #ccc;padding:.2em .5em;"
    "text-align:left;vertical-align:top;white-space:normal;max-width:32em}"
    ".kc-display table td.kc-num{text-align:right}"
    ".kc-display caption{font-weight:bold;text-align:left}"
    ".kc-display .kc-note{font-size:.85em;color:#555}"
    ".kc-display .kc-yes{color:#1a7f37;font-weight:bold}"
    ".kc-display .kc-no{color:#b42318;font-weight:bold}"
)
"""The CSS of a fragment: every rule scoped to ``.kc-display``, nothing on the page itself."""


def escape(value: object) -> str:
    """Any value as text safe inside HTML (``<``, ``>``, ``&`` and quotes escaped)."""
    return html.escape(str(value))


_MARKDOWN_ACTIVE = re.compile(r"([\\`*_|~])")
_LINK = re.compile(r"\](?=[(\[])")


def markdown_escape(value: object) -> str:
    """Any value as text that Markdown shows as written: no raw HTML, no formatting.

    ``&``, ``<`` and ``>`` become HTML entities (a name cannot open a tag); the characters
    Markdown acts on inside a line (``\\ ` * _ | ~``) are escaped with a backslash, and so is
    a ``]`` that would close a link (``[a](b)``), so that ``[V2]`` still reads as written.

    >>> print(markdown_escape("<script>alert(1)</script> *HTX* A&B"))
    &lt;script&gt;alert(1)&lt;/script&gt; \\*HTX\\* A&amp;B
    """
    escaped = html.escape(str(value), quote=False)
    return _LINK.sub(r"\\]", _MARKDOWN_ACTIVE.sub(r"\\\1", escaped))


def fragment(body: str, *, lang: Lang | None = None) -> str:
    """Wrap already-escaped HTML ``body`` in one scoped ``<div>``, marked with its language.

    Args:
        body: The HTML inside (its texts escaped by the caller).
        lang: The language of its words (the language in force by default).
    """
    code = resolve_language(lang)
    return f'<div class="kc-display" lang="{code}"><style>{STYLE}</style>{body}</div>'


def summary_table(title: str, rows: Iterable[tuple[str, object]]) -> str:
    """A two-column table (a name and a value per row) under a caption, every text escaped.

    Values are shown as given (format numbers for the reader first); integers are
    right-aligned.
    """
    out = [f"<table><caption>{escape(title)}</caption><tbody>"]
    for name, value in rows:
        number = isinstance(value, int) and not isinstance(value, bool)
        number = number or (isinstance(value, str) and value[:1].isdigit())
        cell = ' class="kc-num"' if number else ""
        out.append(f"<tr><th>{escape(name)}</th><td{cell}>{escape(value)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)
