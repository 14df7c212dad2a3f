"""The library's main job, end to end, on the founding example (``khuyencong demo``).

:func:`run_demo` loads the Bắc Giang 2017–2020 example into an SQLite store (the embedded
default), evaluates the example's projects with the rules (is each beneficiary eligible on the
approval date, is each requested amount within the legal maximum, or is the level not
configured), computes the indicators from the store and returns the report.

The rules are the national ones with Bắc Giang's own documents layered on
(``RuleSet.for_province("24", map_id="2021-11")``: QĐ 734/2014/QĐ-UBND as amended by QĐ
30/2019/QĐ-UBND, shipped in ``khuyencong/data/legal/overlays/``), then the example's own
overlay (city grades of Bắc Giang city, from secondary sources). Every layer is named in
:meth:`DemoResult.checks_summary`.

``run_demo(example="bac-ninh-2026")`` (``khuyencong demo --example bac-ninh-2026``) runs the
present instead: a synthetic 2026 plan of the post-reform Bắc Ninh province (code 24 on the
2025-reform map), decided under NĐ 235/2025 with ``RuleSet.for_province("24")``. Its projects
are decided on the plan's review date, 1 December 2026; a project approved before 15/10/2025 is
judged under the rules of its approval date (the transition of 235/2025). Its artisan (a
person, which the dataset format does not hold) is read from ``artisans.json`` and decided
separately. The summary lists every project's verdict and every value that is not configured,
with the document that should supply it.

Without a database path the store is ``<cache>/demo/<example>.db`` (see :func:`cache_dir`:
``$XDG_CACHE_HOME/khuyencong`` or ``~/.cache/khuyencong`` on Linux), rebuilt on each run, so
that running the demo again replaces it rather than leaving stores behind.

>>> import tempfile, pathlib
>>> result = run_demo(pathlib.Path(tempfile.mkdtemp()) / "demo.db")
>>> result.stored["establishments"], "52 hợp tác xã" in result.report
(56, True)
>>> today = run_demo(pathlib.Path(tempfile.mkdtemp()) / "bn.db", example="bac-ninh-2026")
>>> today.stored["projects"], len(today.not_configured)
(12, 5)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from khuyencong._data import ToData
from khuyencong.converters import parse_json, structure
from khuyencong.domain import Artisan, Confidence, Establishment, Lang, Project
from khuyencong.exceptions import CoverageError, NotConfiguredError, NotFoundError
from khuyencong.indicators import Breakdown, source_for
from khuyencong.messages import Text, resolve_language, text
from khuyencong.reports import (
    build_report,
    example_path,
    load_example,
    load_folder_targets,
    load_report_config,
)
from khuyencong.rules import (
    Decision,
    RuleSet,
    check_eligibility,
    check_project_amounts,
    rules_date,
)
from khuyencong.storage import dataset_from_store, open_store, store_dataset
from khuyencong.units import MapId

__all__ = [
    "CACHE_VARIABLE",
    "DEMO_EXAMPLES",
    "DemoResult",
    "ProjectCheck",
    "cache_dir",
    "default_database",
    "example_label",
    "run_demo",
]

CACHE_VARIABLE = "KHUYENCONG_CACHE_DIR"
"""The environment variable that moves khuyencong's cache folder (see :func:`cache_dir`)."""


def _pair(key: str, **fields: object) -> tuple[str, str]:
    """A message of the demo's catalogue in both languages, as (Vietnamese, English)."""
    return text(key, "vi", **fields), text(key, "en", **fields)


