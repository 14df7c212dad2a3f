"""Fuzzing the exchange readers and the dataset reader: any bytes, any JSON, damaged files.

Whatever arrives, ``threesixty.loads``, ``iati.loads`` and ``read_dataset`` give objects or the
library's error, and what they give can be written again.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _fuzz import FAST, JSON, LONG, TEXT
from khuyencong.datafiles import SAMPLE_DATASET, read_dataset
from khuyencong.exceptions import KhuyenCongError
from khuyencong.exchange import iati, threesixty
from khuyencong.exchange.iati import IatiIndicator, IatiPeriod, IatiResult, IndicatorMeasure
from khuyencong.exchange.threesixty import Grant, Organisation

GRANT = Grant(
    identifier="360G-khuyencong-x-SR-1",
    title="Máy sấy",
    description="Hỗ trợ máy móc",
    amount_awarded=150_000_000,
    award_date=dt.date(2019, 6, 1),
    recipient=Organisation("360G-khuyencong-x-CS-1", "Hợp tác xã"),
    funder=Organisation("360G-khuyencong-x-TTKC", "Trung tâm Khuyến công"),
)
RESULT = IatiResult(
    "Kết quả",
    "Results",
    [
        IatiIndicator(
            "trainees",
            "Học viên",
            "Trainees",
            IndicatorMeasure.UNIT,
            2021,
            Decimal(0),
            [IatiPeriod(dt.date(2021, 1, 1), dt.date(2025, 12, 31), Decimal(200), Decimal(150))],
        )
    ],
)
READERS = {
    ("threesixty", "json"): (threesixty, threesixty.dumps([GRANT])),
    ("threesixty", "csv"): (threesixty, threesixty.dumps([GRANT], fmt="csv")),
    ("iati", "xml"): (iati, iati.dumps([RESULT])),
    ("iati", "json"): (iati, iati.dumps([RESULT], fmt="json")),
}
IDS = [f"{module}-{fmt}" for module, fmt in READERS]


def read_or_refuse(module: Any, document: str | bytes, fmt: str) -> None:
    """Read ``document``; a refusal is the library's error, and what is read writes again."""
    try:
        found = module.loads(document, fmt=fmt)
    except KhuyenCongError as error:
        message = str(error)
    else:
        message = "read"
        assert module.loads(module.dumps(found, fmt=fmt), fmt=fmt) == found
    assert message


def mutate(document: str, seed: int, insert: str) -> str:
    """``document`` with ``insert`` put in at one place, or a slice of it taken out."""
    rng = random.Random(seed)
    at = rng.randrange(len(document) + 1)
    if rng.random() < 0.3:
        return document[:at] + document[at + rng.randrange(1, 40) :]
    return document[:at] + insert + document[at:]


def damage_json(document: str, seed: int, value: Any) -> str:
    """JSON ``document`` with one value somewhere in it replaced by ``value``."""
    rng = random.Random(seed)
    data = json.loads(document)
    node = data
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = rng.choice(keys)
        inner = node[key]
        if not isinstance(inner, dict | list) or rng.random() < 0.3:
            node[key] = value
            break
        node = inner
    return json.dumps(data, ensure_ascii=False)


ANY_BYTES = st.binary(max_size=300) | st.builds(str.encode, TEXT)
INSERTS = TEXT | st.sampled_from(
    ["\r", '"', ",", "<", ">", "&amp;", "&x;", "<!DOCTYPE r>", "9" * 5000, "[" * 3000, "\udc80"]
)


def check(key: tuple[str, str], data: st.DataObject) -> None:
    module, valid = READERS[key]
    fmt = key[1]
    choice = data.draw(st.sampled_from(["bytes", "mutate", "json"]))
    if choice == "bytes":
        document: str | bytes = data.draw(ANY_BYTES)
    elif choice == "json" and fmt == "json":
        document = damage_json(valid, data.draw(st.integers(0, 2**32)), data.draw(JSON))
    else:
        insert = data.draw(INSERTS)
        document = mutate(valid, data.draw(st.integers(0, 2**32)), insert)
        if "\udc80" in document:  # a lone surrogate cannot be text in a file: send bytes
            document = document.encode("utf-8", errors="surrogateescape")
    read_or_refuse(module, document, fmt)


class TestExchangeReaders:
    @pytest.mark.parametrize("key", list(READERS), ids=IDS)
    @FAST
    @given(data=st.data())
    def test_any_document_is_read_or_refused(self, key: tuple[str, str], data: Any) -> None:
        """Random bytes, a valid file with text put in or cut out, or valid JSON with one value
        replaced by anything: the readers give objects (which write again) or the library's
        error, never a traceback."""
        check(key, data)

    @pytest.mark.slow
    @pytest.mark.parametrize("key", list(READERS), ids=IDS)
    @LONG
    @given(data=st.data())
    def test_any_document_is_read_or_refused_long(self, key: tuple[str, str], data: Any) -> None:
        """The long run of the exchange fuzz (CI)."""
        check(key, data)


SAMPLE = SAMPLE_DATASET.read_text(encoding="utf-8")


def check_dataset(seed: int, value: Any) -> None:
    try:
        reading = read_dataset("upload.json", text=damage_json(SAMPLE, seed, value))
    except KhuyenCongError as error:
        shown = [str(error)]
    else:
        shown = [str(p) for p in reading.problems]
    assert all(shown)


class TestDatasets:
    @FAST
    @given(st.integers(0, 2**32), JSON)
    def test_any_damaged_dataset_is_read_or_refused(self, seed: int, value: Any) -> None:
        """The sample dataset with any value replaced by anything gives a reading whose every
        problem can be shown, or the library's error."""
        check_dataset(seed, value)

    @pytest.mark.slow
    @LONG
    @given(st.integers(0, 2**32), JSON)
    def test_any_damaged_dataset_is_read_or_refused_long(self, seed: int, value: Any) -> None:
        """The long run of the dataset fuzz (CI)."""
        check_dataset(seed, value)
