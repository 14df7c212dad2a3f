"""OCOP stars by score (1048/QĐ-TTg 2019; 148/QĐ-TTg from 24/2/2023).

Part maxima A/B/C come from the data files (35/25/40 in 2019, 40/25/35 from 2023 [V2]); the
star bands of 1048/QĐ-TTg (5★ 90–100, 4★ 70–89, 3★ 50–69, 2★ 30–49, else 1★) are [V2] and are
read as score thresholds (89.5 is 4★); a 2★ product has not reached the standard, so a product
is an OCOP product from 3★. 148/QĐ-TTg (2023) keeps them as [U] defaults (no public
restatement of its bands was found). Independent of the rural-industrial award.

>>> import datetime as dt
>>> from decimal import Decimal
>>> ocop_stars(70, dt.date(2023, 3, 1)), ocop_stars(Decimal("69.5"), dt.date(2023, 3, 1))
(4, 3)
>>> part_maxima(dt.date(2023, 2, 23)), part_maxima(dt.date(2023, 2, 24))
((35, 25, 40), (40, 25, 35))
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from khuyencong.rules._arguments import Arguments, dated, dated_on, score_on
from khuyencong.rules._rulesets import DatedRules, RuleSet

__all__ = ["is_ocop_product", "ocop_score", "ocop_stars", "part_maxima"]


def part_maxima(on: dt.date, *, rules: RuleSet | DatedRules | None = None) -> tuple[int, int, int]:
    """The maximum scores of parts A, B and C on ``on``.

    Raises:
        ValidationError: If ``on`` is not a date or ``rules`` not a rule set.
    """
    a, b, c = dated_on(on, rules).value("ocop.part_max")
    return a, b, c


def ocop_score(
    part_a: int | Decimal,
    part_b: int | Decimal,
    part_c: int | Decimal,
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
) -> Decimal:
    """The total score, each part checked against its maximum on ``on``.

    Parts are ``int`` or ``Decimal`` (never a float).

    Raises:
        ValidationError: For a part above its maximum, negative, or of another type.
    """
    tops = part_maxima(on, rules=rules)
    args = Arguments()
    parts = [
        args.score(value, f"part_{name}", top)
        for name, value, top in zip("abc", (part_a, part_b, part_c), tops, strict=True)
    ]
    args.check()
    return sum(parts, Decimal(0))


def ocop_stars(
    score: int | Decimal, on: dt.date, *, rules: RuleSet | DatedRules | None = None
) -> int:
    """The stars for a total score on ``on`` (1–5).

    Args:
        score: The total score, 0 to 100: an ``int`` or a ``Decimal`` (never a float).
        on: The date.
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: For a score outside 0–100 or of another type, naming ``score``.
    """
    value, day = score_on(score, on, rules)
    bands = day.value("ocop.star_bands")
    for stars, threshold in zip((5, 4, 3, 2), bands, strict=True):
        if value >= threshold:
            return stars
    return 1


def is_ocop_product(stars: int, on: dt.date, *, rules: RuleSet | DatedRules | None = None) -> bool:
    """Whether a product with ``stars`` (1–5) is an OCOP product on ``on`` (from 3★ [U]).

    Raises:
        ValidationError: For stars outside 1–5, naming ``stars``.
    """
    args = Arguments()
    args.count(stars, "stars", 1, 5)
    args.day(on)
    args.rules(rules)
    args.check()
    return bool(stars >= dated(rules, on).value("ocop.min_ocop_stars"))