@attrs.frozen
class ProjectCheck(ToData):
    """The rules' verdict on one example project.

    Attributes:
        project_id: The project.
        eligible: Whether every beneficiary was eligible on the approval date.
        within_maxima: Whether every requested amount is within its legal maximum, or ``None``
            when a level the check needs is not configured.
        reasons: The failed conditions, or why a level is not configured, each as a
            (Vietnamese, English) pair.
        unverified_levels: Whether a support level the amount check used is tagged [U]
            (believed, not verified in the document).
        decided_on: The date the project was decided on.
        regime: Which rules were applied, as a (Vietnamese, English) pair ("under
            45/2012/NĐ-CP, the rules of the approval date 2025-09-10" for a project approved
            before 235/2025).
        rules_on: The date whose rules were applied, when it is not ``decided_on``.
        not_configured: Each value the checks needed and the library does not know, as
            (parameter, the document that should supply it).
        notes: What the decision says beyond its verdict, as (Vietnamese, English) pairs: a
            place of production on an older map placed on the post-reform map.
        gaps: Those of ``reasons`` that are a gap in the law's values (a value not configured,
            or a date outside a value's coverage) rather than a failed condition.
    """

    project_id: str
    eligible: bool
    within_maxima: bool | None
    reasons: tuple[tuple[str, str], ...]
    unverified_levels: bool = False
    decided_on: dt.date | None = None
    regime: tuple[str, str] | None = None
    rules_on: dt.date | None = None
    not_configured: tuple[tuple[str, str], ...] = ()
    notes: tuple[tuple[str, str], ...] = ()
    gaps: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class DemoResult(ToData):
    """What the demo did; ``to_data()`` gives it as JSON-ready data.

    Attributes:
        database: The SQLite file the example was loaded into.
        stored: How many objects of each kind were stored.
        checks: The rules' verdict on each example project.
        report: The report (Markdown, or HTML).
        rule_layers: The layers of the rules the projects were checked with (national, the
            province's documents, the example's own overlay).
        example: The example's name (see :data:`DEMO_EXAMPLES`).
        artisans: The eligibility decisions on the example's artisans (people holding a
            title, which the dataset format does not hold).
        detailed: Whether :meth:`checks_summary` lists every project's verdict.
    """

    database: Path
    stored: dict[str, int]
    checks: tuple[ProjectCheck, ...]
    report: str
    rule_layers: tuple[str, ...] = ()
    example: str = "bac-giang-2017-2020"
    artisans: tuple[Decision, ...] = ()
    detailed: bool = False

    @property
    def not_configured(self) -> tuple[tuple[str, str], ...]:
        """Every value the checks needed that is not configured, once each, as (parameter,
        the document that should supply it), in the order the projects met them."""
        return tuple(dict.fromkeys(v for c in self.checks for v in c.not_configured))

    def checks_summary(self, lang: Lang | None = None) -> str:
        """A short account of the project checks, in ``lang`` (the language in force by
        default)."""
        lang = resolve_language(lang)
        n = len(self.checks)
        decided = next((c.decided_on for c in self.checks if c.decided_on), None)
        eligible = sum(c.eligible for c in self.checks)
        within = sum(c.within_maxima is True for c in self.checks)
        above = sum(c.within_maxima is False for c in self.checks)
        unknown = sum(c.within_maxima is None for c in self.checks)
        unverified = sum(c.within_maxima is not None and c.unverified_levels for c in self.checks)
        if decided is not None:
            checked = text(
                "demo.summary.checked_on", lang, n=n, eligible=eligible, day=_day(decided, lang)
            )
        else:
            checked = text("demo.summary.checked", lang, n=n, eligible=eligible)
        lines = [
            checked,
            text("demo.summary.amounts", lang, within=within, above=above, unknown=unknown),
        ]
        if unverified:
            lines.append("  " + text("demo.summary.unverified", lang, count=unverified))
        if self.rule_layers:
            lines.append(_layers_line(self.rule_layers, lang))
        index = 0 if lang == "vi" else 1
        if self.detailed:
            # Every project's verdict and reasons, then the artisans (people, decided apart).
            lines.insert(0, _synthetic_line(self.example, lang))
            lines.extend(_project_lines(c, lang) for c in self.checks)
            lines.extend(_artisan_line(d, lang) for d in self.artisans)
        else:
            reasons = Counter(r[index] for c in self.checks for r in c.reasons)
            lines.extend(f"  - {count} × {reason}" for reason, count in reasons.most_common(5))
        missing = self.not_configured
        if missing:
            lines.append(text("demo.summary.missing", lang, count=len(missing)))
            lines.extend(
                "  - " + text("demo.summary.missing_value", lang, name=name, document=document)
                for name, document in missing
            )
        return "\n".join(lines)


def _day(day: dt.date, lang: Lang) -> str:
    """A date as the reader writes it: 01/12/2026 in Vietnamese, 2026-12-01 in English."""
    return text("demo.date", lang, day=day)


