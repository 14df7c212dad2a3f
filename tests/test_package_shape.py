"""The package has one shape: private modules behind thin public ``__init__`` files.

A reader finds every public name through its package, by one import path; the command line sits
outside the layers it drives; and a layer never imports one above it.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import khuyencong

PACKAGE = Path(khuyencong.__file__).parent

# Packages whose submodules are all private implementation modules.
PRIVATE_ONLY = [
    "cli",
    "domain",
    "importing",
    "indicators",
    "reports",
    "rules",
    "storage",
    "units",
    "web",
]

# Packages whose submodules are themselves the public namespaces users import by name, as
# cattrs' ``preconf`` modules are: ``khuyencong.testing.strategies`` and friends.
PUBLIC_SUBMODULES = {
    "exchange": {"iati", "threesixty"},
    "testing": {"cases", "conformance", "strategies"},
}

# What each layer may import (besides itself, ``exceptions``, ``messages``, ``display``,
# ``converters``, ``_files``, the private helpers every file writer shares, ``_arguments``,
# the checks every public callable makes on its arguments, and ``_gc``, the pause of the
# garbage collector around the batch loops).
LAYERS = {
    "domain": {"units"},
    "units": set(),
    "rules": {"domain", "units"},
    "importing": {"domain", "units"},
    "indicators": {"domain", "units"},
    "storage": {"domain", "units", "indicators"},
    "reports": {"domain", "units", "indicators"},
}


def submodules(package: str) -> list[str]:
    """The names of a package's direct submodules and subpackages."""
    return [m.name for m in pkgutil.iter_modules([str(PACKAGE / package)])]


def isort_key(name: str) -> tuple[int, str]:
    """The order ruff keeps ``__all__`` in: CONSTANTS, then Classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


def imported_packages(package: str) -> set[str]:
    """The khuyencong packages a package imports at run time (typing-only imports aside)."""
    found: set[str] = set()
    for path in (PACKAGE / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(child)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
            for child in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "khuyencong" and len(parts) > 1:
                    found.add(parts[1])
    return found


class TestPackageShape:
    @pytest.mark.parametrize("package", PRIVATE_ONLY)
    def test_implementation_modules_are_private(self, package: str) -> None:
        """Every module inside a package is private; its names are reached through the package."""
        public = [m for m in submodules(package) if not m.startswith("_")]
        assert public == []

    @pytest.mark.parametrize("package", sorted(PUBLIC_SUBMODULES))
    def test_public_submodules_are_the_documented_ones(self, package: str) -> None:
        """A package of public namespaces has exactly its documented submodules."""
        public = {m for m in submodules(package) if not m.startswith("_")}
        assert public == PUBLIC_SUBMODULES[package]

    @pytest.mark.parametrize("package", ["", *PRIVATE_ONLY, *PUBLIC_SUBMODULES])
    def test_all_is_sorted_and_resolves(self, package: str) -> None:
        """Each package lists its public names once, sorted, and every name resolves."""
        module = importlib.import_module(f"khuyencong.{package}".rstrip("."))
        names = list(getattr(module, "__all__", []))
        assert names == sorted(set(names), key=isort_key)
        for name in names:
            assert getattr(module, name) is not None

    @pytest.mark.parametrize("package", PRIVATE_ONLY)
    def test_public_names_are_not_defined_in_two_packages(self, package: str) -> None:
        """A public name of one package is not also public in another (one import path)."""
        mine = set(importlib.import_module(f"khuyencong.{package}").__all__)
        for other in PRIVATE_ONLY:
            if other == package:
                continue
            theirs = set(importlib.import_module(f"khuyencong.{other}").__all__)
            shared = {
                n
                for n in mine & theirs
                if getattr(importlib.import_module(f"khuyencong.{package}"), n)
                is getattr(importlib.import_module(f"khuyencong.{other}"), n)
            }
            assert shared == set(), f"{package} and {other} both export {sorted(shared)}"

    @pytest.mark.parametrize("package", sorted(PUBLIC_SUBMODULES))
    def test_a_package_of_namespaces_re_exports_none_of_their_names(self, package: str) -> None:
        """khuyencong.exchange.read_json used to mean 360Giving beside read_iati_json: a
        package of public modules exports the modules, never their names a second time."""
        module = importlib.import_module(f"khuyencong.{package}")
        names = set(getattr(module, "__all__", []))
        assert names <= PUBLIC_SUBMODULES[package]

    def test_every_exchange_module_has_the_same_verbs(self) -> None:
        """Each exchange format module reads and writes with loads, dumps, read and write."""
        for name in sorted(PUBLIC_SUBMODULES["exchange"]):
            module = importlib.import_module(f"khuyencong.exchange.{name}")
            assert {"loads", "dumps", "read", "write", "FORMATS"} <= set(module.__all__)


class TestLayers:
    @pytest.mark.parametrize("package", sorted(LAYERS))
    def test_a_layer_imports_only_the_layers_below_it(self, package: str) -> None:
        """A layer imports only the layers below it; none imports the command line."""
        allowed = LAYERS[package] | {
            package,
            "exceptions",
            "messages",
            "display",
            "converters",
            "_files",
            "_arguments",
            "_data",
            "_gc",
        }
        assert imported_packages(package) - allowed == set()
