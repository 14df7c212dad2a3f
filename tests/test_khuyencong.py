"""Tests of the top-level ``khuyencong`` namespace: the common names, loaded on first use."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import khuyencong

SOURCE = Path(khuyencong.__file__)


def _type_checking_imports() -> dict[str, tuple[str, ...]]:
    """The names the ``if TYPE_CHECKING:`` block imports, by package (what type checkers see)."""
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    found: dict[str, tuple[str, ...]] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom) and stmt.module != "typing":
                    assert stmt.module is not None
                    found[stmt.module] = tuple(alias.name for alias in stmt.names)
    return found


class TestNamespace:
    def test_type_checkers_see_every_lazy_name(self) -> None:
        """The TYPE_CHECKING imports, the lazy table and __all__ list the same names, so mypy and
        IDEs know the type of every name that is loaded on first use."""
        lazy = {m: tuple(sorted(names)) for m, names in khuyencong._FROM.items()}
        seen = {m: tuple(sorted(names)) for m, names in _type_checking_imports().items()}
        assert seen == lazy
        assert set(khuyencong.__all__) == {*khuyencong._LAZY, "__version__"}

    @pytest.mark.parametrize("name", sorted(khuyencong._LAZY))
    def test_each_name_is_its_packages_own(self, name: str) -> None:
        """``khuyencong.<name>`` is the very object of its package (one object, two paths)."""
        home = importlib.import_module(khuyencong._LAZY[name])
        assert getattr(khuyencong, name) is getattr(home, name)
        assert name in home.__all__

    def test_dir_lists_the_lazy_names(self) -> None:
        """dir(khuyencong) shows the names before they are loaded, for completion in a REPL."""
        assert {"support_amount", "LegalForm", "compute", "open_store"} <= set(dir(khuyencong))

    def test_an_unknown_name_is_an_attribute_error(self) -> None:
        """A name the namespace does not have raises AttributeError, as for any module."""
        with pytest.raises(AttributeError, match="no attribute 'support_amounts'"):
            khuyencong.support_amounts  # noqa: B018

    def test_import_loads_none_of_the_library(self) -> None:
        """``import khuyencong`` imports no other module of the library (nor attrs, cattrs or
        typing), so it stays fast; the first use of a name loads its package."""
        code = (
            "import sys, khuyencong\n"
            "print(sorted(m for m in sys.modules if m.startswith(('khuyencong.', 'attr', "
            "'cattrs', 'typing'))))\n"
            "khuyencong.RuleSet\n"
            "print('khuyencong.rules' in sys.modules)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.splitlines()
        assert out == ["[]", "True"]
