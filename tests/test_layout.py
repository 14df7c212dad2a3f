"""The tests are laid out by module: each test class is defined once, and runs once.

A test class name defined in two modules makes a report ambiguous (``TestRoundTrip`` failed:
which one?), and a test class inherited from another test module runs that module's checks a
second time under another name, away from the module they belong to. Checks shared by several
stores are one parametrised fixture (``_stores.STORES``) instead. A class may derive from the
library's public conformance kit (``khuyencong.testing``), which exists to be subclassed.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).parent
SHARED_BASES = "khuyencong.testing"
"""The one place a test class may take its checks from outside its own module."""


def layout_modules() -> list[Path]:
    """Every test module under tests/ (helpers such as ``_walk.py`` are not test modules)."""
    return sorted(TESTS.rglob("test_*.py"))


def classes_of(tree: ast.Module) -> list[ast.ClassDef]:
    return [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name.startswith("Test")]


def kit_names(tree: ast.Module) -> set[str]:
    """The names a module imports from the conformance kit (classes or the module itself)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(SHARED_BASES):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "khuyencong":
            names.update(
                alias.asname or alias.name for alias in node.names if alias.name == "testing"
            )
    return names


def foreign_bases(tree: ast.Module) -> list[str]:
    """The bases of test classes that are neither defined in the module nor the kit's."""
    own = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    kit = kit_names(tree)
    found = []
    for cls in classes_of(tree):
        for base in cls.bases:
            root = base
            while isinstance(root, ast.Attribute):
                root = root.value
            name = root.id if isinstance(root, ast.Name) else ast.unparse(root)
            allowed = own if isinstance(base, ast.Name) else set()
            if name not in allowed | kit:
                found.append(f"{cls.name}({ast.unparse(base)})")
    return found


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


class TestLayout:
    def test_no_test_class_name_is_defined_twice(self) -> None:
        """Each ``Test…`` class name is defined in one module only, once."""
        where: dict[str, list[str]] = defaultdict(list)
        for path in layout_modules():
            for cls in classes_of(parsed(path)):
                where[cls.name].append(str(path.relative_to(TESTS)))
        twice = {name: files for name, files in where.items() if len(files) > 1}
        assert twice == {}

    def test_no_test_class_inherits_from_another_module(self) -> None:
        """A test class derives only from classes of its own module or the conformance kit."""
        inherited = {
            str(path.relative_to(TESTS)): bases
            for path in layout_modules()
            if (bases := foreign_bases(parsed(path)))
        }
        assert inherited == {}

    def test_the_rules_catch_what_they_forbid(self) -> None:
        """The checks above see a class inherited from a sibling module, by name or through a
        module, and let the conformance kit and a class of the same module pass."""
        sample = ast.parse(
            "import sibling\n"
            "from other_tests import TestSeedFigures\n"
            "from khuyencong.testing.conformance import StoreConformance\n"
            "class _Base: ...\n"
            "class TestA(sibling.TestSeedFigures): ...\n"
            "class TestB(TestSeedFigures): ...\n"
            "class TestC(StoreConformance): ...\n"
            "class TestD(_Base): ...\n"
        )
        assert foreign_bases(sample) == [
            "TestA(sibling.TestSeedFigures)",
            "TestB(TestSeedFigures)",
        ]
        assert [c.name for c in classes_of(sample)] == ["TestA", "TestB", "TestC", "TestD"]
