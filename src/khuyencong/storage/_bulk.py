"""Moving whole datasets in and out of a store, in one unit of work.

>>> from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
>>> from khuyencong.storage import open_store
>>> with open_store("memory://") as store:
...     counts = store_dataset(store, load_dataset(SAMPLE_DATASET))
...     counts["support_records"], dataset_from_store(store).summary()["establishments"]
(4, 4)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from khuyencong._arguments import Arguments, expect
from khuyencong.domain import Dataset, ProjectStatus, SupportRecord, support_record_columns
from khuyencong.exceptions import Problem
from khuyencong.messages import text
from khuyencong.storage._port import Store

__all__ = ["dataset_from_store", "store_columns", "store_dataset"]


def store_dataset(
    store: Store,
    dataset: Dataset,
    *,
    actor: str = "store_dataset",
    reason: str = "a dataset loaded with store_dataset",
) -> dict[str, int]:
    """Add every object of ``dataset`` to ``store``, all or nothing.

    Establishments go first, so that records can refer to them. Draft projects are added as
    new; a project with a past (submitted, approved, settled …) comes in through
    :meth:`~khuyencong.storage.ProjectRepository.add_historical`, which audits it with
    ``actor`` and ``reason``. Budget envelopes are added with
    :meth:`~khuyencong.storage.BudgetRepository.add_envelope`.

    Args:
        store: The store.
        dataset: What to add.
        actor: Who loads the dataset, for the audit entries of historical projects.
        reason: Why, for the same entries (the source register, the migration).

    Returns:
        How many objects of each kind were added.

    Raises:
        DuplicateIdError: If an id is already stored (nothing of the dataset is written).
        DanglingReferenceError: If a record or project names an establishment, a record a
            project, or an award entry a prior entry that neither the dataset nor the store
            holds (nothing is written).
        LifecycleError: If a project's history is not a lawful path to its status.
        ValidationError: If ``store`` is not a store or ``dataset`` not a dataset.
    """
    args = Arguments()
    args.instance(store, "store", Store)
    args.instance(dataset, "dataset", Dataset)
    args.check()
    new = [p for p in dataset.projects if p.status is ProjectStatus.DRAFT and not p.history]
    past = [p for p in dataset.projects if not (p.status is ProjectStatus.DRAFT and not p.history)]
    with store.unit_of_work() as uow:
        establishments = uow.establishments.add_many(dataset.establishments)
        projects = uow.projects.add_many(new)
        for project in past:
            uow.projects.add_historical(project, actor=actor, reason=reason)
        counts = {
            "establishments": establishments,
            "projects": projects + len(past),
            "support_records": uow.support_records.add_many(dataset.support_records),
            "fair_participations": uow.fair_participations.add_many(dataset.fair_participations),
            "award_entries": uow.award_entries.add_many(dataset.award_entries),
            "ocop_ratings": uow.ocop_ratings.add_many(dataset.ocop_ratings),
        }
        for envelope in dataset.budgets:
            uow.budgets.add_envelope(envelope)
        counts["budgets"] = len(dataset.budgets)
    return counts


def dataset_from_store(store: Store) -> Dataset:
    """Everything a store holds, as a :class:`~khuyencong.domain.Dataset`.

    Raises:
        ValidationError: If ``store`` is not a store.
    """
    expect(store, "store", Store)
    return Dataset(
        establishments=tuple(store.establishments),
        projects=tuple(store.projects),
        support_records=tuple(store.support_records),
        fair_participations=tuple(store.fair_participations),
        award_entries=tuple(store.award_entries),
        ocop_ratings=tuple(store.ocop_ratings),
        budgets=tuple(store.budgets.envelopes()),
    )


_COLUMN_KINDS = ("support_records",)


def store_columns(store: Store, kind: str, columns: Mapping[str, Sequence[Any]]) -> int:
    """Add records given as columns (one sequence per field) to ``store``, all or nothing.

    The rows are checked as their constructor checks them
    (:func:`~khuyencong.domain.support_record_columns`), then an SQL store writes them
    without building an object per row (the same stored rows and JSON as
    :func:`store_dataset` of the same records); another store is given the objects.

    Args:
        store: The store.
        kind: What the columns hold: ``"support_records"``.
        columns: The values the constructor takes, one sequence per field given.

    Returns:
        How many records were added.

    Raises:
        ValidationError: If a row is invalid (every problem at ``$[row].field``), or the
            arguments are not what they say.
        DuplicateIdError: If an id is already stored or given twice (nothing is written).
        DanglingReferenceError: If a record names an establishment or a project the store
            does not hold (nothing is written).

    >>> import datetime as dt
    >>> from khuyencong.domain import Establishment, LegalForm, Sector, SupportContent
    >>> from khuyencong.storage import open_store
    >>> from khuyencong.units import MapId, UnitRef
    >>> with open_store("sqlite:///:memory:") as store:
    ...     store.establishments.add(Establishment(
    ...         id="E-1", name="HTX Mỳ Chũ", legal_form=LegalForm.COOPERATIVE,
    ...         location=UnitRef(MapId.MAP_2021, "07525"),
    ...         sectors=(Sector.AGRO_FOOD_PROCESSING,)))
    ...     store_columns(store, "support_records", {
    ...         "id": ["SR-1", "SR-2"], "establishment_id": ["E-1", "E-1"],
    ...         "content": [SupportContent.BRAND] * 2,
    ...         "delivered_on": [dt.date(2018, 6, 1), dt.date(2019, 6, 1)],
    ...         "local_amount": [20_000_000, 15_000_000]})
    ...     store.support_records.get("SR-2").local_amount
    2
    15000000
    """
    args = Arguments()
    args.instance(store, "store", Store)
    args.instance(columns, "columns", Mapping)
    if kind not in _COLUMN_KINDS:
        allowed = ", ".join(_COLUMN_KINDS)
        args.problems.append(Problem("$.kind", text("storage.column_kind", allowed=allowed), kind))
    args.check()
    checked = support_record_columns(columns)
    with store.unit_of_work() as uow:
        repository = uow.support_records
        add = getattr(repository, "_add_columns", None)  # the library's own stores
        if add is not None:
            return int(add(checked))
        names = list(checked)
        rows = zip(*checked.values(), strict=True)
        return repository.add_many(
            [SupportRecord(**dict(zip(names, row, strict=True))) for row in rows]
        )
