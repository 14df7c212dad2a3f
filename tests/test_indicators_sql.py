"""Indicators pushed down to SQL (SQLite, PostgreSQL) and computed by the columnar engine
(Polars) give exactly the in-memory figures.

The reference is :class:`~khuyencong.indicators.RecordSet` over the same records (listed in id
order, as a store lists them; the columnar engine over a record set keeps its order). PostgreSQL
runs against ``KHUYENCONG_TEST_POSTGRES_URL`` in a schema of its own, dropped afterwards;
without the variable those tests are skipped (and fail in CI, like the storage suite).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _stores import RECORD_TABLES, PostgresSchema, postgres_url
from khuyencong.domain import (
    AwardEntry,
    AwardLevel,
    Establishment,
    FairKind,
    Fund,
    LegalForm,
    Period,
    ProductGroup,
    ProjectStatus,
    Sector,
    SupportContent,
)
from khuyencong.exceptions import NotFoundError
from khuyencong.indicators import (
    STANDARD_INDICATORS,
    Breakdown,
    ColumnarSource,
    Counting,
    DateField,
    Filter,
    Indicator,
    IndicatorResult,
    IndicatorSource,
    Measure,
    RecordKind,
    RecordSet,
    Unit,
    compute,
    compute_standard,
    counterpart_ratio,
    coverage,
    disbursement_rate,
    project_size,
    sector_mix,
    source_for,
)
from khuyencong.reports import load_example
from khuyencong.storage import SQLiteStore, Store, open_store, store_dataset
from khuyencong.storage import _records as rec
from khuyencong.storage import _schema as schema
from khuyencong.storage._aggregate import SqlIndicatorSource
from khuyencong.storage._sql import Dialect
from khuyencong.testing import strategies as kst
from khuyencong.units import MapId, load_map

REFORM = MapId.MAP_REFORM
BAC_GIANG = [u.ref for u in load_map(MapId.MAP_2021).communes("24")][:12]
AGENCIES = ["Trung tâm A", "Trung tâm B", "unknown"]
PARTNERS = ["Cục CTĐP", "TTKC 1", "none"]

# Each entry is one breakdown (a list of dimensions); ``None`` is the indicator's own.
BREAKDOWNS: list[list[Breakdown] | None] = [
    None,
    [],
    [Breakdown.of("content")],
    [Breakdown.of("content_group")],
    [Breakdown.of("legal_form")],
    [Breakdown.of("sector")],
    [Breakdown.of("fund")],
    [Breakdown.of("coordination")],
    [Breakdown.of("partner")],
    [Breakdown.of("lead_agency")],
    [Breakdown.of("year")],
    [Breakdown.of("project")],
    [Breakdown.of("establishment")],
    [Breakdown.district()],
    [Breakdown.commune()],
    [Breakdown.province()],
    [Breakdown.province(REFORM)],
    [Breakdown.commune(REFORM)],
    [Breakdown.of("content_group"), Breakdown.of("coordination")],
    [Breakdown.district(), Breakdown.of("fund")],
    [Breakdown.of("sector"), Breakdown.of("partner")],
    [Breakdown.province(REFORM), Breakdown.of("year")],
]
SCOPES: list[Filter | None] = [
    None,
    Filter(legal_forms={LegalForm.COOPERATIVE}),
    Filter(sectors={Sector.HANDICRAFTS}),
    Filter(exclude_sectors={Sector.AGRO_FOOD_PROCESSING}),
    Filter(funds={Fund.NATIONAL}),
    Filter(with_partners=True),
    Filter(with_partners=False),
    Filter(partners={"TTKC 1"}),
    Filter(lead_agencies={"Trung tâm A"}),
    Filter(establishment_ids={"E0", "E1", "E9"}),
    Filter(project_ids={"P0", "P1"}),
    Filter(fair_kinds={FairKind.DOMESTIC}, award_levels={AwardLevel.PROVINCE}, stars={4, 5}),
    Filter(project_statuses={ProjectStatus.APPROVED, ProjectStatus.SETTLED}),
    Filter(groups={SupportContent.MACHINERY.group}),
    Filter(reported={Measure.JOBS_CREATED}),
    Filter(reported={Measure.JOBS_CREATED, Measure.INCOME_CHANGE}, legal_forms={LegalForm.SME}),
    Filter(reported=set()),
]
DATE_OVERRIDES = [
    ("establishments_supported", DateField.DECIDED_ON),
    ("co_funding", DateField.ACCEPTED_ON),
    ("fair_participations", DateField.END_ON),
    ("awarded_products", DateField.ROUND_YEAR),
    ("awarded_products", DateField.ENTERED_ON),
    ("approved_support", DateField.SETTLED_ON),
    ("approved_support", DateField.ACCEPTED_ON),
    ("jobs_created", DateField.OUTCOME_REPORTED_ON),
    ("jobs_created", DateField.DELIVERED_ON),
    ("income_change", DateField.OUTCOME_REPORTED_ON),
]
# How many records reported each outcome: occurrences with an optional measure.
REPORTED = [
    Indicator(
        f"{m.value}_reported",
        "Số bản ghi có báo cáo",
        "Records that reported",
        Unit.RECORDS,
        RecordKind.SUPPORT,
        Counting.OCCURRENCES,
        DateField.REPORTED_OR_DELIVERED_ON,
        measure=m,
    )
    for m in (Measure.JOBS_CREATED, Measure.INCOME_CHANGE)
] + [
    # The records that reported either outcome (the report's "from N records"), each once.
    Indicator(
        "either_reported",
        "Số bản ghi có báo cáo kết quả",
        "Records with reported outcomes",
        Unit.RECORDS,
        RecordKind.SUPPORT,
        Counting.OCCURRENCES,
        DateField.REPORTED_OR_DELIVERED_ON,
        filter=Filter(reported={Measure.JOBS_CREATED, Measure.INCOME_CHANGE}),
    )
]
PERIODS = [
    Period.phase(2017, 2020),
    Period.year(2019),
    Period(dt.date(2016, 3, 2), dt.date(2021, 6, 30)),
    Period.phase(1900, 2999),
]


# -- random record sets ---------------------------------------------------------------------


def _pick(draw: st.DrawFn, options: Sequence[Any]) -> Any:
    return draw(st.sampled_from(options))


@st.composite
def record_sets(draw: st.DrawFn) -> RecordSet:
    """Dense random records: few establishments, agencies, partners and places, so groups
    overlap. Every record names a stored establishment, and a project of the set if any: a
    store refuses orphans."""
    n_est = draw(st.integers(1, 6))
    project_ids = [f"P{i}" for i in range(draw(st.integers(0, 4)))]
    of_project = st.none() | st.sampled_from(project_ids) if project_ids else st.none()
    places = st.one_of(st.sampled_from(BAC_GIANG), kst.unit_refs())
    ests: list[Establishment] = [
        attrs.evolve(draw(kst.establishments()), id=f"E{i}", location=draw(places))
        for i in range(n_est)
    ]
    est_ids = [e.id for e in ests]
    own_place = st.none() | places
    agencies = st.none() | st.sampled_from(AGENCIES)
    partners = st.lists(st.sampled_from(PARTNERS), max_size=2).map(tuple)
    days = kst.dates(dt.date(2015, 1, 1), dt.date(2022, 12, 31))

    def common(i: int, prefix: str) -> dict[str, Any]:
        return {"id": f"{prefix}{i:02d}", "establishment_id": _pick(draw, est_ids)}

    lag = st.none() | st.integers(0, 400).map(lambda d: dt.timedelta(days=d))

    def around(day: dt.date, sign: int) -> dt.date | None:
        delta = draw(lag)
        return None if delta is None else day + sign * delta

    delivered = [draw(days) for _ in range(draw(st.integers(0, 25)))]
    support = [
        attrs.evolve(
            draw(kst.support_records()),
            **common(i, "S"),
            delivered_on=day,
            decided_on=around(day, -1),
            accepted_on=around(day, 1),
            # Outcomes: None or a value each (jobs, a possibly negative income change), and a
            # report date that may fall in another period than the delivery.
            jobs_created=draw(st.none() | st.sampled_from([0, 3, 12])),
            income_change=draw(st.none() | st.sampled_from([0, -4_000_000, 9_000_000])),
            outcome_reported_on=around(day, 1),
            national_amount=draw(st.sampled_from([0, 0, 5_000_000, 7])),
            local_amount=draw(st.sampled_from([0, 3_000_000, 11])),
            project_id=draw(of_project),
            lead_agency=draw(agencies),
            partners=draw(partners),
            location=draw(own_place),
        )
        for i, day in enumerate(delivered)
    ]
    fairs = [
        attrs.evolve(
            draw(kst.fair_participations()),
            **common(i, "F"),
            start_on=draw(days),
            lead_agency=draw(agencies),
            partners=draw(partners),
            project_id=draw(of_project),
            location=draw(own_place),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    names = ["Mỳ gạo Chũ", "MỲ GẠO CHŨ", "Vải thiều", "vai thieu "]
    awards = [
        attrs.evolve(
            draw(kst.award_entries()),
            **common(i, "A"),
            product_name=_pick(draw, names),
            round_year=draw(st.integers(2015, 2022)),
            location=draw(own_place),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    ocop = [
        attrs.evolve(
            draw(kst.ocop_ratings()),
            **common(i, "O"),
            product_name=_pick(draw, names),
            rated_on=draw(days),
            location=draw(own_place),
        )
        for i in range(draw(st.integers(0, 5)))
    ]
    projects = [
        attrs.evolve(
            draw(kst.projects()),
            id=key,
            beneficiary_ids=tuple(
                draw(st.lists(st.sampled_from(est_ids), min_size=1, max_size=3, unique=True))
            ),
            partners=draw(partners),
        )
        for key in project_ids
    ]
    return RecordSet(
        establishments=ests,
        support_records=support,
        fair_participations=fairs,
        award_entries=awards,
        ocop_ratings=ocop,
        projects=projects,
    )


def _fill(store: Store, data: RecordSet) -> None:
    # Generated projects may be past their draft: store_dataset brings them in as historical.
    store_dataset(store, data.to_dataset())


def _results(
    source: IndicatorSource,
    period: Period,
    by: list[Breakdown] | None,
    scope: Filter | None,
    drill_down: bool,
) -> dict[str, IndicatorResult]:
    return {
        code: compute(ind, source, period, by=by, scope=scope, drill_down=drill_down)
        for code, ind in STANDARD_INDICATORS.items()
    }


def _check_same(
    sql_source: IndicatorSource, data: RecordSet, period: Period, pairs: list[tuple[int, int]]
) -> None:
    """Every standard indicator (``pairs`` of breakdown and scope), date field, coverage,
    outcome count, ratio and unit list of ``sql_source`` equals ``data``'s."""
    for i, (b, f) in enumerate(pairs):
        by, scope = BREAKDOWNS[b], SCOPES[f]
        drill = i % 2 == 0
        assert _results(sql_source, period, by, scope, drill) == _results(
            data, period, by, scope, drill
        ), f"breakdown {by}, scope {scope}"
    scope = SCOPES[pairs[0][1]]
    year = [Breakdown.of("year")]
    for code, field in DATE_OVERRIDES:
        ind = STANDARD_INDICATORS[code]
        assert compute(ind, sql_source, period, by=year, date_field=field) == compute(
            ind, data, period, by=year, date_field=field
        ), f"{code} by {field}"
    assert coverage(sql_source, period, scope=scope) == coverage(data, period, scope=scope)
    assert coverage(sql_source, period, level="commune", map_id=REFORM) == coverage(
        data, period, level="commune", map_id=REFORM
    )
    for ind in REPORTED:
        by_content = [Breakdown.of("content_group")]
        assert compute(ind, sql_source, period, by=by_content, scope=scope) == compute(
            ind, data, period, by=by_content, scope=scope
        ), ind.code
    for fn in (sector_mix, project_size, disbursement_rate, counterpart_ratio):
        assert fn(sql_source, period, scope=scope) == fn(data, period, scope=scope)
    for kind in RecordKind:
        assert sql_source.unit_refs(kind) == data.unit_refs(kind)


