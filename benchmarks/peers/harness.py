"""The OpenFisca comparison harness of issue 13: khuyencong, OpenFisca and a plain loop.

N synthetic applications are written once (seeded) as JSON lines; then each implementation
runs in its own fresh process, ``--runs`` times (alternating), and the medians are printed:

- read: JSON lines to dicts (the same code for all three);
- build: dicts to the implementation's inputs (the library's Polars DataFrame of the raw
  values, one per chunk then concatenated — or, with ``--engine columns``, one list per
  field, enum members and unit references looked up once per value — or, with ``--objects``,
  validated ``Establishment`` and ``Application`` objects; OpenFisca's numpy columns and a
  simulation with its inputs set; nothing for the plain loop, whose inputs are the dicts);
- compute: eligibility and the capped amount (``khuyencong.rules.evaluate_frame``, or
  ``evaluate_columns`` with ``--engine columns``, both checking every row, or
  ``evaluate_many`` with ``--objects``, explanations available each way;
  ``simulation.calculate``; the loop);
- indicators: establishments supported by content group and public money by fund and year
  over the eligible applications (``khuyencong.indicators.compute`` over
  ``EligibleSupport``, the support records the eligible applications become, kept as
  columns — or, with ``--objects``, over ``SupportRecord`` objects in a ``RecordSet``;
  drill-down off; numpy; dicts);
- peak RSS of the process.

Each implementation's results (every record's decision and amount, then the figures) are
hashed with sha256; the run fails (exit 1) unless all hashes agree. Never asserts a time.

    /work/venv-bench/bin/python benchmarks/peers/harness.py --n 100000 --runs 3
    /work/venv-bench/bin/python benchmarks/peers/harness.py --n 1000000 --runs 1
    /work/venv-bench/bin/python benchmarks/peers/harness.py --date 2026-03-01

The library side runs without OpenFisca installed (``--only khuyencong,plain``).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/, for common

import common
import workload

IMPLEMENTATIONS = ("khuyencong", "openfisca", "plain")
LABELS = {"khuyencong": "khuyencong", "openfisca": "OpenFisca", "plain": "plain loop"}
CHUNK = 20_000
PHASES = ("read", "build", "compute", "indicators")


class Phases:
    """Wall time per phase, optionally under cProfile (one .prof file per phase)."""

    def __init__(self, impl: str, profile: Path | None) -> None:
        self.impl = impl
        self.profile = profile
        self.times = dict.fromkeys(PHASES, 0.0)
        self.cpu = dict.fromkeys(PHASES, 0.0)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        prof = cProfile.Profile() if self.profile is not None else None
        t0, c0 = time.perf_counter(), time.process_time()
        if prof is not None:
            prof.enable()
        try:
            yield
        finally:
            if prof is not None:
                prof.disable()
            self.times[name] += time.perf_counter() - t0
            self.cpu[name] += time.process_time() - c0
            if prof is not None and self.profile is not None:
                self.profile.mkdir(parents=True, exist_ok=True)
                path = self.profile / f"{self.impl}-{name}.prof"
                if path.exists():  # a phase run in chunks: add the chunks up
                    import pstats  # noqa: PLC0415

                    stats = pstats.Stats(str(path))
                    stats.add(prof)
                    stats.dump_stats(path)
                else:
                    prof.dump_stats(path)


def chunks(path: Path, phases: Phases) -> Iterator[list[dict[str, Any]]]:
    """The file's records, ``CHUNK`` at a time (the JSON parsing timed as ``read``)."""
    loads = json.loads
    with path.open(encoding="utf-8") as f:
        while True:
            with phases.phase("read"):
                lines = list(islice(f, CHUNK))
                batch = [loads(line) for line in lines]
            if not batch:
                return
            yield batch


# -- the library ---------------------------------------------------------------------------


