"""Establishments: the rural industrial establishments (cơ sở CNNT) that receive support.

An :class:`Establishment` is validated when it is built: every problem is reported at once,
each naming its field. Names are stored in Unicode NFC.

>>> from khuyencong.units import MapId, UnitRef
>>> coop = Establishment(
...     id="BG-HTX-001",
...     name="Hợp tác xã Mỳ Chũ",
...     legal_form=LegalForm.COOPERATIVE,
...     location=UnitRef(MapId.MAP_2021, "07525"),
...     sectors=[Sector.AGRO_FOOD_PROCESSING],
...     tax_number="0100109106",
...     members=12,
... )
>>> coop.legal_form.label_vi
'Hợp tác xã'
>>> Establishment(
...     id="X", name="X", legal_form=LegalForm.SME, location=UnitRef(MapId.MAP_2021, "07525"),
...     sectors=[Sector.HANDICRAFTS], employees=-3,
... )
Traceback (most recent call last):
khuyencong.exceptions.ValidationError: $.employees: không được là số âm (giá trị: -3)
"""

from __future__ import annotations

import datetime as dt

import attrs

from khuyencong.display import fragment, summary_table
from khuyencong.domain._converters import nfc, nfc_identifier, nfc_optional, sorted_unique
from khuyencong.domain._legal_forms import ArtisanTitle, LegalForm, SizeClass
from khuyencong.domain._money import MAX_DONG, Dong, group_digits
from khuyencong.domain._periods import format_date
from khuyencong.domain._sectors import AreaDifficulty, BusinessSectorGroup, Sector
from khuyencong.domain._tax_numbers import _canonical, tax_number_problem
from khuyencong.domain._validation import NUL, Checks, has_control_character
from khuyencong.exceptions import KhuyenCongError
from khuyencong.messages import get_language
from khuyencong.messages import text as message
from khuyencong.units import UnitRef

__all__ = ["CraftVillageClaim", "Establishment", "check_identifier"]


@attrs.frozen
class CraftVillageClaim:
    """The craft village (làng nghề) an establishment says it produces in.

    From 15/10/2025 (Nghị định 235/2025/NĐ-CP Điều 1.1, amending 45/2012 Điều 1.2.a) a craft
    village recognised by the provincial People's Committee is an eligible place anywhere,
    even in a ward of a centrally run city. The rules look the village up in the rule set's
    dated craft-village list (a province's overlay); when it is not listed there, the decision
    rests on this declaration and says so.

    Attributes:
        name: The village's name as in the recognition decision (NFC).
        decision: The provincial People's Committee's recognition decision, if known.
        recognised_on: The date of that decision, if known.
    """

    name: str = attrs.field(converter=nfc)
    decision: str | None = attrs.field(default=None, converter=nfc_optional)
    recognised_on: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.text("name", self.name)
        c.no_nul(self)
        c.raise_if_any()


def _tax(value: object) -> object:
    value = nfc_optional(value)
    return _canonical(value) if isinstance(value, str) else value


def plain_identifier(value: object) -> bool:
    """Whether ``value`` is an identifier :func:`check_identifier` accepts, decided cheaply
    for the common case (printable ASCII); ``False`` only means "check it in full"."""
    return (
        type(value) is str
        and 0 < len(value) <= 64
        and value.isascii()
        and value.isprintable()  # in ASCII: no control character
        and value[0] != " "
        and value[-1] != " "
    )


def plain_count(value: object) -> bool:
    """Whether ``value`` is an int of zero or more (``False``: check in full)."""
    return type(value) is int and value >= 0


def plain_money(value: object) -> bool:
    """Whether ``value`` is an amount in đồng :meth:`Checks.money` accepts (``False``: check
    in full)."""
    return type(value) is int and 0 <= value <= MAX_DONG


_FLAGS = (
    "cleaner_production",
    "polluting_brick_kiln",
    "cluster_infrastructure_investor",
    "sustainable_production",
    "owned_by_women",
    "owned_by_ethnic_minority",
)
"""The yes/no fields of an establishment: each ``True`` or ``False``, nothing else."""
_ONLY_BOOL = {bool}


def check_identifier(checks: Checks, field: str, value: object) -> None:
    """An identifier: non-empty text of at most 64 characters without surrounding spaces or
    control characters (NUL, tab, line break). Its field converts it to NFC
    (:func:`~khuyencong.domain._converters.nfc_identifier`)."""
    if not isinstance(value, str) or not value.strip():
        checks.fail(field, value, message("domain.check.non_empty_identifier"))
    elif value != value.strip() or len(value) > 64:
        checks.fail(field, value, message("domain.check.identifier_shape"))
    elif has_control_character(value):
        checks.fail(field, value, message("storage.control_in_identifier"))


