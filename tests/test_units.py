"""Tests of ``khuyencong.units``: maps, name search, references and the 2025 reform mapping."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import unicodedata

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import khuyencong.units._types as _types
from khuyencong.exceptions import DataFileError, NotFoundError, UnitMappingError, ValidationError
from khuyencong.messages import language
from khuyencong.units import (
    AdminUnit,
    MapId,
    ReformMapping,
    ReformMethod,
    UnitLevel,
    UnitMap,
    UnitRef,
    UnitType,
    fold,
    former_provinces,
    load_map,
    map_for,
    province_to_reform,
    reform_mapping_problems,
    to_reform,
)

MAP_2021 = load_map(MapId.MAP_2021)
MAP_2025 = load_map(MapId.MAP_2025)
MAP_REFORM = load_map(MapId.MAP_REFORM)


class TestMapId:
    def test_labels_and_snapshot_dates(self) -> None:
        """Every map has Vietnamese and English labels and the date of its snapshot."""
        assert [m.snapshot_date for m in MapId] == [
            dt.date(2021, 11, 9),
            dt.date(2025, 7, 12),
            dt.date(2026, 7, 25),
        ]
        assert all(m.label_vi and m.label_en for m in MapId)

    def test_values_are_stable(self) -> None:
        """Map ids are stored as their string values, which never change."""
        assert [m.value for m in MapId] == ["2021-11", "2025-07", "2025-reform"]

    @pytest.mark.parametrize(
        ("written", "expected"),
        [
            ("2021", MapId.MAP_2021),
            ("2021-11", MapId.MAP_2021),
            ("11/2021", MapId.MAP_2021),
            ("MAP_2021", MapId.MAP_2021),
            ("2025", MapId.MAP_2025),
            ("7/2025", MapId.MAP_2025),
            ("pre-reform", MapId.MAP_2025),
            ("reform", MapId.MAP_REFORM),
            ("2025-reform", MapId.MAP_REFORM),
            ("Post-Reform", MapId.MAP_REFORM),
            ("sau sap xep", MapId.MAP_REFORM),
            (MapId.MAP_2025, MapId.MAP_2025),
        ],
    )
    def test_short_forms_name_a_map(self, written: str, expected: MapId) -> None:
        """The short forms users write ('2021', '2025', 'reform') name a map, wherever a map id
        is accepted: MapId.parse, the MapId constructor, load_map and UnitRef."""
        assert MapId.parse(written) is expected
        assert MapId(written) is expected
        assert load_map(written) is load_map(expected)
        assert UnitRef(written, "01").map_id is expected

    @pytest.mark.parametrize("written", ["2030", "", None, 2021])
    def test_an_unknown_map_is_a_validation_error(self, written: object) -> None:
        """A text that names no map is a ValidationError (a library error) listing the maps;
        load_map says there is no such map."""
        with language("en"), pytest.raises(ValidationError, match="2021-11, 2025-07") as info:
            MapId.parse(written)
        assert info.value.paths == ("$",)
        with pytest.raises(ValidationError):
            MapId(written)  # type: ignore[arg-type]
        if isinstance(written, str):
            with pytest.raises(NotFoundError):
                load_map(written)


class TestMapFor:
    def test_reform_boundary(self) -> None:
        """The post-reform map applies from 1 July 2025; the day before, the July 2025 map."""
        assert map_for(dt.date(2025, 6, 30)) is MapId.MAP_2025
        assert map_for(dt.date(2025, 7, 1)) is MapId.MAP_REFORM

    def test_2025_boundary(self) -> None:
        """The 2021 map applies up to 31 December 2024, the July 2025 map from 1 January 2025."""
        assert map_for(dt.date(2024, 12, 31)) is MapId.MAP_2021
        assert map_for(dt.date(2025, 1, 1)) is MapId.MAP_2025
        assert map_for(dt.date(2017, 3, 1)) is MapId.MAP_2021

    def test_gap_in_the_table_is_a_data_error(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A date no map covers means the data table is broken, and says so."""
        table = {
            m: dict(row, applies_from=dt.date(2030, 1, 1)) for m, row in _types._map_table().items()
        }
        monkeypatch.setattr(_types, "_map_table", lambda: table)
        with pytest.raises(DataFileError, match="no map applies on 2020-01-01"):
            map_for(dt.date(2020, 1, 1))

    def test_missing_data_file(self) -> None:
        """A missing packaged file raises DataFileError naming the file."""
        with pytest.raises(DataFileError, match=r"nope\.json"):
            _types.read_data_file("nope.json")


