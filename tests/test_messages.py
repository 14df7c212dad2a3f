"""Tests of ``khuyencong.messages``: one bilingual catalogue and one language setting."""

from __future__ import annotations

import subprocess
import sys

import pytest

from khuyencong.exceptions import ValidationError
from khuyencong.messages import (
    LANGS,
    _area,
    _templates,
    catalogue,
    get_language,
    language,
    resolve_language,
    set_language,
    text,
)
from khuyencong.messages import _check_message as check_message


class TestMessageCatalogue:
    def test_every_message_exists_in_both_languages(self) -> None:
        """No message ships in one language only, or with an empty text."""
        for key, texts in catalogue().items():
            assert len(texts) == len(LANGS), key
            assert all(t.strip() for t in texts), key

    def test_a_message_with_different_fields_per_language_is_refused(self) -> None:
        """A translation that drops or renames a placeholder is a defect found at load time."""
        with pytest.raises(ValueError, match="fields"):
            check_message("x.y", "Tệp {path}", "File {name}")

    def test_an_empty_translation_is_refused(self) -> None:
        """Both languages must say something."""
        with pytest.raises(ValueError, match="non-empty"):
            check_message("x.y", "Tệp", " ")

    def test_a_message_read_from_its_own_file_is_the_catalogues(self) -> None:
        """A message read from its area's file alone (what a command does) is the
        catalogue's, and every area's file holds exactly the catalogue's messages of it."""
        everything = catalogue()
        for key, texts in everything.items():
            assert _templates(key) == texts, key
        areas = {key.partition(".")[0] for key in everything}
        assert {k: v for a in areas for k, v in _area(a).items()} == dict(everything)

    def test_an_unknown_area_or_key_names_itself(self) -> None:
        """A key whose area has no file, or is not a name, fails as an unknown key."""
        for key in ("nowhere.nothing", "../common.no", "common"):
            with pytest.raises(KeyError, match=re.escape(key)):
                text(key)

    def test_an_unknown_key_names_itself(self) -> None:
        """Asking for a message that does not exist fails loudly with the key."""
        with pytest.raises(KeyError, match=r"common\.nothing"):
            text("common.nothing")


class TestLanguageInForce:
    def test_vietnamese_is_the_default(self) -> None:
        """Without a setting, messages are Vietnamese."""
        code = "from khuyencong.messages import text; print(text('common.yes'))"
        env = {"PATH": "", "PYTHONIOENCODING": "utf-8"}
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        assert out.stdout.strip() == "ĐẠT"

    def test_the_environment_variable_sets_the_default(self) -> None:
        """KHUYENCONG_LANG=en makes English the default for a whole process."""
        code = "from khuyencong.messages import text; print(text('common.yes'))"
        env = {"PATH": "", "PYTHONIOENCODING": "utf-8", "KHUYENCONG_LANG": "en"}
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        assert out.stdout.strip() == "YES"

    def test_a_block_overrides_the_setting_and_restores_it(self) -> None:
        """Inside ``language("en")`` messages are English; after it, the language is back."""
        before = get_language()
        with language("en"):
            assert text("common.no") == "NO"
        assert get_language() == before

    def test_set_language_changes_the_default_until_changed_back(self) -> None:
        """``set_language`` is the notebook's switch: it lasts until set again."""
        before = get_language()
        try:
            set_language("en")
            assert resolve_language(None) == "en"
            assert text("common.yes") == "YES"
            assert text("common.yes", "vi") == "ĐẠT"
        finally:
            set_language(before)

    def test_an_unknown_language_is_refused(self) -> None:
        """Only Vietnamese and English exist; anything else is the library's error (a
        ValueError) naming ``lang``."""
        with language("en"), pytest.raises(ValidationError, match=r'"vi".*or "en"') as caught:
            set_language("fr")  # type: ignore[arg-type]
        assert caught.value.paths == ("$.lang",)
        with pytest.raises(ValidationError):
            text("common.yes", 7)  # type: ignore[arg-type]


# --- Vietnamese that is Vietnamese, English that is English ----------------------------------

import datetime as dt  # noqa: E402  (the second half of the module tests what the library prints)
import enum  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from functools import cache  # noqa: E402
from pathlib import Path  # noqa: E402

import attrs  # noqa: E402