def run_khuyencong(path: Path, on: dt.date, phases: Phases) -> tuple[str, str, dict[str, int]]:
    import indicators  # noqa: PLC0415  (peers/indicators.py: the same compute calls)

    from khuyencong.domain import (  # noqa: PLC0415
        AreaDifficulty,
        Establishment,
        LegalForm,
        Period,
        Sector,
        SupportContent,
        SupportRecord,
    )
    from khuyencong.indicators import RecordSet  # noqa: PLC0415
    from khuyencong.rules import Application, evaluate_many  # noqa: PLC0415
    from khuyencong.units import MapId, UnitRef  # noqa: PLC0415

    rules = workload.rules_for(on)
    group = workload.GROUP
    ests: list[Establishment] = []
    apps: list[Application] = []
    for batch in chunks(path, phases):
        with phases.phase("build"):
            for d in batch:
                form = LegalForm(d["form"])
                sme = form is LegalForm.SME
                est = Establishment(
                    id=d["est"],
                    name=d["name"],
                    legal_form=form,
                    location=UnitRef(MapId(d["map"]), d["unit"]),
                    sectors=(Sector(d["sector"]),),
                    members=d["members"],
                    employees=d["employees"],
                    revenue=d["revenue"],
                    total_capital=d["capital"],
                    business_sector_group=group if sme else None,
                    area_difficulty=AreaDifficulty(d["difficulty"]),
                    polluting_brick_kiln=d["kiln"],
                )
                ests.append(est)
                apps.append(Application(est, SupportContent(d["content"]), d["cost"]))
    with phases.phase("compute"):
        results = evaluate_many(apps, on, rules=rules)
    # Explanations are available: every decision can be read back, with its conditions.
    sample = next(r for r in results if r.decision is not None)
    assert sample.decision is not None
    assert sample.decision.conditions
    with phases.phase("indicators"):
        support = [
            SupportRecord(
                id=r.application.establishment.id.replace("E", "S", 1),
                establishment_id=r.application.establishment.id,
                content=r.application.content,
                delivered_on=on,
                national_amount=r.amount_value or 0,
            )
            for r in results
            if r.eligible and r.error is None and r.application.content is not None
        ]
        records = RecordSet(establishments=ests, support_records=support)
        figures = indicators.ours(records, Period.year(on.year), trainees=False)

    def lines() -> Iterator[str]:
        for r, app in zip(results, apps, strict=True):
            status = "E" if r.error is not None else ("Y" if r.eligible else "N")
            yield workload.record_line(
                app.establishment.id.replace("E", "A", 1), status, r.amount_value
            )

    counts = {"Y": 0, "N": 0, "E": 0}
    for r in results:
        counts["E" if r.error is not None else ("Y" if r.eligible else "N")] += 1
    return common.sha256_lines(lines()), common.canonical(figures), counts


