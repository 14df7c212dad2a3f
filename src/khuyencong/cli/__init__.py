"""The ``khuyencong`` command line: the application layer on top of the library.

The commands live here, outside the layers they drive (domain, rules, storage, indicators,
reports), so that no layer imports the command line and the command line is the only place that
reads "today", the console's language and the process's exit code (:class:`ExitCode`).
"""

from khuyencong.cli._errors import ExitCode
from khuyencong.cli._main import build_parser, main

__all__ = ["ExitCode", "build_parser", "main"]
