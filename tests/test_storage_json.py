"""The stores write each record's JSON straight from its fields, and it is the converter's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong import converters
from khuyencong.converters import converter
from khuyencong.domain import SupportRecord
from khuyencong.storage._common import to_json
from khuyencong.storage._json import json_writer
from khuyencong.storage._records import json_list
from khuyencong.testing import strategies as kst
from khuyencong.testing.conformance import sample_support_record

STORED = st.one_of(
    kst.establishments(),
    kst.projects(),
    kst.support_records(),
    kst.fair_participations(),
    kst.award_entries(),
    kst.ocop_ratings(),
)


class TestJsonWriter:
    """``json_writer(cls)(obj)`` is ``to_json(obj)``, only faster."""

    @given(STORED)
    def test_every_stored_type_is_written_as_the_converter_writes_it(self, obj: Any) -> None:
        """Every record type the stores keep gets the very text of the converter's JSON."""
        assert json_writer(type(obj))(obj) == to_json(obj)

    def test_a_valid_record_is_written_without_the_converter(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The writer of a valid record never needs the converter (in a process that has
        imported the rules, as the test suite and the command line have)."""
        import khuyencong.rules  # noqa: F401, PLC0415  (the import that once turned it off)

        record = sample_support_record(1)
        expected = to_json(record)

        def refuse(_: object) -> str:
            raise AssertionError("the converter was asked")

        monkeypatch.setattr("khuyencong.storage._json.to_json", refuse)
        assert json_writer(SupportRecord)(record) == expected

    def test_a_value_of_an_unexpected_type_goes_through_the_converter(self) -> None:
        """A field holding what its type does not say is written as the converter writes it."""
        record = sample_support_record(1)
        object.__setattr__(record, "note", 7)  # past the validators, on purpose
        assert json_writer(SupportRecord)(record) == to_json(record)

    @pytest.fixture
    def hooked(self) -> Iterator[None]:
        """The library's converter with a caller's unstructure hook, restored afterwards."""
        before = converters._UNSTRUCTURE_CHANGED[0]
        text = to_json(sample_support_record(1))
        converter.register_unstructure_hook(SupportRecord, lambda r: {"id": r.id})
        try:
            yield
        finally:
            converter.register_unstructure_hook(
                SupportRecord, converter.gen_unstructure_attrs_fromdict(SupportRecord)
            )
            converters._UNSTRUCTURE_CHANGED[0] = before
        assert to_json(sample_support_record(1)) == text

    @pytest.mark.usefixtures("hooked")
    def test_a_callers_unstructure_hook_is_honoured(self) -> None:
        """Once a caller registers an unstructure hook, the stores write what it gives."""
        record = sample_support_record(1)
        assert json_writer(SupportRecord)(record) == '{"id":"SR-000001"}'


class TestJsonList:
    """A multi-valued column holds the encoder's JSON array of its texts."""

    @given(st.lists(st.text()))
    def test_a_list_of_texts_is_the_encoders_array(self, texts: list[str]) -> None:
        """Any texts (quotes, back-slashes, controls, Vietnamese) give the encoder's text."""
        encoded = json.dumps(texts, ensure_ascii=False, separators=(",", ":"))
        assert json_list(texts) == encoded
        assert json.loads(json_list(tuple(texts))) == texts