checks = st.tuples(
    record_sets(),
    st.sampled_from(PERIODS),
    st.lists(
        st.tuples(st.integers(0, len(BREAKDOWNS) - 1), st.integers(0, len(SCOPES) - 1)),
        min_size=3,
        max_size=5,
    ),
)


# -- stores ----------------------------------------------------------------------------------


class _Sqlite:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = SQLiteStore(path, synchronous="normal")

    def reset(self) -> None:
        conn = sqlite3.connect(self.path)
        with conn:
            for table in RECORD_TABLES:
                conn.execute(f"DELETE FROM {table}")
        conn.close()


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Sqlite]:
    """One SQLite store for the module, emptied before each example."""
    db = _Sqlite(tmp_path_factory.mktemp("ind") / "kc.db")
    yield db
    db.store.close()


def _sorted(data: RecordSet) -> RecordSet:
    def by_id(items: Sequence[Any]) -> list[Any]:
        return sorted(items, key=lambda x: x.id)

    return RecordSet(
        establishments=by_id(data.establishments),
        support_records=by_id(data.support_records),
        fair_participations=by_id(data.fair_participations),
        award_entries=by_id(data.award_entries),
        ocop_ratings=by_id(data.ocop_ratings),
        projects=by_id(data.projects),
    )


# -- the property ----------------------------------------------------------------------------


