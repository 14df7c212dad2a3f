"""``khuyencong check FILE.json``: decide an establishment or a project, with reasons.

Reads an establishment (or a project) as JSON in the converter's wire format, prints the
eligibility decision (or the project's amount checks) and the support amounts with reasons, in
Vietnamese by default or English with ``--lang en``. An artisan (a person with ``title`` and
``craft``, a beneficiary from 15/10/2025) is decided too. Exit status: 0 eligible, 1 not
eligible, 2 bad input (unreadable file, invalid data, or a value the rules do not know on that
date); on 2 the reason is printed on standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from khuyencong.converters import structure
from khuyencong.domain import Artisan, Establishment, Fund, Project
from khuyencong.exceptions import KhuyenCongError
from khuyencong.rules import RuleSet, check_eligibility, check_project_amounts, support_amount

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``check`` command to an ``argparse`` sub-parser collection."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check", help="decide an establishment or project from JSON, with reasons"
    )
    parser.add_argument("file", type=Path, help="establishment or project as JSON")
    parser.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        default=None,
        help="date of the decision, YYYY-MM-DD (default: today)",
    )
    parser.add_argument("--lang", choices=("vi", "en"), default="vi")
    parser.add_argument("--fund", choices=("national", "local"), default="national")
    parser.add_argument("--overlay", type=Path, default=None, help="provincial overlay TOML")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run ``check``; return 0 eligible, 1 not eligible, 2 bad input.

    >>> import argparse, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "e.json"
    >>> _ = p.write_text('{"id": "H", "name": "HTX", "legal_form": "cooperative", "members": 4,'
    ...   ' "location": {"map_id": "2021-11", "code": "07525"}, "sectors": ["handicrafts"]}')
    >>> run(argparse.Namespace(file=p, date=dt.date(2024, 7, 1), lang="en", fund="national",
    ...     overlay=None, contents=None))  # doctest: +ELLIPSIS
    H — eligibility on 2024-07-01: NO — under 45/2012/NĐ-CP
      ✗ a cooperative needs at least 5 official members; it has 4 ...
    ...
    1
    """
    stream = out or sys.stdout
    try:
        return _run(args, stream)
    except (OSError, ValueError, KhuyenCongError) as exc:
        sys.stderr.write(_failure(exc, args.lang) + "\n")
        return 2


def _failure(exc: BaseException, lang: str) -> str:
    """What went wrong, for standard error."""
    if lang == "vi":
        head = "khuyencong check: không đưa ra được quyết định"
    else:
        head = "khuyencong check: no decision"
    return f"{head}: {exc}"


def _run(args: argparse.Namespace, stream: TextIO) -> int:
    lang = args.lang
    on = args.date or dt.date.today()  # noqa: DTZ011  (the CLI's documented default)
    rules = RuleSet.national()
    if args.overlay is not None:
        rules = rules.with_overlay(args.overlay)
    data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    if isinstance(data, dict) and "contents" in data and "kind" in data:
        project = structure(data, Project)
        decision = check_project_amounts(project, on, rules)
        print(decision.render(lang), file=stream)
        for pc in project.contents:
            amount = support_amount(
                pc.content,
                pc.eligible_cost,
                decision.rules_on or on,
                rules,
                fund=Fund(args.fund),
                quantity=pc.quantity,
            )
            print("  " + amount.render(lang), file=stream)
        return 0 if decision.outcome else 1
    subject: Establishment | Artisan
    if isinstance(data, dict) and "title" in data and "craft" in data:
        subject = structure(data, Artisan)
    else:
        subject = structure(data, Establishment)
    decision = check_eligibility(subject, on, rules)
    print(decision.render(lang), file=stream)
    return 0 if decision.outcome else 1
