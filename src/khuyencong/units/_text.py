"""Text normalisation for Vietnamese unit names (private; re-exported from ``khuyencong.units``)."""

from __future__ import annotations

import re
import unicodedata

from khuyencong._arguments import expect

__all__ = ["ascii_name", "fold", "match_key"]

_SPACES = re.compile(r"\s+")
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")
_D = str.maketrans({"đ": "d", "Đ": "D"})
_PUNCT = str.maketrans({"'": "", "’": "", "‘": "", "ʼ": "", "`": "", "-": " ", "–": " ", ".": " "})


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_D)


def fold(text: str) -> str:
    """Fold a Vietnamese name to a key for case- and diacritic-insensitive comparison.

    The text is NFC-normalised, case-folded, stripped of every diacritic (``đ`` becomes
    ``d``), trimmed, and its runs of whitespace collapsed to one space. Folding is
    idempotent: ``fold(fold(s)) == fold(s)``.

    Args:
        text: Any text, in NFC, NFD or a mix.

    Returns:
        The folded text, plain lowercase ASCII letters for Vietnamese input.

    >>> fold("  Huyện   LỤC Ngạn ")
    'huyen luc ngan'
    >>> fold("Đắk Lắk") == fold("dak lak")
    True

    Raises:
        ValidationError: If ``text`` is not text.
    """
    try:
        text = unicodedata.normalize("NFC", text)
    except TypeError:  # not a str: checked here, not on every call (names come by the 10,000)
        expect(text, "text", str)
        raise
    return _SPACES.sub(" ", _strip_marks(text).casefold()).strip()


def match_key(text: str) -> str:
    """Fold ``text`` for name matching: also drop apostrophes, treat hyphens and dots as spaces,
    and drop leading zeros of numbers ("Phường 03" matches "Phường 3").

    >>> match_key("Phường 03")
    'phuong 3'
    >>> match_key("Xã Cư M’gar") == match_key("xa cu mgar")
    True
    """
    folded = fold(text.translate(_PUNCT))
    return _LEADING_ZEROS.sub("", folded)


def ascii_name(text: str) -> str:
    """Strip the diacritics of ``text`` keeping its case ("Lục Ngạn" → "Luc Ngan").

    >>> ascii_name("Đồng Tháp")
    'Dong Thap'
    """
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", _strip_marks(text)).strip()