class _Engine:
    """One engine under test: how it is given the drawn records, and the reference to compare
    it with (a store lists its records in id order)."""

    def __init__(self, name: str, load: Callable[[RecordSet], IndicatorSource], examples: int):
        self.name = name
        self.load = load
        self.examples = examples


def _pushdown(store: Store, data: RecordSet) -> IndicatorSource:
    _fill(store, data)
    source = source_for(store)
    assert isinstance(source, SqlIndicatorSource)  # answered in SQL, not read into memory
    return source


@pytest.fixture(
    scope="module",
    params=[
        "sqlite",
        "columnar",
        "columnar_from_store",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ],
)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[_Engine]:
    """The SQLite and PostgreSQL pushdowns (one store per module, emptied before each example)
    and the columnar engine, over a record set and over the records of an SQLite store."""
    name = request.param
    if name == "columnar":
        yield _Engine(name, ColumnarSource, 60)
        return
    if name == "postgresql":
        pg = PostgresSchema(postgres_url())

        def in_postgres(data: RecordSet) -> IndicatorSource:
            pg.reset()
            return _pushdown(pg.store, data)

        yield _Engine(name, in_postgres, 15)
        pg.drop()
        return
    db = _Sqlite(tmp_path_factory.mktemp("ind") / "kc.db")

    def in_sqlite(data: RecordSet) -> IndicatorSource:
        db.reset()
        return _pushdown(db.store, data)

    def columnar_from_sqlite(data: RecordSet) -> IndicatorSource:
        db.reset()
        _fill(db.store, data)
        return ColumnarSource(db.store)

    if name == "sqlite":
        yield _Engine(name, in_sqlite, 40)
    else:
        yield _Engine(name, columnar_from_sqlite, 15)
    db.store.close()


