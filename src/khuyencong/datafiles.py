"""Reading data files: a JSON dataset, validated item by item so every problem is found.

:func:`read_dataset` reads a file (or text) holding a :class:`~khuyencong.domain.Dataset` and
returns what was valid together with *every* problem: each bad item is reported with its
``$.path`` and left out, the rest is kept and checked for duplicates and dangling references.
:func:`load_dataset` is the strict form: it raises unless the file is clean.

>>> from khuyencong.datafiles import SAMPLE_DATASET, read_dataset
>>> result = read_dataset(SAMPLE_DATASET)
>>> result.ok, result.dataset.summary()["establishments"]
(True, 4)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs

from khuyencong._data import ToData
from khuyencong._files import write_text
from khuyencong.converters import parse_json, structure, unstructure
from khuyencong.domain import (
    AwardEntry,
    BudgetEnvelope,
    Dataset,
    Establishment,
    FairParticipation,
    OcopRating,
    Project,
    SupportRecord,
)
from khuyencong.exceptions import Problem, ValidationError
from khuyencong.messages import text as message

__all__ = ["SAMPLE_DATASET", "DatasetReading", "load_dataset", "read_dataset", "write_dataset"]

SAMPLE_DATASET = Path(__file__).resolve().parent / "data" / "samples" / "sample-dataset.json"
"""A small, valid sample dataset shipped with the package (Bắc Giang, invented records)."""

_SECTIONS: dict[str, type[Any]] = {
    "establishments": Establishment,
    "projects": Project,
    "support_records": SupportRecord,
    "fair_participations": FairParticipation,
    "award_entries": AwardEntry,
    "ocop_ratings": OcopRating,
    "budgets": BudgetEnvelope,
}


@attrs.frozen
class DatasetReading(ToData):
    """The result of reading a dataset file; ``to_data()`` gives it as JSON-ready data.

    Attributes:
        source: Where the data came from (a path, or ``"<text>"``).
        dataset: Every valid item.
        problems: Every problem found, in file order; empty when the file is clean.
    """

    source: str
    dataset: Dataset
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """Whether no problem was found."""
        return not self.problems

    def raise_for_problems(self) -> Dataset:
        """The dataset, or a :class:`ValidationError` listing every problem."""
        if self.problems:
            raise ValidationError(self.problems)
        return self.dataset


def read_dataset(source: str | Path, *, text: str | bytes | None = None) -> DatasetReading:
    """Read and validate a dataset file, item by item.

    Args:
        source: The file's path (or a label when ``text`` is given).
        text: The file's content, if already read.

    Returns:
        The valid items and every problem found.

    Raises:
        FileFormatError: If the file is not JSON at all (not UTF-8, broken, nested too deep, a
            number too long): a file that cannot be read, not a dataset with problems.
        OSError: If the file cannot be read.
    """
    label = str(source)
    raw = Path(source).read_bytes() if text is None else text
    data = parse_json(raw, source=label)
    problems: list[Problem] = []
    if not isinstance(data, dict):
        problem = Problem("$", message("converters.dataset_object"))
        return DatasetReading(label, Dataset(), (problem,))
    kept: dict[str, Any] = {}
    left_out: dict[str, set[str]] = {}
    for key, items in data.items():
        if key not in _SECTIONS:
            expected = ", ".join(_SECTIONS)
            problems.append(
                Problem(f"$.{key}", message("converters.unknown_section", expected=expected))
            )
            continue
        if not isinstance(items, list):
            problems.append(Problem(f"$.{key}", message("converters.list")))
            continue
        item_type = _SECTIONS[key]
        kept[key] = []
        for i, item in enumerate(items):
            try:
                kept[key].append(structure(item, item_type))
            except ValidationError as exc:
                problems.extend(exc.prefixed(f"$.{key}[{i}]").problems)
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    left_out.setdefault(key, set()).add(item["id"])
    dataset = Dataset(**kept)
    problems.extend(dataset.problems(also_known=left_out))
    return DatasetReading(label, dataset, tuple(problems))


def load_dataset(source: str | Path) -> Dataset:
    """Read a dataset file that must be clean.

    Raises:
        FileFormatError: If the file is not JSON at all.
        ValidationError: Listing every problem, if there is any.
    """
    return read_dataset(source).raise_for_problems()


def write_dataset(dataset: Dataset, path: str | Path) -> None:
    """Write a dataset as indented UTF-8 JSON, readable by :func:`read_dataset`.

    Raises:
        FileWriteError: If the folder does not exist, or the file cannot be written.
    """
    content = json.dumps(unstructure(dataset), ensure_ascii=False, indent=2)
    write_text(path, content + "\n")