class TestUnitLevel:
    def test_labels(self) -> None:
        """Levels carry Vietnamese and English labels."""
        assert [lv.label_vi for lv in UnitLevel] == ["cấp tỉnh", "cấp huyện", "cấp xã"]
        assert UnitLevel.DISTRICT.label_en == "district level"

    def test_parse_reads_values_labels_and_words(self) -> None:
        """A level is read from its value, its label or the unit word ('xã', 'huyện')."""
        assert UnitLevel.parse("cấp huyện") is UnitLevel.DISTRICT
        assert UnitLevel("xa") is UnitLevel.COMMUNE
        assert UnitLevel.parse("Province") is UnitLevel.PROVINCE

    def test_an_unknown_level_is_a_validation_error(self) -> None:
        """An unknown level is refused with the library's ValidationError."""
        with pytest.raises(ValidationError):
            UnitLevel("hamlet")


class TestUnitType:
    def test_every_unit_has_a_known_type_matching_its_level(self) -> None:
        """Every unit of every map has a type, and the type sits at the unit's level."""
        for map_id in MapId:
            for unit in load_map(map_id):
                assert isinstance(unit.unit_type, UnitType)
                assert unit.unit_type.level is unit.level

    def test_full_name_starts_with_the_type_prefix(self) -> None:
        """A full name is the type's Vietnamese prefix followed by the name."""
        for map_id in MapId:
            for unit in load_map(map_id):
                assert unit.full_name.startswith(unit.unit_type.prefix_vi + " ")
                assert unit.full_name.endswith(" " + unit.name)

    def test_types_derived_from_the_data(self) -> None:
        """Thủ Đức is a municipal city, Lục Ngạn a rural district, Côn Đảo a special zone."""
        assert MAP_2021.get("769").unit_type is UnitType.MUNICIPAL_CITY
        assert MAP_2025.get("219").unit_type is UnitType.RURAL_DISTRICT
        assert MAP_REFORM.find_one("Côn Đảo").unit_type is UnitType.SPECIAL_ZONE
        assert MAP_2025.get("46").unit_type is UnitType.CENTRALLY_RUN_CITY

    def test_labels(self) -> None:
        """Types carry Vietnamese and English labels."""
        assert UnitType.TOWN.label_vi == "thị xã"
        assert UnitType.SPECIAL_ZONE.label_en == "special zone"

    def test_parse_reads_values_and_labels(self) -> None:
        """A unit type is read from its value or its label in either language."""
        assert UnitType.parse("Thị trấn") is UnitType.TOWNSHIP
        assert UnitType("special zone") is UnitType.SPECIAL_ZONE
        with pytest.raises(ValidationError):
            UnitType.parse("hamlet")


