"""Support conditions (26/2014/TTLT-BTC-BCT Điều 7) and priority ranking for the annual plan.

Conditions: the content and sector are eligible; the project is approved by the competent body;
the beneficiary has invested or committed the rest of the cost (counterpart); and it has had no
other state funding for the same cost item. Ranking (46/2012/TT-BCT Điều 6.3): areas before
sectors, each in the legal order; cleaner-production projects have no ranking order. From
15/10/2025 establishments owned by women or by ethnic-minority people have special priority
(235/2025/NĐ-CP, ``priority.owner_order``), ranked before areas and sectors.

>>> import datetime as dt
>>> check_support_conditions("DA-1", dt.date(2016, 1, 1), content_and_sector_eligible=True,
...     approved=True, counterpart_committed=True, other_state_funding=False).outcome
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from khuyencong.domain import Establishment
from khuyencong.exceptions import ValidationError
from khuyencong.messages import text
from khuyencong.rules._arguments import Arguments, dated
from khuyencong.rules._explain import Decision, Fact
from khuyencong.rules._rulesets import DatedRules, RuleSet

__all__ = ["PriorityClaim", "check_support_conditions", "priority_claim", "rank_applications"]


def check_support_conditions(
    subject: str,
    on: dt.date,
    *,
    content_and_sector_eligible: bool,
    approved: bool,
    counterpart_committed: bool,
    other_state_funding: bool,
    rules: RuleSet | DatedRules | None = None,
) -> Decision:
    """The support conditions of ``subject`` on ``on``, each explained.

    Args:
        subject: What the decision is about (a project or application id).
        on: The date.
        content_and_sector_eligible: Whether the content and the sector are eligible.
        approved: Whether the competent body approved the project.
        counterpart_committed: Whether the beneficiary invested or committed the rest.
        other_state_funding: Whether it had other state funding for the same cost item.
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: For an argument of the wrong kind, naming it.
        khuyencong.exceptions.CoverageError: Before 8 April 2014.
    """
    args = Arguments()
    args.text(subject, "subject")
    args.day(on)
    for name, flag in (
        ("content_and_sector_eligible", content_and_sector_eligible),
        ("approved", approved),
        ("counterpart_committed", counterpart_committed),
        ("other_state_funding", other_state_funding),
    ):
        args.flag(flag, name)
    args.rules(rules)
    args.check()
    required, cite = dated(rules, on).cited("conditions.required")
    found = {
        "content_and_sector_eligible": content_and_sector_eligible,
        "approved_by_competent_body": approved,
        "counterpart_committed": counterpart_committed,
        "no_other_state_funding": not other_state_funding,
    }
    facts: list[Fact] = [
        (f"condition.{name}", bool(found.get(name, False)), True, found.get(name), cite, None)
        for name in required
    ]
    return Decision("support_conditions", on, subject, facts)


@attrs.frozen
class PriorityClaim:
    """What an application claims for ranking.

    Attributes:
        id: The application or project id.
        areas: Priority areas it is in (values of ``priority.area_order``).
        sectors: Priority sectors it serves (values of ``priority.sector_order``).
        cleaner_production: A cleaner-production project (no ranking order).
        owners: Ownership priorities it has (values of ``priority.owner_order``:
            ``women_owned``, ``ethnic_minority_owned``; from 15/10/2025).
    """

    id: str
    areas: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    cleaner_production: bool = False
    owners: frozenset[str] = frozenset()


OWNERSHIP_FACTS: tuple[str, ...] = ("women_owned", "ethnic_minority_owned")
"""The ownership facts a claim may state (``PriorityClaim.owners``); which of them rank, and in
what order, is ``priority.owner_order`` in the legal data (none before 15/10/2025)."""


def priority_claim(
    establishment: Establishment,
    *,
    id: str | None = None,  # noqa: A002  (the claim's field name)
    areas: frozenset[str] = frozenset(),
    sectors: frozenset[str] = frozenset(),
) -> PriorityClaim:
    """The priority claim of an establishment's application, with the ownership facts it records.

    >>> from khuyencong.domain import LegalForm, Sector
    >>> from khuyencong.units import MapId, UnitRef
    >>> est = Establishment(id="HTX-1", name="HTX", legal_form=LegalForm.COOPERATIVE,
    ...     location=UnitRef(MapId.MAP_REFORM, "07582"), sectors=[Sector.HANDICRAFTS],
    ...     members=7, owned_by_women=True)
    >>> sorted(priority_claim(est).owners)
    ['women_owned']
    """
    args = Arguments()
    args.instance(establishment, "establishment", Establishment)
    args.check()
    flags = (establishment.owned_by_women, establishment.owned_by_ethnic_minority)
    owners = {fact for fact, held in zip(OWNERSHIP_FACTS, flags, strict=True) if held}
    return PriorityClaim(
        id or establishment.id,
        areas=frozenset(areas),
        sectors=frozenset(sectors),
        cleaner_production=establishment.cleaner_production,
        owners=frozenset(owners),
    )


def rank_applications(
    claims: Iterable[PriorityClaim],
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
) -> list[tuple[PriorityClaim, tuple[int, int, int]]]:
    """Applications in priority order: best ownership priority first (from 15/10/2025), then best
    area, then best sector; ties keep input order.

    Cleaner-production applications come last with no rank (46/2012 Điều 6.3.b: decided on
    merit by the managing body). Returns each claim with its ``(owner rank, area rank, sector
    rank)`` (lower is earlier; unranked is the list length). Before 15/10/2025 the owner list is
    empty, so an ownership claim changes nothing.

    Raises:
        ValidationError: For an area, sector or owner not in the legal lists of that date.

    >>> ranked = rank_applications([PriorityClaim("B", sectors=frozenset({"export_product"})),
    ...     PriorityClaim("A", areas=frozenset({"poor_district_30a"}))], dt.date(2016, 1, 1))
    >>> [c.id for c, _ in ranked]
    ['A', 'B']
    >>> ranked = rank_applications([PriorityClaim("A", areas=frozenset({"poor_district_30a"})),
    ...     PriorityClaim("W", owners=frozenset({"women_owned"}))], dt.date(2026, 1, 1))
    >>> [c.id for c, _ in ranked]
    ['W', 'A']
    """
    args = Arguments()
    args.day(on)
    args.rules(rules)
    args.check()
    day = dated(rules, on)
    areas: Sequence[str] = day.value("priority.area_order")
    sectors: Sequence[str] = day.value("priority.sector_order")
    owners: Sequence[str] = day.value("priority.owner_order")
    ranked: list[tuple[PriorityClaim, tuple[int, int, int]]] = []
    tail: list[tuple[PriorityClaim, tuple[int, int, int]]] = []
    unranked = (len(owners), len(areas), len(sectors))
    for i, claim in enumerate(claims):
        if not isinstance(claim, PriorityClaim):
            raise ValidationError.single(
                f"$.claims[{i}]", claim, text("rules.not_a", kind="PriorityClaim")
            )
        for field, values, allowed in (
            ("areas", claim.areas, areas),
            ("sectors", claim.sectors, sectors),
        ):
            unknown = sorted(set(values) - set(allowed))
            if unknown:
                raise ValidationError.single(
                    f"$[{i}].{field}",
                    unknown,
                    text(
                        "rules.priority_unknown",
                        id=claim.id,
                        field=field,
                        on=on.isoformat(),
                        allowed=", ".join(allowed),
                    ),
                )
        bad_owners = sorted(claim.owners - set(OWNERSHIP_FACTS))
        if bad_owners:
            raise ValidationError.single(
                f"$[{i}].owners",
                bad_owners,
                text("rules.owners_unknown", id=claim.id, allowed=", ".join(OWNERSHIP_FACTS)),
            )
        if claim.cleaner_production:
            tail.append((claim, unranked))
            continue
        owner_rank = min(
            (owners.index(o) for o in claim.owners if o in owners), default=len(owners)
        )
        area_rank = min((areas.index(a) for a in claim.areas), default=len(areas))
        sector_rank = min((sectors.index(s) for s in claim.sectors), default=len(sectors))
        ranked.append((claim, (owner_rank, area_rank, sector_rank)))
    ranked.sort(key=lambda item: item[1])
    return ranked + tail