@attrs.frozen(eq=False)
class Establishment:
    """A rural industrial establishment, as registered and as it produces.

    Equality and hashing go by :attr:`id` (an entity); change one with :func:`attrs.evolve`,
    which validates again.

    Attributes:
        id: The application's identifier for the establishment.
        name: The registered name (NFC).
        legal_form: Cooperative, SME, household business, ….
        location: Where it *produces* (the eligibility location test looks here), as a unit of
            the map in force when the record was made.
        sectors: The eligible sector groups of 45/2012 Điều 5 it works in (``other`` if none).
        tax_number: The tax identification number: 10 digits with a valid check digit, a
            13-digit branch number, or (individuals, household businesses) a 12-digit personal
            identification number.
        registered_location: Where it is registered, when different from ``location``.
        founded_on: Founding or registration date.
        employees: Average headcount with social insurance over the previous year.
        revenue: Revenue of the previous year, in đồng.
        total_capital: Total capital, in đồng.
        members: Official members (cooperatives and groups) or member cooperatives (unions).
        size_class: The declared SME size class, for enterprises.
        business_sector_group: The 80/2021 sector group of the main business line.
        area_difficulty: Socio-economic difficulty of the place of production.
        cleaner_production: It applies cleaner production (no size or location limit).
        polluting_brick_kiln: It fires clay bricks in a polluting manual or ring kiln.
        artisan_title: For an artisan: People's or Meritorious Artisan.
        cluster_infrastructure_investor: An enterprise (or, from 15/10/2025, a cooperative)
            investing in the construction of industrial-cluster infrastructure.
        sustainable_production: It applies sustainable production and consumption (from
            15/10/2025 the cleaner-production exemption covers it, 235/2025).
        craft_village: The recognised craft village it produces in, as declared.
        owned_by_women: Owned (managed) by a woman: a priority from 15/10/2025 (235/2025).
        owned_by_ethnic_minority: Owned by an ethnic-minority person: a priority from
            15/10/2025 (235/2025).
    """

    id: str = attrs.field(converter=nfc_identifier)
    name: str = attrs.field(converter=nfc)
    legal_form: LegalForm
    location: UnitRef
    sectors: tuple[Sector, ...]
    tax_number: str | None = attrs.field(default=None, converter=_tax)
    registered_location: UnitRef | None = None
    founded_on: dt.date | None = None
    employees: int | None = None
    revenue: Dong | None = None
    total_capital: Dong | None = None
    members: int | None = None
    size_class: SizeClass | None = None
    business_sector_group: BusinessSectorGroup | None = None
    area_difficulty: AreaDifficulty = AreaDifficulty.NONE
    cleaner_production: bool = False
    polluting_brick_kiln: bool = False
    artisan_title: ArtisanTitle | None = None
    cluster_infrastructure_investor: bool = False
    sustainable_production: bool = False
    craft_village: CraftVillageClaim | None = None
    owned_by_women: bool = False
    owned_by_ethnic_minority: bool = False

    def __attrs_post_init__(self) -> None:
        # Sectors are a set; keep them sorted so that equal establishments serialise equally.
        object.__setattr__(self, "sectors", sorted_unique(self.sectors))
        if self._plainly_valid():
            return
        c = Checks()
        check_identifier(c, "id", self.id)
        c.text("name", self.name)
        c.require(
            isinstance(self.legal_form, LegalForm),
            "legal_form",
            self.legal_form,
            "legal_form",
        )
        c.require(
            isinstance(self.location, UnitRef),
            "location",
            self.location,
            "unit_ref",
        )
        if not self.sectors:
            c.fail("sectors", [], message("domain.check.one_sector"))
        for i, sector in enumerate(self.sectors):
            c.require(isinstance(sector, Sector), f"sectors[{i}]", sector, "sector")
        for field, kind, what in (
            ("size_class", SizeClass, "size_class"),
            ("artisan_title", ArtisanTitle, "artisan_title"),
            ("business_sector_group", BusinessSectorGroup, "business_sector_group"),
            ("registered_location", UnitRef, "unit_ref"),
            ("craft_village", CraftVillageClaim, "craft_village"),
        ):
            value = getattr(self, field)
            c.require(value is None or isinstance(value, kind), field, value, what)
        area: object = self.area_difficulty
        c.require(isinstance(area, AreaDifficulty), "area_difficulty", area, "area_difficulty")
        c.date("founded_on", self.founded_on, optional=True)
        for field in _FLAGS:
            value = getattr(self, field)
            c.require(type(value) is bool, field, value, "yes_no")
        tax: object = self.tax_number
        form: object = self.legal_form
        if tax is not None:
            if not isinstance(tax, str):
                c.fail("tax_number", tax, message("domain.check.text"))
            else:
                allow_personal = isinstance(form, LegalForm) and form.is_individual
                problem = tax_number_problem(tax, allow_personal=allow_personal)
                if problem is not None:
                    c.fail("tax_number", tax, problem)
        for field in ("employees", "members"):
            c.count(field, getattr(self, field), optional=True)
        for field in ("revenue", "total_capital"):
            c.money(field, getattr(self, field), optional=True)
        self._check_form_fields(c)
        c.no_nul(self)
        c.raise_if_any()

    def _plainly_valid(self) -> bool:
        """Whether every check below would pass, decided cheaply for the common case: exact
        types, ASCII identifiers, no optional field that needs a rule of its own. ``False``
        only means "run the full checks" (they name every problem), so the errors are theirs.
        """
        form = self.legal_form
        name = self.name
        members = self.members
        return (
            type(form) is LegalForm
            and type(self.location) is UnitRef
            and plain_identifier(self.id)
            and type(name) is str
            and name != ""  # stripped by its converter
            and NUL not in name
            and self.tax_number is None
            and self.size_class is None
            and self.artisan_title is None
            and not self.cluster_infrastructure_investor
            and form is not LegalForm.ARTISAN
            and bool(self.sectors)
            and all(type(s) is Sector for s in self.sectors)
            and (self.employees is None or plain_count(self.employees))
            and (self.revenue is None or plain_money(self.revenue))
            and (self.total_capital is None or plain_money(self.total_capital))
            and (members is None or (form.is_cooperative_kind and plain_count(members)))
            and type(self.area_difficulty) is AreaDifficulty
            and (
                self.business_sector_group is None
                or type(self.business_sector_group) is BusinessSectorGroup
            )
            and self.registered_location is None
            and self.founded_on is None
            and self.craft_village is None
            # The flags of _FLAGS, written out: a generator would cost every object a call.
            and {
                type(self.cleaner_production),
                type(self.polluting_brick_kiln),
                type(self.cluster_infrastructure_investor),
                type(self.sustainable_production),
                type(self.owned_by_women),
                type(self.owned_by_ethnic_minority),
            }
            == _ONLY_BOOL
        )

    def _check_form_fields(self, c: Checks) -> None:
        checked: object = self.legal_form
        if not isinstance(checked, LegalForm):
            return
        form = checked
        if self.members is not None and not form.is_cooperative_kind:
            c.fail(
                "members",
                self.members,
                message("domain.check.members_kind", form=form.label(get_language())),
            )
        if isinstance(self.size_class, SizeClass):
            if not form.is_enterprise:
                c.fail(
                    "size_class",
                    self.size_class.value,
                    message("domain.check.size_class_kind", form=form.label(get_language())),
                )
            elif form is LegalForm.SME and self.size_class is SizeClass.LARGE:
                c.fail("size_class", "large", message("domain.check.sme_large"))
            elif form is LegalForm.LARGE_ENTERPRISE and self.size_class is not SizeClass.LARGE:
                c.fail(
                    "size_class",
                    self.size_class.value,
                    message("domain.check.large_size"),
                )
        if form is LegalForm.ARTISAN and self.artisan_title is None:
            c.fail("artisan_title", None, message("domain.check.artisan_needs_title"))
        if isinstance(self.artisan_title, ArtisanTitle) and form is not LegalForm.ARTISAN:
            c.fail(
                "artisan_title",
                self.artisan_title.value,
                message("domain.check.title_kind", form=form.label(get_language())),
            )
        if self.cluster_infrastructure_investor and not (
            form.is_enterprise or form is LegalForm.COOPERATIVE
        ):
            c.fail(
                "cluster_infrastructure_investor",
                value=True,
                message=message("domain.check.cluster_investor", form=form.label(get_language())),
            )

    @property
    def difficult_area(self) -> bool:
        """Whether it produces in a difficult or especially difficult area."""
        return self.area_difficulty is not AreaDifficulty.NONE

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Establishment):
            return NotImplemented
        return self.id == other.id

    def __hash__(self) -> int:
        return hash(("Establishment", self.id))

    def same_state(self, other: Establishment) -> bool:
        """Whether every field, not only the id, is equal."""
        return attrs.astuple(self, recurse=False) == attrs.astuple(other, recurse=False)

    def _repr_html_(self) -> str:
        try:
            place = self.location.resolve().label()
        except KhuyenCongError:  # a unit the packaged maps do not hold: show its code
            place = f"{self.location.map_id.value}:{self.location.code}"
        rows: list[tuple[str, object]] = [
            (message("domain.display.legal_form"), self.legal_form.label()),
            (message("domain.display.location"), place),
            (message("domain.display.sectors"), "; ".join(s.label() for s in self.sectors)),
        ]
        optional: list[tuple[str, object]] = [
            ("tax_number", self.tax_number),
            ("founded_on", self.founded_on and format_date(self.founded_on)),
            ("members", self.members is not None and group_digits(self.members)),
            ("employees", self.employees is not None and group_digits(self.employees)),
        ]
        rows += [(message(f"domain.display.{name}"), value) for name, value in optional if value]
        return fragment(summary_table(f"{self.name} ({self.id})", rows))
