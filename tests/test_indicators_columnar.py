"""The columnar engine (:class:`~khuyencong.indicators.ColumnarSource`, Polars): exact sums at
any size, the record set's figures over the example, drill-down, errors, and the optional extra.

Its figures for every kind, breakdown, scope and ratio are checked against the record set and
the SQL stores by the property test of ``test_indicators_sql.py``.
"""

from __future__ import annotations

import builtins
import datetime as dt
import subprocess
import sys
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.domain import MAX_DONG, Period, SupportContent, SupportRecord
from khuyencong.exceptions import MissingExtraError, NotFoundError, ValidationError
from khuyencong.indicators import (
    STANDARD_INDICATORS,
    AggregateQuery,
    Breakdown,
    ColumnarSource,
    Counting,
    DateField,
    Filter,
    Measure,
    RecordKind,
    RecordSet,
    compute,
    compute_standard,
    counterpart_ratio,
    coverage,
    source_for,
)
from khuyencong.messages import Lang, language
from khuyencong.reports import build_report, example_path, load_example, load_report_config
from khuyencong.storage import open_store, store_dataset

PHASE = Period.phase(2017, 2020)
BY_FUND_AND_YEAR = [Breakdown.of("fund"), Breakdown.of("year")]


def _support(n: int, **fields: Any) -> RecordSet:
    """``n`` support records of the example's first establishment, delivered in 2018."""
    data = load_example()
    est = data.establishments[0]
    records = [
        SupportRecord(
            id=f"S{i:05d}",
            establishment_id=est.id,
            content=SupportContent.MACHINERY,
            delivered_on=dt.date(2018, 1 + i % 12, 1),
            **fields,
        )
        for i in range(n)
    ]
    return RecordSet(establishments=[est], support_records=records)


class TestExactSums:
    def test_sum_beyond_64_bits_is_exact(self) -> None:
        """Ten thousand records of 10^15 đồng each from both funds sum to 2 × 10^19 đồng, past
        what a 64-bit integer holds: the columnar total, each fund's part and each year's are
        that exact integer, as in memory."""
        data = _support(10_000, national_amount=MAX_DONG, local_amount=MAX_DONG - 1)
        ind = STANDARD_INDICATORS["funds_disbursed"]
        fast = compute(ind, ColumnarSource(data), PHASE, by=BY_FUND_AND_YEAR, drill_down=False)
        assert fast.value == 10_000 * (2 * MAX_DONG - 1)
        assert fast.value > 2**63
        assert type(fast.value) is int
        assert fast.get("national", "2018") == 10_000 * MAX_DONG
        assert fast.get("local", "2018") == 10_000 * (MAX_DONG - 1)
        assert fast == compute(ind, data, PHASE, by=BY_FUND_AND_YEAR, drill_down=False)

    @given(
        st.lists(st.integers(-MAX_DONG, MAX_DONG), min_size=1, max_size=40),
        st.lists(st.integers(0, MAX_DONG), min_size=1, max_size=40),
    )
    @settings(max_examples=30)
    def test_signed_and_large_amounts_sum_exactly(
        self, changes: list[int], amounts: list[int]
    ) -> None:
        """Income changes anywhere from −10^15 to 10^15 đồng (a fall in income is negative) and
        amounts up to 10^15 sum to exactly the in-memory integers, total and by fund."""
        data = _support(max(len(changes), len(amounts)))
        records = [
            attrs.evolve(
                r,
                income_change=changes[i % len(changes)],
                national_amount=amounts[i % len(amounts)],
                co_funding=amounts[-1 - i % len(amounts)],
            )
            for i, r in enumerate(data.support_records)
        ]
        data = attrs.evolve(data, support_records=records)
        fast = ColumnarSource(data)
        for code in ("income_change", "funds_disbursed", "co_funding"):
            ind = STANDARD_INDICATORS[code]
            assert compute(ind, fast, PHASE, by=BY_FUND_AND_YEAR) == compute(
                ind, data, PHASE, by=BY_FUND_AND_YEAR
            ), code
        assert counterpart_ratio(fast, PHASE) == counterpart_ratio(data, PHASE)


