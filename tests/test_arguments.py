"""Every public callable refuses wrong arguments with the library's errors, never a raw one.

The walk below introspects the ``__all__`` of the domain, units, storage, importing, exchange
and indicators packages, and the methods of every repository of a store: each function, class
and method is called once with valid samples (by parameter name), then with an obviously wrong
value in each parameter in turn — a date written as text, a float where money belongs, ``None``,
an int where text belongs. Whatever happens, only a
:class:`~khuyencong.exceptions.KhuyenCongError` may escape: never a ``TypeError``,
``AttributeError`` or ``KeyError`` from deep inside. (``tests/test_rules_arguments.py`` walks
the rules the same way, with the helpers of ``_walk.py``.) A new callable is walked without
editing this file; a parameter the samples do not know fails loudly, so that it gets one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import inspect
import os
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest

import _walk
from khuyencong import domain, importing, indicators, storage, units
from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
from khuyencong.domain import Period, ProjectStatus
from khuyencong.exceptions import KhuyenCongError, NotConfiguredError
from khuyencong.exchange import iati, threesixty
from khuyencong.reports import example_path
from khuyencong.rules import evaluate_columns
from khuyencong.testing import conformance as cf
from khuyencong.units import MapId, UnitRef

PACKAGES = (domain, units, storage, importing, threesixty, iati, indicators)

WRONG: dict[str, object] = {
    "a date as text": "2020-01-01",
    "a float amount": 1.5e8,
    "None": None,
    "an int": 7,
}
"""The obviously wrong values each parameter is given in turn."""

POSTGRES = "KHUYENCONG_TEST_POSTGRES_URL"
"""The test database's URL, when PostgreSQL is at hand."""

_TARGETS = Path(indicators.__file__).parents[1] / "data" / "targets" / "1881-QD-TTg-2020.toml"


class Fresh:
    """A sample made anew for each call (a store that a call changes)."""

    def __init__(self, make: Callable[[], object]) -> None:
        self.make = make


def _samples(folder: Path) -> dict[str, object]:
    """A valid value for every required parameter of the walked callables, by name."""
    dataset = load_dataset(SAMPLE_DATASET)
    csv = folder / "co-so.csv"
    importing.write_csv(dataset.establishments, csv, "establishments")
    support_csv = folder / "ho-tro.csv"
    importing.write_csv(dataset.support_records, support_csv, "support_records")
    new_records = [
        attrs.evolve(r, id=f"W-{r.id}")
        for r in dataset.support_records  # not yet stored
    ]
    phase = Period.phase(2017, 2020)
    store = storage.open_store("memory://")
    storage.store_dataset(store, dataset)
    rows = indicators.compute_standard(store, phase)
    targets = tuple(indicators.load_targets(example_path() / "targets.toml").for_period(phase))
    grants = threesixty.grants_from(
        projects=dataset.projects,
        support_records=dataset.support_records,
        establishments=dataset.establishments,
        prefix="360G-khuyencong",
        funder=threesixty.Organisation("GB-X-1", "Sở Công Thương"),
    )
    result = iati.iati_result(targets[:1], rows, title_vi="Kết quả", title_en="Results")
    project = cf.sample_project()
    return {
        "actual": 3,
        "amount": 1_000_000,
        "breakdown": indicators.Breakdown.parse("district", MapId.MAP_2021),
        "changed": project.transition(ProjectStatus.SUBMITTED, on=dt.date(2019, 2, 1)),
        "code": "24",
        "columns": {
            f.name: [getattr(r, f.name) for r in new_records]
            for f in attrs.fields(domain.SupportRecord)
        },
        "day": dt.date(2020, 1, 1),
        "data": iati.dumps([result], fmt="json"),
        "dataset": dataset,
        "document": threesixty.dumps(grants),
        "establishments": dataset.establishments,
        "first_nine": "010010910",
        "funder": threesixty.Organisation("GB-X-1", "Sở Công Thương"),
        "grant": grants[0],
        "grants": grants,
        "indicator": indicators.STANDARD_INDICATORS["establishments_supported"],
        "key": "219",
        "kind": "establishments",
        "map_id": MapId.MAP_2021,
        "n": 1234,
        "objects": dataset.establishments,
        "problems": [importing.RowProblem(3, "Số lao động", "không được là số âm", -3)],
        "on": dt.date(2020, 1, 1),
        "path": folder / "out.xlsx",
        "period": phase,
        "prefix": "360G-khuyencong",
        "project": project,
        "records": dataset,
        "refs": [UnitRef(MapId.MAP_2021, "07525")],
        "result": result,
        "results": [result],
        "source": Fresh(lambda: _stored(dataset)),
        "status": ProjectStatus.DRAFT,
        "store": Fresh(lambda: _stored(dataset)),
        "tags": ["V", "U"],
        "stored": project,
        "target": folder / "out.csv",
        "targets": targets,
        "text": "Lục Ngạn",
        "title_en": "Results",
        "title_vi": "Kết quả",
        "unit": UnitRef(MapId.MAP_2021, "07525"),
        "url": "memory://",
        "value": "2020-01-01",
        "_csv": csv,
        "_support_csv": support_csv,
        "_rows": rows,
        "_evaluated": evaluate_columns(
            {
                "id": ["HTX-1"],
                "name": ["HTX A"],
                "legal_form": [domain.LegalForm.COOPERATIVE],
                "location": [UnitRef(MapId.MAP_2021, "07525")],
                "sectors": [(domain.Sector.HANDICRAFTS,)],
                "members": [9],
                "content": [domain.SupportContent.MACHINERY],
                "eligible_cost": [80_000_000],
            },
            dt.date(2020, 1, 1),
        ),
    }


