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

>>> import tempfile, pathlib
>>> result = run_demo(pathlib.Path(tempfile.mkdtemp()) / "demo.db")
>>> result.stored["establishments"], "52 hợp tác xã" in result.report
(56, True)
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import attrs

from khuyencong.domain import Confidence, Dataset, Establishment, Lang, Project
from khuyencong.exceptions import CoverageError, NotConfiguredError
from khuyencong.indicators import RecordSet
from khuyencong.reports import (
    build_report,
    example_path,
    load_example,
    load_folder_targets,
    load_report_config,
)
from khuyencong.rules import RuleSet, check_eligibility, check_project_amounts
from khuyencong.storage import dataset_from_store, open_store, store_dataset
from khuyencong.units import MapId

__all__ = ["DemoResult", "ProjectCheck", "run_demo"]


@attrs.frozen
class ProjectCheck:
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
    """

    project_id: str
    eligible: bool
    within_maxima: bool | None
    reasons: tuple[tuple[str, str], ...]
    unverified_levels: bool = False


@attrs.frozen
class DemoResult:
    """What the demo did.

    Attributes:
        database: The SQLite file the example was loaded into.
        stored: How many objects of each kind were stored.
        checks: The rules' verdict on each example project.
        report: The report (Markdown, or HTML).
        rule_layers: The layers of the rules the projects were checked with (national, the
            province's documents, the example's own overlay).
    """

    database: Path
    stored: dict[str, int]
    checks: tuple[ProjectCheck, ...]
    report: str
    rule_layers: tuple[str, ...] = ()

    def checks_summary(self, lang: Lang = "vi") -> str:
        """A short account of the project checks, in ``lang``."""
        n = len(self.checks)
        eligible = sum(c.eligible for c in self.checks)
        within = sum(c.within_maxima is True for c in self.checks)
        above = sum(c.within_maxima is False for c in self.checks)
        unknown = sum(c.within_maxima is None for c in self.checks)
        unverified = sum(c.within_maxima is not None and c.unverified_levels for c in self.checks)
        if lang == "vi":
            lines = [
                (
                    f"Kiểm tra {n} đề án mẫu theo quy định: {eligible} đề án có mọi đơn vị "
                    "thụ hưởng đủ điều kiện vào ngày phê duyệt;"
                ),
                (
                    f"{within} đề án có mức đề nghị trong mức hỗ trợ tối đa, {above} vượt mức, "
                    f"{unknown} chưa kiểm tra được vì mức hỗ trợ chưa được cấu hình."
                ),
            ]
        else:
            lines = [
                (
                    f"Checked {n} example projects against the rules: in {eligible} every "
                    "beneficiary was eligible on the approval date;"
                ),
                (
                    f"{within} request amounts within the legal maximum, {above} above it, "
                    f"and {unknown} could not be checked because a support level is not "
                    "configured."
                ),
            ]
        if unverified:
            lines.append(
                f"  ({unverified} trong số đó dựa trên mức hỗ trợ chưa kiểm chứng [U])"
                if lang == "vi"
                else f"  ({unverified} of them rest on an unverified [U] support level)"
            )
        if self.rule_layers:
            lines.append(_layers_line(self.rule_layers, lang))
        index = 0 if lang == "vi" else 1
        reasons = Counter(r[index] for c in self.checks for r in c.reasons)
        lines.extend(f"  - {count} × {reason}" for reason, count in reasons.most_common(5))
        return "\n".join(lines)


def _layers_line(layers: tuple[str, ...], lang: Lang) -> str:
    """The rule layers as a sentence: the national rules, then each overlay by its name."""
    names = [
        ("quốc gia" if lang == "vi" else "national")
        if layer == "national"
        else layer.removeprefix("overlay: ")
        for layer in layers
    ]
    head = "Quy định áp dụng" if lang == "vi" else "Rules applied"
    return f"{head}: {' + '.join(names)}."


def _not_configured(exc: NotConfiguredError | CoverageError) -> tuple[str, str]:
    if isinstance(exc, CoverageError):
        return (f"ngoài thời gian hiệu lực của {exc.parameter}", str(exc))
    return (
        f"chưa cấu hình {exc.parameter}: cần {exc.source_document}",
        f"not configured: {exc.parameter} (from {exc.source_document})",
    )


def _check(
    project: Project, establishments: Mapping[str, Establishment], rules: RuleSet
) -> ProjectCheck:
    on = project.approved_on or project.submitted_on
    if on is None:
        reason = ("đề án chưa có ngày nộp hoặc phê duyệt", "the project has no submission date")
        return ProjectCheck(project.id, eligible=False, within_maxima=None, reasons=(reason,))
    reasons: list[tuple[str, str]] = []
    eligible = True
    for beneficiary in project.beneficiary_ids:
        est = establishments.get(beneficiary)
        if est is None:
            eligible = False
            reasons.append(
                (f"không có cơ sở {beneficiary}", f"beneficiary {beneficiary} is not stored")
            )
            continue
        try:
            decision = check_eligibility(est, on, rules, plan_year=project.plan_year)
        except (NotConfiguredError, CoverageError) as exc:
            eligible = False
            reasons.append(_not_configured(exc))
            continue
        eligible = eligible and decision.outcome
        reasons.extend((c.message("vi"), c.message("en")) for c in decision.failed)
    try:
        amounts = check_project_amounts(project, on, rules)
    except (NotConfiguredError, CoverageError) as exc:
        reasons.append(_not_configured(exc))
        return ProjectCheck(project.id, eligible, None, tuple(reasons))
    reasons.extend((c.message("vi"), c.message("en")) for c in amounts.failed)
    unverified = any(c.citation.confidence is Confidence.UNVERIFIED for c in amounts.conditions)
    return ProjectCheck(project.id, eligible, amounts.outcome, tuple(reasons), unverified)


def run_demo(
    database: str | Path | None = None,
    *,
    lang: Lang = "vi",
    fmt: str = "md",
    charts: bool = True,
) -> DemoResult:
    """Load the example into SQLite, check its projects with the rules, and report.

    Args:
        database: The SQLite file to create (default: a new file in a temporary folder). An
            existing file is refused rather than mixed with the example.
        lang: The report's language.
        fmt: ``"md"`` or ``"html"``.
        charts: Draw charts in the HTML report (needs the ``charts`` extra).

    Returns:
        The database path, what was stored, the project checks and the report.
    """
    path = Path(database) if database is not None else _new_database()
    example = load_example()
    dataset = Dataset(
        establishments=example.establishments,
        projects=example.projects,
        support_records=example.support,
        fair_participations=example.fairs,
        award_entries=example.awards,
        ocop_ratings=example.ocop,
    )
    with open_store(f"sqlite:///{path.resolve()}") as store:
        stored = store_dataset(store, dataset)
        loaded = dataset_from_store(store)
    folder = example_path()
    # Bắc Giang's own documents (real, cited), then the example's city grades.
    rules = RuleSet.for_province("24", map_id=MapId.MAP_2021).with_overlay(folder / "overlay.toml")
    by_id = {e.id: e for e in loaded.establishments}
    checks = tuple(_check(p, by_id, rules) for p in loaded.projects)
    source = RecordSet(
        establishments=loaded.establishments,
        support=loaded.support_records,
        fairs=loaded.fair_participations,
        awards=loaded.award_entries,
        ocop=loaded.ocop_ratings,
        projects=loaded.projects,
    )
    report = build_report(
        source,
        load_report_config(folder),
        lang=lang,
        targets=load_folder_targets(folder),
        charts=charts and fmt == "html",
    )
    text = report.to_html() if fmt == "html" else report.to_markdown()
    return DemoResult(path, stored, checks, text, rules.layers)


def _new_database() -> Path:
    return Path(tempfile.mkdtemp(prefix="khuyencong-demo-")) / "khuyencong.db"
