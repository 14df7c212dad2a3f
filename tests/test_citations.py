"""Citations a user can follow: every shipped note names public sources, never a file of ours.

A note, a citation, a ``source_document`` or a catalogue ``missing_source`` reaches users
(``Citation.note``, the rules pages, :class:`~khuyencong.exceptions.NotConfiguredError`
messages, reports). It may name public documents with their article and clause
("45/2012/NĐ-CP Điều 1.2.a"), the URL of a public secondary source, or describe in plain words
what should supply a value ("the province's People's Council resolution on local-fund levels").
It must never point at the project's own working files ("rules.md §2", "legal/khuyen-cong.md",
"regime-2025.md", "/work/shared/...") that no user can open.

The texts are checked twice: in the raw shipped files (every string of every data file under
``khuyencong/data/``) and through the objects a user gets (the loaded national parameters, each
shipped overlay layered on them, the catalogue, the targets, the citations the Python code
builds). A secondary-source value ([V2]) must also say where it was read: a URL, or a public
document other than the one it cites.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from khuyencong.domain import Confidence
from khuyencong.exceptions import DataFileError
from khuyencong.indicators import load_targets
from khuyencong.rules import ParameterEntry, RuleSet, for_province, load_parameters, provinces
from khuyencong.rules._catalogue import CATALOGUE

PACKAGE = Path(str(resources.files("khuyencong")))
DATA = PACKAGE / "data"

FORBIDDEN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), why)
    for pattern, why in (
        (r"\brules\.md\b", "the project's domain file rules.md"),
        (r"\bregime-2025(\.md)?\b", "the project's domain file regime-2025.md"),
        (r"\bindicators\.md\b", "the project's domain file indicators.md"),
        (r"\bkhuyen-cong\.md\b", "the project's legal notes khuyen-cong.md"),
        (r"\bhop-tac-xa\.md\b", "the project's legal notes hop-tac-xa.md"),
        (r"\b[\w.-]+\.md\b", "a Markdown file of the project"),
        # "khuyencong/data/legal/x.toml" is a shipped file a user can open; "legal/x.md" or
        # "not in legal/" is the project's working folder of legal texts.
        (r"(?<!data/)(?<![\w-])legal/", "the project's folder legal/"),
        (r"/work/", "a path on the developers' machine (/work/...)"),
        (r"\bshared/", "the project's shared/ folder"),
        (r"\bseed/", "the project's seed/ folder"),
        (r"§", "a section (§) of the project's own documents"),
        (r"\bsee rules\b", "the project's domain file rules.md"),
        (r"\bdomain (reference|doc|file|notes)\b", "the project's domain reference"),
        (r"\bthe project's (legal )?(sources|files|notes|reference)\b", "the project's files"),
    )
)
"""Patterns that point at something a user cannot open, with the reason shown on failure."""

URL = re.compile(r"https?://[\w.-]+\.[a-z]{2,}\S*", re.IGNORECASE)
DOCUMENT_NUMBER = re.compile(r"\b\d{1,5}/(?:\d{4}/)?[A-ZĐ]{2,}[\wĐđ-]*")
"""A Vietnamese document number: 45/2012/NĐ-CP, 148/QĐ-TTg, 17/2023/QH15, 26/2014/TTLT-BTC-BCT."""


def offences(text: str) -> list[str]:
    """The reasons ``text`` points at something a user cannot open (empty when it does not)."""
    found: list[str] = []
    spans: list[range] = []
    for rx, why in FORBIDDEN:
        for m in rx.finditer(text):
            if not any(m.start() in s or m.end() - 1 in s for s in spans):
                spans.append(range(m.start(), m.end()))
                found.append(f"{why} ({m.group(0)!r})")
    return found


def _doc_key(number: str) -> str:
    return number.upper().replace("Đ", "D")


def names_a_source(note: str, own_document: str) -> bool:
    """Whether a [V2] note says where it was read: a URL, or a public document other than its own.

    >>> names_a_source("read on https://thuvienphapluat.vn/x.aspx", "45/2012/NĐ-CP")
    True
    >>> names_a_source("45/2012/NĐ-CP Điều 1.2.a", "45/2012/NĐ-CP")
    False
    >>> names_a_source("quoted by QĐ 30/2019/QĐ-UBND Điều 1", "734/2014/QĐ-UBND")
    True
    """
    if URL.search(note):
        return True
    own = {_doc_key(m) for m in DOCUMENT_NUMBER.findall(own_document)}
    return any(_doc_key(m) not in own for m in DOCUMENT_NUMBER.findall(note))


def report(offenders: list[str], what: str) -> str:
    """The failure message: how many, what to do, then one line per offence."""
    lines = "\n".join(f"  - {o}" for o in offenders)
    return (
        f"{len(offenders)} {what} cannot be followed by a user; name the public document "
        "(number, article, clause) and the URL of the secondary source instead:\n"
        f"{lines}"
    )


# ---------------------------------------------------------------------------------------------
# The shipped files


def _data_files(*suffixes: str) -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix in suffixes)


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _strings(node: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """Every string in a parsed TOML or JSON document, with its ``$.path``."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{path}[{i}]")


