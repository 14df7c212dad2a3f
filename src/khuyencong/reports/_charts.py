"""Charts as SVG text, drawn with matplotlib (the optional ``charts`` extra).

Without matplotlib, :func:`bar_chart` returns ``None`` and the report says why.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

__all__ = ["bar_chart", "charts_available"]


def charts_available() -> bool:
    """Whether matplotlib can be imported."""
    try:
        import matplotlib  # noqa: F401, PLC0415  (probing an optional extra)
    except ImportError:
        return False
    return True


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | int],
    *,
    xlabel: str = "",
    limit: float | None = None,
) -> str | None:
    """A horizontal bar chart as SVG text, or ``None`` without matplotlib.

    Values are plotted as floats: a chart is a picture, the exact figures are in the tables.

    Args:
        title: The chart title.
        labels: One label per bar (top to bottom).
        values: One value per bar.
        xlabel: The axis label.
        limit: The right end of the axis (e.g. 100 for percentages).
    """
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415  (an optional extra)
    except ImportError:
        return None
    height = 1.2 + 0.35 * max(len(labels), 1)
    fig = Figure(figsize=(7.5, height), layout="constrained")
    ax = fig.subplots()
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, [float(v) for v in values], color="#2b6cb0")
    ax.set_yticks(positions, labels=list(labels), fontsize=8)
    ax.set_title(title, fontsize=10)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=8)
    if limit is not None:
        ax.set_xlim(0, limit)
    for pos, value in zip(positions, values, strict=True):
        ax.annotate(
            f"{value:g}",
            (float(value), pos),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
