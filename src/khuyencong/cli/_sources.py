"""Where ``report`` and ``export`` read records, and the report settings they need.

Records come from one of three places: ``--store URL`` (computed in the database for SQLite
and PostgreSQL), ``--data PATH`` (a folder of JSON record files with its ``report.json``, or a
dataset file as ``validate`` reads it) or ``--example [NAME]`` (a shipped example's folder).
A folder's ``report.json`` gives the report settings; otherwise they come from ``--config FILE``
and the options, options winning.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from khuyencong.cli._console import read_json
from khuyencong.cli._errors import ExitCode, Failure
from khuyencong.cli._options import choices_help, map_arg
from khuyencong.converters import structure
from khuyencong.datafiles import read_dataset
from khuyencong.domain import Dataset, LegalForm
from khuyencong.indicators import (
    Breakdown,
    IndicatorSource,
    RecordKind,
    RecordSet,
    TargetSet,
    load_targets,
    source_for,
    unit_keys,
)
from khuyencong.messages import text
from khuyencong.reports import EXAMPLES, ReportConfig, example_path, load_folder_targets
from khuyencong.storage import dataset_from_store, open_store
from khuyencong.units import MapId, UnitRef

__all__ = [
    "Records",
    "add_settings_options",
    "add_source_options",
    "check_settings",
    "open_records",
    "report_settings",
    "targets_for",
]


def add_source_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--data``, ``--store`` and ``--example`` (exactly one is required)."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", metavar="PATH", help=text("cli.help.data"))
    source.add_argument("--store", metavar="URL", help=text("cli.help.store_read"))
    names = [e.replace("_", "-") for e in EXAMPLES]
    source.add_argument(
        "--example",
        nargs="?",
        const=names[0],
        choices=names,
        metavar="NAME",
        help=text("cli.help.example", names=", ".join(names), default=names[0]),
    )


def add_settings_options(parser: argparse.ArgumentParser) -> None:
    """Add the phase and the report settings a store or a dataset file does not hold."""
    parser.add_argument(
        "--from", dest="first", type=int, metavar="YEAR", help=text("cli.help.from")
    )
    parser.add_argument("--to", dest="last", type=int, metavar="YEAR", help=text("cli.help.to"))
    parser.add_argument(
        "--map",
        dest="map_id",
        type=map_arg,
        default=None,
        metavar="MAP",
        help=text("cli.help.report_map", choices=choices_help(MapId)),
    )
    group = parser.add_argument_group(
        text("cli.help.settings_title"), text("cli.help.settings_description")
    )
    group.add_argument("--config", metavar="FILE", help=text("cli.help.config"))
    group.add_argument("--province", metavar="CODE", help=text("cli.help.province"))
    group.add_argument("--title", help=text("cli.help.title"))
    group.add_argument("--centre", help=text("cli.help.centre"))
    group.add_argument(
        "--legal-form",
        dest="legal_forms",
        action="append",
        choices=[f.value for f in LegalForm],
        metavar="FORM",
        help=text("cli.help.legal_form", choices=choices_help(LegalForm)),
    )
    group.add_argument("--targets", metavar="FILE", help=text("cli.help.targets"))


@attrs.frozen
class Records:
    """Records to report on or export.

    Attributes:
        source: The records as an indicator source (SQL for a database store).
        folder: The records folder, when it has a ``report.json`` and targets.
        store: The open store, when the records are in one.
        dataset_file: The dataset, when read from a dataset file.
    """

    source: IndicatorSource
    folder: Path | None = None
    store: Any = None
    dataset_file: Dataset | None = None

    def dataset(self) -> Dataset:
        """Every record, as a :class:`~khuyencong.domain.Dataset`."""
        if self.store is not None:
            return dataset_from_store(self.store)
        if self.dataset_file is not None:
            return self.dataset_file
        records: RecordSet = self.source  # type: ignore[assignment]  # a folder's RecordSet
        return records.to_dataset()


def _sqlite_file(url: str) -> Path | None:
    """The file of an SQLite store URL (or plain path), ``None`` for any other store."""
    if "://" not in url:
        return Path(url)
    if not url.startswith("sqlite://"):
        return None
    path = url[len("sqlite://") :].partition("?")[0].removeprefix("/")
    return Path(path) if path and path != ":memory:" else None


def _dataset_file(path: Path) -> Dataset:
    reading = read_dataset(path)
    if reading.problems:
        raise Failure(
            ExitCode.USAGE,
            text("cli.error.dataset_problems", path=path, count=len(reading.problems)),
            text("cli.hint.validate", path=path),
            [str(p) for p in reading.problems[:10]],
        )
    return reading.dataset


@contextlib.contextmanager
def open_records(args: argparse.Namespace) -> Iterator[Records]:
    """The records ``--store``, ``--data`` or ``--example`` names, open while in the block.

    A store is only read (opened read-only, so a read-only database can be read and an empty
    file is refused): an SQLite file that does not exist is an error, not a new store.

    Raises:
        Failure: A missing file or folder (exit status 2), a dataset file with problems.
    """
    if args.store:
        path = _sqlite_file(args.store)
        if path is not None and not path.is_file():
            raise Failure(
                ExitCode.USAGE, text("cli.error.no_store", path=path), text("cli.hint.no_store")
            )
        with open_store(args.store, read_only=True) as store:
            yield Records(source_for(store), store=store)
        return
    if args.example:
        folder = example_path(args.example.replace("-", "_"))
        yield Records(RecordSet.from_directory(folder), folder=folder)
        return
    path = Path(args.data)
    if path.is_dir():
        yield Records(RecordSet.from_directory(path), folder=path)
        return
    if not path.exists():
        raise Failure(ExitCode.USAGE, text("cli.error.no_data", path=path), text("cli.hint.path"))
    dataset = _dataset_file(path)
    yield Records(source_for(dataset), dataset_file=dataset)


def check_settings(args: argparse.Namespace) -> None:
    """Refuse, before anything is read, a store or dataset file without a phase or config."""
    # A folder brings its report.json; a path that does not exist is reported when read.
    holds_settings = args.example or (args.data and not Path(args.data).is_file())
    if holds_settings or args.config or args.first is not None or args.last is not None:
        return
    raise Failure(ExitCode.USAGE, text("cli.error.no_phase"), text("cli.hint.no_phase"))


def _config_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise Failure(
            ExitCode.USAGE, text("cli.error.no_config", path=path), text("cli.hint.config")
        )
    data = read_json(path)
    if not isinstance(data, dict):
        raise Failure(
            ExitCode.USAGE, text("cli.error.config_shape", path=path), text("cli.hint.config")
        )
    return dict(data)


def report_settings(args: argparse.Namespace, records: Records) -> ReportConfig:
    """The report settings: the folder's ``report.json`` or ``--config``, options over them."""
    base: dict[str, Any] = {}
    if args.config:
        base = _config_file(Path(args.config))
    elif records.folder is not None:
        base = _config_file(records.folder / "report.json")
    province = base.get("province")
    config_map = province.get("map_id") if isinstance(province, dict) else None
    map_id = MapId(args.map_id or config_map or MapId.MAP_2021)
    if args.province:
        base["province"] = {"map_id": map_id.value, "code": args.province}
    elif "province" not in base:
        base["province"] = {"map_id": map_id.value, "code": _only_province(records, map_id)}
    if args.title:
        base["title_vi"] = base["title_en"] = args.title
    base.setdefault("title_vi", text("cli.report.default_title", "vi"))
    base.setdefault("title_en", text("cli.report.default_title", "en"))
    if args.centre:
        base["centre"] = args.centre
    base.setdefault("centre", text("cli.report.default_centre"))
    if args.legal_forms:
        base["legal_forms"] = list(args.legal_forms)
    if args.first is not None or args.last is not None:
        years = str(base.get("period", "")).split("-")
        first = args.first if args.first is not None else _year(years[0], args.last)
        last = args.last if args.last is not None else _year(years[-1], first)
        base["period"] = f"{first}-{last}"
    config: ReportConfig = structure(base, ReportConfig)
    _check_province(config.province)
    return config


