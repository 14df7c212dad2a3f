"""``khuyencong validate [FILE ...]``: what dataset files hold, and every problem in them.

Exit status: 0 when every file is clean, 1 when a problem was found, 2 when a file cannot be
read (the others are still validated). ``--json`` prints one object per file read:
``{"source", "counts", "ok", "problems"}``, each problem as the converter writes a
:class:`~khuyencong.exceptions.Problem` (``path``, ``message``, ``value``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from khuyencong.cli._console import emit_json
from khuyencong.cli._errors import ExitCode, debug_wanted, guarded, report_failure
from khuyencong.cli._options import add_common
from khuyencong.converters import unstructure
from khuyencong.datafiles import SAMPLE_DATASET, DatasetReading, read_dataset
from khuyencong.messages import text

__all__ = ["add_parser", "reading_data", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``validate`` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help=text("cli.help.validate"),
        description=text("cli.help.validate_description"),
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help=text("cli.help.validate_files"))
    parser.add_argument("--json", action="store_true", help=text("cli.help.validate_json"))
    add_common(parser)
    parser.set_defaults(handler=run)
    return parser


def reading_data(reading: DatasetReading) -> dict[str, Any]:
    """What ``validate --json`` prints for one file.

    >>> data = reading_data(read_dataset(SAMPLE_DATASET))
    >>> data["ok"], data["counts"]["establishments"], data["problems"]
    (True, 4, [])
    """
    return {
        "source": reading.source,
        "counts": reading.dataset.summary(),
        "ok": reading.ok,
        "problems": [unstructure(p) for p in reading.problems],
    }


def _print(reading: DatasetReading) -> None:
    print(text("cli.validate.file", path=reading.source))
    for section, count in reading.dataset.summary().items():
        print(f"  {text(f'cli.section.{section}'):<28} {count:>6}")
    if reading.ok:
        print(text("cli.validate.clean"))
    else:
        print(text("cli.validate.problems", count=len(reading.problems)))
        for problem in reading.problems:
            print(f"  - {problem}")
    print()


@guarded("khuyencong validate")
def run(args: argparse.Namespace) -> int:
    """Validate each file; a file that cannot be read is reported and the others still read."""
    files = [Path(f) for f in args.files] or [SAMPLE_DATASET]
    want_json = getattr(args, "json", False)
    status = ExitCode.OK
    readings = []
    for path in files:
        try:
            reading = read_dataset(path)
        except OSError as exc:
            status = max(
                status, report_failure(exc, "khuyencong validate", debug=debug_wanted(args))
            )
            continue
        readings.append(reading)
        if not reading.ok:
            status = max(status, ExitCode.NO)
        if not want_json:
            _print(reading)
    if want_json:
        emit_json([reading_data(r) for r in readings])
    return status
