"""The fuzz suite: hostile input into every reader, asserting that only the library's errors
escape and that nothing is stored from a refused input.

Its shared settings and strategies live in ``_fuzz.py`` beside this file, made importable here
(the suite runs with ``--import-mode=importlib``, which puts no test folder on the path).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