def _parsed(path: Path) -> dict[str, Any] | None:
    """The TOML of ``path``, or ``None`` if it does not parse (the data-file test reports it)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError:
        return None


def _parameter_label(doc: Any, path: str) -> str:
    """``$.values[3].note`` with the parameter (or support content) named, for the message."""
    match = re.match(r"\$\.(values|support|target)\[(\d+)\]", path)
    if not match or not isinstance(doc, dict):
        return path
    table = doc.get(match.group(1), [])[int(match.group(2))]
    name = table.get("parameter") or table.get("content") or table.get("indicator")
    return f"{path} ({name})" if name else path


DATA_FILES = _data_files(".toml", ".json")
TOML_FILES = _data_files(".toml")
TEXT_FILES = [p for p in DATA.rglob("*") if p.is_file() and (p.suffix == ".md" or not p.suffix)]


class TestShippedDataFiles:
    @pytest.mark.parametrize("path", DATA_FILES, ids=_rel)
    def test_no_text_in_a_data_file_points_at_our_own_files(self, path: Path) -> None:
        """Every note, document, source_document, title and other text in a shipped TOML or
        JSON data file names only public sources or plain descriptions."""
        raw = path.read_text(encoding="utf-8")
        doc = tomllib.loads(raw) if path.suffix == ".toml" else json.loads(raw)
        offenders = [
            f"{_rel(path)} {_parameter_label(doc, where)}: {text!r} — {'; '.join(why)}"
            for where, text in _strings(doc)
            if (why := offences(text))
        ]
        assert not offenders, report(offenders, "texts")

    @pytest.mark.parametrize("path", TOML_FILES, ids=_rel)
    def test_no_comment_in_a_data_file_points_at_our_own_files(self, path: Path) -> None:
        """The comments of a shipped TOML file are read by whoever opens it (a province copying
        an overlay, say): they too cite public documents only."""
        offenders = [
            f"{_rel(path)} line {n}: {line.strip()!r} — {'; '.join(why)}"
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if line.lstrip().startswith("#") and (why := offences(line))
        ]
        assert not offenders, report(offenders, "comments")

    @pytest.mark.parametrize("path", TEXT_FILES, ids=_rel)
    def test_no_shipped_readme_points_at_our_own_files(self, path: Path) -> None:
        """The READMEs and notices shipped beside the data cite public sources only."""
        offenders = [
            f"{_rel(path)} line {n}: {line.strip()!r} — {'; '.join(why)}"
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if (why := offences(line))
        ]
        assert not offenders, report(offenders, "lines")


# ---------------------------------------------------------------------------------------------
# What a user gets: loaded parameters, overlays, catalogue, targets


def _entry_offenders(entries: list[ParameterEntry]) -> list[str]:
    out = []
    for e in entries:
        where = f"{e.origin} {e.parameter} from {e.start.isoformat()}"
        fields = {
            "citation.document": e.citation.document,
            "citation.note": e.citation.note,
            "source_document.vi": e.source_document.vi,
            "source_document.en": e.source_document.en,
        }
        for field, text in fields.items():
            if why := offences(text):
                out.append(f"{where} {field}: {text!r} — {'; '.join(why)}")
    return out


def _v2_offenders(entries: list[ParameterEntry]) -> list[str]:
    return [
        f"{e.origin} {e.parameter} from {e.start.isoformat()} citation.note: {e.citation.note!r}"
        " — a [V2] value says where it was read: the URL of the secondary source, or the public"
        " document that restates it"
        for e in entries
        if e.confidence is Confidence.SECONDARY
        and not names_a_source(e.citation.note, e.citation.document)
    ]


def _national_entries() -> list[ParameterEntry]:
    return [e for p in load_parameters().values() for e in p.entries]


def _overlay_files() -> list[Path]:
    """Every shipped TOML file in the shape of a provincial overlay (outside ``legal/*.toml``)."""
    national = {p.resolve() for p in (DATA / "legal").glob("*.toml")}
    found = []
    for path in TOML_FILES:
        if path.resolve() in national:
            continue
        doc = _parsed(path)
        if doc is not None and "document" in doc and ("values" in doc or "support" in doc):
            found.append(path)
    return found


def _overlay_entries(path: Path) -> list[ParameterEntry]:
    rules = RuleSet.national().with_overlay(path)
    return [e for p in rules.parameters.values() for e in p.entries if e.origin == path.name]


OVERLAYS = _overlay_files()


class TestParameterCitations:
    def test_every_loaded_citation_names_public_sources(self) -> None:
        """Each entry of the national parameters, as ``load_parameters()`` returns it, carries a
        document, note and source_document that a user can look up."""
        offenders = _entry_offenders(_national_entries())
        assert not offenders, report(offenders, "loaded citations")

    def test_every_secondary_value_says_where_it_was_read(self) -> None:
        """A [V2] value was read in a secondary source: its note gives the URL (or the public
        document restating it), so that a user can check it."""
        offenders = _v2_offenders(_national_entries())
        assert not offenders, report(offenders, "[V2] notes")

    def test_the_checks_see_the_shipped_entries(self) -> None:
        """The loaded set is not empty and holds notes, so the checks above are not vacuous."""
        entries = _national_entries()
        assert len(entries) > 100
        assert sum(bool(e.citation.note) for e in entries) > 50


def _province_rule_sets() -> list[tuple[str, str]]:
    """Each issuing province (on its map) and the post-reform province it is now part of."""
    found = {(p.code, p.map_id.value) for p in provinces()}
    found |= {(p.now_part_of[0], "2025-reform") for p in provinces()}
    return sorted(found)


class TestProvinceCitations:
    @pytest.mark.parametrize(("code", "map_id"), _province_rule_sets())
    def test_every_citation_of_a_province_rule_set_names_public_sources(
        self, code: str, map_id: str
    ) -> None:
        """``RuleSet.for_province`` layers a province's documents (and, for a merged province,
        the entries the code writes saying which former province to choose): every citation a
        user then meets names public documents only."""
        rules = for_province(code, map_id=map_id)
        national = {e.origin for e in _national_entries()}
        entries = [
            e for p in rules.parameters.values() for e in p.entries if e.origin not in national
        ]
        offenders = _entry_offenders(entries) + _v2_offenders(entries)
        assert not offenders, report(offenders, f"citations of for_province({code!r}, {map_id})")


class TestOverlays:
    def test_shipped_overlays_are_found(self) -> None:
        """At least the example overlay ships, so the overlay checks run on something."""
        assert any(p.name == "example-province.toml" for p in OVERLAYS)

    @pytest.mark.parametrize("path", OVERLAYS, ids=_rel)
    def test_every_overlay_citation_names_public_sources(self, path: Path) -> None:
        """An overlay layered with ``RuleSet.with_overlay`` cites public documents only."""
        entries = _overlay_entries(path)
        offenders = _entry_offenders(entries) + _v2_offenders(entries)
        assert not offenders, report(offenders, f"citations of {_rel(path)}")


class TestCitationCatalogue:
    def test_every_missing_source_names_a_public_document(self) -> None:
        """The document a NotConfiguredError names for an unconfigured parameter is one a user
        can obtain, in plain words."""
        offenders = [
            f"_catalogue.py {name} missing_source: {spec.missing_source!r} — {'; '.join(why)}"
            for name, spec in sorted(CATALOGUE.items())
            if (why := offences(spec.missing_source.vi) + offences(spec.missing_source.en))
        ]
        assert not offenders, report(offenders, "missing_source texts")

    def test_every_missing_source_is_said(self) -> None:
        """No parameter falls back to an empty or placeholder source."""
        empty = [
            n
            for n, s in CATALOGUE.items()
            if min(len(s.missing_source.vi.strip()), len(s.missing_source.en.strip())) < 10
        ]
        assert not empty, f"parameters without a real missing_source: {empty}"


def _texts(node: Any) -> Iterator[str]:
    yield from (text for _, text in _strings(node))


def _target_files() -> list[Path]:
    return [p for p in TOML_FILES if "target" in (_parsed(p) or {})]


class TestLoadTargets:
    @pytest.mark.parametrize("path", _target_files(), ids=_rel)
    def test_every_target_citation_names_public_sources(self, path: Path) -> None:
        """The citation of each shipped programme target, as ``load_targets`` returns it,
        names a public document or says plainly that the figure is invented."""
        cited: list[tuple[str, tuple[str, ...]]]
        try:
            cited = [
                (f"{t.indicator} {t.period}", (t.citation.document, t.citation.note))
                for t in load_targets(path)
            ]
        except DataFileError:
            # A target file in a shape ``load_targets`` does not read (yet): check its
            # citation tables as written.
            cited = [
                (f"{t.get('indicator')} {t.get('period')}", tuple(_texts(t.get("citation"))))
                for t in (_parsed(path) or {}).get("target", [])
            ]
        offenders = [
            f"{_rel(path)} {what} citation: {text!r} — {'; '.join(why)}"
            for what, texts in cited
            for text in texts
            if (why := offences(text))
        ]
        assert cited, f"{_rel(path)} holds no target"
        assert not offenders, report(offenders, "target citations")


# ---------------------------------------------------------------------------------------------
# Texts the Python code builds


_CITING_CALLS = frozenset({"Citation", "NotConfiguredError", "ParameterSpec", "_spec"})
_CITING_KEYWORDS = frozenset(
    {"note", "document", "source_document", "missing_source", "source", "citation"}
)


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _constants(node: ast.AST) -> Iterator[tuple[ast.Constant, str]]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub, sub.value


def _cited_texts(tree: ast.AST) -> Iterator[tuple[ast.Constant, str]]:
    """The string constants that become a citation, a note or a missing source."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if _name(node.func) in _CITING_CALLS:
            yield from _constants(node)
            continue
        for kw in node.keywords:
            if kw.arg in _CITING_KEYWORDS:
                yield from _constants(kw.value)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


PYTHON_FILES = sorted(PACKAGE.rglob("*.py"))


class TestPythonCitations:
    def test_every_citation_built_in_code_names_public_sources(self) -> None:
        """Each ``Citation(...)``, ``NotConfiguredError(...)``, ``note=``/``document=`` text
        the code builds names a public document or says plainly what it is."""
        offenders = [
            f"{_rel(path)}:{const.lineno}: {text!r} — {'; '.join(why)}"
            for path in PYTHON_FILES
            for const, text in _cited_texts(ast.parse(path.read_text(encoding="utf-8")))
            if (why := offences(text))
        ]
        assert not offenders, report(offenders, "texts built in code")

    def test_the_catalogue_module_names_public_sources_only(self) -> None:
        """Every text of the catalogue but its docstrings (defaults included) reaches users as
        a missing source: none points at the project's files."""
        path = PACKAGE / "rules" / "_catalogue.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        offenders = [
            f"{_rel(path)}:{c.lineno}: {text!r} — {'; '.join(why)}"
            for c, text in _constants(tree)
            if id(c) not in skip and (why := offences(text))
        ]
        assert not offenders, report(offenders, "catalogue texts")

    def test_the_scan_finds_the_citations_the_code_builds(self) -> None:
        """The scan sees real citation texts (the applicant's declared data in eligibility),
        so an empty result means clean code, not a blind scan."""
        path = PACKAGE / "rules" / "_eligibility.py"
        texts = {text for _, text in _cited_texts(ast.parse(path.read_text(encoding="utf-8")))}
        assert "caller data" in texts


# ---------------------------------------------------------------------------------------------
# The checker itself


class TestOffences:
    @pytest.mark.parametrize(
        "text",
        [
            "Per rules.md §2 [V2]: SMEs, cooperatives",
            "Verified in legal/khuyen-cong.md, Điều 1.2.a 45/2012",
            "235/2025/NĐ-CP (see rules.md)",
            "as in regime-2025 §3",
            "counted as in indicators.md",
            "NĐ 77/2019 Đ3.1 (in legal/hop-tac-xa.md)",
            "read in /work/shared/domain/README.md",
            "Not in legal/; [V2]",
            "text not in the project's legal sources",
        ],
    )
    def test_references_to_our_files_are_caught(self, text: str) -> None:
        """A note pointing at the project's own files or sections is an offence."""
        assert offences(text)

    @pytest.mark.parametrize(
        "text",
        [
            "45/2012/NĐ-CP Điều 1.2.a",
            "Verified in the text of 45/2012/NĐ-CP, Điều 1.2.a",
            "Read on https://thuvienphapluat.vn/archive/Nghi-dinh-45-2012-ND-CP-khuyen-cong-vb139487.aspx",
            (
                "the province's People's Council resolution on local-fund levels "
                "(26/2014/TTLT-BTC-BCT Điều 6.3); load a provincial overlay"
            ),
            "EXAMPLE, invented.",
            "see khuyencong/data/legal/overlays/example-province.toml",
            "Ví dụ minh họa (chỉ tiêu giả định, không phải chỉ tiêu thật)",
        ],
    )
    def test_public_sources_and_plain_words_pass(self, text: str) -> None:
        """Public document numbers with article and clause, URLs and plain descriptions pass."""
        assert offences(text) == []
