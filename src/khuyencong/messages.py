"""Messages in Vietnamese and English: one catalogue, one language setting.

Every sentence the library shows a person — a command-line message, a report's narrative, a
table heading, an error's explanation — is a *message*: a key into a catalogue that holds the
text in both languages. The catalogue is data, shipped as TOML files in
``khuyencong/data/messages/`` (one file per area; the file's name is the key's first part), so
a translator edits text without touching Python, and a test checks that every message exists in
both languages with the same placeholders.

The language is one setting for the whole library: Vietnamese by default, ``KHUYENCONG_LANG``
in the environment, :func:`set_language` for a program or a notebook, :func:`language` for a
block of code, or a ``lang`` argument for one call.

>>> from khuyencong.messages import language, text
>>> text("common.yes", "vi"), text("common.yes", "en")
('ĐẠT', 'YES')
>>> with language("en"):
...     text("common.file_not_found", path="a.csv")
'File not found: a.csv.'
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import string
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal, cast

import attrs

__all__ = [
    "LANGS",
    "Lang",
    "Text",
    "catalogue",
    "get_language",
    "language",
    "resolve_language",
    "set_language",
    "text",
]

Lang = Literal["vi", "en"]
"""A language code: ``"vi"`` (Vietnamese, the default) or ``"en"``."""

LANGS: tuple[Lang, ...] = ("vi", "en")
"""The languages every message exists in."""

ENVIRONMENT_VARIABLE = "KHUYENCONG_LANG"


def _initial_language() -> Lang:
    value = os.environ.get(ENVIRONMENT_VARIABLE, "vi").strip().lower()
    return "en" if value == "en" else "vi"


# set_language() changes the process-wide default (a notebook's cells may each run in a copy of
# the context, so a context variable alone would forget it); language() overrides it for a block.
_default: list[Lang] = [_initial_language()]
_CURRENT: contextvars.ContextVar[Lang | None] = contextvars.ContextVar(
    "khuyencong_language", default=None
)


def _checked(lang: object) -> Lang:
    if not isinstance(lang, str) or lang not in LANGS:
        # The library's error (a ValueError), imported here: the exceptions speak through
        # this module.
        from khuyencong.exceptions import ValidationError  # noqa: PLC0415

        raise ValidationError.single("$.lang", lang, text("errors.lang"))
    return lang


def get_language() -> Lang:
    """The language in force: set by :func:`set_language` or :func:`language`, else the default.

    The default is ``"vi"``, or the ``KHUYENCONG_LANG`` environment variable when it says
    ``vi`` or ``en``.
    """
    return _CURRENT.get() or _default[0]


def set_language(lang: Lang) -> None:
    """Make ``lang`` the language of every message and display from now on, in this process.

    A :func:`language` block in force still wins inside that block.

    Raises:
        ValueError: If ``lang`` is not ``"vi"`` or ``"en"``.
    """
    _default[0] = _checked(lang)


@contextlib.contextmanager
def language(lang: Lang) -> Iterator[Lang]:
    """Use ``lang`` inside a ``with`` block, and restore the previous language after it.

    >>> with language("en"):
    ...     get_language()
    'en'
    """
    token = _CURRENT.set(_checked(lang))
    try:
        yield lang
    finally:
        _CURRENT.reset(token)


def resolve_language(lang: Lang | None) -> Lang:
    """``lang`` itself when given, else the language in force."""
    return get_language() if lang is None else _checked(lang)


def text(key: str, lang: Lang | None = None, /, **fields: object) -> str:
    """The message ``key`` in ``lang`` (the language in force by default), with its fields.

    Args:
        key: ``"<area>.<name>"``: the catalogue file and the message in it.
        lang: ``"vi"`` or ``"en"``; ``None`` for the language in force.
        **fields: Values for the message's ``{placeholders}``, already formatted for the reader.

    Raises:
        KeyError: If the catalogue has no such message (a defect of the library).
        ValueError: If ``lang`` is not a language of the catalogue.

    >>> text("common.no", "en")
    'NO'
    """
    return _format(_templates(key)[LANGS.index(resolve_language(lang))], fields)


def _format(template: str, fields: Mapping[str, object]) -> str:
    # Every template is format syntax, with or without fields: "{{" is a literal brace.
    return template.format_map(fields) if fields or "{" in template else template


@attrs.frozen
class Text:
    """A text given in both languages as data rather than as a catalogue message.

    Rule data carries such texts: what a condition required or found, the document that should
    supply an unknown value, a note on a programme. ``str()`` gives the text in the language
    in force, so a ``Text`` inside an f-string follows the one language setting.

    >>> source = Text("nghị quyết của tỉnh", "the province's resolution")
    >>> source.get("en"), str(source)
    ("the province's resolution", 'nghị quyết của tỉnh')
    >>> Text.of("734/2014/QĐ-UBND").get("en")
    '734/2014/QĐ-UBND'

    Attributes:
        vi: The Vietnamese text.
        en: The English text.
    """

    vi: str
    en: str

    @classmethod
    def of(cls, value: str | Text | Mapping[str, object]) -> Text:
        """A ``Text`` from data: a plain string (the same in both languages, such as a
        document's number), a table with ``vi`` and ``en``, or a ``Text``.

        Raises:
            ValueError: If a table lacks either language or holds anything else.
        """
        if isinstance(value, Text):
            return value
        if isinstance(value, str):
            return cls(value, value)
        if set(value) != set(LANGS) or not all(isinstance(v, str) for v in value.values()):
            msg = f"a text in two languages is a table with 'vi' and 'en' strings, not {value!r}"
            raise ValueError(msg)
        return cls(cast("str", value["vi"]), cast("str", value["en"]))

    @classmethod
    def message(cls, key: str, /, **fields: object) -> Text:
        """A catalogue message in both languages, with its fields, as a ``Text``.

        A field that is itself a ``Text`` fills each language with its own text.

        >>> Text.message("common.file_not_found", path=Text("tệp.csv", "file.csv")).en
        'File not found: file.csv.'
        """
        vi_template, en_template = _templates(key)  # what text() reads, once for both
        vi_fields: dict[str, object] = {}
        en_fields: dict[str, object] = {}
        for name, value in fields.items():  # one pass: a Text gives each language its own
            if isinstance(value, Text):
                vi_fields[name], en_fields[name] = value.vi, value.en
            else:
                vi_fields[name] = en_fields[name] = value
        return cls(_format(vi_template, vi_fields), _format(en_template, en_fields))

    def get(self, lang: Lang | None = None) -> str:
        """The text in ``lang`` (the language in force by default)."""
        return self.vi if resolve_language(lang) == "vi" else self.en

    def __str__(self) -> str:
        return self.get()

    def __bool__(self) -> bool:
        return bool(self.vi or self.en)


def _folder() -> Path:
    return Path(str(resources.files("khuyencong") / "data" / "messages"))


def _flatten(prefix: str, table: Mapping[str, object], into: dict[str, tuple[str, str]]) -> None:
    if set(table) == set(LANGS) and all(isinstance(v, str) for v in table.values()):
        vi, en = cast("str", table["vi"]), cast("str", table["en"])
        _check_message(prefix, vi, en)
        into[prefix] = (vi, en)
        return
    for name, value in table.items():
        key = f"{prefix}.{name}"
        if not isinstance(value, Mapping):
            msg = f"message {key}: expected a table with 'vi' and 'en' texts"
            raise TypeError(msg)
        _flatten(key, value, into)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _check_message(key: str, vi: str, en: str) -> None:
    if not vi.strip() or not en.strip():
        msg = f"message {key}: both the Vietnamese and the English text must be non-empty"
        raise ValueError(msg)
    if _fields(vi) != _fields(en):
        msg = (
            f"message {key}: the Vietnamese text has fields {sorted(_fields(vi))} "
            f"but the English text has {sorted(_fields(en))}"
        )
        raise ValueError(msg)


def _templates(key: str) -> tuple[str, str]:
    """The message ``key``'s (Vietnamese, English) templates, read from its own catalogue
    file alone (``<area>.toml`` for ``<area>.<name>``) until every message is read.

    Raises:
        KeyError: If the catalogue has no such message.
    """
    area = key.partition(".")[0]
    found = _area(area).get(key) if area.isidentifier() else None
    return catalogue()[key] if found is None else found


@cache
def _area(name: str) -> Mapping[str, tuple[str, str]]:
    """The messages of the catalogue file ``<name>.toml`` (none if there is no such file),
    checked as :func:`catalogue` checks them; a command reads the few files it speaks from."""
    messages: dict[str, tuple[str, str]] = {}
    path = _folder() / f"{name}.toml"
    if path.is_file():
        with path.open("rb") as handle:
            _flatten(name, tomllib.load(handle), messages)
    return messages


@cache
def catalogue() -> Mapping[str, tuple[str, str]]:
    """Every message: ``key → (Vietnamese, English)``, read once from the shipped TOML files.

    Raises:
        ValueError: If a message lacks a language, or its languages differ in placeholders.
    """
    messages: dict[str, tuple[str, str]] = {}
    for path in sorted(_folder().glob("*.toml")):
        with path.open("rb") as handle:
            _flatten(path.stem, tomllib.load(handle), messages)
    return messages
