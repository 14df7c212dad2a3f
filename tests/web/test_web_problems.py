"""Every error of the library becomes one documented problem type, in the asked language."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from khuyencong.exceptions import (
    ContentNotInForceError,
    CoverageError,
    DuplicateIdError,
    FileFormatError,
    InputLimitError,
    KhuyenCongError,
    NotConfiguredError,
    NotFoundError,
    Problem,
    RuleConflictError,
    StoreError,
    UnitMappingError,
    ValidationError,
)
from khuyencong.messages import Text

pytest.importorskip("starlette")

from khuyencong.web import ProblemDetails, openapi_document
from khuyencong.web._problems import PROBLEM_TYPES, problem_for

DAY = dt.date(2026, 12, 7)
CASES = [
    (ValidationError.single("$.members", -1, "must not be negative"), 422, "validation"),
    (ContentNotInForceError("digital_transformation", DAY, "45/2012"), 422, "content-not-in-force"),
    (
        NotConfiguredError("support.local.brand.rate", DAY, "the province's decision"),
        501,
        "not-configured",
    ),
    (
        CoverageError("award.levels", dt.date(2000, 1, 1), "2014-10-21 to open end"),
        501,
        "not-covered",
    ),
    (UnitMappingError("07525", "split", ["07525", "07526"]), 422, "unit-mapping"),
    (RuleConflictError("award.prerequisite", ["a", "b"]), 422, "rule-conflict"),
    (NotFoundError("unit", "99999"), 404, "not-found"),
    (DuplicateIdError("establishment", "X-1"), 409, "duplicate"),
    (FileFormatError.at("/tmp/x/upload.xlsx", "$", "not a workbook"), 400, "unreadable-file"),
    (
        InputLimitError([Problem("row 6", "over")], source="u.csv", limit="max_rows", maximum=5),
        413,
        "input-limit",
    ),
    (StoreError("database is locked"), 503, "store-unavailable"),
    (KhuyenCongError("anything else the library refuses"), 422, "invalid-argument"),
    (ZeroDivisionError("a defect"), 500, "internal"),
]


class TestProblemFor:
    @pytest.mark.parametrize(("error", "status", "name"), CASES)
    def test_each_error_has_its_type_and_status(
        self, error: BaseException, status: int, name: str
    ) -> None:
        """The library's errors map to their documented types; a defect is a 500."""
        details = problem_for(error, "en")
        assert (details.status, details.type) == (status, f"/problems/{name}")
        assert PROBLEM_TYPES[name][0] == status

    @pytest.mark.parametrize(("error", "status", "name"), CASES)
    def test_titles_exist_in_both_languages(
        self, error: BaseException, status: int, name: str
    ) -> None:
        """The same problem reads in Vietnamese and in English."""
        vi, en = problem_for(error, "vi"), problem_for(error, "en")
        assert vi.title != en.title
        assert (vi.status, vi.type) == (en.status, en.type)

    def test_a_defect_shows_a_reference_not_its_trace(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        """An unexpected error is logged with its trace under a reference; the answer holds
        the reference only."""
        with caplog.at_level(logging.ERROR, logger="khuyencong.web"):
            details = problem_for(ZeroDivisionError("secret detail"), "en")
        assert details.reference is not None
        assert "secret detail" not in str(details.to_data())
        assert details.reference in caplog.text

    def test_details_speak_the_requests_language(self) -> None:
        """A date outside the rules, a content not yet in force and a lookup that finds
        nothing are told in the request's words: the coverage as a period, the content by its
        label, the kind of thing by its name; the machine-readable members stay as they are."""
        covered = CoverageError("award.levels", dt.date(2000, 1, 1), "2014-10-21 to open end")
        vi, en = problem_for(covered, "vi"), problem_for(covered, "en")
        assert "từ ngày 21/10/2014" in vi.detail
        assert "from 2014-10-21" in en.detail
        assert "open end" not in vi.detail
        assert vi.to_data()["coverage"] == "2014-10-21 to open end"
        content = ContentNotInForceError(
            "digital_transformation",
            DAY,
            "45/2012",
            Text("Chuyển đổi số", "Digital transformation"),
        )
        assert "“Chuyển đổi số”" in problem_for(content, "vi").detail
        assert "“Digital transformation”" in problem_for(content, "en").detail
        missing = NotFoundError("indicator", "nothing")
        assert problem_for(missing, "vi").detail.startswith("không có chỉ tiêu")
        assert problem_for(missing, "en").detail.startswith("no indicator")

    def test_the_unit_mapping_candidates_are_kept(self) -> None:
        """A split unit's candidates reach the client, to choose from."""
        details = problem_for(UnitMappingError("07525", "split", ["07525", "07526"]), "vi")
        assert details.to_data()["candidates"] == ["07525", "07526"]

    def test_a_file_over_a_limit_names_the_limit_not_the_servers_path(self) -> None:
        """The limit's name and value are members of the problem; the server's temporary copy
        of the file is never named."""
        error = InputLimitError(
            [Problem("row 6", "more than 5 rows")],
            source="/tmp/k/upload.csv",
            limit="max_rows",
            maximum=5,
        )
        details = problem_for(error, "en").to_data()
        assert (details["limit"], details["maximum"]) == ("max_rows", 5)
        assert details["problems"] == [
            {"path": "row 6", "message": "more than 5 rows", "value": None}
        ]
        assert "/tmp" not in str(details)


class TestProblemDetails:
    def test_empty_members_are_left_out(self) -> None:
        """A problem's JSON holds only the members it has."""
        details = ProblemDetails("/problems/not-found", "Not found", 404, "No unit 9.")
        assert details.to_data() == {
            "type": "/problems/not-found",
            "title": "Not found",
            "status": 404,
            "detail": "No unit 9.",
        }

    def test_every_type_is_described_in_the_contract(self) -> None:
        """Each problem type a response may carry is named in the contract's descriptions."""
        document = openapi_document()
        text = str(document["paths"])
        missing = [
            n
            for n in PROBLEM_TYPES
            if f"/problems/{n}" not in text and n not in ("route-not-found", "method-not-allowed")
        ]
        assert missing == []
