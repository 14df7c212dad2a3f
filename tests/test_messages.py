"""Tests of ``khuyencong.messages``: one bilingual catalogue and one language setting."""

from __future__ import annotations

import subprocess
import sys

import pytest

from khuyencong.messages import (
    LANGS,
    catalogue,
    get_language,
    language,
    resolve_language,
    set_language,
    text,
)
from khuyencong.messages import _check_message as check_message


class TestCatalogue:
    def test_every_message_exists_in_both_languages(self) -> None:
        """No message ships in one language only, or with an empty text."""
        for key, texts in catalogue().items():
            assert len(texts) == len(LANGS), key
            assert all(t.strip() for t in texts), key

    def test_a_message_with_different_fields_per_language_is_refused(self) -> None:
        """A translation that drops or renames a placeholder is a defect found at load time."""
        with pytest.raises(ValueError, match="fields"):
            check_message("x.y", "Tệp {path}", "File {name}")

    def test_an_empty_translation_is_refused(self) -> None:
        """Both languages must say something."""
        with pytest.raises(ValueError, match="non-empty"):
            check_message("x.y", "Tệp", " ")

    def test_an_unknown_key_names_itself(self) -> None:
        """Asking for a message that does not exist fails loudly with the key."""
        with pytest.raises(KeyError, match=r"common\.nothing"):
            text("common.nothing")


class TestLanguage:
    def test_vietnamese_is_the_default(self) -> None:
        """Without a setting, messages are Vietnamese."""
        code = "from khuyencong.messages import text; print(text('common.yes'))"
        env = {"PATH": "", "PYTHONIOENCODING": "utf-8"}
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        assert out.stdout.strip() == "ĐẠT"

    def test_the_environment_variable_sets_the_default(self) -> None:
        """KHUYENCONG_LANG=en makes English the default for a whole process."""
        code = "from khuyencong.messages import text; print(text('common.yes'))"
        env = {"PATH": "", "PYTHONIOENCODING": "utf-8", "KHUYENCONG_LANG": "en"}
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        assert out.stdout.strip() == "YES"

    def test_a_block_overrides_the_setting_and_restores_it(self) -> None:
        """Inside ``language("en")`` messages are English; after it, the language is back."""
        before = get_language()
        with language("en"):
            assert text("common.no") == "NO"
        assert get_language() == before

    def test_set_language_changes_the_default_until_changed_back(self) -> None:
        """``set_language`` is the notebook's switch: it lasts until set again."""
        before = get_language()
        try:
            set_language("en")
            assert resolve_language(None) == "en"
            assert text("common.yes") == "YES"
            assert text("common.yes", "vi") == "ĐẠT"
        finally:
            set_language(before)

    def test_an_unknown_language_is_refused(self) -> None:
        """Only Vietnamese and English exist; anything else says so."""
        with pytest.raises(ValueError, match="'vi' or 'en'"):
            set_language("fr")  # type: ignore[arg-type]
