"""Fuzzing the importer: rows, CSV bytes and damaged workbooks, stored through the library.

Whatever arrives, reading ends in a TableImport or the library's error, and a store is
changed only by a whole, valid table: after a refusal it holds exactly what it held before.
"""

from __future__ import annotations

import contextlib
import gc
import io
import random
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _fuzz import CELLS, FAST, HOSTILE_TEXT, LONG
from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
from khuyencong.exceptions import KhuyenCongError
from khuyencong.importing import ImportKind, import_table, table_rows
from khuyencong.storage import open_store, store_dataset
from khuyencong.testing import strategies as ks

SAMPLE = load_dataset(SAMPLE_DATASET)
KINDS = {
    ImportKind.ESTABLISHMENTS: ks.establishments(),
    ImportKind.SUPPORT_RECORDS: ks.support_records(),
    ImportKind.FAIR_PARTICIPATIONS: ks.fair_participations(),
}


def counts(store: Any) -> tuple[int, ...]:
    return (
        store.establishments.count(),
        store.support_records.count(),
        store.fair_participations.count(),
    )


def import_and_store(source: Any, kind: ImportKind) -> None:
    """Import through the library's path into a store holding the sample dataset, and check
    that a refusal stores nothing and an acceptance stores every valid row."""
    store = open_store("memory://")
    store_dataset(store, SAMPLE)
    before = counts(store)
    try:
        result = import_table(source, kind, establishments=store.establishments)
        if result.ok:
            store_dataset(store, result.dataset)
            assert sum(counts(store)) == sum(before) + len(result.objects)
            return
        shown = [str(p) for p in result.problems]  # every problem can be shown
    except KhuyenCongError as error:
        shown = [str(error)]
    assert all(shown)
    assert counts(store) == before


@st.composite
def tables(draw: st.DrawFn) -> tuple[ImportKind, list[list[Any]]]:
    """A table of a kind: its header, valid rows (some with the sample's ids), hostile rows."""
    kind = draw(st.sampled_from(list(KINDS)))
    valid = draw(st.lists(KINDS[kind], max_size=3))
    rows = table_rows(valid, kind)
    header = rows[0]
    if draw(st.booleans()) and len(rows) > 1:
        # an id the store already holds: the whole table must then be refused by the store
        rows[1][0] = draw(st.sampled_from([e.id for e in SAMPLE.establishments]))
    hostile = draw(st.lists(st.lists(CELLS, max_size=len(header) + 2), max_size=3))
    body = rows[1:] + hostile
    draw(st.randoms()).shuffle(body)
    return kind, [header, *body]


class TestRows:
    @FAST
    @given(tables())
    def test_any_rows_are_imported_or_refused_and_nothing_half_stored(
        self, table: tuple[ImportKind, list[list[Any]]]
    ) -> None:
        """Valid, duplicate and hostile rows in any order: the result or the library's error,
        and the store changes only by a whole table."""
        import_and_store(table[1], table[0])

    @pytest.mark.slow
    @LONG
    @given(tables())
    def test_any_rows_are_imported_or_refused_long(
        self, table: tuple[ImportKind, list[list[Any]]]
    ) -> None:
        """The long run of the rows fuzz (CI)."""
        import_and_store(table[1], table[0])


def as_csv(table: tuple[ImportKind, list[list[Any]]], data: st.DataObject) -> bytes:
    rows = [[str(c) for c in row] for row in table[1]]
    text = "\n".join(",".join(row) for row in rows)
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