class TestSameAsInMemory:
    def test_every_engine_gives_the_in_memory_figures(self, engine: _Engine) -> None:
        """On SQLite, PostgreSQL and the columnar engine (over a record set, and over a store)
        every standard indicator, with any breakdown (content, group, legal form, sector, fund,
        coordination, partner, year, units of the 2021 and post-reform maps) and report scope,
        every date field, coverage and ratio equals the in-memory figure, drill-down ids
        included."""

        @given(checks)
        @settings(max_examples=engine.examples)
        def check(case: tuple[Any, ...]) -> None:
            data, period, pairs = case
            source = engine.load(data)
            reference = data if engine.name == "columnar" else _sorted(data)
            _check_same(source, reference, period, pairs)

        check()


class TestRecordSetKeepsNothingStale:
    @given(record_sets(), st.sampled_from(PERIODS), st.sampled_from(BREAKDOWNS))
    @settings(max_examples=15)
    def test_figures_do_not_depend_on_what_was_computed_before(
        self, data: RecordSet, period: Period, by: list[Breakdown] | None
    ) -> None:
        """A record set builds its columns, period rows and keys as queries first need them,
        and keeps them: after every indicator was computed over it (in reverse order, in
        several scopes), each indicator gives the figures it gives as the first question of a
        fresh set, drill-down ids included."""
        warm = _sorted(data)
        for scope in SCOPES[::3]:
            for ind in reversed(list(STANDARD_INDICATORS.values())):
                compute(ind, warm, period, by=by, scope=scope, drill_down=False)
        for code, ind in STANDARD_INDICATORS.items():
            first = compute(ind, _sorted(data), period, by=by)
            assert compute(ind, warm, period, by=by) == first, f"{code} by {by}"


# -- the source's other methods ----------------------------------------------------------------


