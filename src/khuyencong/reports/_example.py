"""The Bắc Giang 2017–2020 example, shipped inside the package (the future ``khuyencong demo``).

>>> data = load_example()
>>> len(data.establishments), len(data.fair_participations) >= 100
(56, True)
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from khuyencong.converters import parse_json, structure
from khuyencong.domain import Lang
from khuyencong.exceptions import FileFormatError, NotFoundError, ValidationError
from khuyencong.indicators import RecordSet, TargetSet, load_targets
from khuyencong.messages import Text
from khuyencong.reports._report import ReportConfig, build_report

__all__ = [
    "EXAMPLES",
    "demo_report",
    "example_path",
    "load_example",
    "load_folder_targets",
    "load_report_config",
]

EXAMPLES = ("bac_giang_2017_2020", "bac_ninh_2026")
"""The examples shipped with the package."""


def example_path(name: str = "bac_giang_2017_2020") -> Path:
    """The folder of a shipped example (JSON records, ``targets.toml``, ``report.json``).

    Raises:
        NotFoundError: If there is no such example.
    """
    if name not in EXAMPLES:
        hint = Text.message("errors.hint.known", items=", ".join(EXAMPLES))
        raise NotFoundError("example", name, hint)
    folder = resources.files("khuyencong") / "data" / "examples" / name
    return Path(str(folder))


def load_example(name: str = "bac_giang_2017_2020") -> RecordSet:
    """The records of a shipped example."""
    return RecordSet.from_directory(example_path(name))


def load_report_config(folder: str | Path) -> ReportConfig:
    """Read ``report.json`` of a data folder (or that file itself) through the converter.

    Raises:
        NotFoundError: If there is no such file.
        FileFormatError: If it is not JSON at all.
        ValidationError: If it is not a report configuration (a number, a list, a wrong
            field), naming the file.
    """
    path = Path(folder)
    if path.is_dir():
        path = path / "report.json"
    if not path.is_file():
        hint = Text.message("errors.hint.write_file", name="report.json")
        raise NotFoundError("report configuration", str(path), hint)
    try:
        return structure(parse_json(path.read_bytes(), source=str(path)), ReportConfig)
    except FileFormatError:
        raise
    except ValidationError as exc:
        raise exc.prefixed(f"{path}:$") from None


def load_folder_targets(folder: str | Path) -> TargetSet | None:
    """``targets.toml`` (or ``targets.json``) of a data folder, if there is one."""
    for name in ("targets.toml", "targets.json"):
        path = Path(folder) / name
        if path.exists():
            return load_targets(path)
    return None


def demo_report(lang: Lang = "vi", *, fmt: str = "md", charts: bool = True) -> str:
    """The report of the Bắc Giang 2017–2020 example, as Markdown (or HTML with ``fmt="html"``).

    >>> text = demo_report()
    >>> "52 hợp tác xã" in text and "khoảng 100 lượt" in text
    True
    """
    folder = example_path()
    report = build_report(
        load_example(),
        load_report_config(folder),
        lang=lang,
        targets=load_folder_targets(folder),
        charts=charts and fmt == "html",
    )
    return report.to_html() if fmt == "html" else report.to_markdown()