class TestSameAsRecordSet:
    def test_standard_indicators_and_report_over_the_example(self) -> None:
        """Over the Bắc Giang example every standard indicator with its drill-down, the district
        coverage and the whole report are the record set's."""
        data = load_example()
        fast = ColumnarSource(data)
        assert compute_standard(fast, PHASE) == compute_standard(data, PHASE)
        assert coverage(fast, PHASE) == coverage(data, PHASE)
        config = load_report_config(example_path())
        for lang in ("vi", "en"):
            report = build_report(fast, config, lang=lang, charts=False)
            same = build_report(data, config, lang=lang, charts=False)
            assert report.to_markdown() == same.to_markdown()

    def test_figures_are_python_integers(self) -> None:
        """Every figure and every cell of every standard indicator is a Python ``int`` (no
        float, no Polars scalar)."""
        for result in compute_standard(ColumnarSource(load_example()), PHASE).values():
            values = [result.value, *(row.value for row in result.rows)]
            assert all(type(v) is int for v in values), result.indicator.code

    def test_dataset_and_store_give_the_record_set_figures(self) -> None:
        """A dataset, and a store read once through its repositories, give the record set's
        figures (the store lists its records in id order)."""
        data = load_example()
        ind = STANDARD_INDICATORS["supported_by_content"]
        expected = compute(ind, data, PHASE, drill_down=False)
        assert compute(ind, ColumnarSource(data.to_dataset()), PHASE, drill_down=False) == expected
        with open_store("sqlite:///:memory:") as store:
            store_dataset(store, data.to_dataset())
            from_store = ColumnarSource(store)
        assert compute(ind, from_store, PHASE, drill_down=False) == expected

    def test_columnar_source_is_its_own_source(self) -> None:
        """``source_for`` returns a columnar source as is (it is not read again)."""
        fast = ColumnarSource(RecordSet())
        assert source_for(fast) is fast


class TestDrillDown:
    def test_records_and_establishments_behind_a_figure(self) -> None:
        """The records behind a figure are read back by id in the order asked; an unknown id is
        not found."""
        data = load_example()
        fast = ColumnarSource(data)
        result = compute(STANDARD_INDICATORS["supported_by_content"], fast, PHASE)
        ids = list(result.records_behind())[:3]
        assert [r.id for r in fast.get_records(RecordKind.SUPPORT, ids[::-1])] == ids[::-1]  # type: ignore[attr-defined]
        first = data.establishments[0]
        assert fast.get_establishments([first.id]) == [first]
        with pytest.raises(NotFoundError):
            fast.get_records(RecordKind.SUPPORT, ["nope"])

    def test_duplicate_record_ids_are_refused_when_listed(self) -> None:
        """Two support records with one id: figures without drill-down are computed, listing
        the records behind them is refused, as by the record set."""
        data = _support(2)
        twice = [attrs.evolve(r, id="S1") for r in data.support_records]
        data = attrs.evolve(data, support_records=twice)
        ind = STANDARD_INDICATORS["establishments_supported"]
        assert compute(ind, ColumnarSource(data), PHASE, drill_down=False).value == 1
        with pytest.raises(ValidationError) as caught:
            compute(ind, ColumnarSource(data), PHASE)
        with pytest.raises(ValidationError) as in_memory:
            compute(ind, data, PHASE)
        assert str(caught.value) == str(in_memory.value)


class TestErrors:
    def test_something_without_records_is_refused(self) -> None:
        """A value that holds no records is refused, naming what was expected."""
        with pytest.raises(ValidationError) as caught:
            ColumnarSource(42)  # type: ignore[arg-type]
        assert "RecordSet | Dataset | Store" in str(caught.value)

    def test_a_measure_the_records_lack_is_refused(self) -> None:
        """Summing a measure support records do not have (a fair's support) is the record
        set's error."""
        query = AggregateQuery(
            kind=RecordKind.SUPPORT,
            counting=Counting.MONEY,
            measure=Measure.FAIR_SUPPORT,
            date_field=DateField.DELIVERED_ON,
            period=PHASE,
            filter=Filter(),
        )
        data = _support(1)
        with pytest.raises(ValidationError) as caught:
            ColumnarSource(data).aggregate(query)
        with pytest.raises(ValidationError) as in_memory:
            data.aggregate(query)
        assert str(caught.value) == str(in_memory.value)


class TestColumnarExtra:
    def test_without_polars_the_error_names_the_pip_command(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without Polars, making a columnar source raises the library's missing-extra error
        with the pip command, in Vietnamese and in English."""
        real_import = builtins.__import__

        def no_polars(name: str, *args: Any, **kwargs: Any) -> Any:
            if name.startswith("polars"):
                raise ModuleNotFoundError(name)
            return real_import(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", no_polars)
        langs: list[tuple[Lang, str]] = [("vi", "cài bằng"), ("en", "install it with")]
        for lang, words in langs:
            with language(lang), pytest.raises(MissingExtraError) as caught:
                ColumnarSource(RecordSet())
            assert caught.value.extra == "columnar"
            assert 'pip install "khuyencong[columnar]"' in str(caught.value)
            assert words in str(caught.value)

    def test_importing_the_library_does_not_import_polars(self) -> None:
        """``import khuyencong`` and ``import khuyencong.indicators`` leave Polars unloaded."""
        code = (
            "import sys, khuyencong, khuyencong.indicators; "
            "from khuyencong.indicators import ColumnarSource; "
            "print('polars' in sys.modules)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "False"
