"""MkDocs hook: show docstring examples written as bare doctest lines as code blocks.

The library's docstrings put short examples on ``>>>`` lines outside an ``Examples:`` section
(the way ``--doctest-modules`` runs them). Python-Markdown would render those lines as running
text, and mkdocs-autorefs would read output such as ``['a', 'b']`` followed by ``[:2]`` as
reference links. This hook registers a Markdown preprocessor that wraps each run of doctest
lines (from a ``>>>`` line to the next blank line) in a fenced ``pycon`` block, leaving lines
already inside fences alone. It runs before mkdocstrings reads the Markdown extensions, so
rendered docstrings get it too. Only the standard library is imported at module level, so
``pytest --doctest-modules`` can import this file without the docs extras.

The same preprocessor turns Sphinx cross-reference roles, which some docstrings use
(``:class:`~khuyencong.domain.Period```), into inline code (``Period``); mkdocstrings would
otherwise show the role literally.
"""

from __future__ import annotations

import re
from typing import Any

_FENCE = re.compile(r"^\s*(```|~~~)")
_ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|attr|data|mod|exc|obj|const|term|ref):`(~?)([^`]+)`"
)


def _role_text(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2)
    if "<" in target and target.endswith(">"):  # :ref:`text <target>`
        target = target.split("<", 1)[0].strip()
    return f"`{target.rsplit('.', 1)[-1] if short else target}`"


def replace_roles(line: str) -> str:
    """``:class:`~a.b.C``` becomes ``C`` in backticks; ``:func:`a.b``` becomes ``a.b``.

    >>> replace_roles("go by :attr:`id`; see :class:`~khuyencong.domain.Period`.")
    'go by `id`; see `Period`.'
    """
    return _ROLE.sub(_role_text, line)


def wrap_doctest_lines(lines: list[str]) -> list[str]:
    """The lines, with each run of bare doctest lines fenced as ``pycon``."""
    out: list[str] = []
    in_fence = False
    in_example = False
    indent = ""
    for raw in lines:
        line = raw
        if in_example:
            if line.strip():
                out.append(line)
                continue
            out.append(f"{indent}```")
            in_example = False
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            line = replace_roles(raw)
        if not in_fence and line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            if out and out[-1].strip():
                out.append("")
            out.append(f"{indent}```pycon")
            in_example = True
        out.append(line)
    if in_example:
        out.append(f"{indent}```")
    return out


def _extension() -> Any:
    from markdown import Extension  # noqa: PLC0415  (docs-only dependency, imported lazily)
    from markdown.preprocessors import Preprocessor  # noqa: PLC0415

    class _DoctestBlocks(Preprocessor):
        def run(self, lines: list[str]) -> list[str]:
            return wrap_doctest_lines(lines)

    class DoctestBlocksExtension(Extension):
        def extendMarkdown(self, md: Any) -> None:  # noqa: N802  (Markdown's API name)
            # Before the fenced-code preprocessor (priority 25) so that our fences are read.
            md.preprocessors.register(_DoctestBlocks(md), "khuyencong_doctest_blocks", 30)

    return DoctestBlocksExtension()


def on_config(config: Any) -> Any:
    """Register the extension ahead of mkdocstrings, which copies the extension list."""
    config.markdown_extensions.append(_extension())
    return config


on_config.mkdocs_priority = 100  # type: ignore[attr-defined]
