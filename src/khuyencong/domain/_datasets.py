"""A dataset: every kind of record in one document, as files and imports exchange them.

A :class:`Dataset` is what a JSON data file holds. Each object is validated when built; the
dataset adds the checks that need several objects at once (:meth:`Dataset.problems`): unique
identifiers, and references to establishments and projects that exist.

>>> ds = Dataset()
>>> ds.summary()["establishments"], sum(ds.summary().values())
(0, 0)
>>> ds.problems()
[]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs

from khuyencong.display import fragment, summary_table
from khuyencong.domain._budgets import BudgetEnvelope
from khuyencong.domain._establishments import Establishment
from khuyencong.domain._money import group_digits
from khuyencong.domain._projects import Project
from khuyencong.domain._records import AwardEntry, FairParticipation, OcopRating, SupportRecord
from khuyencong.domain._validation import Checks
from khuyencong.exceptions import Problem
from khuyencong.messages import text

__all__ = ["Dataset"]


@attrs.frozen
class Dataset:
    """Establishments, projects and records together, as a data file holds them.

    Attributes:
        establishments: The establishments.
        projects: The promotion projects.
        support_records: Support delivered.
        fair_participations: Fair participations.
        award_entries: Product award entries and results.
        ocop_ratings: OCOP ratings.
        budgets: Budget envelopes.
    """

    establishments: tuple[Establishment, ...] = ()
    projects: tuple[Project, ...] = ()
    support_records: tuple[SupportRecord, ...] = ()
    fair_participations: tuple[FairParticipation, ...] = ()
    award_entries: tuple[AwardEntry, ...] = ()
    ocop_ratings: tuple[OcopRating, ...] = ()
    budgets: tuple[BudgetEnvelope, ...] = ()

    def __attrs_post_init__(self) -> None:
        c = Checks()
        for field in attrs.fields(type(self)):
            object.__setattr__(self, field.name, c.many(field.name, getattr(self, field.name)))
        c.raise_if_any()

    def summary(self) -> dict[str, int]:
        """How many objects of each kind the dataset holds."""
        return {f.name: len(getattr(self, f.name)) for f in attrs.fields(type(self))}

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={n}" for name, n in self.summary().items())
        return f"Dataset({counts})"

    def _repr_html_(self) -> str:
        rows = [
            (text(f"domain.display.{name}"), group_digits(n)) for name, n in self.summary().items()
        ]
        return fragment(summary_table(text("domain.display.dataset"), rows))

    def problems(self, also_known: Mapping[str, Collection[str]] | None = None) -> list[Problem]:
        """Problems that need the whole dataset: duplicate ids and dangling references.

        Args:
            also_known: Ids that exist although their objects are not in the dataset, by
                section (``{"establishments": {...}}``): a reader that left out an invalid
                establishment passes its id here, so that its records are not reported again.

        Returns:
            Every problem found, with the ``$.path`` of the offending value; empty if none.
        """
        found: list[Problem] = []
        kinds: list[tuple[str, Sequence[object]]] = [
            ("establishments", self.establishments),
            ("projects", self.projects),
            ("support_records", self.support_records),
            ("fair_participations", self.fair_participations),
            ("award_entries", self.award_entries),
            ("ocop_ratings", self.ocop_ratings),
        ]
        for name, items in kinds:
            found.extend(_duplicates(name, [getattr(i, "id", "") for i in items]))
        found.extend(_duplicates("budgets", [b.key for b in self.budgets], what="envelope"))
        extra = also_known or {}
        known = {e.id for e in self.establishments} | set(extra.get("establishments", ()))
        projects = {p.id for p in self.projects} | set(extra.get("projects", ()))
        for i, p in enumerate(self.projects):
            for j, b in enumerate(p.beneficiary_ids):
                if b not in known:
                    found.append(_dangling(f"$.projects[{i}].beneficiary_ids[{j}]", b))
        records: list[tuple[str, Sequence[SupportRecord | FairParticipation]]] = [
            ("support_records", self.support_records),
            ("fair_participations", self.fair_participations),
        ]
        for name, rows in records:
            for i, r in enumerate(rows):
                if r.establishment_id not in known:
                    found.append(_dangling(f"$.{name}[{i}].establishment_id", r.establishment_id))
                if r.project_id is not None and r.project_id not in projects:
                    found.append(
                        Problem(
                            f"$.{name}[{i}].project_id",
                            text("domain.check.dataset_no_project"),
                            r.project_id,
                        )
                    )
        others: list[tuple[str, Sequence[AwardEntry | OcopRating]]] = [
            ("award_entries", self.award_entries),
            ("ocop_ratings", self.ocop_ratings),
        ]
        for name, items in others:
            for i, item in enumerate(items):
                if item.establishment_id not in known:
                    found.append(
                        _dangling(f"$.{name}[{i}].establishment_id", item.establishment_id)
                    )
        entries = {a.id for a in self.award_entries} | set(extra.get("award_entries", ()))
        for i, a in enumerate(self.award_entries):
            if a.prior_entry_id is not None and a.prior_entry_id not in entries:
                found.append(
                    Problem(
                        f"$.award_entries[{i}].prior_entry_id",
                        text("domain.check.dataset_no_award_entry"),
                        a.prior_entry_id,
                    )
                )
        return found


def _dangling(path: str, value: str) -> Problem:
    return Problem(path, text("domain.check.dataset_no_establishment"), value)


def _duplicates(kind: str, ids: Iterable[str], what: str = "id") -> list[Problem]:
    seen: Counter[str] = Counter()
    found = []
    for i, key in enumerate(ids):
        seen[key] += 1
        if seen[key] > 1:
            found.append(Problem(f"$.{kind}[{i}]", text(f"domain.check.duplicate_{what}"), key))
    return found