from khuyencong.domain import (  # noqa: E402
    LabelledEnum,
    Period,
    ProjectStatus,
    SupportContent,
    tax_number_problem,
)
from khuyencong.exceptions import (  # noqa: E402
    CoverageError,
    DataFileError,
    KhuyenCongError,
    NotConfiguredError,
    RuleConflictError,
)
from khuyencong.exchange import iati, threesixty  # noqa: E402
from khuyencong.indicators import (  # noqa: E402
    STANDARD_INDICATORS,
    Breakdown,
    compute,
    coverage,
    load_programme,
    sector_mix,
)
from khuyencong.reports import (  # noqa: E402
    build_report,
    demo_report,
    example_path,
    load_example,
    load_report_config,
)
from khuyencong.rules import (  # noqa: E402
    RuleSet,
    check_eligibility,
    check_project_amounts,
    for_province,
    load_parameters,
    support_amount,
)
from khuyencong.testing.conformance import (  # noqa: E402
    sample_establishment,
    sample_project,
    sample_support_record,
)
from khuyencong.units import MapId, UnitRef, load_map, province_to_reform  # noqa: E402

_FIELD = re.compile(r"\{[^}]*\}")
_WORD = re.compile(r"[^\W\d_]{2,}")
_VIETNAMESE_LETTER = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]"
)


def _chunks(template: str) -> Iterator[str]:
    """The literal pieces of a template between its fields, stripped of punctuation at the ends."""
    for raw in _FIELD.split(template):
        piece = raw.strip(" .,;:()[]“”\"'—–-/")
        if len(_WORD.findall(piece)) >= 2:
            yield piece