def check_csv(table: tuple[ImportKind, list[list[Any]]], data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.csv"
        path.write_bytes(as_csv(table, data) + data.draw(st.binary(max_size=20)))
        import_and_store(path, table[0])


class TestCsv:
    @FAST
    @given(tables(), st.data())
    def test_any_csv_file_is_imported_or_refused(
        self, table: tuple[ImportKind, list[list[Any]]], data: st.DataObject
    ) -> None:
        """CSV in any encoding, with hostile cells and trailing garbage, ends in the result or
        the library's error, storing nothing from a refused file."""
        check_csv(table, data)

    @pytest.mark.slow
    @LONG
    @given(tables(), st.data())
    def test_any_csv_file_is_imported_or_refused_long(
        self, table: tuple[ImportKind, list[list[Any]]], data: st.DataObject
    ) -> None:
        """The long run of the CSV fuzz (CI)."""
        check_csv(table, data)


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in table_rows(SAMPLE.establishments, "establishments"):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WORKBOOK = _workbook()


def damaged_workbook(seed: int, how: str, insert: str) -> bytes:
    """The sample workbook damaged one way: bytes flipped, cut short, or XML edited."""
    rng = random.Random(seed)
    if how == "flip":
        data = bytearray(WORKBOOK)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if how == "cut":
        return WORKBOOK[: rng.randrange(len(WORKBOOK))]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(WORKBOOK)) as old, zipfile.ZipFile(out, "w") as new:
        names = old.namelist()
        victim = rng.choice(names)
        for name in names:
            part = old.read(name)
            if name == victim:
                at = rng.randrange(len(part) + 1)
                part = part[:at] + insert.encode("utf-8", errors="replace") + part[at:]
            new.writestr(name, part)
    return out.getvalue()


def check_workbook(seed: int, how: str, insert: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(damaged_workbook(seed, how, insert))
        import_and_store(path, ImportKind.ESTABLISHMENTS)


XML_BITS = HOSTILE_TEXT | st.sampled_from(
    [
        '<c r="A2" t="n"><v>x</v></c>',
        "<row>",
        "</sheetData>",
        '<!DOCTYPE x [<!ENTITY a "b">]>',
        '<c r="XFD9"><f>1+1</f></c>',
        '<dimension ref="A1:A1"/>',
        "&a;",
        "<v>1e400</v>",
    ]
)


class TestFuzzedWorkbooks:
    @FAST
    @given(st.integers(0, 2**32), st.sampled_from(["flip", "cut", "edit"]), XML_BITS)
    def test_any_damaged_workbook_is_imported_or_refused(
        self, seed: int, how: str, insert: str
    ) -> None:
        """A workbook with flipped bytes, cut short, or with its XML edited ends in the result
        or the library's error (never openpyxl's or expat's), storing nothing if refused."""
        check_workbook(seed, how, insert)

    @pytest.mark.slow
    @LONG
    @given(st.integers(0, 2**32), st.sampled_from(["flip", "cut", "edit"]), XML_BITS)
    def test_any_damaged_workbook_is_imported_or_refused_long(
        self, seed: int, how: str, insert: str
    ) -> None:
        """The long run of the workbook fuzz (CI)."""
        check_workbook(seed, how, insert)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts descriptors in /proc")
class TestWorkbookDescriptors:
    @pytest.mark.parametrize(
        ("seed", "how", "insert"),
        [(647892279, "edit", '<c r="A2" t="n"><v>x</v></c>'), (7, "cut", ""), (11, "flip", "")],
    )
    def test_no_file_is_left_open_for_the_garbage_collector(
        self, tmp_path: Path, seed: int, how: str, insert: str
    ) -> None:
        """Read, refused or damaged, a workbook's file is closed when the import returns, not
        by the garbage collector later (which made a ResourceWarning at random in the fuzz
        tests: openpyxl left its archive open on some damaged workbooks)."""
        path = tmp_path / "upload.xlsx"
        path.write_bytes(damaged_workbook(seed, how, insert))
        gc.collect()
        gc.disable()
        try:
            before = len(list(Path("/proc/self/fd").iterdir()))
            with contextlib.suppress(KhuyenCongError):
                import_table(path, ImportKind.ESTABLISHMENTS)
            after = len(list(Path("/proc/self/fd").iterdir()))
        finally:
            gc.enable()
        assert after == before