class TestLoadMap:
    @pytest.mark.parametrize(
        ("map_id", "counts"),
        [
            (MapId.MAP_2021, (63, 705, 10599)),
            (MapId.MAP_2025, (63, 696, 10035)),
            (MapId.MAP_REFORM, (34, 0, 3321)),
        ],
    )
    def test_counts(self, map_id: MapId, counts: tuple[int, int, int]) -> None:
        """Each map has the official number of provinces, districts and communes."""
        units = list(load_map(map_id))
        actual = tuple(sum(1 for u in units if u.level is lv) for lv in UnitLevel)
        assert actual == counts

    def test_cached(self) -> None:
        """A map is loaded once and shared."""
        assert load_map("2021-11") is MAP_2021

    def test_unknown_map(self) -> None:
        """An unknown map id is refused with the list of known ones."""
        with language("en"), pytest.raises(NotFoundError, match="known: 2021-11"):
            load_map("2019")

    def test_import_loads_no_map(self) -> None:
        """Importing the package reads no data file."""
        code = (
            "import sys, khuyencong.units._types as t, khuyencong.units;"
            "print(t._map_table.cache_info().currsize)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "0"

    def test_names_are_nfc(self) -> None:
        """Names are stored in Unicode NFC."""
        for unit in MAP_2025:
            assert unicodedata.is_normalized("NFC", unit.full_name)


class TestAdminUnit:
    def test_fields(self) -> None:
        """A district carries its code, names, type, parent and province."""
        unit = MAP_2021.get("219")
        assert unit == AdminUnit(
            code="219",
            name="Lục Ngạn",
            full_name="Huyện Lục Ngạn",
            name_en="Luc Ngan",
            unit_type=UnitType.RURAL_DISTRICT,
            level=UnitLevel.DISTRICT,
            parent_code="24",
            province_code="24",
            map_id=MapId.MAP_2021,
        )

    def test_frozen(self) -> None:
        """Units are immutable values."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            MAP_2021.get("24").name = "x"  # type: ignore[misc]

    def test_ref(self) -> None:
        """A unit gives the reference to store for it."""
        assert MAP_2021.get("07525").ref == UnitRef(MapId.MAP_2021, "07525")


class TestUnitRef:
    def test_unknown_code_refused(self) -> None:
        """A reference to a code absent from its map is refused, naming the code and the map."""
        with pytest.raises(ValidationError) as info:
            UnitRef(MapId.MAP_2021, "99999")
        assert info.value.paths == ("$.code",)
        assert "không có đơn vị hành chính nào của bản đồ 2021-11 mang mã 99999" in str(info.value)

    def test_code_valid_in_one_map_only(self) -> None:
        """A code is checked against the reference's own map (Bắc Giang 24 is Bắc Ninh later)."""
        assert UnitRef("2025-reform", "24").resolve().name == "Bắc Ninh"
        with language("en"), pytest.raises(ValidationError, match="2025-reform map"):
            UnitRef(MapId.MAP_REFORM, "27")

    def test_non_string_code_refused(self) -> None:
        """Codes are strings: the integer 24 would lose leading zeros elsewhere."""
        with language("en"), pytest.raises(ValidationError, match="string"):
            UnitRef(MapId.MAP_2021, 24)  # type: ignore[arg-type]

    def test_resolve(self) -> None:
        """A reference resolves to its unit."""
        assert UnitRef(MapId.MAP_2021, "219").resolve().full_name == "Huyện Lục Ngạn"


class TestUnitMap:
    def test_get_unknown(self) -> None:
        """Getting an unknown code raises NotFoundError with a hint naming the map."""
        with language("en"):
            with pytest.raises(NotFoundError, match="not in the 2021-11 map"):
                MAP_2021.get("99999")
            with pytest.raises(NotFoundError, match="2 \\(province\\), 3 \\(district\\)"):
                MAP_2021.get("1234")

    def test_tree(self) -> None:
        """Provinces contain districts, districts contain communes."""
        assert len(MAP_2021.provinces()) == 63
        assert [u.name for u in MAP_2021.districts("24")][:2] == ["Bắc Giang", "Yên Thế"]
        assert len(MAP_2021.communes("219")) == 29
        assert len(MAP_2021.communes("24")) == sum(
            len(MAP_2021.communes(d.code)) for d in MAP_2021.districts("24")
        )
        assert MAP_2021.children("07525") == []

    def test_post_reform_map_has_no_districts(self) -> None:
        """After the reform, communes sit directly under provinces."""
        assert MAP_REFORM.districts("24") == []
        assert len(MAP_REFORM.communes("24")) == 99

    def test_wrong_level(self) -> None:
        """Asking for the districts of a district or the communes of a commune is an error."""
        with language("en"):
            with pytest.raises(NotFoundError, match="district level"):
                MAP_2021.districts("219")
            with pytest.raises(NotFoundError, match="is a commune"):
                MAP_2021.communes("07525")

    def test_ancestors_and_province(self) -> None:
        """A commune's ancestors are its district then its province."""
        assert [u.code for u in MAP_2021.ancestors("07525")] == ["219", "24"]
        assert MAP_2021.ancestors("24") == []
        assert MAP_2021.province_of("07525").name == "Bắc Giang"
        assert MAP_2021.province_of("24").code == "24"

    def test_len_iter_contains_repr(self) -> None:
        """A map has a size, iterates its units and knows its codes."""
        assert len(MAP_REFORM) == 34 + 3321
        assert sum(1 for _ in MAP_REFORM) == len(MAP_REFORM)
        assert "24" in MAP_REFORM
        assert "27" not in MAP_REFORM
        assert repr(MAP_REFORM) == "<UnitMap 2025-reform: 3355 units>"
        assert MAP_2021.source == "vn_units_2021-11_three_level.json"


class TestFind:
    @pytest.mark.parametrize(
        "query", ["luc ngan", "Lục Ngạn", "LỤC NGẠN", "Huyện Lục Ngạn", "huyen  luc ngan "]
    )
    def test_diacritic_insensitive(self, query: str) -> None:
        """Searching 'luc ngan' (no diacritics, any case, with type) finds Huyện Lục Ngạn."""
        assert [u.code for u in MAP_2021.find(query)] == ["219"]

    def test_nfd_input(self) -> None:
        """A name typed in NFD (as from old systems) is found."""
        assert [u.code for u in MAP_2021.find(unicodedata.normalize("NFD", "Lục Ngạn"))] == ["219"]

    def test_filters(self) -> None:
        """level= and within= narrow a search to one level or one province or district."""
        many = MAP_2021.find("Tân Sơn")
        assert len(many) > 1
        assert [u.code for u in MAP_2021.find("Tân Sơn", within="219")] == ["07531"]
        assert all(u.province_code == "24" for u in MAP_2021.find("Tân Sơn", within="24"))
        assert all(
            u.level is UnitLevel.COMMUNE for u in MAP_2021.find("tan son", level=UnitLevel.COMMUNE)
        )

    def test_leading_zeros(self) -> None:
        """'Phường 3' finds the wards spelt 'Phường 03' as well."""
        assert {u.full_name for u in MAP_2021.find("phuong 3")} >= {"Phường 03", "Phường 3"}

    def test_nothing(self) -> None:
        """An unknown name finds nothing."""
        assert MAP_2021.find("Atlantis") == []

    def test_find_one(self) -> None:
        """find_one returns the one match, refuses none, and lists the candidates of several."""
        assert MAP_2021.find_one("Bắc Giang", level=UnitLevel.PROVINCE).code == "24"
        with pytest.raises(NotFoundError) as missing:
            MAP_2021.find_one("Atlantis", within="24")
        assert "không có đơn vị nào mang tên này trong bản đồ 2021-11 thuộc Tỉnh Bắc Giang" in str(
            missing.value
        )
        with language("en"):
            assert "no unit of that name in the 2021-11 map within Bắc Giang province" in str(
                missing.value
            )
            with pytest.raises(ValidationError, match="pass level= or within=") as info:
                MAP_2021.find_one("Phúc Sơn", within="24")
        assert "2 units in the 2021-11 map within Bắc Giang province" in str(info.value)
        assert ", Bắc Giang province); " in str(info.value)
        with pytest.raises(ValidationError, match="24 Tỉnh Bắc Giang"):
            MAP_2021.find_one("Bắc Giang")

    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(list(MAP_2025)))
    def test_find_folded_name_finds_every_unit(self, unit: AdminUnit) -> None:
        """Every unit is found by its folded name and by its folded full name."""
        assert unit in MAP_2025.find(fold(unit.name))
        assert unit in MAP_2025.find(fold(unit.full_name))


