"""``khuyencong demo``: the library's main job, end to end, on a shipped example.

Without ``--db`` the example is loaded into the demo's own store in the user's cache folder
(:func:`khuyencong.demo.default_database`), rebuilt on each run; with ``--db FILE`` into that
file, which must not hold the example already.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from khuyencong.cli._console import note
from khuyencong.cli._errors import ExitCode, guarded
from khuyencong.cli._options import add_common
from khuyencong.demo import DEMO_EXAMPLES, default_database, example_label, run_demo
from khuyencong.messages import get_language, text

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``demo`` command."""
    examples = "; ".join(
        f"{name}: {text(f'demo.example.{name}.description')}" for name in DEMO_EXAMPLES
    )
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo", help=text("cli.help.demo"), description=text("cli.help.demo_description")
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="FILE",
        help=text("cli.help.demo_db", default=default_database().parent),
    )
    parser.add_argument(
        "--format", choices=["md", "html"], default="md", help=text("cli.help.report_format")
    )
    parser.add_argument("--no-charts", action="store_true", help=text("cli.help.no_charts"))
    parser.add_argument(
        "--example",
        choices=list(DEMO_EXAMPLES),
        default="bac-giang-2017-2020",
        metavar="NAME",
        help=text("cli.help.demo_example", examples=examples),
    )
    add_common(parser)
    parser.set_defaults(handler=run)
    return parser


@guarded("khuyencong demo")
def run(args: argparse.Namespace) -> int:
    """Run the demo and print the checks and the report (the HTML page alone with --format)."""
    lang = get_language()
    result = run_demo(
        args.db, lang=lang, fmt=args.format, charts=not args.no_charts, example=args.example
    )
    stored = sum(result.stored.values())
    label = example_label(args.example, lang)
    loaded = text("cli.demo.loaded", count=stored, example=label, database=result.database)
    if args.format == "html":
        note(loaded)  # the page alone on standard output, so that it can be saved as it is
        print(result.report)
        return ExitCode.OK
    print(loaded)
    print(result.checks_summary(lang))
    print()
    print(result.report)
    return ExitCode.OK
