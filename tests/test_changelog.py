"""``CHANGELOG.md`` keeps the Keep a Changelog shape the project promises its users."""

from __future__ import annotations

import re
from pathlib import Path

CHANGELOG = Path(__file__).parents[1] / "CHANGELOG.md"


def unreleased() -> dict[str, list[str]]:
    """The entries of the ``[Unreleased]`` section, by heading, in the order written."""
    text = CHANGELOG.read_text(encoding="utf-8")
    section = text.split("## [Unreleased]", 1)[1].split("\n## ", 1)[0]
    found: dict[str, list[str]] = {}
    heading = ""
    for line in section.splitlines():
        if line.startswith("### "):
            heading = line.removeprefix("### ").strip()
            assert heading not in found, f"### {heading} appears twice"
            found[heading] = []
        elif line.startswith("- "):
            found[heading].append(line)
    return found


class TestUnreleased:
    def test_one_heading_each_for_added_changed_and_fixed(self) -> None:
        """A reader finds every addition, change and fix under one heading each, in that
        order, and nothing outside them."""
        assert list(unreleased()) == ["Added", "Changed", "Fixed"]

    def test_an_entry_that_says_how_to_migrate_is_a_change(self) -> None:
        """A fix needs no migration; an entry telling its reader how to migrate (or what to do
        "unless" they relied on the old behaviour) is listed under Changed."""
        nothing = re.compile(r"nothing to migrate\.?$", re.IGNORECASE)
        misplaced = [
            entry[:80]
            for entry in unreleased()["Fixed"]
            if re.search(r"\bmigrat", nothing.sub("", entry.rstrip()), re.IGNORECASE)
        ]
        assert misplaced == []

    def test_no_heading_is_empty(self) -> None:
        """Each heading lists at least one entry ("- …" lines)."""
        assert all(unreleased().values())
