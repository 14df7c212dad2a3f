"""Establishments are validated at construction: every problem reported, each naming its field."""

from __future__ import annotations

import unicodedata
from typing import Any

import attrs
import pytest
from hypothesis import given

from khuyencong.domain import (
    AreaDifficulty,
    ArtisanTitle,
    CraftVillageClaim,
    Establishment,
    LegalForm,
    Sector,
    SizeClass,
)
from khuyencong.exceptions import ValidationError
from khuyencong.messages import language
from khuyencong.testing.strategies import establishments
from khuyencong.units import MapId, UnitRef

CHU = UnitRef(MapId.MAP_2021, "07525")  # Thị trấn Chũ, Huyện Lục Ngạn, Bắc Giang


def make(**overrides: Any) -> Establishment:
    fields: dict[str, Any] = {
        "id": "BG-HTX-001",
        "name": "Hợp tác xã Mỳ gạo Chũ",
        "legal_form": LegalForm.COOPERATIVE,
        "location": CHU,
        "sectors": [Sector.AGRO_FOOD_PROCESSING],
        "tax_number": "0100109106",
        "members": 12,
    }
    fields.update(overrides)
    return Establishment(**fields)


def problems(**overrides: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        make(**overrides)
    return {p.path: p.message for p in info.value.problems}


class TestEstablishment:
    def test_a_valid_cooperative_is_built(self) -> None:
        """A cooperative in Thị trấn Chũ with a valid tax number and 12 members is accepted."""
        coop = make()
        assert coop.location.resolve().full_name == "Thị trấn Chũ"
        assert coop.legal_form.label_vi == "Hợp tác xã"

    def test_a_negative_headcount_is_refused_naming_the_field(self) -> None:
        """A headcount cannot be negative; the error names $.employees, in Vietnamese by
        default and in English when asked."""
        assert problems(employees=-3) == {"$.employees": "không được là số âm"}
        with language("en"):
            assert problems(employees=-3) == {"$.employees": "must not be negative"}

    def test_a_bad_tax_number_is_refused_naming_the_field(self) -> None:
        """A wrong check digit is refused at $.tax_number, saying which digit is right."""
        with language("en"):
            assert problems(tax_number="0100109107") == {
                "$.tax_number": "the check digit is 7 but should be 6"
            }

    def test_an_unknown_unit_code_is_refused_naming_the_code(self) -> None:
        """A location code that is not in the map is refused when the reference is built."""
        with pytest.raises(ValidationError) as info:
            make(location=UnitRef(MapId.MAP_2021, "99999"))
        assert info.value.paths == ("$.code",)
        assert "99999" in str(info.value)
        assert "2021-11" in str(info.value)

    def test_every_problem_is_reported_at_once(self) -> None:
        """A row with four mistakes reports all four, so it can be fixed in one go."""
        found = problems(name="  ", employees=-1, revenue=1.5, sectors=[])
        assert set(found) == {"$.name", "$.employees", "$.revenue", "$.sectors"}
        assert "float" in found["$.revenue"]

    def test_names_are_stored_in_nfc(self) -> None:
        """Names typed in decomposed Unicode (NFD, as old systems export) are stored in NFC."""
        nfd = unicodedata.normalize("NFD", "Hợp tác xã Mỳ gạo Chũ")
        assert make(name=nfd).name == unicodedata.normalize("NFC", nfd)

    def test_a_household_business_may_use_a_personal_number(self) -> None:
        """Households use their 12-digit personal number as tax number; cooperatives cannot."""
        household = make(
            legal_form=LegalForm.HOUSEHOLD_BUSINESS, members=None, tax_number="001085012345"
        )
        assert household.tax_number == "001085012345"
        assert "$.tax_number" in problems(tax_number="001085012345")

    def test_members_are_recorded_only_for_cooperative_kinds(self) -> None:
        """An SME has employees, not members."""
        assert "$.members" in problems(legal_form=LegalForm.SME, members=10)

    def test_size_class_must_agree_with_the_legal_form(self) -> None:
        """An SME is not large; a large enterprise is; a cooperative has no size class."""
        assert "$.size_class" in problems(
            legal_form=LegalForm.SME, members=None, size_class=SizeClass.LARGE
        )
        assert "$.size_class" in problems(
            legal_form=LegalForm.LARGE_ENTERPRISE, members=None, size_class=SizeClass.SMALL
        )
        assert "$.size_class" in problems(size_class=SizeClass.SMALL)
        sme = make(legal_form=LegalForm.SME, members=None, size_class=SizeClass.SMALL)
        assert sme.size_class is SizeClass.SMALL

    def test_artisans_have_a_title_and_only_artisans_do(self) -> None:
        """A People's or Meritorious Artisan is an artisan; others carry no artisan title."""
        artisan = make(
            legal_form=LegalForm.ARTISAN,
            members=None,
            tax_number=None,
            artisan_title=ArtisanTitle.PEOPLES_ARTISAN,
        )
        assert artisan.artisan_title is ArtisanTitle.PEOPLES_ARTISAN
        assert "$.artisan_title" in problems(
            legal_form=LegalForm.ARTISAN, members=None, tax_number=None
        )
        assert "$.artisan_title" in problems(artisan_title=ArtisanTitle.MERITORIOUS_ARTISAN)

    def test_only_enterprises_and_cooperatives_invest_in_cluster_infrastructure(self) -> None:
        """Cluster-infrastructure investors (235/2025) are enterprises and cooperatives only."""
        assert make(cluster_infrastructure_investor=True).cluster_infrastructure_investor
        group = problems(
            legal_form=LegalForm.COOPERATIVE_GROUP, cluster_infrastructure_investor=True
        )
        assert "$.cluster_infrastructure_investor" in group

    def test_a_craft_village_claim_needs_a_name(self) -> None:
        """A declared craft village (235/2025 location test) names the village."""
        with pytest.raises(ValidationError) as info:
            CraftVillageClaim(" ")
        assert [p.path for p in info.value.problems] == ["$.name"]

    def test_ownership_priorities_are_recorded(self) -> None:
        """Ownership by women or ethnic-minority people (235/2025 priorities) is kept."""
        est = make(owned_by_women=True, owned_by_ethnic_minority=True)
        assert (est.owned_by_women, est.owned_by_ethnic_minority) == (True, True)

    def test_sectors_are_a_set(self) -> None:
        """Listing a sector twice, in any order, gives the same establishment state."""
        a = make(sectors=[Sector.HANDICRAFTS, Sector.AGRO_FOOD_PROCESSING, Sector.HANDICRAFTS])
        b = make(sectors=[Sector.AGRO_FOOD_PROCESSING, Sector.HANDICRAFTS])
        assert a.same_state(b)

    def test_identity_is_the_id(self) -> None:
        """Two records of one establishment at different times are the same establishment."""
        assert make(employees=5) == make(employees=9)
        assert hash(make(employees=5)) == hash(make(employees=9))
        assert not make(employees=5).same_state(make(employees=9))
        assert make() != make(id="OTHER")
        assert make() != "BG-HTX-001"

    def test_difficult_area_flag_follows_the_area_difficulty(self) -> None:
        """Especially difficult areas are difficult areas."""
        assert make(area_difficulty=AreaDifficulty.ESPECIALLY_DIFFICULT).difficult_area
        assert not make().difficult_area

    def test_bad_identifiers_are_refused(self) -> None:
        """An identifier is non-empty, without surrounding spaces, at most 64 characters."""
        assert "$.id" in problems(id="")
        assert "$.id" in problems(id=" X ")
        assert "$.id" in problems(id="X" * 65)

    def test_an_id_written_in_nfd_is_kept_in_nfc(self) -> None:
        """An id typed with combining accents (NFD) is the same id as its composed form (NFC)."""
        nfd = unicodedata.normalize("NFD", "BG-HỢP-TÁC-XÃ-1")
        assert nfd != "BG-HỢP-TÁC-XÃ-1"
        assert make(id=nfd).id == "BG-HỢP-TÁC-XÃ-1"
        assert make(id=nfd) == make(id="BG-HỢP-TÁC-XÃ-1")

    def test_a_nul_character_is_refused_in_any_text(self) -> None:
        """NUL cannot be stored by PostgreSQL, so no store accepts it: it is refused, by field."""
        assert "$.id" in problems(id="BG\x00-1")
        assert "$.name" in problems(name="Hợp tác xã\x00")
        with pytest.raises(ValidationError) as info:
            CraftVillageClaim("Làng nghề\x00", decision="QĐ 1491")
        assert info.value.paths == ("$.name",)

    def test_control_characters_are_refused_in_ids(self) -> None:
        """An identifier holds no tab, line break or other control character."""
        assert "$.id" in problems(id="BG\tHTX")
        assert "$.id" in problems(id="BG\nHTX")

    @given(establishments())
    def test_evolving_a_valid_establishment_revalidates(self, e: Establishment) -> None:
        """attrs.evolve builds anew, so an invalid change is refused like a new object."""
        assert attrs.evolve(e).same_state(e)
        with pytest.raises(ValidationError):
            attrs.evolve(e, employees=-1)
