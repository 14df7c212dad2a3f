"""Run every example of the documentation under pytest, with Sybil.

Each Markdown page is one namespace: its ``python`` code blocks run in order, as a reader would
type them, and blocks holding ``>>>`` prompts are checked as doctests (output compared with the
``ELLIPSIS`` and ``NORMALIZE_WHITESPACE`` flags). ``console`` blocks are shown, not run. Every
page runs in a fresh temporary directory, removed afterwards, so an example that writes a file
writes it there and nothing leaks between pages or into the checkout (a page that sets the
language to English gives the next page the default back); no example uses the network.
"""

from __future__ import annotations

import doctest
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

from khuyencong.messages import get_language, set_language

_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_STATE = "__docs_state__"
_LANGUAGE = get_language()


def _setup(namespace: dict[str, Any]) -> None:
    workdir = tempfile.mkdtemp(prefix="khuyencong-docs-")
    namespace[_STATE] = (Path.cwd(), workdir)
    os.chdir(workdir)


def _teardown(namespace: dict[str, Any]) -> None:
    previous, workdir = namespace.pop(_STATE)
    os.chdir(previous)
    set_language(_LANGUAGE)  # a page that chose English leaves the next page the default
    shutil.rmtree(workdir, ignore_errors=True)


pytest_collect_file = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=_FLAGS), SkipParser()],
    patterns=["*.md"],
    setup=_setup,
    teardown=_teardown,
).pytest()
