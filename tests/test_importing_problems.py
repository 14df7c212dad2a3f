"""The problems of an import, grouped by column and reason and written out as a table
(``khuyencong.importing.group_problems`` and ``write_problems``)."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.exceptions import ValidationError
from khuyencong.importing import (
    ProblemGroup,
    RowProblem,
    dumps_problems,
    group_problems,
    write_problems,
)
from khuyencong.messages import language

problems_lists = st.lists(
    st.builds(
        RowProblem,
        row=st.integers(1, 60),
        column=st.sampled_from([None, "Mã cơ sở", "Ngày thành lập"]),
        message=st.sampled_from(["phải là ngày có thật", "không được là số âm"]),
        value=st.none() | st.integers(-5, 5) | st.text(max_size=5),
    ),
    max_size=80,
)


@given(problems_lists)
def test_every_problem_is_in_exactly_one_group_of_its_column_and_reason(
    problems: list[RowProblem],
) -> None:
    """Each (row, column, reason) is in the one group of that column and reason, the groups
    come in the order each first appears, and a group's value is its first problem's."""
    groups = group_problems(problems)
    keys = [(g.column, g.message) for g in groups]
    assert len(set(keys)) == len(keys)
    assert keys == list(dict.fromkeys((p.column, p.message) for p in problems))
    found = {(row, g.column, g.message) for g in groups for row in g.rows}
    assert found == {(p.row, p.column, p.message) for p in problems}
    assert sum(g.count for g in groups) == len(found)
    for group in groups:
        first = next(p for p in problems if (p.column, p.message) == (group.column, group.message))
        assert group.value == first.value
        assert list(group.rows) == sorted(set(group.rows))


@given(st.lists(st.integers(1, 200), min_size=1, max_size=60, unique=True))
def test_row_ranges_cover_the_rows_exactly_in_separate_runs(rows: list[int]) -> None:
    """The ranges give back every row and no other, and two ranges never touch (a run of
    consecutive rows is one range)."""
    group = ProblemGroup("Cột", "lỗi", tuple(sorted(rows)))
    runs = group.row_ranges()
    assert [r for a, b in runs for r in range(a, b + 1)] == sorted(rows)
    assert all(a <= b for a, b in runs)
    assert all(prev[1] + 1 < nxt[0] for prev, nxt in itertools.pairwise(runs))


def test_a_long_list_of_ranges_says_how_many_rows_it_leaves_out() -> None:
    """Past ``max_ranges`` ranges, the text counts the rows not shown, in each language."""
    group = ProblemGroup("Cột", "lỗi", (2, 3, 4, 7, 9, 10, 12))
    with language("vi"):
        assert group.rows_text() == "2–4, 7, 9–10, 12"
        assert group.rows_text(max_ranges=2) == "2–4, 7, và 3 dòng khác"
    with language("en"):
        assert group.rows_text(max_ranges=3) == "2–4, 7, 9–10, and 1 more row"
        assert str(ProblemGroup(None, "bad", (5,))) == "whole row: bad — 1 row: 5"


def test_the_problems_table_reads_back_as_the_problems() -> None:
    """Every problem is one line (row, column, value, reason), in file order, headers in the
    language asked for; a value a spreadsheet would run as a formula is written as text."""
    problems = [
        RowProblem(1, "Thừa", "cột không có trong mẫu"),
        RowProblem(4, "Số lao động", "không được là số âm", -3),
        RowProblem(5, None, "mã cơ sở trùng với dòng 4", "=HYPERLINK(1)"),
    ]
    rows = list(csv.reader(io.StringIO(dumps_problems(problems, lang="en"))))
    assert rows == [
        ["Row", "Column", "Value", "Problem"],
        ["1", "Thừa", "", "cột không có trong mẫu"],
        ["4", "Số lao động", "-3", "không được là số âm"],
        ["5", "", "'=HYPERLINK(1)", "mã cơ sở trùng với dòng 4"],
    ]
    assert dumps_problems([], lang="vi") == "Dòng,Cột,Giá trị,Lỗi\r\n"


def test_a_problems_file_opens_in_a_spreadsheet_and_a_stream_gets_the_text(
    tmp_path: Path,
) -> None:
    """A path is written in UTF-8 with a byte-order mark (Excel then shows Vietnamese); a
    text stream gets the CSV text as it is."""
    problems = [RowProblem(3, "Ngày thành lập", "phải là ngày có thật", "31/02/2020")]
    path = tmp_path / "loi.csv"
    write_problems(problems, path, lang="vi")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    stream = io.StringIO()
    write_problems(problems, stream, lang="vi")
    assert path.read_bytes().decode("utf-8-sig") == stream.getvalue()


def test_a_group_is_json_ready() -> None:
    """``to_data()`` gives the group as plain data."""
    group = group_problems([RowProblem(2, "A", "bad", 1), RowProblem(3, "A", "bad", 2)])[0]
    assert group.to_data() == {"column": "A", "message": "bad", "rows": [2, 3], "value": 1}


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (lambda: group_problems([1]), "$.problems[0]"),  # type: ignore[list-item]
        (lambda: group_problems("dòng 2"), "$.problems"),  # type: ignore[arg-type]
        (lambda: dumps_problems([], lang="fr"), "$.lang"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_name_the_argument(call: object, path: str) -> None:
    """Something that is not a list of problems, or a language the library does not speak,
    is refused naming the argument."""
    with pytest.raises(ValidationError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.problems[0].path == path
