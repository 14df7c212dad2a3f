"""The standard indicator set over 1,000,000 synthetic support records, against hand-written pandas.

Three ways over the same list of :class:`~khuyencong.domain.SupportRecord` objects:

- in memory: a :class:`~khuyencong.indicators.RecordSet` (its column build included);
- SQLite: the records loaded into a fresh SQLite file through the store's bulk API
  (``add_many``, timed apart as "load"), then the indicators computed by SQL pushdown
  (``source_for(store)``, timed as "compute");
- hand-written pandas (its DataFrame build included).

Prints times, the ratio to pandas and peak memory (traced Python allocations during the
computation; SQLite's own page cache is not traced). Never asserts a time.

    .venv/bin/python benchmarks/bench_indicators.py [N]
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import common

from khuyencong.domain import (
    Establishment,
    LegalForm,
    Period,
    Sector,
    SupportContent,
    SupportRecord,
)
from khuyencong.indicators import (
    STANDARD_INDICATORS,
    Breakdown,
    IndicatorSource,
    RecordKind,
    RecordSet,
    compute,
    source_for,
)
from khuyencong.storage import SQLiteStore
from khuyencong.units import MapId, load_map

PHASE = Period.phase(2017, 2020)
SUPPORT_CODES = [
    code for code, ind in STANDARD_INDICATORS.items() if ind.kind is RecordKind.SUPPORT
]


def make_data(n: int) -> RecordSet:
    rng = random.Random(1)
    m = load_map(MapId.MAP_2021)
    communes = [u.ref for u in m.communes("24")]
    n_est = max(n // 20, 1)
    forms = [LegalForm.COOPERATIVE, LegalForm.SME, LegalForm.HOUSEHOLD_BUSINESS]
    sectors = [Sector.AGRO_FOOD_PROCESSING, Sector.HANDICRAFTS, Sector.CONSUMER_EXPORT_GOODS]
    ests = [
        Establishment(
            id=f"E{i}",
            name=f"Cơ sở {i}",
            legal_form=forms[i % 3],
            location=communes[i % len(communes)],
            sectors=(sectors[i % 3],),
        )
        for i in range(n_est)
    ]
    contents = list(SupportContent)
    days = [dt.date(2015, 1, 1) + dt.timedelta(days=d) for d in range(365 * 8)]
    partners: list[tuple[str, ...]] = [(), (), (), ("P1",)]
    records = []
    for i in range(n):
        delivered = days[rng.randrange(len(days))]
        reported = i % 5 == 0  # one record in five has outcomes reported after the support
        records.append(
            SupportRecord(
                id=f"S{i}",
                establishment_id=f"E{rng.randrange(n_est)}",
                content=contents[rng.randrange(len(contents))],
                delivered_on=delivered,
                national_amount=rng.randrange(0, 500) * 1_000_000 if i % 2 else 0,
                local_amount=rng.randrange(0, 300) * 1_000_000,
                co_funding=rng.randrange(0, 100) * 1_000_000,
                trainees=rng.randrange(0, 40),
                partners=partners[i % 4],
                jobs_created=rng.randrange(0, 12) if reported else None,
                income_change=rng.randrange(-5, 40) * 1_000_000 if reported else None,
                outcome_reported_on=delivered + dt.timedelta(days=180) if i % 10 == 0 else None,
            )
        )
    return RecordSet(establishments=ests, support_records=records)


def ours(data: RecordSet) -> dict[str, Any]:
    fresh = RecordSet(
        establishments=data.establishments, support_records=data.support_records
    )  # column build
    return standard_set(fresh)


def standard_set(fresh: IndicatorSource) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for code in SUPPORT_CODES:
        r = compute(STANDARD_INDICATORS[code], fresh, PHASE, drill_down=False)
        out[code] = (r.value, {f.key: f.value for f in r.rows})
    r = compute(
        STANDARD_INDICATORS["establishments_supported"],
        fresh,
        PHASE,
        by=[Breakdown.district()],
        drill_down=False,
    )
    out["by_district"] = (r.value, {f.key: f.value for f in r.rows})
    return out


def by_pandas(data: RecordSet) -> dict[str, Any]:
    import pandas as pd  # noqa: PLC0415

    s = data.support_records
    df = pd.DataFrame(
        {
            "est": [r.establishment_id for r in s],
            "content": [r.content.value for r in s],
            "group": [r.content.group.value for r in s],
            "day": pd.to_datetime([r.delivered_on for r in s]),
            "national": [r.national_amount for r in s],
            "local": [r.local_amount for r in s],
            "co": [r.co_funding for r in s],
            "trainees": [r.trainees for r in s],
            "quantity": [r.quantity for r in s],
            # Outcomes: missing is not zero (NaN, left out of the sums); such records are placed
            # in the period by the report date when recorded, else the delivery date.
            "jobs": pd.array([r.jobs_created for r in s], dtype="Int64"),
            "income": pd.array([r.income_change for r in s], dtype="Int64"),
            "outcome_day": pd.to_datetime([r.outcome_reported_on or r.delivered_on for r in s]),
        }
    )
    outcomes = df[(df["outcome_day"] >= "2017-01-01") & (df["outcome_day"] <= "2020-12-31")]
    est = pd.DataFrame(
        {
            "est": [e.id for e in data.establishments],
            "district": [e.location.resolve().parent_code for e in data.establishments],
        }
    )
    df = df[(df["day"] >= "2017-01-01") & (df["day"] <= "2020-12-31")]
    out: dict[str, Any] = {}
    for code in SUPPORT_CODES:
        ind = STANDARD_INDICATORS[code]
        f = ind.filter
        keep = [c.value for c in SupportContent if f.content_allowed(c)]
        d = df[df["content"].isin(keep)]
        if code == "supported_by_content":
            g = d.groupby("group")["est"].nunique()
            out[code] = (int(d["est"].nunique()), {(k,): int(v) for k, v in g.items()})
        elif code == "funds_disbursed":
            nat, loc = int(d["national"].sum()), int(d["local"].sum())
            out[code] = (nat + loc, {("national",): nat, ("local",): loc})
        elif ind.counting.value == "distinct_establishments":
            out[code] = (int(d["est"].nunique()), {})
        elif code in ("trainees", "management_trainees"):
            out[code] = (int(d["trainees"].sum()), {})
        elif code == "co_funding":
            out[code] = (int(d["co"].sum()), {})
        elif code in ("jobs_created", "income_change"):
            column = "jobs" if code == "jobs_created" else "income"
            o = outcomes[outcomes["content"].isin(keep)]
            out[code] = (int(o[column].sum(skipna=True)), {})
        else:
            out[code] = (int(d["quantity"].sum()), {})
    keep = [
        c.value
        for c in SupportContent
        if STANDARD_INDICATORS["establishments_supported"].filter.content_allowed(c)
    ]
    d = df[df["content"].isin(keep)].merge(est, on="est")
    g = d.groupby("district")["est"].nunique()
    out["by_district"] = (int(d["est"].nunique()), {(k,): int(v) for k, v in g.items()})
    return out


def timed(
    fn: Callable[[RecordSet], dict[str, Any]], data: RecordSet
) -> tuple[float, int, dict[str, Any]]:
    """Wall time of one run, then peak traced memory of a second run.

    tracemalloc slows allocation-heavy Python code far more than pandas' C loops, so the time
    is measured without it.
    """
    t0 = time.perf_counter()
    result = fn(data)
    elapsed = time.perf_counter() - t0
    tracemalloc.start()
    fn(data)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak, result


def load_sqlite(data: RecordSet, path: Path) -> tuple[float, SQLiteStore]:
    """A fresh SQLite file holding the records, loaded through the bulk API; the load time."""
    t0 = time.perf_counter()
    store = SQLiteStore(path, synchronous="normal")
    store.establishments.add_many(data.establishments)
    store.support_records.add_many(data.support_records)
    return time.perf_counter() - t0, store


def _nonzero(groups: dict[Any, int]) -> dict[Any, int]:
    return {k: v for k, v in groups.items() if v}


def main() -> None:
    n = common.size_argument(__doc__, 1_000_000, "support records")
    t0 = time.perf_counter()
    data = make_data(n)
    print(f"generated {n:,} support records in {time.perf_counter() - t0:.1f} s")
    ours(
        RecordSet(establishments=data.establishments[:1], support_records=data.support_records[:10])
    )  # warm caches
    t_ours, m_ours, r_ours = timed(ours, data)
    print(
        f"khuyencong in-memory: {t_ours:6.2f} s  peak {m_ours / 2**20:7.1f} MiB "
        f"({len(r_ours)} indicators)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        t_load, store = load_sqlite(data, Path(tmp) / "bench.db")
        with store:
            source = source_for(store)
            t_sql, m_sql, r_sql = timed(lambda _d: standard_set(source), data)
        print(
            f"khuyencong SQLite:    {t_sql:6.2f} s  peak {m_sql / 2**20:7.1f} MiB "
            f"(compute by SQL pushdown; load via add_many took {t_load:.1f} s, not counted)"
        )
    print(f"same figures in memory and in SQLite: {r_sql == r_ours}")
    try:
        import pandas  # noqa: F401, PLC0415
    except ImportError:
        print("pandas not installed: skipping the hand-written pandas comparison")
        return
    t_pd, m_pd, r_pd = timed(by_pandas, data)
    print(f"hand-written pandas:  {t_pd:6.2f} s  peak {m_pd / 2**20:7.1f} MiB")
    print(f"ratio in-memory / pandas: {t_ours / t_pd:.2f}x")
    print(f"ratio SQLite / pandas:    {t_sql / t_pd:.2f}x")
    same = all(r_ours[k][0] == r_pd[k][0] for k in r_pd)
    print(f"same totals as pandas: {same}")
    print("(peak memory is traced Python allocations during the computation, not the records)")
    for k in r_pd:
        if r_ours[k][0] != r_pd[k][0] or (
            r_pd[k][1] and _nonzero(r_ours[k][1]) != _nonzero(r_pd[k][1])
        ):
            print(f"  differs: {k}: {r_ours[k]} vs {r_pd[k]}")


if __name__ == "__main__":
    main()
