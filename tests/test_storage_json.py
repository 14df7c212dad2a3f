"""The stores write each record's JSON straight from its fields, and it is the converter's."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _stores import PostgresSchema, postgres_url
from khuyencong import converters
from khuyencong.converters import converter
from khuyencong.domain import Dataset, SupportRecord
from khuyencong.exceptions import DanglingReferenceError, DuplicateIdError, ValidationError
from khuyencong.storage import SQLiteStore, open_store, store_columns, store_dataset
from khuyencong.storage._common import to_json
from khuyencong.storage._json import json_column_writer, json_writer
from khuyencong.storage._records import SPECS, SUPPORT_RECORDS, json_list
from khuyencong.storage._sql import _given_columns
from khuyencong.testing import strategies as kst
from khuyencong.testing.conformance import (
    sample_establishment,
    sample_project,
    sample_support_record,
)

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


def _columns(records: list[SupportRecord]) -> dict[str, list[Any]]:
    """The records as one column per field."""
    return {f.name: [getattr(r, f.name) for r in records] for f in attrs.fields(SupportRecord)}


RECORDS = st.lists(kst.support_records(), max_size=8, unique_by=lambda r: r.id)


class TestJsonColumnWriter:
    """``json_column_writer(cls)(columns)`` is ``json_writer`` of each object."""

    @given(RECORDS)
    def test_records_given_as_columns_are_written_as_each_record(
        self, records: list[SupportRecord]
    ) -> None:
        """Support records given as columns get, row by row, the text of each record."""
        written = json_column_writer(SupportRecord)(_columns(records))
        assert written == [json_writer(SupportRecord)(r) for r in records]

    @given(RECORDS)
    def test_the_queried_columns_are_those_of_each_record(
        self, records: list[SupportRecord]
    ) -> None:
        """The queried columns made from columns are, row by row, those of each record."""
        found = SUPPORT_RECORDS.from_columns(_columns(records))  # type: ignore[misc]
        assert [tuple(row) for row in zip(*found, strict=True)] == [
            SUPPORT_RECORDS.row(r) for r in records
        ]

    @pytest.mark.parametrize("count", [1, 2])
    def test_a_percent_sign_is_written_as_it_is(self, count: int) -> None:
        """A text holding ``%`` (the row format's own sign) is written as it is, whether
        its column holds one value or several."""
        records = [
            attrs.evolve(sample_support_record(n), note="100% vốn; 5%% lãi; %s")
            for n in range(1, count + 1)
        ]
        written = json_column_writer(SupportRecord)(_columns(records))
        assert written == [json_writer(SupportRecord)(r) for r in records]

    def test_a_value_of_an_unexpected_type_gives_nothing(self) -> None:
        """A column holding what its field's type does not say: the objects are needed."""
        columns = _columns([sample_support_record(1)])
        columns["note"] = [7]
        assert json_column_writer(SupportRecord)(columns) is None

    @pytest.mark.usefixtures("hooked")
    def test_a_callers_unstructure_hook_gives_nothing(self) -> None:
        """With a caller's unstructure hook, the columns are not written without objects."""
        assert json_column_writer(SupportRecord)(_columns([sample_support_record(1)])) is None

    hooked = TestJsonWriter.hooked


def _stored(url: str, records: list[SupportRecord], *, by_columns: bool) -> list[Any]:
    """Store the records in a store holding their establishments and project; what the
    store then holds (every column of the table, or the objects read back)."""
    with open_store(url) as store:
        store_dataset(
            store,
            Dataset(
                establishments=(sample_establishment(1), sample_establishment(2)),
                projects=(sample_project(1),),
            ),
        )
        if by_columns:
            assert store_columns(store, "support_records", _columns(records)) == len(records)
        else:
            store_dataset(store, Dataset(support_records=tuple(records)))
        if isinstance(store, SQLiteStore):
            return list(store._all("SELECT * FROM support_records ORDER BY id", []))
        return list(store.support_records)


def _named(records: list[SupportRecord], choice: list[int]) -> list[SupportRecord]:
    """The records naming the stored establishments and project."""
    return [
        attrs.evolve(
            r,
            establishment_id=f"E-{1 + k % 2}",
            project_id="P-1" if k % 3 == 0 else None,
        )
        for r, k in zip(records, choice, strict=False)
    ]


class TestStoreColumns:
    """``store_columns`` stores what ``store_dataset`` stores, without objects on SQL."""

    @settings(max_examples=40, deadline=None)
    @given(records=RECORDS, choice=st.lists(st.integers(0, 5), min_size=8, max_size=8))
    def test_the_store_holds_the_same_rows_as_from_objects(
        self, records: list[SupportRecord], choice: list[int], tmp_path_factory: Any
    ) -> None:
        """Support records stored as columns are the very rows (queried columns and JSON)
        that storing the records gives, on SQLite and in memory."""
        records = _named(records, choice)
        folder = tmp_path_factory.mktemp("columns")
        assert _stored(f"sqlite:///{folder / 'a.db'}", records, by_columns=True) == _stored(
            f"sqlite:///{folder / 'b.db'}", records, by_columns=False
        )
        assert _stored("memory://", records, by_columns=True) == _stored(
            "memory://", records, by_columns=False
        )

    @pytest.mark.parametrize("url", ["sqlite:///:memory:", "memory://"])
    def test_an_unknown_establishment_is_refused_as_from_objects(self, url: str) -> None:
        """A record naming an establishment the store lacks: the same error as add_many's,
        and nothing stored."""
        records = [sample_support_record(1), sample_support_record(2, establishment_id="E-9")]
        with open_store(url) as store:
            store.establishments.add(sample_establishment(1))
            with pytest.raises(DanglingReferenceError) as by_objects:
                store.support_records.add_many(records)
            with pytest.raises(DanglingReferenceError) as by_columns:
                store_columns(store, "support_records", _columns(records))
            assert by_columns.value.references == by_objects.value.references
            assert by_columns.value.paths == by_objects.value.paths
            assert store.support_records.count() == 0

    @pytest.mark.parametrize("url", ["sqlite:///:memory:", "memory://"])
    def test_an_id_given_twice_or_stored_is_refused(self, url: str) -> None:
        """An id repeated in the columns, or already stored, is refused; nothing stored."""
        one, two = sample_support_record(1), sample_support_record(2)
        with open_store(url) as store:
            store.establishments.add(sample_establishment(1))
            with pytest.raises(DuplicateIdError):
                store_columns(store, "support_records", _columns([one, two, one]))
            assert store.support_records.count() == 0
            store.support_records.add(one)
            with pytest.raises(DuplicateIdError):
                store_columns(store, "support_records", _columns([two, one]))
            assert store.support_records.count() == 1

    def test_an_invalid_row_is_refused_where_it_is(self) -> None:
        """A row its constructor refuses is refused at its place; nothing stored."""
        columns = _columns([sample_support_record(1), sample_support_record(2)])
        columns["trainees"][1] = -3
        with open_store("sqlite:///:memory:") as store:
            store.establishments.add(sample_establishment(1))
            with pytest.raises(ValidationError) as caught:
                store_columns(store, "support_records", columns)
            assert caught.value.paths == ("$[1].trainees",)
            assert store.support_records.count() == 0

    def test_only_support_records_are_stored_as_columns(self) -> None:
        """Another kind is refused, naming the kinds that may be stored so."""
        with open_store("memory://") as store, pytest.raises(ValidationError) as caught:
            store_columns(store, "establishments", {})
        assert caught.value.paths == ("$.kind",)

    def test_a_column_of_nulls_only_is_left_out_of_the_insert(self) -> None:
        """A column holding only NULLs is not sent (the row holds NULL there all the same);
        every column is sent when none is all NULLs, or when there is no row."""
        names = ["id", "project_id", "note", "data"]
        values: list[list[Any]] = [["S1", "S2"], [None, None], [None, "x"], ["{}", "{}"]]
        assert _given_columns(names, values) == (
            ["id", "note", "data"],
            [["S1", "S2"], [None, "x"], ["{}", "{}"]],
        )
        assert _given_columns(names[:1], values[:1]) == (names[:1], values[:1])
        assert _given_columns(names, [[], [], [], []]) == (names, [[], [], [], []])

    def test_no_queried_column_of_a_record_table_has_a_default(self) -> None:
        """The columns left out of an insert hold NULL because no record table's column
        has a default."""
        with open_store("sqlite:///:memory:") as store:
            assert isinstance(store, SQLiteStore)
            for spec in SPECS:
                found = store._all(f"PRAGMA table_info({spec.table})", [])
                assert [(row[1], row[4]) for row in found if row[4] is not None] == []

    @pytest.mark.postgres
    def test_postgresql_holds_the_same_rows_as_from_objects(self) -> None:
        """On PostgreSQL too, records stored as columns are the rows storing them gives."""
        records = [
            sample_support_record(1),
            attrs.evolve(
                sample_support_record(2, project_id="P-1", note="Máy sấy"),
                partners=("Cục CTĐP",),
                jobs_created=3,
                income_change=-2_000_000,
                outcome_reported_on=dt.date(2020, 1, 2),
            ),
            sample_support_record(3, location=None, establishment_id="E-2"),
        ]
        found = []
        for by_columns in (True, False):
            db = PostgresSchema(postgres_url())
            try:
                store_dataset(
                    db.store,
                    Dataset(
                        establishments=(sample_establishment(1), sample_establishment(2)),
                        projects=(sample_project(1),),
                    ),
                )
                if by_columns:
                    store_columns(db.store, "support_records", _columns(records))
                else:
                    store_dataset(db.store, Dataset(support_records=tuple(records)))
                found.append(
                    db.store._all(  # type: ignore[attr-defined]
                        "SELECT * FROM support_records ORDER BY id", []
                    )
                )
            finally:
                db.drop()
        assert found[0] == found[1]
        assert len(found[0]) == len(records)