def _year(text_year: str, fallback: int) -> int:
    return int(text_year) if text_year.isdigit() else fallback


def _only_province(records: Records, map_id: MapId) -> str:
    """The one province the support records reach; a failure when they reach several."""
    reached, _ = unit_keys(records.source.unit_refs(RecordKind.SUPPORT), Breakdown.province(map_id))
    codes = sorted({k for k in reached.values() if k != "unknown"})
    if len(codes) != 1:
        raise Failure(
            ExitCode.USAGE,
            text("cli.error.provinces", count=len(codes), codes=", ".join(codes) or "—"),
            text("cli.hint.province"),
        )
    return codes[0]


def _check_province(ref: UnitRef) -> None:
    """Refuse a province code that is not a province of its map."""
    unit = ref.resolve()
    if unit.parent_code is not None:
        raise Failure(
            ExitCode.USAGE,
            text("cli.error.not_a_province", code=ref.code, name=unit.full_name),
            text("cli.hint.province"),
        )


def targets_for(args: argparse.Namespace, records: Records) -> TargetSet | None:
    """``--targets FILE``, else the folder's ``targets.toml``, else none."""
    if args.targets:
        path = Path(args.targets)
        if not path.is_file():
            raise Failure(
                ExitCode.USAGE, text("cli.error.file_not_found", path=path), text("cli.hint.path")
            )
        return load_targets(path)
    if records.folder is not None:
        return load_folder_targets(records.folder)
    return None