def _project_lines(check: ProjectCheck, lang: Lang) -> str:
    """One project's verdict, the rules it was decided under, and why."""
    index = 0 if lang == "vi" else 1
    who = text("demo.project.eligible" if check.eligible else "demo.project.not_eligible", lang)
    amount = {True: "within", False: "above", None: "unchecked"}[check.within_maxima]
    head = f"  {check.project_id}: {who}; {text(f'demo.project.{amount}', lang)}"
    if check.decided_on is not None:
        head += " — " + text("demo.project.decided_on", lang, day=_day(check.decided_on, lang))
    if check.regime is not None:
        head += f", {check.regime[index]}"
    lines = [head]
    lines.extend(f"      · {note[index]}" for note in check.notes)
    # A failed condition is marked ✗; a gap in the law's values (not a refusal) is marked ?.
    lines.extend(f"      {'?' if r in check.gaps else '✗'} {r[index]}" for r in check.reasons)
    return "\n".join(lines)


def _synthetic_line(example: str, lang: Lang) -> str:
    label = example_label(example, lang)
    return text("demo.summary.synthetic", lang, example=f"{label[0].upper()}{label[1:]}")


def _artisan_line(decision: Decision, lang: Lang) -> str:
    """An artisan's eligibility decision, indented under the projects."""
    return "\n".join(f"  {line}" for line in decision.render(lang).splitlines())


def _layers_line(layers: tuple[str, ...], lang: Lang) -> str:
    """The rule layers as a sentence: the national rules, then each overlay by its name."""
    names = [
        text("demo.summary.national", lang)
        if layer == "national"
        else layer.removeprefix("overlay: ")
        for layer in layers
    ]
    return text("demo.summary.layers", lang, layers=" + ".join(names))


def _not_configured_reason(parameter: str, document: str | Text) -> tuple[str, str]:
    source = Text.of(document)
    return (
        text("demo.reason.not_configured", "vi", parameter=parameter, document=source.vi),
        text("demo.reason.not_configured", "en", parameter=parameter, document=source.en),
    )


def _not_configured(exc: NotConfiguredError | CoverageError) -> tuple[str, str]:
    if isinstance(exc, CoverageError):
        return (
            text("demo.reason.coverage", "vi", parameter=exc.parameter, on=_day(exc.on, "vi")),
            text("demo.reason.coverage", "en", parameter=exc.parameter, on=_day(exc.on, "en")),
        )
    return _not_configured_reason(exc.parameter, exc.source_document)


def _missing(exc: NotConfiguredError | CoverageError) -> tuple[tuple[str, str], ...]:
    """The (parameter, document) of a value that is not configured (none for coverage)."""
    if isinstance(exc, NotConfiguredError):
        return ((exc.parameter, str(exc.source_document)),)
    return ()


def _location_notes(est: Establishment, decision: Decision) -> list[tuple[str, str]]:
    """What the location test said of a place on an older map, or of a declared craft
    village (declared data: the recognition decision was not checked)."""
    notes: list[tuple[str, str]] = []
    where = [c for c in decision.conditions if c.code == "location"]
    if est.location.map_id is not MapId.MAP_REFORM:
        notes.extend((c.message("vi"), c.message("en")) for c in where)
    if est.craft_village is not None:
        name = est.craft_village.name
        notes.extend(
            (
                text("demo.note.craft_village", "vi", name=name, condition=c.message("vi")),
                text("demo.note.craft_village", "en", name=name, condition=c.message("en")),
            )
            for c in where
        )
    return notes


def _regime(on: dt.date, rules_on: dt.date, regime: str | None) -> tuple[str, str] | None:
    """Which rules a project was decided under, as a reader would say it."""
    if regime is None:
        return None
    decision = Decision("eligibility", on, "", regime=regime, rules_on=rules_on)
    return decision.regime_text("vi"), decision.regime_text("en")