class TestSource:
    def test_memory_store_gives_record_set(self) -> None:
        """A store without SQL pushdown is read once into a RecordSet with the same figures."""
        data = load_example()
        with open_store("memory://") as store:
            store_dataset(store, data.to_dataset())
            source = source_for(store)
        assert isinstance(source, RecordSet)
        phase = Period.phase(2017, 2020)
        assert compute_standard(source, phase) == compute_standard(_sorted(data), phase)

    def test_round_year_places_award_on_first_of_january(self, sqlite_db: _Sqlite) -> None:
        """By round year an award entry is dated 1 January: a period starting later in that
        year leaves it out, one starting on 1 January keeps it (as in memory)."""
        sqlite_db.reset()
        sqlite_db.store.establishments.add(attrs.evolve(load_example().establishments[0], id="E1"))
        award = AwardEntry(
            id="A1",
            product_name="Mỳ gạo Chũ",
            establishment_id="E1",
            product_group=next(iter(ProductGroup)),
            level=AwardLevel.PROVINCE,
            round_year=2016,
            passed=True,
            recognised=True,
            certificate_no="GCN-1",
            certificate_issued_on=dt.date(2016, 9, 1),
        )
        sqlite_db.store.award_entries.add(award)
        source = source_for(sqlite_db.store)
        ind = STANDARD_INDICATORS["awarded_products"].with_date(DateField.ROUND_YEAR)
        for start, expected in ((dt.date(2016, 3, 2), 0), (dt.date(2016, 1, 1), 1)):
            period = Period(start, dt.date(2017, 12, 31))
            assert compute(ind, source, period).value == expected
            assert compute(ind, RecordSet(award_entries=[award]), period).value == expected

    def test_source_is_returned_as_is(self) -> None:
        """A record set given to source_for is its own source."""
        data = RecordSet()
        assert source_for(data) is data

    def test_get_records_in_order_and_missing(self, sqlite_db: _Sqlite) -> None:
        """Drill-down reads only the rows asked for, in the order asked; an unknown id fails."""
        sqlite_db.reset()
        data = load_example()
        store_dataset(sqlite_db.store, data.to_dataset())
        source = source_for(sqlite_db.store)
        wanted = [data.support_records[3].id, data.support_records[0].id]
        assert [r.id for r in source.get_records(RecordKind.SUPPORT, wanted)] == wanted  # type: ignore[attr-defined]
        ests = source.get_establishments([data.establishments[1].id])
        assert ests == [data.establishments[1]]
        with pytest.raises(NotFoundError):
            source.get_records(RecordKind.FAIR, ["nope"])
        with pytest.raises(NotFoundError):
            source.get_establishments(["nope"])


# -- answers kept between queries ------------------------------------------------------------

PHASE = Period.phase(2017, 2020)
ESTABLISHMENTS = STANDARD_INDICATORS["establishments_supported"]
BY_FORM = [Breakdown.of("legal_form")]


def _one_more(data: RecordSet, n: int) -> tuple[Establishment, Any]:
    """A new establishment (a copy of the example's first, id ``EN<n>``) and one support
    record for it, delivered in :data:`PHASE`."""
    est = attrs.evolve(data.establishments[0], id=f"EN{n}")
    record = next(r for r in data.support_records if r.delivered_on.year == 2018)
    return est, attrs.evolve(record, id=f"SN{n}", establishment_id=est.id, project_id=None)


def _figures(source: IndicatorSource) -> tuple[int, dict[tuple[str, ...], int]]:
    """The establishments supported in :data:`PHASE`: the total, and by legal form."""
    by_form = compute(ESTABLISHMENTS, source, PHASE, by=BY_FORM, drill_down=False)
    return by_form.value, {row.key: row.value for row in by_form.rows}


def _add_then_fail(
    store: Store, est: Establishment, record: Any, look: Callable[[], object]
) -> None:
    """In one unit of work: add ``est`` and ``record``, call ``look``, then fail (rollback)."""
    with store.unit_of_work():
        store.establishments.add(est)
        store.support_records.add(record)
        look()
        raise RuntimeError