def run_khuyencong_columns(
    path: Path, on: dt.date, phases: Phases
) -> tuple[str, str, dict[str, int]]:
    """The library's columnar path: the fields as columns (enum members looked up by value
    once per value, one unit reference per unit), ``evaluate_columns``; objects are built
    only for the decision read back and the support records."""
    import indicators  # noqa: PLC0415  (peers/indicators.py: the same compute calls)

    from khuyencong.domain import (  # noqa: PLC0415
        AreaDifficulty,
        LegalForm,
        Period,
        Sector,
        SupportContent,
        SupportRecord,
    )
    from khuyencong.indicators import EligibleSupport, RecordKind  # noqa: PLC0415
    from khuyencong.rules import APPLICATION_COLUMNS, evaluate_columns  # noqa: PLC0415
    from khuyencong.units import MapId, UnitRef  # noqa: PLC0415

    rules = workload.rules_for(on)
    group = workload.GROUP
    forms = {m.value: m for m in LegalForm}
    areas = {m.value: m for m in AreaDifficulty}
    contents = {m.value: m for m in SupportContent}
    sectors = {m.value: (m,) for m in Sector}

    class Refs(dict[tuple[str, str], UnitRef]):
        """One unit reference per (map, code), built the first time it is looked up."""

        def __missing__(self, key: tuple[str, str]) -> UnitRef:
            found = self[key] = UnitRef(MapId(key[0]), key[1])
            return found

    refs = Refs()

    cols: dict[str, list[Any]] = {name: [] for name in APPLICATION_COLUMNS}
    for batch in chunks(path, phases):
        with phases.phase("build"):
            cols["id"] += [d["est"] for d in batch]
            cols["name"] += [d["name"] for d in batch]
            cols["legal_form"] += [forms[d["form"]] for d in batch]
            cols["location"] += [refs[d["map"], d["unit"]] for d in batch]
            cols["sectors"] += [sectors[d["sector"]] for d in batch]
            cols["members"] += [d["members"] for d in batch]
            cols["employees"] += [d["employees"] for d in batch]
            cols["revenue"] += [d["revenue"] for d in batch]
            cols["total_capital"] += [d["capital"] for d in batch]
            cols["business_sector_group"] += [group if d["form"] == "sme" else None for d in batch]
            cols["area_difficulty"] += [areas[d["difficulty"]] for d in batch]
            cols["polluting_brick_kiln"] += [d["kiln"] for d in batch]
            cols["content"] += [contents[d["content"]] for d in batch]
            cols["eligible_cost"] += [d["cost"] for d in batch]
    with phases.phase("compute"):
        results = evaluate_columns(cols, on, rules=rules)
    # Explanations are available: every decision can be read back, with its conditions.
    first = next(i for i, e in enumerate(results.error) if e is None)
    decision = results[first].decision
    assert decision is not None
    assert decision.conditions
    ids, errors, amounts = cols["id"], results.error, results.amount_value
    with phases.phase("indicators"):
        # The eligible applications as the support records they become, kept as columns.
        support = EligibleSupport(results, on)
        figures = indicators.ours(support, Period.year(on.year), trainees=False)
    # ... and a record is built when asked for (untimed).
    paid = next(i for i, ok in enumerate(results.eligible) if ok)
    record = support.get_records(RecordKind.SUPPORT, [ids[paid]])[0]
    assert isinstance(record, SupportRecord)
    assert record.national_amount == amounts[paid]
    return outcome(ids, errors, results.eligible, amounts, figures)


def outcome(
    ids: list[str],
    errors: list[Exception | None],
    eligible: list[bool],
    amounts: list[int | None],
    figures: Any,
) -> tuple[str, str, dict[str, int]]:
    """The library's hashes: every record's status and amount, then the figures."""

    def status(i: int) -> str:
        return "E" if errors[i] is not None else ("Y" if eligible[i] else "N")

    def lines() -> Iterator[str]:
        for i, eid in enumerate(ids):
            yield workload.record_line(eid.replace("E", "A", 1), status(i), amounts[i])

    counts = {"Y": 0, "N": 0, "E": 0}
    for i in range(len(ids)):
        counts[status(i)] += 1
    return common.sha256_lines(lines()), common.canonical(figures), counts