def _stored(dataset: domain.Dataset) -> storage.Store:
    store = storage.open_store("memory://")
    storage.store_dataset(store, dataset)
    return store


def _samples_of(name: str, samples: dict[str, object]) -> dict[str, object]:
    """Samples of a parameter whose name means something else in one callable."""
    csv = samples["_csv"]
    special: dict[str, dict[str, object]] = {
        "normalise_tax_number": {"text": "0100109106"},
        "tax_number_problem": {"text": "0100109106"},
        "parse_rate": {"text": "30%"},
        "format_value": {"value": 3, "unit": indicators.Unit.ESTABLISHMENTS},
        "format_percent": {"value": Fraction(1, 3)},
        "progress": {"target": samples["targets"][0]},  # type: ignore[index]
        "read_rows": {"path": csv},
        "import_table": {"source": csv},
        "read_columns": {"source": samples["_support_csv"], "kind": "support_records"},
        "store_columns": {"kind": "support_records"},
        "load_targets": {"path": _TARGETS},
        "load_programme": {"path": _TARGETS},
        "SQLiteStore": {"path": samples["_db"]},
        "PostgresStore": {"url": os.environ.get(POSTGRES, "memory://")},
        "store_dataset": {"store": Fresh(lambda: storage.open_store("memory://"))},
        "iati.write": {"target": samples["_iati"]},
        "iati_result": {"results": samples["_rows"]},
        "required_field_problems": {"grant": threesixty.grant_to_threesixty(samples["grant"])},  # type: ignore[arg-type]
        "threesixty.read": {"source": samples["_360"]},
        "iati.read": {"source": samples["_iati"]},
        "threesixty.loads": {"document": samples["document"]},
        "iati.loads": {"document": iati.dumps(samples["results"])},  # type: ignore[arg-type]
        "iati_result_problems": {"data": {"result": []}},
        "UnitMap": {"units": [], "source": "test"},
        "progress_of": {"source": samples["source"]},
        "source_for": {"store": samples["store"]},
        "EligibleSupport": {"results": samples["_evaluated"], "delivered_on": dt.date(2020, 6, 1)},
    }
    return special.get(name, special.get(name.rsplit(".", 1)[-1], {}))


@attrs.frozen
class Walk:
    """Where the walk runs: the samples, and examples of the classes to build."""

    samples: dict[str, object]
    examples: dict[type, object]

    def call(self, name: str, target: Any, /, **override: object) -> Any:
        """Call ``target`` with valid samples, ``override`` replacing some."""
        if isinstance(target, type) and issubclass(target, enum.Enum):
            members = list(target)
            return (
                target(override["value"] if "value" in override else members[0].value)
                if members
                else None
            )
        if attrs.has(target):  # every field as the example has it
            example = self.examples[target]
            fields = {f.alias: getattr(example, f.name) for f in attrs.fields(target) if f.init}
            return target(**(fields | override))
        samples = {**self.samples, **_samples_of(name, self.samples)}
        resolved = {k: v.make() if isinstance(v, Fresh) else v for k, v in samples.items()}
        result = _walk.call(target, resolved, **override)
        if isinstance(result, storage.Store):  # a store opened by the call: let it go
            result.close()
        return result


def _callables() -> list[tuple[str, Any]]:
    found = []
    for package in PACKAGES:
        prefix = package.__name__.rsplit(".", 1)[-1]
        for name, obj in _walk.public_callables(package, classes=True):
            found.append((f"{prefix}.{name}", obj))
    return found


CALLABLES = _callables()


