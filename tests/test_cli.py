"""The `khuyencong` command line: every command answers, in the chosen language, with the
documented exit status; every failure says what went wrong and how to fix it on standard error.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

import khuyencong.cli._units as units_module
from _stores import PostgresSchema, postgres_url
from khuyencong import __version__
from khuyencong.cli import ExitCode, build_parser, main
from khuyencong.cli._console import PLAIN_ERRORS, progress_bar
from khuyencong.cli._errors import explain, extra_for
from khuyencong.cli._options import date_arg, translate_usage_error
from khuyencong.cli._validate import reading_data
from khuyencong.converters import dumps, structure, unstructure
from khuyencong.datafiles import SAMPLE_DATASET, load_dataset, read_dataset
from khuyencong.demo import run_demo
from khuyencong.domain import (
    Dataset,
    Establishment,
    Fund,
    LegalForm,
    Project,
    ProjectContent,
    ProjectKind,
    Sector,
    SupportContent,
    million,
)
from khuyencong.exceptions import (
    ConfigurationError,
    ContentNotInForceError,
    CoverageError,
    DataFileError,
    DuplicateIdError,
    FileFormatError,
    FileWriteError,
    IllegalTransitionError,
    InputLimitError,
    NotConfiguredError,
    NotFoundError,
    Problem,
    RuleConflictError,
    SchemaVersionError,
    StoreError,
    UnitMappingError,
    ValidationError,
)
from khuyencong.importing import write_csv
from khuyencong.messages import catalogue, language, set_language, text
from khuyencong.reports import build_report, example_path, load_example, load_report_config
from khuyencong.rules import RuleSet, check_eligibility
from khuyencong.storage import open_store, store_dataset
from khuyencong.units import MapId, UnitRef, load_map, to_reform

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")
VIETNAMESE_WORDS = re.compile(r"\b(không|của|được|tệp|Cách|thư mục|dòng|lỗi)\b")
TODAY = dt.date(2026, 12, 7)
EXAMPLE_DB_RECORDS = 273


class Run(NamedTuple):
    """What a command did: its exit status and what it printed."""

    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    """Run ``khuyencong ARGV`` in this process."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def assert_explained(result: Run, code: ExitCode, lang: str, *fragments: str) -> None:
    """A failure: the documented status, nothing but a message on standard error, in ``lang``."""
    assert result.code == code
    assert result.err.strip()
    assert "Traceback" not in result.err
    if lang == "vi":
        assert VIETNAMESE.search(result.err)
    else:  # proper names keep their marks; Vietnamese words do not appear
        assert not VIETNAMESE_WORDS.search(result.err), result.err
    for fragment in fragments:
        assert fragment in result.err


def coop(**changes: object) -> dict[str, object]:
    """A cooperative of Xã Lục Ngạn (post-reform Bắc Ninh) as the converter writes it."""
    data: dict[str, object] = {
        "id": "HTX-LN",
        "name": "HTX Lục Ngạn",
        "legal_form": "cooperative",
        "members": 9,
        "location": {"map_id": "2025-reform", "code": "07582"},
        "sectors": ["agro_food_processing"],
    }
    data.update(changes)
    return data


def write(path: Path, data: object) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Bắc Giang example loaded into an SQLite store by the demo; its URL."""
    return f"sqlite:///{run_demo(tmp_path_factory.mktemp('store') / 'bg.db').database}"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test writes to the user's real cache folder."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("KHUYENCONG_CACHE_DIR", str(cache))
    monkeypatch.delenv("KHUYENCONG_DEBUG", raising=False)
    return cache


def write_failure(path: Path) -> FileWriteError:
    """The library's error for writing ``path`` (whose folder does not exist)."""
    with pytest.raises(FileWriteError) as caught:
        write_csv([], path, "establishments")
    return caught.value


def walk(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.Action]]:
    """Every action of a parser and of its sub-parsers, with the parser's name."""
    for action in parser._actions:
        yield parser.prog, action
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield parser.prog, choice
            for sub in action.choices.values():
                yield from walk(sub)