def _enum_labels() -> Iterator[tuple[str, str]]:
    def walk(cls: type[enum.Enum]) -> Iterator[type[enum.Enum]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    for cls in walk(LabelledEnum):
        for member in cls:
            assert isinstance(member, LabelledEnum)
            try:
                yield member.label_vi, member.label_en
            except KeyError:  # a second copy of a module loaded by the doctest collector
                continue


@cache
def english_texts() -> frozenset[str]:
    """Every English text of the catalogue and of the enum labels of two words or more that
    its Vietnamese does not share (a document number or a name is the same in both)."""
    pairs = [*catalogue().values(), *_enum_labels()]
    found: set[str] = set()
    for vi, en in pairs:
        found.update(c for c in _chunks(en) if c not in vi)
    return frozenset(found)


@cache
def vietnamese_texts() -> frozenset[str]:
    """Every Vietnamese text (with Vietnamese letters) of two words or more that its English
    does not share, proper names aside."""
    pairs = [*catalogue().values(), *_enum_labels()]
    found: set[str] = set()
    for vi, en in pairs:
        found.update(c for c in _chunks(vi) if c not in en and _VIETNAMESE_LETTER.search(c.lower()))
    return frozenset(found - PROPER_NAMES)


PROPER_NAMES = frozenset({"Trung tâm Khuyến công"})
"""Catalogue texts that are also names: an institution keeps its name in English (the centres
of the examples are "Trung tâm Khuyến công tỉnh …")."""


def leaks(output: str, texts: frozenset[str]) -> list[str]:
    """The catalogue texts of the other language that ``output`` contains."""
    return sorted(t for t in texts if t in output)


TODAY = dt.date(2026, 12, 7)


def _decisions(lang: str) -> Iterator[str]:
    """Decisions, amounts and 'not configured' sources of both shipped examples, in ``lang``."""
    bac_ninh = load_example("bac_ninh_2026")
    for est in bac_ninh.establishments:
        try:
            decision = check_eligibility(est, TODAY, rules=RuleSet.for_unit(est.location))
        except (NotConfiguredError, CoverageError) as exc:
            yield str(getattr(exc, "source_document", exc))
            continue
        yield decision.render(lang)  # type: ignore[arg-type]
        yield decision.legend(lang)  # type: ignore[arg-type]
    for project in bac_ninh.projects:
        try:
            yield check_project_amounts(project, TODAY).render(lang)  # type: ignore[arg-type]
        except NotConfiguredError as exc:
            yield str(exc.source_document)
    bac_giang = load_example()
    rules = RuleSet.for_province("24", map_id="2021-11")
    for est in bac_giang.establishments[:20]:
        yield check_eligibility(est, dt.date(2019, 6, 1), rules=rules).render(lang)  # type: ignore[arg-type]
    for record in bac_giang.support_records[:30]:
        try:
            cost = record.national_amount + record.local_amount + record.co_funding
            amount = support_amount(record.content, cost, record.delivered_on, rules=rules)
        except (NotConfiguredError, CoverageError) as exc:
            yield str(getattr(exc, "source_document", exc))
            continue
        yield amount.render(lang)  # type: ignore[arg-type]


def _indicator_outputs(lang: str) -> Iterator[str]:
    data = load_example()
    phase = Period.phase(2017, 2020)
    for indicator in STANDARD_INDICATORS.values():
        result = compute(indicator, data, phase)
        yield result.table(lang).to_markdown(lang)  # type: ignore[arg-type]
    by_district = compute(
        STANDARD_INDICATORS["establishments_supported"], data, phase, by=[Breakdown.district()]
    )
    yield by_district.table(lang).to_markdown(lang)  # type: ignore[arg-type]
    for level in ("district", "commune"):
        cov = coverage(data, phase, level=level, within="24")
        yield cov.table(lang).to_markdown(lang)  # type: ignore[arg-type]
        yield cov.summary(lang)  # type: ignore[arg-type]
    yield sector_mix(data, phase).table(lang).to_markdown(lang)  # type: ignore[arg-type]


def _refusals() -> Iterator[Callable[[], object]]:
    """Calls the library refuses, one for each kind of error a user meets: a lookup that finds
    nothing, a date outside the rules, a value the law leaves to a document, an illegal step,
    a content not yet in force, conflicting exceptions, and the domain's checks of a record
    and of a tax number."""
    rules = RuleSet.national()
    yield lambda: load_map("2019")
    yield lambda: load_map(MapId.MAP_2021).get("99999")
    yield lambda: load_map(MapId.MAP_2021).get("1234")
    yield lambda: load_map(MapId.MAP_2021).districts("219")
    yield lambda: load_map(MapId.MAP_2021).communes("07525")
    yield lambda: load_map(MapId.MAP_2021).find_one("Atlantis", within="24")
    yield lambda: province_to_reform("219")
    yield lambda: for_province("99")
    yield lambda: for_province("01")
    yield lambda: for_province("24", map_id="mars")
    yield lambda: RuleSet.for_unit(UnitRef(MapId.MAP_REFORM, "24"))
    yield lambda: example_path("atlantis")
    yield lambda: rules.value("eligibility.beneficiary_forms", dt.date(2000, 1, 1))
    yield lambda: rules.value("support.local.machinery.cap", TODAY)
    yield lambda: support_amount(
        SupportContent.DIGITAL_TRANSFORMATION, 100_000_000, dt.date(2020, 1, 1), rules=rules
    )
    yield lambda: sample_project().transition(ProjectStatus.SETTLED, on=TODAY)
    yield (
        lambda: (
            sample_project()
            .transition(ProjectStatus.SUBMITTED, on=dt.date(2019, 2, 1))
            .transition(ProjectStatus.CANCELLED, on=dt.date(2019, 1, 1))
        )
    )

    def conflict() -> object:
        raise RuleConflictError("eligibility.beneficiary", ["a", "b"])

    yield conflict
    yield lambda: sample_establishment(1, name="", location=UnitRef(MapId.MAP_2021, "07525"))
    yield lambda: attrs.evolve(sample_establishment(1), employees=-3, tax_number="0100109107")
    yield lambda: attrs.evolve(sample_establishment(1), tax_number="01001091")
    yield lambda: attrs.evolve(sample_support_record(1), national_amount=1.5)  # type: ignore[arg-type]
    yield from _exchange_refusals()


_BAD_GRANT = {
    "id": "360G-kc-1",
    "title": "T",
    "currency": "USD",
    "amountAwarded": -5,
    "awardDate": "2024-01-01",
    "recipientOrganization": [{"id": "r", "name": "R", "colour": "red"}],
    "beneficiaryLocation": [{"countryCode": "US", "geoCode": "1", "geoCodeType": "X"}],
    "grantProgramme": [{"title": "no code"}],
    "extra": 1,
}

_BAD_RESULT = {
    "type": "7",
    "title": {"narrative": [{"xml:lang": "vi", "text": "T"}, {"xml:lang": "fr", "text": "T"}]},
    "indicator": [
        {
            "measure": "5",
            "ascending": "maybe",
            "title": {"narrative": []},
            "reference": [{"vocabulary": "1", "code": "x"}],
            "baseline": [{"year": "20", "value": "many"}],
            "period": [
                {
                    "period-start": {"iso-date": "2024-12-31"},
                    "period-end": {"iso-date": "2024-01-01"},
                    "target": [{"value": "1"}, {"value": "2", "colour": "red"}],
                }
            ],
        }
    ],
}


def _exchange_refusals() -> Iterator[Callable[[], object]]:
    """Exchange files a user imports: a 360Giving grant and an IATI result with a problem in
    almost every field, a CSV with an unknown column, XML that is not IATI, and an export to a
    prefix that is not 360Giving's."""
    yield lambda: threesixty.loads(json.dumps({"grants": [_BAD_GRANT, 7]}))
    yield lambda: threesixty.loads(json.dumps({"grants": []}))
    yield lambda: threesixty.loads(json.dumps([1]))
    yield lambda: threesixty.loads("Identifier,Colour\nx,red\n", fmt="csv")
    yield lambda: threesixty.grants_from(
        establishments=[], prefix="kc-", funder=threesixty.Organisation("f", "F")
    )
    yield lambda: iati.loads(json.dumps({"iati-version": "1.0", "result": [_BAD_RESULT, 3]}))
    yield lambda: iati.loads(json.dumps({"result": []}))
    yield lambda: iati.loads("<budget/>", fmt="xml")
    yield lambda: iati.loads("<result><title/><title/></result>", fmt="xml")


def _errors(lang: str) -> Iterator[str]:
    """The message of every refusal above, shown in ``lang``."""
    for call in _refusals():
        try:
            call()
        except KhuyenCongError as exc:
            yield str(exc)
        else:  # pragma: no cover  (a refusal that no longer refuses is a failure of this list)
            msg = f"expected a refusal from {call}"
            raise AssertionError(msg)
    yield tax_number_problem("0100109107") or ""
    yield tax_number_problem("") or ""


def outputs(lang: str) -> Iterator[str]:
    """What the library prints a person in ``lang``: reports, decisions, amounts, indicators,
    and the messages of its errors."""
    with language(lang):  # type: ignore[arg-type]
        yield from _errors(lang)
        yield demo_report(lang)  # type: ignore[arg-type]
        folder = example_path("bac_ninh_2026")
        yield build_report(
            load_example("bac_ninh_2026"), load_report_config(folder), charts=False
        ).to_markdown()
        yield from _decisions(lang)
        yield from _indicator_outputs(lang)


def assert_problems_speak_the_language_in_force(calls: list[Callable[[], object]]) -> None:
    """Each call is refused with problems whose every message has a Vietnamese letter in
    Vietnamese (a sentence left in English, outside the catalogue, has none) and none in
    English."""
    for lang, expected in (("vi", True), ("en", False)):
        with language(lang):  # type: ignore[arg-type]
            for call in calls:
                with pytest.raises(KhuyenCongError) as caught:
                    call()
                error = caught.value
                assert isinstance(error, ValidationError | DataFileError)
                assert error.problems
                for problem in error.problems:
                    found = bool(_VIETNAMESE_LETTER.search(problem.message.lower()))
                    assert found is expected, (lang, problem)


class TestNoOtherLanguage:
    def test_the_scan_knows_enough_texts_to_mean_something(self) -> None:
        """The scan looks for hundreds of texts, so a pass is not an empty check."""
        assert len(english_texts()) > 250
        assert len(vietnamese_texts()) > 250

    def test_the_scan_finds_an_english_sentence_in_vietnamese(self) -> None:
        """A catalogue sentence left in English inside Vietnamese output is found."""
        sentence = text("report.partners.none", "en")
        assert leaks(f"Kết quả: {sentence}", english_texts()) == [sentence.rstrip(".")]

    def test_vietnamese_output_holds_no_english_text(self) -> None:
        """The Vietnamese report, decisions, amounts, 'not configured' sources, indicator
        tables and coverage of both shipped examples, and the messages of the errors a user
        meets, hold none of the catalogue's English."""
        found = {leak for out in outputs("vi") for leak in leaks(out, english_texts())}
        assert found == set()

    def test_english_output_holds_no_vietnamese_label(self) -> None:
        """The same outputs in English hold no Vietnamese text of the catalogue or of an enum
        label (names of places and centres are proper names and keep their diacritics)."""
        found = {leak for out in outputs("en") for leak in leaks(out, vietnamese_texts())}
        assert found == set()

    def test_every_problem_of_an_exchange_file_is_vietnamese_by_default(self) -> None:
        """Each reason given for a bad 360Giving or IATI file speaks Vietnamese in Vietnamese
        (a sentence left in English, outside the catalogue, has no Vietnamese letter), and
        English in English."""
        assert_problems_speak_the_language_in_force(list(_exchange_refusals()))

    def test_a_content_not_yet_in_force_is_named_by_its_label_and_article(self) -> None:
        """Asking for a content before it existed names the content by its label and cites the
        article as the reader's language writes it: "Điều 4" in Vietnamese, "Art. 4" in
        English; never the content's code."""
        content = SupportContent.DIGITAL_TRANSFORMATION
        for lang, article in (("vi", "Điều 4"), ("en", "Art. 4")):
            with language(lang):  # type: ignore[arg-type]
                with pytest.raises(CoverageError) as caught:
                    support_amount(content, 100_000_000, dt.date(2020, 1, 1))
                message = str(caught.value)
            assert content.label(lang) in message  # type: ignore[arg-type]
            assert article in message
            assert content.value not in message

    def test_a_list_of_allowed_states_quotes_each_state(self) -> None:
        """A state's label may hold a comma of its own ("Đang thực hiện"), so a list of the
        states a project may move to quotes each one, and no state's label has a comma."""
        project = sample_project().transition(ProjectStatus.SUBMITTED, on=dt.date(2019, 2, 1))
        with language("vi"), pytest.raises(KhuyenCongError) as caught:
            project.transition(ProjectStatus.SETTLED, on=dt.date(2019, 3, 1))
        allowed = [s for s in ProjectStatus if f"“{s.label('vi')}”" in str(caught.value)]
        assert ProjectStatus.CANCELLED in allowed
        assert all("," not in s.label(lang) for s in ProjectStatus for lang in LANGS)

    def test_every_problem_of_a_legal_or_target_data_file_is_in_the_readers_language(
        self, tmp_path: Path
    ) -> None:
        """A maintainer or a provincial officer editing a legal data file or a programme's
        target file reads each problem in the language in force: overlapping and missing dates,
        wrong types and tags, a '?' entry with a value, a programme's rules."""
        legal = tmp_path / "legal.toml"
        legal.write_text(
            '[document]\nnumber = "X/2030"\neffective_from = 2030-01-01\ncolour = 1\n'
            '[[values]]\nparameter = "award.pass_mark"\nvalue = "many"\n'
            '[[values]]\nparameter = "award.pass_mrk"\nvalue = 70\n'
            '[[values]]\nparameter = "award.levels"\nconfidence = "?"\nvalue = 3\n'
            '[[values]]\nparameter = "award.pass_mark"\neffective_to = 2020-01-01\nvalue = 7\n'
            '[[values]]\nparameter = "award.pass_mark"\nvalue_million = "x"\n'
            '[[values]]\nparameter = "award.pass_mark"\nconfidence = "W"\n'
            '[[support]]\ncontent = []\n[[support]]\ncontent = "brand"\nrate = 5\n',
            encoding="utf-8",
        )
        overlapping = tmp_path / "overlapping.toml"
        overlapping.write_text(
            '[document]\nnumber = "Y/2030"\neffective_from = 2030-01-01\n'
            '[[values]]\nparameter = "award.pass_mark"\nvalue = 70\n'
            '[[values]]\nparameter = "award.pass_mark"\nvalue = 75\n',
            encoding="utf-8",
        )
        targets = tmp_path / "targets.toml"
        targets.write_text(
            '[programme]\ndocument = "Z/2030"\ntitle_vi = "T"\ntitle_en = "T"\n'
            'period = "2030-2031"\nissued_on = "2030-01-01"\nstatus = "unknown"\n'
            'citation = { document = "W/2030", confidence = "V" }\n'
            '[[target]]\nindicator = "nothing"\nperiod = "2040"\ntarget = "1"\n'
            'label_vi = ""\nlabel_en = "x"\nunit_vi = "x"\nunit_en = "x"\ncounting_vi = "x"\n'
            'counting_en = "x"\ninvented = true\n'
            'citation = { document = "V/2030", confidence = "?" }\n',
            encoding="utf-8",
        )
        calls: list[Callable[[], object]] = [
            lambda: load_parameters([legal]),
            lambda: load_parameters([overlapping]),
            lambda: load_programme(targets),
        ]
        assert_problems_speak_the_language_in_force(calls)