class TestFold:
    def test_examples(self) -> None:
        """Folding drops case, diacritics (đ → d) and extra spaces, and unifies NFC/NFD."""
        assert fold("  Đắk   LẮK ") == "dak lak"
        assert fold(unicodedata.normalize("NFD", "Lục Ngạn")) == "luc ngan"

    @given(st.text())
    def test_idempotent(self, text: str) -> None:
        """Folding twice is folding once."""
        assert fold(fold(text)) == fold(text)

    @given(st.sampled_from([u.full_name for u in MAP_2021]))
    def test_vietnamese_names_fold_to_ascii(self, name: str) -> None:
        """A Vietnamese unit name folds to plain ASCII."""
        assert fold(name).isascii()


class TestProvinceToReform:
    def test_bac_giang_to_bac_ninh(self) -> None:
        """Bắc Giang (24) and Bắc Ninh (27) became Bắc Ninh (code 24 after the reform)."""
        assert province_to_reform("24").full_name == "Tỉnh Bắc Ninh"
        assert province_to_reform("27").code == "24"

    def test_every_old_province_maps(self) -> None:
        """All 63 old provinces map to one of the 34 new ones, and each new one is reached."""
        new = {province_to_reform(p.code).code for p in MAP_2025.provinces()}
        assert new == {p.code for p in MAP_REFORM.provinces()}

    def test_unknown(self) -> None:
        """A code that is not an old province is refused."""
        with language("en"), pytest.raises(NotFoundError, match="old province"):
            province_to_reform("219")


