"""Fuzzing the converter: any JSON, any text, into every public type.

Whatever arrives, ``structure`` and ``loads`` build the object or raise the library's error,
and the error's message can be built and read.
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _fuzz import FAST, JSON, LONG, TEXT, nested
from khuyencong import domain
from khuyencong.converters import loads, structure, unstructure
from khuyencong.domain import Dataset
from khuyencong.exceptions import KhuyenCongError
from khuyencong.testing import strategies as ks
from khuyencong.units import UnitRef


def _strategy(cls: type[Any]) -> st.SearchStrategy[Any] | None:
    """The shipped strategy named after ``cls`` (``AwardEntry`` → ``award_entries``)."""
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
    plural = name[:-1] + "ies" if name.endswith("y") else name + "s"
    factory = getattr(ks, plural, None)
    return None if factory is None else factory()


# Every public attrs class of the domain, and the unit reference: what stores and files hold.
PUBLIC = [
    cls
    for cls in (*(getattr(domain, n) for n in domain.__all__), UnitRef)
    if isinstance(cls, type) and attrs.has(cls)
]
TYPES = [(cls, s) for cls in PUBLIC if (s := _strategy(cls)) is not None]
IDS = [cls.__name__ for cls, _ in TYPES]


def only_library_errors(build: Any, *args: Any) -> None:
    """Run ``build``; a refusal must be a KhuyenCongError whose message can be shown."""
    refusal: KhuyenCongError | None = None
    try:
        build(*args)
    except KhuyenCongError as error:
        refusal = error
    assert refusal is None or str(refusal)


@st.composite
def damaged(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    """Valid wire data of an object with one field replaced by any JSON value."""
    data = unstructure(draw(strategy))
    if isinstance(data, dict) and data:
        key = draw(st.sampled_from(sorted(data)))
        data[key] = draw(JSON | st.just(nested(3000)))
    return data


def check_any_json(cls: type[Any], data: Any) -> None:
    only_library_errors(structure, data, cls)


def check_damaged(cls: type[Any], strategy: st.SearchStrategy[Any], how_long: settings) -> None:
    """Fuzz ``cls`` with damaged valid data, for as long as ``how_long`` (settings) says."""

    @how_long
    @given(damaged(strategy))
    def run(data: Any) -> None:
        only_library_errors(structure, data, cls)

    run()


class TestStructure:
    @pytest.mark.parametrize("cls", PUBLIC, ids=lambda c: c.__name__)
    @FAST
    @given(data=JSON)
    def test_any_json_is_built_or_refused(self, cls: type[Any], data: Any) -> None:
        """Any JSON value structured as any public type ends in the object or a library
        error, never a TypeError, a RecursionError or an error whose message fails."""
        check_any_json(cls, data)

    @pytest.mark.parametrize(("cls", "strategy"), TYPES, ids=IDS)
    def test_valid_data_with_one_damaged_field_is_built_or_refused(
        self, cls: type[Any], strategy: st.SearchStrategy[Any]
    ) -> None:
        """Valid data with one field replaced by anything is built or refused plainly."""
        check_damaged(cls, strategy, FAST)

    @pytest.mark.slow
    @pytest.mark.parametrize(("cls", "strategy"), TYPES, ids=IDS)
    def test_valid_data_with_one_damaged_field_is_built_or_refused_long(
        self, cls: type[Any], strategy: st.SearchStrategy[Any]
    ) -> None:
        """The long run of the damaged-field fuzz (CI)."""
        check_damaged(cls, strategy, LONG)

    @pytest.mark.slow
    @pytest.mark.parametrize("cls", PUBLIC, ids=lambda c: c.__name__)
    @LONG
    @given(data=JSON)
    def test_any_json_is_built_or_refused_long(self, cls: type[Any], data: Any) -> None:
        """The long run of the any-JSON fuzz (CI)."""
        check_any_json(cls, data)


class TestLoads:
    @FAST
    @given(st.binary(max_size=200) | TEXT | st.builds(json.dumps, JSON, allow_nan=st.just(True)))
    def test_any_text_is_read_or_refused(self, document: str | bytes) -> None:
        """Any bytes or text given to loads end in a dataset or a library error."""
        only_library_errors(loads, document, Dataset)

    @pytest.mark.slow
    @LONG
    @given(st.binary(max_size=400) | st.builds(json.dumps, JSON, allow_nan=st.just(True)))
    def test_any_text_is_read_or_refused_long(self, document: str | bytes) -> None:
        """The long run of the loads fuzz (CI)."""
        only_library_errors(loads, document, Dataset)


def test_every_public_type_is_fuzzed() -> None:
    """Every public domain class with a shipped strategy is fuzzed from valid data too; the
    others (a dataset, a status change, a project's content) from any JSON, and inside the
    objects that hold them."""
    assert {cls.__name__ for cls in PUBLIC} - set(IDS) == {"Dataset", "StatusChange"}