def run_khuyencong_frame(
    path: Path, on: dt.date, phases: Phases
) -> tuple[str, str, dict[str, int]]:
    """The library's frame path: the raw values of each chunk into a Polars DataFrame (as
    OpenFisca's build puts them into numpy arrays; Polars is imported before the phases, as
    numpy is on OpenFisca's side), ``evaluate_frame``; objects are built only for the
    decision read back and the support records."""
    import indicators  # noqa: PLC0415  (peers/indicators.py: the same compute calls)
    import polars as pl  # noqa: PLC0415

    from khuyencong.domain import Period, SupportRecord  # noqa: PLC0415
    from khuyencong.indicators import EligibleSupport, RecordKind  # noqa: PLC0415
    from khuyencong.rules import evaluate_frame  # noqa: PLC0415

    rules = workload.rules_for(on)
    group = workload.GROUP.value
    # The records' keys and the frame's columns (the frame path reads the wire values).
    columns = {
        "est": ("id", pl.String),
        "name": ("name", pl.String),
        "form": ("legal_form", pl.String),
        "map": ("map_id", pl.String),
        "unit": ("unit_code", pl.String),
        "sector": ("sectors", pl.String),
        "members": ("members", pl.Int64),
        "employees": ("employees", pl.Int64),
        "revenue": ("revenue", pl.Int64),
        "capital": ("total_capital", pl.Int64),
        "difficulty": ("area_difficulty", pl.String),
        "kiln": ("polluting_brick_kiln", pl.Boolean),
        "content": ("content", pl.String),
        "cost": ("eligible_cost", pl.Int64),
    }
    schema = {key: dtype for key, (_name, dtype) in columns.items()}
    names = {key: name for key, (name, _dtype) in columns.items()}
    parts: list[Any] = []
    for batch in chunks(path, phases):
        with phases.phase("build"):
            # Polars reads the dicts' values itself (other keys left out), as numpy takes
            # OpenFisca's lists.
            parts.append(pl.from_dicts(batch, schema=schema))
    with phases.phase("build"):
        frame = pl.concat(parts, rechunk=True).rename(names)
        del parts
        sme = pl.col("legal_form") == "sme"
        frame = frame.with_columns(pl.when(sme).then(pl.lit(group)).alias("business_sector_group"))
    with phases.phase("compute"):
        results = evaluate_frame(frame, on, rules=rules)
    # Explanations are available: every decision can be read back, with its conditions.
    errors = results.errors
    first = next(i for i, e in enumerate(errors) if e is None)
    decision = results[first].decision
    assert decision is not None
    assert decision.conditions
    with phases.phase("indicators"):
        # The eligible applications as the support records they become, kept as columns.
        support = EligibleSupport(results, on)
        figures = indicators.ours(support, Period.year(on.year), trainees=False)
    ids, eligible, amounts = frame["id"].to_list(), results.eligible, results.amount_value
    # ... and a record is built when asked for (untimed).
    paid = next(i for i, ok in enumerate(eligible) if ok)
    record = support.get_records(RecordKind.SUPPORT, [ids[paid]])[0]
    assert isinstance(record, SupportRecord)
    assert record.national_amount == amounts[paid]
    return outcome(ids, errors, eligible, amounts, figures)


# -- OpenFisca ---------------------------------------------------------------------------


def run_openfisca(path: Path, on: dt.date, phases: Phases) -> tuple[str, str, dict[str, int]]:
    import numpy as np  # noqa: PLC0415
    import openfisca_model as ofm  # noqa: PLC0415

    legal = workload.legal_values(workload.rules_for(on), on)
    system = ofm.KhuyenCongSystem(legal)
    parts: list[dict[str, np.ndarray]] = []
    ids: list[str] = []
    for batch in chunks(path, phases):
        with phases.phase("build"):
            parts.append(ofm.columns(batch))
            ids.extend(d["id"] for d in batch)
    period = on.isoformat()
    with phases.phase("build"):
        cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        del parts
        est = np.arange(len(ids), dtype=np.int64)  # one establishment per application
        sim = ofm.simulation(system, cols, period)
    with phases.phase("compute"):
        error = sim.calculate("sector_error", period)
        eligible = sim.calculate("eligible", period)
        amount = sim.calculate("support_amount", period)
    assert amount.dtype == np.int64
    with phases.phase("indicators"):
        figures = ofm.indicators(eligible, amount, cols["content"], est, legal)
    status = np.where(error, "E", np.where(eligible, "Y", "N"))
    lines = (
        workload.record_line(rid, str(s), int(a))
        for rid, s, a in zip(ids, status, amount, strict=True)
    )
    counts = {k: int((status == k).sum()) for k in ("Y", "N", "E")}
    return common.sha256_lines(lines), common.canonical(figures), counts


# -- the plain loop ------------------------------------------------------------------------


def run_plain(path: Path, on: dt.date, phases: Phases) -> tuple[str, str, dict[str, int]]:
    import plain  # noqa: PLC0415

    legal = workload.legal_values(workload.rules_for(on), on)
    decide = plain.decider(legal)
    dicts: list[dict[str, Any]] = []
    for batch in chunks(path, phases):
        dicts.extend(batch)
    with phases.phase("compute"):
        out = [decide(d) for d in dicts]
    with phases.phase("indicators"):
        figures = plain.indicators(((d, s, a) for d, (s, a) in zip(dicts, out, strict=True)), legal)
    lines = (workload.record_line(d["id"], s, a) for d, (s, a) in zip(dicts, out, strict=True))
    counts = {"Y": 0, "N": 0, "E": 0}
    for s, _a in out:
        counts[s] += 1
    return common.sha256_lines(lines), common.canonical(figures), counts