class TestExitCode:
    def test_a_crash_never_shares_a_status_with_an_answer_or_a_refusal(self) -> None:
        """The contract: answers (0, 1), refusals (2 to 5) and defects (70) are distinct."""
        assert {e.name: e.value for e in ExitCode} == {
            "OK": 0,
            "NO": 1,
            "USAGE": 2,
            "NOT_CONFIGURED": 3,
            "STORE": 4,
            "MISSING_EXTRA": 5,
            "INTERNAL": 70,
            "INTERRUPTED": 130,
        }

    def test_the_help_lists_every_status(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``khuyencong --help`` documents every exit status, in the chosen language."""
        out = run(capsys, "--help", "--lang", "en").out
        for code in ExitCode:
            assert re.search(rf"^  {code.value}\s", out, re.MULTILINE), code


class TestVersion:
    def test_flag_and_command_print_the_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--version`` and ``version`` print the same line and exit 0."""
        assert run(capsys, "--version") == Run(0, f"khuyencong {__version__}\n", "")
        assert run(capsys, "version", "--lang", "en") == Run(0, f"khuyencong {__version__}\n", "")

    def test_the_module_runs_as_a_program(self) -> None:
        """``python -m khuyencong --version`` in a real process prints the version."""
        result = subprocess.run(
            [sys.executable, "-m", "khuyencong", "--version"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert (result.returncode, result.stdout) == (0, f"khuyencong {__version__}\n")

    def test_a_command_reads_the_version_only_when_asked(self) -> None:
        """Building the parsers and opening a store leave the package metadata unread and
        dateutil's parser unimported (each costs every start ~10-20 ms); ``--version`` reads
        the metadata."""
        code = (
            "import sys; from khuyencong.cli._main import build_parser; "
            "from khuyencong.storage import open_store; "
            "build_parser(); open_store('sqlite:///:memory:').close(); "
            "print(sorted({'importlib.metadata', 'dateutil.parser'} & set(sys.modules))); "
            "build_parser().parse_args(['--version'])"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert (result.returncode, result.stdout) == (0, f"[]\nkhuyencong {__version__}\n")

    def test_the_cli_package_runs_as_a_program(self) -> None:
        """``python -m khuyencong.cli version`` prints the version too."""
        result = subprocess.run(
            [sys.executable, "-m", "khuyencong.cli", "version"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.startswith("khuyencong ")


class TestHelp:
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_every_option_and_command_has_help(self, lang: str) -> None:
        """Walking the whole parser: every option, argument, command and action is explained."""
        with language(lang):  # type: ignore[arg-type]
            parser = build_parser()
        missing = [
            f"{prog}: {action.option_strings or action.dest}"
            for prog, action in walk(parser)
            if not isinstance(action, argparse._SubParsersAction)
            and (not action.help or action.help == argparse.SUPPRESS)
        ]
        assert missing == []

    def test_vietnamese_help_holds_no_english_text_of_the_catalogue(self) -> None:
        """In Vietnamese, no help line is the English side of a catalogue message."""
        english = {en for key, (_vi, en) in catalogue().items() if key.startswith("cli.help.")}
        with language("vi"):
            helps = {str(action.help) for _, action in walk(build_parser())}
        assert helps & english == set()

    def test_help_is_printed_in_the_chosen_language(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``check --help`` speaks Vietnamese by default and English with ``--lang en``."""
        vi = run(capsys, "check", "--help")
        en = run(capsys, "check", "--help", "--lang", "en")
        assert (vi.code, en.code) == (0, 0)
        assert vi.out.startswith("Cách dùng: khuyencong check")
        assert "ngày xét" in vi.out
        assert en.out.startswith("Usage: khuyencong check")
        assert "the date of the decision" in en.out

    @pytest.mark.parametrize("lang", ["vi", "en"])
    @pytest.mark.parametrize("command", ["import", "template", "units", "check", "serve"])
    def test_a_commands_help_is_the_same_with_its_parser_alone(
        self, command: str, lang: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A command's parser built alone (as ``main`` builds it, importing only that
        command's module) prints the same help as in the whole parser."""
        helps = []
        with language(lang):  # type: ignore[arg-type]
            for parser in (build_parser(), build_parser(command)):
                with pytest.raises(SystemExit):
                    parser.parse_args([command, "--help"])
                helps.append(capsys.readouterr().out)
        assert helps[0] == helps[1]
        assert helps[0].startswith(("Usage: khuyencong ", "Cách dùng: khuyencong "))

    def test_a_command_imports_only_the_layers_it_drives(self) -> None:
        """``khuyencong import`` starts without the rules, reports or demo (their imports
        were a fifth of an import's time)."""
        program = (
            "import sys, io, contextlib\n"
            "from khuyencong.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['import', '--help'])\n"
            "print(sorted(m for m in ('khuyencong.rules', 'khuyencong.reports', "
            "'khuyencong.demo', 'khuyencong.importing') if m in sys.modules))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", program], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "['khuyencong.importing']"


class TestCliLanguage:
    def test_lang_is_accepted_before_and_after_the_command(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``--lang en`` before the command, after it, or between a command and its action."""
        after = run(capsys, "units", "show", "24", "--lang", "en")
        before = run(capsys, "--lang", "en", "units", "show", "24")
        between = run(capsys, "units", "--lang", "en", "show", "24")
        joined = run(capsys, "units", "show", "24", "--lang=en")
        assert after.out == before.out == between.out == joined.out
        assert "[province; post-reform map]" in after.out

    def test_the_language_setting_is_the_default(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without ``--lang`` the language in force is used (``set_language``, the variable)."""
        set_language("en")
        try:
            assert "[province; post-reform map]" in run(capsys, "units", "show", "24").out
        finally:
            set_language("vi")
        assert "[tỉnh; bản đồ sau sắp xếp]" in run(capsys, "units", "show", "24").out

    def test_usage_errors_speak_the_chosen_language(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A usage error (status 2) shows the usage, the problem and where help is, translated."""
        vi = run(capsys, "check")
        assert_explained(vi, ExitCode.USAGE, "vi", "thiếu tham số bắt buộc: FILE")
        assert "khuyencong check --help" in vi.err
        en = run(capsys, "frob", "--lang", "en")
        assert_explained(en, ExitCode.USAGE, "en", "'frob' is not a choice")

    @pytest.mark.parametrize(
        ("message", "expected"),
        [
            ("the following arguments are required: FILE", "missing required arguments: FILE"),
            ("unrecognized arguments: --x", "unrecognised arguments: --x"),
            ("one of the arguments --a --b is required", "one of the arguments --a --b is"),
            ("argument --kind: expected one argument", "--kind: expects one value"),
            ("argument --from: invalid int value: 'x'", "--from: 'x' is not a valid value"),
            ("argument --a: not allowed with argument --b", "--a cannot be used with --b"),
            ("ambiguous option: --l could match --lang, --level", "--l is ambiguous"),
            ("something new", "something new"),
        ],
    )
    def test_argparse_messages_are_said_again(self, message: str, expected: str) -> None:
        """Each of argparse's messages has a translation; an unknown one is kept as it is."""
        with language("en"):
            assert expected in translate_usage_error(message)

    @given(st.text())
    def test_translating_a_usage_error_never_fails(self, message: str) -> None:
        """Whatever argparse says, the translation gives text back."""
        with language("vi"):
            assert isinstance(translate_usage_error(message), str)


class TestDates:
    @given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
    def test_day_first_and_iso_dates_are_the_same_date(self, day: dt.date) -> None:
        """``--date`` reads 07/12/2026 (as Vietnam writes it) and 2026-12-07 alike."""
        assert date_arg(day.strftime("%d/%m/%Y")) == date_arg(day.isoformat()) == day

    @pytest.mark.parametrize("value", ["31/02/2026", "2026-13-01", "tomorrow"])
    def test_a_date_that_does_not_exist_is_a_usage_error(
        self, value: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A date that does not exist is refused, naming it and the two forms accepted."""
        path = write(tmp_path / "e.json", coop())
        result = run(capsys, "check", str(path), "--date", value)
        assert_explained(result, ExitCode.USAGE, "vi", value, "07/12/2026")


class TestCheck:
    def test_yes_and_no_in_both_languages(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A cooperative with 9 members is eligible (0); with 4, not (1), saying why."""
        good = write(tmp_path / "good.json", coop())
        bad = write(tmp_path / "bad.json", coop(members=4))
        yes = run(capsys, "check", str(good), "--date", "07/12/2026")
        assert (yes.code, yes.err) == (0, "")
        assert yes.out.startswith(
            "HTX-LN — điều kiện hưởng hỗ trợ khuyến công ngày 07/12/2026: ĐẠT"
        )
        no = run(capsys, "check", str(bad), "--date", "2026-12-07", "--lang", "en")
        assert (no.code, no.err) == (1, "")
        assert "NO" in no.out.splitlines()[0]
        assert "at least 5 official members" in no.out

    def test_json_is_the_decision_as_to_data_writes_it(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """``--json`` prints the library's ``Decision.to_data()`` and no amounts."""
        path = write(tmp_path / "e.json", coop())
        result = run(capsys, "check", str(path), "--date", "2026-12-07", "--json")
        expected = check_eligibility(
            structure(coop(), Establishment), TODAY, rules=RuleSet.national()
        )
        assert result.code == 0
        assert json.loads(result.out) == {"decision": expected.to_data(), "amounts": []}

    def test_a_project_prints_its_amounts(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A project file is checked for its amounts, each content's support computed: a
        machinery content of 1,000 million is capped at 300 million in 2019."""
        project = Project(
            id="DA-1",
            title="Đề án",
            kind=ProjectKind.SINGLE_BENEFICIARY,
            beneficiary_ids=("CS-1",),
            contents=(
                ProjectContent(
                    SupportContent.MACHINERY, eligible_cost=million(1000), requested=million(300)
                ),
            ),
            fund=Fund.NATIONAL,
            province=UnitRef(MapId.MAP_2021, "24"),
            plan_year=2019,
            lead_agency="Sở Công Thương",
        )
        path = write(tmp_path / "p.json", json.loads(dumps(project)))
        result = run(capsys, "check", str(path), "--date", "01/01/2019", "--json")
        data = json.loads(result.out)
        assert result.code == 0
        assert data["decision"]["rule"] == "project_amounts"
        assert [a["amount"] for a in data["amounts"]] == [million(300)]
        text = run(capsys, "check", str(path), "--date", "01/01/2019", "--lang", "en")
        assert "VND 300,000,000 (cap reached)" in text.out

    @pytest.mark.parametrize(
        ("content", "code", "fragment"),
        [
            ("{", ExitCode.USAGE, "JSON"),
            ('{"id": "x"}', ExitCode.USAGE, "$.name"),
            ("[]", ExitCode.USAGE, "$"),
            (b'{"id": "\xc3("}', ExitCode.USAGE, "UTF-8"),
        ],
    )
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_file_that_is_not_an_establishment_is_explained(
        self,
        content: str | bytes,
        code: ExitCode,
        fragment: str,
        lang: str,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
    ) -> None:
        """Invalid JSON, missing fields, the wrong shape, bad bytes: status 2 and why."""
        path = tmp_path / "b.json"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        result = run(capsys, "check", str(path), "--lang", lang)
        assert_explained(result, code, lang, fragment)
        assert result.out == ""

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_missing_file_or_a_folder_is_explained(
        self, lang: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A file that does not exist, or a folder given as a file: status 2, naming it."""
        missing = run(capsys, "check", str(tmp_path / "nope.json"), "--lang", lang)
        assert_explained(missing, ExitCode.USAGE, lang, "nope.json")
        folder = run(capsys, "check", str(tmp_path), "--lang", lang)
        assert_explained(folder, ExitCode.USAGE, lang, str(tmp_path))

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_gap_in_the_law_is_status_3_with_the_document(
        self, lang: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A sector 235/2025 may not list is not configured today: no decision (3), naming the
        parameter, what it means, and how to supply it."""
        path = write(tmp_path / "o.json", coop(sectors=["other"]))
        result = run(capsys, "check", str(path), "--lang", lang)
        hint = "--overlay"
        assert_explained(result, ExitCode.NOT_CONFIGURED, lang, "unlisted_sectors_excluded", hint)
        assert result.out == ""

    def test_a_date_before_the_rules_is_status_3(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A date before the rules' coverage cannot be decided: status 3, with the coverage."""
        path = write(tmp_path / "e.json", coop(location={"map_id": "2021-11", "code": "07525"}))
        result = run(capsys, "check", str(path), "--date", "2010-01-01", "--lang", "en")
        assert_explained(result, ExitCode.NOT_CONFIGURED, "en", "2010-01-01", "from 2012-07-05")

    def test_today_is_the_default_date(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Without ``--date`` the decision is today's, and it is decided (not exit 2)."""
        path = write(tmp_path / "e.json", coop())
        result = run(capsys, "check", str(path), "--lang", "en")
        assert result.code == 0
        assert f"on {dt.date.today().isoformat()}: YES" in result.out  # noqa: DTZ011


class TestValidate:
    def test_the_bundled_sample_is_clean_and_summarised(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With no file, the bundled sample is validated: what it holds, and no problems."""
        result = run(capsys, "validate")
        assert result.code == 0
        assert "Cơ sở" in result.out
        assert "Không phát hiện lỗi." in result.out

    def test_every_problem_of_a_bad_file_is_listed_in_english(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file with problems exits 1 and lists each problem with its path."""
        data = json.loads(SAMPLE_DATASET.read_text(encoding="utf-8"))
        data["establishments"][0]["employees"] = -5
        data["support_records"][0]["establishment_id"] = "NOBODY"
        bad = write(tmp_path / "bad.json", data)
        result = run(capsys, "validate", str(bad), "--lang", "en")
        assert result.code == 1
        assert "2 problem(s) found" in result.out
        assert "$.establishments[0].employees: must not be negative" in result.out
        assert "$.support_records[0].establishment_id" in result.out

    def test_many_problems_of_a_file_are_listed_up_to_a_limit_then_grouped(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An exporter's one mistake in 300 records lists 20 problems, then every problem
        grouped by where it is (positions as ``[*]``) and its reason; ``--json`` and
        ``--max-problems 0`` keep every one."""
        data = json.loads(SAMPLE_DATASET.read_text(encoding="utf-8"))
        first = data["support_records"][0]
        data["support_records"] += [
            dict(first, id=f"X{i}", delivered_on="2020-02-31") for i in range(300)
        ]
        bad = write(tmp_path / "bad.json", data)
        result = run(capsys, "validate", str(bad), "--lang", "en")
        assert result.code == 1
        assert len([ln for ln in result.out.splitlines() if ln.startswith("  - $.")]) == 21
        assert "… and 280 more problems not listed." in result.out
        assert "  - $.support_records[*].delivered_on: " in result.out
        assert (
            "— 300 times, $.support_records[4].delivered_on to "
            "$.support_records[303].delivered_on" in result.out
        )
        every = run(capsys, "validate", str(bad), "--max-problems", "0")
        assert len([ln for ln in every.out.splitlines() if ln.startswith("  - $.")]) == 300
        listed = json.loads(run(capsys, "validate", str(bad), "--json").out)
        assert len(listed[0]["problems"]) == 300

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_an_unreadable_file_is_explained_and_the_others_still_read(
        self, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A missing file is reported on standard error (status 2); the sample is still read."""
        result = run(
            capsys, "validate", str(tmp_path / "missing.json"), str(SAMPLE_DATASET), "--lang", lang
        )
        assert_explained(result, ExitCode.USAGE, lang, "missing.json")
        assert str(SAMPLE_DATASET) in result.out

    def test_json_is_one_object_per_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``--json`` prints, for each file, its counts and its problems as the converter
        writes them."""
        bad = write(tmp_path / "bad.json", {"establishments": [{"id": "x"}]})
        result = run(capsys, "validate", str(SAMPLE_DATASET), str(bad), "--json")
        assert result.code == 1
        assert json.loads(result.out) == [
            reading_data(read_dataset(SAMPLE_DATASET)),
            reading_data(read_dataset(bad)),
        ]


class TestUnitsCommand:
    def test_find_works_without_diacritics(self, capsys: pytest.CaptureFixture[str]) -> None:
        """'luc ngan' finds Huyện Lục Ngạn on the 2021 map."""
        result = run(capsys, "units", "find", "luc ngan", "--map", "2021-11")
        assert result.code == 0
        assert "219  Huyện Lục Ngạn, Tỉnh Bắc Giang  [huyện; bản đồ 11/2021]" in result.out

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_nothing_found_is_status_1_with_a_hint(
        self, lang: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A name that matches no unit exits 1 and says what to try."""
        result = run(capsys, "units", "find", "atlantis", "--lang", lang)
        assert_explained(result, ExitCode.NO, lang, "atlantis", "--map")

    def test_reform_says_a_name_was_kept_not_that_a_unit_became_itself(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Thị trấn Chũ (2021) was Phường Chũ in July 2025 and lies in the new Phường Chũ,
        which kept the name: never "Phường Chũ became part of Phường Chũ"."""
        en = run(capsys, "units", "reform", "07525", "--lang", "en")
        assert en.code == 0
        assert "On the July 2025 map it is Phường Chũ (code 07525)." in en.out
        assert "lies in the new Phường Chũ, which kept its name" in en.out
        assert "became part of Phường Chũ" not in en.out
        vi = run(capsys, "units", "reform", "07525")
        assert "vẫn giữ tên (theo danh sách sáp nhập xã)" in vi.out
        assert "merger" not in vi.out

    def test_reform_of_a_renamed_province_says_it_became_part(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Tỉnh Bắc Giang became part of Tỉnh Bắc Ninh."""
        result = run(capsys, "units", "reform", "24", "--lang", "en")
        assert "Tỉnh Bắc Giang became part of Tỉnh Bắc Ninh" in result.out

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_district_cannot_be_mapped_and_lists_where_its_communes_went(
        self, lang: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Districts were abolished: status 1, the new units listed, how to proceed."""
        result = run(capsys, "units", "reform", "219", "--lang", lang)
        assert_explained(result, ExitCode.NO, lang, "219", "07582  Xã Lục Ngạn")

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_an_unknown_code_is_explained_with_the_map_that_has_it(
        self, lang: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Code 219 is not on the post-reform map but is on the older ones: status 2, and the
        hint names them; a code no map has says how codes are written."""
        other = run(capsys, "units", "show", "219", "--lang", lang)
        assert_explained(other, ExitCode.USAGE, lang, "--map 2021-11, 2025-07")
        nowhere = run(capsys, "units", "show", "99999", "--lang", lang)
        assert_explained(nowhere, ExitCode.USAGE, lang, "99999", "units find")
        assert "map_for()" not in nowhere.err
        assert "find()" not in nowhere.err

    def test_an_unknown_map_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The map must be one of the packaged maps; the error lists them."""
        result = run(capsys, "units", "show", "24", "--map", "1999")
        assert_explained(result, ExitCode.USAGE, "vi", "1999", "2025-reform")

    def test_json_is_what_the_converter_writes(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--json``: a list of units for find, a unit for show, a mapping for reform."""
        units = load_map(MapId.MAP_2021)
        found = run(capsys, "units", "find", "luc ngan", "--map", "2021-11", "--json")
        assert json.loads(found.out) == [unstructure(u) for u in units.find("luc ngan")]
        shown = run(capsys, "units", "show", "07525", "--map", "2021-11", "--json")
        assert json.loads(shown.out) == unstructure(units.get("07525"))
        mapped = run(capsys, "units", "reform", "07525", "--json")
        expected = unstructure(to_reform(UnitRef(MapId.MAP_2021, "07525")))
        assert json.loads(mapped.out) == expected


class TestReportCommand:
    def test_the_example_in_both_languages(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``report --example`` prints the Bắc Giang report, Vietnamese or English."""
        vi = run(capsys, "report", "--example")
        en = run(capsys, "report", "--example", "--lang", "en")
        assert (vi.code, en.code, vi.err, en.err) == (0, 0, "", "")
        assert "52 hợp tác xã" in vi.out
        assert "52 cooperatives" in en.out

    def test_json_is_the_reports_data(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--json`` prints exactly the data of the report the text is made from."""
        result = run(capsys, "report", "--example", "--json")
        folder = example_path()
        report = build_report(
            load_example(), load_report_config(folder), charts=False, targets=None
        )
        data = json.loads(result.out)
        assert result.code == 0
        assert data["results"] == json.loads(json.dumps(report.to_data()))["results"]
        assert data["title"] == report.title

    def test_a_store_without_a_form_says_what_it_counted(
        self, example_db: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A store holds every legal form: 56 establishments, not the demo's 52 cooperatives,
        and standard error says so form by form, with how to count cooperatives only."""
        every = run(capsys, "report", "--store", example_db, "--from", "2017", "--to", "2020")
        assert every.code == 0
        assert "56 cơ sở" in every.out
        assert "56 cơ sở được hỗ trợ, theo loại hình: hợp tác xã: 52" in every.err
        assert "--legal-form cooperative" in every.err
        coops = run(
            capsys,
            "report",
            "--store",
            example_db,
            "--from",
            "2017",
            "--to",
            "2020",
            "--legal-form",
            "cooperative",
        )
        assert (coops.code, coops.err) == (0, "")
        assert "52 hợp tác xã" in coops.out

    @pytest.mark.postgres
    def test_a_postgresql_store_reports_as_an_sqlite_one(
        self, example_db: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The command opens a store read-only; a PostgreSQL one gives the SQLite report, word
        for word (its unit breakdowns once needed a temporary table, which a read-only
        transaction may not create: exit 4)."""
        db = PostgresSchema(postgres_url())
        try:
            store_dataset(db.store, load_example().to_dataset())
            period = ("--from", "2017", "--to", "2020", "--lang", "en")
            on_pg = run(capsys, "report", "--store", db.store_url, *period)
            on_sqlite = run(capsys, "report", "--store", example_db, *period)
        finally:
            db.drop()
        assert on_pg.code == 0, on_pg.err
        assert (on_pg.out, on_pg.err) == (on_sqlite.out, on_sqlite.err)
        assert re.search(r"\| Lục Ngạn district \| \d+ \|", on_pg.out)  # a unit breakdown

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_bad_input_is_explained(
        self, lang: str, example_db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A store that does not exist, no phase, a config that is a number, a province that is
        not one, a folder that does not exist: status 2, each with its reason."""
        number = write(tmp_path / "n.json", "5")
        cases = [
            (["--store", f"sqlite:///{tmp_path}/none.db", "--from", "2017"], "none.db"),
            (["--store", example_db], "--from/--to"),
            (["--store", example_db, "--config", str(number)], "n.json"),
            (["--store", example_db, "--from", "2019", "--province", "219"], "219"),
            (["--store", example_db, "--from", "2019", "--province", "999"], "999"),
            (["--data", str(tmp_path / "nothing")], "nothing"),
        ]
        for argv, fragment in cases:
            result = run(capsys, "report", *argv, "--lang", lang)
            assert_explained(result, ExitCode.USAGE, lang, fragment)
            assert result.out == ""
        assert not (tmp_path / "none.db").exists()

    def test_a_dataset_file_is_a_source(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """``--data FILE.json`` reports on a dataset file, with the phase from the options."""
        result = run(
            capsys, "report", "--data", str(SAMPLE_DATASET), "--from", "2019", "--to", "2019"
        )
        assert result.code == 0
        assert result.out.startswith("# Báo cáo kết quả hoạt động khuyến công")


class TestImport:
    def test_a_clean_file_is_validated_and_stored(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A clean CSV is stored in one unit of work when a store is given; without one, a note
        on standard error says nothing was stored."""
        ds = load_dataset(SAMPLE_DATASET)
        path = tmp_path / "co-so.csv"
        write_csv(ds.establishments, path, "establishments")
        url = f"sqlite:///{tmp_path / 's.db'}"
        checked = run(capsys, "import", str(path), "--kind", "establishments", "--lang", "en")
        assert checked.code == 0
        assert "Nothing stored (no --store given)." in checked.err
        stored = run(capsys, "import", str(path), "--kind", "establishments", "--store", url)
        assert stored.code == 0
        assert f"Đã lưu 4 bản ghi vào {url}." in stored.out
        with open_store(url) as store:
            assert store.establishments.count() == 4

    def test_a_file_with_a_bad_row_imports_nothing_unless_asked(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """One bad row stops the import (status 1, why on standard error); --valid-only
        imports the rest and still exits 1."""
        path = write(
            tmp_path / "co-so.csv",
            "Mã cơ sở,Tên cơ sở,Loại hình,Ngành nghề,Mã đơn vị hành chính,Số lao động\n"
            "A,HTX A,cooperative,handicrafts,07525,3\n"
            "B,HTX B,cooperative,handicrafts,07525,-3\n",
        )
        url = f"sqlite:///{tmp_path / 's.db'}"
        args = ["import", str(path), "--kind", "establishments", "--map", "2021-11"]
        refused = run(capsys, *args, "--store", url)
        assert_explained(refused, ExitCode.NO, "vi", "--valid-only")
        assert "dòng 3, cột 'Số lao động': không được là số âm (giá trị: -3)" in refused.out
        with open_store(url) as store:
            assert store.establishments.count() == 0
        assert run(capsys, *args, "--store", url, "--valid-only").code == 1
        with open_store(url) as store:
            assert [e.id for e in store.establishments] == ["A"]
        again = run(capsys, *args, "--store", url, "--valid-only", "--lang", "en")
        assert_explained(again, ExitCode.STORE, "en", "A", "already holds")

    def test_the_summary_counts_data_rows_not_the_header(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A problem of the header row (an unknown column) is listed, but the summary counts
        data rows only: one data row, bad, is "0 of 1 … 1 with problems", not 2."""
        path = write(
            tmp_path / "co-so.csv",
            "Mã cơ sở,Tên cơ sở,Loại hình,Ngành nghề,Mã đơn vị hành chính,Số lao động,Thừa\n"
            "B,HTX B,cooperative,handicrafts,07525,-3,x\n",
        )
        args = ["import", str(path), "--kind", "establishments", "--map", "2021-11"]
        vi = run(capsys, *args)
        assert "0/1 dòng dữ liệu hợp lệ, 1 dòng có lỗi." in vi.out
        assert "dòng 1, cột 'Thừa'" in vi.out
        en = run(capsys, *args, "--lang", "en")
        assert "0 of 1 data rows valid, 1 with problems." in en.out

    @staticmethod
    def _bad_dates(tmp_path: Path, rows: int) -> Path:
        """Establishments of which every third row has a negative headcount and every other
        row an impossible founding date (a cell that cannot be read stops its row's checks)."""
        header = "Mã cơ sở,Tên cơ sở,Loại hình,Ngành nghề,Mã đơn vị hành chính,Số lao động"
        lines = [header + ",Ngày thành lập"]
        for i in range(rows):
            workers, founded = (-3, "15/03/2019") if i % 3 == 0 else (3, "31/02/2020")
            lines.append(f"E{i},HTX {i},cooperative,handicrafts,07525,{workers},{founded}")
        return write(tmp_path / "co-so.csv", "\n".join(lines) + "\n")

    def test_many_problems_are_listed_up_to_a_limit_then_grouped(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A systematic mistake in 300 rows lists 20 problems, then every problem grouped by
        column and reason with its rows as ranges, and says how to see each; it does not
        print 300 lines."""
        path = self._bad_dates(tmp_path, 300)
        args = ["import", str(path), "--kind", "establishments", "--map", "2021-11"]
        vi = run(capsys, *args)
        assert vi.code == ExitCode.NO
        listed = [line for line in vi.out.splitlines() if line.startswith("  - dòng ")]
        assert len(listed) == 20
        assert "… và 280 lỗi khác không in ra." in vi.out
        assert (
            "  - cột 'Số lao động': không được là số âm (giá trị ở dòng đầu tiên: -3) — 100 dòng:"
            " 2, 5, 8, 11, 14, 17, 20, 23, 26, 29, và 90 dòng khác\n"
        ) in vi.out
        assert (
            "  - cột 'Ngày thành lập': phải là ngày có thật: 2019-03-15 hoặc 15/03/2019 "
            "(giá trị ở dòng đầu tiên: '31/02/2020') — 200 dòng: 3–4, 6–7, 9–10,"
        ) in vi.out
        assert "--problems TỆP.csv" in vi.err
        en = run(capsys, *args, "--lang", "en", "--max-problems", "1")
        assert "… and 299 more problems not listed." in en.out
        assert "must not be negative (got -3 in the first) — 100 rows: 2, 5, 8," in en.out
        assert "  … and 1 more kinds of problem." in en.out  # one group shown of two
        assert "31/02/2020" not in en.out.split("not listed.")[1]
        every = run(capsys, *args, "--max-problems", "0")
        assert len([ln for ln in every.out.splitlines() if ln.startswith("  - dòng ")]) == 300
        assert "lỗi khác" not in every.out

    def test_every_problem_can_be_written_to_a_table(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--problems FILE writes every problem (row, column, value, reason) as a CSV table
        with a byte-order mark; a clean file leaves the header alone, so no earlier run's
        problems remain; the file being imported is never overwritten."""
        path = self._bad_dates(tmp_path, 30)
        out = tmp_path / "loi.csv"
        args = ["import", str(path), "--kind", "establishments", "--map", "2021-11"]
        result = run(capsys, *args, "--problems", str(out), "--lang", "en")
        assert result.code == ExitCode.NO
        assert f"Wrote 30 problems to {out}." in result.err
        assert "--problems FILE.csv" not in result.err  # no hint: the table has them all
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0] == ["Row", "Column", "Value", "Problem"]  # in the language chosen
        assert len(rows) == 31
        assert rows[1][:3] == ["2", "Số lao động", "-3"]
        clean = tmp_path / "sach.csv"
        write_csv(load_dataset(SAMPLE_DATASET).establishments, clean, "establishments")
        args_clean = ["import", str(clean), "--kind", "establishments"]
        again = run(capsys, *args_clean, "--problems", str(out))
        assert again.code == 0
        assert out.read_bytes().decode("utf-8-sig") == "Dòng,Cột,Giá trị,Lỗi\r\n"
        itself = run(capsys, *args, "--problems", str(path), "--lang", "en")
        assert_explained(itself, ExitCode.USAGE, "en", "is the file being imported")
        assert path.read_text(encoding="utf-8").startswith("Mã cơ sở")

    @pytest.mark.parametrize("value", ["-1", "x", "1.5"])
    def test_the_problem_limit_is_a_whole_number(
        self, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--max-problems takes 0 or more; anything else is a usage error naming it."""
        path = self._bad_dates(tmp_path, 2)
        result = run(
            capsys, "import", str(path), "--kind", "establishments", "--max-problems", value
        )
        assert result.code == ExitCode.USAGE
        assert f"--max-problems: “{value}” không phải số nguyên từ 0 trở lên" in result.err

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_the_store_is_opened_before_the_file_is_read(
        self, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A store URL that cannot be opened fails first (status 4): no row was read."""
        ds = load_dataset(SAMPLE_DATASET)
        path = tmp_path / "co-so.csv"
        write_csv(ds.establishments, path, "establishments")
        result = run(
            capsys,
            "import",
            str(path),
            "--kind",
            "establishments",
            "--store",
            "bogus://x",
            "--lang",
            lang,
        )
        assert_explained(result, ExitCode.STORE, lang, "bogus")
        assert result.out == ""

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_an_unreadable_file_is_explained(
        self, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A missing file, or a CSV that is not UTF-8: status 2 with the reason."""
        missing = run(
            capsys, "import", str(tmp_path / "none.csv"), "--kind", "establishments", "--lang", lang
        )
        assert_explained(missing, ExitCode.USAGE, lang, "none.csv")
        latin = tmp_path / "latin.csv"
        latin.write_bytes("Mã,Tên\nA,Hợp tác xã\n".encode("cp1252", "replace"))
        bad = run(capsys, "import", str(latin), "--kind", "establishments", "--lang", lang)
        assert_explained(bad, ExitCode.USAGE, lang, "UTF-8")

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_file_that_cannot_be_read_is_named_not_shown_as_data(
        self, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A workbook that is not one (or a CSV that is not UTF-8) is refused with status 2,
        naming the file itself: not "the data is not valid" with a ``$:`` path."""
        for name, content in (("bad.xlsx", b"not a zip"), ("latin.csv", b"M\xe3,T\xean\n")):
            path = tmp_path / name
            path.write_bytes(content)
            result = run(capsys, "import", str(path), "--kind", "establishments", "--lang", lang)
            assert_explained(result, ExitCode.USAGE, lang, f"khuyencong import: {path}: ")
            assert "$:" not in result.err
            with language(lang):  # type: ignore[arg-type]
                assert text("cli.error.invalid", count=1) not in result.err

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_file_over_a_limit_says_how_to_raise_it(
        self, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A table longer than --max-rows is refused before it is read further (status 2, not
        1: no row was refused), naming the file and the option; a higher limit reads it."""
        rows = "".join(f"HTX-{n},HTX {n},cooperative,handicrafts,07525,3\n" for n in range(12))
        path = write(
            tmp_path / "dai.csv",
            "Mã cơ sở,Tên cơ sở,Loại hình,Ngành nghề,Mã đơn vị hành chính,Số lao động\n" + rows,
        )
        args = ["import", str(path), "--kind", "establishments", "--map", "2021-11"]
        refused = run(capsys, *args, "--max-rows", "5", "--lang", lang)
        assert_explained(refused, ExitCode.USAGE, lang, f"{path}: ", "--max-rows")
        assert refused.out == ""
        assert run(capsys, *args, "--max-rows", "13").code == ExitCode.OK
        wrong = run(capsys, *args, "--max-rows", "0", "--lang", lang)
        assert_explained(wrong, ExitCode.USAGE, lang, "--max-rows")


class TestTemplate:
    def test_the_template_is_written_and_not_overwritten_without_force(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The template is written once; again is refused (2) until ``--force``."""
        path = tmp_path / "mau.xlsx"
        first = run(capsys, "template", str(path))
        assert (first.code, first.out) == (0, f"Đã ghi mẫu nhập liệu: {path}\n")
        before = path.read_bytes()
        again = run(capsys, "template", str(path), "--lang", "en")
        assert_explained(again, ExitCode.USAGE, "en", "already exists", "--force")
        assert path.read_bytes() == before
        forced = run(capsys, "template", str(path), "--force", "--lang", "en")
        assert (forced.code, forced.out) == (0, f"Wrote the import template: {path}\n")

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_missing_folder_or_a_folder_is_explained(
        self, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A folder that does not exist, or a folder as the file: status 2, nothing written."""
        missing = run(capsys, "template", str(tmp_path / "no" / "mau.xlsx"), "--lang", lang)
        assert_explained(missing, ExitCode.USAGE, lang, str(tmp_path / "no"))
        folder = run(capsys, "template", str(tmp_path), "--lang", lang)
        assert_explained(folder, ExitCode.USAGE, lang, str(tmp_path))

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_missing_extra_names_the_pip_command(
        self,
        lang: str,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Without openpyxl: one line with the exact ``pip install "khuyencong[excel]"`` (5)."""
        monkeypatch.setitem(sys.modules, "openpyxl", None)
        result = run(capsys, "template", str(tmp_path / "mau.xlsx"), "--lang", lang)
        assert_explained(result, ExitCode.MISSING_EXTRA, lang, 'pip install "khuyencong[excel]"')
        assert len(result.err.strip().splitlines()) == 1

    def test_the_extra_is_found_from_the_missing_module(self) -> None:
        """The extra comes from the module's name, or from the library's message."""
        assert extra_for(ModuleNotFoundError("x", name="pandas")) == "pandas"
        assert extra_for(ImportError("needs pip install 'khuyencong[charts]'")) == "charts"
        assert extra_for(ImportError("nothing of ours")) is None


class TestExport:
    def test_csv_round_trips_through_import(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Establishments exported as CSV import back, every row valid."""
        path = tmp_path / "co-so.csv"
        written = run(capsys, "export", "csv", str(path), "--kind", "establishments", "--example")
        assert (written.code, written.out) == (0, f"Đã ghi 56 cơ sở vào {path}.\n")
        back = run(capsys, "import", str(path), "--kind", "establishments", "--lang", "en")
        assert back.code == 0
        assert "56 of 56 data rows valid, 0 with problems" in back.out

    def test_excel_keeps_text_that_looks_like_a_formula_as_text(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A name beginning with "=" is written as text, never as a formula, and reads back."""
        openpyxl = pytest.importorskip("openpyxl")
        est = Establishment(
            id="X-1",
            name="=1+1",
            legal_form=LegalForm.COOPERATIVE,
            location=UnitRef(MapId.MAP_2021, "07525"),
            sectors=(Sector.HANDICRAFTS,),
        )
        data = write(tmp_path / "d.json", json.loads(dumps(Dataset(establishments=(est,)))))
        path = tmp_path / "co-so.xlsx"
        result = run(
            capsys, "export", "xlsx", str(path), "--kind", "establishments", "--data", str(data)
        )
        assert result.code == 0
        cell = openpyxl.load_workbook(path).active["B2"]
        assert (cell.value, cell.data_type) == ("=1+1", "s")

    def test_other_kinds_are_flat_tables(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Projects (not importable) are written as flat columns."""
        path = tmp_path / "de-an.csv"
        result = run(capsys, "export", "csv", str(path), "--kind", "projects", "--example")
        assert result.code == 0
        assert path.read_text(encoding="utf-8-sig").startswith("id,title,kind,")

    def test_360giving_and_iati(
        self, example_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """360Giving grants from a store; IATI results from the example's targets."""
        grants = tmp_path / "grants.json"
        giving = run(
            capsys,
            "export",
            "360giving-json",
            str(grants),
            "--data",
            str(SAMPLE_DATASET),
            "--prefix",
            "360G-khuyencong-bacgiang-",
            "--funder-name",
            "Trung tâm Khuyến công Bắc Giang",
            "--lang",
            "en",
        )
        # Two of the sample's support records are delivered under its one-establishment
        # projects, whose grants already carry that money: 3 grants, not 5.
        assert (giving.code, giving.out) == (0, f"Wrote 3 grants (360Giving) to {grants}.\n")
        funders = json.loads(grants.read_text(encoding="utf-8"))["grants"][0]
        assert funders["fundingOrganization"][0]["id"] == "360G-khuyencong-bacgiang"
        results = tmp_path / "results.xml"
        iati = run(
            capsys,
            "export",
            "iati-xml",
            str(results),
            "--store",
            example_db,
            "--config",
            str(example_path() / "report.json"),
            "--targets",
            str(example_path() / "targets.toml"),
        )
        assert iati.code == 0
        assert results.read_text(encoding="utf-8").startswith('<result type="1">')

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_the_example_exports_as_360giving_naming_the_group_projects_left_out(
        self, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Group projects are published as their records; fair projects have none and are named."""
        grants = tmp_path / "grants.csv"
        result = run(
            capsys,
            "export",
            "360giving-csv",
            str(grants),
            "--example",
            "--prefix",
            "360G-khuyencong-bacgiang-",
            "--funder-name",
            "Trung tâm Khuyến công Bắc Giang",
            "--lang",
            lang,
        )
        assert result.code == 0
        assert result.out.startswith({"vi": "Đã ghi 60 ", "en": "Wrote 60 "}[lang])
        head = {"vi": "Không xuất 4 đề án nhóm", "en": "Left out 4 group project(s)"}[lang]
        assert result.err.startswith(head)
        assert [line.split()[3 if lang == "vi" else 2] for line in result.err.splitlines()[1:]] == [
            "DA-2017-HC",
            "DA-2018-HC",
            "DA-2019-HC",
            "DA-2020-HC",
        ]

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_missing_options_and_files_are_explained(
        self, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """No --kind, no 360Giving prefix, a file that exists, a missing folder, no targets:
        status 2 each, before anything is written."""
        exists = write(tmp_path / "exists.csv", "x")
        cases = [
            (["csv", str(tmp_path / "a.csv"), "--example"], "--kind"),
            (["360giving-json", str(tmp_path / "g.json"), "--example"], "--prefix"),
            (["csv", str(exists), "--kind", "projects", "--example"], "--force"),
            (["csv", str(tmp_path / "no" / "a.csv"), "--kind", "projects", "--example"], "no"),
            (["iati-json", str(tmp_path / "r.json"), "--data", str(SAMPLE_DATASET)], "--from"),
            (
                ["iati-json", str(tmp_path / "r.json"), "--example", "--from", "2019"],
                "--targets",
            ),
        ]
        for argv, fragment in cases:
            result = run(capsys, "export", *argv, "--lang", lang)
            assert_explained(result, ExitCode.USAGE, lang, fragment)
        assert exists.read_text(encoding="utf-8") == "x"
        assert not (tmp_path / "a.csv").exists()


class TestDemo:
    def test_demo_prints_the_checks_and_the_report(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`khuyencong demo` loads the example into SQLite and prints checks and report."""
        result = run(capsys, "demo", "--db", str(tmp_path / "d.db"), "--lang", "en")
        assert result.code == 0
        assert f"Loaded {EXAMPLE_DB_RECORDS} records" in result.out
        assert "Checked 27 example projects" in result.out
        assert "52 cooperatives" in result.out

    def test_the_default_store_is_in_the_cache_and_rebuilt(
        self, own_cache: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without --db the store is the demo's own file in the cache folder; a second run
        replaces it (no error, no second file)."""
        first = run(capsys, "demo", "--example", "bac-ninh-2026")
        second = run(capsys, "demo", "--example", "bac-ninh-2026")
        store = own_cache / "demo" / "bac-ninh-2026.db"
        assert (first.code, second.code) == (0, 0)
        assert f"vào {store}" in first.out.splitlines()[0]
        assert sorted(p.name for p in store.parent.iterdir()) == ["bac-ninh-2026.db"]

    def test_demo_writes_html_alone_on_standard_output(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--format html` prints the HTML page only; where the store is goes to stderr."""
        result = run(
            capsys, "demo", "--db", str(tmp_path / "d.db"), "--format", "html", "--no-charts"
        )
        assert result.code == 0
        assert result.out.startswith("<!DOCTYPE html>")
        assert "d.db" in result.err

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_store_that_holds_the_example_is_refused(
        self, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A --db file that already holds the example is not mixed with it (status 4)."""
        path = str(tmp_path / "d.db")
        assert run(capsys, "demo", "--db", path).code == 0
        again = run(capsys, "demo", "--db", path, "--lang", lang)
        assert_explained(again, ExitCode.STORE, lang, "BG-")

    def test_an_unknown_example_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The example must be one that ships; the error lists them."""
        result = run(capsys, "demo", "--example", "ha-noi-2030")
        assert_explained(result, ExitCode.USAGE, "vi", "bac-ninh-2026")


class TestFailures:
    def _crash(self, monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
        def broken(*_: object, **__: object) -> object:
            raise exc

        monkeypatch.setattr(units_module, "load_map", broken)

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_an_unexpected_error_is_one_line_and_please_report(
        self, lang: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A defect: status 70, the error in one line, a request to report it, no traceback."""
        self._crash(monkeypatch, ZeroDivisionError("division by zero"))
        result = run(capsys, "units", "show", "24", "--lang", lang)
        assert_explained(result, ExitCode.INTERNAL, lang, "ZeroDivisionError", "--debug")
        assert len(result.err.strip().splitlines()) == 2

    def test_debug_shows_the_traceback(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``--debug`` (anywhere) or ``KHUYENCONG_DEBUG=1`` adds the traceback."""
        self._crash(monkeypatch, ZeroDivisionError("division by zero"))
        flagged = run(capsys, "--debug", "units", "show", "24")
        assert flagged.code == ExitCode.INTERNAL
        assert "Traceback" in flagged.err
        monkeypatch.setenv("KHUYENCONG_DEBUG", "1")
        assert "Traceback" in run(capsys, "units", "show", "24").err

    def test_ctrl_c_stops_quietly_with_130(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Ctrl+C ends the command with status 130 and one line, no traceback."""
        self._crash(monkeypatch, KeyboardInterrupt())
        result = run(capsys, "units", "show", "24", "--lang", "en")
        assert_explained(result, ExitCode.INTERRUPTED, "en", "stopped")

    def test_a_closed_pipe_ends_the_output_quietly(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """`khuyencong demo | head` stops without a traceback when head closes the pipe."""
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader has gone away: every write now fails with EPIPE
        closed = os.fdopen(write_end, "w", buffering=1)
        monkeypatch.setattr(sys, "stdout", closed)
        try:
            assert main(["demo", "--db", str(tmp_path / "d.db")]) == 0
        finally:
            closed.close()


class TestConsole:
    def _python(self, *argv: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, "PYTHONIOENCODING": encoding, "LANG": "C", "LC_ALL": "C"}
        env.pop("KHUYENCONG_LANG", None)
        return subprocess.run(
            [sys.executable, "-m", "khuyencong", *argv], capture_output=True, env=env, check=False
        )

    def test_a_console_that_cannot_show_vietnamese_gets_plain_letters(self) -> None:
        """On an ASCII console, Vietnamese loses its marks instead of ending the command."""
        result = self._python("units", "reform", "07525", encoding="ascii")
        assert result.returncode == 0
        assert b"Thi tran Chu, Huyen Luc Ngan, Tinh Bac Giang" in result.stdout
        assert b"-> 07525  Phuong Chu" in result.stdout
        assert b"Traceback" not in result.stderr

    def test_failures_on_such_a_console_are_still_explained(self, tmp_path: Path) -> None:
        """The failure message reaches an ASCII console too, with its status."""
        result = self._python("check", str(tmp_path / "nope.json"), encoding="ascii")
        assert result.returncode == ExitCode.USAGE
        assert b"khong tim thay tep" in result.stderr
        assert b"Traceback" not in result.stderr

    @given(st.text())
    def test_any_text_can_be_written_to_an_ascii_console(self, text: str) -> None:
        """The plain-letter handler gives ASCII for any text (surrogates aside)."""
        clean = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        plain = clean.encode("ascii", PLAIN_ERRORS).decode("ascii")
        assert plain.isascii()
        if clean.isascii():
            assert plain == clean

    def test_the_progress_bar_has_a_rate_and_time_left_and_is_not_redrawn_per_row(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """On a terminal, the bar shows the rate and the time left, and 10,000 rows do not
        redraw it 10,000 times."""
        pytest.importorskip("tqdm")

        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        terminal = Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        with progress_bar("rows") as show:
            assert show is not None
            for done in range(1, 10_001):
                show(done, 10_000)
        drawn = terminal.getvalue()
        assert "rows/s" in drawn
        assert "<" in drawn  # elapsed<remaining
        assert drawn.count("\r") < 100

    def test_without_a_terminal_there_is_no_bar(self) -> None:
        """When standard error is not a terminal (a log, a pipe), nothing is drawn."""
        with progress_bar("rows") as show:
            assert show is None


class TestExplain:
    @pytest.mark.parametrize(
        ("exc", "code"),
        [
            (NotConfiguredError("support.local.machinery.rate", TODAY, "QĐ 1"), 3),
            (CoverageError("eligibility.beneficiary_forms", TODAY, "2012-07-05 to 2020-01-01"), 3),
            (ContentNotInForceError("digital_transformation", TODAY, "45/2012/NĐ-CP"), 3),
            (RuleConflictError("eligibility", ["a", "b"]), 3),
            (DuplicateIdError("support record", "SR-1"), 4),
            (FileFormatError.at("a.csv", "$", "not UTF-8"), 2),
            (InputLimitError([Problem("$", "b")], source="a.csv", limit="max_rows", maximum=9), 2),
            (FileWriteError("out/a.csv", "cannot write out/a.csv"), 2),
            (SchemaVersionError("schema 9 is newer than this library"), 4),
            (StoreError("cannot open"), 4),
            (ValidationError.single("$.members", -1, "must not be negative"), 2),
            (DataFileError("overlay.toml", [Problem("$.values[0]", "no parameter")]), 2),
            (NotFoundError("example", "x"), 2),
            (ConfigurationError("two layers overlap"), 2),
            (UnitMappingError("07525", "split"), 1),
            (IllegalTransitionError("project", "draft", "settled", ["submitted"]), 2),
            (PermissionError(13, "Permission denied", "a.db"), 2),
            (IsADirectoryError(21, "Is a directory", "folder"), 2),
            (NotADirectoryError(20, "Not a directory", "a/b"), 2),
            (OSError(28, "No space left on device", "out.csv"), 2),
            (json.JSONDecodeError("Expecting value", "x", 0), 2),
            (UnicodeDecodeError("utf-8", b"\xc3", 0, 1, "invalid continuation byte"), 2),
            (ModuleNotFoundError("No module named 'psycopg'", name="psycopg"), 5),
        ],
    )
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_every_error_a_user_can_cause_has_its_status_and_message(
        self, exc: BaseException, code: int, lang: str
    ) -> None:
        """Each library error, file error and missing extra maps to its documented status
        and a message in the chosen language."""
        with language(lang):  # type: ignore[arg-type]
            failure = explain(exc)
            assert failure is not None
            rendered = failure.render("khuyencong x")
        assert failure.code == code
        assert rendered.startswith("khuyencong x: ")
        if lang == "en":
            assert not VIETNAMESE_WORDS.search(rendered), rendered

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_file_that_cannot_be_written_names_its_folder_and_the_fix(
        self, lang: str, tmp_path: Path
    ) -> None:
        """A write refused by the library names the file and its folder, and says how to fix
        it: create a missing folder, or choose one that can be written."""
        with language(lang):  # type: ignore[arg-type]
            missing = explain(write_failure(tmp_path / "khong-co" / "a.csv"))
            refused = explain(
                FileWriteError(str(tmp_path / "a.csv"), f"cannot write {tmp_path / 'a.csv'}")
            )
            hints = text("cli.hint.no_folder"), text("cli.hint.write")
        assert missing is not None
        assert refused is not None
        assert (missing.code, refused.code) == (ExitCode.USAGE, ExitCode.USAGE)
        assert str(tmp_path / "khong-co") in missing.message
        assert str(tmp_path) in refused.message
        assert (missing.hint, refused.hint) == hints

    @pytest.mark.parametrize(
        "exc", [ZeroDivisionError(), ValueError("x"), ImportError("not ours"), RuntimeError()]
    )
    def test_anything_else_is_a_defect(self, exc: BaseException) -> None:
        """An error the library does not raise on purpose is not explained: it is a defect."""
        assert explain(exc) is None
