"""Every enum carries Vietnamese and English labels and reads the words people write; citations
read as a lawyer writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong import domain
from khuyencong.domain import Citation, Confidence, LabelledEnum
from khuyencong.domain import _labels as labels
from khuyencong.domain._labels import _aliases, _index, register_labels, word_key
from khuyencong.exceptions import KhuyenCongError, ValidationError
from khuyencong.messages import language
from khuyencong.units import fold

ENUMS = sorted(
    (
        obj
        for obj in vars(domain).values()
        if isinstance(obj, type) and issubclass(obj, LabelledEnum) and obj is not LabelledEnum
    ),
    key=lambda e: e.__name__,
)


class TestLabels:
    @pytest.mark.parametrize("enum_cls", ENUMS, ids=lambda e: e.__name__)
    def test_every_member_has_both_labels(self, enum_cls: type[LabelledEnum]) -> None:
        """Every value a user can see has a Vietnamese and an English label."""
        for member in enum_cls:
            assert member.label_vi.strip()
            assert member.label_en.strip()
            assert member.label("vi") == member.label_vi
            assert member.label("en") == member.label_en

    def test_members_with_the_same_value_keep_their_own_labels(self) -> None:
        """Fund.LOCAL and ProjectKind.LOCAL share the value 'local' but not their labels."""
        assert domain.Fund.LOCAL.label_vi == "Kinh phí khuyến công địa phương"
        assert domain.ProjectKind.LOCAL.label_vi == "Đề án khuyến công địa phương"
        assert domain.ContentGroup.SHOWROOM.label_en == "Showrooms"
        assert domain.SupportContent.SHOWROOM.label_en == "Showroom or sales point"

    def test_labels_are_distinct_within_an_enum(self) -> None:
        """No two members of one enum share a label, so a label names one member."""
        for enum_cls in ENUMS:
            for lang in ("vi", "en"):
                labels = [m.label(lang) for m in enum_cls]
                assert len(set(labels)) == len(labels), (enum_cls.__name__, lang)

    def test_an_enum_cannot_be_registered_half_labelled(self) -> None:
        """Registering labels for some members only is refused."""

        class Half(LabelledEnum):
            A = "a"
            B = "b"

        with pytest.raises(TypeError, match="without labels: b"):
            register_labels(Half, {Half.A: ("A", "A")})


class TestCitation:
    def test_a_citation_reads_in_both_languages(self) -> None:
        """Vietnamese: 'Điểm c khoản 2 Điều 6, doc [V]'; English: 'doc, Art. 6(2)(c) [V]'."""
        c = Citation(document="26/2014/TTLT-BTC-BCT", article="6", clause="2", point="c")
        assert c.text("vi") == "Điểm c khoản 2 Điều 6, 26/2014/TTLT-BTC-BCT [V]"
        assert str(c) == "26/2014/TTLT-BTC-BCT, Art. 6(2)(c) [V]"
        whole = Citation(document="45/2012/NĐ-CP", confidence=Confidence.SECONDARY)
        assert whole.text("vi") == "45/2012/NĐ-CP [V2]"
        assert whole.text("en") == "45/2012/NĐ-CP [V2]"
        assert Citation(document="X", clause="1").text("vi") == "Khoản 1, X [V]"

    def test_in_force_respects_both_ends(self) -> None:
        """TTLT 26/2014 applies from 8/4/2014 to 10/5/2018 inclusive."""
        c = Citation(
            document="26/2014/TTLT-BTC-BCT",
            effective_from=dt.date(2014, 4, 8),
            effective_to=dt.date(2018, 5, 10),
        )
        assert not c.in_force(dt.date(2014, 4, 7))
        assert c.in_force(dt.date(2014, 4, 8))
        assert c.in_force(dt.date(2018, 5, 10))
        assert not c.in_force(dt.date(2018, 5, 11))
        assert Citation(document="X").in_force(dt.date(1900, 1, 1))

    def test_a_citation_needs_a_document_and_ordered_dates(self) -> None:
        """A citation names its document, and ends after it starts."""
        with pytest.raises(ValidationError) as info:
            Citation(
                document=" ",
                effective_from=dt.date(2020, 1, 2),
                effective_to=dt.date(2020, 1, 1),
            )
        assert info.value.paths == ("$.document", "$.effective_to")


def _variants(word: str) -> list[str]:
    """How people write a word: as is, upper case, without diacritics, with ``_`` or ``-``."""
    plain = fold(word)
    return [word, word.upper(), plain, plain.replace(" ", "_"), plain.replace(" ", "-")]


class TestParse:
    def test_the_words_people_write(self) -> None:
        """Everyday names reach the member: 'máy móc', 'advanced machinery', 'handicraft',
        'union' (the examples of issue 10)."""
        assert domain.SupportContent.parse("máy móc") is domain.SupportContent.MACHINERY
        assert domain.SupportContent.parse("advanced machinery") is domain.SupportContent.MACHINERY
        assert domain.Sector.parse("handicraft") is domain.Sector.HANDICRAFTS
        assert domain.LegalForm.parse("union") is domain.LegalForm.COOPERATIVE_UNION
        assert domain.LegalForm.parse("Hợp tác xã") is domain.LegalForm.COOPERATIVE
        assert domain.Fund.parse("quoc gia") is domain.Fund.NATIONAL

    @settings(max_examples=300, deadline=None)
    @given(st.data())
    def test_every_word_of_every_member_parses(self, data: st.DataObject) -> None:
        """A member is found from its value, name, labels and aliases, in any case, with or
        without diacritics, with spaces, ``_`` or ``-``."""
        enum_cls = data.draw(st.sampled_from(ENUMS))
        member = data.draw(st.sampled_from(list(enum_cls)))
        words = [member.value, member.name, member.label_vi, member.label_en]
        word = data.draw(st.sampled_from(words + list(enum_cls.words()[member])))
        written = data.draw(st.sampled_from(_variants(word)))
        assert enum_cls.parse(written) is member

    @pytest.mark.parametrize("enum_cls", ENUMS, ids=lambda e: e.__name__)
    def test_no_word_names_two_members(self, enum_cls: type[LabelledEnum]) -> None:
        """Each word (value, name, label, alias) names one member of its enum only."""
        index = _index(enum_cls)
        assert set(index.values()) == set(enum_cls)

    def test_every_alias_table_names_an_enum_and_its_members(self) -> None:
        """The alias file names existing enums and members only (a typo would be dead data)."""
        names = {e.__name__: e for e in ENUMS}
        for name, members in _aliases().items():
            assert name in names
            assert set(members) <= {m.value for m in names[name]}

    def test_a_member_is_returned_as_is(self) -> None:
        """A member parses to itself."""
        assert domain.Fund.parse(domain.Fund.LOCAL) is domain.Fund.LOCAL

    @pytest.mark.parametrize("value", ["machinary", "", None, 7, 1.5])
    def test_an_unknown_word_lists_the_accepted_values(self, value: object) -> None:
        """A word that names nothing is a ValidationError listing the accepted values."""
        with language("en"), pytest.raises(ValidationError) as info:
            domain.SupportContent.parse(value)
        assert info.value.paths == ("$",)
        assert "machinery, technology_transfer" in str(info.value)
        assert isinstance(info.value, KhuyenCongError)

    def test_vietnamese_lists_the_labels(self) -> None:
        """In Vietnamese the error lists the Vietnamese labels, not the codes."""
        with language("vi"), pytest.raises(ValidationError) as info:
            domain.Fund.parse("x")
        assert "Kinh phí khuyến công quốc gia; Kinh phí khuyến công địa phương" in str(info.value)

    def test_the_constructor_reads_values_only_and_refuses_with_a_library_error(self) -> None:
        """``SupportContent("machinery")`` is the wire format; a label there is refused with a
        ValidationError (a library error), not a bare ValueError."""
        assert domain.SupportContent("machinery") is domain.SupportContent.MACHINERY
        with pytest.raises(ValidationError):
            domain.SupportContent("máy móc")

    def test_the_memo_of_texts_is_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The texts remembered per enum are forgotten when there are too many; parsing still
        finds the member."""
        monkeypatch.setattr(labels, "_SEEN_MAX", 1)
        assert domain.FairKind.parse("Trong nuoc") is domain.FairKind.DOMESTIC
        assert domain.FairKind.parse("Nuoc ngoai") is domain.FairKind.OVERSEAS
        assert len(labels._seen(domain.FairKind)) == 1

    def test_alias_data_naming_two_members_or_none_is_refused(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An alias that names two members, or a member that does not exist, is a defect of the
        data: building the index says which."""

        class Pair(LabelledEnum):
            A = "a"
            B = "b"

        register_labels(Pair, {Pair.A: ("Một", "One"), Pair.B: ("Hai", "Two")})
        monkeypatch.setattr(labels, "_aliases", lambda: {"Pair": {"a": ("two",)}})
        with pytest.raises(TypeError, match="'Two' names both A and B"):
            Pair.parse("x")
        labels._index.cache_clear()
        monkeypatch.setattr(labels, "_aliases", lambda: {"Pair": {"c": ("three",)}})
        with pytest.raises(TypeError, match="no members c"):
            Pair.parse("x")
        labels._index.cache_clear()

    def test_a_repeated_text_is_remembered(self) -> None:
        """Parsing the same text twice gives the same member (the second from the memo)."""
        first = domain.Sector.parse("Thủ công mỹ nghệ")
        assert domain.Sector.parse("Thủ công mỹ nghệ") is first is domain.Sector.HANDICRAFTS


class TestWordKey:
    @given(st.text(max_size=30))
    def test_idempotent(self, text: str) -> None:
        """Folding a key again changes nothing, so stored keys and parsed texts agree."""
        assert word_key(word_key(text)) == word_key(text)
