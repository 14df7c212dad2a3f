"""Walking a package's public callables with arguments taken from samples, by parameter name.

Shared by the tests that call every public function of a package (``test_rules_arguments.py``,
``test_arguments.py``): find the callables a package exports, and call one with a valid sample
for each required parameter, some of them replaced. A parameter the samples do not know fails
loudly (``KeyError`` naming it), so that a new function gets a sample instead of being skipped.

(The tests run with ``--import-mode=importlib``; ``conftest.py`` puts this folder on the path.)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

__all__ = ["call", "public_callables"]


def public_callables(module: ModuleType, *, classes: bool = False) -> list[tuple[str, Any]]:
    """The functions ``module`` exports (its ``__all__``), by name; with ``classes``, its
    classes too (not exceptions, nor protocols, which are not called)."""
    found = []
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isfunction(obj) or (
            classes
            and inspect.isclass(obj)
            and not issubclass(obj, BaseException)
            and not getattr(obj, "_is_protocol", False)
            and obj.__module__.startswith("khuyencong")  # not an alias such as Dong = int
        ):
            found.append((name, obj))
    return found


def call(function: Callable[..., Any], samples: Mapping[str, object], **override: object) -> Any:
    """Call ``function`` with ``samples`` for its required parameters (and ``override``, for
    any parameter), each passed as its kind requires (positionally or by keyword)."""
    args: list[object] = []
    kwargs: dict[str, object] = {}
    positional = True  # until a parameter is left to its default
    for p in inspect.signature(function).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.name in override:
            value = override[p.name]
        elif p.default is inspect.Parameter.empty:
            value = samples[p.name]
        else:
            positional = False
            continue
        if p.kind is p.POSITIONAL_ONLY or (positional and p.kind is p.POSITIONAL_OR_KEYWORD):
            args.append(value)
        else:
            kwargs[p.name] = value
    return function(*args, **kwargs)