def _check(
    project: Project,
    establishments: Mapping[str, Establishment],
    rules: RuleSet,
    review_on: dt.date | None = None,
) -> ProjectCheck:
    """The rules' verdict on ``project``: on ``review_on`` if given (a project approved under
    an earlier regime is then judged under the rules of its approval date), otherwise on its
    approval (or submission) date."""
    on = review_on or project.approved_on or project.submitted_on
    if on is None:
        reason = _pair("demo.reason.no_date")
        return ProjectCheck(project.id, eligible=False, within_maxima=None, reasons=(reason,))
    rules_on, regime = rules_date(on, approved_on=project.approved_on, rules=rules)
    reasons: list[tuple[str, str]] = []
    missing: list[tuple[str, str]] = []
    gaps: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    eligible = True
    for beneficiary in project.beneficiary_ids:
        est = establishments.get(beneficiary)
        if est is None:
            eligible = False
            reasons.append(_pair("demo.reason.no_beneficiary", id=beneficiary))
            continue
        try:
            decision = check_eligibility(
                est, on, rules=rules, plan_year=project.plan_year, approved_on=project.approved_on
            )
        except (NotConfiguredError, CoverageError) as exc:
            eligible = False
            gaps.append(_not_configured(exc))
            reasons.append(gaps[-1])
            missing.extend(_missing(exc))
            continue
        eligible = eligible and decision.outcome
        reasons.extend((c.message("vi"), c.message("en")) for c in decision.failed)
        if review_on is not None:
            notes.extend(_location_notes(est, decision))

    def verdict(within: bool | None, unverified: bool = False) -> ProjectCheck:
        reviewed = review_on is not None
        return ProjectCheck(
            project.id,
            eligible,
            within,
            tuple(reasons),
            unverified,
            decided_on=on if reviewed else None,
            regime=_regime(on, rules_on, regime) if reviewed else None,
            rules_on=rules_on if rules_on != on else None,
            not_configured=tuple(dict.fromkeys(missing)),
            notes=tuple(notes),
            gaps=tuple(gaps),
        )

    try:
        amounts = check_project_amounts(project, rules_on, rules=rules)
    except (NotConfiguredError, CoverageError) as exc:
        gaps.append(_not_configured(exc))
        reasons.append(gaps[-1])
        missing.extend(_missing(exc))
        return verdict(None)
    reasons.extend((c.message("vi"), c.message("en")) for c in amounts.failed)
    unverified = any(c.citation.confidence is Confidence.UNVERIFIED for c in amounts.conditions)
    return verdict(amounts.outcome, unverified)


@attrs.frozen
class _Example:
    """How the demo runs one shipped example."""

    folder: str
    province: str
    map_id: MapId | None = None
    own_overlay: bool = False
    review_on: dt.date | None = None
    by_commune: bool = False


_EXAMPLES: dict[str, _Example] = {
    "bac-giang-2017-2020": _Example(
        "bac_giang_2017_2020",
        "24",
        MapId.MAP_2021,
        own_overlay=True,
    ),
    # The centre reviews its 2026 plan on 1 December 2026: every project is decided that day,
    # one approved before 15/10/2025 under the rules of its approval date (235/2025's
    # transition). No overlay of the example's own: every rule is the national one or the
    # province's shipped documents'.
    "bac-ninh-2026": _Example(
        "bac_ninh_2026",
        "24",
        MapId.MAP_REFORM,
        review_on=dt.date(2026, 12, 1),
        by_commune=True,
    ),
}


DEMO_EXAMPLES: dict[str, str] = {
    name: text(f"demo.example.{name}.description", "en") for name in _EXAMPLES
}
"""The examples :func:`run_demo` runs, by name, with what each is (in English; the
catalogue's ``demo.example.<name>.description`` has both languages)."""


def example_label(name: str, lang: Lang | None = None) -> str:
    """How the demo names example ``name`` in ``lang`` (the language in force by default).

    >>> example_label("bac-ninh-2026", "en")
    'the synthetic post-reform Bắc Ninh 2026 example'
    """
    return text(f"demo.example.{_key(name)}.label", resolve_language(lang))


def _key(name: str) -> str:
    _example(name)
    return name.replace("_", "-")


def _example(name: str) -> _Example:
    found = _EXAMPLES.get(name.replace("_", "-"))
    if found is None:
        hint = Text.message("errors.hint.known", items=", ".join(DEMO_EXAMPLES))
        raise NotFoundError("example", name, hint)
    return found


def _artisans(folder: Path) -> tuple[Artisan, ...]:
    """The example's artisans (``artisans.json``; none if absent)."""
    path = folder / "artisans.json"
    if not path.exists():
        return ()
    data = parse_json(path.read_bytes(), source=str(path))
    return tuple(structure(data, list[Artisan]))


def cache_dir() -> Path:
    """The folder where khuyencong keeps what it can rebuild (the demo's stores).

    ``$KHUYENCONG_CACHE_DIR`` when set; otherwise the user's cache folder, as other programs
    use it: ``$XDG_CACHE_HOME/khuyencong`` or ``~/.cache/khuyencong`` on Linux,
    ``~/Library/Caches/khuyencong`` on macOS, ``%LOCALAPPDATA%\\khuyencong\\Cache`` on Windows.

    >>> import os
    >>> os.environ[CACHE_VARIABLE] = "/tmp/kc-cache"
    >>> cache_dir().as_posix()
    '/tmp/kc-cache'
    >>> del os.environ[CACHE_VARIABLE]
    """
    override = os.environ.get(CACHE_VARIABLE, "").strip()
    if override:
        return Path(override)
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "").strip()
        return (
            (Path(local) if local else Path.home() / "AppData" / "Local") / "khuyencong" / "Cache"
        )
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "khuyencong"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "khuyencong"