def _check_kept_answers_follow_writes(store: Store, other: Store) -> None:
    data = load_example()
    store_dataset(store, data.to_dataset())
    source = source_for(store)
    total, forms = _figures(source)
    assert _figures(source) == (total, forms)  # asked twice: the kept total is the same
    assert compute(ESTABLISHMENTS, source, PHASE, drill_down=False).value == total
    est, record = _one_more(data, 1)
    form = (est.legal_form.value,)
    store.establishments.add(est)
    store.support_records.add(record)
    assert _figures(source) == (total + 1, {**forms, form: forms[form] + 1})
    est2, record2 = _one_more(data, 2)
    other.establishments.add(est2)  # another connection to the same database
    other.support_records.add(record2)
    assert _figures(source) == (total + 2, {**forms, form: forms[form] + 2})
    seen: list[int] = []
    with pytest.raises(RuntimeError):
        _add_then_fail(store, *_one_more(data, 3), lambda: seen.append(_figures(source)[0]))
    assert seen == [total + 3]  # the unit of work's own change is seen inside it
    assert _figures(source) == (total + 2, {**forms, form: forms[form] + 2})  # rolled back
    everything = load_example()
    assert _figures(source) != _figures(everything)  # the example alone, for contrast
    assert _figures(source) == _figures(
        RecordSet(
            establishments=[*everything.establishments, est, est2],
            support_records=[*everything.support_records, record, record2],
        )
    )


