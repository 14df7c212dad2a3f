"""The argument parser in the reader's language, and the option types every command shares.

argparse writes its own words ("usage:", "options", "the following arguments are required");
:class:`Parser` writes them from the catalogue instead, so that a usage error reads in the
chosen language like every other failure, exits with status 2, and says where to find help.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from khuyencong.cli._errors import ExitCode
from khuyencong.importing import parse_date
from khuyencong.messages import LANGS, get_language, text
from khuyencong.units import MapId

__all__ = [
    "HelpFormatter",
    "Parser",
    "add_common",
    "choices_help",
    "date_arg",
    "kinds_help",
    "map_arg",
    "scan_option",
    "translate_usage_error",
]


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help layout, with "usage:" in the reader's language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """Add the usage line, prefixed in the reader's language."""
        super().add_usage(
            usage, actions, groups, text("cli.help.usage") if prefix is None else prefix
        )


# argparse's messages (Python 3.11 to 3.13), each with the catalogue message that says it.
_USAGE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"the following arguments are required: (?P<names>.+)", "required"),
        (r"unrecognized arguments: (?P<names>.+)", "unrecognized"),
        (r"one of the arguments (?P<names>.+) is required", "one_of"),
        (r"ambiguous option: (?P<option>\S+) could match (?P<names>.+)", "ambiguous"),
        (
            (
                r"argument (?P<option>[^:]+): invalid choice: (?P<value>.+?) "
                r"\(choose from (?P<names>.+)\)"
            ),
            "invalid_choice",
        ),
        (r"argument (?P<option>[^:]+): expected one argument", "expected_one"),
        (r"argument (?P<option>[^:]+): invalid \w+ value: (?P<value>.+)", "invalid_value"),
        (r"argument (?P<option>[^:]+): not allowed with argument (?P<names>.+)", "not_allowed"),
        (r"argument (?P<option>[^:]+): (?P<message>.+)", "argument"),
    )
)


def translate_usage_error(message: str) -> str:
    """An argparse error message in the reader's language (unchanged if not recognised).

    >>> from khuyencong.messages import language
    >>> with language("vi"):
    ...     translate_usage_error("the following arguments are required: FILE")
    'thiếu tham số bắt buộc: FILE'
    """
    for pattern, key in _USAGE_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return text(f"cli.usage.{key}", **found.groupdict())
    return message


class Parser(argparse.ArgumentParser):
    """An argument parser whose help and errors are in the reader's language.

    Abbreviated options (``--la`` for ``--lang``) are not accepted: every option is written
    out, so that ``--lang`` is found wherever it is written.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = text("cli.help.positionals")
        self._optionals.title = text("cli.help.options")
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help=text("cli.help.help")
        )

    def error(self, message: str) -> NoReturn:
        """Print the usage, what is wrong and where to find help; exit with status 2."""
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {translate_usage_error(message)}", file=sys.stderr)
        print(text("cli.hint.help", prog=self.prog), file=sys.stderr)
        raise SystemExit(ExitCode.USAGE)


def add_common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """Add ``--lang`` and ``--debug``, which every command accepts before or after its name.

    On a command the defaults are left unset (``SUPPRESS``), so that an option given before
    the command's name is not overwritten by the command's default.
    """
    unset: Any = None if top else argparse.SUPPRESS
    parser.add_argument("--lang", choices=LANGS, default=unset, help=text("cli.help.lang"))
    parser.add_argument(
        "--debug", action="store_true", default=False if top else unset, help=text("cli.help.debug")
    )


def scan_option(argv: Sequence[str], option: str) -> str | None:
    """The value of ``option`` wherever it is written (``--lang en`` or ``--lang=en``).

    >>> scan_option(["check", "e.json", "--lang", "en"], "--lang")
    'en'
    """
    value: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == option and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith(f"{option}="):
            value = arg.partition("=")[2]
    return value


def date_arg(value: str) -> dt.date:
    """A date as an option: ``2026-12-07`` or ``07/12/2026`` (day first, as Vietnam writes it).

    >>> date_arg("07/12/2026") == date_arg("2026-12-07")
    True
    """
    try:
        return parse_date(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text("cli.usage.bad_date", value=value)) from None


def count_arg(value: str) -> int:
    """A whole number, zero or more, as an option (how many to show): ``20``.

    >>> count_arg("0")
    0
    """
    if not value.isdigit():
        raise argparse.ArgumentTypeError(text("cli.usage.not_count", value=value))
    return int(value)


MAX_PROBLEMS = 20
"""How many problems ``import`` and ``validate`` list one by one before they group the rest."""


def add_max_problems(parser: argparse.ArgumentParser, help_key: str) -> None:
    """Add ``--max-problems N`` (0 or more; :data:`MAX_PROBLEMS` by default), its help text
    read from the catalogue at ``help_key``."""
    parser.add_argument(
        "--max-problems",
        type=count_arg,
        default=MAX_PROBLEMS,
        metavar="N",
        help=text(help_key, default=MAX_PROBLEMS),
    )


def positive_arg(value: str) -> int:
    """A whole number above zero as an option (a limit): ``200000``.

    >>> positive_arg("12")
    12
    """
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(text("cli.usage.not_positive", value=value))
    return int(value)


def map_arg(value: str) -> MapId:
    """A map as an option: ``2021-11``, ``2025-07`` or ``2025-reform``."""
    try:
        return MapId(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            text("cli.usage.bad_map", value=value, choices=choices_help(MapId))
        ) from None


def kinds_help(kinds: Iterable[str]) -> str:
    """Kinds of record as help shows them: each code, with its name when that says more.

    >>> from khuyencong.messages import language
    >>> with language("en"):
    ...     kinds_help(["establishments", "ocop_ratings"])
    'establishments, ocop_ratings'
    >>> with language("vi"):
    ...     kinds_help(["establishments"])
    'establishments (Cơ sở)'
    """
    parts = []
    for kind in kinds:
        label = text(f"cli.section.{kind}")
        same = label.casefold() == kind.replace("_", " ")
        parts.append(kind if same else f"{kind} ({label})")
    return ", ".join(parts)


def choices_help(values: Iterable[Any]) -> str:
    """Choices as help shows them: each code with its label in the reader's language.

    >>> from khuyencong.messages import language
    >>> from khuyencong.units import UnitLevel
    >>> with language("en"):
    ...     choices_help(UnitLevel)
    'province (province level), district (district level), commune (commune level)'
    """
    lang = get_language()
    parts = []
    for value in values:
        label = getattr(value, "label", None)
        code = getattr(value, "value", value)
        parts.append(f"{code} ({label(lang)})" if callable(label) else str(code))
    return ", ".join(parts)