class TestToReform:
    def test_bac_giang_commune_of_2021(self) -> None:
        """Xã Cấm Sơn (Lục Ngạn, Bắc Giang, 2021 map) is now part of Xã Tân Sơn in Bắc Ninh."""
        mapping = to_reform(UnitRef(MapId.MAP_2021, "07528"))
        assert mapping.new_commune is not None
        assert (mapping.new_commune.full_name, mapping.new_province.full_name) == (
            "Xã Tân Sơn",
            "Tỉnh Bắc Ninh",
        )
        assert mapping.method is ReformMethod.MERGER_LIST
        assert mapping.via == MAP_2025.get("07528")
        assert mapping.old == MAP_2021.get("07528")

    def test_renamed_between_2021_and_2025(self) -> None:
        """Xã Xa Lý (2021) was renamed Sa Lý by 2025; its code carries it to Xã Sa Lý."""
        mapping = to_reform(MAP_2021.get("07540"))
        assert mapping.new_commune is not None
        assert mapping.new_commune.full_name == "Xã Sa Lý"

    def test_gone_2021_commune_matched_by_name(self) -> None:
        """A 2021 commune gone from the 2025 map is matched by its name within its district."""
        mapping = to_reform(MAP_2021.get("00223"))
        assert mapping.via is not None
        assert mapping.via.code == "00235"

    def test_gone_2021_commune_unmatched(self) -> None:
        """A 2021 commune merged before 2025 with no known successor raises without candidates."""
        with pytest.raises(UnitMappingError, match="look up the commune by hand") as info:
            to_reform(MAP_2021.get("00010"))
        assert info.value.candidates == ()
        assert info.value.unit_code == "00010"

    def test_province(self) -> None:
        """A province maps to the province it merged into, with no commune."""
        mapping = to_reform(MAP_2021.get("24"))
        assert mapping == ReformMapping(
            old=MAP_2021.get("24"),
            new_commune=None,
            new_province=MAP_REFORM.get("24"),
            method=ReformMethod.PROVINCE,
            note="Tỉnh Bắc Giang became part of Tỉnh Bắc Ninh",
        )

    def test_split_raises_with_candidates(self) -> None:
        """Phường Cống Vị was split between Ngọc Hà and Giảng Võ: no guess, both candidates."""
        with pytest.raises(UnitMappingError, match="split") as info:
            to_reform(UnitRef(MapId.MAP_2025, "00007"))
        assert info.value.candidates == ("00008", "00025")

    def test_ambiguous_raises_with_candidates(self) -> None:
        """A commune whose name the merger list uses for several old communes is not guessed."""
        problem = next(p for p in reform_mapping_problems() if p.kind == "ambiguous")
        with pytest.raises(UnitMappingError, match="ambiguous") as info:
            to_reform(UnitRef(problem.map_id, problem.code))
        assert info.value.candidates == problem.candidates
        assert len(info.value.candidates) >= 1

    def test_unmatched_raises_without_candidates(self) -> None:
        """A commune absent from the merger list raises without candidates, naming its province."""
        with pytest.raises(UnitMappingError, match="now Tỉnh Tuyên Quang") as info:
            to_reform(MAP_2025.get("00736"))
        assert info.value.candidates == ()

    def test_by_elimination(self) -> None:
        """A same-named commune is matched when all its namesakes are listed elsewhere."""
        assert to_reform(MAP_2025.get("00406")).method is ReformMethod.BY_ELIMINATION

    def test_district_refused(self) -> None:
        """A district cannot be mapped: its communes went to several new units, all listed."""
        with pytest.raises(UnitMappingError, match="districts were abolished") as info:
            to_reform(MAP_2021.get("219"))
        assert {"07525", "07531"} <= set(info.value.candidates)

    def test_island_district_as_a_whole(self) -> None:
        """Huyện Côn Đảo became Đặc khu Côn Đảo as a whole."""
        mapping = to_reform(MAP_2025.get("755"))
        assert mapping.new_commune is not None
        assert mapping.new_commune.full_name == "Đặc khu Côn Đảo"
        assert mapping.method is ReformMethod.DISTRICT_WHOLE

    def test_post_reform_unit_unchanged(self) -> None:
        """A unit already of the post-reform map maps to itself."""
        ward = MAP_REFORM.get("07525")
        assert to_reform(ward).new_commune == ward
        assert to_reform(MAP_REFORM.get("24")).new_commune is None

    def test_method_labels(self) -> None:
        """Matching methods carry Vietnamese and English labels."""
        assert all(m.label_vi and m.label_en for m in ReformMethod)


