"""Artisans: people who hold a state title for a craft (Nghệ nhân nhân dân, Nghệ nhân ưu tú).

From 15/10/2025 People's Artisans and Meritorious Artisans are beneficiaries of khuyến công
(Nghị định 235/2025/NĐ-CP, amending 45/2012/NĐ-CP Điều 1.2), and "support for artisans to
preserve and develop crafts" is a support content. An artisan is a *person* holding a title
awarded by the President under the handicraft-title decree (123/2014/NĐ-CP, replaced by
43/2024/NĐ-CP from 6/6/2024) — not an establishment: an artisan has no legal form, members
or size class.

>>> import datetime as dt
>>> from khuyencong.units import MapId, UnitRef
>>> a = Artisan(id="NN-01", name="Nguyễn Văn A", title=ArtisanTitle.MERITORIOUS_ARTISAN,
...     craft="mây tre đan", location=UnitRef(MapId.MAP_REFORM, "07582"),
...     awarded_on=dt.date(2023, 1, 10))
>>> a.title.label_vi
'Nghệ nhân ưu tú'
"""

from __future__ import annotations

import datetime as dt

import attrs

from khuyencong.domain._converters import nfc, nfc_identifier, nfc_optional
from khuyencong.domain._establishments import check_identifier
from khuyencong.domain._legal_forms import ArtisanTitle
from khuyencong.domain._validation import Checks
from khuyencong.units import UnitRef

__all__ = ["Artisan"]


@attrs.frozen(eq=False)
class Artisan:
    """A person holding the title of People's or Meritorious Artisan.

    Attributes:
        id: The application's identifier for the person.
        name: The person's full name (NFC).
        title: People's Artisan or Meritorious Artisan.
        craft: The craft the title was awarded for (free text, NFC).
        location: Where the artisan works, as a unit reference.
        awarded_on: The date of the decision awarding the title, if known.
        award_document: That decision's number, if known.
        establishment_id: The establishment the artisan works in, if any.
    """

    id: str = attrs.field(converter=nfc_identifier)
    name: str = attrs.field(converter=nfc)
    title: ArtisanTitle
    craft: str = attrs.field(converter=nfc)
    location: UnitRef
    awarded_on: dt.date | None = None
    award_document: str | None = attrs.field(default=None, converter=nfc_optional)
    establishment_id: str | None = attrs.field(default=None, converter=nfc_identifier)

    def __attrs_post_init__(self) -> None:
        c = Checks()
        check_identifier(c, "id", self.id)
        c.text("name", self.name)
        c.text("craft", self.craft)
        c.require(
            isinstance(self.title, ArtisanTitle),
            "title",
            self.title,
            "artisan_title_value",
        )
        c.require(
            isinstance(self.location, UnitRef),
            "location",
            self.location,
            "unit_ref",
        )
        if self.establishment_id is not None:
            check_identifier(c, "establishment_id", self.establishment_id)
        c.no_nul(self)
        c.raise_if_any()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Artisan):
            return NotImplemented
        return self.id == other.id

    def __hash__(self) -> int:
        return hash(("Artisan", self.id))
