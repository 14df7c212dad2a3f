"""Moving whole datasets in and out of a store, in one unit of work.

>>> from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
>>> from khuyencong.storage import open_store
>>> with open_store("memory://") as store:
...     counts = store_dataset(store, load_dataset(SAMPLE_DATASET))
...     counts["support_records"], dataset_from_store(store).summary()["establishments"]
(4, 4)
"""

from __future__ import annotations

from khuyencong._arguments import Arguments, expect
from khuyencong.domain import Dataset, ProjectStatus
from khuyencong.storage._port import Store

__all__ = ["dataset_from_store", "store_dataset"]


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
