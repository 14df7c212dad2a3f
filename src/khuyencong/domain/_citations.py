"""Citations: which document, article and clause a rule or a value rests on, and how sure we are.

>>> c = Citation(
...     document="26/2014/TTLT-BTC-BCT", article="6", clause="2", point="c",
...     effective_from=dt.date(2014, 4, 8), effective_to=dt.date(2018, 5, 10),
...     confidence=Confidence.VERIFIED,
... )
>>> c.text("vi")
'Điểm c khoản 2 Điều 6, 26/2014/TTLT-BTC-BCT [V]'
>>> c.text("en")
'26/2014/TTLT-BTC-BCT, Art. 6(2)(c) [V]'
>>> c.in_force(dt.date(2018, 5, 11))
False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from khuyencong._arguments import Arguments
from khuyencong.domain._labels import LabelledEnum, register_labels
from khuyencong.domain._validation import Checks
from khuyencong.messages import Lang, text

__all__ = ["Citation", "Confidence", "confidence_legend"]


class Confidence(LabelledEnum):
    """How sure the project is of a legal fact (the tags of the domain reference).

    ``verified`` [V]: read in the legal text; ``secondary`` [V2]: a reliable secondary source;
    ``unverified`` [U]: believed, shipped as an overridable default; ``unknown`` [?]: no value
    is shipped.
    """

    VERIFIED = "V"
    SECONDARY = "V2"
    UNVERIFIED = "U"
    UNKNOWN = "?"


register_labels(
    Confidence,
    {
        Confidence.VERIFIED: ("Đã kiểm chứng theo văn bản", "Verified in the legal text"),
        Confidence.SECONDARY: ("Theo nguồn thứ cấp tin cậy", "Reliable secondary source"),
        Confidence.UNVERIFIED: ("Chưa kiểm chứng", "Unverified"),
        Confidence.UNKNOWN: ("Chưa rõ", "Unknown"),
    },
)


def confidence_legend(tags: Iterable[Confidence | str], lang: Lang | None = None) -> str:
    """One sentence saying what the confidence tags shown mean (``""`` for no tag).

    >>> confidence_legend(["U", Confidence.VERIFIED], "en")
    'Confidence of the sources: [V] Verified in the legal text; [U] Unverified.'

    Raises:
        ValidationError: If ``tags`` is not a collection of confidence tags.
    """
    args = Arguments()
    args.many(tags, "tags")
    args.check()
    shown = sorted({Confidence(t) for t in tags}, key=list(Confidence).index)
    if not shown:
        return ""
    items = "; ".join(
        text("domain.confidence.tag", lang, tag=c.value, meaning=c.label(lang)) for c in shown
    )
    return text("domain.confidence.legend", lang, tags=items)


@attrs.frozen
class Citation:
    """A reference to a legal provision, with its effective dates and confidence.

    Attributes:
        document: The document number, e.g. ``45/2012/NĐ-CP``.
        article: The article (Điều), e.g. ``"6"``; empty when citing the whole document.
        clause: The clause (khoản), if any.
        point: The point (điểm), if any.
        effective_from: The first day the provision applies.
        effective_to: The last day it applies, or ``None`` while in force.
        confidence: How sure we are (V, V2, U, ?).
        note: Anything a reader should know (what was checked, and where).
    """

    document: str
    article: str = ""
    clause: str = ""
    point: str = ""
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    confidence: Confidence = Confidence.VERIFIED
    note: str = ""

    def __attrs_post_init__(self) -> None:
        checks = Checks()
        checks.text("document", self.document)
        if (
            self.effective_from is not None
            and self.effective_to is not None
            and self.effective_to < self.effective_from
        ):
            checks.fail(
                "effective_to", self.effective_to, text("domain.check.ends_before_effective_from")
            )
        checks.raise_if_any()

    def in_force(self, on: dt.date) -> bool:
        """Whether the provision applies on ``on``."""
        if self.effective_from is not None and on < self.effective_from:
            return False
        return self.effective_to is None or on <= self.effective_to

    def text(self, lang: Lang | None = None) -> str:
        """The citation as a reader of ``lang`` writes it, with its confidence tag."""
        parts = {"article": self.article, "clause": self.clause, "point": self.point}
        present = "_".join(name for name, value in parts.items() if value)
        body = self.document
        if present:
            where = text(f"domain.citation.{present}", lang, **parts)
            body = text("domain.citation.body", lang, where=where, document=self.document)
        return f"{body} [{self.confidence.value}]"

    def __str__(self) -> str:
        return self.text("en")