def default_database(example: str = "bac-giang-2017-2020") -> Path:
    """Where :func:`run_demo` keeps an example's store when given none: ``<cache>/demo/…``.

    >>> default_database("bac-ninh-2026").name
    'bac-ninh-2026.db'
    """
    return cache_dir() / "demo" / f"{_key(example)}.db"


@contextlib.contextmanager
def _rebuilt(final: Path) -> Iterator[Path]:
    """A fresh file to build the store in, which replaces ``final`` when the block succeeds.

    The demo's own store is rebuilt on each run: built beside the old one and then moved over
    it, so that a run that fails leaves the previous store whole and no partial file behind.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    building = final.with_name(f".{final.name}.{os.getpid()}.building")
    leftovers = [building.with_name(building.name + suffix) for suffix in ("", "-wal", "-shm")]
    for path in leftovers:
        path.unlink(missing_ok=True)
    try:
        yield building
        building.replace(final)
    finally:
        for path in leftovers:
            path.unlink(missing_ok=True)


def run_demo(
    database: str | Path | None = None,
    *,
    lang: Lang | None = None,
    fmt: str = "md",
    charts: bool = True,
    example: str = "bac-giang-2017-2020",
) -> DemoResult:
    """Load the example into SQLite, check its projects with the rules, and report.

    Args:
        database: The SQLite file to create; an existing file is refused rather than mixed
            with the example. Without one, the demo's own store :func:`default_database` in
            the user's cache folder, rebuilt on each run.
        lang: The report's language (the language in force by default).
        fmt: ``"md"`` or ``"html"``.
        charts: Draw charts in the HTML report (needs the ``charts`` extra).
        example: Which example (see :data:`DEMO_EXAMPLES`): ``"bac-giang-2017-2020"`` (the
            default) or ``"bac-ninh-2026"``.

    Returns:
        The database path, what was stored, the project checks and the report.

    Raises:
        NotFoundError: If there is no such example.
        DuplicateIdError: If ``database`` already holds the example's records.
    """
    spec = _example(example)
    resolved = resolve_language(lang)
    if database is None:
        final = default_database(example)
        with _rebuilt(final) as building:
            result = _run(spec, building, lang=resolved, fmt=fmt, charts=charts, example=example)
        return attrs.evolve(result, database=final)
    return _run(spec, Path(database), lang=resolved, fmt=fmt, charts=charts, example=example)


def _run(
    spec: _Example, path: Path, *, lang: Lang, fmt: str, charts: bool, example: str
) -> DemoResult:
    records = load_example(spec.folder)
    dataset = records.to_dataset()
    with open_store(f"sqlite:///{path.resolve()}") as store:
        stored = store_dataset(store, dataset)
        loaded = dataset_from_store(store)
    folder = example_path(spec.folder)
    # The province's own documents (real, cited), then the example's own facts if it has any
    # (the Bắc Giang example: the city grades of Bắc Giang city).
    rules = RuleSet.for_province(spec.province, map_id=spec.map_id)
    if spec.own_overlay:
        rules = rules.with_overlay(folder / "overlay.toml")
    by_id = {e.id: e for e in loaded.establishments}
    checks = tuple(_check(p, by_id, rules, spec.review_on) for p in loaded.projects)
    artisans = tuple(
        check_eligibility(a, spec.review_on or dt.date.today(), rules=rules)  # noqa: DTZ011
        for a in _artisans(folder)
    )
    source = source_for(loaded)
    report = build_report(
        source,
        load_report_config(folder),
        lang=lang,
        # The post-reform map has no districts: a plan on it is rolled up by commune.
        by=Breakdown.commune(MapId.MAP_REFORM) if spec.by_commune else None,
        targets=load_folder_targets(folder),
        charts=charts and fmt == "html",
    )
    rendered = report.to_html() if fmt == "html" else report.to_markdown()
    name = example.replace("_", "-")
    detailed = spec.review_on is not None
    return DemoResult(path, stored, checks, rendered, rules.layers, name, artisans, detailed)