class TestKeptAnswers:
    def test_sqlite_total_follows_every_write(self, tmp_path: Path) -> None:
        """The SQL source answers a repeated total once while the data is unchanged, and a
        write through the store, a commit by another connection to the same file, or a unit
        of work rolled back shows in the very next figure."""
        path = tmp_path / "kept.db"
        with SQLiteStore(path) as store, SQLiteStore(path) as other:
            _check_kept_answers_follow_writes(store, other)

    @pytest.mark.postgres
    def test_postgres_total_follows_every_write(self) -> None:
        """On PostgreSQL too, a write through the store, a commit by another connection or a
        rolled-back unit of work shows in the next figure of a source that keeps totals."""
        db = PostgresSchema(postgres_url())
        try:
            with open_store(db.store.url) as other:
                _check_kept_answers_follow_writes(db.store, other)
        finally:
            db.drop()

    def test_a_dialect_that_cannot_tell_never_reuses(self) -> None:
        """A database whose dialect cannot say whether another connection committed gives a
        data version equal to no other, so no kept answer is ever reused over it."""
        dialect = Dialect()
        conn = sqlite3.connect(":memory:")
        cursor: Any = conn.cursor()
        try:
            assert dialect.data_version(cursor) != dialect.data_version(cursor)
        finally:
            conn.close()

    def test_source_keeps_a_bounded_number_of_answers(
        self, sqlite_db: _Sqlite, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A long-lived source asked ever new totals forgets what it kept once it holds its
        limit, and every figure still equals the in-memory one."""
        monkeypatch.setattr("khuyencong.storage._aggregate._KEPT_MAX", 2)
        sqlite_db.reset()
        data = load_example()
        store_dataset(sqlite_db.store, data.to_dataset())
        source = source_for(sqlite_db.store)
        assert isinstance(source, SqlIndicatorSource)
        for year in (2017, 2018, 2019, 2020, 2018):
            period = Period.year(year)
            got = compute(ESTABLISHMENTS, source, period, drill_down=False)
            assert got == compute(ESTABLISHMENTS, _sorted(data), period, drill_down=False)
            assert len(source._kept) <= 2

    def test_repeated_total_is_read_once(self, sqlite_db: _Sqlite) -> None:
        """The establishments' total asked by five breakdowns is one statement while nothing
        is written; the next question after a write reads it again."""
        sqlite_db.reset()
        data = load_example()
        store_dataset(sqlite_db.store, data.to_dataset())
        source = source_for(sqlite_db.store)
        assert isinstance(source, SqlIndicatorSource)
        ran: list[str] = []
        sqlite_db.store._conn.set_trace_callback(ran.append)
        try:
            for by in ("legal_form", "sector", "content_group", "year", "coordination"):
                compute(ESTABLISHMENTS, source, PHASE, by=[Breakdown.of(by)], drill_down=False)
            totals = [s for s in ran if "GROUP BY" not in s and "COUNT(DISTINCT" in s]
            assert len(totals) == 1
            est, record = _one_more(data, 1)
            sqlite_db.store.establishments.add(est)
            sqlite_db.store.support_records.add(record)
            ran.clear()
            compute(ESTABLISHMENTS, source, PHASE, by=BY_FORM, drill_down=False)
            totals = [s for s in ran if "GROUP BY" not in s and "COUNT(DISTINCT" in s]
            assert len(totals) == 1
        finally:
            sqlite_db.store._conn.set_trace_callback(None)

    def test_distinct_establishments_are_kept_in_few_tables(
        self, sqlite_db: _Sqlite, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """On SQLite the distinct establishments of a selection are read into a temporary table
        once and shared by every figure over them, from any source of the store: at most
        ``_TABLES_MAX`` tables at a time, none left from before a write, and every figure
        still the in-memory one."""
        monkeypatch.setattr("khuyencong.storage._aggregate._TABLES_MAX", 2)
        sqlite_db.reset()
        data = load_example()
        store_dataset(sqlite_db.store, data.to_dataset())
        conn = sqlite_db.store._conn

        def tables() -> list[str]:
            rows = conn.execute("SELECT name FROM sqlite_temp_master WHERE type = 'table'")
            return sorted(r[0] for r in rows if r[0].startswith("kc_distinct_"))

        made: list[str] = []
        conn.set_trace_callback(lambda s: made.append(s) if "CREATE TEMP TABLE kc_d" in s else None)
        try:
            first, second = source_for(sqlite_db.store), source_for(sqlite_db.store)
            for source in (first, second):
                for by in ("legal_form", "sector", "district"):
                    breakdown = [Breakdown.parse(by)]
                    got = compute(ESTABLISHMENTS, source, PHASE, by=breakdown)
                    assert got == compute(ESTABLISHMENTS, _sorted(data), PHASE, by=breakdown)
            assert len(made) == 2  # the establishments, and their places: once for both sources
            assert len(tables()) == 2
            for year in (2017, 2018, 2019):  # new selections: the oldest tables go
                period = Period.year(year)
                got = compute(ESTABLISHMENTS, first, period, by=BY_FORM, drill_down=False)
                assert got == compute(
                    ESTABLISHMENTS, _sorted(data), period, by=BY_FORM, drill_down=False
                )
                assert len(tables()) <= 2
            before = tables()
            est, record = _one_more(data, 1)
            sqlite_db.store.establishments.add(est)
            sqlite_db.store.support_records.add(record)
            more = RecordSet(
                establishments=[*data.establishments, est],
                support_records=[*data.support_records, record],
            )
            got = compute(ESTABLISHMENTS, second, PHASE, by=BY_FORM, drill_down=False)
            assert got == compute(
                ESTABLISHMENTS, _sorted(more), PHASE, by=BY_FORM, drill_down=False
            )
            assert not set(before) & set(tables())  # made again after the write
        finally:
            conn.set_trace_callback(None)


# -- the schema migration ------------------------------------------------------------------------


class TestMigration:
    def test_version_1_database_is_back_filled(self, tmp_path: Path) -> None:
        """A database written at schema version 1 is migrated to the current version on open:
        the new indicator columns are back-filled from each row's data, the integrity check
        passes, and the pushed-down figures equal the in-memory ones."""
        data = load_example()
        path = tmp_path / "v1.db"
        conn = sqlite3.connect(path)
        for statement in schema.MIGRATIONS[0].statements(schema.SQLITE_TYPES):
            conn.execute(statement)
        conn.execute("INSERT INTO meta VALUES ('application', 'khuyencong')")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        for spec, items in zip(rec.SPECS, _by_spec(data), strict=True):
            v1 = [c for c in spec.columns if c.since == 1]
            names = ["id", *(["version"] if spec.table == "projects" else [])]
            names += [c.name for c in v1] + ["data"]
            marks = ", ".join("?" for _ in names)
            for obj in items:
                values = list(spec.row(obj))[: len(v1)]
                values = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
                version = [1] if spec.table == "projects" else []
                conn.execute(
                    f"INSERT INTO {spec.table} ({', '.join(names)}) VALUES ({marks})",
                    [obj.id, *version, *values, _json(obj)],
                )
        conn.commit()
        conn.close()
        with SQLiteStore(path) as store:
            assert store.schema_version == schema.SCHEMA_VERSION == 6
            assert store.check_integrity() == []
            phase = Period.phase(2017, 2020)
            scope = Filter(legal_forms={LegalForm.COOPERATIVE})
            assert compute_standard(source_for(store), phase, scope=scope) == compute_standard(
                _sorted(data), phase, scope=scope
            )


def _by_spec(data: RecordSet) -> list[Sequence[Any]]:
    return [
        data.establishments,
        data.projects,
        data.support_records,
        data.fair_participations,
        data.award_entries,
        data.ocop_ratings,
    ]


def _json(obj: object) -> str:
    from khuyencong.storage._common import to_json  # noqa: PLC0415

    return to_json(obj)
