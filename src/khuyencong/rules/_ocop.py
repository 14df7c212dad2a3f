"""OCOP stars by score (1048/QĐ-TTg 2019; 148/QĐ-TTg from 24/2/2023).

Part maxima A/B/C come from the data files (35/25/40 in 2019, 40/25/35 from 2023 [V2]); the
star bands of 1048/QĐ-TTg (5★ 90–100, 4★ 70–89, 3★ 50–69, 2★ 30–49, else 1★) are [V2] and are
read as score thresholds (89.5 is 4★); a 2★ product has not reached the standard, so a product
is an OCOP product from 3★. 148/QĐ-TTg (2023) keeps them as [U] defaults (no public
restatement of its bands was found). Independent of the rural-industrial award.

>>> import datetime as dt
>>> from decimal import Decimal
>>> ocop_stars(Decimal("70"), dt.date(2023, 3, 1)), ocop_stars(Decimal("69.5"), dt.date(2023, 3, 1))
(4, 3)
>>> part_maxima(dt.date(2023, 2, 23)), part_maxima(dt.date(2023, 2, 24))
((35, 25, 40), (40, 25, 35))
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from khuyencong.exceptions import ValidationError
from khuyencong.rules._rulesets import RuleSet


def _is_score(value: object) -> bool:
    return isinstance(value, Decimal) and Decimal(0) <= value <= Decimal(100)


__all__ = ["is_ocop_product", "ocop_score", "ocop_stars", "part_maxima"]


def part_maxima(on: dt.date, rules: RuleSet | None = None) -> tuple[int, int, int]:
    """The maximum scores of parts A, B and C on ``on``."""
    a, b, c = (rules or RuleSet.national()).value("ocop.part_max", on)
    return a, b, c


def ocop_score(
    part_a: Decimal, part_b: Decimal, part_c: Decimal, on: dt.date, rules: RuleSet | None = None
) -> Decimal:
    """The total score, each part checked against its maximum on ``on``.

    Raises:
        ValidationError: For a part above its maximum or negative.
    """
    problems = []
    for name, value, top in zip(
        "abc", (part_a, part_b, part_c), part_maxima(on, rules), strict=True
    ):
        if not Decimal(0) <= value <= top:
            problems.append(ValidationError.single(f"$.part_{name}", value, f"between 0 and {top}"))
    if problems:
        raise ValidationError.merge(problems)
    return part_a + part_b + part_c


def ocop_stars(score: Decimal, on: dt.date, rules: RuleSet | None = None) -> int:
    """The stars for a total score on ``on`` (1–5).

    Raises:
        ValidationError: For a score outside 0–100.
    """
    if not _is_score(score):
        raise ValidationError.single("$.score", score, "a Decimal between 0 and 100")
    bands = (rules or RuleSet.national()).value("ocop.star_bands", on)
    for stars, threshold in zip((5, 4, 3, 2), bands, strict=True):
        if score >= threshold:
            return stars
    return 1


def is_ocop_product(stars: int, on: dt.date, rules: RuleSet | None = None) -> bool:
    """Whether a product with ``stars`` is an OCOP product on ``on`` (from 3★ [U])."""
    return bool(stars >= (rules or RuleSet.national()).value("ocop.min_ocop_stars", on))
