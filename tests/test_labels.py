"""Every enum carries Vietnamese and English labels; citations read as a lawyer writes them."""

from __future__ import annotations

import datetime as dt

import pytest

from khuyencong import domain
from khuyencong.domain import Citation, Confidence, LabelledEnum
from khuyencong.domain._labels import register_labels
from khuyencong.exceptions import ValidationError

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