ENGINES = {"frame": run_khuyencong_frame, "columns": run_khuyencong_columns}
"""The library's paths over the same file: ``evaluate_frame`` (a DataFrame of the raw values)
or ``evaluate_columns`` (columns of enum members and unit references)."""

RUNNERS: dict[str, Callable[[Path, dt.date, Phases], tuple[str, str, dict[str, int]]]] = {
    "khuyencong": run_khuyencong_frame,
    "openfisca": run_openfisca,
    "plain": run_plain,
}


def worker(
    impl: str, path: Path, on: dt.date, profile: Path | None, objects: bool, engine: str
) -> None:
    """One implementation, once, in this (fresh) process; prints one JSON line."""
    common.install_peak_hook()
    if impl == "khuyencong" and engine == "frame":
        # One thread, as every implementation here: the CPU clock then measures the work,
        # not Polars' pool waiting for work between queries (set it to compare).
        os.environ.setdefault("POLARS_MAX_THREADS", "1")
    phases = Phases(impl, profile)
    t0 = time.perf_counter()
    run = RUNNERS[impl]
    if impl == "khuyencong":
        run = run_khuyencong if objects else ENGINES[engine]
    records, figures, counts = run(path, on, phases)
    print(
        json.dumps(
            {
                "impl": impl,
                **phases.times,
                **{f"cpu_{k}": v for k, v in phases.cpu.items()},
                "in_process": time.perf_counter() - t0,
                "records_sha256": records,
                "figures": figures,
                "counts": counts,
                "peak_rss_mb": common.peak_rss_mb(),
            }
        )
    )