class TestReformMappingProblems:
    def test_problems_raise_and_others_map(self) -> None:
        """Every listed problem raises in to_reform; every other 2025 commune maps cleanly."""
        problems = {(p.map_id, p.code) for p in reform_mapping_problems()}
        for unit in MAP_2025:
            if unit.level is not UnitLevel.COMMUNE:
                continue
            if (MapId.MAP_2025, unit.code) in problems:
                with pytest.raises(UnitMappingError):
                    to_reform(unit)
            else:
                assert to_reform(unit).new_commune is not None

    def test_kinds(self) -> None:
        """Problems are split, ambiguous or unmatched; only unmatched ones lack candidates."""
        for p in reform_mapping_problems():
            assert p.kind in {"split", "ambiguous", "unmatched"}
            assert bool(p.candidates) == (p.kind != "unmatched")


def test_unitmap_type_is_public() -> None:
    """UnitMap is exported for type annotations."""
    assert isinstance(MAP_2021, UnitMap)


class TestFormerProvinces:
    def test_a_post_reform_commune_names_the_province_it_lay_in(self) -> None:
        """Xã Lục Ngạn (post-reform Bắc Ninh) lay in former Bắc Giang."""
        assert [p.code for p in former_provinces(UnitRef(MapId.MAP_REFORM, "07582"))] == ["24"]

    def test_a_merged_province_names_every_province_it_was_formed_from(self) -> None:
        """Post-reform Bắc Ninh was formed from Bắc Giang and Bắc Ninh."""
        assert [p.name for p in former_provinces(UnitRef(MapId.MAP_REFORM, "24"))] == [
            "Bắc Giang",
            "Bắc Ninh",
        ]

    def test_an_old_map_unit_names_its_own_province(self) -> None:
        """A unit of the 2021 map lies in its own province."""
        assert [p.code for p in former_provinces(UnitRef(MapId.MAP_2021, "07525"))] == ["24"]
