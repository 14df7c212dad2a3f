"""The storage conformance suite: the behaviour every store must have, as pytest tests.

Every adapter shipped with khuyencong runs this suite, and so can yours. Subclass
:class:`StoreConformance` in a test module and override the ``make_store`` fixture so that it
yields a fresh, empty store (and closes or removes it afterwards)::

    import pytest
    from khuyencong.storage import open_store
    from khuyencong.testing.conformance import StoreConformance

    class TestMyStore(StoreConformance):
        @pytest.fixture
        def make_store(self, tmp_path):
            store = open_store(f"mystore://{tmp_path}/data")
            yield store
            store.close()

The suite covers round trips of every stored type (money at the bound, ids in NFC and NFD),
SQL-looking and Vietnamese text stored verbatim, queries by period, unit, content, legal form
and fund (a ``RecordQuery`` or keywords; bad filters refused), unique ids (a duplicate changes
nothing), references (no record or project naming a missing establishment), units of work (all
or nothing, no nesting), optimistic concurrency and lifecycles of projects (``save``, ``add``,
``add_historical``, ``replace``), budgets that cannot be overspent (threads, and with ``slow``
real processes), the audit log and its reserved actions, and the integrity check. Set
``cross_process = False`` on a store that another process cannot open by URL (the memory
store).

The sample builders (``sample_establishment`` …) are public so that adapter tests can reuse
them.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
import unicodedata
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pytest

from khuyencong.domain import (
    MAX_DONG,
    AwardEntry,
    AwardLevel,
    BudgetEnvelope,
    Establishment,
    FairKind,
    FairParticipation,
    Fund,
    LegalForm,
    OcopRating,
    Period,
    ProductGroup,
    Project,
    ProjectContent,
    ProjectKind,
    ProjectStatus,
    Sector,
    StatusChange,
    SupportContent,
    SupportRecord,
)
from khuyencong.exceptions import (
    BudgetExceededError,
    ConcurrencyError,
    DanglingReferenceError,
    DuplicateIdError,
    LifecycleError,
    NotFoundError,
    StoreError,
    ValidationError,
)
from khuyencong.storage import RecordQuery, Store, open_store
from khuyencong.units import MapId, UnitRef

__all__ = [
    "SQL_LOOKING",
    "StoreConformance",
    "commit_worker",
    "sample_award_entry",
    "sample_envelope",
    "sample_establishment",
    "sample_fair",
    "sample_ocop_rating",
    "sample_project",
    "sample_support_record",
]

PROVINCE = UnitRef(MapId.MAP_2021, "24")  # Bắc Giang
DISTRICT = UnitRef(MapId.MAP_2021, "219")  # Lục Ngạn
COMMUNE = UnitRef(MapId.MAP_2021, "07525")  # Chũ, in Lục Ngạn
OTHER_COMMUNE = UnitRef(MapId.MAP_2021, "07528")  # in Lục Ngạn too
HANOI_COMMUNE = UnitRef(MapId.MAP_2021, "00001")  # Phúc Xá, Hà Nội

SQL_LOOKING = (
    "Robert'); DROP TABLE support_records;--",
    "' OR '1'='1",
    '"; DELETE FROM audit; --',
    "%s %(x)s ? :name $1 \\x00-free",
    "Hợp tác xã Mỳ Chũ — “đặc sản”",
)
"""Strings that look like SQL (or like parameter markers), to be stored verbatim."""

# How hard the suite pushes on one budget envelope (docs/explanation/guarantees.md quotes
# these figures, and a test checks that it does).
THREADS = 8
"""Officers committing at once from threads, in ``test_threads_never_overspend``."""
THREAD_COMMITS = 10
"""Commitments each of those threads attempts."""
PROCESSES = 8
"""Real processes committing at once, in ``test_processes_never_overspend``."""
PROCESS_COMMITS = 20
"""Commitments each of those processes attempts."""


def sample_establishment(
    n: int = 1,
    *,
    legal_form: LegalForm = LegalForm.COOPERATIVE,
    location: UnitRef = COMMUNE,
    name: str = "Hợp tác xã Mỳ Chũ",
) -> Establishment:
    """An establishment with id ``E-<n>``."""
    extra: dict[str, Any] = {}
    if legal_form.is_cooperative_kind:
        extra["members"] = 7 + n
    if legal_form is LegalForm.SME:
        extra["employees"] = 20
    return Establishment(
        id=f"E-{n}",
        name=name,
        legal_form=legal_form,
        location=location,
        sectors=(Sector.AGRO_FOOD_PROCESSING, Sector.HANDICRAFTS),
        founded_on=dt.date(2010, 1, n % 28 + 1),
        revenue=1_500_000_000 + n,
        **extra,
    )


def sample_project(n: int = 1, *, plan_year: int = 2019, fund: Fund = Fund.LOCAL) -> Project:
    """A draft project with id ``P-<n>`` benefiting ``E-<n>``."""
    return Project(
        id=f"P-{n}",
        title="Ứng dụng máy sấy mỳ gạo",
        kind=ProjectKind.SINGLE_BENEFICIARY,
        beneficiary_ids=[f"E-{n}"],
        contents=(
            ProjectContent(
                SupportContent.MACHINERY, eligible_cost=400_000_000, requested=200_000_000
            ),
        ),
        fund=fund,
        province=PROVINCE,
        plan_year=plan_year,
        lead_agency="Trung tâm Khuyến công và XTTM Bắc Giang",
        partners=["Phòng Kinh tế và Hạ tầng"],
        planned_start=dt.date(plan_year, 3, 1),
        planned_end=dt.date(plan_year, 11, 30),
    )


def sample_support_record(
    n: int = 1,
    *,
    delivered_on: dt.date = dt.date(2019, 6, 1),
    content: SupportContent = SupportContent.MACHINERY,
    location: UnitRef | None = COMMUNE,
    national_amount: int = 0,
    local_amount: int = 150_000_000,
    establishment_id: str = "E-1",
    project_id: str | None = None,
    note: str = "",
) -> SupportRecord:
    """A support record with id ``SR-<n>`` (zero-padded so that ids sort like numbers), of no
    project unless ``project_id`` is given (a store holds the projects its records name)."""
    return SupportRecord(
        id=f"SR-{n:06d}",
        establishment_id=establishment_id,
        content=content,
        delivered_on=delivered_on,
        national_amount=national_amount,
        local_amount=local_amount,
        co_funding=150_000_000,
        quantity=1,
        project_id=project_id,
        lead_agency="Trung tâm Khuyến công",
        partners=["Hội Nông dân"],
        location=location,
        decided_on=delivered_on - dt.timedelta(days=30),
        note=note,
    )


def sample_fair(n: int = 1, *, start_on: dt.date = dt.date(2019, 9, 20)) -> FairParticipation:
    """A fair participation with id ``F-<n>`` paid from the local fund."""
    return FairParticipation(
        id=f"F-{n}",
        establishment_id="E-1",
        fair_name="Hội chợ hàng công nghiệp nông thôn tiêu biểu khu vực phía Bắc",
        fair_kind=FairKind.DOMESTIC,
        start_on=start_on,
        end_on=start_on + dt.timedelta(days=4),
        place="Hà Nội",
        supported_amount=12_000_000,
        fund=Fund.LOCAL,
        location=COMMUNE,
    )


def sample_award_entry(n: int = 1, *, round_year: int = 2019) -> AwardEntry:
    """An award entry with id ``A-<n>``, not yet scored."""
    return AwardEntry(
        id=f"A-{n}",
        product_name="Mỳ gạo Chũ",
        establishment_id="E-1",
        product_group=ProductGroup.PROCESSED_AGRO_FOOD,
        level=AwardLevel.PROVINCE,
        round_year=round_year,
        entered_on=dt.date(round_year, 5, 2),
        location=COMMUNE,
    )


def sample_ocop_rating(n: int = 1, *, rated_on: dt.date = dt.date(2020, 12, 1)) -> OcopRating:
    """An OCOP rating with id ``O-<n>``."""
    return OcopRating(
        id=f"O-{n}",
        product_name="Mỳ Chũ",
        establishment_id="E-1",
        rated_on=rated_on,
        score=Decimal("72.5"),
        stars=4,
        location=COMMUNE,
    )


def sample_envelope(total: int = 1_000_000_000, *, year: int = 2019) -> BudgetEnvelope:
    """A local-fund envelope of Bắc Giang for ``year``."""
    return BudgetEnvelope(Fund.LOCAL, PROVINCE, year, total, decision="QĐ 123/QĐ-UBND")


def commit_worker(  # noqa: PLR0917  (a multiprocessing target takes positional args)
    url: str, envelope_key: str, worker: int, amounts: list[int], start: Any, results: Any
) -> None:
    """Commit ``amounts`` one by one from a separate process; report to ``results``.

    Puts ``(worker, committed amounts, refusals as (amount, shortfall), errors)``.
    """
    committed: list[int] = []
    refused: list[tuple[int, int]] = []
    errors: list[str] = []
    store = open_store(url)
    try:
        start.wait(60)
        for i, amount in enumerate(amounts):
            try:
                store.budgets.commit(
                    envelope_key, f"P-{worker}-{i}", amount, actor=f"worker-{worker}"
                )
            except BudgetExceededError as exc:
                refused.append((amount, exc.shortfall))
            except Exception as exc:  # reported to the parent, which fails the test
                errors.append(repr(exc))
            else:
                committed.append(amount)
    finally:
        store.close()
    results.put((worker, committed, refused, errors))


class StoreConformance:
    """The conformance suite. Subclass it and override :meth:`make_store`."""

    cross_process: ClassVar[bool] = True
    """Whether ``open_store(store.url)`` opens the same data (in another thread or process)."""

    @pytest.fixture
    def make_store(self) -> Store:
        """A fresh, empty store; override in your subclass (yield it to clean up after)."""
        msg = "override the make_store fixture to give the store under test"
        raise NotImplementedError(msg)

    @pytest.fixture
    def store(self, make_store: Store) -> Store:
        """The store under test."""
        return make_store

    def another_handle(self, store: Store) -> Store:
        """A second handle on the same data, as another officer would open it."""
        return open_store(store.url) if self.cross_process else store

    @staticmethod
    def establish(store: Store, *numbers: int) -> None:
        """Store the sample establishments ``E-<n>`` that records and projects refer to."""
        store.establishments.add_many(sample_establishment(n) for n in numbers)

    # -- round trips ------------------------------------------------------------------------

    def test_establishment_round_trip(self, store: Store) -> None:
        """An establishment reads back with every field equal to what was stored."""
        for n, form in enumerate([LegalForm.COOPERATIVE, LegalForm.SME], start=1):
            e = sample_establishment(n, legal_form=form)
            store.establishments.add(e)
            assert store.establishments.get(e.id).same_state(e)

    def test_project_round_trip(self, store: Store) -> None:
        """A project, with its contents and its history of transitions, reads back equal."""
        self.establish(store, 1)
        p = sample_project().transition(ProjectStatus.SUBMITTED, on=dt.date(2019, 2, 1), actor="x")
        store.projects.add_historical(p, actor="x", reason="round trip")
        assert store.projects.get(p.id).same_state(p)
        assert store.projects.get_versioned(p.id).version == 1

    def test_record_round_trips(self, store: Store) -> None:
        """Support records, fair participations, award entries and OCOP ratings read back equal."""
        sr, fair = sample_support_record(), sample_fair()
        award, ocop = sample_award_entry(), sample_ocop_rating()
        self.establish(store, 1)
        store.support_records.add(sr)
        store.fair_participations.add(fair)
        store.award_entries.add(award)
        store.ocop_ratings.add(ocop)
        assert store.support_records.get(sr.id) == sr
        assert store.fair_participations.get(fair.id) == fair
        assert store.award_entries.get(award.id) == award
        assert store.ocop_ratings.get(ocop.id) == ocop
        no_location = sample_support_record(2, location=None)
        store.support_records.add(no_location)
        assert store.support_records.get(no_location.id) == no_location

    def test_budget_round_trips(self, store: Store) -> None:
        """Envelopes, commitments and disbursements read back equal, amounts exact."""
        env = sample_envelope(total=MAX_DONG - 7)  # odd, at the bound: whole đồng throughout
        store.budgets.add_envelope(env)
        assert store.budgets.get_envelope(env.key) == env
        c = store.budgets.commit(env.key, "P-1", MAX_DONG - 9, actor="kt")
        d = store.budgets.disburse(env.key, "P-1", 3, actor="kt")
        assert store.budgets.commitments(envelope_key=env.key) == [c]
        assert store.budgets.disbursements(project_id="P-1") == [d]
        assert store.budgets.available(env.key) == 2
        assert store.budgets.disbursed(env.key) == 3
        assert store.budgets.envelopes(fund=Fund.LOCAL, province=PROVINCE, year=2019) == [env]
        assert store.budgets.envelopes(year=2020) == []

    def test_sql_looking_strings_are_stored_verbatim(self, store: Store) -> None:
        """Text that looks like SQL is data: stored and read back unchanged, and does nothing."""
        for i, text in enumerate(SQL_LOOKING, start=1):
            store.establishments.add(sample_establishment(i, name=text))
            store.support_records.add(sample_support_record(i, note=text))
            store.audit.append("note", text, actor=text, details={"x": text})
        for i, text in enumerate(SQL_LOOKING, start=1):
            assert store.support_records.get(f"SR-{i:06d}").note == text
            assert store.establishments.get(f"E-{i}").name == text
        assert [e.subject for e in store.audit.entries(actor=SQL_LOOKING[0])] == [SQL_LOOKING[0]]
        assert store.support_records.count() == len(SQL_LOOKING)
        assert store.support_records.find(establishment_id="' OR '1'='1") == []
        assert len(store.audit) == len(SQL_LOOKING)

    def test_missing_ids(self, store: Store) -> None:
        """Reading or replacing an id that was never stored raises NotFoundError."""
        with pytest.raises(NotFoundError):
            store.support_records.get("SR-404")
        with pytest.raises(NotFoundError):
            store.support_records.replace(sample_support_record(404))
        with pytest.raises(NotFoundError):
            store.budgets.get_envelope("local/24/1999")
        assert "SR-404" not in store.support_records

    def test_replace(self, store: Store) -> None:
        """Replacing a stored record changes it, and its query columns follow."""
        self.establish(store, 1)
        store.support_records.add(sample_support_record(1))
        store.support_records.replace(sample_support_record(1, location=HANOI_COMMUNE))
        assert store.support_records.get("SR-000001").location == HANOI_COMMUNE
        assert store.support_records.count(unit=PROVINCE) == 0

    def test_wrong_type_is_refused(self, store: Store) -> None:
        """A repository refuses an object of another type, or a text where objects belong,
        with the library's ValidationError naming the class it holds (and where in a batch),
        storing nothing."""
        with pytest.raises(ValidationError) as caught:
            store.support_records.add(sample_fair())  # type: ignore[arg-type]
        assert caught.value.paths == ("$",)
        assert "SupportRecord" in caught.value.problems[0].message
        self.establish(store, 1)
        with pytest.raises(ValidationError) as caught:
            store.support_records.add_many([sample_support_record(1), "SR-2"])  # type: ignore[list-item]
        assert caught.value.paths == ("$[1]",)
        with pytest.raises(ValidationError):
            store.support_records.add_many("SR-2")  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            store.budgets.add_envelope("local/24/2019")  # type: ignore[arg-type]
        assert store.support_records.count() == 0

    # -- unique ids ---------------------------------------------------------------------------

    def test_duplicate_id_is_refused(self, store: Store) -> None:
        """Adding a record whose id is stored raises DuplicateIdError and keeps the original."""
        self.establish(store, 1)
        store.support_records.add(sample_support_record(1))
        with pytest.raises(DuplicateIdError) as info:
            store.support_records.add(sample_support_record(1, local_amount=1))
        assert info.value.key == "SR-000001"
        assert store.support_records.get("SR-000001").local_amount == 150_000_000

    def test_duplicate_in_batch_writes_nothing(self, store: Store) -> None:
        """A batch with a repeated or already stored id writes none of its records."""
        self.establish(store, 1)
        store.support_records.add(sample_support_record(5))
        with pytest.raises(DuplicateIdError) as info:
            store.support_records.add_many([sample_support_record(n) for n in (1, 2, 3, 2)])
        assert info.value.key == "SR-000002"
        with pytest.raises(DuplicateIdError) as info:
            store.support_records.add_many([sample_support_record(n) for n in range(1, 10)])
        assert info.value.key == "SR-000005"
        assert [r.id for r in store.support_records] == ["SR-000005"]

    def test_duplicate_envelope_is_refused(self, store: Store) -> None:
        """Two envelopes for the same fund, province and year are refused."""
        store.budgets.add_envelope(sample_envelope())
        with pytest.raises(DuplicateIdError):
            store.budgets.add_envelope(sample_envelope(total=5))
        assert store.budgets.get_envelope(sample_envelope().key).total == 1_000_000_000

    # -- queries -----------------------------------------------------------------------------

    def _records(self, store: Store) -> None:
        store.establishments.add_many(
            [
                sample_establishment(1, legal_form=LegalForm.COOPERATIVE),
                sample_establishment(2, legal_form=LegalForm.SME),
            ]
        )
        store.support_records.add_many(
            [
                sample_support_record(1, delivered_on=dt.date(2018, 12, 31)),
                sample_support_record(2, delivered_on=dt.date(2019, 1, 1), location=OTHER_COMMUNE),
                sample_support_record(
                    3,
                    delivered_on=dt.date(2019, 12, 31),
                    content=SupportContent.VOCATIONAL_TRAINING,
                    establishment_id="E-2",
                    national_amount=5,
                    local_amount=0,
                ),
                sample_support_record(4, delivered_on=dt.date(2020, 1, 1), location=HANOI_COMMUNE),
                sample_support_record(5, delivered_on=dt.date(2019, 6, 1), location=None),
            ]
        )

    def test_query_by_period(self, store: Store) -> None:
        """A period includes both its first and its last day, and nothing outside."""
        self._records(store)
        found = store.support_records.find(period=Period.year(2019))
        assert [r.id for r in found] == ["SR-000002", "SR-000003", "SR-000005"]
        assert store.support_records.count(period=Period.phase(2016, 2020)) == 5
        assert store.support_records.count(period=Period.quarter(2019, 2)) == 1

    def test_query_by_unit(self, store: Store) -> None:
        """A unit matches records in it or inside it: a province its districts and communes."""
        self._records(store)
        assert [r.id for r in store.support_records.find(unit=COMMUNE)] == [
            "SR-000001",
            "SR-000003",
        ]
        assert store.support_records.count(unit=DISTRICT) == 3
        assert store.support_records.count(unit=PROVINCE) == 3
        assert store.support_records.count(unit=UnitRef(MapId.MAP_2021, "01")) == 1
        assert store.support_records.count(unit=UnitRef(MapId.MAP_REFORM, "24")) == 0
        store.establishments.add(sample_establishment(3, location=HANOI_COMMUNE))
        assert [e.id for e in store.establishments.find(unit=PROVINCE)] == ["E-1", "E-2"]

    def test_query_by_content_fund_and_legal_form(self, store: Store) -> None:
        """Content, fund (money from it) and the establishment's legal form filter records."""
        self._records(store)
        training = store.support_records.find(content=SupportContent.VOCATIONAL_TRAINING)
        assert [r.id for r in training] == ["SR-000003"]
        assert [r.id for r in store.support_records.find(fund=Fund.NATIONAL)] == ["SR-000003"]
        assert store.support_records.count(fund=Fund.LOCAL) == 4
        sme = store.support_records.find(legal_form=LegalForm.SME)
        assert [r.id for r in sme] == ["SR-000003"]
        assert store.support_records.count(legal_form=LegalForm.COOPERATIVE) == 4
        assert store.support_records.count(legal_form=LegalForm.ARTISAN) == 0
        both = store.support_records.count(
            period=Period.year(2019), legal_form=LegalForm.COOPERATIVE
        )
        assert both == 2
        assert [e.id for e in store.establishments.find(legal_form=LegalForm.SME)] == ["E-2"]

    def test_query_other_records(self, store: Store) -> None:
        """Projects, fairs, awards and OCOP ratings answer their own filters."""
        self.establish(store, 1, 2)
        store.projects.add_many([sample_project(1), sample_project(2, plan_year=2021)])
        store.fair_participations.add_many(
            [sample_fair(1), sample_fair(2, start_on=dt.date(2021, 1, 1))]
        )
        store.award_entries.add_many(
            [sample_award_entry(1), sample_award_entry(2, round_year=2021)]
        )
        store.ocop_ratings.add(sample_ocop_rating())
        assert [p.id for p in store.projects.find(period=Period.year(2021))] == ["P-2"]
        assert store.projects.count(status=ProjectStatus.DRAFT, fund=Fund.LOCAL, unit=PROVINCE) == 2
        assert [f.id for f in store.fair_participations.find(period=Period.year(2019))] == ["F-1"]
        assert store.fair_participations.count(fund=Fund.NATIONAL) == 0
        assert [a.id for a in store.award_entries.find(period=Period.phase(2020, 2021))] == ["A-2"]
        assert store.ocop_ratings.count(period=Period.year(2020), unit=DISTRICT) == 1
        assert store.award_entries.count(establishment_id="E-1") == 2

    def test_unsupported_filter_is_refused(self, store: Store) -> None:
        """A filter that does not apply to a record type, an unknown filter or a value of the
        wrong type raises the library's ValidationError naming the filter."""
        with pytest.raises(ValidationError) as info:
            store.establishments.find(period=Period.year(2019))
        assert info.value.paths == ("$.period",)
        with pytest.raises(ValidationError) as info:
            store.support_records.find(unit="24")  # type: ignore[arg-type]
        assert info.value.paths == ("$.unit",)
        with pytest.raises(ValidationError) as info:
            store.support_records.count(colour="red")  # type: ignore[call-arg]
        assert info.value.paths == ("$.colour",)

    def test_a_query_object_gives_the_same_answer_as_keywords(self, store: Store) -> None:
        """A RecordQuery holds the filters once; find and count take it or the keywords."""
        self._records(store)
        query = RecordQuery(period=Period.year(2019), legal_form=LegalForm.COOPERATIVE)
        assert store.support_records.find(query) == store.support_records.find(
            period=Period.year(2019), legal_form=LegalForm.COOPERATIVE
        )
        assert store.support_records.count(query) == 2

    # -- units of work ----------------------------------------------------------------------

    def test_unit_of_work_commits_together(self, store: Store) -> None:
        """Changes inside a unit of work are all there after it ends."""
        env = sample_envelope()
        with store.unit_of_work() as uow:
            uow.establishments.add(sample_establishment())
            uow.projects.add(sample_project())
            uow.budgets.add_envelope(env)
            uow.budgets.commit(env.key, "P-1", 10, actor="kt")
            assert uow.support_records.add_many([sample_support_record(n) for n in range(3)]) == 3
        assert store.support_records.count() == 3
        assert store.budgets.committed(env.key) == 10
        assert "E-1" in store.establishments

    def test_unit_of_work_rolls_back_on_error(self, store: Store) -> None:
        """An error inside a unit of work leaves no trace: records, budgets, audit all unchanged."""
        env = sample_envelope()
        store.budgets.add_envelope(env)
        self.establish(store, 1)
        store.support_records.add(sample_support_record(1))
        before = len(store.audit)

        def change_then_fail() -> None:
            with store.unit_of_work() as uow:
                uow.support_records.add_many([sample_support_record(n) for n in range(2, 50)])
                uow.support_records.replace(sample_support_record(1, local_amount=1))
                uow.budgets.commit(env.key, "P-1", 500, actor="kt")
                uow.audit.append("note", "x", actor="kt")
                raise _BoomError

        with pytest.raises(_BoomError):
            change_then_fail()
        assert store.support_records.count() == 1
        assert store.support_records.get("SR-000001").local_amount == 150_000_000
        assert store.budgets.committed(env.key) == 0
        assert store.budgets.commitments() == []
        assert len(store.audit) == before
        assert store.check_integrity() == []

    def test_failed_call_inside_unit_of_work_changes_nothing(self, store: Store) -> None:
        """A refused call inside a unit of work is undone alone; the rest of the unit commits."""
        env = sample_envelope(total=100)
        store.budgets.add_envelope(env)
        self.establish(store, 1)
        store.support_records.add(sample_support_record(3))
        with store.unit_of_work() as uow:
            uow.support_records.add(sample_support_record(1))
            with pytest.raises(DuplicateIdError):
                uow.support_records.add_many([sample_support_record(2), sample_support_record(3)])
            with pytest.raises(BudgetExceededError):
                uow.budgets.commit(env.key, "P-1", 101, actor="kt")
            uow.budgets.commit(env.key, "P-1", 100, actor="kt")
        assert [r.id for r in store.support_records] == ["SR-000001", "SR-000003"]
        assert store.budgets.available(env.key) == 0

    def test_units_of_work_do_not_nest(self, store: Store) -> None:
        """Opening a unit of work inside another raises StoreError; the outer one rolls back."""
        self.establish(store, 1)

        def nest() -> None:
            with store.unit_of_work() as uow:
                uow.support_records.add(sample_support_record(1))
                with store.unit_of_work():
                    pass  # pragma: no cover

        with pytest.raises(StoreError):
            nest()
        assert store.support_records.count() == 0

    # -- projects ----------------------------------------------------------------------------

    def test_project_save_and_stale_save(self, store: Store) -> None:
        """A save from a stale read raises ConcurrencyError and changes nothing."""
        self.establish(store, 1)
        store.projects.add(sample_project())
        read = store.projects.get_versioned("P-1")
        submitted = read.value.transition(ProjectStatus.SUBMITTED, on=dt.date(2019, 2, 1))
        assert store.projects.save(submitted, expected_version=read.version, actor="a") == 2
        cancelled = read.value.transition(ProjectStatus.CANCELLED, on=dt.date(2019, 2, 2))
        with pytest.raises(ConcurrencyError):
            store.projects.save(cancelled, expected_version=read.version, actor="b")
        assert store.projects.get("P-1").status is ProjectStatus.SUBMITTED
        assert store.projects.count(status=ProjectStatus.SUBMITTED) == 1
        with pytest.raises(NotFoundError):
            store.projects.save(sample_project(9), expected_version=1, actor="a")

    def test_two_officers_save_the_same_project(self, store: Store) -> None:
        """Of two officers who read the same version, the second to save is refused."""
        self.establish(store, 1)
        store.projects.add(sample_project())
        other = self.another_handle(store)
        try:
            mine = store.projects.get_versioned("P-1")
            theirs = other.projects.get_versioned("P-1")
            approved = theirs.value.transition(
                ProjectStatus.SUBMITTED, on=dt.date(2019, 2, 1)
            ).transition(ProjectStatus.APPROVED, on=dt.date(2019, 3, 1), approved_amount=10)
            other.projects.save(approved, expected_version=theirs.version, actor="b")
            with pytest.raises(ConcurrencyError):
                store.projects.save(
                    mine.value.transition(ProjectStatus.CANCELLED, on=dt.date(2019, 3, 2)),
                    expected_version=mine.version,
                    actor="a",
                )
            assert store.projects.get("P-1").status is ProjectStatus.APPROVED
        finally:
            if other is not store:
                other.close()

    # -- budgets -----------------------------------------------------------------------------

    def test_commitment_beyond_envelope_is_refused(self, store: Store) -> None:
        """A commitment above what is left raises BudgetExceededError with the shortfall."""
        env = sample_envelope(total=1_000)
        store.budgets.add_envelope(env)
        store.budgets.commit(env.key, "P-1", 700, actor="kt")
        with pytest.raises(BudgetExceededError) as info:
            store.budgets.commit(env.key, "P-2", 301, actor="kt")
        assert (info.value.envelope, info.value.shortfall) == (env.key, 1)
        assert env.key in str(info.value)
        assert store.budgets.committed(env.key) == 700
        store.budgets.commit(env.key, "P-2", 300, actor="kt")
        assert store.budgets.available(env.key) == 0

    def test_disbursement_beyond_commitment_is_refused(self, store: Store) -> None:
        """A project is paid at most what is committed to it and not yet paid."""
        env = sample_envelope(total=1_000)
        store.budgets.add_envelope(env)
        store.budgets.commit(env.key, "P-1", 400, actor="kt")
        store.budgets.disburse(env.key, "P-1", 250, actor="kt")
        with pytest.raises(BudgetExceededError) as info:
            store.budgets.disburse(env.key, "P-1", 151, actor="kt")
        assert (info.value.envelope, info.value.project_id, info.value.shortfall) == (
            env.key,
            "P-1",
            1,
        )
        with pytest.raises(BudgetExceededError):
            store.budgets.disburse(env.key, "P-2", 1, actor="kt")
        assert store.budgets.disbursed(env.key) == 250

    def test_bad_amounts_and_unknown_envelopes(self, store: Store) -> None:
        """Amounts are positive whole đồng; an unknown envelope is NotFoundError."""
        env = sample_envelope()
        store.budgets.add_envelope(env)
        for bad in (0, -5, 1.5, True, "10", MAX_DONG + 1):
            with pytest.raises(ValidationError):
                store.budgets.commit(env.key, "P-1", bad, actor="kt")  # type: ignore[arg-type]
        with pytest.raises(NotFoundError):
            store.budgets.commit("local/24/1999", "P-1", 1, actor="kt")
        assert store.budgets.commitments() == []

    def test_threads_never_overspend(self, store: Store) -> None:
        """Officers committing at once (``THREADS`` of them) never take an envelope over its
        total."""
        env = sample_envelope(total=1_000)
        store.budgets.add_envelope(env)
        done: list[int] = []
        refused: list[int] = []
        failures: list[BaseException] = []
        lock = threading.Lock()

        def officer(n: int) -> None:
            handle = self.another_handle(store)
            try:
                for i in range(THREAD_COMMITS):
                    try:
                        handle.budgets.commit(env.key, f"P-{n}-{i}", 17, actor=f"o{n}")
                    except BudgetExceededError:
                        with lock:
                            refused.append(17)
                    else:
                        with lock:
                            done.append(17)
            except BaseException as exc:  # reported below
                failures.append(exc)
            finally:
                if handle is not store:
                    handle.close()

        threads = [threading.Thread(target=officer, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failures == []
        assert sum(done) == store.budgets.committed(env.key) <= 1_000
        assert len(done) == 1_000 // 17
        assert len(done) + len(refused) == THREADS * THREAD_COMMITS
        assert len(store.budgets.commitments(envelope_key=env.key)) == len(done)

    @pytest.mark.slow
    def test_processes_never_overspend(self, store: Store) -> None:
        """Real processes committing at once (``PROCESSES`` of them) never overspend, lose or
        invent money."""
        if not self.cross_process:
            pytest.skip("this store cannot be opened from another process")
        env = sample_envelope(total=1_000_000)
        store.budgets.add_envelope(env)
        ctx = multiprocessing.get_context("spawn")
        start = ctx.Event()
        results = ctx.Queue()
        plans = [
            [5_000 + 1_000 * ((w * 7 + i) % 11) for i in range(PROCESS_COMMITS)]
            for w in range(PROCESSES)
        ]
        procs = [
            ctx.Process(
                target=commit_worker, args=(store.url, env.key, w, plans[w], start, results)
            )
            for w in range(PROCESSES)
        ]
        for p in procs:
            p.start()
        start.set()
        reports = [results.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(30)
        assert [p.exitcode for p in procs] == [0] * PROCESSES
        assert [r[3] for r in reports] == [[]] * PROCESSES
        committed = [a for r in reports for a in r[1]]
        refused = [x for r in reports for x in r[2]]
        assert len(committed) + len(refused) == PROCESSES * PROCESS_COMMITS
        assert sum(committed) == store.budgets.committed(env.key) <= env.total
        stored = sorted(c.amount for c in store.budgets.commitments(envelope_key=env.key))
        assert stored == sorted(committed)
        assert all(shortfall > 0 for _, shortfall in refused)
        assert refused  # demand (≈ 1.6 million) exceeded the envelope
        assert store.budgets.available(env.key) < max(a for a, _ in refused)
        assert store.check_integrity() == []

    # -- audit -------------------------------------------------------------------------------

    def test_state_changes_are_audited(self, store: Store) -> None:
        """Transitions, commitments, disbursements and award results each append an entry."""
        env = sample_envelope()
        store.budgets.add_envelope(env)
        self.establish(store, 1)
        store.projects.add(sample_project())
        read = store.projects.get_versioned("P-1")
        moved = read.value.transition(ProjectStatus.SUBMITTED, on=dt.date(2019, 2, 1))
        store.projects.save(moved, expected_version=1, actor="chuyên viên A", rule_set_version="r1")
        store.budgets.commit(env.key, "P-1", 100, actor="kế toán B", rule_set_version="r1")
        store.budgets.disburse(env.key, "P-1", 40, actor="kế toán B")
        store.award_entries.add(sample_award_entry())
        result = AwardEntry(
            **{**_fields(sample_award_entry()), "score": Decimal("81.5"), "passed": True}
        )
        store.award_entries.record_result(result, actor="hội đồng", rule_set_version="r2")
        entries = store.audit.entries()
        assert [e.action for e in entries] == [
            "project.transition",
            "budget.commit",
            "budget.disburse",
            "award.result",
        ]
        assert [e.actor for e in entries] == ["chuyên viên A", "kế toán B", "kế toán B", "hội đồng"]
        assert [e.rule_set_version for e in entries] == ["r1", "r1", "", "r2"]
        assert entries[0].details["from"] == "draft"
        assert entries[0].details["to"] == "submitted"
        assert entries[0].subject == "project:P-1"
        assert entries[1].details["amount"] == "100"
        assert entries[3].details["score"] == "81.5"
        assert store.award_entries.get("A-1").score == Decimal("81.5")
        seqs = [e.seq for e in entries]
        assert seqs == sorted(seqs)
        assert len(set(seqs)) == 4
        now = dt.datetime.now(dt.UTC)
        for e in entries:
            assert e.at.utcoffset() == dt.timedelta(0)
            assert now - dt.timedelta(minutes=5) < e.at <= now
        assert store.audit.entries(action="budget.commit", actor="kế toán B") == [entries[1]]
        assert store.audit.entries(since=entries[2].at)[0].at >= entries[2].at

    def test_save_without_status_change_is_not_a_transition(self, store: Store) -> None:
        """Saving a project whose status did not change appends no transition entry."""
        self.establish(store, 1)
        store.projects.add(sample_project())
        renamed = attrs.evolve(store.projects.get("P-1"), title="Tên mới")
        store.projects.save(renamed, expected_version=1, actor="a")
        assert store.audit.entries(action="project.transition") == []
        assert store.projects.get("P-1").title == "Tên mới"

    def test_audit_log_is_append_only(self, store: Store) -> None:
        """The audit log offers no way to change or remove an entry."""
        store.audit.append("note", "x", actor="a")
        for name in ("delete", "remove", "update", "clear", "replace", "__delitem__", "pop"):
            assert not hasattr(store.audit, name)
        assert len(store.audit) == 1

    # -- what every store holds ----------------------------------------------------------------

    def test_money_at_the_bound_round_trips(self, store: Store) -> None:
        """Every store holds every valid amount: 10^15 đồng in each money field, and an envelope
        of 10^15 đồng committed and paid in full."""
        self.establish(store, 1)
        top = sample_support_record(1, national_amount=MAX_DONG, local_amount=MAX_DONG)
        top = attrs.evolve(top, co_funding=MAX_DONG, income_change=-MAX_DONG)
        store.support_records.add(top)
        assert store.support_records.get(top.id) == top
        assert store.support_records.count(fund=Fund.NATIONAL) == 1
        env = sample_envelope(total=MAX_DONG)
        store.budgets.add_envelope(env)
        store.budgets.commit(env.key, "P-1", MAX_DONG, actor="kt")
        store.budgets.disburse(env.key, "P-1", MAX_DONG, actor="kt")
        assert (store.budgets.committed(env.key), store.budgets.disbursed(env.key)) == (
            MAX_DONG,
            MAX_DONG,
        )
        assert store.check_integrity() == []

    def test_ids_are_one_whatever_their_unicode_form(self, store: Store) -> None:
        """An id typed in NFD names the establishment stored in NFC; it cannot be stored
        twice under two forms; a record can refer to it either way."""
        nfc = "HTX-MỲ-CHŨ"
        nfd = unicodedata.normalize("NFD", nfc)
        store.establishments.add(attrs.evolve(sample_establishment(1), id=nfd))
        assert store.establishments.get(nfc).id == nfc
        assert store.establishments.get(nfd).id == nfc
        assert nfd in store.establishments
        with pytest.raises(DuplicateIdError):
            store.establishments.add(attrs.evolve(sample_establishment(1), id=nfc))
        store.support_records.add(sample_support_record(1, establishment_id=nfd))
        assert store.support_records.count(establishment_id=nfd) == 1
        assert store.support_records.count(establishment_id=nfc) == 1

    # -- references --------------------------------------------------------------------------

    def test_records_naming_a_missing_establishment_are_refused(self, store: Store) -> None:
        """A support record, fair participation, award entry, OCOP rating or project naming an
        establishment the store does not hold is refused, naming the object, the field and the
        missing id; nothing of the batch is written."""
        self.establish(store, 1)
        orphans: list[tuple[Any, Any, str]] = [
            (
                store.support_records,
                sample_support_record(2, establishment_id="E-9"),
                "establishment_id",
            ),
            (
                store.fair_participations,
                attrs.evolve(sample_fair(), establishment_id="E-9"),
                "establishment_id",
            ),
            (
                store.award_entries,
                attrs.evolve(sample_award_entry(), establishment_id="E-9"),
                "establishment_id",
            ),
            (
                store.ocop_ratings,
                attrs.evolve(sample_ocop_rating(), establishment_id="E-9"),
                "establishment_id",
            ),
            (
                store.projects,
                attrs.evolve(sample_project(), beneficiary_ids=("E-1", "E-9")),
                "beneficiary_ids[1]",
            ),
        ]
        for repo, orphan, field in orphans:
            with pytest.raises(DanglingReferenceError) as info:
                repo.add(orphan)
            assert (info.value.key, info.value.field, info.value.value) == (
                orphan.id,
                field,
                "E-9",
            )
            assert info.value.paths == (f"$.{field}",)
            assert repo.count() == 0
        batch = [sample_support_record(n, establishment_id=f"E-{n % 3}") for n in range(1, 7)]
        with pytest.raises(DanglingReferenceError) as info:
            store.support_records.add_many(batch)
        assert info.value.paths == (
            "$[1].establishment_id",
            "$[2].establishment_id",
            "$[4].establishment_id",
            "$[5].establishment_id",
        )
        assert store.support_records.count() == 0

    def test_records_naming_a_missing_project_are_refused(self, store: Store) -> None:
        """A support record or fair participation naming a project the store does not hold is
        refused like one naming a missing establishment (the object, the field, the missing
        id); once the project is stored, the record is accepted."""
        self.establish(store, 1)
        orphans: list[tuple[Any, Any]] = [
            (store.support_records, sample_support_record(1, project_id="P-9")),
            (store.fair_participations, attrs.evolve(sample_fair(), project_id="P-9")),
        ]
        for repo, orphan in orphans:
            with pytest.raises(DanglingReferenceError) as info:
                repo.add(orphan)
            assert (info.value.key, info.value.field, info.value.value, info.value.target) == (
                orphan.id,
                "project_id",
                "P-9",
                "project",
            )
            assert info.value.paths == ("$.project_id",)
            assert repo.count() == 0
        store.projects.add(attrs.evolve(sample_project(), id="P-9"))
        for repo, orphan in orphans:
            repo.add(orphan)
            assert repo.get(orphan.id).project_id == "P-9"
        with pytest.raises(DanglingReferenceError) as info:
            store.support_records.replace(sample_support_record(1, project_id="P-8"))
        assert info.value.paths == ("$.project_id",)

    def test_an_award_entry_naming_a_missing_prior_entry_is_refused(self, store: Store) -> None:
        """An award entry qualified by a lower-level entry names one the store holds, or one
        given before it in the same batch."""
        self.establish(store, 1)
        lower = sample_award_entry(1)
        upper = attrs.evolve(sample_award_entry(2), prior_entry_id="A-1")
        with pytest.raises(DanglingReferenceError) as info:
            store.award_entries.add(upper)
        assert (info.value.field, info.value.value, info.value.target) == (
            "prior_entry_id",
            "A-1",
            "award entry",
        )
        assert store.award_entries.add_many([lower, upper]) == 2

    def test_changes_cannot_create_an_orphan(self, store: Store) -> None:
        """Replacing a record, or saving a project, so that it names a missing establishment is
        refused, and the stored object is unchanged."""
        self.establish(store, 1)
        store.support_records.add(sample_support_record(1))
        with pytest.raises(DanglingReferenceError):
            store.support_records.replace(sample_support_record(1, establishment_id="E-9"))
        assert store.support_records.get("SR-000001").establishment_id == "E-1"
        store.projects.add(sample_project())
        moved = attrs.evolve(store.projects.get("P-1"), beneficiary_ids=("E-9",))
        with pytest.raises(DanglingReferenceError):
            store.projects.save(moved, expected_version=1, actor="a")
        assert store.projects.get_versioned("P-1").version == 1

    def test_a_record_may_name_an_establishment_added_in_the_same_unit(self, store: Store) -> None:
        """Inside a unit of work an establishment added first can be referred to at once."""
        with store.unit_of_work() as uow:
            uow.establishments.add(sample_establishment(1))
            uow.support_records.add(sample_support_record(1))
            uow.projects.add(sample_project())
        assert store.support_records.count(establishment_id="E-1") == 1

    # -- project lifecycles ------------------------------------------------------------------

    def test_save_refuses_a_status_set_without_its_rule(self, store: Store) -> None:
        """Saving a draft as settled (the status field set directly) is refused; the stored
        project, its version and the audit log are unchanged."""
        self.establish(store, 1)
        store.projects.add(sample_project())
        forged = attrs.evolve(
            store.projects.get("P-1"), status=ProjectStatus.SETTLED, approved_amount=1
        )
        with pytest.raises(LifecycleError) as info:
            store.projects.save(forged, expected_version=1, actor="a")
        assert (info.value.source, info.value.target) == ("draft", "settled")
        assert store.projects.get_versioned("P-1").version == 1
        assert store.projects.get("P-1").status is ProjectStatus.DRAFT
        assert store.audit.entries() == []

    def test_save_refuses_to_bring_a_settled_project_back(self, store: Store) -> None:
        """A settled project is final: saving it as a draft again is refused."""
        self.establish(store, 1)
        settled = _walk(sample_project(), ProjectStatus.SETTLED)
        store.projects.add_historical(settled, actor="lưu trữ", reason="sổ đề án 2019")
        back = attrs.evolve(settled, status=ProjectStatus.DRAFT, history=())
        with pytest.raises(LifecycleError):
            store.projects.save(back, expected_version=1, actor="a")
        again = attrs.evolve(settled, status=ProjectStatus.DRAFT)
        with pytest.raises(LifecycleError) as info:
            store.projects.save(again, expected_version=1, actor="a")
        assert (info.value.source, info.value.target) == ("settled", "draft")
        assert store.projects.get("P-1").status is ProjectStatus.SETTLED

    def test_save_audits_each_step(self, store: Store) -> None:
        """A save carrying two lawful steps appends one transition entry per step."""
        self.establish(store, 1)
        store.projects.add(sample_project())
        moved = (
            store.projects.get("P-1")
            .transition(ProjectStatus.SUBMITTED, on=dt.date(2019, 2, 1))
            .transition(ProjectStatus.APPROVED, on=dt.date(2019, 3, 1), approved_amount=10)
        )
        assert store.projects.save(moved, expected_version=1, actor="a") == 2
        found = [(e.details["from"], e.details["to"]) for e in store.audit.entries()]
        assert found == [("draft", "submitted"), ("submitted", "approved")]

    def test_add_refuses_a_project_past_its_draft(self, store: Store) -> None:
        """A project created submitted or settled is not new: add and add_many refuse it and
        write nothing of the batch."""
        self.establish(store, 1, 2)
        settled = _walk(sample_project(), ProjectStatus.SETTLED)
        with pytest.raises(LifecycleError):
            store.projects.add(settled)
        with pytest.raises(LifecycleError):
            store.projects.add_many([sample_project(2), settled])
        invented = attrs.evolve(sample_project(), status=ProjectStatus.SETTLED, approved_amount=1)
        with pytest.raises(LifecycleError):
            store.projects.add(invented)
        assert store.projects.count() == 0
        assert store.audit.entries() == []

    def test_add_historical_is_explicit_and_audited(self, store: Store) -> None:
        """A project with a past comes in through add_historical, with an actor and a reason;
        an audit entry records it; its history, if given, must be a lawful path."""
        self.establish(store, 1, 2)
        settled = _walk(sample_project(), ProjectStatus.SETTLED)
        store.projects.add_historical(settled, actor="lưu trữ", reason="sổ đề án 2019")
        assert store.projects.get("P-1").same_state(settled)
        assert store.projects.get_versioned("P-1").version == 1
        (entry,) = store.audit.entries()
        assert (entry.action, entry.subject, entry.actor) == (
            "project.import",
            "project:P-1",
            "lưu trữ",
        )
        assert entry.details["status"] == "settled"
        assert entry.details["reason"] == "sổ đề án 2019"
        register = attrs.evolve(sample_project(2), status=ProjectStatus.ACCEPTED, approved_amount=5)
        store.projects.add_historical(register, actor="lưu trữ", reason="sổ cũ không có lịch sử")
        forged = attrs.evolve(
            sample_project(3),
            status=ProjectStatus.SETTLED,
            approved_amount=1,
            history=(
                StatusChange(ProjectStatus.DRAFT, ProjectStatus.SETTLED, dt.date(2019, 1, 1)),
            ),
        )
        self.establish(store, 3)
        with pytest.raises(LifecycleError):
            store.projects.add_historical(forged, actor="x", reason="y")
        for actor, reason in (("", "y"), ("x", ""), ("  ", "y")):
            with pytest.raises(ValidationError):
                store.projects.add_historical(
                    _walk(sample_project(3), ProjectStatus.SUBMITTED), actor=actor, reason=reason
                )
        assert store.projects.count() == 2
        with pytest.raises(DuplicateIdError):
            store.projects.add_historical(settled, actor="x", reason="y")

    def test_replace_cannot_undo_another_officers_save(self, store: Store) -> None:
        """Projects change only through save: replace is refused, so a save from an old read
        still fails with ConcurrencyError instead of silently undoing a newer save."""
        self.establish(store, 1)
        store.projects.add(sample_project())
        old = store.projects.get_versioned("P-1")
        submitted = old.value.transition(ProjectStatus.SUBMITTED, on=dt.date(2019, 2, 1))
        store.projects.save(submitted, expected_version=1, actor="a")
        with pytest.raises(StoreError, match="save"):
            store.projects.replace(old.value)
        assert store.projects.get_versioned("P-1").version == 2
        renamed = attrs.evolve(old.value, title="Tên mới")
        with pytest.raises(ConcurrencyError):
            store.projects.save(renamed, expected_version=old.version, actor="b")
        assert store.projects.get("P-1").status is ProjectStatus.SUBMITTED

    def test_an_award_result_changes_only_through_record_result(self, store: Store) -> None:
        """An award entry is not replaced: its result is the council's decision, recorded with
        ``record_result`` and audited (``award.result``), so replace is refused and changes
        nothing, inside a unit of work too."""
        self.establish(store, 1)
        store.award_entries.add(sample_award_entry())
        passed = attrs.evolve(
            sample_award_entry(), score=Decimal("90"), passed=True, recognised=True
        )
        with pytest.raises(StoreError, match="record_result"):
            store.award_entries.replace(passed)
        with store.unit_of_work() as uow, pytest.raises(StoreError, match="record_result"):
            uow.award_entries.replace(passed)
        assert store.award_entries.get("A-1") == sample_award_entry()
        assert store.audit.entries(action="award.result") == []
        store.award_entries.record_result(passed, actor="hội đồng")
        assert store.award_entries.get("A-1").recognised is True
        assert [e.subject for e in store.audit.entries(action="award.result")] == [
            "award_entry:A-1"
        ]

    # -- the audit log -----------------------------------------------------------------------

    @pytest.mark.parametrize(
        "action",
        [
            "budget.commit",
            "budget.disburse",
            "project.transition",
            "project.import",
            "award.result",
            "project.anything",
            "budget.note",
        ],
    )
    def test_the_librarys_actions_are_reserved(self, store: Store, action: str) -> None:
        """An application cannot append an entry that looks like the library's own: the
        ``project.``, ``budget.`` and ``award.`` actions are the library's."""
        with pytest.raises(ValidationError) as info:
            store.audit.append(action, "project:P-1", actor="a")
        assert info.value.paths == ("$.action",)
        assert len(store.audit) == 0

    def test_audit_entries_need_an_actor_an_action_and_a_subject(self, store: Store) -> None:
        """An empty (or blank) actor, action or subject is refused, for an application's entry
        and for the library's own changes."""
        for action, subject, actor, path in [
            ("note", "x", "", "$.actor"),
            ("note", "x", "   ", "$.actor"),
            ("", "x", "a", "$.action"),
            ("note", "", "a", "$.subject"),
            ("note", "x", "a\x00", "$.actor"),
        ]:
            with pytest.raises(ValidationError) as info:
                store.audit.append(action, subject, actor=actor)
            assert info.value.paths == (path,)
        env = sample_envelope()
        store.budgets.add_envelope(env)
        with pytest.raises(ValidationError):
            store.budgets.commit(env.key, "P-1", 10, actor="")
        self.establish(store, 1)
        store.projects.add(sample_project())
        moved = store.projects.get("P-1").transition(
            ProjectStatus.SUBMITTED, on=dt.date(2019, 2, 1)
        )
        with pytest.raises(ValidationError):
            store.projects.save(moved, expected_version=1, actor=" ")
        assert len(store.audit) == 0
        assert store.budgets.committed(env.key) == 0
        assert store.projects.get_versioned("P-1").version == 1

    # -- integrity ---------------------------------------------------------------------------

    def test_integrity_check_passes_on_sound_data(self, store: Store) -> None:
        """A store filled through the API passes its own integrity check."""
        self._records(store)
        env = sample_envelope()
        store.budgets.add_envelope(env)
        store.budgets.commit(env.key, "P-1", 10, actor="a")
        assert store.check_integrity() == []
        assert store.schema_version >= 1


def _walk(project: Project, last: ProjectStatus) -> Project:
    """``project`` moved along the happy path up to ``last``, a day per step."""
    path = [
        ProjectStatus.SUBMITTED,
        ProjectStatus.APPROVED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ACCEPTED,
        ProjectStatus.SETTLED,
    ]
    for day, target in enumerate(path[: path.index(last) + 1], start=1):
        amount = project.total_requested if target is ProjectStatus.APPROVED else None
        project = project.transition(
            target, on=dt.date(project.plan_year, 1, day), approved_amount=amount, actor="x"
        )
    return project


class _BoomError(Exception):
    """An application error raised inside a unit of work."""


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in attrs.fields(type(obj))}
