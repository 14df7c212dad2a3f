"""``khuyencong check FILE.json``: decide an establishment or a project, with reasons.

Reads an establishment (or a project) as JSON in the converter's wire format, prints the
eligibility decision (or the project's amount checks) and the support amounts with reasons, in
Vietnamese by default or English with ``--lang en``. An artisan (a person with ``title`` and
``craft``, a beneficiary from 15/10/2025) is decided too. ``--json`` prints the decision's
:meth:`~khuyencong.rules.Decision.to_data` and the amounts instead.

Exit status (see :class:`~khuyencong.cli.ExitCode`): 0 yes, 1 no, 2 a file that cannot be
read or does not hold an establishment or project, 3 no decision because the law has a gap (a
value not configured on that date). Every failure says why on standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any, TextIO

from khuyencong.cli._console import emit_json, read_json
from khuyencong.cli._errors import ExitCode, Failure, explain, guarded
from khuyencong.cli._options import add_common, date_arg
from khuyencong.converters import structure, unstructure
from khuyencong.domain import Artisan, Establishment, Fund, Project
from khuyencong.exceptions import CoverageError, NotConfiguredError, RuleConflictError
from khuyencong.messages import get_language, text
from khuyencong.rules import (
    Amount,
    Decision,
    RuleSet,
    check_eligibility,
    check_project_amounts,
    support_amount,
)

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``check`` command to an ``argparse`` sub-parser collection."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        help=text("cli.help.check"),
        description=text("cli.help.check_description"),
    )
    parser.add_argument("file", type=Path, metavar="FILE", help=text("cli.help.check_file"))
    parser.add_argument("--date", type=date_arg, default=None, help=text("cli.help.check_date"))
    parser.add_argument(
        "--fund", choices=("national", "local"), default="national", help=text("cli.help.fund")
    )
    parser.add_argument(
        "--overlay", type=Path, default=None, metavar="TOML", help=text("cli.help.overlay")
    )
    parser.add_argument("--json", action="store_true", help=text("cli.help.check_json"))
    add_common(parser)
    parser.set_defaults(func=run)
    return parser


@guarded("khuyencong check")
def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run ``check``; return 0 yes, 1 no, 2 bad input, 3 no decision (the law has a gap).

    >>> import argparse, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "e.json"
    >>> _ = p.write_text('{"id": "H", "name": "HTX", "legal_form": "cooperative", "members": 4,'
    ...   ' "location": {"map_id": "2021-11", "code": "07525"}, "sectors": ["handicrafts"]}')
    >>> run(argparse.Namespace(file=p, date=dt.date(2024, 7, 1), lang="en", fund="national",
    ...     overlay=None))  # doctest: +ELLIPSIS
    H — eligibility on 2024-07-01: NO — under 45/2012/NĐ-CP
      ✗ a cooperative needs at least 5 official members; it has 4 ...
    ...
    1
    """
    stream = out or sys.stdout
    on = args.date or dt.date.today()  # noqa: DTZ011  (the CLI's documented default)
    rules = RuleSet.national()
    if args.overlay is not None:
        rules = rules.with_overlay(args.overlay)
    data = read_json(Path(args.file))
    try:
        decision, amounts = _decide(data, on, rules, Fund(args.fund))
    except (NotConfiguredError, CoverageError, RuleConflictError) as exc:
        gap = explain(exc)
        if gap is None:  # pragma: no cover - explain knows every one of these
            raise
        message = text("cli.check.no_decision", reason=gap.message)
        raise Failure(ExitCode.NOT_CONFIGURED, message, gap.hint) from exc
    if getattr(args, "json", False):
        emit_json({"decision": decision.to_data(), "amounts": [unstructure(a) for a in amounts]})
    else:
        lang = get_language()
        print(decision.render(lang), file=stream)
        for amount in amounts:
            print("  " + amount.render(lang), file=stream)
    return ExitCode.OK if decision.outcome else ExitCode.NO


def _decide(data: object, on: dt.date, rules: RuleSet, fund: Fund) -> tuple[Decision, list[Amount]]:
    """The decision on the subject ``data`` holds, and a project's support amounts."""
    if isinstance(data, dict) and "contents" in data and "kind" in data:
        project = structure(data, Project)
        decision = check_project_amounts(project, on, rules=rules)
        amounts = [
            support_amount(
                pc.content,
                pc.eligible_cost,
                decision.rules_on or on,
                rules=rules,
                fund=fund,
                quantity=pc.quantity,
            )
            for pc in project.contents
        ]
        return decision, amounts
    subject: Establishment | Artisan
    if isinstance(data, dict) and "title" in data and "craft" in data:
        subject = structure(data, Artisan)
    else:
        subject = structure(data, Establishment)
    return check_eligibility(subject, on, rules=rules), []