def _parameters(target: Any) -> list[str]:
    if isinstance(target, type) and issubclass(target, enum.Enum):
        return ["value"] if len(target) else []  # LabelledEnum, the base, has no member
    return [
        p.name
        for p in inspect.signature(target).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _harvest(found: dict[type, object], value: object, depth: int = 0) -> None:
    """Every instance of an attrs class reachable from ``value``, one per class."""
    if depth > 6:
        return
    cls = type(value)
    if attrs.has(cls):
        found.setdefault(cls, value)
        for f in attrs.fields(cls):
            _harvest(found, getattr(value, f.name, None), depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in list(value)[:5]:
            _harvest(found, item, depth + 1)
    elif isinstance(value, dict):
        for item in list(value.values())[:5]:
            _harvest(found, item, depth + 1)


def _examples(samples: dict[str, object]) -> list[object]:
    """Objects of the classes no sample or sampled call returns."""
    store = _stored(samples["dataset"])  # type: ignore[arg-type]
    envelope = store.budgets.envelopes()[0]
    project = store.projects.find()[0].id
    commitment = store.budgets.commit(envelope.key, project, 1_000, actor="a")
    disbursement = store.budgets.disburse(envelope.key, project, 1_000, actor="a")
    rows = [["Mã cơ sở", "Tên cơ sở"], ["A", ""]]
    result = indicators.compute_standard(store, samples["period"])  # type: ignore[arg-type]
    indicator = indicators.STANDARD_INDICATORS["establishments_supported"]
    return [
        store.projects.get_versioned(project),
        storage.RecordQuery(period=samples["period"]),  # type: ignore[arg-type]
        commitment,
        disbursement,
        store.audit.entries(),
        next(iter(result.values())).table("en"),
        indicators.Aggregate(indicators.Cell(3, ("A", "B"))),
        indicators.AggregateQuery(
            kind=indicator.kind,
            counting=indicator.counting,
            measure=indicator.measure,
            date_field=indicator.date_field,
            period=samples["period"],  # type: ignore[arg-type]
            filter=indicator.filter,
        ),
        importing.import_table(rows, "establishments"),
        importing.read_columns(
            [
                ["Mã bản ghi", "Mã cơ sở", "Nội dung hỗ trợ", "Ngày thực hiện"],
                ["SR-1", "E-1", "brand", "2019-03-15"],
            ],
            "support_records",
        ),
        importing.group_problems([importing.RowProblem(2, "Số lao động", "không được âm", -3)]),
        importing.UnsavedFormula("=1+2"),
        importing.ErrorCell("#N/A"),
        importing.ImportLimits(),
        importing.ImportKind.ESTABLISHMENTS.columns,
        threesixty.GrantProgramme("KC-2019", "Khuyến công 2019"),
        threesixty.LeftOut("DA-2019-HC", "đề án nhóm không có bản ghi hỗ trợ"),
        domain.CraftVillageClaim("Làng mỳ Chũ", "QĐ 1/2019", dt.date(2019, 1, 2)),
        domain.Artisan(
            "NN-1",
            "Nguyễn Văn A",
            domain.ArtisanTitle.PEOPLES_ARTISAN,
            "mỳ gạo",
            UnitRef(MapId.MAP_2021, "07525"),
        ),
    ]


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    """The samples, made in a folder of their own (a walked call may write a file)."""
    folder = tmp_path_factory.mktemp("walk")
    before = Path.cwd()
    os.chdir(folder)
    try:
        samples = _samples(folder)
        samples["_360"] = folder / "grants.json"
        threesixty.write(samples["grants"], samples["_360"])  # type: ignore[arg-type]
        samples["_iati"] = folder / "results.xml"
        iati.write(samples["results"], samples["_iati"])  # type: ignore[arg-type]
        samples["_db"] = folder / "walk.db"
        examples: dict[type, object] = {}
        for value in _examples(samples):
            _harvest(examples, value)
        for value in samples.values():
            _harvest(examples, value.make() if isinstance(value, Fresh) else value)
        probe = Walk(samples, examples)
        for name, target in CALLABLES:  # examples of what the functions return
            built = isinstance(target, type) and (
                attrs.has(target) or issubclass(target, enum.Enum)
            )
            if not built:
                with contextlib.suppress(Exception):  # test_valid_samples_are_accepted says why
                    _harvest(examples, probe.call(name, target))
        yield Walk(samples, examples)
    finally:
        os.chdir(before)


class TestEveryPublicCallable:
    def test_the_walk_covers_the_packages(self) -> None:
        """The walk finds the callables a developer calls (it cannot pass vacuously)."""
        names = {name for name, _ in CALLABLES}
        assert {
            "domain.round_down",
            "domain.Establishment",
            "units.load_map",
            "storage.open_store",
            "importing.import_table",
            "threesixty.read",
            "iati.loads",
            "indicators.compute",
        } <= names
        assert len(CALLABLES) >= 150

    @pytest.mark.parametrize(("name", "target"), CALLABLES, ids=[n for n, _ in CALLABLES])
    def test_valid_samples_are_accepted(self, name: str, target: Any, walk: Walk) -> None:
        """The samples are valid, so that a refusal below is the wrong value's doing (a
        legal value the law leaves unknown today is the law's gap, not the sample's)."""
        if target is storage.PostgresStore and not os.environ.get(POSTGRES):
            pytest.skip(f"a PostgreSQL store needs {POSTGRES}")
        with contextlib.suppress(NotConfiguredError):
            walk.call(name, target)

    @pytest.mark.parametrize(("name", "target"), CALLABLES, ids=[n for n, _ in CALLABLES])
    def test_a_wrong_value_raises_only_a_library_error(
        self, name: str, target: Any, walk: Walk
    ) -> None:
        """A date as text, a float amount, None or an int in any parameter is accepted or
        refused with a KhuyenCongError, never with a raw TypeError, AttributeError or
        KeyError."""
        escaped = []
        for parameter in _parameters(target):
            for label, wrong in WRONG.items():
                try:
                    walk.call(name, target, **{parameter: wrong})
                except KhuyenCongError:
                    pass
                except Exception as exc:
                    escaped.append(f"{parameter}={label}: {type(exc).__name__}: {exc}"[:300])
        assert escaped == []


REPOSITORIES = (
    "establishments",
    "projects",
    "support_records",
    "fair_participations",
    "award_entries",
    "ocop_ratings",
    "budgets",
    "audit",
)


def _methods() -> list[tuple[str, str, str]]:
    """``(repository, method, protocol)`` for every public method a store's repositories
    offer, read from the port's protocols."""
    protocols = {
        "projects": storage.ProjectRepository,
        "award_entries": storage.AwardRepository,
        "budgets": storage.BudgetRepository,
        "audit": storage.AuditLog,
    }
    found = []
    for repo in REPOSITORIES:
        protocol = protocols.get(repo, storage.Repository)
        for name, _ in inspect.getmembers(protocol, inspect.isfunction):
            if not name.startswith("_"):
                found.append((repo, name, protocol.__name__))
    return found


METHODS = _methods()


def _store_samples(store: storage.Store, repo: str) -> dict[str, object]:
    """Valid arguments for the methods of ``store.<repo>`` (a store holding the sample)."""
    objects: dict[str, Iterable[object]] = {
        "establishments": store.establishments,
        "projects": store.projects,
        "support_records": store.support_records,
        "fair_participations": store.fair_participations,
        "award_entries": store.award_entries,
        "ocop_ratings": store.ocop_ratings,
    }
    first = next(iter(objects[repo])) if repo in objects else None
    envelope = store.budgets.envelopes()[0]
    project = store.projects.find()[0]
    return {
        "obj": first,
        "objs": [first],
        "id": getattr(first, "id", ""),
        "query": None,
        "project": project,
        "expected_version": 1,
        "actor": "chuyên viên A",
        "reason": "sổ đề án",
        "entry": first,
        "envelope": envelope,
        "key": envelope.key,
        "envelope_key": envelope.key,
        "project_id": project.id,
        "amount": 1_000,
        "action": "ungdung.ghi_chu",
        "subject": "project:" + project.id,
    }


class TestEveryRepositoryMethod:
    def test_the_walk_covers_the_repositories(self) -> None:
        """Every repository's methods are walked, the budgets' and the audit log's too."""
        assert {(r, m) for r, m, _ in METHODS} >= {
            ("establishments", "add"),
            ("projects", "save"),
            ("award_entries", "record_result"),
            ("budgets", "commit"),
            ("audit", "append"),
        }

    @pytest.mark.parametrize(
        ("repo", "method", "protocol"), METHODS, ids=[f"{r}.{m}" for r, m, _ in METHODS]
    )
    def test_a_wrong_value_raises_only_a_library_error(
        self, repo: str, method: str, protocol: str, walk: Walk
    ) -> None:
        """A date as text, a float amount, None or an int in any parameter of a repository's
        method is refused (or accepted) with a KhuyenCongError, never a raw TypeError,
        AttributeError or KeyError; valid samples are accepted."""
        dataset = walk.samples["dataset"]
        escaped = []
        store = _stored(dataset)  # type: ignore[arg-type]
        bound = getattr(getattr(store, repo), method)
        samples = _store_samples(store, repo)
        with contextlib.suppress(KhuyenCongError):  # e.g. add: the sample is already stored
            _walk.call(bound, samples)
        for parameter in _parameters(bound):
            for label, wrong in WRONG.items():
                store = _stored(dataset)  # type: ignore[arg-type]
                bound = getattr(getattr(store, repo), method)
                try:
                    _walk.call(bound, _store_samples(store, repo), **{parameter: wrong})
                except KhuyenCongError:
                    pass
                except Exception as exc:
                    escaped.append(f"{parameter}={label}: {type(exc).__name__}: {exc}"[:300])
        assert escaped == []
