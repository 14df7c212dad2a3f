"""The example notebook runs headless from top to bottom, as CI and the docs site run it."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "indicators.ipynb"


def execute(path: Path) -> object:
    """Execute a notebook in a fresh kernel and return it with its outputs."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": "."}}
    )
    client.execute()
    return notebook


@pytest.fixture(scope="module")
def executed() -> object:
    return execute(NOTEBOOK)


def outputs(notebook: object, kind: str) -> list[str]:
    """Every output of ``kind`` (``text/html``, ``text/plain``, ``image/png``, a stream)."""
    found: list[str] = []
    for cell in notebook.cells:  # type: ignore[attr-defined]
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and kind == "stream":
                found.append(out["text"])
            elif kind in out.get("data", {}):
                found.append(out["data"][kind])
    return found


class TestExampleNotebook:
    def test_every_cell_runs_without_error(self, executed: object) -> None:
        """The notebook executes headless with no cell raising (an error stops the run)."""
        errors = [
            out
            for cell in executed.cells  # type: ignore[attr-defined]
            for out in cell.get("outputs", [])
            if out.get("output_type") == "error"
        ]
        assert errors == []

    def test_it_shows_fragments_a_chart_and_decisions(self, executed: object) -> None:
        """Indicator tables, coverage, decisions and the report display as fragments (never a
        page), the chart is drawn, and the decisions carry their verdicts."""
        html = [h for h in outputs(executed, "text/html") if "dataframe" not in h]
        assert len(html) >= 8
        assert all(h.startswith('<div class="kc-display"') for h in html)
        assert not any("<body" in h or "body{" in h for h in html)
        assert outputs(executed, "image/png")
        printed = "".join(outputs(executed, "stream"))
        assert "DA-2026-09 — project amounts on 2026-12-07: NO" in printed
        assert "KHÔNG ĐẠT" in printed
        assert "what if: Application of advanced machinery: 30%" in printed
