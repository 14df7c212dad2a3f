"""The ``khuyencong`` command line: the parser, the language, and the exit status.

Commands (each in its own module of this package):

- ``demo``: the main job on a shipped example: store, rules, indicators, report.
- ``check FILE.json``: decide an establishment, an artisan or a project, with reasons.
- ``report``: the outcome report of a phase, from a data folder, a data file or a store.
- ``validate [FILE ...]``: what dataset files hold, and every problem in them.
- ``units find NAME`` / ``units show CODE`` / ``units reform CODE``: administrative units.
- ``import FILE --kind KIND``: validate (and store) a CSV or Excel table row by row.
- ``template FILE.xlsx``: write the Excel import template.
- ``export FORMAT FILE``: records as CSV, Excel, 360Giving or IATI.
- ``version`` (or ``--version``).

Output is Vietnamese by default (or ``KHUYENCONG_LANG``); ``--lang en`` switches to English,
written before or after the command's name. Every failure is explained on standard error with
the exit status of :class:`~khuyencong.cli.ExitCode`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import khuyencong
from khuyencong.cli._console import safe_streams
from khuyencong.cli._errors import ExitCode, guarded
from khuyencong.cli._options import Parser, add_common, scan_option
from khuyencong.messages import LANGS, get_language, language, resolve_language, text

__all__ = ["build_parser", "main"]


def _version_line() -> str:
    # The version comes from the package's metadata (``importlib.metadata``, ~20 ms to import):
    # read only when asked for, not at every command's start.
    return f"khuyencong {khuyencong.__version__}"


class _VersionAction(argparse.Action):
    """``--version``: print the version line and exit, as argparse's ``version`` action does,
    reading the version only when the option is given."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:  # noqa: A002  (argparse's name)
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> NoReturn:
        print(_version_line())
        parser.exit()


@guarded("khuyencong version")
def _cmd_version(_: argparse.Namespace) -> int:
    print(_version_line())
    return ExitCode.OK


_COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("_demo", "add_parser"),
    "check": ("_check", "add_parser"),
    "report": ("_report", "add_parser"),
    "validate": ("_validate", "add_parser"),
    "units": ("_units", "add_parser"),
    "import": ("_tables", "add_parsers"),
    "template": ("_tables", "add_parsers"),
    "export": ("_export", "add_parser"),
    "serve": ("_serve", "add_parser"),
}
"""Each command's module (imported only when needed: a command's start pays for its own
layers only) and the function adding its parser, in the order of the help."""


def _command(argv: Sequence[str]) -> str | None:
    """The command named on the command line, if it is one of :data:`_COMMANDS`."""
    items = iter(argv)
    for item in items:
        if item == "--lang":
            next(items, None)  # its value
        elif item == "--" or not item.startswith("-"):
            return item if item in _COMMANDS else None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``khuyencong`` command, in the language in force.

    Args:
        command: Build only this command's parser (and ``version``), importing only its
            module; ``None``: every command's.

    >>> parser = build_parser()
    >>> parser.parse_args(["check", "e.json", "--lang", "en"]).lang
    'en'
    """
    parser = Parser(
        prog="khuyencong",
        description=text("cli.help.description"),
        epilog=text("cli.help.exit_codes"),
    )
    parser.add_argument("--version", action=_VersionAction, help=text("cli.help.version"))
    add_common(parser, top=True)
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", title=text("cli.help.commands")
    )
    added: set[tuple[str, str]] = set()
    for name, (module, function) in _COMMANDS.items():
        if (command is None or name == command) and (module, function) not in added:
            added.add((module, function))
            getattr(importlib.import_module(f"khuyencong.cli.{module}"), function)(commands)
    version = commands.add_parser("version", help=text("cli.help.version"))
    add_common(version)
    version.set_defaults(handler=_cmd_version)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see :class:`~khuyencong.cli.ExitCode`).

    ``--lang`` and ``--debug`` are read wherever they are written; everything the command
    prints, its help and its usage errors included, is in that language.

    >>> main(["version"])  # doctest: +ELLIPSIS
    khuyencong ...
    0
    >>> main(["--lang", "en", "--version"])  # doctest: +ELLIPSIS
    khuyencong ...
    0
    """
    safe_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    asked = scan_option(args_list, "--lang")
    with language(resolve_language(asked if asked in LANGS else None)):
        try:
            args = build_parser(_command(args_list)).parse_args(args_list)
        except SystemExit as exc:  # --help, --version, or a usage error already explained
            return exc.code if isinstance(exc.code, int) else ExitCode.USAGE
        args.lang = get_language()
        args.debug = "--debug" in args_list[: _end_of_options(args_list)]
        # The rules and reports commands register ``func``; the others ``handler``.
        handler = getattr(args, "handler", None) or args.func
        return int(handler(args))


def _end_of_options(argv: Sequence[str]) -> int:
    return argv.index("--") if "--" in argv else len(argv)