# -- the driver ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = common.parser(__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="applications (default 100000)")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per implementation")
    parser.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        default=dt.date(2024, 8, 1),
        help="the rules date (default 2024-08-01, 45/2012; 2026-03-01 for 235/2025)",
    )
    parser.add_argument(
        "--only",
        default=",".join(IMPLEMENTATIONS),
        help="implementations to run, comma-separated (default: all three)",
    )
    parser.add_argument("--seed", type=int, default=workload.SEED)
    parser.add_argument("--data-dir", type=Path, help="keep the generated file here (reused)")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="write a cProfile file per implementation and phase to DIR (times inflate)",
    )
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="phase times as process CPU time (default; steady when other work shares the "
        "cores, and every implementation is single-threaded) or wall-clock time",
    )
    parser.add_argument(
        "--objects",
        action="store_true",
        help="run the library on validated objects (Establishment, Application, "
        "evaluate_many) instead of its columnar path (evaluate_columns)",
    )
    parser.add_argument(
        "--engine",
        choices=tuple(ENGINES),
        default="frame",
        help="the library's path: a Polars DataFrame of the raw values (evaluate_frame, "
        "default) or columns of objects (evaluate_columns)",
    )
    parser.add_argument("--worker", choices=IMPLEMENTATIONS, help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _data_file(args: argparse.Namespace, folder: Path) -> Path:
    path = folder / f"applications-{args.n}-{args.seed}-{args.date.isoformat()}.jsonl"
    if not path.exists():
        t0 = time.perf_counter()
        partial = path.with_suffix(".part")
        workload.generate(partial, args.n, args.date, args.seed)
        partial.rename(path)
        print(f"generated {args.n:,} applications in {time.perf_counter() - t0:.1f} s: {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        worker(args.worker, args.input, args.date, args.profile, args.objects, args.engine)
        return 0
    impls = [i.strip() for i in args.only.split(",") if i.strip()]
    unknown = set(impls) - set(IMPLEMENTATIONS)
    if unknown:
        msg = f"unknown implementation(s): {', '.join(sorted(unknown))}"
        raise SystemExit(msg)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data_dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = _data_file(args, folder)
        runs: dict[str, list[dict[str, Any]]] = {i: [] for i in impls}
        for k in range(args.runs):
            order = impls[k % len(impls) :] + impls[: k % len(impls)]
            for impl in order:
                cmd = [sys.executable, __file__, "--worker", impl, "--input", str(path)]
                cmd += ["--date", args.date.isoformat()]
                if args.profile is not None:
                    cmd += ["--profile", str(args.profile)]
                if args.objects:
                    cmd.append("--objects")
                cmd += ["--engine", args.engine]
                out, wall, rss, _cpu = common.run(cmd)
                result = common.worker_json(out)
                result["process_wall"], result["rss"] = wall, rss
                runs[impl].append(result)
                print(
                    f"  run {k + 1}: {LABELS[impl]:<10} {wall:6.2f} s wall, {rss:7,.0f} MB",
                    flush=True,
                )
    return report(args, runs)


def report(args: argparse.Namespace, runs: dict[str, list[dict[str, Any]]]) -> int:
    """Print the table of medians and check the hashes; 1 if they differ."""
    prefix = "cpu_" if args.clock == "cpu" else ""
    med: dict[str, dict[str, float]] = {}
    for impl, results in runs.items():
        med[impl] = {key: common.median(r[prefix + key] for r in results) for key in PHASES}
        med[impl] |= {
            key: common.median(r[key] for r in results) for key in ("process_wall", "rss")
        }
        med[impl]["end_to_end"] = common.median(
            sum(r[prefix + key] for key in PHASES) for r in results
        )
        med[impl]["wall_end_to_end"] = common.median(sum(r[key] for key in PHASES) for r in results)

    def cell(impl: str, key: str) -> str:
        if impl not in med:
            return "—"
        return common.mib(med[impl][key]) if key == "rss" else common.seconds(med[impl][key])

    def against(impl: str, key: str) -> str:
        ours = med.get("khuyencong", {}).get(key)
        return common.ratio(ours, med.get(impl, {}).get(key))

    rows = []
    for key, label in (
        ("read", "read JSON lines"),
        ("build", "build inputs (validated objects / columns)"),
        ("compute", "compute (eligibility + amount)"),
        ("indicators", "indicators"),
        ("end_to_end", "end to end in process"),
        ("wall_end_to_end", "end to end in process, wall clock"),
        ("process_wall", "process wall clock (with imports)"),
        ("rss", "peak RSS"),
    ):
        rows.append(
            [
                label,
                cell("khuyencong", key),
                cell("openfisca", key),
                cell("plain", key),
                against("openfisca", key),
                against("plain", key),
            ]
        )
    print()
    print(
        f"{args.n:,} applications, rules of {args.date}, median of {args.runs} fresh "
        f"process(es) per implementation; phases in {args.clock} time; {common.load_note()}"
    )
    print(
        common.table(
            ["phase", "khuyencong", "OpenFisca", "plain loop", "kc / OpenFisca", "kc / plain"],
            rows,
        )
    )
    kc = med.get("khuyencong")
    if kc and "openfisca" in med:
        of = med["openfisca"]
        print(
            f"goal: end to end ≤ 1.0× OpenFisca: {kc['end_to_end'] / of['end_to_end']:.2f}×"
            " (explanations available)"
        )
    if kc and "plain" in med:
        print(f"goal: compute ≤ 3× the plain loop: {kc['compute'] / med['plain']['compute']:.2f}×")
    if kc and "plain" in med:
        print(f"goal: peak RSS ≤ the plain loop's: {kc['rss'] / med['plain']['rss']:.2f}×")
    hashes = {(r["records_sha256"], r["figures"]) for rs in runs.values() for r in rs}
    first = next(iter(runs.values()))[0]
    print(f"outcomes: {first['counts']}; figures: {first['figures']}")
    if len(hashes) != 1:
        for impl, rs in runs.items():
            for r in rs:
                print(f"  {impl}: records {r['records_sha256'][:16]} figures {r['figures']}")
        print("FAIL: the implementations' results differ (sha256)")
        return 1
    digest = common.sha256_lines([first["records_sha256"], first["figures"]])
    print(f"results identical across implementations and runs: sha256 {digest[:16]}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
